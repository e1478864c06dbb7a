/* Candidate layers and site --accept (site_sql_int.h), the same on both
 * backends: the choice of a candidate layer's id column and the accept
 * flow, over the reads and writes each backend makes in its own SQL
 * (site_sql.c for SQLite, pg_site.c for PostgreSQL). For src/store only.
 * SPDX-License-Identifier: MIT */
#ifndef SG_STORE_SITE_ACCEPT_INT_H
#define SG_STORE_SITE_ACCEPT_INT_H

#include <stddef.h>

#include "store/fidset_int.h"
#include "store/store_int.h"

/* What a backend does for sg__site_idcol and sg__site_accept; each sets
 * the context's message on failure. */
typedef struct sg__site_ops {
    /* 1 if table \p layer has column \p col, 0 if not, -1 on failure */
    int (*has_column)(sg_ctx *ctx, sg_store *store, const char *layer,
                      const char *col);
    /* the fids of every proposal, in rank order */
    sg_status (*all)(sg_ctx *ctx, sg_store *store, sg__fidset *out);
    /* add (once) the fids of the proposals whose candidate_id is \p id */
    sg_status (*by_candidate)(sg_ctx *ctx, sg_store *store, const char *id,
                              sg__fidset *out);
    /* add (once) the fids of the proposals of rank \p rank (\p id as
     * given, a whole number) */
    sg_status (*by_rank)(sg_ctx *ctx, sg_store *store, const char *id,
                         long long rank, sg__fidset *out);
    /* refuse proposals without a candidate_id, or whose candidate_id is a
     * point_id of points already (SG_ERR_INPUT) */
    sg_status (*check_new)(sg_ctx *ctx, sg_store *store,
                           const sg__fidset *fids);
    /* the kind of points the last site run sited into \p kind, left as
     * it is when there is none */
    void (*last_kind)(sg_store *store, char *kind, size_t size);
    /* one point per proposal, in the order of \p fids (with the
     * proposal's kind when \p has_kind and it has one, else \p kind),
     * then the proposals deleted */
    sg_status (*move)(sg_ctx *ctx, sg_store *store, const sg__fidset *fids,
                      int has_kind, const char *kind);
} sg__site_ops;

/** The end of sg__site_candidate_layer: \p found says whether sg_layers
 * has \p layer, \p gtype (may be "") its geometry type; the failures, or
 * the id column into \p idcol (\p size bytes). */
sg_status sg__site_idcol(sg_ctx *ctx, sg_store *store, const char *layer,
                         int found, const char *gtype, const sg__site_ops *ops,
                         char *idcol, size_t size);

/** sg__site_accept_rows with \p ops. */
sg_status sg__site_accept(sg_ctx *ctx, sg_store *store, const char *const *ids,
                          size_t nids, long long *accepted,
                          const sg__site_ops *ops);

#endif
