/* Tests of sanigrid rank on a hand-worked fixture (EPSG:4545 metres):
 * township T with admin villages A, B, C (1 km squares side by side) and
 * township U with village D. One lane along y = 3300500 with collection
 * points in A and B; households with residents and toilets; cleaners;
 * grids with a gap (C), an overlap (D) and a grid without a leader (B);
 * an inspection sheet mixing whole scores, item-level deductions, unit
 * names and bad rows. Every expected number is worked out in the
 * comments; periods are checked against Python's datetime.isocalendar().
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "analysis/rank/rank_int.h"
#include "sanigrid/rank.h"

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

#define CODE_T "450100100000"
#define CODE_A "450100100201"
#define CODE_B "450100100202"
#define CODE_C "450100100203"
#define CODE_U "450100200000"
#define CODE_D "450100200201"

/* Write \p text to tmpdir/\p name and import it into \p layer (GeoJSON
 * in EPSG:4545, or a table); \return the import result (caller frees). */
static sg_import_result *import_file(sg_store *s, const char *layer,
                                     const char *name, const char *text,
                                     sg_status want)
{
    const char *path = sg_test_path(name);
    sg_test_write_file(path, text);
    sg_import_options *o = sg_import_options_new();
    if (strstr(name, ".geojson"))
        assert_sg_status(
            ctx, sg_import_options_set_src_crs(ctx, o, "EPSG:4545"), SG_OK);
    sg_import_result *r = NULL;
    assert_sg_status(ctx, sg_import(ctx, s, layer, path, o, &r), want);
    sg_import_options_free(o);
    return r;
}

/* Import GeoJSON \p text into \p layer, expecting no rejects. */
static void import_geojson(sg_store *s, const char *layer, const char *text)
{
    char name[64];
    snprintf(name, sizeof name, "rank-%s.geojson", layer);
    sg_import_result *r = import_file(s, layer, name, text, SG_OK);
    assert_int_equal(r->rejected, 0);
    sg_import_result_free(r);
}

/* The fixtures below are laid out by hand as tables. */
/* clang-format off */
/* The inspection sheet, Chinese headers, units by code or by name:
 *  Q4 2026: A 90 + 80 (mean 85); B findings on 11-10 deducting 3 + 2
 *  (one inspection: 100 - 5 = 95) and a finding on grid "B 第1网格"
 *  without a deduction (scoring.deduction_per_finding 1: 99), both in B:
 *  mean (95 + 99) / 2 = 97; C none; D 70 on the quarter's last day;
 *  township T 50 (in no village: counted apart).
 *  Q3 2026: A 70 (its last day), B 100, C 100, D 90.
 *  Rejected: an unknown unit, a name two units share ("C" is village C
 *  and its grid), a row with both a score and a deduction, a negative
 *  deduction. */
static const char sheet[] =
    "日期,村/网格,得分,检查项目,扣分,检查人,备注\n"
    "2026-10-05," CODE_A ",90,,,甲,\n"
    "2026/11/2,A,80,,,甲,\n"
    "2026-11-10,B,,垃圾满溢,3,乙,\n"
    "2026-11-10,B,,杂物堆放,2,乙,\n"
    "2026-11-10,B 第1网格,,散落垃圾,,乙,\n"
    "2026-12-31," CODE_D ",70,,,丙,\n"
    "2026-10-10," CODE_T ",50,,,丙,\n"
    "2026-09-30,A,70,,,甲,\n"
    "2026-07-01," CODE_B ",100,,,甲,\n"
    "2026-08-15," CODE_C ",100,,,甲,\n"
    "2026-09-01,D,90,,,甲,\n"
    "2026-11-11,Nowhere,88,,,甲,\n"
    "2026-11-13,C,77,,,甲,\n"
    "2026-11-12,A,88,,1,甲,\n"
    "2026-11-14,A,,坏数据,-1,甲,\n";

/* The fixture store with coverage, check and staffing run; \p sheet_too
 * also imports the inspections. */
static sg_store *fixture(const char *name, int sheet_too)
{
    sg_store *s = sg_test_store_new(ctx, name, 4545);
    import_geojson(
        s, "divisions",
        FC(POLY("{\"division_code\":\"" CODE_T "\",\"name\":\"T\","
                "\"level\":\"township\"}",
                500000, 3300000, 503000, 3301000) ","
           POLY("{\"division_code\":\"" CODE_A "\",\"name\":\"A\","
                "\"level\":\"admin_village\",\"parent_code\":\"" CODE_T "\"}",
                500000, 3300000, 501000, 3301000) ","
           POLY("{\"division_code\":\"" CODE_B "\",\"name\":\"B\","
                "\"level\":\"admin_village\",\"parent_code\":\"" CODE_T "\"}",
                501000, 3300000, 502000, 3301000) ","
           POLY("{\"division_code\":\"" CODE_C "\",\"name\":\"C\","
                "\"level\":\"admin_village\",\"parent_code\":\"" CODE_T "\"}",
                502000, 3300000, 503000, 3301000) ","
           POLY("{\"division_code\":\"" CODE_U "\",\"name\":\"U\","
                "\"level\":\"township\"}",
                503000, 3300000, 504000, 3301000) ","
           POLY("{\"division_code\":\"" CODE_D "\",\"name\":\"D\","
                "\"level\":\"admin_village\",\"parent_code\":\"" CODE_U "\"}",
                503000, 3300000, 504000, 3301000)));
#define GRID(code, name, div, leader, x0, x1)                                  \
    POLY("{\"grid_code\":\"" code "\",\"name\":\"" name "\",\"level\":1,"    \
         "\"division_code\":\"" div "\",\"grid_leader\":" leader "}",         \
         x0, 3300000, x1, 3301000)
    import_geojson(
        s, "grids",
        FC(GRID(CODE_A "001", "A 第1网格", CODE_A, "\"L1\"", 500000,
                500500) ","
           GRID(CODE_A "002", "A 第2网格", CODE_A, "\"L2\"", 500500,
                501000) ","
           GRID(CODE_B "001", "B 第1网格", CODE_B, "\"L3\"", 501000,
                501500) ","
           GRID(CODE_B "002", "B 第2网格", CODE_B, "null", 501500,
                502000) ","
           GRID(CODE_C "001", "C", CODE_C, "\"L5\"", 502000, 502800) ","
           GRID(CODE_D "001", "D 第1网格", CODE_D, "\"L6\"", 503000,
                503600) ","
           GRID(CODE_D "002", "D 第2网格", CODE_D, "\"L7\"", 503400,
                504000)));
#undef GRID
    import_geojson(s, "roads",
                   FC(LINE("{\"road_id\":\"r1\",\"class\":\"lane\"}", 500000,
                           3300500, 504000, 3300500)));
    import_geojson(
        s, "points",
        FC(PT("{\"point_id\":\"p1\",\"kind\":\"collection_point\"}", 500100,
              3300500) ","
           PT("{\"point_id\":\"p2\",\"kind\":\"collection_point\"}", 501400,
              3300500)));
#define HH(id, res, toilet, x, y)                                              \
    PT("{\"household_id\":\"" id "\",\"resident_population\":" #res          \
       ",\"household_toilet\":" toilet "}",                                  \
       x, y)
    import_geojson(s, "households",
                   FC(HH("h1", 100, "\"sanitary\"", 500150, 3300510) ","
                      HH("h2", 300, "\"unsanitary\"", 500600, 3300510) ","
                      HH("h4", 200, "\"sanitary\"", 501420, 3300510) ","
                      HH("h5", 200, "\"sanitary\"", 501900, 3300510) ","
                      HH("h6", 0, "null", 501700, 3300800) ","
                      HH("h7", 50, "\"none\"", 503500, 3300510)));
#undef HH
#define CL(id, div, x)                                                         \
    PT("{\"cleaner_id\":\"" id "\",\"division_code\":\"" div "\"}", x,       \
       3300700)
    import_geojson(s, "cleaners",
                   FC(CL("c1", CODE_A, 500300) "," CL("c2", CODE_B, 501300) ","
                      CL("c3", CODE_B, 501400) "," CL("c4", CODE_D, 503100) ","
                      CL("c5", CODE_D, 503200)));
#undef CL
    sg_coverage_options *co = sg_coverage_options_new();
    sg_coverage_result *cr = NULL;
    assert_sg_status(ctx, sg_coverage(ctx, s, co, &cr), SG_OK);
    sg_coverage_result_free(cr);
    sg_coverage_options_free(co);
    sg_check_result *kr = NULL;
    assert_sg_status(ctx, sg_check(ctx, s, NULL, &kr), SG_OK);
    sg_check_result_free(kr);
    sg_staffing_result *sr = NULL;
    assert_sg_status(ctx, sg_staffing(ctx, s, NULL, &sr), SG_OK);
    sg_staffing_result_free(sr);
    if (sheet_too) {
        sg_import_result *r =
            import_file(s, "inspections", "rank-sheet.csv", sheet, SG_OK);
        assert_int_equal(r->rejected, 4);
        sg_import_result_free(r);
    }
    return s;
}

