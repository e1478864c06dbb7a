/* The road graph: built from the lines of the `roads` layer whenever an
 * analysis needs it.
 *
 * Rules (also in `sanigrid network --help`):
 *  - Every vertex of every line is a node; vertices with exactly equal
 *    coordinates in the working CRS are one node (a hash map on the bit
 *    patterns). Lines therefore connect where they share a vertex, at
 *    their ends or inside a line: the OpenStreetMap rule, under which a
 *    crossing without a shared vertex is a bridge or a tunnel.
 *  - Every straight piece between consecutive vertices is an edge whose
 *    weight is its length. Zero-length pieces are dropped.
 *  - node_crossings: every point where two pieces cross or touch
 *    (including an end lying exactly on another line, and the ends of
 *    collinear overlaps) becomes a node of both.
 *  - snap_m = D: each dangling end (a node with one edge, after noding)
 *    is joined by a connector edge to the closest point within D metres
 *    of a line of another road (rows of `roads`); that point becomes a
 *    node (splitting the piece) unless it is a vertex already. An end
 *    that another end has already been joined to is left alone, so two
 *    facing ends get one connector. Connectors count as edges for paths
 *    and components but not as road length, and nothing snaps to them.
 * Components come from a union-find over the edges and are numbered by
 * road length, largest first (ties: the one holding the lowest node).
 * Not for: shortest paths (paths.c), SQL and result layers (network.c).
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "geom/csr_int.h"
#include "net/net_int.h"
#include "store/store_int.h"

/* A straight piece of a road line (or a connector, road -1). */
typedef struct rawseg {
    double x1, y1, x2, y2;
    int32_t road;
} rawseg;

/* A point where a piece must be split: parameter t along it (for
 * ordering) and the exact coordinates the new node gets. */
typedef struct split {
    uint32_t seg;
    double t, x, y;
} split;

/* A growable array of splits. */
typedef struct splits {
    split *v;
    size_t n, cap;
} splits;

/* Append a split. \return 1, or 0 when out of memory. */
static int splits_push(splits *s, uint32_t seg, double t, double x, double y)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 256;
        split *v = realloc(s->v, cap * sizeof *v);
        if (!v)
            return 0;
        s->v = v;
        s->cap = cap;
    }
    s->v[s->n++] = (split){seg, t, x, y};
    return 1;
}

/* ---- node map: exact coordinates -> node number ------------------------ */

typedef struct nodemap {
    uint32_t *slot; /* node number + 1, 0 = empty */
    size_t mask;
    double *x, *y; /* node coordinates */
    size_t n, cap;
} nodemap;

/* splitmix64's finaliser. */
static uint64_t mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* Hash of a coordinate pair's bit patterns. */
static uint64_t hash_xy(double x, double y)
{
    uint64_t a, b;
    memcpy(&a, &x, 8);
    memcpy(&b, &y, 8);
    return mix64(a ^ mix64(b));
}

/* Prepare a map for up to \p max_nodes nodes. \return 1, or 0 when out of
 * memory. */
static int nodemap_init(nodemap *m, size_t max_nodes)
{
    memset(m, 0, sizeof *m);
    size_t size = 64;
    while (size < 2 * max_nodes + 2)
        size *= 2;
    m->slot = calloc(size, sizeof *m->slot);
    m->cap = max_nodes ? max_nodes : 1;
    m->x = malloc(m->cap * sizeof *m->x);
    m->y = malloc(m->cap * sizeof *m->y);
    m->mask = size - 1;
    return m->slot && m->x && m->y;
}

/* Free the map's arrays. */
static void nodemap_cleanup(nodemap *m)
{
    free(m->slot);
    free(m->x);
    free(m->y);
    memset(m, 0, sizeof *m);
}

/* The node at (x, y), added if new (the map was sized for every point
 * that can be added). */
static uint32_t nodemap_get(nodemap *m, double x, double y)
{
    size_t i = (size_t)hash_xy(x, y) & m->mask;
    for (;;) {
        uint32_t s = m->slot[i];
        if (!s) {
            m->x[m->n] = x;
            m->y[m->n] = y;
            m->slot[i] = (uint32_t)++m->n;
            return (uint32_t)(m->n - 1);
        }
        if (m->x[s - 1] == x && m->y[s - 1] == y)
            return s - 1;
        i = (i + 1) & m->mask;
    }
}

