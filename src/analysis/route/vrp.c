/* The CVRP solver: capacity, an optional route limit (distance + service
 * time) and service times per customer; cost = total distance.
 *
 * Method:
 *  1. Construction: Clarke & Wright's parallel savings (G. Clarke, J. W.
 *     Wright, "Scheduling of vehicles from a central depot to a number of
 *     delivery points", Operations Research 12(4), 1964). Alone it is the
 *     baseline (SG_VRP_SAVINGS).
 *  2. Local search over granular neighbourhoods (P. Toth, D. Vigo, "The
 *     granular tabu search and its application to the vehicle-routing
 *     problem", INFORMS J. Computing 15(4), 2003): moves only between a
 *     customer and its K nearest others: relocate, or-opt (segments of 2
 *     and 3), swap, 2-opt (within a route) and 2-opt* (tails of two
 *     routes), first improvement, applied to the start and to new bests.
 *  3. Ruin and recreate: Slack Induction by String Removals (SISR; J.
 *     Christiaens, G. Vanden Berghe, "Slack induction by string removals
 *     for vehicle routing problems", Transportation Science 54(2), 2020):
 *     remove a few strings (or split strings) of customers near a random
 *     seed customer from distinct routes, reinsert them greedily in one of
 *     four orders with blinks (each position skipped with probability
 *     0.01), accept by simulated annealing with a temperature falling
 *     geometrically over the budget (time, or iterations when given).
 *     Parameters as in the paper (average removal 10, longest string 10,
 *     split rate 0.5, blink rate 0.01); temperatures are scaled by the
 *     mean edge of the start solution (the paper's 100 -> 1 for its
 *     coordinates of 0..1000) and the split-string preserved block grows
 *     geometrically with rate 1/2.
 *  Independent searches with seeds seed, seed+1, ... run in threads; the
 *  best wins (ties: the lower seed), so a run with an iteration budget is
 *  the same on every machine. Random numbers: xoshiro256** (Blackman &
 *  Vigna) seeded by splitmix64; rand() is never used.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analysis/route/route_int.h"
#include "core/ctx_int.h"

#define EPS 1e-9
#define GRAN_K 20       /* granular neighbourhood size */
#define SISR_CBAR 10.0  /* average customers removed */
#define SISR_LMAX 10.0  /* longest string */
#define SISR_SPLIT 0.5  /* split-string rate */
#define SISR_BLINK 0.01 /* blink rate */
#define MAX_THREADS SG_VRP_MAX_THREADS

/* ---- random numbers ------------------------------------------------------ */

typedef struct rng {
    uint64_t s[4];
} rng;

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static void rng_seed(rng *r, uint64_t seed)
{
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&seed);
}

static inline uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static inline uint64_t rng_next(rng *r)
{
    uint64_t *s = r->s;
    uint64_t res = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return res;
}

/* uniform in [0, 1) */
static inline double rng_u(rng *r)
{
    return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}
/* uniform in [0, n) */
static inline int rng_int(rng *r, int n)
{
    return (int)(rng_u(r) * n);
}

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* ---- solutions ------------------------------------------------------------
 */

typedef struct rt {
    int *c; /* customers in order; buffer of n entries */
    int len;
    double load, dist, svc;
} rt;

typedef struct sol {
    int n; /* customers */
    rt *r; /* n route slots */
    int nr;
    int *buf; /* n*n customer slots behind the r[].c */
    double cost;
} sol;

static int sol_init(sol *s, int n)
{
    memset(s, 0, sizeof *s);
    s->n = n;
    int m = n > 0 ? n : 1;
    s->r = calloc((size_t)m, sizeof *s->r);
    s->buf = malloc((size_t)m * (size_t)m * sizeof *s->buf);
    if (!s->r || !s->buf)
        return 0;
    for (int i = 0; i < m; i++)
        s->r[i].c = s->buf + (size_t)i * (size_t)m;
    return 1;
}

static void sol_free(sol *s)
{
    free(s->r);
    free(s->buf);
    memset(s, 0, sizeof *s);
}

static void sol_copy(sol *d, const sol *s)
{
    for (int i = 0; i < s->nr; i++) {
        rt *a = &d->r[i];
        const rt *b = &s->r[i];
        memcpy(a->c, b->c, (size_t)b->len * sizeof *a->c);
        a->len = b->len;
        a->load = b->load;
        a->dist = b->dist;
        a->svc = b->svc;
    }
    d->nr = s->nr;
    d->cost = s->cost;
}

static void route_eval(const sg_vrp *v, const int *c, int len, double *load,
                       double *dist, double *svc)
{
    double q = 0, d = 0, s = 0;
    int prev = 0;
    for (int i = 0; i < len; i++) {
        q += v->q[c[i]];
        s += v->s[c[i]];
        d += SG_VRP_D(v, prev, c[i]);
        prev = c[i];
    }
    if (len)
        d += SG_VRP_D(v, prev, 0);
    *load = q;
    *dist = d;
    *svc = s;
}

