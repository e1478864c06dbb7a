/* The store's SQL for rankings and inspections: inspection scores per
 * period (whole-sheet scores and item-level deductions summed per
 * inspection), the latest inspection day, the last run of an analysis,
 * the reward/penalty bands of table rank_tiers, and the Chinese column
 * headers of layer rankings for spreadsheets.
 * Not for: ranking logic (src/analysis/rank*.c), reading or writing
 * layers in general (store_int.h).
 * SPDX-License-Identifier: MIT */
#ifndef SG_RANK_SQL_INT_H
#define SG_RANK_SQL_INT_H

#include <stddef.h>

#include "core/ctx_int.h"
#include "store/store_int.h"

/** Called once per inspection by sg__store_inspection_scores with its
 * unit code and day (borrowed for the call) and its score. Return SG_OK
 * to go on; anything else stops the query with that status. */
typedef sg_status (*sg__inspection_fn)(const char *unit_code, const char *date,
                                       double score, void *user);

/** The inspections of the days \p first .. \p last (inclusive,
 * YYYY-MM-DD), in (unit_code, date) order. What counts as one inspection:
 *  - a row with a score and no deduction: one inspection with that score;
 *  - the rows of one unit on one day with no score but a deduction or an
 *    item (one row per finding): together one inspection scoring
 *    max(0, \p scale - sum of deductions), a finding without a deduction
 *    counting \p per_finding points;
 *  - rows with neither (notes only) are not inspections. */
sg_status sg__store_inspection_scores(sg_ctx *ctx, sg_store *store,
                                      const char *first, const char *last,
                                      double scale, double per_finding,
                                      sg__inspection_fn fn, void *user);

/** The latest day of an inspection row with a score, a deduction or an
 * item into \p out (YYYY-MM-DD), or "" if there is none. */
sg_status sg__store_latest_inspection(sg_ctx *ctx, sg_store *store,
                                      char out[11]);

/** started_at (UTC ISO 8601) of the last run of \p command into
 * *\p started if it is not NULL (caller owns; free with free(); NULL if
 * it never ran) and, if \p params is not NULL, its params JSON text
 * (caller owns; free with free(); NULL if none). */
sg_status sg__store_last_run(sg_ctx *ctx, sg_store *store, const char *command,
                             char **started, char **params);

/** Called once per row of rank_tiers (tier_id order); \p label is
 * borrowed for the call, a NULL amount comes as NAN. Return SG_OK to go
 * on. */
typedef sg_status (*sg__tier_fn)(long long from_rank, long long to_rank,
                                 int from_end, const char *label,
                                 double amount_village, double amount_cadre,
                                 void *user);

/** Read the bands of table rank_tiers in order. */
sg_status sg__store_rank_tiers(sg_ctx *ctx, sg_store *store, sg__tier_fn fn,
                               void *user);

/** Delete every band of rank_tiers (inside the caller's transaction). */
sg_status sg__store_rank_tiers_clear(sg_ctx *ctx, sg_store *store);

/** Append one band to rank_tiers (inside the caller's transaction); NAN
 * amounts are stored as NULL. */
sg_status sg__store_rank_tiers_add(sg_ctx *ctx, sg_store *store,
                                   long long from_rank, long long to_rank,
                                   int from_end, const char *label,
                                   double amount_village, double amount_cadre);

#endif
