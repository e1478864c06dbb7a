/* sanigrid snapshots, restore and delete: undo (sanigrid/snapshot.h).
 * Thin layers over sg_snapshots_list, sg_store_restore and
 * sg_store_delete_rows: their option tables, run and print callbacks for
 * cli_run (cli.h, "the command skeleton"). restore and delete open the
 * store themselves, so that under --json a failure is reported in the
 * JSON object (status, error) with its exit code.
 * SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

/* The --help texts are docs/cli/{snapshots,restore,delete}.md (STYLE
 * rule 24). */

/* The file name part of \p path. Borrowed. */
static const char *base_name(const char *path)
{
    const char *s = path ? strrchr(path, '/') : NULL;
    return s ? s + 1 : path;
}

/* The number NNNN that starts snapshot file \p path's name (0 if none). */
static int snapshot_number(const char *path)
{
    const char *b = base_name(path);
    return b ? atoi(b) : 0;
}

/* \p bytes as "12.3 MB" into \p buf. */
static void human_size(long long bytes, char *buf, size_t size)
{
    if (bytes >= 1024LL * 1024 * 1024)
        snprintf(buf, size, "%.1f GB", (double)bytes / (1024.0 * 1024 * 1024));
    else if (bytes >= 1024LL * 1024)
        snprintf(buf, size, "%.1f MB", (double)bytes / (1024.0 * 1024));
    else
        snprintf(buf, size, "%.0f KB", (double)bytes / 1024.0);
}

/* ---- snapshots ------------------------------------------------------ */

typedef struct snap_args {
    sg_snapshot_info *s;
    size_t n;
    char *keep, *dir;
} snap_args;

static sg_status snapshots_run(cli_call *call)
{
    snap_args *a = CLI_ARGS(call, snap_args);
    const char *db = call->pos[0];
    sg_store *store = NULL;
    if (!(a->dir = sg_snapshot_dir(db)))
        return SG_ERR_NOMEM;
    /* the store tells how many are kept; the list needs no store */
    if (sg_store_open(call->ctx, db, SG_STORE_READONLY, &store) == SG_OK)
        sg_setting_get(call->ctx, store, "snapshots.keep", &a->keep);
    sg_store_close(store);
    sg_ctx_clear_error(call->ctx);
    return sg_snapshots_list(call->ctx, db, &a->s, &a->n);
}

static void snapshots_json(const cli_call *call, sg_json *j)
{
    const snap_args *a = CLI_ARGS(call, snap_args);
    const sg_snapshot_info *s = a->s;
    sg_json_str(j, "store", call->pos[0]);
    if (sg_store_path_is_postgresql(call->pos[0])) {
        sg_json_null(j, "folder");
        sg_json_str(j, "table", a->dir);
    } else {
        sg_json_str(j, "folder", a->dir);
    }
    if (a->keep)
        sg_json_int(j, "keep", atoi(a->keep));
    else
        sg_json_null(j, "keep");
    sg_json_array(j, "snapshots");
    for (size_t i = 0; i < a->n; i++) {
        sg_json_object(j, NULL);
        sg_json_int(j, "number", s[i].seq);
        sg_json_str(j, "name", s[i].name);
        sg_json_str(j, "path", s[i].path);
        sg_json_str(j, "command", s[i].command);
        sg_json_str(j, "taken_at", s[i].taken_at);
        sg_json_int(j, "bytes", s[i].bytes);
        sg_json_end_object(j);
    }
    sg_json_end_array(j);
}

