/* Unit tests of src/io/crs.c: GCJ-02 and BD-09 conversions against test
 * points published by other implementations (each vector cites its
 * repository and path), round trips across China, and the choice of the
 * metric working CRS.
 * Not for: PROJ-based reprojection (tested with the store and io modules).
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdio.h>

#include "helpers.h"

/* Metres per degree of arc on a sphere of radius 6378137 m; fine for the
 * sub-metre distances compared here. */
#define M_PER_DEG (6378137.0 * 3.14159265358979323846 / 180.0)

/* Forward tolerances in degrees, set by the published precision:
 * eviltransform and coordtransform print full doubles (15-17 digits) and
 * are matched to 1e-9, which also catches the a = 6378137 variant (~1e-7
 * off, PRCoords README); gcoord prints 8 decimals and is matched to 2e-8.
 * TOL_DEG (1e-6) is the looser bound eviltransform's own tests use (6
 * decimals), kept for the BD-09 -> GCJ-02 direction, see below. */
#define TOL_FULL 1e-9
#define TOL_8DEC 2e-8
#define TOL_DEG 1e-6

/* Inverse tolerance in metres (DOMAIN.md K5: iterative inverse < 0.5 m). */
#define TOL_INV_M 0.5

/* A published pair of the same place in two datums, in degrees. */
typedef struct pair {
    const char *name;    /* place, for failure messages */
    double a_lon, a_lat; /* source datum */
    double b_lon, b_lat; /* target datum */
    double tol;          /* forward tolerance, degrees */
} pair;

/* Approximate ground distance in metres between two nearby lon/lat points
 * (equirectangular, cosine of the mean latitude). Pure function. */
static double dist_m(double lon1, double lat1, double lon2, double lat2)
{
    double mlat = (lat1 + lat2) / 2.0 * 3.14159265358979323846 / 180.0;
    double dx = (lon1 - lon2) * cos(mlat) * M_PER_DEG;
    double dy = (lat1 - lat2) * M_PER_DEG;
    return sqrt(dx * dx + dy * dy);
}

/* Fail the current test with a message naming \p what unless both
 * coordinates are within \p tol degrees of the expected ones. */
static void check_deg(const char *what, double lon, double lat, double want_lon,
                      double want_lat, double tol)
{
    if (!(fabs(lon - want_lon) <= tol && fabs(lat - want_lat) <= tol))
        fail_msg("%s: got (%.10f, %.10f), want (%.10f, %.10f) +- %g deg", what,
                 lon, lat, want_lon, want_lat, tol);
}

/* Fail the current test unless (lon, lat) is within \p tol_m metres of
 * (want_lon, want_lat). */
static void check_m(const char *what, double lon, double lat, double want_lon,
                    double want_lat, double tol_m)
{
    double d = dist_m(lon, lat, want_lon, want_lat);
    if (!(d <= tol_m))
        fail_msg("%s: got (%.10f, %.10f), want (%.10f, %.10f): %.4f m > %g m",
                 what, lon, lat, want_lon, want_lat, d, tol_m);
}

/* WGS 84 -> GCJ-02 pairs, lon/lat order here (the sources list lat first
 * and are transcribed swapped). */
static const pair wgs_gcj[] = {
    /* googollee/eviltransform c/test.c (same in go/transform_test.go,
     * python/test.py, javascript/test.js) */
    {"eviltransform shanghai", 121.5272106, 31.1774276, 121.531541859215,
     31.17530398364597, TOL_FULL},
    {"eviltransform shenzhen", 113.912316, 22.543847, 113.9171764808363,
     22.540796131694766, TOL_FULL},
    {"eviltransform beijing", 116.377817, 39.911954, 116.38404722455657,
     39.91334545536069, TOL_FULL},
    /* wandergis/coordtransform README.md: wgs84togcj02(116.404, 39.915) */
    {"coordtransform README", 116.404, 39.915, 116.41024449916938,
     39.91640428150164, TOL_FULL},
    /* hujiulong/gcoord test/unit/transform.spec.ts: WGS84 [123, 45] ->
     * GCJ02 [123.00607541, 45.00197815] */
    {"gcoord transform.spec", 123.0, 45.0, 123.00607541, 45.00197815, TOL_8DEC},
};

