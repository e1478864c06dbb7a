/* The read paths of render, report and sheets on PostgreSQL (issue 21):
 * the twins of webmap_sql.c (the report's interactive map), conclusion_sql.c
 * (the report's conclusion), history_sql.c (the report's score history)
 * and sheets_sql.c (the village sheets), with the same contracts (see
 * their headers). The SQL is the SpatiaLite SQL in PostgreSQL's dialect:
 * TOTAL(x) is COALESCE(SUM(x), 0), MAX(a, b) is GREATEST, a comparison
 * summed is a CASE, text sorts COLLATE "C" (SQLite's BINARY order, so
 * both backends list the same rows in the same order), PostGIS's ST_*
 * names. Small answers are read whole (sg__pg_query); the households of
 * the map go through a server-side cursor.
 * Not for: drawing, pages, sentences (src/render).
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ctx_int.h"
#include "store/conclusion_sql_int.h"
#include "store/history_sql_int.h"
#include "store/pg_read_int.h"
#include "store/sheets_sql_int.h"
#include "store/webmap_query_int.h"
#include "store/webmap_sql_int.h"

/* ---- reading a whole answer ---------------------------------------------- */

/* Cell (\p r, \p c) of \p res as text, NULL when NULL. */
static const char *txt(const PGresult *res, int r, int c)
{
    return PQgetisnull(res, r, c) ? NULL : PQgetvalue(res, r, c);
}

/* ... as a number (booleans 1/0, NULL 0). */
static double dbl(const PGresult *res, int r, int c)
{
    const char *s = txt(res, r, c);
    if (!s)
        return 0;
    if (s[0] == 't' && !s[1])
        return 1;
    if (s[0] == 'f' && !s[1])
        return 0;
    return strtod(s, NULL);
}

static long long i64(const PGresult *res, int r, int c)
{
    return (long long)dbl(res, r, c);
}

/* ---- the report's map (webmap_sql_int.h) ----------------------------------
 */

/* \p in (GeoJSON) with every number outside a string printed as
 * SpatiaLite's AsGeoJSON(..., 6) prints it: "%.6f" (correctly rounded),
 * trailing zeros and a trailing point dropped, "-0" as "0". PostGIS
 * rounds its 6th decimal otherwise (about one coordinate in ten ends one
 * unit lower), which would make the report's map differ between the
 * backends. \return a string the caller frees, or NULL when out of
 * memory. */
static char *geojson6(const char *in)
{
    size_t cap = strlen(in) + 64, len = 0;
    char *out = malloc(cap);
    int quoted = 0;
    for (const char *p = in; out && *p;) {
        if (len + 40 > cap) {
            cap *= 2;
            char *n = realloc(out, cap);
            if (!n) {
                free(out);
                return NULL;
            }
            out = n;
        }
        if (quoted || !(*p == '-' || (*p >= '0' && *p <= '9'))) {
            if (*p == '"' && (p == in || p[-1] != '\\'))
                quoted = !quoted;
            out[len++] = *p++;
            continue;
        }
        char *end = NULL;
        double v = strtod(p, &end);
        if (end == p) {
            out[len++] = *p++;
            continue;
        }
        p = end;
        char num[40];
        snprintf(num, sizeof num, "%.6f", v);
        char *dot = strchr(num, '.');
        if (dot) {
            char *z = num + strlen(num) - 1;
            while (z > dot && *z == '0')
                *z-- = '\0';
            if (z == dot)
                *z = '\0';
        }
        if (!strcmp(num, "-0"))
            snprintf(num, sizeof num, "0");
        size_t n = strlen(num);
        memcpy(out + len, num, n);
        len += n;
    }
    if (out)
        out[len] = '\0';
    return out;
}

/* Run \p sql (geometry in column 0, then \p nvals values) and hand each
 * row to \p fn. */
static sg_status each(sg_ctx *ctx, sg_store *store, const char *sql,
                      int nparams, const char *const *params, int nvals,
                      const char *what, sg__webmap_fn fn, void *user)
{
    PGresult *res = sg__pg_query(ctx, store, what, sql, nparams, params);
    if (!res)
        return sg_ctx_status(ctx);
    const char *vals[16];
    sg_status s = SG_OK;
    for (int i = 0; s == SG_OK && i < PQntuples(res); i++) {
        const char *g = txt(res, i, 0);
        if (!g)
            continue;
        for (int k = 0; k < nvals && k < 16; k++)
            vals[k] = txt(res, i, k + 1);
        char *g6 = geojson6(g);
        s = g6 ? fn(g6, vals, nvals, user)
               : sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        free(g6);
    }
    PQclear(res);
    return s;
}

