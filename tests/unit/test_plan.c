/* Unit tests of sg_plan (src/analysis/plan*.c): grid division proposals.
 * Every plan is checked for the properties the issue asks for, each
 * computed here independently of the code under test (GEOS on the WKB
 * read back with SQL, SpatiaLite SQL on the store file):
 *  - tiling: the union of the grids equals the unit (village or parent
 *    grid) and no two grids share area;
 *  - contiguity: every grid is one polygon, apart from whole exclaves;
 *  - balance: households per grid at most 1.15 x the mean;
 *  - no household within 0.5 m of two grids (of a boundary between them);
 *  - codes: unit code + 3 (or 2) digits, 001.. in rows of height
 *    sqrt(area / N) north to south, west to east inside a row;
 *  - the real checker (sg_check) on the grids exported and imported as
 *    layer grids finds no gap, overlap or sliver.
 * Fixtures: hand-made villages in metres (EPSG:4545, origin x=500000,
 * y=3300000) with known answers, and the demo data (data/demo).
 * Not for: the command line (tests/cli/plan.sh).
 * SPDX-License-Identifier: MIT */
#include <geos_c.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "sanigrid/plan.h"

#define X0 500000.0
#define Y0 3300000.0

/* The default of the setting plan.balance_bound (DOMAIN-level policy,
 * not the planner's constant: test_policy_settings changes it). */
#define BOUND 1.15

#define V1 "610101100201"
#define V2 "610101100202"

static sg_ctx *ctx;
static GEOSContextHandle_t gh; /* the tests' own GEOS handle */

