/* Hand-written partition helpers (see plan_int.h): the shape refinement
 * of a block partition (sg__plan_refine) and a partition grown by hand
 * (sg__plan_grow) for the small graphs on which METIS leaves a part
 * empty.
 * Refinement: METIS minimises the cost of the cut, which keeps
 * boundaries short and on roads but says little about the shape of a
 * grid: an empty field (a block of no weight) can go to either side at
 * about the same cost, and grids then wrap around each other. This pass
 * moves blocks on the edge of a part to a neighbouring part when that
 * lowers
 *     sum over parts of perimeter^2 / area   (= 4 pi / Polsby-Popper),
 * which penalises the least compact grids most, as long as every part
 * stays connected (through the same adjacency METIS used, weak links
 * included) and the balanced weights stay within 5 % of the mean (or
 * within the range METIS left, if that is wider). Perimeters and areas
 * are updated from the blocks' own and shared lengths, so a move costs
 * no geometry operation; only a candidate that improves is tested for
 * connectivity (a breadth-first search over its part).
 * Growing: see sg__plan_grow; quadratic in the blocks, which is fine for
 * the small graphs it is used on.
 * Not for: the partition itself (METIS, plan_part.c), SQL, printing.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "geom/geos_int.h"
#include "analysis/plan/plan_int.h"

/* The balance range a move may not leave: this share around the mean. */
#define TOLERANCE 0.05
/* Passes over the blocks at most (a pass without a move ends it). */
#define MAX_PASSES 60
/* Relative improvements below this are not worth a move. */
#define MIN_GAIN 1e-9

/* The state of the refinement. */
typedef struct refiner {
    const sg__plan_blocks *b;
    const double *w;     /* balanced weight per block (borrowed) */
    const double *area;  /* per block (borrowed) */
    const double *perim; /* per block (borrowed) */
    int32_t *part;       /* borrowed, updated */
    int np;
    double *pa, *pp, *pw; /* area, perimeter, weight per part; owned */
    size_t *pn;           /* blocks per part; owned */
    uint32_t *stack;      /* BFS scratch; owned */
    uint32_t *mark;       /* BFS visit stamps; owned */
    uint32_t stamp;
    double lo, hi; /* allowed weight range of a part */
} refiner;

/* perimeter^2 / area of a part (infinite for an empty one). */
static double shape(double perim, double area)
{
    return area > 0 ? perim * perim / area : INFINITY;
}

/* Shared length of block \p v with the blocks of part \p q. */
static double shared_with(const refiner *r, uint32_t v, int32_t q)
{
    const sg__plan_blocks *b = r->b;
    double s = 0;
    for (size_t k = b->xadj[v]; k < b->xadj[v + 1]; k++)
        if (r->part[b->adj[k]] == q)
            s += b->adjlen[k];
    return s;
}

/* \return 1 if part \p p stays connected (and not empty) without block
 * \p skip. */
static int connected_without(refiner *r, int32_t p, uint32_t skip)
{
    const sg__plan_blocks *b = r->b;
    size_t need = r->pn[p] - 1, seen = 0, top = 0;
    if (need == 0)
        return 0;
    if (++r->stamp == 0) {
        memset(r->mark, 0, b->n * sizeof *r->mark);
        r->stamp = 1;
    }
    r->mark[skip] = r->stamp;
    for (size_t k = b->xadj[skip]; k < b->xadj[skip + 1] && !top; k++)
        if (r->part[b->adj[k]] == p) {
            r->stack[top++] = b->adj[k];
            r->mark[b->adj[k]] = r->stamp;
        }
    while (top) {
        uint32_t v = r->stack[--top];
        seen++;
        for (size_t k = b->xadj[v]; k < b->xadj[v + 1]; k++) {
            uint32_t u = b->adj[k];
            if (r->part[u] == p && r->mark[u] != r->stamp) {
                r->mark[u] = r->stamp;
                r->stack[top++] = u;
            }
        }
    }
    return seen == need;
}

/* Move block \p v to the neighbouring part where the objective drops
 * most, if any and if allowed. \return 1 if it moved. */
