/* sanigrid coverage: for every household (or every point of a demand
 * kind), the nearest sanitation point of a kind and its distance in
 * metres, by straight line and along the roads, against a service radius
 * (DOMAIN.md 1.1 C1, 1.2 T1/T4, 1.3 P1 and §2).
 *
 * Definitions (also in `sanigrid coverage --help`):
 *  - Straight line: Euclidean distance in the working CRS.
 *  - Along roads: the household's straight distance to its closest
 *    position on the nearest road edge (within max-snap), plus the
 *    shortest path along the roads (graph rules in src/net/graph.c), plus
 *    the straight distance from that path's end position to the point
 *    (points are placed on their own nearest road edge the same way). A
 *    household and a point on the same edge also connect directly along
 *    it. All households share one multi-source Dijkstra pass.
 *  - Unreachable: no road edge within max-snap of the household, or no
 *    point (placed on the network) in its road component. Counted apart,
 *    never dropped; its network columns are NULL.
 *  - Covered: distance <= radius (a household exactly at the radius is
 *    covered; distances are compared with a 1e-6 m tolerance so that
 *    rounding cannot flip that).
 *  - Ties: among points whose distances agree within 1e-6 m the lowest
 *    point_id (byte order) wins, for both metrics.
 *  - Blind spots (cov_blind.c): the connected pieces of the area within
 *    radius/2 of the households not covered by the main metric (network
 *    when computed and the store has roads, else straight line), i.e.
 *    groups of uncovered households joined by steps of at most one
 *    radius; clipped to the union of the top divisions (those whose
 *    parent is not a division) when there are divisions; a piece
 *    entirely outside them is kept unclipped.
 *  - Units: every division and grid containing the household counts it
 *    (a township counts its villages' households too). Its
 *    division_code is the deepest division containing it (level order
 *    county < township < admin_village < natural_village < group, then
 *    the smaller envelope); its grid_code the grid of the lowest level
 *    number containing it (grids without a level are level 1).
 *
 * Two threads (pure computation only in the second; SQLite and GEOS stay
 * in the caller's thread with its context): the worker builds the road
 * graph and runs the shortest-path pass while the caller reads the
 * households, each computes half of the households, and the worker traces
 * the blind-spot polygons while the caller writes layer coverage.
 * Not for: siting new points (site), SQL (src/store), printing.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/coverage/coverage_int.h"
#include "geom/geos_int.h"
#include "store/bulk_int.h"
#include "store/store_int.h"

/* Distance comparisons against the radius allow for this much rounding. */
#define COVER_TOL_M 1e-6

/* Whether \p kind is a value of points.kind (sg_point_kind's names). */
static int is_point_kind(const char *kind)
{
    const char *name;
    for (int i = 0; kind && (name = sg_point_kind_to_string((sg_point_kind)i));
         i++)
        if (strcmp(kind, name) == 0)
            return 1;
    return 0;
}

/* The defaults, shared by sg_coverage_options_new() and
 * sg_coverage(NULL). */
static void coverage_defaults(sg_coverage_options *o)
{
    memset(o, 0, sizeof *o);
    snprintf(o->kind, sizeof o->kind, "collection_point");
    snprintf(o->demand, sizeof o->demand, "households");
    o->metric = SG_METRIC_BOTH;
    o->max_snap = 500;
    sg__network_defaults(&o->net);
}

sg_coverage_options *sg_coverage_options_new(void)
{
    sg_coverage_options *o = malloc(sizeof *o);
    if (o)
        coverage_defaults(o);
    return o;
}

void sg_coverage_options_free(sg_coverage_options *opts)
{
    free(opts);
}

sg_status sg_coverage_options_set_kind(sg_ctx *ctx, sg_coverage_options *opts,
                                       sg_point_kind kind)
{
    const char *name = sg_point_kind_to_string(kind);
    if (!name)
        return sg__error(ctx, SG_ERR_USAGE, "unknown point kind %d", (int)kind);
    snprintf(opts->kind, sizeof opts->kind, "%s", name);
    return SG_OK;
}

sg_status sg_coverage_options_set_radius(sg_ctx *ctx, sg_coverage_options *opts,
                                         double m)
{
    if (!(m > 0) || !isfinite(m))
        return sg__error(ctx, SG_ERR_USAGE,
                         "coverage: the radius must be a distance > 0 m, "
                         "not %g",
                         m);
    opts->radius = m;
    return SG_OK;
}

sg_status sg_coverage_options_set_metric(sg_ctx *ctx, sg_coverage_options *opts,
                                         sg_metric metric)
{
    if (!sg_metric_to_string(metric))
        return sg__error(ctx, SG_ERR_USAGE,
                         "coverage: unknown metric %d (euclid, network or "
                         "both)",
                         (int)metric);
    opts->metric = metric;
    return SG_OK;
}

