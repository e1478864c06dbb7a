/* The exact integer programs of the siting analysis, solved with GLPK.
 *
 * Models (x_j binary: candidate j becomes a point):
 *  - --add K (maximal covering): max sum_i w_i y_i subject to
 *    y_i <= sum_{j covers i} x_j for every row i, sum_j x_j <= K,
 *    0 <= y_i <= 1 (integral whenever x is);
 *  - --cover-all (set covering): min sum_j x_j subject to
 *    sum_{j covers i} x_j >= 1 for every row;
 *  - with a capacity, binary z_ij assigns row i to point j:
 *    z_ij <= x_j, sum_i s_i z_ij <= cap x_j, and sum_j z_ij <= 1 with
 *    max sum w_i z_ij (add), or sum_j z_ij + u_i = 1 with
 *    min sum_j x_j + (n + 1) sum_i u_i (cover: serving a household
 *    outweighs any number of points; u_i > 0 marks it unserved).
 * The LP relaxation is solved first (dual simplex, no presolve): its
 * value bounds the optimum should the time limit stop the search, and
 * its basis starts the branch and bound
 * (glp_intopt without presolve, so that the greedy solution can be handed
 * in as the first incumbent through the callback, in the model's own
 * columns). GLPK never prints (glp_term_out off and a hook swallowing
 * its terminal output); a GLPK error (out of memory) returns through
 * glp_error_hook and a longjmp instead of aborting, and all GLPK memory
 * of the thread is then released (glp_free_env).
 * Not for: heuristics (site_greedy.c), geometry, SQL.
 * SPDX-License-Identifier: MIT */
#include <glpk.h>
#include <math.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analysis/site/site_int.h"

/* What one solve needs and gives; owned by the caller of run_guarded. */
typedef struct job {
    sg_ctx *ctx;
    const sg__site_inst *in;
    const sg__site_sol *start; /* incumbent to hand in, or NULL */
    double seconds;            /* time limit */
    /* results */
    int lp_ok;
    double lp_val;
    int mip_status;    /* glp_mip_status, 0 if not run */
    double node_bound; /* best bound seen in the tree; NAN none */
    double *col;       /* column values of the MIP solution; owned */
    int ncols;
    int cancelled;
    int heur_given;
    double t0, frac;
    /* memory of solve() kept here, so that a GLPK error cannot leak it */
    int *ia, *ja;
    double *ar, *xs;
    jmp_buf jb;
} job;

/* Seconds of the monotonic clock. */
static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* GLPK terminal hook: swallow everything (non-zero = handled). */
static int swallow(void *info, const char *s)
{
    (void)info;
    (void)s;
    return 1;
}

/* GLPK error hook: leave through the job's jump buffer. */
static void glpk_failed(void *info)
{
    longjmp(((job *)info)->jb, 1);
}

/* Column layout of a model. */
typedef struct layout {
    int nx; /* x columns 1..nx */
    int ny; /* y (add, no capacity) or u (cover, capacity) columns */
    int nz; /* z columns (capacity) */
    int ncols;
} layout;

/* Triplets of the constraint matrix (1-based, GLPK's convention); the
 * arrays live in the job. */
typedef struct trip {
    job *J;
    int n, cap;
} trip;

/* Append coefficient \p v at (\p i, \p j). \return 1, or 0 when out of
 * memory. */
static int tput(trip *t, int i, int j, double v)
{
    job *J = t->J;
    if (t->n + 1 >= t->cap) {
        int cap = t->cap ? t->cap * 2 : 4096;
        int *ia = realloc(J->ia, (size_t)cap * sizeof *ia);
        if (ia)
            J->ia = ia;
        int *ja = realloc(J->ja, (size_t)cap * sizeof *ja);
        if (ja)
            J->ja = ja;
        double *ar = realloc(J->ar, (size_t)cap * sizeof *ar);
        if (ar)
            J->ar = ar;
        if (!ia || !ja || !ar)
            return 0;
        t->cap = cap;
    }
    t->n++;
    J->ia[t->n] = i;
    J->ja[t->n] = j;
    J->ar[t->n] = v;
    return 1;
}

/* Rows and columns of the model of \p in without a capacity. \return 1,
 * or 0 when out of memory. */
