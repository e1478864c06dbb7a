/* sanigrid coverage: a thin layer over sg_coverage(): parse the options,
 * run the analysis, print a summary (text or one JSON object).
 * Not for: the analysis itself (src/analysis/coverage/coverage.c, src/net).
 * SPDX-License-Identifier: MIT */
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

/* The --help text is docs/cli/coverage.md (STYLE rule 24). */

/* Name of a metric. */
static const char *metric_name(int m)
{
    return m == SG_METRIC_EUCLID    ? "euclid"
           : m == SG_METRIC_NETWORK ? "network"
                                    : "both";
}

/* A count, or null when the metric it belongs to was not computed. */
static void json_count(sg_json *j, const char *key, int on, long long v)
{
    if (on)
        sg_json_int(j, key, v);
    else
        sg_json_null(j, key);
}

/* The result as one JSON object on stdout. */
static void print_json(const char *db, const sg_coverage_result *r)
{
    int e = (r->metric & SG_METRIC_EUCLID) != 0;
    int n = (r->metric & SG_METRIC_NETWORK) != 0;
    sg_json j;
    sg_json_begin(&j, stdout);
    sg_json_object(&j, NULL);
    sg_json_str(&j, "store", db);
    sg_json_str(&j, "kind", r->kind);
    sg_json_str(&j, "demand", r->demand);
    sg_json_str(&j, "metric", metric_name(r->metric));
    sg_json_str(&j, "metric_used", metric_name(r->metric_used));
    sg_json_num(&j, "radius_m", r->radius_m);
    sg_json_str(&j, "radius_source", r->radius_source);
    sg_json_num(&j, "max_snap_m", r->max_snap_m);
    sg_json_int(&j, "points", r->points);
    json_count(&j, "points_off_network", n, r->points_off_network);
    sg_json_int(&j, "households", r->households);
    sg_json_int(&j, "residents", r->residents);
    json_count(&j, "beyond_euclid", e, r->beyond_euclid);
    json_count(&j, "beyond_network", n, r->beyond_network);
    json_count(&j, "unreachable", n, r->unreachable);
    json_count(&j, "off_network", n, r->off_network);
    json_count(&j, "residents_beyond_euclid", e, r->residents_beyond_euclid);
    json_count(&j, "residents_beyond_network", n, r->residents_beyond_network);
    json_count(&j, "residents_unreachable", n, r->residents_unreachable);
    sg_json_int(&j, "blind_spots", r->blind_spots);
    sg_json_int(&j, "blind_spot_households", r->blind_spot_households);
    sg_json_num(&j, "blind_spot_area_m2", r->blind_spot_area_m2);
    sg_json_int(&j, "units", r->units);
    if (n) {
        const sg_network_result *g = &r->network;
        sg_json_object(&j, "network");
        sg_json_int(&j, "roads", g->roads);
        sg_json_int(&j, "nodes", g->nodes);
        sg_json_int(&j, "edges", g->edges);
        sg_json_num(&j, "length_m", g->length_m);
        sg_json_int(&j, "components", g->components);
        sg_json_num(&j, "largest_share", g->largest_share);
        sg_json_int(&j, "dangling_ends", g->dangling_ends);
        sg_json_int(&j, "snapped", g->snapped);
        sg_json_int(&j, "crossings", g->crossings);
        sg_json_end_object(&j);
    } else {
        sg_json_null(&j, "network");
    }
    sg_json_array(&j, "layers");
    sg_json_str(&j, NULL, "coverage");
    sg_json_str(&j, NULL, "blind_spots");
    sg_json_str(&j, NULL, "coverage_stats");
    sg_json_end_array(&j);
    sg_json_end_object(&j);
    sg_json_finish(&j);
}

/* "n (p%)" of a total into \p buf. */
static const char *share(char *buf, size_t size, long long n, long long of)
{
    snprintf(buf, size, "%lld (%.1f%%)", n,
             of > 0 ? 100.0 * (double)n / (double)of : 0.0);
    return buf;
}

/* The text summary on stdout. */
static void print_text(const sg_coverage_result *r)
{
    int hh = strcmp(r->demand, "households") == 0;
    /* point kinds by their Chinese names under --lang zh */
    const char *lang = cli_lang_zh() ? "zh" : "en";
    const char *kind = sg_field_value_label("points", "kind", r->kind, lang);
    const char *what = hh ? _("households")
                          : sg_field_value_label("points", "kind", r->demand,
                                                 lang);
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
           r->metric_used == SG_METRIC_NETWORK ? _("road") : _("straight-line"));
    printf(_("results: layers coverage and blind_spots, table coverage_stats "
           "(%lld division%s and grids)\n"),
           r->units, SG_PL(r->units));
}