/* Fail at the caller's line unless |a - b| <= tol. */
#define assert_near(a, b, tol)                                                 \
    check_near((a), (b), (tol), #a, __FILE__, __LINE__)
static void check_near(double a, double b, double tol, const char *what,
                       const char *file, int line)
{
    if (fabs(a - b) <= tol)
        return;
    print_error("%s = %.6f, expected %.6f +- %g\n", what, a, b, tol);
    _fail(file, line);
}

/* Library, a context and the tests' own GEOS handle. */
static int group_setup(void **state)
{
    (void)state;
    sg_library_init();
    ctx = sg_ctx_new();
    gh = GEOS_init_r();
    return ctx && gh ? 0 : -1;
}

/* Free what group_setup made. */
static int group_teardown(void **state)
{
    (void)state;
    sg_test_sql_close();
    GEOS_finish_r(gh);
    sg_ctx_free(ctx);
    sg_library_shutdown();
    return 0;
}

/* ---- GeoJSON fixtures --------------------------------------------------- */

/* A GeoJSON FeatureCollection being written. */
typedef struct fc {
    char *s;
    size_t n, cap;
    int features;
} fc;

/* Append formatted text to \p f. */
static void fc_cat(fc *f, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void fc_cat(fc *f, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    assert_true(k >= 0);
    while (f->n + (size_t)k + 1 > f->cap) {
        f->cap = f->cap ? f->cap * 2 : 4096;
        f->s = realloc(f->s, f->cap);
        assert_non_null(f->s);
    }
    va_start(ap, fmt);
    vsnprintf(f->s + f->n, (size_t)k + 1, fmt, ap);
    va_end(ap);
    f->n += (size_t)k;
}

/* Start a collection. */
static void fc_begin(fc *f)
{
    memset(f, 0, sizeof *f);
    fc_cat(f, "{\"type\":\"FeatureCollection\",\"features\":[\n");
}

/* A feature with properties \p props and geometry \p geom (GeoJSON
 * geometry text, coordinates already absolute). */
static void fc_feature(fc *f, const char *props, const char *geom)
{
    fc_cat(f, "%s{\"type\":\"Feature\",\"properties\":%s,\"geometry\":%s}",
           f->features++ ? ",\n" : "", props, geom);
}

/* GeoJSON text of the rectangle [x0,x1] x [y0,y1] (local metres) as one
 * ring "[[...]]" into \p buf. */
static const char *ring(char *buf, size_t size, double x0, double y0, double x1,
                        double y1)
{
    snprintf(buf, size,
             "[[[%.3f,%.3f],[%.3f,%.3f],[%.3f,%.3f],[%.3f,%.3f],"
             "[%.3f,%.3f]]]",
             X0 + x0, Y0 + y0, X0 + x1, Y0 + y0, X0 + x1, Y0 + y1, X0 + x0,
             Y0 + y1, X0 + x0, Y0 + y0);
    return buf;
}

/* A rectangle polygon feature. */
static void fc_rect(fc *f, const char *props, double x0, double y0, double x1,
                    double y1)
{
    char r[512], g[600];
    snprintf(g, sizeof g, "{\"type\":\"Polygon\",\"coordinates\":%s}",
             ring(r, sizeof r, x0, y0, x1, y1));
    fc_feature(f, props, g);
}

/* A straight road from (x0,y0) to (x1,y1). */
static void fc_road(fc *f, const char *id, double x0, double y0, double x1,
                    double y1)
{
    char p[128], g[256];
    snprintf(p, sizeof p, "{\"road_id\":\"%s\",\"class\":\"village\"}", id);
    snprintf(g, sizeof g,
             "{\"type\":\"LineString\",\"coordinates\":[[%.3f,%.3f],"
             "[%.3f,%.3f]]}",
             X0 + x0, Y0 + y0, X0 + x1, Y0 + y1);
    fc_feature(f, p, g);
}

/* A household \p n at (x, y) with \p res residents. */
static void fc_house(fc *f, int n, double x, double y, int res)
{
    char p[128], g[128];
    snprintf(p, sizeof p,
             "{\"household_id\":\"H%05d\",\"resident_population\":%d}", n, res);
    snprintf(g, sizeof g, "{\"type\":\"Point\",\"coordinates\":[%.3f,%.3f]}",
             X0 + x, Y0 + y);
    fc_feature(f, p, g);
}

/* Properties of an admin_village division. Static buffer (rotating). */
static const char *div_props(const char *code)
{
    static char bufs[4][256];
    static int k;
    char *b = bufs[k++ & 3];
    snprintf(b, 256,
             "{\"division_code\":\"%s\",\"name\":\"V%s\","
             "\"level\":\"admin_village\"}",
             code, code + 9);
    return b;
}

/* Write \p f and import it into \p layer of \p s (EPSG:4545); every
 * feature must be imported. Frees the text. */
static void fc_import(sg_store *s, const char *layer, fc *f)
{
    static int seq;
    char name[64];
    fc_cat(f, "\n]}\n");
    snprintf(name, sizeof name, "plan-%s-%d.geojson", layer, ++seq);
    const char *path = sg_test_path(name);
    sg_test_write_file(path, f->s);
    free(f->s);
    memset(f, 0, sizeof *f);
    sg_import_options *o = sg_import_options_new();
    assert_non_null(o);
    assert_sg_status(ctx, sg_import_options_set_src_crs(ctx, o, "EPSG:4545"),
                     SG_OK);
    sg_import_result *r = NULL;
    assert_sg_status(ctx, sg_import(ctx, s, layer, path, o, &r), SG_OK);
    assert_int_equal(r->rejected, 0);
    sg_import_result_free(r);
    sg_import_options_free(o);
}

/* Import the demo layers the planner reads into store \p name. */
static sg_store *demo_store(const char *name)
{
    sg_store *s = sg_test_store_new(ctx, name, 0);
    static const char *const layers[] = {"divisions", "grids", "households",
                                         "roads"};
    for (size_t i = 0; i < 4; i++) {
        char src[4096];
        snprintf(src, sizeof src, "%s/data/demo/%s.geojson",
                 sg_test_source_dir(), layers[i]);
        sg_import_result *ir = NULL;
        assert_sg_status(ctx, sg_import(ctx, s, layers[i], src, NULL, &ir),
                         SG_OK);
        sg_import_result_free(ir);
    }
    return s;
}

/* ---- running the planner ------------------------------------------------ */

/* Plan with the given settings (\p division NULL = every unit; \p grids
 * or \p per_grid 0 = default; \p balance NULL = households). */
static sg_status plan(sg_store *s, const char *division, int level, int grids,
                      double per_grid, const char *balance, sg_plan_result **r)
{
    sg_plan_options *o = sg_plan_options_new();
    assert_non_null(o);
    assert_sg_status(ctx, sg_plan_options_set_division(ctx, o, division),
                     SG_OK);
    assert_sg_status(ctx, sg_plan_options_set_level(ctx, o, level), SG_OK);
    assert_sg_status(ctx, sg_plan_options_set_grids(ctx, o, grids), SG_OK);
    assert_sg_status(
        ctx, sg_plan_options_set_households_per_grid(ctx, o, per_grid), SG_OK);
    sg_balance b = SG_BALANCE_HOUSEHOLDS;
    if (balance) {
        assert_sg_status(ctx, sg_balance_from_string(ctx, balance, &b), SG_OK);
        assert_sg_status(ctx, sg_plan_options_set_balance(ctx, o, b), SG_OK);
    }
    sg_status st = sg_plan(ctx, s, o, r);
    sg_plan_options_free(o);
    return st;
}

/* ---- independent checks ------------------------------------------------- */

/* A GEOS geometry from hex WKB text (the tests' handle; caller frees). */
static GEOSGeometry *from_hex(const char *hex)
{
    size_t n = strlen(hex) / 2;
    unsigned char *b = malloc(n ? n : 1);
    assert_non_null(b);
    for (size_t i = 0; i < n; i++) {
        unsigned v = 0;
        sscanf(hex + 2 * i, "%2x", &v);
        b[i] = (unsigned char)v;
    }
    GEOSGeometry *g = GEOSGeomFromWKB_buf_r(gh, b, n);
    free(b);
    assert_non_null(g);
    return g;
}

/* The one geometry a query returns as hex WKB (caller frees). */
static GEOSGeometry *sql_geom(const char *db, const char *sql)
{
    char *rows = sg_test_sql_rows(db, sql);
    char *nl = strchr(rows, '\n');
    if (nl)
        *nl = '\0';
    assert_true(rows[0] != '\0');
    GEOSGeometry *g = from_hex(rows);
    free(rows);
    return g;
}

/* What check_plan found, for further assertions. */
typedef struct plan_facts {
    size_t n;
    double max_mean;
    int parts_total;
} plan_facts;

/* Check every property of the planned grids of unit \p unit_code (a
 * division at level 1, a grid at level 2) in store file \p db against
 * independent computations; \p n grids expected, \p unit_parts polygons
 * in the unit (a grid may hold whole extra unit parts, nothing else). */
static plan_facts check_plan(const char *db, int level, const char *unit_code,
                             size_t n, int unit_parts)
{
    plan_facts facts = {0};
    char sql[2048];
    const char *unit_layer = level == 1 ? "divisions" : "grids";
    const char *unit_col = level == 1 ? "division_code" : "grid_code";
    snprintf(sql, sizeof sql,
             "SELECT hex(AsBinary(geom)) FROM %s WHERE %s = '%s'", unit_layer,
             unit_col, unit_code);
    GEOSGeometry *unit = sql_geom(db, sql);
    double unit_area = 0, x0, y0, x1, y1;
    assert_true(GEOSArea_r(gh, unit, &unit_area));
    assert_true(GEOSGeom_getExtent_r(gh, unit, &x0, &y0, &x1, &y1));

    snprintf(sql, sizeof sql,
             "SELECT grid_code, level, hex(AsBinary(geom)), households "
             "FROM planned_grids WHERE parent_code = '%s' ORDER BY grid_code",
             unit_code);
    char *rows = sg_test_sql_rows(db, sql);
    GEOSGeometry *g[1000];
    char codes[1000][32];
    long long hh_lib[1000];
    size_t m = 0;
    for (char *line = strtok(rows, "\n"); line; line = strtok(NULL, "\n")) {
        assert_true(m < 1000);
        char *f1 = strchr(line, '|');
        assert_non_null(f1);
        *f1++ = '\0';
        char *f2 = strchr(f1, '|');
        assert_non_null(f2);
        *f2++ = '\0';
        char *f3 = strchr(f2, '|');
        assert_non_null(f3);
        *f3++ = '\0';
        assert_int_equal(atoi(f1), level);
        snprintf(codes[m], sizeof codes[m], "%s", line);
        hh_lib[m] = atoll(f3);
        g[m++] = from_hex(f2);
    }
    free(rows);
    assert_int_equal(m, n);
    facts.n = m;

    /* codes: the unit code + a sequence from 1, in order */
    size_t ulen = strlen(unit_code), digits = level == 1 ? 3 : 2;
    for (size_t i = 0; i < m; i++) {
        char want[40];
        snprintf(want, sizeof want, "%s%0*zu", unit_code, (int)digits, i + 1);
        assert_string_equal(codes[i], want);
        assert_int_equal(strlen(codes[i]), ulen + digits);
    }

    /* tiling: union = unit, pairwise intersections without area */
    GEOSGeometry **copies = malloc(m * sizeof *copies);
    for (size_t i = 0; i < m; i++)
        copies[i] = GEOSGeom_clone_r(gh, g[i]);
    GEOSGeometry *coll = GEOSGeom_createCollection_r(
        gh, GEOS_GEOMETRYCOLLECTION, copies, (unsigned)m);
    free(copies);
    GEOSGeometry *u = GEOSUnaryUnion_r(gh, coll);
    GEOSGeometry *sd = GEOSSymDifference_r(gh, u, unit);
    double sd_area = -1;
    assert_true(GEOSArea_r(gh, sd, &sd_area));
    assert_true(sd_area < 1e-3);
    GEOSGeom_destroy_r(gh, sd);
    GEOSGeom_destroy_r(gh, u);
    GEOSGeom_destroy_r(gh, coll);
    double sum = 0;
    for (size_t i = 0; i < m; i++) {
        double a = 0;
        GEOSArea_r(gh, g[i], &a);
        sum += a;
        for (size_t j = i + 1; j < m; j++) {
            GEOSGeometry *x = GEOSIntersection_r(gh, g[i], g[j]);
            double xa = -1;
            assert_true(GEOSArea_r(gh, x, &xa));
            assert_true(xa < 1e-6);
            GEOSGeom_destroy_r(gh, x);
        }
    }
    assert_near(sum, unit_area, 1e-6 * unit_area + 1e-3);

    /* contiguity: one polygon, or extra parts that are whole unit parts */
    for (size_t i = 0; i < m; i++) {
        int parts = GEOSGetNumGeometries_r(gh, g[i]);
        facts.parts_total += parts;
        assert_true(parts >= 1);
        assert_true(parts <= unit_parts);
    }
    assert_true(facts.parts_total <= (int)m + unit_parts - 1);

    /* balance and households: counted with SpatiaLite */
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM households h, %s u WHERE u.%s = '%s' AND "
             "ST_Intersects(h.geom, u.geom)",
             unit_layer, unit_col, unit_code);
    double total = sg_test_sql_number(db, sql);
    double mx = 0;
    for (size_t i = 0; i < m; i++) {
        snprintf(sql, sizeof sql,
                 "SELECT count(*) FROM households h, planned_grids g WHERE "
                 "g.grid_code = '%s' AND ST_Intersects(h.geom, g.geom) AND "
                 "h.fid IN (SELECT h2.fid FROM households h2, %s u WHERE "
                 "u.%s = '%s' AND ST_Intersects(h2.geom, u.geom))",
                 codes[i], unit_layer, unit_col, unit_code);
        double c = sg_test_sql_number(db, sql);
        assert_int_equal((long long)c, hh_lib[i]);
        mx = fmax(mx, c);
    }
    if (total > 0) {
        facts.max_mean = mx / (total / (double)m);
    }
    /* no household within 0.5 m of two grids */
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM households h, %s u WHERE u.%s = '%s' AND "
             "ST_Intersects(h.geom, u.geom) AND (SELECT count(*) FROM "
             "planned_grids g WHERE g.parent_code = '%s' AND "
             "ST_Distance(g.geom, h.geom) <= 0.5) > 1",
             unit_layer, unit_col, unit_code, unit_code);
    assert_int_equal((long long)sg_test_sql_number(db, sql), 0);

    /* order: rows of height sqrt(area / n) from the northern edge, north
     * to south; west to east inside a row */
    double row = sqrt(unit_area / (double)m);
    long prev_band = -1;
    double prev_x = -INFINITY;
    for (size_t i = 0; i < m; i++) {
        GEOSGeometry *c = GEOSGetCentroid_r(gh, g[i]);
        double cx = 0, cy = 0;
        GEOSGeomGetX_r(gh, c, &cx);
        GEOSGeomGetY_r(gh, c, &cy);
        GEOSGeom_destroy_r(gh, c);
        long band = (long)floor((y1 - cy) / row);
        assert_true(band >= prev_band);
        if (band == prev_band)
            assert_true(cx >= prev_x);
        prev_band = band;
        prev_x = cx;
    }
    for (size_t i = 0; i < m; i++)
        GEOSGeom_destroy_r(gh, g[i]);
    GEOSGeom_destroy_r(gh, unit);
    return facts;
}

