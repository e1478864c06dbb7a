/* Colour classes of one village's cleaners (the color_class column of
 * service_areas and cleaner_roads, 0..SG_ALLOC_COLORS-1, drawn by
 * styles/service_areas.sld and cleaner_roads.sld): cleaners that are
 * neighbours get different classes where 8 allow it. Two cleaners are
 * neighbours when their service areas share a boundary of positive
 * length, or when road pieces of theirs meet (the piece graph), so that
 * both the areas and the roads of neighbours differ on the map.
 * The colouring is greedy, largest degree first (ties by cleaner number,
 * so it is deterministic): each cleaner takes the smallest class none of
 * its coloured neighbours has, or, when all are taken (degree 8 and
 * more, rare: the areas are a planar map), the class fewest of them
 * have. Neighbouring villages may repeat classes.
 * Not for: computing the areas (allocate_area.c), writing
 * (allocate_write.c).
 * SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "analysis/allocate/allocate_int.h"
#include "geom/geos_int.h"

/* Whether areas \p a and \p b share a boundary of positive length.
 * \return 1, 0, or -1 on a GEOS failure (error in ctx). */
static int share_boundary(sg__alloc *A, const GEOSGeometry *a,
                          const GEOSGeometry *b)
{
    GEOSContextHandle_t h = A->h;
    char hit = GEOSIntersects_r(h, a, b);
    if (hit == 2)
        return sg__geos_error(A->ctx, "neighbouring service areas"), -1;
    if (!hit)
        return 0;
    GEOSGeometry *ba = GEOSBoundary_r(h, a), *bb = GEOSBoundary_r(h, b);
    GEOSGeometry *x = ba && bb ? sg__geom_intersection(A->ctx, ba, bb) : NULL;
    double len = 0;
    int r = x && GEOSLength_r(h, x, &len) ? len > 0 : -1;
    if (x)
        GEOSGeom_destroy_r(h, x);
    if (ba)
        GEOSGeom_destroy_r(h, ba);
    if (bb)
        GEOSGeom_destroy_r(h, bb);
    if (r < 0 && !sg_ctx_status(A->ctx))
        sg__geos_error(A->ctx, "neighbouring service areas");
    return r;
}

sg_status sg__alloc_colors(sg__alloc *A, size_t vi, sg__apart *P)
{
    (void)vi;
    int K = P->K;
    if (K <= 0)
        return SG_OK;
    size_t k2 = (size_t)K * (size_t)K;
    unsigned char *adj = calloc(k2, 1);
    int *deg = calloc((size_t)K, sizeof *deg);
    int *order = malloc((size_t)K * sizeof *order);
    if (!adj || !deg || !order) {
        free(adj);
        free(deg);
        free(order);
        return sg__error(A->ctx, SG_ERR_NOMEM, "out of memory");
    }
    /* road pieces of two cleaners that meet */
    for (size_t e = 0; P->xoff && e < P->npieces; e++)
        for (size_t a = P->xoff[e]; a < P->xoff[e + 1]; a++) {
            int32_t k = P->part[e], l = P->part[P->xadj[a]];
            if (k != l && k >= 0 && l >= 0 && k < K && l < K)
                adj[(size_t)k * (size_t)K + (size_t)l] =
                    adj[(size_t)l * (size_t)K + (size_t)k] = 1;
        }
    /* service areas that share a boundary */
    sg_status st = SG_OK;
    for (int k = 0; st == SG_OK && k < K; k++)
        for (int l = k + 1; st == SG_OK && l < K; l++) {
            size_t kl = (size_t)k * (size_t)K + (size_t)l;
            if (adj[kl] || !P->ps[k].area || !P->ps[l].area)
                continue;
            int r = share_boundary(A, P->ps[k].area, P->ps[l].area);
            if (r < 0)
                st =
                    sg_ctx_status(A->ctx) ? sg_ctx_status(A->ctx) : SG_ERR_GEOM;
            else if (r)
                adj[kl] = adj[(size_t)l * (size_t)K + (size_t)k] = 1;
        }
    for (int k = 0; k < K; k++) {
        order[k] = k;
        for (int l = 0; l < K; l++)
            deg[k] += adj[(size_t)k * (size_t)K + (size_t)l];
    }
    /* largest degree first, ties by number (an insertion sort: K is
     * small, and qsort would need a file-level pointer, not thread-safe) */
    for (int i = 1; i < K; i++) {
        int v = order[i], j = i - 1;
        while (j >= 0 && (deg[order[j]] < deg[v] ||
                          (deg[order[j]] == deg[v] && order[j] > v))) {
            order[j + 1] = order[j];
            j--;
        }
        order[j + 1] = v;
    }
    for (int k = 0; k < K; k++)
        P->ps[k].color = -1;
    for (int i = 0; st == SG_OK && i < K; i++) {
        int k = order[i], used[SG_ALLOC_COLORS] = {0};
        for (int l = 0; l < K; l++)
            if (adj[(size_t)k * (size_t)K + (size_t)l] && P->ps[l].color >= 0)
                used[P->ps[l].color]++;
        int best = 0;
        for (int c = 1; c < SG_ALLOC_COLORS; c++)
            if (used[c] < used[best])
                best = c;
        P->ps[k].color = best;
    }
    free(adj);
    free(deg);
    free(order);
    return st;
}
