/* sanigrid network: a thin layer over sg_network(): its option table,
 * and a summary of the road graph with a table of the largest
 * components (text or one JSON object), for cli_run (cli.h, "the
 * command skeleton").
 * Not for: the graph itself (src/net).
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

/* The --help text is docs/cli/network.md (STYLE rule 24). */

/* The result as members of one JSON object. */
static void json_result(sg_json *j, const char *db, double snap, int cross,
                        const sg_network_result *r)
{
    sg_json_str(j, "store", db);
    sg_json_num(j, "snap_m", snap);
    sg_json_bool(j, "node_crossings", cross);
    sg_json_int(j, "roads", r->roads);
    sg_json_int(j, "nodes", r->nodes);
    sg_json_int(j, "edges", r->edges);
    sg_json_num(j, "length_m", r->length_m);
    sg_json_int(j, "components", r->components);
    sg_json_num(j, "largest_share", r->largest_share);
    sg_json_int(j, "dangling_ends", r->dangling_ends);
    sg_json_int(j, "snapped", r->snapped);
    sg_json_int(j, "crossings", r->crossings);
    sg_json_array(j, "largest");
    for (size_t i = 0; i < r->nlargest; i++) {
        const sg_network_component *c = &r->largest[i];
        sg_json_object(j, NULL);
        sg_json_int(j, "component", c->component);
        sg_json_int(j, "roads", c->roads);
        sg_json_int(j, "nodes", c->nodes);
        sg_json_int(j, "edges", c->edges);
        sg_json_int(j, "dangling_ends", c->dangling_ends);
        sg_json_num(j, "length_m", c->length_m);
        sg_json_num(j, "share", c->share);
        sg_json_end_object(j);
    }
    sg_json_end_array(j);
}

/* The text summary and the table of the largest components. */
static void text_result(const char *db, double snap, int cross,
                        const sg_network_result *r)
{
    printf(_("road network of %s (%s%s"), db,
           cross ? _("crossings noded") : _("shared vertices only"),
           snap > 0 ? ", " : ")\n");
    if (snap > 0)
        printf(_("dangling ends snapped within %g m)\n"), snap);
    printf(_("  roads          %lld (%.1f km)\n"), r->roads,
           r->length_m / 1000);
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

typedef struct args {
    sg_network_options *no;
    double snap; /* --snap-m */
    int cross;   /* --node-crossings */
    sg_network_result *res;
} args;

static sg_status init(cli_call *call)
{
    args *a = CLI_ARGS(call, args);
    return (a->no = sg_network_options_new()) ? SG_OK : SG_ERR_NOMEM;
}

/* The setters keep the value for the printout and hand it to the
 * library, whose message names a bad one. */
static sg_status set_snap_m(cli_call *call, const cli_value *v)
{
    args *a = CLI_ARGS(call, args);
    sg_status st = sg_network_options_set_snap_m(call->ctx, a->no, v->num);
    if (st == SG_OK)
        a->snap = v->num;
    return st;
}

static sg_status set_node_crossings(cli_call *call, const cli_value *v)
{
    args *a = CLI_ARGS(call, args);
    sg_status st =
        sg_network_options_set_node_crossings(call->ctx, a->no, v->n);
    if (st == SG_OK)
        a->cross = v->n;
    return st;
}

static const cli_option options[] = {
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
    return sg_network(call->ctx, call->store, a->no, &a->res);
}

static void print_json(const cli_call *call, sg_json *j)
{
    const args *a = CLI_ARGS(call, args);
    json_result(j, call->pos[0], a->snap, a->cross, a->res);
}

static void print_text(const cli_call *call)
{
    const args *a = CLI_ARGS(call, args);
    text_result(call->pos[0], a->snap, a->cross, a->res);
}

static void cleanup(cli_call *call)
{
    args *a = CLI_ARGS(call, args);
    sg_network_options_free(a->no);
    sg_network_result_free(a->res);
}

static const cli_command command = {
    .name = "network",
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

int cmd_network(int argc, char **argv)
{
    return cli_run(&command, argc, argv);
}
