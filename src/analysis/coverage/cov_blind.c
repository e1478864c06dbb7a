/* Blind spots: polygons around groups of uncovered households.
 *
 * Definition: the blind-spot area is the union of discs of radius
 * rho = R/2 around the uncovered households (R the service radius), i.e.
 * every place within R/2 of an uncovered household; each connected piece
 * of it is one blind spot. Two uncovered households are in the same
 * piece exactly when a chain of uncovered households joins them with
 * every step at most R long (their discs touch), so the pieces are found
 * exactly by grouping the households (sg__blind_group: union-find over a
 * grid whose cells have a diagonal just under R).
 *
 * Geometry: GEOS unions of hundreds of thousands of overlapping discs
 * take minutes, so each group's union is traced instead
 * (sg__blind_trace): a raster of spacing h = rho/8 over the group holds
 * the squared distance to its nearest household, and marching squares
 * trace the contour at rho, with the crossings placed on the circles
 * (see edge_point) and saddles resolved by the cell-centre distance.
 * Outer rings come out counter-clockwise, holes clockwise. The rings are
 * polygons inscribed in the circles with a vertex about every h: a
 * single disc's area comes out 0.3% small; where circles meet, the notch
 * is cut by up to about h/2. A group whose raster would exceed 8 million
 * vertices gets a coarser spacing. Vertices at exactly rho are nudged
 * outwards by h/1000 so that rings never touch themselves. Should the
 * raster split a group at a near-tangency, the group's polygon has
 * several parts (it stays one blind spot).
 * Not for: clipping, areas or writing (cov_write.c does those with GEOS).
 * SPDX-License-Identifier: MIT */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/coverage/coverage_int.h"
#include "geom/geos_int.h"

/* Largest raster (vertices) one group may use before h is enlarged. */
#define MAX_VERTS (8u * 1024u * 1024u)

#define NONE UINT32_MAX

/* Buffers reused from one group to the next, and the current raster. */
typedef struct tracer {
    float *f; /* squared distance field, nx * ny */
    size_t fcap;
    uint32_t *next; /* per cell edge: the edge the contour goes to */
    size_t ncap;
    sg__lineset rings; /* rings of the current group */
    double *area;      /* signed area per ring */
    size_t acap;
    double x0, y0, h, rho;
    int nx, ny;
    size_t nh; /* horizontal edges: (nx - 1) * ny */
} tracer;

/* Union-find root with path halving. */
static uint32_t find(uint32_t *parent, uint32_t v)
{
    while (parent[v] != v) {
        parent[v] = parent[parent[v]];
        v = parent[v];
    }
    return v;
}

/* Join the sets of a and b; the root is the lower number. */
static void unite(uint32_t *parent, uint32_t a, uint32_t b)
{
    a = find(parent, a);
    b = find(parent, b);
    if (a != b)
        parent[a < b ? b : a] = a < b ? a : b;
}

/* Whether some point of cell \p ka is within sqrt(lim) of some point of
 * cell \p kb (all pairs tested until one is). */
static int cells_touch(const sg__cells *g, const double *xy, size_t ka,
                       size_t kb, double lim)
{
    for (uint32_t a = g->off[ka]; a < g->off[ka + 1]; a++) {
        const double *p = xy + 2 * (size_t)g->items[a];
        for (uint32_t b = g->off[kb]; b < g->off[kb + 1]; b++) {
            const double *q = xy + 2 * (size_t)g->items[b];
            double dx = p[0] - q[0], dy = p[1] - q[1];
            if (dx * dx + dy * dy <= lim)
                return 1;
        }
    }
    return 0;
}

/* Group the points: union of every pair at most 2 rho apart. The grid's
 * cells have a diagonal just under 2 rho, so the points of one cell are
 * one group at once; two cells are joined by the first close pair found,
 * and cells already in one group are not compared at all. */
