/* Tests of sanigrid staffing on a hand-worked fixture (EPSG:4545 metres):
 * village A (1 km square) with two households (400 + 350 residents), a
 * county road 1 km long of which 300 m lie within 100 m of the
 * households, a village road 1 km long far from them, a village road
 * half inside the village, a lane; village B empty. Expected values are
 * worked out by hand in the comments.
 * The settlement cover (road length outside the household buffers,
 * staffing_int.h) is checked against SpatiaLite's ST_Difference of the
 * road and ST_Union of ST_Buffer, on pseudo-random and edge cases.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/staffing/staffing_int.h"
#include "helpers.h"

static sg_ctx *ctx;

static int setup(void **state)
{
    (void)state;
    sg_library_init();
    ctx = sg_ctx_new();
    return ctx ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    sg_ctx_free(ctx);
    sg_library_shutdown();
    return 0;
}

/* Import GeoJSON \p text (coordinates in EPSG:4545) into \p layer. */
static void import_text(sg_store *s, const char *layer, const char *text)
{
    char name[64];
    snprintf(name, sizeof name, "staffing-%s.geojson", layer);
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

#define FC(features)                                                           \
    "{\"type\":\"FeatureCollection\",\"features\":[" features "]}"
#define POLY(props, x0, y0, x1, y1)                                            \
    "{\"type\":\"Feature\",\"properties\":" props ",\"geometry\":{\"type\":"   \
    "\"Polygon\",\"coordinates\":[[[" #x0 "," #y0 "],[" #x1 "," #y0 "],[" #x1  \
    "," #y1 "],[" #x0 "," #y1 "],[" #x0 "," #y0 "]]]}}"
#define PT(props, x, y)                                                        \
    "{\"type\":\"Feature\",\"properties\":" props ",\"geometry\":{\"type\":"   \
    "\"Point\",\"coordinates\":[" #x "," #y "]}}"
#define LINE(props, x0, y0, x1, y1)                                            \
    "{\"type\":\"Feature\",\"properties\":" props ",\"geometry\":{\"type\":"   \
    "\"LineString\",\"coordinates\":[[" #x0 "," #y0 "],[" #x1 "," #y1 "]]}}"

static sg_store *fixture(const char *name)
{
    sg_store *s = sg_test_store_new(ctx, name, 4545);
    import_text(
        s, "divisions",
        FC(POLY("{\"division_code\":\"450100100201\",\"name\":\"A\","
                "\"level\":\"admin_village\"}",
                500000, 3300000, 501000,
                3301000) "," POLY("{\"division_code\":\"450100100202\","
                                  "\"name\":\"B\","
                                  "\"level\":\"admin_village\"}",
                                  501000, 3300000, 502000,
                                  3301000) "," POLY("{\"division_code\":"
                                                    "\"450100100000\",\"name\":"
                                                    "\"T\","
                                                    "\"level\":\"township\"}",
                                                    500000, 3300000, 502000,
                                                    3301000)));
    import_text(s, "households",
                FC(PT("{\"household_id\":\"h1\",\"resident_population\":400,"
                      "\"registered_population\":500}",
                      500100, 3300500) "," PT("{\"household_id\":\"h2\","
                                              "\"resident_population\":350,"
                                              "\"registered_population\":350}",
                                              500200, 3300500)));
    import_text(
        s, "roads",
        FC(LINE(
            "{\"road_id\":\"r1\",\"class\":\"county\"}", 500000, 3300500,
            501000,
            3300500) "," LINE("{\"road_id\":\"r2\",\"class\":\"village\"}",
                              500800, 3300000, 500800,
                              3301000) "," LINE("{\"road_id\":\"r4\",\"class\":"
                                                "\"village\"}",
                                                500900, 3300500, 500900,
                                                3302000) "," LINE("{\"road_"
                                                                  "id\":\"r5\","
                                                                  "\"class\":"
                                                                  "\"lane\"}",
                                                                  500600,
                                                                  3300100,
                                                                  500600,
                                                                  3300300)));
    import_text(s, "cleaners",
                FC(PT("{\"cleaner_id\":\"c1\",\"division_code\":"
                      "\"450100100201\"}",
                      501500, 3300500) "," PT("{\"cleaner_id\":\"c2\"}", 500500,
                                              3300900)));
    return s;
}

/* Read one number of the staffing row of village \p code. */
static double row_value(sg_store *s, const char *code, const char *col)
{
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT %s FROM staffing WHERE division_code = '%s'", col, code);
    return sg_test_sql_number(sg_store_path(s), sql);
}

/* Run sg_staffing() into \p r, a copy of the result on the heap (its
 * mode kept in a static buffer), which is freed; checks that a result
 * comes with SG_OK alone and that its mode is never NULL. */
static sg_status staff(sg_store *s, const sg_staffing_options *o,
                       sg_staffing_result *r)
{
    static char mode[16];
    sg_staffing_result *p = (sg_staffing_result *)&p; /* set by the call */
    sg_status st = sg_staffing(ctx, s, o, &p);
    memset(r, 0, sizeof *r);
    if (st != SG_OK) {
        assert_null(p);
        return st;
    }
    assert_non_null(p);
    assert_non_null(p->mode);
    snprintf(mode, sizeof mode, "%s", p->mode);
    *r = *p;
    r->mode = mode;
    sg_staffing_result_free(p);
    return st;
}

static void test_rules(void **state)
{
    (void)state;
    sg_store *s = fixture("staffing.sqlite");
    sg_staffing_result r;
    assert_sg_status(ctx, staff(s, NULL, &r), SG_OK);
    /* village A: population need 750 / 300 = 2.5; county road r1 outside
     * the settlement (x 500300..501000) = 0.7 km x 1.0 = 0.7; village
     * roads outside: r2 1.0 km + r4 0.5 km (inside A) = 1.5 km x 0.75 =
     * 1.125; the lane carries none: 2.5 + 0.7 + 1.125 = 4.325 -> 5.
     * c1 is coded to A although it stands in B; c2 has no code and
     * stands in A: current 2, shortfall 3. Village B: nothing but its
     * minimum 1; r1 does not reach it; shortfall 1. */
    assert_int_equal(r.villages, 2);
    assert_int_equal(r.residents, 750);
    assert_int_equal(r.households, 2);
    assert_int_equal(r.required, 6);
    assert_int_equal(r.current, 2);
    assert_int_equal(r.shortfall, 4);
    assert_int_equal(r.villages_short, 2);
    assert_true(fabs(r.road_km - (1.0 + 1.0 + 0.5 + 0.2)) < 1e-9);
    assert_true(fabs(r.road_km_outside - (0.7 + 1.5)) < 1e-6);
    assert_true(fabs(row_value(s, "450100100201", "need_population") - 2.5) <
                1e-12);
    assert_true(fabs(row_value(s, "450100100201", "need_road") - 1.825) < 1e-6);
    assert_int_equal((int)row_value(s, "450100100201", "required"), 5);
    assert_int_equal((int)row_value(s, "450100100201", "current"), 2);
    assert_int_equal((int)row_value(s, "450100100201", "shortfall"), 3);
    assert_true(fabs(row_value(s, "450100100201", "road_km_major") - 1.0) <
                1e-9);
    assert_true(fabs(row_value(s, "450100100201", "road_km_lane") - 0.2) <
                1e-9);
    assert_int_equal((int)row_value(s, "450100100202", "required"), 1);
    assert_int_equal((int)row_value(s, "450100100202", "shortfall"), 1);
    /* the layer carries the village polygons (for the staffing map) */
    assert_true(fabs(sg_test_sql_number(sg_store_path(s),
                                        "SELECT sum(ST_Area(geom)) FROM "
                                        "staffing") -
                     2e6) < 1e-3);
    assert_int_equal(
        (int)sg_test_sql_number(sg_store_path(s),
                                "SELECT count(*) FROM runs WHERE command = "
                                "'staffing'"),
        1);
    sg_store_close(s);
}

static void test_options(void **state)
{
    (void)state;
    sg_store *s = fixture("staffing-opts.sqlite");
    sg_staffing_options *o = sg_staffing_options_new();
    sg_staffing_result r;
    /* households mode, 1 per household: 2 + 1.825 = 3.825 -> 4 in A */
    assert_sg_status(ctx, sg_staffing_options_set_per_households(ctx, o, 1),
                     SG_OK);
    assert_sg_status(ctx, staff(s, o, &r), SG_OK);
    assert_string_equal(r.mode, "households");
    assert_int_equal((int)row_value(s, "450100100201", "required"), 4);
    /* one rate for every road: 2.2 km x 2 = 4.4, + 2.5 -> 6.9 -> 7 */
    sg_staffing_options_free(o);
    o = sg_staffing_options_new();
    assert_sg_status(ctx, sg_staffing_options_set_per_road_km(ctx, o, 2),
                     SG_OK);
    assert_sg_status(ctx, sg_staffing_options_set_min_per_village(ctx, o, 0),
                     SG_OK);
    assert_sg_status(ctx, staff(s, o, &r), SG_OK);
    assert_int_equal((int)row_value(s, "450100100201", "required"), 7);
    assert_int_equal((int)row_value(s, "450100100202", "required"), 0);
    /* --per-road-km 0 switches the road rule off (issue 14: refused
     * before): A needs its population share only, 2.5 -> 3 */
    assert_sg_status(ctx, sg_staffing_options_set_per_road_km(ctx, o, 0),
                     SG_OK);
    /* a bad value is refused, naming it, and changes nothing (issue 18:
     * no silent clamping or resetting to the setting) */
    assert_sg_status(ctx, sg_staffing_options_set_per_road_km(ctx, o, -1),
                     SG_ERR_USAGE);
    assert_non_null(strstr(sg_ctx_errmsg(ctx), "not -1"));
    assert_sg_status(ctx, sg_staffing_options_set_per_road_km(ctx, o, NAN),
                     SG_ERR_USAGE);
    assert_sg_status(ctx, sg_staffing_options_set_per_residents(ctx, o, 0),
                     SG_ERR_USAGE);
    assert_non_null(strstr(sg_ctx_errmsg(ctx), "residents per cleaner"));
    assert_sg_status(ctx, sg_staffing_options_set_per_households(ctx, o, -3),
                     SG_ERR_USAGE);
    assert_sg_status(ctx, sg_staffing_options_set_min_per_village(ctx, o, -1),
                     SG_ERR_USAGE);
    assert_sg_status(ctx, staff(s, o, &r), SG_OK);
    assert_true(r.per_road_km_major == 0 && r.per_road_km_village == 0);
    assert_true(row_value(s, "450100100201", "need_road") == 0);
    assert_int_equal((int)row_value(s, "450100100201", "required"), 3);
    /* registered population (500 + 350 = 850 -> 2.8333) + 1.825 -> 5 */
    sg_staffing_options_free(o);
    o = sg_staffing_options_new();
    assert_sg_status(
        ctx, sg_setting_set(ctx, s, "cleaner.population_basis", "registered"),
        SG_OK);
    assert_sg_status(ctx, staff(s, o, &r), SG_OK);
    assert_int_equal(r.residents, 850);
    assert_true(fabs(row_value(s, "450100100201", "need_population") -
                     850.0 / 300.0) < 1e-12);
    /* another level: the township as one unit */
    assert_sg_status(ctx, sg_staffing_options_set_level(ctx, o, "township"),
                     SG_OK);
    assert_sg_status(ctx, staff(s, o, &r), SG_OK);
    assert_int_equal(r.villages, 1);
    assert_sg_status(ctx, sg_staffing_options_set_level(ctx, o, "moon"),
                     SG_ERR_USAGE);
    assert_sg_status(ctx, sg_staffing_options_set_level(ctx, o, "group"),
                     SG_OK);
    assert_sg_status(ctx, staff(s, o, &r), SG_ERR_INPUT);
    sg_staffing_options_free(o);
    sg_store_close(s);
}

/* A deterministic pseudo-random number in [0, 1) (LCG; the test must
 * not depend on the C library's rand()). */
static double lcg(unsigned long long *state)
{
    *state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)(*state >> 11) / 9007199254740992.0;
}

