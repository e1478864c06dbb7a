/* Planning one unit (see plan_int.h): its blocks (plan_blocks.c) are
 * partitioned with METIS_PartGraphKway into N contiguous parts of equal
 * weight (households or residents; an empty block weighs a hundredth of
 * a household) with the smallest cut (shared boundary length, roads
 * cheaper); a few seeds and tolerances are tried, each result refined
 * for compactness (plan_refine.c), and the most balanced, then most
 * compact, kept. Each part's blocks are dissolved into one grid (a
 * coverage union: neighbouring blocks share their vertices exactly, so
 * the grids tile the unit exactly too); the grids get their
 * figures (households, residents, area, perimeter, Polsby-Popper, parts)
 * and their order: rows of height sqrt(unit area / N) from the unit's
 * northern edge, north to south, and west to east inside a row, by
 * centroid. The unit's existing grids are measured the same way.
 * Not for: reading or writing the store (plan.c), SQL, printing.
 * SPDX-License-Identifier: MIT */
#include <float.h>
#include <math.h>
#include <metis.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/metis_lock_int.h"
#include "geom/geos_int.h"
#include "analysis/plan/plan_int.h"
#include "net/net_int.h"

/* Faces holding more than this share of a grid's target are split by
 * the midlines between their houses, so that METIS has small enough
 * pieces to balance with. */
#define SPLIT_SHARE 0.1
/* Imbalances up to this count as perfect when attempts are compared:
 * below it the most compact partition wins. */
#define GOOD_ENOUGH 1.05

/* One METIS attempt: imbalance tolerance and seed. */
typedef struct attempt {
    float ub;
    int seed;
} attempt;

static const attempt attempts[] = {
    {1.03f, 1}, {1.03f, 2}, {1.05f, 3}, {1.01f, 4}};
#define NATTEMPTS (sizeof attempts / sizeof attempts[0])

/* See plan_int.h; n = 0 gives zeroes. */
void sg__plan_stats(const double *w, const double *pp, size_t n,
                    sg_plan_stats *s)
{
    memset(s, 0, sizeof *s);
    s->grids = (long long)n;
    if (!n)
        return;
    double sum = 0, mx = w[0], mn = w[0], psum = 0, pmin = pp[0];
    for (size_t i = 0; i < n; i++) {
        sum += w[i];
        mx = fmax(mx, w[i]);
        mn = fmin(mn, w[i]);
        psum += pp[i];
        pmin = fmin(pmin, pp[i]);
    }
    double mean = sum / (double)n;
    s->max_mean = mean > 0 ? mx / mean : 0;
    s->min_mean = mean > 0 ? mn / mean : 0;
    s->mean_pp = psum / (double)n;
    s->min_pp = pmin;
}

/* Balance of \p part (n blocks, np parts) under weights \p w: the
 * largest part over the mean, or INFINITY if a part is empty. */
static double imbalance(const double *w, size_t n, const idx_t *part, int np)
{
    double *pw = calloc((size_t)np, sizeof *pw);
    size_t *cnt = calloc((size_t)np, sizeof *cnt);
    double r = INFINITY;
    if (pw && cnt) {
        double sum = 0, mx = 0;
        for (size_t i = 0; i < n; i++) {
            pw[part[i]] += w[i];
            cnt[part[i]]++;
            sum += w[i];
        }
        int empty = 0;
        for (int p = 0; p < np; p++) {
            mx = fmax(mx, pw[p]);
            empty |= cnt[p] == 0;
        }
        if (!empty)
            r = sum > 0 ? mx / (sum / np) : 1.0;
    }
    free(pw);
    free(cnt);
    return r;
}

/* The areas and perimeters of the blocks of \p b into new arrays
 * (caller frees both). */
static sg_status block_sizes(sg_ctx *ctx, const sg__plan_blocks *b,
                             double **area, double **perim)
{
    *area = malloc((b->n ? b->n : 1) * sizeof **area);
    *perim = malloc((b->n ? b->n : 1) * sizeof **perim);
    if (!*area || !*perim)
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < b->n; i++)
        if (!GEOSArea_r(ctx->geom, b->faces[i], &(*area)[i]) ||
            !GEOSLength_r(ctx->geom, b->faces[i], &(*perim)[i]))
            return sg__geos_error(ctx, "measuring a block");
    return SG_OK;
}

/* The METIS graph of \p b: CSR arrays, vertex weights (balanced weight
 * x 100 + 1, so an empty block weighs a hundredth of a household) and
 * edge weights (cut cost in decimetres, at least 1). */
