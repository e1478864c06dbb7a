/* Tests of the coverage analysis.
 *  - Hand-worked fixture (EPSG:4545 metres): a household exactly at the
 *    radius by straight line and one exactly at it along roads, one on a
 *    dangling lane, one across a bridge (unreachable; connected with
 *    node_crossings), two equally near points (tie rule), one beyond
 *    max-snap, one on a road component without points; the demand of
 *    collection points served by a transfer station; blind spots and the
 *    statistics of a division and a grid; errors and cancelling.
 *  - Every fixture household's network distance against a plain textbook
 *    Dijkstra written here over the roads read back with SQL.
 *  - The demo data: every household's straight-line distance against
 *    SpatiaLite's ST_Distance, a sample of households against the
 *    textbook Dijkstra, blind spots against a GEOS union of buffers, and
 *    the statistics against SQL.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

static sg_ctx *ctx;

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

/* Import \p text into \p layer; \p crs NULL keeps the file's CRS. */
static void import_text(sg_store *s, const char *layer, const char *file,
                        const char *text, const char *crs)
{
    const char *path = sg_test_path(file);
    sg_test_write_file(path, text);
    sg_import_options *o = sg_import_options_new();
    assert_non_null(o);
    if (crs)
        assert_sg_status(ctx, sg_import_options_set_src_crs(ctx, o, crs),
                         SG_OK);
    sg_import_result *r = NULL;
    assert_sg_status(ctx, sg_import(ctx, s, layer, path, o, &r), SG_OK);
    assert_int_equal(r->rejected, 0);
    sg_import_result_free(r);
    sg_import_options_free(o);
}

#define FC(features)                                                           \
    "{\"type\":\"FeatureCollection\",\"features\":[" features "]}"
#define ROAD(id, coords)                                                       \
    "{\"type\":\"Feature\",\"properties\":{\"road_id\":\"" id "\"},"           \
    "\"geometry\":{\"type\":\"LineString\",\"coordinates\":[" coords "]}}"
#define POINT(id, kind, x, y)                                                  \
    "{\"type\":\"Feature\",\"properties\":{\"point_id\":\"" id "\","           \
    "\"kind\":\"" kind "\"},\"geometry\":{\"type\":\"Point\","                 \
    "\"coordinates\":[" x "," y "]}}"
#define HOUSE(id, res, x, y)                                                   \
    "{\"type\":\"Feature\",\"properties\":{\"household_id\":\"" id "\","       \
    "\"resident_population\":" res "},\"geometry\":{\"type\":\"Point\","       \
    "\"coordinates\":[" x "," y "]}}"
#define SQUARE(x1, y1, x2, y2)                                                 \
    "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[" x1 "," y1         \
    "],[" x2 "," y1 "],[" x2 "," y2 "],[" x1 "," y2 "],[" x1 "," y1 "]]]}}"

/* Roads: main road R1 with an interior vertex at 500500 where the lane
 * R2 starts (dangling); R3 crosses R1 at x = 500300 without a shared
 * vertex (a bridge); R4 alone, without points; R5 a separate road with
 * two points at equal distances from its middle vertex. */
/* One feature per line: clang-format 14 folds macro arguments of
 * concatenated strings into an unreadable staircase, and not stably. */
/* clang-format off */
static const char *const fx_roads = FC(
    ROAD("R1", "[500000,3300000],[500250,3300000],[500500,3300000],"
               "[501000,3300000]") ","
    ROAD("R2", "[500500,3300000],[500500,3300200]") ","
    ROAD("R3", "[500300,3299800],[500300,3300200]") ","
    ROAD("R4", "[503000,3300000],[503500,3300000]") ","
    ROAD("R5", "[501800,3301000],[502000,3301000],[502200,3301000]"));

static const char *const fx_points = FC(
    POINT("P1", "collection_point", "500000", "3300010") ","
    POINT("P9", "collection_point", "501900", "3301010") ","
    POINT("P10", "collection_point", "502100", "3301010") ","
    POINT("T1", "transfer_station", "501000", "3300000") ","
    POINT("W1", "public_toilet", "500500", "3300100"));
/* clang-format on */

/* Households, by what each one tests. */
static const char *const fx_households =
    FC(HOUSE("H_rad", "2", "500120", "3300010") ","    /* 120 m straight */
       HOUSE("H_netrad", "3", "500110", "3300000") "," /* 120 m by road */
       HOUSE("H_lane", "4", "500505", "3300200") ","   /* dangling lane */
       HOUSE("H_bridge", "5", "500300", "3300150") "," /* across a bridge */
       HOUSE("H_tie", "1", "502000", "3301000") ","    /* P9 and P10 */
       HOUSE("H_far", "6", "500600", "3300800") ","    /* beyond max-snap */
       HOUSE("H_iso", "7", "503200", "3300000"));      /* no point on R4 */

/* One township (x 499900..500530 so that H_lane's blind spot is cut at
 * x = 500530) and one grid inside it. */
static const char *const fx_divisions =
    FC("{\"type\":\"Feature\",\"properties\":{\"division_code\":"
       "\"999001100000\",\"name\":\"Town\",\"level\":\"township\"}," SQUARE(
           "499900", "3299900", "500530", "3300300"));
static const char *const fx_grids =
    FC("{\"type\":\"Feature\",\"properties\":{\"grid_code\":"
       "\"999001100000001\",\"level\":1,\"division_code\":\"999001100000\"}"
       "," SQUARE("499900", "3299900", "500200", "3300300"));

/* A new store \p name with the fixture. */
static sg_store *fixture_store(const char *name)
{
    sg_store *s = sg_test_store_new(ctx, name, 4545);
    import_text(s, "roads", "fx_roads.geojson", fx_roads, "EPSG:4545");
    import_text(s, "points", "fx_points.geojson", fx_points, "EPSG:4545");
    import_text(s, "households", "fx_households.geojson", fx_households,
                "EPSG:4545");
    import_text(s, "divisions", "fx_divisions.geojson", fx_divisions,
                "EPSG:4545");
    import_text(s, "grids", "fx_grids.geojson", fx_grids, "EPSG:4545");
    return s;
}

/* A text column of the coverage row of \p id ("" for NULL). */
static const char *cov_text(const char *db, const char *col, const char *id)
{
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT %s FROM coverage WHERE household_id = '%s'", col, id);
    return sg_test_sql_text(db, sql);
}

