/* sanigrid site: where new sanitation points (collection points by
 * default) should go. --add K chooses K new points covering the most
 * residents not covered today (maximal covering; ties in residents go to
 * more households); --cover-all the fewest new points covering every
 * household some candidate can cover (set covering). Existing points of
 * the kind are kept and count as covering.
 *
 * Definitions (also in `sanigrid site --help`):
 *  - distances and "covered" are those of the coverage analysis
 *    (coverage.c): straight line, or along roads = snap + path + snap
 *    with the same graph and max-snap; covered = distance <= radius
 *    within 1e-6 m;
 *  - demand: the households (inside --division) not covered by the
 *    existing points; along roads, households with no road within
 *    max-snap cannot be covered by any point and are listed
 *    ("off_network"), as are those no candidate reaches within the
 *    radius ("no_candidate") and, with a residents capacity, households
 *    larger than it ("capacity");
 *  - candidates: site_cand.c; the instance: site_inst.c;
 *  - method: the integer program (site_glpk.c) when at most the exact
 *    limit of candidates (default 5,000) is left after pruning and the
 *    rows are at most 200,000 (with a capacity: at most 20,000
 *    household-candidate pairs); otherwise greedy + swap (site_greedy.c).
 *    Bounds: the greedy ones, tightened without a capacity by the
 *    Lagrangian relaxation (site_lagr.c, whose limit is the LP bound);
 *    --json reports the method, the bound and the gap.
 * Not for: SQL (src/store), printing, measuring coverage (coverage.c).
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analysis/site/site_int.h"
#include "net/net_int.h"
#include "store/bulk_int.h"
#include "store/store_int.h"

/* Largest instances for the integer program. */
#define EXACT_MAX_ROWS 200000
#define EXACT_MAX_PAIRS_CAPACITY 20000

/* Effort of the Lagrangian bound: at most this many subgradient steps
 * and seconds (or a quarter of the time limit). */
#define LAGRANGE_STEPS 1000
#define LAGRANGE_SECONDS 2.0

/* ---- options ------------------------------------------------------------ */

/* The defaults, shared by sg_site_options_new() and sg_site(NULL). */
static void site_defaults(sg_site_options *o)
{
    memset(o, 0, sizeof *o);
    o->k = 1;
    o->kind = SG_POINT_COLLECTION_POINT;
    snprintf(o->candidates, sizeof o->candidates, "roads");
    o->spacing = 20;
    o->cap_unit = SG_SITE_CAP_HOUSEHOLDS;
    o->max_snap = 500;
    o->exact_limit = SG_SITE_EXACT_CANDIDATES;
    o->time_limit = 20;
    sg__network_defaults(&o->net);
}

sg_site_options *sg_site_options_new(void)
{
    sg_site_options *o = malloc(sizeof *o);
    if (o)
        site_defaults(o);
    return o;
}

void sg_site_options_free(sg_site_options *opts)
{
    free(opts);
}

sg_status sg_site_options_set_add(sg_ctx *ctx, sg_site_options *opts, int k)
{
    if (k < 1)
        return sg__error(ctx, SG_ERR_USAGE,
                         "add: the number of new points must be >= 1, not %d",
                         k);
    opts->cover_all = 0;
    opts->k = k;
    return SG_OK;
}

sg_status sg_site_options_set_cover_all(sg_ctx *ctx, sg_site_options *opts)
{
    (void)ctx;
    opts->cover_all = 1;
    return SG_OK;
}

sg_status sg_site_options_set_kind(sg_ctx *ctx, sg_site_options *opts,
                                   sg_point_kind kind)
{
    if (!sg_point_kind_to_string(kind))
        return sg__error(ctx, SG_ERR_USAGE,
                         "site: unknown point kind %d (collection_point, "
                         "bin, transfer_station, public_toilet or other)",
                         (int)kind);
    opts->kind = kind;
    return SG_OK;
}

/* Indexed by sg_site_mode and sg_site_capacity_unit (from 1). */
static const char *const mode_names[] = {NULL, "add", "cover_all"};
static const char *const unit_names[] = {NULL, "households", "residents"};

sg_status sg_site_mode_from_string(sg_ctx *ctx, const char *name,
                                   sg_site_mode *out)
{
    for (int i = SG_SITE_ADD; name && i <= SG_SITE_COVER_ALL; i++)
        if (strcmp(name, mode_names[i]) == 0) {
            *out = (sg_site_mode)i;
            return SG_OK;
        }
    return sg__error(ctx, SG_ERR_USAGE,
                     "unknown site mode '%s' (add or cover_all)",
                     name ? name : "");
}

const char *sg_site_mode_to_string(sg_site_mode mode)
{
    return mode >= SG_SITE_ADD && mode <= SG_SITE_COVER_ALL ? mode_names[mode]
                                                            : NULL;
}

sg_status sg_site_capacity_unit_from_string(sg_ctx *ctx, const char *name,
                                            sg_site_capacity_unit *out)
{
    for (int i = SG_SITE_CAP_HOUSEHOLDS; name && i <= SG_SITE_CAP_RESIDENTS;
         i++)
        if (strcmp(name, unit_names[i]) == 0) {
            *out = (sg_site_capacity_unit)i;
            return SG_OK;
        }
    return sg__error(ctx, SG_ERR_USAGE,
                     "unknown capacity unit '%s' (households or residents)",
                     name ? name : "");
}

const char *sg_site_capacity_unit_to_string(sg_site_capacity_unit unit)
{
    return unit >= SG_SITE_CAP_HOUSEHOLDS && unit <= SG_SITE_CAP_RESIDENTS
               ? unit_names[unit]
               : NULL;
}

sg_status sg_site_options_set_radius(sg_ctx *ctx, sg_site_options *opts,
                                     double m)
{
    if (!(m >= 0) || !isfinite(m))
        return sg__error(ctx, SG_ERR_USAGE,
                         "radius must be a number of metres > 0 (0 = from "
                         "the settings), not %g",
                         m);
    opts->radius = m;
    return SG_OK;
}

sg_status sg_site_options_set_metric(sg_ctx *ctx, sg_site_options *opts,
                                     sg_metric metric)
{
    if (metric != 0 && metric != SG_METRIC_EUCLID &&
        metric != SG_METRIC_NETWORK)
        return sg__error(ctx, SG_ERR_USAGE,
                         "metric must be straight line or along roads "
                         "(0 = the setting), not %d",
                         (int)metric);
    opts->metric = metric;
    return SG_OK;
}

