/* Do imported points look like GCJ-02 or BD-09 coordinates read as WGS
 * 84? Amap, Tencent and 奥维/Ovital points (GCJ-02) sit a few hundred
 * metres off the true ground, Baidu's (BD-09) more; read as WGS 84 they
 * land beside the roads instead of on them. The numbers of one point
 * cannot tell, but many points can: measure each point's distance to the
 * nearest road of the store (GEOS STRtree) as imported and after each
 * inverse, and compare the medians. The caller decides what to say.
 * Not for: converting coordinates (crs.c), printing (the CLI).
 * SPDX-License-Identifier: MIT */
#include "geom/geos_int.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "io/io_int.h"
#include "sanigrid/crs.h"

/* Fewer points than this prove nothing. */
#define MIN_POINTS 10

/* Points closer to the roads than this (median, metres) are where roads
 * are: the houses of the demo's villages stand 18 m (median) off the
 * nearest road, the GCJ-02 offset is 100 to 700 m. */
#define MIN_OFF_M 25.0

/* The inverse must bring the median this many times closer, and this
 * share of the points closer each. In a dense network an offset point
 * lands near another road, so the median only halves or a little more
 * (the demo's villages moved to China and shifted by GCJ-02: 48 m ->
 * 18 m, 73 % of the houses closer; BD-09: 50 m -> 18 m, 72 %); between
 * sparse rural roads it drops tenfold. Points that are right move away
 * from the roads under either inverse (18 m -> 29 m, 38 % closer), and
 * points that are simply elsewhere get no closer (a ratio near 1 and
 * about half of them closer). */
#define FACTOR 2.0
#define MIN_SHARE 0.6

typedef struct road_set {
    sg_ctx *ctx;
    GEOSGeometry **g;
    size_t n, cap;
} road_set;

/* sg__store_scan callback: one road's geometry into the set. */
static sg_status road_row(sg__row *row, void *user)
{
    road_set *r = user;
    const void *wkb = sg__row_blob(row, 0);
    size_t size = sg__row_bytes(row, 0);
    if (!wkb || !size)
        return SG_OK;
    GEOSGeometry *g =
        GEOSGeomFromWKB_buf_r(r->ctx->geom, (const unsigned char *)wkb, size);
    if (!g)
        return SG_OK; /* the store holds valid lines; skip one that is not */
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 256;
        GEOSGeometry **ng = realloc(r->g, cap * sizeof *ng);
        if (!ng) {
            GEOSGeom_destroy_r(r->ctx->geom, g);
            return sg__error(r->ctx, SG_ERR_NOMEM, "out of memory");
        }
        r->g = ng;
        r->cap = cap;
    }
    r->g[r->n++] = g;
    return SG_OK;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Median of v[0..n) (sorts v); NAN when n is 0. */
static double median(double *v, size_t n)
{
    if (!n)
        return NAN;
    qsort(v, n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Distance from (x, y) in the working CRS to the nearest road; -1 on a
 * GEOS failure. */
static double road_distance(GEOSContextHandle_t h, GEOSSTRtree *tree, double x,
                            double y)
{
    GEOSGeometry *pt = GEOSGeom_createPointFromXY_r(h, x, y);
    if (!pt)
        return -1;
    const GEOSGeometry *near = GEOSSTRtree_nearest_r(h, tree, pt);
    double d = -1;
    if (!near || !GEOSDistance_r(h, pt, near, &d))
        d = -1;
    GEOSGeom_destroy_r(h, pt);
    return d;
}

sg_status sg__offset_check(sg_ctx *ctx, sg_store *store,
                           OGRCoordinateTransformationH ct, const double *lon,
                           const double *lat, size_t n, int iters,
                           sg_offset_check *out)
{
    memset(out, 0, sizeof *out);
    if (n < MIN_POINTS)
        return SG_OK;
    GEOSContextHandle_t h = ctx->geom;
    road_set roads = {ctx, NULL, 0, 0};
    GEOSSTRtree *tree = NULL;
    double *d[3] = {NULL, NULL, NULL};
    size_t m = 0;
    sg_status st = sg__store_scan(ctx, store, "roads", NULL, 0, 1, NULL, NULL,
                                  road_row, &roads);
    if (st || roads.n == 0)
        goto done;
    tree = GEOSSTRtree_create_r(h, 10);
    for (int k = 0; k < 3; k++)
        d[k] = malloc(n * sizeof *d[k]);
    if (!tree || !d[0] || !d[1] || !d[2]) {
        st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < roads.n; i++)
        GEOSSTRtree_insert_r(h, tree, roads.g[i], roads.g[i]);
    for (size_t i = 0; i < n; i++) {
        /* as imported, then read as GCJ-02, then as BD-09 */
        double x[3] = {lon[i], 0, 0}, y[3] = {lat[i], 0, 0}, dist[3];
        sg_crs_gcj02_to_wgs84(lon[i], lat[i], iters, &x[1], &y[1]);
        sg_crs_bd09_to_wgs84(lon[i], lat[i], iters, &x[2], &y[2]);
        int ok[3] = {0, 0, 0};
        if (!OCTTransformEx(ct, 3, x, y, NULL, ok) || !ok[0] || !ok[1] ||
            !ok[2])
            continue;
        int good = 1;
        for (int k = 0; k < 3 && good; k++)
            good = (dist[k] = road_distance(h, tree, x[k], y[k])) >= 0;
        if (!good)
            continue;
        for (int k = 0; k < 3; k++)
            d[k][m] = dist[k];
        m++;
    }
    if (m < MIN_POINTS)
        goto done;
    size_t closer[3] = {0, 0, 0};
    for (size_t i = 0; i < m; i++)
        for (int k = 1; k < 3; k++)
            closer[k] += d[k][i] < d[0][i];
    out->checked = 1;
    out->sample = (long long)m;
    out->median_m = median(d[0], m);
    out->median_gcj02_m = median(d[1], m);
    out->median_bd09_m = median(d[2], m);
    out->closer_gcj02 = (double)closer[1] / (double)m;
    out->closer_bd09 = (double)closer[2] / (double)m;
    int bd = out->median_bd09_m < out->median_gcj02_m;
    double best = bd ? out->median_bd09_m : out->median_gcj02_m;
    double share = bd ? out->closer_bd09 : out->closer_gcj02;
    if (out->median_m >= MIN_OFF_M && best * FACTOR <= out->median_m &&
        share >= MIN_SHARE)
        out->suspect = bd ? "bd09" : "gcj02";
done:
    if (tree)
        GEOSSTRtree_destroy_r(h, tree);
    for (size_t i = 0; i < roads.n; i++)
        GEOSGeom_destroy_r(h, roads.g[i]);
    free(roads.g);
    for (int k = 0; k < 3; k++)
        free(d[k]);
    return st;
}