sg_status sg_coverage_options_set_max_snap(sg_ctx *ctx,
                                           sg_coverage_options *opts, double m)
{
    if (!(m >= 0) || !isfinite(m))
        return sg__error(ctx, SG_ERR_USAGE,
                         "coverage: the farthest snap to a road must be a "
                         "distance >= 0 m, not %g",
                         m);
    opts->max_snap = m;
    return SG_OK;
}

/* The names of sg_metric, by value. */
static const char *const metric_names[] = {NULL, "euclid", "network", "both"};

const char *sg_metric_to_string(sg_metric metric)
{
    if (metric < SG_METRIC_EUCLID || metric > SG_METRIC_BOTH)
        return NULL;
    return metric_names[metric];
}

sg_status sg_metric_from_string(sg_ctx *ctx, const char *name, sg_metric *out)
{
    for (int m = SG_METRIC_EUCLID; m <= SG_METRIC_BOTH; m++)
        if (name && !strcmp(name, metric_names[m])) {
            *out = (sg_metric)m;
            return SG_OK;
        }
    return sg__error(ctx, SG_ERR_USAGE,
                     "unknown metric '%s' (euclid, network or both)",
                     name ? name : "");
}

sg_status sg_coverage_options_set_demand(sg_ctx *ctx, sg_coverage_options *opts,
                                         const char *demand)
{
    if (!demand ||
        (strcmp(demand, "households") != 0 && !is_point_kind(demand)))
        return sg__error(ctx, SG_ERR_USAGE,
                         "unknown demand '%s' (households or a point kind)",
                         demand ? demand : "");
    snprintf(opts->demand, sizeof opts->demand, "%s", demand);
    return SG_OK;
}

sg_status sg_coverage_options_set_network(sg_ctx *ctx,
                                          sg_coverage_options *opts,
                                          const sg_network_options *net)
{
    (void)ctx;
    if (net)
        opts->net = *net;
    else
        sg__network_defaults(&opts->net);
    return SG_OK;
}

void sg_coverage_result_free(sg_coverage_result *result)
{
    if (!result)
        return;
    free(result->kind);
    free(result->demand);
    free(result->radius_source);
    free(result);
}

/* ---- the run's state beyond sg__cov -------------------------------------- */

/* What coverage.c keeps besides the shared sg__cov. */
typedef struct run {
    sg__cov c;
    sg__lineset roads; /* read by the caller, graphed by the worker */
    sg__graph *g;
    sg__paths paths;
    sg__pointgrid pg;
    sg__ustat *us2;  /* the worker's half of the unit statistics */
    size_t *order;   /* features in Z-order of their position */
    double *uxy;     /* uncovered features (blind spots) */
    int32_t *ugroup; /* their groups */
    size_t nu;
    atomic_int cancel; /* set by the caller to stop the worker */
    /* the worker */
    sg_ctx *wctx; /* its own context; owned */
    pthread_t th;
    int running;
    sg_status (*job)(struct run *);
    sg_status job_st;
} run;

/* Log how long a step took (debug level) and restart the clock. */
static void step_done(run *R, const char *step, double *t)
{
    double now = sg__cov_now();
    sg__log(R->c.ctx, SG_LOG_DEBUG, "coverage: %s %.3f s", step, now - *t);
    *t = now;
}

/* Free everything a run holds. */
static void run_cleanup(run *R)
{
    sg__cov *c = &R->c;
    sg__featset *sets[2] = {&c->sup, &c->dem};
    for (int i = 0; i < 2; i++) {
        free(sets[i]->xy);
        free(sets[i]->id);
        free(sets[i]->res);
        free(sets[i]->fid);
        sg__arena_cleanup(&sets[i]->text);
    }
    free(c->e_pt);
    free(c->e_d);
    free(c->n_pt);
    free(c->n_d);
    free(c->snap);
    free(c->flag);
    free(c->div_of);
    free(c->grid_of);
    free(c->blind_of);
    sg__units_cleanup(&c->units);
    free(c->us);
    free(c->pieces);
    sg__blind_cleanup(&c->blind);
    sg__lineset_cleanup(&R->roads);
    sg__graph_free(R->g);
    sg__paths_cleanup(&R->paths);
    sg__pointgrid_cleanup(&R->pg);
    free(R->us2);
    free(R->order);
    free(R->uxy);
    free(R->ugroup);
    sg_ctx_free(R->wctx);
    sg__store_keyed_free(c->store, c->keyed_cov);
    sg__store_bulk_load_free(c->store, c->bulk_blind);
}

/* ---- the worker thread ----------------------------------------------------
 */

/* The worker's progress callback: no display, but it stops when the
 * caller cancelled. */
static int worker_progress(double complete, const char *msg, void *user)
{
    (void)complete;
    (void)msg;
    run *R = user;
    return !atomic_load(&R->cancel);
}

/* Thread entry: run the job with the worker's context. */
static void *worker_main(void *arg)
{
    run *R = arg;
    R->job_st = R->job(R);
    return NULL;
}

/* Start \p job in the worker (or, if no thread can be made, run it here
 * at once). */
