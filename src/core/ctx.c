/* The per-thread context: geometry engine and PROJ handles, error buffer, log
 * and progress callbacks, plus the global init/shutdown of the libraries. Not
 * for: anything that touches the store or files. SPDX-License-Identifier: MIT
 */
#include <gdal.h>
#include <cpl_conv.h>
#include <cpl_string.h>
#include <ogr_srs_api.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ctx_int.h"
#include "geom/engine_int.h"
#include "sanigrid/version.h"
#include "store/store_lib_int.h"

/* PROJ log lines go to our log callback. */
static void proj_log_cb(void *user, int level, const char *msg)
{
    sg__log(user, level <= PJ_LOG_ERROR ? SG_LOG_WARN : SG_LOG_DEBUG,
            "PROJ: %s", msg ? msg : "");
}

const char *sg_version(void)
{
    return SG_VERSION_STRING;
}

void sg_library_init(void)
{
    /* Tests and CI must never reach the network for PROJ grids. */
    if (!getenv("PROJ_NETWORK"))
        CPLSetConfigOption("PROJ_NETWORK", "OFF");
    GDALAllRegister();
    sg__store_library_init();
}

void sg_library_shutdown(void)
{
    GDALDestroyDriverManager();
    OSRCleanup();
    proj_cleanup();
    sg__store_library_shutdown();
}

sg_ctx *sg_ctx_new(void)
{
    sg_ctx *ctx = calloc(1, sizeof *ctx);
    if (!ctx)
        return NULL;
    ctx->proj = proj_context_create();
    if (sg__geom_engine_open(ctx) != SG_OK || !ctx->proj) {
        sg_ctx_free(ctx);
        return NULL;
    }
    proj_log_func(ctx->proj, ctx, proj_log_cb);
    proj_context_set_enable_network(ctx->proj, 0);
    ctx->log_level = SG_LOG_WARN;
    ctx->progress_lo = 0.0;
    ctx->progress_hi = 1.0;
    return ctx;
}

void sg_ctx_free(sg_ctx *ctx)
{
    if (!ctx)
        return;
    sg__geom_engine_close(ctx);
    if (ctx->proj)
        proj_context_destroy(ctx->proj);
    free(ctx);
}

const char *sg_ctx_errmsg(const sg_ctx *ctx)
{
    return ctx ? ctx->errmsg : "";
}

sg_status sg_ctx_status(const sg_ctx *ctx)
{
    return ctx ? ctx->status : SG_OK;
}

void sg_ctx_clear_error(sg_ctx *ctx)
{
    if (!ctx)
        return;
    ctx->status = SG_OK;
    ctx->errmsg[0] = '\0';
}

void sg_ctx_set_log(sg_ctx *ctx, sg_log_fn fn, void *user,
                    sg_log_level min_level)
{
    ctx->log_fn = fn;
    ctx->log_user = user;
    ctx->log_level = min_level;
}

void sg_ctx_set_progress(sg_ctx *ctx, sg_progress_fn fn, void *user)
{
    ctx->progress_fn = fn;
    ctx->progress_user = user;
    ctx->progress_lo = 0.0;
    ctx->progress_hi = 1.0;
}

sg_status sg__error(sg_ctx *ctx, sg_status status, const char *fmt, ...)
{
    if (!ctx)
        return status;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ctx->errmsg, sizeof ctx->errmsg, sg__gettext(fmt), ap);
    va_end(ap);
    ctx->status = status;
    return status;
}

sg_status sg__error_prefix(sg_ctx *ctx, const char *fmt, ...)
{
    char prefix[SG_ERRMSG_SIZE], old[SG_ERRMSG_SIZE];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(prefix, sizeof prefix, sg__gettext(fmt), ap);
    va_end(ap);
    memcpy(old, ctx->errmsg, sizeof old);
    size_t n = strlen(prefix);
    if (n >= sizeof ctx->errmsg)
        n = sizeof ctx->errmsg - 1;
    memcpy(ctx->errmsg, prefix, n);
    size_t rest = strnlen(old, sizeof old);
    if (rest > sizeof ctx->errmsg - 1 - n)
        rest = sizeof ctx->errmsg - 1 - n;
    memcpy(ctx->errmsg + n, old, rest);
    ctx->errmsg[n + rest] = '\0';
    return ctx->status;
}

