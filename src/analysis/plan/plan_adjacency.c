/* The neighbour graph of a unit's blocks (see plan_blocks.c): segments
 * of the arrangement keyed by their exact end points, the pairs of faces
 * that share them weighted by length (roads at SG__PLAN_ROAD_COST),
 * components joined to their nearest block by weak links, and the
 * symmetric CSR adjacency METIS reads.
 * Not for: making the blocks (plan_blocks.c), SQL, printing.
 * SPDX-License-Identifier: MIT */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/plan/plan_blocks_int.h"
#include "geom/csr_int.h"

/* ---- adjacency ---------------------------------------------------------- */

/* The entry of key \p k, inserting it (kind \p kind, no faces) if new.
 * \return NULL when out of memory. */
static seg_entry *seg_get(sg_ctx *ctx, seg_table *t, const double k[4],
                          int kind)
{
    if ((t->n + 1) * 10 > t->cap * 7) {
        size_t nc = t->cap ? t->cap * 2 : 1024;
        seg_entry *ne = calloc(nc, sizeof *ne);
        if (!ne) {
            sg__error(ctx, SG_ERR_NOMEM, "out of memory");
            return NULL;
        }
        for (size_t i = 0; i < t->cap; i++) {
            if (!t->e[i].used)
                continue;
            size_t p = sg__plan_seg_hash(t->e[i].k) & (nc - 1);
            while (ne[p].used)
                p = (p + 1) & (nc - 1);
            ne[p] = t->e[i];
        }
        free(t->e);
        t->e = ne;
        t->cap = nc;
    }
    size_t p = sg__plan_seg_hash(k) & (t->cap - 1);
    while (t->e[p].used) {
        if (memcmp(t->e[p].k, k, sizeof t->e[p].k) == 0)
            return &t->e[p];
        p = (p + 1) & (t->cap - 1);
    }
    seg_entry *s = &t->e[p];
    memcpy(s->k, k, sizeof s->k);
    s->f[0] = s->f[1] = -1;
    s->kind = (unsigned char)kind;
    s->used = 1;
    t->n++;
    return s;
}

/* Add every segment of the line or ring \p g to \p t: with \p face < 0
 * as segments of kind \p kind; otherwise recording \p face as a user. */
sg_status sg__plan_seg_add_line(builder *b, seg_table *t, const GEOSGeometry *g,
                                int kind, int32_t face)
{
    const GEOSCoordSequence *cs = GEOSGeom_getCoordSeq_r(b->h, g);
    unsigned int n = 0;
    if (!cs || !GEOSCoordSeq_getSize_r(b->h, cs, &n))
        return sg__geos_error(b->ctx, "reading a block edge");
    double px = 0, py = 0, x, y, k[4];
    for (unsigned int i = 0; i < n; i++) {
        if (!GEOSCoordSeq_getXY_r(b->h, cs, i, &x, &y))
            return sg__geos_error(b->ctx, "reading a block edge");
        if (i > 0 && (x != px || y != py)) {
            sg__plan_seg_key(px, py, x, y, k);
            seg_entry *s = seg_get(b->ctx, t, k, kind);
            if (!s)
                return SG_ERR_NOMEM;
            if (face >= 0 && s->f[0] < 0)
                s->f[0] = face;
            else if (face >= 0 && s->f[0] != face && s->f[1] < 0)
                s->f[1] = face;
        }
        px = x;
        py = y;
    }
    return SG_OK;
}

/* qsort: pairs by (a, b). */
static int cmp_pair(const void *x, const void *y)
{
    const pair *p = x, *q = y;
    if (p->a != q->a)
        return p->a < q->a ? -1 : 1;
    return p->b < q->b ? -1 : p->b > q->b;
}

/* Append (a, b, w, len) with a != b to \p l. */
static sg_status pair_push(sg_ctx *ctx, pair_list *l, uint32_t a, uint32_t b,
                           double w, double len)
{
    if (l->n == l->cap) {
        size_t nc = l->cap ? l->cap * 2 : 256;
        pair *nv = realloc(l->v, nc * sizeof *nv);
        if (!nv)
            return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        l->v = nv;
        l->cap = nc;
    }
    l->v[l->n++] = (pair){a < b ? a : b, a < b ? b : a, w, len};
    return SG_OK;
}

/* The neighbour pairs of the blocks \p faces (n) made from the edges
 * \p e: every segment used by two faces adds its length (times the
 * road cost along roads) to the pair. */