typedef struct metis_graph {
    idx_t *xadj, *adjncy, *adjwgt, *vwgt; /* owned */
} metis_graph;

/* Fill \p g from \p b with weights \p w. */
static sg_status metis_graph_init(sg_ctx *ctx, const sg__plan_blocks *b,
                                  const double *w, metis_graph *g)
{
    size_t n = b->n, m = b->xadj[n];
    g->xadj = malloc((n + 1) * sizeof *g->xadj);
    g->adjncy = malloc((m ? m : 1) * sizeof *g->adjncy);
    g->adjwgt = malloc((m ? m : 1) * sizeof *g->adjwgt);
    g->vwgt = malloc((n ? n : 1) * sizeof *g->vwgt);
    if (!g->xadj || !g->adjncy || !g->adjwgt || !g->vwgt)
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i <= n; i++)
        g->xadj[i] = (idx_t)b->xadj[i];
    for (size_t k = 0; k < m; k++) {
        g->adjncy[k] = (idx_t)b->adj[k];
        double c = (double)llround(b->adjw[k] * 10.0);
        g->adjwgt[k] = (idx_t)(c < 1 ? 1 : c > 1e8 ? 1e8 : c);
    }
    for (size_t i = 0; i < n; i++)
        g->vwgt[i] = (idx_t)llround(w[i] * 100.0) + 1;
    return SG_OK;
}

/* Free the arrays of \p g. */
static void metis_graph_free(metis_graph *g)
{
    free(g->xadj);
    free(g->adjncy);
    free(g->adjwgt);
    free(g->vwgt);
}

/* See plan_int.h. METIS calls are serialised (sg__metis_lock). */
sg_status sg__plan_partition(sg_ctx *ctx, const sg__plan_blocks *b, int nparts,
                             int residents, double bound, int32_t *part,
                             char *note, size_t note_size,
                             double secs[SG__PLAN_NT])
{
    double t = sg__plan_now();
    const double *w = residents ? b->w_res : b->w_hh;
    size_t n = b->n;
    metis_graph g = {0};
    double *area = NULL, *perim = NULL;
    idx_t *cur = malloc((n ? n : 1) * sizeof *cur);
    int32_t *tmp = malloc((n ? n : 1) * sizeof *tmp);
    sg_status st =
        cur && tmp ? SG_OK : sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    if (st == SG_OK)
        st = metis_graph_init(ctx, b, w, &g);
    if (st == SG_OK)
        st = block_sizes(ctx, b, &area, &perim);
    idx_t nv = (idx_t)n, ncon = 1, np = nparts, objval = 0;
    double best_key = INFINITY, best_cost = INFINITY, best_ratio = INFINITY;
    int last_err = METIS_OK, trivial = n == (size_t)nparts;
    if (st == SG_OK && trivial) {
        /* one block per part: nothing to choose (METIS may leave a part
         * empty on such a graph) */
        for (size_t i = 0; i < n; i++)
            part[i] = (int32_t)i;
        for (size_t i = 0; i < n; i++)
            cur[i] = (idx_t)i;
        best_ratio = imbalance(w, n, cur, nparts);
    }
    /* no part can be lighter than the heaviest block: METIS, asked for
     * less, may leave a part empty */
    double heaviest = 0, total = 0;
    for (size_t i = 0; i < n; i++) {
        heaviest = fmax(heaviest, w[i]);
        total += w[i];
    }
    double floor_ub = total > 0 ? heaviest / (total / nparts) * 1.01 : 1.0;
    for (size_t a = 0; st == SG_OK && !trivial && a < NATTEMPTS; a++) {
        idx_t options[METIS_NOPTIONS];
        METIS_SetDefaultOptions(options);
        options[METIS_OPTION_CONTIG] = 1;
        options[METIS_OPTION_SEED] = attempts[a].seed;
        options[METIS_OPTION_NUMBERING] = 0;
        real_t ub = (real_t)fmax(attempts[a].ub, floor_ub);
        sg__metis_lock();
        int rc = METIS_PartGraphKway(&nv, &ncon, g.xadj, g.adjncy, g.vwgt, NULL,
                                     g.adjwgt, &np, NULL, &ub, options, &objval,
                                     cur);
        sg__metis_unlock();
        double t1 = sg__plan_now();
        secs[SG__PLAN_T_METIS] += t1 - t;
        t = t1;
        if (rc != METIS_OK) {
            last_err = rc;
            continue;
        }
        if (!isfinite(imbalance(w, n, cur, nparts)))
            continue; /* a part stayed empty */
        double cost = 0;
        for (size_t i = 0; i < n; i++)
            tmp[i] = (int32_t)cur[i];
        st =
            sg__plan_refine(ctx, b, nparts, residents, area, perim, tmp, &cost);
        for (size_t i = 0; i < n; i++)
            cur[i] = tmp[i];
        t1 = sg__plan_now();
        secs[SG__PLAN_T_REFINE] += t1 - t;
        t = t1;
        double ratio = imbalance(w, n, cur, nparts);
        double key = fmax(ratio, GOOD_ENOUGH);
        if (st == SG_OK &&
            (key < best_key || (key == best_key && cost < best_cost))) {
            best_key = key;
            best_cost = cost;
            best_ratio = ratio;
            memcpy(part, tmp, n * sizeof *part);
        }
    }
    if (st == SG_OK && !isfinite(best_ratio)) {
        /* METIS put everything into fewer parts (it does on small graphs
         * with a block heavier than a part may be): grow the parts by
         * hand instead, then refine them the same way */
        sg__log(ctx, SG_LOG_DEBUG,
                "METIS found no partition into %d parts (%s); growing them",
                nparts,
                last_err == METIS_ERROR_MEMORY  ? "out of memory"
                : last_err == METIS_ERROR_INPUT ? "bad input"
                : last_err == METIS_OK          ? "a part stayed empty"
                                                : "error");
        double cost = 0;
        st = sg__plan_grow(ctx, b, nparts, residents, part);
        if (st == SG_OK)
            st = sg__plan_refine(ctx, b, nparts, residents, area, perim, part,
                                 &cost);
        for (size_t i = 0; st == SG_OK && i < n; i++)
            cur[i] = part[i];
        if (st == SG_OK)
            best_ratio = imbalance(w, n, cur, nparts);
        if (st == SG_OK && !isfinite(best_ratio))
            st = sg__error(ctx, SG_ERR_INTERNAL,
                           "no partition into %d contiguous parts found",
                           nparts);
    }
    if (st == SG_OK && best_ratio > bound && note && note_size)
        snprintf(note, note_size,
                 "no contiguous division within %.2f x the mean was found; "
                 "the best has %.3f",
                 bound, best_ratio);
    metis_graph_free(&g);
    free(area);
    free(perim);
    free(cur);
    free(tmp);
    return st;
}

