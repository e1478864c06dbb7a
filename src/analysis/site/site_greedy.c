/* Greedy + swap for the siting instance, with honest bounds.
 *
 * --add K without a capacity (maximal covering): lazy greedy (Minoux):
 * marginal gains only fall as points are added (coverage is submodular),
 * so a candidate's last computed gain is an upper bound of its current
 * one and is recomputed only when it reaches the top of the heap. Ties go
 * to the lowest candidate. Bound: for every greedy step i,
 * OPT <= f(S_i) + the sum of the K largest marginal gains over S_i (each
 * OPT point adds at most its gain over S_i); the K largest of the heap's
 * keys, which bound the gains from above, keep it valid. The smallest
 * over the steps is taken, and f(greedy) / (1 - 1/e) as well. Then best
 * 1-for-1 swaps until no swap gains (bounded work).
 *
 * --cover-all without a capacity (set covering): greedy by newly covered
 * households, then points whose every household another point covers are
 * dropped (latest first) and 2-for-1 swaps (two points replaced by one
 * candidate covering everything only they covered) are made while any
 * exists. Lower bound: the larger of a packing (rows no two of which
 * share a candidate each need their own point) and greedy / H(d) (the
 * greedy set cover guarantee, d the most households of a candidate).
 *
 * With a capacity: greedy with capped gains (each point serves the
 * heaviest rows not yet served that fit), no swaps. Bound (add): the sum
 * of the K largest capped fractional-knapsack values of single
 * candidates; (cover_all): the packing or total size / capacity.
 * Not for: the exact integer programs (site_glpk.c), geometry.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/site/site_int.h"

/* Most work (row visits) spent on swap improvement. */
#define SWAP_BUDGET 4e8

/* ---- solutions ------------------------------------------------------------
 */

void sg__site_sol_cleanup(sg__site_sol *s)
{
    if (!s)
        return;
    free(s->chosen);
    free(s->assign);
    memset(s, 0, sizeof *s);
}

sg_status sg__site_sol_copy(sg_ctx *ctx, sg__site_sol *dst,
                            const sg__site_sol *src, size_t nr)
{
    sg__site_sol_cleanup(dst);
    *dst = *src;
    dst->chosen = malloc((src->n + 1) * sizeof *dst->chosen);
    dst->assign = src->assign ? malloc((nr + 1) * sizeof *dst->assign) : NULL;
    if (!dst->chosen || (src->assign && !dst->assign)) {
        free(dst->chosen);
        free(dst->assign);
        memset(dst, 0, sizeof *dst);
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    }
    if (src->n)
        memcpy(dst->chosen, src->chosen, src->n * sizeof *dst->chosen);
    if (src->assign && nr)
        memcpy(dst->assign, src->assign, nr * sizeof *dst->assign);
    return SG_OK;
}

double sg__site_value(const sg__site_inst *in, const uint32_t *chosen, size_t n,
                      const int32_t *assign)
{
    if (in->cover_all)
        return (double)n;
    double v = 0;
    if (assign) {
        for (size_t r = 0; r < in->nr; r++)
            if (assign[r] >= 0)
                v += in->w[r];
        return v;
    }
    unsigned char *cov = calloc(in->nr + 1, 1);
    if (!cov)
        return -1;
    for (size_t i = 0; i < n; i++)
        for (size_t k = in->c_off[chosen[i]]; k < in->c_off[chosen[i] + 1]; k++)
            cov[in->c_row[k]] = 1;
    for (size_t r = 0; r < in->nr; r++)
        if (cov[r])
            v += in->w[r];
    free(cov);
    return v;
}

/* ---- a max-heap of (key, candidate) ---------------------------------------
 */

typedef struct kent {
    double key;
    uint32_t c;
} kent;

typedef struct kheap {
    kent *v;
    size_t n;
} kheap;

/* Whether a comes before b: larger key, then the lower candidate. */
static int kbefore(const kent *a, const kent *b)
{
    return a->key > b->key || (a->key == b->key && a->c < b->c);
}