sg_status sg_site_options_set_candidates(sg_ctx *ctx, sg_site_options *opts,
                                         const char *source)
{
    if (!source || !*source || strlen(source) >= sizeof opts->candidates)
        return sg__error(ctx, SG_ERR_USAGE,
                         "candidates: give roads, households or a point "
                         "layer");
    snprintf(opts->candidates, sizeof opts->candidates, "%s", source);
    return SG_OK;
}

sg_status sg_site_options_set_spacing(sg_ctx *ctx, sg_site_options *opts,
                                      double m)
{
    if (!(m > 0) || !isfinite(m))
        return sg__error(ctx, SG_ERR_USAGE,
                         "spacing must be a number of metres > 0, not %g", m);
    opts->spacing = m;
    return SG_OK;
}

sg_status sg_site_options_set_division(sg_ctx *ctx, sg_site_options *opts,
                                       const char *code)
{
    if (code && (!*code || strlen(code) >= sizeof opts->division))
        return sg__error(ctx, SG_ERR_USAGE, "division: give a division code");
    snprintf(opts->division, sizeof opts->division, "%s", code ? code : "");
    return SG_OK;
}

sg_status sg_site_options_set_capacity(sg_ctx *ctx, sg_site_options *opts,
                                       double n, sg_site_capacity_unit unit)
{
    if (!isfinite(n))
        return sg__error(ctx, SG_ERR_USAGE,
                         "capacity must be a number (0 = none, < 0 = the "
                         "setting), not %g",
                         n);
    if (unit != SG_SITE_CAP_HOUSEHOLDS && unit != SG_SITE_CAP_RESIDENTS)
        return sg__error(ctx, SG_ERR_USAGE,
                         "capacity unit must be households or residents, "
                         "not %d",
                         (int)unit);
    if (n < 0 && unit != SG_SITE_CAP_HOUSEHOLDS)
        return sg__error(ctx, SG_ERR_USAGE,
                         "capacity from the setting counts households, not "
                         "residents");
    opts->capacity = n > 0 ? n : n < 0 ? -1 : 0;
    opts->cap_unit = unit;
    return SG_OK;
}

sg_status sg_site_options_set_max_snap(sg_ctx *ctx, sg_site_options *opts,
                                       double m)
{
    if (!(m >= 0) || !isfinite(m))
        return sg__error(ctx, SG_ERR_USAGE,
                         "max-snap must be a number of metres >= 0, not %g", m);
    opts->max_snap = m;
    return SG_OK;
}

sg_status sg_site_options_set_network(sg_ctx *ctx, sg_site_options *opts,
                                      const sg_network_options *net)
{
    (void)ctx;
    if (net)
        opts->net = *net;
    else
        sg__network_defaults(&opts->net);
    return SG_OK;
}

sg_status sg_site_options_set_exact_limit(sg_ctx *ctx, sg_site_options *opts,
                                          size_t n)
{
    (void)ctx;
    opts->exact_limit = n;
    return SG_OK;
}

sg_status sg_site_options_set_time_limit(sg_ctx *ctx, sg_site_options *opts,
                                         double s)
{
    if (!(s > 0) || !isfinite(s))
        return sg__error(ctx, SG_ERR_USAGE,
                         "time limit must be a number of seconds > 0, not %g",
                         s);
    opts->time_limit = s;
    return SG_OK;
}

/* ---- results ------------------------------------------------------------- */

/* Set the owned string *\p slot of a result to a copy of \p text. */
static sg_status set_text(sg_ctx *ctx, char **slot, const char *text)
{
    char *d = sg__strdup(ctx, text ? text : "");
    if (!d)
        return SG_ERR_NOMEM;
    free(*slot);
    *slot = d;
    return SG_OK;
}

/* Where the owned strings of a result are (never NULL in a result
 * returned: "" when empty). */
static const size_t text_off[] = {offsetof(sg_site_result, radius_source),
                                  offsetof(sg_site_result, candidates),
                                  offsetof(sg_site_result, division_code),
                                  offsetof(sg_site_result, division_name),
                                  offsetof(sg_site_result, capacity_source),
                                  offsetof(sg_site_result, method),
                                  offsetof(sg_site_result, objective)};
#define NTEXTS (sizeof text_off / sizeof text_off[0])

/* The \p i-th owned string of \p r. */
static char **text_slot(sg_site_result *r, size_t i)
{
    return (char **)(void *)((char *)r + text_off[i]);
}

void sg_site_result_free(sg_site_result *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < NTEXTS; i++)
        free(*text_slot(r, i));
    for (size_t i = 0; i < r->nproposals; i++) {
        free(r->proposals[i].candidate_id);
        free(r->proposals[i].division_code);
        free(r->proposals[i].village);
    }
    free(r->proposals);
    for (size_t i = 0; i < r->nuncoverable; i++)
        free(r->uncoverable[i].household_id);
    free(r->uncoverable);
    free(r);
}

/* Seconds of the monotonic clock. */
static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* Log how long a step took (debug level) and restart the clock. */
static void step_done(sg_ctx *ctx, const char *step, double *t)
{
    double now = now_s();
    sg__log(ctx, SG_LOG_DEBUG, "site: %s %.3f s", step, now - *t);
    *t = now;
}

/* ---- reading ------------------------------------------------------------- */

/* sg__store_scan callback for roads: road_id, geometry (owner = row). */
static sg_status road_row(sg__row *row, void *user)
{
    sg__site_run *R = user;
    if (R->nroad_rows == R->road_cap) {
        size_t cap = R->road_cap ? R->road_cap * 2 : 1024;
        size_t *v = realloc(R->road_id, cap * sizeof *v);
        if (!v)
            return sg__error(R->ctx, SG_ERR_NOMEM, "out of memory");
        R->road_id = v;
        R->road_cap = cap;
    }
    size_t off = sg__arena_add(&R->road_text, sg__row_text(row, 0));
    if (off == (size_t)-1)
        return sg__error(R->ctx, SG_ERR_NOMEM, "out of memory");
    R->road_id[R->nroad_rows] = off;
    int32_t owner = (int32_t)R->nroad_rows++;
    return sg__wkb_append_parts(R->ctx, &R->roads, sg__row_blob(row, 1),
                                sg__row_bytes(row, 1), owner, "roads");
}