/* Export layer planned_grids of \p s to a GeoPackage (working CRS, so the
 * coordinates do not move), import it as layer grids (replacing them at
 * level 1; added beside their parents at level 2) and run the real
 * checker at \p level: no gap, overlap or sliver, no hierarchy or code
 * finding, no household in several grids. */
static void check_with_checker(sg_store *s, const char *name, int level)
{
    char file[256];
    snprintf(file, sizeof file, "%s.gpkg", name);
    const char *path = sg_test_path(file);
    sg_export_options *eo = sg_export_options_new();
    assert_sg_status(ctx, sg_export_options_set_overwrite(ctx, eo, 1), SG_OK);
    long long count = 0;
    assert_sg_status(ctx, sg_export(ctx, s, "planned_grids", path, eo, &count),
                     SG_OK);
    sg_export_options_free(eo);
    assert_true(count > 0);
    sg_import_options *io = sg_import_options_new();
    sg_import_options_set_replace(ctx, io, level == 1);
    sg_import_result *ir = NULL;
    assert_sg_status(ctx, sg_import(ctx, s, "grids", path, io, &ir), SG_OK);
    assert_int_equal(ir->rejected, 0);
    assert_int_equal(ir->repaired, 0);
    assert_int_equal(ir->imported, count);
    sg_import_result_free(ir);
    sg_import_options_free(io);
    sg_check_options *co = sg_check_options_new();
    assert_sg_status(ctx, sg_check_options_set_level(ctx, co, level), SG_OK);
    sg_check_result *cr = NULL;
    assert_sg_status(ctx, sg_check(ctx, s, co, &cr), SG_OK);
    sg_check_options_free(co);
    assert_int_equal(cr->total.grids, count);
    assert_int_equal(cr->total.gaps, 0);
    assert_int_equal(cr->total.overlaps, 0);
    assert_int_equal(cr->total.slivers, 0);
    assert_int_equal(cr->total.hierarchy_errors, 0);
    assert_int_equal(cr->total.bad_codes, 0);
    assert_int_equal(cr->total.households_in_several_grids, 0);
    sg_check_result_free(cr);
}

/* ---- a village cut in four by two roads --------------------------------- */

/* V1 = [0,1000] x [0,600]; a road along x = 500 and one along y = 300,
 * both running past the village edge; 25 households in a 5 x 5 lattice
 * (30 m apart) in the middle of each quadrant, one of them 1 m off the
 * vertical road, and with \p near_road one 0.3 m off the horizontal
 * road (so that road's western half cannot be a boundary). Existing
 * grids: the west and east halves. */
