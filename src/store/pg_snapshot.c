/* Snapshots and restore on a PostgreSQL store (declared in
 * pg_port_int.h), the twins of snapshot.c's files beside a SpatiaLite
 * store.
 *
 * A snapshot is a copy of every table of the store's schema, as tables of
 * the same schema named sg_snap_NNNN_<table> (the store's owner may
 * create tables there, as it does result layers; a schema of its own
 * would need CREATE on the database), listed in table sg_snapshots
 * (seq, name NNNN-command-YYYYMMDDTHHMMSSZ, command, taken_at, tables,
 * bytes). It is taken inside the command's transaction, under the
 * store's write lock: the command's rollback takes it back, its commit
 * keeps it, and the oldest beyond setting snapshots.keep are dropped in
 * the same transaction.
 * Restore is one transaction too: a snapshot of the state before, then
 * every table of the snapshot emptied and refilled (identity values as
 * they were, sequences moved past them), tables made since dropped,
 * tables dropped since made again, and the run recorded; any failure
 * leaves the store as it was.
 * Not for: SpatiaLite stores (snapshot.c).
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/ctx_int.h"
#include "sanigrid/json.h"
#include "sanigrid/snapshot.h"
#include "store/pg_port_int.h"

#define SNAP_PREFIX "sg_snap_"

static sg_status failed(sg_ctx *ctx)
{
    sg_status s = ctx ? sg_ctx_status(ctx) : SG_ERR_DB;
    return s ? s : SG_ERR_DB;
}

/* Run \p sql (built by the caller, owned, freed here). */
static sg_status run(sg_ctx *ctx, sg_store *store, const char *what, char *sql)
{
    if (!sql)
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    PGresult *res = sg__pg_query(ctx, store, what, sql, 0, NULL);
    free(sql);
    if (!res)
        return failed(ctx);
    PQclear(res);
    return SG_OK;
}

static sg_status ensure_catalog(sg_ctx *ctx, sg_store *store)
{
    return sg__pg_exec(ctx, store, "snapshots",
                       "CREATE TABLE IF NOT EXISTS sg_snapshots (seq "
                       "integer PRIMARY KEY, name TEXT NOT NULL UNIQUE, "
                       "command TEXT NOT NULL, taken_at TEXT NOT NULL, "
                       "tables TEXT[] NOT NULL, bytes bigint)");
}

/* The store's own tables (not snapshots, not the catalogue). */
static PGresult *live_tables(sg_ctx *ctx, sg_store *store)
{
    const char *p[1] = {store->schema};
    return sg__pg_query(ctx, store, "snapshots",
                        "SELECT tablename FROM pg_tables WHERE schemaname = "
                        "$1 AND tablename NOT LIKE 'sg\\_snap\\_%' AND "
                        "tablename <> 'sg_snapshots' ORDER BY tablename",
                        1, p);
}

/* Drop the snapshots past the newest \p keep. */
static sg_status prune(sg_ctx *ctx, sg_store *store, int keep)
{
    char k[16];
    snprintf(k, sizeof k, "%d", keep);
    const char *p[1] = {k};
    PGresult *old = sg__pg_query(ctx, store, "snapshots",
                                 "SELECT seq, tables FROM sg_snapshots ORDER "
                                 "BY seq DESC OFFSET $1::int",
                                 1, p);
    if (!old)
        return failed(ctx);
    sg_status st = SG_OK;
    for (int i = 0; st == SG_OK && i < PQntuples(old); i++) {
        int seq = (int)strtol(PQgetvalue(old, i, 0), NULL, 10);
        char s[16];
        snprintf(s, sizeof s, "%d", seq);
        const char *q[1] = {s};
        PGresult *t = sg__pg_query(ctx, store, "snapshots",
                                   "SELECT unnest(tables) FROM sg_snapshots "
                                   "WHERE seq = $1::int",
                                   1, q);
        if (!t)
            return failed(ctx);
        for (int j = 0; st == SG_OK && j < PQntuples(t); j++) {
            char name[128];
            snprintf(name, sizeof name, SNAP_PREFIX "%04d_%s", seq,
                     PQgetvalue(t, j, 0));
            char *id = sg__pg_ident(store, name);
            st = run(ctx, store, "snapshots",
                     id ? sg__aprintf("DROP TABLE IF EXISTS %s", id) : NULL);
            PQfreemem(id);
        }
        PQclear(t);
        if (st == SG_OK) {
            PGresult *d = sg__pg_query(ctx, store, "snapshots",
                                       "DELETE FROM sg_snapshots WHERE seq = "
                                       "$1::int",
                                       1, q);
            st = d ? SG_OK : failed(ctx);
            PQclear(d);
        }
    }
    PQclear(old);
    return st;
}

