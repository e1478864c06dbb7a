/* Tests of the CVRP solver and the CVRPLIB reader (sanigrid/route.h).
 * Expectations come from outside the solver: the optimum of small
 * instances by enumerating every partition of the customers into routes
 * (each route's best order by trying every permutation), and a feasibility
 * checker written here (each customer exactly once, capacity, route limit
 * with service time, cost recomputed) applied to every solution.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "sanigrid/route.h"
#include "analysis/route/route_int.h"

#define MAXN 10

typedef struct inst {
    int n;
    double d[MAXN + 1][MAXN + 1];
    double q[MAXN + 1], s[MAXN + 1];
    double cap, lim;
} inst;

/* A small LCG of its own, so instances do not depend on the solver's. */
static double lcg(unsigned *x)
{
    *x = *x * 1103515245u + 12345u;
    return (double)((*x >> 8) & 0xffff) / 65536.0;
}

static void make_inst(inst *I, int n, unsigned seed, double cap, double lim,
                      double svc)
{
    double x[MAXN + 1], y[MAXN + 1];
    memset(I, 0, sizeof *I);
    I->n = n;
    I->cap = cap;
    I->lim = lim;
    for (int i = 0; i <= n; i++) {
        x[i] = i ? 100 * lcg(&seed) : 50;
        y[i] = i ? 100 * lcg(&seed) : 50;
        I->q[i] = i ? 1 + floor(9 * lcg(&seed)) : 0;
        I->s[i] = i ? svc : 0;
    }
    for (int i = 0; i <= n; i++)
        for (int j = 0; j <= n; j++)
            I->d[i][j] = hypot(x[i] - x[j], y[i] - y[j]);
}

static sg_vrp *to_vrp(sg_ctx *ctx, const inst *I)
{
    int m = I->n + 1;
    double *d = malloc(sizeof(double) * (size_t)(m * m));
    for (int i = 0; i < m; i++)
        for (int j = 0; j < m; j++)
            d[i * m + j] = I->d[i][j];
    sg_vrp *v = NULL;
    assert_sg_status(
        ctx, sg_vrp_new(ctx, I->n, d, I->q, I->cap, I->lim, I->s, &v), SG_OK);
    free(d);
    return v;
}

/* The independent checker: fails the test when the solution is not
 * feasible; \return the recomputed cost. */
static double check_solution(const inst *I, const sg_vrp_solution *s)
{
    int seen[MAXN + 1] = {0};
    double total = 0;
    assert_true(s->feasible);
    for (int r = 0; r < s->n_routes; r++) {
        int a = s->route_start[r], b = s->route_start[r + 1];
        assert_true(b > a);
        double load = 0, len = 0, svc = 0;
        int prev = 0;
        for (int k = a; k < b; k++) {
            int c = s->stops[k];
            assert_true(c >= 1 && c <= I->n);
            seen[c]++;
            load += I->q[c];
            svc += I->s[c];
            len += I->d[prev][c];
            prev = c;
        }
        len += I->d[prev][0];
        assert_true(load <= I->cap + 1e-9);
        if (I->lim > 0)
            assert_true(len + svc <= I->lim + 1e-9);
        total += len;
    }
    for (int c = 1; c <= I->n; c++)
        assert_int_equal(seen[c], 1);
    assert_true(fabs(total - s->cost) < 1e-6);
    return total;
}

/* ---- brute force ------------------------------------------------------------
 */

/* Best closed tour through the customers of mask (every permutation). */
static double best_perm(const inst *I, int *a, int k, int len)
{
    if (k == len) {
        double d = I->d[0][a[0]] + I->d[a[len - 1]][0];
        for (int i = 1; i < len; i++)
            d += I->d[a[i - 1]][a[i]];
        return d;
    }
    double best = INFINITY;
    for (int i = k; i < len; i++) {
        int t = a[k];
        a[k] = a[i];
        a[i] = t;
        double v = best_perm(I, a, k + 1, len);
        if (v < best)
            best = v;
        a[i] = a[k];
        a[k] = t;
    }
    return best;
}

static double route_cost[1 << MAXN]; /* INFINITY: not a feasible route */

static void route_costs(const inst *I)
{
    for (int mask = 1; mask < (1 << I->n); mask++) {
        int a[MAXN], len = 0;
        double load = 0, svc = 0;
        for (int c = 1; c <= I->n; c++)
            if (mask & (1 << (c - 1))) {
                a[len++] = c;
                load += I->q[c];
                svc += I->s[c];
            }
        route_cost[mask] = INFINITY;
        if (load > I->cap + 1e-9)
            continue;
        double d = best_perm(I, a, 0, len);
        if (I->lim > 0 && d + svc > I->lim + 1e-9)
            continue;
        route_cost[mask] = d;
    }
}

