/* Window reads for grid planning (see plan_sql_int.h): the rows of a
 * layer near one village, through the layer's SpatiaLite R*Tree.
 * Not for: planning logic, writing result layers (result.c does that).
 * SPDX-License-Identifier: MIT */
#include <string.h>

#include "core/ctx_int.h"
#include "store/pg_read_int.h"
#include "store/plan_sql_int.h"
#include "store/store_sqlite_int.h"

/* \return 1 if table idx_<layer>_geom (the layer's R*Tree) exists, 0 if
 * not or if the catalogue cannot be read (the caller then reads every
 * row, which is slower but gives the same answer). */
static int has_rtree(sg_store *store, const char *layer)
{
    char *name = sqlite3_mprintf("idx_%s_geom", layer);
    sqlite3_stmt *st = NULL;
    int found = 0;
    if (name && sqlite3_prepare_v2(store->db,
                                   "SELECT 1 FROM sqlite_master WHERE "
                                   "type = 'table' AND name = ?",
                                   -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
        found = sqlite3_step(st) == SQLITE_ROW;
    }
    sqlite3_finalize(st);
    sqlite3_free(name);
    return found;
}

/* See plan_sql_int.h. The window binds as ?1..?4 = minx, miny, maxx,
 * maxy. */
sg_status sg__store_scan_window(sg_ctx *ctx, sg_store *store, const char *layer,
                                const char *const *cols, size_t ncols,
                                const double *box, sg__row_fn fn, void *user)
{
    SG_PG_DISPATCH(store, sg__pg_scan_window(ctx, store, layer, cols, ncols,
                                             box, fn, user));
    if (!box || !has_rtree(store, layer))
        return sg__store_scan(ctx, store, layer, cols, ncols, 1, NULL, NULL, fn,
                              user);
    char *list = sqlite3_mprintf("%s", "");
    for (size_t i = 0; i < ncols && list; i++) {
        char *n = sqlite3_mprintf("%s\"%w\", ", list, cols[i]);
        sqlite3_free(list);
        list = n;
    }
    char *sql = list ? sqlite3_mprintf(
                           "SELECT %sAsBinary(geom) FROM \"%w\" WHERE fid IN "
                           "(SELECT pkid FROM \"idx_%w_geom\" WHERE "
                           "xmin <= ?3 AND xmax >= ?1 AND ymin <= ?4 AND "
                           "ymax >= ?2) ORDER BY fid",
                           list, layer, layer)
                     : NULL;
    sqlite3_free(list);
    if (!sql)
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(store->db, sql, -1, &st, NULL);
    sqlite3_free(sql);
    if (rc != SQLITE_OK)
        return sg__store_sql_error(ctx, store, layer);
    for (int i = 0; i < 4; i++)
        sqlite3_bind_double(st, i + 1, box[i]);
    sg_status s = SG_OK;
    sg__row row = SG_ROW_OF(st);
    while (s == SG_OK && (rc = sqlite3_step(st)) == SQLITE_ROW)
        s = fn(&row, user);
    if (s == SG_OK && rc != SQLITE_DONE)
        s = sg__store_sql_error(ctx, store, layer);
    sqlite3_finalize(st);
    return s;
}
