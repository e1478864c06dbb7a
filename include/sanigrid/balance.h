/* The measure a division of work or area is balanced on, shared by
 * allocate (cleaners' workloads) and plan (grids), with its names.
 * Not for: the balancing itself (allocate.h, plan.h).
 * SPDX-License-Identifier: MIT */
#ifndef SANIGRID_BALANCE_H
#define SANIGRID_BALANCE_H
#include "sanigrid/export.h"

#include "sanigrid/ctx.h"
#include "sanigrid/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The measure workloads (allocate) or grids (plan) are balanced on. */
typedef enum sg_balance {
    /** Cleaner-equivalents: households / cleaner.per_households + km of
     * national, provincial and county road x cleaner.per_road_km.major +
     * km of township and village road x cleaner.per_road_km.village +
     * km of lane and other road x half that village rate. Allocate only. */
    SG_BALANCE_MIXED = 0,
    SG_BALANCE_RESIDENTS = 1,  /**< resident population of the households */
    SG_BALANCE_HOUSEHOLDS = 2, /**< number of households */
    SG_BALANCE_ROAD = 3        /**< road length in metres, every class alike;
                                    allocate only */
} sg_balance;

/** The measure named \p name ("mixed", "residents", "households",
 * "road") into \p out. Fails with SG_ERR_USAGE (naming the value) for
 * anything else, \p out unchanged. */
SG_API sg_status sg_balance_from_string(sg_ctx *ctx, const char *name,
                                        sg_balance *out);

/** \return the name of \p b, or NULL when out of range. Static. */
SG_API const char *sg_balance_to_string(sg_balance b);

#ifdef __cplusplus
}
#endif
#endif
