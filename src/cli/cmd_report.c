/* sanigrid report: a thin layer over sg_report(); its option table and
 * callbacks for cli_run (cli.h, "the command skeleton").
 * SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "sanigrid/render.h"

/* The --help text is docs/cli/report.md (STYLE rule 24). */

typedef struct args {
    sg_render_options *ro;
    const char *out; /* -o */
    sg_report_result *r;
} args;

/* The map's text follows the CLI's language (--lang, else LC_ALL/
 * LC_MESSAGES/LANG); Leaflet is Debian's unless SANIGRID_LEAFLET_DIR
 * says where (tests point it elsewhere). */
static sg_status init(cli_call *call)
{
    args *a = CLI_ARGS(call, args);
    const char *leaflet = getenv("SANIGRID_LEAFLET_DIR");
    if (!(a->ro = sg_render_options_new()))
        return SG_ERR_NOMEM;
    sg_status st = sg_render_options_set_lang(call->ctx, a->ro,
                                              cli_lang_zh() ? "zh" : "en");
    if (st == SG_OK && leaflet)
        st = sg_render_options_set_leaflet_dir(call->ctx, a->ro, leaflet);
    return st;
}

static sg_status set_date(cli_call *call, const cli_value *v)
{
    return sg_render_options_set_date(call->ctx, CLI_ARGS(call, args)->ro,
                                      v->str);
}

static sg_status set_attribution(cli_call *call, const cli_value *v)
{
    return sg_render_options_set_attribution(call->ctx,
                                             CLI_ARGS(call, args)->ro, v->str);
}

static sg_status set_svg_max_features(cli_call *call, const cli_value *v)
{
    return sg_render_options_set_svg_max_features(
        call->ctx, CLI_ARGS(call, args)->ro, v->n);
}

static const cli_option options[] = {
    {.name = "output",
     .short_name = 'o',
     .kind = CLI_OPT_PATH,
     .offset = CLI_AT(args, out),
     .help = "FILE"},
    {.name = "date", .kind = CLI_OPT_STRING, .set = set_date, .help = "TEXT"},
    {.name = "attribution",
     .kind = CLI_OPT_STRING,
     .set = set_attribution,
     .help = "TEXT"},
    {.name = "svg-max-features",
     .kind = CLI_OPT_INT,
     .set = set_svg_max_features,
     .help = "N"},
    {.name = NULL}};

static int check(cli_call *call)
{
    if (!CLI_ARGS(call, args)->out)
        return cli_usage_error("report", "give -o report.html");
    return CLI_EXIT_OK;
}

static sg_status run(cli_call *call)
{
    args *a = CLI_ARGS(call, args);
    return sg_report(call->ctx, call->store, a->ro, a->out, &a->r);
}

static void print_json(const cli_call *call, sg_json *j)
{
    const args *a = CLI_ARGS(call, args);
    const sg_report_result *r = a->r;
    sg_json_str(j, "file", a->out);
    sg_json_int(j, "sections", r->sections);
    sg_json_int(j, "maps", r->maps);
    sg_json_int(j, "png_maps", r->png_maps);
    sg_json_int(j, "tables", r->tables);
    sg_json_int(j, "charts", r->charts);
    if (r->webmap) {
        sg_json_object(j, "webmap");
        sg_json_int(j, "villages", r->webmap_villages);
        sg_json_int(j, "grids", r->webmap_grids);
        sg_json_int(j, "points", r->webmap_points);
        sg_json_int(j, "cells", r->webmap_cells);
        sg_json_end_object(j);
    } else {
        sg_json_null(j, "webmap");
    }
    sg_json_int(j, "bytes", r->bytes);
}

static void print_text(const cli_call *call)
{
    const args *a = CLI_ARGS(call, args);
    printf(_("%s: %d sections, %d maps, %d tables\n"), a->out, a->r->sections,
           a->r->maps, a->r->tables);
}

static void cleanup(cli_call *call)
{
    sg_render_options_free(CLI_ARGS(call, args)->ro);
    sg_report_result_free(CLI_ARGS(call, args)->r);
}

static const cli_command command = {
    .name = "report",
    .options = options,
    .common = CLI_ALL,
    .min_args = 1,
    .max_args = 1,
    .args_error = N_("give one DB"),
    .store = CLI_STORE_READ,
    .args_size = sizeof(args),
    .init = init,
    .check = check,
    .run = run,
    .print_json = print_json,
    .print_text = print_text,
    .cleanup = cleanup,
};

int cmd_report(int argc, char **argv)
{
    return cli_run(&command, argc, argv);
}
