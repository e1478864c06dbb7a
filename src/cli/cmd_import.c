/* sanigrid import: a thin layer over sg_import(): its option table and
 * run callback for cli_run (cli.h, "the command skeleton"). run prints
 * the result itself: what import prints and its exit code depend on how
 * far it got (a summary for a file read with rejects, the JSON object
 * also on failure).
 * SPDX-License-Identifier: MIT */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"

/* The --help text is docs/cli/import.md (STYLE rule 24). */

/* Print the human summary of an import. */
static void print_summary(const sg_import_result *r, int quiet)
{
    if (quiet)
        return;
    printf(_("mapping:"));
    for (size_t i = 0; i < r->nmap; i++)
        if (r->map[i].automatic == 2)
            printf("%s %s = %s (--set)", i ? "," : "", r->map[i].field,
                   r->map[i].column);
        else
            printf("%s %s <- %s%s", i ? "," : "", r->map[i].field,
                   r->map[i].column, r->map[i].automatic ? "" : " (--map)");
    printf("%s\n", r->nmap ? "" : _(" (no columns matched)"));
    if (r->nunused) {
        printf(_("unused columns:"));
        for (size_t i = 0; i < r->nunused; i++)
            printf("%s %s", i ? "," : "", r->unused[i]);
        printf(_(" (not imported; take one with --map FIELD=COLUMN)\n"));
    }
    printf(_("source layer %s, CRS %s%s%s\n"),
           r->source_layer ? r->source_layer : "?",
           r->src_crs ? r->src_crs : _("none"), r->encoding ? _(", text ") : "",
           r->encoding ? r->encoding : "");
    if (r->srid_chosen)
        printf(_("working CRS chosen: EPSG:%d\n"), r->srid);
    printf(_("%s: read %lld, imported %lld, repaired %lld, rejected %lld\n"),
           r->layer, r->read, r->imported, r->repaired, r->rejected);
    if (r->rejected) {
        for (size_t i = 0; i < r->nsamples; i++)
            printf(_("  rejected %s\n"), r->samples[i]);
        if ((long long)r->nsamples < r->rejected)
            printf(_("  ... and %lld more\n"),
                   r->rejected - (long long)r->nsamples);
        if (r->rejects_path)
            printf(_("rejects written to %s\n"), r->rejects_path);
    }
}

/* Append \p w to \p b (size \p size) as one shell word: as it is when
 * it holds only characters the shell leaves alone, else in single
 * quotes. */
static void shell_word(char *b, size_t size, const char *w)
{
    size_t n = strlen(b);
    int plain = *w != '\0';
    for (const char *p = w; *p && plain; p++)
        plain = (unsigned char)*p >= 0x80 || isalnum((unsigned char)*p) ||
                strchr("._/-+=:,@%", *p);
    if (plain) {
        snprintf(b + n, size - n, "%s", w);
        return;
    }
    if (n + 1 < size)
        b[n++] = '\'';
    for (const char *p = w; *p && n + 5 < size; p++) {
        if (*p == '\'') {
            memcpy(b + n, "'\\''", 4);
            n += 4;
        } else {
            b[n++] = *p;
        }
    }
    if (n + 1 < size)
        b[n++] = '\'';
    b[n] = '\0';
}

/* The command that imports \p src again with the offset the check
 * suspects, into \p b. */
static void reimport_command(char *b, size_t size, const sg_import_result *r,
                             const char *db, const char *src)
{
    snprintf(b, size, "sanigrid import ");
    shell_word(b, size, db);
    size_t n = strlen(b);
    snprintf(b + n, size - n, " %s ", r->layer);
    shell_word(b, size, src);
    n = strlen(b);
    snprintf(b + n, size - n, " --src-crs %s%s", r->offset.suspect,
             r->offset.layer_only_these ? " --mode replace" : "");
}

/* Warn when the points look like GCJ-02 or BD-09 coordinates read as
 * WGS 84, with the command that imports them right. */