int cmd_coverage(int argc, char **argv)
{
    static const struct option opts[] = {
        {"kind", required_argument, NULL, 'k'},
        {"radius", required_argument, NULL, 'r'},
        {"metric", required_argument, NULL, 'm'},
        {"max-snap", required_argument, NULL, 'M'},
        {"demand", required_argument, NULL, 'd'},
        {"snap-m", required_argument, NULL, 's'},
        {"node-crossings", no_argument, NULL, 'x'},
        {"json", no_argument, NULL, 'j'},
        {"quiet", no_argument, NULL, 'q'},
        {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    cli_common common = {0};
    sg_coverage_options *co = sg_coverage_options_new();
    sg_network_options *no = sg_network_options_new();
    sg_coverage_result res;
    sg_ctx *ctx = NULL;
    sg_store *store = NULL;
    const char *kind = NULL, *radius_arg = NULL, *metric_arg = NULL;
    const char *snap_arg = NULL, *demand = NULL, *netsnap_arg = NULL;
    int c, rc = CLI_EXIT_OK, cross = 0, help_asked = 0;
    double radius = 0, max_snap = 500, netsnap = 0;
    sg_metric metric = SG_METRIC_BOTH;
    if (!co || !no) {
        sg_coverage_options_free(co);
        sg_network_options_free(no);
        return CLI_EXIT_FAIL;
    }
    optind = 0;
    while ((c = getopt_long(argc, argv, "hqv", opts, NULL)) != -1) {
        switch (c) {
        case 'k': kind = optarg; break;
        case 'r': radius_arg = optarg; break;
        case 'm': metric_arg = optarg; break;
        case 'M': snap_arg = optarg; break;
        case 'd': demand = optarg; break;
        case 's': netsnap_arg = optarg; break;
        case 'x': cross = 1; break;
        case 'j': common.json = 1; break;
        case 'q': common.quiet = 1; break;
        case 'v': common.verbose = 1; break;
        case 'h': help_asked = 1; break;
        default: rc = cli_usage_error("coverage", "bad option"); goto done;
        }
    }
    if (help_asked) {
        cli_help("coverage");
        goto done;
    }
    if (radius_arg && !cli_parse_number(radius_arg, 0, 1, &radius)) {
        rc = cli_usage_error("coverage",
                                "--radius takes a distance > 0 "
                                "in metres, got '%s'",
                                radius_arg);
        goto done;
    }
    if (snap_arg && !cli_parse_number(snap_arg, 0, 0, &max_snap)) {
        rc = cli_usage_error("coverage",
                                "--max-snap takes a distance "
                                ">= 0 in metres, got '%s'",
                                snap_arg);
        goto done;
    }
    if (netsnap_arg && !cli_parse_number(netsnap_arg, 0, 0, &netsnap)) {
        rc = cli_usage_error("coverage",
                                "--snap-m takes a distance >= 0 "
                                "in metres, got '%s'",
                                netsnap_arg);
        goto done;
    }
    if (metric_arg) {
        if (strcmp(metric_arg, "euclid") == 0)
            metric = SG_METRIC_EUCLID;
        else if (strcmp(metric_arg, "network") == 0)
            metric = SG_METRIC_NETWORK;
        else if (strcmp(metric_arg, "both") == 0)
            metric = SG_METRIC_BOTH;
        else {
            rc = cli_usage_error("coverage",
                                    "--metric takes euclid, "
                                    "network or both, got '%s'",
                                    metric_arg);
            goto done;
        }
    }
    if (optind != argc - 1) {
        rc = cli_usage_error("coverage", "give one store path");
        goto done;
    }
    ctx = cli_ctx(&common);
    if (!ctx) {
        rc = CLI_EXIT_FAIL;
        goto done;
    }
    if ((kind && sg_coverage_options_set_kind(ctx, co, kind)) ||
        (demand && sg_coverage_options_set_demand(ctx, co, demand))) {
        rc = cli_usage_error("coverage", "%s", sg_ctx_errmsg(ctx));
        goto done;
    }
    sg_coverage_options_set_radius(co, radius);
    sg_coverage_options_set_metric(co, metric);
    sg_coverage_options_set_max_snap(co, max_snap);
    sg_network_options_set_snap_m(no, netsnap);
    sg_network_options_set_node_crossings(no, cross);
    sg_coverage_options_set_network(co, no);
    const char *db = argv[optind];
    if (sg_store_open(ctx, db, 0, &store) ||
        sg_coverage(ctx, store, co, &res)) {
        rc = cli_fail(ctx, "coverage");
        goto done;
    }
    if (common.json)
        print_json(db, &res);
    else if (!common.quiet)
        print_text(&res);
done:
    sg_store_close(store);
    sg_ctx_free(ctx);
    sg_coverage_options_free(co);
    sg_network_options_free(no);
    return rc;
}
