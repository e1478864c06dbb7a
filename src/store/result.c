/* Reading layers for analyses and writing their result layers: the only
 * SQL analyses need, kept here with the rest of the store's SQL.
 * Not for: analysis logic.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ctx_int.h"
#include "store/store_pg_int.h"
#include "store/store_sqlite_int.h"

/* Prepare the SELECT of sg__store_scan into \p out. */
static sg_status prepare_scan(sg_ctx *ctx, sg_store *store, const char *layer,
                              const char *const *cols, size_t ncols,
                              int with_geom, const char *filter_col,
                              const char *filter_value, sqlite3_stmt **out)
{
    *out = NULL;
    char *list = sqlite3_mprintf("%s", "");
    for (size_t i = 0; i < ncols && list; i++) {
        char *n = sqlite3_mprintf("%s%s\"%w\"", list, i ? ", " : "", cols[i]);
        sqlite3_free(list);
        list = n;
    }
    if (!list)
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    char *sql = sqlite3_mprintf(
        "SELECT %s%s%s FROM \"%w\"%s%w%s ORDER BY fid", list,
        with_geom && ncols ? ", " : "", with_geom ? "AsBinary(geom)" : "",
        layer, filter_col ? " WHERE \"" : "", filter_col ? filter_col : "",
        filter_col ? "\" = ?" : "");
    sqlite3_free(list);
    if (!sql)
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    int rc = sqlite3_prepare_v2(store->db, sql, -1, out, NULL);
    sqlite3_free(sql);
    if (rc != SQLITE_OK)
        return sg__store_sql_error(ctx, store, layer);
    if (filter_col)
        sqlite3_bind_text(*out, 1, filter_value, -1, SQLITE_TRANSIENT);
    return SG_OK;
}

sg_status sg__store_scan(sg_ctx *ctx, sg_store *store, const char *layer,
                         const char *const *cols, size_t ncols, int with_geom,
                         const char *filter_col, const char *filter_value,
                         sg__row_fn fn, void *user)
{
    SG_PG_DISPATCH(store, sg__pg_scan(ctx, store, layer, cols, ncols, with_geom,
                                      filter_col, filter_value, fn, user));
    sqlite3_stmt *st = NULL;
    sg_status s = prepare_scan(ctx, store, layer, cols, ncols, with_geom,
                               filter_col, filter_value, &st);
    if (s)
        return s;
    int rc;
    sg__row row = SG_ROW_OF(st);
    while (s == SG_OK && (rc = sqlite3_step(st)) == SQLITE_ROW)
        s = fn(&row, user);
    if (s == SG_OK && rc != SQLITE_DONE)
        s = sg__store_sql_error(ctx, store, layer);
    sqlite3_finalize(st);
    return s;
}

struct sg__rows {
    sg__backend kind;
    sqlite3_stmt *st;
    sg__row row;              /* the handle handed out */
    struct sg__pg_cursor *pg; /* PostgreSQL: owned cursor */
    sg_store *store;
    char layer[128]; /* for messages */
};

sg_status sg__store_rows_open(sg_ctx *ctx, sg_store *store, const char *layer,
                              const char *const *cols, size_t ncols,
                              int with_geom, const char *filter_col,
                              const char *filter_value, sg__rows **out)
{
    *out = NULL;
    sg__rows *r = calloc(1, sizeof *r);
    if (!r)
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    if (SG_IS_PG(store)) {
        r->kind = SG_BACKEND_PG;
        r->store = store;
        snprintf(r->layer, sizeof r->layer, "%s", layer);
        char *sql = sg__pg_scan_sql(store, layer, cols, ncols,
                                    with_geom ? SG_PG_WKB : NULL, filter_col);
        sg_status s =
            sql ? sg__pg_cursor_open(ctx, store, sql,
                                     filter_col ? filter_value : NULL, &r->pg)
                : sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        free(sql);
        if (s) {
            free(r);
            return s;
        }
        *out = r;
        return SG_OK;
    }
    sg_status s = prepare_scan(ctx, store, layer, cols, ncols, with_geom,
                               filter_col, filter_value, &r->st);
    if (s) {
        free(r);
        return s;
    }
    r->store = store;
    snprintf(r->layer, sizeof r->layer, "%s", layer);
    *out = r;
    return SG_OK;
}

int sg__rows_next(sg_ctx *ctx, sg__rows *rows, sg__row **row)
{
    *row = NULL;
    if (rows->kind == SG_BACKEND_PG) {
        if (!rows->pg)
            return 0;
        int rc = sg__pg_cursor_next(ctx, rows->pg, &rows->row);
        if (rc == 1) {
            *row = &rows->row;
            return 1;
        }
        sg__pg_cursor_close(rows->pg); /* ends the read at once */
        rows->pg = NULL;
        return rc;
    }
    if (!rows->st)
        return 0;
    int rc = sqlite3_step(rows->st);
    if (rc == SQLITE_ROW) {
        rows->row = SG_ROW_OF(rows->st);
        *row = &rows->row;
        return 1;
    }
    int ret = 0;
    if (rc != SQLITE_DONE) {
        sg__store_sql_error(ctx, rows->store, rows->layer);
        ret = -1;
    }
    sqlite3_finalize(rows->st); /* ends the read at once */
    rows->st = NULL;
    return ret;
}