/* Sift entry \p e down from position \p i. */
static void ksift_down(kheap *h, size_t i, kent e)
{
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= h->n)
            break;
        if (c + 1 < h->n && kbefore(&h->v[c + 1], &h->v[c]))
            c++;
        if (!kbefore(&h->v[c], &e))
            break;
        h->v[i] = h->v[c];
        i = c;
    }
    h->v[i] = e;
}

/* Push \p e (the array has room: it never holds more than its start). */
static void kpush(kheap *h, kent e)
{
    size_t i = h->n++;
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (!kbefore(&e, &h->v[p]))
            break;
        h->v[i] = h->v[p];
        i = p;
    }
    h->v[i] = e;
}

/* Pop the first entry of the (non-empty) heap. */
static kent kpop(kheap *h)
{
    kent top = h->v[0];
    kent last = h->v[--h->n];
    if (h->n)
        ksift_down(h, 0, last);
    return top;
}

/* Build a heap of \p n entries in place. */
static void kheapify(kheap *h)
{
    for (size_t i = h->n / 2; i-- > 0;)
        ksift_down(h, i, h->v[i]);
}

/* Whether heap position \p a of \p h comes before position \p b. */
static int pbefore(const kheap *h, size_t a, size_t b)
{
    return kbefore(&h->v[a], &h->v[b]);
}

/* Sum of the \p k largest keys of the heap (negative keys count 0),
 * walking it from the root with a heap of positions in \p aux (2k + 2
 * entries of scratch): O(k log k). */
static double ktop_sum(const kheap *h, size_t k, size_t *aux)
{
    size_t na = 0;
    double sum = 0;
    if (h->n)
        aux[na++] = 0;
    for (size_t t = 0; t < k && na; t++) {
        size_t p = aux[0];
        /* pop the first position from aux */
        size_t last = aux[--na], i = 0;
        for (;;) {
            size_t c = 2 * i + 1;
            if (c >= na)
                break;
            if (c + 1 < na && pbefore(h, aux[c + 1], aux[c]))
                c++;
            if (!pbefore(h, aux[c], last))
                break;
            aux[i] = aux[c];
            i = c;
        }
        if (na)
            aux[i] = last;
        sum += h->v[p].key > 0 ? h->v[p].key : 0;
        /* push its children */
        for (size_t ch = 2 * p + 1; ch <= 2 * p + 2 && ch < h->n; ch++) {
            size_t j = na++;
            while (j > 0 && pbefore(h, ch, aux[(j - 1) / 2])) {
                aux[j] = aux[(j - 1) / 2];
                j = (j - 1) / 2;
            }
            aux[j] = ch;
        }
    }
    return sum;
}

/* ---- greedy without a capacity
 * ------------------------------------------------
 */

/* Marginal weight of candidate \p c over the rows with cnt 0, by \p w. */
static double gain_of(const sg__site_inst *in, const uint32_t *cnt,
                      const double *w, uint32_t c)
{
    double g = 0;
    for (size_t k = in->c_off[c]; k < in->c_off[c + 1]; k++)
        if (!cnt[in->c_row[k]])
            g += w[in->c_row[k]];
    return g;
}

/* Add candidate \p c to the counts. */
static void cover_add(const sg__site_inst *in, uint32_t *cnt, uint32_t c)
{
    for (size_t k = in->c_off[c]; k < in->c_off[c + 1]; k++)
        cnt[in->c_row[k]]++;
}

/* Remove candidate \p c from the counts. */
static void cover_remove(const sg__site_inst *in, uint32_t *cnt, uint32_t c)
{
    for (size_t k = in->c_off[c]; k < in->c_off[c + 1]; k++)
        cnt[in->c_row[k]]--;
}

/* Lazy greedy by weights \p w: up to \p k points (cover_all: until every
 * row is covered), appended to out->chosen; counts into \p cnt. With
 * \p bound non-NULL, the Minoux bound for budget k. */