sg_status sg__plan_face_pairs(builder *b, const edge_list *e,
                              GEOSGeometry **faces, size_t n, pair_list *out)
{
    seg_table t = {0};
    sg_status st = SG_OK;
    for (size_t i = 0; st == SG_OK && i < e->n; i++)
        st = sg__plan_seg_add_line(b, &t, e->g[i], e->kind[i], -1);
    for (size_t f = 0; st == SG_OK && f < n; f++) {
        const GEOSGeometry *ring = GEOSGetExteriorRing_r(b->h, faces[f]);
        st = ring ? sg__plan_seg_add_line(b, &t, ring, SG__EDGE_MIDLINE,
                                          (int32_t)f)
                  : sg__geos_error(b->ctx, "block ring");
        int nh = GEOSGetNumInteriorRings_r(b->h, faces[f]);
        for (int r = 0; st == SG_OK && r < nh; r++)
            st = sg__plan_seg_add_line(
                b, &t, GEOSGetInteriorRingN_r(b->h, faces[f], r),
                SG__EDGE_MIDLINE, (int32_t)f);
    }
    for (size_t i = 0; st == SG_OK && i < t.cap; i++) {
        const seg_entry *s = &t.e[i];
        if (!s->used || s->f[0] < 0 || s->f[1] < 0)
            continue;
        double len = hypot(s->k[2] - s->k[0], s->k[3] - s->k[1]);
        st = pair_push(
            b->ctx, out, (uint32_t)s->f[0], (uint32_t)s->f[1],
            len * (s->kind == SG__EDGE_ROAD ? SG__PLAN_ROAD_COST : 1.0), len);
    }
    free(t.e);
    if (st == SG_OK && out->n > 1) {
        qsort(out->v, out->n, sizeof *out->v, cmp_pair);
        size_t m = 0;
        for (size_t i = 0; i < out->n; i++) {
            if (m && out->v[m - 1].a == out->v[i].a &&
                out->v[m - 1].b == out->v[i].b) {
                out->v[m - 1].w += out->v[i].w;
                out->v[m - 1].len += out->v[i].len;
            } else {
                out->v[m++] = out->v[i];
            }
        }
        out->n = m;
    }
    return st;
}

/* Union-find root of \p i with path halving. */
static uint32_t uf_find(uint32_t *p, uint32_t i)
{
    while (p[i] != i) {
        p[i] = p[p[i]];
        i = p[i];
    }
    return i;
}

/* Component labels of the blocks from \p uf into b->comp: 0 for the
 * component with the most households (ties: more blocks, then the
 * lowest block), then 1, 2, ... by lowest block. \return the count. */
static sg_status label_components(builder *b, sg__plan_blocks *out,
                                  uint32_t *uf, size_t *ncomp)
{
    size_t n = out->n;
    double *w = calloc(n ? n : 1, sizeof *w);
    size_t *cnt = calloc(n ? n : 1, sizeof *cnt);
    int32_t *label = malloc((n ? n : 1) * sizeof *label);
    if (!w || !cnt || !label) {
        free(w);
        free(cnt);
        free(label);
        return sg__error(b->ctx, SG_ERR_NOMEM, "out of memory");
    }
    size_t best = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t r = uf_find(uf, (uint32_t)i);
        w[r] += out->w_hh[i];
        cnt[r]++;
    }
    for (size_t i = 0; i < n; i++)
        if (uf_find(uf, (uint32_t)i) == i &&
            (w[i] > w[best] || (w[i] == w[best] && cnt[i] > cnt[best])))
            best = i;
    size_t next = 1;
    for (size_t i = 0; i < n; i++)
        label[i] = -1;
    if (n)
        label[best] = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t r = uf_find(uf, (uint32_t)i);
        if (label[r] < 0)
            label[r] = (int32_t)next++;
        out->comp[i] = label[r];
    }
    *ncomp = n ? next : 0;
    free(w);
    free(cnt);
    free(label);
    return SG_OK;
}

/* The block nearest to block \p i outside component \p c of \p comp
 * (*j, at distance *d; *j stays as given if none is nearer than *d). */
static sg_status nearest_foreign(builder *b, sg__geomset *fs, size_t i,
                                 const uint32_t *root, uint32_t c, size_t *j,
                                 double *d, sg__idlist *cand)
{
    const GEOSGeometry *gi = sg__geomset_get(fs, i);
    for (double r = 1; r < 1e8; r *= 4) {
        sg_status st = sg__geomset_query(b->ctx, fs, gi, r, cand);
        if (st)
            return st;
        int found = 0;
        for (size_t m = 0; m < cand->n; m++) {
            size_t k = cand->v[m];
            if (root[k] == c)
                continue;
            double dk = DBL_MAX;
            if (!GEOSDistance_r(b->h, gi, sg__geomset_get(fs, k), &dk))
                return sg__geos_error(b->ctx, "distance between blocks");
            if (dk < *d || (dk == *d && k < *j)) {
                *d = dk;
                *j = k;
            }
            found = found || dk <= r;
        }
        if (found)
            return SG_OK;
    }
    return SG_OK;
}