static void snapshots_text(const cli_call *call)
{
    const snap_args *a = CLI_ARGS(call, snap_args);
    const sg_snapshot_info *s = a->s;
    const char *db = call->pos[0], *dir = a->dir, *keep = a->keep;
    size_t n = a->n;
    int pg = sg_store_path_is_postgresql(db);
    if (!n && pg) {
        printf(_("no snapshots of %s (they are taken in its schema, listed "
                 "in table %s, before a command replaces or deletes "
                 "data)\n"),
               db, dir);
        return;
    }
    if (!n) {
        printf(_("no snapshots of %s (they are taken in %s/ before a "
                 "command replaces or deletes data)\n"),
               db, dir);
        return;
    }
    if (pg && keep && atoi(keep) == 0)
        printf(_("snapshots of %s in its schema, listed in table %s "
                 "(snapshots are off now: snapshots.keep 0):\n"),
               db, dir);
    else if (pg)
        printf(_("snapshots of %s in its schema, listed in table %s (the "
                 "newest %s are kept):\n"),
               db, dir, keep ? keep : "?");
    else if (keep && atoi(keep) == 0)
        printf(_("snapshots of %s in %s/ (snapshots are off now: "
                 "snapshots.keep 0):\n"),
               db, dir);
    else
        printf(_("snapshots of %s in %s/ (the newest %s are kept):\n"), db, dir,
               keep ? keep : "?");
    cli_put_cell(stdout, _("number"), 8, 0);
    cli_put_cell(stdout, _("taken (UTC)"), 22, 0);
    cli_put_cell(stdout, _("command"), 12, 0);
    cli_put_cell(stdout, _("size"), 10, 1);
    fputc('\n', stdout);
    for (size_t i = 0; i < n; i++) {
        char num[16], when[32], size[32];
        snprintf(num, sizeof num, "%04d", s[i].seq);
        snprintf(when, sizeof when, "%.10s %.8s", s[i].taken_at,
                 s[i].taken_at + 11);
        human_size(s[i].bytes, size, sizeof size);
        cli_put_cell(stdout, num, 8, 0);
        cli_put_cell(stdout, when, 22, 0);
        cli_put_cell(stdout, s[i].command, 12, 0);
        cli_put_cell(stdout, size, 10, 1);
        fputc('\n', stdout);
    }
    printf(_("undo: sanigrid restore %s NUMBER\n"), db);
}

static void snapshots_cleanup(cli_call *call)
{
    snap_args *a = CLI_ARGS(call, snap_args);
    sg_snapshot_info_free(a->s, a->n);
    sg_free(a->keep);
    sg_free(a->dir);
}

static const cli_option no_options[] = {{.name = NULL}};

static const cli_command snapshots_command = {
    .name = "snapshots",
    .options = no_options,
    .common = CLI_JSON,
    .min_args = 1,
    .max_args = 1,
    .args_error = N_("give one store path"),
    .store = CLI_STORE_NONE,
    .args_size = sizeof(snap_args),
    .run = snapshots_run,
    .print_json = snapshots_json,
    .print_text = snapshots_text,
    .cleanup = snapshots_cleanup,
};

int cmd_snapshots(int argc, char **argv)
{
    return cli_run(&snapshots_command, argc, argv);
}

/* ---- restore and delete ---------------------------------------------- */

typedef struct undo_args {
    const char **ids; /* --id values, then the words after LAYER */
    size_t nids;
    const char *where;
    char *restored;
    const char *saved; /* the snapshot taken before */
    long long deleted;
    sg_status st;
} undo_args;

/* Under --json a failure is reported in the object: print it here and
 * keep the exit code (cli_run prints nothing more). */
static sg_status undo_failed(cli_call *call, sg_status st,
                             void (*print)(const cli_call *, sg_json *))
{
    CLI_ARGS(call, undo_args)->st = st;
    if (st != SG_OK && call->common.json) {
        sg_json j;
        sg_json_begin(&j, stdout);
        sg_json_object(&j, NULL);
        print(call, &j);
        sg_json_end_object(&j);
        sg_json_finish(&j);
        call->rc = cli_exit_code(st);
    }
    return st;
}

static void restore_json(const cli_call *call, sg_json *j)
{
    const undo_args *a = CLI_ARGS(call, undo_args);
    sg_json_str(j, "store", call->pos[0]);
    sg_json_str(j, "restored", a->restored);
    sg_json_str(j, "saved_before", a->saved);
    sg_json_str(j, "status", sg_status_name(a->st));
    if (a->st != SG_OK)
        sg_json_str(j, "error", sg_ctx_errmsg(call->ctx));
}

static sg_status restore_run(cli_call *call)
{
    undo_args *a = CLI_ARGS(call, undo_args);
    sg_status st = sg_store_open(call->ctx, call->pos[0], 0, &call->store);
    if (st == SG_OK)
        st = sg_store_restore(call->ctx, call->store, call->pos[1],
                              &a->restored);
    a->saved = st == SG_OK ? sg_store_last_snapshot(call->store) : NULL;
    return undo_failed(call, st, restore_json);
}

static void restore_text(const cli_call *call)
{
    const undo_args *a = CLI_ARGS(call, undo_args);
    const char *db = call->pos[0];
    printf(_("restored %s from %s\n"), db, base_name(a->restored));
    if (a->saved)
        printf(_("the state before is snapshot %s (undo this "
                 "restore: sanigrid restore %s %d)\n"),
               base_name(a->saved), db, snapshot_number(a->saved));
    else
        printf(_("snapshots are off (snapshots.keep 0): the state "
                 "before was not kept\n"));
}