static void route_update(const sg_vrp *v, rt *r)
{
    route_eval(v, r->c, r->len, &r->load, &r->dist, &r->svc);
}

static int fits(const sg_vrp *v, double load, double dist, double svc)
{
    return load <= v->cap + EPS && dist + svc <= v->limit + EPS;
}

/* Drop empty routes (swapping buffers) and recompute the cost. */
static void sol_tidy(sol *s)
{
    double cost = 0;
    for (int i = 0; i < s->nr;) {
        if (s->r[i].len == 0) {
            rt tmp = s->r[i];
            s->r[i] = s->r[s->nr - 1];
            s->r[s->nr - 1] = tmp;
            s->nr--;
            continue;
        }
        cost += s->r[i].dist;
        i++;
    }
    s->cost = cost;
}

/* ---- Clarke-Wright savings -------------------------------------------------
 */

typedef struct saving {
    double s;
    int i, j;
} saving;

static int cmp_saving(const void *a, const void *b)
{
    const saving *x = a, *y = b;
    if (x->s != y->s)
        return x->s > y->s ? -1 : 1;
    if (x->i != y->i)
        return x->i - y->i;
    return x->j - y->j;
}

static int is_symmetric(const sg_vrp *v)
{
    for (int i = 0; i <= v->n; i++)
        for (int j = 0; j < i; j++)
            if (fabs(SG_VRP_D(v, i, j) - SG_VRP_D(v, j, i)) > 1e-9)
                return 0;
    return 1;
}

static void reverse_ints(int *a, int len)
{
    for (int i = 0, j = len - 1; i < j; i++, j--) {
        int t = a[i];
        a[i] = a[j];
        a[j] = t;
    }
}

/* Parallel savings into s (routes one per customer, merged while feasible
 * and the saving is positive). \return 0 when out of memory. */
static int savings(const sg_vrp *v, sol *s)
{
    int n = v->n;
    s->nr = 0;
    if (n == 0) {
        s->cost = 0;
        return 1;
    }
    int sym = is_symmetric(v);
    int *of = malloc((size_t)(n + 1) * sizeof *of);
    size_t np = (size_t)n * (size_t)(n - 1) / (sym ? 2 : 1);
    saving *sv = malloc((np ? np : 1) * sizeof *sv);
    if (!of || !sv) {
        free(of);
        free(sv);
        return 0;
    }
    for (int i = 1; i <= n; i++) {
        rt *r = &s->r[i - 1];
        r->c[0] = i;
        r->len = 1;
        route_update(v, r);
        of[i] = i - 1;
    }
    s->nr = n;
    size_t k = 0;
    for (int i = 1; i <= n; i++)
        for (int j = 1; j <= n; j++) {
            if (i == j || (sym && j < i))
                continue;
            sv[k].s = SG_VRP_D(v, i, 0) + SG_VRP_D(v, 0, j) - SG_VRP_D(v, i, j);
            sv[k].i = i;
            sv[k].j = j;
            k++;
        }
    qsort(sv, k, sizeof *sv, cmp_saving);
    for (size_t p = 0; p < k && sv[p].s > EPS; p++) {
        int i = sv[p].i, j = sv[p].j;
        int a = of[i], b = of[j];
        if (a == b)
            continue;
        rt *A = &s->r[a], *B = &s->r[b];
        int i_tail = A->c[A->len - 1] == i, i_head = A->c[0] == i;
        int j_head = B->c[0] == j, j_tail = B->c[B->len - 1] == j;
        if (!(i_tail || (sym && i_head)) || !(j_head || (sym && j_tail)))
            continue;
        double load = A->load + B->load;
        double dist = A->dist + B->dist - sv[p].s;
        if (!fits(v, load, dist, A->svc + B->svc))
            continue;
        if (!i_tail)
            reverse_ints(A->c, A->len);
        if (!j_head)
            reverse_ints(B->c, B->len);
        memcpy(A->c + A->len, B->c, (size_t)B->len * sizeof *A->c);
        for (int t = 0; t < B->len; t++)
            of[B->c[t]] = a;
        A->len += B->len;
        B->len = 0;
        route_update(v, A);
    }
    /* keep the route indices in of[] right while tidying: recompute later */
    sol_tidy(s);
    free(of);
    free(sv);
    return 1;
}

/* ---- worker state
 * -------------------------------------------------------------- */

typedef struct shared {
    const sg_vrp *v;
    const int *near;  /* n+1 rows of n customers by distance (row 0 unused) */
    const int *gran;  /* n+1 rows of GRAN_K nearest customers */
    int k;            /* entries per gran row */
    const sol *start; /* after savings + local search */
    double t0, tf;    /* temperatures */
    double start_time, time_limit;
    long long iterations;
    atomic_int stop;
} shared;

