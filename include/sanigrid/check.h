/* The grid check: gaps, overlaps, slivers, hierarchy and ownership of
 * the grids of a store; writes its findings as layers and records its run.
 * Not for: drawing the findings (render.h).
 * SPDX-License-Identifier: MIT */
#ifndef SANIGRID_CHECK_H
#define SANIGRID_CHECK_H
#include "sanigrid/export.h"

#include <stddef.h>
#include "sanigrid/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- check: grid topology, hierarchy, ownership ------------------------ */

typedef struct sg_check_options sg_check_options;

/** Defaults: every level, slivers below 1 m2. Caller owns; free with
 * sg_check_options_free(). NULL when out of memory. */
SG_API sg_check_options *sg_check_options_new(void);
SG_API void sg_check_options_free(sg_check_options *opts);
/** Check only grid level \p level (1-3); 0 = every level present (the
 * default). \return SG_OK, or SG_ERR_USAGE (options unchanged) for
 * another value, the message in \p ctx naming it. */
SG_API sg_status sg_check_options_set_level(sg_ctx *ctx, sg_check_options *opts,
                                            int level);
/** Gap/overlap pieces smaller than \p m2 (>= 0; default 1) are counted as
 * slivers only. \return SG_OK, or SG_ERR_USAGE (options unchanged). */
SG_API sg_status sg_check_options_set_sliver_m2(sg_ctx *ctx,
                                                sg_check_options *opts,
                                                double m2);

/** Default width tolerance of the check, metres: 5 cm, above the shifts
 * of an exchange (GeoJSON's 7 decimals of a degree are about 1 cm) and far
 * below any real gap between grids. */
#define SG_CHECK_TOLERANCE_M 0.05
/** A gap or overlap piece thinner than \p m everywhere is a sliver, not a
 * finding, and a grid sticking out of its parent or division by a strip
 * thinner than \p m is still inside (0..10; 0 = exact).
 * \return SG_OK, or SG_ERR_USAGE (options unchanged). */
SG_API sg_status sg_check_options_set_tolerance_m(sg_ctx *ctx,
                                                  sg_check_options *opts,
                                                  double m);

typedef struct sg_check_level {
    int level;       /* grid level 1..3 */
    long long grids; /* grids of the level */
    long long gaps;  /* gap pieces >= sliver size */
    double gaps_area_m2;
    long long overlaps; /* overlap pieces >= sliver size */
    double overlaps_area_m2;
    long long slivers; /* gap or overlap pieces below it */
    double slivers_area_m2;
    long long hierarchy_errors; /* not within parent/division, missing
                                   parent, duplicate code */
    long long duplicate_codes;  /* grid codes used more than once */
    long long bad_codes;        /* codes not following DOMAIN.md §2 */
    long long grids_without_leader;
    long long households_outside_grids;
    long long households_in_several_grids;
} sg_check_level;

typedef struct sg_check_result {
    sg_check_level *levels; /* one per level checked, ascending */
    size_t nlevels;
    sg_check_level total; /* sums over the levels (level = 0) */
    long long issues;     /* rows written to grid_issues */
} sg_check_result;

/** Check the grids: writes layers grid_gaps and grid_overlaps and table
 * grid_issues (replacing earlier ones). \param result caller owns; free
 * with sg_check_result_free(). */
SG_API sg_status sg_check(sg_ctx *ctx, sg_store *store,
                          const sg_check_options *opts,
                          sg_check_result **result);
SG_API void sg_check_result_free(sg_check_result *result);

#ifdef __cplusplus
}
#endif
#endif
