/* The store's SQL for the report's interactive map (src/render/
 * report_webmap.c): villages with their figures (rank, score, list,
 * coverage, staffing), grids and collection points as GeoJSON
 * geometries in WGS 84 (SpatiaLite's ST_Transform, the store's
 * projected CRS to EPSG:4326, lon/lat, 6 decimals: about 0.1 m), the
 * households' projected positions for aggregation, and polygons given
 * as WKT in the store's CRS transformed the same way.
 * Not for: building the page or aggregating (render).
 * SPDX-License-Identifier: MIT */
#ifndef SG_WEBMAP_SQL_INT_H
#define SG_WEBMAP_SQL_INT_H

#include "core/ctx_int.h"
#include "store/store_int.h"

/* Columns handed to sg__webmap_fn for villages, in this order. */
enum {
    SG__WV_CODE,
    SG__WV_NAME,
    SG__WV_RANK,
    SG__WV_SCORE,
    SG__WV_TIER,
    SG__WV_COVERED,
    SG__WV_HOUSEHOLDS,
    SG__WV_REQUIRED,
    SG__WV_CURRENT,
    SG__WV_SHORTFALL,
    SG__WV_N
};
/* ... for grids and points: code (grid_code, point_id), name */
enum { SG__WG_CODE, SG__WG_NAME, SG__WG_N };

/** Called once per feature with its GeoJSON geometry (WGS 84) and its
 * values as text (NULL = none); all borrowed for the call. */
typedef sg_status (*sg__webmap_fn)(const char *geometry,
                                   const char *const *vals, int nvals,
                                   void *user);

/** The administrative villages (divisions of level admin_village with a
 * geometry, by code), with rankings' rank_within, score and tier,
 * coverage_stats' covered share (network, else straight line) and
 * households, staffing's required, current and shortfall where those
 * layers exist (SG__WV_* order). Geometries simplified by 1 m. */
sg_status sg__store_webmap_villages(sg_ctx *ctx, sg_store *store,
                                    sg__webmap_fn fn, void *user);

/** The grids (with a geometry, by code; simplified by 1 m). */
sg_status sg__store_webmap_grids(sg_ctx *ctx, sg_store *store, sg__webmap_fn fn,
                                 void *user);

/** The collection points (points of kind collection_point, by id). */
sg_status sg__store_webmap_points(sg_ctx *ctx, sg_store *store,
                                  sg__webmap_fn fn, void *user);

/** Called once per household with a geometry: its position in the
 * store's CRS and resident population (0 when unknown). */
typedef sg_status (*sg__webmap_xy_fn)(double x, double y, double residents,
                                      void *user);

/** The households' positions (any order). */
sg_status sg__store_webmap_households(sg_ctx *ctx, sg_store *store,
                                      sg__webmap_xy_fn fn, void *user);

/** Transform each of the \p n WKT geometries \p wkt (store CRS) to a
 * GeoJSON geometry in WGS 84 and hand it to \p fn with its index as the
 * only value (text). */
sg_status sg__store_webmap_wkt(sg_ctx *ctx, sg_store *store,
                               const char *const *wkt, size_t n,
                               sg__webmap_fn fn, void *user);

#endif