static sg_status lazy_greedy(sg_ctx *ctx, const sg__site_inst *in,
                             const double *w, size_t k, uint32_t *cnt,
                             sg__site_sol *out, double *bound)
{
    kheap h = {malloc((in->nc + 1) * sizeof(kent)), 0};
    size_t kk = k < in->nc ? k : in->nc;
    size_t *aux = bound ? malloc((2 * kk + 3) * sizeof *aux) : NULL;
    double f = 0, total = 0;
    int fresh = 1; /* a new step: S_i changed since the last bound */
    sg_status st = SG_OK;
    if (!h.v || (bound && !aux)) {
        st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        goto done;
    }
    for (size_t r = 0; r < in->nr; r++)
        total += w[r];
    for (uint32_t c = 0; c < in->nc; c++)
        h.v[h.n++] = (kent){gain_of(in, cnt, w, c), c};
    kheapify(&h);
    if (bound)
        *bound = total;
    while (h.n && out->n < k) {
        if (bound && fresh)
            *bound = fmin(*bound, f + ktop_sum(&h, kk, aux));
        fresh = 0;
        kent e = kpop(&h);
        double g = gain_of(in, cnt, w, e.c);
        kent now = {g, e.c};
        if (h.n && !kbefore(&now, &h.v[0])) {
            kpush(&h, now); /* stale: try the next one */
            continue;
        }
        if (!(g > 0))
            break;
        out->chosen[out->n++] = e.c;
        cover_add(in, cnt, e.c);
        f += g;
        fresh = 1;
        if ((out->n & 0x3f) == 0 &&
            (st = sg__progress(
                 ctx, k < in->nc ? (double)out->n / (double)k : 0.5, "greedy")))
            goto done;
    }
    if (bound)
        *bound = fmin(*bound, f + ktop_sum(&h, kk, aux));
    out->value = f;
done:
    free(h.v);
    free(aux);
    return st;
}

/* Best 1-for-1 swaps for --add until none gains or the work budget is
 * spent. \return SG_OK (out->value updated), or a failure. Sets *ran. */
static sg_status swap_add(sg_ctx *ctx, const sg__site_inst *in, uint32_t *cnt,
                          sg__site_sol *out, int *ran)
{
    size_t nnz = in->c_off[in->nc];
    double per_round = (double)out->n * (double)(nnz + in->nc) + 1;
    int rounds = (int)fmin(50, floor(SWAP_BUDGET / per_round));
    uint32_t *mark = calloc(in->nr + 1, sizeof *mark), stamp = 0;
    unsigned char *in_s = calloc(in->nc + 1, 1);
    sg_status st = SG_OK;
    *ran = 0;
    if (!mark || !in_s) {
        st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < out->n; i++)
        in_s[out->chosen[i]] = 1;
    for (int round = 0; round < rounds; round++) {
        int improved = 0;
        *ran = 1;
        for (size_t p = 0; p < out->n; p++) {
            uint32_t s = out->chosen[p];
            double loss = 0;
            stamp++;
            for (size_t k = in->c_off[s]; k < in->c_off[s + 1]; k++) {
                uint32_t r = in->c_row[k];
                if (cnt[r] == 1) {
                    loss += in->w[r];
                    mark[r] = stamp;
                }
            }
            double best = 0.5; /* weights are whole numbers */
            int64_t bc = -1;
            for (uint32_t c = 0; c < in->nc; c++) {
                if (in_s[c])
                    continue;
                double g = 0;
                for (size_t k = in->c_off[c]; k < in->c_off[c + 1]; k++) {
                    uint32_t r = in->c_row[k];
                    if (cnt[r] == 0 || mark[r] == stamp)
                        g += in->w[r];
                }
                if (g - loss > best) {
                    best = g - loss;
                    bc = c;
                }
            }
            if (bc < 0)
                continue;
            cover_remove(in, cnt, s);
            cover_add(in, cnt, (uint32_t)bc);
            in_s[s] = 0;
            in_s[bc] = 1;
            out->chosen[p] = (uint32_t)bc;
            out->value += best;
            improved = 1;
        }
        if ((st = sg__progress(ctx, 0.5 + 0.5 * (round + 1) / (double)rounds,
                               "swaps")))
            goto done;
        if (!improved)
            break;
    }
done:
    free(mark);
    free(in_s);
    return st;
}

