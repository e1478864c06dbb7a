/* How many threads an analysis that splits its work (allocate's and
 * plan's villages) may use: the online CPUs, at most a cap the caller
 * gives; the environment variable SANIGRID_THREADS (internal, for the
 * tests that compare a threaded run with a serial one) lowers it.
 * And a log buffer: messages logged while one village is computed (on
 * whichever thread), replayed by the caller's thread in village order,
 * so the log of a threaded run is the serial run's.
 * Not for: anything the user is meant to tune (not documented in --help).
 * SPDX-License-Identifier: MIT */
#ifndef SG_THREADS_INT_H
#define SG_THREADS_INT_H

#include <stddef.h>

#include "core/ctx_int.h"

/** Threads to use: min(\p cap, online CPUs, SANIGRID_THREADS when set to
 * a whole number >= 1), at least 1. */
int sg__threads(int cap);

/** Log messages kept for later. Initialise with {0}. */
typedef struct sg__logbuf {
    struct sg__logmsg *m; /* owned */
    size_t n, cap;
} sg__logbuf;

/** An sg_log_fn that appends to the sg__logbuf \p user (a message that
 * does not fit in memory is dropped). */
void sg__logbuf_collect(sg_log_level level, const char *msg, void *user);

/** Send the kept messages to \p ctx's log callback, in order, and empty
 * \p b. */
void sg__logbuf_replay(sg_ctx *ctx, sg__logbuf *b);

/** Free the messages. NULL is a no-op. */
void sg__logbuf_cleanup(sg__logbuf *b);

#endif
