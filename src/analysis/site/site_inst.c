/* The covering instance of the siting analysis, built from the coverage
 * sets of the candidates over the demand households:
 *  - demand no candidate covers (or, with a residents capacity, larger
 *    than it) is set aside and listed;
 *  - candidates covering nothing are dropped;
 *  - dominated candidates are pruned. Without a capacity a candidate
 *    whose set lies within another's can be replaced by it in any
 *    solution, so it goes (equal sets: the later one goes). The test
 *    looks only at candidates covering the member of the set that the
 *    fewest candidates cover. With a capacity two copies of one place
 *    may both be needed, so only identical sets are thinned, to the
 *    copies that can be useful: ceil(|S| / cap) for a households
 *    capacity; for a residents capacity at most one copy is at most half
 *    full in some optimum, so floor(2 * residents(S) / cap) + 1 (and
 *    never more than |S|);
 *  - without a capacity, households covered by exactly the same
 *    candidates become one row (their weights summed).
 * Not for: solving (site_greedy.c, site_glpk.c), geometry.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/site/site_int.h"

void sg__site_inst_cleanup(sg__site_inst *in)
{
    if (!in)
        return;
    free(in->c_off);
    free(in->c_row);
    free(in->r_off);
    free(in->r_cand);
    free(in->w);
    free(in->r_hh);
    free(in->r_res);
    free(in->size);
    free(in->r_first);
    free(in->cand);
    memset(in, 0, sizeof *in);
}

/* A list (a set of uint32, ascending) with its hash and owner, for
 * grouping identical lists by sorting. */
typedef struct listref {
    uint64_t hash;
    const uint32_t *v;
    size_t n;
    uint32_t owner;
} listref;

/* FNV-1a over the values of a list. */
static uint64_t list_hash(const uint32_t *v, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++) {
        h ^= v[i];
        h *= 1099511628211ull;
    }
    return h;
}

/* Order by hash, length, values, then owner. */
static int cmp_listref(const void *a, const void *b)
{
    const listref *p = a, *q = b;
    if (p->hash != q->hash)
        return p->hash < q->hash ? -1 : 1;
    if (p->n != q->n)
        return p->n < q->n ? -1 : 1;
    for (size_t i = 0; i < p->n; i++)
        if (p->v[i] != q->v[i])
            return p->v[i] < q->v[i] ? -1 : 1;
    return p->owner < q->owner ? -1 : p->owner > q->owner;
}

/* Whether two listrefs hold the same values. */
static int same_list(const listref *p, const listref *q)
{
    return p->hash == q->hash && p->n == q->n &&
           (p->n == 0 || memcmp(p->v, q->v, p->n * sizeof *p->v) == 0);
}

/* Whether ascending list \p a (na) lies within ascending list \p b. */
static int subset(const uint32_t *a, size_t na, const uint32_t *b, size_t nb)
{
    size_t j = 0;
    for (size_t i = 0; i < na; i++) {
        while (j < nb && b[j] < a[i])
            j++;
        if (j == nb || b[j] != a[i])
            return 0;
        j++;
    }
    return 1;
}

/* Transpose: for the candidates with keep[c] set, the lists of
 * candidates covering each demand household (ascending). Sets *off
 * (nd + 1) and *v, both caller owns. */
static sg_status transpose(sg_ctx *ctx, const size_t *cs_off,
                           const uint32_t *cs, size_t nc, size_t nd,
                           const unsigned char *keep, size_t **off,
                           uint32_t **v)
{
    *off = calloc(nd + 2, sizeof **off);
    size_t nnz = 0;
    for (size_t c = 0; c < nc; c++)
        if (keep[c])
            nnz += cs_off[c + 1] - cs_off[c];
    *v = malloc((nnz + 1) * sizeof **v);
    if (!*off || !*v)
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    size_t *o = *off;
    for (size_t c = 0; c < nc; c++)
        for (size_t k = cs_off[c]; keep[c] && k < cs_off[c + 1]; k++)
            o[cs[k] + 1]++;
    for (size_t i = 0; i < nd; i++)
        o[i + 1] += o[i];
    for (size_t c = 0; c < nc; c++)
        for (size_t k = cs_off[c]; keep[c] && k < cs_off[c + 1]; k++)
            (*v)[o[cs[k]]++] = (uint32_t)c;
    memmove(o + 1, o, nd * sizeof *o);
    o[0] = 0;
    return SG_OK;
}

/* Without a capacity: clear keep[c] of every candidate whose set lies
 * within another candidate's (equal sets: all but the first). */