/* ---- geometry helpers -------------------------------------------------- */

/* Twice the signed area of triangle a, b, c (> 0: c left of a->b). */
static double orient(double ax, double ay, double bx, double by, double cx,
                     double cy)
{
    return (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
}

/* Parameter of the projection of (px, py) on segment s (unclamped). */
static double seg_param(const rawseg *s, double px, double py)
{
    double dx = s->x2 - s->x1, dy = s->y2 - s->y1;
    double l2 = dx * dx + dy * dy;
    return l2 > 0 ? ((px - s->x1) * dx + (py - s->y1) * dy) / l2 : 0.0;
}

/* Whether (px, py), known to be collinear with s, lies strictly inside
 * it (between its ends and equal to neither). */
static int strictly_inside(const rawseg *s, double px, double py)
{
    if ((px == s->x1 && py == s->y1) || (px == s->x2 && py == s->y2))
        return 0;
    return px >= fmin(s->x1, s->x2) && px <= fmax(s->x1, s->x2) &&
           py >= fmin(s->y1, s->y2) && py <= fmax(s->y1, s->y2);
}

/* Bounding boxes of \p n pieces (4 doubles each). Caller owns; NULL when
 * out of memory. */
static double *seg_boxes(const rawseg *s, size_t n, double *mean_len)
{
    double *b = malloc((n ? n : 1) * 4 * sizeof *b);
    double len = 0;
    if (!b)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        b[4 * i] = fmin(s[i].x1, s[i].x2);
        b[4 * i + 1] = fmin(s[i].y1, s[i].y2);
        b[4 * i + 2] = fmax(s[i].x1, s[i].x2);
        b[4 * i + 3] = fmax(s[i].y1, s[i].y2);
        len += hypot(s[i].x2 - s[i].x1, s[i].y2 - s[i].y1);
    }
    *mean_len = n ? len / (double)n : 1.0;
    return b;
}

/* Order doubles ascending. */
static int cmp_double(const void *a, const void *b)
{
    double p = *(const double *)a, q = *(const double *)b;
    return p < q ? -1 : p > q;
}

/* A grid over pieces with cells about a median piece long (so most
 * pieces sit in one to four cells and a search near a road looks at few
 * pieces); sg__cells_build enlarges the cells if there would be too many. */
static sg_status index_segs(sg_ctx *ctx, sg__cells *g, const rawseg *s,
                            size_t n)
{
    double mean = 1.0, sample[1024];
    double *boxes = seg_boxes(s, n, &mean);
    if (!boxes)
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    size_t ns = n < 1024 ? n : 1024;
    for (size_t k = 0; k < ns; k++) {
        const rawseg *q = s + (n < 1024 ? k : k * (n / 1024));
        sample[k] = hypot(q->x2 - q->x1, q->y2 - q->y1);
    }
    qsort(sample, ns, sizeof *sample, cmp_double);
    double cell = ns ? sample[ns / 2] : mean;
    sg_status st = sg__cells_build(ctx, g, boxes, n, fmax(cell, 0.01));
    free(boxes);
    return st;
}

/* ---- noding of crossings ---------------------------------------------- */

/* Record the crossing or touching points of pieces p and q (numbers
 * ip, iq) as splits of both. \return 1, or 0 when out of memory. */
