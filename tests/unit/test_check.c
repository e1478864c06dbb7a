/* Unit tests of sg_check (src/analysis/check/check.c): gaps, overlaps and
 * slivers of hand-made grids with known answers, hierarchy and code
 * findings, grid leaders, households outside / in several grids / on a
 * shared edge, the --level option, re-runs, the error paths, the demo
 * data's documented gap and overlap, and a county-sized tessellation.
 * Fixtures are GeoJSON text in metres (CGCS2000 GK CM 108, EPSG:4545,
 * local origin x=500000, y=3300000) imported with sg_import; expected
 * values are worked out by hand (or by the shoelace formula here) and
 * checked again with SpatiaLite SQL on the store file.
 * Not for: the CLI's output (tests/cli/check.sh).
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "helpers.h"

#define X0 500000.0
#define Y0 3300000.0

/* The division and grid codes of the fixtures (DOMAIN.md grid.id_format:
 * 12-digit village code + 3-digit sequence). */
#define D1 "610101100201"
#define D2 "610101100202"
#define G1 D1 "001"
#define G2 D1 "002"

static sg_ctx *ctx;

/* Fail at the caller's line unless |a - b| <= tol (in double precision;
 * cmocka's assert_float_equal works in float). */
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

static int group_setup(void **state)
{
    (void)state;
    sg_library_init();
    ctx = sg_ctx_new();
    return ctx ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
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

/* A polygon feature with properties \p props (JSON object text) and the
 * ring \p xy (npts points in local metres; the ring is closed here). */
static void fc_poly(fc *f, const char *props, const double *xy, size_t npts)
{
    fc_cat(f,
           "%s{\"type\":\"Feature\",\"properties\":%s,\"geometry\":"
           "{\"type\":\"Polygon\",\"coordinates\":[[",
           f->features++ ? ",\n" : "", props);
    for (size_t i = 0; i <= npts; i++) {
        size_t k = i % npts;
        fc_cat(f, "%s[%.17g,%.17g]", i ? "," : "", X0 + xy[2 * k],
               Y0 + xy[2 * k + 1]);
    }
    fc_cat(f, "]]}}");
}

/* A rectangle [x0,x1] x [y0,y1] (local metres). */
static void fc_rect(fc *f, const char *props, double x0, double y0, double x1,
                    double y1)
{
    const double xy[] = {x0, y0, x1, y0, x1, y1, x0, y1};
    fc_poly(f, props, xy, 4);
}

/* A point feature at local (x, y). */
static void fc_point(fc *f, const char *props, double x, double y)
{
    fc_cat(f,
           "%s{\"type\":\"Feature\",\"properties\":%s,\"geometry\":"
           "{\"type\":\"Point\",\"coordinates\":[%.17g,%.17g]}}",
           f->features++ ? ",\n" : "", props, X0 + x, Y0 + y);
}

/* Write \p f to a file and import it into \p layer of \p s in EPSG:4545;
 * every feature must be imported. Frees the text. */
static void fc_import(sg_store *s, const char *layer, fc *f)
{
    static int seq;
    char name[64];
    fc_cat(f, "\n]}\n");
    snprintf(name, sizeof name, "check-%s-%d.geojson", layer, ++seq);
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
    assert_int_equal(r->repaired, 0);
    sg_import_result_free(r);
    sg_import_options_free(o);
}

/* Properties of a division. Static buffer (rotating among 4). */
static const char *div_props(const char *code)
{
    static char bufs[4][256];
    static int k;
    char *b = bufs[k++ & 3];
    snprintf(b, 256, "{\"division_code\":\"%s\",\"level\":\"admin_village\"}",
             code);
    return b;
}

/* Properties of a grid; NULL strings become JSON null. Static buffer
 * (rotating among 4). */
static const char *grid_props(const char *code, int level, const char *parent,
                              const char *division, const char *leader)
{
    static char bufs[4][512];
    static int k;
    char *b = bufs[k++ & 3];
    char p[64] = "null", d[64] = "null", l[64] = "null";
    if (parent)
        snprintf(p, sizeof p, "\"%s\"", parent);
    if (division)
        snprintf(d, sizeof d, "\"%s\"", division);
    if (leader)
        snprintf(l, sizeof l, "\"%s\"", leader);
    snprintf(b, 512,
             "{\"grid_code\":\"%s\",\"level\":%d,\"parent_code\":%s,"
             "\"division_code\":%s,\"grid_leader\":%s}",
             code, level, p, d, l);
    return b;
}

/* Properties of a household. Static buffer. */
static const char *hh_props(const char *id)
{
    static char b[128];
    snprintf(b, sizeof b, "{\"household_id\":\"%s\",\"resident_population\":1}",
             id);
    return b;
}

/* One division D1 = [0,200] x [0,100] in a new store \p name. */
static sg_store *store_with_d1(const char *name)
{
    sg_store *s = sg_test_store_new(ctx, name, 4545);
    fc f;
    fc_begin(&f);
    fc_rect(&f, div_props(D1), 0, 0, 200, 100);
    fc_import(s, "divisions", &f);
    return s;
}

/* Two level-1 grids of D1: G1 = [0,100] x [0,100] and G2 = [x2,200] x
 * [0,100]. */
static void two_grids(sg_store *s, double x2)
{
    fc f;
    fc_begin(&f);
    fc_rect(&f, grid_props(G1, 1, NULL, D1, "张"), 0, 0, 100, 100);
    fc_rect(&f, grid_props(G2, 1, NULL, D1, "李"), x2, 0, 200, 100);
    fc_import(s, "grids", &f);
}

/* Run the check; fails the test unless it succeeds. Caller owns the
 * result. */
static sg_check_result *run(sg_store *s, int level, double sliver)
{
    sg_check_options *o = sg_check_options_new();
    assert_non_null(o);
    assert_sg_status(ctx, sg_check_options_set_level(ctx, o, level), SG_OK);
    assert_sg_status(ctx, sg_check_options_set_sliver_m2(ctx, o, sliver),
                     SG_OK);
    sg_check_result *r = NULL;
    assert_sg_status(ctx, sg_check(ctx, s, o, &r), SG_OK);
    assert_non_null(r);
    sg_check_options_free(o);
    return r;
}

/* One number from SQL on the store file (independent connection). */
static double num(sg_store *s, const char *sql)
{
    return sg_test_sql_number(sg_store_path(s), sql);
}

/* One text from SQL on the store file. */
static const char *text(sg_store *s, const char *sql)
{
    return sg_test_sql_text(sg_store_path(s), sql);
}

/* The total of findings other than the ones a test expects is zero. */
static void assert_no_hierarchy_or_owner_findings(const sg_check_level *l)
{
    assert_int_equal(l->hierarchy_errors, 0);
    assert_int_equal(l->duplicate_codes, 0);
    assert_int_equal(l->bad_codes, 0);
    assert_int_equal(l->grids_without_leader, 0);
}

/* ---- gaps, overlaps, slivers -------------------------------------------- */

/* Two grids sharing an edge exactly: no gap, no overlap, no sliver, not
 * even where the shared edge is slanted and one side has an extra vertex
 * that lies on it only up to rounding (x = 110, y = 100/3). */
static void test_shared_edge_is_clean(void **state)
{
    (void)state;
    sg_store *s = store_with_d1("check-shared.sqlite");
    fc f;
    fc_begin(&f);
    const double a[] = {0, 0, 100, 0, 130, 100, 0, 100};
    const double b[] = {100, 0, 200, 0, 200, 100, 130, 100, 110, 100.0 / 3};
    fc_poly(&f, grid_props(G1, 1, NULL, D1, "张"), a, 4);
    fc_poly(&f, grid_props(G2, 1, NULL, D1, "李"), b, 5);
    fc_import(s, "grids", &f);
    sg_check_result *r = run(s, 0, 1.0);
    assert_int_equal(r->nlevels, 1);
    const sg_check_level *l = &r->levels[0];
    assert_int_equal(l->level, 1);
    assert_int_equal(l->grids, 2);
    assert_int_equal(l->gaps, 0);
    assert_int_equal(l->overlaps, 0);
    assert_int_equal(l->slivers, 0);
    assert_no_hierarchy_or_owner_findings(l);
    assert_int_equal(r->issues, 0);
    assert_int_equal(r->total.gaps + r->total.overlaps + r->total.slivers, 0);
    /* the layers exist and are empty */
    assert_int_equal((int)num(s, "SELECT count(*) FROM grid_gaps"), 0);
    assert_int_equal((int)num(s, "SELECT count(*) FROM grid_overlaps"), 0);
    assert_int_equal((int)num(s, "SELECT count(*) FROM grid_issues"), 0);
    /* SpatiaLite agrees: the two grids share no area */
    assert_true(num(s,
                    "SELECT ST_Area(ST_Intersection(a.geom, b.geom)) FROM "
                    "grids a, grids b WHERE a.fid = 1 AND b.fid = 2") < 1e-6);
    sg_check_result_free(r);
    sg_store_close(s);
}

/* A 0.3 m wide, 100 m long strip between two grids is one 30 m2 gap. */
static void test_gap_strip_03m(void **state)
{
    (void)state;
    sg_store *s = store_with_d1("check-gap.sqlite");
    two_grids(s, 100.3);
    sg_check_result *r = run(s, 0, 1.0);
    const sg_check_level *l = &r->levels[0];
    assert_int_equal(l->gaps, 1);
    assert_near(l->gaps_area_m2, 30.0, 0.01);
    assert_int_equal(l->overlaps, 0);
    assert_int_equal(l->slivers, 0);
    assert_no_hierarchy_or_owner_findings(l);
    assert_int_equal(r->total.gaps, 1);
    assert_string_equal(text(s, "SELECT grid_codes FROM grid_gaps"), G1 "," G2);
    assert_string_equal(text(s, "SELECT division_codes FROM grid_gaps"), D1);
    assert_int_equal((int)num(s, "SELECT level FROM grid_gaps"), 1);
    assert_near(num(s, "SELECT area_m2 FROM grid_gaps"), 30.0, 0.01);
    /* the layer's polygon, measured by SpatiaLite */
    assert_near(num(s, "SELECT ST_Area(geom) FROM grid_gaps"), 30.0, 0.01);
    /* and the gap computed independently with SpatiaLite */
    assert_near(num(s,
                    "SELECT ST_Area(ST_Difference((SELECT ST_Union(geom) FROM "
                    "divisions), (SELECT ST_Union(geom) FROM grids)))"),
                num(s, "SELECT sum(area_m2) FROM grid_gaps"), 0.01);
    assert_string_equal(text(s, "SELECT kind || '|' || codes FROM grid_issues"),
                        "gap|" G1 "," G2);
    assert_near(num(s, "SELECT value FROM grid_issues"), 30.0, 0.01);
    sg_check_result_free(r);

    /* with slivers up to 50 m2 the same strip is a sliver, not a gap */
    r = run(s, 0, 50.0);
    l = &r->levels[0];
    assert_int_equal(l->gaps, 0);
    assert_int_equal(l->slivers, 1);
    assert_near(l->slivers_area_m2, 30.0, 0.01);
    assert_int_equal((int)num(s, "SELECT count(*) FROM grid_gaps"), 0);
    assert_string_equal(text(s, "SELECT kind FROM grid_issues"), "sliver");
    sg_check_result_free(r);
    sg_store_close(s);
}

/* A 0.5 m2 gap (5 mm x 100 m) is a sliver, not a gap. */
static void test_tiny_sliver(void **state)
{
    (void)state;
    sg_store *s = store_with_d1("check-sliver.sqlite");
    two_grids(s, 100.005);
    sg_check_result *r = run(s, 0, 1.0);
    const sg_check_level *l = &r->levels[0];
    assert_int_equal(l->gaps, 0);
    assert_near(l->gaps_area_m2, 0.0, 1e-9);
    assert_int_equal(l->overlaps, 0);
    assert_int_equal(l->slivers, 1);
    assert_near(l->slivers_area_m2, 0.5, 0.01);
    assert_int_equal((int)num(s, "SELECT count(*) FROM grid_gaps"), 0);
    assert_string_equal(text(s, "SELECT kind || '|' || codes FROM grid_issues"),
                        "sliver|" G1 "," G2);
    assert_contains(text(s, "SELECT detail FROM grid_issues"), "gap sliver");
    sg_check_result_free(r);
    sg_store_close(s);
}

/* An overlap 2 m x 50 m: G2 reaches into G1 by a notch. */
static void test_overlap_2x50(void **state)
{
    (void)state;
    sg_store *s = store_with_d1("check-overlap.sqlite");
    fc f;
    fc_begin(&f);
    const double b[] = {98, 0, 200, 0, 200, 100, 100, 100, 100, 50, 98, 50};
    fc_rect(&f, grid_props(G1, 1, NULL, D1, "张"), 0, 0, 100, 100);
    fc_poly(&f, grid_props(G2, 1, NULL, D1, "李"), b, 6);
    fc_import(s, "grids", &f);
    sg_check_result *r = run(s, 0, 1.0);
    const sg_check_level *l = &r->levels[0];
    assert_int_equal(l->overlaps, 1);
    assert_near(l->overlaps_area_m2, 100.0, 0.01);
    assert_int_equal(l->gaps, 0);
    assert_int_equal(l->slivers, 0);
    assert_no_hierarchy_or_owner_findings(l);
    assert_string_equal(text(s, "SELECT grid_codes FROM grid_overlaps"),
                        G1 "," G2);
    assert_string_equal(text(s, "SELECT division_codes FROM grid_overlaps"),
                        D1);
    assert_near(num(s, "SELECT ST_Area(geom) FROM grid_overlaps"), 100.0, 0.01);
    /* SpatiaLite's own intersection of the two grids */
    assert_near(num(s, "SELECT ST_Area(ST_Intersection(a.geom, b.geom)) "
                       "FROM grids a, grids b WHERE a.fid = 1 AND "
                       "b.fid = 2"),
                num(s, "SELECT area_m2 FROM grid_overlaps"), 0.01);
    assert_string_equal(text(s, "SELECT kind || '|' || codes FROM grid_issues"),
                        "overlap|" G1 "," G2);
    sg_check_result_free(r);
    sg_store_close(s);
}

/* Overlaps of three grids: one connected piece is counted once and
 * carries every grid it lies in; a second, separate piece is another. */
static void test_overlap_pieces_counted_once(void **state)
{
    (void)state;
    sg_store *s = store_with_d1("check-overlap3.sqlite");
    fc f;
    fc_begin(&f);
    /* G1 [0,100], G2 [90,200]: overlap [90,100] x [0,100] (1000 m2);
     * G3 [95,105] x [40,60] lies across that strip (overlap with G1
     * [95,100] x [40,60], with G2 [95,105] x [40,60]): one piece of
     * 1000 + 5 x 20 = 1100 m2 in G1, G2, G3. A separate 10 x 10 overlap:
     * G4 [150,160] x [80,90] inside G2 (100 m2). */
    fc_rect(&f, grid_props(G1, 1, NULL, D1, "a"), 0, 0, 100, 100);
    fc_rect(&f, grid_props(G2, 1, NULL, D1, "b"), 90, 0, 200, 100);
    fc_rect(&f, grid_props(D1 "003", 1, NULL, D1, "c"), 95, 40, 105, 60);
    fc_rect(&f, grid_props(D1 "004", 1, NULL, D1, "d"), 150, 80, 160, 90);
    fc_import(s, "grids", &f);
    sg_check_result *r = run(s, 0, 1.0);
    const sg_check_level *l = &r->levels[0];
    assert_int_equal(l->overlaps, 2);
    assert_near(l->overlaps_area_m2, 1200.0, 0.01);
    assert_int_equal(l->gaps, 0);
    char *rows = sg_test_sql_rows(sg_store_path(s),
                                  "SELECT round(area_m2, 2), grid_codes FROM "
                                  "grid_overlaps ORDER BY area_m2");
    assert_string_equal(rows, "100.0|" G2 "," D1 "004\n"
                              "1100.0|" G1 "," G2 "," D1 "003\n");
    free(rows);
    sg_check_result_free(r);
    sg_store_close(s);
}

/* A gap across the boundary of two divisions is one piece carrying both
 * division codes. */
static void test_gap_across_two_divisions(void **state)
{
    (void)state;
    sg_store *s = sg_test_store_new(ctx, "check-gap2div.sqlite", 4545);
    fc f;
    fc_begin(&f);
    fc_rect(&f, div_props(D1), 0, 0, 100, 100);
    fc_rect(&f, div_props(D2), 100, 0, 200, 100);
    fc_import(s, "divisions", &f);
    /* each grid misses a 10 x 20 notch at the shared boundary: together
     * the square [90,110] x [40,60] (400 m2) */
    const double a[] = {0,  0,  100, 0,  100, 40,  90, 40,
                        90, 60, 100, 60, 100, 100, 0,  100};
    const double b[] = {100, 0,  200, 0,  200, 100, 100, 100,
                        100, 60, 110, 60, 110, 40,  100, 40};
    fc_begin(&f);
    fc_poly(&f, grid_props(G1, 1, NULL, D1, "张"), a, 8);
    fc_poly(&f, grid_props(D2 "001", 1, NULL, D2, "李"), b, 8);
    fc_import(s, "grids", &f);
    sg_check_result *r = run(s, 0, 1.0);
    const sg_check_level *l = &r->levels[0];
    assert_int_equal(l->gaps, 1);
    assert_near(l->gaps_area_m2, 400.0, 0.01);
    assert_int_equal(l->overlaps, 0);
    assert_int_equal(l->slivers, 0);
    assert_no_hierarchy_or_owner_findings(l);
    assert_string_equal(text(s, "SELECT division_codes FROM grid_gaps"),
                        D1 "," D2);
    assert_string_equal(text(s, "SELECT grid_codes FROM grid_gaps"),
                        G1 "," D2 "001");
    assert_int_equal((int)num(s, "SELECT count(*) FROM grid_issues WHERE "
                                 "kind = 'gap'"),
                     1);
    sg_check_result_free(r);
    sg_store_close(s);
}

/* ---- hierarchy, codes, leaders ------------------------------------------ */

/* Level 1: A (D1) reaches 0.5 m2 into D2, within the tolerance (and
 * overlaps B there: an overlap sliver); B (D2) sticks out of D2 by 500 m2.
 * Level 2 under A, division inherited from A: two grids sharing one code,
 * one reaching 999.75 m2 out of A (1000 m2 out of D1), one whose parent
 * does not exist (and so names no division). */
static sg_store *hierarchy_store(const char *name)
{
    sg_store *s = sg_test_store_new(ctx, name, 4545);
    fc f;
    fc_begin(&f);
    fc_rect(&f, div_props(D1), 0, 0, 100, 100);
    fc_rect(&f, div_props(D2), 100, 0, 200, 100);
    fc_import(s, "divisions", &f);
    fc_begin(&f);
    fc_rect(&f, grid_props(G1, 1, NULL, D1, "a"), 0, 0, 100.005, 100);
    fc_rect(&f, grid_props(D2 "001", 1, NULL, D2, "b"), 100, 0, 205, 100);
    fc_rect(&f, grid_props(G1 "01", 2, G1, NULL, "c"), 0, 0, 50, 50);
    fc_rect(&f, grid_props(G1 "01", 2, G1, NULL, "d"), 50, 0, 100, 50);
    fc_rect(&f, grid_props(G1 "02", 2, G1, NULL, "e"), 0, 50, 80, 100);
    fc_rect(&f, grid_props(G1 "03", 2, G1, NULL, "f"), 80, 50, 120, 100);
    fc_rect(&f, grid_props(D1 "99901", 2, D1 "999", NULL, "g"), 300, 0, 310,
            10);
    fc_import(s, "grids", &f);
    return s;
}

static void test_hierarchy(void **state)
{
    (void)state;
    sg_store *s = hierarchy_store("check-hier.sqlite");
    sg_check_result *r = run(s, 0, 1.0);
    assert_int_equal(r->nlevels, 2);
    const sg_check_level *l1 = &r->levels[0], *l2 = &r->levels[1];
    assert_int_equal(l1->level, 1);
    assert_int_equal(l1->grids, 2);
    assert_int_equal(l1->hierarchy_errors, 1);
    assert_int_equal(l1->gaps, 0);
    assert_int_equal(l1->overlaps, 0);
    assert_int_equal(l1->slivers, 1);
    assert_near(l1->slivers_area_m2, 0.5, 0.01);
    assert_int_equal(l1->bad_codes, 0);
    assert_int_equal(l2->level, 2);
    assert_int_equal(l2->grids, 5);
    /* duplicate code, not within parent, not within division, missing
     * parent, no division */
    assert_int_equal(l2->hierarchy_errors, 5);
    assert_int_equal(l2->duplicate_codes, 1);
    assert_int_equal(l2->gaps, 0);
    assert_int_equal(l2->overlaps, 0);
    assert_int_equal(r->total.hierarchy_errors, 6);
    const char *p = sg_store_path(s);
    char *rows = sg_test_sql_rows(
        p, "SELECT level, kind, codes, round(value, 2) FROM grid_issues "
           "WHERE kind NOT IN ('sliver', 'household_outside') "
           "ORDER BY level, kind, codes");
    assert_string_equal(rows, "1|not_within_division|" D2 "001," D2 "|500.0\n"
                              "2|duplicate_code|" G1 "01|2.0\n"
                              "2|missing_parent|" D1 "99901|\n"
                              "2|not_within_division|" G1 "03," D1 "|1000.0\n"
                              "2|not_within_division|" D1 "99901|\n"
                              "2|not_within_parent|" G1 "03," G1 "|999.75\n");
    free(rows);
    assert_contains(text(s, "SELECT detail FROM grid_issues WHERE kind = "
                            "'missing_parent'"),
                    "parent grid " D1 "999 does not exist");
    assert_contains(text(s, "SELECT detail FROM grid_issues WHERE kind = "
                            "'duplicate_code'"),
                    "used by 2 grids");
    /* the tolerance is the sliver size: at 600 m2 only the 999.75 and
     * 1000 m2 findings remain */
    sg_check_result_free(r);
    r = run(s, 0, 600.0);
    assert_int_equal(r->levels[0].hierarchy_errors, 0);
    assert_int_equal(r->levels[1].hierarchy_errors, 5);
    sg_check_result_free(r);
    r = run(s, 0, 1001.0);
    assert_int_equal(r->levels[1].hierarchy_errors, 3);
    sg_check_result_free(r);
    sg_store_close(s);
}

/* Codes off the scheme and grids without a leader. */
static void test_codes_and_leaders(void **state)
{
    (void)state;
    sg_store *s = sg_test_store_new(ctx, "check-codes.sqlite", 4545);
    fc f;
    fc_begin(&f);
    fc_rect(&f, div_props(D1), 0, 0, 400, 100);
    fc_import(s, "divisions", &f);
    fc_begin(&f);
    fc_rect(&f, grid_props(G1, 1, NULL, D1, "a"), 0, 0, 100, 100);
    fc_rect(&f, grid_props(D1 "00A", 1, NULL, D1, NULL), 100, 0, 200, 100);
    fc_rect(&f, grid_props(D1 "02", 1, NULL, D1, "c"), 200, 0, 300, 100);
    fc_rect(&f, grid_props("610101100299003", 1, NULL, D1, NULL), 300, 0, 400,
            100);
    fc_rect(&f, grid_props(G1 "001", 2, G1, NULL, "e"), 0, 0, 100, 100);
    fc_rect(&f, grid_props(G1 "01", 2, G1, NULL, "f"), 0, 0, 0.5, 0.5);
    fc_import(s, "grids", &f);
    sg_check_result *r = run(s, 0, 1.0);
    assert_int_equal(r->nlevels, 2);
    assert_int_equal(r->levels[0].bad_codes, 3);
    assert_int_equal(r->levels[0].grids_without_leader, 2);
    assert_int_equal(r->levels[0].hierarchy_errors, 0);
    assert_int_equal(r->levels[0].gaps + r->levels[0].overlaps, 0);
    assert_int_equal(r->levels[1].bad_codes, 1);
    assert_int_equal(r->levels[1].grids_without_leader, 0);
    /* the 0.5 m x 0.5 m micro-grid overlaps its neighbour by 0.25 m2: a
     * sliver */
    assert_int_equal(r->levels[1].overlaps, 0);
    assert_int_equal(r->levels[1].slivers, 1);
    assert_int_equal(r->total.bad_codes, 4);
    char *rows = sg_test_sql_rows(sg_store_path(s),
                                  "SELECT level, kind, codes FROM grid_issues "
                                  "WHERE kind IN ('bad_code', 'no_leader') "
                                  "ORDER BY level, kind, codes");
    assert_string_equal(rows, "1|bad_code|" D1 "00A\n"
                              "1|bad_code|" D1 "02\n"
                              "1|bad_code|610101100299003\n"
                              "1|no_leader|" D1 "00A\n"
                              "1|no_leader|610101100299003\n"
                              "2|bad_code|" G1 "001\n");
    free(rows);
    assert_contains(text(s, "SELECT detail FROM grid_issues WHERE codes = '" D1
                            "00A' AND kind = 'bad_code'"),
                    "not all digits");
    assert_contains(text(s, "SELECT detail FROM grid_issues WHERE codes = '" D1
                            "02' AND kind = 'bad_code'"),
                    "14 characters, level 1 wants 15");
    assert_contains(text(s, "SELECT detail FROM grid_issues WHERE codes = "
                            "'610101100299003' AND kind = 'bad_code'"),
                    "does not start with its division code " D1);
    assert_contains(text(s, "SELECT detail FROM grid_issues WHERE codes = '" G1
                            "001' AND kind = 'bad_code'"),
                    "18 characters, level 2 wants 17");
    sg_check_result_free(r);
    sg_store_close(s);
}

/* ---- households -----------------------------------------------------------
 */

/* G1 [0,100] x [0,100], G2 [100,200] x [0,100], G3 [150,250] x [0,20]
 * (overlapping G2). H1 inside G1; H2 exactly on the G1/G2 edge; H3 in no
 * grid, 30 m from G3's corner (250, 20); H4 inside G2 and G3; H5 on the
 * outer corner (0, 0) of G1. */
static void test_households(void **state)
{
    (void)state;
    sg_store *s = sg_test_store_new(ctx, "check-hh.sqlite", 4545);
    fc f;
    fc_begin(&f);
    fc_rect(&f, div_props(D1), 0, 0, 200, 100);
    fc_import(s, "divisions", &f);
    fc_begin(&f);
    fc_rect(&f, grid_props(G1, 1, NULL, D1, "a"), 0, 0, 100, 100);
    fc_rect(&f, grid_props(G2, 1, NULL, D1, "b"), 100, 0, 200, 100);
    fc_rect(&f, grid_props(D1 "003", 1, NULL, D1, "c"), 150, 0, 250, 20);
    fc_import(s, "grids", &f);
    fc_begin(&f);
    fc_point(&f, hh_props("H1"), 50, 50);
    fc_point(&f, hh_props("H2"), 100, 50);
    fc_point(&f, hh_props("H3"), 250, 50);
    fc_point(&f, hh_props("H4"), 175, 10);
    fc_point(&f, hh_props("H5"), 0, 0);
    fc_import(s, "households", &f);
    /* the edge household really is on both grids' boundary */
    assert_int_equal((int)num(s, "SELECT count(*) FROM grids g, households h "
                                 "WHERE h.household_id = 'H2' AND "
                                 "ST_Touches(g.geom, h.geom)"),
                     2);
    sg_check_result *r = run(s, 0, 1.0);
    const sg_check_level *l = &r->levels[0];
    assert_int_equal(l->households_outside_grids, 1);
    assert_int_equal(l->households_in_several_grids, 1);
    assert_int_equal(r->total.households_outside_grids, 1);
    assert_int_equal(r->total.households_in_several_grids, 1);
    char *rows = sg_test_sql_rows(sg_store_path(s),
                                  "SELECT kind, codes, round(value, 3) FROM "
                                  "grid_issues WHERE kind LIKE 'household%' "
                                  "ORDER BY kind");
    assert_string_equal(rows, "household_in_several|H4," G2 "," D1 "003|2.0\n"
                              "household_outside|H3|30.0\n");
    free(rows);
    assert_contains(text(s, "SELECT detail FROM grid_issues WHERE kind = "
                            "'household_outside'"),
                    "nearest " D1 "003 at 30.0 m");
    /* nothing about H1, H2 or H5 */
    assert_int_equal((int)num(s, "SELECT count(*) FROM grid_issues WHERE "
                                 "codes LIKE 'H1%' OR codes LIKE 'H2%' OR "
                                 "codes LIKE 'H5%'"),
                     0);
    sg_check_result_free(r);
    sg_store_close(s);
}

/* ---- options, re-runs, runs table ---------------------------------------- */

static void test_level_option_and_rerun(void **state)
{
    (void)state;
    sg_store *s = hierarchy_store("check-level.sqlite");
    sg_check_result *r = run(s, 2, 1.0);
    assert_int_equal(r->nlevels, 1);
    assert_int_equal(r->levels[0].level, 2);
    assert_int_equal(r->levels[0].grids, 5);
    assert_int_equal(r->total.grids, 5);
    assert_int_equal(r->total.level, 0);
    long long issues = r->issues;
    sg_check_result_free(r);
    assert_int_equal((int)num(s, "SELECT count(*) FROM grid_issues WHERE "
                                 "level <> 2"),
                     0);
    assert_int_equal((long long)num(s, "SELECT count(*) FROM grid_issues"),
                     issues);
    /* a second run replaces the results instead of adding to them */
    r = run(s, 2, 1.0);
    assert_int_equal(r->issues, issues);
    sg_check_result_free(r);
    assert_int_equal((long long)num(s, "SELECT count(*) FROM grid_issues"),
                     issues);
    /* a level without grids: an entry with zero grids, no findings */
    r = run(s, 3, 1.0);
    assert_int_equal(r->nlevels, 1);
    assert_int_equal(r->levels[0].level, 3);
    assert_int_equal(r->levels[0].grids, 0);
    assert_int_equal(r->issues, 0);
    sg_check_result_free(r);
    /* every run is recorded with its parameters and counts */
    assert_int_equal((int)num(s, "SELECT count(*) FROM runs WHERE command = "
                                 "'check'"),
                     3);
    assert_int_equal((int)num(s, "SELECT json_extract(params, '$.level') "
                                 "FROM runs WHERE command = 'check' ORDER "
                                 "BY run_id LIMIT 1"),
                     2);
    assert_int_equal((int)num(s, "SELECT json_extract(counts, "
                                 "'$.hierarchy_errors') FROM runs WHERE "
                                 "command = 'check' ORDER BY run_id LIMIT "
                                 "1"),
                     5);
    /* the result layers are registered as results */
    assert_int_equal((int)num(s, "SELECT count(*) FROM sg_layers WHERE kind "
                                 "= 'result' AND name IN ('grid_gaps', "
                                 "'grid_overlaps', 'grid_issues')"),
                     3);
    sg_store_close(s);
}

/* Progress callback that cancels at the first call after \p user calls. */
static int cancel_cb(double complete, const char *msg, void *user)
{
    (void)complete;
    (void)msg;
    int *left = user;
    return (*left)-- > 0;
}

static void test_errors(void **state)
{
    (void)state;
    sg_check_options *o = sg_check_options_new();
    sg_check_result *r = NULL;
    /* a store without a working CRS has no grids to check */
    sg_store *s = sg_test_store_new(ctx, "check-nocrs.sqlite", 0);
    assert_sg_status(ctx, sg_check(ctx, s, o, &r), SG_ERR_INPUT);
    assert_null(r);
    sg_store_close(s);

    s = store_with_d1("check-err.sqlite");
    two_grids(s, 100.3);
    const char *path = sg_store_path(s);
    char p[4096];
    snprintf(p, sizeof p, "%s", path);
    /* the setters refuse a bad value, naming it, and keep the option
     * as it was (no clamping): the options still run */
    assert_sg_status(ctx, sg_check_options_set_level(ctx, o, 4), SG_ERR_USAGE);
    assert_contains(sg_ctx_errmsg(ctx), "level");
    assert_contains(sg_ctx_errmsg(ctx), "not 4");
    assert_sg_status(ctx, sg_check_options_set_level(ctx, o, -1), SG_ERR_USAGE);
    assert_sg_status(ctx, sg_check_options_set_sliver_m2(ctx, o, -1),
                     SG_ERR_USAGE);
    assert_contains(sg_ctx_errmsg(ctx), "not -1");
    assert_sg_status(ctx, sg_check_options_set_sliver_m2(ctx, o, NAN),
                     SG_ERR_USAGE);
    assert_sg_status(ctx, sg_check_options_set_tolerance_m(ctx, o, 10.5),
                     SG_ERR_USAGE);
    assert_contains(sg_ctx_errmsg(ctx), "tolerance");
    assert_sg_status(ctx, sg_check_options_set_tolerance_m(ctx, o, -0.1),
                     SG_ERR_USAGE);
    assert_sg_status(ctx, sg_check_options_set_tolerance_m(ctx, o, 10), SG_OK);
    assert_sg_status(
        ctx, sg_check_options_set_tolerance_m(ctx, o, SG_CHECK_TOLERANCE_M),
        SG_OK);
    /* (the runs below, which get to their cancellation, show the
     * refused values left the options valid) */
    assert_sg_status(ctx, sg_check(ctx, s, NULL, NULL), SG_ERR_USAGE);

    /* cancelled half-way: nothing written, not even the empty layers */
    for (int calls = 0; calls < 6; calls++) {
        int left = calls;
        sg_ctx_set_progress(ctx, cancel_cb, &left);
        assert_sg_status(ctx, sg_check(ctx, s, o, &r), SG_ERR_CANCELLED);
        assert_null(r);
        sg_ctx_set_progress(ctx, NULL, NULL);
        assert_int_equal((int)sg_test_sql_number(
                             p, "SELECT count(*) FROM sg_layers WHERE name "
                                "LIKE 'grid\\_%' ESCAPE '\\' AND kind = "
                                "'result'"),
                         0);
        assert_int_equal((int)sg_test_sql_number(
                             p, "SELECT count(*) FROM runs WHERE command = "
                                "'check'"),
                         0);
    }
    sg_store_close(s);

    /* a read-only store */
    assert_sg_status(ctx, sg_store_open(ctx, p, SG_STORE_READONLY, &s), SG_OK);
    assert_sg_status(ctx, sg_check(ctx, s, o, &r), SG_ERR_DB_READONLY);
    assert_null(r);
    sg_store_close(s);
    sg_check_options_free(o);
    sg_check_result_free(NULL);
    sg_check_options_free(NULL);
}

/* ---- the demo data --------------------------------------------------------
 */

/* data/demo (see its README): one 45 233 m2 gap in Eschen between
 * 999001100202004 and 999001100202002, a 44 515 m2 overlap of
 * 999001100201001 and 999001100201002 in Gamprin, 10 households in no
 * grid, 7 in both overlapping grids, 2 grids without a leader. */
static void test_demo_data(void **state)
{
    (void)state;
    sg_store *s = sg_test_store_new(ctx, "check-demo.sqlite", 0);
    static const char *const layers[] = {"divisions", "grids", "households"};
    for (size_t i = 0; i < 3; i++) {
        char src[4096];
        snprintf(src, sizeof src, "%s/data/demo/%s.geojson",
                 sg_test_source_dir(), layers[i]);
        sg_import_result *ir = NULL;
        assert_sg_status(ctx, sg_import(ctx, s, layers[i], src, NULL, &ir),
                         SG_OK);
        assert_int_equal(ir->rejected, 0);
        sg_import_result_free(ir);
    }
    sg_check_result *r = run(s, 0, 1.0);
    assert_int_equal(r->nlevels, 1);
    const sg_check_level *l = &r->levels[0];
    assert_int_equal(l->grids, 15);
    assert_int_equal(l->gaps, 1);
    assert_near(l->gaps_area_m2, 45233.0, 1.0);
    assert_true(l->overlaps >= 1);
    assert_near(l->overlaps_area_m2, 44515.0, 1.0);
    assert_int_equal(l->hierarchy_errors, 0);
    assert_int_equal(l->bad_codes, 0);
    assert_int_equal(l->grids_without_leader, 2);
    assert_int_equal(l->households_outside_grids, 10);
    assert_int_equal(l->households_in_several_grids, 7);

    /* independent SpatiaLite figures on the same store */
    double gap_sql =
        num(s, "SELECT ST_Area(ST_Difference((SELECT ST_Union(geom) FROM "
               "divisions WHERE division_code IN (SELECT division_code FROM "
               "grids)), (SELECT ST_Union(geom) FROM grids)))");
    assert_near(num(s, "SELECT sum(area_m2) FROM grid_gaps"), gap_sql, 0.01);
    assert_near(num(s, "SELECT sum(ST_Area(geom)) FROM grid_gaps"), gap_sql,
                0.01);
    /* no three grids overlap, so the pairwise intersections add up to the
     * overlap area */
    double ovl_sql = num(
        s, "SELECT sum(ST_Area(ST_Intersection(a.geom, b.geom))) FROM grids "
           "a, grids b WHERE a.fid < b.fid AND ST_Intersects(a.geom, "
           "b.geom)");
    assert_near(num(s, "SELECT sum(area_m2) FROM grid_overlaps"), ovl_sql,
                0.01);
    assert_near(num(s, "SELECT sum(ST_Area(geom)) FROM grid_overlaps"), ovl_sql,
                0.01);

    /* the documented grids */
    assert_string_equal(text(s, "SELECT division_codes FROM grid_gaps"),
                        "999001100202");
    const char *gc = text(s, "SELECT grid_codes FROM grid_gaps");
    assert_contains(gc, "999001100202002");
    assert_contains(gc, "999001100202004");
    assert_int_equal((int)num(s, "SELECT count(*) FROM grid_overlaps WHERE "
                                 "grid_codes <> '999001100201001,"
                                 "999001100201002' OR division_codes <> "
                                 "'999001100201'"),
                     0);
    assert_string_equal(
        text(s, "SELECT group_concat(codes, ' ') FROM (SELECT codes FROM "
                "grid_issues WHERE kind = 'household_outside' ORDER BY "
                "codes)"),
        "H00581 H00582 H00590 H00593 H00596 H00600 H00601 H00621 H00622 "
        "H00635");
    assert_string_equal(
        text(s, "SELECT group_concat(substr(codes, 1, 6), ' ') FROM (SELECT "
                "codes FROM grid_issues WHERE kind = 'household_in_several' "
                "ORDER BY codes)"),
        "H00322 H00327 H00337 H00360 H00367 H00414 H00454");
    assert_int_equal((int)num(s, "SELECT count(*) FROM grid_issues WHERE "
                                 "kind = 'household_in_several' AND codes "
                                 "NOT LIKE '%,999001100201001,"
                                 "999001100201002'"),
                     0);
    assert_string_equal(
        text(s, "SELECT group_concat(codes, ' ') FROM (SELECT codes FROM "
                "grid_issues WHERE kind = 'no_leader' ORDER BY codes)"),
        "999001100203002 999001100205002");
    /* SpatiaLite agrees on the households */
    assert_int_equal((int)num(s, "SELECT count(*) FROM households h WHERE "
                                 "NOT EXISTS (SELECT 1 FROM grids g WHERE "
                                 "ST_Intersects(g.geom, h.geom))"),
                     10);
    sg_check_result_free(r);
    sg_store_close(s);
}

/* ---- a county-sized tessellation ----------------------------------------- */

/* A deterministic pseudo-random number in [0, 1) (LCG; test data only). */
static double rnd(unsigned long long *state)
{
    *state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)(*state >> 11) / 9007199254740992.0;
}

