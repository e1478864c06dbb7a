/* Small look-ups for what people read of a layer: a village's name for a
 * division code, and whether a layer has a column (exports name KML
 * folders and placemarks with them).
 * Not for: reading rows (export_sql.c's reader).
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <string.h>

#include "store/store_pg_int.h"
#include "store/store_sqlite_int.h"

int sg__store_division_name(sg_store *store, const char *code, char *buf,
                            size_t size)
{
    SG_PG_DISPATCH(store, sg__pg_division_name(store, code, buf, size));
    sqlite3_stmt *st = NULL;
    int found = 0;
    if (size)
        buf[0] = '\0';
    if (sqlite3_prepare_v2(store->db,
                           "SELECT name FROM divisions WHERE division_code = ?",
                           -1, &st, NULL) != SQLITE_OK)
        return 0;
    sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0)) {
        snprintf(buf, size, "%s", (const char *)sqlite3_column_text(st, 0));
        found = 1;
    }
    sqlite3_finalize(st);
    return found;
}

int sg__store_layer_has_column(sg_store *store, const char *layer,
                               const char *column)
{
    SG_PG_DISPATCH(store, sg__pg_layer_has_column(store, layer, column));
    sqlite3_stmt *st = NULL;
    int found = 0;
    if (sqlite3_prepare_v2(store->db,
                           "SELECT 1 FROM pragma_table_info(?) WHERE name = ?",
                           -1, &st, NULL) != SQLITE_OK)
        return 0;
    sqlite3_bind_text(st, 1, layer, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, column, -1, SQLITE_STATIC);
    found = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    return found;
}