static int intersect(const rawseg *p, const rawseg *q, uint32_t ip, uint32_t iq,
                     splits *out)
{
    double o1 = orient(p->x1, p->y1, p->x2, p->y2, q->x1, q->y1);
    double o2 = orient(p->x1, p->y1, p->x2, p->y2, q->x2, q->y2);
    double o3 = orient(q->x1, q->y1, q->x2, q->y2, p->x1, p->y1);
    double o4 = orient(q->x1, q->y1, q->x2, q->y2, p->x2, p->y2);
    if (((o1 > 0 && o2 < 0) || (o1 < 0 && o2 > 0)) &&
        ((o3 > 0 && o4 < 0) || (o3 < 0 && o4 > 0))) {
        double t = o3 / (o3 - o4), u = o1 / (o1 - o2);
        double x = p->x1 + t * (p->x2 - p->x1);
        double y = p->y1 + t * (p->y2 - p->y1);
        return splits_push(out, ip, t, x, y) && splits_push(out, iq, u, x, y);
    }
    /* an end of one lying exactly on the other (T junction, overlap) */
    if (o1 == 0 && strictly_inside(p, q->x1, q->y1) &&
        !splits_push(out, ip, seg_param(p, q->x1, q->y1), q->x1, q->y1))
        return 0;
    if (o2 == 0 && strictly_inside(p, q->x2, q->y2) &&
        !splits_push(out, ip, seg_param(p, q->x2, q->y2), q->x2, q->y2))
        return 0;
    if (o3 == 0 && strictly_inside(q, p->x1, p->y1) &&
        !splits_push(out, iq, seg_param(q, p->x1, p->y1), p->x1, p->y1))
        return 0;
    if (o4 == 0 && strictly_inside(q, p->x2, p->y2) &&
        !splits_push(out, iq, seg_param(q, p->x2, p->y2), p->x2, p->y2))
        return 0;
    return 1;
}

/* Find every crossing of the pieces \p s with a grid over them: each
 * pair is tested once, in the first cell (lowest row, then column) that
 * both pieces' boxes share. */
static sg_status find_crossings(sg_ctx *ctx, const rawseg *s, size_t n,
                                splits *out)
{
    sg__cells g = {0};
    sg_status st = index_segs(ctx, &g, s, n);
    if (st)
        return st;
    for (int r = 0; r < g.ny && st == SG_OK; r++) {
        for (int c = 0; c < g.nx; c++) {
            size_t k = (size_t)r * (size_t)g.nx + (size_t)c;
            for (uint32_t a = g.off[k]; a < g.off[k + 1]; a++) {
                const rawseg *p = s + g.items[a];
                double pminx = fmin(p->x1, p->x2), pmaxx = fmax(p->x1, p->x2);
                double pminy = fmin(p->y1, p->y2), pmaxy = fmax(p->y1, p->y2);
                for (uint32_t b = a + 1; b < g.off[k + 1]; b++) {
                    const rawseg *q = s + g.items[b];
                    double qminx = fmin(q->x1, q->x2);
                    double qmaxx = fmax(q->x1, q->x2);
                    double qminy = fmin(q->y1, q->y2);
                    double qmaxy = fmax(q->y1, q->y2);
                    if (qminx > pmaxx || qmaxx < pminx || qminy > pmaxy ||
                        qmaxy < pminy)
                        continue;
                    int c0 = sg__cells_col(&g, fmax(pminx, qminx));
                    int r0 = sg__cells_row(&g, fmax(pminy, qminy));
                    c0 = c0 < 0 ? 0 : c0 >= g.nx ? g.nx - 1 : c0;
                    r0 = r0 < 0 ? 0 : r0 >= g.ny ? g.ny - 1 : r0;
                    if (c0 != c || r0 != r)
                        continue; /* tested in an earlier cell */
                    if (!intersect(p, q, g.items[a], g.items[b], out)) {
                        st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
                        goto done;
                    }
                }
            }
        }
        if (r % 64 == 0)
            st = sg__progress(ctx, (double)r / g.ny * 0.5, "noding crossings");
    }
done:
    sg__cells_cleanup(&g);
    return st;
}

/* Order splits by piece, then position along it. */
static int cmp_split(const void *a, const void *b)
{
    const split *p = a, *q = b;
    if (p->seg != q->seg)
        return p->seg < q->seg ? -1 : 1;
    if (p->t != q->t)
        return p->t < q->t ? -1 : 1;
    if (p->x != q->x)
        return p->x < q->x ? -1 : 1;
    return p->y < q->y ? -1 : p->y > q->y;
}

/* Order coordinate pairs (for counting distinct split points). */
static int cmp_xy(const void *a, const void *b)
{
    const double *p = a, *q = b;
    if (p[0] != q[0])
        return p[0] < q[0] ? -1 : 1;
    return p[1] < q[1] ? -1 : p[1] > q[1];
}