/* PostGIS's spelling of the map's queries: the GeoJSON at full precision
 * (each() writes its numbers with 6 decimals as SpatiaLite's AsGeoJSON
 * does, geojson6); round() on numeric, then back
 * to double precision (the shortest text of the double, as SQLite prints
 * its round()); text ordered by bytes, as SQLite orders it. */
static const sg__webmap_dialect postgis = {
    "ST_AsGeoJSON(ST_Transform(%s, 4326), 15)", "ST_SimplifyPreserveTopology",
    "round((%s)::numeric, %d)::float8", " COLLATE \"C\""};

sg_status sg__pg_webmap_villages(sg_ctx *ctx, sg_store *store, sg__webmap_fn fn,
                                 void *user)
{
    char sql[2048];
    if (!sg__webmap_villages_sql(store, &postgis, sql, sizeof sql))
        return SG_OK;
    return each(ctx, store, sql, 0, NULL, SG__WV_N,
                "reading villages for the map", fn, user);
}

sg_status sg__pg_webmap_grids(sg_ctx *ctx, sg_store *store, sg__webmap_fn fn,
                              void *user)
{
    if (!sg__store_has_layer(store, "grids"))
        return SG_OK;
    char sql[512];
    sg__webmap_grids_sql(&postgis, sql, sizeof sql);
    return each(ctx, store, sql, 0, NULL, SG__WG_N, "reading grids for the map",
                fn, user);
}

sg_status sg__pg_webmap_points(sg_ctx *ctx, sg_store *store, sg__webmap_fn fn,
                               void *user)
{
    if (!sg__store_has_layer(store, "points"))
        return SG_OK;
    char sql[512];
    sg__webmap_points_sql(&postgis, sql, sizeof sql);
    return each(ctx, store, sql, 0, NULL, SG__WG_N,
                "reading collection points for the map", fn, user);
}

typedef struct xy_scan {
    sg__webmap_xy_fn fn;
    void *user;
} xy_scan;

static sg_status xy_row(sg__row *row, void *user)
{
    xy_scan *x = user;
    if (sg__row_is_null(row, 0))
        return SG_OK; /* not a point */
    return x->fn(sg__row_double(row, 0), sg__row_double(row, 1),
                 sg__row_double(row, 2), x->user);
}

sg_status sg__pg_webmap_households(sg_ctx *ctx, sg_store *store,
                                   sg__webmap_xy_fn fn, void *user)
{
    if (!sg__store_has_layer(store, "households"))
        return SG_OK;
    xy_scan x = {fn, user};
    return sg__pg_foreach(
        ctx, store, "reading households",
        "SELECT CASE WHEN GeometryType(geom) = 'POINT' THEN ST_X(geom) END, "
        "ST_Y(geom), COALESCE(resident_population, 0) FROM households "
        "WHERE geom IS NOT NULL",
        NULL, xy_row, &x);
}

sg_status sg__pg_webmap_wkt(sg_ctx *ctx, sg_store *store,
                            const char *const *wkt, size_t n, sg__webmap_fn fn,
                            void *user)
{
    char srid[16], geom[128], sql[160];
    snprintf(srid, sizeof srid, "%d", sg_store_srid(store));
    snprintf(geom, sizeof geom, postgis.geojson,
             "ST_GeomFromText($1, $2::integer)");
    snprintf(sql, sizeof sql, "SELECT %s", geom);
    sg_status s = SG_OK;
    for (size_t i = 0; s == SG_OK && i < n; i++) {
        const char *p[2] = {wkt[i], srid};
        PGresult *res =
            sg__pg_query(ctx, store, "transforming map cells", sql, 2, p);
        if (!res)
            return sg_ctx_status(ctx);
        const char *g = PQntuples(res) ? txt(res, 0, 0) : NULL;
        char *g6 = g ? geojson6(g) : NULL;
        if (g && !g6)
            s = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        else if (g6) {
            char idx[32];
            snprintf(idx, sizeof idx, "%zu", i);
            const char *v[1] = {idx};
            s = fn(g6, v, 1, user);
        }
        free(g6);
        PQclear(res);
    }
    return s;
}

