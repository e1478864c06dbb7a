/* Tests of sanigrid allocate on a hand-made fixture (EPSG:4545 metres,
 * coordinates below relative to 500000, 3300000):
 *   village A (0..1000 x 0..1000): a 3 x 3 street grid (streets at 200,
 *     500 and 800 m, sharing vertices where they cross; the street x = 500
 *     starts 200 m outside the village), a detached lane (a separate
 *     network component), 36 households beside the streets, cleaners C1
 *     and C2;
 *   village B (1000..2000 x 0..1000): no roads, 10 households, cleaner C3.
 * Every expectation is computed independently of the code under test:
 * lengths and counts by SQL on the store, connectivity by a traversal of
 * the vertices of cleaner_roads written here, overlap and cover of the
 * service areas with GEOS.
 * SPDX-License-Identifier: MIT */
#include <geos_c.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "sanigrid/allocate.h"

static sg_ctx *ctx;

/* Group setup: the library and one context. */
static int setup(void **state)
{
    (void)state;
    sg_library_init();
    ctx = sg_ctx_new();
    return ctx ? 0 : -1;
}

/* Group teardown. */
static int teardown(void **state)
{
    (void)state;
    sg_ctx_free(ctx);
    sg_library_shutdown();
    return 0;
}

#define A_CODE "450100100201"
#define B_CODE "450100100202"
#define X0 500000
#define Y0 3300000
/* the lane L1: (900,900)-(960,960) */
#define LANE_M (60.0 * M_SQRT2)

/* Append printf output to the growing string *s. */
static void cat(char **s, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    size_t n = *s ? strlen(*s) : 0;
    *s = realloc(*s, n + strlen(buf) + 1);
    assert_non_null(*s);
    memcpy(*s + n, buf, strlen(buf) + 1);
}

/* Import GeoJSON \p text (EPSG:4545) into \p layer of \p s. */
static void import_text(sg_store *s, const char *layer, const char *text)
{
    char name[64];
    snprintf(name, sizeof name, "alloc-%s.geojson", layer);
    const char *path = sg_test_path(name);
    sg_test_write_file(path, text);
    sg_import_options *o = sg_import_options_new();
    assert_sg_status(ctx, sg_import_options_set_src_crs(ctx, o, "EPSG:4545"),
                     SG_OK);
    sg_import_result *r = NULL;
    assert_sg_status(ctx, sg_import(ctx, s, layer, path, o, &r), SG_OK);
    assert_int_equal(r->rejected, 0);
    sg_import_result_free(r);
    sg_import_options_free(o);
}

/* A road feature: id, class, cleaner_id (NULL: none), \p n vertices. */
static void road(char **s, const char *id, const char *cls, const char *cleaner,
                 int n, const double *xy)
{
    cat(s,
        "%s{\"type\":\"Feature\",\"properties\":{\"road_id\":\"%s\","
        "\"class\":\"%s\"",
        *s && (*s)[strlen(*s) - 1] == '}' ? "," : "", id, cls);
    if (cleaner)
        cat(s, ",\"cleaner_id\":\"%s\"", cleaner);
    cat(s, "},\"geometry\":{\"type\":\"LineString\",\"coordinates\":[");
    for (int i = 0; i < n; i++)
        cat(s, "%s[%.3f,%.3f]", i ? "," : "", X0 + xy[2 * i],
            Y0 + xy[2 * i + 1]);
    cat(s, "]}}");
}

/* Build the fixture store \p name. \p with_plan: roads and households get
 * today's cleaner_id (for --evaluate): H1 C1, H2 C1, H3 C2, V1 C1,
 * V2 "C2;C9" (two ids, one unknown), V3 C2, the lane none; households:
 * the first none, the second "C1,C2", the others by street; B's C3. */
static int twin_names; /* 1: village B is named "A" too */