static int try_move(refiner *r, uint32_t v)
{
    const sg__plan_blocks *b = r->b;
    int32_t p = r->part[v];
    if (r->pn[p] < 2 || r->pw[p] - r->w[v] < r->lo)
        return 0;
    double pa2 = r->pa[p] - r->area[v];
    double pp2 = r->pp[p] - r->perim[v] + 2 * shared_with(r, v, p);
    if (!(pa2 > 0))
        return 0;
    double best_gain = 0, best_qa = 0, best_qp = 0;
    int32_t best_q = -1;
    for (size_t k = b->xadj[v]; k < b->xadj[v + 1]; k++) {
        int32_t q = r->part[b->adj[k]];
        if (q == p || q == best_q || r->pw[q] + r->w[v] > r->hi)
            continue;
        double qa2 = r->pa[q] + r->area[v];
        double qp2 = r->pp[q] + r->perim[v] - 2 * shared_with(r, v, q);
        double before = shape(r->pp[p], r->pa[p]) + shape(r->pp[q], r->pa[q]);
        double gain = (before - shape(pp2, pa2) - shape(qp2, qa2)) / before;
        if (gain > MIN_GAIN &&
            (gain > best_gain || (gain == best_gain && q < best_q))) {
            best_gain = gain;
            best_q = q;
            best_qa = qa2;
            best_qp = qp2;
        }
    }
    if (best_q < 0 || !connected_without(r, p, v))
        return 0;
    int32_t q = best_q;
    r->pa[p] = pa2;
    r->pp[p] = pp2;
    r->pw[p] -= r->w[v];
    r->pn[p]--;
    r->pa[q] = best_qa;
    r->pp[q] = best_qp;
    r->pw[q] += r->w[v];
    r->pn[q]++;
    r->part[v] = q;
    return 1;
}

/* Part sums of \p r from its partition, and the allowed weight range. */
static void refiner_sums(refiner *r)
{
    const sg__plan_blocks *b = r->b;
    double total = 0;
    for (size_t i = 0; i < b->n; i++) {
        int32_t p = r->part[i];
        r->pa[p] += r->area[i];
        r->pw[p] += r->w[i];
        r->pn[p]++;
        r->pp[p] += r->perim[i];
        /* a length shared inside the part is met from both blocks: it
         * leaves the part's perimeter twice over, as it should */
        for (size_t k = b->xadj[i]; k < b->xadj[i + 1]; k++)
            if (r->part[b->adj[k]] == p)
                r->pp[p] -= b->adjlen[k];
        total += r->w[i];
    }
    double mean = total / (double)r->np, lo = INFINITY, hi = 0;
    for (int p = 0; p < r->np; p++) {
        lo = fmin(lo, r->pw[p]);
        hi = fmax(hi, r->pw[p]);
    }
    r->lo = fmin(lo, (1 - TOLERANCE) * mean);
    r->hi = fmax(hi, (1 + TOLERANCE) * mean);
}

/* See plan_int.h: passes over the edge blocks until none moves. */
sg_status sg__plan_refine(sg_ctx *ctx, const sg__plan_blocks *b, int nparts,
                          int residents, const double *area,
                          const double *perim, int32_t *part, double *cost)
{
    refiner r;
    memset(&r, 0, sizeof r);
    size_t n = b->n, np = (size_t)nparts;
    r.b = b;
    r.w = residents ? b->w_res : b->w_hh;
    r.area = area;
    r.perim = perim;
    r.part = part;
    r.np = nparts;
    r.pa = calloc(np, sizeof *r.pa);
    r.pp = calloc(np, sizeof *r.pp);
    r.pw = calloc(np, sizeof *r.pw);
    r.pn = calloc(np, sizeof *r.pn);
    r.stack = malloc((n ? n : 1) * sizeof *r.stack);
    r.mark = calloc(n ? n : 1, sizeof *r.mark);
    sg_status st = SG_OK;
    if (!r.pa || !r.pp || !r.pw || !r.pn || !r.stack || !r.mark) {
        st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    } else {
        refiner_sums(&r);
        for (int pass = 0; pass < MAX_PASSES; pass++) {
            long long moved = 0;
            for (uint32_t v = 0; v < (uint32_t)n; v++) {
                int edge = 0;
                for (size_t k = b->xadj[v]; k < b->xadj[v + 1] && !edge; k++)
                    edge = part[b->adj[k]] != part[v];
                if (edge)
                    moved += try_move(&r, v);
            }
            if (moved == 0)
                break;
        }
        *cost = 0;
        for (size_t p = 0; p < np; p++)
            *cost += shape(r.pp[p], r.pa[p]);
    }
    free(r.pa);
    free(r.pp);
    free(r.pw);
    free(r.pn);
    free(r.stack);
    free(r.mark);
    return st;
}

