/* Coordinate reference system helpers: picks the metric working CRS for a
 * data set from its centre, and converts between WGS 84 and the Chinese
 * offset datums GCJ-02 and BD-09 with the public formulas (DOMAIN.md
 * K2-K5). Pure arithmetic on doubles: no PROJ, no context, no global state,
 * so every function is thread-safe.
 * Not for: general reprojection or datum shifts (use PROJ through
 * sg_proj), nor deciding whether input data are offset (the numbers of
 * one point cannot tell; offset_check.c compares many points with the
 * store's roads).
 * SPDX-License-Identifier: MIT */
#include <math.h>

#include "sanigrid/crs.h"

/* pi as the public GCJ-02/BD-09 code uses it (the double nearest pi). */
#define CRS_PI 3.14159265358979323846

/* Krasovsky 1940 semi-major axis (m) and first eccentricity squared, as
 * used by the public GCJ-02 formula (DOMAIN.md K4). */
#define GCJ_A 6378245.0
#define GCJ_EE 0.00669342162296594323

/* BD-09 angular factor x_pi = pi * 3000 / 180 (DOMAIN.md K4). */
#define BD_X_PI (CRS_PI * 3000.0 / 180.0)

/* BD-09 -> GCJ-02: fixed-point refinements after the closed-form
 * approximation. The BD-09 perturbation has a derivative of about 2e-2
 * (its angle term is scaled by the radius, ~120 degrees), so each step
 * gains 1.7 decimal orders: 1e-6 -> 1e-16 takes five steps. */
#define BD_REFINE_STEPS 5

/* The rough China box in which GCJ-02 offsets apply (degrees). */
#define CHINA_LON_MIN 72.004
#define CHINA_LON_MAX 137.8347
#define CHINA_LAT_MIN 0.8293
#define CHINA_LAT_MAX 55.8271

/* CGCS2000 3-degree Gauss-Kruger zones without zone prefix:
 * EPSG:4534 is CM 75 E, one code per 3 degrees up to EPSG:4554, CM 135 E
 * (DOMAIN.md K2; the 21 codes were checked against PROJ's database). */
#define GK3_EPSG_FIRST 4534
#define GK3_CM_MIN 75
#define GK3_CM_MAX 135

/* WGS 84 / UTM: EPSG:326zz north, EPSG:327zz south. */
#define UTM_EPSG_NORTH 32600
#define UTM_EPSG_SOUTH 32700

/* Store \p v in \p *p when \p p is not NULL; no other side effect. */
static void put(double *p, double v)
{
    if (p)
        *p = v;
}

/* \return 1 if (lon, lat) is a finite position with |lon| <= 180 and
 * |lat| <= 90, else 0 (NaN and infinities give 0). */
static int lonlat_valid(double lon, double lat)
{
    return isfinite(lon) && isfinite(lat) && lon >= -180.0 && lon <= 180.0 &&
           lat >= -90.0 && lat <= 90.0;
}

/* See crs.h. \return 1 inside the closed box, 0 outside or for NaN. */
int sg_crs_in_china(double lon, double lat)
{
    /* Comparisons with NaN are false, so NaN is never in the box. */
    return lon >= CHINA_LON_MIN && lon <= CHINA_LON_MAX &&
           lat >= CHINA_LAT_MIN && lat <= CHINA_LAT_MAX;
}

/* See crs.h. \return EPSG:4534-4554 inside the China box, EPSG:32601-32660
 * or 32701-32760 elsewhere (the equator counts as north), 0 if (lon, lat)
 * is invalid. */
