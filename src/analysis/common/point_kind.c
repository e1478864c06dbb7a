/* Names of the point kinds (sanigrid/point.h), the values of
 * points.kind.
 * Not for: reading points (src/store).
 * SPDX-License-Identifier: MIT */
#include <string.h>

#include "core/ctx_int.h"
#include "sanigrid/point.h"

/* Indexed by sg_point_kind; the CHECK list of points.kind. */
static const char *const names[] = {
    "collection_point", "bin", "transfer_station", "public_toilet", "other"};

sg_status sg_point_kind_from_string(sg_ctx *ctx, const char *name,
                                    sg_point_kind *out)
{
    for (int i = 0; name && i < (int)(sizeof names / sizeof names[0]); i++)
        if (strcmp(name, names[i]) == 0) {
            *out = (sg_point_kind)i;
            return SG_OK;
        }
    return sg__error(ctx, SG_ERR_USAGE,
                     "unknown point kind '%s' (collection_point, bin, "
                     "transfer_station, public_toilet, other)",
                     name ? name : "");
}

const char *sg_point_kind_to_string(sg_point_kind kind)
{
    return (int)kind >= 0 && (int)kind < (int)(sizeof names / sizeof names[0])
               ? names[kind]
               : NULL;
}