/* Drop chosen points all of whose rows another chosen point covers, the
 * latest first. \return how many were dropped. */
static size_t drop_redundant(const sg__site_inst *in, uint32_t *cnt,
                             sg__site_sol *out)
{
    size_t dropped = 0;
    for (size_t p = out->n; p-- > 0;) {
        uint32_t s = out->chosen[p];
        int needed = 0;
        for (size_t k = in->c_off[s]; k < in->c_off[s + 1] && !needed; k++)
            needed = cnt[in->c_row[k]] < 2;
        if (needed)
            continue;
        cover_remove(in, cnt, s);
        memmove(out->chosen + p, out->chosen + p + 1,
                (out->n - p - 1) * sizeof *out->chosen);
        out->n--;
        dropped++;
    }
    return dropped;
}

/* Scratch of the 2-for-1 swaps: row marks with their own stamps. */
typedef struct swap2 {
    uint32_t *owner;        /* row -> the chosen point covering it, if cnt 1 */
    uint32_t *ma, *mb, *mc; /* row marks: in S_a, S_b, S_c */
    uint32_t sa, sb, sc;    /* current stamps */
    uint32_t *seen;         /* per candidate: b already tried (stamp sc) */
    unsigned char *in_s;
} swap2;

/* Mark the rows of candidate \p c with \p stamp in \p m. */
static void mark_rows(const sg__site_inst *in, uint32_t *m, uint32_t c,
                      uint32_t stamp)
{
    for (size_t k = in->c_off[c]; k < in->c_off[c + 1]; k++)
        m[in->c_row[k]] = stamp;
}

/* Whether replacing chosen \p a and \p b by \p c keeps every row
 * covered (S_a and S_c marked already). */
static int swap2_ok(const sg__site_inst *in, const uint32_t *cnt, swap2 *w,
                    uint32_t a, uint32_t b)
{
    w->sb++;
    mark_rows(in, w->mb, b, w->sb);
    uint32_t pair[2] = {a, b};
    for (int q = 0; q < 2; q++)
        for (size_t k = in->c_off[pair[q]]; k < in->c_off[pair[q] + 1]; k++) {
            uint32_t r = in->c_row[k];
            long left = (long)cnt[r] - (w->ma[r] == w->sa) -
                        (w->mb[r] == w->sb) + (w->mc[r] == w->sc);
            if (left < 1)
                return 0;
        }
    return 1;
}