/* Twice the signed area of a ring (shoelace formula). */
static double shoelace(const double *xy, size_t n)
{
    double a = 0;
    for (size_t i = 0; i < n; i++) {
        size_t j = (i + 1) % n;
        a += xy[2 * i] * xy[2 * j + 1] - xy[2 * j] * xy[2 * i + 1];
    }
    return a;
}

#define NV 6  /* villages per side */
#define NC 10 /* grid cells per village side */
#define CELL 40.0

/* A jittered lattice: NV x NV villages of NC x NC quadrilateral grids
 * (3600 grids) with exactly shared edges at arbitrary angles; one grid is
 * left out (a gap of known area); 20 000 households inside plus 25
 * outside. Must take seconds. */
static void test_many_grids(void **state)
{
    (void)state;
    const int n = NV * NC; /* lattice cells per side */
    double *px = malloc(sizeof(double) * (size_t)((n + 1) * (n + 1)));
    double *py = malloc(sizeof(double) * (size_t)((n + 1) * (n + 1)));
    assert_non_null(px);
    assert_non_null(py);
    unsigned long long seed = 42;
    for (int j = 0; j <= n; j++)
        for (int i = 0; i <= n; i++) {
            double jx = 0, jy = 0;
            /* village boundaries stay straight: no jitter across them */
            if (i % NC)
                jx = (rnd(&seed) - 0.5) * 0.5 * CELL;
            if (j % NC)
                jy = (rnd(&seed) - 0.5) * 0.5 * CELL;
            px[j * (n + 1) + i] = i * CELL + jx;
            py[j * (n + 1) + i] = j * CELL + jy;
        }
    sg_store *s = sg_test_store_new(ctx, "check-many.sqlite", 4545);
    fc f;
    fc_begin(&f);
    char code[32];
    for (int v = 0; v < NV * NV; v++) {
        snprintf(code, sizeof code, "6101011002%02d", v);
        double x0 = (v % NV) * NC * CELL, y0 = (v / NV) * NC * CELL;
        fc_rect(&f, div_props(code), x0, y0, x0 + NC * CELL, y0 + NC * CELL);
    }
    fc_import(s, "divisions", &f);
    fc_begin(&f);
    const int skip_i = 23, skip_j = 37;
    double gap_area = 0;
    for (int j = 0; j < n; j++)
        for (int i = 0; i < n; i++) {
            int a = j * (n + 1) + i, b = a + 1, c = a + n + 2, d = a + n + 1;
            double xy[8] = {px[a], py[a], px[b], py[b],
                            px[c], py[c], px[d], py[d]};
            if (i == skip_i && j == skip_j) {
                gap_area = shoelace(xy, 4) / 2;
                continue;
            }
            int v = (j / NC) * NV + i / NC;
            char gcode[32], dcode[32];
            snprintf(dcode, sizeof dcode, "6101011002%02d", v);
            snprintf(gcode, sizeof gcode, "%s%03d", dcode,
                     (j % NC) * NC + i % NC + 1);
            fc_poly(&f, grid_props(gcode, 1, NULL, dcode, "x"), xy, 4);
        }
    fc_import(s, "grids", &f);
    fc_begin(&f);
    char id[32];
    double side = n * CELL;
    for (int k = 0; k < 20000; k++) {
        snprintf(id, sizeof id, "H%05d", k);
        /* keep clear of the missing cell so that every one is in a grid */
        double x, y;
        do {
            x = 1 + rnd(&seed) * (side - 2);
            y = 1 + rnd(&seed) * (side - 2);
        } while (fabs(x - (skip_i + 0.5) * CELL) < 2 * CELL &&
                 fabs(y - (skip_j + 0.5) * CELL) < 2 * CELL);
        fc_point(&f, hh_props(id), x, y);
    }
    for (int k = 0; k < 25; k++) {
        snprintf(id, sizeof id, "X%02d", k);
        fc_point(&f, hh_props(id), side + 5 + k, -5 - k);
    }
    fc_import(s, "households", &f);
    free(px);
    free(py);

    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    sg_check_result *r = run(s, 0, 1.0);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) +
                  (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9;
    print_message("check of %d grids and 20025 households: %.2f s\n", n * n - 1,
                  secs);
    assert_true(secs < 60.0);
    const sg_check_level *l = &r->levels[0];
    assert_int_equal(l->grids, n * n - 1);
    assert_int_equal(l->gaps, 1);
    assert_near(l->gaps_area_m2, gap_area, 0.01);
    assert_int_equal(l->overlaps, 0);
    assert_int_equal(l->slivers, 0);
    assert_no_hierarchy_or_owner_findings(l);
    assert_int_equal(l->households_outside_grids, 25);
    assert_int_equal(l->households_in_several_grids, 0);
    /* the missing grid's four neighbours (and the four diagonal ones
     * touching its corners) touch the gap */
    assert_int_equal((int)num(s, "SELECT length(grid_codes) - "
                                 "length(replace(grid_codes, ',', '')) + 1 "
                                 "FROM grid_gaps"),
                     8);
    sg_check_result_free(r);
    sg_store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shared_edge_is_clean),
        cmocka_unit_test(test_gap_strip_03m),
        cmocka_unit_test(test_tiny_sliver),
        cmocka_unit_test(test_overlap_2x50),
        cmocka_unit_test(test_overlap_pieces_counted_once),
        cmocka_unit_test(test_gap_across_two_divisions),
        cmocka_unit_test(test_hierarchy),
        cmocka_unit_test(test_codes_and_leaders),
        cmocka_unit_test(test_households),
        cmocka_unit_test(test_level_option_and_rerun),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_demo_data),
        cmocka_unit_test(test_many_grids),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
