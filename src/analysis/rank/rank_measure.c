/* The measured indicators of a ranking (formulas in sanigrid/rank.h):
 * coverage from layer coverage, toilets from the households, staffing
 * from layer staffing, grid from layers grid_gaps / grid_overlaps and the
 * grids without a leader. Households and areas count for every unit whose
 * polygon contains (or covers) them, like coverage_stats does; a point on
 * the shared edge of two units counts for both.
 * Not for: inspections (rank_units.c), scores and ranks (rank.c), SQL.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/rank/rank_int.h"
#include "geom/geos_int.h"
#include "store/rank_sql_int.h"

/* Call back for each unit whose polygon intersects \p g (points: contains
 * or has it on its edge): \p fn(k, unit, g, user). */
typedef sg_status (*unit_fn)(sg__ranker *k, size_t u, const GEOSGeometry *g,
                             const GEOSPreparedGeometry *prep, void *user);

/* Run \p fn for every unit whose polygon intersects \p g. */
static sg_status for_units_at(sg__ranker *k, const GEOSGeometry *g, unit_fn fn,
                              void *user)
{
    sg_status st = sg__geomset_query(k->ctx, &k->ugeo, g, 0, &k->cand);
    for (size_t c = 0; st == SG_OK && c < k->cand.n; c++) {
        size_t u = k->cand.v[c];
        const GEOSPreparedGeometry *prep =
            sg__geomset_prepared(k->ctx, &k->ugeo, u);
        if (!prep)
            return SG_ERR_GEOM;
        char hit = GEOSPreparedIntersects_r(k->ctx->geom, prep, g);
        if (hit == 2)
            return sg__geos_error(k->ctx, "point in unit");
        if (hit)
            st = fn(k, u, g, prep, user);
    }
    return st;
}

/* Geometry in column \p i of \p row, or NULL (no geometry; or an error,
 * then *st is set). Caller owns. */
static GEOSGeometry *row_geometry(sg__ranker *k, sg__row *row, int i,
                                  sg_status *st)
{
    const void *blob = sg__row_blob(row, i);
    int size = (int)sg__row_bytes(row, i);
    *st = SG_OK;
    if (!blob || size <= 0)
        return NULL;
    GEOSGeometry *g = sg__geom_from_wkb(k->ctx, blob, (size_t)size);
    if (!g)
        *st = SG_ERR_GEOM;
    return g;
}

/* ---- coverage and toilets ------------------------------------------------ */

/* Weights of one household for one indicator. */
typedef struct hh_add {
    int ind;    /* SG_RANK_* */
    double num; /* added to the numerator */
    double den; /* added to the denominator */
} hh_add;

/* unit_fn: add a household's weights to unit \p u. */
static sg_status add_weights(sg__ranker *k, size_t u, const GEOSGeometry *g,
                             const GEOSPreparedGeometry *prep, void *user)
{
    (void)g;
    (void)prep;
    const hh_add *a = user;
    k->r->units[u].num[a->ind] += a->num;
    k->r->units[u].den[a->ind] += a->den;
    return SG_OK;
}

/* Scan callback for layer coverage: resident_population,
 * covered_network, geometry. Households weigh their residents; those
 * without residents weigh nothing; rows from a run without road
 * distances (covered_network NULL) are counted apart. */
static sg_status coverage_row(sg__row *row, void *user)
{
    sg__ranker *k = user;
    if (sg__row_is_null(row, 1)) {
        k->covered_unknown++;
        return SG_OK;
    }
    double res = sg__row_double(row, 0);
    if (!(res > 0))
        return SG_OK;
    hh_add a = {SG_RANK_COVERAGE, sg__row_int(row, 1) ? res : 0, res};
    sg_status st;
    GEOSGeometry *g = row_geometry(k, row, 2, &st);
    if (g) {
        st = for_units_at(k, g, add_weights, &a);
        GEOSGeom_destroy_r(k->ctx->geom, g);
    }
    return st;
}

/* Scan callback for households: household_toilet, geometry. Only a known
 * toilet (sanitary, unsanitary, none) counts. */
static sg_status toilet_row(sg__row *row, void *user)
{
    sg__ranker *k = user;
    const char *t = sg__row_text(row, 0);
    if (!t)
        return SG_OK;
    hh_add a = {SG_RANK_TOILETS, strcmp(t, "sanitary") == 0, 1};
    sg_status st;
    GEOSGeometry *g = row_geometry(k, row, 1, &st);
    if (g) {
        st = for_units_at(k, g, add_weights, &a);
        GEOSGeom_destroy_r(k->ctx->geom, g);
    }
    return st;
}