static void print_offset(const sg_import_result *r, const char *db,
                         const char *src)
{
    const sg_offset_check *o = &r->offset;
    if (!o->suspect)
        return;
    int bd = !strcmp(o->suspect, "bd09");
    char cmd[8192];
    reimport_command(cmd, sizeof cmd, r, db, src);
    fprintf(stderr,
            _("sanigrid: warning: %s: the %s stand %.0f m from the nearest "
              "road (median of %lld), but %.0f m once read as %s: they look "
              "like %s coordinates, not WGS 84. Import them again with:\n"
              "  %s\n"),
            src, r->layer, o->median_m, o->sample,
            bd ? o->median_bd09_m : o->median_gcj02_m, o->suspect,
            bd ? _("Baidu (BD-09)") : _("Amap/Tencent/Ovital (GCJ-02)"), cmd);
    if (!o->layer_only_these)
        fprintf(stderr, _("  (the layer also holds rows of earlier imports: "
                          "remove the rows imported now first, or import "
                          "into a new store)\n"));
}

/* 1 if DB LAYER were given as LAYER DB ("import households town.sqlite
 * file"): the first is a layer name that is no file, the second is not a
 * layer name. */
static int wrong_order(const char *db, const char *layer)
{
    const char *const *names = sg_input_layer_names();
    int db_is_layer = 0, layer_is_layer = 0;
    for (size_t i = 0; names[i]; i++) {
        db_is_layer |= !strcmp(names[i], db);
        layer_is_layer |= !strcmp(names[i], layer);
    }
    return db_is_layer && !layer_is_layer && access(db, F_OK) != 0;
}

static void print_json(const sg_import_result *r, sg_status st, const char *err,
                       const char *snapshot, const char *db, const char *src)
{
    sg_json j;
    sg_json_begin(&j, stdout);
    sg_json_object(&j, NULL);
    sg_json_str(&j, "layer", r ? r->layer : NULL);
    sg_json_int(&j, "read", r ? r->read : 0);
    sg_json_int(&j, "imported", r ? r->imported : 0);
    sg_json_int(&j, "repaired", r ? r->repaired : 0);
    sg_json_int(&j, "rejected", r ? r->rejected : 0);
    sg_json_str(&j, "src_crs", r ? r->src_crs : NULL);
    if (r && r->srid) {
        char buf[32];
        snprintf(buf, sizeof buf, "EPSG:%d", r->srid);
        sg_json_str(&j, "crs", buf);
    } else {
        sg_json_null(&j, "crs");
    }
    sg_json_str(&j, "source_layer", r ? r->source_layer : NULL);
    sg_json_str(&j, "encoding", r ? r->encoding : NULL);
    sg_json_str(&j, "rejects_file", r ? r->rejects_path : NULL);
    sg_json_object(&j, "mapping");
    for (size_t i = 0; r && i < r->nmap; i++)
        if (r->map[i].automatic != 2)
            sg_json_str(&j, r->map[i].field, r->map[i].column);
    sg_json_end_object(&j);
    sg_json_object(&j, "set");
    for (size_t i = 0; r && i < r->nmap; i++)
        if (r->map[i].automatic == 2)
            sg_json_str(&j, r->map[i].field, r->map[i].column);
    sg_json_end_object(&j);
    sg_json_array(&j, "unused");
    for (size_t i = 0; r && i < r->nunused; i++)
        sg_json_str(&j, NULL, r->unused[i]);
    sg_json_end_array(&j);
    sg_json_str(&j, "snapshot", snapshot);
    if (r && r->offset.checked) {
        const sg_offset_check *o = &r->offset;
        sg_json_object(&j, "offset_check");
        sg_json_int(&j, "sample", o->sample);
        sg_json_num(&j, "median_m", o->median_m);
        sg_json_num(&j, "median_gcj02_m", o->median_gcj02_m);
        sg_json_num(&j, "median_bd09_m", o->median_bd09_m);
        sg_json_num(&j, "closer_gcj02", o->closer_gcj02);
        sg_json_num(&j, "closer_bd09", o->closer_bd09);
        sg_json_str(&j, "suspect", o->suspect);
        if (o->suspect) {
            char cmd[8192];
            reimport_command(cmd, sizeof cmd, r, db, src);
            sg_json_str(&j, "reimport", cmd);
        } else {
            sg_json_null(&j, "reimport");
        }
        sg_json_end_object(&j);
    } else {
        sg_json_null(&j, "offset_check");
    }
    sg_json_str(&j, "status", sg_status_name(st));
    if (st != SG_OK)
        sg_json_str(&j, "error", err);
    sg_json_end_object(&j);
    sg_json_finish(&j);
}

