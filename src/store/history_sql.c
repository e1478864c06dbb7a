/* The store's SQL for the report's score history (history_sql_int.h).
 * Not for: periods or charts (src/render/report_history.c).
 * SPDX-License-Identifier: MIT */
#include <stdio.h>

#include "store/history_sql_int.h"
#include "store/pg_read_int.h"
#include "store/store_sqlite_int.h"

static const char units_sql[] =
    "SELECT unit_code, name, rank_within, within_code, period "
    "  FROM rankings "
    " ORDER BY rank_within IS NULL, rank_within, unit_code";

/* tree(unit, code): each unit and every division and grid inside it
 * (UNION drops repeats, so a cycle in parent codes ends). The
 * inspections as sg__store_inspection_scores counts them, on all days.
 * ?1 = scale, ?2 = points per finding without a deduction. */
static const char scores_sql[] =
    "WITH RECURSIVE tree(unit, code) AS ("
    "  SELECT unit_code, unit_code FROM rankings"
    "  UNION"
    "  SELECT t.unit, d.division_code FROM divisions d"
    "    JOIN tree t ON d.parent_code = t.code"
    "  UNION"
    "  SELECT t.unit, g.grid_code FROM grids g"
    "    JOIN tree t ON g.division_code = t.code OR g.parent_code = t.code"
    "), insp(unit_code, date, score) AS ("
    "  SELECT unit_code, date, score FROM inspections"
    "   WHERE score IS NOT NULL AND deduction IS NULL"
    "  UNION ALL"
    "  SELECT unit_code, date, MAX(0.0, ?1 - TOTAL(COALESCE(deduction, ?2)))"
    "    FROM inspections"
    "   WHERE score IS NULL AND (deduction IS NOT NULL OR item IS NOT NULL)"
    "   GROUP BY unit_code, date"
    ") "
    "SELECT t.unit, i.date, i.score FROM insp i JOIN tree t"
    "    ON i.unit_code = t.code "
    " ORDER BY 1, 2";

sg_status sg__store_rank_history(sg_ctx *ctx, sg_store *store, double scale,
                                 double per_finding, sg__hist_unit_fn unit_fn,
                                 sg__hist_score_fn score_fn, void *user)
{
    SG_PG_DISPATCH(store, sg__pg_rank_history(ctx, store, scale, per_finding,
                                              unit_fn, score_fn, user));
    sqlite3_stmt *st = NULL;
    sg_status s = SG_OK;
    int rc = SQLITE_DONE;
    if (!sg__store_has_layer(store, "rankings"))
        return SG_OK;
    if (!unit_fn)
        goto scores;
    if (sqlite3_prepare_v2(store->db, units_sql, -1, &st, NULL) != SQLITE_OK)
        return sg__store_sql_error(ctx, store, "reading layer rankings");
    while (s == SG_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *code = (const char *)sqlite3_column_text(st, 0);
        if (!code)
            continue;
        s = unit_fn(code, (const char *)sqlite3_column_text(st, 1),
                    sqlite3_column_int64(st, 2),
                    (const char *)sqlite3_column_text(st, 3),
                    (const char *)sqlite3_column_text(st, 4), user);
    }
    if (s == SG_OK && rc != SQLITE_DONE)
        s = sg__store_sql_error(ctx, store, "reading layer rankings");
    sqlite3_finalize(st);
    st = NULL;
scores:
    if (s || !score_fn || !sg__store_has_layer(store, "divisions") ||
        !sg__store_has_layer(store, "grids"))
        return s;
    if (sqlite3_prepare_v2(store->db, scores_sql, -1, &st, NULL) != SQLITE_OK)
        return sg__store_sql_error(ctx, store, "reading inspections");
    sqlite3_bind_double(st, 1, scale);
    sqlite3_bind_double(st, 2, per_finding);
    while (s == SG_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *unit = (const char *)sqlite3_column_text(st, 0);
        const char *date = (const char *)sqlite3_column_text(st, 1);
        if (!unit || !date || sqlite3_column_type(st, 2) == SQLITE_NULL)
            continue;
        s = score_fn(unit, date, sqlite3_column_double(st, 2), user);
    }
    if (s == SG_OK && rc != SQLITE_DONE)
        s = sg__store_sql_error(ctx, store, "reading inspections");
    sqlite3_finalize(st);
    return s;
}