/* The radius: --radius, or the setting for the kind (as coverage). */
static sg_status resolve_radius(sg__site_run *R)
{
    sg_site_result *r = R->r;
    const char *kind = sg_point_kind_to_string(R->o->kind), *key = NULL;
    double scale = 1, v = 0;
    if (R->o->radius > 0) {
        R->radius = r->radius_m = R->o->radius;
        return set_text(R->ctx, &r->radius_source, "--radius");
    }
    if (R->o->kind == SG_POINT_COLLECTION_POINT) {
        key = "collection_point.radius_m.clustered";
    } else if (R->o->kind == SG_POINT_PUBLIC_TOILET) {
        key = "public_toilet.radius_m.town";
    } else if (R->o->kind == SG_POINT_TRANSFER_STATION) {
        key = "collection_vehicle.radius_km.small_motor";
        scale = 1000;
    } else {
        return sg__error(R->ctx, SG_ERR_USAGE,
                         "no setting gives a radius for kind '%s'; give "
                         "--radius",
                         kind);
    }
    sg_status st = sg_setting_get_double(R->ctx, R->store, key, &v);
    if (st)
        return st;
    if (!(v > 0))
        return sg__error(R->ctx, SG_ERR_INPUT,
                         "setting %s must be a positive number", key);
    R->radius = r->radius_m = v * scale;
    return set_text(R->ctx, &r->radius_source, key);
}

/* The metric: the option, else the setting collection_point.
 * distance_metric; straight line when the default asks for roads and the
 * store has none. */
static sg_status resolve_metric(sg__site_run *R, int *explicit_metric)
{
    *explicit_metric = R->o->metric != 0;
    if (R->o->metric) {
        R->network = R->o->metric == SG_METRIC_NETWORK;
        return SG_OK;
    }
    char *v = NULL;
    sg_status st = sg_setting_get(R->ctx, R->store,
                                  "collection_point.distance_metric", &v);
    if (st)
        return st;
    R->network = strcmp(v, "euclid") != 0;
    sg_free(v);
    return SG_OK;
}

/* Read points, households, divisions, grids and (when needed) roads,
 * and build the road graph. */
static sg_status read_all(sg__site_run *R)
{
    static const char *const pcols[] = {"point_id"};
    static const char *const hcols[] = {"household_id", "resident_population"};
    static const char *const rcols[] = {"road_id"};
    sg_ctx *ctx = R->ctx;
    int explicit_metric = 0;
    sg_status st = resolve_metric(R, &explicit_metric);
    R->pts.ctx = R->hh.ctx = ctx;
    R->hh.with_res = 1;
    if (st == SG_OK)
        st = sg__store_scan_points(ctx, R->store, "points", pcols, 1, "kind",
                                   sg_point_kind_to_string(R->o->kind),
                                   sg__featset_row, &R->pts);
    if (st == SG_OK)
        st = sg__store_scan_points(ctx, R->store, "households", hcols, 2, NULL,
                                   NULL, sg__featset_row, &R->hh);
    if (st == SG_OK)
        st = sg__progress(ctx, 0.4, "reading");
    if (st == SG_OK)
        st = sg__units_load(ctx, R->store, &R->units);
    int need_roads = R->network || strcmp(R->o->candidates, "roads") == 0;
    if (st == SG_OK && need_roads)
        st = sg__store_scan(ctx, R->store, "roads", rcols, 1, 1, NULL, NULL,
                            road_row, R);
    if (st)
        return st;
    if (R->hh.skipped)
        sg__log(ctx, SG_LOG_WARN,
                "%lld households without a location were "
                "left out",
                R->hh.skipped);
    if (R->network && R->roads.nparts == 0) {
        if (explicit_metric)
            return sg__error(ctx, SG_ERR_INPUT,
                             "store %s has no roads: distances along roads "
                             "need them (or use --metric euclid)",
                             sg_store_path(R->store));
        sg__log(ctx, SG_LOG_WARN,
                "the store has no roads: distances by straight line");
        R->network = 0;
    }
    R->r->metric = R->network ? SG_METRIC_NETWORK : SG_METRIC_EUCLID;
    R->r->points = (long long)R->pts.n;
    if (R->network) {
        double saved[2];
        sg__progress_push(ctx, 0.5, 1.0, saved);
        st = sg__graph_build(ctx, &R->roads, &R->o->net, &R->g);
        sg__progress_pop(ctx, saved);
    }
    return st;
}

/* ---- coverage by the existing points ---------------------------------------
 */

/* Flag every household covered by the existing points (SG_COV_* bits:
 * SNAPPED and REACH along roads, and EUCLID or NETWORK when covered). */
static sg_status existing_coverage(sg__site_run *R)
{
    sg_ctx *ctx = R->ctx;
    size_t n = R->hh.n;
    double lim = R->radius + SG_SITE_COVER_TOL_M;
    sg__pointgrid pg = {0};
    sg__source *src = NULL;
    sg_status st = SG_OK;
    R->hflag = calloc(n + 1, 1);
    R->hsnap = calloc(n + 1, sizeof *R->hsnap);
    if (!R->hflag || !R->hsnap)
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    if (!R->network) {
        if ((st = sg__pointgrid_build(ctx, &pg, R->pts.xy, R->pts.n)))
            return st;
        for (size_t i = 0; i < n; i++) {
            double d;
            int32_t p = sg__pointgrid_nearest(&pg, R->hh.xy[2 * i],
                                              R->hh.xy[2 * i + 1], &d);
            if (p >= 0 && d <= lim)
                R->hflag[i] |= SG_COV_EUCLID;
        }
        sg__pointgrid_cleanup(&pg);
        return SG_OK;
    }
    size_t nsrc = 0;
    if (!(src = malloc((R->pts.n + 1) * sizeof *src)))
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    for (size_t p = 0; p < R->pts.n; p++) {
        sg__snap at;
        if (sg__graph_snap(R->g, R->pts.xy[2 * p], R->pts.xy[2 * p + 1],
                           R->o->max_snap, &at))
            src[nsrc++] = (sg__source){at, (int32_t)p};
    }
    st = sg__paths_run(ctx, R->g, src, nsrc, &R->paths);
    free(src);
    for (size_t i = 0; st == SG_OK && i < n; i++) {
        sg__snap *on = R->hsnap + i;
        double d;
        int32_t p;
        if (!sg__graph_snap(R->g, R->hh.xy[2 * i], R->hh.xy[2 * i + 1],
                            R->o->max_snap, on))
            continue;
        R->hflag[i] |= SG_COV_SNAPPED;
        if (sg__paths_nearest(&R->paths, on, &d, &p)) {
            R->hflag[i] |= SG_COV_REACH;
            if (d <= lim)
                R->hflag[i] |= SG_COV_NETWORK;
        }
    }
    return st;
}

