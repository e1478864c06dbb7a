/* The one GEOS wrapper: every file outside src/geom that uses GEOS
 * includes this header (not <geos_c.h>) and the helpers below: GEOS
 * geometries to and from the WKB the store hands out, GEOS error
 * reporting, robust overlay with a precision fallback, extraction of
 * polygonal parts, and a set of geometries with an STRtree spatial index
 * and lazily prepared geometries for candidate queries.
 * Everything uses the context's per-thread GEOS handle (ctx->geom) and
 * only the reentrant _r API. All coordinates are in the store's working
 * (metric) CRS, so tolerances are metres.
 * The implementations are in src/geom/geos.c (the handle: geom/engine.c).
 * Not for: SQL (that stays in src/store), analysis logic, the CLI.
 * SPDX-License-Identifier: MIT */
#ifndef SG_GEOM_GEOS_INT_H
#define SG_GEOM_GEOS_INT_H

#include <geos_c.h>
#include <stddef.h>

#include "core/ctx_int.h"

/* ---- GEOS basics -------------------------------------------------------- */

/** Grid size (metres) of the fixed-precision retry when a floating-point
 * overlay fails (sg__geom_union, sg__geom_difference,
 * sg__geom_intersection): 0.1 mm, far below any finding we report. */
#define SG_GEOS_FALLBACK_GRID 1e-4

/** Record the last GEOS error (ctx->geom_msg) as SG_ERR_GEOM with \p what
 * as prefix. \return SG_ERR_GEOM. */
sg_status sg__geos_error(sg_ctx *ctx, const char *what);

/** Parse \p size bytes of WKB. \return a new geometry (caller owns; free
 * with GEOSGeom_destroy_r(ctx->geom, g)), or NULL with SG_ERR_GEOM in
 * ctx. */
GEOSGeometry *sg__geom_from_wkb(sg_ctx *ctx, const void *wkb, size_t size);

/** Encode \p g as 2D WKB (little endian, no SRID), as the store's
 * result inserts expect. \return the bytes (caller owns; free with
 * GEOSFree_r(ctx->geom, p)) and their count in \p size, or NULL with
 * SG_ERR_GEOM in ctx. */
unsigned char *sg__geom_to_wkb(sg_ctx *ctx, const GEOSGeometry *g,
                               size_t *size);

/** The polygonal parts of \p g (Polygon, MultiPolygon, or any nesting of
 * collections; lines and points are dropped), each polygon kept only if
 * its area is at least \p min_area, as a new MultiPolygon (empty if
 * nothing is left). Takes ownership of \p g (NULL is allowed and gives
 * NULL without a new error, so a failed operation can be passed
 * straight in). \return caller owns, or NULL with the status in ctx. */
GEOSGeometry *sg__geom_polygonal(sg_ctx *ctx, GEOSGeometry *g, double min_area);

/** Union of \p n borrowed geometries (unary union of a collection of
 * copies; retried with SG_GEOS_FALLBACK_GRID if the floating-point union
 * fails). \p n 0 gives an empty MultiPolygon. \return caller owns, or
 * NULL with SG_ERR_GEOM / SG_ERR_NOMEM in ctx. */
GEOSGeometry *sg__geom_union(sg_ctx *ctx, const GEOSGeometry *const *geoms,
                             size_t n);

/** \p a minus \p b and \p a intersected with \p b (both borrowed), with
 * the same fixed-precision retry. \return caller owns, or NULL with
 * SG_ERR_GEOM in ctx. */
GEOSGeometry *sg__geom_difference(sg_ctx *ctx, const GEOSGeometry *a,
                                  const GEOSGeometry *b);
GEOSGeometry *sg__geom_intersection(sg_ctx *ctx, const GEOSGeometry *a,
                                    const GEOSGeometry *b);

/* ---- a growable list of indices ---------------------------------------- */

typedef struct sg__idlist {
    size_t *v; /* owned */
    size_t n, cap;
} sg__idlist;

/** Append \p id. \return SG_OK or SG_ERR_NOMEM (in ctx). */
sg_status sg__idlist_push(sg_ctx *ctx, sg__idlist *l, size_t id);

/** Sort the list ascending. NULL is a no-op. */
void sg__idlist_sort(sg__idlist *l);

/** Free the list's memory and zero it. NULL is a no-op. */
void sg__idlist_cleanup(sg__idlist *l);

/* ---- a set of geometries with a spatial index --------------------------- */

/** Geometries numbered 0..n-1 in the order added, an STRtree over their
 * envelopes (built on the first query: add everything first) and
 * prepared geometries created on first use. Empty (or NULL) geometries
 * keep their number but are never returned by a query.
 * Initialise with sg__geomset_init, free with sg__geomset_cleanup. */
typedef struct sg__geomset {
    GEOSContextHandle_t h;      /* borrowed from the context */
    const GEOSGeometry **geoms; /* n entries; owned if owns (may be NULL) */
    const GEOSPreparedGeometry **prep; /* n entries, lazily; owned */
    size_t *ids;                       /* ids[i] == i: the STRtree's items */
    size_t n, cap;
    int owns;          /* 1: geometries are destroyed at cleanup */
    GEOSSTRtree *tree; /* owned; NULL until the first query */
    int tree_built;    /* 1 once items have been inserted */
} sg__geomset;

/** Start an empty set using ctx's GEOS handle. \p owns 1: the set takes
 * ownership of geometries added; 0: they are borrowed and must outlive
 * the set. */
void sg__geomset_init(sg__geomset *s, sg_ctx *ctx, int owns);

/** Add \p g (may be NULL or empty) as number s->n. Takes ownership of \p g
 * if the set owns its geometries, also on failure. Fails with
 * SG_ERR_USAGE after the first query. */
sg_status sg__geomset_add(sg_ctx *ctx, sg__geomset *s, GEOSGeometry *g);

/** \return geometry \p i (borrowed; valid until cleanup; may be NULL). */
const GEOSGeometry *sg__geomset_get(const sg__geomset *s, size_t i);

/** \return geometry \p i prepared (borrowed; valid until cleanup), or
 * NULL for a NULL/empty geometry or on failure (SG_ERR_GEOM in ctx). */
const GEOSPreparedGeometry *sg__geomset_prepared(sg_ctx *ctx, sg__geomset *s,
                                                 size_t i);

/** Numbers of the geometries whose envelope intersects the envelope of
 * \p g grown by \p expand metres on every side, ascending, into \p out
 * (emptied first). Builds the index on the first call. */
sg_status sg__geomset_query(sg_ctx *ctx, sg__geomset *s, const GEOSGeometry *g,
                            double expand, sg__idlist *out);

/** Free everything the set owns and zero it. NULL is a no-op. */
void sg__geomset_cleanup(sg__geomset *s);

#endif