/* A numeric column of the coverage row of \p id (NULL gives -1). */
static double cov_num(const char *db, const char *col, const char *id)
{
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT coalesce(%s, -1) FROM coverage WHERE household_id = "
             "'%s'",
             col, id);
    return sg_test_sql_number(db, sql);
}

#define assert_near(a, b)                                                      \
    do {                                                                       \
        double a_ = (a), b_ = (b);                                             \
        if (!(fabs(a_ - b_) <= 1e-6))                                          \
            fail_msg("%s = %.12g, expected %.12g", #a, a_, b_);                \
    } while (0)

/* Run coverage with \p o on store file \p name (opened, run, closed);
 * *\p r (a result or NULL) is freed first and receives the new one. */
static sg_status run_cov(const char *name, const sg_coverage_options *o,
                         sg_coverage_result **r)
{
    sg_store *s = NULL;
    sg_coverage_result_free(*r);
    *r = NULL;
    assert_sg_status(ctx, sg_store_open(ctx, sg_test_path(name), 0, &s), SG_OK);
    sg_status st = sg_coverage(ctx, s, o, r);
    sg_store_close(s);
    return st;
}

/* The hand-worked distances, flags, tie rule and totals. */
static void test_fixture(void **state)
{
    (void)state;
    sg_store_close(fixture_store("cov_fx.sqlite"));
    const char *db = sg_test_path("cov_fx.sqlite");
    sg_coverage_options *o = sg_coverage_options_new();
    sg_coverage_result *r = NULL;
    assert_sg_status(ctx, run_cov("cov_fx.sqlite", o, &r), SG_OK);
    assert_near(r->radius_m, 120);
    assert_string_equal(r->radius_source,
                        "collection_point.radius_m.clustered");
    assert_int_equal(r->metric_used, SG_METRIC_NETWORK);
    assert_int_equal(r->points, 3);
    assert_int_equal(r->households, 7);
    assert_int_equal(r->residents, 28);

    /* exactly at the radius by straight line: covered; 140 m by road */
    assert_near(cov_num(db, "euclid_m", "H_rad"), 120);
    assert_near(cov_num(db, "covered_euclid", "H_rad"), 1);
    assert_near(cov_num(db, "snap_m", "H_rad"), 10);
    assert_near(cov_num(db, "network_m", "H_rad"), 140);
    assert_near(cov_num(db, "covered_network", "H_rad"), 0);
    /* exactly at the radius along the road: covered */
    assert_near(cov_num(db, "network_m", "H_netrad"), 120);
    assert_near(cov_num(db, "covered_network", "H_netrad"), 1);
    assert_near(cov_num(db, "euclid_m", "H_netrad"), hypot(110, 10));
    /* the dangling lane: 5 + 200 + 500 + 10 */
    assert_near(cov_num(db, "network_m", "H_lane"), 715);
    assert_near(cov_num(db, "euclid_m", "H_lane"), hypot(505, 190));
    assert_string_equal(cov_text(db, "network_point_id", "H_lane"), "P1");
    /* across the bridge: on a road, but no point in its component */
    assert_near(cov_num(db, "snap_m", "H_bridge"), 0);
    assert_near(cov_num(db, "reachable", "H_bridge"), 0);
    assert_near(cov_num(db, "network_m", "H_bridge"), -1);
    assert_string_equal(cov_text(db, "network_point_id", "H_bridge"), "");
    assert_near(cov_num(db, "covered_euclid", "H_bridge"), 0);
    /* two equally near points: the lowest point_id ("P10" < "P9") */
    assert_near(cov_num(db, "euclid_m", "H_tie"), hypot(100, 10));
    assert_near(cov_num(db, "network_m", "H_tie"), 110);
    assert_string_equal(cov_text(db, "euclid_point_id", "H_tie"), "P10");
    assert_string_equal(cov_text(db, "network_point_id", "H_tie"), "P10");
    /* beyond max-snap: unreachable, no road distance */
    assert_near(cov_num(db, "reachable", "H_far"), 0);
    assert_near(cov_num(db, "snap_m", "H_far"), -1);
    /* a road component without points */
    assert_near(cov_num(db, "reachable", "H_iso"), 0);
    assert_near(cov_num(db, "snap_m", "H_iso"), 0);

    /* totals: beyond by straight line all but H_rad, H_netrad, H_tie */
    assert_int_equal(r->beyond_euclid, 4);
    assert_int_equal(r->residents_beyond_euclid, 4 + 5 + 6 + 7);
    assert_int_equal(r->unreachable, 3);
    assert_int_equal(r->off_network, 1);
    assert_int_equal(r->residents_unreachable, 5 + 6 + 7);
    /* H_rad, H_lane beyond the radius; H_iso and two more unreachable */
    assert_int_equal(r->beyond_network, 2 + 3);
    assert_int_equal(r->residents_beyond_network, 2 + 4 + 5 + 6 + 7);
    assert_int_equal(r->points_off_network, 0);
    /* the figures agree with the layer */
    assert_int_equal(
        (int)sg_test_sql_number(db, "SELECT count(*) FROM coverage WHERE "
                                    "covered_network = 0"),
        r->beyond_network);
    /* the division and grid of each household */
    assert_string_equal(cov_text(db, "division_code", "H_rad"), "999001100000");
    assert_string_equal(cov_text(db, "grid_code", "H_rad"), "999001100000001");
    assert_string_equal(cov_text(db, "grid_code", "H_lane"), "");
    assert_string_equal(cov_text(db, "division_code", "H_iso"), "");
    assert_string_equal(sg_test_sql_text(db, "SELECT command FROM runs "
                                             "ORDER BY run_id DESC LIMIT 1"),
                        "coverage");
    assert_contains(sg_test_sql_text(db, "SELECT params FROM runs ORDER BY "
                                         "run_id DESC LIMIT 1"),
                    "\"metric_used\":\"network\"");
    sg_coverage_options_free(o);
    sg_coverage_result_free(r);
}

/* With --node-crossings the bridge is connected: 150 + 300 + 10. A
 * larger max-snap brings H_far onto the lane's end. */
static void test_fixture_options(void **state)
{
    (void)state;
    sg_store_close(fixture_store("cov_fx2.sqlite"));
    const char *db = sg_test_path("cov_fx2.sqlite");
    sg_coverage_options *o = sg_coverage_options_new();
    sg_network_options *no = sg_network_options_new();
    assert_sg_status(ctx, sg_network_options_set_node_crossings(ctx, no, 1),
                     SG_OK);
    assert_sg_status(ctx, sg_coverage_options_set_network(ctx, o, no), SG_OK);
    assert_sg_status(ctx, sg_coverage_options_set_max_snap(ctx, o, 700), SG_OK);
    sg_coverage_result *r = NULL;
    assert_sg_status(ctx, run_cov("cov_fx2.sqlite", o, &r), SG_OK);
    assert_near(cov_num(db, "network_m", "H_bridge"), 460);
    assert_string_equal(cov_text(db, "network_point_id", "H_bridge"), "P1");
    assert_near(cov_num(db, "network_m", "H_far"),
                hypot(100, 600) + 200 + 500 + 10);
    assert_int_equal(r->unreachable, 1); /* H_iso */
    assert_int_equal(r->network.crossings, 1);
    /* euclid only: network columns NULL */
    assert_sg_status(
        ctx, sg_coverage_options_set_metric(ctx, o, SG_METRIC_EUCLID), SG_OK);
    assert_sg_status(ctx, run_cov("cov_fx2.sqlite", o, &r), SG_OK);
    assert_int_equal(r->metric_used, SG_METRIC_EUCLID);
    assert_int_equal((int)sg_test_sql_number(
                         db, "SELECT count(*) FROM coverage WHERE network_m "
                             "IS NULL AND reachable IS NULL AND "
                             "covered_network IS NULL AND euclid_m > 0"),
                     7);
    /* a public toilet, radius 300 m from the settings; --radius wins */
    assert_sg_status(
        ctx, sg_coverage_options_set_metric(ctx, o, SG_METRIC_BOTH), SG_OK);
    assert_sg_status(
        ctx, sg_coverage_options_set_kind(ctx, o, SG_POINT_PUBLIC_TOILET),
        SG_OK);
    assert_sg_status(ctx, run_cov("cov_fx2.sqlite", o, &r), SG_OK);
    assert_near(r->radius_m, 300);
    assert_int_equal(r->points, 1);
    assert_near(cov_num(db, "euclid_m", "H_lane"), hypot(5, 100));
    assert_near(cov_num(db, "network_m", "H_lane"), 5 + 100);
    assert_sg_status(ctx, sg_coverage_options_set_radius(ctx, o, 50), SG_OK);
    assert_sg_status(ctx, run_cov("cov_fx2.sqlite", o, &r), SG_OK);
    assert_near(r->radius_m, 50);
    assert_string_equal(r->radius_source, "--radius");
    sg_network_options_free(no);
    sg_coverage_options_free(o);
    sg_coverage_result_free(r);
}

/* 村收集→镇转运: each collection point's road distance to the transfer
 * station against the vehicle radius (3 km). */
static void test_demand_points(void **state)
{
    (void)state;
    sg_store_close(fixture_store("cov_demand.sqlite"));
    const char *db = sg_test_path("cov_demand.sqlite");
    sg_coverage_options *o = sg_coverage_options_new();
    assert_sg_status(
        ctx, sg_coverage_options_set_kind(ctx, o, SG_POINT_TRANSFER_STATION),
        SG_OK);
    assert_sg_status(
        ctx, sg_coverage_options_set_demand(ctx, o, "collection_point"), SG_OK);
    sg_coverage_result *r = NULL;
    assert_sg_status(ctx, run_cov("cov_demand.sqlite", o, &r), SG_OK);
    assert_near(r->radius_m, 3000);
    assert_string_equal(r->radius_source,
                        "collection_vehicle.radius_km.small_motor");
    assert_string_equal(r->demand, "collection_point");
    assert_int_equal(r->households, 3);
    assert_int_equal(r->residents, 0);
    assert_near(cov_num(db, "network_m", "P1"), 10 + 1000);
    assert_near(cov_num(db, "covered_network", "P1"), 1);
    assert_near(cov_num(db, "euclid_m", "P1"), hypot(1000, 10));
    assert_string_equal(cov_text(db, "network_point_id", "P1"), "T1");
    assert_near(cov_num(db, "resident_population", "P1"), -1);
    /* P9 and P10 sit on a road that does not reach T1 */
    assert_near(cov_num(db, "reachable", "P9"), 0);
    assert_near(cov_num(db, "covered_euclid", "P9"), 1);
    assert_int_equal(r->unreachable, 2);
    /* the demand and the kind must differ */
    assert_sg_status(
        ctx, sg_coverage_options_set_kind(ctx, o, SG_POINT_COLLECTION_POINT),
        SG_OK);
    assert_sg_status(ctx, run_cov("cov_demand.sqlite", o, &r), SG_ERR_USAGE);
    sg_coverage_options_free(o);
    sg_coverage_result_free(r);
}

/* Blind spots: one per group of uncovered households, their polygons,
 * clipping, counts; and the statistics table. */
static void test_blind_spots_and_stats(void **state)
{
    (void)state;
    sg_store_close(fixture_store("cov_blind.sqlite"));
    const char *db = sg_test_path("cov_blind.sqlite");
    sg_coverage_options *o = sg_coverage_options_new();
    sg_coverage_result *r = NULL;
    assert_sg_status(ctx, run_cov("cov_blind.sqlite", o, &r), SG_OK);
    /* uncovered along roads: H_rad, H_lane, H_bridge, H_far, H_iso, all
     * more than 120 m from each other */
    assert_int_equal(r->blind_spots, 5);
    assert_int_equal(r->blind_spot_households, 5);
    assert_int_equal(
        (int)sg_test_sql_number(db, "SELECT count(*) FROM blind_spots WHERE "
                                    "households = 1 AND IsValid(geom)"),
        5);
    /* ids follow the households (all groups have one): fid order */
    assert_int_equal((int)cov_num(db, "blind_spot", "H_rad"), 1);
    assert_int_equal((int)cov_num(db, "blind_spot", "H_iso"), 5);
    assert_int_equal((int)cov_num(db, "blind_spot", "H_netrad"), -1);
    /* a whole disc of radius 60 (H_rad, inside the township; H_iso,
     * outside every division, kept unclipped) */
    double disc = M_PI * 60 * 60;
    double a1 = sg_test_sql_number(db, "SELECT area_m2 FROM blind_spots "
                                       "WHERE blind_spot_id = 1");
    double a5 = sg_test_sql_number(db, "SELECT area_m2 FROM blind_spots "
                                       "WHERE blind_spot_id = 5");
    assert_true(fabs(a1 - disc) / disc < 0.003);
    assert_true(fabs(a5 - disc) / disc < 0.003);
    /* H_lane's disc cut at x = 500530, 25 m from its centre */
    double seg = 3600 * acos(25.0 / 60) - 25 * sqrt(3600 - 625);
    assert_int_equal((int)cov_num(db, "blind_spot", "H_lane"), 2);
    double a2 = sg_test_sql_number(db, "SELECT area_m2 FROM blind_spots "
                                       "WHERE blind_spot_id = 2");
    assert_true(fabs(a2 - (disc - seg)) / (disc - seg) < 0.005);
    assert_near(sg_test_sql_number(db, "SELECT max(MbrMaxX(geom)) FROM "
                                       "blind_spots WHERE blind_spot_id = 2"),
                500530);
    /* every uncovered household lies in its blind spot */
    assert_int_equal(
        (int)sg_test_sql_number(db, "SELECT count(*) FROM coverage c JOIN "
                                    "blind_spots b ON b.blind_spot_id = "
                                    "c.blind_spot WHERE ST_Contains(b.geom, "
                                    "c.geom)"),
        5);
    assert_int_equal(
        (int)sg_test_sql_number(db, "SELECT sum(residents) FROM blind_spots"),
        2 + 4 + 5 + 6 + 7);
    /* statistics: the township holds H_rad, H_netrad, H_lane, H_bridge
     * and P1, W1 is not a collection point */
    char *rows = sg_test_sql_rows(
        db, "SELECT unit_type, unit_code, level, households, residents, "
            "round(covered_euclid_share, 6), round(covered_network_share, "
            "6), unreachable, points_inside, round(residents_per_point, 3), "
            "farthest_household_id, round(farthest_m, 6) FROM "
            "coverage_stats ORDER BY fid");
    assert_string_equal(rows,
                        "division|999001100000|township|4|14|0.5|0.25|1|1|"
                        "14.0|H_lane|715.0\n"
                        "grid|999001100000001|1|2|5|1.0|0.5|0|1|5.0|H_rad|"
                        "140.0\n");
    free(rows);
    /* the township's households, counted independently */
    assert_int_equal((int)sg_test_sql_number(
                         db, "SELECT count(*) FROM households h, divisions "
                             "d WHERE ST_Contains(d.geom, h.geom)"),
                     4);
    /* blind spots by straight line when asked for that metric only */
    assert_sg_status(
        ctx, sg_coverage_options_set_metric(ctx, o, SG_METRIC_EUCLID), SG_OK);
    assert_sg_status(ctx, run_cov("cov_blind.sqlite", o, &r), SG_OK);
    assert_int_equal(r->blind_spot_households, r->beyond_euclid);
    sg_coverage_options_free(o);
    sg_coverage_result_free(r);
}

/* Two uncovered households 100 m apart share a blind spot (their discs
 * of 60 m overlap); 130 m apart they do not. */
static void test_blind_grouping(void **state)
{
    (void)state;
    sg_store *s = sg_test_store_new(ctx, "cov_group.sqlite", 4545);
    import_text(s, "roads", "g_roads.geojson",
                FC(ROAD("R1", "[600000,3300000],[601000,3300000]")),
                "EPSG:4545");
    import_text(s, "points", "g_points.geojson",
                FC(POINT("P1", "collection_point", "600000", "3300000")),
                "EPSG:4545");
    import_text(
        s, "households", "g_households.geojson",
        FC(HOUSE("A", "1", "600400", "3300000") "," HOUSE(
            "B", "1", "600500",
            "3300000") "," HOUSE("C", "1", "600630",
                                 "3300000") "," HOUSE("D", "1", "600100",
                                                      "3300000")),
        "EPSG:4545");
    sg_store_close(s);
    const char *db = sg_test_path("cov_group.sqlite");
    sg_coverage_options *o = sg_coverage_options_new();
    sg_coverage_result *r = NULL;
    assert_sg_status(ctx, run_cov("cov_group.sqlite", o, &r), SG_OK);
    assert_int_equal(r->blind_spots, 2);
    assert_int_equal((int)cov_num(db, "blind_spot", "A"), 1);
    assert_int_equal((int)cov_num(db, "blind_spot", "B"), 1);
    assert_int_equal((int)cov_num(db, "blind_spot", "C"), 2);
    assert_int_equal((int)cov_num(db, "blind_spot", "D"), -1);
    /* A and B: two discs overlapping over 100 m: lens formula */
    double d = 100, rr = 60;
    double lens =
        2 * rr * rr * acos(d / (2 * rr)) - d / 2 * sqrt(4 * rr * rr - d * d);
    double want = 2 * M_PI * rr * rr - lens;
    double got = sg_test_sql_number(db, "SELECT area_m2 FROM blind_spots "
                                        "WHERE blind_spot_id = 1");
    assert_true(fabs(got - want) / want < 0.003);
    assert_int_equal((int)sg_test_sql_number(
                         db, "SELECT NumGeometries(geom) FROM blind_spots "
                             "WHERE blind_spot_id = 1"),
                     1);
    sg_coverage_options_free(o);
    sg_coverage_result_free(r);
}

/* A unit's farthest household among equals is the lowest fid, whatever
 * order the threads take the households in: F1 and F2 lie at the same
 * distance from P, and the Z-order of positions takes F2 (lower left)
 * before F1 (lower right) in the same half. */
static void test_farthest_tie(void **state)
{
    (void)state;
    sg_store *s = sg_test_store_new(ctx, "cov_tie.sqlite", 4545);
    import_text(s, "points", "t_points.geojson",
                FC(POINT("P", "collection_point", "600050", "3300300")),
                "EPSG:4545");
    /* clang-format off */
    import_text(s, "households", "t_households.geojson",
                FC(HOUSE("F1", "1", "600100", "3300000") ","
                   HOUSE("F2", "1", "600000", "3300000") ","
                   HOUSE("F3", "1", "600000", "3300100") ","
                   HOUSE("F4", "1", "600100", "3300100")),
                "EPSG:4545");
    import_text(s, "divisions", "t_divisions.geojson",
                FC("{\"type\":\"Feature\",\"properties\":{"
                   "\"division_code\":\"999001100000\",\"name\":\"T\","
                   "\"level\":\"township\"},"
                   SQUARE("599900", "3299900", "600200", "3300400")),
                "EPSG:4545");
    /* clang-format on */
    sg_store_close(s);
    sg_coverage_options *o = sg_coverage_options_new();
    assert_sg_status(
        ctx, sg_coverage_options_set_metric(ctx, o, SG_METRIC_EUCLID), SG_OK);
    sg_coverage_result *r = NULL;
    assert_sg_status(ctx, run_cov("cov_tie.sqlite", o, &r), SG_OK);
    char *rows = sg_test_sql_rows(
        sg_test_path("cov_tie.sqlite"),
        "SELECT farthest_household_id, round(farthest_m, 6) FROM "
        "coverage_stats WHERE unit_type = 'division'");
    char want[64];
    snprintf(want, sizeof want, "F1|%.6f\n", sqrt(50.0 * 50 + 300.0 * 300));
    assert_string_equal(rows, want);
    free(rows);
    sg_coverage_options_free(o);
    sg_coverage_result_free(r);
}

/* ---- a textbook Dijkstra over the roads read back with SQL ---------- */

/* The road graph as the test builds it: vertices merged by exact
 * coordinates (sorted), one edge per pair of consecutive vertices. */
typedef struct tgraph {
    size_t nv, ne;
    double *x, *y;
    size_t *ea, *eb;
    double *w;
} tgraph;

/* Parse a little-endian WKB LineString. \return vertex count. */
static size_t parse_line(const unsigned char *b, size_t n, double *xy,
                         size_t cap)
{
    uint32_t type, np;
    assert_true(n >= 9 && b[0] == 1);
    memcpy(&type, b + 1, 4);
    assert_int_equal(type, 2);
    memcpy(&np, b + 5, 4);
    assert_true(np <= cap && n >= 9 + 16 * (size_t)np);
    memcpy(xy, b + 9, 16 * (size_t)np);
    return np;
}

/* Lexicographic order of coordinate pairs. */
static int cmp_xy(const void *a, const void *b)
{
    const double *p = a, *q = b;
    if (p[0] != q[0])
        return p[0] < q[0] ? -1 : 1;
    return p[1] < q[1] ? -1 : p[1] > q[1];
}

/* The vertex number of (x, y) in the sorted unique vertex list. */
static size_t vertex_of(const tgraph *g, const double *sorted, double x,
                        double y)
{
    double key[2] = {x, y};
    const double *hit = bsearch(key, sorted, g->nv, 2 * sizeof *sorted, cmp_xy);
    assert_non_null(hit);
    return (size_t)(hit - sorted) / 2;
}

/* Read the roads of \p db with plain SQLite (AsBinary) and build the
 * textbook graph. */
static void tgraph_load(const char *db, tgraph *g)
{
    char *rows = sg_test_sql_rows(db, "SELECT hex(AsBinary(geom)) FROM "
                                      "roads ORDER BY fid");
    size_t cap = 1 << 20, nxy = 0;
    double *all = malloc(cap * 2 * sizeof *all);
    size_t *line_len = malloc(65536 * sizeof *line_len), nlines = 0;
    assert_non_null(all);
    assert_non_null(line_len);
    for (char *p = rows; *p;) {
        char *end = strchr(p, '\n');
        size_t hexlen = (size_t)(end - p);
        unsigned char *b = malloc(hexlen / 2 + 1);
        assert_non_null(b);
        for (size_t i = 0; i < hexlen / 2; i++) {
            unsigned v;
            sscanf(p + 2 * i, "%2x", &v);
            b[i] = (unsigned char)v;
        }
        size_t np = parse_line(b, hexlen / 2, all + 2 * nxy, cap - nxy);
        line_len[nlines++] = np;
        nxy += np;
        free(b);
        p = end + 1;
    }
    free(rows);
    double *sorted = malloc(nxy * 2 * sizeof *sorted);
    assert_non_null(sorted);
    memcpy(sorted, all, nxy * 2 * sizeof *sorted);
    qsort(sorted, nxy, 2 * sizeof *sorted, cmp_xy);
    g->nv = 0;
    for (size_t i = 0; i < nxy; i++)
        if (i == 0 || cmp_xy(sorted + 2 * i, sorted + 2 * (i - 1)) != 0) {
            sorted[2 * g->nv] = sorted[2 * i];
            sorted[2 * g->nv + 1] = sorted[2 * i + 1];
            g->nv++;
        }
    g->x = malloc(g->nv * sizeof *g->x);
    g->y = malloc(g->nv * sizeof *g->y);
    g->ea = malloc(nxy * sizeof *g->ea);
    g->eb = malloc(nxy * sizeof *g->eb);
    g->w = malloc(nxy * sizeof *g->w);
    for (size_t v = 0; v < g->nv; v++) {
        g->x[v] = sorted[2 * v];
        g->y[v] = sorted[2 * v + 1];
    }
    g->ne = 0;
    for (size_t l = 0, k = 0; l < nlines; k += line_len[l++]) {
        for (size_t i = 1; i < line_len[l]; i++) {
            const double *a = all + 2 * (k + i - 1), *b = all + 2 * (k + i);
            if (a[0] == b[0] && a[1] == b[1])
                continue;
            g->ea[g->ne] = vertex_of(g, sorted, a[0], a[1]);
            g->eb[g->ne] = vertex_of(g, sorted, b[0], b[1]);
            g->w[g->ne] = hypot(b[0] - a[0], b[1] - a[1]);
            g->ne++;
        }
    }
    free(sorted);
    free(all);
    free(line_len);
}

/* Free the test graph. */
static void tgraph_free(tgraph *g)
{
    free(g->x);
    free(g->y);
    free(g->ea);
    free(g->eb);
    free(g->w);
}

/* Brute force: the edge nearest to (x, y), with parameter and distance
 * (the first edge on ties). */
static size_t nearest_edge(const tgraph *g, double x, double y, double *t,
                           double *d)
{
    size_t best = g->ne;
    *d = INFINITY;
    for (size_t e = 0; e < g->ne; e++) {
        double ax = g->x[g->ea[e]], ay = g->y[g->ea[e]];
        double dx = g->x[g->eb[e]] - ax, dy = g->y[g->eb[e]] - ay;
        double u = ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy);
        u = u < 0 ? 0 : u > 1 ? 1 : u;
        double dd = hypot(ax + u * dx - x, ay + u * dy - y);
        if (dd < *d) {
            *d = dd;
            *t = u;
            best = e;
        }
    }
    return best;
}

