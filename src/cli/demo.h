/* The demo of `sanigrid demo` (demo.c): a store built from the bundled
 * data/ (OpenStreetMap, ODbL) with every analysis run on it and its
 * layers exported. Part of the tool, not the library: it only drives
 * public include/sanigrid/ calls.
 * SPDX-License-Identifier: MIT */
#ifndef SG_CLI_DEMO_H
#define SG_CLI_DEMO_H

#include <stddef.h>

#include "sanigrid/sanigrid.h"

typedef struct cli_demo_result {
    char *store_path; /* the demo store; owned */
    char **outputs;   /* files written; owned */
    size_t noutputs;
    long long imported; /* features imported in all */
    long long rejected;
} cli_demo_result;

/** Build the demo store from the demo data in \p data_dir and run every
 * analysis on it: check, network and coverage, staffing, allocate (every
 * village), plan (one village), site (one new collection point in the
 * village with the worst coverage), rank and route. Then write into
 * \p out_dir every non-empty layer (GeoJSON with its style as .sld and
 * .qml beside it, or CSV for tables), a map per theme (map-THEME.png),
 * report.html and sheets.pdf. The store is \p store (a SpatiaLite file or
 * a PostgreSQL conninfo, as sg_store_create takes; it must not exist yet
 * and is not replaced), or OUT_DIR/demo.sqlite when \p store is NULL
 * (an earlier demo store there is replaced). Progress goes to the CLI's
 * bar (cli_progress_push), each step in its share.
 * \return SG_OK and *\p result (caller owns; free with
 * cli_demo_result_free()), or a failure with its message, in the CLI's
 * language and naming the step ("demo import of grids: ..."), written
 * into \p err (\p errsize bytes). */
sg_status cli_demo(sg_ctx *ctx, const char *data_dir, const char *out_dir,
                   const char *store, cli_demo_result **result, char *err,
                   size_t errsize);

/** Free \p r. NULL is a no-op. */
void cli_demo_result_free(cli_demo_result *r);

#endif