typedef struct worker {
    shared *sh;
    int index;
    rng rng;
    sol cur, tmp, best;
    int *route_of, *pos_of; /* n+1 */
    int *removed, nrem;     /* n */
    char *is_rem;           /* n+1 */
    char *ruined;           /* n route slots */
    double *key;            /* n+1 */
    int *ta, *tb;           /* scratch routes of n */
    long long iters;
    atomic_llong iters_seen;  /* iters, for the progress thread */
    _Atomic double best_cost; /* best.cost, for the progress thread */
    atomic_int done;
    int ok; /* 0: out of memory */
    pthread_t th;
    int running;
} worker;

static void index_sol(worker *w, const sol *s)
{
    for (int r = 0; r < s->nr; r++)
        for (int p = 0; p < s->r[r].len; p++) {
            w->route_of[s->r[r].c[p]] = r;
            w->pos_of[s->r[r].c[p]] = p;
        }
}

/* ---- local search (granular, first improvement, exact route evaluation) ----
 */

/* Try routes A' = ta[0..la) and B' = tb[0..lb) replacing routes a and b
 * (b may equal a: then only ta). Apply when feasible and better. */
static int try_apply(worker *w, sol *s, int a, int la, int b, int lb)
{
    const sg_vrp *v = w->sh->v;
    double qa, da, sa, qb = 0, db = 0, sb = 0;
    route_eval(v, w->ta, la, &qa, &da, &sa);
    double old = s->r[a].dist + (b != a ? s->r[b].dist : 0);
    double nw = da;
    if (b != a) {
        route_eval(v, w->tb, lb, &qb, &db, &sb);
        nw += db;
    }
    if (nw >= old - 1e-7)
        return 0;
    if (!fits(v, qa, da, sa) || (b != a && !fits(v, qb, db, sb)))
        return 0;
    memcpy(s->r[a].c, w->ta, (size_t)la * sizeof(int));
    s->r[a].len = la;
    s->r[a].load = qa;
    s->r[a].dist = da;
    s->r[a].svc = sa;
    if (b != a) {
        memcpy(s->r[b].c, w->tb, (size_t)lb * sizeof(int));
        s->r[b].len = lb;
        s->r[b].load = qb;
        s->r[b].dist = db;
        s->r[b].svc = sb;
    }
    s->cost += nw - old;
    return 1;
}

/* Moves of customer u against neighbour x; \return 1 when one applied. */
static int ls_pair(worker *w, sol *s, int u, int x)
{
    int a = w->route_of[u], pu = w->pos_of[u];
    int b = w->route_of[x], px = w->pos_of[x];
    rt *A = &s->r[a], *B = &s->r[b];
    int *ta = w->ta, *tb = w->tb;
    /* relocate / or-opt: segment u.. of length 1..3 (and reversed) after x
     * or before x */
    for (int seg = 1; seg <= 3; seg++) {
        if (pu + seg > A->len)
            break;
        for (int rev = 0; rev < (seg > 1 ? 2 : 1); rev++)
            for (int before = 0; before < 2; before++) {
                if (a == b) {
                    if (px >= pu && px < pu + seg)
                        continue;
                    /* route without the segment, then insert */
                    int l = 0;
                    for (int i = 0; i < A->len; i++)
                        if (i < pu || i >= pu + seg)
                            tb[l++] = A->c[i];
                    int at = 0; /* insert before index at of tb */
                    for (int i = 0; i < l; i++)
                        if (tb[i] == x)
                            at = before ? i : i + 1;
                    int m = 0;
                    for (int i = 0; i <= l; i++) {
                        if (i == at)
                            for (int t = 0; t < seg; t++)
                                ta[m++] = A->c[rev ? pu + seg - 1 - t : pu + t];
                        if (i < l)
                            ta[m++] = tb[i];
                    }
                    if (try_apply(w, s, a, m, a, 0))
                        return 1;
                } else {
                    int la = 0, lb = 0;
                    for (int i = 0; i < A->len; i++)
                        if (i < pu || i >= pu + seg)
                            ta[la++] = A->c[i];
                    int at = before ? px : px + 1;
                    for (int i = 0; i <= B->len; i++) {
                        if (i == at)
                            for (int t = 0; t < seg; t++)
                                tb[lb++] =
                                    A->c[rev ? pu + seg - 1 - t : pu + t];
                        if (i < B->len)
                            tb[lb++] = B->c[i];
                    }
                    if (try_apply(w, s, a, la, b, lb))
                        return 1;
                }
            }
    }
    /* swap u and x */
    if (a != b) {
        memcpy(ta, A->c, (size_t)A->len * sizeof(int));
        memcpy(tb, B->c, (size_t)B->len * sizeof(int));
        ta[pu] = x;
        tb[px] = u;
        if (try_apply(w, s, a, A->len, b, B->len))
            return 1;
    } else {
        memcpy(ta, A->c, (size_t)A->len * sizeof(int));
        ta[pu] = x;
        ta[px] = u;
        if (try_apply(w, s, a, A->len, a, 0))
            return 1;
        /* 2-opt: make u -> x an edge by reversing the part between */
        int i = pu < px ? pu : px, j = pu < px ? px : pu;
        memcpy(ta, A->c, (size_t)A->len * sizeof(int));
        if (pu < px)
            reverse_ints(ta + i + 1, j - i); /* u, x, ... */
        else
            reverse_ints(ta + i, j - i); /* ..., x, u */
        if (try_apply(w, s, a, A->len, a, 0))
            return 1;
        return 0;
    }
    /* 2-opt*: A[..pu] + B[px..] and B[..px-1] + A[pu+1..] (edge u -> x) */
    {
        int la = 0, lb = 0;
        for (int i = 0; i <= pu; i++)
            ta[la++] = A->c[i];
        for (int i = px; i < B->len; i++)
            ta[la++] = B->c[i];
        for (int i = 0; i < px; i++)
            tb[lb++] = B->c[i];
        for (int i = pu + 1; i < A->len; i++)
            tb[lb++] = A->c[i];
        if (try_apply(w, s, a, la, b, lb))
            return 1;
        /* variant: A[..pu] + reverse(B[..px]) and reverse(A[pu+1..]) +
         * B[px+1..] (edge u - x, for symmetric distances) */
        la = lb = 0;
        for (int i = 0; i <= pu; i++)
            ta[la++] = A->c[i];
        for (int i = px; i >= 0; i--)
            ta[la++] = B->c[i];
        for (int i = A->len - 1; i > pu; i--)
            tb[lb++] = A->c[i];
        for (int i = px + 1; i < B->len; i++)
            tb[lb++] = B->c[i];
        if (try_apply(w, s, a, la, b, lb))
            return 1;
    }
    return 0;
}