/* ---- one unit ----------------------------------------------------------- */

/* The unit's geometry from the job's WKB, made valid and polygonal
 * (caller owns), or NULL with the status in ctx. */
static GEOSGeometry *unit_geometry(sg_ctx *ctx, const unsigned char *wkb,
                                   size_t size)
{
    GEOSContextHandle_t h = ctx->geom;
    GEOSGeometry *g = sg__geom_from_wkb(ctx, wkb, size);
    if (!g)
        return NULL;
    if (GEOSisValid_r(h, g) != 1) {
        GEOSGeometry *v = GEOSMakeValid_r(h, g);
        GEOSGeom_destroy_r(h, g);
        g = v;
        if (!g) {
            sg__geos_error(ctx, "repairing the unit's polygon");
            return NULL;
        }
    }
    return sg__geom_polygonal(ctx, g, 0);
}

/* Area, perimeter, Polsby-Popper, parts and centroid of \p g into \p c. */
static sg_status measure(sg_ctx *ctx, const GEOSGeometry *g, sg__plan_cell *c)
{
    GEOSContextHandle_t h = ctx->geom;
    if (!GEOSArea_r(h, g, &c->area) || !GEOSLength_r(h, g, &c->perimeter))
        return sg__geos_error(ctx, "measuring a grid");
    c->pp = c->perimeter > 0
                ? 4 * M_PI * c->area / (c->perimeter * c->perimeter)
                : 0;
    c->parts = GEOSGetNumGeometries_r(h, g);
    GEOSGeometry *ct = GEOSGetCentroid_r(h, g);
    int ok = ct && GEOSisEmpty_r(h, ct) == 0 && GEOSGeomGetX_r(h, ct, &c->cx) &&
             GEOSGeomGetY_r(h, ct, &c->cy);
    if (ct)
        GEOSGeom_destroy_r(h, ct);
    return ok ? SG_OK : sg__geos_error(ctx, "centroid of a grid");
}

/* The grids' order (see the file comment) as a permutation into \p ord. */
typedef struct order_key {
    long band;
    double x, y;
    size_t i;
} order_key;

/* qsort: bands north to south, then west to east, then north first. */
static int cmp_order(const void *a, const void *b)
{
    const order_key *p = a, *q = b;
    if (p->band != q->band)
        return p->band < q->band ? -1 : 1;
    if (p->x != q->x)
        return p->x < q->x ? -1 : 1;
    if (p->y != q->y)
        return p->y > q->y ? -1 : 1;
    return p->i < q->i ? -1 : p->i > q->i;
}

