/* Label points of polygons with GEOS: the pole of inaccessibility (the
 * centre of the largest circle inside the polygon,
 * GEOSMaximumInscribedCircle_r), of the largest part of a multipolygon,
 * and the polygon's area, which orders labels (labels.c). Computed once
 * when a layer is read (layers.c, sheets.c), from the WKB, which still
 * knows which ring belongs to which part.
 * Not for: drawing, or the fallback label point of geom.c (used when GEOS
 * fails or for lines and points).
 * SPDX-License-Identifier: MIT */
#include <math.h>

#include "geom/geos_int.h"
#include "render/render_int.h"

/* The area of \p g if it is a non-empty polygon, else 0. */
static double polygon_area(GEOSContextHandle_t h, const GEOSGeometry *g)
{
    double a = 0;
    if (GEOSGeomTypeId_r(h, g) != GEOS_POLYGON || GEOSisEmpty_r(h, g) != 0 ||
        !GEOSArea_r(h, g, &a) || !(a > 0))
        return 0;
    return a;
}

/* The polygon of \p g (a polygon, or a multipolygon or collection of
 * them: the store holds no deeper nesting) with the largest area, and
 * that area; NULL if none. Borrowed from \p g. */
static const GEOSGeometry *largest_part(GEOSContextHandle_t h,
                                        const GEOSGeometry *g, double *area)
{
    int t = GEOSGeomTypeId_r(h, g);
    *area = polygon_area(h, g);
    if (*area > 0)
        return g;
    if (t != GEOS_MULTIPOLYGON && t != GEOS_GEOMETRYCOLLECTION)
        return NULL;
    const GEOSGeometry *best = NULL;
    int n = GEOSGetNumGeometries_r(h, g);
    for (int i = 0; i < n; i++) {
        const GEOSGeometry *p = GEOSGetGeometryN_r(h, g, i);
        double a = polygon_area(h, p);
        if (a > *area) {
            *area = a;
            best = p;
        }
    }
    return best;
}

/* The sum of the areas of the polygons of \p g (0 if it has none). */
static double total_area(GEOSContextHandle_t h, const GEOSGeometry *g)
{
    double a = 0;
    return GEOSArea_r(h, g, &a) && a > 0 ? a : 0;
}

int sg__pole_from_wkb(sg_ctx *ctx, const unsigned char *wkb, size_t len,
                      double xy[2], double *area)
{
    GEOSContextHandle_t h = ctx->geom;
    int ok = 0;
    GEOSGeometry *g = GEOSGeomFromWKB_buf_r(h, wkb, len), *mic = NULL;
    const GEOSGeometry *part;
    double pa, x0, y0, x1, y1;
    if (!g || !(part = largest_part(h, g, &pa)))
        goto done;
    if (!GEOSGeom_getXMin_r(h, part, &x0) ||
        !GEOSGeom_getYMin_r(h, part, &y0) ||
        !GEOSGeom_getXMax_r(h, part, &x1) || !GEOSGeom_getYMax_r(h, part, &y1))
        goto done;
    /* a thousandth of the part's size: well under a pixel at any scale
     * the part is labelled at, and a few dozen iterations of the grid
     * search */
    double tol = fmax(x1 - x0, y1 - y0) / 1000;
    if (!(tol > 0))
        goto done;
    mic = GEOSMaximumInscribedCircle_r(h, part, tol);
    /* a line from the centre to the nearest point of the boundary */
    const GEOSCoordSequence *cs = mic ? GEOSGeom_getCoordSeq_r(h, mic) : NULL;
    if (!cs || !GEOSCoordSeq_getXY_r(h, cs, 0, &xy[0], &xy[1]) ||
        !isfinite(xy[0]) || !isfinite(xy[1]))
        goto done;
    *area = total_area(h, g);
    ok = 1;
done:
    if (mic)
        GEOSGeom_destroy_r(h, mic);
    if (g)
        GEOSGeom_destroy_r(h, g);
    /* a polygon GEOS cannot read keeps geom.c's label point: no error */
    ctx->geom_msg[0] = '\0';
    return ok;
}

int sg__feature_label_point(const sg__feature *f, double *x, double *y)
{
    if (f->has_pole) {
        *x = f->pole[0];
        *y = f->pole[1];
        return 1;
    }
    return sg__shape_label_point(&f->geom, x, y);
}