/* Number of distinct coordinates among the splits. */
static long long count_points(const splits *sp)
{
    double *xy = malloc((sp->n ? sp->n : 1) * 2 * sizeof *xy);
    long long n = 0;
    if (!xy)
        return (long long)sp->n; /* an estimate is fine for a figure */
    for (size_t i = 0; i < sp->n; i++) {
        xy[2 * i] = sp->v[i].x;
        xy[2 * i + 1] = sp->v[i].y;
    }
    qsort(xy, sp->n, 2 * sizeof *xy, cmp_xy);
    for (size_t i = 0; i < sp->n; i++)
        if (i == 0 || cmp_xy(xy + 2 * i, xy + 2 * (i - 1)) != 0)
            n++;
    free(xy);
    return n;
}

/* Split the pieces \p in at \p sp (sorted here) into a new array, then
 * append \p extra more pieces (connectors). \return the pieces (caller
 * owns) and their count in \p nout, or NULL when out of memory. */
static rawseg *apply_splits(const rawseg *in, size_t n, splits *sp,
                            const rawseg *extra, size_t nextra, size_t *nout)
{
    if (sp->n)
        qsort(sp->v, sp->n, sizeof *sp->v, cmp_split);
    rawseg *out = malloc((n + sp->n + nextra + 1) * sizeof *out);
    size_t k = 0, j = 0;
    if (!out)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        double px = in[i].x1, py = in[i].y1;
        for (; j < sp->n && sp->v[j].seg == i; j++) {
            double x = sp->v[j].x, y = sp->v[j].y;
            if ((x == px && y == py) || (x == in[i].x2 && y == in[i].y2))
                continue;
            out[k++] = (rawseg){px, py, x, y, in[i].road};
            px = x;
            py = y;
        }
        if (px != in[i].x2 || py != in[i].y2)
            out[k++] = (rawseg){px, py, in[i].x2, in[i].y2, in[i].road};
    }
    for (size_t i = 0; i < nextra; i++)
        out[k++] = extra[i];
    *nout = k;
    return out;
}

/* ---- snapping dangling ends -------------------------------------------- */

/* Best candidate of a nearest-piece search. */
typedef struct nearest {
    double d2, t, px, py;
    uint32_t seg;
    int found;
} nearest;

/* Consider piece \p i of \p s for the point (x, y). */
static void consider(const rawseg *s, uint32_t i, double x, double y,
                     nearest *b)
{
    double dx = s[i].x2 - s[i].x1, dy = s[i].y2 - s[i].y1;
    double l2 = dx * dx + dy * dy;
    double t = l2 > 0 ? ((x - s[i].x1) * dx + (y - s[i].y1) * dy) / l2 : 0;
    double px, py;
    if (t <= 0) {
        t = 0;
        px = s[i].x1;
        py = s[i].y1;
    } else if (t >= 1) {
        t = 1;
        px = s[i].x2;
        py = s[i].y2;
    } else {
        px = s[i].x1 + t * dx;
        py = s[i].y1 + t * dy;
    }
    double d2 = (px - x) * (px - x) + (py - y) * (py - y);
    if (!b->found || d2 < b->d2 || (d2 == b->d2 && i < b->seg))
        *b = (nearest){d2, t, px, py, i, 1};
}

/* A nearest-piece search over the pieces \p s (sg__cells_nearest). */
typedef struct piece_search {
    const rawseg *s;
    double x, y, max_d;
    int32_t skip_road;
    nearest b;
} piece_search;

/* sg__cells_far_fn: past the radius, or past the best piece. */
static int piece_far(double lower, void *user)
{
    const piece_search *q = user;
    return lower > q->max_d || (q->b.found && lower * lower > q->b.d2);
}

/* sg__cells_visit_fn: a piece of another road, not a connector. */
static void piece_visit(uint32_t e, void *user)
{
    piece_search *q = user;
    if (q->s[e].road < 0 || q->s[e].road == q->skip_road)
        return;
    consider(q->s, e, q->x, q->y, &q->b);
}

/* Nearest piece of \p s to (x, y) within \p max_d whose road differs
 * from \p skip_road (-2: no exclusion); connectors (road -1) are never
 * candidates. */
static nearest find_nearest(const sg__cells *g, const rawseg *s, double x,
                            double y, double max_d, int32_t skip_road)
{
    piece_search q = {s, x, y, max_d, skip_road, {0, 0, 0, 0, 0, 0}};
    sg__cells_nearest(g, x, y, piece_far, piece_visit, &q);
    if (q.b.found && q.b.d2 > max_d * max_d)
        q.b.found = 0;
    return q.b;
}