static int model_plain(glp_prob *P, const sg__site_inst *in, layout *L, trip *t)
{
    int nc = (int)in->nc, nr = (int)in->nr;
    L->nx = nc;
    L->ny = in->cover_all ? 0 : nr;
    L->ncols = L->nx + L->ny;
    glp_add_cols(P, L->ncols);
    for (int j = 1; j <= nc; j++) {
        glp_set_col_kind(P, j, GLP_BV);
        glp_set_obj_coef(P, j, in->cover_all ? 1.0 : 0.0);
    }
    for (int i = 1; i <= L->ny; i++) {
        glp_set_col_bnds(P, nc + i, GLP_DB, 0.0, 1.0);
        glp_set_obj_coef(P, nc + i, in->w[i - 1]);
    }
    glp_add_rows(P, nr + (in->cover_all ? 0 : 1));
    for (int i = 1; i <= nr; i++) {
        size_t r = (size_t)i - 1;
        if (in->cover_all) {
            glp_set_row_bnds(P, i, GLP_LO, 1.0, 0.0);
        } else {
            glp_set_row_bnds(P, i, GLP_UP, 0.0, 0.0);
            if (!tput(t, i, nc + i, 1.0))
                return 0;
        }
        for (size_t k = in->r_off[r]; k < in->r_off[r + 1]; k++)
            if (!tput(t, i, (int)in->r_cand[k] + 1, in->cover_all ? 1.0 : -1.0))
                return 0;
    }
    if (!in->cover_all) {
        glp_set_row_bnds(P, nr + 1, GLP_UP, 0.0, (double)in->k);
        for (int j = 1; j <= nc; j++)
            if (!tput(t, nr + 1, j, 1.0))
                return 0;
    }
    return 1;
}

/* Rows and columns of the model of \p in with a capacity. */
static int model_capacity(glp_prob *P, const sg__site_inst *in, layout *L,
                          trip *t)
{
    int nc = (int)in->nc, nr = (int)in->nr;
    int nnz = (int)in->c_off[in->nc];
    L->nx = nc;
    L->nz = nnz;
    L->ny = in->cover_all ? nr : 0;
    L->ncols = nc + nnz + L->ny;
    glp_add_cols(P, L->ncols);
    for (int j = 1; j <= nc; j++) {
        glp_set_col_kind(P, j, GLP_BV);
        glp_set_obj_coef(P, j, in->cover_all ? 1.0 : 0.0);
    }
    /* z columns in candidate order: column nc + 1 + k for c_row[k] */
    int rows = nr + nnz + nc + (in->cover_all ? 0 : 1);
    glp_add_rows(P, rows);
    int link = nr, capr = nr + nnz;
    for (size_t c = 0; c < in->nc; c++) {
        int xj = (int)c + 1;
        glp_set_row_bnds(P, capr + xj, GLP_UP, 0.0, 0.0);
        if (!tput(t, capr + xj, xj, -in->cap))
            return 0;
        for (size_t k = in->c_off[c]; k < in->c_off[c + 1]; k++) {
            int zj = nc + 1 + (int)k, r = (int)in->c_row[k];
            glp_set_col_kind(P, zj, GLP_BV);
            glp_set_obj_coef(P, zj, in->cover_all ? 0.0 : in->w[r]);
            glp_set_row_bnds(P, link + (int)k + 1, GLP_UP, 0.0, 0.0);
            if (!tput(t, link + (int)k + 1, zj, 1.0) ||
                !tput(t, link + (int)k + 1, xj, -1.0) ||
                !tput(t, r + 1, zj, 1.0) ||
                !tput(t, capr + xj, zj, in->size[r]))
                return 0;
        }
    }
    for (int i = 1; i <= nr; i++) {
        if (in->cover_all) {
            int uj = nc + nnz + i;
            glp_set_col_bnds(P, uj, GLP_DB, 0.0, 1.0);
            glp_set_obj_coef(P, uj, (double)nc + 1);
            glp_set_row_bnds(P, i, GLP_FX, 1.0, 1.0);
            if (!tput(t, i, uj, 1.0))
                return 0;
        } else {
            glp_set_row_bnds(P, i, GLP_UP, 0.0, 1.0);
        }
    }
    if (!in->cover_all) {
        glp_set_row_bnds(P, rows, GLP_UP, 0.0, (double)in->k);
        for (int j = 1; j <= nc; j++)
            if (!tput(t, rows, j, 1.0))
                return 0;
    }
    return 1;
}

