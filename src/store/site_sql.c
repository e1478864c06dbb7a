/* Store queries of the siting analysis: a layer offered as candidate
 * sites is checked (it exists, its geometry is POINT) and the column that
 * names its rows is found (PRAGMA table_info for result layers); site
 * --accept moves proposals into points. The flows (sg__site_idcol,
 * sg__site_accept) are both backends'; pg_site.c gives PostgreSQL's
 * reads and writes.
 * Not for: reading the rows themselves (sg__store_scan_points does that).
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ctx_int.h"
#include "store/pg_port_int.h"
#include "store/site_accept_int.h"
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

sg_status sg__site_idcol(sg_ctx *ctx, sg_store *store, const char *layer,
                         int found, const char *gtype, const sg__site_ops *ops,
                         char *idcol, size_t size)
{
    static const char *const names[] = {"candidate_id", "point_id",
                                        "household_id", "site_id", "id"};
    if (!found)
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
        int h = ops->has_column(ctx, store, layer, names[i]);
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

/* The fids of the proposals named by \p ids (by candidate_id, else by
 * rank), all of them in rank order when \p nids is 0. */
static sg_status proposal_fids(sg_ctx *ctx, sg_store *store,
                               const char *const *ids, size_t nids,
                               const sg__site_ops *ops, sg__fidset *out)
{
    if (!nids)
        return ops->all(ctx, store, out);
    sg_status s = SG_OK;
    for (size_t i = 0; s == SG_OK && i < nids; i++) {
        size_t before = out->n;
        s = ops->by_candidate(ctx, store, ids[i], out);
        char *end = NULL;
        long long rank = strtoll(ids[i], &end, 10);
        if (s == SG_OK && out->n == before && end != ids[i] && !*end)
            s = ops->by_rank(ctx, store, ids[i], rank, out);
        if (s == SG_OK && out->n == before) {
            char name[1024];
            s = sg__error(ctx, SG_ERR_NOT_FOUND,
                          "no site proposal has candidate_id or rank '%s' "
                          "(see `sanigrid show %s site_proposals`); nothing "
                          "was accepted",
                          ids[i],
                          sg__shell_word(name, sizeof name, store->path));
        }
    }
    return s;
}

sg_status sg__site_accept(sg_ctx *ctx, sg_store *store, const char *const *ids,
                          size_t nids, long long *accepted,
                          const sg__site_ops *ops)
{
    sg__fidset fids = {0};
    *accepted = 0;
    if (!sg__store_has_layer(store, "site_proposals"))
        return sg__error(ctx, SG_ERR_INPUT,
                         "store %s has no site proposals; run `sanigrid site "
                         "%s --add K` first",
                         store->path, store->path);
    int has_kind = ops->has_column(ctx, store, "site_proposals", "kind");
    if (has_kind < 0)
        return sg_ctx_status(ctx);
    sg_status s = proposal_fids(ctx, store, ids, nids, ops, &fids);
    if (s == SG_OK && fids.n == 0)
        s = sg__error(ctx, SG_ERR_INPUT,
                      "site_proposals of %s is empty (accepted already?); "
                      "nothing was accepted",
                      store->path);
    if (s == SG_OK)
        s = ops->check_new(ctx, store, &fids);
    if (s == SG_OK)
        s = sg__store_snapshot(ctx, store, "site-accept");
    /* the kind of the last site run, for proposals without one */
    char kind[32] = "collection_point";
    if (s == SG_OK) {
        ops->last_kind(store, kind, sizeof kind);
        s = ops->move(ctx, store, &fids, has_kind, kind);
    }
    if (s == SG_OK)
        *accepted = (long long)fids.n;
    sg__fidset_free(&fids);
    return s;
}

/* ---- SQLite's reads and writes ------------------------------------------ */

/* Prepare \p sql on \p store into *\p st. */
static sg_status prep(sg_ctx *ctx, sg_store *store, const char *sql,
                      sqlite3_stmt **st)
{
    if (sqlite3_prepare_v2(store->db, sql, -1, st, NULL) != SQLITE_OK)
        return sg__store_sql_error(ctx, store, "site_proposals");
    return SG_OK;
}

/* Add (once) the fids of every row of \p st, then finalize it. */
static sg_status collect(sg_ctx *ctx, sqlite3_stmt *st, sg__fidset *out)
{
    sg_status s = SG_OK;
    while (s == SG_OK && sqlite3_step(st) == SQLITE_ROW)
        if (sg__fidset_add_once(out, sqlite3_column_int64(st, 0)))
            s = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    sqlite3_finalize(st);
    return s;
}

