/* sanigrid site: a thin layer over sg_site() and sg_site_accept(): its
 * option table, run and print callbacks for cli_run (cli.h, "the command
 * skeleton"); prints a summary (text or one JSON object).
 * Not for: the analysis itself (src/analysis/site*.c).
 * SPDX-License-Identifier: MIT */
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "sanigrid/site.h"

/* The --help text is docs/cli/site.md (STYLE rule 24). */

typedef struct args {
    sg_site_options *so;
    sg_network_options *no;
    sg_site_result *r;
    int add_given, cover_all, accept, cross;
    double snap_m;
    const char *capacity;
    const char *cap_unit; /* --capacity-unit (one of cap_units) */
    /* --accept */
    sg_status accept_st;
    long long accepted;
    const char *snapshot;
} args;

/* Write the coverage figures \p c as object \p key. */
static void json_coverage(sg_json *j, const char *key,
                          const sg_site_coverage *c, int network)
{
    sg_json_object(j, key);
    sg_json_int(j, "households", c->households);
    sg_json_int(j, "residents", c->residents);
    sg_json_int(j, "covered_households", c->covered_households);
    sg_json_int(j, "covered_residents", c->covered_residents);
    sg_json_int(j, "beyond_households", c->beyond_households);
    sg_json_int(j, "beyond_residents", c->beyond_residents);
    if (network)
        sg_json_int(j, "unreachable", c->unreachable);
    else
        sg_json_null(j, "unreachable");
    sg_json_end_object(j);
}

/* The result as one JSON object on stdout. */
static void print_json_site(const cli_call *call, sg_json *j)
{
    const sg_site_result *r = CLI_ARGS(call, args)->r;
    const char *db = call->pos[0];
    int net = r->metric == SG_METRIC_NETWORK;
    sg_json_str(j, "store", db);
    sg_json_str(j, "mode", sg_site_mode_to_string(r->mode));
    if (r->k)
        sg_json_int(j, "k", r->k);
    else
        sg_json_null(j, "k");
    sg_json_str(j, "kind", sg_point_kind_to_string(r->kind));
    sg_json_str(j, "metric", net ? "network" : "euclid");
    sg_json_num(j, "radius_m", r->radius_m);
    sg_json_str(j, "radius_source", r->radius_source);
    sg_json_num(j, "max_snap_m", r->max_snap_m);
    sg_json_str(j, "candidates", r->candidates);
    sg_json_num(j, "spacing_m", r->spacing_m);
    sg_json_str(j, "division_code",
                r->division_code[0] ? r->division_code : NULL);
    sg_json_str(j, "division_name",
                r->division_code[0] ? r->division_name : NULL);
    if (r->capacity > 0)
        sg_json_num(j, "capacity", r->capacity);
    else
        sg_json_null(j, "capacity");
    sg_json_str(j, "capacity_unit",
                r->capacity > 0
                    ? sg_site_capacity_unit_to_string(r->capacity_unit)
                    : NULL);
    sg_json_str(j, "capacity_source",
                r->capacity > 0 ? r->capacity_source : NULL);
    sg_json_str(j, "method", r->method);
    sg_json_str(j, "objective", r->objective);
    sg_json_num(j, "value", r->value);
    sg_json_num(j, "bound", r->bound);
    sg_json_str(j, "bound_kind", r->mode == SG_SITE_ADD ? "upper" : "lower");
    sg_json_num(j, "gap", r->gap);
    sg_json_bool(j, "time_limit_hit", r->time_limit_hit);
    sg_json_int(j, "points", r->points);
    sg_json_int(j, "candidates_total", r->candidates_total);
    sg_json_int(j, "candidates_useful", r->candidates_useful);
    sg_json_int(j, "candidates_kept", r->candidates_kept);
    sg_json_int(j, "demand_households", r->demand_households);
    sg_json_int(j, "demand_rows", r->demand_rows);
    json_coverage(j, "before", &r->before, net);
    json_coverage(j, "after", &r->after, net);
    sg_json_array(j, "proposals");
    for (size_t i = 0; i < r->nproposals; i++) {
        const sg_site_proposal *p = r->proposals + i;
        sg_json_object(j, NULL);
        sg_json_int(j, "rank", p->rank);
        sg_json_str(j, "candidate_id", p->candidate_id);
        sg_json_num(j, "x", p->x);
        sg_json_num(j, "y", p->y);
        sg_json_int(j, "households_new", p->households_new);
        sg_json_int(j, "residents_new", p->residents_new);
        sg_json_str(j, "division_code", p->division_code);
        sg_json_str(j, "village", p->village);
        sg_json_end_object(j);
    }
    sg_json_end_array(j);
    sg_json_array(j, "uncoverable");
    for (size_t i = 0; i < r->nuncoverable; i++) {
        const sg_site_uncoverable *u = r->uncoverable + i;
        sg_json_object(j, NULL);
        sg_json_str(j, "household_id", u->household_id);
        sg_json_int(j, "residents", u->residents);
        sg_json_str(j, "reason", u->reason);
        sg_json_end_object(j);
    }
    sg_json_end_array(j);
    sg_json_int(j, "households_unserved", r->households_unserved);
    sg_json_num(j, "seconds", r->seconds);
    sg_json_array(j, "layers");
    sg_json_str(j, NULL, "site_proposals");
    sg_json_str(j, NULL, "site_uncoverable");
    sg_json_end_array(j);
}

