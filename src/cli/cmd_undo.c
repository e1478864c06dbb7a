/* sanigrid snapshots, restore and delete: undo (sanigrid/snapshot.h).
 * Thin layers over sg_snapshots_list, sg_store_restore and
 * sg_store_delete_rows.
 * SPDX-License-Identifier: MIT */
#include <getopt.h>
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

/* Parse the options every command here takes; \return -1 to go on, else
 * the exit code. */
static int parse_common(const char *cmd, int argc, char **argv,
                        cli_common *common, const char ***ids,
                        size_t *nids, const char **where)
{
    static const struct option opts[] = {
        {"json", no_argument, NULL, 'j'},
        {"quiet", no_argument, NULL, 'q'},
        {"id", required_argument, NULL, 'i'},
        {"where", required_argument, NULL, 'w'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    int c;
    if (cli_help_asked(cmd, argc, argv))
        return CLI_EXIT_OK;
    optind = 0;
    while ((c = getopt_long(argc, argv, "hq", opts, NULL)) != -1) {
        switch (c) {
        case 'j': common->json = 1; break;
        case 'q': common->quiet = 1; break;
        case 'i':
        case 'w':
            if (!ids)
                return cli_usage_error(cmd, "bad option");
            if (c == 'w') {
                *where = optarg;
                break;
            }
            const char **n = realloc(*ids, (*nids + 1) * sizeof *n);
            if (!n)
                return CLI_EXIT_FAIL;
            n[(*nids)++] = optarg;
            *ids = n;
            break;
        case 'h': cli_help(cmd); return CLI_EXIT_OK;
        default: return cli_usage_error(cmd, "bad option");
        }
    }
    return -1;
}

int cmd_snapshots(int argc, char **argv)
{
    cli_common common = {0};
    int rc = parse_common("snapshots", argc, argv, &common, NULL, NULL, NULL);
    if (rc >= 0)
        return rc;
    if (optind != argc - 1)
        return cli_usage_error("snapshots", "give one store path");
    const char *db = argv[optind];
    sg_ctx *ctx = cli_ctx(&common);
    if (!ctx)
        return CLI_EXIT_FAIL;
    sg_snapshot_info *s = NULL;
    size_t n = 0;
    sg_store *store = NULL;
    char *keep = NULL, *dir = sg_snapshot_dir(db);
    rc = CLI_EXIT_OK;
    /* the store tells how many are kept; the list needs no store */
    if (sg_store_open(ctx, db, SG_STORE_READONLY, &store) == SG_OK)
        sg_setting_get(ctx, store, "snapshots.keep", &keep);
    sg_store_close(store);
    sg_ctx_clear_error(ctx);
    if (sg_snapshots_list(ctx, db, &s, &n)) {
        rc = cli_fail(ctx, "snapshots");
        goto done;
    }
    if (common.json) {
        sg_json j;
        sg_json_begin(&j, stdout);
        sg_json_object(&j, NULL);
        sg_json_str(&j, "store", db);
        sg_json_str(&j, "folder", dir);
        if (keep)
            sg_json_int(&j, "keep", atoi(keep));
        else
            sg_json_null(&j, "keep");
        sg_json_array(&j, "snapshots");
        for (size_t i = 0; i < n; i++) {
            sg_json_object(&j, NULL);
            sg_json_int(&j, "number", s[i].seq);
            sg_json_str(&j, "name", s[i].name);
            sg_json_str(&j, "path", s[i].path);
            sg_json_str(&j, "command", s[i].command);
            sg_json_str(&j, "taken_at", s[i].taken_at);
            sg_json_int(&j, "bytes", s[i].bytes);
            sg_json_end_object(&j);
        }
        sg_json_end_array(&j);
        sg_json_end_object(&j);
        sg_json_finish(&j);
        goto done;
    }
    if (!n) {
        printf(_("no snapshots of %s (they are taken in %s/ before a "
                 "command replaces or deletes data)\n"),
               db, dir);
        goto done;
    }
    if (keep && atoi(keep) == 0)
        printf(_("snapshots of %s in %s/ (snapshots are off now: "
                 "snapshots.keep 0):\n"),
               db, dir);
    else
        printf(_("snapshots of %s in %s/ (the newest %s are kept):\n"), db,
               dir, keep ? keep : "?");
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
done:
    sg_snapshot_info_free(s, n);
    sg_free(keep);
    sg_free(dir);
    sg_ctx_free(ctx);
    return rc;
}

int cmd_restore(int argc, char **argv)
{
    cli_common common = {0};
    int rc = parse_common("restore", argc, argv, &common, NULL, NULL, NULL);
    if (rc >= 0)
        return rc;
    if (optind != argc - 2)
        return cli_usage_error("restore", "give DB SNAPSHOT");
    const char *db = argv[optind], *snap = argv[optind + 1];
    sg_ctx *ctx = cli_ctx(&common);
    if (!ctx)
        return CLI_EXIT_FAIL;
    sg_store *store = NULL;
    char *restored = NULL;
    sg_status st = sg_store_open(ctx, db, 0, &store);
    if (st == SG_OK)
        st = sg_store_restore(ctx, store, snap, &restored);
    const char *saved = st == SG_OK ? sg_store_last_snapshot(store) : NULL;
    if (common.json) {
        sg_json j;
        sg_json_begin(&j, stdout);
        sg_json_object(&j, NULL);
        sg_json_str(&j, "store", db);
        sg_json_str(&j, "restored", restored);
        sg_json_str(&j, "saved_before", saved);
        sg_json_str(&j, "status", sg_status_name(st));
        if (st != SG_OK)
            sg_json_str(&j, "error", sg_ctx_errmsg(ctx));
        sg_json_end_object(&j);
        sg_json_finish(&j);
    }
    if (st != SG_OK) {
        rc = common.json ? cli_exit_code(st) : cli_fail(ctx, "restore");
    } else {
        rc = CLI_EXIT_OK;
        if (!common.json && !common.quiet) {
            printf(_("restored %s from %s\n"), db, base_name(restored));
            if (saved)
                printf(_("the state before is snapshot %s (undo this "
                         "restore: sanigrid restore %s %d)\n"),
                       base_name(saved), db, snapshot_number(saved));
            else
                printf(_("snapshots are off (snapshots.keep 0): the state "
                         "before was not kept\n"));
        }
    }
    sg_free(restored);
    sg_store_close(store);
    sg_ctx_free(ctx);
    return rc;
}

int cmd_delete(int argc, char **argv)
{
    cli_common common = {0};
    const char **ids = NULL, *where = NULL;
    size_t nids = 0;
    int rc = parse_common("delete", argc, argv, &common, &ids, &nids, &where);
    if (rc >= 0) {
        free(ids);
        return rc;
    }
    if (argc - optind < 2) {
        free(ids);
        return cli_usage_error("delete", "give DB LAYER");
    }
    const char *db = argv[optind], *layer = argv[optind + 1];
    /* words after LAYER are more ids (--id A B C) */
    for (int i = optind + 2; i < argc; i++) {
        const char **n = realloc(ids, (nids + 1) * sizeof *n);
        if (!n) {
            free(ids);
            return CLI_EXIT_FAIL;
        }
        ids = n;
        ids[nids++] = argv[i];
    }
    if (!nids && !where) {
        free(ids);
        return cli_usage_error("delete",
                                  "say which rows: --id ID ... or --where "
                                  "EXPR (--where 1 deletes every row)");
    }
    sg_ctx *ctx = cli_ctx(&common);
    if (!ctx) {
        free(ids);
        return CLI_EXIT_FAIL;
    }
    sg_store *store = NULL;
    long long deleted = 0;
    sg_status st = sg_store_open(ctx, db, 0, &store);
    if (st == SG_OK)
        st = sg_store_delete_rows(ctx, store, layer, ids, nids, where,
                                  &deleted);
    const char *saved = st == SG_OK ? sg_store_last_snapshot(store) : NULL;
    if (common.json) {
        sg_json j;
        sg_json_begin(&j, stdout);
        sg_json_object(&j, NULL);
        sg_json_str(&j, "store", db);
        sg_json_str(&j, "layer", layer);
        sg_json_int(&j, "deleted", deleted);
        sg_json_str(&j, "snapshot", saved);
        sg_json_str(&j, "status", sg_status_name(st));
        if (st != SG_OK)
            sg_json_str(&j, "error", sg_ctx_errmsg(ctx));
        sg_json_end_object(&j);
        sg_json_finish(&j);
    }
    if (st != SG_OK) {
        rc = common.json ? cli_exit_code(st) : cli_fail(ctx, "delete");
    } else {
        rc = CLI_EXIT_OK;
        if (!common.json && !common.quiet) {
            if (!deleted)
                printf(_("no row of %s matched; nothing was deleted\n"),
                       layer);
            else
                printf(_("deleted %lld row%s from %s\n"), deleted,
                       SG_PL(deleted), layer);
            if (saved)
                printf(_("snapshot before the deletion: %s (undo: sanigrid "
                         "restore %s %d)\n"),
                       base_name(saved), db, snapshot_number(saved));
        }
    }
    free(ids);
    sg_store_close(store);
    sg_ctx_free(ctx);
    return rc;
}