static void local_search(worker *w, sol *s)
{
    const shared *sh = w->sh;
    int n = sh->v->n;
    if (n < 2)
        return;
    /* room for a new route is not needed: moves keep the route count or
     * empty one */
    int improved = 1, rounds = 0;
    while (improved && rounds++ < 1000) {
        improved = 0;
        index_sol(w, s);
        int off = rng_int(&w->rng, n);
        for (int t = 0; t < n; t++) {
            int u = 1 + (t + off) % n;
            const int *g = sh->gran + (size_t)u * (size_t)sh->k;
            for (int k = 0; k < sh->k; k++) {
                int x = g[k];
                if (ls_pair(w, s, u, x)) {
                    improved = 1;
                    index_sol(w, s);
                }
            }
        }
    }
    sol_tidy(s);
}

/* ---- SISR ruin and recreate ------------------------------------------------
 */

static void remove_positions(worker *w, sol *s, int r, const char *drop)
{
    rt *R = &s->r[r];
    int l = 0;
    for (int i = 0; i < R->len; i++) {
        if (drop[i]) {
            int c = R->c[i];
            w->removed[w->nrem++] = c;
            w->is_rem[c] = 1;
        } else {
            R->c[l++] = R->c[i];
        }
    }
    R->len = l;
    route_update(w->sh->v, R);
}

static void ruin(worker *w, sol *s)
{
    const shared *sh = w->sh;
    int n = sh->v->n;
    rng *g = &w->rng;
    w->nrem = 0;
    memset(w->is_rem, 0, (size_t)n + 1);
    memset(w->ruined, 0, (size_t)n);
    index_sol(w, s);
    double avg = (double)n / (s->nr ? s->nr : 1);
    double lsmax = fmin(SISR_LMAX, avg);
    double ksmax = 4.0 * SISR_CBAR / (1.0 + lsmax) - 1.0;
    int ks = (int)floor(rng_u(g) * ksmax) + 1;
    int seed = 1 + rng_int(g, n);
    char drop[4096];
    char *dbuf = n + 1 <= (int)sizeof drop ? drop : NULL;
    const int *near = sh->near + (size_t)seed * (size_t)n;
    int done = 0;
    for (int k = -1; k < n && done < ks; k++) {
        int c = k < 0 ? seed : near[k];
        if (c == seed && k >= 0)
            continue;
        if (w->is_rem[c])
            continue;
        int r = w->route_of[c];
        if (w->ruined[r])
            continue;
        rt *R = &s->r[r];
        int len = R->len;
        double lmax = fmin((double)len, lsmax);
        int l = (int)floor(rng_u(g) * lmax) + 1;
        if (l > len)
            l = len;
        int p = w->pos_of[c];
        char *d = dbuf ? dbuf : calloc((size_t)len, 1);
        if (!d)
            return;
        memset(d, 0, (size_t)len);
        if (l < len && rng_u(g) < SISR_SPLIT) {
            /* split string: l + m customers, m of them kept */
            int m = 1;
            while (l + m < len && rng_u(g) < 0.5)
                m++;
            int tot = l + m;
            int lo = p - tot + 1 < 0 ? 0 : p - tot + 1;
            int hi = p < len - tot ? p : len - tot;
            int st = lo + rng_int(g, hi - lo + 1);
            int keep = rng_int(g, l + 1);
            for (int i = 0; i < tot; i++)
                if (i < keep || i >= keep + m)
                    d[st + i] = 1;
        } else {
            int lo = p - l + 1 < 0 ? 0 : p - l + 1;
            int hi = p < len - l ? p : len - l;
            int st = lo + rng_int(g, hi - lo + 1);
            for (int i = 0; i < l; i++)
                d[st + i] = 1;
        }
        remove_positions(w, s, r, d);
        if (!dbuf)
            free(d);
        w->ruined[r] = 1;
        done++;
    }
}

