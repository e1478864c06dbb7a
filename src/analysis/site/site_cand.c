/* Candidate sites and their coverage sets for the siting analysis.
 *
 * Candidates: points along every road row every --spacing metres from
 * its start (k = 0, 1, ...; the last one at the road's end, so a road of
 * length L gives ceil(L / spacing) + 1 points; id "road:<road_id>:<k>"),
 * household locations ("hh:<household_id>"), or the rows of a point
 * layer (their id column). Only those inside the --division, if any.
 * They are numbered in that order (roads and layer rows in fid order),
 * and "the lowest candidate" of every tie rule means the first one.
 *
 * Coverage sets, with the distances of the coverage analysis:
 *  - straight line: a uniform grid over the demand households (cell =
 *    radius), so each candidate looks at 3 x 3 cells: O(C + D) overall
 *    for C candidates and D households of bounded density.
 *  - along roads: the candidate is placed on its nearest road edge
 *    within max-snap, exactly as an existing point would be, and one
 *    Dijkstra search runs from it, cut off at the radius; a household
 *    snapped to edge (a, b) at t with snap distance s is at
 *    s + t * len + dist(a), s + (1 - t) * len + dist(b), or (on the
 *    candidate's own edge) s + |t - t_c| * len + s_c: the same sums, in
 *    the same order, as the multi-source pass of the coverage analysis
 *    (src/net/paths.c). Cost: C searches of the nodes within the radius,
 *    O(C * n_r log n_r) with n_r the nodes in a radius-disc of road.
 * Not for: choosing among candidates (site_inst.c, site_greedy.c,
 * site_glpk.c), SQL (src/store).
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/site/site_int.h"
#include "core/heap_int.h"
#include "geom/csr_int.h"
#include "store/bulk_int.h"
#include "store/site_sql_int.h"

/* ---- candidates ------------------------------------------------------------
 */

/* Append candidate (\p x, \p y) named \p id if it lies in the run's area.
 * \return SG_OK or SG_ERR_NOMEM. */
static sg_status add_candidate(sg__site_run *R, double x, double y,
                               const char *id)
{
    if (R->area >= 0 && !sg__units_contains(&R->units, (size_t)R->area, x, y))
        return SG_OK;
    if ((double)R->nc >= R->max_cand)
        return sg__error(
            R->ctx, SG_ERR_INPUT,
            "more than %.0f candidate sites (limits.site_candidates):"
            " use a larger --spacing, a --division, or raise "
            "the limit with `sanigrid config DB set "
            "limits.site_candidates N`",
            R->max_cand);
    if (R->nc == R->cap_c) {
        size_t cap = R->cap_c ? R->cap_c * 2 : 1024;
        double *xy = realloc(R->cxy, cap * 2 * sizeof *xy);
        if (xy)
            R->cxy = xy;
        size_t *ids = realloc(R->cid, cap * sizeof *ids);
        if (ids)
            R->cid = ids;
        if (!xy || !ids)
            return sg__error(R->ctx, SG_ERR_NOMEM, "out of memory");
        R->cap_c = cap;
    }
    size_t off = sg__arena_add(&R->ctext, id);
    if (off == (size_t)-1)
        return sg__error(R->ctx, SG_ERR_NOMEM, "out of memory");
    R->cxy[2 * R->nc] = x;
    R->cxy[2 * R->nc + 1] = y;
    R->cid[R->nc] = off;
    R->nc++;
    return SG_OK;
}

/* Candidates every spacing metres along part \p p of the roads, counting
 * on from *k (the road row's running number). */
