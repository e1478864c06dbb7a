/* sanigrid coverage: a thin layer over sg_coverage(): parse the options,
 * run the analysis, print a summary (text or one JSON object).
 * Not for: the analysis itself (src/analysis/coverage.c, src/net).
 * SPDX-License-Identifier: MIT */
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

static const char help[] =
    "usage: sanigrid coverage DB [--kind K] [--radius M]\n"
    "                         [--metric euclid|network|both] [--max-snap M]\n"
    "                         [--demand households|K] [--snap-m D]\n"
    "                         [--node-crossings] [--json] [--quiet]\n\n"
    "For each household: the nearest point of kind K and its distance in\n"
    "metres, by straight line and along the roads, against a service\n"
    "radius.\n\n"
    "  --kind K        collection_point (default), public_toilet,\n"
    "                  transfer_station, bin or other\n"
    "  --radius M      service radius in metres; default from the store's\n"
    "                  settings (`sanigrid config`): collection_point\n"
    "                  collection_point.radius_m.clustered (120 m, GB\n"
    "                  55013-2021), public_toilet public_toilet.radius_m.town\n"
    "                  (300 m), transfer_station\n"
    "                  collection_vehicle.radius_km.small_motor (3 km, GB/T\n"
    "                  51435-2021); bin and other need --radius\n"
    "  --metric W      euclid, network or both (default)\n"
    "  --max-snap M    farthest a household or point may be from a road to\n"
    "                  be placed on it (default 500 m)\n"
    "  --demand D      households (default), or a point kind: e.g.\n"
    "                  `--demand collection_point --kind transfer_station`\n"
    "                  measures each collection point's road distance to\n"
    "                  the nearest transfer station against the vehicle\n"
    "                  radius (村收集→镇转运, 3 km)\n"
    "  --snap-m D, --node-crossings\n"
    "                  how road lines connect (see `sanigrid network\n"
    "                  --help`); default: only at shared vertices\n"
    "  --json          one JSON object (keys below)\n"
    "  --quiet         no progress and no summary\n"
    "  -v, --verbose   debug messages on stderr\n\n"
    "Definitions:\n"
    "  straight line   distance between the two points (working CRS)\n"
    "  along roads     household -> closest position on its nearest road\n"
    "                  (straight) + shortest path along the roads + the\n"
    "                  path's end position -> the point (straight); a\n"
    "                  household and a point on the same road piece meet\n"
    "                  directly along it\n"
    "  unreachable     no road within --max-snap, or no point of the kind\n"
    "                  in the household's road component; counted apart\n"
    "                  (never dropped), its network distance is NULL\n"
    "  covered         distance <= radius: a household exactly at the\n"
    "                  radius is covered\n"
    "  ties            equal distances (within 1e-6 m) go to the lowest\n"
    "                  point_id\n"
    "  blind spot      a connected piece of the area within radius/2 of a\n"
    "                  household that is not covered (along roads when the\n"
    "                  network metric is computed, else by straight line):\n"
    "                  households less than a radius apart share a blind\n"
    "                  spot; clipped to the top divisions if there are\n"
    "                  divisions; traced on a raster of radius/16 (area\n"
    "                  within about 0.3% of the exact union)\n"
    "  units           every division and grid containing a household\n"
    "                  counts it; a household's division_code is the\n"
    "                  deepest division containing it, its grid_code the\n"
    "                  lowest-level grid containing it\n\n"
    "Results replace earlier ones in the store:\n"
    "  coverage        points, one per household: household_id,\n"
    "                  resident_population, division_code, grid_code,\n"
    "                  euclid_point_id, euclid_m, network_point_id,\n"
    "                  network_m, snap_m (distance to the road), reachable,\n"
    "                  covered_euclid, covered_network, blind_spot; with\n"
    "                  --demand K, household_id holds the point_id. No\n"
    "                  spatial index (a million rows would take SQLite\n"
    "                  longer than the analysis)\n"
    "  blind_spots     multipolygons: blind_spot_id (1 = most households),\n"
    "                  households, residents, area_m2, division_code\n"
    "  coverage_stats  per division and per grid: unit_type, unit_code,\n"
    "                  name, level, households, residents,\n"
    "                  covered_euclid_share, covered_network_share,\n"
    "                  unreachable, points_inside, residents_per_point,\n"
    "                  farthest_household_id, farthest_m (main metric)\n\n"
    "--json keys: store, kind, demand, metric, metric_used, radius_m,\n"
    "radius_source, max_snap_m, points, points_off_network, households,\n"
    "residents, beyond_euclid, beyond_network, unreachable, off_network,\n"
    "residents_beyond_euclid, residents_beyond_network,\n"
    "residents_unreachable, blind_spots, blind_spot_households,\n"
    "blind_spot_area_m2, units, network (the graph's figures); figures of\n"
    "a metric not computed are null.\n\n"
    "Exit codes: 0 done, 1 failure, 2 usage error (also: kind without a\n"
    "default radius), 3 store cannot be opened.\n";

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
    const char *what = hh ? "households" : r->demand;
    char a[64], b[64];
    printf("coverage of %s by %s within %g m (%s)\n", what, r->kind,
           r->radius_m, r->radius_source);
    printf("  points          %lld", r->points);
    if ((r->metric & SG_METRIC_NETWORK) && r->points_off_network)
        printf(" (%lld farther than %g m from every road)",
               r->points_off_network, r->max_snap_m);
    printf("\n  %-15s %lld", what, r->households);
    if (hh)
        printf(" (%lld residents)", r->residents);
    printf("\n");
    if (r->metric & SG_METRIC_EUCLID)
        printf("  straight line   %s beyond the radius\n",
               share(a, sizeof a, r->beyond_euclid, r->households));
    if (r->metric & SG_METRIC_NETWORK) {
        printf("  along roads     %s beyond the radius, %s unreachable\n",
               share(a, sizeof a, r->beyond_network, r->households),
               share(b, sizeof b, r->unreachable, r->households));
        if (r->unreachable)
            printf("                  (%lld farther than %g m from every "
                   "road, %lld in road components without a point)\n",
                   r->off_network, r->max_snap_m,
                   r->unreachable - r->off_network);
    }
    if (hh) {
        if (r->metric & SG_METRIC_EUCLID)
            printf("  residents beyond, straight line  %lld\n",
                   r->residents_beyond_euclid);
        if (r->metric & SG_METRIC_NETWORK)
            printf("  residents beyond, along roads    %lld (unreachable "
                   "included)\n",
                   r->residents_beyond_network);
    }
    printf("  blind spots     %lld (%.2f ha, %lld %s; by %s distance)\n",
           r->blind_spots, r->blind_spot_area_m2 / 10000,
           r->blind_spot_households, what,
           r->metric_used == SG_METRIC_NETWORK ? "road" : "straight-line");
    printf("results: layers coverage and blind_spots, table coverage_stats "
           "(%lld division%s and grids)\n",
           r->units, r->units == 1 ? "" : "s");
}