/* Append "x y" to \p buf at \p *n (with ", " before all but the first). */
static void put_xy(char *buf, size_t cap, size_t *n, int first, double x,
                   double y)
{
    int k =
        snprintf(buf + *n, cap - *n, "%s%.17g %.17g", first ? "" : ", ", x, y);
    assert_true(k > 0 && (size_t)k < cap - *n);
    *n += (size_t)k;
}

/* Length of WKT \p wkt outside the union of the 100 m buffers (8
 * quadrant segments) of the \p n points, by SpatiaLite on \p db. */
static double sql_outside(const char *db, const char *wkt, const double *px,
                          const double *py, size_t n)
{
    size_t cap = 64 * n + 4096, len = 0;
    char *sql = malloc(cap);
    assert_non_null(sql);
    int k = snprintf(sql, cap,
                     "SELECT ST_Length(ST_Difference(GeomFromText('%s'), "
                     "(SELECT ST_Union(ST_Buffer(MakePoint(column1, column2), "
                     "100, 8)) FROM (VALUES ",
                     wkt);
    len = (size_t)k;
    for (size_t i = 0; i < n; i++) {
        k = snprintf(sql + len, cap - len, "%s(%.17g, %.17g)", i ? ", " : "",
                     px[i], py[i]);
        len += (size_t)k;
    }
    snprintf(sql + len, cap - len, "))))");
    double v = sg_test_sql_number(db, sql);
    free(sql);
    return v;
}

