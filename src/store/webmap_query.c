/* The SQL of the report map's queries for both backends
 * (webmap_query_int.h).
 * Not for: running them (webmap_sql.c, pg_render.c).
 * SPDX-License-Identifier: MIT */
#include <stdio.h>

#include "store/webmap_query_int.h"

int sg__webmap_villages_sql(sg_store *store, const sg__webmap_dialect *d,
                            char *sql, size_t size)
{
    if (!sg__store_has_layer(store, "divisions"))
        return 0;
    int rk = sg__store_has_layer(store, "rankings");
    int cv = sg__store_has_layer(store, "coverage_stats");
    int sf = sg__store_has_layer(store, "staffing");
    char simple[96], geom[160], score[96], covered[160];
    snprintf(simple, sizeof simple, "%s(d.geom, 1.0)", d->simplify);
    snprintf(geom, sizeof geom, d->geojson, simple);
    snprintf(score, sizeof score, d->round, "r.score", 2);
    snprintf(covered, sizeof covered, d->round,
             "COALESCE(c.covered_network_share, c.covered_euclid_share)", 4);
    /* the optional layers joined when present, NULL columns otherwise;
     * round() keeps the numbers short */
    snprintf(sql, size,
             "SELECT %s, d.division_code, d.name, %s, %s, %s, %s, %s, %s, %s, "
             "%s FROM divisions d %s %s %s WHERE d.level = 'admin_village' "
             "AND d.geom IS NOT NULL ORDER BY d.division_code%s",
             geom, rk ? "r.rank_within" : "NULL", rk ? score : "NULL",
             rk ? "r.tier" : "NULL", cv ? covered : "NULL",
             cv ? "c.households" : "NULL", sf ? "s.required" : "NULL",
             sf ? "s.current" : "NULL", sf ? "s.shortfall" : "NULL",
             rk ? "LEFT JOIN rankings r ON r.unit_code = d.division_code" : "",
             cv ? "LEFT JOIN coverage_stats c ON c.unit_type = 'division' "
                  "AND c.unit_code = d.division_code"
                : "",
             sf ? "LEFT JOIN staffing s ON s.division_code = d.division_code"
                : "",
             d->collate);
    return 1;
}

void sg__webmap_grids_sql(const sg__webmap_dialect *d, char *sql, size_t size)
{
    char simple[96], geom[160];
    snprintf(simple, sizeof simple, "%s(geom, 1.0)", d->simplify);
    snprintf(geom, sizeof geom, d->geojson, simple);
    snprintf(sql, size,
             "SELECT %s, grid_code, name FROM grids WHERE geom IS NOT NULL "
             "ORDER BY grid_code%s, fid",
             geom, d->collate);
}

void sg__webmap_points_sql(const sg__webmap_dialect *d, char *sql, size_t size)
{
    char geom[160];
    snprintf(geom, sizeof geom, d->geojson, "geom");
    snprintf(sql, size,
             "SELECT %s, point_id, name FROM points WHERE kind = "
             "'collection_point' AND geom IS NOT NULL ORDER BY point_id%s",
             geom, d->collate);
}