/* ---- the report's conclusion (conclusion_sql_int.h) ------------------------
 */

/* Run \p sql and hand the whole answer to \p fn. */
static sg_status answer(sg_ctx *ctx, sg_store *store, const char *sql,
                        int nparams, const char *const *params,
                        const char *what, void (*fn)(const PGresult *, void *),
                        void *user)
{
    PGresult *res = sg__pg_query(ctx, store, what, sql, nparams, params);
    if (!res)
        return sg_ctx_status(ctx);
    fn(res, user);
    PQclear(res);
    return SG_OK;
}

static void item_of(const PGresult *res, int r, sg__concl_item *it)
{
    const char *t = txt(res, r, 0);
    snprintf(it->name, sizeof it->name, "%s", t ? t : "");
    it->value = dbl(res, r, 1);
}

static void cov_total(const PGresult *res, void *u)
{
    sg__conclusion *c = u;
    if (!PQntuples(res))
        return;
    c->households = i64(res, 0, 0);
    c->beyond = i64(res, 0, 1);
    c->residents = i64(res, 0, 2);
    c->residents_beyond = i64(res, 0, 3);
    c->have_coverage = c->households > 0;
}
static void cov_worst(const PGresult *res, void *u)
{
    sg__conclusion *c = u;
    for (int i = 0; i < PQntuples(res); i++)
        if (c->nworst < SG__CONCL_TOP && dbl(res, i, 1) > 0)
            item_of(res, i, &c->worst[c->nworst++]);
}
static void staff_total(const PGresult *res, void *u)
{
    sg__conclusion *c = u;
    if (!PQntuples(res))
        return;
    c->villages = i64(res, 0, 0);
    c->villages_short = i64(res, 0, 1);
    c->required = i64(res, 0, 2);
    c->current = i64(res, 0, 3);
    c->shortfall = i64(res, 0, 4);
    c->have_staffing = c->villages > 0;
}
static void staff_most(const PGresult *res, void *u)
{
    sg__conclusion *c = u;
    for (int i = 0; i < PQntuples(res) && c->nshort < SG__CONCL_TOP; i++)
        item_of(res, i, &c->short_most[c->nshort++]);
}
static void rank_period(const PGresult *res, void *u)
{
    sg__conclusion *c = u;
    for (int i = 0; i < PQntuples(res); i++) {
        const char *p = txt(res, i, 0);
        if (!p)
            continue;
        snprintf(c->period, sizeof c->period, "%s", p);
        c->ranked = i64(res, i, 1);
        c->compared = i64(res, i, 2);
        c->risers = i64(res, i, 3);
        c->fallers = i64(res, i, 4);
        c->have_rank = c->ranked > 0;
    }
}
static void rank_list(const PGresult *res, void *u)
{
    sg__conclusion *c = u;
    for (int i = 0; i < PQntuples(res); i++) {
        const char *tier = txt(res, i, 2);
        if (tier && !strcmp(tier, "red") && c->nred < SG__CONCL_LIST)
            item_of(res, i, &c->red[c->nred++]);
        else if (tier && !strcmp(tier, "black") && c->nblack < SG__CONCL_LIST)
            item_of(res, i, &c->black[c->nblack++]);
    }
}
static void rank_riser(const PGresult *res, void *u)
{
    if (PQntuples(res))
        item_of(res, 0, &((sg__conclusion *)u)->best_riser);
}
static void issues(const PGresult *res, void *u)
{
    sg__conclusion *c = u;
    c->have_issues = 1;
    for (int i = 0; i < PQntuples(res); i++)
        sg__conclusion_issue(c, txt(res, i, 0), i64(res, i, 1));
}

#define LATEST "(SELECT MAX(period) FROM rankings)"
#define ZERO(col) "(CASE WHEN " col " = 0 THEN 1 ELSE 0 END)"
#define WHAT "reading the conclusion"

