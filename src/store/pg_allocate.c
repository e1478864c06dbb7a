/* Result layers changed in place on PostgreSQL (the twins of
 * allocate_sql.c, see allocate_sql_int.h): allocate --division deletes
 * one village's rows of a result layer and adds a column a layer written
 * by an older version lacks. Both run inside the caller's transaction
 * (which holds the store's write lock), so the village's rows are
 * replaced atomically.
 * Not for: allocation logic (src/analysis/allocate*.c).
 * SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "core/ctx_int.h"
#include "store/pg_read_int.h"

/* \return 1 if \p layer is registered as a result layer, 0 if not (or
 * unknown), -1 on an error (message in ctx). */
static int is_result_layer(sg_ctx *ctx, sg_store *store, const char *layer)
{
    const char *p[1] = {layer};
    PGresult *res = sg__pg_query(ctx, store, "listing layers",
                                 "SELECT kind = 'result' FROM sg_layers "
                                 "WHERE name = $1",
                                 1, p);
    if (!res)
        return -1;
    int yes = PQntuples(res) > 0 && PQgetvalue(res, 0, 0)[0] == 't';
    PQclear(res);
    return yes;
}

/* The PostgreSQL type of an sg__column type (SQLite's affinity names), as
 * the result layers are created (pg_rows.c). */
static const char *pg_type(const char *t)
{
    if (!t)
        return "text";
    if (strstr(t, "INT") || strstr(t, "int"))
        return "bigint";
    if (strstr(t, "REAL") || strstr(t, "FLOA") || strstr(t, "DOUB") ||
        strstr(t, "NUM") || strstr(t, "real"))
        return "double precision";
    if (strstr(t, "BLOB"))
        return "bytea";
    return "text";
}

sg_status sg__pg_delete_result_rows(sg_ctx *ctx, sg_store *store,
                                    const char *layer, const char *col,
                                    const char *value)
{
    int r = is_result_layer(ctx, store, layer);
    if (r < 0)
        return sg_ctx_status(ctx);
    if (r == 0)
        return sg__error(ctx, SG_ERR_USAGE, "%s is not a result layer", layer);
    char *t = sg__pg_ident(store, layer);
    char *c = sg__pg_ident(store, col);
    char *sql =
        t && c ? sg__aprintf("DELETE FROM %s WHERE %s = $1", t, c) : NULL;
    PQfreemem(t);
    PQfreemem(c);
    if (!sql)
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    const char *p[1] = {value};
    PGresult *res = sg__pg_query(ctx, store, layer, sql, 1, p);
    free(sql);
    if (!res)
        return sg_ctx_status(ctx);
    PQclear(res);
    return SG_OK;
}

sg_status sg__pg_ensure_result_column(sg_ctx *ctx, sg_store *store,
                                      const char *layer, const char *col,
                                      const char *type)
{
    int r = is_result_layer(ctx, store, layer);
    if (r < 0)
        return sg_ctx_status(ctx);
    if (r == 0)
        return sg__error(ctx, SG_ERR_USAGE, "%s is not a result layer", layer);
    if (sg__pg_layer_has_column(store, layer, col))
        return SG_OK;
    char *t = sg__pg_ident(store, layer);
    char *c = sg__pg_ident(store, col);
    char *sql = t && c ? sg__aprintf("ALTER TABLE %s ADD COLUMN %s %s", t, c,
                                     pg_type(type))
                       : NULL;
    PQfreemem(t);
    PQfreemem(c);
    if (!sql)
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    sg_status st = sg__pg_exec(ctx, store, layer, sql);
    free(sql);
    return st;
}
