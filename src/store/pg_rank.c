/* The PostgreSQL twins of rank_sql.c (declared in pg_port_int.h):
 * inspection scores per period, the latest inspection, the last run of a
 * command and table rank_tiers, with the same contracts and the same
 * answers as the SQLite functions (text keys ordered bytewise, COLLATE
 * "C", as SQLite's BINARY; numbers sent and read as shortest round-trip
 * text, so no double changes on the way).
 * Not for: ranking logic (src/analysis/rank/).
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ctx_int.h"
#include "store/pg_port_int.h"

/* The error of a failed sg__pg_query already set in ctx. */
static sg_status failed(sg_ctx *ctx)
{
    sg_status s = ctx ? sg_ctx_status(ctx) : SG_ERR_DB;
    return s ? s : SG_ERR_DB;
}

/* inspection_sql of rank_sql.c: TOTAL() is COALESCE(SUM(), 0), MAX(a, b)
 * GREATEST. */
static const char inspection_sql[] =
    "SELECT unit_code, date, score FROM ("
    "SELECT unit_code, date, score FROM inspections "
    " WHERE date BETWEEN $1 AND $2 AND score IS NOT NULL "
    "   AND deduction IS NULL "
    "UNION ALL "
    "SELECT unit_code, date, GREATEST(0.0, $3::float8 - "
    "       COALESCE(SUM(COALESCE(deduction, $4::float8)), 0.0)) "
    "  FROM inspections "
    " WHERE date BETWEEN $1 AND $2 AND score IS NULL "
    "   AND (deduction IS NOT NULL OR item IS NOT NULL) "
    " GROUP BY unit_code, date) q "
    "ORDER BY unit_code COLLATE \"C\", date COLLATE \"C\"";

sg_status sg__pg_inspection_scores(sg_ctx *ctx, sg_store *store,
                                   const char *first, const char *last,
                                   double scale, double per_finding,
                                   sg__inspection_fn fn, void *user)
{
    char a[40], b[40];
    snprintf(a, sizeof a, "%.17g", scale);
    snprintf(b, sizeof b, "%.17g", per_finding);
    const char *p[4] = {first, last, a, b};
    PGresult *res =
        sg__pg_query(ctx, store, "reading inspections", inspection_sql, 4, p);
    if (!res)
        return failed(ctx);
    sg_status s = SG_OK;
    for (int i = 0, n = PQntuples(res); s == SG_OK && i < n; i++) {
        if (PQgetisnull(res, i, 0) || PQgetisnull(res, i, 1) ||
            PQgetisnull(res, i, 2))
            continue;
        s = fn(PQgetvalue(res, i, 0), PQgetvalue(res, i, 1),
               strtod(PQgetvalue(res, i, 2), NULL), user);
    }
    PQclear(res);
    return s;
}

sg_status sg__pg_latest_inspection(sg_ctx *ctx, sg_store *store, char out[11])
{
    out[0] = '\0';
    PGresult *res = sg__pg_query(
        ctx, store, "reading inspections",
        "SELECT MAX(date COLLATE \"C\") FROM inspections WHERE score IS NOT "
        "NULL OR deduction IS NOT NULL OR item IS NOT NULL",
        0, NULL);
    if (!res)
        return failed(ctx);
    if (PQntuples(res) > 0 && !PQgetisnull(res, 0, 0))
        snprintf(out, 11, "%s", PQgetvalue(res, 0, 0));
    PQclear(res);
    return SG_OK;
}

sg_status sg__pg_last_run(sg_ctx *ctx, sg_store *store, const char *command,
                          char **started, char **params)
{
    if (started)
        *started = NULL;
    if (params)
        *params = NULL;
    const char *p[1] = {command};
    PGresult *res = sg__pg_query(ctx, store, "reading the runs",
                                 "SELECT started_at, params FROM runs WHERE "
                                 "command = $1 ORDER BY run_id DESC LIMIT 1",
                                 1, p);
    if (!res)
        return failed(ctx);
    sg_status s = SG_OK;
    if (PQntuples(res) > 0) {
        if (started && !PQgetisnull(res, 0, 0) &&
            !(*started = sg__strdup(ctx, PQgetvalue(res, 0, 0))))
            s = SG_ERR_NOMEM;
        if (s == SG_OK && params && !PQgetisnull(res, 0, 1) &&
            !(*params = sg__strdup(ctx, PQgetvalue(res, 0, 1))))
            s = SG_ERR_NOMEM;
    }
    PQclear(res);
    if (s && started) {
        free(*started);
        *started = NULL;
    }
    return s;
}

/* Column \p col of row \p row as a double, NAN for NULL. */
static double value_or_nan(const PGresult *res, int row, int col)
{
    return PQgetisnull(res, row, col) ? NAN
                                      : strtod(PQgetvalue(res, row, col), NULL);
}

sg_status sg__pg_rank_tiers(sg_ctx *ctx, sg_store *store, sg__tier_fn fn,
                            void *user)
{
    PGresult *res = sg__pg_query(ctx, store, "reading rank_tiers",
                                 "SELECT from_rank, to_rank, from_end, label, "
                                 "amount_village, amount_cadre FROM rank_tiers "
                                 "ORDER BY tier_id",
                                 0, NULL);
    if (!res)
        return failed(ctx);
    sg_status s = SG_OK;
    for (int i = 0, n = PQntuples(res); s == SG_OK && i < n; i++)
        s = fn(strtoll(PQgetvalue(res, i, 0), NULL, 10),
               strtoll(PQgetvalue(res, i, 1), NULL, 10),
               strtoll(PQgetvalue(res, i, 2), NULL, 10) != 0,
               PQgetisnull(res, i, 3) ? "" : PQgetvalue(res, i, 3),
               value_or_nan(res, i, 4), value_or_nan(res, i, 5), user);
    PQclear(res);
    return s;
}

sg_status sg__pg_rank_tiers_clear(sg_ctx *ctx, sg_store *store)
{
    return sg__pg_exec(ctx, store, "writing rank_tiers",
                       "DELETE FROM rank_tiers");
}

sg_status sg__pg_rank_tiers_add(sg_ctx *ctx, sg_store *store,
                                long long from_rank, long long to_rank,
                                int from_end, const char *label,
                                double amount_village, double amount_cadre)
{
    char fr[32], tr[32], fe[4], av[40], ac[40];
    snprintf(fr, sizeof fr, "%lld", from_rank);
    snprintf(tr, sizeof tr, "%lld", to_rank);
    snprintf(fe, sizeof fe, "%d", from_end != 0);
    snprintf(av, sizeof av, "%.17g", amount_village);
    snprintf(ac, sizeof ac, "%.17g", amount_cadre);
    const char *p[6] = {fr,
                        tr,
                        fe,
                        label,
                        isnan(amount_village) ? NULL : av,
                        isnan(amount_cadre) ? NULL : ac};
    /* tier_id after every band there is: the bands of the initial rows
     * were numbered by hand, past the identity's sequence */
    PGresult *res = sg__pg_query(
        ctx, store, "writing rank_tiers",
        "INSERT INTO rank_tiers (tier_id, from_rank, to_rank, from_end, "
        "label, amount_village, amount_cadre) SELECT COALESCE(MAX(tier_id), "
        "0) + 1, $1, $2, $3, $4, $5, $6 FROM rank_tiers",
        6, p);
    if (!res)
        return failed(ctx);
    PQclear(res);
    return SG_OK;
}
