/* sanigrid info: describe a store; its option table and callbacks for
 * cli_run (cli.h, "the command skeleton").
 * SPDX-License-Identifier: MIT */
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
        printf(_("  %s = %s (default %s)\n"), s->key, s->value,
               s->default_value);
    }
    c->any = 1;
    return 0;
}

typedef struct args {
    int runs; /* --runs: the last N runs */
    sg_layer_info *layers;
    size_t nl;
    sg_run_info *run;
    size_t nr;
} args;

static sg_status init(cli_call *call)
{
    CLI_ARGS(call, args)->runs = 10;
    return SG_OK;
}

static const cli_option options[] = {{.name = "runs",
                                      .kind = CLI_OPT_INT,
                                      .offset = CLI_AT(args, runs),
                                      .help = "N",
                                      .max = 100000},
                                     {.name = NULL}};

static sg_status run(cli_call *call)
{
    args *a = CLI_ARGS(call, args);
    sg_status st = sg_store_layers(call->ctx, call->store, &a->layers, &a->nl);
    if (st == SG_OK)
        st = sg_store_runs(call->ctx, call->store, a->runs, &a->run, &a->nr);
    return st;
}

/* "EPSG:n" of the store into \p buf, "" when not chosen yet. */
static const char *crs_of(const cli_call *call, char *buf, size_t size)
{
    int srid = sg_store_srid(call->store);
    buf[0] = '\0';
    if (srid)
        snprintf(buf, size, "EPSG:%d", srid);
    return buf;
}

static void print_json(const cli_call *call, sg_json *j)
{
    const args *a = CLI_ARGS(call, args);
    const sg_layer_info *layers = a->layers;
    const sg_run_info *runs = a->run;
    char crs[32];
    crs_of(call, crs, sizeof crs);
    sg_json_str(j, "store", call->pos[0]);
    sg_json_int(j, "schema_version", sg_store_schema_version(call->store));
    sg_json_str(j, "crs", *crs ? crs : NULL);
    sg_json_object(j, "layers");
    for (size_t i = 0; i < a->nl; i++) {
        sg_json_object(j, layers[i].name);
        sg_json_str(j, "kind", layers[i].kind);
        sg_json_str(j, "geometry_type", layers[i].geometry_type);
        sg_json_int(j, "count", layers[i].count);
        if (layers[i].has_extent) {
            sg_json_array(j, "extent");
            for (int k = 0; k < 4; k++)
                sg_json_num(j, NULL, layers[i].extent[k]);
            sg_json_end_array(j);
            sg_json_array(j, "extent_lonlat");
            for (int k = 0; k < 4; k++)
                sg_json_num(j, NULL, layers[i].extent_lonlat[k]);
            sg_json_end_array(j);
        } else {
            sg_json_null(j, "extent");
        }
        sg_json_end_object(j);
    }
    sg_json_end_object(j);
    sg_json_object(j, "settings");
    changed ch = {j, 0};
    sg_settings_foreach(call->ctx, call->store, setting_cb, &ch);
    sg_json_end_object(j);
    sg_json_array(j, "runs");
    for (size_t i = 0; i < a->nr; i++) {
        sg_json_object(j, NULL);
        sg_json_int(j, "run_id", runs[i].run_id);
        sg_json_str(j, "command", runs[i].command);
        sg_json_str(j, "started_at", runs[i].started_at);
        sg_json_num(j, "seconds", runs[i].seconds);
        sg_json_raw(j, "params", runs[i].params);
        sg_json_raw(j, "counts", runs[i].counts);
        sg_json_end_object(j);
    }
    sg_json_end_array(j);
}

static void print_text(const cli_call *call)
{
    const args *a = CLI_ARGS(call, args);
    const sg_layer_info *layers = a->layers;
    const sg_run_info *runs = a->run;
    char crs[32];
    crs_of(call, crs, sizeof crs);
    printf(_("store %s\nschema version %d\nworking CRS %s\n"), call->pos[0],
           sg_store_schema_version(call->store),
           *crs ? crs : _("(not chosen yet: set at the first import)"));
    /* TRANSLATORS: column heads over "%-20s %-13s %10lld  %.5f ...":
       keep each head over its column (a CJK character is 2 columns). */
    fputs(_("\nlayer                geometry           count  extent "
            "(lon/lat)\n"),
          stdout);
    for (size_t i = 0; i < a->nl; i++) {
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
    sg_settings_foreach(call->ctx, call->store, setting_cb, &ch);
    if (!ch.any)
        printf(_("all settings at their defaults (`sanigrid config %s "
                 "list`)\n"),
               call->pos[0]);
    if (a->nr) {
        printf(_("\nlast runs:\n"));
        for (size_t i = 0; i < a->nr; i++)
            printf("  #%lld %s %s (%.2f s) %s %s\n", runs[i].run_id,
                   runs[i].started_at, runs[i].command, runs[i].seconds,
                   runs[i].params ? runs[i].params : "",
                   runs[i].counts ? runs[i].counts : "");
    }
}

static void cleanup(cli_call *call)
{
    args *a = CLI_ARGS(call, args);
    sg_layer_info_free(a->layers, a->nl);
    sg_run_info_free(a->run, a->nr);
}

static const cli_command command = {
    .name = "info",
    .options = options,
    .common = CLI_JSON,
    .min_args = 1,
    .max_args = 1,
    .args_error = N_("give one store path"),
    .store = CLI_STORE_READ,
    .args_size = sizeof(args),
    .init = init,
    .run = run,
    .print_json = print_json,
    .print_text = print_text,
    .cleanup = cleanup,
};

int cmd_info(int argc, char **argv)
{
    return cli_run(&command, argc, argv);
}