/* Join the components of the pairs \p pl (over out->n blocks) by weak
 * links (cost 0) from each component other than the main one to its
 * nearest block elsewhere, until the graph is connected; label the
 * components (before the links) in out->comp. */
sg_status sg__plan_connect_components(builder *b, sg__plan_blocks *out,
                                      pair_list *pl)
{
    size_t n = out->n, ncomp = 0;
    uint32_t *uf = malloc((n ? n : 1) * sizeof *uf);
    uint32_t *root = malloc((n ? n : 1) * sizeof *root);
    unsigned char *seen = malloc(n ? n : 1);
    sg__geomset fs;
    sg__geomset_init(&fs, b->ctx, 0);
    sg__idlist cand = {0};
    sg_status st = uf && root && seen
                       ? SG_OK
                       : sg__error(b->ctx, SG_ERR_NOMEM, "out of memory");
    for (size_t i = 0; st == SG_OK && i < n; i++)
        uf[i] = (uint32_t)i;
    for (size_t k = 0; st == SG_OK && k < pl->n; k++)
        uf[uf_find(uf, pl->v[k].a)] = uf_find(uf, pl->v[k].b);
    if (st == SG_OK)
        st = label_components(b, out, uf, &ncomp);
    for (size_t i = 0; st == SG_OK && ncomp > 1 && i < n; i++)
        st = sg__geomset_add(b->ctx, &fs, out->faces[i]);
    while (st == SG_OK && ncomp > 1) {
        size_t main_root = 0;
        for (size_t i = 0; i < n; i++) {
            root[i] = uf_find(uf, (uint32_t)i);
            if (out->comp[i] == 0)
                main_root = root[i];
        }
        size_t links = 0;
        memset(seen, 0, n);
        for (size_t i = 0; st == SG_OK && i < n; i++) {
            /* once per component: at its lowest block */
            if (root[i] == main_root || seen[root[i]])
                continue;
            seen[root[i]] = 1;
            size_t bj = SIZE_MAX, bi = i;
            double bd = DBL_MAX;
            for (size_t k = i; st == SG_OK && k < n; k++) {
                if (root[k] != root[i])
                    continue;
                size_t j = bj;
                double d = bd;
                st = nearest_foreign(b, &fs, k, root, root[i], &j, &d, &cand);
                if (st == SG_OK && j != bj) {
                    bj = j;
                    bd = d;
                    bi = k;
                }
            }
            if (st == SG_OK && bj != SIZE_MAX) {
                st = pair_push(b->ctx, pl, (uint32_t)bi, (uint32_t)bj, 0, 0);
                links++;
            }
        }
        if (st == SG_OK && links == 0)
            st = sg__error(b->ctx, SG_ERR_INTERNAL,
                           "blocks cannot be joined into one graph");
        size_t sets = 0;
        for (size_t k = pl->n - links; st == SG_OK && k < pl->n; k++)
            uf[uf_find(uf, pl->v[k].a)] = uf_find(uf, pl->v[k].b);
        for (size_t i = 0; st == SG_OK && i < n; i++)
            sets += uf_find(uf, (uint32_t)i) == i;
        out->weak += (long long)links;
        if (sets <= 1)
            break;
    }
    sg__idlist_cleanup(&cand);
    sg__geomset_cleanup(&fs);
    free(uf);
    free(root);
    free(seen);
    return st;
}

/* sg__csr_end_fn over a pair_list. */
static uint32_t pair_end(size_t e, int side, const void *user)
{
    const pair_list *pl = user;
    return side ? pl->v[e].b : pl->v[e].a;
}

/* The symmetric CSR adjacency of \p pl into out->xadj/adj/adjw. */
sg_status sg__plan_build_csr(builder *b, sg__plan_blocks *out,
                             const pair_list *pl)
{
    /* out->adj holds the half-edges until filled in */
    sg_status st = sg__csr_build(b->ctx, out->n, pl->n, pair_end, pl,
                                 &out->xadj, &out->adj);
    if (st)
        return st;
    out->adjw = malloc((2 * pl->n + 1) * sizeof *out->adjw);
    out->adjlen = malloc((2 * pl->n + 1) * sizeof *out->adjlen);
    if (!out->adjw || !out->adjlen)
        return sg__error(b->ctx, SG_ERR_NOMEM, "out of memory");
    for (size_t k = 0; k < 2 * pl->n; k++) {
        uint32_t h = out->adj[k];
        const pair *p = &pl->v[h / 2];
        out->adj[k] = h % 2 ? p->a : p->b;
        out->adjw[k] = p->w;
        out->adjlen[k] = p->len;
    }
    return SG_OK;
}