/* Every set partition as a restricted growth string blk[1..n]. */
static double enum_partitions(const inst *I, int c, int *blk, int nblk,
                              long *count)
{
    if (c > I->n) {
        int masks[MAXN] = {0};
        for (int i = 1; i <= I->n; i++)
            masks[blk[i]] |= 1 << (i - 1);
        double t = 0;
        for (int b = 0; b < nblk; b++)
            t += route_cost[masks[b]];
        (*count)++;
        return t;
    }
    double best = INFINITY;
    for (int b = 0; b <= nblk; b++) {
        blk[c] = b;
        double v =
            enum_partitions(I, c + 1, blk, b == nblk ? nblk + 1 : nblk, count);
        if (v < best)
            best = v;
    }
    return best;
}

static double brute_force(const inst *I, long *count)
{
    int blk[MAXN + 1];
    route_costs(I);
    *count = 0;
    return enum_partitions(I, 1, blk, 0, count);
}

static sg_ctx *ctx_new(void)
{
    sg_ctx *ctx = sg_ctx_new();
    assert_non_null(ctx);
    return ctx;
}

static void solve(sg_ctx *ctx, const inst *I, sg_vrp_method m, long long iters,
                  unsigned long long seed, int threads, sg_vrp_solution **out)
{
    sg_vrp *v = to_vrp(ctx, I);
    sg_vrp_options *o = sg_vrp_options_new();
    assert_non_null(o);
    assert_sg_status(ctx, sg_vrp_options_set_method(ctx, o, m), SG_OK);
    assert_sg_status(ctx, sg_vrp_options_set_iterations(ctx, o, iters), SG_OK);
    assert_sg_status(ctx, sg_vrp_options_set_time_limit(ctx, o, 60), SG_OK);
    assert_sg_status(ctx, sg_vrp_options_set_seed(ctx, o, seed), SG_OK);
    assert_sg_status(ctx, sg_vrp_options_set_threads(ctx, o, threads), SG_OK);
    assert_sg_status(ctx, sg_vrp_solve(ctx, v, o, out), SG_OK);
    sg_vrp_options_free(o);
    assert_non_null(*out);
    double c2 = 0;
    assert_true(sg_vrp_check(v, *out, &c2));
    assert_true(fabs(c2 - (*out)->cost) < 1e-9);
    sg_vrp_free(v);
}

static void test_optimal_by_enumeration(void **state)
{
    (void)state;
    sg_ctx *ctx = ctx_new();
    int cw_worse = 0;
    struct {
        int n;
        unsigned seed;
        double cap, lim, svc;
    } cases[] = {
        {9, 1, 15, 0, 0}, /* capacity only */
        {9, 7, 20, 0, 0},
        {9, 3, 25, 200, 10}, /* limit with service time */
        {10, 11, 18, 0, 0},
        {10, 5, 100, 180, 5}, /* the limit binds, not the capacity */
    };
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        inst I;
        make_inst(&I, cases[k].n, cases[k].seed, cases[k].cap, cases[k].lim,
                  cases[k].svc);
        long parts = 0;
        double opt = brute_force(&I, &parts);
        assert_true(isfinite(opt));
        /* Bell numbers: every partition was looked at */
        assert_int_equal(parts, cases[k].n == 9 ? 21147 : 115975);
        sg_vrp_solution *s = NULL;
        solve(ctx, &I, SG_VRP_SISR, 20000, 1, 2, &s);
        double got = check_solution(&I, s);
        if (fabs(got - opt) > 1e-6)
            fail_msg("case %zu: solver %.6f, optimum %.6f", k, got, opt);
        sg_vrp_solution_free(s);
        /* the baseline is feasible and never below the optimum */
        solve(ctx, &I, SG_VRP_SAVINGS, 0, 1, 1, &s);
        double cw = check_solution(&I, s);
        assert_true(cw >= opt - 1e-9);
        cw_worse += cw > opt + 1e-6;
        sg_vrp_solution_free(s);
    }
    /* the cases are not so easy that savings alone finds every optimum */
    assert_true(cw_worse >= 2);
    sg_ctx_free(ctx);
}

static void test_tsp_one_vehicle(void **state)
{
    (void)state;
    sg_ctx *ctx = ctx_new();
    inst I;
    make_inst(&I, 9, 42, INFINITY, 0, 0);
    int a[MAXN];
    for (int i = 0; i < 9; i++)
        a[i] = i + 1;
    double opt = best_perm(&I, a, 0, 9);
    sg_vrp_solution *s = NULL;
    solve(ctx, &I, SG_VRP_SISR, 5000, 3, 1, &s);
    assert_int_equal(s->n_routes, 1);
    assert_true(fabs(check_solution(&I, s) - opt) < 1e-6);
    sg_vrp_solution_free(s);
    sg_ctx_free(ctx);
}