/* Textbook O(V^2) Dijkstra from a location on edge \p e at \p t. */
static void dijkstra_from(const tgraph *g, size_t e, double t, double *dist)
{
    char *done = calloc(g->nv, 1);
    assert_non_null(done);
    for (size_t v = 0; v < g->nv; v++)
        dist[v] = INFINITY;
    dist[g->ea[e]] = t * g->w[e];
    dist[g->eb[e]] = fmin(dist[g->eb[e]], (1 - t) * g->w[e]);
    /* adjacency lists keep it from being O(V * E) */
    size_t *deg = calloc(g->nv + 1, sizeof *deg);
    size_t *adj = malloc(2 * g->ne * sizeof *adj);
    for (size_t k = 0; k < g->ne; k++) {
        deg[g->ea[k] + 1]++;
        deg[g->eb[k] + 1]++;
    }
    for (size_t v = 0; v < g->nv; v++)
        deg[v + 1] += deg[v];
    size_t *fill = malloc((g->nv + 1) * sizeof *fill);
    memcpy(fill, deg, (g->nv + 1) * sizeof *fill);
    for (size_t k = 0; k < g->ne; k++) {
        adj[fill[g->ea[k]]++] = k;
        adj[fill[g->eb[k]]++] = k;
    }
    for (;;) {
        size_t u = g->nv;
        for (size_t v = 0; v < g->nv; v++)
            if (!done[v] && isfinite(dist[v]) &&
                (u == g->nv || dist[v] < dist[u]))
                u = v;
        if (u == g->nv)
            break;
        done[u] = 1;
        for (size_t a = deg[u]; a < deg[u + 1]; a++) {
            size_t k = adj[a], o = g->ea[k] == u ? g->eb[k] : g->ea[k];
            if (dist[u] + g->w[k] < dist[o])
                dist[o] = dist[u] + g->w[k];
        }
    }
    free(done);
    free(deg);
    free(adj);
    free(fill);
}

