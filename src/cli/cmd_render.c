/* sanigrid render: a thin layer over sg_render(); its option table and
 * callbacks for cli_run (cli.h, "the command skeleton").
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "sanigrid/render.h"

/* The --help text is docs/cli/render.md (STYLE rule 24). */

/* Parse "WxH" into \p w and \p h. \return 1 on success. */
static int parse_size(const char *s, int *w, int *h)
{
    char *end;
    long a = strtol(s, &end, 10);
    if (end == s || (*end != 'x' && *end != 'X'))
        return 0;
    const char *p = end + 1;
    long b = strtol(p, &end, 10);
    if (end == p || *end || a <= 0 || b <= 0 || a > 100000 || b > 100000)
        return 0;
    *w = (int)a;
    *h = (int)b;
    return 1;
}

/* The --json summary of \p r for \p out, as members of one object. */
static void json_result(sg_json *j, const char *out, const sg_render_result *r)
{
    sg_json_str(j, "file", out);
    sg_json_str(j, "theme", sg_render_theme_to_string(r->theme));
    sg_json_str(j, "format", sg_render_format_to_string(r->format));
    sg_json_int(j, "width", r->width);
    sg_json_int(j, "height", r->height);
    sg_json_num(j, "dpi", r->dpi);
    sg_json_int(j, "features", r->features);
    sg_json_int(j, "labels", r->labels);
    sg_json_int(j, "labels_skipped", r->labels_skipped);
    sg_json_int(j, "missing_glyphs", r->missing_glyphs);
    sg_json_num(j, "scale_denominator", r->scale_denominator);
    char crs[32];
    snprintf(crs, sizeof crs, "EPSG:%d", r->srid);
    sg_json_str(j, "crs", crs);
    sg_json_array(j, "extent");
    for (int i = 0; i < 4; i++)
        sg_json_num(j, NULL, r->extent[i]);
    sg_json_end_array(j);
    sg_json_array(j, "frame");
    for (int i = 0; i < 4; i++)
        sg_json_num(j, NULL, r->frame[i]);
    sg_json_end_array(j);
    if (r->aggregated_layer) {
        sg_json_object(j, "aggregated");
        sg_json_str(j, "layer", r->aggregated_layer);
        sg_json_int(j, "households", r->aggregated_households);
        sg_json_int(j, "cells", r->aggregated_cells);
        sg_json_num(j, "radius_m", r->hexagon_radius_m);
        sg_json_array(j, "origin");
        sg_json_num(j, NULL, r->hexagon_origin[0]);
        sg_json_num(j, NULL, r->hexagon_origin[1]);
        sg_json_end_array(j);
        sg_json_end_object(j);
    } else {
        sg_json_null(j, "aggregated");
    }
}

typedef struct args {
    sg_render_options *ro;
    const char *out; /* -o */
    sg_render_result *r;
} args;

/* The map's text follows the CLI's language (--lang, else LC_ALL/
 * LC_MESSAGES/LANG). */
static sg_status init(cli_call *call)
{
    args *a = CLI_ARGS(call, args);
    if (!(a->ro = sg_render_options_new()))
        return SG_ERR_NOMEM;
    return sg_render_options_set_lang(call->ctx, a->ro,
                                      cli_lang_zh() ? "zh" : "en");
}

#define RO(call) (CLI_ARGS(call, args)->ro)

static sg_status set_theme(cli_call *call, const cli_value *v)
{
    sg_render_theme theme;
    sg_status st = sg_render_theme_from_string(call->ctx, v->str, &theme);
    return st ? st : sg_render_options_set_theme(call->ctx, RO(call), theme);
}

static sg_status set_division(cli_call *call, const cli_value *v)
{
    return sg_render_options_set_division(call->ctx, RO(call), v->str);
}

static sg_status set_size(cli_call *call, const cli_value *v)
{
    int w, h;
    if (!parse_size(v->str, &w, &h)) {
        cli_usage_error("render", "--size: give WxH, e.g. 1600x1130");
        return SG_ERR_USAGE;
    }
    return sg_render_options_set_size(call->ctx, RO(call), w, h);
}

static sg_status set_dpi(cli_call *call, const cli_value *v)
{
    return sg_render_options_set_dpi(call->ctx, RO(call), v->num);
}

static sg_status add_style(cli_call *call, const cli_value *v)
{
    return sg_render_options_add_style(call->ctx, RO(call), v->str);
}