static void test_deterministic(void **state)
{
    (void)state;
    sg_ctx *ctx = ctx_new();
    sg_vrp *v = NULL;
    char path[4096];
    snprintf(path, sizeof path, "%s/data/route/village12.vrp",
             sg_test_source_dir());
    assert_sg_status(ctx, sg_vrp_read(ctx, path, &v), SG_OK);
    sg_vrp_options *o = sg_vrp_options_new();
    assert_non_null(o);
    assert_sg_status(ctx, sg_vrp_options_set_iterations(ctx, o, 3000), SG_OK);
    assert_sg_status(ctx, sg_vrp_options_set_time_limit(ctx, o, 60), SG_OK);
    assert_sg_status(ctx, sg_vrp_options_set_seed(ctx, o, 9), SG_OK);
    sg_vrp_solution *a = NULL, *b = NULL;
    assert_sg_status(ctx, sg_vrp_solve(ctx, v, o, &a), SG_OK);
    assert_sg_status(ctx, sg_vrp_solve(ctx, v, o, &b), SG_OK);
    sg_vrp_options_free(o);
    assert_true(a->feasible && b->feasible);
    assert_int_equal(a->n_routes, b->n_routes);
    assert_memory_equal(a->route_start, b->route_start,
                        sizeof(int) * (size_t)(a->n_routes + 1));
    assert_memory_equal(a->stops, b->stops, sizeof(int) * 12);
    assert_true(a->cost == b->cost);
    sg_vrp_solution_free(a);
    sg_vrp_solution_free(b);
    sg_vrp_free(v);
    sg_ctx_free(ctx);
}

static void test_reader(void **state)
{
    (void)state;
    sg_ctx *ctx = ctx_new();
    sg_vrp *v = NULL;
    /* depot is node 3; lower-diagonal explicit weights */
    const char *p = sg_test_path("explicit.vrp");
    sg_test_write_file(p, "NAME : tiny\nTYPE : CVRP\nDIMENSION : 4\n"
                          "EDGE_WEIGHT_TYPE : EXPLICIT\n"
                          "EDGE_WEIGHT_FORMAT : LOWER_DIAG_ROW\n"
                          "CAPACITY : 10\nDISTANCE : 50\nSERVICE_TIME : 2\n"
                          "EDGE_WEIGHT_SECTION\n0\n1 0\n2 3 0\n4 5 6 0\n"
                          "DEMAND_SECTION\n1 3\n2 4\n3 0\n4 5\n"
                          "DEPOT_SECTION\n3\n-1\nEOF\n");
    assert_sg_status(ctx, sg_vrp_read(ctx, p, &v), SG_OK);
    assert_string_equal(sg_vrp_name(v), "tiny");
    assert_int_equal(sg_vrp_customers(v), 3);
    assert_int_equal(sg_vrp_id(v, 0), 3);
    assert_int_equal(sg_vrp_id(v, 1), 1);
    assert_int_equal(sg_vrp_id(v, 3), 4);
    /* file d(3,1) = 2, d(3,2) = 3, d(4,3) = 6, d(2,1) = 1, d(4,2) = 5 */
    assert_true(sg_vrp_dist(v, 0, 1) == 2 && sg_vrp_dist(v, 1, 0) == 2);
    assert_true(sg_vrp_dist(v, 0, 2) == 3 && sg_vrp_dist(v, 0, 3) == 6);
    assert_true(sg_vrp_dist(v, 1, 2) == 1 && sg_vrp_dist(v, 2, 3) == 5);
    assert_true(sg_vrp_demand(v, 3) == 5 && sg_vrp_service(v, 2) == 2);
    assert_true(sg_vrp_capacity(v) == 10 && sg_vrp_limit(v) == 50);
    sg_vrp_free(v);
    /* CMT1 from the shared data, when it is there: 50 customers */
    const char *sh = getenv("SG_SHARED_DATA");
    char path[4096];
    snprintf(path, sizeof path, "%s/cvrplib/CMT1.vrp", sh ? sh : "");
    FILE *f = sh ? fopen(path, "r") : NULL;
    if (f) {
        fclose(f);
        assert_sg_status(ctx, sg_vrp_read(ctx, path, &v), SG_OK);
        assert_int_equal(sg_vrp_customers(v), 50);
        assert_true(sg_vrp_capacity(v) == 160);
        /* nodes 1 (30,40) and 2 (37,52): not rounded */
        assert_true(fabs(sg_vrp_dist(v, 0, 1) - hypot(7, 12)) < 1e-12);
        sg_vrp_free(v);
    }
    /* broken files name file and line */
    p = sg_test_path("bad.vrp");
    sg_test_write_file(p, "NAME : bad\nTYPE : CVRP\nDIMENSION : 2\n"
                          "EDGE_WEIGHT_TYPE : EUC_2D\nCAPACITY : 5\n"
                          "NODE_COORD_SECTION\n1 0 0\n7 1 1\nEOF\n");
    assert_sg_status(ctx, sg_vrp_read(ctx, p, &v), SG_ERR_IO_FORMAT);
    assert_contains(sg_ctx_errmsg(ctx), "bad.vrp:8");
    assert_null(v);
    assert_sg_status(ctx, sg_vrp_read(ctx, sg_test_path("none.vrp"), &v),
                     SG_ERR_IO_OPEN);
    p = sg_test_path("huge.vrp");
    sg_test_write_file(p, "NAME : huge\nTYPE : CVRP\nDIMENSION : 100000\n");
    assert_sg_status(ctx, sg_vrp_read(ctx, p, &v), SG_ERR_IO_FORMAT);
    assert_contains(sg_ctx_errmsg(ctx), "huge.vrp:3: DIMENSION");
    sg_ctx_free(ctx);
}