static void test_settle_cover(void **state)
{
    (void)state;
    sg_store *st = sg_test_store_new(ctx, "staffing-cover.sqlite", 4545);
    const char *db = sg_store_path(st);
    GEOSContextHandle_t h = ctx->geom;
    sg__settle_shape shape;
    assert_sg_status(ctx, sg__settle_shape_init(ctx, &shape, 100, 8), SG_OK);
    assert_int_equal(shape.n, 32);
    assert_true(fabs(shape.reach - 100) < 1e-9);
    /* households: 40 pseudo-random in a 1 km square, plus two 200 m
     * apart on y = 3300500 (buffers touching at one vertex) */
    enum { NH = 42, NR = 40 };
    double px[NH], py[NH];
    unsigned long long seed = 4545;
    const double X0 = 500000, Y0 = 3300000;
    for (int i = 0; i < NH - 2; i++) {
        px[i] = X0 + 1000 * lcg(&seed);
        py[i] = Y0 + 1000 * lcg(&seed);
    }
    px[NH - 2] = X0 + 1300;
    py[NH - 2] = Y0 + 500;
    px[NH - 1] = X0 + 1500;
    py[NH - 1] = Y0 + 500;
    sg__settle cover;
    assert_sg_status(ctx, sg__settle_init(ctx, &cover, &shape, px, py, NH),
                     SG_OK);
    for (int r = 0; r < NR; r++) {
        char wkt[1024];
        size_t n = 0;
        if (r < NR - 5) { /* a random line of 2 to 5 vertices */
            n = (size_t)snprintf(wkt, sizeof wkt, "LINESTRING(");
            int nv = 2 + (int)(4 * lcg(&seed));
            for (int v = 0; v < nv; v++)
                put_xy(wkt, sizeof wkt, &n, v == 0,
                       X0 - 200 + 1400 * lcg(&seed),
                       Y0 - 200 + 1400 * lcg(&seed));
            snprintf(wkt + n, sizeof wkt - n, ")");
        } else if (r == NR - 5) { /* through both touching buffers */
            snprintf(wkt, sizeof wkt, "LINESTRING(%.17g %.17g, %.17g %.17g)",
                     X0 + 1100, Y0 + 500, X0 + 1700, Y0 + 500);
        } else if (r == NR - 4) { /* far from every household */
            snprintf(wkt, sizeof wkt,
                     "LINESTRING(%.17g %.17g, %.17g %.17g, %.17g %.17g)",
                     X0 + 3000, Y0, X0 + 3100, Y0 + 50, X0 + 3333, Y0 + 777);
        } else if (r == NR - 3) { /* wholly inside one buffer */
            snprintf(wkt, sizeof wkt, "LINESTRING(%.17g %.17g, %.17g %.17g)",
                     px[0] - 30, py[0] - 20, px[0] + 40, py[0] + 10);
        } else if (r == NR - 2) { /* parts, as an intersection gives */
            snprintf(wkt, sizeof wkt,
                     "MULTILINESTRING((%.17g %.17g, %.17g %.17g), "
                     "(%.17g %.17g, %.17g %.17g))",
                     X0, Y0, X0 + 1000, Y0 + 1000, X0 + 1000, Y0, X0 + 400,
                     Y0 + 900);
        } else {
            snprintf(wkt, sizeof wkt,
                     "GEOMETRYCOLLECTION(POINT(%.17g %.17g), "
                     "LINESTRING(%.17g %.17g, %.17g %.17g))",
                     X0, Y0, X0 + 10, Y0 + 990, X0 + 990, Y0 + 10);
        }
        GEOSWKTReader *rd = GEOSWKTReader_create_r(h);
        GEOSGeometry *g = GEOSWKTReader_read_r(h, rd, wkt);
        GEOSWKTReader_destroy_r(h, rd);
        assert_non_null(g);
        double got = -1, total = 0;
        assert_sg_status(ctx, sg__settle_outside_length(ctx, &cover, g, &got),
                         SG_OK);
        GEOSLength_r(h, g, &total);
        GEOSGeom_destroy_r(h, g);
        double want = sql_outside(db, wkt, px, py, NH);
        if (fabs(got - want) > 1e-6)
            fail_msg("road %d: %.9f m outside, SpatiaLite %.9f m (%s)", r, got,
                     want, wkt);
        if (r == NR - 4)
            assert_true(got == total); /* exactly the whole length */
        if (r == NR - 3)
            assert_true(got == 0);
    }
    sg__settle_cleanup(&cover);
    /* no households, or no buffer: every metre is outside */
    sg__settle none;
    assert_sg_status(ctx, sg__settle_init(ctx, &none, &shape, px, py, 0),
                     SG_OK);
    GEOSWKTReader *rd = GEOSWKTReader_create_r(h);
    GEOSGeometry *g = GEOSWKTReader_read_r(h, rd, "LINESTRING(0 0, 3 4)");
    GEOSWKTReader_destroy_r(h, rd);
    double got = 0;
    assert_sg_status(ctx, sg__settle_outside_length(ctx, &none, g, &got),
                     SG_OK);
    assert_true(got == 5);
    sg__settle_cleanup(&none);
    sg__settle_shape_cleanup(&shape);
    assert_sg_status(ctx, sg__settle_shape_init(ctx, &shape, 0, 8), SG_OK);
    assert_int_equal(shape.n, 0);
    assert_sg_status(ctx, sg__settle_init(ctx, &none, &shape, px, py, NH),
                     SG_OK);
    assert_sg_status(ctx, sg__settle_outside_length(ctx, &none, g, &got),
                     SG_OK);
    assert_true(got == 5);
    sg__settle_cleanup(&none);
    sg__settle_shape_cleanup(&shape);
    GEOSGeom_destroy_r(h, g);
    sg_store_close(st);
}