/* One pass of 2-for-1 swaps for cover_all. \return 1 if one was made. */
static int swap2_pass(const sg__site_inst *in, uint32_t *cnt, swap2 *w,
                      sg__site_sol *out)
{
    for (size_t r = 0; r < in->nr; r++)
        w->owner[r] = UINT32_MAX;
    for (size_t p = 0; p < out->n; p++)
        for (size_t k = in->c_off[out->chosen[p]];
             k < in->c_off[out->chosen[p] + 1]; k++)
            if (cnt[in->c_row[k]] == 1)
                w->owner[in->c_row[k]] = out->chosen[p];
    for (size_t p = 0; p < out->n; p++) {
        uint32_t a = out->chosen[p], r0 = UINT32_MAX;
        for (size_t k = in->c_off[a]; k < in->c_off[a + 1]; k++) {
            uint32_t r = in->c_row[k];
            if (cnt[r] == 1 &&
                (r0 == UINT32_MAX || in->r_off[r + 1] - in->r_off[r] <
                                         in->r_off[r0 + 1] - in->r_off[r0]))
                r0 = r;
        }
        if (r0 == UINT32_MAX)
            continue;
        w->sa++;
        mark_rows(in, w->ma, a, w->sa);
        for (size_t j = in->r_off[r0]; j < in->r_off[r0 + 1]; j++) {
            uint32_t c = in->r_cand[j];
            if (w->in_s[c])
                continue;
            w->sc++;
            mark_rows(in, w->mc, c, w->sc);
            int covers_a = 1;
            for (size_t k = in->c_off[a]; k < in->c_off[a + 1] && covers_a; k++)
                covers_a =
                    cnt[in->c_row[k]] != 1 || w->mc[in->c_row[k]] == w->sc;
            if (!covers_a)
                continue;
            for (size_t k = in->c_off[c]; k < in->c_off[c + 1]; k++) {
                uint32_t r = in->c_row[k], b = w->owner[r];
                if (cnt[r] != 1 || b == a || b == UINT32_MAX ||
                    w->seen[b] == w->sc)
                    continue;
                w->seen[b] = w->sc;
                if (!swap2_ok(in, cnt, w, a, b))
                    continue;
                cover_remove(in, cnt, a);
                cover_remove(in, cnt, b);
                cover_add(in, cnt, c);
                w->in_s[a] = w->in_s[b] = 0;
                w->in_s[c] = 1;
                size_t q = 0;
                for (size_t i = 0; i < out->n; i++)
                    if (out->chosen[i] != a && out->chosen[i] != b)
                        out->chosen[q++] = out->chosen[i];
                out->chosen[q++] = c;
                out->n = q;
                return 1;
            }
        }
    }
    return 0;
}

/* Drops and 2-for-1 swaps for cover_all until neither applies. */
static sg_status improve_cover(sg_ctx *ctx, const sg__site_inst *in,
                               uint32_t *cnt, sg__site_sol *out)
{
    swap2 w = {0};
    w.owner = malloc((in->nr + 1) * sizeof *w.owner);
    w.ma = calloc(in->nr + 1, sizeof *w.ma);
    w.mb = calloc(in->nr + 1, sizeof *w.mb);
    w.mc = calloc(in->nr + 1, sizeof *w.mc);
    w.seen = calloc(in->nc + 1, sizeof *w.seen);
    w.in_s = calloc(in->nc + 1, 1);
    sg_status st = SG_OK;
    if (!w.owner || !w.ma || !w.mb || !w.mc || !w.seen || !w.in_s) {
        st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        goto done;
    }
    drop_redundant(in, cnt, out);
    for (size_t i = 0; i < out->n; i++)
        w.in_s[out->chosen[i]] = 1;
    while (swap2_pass(in, cnt, &w, out)) {
        drop_redundant(in, cnt, out);
        memset(w.in_s, 0, in->nc);
        for (size_t i = 0; i < out->n; i++)
            w.in_s[out->chosen[i]] = 1;
        if ((st = sg__progress(ctx, 0.9, "swaps")))
            goto done;
    }
    out->value = (double)out->n;
done:
    free(w.owner);
    free(w.ma);
    free(w.mb);
    free(w.mc);
    free(w.seen);
    free(w.in_s);
    return st;
}

sg_status sg__site_cover_polish(sg_ctx *ctx, const sg__site_inst *in,
                                sg__site_sol *sol)
{
    uint32_t *cnt = calloc(in->nr + 1, sizeof *cnt);
    if (!cnt)
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < sol->n; i++)
        cover_add(in, cnt, sol->chosen[i]);
    sg_status st = improve_cover(ctx, in, cnt, sol);
    free(cnt);
    return st;
}

/* Lower bound of cover_all: rows taken by ascending candidate count
 * (ties: lower row), each kept if it shares no candidate with one kept
 * before; every kept row needs its own point. */
