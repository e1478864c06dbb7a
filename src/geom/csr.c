/* The one CSR adjacency builder (declared in geom/csr_int.h): counts the
 * half-edges per vertex, takes prefix sums and fills in edge order.
 * Not for: anything that knows what the edges mean.
 * SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "geom/csr_int.h"

sg_status sg__csr_build(sg_ctx *ctx, size_t nv, size_t ne, sg__csr_end_fn end,
                        const void *user, size_t **off, uint32_t **half)
{
    size_t *o = calloc(nv + 1, sizeof *o);
    uint32_t *h = malloc((2 * ne + 1) * sizeof *h);
    *off = NULL;
    *half = NULL;
    if (!o || !h) {
        free(o);
        free(h);
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    }
    for (size_t e = 0; e < ne; e++) {
        o[end(e, 0, user) + 1]++;
        o[end(e, 1, user) + 1]++;
    }
    for (size_t v = 0; v < nv; v++)
        o[v + 1] += o[v];
    for (size_t e = 0; e < ne; e++) {
        h[o[end(e, 0, user)]++] = (uint32_t)(2 * e);
        h[o[end(e, 1, user)]++] = (uint32_t)(2 * e + 1);
    }
    /* the fill advanced each offset to the next vertex's start */
    memmove(o + 1, o, nv * sizeof *o);
    o[0] = 0;
    *off = o;
    *half = h;
    return SG_OK;
}
