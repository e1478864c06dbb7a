/* Siting new sanitation points (collection points by default): where K
 * new points would cover the most residents not covered today (maximal
 * covering), or the fewest new points that cover every household a
 * candidate can reach (set covering). Distances are those of the coverage
 * analysis (sg_coverage in analysis.h), by straight line or along roads.
 * Solved exactly with GLPK (an integer program) when the instance is
 * small enough, otherwise by greedy plus swap improvement with a bound on
 * the optimum, so the gap is always known.
 * Not for: measuring today's coverage (sg_coverage), drawing.
 * SPDX-License-Identifier: MIT */
#ifndef SANIGRID_SITE_H
#define SANIGRID_SITE_H
#include "sanigrid/export.h"

#include <stddef.h>
#include "sanigrid/analysis.h"
#include "sanigrid/point.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sg_site_options sg_site_options;

/** What is solved: sg_site_options_set_add() or _set_cover_all(). */
typedef enum sg_site_mode {
    SG_SITE_ADD = 1,      /**< maximal covering: K new points */
    SG_SITE_COVER_ALL = 2 /**< set covering: the fewest new points */
} sg_site_mode;

/** The mode named \p name ("add" or "cover_all") into *\p out. Fails
 * with SG_ERR_USAGE (naming the value) for anything else, *\p out
 * unchanged. */
SG_API sg_status sg_site_mode_from_string(sg_ctx *ctx, const char *name,
                                          sg_site_mode *out);

/** \return "add" or "cover_all" for \p mode, or NULL for another value.
 * Static. */
SG_API const char *sg_site_mode_to_string(sg_site_mode mode);

/** Capacity unit of a new point (DOMAIN.md §2
 * collection_point.max_households). */
typedef enum sg_site_capacity_unit {
    SG_SITE_CAP_HOUSEHOLDS = 1, /* households served per point */
    SG_SITE_CAP_RESIDENTS = 2   /* residents served per point */
} sg_site_capacity_unit;

/** The unit named \p name ("households" or "residents") into *\p out.
 * Fails with SG_ERR_USAGE (naming the value) for anything else, *\p out
 * unchanged. */
SG_API sg_status sg_site_capacity_unit_from_string(sg_ctx *ctx,
                                                   const char *name,
                                                   sg_site_capacity_unit *out);

/** \return "households" or "residents" for \p unit, or NULL for another
 * value. Static. */
SG_API const char *sg_site_capacity_unit_to_string(sg_site_capacity_unit unit);

/** Default largest instance solved exactly: candidates left after
 * pruning dominated ones. */
#define SG_SITE_EXACT_CANDIDATES 5000

/** Defaults: --add 1, kind collection_point, radius from the settings
 * for the kind (as sg_coverage), metric from the setting
 * collection_point.distance_metric (network; straight line when the
 * store has no roads), candidates along roads every 20 m, the whole
 * store, no capacity, max-snap 500 m, network defaults, exact up to
 * SG_SITE_EXACT_CANDIDATES candidates, a GLPK time limit of 20 s.
 * Caller owns; free with sg_site_options_free(). NULL when out of
 * memory. */
SG_API sg_site_options *sg_site_options_new(void);

/** Free \p opts. NULL is a no-op. */
SG_API void sg_site_options_free(sg_site_options *opts);

/** Maximal covering: choose \p k (>= 1) new points that cover the most
 * residents not covered by the existing points. Fails with SG_ERR_USAGE
 * for k < 1. */
SG_API sg_status sg_site_options_set_add(sg_ctx *ctx, sg_site_options *opts,
                                         int k);

/** Set covering: the fewest new points that cover every household some
 * candidate can cover (the others are listed as uncoverable). */
SG_API sg_status sg_site_options_set_cover_all(sg_ctx *ctx,
                                               sg_site_options *opts);

/** Point kind sited (existing points of the kind are kept and count as
 * covering; sg_point_kind_from_string() reads a name). Fails with
 * SG_ERR_USAGE for a value out of range. */
SG_API sg_status sg_site_options_set_kind(sg_ctx *ctx, sg_site_options *opts,
                                          sg_point_kind kind);

/** Service radius in metres (0: from the settings for the kind, as
 * sg_coverage_options_set_radius). Fails with SG_ERR_USAGE for a
 * negative or non-finite radius. */
