/* What the two files of a unit's block build share (plan_blocks.c: the
 * arrangement, faces, midlines, noding; plan_adjacency.c: the blocks'
 * neighbour graph): the builder of one build and the tables of edges,
 * segments and neighbour pairs. Private to those two files.
 * Not for: the rest of plan (plan_int.h has the blocks' interface).
 * SPDX-License-Identifier: MIT */
#ifndef SG_PLAN_BLOCKS_INT_H
#define SG_PLAN_BLOCKS_INT_H

#include <stddef.h>
#include <stdint.h>

#include "analysis/plan/plan_int.h"
#include "geom/cells_int.h"
#include "geom/geos_int.h"

/* A growable list of edges (LineStrings) with their kinds. */
typedef struct edge_list {
    GEOSGeometry **g;    /* owned */
    unsigned char *kind; /* SG__EDGE_* */
    size_t n, cap;
} edge_list;

/* Everything one build holds. */
typedef struct builder {
    sg_ctx *ctx;
    GEOSContextHandle_t h;
    const sg__plan_job *job;
    const GEOSGeometry *unit;          /* borrowed */
    const GEOSPreparedGeometry *uprep; /* owned */
    GEOSGeometry *boundary;            /* owned */
    sg__cells hidx;                    /* households */
    sg__cells bidx;                    /* segments of the boundary */
    double *bseg;                      /* x0, y0, x1, y1 per segment */
    size_t nbseg;
    sg__geomset roads; /* first-pass road edges (owned) */
} builder;

/* A segment of the arrangement: its exact end points (in a canonical
 * order) as the key, its kind, and the (at most two) faces using it. */
typedef struct seg_entry {
    double k[4];
    int32_t f[2];
    unsigned char kind;
    unsigned char used;
} seg_entry;

typedef struct seg_table {
    seg_entry *e; /* cap entries; owned */
    size_t cap, n;
} seg_table;

/* A neighbour pair with the cost of cutting between them and the
 * length of their shared boundary. */
typedef struct pair {
    uint32_t a, b; /* a < b */
    double w, len;
} pair;

/* A growable list of pairs. */
typedef struct pair_list {
    pair *v;
    size_t n, cap;
} pair_list;

/* Add every segment of the line or ring \p g to \p t: with \p face < 0
 * as segments of kind \p kind; otherwise recording \p face as a user. */
sg_status sg__plan_seg_add_line(builder *b, seg_table *t, const GEOSGeometry *g,
                                int kind, int32_t face);

/* The neighbour pairs of the blocks \p faces (n) made from the edges
 * \p e: every segment used by two faces adds its length (times the
 * road cost along roads) to the pair. */
sg_status sg__plan_face_pairs(builder *b, const edge_list *e,
                              GEOSGeometry **faces, size_t n, pair_list *out);

/* Join the components of the pairs \p pl (over out->n blocks) by weak
 * links (cost 0) from each component other than the main one to its
 * nearest block elsewhere, until the graph is connected; label the
 * components (before the links) in out->comp. */
sg_status sg__plan_connect_components(builder *b, sg__plan_blocks *out,
                                      pair_list *pl);

/* The symmetric CSR adjacency of \p pl into out->xadj/adj/adjw. */
sg_status sg__plan_build_csr(builder *b, sg__plan_blocks *out,
                             const pair_list *pl);

#endif
