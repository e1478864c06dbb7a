/* The number of threads an analysis may use, and the log buffer that
 * keeps a threaded run's messages in village order (core/threads_int.h).
 * SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>
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

/* One kept message. */
struct sg__logmsg {
    sg_log_level level;
    char *text; /* owned */
};

void sg__logbuf_collect(sg_log_level level, const char *msg, void *user)
{
    sg__logbuf *b = user;
    if (b->n == b->cap) {
        size_t nc = b->cap ? b->cap * 2 : 4;
        struct sg__logmsg *nm = realloc(b->m, nc * sizeof *nm);
        if (!nm)
            return;
        b->m = nm;
        b->cap = nc;
    }
    char *t = strdup(msg ? msg : "");
    if (!t)
        return;
    b->m[b->n].level = level;
    b->m[b->n].text = t;
    b->n++;
}

void sg__logbuf_replay(sg_ctx *ctx, sg__logbuf *b)
{
    for (size_t i = 0; i < b->n; i++) {
        if (ctx->log_fn && b->m[i].level >= ctx->log_level)
            ctx->log_fn(b->m[i].level, b->m[i].text, ctx->log_user);
        free(b->m[i].text);
    }
    b->n = 0;
}

void sg__logbuf_cleanup(sg__logbuf *b)
{
    if (!b)
        return;
    for (size_t i = 0; i < b->n; i++)
        free(b->m[i].text);
    free(b->m);
    memset(b, 0, sizeof *b);
}
