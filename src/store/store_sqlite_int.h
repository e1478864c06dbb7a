/* The SQLite/SpatiaLite backend of the store, for src/store only: the
 * mapping between SQLite statements and the backend-neutral handles of
 * store_int.h (an sg__row or sg__insert holds an sqlite3_stmt; struct
 * sg_store and the handles are in store_backend_int.h). The PostGIS
 * backend has its own such header, store_pg_int.h.
 * Not for: any module outside src/store (they use store_int.h).
 * SPDX-License-Identifier: MIT */
#ifndef SG_STORE_SQLITE_INT_H
#define SG_STORE_SQLITE_INT_H

#include <sqlite3.h>

#include "store/store_backend_int.h"

/** The statement behind a row or insert handle. */
#define SG_STMT(h) ((h)->stmt)
/** A row handle on statement \p st (for a scan's callback). */
#define SG_ROW_OF(st) ((sg__row){SG_BACKEND_SQLITE, (st), NULL})

/** Wrap prepared statement \p st into a new insert handle in *out (which
 * owns it from then on); finalizes \p st when out of memory. */
sg_status sg__insert_wrap(sg_ctx *ctx, sqlite3_stmt *st, sg__insert **out);

/** Drop result layer \p name if it exists, whatever it is made of (a
 * table with or without geometry and spatial index, or a keyed layer's
 * view and tables), and its row in sg_layers; refuses an input layer. */
sg_status sg__store_drop_result(sg_ctx *ctx, sg_store *store, const char *name);

/** sg__store_create_result on SQLite, the spatial index only
 * \p with_index. */
sg_status sg__sqlite_create_result(sg_ctx *ctx, sg_store *store,
                                   const char *name, const char *geom_type,
                                   const sg__column *cols, size_t ncols,
                                   const char *title_zh, const char *title_en,
                                   int with_index);

/** The SQLite handle of \p store. Borrowed. */
sqlite3 *sg__store_db(sg_store *store);

#endif