static sg_status road_part(sg__site_run *R, size_t p, long long *k)
{
    const sg__lineset *L = &R->roads;
    const double *xy = L->xy;
    size_t a = L->start[p], b = L->start[p + 1];
    double len = 0, sp = R->o->spacing;
    for (size_t i = a; i + 1 < b; i++)
        len += hypot(xy[2 * i + 2] - xy[2 * i], xy[2 * i + 3] - xy[2 * i + 1]);
    long long n = (long long)ceil(len / sp - 1e-9);
    if (n < 0)
        n = 0;
    const char *rid = R->road_text.buf + R->road_id[L->owner[p]];
    char id[256];
    size_t seg = a;
    double cum = 0; /* length before vertex seg */
    for (long long q = 0; q <= n; q++) {
        double s = (double)q * sp, x, y;
        if (q == 0) {
            x = xy[2 * a];
            y = xy[2 * a + 1];
        } else if (q == n || s >= len) {
            x = xy[2 * (b - 1)];
            y = xy[2 * (b - 1) + 1];
        } else {
            double sl = 0;
            while (seg + 2 < b) {
                sl = hypot(xy[2 * seg + 2] - xy[2 * seg],
                           xy[2 * seg + 3] - xy[2 * seg + 1]);
                if (cum + sl >= s)
                    break;
                cum += sl;
                seg++;
            }
            sl = hypot(xy[2 * seg + 2] - xy[2 * seg],
                       xy[2 * seg + 3] - xy[2 * seg + 1]);
            double f = sl > 0 ? (s - cum) / sl : 0;
            f = f < 0 ? 0 : f > 1 ? 1 : f;
            x = xy[2 * seg] + f * (xy[2 * seg + 2] - xy[2 * seg]);
            y = xy[2 * seg + 1] + f * (xy[2 * seg + 3] - xy[2 * seg + 1]);
        }
        snprintf(id, sizeof id, "road:%s:%lld", rid, *k);
        (*k)++;
        sg_status st = add_candidate(R, x, y, id);
        if (st)
            return st;
    }
    return SG_OK;
}

/* Refuse before any work when --spacing would place far too many
 * candidates along the roads: all of them without a --division, 100
 * times the limit with one (most may lie outside it, but generating and
 * testing them would still run for hours). */
static sg_status check_road_count(sg__site_run *R)
{
    const sg__lineset *L = &R->roads;
    double sp = R->o->spacing, total = 0, n = 0;
    for (size_t p = 0; p < L->nparts; p++) {
        double len = 0;
        for (size_t i = L->start[p]; i + 1 < L->start[p + 1]; i++)
            len += hypot(L->xy[2 * i + 2] - L->xy[2 * i],
                         L->xy[2 * i + 3] - L->xy[2 * i + 1]);
        total += len;
        n += ceil(len / sp - 1e-9) + 1;
    }
    double most = R->area >= 0 ? 100 * R->max_cand : R->max_cand;
    if (n > most)
        return sg__error(R->ctx, SG_ERR_INPUT,
                         "--spacing %g m would place %.0f candidate sites "
                         "along %.1f km of roads, above limits.site_candidates "
                         "(%.0f%s): use --spacing %.0f or more%s, or raise the "
                         "limit with `sanigrid config DB set "
                         "limits.site_candidates N`",
                         sp, n, total / 1000, most,
                         R->area >= 0 ? " x 100 before the --division" : "",
                         ceil(total / most) + 1,
                         R->area >= 0 ? "" : ", a --division");
    return SG_OK;
}

/* Road candidates: every part of every road row, in row order. */
static sg_status road_candidates(sg__site_run *R)
{
    const sg__lineset *L = &R->roads;
    long long k = 0;
    sg_status cst = check_road_count(R);
    if (cst)
        return cst;
    int32_t owner = -1;
    for (size_t p = 0; p < L->nparts; p++) {
        if (L->owner[p] != owner) {
            owner = L->owner[p];
            k = 0;
        }
        sg_status st = road_part(R, p, &k);
        if (st)
            return st;
    }
    return SG_OK;
}

/* What the layer scan callback needs. */
typedef struct layer_scan {
    sg__site_run *R;
} layer_scan;

/* sg__store_scan_points callback for a candidate layer: id, point. */
static sg_status layer_row(sg__row *row, int has_point, double x, double y,
                           void *user)
{
    layer_scan *ls = user;
    if (!has_point) {
        ls->R->cand_skipped++;
        return SG_OK;
    }
    const char *id = sg__row_text(row, 0);
    return add_candidate(ls->R, x, y, id ? id : "");
}