SG_API sg_status sg_site_options_set_radius(sg_ctx *ctx, sg_site_options *opts,
                                            double m);

/** SG_METRIC_EUCLID or SG_METRIC_NETWORK; 0 restores the default (the
 * setting collection_point.distance_metric, straight line when the store
 * has no roads); anything else fails with SG_ERR_USAGE. An explicit
 * network metric on a store without roads fails at the run. */
SG_API sg_status sg_site_options_set_metric(sg_ctx *ctx, sg_site_options *opts,
                                            sg_metric metric);

/** Where new points may go: "roads" (points along every road every
 * spacing metres, ids "road:<road_id>:<k>"), "households" (household
 * locations, ids "hh:<household_id>") or the name of a point layer of the
 * store (its rows with a point geometry, ids from its id column). Fails
 * with SG_ERR_USAGE for NULL or "". The layer is checked at the run. */
SG_API sg_status sg_site_options_set_candidates(sg_ctx *ctx,
                                                sg_site_options *opts,
                                                const char *source);

/** Spacing of road candidates in metres (> 0; default 20). Fails with
 * SG_ERR_USAGE otherwise. */
SG_API sg_status sg_site_options_set_spacing(sg_ctx *ctx, sg_site_options *opts,
                                             double m);

/** Only households and candidates inside division \p code (NULL: the
 * whole store). The special value "worst" picks the admin_village with
 * the lowest share of covered households (ties: more uncovered
 * households, then the lowest code). Checked at the run (SG_ERR_USAGE
 * for an unknown code). */
SG_API sg_status sg_site_options_set_division(sg_ctx *ctx,
                                              sg_site_options *opts,
                                              const char *code);

/** Each new point serves at most \p n households or residents (\p unit);
 * n == 0 removes the constraint; n < 0 takes the store's setting
 * collection_point.max_households (DOMAIN.md §2: 300), in households
 * (\p unit must then be SG_SITE_CAP_HOUSEHOLDS). Fails with SG_ERR_USAGE
 * for a non-finite \p n or another unit. */
SG_API sg_status sg_site_options_set_capacity(sg_ctx *ctx,
                                              sg_site_options *opts, double n,
                                              sg_site_capacity_unit unit);

/** Farthest a household or candidate may be from a road to be placed on
 * the network (>= 0; default 500 m, as sg_coverage). Fails with
 * SG_ERR_USAGE for a negative or non-finite distance. */
SG_API sg_status sg_site_options_set_max_snap(sg_ctx *ctx,
                                              sg_site_options *opts, double m);

/** Network building options (snap, node crossings); copied. NULL
 * restores the defaults. */
SG_API sg_status sg_site_options_set_network(sg_ctx *ctx, sg_site_options *opts,
                                             const sg_network_options *net);

/** Solve exactly when at most \p n candidates are left after pruning
 * (0: never, i.e. always greedy + swap). Default
 * SG_SITE_EXACT_CANDIDATES. */
SG_API sg_status sg_site_options_set_exact_limit(sg_ctx *ctx,
                                                 sg_site_options *opts,
                                                 size_t n);

/** Time limit of the GLPK solver in seconds (> 0; default 20). When it
 * is reached the better of its best solution and greedy + swap is kept
 * and the gap reported. Fails with SG_ERR_USAGE for s <= 0. */
SG_API sg_status sg_site_options_set_time_limit(sg_ctx *ctx,
                                                sg_site_options *opts,
                                                double s);

/** One new point, in rank order. */
typedef struct sg_site_proposal {
    long long rank;           /* 1 = largest marginal gain */
    char *candidate_id;       /* owned by the result */
    double x, y;              /* working CRS */
    long long households_new; /* newly covered by it, given ranks 1..rank-1
                                 (with a capacity: assigned to it) */
    long long residents_new;
    char *division_code; /* deepest division containing it; owned;
                            NULL if none */
    char *village;       /* name of the deepest admin or natural
                            village containing it; owned; NULL */
} sg_site_proposal;

