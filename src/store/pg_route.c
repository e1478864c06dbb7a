/* The PostgreSQL twins of route_sql.c (declared in pg_port_int.h): the
 * demand of each collection point from `coverage`, the kind and demand
 * the last coverage run measured, and a WGS 84 location in the working
 * CRS (PostGIS's ST_Transform, PROJ as SpatiaLite's).
 * Not for: routing logic (src/analysis/route/).
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ctx_int.h"
#include "store/pg_port_int.h"

static sg_status failed(sg_ctx *ctx)
{
    sg_status s = ctx ? sg_ctx_status(ctx) : SG_ERR_DB;
    return s ? s : SG_ERR_DB;
}

sg_status sg__pg_route_demand_scan(sg_ctx *ctx, sg_store *store,
                                   sg__route_demand_fn fn, void *user)
{
    if (!sg__pg_has_layer(store, "coverage"))
        return sg__error(ctx, SG_ERR_INPUT,
                         "store %s has no coverage layer: run "
                         "`sanigrid coverage` first (it says which collection "
                         "point each household uses)",
                         store->path);
    /* point ids ordered bytewise, as SQLite's BINARY collation */
    static const char *const sql =
        "SELECT pid, SUM(COALESCE(resident_population, 0))::bigint, "
        "COUNT(*) FROM (SELECT CASE WHEN reachable = 1 AND network_point_id "
        "IS NOT NULL THEN network_point_id ELSE euclid_point_id END AS pid, "
        "resident_population FROM coverage) q WHERE pid IS NOT NULL "
        "GROUP BY pid ORDER BY pid COLLATE \"C\"";
    PGresult *res = sg__pg_query(ctx, store, "coverage", sql, 0, NULL);
    if (!res)
        return failed(ctx);
    sg_status s = SG_OK;
    for (int i = 0, n = PQntuples(res); s == SG_OK && i < n; i++)
        s = fn(PQgetvalue(res, i, 0), strtoll(PQgetvalue(res, i, 1), NULL, 10),
               strtoll(PQgetvalue(res, i, 2), NULL, 10), user);
    PQclear(res);
    return s;
}

sg_status sg__pg_route_coverage_kind(sg_ctx *ctx, sg_store *store, char *kind,
                                     size_t size, char *demand, size_t dsize)
{
    /* runs.params is TEXT; only sanigrid writes it (a JSON object), and a
     * row that is not one is passed over as SQLite's json_valid does */
    static const char *const sql =
        "SELECT params::jsonb ->> 'kind', params::jsonb ->> 'demand' FROM "
        "runs WHERE command = 'coverage' AND params ~ '^\\s*\\{.*\\}\\s*$' "
        "ORDER BY run_id DESC LIMIT 1";
    snprintf(kind, size, "%s", "");
    snprintf(demand, dsize, "%s", "");
    PGresult *res = sg__pg_query(ctx, store, "runs", sql, 0, NULL);
    if (!res)
        return failed(ctx);
    if (PQntuples(res) > 0) {
        snprintf(kind, size, "%s",
                 PQgetisnull(res, 0, 0) ? "" : PQgetvalue(res, 0, 0));
        snprintf(demand, dsize, "%s",
                 PQgetisnull(res, 0, 1) ? "" : PQgetvalue(res, 0, 1));
    }
    PQclear(res);
    return SG_OK;
}

sg_status sg__pg_route_lonlat(sg_ctx *ctx, sg_store *store, double lon,
                              double lat, double *x, double *y)
{
    char a[40], b[40], c[16];
    snprintf(a, sizeof a, "%.17g", lon);
    snprintf(b, sizeof b, "%.17g", lat);
    snprintf(c, sizeof c, "%d", store->srid);
    const char *p[3] = {a, b, c};
    PGresult *res = sg__pg_query(
        ctx, store, "transforming a location",
        "SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_Transform(ST_SetSRID("
        "ST_MakePoint($1::float8, $2::float8), 4326), $3::int) AS p) q",
        3, p);
    if (!res) {
        /* a location PROJ cannot place is an input error, as on SQLite */
        sg_ctx_clear_error(ctx);
    } else if (PQntuples(res) > 0 && !PQgetisnull(res, 0, 0)) {
        *x = strtod(PQgetvalue(res, 0, 0), NULL);
        *y = strtod(PQgetvalue(res, 0, 1), NULL);
        PQclear(res);
        return SG_OK;
    }
    PQclear(res);
    return sg__error(ctx, SG_ERR_INPUT,
                     "cannot place longitude %g, latitude %g in the store's "
                     "CRS (EPSG:%d)",
                     lon, lat, store->srid);
}
