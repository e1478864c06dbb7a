/* Routing along the road network: the distance matrix between stops and
 * the line of each leg, on the graph that coverage uses (src/net/). A stop
 * meets the road at its nearest edge (the straight connection counts, as
 * in coverage); Dijkstra (binary heap, lazy deletion) from there, keeping
 * each node's predecessor so that a leg can be drawn.
 * Not for: SQL (src/store/route_sql.c), the solver (vrp.c).
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/route/route_int.h"

typedef struct hnode {
    double d;
    uint32_t v;
} hnode;

typedef struct heap {
    hnode *a;
    size_t n, cap;
} heap;

static int heap_push(heap *h, double d, uint32_t v)
{
    if (h->n == h->cap) {
        size_t c = h->cap ? 2 * h->cap : 256;
        hnode *a = realloc(h->a, c * sizeof *a);
        if (!a)
            return 0;
        h->a = a;
        h->cap = c;
    }
    size_t i = h->n++;
    while (i) {
        size_t p = (i - 1) / 2;
        if (h->a[p].d <= d)
            break;
        h->a[i] = h->a[p];
        i = p;
    }
    h->a[i] = (hnode){d, v};
    return 1;
}

static hnode heap_pop(heap *h)
{
    hnode top = h->a[0], last = h->a[--h->n];
    size_t i = 0;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= h->n)
            break;
        if (c + 1 < h->n && h->a[c + 1].d < h->a[c].d)
            c++;
        if (h->a[c].d >= last.d)
            break;
        h->a[i] = h->a[c];
        i = c;
    }
    if (h->n)
        h->a[i] = last;
    return top;
}

/* Shortest paths from a point snapped at s; pred[v] = previous node, or
 * UINT32_MAX when v was entered from the snap. */
static sg_status tree(sg_ctx *ctx, const sg__graph *g, const sg__snap *s,
                      double *dist, uint32_t *pred, heap *h)
{
    for (size_t v = 0; v < g->nnodes; v++) {
        dist[v] = INFINITY;
        pred[v] = UINT32_MAX;
    }
    h->n = 0;
    uint32_t a = g->ea[s->edge], b = g->eb[s->edge];
    double len = g->elen[s->edge];
    dist[a] = s->d + s->t * len;
    dist[b] = fmin(dist[b], s->d + (1 - s->t) * len);
    if (!heap_push(h, dist[a], a) || !heap_push(h, dist[b], b))
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    while (h->n) {
        hnode t = heap_pop(h);
        if (t.d > dist[t.v])
            continue;
        for (size_t k = g->off[t.v]; k < g->off[t.v + 1]; k++) {
            uint32_t u = g->adj[k];
            double nd = t.d + g->adj_w[k];
            if (nd < dist[u]) {
                dist[u] = nd;
                pred[u] = t.v;
                if (!heap_push(h, nd, u))
                    return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
            }
        }
    }
    return SG_OK;
}

/* Distance from the tree's source to a point snapped at t; *via gets the
 * end node used (UINT32_MAX: along the shared edge directly). */
static double reach(const sg__graph *g, const sg__snap *s, const double *dist,
                    const sg__snap *t, uint32_t *via)
{
    double len = g->elen[t->edge];
    uint32_t a = g->ea[t->edge], b = g->eb[t->edge];
    double da = dist[a] + t->t * len, db = dist[b] + (1 - t->t) * len;
    double best = da;
    *via = a;
    if (db < best) {
        best = db;
        *via = b;
    }
    if (s->edge == t->edge) {
        double direct = s->d + fabs(s->t - t->t) * len;
        if (direct <= best) {
            best = direct;
            *via = UINT32_MAX;
        }
    }
    return best + t->d;
}

sg_status sg__route_matrix(sg_ctx *ctx, const sg__graph *g, const double *xy,
                           int n, double max_snap, double *dist)
{
    sg_status st = SG_OK;
    heap h = {0};
    sg__snap *sn = malloc((size_t)(n > 0 ? n : 1) * sizeof *sn);
    char *ok = calloc((size_t)(n > 0 ? n : 1), 1);
    double *nd = malloc((g->nnodes ? g->nnodes : 1) * sizeof *nd);
    uint32_t *pred = malloc((g->nnodes ? g->nnodes : 1) * sizeof *pred);
    if (!sn || !ok || !nd || !pred) {
        st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        goto done;
    }
    for (int i = 0; i < n; i++)
        ok[i] =
            (char)sg__graph_snap(g, xy[2 * i], xy[2 * i + 1], max_snap, &sn[i]);
    for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++)
            dist[(size_t)i * (size_t)n + (size_t)j] = i == j ? 0 : INFINITY;
        if (!ok[i])
            continue;
        if ((st = tree(ctx, g, &sn[i], nd, pred, &h)))
            goto done;
        for (int j = 0; j < n; j++) {
            uint32_t via;
            if (j != i && ok[j])
                dist[(size_t)i * (size_t)n + (size_t)j] =
                    reach(g, &sn[i], nd, &sn[j], &via);
        }
        if ((st = sg__progress(ctx, (double)(i + 1) / n, "distances")))
            goto done;
    }
