/* Coverage of households (or points) by sanitation points, by straight
 * line and along roads: per-household distances, blind spots and
 * statistics per division and grid, written into the store.
 * Not for: the road graph options (network.h).
 * SPDX-License-Identifier: MIT */
#ifndef SANIGRID_COVERAGE_H
#define SANIGRID_COVERAGE_H
#include "sanigrid/export.h"

#include <stddef.h>
#include "sanigrid/store.h"
#include "sanigrid/network.h"
#include "sanigrid/point.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- coverage ----------------------------------------------------------- */

typedef enum sg_metric {
    SG_METRIC_EUCLID = 1,
    SG_METRIC_NETWORK = 2,
    SG_METRIC_BOTH = 3
} sg_metric;

/** "euclid", "network" or "both" for \p metric; NULL for another value.
 * Static. */
SG_API const char *sg_metric_to_string(sg_metric metric);
/** The metric named \p name ("euclid", "network" or "both") into
 * *\p out. \return SG_OK, or SG_ERR_USAGE naming \p name. */
SG_API sg_status sg_metric_from_string(sg_ctx *ctx, const char *name,
                                       sg_metric *out);

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
/** Point kind that serves the demand (sg_point_kind_from_string() reads
 * a name). Fails with SG_ERR_USAGE for a value outside sg_point_kind. */
SG_API sg_status sg_coverage_options_set_kind(sg_ctx *ctx,
                                              sg_coverage_options *opts,
                                              sg_point_kind kind);
/* The setters below validate their value: SG_OK, or SG_ERR_USAGE with
 * the message in \p ctx naming it, the options left as they were. */
/** Radius in metres (> 0; default: from the settings for the kind; bin
 * and other have no setting and need one). */
SG_API sg_status sg_coverage_options_set_radius(sg_ctx *ctx,
                                                sg_coverage_options *opts,
                                                double m);
/** Which distances to compute (default SG_METRIC_BOTH). */
SG_API sg_status sg_coverage_options_set_metric(sg_ctx *ctx,
                                                sg_coverage_options *opts,
                                                sg_metric metric);
/** Farthest a household (or point) may be from a road to be placed on
 * the network (>= 0; default 500 m). */
SG_API sg_status sg_coverage_options_set_max_snap(sg_ctx *ctx,
                                                  sg_coverage_options *opts,
                                                  double m);
/** Demand: "households" (default) or a point kind (e.g.
 * "collection_point" for the 村收集→镇转运 chain). Fails with
 * SG_ERR_USAGE for anything else. */
SG_API sg_status sg_coverage_options_set_demand(sg_ctx *ctx,
                                                sg_coverage_options *opts,
                                                const char *demand);
/** Network building options (snap, node crossings); copied. NULL restores
 * the defaults (those of sg_network_options_new()). \return SG_OK. */
SG_API sg_status sg_coverage_options_set_network(sg_ctx *ctx,
                                                 sg_coverage_options *opts,
                                                 const sg_network_options *net);

/** What sg_coverage() computed. Strings are owned by the result, never
 * NULL. */
typedef struct sg_coverage_result {
    char *kind;   /* point kind served */
    char *demand; /* "households" or a point kind */
    double radius_m;
    char *radius_source; /* setting key the radius came from, or
                            "--radius" */
    double max_snap_m;
    sg_metric metric;             /* computed */
    sg_metric metric_used;        /* SG_METRIC_NETWORK or SG_METRIC_EUCLID:
                                     the one blind spots and farthest
                                     households use (network whenever
                                     computed and the store has roads) */
    long long points;             /* points of the kind */
    long long points_off_network; /* points farther than max-snap from
                                     every road (no network source) */
    long long households;         /* demand features */
    long long residents;          /* their resident population */
    long long beyond_euclid;      /* farther than the radius, straight line */
    long long beyond_network;     /* not covered along roads: farther than
                                     the radius or unreachable (unreachable
                                     included, as in the residents) */
    long long unreachable;        /* no road within max-snap, or no point in
                                     their road component */
    long long off_network;        /* of those: no road within max-snap */
    long long residents_beyond_euclid;
    long long residents_beyond_network; /* of beyond_network: includes
                                           unreachable */
    long long residents_unreachable;
    long long blind_spots; /* blind spots (rows of layer blind_spots) */
    long long blind_spot_households; /* demand features in them */
    double blind_spot_area_m2;
    long long units;           /* rows of coverage_stats */
    sg_network_result network; /* the graph used (zero for euclid only);
                                  a copy owning nothing */
} sg_coverage_result;

/** Free a result of sg_coverage() and its strings (NULL is fine). */
SG_API void sg_coverage_result_free(sg_coverage_result *result);

/** Nearest point of the kind for every demand feature, by straight line
 * and along roads; writes layers coverage and blind_spots and table
 * coverage_stats (replacing earlier ones) and records the run.
 * A distance exactly equal to the radius is covered. \param opts NULL for
 * the defaults (those of sg_coverage_options_new()). \param result NULL,
 * or receives the figures: caller owns, free with
 * sg_coverage_result_free(); NULL on failure. */
SG_API sg_status sg_coverage(sg_ctx *ctx, sg_store *store,
                             const sg_coverage_options *opts,
                             sg_coverage_result **result);

#ifdef __cplusplus
}
#endif
#endif