static sg_status group_points(sg_ctx *ctx, const double *xy, size_t n,
                              double rho, uint32_t *parent)
{
    double *boxes = malloc((n + 1) * 4 * sizeof *boxes);
    sg__cells g = {0};
    if (!boxes)
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) {
        boxes[4 * i] = boxes[4 * i + 2] = xy[2 * i];
        boxes[4 * i + 1] = boxes[4 * i + 3] = xy[2 * i + 1];
        parent[i] = (uint32_t)i;
    }
    sg_status st =
        sg__cells_build(ctx, &g, boxes, n, 2 * rho / sqrt(2) * 0.999);
    free(boxes);
    if (st)
        return st;
    double lim = 4 * rho * rho;
    int whole = g.cell * g.cell * 2 <= lim; /* a cell's points all touch */
    int reach = (int)ceil(2 * rho / g.cell);
    for (int r = 0; r < g.ny; r++) {
        for (int c = 0; c < g.nx; c++) {
            size_t k = (size_t)r * (size_t)g.nx + (size_t)c;
            if (g.off[k] == g.off[k + 1])
                continue;
            uint32_t first = g.items[g.off[k]];
            for (uint32_t a = g.off[k] + 1; a < g.off[k + 1]; a++) {
                if (whole) {
                    unite(parent, first, g.items[a]);
                    continue;
                }
                for (uint32_t b = g.off[k]; b < a; b++) {
                    const double *p = xy + 2 * (size_t)g.items[a];
                    const double *q = xy + 2 * (size_t)g.items[b];
                    double dx = p[0] - q[0], dy = p[1] - q[1];
                    if (dx * dx + dy * dy <= lim)
                        unite(parent, g.items[a], g.items[b]);
                }
            }
            /* forward neighbours: later rows, or this row to the right */
            for (int dr = 0; dr <= reach && r + dr < g.ny; dr++) {
                for (int dc = -reach; dc <= reach; dc++) {
                    if ((dr == 0 && dc <= 0) || c + dc < 0 || c + dc >= g.nx)
                        continue;
                    double gx = (abs(dc) > 0 ? abs(dc) - 1 : 0) * g.cell;
                    double gy = (dr > 0 ? dr - 1 : 0) * g.cell;
                    if (gx * gx + gy * gy > lim)
                        continue; /* the cells are too far apart */
                    size_t k2 =
                        (size_t)(r + dr) * (size_t)g.nx + (size_t)(c + dc);
                    if (g.off[k2] == g.off[k2 + 1])
                        continue;
                    if (whole &&
                        find(parent, first) == find(parent, g.items[g.off[k2]]))
                        continue;
                    if (whole) {
                        if (cells_touch(&g, xy, k, k2, lim))
                            unite(parent, first, g.items[g.off[k2]]);
                        continue;
                    }
                    for (uint32_t a = g.off[k]; a < g.off[k + 1]; a++)
                        for (uint32_t b = g.off[k2]; b < g.off[k2 + 1]; b++) {
                            const double *p = xy + 2 * (size_t)g.items[a];
                            const double *q = xy + 2 * (size_t)g.items[b];
                            double dx = p[0] - q[0], dy = p[1] - q[1];
                            if (dx * dx + dy * dy <= lim)
                                unite(parent, g.items[a], g.items[b]);
                        }
                }
            }
        }
    }
    sg__cells_cleanup(&g);
    return SG_OK;
}

/* Lay out the raster for a group with envelope \p box; \return 1, or 0
 * when out of memory. */
static int raster_setup(tracer *t, const double box[4], double rho)
{
    double h = rho / 8;
    for (;;) {
        double margin = rho + 2 * h;
        double w = box[2] - box[0] + 2 * margin;
        double hh = box[3] - box[1] + 2 * margin;
        t->nx = (int)ceil(w / h) + 1;
        t->ny = (int)ceil(hh / h) + 1;
        if ((double)t->nx * (double)t->ny <= (double)MAX_VERTS)
            break;
        h *= 1.25;
    }
    t->h = h;
    t->rho = rho;
    t->x0 = box[0] - (rho + 2 * h);
    t->y0 = box[1] - (rho + 2 * h);
    size_t nv = (size_t)t->nx * (size_t)t->ny;
    t->nh = (size_t)(t->nx - 1) * (size_t)t->ny;
    size_t ne = t->nh + (size_t)t->nx * (size_t)(t->ny - 1);
    if (nv > t->fcap) {
        float *f = realloc(t->f, nv * sizeof *f);
        if (!f)
            return 0;
        t->f = f;
        t->fcap = nv;
    }
    if (ne > t->ncap) {
        uint32_t *x = realloc(t->next, ne * sizeof *x);
        if (!x)
            return 0;
        t->next = x;
        t->ncap = ne;
    }
    for (size_t v = 0; v < nv; v++)
        t->f[v] = FLT_MAX;
    memset(t->next, 0xff, ne * sizeof *t->next);
    return 1;
}

/* Lower the field (squared distances) around point (x, y) within
 * rho + 1.5 h of it: enough for every cell edge that crosses rho. */