sg_status sg__pg_snapshot_take(sg_ctx *ctx, sg_store *store,
                               const char *command, int keep)
{
    free(store->last_snapshot);
    store->last_snapshot = NULL;
    if (keep <= 0)
        return SG_OK;
    if (!store->in_tx)
        return sg__error(ctx, SG_ERR_INTERNAL,
                         "a snapshot of %s outside a transaction", store->path);
    sg_status st = ensure_catalog(ctx, store);
    if (st)
        return st;
    PGresult *r = sg__pg_query(ctx, store, "snapshots",
                               "SELECT COALESCE(MAX(seq), 0) + 1 FROM "
                               "sg_snapshots",
                               0, NULL);
    if (!r)
        return failed(ctx);
    int seq = (int)strtol(PQgetvalue(r, 0, 0), NULL, 10);
    PQclear(r);
    PGresult *tables = live_tables(ctx, store);
    if (!tables)
        return failed(ctx);
    /* the tables, as an array literal {a,b} (plain names) */
    size_t cap = 16, len = 0;
    char *arr = malloc(cap);
    if (arr)
        arr[len++] = '{';
    for (int i = 0; st == SG_OK && arr && i < PQntuples(tables); i++) {
        const char *t = PQgetvalue(tables, i, 0);
        char name[128];
        snprintf(name, sizeof name, SNAP_PREFIX "%04d_%s", seq, t);
        char *to = sg__pg_ident(store, name), *from = sg__pg_ident(store, t);
        st = run(ctx, store, "taking a snapshot",
                 to && from ? sg__aprintf("CREATE TABLE %s (LIKE %s "
                                          "INCLUDING DEFAULTS); INSERT INTO "
                                          "%s SELECT * FROM %s",
                                          to, from, to, from)
                            : NULL);
        PQfreemem(to);
        PQfreemem(from);
        size_t need = len + strlen(t) + 4;
        if (need > cap) {
            cap = need * 2;
            char *n = realloc(arr, cap);
            if (!n) {
                free(arr);
                arr = NULL;
                break;
            }
            arr = n;
        }
        len += (size_t)snprintf(arr + len, cap - len, "%s\"%s\"",
                                len > 1 ? "," : "", t);
    }
    PQclear(tables);
    if (!arr)
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    snprintf(arr + len, cap - len, "}");
    if (st) {
        free(arr);
        return st;
    }
    char stamp[32], iso[32], s[16];
    time_t t = time(NULL);
    struct tm tmv;
    gmtime_r(&t, &tmv);
    strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tmv);
    strftime(iso, sizeof iso, "%Y-%m-%dT%H:%M:%SZ", &tmv);
    snprintf(s, sizeof s, "%d", seq);
    char *name = sg__aprintf("%04d-%s-%s", seq, command, stamp);
    char *like = sg__aprintf(SNAP_PREFIX "%04d\\_%%", seq);
    const char *p[6] = {s, name, command, iso, arr, like};
    PGresult *ins =
        name && like
            ? sg__pg_query(ctx, store, "snapshots",
                           "INSERT INTO sg_snapshots (seq, name, command, "
                           "taken_at, tables, bytes) SELECT $1::int, $2, $3, "
                           "$4, $5::text[], COALESCE(SUM(pg_total_relation_"
                           "size(c.oid)), 0) FROM pg_class c JOIN "
                           "pg_namespace n ON n.oid = c.relnamespace WHERE "
                           "n.nspname = current_schema() AND c.relkind = 'r' "
                           "AND c.relname LIKE $6",
                           6, p)
            : NULL;
    free(arr);
    free(like);
    if (!ins) {
        free(name);
        return name ? failed(ctx)
                    : sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    }
    PQclear(ins);
    if ((st = prune(ctx, store, keep))) {
        free(name);
        return st;
    }
    store->last_snapshot = name;
    store->snapshot_keep = keep;
    return SG_OK;
}

