/* The store's SQL for the report's score history (src/render/
 * report_history.c): the units of layer rankings and every inspection
 * that counts for each of them (the unit's own and those of the
 * divisions and grids inside it, as sanigrid rank counts them), so that
 * the report can draw each unit's mean inspection score per period.
 * Not for: binning into periods or drawing (render), the ranking itself
 * (src/analysis/rank*.c).
 * SPDX-License-Identifier: MIT */
#ifndef SG_HISTORY_SQL_INT_H
#define SG_HISTORY_SQL_INT_H

#include "core/ctx_int.h"
#include "store/store_int.h"

/** Called once per row of layer rankings, best rank first (unranked
 * last, then by code): code, name (NULL if none), rank_within (0 if
 * unranked), its within_code (NULL if none) and period label (NULL if
 * none); strings borrowed for the call. */
typedef sg_status (*sg__hist_unit_fn)(const char *code, const char *name,
                                      long long rank, const char *within,
                                      const char *period, void *user);

/** Called once per inspection counted for a unit of layer rankings
 * (see sg__store_inspection_scores for what one inspection is), in
 * (unit, date) order; strings borrowed for the call. */
typedef sg_status (*sg__hist_score_fn)(const char *unit_code, const char *date,
                                       double score, void *user);

/** Read the units of layer rankings into \p unit_fn, then the
 * inspections into \p score_fn: an inspection of code X counts for
 * unit U when X is U or lies inside U through divisions.parent_code,
 * grids.division_code or grids.parent_code. \p scale and
 * \p per_finding score item-level sheets. A NULL callback skips its
 * part. No layer rankings: nothing is called. */
sg_status sg__store_rank_history(sg_ctx *ctx, sg_store *store, double scale,
                                 double per_finding, sg__hist_unit_fn unit_fn,
                                 sg__hist_score_fn score_fn, void *user);

#endif
