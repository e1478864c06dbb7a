/* The one WKB reader (and the one point writer), for code that wants
 * flat coordinate arrays rather than GEOS objects: lines and polygon
 * rings into one coordinate array (sg__lineset) for the network and the
 * analyses, every part as drawn for the renderer (sg__wkb_read_paths),
 * single points out and in. Both byte orders; Z/M ordinates (ISO and
 * EWKB flags) are skipped. The implementations are in src/geom/wkb.c.
 * Not for: geometry operations (geom/geos_int.h), validation.
 * SPDX-License-Identifier: MIT */
#ifndef SG_GEOM_WKB_INT_H
#define SG_GEOM_WKB_INT_H

#include <stddef.h>
#include <stdint.h>

#include "core/ctx_int.h"

/** Parts (lines or polygon rings) as runs of vertices in one array.
 * Part i has vertices start[i] .. start[i+1]-1 and belongs to owner[i]
 * (the row it came from). Initialise with {0}; free with
 * sg__lineset_cleanup(). */
typedef struct sg__lineset {
    double *xy; /* 2 * nv coordinates; owned */
    size_t nv, cap_v;
    size_t *start;  /* nparts + 1 entries once a part exists; owned */
    int32_t *owner; /* nparts entries; owned */
    size_t nparts, cap_p;
} sg__lineset;

/** Free the set's arrays and zero it. NULL is a no-op. */
void sg__lineset_cleanup(sg__lineset *s);

/** Make room for \p nv more vertices and one more part in \p s (for
 * code that appends parts itself). \return 1, or 0 when out of memory
 * (s is unchanged and still valid). */
int sg__lineset_reserve(sg__lineset *s, size_t nv);

/** Append every linestring of a (Multi)LineString WKB to \p s with owner
 * \p owner (polygon WKB: every ring; points are ignored). Parts with fewer
 * than 2 vertices are dropped. \return SG_OK, SG_ERR_NOMEM, or
 * SG_ERR_GEOM for malformed WKB (message names \p what). */
sg_status sg__wkb_append_parts(sg_ctx *ctx, sg__lineset *s, const void *wkb,
                               size_t size, int32_t owner, const char *what);

/** Read a Point (or a one-point MultiPoint) WKB. \return 1 with *x, *y
 * set, 0 for anything else (empty, other types, malformed). */
int sg__wkb_point(const void *wkb, size_t size, double *x, double *y);

/** Write a 2D little-endian WKB Point into \p buf (21 bytes). */
void sg__wkb_write_point(unsigned char buf[21], double x, double y);

/** Read every part of WKB \p wkb as it would be drawn, appending to \p s
 * (owner 0): a point as a one-vertex part (an empty point gives none), a
 * line as one part and a polygon ring as one part whatever their vertex
 * counts, multi-types and collections flattened; coordinates as stored.
 * \p kind gets the base type of the first point, line or polygon met
 * (1, 2 or 3; 0 if none). \return 1, 0 if malformed, -1 out of memory
 * (s keeps what was read before; the caller frees it). */
int sg__wkb_read_paths(const void *wkb, size_t size, sg__lineset *s, int *kind);

/** Read the first point of a Point or MultiPoint WKB (any count of
 * points). \return 1 with *x, *y set, 0 for anything else (empty, other
 * types, malformed). */
int sg__wkb_first_point(const void *wkb, size_t size, double *x, double *y);

#endif
