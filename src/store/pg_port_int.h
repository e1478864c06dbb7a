/* PostgreSQL twins of the store functions ported after the first cut of
 * the PostgreSQL backend (issue 21): rankings and inspections (pg_rank.c),
 * collection routes (pg_route.c), show/delete (pg_show.c), snapshots
 * (pg_snapshot.c) and site --accept (pg_site.c). Each has the contract of
 * the SQLite function of the same name without the sg__pg_ prefix
 * (sg__store_..., sg__route_...); the SQLite function dispatches here
 * with SG_PG_DISPATCH.
 * Not for: anything outside src/store.
 * SPDX-License-Identifier: MIT */
#ifndef SG_STORE_PG_PORT_INT_H
#define SG_STORE_PG_PORT_INT_H

#include "sanigrid/snapshot.h"
#include "store/rank_sql_int.h"
#include "store/route_sql_int.h"
#include "store/store_pg_int.h"

/* ---- rankings and inspections (pg_rank.c) -------------------------------- */

sg_status sg__pg_inspection_scores(sg_ctx *ctx, sg_store *store,
                                   const char *first, const char *last,
                                   double scale, double per_finding,
                                   sg__inspection_fn fn, void *user);
sg_status sg__pg_latest_inspection(sg_ctx *ctx, sg_store *store, char out[11]);
sg_status sg__pg_last_run(sg_ctx *ctx, sg_store *store, const char *command,
                          char **started, char **params);
sg_status sg__pg_rank_tiers(sg_ctx *ctx, sg_store *store, sg__tier_fn fn,
                            void *user);
sg_status sg__pg_rank_tiers_clear(sg_ctx *ctx, sg_store *store);
sg_status sg__pg_rank_tiers_add(sg_ctx *ctx, sg_store *store,
                                long long from_rank, long long to_rank,
                                int from_end, const char *label,
                                double amount_village, double amount_cadre);

/* ---- collection routes (pg_route.c) -------------------------------------- */

sg_status sg__pg_route_demand_scan(sg_ctx *ctx, sg_store *store,
                                   sg__route_demand_fn fn, void *user);
sg_status sg__pg_route_coverage_kind(sg_ctx *ctx, sg_store *store, char *kind,
                                     size_t size, char *demand, size_t dsize);
sg_status sg__pg_route_lonlat(sg_ctx *ctx, sg_store *store, double lon,
                              double lat, double *x, double *y);

/* ---- show and delete (pg_show.c) ------------------------------------------
 */

sg_status sg__pg_filter_check_layer(sg_ctx *ctx, sg_store *store,
                                    const char *layer);
sg_status sg__pg_show(sg_ctx *ctx, sg_store *store, const char *layer,
                      const char *where, long long limit, sg_show_result **out);
sg_status sg__pg_delete_rows(sg_ctx *ctx, sg_store *store, const char *layer,
                             const char *const *ids, size_t nids,
                             const char *where, long long *deleted);

/* ---- site (pg_site.c) ------------------------------------------------------
 */

sg_status sg__pg_site_candidate_layer(sg_ctx *ctx, sg_store *store,
                                      const char *layer, char *idcol,
                                      size_t size);
sg_status sg__pg_site_accept_rows(sg_ctx *ctx, sg_store *store,
                                  const char *const *ids, size_t nids,
                                  long long *accepted);

/* ---- a row's CHECK constraints before COPY (pg_check.c) ----------------- */

typedef struct sg__pg_rowcheck sg__pg_rowcheck;
/** The CHECK constraints of \p table over columns \p cols (the first
 * \p ncols parameters of an insert), prepared; NULL with *\p st SG_OK
 * when there are none. */
sg__pg_rowcheck *sg__pg_rowcheck_new(sg_ctx *ctx, sg_store *store,
                                     const char *table, const char *const *cols,
                                     size_t ncols, sg_status *st);
/** 1 when the row of \p values (text, NULL for NULL) breaks one (\p msg:
 * "CHECK constraint failed: <name>"), 0 when not, -1 on an error (ctx). */
int sg__pg_rowcheck_run(sg_ctx *ctx, sg__pg_rowcheck *rc,
                        const char *const *values, char *msg, size_t size);
void sg__pg_rowcheck_free(sg__pg_rowcheck *rc);

/* ---- snapshots and restore (pg_snapshot.c) ------------------------------ */

/** Snapshot the store's tables inside the open transaction (keep <= 0:
 * none), then drop the oldest past \p keep; store->last_snapshot names
 * it. */
sg_status sg__pg_snapshot_take(sg_ctx *ctx, sg_store *store,
                               const char *command, int keep);
sg_status sg__pg_snapshots_list(sg_ctx *ctx, sg_store *store,
                                sg_snapshot_info **out, size_t *n);
/** sg_store_restore on PostgreSQL, in one transaction. */
sg_status sg__pg_restore(sg_ctx *ctx, sg_store *store, const char *snapshot,
                         int keep, char **restored);

#endif