static void rasterize(tracer *t, double x, double y)
{
    double reach = t->rho + 1.5 * t->h, reach2 = reach * reach;
    int j0 = (int)ceil((y - reach - t->y0) / t->h);
    int j1 = (int)floor((y + reach - t->y0) / t->h);
    j0 = j0 < 0 ? 0 : j0;
    j1 = j1 >= t->ny ? t->ny - 1 : j1;
    for (int j = j0; j <= j1; j++) {
        double dy = t->y0 + j * t->h - y, rest = reach2 - dy * dy;
        if (rest < 0)
            continue;
        double half = sqrt(rest);
        int i0 = (int)ceil((x - half - t->x0) / t->h);
        int i1 = (int)floor((x + half - t->x0) / t->h);
        i0 = i0 < 0 ? 0 : i0;
        i1 = i1 >= t->nx ? t->nx - 1 : i1;
        float *row = t->f + (size_t)j * (size_t)t->nx;
        double dx = t->x0 + i0 * t->h - x, dy2 = dy * dy;
        for (int i = i0; i <= i1; i++, dx += t->h) {
            float d2 = (float)(dx * dx + dy2);
            if (d2 < row[i])
                row[i] = d2;
        }
    }
}

/* Where the contour crosses cell edge \p e. Along a straight line the
 * squared distance to one point is a quadratic with leading coefficient
 * 1, so the two end values fix it: the crossing is exact on the circle
 * when one household is nearest at both ends, and close to it near the
 * notches where two circles meet. */
static void edge_point(const tracer *t, uint32_t e, double *x, double *y)
{
    size_t a, b;
    int i, j, vertical = e >= t->nh;
    if (!vertical) {
        j = (int)(e / (uint32_t)(t->nx - 1));
        i = (int)(e % (uint32_t)(t->nx - 1));
        a = (size_t)j * (size_t)t->nx + (size_t)i;
        b = a + 1;
    } else {
        size_t k = e - t->nh;
        j = (int)(k / (size_t)t->nx);
        i = (int)(k % (size_t)t->nx);
        a = (size_t)j * (size_t)t->nx + (size_t)i;
        b = a + (size_t)t->nx;
    }
    double fa = t->f[a], fb = t->f[b], h = t->h, r2 = t->rho * t->rho;
    int from_b = fa > r2; /* measure from the inside end */
    double f0 = from_b ? fb : fa, f1 = from_b ? fa : fb;
    double B = (f1 - f0 - h * h) / h, C = f0 - r2;
    double disc = B * B - 4 * C;
    double s = (-B + sqrt(disc > 0 ? disc : 0)) / 2 / h;
    s = s < 0 ? 0 : s > 1 ? 1 : s;
    if (from_b)
        s = 1 - s;
    *x = t->x0 + (i + (vertical ? 0 : s)) * h;
    *y = t->y0 + (j + (vertical ? s : 0)) * h;
}

/* Marching squares: link the crossed cell edges, oriented so that the
 * inside (distance <= rho) lies on the left. */
static void march(tracer *t)
{
    /* per case: up to two (from, to) pairs of the edges
     * 0 bottom, 1 right, 2 top, 3 left; -1 none. Saddles 5 and 10 list
     * the "separated" variant here and are handled below. */
    static const signed char seg[16][4] = {
        {-1, -1, -1, -1}, {0, 3, -1, -1}, {1, 0, -1, -1}, {1, 3, -1, -1},
        {2, 1, -1, -1},   {0, 3, 2, 1},   {2, 0, -1, -1}, {2, 3, -1, -1},
        {3, 2, -1, -1},   {0, 2, -1, -1}, {1, 0, 3, 2},   {1, 2, -1, -1},
        {3, 1, -1, -1},   {0, 1, -1, -1}, {3, 0, -1, -1}, {-1, -1, -1, -1}};
    static const signed char joined5[4] = {0, 1, 2, 3};  /* B->R, T->L */
    static const signed char joined10[4] = {3, 0, 1, 2}; /* L->B, R->T */
    size_t nx = (size_t)t->nx;
    float rho = (float)(t->rho * t->rho); /* the field holds squares */
    for (int j = 0; j + 1 < t->ny; j++) {
        const float *lo = t->f + (size_t)j * nx, *hi = lo + nx;
        for (int i = 0; i + 1 < t->nx; i++) {
            int code = (lo[i] <= rho) | (lo[i + 1] <= rho) << 1 |
                       (hi[i + 1] <= rho) << 2 | (hi[i] <= rho) << 3;
            if (code == 0 || code == 15)
                continue;
            const signed char *s = seg[code];
            if (code == 5 || code == 10) {
                double centre = (sqrt(lo[i]) + sqrt(lo[i + 1]) + sqrt(hi[i]) +
                                 sqrt(hi[i + 1])) /
                                4;
                if (centre <= t->rho)
                    s = code == 5 ? joined5 : joined10;
            }
            uint32_t edge[4];
            edge[0] = (uint32_t)((size_t)j * (nx - 1) + (size_t)i);
            edge[2] = (uint32_t)((size_t)(j + 1) * (nx - 1) + (size_t)i);
            edge[3] = (uint32_t)(t->nh + (size_t)j * nx + (size_t)i);
            edge[1] = edge[3] + 1;
            for (int k = 0; k < 4 && s[k] >= 0; k += 2)
                t->next[edge[(int)s[k]]] = edge[(int)s[k + 1]];
        }
    }
}