sg_status sg__pg_snapshots_list(sg_ctx *ctx, sg_store *store,
                                sg_snapshot_info **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    if (!sg__pg_layer_has_column(store, "sg_snapshots", "seq"))
        return SG_OK; /* none taken yet */
    PGresult *r = sg__pg_query(ctx, store, "snapshots",
                               "SELECT seq, name, command, taken_at, bytes "
                               "FROM sg_snapshots ORDER BY seq",
                               0, NULL);
    if (!r)
        return failed(ctx);
    size_t rows = (size_t)PQntuples(r);
    sg_snapshot_info *a = rows ? calloc(rows, sizeof *a) : NULL;
    if (rows && !a) {
        PQclear(r);
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    }
    sg_status st = SG_OK;
    for (size_t i = 0; i < rows; i++) {
        a[i].seq = (int)strtol(PQgetvalue(r, (int)i, 0), NULL, 10);
        a[i].name = strdup(PQgetvalue(r, (int)i, 1));
        a[i].path =
            sg__aprintf("%s.%s", store->schema, a[i].name ? a[i].name : "");
        a[i].command = strdup(PQgetvalue(r, (int)i, 2));
        a[i].taken_at = strdup(PQgetvalue(r, (int)i, 3));
        a[i].bytes = strtoll(PQgetvalue(r, (int)i, 4), NULL, 10);
        if (!a[i].name || !a[i].path || !a[i].command || !a[i].taken_at)
            st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    }
    PQclear(r);
    if (st) {
        sg_snapshot_info_free(a, rows);
        return st;
    }
    *out = a;
    *n = rows;
    return SG_OK;
}

/* Move each identity sequence of table \p id past its largest value. */
static sg_status reset_identities(sg_ctx *ctx, sg_store *store,
                                  const char *table)
{
    const char *p[2] = {store->schema, table};
    PGresult *cols = sg__pg_query(ctx, store, "restoring a snapshot",
                                  "SELECT column_name FROM "
                                  "information_schema.columns WHERE "
                                  "table_schema = $1 AND table_name = $2 AND "
                                  "is_identity = 'YES'",
                                  2, p);
    if (!cols)
        return failed(ctx);
    sg_status st = SG_OK;
    for (int i = 0; st == SG_OK && i < PQntuples(cols); i++) {
        char *t = sg__pg_ident(store, table);
        char *c = sg__pg_ident(store, PQgetvalue(cols, i, 0));
        char *tl = t ? PQescapeLiteral(store->pg, t, strlen(t)) : NULL;
        char *cl = PQescapeLiteral(store->pg, PQgetvalue(cols, i, 0),
                                   strlen(PQgetvalue(cols, i, 0)));
        st = run(ctx, store, "restoring a snapshot",
                 t && c && tl && cl
                     ? sg__aprintf("SELECT setval(pg_get_serial_sequence(%s, "
                                   "%s), COALESCE(MAX(%s), 0) + 1, false) "
                                   "FROM %s",
                                   tl, cl, c, t)
                     : NULL);
        PQfreemem(t);
        PQfreemem(c);
        PQfreemem(tl);
        PQfreemem(cl);
    }
    PQclear(cols);
    return st;
}

/* 1 if \p name is in the array result \p res (column 0). */
static int in_list(const PGresult *res, const char *name)
{
    for (int i = 0; i < PQntuples(res); i++)
        if (!strcmp(PQgetvalue(res, i, 0), name))
            return 1;
    return 0;
}

