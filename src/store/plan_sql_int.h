/* The store SQL that grid planning needs beyond sg__store_scan: reading
 * the rows of a layer whose geometry's bounding box meets a window,
 * through the layer's SpatiaLite R*Tree (so planning one village of a
 * county-sized store reads that village's roads and households only).
 * Implemented in src/store/plan_sql.c.
 * Not for: planning logic (src/analysis/plan*.c).
 * SPDX-License-Identifier: MIT */
#ifndef SG_STORE_PLAN_SQL_INT_H
#define SG_STORE_PLAN_SQL_INT_H

#include "store/store_int.h"

/** As sg__store_scan with the geometry (WKB, last column), but only the
 * rows whose geometry's bounding box meets \p box (minx, miny, maxx,
 * maxy in the working CRS), found through the layer's spatial index
 * idx_<layer>_geom (the R*Tree keeps single-precision boxes rounded
 * outwards, so the set may hold a few rows just outside \p box; callers
 * test the geometry). \p box NULL, or a layer without a spatial index:
 * every row. Rows come in fid order. */
sg_status sg__store_scan_window(sg_ctx *ctx, sg_store *store, const char *layer,
                                const char *const *cols, size_t ncols,
                                const double *box, sg__row_fn fn, void *user);

#endif