/* Whether household \p i is covered by the existing points. */
static int covered_before(const sg__site_run *R, size_t i)
{
    return (R->hflag[i] & (R->network ? SG_COV_NETWORK : SG_COV_EUCLID)) != 0;
}

/* The deepest division containing (\p x, \p y) (coverage's rule: deeper
 * level, then the smaller envelope), and with \p village the deepest
 * admin or natural village; -1 when none. */
static int32_t division_at(const sg__units *u, double x, double y, int village)
{
    uint32_t at[256];
    size_t m = sg__units_at(u, x, y, at, 256);
    int32_t best = -1;
    for (size_t k = 0; k < m; k++) {
        const sg__unit *t = u->u + at[k];
        if (t->type != SG_UNIT_DIVISION ||
            (village && t->depth != 3 && t->depth != 4))
            continue;
        const sg__unit *b = best >= 0 ? u->u + best : NULL;
        if (!b || t->depth > b->depth ||
            (t->depth == b->depth && t->box_area < b->box_area))
            best = (int32_t)at[k];
    }
    return best;
}

/* The area of --division: a code, or "worst" (the admin_village with
 * the lowest share of covered households; ties: more uncovered, then the
 * lowest code). Sets R->area and the result's division fields. */
static sg_status resolve_area(sg__site_run *R)
{
    const sg__units *u = &R->units;
    const char *want = R->o->division;
    R->area = -1;
    if (!*want)
        return SG_OK;
    if (strcmp(want, "worst") == 0) {
        long long *hh = calloc(u->ndivisions + 1, sizeof *hh);
        long long *cov = calloc(u->ndivisions + 1, sizeof *cov);
        uint32_t at[256];
        if (!hh || !cov) {
            free(hh);
            free(cov);
            return sg__error(R->ctx, SG_ERR_NOMEM, "out of memory");
        }
        for (size_t i = 0; i < R->hh.n; i++) {
            size_t m =
                sg__units_at(u, R->hh.xy[2 * i], R->hh.xy[2 * i + 1], at, 256);
            for (size_t k = 0; k < m; k++)
                if (at[k] < u->ndivisions && u->u[at[k]].depth == 3) {
                    hh[at[k]]++;
                    cov[at[k]] += covered_before(R, i);
                }
        }
        for (size_t d = 0; d < u->ndivisions; d++) {
            if (hh[d] == cov[d])
                continue; /* nothing to cover there */
            if (R->area < 0) {
                R->area = (int32_t)d;
                continue;
            }
            size_t b = (size_t)R->area;
            double sd = (double)cov[d] / (double)hh[d];
            double sb = (double)cov[b] / (double)hh[b];
            if (sd < sb ||
                (sd == sb && (hh[d] - cov[d] > hh[b] - cov[b] ||
                              (hh[d] - cov[d] == hh[b] - cov[b] &&
                               strcmp(sg__units_text(u, u->u[d].code),
                                      sg__units_text(u, u->u[b].code)) < 0))))
                R->area = (int32_t)d;
        }
        size_t villages = 0;
        for (size_t d = 0; d < u->ndivisions; d++)
            villages += u->u[d].depth == 3;
        free(hh);
        free(cov);
        if (R->area < 0 && !villages)
            return sg__error(R->ctx, SG_ERR_INPUT,
                             "store %s has no admin_village divisions to "
                             "pick the worst from",
                             sg_store_path(R->store));
        if (R->area < 0)
            return sg__error(R->ctx, SG_ERR_INPUT,
                             "no admin_village division has a household "
                             "beyond the radius: nothing to site");
    } else {
        for (size_t d = 0; d < u->ndivisions && R->area < 0; d++)
            if (strcmp(sg__units_text(u, u->u[d].code), want) == 0)
                R->area = (int32_t)d;
        if (R->area < 0)
            return sg__error(R->ctx, SG_ERR_USAGE,
                             "store %s has no division '%s'",
                             sg_store_path(R->store), want);
    }
    const sg__unit *t = u->u + R->area;
    sg_status st =
        set_text(R->ctx, &R->r->division_code, sg__units_text(u, t->code));
    return st ? st
              : set_text(R->ctx, &R->r->division_name,
                         sg__units_text(u, t->name));
}

/* Mark the households of the area, count the coverage before, and list
 * the demand (area households not covered; along roads only those on
 * the network). */
static sg_status find_demand(sg__site_run *R)
{
    sg_site_coverage *b = &R->r->before;
    size_t n = R->hh.n;
    R->in_area = malloc(n + 1);
    R->dem = malloc((n + 1) * sizeof *R->dem);
    if (!R->in_area || !R->dem)
        return sg__error(R->ctx, SG_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) {
        int in = R->area < 0 ||
                 sg__units_contains(&R->units, (size_t)R->area, R->hh.xy[2 * i],
                                    R->hh.xy[2 * i + 1]);
        R->in_area[i] = (unsigned char)in;
        if (!in)
            continue;
        long long res = R->hh.res[i] > 0 ? R->hh.res[i] : 0;
        b->households++;
        b->residents += res;
        if (covered_before(R, i)) {
            b->covered_households++;
            b->covered_residents += res;
            continue;
        }
        b->beyond_households++;
        b->beyond_residents += res;
        if (R->network && !(R->hflag[i] & SG_COV_REACH))
            b->unreachable++;
        if (!R->network || (R->hflag[i] & SG_COV_SNAPPED))
            R->dem[R->nd++] = (uint32_t)i;
    }
    return SG_OK;
}

/* ---- solving ------------------------------------------------------------- */

/* Whether \p in is small enough for the integer program. */
static int exact_eligible(const sg__site_run *R, const sg__site_inst *in)
{
    if (in->nc == 0 || in->nc > R->o->exact_limit)
        return 0;
    if (in->cap > 0)
        return in->c_off[in->nc] <= EXACT_MAX_PAIRS_CAPACITY;
    return in->nr <= EXACT_MAX_ROWS;
}

