/* sanigrid network: a thin layer over sg_network(): parse the options,
 * build and describe the road graph, print a summary and a table of the
 * largest components (text or one JSON object).
 * Not for: the graph itself (src/net).
 * SPDX-License-Identifier: MIT */
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

/* The --help text is docs/cli/network.md (STYLE rule 24). */

/* The result as one JSON object on stdout. */
static void print_json(const char *db, double snap, int cross,
                       const sg_network_result *r)
{
    sg_json j;
    sg_json_begin(&j, stdout);
    sg_json_object(&j, NULL);
    sg_json_str(&j, "store", db);
    sg_json_num(&j, "snap_m", snap);
    sg_json_bool(&j, "node_crossings", cross);
    sg_json_int(&j, "roads", r->roads);
    sg_json_int(&j, "nodes", r->nodes);
    sg_json_int(&j, "edges", r->edges);
    sg_json_num(&j, "length_m", r->length_m);
    sg_json_int(&j, "components", r->components);
    sg_json_num(&j, "largest_share", r->largest_share);
    sg_json_int(&j, "dangling_ends", r->dangling_ends);
    sg_json_int(&j, "snapped", r->snapped);
    sg_json_int(&j, "crossings", r->crossings);
    sg_json_array(&j, "largest");
    for (size_t i = 0; i < r->nlargest; i++) {
        const sg_network_component *c = &r->largest[i];
        sg_json_object(&j, NULL);
        sg_json_int(&j, "component", c->component);
        sg_json_int(&j, "roads", c->roads);
        sg_json_int(&j, "nodes", c->nodes);
        sg_json_int(&j, "edges", c->edges);
        sg_json_int(&j, "dangling_ends", c->dangling_ends);
        sg_json_num(&j, "length_m", c->length_m);
        sg_json_num(&j, "share", c->share);
        sg_json_end_object(&j);
    }
    sg_json_end_array(&j);
    sg_json_end_object(&j);
    sg_json_finish(&j);
}

/* The text summary and the table of the largest components. */
static void print_text(const char *db, double snap, int cross,
                       const sg_network_result *r)
{
    printf(_("road network of %s (%s%s"), db,
           cross ? _("crossings noded") : _("shared vertices only"),
           snap > 0 ? ", " : ")\n");
    if (snap > 0)
        printf(_("dangling ends snapped within %g m)\n"), snap);
    printf(_("  roads          %lld (%.1f km)\n"), r->roads, r->length_m / 1000);
    printf(_("  nodes, edges   %lld, %lld\n"), r->nodes, r->edges);
    printf(_("  components     %lld; the largest holds %.1f%% of the road "
           "length\n"),
           r->components, 100 * r->largest_share);
    printf(_("  dangling ends  %lld\n"), r->dangling_ends);
    if (cross)
        printf(_("  crossings      %lld noded\n"), r->crossings);
    if (snap > 0)
        printf(_("  snapped ends   %lld\n"), r->snapped);
    if (r->nlargest == 0)
        return;
    printf(_("\n  component  roads  nodes  dangling  length_km   share\n"));
    for (size_t i = 0; i < r->nlargest; i++) {
        const sg_network_component *c = &r->largest[i];
        printf("  %9lld  %5lld  %5lld  %8lld  %9.2f  %5.1f%%\n", c->component,
               c->roads, c->nodes, c->dangling_ends, c->length_m / 1000,
               100 * c->share);
    }
    if (r->components > (long long)r->nlargest)
        printf(_("  (%lld more in table network_components)\n"),
               r->components - (long long)r->nlargest);
}

int cmd_network(int argc, char **argv)
{
    static const struct option opts[] = {
        {"snap-m", required_argument, NULL, 's'},
        {"node-crossings", no_argument, NULL, 'x'},
        {"json", no_argument, NULL, 'j'},
        {"quiet", no_argument, NULL, 'q'},
        {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    cli_common common = {0};
    sg_network_options *no = sg_network_options_new();
    sg_network_result res;
    sg_ctx *ctx = NULL;
    sg_store *store = NULL;
    const char *snap_arg = NULL;
    int c, rc = CLI_EXIT_OK, cross = 0, help_asked = 0;
    double snap = 0;
    if (!no)
        return CLI_EXIT_FAIL;
    optind = 0;
    while ((c = getopt_long(argc, argv, "hqv", opts, NULL)) != -1) {
        switch (c) {
        case 's': snap_arg = optarg; break;
        case 'x': cross = 1; break;
        case 'j': common.json = 1; break;
        case 'q': common.quiet = 1; break;
        case 'v': common.verbose = 1; break;
        case 'h': help_asked = 1; break;
        default: rc = cli_usage_error("network", "bad option"); goto done;
        }
    }
    if (help_asked) {
        cli_help("network");
        goto done;
    }
    if (snap_arg && !cli_parse_number(snap_arg, 0, 0, &snap)) {
        rc = cli_usage_error("network",
                                "--snap-m takes a distance >= 0 "
                                "in metres, got '%s'",
                                snap_arg);
        goto done;
    }
    if (optind != argc - 1) {
        rc = cli_usage_error("network", "give one store path");
        goto done;
    }
    sg_network_options_set_snap_m(no, snap);
    sg_network_options_set_node_crossings(no, cross);
    ctx = cli_ctx(&common);
    if (!ctx) {
        rc = CLI_EXIT_FAIL;
        goto done;
    }
    const char *db = argv[optind];
    if (sg_store_open(ctx, db, 0, &store) || sg_network(ctx, store, no, &res)) {
        rc = cli_fail(ctx, "network");
        goto done;
    }
    if (common.json)
        print_json(db, snap, cross, &res);
    else if (!common.quiet)
        print_text(db, snap, cross, &res);
done:
    sg_store_close(store);
    sg_ctx_free(ctx);
    sg_network_options_free(no);
    return rc;
}
