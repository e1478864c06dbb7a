/* Grid division planning: proposes grids inside a village (or micro-grids
 * inside a grid) with balanced households, contiguous, with boundaries
 * that follow roads or the midlines between houses (DOMAIN.md §1.6, §2
 * grid.target_households, grid.id_format). The village is cut into
 * blocks by its roads (and, where a block holds too many households,
 * by the Voronoi cells of its households); METIS partitions the block
 * adjacency graph into N contiguous parts of equal weight with short
 * shared boundaries; each part's blocks are dissolved into one grid.
 * Writes layer `planned_grids`.
 * Not for: checking grids (sg_check), drawing or exporting them.
 * SPDX-License-Identifier: MIT */
#ifndef SANIGRID_PLAN_H
#define SANIGRID_PLAN_H
#include "sanigrid/export.h"

#include <stddef.h>
#include "sanigrid/balance.h"
#include "sanigrid/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Two settings of the store govern every plan (`sanigrid config`):
 * plan.balance_bound (default 1.15): a unit is "balanced" when its
 * largest grid holds at most this many times the mean (households or
 * residents, see sg_plan_options_set_balance); plan.clearance_m (default
 * 0.5): no boundary between two planned grids comes closer than this to
 * a household (metres). sg_plan_result reports the values used. */

typedef struct sg_plan_options sg_plan_options;

/** Defaults: level 1, every division of level admin_village, balance
 * households, N = ceil(households / H) with H = setting
 * grid.target_households.max (300) at level 1 and a fifth of it at
 * level 2 (about five micro-grids per grid, DOMAIN G3). Caller owns;
 * free with sg_plan_options_free(). NULL when out of memory. */
SG_API sg_plan_options *sg_plan_options_new(void);

/** Free \p opts. NULL is a no-op. */
SG_API void sg_plan_options_free(sg_plan_options *opts);

/** Plan one unit only. Level 1: a division code. Level 2: a level-1 grid
 * code, or a division code (then every level-1 grid of that division).
 * NULL: every unit (all divisions of the division level at level 1,
 * every level-1 grid at level 2). Fails with SG_ERR_USAGE for an empty
 * or overlong code. */
SG_API sg_status sg_plan_options_set_division(sg_ctx *ctx,
                                              sg_plan_options *opts,
                                              const char *code);

/** Division level that "every unit" means at level 1 (county, township,
 * admin_village (default), natural_village, group). Fails with
 * SG_ERR_USAGE for anything else. */
SG_API sg_status sg_plan_options_set_division_level(sg_ctx *ctx,
                                                    sg_plan_options *opts,
                                                    const char *level);

/** Grid level proposed: 1 = village -> grids (default), 2 = level-1 grid
 * -> micro-grids (code = parent code + 2 digits). Fails with
 * SG_ERR_USAGE for other values. */
SG_API sg_status sg_plan_options_set_level(sg_ctx *ctx, sg_plan_options *opts,
                                           int level);

/** Number of grids per unit (> 0; 0 = from households per grid).
 * Fails with SG_ERR_USAGE for n < 0. */
SG_API sg_status sg_plan_options_set_grids(sg_ctx *ctx, sg_plan_options *opts,
                                           int n);

/** Households per grid (> 0; 0 = the default above); N =
 * ceil(households / H), at least 1. A number of grids set with
 * sg_plan_options_set_grids() takes precedence. Fails with SG_ERR_USAGE
 * for a negative or non-finite \p h. */
SG_API sg_status sg_plan_options_set_households_per_grid(sg_ctx *ctx,
                                                         sg_plan_options *opts,
                                                         double h);

/** What the grids balance: SG_BALANCE_HOUSEHOLDS (default) or
 * SG_BALANCE_RESIDENTS (resident_population); sg_balance_from_string()
 * reads the name. Fails with SG_ERR_USAGE for the other measures. */
SG_API sg_status sg_plan_options_set_balance(sg_ctx *ctx, sg_plan_options *opts,
                                             sg_balance balance);

