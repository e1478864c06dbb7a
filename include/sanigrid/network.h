/* The road network of a store: the graph coverage, staffing and routing
 * measure along (snapping, crossings, components, dangling ends).
 * Not for: the distances themselves (coverage.h, route.h).
 * SPDX-License-Identifier: MIT */
#ifndef SANIGRID_NETWORK_H
#define SANIGRID_NETWORK_H
#include "sanigrid/export.h"

#include <stddef.h>
#include "sanigrid/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- the road network --------------------------------------------------- */

typedef struct sg_network_options sg_network_options;

/** Defaults: lines connect only where they share a vertex (at their ends
 * or inside a line; the OpenStreetMap rule, so a crossing without a
 * shared vertex is a bridge), no snapping. Caller owns; free with
 * sg_network_options_free(). NULL when out of memory. */
SG_API sg_network_options *sg_network_options_new(void);
/** Free \p opts. NULL is a no-op. */
SG_API void sg_network_options_free(sg_network_options *opts);
/* The setters below validate their value: SG_OK, or SG_ERR_USAGE with
 * the message in \p ctx naming the option and the value, the options
 * left as they were. */
/** Also join each dangling line end (a node with one edge) to the closest
 * point within \p m metres of a line of another road, with a connector
 * edge (>= 0; 0 = off, the default). */
SG_API sg_status sg_network_options_set_snap_m(sg_ctx *ctx,
                                               sg_network_options *opts,
                                               double m);
/** Connect every crossing or touching of two lines (noding), not only
 * shared vertices, when \p on is 1 (0: off, the default). */
SG_API sg_status sg_network_options_set_node_crossings(sg_ctx *ctx,
                                                       sg_network_options *opts,
                                                       int on);

/** How many of the largest components sg_network_result lists. */
#define SG_NETWORK_TOP 10

/** One connected component of the road graph. */
typedef struct sg_network_component {
    long long component; /* 1 = largest by road length */
    long long roads;     /* road rows with an edge in it */
    long long nodes;
    long long edges;         /* road edges (connectors not counted) */
    long long dangling_ends; /* degree-1 nodes */
    double length_m;         /* road length */
    double share;            /* of the whole network's road length */
} sg_network_component;

typedef struct sg_network_result {
    long long roads;         /* road rows used */
    long long nodes;         /* graph nodes */
    long long edges;         /* graph edges (with connectors) */
    double length_m;         /* total road length */
    long long components;    /* connected components */
    double largest_share;    /* largest component's share of length */
    long long dangling_ends; /* degree-1 nodes */
    long long snapped;       /* ends joined by --snap-m */
    long long crossings;     /* crossings noded by --node-crossings */
    sg_network_component largest[SG_NETWORK_TOP]; /* largest first */
    size_t nlargest; /* entries of largest[] in use */
} sg_network_result;

/** Free a result of sg_network() (NULL is fine). The result owns no
 * other memory, so a copy of the struct (as sg_coverage_result embeds)
 * needs no freeing. */
SG_API void sg_network_result_free(sg_network_result *result);

/** Build the road graph and describe it: writes table network_components
 * (component, roads, nodes, edges, dangling_ends, length_m, share; one row
 * per component, 1 = largest) and layer network_dangles (POINT: node,
 * component), replacing earlier ones, and records the run.
 * \param opts NULL for the defaults (those of sg_network_options_new()).
 * \param result NULL, or receives the figures: caller owns, free with
 * sg_network_result_free(); NULL on failure. */
SG_API sg_status sg_network(sg_ctx *ctx, sg_store *store,
                            const sg_network_options *opts,
                            sg_network_result **result);

#ifdef __cplusplus
}
#endif
#endif