/* Follow the links into closed rings (t->rings, owner 0) with their
 * signed areas. \return 1, or 0 when out of memory. */
static int trace_rings(tracer *t)
{
    size_t ne = t->nh + (size_t)t->nx * (size_t)(t->ny - 1), nr = 0;
    t->rings.nv = t->rings.nparts = 0;
    for (size_t e0 = 0; e0 < ne; e0++) {
        if (t->next[e0] == NONE)
            continue;
        /* walk once to count, then append the closed ring */
        size_t len = 0;
        uint32_t e = (uint32_t)e0;
        do {
            uint32_t n = t->next[e];
            t->next[e] = NONE;
            if (t->rings.nv + len + 2 > t->rings.cap_v) {
                size_t cap = t->rings.cap_v ? t->rings.cap_v * 2 : 4096;
                double *xy = realloc(t->rings.xy, cap * 2 * sizeof *xy);
                if (!xy)
                    return 0;
                t->rings.xy = xy;
                t->rings.cap_v = cap;
            }
            double *p = t->rings.xy + 2 * (t->rings.nv + len);
            edge_point(t, e, p, p + 1);
            len++;
            e = n;
        } while (e != NONE && e != e0);
        if (e == NONE || len < 3)
            continue; /* an open chain cannot happen; skip it if it does */
        double *first = t->rings.xy + 2 * t->rings.nv;
        first[2 * len] = first[0];
        first[2 * len + 1] = first[1];
        if (t->rings.nparts + 2 > t->rings.cap_p) {
            size_t cap = t->rings.cap_p ? t->rings.cap_p * 2 : 64;
            size_t *st = realloc(t->rings.start, cap * sizeof *st);
            if (!st)
                return 0;
            t->rings.start = st;
            int32_t *ow = realloc(t->rings.owner, cap * sizeof *ow);
            if (!ow)
                return 0;
            t->rings.owner = ow;
            t->rings.cap_p = cap;
        }
        if (nr + 1 > t->acap) {
            size_t cap = t->acap ? t->acap * 2 : 64;
            double *a = realloc(t->area, cap * sizeof *a);
            if (!a)
                return 0;
            t->area = a;
            t->acap = cap;
        }
        t->rings.start[t->rings.nparts] = t->rings.nv;
        t->rings.owner[t->rings.nparts] = 0;
        t->area[nr++] = sg__ring_area(first, len + 1);
        t->rings.nv += len + 1;
        t->rings.start[++t->rings.nparts] = t->rings.nv;
    }
    return 1;
}

/* Append ring \p r of the tracer to \p out as a part of piece \p owner.
 * \return 1, or 0 when out of memory. */
static int copy_ring(const tracer *t, size_t r, sg__lineset *out, int32_t owner)
{
    size_t a = t->rings.start[r], n = t->rings.start[r + 1] - a;
    if (!sg__lineset_reserve(out, n))
        return 0;
    memcpy(out->xy + 2 * out->nv, t->rings.xy + 2 * a, n * 2 * sizeof(double));
    out->start[out->nparts] = out->nv;
    out->owner[out->nparts] = owner;
    out->nv += n;
    out->start[++out->nparts] = out->nv;
    return 1;
}

/* The outer ring (of \p shells, \p ns of them) with the smallest area
 * that contains (x, y); -1 if none does. */
static long containing_shell(const tracer *t, const size_t *shells, size_t ns,
                             double x, double y)
{
    long best = -1;
    for (size_t s = 0; s < ns; s++) {
        size_t r = shells[s], a = t->rings.start[r];
        size_t n = t->rings.start[r + 1] - a;
        if (sg__ring_contains(t->rings.xy + 2 * a, n, x, y) &&
            (best < 0 || t->area[r] < t->area[shells[best]]))
            best = (long)s;
    }
    return best;
}

/* Trace one group (members \p m of \p xy, \p nm of them) and append its
 * polygons to \p out as piece \p piece: each outer ring followed by its
 * holes. \return SG_OK or SG_ERR_NOMEM. */