/* The forward formula reproduces every published GCJ-02 point to its
 * published precision. */
static void test_wgs_to_gcj_published(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof wgs_gcj / sizeof wgs_gcj[0]; i++) {
        const pair *p = &wgs_gcj[i];
        double lon, lat;
        sg_crs_wgs84_to_gcj02(p->a_lon, p->a_lat, &lon, &lat);
        check_deg(p->name, lon, lat, p->b_lon, p->b_lat, p->tol);
    }
}

/* The iterative inverse (3 iterations) lands within 0.5 m of the published
 * WGS 84 point; the one-step inverse (1 iteration) only within 5 m, the
 * bound eviltransform's own tests (c/test.c) allow for it. */
static void test_gcj_to_wgs_published(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof wgs_gcj / sizeof wgs_gcj[0]; i++) {
        const pair *p = &wgs_gcj[i];
        double lon, lat;
        sg_crs_gcj02_to_wgs84(p->b_lon, p->b_lat, 3, &lon, &lat);
        check_m(p->name, lon, lat, p->a_lon, p->a_lat, TOL_INV_M);
        sg_crs_gcj02_to_wgs84(p->b_lon, p->b_lat, 1, &lon, &lat);
        check_m(p->name, lon, lat, p->a_lon, p->a_lat, 5.0);
        /* iterations < 1 is taken as 1 */
        double lon0, lat0;
        sg_crs_gcj02_to_wgs84(p->b_lon, p->b_lat, 0, &lon0, &lat0);
        assert_true(lon0 == lon && lat0 == lat);
    }
    /* hujiulong/gcoord test/unit/crs/GCJ02.spec.ts: GCJ02 [123, 45] ->
     * WGS84 [122.99395597, 44.99804071] (gcoord iterates to 1e-6 deg). */
    double lon, lat;
    sg_crs_gcj02_to_wgs84(123.0, 45.0, 3, &lon, &lat);
    check_m("gcoord GCJ02.spec", lon, lat, 122.99395597, 44.99804071,
            TOL_INV_M);
}

/* Published GCJ-02 <-> BD-09 pairs. GCJ-02 -> BD-09 to the published
 * precision. The sources' bd09 -> gcj02 uses the common closed form, which
 * differs from the exact inverse implemented here by up to about 1e-6
 * degrees (7e-7 at gcoord's point), hence TOL_DEG for that direction. */
static void test_bd09_published(void **state)
{
    (void)state;
    double lon, lat;
    /* wandergis/coordtransform README.md: gcj02tobd09(116.404, 39.915) */
    sg_crs_gcj02_to_bd09(116.404, 39.915, &lon, &lat);
    check_deg("coordtransform gcj02tobd09", lon, lat, 116.41036949371029,
              39.92133699351021, TOL_FULL);
    /* wandergis/coordtransform README.md: bd09togcj02(116.404, 39.915) */
    sg_crs_bd09_to_gcj02(116.404, 39.915, &lon, &lat);
    check_deg("coordtransform bd09togcj02", lon, lat, 116.39762729119315,
              39.90865673957631, TOL_DEG);
    /* hujiulong/gcoord test/unit/crs/GCJ02.spec.ts: GCJ02 [123, 45] ->
     * BD09 [123.00636499, 45.00636899] */
    sg_crs_gcj02_to_bd09(123.0, 45.0, &lon, &lat);
    check_deg("gcoord GCJ02.spec to BD09", lon, lat, 123.00636499, 45.00636899,
              TOL_8DEC);
    /* hujiulong/gcoord test/unit/crs/BD09.spec.ts: BD09 [123, 45] ->
     * GCJ02 [122.99363304, 44.99365430] */
    sg_crs_bd09_to_gcj02(123.0, 45.0, &lon, &lat);
    check_deg("gcoord BD09.spec to GCJ02", lon, lat, 122.99363304, 44.99365430,
              TOL_DEG);
    /* hujiulong/gcoord test/unit/crs/BD09.spec.ts: BD09 [123, 45] ->
     * WGS84 [122.98762210, 44.99171540] */
    sg_crs_bd09_to_wgs84(123.0, 45.0, 3, &lon, &lat);
    check_m("gcoord BD09.spec to WGS84", lon, lat, 122.98762210, 44.99171540,
            TOL_INV_M);
}

