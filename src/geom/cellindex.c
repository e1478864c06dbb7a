/* A uniform grid index over boxes (declared in geom/cells_int.h): each
 * item is listed in every cell its box overlaps (CSR layout, two flat
 * arrays), and the one nearest search walks rings of cells outwards from
 * a query cell. Used for road segments (nearest
 * segment, crossing pairs), sanitation points (nearest point) and
 * polygon envelopes (point-in-polygon candidates).
 * Not for: items of wildly different sizes in one grid (a box spanning
 * the whole extent is listed in every cell).
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "geom/cells_int.h"

/* Most cells a grid may have; the cell size grows to stay below it. */
#define MAX_CELLS (4u * 1024u * 1024u)

void sg__cells_cleanup(sg__cells *g)
{
    if (!g)
        return;
    free(g->off);
    free(g->items);
    memset(g, 0, sizeof *g);
}

int sg__cells_col(const sg__cells *g, double x)
{
    double c = floor((x - g->x0) / g->cell);
    if (c < -1e9)
        return -1000000000;
    if (c > 1e9)
        return 1000000000;
    return (int)c;
}

int sg__cells_row(const sg__cells *g, double y)
{
    double c = floor((y - g->y0) / g->cell);
    if (c < -1e9)
        return -1000000000;
    if (c > 1e9)
        return 1000000000;
    return (int)c;
}

int sg__cells_span(const sg__cells *g, double x0, double y0, double x1,
                   double y1, int span[4])
{
    int c0 = sg__cells_col(g, x0), c1 = sg__cells_col(g, x1);
    int r0 = sg__cells_row(g, y0), r1 = sg__cells_row(g, y1);
    if (c1 < 0 || r1 < 0 || c0 >= g->nx || r0 >= g->ny || c0 > c1 || r0 > r1)
        return 0;
    span[0] = c0 < 0 ? 0 : c0;
    span[1] = r0 < 0 ? 0 : r0;
    span[2] = c1 >= g->nx ? g->nx - 1 : c1;
    span[3] = r1 >= g->ny ? g->ny - 1 : r1;
    return 1;
}

/* Clamp \p v into [lo, hi]. */
static int clampi(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

/* Chebyshev distance in cells from cell (\p ci, \p cj) to the nearest
 * cell of the grid (0 inside it): the first ring a search must visit. */
static int first_ring(const sg__cells *g, int ci, int cj)
{
    int dx = ci < 0 ? -ci : ci >= g->nx ? ci - (g->nx - 1) : 0;
    int dy = cj < 0 ? -cj : cj >= g->ny ? cj - (g->ny - 1) : 0;
    return dx > dy ? dx : dy;
}

/* A lower bound on the distance from (\p x, \p y), which lies in cell
 * (\p ci, \p cj), to anything in a cell of ring \p r or beyond: the
 * distance to the edge of the block of rings 0 .. r-1. */
static double ring_lower(const sg__cells *g, double x, double y, int ci, int cj,
                         int r)
{
    if (r <= 0)
        return 0;
    double lo_x = g->x0 + (ci - r + 1) * g->cell;
    double hi_x = g->x0 + (ci + r) * g->cell;
    double lo_y = g->y0 + (cj - r + 1) * g->cell;
    double hi_y = g->y0 + (cj + r) * g->cell;
    double d = fmin(fmin(x - lo_x, hi_x - x), fmin(y - lo_y, hi_y - y));
    return d > 0 ? d : 0;
}

/* Whether ring \p r around (\p ci, \p cj) contains every grid cell, so a
 * ring search can stop after it. */
static int ring_covers(const sg__cells *g, int ci, int cj, int r)
{
    return ci - r <= 0 && ci + r >= g->nx - 1 && cj - r <= 0 &&
           cj + r >= g->ny - 1;
}

sg_status sg__cells_build(sg_ctx *ctx, sg__cells *g, const double *boxes,
                          size_t n, double cell)
{
    memset(g, 0, sizeof *g);
    double minx = INFINITY, miny = INFINITY, maxx = -INFINITY, maxy = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        const double *b = boxes + 4 * i;
        minx = fmin(minx, b[0]);
        miny = fmin(miny, b[1]);
        maxx = fmax(maxx, b[2]);
        maxy = fmax(maxy, b[3]);
    }
    if (n == 0 || !isfinite(minx + miny + maxx + maxy)) {
        minx = miny = 0;
        maxx = maxy = 1;
    }
    double w = fmax(maxx - minx, 1e-3), h = fmax(maxy - miny, 1e-3);
    if (!(cell > 0))
        cell = sqrt(w * h / (double)(n ? n : 1));
    cell = fmax(cell, 1e-3);
    while ((w / cell + 1) * (h / cell + 1) > (double)MAX_CELLS)
        cell *= 1.5;
    g->x0 = minx;
    g->y0 = miny;
    g->cell = cell;
    g->nx = (int)(w / cell) + 1;
    g->ny = (int)(h / cell) + 1;
    size_t ncell = (size_t)g->nx * (size_t)g->ny;
    g->off = calloc(ncell + 1, sizeof *g->off);
    if (!g->off)
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    /* count, prefix sums, fill (items ascend within each cell) */
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < n; i++) {
            const double *b = boxes + 4 * i;
            int c0 = clampi(sg__cells_col(g, b[0]), 0, g->nx - 1);
            int c1 = clampi(sg__cells_col(g, b[2]), 0, g->nx - 1);
            int r0 = clampi(sg__cells_row(g, b[1]), 0, g->ny - 1);
            int r1 = clampi(sg__cells_row(g, b[3]), 0, g->ny - 1);
            for (int r = r0; r <= r1; r++)
                for (int c = c0; c <= c1; c++) {
                    size_t k = (size_t)r * (size_t)g->nx + (size_t)c;
                    if (pass == 0)
                        g->off[k + 1]++;
                    else
                        g->items[g->off[k]++] = (uint32_t)i;
                }
        }
        if (pass == 0) {
            for (size_t k = 0; k < ncell; k++)
                g->off[k + 1] += g->off[k];
            g->items =
                malloc((g->off[ncell] ? g->off[ncell] : 1) * sizeof *g->items);
            if (!g->items) {
                sg__cells_cleanup(g);
                return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
            }
        }
    }
    /* the fill pass advanced each offset to the next cell's start */
    memmove(g->off + 1, g->off, ncell * sizeof *g->off);
    g->off[0] = 0;
    return SG_OK;
}

void sg__cells_nearest(const sg__cells *g, double x, double y,
                       sg__cells_far_fn far, sg__cells_visit_fn visit,
                       void *user)
{
    int ci = sg__cells_col(g, x), cj = sg__cells_row(g, y);
    for (int r = first_ring(g, ci, cj);; r++) {
        if (far(ring_lower(g, x, y, ci, cj, r), user))
            break;
        int j0 = cj - r, j1 = cj + r, i0 = ci - r, i1 = ci + r;
        for (int j = j0 < 0 ? 0 : j0; j <= j1 && j < g->ny; j++) {
            int full = j == j0 || j == j1;
            for (int i = i0 < 0 ? 0 : i0; i <= i1 && i < g->nx; i++) {
                if (!full && i != i0 && i != i1) {
                    i = i1 - 1; /* jump to the right edge of the ring */
                    continue;
                }
                size_t k = (size_t)j * (size_t)g->nx + (size_t)i;
                for (uint32_t a = g->off[k]; a < g->off[k + 1]; a++)
                    visit(g->items[a], user);
            }
        }
        if (ring_covers(g, ci, cj, r))
            break;
    }
}