static sg_status set_title(cli_call *call, const cli_value *v)
{
    return sg_render_options_set_title(call->ctx, RO(call), v->str);
}

static sg_status set_format(cli_call *call, const cli_value *v)
{
    sg_render_format format;
    sg_status st = sg_render_format_from_string(call->ctx, v->str, &format);
    return st ? st : sg_render_options_set_format(call->ctx, RO(call), format);
}

static sg_status set_date(cli_call *call, const cli_value *v)
{
    return sg_render_options_set_date(call->ctx, RO(call), v->str);
}

static sg_status set_attribution(cli_call *call, const cli_value *v)
{
    return sg_render_options_set_attribution(call->ctx, RO(call), v->str);
}

static sg_status set_aggregate_above(cli_call *call, const cli_value *v)
{
    if (v->num != floor(v->num)) {
        cli_usage_error("render", "--%s takes %s, got '%s'", "aggregate-above",
                        _("a whole number >= 0"), v->str);
        return SG_ERR_USAGE;
    }
    return sg_render_options_set_aggregate_above(call->ctx, RO(call),
                                                 (long long)v->num);
}

static const cli_option options[] = {
    {.name = "theme",
     .kind = CLI_OPT_STRING,
     .set = set_theme,
     .help = "THEME"},
    {.name = "division",
     .kind = CLI_OPT_STRING,
     .set = set_division,
     .help = "CODE"},
    {.name = "output",
     .short_name = 'o',
     .kind = CLI_OPT_PATH,
     .offset = CLI_AT(args, out),
     .help = "FILE"},
    {.name = "size", .kind = CLI_OPT_STRING, .set = set_size, .help = "WxH"},
    {.name = "dpi", .kind = CLI_OPT_NUMBER_POS, .set = set_dpi, .help = "N"},
    {.name = "style",
     .kind = CLI_OPT_PATH,
     .set = add_style,
     .help = "FILE.sld"},
    {.name = "title", .kind = CLI_OPT_STRING, .set = set_title, .help = "TEXT"},
    {.name = "format",
     .kind = CLI_OPT_STRING,
     .set = set_format,
     .help = "png|svg|pdf"},
    {.name = "date", .kind = CLI_OPT_STRING, .set = set_date, .help = "TEXT"},
    {.name = "attribution",
     .kind = CLI_OPT_STRING,
     .set = set_attribution,
     .help = "TEXT"},
    {.name = "aggregate-above",
     .kind = CLI_OPT_NUMBER_NONNEG,
     .set = set_aggregate_above,
     .help = "N",
     .max = 9e15,
     .what = N_("a whole number >= 0")},
    {.name = NULL}};

static int check(cli_call *call)
{
    if (!CLI_ARGS(call, args)->out)
        return cli_usage_error("render", "give -o FILE.png|.svg|.pdf");
    if (!cli_given(call, "theme"))
        return cli_usage_error("render", "give --theme (grids, coverage, "
                                         "staffing, allocation, plan, "
                                         "sites, ranking)");
    return CLI_EXIT_OK;
}

static sg_status run(cli_call *call)
{
    args *a = CLI_ARGS(call, args);
    return sg_render(call->ctx, call->store, a->ro, a->out, &a->r);
}

static void print_json(const cli_call *call, sg_json *j)
{
    const args *a = CLI_ARGS(call, args);
    json_result(j, a->out, a->r);
}

static void print_text(const cli_call *call)
{
    const args *a = CLI_ARGS(call, args);
    const sg_render_result *r = a->r;
    printf(_("%s: %s map, %dx%d, %lld features, %lld labels, 1:%.0f\n"), a->out,
           sg_render_theme_to_string(r->theme), r->width, r->height,
           r->features, r->labels, r->scale_denominator);
}

static void notes(const cli_call *call)
{
    const sg_render_result *r = CLI_ARGS(call, args)->r;
    if (r && r->missing_glyphs > 0)
        fprintf(stderr,
                _("sanigrid render: warning: %lld characters could not be "
                  "drawn; install fonts-noto-cjk\n"),
                r->missing_glyphs);
}

static void cleanup(cli_call *call)
{
    sg_render_options_free(CLI_ARGS(call, args)->ro);
    sg_render_result_free(CLI_ARGS(call, args)->r);
}

static const cli_command command = {
    .name = "render",
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
    .notes = notes,
    .cleanup = cleanup,
};

int cmd_render(int argc, char **argv)
{
    return cli_run(&command, argc, argv);
}
