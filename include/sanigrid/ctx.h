/* The sanigrid context: one per thread, holding the per-thread state of
 * GEOS and PROJ, the last error message, and the log and progress callbacks
 * (STYLE rules 10, 17, 21, 22).
 * Not for: sharing between threads; create one context per thread.
 * SPDX-License-Identifier: MIT */
#ifndef SANIGRID_CTX_H
#define SANIGRID_CTX_H
#include "sanigrid/export.h"

#include "sanigrid/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sg_ctx sg_ctx;

typedef enum sg_log_level {
    SG_LOG_DEBUG = 0,
    SG_LOG_INFO = 1,
    SG_LOG_WARN = 2,
    SG_LOG_ERROR = 3
} sg_log_level;

/** Log callback: \p msg is borrowed for the duration of the call. */
typedef void (*sg_log_fn)(sg_log_level level, const char *msg, void *user);

/** Progress callback with GDAL's contract: \p complete runs from 0 to 1,
 * \p msg may be NULL; return 0 to cancel (the running call then returns
 * SG_ERR_CANCELLED and leaves the store as it was), non-zero to go on. */
typedef int (*sg_progress_fn)(double complete, const char *msg, void *user);

/** Initialise the libraries sanigrid uses (GDAL drivers, SpatiaLite).
 * Call once per process before any other sanigrid call. */
SG_API void sg_library_init(void);

/** Release global library state (GDAL drivers, PROJ caches, SpatiaLite).
 * Call once at the end, after every context and store is freed. */
SG_API void sg_library_shutdown(void);

/** The GNU gettext domain of sanigrid's messages. */
#define SG_TEXTDOMAIN "sanigrid"

/** Look for sanigrid's message catalogues under \p dir
 * (DIR/zh_CN/LC_MESSAGES/sanigrid.mo); NULL or "" keeps the install
 * location. Messages (errors, log lines, progress labels, status texts)
 * follow the process's language: LANGUAGE, LC_ALL, LC_MESSAGES, LANG, as
 * for any gettext program; the library never calls setlocale(). */
SG_API void sg_set_localedir(const char *dir);

/** Parse the whole of \p s as a finite decimal number in the C locale
 * (blanks around it allowed; no hexadecimal, inf or nan, which strtod
 * would take). \return 1 and *\p out on success, 0 otherwise. */
SG_API int sg_parse_number(const char *s, double *out);

/** \return a new context, or NULL when out of memory.
 * Caller owns; free with sg_ctx_free(). */
SG_API sg_ctx *sg_ctx_new(void);

/** Free \p ctx and its GEOS handle and PROJ context. NULL is a no-op. */
SG_API void sg_ctx_free(sg_ctx *ctx);

/** \return the message of the last failure in \p ctx ("" if none).
 * Borrowed; valid until the next call that uses \p ctx. */
SG_API const char *sg_ctx_errmsg(const sg_ctx *ctx);

/** \return the status of the last failure recorded in \p ctx. */
SG_API sg_status sg_ctx_status(const sg_ctx *ctx);

/** Forget the last error. */
SG_API void sg_ctx_clear_error(sg_ctx *ctx);

/** Send log messages at \p min_level and above to \p fn (NULL: drop). */
SG_API void sg_ctx_set_log(sg_ctx *ctx, sg_log_fn fn, void *user,
                           sg_log_level min_level);

/** Report progress of long calls made with \p ctx to \p fn (NULL: none). */
SG_API void sg_ctx_set_progress(sg_ctx *ctx, sg_progress_fn fn, void *user);

#ifdef __cplusplus
}
#endif
#endif