/* The segments of every grid's boundary: end points, grid, and a cell
 * index over their boxes. */
typedef struct grid_segs {
    double *s;    /* x0, y0, x1, y1 per segment; owned */
    int32_t *own; /* grid of each segment; owned */
    size_t n;
    sg__cells idx;
} grid_segs;

static void grid_segs_free(grid_segs *g)
{
    free(g->s);
    free(g->own);
    sg__cells_cleanup(&g->idx);
    memset(g, 0, sizeof *g);
}

/* Append the segments of the lines in \p g (any nesting) as grid \p own;
 * \p cap grows the arrays, \p boxes along. */
static sg_status grid_segs_add(sg_ctx *ctx, grid_segs *gs, double **boxes,
                               size_t *cap, const GEOSGeometry *g, int32_t own)
{
    GEOSContextHandle_t h = ctx->geom;
    int t = GEOSGeomTypeId_r(h, g);
    if (t == GEOS_MULTILINESTRING || t == GEOS_GEOMETRYCOLLECTION) {
        int n = GEOSGetNumGeometries_r(h, g);
        for (int i = 0; i < n; i++) {
            sg_status st = grid_segs_add(ctx, gs, boxes, cap,
                                         GEOSGetGeometryN_r(h, g, i), own);
            if (st)
                return st;
        }
        return SG_OK;
    }
    if (t != GEOS_LINESTRING && t != GEOS_LINEARRING)
        return SG_OK;
    const GEOSCoordSequence *cs = GEOSGeom_getCoordSeq_r(h, g);
    unsigned int n = 0;
    if (!cs || !GEOSCoordSeq_getSize_r(h, cs, &n))
        return sg__geos_error(ctx, "reading a grid boundary");
    if (gs->n + n > *cap) {
        size_t nc = (*cap ? *cap * 2 : 1024) + n;
        double *ns = realloc(gs->s, nc * 4 * sizeof *ns);
        if (ns)
            gs->s = ns;
        int32_t *no = ns ? realloc(gs->own, nc * sizeof *no) : NULL;
        if (no)
            gs->own = no;
        double *nb = no ? realloc(*boxes, nc * 4 * sizeof *nb) : NULL;
        if (!nb)
            return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        *boxes = nb;
        *cap = nc;
    }
    double px = 0, py = 0, x, y;
    for (unsigned int k = 0; k < n; k++) {
        if (!GEOSCoordSeq_getXY_r(h, cs, k, &x, &y))
            return sg__geos_error(ctx, "reading a grid boundary");
        if (k > 0) {
            double *e = gs->s + 4 * gs->n, *b = *boxes + 4 * gs->n;
            e[0] = px;
            e[1] = py;
            e[2] = x;
            e[3] = y;
            b[0] = fmin(px, x);
            b[1] = fmin(py, y);
            b[2] = fmax(px, x);
            b[3] = fmax(py, y);
            gs->own[gs->n++] = own;
        }
        px = x;
        py = y;
    }
    return SG_OK;
}

/* Grids a household is tested against through the index at most. */
#define NEAR_MAX 32

/* The grids (at most \p max, distinct, into \p out) with a boundary
 * segment within the clearance \p r of (\p x, \p y). \return their
 * count. */
static size_t grids_near(const grid_segs *gs, double r, double x, double y,
                         int32_t *out, size_t max)
{
    const sg__cells *g = &gs->idx;
    int sp[4];
    size_t m = 0;
    if (!sg__cells_span(g, x - r, y - r, x + r, y + r, sp))
        return 0;
    int c0 = sp[0], r0 = sp[1], c1 = sp[2], r1 = sp[3];
    for (int row = r0; row <= r1; row++)
        for (int col = c0; col <= c1; col++) {
            size_t cell = (size_t)row * (size_t)g->nx + (size_t)col;
            for (uint32_t q = g->off[cell]; q < g->off[cell + 1]; q++) {
                uint32_t i = g->items[q];
                int32_t o = gs->own[i];
                size_t k = 0;
                while (k < m && out[k] != o)
                    k++;
                if (k < m)
                    continue; /* that grid is near already */
                const double *e = gs->s + 4 * (size_t)i;
                if (sg__plan_point_seg(x, y, e[0], e[1], e[2], e[3]) <= r) {
                    out[m++] = o;
                    if (m == max)
                        return m;
                }
            }
        }
    return m;
}