void sg__rows_close(sg__rows *rows)
{
    if (!rows)
        return;
    sg__pg_cursor_close(rows->pg);
    sqlite3_finalize(rows->st);
    free(rows);
}

/* SQL that drops what result layer \p name is made of besides its row
 * in sg_layers: a table with its geometry registration and spatial index
 * (only SpatiaLite's disabling of an index that exists: of one that does
 * not it complains on stderr), or a keyed layer's view, registration and
 * tables (keyed.c). sqlite3_mprintf'd; NULL when out of memory. */
static char *drop_sql(sg_store *store, const char *name, int has_geom)
{
    sqlite3_stmt *q = NULL;
    int view = 0, indexed = 0;
    if (sqlite3_prepare_v2(store->db,
                           "SELECT (SELECT type = 'view' FROM sqlite_master "
                           "WHERE name = ?1), (SELECT spatial_index_enabled "
                           "= 1 FROM geometry_columns WHERE f_table_name = "
                           "lower(?1) AND f_geometry_column = 'geom')",
                           -1, &q, NULL) == SQLITE_OK) {
        sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
        if (sqlite3_step(q) == SQLITE_ROW) {
            view = sqlite3_column_int(q, 0);
            indexed = sqlite3_column_int(q, 1);
        }
    }
    sqlite3_finalize(q);
    if (view)
        return sqlite3_mprintf("DELETE FROM views_geometry_columns WHERE "
                               "view_name = lower(%Q); DROP VIEW \"%w\"; "
                               "DROP TABLE IF EXISTS \"%w_rows\"; DROP TABLE "
                               "IF EXISTS \"%w_codes\";",
                               name, name, name, name);
    if (!has_geom)
        return sqlite3_mprintf("DROP TABLE IF EXISTS \"%w\";", name);
    char *ix = indexed ? sqlite3_mprintf("SELECT DisableSpatialIndex(%Q, "
                                         "'geom'); ",
                                         name)
                       : sqlite3_mprintf("%s", "");
    char *sql = ix ? sqlite3_mprintf("%sSELECT DiscardGeometryColumn(%Q, "
                                     "'geom'); DROP TABLE IF EXISTS "
                                     "\"idx_%w_geom\"; DROP TABLE IF EXISTS "
                                     "\"%w\";",
                                     ix, name, name, name)
                   : NULL;
    sqlite3_free(ix);
    return sql;
}

sg_status sg__store_drop_result(sg_ctx *ctx, sg_store *store, const char *name)
{
    sqlite3_stmt *st = NULL;
    int has_geom = 0, exists = 0;
    if (sqlite3_prepare_v2(store->db,
                           "SELECT kind, geometry_type IS NOT NULL FROM "
                           "sg_layers WHERE name = ?",
                           -1, &st, NULL) != SQLITE_OK)
        return sg__store_sql_error(ctx, store, "listing layers");
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW) {
        exists = 1;
        if (strcmp((const char *)sqlite3_column_text(st, 0), "result") != 0) {
            sqlite3_finalize(st);
            return sg__error(ctx, SG_ERR_USAGE,
                             "%s is an input layer, not a result layer", name);
        }
        has_geom = sqlite3_column_int(st, 1);
    }
    sqlite3_finalize(st);
    if (!exists)
        return SG_OK;
    /* Debian's SQLite zeroes every freed page (secure_delete = 1): for a
     * million-row result that is a write of each of its pages to the WAL
     * and again at the checkpoint (1.4 s of a 0.1 s drop at L). A result
     * holds nothing that is not derived from the layers still in the
     * store, and the next result reuses the freed pages in this same
     * transaction; FAST still clears cells of pages written anyway.
     * Restored after the drop: deleting input rows keeps zeroing them. */
    int old_secure = 1;
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(store->db, "PRAGMA secure_delete", -1, &q, NULL) ==
            SQLITE_OK &&
        sqlite3_step(q) == SQLITE_ROW)
        old_secure = sqlite3_column_int(q, 0);
    sqlite3_finalize(q);
    sg_status s = sg__store_exec(ctx, store, "PRAGMA secure_delete = FAST");
    if (s == SG_OK) {
        char *drop = drop_sql(store, name, has_geom);
        char *sql = drop ? sqlite3_mprintf("%sDELETE FROM sg_layers WHERE "
                                           "name = %Q;",
                                           drop, name)
                         : NULL;
        s = sql ? sg__store_exec(ctx, store, sql)
                : sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        sqlite3_free(drop);
        sqlite3_free(sql);
    }
    char restore[48];
    snprintf(restore, sizeof restore, "PRAGMA secure_delete = %d", old_secure);
    sqlite3_exec(store->db, restore, NULL, NULL, NULL);
    return s;
}