static void job_start(run *R, sg_status (*job)(run *))
{
    R->job = job;
    R->job_st = SG_OK;
    R->running = pthread_create(&R->th, NULL, worker_main, R) == 0;
    if (!R->running)
        R->job_st = job(R);
}

/* Wait for the worker's job; its failure is copied into the caller's
 * context. \return the job's status. */
static sg_status job_join(run *R)
{
    if (R->running)
        pthread_join(R->th, NULL);
    R->running = 0;
    if (R->job_st)
        return sg__error(R->c.ctx, R->job_st, "%s", sg_ctx_errmsg(R->wctx));
    return SG_OK;
}

/* Stop a running job (after a failure in the caller's thread). */
static void job_abort(run *R)
{
    atomic_store(&R->cancel, 1);
    if (R->running)
        pthread_join(R->th, NULL);
    R->running = 0;
}

/* ---- reading ------------------------------------------------------------ */

sg_status sg__featset_row(sg__row *row, int has_point, double x, double y,
                          void *user)
{
    sg__featset *f = user;
    if (!has_point) {
        f->skipped++;
        return SG_OK;
    }
    if (f->n == f->cap) {
        size_t cap = f->cap ? f->cap * 2 : 1024;
        double *xy = realloc(f->xy, cap * 2 * sizeof *xy);
        if (xy)
            f->xy = xy;
        size_t *id = realloc(f->id, cap * sizeof *id);
        if (id)
            f->id = id;
        long long *res = realloc(f->res, cap * sizeof *res);
        if (res)
            f->res = res;
        long long *fid =
            f->with_fid ? realloc(f->fid, cap * sizeof *fid) : f->fid;
        if (fid)
            f->fid = fid;
        if (!xy || !id || !res || (f->with_fid && !fid))
            return sg__error(f->ctx, SG_ERR_NOMEM, "out of memory");
        f->cap = cap;
    }
    size_t off = sg__arena_add(&f->text, sg__row_text(row, 0));
    if (off == (size_t)-1)
        return sg__error(f->ctx, SG_ERR_NOMEM, "out of memory");
    f->xy[2 * f->n] = x;
    f->xy[2 * f->n + 1] = y;
    f->id[f->n] = off;
    f->res[f->n] =
        f->with_res && !sg__row_is_null(row, 1) ? sg__row_int64(row, 1) : -1;
    if (f->with_fid)
        f->fid[f->n] = sg__row_int64(row, f->with_res ? 2 : 1);
    f->n++;
    return SG_OK;
}

/* An id with its row, for sorting points by point_id. */
typedef struct idref {
    const char *id;
    size_t row;
} idref;

/* Order by id bytes. */
static int cmp_idref(const void *a, const void *b)
{
    return strcmp(((const idref *)a)->id, ((const idref *)b)->id);
}

/* Sort \p f by id (byte order), so that point numbers follow point_id. */
static sg_status sort_by_id(sg_ctx *ctx, sg__featset *f)
{
    idref *v = malloc((f->n + 1) * sizeof *v);
    double *xy = malloc((f->n + 1) * 2 * sizeof *xy);
    size_t *id = malloc((f->n + 1) * sizeof *id);
    sg_status st = SG_OK;
    if (!v || !xy || !id) {
        st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < f->n; i++)
        v[i] = (idref){f->text.buf + f->id[i], i};
    qsort(v, f->n, sizeof *v, cmp_idref);
    for (size_t i = 0; i < f->n; i++) {
        xy[2 * i] = f->xy[2 * v[i].row];
        xy[2 * i + 1] = f->xy[2 * v[i].row + 1];
        id[i] = f->id[v[i].row];
    }
    free(f->xy);
    free(f->id);
    f->xy = xy;
    f->id = id;
    xy = NULL;
    id = NULL;
done:
    free(v);
    free(xy);
    free(id);
    return st;
}

/* Read the supply points (and the roads when the network is measured). */
static sg_status read_supply(run *R)
{
    static const char *const pcols[] = {"point_id"};
    sg__cov *c = &R->c;
    c->sup.ctx = c->dem.ctx = c->ctx;
    sg_status st =
        sg__store_scan_points(c->ctx, c->store, "points", pcols, 1, "kind",
                              c->o->kind, sg__featset_row, &c->sup);
    if (st == SG_OK)
        st = sort_by_id(c->ctx, &c->sup);
    if (st == SG_OK && c->network)
        st = sg__roads_read(c->ctx, c->store, &R->roads);
    if (st)
        return st;
    if (c->sup.skipped)
        sg__log(c->ctx, SG_LOG_WARN,
                "%lld %s points without a location were left out",
                c->sup.skipped, c->o->kind);
    if (c->sup.n == 0) {
        /* a run with nothing to measure against would mark every
         * household unreachable and replace earlier results: refuse */
        long long all = sg__store_count(c->ctx, c->store, "points");
        return sg__error(
            c->ctx, SG_ERR_INPUT,
            "%s: the store has no points of kind %s (%lld points of other "
            "kinds or none); import them with their kind (a column mapped "
            "with --map kind=COLUMN, or --set kind=%s); earlier coverage "
            "results are kept",
            sg_store_path(c->store), c->o->kind, all < 0 ? 0 : all, c->o->kind);
    }
    c->r->points = (long long)c->sup.n;
    return SG_OK;
}