sg_status sg__pg_conclusion(sg_ctx *ctx, sg_store *store, int network,
                            sg__conclusion *c)
{
    memset(c, 0, sizeof *c);
    sg_status st = SG_OK;
    if (sg__store_has_layer(store, "coverage")) {
        st = answer(ctx, store,
                    network ? "SELECT COUNT(*), COALESCE(SUM(" ZERO(
                                  "covered_network") "), 0), "
                                                     "COALESCE(SUM(resident_"
                                                     "population), 0), "
                                                     "COALESCE(SUM(CASE WHEN "
                                                     "covered_network = 0 "
                                                     "THEN resident_population "
                                                     "END), 0) FROM coverage"
                            : "SELECT COUNT(*), COALESCE(SUM(" ZERO(
                                  "covered_euclid") "), 0), "
                                                    "COALESCE(SUM(resident_"
                                                    "population), 0), "
                                                    "COALESCE(SUM(CASE WHEN "
                                                    "covered_euclid = 0 "
                                                    "THEN resident_population "
                                                    "END), 0) FROM coverage",
                    0, NULL, WHAT, cov_total, c);
        if (st == SG_OK)
            st = answer(
                ctx, store,
                network
                    ? "SELECT COALESCE(d.name, c.division_code) AS n, "
                      "AVG(" ZERO(
                          "c.covered_network") "::float8) AS s "
                                               "FROM coverage c JOIN divisions "
                                               "d "
                                               "ON d.division_code = "
                                               "c.division_code "
                                               "GROUP BY c.division_code, "
                                               "d.name "
                                               "ORDER BY s DESC, "
                                               "COALESCE(d.name, "
                                               "c.division_code) "
                                               "COLLATE \"C\" LIMIT 3"
                    : "SELECT COALESCE(d.name, c.division_code) AS n, "
                      "AVG(" ZERO("c.covered_euclid") "::float8) AS s "
                                                      "FROM coverage c JOIN "
                                                      "divisions d "
                                                      "ON d.division_code = "
                                                      "c.division_code "
                                                      "GROUP BY "
                                                      "c.division_code, d.name "
                                                      "ORDER BY s DESC, "
                                                      "COALESCE(d.name, "
                                                      "c.division_code) "
                                                      "COLLATE \"C\" LIMIT 3",
                0, NULL, WHAT, cov_worst, c);
    }
    if (st == SG_OK && sg__store_has_layer(store, "staffing")) {
        st = answer(ctx, store,
                    "SELECT COUNT(*), COALESCE(SUM(CASE WHEN shortfall > 0 "
                    "THEN 1 ELSE 0 END), 0), COALESCE(SUM(required), 0), "
                    "COALESCE(SUM(current), 0), "
                    "COALESCE(SUM(GREATEST(shortfall, 0)), 0) FROM staffing",
                    0, NULL, WHAT, staff_total, c);
        if (st == SG_OK)
            st = answer(ctx, store,
                        "SELECT COALESCE(name, division_code) AS n, shortfall "
                        "FROM staffing WHERE shortfall > 0 "
                        "ORDER BY shortfall DESC, "
                        "COALESCE(name, division_code) COLLATE \"C\" LIMIT 3",
                        0, NULL, WHAT, staff_most, c);
    }
    if (st == SG_OK && sg__store_has_layer(store, "rankings")) {
        st = answer(ctx, store,
                    "SELECT period, COUNT(rank_within), COUNT(rank_change), "
                    "COALESCE(SUM(CASE WHEN rank_change > 0 THEN 1 ELSE 0 "
                    "END), 0), COALESCE(SUM(CASE WHEN rank_change < 0 THEN 1 "
                    "ELSE 0 END), 0) FROM rankings "
                    "WHERE period = " LATEST " GROUP BY period",
                    0, NULL, WHAT, rank_period, c);
        if (st == SG_OK)
            st = answer(ctx, store,
                        "SELECT COALESCE(name, unit_code) AS n, score, tier "
                        "FROM rankings WHERE period = " LATEST
                        " AND tier IN ('red', 'black') "
                        "ORDER BY rank_within, "
                        "COALESCE(name, unit_code) COLLATE \"C\"",
                        0, NULL, WHAT, rank_list, c);
        if (st == SG_OK)
            st = answer(ctx, store,
                        "SELECT COALESCE(name, unit_code) AS n, rank_change "
                        "FROM rankings WHERE period = " LATEST
                        " AND rank_change > 0 "
                        "ORDER BY rank_change DESC, "
                        "COALESCE(name, unit_code) COLLATE \"C\" LIMIT 1",
                        0, NULL, WHAT, rank_riser, c);
    }
    if (st == SG_OK && sg__store_has_layer(store, "grid_issues"))
        st = answer(ctx, store,
                    "SELECT kind, COUNT(*) FROM grid_issues GROUP BY kind", 0,
                    NULL, WHAT, issues, c);
    return st;
}

/* ---- the report's score history (history_sql_int.h) ------------------------
 */

