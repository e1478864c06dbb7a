/* Store queries of the siting analysis: a layer offered as candidate
 * sites is checked (it exists, its geometry is POINT) and the column that
 * names its rows is found (PRAGMA table_info for result layers).
 * Not for: reading the rows themselves (sg__store_scan_points does that).
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ctx_int.h"
#include "store/pg_port_int.h"
#include "store/site_sql_int.h"
#include "store/store_sqlite_int.h"

/* Whether table \p layer has a column named \p col. \return 1, 0, or -1
 * on an SQLite failure (recorded in ctx). */
static int has_column(sg_ctx *ctx, sg_store *store, const char *layer,
                      const char *col)
{
    sqlite3_stmt *st = NULL;
    char *sql = sqlite3_mprintf("PRAGMA table_info(\"%w\")", layer);
    if (!sql) {
        sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        return -1;
    }
    int rc = sqlite3_prepare_v2(store->db, sql, -1, &st, NULL);
    sqlite3_free(sql);
    if (rc != SQLITE_OK) {
        sg__store_sql_error(ctx, store, layer);
        return -1;
    }
    int found = 0;
    while (!found && sqlite3_step(st) == SQLITE_ROW) {
        const char *c = (const char *)sqlite3_column_text(st, 1);
        found = c && strcmp(c, col) == 0;
    }
    sqlite3_finalize(st);
    return found;
}

sg_status sg__site_candidate_layer(sg_ctx *ctx, sg_store *store,
                                   const char *layer, char *idcol, size_t size)
{
    SG_PG_DISPATCH(store,
                   sg__pg_site_candidate_layer(ctx, store, layer, idcol, size));
    static const char *const names[] = {"candidate_id", "point_id",
                                        "household_id", "site_id", "id"};
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(store->db,
                           "SELECT geometry_type FROM sg_layers WHERE name = ?",
                           -1, &st, NULL) != SQLITE_OK)
        return sg__store_sql_error(ctx, store, "listing layers");
    sqlite3_bind_text(st, 1, layer, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    char gtype[32] = "";
    if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
        snprintf(gtype, sizeof gtype, "%s", sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW)
        return sg__error(ctx, SG_ERR_USAGE,
                         "store %s has no layer '%s' for candidate sites "
                         "(roads, households or a point layer)",
                         store->path, layer);
    if (strcmp(gtype, "POINT") != 0)
        return sg__error(ctx, SG_ERR_USAGE,
                         "layer '%s' holds %s, not points: it cannot give "
                         "candidate sites",
                         layer, gtype[0] ? gtype : "no geometry");
    const sg__layer_def *def = sg__layer_def_find(layer);
    const sg__field_def *id = def ? sg__layer_id_field(def) : NULL;
    if (id) {
        snprintf(idcol, size, "%s", id->name);
        return SG_OK;
    }
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        int h = has_column(ctx, store, layer, names[i]);
        if (h < 0)
            return sg_ctx_status(ctx);
        if (h) {
            snprintf(idcol, size, "%s", names[i]);
            return SG_OK;
        }
    }
    snprintf(idcol, size, "fid");
    return SG_OK;
}

/* Append \p v to the array *\p a of *\p n. \return 0, or -1 when out of
 * memory. */
static int push_fid(long long **a, size_t *n, long long v)
{
    for (size_t i = 0; i < *n; i++)
        if ((*a)[i] == v)
            return 0; /* named twice: once */
    long long *na = realloc(*a, (*n + 1) * sizeof *na);
    if (!na)
        return -1;
    na[(*n)++] = v;
    *a = na;
    return 0;
}

/* Prepare \p sql on \p store into *\p st. */
static sg_status prep(sg_ctx *ctx, sg_store *store, const char *sql,
                      sqlite3_stmt **st)
{
    if (sqlite3_prepare_v2(store->db, sql, -1, st, NULL) != SQLITE_OK)
        return sg__store_sql_error(ctx, store, "site_proposals");
    return SG_OK;
}

/* The fids of the proposals named by \p ids (all when \p nids is 0), in
 * rank order for all. */
static sg_status proposal_fids(sg_ctx *ctx, sg_store *store,
                               const char *const *ids, size_t nids,
                               long long **fids, size_t *n)
{
    sqlite3_stmt *by_id = NULL, *by_rank = NULL;
    sg_status s = SG_OK;
    if (!nids) {
        if ((s = prep(ctx, store,
                      "SELECT fid FROM site_proposals ORDER BY rank, fid",
                      &by_id)))
            return s;
        while (s == SG_OK && sqlite3_step(by_id) == SQLITE_ROW)
            if (push_fid(fids, n, sqlite3_column_int64(by_id, 0)))
                s = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        sqlite3_finalize(by_id);
        return s;
    }
    if ((s = prep(ctx, store,
                  "SELECT fid FROM site_proposals WHERE candidate_id = ?",
                  &by_id)) ||
        (s = prep(ctx, store, "SELECT fid FROM site_proposals WHERE rank = ?",
                  &by_rank)))
        goto done;
    for (size_t i = 0; s == SG_OK && i < nids; i++) {
        size_t before = *n;
        sqlite3_reset(by_id);
        sqlite3_bind_text(by_id, 1, ids[i], -1, SQLITE_STATIC);
        while (s == SG_OK && sqlite3_step(by_id) == SQLITE_ROW)
            if (push_fid(fids, n, sqlite3_column_int64(by_id, 0)))
                s = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        char *end = NULL;
        long long rank = strtoll(ids[i], &end, 10);
        if (s == SG_OK && *n == before && end != ids[i] && !*end) {
            sqlite3_reset(by_rank);
            sqlite3_bind_int64(by_rank, 1, rank);
            while (s == SG_OK && sqlite3_step(by_rank) == SQLITE_ROW)
                if (push_fid(fids, n, sqlite3_column_int64(by_rank, 0)))
                    s = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        }
        if (s == SG_OK && *n == before)
            s = sg__error(ctx, SG_ERR_NOT_FOUND,
                          "no site proposal has candidate_id or rank '%s' "
                          "(see `sanigrid show %s site_proposals`); nothing "
                          "was accepted",
                          ids[i], store->path);
    }
done:
    sqlite3_finalize(by_id);
    sqlite3_finalize(by_rank);
    return s;
}