static sg_store *fixture_ex(const char *name, int with_plan, int with_cleaners)
{
    sg_store *s = sg_test_store_new(ctx, name, 4545);
    char *t = NULL;
    cat(&t, "{\"type\":\"FeatureCollection\",\"features\":[");
    const char *codes[2] = {A_CODE, B_CODE};
    for (int v = 0; v < 2; v++)
        cat(&t,
            "%s{\"type\":\"Feature\",\"properties\":{\"division_code\":\"%s\","
            "\"name\":\"%s\",\"level\":\"admin_village\"},\"geometry\":{"
            "\"type\":\"Polygon\",\"coordinates\":[[[%d,%d],[%d,%d],[%d,%d],"
            "[%d,%d],[%d,%d]]]}}",
            v ? "," : "", codes[v], v && !twin_names ? "B" : "A", X0 + 1000 * v,
            Y0, X0 + 1000 * (v + 1), Y0, X0 + 1000 * (v + 1), Y0 + 1000,
            X0 + 1000 * v, Y0 + 1000, X0 + 1000 * v, Y0);
    cat(&t, "]}");
    import_text(s, "divisions", t);
    free(t);
    t = NULL;
    cat(&t, "{\"type\":\"FeatureCollection\",\"features\":[");
    static const double at[3] = {200, 500, 800};
    static const char *const hcls[3] = {"village", "county", "village"};
    static const char *const vcls[3] = {"village", "township", "village"};
    static const char *const hplan[3] = {"C1", "C1", "C2"};
    static const char *const vplan[3] = {"C1", "C2;C9", "C2"};
    for (int k = 0; k < 3; k++) {
        double h[10] = {0,     at[k], 200,   at[k], 500,
                        at[k], 800,   at[k], 1000,  at[k]};
        double v[10] = {
            at[k], k == 1 ? -200 : 0, at[k], 200, at[k], 500, at[k], 800, at[k],
            1000};
        char id[8];
        snprintf(id, sizeof id, "H%d", k + 1);
        road(&t, id, hcls[k], with_plan ? hplan[k] : NULL, 5, h);
        snprintf(id, sizeof id, "V%d", k + 1);
        road(&t, id, vcls[k], with_plan ? vplan[k] : NULL, 5, v);
    }
    double lane[4] = {900, 900, 960, 960};
    road(&t, "L1", "lane", NULL, 2, lane);
    cat(&t, "]}");
    import_text(s, "roads", t);
    free(t);
    t = NULL;
    cat(&t, "{\"type\":\"FeatureCollection\",\"features\":[");
    int n = 0;
    for (int k = 0; k < 3; k++)
        for (int i = 0; i < 12; i++, n++) {
            double x = 40 + 80 * i, y = at[k] + (i % 2 ? 12 : -12);
            const char *plan = n == 0 ? NULL : n == 1 ? "C1,C2" : hplan[k];
            cat(&t,
                "%s{\"type\":\"Feature\",\"properties\":{\"household_id\":"
                "\"h%02d\",\"resident_population\":%d",
                n ? "," : "", n, 1 + n % 5);
            if (with_plan && plan)
                cat(&t, ",\"cleaner_id\":\"%s\"", plan);
            cat(&t,
                "},\"geometry\":{\"type\":\"Point\",\"coordinates\":"
                "[%.1f,%.1f]}}",
                X0 + x, Y0 + y);
        }
    for (int i = 0; i < 10; i++, n++) {
        cat(&t,
            ",{\"type\":\"Feature\",\"properties\":{\"household_id\":"
            "\"h%02d\",\"resident_population\":3",
            n);
        if (with_plan)
            cat(&t, ",\"cleaner_id\":\"C3\"");
        cat(&t,
            "},\"geometry\":{\"type\":\"Point\",\"coordinates\":"
            "[%.1f,%.1f]}}",
            X0 + 1100.0 + 80 * i, Y0 + 150.0 + 70 * i);
    }
    cat(&t, "]}");
    import_text(s, "households", t);
    free(t);
    if (with_cleaners)
        import_text(
            s, "cleaners",
            "{\"type\":\"FeatureCollection\",\"features\":["
            "{\"type\":\"Feature\",\"properties\":{\"cleaner_id\":\"C1\","
            "\"division_code\":\"" A_CODE "\"},\"geometry\":{\"type\":"
            "\"Point\",\"coordinates\":[500100,3300100]}},"
            "{\"type\":\"Feature\",\"properties\":{\"cleaner_id\":\"C2\","
            "\"division_code\":\"" A_CODE "\"},\"geometry\":{\"type\":"
            "\"Point\",\"coordinates\":[500900,3300900]}},"
            "{\"type\":\"Feature\",\"properties\":{\"cleaner_id\":\"C3\","
            "\"division_code\":\"" B_CODE "\"},\"geometry\":{\"type\":"
            "\"Point\",\"coordinates\":[501500,3300500]}}]}");
    return s;
}

/* The fixture with the three cleaners C1, C2, C3. */
static sg_store *fixture(const char *name, int with_plan)
{
    return fixture_ex(name, with_plan, 1);
}

/* One number from SQL on the store. */
static double q(sg_store *s, const char *sql)
{
    return sg_test_sql_number(sg_store_path(s), sql);
}

/* ---- independent checks -----------------------------------------------------
 */

/* Every road part inside a village in cleaner_roads exactly once: per
 * village and road, the lengths sum to the clipped length, and rows of
 * one road never overlap. */
static void check_roads_once(sg_store *s)
{
    double bad = q(s, "WITH clip AS (SELECT d.division_code, r.road_id, "
                      "ST_Length(ST_Intersection(r.geom, d.geom)) AS len "
                      "FROM roads r JOIN divisions d ON d.level = "
                      "'admin_village' AND ST_Intersects(r.geom, d.geom)), "
                      "got AS (SELECT division_code, road_id, sum(length_m) "
                      "AS len, sum(ST_Length(geom)) AS glen FROM "
                      "cleaner_roads GROUP BY 1, 2) SELECT count(*) FROM "
                      "clip c LEFT JOIN got g USING (division_code, road_id) "
                      "WHERE c.len > 0 AND (g.len IS NULL OR "
                      "abs(g.len - c.len) > 1e-6 OR abs(g.glen - c.len) > "
                      "1e-6)");
    assert_int_equal((int)bad, 0);
    double overlap = q(s, "SELECT coalesce(sum(ST_Length(ST_Intersection("
                          "a.geom, b.geom))), 0) FROM cleaner_roads a JOIN "
                          "cleaner_roads b ON a.road_id = b.road_id AND "
                          "a.division_code = b.division_code AND a.fid < "
                          "b.fid");
    assert_true(overlap < 1e-6);
}