/** A household no new point can cover. */
typedef struct sg_site_uncoverable {
    char *household_id; /* owned by the result */
    long long residents;
    double x, y;
    const char *reason; /* static: "off_network" (no road within
                           max-snap), "no_candidate" (no candidate within
                           the radius) or "capacity" (left unserved by the
                           capacity) */
} sg_site_uncoverable;

/** Coverage of the households considered (inside the division). */
typedef struct sg_site_coverage {
    long long households, residents;
    long long covered_households, covered_residents;
    long long beyond_households, beyond_residents; /* not covered
                                                      (unreachable
                                                      included) */
    long long unreachable; /* along roads: no road within max-snap, or no
                              point in the road component; 0 by straight
                              line */
} sg_site_coverage;

typedef struct sg_site_result {
    /* Every char * below is owned by the result and never NULL ("" when
     * empty). */
    sg_site_mode mode;
    long long k; /* --add K (0 for cover_all) */
    sg_point_kind kind;
    int metric; /* SG_METRIC_EUCLID or SG_METRIC_NETWORK */
    double radius_m;
    char *radius_source; /* setting key, or "--radius" */
    double max_snap_m;
    char *candidates; /* roads, households or the layer */
    double spacing_m;
    char *division_code; /* "" for the whole store */
    char *division_name;
    double capacity;                     /* 0 = none */
    char *capacity_source;               /* setting key, "--capacity" or "" */
    sg_site_capacity_unit capacity_unit; /* 0 without a capacity */
    char *method;                /* "exact", "mip-timeout", "greedy+swap" or
                                    "greedy" (with a capacity) */
    char *objective;             /* "residents", "households" (add: what is
                                    maximised; residents unless no demand has
                                    a resident figure) or "points" (cover_all:
                                    what is minimised) */
    double value;                /* objective of the solution */
    double bound;                /* add: an upper bound on the optimum;
                                    cover_all: a lower bound */
    double gap;                  /* add: (bound - value) / bound; cover_all:
                                    (value - bound) / value; 0 = optimal */
    int time_limit_hit;          /* GLPK stopped at the time limit */
    long long points;            /* existing points of the kind */
    long long candidates_total;  /* candidates generated */
    long long candidates_useful; /* covering some uncovered household */
    long long candidates_kept;   /* after pruning dominated ones */
    long long demand_households; /* uncovered and coverable */
    long long demand_rows;       /* after merging households covered by
                                    the same candidates */
    sg_site_coverage before, after;
    sg_site_proposal *proposals; /* nproposals, rank order; owned */
    size_t nproposals;
    sg_site_uncoverable *uncoverable; /* owned; household fid order */
    size_t nuncoverable;
    long long households_unserved; /* cover_all with a capacity: coverable
                                      households left unserved */
    double seconds;
} sg_site_result;

/** Propose new points: writes layers site_proposals (POINT: rank,
 * candidate_id, households_new, residents_new, division_code, village,
 * method, kind) and site_uncoverable (POINT: household_id, resident_population,
 * reason), replacing earlier ones, and records the run.
 * \param opts NULL for the defaults (those of sg_site_options_new()).
 * \param result caller owns; free with sg_site_result_free(). */
SG_API sg_status sg_site(sg_ctx *ctx, sg_store *store,
                         const sg_site_options *opts, sg_site_result **result);

/** Free \p r. NULL is a no-op. */
SG_API void sg_site_result_free(sg_site_result *r);

/** Accept proposals: turn the rows of site_proposals named by \p ids
 * (their candidate_id, or their rank when no candidate_id is that
 * text; all of them when \p nids is 0) into points of the layer
 * `points`, in one transaction after a snapshot (sanigrid/snapshot.h):
 * point_id = candidate_id, kind = the kind sited (collection_point by
 * default), division_code and location of the proposal. The accepted
 * rows leave site_proposals, so they cannot be accepted twice; the run
 * is recorded ("site-accept"). A later coverage counts the new points.
 * Fails with SG_ERR_NOT_FOUND for an id naming no proposal, SG_ERR_INPUT
 * when there are no proposals or a point with the same point_id exists
 * already; nothing is changed then. \p accepted receives the number of
 * points added. */
SG_API sg_status sg_site_accept(sg_ctx *ctx, sg_store *store,
                                const char *const *ids, size_t nids,
                                long long *accepted);

#ifdef __cplusplus
}
#endif
#endif
