/* Multi-source shortest paths over the road graph: one Dijkstra pass
 * (binary heap, lazy deletion) from every sanitation point at once gives
 * each node the network distance to its nearest point and that point's
 * label. A household then needs no search of its own: its distance is
 * the best of its edge's two ends (plus the along-edge part) and of the
 * points on its own edge (reached directly along the edge).
 * Not for: building the graph (graph.c), choosing sources (coverage).
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/heap_int.h"
#include "net/net_int.h"

/* Offer (d, lab) to node v: keep it if it beats the node's current
 * pair. \return 1, or 0 when out of memory. */
static int relax(sg__paths *p, sg__heap *h, uint32_t v, double d, int32_t lab)
{
    if (d < p->dist[v] || (d == p->dist[v] && lab < p->label[v])) {
        p->dist[v] = d;
        p->label[v] = lab;
        return sg__heap_push(h, (sg__heap_ent){d, lab, v});
    }
    return 1;
}

/* Order sources by edge, then label. */
static int cmp_source(const void *a, const void *b)
{
    const sg__source *p = a, *q = b;
    if (p->at.edge != q->at.edge)
        return p->at.edge < q->at.edge ? -1 : 1;
    return p->label < q->label ? -1 : p->label > q->label;
}

sg_status sg__paths_run(sg_ctx *ctx, const sg__graph *g, const sg__source *src,
                        size_t n, sg__paths *out)
{
    memset(out, 0, sizeof *out);
    out->g = g;
    size_t nn = g->nnodes ? g->nnodes : 1;
    sg__heap h = {0};
    sg_status st = SG_OK;
    out->dist = malloc(nn * sizeof *out->dist);
    out->label = malloc(nn * sizeof *out->label);
    out->src_off = calloc(g->nroad_edges + 2, sizeof *out->src_off);
    out->src = malloc((n ? n : 1) * sizeof *out->src);
    if (!out->dist || !out->label || !out->src_off || !out->src)
        goto nomem;
    for (size_t v = 0; v < g->nnodes; v++) {
        out->dist[v] = INFINITY;
        out->label[v] = -1;
    }
    if (n)
        memcpy(out->src, src, n * sizeof *src);
    qsort(out->src, n, sizeof *out->src, cmp_source);
    for (size_t i = 0; i < n; i++)
        out->src_off[out->src[i].at.edge + 1]++;
    for (size_t e = 0; e < g->nroad_edges; e++)
        out->src_off[e + 1] += out->src_off[e];
    for (size_t i = 0; i < n; i++) {
        const sg__source *s = out->src + i;
        uint32_t e = s->at.edge;
        double len = g->elen[e];
        if (!relax(out, &h, g->ea[e], s->at.d + s->at.t * len, s->label) ||
            !relax(out, &h, g->eb[e], s->at.d + (1 - s->at.t) * len, s->label))
            goto nomem;
    }
    size_t settled = 0;
    while (h.n) {
        sg__heap_ent e = sg__heap_pop(&h);
        if (e.d != out->dist[e.node] || e.lab != out->label[e.node])
            continue; /* superseded */
        for (size_t a = g->off[e.node]; a < g->off[e.node + 1]; a++)
            if (!relax(out, &h, g->adj[a], e.d + g->adj_w[a], e.lab))
                goto nomem;
        if (++settled % 65536 == 0 &&
            (st = sg__progress(ctx, (double)settled / (double)nn,
                               "shortest paths")))
            goto fail;
    }
    sg__heap_free(&h);
    return sg__progress(ctx, 1.0, "shortest paths");
nomem:
    st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
fail:
    sg__heap_free(&h);
    sg__paths_cleanup(out);
    return st;
}

void sg__paths_cleanup(sg__paths *p)
{
    if (!p)
        return;
    free(p->dist);
    free(p->label);
    free(p->src_off);
    free(p->src);
    memset(p, 0, sizeof *p);
}

/* Take candidate (d, lab) if it beats (*best, *bl): shorter by more
 * than the tie tolerance, or tied and with a smaller label. */
static void take(double d, int32_t lab, double *best, int32_t *bl)
{
    if (lab < 0 || !isfinite(d))
        return;
    if (*bl < 0 || d < *best - SG_NET_TIE_M ||
        (d <= *best + SG_NET_TIE_M && lab < *bl)) {
        *best = d;
        *bl = lab;
    }
}

int sg__paths_nearest(const sg__paths *p, const sg__snap *at, double *dist,
                      int32_t *label)
{
    const sg__graph *g = p->g;
    uint32_t e = at->edge, a = g->ea[e], b = g->eb[e];
    double len = g->elen[e], best = INFINITY;
    int32_t bl = -1;
    take(at->d + at->t * len + p->dist[a], p->label[a], &best, &bl);
    take(at->d + (1 - at->t) * len + p->dist[b], p->label[b], &best, &bl);
    for (uint32_t i = p->src_off[e]; i < p->src_off[e + 1]; i++) {
        const sg__source *s = p->src + i;
        take(at->d + fabs(at->t - s->at.t) * len + s->at.d, s->label, &best,
             &bl);
    }
    if (bl < 0)
        return 0;
    *dist = best;
    *label = bl;
    return 1;
}