/* tree(unit, code) as in history_sql.c; PostgreSQL takes one recursive
 * term, so divisions and grids are joined as one set of (code, parent)
 * pairs. $1 = scale, $2 = points per finding without a deduction. */
static const char scores_sql[] =
    "WITH RECURSIVE kids(code, p1, p2) AS ("
    "  SELECT division_code, parent_code, NULL::text FROM divisions"
    "  UNION ALL"
    "  SELECT grid_code, division_code, parent_code FROM grids"
    "), tree(unit, code) AS ("
    "  SELECT unit_code, unit_code FROM rankings"
    "  UNION"
    "  SELECT t.unit, k.code FROM kids k"
    "    JOIN tree t ON k.p1 = t.code OR k.p2 = t.code"
    "), insp(unit_code, date, score) AS ("
    "  SELECT unit_code, date, score FROM inspections"
    "   WHERE score IS NOT NULL AND deduction IS NULL"
    "  UNION ALL"
    "  SELECT unit_code, date, GREATEST(0.0, $1::float8 - "
    "         COALESCE(SUM(COALESCE(deduction, $2::float8)), 0))"
    "    FROM inspections"
    "   WHERE score IS NULL AND (deduction IS NOT NULL OR item IS NOT NULL)"
    "   GROUP BY unit_code, date"
    ") "
    "SELECT t.unit, i.date, i.score FROM insp i JOIN tree t"
    "    ON i.unit_code = t.code "
    " ORDER BY t.unit COLLATE \"C\", i.date COLLATE \"C\"";

sg_status sg__pg_rank_history(sg_ctx *ctx, sg_store *store, double scale,
                              double per_finding, sg__hist_unit_fn unit_fn,
                              sg__hist_score_fn score_fn, void *user)
{
    if (!sg__store_has_layer(store, "rankings"))
        return SG_OK;
    sg_status s = SG_OK;
    if (unit_fn) {
        PGresult *res = sg__pg_query(
            ctx, store, "reading layer rankings",
            "SELECT unit_code, name, rank_within, within_code, period "
            "  FROM rankings ORDER BY rank_within IS NULL, rank_within, "
            "unit_code COLLATE \"C\"",
            0, NULL);
        if (!res)
            return sg_ctx_status(ctx);
        for (int i = 0; s == SG_OK && i < PQntuples(res); i++) {
            const char *code = txt(res, i, 0);
            if (!code)
                continue;
            s = unit_fn(code, txt(res, i, 1), i64(res, i, 2), txt(res, i, 3),
                        txt(res, i, 4), user);
        }
        PQclear(res);
    }
    if (s || !score_fn || !sg__store_has_layer(store, "divisions") ||
        !sg__store_has_layer(store, "grids"))
        return s;
    char a[32], b[32];
    snprintf(a, sizeof a, "%.17g", scale);
    snprintf(b, sizeof b, "%.17g", per_finding);
    const char *p[2] = {a, b};
    PGresult *res =
        sg__pg_query(ctx, store, "reading inspections", scores_sql, 2, p);
    if (!res)
        return sg_ctx_status(ctx);
    for (int i = 0; s == SG_OK && i < PQntuples(res); i++) {
        const char *unit = txt(res, i, 0), *date = txt(res, i, 1);
        if (!unit || !date || !txt(res, i, 2))
            continue;
        s = score_fn(unit, date, dbl(res, i, 2), user);
    }
    PQclear(res);
    return s;
}

/* ---- the village sheets (sheets_sql_int.h) ---------------------------------
 */

sg_status sg__pg_sheet_villages(sg_ctx *ctx, sg_store *store, const char *code,
                                sg__sheet_village_fn fn, void *user)
{
    const char *p[1] = {code};
    PGresult *res = sg__pg_query(
        ctx, store, "reading divisions",
        "SELECT d.division_code, d.name, p.name FROM divisions d "
        "  LEFT JOIN divisions p ON p.division_code = d.parent_code "
        " WHERE d.geom IS NOT NULL "
        "   AND ($1::text IS NULL AND d.level = 'admin_village' "
        "        OR d.division_code = $1::text) "
        " ORDER BY d.division_code COLLATE \"C\"",
        1, p);
    if (!res)
        return sg_ctx_status(ctx);
    sg_status s = SG_OK;
    for (int i = 0; s == SG_OK && i < PQntuples(res); i++)
        s = fn(txt(res, i, 0), txt(res, i, 1), txt(res, i, 2), user);
    PQclear(res);
    return s;
}

