/* Showing a layer (sg_store_show), the same on both backends: one flow
 * over the reads each backend makes in its own SQL (show.c for SQLite,
 * pg_show.c for PostgreSQL). For src/store only.
 * SPDX-License-Identifier: MIT */
#ifndef SG_STORE_SHOW_INT_H
#define SG_STORE_SHOW_INT_H

#include "store/store_int.h"

/* What a backend reads into a result for sg__show; each sets the
 * context's message on failure. */
typedef struct sg__show_ops {
    /* fail with SG_ERR_USAGE when the store has no layer \p layer */
    sg_status (*check_layer)(sg_ctx *ctx, sg_store *store, const char *layer);
    /* r->cols: the layer's columns, the geometry last */
    sg_status (*columns)(sg_ctx *ctx, sg_store *store, sg_show_result *r);
    /* r->matched and each column's fill over the rows \p where keeps */
    sg_status (*fill)(sg_ctx *ctx, sg_store *store, sg_show_result *r,
                      const char *where);
    /* the first \p limit rows \p where keeps into r->cells */
    sg_status (*rows)(sg_ctx *ctx, sg_store *store, sg_show_result *r,
                      const char *where, long long limit);
    /* the mapping of the layer's last import, from runs */
    sg_status (*import)(sg_ctx *ctx, sg_store *store, sg_show_result *r);
} sg__show_ops;

/** sg_store_show (sanigrid/store.h) with \p ops. */
sg_status sg__show(sg_ctx *ctx, sg_store *store, const char *layer,
                   const char *where, long long limit, sg_show_result **out,
                   const sg__show_ops *ops);

#endif