/* clang-format on */

/* The unit with \p code in \p r (fails the test if absent). */
static const sg_rank_unit *unit(const sg_rank_result *r, const char *code)
{
    for (size_t i = 0; i < r->nunits; i++)
        if (strcmp(r->units[i].code, code) == 0)
            return &r->units[i];
    fail_msg("no unit %s in the ranking", code);
    return NULL;
}

/* |a - b| < 1e-6, or both NAN. */
static int near(double a, double b)
{
    return (isnan(a) && isnan(b)) || fabs(a - b) < 1e-6;
}

#define assert_near(a, b)                                                      \
    do {                                                                       \
        double a_ = (a), b_ = (b);                                             \
        if (!near(a_, b_))                                                     \
            fail_msg("%s = %.9g, expected %.9g", #a, a_, b_);                  \
    } while (0)

/* Rank with \p o (NULL: defaults) and expect SG_OK. Caller frees. */
static sg_rank_result *rank_ok(sg_store *s, const sg_rank_options *o)
{
    sg_rank_result *r = NULL;
    assert_sg_status(ctx, sg_rank(ctx, s, o, &r), SG_OK);
    assert_non_null(r);
    return r;
}

/* ---- periods ------------------------------------------------------------- */

/* Parse \p text and expect \p label, \p first and \p last. */
static void expect_period(const char *text, const char *label,
                          const char *first, const char *last)
{
    sg_period p;
    if (!sg_period_parse(text, &p))
        fail_msg("period '%s' refused", text);
    assert_string_equal(p.label, label);
    assert_string_equal(p.first, first);
    assert_string_equal(p.last, last);
}

/* The names of the level, the grouping and the tier: every name reads
 * back to itself, the enum values are the documented ones, and a wrong
 * or missing name is a usage error naming the option and value that
 * leaves the output alone. */
static void test_enum_names(void **state)
{
    (void)state;
    static const char *const levels[] = {"admin_village", "natural_village",
                                         "grid"};
    for (int i = 0; i < 3; i++) {
        sg_rank_level l = (sg_rank_level)-1;
        assert_sg_status(ctx, sg_rank_level_from_string(ctx, levels[i], &l),
                         SG_OK);
        assert_int_equal(l, i);
        assert_string_equal(sg_rank_level_to_string(l), levels[i]);
    }
    assert_int_equal(SG_RANK_LEVEL_GRID, 2);
    sg_rank_level l = SG_RANK_LEVEL_GRID;
    assert_sg_status(ctx, sg_rank_level_from_string(ctx, "village", &l),
                     SG_ERR_USAGE);
    assert_contains(sg_ctx_errmsg(ctx), "level 'village'");
    assert_sg_status(ctx, sg_rank_level_from_string(ctx, "Grid", &l),
                     SG_ERR_USAGE);
    assert_sg_status(ctx, sg_rank_level_from_string(ctx, NULL, &l),
                     SG_ERR_USAGE);
    assert_int_equal(l, SG_RANK_LEVEL_GRID);
    assert_null(sg_rank_level_to_string((sg_rank_level)3));
    assert_null(sg_rank_level_to_string((sg_rank_level)-1));

    /* the values of sg_rank_within are the depths of their levels */
    static const struct {
        const char *name;
        sg_rank_within value;
    } within[] = {{"all", SG_RANK_WITHIN_ALL},
                  {"county", SG_RANK_WITHIN_COUNTY},
                  {"township", SG_RANK_WITHIN_TOWNSHIP},
                  {"admin_village", SG_RANK_WITHIN_ADMIN_VILLAGE}};
    for (int i = 0; i < 4; i++) {
        sg_rank_within w = (sg_rank_within)-1;
        assert_sg_status(
            ctx, sg_rank_within_from_string(ctx, within[i].name, &w), SG_OK);
        assert_int_equal(w, within[i].value);
        assert_int_equal(w, i);
        assert_string_equal(sg_rank_within_to_string(w), within[i].name);
    }
    sg_rank_within w = SG_RANK_WITHIN_COUNTY;
    assert_sg_status(ctx, sg_rank_within_from_string(ctx, "group", &w),
                     SG_ERR_USAGE);
    assert_contains(sg_ctx_errmsg(ctx), "--within 'group'");
    assert_sg_status(ctx, sg_rank_within_from_string(ctx, NULL, &w),
                     SG_ERR_USAGE);
    assert_int_equal(w, SG_RANK_WITHIN_COUNTY);
    assert_null(sg_rank_within_to_string((sg_rank_within)4));

    static const char *const tiers[] = {"none", "red", "black"};
    for (int i = 0; i < 3; i++) {
        sg_rank_tier t = (sg_rank_tier)-1;
        assert_sg_status(ctx, sg_rank_tier_from_string(ctx, tiers[i], &t),
                         SG_OK);
        assert_int_equal(t, i);
        assert_string_equal(sg_rank_tier_to_string(t), tiers[i]);
    }
    assert_int_equal(SG_RANK_TIER_RED, 1);
    assert_int_equal(SG_RANK_TIER_BLACK, 2);
    sg_rank_tier t = SG_RANK_TIER_RED;
    assert_sg_status(ctx, sg_rank_tier_from_string(ctx, "white", &t),
                     SG_ERR_USAGE);
    assert_contains(sg_ctx_errmsg(ctx), "'white'");
    assert_sg_status(ctx, sg_rank_tier_from_string(ctx, NULL, &t),
                     SG_ERR_USAGE);
    assert_int_equal(t, SG_RANK_TIER_RED);
    assert_null(sg_rank_tier_to_string((sg_rank_tier)3));
}

static void test_periods(void **state)
{
    (void)state;
    /* ISO weeks (datetime.date.fromisocalendar): 2026 starts on a
     * Thursday, so it has 53 weeks and W01 starts 2025-12-29 */
    expect_period("2026-W48", "2026-W48", "2026-11-23", "2026-11-29");
    expect_period("2026-w01", "2026-W01", "2025-12-29", "2026-01-04");
    expect_period("2026-W53", "2026-W53", "2026-12-28", "2027-01-03");
    expect_period("2020-W53", "2020-W53", "2020-12-28", "2021-01-03");
    expect_period("2021-W01", "2021-W01", "2021-01-04", "2021-01-10");
    expect_period("2026-11", "2026-11", "2026-11-01", "2026-11-30");
    expect_period("2024-02", "2024-02", "2024-02-01", "2024-02-29");
    expect_period("2100-02", "2100-02", "2100-02-01", "2100-02-28");
    expect_period("2026-Q4", "2026-Q4", "2026-10-01", "2026-12-31");
    expect_period("2026-q1", "2026-Q1", "2026-01-01", "2026-03-31");
    static const char *const bad[] = {
        "2025-W53",  "2026-W54", "2026-W00", "2026-W5", "2026-13", "2026-00",
        "2026-Q0",   "2026-Q5",  "2026-1",   "26-11",   "2026/11", "2026-11x",
        "2026-W48x", "",         "0000-01",  "2026-"};
    sg_period p;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (sg_period_parse(bad[i], &p))
            fail_msg("period '%s' accepted as %s", bad[i], p.label);
    assert_int_equal(sg_period_parse(NULL, &p), 0);
    assert_int_equal(p.kind, SG_PERIOD_NONE);
    /* the period before */
    static const char *const prev[][2] = {
        {"2026-W48", "2026-W47"}, {"2026-W01", "2025-W52"},
        {"2027-W01", "2026-W53"}, {"2026-01", "2025-12"},
        {"2026-11", "2026-10"},   {"2026-Q1", "2025-Q4"},
        {"2026-Q4", "2026-Q3"}};
    for (size_t i = 0; i < sizeof prev / sizeof prev[0]; i++) {
        sg_period a, b;
        assert_true(sg_period_parse(prev[i][0], &a));
        sg_period_previous(&a, &b);
        assert_string_equal(b.label, prev[i][1]);
    }
    sg_period none = {0}, out;
    sg_period_previous(&none, &out);
    assert_int_equal(out.kind, SG_PERIOD_NONE);
    /* the period of a day (isocalendar: 2027-01-01 is in 2026-W53,
     * 2024-12-30 in 2025-W01, 2021-01-03 in 2020-W53) */
    static const char *const of[][3] = {
        {"2027-01-01", "w", "2026-W53"}, {"2024-12-30", "w", "2025-W01"},
        {"2021-01-03", "w", "2020-W53"}, {"2026-11-30", "w", "2026-W49"},
        {"2026-11-30", "m", "2026-11"},  {"2026-11-30", "q", "2026-Q4"},
        {"2026-03-31", "q", "2026-Q1"},  {"2026-04-01", "q", "2026-Q2"}};
    for (size_t i = 0; i < sizeof of / sizeof of[0]; i++) {
        int kind = of[i][1][0] == 'w'   ? SG_PERIOD_WEEK
                   : of[i][1][0] == 'm' ? SG_PERIOD_MONTH
                                        : SG_PERIOD_QUARTER;
        assert_true(sg_period_of_date(kind, of[i][0], &p));
        assert_string_equal(p.label, of[i][2]);
    }
    assert_int_equal(sg_period_of_date(SG_PERIOD_MONTH, "2026-02-30", &p), 0);
    assert_int_equal(sg_period_of_date(SG_PERIOD_MONTH, "2026-1-1", &p), 0);
    assert_int_equal(sg_period_of_date(9, "2026-01-01", &p), 0);
    assert_int_equal(sg_period_kind_from_cadence("weekly"), SG_PERIOD_WEEK);
    assert_int_equal(sg_period_kind_from_cadence("monthly"), SG_PERIOD_MONTH);
    assert_int_equal(sg_period_kind_from_cadence("quarterly"),
                     SG_PERIOD_QUARTER);
    assert_int_equal(sg_period_kind_from_cadence("yearly"), SG_PERIOD_NONE);
}

/* ---- option parsers ------------------------------------------------------ */

static void test_weights_parser(void **state)
{
    (void)state;
    sg_rank_options *o = sg_rank_options_new();
    assert_sg_status(ctx, sg_rank_options_set_weights(ctx, o, "inspection=1"),
                     SG_OK);
    assert_near(o->weight[SG_RANK_INSPECTION], 1);
    assert_true(isnan(o->weight[SG_RANK_COVERAGE]));
    assert_sg_status(
        ctx, sg_rank_options_set_weights(ctx, o, " coverage = 0.25 ,trend=2"),
        SG_OK);
    assert_near(o->weight[SG_RANK_COVERAGE], 0.25);
    assert_near(o->weight[SG_RANK_TREND], 2);
    assert_near(o->weight[SG_RANK_INSPECTION], 1);
    static const char *const bad[] = {"",
                                      "coverage",
                                      "coverage=",
                                      "=1",
                                      "coverage=-1",
                                      "coverage=abc",
                                      "foo=1",
                                      "coverage=1,coverage=2",
                                      "coverage=1,",
                                      ",coverage=1",
                                      "coverage=1e400",
                                      "coverage=nan",
                                      "coverage=1;grid=2",
                                      "grid=0x"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_sg_status(ctx, sg_rank_options_set_weights(ctx, o, bad[i]),
                         SG_ERR_USAGE);
        assert_true(strstr(sg_ctx_errmsg(ctx), "--weights") != NULL);
    }
    assert_sg_status(ctx, sg_rank_options_set_weights(ctx, o, NULL),
                     SG_ERR_USAGE);
    /* a refused spec changes nothing, not even its valid part */
    assert_sg_status(ctx, sg_rank_options_set_weights(ctx, o, "grid=3,foo=1"),
                     SG_ERR_USAGE);
    assert_true(isnan(o->weight[SG_RANK_GRID]));
    assert_near(o->weight[SG_RANK_COVERAGE], 0.25);
    sg_rank_options_free(o);
}

static void test_tiers_parser(void **state)
{
    (void)state;
    sg_rank_options *o = sg_rank_options_new();
    assert_sg_status(
        ctx,
        sg_rank_options_set_tiers(ctx, o,
                                  "1-10:一等:2000:500,11-30,"
                                  "last1-5:末位:-1000,last6::-500:-50"),
        SG_OK);
    assert_int_equal(o->nbands, 4);
    assert_int_equal(o->bands[0].from_rank, 1);
    assert_int_equal(o->bands[0].to_rank, 10);
    assert_int_equal(o->bands[0].from_end, 0);
    assert_string_equal(o->bands[0].label, "一等");
    assert_near(o->bands[0].amount_village, 2000);
    assert_near(o->bands[0].amount_cadre, 500);
    assert_string_equal(o->bands[1].label, "11-30"); /* label = range */
    assert_true(isnan(o->bands[1].amount_village));
    assert_int_equal(o->bands[2].from_end, 1);
    assert_int_equal(o->bands[2].to_rank, 5);
    assert_near(o->bands[2].amount_village, -1000);
    assert_true(isnan(o->bands[2].amount_cadre));
    assert_int_equal(o->bands[3].from_rank, 6);
    assert_int_equal(o->bands[3].to_rank, 6);
    assert_string_equal(o->bands[3].label, "last6");
    assert_near(o->bands[3].amount_cadre, -50);
    static const char *const bad[] = {
        "",         "0-5",         "5-1",   "1-",   "x",
        "1-10:a:b", "1-2:a:1:2:3", "1-10,", "last", "1-10:a:1,,2-3"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_sg_status(ctx, sg_rank_options_set_tiers(ctx, o, bad[i]),
                         SG_ERR_USAGE);
    assert_int_equal(o->nbands, 4); /* unchanged */
    assert_sg_status(ctx, sg_rank_options_set_tiers(ctx, o, "none"), SG_OK);
    assert_int_equal(o->nbands, 0);
    assert_int_equal(o->have_bands, 1);
    /* other setters */
    assert_sg_status(ctx, sg_rank_options_set_level(ctx, o, (sg_rank_level)3),
                     SG_ERR_USAGE);
    assert_int_equal(o->level, SG_RANK_LEVEL_ADMIN_VILLAGE); /* unchanged */
    assert_sg_status(ctx,
                     sg_rank_options_set_within(ctx, o, (sg_rank_within)-1),
                     SG_ERR_USAGE);
    assert_int_equal(o->within, SG_RANK_WITHIN_TOWNSHIP); /* unchanged */
    assert_sg_status(ctx, sg_rank_options_set_period(ctx, o, "2026-W54"),
                     SG_ERR_USAGE);
    assert_sg_status(ctx, sg_rank_options_set_period(ctx, o, "2026-W53"),
                     SG_OK);
    sg_rank_options_free(o);
}

/* ---- the inspection sheet ------------------------------------------------ */

static void test_import_sheet(void **state)
{
    (void)state;
    sg_store *s = fixture("rank-import.sqlite", 0);
    sg_import_result *r =
        import_file(s, "inspections", "rank-sheet.csv", sheet, SG_OK);
    assert_int_equal(r->read, 15);
    assert_int_equal(r->imported, 11);
    assert_int_equal(r->rejected, 4);
    char *rejects = sg_test_read_file(r->rejects_path, NULL);
    assert_non_null(rejects);
    assert_contains(rejects, "unknown unit 'Nowhere': no division or grid "
                             "has this code or name");
    assert_contains(rejects, "unit 'C' is ambiguous");
    assert_contains(rejects, CODE_C);
    assert_contains(rejects, "score_or_deduction");
    assert_contains(rejects, "deduction_not_negative");
    free(rejects);
    sg_import_result_free(r);
    /* names were stored as codes; deductions and items kept per row */
    char *rows = sg_test_sql_rows(sg_store_path(s),
                                  "SELECT date, unit_code, score, item, "
                                  "deduction FROM inspections WHERE date "
                                  "BETWEEN '2026-11-01' AND '2026-11-30' "
                                  "ORDER BY fid");
    assert_string_equal(rows, "2026-11-02|" CODE_A "|80.0||\n"
                              "2026-11-10|" CODE_B "||垃圾满溢|3.0\n"
                              "2026-11-10|" CODE_B "||杂物堆放|2.0\n"
                              "2026-11-10|" CODE_B "001||散落垃圾|\n");
    free(rows);
    sg_store_close(s);
}

/* ---- indicators, composite, ranks ---------------------------------------- */

/* The layer test_indicators wrote: rounded values, NULL for missing,
 * the polygons, and the run. */
static void check_layer(sg_store *s)
{
    char *rows = sg_test_sql_rows(
        sg_store_path(s),
        "SELECT unit_code, within_code, period, coverage, staffing, grid, "
        "toilets, inspection, inspections, trend, missing, score, rank, "
        "rank_within, previous_rank, rank_change, tier, round(ST_Area(geom)) "
        "FROM rankings ORDER BY fid");
    /* clang-format off */
    assert_string_equal(rows,
        /* code   within  period cov  staff grid toilets insp n trend
         * missing score rank within previous change tier area */
        CODE_B "|" CODE_T "|2026-Q4|50.0|100.0|50.0|100.0|97.0|2|-3.0|"
            "|86.0|1|1|1|0|red|1000000.0\n"
        CODE_A "|" CODE_T "|2026-Q4|25.0|50.0|100.0|50.0|85.0|2|15.0|"
            "|68.75|2|2|3|1||1000000.0\n"
        CODE_C "|" CODE_T "|2026-Q4||0.0|80.0|||0|"
            "|coverage,toilets,inspection|40.0|4|3|2|-1|black|1000000.0\n"
        CODE_D "|" CODE_U "|2026-Q4|0.0|100.0|80.0|0.0|70.0|1|-20.0|"
            "|53.0|3|1|1|0||1000000.0\n");
    /* clang-format on */
    free(rows);
    assert_int_equal((int)sg_test_sql_number(sg_store_path(s),
                                             "SELECT count(*) FROM runs WHERE "
                                             "command = 'rank'"),
                     1);
}

static void test_indicators(void **state)
{
    (void)state;
    sg_store *s = fixture("rank-main.sqlite", 1);
    sg_rank_result *r = rank_ok(s, NULL);
    /* period: scoring.cadence quarterly holding the latest inspection,
     * 2026-12-31 */
    assert_string_equal(r->period.label, "2026-Q4");
    assert_int_equal(r->period_from_data, 1);
    assert_string_equal(r->latest_inspection, "2026-12-31");
    assert_string_equal(r->previous.label, "2026-Q3");
    assert_int_equal(r->previous_ranked, 1);
    assert_int_equal(r->grid_level, 1);
    assert_int_equal(r->nunits, 4);
    assert_int_equal(r->ranked, 4);
    assert_int_equal(r->inspections, 5);           /* A 2, B 2, D 1 */
    assert_int_equal(r->inspections_elsewhere, 1); /* township T */
    assert_near(r->weights[SG_RANK_COVERAGE], 0.15);
    assert_near(r->weights[SG_RANK_INSPECTION], 0.5);
    assert_near(r->weights[SG_RANK_TREND], 0);
    assert_int_equal(r->red, 10);
    assert_int_equal(r->black, 5);
    assert_non_null(r->source_run[SG_RANK_COVERAGE]);
    assert_non_null(r->source_run[SG_RANK_STAFFING]);
    assert_non_null(r->source_run[SG_RANK_GRID]);
    assert_null(r->source_run[SG_RANK_TOILETS]); /* an input layer */

    /* A: coverage h1 (100 residents, 10 m off the lane + 50 m along it to
     * p1 = 60 m <= 120 m) covered, h2 (300, 10 + 500 m) not: 100 / 400 =
     * 25. Staffing: 400 residents / 300 -> 2 required, 1 cleaner: 50.
     * Grid: two grids with leaders tile A: 100. Toilets 1 of 2: 50.
     * Inspection 85, trend 85 - 70 = 15. Score = 0.15 x 25 + 0.1 x 50 +
     * 0.1 x 100 + 0.15 x 50 + 0.5 x 85 = 3.75 + 5 + 10 + 7.5 + 42.5 =
     * 68.75. Previous: inspection 70: 61.25. */
    const sg_rank_unit *a = unit(r, CODE_A);
    assert_near(a->value[SG_RANK_COVERAGE], 25);
    assert_near(a->num[SG_RANK_COVERAGE], 100);
    assert_near(a->den[SG_RANK_COVERAGE], 400);
    assert_near(a->value[SG_RANK_STAFFING], 50);
    assert_near(a->value[SG_RANK_GRID], 100);
    assert_near(a->value[SG_RANK_TOILETS], 50);
    assert_near(a->value[SG_RANK_INSPECTION], 85);
    assert_int_equal(a->inspections, 2);
    assert_near(a->value[SG_RANK_TREND], 15);
    assert_near(a->scaled[SG_RANK_TREND], 57.5); /* 50 + 50 x 15 / 100 */
    assert_near(a->score, 68.75);
    assert_null(a->missing);
    assert_string_equal(a->name, "A");
    assert_string_equal(a->within_code, CODE_T);
    assert_string_equal(a->within_name, "T");

    /* B: coverage h4 (200, 10 + 20 m to p2) covered, h5 (200, 10 + 500 m) not,
     * h6 has no residents: 200 / 400 = 50. Staffing 2 of 2: 100. Grid: B2 has
     * no leader, 500 000 of 1 000 000 m2: 50. Toilets h4, h5 sanitary, h6
     * unknown: 100. Inspection (95 + 99) / 2 = 97, trend 97 - 100 = -3.
     * Score = 7.5 + 10 + 5 + 15 + 48.5 = 86. Previous 87.5. */
    const sg_rank_unit *b = unit(r, CODE_B);
    assert_near(b->value[SG_RANK_COVERAGE], 50);
    assert_near(b->value[SG_RANK_STAFFING], 100);
    assert_near(b->value[SG_RANK_GRID], 50);
    assert_near(b->num[SG_RANK_GRID], 500000);
    assert_near(b->value[SG_RANK_TOILETS], 100);
    assert_near(b->den[SG_RANK_TOILETS], 2);
    assert_near(b->value[SG_RANK_INSPECTION], 97);
    assert_near(b->value[SG_RANK_TREND], -3);
    assert_near(b->score, 86);

    /* C: no households (coverage, toilets missing), no inspection in Q4
     * (missing): staffing 0 of 1 required = 0, grid C1 leaves a 200 m x
     * 1 km gap: 100 x (1 - 200 000 / 1 000 000) = 80. Score over the
     * present weights: (0.1 x 0 + 0.1 x 80) / 0.2 = 40, never counting
     * the missing ones as 0. Previous: inspection 100: (0 + 8 + 50) / 0.7
     * = 82.857 -> 82.86. */
    const sg_rank_unit *c = unit(r, CODE_C);
    assert_true(isnan(c->value[SG_RANK_COVERAGE]));
    assert_true(isnan(c->value[SG_RANK_TOILETS]));
    assert_true(isnan(c->value[SG_RANK_INSPECTION]));
    assert_true(isnan(c->value[SG_RANK_TREND]));
    assert_int_equal(c->inspections, 0);
    assert_near(c->value[SG_RANK_STAFFING], 0);
    assert_near(c->value[SG_RANK_GRID], 80);
    assert_near(c->score, 40);
    assert_string_equal(c->missing, "coverage,toilets,inspection");
    assert_near(c->previous_inspection, 100);

    /* D: h7 (50, 2 km from p2) not covered: 0. Staffing 2 cleaners, 1
     * required: min(1, 2) = 100. Grid: D1 and D2 overlap 200 m x 1 km:
     * 80. Toilets: none: 0. Inspection 70 (on the quarter's last day).
     * Score = 0 + 10 + 8 + 0 + 35 = 53. Previous 90: 63. */
    const sg_rank_unit *d = unit(r, CODE_D);
    assert_near(d->value[SG_RANK_COVERAGE], 0);
    assert_near(d->value[SG_RANK_STAFFING], 100);
    assert_near(d->value[SG_RANK_GRID], 80);
    assert_near(d->value[SG_RANK_TOILETS], 0);
    assert_near(d->value[SG_RANK_INSPECTION], 70);
    assert_near(d->score, 53);
    assert_string_equal(d->within_code, CODE_U);

    /* ranks: overall B 86, A 68.75, D 53, C 40; within T: B, A, C;
     * within U: D. Previous within T: B 87.5, C 82.86, A 61.25: A moves
     * up one (3 -> 2), C down one (2 -> 3). */
    assert_int_equal(b->rank, 1);
    assert_int_equal(a->rank, 2);
    assert_int_equal(d->rank, 3);
    assert_int_equal(c->rank, 4);
    assert_int_equal(b->rank_within, 1);
    assert_int_equal(a->rank_within, 2);
    assert_int_equal(c->rank_within, 3);
    assert_int_equal(d->rank_within, 1);
    assert_int_equal(a->previous_rank, 3);
    assert_int_equal(a->rank_change, 1);
    assert_int_equal(c->previous_rank, 2);
    assert_int_equal(c->rank_change, -1);
    assert_int_equal(b->rank_change, 0);
    assert_true(b->has_rank_change);
    assert_int_equal(d->rank_change, 0);
    /* default lists (share 0.2, at least 1, at most 10 / 5): T's 3
     * units give floor(0.6) = 0 -> 1 red (B) and 1 black (C), not all
     * three red as with a fixed 10 (issue 16); U's single unit D is on
     * no list */
    assert_int_equal(b->tier, SG_RANK_TIER_RED);
    assert_int_equal(a->tier, SG_RANK_TIER_NONE);
    assert_int_equal(c->tier, SG_RANK_TIER_BLACK);
    assert_int_equal(d->tier, SG_RANK_TIER_NONE);
    assert_int_equal(r->red, 10);
    assert_int_equal(r->black, 5);
    assert_near(r->list_share, 0.2);
    assert_int_equal(r->list_min, 1);
    /* default bands of rank_tiers: all in 1-10 */
    assert_int_equal(r->nbands, 5);
    assert_string_equal(r->bands[a->band].label, "第1–10名");
    assert_true(isnan(a->amount_village));
    /* output order: by group, then rank */
    assert_string_equal(r->units[0].code, CODE_B);
    assert_string_equal(r->units[1].code, CODE_A);
    assert_string_equal(r->units[2].code, CODE_C);
    assert_string_equal(r->units[3].code, CODE_D);
    assert_int_equal(r->ngroups, 2);
    assert_string_equal(r->groups[0].code, CODE_T);
    assert_int_equal(r->groups[0].units, 3);
    assert_int_equal(r->groups[0].red, 1);
    assert_int_equal(r->groups[0].black, 1);
    assert_int_equal(r->groups[0].red_size, 1);
    assert_int_equal(r->groups[0].black_size, 1);
    assert_int_equal(r->groups[1].red_size, 0);
    assert_int_equal(r->groups[1].black_size, 0);
    sg_rank_result_free(r);

    check_layer(s);
    sg_store_close(s);
}

/* ---- lists, bands, amounts ----------------------------------------------- */

static void test_lists_and_bands(void **state)
{
    (void)state;
    sg_store *s = fixture("rank-bands.sqlite", 1);
    sg_rank_options *o = sg_rank_options_new();
    sg_rank_options_set_red(ctx, o, 1);
    sg_rank_options_set_black(ctx, o, 1);
    assert_sg_status(ctx,
                     sg_rank_options_set_tiers(ctx, o,
                                               "1:一等:1000:200,2:二等:500,"
                                               "last1:末位:-800:-100"),
                     SG_OK);
    sg_rank_options_set_save_tiers(ctx, o, 1);
    sg_rank_result *r = rank_ok(s, o);
    /* T: B red (1st), C black (last), A neither. U: D is first and last:
     * on no list (a single unit). Bands: the first that holds the rank: B 一等,
     * A 二等, C 末位 (rank 3 is in no top band), D 一等. */
    const sg_rank_unit *a = unit(r, CODE_A), *b = unit(r, CODE_B),
                       *c = unit(r, CODE_C), *d = unit(r, CODE_D);
    assert_int_equal(b->tier, SG_RANK_TIER_RED);
    assert_int_equal(a->tier, SG_RANK_TIER_NONE);
    assert_int_equal(c->tier, SG_RANK_TIER_BLACK);
    assert_int_equal(d->tier, SG_RANK_TIER_NONE);
    assert_string_equal(r->bands[b->band].label, "一等");
    assert_string_equal(r->bands[a->band].label, "二等");
    assert_string_equal(r->bands[c->band].label, "末位");
    assert_string_equal(r->bands[d->band].label, "一等");
    assert_near(a->amount_village, 500);
    assert_true(isnan(a->amount_cadre));
    assert_near(c->amount_cadre, -100);
    /* sums: T villages +1500 / -800, cadres +200 / -100; overall +2500 */
    assert_near(r->groups[0].reward_village, 1500);
    assert_near(r->groups[0].fine_village, -800);
    assert_near(r->groups[0].reward_cadre, 200);
    assert_near(r->groups[0].fine_cadre, -100);
    assert_int_equal(r->groups[0].red, 1);
    assert_int_equal(r->groups[0].black, 1);
    assert_near(r->reward_village, 2500);
    assert_near(r->fine_village, -800);
    assert_near(r->reward_cadre, 400);
    sg_rank_result_free(r);
    sg_rank_options_free(o);
    char *rows =
        sg_test_sql_rows(sg_store_path(s), "SELECT unit_code, tier, band, "
                                           "amount_village, amount_cadre FROM "
                                           "rankings ORDER BY fid");
    assert_string_equal(rows, CODE_B "|red|一等|1000.0|200.0\n" CODE_A
                                     "||二等|500.0|\n" CODE_C
                                     "|black|末位|-800.0|-100.0\n" CODE_D
                                     "||一等|1000.0|200.0\n");
    free(rows);
    /* --save-tiers replaced the stored bands: the next run uses them */
    rows = sg_test_sql_rows(sg_store_path(s),
                            "SELECT from_rank, to_rank, from_end, label, "
                            "amount_village, amount_cadre FROM rank_tiers "
                            "ORDER BY tier_id");
    assert_string_equal(rows, "1|1|0|一等|1000.0|200.0\n2|2|0|二等|500.0|\n"
                              "1|1|1|末位|-800.0|-100.0\n");
    free(rows);
    r = rank_ok(s, NULL);
    assert_int_equal(r->nbands, 3);
    assert_string_equal(r->bands[unit(r, CODE_C)->band].label, "末位");
    sg_rank_result_free(r);
    sg_store_close(s);
}

/* ---- list sizes -----------------------------------------------------------
 */

static void expect_sizes(long long n, double share, long long min,
                         long long red_max, long long black_max, long long red,
                         long long black)
{
    long long r = -1, b = -1;
    sg_rank_list_sizes(n, share, min, red_max, black_max, &r, &b);
    assert_int_equal(r, red);
    assert_int_equal(b, black);
}

static void test_list_sizes(void **state)
{
    (void)state;
    /* defaults share 0.2, min 1, max 10 / 5, by hand:
     *   5: floor(1.0) = 1 -> 1 red, 1 black (distinct: 1 <= 5 - 1)
     *   1: red <= n - 1 = 0; black <= n - 1 = 0: on no list
     *   2: floor(0.4) = 0 -> min 1; red 1 (<= 1), black 1 (<= 2 - 1)
     *   3: 1 / 1; 4: 1 / 1; 10: floor(2) = 2 / 2; 49: floor(9.8) = 9 ->
     *   9 / 5; 50: 10 / 5; 100: floor(20) = 20 -> capped 10 / 5 */
    expect_sizes(5, 0.2, 1, 10, 5, 1, 1);
    expect_sizes(1, 0.2, 1, 10, 5, 0, 0);
    expect_sizes(2, 0.2, 1, 10, 5, 1, 1);
    expect_sizes(3, 0.2, 1, 10, 5, 1, 1);
    expect_sizes(10, 0.2, 1, 10, 5, 2, 2);
    expect_sizes(49, 0.2, 1, 10, 5, 9, 5);
    expect_sizes(50, 0.2, 1, 10, 5, 10, 5);
    expect_sizes(100, 0.2, 1, 10, 5, 10, 5);
    expect_sizes(0, 0.2, 1, 10, 5, 0, 0);
    /* share 1: the largest lists; 4 units: red min(4, 10, 3) = 3, black
     * min(4, 5, 4 - 3, 3) = 1 */
    expect_sizes(4, 1, 1, 10, 5, 3, 1);
    /* --red 0: no red list, black min(1, 5, 5, 4) = 1; --black 0 */
    expect_sizes(5, 0.2, 1, 0, 5, 0, 1);
    expect_sizes(5, 0.2, 1, 10, 0, 1, 0);
    /* min 0 with a small share: no list */
    expect_sizes(4, 0.2, 0, 10, 5, 0, 0);
    /* share 0.3 of 10 = 3 exactly (0.3 x 10 is 3.0000000000000004 or
     * 2.9999999999999996 in binary: either way 3) */
    expect_sizes(10, 0.3, 1, 10, 5, 3, 3);
}

/* Five villages in one township, one inspection each (inspection weight
 * only): scores 90, 80, 70, 60, 50 give 1 red (the 90) and 1 black (the
 * 50); a tie at the top (90, 90, 70, 60, 50) puts both 90s on the red
 * list; all five equal: no list (every unit is tied with the top and the
 * bottom). */
static void test_small_set(void **state)
{
    (void)state;
    static const char *const divs = FC(POLY(
        "{\"division_code\":\"450100100000\",\"name\":\"T\","
        "\"level\":\"township\"}",
        500000, 3300000, 505000,
        3301000) "," POLY("{\"division_code\":\"450100100201\",\"name\":\"V1\","
                          "\"level\":\"admin_village\",\"parent_code\":"
                          "\"450100100000\"}",
                          500000, 3300000, 501000,
                          3301000) "," POLY("{\"division_code\":"
                                            "\"450100100202\",\"name\":\"V2\","
                                            "\"level\":\"admin_village\","
                                            "\"parent_code\":\"450100100000\"}",
                                            501000, 3300000, 502000,
                                            3301000) "," POLY("{\"division_"
                                                              "code\":"
                                                              "\"450100100203\""
                                                              ",\"name\":"
                                                              "\"V3\","
                                                              "\"level\":"
                                                              "\"admin_"
                                                              "village\","
                                                              "\"parent_code\":"
                                                              "\"450100100000\""
                                                              "}",
                                                              502000, 3300000,
                                                              503000,
                                                              3301000) "," POLY("{\"division_code\":\"450100100204\",\"name\":\"V4\","
                                                                                "\"level\":\"admin_village\",\"parent_code\":\"450100100000\"}",
                                                                                503000,
                                                                                3300000,
                                                                                504000,
                                                                                3301000) "," POLY("{\"division_code\":\"450100100205\",\"name\":\"V5\","
                                                                                                  "\"level\":\"admin_village\",\"parent_code\":\"450100100000\"}",
                                                                                                  504000,
                                                                                                  3300000,
                                                                                                  505000,
                                                                                                  3301000));
    static const char *const sheets[3] = {
        "日期,村/网格,得分\n2026-11-02,V1,90\n2026-11-02,V2,80\n"
        "2026-11-02,V3,70\n2026-11-02,V4,60\n2026-11-02,V5,50\n",
        "日期,村/网格,得分\n2026-11-02,V1,90\n2026-11-02,V2,90\n"
        "2026-11-02,V3,70\n2026-11-02,V4,60\n2026-11-02,V5,50\n",
        "日期,村/网格,得分\n2026-11-02,V1,80\n2026-11-02,V2,80\n"
        "2026-11-02,V3,80\n2026-11-02,V4,80\n2026-11-02,V5,80\n"};
    static const char *const want[3] = {"red,,,,black", "red,red,,,black",
                                        ",,,,"};
    for (int t = 0; t < 3; t++) {
        char name[64];
        snprintf(name, sizeof name, "rank-small%d.sqlite", t);
        sg_store *s = sg_test_store_new(ctx, name, 4545);
        import_geojson(s, "divisions", divs);
        snprintf(name, sizeof name, "rank-small%d.csv", t);
        sg_import_result *ir =
            import_file(s, "inspections", name, sheets[t], SG_OK);
        sg_import_result_free(ir);
        sg_rank_options *o = sg_rank_options_new();
        assert_sg_status(
            ctx,
            sg_rank_options_set_weights(
                ctx, o, "coverage=0,staffing=0,grid=0,toilets=0,inspection=1"),
            SG_OK);
        sg_rank_result *r = rank_ok(s, o);
        assert_int_equal(r->ngroups, 1);
        assert_int_equal(r->groups[0].ranked, 5);
        assert_int_equal(r->groups[0].red_size, 1);
        assert_int_equal(r->groups[0].black_size, 1);
        sg_rank_result_free(r);
        sg_rank_options_free(o);
        char *rows = sg_test_sql_rows(sg_store_path(s),
                                      "SELECT group_concat(ifnull(tier, ''), "
                                      "',') FROM (SELECT tier FROM rankings "
                                      "ORDER BY unit_code)");
        char expect[64];
        snprintf(expect, sizeof expect, "%s\n", want[t]);
        assert_string_equal(rows, expect);
        free(rows);
        sg_store_close(s);
    }
}

/* ---- ties ---------------------------------------------------------------- */

static void test_ties(void **state)
{
    (void)state;
    sg_store *s = fixture("rank-ties.sqlite", 1);
    sg_rank_options *o = sg_rank_options_new();
    /* staffing only: A 50, B 100, C 0, D 100. Overall B and D share 1st,
     * A is 3rd (not 2nd), C 4th; within T: B, A, C. */
    assert_sg_status(
        ctx,
        sg_rank_options_set_weights(
            ctx, o, "coverage=0,staffing=1,grid=0,toilets=0,inspection=0"),
        SG_OK);
    sg_rank_result *r = rank_ok(s, o);
    assert_int_equal(unit(r, CODE_B)->rank, 1);
    assert_int_equal(unit(r, CODE_D)->rank, 1);
    assert_int_equal(unit(r, CODE_A)->rank, 3);
    assert_int_equal(unit(r, CODE_C)->rank, 4);
    assert_null(unit(r, CODE_C)->missing);
    sg_rank_result_free(r);
    /* grid only, one list: A 100, C 80, D 80, B 50 -> ranks 1, 2, 2, 4;
     * from the end B 1, C and D 2: with share 1 (the largest lists) a
     * black list of 2 takes all three (ties are not split), the red list
     * of 1 takes A */
    sg_rank_options_set_list_share(ctx, o, 1);
    assert_sg_status(
        ctx, sg_rank_options_set_weights(ctx, o, "staffing=0,grid=1"), SG_OK);
    assert_sg_status(
        ctx, sg_rank_options_set_within(ctx, o, SG_RANK_WITHIN_ALL), SG_OK);
    sg_rank_options_set_red(ctx, o, 1);
    sg_rank_options_set_black(ctx, o, 2);
    r = rank_ok(s, o);
    const sg_rank_unit *a = unit(r, CODE_A), *b = unit(r, CODE_B),
                       *c = unit(r, CODE_C), *d = unit(r, CODE_D);
    assert_int_equal(a->rank_within, 1);
    assert_int_equal(c->rank_within, 2);
    assert_int_equal(d->rank_within, 2);
    assert_int_equal(b->rank_within, 4);
    assert_int_equal(b->rank_from_end, 1);
    assert_int_equal(c->rank_from_end, 2);
    assert_int_equal(d->rank_from_end, 2);
    assert_int_equal(a->tier, SG_RANK_TIER_RED);
    assert_int_equal(b->tier, SG_RANK_TIER_BLACK);
    assert_int_equal(c->tier, SG_RANK_TIER_BLACK);
    assert_int_equal(d->tier, SG_RANK_TIER_BLACK);
    assert_int_equal(r->ngroups, 1);
    assert_null(a->within_code);
    sg_rank_result_free(r);
    /* every weight 0: nothing to rank on */
    assert_sg_status(ctx, sg_rank_options_set_weights(ctx, o, "grid=0"), SG_OK);
    r = NULL;
    assert_sg_status(ctx, sg_rank(ctx, s, o, &r), SG_ERR_USAGE);
    assert_null(r);
    sg_rank_options_free(o);
    sg_store_close(s);
}

/* ---- periods chosen ------------------------------------------------------ */

static void test_period_choice(void **state)
{
    (void)state;
    sg_store *s = fixture("rank-period.sqlite", 1);
    sg_rank_options *o = sg_rank_options_new();
    /* November: A 80 (trend against October's 90: -10), B 97, C and D
     * none. D: (0.1 x 100 + 0.1 x 80) / 0.5 = 36; A: 3.75 + 5 + 10 +
     * 7.5 + 40 = 66.25. The township's inspection is in October: not
     * counted in November. */
    assert_sg_status(ctx, sg_rank_options_set_period(ctx, o, "2026-11"), SG_OK);
    sg_rank_result *r = rank_ok(s, o);
    assert_string_equal(r->period.first, "2026-11-01");
    assert_string_equal(r->previous.label, "2026-10");
    assert_int_equal(r->period_from_data, 0);
    assert_int_equal(r->inspections, 3);
    assert_int_equal(r->inspections_elsewhere, 0);
    assert_near(unit(r, CODE_A)->value[SG_RANK_INSPECTION], 80);
    assert_near(unit(r, CODE_A)->value[SG_RANK_TREND], -10);
    assert_near(unit(r, CODE_A)->score, 66.25);
    assert_true(isnan(unit(r, CODE_B)->value[SG_RANK_TREND]));
    assert_near(unit(r, CODE_D)->score, 36);
    assert_string_equal(unit(r, CODE_D)->missing, "inspection");
    sg_rank_result_free(r);
    /* ISO week 46 (2026-11-09..15): only B's inspections of 11-10; the
     * week before holds A's 80 */
    assert_sg_status(ctx, sg_rank_options_set_period(ctx, o, "2026-W46"),
                     SG_OK);
    r = rank_ok(s, o);
    assert_string_equal(r->period.first, "2026-11-09");
    assert_string_equal(r->period.last, "2026-11-15");
    assert_int_equal(r->inspections, 2);
    assert_near(unit(r, CODE_B)->value[SG_RANK_INSPECTION], 97);
    assert_int_equal(r->previous_ranked, 1);
    sg_rank_result_free(r);
    /* a quarter with no inspections at all, before them: every unit
     * misses its inspection; no previous ranking */
    assert_sg_status(ctx, sg_rank_options_set_period(ctx, o, "2025-Q1"), SG_OK);
    r = rank_ok(s, o);
    assert_int_equal(r->inspections, 0);
    assert_int_equal(r->previous_ranked, 0);
    assert_false(unit(r, CODE_A)->has_rank_change);
    assert_int_equal(r->ranked, 4);
    sg_rank_result_free(r);
    sg_rank_options_free(o);
    /* default with a monthly cadence: the month of the latest inspection
     * (2026-12-31): only D's 70 */
    assert_sg_status(ctx, sg_setting_set(ctx, s, "scoring.cadence", "monthly"),
                     SG_OK);
    r = rank_ok(s, NULL);
    assert_string_equal(r->period.label, "2026-12");
    assert_int_equal(r->period_from_data, 1);
    assert_int_equal(r->inspections, 1);
    sg_rank_result_free(r);
    /* a store without inspections: no period, the inspection missing */
    sg_store *e = fixture("rank-noinsp.sqlite", 0);
    r = rank_ok(e, NULL);
    assert_int_equal(r->period.kind, SG_PERIOD_NONE);
    assert_string_equal(r->latest_inspection, "");
    assert_string_equal(unit(r, CODE_A)->missing, "inspection");
    assert_near(unit(r, CODE_A)->score, (3.75 + 5 + 10 + 7.5) / 0.5);
    sg_rank_result_free(r);
    sg_store_close(e);
    sg_store_close(s);
}

/* ---- other levels -------------------------------------------------------- */

static void test_grid_level(void **state)
{
    (void)state;
    sg_store *s = fixture("rank-grids.sqlite", 1);
    sg_rank_options *o = sg_rank_options_new();
    assert_sg_status(ctx, sg_rank_options_set_level(ctx, o, SG_RANK_LEVEL_GRID),
                     SG_OK);
    /* within the grids' own village is allowed; within township too */
    assert_sg_status(
        ctx, sg_rank_options_set_within(ctx, o, SG_RANK_WITHIN_ADMIN_VILLAGE),
        SG_OK);
    sg_rank_result *r = rank_ok(s, o);
    assert_int_equal(r->nunits, 7);
    assert_int_equal(r->ngroups, 4);
    /* B 第1网格: h4 covered (100), grid with a leader, nothing inside it
     * (100), toilets 1 of 1 (100), its finding of 11-10: 99; staffing is
     * per village: missing. (15 + 10 + 15 + 49.5) / 0.9 = 99.444 */
    const sg_rank_unit *b1 = unit(r, CODE_B "001");
    assert_near(b1->value[SG_RANK_COVERAGE], 100);
    assert_near(b1->value[SG_RANK_GRID], 100);
    assert_near(b1->value[SG_RANK_INSPECTION], 99);
    assert_near(b1->score, 99.44);
    assert_string_equal(b1->missing, "staffing");
    assert_string_equal(b1->within_code, CODE_B);
    assert_int_equal(b1->rank_within, 1);
    /* B 第2网格 has no leader: grid 0; h5 (200) not covered: 0; toilets
     * h5 sanitary: 100 */
    const sg_rank_unit *b2 = unit(r, CODE_B "002");
    assert_near(b2->value[SG_RANK_GRID], 0);
    assert_near(b2->value[SG_RANK_COVERAGE], 0);
    assert_near(b2->value[SG_RANK_TOILETS], 100);
    assert_string_equal(b2->missing, "staffing,inspection");
    /* D's grids overlap on 200 000 of their 600 000 m2 each: 66.67;
     * h7 stands in both */
    assert_near(unit(r, CODE_D "001")->value[SG_RANK_GRID],
                100.0 * (1 - 1.0 / 3));
    assert_near(unit(r, CODE_D "002")->value[SG_RANK_GRID],
                100.0 * (1 - 1.0 / 3));
    assert_near(unit(r, CODE_D "002")->den[SG_RANK_TOILETS], 1);
    /* C's grid C1 does not hold C's gap */
    assert_near(unit(r, CODE_C "001")->value[SG_RANK_GRID], 100);
    sg_rank_result_free(r);
    /* villages within a village: refused */
    assert_sg_status(
        ctx, sg_rank_options_set_level(ctx, o, SG_RANK_LEVEL_ADMIN_VILLAGE),
        SG_OK);
    r = NULL;
    assert_sg_status(ctx, sg_rank(ctx, s, o, &r), SG_ERR_USAGE);
    assert_contains(sg_ctx_errmsg(ctx), "--within admin_village");
    /* natural villages: the fixture has none */
    assert_sg_status(
        ctx, sg_rank_options_set_level(ctx, o, SG_RANK_LEVEL_NATURAL_VILLAGE),
        SG_OK);
    assert_sg_status(ctx, sg_rank(ctx, s, o, &r), SG_ERR_INPUT);
    assert_contains(sg_ctx_errmsg(ctx), "natural_village");
    sg_rank_options_free(o);
    sg_store_close(s);
}

/* ---- export with Chinese headers ----------------------------------------- */

static void test_export_headers(void **state)
{
    (void)state;
    sg_store *s = fixture("rank-export.sqlite", 1);
    sg_rank_result *r = rank_ok(s, NULL);
    sg_rank_result_free(r);
    const char *xlsx = sg_test_path("rankings.xlsx");
    long long n = 0;
    sg_export_options *zh = sg_export_options_new();
    assert_sg_status(ctx, sg_export_options_set_lang(ctx, zh, "zh"), SG_OK);
    assert_sg_status(ctx, sg_export(ctx, s, "rankings", xlsx, zh, &n), SG_OK);
    assert_int_equal(n, 4);
    assert_int_equal(sg_test_ogr_count(xlsx), 4);
    static const char *const headers[] = {"单位编码",
                                          "名称",
                                          "综合得分",
                                          "总名次",
                                          "范围内名次",
                                          "上期名次",
                                          "名次变化",
                                          "红黑榜",
                                          "收集点覆盖率（%）",
                                          "检查平均得分",
                                          "包村干部奖惩金额（元）"};
    for (size_t i = 0; i < sizeof headers / sizeof headers[0]; i++)
        if (!sg_test_zip_contains(xlsx, headers[i]))
            fail_msg("rankings.xlsx has no header %s", headers[i]);
    const char *csv = sg_test_path("rankings.csv");
    assert_sg_status(ctx, sg_export(ctx, s, "rankings", csv, zh, &n), SG_OK);
    sg_export_options_free(zh);
    char *text = sg_test_read_file(csv, NULL);
    assert_non_null(text);
    assert_contains(text, "单位编码,名称,级别,排名范围编码,排名范围,考核期");
    free(text);
    /* GeoJSON keeps the column names (for maps and programs) */
    const char *gj = sg_test_path("rankings.geojson");
    assert_sg_status(ctx, sg_export(ctx, s, "rankings", gj, NULL, &n), SG_OK);
    assert_true(sg_test_file_contains(gj, "\"rank_within\""));
    sg_store_close(s);
}

/* ---- errors -------------------------------------------------------------- */

static void test_errors(void **state)
{
    (void)state;
    /* setters refuse what they cannot take instead of resetting it */
    sg_rank_options *o = sg_rank_options_new();
    assert_sg_status(ctx, sg_rank_options_set_red(ctx, o, -2), SG_ERR_USAGE);
    assert_contains(sg_ctx_errmsg(ctx), "-2");
    assert_sg_status(ctx, sg_rank_options_set_black(ctx, o, -5), SG_ERR_USAGE);
    assert_sg_status(ctx, sg_rank_options_set_list_share(ctx, o, 1.5),
                     SG_ERR_USAGE);
    assert_contains(sg_ctx_errmsg(ctx), "1.5");
    assert_sg_status(ctx, sg_rank_options_set_list_share(ctx, o, NAN), SG_OK);
    assert_sg_status(ctx, sg_rank_options_set_save_tiers(ctx, o, 3),
                     SG_ERR_USAGE);
    sg_rank_options_free(o);
    sg_store *s = sg_test_store_new(ctx, "rank-empty.sqlite", 4545);
    sg_rank_result *r = NULL;
    assert_sg_status(ctx, sg_rank(ctx, s, NULL, &r), SG_ERR_INPUT);
    assert_null(r);
    import_geojson(s, "divisions",
                   FC(POLY("{\"division_code\":\"" CODE_T "\",\"name\":\"T\","
                           "\"level\":\"township\"}",
                           500000, 3300000, 503000, 3301000)));
    assert_sg_status(ctx, sg_rank(ctx, s, NULL, &r), SG_ERR_INPUT);
    assert_contains(sg_ctx_errmsg(ctx), "no divisions of level admin_village");
    sg_store_close(s);
    /* a read-only store */
    sg_store *ro = fixture("rank-ro.sqlite", 1);
    char path[4096];
    snprintf(path, sizeof path, "%s", sg_store_path(ro));
    sg_store_close(ro);
    assert_sg_status(ctx, sg_store_open(ctx, path, SG_STORE_READONLY, &ro),
                     SG_OK);
    assert_sg_status(ctx, sg_rank(ctx, ro, NULL, &r), SG_ERR_DB_READONLY);
    sg_store_close(ro);
    assert_null(sg_rank_indicator_name(SG_RANK_NIND));
    assert_string_equal(sg_rank_indicator_name(SG_RANK_TOILETS), "toilets");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_enum_names),
        cmocka_unit_test(test_periods),
        cmocka_unit_test(test_weights_parser),
        cmocka_unit_test(test_tiers_parser),
        cmocka_unit_test(test_list_sizes),
        cmocka_unit_test(test_small_set),
        cmocka_unit_test(test_import_sheet),
        cmocka_unit_test(test_indicators),
        cmocka_unit_test(test_lists_and_bands),
        cmocka_unit_test(test_ties),
        cmocka_unit_test(test_period_choice),
        cmocka_unit_test(test_grid_level),
        cmocka_unit_test(test_export_headers),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