/* "n of m (p%)" into \p buf. */
static const char *share(char *buf, size_t size, long long n, long long of)
{
    snprintf(buf, size, _("%lld of %lld (%.1f%%)"), n, of,
             of > 0 ? 100.0 * (double)n / (double)of : 0.0);
    return buf;
}

/* The text summary on stdout. */
static void print_text(const cli_call *call)
{
    const sg_site_result *r = CLI_ARGS(call, args)->r;
    char a[96], b[96];
    int add = r->mode == SG_SITE_ADD;
    const char *kind = sg_point_kind_to_string(r->kind);
    if (add)
        printf(_("site: up to %lld new %s point%s"), r->k, kind, SG_PL(r->k));
    else
        printf(_("site: the fewest new %s points covering everyone"), kind);
    printf(_(" within %g m %s (%s)\n"), r->radius_m,
           r->metric == SG_METRIC_NETWORK ? _("along roads")
                                          : _("straight line"),
           r->radius_source);
    if (r->division_code[0])
        printf(_("  division        %s %s\n"), r->division_code,
               r->division_name);
    printf(_("  candidates      %lld (%s), %lld covering someone, %lld kept "
             "after pruning\n"),
           r->candidates_total, r->candidates, r->candidates_useful,
           r->candidates_kept);
    if (r->capacity > 0)
        printf(_("  capacity        %g %s per new point (%s)\n"), r->capacity,
               sg_site_capacity_unit_to_string(r->capacity_unit),
               r->capacity_source);
    printf(_("  method          %s%s: %g %s, %s bound %g, gap %.2f%%\n"),
           r->method, r->time_limit_hit ? _(" (time limit)") : "", r->value,
           r->objective, add ? _("upper") : _("lower"), r->bound, 100 * r->gap);
    printf(
        _("  before          %s households, %s residents covered\n"),
        share(a, sizeof a, r->before.covered_households, r->before.households),
        share(b, sizeof b, r->before.covered_residents, r->before.residents));
    printf(_("  after           %s households, %s residents covered\n"),
           share(a, sizeof a, r->after.covered_households, r->after.households),
           share(b, sizeof b, r->after.covered_residents, r->after.residents));
    if (r->nuncoverable)
        printf(_("  uncoverable     %zu households (layer site_uncoverable)\n"),
               r->nuncoverable);
    if (r->nproposals)
        printf(_("  rank  candidate                   households  residents  "
                 "village\n"));
    for (size_t i = 0; i < r->nproposals; i++) {
        const sg_site_proposal *p = r->proposals + i;
        printf("  %4lld  %-26s  %10lld  %9lld  %s\n", p->rank, p->candidate_id,
               p->households_new, p->residents_new,
               p->village         ? p->village
               : p->division_code ? p->division_code
                                  : "");
    }
    printf(_("results: layers site_proposals (%zu) and site_uncoverable "
             "(%zu)\n"),
           r->nproposals, r->nuncoverable);
}