/* Households within the clearance of two grids or more: the houses a
 * boundary between grids passes too close to. \p hh_grid (NULL: not
 * known) is each household's grid (-1: none). A household with a grid is
 * near two grids when the boundaries of its own grid and of another pass
 * within the clearance (the grids tile the unit, so no other grid holds
 * it): the grids' boundary segments are indexed once. The others are
 * tested against every grid (a grid that holds one is at distance 0). */
static sg_status count_near(sg_ctx *ctx, const sg__plan_job *job,
                            GEOSGeometry **grids, size_t n,
                            const int32_t *hh_grid, long long *near)
{
    GEOSContextHandle_t h = ctx->geom;
    *near = 0;
    if (n < 2)
        return SG_OK;
    sg__geomset gs;
    sg__geomset_init(&gs, ctx, 0);
    sg__idlist cand = {0};
    grid_segs segs = {0};
    double *boxes = NULL;
    size_t cap = 0;
    sg_status st = SG_OK;
    for (size_t i = 0; st == SG_OK && i < n; i++)
        st = sg__geomset_add(ctx, &gs, grids[i]);
    for (size_t i = 0; st == SG_OK && hh_grid && i < n; i++) {
        GEOSGeometry *bnd = GEOSBoundary_r(h, grids[i]);
        st = bnd ? grid_segs_add(ctx, &segs, &boxes, &cap, bnd, (int32_t)i)
                 : sg__geos_error(ctx, "boundary of a grid");
        if (bnd)
            GEOSGeom_destroy_r(h, bnd);
    }
    if (st == SG_OK && hh_grid)
        st = sg__cells_build(ctx, &segs.idx, boxes, segs.n, 0);
    free(boxes);
    for (size_t k = 0; st == SG_OK && k < job->nhh; k++) {
        int32_t own = hh_grid ? hh_grid[k] : -1;
        if (own >= 0 && (size_t)own < n) {
            int32_t found[NEAR_MAX];
            size_t m = grids_near(&segs, job->clearance_m, job->hx[k],
                                  job->hy[k], found, NEAR_MAX);
            int own_near = 0;
            for (size_t i = 0; i < m; i++)
                own_near |= found[i] == own;
            /* own boundary not near: no other grid is; else near two
             * grids when another's boundary is near too */
            if (own_near || m < NEAR_MAX) {
                *near += own_near && m >= 2;
                continue;
            }
            /* more grids near than counted: tested as below */
        }
        GEOSGeometry *pt =
            GEOSGeom_createPointFromXY_r(h, job->hx[k], job->hy[k]);
        if (!pt) {
            st = sg__geos_error(ctx, "household point");
            break;
        }
        st = sg__geomset_query(ctx, &gs, pt, job->clearance_m, &cand);
        int hits = 0;
        for (size_t m = 0; st == SG_OK && m < cand.n && hits < 2; m++) {
            const GEOSPreparedGeometry *p =
                sg__geomset_prepared(ctx, &gs, cand.v[m]);
            char r =
                p ? GEOSPreparedDistanceWithin_r(h, p, pt, job->clearance_m)
                  : 2;
            if (r == 2)
                st = sg__geos_error(ctx, "household near a grid boundary");
            hits += r == 1;
        }
        *near += hits >= 2;
        GEOSGeom_destroy_r(h, pt);
    }
    grid_segs_free(&segs);
    sg__idlist_cleanup(&cand);
    sg__geomset_cleanup(&gs);
    return st;
}

/* Balance and compactness of the unit's existing grids (job->ex_wkb):
 * households counted in every grid that holds them. */
static sg_status measure_existing(sg_ctx *ctx, const sg__plan_job *job,
                                  sg_plan_stats *s)
{
    GEOSContextHandle_t h = ctx->geom;
    size_t n = job->nexisting;
    memset(s, 0, sizeof *s);
    if (!n)
        return SG_OK;
    double *w = calloc(n, sizeof *w), *pp = calloc(n, sizeof *pp);
    sg_status st =
        w && pp ? SG_OK : sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    for (size_t i = 0; st == SG_OK && i < n; i++) {
        GEOSGeometry *g = unit_geometry(ctx, job->ex_wkb[i], job->ex_size[i]);
        const GEOSPreparedGeometry *p = g ? GEOSPrepare_r(h, g) : NULL;
        sg__plan_cell c;
        memset(&c, 0, sizeof c);
        if (!p || GEOSisEmpty_r(h, g) == 1)
            st = g && GEOSisEmpty_r(h, g) == 1
                     ? SG_OK
                     : sg__error_prefix(ctx, "existing grid: ");
        else
            st = measure(ctx, g, &c);
        pp[i] = c.pp;
        for (size_t k = 0; st == SG_OK && p && k < job->nhh; k++) {
            GEOSGeometry *pt =
                GEOSGeom_createPointFromXY_r(h, job->hx[k], job->hy[k]);
            if (pt && GEOSPreparedIntersects_r(h, p, pt) == 1)
                w[i] += job->residents ? job->hres[k] : 1;
            if (pt)
                GEOSGeom_destroy_r(h, pt);
        }
        if (p)
            GEOSPreparedGeom_destroy_r(h, p);
        if (g)
            GEOSGeom_destroy_r(h, g);
    }
    if (st == SG_OK)
        sg__plan_stats(w, pp, n, s);
    free(w);
    free(pp);
    return st;
}

