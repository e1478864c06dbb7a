/* Analyses over a store: grid topology check, the road network, and
 * coverage of households by sanitation points. Each writes its result
 * layers into the store and records itself in `runs`.
 * Not for: drawing or exporting results (render, io).
 * SPDX-License-Identifier: MIT */
#ifndef SANIGRID_ANALYSIS_H
#define SANIGRID_ANALYSIS_H

#include <stddef.h>
#include "sanigrid/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- check: grid topology, hierarchy, ownership ------------------------ */

typedef struct sg_check_options sg_check_options;

/** Defaults: every level, slivers below 1 m2. Caller owns; free with
 * sg_check_options_free(). NULL when out of memory. */
sg_check_options *sg_check_options_new(void);
void sg_check_options_free(sg_check_options *opts);
/** Check only grid level \p level (1-3); 0 = every level present. */
void sg_check_options_set_level(sg_check_options *opts, int level);
/** Gap/overlap pieces smaller than \p m2 are counted as slivers only. */
void sg_check_options_set_sliver_m2(sg_check_options *opts, double m2);

typedef struct sg_check_level {
    int level;                    /* grid level 1..3 */
    long long grids;              /* grids of the level */
    long long gaps;               /* gap pieces >= sliver size */
    double gaps_area_m2;
    long long overlaps;           /* overlap pieces >= sliver size */
    double overlaps_area_m2;
    long long slivers;            /* gap or overlap pieces below it */
    double slivers_area_m2;
    long long hierarchy_errors;   /* not within parent/division, missing
                                     parent, duplicate code */
    long long duplicate_codes;    /* grid codes used more than once */
    long long bad_codes;          /* codes not following DOMAIN.md §2 */
    long long grids_without_leader;
    long long households_outside_grids;
    long long households_in_several_grids;
} sg_check_level;

typedef struct sg_check_result {
    sg_check_level *levels; /* one per level checked, ascending */
    size_t nlevels;
    sg_check_level total;   /* sums over the levels (level = 0) */
    long long issues;       /* rows written to grid_issues */
} sg_check_result;

/** Check the grids: writes layers grid_gaps and grid_overlaps and table
 * grid_issues (replacing earlier ones). \param result caller owns; free
 * with sg_check_result_free(). */
sg_status sg_check(sg_ctx *ctx, sg_store *store, const sg_check_options *opts,
                   sg_check_result **result);
void sg_check_result_free(sg_check_result *result);

/* ---- the road network --------------------------------------------------- */

typedef struct sg_network_options sg_network_options;

/** Defaults: lines connect only where they share a vertex (OpenStreetMap
 * rule; a crossing without a shared vertex is a bridge). Caller owns. */
sg_network_options *sg_network_options_new(void);
void sg_network_options_free(sg_network_options *opts);
/** Also join dangling line ends to the nearest vertex within \p m metres
 * (0 = off). */
void sg_network_options_set_snap_m(sg_network_options *opts, double m);
/** Connect every crossing of two lines (noding), not only shared
 * vertices. */
void sg_network_options_set_node_crossings(sg_network_options *opts, int on);

typedef struct sg_network_result {
    long long roads;          /* road rows used */
    long long nodes;          /* graph nodes */
    long long edges;          /* graph edges */
    double length_m;          /* total road length */
    long long components;     /* connected components */
    double largest_share;     /* largest component's share of length */
    long long dangling_ends;  /* degree-1 nodes */
    long long snapped;        /* ends joined by --snap-m */
    long long crossings;      /* crossings noded by --node-crossings */
} sg_network_result;

/** Build the road graph and describe it: writes table network_components
 * (component, roads, length_m, share) and layer network_dangles (points).
 * \param result receives the figures (caller-provided struct). */
sg_status sg_network(sg_ctx *ctx, sg_store *store,
                     const sg_network_options *opts,
                     sg_network_result *result);

/* ---- coverage ----------------------------------------------------------- */

typedef enum sg_metric {
    SG_METRIC_EUCLID = 1,
    SG_METRIC_NETWORK = 2,
    SG_METRIC_BOTH = 3
} sg_metric;

typedef struct sg_coverage_options sg_coverage_options;

/** Defaults: kind collection_point, radius from the settings for the kind
 * (collection_point.radius_m.clustered = 120 m, public_toilet 300 m,
 * transfer_station: collection_vehicle.radius_km.small_motor), both
 * metrics, --max-snap 500 m, demand = households. Caller owns. */
sg_coverage_options *sg_coverage_options_new(void);
void sg_coverage_options_free(sg_coverage_options *opts);
sg_status sg_coverage_options_set_kind(sg_ctx *ctx, sg_coverage_options *opts,
                                       const char *kind);
/** Radius in metres (<= 0: from the settings for the kind). */
void sg_coverage_options_set_radius(sg_coverage_options *opts, double m);
void sg_coverage_options_set_metric(sg_coverage_options *opts,
                                    sg_metric metric);
void sg_coverage_options_set_max_snap(sg_coverage_options *opts, double m);
/** Demand: "households" (default) or a point kind (e.g.
 * "collection_point" for the 村收集→镇转运 chain). */
sg_status sg_coverage_options_set_demand(sg_ctx *ctx,
                                         sg_coverage_options *opts,
                                         const char *demand);
/** Network building options (snap, node crossings); copied. */
void sg_coverage_options_set_network(sg_coverage_options *opts,
                                     const sg_network_options *net);

typedef struct sg_coverage_result {
    char kind[32];            /* point kind served */
    char demand[32];          /* "households" or a point kind */
    double radius_m;
    int metric;               /* sg_metric */
    long long points;         /* points of the kind */
    long long households;     /* demand features */
    long long residents;      /* their resident population */
    long long beyond_euclid;  /* farther than the radius, straight line */
    long long beyond_network; /* farther than the radius along roads
                                 (unreachable ones not included) */
    long long unreachable;    /* no road within max-snap, or no point in
                                 their road component */
    long long residents_beyond_euclid;
    long long residents_beyond_network; /* includes unreachable */
    long long blind_spots;    /* blind-spot polygons */
    double blind_spot_area_m2;
} sg_coverage_result;

/** Nearest point of the kind for every demand feature, by straight line
 * and along roads; writes layers coverage and blind_spots and table
 * coverage_stats. \param result receives the figures. */
sg_status sg_coverage(sg_ctx *ctx, sg_store *store,
                      const sg_coverage_options *opts,
                      sg_coverage_result *result);

#ifdef __cplusplus
}
#endif
#endif