/* Every household inside a village (only village \p code if not NULL) in
 * cleaner_households exactly once, with a cleaner whose service area
 * contains it. */
static void check_households_once(sg_store *s, const char *code)
{
    char sql[512];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM households h JOIN divisions d ON d.level "
             "= 'admin_village' AND ST_Intersects(h.geom, d.geom)%s%s%s",
             code ? " AND d.division_code = '" : "", code ? code : "",
             code ? "'" : "");
    double inside = q(s, sql);
    assert_true(inside > 0);
    assert_int_equal((int)q(s, "SELECT count(*) FROM cleaner_households"),
                     (int)inside);
    assert_int_equal((int)q(s, "SELECT count(DISTINCT household_id) FROM "
                               "cleaner_households"),
                     (int)inside);
    assert_int_equal((int)q(s, "SELECT count(*) FROM cleaner_households c "
                               "LEFT JOIN service_areas a ON "
                               "a.division_code = c.division_code AND "
                               "a.cleaner_id = c.cleaner_id WHERE a.geom IS "
                               "NULL OR NOT ST_Intersects(a.geom, c.geom)"),
                     0);
}

/* Vertices read from WKT, numbered by exact coordinates. */
typedef struct vtx {
    double x, y;
} vtx;

/* Order vertices by x, then y. */
static int cmp_vtx(const void *a, const void *b)
{
    const vtx *p = a, *r = b;
    if (p->x != r->x)
        return p->x < r->x ? -1 : 1;
    return (p->y > r->y) - (p->y < r->y);
}

/* Union-find root. */
static int uf(int *parent, int x)
{
    while (parent[x] != x)
        x = parent[x] = parent[parent[x]];
    return x;
}

/* Segments of the rows of one village: (cleaner number, vertex a, b). */
typedef struct wseg {
    int cleaner;
    vtx a, b;
} wseg;

/* Parse "MULTILINESTRING((x y, x y), (...))" into segments of cleaner
 * \p c appended to \p segs. */
static void parse_wkt(const char *wkt, int c, wseg **segs, size_t *n,
                      size_t *cap)
{
    const char *p = strchr(wkt, '(');
    assert_non_null(p);
    while ((p = strchr(p, '(')) != NULL) {
        p++;
        if (*p == '(')
            continue;
        int first = 1;
        vtx prev = {0, 0};
        for (;;) {
            char *end;
            vtx v;
            v.x = strtod(p, &end);
            v.y = strtod(end, &end);
            if (!first) {
                if (*n == *cap) {
                    *cap = *cap ? *cap * 2 : 256;
                    *segs = realloc(*segs, *cap * sizeof **segs);
                    assert_non_null(*segs);
                }
                (*segs)[(*n)++] = (wseg){c, prev, v};
            }
            prev = v;
            first = 0;
            while (*end == ' ')
                end++;
            if (*end != ',')
                break;
            p = end + 1;
        }
        p = strchr(p, ')');
        assert_non_null(p);
    }
}

/* Connectivity, independently of the code under test: over the vertices
 * of cleaner_roads (lines meet where they share a vertex), every
 * cleaner's segments form exactly as many connected pieces as the
 * village network components they touch. \return the number of cleaners
 * checked. */