static sg_store *cross_store(const char *name, int near_road)
{
    sg_store *s = sg_test_store_new(ctx, name, 4545);
    fc f;
    fc_begin(&f);
    fc_rect(&f, div_props(V1), 0, 0, 1000, 600);
    fc_import(s, "divisions", &f);
    fc_begin(&f);
    fc_road(&f, "R1", 500, -50, 500, 650);
    fc_road(&f, "R2", -50, 300, 1050, 300);
    fc_import(s, "roads", &f);
    fc_begin(&f);
    int n = 0;
    static const double qx[4] = {190, 690, 190, 690},
                        qy[4] = {90, 90, 390, 390};
    for (int q = 0; q < 4; q++)
        for (int i = 0; i < 5; i++)
            for (int j = 0; j < 5; j++) {
                double x = qx[q] + 30 * i, y = qy[q] + 30 * j;
                if (q == 0 && i == 4 && j == 2)
                    x = 499; /* 1 m west of road R1 */
                if (near_road && q == 2 && i == 2 && j == 0)
                    y = 300.3; /* 0.3 m north of road R2 */
                fc_house(&f, ++n, x, y, 1 + n % 4);
            }
    fc_import(s, "households", &f);
    fc_begin(&f);
    fc_rect(&f,
            "{\"grid_code\":\"" V1 "001\",\"level\":1,\"division_code\":\"" V1
            "\",\"grid_leader\":\"a\"}",
            0, 0, 500, 600);
    fc_rect(&f,
            "{\"grid_code\":\"" V1 "002\",\"level\":1,\"division_code\":\"" V1
            "\",\"grid_leader\":\"b\"}",
            500, 0, 1000, 600);
    fc_import(s, "grids", &f);
    return s;
}

/* Four grids follow the two roads: each quadrant is one grid, numbered
 * NW, NE, SW, SE; the existing halves are compared. */
static void test_cross_four(void **state)
{
    (void)state;
    sg_store *s = cross_store("plan-cross.sqlite", 0);
    const char *db = sg_test_path("plan-cross.sqlite");
    sg_plan_result *r = NULL;
    assert_sg_status(ctx, plan(s, V1, 1, 4, 0, NULL, &r), SG_OK);
    assert_int_equal(r->nunits, 1);
    assert_int_equal(r->ngrids, 4);
    const sg_plan_unit *u = &r->units[0];
    assert_string_equal(u->code, V1);
    assert_int_equal(u->households, 100);
    assert_int_equal(u->grids, 4);
    assert_true(u->balanced);
    assert_int_equal(u->households_near_boundary, 0);
    assert_near(u->target, 25, 1e-9);
    assert_true(u->voronoi_faces >= 1);
    /* existing: two halves of 50 households, 500 x 600 m each */
    assert_int_equal(u->existing.grids, 2);
    assert_near(u->existing.max_mean, 1.0, 1e-9);
    assert_near(u->existing.mean_pp, 4 * M_PI * 300000.0 / (2200.0 * 2200.0),
                1e-9);
    static const double cx[4] = {250, 750, 250, 750},
                        cy[4] = {450, 450, 150, 150};
    for (size_t i = 0; i < 4; i++) {
        const sg_plan_grid *g = &r->grids[i];
        assert_int_equal(g->households, 25);
        assert_near(g->area_m2, 150000.0, 1e-3);
        assert_near(g->perimeter_m, 1600.0, 1e-3);
        assert_near(g->polsby_popper, 4 * M_PI * 150000.0 / (1600.0 * 1600.0),
                    1e-9);
        assert_int_equal(g->parts, 1);
        assert_string_equal(g->parent_code, V1);
        assert_string_equal(g->division_code, V1);
        char sql[256];
        snprintf(sql, sizeof sql,
                 "SELECT X(ST_Centroid(geom)) FROM planned_grids WHERE "
                 "grid_code = '%s'",
                 g->code);
        assert_near(sg_test_sql_number(db, sql), X0 + cx[i], 1e-6);
        snprintf(sql, sizeof sql,
                 "SELECT Y(ST_Centroid(geom)) FROM planned_grids WHERE "
                 "grid_code = '%s'",
                 g->code);
        assert_near(sg_test_sql_number(db, sql), Y0 + cy[i], 1e-6);
    }
    assert_string_equal(r->grids[0].code, V1 "001");
    assert_string_equal(r->grids[3].code, V1 "004");
    assert_near(r->max_mean, 1.0, 1e-9);
    plan_facts pf = check_plan(db, 1, V1, 4, 1);
    assert_near(pf.max_mean, 1.0, 1e-9);
    /* the layer's columns match the grids layer; grid_leader is empty */
    assert_int_equal((long long)sg_test_sql_number(
                         db, "SELECT count(*) FROM planned_grids WHERE "
                             "grid_leader IS NULL AND level = 1 AND "
                             "name LIKE 'V201 %'"),
                     4);
    /* the run is recorded */
    assert_string_equal(
        sg_test_sql_text(db, "SELECT command FROM runs ORDER BY run_id DESC "
                             "LIMIT 1"),
        "plan");
    sg_plan_result_free(r);
    check_with_checker(s, "plan-cross", 1);
    sg_store_close(s);
}

/* Two, three and six grids of the same village: every property holds,
 * households are split between grids (midlines) where roads alone
 * cannot balance, and two runs give the same plan. */