/* Read the demand features and the divisions and grids, and allocate the
 * per-feature results. */
static sg_status read_demand(run *R)
{
    static const char *const pcols[] = {"point_id", "fid"};
    static const char *const hcols[] = {"household_id", "resident_population",
                                        "fid"};
    sg__cov *c = &R->c;
    sg_status st;
    c->dem.with_fid = 1;
    if (c->households) {
        c->dem.with_res = 1;
        st = sg__store_scan_points(c->ctx, c->store, "households", hcols, 3,
                                   NULL, NULL, sg__featset_row, &c->dem);
    } else {
        st = sg__store_scan_points(c->ctx, c->store, "points", pcols, 2, "kind",
                                   c->o->demand, sg__featset_row, &c->dem);
    }
    if (st == SG_OK)
        st = sg__progress(c->ctx, 0.8, "reading");
    if (st == SG_OK)
        st = sg__units_load(c->ctx, c->store, &c->units);
    if (st)
        return st;
    if (c->dem.skipped)
        sg__log(c->ctx, SG_LOG_WARN, "%lld %s without a location were left out",
                c->dem.skipped, c->households ? "households" : "demand points");
    size_t n = c->dem.n + 1;
    c->e_pt = malloc(n * sizeof *c->e_pt);
    c->e_d = malloc(n * sizeof *c->e_d);
    c->n_pt = malloc(n * sizeof *c->n_pt);
    c->n_d = malloc(n * sizeof *c->n_d);
    c->snap = malloc(n * sizeof *c->snap);
    c->flag = calloc(n, 1);
    c->div_of = malloc(n * sizeof *c->div_of);
    c->grid_of = malloc(n * sizeof *c->grid_of);
    c->blind_of = malloc(n * sizeof *c->blind_of);
    c->us = calloc(c->units.n + 1, sizeof *c->us);
    R->us2 = calloc(c->units.n + 1, sizeof *R->us2);
    if (!c->e_pt || !c->e_d || !c->n_pt || !c->n_d || !c->snap || !c->flag ||
        !c->div_of || !c->grid_of || !c->blind_of || !c->us || !R->us2)
        return sg__error(c->ctx, SG_ERR_NOMEM, "out of memory");
    for (size_t k = 0; k < c->units.n; k++)
        c->us[k].far = R->us2[k].far = -1;
    return sg__progress(c->ctx, 1.0, "reading");
}

/* ---- worker jobs ------------------------------------------------------- */

/* Job: the straight-line index, the road graph, the points placed on it,
 * and the one multi-source shortest-path pass. */
static sg_status job_network(run *R)
{
    sg__cov *c = &R->c;
    sg_ctx *ctx = R->wctx;
    sg_status st = sg__pointgrid_build(ctx, &R->pg, c->sup.xy, c->sup.n);
    if (st || !c->network)
        return st;
    if ((st = sg__graph_build(ctx, &R->roads, &c->o->net, &R->g)))
        return st;
    sg__graph_result(R->g, &c->r->network);
    sg__source *src = malloc((c->sup.n + 1) * sizeof *src);
    size_t nsrc = 0;
    if (!src)
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    for (size_t p = 0; p < c->sup.n; p++) {
        sg__snap at;
        if (sg__graph_snap(R->g, c->sup.xy[2 * p], c->sup.xy[2 * p + 1],
                           c->o->max_snap, &at))
            src[nsrc++] = (sg__source){at, (int32_t)p};
        else
            c->r->points_off_network++;
    }
    st = sg__paths_run(ctx, R->g, src, nsrc, &R->paths);
    free(src);
    return st;
}

/* Merge unit statistics \p b into \p a (\p n units). */
static void merge_stats(sg__ustat *a, const sg__ustat *b, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        a[k].hh += b[k].hh;
        a[k].res += b[k].res;
        a[k].cov_e += b[k].cov_e;
        a[k].cov_n += b[k].cov_n;
        a[k].unreach += b[k].unreach;
        if (b[k].far >= 0 &&
            (a[k].far < 0 || b[k].far_d > a[k].far_d ||
             (b[k].far_d == a[k].far_d && b[k].far < a[k].far))) {
            a[k].far = b[k].far;
            a[k].far_d = b[k].far_d;
        }
    }
}

/* Spread the 16 low bits of \p v to the even bits of the result. */
static uint32_t spread16(uint32_t v)
{
    v &= 0xffff;
    v = (v | v << 8) & 0x00ff00ff;
    v = (v | v << 4) & 0x0f0f0f0f;
    v = (v | v << 2) & 0x33333333;
    v = (v | v << 1) & 0x55555555;
    return v;
}