int sg_cmd_coverage(int argc, char **argv)
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
    sg_cli_common common = {0};
    sg_coverage_options *co = sg_coverage_options_new();
    sg_network_options *no = sg_network_options_new();
    sg_coverage_result res;
    sg_ctx *ctx = NULL;
    sg_store *store = NULL;
    const char *kind = NULL, *radius_arg = NULL, *metric_arg = NULL;
    const char *snap_arg = NULL, *demand = NULL, *netsnap_arg = NULL;
    int c, rc = SG_EXIT_OK, cross = 0, help_asked = 0;
    double radius = 0, max_snap = 500, netsnap = 0;
    sg_metric metric = SG_METRIC_BOTH;
    if (!co || !no) {
        sg_coverage_options_free(co);
        sg_network_options_free(no);
        return SG_EXIT_FAIL;
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
        default: rc = sg_cli_usage_error("coverage", "bad option"); goto done;
        }
    }
    if (help_asked) {
        fputs(help, stdout);
        goto done;
    }
    if (radius_arg && !sg_cli_parse_number(radius_arg, 0, 1, &radius)) {
        rc = sg_cli_usage_error("coverage",
                                "--radius takes a distance > 0 "
                                "in metres, got '%s'",
                                radius_arg);
        goto done;
    }
    if (snap_arg && !sg_cli_parse_number(snap_arg, 0, 0, &max_snap)) {
        rc = sg_cli_usage_error("coverage",
                                "--max-snap takes a distance "
                                ">= 0 in metres, got '%s'",
                                snap_arg);
        goto done;
    }
    if (netsnap_arg && !sg_cli_parse_number(netsnap_arg, 0, 0, &netsnap)) {
        rc = sg_cli_usage_error("coverage",
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
            rc = sg_cli_usage_error("coverage",
                                    "--metric takes euclid, "
                                    "network or both, got '%s'",
                                    metric_arg);
            goto done;
        }
    }
    if (optind != argc - 1) {
        rc = sg_cli_usage_error("coverage", "give one store path");
        goto done;
    }
    ctx = sg_cli_ctx(&common);
    if (!ctx) {
        rc = SG_EXIT_FAIL;
        goto done;
    }
    if ((kind && sg_coverage_options_set_kind(ctx, co, kind)) ||
        (demand && sg_coverage_options_set_demand(ctx, co, demand))) {
        rc = sg_cli_usage_error("coverage", "%s", sg_ctx_errmsg(ctx));
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
        rc = sg_cli_fail(ctx, "coverage");
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