static void sort_removed(worker *w)
{
    const sg_vrp *v = w->sh->v;
    rng *g = &w->rng;
    int m = w->nrem;
    int *a = w->removed;
    /* random order first (also breaks ties of the sorts below) */
    for (int i = m - 1; i > 0; i--) {
        int j = rng_int(g, i + 1), t = a[i];
        a[i] = a[j];
        a[j] = t;
    }
    double u = rng_u(g) * 11.0;
    if (u < 4)
        return; /* random: 4 */
    for (int i = 0; i < m; i++) {
        int c = a[i];
        if (u < 8)
            w->key[c] = -v->q[c]; /* demand, largest first: 4 */
        else if (u < 10)
            w->key[c] = -SG_VRP_D(v, 0, c); /* far from the depot first: 2 */
        else
            w->key[c] = SG_VRP_D(v, 0, c); /* close first: 1 */
    }
    /* insertion sort (stable, m is small) */
    for (int i = 1; i < m; i++) {
        int c = a[i], j = i - 1;
        while (j >= 0 && w->key[a[j]] > w->key[c]) {
            a[j + 1] = a[j];
            j--;
        }
        a[j + 1] = c;
    }
}

static void recreate(worker *w, sol *s)
{
    const sg_vrp *v = w->sh->v;
    rng *g = &w->rng;
    sort_removed(w);
    for (int k = 0; k < w->nrem; k++) {
        int c = w->removed[k];
        double qc = v->q[c], sc = v->s[c];
        double best = INFINITY;
        int br = -1, bp = 0;
        for (int r = 0; r < s->nr; r++) {
            rt *R = &s->r[r];
            if (R->load + qc > v->cap + EPS)
                continue;
            double room = v->limit - R->dist - R->svc - sc + EPS;
            int prev = 0;
            for (int p = 0; p <= R->len; p++) {
                int next = p < R->len ? R->c[p] : 0;
                double delta = SG_VRP_D(v, prev, c) + SG_VRP_D(v, c, next) -
                               SG_VRP_D(v, prev, next);
                /* a blink skips the position; drawn only where it
                 * matters (the same law as drawing for every one) */
                if (delta < best && delta <= room && rng_u(g) >= SISR_BLINK) {
                    best = delta;
                    br = r;
                    bp = p;
                }
                prev = next;
            }
        }
        double alone = SG_VRP_D(v, 0, c) + SG_VRP_D(v, c, 0);
        if (br < 0 || alone < best) {
            br = s->nr++;
            s->r[br].len = 0;
            bp = 0;
        }
        rt *R = &s->r[br];
        memmove(R->c + bp + 1, R->c + bp, (size_t)(R->len - bp) * sizeof(int));
        R->c[bp] = c;
        R->len++;
        route_update(v, R);
    }
    sol_tidy(s);
}

/* ---- the search loop
 * ----------------------------------------------------------- */