/* R->order: the features sorted by the Z-order (Morton) key of their
 * position on a 65536 x 65536 grid over their extent. Households come in
 * any order (the L county's consecutive fids lie 31 km apart), and each
 * nearest search reads the cells, roads, paths and units around its
 * household: taken in Z-order, those are still in the CPU cache from the
 * neighbours' searches instead of a miss each. An LSD radix sort of
 * (key, feature) pairs, 3 passes of 11 bits. */
static sg_status spatial_order(run *R)
{
    const sg__cov *c = &R->c;
    size_t n = c->dem.n;
    uint64_t *a = malloc((n + 1) * sizeof *a);
    uint64_t *t = malloc((n + 1) * sizeof *t);
    R->order = malloc((n + 1) * sizeof *R->order);
    if (!a || !t || !R->order) {
        free(a);
        free(t);
        return sg__error(c->ctx, SG_ERR_NOMEM, "out of memory");
    }
    double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        x0 = fmin(x0, c->dem.xy[2 * i]);
        x1 = fmax(x1, c->dem.xy[2 * i]);
        y0 = fmin(y0, c->dem.xy[2 * i + 1]);
        y1 = fmax(y1, c->dem.xy[2 * i + 1]);
    }
    double sx = x1 > x0 ? 65535.0 / (x1 - x0) : 0;
    double sy = y1 > y0 ? 65535.0 / (y1 - y0) : 0;
    for (size_t i = 0; i < n; i++) {
        double fx = (c->dem.xy[2 * i] - x0) * sx;
        double fy = (c->dem.xy[2 * i + 1] - y0) * sy;
        uint32_t kx = fx >= 0 && fx <= 65535 ? (uint32_t)fx : 0;
        uint32_t ky = fy >= 0 && fy <= 65535 ? (uint32_t)fy : 0;
        uint32_t key = spread16(kx) | spread16(ky) << 1;
        a[i] = (uint64_t)key << 32 | (uint64_t)i;
    }
    for (int shift = 32; shift < 64; shift += 11) {
        size_t cnt[2049] = {0};
        for (size_t i = 0; i < n; i++)
            cnt[((a[i] >> shift) & 2047) + 1]++;
        for (size_t d = 0; d < 2048; d++)
            cnt[d + 1] += cnt[d];
        for (size_t i = 0; i < n; i++)
            t[cnt[(a[i] >> shift) & 2047]++] = a[i];
        uint64_t *sw = a;
        a = t;
        t = sw;
    }
    for (size_t i = 0; i < n; i++) /* the key's feature, or all in order */
        R->order[i] = n <= UINT32_MAX ? (size_t)(a[i] & 0xffffffffu) : i;
    free(a);
    free(t);
    return SG_OK;
}

/* Everything about features order[b .. e): nearest points by both
 * metrics, flags, units; unit statistics into \p us (the order does not
 * change them: ties go to the lowest feature). Progress goes to \p ctx. */
static sg_status compute_range(run *R, sg_ctx *ctx, size_t b, size_t e,
                               sg__ustat *us)
{
    sg__cov *c = &R->c;
    const sg__units *u = &c->units;
    double radius = c->r->radius_m + COVER_TOL_M;
    int main_net = c->r->metric_used == SG_METRIC_NETWORK;
    uint32_t at[256];
    for (size_t k0 = b; k0 < e; k0++) {
        size_t i = R->order[k0];
        double x = c->dem.xy[2 * i], y = c->dem.xy[2 * i + 1], d;
        unsigned f = 0;
        c->e_pt[i] = c->n_pt[i] = -1;
        c->e_d[i] = c->n_d[i] = c->snap[i] = NAN;
        c->blind_of[i] = -1;
        if (c->euclid) {
            int32_t p = sg__pointgrid_nearest(&R->pg, x, y, &d);
            if (p >= 0) {
                c->e_pt[i] = p;
                c->e_d[i] = d;
                if (d <= radius)
                    f |= SG_COV_EUCLID;
            }
        }
        sg__snap on;
        if (c->network && sg__graph_snap(R->g, x, y, c->o->max_snap, &on)) {
            int32_t p;
            f |= SG_COV_SNAPPED;
            c->snap[i] = on.d;
            if (sg__paths_nearest(&R->paths, &on, &d, &p)) {
                f |= SG_COV_REACH;
                c->n_pt[i] = p;
                c->n_d[i] = d;
                if (d <= radius)
                    f |= SG_COV_NETWORK;
            }
        }
        c->flag[i] = (unsigned char)f;
        /* divisions and grids */
        size_t m = sg__units_at(u, x, y, at, 256);
        int32_t dv = -1, gr = -1;
        long long res = c->dem.res[i] > 0 ? c->dem.res[i] : 0;
        double far = main_net ? c->n_d[i] : c->e_d[i];
        for (size_t k = 0; k < m; k++) {
            const sg__unit *t = u->u + at[k];
            sg__ustat *s = us + at[k];
            s->hh++;
            s->res += res;
            s->cov_e += (f & SG_COV_EUCLID) != 0;
            s->cov_n += (f & SG_COV_NETWORK) != 0;
            s->unreach += !(f & SG_COV_REACH);
            if (far == far && (s->far < 0 || far > s->far_d ||
                               (far == s->far_d && (long long)i < s->far))) {
                s->far = (long long)i;
                s->far_d = far;
            }
            if (t->type == SG_UNIT_DIVISION) {
                const sg__unit *best = dv >= 0 ? u->u + dv : NULL;
                if (!best || t->depth > best->depth ||
                    (t->depth == best->depth && t->box_area < best->box_area))
                    dv = (int32_t)at[k];
            } else if (gr < 0 || t->depth < u->u[gr].depth) {
                gr = (int32_t)at[k];
            }
        }
        c->div_of[i] = dv;
        c->grid_of[i] = gr;
        if (((k0 - b) & 0x3fff) == 0x3fff) {
            sg_status st = sg__progress(ctx, (double)(k0 - b) / (double)(e - b),
                                        "distances");
            if (st)
                return st;
        }
    }
    return SG_OK;
}

