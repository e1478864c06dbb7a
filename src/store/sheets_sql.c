/* The store's SQL for the village sheets (declared in sheets_sql_int.h):
 * villages, their cleaners with roads and grids, their grids and leaders,
 * and their coverage, staffing and ranking figures. Each query reads only
 * layers that exist: an analysis that never ran leaves its figures "not
 * computed".
 * Not for: drawing (src/render/sheets.c).
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <string.h>

#include "store/bulk_int.h"
#include "store/sheets_sql_int.h"
#include "store/pg_read_int.h"
#include "store/store_sqlite_int.h"

/* Prepare \p sql on \p store. \return SG_OK or the SQL error for
 * \p what. */
static sg_status prepare(sg_ctx *ctx, sg_store *store, const char *sql,
                         sqlite3_stmt **st, const char *what)
{
    *st = NULL;
    if (sqlite3_prepare_v2(store->db, sql, -1, st, NULL) != SQLITE_OK)
        return sg__store_sql_error(ctx, store, what);
    return SG_OK;
}

/* Column \p i of \p st as text, or NULL. Borrowed until the next step. */
static const char *col_text(sqlite3_stmt *st, int i)
{
    return (const char *)sqlite3_column_text(st, i);
}

/* Step \p st to the end; \return SG_OK or the SQL error for \p what. */
static sg_status finish_rc(sg_ctx *ctx, sg_store *store, sg_status s, int rc,
                           const char *what)
{
    if (s == SG_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
        s = sg__store_sql_error(ctx, store, what);
    return s;
}

/* ---- villages
 * ---------------------------------------------------------------- */

sg_status sg__store_sheet_villages(sg_ctx *ctx, sg_store *store,
                                   const char *code, sg__sheet_village_fn fn,
                                   void *user)
{
    SG_PG_DISPATCH(store, sg__pg_sheet_villages(ctx, store, code, fn, user));
    static const char sql[] =
        "SELECT d.division_code, d.name, p.name FROM divisions d "
        "  LEFT JOIN divisions p ON p.division_code = d.parent_code "
        " WHERE d.geom IS NOT NULL "
        "   AND (?1 IS NULL AND d.level = 'admin_village' "
        "        OR d.division_code = ?1) "
        " ORDER BY d.division_code";
    sqlite3_stmt *st;
    sg_status s = prepare(ctx, store, sql, &st, "reading divisions");
    if (s)
        return s;
    if (code)
        sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
    int rc = SQLITE_DONE;
    while (s == SG_OK && (rc = sqlite3_step(st)) == SQLITE_ROW)
        s = fn(col_text(st, 0), col_text(st, 1), col_text(st, 2), user);
    s = finish_rc(ctx, store, s, rc, "reading divisions");
    sqlite3_finalize(st);
    return s;
}

/* ---- cleaners
 * ---------------------------------------------------------------- */

/* After allocate: existing cleaners (with or without a workload row)
 * first, then the planned posts, in natural order of their ids. */
static const char cleaners_work_sql[] =
    "WITH w AS (SELECT cleaner_id, status, road_km, households, residents "
    "             FROM workloads WHERE division_code = ?1), "
    "     a AS (SELECT cleaner_id, MAX(color_class) AS cc "
    "             FROM service_areas WHERE division_code = ?1 "
    "            GROUP BY cleaner_id) "
    "SELECT * FROM ( "
    "SELECT c.cleaner_id AS id, c.name, 0 AS planned, w.road_km, "
    "       w.households, w.residents, a.cc "
    "  FROM cleaners c LEFT JOIN w ON w.cleaner_id = c.cleaner_id "
    "  LEFT JOIN a ON a.cleaner_id = c.cleaner_id "
    " WHERE c.division_code = ?1 "
    "UNION ALL "
    "SELECT w.cleaner_id, NULL, 1, w.road_km, w.households, w.residents, "
    "       a.cc "
    "  FROM w LEFT JOIN a ON a.cleaner_id = w.cleaner_id "
    " WHERE w.cleaner_id NOT IN (SELECT cleaner_id FROM cleaners "
    "                             WHERE division_code = ?1) "
    ") ORDER BY planned, length(id), id";

/* Before allocate: the cleaners of the village with the roads and
 * households the imported data gives them (working CRS in metres). */
static const char cleaners_plain_sql[] =
    "SELECT c.cleaner_id, c.name, 0, "
    "       (SELECT TOTAL(ST_Length(r.geom)) / 1000.0 FROM roads r "
    "         WHERE r.cleaner_id = c.cleaner_id), "
    "       (SELECT COUNT(*) FROM households h "
    "         WHERE h.cleaner_id = c.cleaner_id), "
    "       (SELECT TOTAL(h.resident_population) FROM households h "
    "         WHERE h.cleaner_id = c.cleaner_id), NULL "
    "  FROM cleaners c WHERE c.division_code = ?1 "
    " ORDER BY length(c.cleaner_id), c.cleaner_id";

sg_status sg__store_sheet_cleaners(sg_ctx *ctx, sg_store *store,
                                   const char *code, int personal,
                                   sg__sheet_cleaner_fn fn, void *user)
{
    SG_PG_DISPATCH(store,
                   sg__pg_sheet_cleaners(ctx, store, code, personal, fn, user));
    if (!sg__store_has_layer(store, "cleaners"))
        return SG_OK;
    int work = sg__store_has_layer(store, "workloads") &&
               sg__store_has_layer(store, "service_areas");
    sqlite3_stmt *st;
    sg_status s =
        prepare(ctx, store, work ? cleaners_work_sql : cleaners_plain_sql, &st,
                "reading cleaners");
    if (s)
        return s;
    sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
    int rc = SQLITE_DONE;
    while (s == SG_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        sg__sheet_cleaner_row r = {0};
        r.cleaner_id = col_text(st, 0);
        if (!r.cleaner_id)
            continue;
        r.name = personal ? col_text(st, 1) : NULL;
        r.planned = sqlite3_column_int(st, 2);
        r.have_work = sqlite3_column_type(st, 3) != SQLITE_NULL;
        r.road_km = sqlite3_column_double(st, 3);
        r.households = sqlite3_column_int64(st, 4);
        r.residents = sqlite3_column_int64(st, 5);
        r.color_class = sqlite3_column_type(st, 6) == SQLITE_NULL
                            ? -1
                            : sqlite3_column_int(st, 6);
        s = fn(&r, user);
    }
    s = finish_rc(ctx, store, s, rc, "reading cleaners");
    sqlite3_finalize(st);
    return s;
}

sg_status sg__store_sheet_cleaner_roads(sg_ctx *ctx, sg_store *store,
                                        const char *code,
                                        const char *cleaner_id,
                                        sg__sheet_road_fn fn, void *user)
{
    SG_PG_DISPATCH(store, sg__pg_sheet_cleaner_roads(ctx, store, code,
                                                     cleaner_id, fn, user));
    static const char alloc_sql[] =
        "SELECT COALESCE(r.name, ''), TOTAL(cr.length_m) / 1000.0 "
        "  FROM cleaner_roads cr LEFT JOIN roads r ON r.road_id = cr.road_id "
        " WHERE cr.division_code = ?1 AND cr.cleaner_id = ?2 "
        " GROUP BY 1 ORDER BY 2 DESC, 1";
    static const char plain_sql[] =
        "SELECT COALESCE(name, ''), TOTAL(ST_Length(geom)) / 1000.0 "
        "  FROM roads WHERE cleaner_id = ?2 "
        " GROUP BY 1 ORDER BY 2 DESC, 1";
    int alloc = sg__store_has_layer(store, "cleaner_roads");
    if (!alloc && !sg__store_has_layer(store, "roads"))
        return SG_OK;
    sqlite3_stmt *st;
    sg_status s = prepare(ctx, store, alloc ? alloc_sql : plain_sql, &st,
                          "reading a cleaner's roads");
    if (s)
        return s;
    if (alloc)
        sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, cleaner_id, -1, SQLITE_STATIC);
    int rc = SQLITE_DONE;
    while (s == SG_OK && (rc = sqlite3_step(st)) == SQLITE_ROW)
        s = fn(col_text(st, 0) ? col_text(st, 0) : "",
               sqlite3_column_double(st, 1), user);
    s = finish_rc(ctx, store, s, rc, "reading a cleaner's roads");
    sqlite3_finalize(st);
    return s;
}

