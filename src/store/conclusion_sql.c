/* The store's SQL for the report's conclusion (conclusion_sql_int.h).
 * Not for: the sentences (src/render/report_conclusion.c).
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <string.h>

#include "store/conclusion_sql_int.h"
#include "store/pg_read_int.h"
#include "store/store_sqlite_int.h"

/* Run \p sql with \p bind (may be NULL) as ?1 and hand each row to
 * \p row with \p user. */
static sg_status each_row(sg_ctx *ctx, sg_store *store, const char *sql,
                          void (*row)(sqlite3_stmt *, void *), void *user)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(store->db, sql, -1, &st, NULL) != SQLITE_OK)
        return sg__store_sql_error(ctx, store, "reading the conclusion");
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        row(st, user);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return sg__store_sql_error(ctx, store, "reading the conclusion");
    return SG_OK;
}

/* Copy (text column 0, number column 1) into item \p it. */
static void item_of(sqlite3_stmt *st, sg__concl_item *it)
{
    const char *t = (const char *)sqlite3_column_text(st, 0);
    snprintf(it->name, sizeof it->name, "%s", t ? t : "");
    it->value = sqlite3_column_double(st, 1);
}

void sg__conclusion_issue(sg__conclusion *c, const char *kind, long long n)
{
    if (!kind)
        return;
    if (!strcmp(kind, "gap"))
        c->gaps = n;
    else if (!strcmp(kind, "overlap"))
        c->overlaps = n;
    else if (!strcmp(kind, "no_leader"))
        c->no_leader = n;
    else if (!strcmp(kind, "household_outside"))
        c->outside = n;
    else if (!strcmp(kind, "household_in_several"))
        c->several = n;
}

/* Row readers, one per query. */
static void cov_total(sqlite3_stmt *st, void *u)
{
    sg__conclusion *c = u;
    c->households = sqlite3_column_int64(st, 0);
    c->beyond = (long long)sqlite3_column_double(st, 1);
    c->residents = (long long)sqlite3_column_double(st, 2);
    c->residents_beyond = (long long)sqlite3_column_double(st, 3);
    c->have_coverage = c->households > 0;
}
static void cov_worst(sqlite3_stmt *st, void *u)
{
    sg__conclusion *c = u;
    if (c->nworst < SG__CONCL_TOP && sqlite3_column_double(st, 1) > 0)
        item_of(st, &c->worst[c->nworst++]);
}
static void staff_total(sqlite3_stmt *st, void *u)
{
    sg__conclusion *c = u;
    c->villages = sqlite3_column_int64(st, 0);
    c->villages_short = sqlite3_column_int64(st, 1);
    c->required = sqlite3_column_int64(st, 2);
    c->current = sqlite3_column_int64(st, 3);
    c->shortfall = sqlite3_column_int64(st, 4);
    c->have_staffing = c->villages > 0;
}
static void staff_most(sqlite3_stmt *st, void *u)
{
    sg__conclusion *c = u;
    if (c->nshort < SG__CONCL_TOP)
        item_of(st, &c->short_most[c->nshort++]);
}
static void rank_period(sqlite3_stmt *st, void *u)
{
    sg__conclusion *c = u;
    const char *p = (const char *)sqlite3_column_text(st, 0);
    if (!p)
        return;
    snprintf(c->period, sizeof c->period, "%s", p);
    c->ranked = sqlite3_column_int64(st, 1);
    c->compared = sqlite3_column_int64(st, 2);
    c->risers = sqlite3_column_int64(st, 3);
    c->fallers = sqlite3_column_int64(st, 4);
    c->have_rank = c->ranked > 0;
}
static void rank_list(sqlite3_stmt *st, void *u)
{
    sg__conclusion *c = u;
    const char *tier = (const char *)sqlite3_column_text(st, 2);
    if (tier && !strcmp(tier, "red") && c->nred < SG__CONCL_LIST)
        item_of(st, &c->red[c->nred++]);
    else if (tier && !strcmp(tier, "black") && c->nblack < SG__CONCL_LIST)
        item_of(st, &c->black[c->nblack++]);
}
static void rank_riser(sqlite3_stmt *st, void *u)
{
    item_of(st, &((sg__conclusion *)u)->best_riser);
}
static void issues(sqlite3_stmt *st, void *u)
{
    sg__conclusion *c = u;
    const char *k = (const char *)sqlite3_column_text(st, 0);
    long long n = sqlite3_column_int64(st, 1);
    c->have_issues = 1;
    sg__conclusion_issue(c, k, n);
}

