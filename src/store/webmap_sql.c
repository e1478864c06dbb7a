/* The store's SQL for the report's interactive map (webmap_sql_int.h).
 * Not for: the page (src/render/report_webmap.c).
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <string.h>

#include "store/pg_read_int.h"
#include "store/store_sqlite_int.h"
#include "store/webmap_query_int.h"
#include "store/webmap_sql_int.h"

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

/* SpatiaLite's spelling of the map's queries. */
static const sg__webmap_dialect spatialite = {
    "AsGeoJSON(ST_Transform(%s, 4326), 6)", "SimplifyPreserveTopology",
    "round(%s, %d)", ""};

sg_status sg__store_webmap_villages(sg_ctx *ctx, sg_store *store,
                                    sg__webmap_fn fn, void *user)
{
    SG_PG_DISPATCH(store, sg__pg_webmap_villages(ctx, store, fn, user));
    char sql[2048];
    if (!sg__webmap_villages_sql(store, &spatialite, sql, sizeof sql))
        return SG_OK;
    return each(ctx, store, sql, SG__WV_N, "reading villages for the map", fn,
                user);
}

sg_status sg__store_webmap_grids(sg_ctx *ctx, sg_store *store, sg__webmap_fn fn,
                                 void *user)
{
    SG_PG_DISPATCH(store, sg__pg_webmap_grids(ctx, store, fn, user));
    if (!sg__store_has_layer(store, "grids"))
        return SG_OK;
    char sql[512];
    sg__webmap_grids_sql(&spatialite, sql, sizeof sql);
    return each(ctx, store, sql, SG__WG_N, "reading grids for the map", fn,
                user);
}

sg_status sg__store_webmap_points(sg_ctx *ctx, sg_store *store,
                                  sg__webmap_fn fn, void *user)
{
    SG_PG_DISPATCH(store, sg__pg_webmap_points(ctx, store, fn, user));
    if (!sg__store_has_layer(store, "points"))
        return SG_OK;
    char sql[512];
    sg__webmap_points_sql(&spatialite, sql, sizeof sql);
    return each(ctx, store, sql, SG__WG_N,
                "reading collection points for the map", fn, user);
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
    char geom[128], sql[160];
    snprintf(geom, sizeof geom, spatialite.geojson, "GeomFromText(?1, ?2)");
    snprintf(sql, sizeof sql, "SELECT %s", geom);
    if (sqlite3_prepare_v2(store->db, sql, -1, &st, NULL) != SQLITE_OK)
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