static sg_status trace_group(sg_ctx *ctx, tracer *t, const double *xy,
                             const uint32_t *m, size_t nm, double rho,
                             int32_t piece, sg__blind *out, size_t **shells,
                             size_t *scap)
{
    double box[4] = {INFINITY, INFINITY, -INFINITY, -INFINITY};
    for (size_t k = 0; k < nm; k++) {
        box[0] = fmin(box[0], xy[2 * m[k]]);
        box[1] = fmin(box[1], xy[2 * m[k] + 1]);
        box[2] = fmax(box[2], xy[2 * m[k]]);
        box[3] = fmax(box[3], xy[2 * m[k] + 1]);
    }
    if (!raster_setup(t, box, rho))
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    out->cell = fmax(out->cell, t->h);
    for (size_t k = 0; k < nm; k++)
        rasterize(t, xy[2 * m[k]], xy[2 * m[k] + 1]);
    /* no vertex exactly on the level: rings then never touch a vertex */
    double eps = t->h * 1e-3;
    float lo = (float)((rho - eps) * (rho - eps));
    float hi = (float)((rho + eps) * (rho + eps));
    size_t nv = (size_t)t->nx * (size_t)t->ny;
    for (size_t v = 0; v < nv; v++)
        if (t->f[v] > lo && t->f[v] < hi)
            t->f[v] = hi;
    march(t);
    if (!trace_rings(t))
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    size_t nr = t->rings.nparts, ns = 0;
    if (nr > *scap) {
        size_t *s = realloc(*shells, nr * sizeof *s);
        if (!s)
            return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        *shells = s;
        *scap = nr;
    }
    for (size_t r = 0; r < nr; r++)
        if (t->area[r] > 0)
            (*shells)[ns++] = r;
    for (size_t s = 0; s < ns; s++) {
        if (!copy_ring(t, (*shells)[s], &out->rings, piece))
            return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        for (size_t r = 0; r < nr; r++) {
            if (t->area[r] >= 0)
                continue;
            const double *p = t->rings.xy + 2 * t->rings.start[r];
            if ((ns == 1 ||
                 containing_shell(t, *shells, ns, p[0], p[1]) == (long)s) &&
                !copy_ring(t, r, &out->rings, piece))
                return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        }
    }
    return SG_OK;
}

sg_status sg__blind_group(sg_ctx *ctx, const double *xy, size_t n, double rho,
                          int32_t *group_of, size_t *ngroups)
{
    uint32_t *parent = malloc((n + 1) * sizeof *parent);
    *ngroups = 0;
    if (!parent)
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    sg_status st = n && rho > 0 ? group_points(ctx, xy, n, rho, parent) : SG_OK;
    /* number the groups in order of their lowest member (the root) */
    for (size_t i = 0; st == SG_OK && i < n; i++) {
        uint32_t r = rho > 0 ? find(parent, (uint32_t)i) : (uint32_t)i;
        group_of[i] = r == i ? (int32_t)(*ngroups)++ : group_of[r];
    }
    free(parent);
    return st;
}

sg_status sg__blind_trace(sg_ctx *ctx, const double *xy, size_t n, double rho,
                          const int32_t *group_of, size_t ngroups,
                          sg__blind *out)
{
    memset(out, 0, sizeof *out);
    tracer t = {0};
    uint32_t *order = malloc((n + 1) * sizeof *order);
    size_t *start = calloc(ngroups + 2, sizeof *start), *shells = NULL;
    size_t scap = 0;
    sg_status st = SG_OK;
    out->npieces = ngroups;
    if (!order || !start) {
        st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        goto done;
    }
    if (!(rho > 0))
        goto done;
    for (size_t i = 0; i < n; i++)
        start[group_of[i] + 1]++;
    for (size_t g = 0; g < ngroups; g++)
        start[g + 1] += start[g];
    for (size_t i = 0; i < n; i++)
        order[start[group_of[i]]++] = (uint32_t)i;
    /* start[g] now ends group g */
    for (size_t g = 0, pos = 0; g < ngroups && st == SG_OK; g++) {
        st = trace_group(ctx, &t, xy, order + pos, start[g] - pos, rho,
                         (int32_t)g, out, &shells, &scap);
        pos = start[g];
        if (st == SG_OK && (g & 1023) == 0)
            st = sg__progress(ctx, (double)pos / (double)n, "blind spots");
    }
done:
    free(order);
    free(start);
    free(shells);
    free(t.f);
    free(t.next);
    free(t.area);
    sg__lineset_cleanup(&t.rings);
    if (st)
        sg__blind_cleanup(out);
    return st;
}

void sg__blind_cleanup(sg__blind *b)
{
    if (!b)
        return;
    sg__lineset_cleanup(&b->rings);
    memset(b, 0, sizeof *b);
}
