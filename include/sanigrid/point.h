/* The kinds of point facility (points.kind, data/sql/0001_init.sql's
 * CHECK list), with their names, shared by the analyses
 * that take a point kind.
 * Not for: the points themselves (io.h imports them, coverage.h and
 * site.h use them).
 * SPDX-License-Identifier: MIT */
#ifndef SANIGRID_POINT_H
#define SANIGRID_POINT_H
#include "sanigrid/export.h"

#include "sanigrid/ctx.h"
#include "sanigrid/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A kind of point facility: the values layer points.kind may hold (a
 * closed list, checked by the store). */
typedef enum sg_point_kind {
    SG_POINT_COLLECTION_POINT = 0, /**< 收集点 */
    SG_POINT_BIN = 1,              /**< 垃圾桶 */
    SG_POINT_TRANSFER_STATION = 2, /**< 转运站 */
    SG_POINT_PUBLIC_TOILET = 3,    /**< 公厕 */
    SG_POINT_OTHER = 4             /**< 其他 */
} sg_point_kind;

/** The kind named \p name ("collection_point", "bin", "transfer_station",
 * "public_toilet", "other") into *\p out. Fails with SG_ERR_USAGE (naming
 * the value) for anything else, *\p out unchanged. */
SG_API sg_status sg_point_kind_from_string(sg_ctx *ctx, const char *name,
                                           sg_point_kind *out);

/** \return the name of \p kind (as stored in points.kind), or NULL when
 * out of range. Static. */
SG_API const char *sg_point_kind_to_string(sg_point_kind kind);

#ifdef __cplusplus
}
#endif
#endif