/* The union of blocks \p v (m, borrowed) as a MultiPolygon (caller
 * owns), or NULL with the status in ctx. The blocks form a coverage
 * (neighbours share exactly the same vertices), so GEOS's coverage
 * union, which only drops the shared edges, gives the overlay union's
 * answer much faster; the overlay union is the fallback. */
static GEOSGeometry *coverage_union(sg_ctx *ctx, const GEOSGeometry **v,
                                    size_t m)
{
    GEOSContextHandle_t h = ctx->geom;
    GEOSGeometry **c = malloc((m ? m : 1) * sizeof *c);
    size_t k = 0;
    if (!c) {
        sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        return NULL;
    }
    while (k < m && (c[k] = GEOSGeom_clone_r(h, v[k])))
        k++;
    GEOSGeometry *coll =
        k == m ? GEOSGeom_createCollection_r(h, GEOS_GEOMETRYCOLLECTION, c,
                                             (unsigned)m)
               : NULL;
    if (!coll)
        for (size_t i = 0; i < k; i++)
            GEOSGeom_destroy_r(h, c[i]);
    free(c);
    GEOSGeometry *u = coll ? GEOSCoverageUnion_r(h, coll) : NULL;
    if (coll)
        GEOSGeom_destroy_r(h, coll);
    if (u && GEOSisValid_r(h, u) != 1) {
        GEOSGeom_destroy_r(h, u);
        u = NULL;
    }
    if (!u) {
        sg__log(ctx, SG_LOG_DEBUG, "coverage union failed; overlay union");
        u = sg__geom_union(ctx, v, m);
    }
    return sg__geom_polygonal(ctx, u, 0);
}

/* Dissolve the blocks of each part into grids[p] (caller frees);
 * island_parts from the block components each part spans. */
static sg_status dissolve(sg_ctx *ctx, const sg__plan_blocks *b,
                          const int32_t *part, int np, GEOSGeometry **grids,
                          sg__plan_cell *cells)
{
    const GEOSGeometry **v = malloc((b->n ? b->n : 1) * sizeof *v);
    int32_t *comps = malloc((b->n ? b->n : 1) * sizeof *comps);
    sg_status st =
        v && comps ? SG_OK : sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    for (int p = 0; st == SG_OK && p < np; p++) {
        size_t m = 0, nc = 0;
        for (size_t i = 0; i < b->n; i++) {
            if (part[i] != p)
                continue;
            v[m++] = b->faces[i];
            int seen = 0;
            for (size_t q = 0; q < nc && !seen; q++)
                seen = comps[q] == b->comp[i];
            if (!seen)
                comps[nc++] = b->comp[i];
        }
        cells[p].island_parts = nc > 1 ? (int)nc - 1 : 0;
        grids[p] = coverage_union(ctx, v, m);
        if (!grids[p])
            st = sg_ctx_status(ctx);
    }
    free(v);
    free(comps);
    return st;
}

/* The heaviest block: its weight and a point in it (for the note). */
static void heaviest_block(sg_ctx *ctx, const sg__plan_blocks *b, int residents,
                           double *w, double *x, double *y)
{
    const double *bw = residents ? b->w_res : b->w_hh;
    size_t best = 0;
    for (size_t i = 1; i < b->n; i++)
        if (bw[i] > bw[best])
            best = i;
    *w = b->n ? bw[best] : 0;
    *x = *y = 0;
    GEOSGeometry *pt =
        b->n ? GEOSPointOnSurface_r(ctx->geom, b->faces[best]) : NULL;
    if (pt) {
        GEOSGeomGetX_r(ctx->geom, pt, x);
        GEOSGeomGetY_r(ctx->geom, pt, y);
        GEOSGeom_destroy_r(ctx->geom, pt);
    }
}

/* Plan \p job into \p grids (np, caller frees) with households per grid
 * in \p cells, for N >= 2. */
