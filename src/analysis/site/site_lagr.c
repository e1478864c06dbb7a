/* Lagrangian bounds for the siting instance without a capacity, by
 * subgradient optimisation: cheap (each step is one pass over the
 * coverage sets) and, as the multipliers converge, as tight as the LP
 * relaxation (the covering constraints have the integrality property
 * once they are dualised). Every multiplier vector gives a valid bound,
 * so stopping early only loosens it.
 *  - --add K (max): relax y_i <= sum_j a_ij x_j with 0 <= l_i <= w_i:
 *    L(l) = sum_i (w_i - l_i) + the K largest c_j = sum_{i in S_j} l_i,
 *    an upper bound on the optimum for every such l.
 *  - --cover-all (min): relax sum_j a_ij x_j >= 1 with l_i >= 0:
 *    L(l) = sum_i l_i + sum_j min(0, 1 - c_j), a lower bound.
 * Steps follow Polyak: t = mu (L - target) / |g|^2 with the best value
 * known as target, mu halved after 20 steps without progress. For the
 * cover the multipliers also guide a heuristic (Beasley's): points of
 * negative reduced cost, the cheapest point for each row left, redundant
 * ones dropped, then the polish of the greedy path.
 * Not for: instances with a capacity (the greedy bounds serve there).
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analysis/site/site_int.h"

/* Seconds of the monotonic clock. */
static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* A min-heap of (value, candidate) holding the k largest values seen. */
typedef struct topk {
    double *v;
    uint32_t *c;
    size_t n, k;
} topk;

/* Offer (\p v, \p c): kept if among the k largest so far. */
static void topk_offer(topk *t, double v, uint32_t c)
{
    size_t i;
    if (t->n < t->k) {
        i = t->n++;
        while (i > 0 && t->v[(i - 1) / 2] > v) {
            t->v[i] = t->v[(i - 1) / 2];
            t->c[i] = t->c[(i - 1) / 2];
            i = (i - 1) / 2;
        }
        t->v[i] = v;
        t->c[i] = c;
        return;
    }
    if (t->k == 0 || v <= t->v[0])
        return;
    i = 0;
    for (;;) {
        size_t ch = 2 * i + 1;
        if (ch >= t->n)
            break;
        if (ch + 1 < t->n && t->v[ch + 1] < t->v[ch])
            ch++;
        if (t->v[ch] >= v)
            break;
        t->v[i] = t->v[ch];
        t->c[i] = t->c[ch];
        i = ch;
    }
    t->v[i] = v;
    t->c[i] = c;
}

/* One evaluation for --add: L(l) and its subgradient g. */
static double eval_add(const sg__site_inst *in, const double *l, double *cj,
                       topk *t, double *g)
{
    double L = 0;
    for (size_t r = 0; r < in->nr; r++) {
        L += in->w[r] - l[r];
        g[r] = l[r] < in->w[r] ? 1 : 0; /* y_r */
    }
    t->n = 0;
    for (uint32_t c = 0; c < in->nc; c++) {
        double s = 0;
        for (size_t k = in->c_off[c]; k < in->c_off[c + 1]; k++)
            s += l[in->c_row[k]];
        cj[c] = s;
        topk_offer(t, s, c);
    }
    for (size_t i = 0; i < t->n; i++) {
        L += t->v[i];
        uint32_t c = t->c[i];
        for (size_t k = in->c_off[c]; k < in->c_off[c + 1]; k++)
            g[in->c_row[k]] -= 1;
    }
    return L;
}

/* One evaluation for --cover-all: L(l) and its subgradient g. */
static double eval_cover(const sg__site_inst *in, const double *l, double *cj,
                         double *g)
{
    double L = 0;
    for (size_t r = 0; r < in->nr; r++) {
        L += l[r];
        g[r] = 1;
    }
    for (uint32_t c = 0; c < in->nc; c++) {
        double s = 0;
        for (size_t k = in->c_off[c]; k < in->c_off[c + 1]; k++)
            s += l[in->c_row[k]];
        cj[c] = s;
        if (s > 1) {
            L += 1 - s;
            for (size_t k = in->c_off[c]; k < in->c_off[c + 1]; k++)
                g[in->c_row[k]] -= 1;
        }
    }
    return L;
}

