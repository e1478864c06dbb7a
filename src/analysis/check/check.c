/* sanigrid check: the topology, hierarchy and ownership of the grids
 * ("全覆盖、无盲区", "网中有格、格中有人", DOMAIN.md 1.6 and §2
 * grid.coverage_rule / grid.id_format). For each grid level it finds
 * gaps (the divisions the level's grids name, minus the grids), overlaps
 * (area inside two or more grids), slivers (either, below a size),
 * hierarchy errors, codes off the scheme, grids without a leader, and
 * households in no grid or in several; it writes layers grid_gaps and
 * grid_overlaps and table grid_issues and records the run.
 * Not for: repairing grids, SQL (src/store), printing (src/cli).
 * SPDX-License-Identifier: MIT */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analysis/check/check_int.h"
#include "analysis/common/grid_rows_int.h"
#include "geom/geos_int.h"

static double now_seconds(void);

struct sg_check_options {
    int level;        /* 1..3, or 0 for every level present */
    double sliver_m2; /* pieces smaller than this are slivers */
    double tol_m;     /* pieces thinner than this everywhere are slivers */
};

/* The defaults of the check's options: sg_check_options_new's, and
 * sg_check's for NULL options. */
static sg_check_options defaults(void)
{
    sg_check_options d = {0, 1.0, SG_CHECK_TOLERANCE_M};
    return d;
}

sg_check_options *sg_check_options_new(void)
{
    sg_check_options *o = malloc(sizeof *o);
    if (o)
        *o = defaults();
    return o;
}

void sg_check_options_free(sg_check_options *opts)
{
    free(opts);
}

/* The checks of the setters, also run by sg_check on options built
 * otherwise. */
static sg_status valid_level(sg_ctx *ctx, int level)
{
    if (level < 0 || level > 3)
        return sg__error(ctx, SG_ERR_USAGE,
                         "grid level must be 1, 2 or 3 "
                         "(or 0 for all), not %d",
                         level);
    return SG_OK;
}

static sg_status valid_sliver(sg_ctx *ctx, double m2)
{
    if (!(m2 >= 0) || !isfinite(m2))
        return sg__error(ctx, SG_ERR_USAGE,
                         "sliver size must be a number "
                         ">= 0 m², not %g",
                         m2);
    return SG_OK;
}

static sg_status valid_tolerance(sg_ctx *ctx, double m)
{
    if (!(m >= 0) || !isfinite(m) || m > 10)
        return sg__error(ctx, SG_ERR_USAGE,
                         "the width tolerance must be 0..10 m, not %g", m);
    return SG_OK;
}

sg_status sg_check_options_set_level(sg_ctx *ctx, sg_check_options *opts,
                                     int level)
{
    sg_status st = valid_level(ctx, level);
    if (st == SG_OK)
        opts->level = level;
    return st;
}

sg_status sg_check_options_set_sliver_m2(sg_ctx *ctx, sg_check_options *opts,
                                         double m2)
{
    sg_status st = valid_sliver(ctx, m2);
    if (st == SG_OK)
        opts->sliver_m2 = m2;
    return st;
}

sg_status sg_check_options_set_tolerance_m(sg_ctx *ctx, sg_check_options *opts,
                                           double m)
{
    sg_status st = valid_tolerance(ctx, m);
    if (st == SG_OK)
        opts->tol_m = m;
    return st;
}

void sg_check_result_free(sg_check_result *result)
{
    if (!result)
        return;
    free(result->levels);
    free(result);
}

/* ---- loading helpers --------------------------------------------------- */

/* qsort: code_ref by code, then fid. */
static int cmp_code_ref(const void *a, const void *b)
{
    const code_ref *x = a, *y = b;
    int c = strcmp(x->code, y->code);
    if (c)
        return c;
    return x->fid < y->fid ? -1 : x->fid > y->fid;
}

/* \return the position of the first entry of \p refs (n, sorted) with
 * \p code, or -1. */
static long find_code(const code_ref *refs, size_t n, const char *code)
{
    if (!code)
        return -1;
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(refs[mid].code, code) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && strcmp(refs[lo].code, code) == 0 ? (long)lo : -1;
}