static void test_unservable(void **state)
{
    (void)state;
    sg_ctx *ctx = ctx_new();
    inst I;
    make_inst(&I, 5, 2, 15, 0, 0);
    I.q[4] = 16; /* heavier than a vehicle */
    sg_vrp *v = to_vrp(ctx, &I);
    sg_vrp_solution dummy;
    sg_vrp_solution *s = &dummy; /* a failure sets it to NULL */
    assert_sg_status(ctx, sg_vrp_solve(ctx, v, NULL, &s), SG_ERR_INPUT);
    assert_contains(sg_ctx_errmsg(ctx), "customer 5");
    assert_null(s);
    sg_vrp_free(v);
    make_inst(&I, 5, 2, 15, 10, 0); /* every trip longer than 10 */
    v = to_vrp(ctx, &I);
    assert_sg_status(ctx, sg_vrp_solve(ctx, v, NULL, &s), SG_ERR_INPUT);
    assert_contains(sg_ctx_errmsg(ctx), "route limit");
    sg_vrp_free(v);
    make_inst(&I, 5, 2, 15, 0, 0); /* no way from the depot to customer 3 */
    I.d[0][3] = INFINITY;
    v = to_vrp(ctx, &I);
    assert_sg_status(ctx, sg_vrp_solve(ctx, v, NULL, &s), SG_ERR_INPUT);
    assert_contains(sg_ctx_errmsg(ctx), "customer 4 cannot be reached");
    sg_vrp_free(v);
    sg_ctx_free(ctx);
}

static int cancel_cb(double complete, const char *msg, void *user)
{
    (void)complete;
    int *calls = user;
    (*calls)++;
    assert_non_null(msg);
    assert_true(strncmp(msg, "best ", 5) == 0);
    return 0;
}

static void test_cancel(void **state)
{
    (void)state;
    sg_ctx *ctx = ctx_new();
    int calls = 0;
    sg_ctx_set_progress(ctx, cancel_cb, &calls);
    inst I;
    make_inst(&I, 10, 4, 15, 0, 0);
    sg_vrp *v = to_vrp(ctx, &I);
    sg_vrp_options *o = sg_vrp_options_new();
    assert_non_null(o);
    assert_sg_status(ctx, sg_vrp_options_set_time_limit(ctx, o, 30), SG_OK);
    sg_vrp_solution dummy;
    sg_vrp_solution *s = &dummy; /* a failure sets it to NULL */
    assert_sg_status(ctx, sg_vrp_solve(ctx, v, o, &s), SG_ERR_CANCELLED);
    sg_vrp_options_free(o);
    assert_int_equal(calls, 1);
    assert_null(s);
    sg_vrp_free(v);
    sg_ctx_free(ctx);
}

static void test_edge_sizes(void **state)
{
    (void)state;
    sg_ctx *ctx = ctx_new();
    inst I;
    for (int n = 0; n <= 2; n++) {
        make_inst(&I, n, 8, 15, 0, 0);
        sg_vrp_solution *s = NULL;
        solve(ctx, &I, SG_VRP_SISR, 100, 1, 2, &s);
        check_solution(&I, s);
        assert_int_equal(s->route_start[s->n_routes], n);
        sg_vrp_solution_free(s);
    }
    sg_ctx_free(ctx);
}

/* ---- along roads -----------------------------------------------------------
 */

static void add_line(sg_ctx *ctx, sg__lineset *ls, double x1, double y1,
                     double x2, double y2, int32_t owner)
{
    unsigned char wkb[9 + 32];
    uint32_t t = 2, n = 2;
    double c[4] = {x1, y1, x2, y2};
    wkb[0] = 1;
    memcpy(wkb + 1, &t, 4);
    memcpy(wkb + 5, &n, 4);
    memcpy(wkb + 9, c, sizeof c);
    assert_int_equal(sg__wkb_append_parts(ctx, ls, wkb, sizeof wkb, owner, "t"),
                     SG_OK);
}

static double polyline_len(const double *c, size_t n)
{
    double l = 0;
    for (size_t i = 1; i < n; i++)
        l += hypot(c[2 * i] - c[2 * i - 2], c[2 * i + 1] - c[2 * i - 1]);
    return l;
}

/* A road grid 0..2000 m with 500 m blocks (one block's side missing), a
 * lone road far away and a point 300 m from any road: distances by hand,
 * every leg's line as long as its matrix entry, a solved route's line as
 * long as the sum of its legs, and the unreachable stops found. */