static int check_contiguous(sg_store *s, const char *code)
{
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT cleaner_id, AsText(geom) FROM cleaner_roads WHERE "
             "division_code = '%s' ORDER BY cleaner_id",
             code);
    char *rows = sg_test_sql_rows(sg_store_path(s), sql);
    wseg *segs = NULL;
    size_t n = 0, cap = 0;
    char names[64][32];
    int ncl = 0;
    for (char *line = strtok(rows, "\n"); line; line = strtok(NULL, "\n")) {
        char *bar = strchr(line, '|');
        assert_non_null(bar);
        *bar = '\0';
        int c = -1;
        for (int i = 0; i < ncl; i++)
            if (strcmp(names[i], line) == 0)
                c = i;
        if (c < 0) {
            assert_true(ncl < 64);
            snprintf(names[ncl], sizeof names[ncl], "%s", line);
            c = ncl++;
        }
        parse_wkt(bar + 1, c, &segs, &n, &cap);
    }
    free(rows);
    vtx *vs = malloc((2 * n + 1) * sizeof *vs);
    for (size_t i = 0; i < n; i++) {
        vs[2 * i] = segs[i].a;
        vs[2 * i + 1] = segs[i].b;
    }
    qsort(vs, 2 * n, sizeof *vs, cmp_vtx);
    size_t nv = 0;
    for (size_t i = 0; i < 2 * n; i++)
        if (!nv || cmp_vtx(&vs[nv - 1], &vs[i]) != 0)
            vs[nv++] = vs[i];
    int *ia = malloc((n + 1) * sizeof *ia), *ib = malloc((n + 1) * sizeof *ib);
    for (size_t i = 0; i < n; i++) {
        ia[i] =
            (int)((vtx *)bsearch(&segs[i].a, vs, nv, sizeof *vs, cmp_vtx) - vs);
        ib[i] =
            (int)((vtx *)bsearch(&segs[i].b, vs, nv, sizeof *vs, cmp_vtx) - vs);
    }
    int *all = malloc((nv + 1) * sizeof *all),
        *own = malloc((nv + 1) * sizeof *own);
    for (size_t v = 0; v < nv; v++)
        all[v] = (int)v;
    for (size_t i = 0; i < n; i++)
        all[uf(all, ia[i])] = uf(all, ib[i]);
    for (int c = 0; c < ncl; c++) {
        for (size_t v = 0; v < nv; v++)
            own[v] = (int)v;
        for (size_t i = 0; i < n; i++)
            if (segs[i].cleaner == c)
                own[uf(own, ia[i])] = uf(own, ib[i]);
        int pieces = 0, comps = 0;
        unsigned char *seen_own = calloc(nv + 1, 1);
        unsigned char *seen_all = calloc(nv + 1, 1);
        for (size_t i = 0; i < n; i++) {
            if (segs[i].cleaner != c)
                continue;
            int r = uf(own, ia[i]), g = uf(all, ia[i]);
            if (!seen_own[r]++)
                pieces++;
            if (!seen_all[g]++)
                comps++;
        }
        if (pieces != comps)
            fail_msg("cleaner %s of %s: roads in %d pieces over %d network "
                     "components",
                     names[c], code, pieces, comps);
        free(seen_own);
        free(seen_all);
    }
    free(segs);
    free(vs);
    free(ia);
    free(ib);
    free(all);
    free(own);
    return ncl;
}

/* GEOS: the service areas of village \p code do not overlap (pairwise
 * intersection area under 1e-6 m2) and their union is the village. */
static void check_areas(sg_store *s, const char *code)
{
    GEOSContextHandle_t h = GEOS_init_r();
    GEOSWKTReader *rd = GEOSWKTReader_create_r(h);
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT AsText(geom) FROM service_areas WHERE division_code = "
             "'%s' AND geom IS NOT NULL",
             code);
    char *rows = sg_test_sql_rows(sg_store_path(s), sql);
    GEOSGeometry *g[64];
    int n = 0;
    for (char *line = strtok(rows, "\n"); line; line = strtok(NULL, "\n")) {
        assert_true(n < 64);
        g[n] = GEOSWKTReader_read_r(h, rd, line);
        assert_non_null(g[n]);
        assert_int_equal(GEOSisValid_r(h, g[n]), 1);
        n++;
    }
    free(rows);
    assert_true(n > 0);
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++) {
            GEOSGeometry *x = GEOSIntersection_r(h, g[i], g[j]);
            double a = 0;
            assert_non_null(x);
            GEOSArea_r(h, x, &a);
            assert_true(a < 1e-6);
            GEOSGeom_destroy_r(h, x);
        }
    GEOSGeometry *coll =
        GEOSGeom_createCollection_r(h, GEOS_GEOMETRYCOLLECTION, g, (unsigned)n);
    GEOSGeometry *u = GEOSUnaryUnion_r(h, coll);
    snprintf(sql, sizeof sql,
             "SELECT AsText(geom) FROM divisions WHERE division_code = '%s'",
             code);
    GEOSGeometry *village =
        GEOSWKTReader_read_r(h, rd, sg_test_sql_text(sg_store_path(s), sql));
    GEOSGeometry *diff = GEOSSymDifference_r(h, u, village);
    double a = 1, va = 0;
    GEOSArea_r(h, diff, &a);
    GEOSArea_r(h, village, &va);
    assert_true(a < 1e-6 * va);
    GEOSGeom_destroy_r(h, diff);
    GEOSGeom_destroy_r(h, village);
    GEOSGeom_destroy_r(h, u);
    GEOSGeom_destroy_r(h, coll);
    GEOSWKTReader_destroy_r(h, rd);
    GEOS_finish_r(h);
}

/* max/mean of the mixed workload of village \p code, recomputed from the
 * result layers with the default rates (households / 300; km x 1.0 for
 * county roads, 0.75 township/village, 0.375 lanes). */
static double mixed_max_mean(sg_store *s, const char *code)
{
    char sql[1024];
    snprintf(sql, sizeof sql,
             "WITH w AS (SELECT cleaner_id, sum(x) AS w FROM (SELECT "
             "cleaner_id, length_m / 1000.0 * CASE class WHEN 'county' THEN "
             "1.0 WHEN 'national' THEN 1.0 WHEN 'provincial' THEN 1.0 WHEN "
             "'township' THEN 0.75 WHEN 'village' THEN 0.75 ELSE 0.375 END "
             "AS x FROM cleaner_roads WHERE division_code = '%s' UNION ALL "
             "SELECT cleaner_id, 1.0 / 300 FROM cleaner_households WHERE "
             "division_code = '%s' UNION ALL SELECT cleaner_id, 0 FROM "
             "service_areas WHERE division_code = '%s') GROUP BY "
             "cleaner_id) SELECT max(w) / avg(w) FROM w",
             code, code, code);
    return q(s, sql);
}