/* The polygon geometry of WKB \p wkb (\p n bytes) made valid if needed,
 * as a new geometry (caller owns), or NULL for a NULL/empty value. \p what
 * names the row in messages. *st receives a failure. */
static GEOSGeometry *wkb_polygon(checker *c, const void *wkb, size_t n,
                                 const char *what, sg_status *st)
{
    if (!wkb || n == 0)
        return NULL;
    GEOSGeometry *g = sg__geom_from_wkb(c->ctx, wkb, n);
    if (!g) {
        *st = sg__error_prefix(c->ctx, "%s: ", what);
        return NULL;
    }
    int type = GEOSGeomTypeId_r(c->h, g);
    if (type != GEOS_POLYGON && type != GEOS_MULTIPOLYGON) {
        /* rows written by other tools: keep the polygonal parts only */
        g = sg__geom_polygonal(c->ctx, g, 0);
        if (!g) {
            *st = sg__error_prefix(c->ctx, "%s: ", what);
            return NULL;
        }
    }
    if (GEOSisValid_r(c->h, g) != 1) {
        /* imports repair geometries; rows written by other tools may not
         * be valid, and overlays need valid input */
        sg__log(c->ctx, SG_LOG_WARN, "%s: invalid geometry made valid", what);
        GEOSGeometry *v = GEOSMakeValid_r(c->h, g);
        GEOSGeom_destroy_r(c->h, g);
        g = sg__geom_polygonal(c->ctx, v, 0);
        if (!g) {
            *st = sg__error(c->ctx, SG_ERR_GEOM,
                            "%s: invalid geometry cannot be repaired", what);
            return NULL;
        }
    }
    if (GEOSisEmpty_r(c->h, g) == 1) {
        GEOSGeom_destroy_r(c->h, g);
        return NULL;
    }
    return g;
}

/* ---- loading ------------------------------------------------------------ */

/* Grid \p r (read by sg__grid_rows_read) into the checker: its strings
 * move to the grid, its geometry, repaired, to c->gset. */
static sg_status add_grid(checker *c, sg__grid_row *r)
{
    if (c->ngrids == c->capgrids) {
        size_t nc = c->capgrids ? c->capgrids * 2 : 64;
        grid *ng = realloc(c->grids, nc * sizeof *ng);
        if (!ng)
            return sg__error(c->ctx, SG_ERR_NOMEM, "out of memory");
        c->grids = ng;
        c->capgrids = nc;
    }
    grid *g = &c->grids[c->ngrids];
    memset(g, 0, sizeof *g);
    g->fid = r->fid;
    g->code = r->code ? r->code : sg__strdup(c->ctx, "");
    g->level = r->level;
    g->parent = r->parent;
    g->division = r->division;
    g->has_leader = r->has_leader;
    r->code = r->parent = r->division = NULL;
    g->parent_idx = g->div_idx = -1;
    c->ngrids++; /* counted now so that cleanup frees the strings */
    if (!g->code)
        return sg__error(c->ctx, SG_ERR_NOMEM, "out of memory");
    char what[96];
    snprintf(what, sizeof what, "grid %.40s (fid %lld)", g->code, g->fid);
    sg_status st = SG_OK;
    GEOSGeometry *geom = wkb_polygon(c, r->wkb, r->wkb_size, what, &st);
    if (st)
        return st;
    return sg__geomset_add(c->ctx, &c->gset, geom);
}

/* Read layer grids into \p c (grids and c->gset, in fid order). */
static sg_status load_grids(checker *c)
{
    sg__grid_rows rows = {0};
    sg_status st = sg__grid_rows_read(c->ctx, c->store, &rows);
    for (size_t i = 0; st == SG_OK && i < rows.n; i++)
        st = add_grid(c, &rows.v[i]);
    sg__grid_rows_free(&rows);
    return st;
}

