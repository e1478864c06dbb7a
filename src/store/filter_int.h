/* A user's row filter (--where) over one layer, made safe: the expression
 * is compiled into a SELECT that may read only that layer and call only
 * plain functions (an authorizer allows nothing else, so SpatiaLite's
 * functions that write files or tables are refused), must be one
 * statement and read-only (sqlite3_stmt_readonly). For src/store only.
 * Not for: building SQL from values (those are always bound).
 * SPDX-License-Identifier: MIT */
#ifndef SG_FILTER_INT_H
#define SG_FILTER_INT_H

#include "store/store_sqlite_int.h"

/** Prepare "\p head WHERE (\p where) \p tail" (\p where NULL: no WHERE)
 * for reading layer \p layer; \p head and \p tail are the caller's SQL
 * (identifiers already quoted). A filter that does anything but read
 * \p layer with allowed functions, or is not one expression, fails with
 * SG_ERR_USAGE naming what was refused. Caller owns *\p out;
 * sqlite3_finalize(). */
sg_status sg__filter_prepare(sg_ctx *ctx, sg_store *store, const char *layer,
                             const char *head, const char *where,
                             const char *tail, sqlite3_stmt **out);

/** Fail with SG_ERR_USAGE when \p store has no layer \p layer, naming
 * the layers it has. \return SG_OK when it has. */
sg_status sg__filter_check_layer(sg_ctx *ctx, sg_store *store,
                                 const char *layer);

#endif
