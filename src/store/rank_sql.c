/* The store's SQL for rankings and inspections (declared in
 * rank_sql_int.h): inspection scores per period, the latest inspection,
 * the last run of a command, table rank_tiers, and the Chinese headers
 * of layer rankings.
 * Not for: ranking logic (src/analysis/rank*.c).
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/rank_sql_int.h"
#include "store/pg_port_int.h"
#include "store/store_sqlite_int.h"

/* One inspection per scored row; the finding rows of a unit and day
 * summed into one. ?1/?2 = day range, ?3 = scale, ?4 = points per
 * finding without a deduction. TOTAL() is 0.0 for no rows and never
 * NULL; MAX() of two values is SQLite's (PostGIS: GREATEST). */
static const char inspection_sql[] =
    "SELECT unit_code, date, score FROM inspections "
    " WHERE date BETWEEN ?1 AND ?2 AND score IS NOT NULL "
    "   AND deduction IS NULL "
    "UNION ALL "
    "SELECT unit_code, date, MAX(0.0, ?3 - TOTAL(COALESCE(deduction, ?4))) "
    "  FROM inspections "
    " WHERE date BETWEEN ?1 AND ?2 AND score IS NULL "
    "   AND (deduction IS NOT NULL OR item IS NOT NULL) "
    " GROUP BY unit_code, date "
    "ORDER BY 1, 2";

sg_status sg__store_inspection_scores(sg_ctx *ctx, sg_store *store,
                                      const char *first, const char *last,
                                      double scale, double per_finding,
                                      sg__inspection_fn fn, void *user)
{
    SG_PG_DISPATCH(store,
                   sg__pg_inspection_scores(ctx, store, first, last, scale,
                                            per_finding, fn, user));
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(store->db, inspection_sql, -1, &st, NULL) !=
        SQLITE_OK)
        return sg__store_sql_error(ctx, store, "reading inspections");
    sqlite3_bind_text(st, 1, first, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, last, -1, SQLITE_STATIC);
    sqlite3_bind_double(st, 3, scale);
    sqlite3_bind_double(st, 4, per_finding);
    sg_status s = SG_OK;
    int rc = SQLITE_DONE;
    while (s == SG_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *unit = (const char *)sqlite3_column_text(st, 0);
        const char *date = (const char *)sqlite3_column_text(st, 1);
        if (!unit || !date || sqlite3_column_type(st, 2) == SQLITE_NULL)
            continue;
        s = fn(unit, date, sqlite3_column_double(st, 2), user);
    }
    if (s == SG_OK && rc != SQLITE_DONE)
        s = sg__store_sql_error(ctx, store, "reading inspections");
    sqlite3_finalize(st);
    return s;
}

sg_status sg__store_latest_inspection(sg_ctx *ctx, sg_store *store,
                                      char out[11])
{
    SG_PG_DISPATCH(store, sg__pg_latest_inspection(ctx, store, out));
    sqlite3_stmt *st = NULL;
    out[0] = '\0';
    if (sqlite3_prepare_v2(store->db,
                           "SELECT MAX(date) FROM inspections WHERE score IS "
                           "NOT NULL OR deduction IS NOT NULL OR item IS NOT "
                           "NULL",
                           -1, &st, NULL) != SQLITE_OK)
        return sg__store_sql_error(ctx, store, "reading inspections");
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW && sqlite3_column_text(st, 0))
        snprintf(out, 11, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return sg__store_sql_error(ctx, store, "reading inspections");
    return SG_OK;
}