static void test_road_legs(void **state)
{
    (void)state;
    sg_ctx *ctx = ctx_new();
    sg__lineset ls = {0};
    int32_t own = 0;
    for (int k = 0; k <= 4; k++) {
        for (int s = 0; s < 4; s++) {
            if (!(k == 2 && s == 1)) /* x = 1000 has no piece 500..1000 */
                add_line(ctx, &ls, 500 * k, 500 * s, 500 * k, 500 * s + 500,
                         own++);
            add_line(ctx, &ls, 500 * s, 500 * k, 500 * s + 500, 500 * k, own++);
        }
    }
    add_line(ctx, &ls, 9000, 9000, 9500, 9000, own++); /* lone road */
    sg__graph *g = NULL;
    assert_sg_status(ctx, sg__graph_build(ctx, &ls, NULL, &g), SG_OK);
    sg__lineset_cleanup(&ls);
    /* 0 depot, 1..6 stops on the grid, 7 on the lone road, 8 off-road */
    double xy[] = {30,   20,   480, 250,  1010, 980,  1750, 1980, 260,
                   1490, 1990, 30,  1240, 1030, 9100, 9010, 3000, 1000};
    int n = 9;
    double *d = malloc(sizeof(double) * (size_t)(n * n));
    assert_sg_status(ctx, sg__route_matrix(ctx, g, xy, n, 200, d), SG_OK);
    /* by hand: the depot (30,20) meets y=0 at (30,0), 20 m away; stop 1
     * (480,250) meets x=500 at y=250, 20 m away: 20 + 470 + 250 + 20 */
    assert_true(fabs(d[0 * n + 1] - 760) < 1e-9);
    assert_true(fabs(d[1 * n + 0] - 760) < 1e-9);
    /* stop 2 (1010,980) meets y=1000 20 m away; x=1000 has no piece
     * 500..1000, so not through (1000,500): up x=500 to (500,1000), then
     * east: 20 + 470 + 1000 + 510 + 20 */
    if (fabs(d[0 * n + 2] - 2020) > 1e-9)
        fail_msg("depot to stop 2: %.6f", d[0 * n + 2]);
    for (int j = 0; j < 7; j++) {
        assert_true(isinf(d[0 * n + 7]) && isinf(d[7 * n + j]));
        assert_true(isinf(d[j * n + 8]) && isinf(d[8 * n + j]));
    }
    for (int i = 0; i < 7; i++)
        for (int j = 0; j < 7; j++) {
            if (i == j)
                continue;
            assert_true(isfinite(d[i * n + j]));
            double *c = NULL, len;
            size_t np = 0;
            assert_sg_status(
                ctx,
                sg__route_leg_line(ctx, g, xy[2 * i], xy[2 * i + 1], xy[2 * j],
                                   xy[2 * j + 1], 200, &c, &np, &len),
                SG_OK);
            assert_true(np >= 2);
            assert_true(c[0] == xy[2 * i] && c[2 * np - 1] == xy[2 * j + 1]);
            if (fabs(polyline_len(c, np) - d[i * n + j]) > 1e-6 ||
                fabs(len - d[i * n + j]) > 1e-9)
                fail_msg("leg %d-%d: line %.6f, matrix %.6f", i, j,
                         polyline_len(c, np), d[i * n + j]);
            free(c);
        }
    double *c = NULL, len;
    size_t np;
    assert_sg_status(
        ctx, sg__route_leg_line(ctx, g, 30, 20, 9100, 9010, 200, &c, &np, &len),
        SG_ERR_NOT_FOUND);
    assert_null(c);
    /* a route over the reachable stops 1..6 with capacity for 3 */
    int m = 7;
    double *dm = malloc(sizeof(double) * (size_t)(m * m));
    double q[7] = {0, 1, 1, 1, 1, 1, 1};
    for (int i = 0; i < m; i++)
        for (int j = 0; j < m; j++)
            dm[i * m + j] = d[i * n + j];
    sg_vrp *v = NULL;
    assert_sg_status(ctx, sg_vrp_new(ctx, 6, dm, q, 3, 0, NULL, &v), SG_OK);
    sg_vrp_options *o = sg_vrp_options_new();
    assert_non_null(o);
    assert_sg_status(ctx, sg_vrp_options_set_iterations(ctx, o, 2000), SG_OK);
    sg_vrp_solution *s = NULL;
    assert_sg_status(ctx, sg_vrp_solve(ctx, v, o, &s), SG_OK);
    sg_vrp_options_free(o);
    double total_line = 0;
    for (int r = 0; r < s->n_routes; r++) {
        double legs = 0, line = 0;
        int prev = 0;
        for (int k = s->route_start[r]; k <= s->route_start[r + 1]; k++) {
            int cur = k < s->route_start[r + 1] ? s->stops[k] : 0;
            legs += dm[prev * m + cur];
            assert_sg_status(ctx,
                             sg__route_leg_line(ctx, g, xy[2 * prev],
                                                xy[2 * prev + 1], xy[2 * cur],
                                                xy[2 * cur + 1], 200, &c, &np,
                                                &len),
                             SG_OK);
            line += polyline_len(c, np);
            free(c);
            prev = cur;
        }
        assert_true(fabs(line - legs) < 1e-6);
        total_line += line;
    }
    assert_true(fabs(total_line - s->cost) < 1e-6);
    sg_vrp_solution_free(s);
    sg_vrp_free(v);
    free(dm);
    free(d);
    sg__graph_free(g);
    sg_ctx_free(ctx);
}