static void test_cross_counts(void **state)
{
    (void)state;
    sg_store *s = cross_store("plan-counts.sqlite", 1);
    const char *db = sg_test_path("plan-counts.sqlite");
    static const int ns[] = {2, 3, 6, 1};
    for (size_t k = 0; k < 4; k++) {
        sg_plan_result *r = NULL;
        assert_sg_status(ctx, plan(s, V1, 1, ns[k], 0, NULL, &r), SG_OK);
        assert_int_equal(r->ngrids, (size_t)ns[k]);
        assert_true(r->units[0].balanced);
        plan_facts pf = check_plan(db, 1, V1, (size_t)ns[k], 1);
        assert_true(pf.max_mean <= BOUND);
        assert_near(pf.max_mean, r->units[0].planned.max_mean, 1e-9);
        sg_plan_result_free(r);
    }
    /* determinism: the same plan twice */
    sg_plan_result *r = NULL;
    assert_sg_status(ctx, plan(s, V1, 1, 3, 0, NULL, &r), SG_OK);
    sg_plan_result_free(r);
    char *a = sg_test_sql_rows(db, "SELECT grid_code, hex(geom) FROM "
                                   "planned_grids ORDER BY grid_code");
    assert_sg_status(ctx, plan(s, V1, 1, 3, 0, NULL, &r), SG_OK);
    sg_plan_result_free(r);
    char *b = sg_test_sql_rows(db, "SELECT grid_code, hex(geom) FROM "
                                   "planned_grids ORDER BY grid_code");
    assert_string_equal(a, b);
    free(a);
    free(b);
    /* households per grid: N = ceil(100 / 30) = 4 */
    assert_sg_status(ctx, plan(s, V1, 1, 0, 30, NULL, &r), SG_OK);
    assert_int_equal(r->ngrids, 4);
    assert_near(r->households_per_grid, 30, 1e-9);
    sg_plan_result_free(r);
    /* default: setting grid.target_households.max (300) -> one grid,
     * the village itself */
    assert_sg_status(ctx, plan(s, V1, 1, 0, 0, NULL, &r), SG_OK);
    assert_int_equal(r->ngrids, 1);
    assert_near(r->households_per_grid, 300, 1e-9);
    assert_near(r->grids[0].area_m2, 600000.0, 1e-6);
    sg_plan_result_free(r);
    assert_sg_status(
        ctx, sg_setting_set(ctx, s, "grid.target_households.max", "50"), SG_OK);
    assert_sg_status(ctx, plan(s, V1, 1, 0, 0, NULL, &r), SG_OK);
    assert_int_equal(r->ngrids, 2);
    sg_plan_result_free(r);
    sg_store_close(s);
}

/* Balancing residents instead of households. */
static void test_residents(void **state)
{
    (void)state;
    sg_store *s = cross_store("plan-res.sqlite", 1);
    const char *db = sg_test_path("plan-res.sqlite");
    sg_plan_result *r = NULL;
    assert_sg_status(ctx, plan(s, V1, 1, 3, 0, "residents", &r), SG_OK);
    assert_string_equal(r->balance, "residents");
    assert_true(r->units[0].balanced);
    double total =
        sg_test_sql_number(db, "SELECT sum(resident_population) FROM "
                               "households");
    assert_near((double)r->units[0].residents, total, 1e-9);
    double mx = 0;
    for (size_t i = 0; i < r->ngrids; i++) {
        char sql[512];
        snprintf(sql, sizeof sql,
                 "SELECT sum(h.resident_population) FROM households h, "
                 "planned_grids g WHERE g.grid_code = '%s' AND "
                 "ST_Intersects(h.geom, g.geom)",
                 r->grids[i].code);
        double v = sg_test_sql_number(db, sql);
        assert_near(v, (double)r->grids[i].residents, 1e-9);
        mx = fmax(mx, v);
    }
    assert_true(mx / (total / 3) <= BOUND);
    check_plan(db, 1, V1, 3, 1);
    sg_plan_result_free(r);
    sg_store_close(s);
}

/* ---- a dense village -------------------------------------------------- */

/* 1,600 households (a jittered 15 m lattice) in a 600 m square village
 * cut by one road, in 6 grids: the faces hold far more than a tenth of a
 * grid's target (267), so they are cut along the midlines between
 * houses. Regression: each household used to become a block of its own
 * (1,600+ blocks; a county of a million households made a million
 * blocks, and plan --all took minutes where it now takes seconds);
 * houses are now grouped first (groups of at most half the split
 * threshold), so the blocks number a fraction of the households, and
 * the plan keeps every property checked by check_plan. */
static void test_dense_village(void **state)
{
    (void)state;
    sg_store *s = sg_test_store_new(ctx, "plan-dense.sqlite", 4545);
    const char *db = sg_test_path("plan-dense.sqlite");
    fc f;
    fc_begin(&f);
    fc_rect(&f, div_props(V1), 0, 0, 600, 600);
    fc_import(s, "divisions", &f);
    fc_begin(&f);
    fc_road(&f, "R1", -50, 301, 650, 301);
    fc_import(s, "roads", &f);
    fc_begin(&f);
    int n = 0;
    unsigned seed = 12345;
    for (int i = 0; i < 40; i++)
        for (int j = 0; j < 40; j++) {
            seed = seed * 1103515245u + 12345u;
            double jx = (double)((seed >> 16) % 1000) / 1000.0 * 6 - 3;
            seed = seed * 1103515245u + 12345u;
            double jy = (double)((seed >> 16) % 1000) / 1000.0 * 6 - 3;
            fc_house(&f, ++n, 7.5 + 15 * i + jx, 7.5 + 15 * j + jy, 1);
        }
    fc_import(s, "households", &f);
    sg_plan_result *r = NULL;
    assert_sg_status(ctx, plan(s, V1, 1, 6, 0, NULL, &r), SG_OK);
    assert_int_equal(r->nunits, 1);
    assert_int_equal(r->units[0].households, 1600);
    assert_true(r->units[0].voronoi_faces >= 2);
    /* groups of about 7 to 13 houses: some 120 to 230 blocks, and the
     * faces of the road; one block per house would be over 1,600 */
    assert_true(r->units[0].blocks <= 1600 / 4);
    assert_true(r->units[0].balanced);
    check_plan(db, 1, V1, 6, 1);
    sg_plan_result_free(r);
    sg_store_close(s);
}

/* ---- hamlets, exclaves, micro-grids -------------------------------------- */

/* A hamlet of 20 households at one spot cannot be split: with 30
 * households in two grids the bound is missed, and the note says why;
 * the plan still tiles the village. */