static void *worker_main(void *arg)
{
    worker *w = arg;
    shared *sh = w->sh;
    const sg_vrp *v = sh->v;
    sol_copy(&w->cur, sh->start);
    sol_copy(&w->best, sh->start);
    atomic_store(&w->best_cost, w->best.cost);
    if (v->n < 2) {
        atomic_store(&w->done, 1);
        return NULL;
    }
    long long since_ls = 0;
    for (;;) {
        if (atomic_load_explicit(&sh->stop, memory_order_relaxed))
            break;
        double frac;
        double el = now_s() - sh->start_time;
        if (sh->iterations > 0) {
            if (w->iters >= sh->iterations || el >= sh->time_limit)
                break;
            frac = (double)w->iters / (double)sh->iterations;
        } else {
            if (el >= sh->time_limit)
                break;
            frac = el / sh->time_limit;
        }
        double T = sh->t0 * pow(sh->tf / sh->t0, frac);
        sol_copy(&w->tmp, &w->cur);
        ruin(w, &w->tmp);
        sol_tidy(&w->tmp);
        recreate(w, &w->tmp);
        w->iters++;
        since_ls++;
        if (w->tmp.cost < w->cur.cost - T * log(1.0 - rng_u(&w->rng))) {
            sol t = w->cur;
            w->cur = w->tmp;
            w->tmp = t;
            if (w->cur.cost < w->best.cost - EPS) {
                if (since_ls > 200) {
                    local_search(w, &w->cur);
                    since_ls = 0;
                }
                sol_copy(&w->best, &w->cur);
                atomic_store(&w->best_cost, w->best.cost);
            }
        }
        if ((w->iters & 63) == 0)
            atomic_store(&w->iters_seen, w->iters);
    }
    local_search(w, &w->best);
    atomic_store(&w->done, 1);
    return NULL;
}

static int worker_init(worker *w, shared *sh, int index, uint64_t seed)
{
    int n = sh->v->n;
    memset(w, 0, sizeof *w);
    w->sh = sh;
    w->index = index;
    rng_seed(&w->rng, seed);
    size_t m = (size_t)n + 1;
    w->route_of = calloc(m, sizeof(int));
    w->pos_of = calloc(m, sizeof(int));
    w->removed = calloc(m, sizeof(int));
    w->is_rem = calloc(m, 1);
    w->ruined = calloc(m, 1);
    w->key = calloc(m, sizeof(double));
    w->ta = calloc(m, sizeof(int));
    w->tb = calloc(m, sizeof(int));
    atomic_init(&w->iters_seen, 0);
    atomic_init(&w->best_cost, 0.0);
    atomic_init(&w->done, 0);
    w->ok = w->route_of && w->pos_of && w->removed && w->is_rem && w->ruined &&
            w->key && w->ta && w->tb && sol_init(&w->cur, n) &&
            sol_init(&w->tmp, n) && sol_init(&w->best, n);
    return w->ok;
}

static void worker_free(worker *w)
{
    free(w->route_of);
    free(w->pos_of);
    free(w->removed);
    free(w->is_rem);
    free(w->ruined);
    free(w->key);
    free(w->ta);
    free(w->tb);
    sol_free(&w->cur);
    sol_free(&w->tmp);
    sol_free(&w->best);
}

/* ---- the public entry
 * ---------------------------------------------------------- */

/* The defaults, shared by sg_vrp_options_new(), sg_vrp_solve(NULL) and
 * the route's solver. */
void sg__vrp_defaults(sg_vrp_options *o)
{
    memset(o, 0, sizeof *o);
    o->method = SG_VRP_SISR;
    o->time_limit = 10;
    o->iterations = 0;
    o->seed = 1;
    o->threads = 2;
}

sg_vrp_options *sg_vrp_options_new(void)
{
    sg_vrp_options *o = malloc(sizeof *o);
    if (o)
        sg__vrp_defaults(o);
    return o;
}

void sg_vrp_options_free(sg_vrp_options *opts)
{
    free(opts);
}

sg_status sg_vrp_options_set_method(sg_ctx *ctx, sg_vrp_options *opts,
                                    sg_vrp_method method)
{
    if (method != SG_VRP_SISR && method != SG_VRP_SAVINGS)
        return sg__error(ctx, SG_ERR_USAGE,
                         "vrp: unknown method %d (sisr or savings)",
                         (int)method);
    opts->method = method;
    return SG_OK;
}

sg_status sg_vrp_options_set_time_limit(sg_ctx *ctx, sg_vrp_options *opts,
                                        double seconds)
{
    if (!(seconds > 0) || !isfinite(seconds))
        return sg__error(ctx, SG_ERR_USAGE,
                         "vrp: the time limit must be seconds > 0, not %g",
                         seconds);
    opts->time_limit = seconds;
    return SG_OK;
}

sg_status sg_vrp_options_set_iterations(sg_ctx *ctx, sg_vrp_options *opts,
                                        long long iterations)
{
    if (iterations < 0)
        return sg__error(ctx, SG_ERR_USAGE,
                         "vrp: the iterations must be a whole number >= 0 "
                         "(0: the clock decides), not %lld",
                         iterations);
    opts->iterations = iterations;
    return SG_OK;
}

sg_status sg_vrp_options_set_seed(sg_ctx *ctx, sg_vrp_options *opts,
                                  unsigned long long seed)
{
    (void)ctx;
    opts->seed = seed;
    return SG_OK;
}

sg_status sg_vrp_options_set_threads(sg_ctx *ctx, sg_vrp_options *opts,
                                     int threads)
{
    if (threads < 1 || threads > SG_VRP_MAX_THREADS)
        return sg__error(ctx, SG_ERR_USAGE,
                         "vrp: the threads must be 1..%d, not %d",
                         SG_VRP_MAX_THREADS, threads);
    opts->threads = threads;
    return SG_OK;
}