static const char cleaners_work_sql[] =
    "WITH w AS (SELECT cleaner_id, status, road_km, households, residents "
    "             FROM workloads WHERE division_code = $1), "
    "     a AS (SELECT cleaner_id, MAX(color_class) AS cc "
    "             FROM service_areas WHERE division_code = $1 "
    "            GROUP BY cleaner_id) "
    "SELECT * FROM ( "
    "SELECT c.cleaner_id AS id, c.name, 0 AS planned, w.road_km, "
    "       w.households, w.residents, a.cc "
    "  FROM cleaners c LEFT JOIN w ON w.cleaner_id = c.cleaner_id "
    "  LEFT JOIN a ON a.cleaner_id = c.cleaner_id "
    " WHERE c.division_code = $1 "
    "UNION ALL "
    "SELECT w.cleaner_id, NULL, 1, w.road_km, w.households, w.residents, "
    "       a.cc "
    "  FROM w LEFT JOIN a ON a.cleaner_id = w.cleaner_id "
    " WHERE w.cleaner_id NOT IN (SELECT cleaner_id FROM cleaners "
    "                             WHERE division_code = $1) "
    ") u ORDER BY planned, length(id), id COLLATE \"C\"";

static const char cleaners_plain_sql[] =
    "SELECT c.cleaner_id, c.name, 0, "
    "       (SELECT COALESCE(SUM(ST_Length(r.geom)), 0) / 1000.0 FROM roads r "
    "         WHERE r.cleaner_id = c.cleaner_id), "
    "       (SELECT COUNT(*) FROM households h "
    "         WHERE h.cleaner_id = c.cleaner_id), "
    "       (SELECT COALESCE(SUM(h.resident_population), 0) FROM households h "
    "         WHERE h.cleaner_id = c.cleaner_id), NULL "
    "  FROM cleaners c WHERE c.division_code = $1 "
    " ORDER BY length(c.cleaner_id), c.cleaner_id COLLATE \"C\"";

sg_status sg__pg_sheet_cleaners(sg_ctx *ctx, sg_store *store, const char *code,
                                int personal, sg__sheet_cleaner_fn fn,
                                void *user)
{
    if (!sg__store_has_layer(store, "cleaners"))
        return SG_OK;
    int work = sg__store_has_layer(store, "workloads") &&
               sg__store_has_layer(store, "service_areas");
    const char *p[1] = {code};
    PGresult *res =
        sg__pg_query(ctx, store, "reading cleaners",
                     work ? cleaners_work_sql : cleaners_plain_sql, 1, p);
    if (!res)
        return sg_ctx_status(ctx);
    sg_status s = SG_OK;
    for (int i = 0; s == SG_OK && i < PQntuples(res); i++) {
        sg__sheet_cleaner_row r = {0};
        r.cleaner_id = txt(res, i, 0);
        if (!r.cleaner_id)
            continue;
        r.name = personal ? txt(res, i, 1) : NULL;
        r.planned = (int)i64(res, i, 2);
        r.have_work = txt(res, i, 3) != NULL;
        r.road_km = dbl(res, i, 3);
        r.households = i64(res, i, 4);
        r.residents = i64(res, i, 5);
        r.color_class = txt(res, i, 6) ? (int)i64(res, i, 6) : -1;
        s = fn(&r, user);
    }
    PQclear(res);
    return s;
}

sg_status sg__pg_sheet_cleaner_roads(sg_ctx *ctx, sg_store *store,
                                     const char *code, const char *cleaner_id,
                                     sg__sheet_road_fn fn, void *user)
{
    int alloc = sg__store_has_layer(store, "cleaner_roads");
    if (!alloc && !sg__store_has_layer(store, "roads"))
        return SG_OK;
    const char *p[2] = {alloc ? code : cleaner_id, cleaner_id};
    PGresult *res = sg__pg_query(
        ctx, store, "reading a cleaner's roads",
        alloc
            ? "SELECT COALESCE(r.name, '') AS n, "
              "COALESCE(SUM(cr.length_m), 0) / 1000.0 AS km "
              "  FROM cleaner_roads cr LEFT JOIN roads r "
              "    ON r.road_id = cr.road_id "
              " WHERE cr.division_code = $1 AND cr.cleaner_id = $2 "
              " GROUP BY 1 ORDER BY km DESC, "
              "COALESCE(r.name, '') COLLATE \"C\""
            : "SELECT COALESCE(name, '') AS n, "
              "COALESCE(SUM(ST_Length(geom)), 0) / 1000.0 AS km "
              "  FROM roads WHERE cleaner_id = $1 "
              " GROUP BY 1 ORDER BY km DESC, COALESCE(name, '') COLLATE \"C\"",
        alloc ? 2 : 1, p);
    if (!res)
        return sg_ctx_status(ctx);
    sg_status s = SG_OK;
    for (int i = 0; s == SG_OK && i < PQntuples(res); i++)
        s = fn(txt(res, i, 0) ? txt(res, i, 0) : "", dbl(res, i, 1), user);
    PQclear(res);
    return s;
}

