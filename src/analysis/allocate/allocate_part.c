/* One village's partition among its cleaners.
 *
 *  1. Pieces: the village's clipped roads are cut into pieces of at most
 *     L metres (L = the piece option, 50 m, or less when the village has
 *     under SG_ALLOC_PIECES_PER_CLEANER pieces per cleaner; at least
 *     SG_ALLOC_MIN_PIECE_M), so a boundary can fall inside a long road.
 *     The road graph of src/net is built from them (its rules: shared
 *     vertices, optional snapping and noding); its road edges are the
 *     pieces.
 *  2. Sites: points along every piece, at most SG_ALLOC_SITE_M apart
 *     and none at a piece's ends. A household joins the piece of its
 *     nearest site (no distance limit), which puts it inside its
 *     cleaner's service area (allocate_area.c: areas are the Voronoi
 *     cells of the sites); a piece weighs its road (by the measure) plus
 *     its households.
 *  3. The piece graph: two pieces are adjacent when they share a node
 *     (nodes joined by snapping connectors count as one). Edge weights
 *     make a cut inside a road (a node of two pieces) cost about twice a
 *     cut at a junction, so boundaries fall at junctions where they can.
 *     Components of the road network are ranked by weight; each one
 *     after the first gets one "virtual" edge to the nearest piece of a
 *     heavier component. The components and virtual edges form a tree,
 *     so a part that is connected in this augmented graph is connected
 *     inside every network component it touches: that is the contiguity
 *     rule (a cleaner's roads are one connected piece wherever the
 *     village's network is connected).
 *  4. METIS_PartGraphKway with METIS_OPTION_CONTIG splits the augmented
 *     graph into K parts (integer vertex weights: 1 + the weight scaled
 *     to 10^6 per village; ubvec 1.03). On road networks, which are
 *     mostly trees, METIS's contiguity step often leaves parts 20-60 %
 *     over the mean, so a balancing pass follows: a boundary piece moves
 *     from a heavier to a lighter neighbouring part, together with the
 *     branches that would otherwise be cut off from its part (all the
 *     pieces of the donor that hang from it except the heaviest), when
 *     that lowers the sum of squared part weights and one of the two
 *     parts is more than 1 % from the mean. Both parts stay connected.
 *     This runs for METIS seeds 1..SG_ALLOC_TRIES; the result with the
 *     smallest largest deviation from the mean is kept.
 *  5. Names: existing cleaners (by id) take the parts nearest to where
 *     they stand (pairs taken in order of distance); the other parts are
 *     planned-1, planned-2, ... from north to south, then west to east.
 *  A village without roads splits its households along a Hilbert curve
 *  into K runs of equal weight.
 * Not for: service areas (allocate_area.c), writing (allocate_write.c).
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <metis.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/allocate/allocate_int.h"
#include "core/metis_lock_int.h"
#include "geom/csr_int.h"
#include "geom/geos_int.h"

/** Integer weight a village's total is scaled to for METIS. */
#define SCALE_TOTAL 1e6
/** Balance METIS is asked for (ubvec). */
#define METIS_UB 1.03f
/** The balancing pass stops when every part is within this share of the
 * mean. */
#define BALANCE_TOL 0.01
/** Edge weight of two consecutive pieces of a road (a node of degree 2);
 * a junction of degree d gives each pair JUNCTION_W / (d - 1). */
#define THROUGH_W 10
#define JUNCTION_W 5
/** Bounds on the balancing work per METIS run: passes over the pieces,
 * and re-seeding rounds (each with its own balancing). */
#define BALANCE_PASSES 100
#define RESEED_ROUNDS 8
/** METIS runs (seeds 1..) per village; the best balanced one is kept. */
#define SG_ALLOC_TRIES 4

/* ---- pieces ---------------------------------------------------------------
 */

/* Copy \p in into \p out with every segment longer than \p L cut into
 * equal pieces of at most L (new vertices interpolated; original
 * vertices kept exactly, so lines still meet where they met). */
static sg_status densify(sg_ctx *ctx, const sg__lineset *in, double L,
                         sg__lineset *out)
{
    memset(out, 0, sizeof *out);
    size_t nv = 0;
    for (size_t p = 0; p < in->nparts; p++) {
        nv++;
        for (size_t i = in->start[p] + 1; i < in->start[p + 1]; i++) {
            const double *a = in->xy + 2 * (i - 1), *b = in->xy + 2 * i;
            double len = hypot(b[0] - a[0], b[1] - a[1]);
            nv += len > L ? (size_t)ceil(len / L) : 1;
        }
    }
    out->xy = malloc((nv ? nv : 1) * 2 * sizeof *out->xy);
    out->start = malloc((in->nparts + 1) * sizeof *out->start);
    out->owner = malloc((in->nparts ? in->nparts : 1) * sizeof *out->owner);
    if (!out->xy || !out->start || !out->owner) {
        sg__lineset_cleanup(out);
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    }
    out->cap_v = nv;
    out->cap_p = in->nparts + 1;
    out->start[0] = 0;
    for (size_t p = 0; p < in->nparts; p++) {
        const double *f = in->xy + 2 * in->start[p];
        out->xy[2 * out->nv] = f[0];
        out->xy[2 * out->nv + 1] = f[1];
        out->nv++;
        for (size_t i = in->start[p] + 1; i < in->start[p + 1]; i++) {
            const double *a = in->xy + 2 * (i - 1), *b = in->xy + 2 * i;
            double len = hypot(b[0] - a[0], b[1] - a[1]);
            size_t m = len > L ? (size_t)ceil(len / L) : 1;
            for (size_t k = 1; k < m; k++) {
                double t = (double)k / (double)m;
                out->xy[2 * out->nv] = a[0] + t * (b[0] - a[0]);
                out->xy[2 * out->nv + 1] = a[1] + t * (b[1] - a[1]);
                out->nv++;
            }
            out->xy[2 * out->nv] = b[0];
            out->xy[2 * out->nv + 1] = b[1];
            out->nv++;
        }
        out->owner[p] = in->owner[p];
        out->start[++out->nparts] = out->nv;
    }
    return SG_OK;
}

/* Total length of the lines of \p s. */
static double lines_length(const sg__lineset *s)
{
    double len = 0;
    for (size_t p = 0; p < s->nparts; p++)
        for (size_t i = s->start[p] + 1; i < s->start[p + 1]; i++)
            len += hypot(s->xy[2 * i] - s->xy[2 * i - 2],
                         s->xy[2 * i + 1] - s->xy[2 * i - 1]);
    return len;
}

