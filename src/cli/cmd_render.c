/* sanigrid render: a thin layer over sg_render().
 * SPDX-License-Identifier: MIT */
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "sanigrid/render.h"

/* The --help text is docs/cli/render.md (STYLE rule 24). */

/* The CLI's language (--lang, else LC_ALL/LC_MESSAGES/LANG): "zh" or
 * "en"; the map's text follows it. */
static const char *env_lang(void)
{
    return cli_lang_zh() ? "zh" : "en";
}

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

/* Print the --json summary of \p r for \p out. */
static void print_json(const char *out, const sg_render_result *r)
{
    sg_json j;
    sg_json_begin(&j, stdout);
    sg_json_object(&j, NULL);
    sg_json_str(&j, "file", out);
    sg_json_str(&j, "theme", r->theme);
    sg_json_str(&j, "format", r->format);
    sg_json_int(&j, "width", r->width);
    sg_json_int(&j, "height", r->height);
    sg_json_num(&j, "dpi", r->dpi);
    sg_json_int(&j, "features", r->features);
    sg_json_int(&j, "labels", r->labels);
    sg_json_int(&j, "labels_skipped", r->labels_skipped);
    sg_json_int(&j, "missing_glyphs", r->missing_glyphs);
    sg_json_num(&j, "scale_denominator", r->scale_denominator);
    char crs[32];
    snprintf(crs, sizeof crs, "EPSG:%d", r->srid);
    sg_json_str(&j, "crs", crs);
    sg_json_array(&j, "extent");
    for (int i = 0; i < 4; i++)
        sg_json_num(&j, NULL, r->extent[i]);
    sg_json_end_array(&j);
    sg_json_array(&j, "frame");
    for (int i = 0; i < 4; i++)
        sg_json_num(&j, NULL, r->frame[i]);
    sg_json_end_array(&j);
    if (r->aggregated_layer[0]) {
        sg_json_object(&j, "aggregated");
        sg_json_str(&j, "layer", r->aggregated_layer);
        sg_json_int(&j, "households", r->aggregated_households);
        sg_json_int(&j, "cells", r->aggregated_cells);
        sg_json_num(&j, "radius_m", r->hexagon_radius_m);
        sg_json_array(&j, "origin");
        sg_json_num(&j, NULL, r->hexagon_origin[0]);
        sg_json_num(&j, NULL, r->hexagon_origin[1]);
        sg_json_end_array(&j);
        sg_json_end_object(&j);
    } else {
        sg_json_null(&j, "aggregated");
    }
    sg_json_end_object(&j);
    sg_json_finish(&j);
}

/* Apply one parsed option \p c with argument \p arg to \p ro.
 * \return SG_OK, or the status with the message in \p ctx. */
static sg_status apply(sg_ctx *ctx, sg_render_options *ro, int c,
                       const char *arg)
{
    int w, h;
    double dpi;
    switch (c) {
    case 't': return sg_render_options_set_theme(ctx, ro, arg);
    case 'd': return sg_render_options_set_division(ctx, ro, arg);
    case 's':
        if (!parse_size(arg, &w, &h)) {
            cli_usage_error("render", "--size: give WxH, e.g. 1600x1130");
            return SG_ERR_USAGE;
        }
        return sg_render_options_set_size(ctx, ro, w, h);
    case 'r':
        if (!cli_parse_number(arg, 0, 1, &dpi)) {
            cli_usage_error("render", "--dpi: give a number");
            return SG_ERR_USAGE;
        }
        return sg_render_options_set_dpi(ctx, ro, dpi);
    case 'S': return sg_render_options_add_style(ctx, ro, arg);
    case 'T': return sg_render_options_set_title(ctx, ro, arg);
    case 'l': return sg_render_options_set_lang(ctx, ro, arg);
    case 'f': return sg_render_options_set_format(ctx, ro, arg);
    case 'D': return sg_render_options_set_date(ctx, ro, arg);
    case 'a': return sg_render_options_set_attribution(ctx, ro, arg);
    case 'A':
        if (!cli_parse_number(arg, 0, 1, &dpi) || dpi != floor(dpi) ||
            dpi > 9e15) {
            cli_usage_error("render",
                               "--aggregate-above: give a whole number");
            return SG_ERR_USAGE;
        }
        return sg_render_options_set_aggregate_above(ctx, ro,
                                                     (long long)dpi);
    default: return SG_OK;
    }
}