/* Job: the second half of the features. */
static sg_status job_second_half(run *R)
{
    size_t n = R->c.dem.n;
    return compute_range(R, R->wctx, n / 2, n, R->us2);
}

/* Job: trace the blind-spot polygons. */
static sg_status job_trace(run *R)
{
    return sg__blind_trace(R->wctx, R->uxy, R->nu, R->c.r->radius_m / 2,
                           R->ugroup, R->c.npieces, &R->c.blind);
}

/* ---- steps in the caller's thread ---------------------------------------- */

/* Totals of the result from the per-feature flags. */
static void count_totals(sg__cov *c)
{
    sg_coverage_result *r = c->r;
    r->households = (long long)c->dem.n;
    for (size_t i = 0; i < c->dem.n; i++) {
        long long res = c->dem.res[i] > 0 ? c->dem.res[i] : 0;
        unsigned f = c->flag[i];
        r->residents += res;
        if (c->euclid && !(f & SG_COV_EUCLID)) {
            r->beyond_euclid++;
            r->residents_beyond_euclid += res;
        }
        if (c->network && !(f & SG_COV_REACH)) {
            /* beyond_network and residents_beyond_network both count
             * every household not covered along roads, unreachable ones
             * included (as beyond_euclid and site's beyond_households) */
            r->unreachable++;
            r->residents_unreachable += res;
            r->beyond_network++;
            r->residents_beyond_network += res;
            if (!(f & SG_COV_SNAPPED))
                r->off_network++;
        } else if (c->network && !(f & SG_COV_NETWORK)) {
            r->beyond_network++;
            r->residents_beyond_network += res;
        }
    }
    for (size_t p = 0; p < c->sup.n; p++) {
        uint32_t at[256];
        size_t m = sg__units_at(&c->units, c->sup.xy[2 * p],
                                c->sup.xy[2 * p + 1], at, 256);
        for (size_t k = 0; k < m; k++)
            c->us[at[k]].points++;
    }
}

/* Order pieces by features (most first), then by group number. */
static int cmp_piece_ref(const void *a, const void *b)
{
    const sg__piece *p = *(sg__piece *const *)a, *q = *(sg__piece *const *)b;
    if (p->hh != q->hh)
        return p->hh > q->hh ? -1 : 1;
    return p < q ? -1 : p > q;
}

/* A (piece, division) pair for the majority vote. */
typedef struct pdiv {
    int32_t piece, division;
} pdiv;

/* Order pairs by piece, then division. */
static int cmp_pdiv(const void *a, const void *b)
{
    const pdiv *p = a, *q = b;
    if (p->piece != q->piece)
        return p->piece < q->piece ? -1 : 1;
    return p->division < q->division ? -1 : p->division > q->division;
}

/* Group the features not covered by the main metric into blind spots,
 * count them, pick each one's division and number them. */
