/* Store queries of the collection routes (sg_route): the demand of each
 * collection point from the coverage result layer, which kind of point
 * the last coverage run measured, and a WGS 84 location in the working
 * CRS.
 * Not for: writing the route layers (sg__store_create_result does that),
 * routing logic (src/analysis/route/).
 * SPDX-License-Identifier: MIT */
#ifndef SG_STORE_ROUTE_SQL_INT_H
#define SG_STORE_ROUTE_SQL_INT_H

#include <stddef.h>

#include "store/store_int.h"

/** Called once per collection point by sg__route_demand_scan: its point
 * id, the residents and households whose nearest point it is. */
typedef sg_status (*sg__route_demand_fn)(const char *point_id,
                                         long long residents,
                                         long long households, void *user);

/** Group the rows of result layer `coverage` by each household's nearest
 * point: along the roads (network_point_id) where the household reaches
 * one, else in a straight line (euclid_point_id). SG_ERR_INPUT when the
 * store has no coverage layer (run coverage first). */
sg_status sg__route_demand_scan(sg_ctx *ctx, sg_store *store,
                                sg__route_demand_fn fn, void *user);

/** The point kind (\p kind, \p size bytes) and demand (\p demand) of the
 * last coverage run ("" when none recorded). */
sg_status sg__route_coverage_kind(sg_ctx *ctx, sg_store *store, char *kind,
                                  size_t size, char *demand, size_t dsize);

/** Longitude \p lon, latitude \p lat (WGS 84) in the store's working
 * CRS. */
sg_status sg__route_lonlat(sg_ctx *ctx, sg_store *store, double lon, double lat,
                           double *x, double *y);

#endif