/* Whether \p a is a better solution than \p b. */
static int better(const sg__site_inst *in, const sg__site_sol *a,
                  const sg__site_sol *b)
{
    if (!in->cover_all)
        return a->value > b->value + 0.5;
    if (a->assign && b->assign) { /* serve more first, then fewer points */
        size_t ua = 0, ub = 0;
        for (size_t r = 0; r < in->nr; r++) {
            ua += a->assign[r] < 0;
            ub += b->assign[r] < 0;
        }
        if (ua != ub)
            return ua < ub;
    }
    return a->value < b->value - 0.5;
}

/* Greedy + swap, the Lagrangian bound (no capacity), then the integer
 * program when the instance is small enough; the best solution into
 * \p sol. */
static sg_status solve_instance(sg__site_run *R, const sg__site_inst *in,
                                sg__site_sol *sol)
{
    sg_ctx *ctx = R->ctx;
    sg__site_sol ex = {0};
    double saved[2];
    double t = now_s();
    sg__progress_push(ctx, 0.0, 0.3, saved);
    sg_status st = sg__site_greedy(ctx, in, sol);
    sg__progress_pop(ctx, saved);
    step_done(ctx, "greedy + swap", &t);
    if (st)
        return st;
    sg__log(ctx, SG_LOG_DEBUG, "site: greedy value %.17g bound %.17g (%s)",
            sol->value, sol->bound, sol->method);
    if (in->nc && in->cap <= 0) {
        double lb = 0;
        sg__progress_push(ctx, 0.3, 0.4, saved);
        st = sg__site_lagrangian(ctx, in, sol,
                                 fmin(LAGRANGE_SECONDS, R->o->time_limit / 4),
                                 LAGRANGE_STEPS, &lb);
        sg__progress_pop(ctx, saved);
        if (st)
            return st;
        sol->bound =
            in->cover_all ? fmax(sol->bound, lb) : fmin(sol->bound, lb);
        step_done(ctx, "Lagrangian bound", &t);
        sg__log(ctx, SG_LOG_DEBUG, "site: Lagrangian bound %.17g", lb);
    }
    sg__progress_push(ctx, 0.4, 1.0, saved);
    if (exact_eligible(R, in)) {
        st = sg__site_exact(ctx, in, sol, R->o->time_limit, &ex);
        if (st == SG_ERR_INTERNAL) { /* keep greedy; say why */
            sg__log(ctx, SG_LOG_WARN, "%s; keeping greedy + swap",
                    sg_ctx_errmsg(ctx));
            sg_ctx_clear_error(ctx);
            st = SG_OK;
            if (ex.tm_hit) { /* the time limit stopped GLPK */
                sol->tm_hit = 1;
                snprintf(sol->method, sizeof sol->method, "mip-timeout");
            }
        } else if (st == SG_OK) {
            /* the tighter of greedy's and GLPK's bounds (NAN: none) */
            double gb = sol->bound, mb = ex.bound;
            int tm = ex.tm_hit;
            if (tm && in->cover_all && in->cap <= 0) /* drop redundant */
                st = sg__site_cover_polish(ctx, in, &ex);
            if (st == SG_OK && (!tm || better(in, &ex, sol))) {
                sg__site_sol_cleanup(sol);
                *sol = ex;
                memset(&ex, 0, sizeof ex);
            }
            if (tm) {
                /* documented: the time limit stopped GLPK, whichever
                 * solution (GLPK's or greedy's) was better */
                sol->tm_hit = 1;
                snprintf(sol->method, sizeof sol->method, "mip-timeout");
                sol->bound = isnan(mb)       ? gb
                             : in->cover_all ? fmax(mb, gb)
                                             : fmin(mb, gb);
            }
        }
    }
    sg__progress_pop(ctx, saved);
    sg__site_sol_cleanup(&ex);
    /* a bound never claims better than the solution in hand */
    if (st == SG_OK)
        sol->bound = in->cover_all ? fmin(sol->bound, sol->value)
                                   : fmax(sol->bound, sol->value);
    return st;
}

/* ---- the result ------------------------------------------------------------
 */

/* Objective value, bound and gap in the result's units. */
static sg_status set_objective(sg__site_run *R, const sg__site_inst *in,
                               const sg__site_sol *sol, long long new_hh,
                               long long new_res)
{
    sg_site_result *r = R->r;
    if (set_text(R->ctx, &r->method, sol->method))
        return SG_ERR_NOMEM;
    r->time_limit_hit = sol->tm_hit;
    if (in->cover_all) {
        /* points that serve nobody are not proposed, nor counted */
        r->value = (double)r->nproposals;
        r->bound = sol->bound;
        r->gap = r->value > 0 ? (r->value - r->bound) / r->value : 0;
        return set_text(R->ctx, &r->objective, "points");
    }
    int res = in->wscale > 0;
    if (set_text(R->ctx, &r->objective, res ? "residents" : "households"))
        return SG_ERR_NOMEM;
    r->value = (double)(res ? new_res : new_hh);
    double b =
        res ? floor(sol->bound / in->wscale + 1e-9) : floor(sol->bound + 1e-9);
    if (strcmp(sol->method, "exact") == 0 || b < r->value)
        b = r->value;
    r->bound = b;
    r->gap = b > 0 ? (b - r->value) / b : 0;
    return SG_OK;
}

/* Copy \p s into a new heap string (NULL stays NULL). \return 0 when out
 * of memory. */
static int dup_text(const char *s, char **out)
{
    *out = NULL;
    if (!s)
        return 1;
    size_t n = strlen(s) + 1;
    *out = malloc(n);
    if (!*out)
        return 0;
    memcpy(*out, s, n);
    return 1;
}

