/* sanigrid coverage: a thin layer over sg_coverage(): its option table,
 * and a summary of the analysis (text or one JSON object), for cli_run
 * (cli.h, "the command skeleton").
 * Not for: the analysis itself (src/analysis/coverage/coverage.c, src/net).
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

/* The --help text is docs/cli/coverage.md (STYLE rule 24). */

/* A count, or null when the metric it belongs to was not computed. */
static void json_count(sg_json *j, const char *key, int on, long long v)
{
    if (on)
        sg_json_int(j, key, v);
    else
        sg_json_null(j, key);
}

/* The result as members of one JSON object. */
static void json_result(sg_json *j, const char *db, const sg_coverage_result *r)
{
    int e = (r->metric & SG_METRIC_EUCLID) != 0;
    int n = (r->metric & SG_METRIC_NETWORK) != 0;
    sg_json_str(j, "store", db);
    sg_json_str(j, "kind", r->kind);
    sg_json_str(j, "demand", r->demand);
    sg_json_str(j, "metric", sg_metric_to_string(r->metric));
    sg_json_str(j, "metric_used", sg_metric_to_string(r->metric_used));
    sg_json_num(j, "radius_m", r->radius_m);
    sg_json_str(j, "radius_source", r->radius_source);
    sg_json_num(j, "max_snap_m", r->max_snap_m);
    sg_json_int(j, "points", r->points);
    json_count(j, "points_off_network", n, r->points_off_network);
    sg_json_int(j, "households", r->households);
    sg_json_int(j, "residents", r->residents);
    json_count(j, "beyond_euclid", e, r->beyond_euclid);
    json_count(j, "beyond_network", n, r->beyond_network);
    json_count(j, "unreachable", n, r->unreachable);
    json_count(j, "off_network", n, r->off_network);
    json_count(j, "residents_beyond_euclid", e, r->residents_beyond_euclid);
    json_count(j, "residents_beyond_network", n, r->residents_beyond_network);
    json_count(j, "residents_unreachable", n, r->residents_unreachable);
    sg_json_int(j, "blind_spots", r->blind_spots);
    sg_json_int(j, "blind_spot_households", r->blind_spot_households);
    sg_json_num(j, "blind_spot_area_m2", r->blind_spot_area_m2);
    sg_json_int(j, "units", r->units);
    if (n) {
        const sg_network_result *g = &r->network;
        sg_json_object(j, "network");
        sg_json_int(j, "roads", g->roads);
        sg_json_int(j, "nodes", g->nodes);
        sg_json_int(j, "edges", g->edges);
        sg_json_num(j, "length_m", g->length_m);
        sg_json_int(j, "components", g->components);
        sg_json_num(j, "largest_share", g->largest_share);
        sg_json_int(j, "dangling_ends", g->dangling_ends);
        sg_json_int(j, "snapped", g->snapped);
        sg_json_int(j, "crossings", g->crossings);
        sg_json_end_object(j);
    } else {
        sg_json_null(j, "network");
    }
    sg_json_array(j, "layers");
    sg_json_str(j, NULL, "coverage");
    sg_json_str(j, NULL, "blind_spots");
    sg_json_str(j, NULL, "coverage_stats");
    sg_json_end_array(j);
}

/* "n (p%)" of a total into \p buf. */
static const char *share(char *buf, size_t size, long long n, long long of)
{
    snprintf(buf, size, "%lld (%.1f%%)", n,
             of > 0 ? 100.0 * (double)n / (double)of : 0.0);
    return buf;
}

/* The text summary on stdout. */
static void text_result(const sg_coverage_result *r)
{
    int hh = strcmp(r->demand, "households") == 0;
    /* point kinds by their Chinese names under --lang zh */
    const char *lang = cli_lang_zh() ? "zh" : "en";
    const char *kind = sg_field_value_label("points", "kind", r->kind, lang);
    const char *what =
        hh ? _("households")
           : sg_field_value_label("points", "kind", r->demand, lang);
    char a[64], b[64];
    printf(_("coverage of %s by %s within %g m (%s)\n"),
           what ? what : r->demand, kind ? kind : r->kind, r->radius_m,
           r->radius_source);
    printf(_("  points          %lld"), r->points);
    if ((r->metric & SG_METRIC_NETWORK) && r->points_off_network)
        printf(_(" (%lld farther than %g m from every road)"),
               r->points_off_network, r->max_snap_m);
    printf("\n  ");
    cli_put_left(stdout, what, 15);
    printf(" %lld", r->households);
    if (hh)
        printf(_(" (%lld residents)"), r->residents);
    printf("\n");
    if (r->metric & SG_METRIC_EUCLID)
        printf(_("  straight line   %s beyond the radius\n"),
               share(a, sizeof a, r->beyond_euclid, r->households));
    if (r->metric & SG_METRIC_NETWORK) {
        printf(_("  along roads     %s beyond the radius (unreachable "
                 "included), %s unreachable\n"),
               share(a, sizeof a, r->beyond_network, r->households),
               share(b, sizeof b, r->unreachable, r->households));
        if (r->unreachable)
            printf(_("                  (%lld farther than %g m from every "
                     "road, %lld in road components without a point)\n"),
                   r->off_network, r->max_snap_m,
                   r->unreachable - r->off_network);
    }
    if (hh) {
        if (r->metric & SG_METRIC_EUCLID)
            printf(_("  residents beyond, straight line  %lld\n"),
                   r->residents_beyond_euclid);
        if (r->metric & SG_METRIC_NETWORK)
            printf(_("  residents beyond, along roads    %lld (unreachable "
                     "included)\n"),
                   r->residents_beyond_network);
    }
    printf(_("  blind spots     %lld (%.2f ha, %lld %s; by %s distance)\n"),
           r->blind_spots, r->blind_spot_area_m2 / 10000,
           r->blind_spot_households, what,
           r->metric_used == SG_METRIC_NETWORK ? _("road")
                                               : _("straight-line"));
    printf(_("results: layers coverage and blind_spots, table coverage_stats "
             "(%lld division%s and grids)\n"),
           r->units, SG_PL(r->units));
}