/* sg_route on the demo's data: a heap result whose strings are its own
 * (the one township's code and name as layer divisions holds them, read
 * by SQL), one round through its villages; _free(NULL) is safe. */
static void test_store_tour(void **state)
{
    (void)state;
    sg_route_result_free(NULL);
    sg_vrp_solution_free(NULL);
    sg_library_init();
    sg_ctx *ctx = ctx_new();
    static const char *const layers[] = {"divisions", "roads", "points"};
    sg_store *s = sg_test_store_new(ctx, "route_tour.sqlite", 0);
    for (size_t i = 0; i < 3; i++) {
        char src[4096];
        snprintf(src, sizeof src, "%s/data/demo/%s.geojson",
                 sg_test_source_dir(), layers[i]);
        assert_sg_status(ctx, sg_import(ctx, s, layers[i], src, NULL, NULL),
                         SG_OK);
    }
    const char *db = sg_test_path("route_tour.sqlite");
    sg_route_options *o = sg_route_options_new();
    sg_vrp_options *vo = sg_vrp_options_new();
    assert_non_null(o);
    assert_non_null(vo);
    assert_sg_status(ctx, sg_route_options_set_tour(ctx, o, 1), SG_OK);
    assert_sg_status(ctx, sg_vrp_options_set_iterations(ctx, vo, 300), SG_OK);
    assert_sg_status(ctx, sg_vrp_options_set_threads(ctx, vo, 1), SG_OK);
    assert_sg_status(ctx, sg_route_options_set_solver(ctx, o, vo), SG_OK);
    sg_vrp_options_free(vo);
    /* a refused unit leaves the default, villages */
    assert_sg_status(ctx, sg_route_options_set_units(ctx, o, "streets"),
                     SG_ERR_USAGE);
    sg_route_result dummy;
    sg_route_result *r = &dummy; /* a failure sets it to NULL */
    sg_store *ro = NULL;
    assert_sg_status(ctx, sg_store_open(ctx, db, SG_STORE_READONLY, &ro),
                     SG_OK);
    assert_int_not_equal(sg_route(ctx, ro, o, &r), SG_OK); /* read-only */
    assert_null(r);
    sg_store_close(ro);
    assert_sg_status(ctx, sg_route(ctx, s, o, &r), SG_OK);
    sg_route_options_free(o);
    sg_store_close(s);
    assert_non_null(r);
    assert_string_equal(r->units, "villages");
    assert_int_equal(r->tour, 1);
    assert_int_equal(r->n_areas, 1);
    const sg_route_area *a = &r->areas[0];
    assert_string_equal(a->code, sg_test_sql_text(db, "SELECT division_code "
                                                      "FROM divisions WHERE "
                                                      "level = 'township'"));
    assert_string_equal(a->name, sg_test_sql_text(db, "SELECT name FROM "
                                                      "divisions WHERE level "
                                                      "= 'township'"));
    assert_int_equal(a->stops,
                     (int)sg_test_sql_number(db, "SELECT count(*) FROM "
                                                 "divisions WHERE level = "
                                                 "'admin_village'"));
    assert_non_null(a->depot);
    assert_non_null(a->plant);
    assert_string_equal(a->plant, ""); /* a round has no haul */
    sg_route_result_free(r);
    sg_ctx_free(ctx);
    sg_library_shutdown();
}

/* The message of the last failure in \p ctx names \p what. */
static void assert_refused(sg_ctx *ctx, sg_status st, const char *what)
{
    assert_sg_status(ctx, st, SG_ERR_USAGE);
    const char *msg = sg_ctx_errmsg(ctx);
    if (!msg || !strstr(msg, what))
        fail_msg("message '%s' does not name '%s'", msg ? msg : "(null)", what);
    sg_ctx_clear_error(ctx);
}

/* Every setter of sg_vrp_options refuses what the old struct silently
 * clamped or ignored, naming the option and the value, and keeps the
 * value it had. */