/* For each household of \p ids (NULL-terminated), its network distance
 * to the nearest point of \p kind by the textbook search must equal the
 * coverage layer's (and the point too, unless two are within 1e-6 m). */
static void check_textbook(const char *db, const char *kind,
                           const char *const *ids, double max_snap)
{
    tgraph g;
    tgraph_load(db, &g);
    char sql[512];
    snprintf(sql, sizeof sql,
             "SELECT point_id, X(geom), Y(geom) FROM points WHERE kind = "
             "'%s' ORDER BY point_id",
             kind);
    char *prow = sg_test_sql_rows(db, sql);
    enum { MAXP = 64 };
    char pid[MAXP][32];
    double px[MAXP], py[MAXP], pt[MAXP], pd[MAXP];
    size_t pe[MAXP], np = 0;
    for (char *p = prow; *p; p = strchr(p, '\n') + 1) {
        assert_true(np < MAXP);
        assert_int_equal(
            sscanf(p, "%31[^|]|%lf|%lf", pid[np], &px[np], &py[np]), 3);
        pe[np] = nearest_edge(&g, px[np], py[np], &pt[np], &pd[np]);
        np++;
    }
    free(prow);
    double *dist = malloc(g.nv * sizeof *dist);
    assert_non_null(dist);
    for (size_t h = 0; ids[h]; h++) {
        snprintf(sql, sizeof sql,
                 "SELECT X(geom), Y(geom) FROM households WHERE "
                 "household_id = '%s'",
                 ids[h]);
        char *row = sg_test_sql_rows(db, sql);
        double x, y, t, d;
        assert_int_equal(sscanf(row, "%lf|%lf", &x, &y), 2);
        free(row);
        size_t e = nearest_edge(&g, x, y, &t, &d);
        double best = INFINITY, second = INFINITY;
        size_t bp = 0;
        if (d <= max_snap) {
            dijkstra_from(&g, e, t, dist);
            for (size_t p = 0; p < np; p++) {
                if (pd[p] > max_snap)
                    continue;
                size_t f = pe[p];
                double c = pd[p] + fmin(dist[g.ea[f]] + pt[p] * g.w[f],
                                        dist[g.eb[f]] + (1 - pt[p]) * g.w[f]);
                if (f == e)
                    c = fmin(c, fabs(t - pt[p]) * g.w[f] + pd[p]);
                c += d;
                if (c < best) {
                    second = best;
                    best = c;
                    bp = p;
                } else if (c < second) {
                    second = c;
                }
            }
        }
        double got = cov_num(db, "network_m", ids[h]);
        if (!isfinite(best)) {
            if (got != -1)
                fail_msg("%s: unreachable for the textbook, %.9f here", ids[h],
                         got);
            continue;
        }
        if (fabs(got - best) > 1e-6)
            fail_msg("%s: network_m %.9f, textbook %.9f", ids[h], got, best);
        if (second - best > 1e-6)
            assert_string_equal(cov_text(db, "network_point_id", ids[h]),
                                pid[bp]);
    }
    free(dist);
    tgraph_free(&g);
}