done:
    free(h.a);
    free(sn);
    free(ok);
    free(nd);
    free(pred);
    return st;
}

static int push_pt(double **c, size_t *n, size_t *cap, double x, double y)
{
    if (*n && (*c)[2 * *n - 2] == x && (*c)[2 * *n - 1] == y)
        return 1; /* no repeated vertex */
    if (*n == *cap) {
        size_t k = *cap ? 2 * *cap : 64;
        double *p = realloc(*c, 2 * k * sizeof *p);
        if (!p)
            return 0;
        *c = p;
        *cap = k;
    }
    (*c)[2 * *n] = x;
    (*c)[2 * *n + 1] = y;
    (*n)++;
    return 1;
}

sg_status sg__route_leg_line(sg_ctx *ctx, const sg__graph *g, double x1,
                             double y1, double x2, double y2, double max_snap,
                             double **coords, size_t *npts, double *len)
{
    *coords = NULL;
    *npts = 0;
    *len = INFINITY;
    sg__snap s, t;
    if (!sg__graph_snap(g, x1, y1, max_snap, &s) ||
        !sg__graph_snap(g, x2, y2, max_snap, &t))
        return sg__error(ctx, SG_ERR_NOT_FOUND, "no road within %g m",
                         max_snap);
    sg_status st = SG_OK;
    heap h = {0};
    double *nd = malloc((g->nnodes ? g->nnodes : 1) * sizeof *nd);
    uint32_t *pred = malloc((g->nnodes ? g->nnodes : 1) * sizeof *pred);
    uint32_t *path = NULL;
    double *c = NULL;
    size_t n = 0, cap = 0;
    if (!nd || !pred) {
        st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        goto done;
    }
    if ((st = tree(ctx, g, &s, nd, pred, &h)))
        goto done;
    uint32_t via;
    double total = reach(g, &s, nd, &t, &via);
    if (!isfinite(total)) {
        st = sg__error(ctx, SG_ERR_NOT_FOUND, "no road path");
        goto done;
    }
    uint32_t sa = g->ea[s.edge], sb = g->eb[s.edge];
    uint32_t ta = g->ea[t.edge], tb = g->eb[t.edge];
    double sx = g->x[sa] + s.t * (g->x[sb] - g->x[sa]);
    double sy = g->y[sa] + s.t * (g->y[sb] - g->y[sa]);
    double tx = g->x[ta] + t.t * (g->x[tb] - g->x[ta]);
    double ty = g->y[ta] + t.t * (g->y[tb] - g->y[ta]);
    int okp = push_pt(&c, &n, &cap, x1, y1) && push_pt(&c, &n, &cap, sx, sy);
    if (via != UINT32_MAX) {
        size_t m = 0;
        for (uint32_t v = via; v != UINT32_MAX; v = pred[v])
            m++;
        path = malloc(m * sizeof *path);
        if (!path) {
            st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
            goto done;
        }
        size_t k = m;
        for (uint32_t v = via; v != UINT32_MAX; v = pred[v])
            path[--k] = v;
        for (k = 0; k < m && okp; k++)
            okp = push_pt(&c, &n, &cap, g->x[path[k]], g->y[path[k]]);
    }
    okp = okp && push_pt(&c, &n, &cap, tx, ty) && push_pt(&c, &n, &cap, x2, y2);
    if (!okp) {
        st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        goto done;
    }
    if (n == 1) { /* the same place: a line needs two vertices (cap >= 64) */
        c[2] = c[0];
        c[3] = c[1];
        n = 2;
    }
    *coords = c;
    *npts = n;
    *len = total;
    c = NULL;
done:
    free(h.a);
    free(nd);
    free(pred);
    free(path);
    free(c);
    return st;
}