/* The starting solution as column values (1-based, ncols + 1 entries). */
static void start_columns(const job *J, const layout *L, double *x)
{
    const sg__site_inst *in = J->in;
    const sg__site_sol *s = J->start;
    memset(x, 0, ((size_t)L->ncols + 1) * sizeof *x);
    for (size_t i = 0; i < s->n; i++)
        x[s->chosen[i] + 1] = 1;
    if (in->cap > 0) {
        for (size_t c = 0; c < in->nc; c++)
            for (size_t k = in->c_off[c]; k < in->c_off[c + 1]; k++)
                if (s->assign[in->c_row[k]] == (int32_t)c)
                    x[L->nx + 1 + (int)k] = 1;
        for (int i = 1; i <= L->ny; i++)
            x[L->nx + L->nz + i] = s->assign[i - 1] < 0 ? 1 : 0;
    } else {
        for (int i = 1; i <= L->ny; i++) {
            size_t r = (size_t)i - 1;
            for (size_t k = in->r_off[r]; k < in->r_off[r + 1]; k++)
                if (x[in->r_cand[k] + 1] > 0.5)
                    x[L->nx + i] = 1;
        }
    }
}

/* What the branch-and-bound callback needs. */
typedef struct cbinfo {
    job *J;
    const layout *L;
    double *xs; /* start columns */
} cbinfo;

/* Branch-and-bound callback: hand in the start solution once, record the
 * best bound, report progress and honour cancelling. */
static void callback(glp_tree *T, void *info)
{
    cbinfo *cb = info;
    job *J = cb->J;
    int reason = glp_ios_reason(T);
    if (reason == GLP_IHEUR && !J->heur_given && cb->xs) {
        J->heur_given = 1;
        glp_ios_heur_sol(T, cb->xs);
    }
    int p = glp_ios_best_node(T);
    if (p)
        J->node_bound = glp_ios_node_bound(T, p);
    double frac = (now_s() - J->t0) / J->seconds;
    if (frac > 1.02) { /* GLPK checks its own limit only between nodes */
        glp_ios_terminate(T);
        return;
    }
    if (frac - J->frac > 0.01) {
        J->frac = frac;
        if (sg__progress(J->ctx, fmin(frac, 1.0), "integer program")) {
            J->cancelled = 1;
            glp_ios_terminate(T);
        }
    }
}

/* Build and solve (inside the error guard). \return 0, or 1 when out of
 * memory. */
static int solve(job *J)
{
    const sg__site_inst *in = J->in;
    glp_prob *P = glp_create_prob();
    layout L = {0};
    trip t = {J, 0, 0};
    int fail = 0;
    glp_set_obj_dir(P, in->cover_all ? GLP_MIN : GLP_MAX);
    if (!(in->cap > 0 ? model_capacity(P, in, &L, &t)
                      : model_plain(P, in, &L, &t))) {
        fail = 1;
        goto done;
    }
    glp_load_matrix(P, t.n, J->ia, J->ja, J->ar);
    glp_smcp sm;
    glp_init_smcp(&sm);
    sm.msg_lev = GLP_MSG_OFF;
    sm.meth = GLP_DUALP;
    sm.presolve = GLP_OFF;
    sm.tm_lim = (int)fmin(J->seconds * 1000, 2e9);
    int rc = glp_simplex(P, &sm);
    J->lp_ok = rc == 0 && glp_get_status(P) == GLP_OPT;
    if (J->lp_ok)
        J->lp_val = glp_get_obj_val(P);
    sg__log(J->ctx, SG_LOG_DEBUG,
            "site: LP relaxation (%d rows, %d columns) %s, %.17g, %.3f s",
            glp_get_num_rows(P), glp_get_num_cols(P),
            J->lp_ok ? "optimal" : "not solved", J->lp_val, now_s() - J->t0);
    if (!J->lp_ok)
        goto done;
    double left = J->seconds - (now_s() - J->t0);
    if (left <= 0.01)
        goto done;
    if (J->start && !(J->xs = malloc(((size_t)L.ncols + 1) * sizeof *J->xs))) {
        fail = 1;
        goto done;
    }
    if (J->xs)
        start_columns(J, &L, J->xs);
    cbinfo cb = {J, &L, J->xs};
    glp_iocp io;
    glp_init_iocp(&io);
    io.msg_lev = GLP_MSG_OFF;
    io.presolve = GLP_OFF;
    io.tm_lim = (int)fmin(left * 1000, 2e9);
    io.cb_func = callback;
    io.cb_info = &cb;
    io.mip_gap = 0;
    glp_intopt(P, &io);
    J->mip_status = glp_mip_status(P);
    sg__log(J->ctx, SG_LOG_DEBUG, "site: branch and bound %s, %.3f s",
            J->mip_status == GLP_OPT    ? "optimal"
            : J->mip_status == GLP_FEAS ? "stopped with a solution"
                                        : "stopped without a solution",
            now_s() - J->t0);
    if (J->mip_status == GLP_OPT || J->mip_status == GLP_FEAS) {
        J->ncols = L.ncols;
        if (!(J->col = malloc(((size_t)L.ncols + 1) * sizeof *J->col))) {
            fail = 1;
            goto done;
        }
        for (int j = 1; j <= L.ncols; j++)
            J->col[j] = glp_mip_col_val(P, j);
    }
done:
    glp_delete_prob(P);
    return fail;
}

