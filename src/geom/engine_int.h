/* Making and freeing the geometry engine's per-thread handle that sg_ctx
 * carries as an opaque pointer (ctx->geom), so that core never names the
 * engine: sg_ctx_new opens it, sg_ctx_free closes it. Everything else
 * uses the handle through geom/geos_int.h.
 * Not for: geometry operations (geom/geos_int.h).
 * SPDX-License-Identifier: MIT */
#ifndef SG_GEOM_ENGINE_INT_H
#define SG_GEOM_ENGINE_INT_H

#include "sanigrid/ctx.h"

/** Create ctx->geom with error and notice handlers that write into \p ctx
 * (the last error text in ctx->geom_msg, notices as debug log lines).
 * \return SG_OK, or SG_ERR_NOMEM with ctx->geom left NULL. */
sg_status sg__geom_engine_open(sg_ctx *ctx);

/** Free ctx->geom (NULL is a no-op) and set it to NULL. */
void sg__geom_engine_close(sg_ctx *ctx);

#endif