/* Join the dangling ends of the pieces \p s (crossings already noded)
 * to the nearest other road within \p d: adds splits to \p sp and
 * connector pieces to \p *conn. \return SG_OK or SG_ERR_NOMEM. */
static sg_status snap_dangles(sg_ctx *ctx, const rawseg *s, size_t n, double d,
                              splits *sp, rawseg **conn, size_t *nconn,
                              long long *snapped)
{
    nodemap m;
    sg__cells g = {0};
    uint32_t *deg = NULL, *first = NULL;
    unsigned char *joined = NULL;
    sg_status st = SG_OK;
    *conn = NULL;
    *nconn = 0;
    if (!nodemap_init(&m, 2 * n)) {
        st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        goto done;
    }
    deg = calloc(2 * n + 1, sizeof *deg);
    first = malloc((2 * n + 1) * sizeof *first);
    joined = calloc(2 * n + 1, 1);
    *conn = malloc((n + 1) * sizeof **conn);
    if (!deg || !first || !joined || !*conn) {
        st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        uint32_t a = nodemap_get(&m, s[i].x1, s[i].y1);
        uint32_t b = nodemap_get(&m, s[i].x2, s[i].y2);
        if (deg[a]++ == 0)
            first[a] = (uint32_t)i;
        if (deg[b]++ == 0)
            first[b] = (uint32_t)i;
    }
    if ((st = index_segs(ctx, &g, s, n)))
        goto done;
    for (uint32_t v = 0; v < m.n; v++) {
        if (deg[v] != 1 || joined[v])
            continue;
        double x = m.x[v], y = m.y[v];
        nearest b = find_nearest(&g, s, x, y, d, s[first[v]].road);
        if (!b.found)
            continue;
        if (b.t > 0 && b.t < 1 &&
            !splits_push(sp, b.seg, b.t, b.d2 > 0 ? b.px : x,
                         b.d2 > 0 ? b.py : y)) {
            st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
            goto done;
        }
        if (b.d2 > 0)
            (*conn)[(*nconn)++] = (rawseg){x, y, b.px, b.py, -1};
        if (b.t <= 0 || b.t >= 1) { /* joined to an existing node */
            uint32_t w = nodemap_get(&m, b.px, b.py);
            joined[w] = 1;
        }
        joined[v] = 1;
        (*snapped)++;
    }
done:
    nodemap_cleanup(&m);
    sg__cells_cleanup(&g);
    free(deg);
    free(first);
    free(joined);
    return st;
}

/* ---- the final graph ---------------------------------------------------- */

/* Union-find root of \p v with path halving. */
static uint32_t uf_find(uint32_t *parent, uint32_t v)
{
    while (parent[v] != v) {
        parent[v] = parent[parent[v]];
        v = parent[v];
    }
    return v;
}

/* Sort key of a component: length (descending), then lowest node. */
typedef struct compkey {
    double length;
    uint32_t first_node;
    uint32_t root;
} compkey;

/* Order components by length, largest first; ties by lowest node. */
static int cmp_comp(const void *a, const void *b)
{
    const compkey *p = a, *q = b;
    if (p->length != q->length)
        return p->length > q->length ? -1 : 1;
    return p->first_node < q->first_node ? -1 : p->first_node > q->first_node;
}

