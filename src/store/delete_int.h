/* Deleting rows of a layer (sg_store_delete_rows), the same on both
 * backends: the one flow (the ids and/or the filter
 * give the rows; a snapshot; the delete; the run record) over four
 * operations each backend gives in its own SQL (filter.c for SQLite,
 * pg_show.c for PostgreSQL). For src/store only.
 * Not for: showing rows (show.c, pg_show.c).
 * SPDX-License-Identifier: MIT */
#ifndef SG_STORE_DELETE_INT_H
#define SG_STORE_DELETE_INT_H

#include <stddef.h>

#include "store/fidset_int.h"
#include "store/store_int.h"

/* What a backend does for sg__delete_rows; each sets the context's
 * message on failure. */
typedef struct sg__delete_ops {
    /* fail with SG_ERR_USAGE when the store has no layer \p layer */
    sg_status (*check_layer)(sg_ctx *ctx, sg_store *store, const char *layer);
    /* add the fids of the rows whose \p idcol is \p id to \p out */
    sg_status (*by_id)(sg_ctx *ctx, sg_store *store, const char *layer,
                       const char *idcol, const char *id, sg__fidset *out);
    /* add the fids of the rows filter \p where keeps to \p out */
    sg_status (*by_where)(sg_ctx *ctx, sg_store *store, const char *layer,
                          const char *where, sg__fidset *out);
    /* delete the rows \p doomed (not empty) of \p layer */
    sg_status (*remove)(sg_ctx *ctx, sg_store *store, const char *layer,
                        const sg__fidset *doomed);
} sg__delete_ops;

/** sg_store_delete_rows (sanigrid/snapshot.h) with \p ops: in one
 * transaction, the rows named by \p ids (by the layer's id field, else
 * fid) and kept by \p where (both when both are given), a snapshot, the
 * delete and its run record; nothing when no row matches. An id naming
 * no row fails with SG_ERR_NOT_FOUND. */
sg_status sg__delete_rows(sg_ctx *ctx, sg_store *store, const char *layer,
                          const char *const *ids, size_t nids,
                          const char *where, long long *deleted,
                          const sg__delete_ops *ops);

#endif
