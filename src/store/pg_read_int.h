/* PostgreSQL twins of the read paths of plan, render, report and sheets
 * (issue 21), for src/store only: each function has the contract of the
 * SQLite function it is dispatched from (named beside it), so see that
 * function's header for what it returns. Implemented in pg_plan.c
 * (windows), pg_render.c (web map, sheets, conclusion, history) and
 * pg_allocate.c (result layers changed in place).
 * Not for: anything outside src/store.
 * SPDX-License-Identifier: MIT */
#ifndef SG_STORE_PG_READ_INT_H
#define SG_STORE_PG_READ_INT_H

#include "store/store_pg_int.h"

/** sg__store_scan_window (plan_sql_int.h): the rows whose geometry's
 * bounding box meets \p box, through the layer's GiST index. */
sg_status sg__pg_scan_window(sg_ctx *ctx, sg_store *store, const char *layer,
                             const char *const *cols, size_t ncols,
                             const double *box, sg__row_fn fn, void *user);

/** sg__store_delete_result_rows and sg__store_ensure_result_column
 * (allocate_sql_int.h). */
sg_status sg__pg_delete_result_rows(sg_ctx *ctx, sg_store *store,
                                    const char *layer, const char *col,
                                    const char *value);
sg_status sg__pg_ensure_result_column(sg_ctx *ctx, sg_store *store,
                                      const char *layer, const char *col,
                                      const char *type);

/** Run \p sql (parameters $1..$n as text, NULL entries NULL) through a
 * server-side cursor and call \p fn for each row; \p what names the read
 * in messages. Only one parameter is supported by the cursor, so \p sql
 * takes at most $1 (\p param). */
sg_status sg__pg_foreach(sg_ctx *ctx, sg_store *store, const char *what,
                         const char *sql, const char *param, sg__row_fn fn,
                         void *user);

/* ---- pg_render.c: the twins of webmap_sql.c, conclusion_sql.c,
 * history_sql.c and sheets_sql.c (same contracts) ---- */
struct sg__conclusion;
struct sg__sheet_figures;
struct sg__sheet_cleaner_row;
struct sg__sheet_grid_row;
typedef sg_status (*sg__pg_webmap_fn)(const char *geometry,
                                      const char *const *vals, int nvals,
                                      void *user);
typedef sg_status (*sg__pg_webmap_xy_fn)(double x, double y, double residents,
                                         void *user);
sg_status sg__pg_webmap_villages(sg_ctx *ctx, sg_store *store,
                                 sg__pg_webmap_fn fn, void *user);
sg_status sg__pg_webmap_grids(sg_ctx *ctx, sg_store *store, sg__pg_webmap_fn fn,
                              void *user);
sg_status sg__pg_webmap_points(sg_ctx *ctx, sg_store *store,
                               sg__pg_webmap_fn fn, void *user);
sg_status sg__pg_webmap_households(sg_ctx *ctx, sg_store *store,
                                   sg__pg_webmap_xy_fn fn, void *user);
sg_status sg__pg_webmap_wkt(sg_ctx *ctx, sg_store *store,
                            const char *const *wkt, size_t n,
                            sg__pg_webmap_fn fn, void *user);
sg_status sg__pg_conclusion(sg_ctx *ctx, sg_store *store, int network,
                            struct sg__conclusion *c);
sg_status sg__pg_rank_history(
    sg_ctx *ctx, sg_store *store, double scale, double per_finding,
    sg_status (*unit_fn)(const char *code, const char *name, long long rank,
                         const char *within, const char *period, void *user),
    sg_status (*score_fn)(const char *unit_code, const char *date, double score,
                          void *user),
    void *user);
sg_status sg__pg_sheet_villages(sg_ctx *ctx, sg_store *store, const char *code,
                                sg_status (*fn)(const char *code,
                                                const char *name,
                                                const char *parent, void *user),
                                void *user);
sg_status sg__pg_sheet_cleaners(
    sg_ctx *ctx, sg_store *store, const char *code, int personal,
    sg_status (*fn)(const struct sg__sheet_cleaner_row *r, void *user),
    void *user);
sg_status sg__pg_sheet_cleaner_roads(
    sg_ctx *ctx, sg_store *store, const char *code, const char *cleaner_id,
    sg_status (*fn)(const char *name, double km, void *user), void *user);
sg_status sg__pg_sheet_cleaner_grids(
    sg_ctx *ctx, sg_store *store, const char *code, const char *cleaner_id,
    sg_status (*fn)(const char *code, void *user), void *user);
sg_status sg__pg_sheet_grids(sg_ctx *ctx, sg_store *store, const char *code,
                             int personal,
                             sg_status (*fn)(const struct sg__sheet_grid_row *r,
                                             void *user),
                             void *user);
sg_status sg__pg_sheet_figures(sg_ctx *ctx, sg_store *store, const char *code,
                               int network, struct sg__sheet_figures *f);
#endif