/* Every fixture household against the textbook search. */
static void test_fixture_textbook(void **state)
{
    (void)state;
    sg_store_close(fixture_store("cov_tb.sqlite"));
    sg_coverage_options *o = sg_coverage_options_new();
    sg_coverage_result *r = NULL;
    assert_sg_status(ctx, run_cov("cov_tb.sqlite", o, &r), SG_OK);
    static const char *const ids[] = {"H_rad", "H_netrad", "H_lane", "H_bridge",
                                      "H_tie", "H_far",    "H_iso",  NULL};
    check_textbook(sg_test_path("cov_tb.sqlite"), "collection_point", ids, 500);
    sg_coverage_options_free(o);
    sg_coverage_result_free(r);
}

/* ---- the demo data ------------------------------------------------------ */

/* A store with the demo's layers (the working CRS chosen by the first
 * import). */
static void demo_store(const char *name)
{
    static const char *const layers[] = {"divisions", "grids", "roads",
                                         "points", "households"};
    sg_store *s = sg_test_store_new(ctx, name, 0);
    for (size_t i = 0; i < 5; i++) {
        char src[4096];
        snprintf(src, sizeof src, "%s/data/demo/%s.geojson",
                 sg_test_source_dir(), layers[i]);
        sg_import_result *r = NULL;
        assert_sg_status(ctx, sg_import(ctx, s, layers[i], src, NULL, &r),
                         SG_OK);
        sg_import_result_free(r);
    }
    sg_store_close(s);
}