/* The proposals in rank order (points newly covering someone). */
static sg_status make_proposals(sg__site_run *R, const sg__site_inst *in,
                                const sg__site_sol *sol, long long *new_hh,
                                long long *new_res)
{
    sg_site_result *r = R->r;
    size_t n = sol->n;
    uint32_t *order = malloc((n + 1) * sizeof *order);
    long long *gh = malloc((n + 1) * sizeof *gh);
    long long *gr = malloc((n + 1) * sizeof *gr);
    r->proposals = calloc(n + 1, sizeof *r->proposals);
    sg_status st = SG_OK;
    *new_hh = *new_res = 0;
    if (!order || !gh || !gr || !r->proposals) {
        st = sg__error(R->ctx, SG_ERR_NOMEM, "out of memory");
        goto done;
    }
    if ((st = sg__site_rank(R->ctx, in, sol, order, gh, gr)))
        goto done;
    for (size_t i = 0; i < n; i++) {
        if (gh[i] <= 0)
            continue; /* covers nobody new: not proposed */
        uint32_t c = in->cand[order[i]];
        sg_site_proposal *p = r->proposals + r->nproposals;
        double x = R->cxy[2 * c], y = R->cxy[2 * c + 1];
        int32_t d = division_at(&R->units, x, y, 0);
        int32_t v = division_at(&R->units, x, y, 1);
        p->rank = (long long)r->nproposals + 1;
        p->x = x;
        p->y = y;
        p->households_new = gh[i];
        p->residents_new = gr[i];
        r->nproposals++;
        *new_hh += gh[i];
        *new_res += gr[i];
        if (!dup_text(R->ctext.buf + R->cid[c], &p->candidate_id) ||
            !dup_text(d >= 0 ? sg__units_text(&R->units, R->units.u[d].code)
                             : NULL,
                      &p->division_code) ||
            !dup_text(v >= 0 && R->units.u[v].has_name
                          ? sg__units_text(&R->units, R->units.u[v].name)
                          : NULL,
                      &p->village)) {
            st = sg__error(R->ctx, SG_ERR_NOMEM, "out of memory");
            goto done;
        }
    }
done:
    free(order);
    free(gh);
    free(gr);
    return st;
}

/* Append household \p i to the uncoverable list with \p reason. */
static sg_status add_uncoverable(sg__site_run *R, size_t i, const char *reason,
                                 size_t *cap)
{
    sg_site_result *r = R->r;
    if (r->nuncoverable == *cap) {
        size_t c = *cap ? *cap * 2 : 64;
        sg_site_uncoverable *v = realloc(r->uncoverable, c * sizeof *v);
        if (!v)
            return sg__error(R->ctx, SG_ERR_NOMEM, "out of memory");
        r->uncoverable = v;
        *cap = c;
    }
    sg_site_uncoverable *u = r->uncoverable + r->nuncoverable;
    u->residents = R->hh.res[i] > 0 ? R->hh.res[i] : 0;
    u->x = R->hh.xy[2 * i];
    u->y = R->hh.xy[2 * i + 1];
    u->reason = reason;
    if (!dup_text(R->hh.text.buf + R->hh.id[i], &u->household_id))
        return sg__error(R->ctx, SG_ERR_NOMEM, "out of memory");
    r->nuncoverable++;
    return SG_OK;
}

/* The households no new point can cover, in household order: off the
 * network, beyond every candidate, too big for the capacity, and (cover
 * all with a capacity) left unserved. */
static sg_status list_uncoverable(sg__site_run *R, const sg__site_inst *in,
                                  const sg__site_sol *sol,
                                  const unsigned char *uncov)
{
    size_t n = R->hh.n, cap = 0;
    unsigned char *why = calloc(n + 1, 1); /* 1 off, 2 none, 3 capacity */
    sg_status st = SG_OK;
    if (!why)
        return sg__error(R->ctx, SG_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < n; i++)
        if (R->in_area[i] && !covered_before(R, i) && R->network &&
            !(R->hflag[i] & SG_COV_SNAPPED))
            why[i] = 1;
    for (size_t d = 0; d < R->nd; d++)
        if (uncov[d] != SG_SITE_IN)
            why[R->dem[d]] = uncov[d] == SG_SITE_NO_CANDIDATE ? 2 : 3;
    if (in->cover_all && sol->assign)
        for (size_t r = 0; r < in->nr; r++)
            if (sol->assign[r] < 0) {
                why[R->dem[in->r_first[r]]] = 3;
                R->r->households_unserved++;
            }
    static const char *const reasons[] = {NULL, "off_network", "no_candidate",
                                          "capacity"};
    for (size_t i = 0; st == SG_OK && i < n; i++)
        if (why[i])
            st = add_uncoverable(R, i, reasons[why[i]], &cap);
    free(why);
    return st;
}

/* Coverage after the proposals: before + newly covered; along roads the
 * unreachable ones recounted with the new points' road components. */
static sg_status coverage_after(sg__site_run *R, long long new_hh,
                                long long new_res)
{
    sg_site_result *r = R->r;
    sg_site_coverage *a = &r->after;
    *a = r->before;
    a->covered_households += new_hh;
    a->covered_residents += new_res;
    a->beyond_households -= new_hh;
    a->beyond_residents -= new_res;
    if (!R->network)
        return SG_OK;
    const sg__graph *g = R->g;
    unsigned char *has = calloc(g->ncomp + 1, 1);
    if (!has)
        return sg__error(R->ctx, SG_ERR_NOMEM, "out of memory");
    for (size_t p = 0; p < R->pts.n; p++) {
        sg__snap at;
        if (sg__graph_snap(g, R->pts.xy[2 * p], R->pts.xy[2 * p + 1],
                           R->o->max_snap, &at))
            has[g->comp[g->ea[at.edge]]] = 1;
    }
    for (size_t i = 0; i < r->nproposals; i++) {
        sg__snap at;
        if (sg__graph_snap(g, r->proposals[i].x, r->proposals[i].y,
                           R->o->max_snap, &at))
            has[g->comp[g->ea[at.edge]]] = 1;
    }
    a->unreachable = 0;
    for (size_t i = 0; i < R->hh.n; i++)
        if (R->in_area[i] && (!(R->hflag[i] & SG_COV_SNAPPED) ||
                              !has[g->comp[g->ea[R->hsnap[i].edge]]]))
            a->unreachable++;
    free(has);
    return SG_OK;
}

/* ---- writing
 * ------------------------------------------------------------------ */

static const sg__column prop_cols[] = {
    {"rank", "INTEGER"},
    {"candidate_id", "TEXT"},
    {"households_new", "INTEGER"},
    {"residents_new", "INTEGER"},
    {"division_code", "TEXT"},
    {"village", "TEXT"},
    {"method", "TEXT"},
    {"kind", "TEXT"},
};

static const sg__column unc_cols[] = {
    {"household_id", "TEXT"},
    {"resident_population", "INTEGER"},
    {"reason", "TEXT"},
};

/* Bind \p s as text, or NULL. */
static void bind_text(sg__insert *st, int i, const char *s)
{
    if (s)
        sg__insert_text(st, i, s);
    else
        sg__insert_null(st, i);
}

/* Write layers site_proposals and site_uncoverable (inside the caller's
 * transaction). */