int sg_crs_metric_for_lonlat(double lon, double lat)
{
    if (!lonlat_valid(lon, lat))
        return 0;
    if (sg_crs_in_china(lon, lat)) {
        /* CM = 3 * round(lon / 3); halfway cases round away from zero,
         * i.e. east. The box reaches past 73.5 and 136.5 E, hence the
         * clamp to the zones EPSG defines. */
        int cm = 3 * (int)lround(lon / 3.0);
        if (cm < GK3_CM_MIN)
            cm = GK3_CM_MIN;
        if (cm > GK3_CM_MAX)
            cm = GK3_CM_MAX;
        return GK3_EPSG_FIRST + (cm - GK3_CM_MIN) / 3;
    }
    /* Plain 6-degree UTM zones. The irregular zones of south-west Norway
     * (32V) and Svalbard (31X-37X) are deliberately ignored: the standard
     * zone is still a valid metric CRS there, only not the customary one.
     * lon = 180 would give zone 61, hence the clamp. */
    int zone = (int)floor((lon + 180.0) / 6.0) + 1;
    if (zone < 1)
        zone = 1;
    if (zone > 60)
        zone = 60;
    return (lat >= 0.0 ? UTM_EPSG_NORTH : UTM_EPSG_SOUTH) + zone;
}

/* The latitude polynomial of the public GCJ-02 formula at the shifted
 * position (x, y) = (lon - 105, lat - 35). \return an offset in metres on
 * the Krasovsky ellipsoid (pure function). */
static double gcj_poly_lat(double x, double y)
{
    double r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y +
               0.2 * sqrt(fabs(x));
    r += (20.0 * sin(6.0 * x * CRS_PI) + 20.0 * sin(2.0 * x * CRS_PI)) * 2.0 /
         3.0;
    r += (20.0 * sin(y * CRS_PI) + 40.0 * sin(y / 3.0 * CRS_PI)) * 2.0 / 3.0;
    r += (160.0 * sin(y / 12.0 * CRS_PI) + 320.0 * sin(y * CRS_PI / 30.0)) *
         2.0 / 3.0;
    return r;
}

/* The longitude polynomial of the public GCJ-02 formula at (x, y) as for
 * gcj_poly_lat(). \return an offset in metres (pure function). */
static double gcj_poly_lon(double x, double y)
{
    double r =
        300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * sqrt(fabs(x));
    r += (20.0 * sin(6.0 * x * CRS_PI) + 20.0 * sin(2.0 * x * CRS_PI)) * 2.0 /
         3.0;
    r += (20.0 * sin(x * CRS_PI) + 40.0 * sin(x / 3.0 * CRS_PI)) * 2.0 / 3.0;
    r += (150.0 * sin(x / 12.0 * CRS_PI) + 300.0 * sin(x / 30.0 * CRS_PI)) *
         2.0 / 3.0;
    return r;
}

/* The GCJ-02 offset in degrees at the WGS 84 position (lon, lat), without
 * the China box test (callers decide). Writes the offsets to *dlon and
 * *dlat (both non-NULL); no other side effect. */
static void gcj_offset(double lon, double lat, double *dlon, double *dlat)
{
    double x = lon - 105.0, y = lat - 35.0;
    double rad_lat = lat / 180.0 * CRS_PI;
    double s = sin(rad_lat);
    double magic = 1.0 - GCJ_EE * s * s;
    double sqrt_magic = sqrt(magic);
    /* Metres to degrees along the meridian (radius M) and the parallel
     * (radius N cos lat) of the Krasovsky ellipsoid. */
    *dlat = gcj_poly_lat(x, y) * 180.0 /
            (GCJ_A * (1.0 - GCJ_EE) / (magic * sqrt_magic) * CRS_PI);
    *dlon = gcj_poly_lon(x, y) * 180.0 /
            (GCJ_A / sqrt_magic * cos(rad_lat) * CRS_PI);
}

/* See crs.h. Writes the GCJ-02 position to *olon and *olat (each may be
 * NULL to skip it); outside the China box the input is copied. */
void sg_crs_wgs84_to_gcj02(double lon, double lat, double *olon, double *olat)
{
    double dlon = 0.0, dlat = 0.0;
    if (sg_crs_in_china(lon, lat))
        gcj_offset(lon, lat, &dlon, &dlat);
    put(olon, lon + dlon);
    put(olat, lat + dlat);
}

/* See crs.h. \p iterations < 1 is taken as 1. Writes the WGS 84 position
 * to *olon and *olat (each may be NULL); outside the China box (tested on
 * the GCJ-02 input) the input is copied. */