static void test_hamlet_too_large(void **state)
{
    (void)state;
    sg_store *s = sg_test_store_new(ctx, "plan-hamlet.sqlite", 4545);
    const char *db = sg_test_path("plan-hamlet.sqlite");
    fc f;
    fc_begin(&f);
    fc_rect(&f, div_props(V1), 0, 0, 400, 400);
    fc_import(s, "divisions", &f);
    fc_begin(&f);
    for (int i = 0; i < 20; i++)
        fc_house(&f, i + 1, 100 + 0.01 * i, 100, 2);
    for (int i = 0; i < 10; i++)
        fc_house(&f, 21 + i, 300, 40 + 30 * i, 2);
    fc_import(s, "households", &f);
    sg_plan_result *r = NULL;
    assert_sg_status(ctx, plan(s, V1, 1, 2, 0, NULL, &r), SG_OK);
    const sg_plan_unit *u = &r->units[0];
    assert_false(u->balanced);
    assert_int_equal(r->unbalanced, 1);
    assert_non_null(u->note);
    assert_contains(u->note, "holds 20 households");
    assert_near(u->planned.max_mean, 20.0 / 15.0, 1e-9);
    check_plan(db, 1, V1, 2, 1);
    sg_plan_result_free(r);
    /* the 30 households lie in 11 blocks (the hamlet and 10 houses), too
     * few for 12 grids */
    assert_sg_status(ctx, plan(s, V1, 1, 12, 0, NULL, &r), SG_ERR_INPUT);
    assert_contains(sg_ctx_errmsg(ctx), "lie in 11 blocks");
    assert_contains(sg_ctx_errmsg(ctx), "fewer than the 12 grids");
    assert_null(r);
    /* three grids: the hamlet and two of five households */
    assert_sg_status(ctx, plan(s, V1, 1, 3, 0, NULL, &r), SG_OK);
    assert_near(r->units[0].planned.max_mean, 2.0, 1e-9);
    assert_near(r->units[0].planned.min_mean, 0.5, 1e-9);
    check_plan(db, 1, V1, 3, 1);
    sg_plan_result_free(r);
    sg_store_close(s);
}

/* A village in two pieces (an exclave): the exclave joins its nearest
 * block by a weak link and is the only allowed second part of a grid. */
static void test_exclave(void **state)
{
    (void)state;
    sg_store *s = sg_test_store_new(ctx, "plan-exclave.sqlite", 4545);
    const char *db = sg_test_path("plan-exclave.sqlite");
    fc f;
    fc_begin(&f);
    char r1[512], r2[512], g[1200];
    snprintf(g, sizeof g, "{\"type\":\"MultiPolygon\",\"coordinates\":[%s,%s]}",
             ring(r1, sizeof r1, 0, 0, 600, 400),
             ring(r2, sizeof r2, 800, 0, 900, 100));
    fc_feature(&f, div_props(V1), g);
    fc_import(s, "divisions", &f);
    fc_begin(&f);
    int n = 0;
    for (int i = 0; i < 8; i++)
        for (int j = 0; j < 5; j++)
            fc_house(&f, ++n, 40 + 70 * i, 40 + 80 * j, 3);
    for (int i = 0; i < 3; i++)
        fc_house(&f, ++n, 820 + 25 * i, 50, 3);
    fc_import(s, "households", &f);
    sg_plan_result *r = NULL;
    assert_sg_status(ctx, plan(s, V1, 1, 3, 0, NULL, &r), SG_OK);
    const sg_plan_unit *u = &r->units[0];
    assert_int_equal(u->households, 43);
    assert_int_equal(u->islands, 1);
    assert_true(u->balanced);
    assert_int_equal(r->not_contiguous, 0);
    int islands = 0;
    for (size_t i = 0; i < r->ngrids; i++) {
        assert_int_equal(r->grids[i].parts - r->grids[i].island_parts, 1);
        islands += r->grids[i].island_parts;
    }
    assert_int_equal(islands, 1);
    plan_facts pf = check_plan(db, 1, V1, 3, 2);
    assert_int_equal(pf.parts_total, 4);
    sg_plan_result_free(r);
    check_with_checker(s, "plan-exclave", 1);
    sg_store_close(s);
}

/* A village with a slit 0.2 m wide from its southern edge to its middle
 * (x = 499.9 .. 500.1, y = 0 .. 500) and a road from the slit's end to
 * the northern edge: two faces, west and east, of 26 households each, so
 * two grids meet along the road and the slit. One eastern house stands
 * 0.25 m east of the slit, so 0.45 m from its western wall: within the
 * clearance (0.5 m) of both grids' boundaries, the only such house.
 * (The planner may not draw a boundary that close, but the village's
 * own edge is a boundary of whichever grid lies beside it.) */
static void test_slit(void **state)
{
    (void)state;
    sg_store *s = sg_test_store_new(ctx, "plan-slit.sqlite", 4545);
    const char *db = sg_test_path("plan-slit.sqlite");
    fc f;
    fc_begin(&f);
    static const double v[][2] = {{0, 0},       {499.9, 0}, {499.9, 500},
                                  {500.1, 500}, {500.1, 0}, {1000, 0},
                                  {1000, 1000}, {0, 1000},  {0, 0}};
    char g[1024];
    size_t len = (size_t)snprintf(g, sizeof g,
                                  "{\"type\":\"Polygon\",\"coordinates\":[[");
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        len += (size_t)snprintf(g + len, sizeof g - len, "%s[%.3f,%.3f]",
                                i ? "," : "", X0 + v[i][0], Y0 + v[i][1]);
    snprintf(g + len, sizeof g - len, "]]}");
    fc_feature(&f, div_props(V1), g);
    fc_import(s, "divisions", &f);
    fc_begin(&f);
    fc_road(&f, "R1", 500, 500, 500, 1050);
    fc_import(s, "roads", &f);
    fc_begin(&f);
    int n = 0;
    for (int i = 0; i < 5; i++)
        for (int j = 0; j < 5; j++) {
            fc_house(&f, ++n, 100 + 75 * i, 100 + 200 * j, 2);
            fc_house(&f, ++n, 600 + 75 * i, 100 + 200 * j, 2);
        }
    fc_house(&f, ++n, 300, 50, 2);
    fc_house(&f, ++n, 500.35, 250, 2);
    fc_import(s, "households", &f);
    sg_plan_result *r = NULL;
    assert_sg_status(ctx, plan(s, V1, 1, 2, 0, NULL, &r), SG_OK);
    const sg_plan_unit *u = &r->units[0];
    assert_int_equal(u->households, 52);
    assert_int_equal(u->grids, 2);
    assert_int_equal(u->households_near_boundary, 1);
    /* west and east of the road and the slit */
    assert_int_equal(r->grids[0].households, 26);
    assert_int_equal(r->grids[1].households, 26);
    assert_near(r->grids[0].area_m2 + r->grids[1].area_m2,
                sg_test_sql_number(db, "SELECT ST_Area(geom) FROM divisions"),
                1e-3);
    /* west: 499.9 m x 500 m south of the slit's end, 500 m x 500 m north */
    assert_near(sg_test_sql_number(db, "SELECT min(ST_Area(geom)) FROM "
                                       "planned_grids"),
                499.9 * 500 + 500 * 500, 1e-3);
    sg_plan_result_free(r);
    sg_store_close(s);
}

/* Level 2: the level-1 grid covering V2 is divided into micro-grids,
 * code = grid code + 2 digits, parent_code = the grid; with --all the
 * units are every level-1 grid. */