static sg_status write_layers(sg__site_run *R)
{
    sg_ctx *ctx = R->ctx;
    sg_store *store = R->store;
    const sg_site_result *r = R->r;
    sg__insert *st = NULL;
    unsigned char wkb[21];
    size_t np = sizeof prop_cols / sizeof prop_cols[0];
    size_t nu = sizeof unc_cols / sizeof unc_cols[0];
    sg_status s = sg__store_create_result(ctx, store, "site_proposals", "POINT",
                                          prop_cols, np, "新增收集点建议",
                                          "Proposed new points");
    if (s == SG_OK)
        s = sg__store_prepare_result_insert(ctx, store, "site_proposals",
                                            prop_cols, np, 1, &st);
    for (size_t i = 0; s == SG_OK && i < r->nproposals; i++) {
        const sg_site_proposal *p = r->proposals + i;
        sg__insert_int64(st, 1, p->rank);
        bind_text(st, 2, p->candidate_id);
        sg__insert_int64(st, 3, p->households_new);
        sg__insert_int64(st, 4, p->residents_new);
        bind_text(st, 5, p->division_code);
        bind_text(st, 6, p->village);
        bind_text(st, 7, r->method);
        /* so that, imported as points, they keep their kind */
        bind_text(st, 8, sg_point_kind_to_string(r->kind));
        sg__wkb_write_point(wkb, p->x, p->y);
        sg__insert_blob(st, 9, wkb, sizeof wkb);
        s = sg__insert_step(ctx, store, st);
    }
    sg__insert_free(st);
    st = NULL;
    if (s == SG_OK)
        s = sg__store_create_result(ctx, store, "site_uncoverable", "POINT",
                                    unc_cols, nu, "无法覆盖的农户",
                                    "Households no new point can cover");
    if (s == SG_OK)
        s = sg__store_prepare_result_insert(ctx, store, "site_uncoverable",
                                            unc_cols, nu, 1, &st);
    for (size_t i = 0; s == SG_OK && i < r->nuncoverable; i++) {
        const sg_site_uncoverable *u = r->uncoverable + i;
        bind_text(st, 1, u->household_id);
        sg__insert_int64(st, 2, u->residents);
        bind_text(st, 3, u->reason);
        sg__wkb_write_point(wkb, u->x, u->y);
        sg__insert_blob(st, 4, wkb, sizeof wkb);
        s = sg__insert_step(ctx, store, st);
    }
    sg__insert_free(st);
    return s;
}

/* Record the run in `runs`. */
static sg_status record_run(sg__site_run *R, double seconds)
{
    const sg_site_result *r = R->r;
    sg_json p, n;
    sg_json_begin(&p, NULL);
    sg_json_object(&p, NULL);
    sg_json_str(&p, "mode", sg_site_mode_to_string(r->mode));
    sg_json_int(&p, "k", r->k);
    sg_json_str(&p, "kind", sg_point_kind_to_string(r->kind));
    sg_json_str(&p, "metric", sg_metric_to_string((sg_metric)r->metric));
    sg_json_num(&p, "radius_m", r->radius_m);
    sg_json_num(&p, "max_snap_m", r->max_snap_m);
    sg_json_str(&p, "candidates", r->candidates);
    sg_json_num(&p, "spacing_m", r->spacing_m);
    sg_json_num(&p, "capacity", r->capacity);
    sg_json_str(&p, "capacity_unit",
                r->capacity_unit
                    ? sg_site_capacity_unit_to_string(r->capacity_unit)
                    : "");
    sg_json_str(&p, "division", r->division_code);
    sg_json_end_object(&p);
    sg_json_begin(&n, NULL);
    sg_json_object(&n, NULL);
    sg_json_str(&n, "method", r->method);
    sg_json_num(&n, "value", r->value);
    sg_json_num(&n, "bound", r->bound);
    sg_json_num(&n, "gap", round(r->gap * 1e6) / 1e6);
    sg_json_int(&n, "proposals", (long long)r->nproposals);
    sg_json_int(&n, "uncoverable", (long long)r->nuncoverable);
    sg_json_int(&n, "candidates", r->candidates_total);
    sg_json_int(&n, "candidates_kept", r->candidates_kept);
    sg_json_int(&n, "covered_residents_before", r->before.covered_residents);
    sg_json_int(&n, "covered_residents_after", r->after.covered_residents);
    sg_json_end_object(&n);
    return sg__store_record_run_json(R->ctx, R->store, "site", &p, &n, seconds);
}

/* ---- the run ----------------------------------------------------------------
 */

/* Candidates, instance, solution and result figures (between reading
 * and writing). */
static sg_status plan(sg__site_run *R)
{
    sg_ctx *ctx = R->ctx;
    sg__site_inst in = {0};
    sg__site_sol sol = {0};
    unsigned char *uncov = malloc(R->nd + 1);
    double saved[2];
    long long new_hh = 0, new_res = 0, dem_res = 0;
    double t = now_s();
    sg_status st =
        uncov ? SG_OK : sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    /* limits.site_candidates (data/sql/0002_limits.sql) */
    R->max_cand = 1e6;
    double lim;
    if (st == SG_OK) {
        if (sg_setting_get_double(ctx, R->store, "limits.site_candidates",
                                  &lim) == SG_OK &&
            lim > 0)
            R->max_cand = lim;
        sg_ctx_clear_error(ctx);
    }
    if (st == SG_OK)
        st = sg__site_candidates(R);
    R->r->candidates_total = (long long)R->nc;
    step_done(ctx, "candidates", &t);
    if (st == SG_OK) {
        sg__progress_push(ctx, 0.2, 0.5, saved);
        st = sg__site_cover_sets(R);
        sg__progress_pop(ctx, saved);
    }
    step_done(ctx, "coverage sets", &t);
    for (size_t d = 0; d < R->nd; d++)
        dem_res += R->hh.res[R->dem[d]] > 0 ? R->hh.res[R->dem[d]] : 0;
    if (st == SG_OK) {
        sg__progress_push(ctx, 0.5, 0.55, saved);
        st = sg__site_instance(R, dem_res > 0, uncov, &in);
        sg__progress_pop(ctx, saved);
    }
    step_done(ctx, "pruning", &t);
    if (st)
        goto done;
    for (size_t r = 0; r < in.nr; r++)
        R->r->demand_households += in.r_hh[r];
    R->r->demand_rows = (long long)in.nr;
    sg__log(ctx, SG_LOG_DEBUG,
            "site: %zu candidates, %zu kept, %zu demand, %zu rows, %zu "
            "entries",
            R->nc, in.nc, R->nd, in.nr, in.nc ? in.c_off[in.nc] : 0);
    sg__progress_push(ctx, 0.55, 0.95, saved);
    st = solve_instance(R, &in, &sol);
    sg__progress_pop(ctx, saved);
    step_done(ctx, "solving", &t);
    if (st == SG_OK)
        st = make_proposals(R, &in, &sol, &new_hh, &new_res);
    if (st == SG_OK)
        st = list_uncoverable(R, &in, &sol, uncov);
    if (st == SG_OK) {
        st = set_objective(R, &in, &sol, new_hh, new_res);
        if (st == SG_OK)
            st = coverage_after(R, new_hh, new_res);
    }
done:
    free(uncov);
    sg__site_inst_cleanup(&in);
    sg__site_sol_cleanup(&sol);
    return st;
}