/* ---- tests
 * -------------------------------------------------------------------- */

/* Village A with 4 cleaners (2 existing): every rule, checked
 * independently; figures against the layers. */
static void test_allocate_village(void **state)
{
    (void)state;
    sg_store *s = fixture("alloc.sqlite", 0);
    sg_allocate_options *o = sg_allocate_options_new();
    sg_allocate_result *r = NULL;
    assert_sg_status(ctx, sg_allocate_options_set_division(ctx, o, A_CODE),
                     SG_OK);
    sg_allocate_options_set_cleaners(ctx, o, 4);
    assert_sg_status(ctx, sg_allocate(ctx, s, o, &r), SG_OK);
    assert_int_equal(r->nvillages, 1);
    assert_int_equal(r->cleaners, 4);
    assert_int_equal(r->existing, 2);
    assert_int_equal(r->planned, 2);
    assert_int_equal(r->households, 36);
    assert_int_equal(r->noncontiguous, 0);
    /* 3 streets of 1 km each way (the one from -200 clipped) + the lane */
    assert_true(fabs(r->road_m - (6000 + LANE_M)) < 1e-6);
    assert_int_equal(r->villages[0].components, 2);
    assert_string_equal(r->villages[0].cleaners_source, "option");
    /* existing cleaners keep their ids; the others are named after the
     * village, as an office writes them: <村名>-拟增1, -2 */
    assert_string_equal(sg_test_sql_text(sg_store_path(s),
                                         "SELECT group_concat(cleaner_id, "
                                         "' ') FROM (SELECT cleaner_id "
                                         "FROM workloads ORDER BY 1)"),
                        "A-拟增1 A-拟增2 C1 C2");
    /* C1 stands at (100, 100): its area contains that point */
    assert_int_equal((int)q(s, "SELECT ST_Intersects(geom, MakePoint(500100, "
                               "3300100, 4545)) FROM service_areas WHERE "
                               "cleaner_id = 'C1'"),
                     1);
    check_roads_once(s);
    check_households_once(s, A_CODE);
    assert_int_equal(check_contiguous(s, A_CODE), 4);
    check_areas(s, A_CODE);
    double mm = mixed_max_mean(s, A_CODE);
    assert_true(mm <= 1.10);
    assert_true(fabs(mm - r->max_mean) < 1e-6);
    assert_true(r->min_mean > 0.9);
    assert_true(r->compactness > 0 && r->compactness <= 1);
    /* the same from the summary and the run record */
    assert_true(fabs(q(s, "SELECT max_mean FROM allocation_summary") -
                     r->max_mean) < 1e-12);
    assert_int_equal((int)q(s, "SELECT count(*) FROM runs WHERE command = "
                               "'allocate'"),
                     1);
    /* inputs are untouched: nobody's cleaner_id was set */
    assert_int_equal((int)q(s, "SELECT count(*) FROM roads WHERE cleaner_id "
                               "IS NOT NULL"),
                     0);
    sg_allocate_result_free(r);
    sg_allocate_options_free(o);
    sg_store_close(s);
}

/* A store with households but no cleaners layer rows: every cleaner is
 * planned (UBSan once stopped here: qsort(NULL, 0) when pairing
 * existing cleaners with parts, allocate_part.c). */
static void test_no_existing_cleaners(void **state)
{
    (void)state;
    sg_store *s = fixture_ex("alloc-nocl.sqlite", 0, 0);
    assert_int_equal((int)q(s, "SELECT count(*) FROM cleaners"), 0);
    sg_allocate_options *o = sg_allocate_options_new();
    sg_allocate_result *r = NULL;
    assert_sg_status(ctx, sg_allocate_options_set_division(ctx, o, A_CODE),
                     SG_OK);
    sg_allocate_options_set_cleaners(ctx, o, 3);
    assert_sg_status(ctx, sg_allocate(ctx, s, o, &r), SG_OK);
    assert_int_equal(r->cleaners, 3);
    assert_int_equal(r->existing, 0);
    assert_int_equal(r->planned, 3);
    assert_int_equal(r->households, 36);
    assert_string_equal(sg_test_sql_text(sg_store_path(s),
                                         "SELECT group_concat(cleaner_id, "
                                         "' ') FROM (SELECT cleaner_id "
                                         "FROM workloads ORDER BY 1)"),
                        "A-拟增1 A-拟增2 A-拟增3");
    check_households_once(s, A_CODE);
    sg_allocate_result_free(r);
    sg_allocate_options_free(o);
    sg_store_close(s);
}