/* Every demo household's straight-line distance and nearest point
 * against SpatiaLite's ST_Distance; invariants of the network distances;
 * a sample against the textbook Dijkstra; statistics against SQL; blind
 * spots against a GEOS union of buffers. */
static void test_demo(void **state)
{
    (void)state;
    demo_store("cov_demo.sqlite");
    const char *db = sg_test_path("cov_demo.sqlite");
    sg_coverage_options *o = sg_coverage_options_new();
    sg_coverage_result *r = NULL;
    assert_sg_status(ctx, run_cov("cov_demo.sqlite", o, &r), SG_OK);
    long long n =
        (long long)sg_test_sql_number(db, "SELECT count(*) FROM households");
    assert_int_equal(r->households, n);
    assert_true(n > 500);
    /* brute force by SQL: the minimum over all collection points */
    assert_int_equal(
        (int)sg_test_sql_number(
            db, "SELECT count(*) FROM coverage c JOIN (SELECT "
                "h.household_id AS id, min(ST_Distance(h.geom, p.geom)) AS "
                "d FROM households h, points p WHERE p.kind = "
                "'collection_point' GROUP BY h.household_id) b ON b.id = "
                "c.household_id WHERE abs(c.euclid_m - b.d) <= 1e-6"),
        n);
    /* the point named is at that distance */
    assert_int_equal((int)sg_test_sql_number(
                         db,
                         "SELECT count(*) FROM coverage c JOIN households h ON "
                         "h.household_id = c.household_id JOIN points p ON "
                         "p.point_id = c.euclid_point_id WHERE abs(ST_Distance("
                         "h.geom, p.geom) - c.euclid_m) <= 1e-6"),
                     n);
    /* covered flags and totals from the layer */
    assert_int_equal(
        (int)sg_test_sql_number(db, "SELECT count(*) FROM coverage WHERE "
                                    "covered_euclid = 0"),
        r->beyond_euclid);
    assert_int_equal(
        (int)sg_test_sql_number(db, "SELECT count(*) FROM coverage WHERE "
                                    "covered_euclid = (euclid_m <= 120)"),
        n);
    assert_int_equal(
        (int)sg_test_sql_number(db, "SELECT count(*) FROM coverage WHERE "
                                    "reachable = 0"),
        r->unreachable);
    assert_int_equal(
        (int)sg_test_sql_number(db, "SELECT count(*) FROM coverage WHERE "
                                    "covered_network = 0"),
        r->beyond_network);
    assert_int_equal((int)sg_test_sql_number(
                         db, "SELECT coalesce(sum(resident_population), 0) "
                             "FROM coverage WHERE covered_network = 0"),
                     r->residents_beyond_network);
    /* along roads is never shorter than the straight line */
    assert_int_equal(
        (int)sg_test_sql_number(db, "SELECT count(*) FROM coverage WHERE "
                                    "network_m < euclid_m - 1e-9"),
        0);
    /* a sample of households against the textbook search */
    char *ids_text = sg_test_sql_rows(
        db, "SELECT household_id FROM households WHERE fid % 23 = 1 "
            "ORDER BY fid");
    const char *ids[64];
    size_t k = 0;
    for (char *p = ids_text; *p && k < 63; k++) {
        ids[k] = p;
        p = strchr(p, '\n');
        *p++ = '\0';
    }
    ids[k] = NULL;
    assert_true(k >= 25);
    check_textbook(db, "collection_point", ids, 500);
    free(ids_text);
    /* statistics: each division's households and residents by SQL */
    assert_int_equal(
        (int)sg_test_sql_number(
            db, "SELECT count(*) FROM coverage_stats s JOIN (SELECT "
                "d.division_code AS code, count(h.fid) AS n, "
                "coalesce(sum(h.resident_population), 0) AS res FROM "
                "divisions d LEFT JOIN households h ON ST_Contains(d.geom, "
                "h.geom) GROUP BY d.division_code) q ON q.code = "
                "s.unit_code WHERE s.unit_type = 'division' AND "
                "s.households = q.n AND s.residents = q.res"),
        (int)sg_test_sql_number(db, "SELECT count(*) FROM divisions"));
    assert_int_equal(
        (int)sg_test_sql_number(
            db, "SELECT count(*) FROM coverage_stats s JOIN (SELECT "
                "g.grid_code AS code, count(p.fid) AS n FROM grids g LEFT "
                "JOIN points p ON p.kind = 'collection_point' AND "
                "ST_Contains(g.geom, p.geom) GROUP BY g.grid_code) q ON "
                "q.code = s.unit_code WHERE s.unit_type = 'grid' AND "
                "s.points_inside = q.n"),
        (int)sg_test_sql_number(db, "SELECT count(*) FROM grids"));
    /* blind spots: valid, holding every uncovered household, and close
     * in area to GEOS's union of 60 m buffers (clipped the same way) */
    assert_int_equal((int)sg_test_sql_number(
                         db, "SELECT count(*) FROM blind_spots WHERE NOT "
                             "IsValid(geom)"),
                     0);
    assert_int_equal(
        (int)sg_test_sql_number(db, "SELECT sum(households) FROM blind_spots"),
        r->beyond_network);
    assert_int_equal(
        (int)sg_test_sql_number(db, "SELECT count(*) FROM coverage c JOIN "
                                    "blind_spots b ON b.blind_spot_id = "
                                    "c.blind_spot WHERE ST_Distance(b.geom, "
                                    "c.geom) < 1e-6"),
        r->beyond_network);
    double geos = sg_test_sql_number(
        db, "SELECT Area(ST_Intersection((SELECT ST_Union(ST_Buffer(geom, "
            "60)) FROM coverage WHERE covered_network = 0), (SELECT "
            "ST_Union(geom) FROM divisions WHERE parent_code IS NULL OR "
            "parent_code NOT IN (SELECT division_code FROM divisions))))");
    assert_true(fabs(r->blind_spot_area_m2 - geos) / geos < 0.005);
    sg_coverage_options_free(o);
    sg_coverage_result_free(r);
}

