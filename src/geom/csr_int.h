/* The one builder of compressed sparse row (CSR) adjacency for undirected
 * graphs: the road graph (net/graph.c), allocate's piece graphs and its
 * junction incidence (analysis/allocate/allocate_part.c) and plan's block
 * graph (analysis/plan/plan_blocks.c) all lay out their half-edges with
 * it and only fill their own neighbour and weight arrays.
 * Not for: building the edge list (each graph has its own), METIS's idx_t
 * arrays (copied from these by the caller).
 * SPDX-License-Identifier: MIT */
#ifndef SG_GEOM_CSR_INT_H
#define SG_GEOM_CSR_INT_H

#include <stddef.h>
#include <stdint.h>

#include "core/ctx_int.h"

/** End \p side (0 or 1) of edge \p e: a vertex number below the vertex
 * count given to sg__csr_build. */
typedef uint32_t (*sg__csr_end_fn)(size_t e, int side, const void *user);

/** Lay out the half-edges of the \p ne undirected edges 0 .. ne-1 over
 * \p nv vertices: \p *off gets nv + 1 offsets and \p *half 2 ne entries
 * (at least one) such that half[off[v]] .. half[off[v + 1] - 1] are the
 * half-edges at vertex v, each 2 e + side, ascending in e (a loop, both
 * ends at v, gives 2 e then 2 e + 1). The neighbour across half-edge h is
 * end(h / 2, 1 - h % 2); its edge's data is at h / 2.
 * \return SG_OK, or SG_ERR_NOMEM with *off and *half NULL. Caller owns
 * both; free(). */
sg_status sg__csr_build(sg_ctx *ctx, size_t nv, size_t ne, sg__csr_end_fn end,
                        const void *user, size_t **off, uint32_t **half);

#endif