static void test_micro_grids(void **state)
{
    (void)state;
    sg_store *s = sg_test_store_new(ctx, "plan-micro.sqlite", 4545);
    const char *db = sg_test_path("plan-micro.sqlite");
    fc f;
    fc_begin(&f);
    fc_rect(&f, div_props(V2), 0, 0, 300, 300);
    fc_import(s, "divisions", &f);
    fc_begin(&f);
    fc_rect(&f,
            "{\"grid_code\":\"" V2 "001\",\"name\":\"G1\",\"level\":1,"
            "\"division_code\":\"" V2 "\",\"grid_leader\":\"a\"}",
            0, 0, 300, 300);
    fc_import(s, "grids", &f);
    fc_begin(&f);
    int n = 0;
    for (int i = 0; i < 6; i++)
        for (int j = 0; j < 6; j++)
            fc_house(&f, ++n, 25 + 50 * i, 25 + 50 * j, 2);
    fc_import(s, "households", &f);
    fc_begin(&f);
    fc_road(&f, "R1", 150, -10, 150, 310);
    fc_import(s, "roads", &f);
    sg_plan_result *r = NULL;
    assert_sg_status(ctx, plan(s, V2 "001", 2, 0, 0, NULL, &r), SG_OK);
    /* default at level 2: a fifth of 300 per micro-grid -> 1 */
    assert_int_equal(r->ngrids, 1);
    sg_plan_result_free(r);
    assert_sg_status(ctx, plan(s, V2 "001", 2, 4, 0, NULL, &r), SG_OK);
    assert_int_equal(r->level, 2);
    assert_int_equal(r->ngrids, 4);
    assert_string_equal(r->units[0].code, V2 "001");
    assert_string_equal(r->grids[0].code, V2 "00101");
    assert_string_equal(r->grids[0].parent_code, V2 "001");
    assert_string_equal(r->grids[0].division_code, V2);
    assert_contains(r->grids[0].name, "G1");
    assert_int_equal(r->units[0].existing.grids, 0);
    check_plan(db, 2, V2 "001", 4, 1);
    sg_plan_result_free(r);
    /* by division code and with --all: the same unit */
    assert_sg_status(ctx, plan(s, V2, 2, 4, 0, NULL, &r), SG_OK);
    assert_int_equal(r->nunits, 1);
    sg_plan_result_free(r);
    assert_sg_status(ctx, plan(s, NULL, 2, 4, 0, NULL, &r), SG_OK);
    assert_int_equal(r->nunits, 1);
    sg_plan_result_free(r);
    /* the real checker at level 2 (the micro-grids tile the village) */
    check_with_checker(s, "plan-micro", 2);
    sg_store_close(s);
}

/* ---- errors ---------------------------------------------------------------
 */

/* Progress callback that cancels once half the work is done. */
static int cancel_at_half(double complete, const char *msg, void *user)
{
    (void)msg;
    (void)user;
    return complete < 0.5;
}

/* Bad options, unknown units, too many grids, a store without data, a
 * cancel, a read-only store. */
static void test_errors(void **state)
{
    (void)state;
    sg_plan_options *o = sg_plan_options_new();
    assert_sg_status(ctx, sg_plan_options_set_level(ctx, o, 3), SG_ERR_USAGE);
    sg_balance b;
    assert_sg_status(ctx, sg_balance_from_string(ctx, "area", &b),
                     SG_ERR_USAGE);
    assert_sg_status(ctx, sg_plan_options_set_balance(ctx, o, SG_BALANCE_ROAD),
                     SG_ERR_USAGE);
    assert_contains(sg_ctx_errmsg(ctx), "'road'");
    assert_sg_status(ctx, sg_plan_options_set_grids(ctx, o, -1), SG_ERR_USAGE);
    assert_contains(sg_ctx_errmsg(ctx), "-1");
    assert_sg_status(ctx, sg_plan_options_set_households_per_grid(ctx, o, -3),
                     SG_ERR_USAGE);
    assert_sg_status(ctx,
                     sg_plan_options_set_households_per_grid(ctx, o, INFINITY),
                     SG_ERR_USAGE);
    assert_sg_status(ctx, sg_plan_options_set_division_level(ctx, o, "x"),
                     SG_ERR_USAGE);
    assert_sg_status(ctx, sg_plan_options_set_division(ctx, o, ""),
                     SG_ERR_USAGE);
    sg_plan_options_free(o);
    sg_plan_options_free(NULL);
    sg_plan_result_free(NULL);

    sg_plan_result *r = NULL;
    sg_store *empty = sg_test_store_new(ctx, "plan-empty.sqlite", 0);
    assert_sg_status(ctx, sg_plan(ctx, empty, NULL, &r), SG_ERR_INPUT);
    assert_null(r);
    sg_store_close(empty);

    sg_store *s = cross_store("plan-errors.sqlite", 1);
    assert_sg_status(ctx, sg_plan(ctx, s, NULL, NULL), SG_ERR_USAGE);
    assert_sg_status(ctx, plan(s, "999999999999", 1, 2, 0, NULL, &r),
                     SG_ERR_NOT_FOUND);
    assert_null(r);
    assert_sg_status(ctx, plan(s, V1, 1, 101, 0, NULL, &r), SG_ERR_INPUT);
    assert_contains(sg_ctx_errmsg(ctx), "cannot fill 101 grids");
    assert_sg_status(ctx, plan(s, V1 "009", 2, 2, 0, NULL, &r),
                     SG_ERR_NOT_FOUND);
    assert_sg_status(ctx, plan(s, NULL, 1, 0, 0.05, NULL, &r), SG_ERR_INPUT);
    assert_contains(sg_ctx_errmsg(ctx), "room for 999");
    /* a failed plan leaves no layer behind */
    assert_int_equal((long long)sg_test_sql_number(
                         sg_test_path("plan-errors.sqlite"),
                         "SELECT count(*) FROM sg_layers WHERE name = "
                         "'planned_grids'"),
                     0);
    /* a cancel from the progress callback leaves the store as it was */
    sg_ctx_set_progress(ctx, cancel_at_half, NULL);
    assert_sg_status(ctx, plan(s, V1, 1, 3, 0, NULL, &r), SG_ERR_CANCELLED);
    sg_ctx_set_progress(ctx, NULL, NULL);
    assert_null(r);
    assert_int_equal((long long)sg_test_sql_number(
                         sg_test_path("plan-errors.sqlite"),
                         "SELECT count(*) FROM sg_layers WHERE name = "
                         "'planned_grids'"),
                     0);
    /* a store opened read-only */
    sg_store *ro = NULL;
    assert_sg_status(ctx,
                     sg_store_open(ctx, sg_test_path("plan-errors.sqlite"),
                                   SG_STORE_READONLY, &ro),
                     SG_OK);
    assert_sg_status(ctx, plan(ro, V1, 1, 3, 0, NULL, &r), SG_ERR_DB_READONLY);
    sg_store_close(ro);
    /* with every unit, a village with fewer households than grids gets
     * one grid per household and a note */
    fc f;
    fc_begin(&f);
    fc_rect(&f, div_props(V2), 2000, 0, 2100, 100);
    fc_import(s, "divisions", &f);
    fc_begin(&f);
    for (int i = 0; i < 3; i++)
        fc_house(&f, 900 + i, 2020 + 30 * i, 50, 1);
    fc_import(s, "households", &f);
    assert_sg_status(ctx, plan(s, NULL, 1, 5, 0, NULL, &r), SG_OK);
    assert_int_equal(r->nunits, 2);
    assert_int_equal(r->ngrids, 8);
    assert_null(r->units[0].note);
    assert_contains(r->units[1].note, "3 households cannot fill 5 grids");
    assert_int_equal(r->units[1].ngrids, 3);
    check_plan(sg_test_path("plan-errors.sqlite"), 1, V2, 3, 1);
    sg_plan_result_free(r);
    sg_store_close(s);
}