/* WGS 84, GCJ-02 and BD-09 of the same cities, published with 7 decimals
 * in hujiulong/gcoord test/fixtures/china-cities.json (a sample spread
 * over China: centre, Tibet, Inner Mongolia, Gansu, Guangxi, Liaoning). */
static const struct city {
    const char *name;
    double wgs[2], gcj[2], bd[2]; /* lon, lat */
} cities[] = {
    {"Zhumadian",
     {114.0164322, 33.0133556},
     {114.022306, 33.0115324},
     {114.0287781, 33.0176697}},
    {"Nagqu",
     {92.0499619, 31.4784436},
     {92.0512438, 31.4762063},
     {92.0576832, 31.4824421}},
    {"Xilinhot",
     {116.0414035, 43.9312805},
     {116.0482308, 43.9334573},
     {116.0546232, 43.9397782}},
    {"Jiuquan",
     {98.4937175, 39.7319946},
     {98.4943595, 39.7328234},
     {98.5008441, 39.7388949}},
    {"Qinzhou",
     {108.6503952, 21.9828281},
     {108.6541485, 21.9799392},
     {108.6607283, 21.9856319}},
    {"Shenyang",
     {123.4253306, 41.8032629},
     {123.4314787, 41.8057023},
     {123.438095, 41.8114013}},
};

/* GCJ-02 -> BD-09 reproduces the fixture to its 7 decimals (input and
 * output each rounded by <= 5e-8, so 2e-7). Its GCJ-02 column sits about
 * 5e-6 degrees (~0.6 m) from the public formula for every city, so the
 * WGS 84 -> GCJ-02/BD-09 check uses gcoord's own tolerance there
 * (toBeCloseTo(x, 4) in test/unit/transform.spec.ts, i.e. 5e-5). */
static void test_cities_published(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cities / sizeof cities[0]; i++) {
        const struct city *c = &cities[i];
        double lon, lat;
        sg_crs_gcj02_to_bd09(c->gcj[0], c->gcj[1], &lon, &lat);
        check_deg(c->name, lon, lat, c->bd[0], c->bd[1], 2e-7);
        sg_crs_wgs84_to_gcj02(c->wgs[0], c->wgs[1], &lon, &lat);
        check_deg(c->name, lon, lat, c->gcj[0], c->gcj[1], 5e-5);
        sg_crs_wgs84_to_bd09(c->wgs[0], c->wgs[1], &lon, &lat);
        check_deg(c->name, lon, lat, c->bd[0], c->bd[1], 5e-5);
    }
}

/* BD-09 -> GCJ-02 is the inverse of GCJ-02 -> BD-09 up to rounding. */
static void test_bd09_exact_inverse(void **state)
{
    (void)state;
    for (double lon = 73.0; lon <= 135.0; lon += 1.0) {
        for (double lat = 18.0; lat <= 54.0; lat += 1.0) {
            double blon, blat, glon, glat;
            sg_crs_gcj02_to_bd09(lon, lat, &blon, &blat);
            sg_crs_bd09_to_gcj02(blon, blat, &glon, &glat);
            check_deg("bd09 round trip", glon, glat, lon, lat, 1e-12);
        }
    }
}

/* Points outside the China box pass through the GCJ-02 conversions
 * unchanged (exactly). */