/* Number the components of \p g and fill g->comps. */
static sg_status components(sg_ctx *ctx, sg__graph *g)
{
    size_t n = g->nnodes;
    uint32_t *parent = malloc((n ? n : 1) * sizeof *parent);
    uint32_t *rank_of = malloc((n ? n : 1) * sizeof *rank_of);
    compkey *keys = malloc((n ? n : 1) * sizeof *keys);
    int32_t *last_road = NULL;
    sg_status st = SG_OK;
    g->comp = malloc((n ? n : 1) * sizeof *g->comp);
    if (!parent || !rank_of || !keys || !g->comp) {
        st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        goto done;
    }
    for (size_t v = 0; v < n; v++)
        parent[v] = (uint32_t)v;
    for (size_t e = 0; e < g->nedges; e++) {
        uint32_t a = uf_find(parent, g->ea[e]), b = uf_find(parent, g->eb[e]);
        if (a != b)
            parent[a < b ? b : a] = a < b ? a : b; /* root = lowest node */
    }
    size_t nc = 0;
    for (size_t v = 0; v < n; v++) {
        uint32_t r = uf_find(parent, (uint32_t)v);
        if (r == v) {
            keys[nc] = (compkey){0, (uint32_t)v, (uint32_t)v};
            rank_of[v] = (uint32_t)nc++;
        }
    }
    for (size_t e = 0; e < g->nroad_edges; e++)
        keys[rank_of[uf_find(parent, g->ea[e])]].length += g->elen[e];
    qsort(keys, nc, sizeof *keys, cmp_comp);
    for (size_t c = 0; c < nc; c++)
        rank_of[keys[c].root] = (uint32_t)c;
    g->ncomp = nc;
    g->comps = calloc(nc ? nc : 1, sizeof *g->comps);
    last_road = malloc((nc ? nc : 1) * sizeof *last_road);
    if (!g->comps || !last_road) {
        st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        goto done;
    }
    for (size_t c = 0; c < nc; c++)
        last_road[c] = -1;
    for (size_t v = 0; v < n; v++) {
        int32_t c = (int32_t)rank_of[uf_find(parent, (uint32_t)v)];
        g->comp[v] = c;
        g->comps[c].nodes++;
        if (g->off[v + 1] - g->off[v] == 1) {
            g->comps[c].dangles++;
            g->dangles++;
        }
    }
    /* road edges come in road order, so a road's first edge in a
     * component is the one after a different road */
    for (size_t e = 0; e < g->nroad_edges; e++) {
        int32_t c = g->comp[g->ea[e]];
        g->comps[c].edges++;
        g->comps[c].length_m += g->elen[e];
        if (last_road[c] != g->eroad[e]) {
            last_road[c] = g->eroad[e];
            g->comps[c].roads++;
        }
    }
done:
    free(parent);
    free(rank_of);
    free(keys);
    free(last_road);
    return st;
}

/* sg__csr_end_fn over the graph's edges (user: the sg__graph). */
static uint32_t edge_end(size_t e, int side, const void *user)
{
    const sg__graph *g = user;
    return side ? g->eb[e] : g->ea[e];
}

/* Build nodes, edges, adjacency, components and the segment index of
 * \p g from the final pieces \p s (road pieces first, then connectors). */
static sg_status assemble(sg_ctx *ctx, sg__graph *g, const rawseg *s, size_t n)
{
    nodemap m;
    if (!nodemap_init(&m, 2 * n))
        goto nomem;
    g->ea = malloc((n ? n : 1) * sizeof *g->ea);
    g->eb = malloc((n ? n : 1) * sizeof *g->eb);
    g->elen = malloc((n ? n : 1) * sizeof *g->elen);
    g->eroad = malloc((n ? n : 1) * sizeof *g->eroad);
    g->seg = malloc((n ? n : 1) * sizeof *g->seg);
    if (!g->ea || !g->eb || !g->elen || !g->eroad || !g->seg)
        goto nomem;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t a = nodemap_get(&m, s[i].x1, s[i].y1);
        uint32_t b = nodemap_get(&m, s[i].x2, s[i].y2);
        if (a == b)
            continue;
        g->ea[k] = a;
        g->eb[k] = b;
        g->elen[k] = hypot(s[i].x2 - s[i].x1, s[i].y2 - s[i].y1);
        g->eroad[k] = s[i].road;
        g->seg[k] = (sg__seg){s[i].x1, s[i].y1, s[i].x2, s[i].y2};
        if (s[i].road >= 0) {
            g->nroad_edges = k + 1;
            g->length_m += g->elen[k];
        }
        k++;
    }
    g->nedges = k;
    g->nnodes = m.n;
    g->x = m.x;
    g->y = m.y;
    m.x = m.y = NULL;
    nodemap_cleanup(&m);
    /* CSR adjacency: g->adj holds the half-edges until filled in */
    if (sg__csr_build(ctx, g->nnodes, k, edge_end, g, &g->off, &g->adj))
        goto nomem;
    g->adj_w = malloc((2 * k + 1) * sizeof *g->adj_w);
    if (!g->adj_w)
        goto nomem;
    for (size_t a = 0; a < 2 * k; a++) {
        uint32_t h = g->adj[a], e = h / 2;
        g->adj[a] = h % 2 ? g->ea[e] : g->eb[e];
        g->adj_w[a] = g->elen[e];
    }
    sg_status st = components(ctx, g);
    if (st == SG_OK) {
        /* the index over road edges only: connectors attract nothing */
        rawseg *roads = malloc((g->nroad_edges + 1) * sizeof *roads);
        if (!roads)
            goto nomem;
        for (size_t e = 0; e < g->nroad_edges; e++)
            roads[e] = (rawseg){g->seg[e].x1, g->seg[e].y1, g->seg[e].x2,
                                g->seg[e].y2, g->eroad[e]};
        st = index_segs(ctx, &g->index, roads, g->nroad_edges);
        free(roads);
    }
    return st;
