/* Store statements of the cleaner allocation (see allocate_sql_int.h).
 * Not for: allocation logic (src/analysis/allocate*.c).
 * SPDX-License-Identifier: MIT */
#include <string.h>

#include "core/ctx_int.h"
#include "store/allocate_sql_int.h"
#include "store/pg_read_int.h"
#include "store/store_sqlite_int.h"

/* \return 1 if \p layer is registered as a result layer, 0 if not (or
 * unknown), -1 on an SQL error (message in ctx). */
static int is_result_layer(sg_ctx *ctx, sg_store *store, const char *layer)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(store->db,
                           "SELECT kind = 'result' FROM sg_layers WHERE "
                           "name = ?",
                           -1, &st, NULL) != SQLITE_OK) {
        sg__store_sql_error(ctx, store, "listing layers");
        return -1;
    }
    sqlite3_bind_text(st, 1, layer, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st), yes = 0;
    if (rc == SQLITE_ROW)
        yes = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        sg__store_sql_error(ctx, store, "listing layers");
        return -1;
    }
    return yes;
}

sg_status sg__store_delete_result_rows(sg_ctx *ctx, sg_store *store,
                                       const char *layer, const char *col,
                                       const char *value)
{
    SG_PG_DISPATCH(store,
                   sg__pg_delete_result_rows(ctx, store, layer, col, value));
    int r = is_result_layer(ctx, store, layer);
    if (r < 0)
        return sg_ctx_status(ctx);
    if (r == 0)
        return sg__error(ctx, SG_ERR_USAGE, "%s is not a result layer", layer);
    char *sql =
        sqlite3_mprintf("DELETE FROM \"%w\" WHERE \"%w\" = ?", layer, col);
    if (!sql)
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(store->db, sql, -1, &st, NULL);
    sqlite3_free(sql);
    if (rc != SQLITE_OK)
        return sg__store_sql_error(ctx, store, layer);
    sqlite3_bind_text(st, 1, value, -1, SQLITE_TRANSIENT);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return sg__store_sql_error(ctx, store, layer);
    return SG_OK;
}

sg_status sg__store_ensure_result_column(sg_ctx *ctx, sg_store *store,
                                         const char *layer, const char *col,
                                         const char *type)
{
    SG_PG_DISPATCH(store,
                   sg__pg_ensure_result_column(ctx, store, layer, col, type));
    int r = is_result_layer(ctx, store, layer);
    if (r < 0)
        return sg_ctx_status(ctx);
    if (r == 0)
        return sg__error(ctx, SG_ERR_USAGE, "%s is not a result layer", layer);
    char *sql = sqlite3_mprintf("SELECT count(*) FROM pragma_table_info(%Q) "
                                "WHERE name = %Q",
                                layer, col);
    if (!sql)
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(store->db, sql, -1, &st, NULL);
    sqlite3_free(sql);
    if (rc != SQLITE_OK)
        return sg__store_sql_error(ctx, store, layer);
    rc = sqlite3_step(st);
    int have = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW)
        return sg__store_sql_error(ctx, store, layer);
    if (have)
        return SG_OK;
    sql = sqlite3_mprintf("ALTER TABLE \"%w\" ADD COLUMN \"%w\" %s", layer, col,
                          type);
    if (!sql)
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    rc = sqlite3_exec(store->db, sql, NULL, NULL, NULL);
    sqlite3_free(sql);
    return rc == SQLITE_OK ? SG_OK : sg__store_sql_error(ctx, store, layer);
}