/* Place every candidate on its nearest road edge within max-snap. */
static sg_status place_candidates(sg__site_run *R)
{
    R->csnap = malloc((R->nc + 1) * sizeof *R->csnap);
    R->con = calloc(R->nc + 1, 1);
    if (!R->csnap || !R->con)
        return sg__error(R->ctx, SG_ERR_NOMEM, "out of memory");
    for (size_t c = 0; R->network && c < R->nc; c++)
        R->con[c] = (unsigned char)sg__graph_snap(R->g, R->cxy[2 * c],
                                                  R->cxy[2 * c + 1],
                                                  R->o->max_snap, &R->csnap[c]);
    return SG_OK;
}

sg_status sg__site_candidates(sg__site_run *R)
{
    const char *src = R->o->candidates;
    sg_status st = SG_OK;
    if (strcmp(src, "roads") == 0) {
        if (R->roads.nparts == 0)
            return sg__error(R->ctx, SG_ERR_INPUT,
                             "store %s has no roads to place candidates "
                             "along; import roads or use --candidates "
                             "households",
                             sg_store_path(R->store));
        st = road_candidates(R);
    } else if (strcmp(src, "households") == 0) {
        char id[300];
        for (size_t i = 0; st == SG_OK && i < R->hh.n; i++) {
            snprintf(id, sizeof id, "hh:%s", R->hh.text.buf + R->hh.id[i]);
            st = add_candidate(R, R->hh.xy[2 * i], R->hh.xy[2 * i + 1], id);
        }
    } else {
        char idcol[64];
        layer_scan ls = {R};
        st = sg__site_candidate_layer(R->ctx, R->store, src, idcol,
                                      sizeof idcol);
        const char *cols[1] = {idcol};
        if (st == SG_OK)
            st = sg__store_scan_points(R->ctx, R->store, src, cols, 1, NULL,
                                       NULL, layer_row, &ls);
        if (st == SG_OK && R->cand_skipped)
            sg__log(R->ctx, SG_LOG_WARN,
                    "%lld rows of %s without a point were left out",
                    R->cand_skipped, src);
    }
    if (st == SG_OK)
        st = place_candidates(R);
    return st;
}

/* ---- coverage sets
 * -----------------------------------------------------------
 */

/* A growable CSR under construction: sets appended one after another. */
typedef struct csr {
    size_t *off; /* n + 1 once finished */
    uint32_t *v;
    size_t nv, cap;
} csr;

/* Append \p n items of \p v as the next set (set \p i). \return 1, or 0
 * when out of memory. */
static int csr_push(csr *s, size_t i, const uint32_t *v, size_t n)
{
    if (s->nv + n > s->cap) {
        size_t cap = s->cap ? s->cap : 4096;
        while (cap < s->nv + n)
            cap *= 2;
        uint32_t *nvv = realloc(s->v, cap * sizeof *nvv);
        if (!nvv)
            return 0;
        s->v = nvv;
        s->cap = cap;
    }
    if (n)
        memcpy(s->v + s->nv, v, n * sizeof *v);
    s->nv += n;
    s->off[i + 1] = s->nv;
    return 1;
}

