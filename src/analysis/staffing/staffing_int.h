/* Internal pieces of sanigrid staffing shared with its unit test: the
 * settlement cover, i.e. the length of road lying outside the union of
 * buffers around a village's households, computed without building that
 * union. Each buffer is GEOS's polygon buffer of the household point
 * (the same convex polygon GEOSBuffer_r gives, taken once from GEOS and
 * translated to every household), each road segment is clipped against
 * the buffers of the households near it (Cyrus-Beck, a uniform grid over
 * the households) and the covered intervals are merged. The result is the
 * length GEOS overlay gives for road minus union of buffers, up to
 * floating-point rounding (no approximation beyond GEOS's own polygonal
 * buffer).
 * The implementation is in src/analysis/staffing/staffing.c.
 * Not for: SQL, the staffing rules themselves, the CLI.
 * SPDX-License-Identifier: MIT */
#ifndef SG_STAFFING_INT_H
#define SG_STAFFING_INT_H

#include <stddef.h>

#include "geom/geos_int.h"
#include "net/net_int.h"

/** Quadrant segments of the household buffers (GEOSBuffer_r's
 * quadsegs): 8 gives a 32-gon whose edges lie at most
 * r (1 - cos(pi/32)) = 0.48 % of r inside the circle. */
#define SG_SETTLE_QUADSEGS 8

/** The buffer polygon of a point at the origin: convex, counter-clockwise,
 * without the closing vertex. Initialise with sg__settle_shape_init, free
 * with sg__settle_shape_cleanup. */
typedef struct sg__settle_shape {
    double r;     /* buffer distance (m); <= 0: no buffer at all */
    double *vx;   /* n vertex offsets from the point (owned) */
    double *vy;   /* (owned) */
    size_t n;     /* vertices; 0: buffers are empty */
    double reach; /* largest distance of a vertex from the point */
} sg__settle_shape;

/** Take the buffer of distance \p r with \p quadsegs quadrant segments of
 * POINT(0 0) from GEOS (its convex hull, which is the same polygon) into
 * \p s. \p r <= 0 (or not finite) gives an empty shape: nothing is
 * covered, as GEOS's empty buffer. \return SG_OK, SG_ERR_GEOM or
 * SG_ERR_NOMEM (message in ctx). */
sg_status sg__settle_shape_init(sg_ctx *ctx, sg__settle_shape *s, double r,
                                int quadsegs);

/** Free the shape's arrays and zero it. NULL is a no-op. */
void sg__settle_shape_cleanup(sg__settle_shape *s);

/** The buffers of one set of points (a village's households), indexed.
 * Initialise with sg__settle_init, free with sg__settle_cleanup. Not
 * shared between threads (it holds scratch space). */
typedef struct sg__settle {
    const sg__settle_shape *shape; /* borrowed; must outlive this */
    const double *px, *py;         /* n points, borrowed; must outlive */
    size_t n;
    sg__cells grid; /* over the points; owned */
    double *iv;     /* scratch intervals (2 per entry) */
    size_t cap;     /* entries iv can hold */
} sg__settle;

/** Index the \p n points (\p px, \p py: borrowed, must outlive \p s) for
 * buffers of \p shape. \return SG_OK or SG_ERR_NOMEM. */
sg_status sg__settle_init(sg_ctx *ctx, sg__settle *s,
                          const sg__settle_shape *shape, const double *px,
                          const double *py, size_t n);

/** Free what \p s owns and zero it. NULL is a no-op. */
void sg__settle_cleanup(sg__settle *s);

/** Length (m) of the linework of \p g (LineString, LinearRing, or any
 * multi/collection of them; points and polygons count 0) lying outside
 * every buffer of \p s, into \p out. A segment with no buffer near it
 * counts its whole length exactly, as GEOSLength_r would. \return SG_OK,
 * SG_ERR_GEOM (unreadable geometry) or SG_ERR_NOMEM. */
sg_status sg__settle_outside_length(sg_ctx *ctx, sg__settle *s,
                                    const GEOSGeometry *g, double *out);

#endif