static double packing_bound(sg_ctx *ctx, const sg__site_inst *in)
{
    unsigned char *used = calloc(in->nc + 1, 1);
    uint32_t *ord = malloc((in->nr + 1) * sizeof *ord);
    size_t *cnt = calloc(in->nc + 2, sizeof *cnt);
    double lb = 0;
    if (!used || !ord || !cnt) {
        sg__log(ctx, SG_LOG_DEBUG, "site: no memory for the packing bound");
        goto done;
    }
    /* counting sort by degree (degrees are at most nc) */
    for (size_t r = 0; r < in->nr; r++)
        cnt[in->r_off[r + 1] - in->r_off[r]]++;
    for (size_t d = 1; d <= in->nc + 1; d++)
        cnt[d] += cnt[d - 1];
    for (size_t r = in->nr; r-- > 0;)
        ord[--cnt[in->r_off[r + 1] - in->r_off[r]]] = (uint32_t)r;
    for (size_t i = 0; i < in->nr; i++) {
        uint32_t r = ord[i];
        int free_row = 1;
        for (size_t k = in->r_off[r]; k < in->r_off[r + 1] && free_row; k++)
            free_row = !used[in->r_cand[k]];
        if (!free_row)
            continue;
        lb++;
        for (size_t k = in->r_off[r]; k < in->r_off[r + 1]; k++)
            used[in->r_cand[k]] = 1;
    }
done:
    free(used);
    free(ord);
    free(cnt);
    return lb;
}

/* ---- greedy with a capacity ------------------------------------------------
 */

/* A row offered to a capacitated point. */
typedef struct offer_row {
    double w, size;
    uint32_t r;
} offer_row;

/* Heaviest first, then smaller, then lower row. */
static int cmp_offer(const void *a, const void *b)
{
    const offer_row *p = a, *q = b;
    if (p->w != q->w)
        return p->w > q->w ? -1 : 1;
    if (p->size != q->size)
        return p->size < q->size ? -1 : 1;
    return p->r < q->r ? -1 : p->r > q->r;
}

/* Best value ratio first (size 0 first), then lower row. */
static int cmp_ratio(const void *a, const void *b)
{
    const offer_row *p = a, *q = b;
    double x = p->size > 0 ? p->w / p->size : INFINITY;
    double y = q->size > 0 ? q->w / q->size : INFINITY;
    if (x != y)
        return x > y ? -1 : 1;
    return p->r < q->r ? -1 : p->r > q->r;
}

/* The rows candidate \p c would serve now (unserved, heaviest first,
 * each taken if it still fits) into \p buf; \return their weight by
 * \p w and their count in *n. */
static double capped_fill(const sg__site_inst *in, const int32_t *assign,
                          const double *w, uint32_t c, offer_row *buf,
                          size_t *n)
{
    size_t m = 0;
    for (size_t k = in->c_off[c]; k < in->c_off[c + 1]; k++) {
        uint32_t r = in->c_row[k];
        if (assign[r] < 0)
            buf[m++] = (offer_row){w[r], in->size[r], r};
    }
    qsort(buf, m, sizeof *buf, cmp_offer);
    double used = 0, g = 0;
    size_t t = 0;
    for (size_t i = 0; i < m; i++)
        if (used + buf[i].size <= in->cap) {
            used += buf[i].size;
            g += buf[i].w;
            buf[t++] = buf[i];
        }
    *n = t;
    return g;
}

/* Fractional-knapsack value of candidate \p c over all its rows: an
 * upper bound of what it can serve. */
static double capped_upper(const sg__site_inst *in, uint32_t c, offer_row *buf)
{
    size_t m = 0;
    for (size_t k = in->c_off[c]; k < in->c_off[c + 1]; k++) {
        uint32_t r = in->c_row[k];
        buf[m++] = (offer_row){in->w[r], in->size[r], r};
    }
    qsort(buf, m, sizeof *buf, cmp_ratio);
    double room = in->cap, g = 0;
    for (size_t i = 0; i < m && room > 0; i++) {
        if (buf[i].size <= room) {
            room -= buf[i].size;
            g += buf[i].w;
        } else {
            g += buf[i].w * room / buf[i].size;
            room = 0;
        }
    }
    return g; /* rows of size 0 come first and always fit */
}

