/* Analyses over a store: grid topology check, the road network, and
 * coverage of households by sanitation points. Each writes its result
 * layers into the store and records itself in `runs`.
 * Not for: drawing or exporting results (render, io).
 * SPDX-License-Identifier: MIT */
#ifndef SANIGRID_ANALYSIS_H
#define SANIGRID_ANALYSIS_H
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
/** Check only grid level \p level (1-3); 0 = every level present. */
SG_API void sg_check_options_set_level(sg_check_options *opts, int level);
/** Gap/overlap pieces smaller than \p m2 are counted as slivers only. */
SG_API void sg_check_options_set_sliver_m2(sg_check_options *opts, double m2);

/** Default width tolerance of the check, metres: 5 cm, above the shifts
 * of an exchange (GeoJSON's 7 decimals of a degree are about 1 cm) and far
 * below any real gap between grids. */
#define SG_CHECK_TOLERANCE_M 0.05
/** A gap or overlap piece thinner than \p m everywhere is a sliver, not a
 * finding, and a grid sticking out of its parent or division by a strip
 * thinner than \p m is still inside (0..10; 0 = exact). */
SG_API void sg_check_options_set_tolerance_m(sg_check_options *opts, double m);

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
SG_API sg_status sg_check(sg_ctx *ctx, sg_store *store, const sg_check_options *opts,
                   sg_check_result **result);
SG_API void sg_check_result_free(sg_check_result *result);

/* ---- the road network --------------------------------------------------- */

typedef struct sg_network_options sg_network_options;

/** Defaults: lines connect only where they share a vertex (at their ends
 * or inside a line; the OpenStreetMap rule, so a crossing without a
 * shared vertex is a bridge), no snapping. Caller owns; free with
 * sg_network_options_free(). NULL when out of memory. */
SG_API sg_network_options *sg_network_options_new(void);
/** Free \p opts. NULL is a no-op. */
SG_API void sg_network_options_free(sg_network_options *opts);
/** Also join each dangling line end (a node with one edge) to the closest
 * point within \p m metres of a line of another road, with a connector
 * edge (0 = off; negative values count as 0). */
SG_API void sg_network_options_set_snap_m(sg_network_options *opts, double m);
/** Connect every crossing or touching of two lines (noding), not only
 * shared vertices. */
SG_API void sg_network_options_set_node_crossings(sg_network_options *opts, int on);

/** How many of the largest components sg_network_result lists. */
#define SG_NETWORK_TOP 10

/** One connected component of the road graph. */
typedef struct sg_network_component {
    long long component;     /* 1 = largest by road length */
    long long roads;         /* road rows with an edge in it */
    long long nodes;
    long long edges;         /* road edges (connectors not counted) */
    long long dangling_ends; /* degree-1 nodes */
    double length_m;         /* road length */
    double share;            /* of the whole network's road length */
} sg_network_component;

typedef struct sg_network_result {
    long long roads;          /* road rows used */
    long long nodes;          /* graph nodes */
    long long edges;          /* graph edges (with connectors) */
    double length_m;          /* total road length */
    long long components;     /* connected components */
    double largest_share;     /* largest component's share of length */
    long long dangling_ends;  /* degree-1 nodes */
    long long snapped;        /* ends joined by --snap-m */
    long long crossings;      /* crossings noded by --node-crossings */
    sg_network_component largest[SG_NETWORK_TOP]; /* largest first */
    size_t nlargest;          /* entries of largest[] in use */
} sg_network_result;

/** Build the road graph and describe it: writes table network_components
 * (component, roads, nodes, edges, dangling_ends, length_m, share; one row
 * per component, 1 = largest) and layer network_dangles (POINT: node,
 * component), replacing earlier ones, and records the run.
 * \param opts NULL for the defaults.
 * \param result receives the figures (caller-provided struct). */
SG_API sg_status sg_network(sg_ctx *ctx, sg_store *store,
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
 * metrics, --max-snap 500 m, demand = households, network defaults.
 * Caller owns; free with sg_coverage_options_free(). NULL when out of
 * memory. */
SG_API sg_coverage_options *sg_coverage_options_new(void);
/** Free \p opts. NULL is a no-op. */
SG_API void sg_coverage_options_free(sg_coverage_options *opts);
/** Point kind that serves the demand: collection_point, bin,
 * transfer_station, public_toilet or other. Fails with SG_ERR_USAGE for
 * anything else. */
SG_API sg_status sg_coverage_options_set_kind(sg_ctx *ctx, sg_coverage_options *opts,
                                       const char *kind);
/** Radius in metres (<= 0: from the settings for the kind; bin and other
 * have no setting and need one). */
SG_API void sg_coverage_options_set_radius(sg_coverage_options *opts, double m);
/** Which distances to compute (default SG_METRIC_BOTH); other values are
 * ignored. */
SG_API void sg_coverage_options_set_metric(sg_coverage_options *opts,
                                    sg_metric metric);
/** Farthest a household (or point) may be from a road to be placed on
 * the network (default 500 m). */
SG_API void sg_coverage_options_set_max_snap(sg_coverage_options *opts, double m);
/** Demand: "households" (default) or a point kind (e.g.
 * "collection_point" for the 村收集→镇转运 chain). Fails with
 * SG_ERR_USAGE for anything else. */
SG_API sg_status sg_coverage_options_set_demand(sg_ctx *ctx,
                                         sg_coverage_options *opts,
                                         const char *demand);
/** Network building options (snap, node crossings); copied. NULL restores
 * the defaults. */
SG_API void sg_coverage_options_set_network(sg_coverage_options *opts,
                                     const sg_network_options *net);

typedef struct sg_coverage_result {
    char kind[32];            /* point kind served */
    char demand[32];          /* "households" or a point kind */
    double radius_m;
    char radius_source[64];   /* setting key the radius came from, or
                                 "--radius" */
    double max_snap_m;
    int metric;               /* sg_metric computed */
    int metric_used;          /* SG_METRIC_NETWORK or SG_METRIC_EUCLID: the
                                 one blind spots and farthest households use
                                 (network whenever computed and the store has
                                 roads) */
    long long points;         /* points of the kind */
    long long points_off_network; /* points farther than max-snap from
                                     every road (no network source) */
    long long households;     /* demand features */
    long long residents;      /* their resident population */
    long long beyond_euclid;  /* farther than the radius, straight line */
    long long beyond_network; /* not covered along roads: farther than
                                 the radius or unreachable (unreachable
                                 included, as in the residents) */
    long long unreachable;    /* no road within max-snap, or no point in
                                 their road component */
    long long off_network;    /* of those: no road within max-snap */
    long long residents_beyond_euclid;
    long long residents_beyond_network; /* of beyond_network: includes
                                           unreachable */
    long long residents_unreachable;
    long long blind_spots;    /* blind spots (rows of layer blind_spots) */
    long long blind_spot_households; /* demand features in them */
    double blind_spot_area_m2;
    long long units;          /* rows of coverage_stats */
    sg_network_result network; /* the graph used (zero for euclid only) */
} sg_coverage_result;

/** Nearest point of the kind for every demand feature, by straight line
 * and along roads; writes layers coverage and blind_spots and table
 * coverage_stats (replacing earlier ones) and records the run.
 * A distance exactly equal to the radius is covered. \param opts NULL for
 * the defaults (those of sg_coverage_options_new()). \param result
 * receives the figures (caller-provided struct). */
SG_API sg_status sg_coverage(sg_ctx *ctx, sg_store *store,
                      const sg_coverage_options *opts,
                      sg_coverage_result *result);

#ifdef __cplusplus
}
#endif
#endif