nomem:
    nodemap_cleanup(&m);
    return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
}

sg_status sg__graph_build(sg_ctx *ctx, const sg__lineset *lines,
                          const sg_network_options *opts, sg__graph **out)
{
    *out = NULL;
    sg__graph *g = calloc(1, sizeof *g);
    rawseg *raw = NULL, *noded = NULL, *conn = NULL, *final = NULL;
    splits sp = {0};
    size_t nraw = 0, nnoded = 0, nconn = 0, nfinal = 0;
    sg_status st = SG_OK;
    if (!g || !(raw = malloc((lines->nv + 1) * sizeof *raw))) {
        st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        goto done;
    }
    int32_t last = -1;
    for (size_t p = 0; p < lines->nparts; p++) {
        if (lines->owner[p] != last) {
            last = lines->owner[p];
            g->roads++;
        }
        for (size_t v = lines->start[p] + 1; v < lines->start[p + 1]; v++) {
            const double *a = lines->xy + 2 * (v - 1), *b = lines->xy + 2 * v;
            if (a[0] != b[0] || a[1] != b[1])
                raw[nraw++] = (rawseg){a[0], a[1], b[0], b[1], lines->owner[p]};
        }
    }
    if (opts && opts->node_crossings) {
        if ((st = find_crossings(ctx, raw, nraw, &sp)))
            goto done;
        g->crossings = count_points(&sp);
    }
    if (!(noded = apply_splits(raw, nraw, &sp, NULL, 0, &nnoded))) {
        st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        goto done;
    }
    sp.n = 0;
    if (opts && opts->snap_m > 0) {
        if ((st = sg__progress(ctx, 0.5, "snapping dangling ends")) ||
            (st = snap_dangles(ctx, noded, nnoded, opts->snap_m, &sp, &conn,
                               &nconn, &g->snapped)))
            goto done;
    }
    if (!(final = apply_splits(noded, nnoded, &sp, conn, nconn, &nfinal))) {
        st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        goto done;
    }
    if ((st = sg__progress(ctx, 0.7, "building the road graph")) ||
        (st = assemble(ctx, g, final, nfinal)))
        goto done;
    st = sg__progress(ctx, 1.0, "road graph");
done:
    free(raw);
    free(noded);
    free(conn);
    free(final);
    free(sp.v);
    if (st)
        sg__graph_free(g);
    else
        *out = g;
    return st;
}

/* sg__store_scan callback for roads: the geometry, owner = row number. */
static sg_status road_row(sg__row *row, void *user)
{
    void **u = user;
    sg_ctx *ctx = u[0];
    sg__lineset *lines = u[1];
    long long *rowno = u[2];
    const void *wkb = sg__row_blob(row, 0);
    size_t n = sg__row_bytes(row, 0);
    int32_t owner = (int32_t)(*rowno)++;
    return sg__wkb_append_parts(ctx, lines, wkb, n, owner, "roads");
}

sg_status sg__roads_read(sg_ctx *ctx, sg_store *store, sg__lineset *lines)
{
    long long rowno = 0;
    void *u[3] = {ctx, lines, &rowno};
    memset(lines, 0, sizeof *lines);
    sg_status st = sg__store_scan(ctx, store, "roads", NULL, 0, 1, NULL, NULL,
                                  road_row, u);
    if (st)
        sg__lineset_cleanup(lines);
    return st;
}