/* Failures: unknown kind or demand, a kind without a radius, read-only
 * store (nothing changed), cancel (rolled back), empty store. */
static int cancel_at_half(double complete, const char *msg, void *user)
{
    (void)msg;
    (void)user;
    return complete < 0.6;
}

static void test_errors(void **state)
{
    (void)state;
    sg_coverage_options *o = sg_coverage_options_new();
    sg_coverage_result *r = NULL;
    assert_sg_status(ctx,
                     sg_coverage_options_set_kind(ctx, o, (sg_point_kind)99),
                     SG_ERR_USAGE);
    assert_sg_status(ctx,
                     sg_coverage_options_set_kind(ctx, o, (sg_point_kind)-1),
                     SG_ERR_USAGE);
    assert_sg_status(ctx, sg_coverage_options_set_demand(ctx, o, "schools"),
                     SG_ERR_USAGE);
    /* the setters refuse a bad value naming it, and keep the option (a
     * radius <= 0 meant "from the settings", a bad metric was ignored) */
    assert_sg_status(ctx, sg_coverage_options_set_radius(ctx, o, 0),
                     SG_ERR_USAGE);
    assert_contains(sg_ctx_errmsg(ctx), "radius");
    assert_sg_status(ctx, sg_coverage_options_set_radius(ctx, o, -5),
                     SG_ERR_USAGE);
    assert_contains(sg_ctx_errmsg(ctx), "not -5");
    assert_sg_status(ctx, sg_coverage_options_set_max_snap(ctx, o, NAN),
                     SG_ERR_USAGE);
    assert_sg_status(ctx, sg_coverage_options_set_metric(ctx, o, 4),
                     SG_ERR_USAGE);
    assert_sg_status(ctx, sg_coverage_options_set_metric(ctx, o, 0),
                     SG_ERR_USAGE);
    /* the metric's names, both ways */
    for (sg_metric m = SG_METRIC_EUCLID; m <= SG_METRIC_BOTH; m++) {
        sg_metric back = 0;
        assert_sg_status(
            ctx, sg_metric_from_string(ctx, sg_metric_to_string(m), &back),
            SG_OK);
        assert_int_equal(back, m);
    }
    assert_string_equal(sg_metric_to_string(SG_METRIC_NETWORK), "network");
    assert_null(sg_metric_to_string(7));
    sg_metric m = SG_METRIC_BOTH;
    assert_sg_status(ctx, sg_metric_from_string(ctx, "road", &m), SG_ERR_USAGE);
    assert_contains(sg_ctx_errmsg(ctx), "'road'");
    assert_int_equal(m, SG_METRIC_BOTH);
    sg_store_close(fixture_store("cov_err.sqlite"));
    const char *db = sg_test_path("cov_err.sqlite");
    assert_sg_status(ctx, sg_coverage_options_set_kind(ctx, o, SG_POINT_BIN),
                     SG_OK);
    assert_sg_status(ctx, run_cov("cov_err.sqlite", o, &r), SG_ERR_USAGE);
    assert_contains(sg_ctx_errmsg(ctx), "--radius");
    /* no bins: refused, not "every household unreachable" (issue 14) */
    assert_sg_status(ctx, sg_coverage_options_set_radius(ctx, o, 100), SG_OK);
    assert_sg_status(ctx, run_cov("cov_err.sqlite", o, &r), SG_ERR_INPUT);
    assert_contains(sg_ctx_errmsg(ctx), "no points of kind bin");
    assert_sg_status(
        ctx, sg_coverage_options_set_kind(ctx, o, SG_POINT_COLLECTION_POINT),
        SG_OK);
    /* read-only */
    sg_store *s = NULL;
    assert_sg_status(ctx, sg_store_open(ctx, db, SG_STORE_READONLY, &s), SG_OK);
    assert_sg_status(ctx, sg_coverage(ctx, s, o, &r), SG_ERR_DB_READONLY);
    assert_null(r);
    sg_store_close(s);
    /* cancelled while writing: the earlier results stay */
    assert_sg_status(ctx, run_cov("cov_err.sqlite", o, &r), SG_OK);
    long long before = (long long)sg_test_sql_number(
        db, "SELECT count(*) FROM runs WHERE command = 'coverage'");
    long long reached = (long long)sg_test_sql_number(
        db, "SELECT count(*) FROM coverage WHERE euclid_point_id IS NULL");
    assert_int_equal(
        (long long)sg_test_sql_number(db, "SELECT count(*) FROM coverage"), 7);
    assert_sg_status(ctx, sg_store_open(ctx, db, 0, &s), SG_OK);
    sg_ctx_set_progress(ctx, cancel_at_half, NULL);
    sg_coverage_result_free(r);
    r = NULL;
    assert_sg_status(ctx, sg_coverage(ctx, s, o, &r), SG_ERR_CANCELLED);
    assert_null(r);
    sg_ctx_set_progress(ctx, NULL, NULL);
    sg_store_close(s);
    assert_int_equal((long long)sg_test_sql_number(
                         db, "SELECT count(*) FROM runs WHERE command = "
                             "'coverage'"),
                     before);
    assert_int_equal(
        (long long)sg_test_sql_number(db, "SELECT count(*) FROM coverage "
                                          "WHERE euclid_point_id IS NULL"),
        reached); /* still the run before */
    /* a store without data */
    s = sg_test_store_new(ctx, "cov_nodata.sqlite", 0);
    assert_sg_status(ctx, sg_coverage(ctx, s, o, &r), SG_ERR_INPUT);
    sg_store_close(s);
    sg_coverage_options_free(o);
    sg_coverage_result_free(r);
}