/* Greedy with a capacity; method "greedy". */
static sg_status greedy_capacity(sg_ctx *ctx, const sg__site_inst *in,
                                 sg__site_sol *out)
{
    size_t maxset = 0, k = in->cover_all ? in->nc : in->k;
    for (size_t c = 0; c < in->nc; c++)
        if (in->c_off[c + 1] - in->c_off[c] > maxset)
            maxset = in->c_off[c + 1] - in->c_off[c];
    offer_row *buf = malloc((maxset + 1) * sizeof *buf);
    double *w = malloc((in->nr + 1) * sizeof *w);
    double *ub = malloc((in->nc + 1) * sizeof *ub);
    kheap h = {malloc((in->nc + 1) * sizeof(kent)), 0};
    sg_status st = SG_OK;
    if (!buf || !w || !ub || !h.v) {
        st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        goto done;
    }
    for (size_t r = 0; r < in->nr; r++) {
        out->assign[r] = -1;
        w[r] = in->cover_all ? 1.0 : in->w[r];
    }
    for (uint32_t c = 0; c < in->nc; c++) {
        size_t n;
        h.v[h.n++] = (kent){capped_fill(in, out->assign, w, c, buf, &n), c};
        ub[c] = capped_upper(in, c, buf);
    }
    kheapify(&h);
    double f = 0;
    while (h.n && out->n < k) {
        kent e = kpop(&h);
        size_t n;
        double g = capped_fill(in, out->assign, w, e.c, buf, &n);
        kent now = {g, e.c};
        if (h.n && !kbefore(&now, &h.v[0])) {
            kpush(&h, now);
            continue;
        }
        if (!(g > 0))
            break;
        for (size_t i = 0; i < n; i++)
            out->assign[buf[i].r] = (int32_t)e.c;
        out->chosen[out->n++] = e.c;
        f += g;
    }
    if (in->cover_all) {
        double total = 0;
        for (size_t r = 0; r < in->nr; r++)
            total += in->size[r];
        out->value = (double)out->n;
        out->bound = fmax(packing_bound(ctx, in), ceil(total / in->cap));
    } else {
        double total = 0;
        for (size_t r = 0; r < in->nr; r++)
            total += in->w[r];
        /* the k largest single-point upper bounds */
        h.n = 0;
        for (uint32_t c = 0; c < in->nc; c++)
            h.v[h.n++] = (kent){ub[c], c};
        kheapify(&h);
        double sum = 0;
        for (size_t t = 0; t < k && h.n; t++)
            sum += kpop(&h).key;
        out->value = f;
        out->bound = fmin(total, sum);
    }
    snprintf(out->method, sizeof out->method, "greedy");
done:
    free(buf);
    free(w);
    free(ub);
    free(h.v);
    return st;
}

/* ---- entry points
 * ------------------------------------------------------------ */