static sg_status group_blind(run *R)
{
    sg__cov *c = &R->c;
    int net = c->r->metric_used == SG_METRIC_NETWORK;
    unsigned bit = net ? SG_COV_NETWORK : SG_COV_EUCLID;
    size_t n = 0;
    for (size_t i = 0; i < c->dem.n; i++)
        n += !(c->flag[i] & bit);
    size_t *map = malloc((n + 1) * sizeof *map);
    pdiv *pd = malloc((n + 1) * sizeof *pd);
    sg__piece **ord = NULL;
    R->uxy = malloc((n + 1) * 2 * sizeof *R->uxy);
    R->ugroup = malloc((n + 1) * sizeof *R->ugroup);
    sg_status st = SG_OK;
    if (!map || !pd || !R->uxy || !R->ugroup) {
        st = sg__error(c->ctx, SG_ERR_NOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < c->dem.n; i++) {
        if (c->flag[i] & bit)
            continue;
        R->uxy[2 * R->nu] = c->dem.xy[2 * i];
        R->uxy[2 * R->nu + 1] = c->dem.xy[2 * i + 1];
        map[R->nu++] = i;
    }
    if ((st = sg__blind_group(c->ctx, R->uxy, R->nu, c->r->radius_m / 2,
                              R->ugroup, &c->npieces)))
        goto done;
    c->pieces = calloc(c->npieces + 1, sizeof *c->pieces);
    ord = malloc((c->npieces + 1) * sizeof *ord);
    if (!c->pieces || !ord) {
        st = sg__error(c->ctx, SG_ERR_NOMEM, "out of memory");
        goto done;
    }
    size_t npd = 0;
    for (size_t k = 0; k < R->nu; k++) {
        size_t i = map[k];
        sg__piece *p = c->pieces + R->ugroup[k];
        p->hh++;
        p->res += c->dem.res[i] > 0 ? c->dem.res[i] : 0;
        c->blind_of[i] = R->ugroup[k];
        if (c->div_of[i] >= 0)
            pd[npd++] = (pdiv){R->ugroup[k], c->div_of[i]};
    }
    for (size_t p = 0; p < c->npieces; p++)
        c->pieces[p].division = -1;
    /* the division holding most of the piece's features (ties: the
     * first division) */
    qsort(pd, npd, sizeof *pd, cmp_pdiv);
    for (size_t a = 0, best = 0; a < npd;) {
        size_t e = a;
        while (e < npd && pd[e].piece == pd[a].piece &&
               pd[e].division == pd[a].division)
            e++;
        sg__piece *p = c->pieces + pd[a].piece;
        if (p->division < 0 || e - a > best) {
            p->division = pd[a].division;
            best = e - a;
        }
        if (e < npd && pd[e].piece != pd[a].piece)
            best = 0;
        a = e;
    }
    for (size_t p = 0; p < c->npieces; p++)
        ord[p] = c->pieces + p;
    qsort(ord, c->npieces, sizeof *ord, cmp_piece_ref);
    for (size_t p = 0; p < c->npieces; p++)
        ord[p]->id = (long long)p + 1;
done:
    free(map);
    free(pd);
    free(ord);
    return st;
}

/* The radius for the run: --radius, or the setting for the kind. */
static sg_status resolve_radius(sg__cov *c)
{
    sg_coverage_result *r = c->r;
    const char *kind = c->o->kind;
    const char *key = NULL;
    double scale = 1;
    if (c->o->radius > 0) {
        r->radius_m = c->o->radius;
        r->radius_source = sg__strdup(c->ctx, "--radius");
        return r->radius_source ? SG_OK : SG_ERR_NOMEM;
    }
    if (strcmp(kind, "collection_point") == 0) {
        key = "collection_point.radius_m.clustered";
    } else if (strcmp(kind, "public_toilet") == 0) {
        key = "public_toilet.radius_m.town";
    } else if (strcmp(kind, "transfer_station") == 0) {
        key = "collection_vehicle.radius_km.small_motor";
        scale = 1000;
    } else {
        return sg__error(c->ctx, SG_ERR_USAGE,
                         "no setting gives a radius for kind '%s'; give "
                         "--radius",
                         kind);
    }
    double v = 0;
    sg_status st = sg_setting_get_double(c->ctx, c->store, key, &v);
    if (st)
        return st;
    if (!(v > 0))
        return sg__error(c->ctx, SG_ERR_INPUT,
                         "setting %s must be a positive number", key);
    r->radius_m = v * scale;
    r->radius_source = sg__strdup(c->ctx, key);
    return r->radius_source ? SG_OK : SG_ERR_NOMEM;
}

/* Write every result in one transaction while the worker traces the
 * blind spots. */
static sg_status write_all(run *R)
{
    sg__cov *c = &R->c;
    double saved[2], t = sg__cov_now();
    sg_status st;
    job_start(R, job_trace);
    sg__progress_push(c->ctx, 0.0, 0.8, saved);
    st = sg__cov_write_coverage(c);
    sg__progress_pop(c->ctx, saved);
    step_done(R, "writing layer coverage", &t);
    if (st) {
        job_abort(R);
    } else {
        st = job_join(R);
        step_done(R, "waiting for the blind-spot tracing", &t);
    }
    if (st == SG_OK)
        st = sg__cov_write_blind(c);
    step_done(R, "writing blind_spots", &t);
    if (st == SG_OK)
        st = sg__cov_write_stats(c);
    if (st == SG_OK)
        st = sg__cov_record(c);
    step_done(R, "writing coverage_stats and the run record", &t);
    if (st == SG_OK)
        st = sg__progress(c->ctx, 0.95, "committing");
    if (st == SG_OK)
        st = sg__store_commit(c->ctx, c->store);
    if (st)
        sg__store_rollback(c->store);
    step_done(R, "commit", &t);
    return st;
}

/* The steps of a run, with progress ranges. */
static sg_status run_steps(run *R)
{
    sg__cov *c = &R->c;
    double saved[2], t = sg__cov_now();
    sg_status st;
    sg__progress_push(c->ctx, 0.0, 0.05, saved);
    st = read_supply(R);
    sg__progress_pop(c->ctx, saved);
    if (st)
        return st;
    step_done(R, "reading points and roads", &t);
    /* the worker graphs the roads while this thread reads households */
    job_start(R, job_network);
    sg__progress_push(c->ctx, 0.05, 0.25, saved);
    st = read_demand(R);
    sg__progress_pop(c->ctx, saved);
    step_done(R, "reading households, divisions and grids", &t);
    if (st) {
        job_abort(R);
        return st;
    }
    if ((st = job_join(R)))
        return st;
    step_done(R, "waiting for the road graph", &t);
    c->r->metric_used = c->network ? SG_METRIC_NETWORK : SG_METRIC_EUCLID;
    if (c->network && R->g->nroad_edges == 0) {
        sg__log(c->ctx, SG_LOG_WARN,
                "the store has no roads: nothing is reachable along roads");
        if (c->euclid) {
            c->r->metric_used = SG_METRIC_EUCLID;
            sg__log(c->ctx, SG_LOG_WARN,
                    "blind spots use straight-line distances (no roads)");
        }
    }
    /* each thread computes half of the features, in Z-order */
    if ((st = spatial_order(R)))
        return st;
    job_start(R, job_second_half);
    sg__progress_push(c->ctx, 0.25, 0.45, saved);
    st = compute_range(R, c->ctx, 0, c->dem.n / 2, c->us);
    sg__progress_pop(c->ctx, saved);
    if (st) {
        job_abort(R);
        return st;
    }
    if ((st = job_join(R)))
        return st;
    merge_stats(c->us, R->us2, c->units.n);
    count_totals(c);
    step_done(R, "distances", &t);
    if ((st = group_blind(R)))
        return st;
    step_done(R, "grouping blind spots", &t);
    sg__progress_push(c->ctx, 0.5, 1.0, saved);
    st = write_all(R);
    sg__progress_pop(c->ctx, saved);
    if (st == SG_OK)
        st = sg__progress(c->ctx, 1.0, "coverage");
    return st;
}

sg_status sg_coverage(sg_ctx *ctx, sg_store *store,
                      const sg_coverage_options *opts,
                      sg_coverage_result **result)
{
    sg_coverage_result *r = NULL;
    run *R = NULL;
    if (result)
        *result = NULL;
    sg_coverage_options defaults;
    if (!store)
        return sg__error(ctx, SG_ERR_USAGE, "coverage: no store");
    if (!opts) {
        coverage_defaults(&defaults);
        opts = &defaults;
    }
    sg_status st = sg__store_check_writable(ctx, store);
    if (st)
        return st;
    if (strcmp(opts->kind, opts->demand) == 0)
        return sg__error(ctx, SG_ERR_USAGE,
                         "the demand and the kind serving it are both %s",
                         opts->kind);
    /* inputs are read inside the transaction that writes the results
     * (committed by write_all) */
    if ((st = sg__store_begin(ctx, store)))
        return st;
    if (sg_store_srid(store) == 0) {
        sg__store_rollback(store);
        return sg__error(ctx, SG_ERR_INPUT,
                         "store %s holds no data yet; import households, "
                         "points and roads first",
                         sg_store_path(store));
    }
    if (!(r = calloc(1, sizeof *r)) || !(R = calloc(1, sizeof *R)) ||
        !(R->wctx = sg_ctx_new()) ||
        !(r->kind = sg__strdup(NULL, opts->kind)) ||
        !(r->demand = sg__strdup(NULL, opts->demand))) {
        if (R)
            sg_ctx_free(R->wctx);
        free(R);
        sg_coverage_result_free(r);
        sg__store_rollback(store);
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    }
    atomic_init(&R->cancel, 0);
    sg_ctx_set_progress(R->wctx, worker_progress, R);
    sg__cov *c = &R->c;
    c->ctx = ctx;
    c->store = store;
    c->o = opts;
    c->r = r;
    c->t0 = sg__cov_now();
    c->households = strcmp(opts->demand, "households") == 0;
    c->euclid = (opts->metric & SG_METRIC_EUCLID) != 0;
    c->network = (opts->metric & SG_METRIC_NETWORK) != 0;
    r->metric = opts->metric;
    r->max_snap_m = opts->max_snap;
    if ((st = resolve_radius(c)) == SG_OK)
        st = run_steps(R);
    if (st) /* write_all committed unless something failed */
        sg__store_rollback(store);
    run_cleanup(R);
    free(R);
    if (st == SG_OK && result)
        *result = r;
    else
        sg_coverage_result_free(r);
    return st;
}
