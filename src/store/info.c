/* Describing a store: its layers with counts and extents, and its runs.
 * Not for: changing anything.
 * SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "core/ctx_int.h"
#include "store/store_pg_int.h"
#include "store/store_sqlite_int.h"

static char *dupcol(sqlite3_stmt *st, int i)
{
    const char *s = (const char *)sqlite3_column_text(st, i);
    return s ? sg__strdup(NULL, s) : NULL;
}

/* Fill count and extents of one layer. */
static sg_status layer_stats(sg_ctx *ctx, sg_store *store, sg_layer_info *li)
{
    li->count = sg__store_count(ctx, store, li->name);
    if (li->count < 0)
        return sg_ctx_status(ctx);
    if (!li->geometry_type || li->count == 0 || !store->srid)
        return SG_OK;
    sqlite3_stmt *st = NULL;
    char *sql = sqlite3_mprintf(
        "SELECT MbrMinX(e), MbrMinY(e), MbrMaxX(e), MbrMaxY(e), "
        "MbrMinX(w), MbrMinY(w), MbrMaxX(w), MbrMaxY(w) FROM "
        "(SELECT e, ST_Transform(e, 4326) AS w FROM "
        "(SELECT Extent(geom) AS e FROM \"%w\"))",
        li->name);
    int rc = sqlite3_prepare_v2(store->db, sql, -1, &st, NULL);
    sqlite3_free(sql);
    if (rc != SQLITE_OK)
        return sg__store_sql_error(ctx, store, "reading a layer's extent");
    if (sqlite3_step(st) == SQLITE_ROW &&
        sqlite3_column_type(st, 0) != SQLITE_NULL) {
        li->has_extent = 1;
        for (int i = 0; i < 4; i++) {
            li->extent[i] = sqlite3_column_double(st, i);
            li->extent_lonlat[i] = sqlite3_column_double(st, i + 4);
        }
    }
    sqlite3_finalize(st);
    return SG_OK;
}

sg_status sg_store_layers(sg_ctx *ctx, sg_store *store, sg_layer_info **out,
                          size_t *n)
{
    SG_PG_DISPATCH(store, sg__pg_layers(ctx, store, out, n));
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st = NULL;
    sg_layer_info *arr = NULL;
    size_t cap = 0, len = 0;
    sg_status rc = SG_OK;
    if (sqlite3_prepare_v2(store->db,
                           "SELECT name, geometry_type, kind, title_zh, "
                           "title_en FROM sg_layers "
                           "ORDER BY kind = 'result', rowid",
                           -1, &st, NULL) != SQLITE_OK)
        return sg__store_sql_error(ctx, store, "listing layers");
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (len == cap) {
            cap = cap ? cap * 2 : 16;
            sg_layer_info *na = realloc(arr, cap * sizeof *arr);
            if (!na) {
                rc = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
                break;
            }
            arr = na;
        }
        sg_layer_info *li = &arr[len++];
        memset(li, 0, sizeof *li);
        li->name = dupcol(st, 0);
        li->geometry_type = dupcol(st, 1);
        li->kind = dupcol(st, 2);
        li->title_zh = dupcol(st, 3);
        li->title_en = dupcol(st, 4);
        if (!li->name || !li->kind) {
            rc = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
            break;
        }
    }
    sqlite3_finalize(st);
    for (size_t i = 0; rc == SG_OK && i < len; i++)
        rc = layer_stats(ctx, store, &arr[i]);
    if (rc) {
        sg_layer_info_free(arr, len);
        return rc;
    }
    *out = arr;
    *n = len;
    return SG_OK;
}

void sg_layer_info_free(sg_layer_info *layers, size_t n)
{
    if (!layers)
        return;
    for (size_t i = 0; i < n; i++) {
        free(layers[i].name);
        free(layers[i].geometry_type);
        free(layers[i].kind);
        free(layers[i].title_zh);
        free(layers[i].title_en);
    }
    free(layers);
}

sg_status sg_store_runs(sg_ctx *ctx, sg_store *store, int limit,
                        sg_run_info **out, size_t *n)
{
    SG_PG_DISPATCH(store, sg__pg_runs(ctx, store, limit, out, n));
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st = NULL;
    if (limit <= 0)
        return SG_OK;
    sg_run_info *arr = calloc((size_t)limit, sizeof *arr);
    if (!arr)
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    if (sqlite3_prepare_v2(store->db,
                           "SELECT run_id, command, params, counts, "
                           "started_at, seconds FROM runs "
                           "ORDER BY run_id DESC LIMIT ?",
                           -1, &st, NULL) != SQLITE_OK) {
        free(arr);
        return sg__store_sql_error(ctx, store, "reading runs");
    }
    sqlite3_bind_int(st, 1, limit);
    size_t len = 0;
    while (len < (size_t)limit && sqlite3_step(st) == SQLITE_ROW) {
        sg_run_info *r = &arr[len++];
        r->run_id = sqlite3_column_int64(st, 0);
        r->command = dupcol(st, 1);
        r->params = dupcol(st, 2);
        r->counts = dupcol(st, 3);
        r->started_at = dupcol(st, 4);
        r->seconds = sqlite3_column_double(st, 5);
    }
    sqlite3_finalize(st);
    *out = arr;
    *n = len;
    return SG_OK;
}

void sg_run_info_free(sg_run_info *runs, size_t n)
{
    if (!runs)
        return;
    for (size_t i = 0; i < n; i++) {
        free(runs[i].command);
        free(runs[i].params);
        free(runs[i].counts);
        free(runs[i].started_at);
    }
    free(runs);
}