/* _free(NULL) is safe; a result's strings are its own (they outlive the
 * options they came from). */
static void test_result_owned(void **state)
{
    (void)state;
    sg_coverage_result_free(NULL);
    sg_coverage_options_free(NULL);
    sg_store_close(fixture_store("cov_own.sqlite"));
    sg_coverage_options *o = sg_coverage_options_new();
    assert_sg_status(ctx, sg_coverage_options_set_radius(ctx, o, 150), SG_OK);
    sg_coverage_result *r = NULL;
    assert_sg_status(ctx, run_cov("cov_own.sqlite", o, &r), SG_OK);
    sg_coverage_options_free(o);
    assert_non_null(r);
    assert_string_equal(r->kind, "collection_point");
    assert_string_equal(r->demand, "households");
    assert_string_equal(r->radius_source, "--radius");
    assert_int_equal(r->metric, SG_METRIC_BOTH);
    assert_int_equal(r->metric_used, SG_METRIC_NETWORK);
    assert_true(r->network.roads > 0);
    sg_coverage_result_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fixture),
        cmocka_unit_test(test_fixture_options),
        cmocka_unit_test(test_demand_points),
        cmocka_unit_test(test_blind_spots_and_stats),
        cmocka_unit_test(test_blind_grouping),
        cmocka_unit_test(test_farthest_tie),
        cmocka_unit_test(test_fixture_textbook),
        cmocka_unit_test(test_demo),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_result_owned),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