/* ---- the piece graph -------------------------------------------------------
 */

/* An undirected weighted edge of the piece graph (u < v). */
typedef struct pedge {
    uint32_t u, v;
    int w;
    int virt; /* 1: a virtual edge between components */
} pedge;

/* A growable list of edges. */
typedef struct pedges {
    pedge *e;
    size_t n, cap;
} pedges;

/* Append edge (u, v, w, virt) with u != v. \return 1, or 0 when out of
 * memory. */
static int pedges_add(pedges *l, uint32_t u, uint32_t v, int w, int virt)
{
    if (u == v)
        return 1;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 1024;
        pedge *n = realloc(l->e, cap * sizeof *n);
        if (!n)
            return 0;
        l->e = n;
        l->cap = cap;
    }
    l->e[l->n++] = (pedge){u < v ? u : v, u < v ? v : u, w, virt};
    return 1;
}

/* Order edges by (u, v), heavier first. */
static int cmp_pedge(const void *a, const void *b)
{
    const pedge *p = a, *q = b;
    if (p->u != q->u)
        return p->u < q->u ? -1 : 1;
    if (p->v != q->v)
        return p->v < q->v ? -1 : 1;
    return q->w - p->w;
}

/* Union-find root with path halving. */
static uint32_t uf_root(uint32_t *parent, uint32_t x)
{
    while (parent[x] != x) {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    return x;
}

/* The road graph and the union-find that merges nodes joined by
 * connectors, for junction_end. */
typedef struct junction_map {
    const sg__graph *g;
    uint32_t *parent;
} junction_map;

/* sg__csr_end_fn: the junction (merged node) at an end of road piece
 * \p e. */
static uint32_t junction_end(size_t e, int side, const void *user)
{
    const junction_map *m = user;
    return uf_root(m->parent, side ? m->g->eb[e] : m->g->ea[e]);
}

/* Edges between pieces sharing a (super)node: nodes joined by connector
 * edges are one supernode. */
static sg_status junction_edges(sg_ctx *ctx, const sg__graph *g, pedges *out)
{
    size_t nn = g->nnodes, np = g->nroad_edges;
    uint32_t *parent = malloc((nn ? nn : 1) * sizeof *parent);
    size_t *off = NULL;
    uint32_t *inc = NULL; /* the pieces at each junction */
    sg_status st = SG_OK;
    if (!parent) {
        st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < nn; i++)
        parent[i] = (uint32_t)i;
    for (size_t e = np; e < g->nedges; e++) {
        uint32_t a = uf_root(parent, g->ea[e]), b = uf_root(parent, g->eb[e]);
        if (a != b)
            parent[a > b ? a : b] = a > b ? b : a;
    }
    junction_map jm = {g, parent};
    st = sg__csr_build(ctx, nn, np, junction_end, &jm, &off, &inc);
    if (st)
        goto done;
    for (size_t a = 0; a < 2 * np; a++)
        inc[a] /= 2; /* half-edge to piece */
    for (size_t s = 0; s < nn; s++) {
        size_t d = off[s + 1] - off[s];
        if (d < 2)
            continue;
        int w = d == 2 ? THROUGH_W : (int)(JUNCTION_W / (double)(d - 1) + 0.5);
        if (w < 1)
            w = 1;
        for (size_t i = off[s]; i < off[s + 1]; i++)
            for (size_t j = i + 1; j < off[s + 1]; j++)
                if (!pedges_add(out, inc[i], inc[j], w, 0)) {
                    st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
                    goto done;
                }
    }
done:
    free(parent);
    free(off);
    free(inc);
    return st;
}

/* sg__csr_end_fn over a pedges list. */
static uint32_t pedge_end(size_t e, int side, const void *user)
{
    const pedges *l = user;
    return side ? l->e[e].v : l->e[e].u;
}

/* Build the symmetric CSR of \p n vertices from \p l (sorted by
 * cmp_pedge; duplicates are merged here, keeping the heaviest). Caller
 * owns *off, *adj (and *w if w is not NULL), also on failure. */
static sg_status csr_build(sg_ctx *ctx, size_t n, pedges *l, size_t **off,
                           uint32_t **adj, int **w)
{
    size_t k = 0;
    for (size_t i = 0; i < l->n; i++) {
        if (k && l->e[k - 1].u == l->e[i].u && l->e[k - 1].v == l->e[i].v)
            continue; /* sorted heaviest first: keep the first */
        l->e[k++] = l->e[i];
    }
    l->n = k;
    if (w)
        *w = NULL;
    /* *adj holds the half-edges until filled in */
    sg_status st = sg__csr_build(ctx, n, k, pedge_end, l, off, adj);
    if (st == SG_OK && w && !(*w = malloc((2 * k + 1) * sizeof **w)))
        st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    if (st)
        return st;
    for (size_t a = 0; a < 2 * k; a++) {
        uint32_t h = (*adj)[a];
        const pedge *e = &l->e[h / 2];
        (*adj)[a] = h % 2 ? e->u : e->v;
        if (w)
            (*w)[a] = e->w;
    }
    return SG_OK;
}

/* Component key for ranking: weight (heaviest first), then first piece. */
typedef struct ckey {
    double w;
    uint32_t first;
    uint32_t label;
} ckey;

/* Order components: heavier first, then by first piece. */
static int cmp_ckey(const void *a, const void *b)
{
    const ckey *p = a, *q = b;
    if (p->w != q->w)
        return p->w > q->w ? -1 : 1;
    return (p->first > q->first) - (p->first < q->first);
}

/* Label the connected components of the real piece graph, ranked by
 * weight (0 = heaviest), into P->pcomp / P->ncomp. */
static sg_status components(sg_ctx *ctx, sg__apart *P)
{
    size_t n = P->npieces;
    uint32_t *queue = malloc((n ? n : 1) * sizeof *queue);
    ckey *keys = malloc((n ? n : 1) * sizeof *keys);
    uint32_t *rank = malloc((n ? n : 1) * sizeof *rank);
    P->pcomp = malloc((n ? n : 1) * sizeof *P->pcomp);
    if (!queue || !keys || !rank || !P->pcomp) {
        free(queue);
        free(keys);
        free(rank);
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    }
    for (size_t i = 0; i < n; i++)
        P->pcomp[i] = -1;
    size_t nc = 0;
    for (size_t s = 0; s < n; s++) {
        if (P->pcomp[s] >= 0)
            continue;
        size_t qh = 0, qt = 0;
        double w = 0;
        queue[qt++] = (uint32_t)s;
        P->pcomp[s] = (int32_t)nc;
        while (qh < qt) {
            uint32_t v = queue[qh++];
            w += P->pw[v];
            for (size_t a = P->xoff[v]; a < P->xoff[v + 1]; a++)
                if (P->pcomp[P->xadj[a]] < 0) {
                    P->pcomp[P->xadj[a]] = (int32_t)nc;
                    queue[qt++] = P->xadj[a];
                }
        }
        keys[nc] = (ckey){w, (uint32_t)s, (uint32_t)nc};
        nc++;
    }
    qsort(keys, nc, sizeof *keys, cmp_ckey);
    for (size_t c = 0; c < nc; c++)
        rank[keys[c].label] = (uint32_t)c;
    for (size_t i = 0; i < n; i++)
        P->pcomp[i] = (int32_t)rank[P->pcomp[i]];
    P->ncomp = nc;
    free(queue);
    free(keys);
    free(rank);
    return SG_OK;
}

/* A search for nearest_heavier (sg__cells_nearest). */
typedef struct heavier_search {
    const sg__seg *seg;
    const int32_t *pcomp;
    int32_t below;
    double x, y, best; /* best: squared distance */
    uint32_t piece;
    int found;
} heavier_search;

/* sg__cells_far_fn: past the best piece. */
static int heavier_far(double lower, void *user)
{
    const heavier_search *q = user;
    return q->found && lower * lower > q->best;
}

/* sg__cells_visit_fn: piece \p e if its component ranks below; ties go
 * to the lower piece number. */
static void heavier_visit(uint32_t e, void *user)
{
    heavier_search *q = user;
    if (q->pcomp[e] >= q->below)
        return;
    const sg__seg *s = q->seg + e;
    double x = q->x, y = q->y;
    double dx = s->x2 - s->x1, dy = s->y2 - s->y1;
    double l2 = dx * dx + dy * dy;
    double t = l2 > 0 ? ((x - s->x1) * dx + (y - s->y1) * dy) / l2 : 0;
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    double px = s->x1 + t * dx - x, py = s->y1 + t * dy - y;
    double d2 = px * px + py * py;
    if (!q->found || d2 < q->best || (d2 == q->best && e < q->piece)) {
        q->best = d2;
        q->piece = e;
        q->found = 1;
    }
}

/* The nearest piece to (x, y) whose component rank is below \p below,
 * searched over the graph's segment index. \return 1 with *piece and
 * *d, or 0 if there is none. */
static int nearest_heavier(const sg__graph *g, const int32_t *pcomp,
                           int32_t below, double x, double y, uint32_t *piece,
                           double *d)
{
    heavier_search q = {g->seg, pcomp, below, x, y, INFINITY, *piece, 0};
    sg__cells_nearest(&g->index, x, y, heavier_far, heavier_visit, &q);
    if (q.found) {
        *piece = q.piece;
        *d = sqrt(q.best);
    }
    return q.found;
}

/* One virtual edge per component after the first: from the piece of the
 * component nearest to a heavier component to that component's nearest
 * piece (distances from the pieces' ends). */
static sg_status virtual_edges(sg_ctx *ctx, const sg__apart *P, pedges *out)
{
    const sg__graph *g = P->g;
    if (P->ncomp < 2)
        return SG_OK;
    double *bd = malloc(P->ncomp * sizeof *bd);
    uint32_t *bfrom = malloc(P->ncomp * sizeof *bfrom);
    uint32_t *bto = malloc(P->ncomp * sizeof *bto);
    sg_status st = SG_OK;
    if (!bd || !bfrom || !bto) {
        st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        goto done;
    }
    for (size_t c = 0; c < P->ncomp; c++)
        bd[c] = INFINITY;
    for (size_t e = 0; e < P->npieces; e++) {
        int32_t c = P->pcomp[e];
        if (c == 0)
            continue;
        const sg__seg *s = g->seg + e;
        double ends[2][2] = {{s->x1, s->y1}, {s->x2, s->y2}};
        for (int k = 0; k < 2; k++) {
            uint32_t to = 0;
            double d = 0;
            if (nearest_heavier(g, P->pcomp, c, ends[k][0], ends[k][1], &to,
                                &d) &&
                d < bd[c]) {
                bd[c] = d;
                bfrom[c] = (uint32_t)e;
                bto[c] = to;
            }
        }
    }
    for (size_t c = 1; c < P->ncomp; c++)
        if (isfinite(bd[c]) && !pedges_add(out, bfrom[c], bto[c], 1, 1)) {
            st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
            break;
        }
done:
    free(bd);
    free(bfrom);
    free(bto);
    return st;
}

/* ---- balancing --------------------------------------------------------------
 */

/* Scratch of the balancing pass. */
typedef struct balancer {
    size_t n;
    const size_t *off;
    const uint32_t *adj;
    const long long *vw;
    int32_t *part;
    int K;
    long long *W;    /* part weights */
    size_t *size;    /* part sizes */
    uint32_t *stamp; /* BFS marks */
    uint32_t cur;
    uint32_t *queue;
} balancer;

/* Whether part p stays connected (in the augmented graph) without v. */
static int removable(balancer *b, uint32_t v)
{
    int32_t p = b->part[v];
    uint32_t first = UINT32_MAX;
    size_t inside = 0;
    for (size_t a = b->off[v]; a < b->off[v + 1]; a++)
        if (b->part[b->adj[a]] == p) {
            inside++;
            if (first == UINT32_MAX)
                first = b->adj[a];
        }
    if (inside == 0)
        return 0;
    if (inside == 1)
        return 1;
    if (++b->cur == 0) { /* stamps wrapped: clear them */
        memset(b->stamp, 0, b->n * sizeof *b->stamp);
        b->cur = 1;
    }
    size_t qh = 0, qt = 0;
    b->stamp[v] = b->cur;
    b->stamp[first] = b->cur;
    b->queue[qt++] = first;
    while (qh < qt) {
        uint32_t u = b->queue[qh++];
        for (size_t a = b->off[u]; a < b->off[u + 1]; a++) {
            uint32_t w = b->adj[a];
            if (b->part[w] == p && b->stamp[w] != b->cur) {
                b->stamp[w] = b->cur;
                b->queue[qt++] = w;
            }
        }
    }
    return qt == b->size[p] - 1;
}

/* Move v to part q. */
static void move_to(balancer *b, uint32_t v, int32_t q)
{
    int32_t p = b->part[v];
    b->W[p] -= b->vw[v];
    b->size[p]--;
    b->W[q] += b->vw[v];
    b->size[q]++;
    b->part[v] = q;
}

/* Give every empty part one removable piece of the largest part. */
static void fill_empty(balancer *b)
{
    for (int q = 0; q < b->K; q++) {
        if (b->size[q])
            continue;
        int p = -1;
        for (int k = 0; k < b->K; k++)
            if (b->size[k] > 1 && (p < 0 || b->W[k] > b->W[p]))
                p = k;
        if (p < 0)
            return;
        for (size_t v = 0; v < b->n; v++)
            if (b->part[v] == p && removable(b, (uint32_t)v)) {
                move_to(b, (uint32_t)v, q);
                break;
            }
    }
}

/* The branch that leaves part p with v: p without v falls into the
 * connected pieces hanging from v's neighbours in p; the heaviest stays,
 * v and the others would move. Fills b->queue[0 .. *nmove-1] with them
 * (v first) and \return their weight, or -1 if p would be left empty. */
static long long branch(balancer *b, uint32_t v, size_t *nmove)
{
    int32_t p = b->part[v];
    if (++b->cur == 0) { /* stamps wrapped: clear them */
        memset(b->stamp, 0, b->n * sizeof *b->stamp);
        b->cur = 1;
    }
    b->stamp[v] = b->cur;
    /* BFS from each neighbour in p: pieces are runs of the queue */
    size_t qt = 1, best_at = 0, best_len = 0;
    long long best_w = -1, total = 0;
    b->queue[0] = v;
    for (size_t a = b->off[v]; a < b->off[v + 1]; a++) {
        uint32_t s = b->adj[a];
        if (b->part[s] != p || b->stamp[s] == b->cur)
            continue;
        size_t start = qt, qh = qt;
        long long w = 0;
        b->stamp[s] = b->cur;
        b->queue[qt++] = s;
        while (qh < qt) {
            uint32_t u = b->queue[qh++];
            w += b->vw[u];
            for (size_t c = b->off[u]; c < b->off[u + 1]; c++) {
                uint32_t x = b->adj[c];
                if (b->part[x] == p && b->stamp[x] != b->cur) {
                    b->stamp[x] = b->cur;
                    b->queue[qt++] = x;
                }
            }
        }
        total += w;
        if (w > best_w) {
            best_w = w;
            best_at = start;
            best_len = qt - start;
        }
    }
    if (best_w < 0)
        return -1; /* v alone in p (or p not connected around v) */
    /* drop the piece that stays from the queue */
    memmove(b->queue + best_at, b->queue + best_at + best_len,
            (qt - best_at - best_len) * sizeof *b->queue);
    *nmove = qt - best_len;
    return b->vw[v] + total - best_w;
}

/* Move boundary pieces (with the branches that would otherwise be cut
 * off) from heavier to lighter neighbouring parts while one of the two is
 * more than BALANCE_TOL from the mean (see the file comment). Each move
 * lowers sum(W^2), so it ends. */
static void balance(balancer *b)
{
    long long total = 0;
    for (int k = 0; k < b->K; k++)
        total += b->W[k];
    double mean = (double)total / b->K;
    double hi = mean * (1 + BALANCE_TOL), lo = mean * (1 - BALANCE_TOL);
    for (int pass = 0; pass < BALANCE_PASSES; pass++) {
        size_t moved = 0;
        for (size_t v = 0; v < b->n; v++) {
            int32_t p = b->part[v], q = -1;
            if (b->size[p] < 2)
                continue;
            for (size_t a = b->off[v]; a < b->off[v + 1]; a++) {
                int32_t k = b->part[b->adj[a]];
                if (k == p || b->W[p] - b->W[k] <= b->vw[v])
                    continue;
                if (!((double)b->W[p] > hi || (double)b->W[k] < lo))
                    continue;
                if (q < 0 || b->W[k] < b->W[q])
                    q = k;
            }
            if (q < 0)
                continue;
            size_t nm = 0;
            long long m = branch(b, (uint32_t)v, &nm);
            if (m < 0 || b->W[p] - b->W[q] <= m)
                continue;
            for (size_t i = 0; i < nm; i++)
                move_to(b, b->queue[i], q);
            moved++;
        }
        if (!moved)
            break;
    }
}

/* ---- partitioning ----------------------------------------------------------
 */

/* Load partition \p mpart into P->part and the balancer's part weights
 * and sizes. */
static void load_parts(balancer *b, const idx_t *mpart)
{
    memset(b->W, 0, (size_t)b->K * sizeof *b->W);
    memset(b->size, 0, (size_t)b->K * sizeof *b->size);
    for (size_t i = 0; i < b->n; i++) {
        int32_t p = (int32_t)mpart[i];
        b->part[i] = p >= 0 && p < b->K ? p : 0;
        b->W[b->part[i]] += b->vw[i];
        b->size[b->part[i]]++;
    }
}

/* Largest and smallest part weight over the mean. */
static void spread(const balancer *b, double *maxr, double *minr)
{
    long long t = 0, mx = 0, mn = -1;
    for (int k = 0; k < b->K; k++) {
        t += b->W[k];
        mx = b->W[k] > mx ? b->W[k] : mx;
        mn = mn < 0 || b->W[k] < mn ? b->W[k] : mn;
    }
    double mean = (double)t / b->K;
    *maxr = mean > 0 ? (double)mx / mean : 1;
    *minr = mean > 0 ? (double)mn / mean : 1;
}

/* The largest deviation from the mean, max(max/mean - 1, 1 - min/mean). */
static double deviation(const balancer *b)
{
    double mx, mn;
    spread(b, &mx, &mn);
    return fmax(mx - 1, 1 - mn);
}

/* Re-seed the lightest part while that helps: a part made of pieces the
 * balancing pass cannot grow (say, small separate components hanging
 * from a large one at a junction) is merged into its lightest neighbour
 * and started again from one piece of the heaviest part, then the parts
 * are balanced again. A round is kept only if it lowers the largest
 * deviation from the mean. \p save holds b->n entries. */
static void reseed(balancer *b, int32_t *save)
{
    long long *W = malloc((size_t)b->K * sizeof *W);
    size_t *size = malloc((size_t)b->K * sizeof *size);
    if (!W || !size) { /* an optional improvement: skip it */
        free(W);
        free(size);
        return;
    }
    for (int round = 0; round < b->K && round < RESEED_ROUNDS; round++) {
        double before = deviation(b);
        if (before <= BALANCE_TOL)
            break;
        int32_t q = 0, p = -1;
        for (int k = 1; k < b->K; k++)
            if (b->W[k] < b->W[q])
                q = k;
        for (size_t v = 0; v < b->n; v++)
            if (b->part[v] == q)
                for (size_t a = b->off[v]; a < b->off[v + 1]; a++) {
                    int32_t k = b->part[b->adj[a]];
                    if (k != q && (p < 0 || b->W[k] < b->W[p]))
                        p = k;
                }
        if (p < 0)
            break;
        memcpy(save, b->part, b->n * sizeof *save);
        memcpy(W, b->W, (size_t)b->K * sizeof *W);
        memcpy(size, b->size, (size_t)b->K * sizeof *size);
        for (size_t v = 0; v < b->n; v++)
            if (b->part[v] == q)
                move_to(b, (uint32_t)v, p);
        fill_empty(b);
        balance(b);
        if (deviation(b) < before - 1e-9)
            continue;
        memcpy(b->part, save, b->n * sizeof *save);
        memcpy(b->W, W, (size_t)b->K * sizeof *W);
        memcpy(b->size, size, (size_t)b->K * sizeof *size);
        break;
    }
    free(W);
    free(size);
}

/* Split the pieces into P->K parts: METIS on the augmented graph (seeds
 * 1 .. SG_ALLOC_TRIES), each result balanced; the one with the smallest
 * largest deviation from the mean, max(max/mean - 1, 1 - min/mean), wins
 * (ties: the smaller max/mean; the first one within BALANCE_TOL ends the
 * search). */
static sg_status split_pieces(sg_ctx *ctx, sg__apart *P, const size_t *off,
                              const uint32_t *adj, const int *ew)
{
    size_t n = P->npieces;
    int K = P->K;
    long long *vw = malloc(n * sizeof *vw);
    idx_t *xadj = malloc((n + 1) * sizeof *xadj);
    idx_t *adjncy = malloc((off[n] + 1) * sizeof *adjncy);
    idx_t *adjwgt = malloc((off[n] + 1) * sizeof *adjwgt);
    idx_t *vwgt = malloc(n * sizeof *vwgt);
    idx_t *mpart = malloc(n * sizeof *mpart);
    int32_t *best = malloc(n * sizeof *best);
    int32_t *save = malloc(n * sizeof *save);
    balancer b = {0};
    b.W = calloc((size_t)K, sizeof *b.W);
    b.size = calloc((size_t)K, sizeof *b.size);
    b.stamp = calloc(n, sizeof *b.stamp);
    b.queue = malloc(n * sizeof *b.queue);
    sg_status st = SG_OK;
    if (!vw || !xadj || !adjncy || !adjwgt || !vwgt || !mpart || !best ||
        !save || !b.W || !b.size || !b.stamp || !b.queue) {
        st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        goto done;
    }
    double total = 0, scale;
    for (size_t i = 0; i < n; i++)
        total += P->pw[i];
    scale = total > 0 ? SCALE_TOTAL / total : 0;
    for (size_t i = 0; i < n; i++) {
        /* with nothing to weigh, pieces count by their length */
        double w = total > 0
                       ? P->pw[i] * scale
                       : P->g->elen[i] / (P->piece_m > 0 ? P->piece_m : 1);
        vw[i] = 1 + (long long)llround(w);
        vwgt[i] = (idx_t)vw[i];
    }
    for (size_t i = 0; i <= n; i++)
        xadj[i] = (idx_t)off[i];
    for (size_t a = 0; a < off[n]; a++) {
        adjncy[a] = (idx_t)adj[a];
        adjwgt[a] = (idx_t)ew[a];
    }
    b.n = n;
    b.off = off;
    b.adj = adj;
    b.vw = vw;
    b.part = P->part;
    b.K = K;
    if (K == 1 || n <= (size_t)K) {
        for (size_t i = 0; i < n; i++)
            mpart[i] = K == 1 ? 0 : (idx_t)i;
        load_parts(&b, mpart);
        goto done;
    }
    double best_max = INFINITY, best_score = INFINITY;
    int ok = 0, last_rc = METIS_OK;
    for (int t = 1; t <= SG_ALLOC_TRIES; t++) {
        idx_t nv = (idx_t)n, ncon = 1, np = K, obj = 0;
        idx_t options[METIS_NOPTIONS];
        real_t ub = METIS_UB;
        METIS_SetDefaultOptions(options);
        options[METIS_OPTION_CONTIG] = 1;
        options[METIS_OPTION_NUMBERING] = 0;
        options[METIS_OPTION_SEED] = t;
        sg__metis_lock(); /* METIS draws from rand() */
        last_rc =
            METIS_PartGraphKway(&nv, &ncon, xadj, adjncy, vwgt, NULL, adjwgt,
                                &np, NULL, &ub, options, &obj, mpart);
        sg__metis_unlock();
        if (last_rc != METIS_OK)
            continue;
        load_parts(&b, mpart);
        fill_empty(&b);
        balance(&b);
        reseed(&b, save);
        double mx, mn;
        spread(&b, &mx, &mn);
        double score = fmax(mx - 1, 1 - mn);
        if (!ok || score < best_score - 1e-12 ||
            (score <= best_score + 1e-12 && mx < best_max)) {
            best_score = score;
            best_max = mx;
            memcpy(best, P->part, n * sizeof *best);
        }
        ok = 1;
        if (best_score <= BALANCE_TOL)
            break;
    }
    if (!ok) {
        st = sg__error(
            ctx, last_rc == METIS_ERROR_MEMORY ? SG_ERR_NOMEM : SG_ERR_INTERNAL,
            "METIS could not partition %zu road pieces into %d "
            "parts (code %d)",
            n, K, last_rc);
        goto done;
    }
    memcpy(P->part, best, n * sizeof *best);
done:
    free(vw);
    free(xadj);
    free(adjncy);
    free(adjwgt);
    free(vwgt);
    free(mpart);
    free(best);
    free(save);
    free(b.W);
    free(b.size);
    free(b.stamp);
    free(b.queue);
    return st;
}

/* Hilbert curve index of cell (x, y) on a 2^16 grid. */
static uint64_t hilbert(uint32_t x, uint32_t y)
{
    uint64_t d = 0;
    for (uint32_t s = 1u << 15; s > 0; s >>= 1) {
        uint32_t rx = (x & s) > 0, ry = (y & s) > 0;
        d += (uint64_t)s * s * ((3 * rx) ^ ry);
        if (ry == 0) {
            if (rx == 1) {
                x = s - 1 - x;
                y = s - 1 - y;
            }
            uint32_t t = x;
            x = y;
            y = t;
        }
    }
    return d;
}

/* A household with its curve position, for sorting. */
typedef struct hkey {
    uint64_t h;
    uint32_t k;
} hkey;

/* Order by curve position, then household. */
static int cmp_hkey(const void *a, const void *b)
{
    const hkey *p = a, *q = b;
    if (p->h != q->h)
        return p->h < q->h ? -1 : 1;
    return (p->k > q->k) - (p->k < q->k);
}

/* A village without roads: households in Hilbert order, cut into K runs
 * of equal weight. */
static sg_status split_households(sg__alloc *A, const sg__avillage *v,
                                  sg__apart *P)
{
    size_t n = v->nhh;
    if (!n)
        return SG_OK;
    hkey *keys = malloc(n * sizeof *keys);
    if (!keys)
        return sg__error(A->ctx, SG_ERR_NOMEM, "out of memory");
    double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;
    for (size_t k = 0; k < n; k++) {
        const sg__ahh *h = &A->hh[v->hh[k]];
        x0 = fmin(x0, h->x);
        y0 = fmin(y0, h->y);
        x1 = fmax(x1, h->x);
        y1 = fmax(y1, h->y);
    }
    double span = fmax(fmax(x1 - x0, y1 - y0), 1e-9);
    double total = 0;
    for (size_t k = 0; k < n; k++) {
        const sg__ahh *h = &A->hh[v->hh[k]];
        uint32_t gx = (uint32_t)((h->x - x0) / span * 65535.0);
        uint32_t gy = (uint32_t)((h->y - y0) / span * 65535.0);
        keys[k] = (hkey){hilbert(gx, gy), (uint32_t)k};
        double w = sg__alloc_hh_weight(A, h->res);
        total += w > 0 ? w : 1;
    }
    qsort(keys, n, sizeof *keys, cmp_hkey);
    double acc = 0;
    for (size_t i = 0; i < n; i++) {
        const sg__ahh *h = &A->hh[v->hh[keys[i].k]];
        double w = sg__alloc_hh_weight(A, h->res);
        w = w > 0 ? w : 1;
        int p = (int)((acc + w / 2) / total * P->K);
        P->hpart[keys[i].k] = p < P->K ? p : P->K - 1;
        acc += w;
    }
    free(keys);
    return SG_OK;
}

/* ---- naming and figures
 * ------------------------------------------------------- */

/* A candidate pairing of an existing cleaner with a part. */
typedef struct pairing {
    double d;
    int e, k;
} pairing;

/* Order pairings by distance, then cleaner, then part. */
static int cmp_pairing(const void *a, const void *b)
{
    const pairing *p = a, *q = b;
    if (p->d != q->d)
        return p->d < q->d ? -1 : 1;
    if (p->e != q->e)
        return p->e - q->e;
    return p->k - q->k;
}

/* Order of planned parts: north to south, then west to east. */
typedef struct porder {
    double cx, cy;
    int k;
} porder;

/* Order planned parts by centre: larger y first, then smaller x. */
static int cmp_porder(const void *a, const void *b)
{
    const porder *p = a, *q = b;
    if (p->cy != q->cy)
        return p->cy > q->cy ? -1 : 1;
    if (p->cx != q->cx)
        return p->cx < q->cx ? -1 : 1;
    return p->k - q->k;
}

/* Distance from (x, y) to the nearest road piece or household of part k. */
static double part_distance(const sg__alloc *A, const sg__avillage *v,
                            const sg__apart *P, int k, double x, double y)
{
    double best = INFINITY;
    for (size_t e = 0; e < P->npieces; e++)
        if (P->part[e] == k) {
            const sg__seg *s = P->g->seg + e;
            best = fmin(
                best, hypot((s->x1 + s->x2) / 2 - x, (s->y1 + s->y2) / 2 - y));
        }
    for (size_t i = 0; i < v->nhh; i++)
        if (P->hpart[i] == k)
            best =
                fmin(best, hypot(A->hh[v->hh[i]].x - x, A->hh[v->hh[i]].y - y));
    return best;
}

/* Existing cleaners take the nearest parts; the rest are planned. */
static sg_status name_parts(sg__alloc *A, const sg__avillage *v, sg__apart *P)
{
    int K = P->K, E = (int)v->ncl;
    pairing *pr = E ? malloc((size_t)E * (size_t)K * sizeof *pr) : NULL;
    porder *po = malloc((size_t)K * sizeof *po);
    unsigned char *taken = calloc((size_t)(E > 0 ? E : 1), 1);
    if ((E && !pr) || !po || !taken) {
        free(pr);
        free(po);
        free(taken);
        return sg__error(A->ctx, SG_ERR_NOMEM, "out of memory");
    }
    for (int k = 0; k < K; k++)
        P->ps[k].existing = -1;
    size_t np = 0;
    for (int e = 0; e < E; e++)
        for (int k = 0; k < K; k++)
            pr[np++] = (pairing){
                v->cl[e].has_xy
                    ? part_distance(A, v, P, k, v->cl[e].x, v->cl[e].y)
                    : INFINITY,
                e, k};
    if (np) /* no existing cleaners: pr is NULL, and qsort(NULL, 0) is UB */
        qsort(pr, np, sizeof *pr, cmp_pairing);
    for (size_t i = 0; i < np; i++)
        if (!taken[pr[i].e] && P->ps[pr[i].k].existing < 0) {
            taken[pr[i].e] = 1;
            P->ps[pr[i].k].existing = pr[i].e;
        }
    int n = 0;
    for (int k = 0; k < K; k++)
        if (P->ps[k].existing < 0)
            po[n++] = (porder){P->ps[k].cx, P->ps[k].cy, k};
    if (n)
        qsort(po, (size_t)n, sizeof *po, cmp_porder);
    for (int i = 0; i < n; i++)
        P->ps[po[i].k].planned_no = i + 1;
    free(pr);
    free(po);
    free(taken);
    return SG_OK;
}

/* Per-part figures: road, households, workload, centre, and the
 * connected pieces of its roads (real edges) against the components it
 * touches. */
static sg_status figures(sg__alloc *A, const sg__avillage *v, sg__apart *P)
{
    size_t n = P->npieces;
    double *sw = calloc((size_t)P->K, sizeof *sw);
    uint32_t *queue = malloc((n ? n : 1) * sizeof *queue);
    unsigned char *seen = calloc(n ? n : 1, 1);
    int32_t *last = malloc((P->ncomp ? P->ncomp : 1) * sizeof *last);
    if (!sw || !queue || !seen || !last) {
        free(sw);
        free(queue);
        free(seen);
        free(last);
        return sg__error(A->ctx, SG_ERR_NOMEM, "out of memory");
    }
    for (size_t e = 0; e < n; e++) {
        sg__apstat *s = &P->ps[P->part[e]];
        const sg__seg *g = P->g->seg + e;
        double len = P->g->elen[e];
        s->road_m += len;
        s->npieces++;
        s->workload +=
            sg__alloc_road_weight(A, A->roads[P->g->eroad[e]].cls, len);
        s->cx += len * (g->x1 + g->x2) / 2;
        s->cy += len * (g->y1 + g->y2) / 2;
        sw[P->part[e]] += len;
    }
    for (size_t i = 0; i < v->nhh; i++) {
        const sg__ahh *h = &A->hh[v->hh[i]];
        sg__apstat *s = &P->ps[P->hpart[i]];
        s->households++;
        s->residents += h->res > 0 ? h->res : 0;
        s->workload += sg__alloc_hh_weight(A, h->res);
        if (n == 0) {
            s->cx += h->x;
            s->cy += h->y;
            sw[P->hpart[i]] += 1;
        }
    }
    P->total = 0;
    for (int k = 0; k < P->K; k++) {
        sg__apstat *s = &P->ps[k];
        if (sw[k] > 0) {
            s->cx /= sw[k];
            s->cy /= sw[k];
        }
        P->total += s->workload;
    }
    for (size_t c = 0; c < P->ncomp; c++)
        last[c] = -1;
    for (size_t s0 = 0; s0 < n; s0++) {
        if (seen[s0])
            continue;
        int32_t k = P->part[s0];
        sg__apstat *s = &P->ps[k];
        s->pieces++;
        size_t qh = 0, qt = 0;
        queue[qt++] = (uint32_t)s0;
        seen[s0] = 1;
        while (qh < qt) {
            uint32_t u = queue[qh++];
            for (size_t a = P->xoff[u]; a < P->xoff[u + 1]; a++) {
                uint32_t w = P->xadj[a];
                if (!seen[w] && P->part[w] == k) {
                    seen[w] = 1;
                    queue[qt++] = w;
                }
            }
        }
    }
    /* components touched: distinct (part, component) pairs */
    for (int k = 0; k < P->K; k++) {
        for (size_t c = 0; c < P->ncomp; c++)
            last[c] = -1;
        for (size_t e = 0; e < n; e++)
            if (P->part[e] == k && last[P->pcomp[e]] != k) {
                last[P->pcomp[e]] = k;
                P->ps[k].comps++;
            }
    }
    free(sw);
    free(queue);
    free(seen);
    free(last);
    return SG_OK;
}

/* ---- the whole village
 * ------------------------------------------------------- */

/* Distance from (x, y) to segment \p s. */
static double seg_distance(const sg__seg *s, double x, double y)
{
    double dx = s->x2 - s->x1, dy = s->y2 - s->y1;
    double l2 = dx * dx + dy * dy;
    double t = l2 > 0 ? ((x - s->x1) * dx + (y - s->y1) * dy) / l2 : 0;
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    return hypot(s->x1 + t * dx - x, s->y1 + t * dy - y);
}

/* Append site (x, y) of \p of to P's sites (arrays sized by the caller). */
static void site_add(sg__apart *P, double x, double y, uint32_t of)
{
    P->sxy[2 * P->ns] = x;
    P->sxy[2 * P->ns + 1] = y;
    P->sof[P->ns++] = of;
}

/* The sites of village \p v: points along the pieces (every
 * SG_ALLOC_SITE_M at most, at (i + 1/2) / m of a piece cut into m), or
 * the households when it has no pieces; indexed by a grid. */
static sg_status make_sites(sg__alloc *A, const sg__avillage *v, sg__apart *P)
{
    size_t n = P->npieces, ns = 0;
    for (size_t e = 0; e < n; e++) {
        double len = P->g->elen[e];
        ns += len > SG_ALLOC_SITE_M ? (size_t)ceil(len / SG_ALLOC_SITE_M) : 1;
    }
    if (!n)
        ns = v->nhh;
    P->sites_hh = n == 0;
    P->sxy = malloc((ns ? ns : 1) * 2 * sizeof *P->sxy);
    P->sof = malloc((ns ? ns : 1) * sizeof *P->sof);
    double *boxes = malloc((ns ? ns : 1) * 4 * sizeof *boxes);
    sg_status st = SG_OK;
    if (!P->sxy || !P->sof || !boxes) {
        free(boxes);
        return sg__error(A->ctx, SG_ERR_NOMEM, "out of memory");
    }
    for (size_t e = 0; e < n; e++) {
        const sg__seg *g = P->g->seg + e;
        double len = P->g->elen[e];
        size_t m =
            len > SG_ALLOC_SITE_M ? (size_t)ceil(len / SG_ALLOC_SITE_M) : 1;
        for (size_t i = 0; i < m; i++) {
            double t = ((double)i + 0.5) / (double)m;
            site_add(P, g->x1 + t * (g->x2 - g->x1),
                     g->y1 + t * (g->y2 - g->y1), (uint32_t)e);
        }
    }
    for (size_t i = 0; !n && i < v->nhh; i++)
        site_add(P, A->hh[v->hh[i]].x, A->hh[v->hh[i]].y, (uint32_t)i);
    for (size_t i = 0; i < P->ns; i++) {
        boxes[4 * i] = boxes[4 * i + 2] = P->sxy[2 * i];
        boxes[4 * i + 1] = boxes[4 * i + 3] = P->sxy[2 * i + 1];
    }
    if (P->ns)
        st = sg__cells_build(A->ctx, &P->sgrid, boxes, P->ns, 0);
    free(boxes);
    return st;
}

/* A search for nearest_site (sg__cells_nearest). */
typedef struct site_search {
    const double *sxy;
    double x, y, best; /* best: squared distance */
    uint32_t site;
    int found;
} site_search;

/* sg__cells_far_fn: past the best site. */
static int site_far(double lower, void *user)
{
    const site_search *q = user;
    return q->found && lower * lower > q->best;
}

/* sg__cells_visit_fn: site \p s; ties go to the lower number. */
static void site_visit(uint32_t s, void *user)
{
    site_search *q = user;
    double dx = q->sxy[2 * s] - q->x, dy = q->sxy[2 * s + 1] - q->y;
    double d2 = dx * dx + dy * dy;
    if (!q->found || d2 < q->best || (d2 == q->best && s < q->site)) {
        q->best = d2;
        q->site = s;
        q->found = 1;
    }
}

/* The site nearest to (x, y) (ties: the lowest number). \return 1 with
 * *site, or 0 if there are none. */
static int nearest_site(const sg__apart *P, double x, double y, uint32_t *site)
{
    if (!P->ns)
        return 0;
    site_search q = {P->sxy, x, y, INFINITY, 0, 0};
    sg__cells_nearest(&P->sgrid, x, y, site_far, site_visit, &q);
    if (q.found)
        *site = q.site;
    return q.found;
}

/* Build the graph of village \p v's pieces, attach households, weigh. */
static sg_status build(sg__alloc *A, const sg__avillage *v, sg__apart *P)
{
    sg_ctx *ctx = A->ctx;
    double total_len = lines_length(&v->lines);
    double L = A->o->piece_m;
    double fine = total_len / ((double)SG_ALLOC_PIECES_PER_CLEANER * P->K);
    if (fine < L)
        L = fine > SG_ALLOC_MIN_PIECE_M ? fine : SG_ALLOC_MIN_PIECE_M;
    P->piece_m = L;
    sg__lineset dense;
    sg_status st = densify(ctx, &v->lines, L, &dense);
    if (st == SG_OK)
        st = sg__graph_build(ctx, &dense, &A->o->net, &P->g);
    sg__lineset_cleanup(&dense);
    if (st)
        return st;
    size_t n = P->npieces = P->g->nroad_edges;
    size_t nh = v->nhh;
    P->pw = calloc(n ? n : 1, sizeof *P->pw);
    P->part = calloc(n ? n : 1, sizeof *P->part);
    P->hedge = malloc((nh ? nh : 1) * sizeof *P->hedge);
    P->hsnap = malloc((nh ? nh : 1) * sizeof *P->hsnap);
    P->hpart = calloc(nh ? nh : 1, sizeof *P->hpart);
    P->ps = calloc((size_t)P->K, sizeof *P->ps);
    if (!P->pw || !P->part || !P->hedge || !P->hsnap || !P->hpart || !P->ps)
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    for (size_t e = 0; e < n; e++)
        P->pw[e] = sg__alloc_road_weight(A, A->roads[P->g->eroad[e]].cls,
                                         P->g->elen[e]);
    sg_status st2 = make_sites(A, v, P);
    if (st2)
        return st2;
    for (size_t i = 0; i < nh; i++) {
        const sg__ahh *h = &A->hh[v->hh[i]];
        uint32_t site = 0;
        if (n && nearest_site(P, h->x, h->y, &site)) {
            uint32_t e = P->sof[site];
            P->hedge[i] = e;
            P->hsnap[i] = seg_distance(P->g->seg + e, h->x, h->y);
            P->pw[e] += sg__alloc_hh_weight(A, h->res);
        } else {
            P->hedge[i] = UINT32_MAX;
            P->hsnap[i] = NAN;
        }
    }
    return SG_OK;
}

sg_status sg__alloc_partition(sg__alloc *A, size_t vi, int K, sg__apart *P)
{
    sg_ctx *ctx = A->ctx;
    const sg__avillage *v = &A->v[vi];
    memset(P, 0, sizeof *P);
    P->K = K;
    pedges l = {0};
    size_t *aoff = NULL;
    uint32_t *aadj = NULL;
    int *aw = NULL;
    sg_status st = build(A, v, P);
    if (st == SG_OK && P->npieces) {
        st = junction_edges(ctx, P->g, &l);
        if (st == SG_OK) {
            qsort(l.e, l.n, sizeof *l.e, cmp_pedge);
            st = csr_build(ctx, P->npieces, &l, &P->xoff, &P->xadj, NULL);
        }
        if (st == SG_OK)
            st = components(ctx, P);
        if (st == SG_OK)
            st = virtual_edges(ctx, P, &l);
        if (st == SG_OK) {
            qsort(l.e, l.n, sizeof *l.e, cmp_pedge);
            st = csr_build(ctx, P->npieces, &l, &aoff, &aadj, &aw);
        }
        if (st == SG_OK)
            st = split_pieces(ctx, P, aoff, aadj, aw);
        for (size_t i = 0; st == SG_OK && i < v->nhh; i++)
            P->hpart[i] = P->part[P->hedge[i]];
    } else if (st == SG_OK) {
        P->ncomp = 0;
        st = split_households(A, v, P);
    }
    if (st == SG_OK)
        st = figures(A, v, P);
    if (st == SG_OK)
        st = name_parts(A, v, P);
    free(l.e);
    free(aoff);
    free(aadj);
    free(aw);
    return st;
}

void sg__apart_cleanup(sg__alloc *A, sg__apart *P)
{
    if (!P)
        return;
    sg__graph_free(P->g);
    free(P->pw);
    free(P->pcomp);
    free(P->part);
    free(P->hedge);
    free(P->hsnap);
    free(P->hpart);
    free(P->sxy);
    free(P->sof);
    sg__cells_cleanup(&P->sgrid);
    if (P->ps)
        for (int k = 0; k < P->K; k++)
            if (P->ps[k].area)
                GEOSGeom_destroy_r(A->h, P->ps[k].area);
    free(P->ps);
    free(P->xoff);
    free(P->xadj);
    memset(P, 0, sizeof *P);
}

const char *sg__apart_cleaner_id(const sg__alloc *A, const sg__avillage *v,
                                 const sg__apart *P, int k, char *buf,
                                 size_t size)
{
    const sg__apstat *s = &P->ps[k];
    if (s->existing >= 0) {
        snprintf(buf, size, "%s", v->cl[s->existing].id);
        return buf;
    }
    /* A planned cleaner is "<村名>-拟增<n>", what a township office writes
     * on its list; the village's code joins the name when another village
     * of the run has the same name (common across townships), so the id
     * stays unique in the county. */
    (void)A;
    const char *name = v->name && *v->name ? v->name : v->code;
    if (v->twin && v->name && *v->name)
        snprintf(buf, size, "%s（%s）-拟增%d", name, v->code, s->planned_no);
    else
        snprintf(buf, size, "%s-拟增%d", name, s->planned_no);
    return buf;
}