sg_vrp_method sg_vrp_options_method(const sg_vrp_options *opts)
{
    return opts->method;
}

unsigned long long sg_vrp_options_seed(const sg_vrp_options *opts)
{
    return opts->seed;
}

/* Free \p s's arrays and zero it. */
static void solution_clear(sg_vrp_solution *s)
{
    free(s->route_start);
    free(s->stops);
    memset(s, 0, sizeof *s);
}

void sg_vrp_solution_free(sg_vrp_solution *s)
{
    if (!s)
        return;
    solution_clear(s);
    free(s);
}

int sg_vrp_check(const sg_vrp *v, const sg_vrp_solution *s, double *cost)
{
    int n = v->n, ok = 1;
    double total = 0;
    char *seen = calloc((size_t)n + 1, 1);
    if (!seen)
        return 0;
    if (s->n_routes < 0 || (s->n_routes > 0 && !s->route_start) ||
        (s->n_routes > 0 && s->route_start[0] != 0) ||
        (s->n_routes > 0 && s->route_start[s->n_routes] != n) ||
        (s->n_routes == 0 && n > 0))
        ok = 0;
    for (int r = 0; ok && r < s->n_routes; r++) {
        int a = s->route_start[r], b = s->route_start[r + 1];
        if (b <= a || a < 0 || b > n) {
            ok = 0;
            break;
        }
        double q = 0, d = 0, sv = 0;
        int prev = 0;
        for (int k = a; k < b; k++) {
            int c = s->stops[k];
            if (c < 1 || c > n || seen[c]) {
                ok = 0;
                break;
            }
            seen[c] = 1;
            q += v->q[c];
            sv += v->s[c];
            d += SG_VRP_D(v, prev, c);
            prev = c;
        }
        d += SG_VRP_D(v, prev, 0);
        total += d;
        if (q > v->cap + 1e-6 || d + sv > v->limit + 1e-6)
            ok = 0;
    }
    for (int c = 1; ok && c <= n; c++)
        if (!seen[c])
            ok = 0;
    free(seen);
    if (cost)
        *cost = total;
    return ok;
}

typedef struct keyed {
    double k;
    int j;
} keyed;

static int cmp_keyed(const void *a, const void *b)
{
    const keyed *x = a, *y = b;
    if (x->k != y->k)
        return x->k < y->k ? -1 : 1;
    return x->j - y->j;
}