/* sg__store_scan callback for divisions: division_code, geometry. */
static sg_status load_division_row(sg__row *row, void *user)
{
    checker *c = user;
    if (c->ndivs == c->capdivs) {
        size_t nc = c->capdivs ? c->capdivs * 2 : 64;
        char **nd = realloc(c->div_codes, nc * sizeof *nd);
        if (!nd)
            return sg__error(c->ctx, SG_ERR_NOMEM, "out of memory");
        c->div_codes = nd;
        c->capdivs = nc;
    }
    int oom = 0;
    char *code = sg__row_text_trimmed(c->ctx, row, 0, &oom);
    if (!code && !oom)
        code = sg__strdup(c->ctx, "");
    if (!code)
        return sg__error(c->ctx, SG_ERR_NOMEM, "out of memory");
    c->div_codes[c->ndivs++] = code;
    char what[96];
    snprintf(what, sizeof what, "division %.40s", code);
    sg_status st = SG_OK;
    GEOSGeometry *geom =
        wkb_polygon(c, sg__row_blob(row, 1), sg__row_bytes(row, 1), what, &st);
    if (st)
        return st;
    return sg__geomset_add(c->ctx, &c->dset, geom);
}

static sg_status keep_household(checker *c, sg__row *row, double x, double y);

/* sg__store_scan callback for households: household_id, geometry. Rows
 * without a usable point are left out (they cannot be placed). */
static sg_status load_household_row(sg__row *row, void *user)
{
    checker *c = user;
    const void *wkb = sg__row_blob(row, 1);
    int n = (int)sg__row_bytes(row, 1);
    if (!wkb || n <= 0)
        return SG_OK;
    double x = 0, y = 0;
    const unsigned char *w = wkb;
    /* a plain 2D Point (what the store holds) without a GEOS round trip */
    int plain =
        n == 21 && ((w[0] == 1 && w[1] == 1 && !w[2] && !w[3] && !w[4]) ||
                    (w[0] == 0 && !w[1] && !w[2] && !w[3] && w[4] == 1));
    if (plain) {
        if (!sg__wkb_point(wkb, (size_t)n, &x, &y))
            return SG_OK; /* empty */
        return keep_household(c, row, x, y);
    }
    GEOSGeometry *g = sg__geom_from_wkb(c->ctx, wkb, (size_t)n);
    if (!g)
        return sg__error_prefix(c->ctx, "household %.60s: ",
                                sg__row_is_null(row, 0) ? "(no id)"
                                                        : sg__row_text(row, 0));
    int ok = GEOSGeomTypeId_r(c->h, g) == GEOS_POINT &&
             GEOSisEmpty_r(c->h, g) == 0 && GEOSGeomGetX_r(c->h, g, &x) &&
             GEOSGeomGetY_r(c->h, g, &y);
    GEOSGeom_destroy_r(c->h, g);
    if (!ok)
        return SG_OK;
    return keep_household(c, row, x, y);
}

/* Append the household of \p row (its id in column 0) at (\p x, \p y). */
static sg_status keep_household(checker *c, sg__row *row, double x, double y)
{
    if (c->nhh == c->caphh) {
        size_t nc = c->caphh ? c->caphh * 2 : 256;
        household *nh = realloc(c->hh, nc * sizeof *nh);
        if (!nh)
            return sg__error(c->ctx, SG_ERR_NOMEM, "out of memory");
        c->hh = nh;
        c->caphh = nc;
    }
    int oom = 0;
    char *id = sg__row_text_trimmed(c->ctx, row, 0, &oom);
    if (!id && !oom)
        id = sg__strdup(c->ctx, "");
    if (!id)
        return sg__error(c->ctx, SG_ERR_NOMEM, "out of memory");
    c->hh[c->nhh].id = id;
    c->hh[c->nhh].x = x;
    c->hh[c->nhh].y = y;
    c->nhh++;
    return SG_OK;
}