/** Balance and compactness of a set of grids. */
typedef struct sg_plan_stats {
    long long grids;
    double max_mean; /* largest grid / mean (balanced quantity) */
    double min_mean; /* smallest grid / mean */
    double mean_pp;  /* mean Polsby-Popper compactness 4 pi A / P^2 */
    double min_pp;   /* least compact grid */
} sg_plan_stats;

/** One proposed grid. */
typedef struct sg_plan_grid {
    char *code;          /* 12-digit division code + 3 digits (level 1) or
                            parent grid code + 2 digits (level 2); owned */
    char *parent_code;   /* division (level 1) or parent grid; owned */
    char *division_code; /* owned */
    char *name;          /* owned */
    long long households;
    long long residents;
    double area_m2;
    double perimeter_m;
    double polsby_popper; /* 4 pi area / perimeter^2, 1 = a circle */
    int parts;            /* polygons (1 = contiguous) */
    int island_parts;     /* of which detached pieces of the unit itself
                             (exclaves, islands): unavoidable */
} sg_plan_grid;

/** One planned unit: a division (level 1) or a level-1 grid (level 2). */
typedef struct sg_plan_unit {
    char *code;          /* owned */
    char *name;          /* owned; may be NULL */
    char *division_code; /* owned */
    long long households;
    long long residents;
    long long grids;         /* N asked for */
    double target;           /* mean balanced quantity per grid */
    long long blocks;        /* blocks partitioned */
    long long voronoi_faces; /* road faces split by household midlines */
    long long islands;       /* block groups joined to their nearest block by
                                a weak link (exclaves, islands) */
    long long households_near_boundary; /* within plan.clearance_m of
                                           a boundary between two grids */
    int balanced; /* planned.max_mean <= plan.balance_bound */
    sg_plan_stats planned;
    sg_plan_stats existing; /* grids of the unit in layer `grids`
                               (grids = 0: none) */
    char *note;             /* owned; why the bound was not reached, or
                               other remarks; NULL if none */
    size_t first_grid;      /* this unit's grids in sg_plan_result.grids */
    size_t ngrids;
} sg_plan_unit;

typedef struct sg_plan_result {
    int level;                  /* grid level proposed */
    const char *balance;        /* "households" or "residents"
                                   (sg_balance_to_string); static */
    double households_per_grid; /* H used (0 if grids was given) */
    long long grids_per_unit;   /* N given with set_grids, else 0 */
    double balance_bound;       /* setting plan.balance_bound used */
    double clearance_m;         /* setting plan.clearance_m used */
    sg_plan_unit *units;        /* owned */
    size_t nunits;
    sg_plan_grid *grids; /* owned; west->east, north->south per unit */
    size_t ngrids;
    long long households; /* sums over the units */
    long long blocks;
    long long unbalanced;     /* units with max_mean above the bound */
    long long not_contiguous; /* grids with parts beyond their islands */
    long long households_near_boundary;
    double max_mean; /* worst unit */
    double mean_pp;  /* mean over every grid */
} sg_plan_result;

/** Propose grids for the units \p opts selects and write layer
 * `planned_grids` (replacing an earlier one) with the columns of layer
 * `grids` (grid_code, name, level, parent_code, division_code,
 * grid_leader empty) plus households, residents, area_m2, perimeter_m,
 * polsby_popper and parts; record the run.
 * A unit whose balance bound cannot be reached is still planned; its
 * note says why. Fails with SG_ERR_NOT_FOUND for an unknown division,
 * SG_ERR_INPUT when a unit cannot hold N grids (fewer households than
 * grids) and only one unit was asked for.
 * \param opts NULL for the defaults.
 * \param result caller owns; free with sg_plan_result_free(). */
SG_API sg_status sg_plan(sg_ctx *ctx, sg_store *store,
                         const sg_plan_options *opts, sg_plan_result **result);

/** Free \p r. NULL is a no-op. */
SG_API void sg_plan_result_free(sg_plan_result *r);

#ifdef __cplusplus
}
#endif
#endif
