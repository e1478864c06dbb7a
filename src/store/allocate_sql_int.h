/* Store statements that only the cleaner allocation needs: replacing one
 * village's rows of a result layer (sanigrid allocate --division), and
 * adding a column such a layer lacks.
 * Not for: creating result layers (store_int.h, bulk_int.h).
 * SPDX-License-Identifier: MIT */
#ifndef SG_ALLOCATE_SQL_INT_H
#define SG_ALLOCATE_SQL_INT_H

#include "store/store_int.h"

/** Delete the rows of result layer \p layer whose column \p col equals
 * \p value (inside the caller's transaction). Fails with SG_ERR_USAGE for
 * an input layer, so it can never touch imported data. */
sg_status sg__store_delete_result_rows(sg_ctx *ctx, sg_store *store,
                                       const char *layer, const char *col,
                                       const char *value);

/** Add column \p col of SQL type \p type to result layer \p layer
 * unless it has it (a layer written by an older sanigrid). */
sg_status sg__store_ensure_result_column(sg_ctx *ctx, sg_store *store,
                                         const char *layer, const char *col,
                                         const char *type);

#endif