typedef struct args {
    sg_import_options *io;
    const char *x, *y;
} args;

static sg_status init(cli_call *call)
{
    args *a = CLI_ARGS(call, args);
    return (a->io = sg_import_options_new()) ? SG_OK : SG_ERR_NOMEM;
}

/* The library's setters are called without a context here, so that a
 * refusal gets import's own usage error. */
static sg_status set_source_layer(cli_call *call, const cli_value *v)
{
    if (sg_import_options_set_source_layer(NULL, CLI_ARGS(call, args)->io,
                                           v->str))
        return SG_ERR_NOMEM;
    return SG_OK;
}

static sg_status set_map(cli_call *call, const cli_value *v)
{
    if (sg_import_options_add_map(NULL, CLI_ARGS(call, args)->io, v->str)) {
        cli_usage_error("import", "--map takes FIELD=COLUMN, got '%s'", v->str);
        return SG_ERR_USAGE;
    }
    return SG_OK;
}

static sg_status set_set(cli_call *call, const cli_value *v)
{
    if (sg_import_options_add_set(NULL, CLI_ARGS(call, args)->io, v->str)) {
        cli_usage_error("import", "--set takes FIELD=VALUE, got '%s'", v->str);
        return SG_ERR_USAGE;
    }
    return SG_OK;
}

static sg_status set_src_crs(cli_call *call, const cli_value *v)
{
    if (sg_import_options_set_src_crs(NULL, CLI_ARGS(call, args)->io, v->str))
        return SG_ERR_NOMEM;
    return SG_OK;
}

static sg_status set_encoding(cli_call *call, const cli_value *v)
{
    if (sg_import_options_set_encoding(NULL, CLI_ARGS(call, args)->io,
                                       v->str)) {
        cli_usage_error("import",
                        "--encoding: unknown text encoding '%s' "
                        "(`iconv -l` lists the names)",
                        v->str);
        return SG_ERR_USAGE;
    }
    return SG_OK;
}

static sg_status set_mode(cli_call *call, const cli_value *v)
{
    return sg_import_options_set_replace(call->ctx, CLI_ARGS(call, args)->io,
                                         v->n == 1);
}

static sg_status set_rejects(cli_call *call, const cli_value *v)
{
    if (sg_import_options_set_rejects(NULL, CLI_ARGS(call, args)->io, v->str))
        return SG_ERR_NOMEM;
    return SG_OK;
}

static const char *const modes[] = {"append", "replace", NULL};