static void test_vrp_options_refuse(void **state)
{
    (void)state;
    sg_vrp_options_free(NULL);
    sg_ctx *ctx = ctx_new();
    sg_vrp_options *o = sg_vrp_options_new();
    assert_non_null(o);
    assert_int_equal(sg_vrp_options_method(o), SG_VRP_SISR);
    assert_true(sg_vrp_options_seed(o) == 1);
    assert_refused(ctx, sg_vrp_options_set_method(ctx, o, (sg_vrp_method)2),
                   "method 2");
    assert_refused(ctx, sg_vrp_options_set_method(ctx, o, (sg_vrp_method)-1),
                   "method -1");
    assert_int_equal(sg_vrp_options_method(o), SG_VRP_SISR);
    assert_refused(ctx, sg_vrp_options_set_time_limit(ctx, o, 0),
                   "time limit must be seconds > 0, not 0");
    assert_refused(ctx, sg_vrp_options_set_time_limit(ctx, o, -3),
                   "time limit must be seconds > 0, not -3");
    assert_refused(ctx, sg_vrp_options_set_time_limit(ctx, o, NAN),
                   "time limit");
    assert_refused(ctx, sg_vrp_options_set_time_limit(ctx, o, INFINITY),
                   "time limit");
    assert_refused(ctx, sg_vrp_options_set_iterations(ctx, o, -1),
                   "iterations must be a whole number >= 0 (0: the clock "
                   "decides), not -1");
    assert_refused(ctx, sg_vrp_options_set_threads(ctx, o, 0),
                   "threads must be 1..8, not 0");
    assert_refused(ctx, sg_vrp_options_set_threads(ctx, o, 9),
                   "threads must be 1..8, not 9");
    /* the values kept are the defaults: 10 s, clock, 2 threads */
    assert_true(o->time_limit == 10);
    assert_true(o->iterations == 0);
    assert_int_equal(o->threads, 2);
    assert_sg_status(ctx, sg_vrp_options_set_method(ctx, o, SG_VRP_SAVINGS),
                     SG_OK);
    assert_int_equal(sg_vrp_options_method(o), SG_VRP_SAVINGS);
    assert_sg_status(ctx, sg_vrp_options_set_iterations(ctx, o, 0), SG_OK);
    assert_sg_status(ctx, sg_vrp_options_set_threads(ctx, o, 8), SG_OK);
    assert_sg_status(ctx, sg_vrp_options_set_seed(ctx, o, 0), SG_OK);
    assert_true(sg_vrp_options_seed(o) == 0);
    sg_vrp_options_free(o);
    sg_ctx_free(ctx);
}

/* The same for sg_route_options; the defaults are the documented ones. */
static void test_route_options_refuse(void **state)
{
    (void)state;
    sg_route_options_free(NULL);
    sg_ctx *ctx = ctx_new();
    sg_route_options *o = sg_route_options_new();
    assert_non_null(o);
    assert_null(o->division);
    assert_null(o->depot_id);
    assert_int_equal(o->depot_lonlat, 0);
    assert_true(o->every_days == 0 && o->capacity_kg == 0 &&
                o->capacity_m3 == 0);
    assert_int_equal(o->vehicles, -1);
    assert_int_equal(o->tour, 0);
    assert_string_equal(o->units, "villages");
    assert_true(o->solver.time_limit == 5);
    assert_int_equal(o->solver.threads, 2);
    assert_true(o->solver.seed == 1);
    assert_refused(ctx, sg_route_options_set_division(ctx, o, ""),
                   "division must be a township code, not ''");
    assert_refused(ctx, sg_route_options_set_depot(ctx, o, ""),
                   "depot must be a point id, not ''");
    assert_refused(ctx, sg_route_options_set_depot_lonlat(ctx, o, 181, 0),
                   "not 181,0");
    assert_refused(ctx, sg_route_options_set_depot_lonlat(ctx, o, 0, -91),
                   "not 0,-91");
    assert_refused(ctx, sg_route_options_set_depot_lonlat(ctx, o, NAN, 0),
                   "depot must be longitude");
    assert_refused(ctx, sg_route_options_set_every_days(ctx, o, 0),
                   "every_days must be a number > 0, not 0");
    assert_refused(ctx, sg_route_options_set_every_days(ctx, o, INFINITY),
                   "every_days");
    assert_refused(ctx, sg_route_options_set_capacity_kg(ctx, o, -1),
                   "capacity_kg must be a number > 0, not -1");
    assert_refused(ctx, sg_route_options_set_capacity_m3(ctx, o, 0),
                   "capacity_m3 must be a number > 0, not 0");
    assert_refused(ctx, sg_route_options_set_vehicles(ctx, o, -1),
                   "vehicles must be a whole number >= 0 (0: as many as "
                   "needed), not -1");
    assert_refused(ctx, sg_route_options_set_tour(ctx, o, 2),
                   "tour must be 0 or 1, not 2");
    assert_refused(ctx, sg_route_options_set_units(ctx, o, "streets"),
                   "units must be villages, grids or points, not 'streets'");
    assert_refused(ctx, sg_route_options_set_units(ctx, o, NULL),
                   "units must be");
    /* nothing refused changed anything */
    assert_null(o->division);
    assert_null(o->depot_id);
    assert_int_equal(o->depot_lonlat, 0);
    assert_true(o->every_days == 0 && o->capacity_kg == 0 &&
                o->capacity_m3 == 0);
    assert_int_equal(o->vehicles, -1);
    assert_int_equal(o->tour, 0);
    assert_string_equal(o->units, "villages");
    /* a point id and a longitude/latitude replace each other */
    assert_sg_status(ctx, sg_route_options_set_depot(ctx, o, "P1"), SG_OK);
    assert_sg_status(ctx, sg_route_options_set_depot_lonlat(ctx, o, 120, 30),
                     SG_OK);
    assert_null(o->depot_id);
    assert_int_equal(o->depot_lonlat, 1);
    assert_sg_status(ctx, sg_route_options_set_depot(ctx, o, "P2"), SG_OK);
    assert_string_equal(o->depot_id, "P2");
    assert_int_equal(o->depot_lonlat, 0);
    assert_sg_status(ctx, sg_route_options_set_division(ctx, o, "123"), SG_OK);
    assert_sg_status(ctx, sg_route_options_set_division(ctx, o, "456"), SG_OK);
    assert_string_equal(o->division, "456");
    assert_sg_status(ctx, sg_route_options_set_vehicles(ctx, o, 0), SG_OK);
    assert_int_equal(o->vehicles, 0);
    assert_sg_status(ctx, sg_route_options_set_units(ctx, o, "grids"), SG_OK);
    assert_string_equal(o->units, "grids");
    /* NULL solver: back to the route's solver defaults */
    sg_vrp_options *vo = sg_vrp_options_new();
    assert_non_null(vo);
    assert_sg_status(ctx, sg_vrp_options_set_time_limit(ctx, vo, 99), SG_OK);
    assert_sg_status(ctx, sg_route_options_set_solver(ctx, o, vo), SG_OK);
    assert_true(o->solver.time_limit == 99);
    assert_sg_status(ctx, sg_route_options_set_solver(ctx, o, NULL), SG_OK);
    assert_true(o->solver.time_limit == SG_ROUTE_TIME_LIMIT);
    sg_vrp_options_free(vo);
    sg_route_options_free(o); /* frees the copied strings (ASan) */
    sg_ctx_free(ctx);
}