static void undo_cleanup(cli_call *call)
{
    undo_args *a = CLI_ARGS(call, undo_args);
    sg_free(a->restored);
    free(a->ids);
}

static const cli_command restore_command = {
    .name = "restore",
    .options = no_options,
    .common = CLI_JSON | CLI_QUIET,
    .min_args = 2,
    .max_args = 2,
    .args_error = N_("give DB SNAPSHOT"),
    .store = CLI_STORE_NONE,
    .args_size = sizeof(undo_args),
    .run = restore_run,
    .print_json = restore_json,
    .print_text = restore_text,
    .cleanup = undo_cleanup,
};

int cmd_restore(int argc, char **argv)
{
    return cli_run(&restore_command, argc, argv);
}

/* Add \p id to the ids to delete. */
static sg_status add_id(undo_args *a, const char *id)
{
    const char **n = realloc(a->ids, (a->nids + 1) * sizeof *n);
    if (!n)
        return SG_ERR_NOMEM;
    n[a->nids++] = id;
    a->ids = n;
    return SG_OK;
}

static sg_status set_id(cli_call *call, const cli_value *v)
{
    return add_id(CLI_ARGS(call, undo_args), v->str);
}

static const cli_option delete_options[] = {
    {.name = "id", .kind = CLI_OPT_STRING, .set = set_id, .help = "ID"},
    {.name = "where",
     .kind = CLI_OPT_STRING,
     .offset = CLI_AT(undo_args, where),
     .help = "EXPR"},
    {.name = NULL}};

/* Words after LAYER are more ids (--id A B C); some rows must be named. */
static int delete_check(cli_call *call)
{
    undo_args *a = CLI_ARGS(call, undo_args);
    for (int i = 2; i < call->npos; i++)
        if (add_id(a, call->pos[i]))
            return CLI_EXIT_FAIL;
    if (!a->nids && !a->where)
        return cli_usage_error("delete",
                               "say which rows: --id ID ... or --where "
                               "EXPR (--where 1 deletes every row)");
    return CLI_EXIT_OK;
}

static void delete_json(const cli_call *call, sg_json *j)
{
    const undo_args *a = CLI_ARGS(call, undo_args);
    sg_json_str(j, "store", call->pos[0]);
    sg_json_str(j, "layer", call->pos[1]);
    sg_json_int(j, "deleted", a->deleted);
    sg_json_str(j, "snapshot", a->saved);
    sg_json_str(j, "status", sg_status_name(a->st));
    if (a->st != SG_OK)
        sg_json_str(j, "error", sg_ctx_errmsg(call->ctx));
}

static sg_status delete_run(cli_call *call)
{
    undo_args *a = CLI_ARGS(call, undo_args);
    sg_status st = sg_store_open(call->ctx, call->pos[0], 0, &call->store);
    if (st == SG_OK)
        st = sg_store_delete_rows(call->ctx, call->store, call->pos[1], a->ids,
                                  a->nids, a->where, &a->deleted);
    a->saved = st == SG_OK ? sg_store_last_snapshot(call->store) : NULL;
    return undo_failed(call, st, delete_json);
}

static void delete_text(const cli_call *call)
{
    const undo_args *a = CLI_ARGS(call, undo_args);
    const char *layer = call->pos[1];
    if (!a->deleted)
        printf(_("no row of %s matched; nothing was deleted\n"), layer);
    else
        printf(_("deleted %lld row%s from %s\n"), a->deleted, SG_PL(a->deleted),
               layer);
    if (a->saved)
        printf(_("snapshot before the deletion: %s (undo: sanigrid "
                 "restore %s %d)\n"),
               base_name(a->saved), call->pos[0], snapshot_number(a->saved));
}

static const cli_command delete_command = {
    .name = "delete",
    .options = delete_options,
    .common = CLI_JSON | CLI_QUIET,
    .min_args = 2,
    .max_args = -1,
    .args_error = N_("give DB LAYER"),
    .store = CLI_STORE_NONE,
    .args_size = sizeof(undo_args),
    .check = delete_check,
    .run = delete_run,
    .print_json = delete_json,
    .print_text = delete_text,
    .cleanup = undo_cleanup,
};

int cmd_delete(int argc, char **argv)
{
    return cli_run(&delete_command, argc, argv);
}