/* The kind of points the last site run sited, into \p kind (\p size
 * bytes): for proposals written before site_proposals had a kind. */
static void last_site_kind(sg_store *store, char *kind, size_t size)
{
    sqlite3_stmt *st = NULL;
    snprintf(kind, size, "collection_point");
    if (sqlite3_prepare_v2(store->db,
                           "SELECT json_extract(params, '$.kind') FROM runs "
                           "WHERE command = 'site' AND json_valid(params) "
                           "ORDER BY run_id DESC LIMIT 1",
                           -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW &&
        sqlite3_column_type(st, 0) == SQLITE_TEXT)
        snprintf(kind, size, "%s", sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
}

/* Refuse proposals without a candidate_id, or whose candidate_id is a
 * point_id of `points` already. */
static sg_status check_new_ids(sg_ctx *ctx, sg_store *store,
                               const long long *fids, size_t n)
{
    sqlite3_stmt *st = NULL;
    sg_status s = prep(ctx, store,
                       "SELECT p.candidate_id, "
                       "EXISTS (SELECT 1 FROM points q "
                       "WHERE q.point_id = p.candidate_id) "
                       "FROM site_proposals p WHERE p.fid = ?",
                       &st);
    for (size_t i = 0; s == SG_OK && i < n; i++) {
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, fids[i]);
        if (sqlite3_step(st) != SQLITE_ROW) {
            s = sg__store_sql_error(ctx, store, "site_proposals");
            break;
        }
        const char *id = (const char *)sqlite3_column_text(st, 0);
        if (!id || !*id)
            s = sg__error(ctx, SG_ERR_INPUT,
                          "site proposal %lld has no candidate_id to become "
                          "a point_id; nothing was accepted",
                          fids[i]);
        else if (sqlite3_column_int(st, 1))
            s = sg__error(ctx, SG_ERR_INPUT,
                          "points already holds a point %s (accepted "
                          "before?); nothing was accepted",
                          id);
    }
    sqlite3_finalize(st);
    return s;
}

sg_status sg__site_accept_rows(sg_ctx *ctx, sg_store *store,
                               const char *const *ids, size_t nids,
                               long long *accepted)
{
    SG_PG_DISPATCH(store,
                   sg__pg_site_accept_rows(ctx, store, ids, nids, accepted));
    long long *fids = NULL;
    size_t n = 0;
    sqlite3_stmt *ins = NULL, *del = NULL;
    *accepted = 0;
    if (!sg__store_has_layer(store, "site_proposals"))
        return sg__error(ctx, SG_ERR_INPUT,
                         "store %s has no site proposals; run `sanigrid site "
                         "%s --add K` first",
                         store->path, store->path);
    int has_kind = has_column(ctx, store, "site_proposals", "kind");
    if (has_kind < 0)
        return sg_ctx_status(ctx);
    sg_status s = proposal_fids(ctx, store, ids, nids, &fids, &n);
    if (s == SG_OK && n == 0)
        s = sg__error(ctx, SG_ERR_INPUT,
                      "site_proposals of %s is empty (accepted already?); "
                      "nothing was accepted",
                      store->path);
    if (s == SG_OK)
        s = check_new_ids(ctx, store, fids, n);
    if (s == SG_OK)
        s = sg__store_snapshot(ctx, store, "site-accept");
    if (s == SG_OK)
        s = prep(ctx, store,
                 has_kind ? "INSERT INTO points (point_id, kind, "
                            "division_code, geom) SELECT candidate_id, "
                            "COALESCE(kind, ?2), division_code, geom "
                            "FROM site_proposals WHERE fid = ?1"
                          : "INSERT INTO points (point_id, kind, "
                            "division_code, geom) SELECT candidate_id, ?2, "
                            "division_code, geom FROM site_proposals "
                            "WHERE fid = ?1",
                 &ins);
    if (s == SG_OK)
        s = prep(ctx, store, "DELETE FROM site_proposals WHERE fid = ?", &del);
    char kind[32];
    last_site_kind(store, kind, sizeof kind);
    for (size_t i = 0; s == SG_OK && i < n; i++) {
        sqlite3_reset(ins);
        sqlite3_bind_int64(ins, 1, fids[i]);
        sqlite3_bind_text(ins, 2, kind, -1, SQLITE_STATIC);
        sqlite3_reset(del);
        sqlite3_bind_int64(del, 1, fids[i]);
        if (sqlite3_step(ins) != SQLITE_DONE)
            s = sg__store_sql_error(ctx, store, "adding a point");
        else if (sqlite3_step(del) != SQLITE_DONE)
            s = sg__store_sql_error(ctx, store, "site_proposals");
    }
    sqlite3_finalize(ins);
    sqlite3_finalize(del);
    free(fids);
    if (s == SG_OK)
        *accepted = (long long)n;
    return s;
}
