/* A uniform grid index over boxes (road segments, points, polygon
 * envelopes): each item listed in every cell its box overlaps, in CSR
 * layout, and the one nearest-item search over it (sg__cells_nearest),
 * used by the road graph, coverage, allocate and everything else that
 * asks "which is nearest". The implementations are in src/geom/cellindex.c.
 * Not for: items of wildly different sizes in one grid (a box spanning
 * the whole extent is listed in every cell).
 * SPDX-License-Identifier: MIT */
#ifndef SG_GEOM_CELLS_INT_H
#define SG_GEOM_CELLS_INT_H

#include <stddef.h>
#include <stdint.h>

#include "core/ctx_int.h"

/** Items (boxes) registered in every cell their box overlaps, cells in
 * row-major order with CSR offsets. Initialise with {0}; free with
 * sg__cells_cleanup(). */
typedef struct sg__cells {
    double x0, y0;   /* lower-left corner of cell (0,0) */
    double cell;     /* cell size (m), > 0 */
    int nx, ny;      /* cells along x and y (>= 1) */
    uint32_t *off;   /* nx * ny + 1 offsets into items; owned */
    uint32_t *items; /* item numbers, ascending within a cell; owned */
} sg__cells;

/** Index \p n boxes (\p boxes: minx, miny, maxx, maxy per item). The cell
 * size is \p cell if > 0, otherwise chosen from the extent and count
 * (about one item per cell); it is enlarged as needed to keep at most
 * about 4 million cells. \return SG_OK or SG_ERR_NOMEM. */
sg_status sg__cells_build(sg_ctx *ctx, sg__cells *g, const double *boxes,
                          size_t n, double cell);

/** Free the grid's arrays and zero it. NULL is a no-op. */
void sg__cells_cleanup(sg__cells *g);

/** Cell column / row of coordinate \p x / \p y; may lie outside the grid
 * (negative or >= nx / ny) for points outside its extent. */
int sg__cells_col(const sg__cells *g, double x);
int sg__cells_row(const sg__cells *g, double y);

/** The cells a box \p x0..\p x1 by \p y0..\p y1 touches, clamped to the
 * grid: span = {first column, first row, last column, last row}.
 * \return 0 (span untouched) when the box misses the grid. */
int sg__cells_span(const sg__cells *g, double x0, double y0, double x1,
                   double y1, int span[4]);

/** Says whether the search may end before a ring all of whose cells are
 * at least \p lower metres from the query point (that ring and all
 * farther ones can hold nothing the caller still wants). */
typedef int (*sg__cells_far_fn)(double lower, void *user);

/** Sees item \p item, listed in a cell of the ring being searched. */
typedef void (*sg__cells_visit_fn)(uint32_t item, void *user);

/** The one nearest-item search over a cell index: visit the cells in
 * square rings around the cell of (\p x, \p y), from the first ring that
 * touches the grid outwards, calling \p visit for every item of every
 * cell of the ring (cells row by row; items ascending within a cell; an
 * item in several cells is seen once per cell). Before each ring \p far
 * is asked with a lower bound on the distance of anything in it; the
 * search ends when it says yes or after the ring that covers the whole
 * grid. The caller keeps its best candidate (and its tie rule, item
 * filter and radius) in \p user: nearest, nearest within a radius and
 * everything within a radius are all this search. */
void sg__cells_nearest(const sg__cells *g, double x, double y,
                       sg__cells_far_fn far, sg__cells_visit_fn visit,
                       void *user);

#endif
