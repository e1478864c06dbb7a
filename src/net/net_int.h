/* The road network module's internal API (the flat WKB reader and the
 * cell index it uses are geom/wkb_int.h and geom/cells_int.h): the road
 * graph built from the `roads` layer (shared vertices, optional noding
 * of crossings and snapping of dangling ends), and the multi-source
 * shortest-path pass that the coverage analysis runs once for all
 * households.
 * Everything works on flat arrays in the store's working (metric) CRS, so
 * distances are metres; no geometry engine, no per-feature allocation.
 * Not for: SQL (src/store), writing result layers of analyses other than
 * `network`, printing.
 * SPDX-License-Identifier: MIT */
#ifndef SG_NET_INT_H
#define SG_NET_INT_H

#include <stddef.h>
#include <stdint.h>

#include "core/ctx_int.h"
#include "geom/cells_int.h"
#include "geom/wkb_int.h"
#include "sanigrid/analysis.h"

/* ---- options (shared with coverage, which embeds a copy) ------------- */

struct sg_network_options {
    double snap_m;      /* join dangling ends within this distance; 0 off */
    int node_crossings; /* 1: every crossing of two lines becomes a node */
};

/** Set \p o to the defaults: the one place for them, used by
 * sg_network_options_new(), sg_network(NULL) and the analyses that embed
 * a copy (coverage, allocate) when given NULL. */
void sg__network_defaults(sg_network_options *o);

/* ---- the road graph --------------------------------------------------- */

/** A straight segment (a graph edge's geometry). */
typedef struct sg__seg {
    double x1, y1, x2, y2;
} sg__seg;

/** Per connected component, after sorting by length (largest first). */
typedef struct sg__comp {
    long long nodes;
    long long edges;   /* road edges (connectors not counted) */
    long long roads;   /* road rows with an edge in the component */
    long long dangles; /* nodes of degree 1 */
    double length_m;   /* road length (connectors not counted) */
} sg__comp;

/** The graph: nodes are distinct vertex coordinates (exact equality in
 * the working CRS), edges are the straight pieces between consecutive
 * vertices of the road lines (split at noded crossings and snap
 * targets), followed by connector edges that --snap-m adds. Road edges
 * are 0 .. nroad_edges-1, connectors nroad_edges .. nedges-1. Free with
 * sg__graph_free(). */
typedef struct sg__graph {
    size_t nnodes;
    double *x, *y; /* node coordinates; owned */
    size_t nedges, nroad_edges;
    uint32_t *ea, *eb; /* edge end nodes; owned */
    double *elen;      /* edge length (m); owned */
    int32_t *eroad;    /* road row of the edge (scan order); -1 for a
                          connector; owned */
    sg__seg *seg;      /* geometry of the road edges; owned */
    size_t *off;       /* CSR adjacency: nnodes + 1 offsets; owned */
    uint32_t *adj;     /* neighbour node per half-edge; owned */
    double *adj_w;     /* its edge length; owned */
    int32_t *comp;     /* component of each node (0 = largest); owned */
    sg__comp *comps;   /* ncomp entries, largest length first; owned */
    size_t ncomp;
    sg__cells index; /* over the road edges (seg); owned */
    /* figures */
    long long roads;     /* road rows read (with a usable line) */
    long long crossings; /* distinct points noded by node_crossings */
    long long snapped;   /* dangling ends joined by snap_m */
    long long dangles;   /* degree-1 nodes of the final graph */
    double length_m;     /* total road length */
} sg__graph;

/** Build the graph from the lines of \p lines (owner = road row) with
 * \p opts (NULL: defaults). Reports progress through ctx. \return the
 * graph (caller owns; free with sg__graph_free()) in \p out, or a status
 * with the message in ctx. An empty \p lines gives an empty graph. */
sg_status sg__graph_build(sg_ctx *ctx, const sg__lineset *lines,
                          const sg_network_options *opts, sg__graph **out);

/** Read the lines of layer `roads` (owner = row number in fid order) into
 * \p lines (initialised here; free with sg__lineset_cleanup()). */
sg_status sg__roads_read(sg_ctx *ctx, sg_store *store, sg__lineset *lines);

/** Read the `roads` layer of \p store and build its graph (see
 * sg__graph_build). */
sg_status sg__graph_from_store(sg_ctx *ctx, sg_store *store,
                               const sg_network_options *opts, sg__graph **out);

/** Free \p g and everything it owns. NULL is a no-op. */
void sg__graph_free(sg__graph *g);

/** Fill \p r from the graph's figures (roads, nodes, edges, length,
 * components, largest share, dangles, snapped, crossings, largest
 * components). */
void sg__graph_result(const sg__graph *g, sg_network_result *r);

/** Where a location meets the road network: the nearest road edge, the
 * position along it and the straight distance to it. */
typedef struct sg__snap {
    uint32_t edge; /* road edge (0 .. nroad_edges-1) */
    double t;      /* 0 at ea, 1 at eb */
    double d;      /* perpendicular (or end) distance, metres */
} sg__snap;

/** Snap (\p x, \p y) to the nearest road edge within \p max_d metres
 * (ties: the lowest edge number). \return 1 and *out, or 0 if no road
 * edge is that close (or the graph has none). */
int sg__graph_snap(const sg__graph *g, double x, double y, double max_d,
                   sg__snap *out);

/* ---- multi-source shortest paths -------------------------------------- */

/** A source of the multi-source pass: a point snapped to a road edge,
 * with the label that identifies it (smaller labels win ties). */
typedef struct sg__source {
    sg__snap at;
    int32_t label; /* >= 0 */
} sg__source;

/** The result of one multi-source Dijkstra pass: for every node the
 * network distance to the nearest source and that source's label, plus
 * the sources grouped by edge so that a location on the same edge as a
 * source reaches it directly along the edge. Free with
 * sg__paths_cleanup(). */
typedef struct sg__paths {
    const sg__graph *g; /* borrowed */
    double *dist;       /* per node; INFINITY when unreachable; owned */
    int32_t *label;     /* per node; -1 when unreachable; owned */
    uint32_t *src_off;  /* nroad_edges + 1 offsets into src; owned */
    sg__source *src;    /* sources sorted by edge; owned */
} sg__paths;

/** Run one Dijkstra pass (binary heap, lazy deletion) from all \p n
 * sources at once. Each source enters the graph at both ends of its edge
 * with its snap distance plus the along-edge distance to that end. Keys
 * are (distance, label) compared lexicographically, so every node ends
 * with the smallest distance and, among exactly equal distances, the
 * smallest label. \return SG_OK, SG_ERR_NOMEM or SG_ERR_CANCELLED. */
sg_status sg__paths_run(sg_ctx *ctx, const sg__graph *g, const sg__source *src,
                        size_t n, sg__paths *out);

/** Free the arrays of \p p and zero it. NULL is a no-op. */
void sg__paths_cleanup(sg__paths *p);

/** Tolerance (m) under which two distances count as equal when choosing
 * between candidates: the tie then goes to the smaller label. */
#define SG_NET_TIE_M 1e-6

/** Network distance from a location snapped at \p at to the nearest
 * source: the snap distance, plus the along-edge distance to an end of
 * the edge and that end's distance, or, for a source on the same edge,
 * the direct along-edge distance and the source's snap distance
 * (without passing through the nodes). Ties within SG_NET_TIE_M go to
 * the smaller label. \return 1 with *dist and *label, or 0 if no source
 * is reachable. */
int sg__paths_nearest(const sg__paths *p, const sg__snap *at, double *dist,
                      int32_t *label);

#endif