sg_status sg__graph_from_store(sg_ctx *ctx, sg_store *store,
                               const sg_network_options *opts, sg__graph **out)
{
    sg__lineset lines;
    double saved[2];
    *out = NULL;
    sg__progress_push(ctx, 0.0, 0.3, saved);
    sg_status st = sg__roads_read(ctx, store, &lines);
    sg__progress_pop(ctx, saved);
    if (st == SG_OK) {
        sg__progress_push(ctx, 0.3, 1.0, saved);
        st = sg__graph_build(ctx, &lines, opts, out);
        sg__progress_pop(ctx, saved);
    }
    sg__lineset_cleanup(&lines);
    return st;
}

void sg__graph_free(sg__graph *g)
{
    if (!g)
        return;
    free(g->x);
    free(g->y);
    free(g->ea);
    free(g->eb);
    free(g->elen);
    free(g->eroad);
    free(g->seg);
    free(g->off);
    free(g->adj);
    free(g->adj_w);
    free(g->comp);
    free(g->comps);
    sg__cells_cleanup(&g->index);
    free(g);
}

/* A nearest-edge search for sg__graph_snap (sg__cells_nearest). */
typedef struct snap_search {
    const sg__seg *seg;
    double x, y, max_d;
    double best, bt; /* squared distance, position along the edge */
    uint32_t be;
    int found;
} snap_search;

/* sg__cells_far_fn: past the radius, or past the best edge. */
static int snap_far(double lower, void *user)
{
    const snap_search *q = user;
    return lower > q->max_d || (q->found && lower * lower > q->best);
}

/* sg__cells_visit_fn: edge \p e's nearest point to the query point;
 * ties go to the lower edge number. */
static void snap_visit(uint32_t e, void *user)
{
    snap_search *q = user;
    const sg__seg *s = q->seg + e;
    double x = q->x, y = q->y;
    double dx = s->x2 - s->x1, dy = s->y2 - s->y1;
    double l2 = dx * dx + dy * dy;
    double t = ((x - s->x1) * dx + (y - s->y1) * dy) / l2;
    double px, py;
    if (t <= 0) {
        t = 0;
        px = s->x1;
        py = s->y1;
    } else if (t >= 1) {
        t = 1;
        px = s->x2;
        py = s->y2;
    } else {
        px = s->x1 + t * dx;
        py = s->y1 + t * dy;
    }
    double d2 = (px - x) * (px - x) + (py - y) * (py - y);
    if (d2 < q->best || (d2 == q->best && e < q->be)) {
        q->best = d2;
        q->bt = t;
        q->be = e;
        q->found = 1;
    }
}

int sg__graph_snap(const sg__graph *g, double x, double y, double max_d,
                   sg__snap *out)
{
    if (!g || g->nroad_edges == 0)
        return 0;
    snap_search q = {g->seg, x, y, max_d, INFINITY, 0, 0, 0};
    sg__cells_nearest(&g->index, x, y, snap_far, snap_visit, &q);
    if (!q.found || q.best > max_d * max_d)
        return 0;
    out->edge = q.be;
    out->t = q.bt;
    out->d = sqrt(q.best);
    return 1;
}

void sg__graph_result(const sg__graph *g, sg_network_result *r)
{
    memset(r, 0, sizeof *r);
    if (!g)
        return;
    r->roads = g->roads;
    r->nodes = (long long)g->nnodes;
    r->edges = (long long)g->nedges;
    r->length_m = g->length_m;
    r->components = (long long)g->ncomp;
    r->largest_share =
        g->ncomp && g->length_m > 0 ? g->comps[0].length_m / g->length_m : 0;
    r->dangling_ends = g->dangles;
    r->snapped = g->snapped;
    r->crossings = g->crossings;
    size_t n = g->ncomp < SG_NETWORK_TOP ? g->ncomp : SG_NETWORK_TOP;
    for (size_t c = 0; c < n; c++) {
        sg_network_component *o = &r->largest[c];
        o->component = (long long)c + 1;
        o->roads = g->comps[c].roads;
        o->nodes = g->comps[c].nodes;
        o->edges = g->comps[c].edges;
        o->dangling_ends = g->comps[c].dangles;
        o->length_m = g->comps[c].length_m;
        o->share = g->length_m > 0 ? g->comps[c].length_m / g->length_m : 0;
    }
    r->nlargest = n;
}