static sg_status init(cli_call *call)
{
    args *a = CLI_ARGS(call, args);
    a->so = sg_site_options_new();
    a->no = sg_network_options_new();
    return a->so && a->no ? SG_OK : SG_ERR_NOMEM;
}

#define SETTER(name, call_expr)                                                \
    static sg_status name(cli_call *call, const cli_value *v)                  \
    {                                                                          \
        sg_site_options *so = CLI_ARGS(call, args)->so;                        \
        return call_expr;                                                      \
    }
SETTER(set_radius, sg_site_options_set_radius(call->ctx, so, v->num))
SETTER(set_candidates, sg_site_options_set_candidates(call->ctx, so, v->str))
SETTER(set_spacing, sg_site_options_set_spacing(call->ctx, so, v->num))
SETTER(set_division, sg_site_options_set_division(call->ctx, so, v->str))
SETTER(set_max_snap, sg_site_options_set_max_snap(call->ctx, so, v->num))
SETTER(set_time_limit, sg_site_options_set_time_limit(call->ctx, so, v->num))
SETTER(set_metric,
       sg_site_options_set_metric(call->ctx, so,
                                  v->n ? SG_METRIC_NETWORK : SG_METRIC_EUCLID))
SETTER(set_method,
       sg_site_options_set_exact_limit(call->ctx, so,
                                       v->n ? 0 : SG_SITE_EXACT_CANDIDATES))
#undef SETTER

static sg_status set_add(cli_call *call, const cli_value *v)
{
    args *a = CLI_ARGS(call, args);
    a->add_given = 1;
    return sg_site_options_set_add(call->ctx, a->so, v->n);
}

static const char *const metrics[] = {"euclid", "network", NULL};
static sg_status set_kind(cli_call *call, const cli_value *v)
{
    sg_point_kind kind;
    sg_status st = sg_point_kind_from_string(call->ctx, v->str, &kind);
    return st ? st
              : sg_site_options_set_kind(call->ctx, CLI_ARGS(call, args)->so,
                                         kind);
}

/* the values of --capacity-unit, as sg_site_capacity_unit_to_string
 * names them */
static const char *const cap_units[] = {"households", "residents", NULL};
static const char *const methods[] = {"auto", "greedy", NULL};