/* ---- growing parts by hand ---------------------------------------------- */

/* The blocks still unassigned (part < 0) other than \p skip reachable
 * from \p from through unassigned blocks: their count, and in \p far the
 * last one reached (a pseudo-peripheral block: farthest in hops from
 * \p from, lowest number among the farthest). \p queue and \p seen are
 * scratch of b->n entries. */
static size_t reach(const sg__plan_blocks *b, const int32_t *part,
                    uint32_t from, uint32_t skip, uint32_t *queue,
                    unsigned char *seen, uint32_t *far)
{
    memset(seen, 0, b->n);
    size_t head = 0, tail = 0;
    queue[tail++] = from;
    seen[from] = 1;
    seen[skip] = 1;
    while (head < tail) {
        uint32_t v = queue[head++];
        for (size_t k = b->xadj[v]; k < b->xadj[v + 1]; k++) {
            uint32_t u = b->adj[k];
            if (part[u] < 0 && !seen[u]) {
                seen[u] = 1;
                queue[tail++] = u;
            }
        }
    }
    if (far)
        *far = queue[tail - 1];
    return tail;
}

/* One part grown from a pseudo-peripheral unassigned block: see
 * sg__plan_grow. Neighbours that fit the part's share come first (the
 * one with the longest shared boundary), then those that overshoot it
 * but less than the part falls short. \p left is the number of
 * unassigned blocks (updated). */
static void grow_one(const sg__plan_blocks *b, const double *w, int32_t p,
                     int parts_after, size_t *left, int32_t *part,
                     uint32_t *queue, unsigned char *seen)
{
    uint32_t first = 0, seed = 0;
    double target = 0;
    while (part[first] >= 0)
        first++;
    for (size_t i = 0; i < b->n; i++)
        if (part[i] < 0)
            target += w[i];
    target /= (double)(parts_after + 1);
    reach(b, part, first, first, queue, seen, &seed);
    part[seed] = p;
    (*left)--;
    double have = w[seed];
    for (;;) {
        long best = -1;
        double best_gain = -1;
        int best_tier = 2; /* 0: fits the share, 1: overshoots but closer */
        for (size_t v = 0; v < b->n; v++) {
            if (part[v] >= 0)
                continue;
            double gain = 0;
            int next_to = 0;
            for (size_t k = b->xadj[v]; k < b->xadj[v + 1]; k++)
                if (part[b->adj[k]] == p) {
                    next_to = 1;
                    gain += b->adjw[k] + 1e-9;
                }
            int tier = have + w[v] <= target                              ? 0
                       : fabs(have + w[v] - target) < fabs(have - target) ? 1
                                                                          : 2;
            if (!next_to || tier == 2 || tier > best_tier ||
                (tier == best_tier && gain <= best_gain) ||
                *left - 1 < (size_t)parts_after)
                continue;
            /* the rest must stay connected */
            uint32_t other = 0;
            while (other < b->n && (part[other] >= 0 || other == v))
                other++;
            if (other < b->n &&
                reach(b, part, other, (uint32_t)v, queue, seen, NULL) + 1 <
                    *left)
                continue;
            best = (long)v;
            best_gain = gain;
            best_tier = tier;
        }
        if (best < 0)
            break;
        part[best] = p;
        (*left)--;
        have += w[best];
    }
}

/* See plan_int.h. */
sg_status sg__plan_grow(sg_ctx *ctx, const sg__plan_blocks *b, int nparts,
                        int residents, int32_t *part)
{
    const double *w = residents ? b->w_res : b->w_hh;
    size_t n = b->n, left = n;
    if (n < (size_t)nparts || nparts < 1)
        return sg__error(ctx, SG_ERR_INTERNAL,
                         "%zu blocks cannot make %d parts", n, nparts);
    uint32_t *queue = malloc(n * sizeof *queue);
    unsigned char *seen = malloc(n);
    if (!queue || !seen) {
        free(queue);
        free(seen);
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    }
    for (size_t i = 0; i < n; i++)
        part[i] = -1;
    for (int p = 0; p + 1 < nparts; p++)
        grow_one(b, w, p, nparts - 1 - p, &left, part, queue, seen);
    for (size_t i = 0; i < n; i++)
        if (part[i] < 0)
            part[i] = nparts - 1;
    free(queue);
    free(seen);
    return SG_OK;
}