/* sg_route(NULL options) plans as sg_route_options_new()'s defaults do:
 * the same settings, units and outcome per township. */
static void test_route_null_is_new(void **state)
{
    (void)state;
    sg_library_init();
    sg_ctx *ctx = ctx_new();
    static const char *const layers[] = {"divisions", "roads", "points"};
    sg_store *s = sg_test_store_new(ctx, "route_null.sqlite", 0);
    for (size_t i = 0; i < 3; i++) {
        char src[4096];
        snprintf(src, sizeof src, "%s/data/demo/%s.geojson",
                 sg_test_source_dir(), layers[i]);
        assert_sg_status(ctx, sg_import(ctx, s, layers[i], src, NULL, NULL),
                         SG_OK);
    }
    assert_sg_status(ctx, sg_coverage(ctx, s, NULL, NULL), SG_OK);
    sg_route_options *o = sg_route_options_new();
    assert_non_null(o);
    sg_route_result *a = NULL, *b = NULL;
    assert_sg_status(ctx, sg_route(ctx, s, NULL, &a), SG_OK);
    assert_sg_status(ctx, sg_route(ctx, s, o, &b), SG_OK);
    sg_route_options_free(o);
    sg_store_close(s);
    assert_int_equal(a->tour, 0);
    assert_int_equal(a->tour, b->tour);
    assert_string_equal(a->units, b->units);
    assert_true(a->every_days == b->every_days);
    assert_true(a->kg_per_person_day == b->kg_per_person_day);
    assert_true(a->capacity_kg == b->capacity_kg);
    assert_true(a->speed_kmh == b->speed_kmh);
    assert_true(a->service_min == b->service_min);
    assert_true(a->shift_h == b->shift_h);
    assert_true(a->haul_far_km == b->haul_far_km);
    assert_int_equal(a->vehicles, b->vehicles);
    assert_true(a->n_areas >= 1);
    assert_int_equal(a->n_areas, b->n_areas);
    assert_true(a->stops > 0);
    assert_int_equal(a->stops, b->stops);
    assert_int_equal(a->served, b->served);
    for (int i = 0; i < a->n_areas; i++) {
        assert_string_equal(a->areas[i].code, b->areas[i].code);
        assert_string_equal(a->areas[i].depot, b->areas[i].depot);
        assert_int_equal(a->areas[i].has_depot, b->areas[i].has_depot);
    }
    sg_route_result_free(a);
    sg_route_result_free(b);
    sg_ctx_free(ctx);
    sg_library_shutdown();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_optimal_by_enumeration),
        cmocka_unit_test(test_tsp_one_vehicle),
        cmocka_unit_test(test_deterministic),
        cmocka_unit_test(test_reader),
        cmocka_unit_test(test_unservable),
        cmocka_unit_test(test_cancel),
        cmocka_unit_test(test_edge_sizes),
        cmocka_unit_test(test_road_legs),
        cmocka_unit_test(test_store_tour),
        cmocka_unit_test(test_vrp_options_refuse),
        cmocka_unit_test(test_route_options_refuse),
        cmocka_unit_test(test_route_null_is_new),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
