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

/** 1 when a filter may call function \p name (case-insensitive): the
 * plain scalar and aggregate functions and the spatial measures and
 * predicates, on both backends (pg_where.c checks PostgreSQL's). */
int sg__filter_function_allowed(const char *name);

/** PostgreSQL: 1 when \p where calls a function a filter may not (or one
 * qualified by another schema than pg_catalog or public), described in
 * \p refused ("function pg_sleep()"); 0 when every call is allowed. A
 * scan of the text as PostgreSQL's lexer sees it (pg_where.c). */
int sg__pg_where_refused(const char *where, char *refused, size_t size);

/** Fail with SG_ERR_USAGE when \p store has no layer \p layer, naming
 * the layers it has. \return SG_OK when it has. */
sg_status sg__filter_check_layer(sg_ctx *ctx, sg_store *store,
                                 const char *layer);

#endif