/* Link each grid to its parent and its (effective) division. */
static sg_status link_grids(checker *c)
{
    c->grid_codes = malloc((c->ngrids ? c->ngrids : 1) * sizeof *c->grid_codes);
    c->div_sorted = malloc((c->ndivs ? c->ndivs : 1) * sizeof *c->div_sorted);
    c->div_named = calloc(c->ndivs ? c->ndivs : 1, 1);
    if (!c->grid_codes || !c->div_sorted || !c->div_named)
        return sg__error(c->ctx, SG_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < c->ngrids; i++)
        c->grid_codes[i] = (code_ref){c->grids[i].code, c->grids[i].fid, i};
    qsort(c->grid_codes, c->ngrids, sizeof *c->grid_codes, cmp_code_ref);
    for (size_t j = 0; j < c->ndivs; j++)
        c->div_sorted[j] = (code_ref){c->div_codes[j], (long long)j, j};
    qsort(c->div_sorted, c->ndivs, sizeof *c->div_sorted, cmp_code_ref);
    for (size_t i = 0; i < c->ngrids; i++) {
        grid *g = &c->grids[i];
        long p = find_code(c->grid_codes, c->ngrids, g->parent);
        /* the first grid of that code which is not the grid itself */
        while (p >= 0 && (size_t)p < c->ngrids &&
               strcmp(c->grid_codes[p].code, g->parent) == 0 &&
               c->grid_codes[p].idx == i)
            p++;
        if (p >= 0 && (size_t)p < c->ngrids &&
            strcmp(c->grid_codes[p].code, g->parent) == 0)
            g->parent_idx = (long)c->grid_codes[p].idx;
    }
    for (size_t i = 0; i < c->ngrids; i++) {
        grid *g = &c->grids[i];
        long cur = (long)i;
        for (int depth = 0; cur >= 0 && depth < 8; depth++) {
            if (c->grids[cur].division) {
                g->eff_division = c->grids[cur].division;
                break;
            }
            cur = c->grids[cur].parent_idx;
        }
        long d = find_code(c->div_sorted, c->ndivs, g->eff_division);
        g->div_idx = d >= 0 ? (long)c->div_sorted[d].idx : -1;
    }
    return SG_OK;
}

/* Read grids, divisions and households into \p c. */
static sg_status load_all(checker *c)
{
    static const char *const dcols[] = {"division_code"};
    static const char *const hcols[] = {"household_id"};
    sg_status st = load_grids(c);
    if (st == SG_OK)
        st = sg__progress(c->ctx, 0.4, "reading divisions");
    if (st == SG_OK)
        st = sg__store_scan(c->ctx, c->store, "divisions", dcols, 1, 1, NULL,
                            NULL, load_division_row, c);
    if (st == SG_OK)
        st = sg__progress(c->ctx, 0.6, "reading households");
    if (st == SG_OK)
        st = sg__store_scan(c->ctx, c->store, "households", hcols, 1, 1, NULL,
                            NULL, load_household_row, c);
    if (st == SG_OK)
        st = link_grids(c);
    return st;
}

static sg_status check_level(checker *c, int level, sg_check_level *out)
{
    sg__idlist gl = {0};
    sg_status st = SG_OK;
    double saved[2];
    out->level = level;
    for (size_t i = 0; i < c->ngrids && st == SG_OK; i++)
        if (c->grids[i].level == level)
            st = sg__idlist_push(c->ctx, &gl, i);
    out->grids = (long long)gl.n;
    memset(c->div_named, 0, c->ndivs);
    for (size_t k = 0; k < gl.n; k++)
        if (c->grids[gl.v[k]].div_idx >= 0)
            c->div_named[c->grids[gl.v[k]].div_idx] = 1;
    if (st == SG_OK && gl.n == 0)
        sg__log(c->ctx, SG_LOG_WARN, "no level-%d grids to check", level);
    double t = now_seconds(), t1;
    if (st == SG_OK && gl.n) {
        sg__progress_push(c->ctx, 0.0, 0.3, saved);
        st = sg__check_level_gaps(c, level, &gl, out);
        sg__progress_pop(c->ctx, saved);
    }
    t1 = now_seconds();
    c->secs[0] += t1 - t;
    if (st == SG_OK && gl.n) {
        sg__progress_push(c->ctx, 0.3, 0.6, saved);
        st = sg__check_level_overlaps(c, level, &gl, out);
        sg__progress_pop(c->ctx, saved);
    }
    t = now_seconds();
    c->secs[1] += t - t1;
    if (st == SG_OK) {
        sg__progress_push(c->ctx, 0.6, 0.7, saved);
        st = sg__check_level_hierarchy(c, level, &gl, out);
        sg__progress_pop(c->ctx, saved);
    }
    t1 = now_seconds();
    c->secs[2] += t1 - t;
    if (st == SG_OK && gl.n) {
        sg__progress_push(c->ctx, 0.7, 1.0, saved);
        st = sg__check_level_households(c, level, out);
        sg__progress_pop(c->ctx, saved);
    }
    c->secs[3] += now_seconds() - t1;
    sg__idlist_cleanup(&gl);
    return st;
}