sg_status sg__pg_sheet_cleaner_grids(sg_ctx *ctx, sg_store *store,
                                     const char *code, const char *cleaner_id,
                                     sg__sheet_code_fn fn, void *user)
{
    if (!sg__store_has_layer(store, "coverage"))
        return SG_OK;
    int alloc = sg__store_has_layer(store, "cleaner_households");
    const char *p[2] = {alloc ? code : cleaner_id, cleaner_id};
    PGresult *res = sg__pg_query(
        ctx, store, "reading a cleaner's grids",
        alloc ? "SELECT DISTINCT cv.grid_code COLLATE \"C\" AS g "
                "  FROM cleaner_households ch "
                "  JOIN coverage cv ON cv.household_id = ch.household_id "
                " WHERE ch.division_code = $1 AND ch.cleaner_id = $2 "
                "   AND cv.grid_code IS NOT NULL ORDER BY 1"
              : "SELECT DISTINCT cv.grid_code COLLATE \"C\" AS g "
                "  FROM households h "
                "  JOIN coverage cv ON cv.household_id = h.household_id "
                " WHERE h.cleaner_id = $1 AND cv.grid_code IS NOT NULL "
                " ORDER BY 1",
        alloc ? 2 : 1, p);
    if (!res)
        return sg_ctx_status(ctx);
    sg_status s = SG_OK;
    for (int i = 0; s == SG_OK && i < PQntuples(res); i++)
        if (txt(res, i, 0))
            s = fn(txt(res, i, 0), user);
    PQclear(res);
    return s;
}

sg_status sg__pg_sheet_grids(sg_ctx *ctx, sg_store *store, const char *code,
                             int personal, sg__sheet_grid_fn fn, void *user)
{
    if (!sg__store_has_layer(store, "grids"))
        return SG_OK;
    const char *p[1] = {code};
    PGresult *res = sg__pg_query(
        ctx, store, "reading grids",
        sg__store_has_layer(store, "coverage")
            ? "SELECT g.grid_code, g.name, "
              "       COALESCE(TRIM(g.grid_leader), '') <> '', g.grid_leader, "
              "       (SELECT COUNT(*) FROM coverage c "
              "         WHERE c.grid_code = g.grid_code), ST_AsBinary(g.geom) "
              "  FROM grids g WHERE g.division_code = $1 "
              " ORDER BY g.grid_code COLLATE \"C\""
            : "SELECT g.grid_code, g.name, "
              "       COALESCE(TRIM(g.grid_leader), '') <> '', g.grid_leader, "
              "       NULL, ST_AsBinary(g.geom) "
              "  FROM grids g WHERE g.division_code = $1 "
              " ORDER BY g.grid_code COLLATE \"C\"",
        1, p);
    if (!res)
        return sg_ctx_status(ctx);
    sg_status s = SG_OK;
    for (int i = 0; s == SG_OK && i < PQntuples(res); i++) {
        sg__sheet_grid_row r = {0};
        r.grid_code = txt(res, i, 0);
        if (!r.grid_code)
            continue;
        r.name = txt(res, i, 1);
        r.has_leader = (int)i64(res, i, 2);
        r.leader = personal ? txt(res, i, 3) : NULL;
        r.households = txt(res, i, 4) ? i64(res, i, 4) : -1;
        unsigned char *wkb = NULL;
        size_t len = 0;
        if (txt(res, i, 5)) {
            wkb = PQunescapeBytea((const unsigned char *)txt(res, i, 5), &len);
            if (!wkb) {
                s = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
                break;
            }
        }
        r.wkb = len ? wkb : NULL;
        r.wkb_len = len;
        s = fn(&r, user);
        PQfreemem(wkb);
    }
    PQclear(res);
    return s;
}