static sg_status prune_subsets(sg__site_run *R, const size_t *off,
                               const uint32_t *v, unsigned char *keep)
{
    size_t *toff = NULL;
    uint32_t *tv = NULL;
    sg_status st = transpose(R->ctx, off, v, R->nc, R->nd, keep, &toff, &tv);
    for (size_t c = 0; st == SG_OK && c < R->nc; c++) {
        size_t n = off[c + 1] - off[c];
        if (!keep[c] || n == 0)
            continue;
        const uint32_t *s = v + off[c];
        uint32_t rare = s[0];
        for (size_t k = 1; k < n; k++)
            if (toff[s[k] + 1] - toff[s[k]] < toff[rare + 1] - toff[rare])
                rare = s[k];
        for (size_t k = toff[rare]; k < toff[rare + 1]; k++) {
            uint32_t o = tv[k];
            size_t m = off[o + 1] - off[o];
            if (o == c || m < n || (m == n && o > c))
                continue;
            if (subset(s, n, v + off[o], m)) {
                keep[c] = 0; /* dominated by o (or by what dominates o) */
                break;
            }
        }
        if ((c & 0x3fff) == 0x3fff)
            st = sg__progress(R->ctx, (double)c / (double)R->nc, "pruning");
    }
    free(toff);
    free(tv);
    return st;
}

/* With a capacity: keep at most the useful copies of identical sets. */
static sg_status prune_copies(sg__site_run *R, const size_t *off,
                              const uint32_t *v, const long long *res,
                              double cap, int residents, unsigned char *keep)
{
    listref *L = malloc((R->nc + 1) * sizeof *L);
    size_t n = 0;
    if (!L)
        return sg__error(R->ctx, SG_ERR_NOMEM, "out of memory");
    for (size_t c = 0; c < R->nc; c++)
        if (keep[c])
            L[n++] = (listref){list_hash(v + off[c], off[c + 1] - off[c]),
                               v + off[c], off[c + 1] - off[c], (uint32_t)c};
    qsort(L, n, sizeof *L, cmp_listref);
    for (size_t a = 0; a < n;) {
        size_t b = a + 1;
        while (b < n && same_list(L + a, L + b))
            b++;
        double m;
        if (residents) {
            double sum = 0;
            for (size_t k = 0; k < L[a].n; k++)
                sum += (double)res[L[a].v[k]];
            m = floor(2 * sum / cap) + 1;
        } else {
            m = ceil((double)L[a].n / cap);
        }
        m = fmin(m, (double)L[a].n);
        for (size_t k = a; k < b; k++)
            if ((double)(k - a) >= m)
                keep[L[k].owner] = 0;
        a = b;
    }
    free(L);
    return SG_OK;
}

/* Allocate the instance's row arrays for \p nr rows. */
static sg_status alloc_rows(sg_ctx *ctx, sg__site_inst *in, size_t nr)
{
    in->nr = nr;
    in->w = malloc((nr + 1) * sizeof *in->w);
    in->r_hh = malloc((nr + 1) * sizeof *in->r_hh);
    in->r_res = malloc((nr + 1) * sizeof *in->r_res);
    in->size = malloc((nr + 1) * sizeof *in->size);
    in->r_first = malloc((nr + 1) * sizeof *in->r_first);
    in->r_off = calloc(nr + 2, sizeof *in->r_off);
    if (!in->w || !in->r_hh || !in->r_res || !in->size || !in->r_first ||
        !in->r_off)
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    return SG_OK;
}

/* Order listrefs by their owner. */
static int cmp_owner(const void *a, const void *b)
{
    const listref *p = a, *q = b;
    return p->owner < q->owner ? -1 : p->owner > q->owner;
}

/* The rows: each coverable demand household alone (\p merge 0) or
 * grouped with those covered by the same kept candidates; their
 * candidate lists (renumbered to instance candidates through \p inum). */
static sg_status build_rows(sg__site_run *R, sg__site_inst *in,
                            const size_t *toff, const uint32_t *tv,
                            const uint32_t *inum, const long long *res,
                            int merge)
{
    sg_ctx *ctx = R->ctx;
    listref *L = malloc((R->nd + 1) * sizeof *L);
    size_t n = 0, nr = 0, nnz = 0;
    if (!L)
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < R->nd; i++)
        if (toff[i + 1] > toff[i])
            L[n++] =
                (listref){list_hash(tv + toff[i], toff[i + 1] - toff[i]),
                          tv + toff[i], toff[i + 1] - toff[i], (uint32_t)i};
    if (merge)
        qsort(L, n, sizeof *L, cmp_listref);
    /* group heads first: mark each group's first entry (lowest owner) */
    size_t *grp = malloc((n + 1) * sizeof *grp); /* entry -> group head */
    listref *heads = malloc((n + 1) * sizeof *heads);
    sg_status st = SG_OK;
    if (!grp || !heads) {
        st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        goto done;
    }
    for (size_t a = 0; a < n;) {
        size_t b = a + 1;
        while (merge && b < n && same_list(L + a, L + b))
            b++;
        heads[nr] = L[a];
        heads[nr].hash = nr; /* remember the group's first entry */
        grp[nr] = a;
        nnz += L[a].n;
        nr++;
        a = b;
    }
    qsort(heads, nr, sizeof *heads, cmp_owner);
    if ((st = alloc_rows(ctx, in, nr)))
        goto done;
    in->r_cand = malloc((nnz + 1) * sizeof *in->r_cand);
    if (!in->r_cand) {
        st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        goto done;
    }
    for (size_t r = 0; r < nr; r++) {
        size_t a = grp[heads[r].hash], b = a + 1;
        while (merge && b < n && same_list(L + a, L + b))
            b++;
        long long hh = 0, rs = 0;
        for (size_t k = a; k < b; k++) {
            hh++;
            rs += res[L[k].owner];
        }
        in->r_hh[r] = hh;
        in->r_res[r] = rs;
        in->r_first[r] = heads[r].owner;
        in->w[r] =
            in->wscale > 0 ? (double)rs * in->wscale + (double)hh : (double)hh;
        in->size[r] =
            R->o->cap_unit == SG_SITE_CAP_RESIDENTS ? (double)rs : (double)hh;
        size_t o = in->r_off[r];
        for (size_t k = 0; k < heads[r].n; k++)
            in->r_cand[o + k] = inum[heads[r].v[k]];
        in->r_off[r + 1] = o + heads[r].n;
    }