static sg_status plan_parts(sg_ctx *ctx, const sg__plan_job *job,
                            const GEOSGeometry *unit, int residents,
                            GEOSGeometry **grids, sg__plan_cell *cells,
                            sg__plan_out *out, int32_t *hh_grid)
{
    int np = job->ngrids;
    sg__plan_blocks b;
    int32_t *part = NULL;
    sg_status st = sg__plan_blocks_build(
        ctx, unit, job, fmax(1.0, out->target * SPLIT_SHARE), &b);
    if (st)
        return st;
    out->blocks = (long long)b.n;
    out->voronoi_faces = b.voronoi_faces;
    out->noded_in_part = b.noded_in_part;
    out->islands = b.weak;
    size_t loaded = 0;
    for (size_t i = 0; i < b.n; i++)
        loaded += b.w_hh[i] > 0;
    if (loaded < (size_t)np) {
        st = sg__error(ctx, SG_ERR_INPUT,
                       "the households lie in %zu block%s (houses within "
                       "%.1f m of each other are not separated), fewer "
                       "than the %d grids asked for",
                       loaded, loaded == 1 ? "" : "s", job->clearance_m, np);
        goto done;
    }
    if (!(part = malloc(b.n * sizeof *part))) {
        st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        goto done;
    }
    memcpy(out->secs, b.secs, sizeof out->secs);
    st = sg__plan_partition(ctx, &b, np, residents, job->balance_bound, part,
                            out->note, sizeof out->note, out->secs);
    double t = sg__plan_now();
    if (st == SG_OK)
        st = dissolve(ctx, &b, part, np, grids, cells);
    out->secs[SG__PLAN_T_DISSOLVE] += sg__plan_now() - t;
    for (size_t k = 0; st == SG_OK && k < job->nhh; k++) {
        int32_t blk = b.hh_block[k];
        hh_grid[k] = blk < 0 ? -1 : part[blk];
        if (blk < 0)
            continue;
        cells[part[blk]].households++;
        cells[part[blk]].residents += llround(job->hres[k]);
    }
    double hw, hx, hy;
    heaviest_block(ctx, &b, residents, &hw, &hx, &hy);
    if (st == SG_OK && hw > job->balance_bound * out->target)
        snprintf(out->note, sizeof out->note,
                 "a block near (%.1f, %.1f) holds %.0f %s, more than %.2f x "
                 "the target of %.1f: its houses are within %.1f m of each "
                 "other (or at one point), so no boundary can pass between "
                 "them",
                 hx, hy, hw, residents ? "residents" : "households",
                 job->balance_bound, out->target, job->clearance_m);
done:
    free(part);
    sg__plan_blocks_cleanup(ctx, &b);
    return st;
}

/* Order the cells (and their geometries) west->east, north->south in
 * rows of height sqrt(unit area / N) from the unit's northern edge. */
static sg_status order_cells(sg_ctx *ctx, const GEOSGeometry *unit,
                             sg__plan_cell *cells, GEOSGeometry **grids,
                             size_t n)
{
    double area = 0, x0, y0, x1, y1;
    if (!GEOSArea_r(ctx->geom, unit, &area) ||
        !GEOSGeom_getExtent_r(ctx->geom, unit, &x0, &y0, &x1, &y1))
        return sg__geos_error(ctx, "extent of the unit");
    double row = sqrt(area / (double)n);
    order_key *k = malloc(n * sizeof *k);
    sg__plan_cell *c2 = malloc(n * sizeof *c2);
    GEOSGeometry **g2 = malloc(n * sizeof *g2);
    if (!k || !c2 || !g2) {
        free(k);
        free(c2);
        free(g2);
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    }
    for (size_t i = 0; i < n; i++)
        k[i] = (order_key){row > 0 ? (long)floor((y1 - cells[i].cy) / row) : 0,
                           cells[i].cx, cells[i].cy, i};
    qsort(k, n, sizeof *k, cmp_order);
    for (size_t i = 0; i < n; i++) {
        c2[i] = cells[k[i].i];
        g2[i] = grids[k[i].i];
    }
    memcpy(cells, c2, n * sizeof *cells);
    memcpy(grids, g2, n * sizeof *grids);
    free(k);
    free(c2);
    free(g2);
    return SG_OK;
}

/* See plan_int.h: one grid is the unit itself; more come from
 * plan_parts; then figures, clearance count, order and WKB. */
