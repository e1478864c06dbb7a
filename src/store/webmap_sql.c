/* The store's SQL for the report's interactive map (webmap_sql_int.h).
 * Not for: the page (src/render/report_webmap.c).
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <string.h>

#include "store/pg_read_int.h"
#include "store/store_sqlite_int.h"
#include "store/webmap_sql_int.h"

/* WGS 84 GeoJSON of column geom, 6 decimals */
#define GJ(g) "AsGeoJSON(ST_Transform(" g ", 4326), 6)"

/* Run \p sql (the geometry in column 0, then \p nvals values) and hand
 * each row to \p fn. ?1..: \p binds (text), if any. */
static sg_status each(sg_ctx *ctx, sg_store *store, const char *sql, int nvals,
                      const char *what, sg__webmap_fn fn, void *user)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(store->db, sql, -1, &st, NULL) != SQLITE_OK)
        return sg__store_sql_error(ctx, store, what);
    const char *vals[16];
    sg_status s = SG_OK;
    int rc = SQLITE_DONE;
    while (s == SG_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *g = (const char *)sqlite3_column_text(st, 0);
        if (!g)
            continue;
        for (int i = 0; i < nvals && i < 16; i++)
            vals[i] = (const char *)sqlite3_column_text(st, i + 1);
        s = fn(g, vals, nvals, user);
    }
    if (s == SG_OK && rc != SQLITE_DONE)
        s = sg__store_sql_error(ctx, store, what);
    sqlite3_finalize(st);
    return s;
}

sg_status sg__store_webmap_villages(sg_ctx *ctx, sg_store *store,
                                    sg__webmap_fn fn, void *user)
{
    SG_PG_DISPATCH(store, sg__pg_webmap_villages(ctx, store, fn, user));
    if (!sg__store_has_layer(store, "divisions"))
        return SG_OK;
    int rk = sg__store_has_layer(store, "rankings");
    int cv = sg__store_has_layer(store, "coverage_stats");
    int sf = sg__store_has_layer(store, "staffing");
    char sql[2048];
    /* the optional layers joined when present, NULL columns otherwise;
     * round() keeps the numbers short */
    snprintf(
        sql, sizeof sql,
        "SELECT " GJ(
            "SimplifyPreserveTopology(d.geom, 1.0)") ", "
                                                     "d.division_code, d.name, "
                                                     "%s, %s, %s, %s, %s, %s, "
                                                     "%s, %s "
                                                     "FROM divisions d %s %s "
                                                     "%s "
                                                     "WHERE d.level = "
                                                     "'admin_village' AND "
                                                     "d.geom IS NOT NULL "
                                                     "ORDER BY d.division_code",
        rk ? "r.rank_within" : "NULL", rk ? "round(r.score, 2)" : "NULL",
        rk ? "r.tier" : "NULL",
        cv ? "round(COALESCE(c.covered_network_share, "
             "c.covered_euclid_share), 4)"
           : "NULL",
        cv ? "c.households" : "NULL", sf ? "s.required" : "NULL",
        sf ? "s.current" : "NULL", sf ? "s.shortfall" : "NULL",
        rk ? "LEFT JOIN rankings r ON r.unit_code = d.division_code" : "",
        cv ? "LEFT JOIN coverage_stats c ON c.unit_type = 'division' "
             "AND c.unit_code = d.division_code"
           : "",
        sf ? "LEFT JOIN staffing s ON s.division_code = d.division_code" : "");
    return each(ctx, store, sql, SG__WV_N, "reading villages for the map", fn,
                user);
}

sg_status sg__store_webmap_grids(sg_ctx *ctx, sg_store *store, sg__webmap_fn fn,
                                 void *user)
{
    SG_PG_DISPATCH(store, sg__pg_webmap_grids(ctx, store, fn, user));
    if (!sg__store_has_layer(store, "grids"))
        return SG_OK;
    return each(
        ctx, store,
        "SELECT " GJ(
            "SimplifyPreserveTopology(geom, 1.0)") ", "
                                                   "grid_code, name FROM grids "
                                                   "WHERE geom IS NOT NULL "
                                                   "ORDER BY grid_code, fid",
        SG__WG_N, "reading grids for the map", fn, user);
}

sg_status sg__store_webmap_points(sg_ctx *ctx, sg_store *store,
                                  sg__webmap_fn fn, void *user)
{
    SG_PG_DISPATCH(store, sg__pg_webmap_points(ctx, store, fn, user));
    if (!sg__store_has_layer(store, "points"))
        return SG_OK;
    return each(
        ctx, store,
        "SELECT " GJ(
            "geom") ", point_id, name FROM points "
                    "WHERE kind = 'collection_point' AND geom IS NOT NULL "
                    "ORDER BY point_id",
        SG__WG_N, "reading collection points for the map", fn, user);
}

sg_status sg__store_webmap_households(sg_ctx *ctx, sg_store *store,
                                      sg__webmap_xy_fn fn, void *user)
{
    SG_PG_DISPATCH(store, sg__pg_webmap_households(ctx, store, fn, user));
    if (!sg__store_has_layer(store, "households"))
        return SG_OK;
    sqlite3_stmt *st = NULL;
    static const char sql[] =
        "SELECT X(geom), Y(geom), COALESCE(resident_population, 0) "
        "FROM households WHERE geom IS NOT NULL";
    if (sqlite3_prepare_v2(store->db, sql, -1, &st, NULL) != SQLITE_OK)
        return sg__store_sql_error(ctx, store, "reading households");
    sg_status s = SG_OK;
    int rc = SQLITE_DONE;
    while (s == SG_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (sqlite3_column_type(st, 0) == SQLITE_NULL)
            continue; /* not a point */
        s = fn(sqlite3_column_double(st, 0), sqlite3_column_double(st, 1),
               sqlite3_column_double(st, 2), user);
    }
    if (s == SG_OK && rc != SQLITE_DONE)
        s = sg__store_sql_error(ctx, store, "reading households");
    sqlite3_finalize(st);
    return s;
}

sg_status sg__store_webmap_wkt(sg_ctx *ctx, sg_store *store,
                               const char *const *wkt, size_t n,
                               sg__webmap_fn fn, void *user)
{
    SG_PG_DISPATCH(store, sg__pg_webmap_wkt(ctx, store, wkt, n, fn, user));
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(store->db, "SELECT " GJ("GeomFromText(?1, ?2)"), -1,
                           &st, NULL) != SQLITE_OK)
        return sg__store_sql_error(ctx, store, "transforming map cells");
    sg_status s = SG_OK;
    for (size_t i = 0; s == SG_OK && i < n; i++) {
        sqlite3_reset(st);
        sqlite3_bind_text(st, 1, wkt[i], -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 2, sg_store_srid(store));
        int rc = sqlite3_step(st);
        const char *g =
            rc == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : NULL;
        if (rc != SQLITE_ROW && rc != SQLITE_DONE)
            s = sg__store_sql_error(ctx, store, "transforming map cells");
        else if (g) {
            char idx[32];
            snprintf(idx, sizeof idx, "%zu", i);
            const char *v[1] = {idx};
            s = fn(g, v, 1, user);
        }
    }
    sqlite3_finalize(st);
    return s;
}
