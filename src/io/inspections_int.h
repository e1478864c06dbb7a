/* Inspection import extras: the unit of an inspection row given as a
 * division or grid code or as its name (村/网格编码 or 名称 on a score
 * sheet), matched to the code stored; unknown units are rejected.
 * Not for: scoring inspections (src/store/rank_sql.c sums item-level
 * deductions per inspection when ranking), the ranking itself.
 * SPDX-License-Identifier: MIT */
#ifndef SG_IO_INSPECTIONS_INT_H
#define SG_IO_INSPECTIONS_INT_H

#include <stddef.h>

#include "core/ctx_int.h"
#include "store/store_int.h"

typedef struct sg__unit_resolver sg__unit_resolver;

/** Read the codes and names of every division and grid of \p store for
 * sg__unit_resolver_find(). A store with neither cannot check units: the
 * resolver then keeps every value as given and logs one warning.
 * \param out caller owns; free with sg__unit_resolver_free(). */
sg_status sg__unit_resolver_new(sg_ctx *ctx, sg_store *store,
                                sg__unit_resolver **out);

/** The stored unit code for \p text (trimmed by the caller): \p text
 * itself when it is a division or grid code; else the code of the one
 * division or grid named \p text (ASCII letters compared without case).
 * \return the code (borrowed; valid until the resolver is freed, or
 * \p text itself), or NULL with the reason in \p why (unknown unit, or a
 * name several units share). */
const char *sg__unit_resolver_find(const sg__unit_resolver *r, const char *text,
                                   char *why, size_t size);

/** Free \p r. NULL is a no-op. */
void sg__unit_resolver_free(sg__unit_resolver *r);

#endif