/* Add the figures of \p l to \p t. */
static void add_level(sg_check_level *t, const sg_check_level *l)
{
    t->grids += l->grids;
    t->gaps += l->gaps;
    t->gaps_area_m2 += l->gaps_area_m2;
    t->overlaps += l->overlaps;
    t->overlaps_area_m2 += l->overlaps_area_m2;
    t->slivers += l->slivers;
    t->slivers_area_m2 += l->slivers_area_m2;
    t->hierarchy_errors += l->hierarchy_errors;
    t->duplicate_codes += l->duplicate_codes;
    t->bad_codes += l->bad_codes;
    t->grids_without_leader += l->grids_without_leader;
    t->households_outside_grids += l->households_outside_grids;
    t->households_in_several_grids += l->households_in_several_grids;
}

/* Record the run in `runs` with its parameters and totals. */
static sg_status record_run(checker *c, const sg_check_options *o,
                            const sg_check_result *r, double seconds)
{
    const sg_check_level *t = &r->total;
    sg_json p, n;
    sg_json_begin(&p, NULL);
    sg_json_object(&p, NULL);
    sg_json_int(&p, "level", o->level);
    sg_json_num(&p, "sliver_m2", round(o->sliver_m2 * 1e6) / 1e6);
    sg_json_num(&p, "tolerance_m", round(o->tol_m * 1e6) / 1e6);
    sg_json_end_object(&p);
    sg_json_begin(&n, NULL);
    sg_json_object(&n, NULL);
    sg_json_int(&n, "levels", (long long)r->nlevels);
    sg_json_int(&n, "grids", t->grids);
    sg_json_int(&n, "gaps", t->gaps);
    sg_json_num(&n, "gaps_area_m2", round(t->gaps_area_m2 * 1e3) / 1e3);
    sg_json_int(&n, "overlaps", t->overlaps);
    sg_json_num(&n, "overlaps_area_m2", round(t->overlaps_area_m2 * 1e3) / 1e3);
    sg_json_int(&n, "slivers", t->slivers);
    sg_json_num(&n, "slivers_area_m2", round(t->slivers_area_m2 * 1e3) / 1e3);
    sg_json_int(&n, "hierarchy_errors", t->hierarchy_errors);
    sg_json_int(&n, "duplicate_codes", t->duplicate_codes);
    sg_json_int(&n, "bad_codes", t->bad_codes);
    sg_json_int(&n, "grids_without_leader", t->grids_without_leader);
    sg_json_int(&n, "households_outside_grids", t->households_outside_grids);
    sg_json_int(&n, "households_in_several_grids",
                t->households_in_several_grids);
    sg_json_int(&n, "issues", r->issues);
    sg_json_end_object(&n);
    return sg__store_record_run_json(c->ctx, c->store, "check", &p, &n,
                                     seconds);
}

/* Free everything \p c holds. */
static void checker_cleanup(checker *c)
{
    for (size_t i = 0; i < c->ngrids; i++) {
        free(c->grids[i].code);
        free(c->grids[i].parent);
        free(c->grids[i].division);
    }
    free(c->grids);
    for (size_t j = 0; j < c->ndivs; j++)
        free(c->div_codes[j]);
    free(c->div_codes);
    for (size_t k = 0; k < c->nhh; k++)
        free(c->hh[k].id);
    free(c->hh);
    free(c->grid_codes);
    free(c->div_sorted);
    free(c->div_named);
    sg__geomset_cleanup(&c->gset);
    sg__geomset_cleanup(&c->dset);
    sg__idlist_cleanup(&c->cand);
    sg__insert_free(c->ins_gap);
    sg__insert_free(c->ins_overlap);
    sg__insert_free(c->ins_issue);
}