static void test_outside_china_unchanged(void **state)
{
    (void)state;
    static const double pts[][2] = {
        {9.52, 47.14},   /* Vaduz */
        {151.2, -33.87}, /* Sydney */
        {139.69, 35.69}, /* Tokyo, east of 137.8347 */
        {-74.0, 40.7},   /* New York */
        {183.0, 45.0},   /* gcoord GCJ02.spec.ts "not in China" */
        {100.0, 0.5},    /* south of 0.8293 */
        {100.0, 56.0},   /* north of 55.8271 */
        {72.0, 40.0},    /* west of 72.004 */
    };
    for (size_t i = 0; i < sizeof pts / sizeof pts[0]; i++) {
        double lon, lat;
        assert_int_equal(sg_crs_in_china(pts[i][0], pts[i][1]), 0);
        sg_crs_wgs84_to_gcj02(pts[i][0], pts[i][1], &lon, &lat);
        assert_true(lon == pts[i][0] && lat == pts[i][1]);
        sg_crs_gcj02_to_wgs84(pts[i][0], pts[i][1], 3, &lon, &lat);
        assert_true(lon == pts[i][0] && lat == pts[i][1]);
    }
    /* The box is closed; NaN is outside. */
    assert_int_equal(sg_crs_in_china(72.004, 0.8293), 1);
    assert_int_equal(sg_crs_in_china(137.8347, 55.8271), 1);
    assert_int_equal(sg_crs_in_china(116.4, 39.9), 1);
    assert_int_equal(sg_crs_in_china(NAN, 30.0), 0);
    assert_int_equal(sg_crs_in_china(110.0, NAN), 0);
    /* NULL outputs are skipped, not dereferenced. */
    sg_crs_wgs84_to_gcj02(116.4, 39.9, NULL, NULL);
    sg_crs_gcj02_to_wgs84(116.4, 39.9, 3, NULL, NULL);
    sg_crs_wgs84_to_bd09(116.4, 39.9, NULL, NULL);
    sg_crs_bd09_to_wgs84(116.4, 39.9, 3, NULL, NULL);
}

/* wgs -> gcj -> wgs (3 iterations) stays under 0.5 m on a 0.25-degree
 * grid over the whole China box (about 57 000 points). */
static void test_round_trip_grid(void **state)
{
    (void)state;
    double worst = 0.0;
    for (double lon = 72.25; lon <= 137.75; lon += 0.25) {
        for (double lat = 1.0; lat <= 55.75; lat += 0.25) {
            double glon, glat, wlon, wlat;
            sg_crs_wgs84_to_gcj02(lon, lat, &glon, &glat);
            sg_crs_gcj02_to_wgs84(glon, glat, 3, &wlon, &wlat);
            double d = dist_m(wlon, wlat, lon, lat);
            if (d > worst)
                worst = d;
            if (!(d < TOL_INV_M))
                fail_msg("round trip at (%g, %g): %.4f m", lon, lat, d);
        }
    }
    print_message("worst wgs->gcj->wgs residual (3 iterations): %.2e m\n",
                  worst);
}

/* The metric working CRS. Rules: inside the China box CM = 3 * round(lon /
 * 3) clamped to 75..135 and EPSG = 4534 + (CM - 75) / 3; elsewhere UTM
 * zone = floor((lon + 180) / 6) + 1 clamped to 1..60, EPSG = 32600 + zone
 * (lat >= 0) or 32700 + zone. The CM of each EPSG code below was also
 * looked up with projinfo (PROJ 9 database), e.g. 4544 is
 * "CGCS2000 / 3-degree Gauss-Kruger CM 105E". */
