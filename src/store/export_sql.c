/* The SQL that export hands to GDAL: which columns of a layer leave the
 * store, leaving personal data out unless asked (issue: personal data).
 * Not for: running the export (src/io/export.c).
 * SPDX-License-Identifier: MIT */
#include <string.h>

#include "core/ctx_int.h"
#include "store/store_int.h"

/* Columns that hold personal data in any layer, including result layers
 * that copy them. */
static int personal(const char *layer, const char *col)
{
    static const char *const always[] = {"household_head", "phone",
                                         "grid_leader", "inspector",
                                         "cleaner_name", NULL};
    for (int i = 0; always[i]; i++)
        if (strcmp(col, always[i]) == 0)
            return 1;
    return sg__field_is_personal(layer, col);
}

char *sg__store_export_sql(sg_ctx *ctx, sg_store *store, const char *layer,
                           int include_personal, int lonlat, int *has_geom)
{
    sqlite3_stmt *st = NULL;
    *has_geom = 0;
    if (!sg__store_has_layer(store, layer)) {
        sg__error(ctx, SG_ERR_NOT_FOUND,
                  "store %s has no layer '%s' (see `sanigrid info`)",
                  store->path, layer);
        return NULL;
    }
    char *sql = sqlite3_mprintf("PRAGMA table_info(\"%w\")", layer);
    int rc = sqlite3_prepare_v2(store->db, sql, -1, &st, NULL);
    sqlite3_free(sql);
    if (rc != SQLITE_OK) {
        sg__store_sql_error(ctx, store, "reading the layer's columns");
        return NULL;
    }
    char *cols = sqlite3_mprintf("%s", "");
    while (cols && sqlite3_step(st) == SQLITE_ROW) {
        const char *c = (const char *)sqlite3_column_text(st, 1);
        if (!c || strcmp(c, "fid") == 0)
            continue;
        if (strcmp(c, "geom") == 0) {
            *has_geom = 1;
            continue;
        }
        if (!include_personal && personal(layer, c))
            continue;
        char *n = sqlite3_mprintf("%s%s\"%w\"", cols, *cols ? ", " : "", c);
        sqlite3_free(cols);
        cols = n;
    }
    sqlite3_finalize(st);
    if (!cols) {
        sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        return NULL;
    }
    char *out;
    if (*has_geom && lonlat)
        out = sqlite3_mprintf(
            "SELECT %s%sST_X(ST_Transform(ST_PointOnSurface(geom), 4326)) "
            "AS lon, ST_Y(ST_Transform(ST_PointOnSurface(geom), 4326)) AS "
            "lat, geom FROM \"%w\" ORDER BY fid",
            cols, *cols ? ", " : "", layer);
    else if (*has_geom)
        out = sqlite3_mprintf("SELECT %s%sgeom FROM \"%w\" ORDER BY fid",
                              cols, *cols ? ", " : "", layer);
    else
        out = sqlite3_mprintf("SELECT %s FROM \"%w\" ORDER BY fid",
                              *cols ? cols : "*", layer);
    sqlite3_free(cols);
    if (!out)
        sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    return out;
}