/* ---- staffing ------------------------------------------------------------ */

/* Scan callback for layer staffing: division_code, required, current. */
static sg_status staffing_row(sg__row *row, void *user)
{
    sg__ranker *k = user;
    const char *code = sg__row_text(row, 0);
    if (!code || sg__row_is_null(row, 1))
        return SG_OK;
    long long n = sg__rank_find_node(k, code);
    if (n < 0 || k->nodes[n].is_grid || k->nodes[n].unit < 0)
        return SG_OK;
    sg_rank_unit *u = &k->r->units[k->nodes[n].unit];
    u->num[SG_RANK_STAFFING] = sg__row_double(row, 2);
    u->den[SG_RANK_STAFFING] = sg__row_double(row, 1);
    return SG_OK;
}

/* ---- grid ---------------------------------------------------------------- */

/* unit_fn: add the area of \p g inside unit \p u to its grid numerator. */
static sg_status add_area(sg__ranker *k, size_t u, const GEOSGeometry *g,
                          const GEOSPreparedGeometry *prep, void *user)
{
    (void)user;
    GEOSContextHandle_t h = k->ctx->geom;
    double area = 0;
    char inside = GEOSPreparedContains_r(h, prep, g);
    if (inside == 2)
        return sg__geos_error(k->ctx, "area in unit");
    if (inside) {
        if (!GEOSArea_r(h, g, &area))
            return sg__geos_error(k->ctx, "area");
    } else {
        GEOSGeometry *cut =
            sg__geom_intersection(k->ctx, sg__geomset_get(&k->ugeo, u), g);
        if (!cut)
            return SG_ERR_GEOM;
        int ok = GEOSArea_r(h, cut, &area);
        GEOSGeom_destroy_r(h, cut);
        if (!ok)
            return sg__geos_error(k->ctx, "area");
    }
    k->r->units[u].num[SG_RANK_GRID] += area;
    return SG_OK;
}

/* Scan callback for grid_gaps / grid_overlaps: level, geometry; pieces
 * of the ranked grid level only. */
static sg_status piece_row(sg__row *row, void *user)
{
    sg__ranker *k = user;
    if (sg__row_int(row, 0) != k->r->grid_level)
        return SG_OK;
    sg_status st;
    GEOSGeometry *g = row_geometry(k, row, 1, &st);
    if (g) {
        st = for_units_at(k, g, add_area, NULL);
        GEOSGeom_destroy_r(k->ctx->geom, g);
    }
    return st;
}

/* Whether the last check covered grid level \p gl: its params have
 * "level":0 (every level) or "level":gl. */
static int check_covers_level(const char *params, int gl)
{
    const char *p = params ? strstr(params, "\"level\":") : NULL;
    if (!p)
        return 0;
    long v = strtol(p + 8, NULL, 10);
    return v == 0 || v == gl;
}

/* The grid indicator: gaps, overlaps and ownerless grids of the ranked
 * grid level inside each unit, against the unit's area. Missing for
 * every unit when the store has no grids or `check` has not run on the
 * level. */