/* sg_vrp_solve() into the caller's \p out (cleared on failure). */
static sg_status solve_into(sg_ctx *ctx, const sg_vrp *v,
                            const sg_vrp_options *opts, sg_vrp_solution *out)
{
    memset(out, 0, sizeof *out);
    sg_vrp_options def;
    if (!opts) {
        sg__vrp_defaults(&def);
        opts = &def;
    }
    double t_start = now_s();
    int n = v->n;
    for (int c = 1; c <= n; c++) {
        if (v->q[c] > v->cap + EPS)
            return sg__error(ctx, SG_ERR_INPUT,
                             "vrp: customer %lld: demand %g exceeds the "
                             "capacity %g",
                             v->id[c], v->q[c], v->cap);
        double alone = SG_VRP_D(v, 0, c) + SG_VRP_D(v, c, 0) + v->s[c];
        if (!isfinite(alone))
            return sg__error(ctx, SG_ERR_INPUT,
                             "vrp: customer %lld cannot be reached from the "
                             "depot and back",
                             v->id[c]);
        if (!(alone <= v->limit + EPS))
            return sg__error(ctx, SG_ERR_INPUT,
                             "vrp: customer %lld: the trip there and back "
                             "(%g) exceeds the route limit %g",
                             v->id[c], alone, v->limit);
    }
    sg_status st = SG_OK;
    int nth = opts->threads;
    if (opts->method == SG_VRP_SAVINGS || n < 2)
        nth = 1;
    worker w[MAX_THREADS];
    int nw = 0;
    sol start = {0};
    int *near = NULL, *gran = NULL;
    shared sh = {.v = v};
    atomic_init(&sh.stop, 0);
    if (!sol_init(&start, n) || !savings(v, &start)) {
        st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        goto done;
    }
    const sol *result = &start;
    long long iters = 0;
    if (opts->method != SG_VRP_SAVINGS && n >= 2) {
        size_t m = (size_t)n + 1;
        near = malloc(m * (size_t)n * sizeof *near);
        int k = n - 1 < GRAN_K ? n - 1 : GRAN_K;
        gran = malloc(m * (size_t)(k > 0 ? k : 1) * sizeof *gran);
        if (!near || !gran) {
            st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
            goto done;
        }
        keyed *row = malloc((size_t)n * sizeof *row);
        if (!row) {
            st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
            goto done;
        }
        for (int i = 1; i <= n; i++) {
            int l = 0, *nr = near + (size_t)i * (size_t)n;
            for (int j = 1; j <= n; j++)
                if (j != i)
                    row[l++] =
                        (keyed){SG_VRP_D(v, i, j) + SG_VRP_D(v, j, i), j};
            qsort(row, (size_t)l, sizeof *row, cmp_keyed);
            for (int t = 0; t < l; t++)
                nr[t] = row[t].j;
            nr[n - 1] = i; /* unused slot: keep defined */
            memcpy(gran + (size_t)i * (size_t)k, nr, (size_t)k * sizeof *gran);
        }
        free(row);
        sh.near = near;
        sh.gran = gran;
        sh.k = k;
        sh.iterations = opts->iterations;
        sh.time_limit = opts->time_limit;
        for (int i = 0; i < nth; i++) {
            if (!worker_init(&w[i], &sh, i,
                             (uint64_t)opts->seed + (uint64_t)i)) {
                worker_free(&w[i]);
                st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
                goto done;
            }
            nw++;
        }
        local_search(&w[0], &start);
        double edge = start.cost / (double)(n + start.nr);
        /* tuned on CMT2, 4 and 10 at 400,000 steps: 1.0 -> 0.01 beat
         * 0.3 -> 0.003, 0.1 -> 0.001, 2 -> 0.02 and 3 -> 0.01 */
        sh.t0 = 1.0 * edge;
        sh.tf = 0.01 * edge;
        sh.start = &start;
        sh.start_time = t_start;
        for (int i = 1; i < nw; i++)
            w[i].running =
                pthread_create(&w[i].th, NULL, worker_main, &w[i]) == 0;
        /* every search runs on a thread of its own; this one reports the
         * best cost of the first search as progress and relays a cancel */
        w[0].running = pthread_create(&w[0].th, NULL, worker_main, &w[0]) == 0;
        if (!w[0].running)
            worker_main(&w[0]);
        double last = 0;
        while (w[0].running && !atomic_load(&w[0].done)) {
            struct timespec ts = {0, 50 * 1000 * 1000};
            nanosleep(&ts, NULL);
            double el = now_s() - t_start;
            double frac = sh.iterations > 0
                              ? (double)atomic_load(&w[0].iters_seen) /
                                    (double)sh.iterations
                              : el / sh.time_limit;
            if (el - last >= 0.25 && frac < 1) {
                char msg[64];
                snprintf(msg, sizeof msg, "best %.2f",
                         atomic_load(&w[0].best_cost));
                last = el;
                if (!st && sg__progress(ctx, frac, msg)) {
                    atomic_store(&sh.stop, 1);
                    st = SG_ERR_CANCELLED;
                }
            }
        }
        if (w[0].running) {
            pthread_join(w[0].th, NULL);
            w[0].running = 0;
        }
        for (int i = 1; i < nw; i++) {
            if (w[i].running) {
                pthread_join(w[i].th, NULL);
                w[i].running = 0;
            } else {
                worker_main(&w[i]); /* no thread: run it here (late) */
            }
        }
        if (st)
            goto done;
        int bi = 0;
        for (int i = 0; i < nw; i++) {
            iters += w[i].iters;
            if (w[i].best.cost < w[bi].best.cost - EPS)
                bi = i;
        }
        result = &w[bi].best;
    }
    out->route_start = malloc(((size_t)result->nr + 1) * sizeof(int));
    out->stops = malloc(((size_t)n + 1) * sizeof(int));
    if (!out->route_start || !out->stops) {
        st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        goto done;
    }
    out->n_routes = result->nr;
    int k = 0;
    for (int r = 0; r < result->nr; r++) {
        out->route_start[r] = k;
        for (int p = 0; p < result->r[r].len; p++)
            out->stops[k++] = result->r[r].c[p];
    }
    out->route_start[result->nr] = k;
    out->iterations = iters;
    out->feasible = sg_vrp_check(v, out, &out->cost);
    out->seconds = now_s() - t_start;
    sg__progress(ctx, 1.0, NULL);
done:
    for (int i = 0; i < nw; i++)
        worker_free(&w[i]);
    sol_free(&start);
    free(near);
    free(gran);
    if (st)
        solution_clear(out);
    return st;
}

sg_status sg_vrp_solve(sg_ctx *ctx, const sg_vrp *v, const sg_vrp_options *opts,
                       sg_vrp_solution **out)
{
    *out = NULL;
    sg_vrp_solution *s = calloc(1, sizeof *s);
    if (!s)
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    sg_status st = solve_into(ctx, v, opts, s);
    if (st) {
        sg_vrp_solution_free(s);
        return st;
    }
    *out = s;
    return SG_OK;
}