/* Work space of the covers built from the multipliers. */
typedef struct lheur {
    uint32_t *cnt;  /* per row */
    uint32_t *pick; /* chosen candidates */
    uint32_t *best; /* the best cover so far */
    size_t npick, nbest;
    unsigned char *in_s;
} lheur;

/* A candidate with its reduced cost, for sorting. */
typedef struct kc {
    double key;
    uint32_t c;
} kc;

/* Largest key first, then the later candidate (dropped first). */
static int cmp_kc(const void *a, const void *b)
{
    const kc *p = a, *q = b;
    if (p->key != q->key)
        return p->key > q->key ? -1 : 1;
    return p->c > q->c ? -1 : p->c < q->c;
}

/* Build a cover from reduced costs 1 - cj: every candidate with a
 * negative one, then for each row left the candidate of least reduced
 * cost, then redundant ones dropped by decreasing reduced cost. Keeps it
 * in h->best if it needs fewer points. \return 1, or 0 when out of
 * memory. */
static int cover_from(const sg__site_inst *in, const double *cj, lheur *h)
{
    memset(h->cnt, 0, in->nr * sizeof *h->cnt);
    memset(h->in_s, 0, in->nc);
    h->npick = 0;
    for (uint32_t c = 0; c < in->nc; c++)
        if (cj[c] > 1) {
            h->pick[h->npick++] = c;
            h->in_s[c] = 1;
            for (size_t k = in->c_off[c]; k < in->c_off[c + 1]; k++)
                h->cnt[in->c_row[k]]++;
        }
    for (size_t r = 0; r < in->nr; r++) {
        if (h->cnt[r])
            continue;
        uint32_t bc = in->r_cand[in->r_off[r]];
        for (size_t q = in->r_off[r]; q < in->r_off[r + 1]; q++)
            if (cj[in->r_cand[q]] > cj[bc])
                bc = in->r_cand[q];
        h->pick[h->npick++] = bc;
        h->in_s[bc] = 1;
        for (size_t k = in->c_off[bc]; k < in->c_off[bc + 1]; k++)
            h->cnt[in->c_row[k]]++;
    }
    kc *ord = malloc((h->npick + 1) * sizeof *ord);
    if (!ord)
        return 0;
    for (size_t i = 0; i < h->npick; i++)
        ord[i] = (kc){1 - cj[h->pick[i]], h->pick[i]};
    qsort(ord, h->npick, sizeof *ord, cmp_kc);
    size_t n = 0;
    for (size_t i = 0; i < h->npick; i++) {
        uint32_t c = ord[i].c;
        int needed = 0;
        for (size_t k = in->c_off[c]; k < in->c_off[c + 1] && !needed; k++)
            needed = h->cnt[in->c_row[k]] < 2;
        if (needed) {
            h->pick[n++] = c;
            continue;
        }
        for (size_t k = in->c_off[c]; k < in->c_off[c + 1]; k++)
            h->cnt[in->c_row[k]]--;
    }
    free(ord);
    h->npick = n;
    if (n < h->nbest) {
        memcpy(h->best, h->pick, n * sizeof *h->best);
        h->nbest = n;
    }
    return 1;
}

