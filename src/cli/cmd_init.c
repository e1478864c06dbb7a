/* sanigrid init: create a store; its option table and callbacks for
 * cli_run (cli.h, "the command skeleton").
 * SPDX-License-Identifier: MIT */
#include <string.h>

#include "cli/cli.h"

/* The --help text is docs/cli/init.md (STYLE rule 24). */

typedef struct args {
    int srid; /* --crs, 0: chosen at the first import */
} args;

static sg_status set_crs(cli_call *call, const cli_value *v)
{
    if (!(CLI_ARGS(call, args)->srid = cli_parse_epsg(v->str))) {
        cli_usage_error("init", "--crs takes EPSG:n, got '%s'", v->str);
        return SG_ERR_USAGE;
    }
    return SG_OK;
}

static const cli_option options[] = {
    {.name = "crs", .kind = CLI_OPT_STRING, .set = set_crs, .help = "EPSG:n"},
    {.name = NULL}};

static sg_status run(cli_call *call)
{
    return sg_store_create(call->ctx, call->pos[0], CLI_ARGS(call, args)->srid,
                           &call->store);
}

static void print_json(const cli_call *call, sg_json *j)
{
    int srid = CLI_ARGS(call, args)->srid;
    sg_json_str(j, "store", call->pos[0]);
    sg_json_int(j, "schema_version", sg_store_schema_version(call->store));
    if (srid) {
        char buf[32];
        snprintf(buf, sizeof buf, "EPSG:%d", srid);
        sg_json_str(j, "crs", buf);
    } else {
        sg_json_null(j, "crs");
    }
}

static void print_text(const cli_call *call)
{
    int srid = CLI_ARGS(call, args)->srid;
    if (srid)
        printf(_("created %s (schema %d, working CRS EPSG:%d)\n"), call->pos[0],
               sg_store_schema_version(call->store), srid);
    else
        printf(_("created %s (schema %d; the working CRS will be chosen "
                 "at the first import)\n"),
               call->pos[0], sg_store_schema_version(call->store));
}

static const cli_command command = {
    .name = "init",
    .options = options,
    .common = CLI_JSON | CLI_QUIET,
    .min_args = 1,
    .max_args = 1,
    .args_error = N_("give exactly one store path"),
    .store = CLI_STORE_NONE, /* run creates it */
    .args_size = sizeof(args),
    .run = run,
    .print_json = print_json,
    .print_text = print_text,
    .usage_on = {SG_ERR_CRS},
};

int cmd_init(int argc, char **argv)
{
    return cli_run(&command, argc, argv);
}