static void test_metric_crs(void **state)
{
    (void)state;
    /* Beijing: 116.4 / 3 = 38.8 -> 39; CM = 117;
     * 4534 + (117 - 75) / 3 = 4534 + 42 / 3 = 4534 + 14 = 4548 */
    assert_int_equal(sg_crs_metric_for_lonlat(116.4, 39.9), 4548);
    /* Chengdu: 104.07 / 3 = 34.69 -> 35; CM = 105;
     * 4534 + (105 - 75) / 3 = 4534 + 30 / 3 = 4534 + 10 = 4544
     * (4545 is CM 108, DOMAIN.md K2) */
    assert_int_equal(sg_crs_metric_for_lonlat(104.07, 30.67), 4544);
    /* Kunming: 102.83 / 3 = 34.28 -> 34; CM = 102;
     * 4534 + 27 / 3 = 4543 (DOMAIN.md K2: 4543 = CM 102) */
    assert_int_equal(sg_crs_metric_for_lonlat(102.83, 24.88), 4543);
    /* Harbin: 126.63 / 3 = 42.21 -> 42; CM = 126;
     * 4534 + 51 / 3 = 4551 (DOMAIN.md K2: 4551 = CM 126) */
    assert_int_equal(sg_crs_metric_for_lonlat(126.63, 45.75), 4551);
    /* Kashgar: 75.99 / 3 = 25.33 -> 25; CM = 75; 4534 + 0 = 4534 */
    assert_int_equal(sg_crs_metric_for_lonlat(75.99, 39.47), 4534);
    /* West edge of the box: 72.1 / 3 = 24.03 -> 24; CM 72 -> clamp 75;
     * 4534 */
    assert_int_equal(sg_crs_metric_for_lonlat(72.1, 38.0), 4534);
    /* East edge: 137.8 / 3 = 45.93 -> 46; CM 138 -> clamp 135;
     * 4534 + 60 / 3 = 4554 */
    assert_int_equal(sg_crs_metric_for_lonlat(137.8, 45.0), 4554);
    /* Liechtenstein: (9.52 + 180) / 6 = 31.59 -> 31; zone 32; north:
     * 32600 + 32 = 32632 */
    assert_int_equal(sg_crs_metric_for_lonlat(9.52, 47.14), 32632);
    /* Sydney: (151.2 + 180) / 6 = 55.2 -> 55; zone 56; south:
     * 32700 + 56 = 32756 */
    assert_int_equal(sg_crs_metric_for_lonlat(151.2, -33.87), 32756);
    /* lon 180: 360 / 6 = 60 -> zone 61 -> clamp 60; 32660 */
    assert_int_equal(sg_crs_metric_for_lonlat(180.0, 10.0), 32660);
    /* lon -180, south: 0 / 6 = 0 -> zone 1; 32701 */
    assert_int_equal(sg_crs_metric_for_lonlat(-180.0, -10.0), 32701);
    /* equator counts as north: 180 / 6 = 30 -> zone 31; 32631 */
    assert_int_equal(sg_crs_metric_for_lonlat(0.0, 0.0), 32631);
    /* invalid positions */
    assert_int_equal(sg_crs_metric_for_lonlat(200.0, 10.0), 0);
    assert_int_equal(sg_crs_metric_for_lonlat(10.0, 95.0), 0);
    assert_int_equal(sg_crs_metric_for_lonlat(-180.0001, 0.0), 0);
    assert_int_equal(sg_crs_metric_for_lonlat(NAN, 30.0), 0);
    assert_int_equal(sg_crs_metric_for_lonlat(110.0, NAN), 0);
    assert_int_equal(sg_crs_metric_for_lonlat(INFINITY, 0.0), 0);
}

/* Runs every test above. \return the number of failed tests (0 = pass). */
int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wgs_to_gcj_published),
        cmocka_unit_test(test_gcj_to_wgs_published),
        cmocka_unit_test(test_bd09_published),
        cmocka_unit_test(test_cities_published),
        cmocka_unit_test(test_bd09_exact_inverse),
        cmocka_unit_test(test_outside_china_unchanged),
        cmocka_unit_test(test_round_trip_grid),
        cmocka_unit_test(test_metric_crs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
