/* Tests of sanigrid staffing on a hand-worked fixture (EPSG:4545 metres):
 * village A (1 km square) with two households (400 + 350 residents), a
 * county road 1 km long of which 300 m lie within 100 m of the
 * households, a village road 1 km long far from them, a village road
 * half inside the village, a lane; village B empty. Expected values are
 * worked out by hand in the comments.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

#define FC(features) "{\"type\":\"FeatureCollection\",\"features\":[" features "]}"
#define POLY(props, x0, y0, x1, y1)                                            \
    "{\"type\":\"Feature\",\"properties\":" props ",\"geometry\":{\"type\":"  \
    "\"Polygon\",\"coordinates\":[[[" #x0 "," #y0 "],[" #x1 "," #y0 "],["     \
    #x1 "," #y1 "],[" #x0 "," #y1 "],[" #x0 "," #y0 "]]]}}"
#define PT(props, x, y)                                                        \
    "{\"type\":\"Feature\",\"properties\":" props ",\"geometry\":{\"type\":"  \
    "\"Point\",\"coordinates\":[" #x "," #y "]}}"
#define LINE(props, x0, y0, x1, y1)                                            \
    "{\"type\":\"Feature\",\"properties\":" props ",\"geometry\":{\"type\":"  \
    "\"LineString\",\"coordinates\":[[" #x0 "," #y0 "],[" #x1 "," #y1 "]]}}"

static sg_store *fixture(const char *name)
{
    sg_store *s = sg_test_store_new(ctx, name, 4545);
    import_text(s, "divisions",
                FC(POLY("{\"division_code\":\"450100100201\",\"name\":\"A\","
                        "\"level\":\"admin_village\"}",
                        500000, 3300000, 501000, 3301000) ","
                   POLY("{\"division_code\":\"450100100202\",\"name\":\"B\","
                        "\"level\":\"admin_village\"}",
                        501000, 3300000, 502000, 3301000) ","
                   POLY("{\"division_code\":\"450100100000\",\"name\":\"T\","
                        "\"level\":\"township\"}",
                        500000, 3300000, 502000, 3301000)));
    import_text(s, "households",
                FC(PT("{\"household_id\":\"h1\",\"resident_population\":400,"
                      "\"registered_population\":500}",
                      500100, 3300500) ","
                   PT("{\"household_id\":\"h2\",\"resident_population\":350,"
                      "\"registered_population\":350}",
                      500200, 3300500)));
    import_text(s, "roads",
                FC(LINE("{\"road_id\":\"r1\",\"class\":\"county\"}", 500000,
                        3300500, 501000, 3300500) ","
                   LINE("{\"road_id\":\"r2\",\"class\":\"village\"}", 500800,
                        3300000, 500800, 3301000) ","
                   LINE("{\"road_id\":\"r4\",\"class\":\"village\"}", 500900,
                        3300500, 500900, 3302000) ","
                   LINE("{\"road_id\":\"r5\",\"class\":\"lane\"}", 500600,
                        3300100, 500600, 3300300)));
    import_text(s, "cleaners",
                FC(PT("{\"cleaner_id\":\"c1\",\"division_code\":"
                      "\"450100100201\"}",
                      501500, 3300500) ","
                   PT("{\"cleaner_id\":\"c2\"}", 500500, 3300900)));
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

static void test_rules(void **state)
{
    (void)state;
    sg_store *s = fixture("staffing.sqlite");
    sg_staffing_result r;
    assert_sg_status(ctx, sg_staffing(ctx, s, NULL, &r), SG_OK);
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
    assert_true(fabs(row_value(s, "450100100201", "need_road") - 1.825) <
                1e-6);
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
    assert_int_equal((int)sg_test_sql_number(
                         sg_store_path(s),
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
    sg_staffing_options_set_per_households(o, 1);
    assert_sg_status(ctx, sg_staffing(ctx, s, o, &r), SG_OK);
    assert_string_equal(r.mode, "households");
    assert_int_equal((int)row_value(s, "450100100201", "required"), 4);
    /* one rate for every road: 2.2 km x 2 = 4.4, + 2.5 -> 6.9 -> 7 */
    sg_staffing_options_free(o);
    o = sg_staffing_options_new();
    sg_staffing_options_set_per_road_km(o, 2);
    sg_staffing_options_set_min_per_village(o, 0);
    assert_sg_status(ctx, sg_staffing(ctx, s, o, &r), SG_OK);
    assert_int_equal((int)row_value(s, "450100100201", "required"), 7);
    assert_int_equal((int)row_value(s, "450100100202", "required"), 0);
    /* registered population (500 + 350 = 850 -> 2.8333) + 1.825 -> 5 */
    sg_staffing_options_free(o);
    o = sg_staffing_options_new();
    assert_sg_status(ctx, sg_setting_set(ctx, s, "cleaner.population_basis",
                                         "registered"),
                     SG_OK);
    assert_sg_status(ctx, sg_staffing(ctx, s, o, &r), SG_OK);
    assert_int_equal(r.residents, 850);
    assert_true(fabs(row_value(s, "450100100201", "need_population") -
                     850.0 / 300.0) < 1e-12);
    /* another level: the township as one unit */
    assert_sg_status(ctx, sg_staffing_options_set_level(ctx, o, "township"),
                     SG_OK);
    assert_sg_status(ctx, sg_staffing(ctx, s, o, &r), SG_OK);
    assert_int_equal(r.villages, 1);
    assert_sg_status(ctx, sg_staffing_options_set_level(ctx, o, "moon"),
                     SG_ERR_USAGE);
    assert_sg_status(ctx, sg_staffing_options_set_level(ctx, o, "group"),
                     SG_OK);
    assert_sg_status(ctx, sg_staffing(ctx, s, o, &r), SG_ERR_INPUT);
    sg_staffing_options_free(o);
    sg_store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rules),
        cmocka_unit_test(test_options),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
