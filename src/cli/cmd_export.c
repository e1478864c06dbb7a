/* sanigrid export: a thin layer over sg_export().
 * SPDX-License-Identifier: MIT */
#include <getopt.h>
#include <string.h>

#include "cli/cli.h"

/* The --help text is docs/cli/export.md (STYLE rule 24). */

int cmd_export(int argc, char **argv)
{
    static const struct option opts[] = {
        {"format", required_argument, NULL, 'f'},
        {"include-personal", no_argument, NULL, 'p'},
        {"overwrite", no_argument, NULL, 'o'},
        {"dst-crs", required_argument, NULL, 'd'},
        {"encoding", required_argument, NULL, 'e'},
        {"json", no_argument, NULL, 'j'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    cli_common common = {0};
    sg_export_options *eo = sg_export_options_new();
    sg_ctx *ctx = NULL;
    sg_store *store = NULL;
    const char *format = NULL, *datum = NULL, *encoding = NULL;
    int c, rc = CLI_EXIT_OK;
    if (!eo)
        return CLI_EXIT_FAIL;
    optind = 0;
    while ((c = getopt_long(argc, argv, "hq", opts, NULL)) != -1) {
        switch (c) {
        case 'f': format = optarg; break;
        case 'p': sg_export_options_set_include_personal(eo, 1); break;
        case 'o': sg_export_options_set_overwrite(eo, 1); break;
        case 'd': datum = optarg; break;
        case 'e': encoding = optarg; break;
        case 'j': common.json = 1; break;
        case 'q': common.quiet = 1; break;
        case 'h': cli_help("export"); goto done;
        default: rc = cli_usage_error("export", "bad option"); goto done;
        }
    }
    if (optind != argc - 3) {
        rc = cli_usage_error("export", "give DB LAYER OUT");
        goto done;
    }
    ctx = cli_ctx(&common);
    if (!ctx) {
        rc = CLI_EXIT_FAIL;
        goto done;
    }
    /* spreadsheets and KML speak the CLI's language (--lang, LANG) */
    if ((format && sg_export_options_set_format(ctx, eo, format)) ||
        sg_export_options_set_lang(ctx, eo, cli_lang_zh() ? "zh" : "en") ||
        (datum && sg_export_options_set_datum(ctx, eo, datum)) ||
        (encoding && sg_export_options_set_encoding(ctx, eo, encoding))) {
        rc = cli_usage_error("export", "%s", sg_ctx_errmsg(ctx));
        goto done;
    }
    const char *db = argv[optind], *layer = argv[optind + 1],
               *out = argv[optind + 2];
    long long n = 0;
    if (sg_store_open(ctx, db, SG_STORE_READONLY, &store) ||
        sg_export(ctx, store, layer, out, eo, &n)) {
        rc = cli_fail(ctx, "export");
        if (sg_ctx_status(ctx) == SG_ERR_NOT_FOUND)
            rc = CLI_EXIT_USAGE;
        goto done;
    }
    /* the layer's map style beside a GeoJSON, as an SLD (OUT.sld) and as
     * a QGIS layer style (OUT.qml), so that QGIS can load the look of
     * sanigrid's maps */
    int styled = 0;
    const char *fmt = format ? sg_export_options_get_format(eo)
                             : sg_export_format_for_path(out);
    if (fmt && !strcmp(fmt, "GeoJSON") &&
        (sg_style_write_sidecar(ctx, layer, out, &styled) ||
         sg_style_write_qml_sidecar(ctx, layer, out, NULL))) {
        rc = cli_fail(ctx, "export");
        goto done;
    }
    if (common.json) {
        sg_json j;
        sg_json_begin(&j, stdout);
        sg_json_object(&j, NULL);
        sg_json_str(&j, "layer", layer);
        sg_json_str(&j, "file", out);
        sg_json_str(&j, "format",
                    format ? sg_export_options_get_format(eo)
                           : sg_export_format_for_path(out));
        sg_json_int(&j, "features", n);
        sg_json_bool(&j, "style", styled);
        sg_json_end_object(&j);
        sg_json_finish(&j);
    } else if (!common.quiet) {
        printf(_("%s: %lld features written to %s\n"), layer, n, out);
    }
done:
    sg_store_close(store);
    sg_ctx_free(ctx);
    sg_export_options_free(eo);
    return rc;
}