/* The other measures: the rules hold and max/mean matches the layers. */
static void test_measures(void **state)
{
    (void)state;
    sg_store *s = fixture("alloc-measures.sqlite", 0);
    static const char *const names[] = {"road", "households", "residents"};
    for (int i = 0; i < 3; i++) {
        sg_allocate_options *o = sg_allocate_options_new();
        sg_allocate_result *r = NULL;
        sg_balance b = SG_BALANCE_MIXED;
        assert_sg_status(ctx, sg_balance_from_string(ctx, names[i], &b), SG_OK);
        assert_string_equal(sg_balance_to_string(b), names[i]);
        assert_sg_status(ctx, sg_allocate_options_set_balance(ctx, o, b),
                         SG_OK);
        assert_sg_status(ctx, sg_allocate_options_set_division(ctx, o, A_CODE),
                         SG_OK);
        sg_allocate_options_set_cleaners(ctx, o, 3);
        assert_sg_status(ctx, sg_allocate(ctx, s, o, &r), SG_OK);
        assert_string_equal(r->balance, names[i]);
        check_roads_once(s);
        check_households_once(s, A_CODE);
        check_contiguous(s, A_CODE);
        if (i == 0) { /* road metres: recompute from cleaner_roads */
            double mm = q(s, "SELECT max(l) / avg(l) FROM (SELECT "
                             "sum(length_m) AS l FROM cleaner_roads GROUP BY "
                             "cleaner_id)");
            assert_true(fabs(mm - r->max_mean) < 1e-9);
            assert_true(mm <= 1.10);
        } else { /* 36 households, 106 residents: 12 and about 35 each */
            const char *col =
                i == 1 ? "count(*)" : "sum(h.resident_population)";
            char sql[256];
            snprintf(sql, sizeof sql,
                     "SELECT max(w) / avg(w) FROM (SELECT %s AS w FROM "
                     "cleaner_households c JOIN households h USING "
                     "(household_id) GROUP BY c.cleaner_id)",
                     col);
            double mm = q(s, sql);
            assert_true(fabs(mm - r->max_mean) < 1e-9);
            assert_true(mm <= 1.25);
        }
        sg_allocate_result_free(r);
        sg_allocate_options_free(o);
    }
    sg_store_close(s);
}

/* Planned cleaners are named after their village; two villages of the
 * same name (both "A") get their codes in the id, so ids stay unique. */
static void test_planned_names(void **state)
{
    (void)state;
    twin_names = 1;
    sg_store *s = fixture("alloc-twins.sqlite", 0);
    twin_names = 0;
    sg_allocate_options *o = sg_allocate_options_new();
    sg_allocate_options_set_cleaners(ctx, o, 3);
    sg_allocate_result *r = NULL;
    assert_sg_status(ctx, sg_allocate(ctx, s, o, &r), SG_OK);
    assert_int_equal(r->nvillages, 2);
    char want[256];
    snprintf(want, sizeof want, "A（%s）-拟增1 A（%s）-拟增2", B_CODE, B_CODE);
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT group_concat(cleaner_id, ' ') FROM (SELECT cleaner_id "
             "FROM workloads WHERE division_code = '%s' AND status = "
             "'planned' ORDER BY 1)",
             B_CODE);
    assert_string_equal(sg_test_sql_text(sg_store_path(s), sql), want);
    assert_int_equal((int)q(s, "SELECT count(*) - count(DISTINCT cleaner_id) "
                               "FROM workloads"),
                     0);
    sg_allocate_result_free(r);
    sg_allocate_options_free(o);
    sg_store_close(s);
}

/* Cleaner counts from staffing (run first), a village without roads,
 * and one village re-allocated alone. */
static void test_counts_and_partial(void **state)
{
    (void)state;
    sg_store *s = fixture("alloc-counts.sqlite", 0);
    sg_allocate_result *r = NULL;
    /* no staffing layer, no --cleaners: staffing runs first; each
     * village gets max(existing, required) */
    assert_sg_status(ctx, sg_allocate(ctx, s, NULL, &r), SG_OK);
    assert_true(r->staffing_run);
    assert_int_equal(r->nvillages, 2);
    for (int v = 0; v < 2; v++) {
        char sql[256];
        snprintf(sql, sizeof sql,
                 "SELECT max(required, current, 1) FROM staffing WHERE "
                 "division_code = '%s'",
                 r->villages[v].code);
        assert_int_equal(r->villages[v].cleaners, (long long)q(s, sql));
    }
    /* B has no roads: its households are split all the same, its areas
     * tile it */
    check_roads_once(s);
    check_households_once(s, NULL);
    check_areas(s, A_CODE);
    check_areas(s, B_CODE);
    assert_int_equal(
        (int)q(s, "SELECT count(*) FROM cleaner_roads WHERE division_code = "
                  "'" B_CODE "'"),
        0);
    assert_true(q(s,
                  "SELECT count(*) FROM service_areas WHERE "
                  "division_code = '" B_CODE "' AND cleaner_id = 'C3'") == 1);
    sg_allocate_result_free(r);
    /* one village again, with 2 cleaners: only its rows change */
    double a_rows = q(s, "SELECT count(*) FROM cleaner_roads");
    char *a_before = sg_test_sql_rows(
        sg_store_path(s), "SELECT road_id, cleaner_id, length_m FROM "
                          "cleaner_roads ORDER BY fid");
    sg_allocate_options *o = sg_allocate_options_new();
    assert_sg_status(ctx, sg_allocate_options_set_division(ctx, o, B_CODE),
                     SG_OK);
    sg_allocate_options_set_cleaners(ctx, o, 2);
    assert_sg_status(ctx, sg_allocate(ctx, s, o, &r), SG_OK);
    assert_false(r->staffing_run);
    char *a_after = sg_test_sql_rows(
        sg_store_path(s), "SELECT road_id, cleaner_id, length_m FROM "
                          "cleaner_roads ORDER BY fid");
    assert_string_equal(a_before, a_after);
    assert_true(q(s, "SELECT count(*) FROM cleaner_roads") == a_rows);
    assert_int_equal((int)q(s, "SELECT count(*) FROM workloads WHERE "
                               "division_code = '" B_CODE "'"),
                     2);
    assert_int_equal((int)q(s, "SELECT count(*) FROM allocation_summary"), 2);
    check_households_once(s, NULL);
    check_areas(s, B_CODE);
    free(a_before);
    free(a_after);
    sg_allocate_result_free(r);
    sg_allocate_options_free(o);
    sg_store_close(s);
}