static sg_status measure_grid(sg__ranker *k)
{
    sg_rank_result *r = k->r;
    char *params = NULL;
    int any_grid = 0;
    for (size_t i = 0; i < k->nnodes && !any_grid; i++)
        any_grid = k->nodes[i].is_grid;
    if (!any_grid || !sg__store_has_layer(k->store, "grid_gaps") ||
        !sg__store_has_layer(k->store, "grid_overlaps"))
        return SG_OK;
    sg_status st = sg__store_last_run(k->ctx, k->store, "check",
                                      &r->source_run[SG_RANK_GRID], &params);
    int covered = check_covers_level(params, r->grid_level);
    free(params);
    if (st || !covered) {
        if (st == SG_OK)
            sg__log(k->ctx, SG_LOG_INFO,
                    "the last check did not cover grid level %d: the grid "
                    "indicator is missing",
                    r->grid_level);
        free(r->source_run[SG_RANK_GRID]);
        r->source_run[SG_RANK_GRID] = NULL;
        return st;
    }
    GEOSContextHandle_t h = k->ctx->geom;
    for (size_t u = 0; u < r->nunits; u++) {
        const GEOSGeometry *g = sg__geomset_get(&k->ugeo, u);
        double area = 0;
        if (g && !GEOSArea_r(h, g, &area))
            return sg__geos_error(k->ctx, "unit area");
        r->units[u].den[SG_RANK_GRID] = area;
        r->units[u].num[SG_RANK_GRID] = 0;
    }
    static const char *const pcols[] = {"level"};
    st = sg__store_scan(k->ctx, k->store, "grid_gaps", pcols, 1, 1, NULL, NULL,
                        piece_row, k);
    if (st == SG_OK)
        st = sg__store_scan(k->ctx, k->store, "grid_overlaps", pcols, 1, 1,
                            NULL, NULL, piece_row, k);
    for (size_t i = 0; st == SG_OK && i < k->nnodes; i++) {
        const sg__rknode *n = &k->nodes[i];
        if (!n->is_grid || n->glevel != r->grid_level || n->has_leader ||
            !n->wkb)
            continue;
        GEOSGeometry *g = sg__geom_from_wkb(k->ctx, n->wkb, n->wkb_size);
        if (!g)
            return sg__error_prefix(k->ctx, "grid %s: ", n->code);
        st = for_units_at(k, g, add_area, NULL);
        GEOSGeom_destroy_r(h, g);
    }
    for (size_t u = 0; st == SG_OK && u < r->nunits; u++) {
        sg_rank_unit *un = &r->units[u];
        double a = un->den[SG_RANK_GRID];
        un->value[SG_RANK_GRID] =
            a > 0 ? 100.0 * fmax(0.0, 1.0 - un->num[SG_RANK_GRID] / a) : NAN;
    }
    return st;
}

/* ---- all of them --------------------------------------------------------- */

/* Set value = 100 x num / den of indicator \p ind where den > 0, else
 * NAN. */
static void shares(sg_rank_result *r, int ind)
{
    for (size_t u = 0; u < r->nunits; u++) {
        sg_rank_unit *un = &r->units[u];
        un->value[ind] =
            un->den[ind] > 0 ? 100.0 * un->num[ind] / un->den[ind] : NAN;
    }
}

sg_status sg__rank_measure(sg__ranker *k)
{
    sg_rank_result *r = k->r;
    sg_status st = SG_OK;
    for (size_t u = 0; u < r->nunits; u++)
        for (int i = 0; i < SG_RANK_NIND; i++) {
            r->units[u].value[i] = NAN;
            r->units[u].num[i] = i == SG_RANK_STAFFING ? NAN : 0;
            r->units[u].den[i] = i == SG_RANK_STAFFING ? NAN : 0;
        }
    if (sg__store_has_layer(k->store, "coverage")) {
        static const char *const ccols[] = {"resident_population",
                                            "covered_network"};
        st = sg__store_last_run(k->ctx, k->store, "coverage",
                                &r->source_run[SG_RANK_COVERAGE], NULL);
        if (st == SG_OK)
            st = sg__store_scan(k->ctx, k->store, "coverage", ccols, 2, 1, NULL,
                                NULL, coverage_row, k);
        if (st == SG_OK && k->covered_unknown)
            sg__log(k->ctx, SG_LOG_INFO,
                    "%lld coverage rows have no road distance (coverage "
                    "ran by straight line only?); they are not counted",
                    k->covered_unknown);
    }
    shares(r, SG_RANK_COVERAGE);
    static const char *const tcols[] = {"household_toilet"};
    if (st == SG_OK)
        st = sg__progress(k->ctx, 0.3, "toilets");
    if (st == SG_OK)
        st = sg__store_scan(k->ctx, k->store, "households", tcols, 1, 1, NULL,
                            NULL, toilet_row, k);
    shares(r, SG_RANK_TOILETS);
    if (st == SG_OK && sg__store_has_layer(k->store, "staffing")) {
        static const char *const scols[] = {"division_code", "required",
                                            "current"};
        st = sg__store_last_run(k->ctx, k->store, "staffing",
                                &r->source_run[SG_RANK_STAFFING], NULL);
        if (st == SG_OK)
            st = sg__store_scan(k->ctx, k->store, "staffing", scols, 3, 0, NULL,
                                NULL, staffing_row, k);
    }
    for (size_t u = 0; u < r->nunits; u++) {
        sg_rank_unit *un = &r->units[u];
        double need = un->den[SG_RANK_STAFFING];
        if (!isnan(need))
            un->value[SG_RANK_STAFFING] =
                need > 0 ? 100.0 * fmin(1.0, un->num[SG_RANK_STAFFING] / need)
                         : 100.0;
    }
    if (st == SG_OK)
        st = sg__progress(k->ctx, 0.6, "grids");
    if (st == SG_OK)
        st = measure_grid(k);
    return st;
}