static sg_status all_fids(sg_ctx *ctx, sg_store *store, sg__fidset *out)
{
    sqlite3_stmt *st = NULL;
    sg_status s = prep(
        ctx, store, "SELECT fid FROM site_proposals ORDER BY rank, fid", &st);
    return s ? s : collect(ctx, st, out);
}

static sg_status fids_by_candidate(sg_ctx *ctx, sg_store *store, const char *id,
                                   sg__fidset *out)
{
    sqlite3_stmt *st = NULL;
    sg_status s =
        prep(ctx, store,
             "SELECT fid FROM site_proposals WHERE candidate_id = ?", &st);
    if (s)
        return s;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    return collect(ctx, st, out);
}

static sg_status fids_by_rank(sg_ctx *ctx, sg_store *store, const char *id,
                              long long rank, sg__fidset *out)
{
    (void)id;
    sqlite3_stmt *st = NULL;
    sg_status s =
        prep(ctx, store, "SELECT fid FROM site_proposals WHERE rank = ?", &st);
    if (s)
        return s;
    sqlite3_bind_int64(st, 1, rank);
    return collect(ctx, st, out);
}

/* The kind of points the last site run sited, into \p kind (\p size
 * bytes): for proposals written before site_proposals had a kind. */
static void last_site_kind(sg_store *store, char *kind, size_t size)
{
    sqlite3_stmt *st = NULL;
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
                               const sg__fidset *fids)
{
    sqlite3_stmt *st = NULL;
    sg_status s = prep(ctx, store,
                       "SELECT p.candidate_id, "
                       "EXISTS (SELECT 1 FROM points q "
                       "WHERE q.point_id = p.candidate_id) "
                       "FROM site_proposals p WHERE p.fid = ?",
                       &st);
    for (size_t i = 0; s == SG_OK && i < fids->n; i++) {
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, fids->v[i]);
        if (sqlite3_step(st) != SQLITE_ROW) {
            s = sg__store_sql_error(ctx, store, "site_proposals");
            break;
        }
        const char *id = (const char *)sqlite3_column_text(st, 0);
        if (!id || !*id)
            s = sg__error(ctx, SG_ERR_INPUT,
                          "site proposal %lld has no candidate_id to become "
                          "a point_id; nothing was accepted",
                          fids->v[i]);
        else if (sqlite3_column_int(st, 1))
            s = sg__error(ctx, SG_ERR_INPUT,
                          "points already holds a point %s (accepted "
                          "before?); nothing was accepted",
                          id);
    }
    sqlite3_finalize(st);
    return s;
}

/* One point per proposal, then the proposal gone. */
static sg_status move_rows(sg_ctx *ctx, sg_store *store, const sg__fidset *fids,
                           int has_kind, const char *kind)
{
    sqlite3_stmt *ins = NULL, *del = NULL;
    sg_status s =
        prep(ctx, store,
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
    for (size_t i = 0; s == SG_OK && i < fids->n; i++) {
        sqlite3_reset(ins);
        sqlite3_bind_int64(ins, 1, fids->v[i]);
        sqlite3_bind_text(ins, 2, kind, -1, SQLITE_STATIC);
        sqlite3_reset(del);
        sqlite3_bind_int64(del, 1, fids->v[i]);
        if (sqlite3_step(ins) != SQLITE_DONE)
            s = sg__store_sql_error(ctx, store, "adding a point");
        else if (sqlite3_step(del) != SQLITE_DONE)
            s = sg__store_sql_error(ctx, store, "site_proposals");
    }
    sqlite3_finalize(ins);
    sqlite3_finalize(del);
    return s;
}

static const sg__site_ops sqlite_site_ops = {
    has_column,    all_fids,       fids_by_candidate, fids_by_rank,
    check_new_ids, last_site_kind, move_rows};

sg_status sg__site_candidate_layer(sg_ctx *ctx, sg_store *store,
                                   const char *layer, char *idcol, size_t size)
{
    SG_PG_DISPATCH(store,
                   sg__pg_site_candidate_layer(ctx, store, layer, idcol, size));
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
    return sg__site_idcol(ctx, store, layer, rc == SQLITE_ROW, gtype,
                          &sqlite_site_ops, idcol, size);
}

sg_status sg__site_accept_rows(sg_ctx *ctx, sg_store *store,
                               const char *const *ids, size_t nids,
                               long long *accepted)
{
    SG_PG_DISPATCH(store,
                   sg__pg_site_accept_rows(ctx, store, ids, nids, accepted));
    return sg__site_accept(ctx, store, ids, nids, accepted, &sqlite_site_ops);
}