int cmd_render(int argc, char **argv)
{
    static const struct option opts[] = {
        {"theme", required_argument, NULL, 't'},
        {"division", required_argument, NULL, 'd'},
        {"output", required_argument, NULL, 'o'},
        {"size", required_argument, NULL, 's'},
        {"dpi", required_argument, NULL, 'r'},
        {"style", required_argument, NULL, 'S'},
        {"title", required_argument, NULL, 'T'},
        {"lang", required_argument, NULL, 'l'},
        {"format", required_argument, NULL, 'f'},
        {"date", required_argument, NULL, 'D'},
        {"attribution", required_argument, NULL, 'a'},
        {"aggregate-above", required_argument, NULL, 'A'},
        {"json", no_argument, NULL, 'j'},
        {"quiet", no_argument, NULL, 'q'},
        {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    /* --help wins over every other argument, even ones that would fail */
    if (cli_help_asked("render", argc, argv))
        return CLI_EXIT_OK;
    cli_common common = {0};
    sg_render_options *ro = sg_render_options_new();
    sg_ctx *ctx = sg_ctx_new();
    sg_store *store = NULL;
    const char *out = NULL;
    int c, rc = CLI_EXIT_OK, have_theme = 0;
    if (!ro || !ctx) {
        fprintf(stderr, _("sanigrid render: out of memory\n"));
        rc = CLI_EXIT_FAIL;
        goto done;
    }
    sg_render_options_set_lang(ctx, ro, env_lang());
    optind = 0;
    while ((c = getopt_long(argc, argv, "ho:qv", opts, NULL)) != -1) {
        switch (c) {
        case 'o': out = optarg; break;
        case 'j': common.json = 1; break;
        case 'q': common.quiet = 1; break;
        case 'v': common.verbose = 1; break;
        case 'h': cli_help("render"); goto done;
        case '?':
            rc = cli_usage_error("render", "bad option");
            goto done;
        default: {
            sg_status st = apply(ctx, ro, c, optarg);
            if (st == SG_ERR_USAGE && !*sg_ctx_errmsg(ctx)) {
                rc = CLI_EXIT_USAGE; /* message printed already */
                goto done;
            }
            if (st) {
                rc = cli_fail(ctx, "render");
                goto done;
            }
            have_theme |= c == 't';
        }
        }
    }
    if (optind != argc - 1) {
        rc = cli_usage_error("render", "give one DB");
        goto done;
    }
    if (!out) {
        rc = cli_usage_error("render", "give -o FILE.png|.svg|.pdf");
        goto done;
    }
    if (!have_theme) {
        rc = cli_usage_error("render", "give --theme (grids, coverage, "
                                          "staffing, allocation, plan, "
                                          "sites, ranking)");
        goto done;
    }
    sg_ctx_free(ctx);
    if (!(ctx = cli_ctx(&common))) {
        rc = CLI_EXIT_FAIL;
        goto done;
    }
    sg_render_result r;
    if (sg_store_open(ctx, argv[optind], SG_STORE_READONLY, &store) ||
        sg_render(ctx, store, ro, out, &r)) {
        rc = cli_fail(ctx, "render");
        goto done;
    }
    if (common.json)
        print_json(out, &r);
    else if (!common.quiet)
        printf(_("%s: %s map, %dx%d, %lld features, %lld labels, 1:%.0f\n"),
               out, r.theme, r.width, r.height, r.features, r.labels,
               r.scale_denominator);
    if (r.missing_glyphs > 0)
        fprintf(stderr,
                _("sanigrid render: warning: %lld characters could not be "
                "drawn; install fonts-noto-cjk\n"),
                r.missing_glyphs);
done:
    sg_store_close(store);
    sg_ctx_free(ctx);
    sg_render_options_free(ro);
    return rc;
}