/* One-row figures of village $1: \return the answer (caller PQclears) or
 * NULL with the error in ctx. */
static PGresult *one(sg_ctx *ctx, sg_store *store, const char *sql,
                     const char *code, const char *what)
{
    const char *p[1] = {code};
    return sg__pg_query(ctx, store, what, sql, 1, p);
}

sg_status sg__pg_sheet_figures(sg_ctx *ctx, sg_store *store, const char *code,
                               int network, sg__sheet_figures *f)
{
    memset(f, 0, sizeof *f);
    PGresult *res;
    if (sg__store_has_layer(store, "coverage")) {
        res = one(
            ctx, store,
            network
                ? "SELECT COUNT(*), "
                  "COALESCE(SUM(resident_population), 0), "
                  "COALESCE(SUM(" ZERO(
                      "covered_network") "), 0), "
                                         "COALESCE(SUM(CASE WHEN "
                                         "covered_network = 0 "
                                         "THEN resident_population END), 0) "
                                         "FROM coverage WHERE division_code = "
                                         "$1"
                : "SELECT COUNT(*), "
                  "COALESCE(SUM(resident_population), 0), "
                  "COALESCE(SUM(" ZERO(
                      "covered_euclid") "), 0), "
                                        "COALESCE(SUM(CASE WHEN covered_euclid "
                                        "= 0 "
                                        "THEN resident_population END), 0) "
                                        "FROM coverage WHERE division_code = "
                                        "$1",
            code, "reading coverage");
        if (!res)
            return sg_ctx_status(ctx);
        if (PQntuples(res) && i64(res, 0, 0) > 0) {
            f->have_coverage = 1;
            f->households = i64(res, 0, 0);
            f->residents = i64(res, 0, 1);
            f->beyond = i64(res, 0, 2);
            f->residents_beyond = i64(res, 0, 3);
        }
        PQclear(res);
    }
    if (f->have_coverage && sg__store_has_layer(store, "blind_spots")) {
        res = one(ctx, store,
                  "SELECT COUNT(*) FROM blind_spots WHERE division_code = $1",
                  code, "reading blind spots");
        if (!res)
            return sg_ctx_status(ctx);
        if (PQntuples(res))
            f->blind_spots = i64(res, 0, 0);
        PQclear(res);
    }
    if (sg__store_has_layer(store, "staffing")) {
        res = one(ctx, store,
                  "SELECT required, current, shortfall FROM staffing "
                  " WHERE division_code = $1",
                  code, "reading staffing");
        if (!res)
            return sg_ctx_status(ctx);
        if (PQntuples(res)) {
            f->have_staffing = 1;
            f->required = i64(res, 0, 0);
            f->current = i64(res, 0, 1);
            f->shortfall = i64(res, 0, 2);
        }
        PQclear(res);
    }
    if (sg__store_has_layer(store, "rankings")) {
        res = one(ctx, store,
                  "SELECT r.period, r.score, r.rank_within, "
                  "       COALESCE(r.tier, ''), r.previous_rank, "
                  "       r.rank_change, "
                  "       (SELECT COUNT(*) FROM rankings o "
                  "         WHERE o.period = r.period AND o.level = r.level "
                  "           AND o.rank_within IS NOT NULL "
                  "           AND COALESCE(o.within_code, '') = "
                  "               COALESCE(r.within_code, '')) "
                  "  FROM rankings r WHERE r.unit_code = $1 "
                  "   AND r.rank_within IS NOT NULL "
                  " ORDER BY r.period COLLATE \"C\" DESC LIMIT 1",
                  code, "reading rankings");
        if (!res)
            return sg_ctx_status(ctx);
        if (PQntuples(res)) {
            f->have_rank = 1;
            snprintf(f->period, sizeof f->period, "%s",
                     txt(res, 0, 0) ? txt(res, 0, 0) : "");
            f->score = dbl(res, 0, 1);
            f->rank = i64(res, 0, 2);
            snprintf(f->tier, sizeof f->tier, "%s",
                     txt(res, 0, 3) ? txt(res, 0, 3) : "");
            f->have_change = txt(res, 0, 5) != NULL;
            f->previous_rank = i64(res, 0, 4);
            f->rank_change = i64(res, 0, 5);
            f->ranked = i64(res, 0, 6);
        }
        PQclear(res);
    }
    return SG_OK;
}