sg_status sg__store_sheet_cleaner_grids(sg_ctx *ctx, sg_store *store,
                                        const char *code,
                                        const char *cleaner_id,
                                        sg__sheet_code_fn fn, void *user)
{
    SG_PG_DISPATCH(store, sg__pg_sheet_cleaner_grids(ctx, store, code,
                                                     cleaner_id, fn, user));
    static const char alloc_sql[] =
        "SELECT DISTINCT cv.grid_code FROM cleaner_households ch "
        "  JOIN coverage cv ON cv.household_id = ch.household_id "
        " WHERE ch.division_code = ?1 AND ch.cleaner_id = ?2 "
        "   AND cv.grid_code IS NOT NULL ORDER BY 1";
    static const char plain_sql[] =
        "SELECT DISTINCT cv.grid_code FROM households h "
        "  JOIN coverage cv ON cv.household_id = h.household_id "
        " WHERE h.cleaner_id = ?2 AND cv.grid_code IS NOT NULL ORDER BY 1";
    if (!sg__store_has_layer(store, "coverage"))
        return SG_OK;
    int alloc = sg__store_has_layer(store, "cleaner_households");
    sqlite3_stmt *st;
    sg_status s = prepare(ctx, store, alloc ? alloc_sql : plain_sql, &st,
                          "reading a cleaner's grids");
    if (s)
        return s;
    if (alloc)
        sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, cleaner_id, -1, SQLITE_STATIC);
    int rc = SQLITE_DONE;
    while (s == SG_OK && (rc = sqlite3_step(st)) == SQLITE_ROW)
        if (col_text(st, 0))
            s = fn(col_text(st, 0), user);
    s = finish_rc(ctx, store, s, rc, "reading a cleaner's grids");
    sqlite3_finalize(st);
    return s;
}

