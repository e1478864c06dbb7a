/* The demo: a store built from the bundled data/ (OpenStreetMap, ODbL)
 * with every analysis run on it and its layers exported. Each analysis
 * adds one step to sg_demo().
 * SPDX-License-Identifier: MIT */
#ifndef SANIGRID_DEMO_H
#define SANIGRID_DEMO_H
#include "sanigrid/export.h"

#include <stddef.h>
#include "sanigrid/store.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sg_demo_result {
    char *store_path; /* the demo store; owned */
    char **outputs;   /* files written; owned */
    size_t noutputs;
    long long imported; /* features imported in all */
    long long rejected;
} sg_demo_result;

/** Build OUT_DIR/demo.sqlite from the demo data in \p data_dir (replacing
 * an earlier demo store there) and run every analysis on it: check,
 * network and coverage, staffing, allocate (every village), plan (one
 * village), site (one new collection point in the village with the worst
 * coverage) and rank. Then write into \p out_dir every non-empty layer
 * (GeoJSON with its style as .sld beside it, or CSV for tables), a map
 * per theme (map-THEME.png) and report.html. Progress goes to the
 * context's callback. \param result caller owns; free with
 * sg_demo_result_free(). */
SG_API sg_status sg_demo(sg_ctx *ctx, const char *data_dir, const char *out_dir,
                         sg_demo_result **result);

/** As sg_demo, but the demo store is \p store (a SpatiaLite file or a
 * PostgreSQL conninfo, as sg_store_create takes; it must not exist yet,
 * and is not replaced) rather than OUT_DIR/demo.sqlite; \p store NULL is
 * sg_demo. The products written into \p out_dir are the same. */
SG_API sg_status sg_demo_store(sg_ctx *ctx, const char *data_dir,
                               const char *out_dir, const char *store,
                               sg_demo_result **result);

/** Free \p r. NULL is a no-op. */
SG_API void sg_demo_result_free(sg_demo_result *r);

#ifdef __cplusplus
}
#endif
#endif
