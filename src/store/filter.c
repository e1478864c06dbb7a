/* Row filters (--where) and deleting rows of a layer (sg_store_delete_rows,
 * sanigrid/snapshot.h: SQLite's operations for delete.c's flow). A filter is
 * the user's SQL expression over their own store, but the library still must
 * not let it write or reach outside the layer: see filter_int.h. Not for:
 * snapshots (snapshot.c) or showing rows (show.c). SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/ctx_int.h"
#include "sanigrid/snapshot.h"
#include "store/delete_int.h"
#include "store/filter_int.h"
#include "store/pg_port_int.h"

/* Functions a filter may call: SQLite's plain scalar and aggregate
 * functions and SpatiaLite's measures and predicates. None writes; every
 * other function (SpatiaLite's ImportSHP, BlobToFile, DropTable ...) is
 * refused. */
static const char *const allowed_functions[] = {"abs",
                                                "char",
                                                "coalesce",
                                                "glob",
                                                "hex",
                                                "ifnull",
                                                "iif",
                                                "instr",
                                                "length",
                                                "like",
                                                "likelihood",
                                                "likely",
                                                "lower",
                                                "ltrim",
                                                "max",
                                                "min",
                                                "nullif",
                                                "printf",
                                                "format",
                                                "quote",
                                                "replace",
                                                "round",
                                                "rtrim",
                                                "sign",
                                                "substr",
                                                "substring",
                                                "trim",
                                                "typeof",
                                                "unicode",
                                                "unlikely",
                                                "upper",
                                                "date",
                                                "time",
                                                "datetime",
                                                "julianday",
                                                "strftime",
                                                "unixepoch",
                                                "count",
                                                "sum",
                                                "total",
                                                "avg",
                                                "group_concat",
                                                "st_area",
                                                "area",
                                                "st_length",
                                                "glength",
                                                "st_perimeter",
                                                "perimeter",
                                                "st_x",
                                                "st_y",
                                                "x",
                                                "y",
                                                "st_srid",
                                                "srid",
                                                "geometrytype",
                                                "st_geometrytype",
                                                "st_isvalid",
                                                "isvalid",
                                                "st_isempty",
                                                "isempty",
                                                "st_npoints",
                                                "st_numpoints",
                                                "numpoints",
                                                "st_numgeometries",
                                                "numgeometries",
                                                "st_astext",
                                                "astext",
                                                "st_intersects",
                                                "intersects",
                                                "st_within",
                                                "within",
                                                "st_contains",
                                                "contains",
                                                "st_disjoint",
                                                "disjoint",
                                                "st_touches",
                                                "touches",
                                                "st_distance",
                                                "distance",
                                                "st_geomfromtext",
                                                "geomfromtext",
                                                "makepoint",
                                                "st_point",
                                                "st_transform",
                                                "transform",
                                                "st_buffer",
                                                "buffer",
                                                "st_centroid",
                                                "centroid",
                                                "st_envelope",
                                                "envelope",
                                                "mbrminx",
                                                "mbrminy",
                                                "mbrmaxx",
                                                "mbrmaxy",
                                                "mbrintersects",
                                                "mbrwithin",
                                                "mbrcontains",
                                                "ptdistwithin",
                                                "st_pointonsurface",
                                                "pointonsurface",
                                                "asbinary",
                                                "st_asbinary",
                                                NULL};

typedef struct guard {
    const char *layer; /* the one table a filter may read */
    char refused[160]; /* what was refused first ("" if nothing) */
} guard;

int sg__filter_function_allowed(const char *name)
{
    for (size_t i = 0; name && allowed_functions[i]; i++)
        if (!strcasecmp(name, allowed_functions[i]))
            return 1;
    return 0;
}

/* The authorizer of a filter: reads of guard->layer, SELECT and the
 * allowed functions; anything else is denied and noted. */
static int authorize(void *user, int action, const char *a1, const char *a2,
                     const char *db, const char *trigger)
{
    guard *g = user;
    (void)db;
    (void)trigger;
    switch (action) {
    case SQLITE_SELECT: return SQLITE_OK;
    case SQLITE_READ:
        if (a1 && !strcmp(a1, g->layer))
            return SQLITE_OK;
        if (!g->refused[0])
            snprintf(g->refused, sizeof g->refused, "reading table %s",
                     a1 ? a1 : "?");
        return SQLITE_DENY;
    case SQLITE_FUNCTION:
        if (sg__filter_function_allowed(a2))
            return SQLITE_OK;
        if (!g->refused[0])
            snprintf(g->refused, sizeof g->refused, "function %s()",
                     a2 ? a2 : "?");
        return SQLITE_DENY;
    default:
        if (!g->refused[0])
            snprintf(g->refused, sizeof g->refused,
                     "an SQL statement of kind %d", action);
        return SQLITE_DENY;
    }
}