/* ---- grids
 * ----------------------------------------------------------------------- */

sg_status sg__store_sheet_grids(sg_ctx *ctx, sg_store *store, const char *code,
                                int personal, sg__sheet_grid_fn fn, void *user)
{
    SG_PG_DISPATCH(store,
                   sg__pg_sheet_grids(ctx, store, code, personal, fn, user));
    static const char cov_sql[] =
        "SELECT g.grid_code, g.name, "
        "       COALESCE(TRIM(g.grid_leader), '') <> '', g.grid_leader, "
        "       (SELECT COUNT(*) FROM coverage c "
        "         WHERE c.grid_code = g.grid_code), AsBinary(g.geom) "
        "  FROM grids g WHERE g.division_code = ?1 ORDER BY g.grid_code";
    static const char plain_sql[] =
        "SELECT g.grid_code, g.name, "
        "       COALESCE(TRIM(g.grid_leader), '') <> '', g.grid_leader, "
        "       NULL, AsBinary(g.geom) "
        "  FROM grids g WHERE g.division_code = ?1 ORDER BY g.grid_code";
    if (!sg__store_has_layer(store, "grids"))
        return SG_OK;
    sqlite3_stmt *st;
    sg_status s =
        prepare(ctx, store,
                sg__store_has_layer(store, "coverage") ? cov_sql : plain_sql,
                &st, "reading grids");
    if (s)
        return s;
    sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
    int rc = SQLITE_DONE;
    while (s == SG_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        sg__sheet_grid_row r = {0};
        r.grid_code = col_text(st, 0);
        if (!r.grid_code)
            continue;
        r.name = col_text(st, 1);
        r.has_leader = sqlite3_column_int(st, 2);
        r.leader = personal ? col_text(st, 3) : NULL;
        r.households = sqlite3_column_type(st, 4) == SQLITE_NULL
                           ? -1
                           : sqlite3_column_int64(st, 4);
        r.wkb = sqlite3_column_blob(st, 5);
        r.wkb_len = (size_t)sqlite3_column_bytes(st, 5);
        s = fn(&r, user);
    }
    s = finish_rc(ctx, store, s, rc, "reading grids");
    sqlite3_finalize(st);
    return s;
}

/* ---- figures
 * ---------------------------------------------------------------------- */

/* Households and residents of village ?1 in layer coverage, and those
 * beyond the radius by road or by straight line (\p which). */
#define COV_FIGURES(which)                                                     \
    "SELECT COUNT(*), TOTAL(resident_population), "                            \
    "       TOTAL(covered_" which " = 0), "                                    \
    "       TOTAL(CASE WHEN covered_" which " = 0 "                            \
    "             THEN resident_population END) "
static const char *const cov_sql[2][2] = {
    {COV_FIGURES("euclid") "FROM coverage WHERE division_code = ?1",
     COV_FIGURES("network") "FROM coverage WHERE division_code = ?1"},
    /* a keyed layer (keyed.c): its rows by the village's code number,
     * not the view, whose division_code is looked up row by row */
    {COV_FIGURES("euclid") "FROM coverage_rows WHERE division_code IN "
                           "(SELECT code FROM coverage_codes WHERE text = ?1)",
     COV_FIGURES("network") "FROM coverage_rows WHERE division_code IN "
                            "(SELECT code FROM coverage_codes WHERE text = "
                            "?1)"}};

