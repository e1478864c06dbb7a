/* Internal view of sg_ctx and the helpers every module uses to report
 * errors, log and progress. Not for: the CLI (it sees only ctx.h).
 * SPDX-License-Identifier: MIT */
#ifndef SG_CTX_INT_H
#define SG_CTX_INT_H

#include <proj.h>
#include <stdarg.h>

#include "sanigrid/ctx.h"

#define SG_ERRMSG_SIZE 1024

struct sg_ctx {
    void *geom;       /* owned; the geometry engine's per-thread handle, opaque
                       * here: made and freed by src/geom (geom/engine_int.h),
                       * used through geom/geos_int.h */
    PJ_CONTEXT *proj; /* owned; per-thread PROJ context */
    sg_status status; /* last failure */
    char errmsg[SG_ERRMSG_SIZE];
    char geom_msg[SG_ERRMSG_SIZE]; /* last geometry engine error text */
    sg_log_fn log_fn;
    void *log_user;
    sg_log_level log_level;
    sg_progress_fn progress_fn;
    void *progress_user;
    double progress_lo, progress_hi; /* current sub-range of [0,1] */
};

#if defined(__GNUC__)
#define SG_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define SG_PRINTF(a, b)
#endif

/** \return the translation of message id \p msgid in the process's
 * language (gettext, domain SG_TEXTDOMAIN), or \p msgid itself. Borrowed;
 * static. sg__error, sg__error_prefix, sg__log and sg__progress translate
 * their format or message through it, so their call sites need no marks
 * (xgettext keywords: scripts/update-po). */
const char *sg__gettext(const char *msgid);

/** Record \p status and a formatted message in \p ctx; \return \p status,
 * so a failing function can `return sg__error(ctx, SG_ERR_..., ...)`. */
sg_status sg__error(sg_ctx *ctx, sg_status status, const char *fmt, ...)
    SG_PRINTF(3, 4);

/** Prefix the current message with formatted context ("file.shp: ").
 * \return the current status. */
sg_status sg__error_prefix(sg_ctx *ctx, const char *fmt, ...) SG_PRINTF(2, 3);

/** Send a message to the log callback if its level passes. */
void sg__log(sg_ctx *ctx, sg_log_level level, const char *fmt, ...)
    SG_PRINTF(3, 4);

/** Report progress \p frac in [0,1] of the current sub-range.
 * \return SG_OK, or SG_ERR_CANCELLED (recorded in ctx) when the callback
 * asked to stop. */
sg_status sg__progress(sg_ctx *ctx, double frac, const char *msg);

/** Narrow progress to the part [lo, hi] of the current sub-range; returns
 * the previous range in \p saved (two doubles) for sg__progress_pop. */
void sg__progress_push(sg_ctx *ctx, double lo, double hi, double saved[2]);
void sg__progress_pop(sg_ctx *ctx, const double saved[2]);

/** strdup that reports SG_ERR_NOMEM through ctx on failure (ctx may be
 * NULL). Caller owns; free with free(). */
char *sg__strdup(sg_ctx *ctx, const char *s);

/** printf into a new heap string. Caller owns; free with free(). */
char *sg__aprintf(const char *fmt, ...) SG_PRINTF(1, 2);

/** Locale-independent strtod (STYLE rule 33). Sets *end like strtod. */
double sg__strtod(const char *s, char **end);

/** Parse a whole string as a finite number (surrounding blanks allowed).
 * \return 1 and *out on success, 0 otherwise. */
int sg__parse_double(const char *s, double *out);

#endif