/* The latest period's rows of layer rankings. */
#define LATEST "(SELECT MAX(period) FROM rankings)"

sg_status sg__store_conclusion(sg_ctx *ctx, sg_store *store, int network,
                               sg__conclusion *c)
{
    SG_PG_DISPATCH(store, sg__pg_conclusion(ctx, store, network, c));
    memset(c, 0, sizeof *c);
    sg_status st = SG_OK;
    if (sg__store_has_layer(store, "coverage")) {
        st = each_row(ctx, store,
                      network ? "SELECT COUNT(*), TOTAL(covered_network = 0), "
                                "TOTAL(resident_population), "
                                "TOTAL(CASE WHEN covered_network = 0 THEN "
                                "resident_population END) FROM coverage"
                              : "SELECT COUNT(*), TOTAL(covered_euclid = 0), "
                                "TOTAL(resident_population), "
                                "TOTAL(CASE WHEN covered_euclid = 0 THEN "
                                "resident_population END) FROM coverage",
                      cov_total, c);
        if (st == SG_OK)
            st = each_row(
                ctx, store,
                network
                    ? "SELECT COALESCE(d.name, c.division_code), "
                      "AVG(c.covered_network = 0) AS s FROM coverage c "
                      "JOIN divisions d ON d.division_code = c.division_code "
                      "GROUP BY c.division_code ORDER BY s DESC, 1 LIMIT 3"
                    : "SELECT COALESCE(d.name, c.division_code), "
                      "AVG(c.covered_euclid = 0) AS s FROM coverage c "
                      "JOIN divisions d ON d.division_code = c.division_code "
                      "GROUP BY c.division_code ORDER BY s DESC, 1 LIMIT 3",
                cov_worst, c);
    }
    if (st == SG_OK && sg__store_has_layer(store, "staffing")) {
        st = each_row(ctx, store,
                      "SELECT COUNT(*), TOTAL(shortfall > 0), TOTAL(required), "
                      "TOTAL(current), TOTAL(MAX(shortfall, 0)) FROM staffing",
                      staff_total, c);
        if (st == SG_OK)
            st = each_row(ctx, store,
                          "SELECT COALESCE(name, division_code), shortfall "
                          "FROM staffing WHERE shortfall > 0 "
                          "ORDER BY shortfall DESC, 1 LIMIT 3",
                          staff_most, c);
    }
    if (st == SG_OK && sg__store_has_layer(store, "rankings")) {
        st = each_row(ctx, store,
                      "SELECT period, COUNT(rank_within), "
                      "COUNT(rank_change), TOTAL(rank_change > 0), "
                      "TOTAL(rank_change < 0) FROM rankings "
                      "WHERE period = " LATEST " GROUP BY period",
                      rank_period, c);
        if (st == SG_OK)
            st = each_row(ctx, store,
                          "SELECT COALESCE(name, unit_code), score, tier "
                          "FROM rankings WHERE period = " LATEST
                          " AND tier IN ('red', 'black') "
                          "ORDER BY rank_within, 1",
                          rank_list, c);
        if (st == SG_OK)
            st = each_row(ctx, store,
                          "SELECT COALESCE(name, unit_code), rank_change "
                          "FROM rankings WHERE period = " LATEST
                          " AND rank_change > 0 "
                          "ORDER BY rank_change DESC, 1 LIMIT 1",
                          rank_riser, c);
    }
    if (st == SG_OK && sg__store_has_layer(store, "grid_issues")) {
        c->have_issues = 1;
        st = each_row(ctx, store,
                      "SELECT kind, COUNT(*) FROM grid_issues GROUP BY kind",
                      issues, c);
    }
    return st;
}