/* The balance bound and the clearance come from the store's settings:
 * the result reports them, "balanced" follows the bound, and a bound
 * below 1 is refused. */
static void test_policy_settings(void **state)
{
    (void)state;
    sg_store *s = demo_store("plan-policy.sqlite");
    sg_plan_result *r = NULL;
    assert_sg_status(ctx, plan(s, "999001100202", 1, 3, 0, NULL, &r), SG_OK);
    assert_true(r->balance_bound == 1.15);
    assert_true(r->clearance_m == 0.5);
    double mm = r->units[0].planned.max_mean;
    assert_true(r->units[0].balanced);
    sg_plan_result_free(r);
    /* a bound just below what the plan reaches: no longer balanced */
    char v[64];
    snprintf(v, sizeof v, "%.6f", mm > 1.000002 ? mm - 1e-6 : 1.0);
    assert_sg_status(ctx, sg_setting_set(ctx, s, "plan.balance_bound", v),
                     SG_OK);
    assert_sg_status(ctx, plan(s, "999001100202", 1, 3, 0, NULL, &r), SG_OK);
    assert_true(fabs(r->balance_bound - atof(v)) < 1e-12);
    if (mm > 1.000002)
        assert_false(r->units[0].balanced);
    assert_int_equal(r->units[0].balanced,
                     r->units[0].planned.max_mean <= r->balance_bound);
    assert_int_equal(r->unbalanced, !r->units[0].balanced);
    sg_plan_result_free(r);
    assert_sg_status(ctx, sg_setting_set(ctx, s, "plan.balance_bound", "0.9"),
                     SG_OK);
    assert_sg_status(ctx, plan(s, "999001100202", 1, 3, 0, NULL, &r),
                     SG_ERR_INPUT);
    assert_contains(sg_ctx_errmsg(ctx), "plan.balance_bound");
    assert_null(r);
    assert_sg_status(ctx, sg_setting_set(ctx, s, "plan.balance_bound", "1.15"),
                     SG_OK);
    assert_sg_status(ctx, sg_setting_set(ctx, s, "plan.clearance_m", "2"),
                     SG_OK);
    assert_sg_status(ctx, plan(s, "999001100202", 1, 3, 0, NULL, &r), SG_OK);
    assert_true(r->clearance_m == 2);
    sg_plan_result_free(r);
    sg_store_close(s);
}

/* ---- the demo data ------------------------------------------------------- */

/* Eschen (999001100202, 184 households, an exclave, 4 existing grids)
 * in 2, 3 and 4 grids; then every demo village in grids of about 60
 * households, checked with the real checker. */
static void test_demo(void **state)
{
    (void)state;
    sg_store *s = demo_store("plan-demo.sqlite");
    const char *db = sg_test_path("plan-demo.sqlite");
    sg_test_sql_keep_open(1);
    static const int ns[] = {2, 3, 4};
    for (size_t k = 0; k < 3; k++) {
        sg_plan_result *r = NULL;
        assert_sg_status(ctx, plan(s, "999001100202", 1, ns[k], 0, NULL, &r),
                         SG_OK);
        const sg_plan_unit *u = &r->units[0];
        assert_int_equal(u->households, 184);
        assert_true(u->balanced);
        assert_true(u->planned.max_mean <= BOUND);
        assert_int_equal(u->households_near_boundary, 0);
        assert_int_equal(u->existing.grids, 4);
        assert_true(u->existing.max_mean > u->planned.max_mean);
        assert_int_equal(r->not_contiguous, 0);
        assert_true(u->islands >= 1);
        sg_test_sql_close();
        plan_facts pf = check_plan(db, 1, "999001100202", (size_t)ns[k], 2);
        assert_true(pf.max_mean <= BOUND);
        sg_plan_result_free(r);
    }
    sg_plan_result *r = NULL;
    assert_sg_status(ctx, plan(s, NULL, 1, 0, 60, NULL, &r), SG_OK);
    assert_int_equal(r->nunits, 5);
    assert_int_equal(r->households, 661);
    assert_int_equal(r->unbalanced, 0);
    assert_int_equal(r->households_near_boundary, 0);
    assert_int_equal(r->not_contiguous, 0);
    assert_true(r->max_mean <= BOUND);
    sg_test_sql_close();
    for (size_t i = 0; i < r->nunits; i++) {
        const sg_plan_unit *u = &r->units[i];
        int parts = strcmp(u->code, "999001100201") == 0 ||
                            strcmp(u->code, "999001100202") == 0
                        ? 2
                        : 1;
        assert_int_equal(u->ngrids, (size_t)ceil((double)u->households / 60.0));
        check_plan(db, 1, u->code, u->ngrids, parts);
    }
    sg_plan_result_free(r);
    sg_test_sql_close();
    sg_test_sql_keep_open(0);
    check_with_checker(s, "plan-demo", 1);
    sg_store_close(s);
}

/* Run the tests. */
int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cross_four),
        cmocka_unit_test(test_cross_counts),
        cmocka_unit_test(test_residents),
        cmocka_unit_test(test_dense_village),
        cmocka_unit_test(test_hamlet_too_large),
        cmocka_unit_test(test_exclave),
        cmocka_unit_test(test_slit),
        cmocka_unit_test(test_micro_grids),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_demo),
        cmocka_unit_test(test_policy_settings),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
