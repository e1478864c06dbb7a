/* Geometry for drawing: WKB (as the store hands it out, in the working
 * CRS) into flat paths of vertices (read by geom/wkb.c, the one WKB
 * reader), label points (for polygons the fallback when pole.c's pole
 * of inaccessibility is not there) and point-in-polygon tests. Drawing
 * needs no topology, so this stays on flat arrays.
 * Not for: geometry operations (geom/geos_int.h).
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "geom/wkb_int.h"
#include "render/render_int.h"

void sg__shape_cleanup(sg__shape *g)
{
    if (!g)
        return;
    free(g->xy);
    free(g->start);
    memset(g, 0, sizeof *g);
}

int sg__shape_from_wkb(const unsigned char *wkb, size_t len, sg__shape *g)
{
    memset(g, 0, sizeof *g);
    sg__lineset ls = {0};
    int kind = 0;
    if (sg__wkb_read_paths(wkb, len, &ls, &kind) != 1) {
        sg__lineset_cleanup(&ls);
        return 0;
    }
    /* the paths are the set's parts: take its arrays */
    g->type = kind == 1   ? SG_G_POINT
              : kind == 2 ? SG_G_LINE
              : kind == 3 ? SG_G_POLYGON
                          : SG_G_NONE;
    g->xy = ls.xy;
    g->start = ls.start;
    g->npaths = ls.nparts;
    free(ls.owner);
    size_t nv = g->npaths ? g->start[g->npaths] : 0;
    if (nv == 0) {
        g->npaths = 0;
        return 1;
    }
    g->bbox[0] = g->bbox[2] = g->xy[0];
    g->bbox[1] = g->bbox[3] = g->xy[1];
    for (size_t i = 1; i < nv; i++) {
        double x = g->xy[2 * i], y = g->xy[2 * i + 1];
        if (x < g->bbox[0])
            g->bbox[0] = x;
        if (y < g->bbox[1])
            g->bbox[1] = y;
        if (x > g->bbox[2])
            g->bbox[2] = x;
        if (y > g->bbox[3])
            g->bbox[3] = y;
    }
    return 1;
}

int sg__shape_contains(const sg__shape *g, double x, double y)
{
    if (g->type != SG_G_POLYGON || g->npaths == 0 || x < g->bbox[0] ||
        x > g->bbox[2] || y < g->bbox[1] || y > g->bbox[3])
        return 0;
    int in = 0;
    for (size_t p = 0; p < g->npaths; p++) {
        size_t a = g->start[p], b = g->start[p + 1];
        if (b - a < 3)
            continue;
        for (size_t i = a, j = b - 1; i < b; j = i++) {
            double xi = g->xy[2 * i], yi = g->xy[2 * i + 1];
            double xj = g->xy[2 * j], yj = g->xy[2 * j + 1];
            if ((yi > y) != (yj > y) &&
                x < (xj - xi) * (y - yi) / (yj - yi) + xi)
                in = !in;
        }
    }
    return in;
}

/* Compare doubles for qsort. */
static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The widest inside span of polygon \p g along the horizontal line at
 * \p y: its middle in *mx and its width in *w. \return 1 if there is one. */
static int widest_span(const sg__shape *g, double y, double *mx, double *w)
{
    size_t cap = 64, n = 0;
    double *xs = malloc(cap * sizeof *xs);
    if (!xs)
        return 0;
    for (size_t p = 0; p < g->npaths; p++) {
        size_t a = g->start[p], b = g->start[p + 1];
        if (b - a < 3)
            continue;
        for (size_t i = a, j = b - 1; i < b; j = i++) {
            double xi = g->xy[2 * i], yi = g->xy[2 * i + 1];
            double xj = g->xy[2 * j], yj = g->xy[2 * j + 1];
            if ((yi > y) == (yj > y))
                continue;
            if (n == cap) {
                double *nx = realloc(xs, 2 * cap * sizeof *nx);
                if (!nx) {
                    free(xs);
                    return 0;
                }
                xs = nx;
                cap *= 2;
            }
            xs[n++] = (xj - xi) * (y - yi) / (yj - yi) + xi;
        }
    }
    qsort(xs, n, sizeof *xs, cmp_double);
    int found = 0;
    *w = 0;
    for (size_t i = 0; i + 1 < n; i += 2)
        if (xs[i + 1] - xs[i] > *w) {
            *w = xs[i + 1] - xs[i];
            *mx = (xs[i] + xs[i + 1]) / 2;
            found = 1;
        }
    free(xs);
    return found;
}

/* The point at half the length of the longest part of line \p g. */
static void line_middle(const sg__shape *g, double *x, double *y)
{
    size_t best = 0;
    double bestlen = -1;
    for (size_t p = 0; p < g->npaths; p++) {
        double len = 0;
        for (size_t i = g->start[p] + 1; i < g->start[p + 1]; i++)
            len += hypot(g->xy[2 * i] - g->xy[2 * i - 2],
                         g->xy[2 * i + 1] - g->xy[2 * i - 1]);
        if (len > bestlen) {
            bestlen = len;
            best = p;
        }
    }
    double half = bestlen / 2, acc = 0;
    size_t a = g->start[best], b = g->start[best + 1];
    *x = g->xy[2 * a];
    *y = g->xy[2 * a + 1];
    for (size_t i = a + 1; i < b; i++) {
        double dx = g->xy[2 * i] - g->xy[2 * i - 2];
        double dy = g->xy[2 * i + 1] - g->xy[2 * i - 1];
        double seg = hypot(dx, dy);
        if (acc + seg >= half && seg > 0) {
            double t = (half - acc) / seg;
            *x = g->xy[2 * i - 2] + t * dx;
            *y = g->xy[2 * i - 1] + t * dy;
            return;
        }
        acc += seg;
    }
}

int sg__shape_label_point(const sg__shape *g, double *x, double *y)
{
    static const double at[9] = {0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8, 0.1, 0.9};
    if (g->npaths == 0)
        return 0;
    if (g->type == SG_G_POINT) {
        *x = g->xy[0];
        *y = g->xy[1];
        return 1;
    }
    if (g->type == SG_G_LINE) {
        line_middle(g, x, y);
        return 1;
    }
    /* polygons: horizontal lines across the height, keeping the middle
     * of the widest inside span; a line further from the middle has to be
     * a quarter wider to win */
    double best_w = 0, h = g->bbox[3] - g->bbox[1];
    int found = 0;
    for (int i = 0; i < 9; i++) {
        /* nudged so that the line does not run through vertices */
        double ly = g->bbox[1] + h * at[i] + h * 1e-7, mx, w;
        if (widest_span(g, ly, &mx, &w) && w > best_w * 1.25) {
            best_w = w;
            *x = mx;
            *y = ly;
            found = 1;
        }
    }
    if (!found) {
        *x = (g->bbox[0] + g->bbox[2]) / 2;
        *y = (g->bbox[1] + g->bbox[3]) / 2;
    }
    return 1;
}