sg_status sg__store_create_result(sg_ctx *ctx, sg_store *store,
                                  const char *name, const char *geom_type,
                                  const sg__column *cols, size_t ncols,
                                  const char *title_zh, const char *title_en)
{
    if (geom_type && !store->srid)
        return sg__error(ctx, SG_ERR_INPUT,
                         "store %s has no working CRS yet; import data first",
                         store->path);
    SG_PG_DISPATCH(store,
                   sg__pg_create_result(ctx, store, name, geom_type, cols,
                                        ncols, title_zh, title_en, 1));
    return sg__sqlite_create_result(ctx, store, name, geom_type, cols, ncols,
                                    title_zh, title_en, 1);
}

sg_status sg__sqlite_create_result(sg_ctx *ctx, sg_store *store,
                                   const char *name, const char *geom_type,
                                   const sg__column *cols, size_t ncols,
                                   const char *title_zh, const char *title_en,
                                   int with_index)
{
    sg_status s = sg__store_drop_result(ctx, store, name);
    if (s)
        return s;
    char *defs = sqlite3_mprintf("fid INTEGER PRIMARY KEY");
    for (size_t i = 0; i < ncols && defs; i++) {
        char *n =
            sqlite3_mprintf("%s, \"%w\" %s", defs, cols[i].name, cols[i].type);
        sqlite3_free(defs);
        defs = n;
    }
    char *sql =
        defs ? sqlite3_mprintf("CREATE TABLE \"%w\" (%s);", name, defs) : NULL;
    sqlite3_free(defs);
    if (!sql)
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    s = sg__store_exec(ctx, store, sql);
    sqlite3_free(sql);
    if (s == SG_OK && geom_type) {
        char *ix = with_index ? sqlite3_mprintf(" SELECT "
                                                "CreateSpatialIndex(%Q, "
                                                "'geom');",
                                                name)
                              : sqlite3_mprintf("%s", "");
        sql = ix ? sqlite3_mprintf("SELECT AddGeometryColumn(%Q, 'geom', %d, "
                                   "%Q, 'XY');%s",
                                   name, store->srid, geom_type, ix)
                 : NULL;
        sqlite3_free(ix);
        s = sql ? sg__store_exec(ctx, store, sql) : SG_ERR_NOMEM;
        sqlite3_free(sql);
    }
    if (s == SG_OK) {
        sql = sqlite3_mprintf("INSERT INTO sg_layers (name, geometry_type, "
                              "kind, title_zh, title_en) VALUES (%Q, %Q, "
                              "'result', %Q, %Q)",
                              name, geom_type, title_zh, title_en);
        s = sql ? sg__store_exec(ctx, store, sql) : SG_ERR_NOMEM;
        sqlite3_free(sql);
    }
    return s;
}

sg_status sg__store_prepare_result_insert(sg_ctx *ctx, sg_store *store,
                                          const char *name,
                                          const sg__column *cols, size_t ncols,
                                          int with_geom, sg__insert **out)
{
    sqlite3_stmt *stmt = NULL;
    *out = NULL;
    if (SG_IS_PG(store)) {
        const char *names[64];
        if (ncols > 64)
            return sg__error(ctx, SG_ERR_USAGE, "%s: too many columns", name);
        for (size_t i = 0; i < ncols; i++)
            names[i] = cols[i].name;
        return sg__pg_prepare_insert(ctx, store, name, names, ncols, with_geom,
                                     -1, out);
    }
    char *names = sqlite3_mprintf("%s", "");
    char *vals = sqlite3_mprintf("%s", "");
    for (size_t i = 0; i < ncols && names && vals; i++) {
        char *n =
            sqlite3_mprintf("%s%s\"%w\"", names, i ? ", " : "", cols[i].name);
        char *v = sqlite3_mprintf("%s%s?", vals, i ? ", " : "");
        sqlite3_free(names);
        sqlite3_free(vals);
        names = n;
        vals = v;
    }
    char *sql = NULL;
    if (names && vals)
        sql = with_geom
                  ? sqlite3_mprintf("INSERT INTO \"%w\" (%s%sgeom) VALUES "
                                    "(%s%sGeomFromWKB(?, %d))",
                                    name, names, ncols ? ", " : "", vals,
                                    ncols ? ", " : "", store->srid)
                  : sqlite3_mprintf("INSERT INTO \"%w\" (%s) VALUES (%s)", name,
                                    names, vals);
    sqlite3_free(names);
    sqlite3_free(vals);
    if (!sql)
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    int rc = sqlite3_prepare_v2(store->db, sql, -1, &stmt, NULL);
    sqlite3_free(sql);
    if (rc != SQLITE_OK)
        return sg__store_sql_error(ctx, store, name);
    return sg__insert_wrap(ctx, stmt, out);
}

sg_status sg__store_step_insert(sg_ctx *ctx, sg_store *store, sg__insert *stmt)
{
    if (stmt->kind == SG_BACKEND_PG)
        return sg__pg_insert_step(ctx, stmt->pg);
    int rc = sqlite3_step(SG_STMT(stmt));
    sqlite3_reset(SG_STMT(stmt));
    if (rc != SQLITE_DONE)
        return sg__store_sql_error(ctx, store, "writing a result");
    return SG_OK;
}