/* --evaluate on the fixture with today's plan: the unassigned lane and
 * household, double assignments, the unknown id, the imbalance. */
static void test_evaluate(void **state)
{
    (void)state;
    sg_store *s = fixture("alloc-eval.sqlite", 1);
    char *roads_before = sg_test_sql_rows(
        sg_store_path(s), "SELECT road_id, cleaner_id FROM roads ORDER BY 1");
    sg_allocate_options *o = sg_allocate_options_new();
    sg_allocate_options_set_evaluate(ctx, o, 1);
    sg_allocate_result *r = NULL;
    assert_sg_status(ctx, sg_allocate(ctx, s, o, &r), SG_OK);
    assert_true(r->evaluate);
    /* the lane L1 is assigned to nobody; V2 ("C2;C9") to two cleaners,
     * one of them (C9) not the village's; h00 to nobody, h01 ("C1,C2")
     * to two */
    assert_true(fabs(r->unassigned_road_m - LANE_M) < 1e-6);
    assert_true(fabs(r->double_road_m - 1000) < 1e-6);
    assert_int_equal(r->unassigned_households, 1);
    assert_int_equal(r->double_households, 1);
    assert_int_equal(r->unknown_cleaners, 1);
    assert_string_equal(
        sg_test_sql_text(sg_store_path(s),
                         "SELECT road_id || ' ' || round(length_m, 6) FROM "
                         "unassigned_roads"),
        "L1 84.852814");
    assert_true(fabs(q(s, "SELECT ST_Length(geom) FROM unassigned_roads") -
                     LANE_M) < 1e-6);
    assert_string_equal(sg_test_sql_text(sg_store_path(s),
                                         "SELECT household_id FROM "
                                         "unassigned_households"),
                        "h00");
    /* imbalance over A's cleaners C1, C2 and C9 (independently: mixed
     * weights from the plan) */
    const sg_allocate_village *a = &r->villages[0];
    assert_string_equal(a->code, A_CODE);
    assert_int_equal(a->cleaners, 3);
    /* roads: C1 has H1, V1 (village, 0.75/km) and H2 (county, 1.0/km);
     * C2 has H3, V3 and V2 (township: 0.75/km); C9 has V2. Households:
     * h02..h11 by H1 and h12..h23 by H2 are C1's, h24..h35 by H3 C2's,
     * h01 is both's: C1 23, C2 13 */
    double c1 = 0.75 + 0.75 + 1.0 + 23.0 / 300;
    double c2 = 0.75 + 0.75 + 0.75 + 13.0 / 300;
    double c9 = 0.75;
    double mean = (c1 + c2 + c9) / 3;
    assert_true(fabs(a->max_mean - fmax(c1, c2) / mean) < 1e-9);
    assert_true(fabs(a->min_mean - c9 / mean) < 1e-9);
    assert_true(fabs(q(s, "SELECT workload FROM current_workloads WHERE "
                          "cleaner_id = 'C9'") -
                     c9) < 1e-9);
    assert_int_equal((int)q(s, "SELECT known FROM current_workloads WHERE "
                               "cleaner_id = 'C9'"),
                     0);
    /* nothing else changed: no allocation layers, same cleaner_ids */
    assert_int_equal((int)q(s, "SELECT count(*) FROM sg_layers WHERE name = "
                               "'cleaner_roads'"),
                     0);
    char *roads_after = sg_test_sql_rows(
        sg_store_path(s), "SELECT road_id, cleaner_id FROM roads ORDER BY 1");
    assert_string_equal(roads_before, roads_after);
    free(roads_before);
    free(roads_after);
    sg_allocate_result_free(r);
    sg_allocate_options_free(o);
    sg_store_close(s);
}