/* Order uint32 ascending. */
static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* Straight-line coverage sets: a grid over the demand. */
static sg_status sets_euclid(sg__site_run *R, csr *out)
{
    sg_ctx *ctx = R->ctx;
    size_t nd = R->nd;
    double lim = R->radius + SG_SITE_COVER_TOL_M;
    double *boxes = malloc((nd + 1) * 4 * sizeof *boxes);
    uint32_t *buf = NULL;
    size_t bcap = 0;
    sg__cells g = {0};
    sg_status st = SG_OK;
    if (!boxes)
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < nd; i++) {
        const double *p = R->hh.xy + 2 * (size_t)R->dem[i];
        boxes[4 * i] = boxes[4 * i + 2] = p[0];
        boxes[4 * i + 1] = boxes[4 * i + 3] = p[1];
    }
    if ((st = sg__cells_build(ctx, &g, boxes, nd, fmax(R->radius, 1.0))))
        goto done;
    for (size_t c = 0; c < R->nc; c++) {
        double x = R->cxy[2 * c], y = R->cxy[2 * c + 1];
        int c0 = sg__cells_col(&g, x - lim), c1 = sg__cells_col(&g, x + lim);
        int r0 = sg__cells_row(&g, y - lim), r1 = sg__cells_row(&g, y + lim);
        c0 = c0 < 0 ? 0 : c0;
        r0 = r0 < 0 ? 0 : r0;
        c1 = c1 >= g.nx ? g.nx - 1 : c1;
        r1 = r1 >= g.ny ? g.ny - 1 : r1;
        size_t n = 0;
        for (int r = r0; nd && r <= r1; r++)
            for (int q = c0; q <= c1; q++) {
                size_t k = (size_t)r * (size_t)g.nx + (size_t)q;
                for (uint32_t a = g.off[k]; a < g.off[k + 1]; a++) {
                    uint32_t i = g.items[a];
                    const double *p = R->hh.xy + 2 * (size_t)R->dem[i];
                    double dx = x - p[0], dy = y - p[1];
                    if (sqrt(dx * dx + dy * dy) > lim)
                        continue;
                    if (n == bcap) {
                        size_t cap = bcap ? bcap * 2 : 256;
                        uint32_t *nb = realloc(buf, cap * sizeof *nb);
                        if (!nb) {
                            st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
                            goto done;
                        }
                        buf = nb;
                        bcap = cap;
                    }
                    buf[n++] = i;
                }
            }
        if (n)
            qsort(buf, n, sizeof *buf, cmp_u32);
        if (!csr_push(out, c, buf, n)) {
            st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
            goto done;
        }
        if ((c & 0xfff) == 0xfff &&
            (st =
                 sg__progress(ctx, (double)c / (double)R->nc, "coverage sets")))
            goto done;
    }
done:
    free(boxes);
    free(buf);
    sg__cells_cleanup(&g);
    return st;
}

/* State of the bounded searches along roads (reused per candidate). */
typedef struct net_search {
    const sg__graph *g;
    size_t *inc_off; /* node -> incident road edges (CSR) */
    uint32_t *inc;
    size_t *e_off; /* road edge -> demand households on it */
    uint32_t *e_dem;
    double *dist;      /* per node; INFINITY when not reached */
    uint32_t *touched; /* nodes given a distance this search */
    size_t ntouched;
    uint32_t *estamp; /* per road edge: last candidate + 1 that looked */
    sg__heap heap;    /* the search's (distance, node) entries */
    uint32_t *buf;    /* the set being built */
    size_t nbuf, cbuf;
} net_search;

/* Free the search state. */
static void net_search_cleanup(net_search *s)
{
    free(s->inc_off);
    free(s->inc);
    free(s->e_off);
    free(s->e_dem);
    free(s->dist);
    free(s->touched);
    free(s->estamp);
    sg__heap_free(&s->heap);
    free(s->buf);
    memset(s, 0, sizeof *s);
}

/* Offer distance \p d to node \p v (kept if shorter and within \p lim).
 * \return 1, or 0 when out of memory. */
static int offer(net_search *s, uint32_t v, double d, double lim)
{
    if (!(d <= lim) || !(d < s->dist[v]))
        return 1;
    if (s->dist[v] == INFINITY)
        s->touched[s->ntouched++] = v;
    s->dist[v] = d;
    return sg__heap_push(&s->heap, (sg__heap_ent){d, 0, v});
}

/* Add demand household \p i to the set being built. \return 1, or 0
 * when out of memory. */
