/* sanigrid report: a thin layer over sg_report().
 * SPDX-License-Identifier: MIT */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "sanigrid/render.h"

/* The --help text is docs/cli/report.md (STYLE rule 24). */

/* The CLI's language (--lang, else LC_ALL/LC_MESSAGES/LANG): "zh" or
 * "en"; the map's text follows it. */
static const char *env_lang(void)
{
    return cli_lang_zh() ? "zh" : "en";
}

int cmd_report(int argc, char **argv)
{
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'},
        {"lang", required_argument, NULL, 'l'},
        {"date", required_argument, NULL, 'D'},
        {"attribution", required_argument, NULL, 'a'},
        {"svg-max-features", required_argument, NULL, 'S'},
        {"json", no_argument, NULL, 'j'},
        {"quiet", no_argument, NULL, 'q'},
        {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    /* --help wins over every other argument, even ones that would fail */
    if (cli_help_asked("report", argc, argv))
        return CLI_EXIT_OK;
    cli_common common = {0};
    sg_render_options *ro = sg_render_options_new();
    sg_ctx *ctx = sg_ctx_new();
    sg_store *store = NULL;
    const char *out = NULL;
    int c, rc = CLI_EXIT_OK;
    if (!ro || !ctx) {
        fprintf(stderr, _("sanigrid report: out of memory\n"));
        rc = CLI_EXIT_FAIL;
        goto done;
    }
    sg_render_options_set_lang(ctx, ro, env_lang());
    /* where Leaflet is (tests point it elsewhere); default: Debian's */
    if (getenv("SANIGRID_LEAFLET_DIR") &&
        sg_render_options_set_leaflet_dir(ctx, ro,
                                          getenv("SANIGRID_LEAFLET_DIR"))) {
        rc = cli_fail(ctx, "report");
        goto done;
    }
    optind = 0;
    while ((c = getopt_long(argc, argv, "ho:qv", opts, NULL)) != -1) {
        sg_status st = SG_OK;
        switch (c) {
        case 'o': out = optarg; break;
        case 'l': st = sg_render_options_set_lang(ctx, ro, optarg); break;
        case 'D': st = sg_render_options_set_date(ctx, ro, optarg); break;
        case 'a':
            st = sg_render_options_set_attribution(ctx, ro, optarg);
            break;
        case 'S': {
            char *end = NULL;
            errno = 0;
            long long n = strtoll(optarg, &end, 10);
            if (errno || end == optarg || *end || n < 0) {
                rc = cli_usage_error("report",
                                        "--svg-max-features: a count >= 0");
                goto done;
            }
            st = sg_render_options_set_svg_max_features(ctx, ro, n);
            break;
        }
        case 'j': common.json = 1; break;
        case 'q': common.quiet = 1; break;
        case 'v': common.verbose = 1; break;
        case 'h': cli_help("report"); goto done;
        default: rc = cli_usage_error("report", "bad option"); goto done;
        }
        if (st) {
            rc = cli_fail(ctx, "report");
            goto done;
        }
    }
    if (optind != argc - 1) {
        rc = cli_usage_error("report", "give one DB");
        goto done;
    }
    if (!out) {
        rc = cli_usage_error("report", "give -o report.html");
        goto done;
    }
    sg_ctx_free(ctx);
    if (!(ctx = cli_ctx(&common))) {
        rc = CLI_EXIT_FAIL;
        goto done;
    }
    sg_report_result r;
    if (sg_store_open(ctx, argv[optind], SG_STORE_READONLY, &store) ||
        sg_report(ctx, store, ro, out, &r)) {
        rc = cli_fail(ctx, "report");
        goto done;
    }
    if (common.json) {
        sg_json j;
        sg_json_begin(&j, stdout);
        sg_json_object(&j, NULL);
        sg_json_str(&j, "file", out);
        sg_json_int(&j, "sections", r.sections);
        sg_json_int(&j, "maps", r.maps);
        sg_json_int(&j, "png_maps", r.png_maps);
        sg_json_int(&j, "tables", r.tables);
        sg_json_int(&j, "charts", r.charts);
        if (r.webmap) {
            sg_json_object(&j, "webmap");
            sg_json_int(&j, "villages", r.webmap_villages);
            sg_json_int(&j, "grids", r.webmap_grids);
            sg_json_int(&j, "points", r.webmap_points);
            sg_json_int(&j, "cells", r.webmap_cells);
            sg_json_end_object(&j);
        } else {
            sg_json_null(&j, "webmap");
        }
        sg_json_int(&j, "bytes", r.bytes);
        sg_json_end_object(&j);
        sg_json_finish(&j);
    } else if (!common.quiet) {
        printf(_("%s: %d sections, %d maps, %d tables\n"), out, r.sections,
               r.maps, r.tables);
    }
done:
    sg_store_close(store);
    sg_ctx_free(ctx);
    sg_render_options_free(ro);
    return rc;
}