/* A progress callback that cancels at once. */
static int cancel_cb(double complete, const char *msg, void *user)
{
    (void)complete;
    (void)msg;
    (void)user;
    return 0;
}

/* Progress seen by a callback: never backwards, ends at 1. */
typedef struct prog {
    double last;
    int calls, backwards;
} prog;

/* A progress callback that records \p complete. */
static int record_cb(double complete, const char *msg, void *user)
{
    (void)msg;
    prog *p = user;
    if (complete < p->last - 1e-12)
        p->backwards++;
    p->last = complete;
    p->calls++;
    return 1;
}

/* Progress over a whole run (both villages, two threads) only goes
 * forward and ends at 1; the default options work (NULL). */
static void test_progress(void **state)
{
    (void)state;
    sg_store *s = fixture("alloc-progress.sqlite", 0);
    prog p = {0, 0, 0};
    sg_allocate_result *r = NULL;
    sg_ctx_set_progress(ctx, record_cb, &p);
    assert_sg_status(ctx, sg_allocate(ctx, s, NULL, &r), SG_OK);
    sg_ctx_set_progress(ctx, NULL, NULL);
    assert_true(p.calls > 2);
    assert_int_equal(p.backwards, 0);
    assert_true(fabs(p.last - 1.0) < 1e-12);
    assert_int_equal(r->nvillages, 2);
    sg_allocate_result_free(r);
    sg_store_close(s);
}

/* Failures: a bad measure, an unknown division, a cancel (store
 * unchanged), a read-only store. */
static void test_errors(void **state)
{
    (void)state;
    sg_store *s = fixture("alloc-errors.sqlite", 0);
    sg_allocate_options *o = sg_allocate_options_new();
    sg_allocate_result *r = NULL;
    sg_balance b = SG_BALANCE_ROAD;
    assert_sg_status(ctx, sg_balance_from_string(ctx, "weight", &b),
                     SG_ERR_USAGE);
    assert_contains(sg_ctx_errmsg(ctx), "'weight'");
    assert_int_equal(b, SG_BALANCE_ROAD); /* unchanged */
    assert_null(sg_balance_to_string((sg_balance)9));
    assert_sg_status(ctx,
                     sg_allocate_options_set_balance(ctx, o, (sg_balance)9),
                     SG_ERR_USAGE);
    /* setters refuse what they cannot take instead of clamping it */
    assert_sg_status(ctx, sg_allocate_options_set_cleaners(ctx, o, -2),
                     SG_ERR_USAGE);
    assert_contains(sg_ctx_errmsg(ctx), "cleaners");
    assert_contains(sg_ctx_errmsg(ctx), "-2");
    assert_sg_status(ctx, sg_allocate_options_set_piece_m(ctx, o, -5),
                     SG_ERR_USAGE);
    assert_contains(sg_ctx_errmsg(ctx), "-5");
    assert_sg_status(ctx, sg_allocate_options_set_piece_m(ctx, o, NAN),
                     SG_ERR_USAGE);
    assert_sg_status(ctx, sg_allocate_options_set_evaluate(ctx, o, 2),
                     SG_ERR_USAGE);
    assert_sg_status(ctx, sg_allocate_options_set_division(ctx, o, "nowhere"),
                     SG_OK);
    assert_sg_status(ctx, sg_allocate(ctx, s, o, &r), SG_ERR_NOT_FOUND);
    assert_null(r);
    assert_contains(sg_ctx_errmsg(ctx), "nowhere");
    /* a cancel leaves the store as it was */
    assert_sg_status(ctx, sg_allocate_options_set_division(ctx, o, NULL),
                     SG_OK);
    sg_allocate_options_set_cleaners(ctx, o, 2);
    sg_ctx_set_progress(ctx, cancel_cb, NULL);
    assert_sg_status(ctx, sg_allocate(ctx, s, o, &r), SG_ERR_CANCELLED);
    sg_ctx_set_progress(ctx, NULL, NULL);
    assert_null(r);
    assert_int_equal((int)q(s, "SELECT count(*) FROM sg_layers WHERE name = "
                               "'cleaner_roads'"),
                     0);
    const char *path = sg_store_path(s);
    char copy[4096];
    snprintf(copy, sizeof copy, "%s", path);
    sg_store_close(s);
    /* read-only store */
    assert_sg_status(ctx, sg_store_open(ctx, copy, SG_STORE_READONLY, &s),
                     SG_OK);
    assert_sg_status(ctx, sg_allocate(ctx, s, o, &r), SG_ERR_DB_READONLY);
    sg_store_close(s);
    sg_allocate_options_free(o);
    sg_allocate_result_free(NULL);
    sg_allocate_options_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_allocate_village),
        cmocka_unit_test(test_no_existing_cleaners),
        cmocka_unit_test(test_measures),
        cmocka_unit_test(test_counts_and_partial),
        cmocka_unit_test(test_planned_names),
        cmocka_unit_test(test_evaluate),
        cmocka_unit_test(test_progress),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
