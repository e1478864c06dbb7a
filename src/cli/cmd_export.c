/* sanigrid export: a thin layer over sg_export(); its option table and
 * callbacks for cli_run (cli.h, "the command skeleton").
 * SPDX-License-Identifier: MIT */
#include <string.h>

#include "cli/cli.h"

/* The --help text is docs/cli/export.md (STYLE rule 24). */

typedef struct args {
    sg_export_options *eo;
    int format_given; /* --format: else the format of OUT's extension */
    long long n;      /* features written */
    int styled;       /* an SLD was written beside OUT */
} args;

/* spreadsheets and KML speak the CLI's language (--lang, LANG) */
static sg_status init(cli_call *call)
{
    args *a = CLI_ARGS(call, args);
    if (!(a->eo = sg_export_options_new()))
        return SG_ERR_NOMEM;
    return sg_export_options_set_lang(call->ctx, a->eo,
                                      cli_lang_zh() ? "zh" : "en");
}

static sg_status set_format(cli_call *call, const cli_value *v)
{
    sg_export_format format;
    sg_status st = sg_export_format_from_string(call->ctx, v->str, &format);
    if (st)
        return st;
    CLI_ARGS(call, args)->format_given = 1;
    return sg_export_options_set_format(call->ctx, CLI_ARGS(call, args)->eo,
                                        format);
}

static sg_status set_include_personal(cli_call *call, const cli_value *v)
{
    return sg_export_options_set_include_personal(
        call->ctx, CLI_ARGS(call, args)->eo, v->n);
}

static sg_status set_overwrite(cli_call *call, const cli_value *v)
{
    return sg_export_options_set_overwrite(call->ctx, CLI_ARGS(call, args)->eo,
                                           v->n);
}

static sg_status set_dst_crs(cli_call *call, const cli_value *v)
{
    return sg_export_options_set_datum(call->ctx, CLI_ARGS(call, args)->eo,
                                       v->str);
}

static sg_status set_encoding(cli_call *call, const cli_value *v)
{
    return sg_export_options_set_encoding(call->ctx, CLI_ARGS(call, args)->eo,
                                          v->str);
}

static const cli_option options[] = {
    {.name = "format", .kind = CLI_OPT_STRING, .set = set_format, .help = "F"},
    {.name = "include-personal",
     .kind = CLI_OPT_FLAG,
     .set = set_include_personal},
    {.name = "overwrite", .kind = CLI_OPT_FLAG, .set = set_overwrite},
    {.name = "dst-crs",
     .kind = CLI_OPT_STRING,
     .set = set_dst_crs,
     .help = "D"},
    {.name = "encoding",
     .kind = CLI_OPT_STRING,
     .set = set_encoding,
     .help = "E"},
    {.name = NULL}};

/* The format written: --format's, else OUT's extension's. */
static const char *format_of(const cli_call *call)
{
    const args *a = CLI_ARGS(call, args);
    return sg_export_format_to_string(
        a->format_given ? sg_export_options_get_format(a->eo)
                        : sg_export_format_for_path(call->pos[2]));
}

static sg_status run(cli_call *call)
{
    args *a = CLI_ARGS(call, args);
    const char *layer = call->pos[1], *out = call->pos[2];
    sg_status st = sg_export(call->ctx, call->store, layer, out, a->eo, &a->n);
    if (st)
        return st;
    /* the layer's map style beside a GeoJSON, as an SLD (OUT.sld) and as
     * a QGIS layer style (OUT.qml), so that QGIS can load the look of
     * sanigrid's maps */
    const char *fmt = format_of(call);
    if (fmt && !strcmp(fmt, "GeoJSON") &&
        ((st = sg_style_write_sidecar(call->ctx, layer, out, &a->styled)) ||
         (st = sg_style_write_qml_sidecar(call->ctx, layer, out, NULL)))) {
        /* a style that cannot be written is a failure, not a usage
         * error, even if the library says "not found" */
        call->rc = cli_fail(call->ctx, "export");
        return st;
    }
    return SG_OK;
}

static void print_json(const cli_call *call, sg_json *j)
{
    const args *a = CLI_ARGS(call, args);
    sg_json_str(j, "layer", call->pos[1]);
    sg_json_str(j, "file", call->pos[2]);
    sg_json_str(j, "format", format_of(call));
    sg_json_int(j, "features", a->n);
    sg_json_bool(j, "style", a->styled);
}

static void print_text(const cli_call *call)
{
    printf(_("%s: %lld features written to %s\n"), call->pos[1],
           CLI_ARGS(call, args)->n, call->pos[2]);
}

static void cleanup(cli_call *call)
{
    sg_export_options_free(CLI_ARGS(call, args)->eo);
}

static const cli_command command = {
    .name = "export",
    .options = options,
    .common = CLI_JSON | CLI_QUIET,
    .min_args = 3,
    .max_args = 3,
    .args_error = N_("give DB LAYER OUT"),
    .store = CLI_STORE_READ,
    .args_size = sizeof(args),
    .init = init,
    .run = run,
    .print_json = print_json,
    .print_text = print_text,
    .cleanup = cleanup,
    .usage_on = {SG_ERR_NOT_FOUND},
};

int cmd_export(int argc, char **argv)
{
    return cli_run(&command, argc, argv);
}
