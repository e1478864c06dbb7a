/* What every fuzz target in tests/fuzz/ shares, without the GDAL and store
 * set-up of fuzz_common.h: the libFuzzer entry points, the clean-up hook
 * replay.c calls, and FUZZ_CHECK for invariants. The small targets
 * (fuzz_pg_where, fuzz_rank_args, fuzz_sld_style) include only this.
 * Not for: the library or the CLI.
 * SPDX-License-Identifier: MIT */
#ifndef SG_FUZZ_CHECK_H
#define SG_FUZZ_CHECK_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* libFuzzer entry points (defined by each target). */
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
/* Called by replay.c after the last input (libFuzzer has no such hook). */
void sg_fuzz_cleanup(void);

/* A broken invariant: crash so that libFuzzer (or replay.c under ASan)
 * reports the input. Never returns. */
#define FUZZ_CHECK(cond)                                                       \
    do {                                                                       \
        if (!(cond)) {                                                         \
            fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__,         \
                    __LINE__, #cond);                                          \
            __builtin_trap();                                                  \
        }                                                                      \
    } while (0)

#endif
