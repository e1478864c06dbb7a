/* The number of threads an analysis may use (core/threads_int.h).
 * SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <unistd.h>

#include "core/threads_int.h"

int sg__threads(int cap)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1)
        n = 1;
    if (n > cap)
        n = cap;
    const char *env = getenv("SANIGRID_THREADS");
    if (env && *env) {
        char *end = NULL;
        long e = strtol(env, &end, 10);
        if (end && *end == '\0' && e >= 1 && e < n)
            n = e;
    }
    return n < 1 ? 1 : (int)n;
}