sg_status sg__site_greedy(sg_ctx *ctx, const sg__site_inst *in,
                          sg__site_sol *out)
{
    memset(out, 0, sizeof *out);
    out->chosen = malloc((in->nc + 1) * sizeof *out->chosen);
    out->assign =
        in->cap > 0 ? malloc((in->nr + 1) * sizeof *out->assign) : NULL;
    uint32_t *cnt = calloc(in->nr + 1, sizeof *cnt);
    double *hw = NULL;
    sg_status st = SG_OK;
    if (!out->chosen || !cnt || (in->cap > 0 && !out->assign)) {
        st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        goto done;
    }
    if (in->cap > 0) {
        st = greedy_capacity(ctx, in, out);
        goto done;
    }
    int ran = 0;
    if (!in->cover_all) {
        double minoux = 0;
        st = lazy_greedy(ctx, in, in->w, in->k, cnt, out, &minoux);
        if (st)
            goto done;
        double g = out->value;
        out->bound = fmin(minoux, g / (1 - exp(-1.0)));
        if (out->n == in->k)
            st = swap_add(ctx, in, cnt, out, &ran);
        else
            out->bound = out->value; /* everything coverable is covered */
    } else {
        if (!(hw = malloc((in->nr + 1) * sizeof *hw))) {
            st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
            goto done;
        }
        double dmax = 0;
        for (size_t r = 0; r < in->nr; r++)
            hw[r] = (double)in->r_hh[r];
        for (uint32_t c = 0; c < in->nc; c++) {
            double d = 0;
            for (size_t k = in->c_off[c]; k < in->c_off[c + 1]; k++)
                d += hw[in->c_row[k]];
            dmax = fmax(dmax, d);
        }
        if ((st = lazy_greedy(ctx, in, hw, in->nc, cnt, out, NULL)))
            goto done;
        double harm = 0;
        for (double i = 1; i <= dmax; i++)
            harm += 1 / i;
        double g = (double)out->n;
        if ((st = improve_cover(ctx, in, cnt, out)))
            goto done;
        ran = 1;
        out->bound =
            fmax(packing_bound(ctx, in), harm > 0 ? ceil(g / harm - 1e-9) : 0);
        out->bound = fmin(out->bound, out->value);
    }
    snprintf(out->method, sizeof out->method, ran ? "greedy+swap" : "greedy");
done:
    free(cnt);
    free(hw);
    if (st)
        sg__site_sol_cleanup(out);
    return st;
}

sg_status sg__site_rank(sg_ctx *ctx, const sg__site_inst *in,
                        const sg__site_sol *sol, uint32_t *order,
                        long long *gain_hh, long long *gain_res)
{
    size_t n = sol->n;
    kheap h = {malloc((n + 1) * sizeof(kent)), 0};
    uint32_t *cnt = calloc(in->nr + 1, sizeof *cnt);
    if (!h.v || !cnt) {
        free(h.v);
        free(cnt);
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    }
    if (sol->assign) {
        /* capacity: by the weight each point serves */
        for (size_t i = 0; i < n; i++) {
            double g = 0;
            for (size_t r = 0; r < in->nr; r++)
                if (sol->assign[r] == (int32_t)sol->chosen[i])
                    g += in->w[r];
            h.v[h.n++] = (kent){g, sol->chosen[i]};
        }
        kheapify(&h);
        for (size_t i = 0; i < n; i++) {
            kent e = kpop(&h);
            order[i] = e.c;
            gain_hh[i] = gain_res[i] = 0;
            for (size_t r = 0; r < in->nr; r++)
                if (sol->assign[r] == (int32_t)e.c) {
                    gain_hh[i] += in->r_hh[r];
                    gain_res[i] += in->r_res[r];
                }
        }
    } else {
        for (size_t i = 0; i < n; i++)
            h.v[h.n++] =
                (kent){gain_of(in, cnt, in->w, sol->chosen[i]), sol->chosen[i]};
        kheapify(&h);
        size_t t = 0;
        while (h.n) {
            kent e = kpop(&h);
            kent now = {gain_of(in, cnt, in->w, e.c), e.c};
            if (h.n && !kbefore(&now, &h.v[0])) {
                kpush(&h, now);
                continue;
            }
            order[t] = e.c;
            gain_hh[t] = gain_res[t] = 0;
            for (size_t k = in->c_off[e.c]; k < in->c_off[e.c + 1]; k++) {
                uint32_t r = in->c_row[k];
                if (!cnt[r]) {
                    gain_hh[t] += in->r_hh[r];
                    gain_res[t] += in->r_res[r];
                }
            }
            cover_add(in, cnt, e.c);
            t++;
        }
    }
    free(h.v);
    free(cnt);
    return SG_OK;
}