void sg__log(sg_ctx *ctx, sg_log_level level, const char *fmt, ...)
{
    if (!ctx || !ctx->log_fn || level < ctx->log_level)
        return;
    char buf[SG_ERRMSG_SIZE];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, sg__gettext(fmt), ap);
    va_end(ap);
    ctx->log_fn(level, buf, ctx->log_user);
}

sg_status sg__progress(sg_ctx *ctx, double frac, const char *msg)
{
    if (!ctx || !ctx->progress_fn)
        return SG_OK;
    if (frac < 0)
        frac = 0;
    if (frac > 1)
        frac = 1;
    double v = ctx->progress_lo + frac * (ctx->progress_hi - ctx->progress_lo);
    if (!ctx->progress_fn(v, sg__gettext(msg), ctx->progress_user))
        return sg__error(ctx, SG_ERR_CANCELLED, "cancelled");
    return SG_OK;
}

void sg__progress_push(sg_ctx *ctx, double lo, double hi, double saved[2])
{
    saved[0] = ctx->progress_lo;
    saved[1] = ctx->progress_hi;
    double w = ctx->progress_hi - ctx->progress_lo;
    ctx->progress_lo = saved[0] + lo * w;
    ctx->progress_hi = saved[0] + hi * w;
}

void sg__progress_pop(sg_ctx *ctx, const double saved[2])
{
    ctx->progress_lo = saved[0];
    ctx->progress_hi = saved[1];
}

char *sg__strdup(sg_ctx *ctx, const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (!d) {
        sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        return NULL;
    }
    memcpy(d, s, n);
    return d;
}

char *sg__aprintf(const char *fmt, ...)
{
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *s = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (s)
        vsnprintf(s, (size_t)n + 1, fmt, ap2);
    va_end(ap2);
    return s;
}

double sg__strtod(const char *s, char **end)
{
    /* CPLStrtod parses with '.' whatever the locale. */
    return CPLStrtod(s, end);
}

/* Length of the decimal number at the start of \p s:
 * [+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)?; 0 if none.
 * strtod also reads hexadecimal ("0x10" = 16), "inf", "nan" and
 * "1e5000"; a user means none of them. */
static size_t decimal_len(const char *s)
{
    size_t i = 0, digits = 0;
    if (s[i] == '+' || s[i] == '-')
        i++;
    while (s[i] >= '0' && s[i] <= '9')
        i++, digits++;
    if (s[i] == '.') {
        i++;
        while (s[i] >= '0' && s[i] <= '9')
            i++, digits++;
    }
    if (!digits)
        return 0;
    if (s[i] == 'e' || s[i] == 'E') {
        size_t j = i + 1, ed = 0;
        if (s[j] == '+' || s[j] == '-')
            j++;
        while (s[j] >= '0' && s[j] <= '9')
            j++, ed++;
        if (ed)
            i = j;
    }
    return i;
}

int sg__parse_double(const char *s, double *out)
{
    if (!s)
        return 0;
    while (*s == ' ' || *s == '\t')
        s++;
    if (!*s)
        return 0;
    char *end = NULL;
    size_t n = decimal_len(s);
    if (n == 0)
        return 0;
    double v = sg__strtod(s, &end);
    if (end != s + n)
        return 0;
    while (*end == ' ' || *end == '\t' || *end == '\r' || *end == '\n')
        end++;
    if (*end || v != v || v > 1e308 || v < -1e308)
        return 0;
    *out = v;
    return 1;
}

int sg_parse_number(const char *s, double *out)
{
    return sg__parse_double(s, out);
}