/* A settlement is made by any household, not only the village's own
 * (issue 14): village A's village road r1 runs along y = 3300500 from
 * x 500500 to the boundary with B at 501000 (0.5 km, all in A); A's own
 * household hA (x 500100) is 400 m from its start, but hB, a household
 * of village B at x 501050, is within 100 m of its last 50 m
 * (x 500950..501000; the buffer polygon has a vertex on the road's line,
 * so the cut is exact). Road outside settlements in A: 0.5 - 0.05 =
 * 0.45 km (the village's own households only would give 0.5 km); road
 * need 0.45 x 0.75 = 0.3375. B has no road. */
static void test_neighbour_settlement(void **state)
{
    (void)state;
    sg_store *s = sg_test_store_new(ctx, "staffing-neighbour.sqlite", 4545);
    import_text(s, "divisions",
                FC(POLY("{\"division_code\":\"450100100201\",\"name\":\"A\","
                        "\"level\":\"admin_village\"}",
                        500000, 3300000, 501000,
                        3301000) "," POLY("{\"division_code\":\"450100100202\","
                                          "\"name\":\"B\","
                                          "\"level\":\"admin_village\"}",
                                          501000, 3300000, 502000, 3301000)));
    import_text(s, "households",
                FC(PT("{\"household_id\":\"hA\",\"resident_population\":300}",
                      500100, 3300500) "," PT("{\"household_id\":\"hB\","
                                              "\"resident_population\":300}",
                                              501050, 3300500)));
    import_text(s, "roads",
                FC(LINE("{\"road_id\":\"r1\",\"class\":\"village\"}", 500500,
                        3300500, 501000, 3300500)));
    sg_staffing_result r;
    assert_sg_status(ctx, staff(s, NULL, &r), SG_OK);
    assert_true(fabs(row_value(s, "450100100201", "road_km_village") - 0.5) <
                1e-9);
    assert_true(fabs(row_value(s, "450100100201", "road_km_outside_village") -
                     0.45) < 1e-6);
    assert_true(fabs(row_value(s, "450100100201", "need_road") - 0.3375) <
                1e-6);
    assert_true(fabs(row_value(s, "450100100202", "road_km_outside_village")) <
                1e-12);
    assert_true(fabs(r.road_km_outside - 0.45) < 1e-6);
    sg_store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rules),
        cmocka_unit_test(test_options),
        cmocka_unit_test(test_settle_cover),
        cmocka_unit_test(test_neighbour_settlement),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
