/* sanigrid info: describe a store. SPDX-License-Identifier: MIT */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

/* The --help text is docs/cli/info.md (STYLE rule 24). */

typedef struct changed {
    sg_json *j;
    int any;
} changed;

/* Settings differing from the default, as JSON or text. */
static int setting_cb(const sg_setting *s, void *user)
{
    changed *c = user;
    if (strcmp(s->value, s->default_value) == 0)
        return 0;
    if (c->j) {
        sg_json_str(c->j, s->key, s->value);
    } else {
        if (!c->any)
            printf(_("settings changed from their defaults:\n"));
        printf(_("  %s = %s (default %s)\n"), s->key, s->value, s->default_value);
    }
    c->any = 1;
    return 0;
}

int cmd_info(int argc, char **argv)
{
    static const struct option opts[] = {
        {"json", no_argument, NULL, 'j'},
        {"runs", required_argument, NULL, 'r'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    cli_common common = {0};
    int c, nruns = 10;
    optind = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'j': common.json = 1; break;
        case 'r': {
            char *end = NULL;
            long v = strtol(optarg, &end, 10);
            if (end == optarg || *end || v < 0 || v > 100000)
                return cli_usage_error("info",
                                          "--runs takes a whole number >= 0, "
                                          "got '%s'",
                                          optarg);
            nruns = (int)v;
            break;
        }
        case 'h': cli_help("info"); return CLI_EXIT_OK;
        default: return cli_usage_error("info", "bad option");
        }
    }
    if (optind != argc - 1)
        return cli_usage_error("info", "give one store path");
    sg_ctx *ctx = cli_ctx(&common);
    sg_store *store = NULL;
    sg_layer_info *layers = NULL;
    sg_run_info *runs = NULL;
    size_t nl = 0, nr = 0;
    int rc = CLI_EXIT_OK;
    if (!ctx)
        return CLI_EXIT_FAIL;
    if (sg_store_open(ctx, argv[optind], SG_STORE_READONLY, &store) ||
        sg_store_layers(ctx, store, &layers, &nl) ||
        sg_store_runs(ctx, store, nruns, &runs, &nr)) {
        rc = cli_fail(ctx, "info");
        goto done;
    }
    int srid = sg_store_srid(store);
    char crs[32] = "";
    if (srid)
        snprintf(crs, sizeof crs, "EPSG:%d", srid);
    if (common.json) {
        sg_json j;
        sg_json_begin(&j, stdout);
        sg_json_object(&j, NULL);
        sg_json_str(&j, "store", argv[optind]);
        sg_json_int(&j, "schema_version", sg_store_schema_version(store));
        sg_json_str(&j, "crs", srid ? crs : NULL);
        sg_json_object(&j, "layers");
        for (size_t i = 0; i < nl; i++) {
            sg_json_object(&j, layers[i].name);
            sg_json_str(&j, "kind", layers[i].kind);
            sg_json_str(&j, "geometry_type", layers[i].geometry_type);
            sg_json_int(&j, "count", layers[i].count);
            if (layers[i].has_extent) {
                sg_json_array(&j, "extent");
                for (int k = 0; k < 4; k++)
                    sg_json_num(&j, NULL, layers[i].extent[k]);
                sg_json_end_array(&j);
                sg_json_array(&j, "extent_lonlat");
                for (int k = 0; k < 4; k++)
                    sg_json_num(&j, NULL, layers[i].extent_lonlat[k]);
                sg_json_end_array(&j);
            } else {
                sg_json_null(&j, "extent");
            }
            sg_json_end_object(&j);
        }
        sg_json_end_object(&j);
        sg_json_object(&j, "settings");
        changed ch = {&j, 0};
        sg_settings_foreach(ctx, store, setting_cb, &ch);
        sg_json_end_object(&j);
        sg_json_array(&j, "runs");
        for (size_t i = 0; i < nr; i++) {
            sg_json_object(&j, NULL);
            sg_json_int(&j, "run_id", runs[i].run_id);
            sg_json_str(&j, "command", runs[i].command);
            sg_json_str(&j, "started_at", runs[i].started_at);
            sg_json_num(&j, "seconds", runs[i].seconds);
            sg_json_raw(&j, "params", runs[i].params);
            sg_json_raw(&j, "counts", runs[i].counts);
            sg_json_end_object(&j);
        }
        sg_json_end_array(&j);
        sg_json_end_object(&j);
        sg_json_finish(&j);
        goto done;
    }
    printf(_("store %s\nschema version %d\nworking CRS %s\n"), argv[optind],
           sg_store_schema_version(store),
           srid ? crs : _("(not chosen yet: set at the first import)"));
    /* TRANSLATORS: column heads over "%-20s %-13s %10lld  %.5f ...":
       keep each head over its column (a CJK character is 2 columns). */
    fputs(_("\nlayer                geometry           count  extent (lon/lat)\n"),
          stdout);
    for (size_t i = 0; i < nl; i++) {
        printf("%-20s %-13s %10lld", layers[i].name,
               layers[i].geometry_type ? layers[i].geometry_type : "-",
               layers[i].count);
        if (layers[i].has_extent)
            printf("  %.5f %.5f, %.5f %.5f", layers[i].extent_lonlat[0],
                   layers[i].extent_lonlat[1], layers[i].extent_lonlat[2],
                   layers[i].extent_lonlat[3]);
        printf("\n");
    }
    printf("\n");
    changed ch = {NULL, 0};
    sg_settings_foreach(ctx, store, setting_cb, &ch);
    if (!ch.any)
        printf(_("all settings at their defaults (`sanigrid config %s "
                 "list`)\n"),
               argv[optind]);
    if (nr) {
        printf(_("\nlast runs:\n"));
        for (size_t i = 0; i < nr; i++)
            printf("  #%lld %s %s (%.2f s) %s %s\n", runs[i].run_id,
                   runs[i].started_at, runs[i].command, runs[i].seconds,
                   runs[i].params ? runs[i].params : "",
                   runs[i].counts ? runs[i].counts : "");
    }
done:
    sg_layer_info_free(layers, nl);
    sg_run_info_free(runs, nr);
    sg_store_close(store);
    sg_ctx_free(ctx);
    return rc;
}
