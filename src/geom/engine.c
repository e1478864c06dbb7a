/* The geometry engine's per-thread handle (GEOS, reentrant API) behind
 * sg_ctx's opaque ctx->geom: creation with error and notice handlers that
 * report into the context, and teardown (declared in geom/engine_int.h).
 * Not for: geometry operations (geom/geos.c).
 * SPDX-License-Identifier: MIT */
#include <stdio.h>

#include "geom/engine_int.h"
#include "geom/geos_int.h"

/* GEOS error handler: keep the text so that the caller can quote it. */
static void error_cb(const char *msg, void *user)
{
    sg_ctx *ctx = user;
    snprintf(ctx->geom_msg, sizeof ctx->geom_msg, "%s", msg ? msg : "");
}

/* GEOS notices become debug log lines. */
static void notice_cb(const char *msg, void *user)
{
    sg__log(user, SG_LOG_DEBUG, "GEOS: %s", msg ? msg : "");
}

sg_status sg__geom_engine_open(sg_ctx *ctx)
{
    GEOSContextHandle_t h = GEOS_init_r();
    if (!h)
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    GEOSContext_setErrorMessageHandler_r(h, error_cb, ctx);
    GEOSContext_setNoticeMessageHandler_r(h, notice_cb, ctx);
    ctx->geom = h;
    return SG_OK;
}

void sg__geom_engine_close(sg_ctx *ctx)
{
    if (!ctx || !ctx->geom)
        return;
    GEOS_finish_r(ctx->geom);
    ctx->geom = NULL;
}