sg_status sg__pg_restore(sg_ctx *ctx, sg_store *store, const char *snapshot,
                         int keep, char **restored)
{
    char word[1024];
    if (restored)
        *restored = NULL;
    if (!sg__pg_layer_has_column(store, "sg_snapshots", "seq"))
        return sg__error(ctx, SG_ERR_IO_OPEN,
                         "no snapshot '%s' of %s (`sanigrid snapshots %s` "
                         "lists them)",
                         snapshot, store->path,
                         sg__shell_word(word, sizeof word, store->path));
    const char *p[1] = {snapshot};
    PGresult *r = sg__pg_query(
        ctx, store, "snapshots",
        "SELECT seq, name FROM sg_snapshots WHERE name = $1 OR ($1 ~ "
        "'^[0-9]{1,9}$' AND seq = $1::int) ORDER BY seq DESC LIMIT 1",
        1, p);
    if (!r)
        return failed(ctx);
    if (PQntuples(r) == 0) {
        PQclear(r);
        return sg__error(ctx, SG_ERR_IO_OPEN,
                         "no snapshot '%s' of %s (`sanigrid snapshots %s` "
                         "lists them)",
                         snapshot, store->path,
                         sg__shell_word(word, sizeof word, store->path));
    }
    int seq = (int)strtol(PQgetvalue(r, 0, 0), NULL, 10);
    char *name = strdup(PQgetvalue(r, 0, 1));
    PQclear(r);
    if (!name)
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    PGresult *snap = NULL, *live = NULL;
    sg_status st = sg__store_begin(ctx, store);
    if (st) {
        free(name);
        return st;
    }
    /* the state before, so the restore can be undone in its turn (taken
     * with keep + 1 so the one restored is not pruned by it) */
    if ((st = sg__pg_snapshot_take(ctx, store, "restore",
                                   keep > 0 ? keep + 1 : 0)))
        goto done;
    char s[16];
    snprintf(s, sizeof s, "%d", seq);
    const char *q[1] = {s};
    if (!(snap = sg__pg_query(ctx, store, "snapshots",
                              "SELECT unnest(tables) FROM sg_snapshots WHERE "
                              "seq = $1::int",
                              1, q)) ||
        !(live = live_tables(ctx, store))) {
        st = failed(ctx);
        goto done;
    }
    /* tables made since the snapshot: gone */
    for (int i = 0; st == SG_OK && i < PQntuples(live); i++) {
        if (in_list(snap, PQgetvalue(live, i, 0)))
            continue;
        char *id = sg__pg_ident(store, PQgetvalue(live, i, 0));
        st = run(ctx, store, "restoring a snapshot",
                 id ? sg__aprintf("DROP TABLE %s CASCADE", id) : NULL);
        PQfreemem(id);
    }
    /* the snapshot's tables: made again if dropped since, then refilled */
    for (int i = 0; st == SG_OK && i < PQntuples(snap); i++) {
        const char *t = PQgetvalue(snap, i, 0);
        char copy[128];
        snprintf(copy, sizeof copy, SNAP_PREFIX "%04d_%s", seq, t);
        char *to = sg__pg_ident(store, t), *from = sg__pg_ident(store, copy);
        if (!to || !from) {
            st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        } else if (!in_list(live, t)) {
            st = run(ctx, store, "restoring a snapshot",
                     sg__aprintf("CREATE TABLE %s (LIKE %s INCLUDING "
                                 "DEFAULTS); INSERT INTO %s SELECT * FROM %s",
                                 to, from, to, from));
        } else {
            st = run(ctx, store, "restoring a snapshot",
                     sg__aprintf("TRUNCATE %s; INSERT INTO %s OVERRIDING "
                                 "SYSTEM VALUE SELECT * FROM %s",
                                 to, to, from));
        }
        PQfreemem(to);
        PQfreemem(from);
        if (st == SG_OK)
            st = reset_identities(ctx, store, t);
    }
    if (st)
        goto done;
    sg_json pj, cj;
    sg_json_begin(&pj, NULL);
    sg_json_object(&pj, NULL);
    sg_json_str(&pj, "snapshot", name);
    sg_json_str(&pj, "saved_before", store->last_snapshot);
    sg_json_end_object(&pj);
    sg_json_begin(&cj, NULL);
    sg_json_object(&cj, NULL);
    sg_json_end_object(&cj);
    if ((st = sg__store_record_run_json(ctx, store, "restore", &pj, &cj, 0)))
        goto done;
    st = sg__store_commit(ctx, store);
    if (st == SG_OK)
        st = sg__pg_reload_meta(ctx, store);
done:
    PQclear(snap);
    PQclear(live);
    if (st)
        sg__store_rollback(store);
    if (st == SG_OK && restored)
        *restored = name;
    else
        free(name);
    return st;
}
