/* The SQL that export hands to GDAL: which columns of a layer leave the
 * store, leaving personal data out unless asked (issue: personal data).
 * Not for: running the export (src/io/export.c).
 * SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "core/ctx_int.h"
#include "store/rank_sql_int.h"
#include "store/store_sqlite_int.h"

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

/* Shapefile (DBF) names are at most 10 characters: the short names used
 * for our longer fields; import recognises them (src/store/layers.c). */
static const char *short_name(const char *col)
{
    static const char *const map[][2] = {
        {"division_code", "div_code"},
        {"parent_code", "parent"},
        {"household_id", "hh_id"},
        {"household_head", "hh_head"},
        {"household_toilet", "toilet"},
        {"resident_population", "res_pop"},
        {"registered_population", "reg_pop"},
        {"grid_leader", "leader"},
        {"cleaner_id", "cleaner"},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strcmp(col, map[i][0]) == 0)
            return map[i][1];
    return NULL;
}

char *sg__store_export_sql(sg_ctx *ctx, sg_store *store, const char *layer,
                           int include_personal, int lonlat, int short_names,
                           int *has_geom, char **geom_type,
                           char **select_list)
{
    *geom_type = NULL;
    *select_list = NULL;
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
    char *plain = sqlite3_mprintf("%s", "");
    while (cols && plain && sqlite3_step(st) == SQLITE_ROW) {
        const char *c = (const char *)sqlite3_column_text(st, 1);
        if (!c || strcmp(c, "fid") == 0)
            continue;
        if (strcmp(c, "geom") == 0) {
            *has_geom = 1;
            continue;
        }
        if (!include_personal && personal(layer, c))
            continue;
        const char *alias = short_names ? short_name(c) : NULL;
        if (!alias && lonlat) /* CSV and XLSX are read by people */
            alias = sg__store_zh_header(layer, c);
        char *n = alias ? sqlite3_mprintf("%s%s\"%w\" AS \"%w\"", cols,
                                          *cols ? ", " : "", c, alias)
                        : sqlite3_mprintf("%s%s\"%w\"", cols,
                                          *cols ? ", " : "", c);
        sqlite3_free(cols);
        cols = n;
        n = sqlite3_mprintf("%s%s%s", plain, *plain ? "," : "", c);
        sqlite3_free(plain);
        plain = n;
    }
    sqlite3_finalize(st);
    if (*has_geom && sqlite3_prepare_v2(store->db,
                                        "SELECT geometry_type FROM sg_layers "
                                        "WHERE name = ?",
                                        -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, layer, -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
            *geom_type = sg__strdup(ctx, (const char *)sqlite3_column_text(st, 0));
        sqlite3_finalize(st);
    }
    if (!cols || !plain) {
        sqlite3_free(cols);
        sqlite3_free(plain);
        free(*geom_type);
        *geom_type = NULL;
        sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        return NULL;
    }
    *select_list = sg__strdup(ctx, plain);
    sqlite3_free(plain);
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

char *sg__store_export_columns(sg_ctx *ctx, sg_store *store, const char *layer,
                               int *has_geom)
{
    char *gt = NULL, *list = NULL;
    char *sql = sg__store_export_sql(ctx, store, layer, 0, 0, 0, has_geom, &gt,
                                     &list);
    free(gt);
    if (!sql) {
        free(list);
        return NULL;
    }
    sqlite3_free(sql);
    if (!list)
        sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    return list;
}
