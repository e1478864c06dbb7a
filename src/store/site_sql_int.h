/* The store queries of the siting analysis (sg_site) beyond the generic
 * scans of store_int.h: checking a layer offered as candidate sites and
 * finding the column that names its rows.
 * Not for: analysis logic (src/analysis/site*.c).
 * SPDX-License-Identifier: MIT */
#ifndef SG_STORE_SITE_SQL_INT_H
#define SG_STORE_SITE_SQL_INT_H

#include <stddef.h>

#include "store/store_int.h"

/** Check that \p layer is a layer of \p store with POINT geometry, usable
 * as candidate sites, and write into \p idcol (\p size bytes) the column
 * that names its rows: the id field for an input layer (point_id,
 * household_id, ...), for other layers the first existing column of
 * candidate_id, point_id, household_id, site_id, id, else "fid".
 * \return SG_OK, SG_ERR_USAGE (no such layer, or not points; message in
 * ctx) or a store error. */
sg_status sg__site_candidate_layer(sg_ctx *ctx, sg_store *store,
                                   const char *layer, char *idcol, size_t size);

/** The accepting of proposals (sg_site_accept) inside the caller's
 * transaction: check, snapshot, insert into points, delete from
 * site_proposals. \p accepted receives the rows moved. See sg_site_accept
 * for the ids and the failures. */
sg_status sg__site_accept_rows(sg_ctx *ctx, sg_store *store,
                               const char *const *ids, size_t nids,
                               long long *accepted);

#endif
