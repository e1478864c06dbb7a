/* The SQL of the report map's queries (webmap_sql_int.h), written once
 * for both backends: what SpatiaLite and PostGIS spell differently is a
 * dialect (webmap_sql.c's and pg_render.c's). For src/store only.
 * SPDX-License-Identifier: MIT */
#ifndef SG_STORE_WEBMAP_QUERY_INT_H
#define SG_STORE_WEBMAP_QUERY_INT_H

#include <stddef.h>

#include "store/store_int.h"

/* How a backend spells the parts of the map's queries that differ. */
typedef struct sg__webmap_dialect {
    /* "%s" wrapped into the WGS 84 GeoJSON of a geometry */
    const char *geojson;
    /* the topology-preserving simplification function */
    const char *simplify;
    /* "%s" (an expression) and "%d" (decimals) into round(): a number
     * printed as SQLite prints its round() */
    const char *round;
    /* after a text column in ORDER BY: byte order */
    const char *collate;
} sg__webmap_dialect;

/** The villages' query (their GeoJSON, then the SG__WV_* columns, with
 * rankings, coverage_stats and staffing joined when the store has them)
 * into \p sql (\p size bytes). \return 0 when the store has no divisions
 * (nothing to read), else 1. */
int sg__webmap_villages_sql(sg_store *store, const sg__webmap_dialect *d,
                            char *sql, size_t size);

/** The grids' query (GeoJSON, grid_code, name) into \p sql. */
void sg__webmap_grids_sql(const sg__webmap_dialect *d, char *sql, size_t size);

/** The collection points' query (GeoJSON, point_id, name) into \p sql. */
void sg__webmap_points_sql(const sg__webmap_dialect *d, char *sql, size_t size);

#endif
