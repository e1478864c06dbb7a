/* Names of the balance measures (sanigrid/balance.h).
 * Not for: balancing (allocate, plan).
 * SPDX-License-Identifier: MIT */
#include <string.h>

#include "core/ctx_int.h"
#include "sanigrid/balance.h"

/* Indexed by sg_balance. */
static const char *const names[] = {"mixed", "residents", "households", "road"};

sg_status sg_balance_from_string(sg_ctx *ctx, const char *name, sg_balance *out)
{
    for (int i = 0; name && i < (int)(sizeof names / sizeof names[0]); i++)
        if (strcmp(name, names[i]) == 0) {
            *out = (sg_balance)i;
            return SG_OK;
        }
    return sg__error(ctx, SG_ERR_USAGE,
                     "unknown balance measure '%s' (residents, households, "
                     "road, mixed)",
                     name ? name : "");
}

const char *sg_balance_to_string(sg_balance b)
{
    return (int)b >= 0 && (int)b < (int)(sizeof names / sizeof names[0])
               ? names[b]
               : NULL;
}
