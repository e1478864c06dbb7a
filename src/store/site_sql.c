/* Store queries of the siting analysis: a layer offered as candidate
 * sites is checked (it exists, its geometry is POINT) and the column that
 * names its rows is found (PRAGMA table_info for result layers).
 * Not for: reading the rows themselves (sg__store_scan_points does that).
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <string.h>

#include "core/ctx_int.h"
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
                                   const char *layer, char *idcol,
                                   size_t size)
{
    SG_PG_UNSUPPORTED(ctx, store,
                      sg__gettext("Candidate sites along roads (site)"));
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