void sg_crs_gcj02_to_wgs84(double lon, double lat, int iterations, double *olon,
                           double *olat)
{
    double wlon = lon, wlat = lat;
    if (iterations < 1)
        iterations = 1;
    if (sg_crs_in_china(lon, lat)) {
        /* Fixed point of wgs = gcj - offset(wgs), starting at wgs = gcj;
         * the first pass is the classic one-step inverse (1-2 m), each
         * further pass shrinks the error by a factor of about 1e-3. The
         * offset is evaluated without the box test so that a point near
         * the box edge does not jump. This equals wgs -= forward(wgs) -
         * gcj inside the box. */
        for (int i = 0; i < iterations; i++) {
            double dlon, dlat;
            gcj_offset(wlon, wlat, &dlon, &dlat);
            wlon = lon - dlon;
            wlat = lat - dlat;
        }
    }
    put(olon, wlon);
    put(olat, wlat);
}

/* GCJ-02 -> BD-09 without NULL checks: writes the BD-09 position of
 * (lon, lat) to *olon and *olat (both non-NULL). Pure arithmetic. */
static void bd_forward(double lon, double lat, double *olon, double *olat)
{
    double z = sqrt(lon * lon + lat * lat) + 0.00002 * sin(lat * BD_X_PI);
    double theta = atan2(lat, lon) + 0.000003 * cos(lon * BD_X_PI);
    *olon = z * cos(theta) + 0.0065;
    *olat = z * sin(theta) + 0.006;
}

/* See crs.h. Writes the BD-09 position to *olon and *olat (each may be
 * NULL). No China box test. */
void sg_crs_gcj02_to_bd09(double lon, double lat, double *olon, double *olat)
{
    /* Applied everywhere, like the reference implementations: BD-09 is a
     * formula on top of GCJ-02, and GCJ-02 is already identity outside
     * China. */
    double blon, blat;
    bd_forward(lon, lat, &blon, &blat);
    put(olon, blon);
    put(olat, blat);
}

/* See crs.h. Writes the GCJ-02 position to *olon and *olat (each may be
 * NULL); sg_crs_gcj02_to_bd09() of the result gives (lon, lat) back to about
 * 1e-14 degrees. No China box test. */
void sg_crs_bd09_to_gcj02(double lon, double lat, double *olon, double *olat)
{
    /* The widely published closed form subtracts the perturbations
     * evaluated at the BD-09 point instead of the GCJ-02 point, which is
     * off by up to about 1e-6 degrees (a decimetre). A few fixed-point
     * steps of g -= forward(g) - bd make it the inverse of
     * sg_crs_gcj02_to_bd09() up to rounding. */
    double x = lon - 0.0065, y = lat - 0.006;
    double z = sqrt(x * x + y * y) - 0.00002 * sin(y * BD_X_PI);
    double theta = atan2(y, x) - 0.000003 * cos(x * BD_X_PI);
    double glon = z * cos(theta), glat = z * sin(theta);
    for (int i = 0; i < BD_REFINE_STEPS; i++) {
        double blon, blat;
        bd_forward(glon, glat, &blon, &blat);
        glon -= blon - lon;
        glat -= blat - lat;
    }
    put(olon, glon);
    put(olat, glat);
}

/* See crs.h. sg_crs_bd09_to_gcj02() then sg_crs_gcj02_to_wgs84() with
 * \p iterations; outputs as there (each may be NULL). */
void sg_crs_bd09_to_wgs84(double lon, double lat, int iterations, double *olon,
                          double *olat)
{
    double glon, glat;
    sg_crs_bd09_to_gcj02(lon, lat, &glon, &glat);
    sg_crs_gcj02_to_wgs84(glon, glat, iterations, olon, olat);
}

/* See crs.h. sg_crs_wgs84_to_gcj02() then sg_crs_gcj02_to_bd09(); outputs as
 * there (each may be NULL). Outside China only the BD-09 step applies. */
void sg_crs_wgs84_to_bd09(double lon, double lat, double *olon, double *olat)
{
    double glon, glat;
    sg_crs_wgs84_to_gcj02(lon, lat, &glon, &glat);
    sg_crs_gcj02_to_bd09(glon, glat, olon, olat);
}