static const cli_option options[] = {{.name = "source-layer",
                                      .kind = CLI_OPT_STRING,
                                      .set = set_source_layer,
                                      .help = "NAME"},
                                     {.name = "map",
                                      .kind = CLI_OPT_STRING,
                                      .set = set_map,
                                      .help = "FIELD=COLUMN"},
                                     {.name = "set",
                                      .kind = CLI_OPT_STRING,
                                      .set = set_set,
                                      .help = "FIELD=VALUE"},
                                     {.name = "src-crs",
                                      .kind = CLI_OPT_STRING,
                                      .set = set_src_crs,
                                      .help = "CRS"},
                                     {.name = "x",
                                      .kind = CLI_OPT_STRING,
                                      .offset = CLI_AT(args, x),
                                      .help = "COL"},
                                     {.name = "y",
                                      .kind = CLI_OPT_STRING,
                                      .offset = CLI_AT(args, y),
                                      .help = "COL"},
                                     {.name = "encoding",
                                      .kind = CLI_OPT_STRING,
                                      .set = set_encoding,
                                      .help = "ENC"},
                                     {.name = "mode",
                                      .kind = CLI_OPT_ENUM,
                                      .set = set_mode,
                                      .help = "append|replace",
                                      .values = modes},
                                     {.name = "rejects",
                                      .kind = CLI_OPT_PATH,
                                      .set = set_rejects,
                                      .help = "FILE"},
                                     {.name = NULL}};

/* Rules between the arguments. */
static int check(cli_call *call)
{
    args *a = CLI_ARGS(call, args);
    char **pos = call->pos;
    if (wrong_order(pos[0], pos[1]))
        return cli_usage_error(
            "import",
            "arguments in the wrong order: '%s' is a layer and '%s' the "
            "store; give DB LAYER SOURCE: sanigrid import %s %s %s",
            pos[0], pos[1], pos[1], pos[0], pos[2]);
    if ((a->x || a->y) && !(a->x && a->y))
        return cli_usage_error("import", "give both --x and --y");
    if (a->x && sg_import_options_set_xy(NULL, a->io, a->x, a->y))
        return CLI_EXIT_FAIL;
    return CLI_EXIT_OK;
}

/* Open, import, print (the JSON object also on failure, the summary when
 * the file was read) and choose the exit code (call->rc). */
static sg_status run(cli_call *call)
{
    args *a = CLI_ARGS(call, args);
    sg_ctx *ctx = call->ctx;
    const char *db = call->pos[0], *layer = call->pos[1], *src = call->pos[2];
    const cli_common *common = &call->common;
    sg_status st = sg_store_open(ctx, db, 0, &call->store);
    sg_import_result *res = NULL;
    if (st == SG_OK)
        st = sg_import(ctx, call->store, layer, src, a->io, &res);
    const char *snap = st == SG_OK ? sg_store_last_snapshot(call->store) : NULL;
    if (common->json)
        print_json(res, st, sg_ctx_errmsg(ctx), snap, db, src);
    else if (res && (st == SG_OK || res->read > 0))
        print_summary(res, common->quiet); /* not for a file never read */
    if (!common->json && res && st == SG_OK)
        print_offset(res, db, src);
    if (snap && !common->json && !common->quiet) {
        const char *b = strrchr(snap, '/');
        printf(_("snapshot before the import: %s (undo: sanigrid restore "
                 "%s %d)\n"),
               b ? b + 1 : snap, db, atoi(b ? b + 1 : snap));
    }
    if (st == SG_ERR_USAGE) {
        call->rc = cli_fail(ctx, "import");
    } else if (st != SG_OK) {
        fprintf(stderr, _("sanigrid import: error: %s\n"), sg_ctx_errmsg(ctx));
        call->rc = CLI_EXIT_FAIL;
    } else {
        call->rc = res && res->rejected ? CLI_EXIT_INPUT : CLI_EXIT_OK;
    }
    sg_import_result_free(res);
    return SG_OK; /* printed and decided here */
}

static void cleanup(cli_call *call)
{
    sg_import_options_free(CLI_ARGS(call, args)->io);
}

static const cli_command command = {
    .name = "import",
    .options = options,
    .common = CLI_ALL,
    .min_args = 3,
    .max_args = 3,
    .args_error = N_("give DB LAYER SOURCE"),
    .store = CLI_STORE_NONE,
    .args_size = sizeof(args),
    .init = init,
    .check = check,
    .run = run,
    .cleanup = cleanup,
};

int cmd_import(int argc, char **argv)
{
    return cli_run(&command, argc, argv);
}