/* Seconds on a monotonic clock. */
static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* The levels to check into \p levels (ascending); \return how many. */
static size_t levels_to_check(checker *c, int only, int levels[3])
{
    size_t n = 0;
    for (int L = 1; L <= 3; L++) {
        int present = only == L;
        for (size_t i = 0; i < c->ngrids && !present && only == 0; i++)
            present = c->grids[i].level == L;
        if (present) {
            levels[n++] = L;
            c->checked[L] = 1;
        }
    }
    return n;
}

sg_status sg_check(sg_ctx *ctx, sg_store *store, const sg_check_options *opts,
                   sg_check_result **result)
{
    if (result)
        *result = NULL;
    if (!ctx)
        return SG_ERR_USAGE;
    if (!store || !result)
        return sg__error(ctx, SG_ERR_USAGE,
                         "sg_check: store and result "
                         "are required");
    sg_check_options d = defaults();
    const sg_check_options *o = opts ? opts : &d;
    sg_status st0;
    if ((st0 = valid_level(ctx, o->level)) ||
        (st0 = valid_sliver(ctx, o->sliver_m2)) ||
        (st0 = valid_tolerance(ctx, o->tol_m)))
        return st0;
    /* inputs are read inside the transaction that writes the results */
    sg_status st = sg__store_begin(ctx, store);
    if (st)
        return st;
    if (!sg_store_srid(store)) {
        sg__store_rollback(store);
        return sg__error(ctx, SG_ERR_INPUT,
                         "store %s has no working CRS "
                         "yet; import divisions and grids first",
                         sg_store_path(store));
    }
    double t0 = now_seconds(), saved[2];
    checker c;
    memset(&c, 0, sizeof c);
    c.ctx = ctx;
    c.h = ctx->geom;
    c.store = store;
    c.sliver = o->sliver_m2;
    c.tol = o->tol_m;
    sg__geomset_init(&c.gset, ctx, 1);
    sg__geomset_init(&c.dset, ctx, 1);
    sg_check_result *r = calloc(1, sizeof *r);
    int in_tx = 1;
    if (!r) {
        st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        goto done;
    }
    sg__progress_push(ctx, 0.0, 0.1, saved);
    st = sg__progress(ctx, 0.0, "reading grids");
    if (st == SG_OK)
        st = load_all(&c);
    sg__progress_pop(ctx, saved);
    if (st)
        goto done;
    double t_read = now_seconds();
    int levels[3];
    size_t nl = levels_to_check(&c, o->level, levels);
    r->levels = calloc(nl ? nl : 1, sizeof *r->levels);
    if (!r->levels) {
        st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        goto done;
    }
    r->nlevels = nl;
    if ((st = sg__check_create_outputs(&c)))
        goto done;
    for (size_t k = 0; k < nl && st == SG_OK; k++) {
        sg__progress_push(ctx, 0.1 + 0.88 * (double)k / (double)nl,
                          0.1 + 0.88 * (double)(k + 1) / (double)nl, saved);
        st = check_level(&c, levels[k], &r->levels[k]);
        sg__progress_pop(ctx, saved);
        if (st == SG_OK)
            add_level(&r->total, &r->levels[k]);
    }
    if (st)
        goto done;
    r->issues = c.issues;
    if ((st = record_run(&c, o, r, now_seconds() - t0)))
        goto done;
    /* statements must be finalized before COMMIT can release the file */
    sg__insert_free(c.ins_gap);
    sg__insert_free(c.ins_overlap);
    sg__insert_free(c.ins_issue);
    c.ins_gap = c.ins_overlap = c.ins_issue = NULL;
    if ((st = sg__progress(ctx, 1.0, "writing results")))
        goto done;
    if ((st = sg__store_commit(ctx, store)))
        goto done;
    in_tx = 0;
    sg__log(ctx, SG_LOG_DEBUG,
            "check: read %.2f s, gaps %.2f s, overlaps %.2f s, hierarchy "
            "%.2f s, households %.2f s, the rest and commit %.2f s",
            t_read - t0, c.secs[0], c.secs[1], c.secs[2], c.secs[3],
            now_seconds() - t_read - c.secs[0] - c.secs[1] - c.secs[2] -
                c.secs[3]);
done:
    checker_cleanup(&c);
    if (in_tx)
        sg__store_rollback(store);
    if (st) {
        sg_check_result_free(r);
        return st;
    }
    *result = r;
    return SG_OK;
}
