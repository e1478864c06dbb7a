/* Window reads for grid planning on PostgreSQL (sg__store_scan_window's
 * twin, see plan_sql_int.h and pg_read_int.h): the rows of a layer whose
 * geometry's bounding box meets a window, through the layer's GiST index
 * (the && operator), in fid order. The window's numbers go into the SQL
 * as %.17g (exact round trip) since a cursor takes one parameter.
 * Not for: planning logic, writing result layers (pg_rows.c does that).
 * SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "core/ctx_int.h"
#include "store/pg_read_int.h"

sg_status sg__pg_foreach(sg_ctx *ctx, sg_store *store, const char *what,
                         const char *sql, const char *param, sg__row_fn fn,
                         void *user)
{
    sg__pg_cursor *c = NULL;
    sg_status st = sg__pg_cursor_open(ctx, store, sql, param, &c);
    if (st)
        return sg__error_prefix(ctx, "%s: ", what);
    sg__row row;
    int rc = 0;
    while (st == SG_OK && (rc = sg__pg_cursor_next(ctx, c, &row)) == 1)
        st = fn(&row, user);
    if (st == SG_OK && rc < 0)
        st = sg_ctx_status(ctx) ? sg_ctx_status(ctx) : SG_ERR_DB;
    sg__pg_cursor_close(c);
    return st;
}

sg_status sg__pg_scan_window(sg_ctx *ctx, sg_store *store, const char *layer,
                             const char *const *cols, size_t ncols,
                             const double *box, sg__row_fn fn, void *user)
{
    if (!box || store->srid <= 0)
        return sg__pg_scan(ctx, store, layer, cols, ncols, 1, NULL, NULL, fn,
                           user);
    char *base = sg__pg_scan_sql(store, layer, cols, ncols, SG_PG_WKB, NULL);
    if (!base)
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    /* base ends in " ORDER BY fid": put the window before it */
    char *order = strstr(base, " ORDER BY fid");
    char *sql = NULL;
    if (order) {
        *order = '\0';
        sql = sg__aprintf("%s WHERE geom && ST_MakeEnvelope(%.17g, %.17g, "
                          "%.17g, %.17g, %d) ORDER BY fid",
                          base, box[0], box[1], box[2], box[3], store->srid);
    }
    free(base);
    if (!sql)
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    sg_status st = sg__pg_foreach(ctx, store, layer, sql, NULL, fn, user);
    free(sql);
    return st;
}
