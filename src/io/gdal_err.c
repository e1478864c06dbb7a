/* Capturing GDAL/OGR errors into the context instead of stderr.
 * SPDX-License-Identifier: MIT */
#include <cpl_error.h>
#include <stdio.h>

#include "io/io_int.h"

/* GDAL error handler: failures are kept, warnings and debug go to the
 * log. Never prints. */
static void CPL_STDCALL gdal_err_cb(CPLErr cls, CPLErrorNum num,
                                    const char *msg)
{
    sg__gdal_errs *e = CPLGetErrorHandlerUserData();
    (void)num;
    if (!e)
        return;
    if (cls == CE_Failure || cls == CE_Fatal) {
        snprintf(e->last, sizeof e->last, "%s", msg ? msg : "");
        e->failures++;
    } else if (cls == CE_Warning) {
        sg__log(e->ctx, SG_LOG_DEBUG, "GDAL: %s", msg ? msg : "");
    } else if (cls == CE_Debug) {
        sg__log(e->ctx, SG_LOG_DEBUG, "GDAL: %s", msg ? msg : "");
    }
}

void sg__gdal_push(sg__gdal_errs *e, sg_ctx *ctx)
{
    e->ctx = ctx;
    e->last[0] = '\0';
    e->failures = 0;
    CPLPushErrorHandlerEx(gdal_err_cb, e);
    CPLErrorReset();
}

void sg__gdal_pop(sg__gdal_errs *e)
{
    (void)e;
    CPLPopErrorHandler();
}