/* Run solve() with GLPK silenced and its errors caught. \return SG_OK,
 * SG_ERR_NOMEM, SG_ERR_INTERNAL (GLPK error) or SG_ERR_CANCELLED. */
static sg_status run_guarded(job *J)
{
    int prev = glp_term_out(GLP_OFF);
    glp_term_hook(swallow, NULL);
    glp_error_hook(glpk_failed, J);
    J->t0 = now_s();
    J->node_bound = NAN;
    sg_status st = SG_OK;
    if (setjmp(J->jb) == 0) {
        if (solve(J))
            st = sg__error(J->ctx, SG_ERR_NOMEM, "out of memory");
        glp_error_hook(NULL, NULL);
        glp_term_hook(NULL, NULL);
        glp_term_out(prev);
    } else {
        /* GLPK's state is unusable after an error: release all of it */
        glp_free_env();
        st = sg__error(J->ctx, SG_ERR_INTERNAL,
                       "GLPK failed while solving the integer program "
                       "(out of memory?)");
    }
    free(J->ia);
    free(J->ja);
    free(J->ar);
    free(J->xs);
    J->ia = J->ja = NULL;
    J->ar = J->xs = NULL;
    if (st == SG_OK && J->cancelled)
        st = sg__error(J->ctx, SG_ERR_CANCELLED, "cancelled by the caller");
    return st;
}

/* The LP value as a bound in the instance's terms. */
static double lp_as_bound(const sg__site_inst *in, double v)
{
    return in->cover_all ? ceil(v - 1e-6) : v;
}

sg_status sg__site_exact(sg_ctx *ctx, const sg__site_inst *in,
                         const sg__site_sol *start, double seconds,
                         sg__site_sol *out)
{
    job J;
    memset(&J, 0, sizeof J);
    memset(out, 0, sizeof *out);
    J.ctx = ctx;
    J.in = in;
    J.start = start;
    J.seconds = seconds;
    sg_status st = run_guarded(&J);
    if (st == SG_OK && !J.col) {
        /* the time limit stopped the LP or branch and bound before a
         * first solution (infeasible cannot happen: opening every
         * candidate is feasible): the caller keeps greedy's, as a
         * time-out */
        out->tm_hit = J.mip_status != GLP_NOFEAS;
        st = sg__error(ctx, SG_ERR_INTERNAL, "GLPK found no solution in %.0f s",
                       seconds);
    }
    if (st) {
        free(J.col);
        return st;
    }
    out->chosen = malloc((in->nc + 1) * sizeof *out->chosen);
    out->assign =
        in->cap > 0 ? malloc((in->nr + 1) * sizeof *out->assign) : NULL;
    if (!out->chosen || (in->cap > 0 && !out->assign)) {
        free(J.col);
        sg__site_sol_cleanup(out);
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    }
    for (size_t j = 0; j < in->nc; j++)
        if (J.col[j + 1] > 0.5)
            out->chosen[out->n++] = (uint32_t)j;
    if (in->cap > 0) {
        for (size_t r = 0; r < in->nr; r++)
            out->assign[r] = -1;
        for (size_t c = 0; c < in->nc; c++)
            for (size_t k = in->c_off[c]; k < in->c_off[c + 1]; k++)
                if (J.col[in->nc + 1 + k] > 0.5)
                    out->assign[in->c_row[k]] = (int32_t)c;
    }
    free(J.col);
    out->value = sg__site_value(in, out->chosen, out->n, out->assign);
    out->tm_hit = J.mip_status != GLP_OPT;
    if (!out->tm_hit) {
        out->bound = out->value;
        snprintf(out->method, sizeof out->method, "exact");
    } else if (in->cap > 0 && in->cover_all) {
        out->bound = NAN; /* the objective holds the penalty */
        snprintf(out->method, sizeof out->method, "mip-timeout");
    } else {
        double b = J.lp_ok ? lp_as_bound(in, J.lp_val) : NAN;
        if (!isnan(J.node_bound)) {
            double nb = lp_as_bound(in, J.node_bound);
            b = isnan(b) ? nb : in->cover_all ? fmax(b, nb) : fmin(b, nb);
        }
        out->bound = b;
        snprintf(out->method, sizeof out->method, "mip-timeout");
    }
    return SG_OK;
}
