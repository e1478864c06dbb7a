/* Geometry for drawing: WKB (as the store hands it out, in the working
 * CRS) into flat paths of vertices, label points (for polygons the
 * fallback when pole.c's GEOS pole of inaccessibility is not there) and
 * point-in-polygon tests. Drawing needs no topology, so this stays a small
 * reader rather than a GEOS wrapper.
 * Not for: geometry operations (analyses use GEOS through src/analysis).
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "geom/geos_int.h"
#include "render/render_int.h"

/* A cursor over a WKB buffer, with the geometry being built. */
typedef struct rd {
    const unsigned char *p, *end;
    sg__shape *g;
    size_t nverts, capverts, cappaths;
} rd;

/* Read a 4-byte unsigned integer in byte order \p le. \return 1, or 0 past
 * the end. */
static int rd_u32(rd *r, int le, uint32_t *v)
{
    if (r->end - r->p < 4)
        return 0;
    const unsigned char *b = r->p;
    *v = le ? (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
                  (uint32_t)b[3] << 24
            : (uint32_t)b[3] | (uint32_t)b[2] << 8 | (uint32_t)b[1] << 16 |
                  (uint32_t)b[0] << 24;
    r->p += 4;
    return 1;
}

/* Read an 8-byte IEEE double in byte order \p le. \return 1, or 0 past the
 * end. */
static int rd_f64(rd *r, int le, double *v)
{
    if (r->end - r->p < 8)
        return 0;
    uint64_t u = 0;
    for (int i = 0; i < 8; i++) {
        unsigned char c = le ? r->p[7 - i] : r->p[i];
        u = u << 8 | c;
    }
    memcpy(v, &u, sizeof *v);
    r->p += 8;
    return 1;
}

/* Start a new (empty) path. \return 1, or 0 when out of memory. */
static int begin_path(rd *r)
{
    sg__shape *g = r->g;
    if (g->npaths + 2 > r->cappaths) {
        size_t nc = r->cappaths ? r->cappaths * 2 : 8;
        size_t *ns = realloc(g->start, nc * sizeof *ns);
        if (!ns)
            return 0;
        g->start = ns;
        r->cappaths = nc;
    }
    g->start[g->npaths++] = r->nverts;
    g->start[g->npaths] = r->nverts;
    return 1;
}

/* Read \p n vertices of \p dims ordinates into the current path.
 * \return 1, or 0 if malformed or out of memory. */
static int read_verts(rd *r, int le, uint32_t n, int dims)
{
    if ((size_t)(r->end - r->p) / (size_t)(8 * dims) < n)
        return 0;
    sg__shape *g = r->g;
    if (r->nverts + n > r->capverts) {
        size_t nc = r->capverts ? r->capverts : 16;
        while (nc < r->nverts + n)
            nc *= 2;
        double *nx = realloc(g->xy, nc * 2 * sizeof *nx);
        if (!nx)
            return 0;
        g->xy = nx;
        r->capverts = nc;
    }
    for (uint32_t i = 0; i < n; i++) {
        double x, y, skip;
        if (!rd_f64(r, le, &x) || !rd_f64(r, le, &y))
            return 0;
        for (int d = 2; d < dims; d++)
            if (!rd_f64(r, le, &skip))
                return 0;
        g->xy[2 * r->nverts] = x;
        g->xy[2 * r->nverts + 1] = y;
        r->nverts++;
    }
    g->start[g->npaths] = r->nverts;
    return 1;
}

/* Read one geometry (recursively for multi-types and collections, at
 * most 8 deep). \return 1, or 0 if malformed. */
static int read_geom(rd *r, int depth)
{
    if (depth > 8 || r->p >= r->end || *r->p > 1)
        return 0;
    int le = *r->p++ == 1;
    uint32_t t;
    if (!rd_u32(r, le, &t))
        return 0;
    int dims = 2 + ((t & 0x80000000u) != 0) + ((t & 0x40000000u) != 0);
    if (t & 0x20000000u) { /* EWKB SRID */
        uint32_t srid;
        if (!rd_u32(r, le, &srid))
            return 0;
    }
    t &= 0x0fffffffu;
    if (t >= 3000)
        dims = 4; /* ISO ZM */
    else if (t >= 1000)
        dims = 3; /* ISO Z or M */
    t %= 1000;
    uint32_t n, m;
    sg__gtype type = t == 1 || t == 4   ? SG_G_POINT
                     : t == 2 || t == 5 ? SG_G_LINE
                     : t == 3 || t == 6 ? SG_G_POLYGON
                                        : SG_G_NONE;
    if (type != SG_G_NONE && r->g->type == SG_G_NONE)
        r->g->type = type;
    switch (t) {
    case 1: {
        /* an empty point is NaN, NaN: keep no path for it */
        const unsigned char *save = r->p;
        double x, y;
        if (!rd_f64(r, le, &x) || !rd_f64(r, le, &y))
            return 0;
        r->p = save;
        if (isnan(x) || isnan(y)) {
            r->p += 8 * (size_t)dims;
            return r->p <= r->end;
        }
        return begin_path(r) && read_verts(r, le, 1, dims);
    }
    case 2:
        return rd_u32(r, le, &n) && begin_path(r) &&
               read_verts(r, le, n, dims);
    case 3:
        if (!rd_u32(r, le, &n))
            return 0;
        for (uint32_t i = 0; i < n; i++)
            if (!rd_u32(r, le, &m) || !begin_path(r) ||
                !read_verts(r, le, m, dims))
                return 0;
        return 1;
    case 4: case 5: case 6: case 7:
        if (!rd_u32(r, le, &n))
            return 0;
        for (uint32_t i = 0; i < n; i++)
            if (!read_geom(r, depth + 1))
                return 0;
        return 1;
    default:
        return 0;
    }
}

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
    if (!wkb || !len)
        return 0;
    rd r = {wkb, wkb + len, g, 0, 0, 0};
    if (!read_geom(&r, 0)) {
        sg__shape_cleanup(g);
        return 0;
    }
    size_t nv = g->npaths ? g->start[g->npaths] : 0;
    if (nv == 0) {
        g->npaths = 0;
        return 1;
    }
    g->bbox[0] = g->bbox[2] = g->xy[0];
    g->bbox[1] = g->bbox[3] = g->xy[1];
    for (size_t i = 1; i < nv; i++) {
        double x = g->xy[2 * i], y = g->xy[2 * i + 1];
        if (x < g->bbox[0]) g->bbox[0] = x;
        if (y < g->bbox[1]) g->bbox[1] = y;
        if (x > g->bbox[2]) g->bbox[2] = x;
        if (y > g->bbox[3]) g->bbox[3] = y;
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
