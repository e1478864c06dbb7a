/* How many threads an analysis that splits its work (allocate's and
 * plan's villages) may use: the online CPUs, at most a cap the caller
 * gives; the environment variable SANIGRID_THREADS (internal, for the
 * tests that compare a threaded run with a serial one) lowers it.
 * Not for: anything the user is meant to tune (not documented in --help).
 * SPDX-License-Identifier: MIT */
#ifndef SG_THREADS_INT_H
#define SG_THREADS_INT_H

/** Threads to use: min(\p cap, online CPUs, SANIGRID_THREADS when set to
 * a whole number >= 1), at least 1. */
int sg__threads(int cap);

#endif