sg_status sg__store_last_run(sg_ctx *ctx, sg_store *store, const char *command,
                             char **started, char **params)
{
    SG_PG_DISPATCH(store,
                   sg__pg_last_run(ctx, store, command, started, params));
    sqlite3_stmt *st = NULL;
    if (started)
        *started = NULL;
    if (params)
        *params = NULL;
    if (sqlite3_prepare_v2(store->db,
                           "SELECT started_at, params FROM runs WHERE "
                           "command = ? ORDER BY run_id DESC LIMIT 1",
                           -1, &st, NULL) != SQLITE_OK)
        return sg__store_sql_error(ctx, store, "reading the runs");
    sqlite3_bind_text(st, 1, command, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sg_status s = SG_OK;
    if (rc == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(st, 0);
        const char *p = (const char *)sqlite3_column_text(st, 1);
        if (started && t && !(*started = sg__strdup(ctx, t)))
            s = SG_ERR_NOMEM;
        if (s == SG_OK && params && p && !(*params = sg__strdup(ctx, p)))
            s = SG_ERR_NOMEM;
    } else if (rc != SQLITE_DONE) {
        s = sg__store_sql_error(ctx, store, "reading the runs");
    }
    sqlite3_finalize(st);
    if (s && started) {
        free(*started);
        *started = NULL;
    }
    return s;
}

/* Column \p i of \p st as a double, NAN for NULL. */
static double column_or_nan(sqlite3_stmt *st, int i)
{
    return sqlite3_column_type(st, i) == SQLITE_NULL
               ? NAN
               : sqlite3_column_double(st, i);
}

sg_status sg__store_rank_tiers(sg_ctx *ctx, sg_store *store, sg__tier_fn fn,
                               void *user)
{
    SG_PG_DISPATCH(store, sg__pg_rank_tiers(ctx, store, fn, user));
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(store->db,
                           "SELECT from_rank, to_rank, from_end, label, "
                           "amount_village, amount_cadre FROM rank_tiers "
                           "ORDER BY tier_id",
                           -1, &st, NULL) != SQLITE_OK)
        return sg__store_sql_error(ctx, store, "reading rank_tiers");
    sg_status s = SG_OK;
    int rc = SQLITE_DONE;
    while (s == SG_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *label = (const char *)sqlite3_column_text(st, 3);
        s = fn(sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1),
               sqlite3_column_int(st, 2) != 0, label ? label : "",
               column_or_nan(st, 4), column_or_nan(st, 5), user);
    }
    if (s == SG_OK && rc != SQLITE_DONE)
        s = sg__store_sql_error(ctx, store, "reading rank_tiers");
    sqlite3_finalize(st);
    return s;
}

sg_status sg__store_rank_tiers_clear(sg_ctx *ctx, sg_store *store)
{
    SG_PG_DISPATCH(store, sg__pg_rank_tiers_clear(ctx, store));
    return sg__store_exec(ctx, store, "DELETE FROM rank_tiers");
}

/* Bind \p v to parameter \p i, NULL for NAN. */
static void bind_amount(sqlite3_stmt *st, int i, double v)
{
    if (isnan(v))
        sqlite3_bind_null(st, i);
    else
        sqlite3_bind_double(st, i, v);
}

sg_status sg__store_rank_tiers_add(sg_ctx *ctx, sg_store *store,
                                   long long from_rank, long long to_rank,
                                   int from_end, const char *label,
                                   double amount_village, double amount_cadre)
{
    SG_PG_DISPATCH(store, sg__pg_rank_tiers_add(ctx, store, from_rank, to_rank,
                                                from_end, label, amount_village,
                                                amount_cadre));
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(store->db,
                           "INSERT INTO rank_tiers (from_rank, to_rank, "
                           "from_end, label, amount_village, amount_cadre) "
                           "VALUES (?, ?, ?, ?, ?, ?)",
                           -1, &st, NULL) != SQLITE_OK)
        return sg__store_sql_error(ctx, store, "writing rank_tiers");
    sqlite3_bind_int64(st, 1, from_rank);
    sqlite3_bind_int64(st, 2, to_rank);
    sqlite3_bind_int(st, 3, from_end != 0);
    sqlite3_bind_text(st, 4, label, -1, SQLITE_STATIC);
    bind_amount(st, 5, amount_village);
    bind_amount(st, 6, amount_cadre);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return sg__store_sql_error(ctx, store, "writing rank_tiers");
    return SG_OK;
}