static int buf_add(net_search *s, uint32_t i)
{
    if (s->nbuf == s->cbuf) {
        size_t cap = s->cbuf ? s->cbuf * 2 : 256;
        uint32_t *b = realloc(s->buf, cap * sizeof *b);
        if (!b)
            return 0;
        s->buf = b;
        s->cbuf = cap;
    }
    s->buf[s->nbuf++] = i;
    return 1;
}

/* The demand households on road edge \p f within the radius of the
 * candidate at \p at (its search done), added to the set. \return 1, or
 * 0 when out of memory. */
static int scan_edge(const sg__site_run *R, net_search *s, uint32_t f,
                     const sg__snap *at, double lim)
{
    const sg__graph *g = s->g;
    uint32_t a = g->ea[f], b = g->eb[f];
    double len = g->elen[f];
    for (size_t k = s->e_off[f]; k < s->e_off[f + 1]; k++) {
        uint32_t i = s->e_dem[k];
        const sg__snap *h = R->hsnap + R->dem[i];
        double best = INFINITY, d;
        if (s->dist[a] < INFINITY) {
            d = h->d + h->t * len + s->dist[a];
            best = fmin(best, d);
        }
        if (s->dist[b] < INFINITY) {
            d = h->d + (1 - h->t) * len + s->dist[b];
            best = fmin(best, d);
        }
        if (f == at->edge) {
            d = h->d + fabs(h->t - at->t) * len + at->d;
            best = fmin(best, d);
        }
        if (best <= lim && !buf_add(s, i))
            return 0;
    }
    return 1;
}

/* The coverage set of candidate \p c along roads into s->buf. \return 1,
 * or 0 when out of memory. */
static int search_one(const sg__site_run *R, net_search *s, uint32_t c,
                      double lim)
{
    const sg__graph *g = s->g;
    const sg__snap *at = R->csnap + c;
    uint32_t e = at->edge;
    double len = g->elen[e];
    s->nbuf = 0;
    s->heap.n = 0;
    if (!offer(s, g->ea[e], at->d + at->t * len, lim) ||
        !offer(s, g->eb[e], at->d + (1 - at->t) * len, lim))
        return 0;
    while (s->heap.n) {
        sg__heap_ent h = sg__heap_pop(&s->heap);
        if (h.d > s->dist[h.node])
            continue; /* superseded */
        for (size_t a = g->off[h.node]; a < g->off[h.node + 1]; a++)
            if (!offer(s, g->adj[a], h.d + g->adj_w[a], lim))
                return 0;
    }
    uint32_t stamp = c + 1;
    s->estamp[e] = stamp;
    int ok = scan_edge(R, s, e, at, lim);
    for (size_t t = 0; ok && t < s->ntouched; t++) {
        uint32_t v = s->touched[t];
        for (size_t k = s->inc_off[v]; ok && k < s->inc_off[v + 1]; k++) {
            uint32_t f = s->inc[k];
            if (s->estamp[f] == stamp)
                continue;
            s->estamp[f] = stamp;
            ok = scan_edge(R, s, f, at, lim);
        }
    }
    for (size_t t = 0; t < s->ntouched; t++)
        s->dist[s->touched[t]] = INFINITY;
    s->ntouched = 0;
    if (ok && s->nbuf)
        qsort(s->buf, s->nbuf, sizeof *s->buf, cmp_u32);
    return ok;
}

/* sg__csr_end_fn over the road graph's edges (user: the sg__graph). */
static uint32_t road_end(size_t e, int side, const void *user)
{
    const sg__graph *g = user;
    return side ? g->eb[e] : g->ea[e];
}