static const cli_option options[] = {
    {.name = "accept", .kind = CLI_OPT_FLAG, .offset = CLI_AT(args, accept)},
    {.name = "add",
     .kind = CLI_OPT_INT,
     .set = set_add,
     .help = "K",
     .min = 1,
     .max = INT_MAX,
     .what = N_("a whole number >= 1")},
    {.name = "cover-all",
     .kind = CLI_OPT_FLAG,
     .offset = CLI_AT(args, cover_all)},
    {.name = "kind", .kind = CLI_OPT_STRING, .set = set_kind, .help = "K"},
    {.name = "radius",
     .kind = CLI_OPT_NUMBER_POS,
     .set = set_radius,
     .help = "M"},
    {.name = "metric",
     .kind = CLI_OPT_ENUM,
     .set = set_metric,
     .help = "M",
     .values = metrics},
    {.name = "candidates",
     .kind = CLI_OPT_STRING,
     .set = set_candidates,
     .help = "SRC"},
    {.name = "spacing",
     .kind = CLI_OPT_NUMBER_POS,
     .set = set_spacing,
     .help = "M"},
    {.name = "division",
     .kind = CLI_OPT_STRING,
     .set = set_division,
     .help = "CODE"},
    {.name = "capacity",
     .kind = CLI_OPT_STRING,
     .offset = CLI_AT(args, capacity),
     .help = "N"},
    {.name = "capacity-unit",
     .kind = CLI_OPT_ENUM,
     .offset = CLI_AT(args, cap_unit),
     .help = "U",
     .values = cap_units},
    {.name = "max-snap",
     .kind = CLI_OPT_NUMBER_NONNEG,
     .set = set_max_snap,
     .help = "M"},
    {.name = "snap-m",
     .kind = CLI_OPT_NUMBER_NONNEG,
     .offset = CLI_AT(args, snap_m),
     .help = "D",
     .what = N_("a distance >= 0 in metres")},
    {.name = "node-crossings",
     .kind = CLI_OPT_FLAG,
     .offset = CLI_AT(args, cross)},
    {.name = "method",
     .kind = CLI_OPT_ENUM,
     .set = set_method,
     .help = "M",
     .values = methods},
    {.name = "time-limit",
     .kind = CLI_OPT_NUMBER_POS,
     .set = set_time_limit,
     .help = "S"},
    {.name = NULL}};

/* --capacity and --capacity-unit into the options. \return CLI_EXIT_OK
 * or a usage error's code (printed). */
static int apply_capacity(cli_call *call)
{
    args *a = CLI_ARGS(call, args);
    sg_ctx *ctx = call->ctx;
    sg_site_capacity_unit unit = SG_SITE_CAP_HOUSEHOLDS;
    /* --capacity-unit is one of cap_units (checked by the parser) */
    if (a->cap_unit &&
        sg_site_capacity_unit_from_string(ctx, a->cap_unit, &unit) != SG_OK)
        return cli_usage_error("site", "%s", sg_ctx_errmsg(ctx));
    double v = 0;
    if (a->capacity && strcmp(a->capacity, "setting") == 0) {
        if (a->cap_unit && unit != SG_SITE_CAP_HOUSEHOLDS)
            return cli_usage_error("site", "--capacity setting counts "
                                           "households");
        if (sg_site_options_set_capacity(ctx, a->so, -1,
                                         SG_SITE_CAP_HOUSEHOLDS))
            return cli_usage_error("site", "%s", sg_ctx_errmsg(ctx));
    } else if (a->capacity) {
        if (!cli_parse_number(a->capacity, 0, 1, &v) || v < 1 || v != floor(v))
            return cli_usage_error("site",
                                   "--capacity takes a whole number >= "
                                   "1 or `setting`, got '%s'",
                                   a->capacity);
        if (sg_site_options_set_capacity(ctx, a->so, v, unit))
            return cli_usage_error("site", "%s", sg_ctx_errmsg(ctx));
    } else if (a->cap_unit) {
        return cli_usage_error("site", "--capacity-unit needs --capacity");
    }
    return CLI_EXIT_OK;
}

/* Rules between options and arguments. --accept opens the store itself
 * (under --json its failure is part of the JSON object). */
static int check(cli_call *call)
{
    args *a = CLI_ARGS(call, args);
    if (a->accept) {
        if (a->add_given || a->cover_all)
            return cli_usage_error("site", "--accept takes no --add or "
                                           "--cover-all: it accepts the "
                                           "proposals of the last run");
        call->store_mode = CLI_STORE_NONE;
        return CLI_EXIT_OK;
    }
    if (!a->add_given == !a->cover_all)
        return cli_usage_error("site", "give either --add K or --cover-all");
    if (a->cover_all && sg_site_options_set_cover_all(call->ctx, a->so))
        return cli_usage_error("site", "%s", sg_ctx_errmsg(call->ctx));
    int rc = apply_capacity(call);
    if (rc != CLI_EXIT_OK)
        return rc;
    if (call->npos != 1)
        return cli_usage_error("site", "give one store path");
    if ((cli_given(call, "snap-m") &&
         sg_network_options_set_snap_m(call->ctx, a->no, a->snap_m)) ||
        sg_network_options_set_node_crossings(call->ctx, a->no, a->cross))
        return cli_usage_error("site", "%s", sg_ctx_errmsg(call->ctx));
    if (sg_site_options_set_network(call->ctx, a->so, a->no))
        return cli_usage_error("site", "%s", sg_ctx_errmsg(call->ctx));
    return CLI_EXIT_OK;
}