sg_status sg__site_lagrangian(sg_ctx *ctx, const sg__site_inst *in,
                              sg__site_sol *sol, double seconds, int max_steps,
                              double *bound)
{
    double target = sol->value;
    lheur h = {0};
    size_t nr = in->nr, nc = in->nc;
    int add = !in->cover_all;
    size_t k = add ? (in->k < nc ? in->k : nc) : 0;
    double *l = malloc((nr + 1) * sizeof *l);
    double *g = malloc((nr + 1) * sizeof *g);
    double *cj = malloc((nc + 1) * sizeof *cj);
    topk t = {malloc((k + 1) * sizeof(double)),
              malloc((k + 1) * sizeof(uint32_t)), 0, k};
    sg_status st = SG_OK;
    if (!l || !g || !cj || !t.v || !t.c) {
        st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        goto done;
    }
    if (!add) {
        h.cnt = malloc((nr + 1) * sizeof *h.cnt);
        h.pick = malloc((nc + 1) * sizeof *h.pick);
        h.best = malloc((nc + 1) * sizeof *h.best);
        h.in_s = malloc(nc + 1);
        h.nbest = (size_t)-1;
        if (!h.cnt || !h.pick || !h.best || !h.in_s) {
            st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
            goto done;
        }
    }
    /* start: add l = w (the bound of the K largest sets); cover l_i =
     * the smallest 1 / |S_j| over the candidates covering row i */
    for (size_t r = 0; r < nr; r++) {
        if (add) {
            l[r] = in->w[r];
            continue;
        }
        double m = 1;
        for (size_t q = in->r_off[r]; q < in->r_off[r + 1]; q++) {
            uint32_t c = in->r_cand[q];
            m = fmin(m, 1.0 / (double)(in->c_off[c + 1] - in->c_off[c]));
        }
        l[r] = m;
    }
    double best = add ? INFINITY : -INFINITY, mu = 2, t0 = now_s();
    int stale = 0;
    for (int step = 0; step < max_steps; step++) {
        double L = add ? eval_add(in, l, cj, &t, g) : eval_cover(in, l, cj, g);
        int improved = add ? L < best - 1e-9 : L > best + 1e-9;
        if (improved) {
            best = L;
            stale = 0;
        } else if (++stale >= 20) {
            mu /= 2;
            stale = 0;
        }
        if (!add && (improved || step % 10 == 0)) {
            if (!cover_from(in, cj, &h)) {
                st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
                goto done;
            }
            target = fmin(target, (double)h.nbest);
        }
        /* done when the bound meets the target (integral values) */
        if (add ? floor(best / (in->wscale > 0 ? in->wscale : 1) + 1e-9) <=
                      floor(target / (in->wscale > 0 ? in->wscale : 1) + 1e-9)
                : ceil(best - 1e-9) >= target)
            break;
        if (mu < 1e-4 || now_s() - t0 > seconds)
            break;
        double g2 = 0;
        for (size_t r = 0; r < nr; r++)
            g2 += g[r] * g[r];
        if (g2 == 0)
            break; /* l is optimal */
        double tstep = mu * fabs(L - target) / g2;
        if (!(tstep > 0))
            tstep = mu / g2;
        /* g is minus the gradient of L for add (L falls along it) and
         * the gradient for cover (L rises along it): both step along g */
        for (size_t r = 0; r < nr; r++) {
            double v = l[r] + tstep * g[r];
            v = v < 0 ? 0 : v;
            l[r] = add && v > in->w[r] ? in->w[r] : v;
        }
        if ((step & 31) == 31 &&
            (st = sg__progress(ctx, (now_s() - t0) / seconds, "bound")))
            goto done;
    }
    *bound = add ? best : ceil(best - 1e-9);
    if (!add && h.nbest < sol->n) {
        /* polish the best cover; keep it if it beats the one in hand */
        sg__site_sol cand = {h.best, h.nbest, NULL, (double)h.nbest, 0, "", 0};
        if ((st = sg__site_cover_polish(ctx, in, &cand)))
            goto done;
        if (cand.n < sol->n) {
            memcpy(sol->chosen, cand.chosen, cand.n * sizeof *sol->chosen);
            sol->n = cand.n;
            sol->value = (double)cand.n;
        }
    }
done:
    free(l);
    free(g);
    free(cj);
    free(t.v);
    free(t.c);
    free(h.cnt);
    free(h.pick);
    free(h.best);
    free(h.in_s);
    return st;
}
