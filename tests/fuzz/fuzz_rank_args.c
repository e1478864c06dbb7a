/* Fuzz target: the argument parsers of `sanigrid rank`: --weights
 * (sg_rank_options_set_weights), --tiers (sg_rank_options_set_tiers) and
 * --period (sg_rank_options_set_period, sg_period_parse). Each input line
 * is one argument; its first character picks the parser: 'W' weights,
 * 'T' tiers, 'P' period, anything else all three. Invariant: only SG_OK
 * or SG_ERR_USAGE (plus ASan/UBSan on the parsers).
 * Not for: ranking itself (needs a store).
 * SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sanigrid/rank.h"
#include "sanigrid/sanigrid.h"
#include "fuzz_check.h"

static sg_ctx *ctx;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    sg_library_init();
    ctx = sg_ctx_new();
    if (!ctx)
        exit(1);
    return 0;
}

void sg_fuzz_cleanup(void)
{
    sg_ctx_free(ctx);
    ctx = NULL;
    sg_library_shutdown();
}

static int allowed(sg_status st)
{
    return st == SG_OK || st == SG_ERR_USAGE;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    FUZZ_CHECK(s != NULL);
    memcpy(s, data, size);
    s[size] = '\0';
    sg_rank_options *o = sg_rank_options_new();
    FUZZ_CHECK(o != NULL);
    char *line = s;
    for (int n = 0; line && n < 16; n++) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        char kind = *line;
        const char *arg = *line ? line + 1 : line;
        if (kind == 'W' || (kind != 'T' && kind != 'P'))
            FUZZ_CHECK(allowed(sg_rank_options_set_weights(ctx, o, arg)));
        if (kind == 'T' || (kind != 'W' && kind != 'P'))
            FUZZ_CHECK(allowed(sg_rank_options_set_tiers(ctx, o, arg)));
        if (kind == 'P' || (kind != 'W' && kind != 'T')) {
            FUZZ_CHECK(allowed(sg_rank_options_set_period(ctx, o, arg)));
            sg_period p;
            (void)sg_period_parse(arg, &p);
        }
        line = nl ? nl + 1 : NULL;
    }
    sg_rank_options_free(o);
    free(s);
    sg_ctx_clear_error(ctx);
    return 0;
}