done:
    free(L);
    free(grp);
    free(heads);
    return st;
}

/* The candidate -> rows lists from the rows' candidate lists. */
static sg_status build_cand_rows(sg_ctx *ctx, sg__site_inst *in)
{
    size_t nnz = in->r_off[in->nr];
    in->c_off = calloc(in->nc + 2, sizeof *in->c_off);
    in->c_row = malloc((nnz + 1) * sizeof *in->c_row);
    if (!in->c_off || !in->c_row)
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    for (size_t k = 0; k < nnz; k++)
        in->c_off[in->r_cand[k] + 1]++;
    for (size_t c = 0; c < in->nc; c++)
        in->c_off[c + 1] += in->c_off[c];
    for (size_t r = 0; r < in->nr; r++)
        for (size_t k = in->r_off[r]; k < in->r_off[r + 1]; k++)
            in->c_row[in->c_off[in->r_cand[k]]++] = (uint32_t)r;
    memmove(in->c_off + 1, in->c_off, in->nc * sizeof *in->c_off);
    in->c_off[0] = 0;
    return SG_OK;
}

sg_status sg__site_instance(sg__site_run *R, int residents_objective,
                            unsigned char *uncov, sg__site_inst *in)
{
    sg_ctx *ctx = R->ctx;
    const sg_site_options *o = R->o;
    size_t nd = R->nd, nc = R->nc;
    int capped = o->capacity > 0;
    double cap = capped ? floor(o->capacity) : 0;
    int res_cap = capped && o->cap_unit == SG_SITE_CAP_RESIDENTS;
    memset(in, 0, sizeof *in);
    in->cap = cap;
    in->cover_all = o->cover_all;
    in->k = o->cover_all ? 0 : (size_t)o->k;
    in->wscale = residents_objective ? (double)nd + 1 : 0;
    long long *res = malloc((nd + 1) * sizeof *res);
    size_t *off = calloc(nc + 2, sizeof *off), *toff = NULL;
    uint32_t *v = malloc((R->cs_off[nc] + 1) * sizeof *v), *tv = NULL;
    uint32_t *inum = malloc((nc + 1) * sizeof *inum);
    unsigned char *keep = calloc(nc + 1, 1);
    sg_status st = SG_OK;
    if (!res || !off || !v || !inum || !keep) {
        st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        goto done;
    }
    /* the sets without demand larger than a residents capacity */
    for (size_t i = 0; i < nd; i++) {
        long long x = R->hh.res[R->dem[i]];
        res[i] = x > 0 ? x : 0;
        uncov[i] = res_cap && (double)res[i] > cap ? SG_SITE_TOO_BIG
                                                   : SG_SITE_NO_CANDIDATE;
    }
    for (size_t c = 0; c < nc; c++) {
        size_t n = off[c];
        for (size_t k = R->cs_off[c]; k < R->cs_off[c + 1]; k++)
            if (uncov[R->cs[k]] != SG_SITE_TOO_BIG) {
                v[n++] = R->cs[k];
                uncov[R->cs[k]] = SG_SITE_IN;
            }
        off[c + 1] = n;
        keep[c] = n > off[c];
        R->r->candidates_useful += keep[c];
    }
    st = capped ? prune_copies(R, off, v, res, cap, res_cap, keep)
                : prune_subsets(R, off, v, keep);
    if (st)
        goto done;
    for (size_t c = 0; c < nc; c++)
        if (keep[c])
            inum[c] = (uint32_t)in->nc++;
    R->r->candidates_kept = (long long)in->nc;
    in->cand = malloc((in->nc + 1) * sizeof *in->cand);
    if (!in->cand) {
        st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        goto done;
    }
    for (size_t c = 0; c < nc; c++)
        if (keep[c])
            in->cand[inum[c]] = (uint32_t)c;
    if ((st = transpose(ctx, off, v, nc, nd, keep, &toff, &tv)))
        goto done;
    if ((st = build_rows(R, in, toff, tv, inum, res, !capped)))
        goto done;
    st = build_cand_rows(ctx, in);
done:
    free(res);
    free(off);
    free(v);
    free(toff);
    free(tv);
    free(inum);
    free(keep);
    if (st)
        sg__site_inst_cleanup(in);
    return st;
}