sg_status sg__plan_unit(sg_ctx *ctx, const sg__plan_job *job, sg__plan_out *out)
{
    GEOSContextHandle_t h = ctx->geom;
    memset(out, 0, sizeof *out);
    size_t np = (size_t)job->ngrids;
    GEOSGeometry *unit = unit_geometry(ctx, job->wkb, job->wkb_size);
    GEOSGeometry **grids = calloc(np ? np : 1, sizeof *grids);
    sg__plan_cell *cells = calloc(np ? np : 1, sizeof *cells);
    double *w = calloc(np ? np : 1, sizeof *w),
           *pp = calloc(np ? np : 1, sizeof *pp);
    int32_t *hh_grid = malloc((job->nhh ? job->nhh : 1) * sizeof *hh_grid);
    sg_status st = SG_OK;
    if (!unit) {
        st = sg_ctx_status(ctx);
        goto done;
    }
    if (!grids || !cells || !w || !pp || !hh_grid) {
        st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        goto done;
    }
    double res = 0;
    for (size_t k = 0; k < job->nhh; k++)
        res += job->hres[k];
    out->households = (long long)job->nhh;
    out->residents = llround(res);
    int residents = job->residents;
    if (residents && !(res > 0) && job->nhh) {
        residents = 0;
        snprintf(out->note, sizeof out->note,
                 "no resident population recorded: balanced households");
    }
    if (np < 1 || (np > 1 && job->nhh < np)) {
        st = sg__error(ctx, SG_ERR_INPUT,
                       "%zu household%s cannot fill %zu grids", job->nhh,
                       job->nhh == 1 ? "" : "s", np);
        goto done;
    }
    out->target = (residents ? res : (double)job->nhh) / (double)np;
    if (np == 1) {
        /* one grid: the unit itself */
        grids[0] = GEOSGeom_clone_r(h, unit);
        if (!grids[0]) {
            st = sg__geos_error(ctx, "copying the unit");
            goto done;
        }
        out->blocks = 1;
        cells[0].households = (long long)job->nhh;
        cells[0].residents = llround(res);
    } else if ((st = plan_parts(ctx, job, unit, residents, grids, cells, out,
                                hh_grid))) {
        goto done;
    }
    double t = sg__plan_now(), t1;
    for (size_t i = 0; st == SG_OK && i < np; i++)
        st = measure(ctx, grids[i], &cells[i]);
    t1 = sg__plan_now();
    out->secs[SG__PLAN_T_MEASURE] += t1 - t;
    if (st == SG_OK)
        st = count_near(ctx, job, grids, np, np > 1 ? hh_grid : NULL,
                        &out->near_boundary);
    t = sg__plan_now();
    out->secs[SG__PLAN_T_NEAR] += t - t1;
    if (st == SG_OK)
        st = order_cells(ctx, unit, cells, grids, np);
    for (size_t i = 0; st == SG_OK && i < np; i++) {
        size_t size = 0;
        unsigned char *wkb = sg__geom_to_wkb(ctx, grids[i], &size);
        cells[i].wkb = wkb ? malloc(size) : NULL;
        if (cells[i].wkb) {
            memcpy(cells[i].wkb, wkb, size);
            cells[i].wkb_size = size;
        }
        if (wkb)
            GEOSFree_r(h, wkb);
        if (!cells[i].wkb)
            st = wkb ? sg__error(ctx, SG_ERR_NOMEM, "out of memory")
                     : SG_ERR_GEOM;
        w[i] = residents ? (double)cells[i].residents
                         : (double)cells[i].households;
        pp[i] = cells[i].pp;
    }
    t1 = sg__plan_now();
    out->secs[SG__PLAN_T_MEASURE] += t1 - t;
    if (st == SG_OK) {
        sg__plan_stats(w, pp, np, &out->planned);
        st = measure_existing(ctx, job, &out->existing);
    }
    out->secs[SG__PLAN_T_EXISTING] += sg__plan_now() - t1;
    if (st == SG_OK) {
        out->cells = cells;
        out->ncells = np;
        cells = NULL;
    }
done:
    for (size_t i = 0; grids && i < np; i++)
        if (grids[i])
            GEOSGeom_destroy_r(h, grids[i]);
    for (size_t i = 0; cells && i < np; i++)
        free(cells[i].wkb);
    free(grids);
    free(cells);
    free(w);
    free(pp);
    free(hh_grid);
    if (unit)
        GEOSGeom_destroy_r(h, unit);
    return st;
}

/* NULL is a no-op. */
void sg__plan_out_cleanup(sg__plan_out *out)
{
    if (!out)
        return;
    for (size_t i = 0; i < out->ncells; i++)
        free(out->cells[i].wkb);
    free(out->cells);
    memset(out, 0, sizeof *out);
}