sg_status sg__filter_prepare(sg_ctx *ctx, sg_store *store, const char *layer,
                             const char *head, const char *where,
                             const char *tail, sqlite3_stmt **out)
{
    SG_PG_UNSUPPORTED(ctx, store, "--where");
    *out = NULL;
    char *sql = where ? sqlite3_mprintf("%s WHERE (%s\n)%s", head, where,
                                        tail ? tail : "")
                      : sqlite3_mprintf("%s%s", head, tail ? tail : "");
    if (!sql)
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    guard g;
    memset(&g, 0, sizeof g);
    g.layer = layer;
    const char *rest = NULL;
    sqlite3_set_authorizer(store->db, authorize, &g);
    int rc = sqlite3_prepare_v2(store->db, sql, -1, out, &rest);
    sqlite3_set_authorizer(store->db, NULL, NULL);
    int extra = 0;
    for (; rc == SQLITE_OK && rest && *rest; rest++)
        if (*rest != ' ' && *rest != '\t' && *rest != '\n' && *rest != ';')
            extra = 1;
    sg_status st = SG_OK;
    if (rc != SQLITE_OK && g.refused[0])
        st = sg__error(ctx, SG_ERR_USAGE,
                       "--where '%s': %s is not allowed in a filter (it may "
                       "read layer %s and use plain functions)",
                       where ? where : "", g.refused, layer);
    else if (rc != SQLITE_OK)
        st = sg__error(ctx, SG_ERR_USAGE, "--where '%s': %s",
                       where ? where : "", sqlite3_errmsg(store->db));
    else if (extra || !*out || !sqlite3_stmt_readonly(*out))
        st = sg__error(ctx, SG_ERR_USAGE,
                       "--where '%s': give one expression (a filter cannot "
                       "hold a second statement or change anything)",
                       where ? where : "");
    sqlite3_free(sql);
    if (st) {
        sqlite3_finalize(*out);
        *out = NULL;
    }
    return st;
}

sg_status sg__filter_check_layer(sg_ctx *ctx, sg_store *store,
                                 const char *layer)
{
    SG_PG_DISPATCH(store, sg__pg_filter_check_layer(ctx, store, layer));
    if (layer && sg__store_has_layer(store, layer))
        return SG_OK;
    sqlite3_stmt *st = NULL;
    char list[1024] = "";
    size_t len = 0;
    if (sqlite3_prepare_v2(store->db,
                           "SELECT name FROM sg_layers "
                           "ORDER BY kind = 'result', rowid",
                           -1, &st, NULL) == SQLITE_OK)
        while (sqlite3_step(st) == SQLITE_ROW && len + 40 < sizeof list) {
            int k = snprintf(list + len, sizeof list - len, "%s%s",
                             len ? ", " : "", sqlite3_column_text(st, 0));
            if (k > 0)
                len += (size_t)k;
        }
    sqlite3_finalize(st);
    return sg__error(ctx, SG_ERR_USAGE,
                     "store %s has no layer '%s'; its layers: %s", store->path,
                     layer ? layer : "", list);
}

/* Add the fids of every row of \p stmt (column 0) to \p s. */
static sg_status collect(sg_ctx *ctx, sg_store *store, sqlite3_stmt *stmt,
                         sg__fidset *s, const char *layer)
{
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
        if (sg__fidset_add(s, sqlite3_column_int64(stmt, 0)))
            return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    if (rc != SQLITE_DONE)
        return sg__store_sql_error(ctx, store, layer);
    return SG_OK;
}

/* Add the fids of the rows of \p layer whose \p idcol is \p id. */
static sg_status fids_by_id(sg_ctx *ctx, sg_store *store, const char *layer,
                            const char *idcol, const char *id, sg__fidset *out)
{
    char *sql = sqlite3_mprintf("SELECT fid FROM \"%w\" WHERE \"%w\" = ?",
                                layer, idcol);
    sqlite3_stmt *st = NULL;
    if (!sql)
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    int rc = sqlite3_prepare_v2(store->db, sql, -1, &st, NULL);
    sqlite3_free(sql);
    if (rc != SQLITE_OK)
        return sg__store_sql_error(ctx, store, layer);
    if (!strcmp(idcol, "fid")) {
        char *end = NULL;
        long long v = strtoll(id, &end, 10);
        if (end == id || *end)
            v = -1; /* not a number: no row */
        sqlite3_bind_int64(st, 1, v);
    } else {
        sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    }
    sg_status s = collect(ctx, store, st, out, layer);
    sqlite3_finalize(st);
    return s;
}

/* Delete the rows \p fids of \p layer. */
static sg_status delete_fids(sg_ctx *ctx, sg_store *store, const char *layer,
                             const sg__fidset *fids)
{
    char *sql = sqlite3_mprintf("DELETE FROM \"%w\" WHERE fid = ?", layer);
    sqlite3_stmt *st = NULL;
    if (!sql)
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    int rc = sqlite3_prepare_v2(store->db, sql, -1, &st, NULL);
    sqlite3_free(sql);
    if (rc != SQLITE_OK)
        return sg__store_sql_error(ctx, store, layer);
    rc = SQLITE_DONE;
    for (size_t i = 0; rc == SQLITE_DONE && i < fids->n; i++) {
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, fids->v[i]);
        rc = sqlite3_step(st);
    }
    sg_status s =
        rc != SQLITE_DONE ? sg__store_sql_error(ctx, store, layer) : SG_OK;
    sqlite3_finalize(st);
    return s;
}

/* The fids of the rows of \p layer that filter \p where keeps. */
static sg_status fids_by_where(sg_ctx *ctx, sg_store *store, const char *layer,
                               const char *where, sg__fidset *out)
{
    char *head = sqlite3_mprintf("SELECT fid FROM \"%w\"", layer);
    if (!head)
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    sqlite3_stmt *st = NULL;
    sg_status s = sg__filter_prepare(ctx, store, layer, head, where, NULL, &st);
    sqlite3_free(head);
    if (s == SG_OK)
        s = collect(ctx, store, st, out, layer);
    sqlite3_finalize(st);
    return s;
}

static const sg__delete_ops sqlite_delete_ops = {
    sg__filter_check_layer, fids_by_id, fids_by_where, delete_fids};

sg_status sg_store_delete_rows(sg_ctx *ctx, sg_store *store, const char *layer,
                               const char *const *ids, size_t nids,
                               const char *where, long long *deleted)
{
    SG_PG_DISPATCH(store, sg__pg_delete_rows(ctx, store, layer, ids, nids,
                                             where, deleted));
    return sg__delete_rows(ctx, store, layer, ids, nids, where, deleted,
                           &sqlite_delete_ops);
}