/* The village's row of the latest period in layer rankings, with the
 * number of units ranked beside it. */
static const char rank_sql[] =
    "SELECT r.period, r.score, r.rank_within, COALESCE(r.tier, ''), "
    "       r.previous_rank, r.rank_change, "
    "       (SELECT COUNT(*) FROM rankings o WHERE o.period = r.period "
    "           AND o.level = r.level AND o.rank_within IS NOT NULL "
    "           AND COALESCE(o.within_code, '') = "
    "               COALESCE(r.within_code, '')) "
    "  FROM rankings r WHERE r.unit_code = ?1 AND r.rank_within IS NOT NULL "
    " ORDER BY r.period DESC LIMIT 1";

/* Run one-row query \p sql for \p code; \return SG_OK with *row 1 and
 * \p st positioned on the row (caller finalizes), or *row 0. */
static sg_status one_row(sg_ctx *ctx, sg_store *store, const char *sql,
                         const char *code, sqlite3_stmt **st, int *row,
                         const char *what)
{
    *row = 0;
    sg_status s = prepare(ctx, store, sql, st, what);
    if (s)
        return s;
    sqlite3_bind_text(*st, 1, code, -1, SQLITE_STATIC);
    int rc = sqlite3_step(*st);
    *row = rc == SQLITE_ROW;
    return finish_rc(ctx, store, SG_OK, rc, what);
}

sg_status sg__store_sheet_figures(sg_ctx *ctx, sg_store *store,
                                  const char *code, int network,
                                  sg__sheet_figures *f)
{
    SG_PG_DISPATCH(store, sg__pg_sheet_figures(ctx, store, code, network, f));
    memset(f, 0, sizeof *f);
    sqlite3_stmt *st = NULL;
    int row;
    sg_status s = SG_OK;
    if (sg__store_has_layer(store, "coverage")) {
        int keyed = sg__store_is_keyed(store, "coverage");
        s = one_row(ctx, store, cov_sql[keyed][network != 0], code, &st, &row,
                    "reading coverage");
        if (s == SG_OK && row && sqlite3_column_int64(st, 0) > 0) {
            f->have_coverage = 1;
            f->households = sqlite3_column_int64(st, 0);
            f->residents = (long long)sqlite3_column_double(st, 1);
            f->beyond = (long long)sqlite3_column_double(st, 2);
            f->residents_beyond = (long long)sqlite3_column_double(st, 3);
        }
        sqlite3_finalize(st);
        st = NULL;
    }
    if (s == SG_OK && f->have_coverage &&
        sg__store_has_layer(store, "blind_spots")) {
        s = one_row(ctx, store,
                    "SELECT COUNT(*) FROM blind_spots WHERE division_code = ?1",
                    code, &st, &row, "reading blind spots");
        if (s == SG_OK && row)
            f->blind_spots = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
        st = NULL;
    }
    if (s == SG_OK && sg__store_has_layer(store, "staffing")) {
        s = one_row(ctx, store,
                    "SELECT required, current, shortfall FROM staffing "
                    " WHERE division_code = ?1",
                    code, &st, &row, "reading staffing");
        if (s == SG_OK && row) {
            f->have_staffing = 1;
            f->required = sqlite3_column_int64(st, 0);
            f->current = sqlite3_column_int64(st, 1);
            f->shortfall = sqlite3_column_int64(st, 2);
        }
        sqlite3_finalize(st);
        st = NULL;
    }
    if (s == SG_OK && sg__store_has_layer(store, "rankings")) {
        s = one_row(ctx, store, rank_sql, code, &st, &row, "reading rankings");
        if (s == SG_OK && row) {
            f->have_rank = 1;
            snprintf(f->period, sizeof f->period, "%s",
                     col_text(st, 0) ? col_text(st, 0) : "");
            f->score = sqlite3_column_double(st, 1);
            f->rank = sqlite3_column_int64(st, 2);
            snprintf(f->tier, sizeof f->tier, "%s",
                     col_text(st, 3) ? col_text(st, 3) : "");
            f->have_change = sqlite3_column_type(st, 5) != SQLITE_NULL;
            f->previous_rank = sqlite3_column_int64(st, 4);
            f->rank_change = sqlite3_column_int64(st, 5);
            f->ranked = sqlite3_column_int64(st, 6);
        }
        sqlite3_finalize(st);
    }
    return s;
}
