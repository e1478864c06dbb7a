/* sanigrid export: a thin layer over sg_export().
 * SPDX-License-Identifier: MIT */
#include <getopt.h>
#include <string.h>

#include "cli/cli.h"

static const char help[] =
    "usage: sanigrid export DB LAYER OUT [--format F] [--include-personal]\n"
    "                       [--overwrite] [--json]\n\n"
    "Export any layer of the store (input or result) to OUT.\n\n"
    "  --format F          GeoJSON, GPKG, KML, CSV, XLSX or \"ESRI Shapefile\";\n"
    "                      default from OUT's extension (.geojson .gpkg .kml\n"
    "                      .csv .xlsx .shp)\n"
    "  --include-personal  keep personal fields (household_head, phone,\n"
    "                      grid_leader, cleaners' names, inspectors); they\n"
    "                      are left out by default\n"
    "  --overwrite         replace OUT if it exists\n"
    "  --json              print {layer, file, format, features}\n\n"
    "GeoJSON follows RFC 7946 (WGS 84 lon/lat); KML is WGS 84; Shapefile is\n"
    "written as UTF-8 with a .cpg; GPKG keeps the working CRS; CSV and XLSX\n"
    "get lon/lat columns (CSV also WKT geometry in WGS 84). Beside a\n"
    "GeoJSON, the layer's map style is written as an SLD (OUT.sld) and as\n"
    "a QGIS layer style (OUT.qml, QGIS 3.22 or later) that QGIS loads\n"
    "(Layer Properties > Style > Load Style); QGIS also applies OUT.qml by\n"
    "itself when it opens OUT.geojson.\n\n"
    "Exit codes: 0 written, 1 failure, 2 usage error, 3 store cannot be "
    "opened.\n";

int sg_cmd_export(int argc, char **argv)
{
    static const struct option opts[] = {
        {"format", required_argument, NULL, 'f'},
        {"include-personal", no_argument, NULL, 'p'},
        {"overwrite", no_argument, NULL, 'o'},
        {"json", no_argument, NULL, 'j'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    sg_cli_common common = {0};
    sg_export_options *eo = sg_export_options_new();
    sg_ctx *ctx = NULL;
    sg_store *store = NULL;
    const char *format = NULL;
    int c, rc = SG_EXIT_OK;
    if (!eo)
        return SG_EXIT_FAIL;
    optind = 0;
    while ((c = getopt_long(argc, argv, "hq", opts, NULL)) != -1) {
        switch (c) {
        case 'f': format = optarg; break;
        case 'p': sg_export_options_set_include_personal(eo, 1); break;
        case 'o': sg_export_options_set_overwrite(eo, 1); break;
        case 'j': common.json = 1; break;
        case 'q': common.quiet = 1; break;
        case 'h': fputs(help, stdout); goto done;
        default: rc = sg_cli_usage_error("export", "bad option"); goto done;
        }
    }
    if (optind != argc - 3) {
        rc = sg_cli_usage_error("export", "give DB LAYER OUT");
        goto done;
    }
    ctx = sg_cli_ctx(&common);
    if (!ctx) {
        rc = SG_EXIT_FAIL;
        goto done;
    }
    if (format && sg_export_options_set_format(ctx, eo, format)) {
        rc = sg_cli_fail(ctx, "export");
        goto done;
    }
    const char *db = argv[optind], *layer = argv[optind + 1],
               *out = argv[optind + 2];
    long long n = 0;
    if (sg_store_open(ctx, db, SG_STORE_READONLY, &store) ||
        sg_export(ctx, store, layer, out, eo, &n)) {
        rc = sg_cli_fail(ctx, "export");
        if (sg_ctx_status(ctx) == SG_ERR_NOT_FOUND)
            rc = SG_EXIT_USAGE;
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
        rc = sg_cli_fail(ctx, "export");
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
        printf("%s: %lld features written to %s\n", layer, n, out);
    }
done:
    sg_store_close(store);
    sg_ctx_free(ctx);
    sg_export_options_free(eo);
    return rc;
}
