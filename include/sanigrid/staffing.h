/* Cleaner staffing: how many cleaners (保洁员) each village needs by the
 * population rule (DOMAIN.md §1.4, §2: one per 300 residents, at least
 * one per village) plus the road rule for roads outside settlements, and
 * how many it has.
 * Not for: who sweeps which road (allocate).
 * SPDX-License-Identifier: MIT */
#ifndef SANIGRID_STAFFING_H
#define SANIGRID_STAFFING_H
#include "sanigrid/export.h"

#include "sanigrid/store.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sg_staffing_options sg_staffing_options;

/** Defaults from the store's settings (cleaner.*), villages =
 * divisions of level admin_village. Caller owns; free with
 * sg_staffing_options_free(). NULL when out of memory. */
SG_API sg_staffing_options *sg_staffing_options_new(void);
SG_API void sg_staffing_options_free(sg_staffing_options *opts);
/* Each setter validates its value: SG_OK, or SG_ERR_USAGE with the
 * message in \p ctx naming the option and the value, the options left as
 * they were. A figure never set comes from the store's setting. */
/** Residents per cleaner (> 0; default: setting cleaner.per_residents). */
SG_API sg_status sg_staffing_options_set_per_residents(sg_ctx *ctx,
                                                       sg_staffing_options *o,
                                                       double n);
/** Households per cleaner (> 0): switches the population rule to
 * households (for places where only household counts are known). */
SG_API sg_status sg_staffing_options_set_per_households(sg_ctx *ctx,
                                                        sg_staffing_options *o,
                                                        double n);
/** Cleaners per km of road outside settlements, for every road class that
 * has a road rule (>= 0; 0 switches the road rule off; default: settings
 * cleaner.per_road_km.major for national/provincial/county roads and
 * .village for township/village roads). */
SG_API sg_status sg_staffing_options_set_per_road_km(sg_ctx *ctx,
                                                     sg_staffing_options *o,
                                                     double x);
/** Minimum cleaners per village (>= 0; default: setting
 * cleaner.min_per_village). */
SG_API sg_status sg_staffing_options_set_min_per_village(sg_ctx *ctx,
                                                         sg_staffing_options *o,
                                                         int n);
/** Division level of the units staffed (default admin_village). */
SG_API sg_status sg_staffing_options_set_level(sg_ctx *ctx,
                                               sg_staffing_options *o,
                                               const char *level);

typedef struct sg_staffing_result {
    char *mode; /* "residents", "registered" or
                   "households"; owned, never NULL */
    double per_residents, per_households;
    double per_road_km_major, per_road_km_village;
    double settlement_buffer_m;
    long long min_per_village;
    long long villages;
    long long residents, households;
    long long households_outside; /* in no village of the level */
    double road_km;               /* road length inside the villages */
    double road_km_outside;   /* of which outside settlements, with a rule */
    long long required;       /* sum over villages */
    long long current;        /* cleaners counted in the villages */
    long long shortfall;      /* sum of positive (required - current) */
    long long surplus;        /* sum of positive (current - required) */
    long long villages_short; /* villages with a shortfall */
} sg_staffing_result;

/** Free a result of sg_staffing() (NULL is fine). */
SG_API void sg_staffing_result_free(sg_staffing_result *result);

/** Compute staffing per village and write layer `staffing` (the village
 * polygon with residents, households, road km by class, the need by each
 * rule, required, current and shortfall; replacing an earlier one).
 * Need = population need (residents / per_residents, or households /
 * per_households) + road need (km of national/provincial/county roads
 * outside settlements x per_road_km.major + km of township/village roads
 * outside settlements x per_road_km.village), rounded up, at least
 * min_per_village. "Outside settlements" = farther than
 * cleaner.settlement_buffer_m from every household, so a road inside a
 * settlement is swept as part of the population-based work and never
 * counted twice. Lanes and other roads count in km but carry no road
 * need. \p opts NULL: the defaults (sg_staffing_options_new's).
 * \param out receives the totals: caller owns, free with
 * sg_staffing_result_free(); NULL on failure. */
SG_API sg_status sg_staffing(sg_ctx *ctx, sg_store *store,
                             const sg_staffing_options *opts,
                             sg_staffing_result **out);

#ifdef __cplusplus
}
#endif
#endif