/* Incidence (node -> road edges) and demand-by-edge lists. */
static sg_status net_search_init(sg__site_run *R, net_search *s)
{
    const sg__graph *g = R->g;
    size_t nn = g->nnodes, ne = g->nroad_edges;
    memset(s, 0, sizeof *s);
    s->g = g;
    /* the road pieces at each node; s->inc holds half-edges until
     * turned into pieces */
    if (sg__csr_build(R->ctx, nn, ne, road_end, g, &s->inc_off, &s->inc))
        return SG_ERR_NOMEM;
    for (size_t a = 0; a < 2 * ne; a++)
        s->inc[a] /= 2;
    s->e_off = calloc(ne + 2, sizeof *s->e_off);
    s->e_dem = malloc((R->nd + 1) * sizeof *s->e_dem);
    s->dist = malloc((nn + 1) * sizeof *s->dist);
    s->touched = malloc((nn + 1) * sizeof *s->touched);
    s->estamp = calloc(ne + 1, sizeof *s->estamp);
    if (!s->e_off || !s->e_dem || !s->dist || !s->touched || !s->estamp)
        return sg__error(R->ctx, SG_ERR_NOMEM, "out of memory");
    for (size_t v = 0; v < nn; v++)
        s->dist[v] = INFINITY;
    for (size_t i = 0; i < R->nd; i++)
        s->e_off[R->hsnap[R->dem[i]].edge + 1]++;
    for (size_t e = 0; e < ne; e++)
        s->e_off[e + 1] += s->e_off[e];
    for (size_t i = 0; i < R->nd; i++)
        s->e_dem[s->e_off[R->hsnap[R->dem[i]].edge]++] = (uint32_t)i;
    memmove(s->e_off + 1, s->e_off, ne * sizeof *s->e_off);
    s->e_off[0] = 0;
    return SG_OK;
}

/* Coverage sets along roads: one bounded search per placed candidate. */
static sg_status sets_network(sg__site_run *R, csr *out)
{
    net_search s;
    double lim = R->radius + SG_SITE_COVER_TOL_M;
    sg_status st = net_search_init(R, &s);
    for (size_t c = 0; st == SG_OK && c < R->nc; c++) {
        s.nbuf = 0;
        if (R->con[c] && R->nd && !search_one(R, &s, (uint32_t)c, lim)) {
            st = sg__error(R->ctx, SG_ERR_NOMEM, "out of memory");
            break;
        }
        if (!csr_push(out, c, s.buf, s.nbuf))
            st = sg__error(R->ctx, SG_ERR_NOMEM, "out of memory");
        if (st == SG_OK && (c & 0x3ff) == 0x3ff)
            st = sg__progress(R->ctx, (double)c / (double)R->nc,
                              "coverage sets");
    }
    net_search_cleanup(&s);
    return st;
}

sg_status sg__site_cover_sets(sg__site_run *R)
{
    csr out = {0};
    out.off = calloc(R->nc + 2, sizeof *out.off);
    if (!out.off)
        return sg__error(R->ctx, SG_ERR_NOMEM, "out of memory");
    sg_status st = R->network ? sets_network(R, &out) : sets_euclid(R, &out);
    if (st) {
        free(out.off);
        free(out.v);
        return st;
    }
    R->cs_off = out.off;
    R->cs = out.v ? out.v : malloc(sizeof *R->cs);
    if (!R->cs)
        return sg__error(R->ctx, SG_ERR_NOMEM, "out of memory");
    return sg__progress(R->ctx, 1.0, "coverage sets");
}

void sg__site_run_cleanup(sg__site_run *R)
{
    if (!R)
        return;
    sg__featset *sets[2] = {&R->pts, &R->hh};
    for (int i = 0; i < 2; i++) {
        free(sets[i]->xy);
        free(sets[i]->id);
        free(sets[i]->res);
        sg__arena_cleanup(&sets[i]->text);
    }
    sg__units_cleanup(&R->units);
    free(R->in_area);
    sg__lineset_cleanup(&R->roads);
    sg__arena_cleanup(&R->road_text);
    free(R->road_id);
    sg__graph_free(R->g);
    sg__paths_cleanup(&R->paths);
    free(R->hsnap);
    free(R->hflag);
    free(R->dem);
    free(R->cxy);
    free(R->cid);
    sg__arena_cleanup(&R->ctext);
    free(R->csnap);
    free(R->con);
    free(R->cs_off);
    free(R->cs);
    memset(R, 0, sizeof *R);
}