typedef struct args {
    sg_coverage_options *co;
    sg_network_options *no;
    sg_coverage_result *res;
} args;

static sg_status init(cli_call *call)
{
    args *a = CLI_ARGS(call, args);
    if (!(a->co = sg_coverage_options_new()) ||
        !(a->no = sg_network_options_new()))
        return SG_ERR_NOMEM;
    return SG_OK;
}

static sg_status set_kind(cli_call *call, const cli_value *v)
{
    sg_point_kind kind;
    sg_status st = sg_point_kind_from_string(call->ctx, v->str, &kind);
    return st ? st
              : sg_coverage_options_set_kind(call->ctx,
                                             CLI_ARGS(call, args)->co, kind);
}

static sg_status set_radius(cli_call *call, const cli_value *v)
{
    return sg_coverage_options_set_radius(call->ctx, CLI_ARGS(call, args)->co,
                                          v->num);
}

/* the values of --metric, named as sg_metric_to_string names them */
static const char *const metrics[] = {"euclid", "network", "both", NULL};

static sg_status set_metric(cli_call *call, const cli_value *v)
{
    sg_metric m;
    sg_status st = sg_metric_from_string(call->ctx, v->str, &m);
    if (st == SG_OK)
        st = sg_coverage_options_set_metric(call->ctx, CLI_ARGS(call, args)->co,
                                            m);
    return st;
}

static sg_status set_max_snap(cli_call *call, const cli_value *v)
{
    return sg_coverage_options_set_max_snap(call->ctx, CLI_ARGS(call, args)->co,
                                            v->num);
}

static sg_status set_demand(cli_call *call, const cli_value *v)
{
    return sg_coverage_options_set_demand(call->ctx, CLI_ARGS(call, args)->co,
                                          v->str);
}

static sg_status set_snap_m(cli_call *call, const cli_value *v)
{
    return sg_network_options_set_snap_m(call->ctx, CLI_ARGS(call, args)->no,
                                         v->num);
}

static sg_status set_node_crossings(cli_call *call, const cli_value *v)
{
    return sg_network_options_set_node_crossings(
        call->ctx, CLI_ARGS(call, args)->no, v->n);
}

static const cli_option options[] = {
    {.name = "kind", .kind = CLI_OPT_STRING, .set = set_kind, .help = "K"},
    {.name = "radius",
     .kind = CLI_OPT_NUMBER_POS,
     .set = set_radius,
     .help = "M",
     .what = N_("a distance > 0 in metres")},
    {.name = "metric",
     .kind = CLI_OPT_ENUM,
     .set = set_metric,
     .values = metrics,
     .help = "W"},
    {.name = "max-snap",
     .kind = CLI_OPT_NUMBER_NONNEG,
     .set = set_max_snap,
     .help = "M",
     .what = N_("a distance >= 0 in metres")},
    {.name = "demand", .kind = CLI_OPT_STRING, .set = set_demand, .help = "D"},
    {.name = "snap-m",
     .kind = CLI_OPT_NUMBER_NONNEG,
     .set = set_snap_m,
     .help = "D",
     .what = N_("a distance >= 0 in metres")},
    {.name = "node-crossings", .kind = CLI_OPT_FLAG, .set = set_node_crossings},
    {.name = NULL}};

static sg_status run(cli_call *call)
{
    args *a = CLI_ARGS(call, args);
    sg_status st = sg_coverage_options_set_network(call->ctx, a->co, a->no);
    if (st == SG_OK)
        st = sg_coverage(call->ctx, call->store, a->co, &a->res);
    return st;
}

static void print_json(const cli_call *call, sg_json *j)
{
    json_result(j, call->pos[0], CLI_ARGS(call, args)->res);
}

static void print_text(const cli_call *call)
{
    text_result(CLI_ARGS(call, args)->res);
}

static void cleanup(cli_call *call)
{
    args *a = CLI_ARGS(call, args);
    sg_coverage_options_free(a->co);
    sg_network_options_free(a->no);
    sg_coverage_result_free(a->res);
}

static const cli_command command = {
    .name = "coverage",
    .options = options,
    .common = CLI_ALL,
    .min_args = 1,
    .max_args = 1,
    .args_error = N_("give one store path"),
    .store = CLI_STORE_WRITE,
    .args_size = sizeof(args),
    .init = init,
    .run = run,
    .print_json = print_json,
    .print_text = print_text,
    .cleanup = cleanup,
};

int cmd_coverage(int argc, char **argv)
{
    return cli_run(&command, argc, argv);
}