/* Everything of one run after the options are checked. */
static sg_status run_steps(sg__site_run *R, double t0)
{
    sg_ctx *ctx = R->ctx;
    double saved[2];
    double t = now_s();
    sg__progress_push(ctx, 0.0, 0.1, saved);
    sg_status st = read_all(R);
    sg__progress_pop(ctx, saved);
    step_done(ctx, "reading and the road graph", &t);
    if (st == SG_OK)
        st = existing_coverage(R);
    step_done(ctx, "coverage by the existing points", &t);
    if (st == SG_OK)
        st = resolve_area(R);
    if (st == SG_OK)
        st = find_demand(R);
    if (st == SG_OK)
        st = sg__progress(ctx, 0.2, "coverage today");
    if (st == SG_OK)
        st = plan(R);
    if (st)
        return st;
    R->r->seconds = now_s() - t0;
    if ((st = sg__progress(ctx, 0.97, "writing")))
        return st;
    st = write_layers(R);
    if (st == SG_OK)
        st = record_run(R, now_s() - t0);
    if (st == SG_OK)
        st = sg__store_commit(ctx, R->store);
    /* committed: a cancel now comes too late to undo anything */
    if (st == SG_OK && sg__progress(ctx, 1.0, "site"))
        sg_ctx_clear_error(ctx);
    return st;
}

/* The options as result fields (every owned string of \p r set: "" when
 * nothing says otherwise). */
static sg_status describe(sg_ctx *ctx, const sg_site_options *o,
                          const char *cap_source, sg_site_result *r)
{
    for (size_t i = 0; i < NTEXTS; i++)
        if (set_text(ctx, text_slot(r, i), ""))
            return SG_ERR_NOMEM;
    r->k = o->cover_all ? 0 : o->k;
    r->max_snap_m = o->max_snap;
    r->spacing_m = o->spacing;
    r->capacity = o->capacity > 0 ? floor(o->capacity) : 0;
    r->mode = o->cover_all ? SG_SITE_COVER_ALL : SG_SITE_ADD;
    r->kind = o->kind;
    r->capacity_unit = o->capacity <= 0 ? (sg_site_capacity_unit)0
                       : o->cap_unit == SG_SITE_CAP_RESIDENTS
                           ? SG_SITE_CAP_RESIDENTS
                           : SG_SITE_CAP_HOUSEHOLDS;
    if (set_text(ctx, &r->candidates, o->candidates) ||
        set_text(ctx, &r->capacity_source, cap_source))
        return SG_ERR_NOMEM;
    return SG_OK;
}

/* A capacity from the setting collection_point.max_households into
 * \p o (a copy of the caller's options); \p source receives its name. */
static sg_status resolve_capacity(sg_ctx *ctx, sg_store *store,
                                  sg_site_options *o, char *source, size_t size)
{
    static const char key[] = "collection_point.max_households";
    snprintf(source, size, "%s", o->capacity > 0 ? "--capacity" : "");
    if (o->capacity >= 0)
        return SG_OK;
    double v = 0;
    sg_status st = sg_setting_get_double(ctx, store, key, &v);
    if (st)
        return st;
    if (!(v >= 1))
        return sg__error(ctx, SG_ERR_INPUT,
                         "setting %s must be at least 1 to serve as a "
                         "capacity",
                         key);
    o->capacity = v;
    o->cap_unit = SG_SITE_CAP_HOUSEHOLDS;
    snprintf(source, size, "%s", key);
    return SG_OK;
}

sg_status sg_site(sg_ctx *ctx, sg_store *store, const sg_site_options *opts,
                  sg_site_result **result)
{
    double t0 = now_s();
    sg_site_options o;
    char cap_source[64];
    if (result)
        *result = NULL;
    sg_site_options defaults;
    if (!store)
        return sg__error(ctx, SG_ERR_USAGE, "site: no store");
    if (!opts) {
        site_defaults(&defaults);
        opts = &defaults;
    }
    if (opts->capacity > 0 && opts->capacity < 1)
        return sg__error(ctx, SG_ERR_USAGE, "a capacity must be at least 1 %s",
                         opts->cap_unit == SG_SITE_CAP_RESIDENTS ? "resident"
                                                                 : "household");
    /* inputs are read inside the transaction that writes the results
     * (committed by run_steps) */
    sg_status st = sg__store_begin(ctx, store);
    if (st)
        return st;
    if (sg_store_srid(store) == 0) {
        sg__store_rollback(store);
        return sg__error(ctx, SG_ERR_INPUT,
                         "store %s holds no data yet; import households, "
                         "points and roads first",
                         sg_store_path(store));
    }
    o = *opts;
    if ((st =
             resolve_capacity(ctx, store, &o, cap_source, sizeof cap_source))) {
        sg__store_rollback(store);
        return st;
    }
    opts = &o;
    sg_site_result *r = calloc(1, sizeof *r);
    sg__site_run *R = calloc(1, sizeof *R);
    if (!r || !R) {
        free(r);
        free(R);
        sg__store_rollback(store);
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    }
    R->ctx = ctx;
    R->store = store;
    R->o = opts;
    R->r = r;
    R->area = -1;
    st = describe(ctx, opts, cap_source, r);
    if (st == SG_OK)
        st = resolve_radius(R);
    if (st == SG_OK)
        st = run_steps(R, t0);
    if (st) /* run_steps committed unless something failed */
        sg__store_rollback(store);
    sg__site_run_cleanup(R);
    free(R);
    if (st || !result) {
        sg_site_result_free(r);
        return st;
    }
    r->seconds = now_s() - t0;
    *result = r;
    return SG_OK;
}
