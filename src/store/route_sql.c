/* Store queries of the collection routes: demand per collection point
 * from `coverage`, the kind the last coverage run measured, and a WGS 84
 * location in the working CRS.
 * Not for: routing logic (src/analysis/route/).
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <string.h>

#include "core/ctx_int.h"
#include "store/pg_port_int.h"
#include "store/route_sql_int.h"
#include "store/store_sqlite_int.h"

sg_status sg__route_demand_scan(sg_ctx *ctx, sg_store *store,
                                sg__route_demand_fn fn, void *user)
{
    SG_PG_DISPATCH(store, sg__pg_route_demand_scan(ctx, store, fn, user));
    if (!sg__store_has_layer(store, "coverage"))
        return sg__error(ctx, SG_ERR_INPUT,
                         "store %s has no coverage layer: run "
                         "`sanigrid coverage` first (it says which collection "
                         "point each household uses)",
                         store->path);
    static const char *const sql =
        "SELECT pid, SUM(COALESCE(resident_population, 0)), COUNT(*) FROM "
        "(SELECT CASE WHEN reachable = 1 AND network_point_id IS NOT NULL "
        "THEN network_point_id ELSE euclid_point_id END AS pid, "
        "resident_population FROM coverage) WHERE pid IS NOT NULL "
        "GROUP BY pid ORDER BY pid";
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(store->db, sql, -1, &st, NULL) != SQLITE_OK)
        return sg__store_sql_error(ctx, store, "coverage");
    sg_status s = SG_OK;
    int rc;
    while (s == SG_OK && (rc = sqlite3_step(st)) == SQLITE_ROW)
        s = fn((const char *)sqlite3_column_text(st, 0),
               sqlite3_column_int64(st, 1), sqlite3_column_int64(st, 2), user);
    if (s == SG_OK && rc != SQLITE_DONE)
        s = sg__store_sql_error(ctx, store, "coverage");
    sqlite3_finalize(st);
    return s;
}

sg_status sg__route_coverage_kind(sg_ctx *ctx, sg_store *store, char *kind,
                                  size_t size, char *demand, size_t dsize)
{
    SG_PG_DISPATCH(store, sg__pg_route_coverage_kind(ctx, store, kind, size,
                                                     demand, dsize));
    static const char *const sql =
        "SELECT json_extract(params, '$.kind'), json_extract(params, "
        "'$.demand') FROM runs WHERE command = 'coverage' AND "
        "json_valid(params) ORDER BY run_id DESC LIMIT 1";
    sqlite3_stmt *st = NULL;
    snprintf(kind, size, "%s", "");
    snprintf(demand, dsize, "%s", "");
    if (sqlite3_prepare_v2(store->db, sql, -1, &st, NULL) != SQLITE_OK)
        return sg__store_sql_error(ctx, store, "runs");
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const unsigned char *k = sqlite3_column_text(st, 0);
        const unsigned char *d = sqlite3_column_text(st, 1);
        snprintf(kind, size, "%s", k ? (const char *)k : "");
        snprintf(demand, dsize, "%s", d ? (const char *)d : "");
    }
    sg_status s = rc == SQLITE_ROW || rc == SQLITE_DONE
                      ? SG_OK
                      : sg__store_sql_error(ctx, store, "runs");
    sqlite3_finalize(st);
    return s;
}

sg_status sg__route_lonlat(sg_ctx *ctx, sg_store *store, double lon, double lat,
                           double *x, double *y)
{
    SG_PG_DISPATCH(store, sg__pg_route_lonlat(ctx, store, lon, lat, x, y));
    static const char *const sql =
        "SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_Transform(MakePoint(?, ?, "
        "4326), ?) AS p)";
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(store->db, sql, -1, &st, NULL) != SQLITE_OK)
        return sg__store_sql_error(ctx, store, "transforming a location");
    sqlite3_bind_double(st, 1, lon);
    sqlite3_bind_double(st, 2, lat);
    sqlite3_bind_int(st, 3, store->srid);
    sg_status s = SG_OK;
    if (sqlite3_step(st) == SQLITE_ROW &&
        sqlite3_column_type(st, 0) != SQLITE_NULL) {
        *x = sqlite3_column_double(st, 0);
        *y = sqlite3_column_double(st, 1);
    } else {
        s = sg__error(ctx, SG_ERR_INPUT,
                      "cannot place longitude %g, latitude %g in the store's "
                      "CRS (EPSG:%d)",
                      lon, lat, store->srid);
    }
    sqlite3_finalize(st);
    return s;
}