/* The --accept object (also on failure: status and error). */
static void print_accept_json(const cli_call *call, sg_json *j)
{
    const args *a = CLI_ARGS(call, args);
    sg_json_str(j, "store", call->pos[0]);
    sg_json_int(j, "accepted", a->accepted);
    sg_json_str(j, "snapshot", a->snapshot);
    sg_json_str(j, "status", sg_status_name(a->accept_st));
    if (a->accept_st != SG_OK)
        sg_json_str(j, "error", sg_ctx_errmsg(call->ctx));
}

/* sanigrid site DB --accept [IDS]: the proposals become points. */
static sg_status run_accept(cli_call *call)
{
    args *a = CLI_ARGS(call, args);
    const char *const *ids = (const char *const *)call->pos + 1;
    size_t nids = (size_t)(call->npos - 1);
    sg_status st = sg_store_open(call->ctx, call->pos[0], 0, &call->store);
    if (st == SG_OK)
        st = sg_site_accept(call->ctx, call->store, ids, nids, &a->accepted);
    a->snapshot = st == SG_OK ? sg_store_last_snapshot(call->store) : NULL;
    a->accept_st = st;
    if (st != SG_OK && call->common.json) {
        sg_json j;
        sg_json_begin(&j, stdout);
        sg_json_object(&j, NULL);
        print_accept_json(call, &j);
        sg_json_end_object(&j);
        sg_json_finish(&j);
        call->rc = cli_exit_code(st);
    }
    return st;
}

static sg_status run(cli_call *call)
{
    args *a = CLI_ARGS(call, args);
    if (a->accept)
        return run_accept(call);
    return sg_site(call->ctx, call->store, a->so, &a->r);
}

static void print_json(const cli_call *call, sg_json *j)
{
    if (CLI_ARGS(call, args)->accept)
        print_accept_json(call, j);
    else
        print_json_site(call, j);
}

static void print_text_all(const cli_call *call)
{
    const args *a = CLI_ARGS(call, args);
    if (!a->accept) {
        print_text(call);
        return;
    }
    const char *db = call->pos[0], *snap = a->snapshot;
    printf(_("accepted %lld proposal%s as points; `sanigrid coverage "
             "%s` counts them\n"),
           a->accepted, SG_PL(a->accepted), db);
    if (snap) {
        const char *b = strrchr(snap, '/');
        printf(_("snapshot before: %s (undo: sanigrid restore %s %d)\n"),
               b ? b + 1 : snap, db, atoi(b ? b + 1 : snap));
    }
}

static void cleanup(cli_call *call)
{
    args *a = CLI_ARGS(call, args);
    sg_site_result_free(a->r);
    sg_site_options_free(a->so);
    sg_network_options_free(a->no);
}

static const cli_command command = {
    .name = "site",
    .options = options,
    .common = CLI_ALL,
    .min_args = 1,
    .max_args = -1,
    .args_error = N_("give one store path"),
    .store = CLI_STORE_WRITE,
    .args_size = sizeof(args),
    .init = init,
    .check = check,
    .run = run,
    .print_json = print_json,
    .print_text = print_text_all,
    .cleanup = cleanup,
};

int cmd_site(int argc, char **argv)
{
    return cli_run(&command, argc, argv);
}
