/* sanigrid allocate: split each village's roads and households among its
 * cleaners (保洁员 分片包干, DOMAIN.md §1.4 S1: a posted, named
 * responsibility zone per cleaner), or evaluate today's assignment.
 *
 * Definitions (also in `sanigrid allocate --help`):
 *  - Villages: divisions of level admin_village (or the one division
 *    named with set_division, of any level). Roads are clipped to each
 *    village; a household belongs to the first village (fid order) that
 *    contains it.
 *  - Cleaners per village: set_cleaners N if given; otherwise the larger
 *    of its existing cleaners (cleaners layer: division_code, or the
 *    village containing the cleaner when it has no code) and the staffing
 *    layer's `required` (staffing is run first with the store's settings
 *    when there is no staffing layer), at least 1. Existing cleaners keep
 *    their ids; the others are planned-1 .. planned-K.
 *  - Workload measure (sg_balance): mixed (default) = cleaner-equivalents
 *    by the staffing rules of DOMAIN §2: households / per_households +
 *    km x per_road_km.major for national/provincial/county roads + km x
 *    per_road_km.village for township/village roads + km x
 *    allocate.lane_factor (a setting, default a half) of that rate for
 *    lanes and other roads; or residents, households, road m.
 *  - The partition itself is in allocate_part.c, service areas in
 *    allocate_area.c, evaluation in allocate_eval.c.
 * Not for: SQL (src/store), printing (src/cli).
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analysis/allocate/allocate_int.h"
#include "core/threads_int.h"
#include "geom/geos_int.h"
#include "sanigrid/staffing.h"
#include "store/bulk_int.h"

/* ---- options ---------------------------------------------------------------
 */

/* The defaults, shared by sg_allocate_options_new() and sg_allocate(NULL). */
static void allocate_defaults(sg_allocate_options *o)
{
    memset(o, 0, sizeof *o);
    o->balance = SG_BALANCE_MIXED;
    o->piece_m = SG_ALLOC_PIECE_M;
    sg__network_defaults(&o->net);
}

sg_allocate_options *sg_allocate_options_new(void)
{
    sg_allocate_options *o = malloc(sizeof *o);
    if (o)
        allocate_defaults(o);
    return o;
}

void sg_allocate_options_free(sg_allocate_options *opts)
{
    free(opts);
}

sg_status sg_allocate_options_set_division(sg_ctx *ctx,
                                           sg_allocate_options *opts,
                                           const char *code)
{
    if (code && strlen(code) >= sizeof opts->division)
        return sg__error(ctx, SG_ERR_USAGE, "division code too long: '%.64s'",
                         code);
    snprintf(opts->division, sizeof opts->division, "%s", code ? code : "");
    return SG_OK;
}

sg_status sg_allocate_options_set_cleaners(sg_ctx *ctx,
                                           sg_allocate_options *opts, int n)
{
    if (n < 0)
        return sg__error(ctx, SG_ERR_USAGE,
                         "cleaners must be a whole number > 0 (0 = from the "
                         "staffing layer), not %d",
                         n);
    opts->cleaners = n;
    return SG_OK;
}

/* Units of the measures, indexed by sg_balance. */
static const char *const balance_units[] = {"cleaner-equivalents", "residents",
                                            "households", "m"};

sg_status sg_allocate_options_set_balance(sg_ctx *ctx,
                                          sg_allocate_options *opts,
                                          sg_balance balance)
{
    if (!sg_balance_to_string(balance))
        return sg__error(ctx, SG_ERR_USAGE,
                         "unknown balance measure %d (residents, households, "
                         "road, mixed)",
                         (int)balance);
    opts->balance = balance;
    return SG_OK;
}

sg_status sg_allocate_options_set_piece_m(sg_ctx *ctx,
                                          sg_allocate_options *opts, double m)
{
    if (!(m >= 0) || !isfinite(m))
        return sg__error(ctx, SG_ERR_USAGE,
                         "piece length must be a number of metres > 0 (0 = "
                         "the default %g m), not %g",
                         SG_ALLOC_PIECE_M, m);
    opts->piece_m = m > 0 ? m : SG_ALLOC_PIECE_M;
    return SG_OK;
}

sg_status sg_allocate_options_set_network(sg_ctx *ctx,
                                          sg_allocate_options *opts,
                                          const sg_network_options *net)
{
    (void)ctx;
    if (net)
        opts->net = *net;
    else
        sg__network_defaults(&opts->net);
    return SG_OK;
}

sg_status sg_allocate_options_set_evaluate(sg_ctx *ctx,
                                           sg_allocate_options *opts, int on)
{
    if (on != 0 && on != 1)
        return sg__error(ctx, SG_ERR_USAGE, "evaluate must be 0 or 1, not %d",
                         on);
    opts->evaluate = on;
    return SG_OK;
}

void sg_allocate_result_free(sg_allocate_result *result)
{
    if (!result)
        return;
    for (size_t i = 0; result->villages && i < result->nvillages; i++) {
        free(result->villages[i].code);
        free(result->villages[i].name);
    }
    free(result->villages);
    free(result);
}

/* ---- small helpers
 * ------------------------------------------------------------ */

static const char *const class_names[SG_RC_N] = {
    "national", "provincial", "county", "township", "village", "lane", "other"};

const char *sg__alloc_class_name(int c)
{
    return c >= 0 && c < SG_RC_N ? class_names[c] : "other";
}

/* \return the class index of \p name (NULL or unknown: other). */
static int class_index(const char *name)
{
    for (int i = 0; name && i < SG_RC_N; i++)
        if (strcmp(name, class_names[i]) == 0)
            return i;
    return SG_RC_OTHER;
}

/* One block of the text arena. */
struct sg__ablock {
    struct sg__ablock *next;
    size_t len, cap;
    char buf[]; /* cap bytes */
};

const char *sg__atext_add(sg__atext *a, const char *s)
{
    if (!s || !*s)
        return "";
    size_t n = strlen(s) + 1;
    struct sg__ablock *b = a->head;
    if (!b || b->len + n > b->cap) {
        size_t cap = n > 65536 ? n : 65536;
        struct sg__ablock *nb = malloc(sizeof *nb + cap);
        if (!nb)
            return NULL;
        nb->next = a->head;
        nb->len = 0;
        nb->cap = cap;
        a->head = b = nb;
    }
    char *p = b->buf + b->len;
    memcpy(p, s, n);
    b->len += n;
    return p;
}

void sg__atext_cleanup(sg__atext *a)
{
    if (!a)
        return;
    while (a->head) {
        struct sg__ablock *n = a->head->next;
        free(a->head);
        a->head = n;
    }
}

double sg__alloc_road_weight(const sg__alloc *A, int cls, double len)
{
    return A->w_m[cls >= 0 && cls < SG_RC_N ? cls : SG_RC_OTHER] * len;
}

double sg__alloc_hh_weight(const sg__alloc *A, long long res)
{
    return A->w_hh + A->w_res * (double)(res > 0 ? res : 0);
}

/* Text of column \p i of \p row copied into the arena ("" for NULL).
 * \return the copy, or NULL when out of memory (error set in ctx). */
static const char *col_text(sg__alloc *A, sg__row *row, int i)
{
    const char *t = sg__atext_add(&A->text, sg__row_text(row, i));
    if (!t)
        sg__error(A->ctx, SG_ERR_NOMEM, "out of memory");
    return t;
}

/* ---- the measure -----------------------------------------------------------
 */

/* Set the weights of the balance measure (mixed: from the settings). */
static sg_status measure(sg__alloc *A)
{
    sg__alloc *a = A;
    memset(a->w_m, 0, sizeof a->w_m);
    a->w_hh = a->w_res = 0;
    switch (A->o->balance) {
    case SG_BALANCE_RESIDENTS: a->w_res = 1; break;
    case SG_BALANCE_HOUSEHOLDS: a->w_hh = 1; break;
    case SG_BALANCE_ROAD:
        for (int c = 0; c < SG_RC_N; c++)
            a->w_m[c] = 1;
        break;
    default: {
        double per_hh = 300, major = 1.0, village = 0.75, lane = 0.5;
        sg_status st = sg_setting_get_double(A->ctx, A->store,
                                             "cleaner.per_households", &per_hh);
        if (st == SG_OK)
            st = sg_setting_get_double(A->ctx, A->store,
                                       "cleaner.per_road_km.major", &major);
        if (st == SG_OK)
            st = sg_setting_get_double(A->ctx, A->store,
                                       "cleaner.per_road_km.village", &village);
        if (st == SG_OK)
            st = sg_setting_get_double(A->ctx, A->store, "allocate.lane_factor",
                                       &lane);
        if (st)
            return st;
        if (!(per_hh > 0))
            return sg__error(A->ctx, SG_ERR_USAGE,
                             "cleaner.per_households must be > 0");
        a->w_hh = 1.0 / per_hh;
        for (int c = SG_RC_NATIONAL; c <= SG_RC_COUNTY; c++)
            a->w_m[c] = major / 1000.0;
        a->w_m[SG_RC_TOWNSHIP] = a->w_m[SG_RC_VILLAGE] = village / 1000.0;
        a->w_m[SG_RC_LANE] = a->w_m[SG_RC_OTHER] = lane * village / 1000.0;
    }
    }
    return SG_OK;
}

/* ---- reading the store ------------------------------------------------------
 */

/* Scan callback for divisions: division_code, name, level, geom. */
static sg_status village_row(sg__row *row, void *user)
{
    sg__alloc *A = user;
    if (A->nv == A->capv) {
        size_t cap = A->capv ? A->capv * 2 : 64;
        sg__avillage *nv = realloc(A->v, cap * sizeof *nv);
        if (!nv)
            return sg__error(A->ctx, SG_ERR_NOMEM, "out of memory");
        A->v = nv;
        A->capv = cap;
    }
    sg__avillage *v = &A->v[A->nv];
    memset(v, 0, sizeof *v);
    v->required = -1;
    if (!(v->code = col_text(A, row, 0)) || !(v->name = col_text(A, row, 1)))
        return SG_ERR_NOMEM;
    A->nv++;
    GEOSGeometry *g = NULL;
    const void *wkb = sg__row_blob(row, 3);
    int n = (int)sg__row_bytes(row, 3);
    if (wkb && n > 0) {
        g = sg__geom_from_wkb(A->ctx, wkb, (size_t)n);
        if (!g)
            return sg__error_prefix(A->ctx, "division %s: ", v->code);
        if (GEOSisValid_r(A->h, g) != 1) {
            GEOSGeometry *fixed = GEOSMakeValid_r(A->h, g);
            GEOSGeom_destroy_r(A->h, g);
            g = sg__geom_polygonal(A->ctx, fixed, 0);
            if (!g)
                return sg__error_prefix(A->ctx, "division %s: ", v->code);
        }
    }
    return sg__geomset_add(A->ctx, &A->vgeom, g);
}

/* A village number with its code, for lookups by code. */
typedef struct bycode {
    const char *code; /* borrowed from the arena */
    uint32_t v;
} bycode;

/* Order by code, then village number. */
static int cmp_code(const void *a, const void *b)
{
    const bycode *p = a, *q = b;
    int c = strcmp(p->code, q->code);
    return c ? c : (p->v > q->v) - (p->v < q->v);
}

/* Village number with division_code \p code among the \p n sorted
 * entries of \p idx, or -1 (the first by number when codes repeat). */
static long find_code(const bycode *idx, size_t n, const char *code)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (strcmp(idx[mid].code, code) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && strcmp(idx[lo].code, code) == 0 ? (long)idx[lo].v : -1;
}

/* The first village (by number) containing point (x, y), or -1. */
static sg_status village_at(sg__alloc *A, double x, double y, long *out)
{
    *out = -1;
    GEOSGeometry *pt = GEOSGeom_createPointFromXY_r(A->h, x, y);
    if (!pt)
        return sg__geos_error(A->ctx, "point");
    sg_status st = sg__geomset_query(A->ctx, &A->vgeom, pt, 0, &A->cand);
    for (size_t k = 0; st == SG_OK && k < A->cand.n; k++) {
        const GEOSPreparedGeometry *p =
            sg__geomset_prepared(A->ctx, &A->vgeom, A->cand.v[k]);
        if (p && GEOSPreparedIntersects_r(A->h, p, pt) == 1) {
            *out = (long)A->cand.v[k];
            break;
        }
    }
    GEOSGeom_destroy_r(A->h, pt);
    return st;
}

/* State of the staffing and cleaners scans. */
typedef struct lookup {
    sg__alloc *A;
    bycode *idx; /* villages by code */
} lookup;

/* Scan callback for staffing: division_code, required. */
static sg_status staffing_row(sg__row *row, void *user)
{
    lookup *L = user;
    const char *code = sg__row_text(row, 0);
    long vi = code ? find_code(L->idx, L->A->nv, code) : -1;
    if (vi >= 0 && !sg__row_is_null(row, 1))
        L->A->v[vi].required = sg__row_int64(row, 1);
    return SG_OK;
}

/* Scan callback for cleaners: cleaner_id, division_code, point. */
static sg_status cleaner_row(sg__row *row, int has_point, double x, double y,
                             void *user)
{
    lookup *L = user;
    sg__alloc *A = L->A;
    const char *code = sg__row_text(row, 1);
    long vi = code && *code ? find_code(L->idx, A->nv, code) : -1;
    if (vi < 0 && (!code || !*code) && has_point) {
        sg_status st = village_at(A, x, y, &vi);
        if (st)
            return st;
    }
    if (vi < 0)
        return SG_OK;
    sg__avillage *v = &A->v[vi];
    if (v->ncl == v->capcl) {
        size_t cap = v->capcl ? v->capcl * 2 : 4;
        sg__acl *n = realloc(v->cl, cap * sizeof *n);
        if (!n)
            return sg__error(A->ctx, SG_ERR_NOMEM, "out of memory");
        v->cl = n;
        v->capcl = cap;
    }
    sg__acl *c = &v->cl[v->ncl];
    if (!(c->id = col_text(A, row, 0)))
        return SG_ERR_NOMEM;
    c->x = x;
    c->y = y;
    c->has_xy = has_point;
    v->ncl++;
    return SG_OK;
}

/* Order existing cleaners by id. */
static int cmp_cleaner(const void *a, const void *b)
{
    const sg__acl *p = a, *q = b;
    return strcmp(p->id, q->id);
}

/* Scan callback for households: household_id, resident_population,
 * cleaner_id, point. */
static sg_status household_row(sg__row *row, int has_point, double x, double y,
                               void *user)
{
    sg__alloc *A = user;
    if (!has_point)
        return SG_OK;
    long vi = -1;
    sg_status st = village_at(A, x, y, &vi);
    if (st == SG_OK && vi < 0)
        A->r->households_outside++;
    if (st || vi < 0)
        return st;
    if (A->nhh == A->caphh) {
        size_t cap = A->caphh ? A->caphh * 2 : 1024;
        sg__ahh *n = realloc(A->hh, cap * sizeof *n);
        if (!n)
            return sg__error(A->ctx, SG_ERR_NOMEM, "out of memory");
        A->hh = n;
        A->caphh = cap;
    }
    sg__avillage *v = &A->v[vi];
    if (v->nhh == v->caphh) {
        size_t cap = v->caphh ? v->caphh * 2 : 64;
        uint32_t *n = realloc(v->hh, cap * sizeof *n);
        if (!n)
            return sg__error(A->ctx, SG_ERR_NOMEM, "out of memory");
        v->hh = n;
        v->caphh = cap;
    }
    sg__ahh *h = &A->hh[A->nhh];
    h->x = x;
    h->y = y;
    h->res = sg__row_int64(row, 1);
    if (!(h->id = col_text(A, row, 0)) || !(h->cleaner = col_text(A, row, 2)))
        return SG_ERR_NOMEM;
    v->hh[v->nhh++] = (uint32_t)A->nhh++;
    return SG_OK;
}

/* Append the lines of \p g (GEOS, any type) to \p lines with \p owner. */
static sg_status append_geos(sg__alloc *A, sg__lineset *lines,
                             const GEOSGeometry *g, int32_t owner)
{
    size_t n = 0;
    unsigned char *wkb = sg__geom_to_wkb(A->ctx, g, &n);
    if (!wkb)
        return sg_ctx_status(A->ctx);
    sg_status st = sg__wkb_append_parts(A->ctx, lines, wkb, n, owner, "roads");
    GEOSFree_r(A->h, wkb);
    return st;
}

/* Scan callback for roads: road_id, class, cleaner_id, geom (WKB). Every
 * row gets a road number; its lines are clipped to each village. */
static sg_status road_row(sg__row *row, void *user)
{
    sg__alloc *A = user;
    if (A->nroads == A->caproads) {
        size_t cap = A->caproads ? A->caproads * 2 : 1024;
        sg__aroad *n = realloc(A->roads, cap * sizeof *n);
        if (!n)
            return sg__error(A->ctx, SG_ERR_NOMEM, "out of memory");
        A->roads = n;
        A->caproads = cap;
    }
    sg__aroad *r = &A->roads[A->nroads];
    if (!(r->id = col_text(A, row, 0)) || !(r->cleaner = col_text(A, row, 2)))
        return SG_ERR_NOMEM;
    r->cls = class_index(sg__row_text(row, 1));
    int32_t owner = (int32_t)A->nroads++;
    const void *wkb = sg__row_blob(row, 3);
    int size = (int)sg__row_bytes(row, 3);
    if (!wkb || size <= 0)
        return SG_OK;
    GEOSGeometry *g = sg__geom_from_wkb(A->ctx, wkb, (size_t)size);
    if (!g)
        return sg__error_prefix(A->ctx, "road %s: ", r->id);
    sg_status st = sg__geomset_query(A->ctx, &A->vgeom, g, 0, &A->cand);
    for (size_t k = 0; st == SG_OK && k < A->cand.n; k++) {
        size_t vi = A->cand.v[k];
        const GEOSPreparedGeometry *p =
            sg__geomset_prepared(A->ctx, &A->vgeom, vi);
        if (!p || GEOSPreparedIntersects_r(A->h, p, g) != 1)
            continue;
        if (GEOSPreparedContains_r(A->h, p, g) == 1) {
            st = sg__wkb_append_parts(A->ctx, &A->v[vi].lines, wkb,
                                      (size_t)size, owner, "roads");
            continue;
        }
        GEOSGeometry *in =
            sg__geom_intersection(A->ctx, g, sg__geomset_get(&A->vgeom, vi));
        if (!in) {
            st = sg_ctx_status(A->ctx);
            break;
        }
        st = append_geos(A, &A->v[vi].lines, in, owner);
        GEOSGeom_destroy_r(A->h, in);
    }
    GEOSGeom_destroy_r(A->h, g);
    return st;
}

/* Read villages, staffing, cleaners, households and roads. */
/* A village's name and number, for sorting by name. */
typedef struct vname {
    const char *name;
    size_t i;
} vname;

/* Compare by name, for qsort. */
static int cmp_vname(const void *a, const void *b)
{
    return strcmp(((const vname *)a)->name, ((const vname *)b)->name);
}

/* Set each village's twin flag (see sg__avillage) once, by sorting the
 * names: asking for every household written cost villages x households
 * name comparisons. */
static sg_status mark_twins(sg__alloc *A)
{
    vname *ord = malloc((A->nv ? A->nv : 1) * sizeof *ord);
    if (!ord)
        return sg__error(A->ctx, SG_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < A->nv; i++) {
        ord[i] = (vname){A->v[i].name ? A->v[i].name : "", i};
        A->v[i].twin = !*ord[i].name;
    }
    qsort(ord, A->nv, sizeof *ord, cmp_vname);
    for (size_t i = 0; i + 1 < A->nv; i++)
        if (strcmp(ord[i].name, ord[i + 1].name) == 0)
            A->v[ord[i].i].twin = A->v[ord[i + 1].i].twin = 1;
    free(ord);
    return SG_OK;
}

static sg_status read_inputs(sg__alloc *A)
{
    sg_ctx *ctx = A->ctx;
    const sg_allocate_options *o = A->o;
    static const char *const vcols[] = {"division_code", "name", "level"};
    sg_status st =
        *o->division
            ? sg__store_scan(ctx, A->store, "divisions", vcols, 3, 1,
                             "division_code", o->division, village_row, A)
            : sg__store_scan(ctx, A->store, "divisions", vcols, 3, 1, "level",
                             "admin_village", village_row, A);
    if (st == SG_OK && A->nv == 0)
        st = *o->division ? sg__error(ctx, SG_ERR_NOT_FOUND,
                                      "no division with code '%s' in store %s",
                                      o->division, sg_store_path(A->store))
                          : sg__error(ctx, SG_ERR_INPUT,
                                      "store %s has no divisions of level "
                                      "admin_village to allocate",
                                      sg_store_path(A->store));
    bycode *idx = NULL;
    if (st == SG_OK && !(idx = malloc(A->nv * sizeof *idx)))
        st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    if (st == SG_OK) {
        for (size_t i = 0; i < A->nv; i++)
            idx[i] = (bycode){A->v[i].code, (uint32_t)i};
        qsort(idx, A->nv, sizeof *idx, cmp_code);
    }
    lookup L = {A, idx};
    static const char *const scols[] = {"division_code", "required"};
    if (st == SG_OK && sg__store_has_layer(A->store, "staffing"))
        st = sg__store_scan(ctx, A->store, "staffing", scols, 2, 0, NULL, NULL,
                            staffing_row, &L);
    static const char *const ccols[] = {"cleaner_id", "division_code"};
    if (st == SG_OK)
        st = sg__store_scan_points(ctx, A->store, "cleaners", ccols, 2, NULL,
                                   NULL, cleaner_row, &L);
    free(idx);
    if (st == SG_OK)
        st = mark_twins(A);
    if (st == SG_OK) {
        for (size_t i = 0; i < A->nv; i++)
            if (A->v[i].ncl > 1)
                qsort(A->v[i].cl, A->v[i].ncl, sizeof *A->v[i].cl, cmp_cleaner);
        st = sg__progress(ctx, 0.05, "households");
    }
    static const char *const hcols[] = {"household_id", "resident_population",
                                        "cleaner_id"};
    if (st == SG_OK)
        st = sg__store_scan_points(ctx, A->store, "households", hcols, 3, NULL,
                                   NULL, household_row, A);
    if (st == SG_OK)
        st = sg__progress(ctx, 0.12, "roads");
    static const char *const rcols[] = {"road_id", "class", "cleaner_id"};
    if (st == SG_OK)
        st = sg__store_scan(ctx, A->store, "roads", rcols, 3, 1, NULL, NULL,
                            road_row, A);
    return st;
}

/* ---- the driver
 * -------------------------------------------------------------- */

/* Cleaners wanted for village \p v, and where the number came from. */
static long long cleaners_wanted(const sg__alloc *A, const sg__avillage *v,
                                 const char **source)
{
    if (A->o->cleaners > 0) {
        *source = "option";
        return A->o->cleaners;
    }
    long long k = (long long)v->ncl;
    *source = "existing";
    if (v->required > k) {
        k = v->required;
        *source = "staffing";
    }
    return k < 1 ? 1 : k;
}

/* Cleaners for village \p v (checked against the limit by
 * check_limits()), and where the number came from. */
static int cleaners_for(const sg__alloc *A, const sg__avillage *v,
                        const char **source)
{
    long long k = cleaners_wanted(A, v, source);
    return k > 100000 ? 100000 : (int)k;
}

/* Refuse to start when a village would get more cleaners than
 * limits.cleaners_per_village (data/sql/0002_limits.sql): a household of
 * two billion residents once made allocate plan 420 million cleaners. */
static sg_status check_limits(sg__alloc *A)
{
    double lim = 2000;
    if (sg_setting_get_double(A->ctx, A->store, "limits.cleaners_per_village",
                              &lim) != SG_OK ||
        !(lim > 0))
        lim = 2000;
    sg_ctx_clear_error(A->ctx);
    if (lim > 100000)
        lim = 100000; /* what a partition can hold */
    for (size_t i = 0; i < A->nv; i++) {
        const char *source = "";
        long long k = cleaners_wanted(A, &A->v[i], &source);
        if ((double)k > lim)
            return sg__error(
                A->ctx, SG_ERR_INPUT,
                "village %s (%s) would get %lld cleaners (%s), above "
                "limits.cleaners_per_village (%.0f): %s, or raise the limit "
                "with `sanigrid config DB set limits.cleaners_per_village N`",
                A->v[i].code, A->v[i].name, k,
                strcmp(source, "option") == 0     ? "--cleaners"
                : strcmp(source, "staffing") == 0 ? "staffing's required"
                                                  : "existing cleaners",
                lim,
                strcmp(source, "option") == 0
                    ? "give a smaller --cleaners"
                    : "check the households' resident_population and "
                      "cleaner.per_residents (sanigrid staffing)");
    }
    return SG_OK;
}

/* Add village figures \p f to the totals of \p r. */
static void add_totals(sg_allocate_result *r, const sg_allocate_village *f,
                       int first)
{
    r->cleaners += f->cleaners;
    r->existing += f->existing;
    r->planned += f->planned;
    r->households += f->households;
    r->residents += f->residents;
    r->road_m += f->road_m;
    r->noncontiguous += f->noncontiguous;
    r->unassigned_road_m += f->unassigned_road_m;
    r->unassigned_households += f->unassigned_households;
    r->double_road_m += f->double_road_m;
    r->double_households += f->double_households;
    r->unknown_cleaners += f->unknown_cleaners;
    if (first || f->max_mean > r->max_mean)
        r->max_mean = f->max_mean;
    if (first || f->min_mean < r->min_mean)
        r->min_mean = f->min_mean;
}

/* Start village \p i's figures (code, name, required). */
static sg_status village_start(const sg__alloc *A, size_t i,
                               sg_allocate_village *f)
{
    const sg__avillage *v = &A->v[i];
    memset(f, 0, sizeof *f);
    f->cleaners_source = "";
    f->code = sg__strdup(A->ctx, v->code ? v->code : "");
    f->name = sg__strdup(A->ctx, v->name ? v->name : "");
    f->required = v->required;
    return f->code && f->name ? SG_OK : SG_ERR_NOMEM;
}

/* Evaluate every village in turn (one thread: evaluation adds ids to the
 * text arena). */
static sg_status run_evaluate(sg__alloc *A)
{
    sg_status st = SG_OK;
    for (size_t i = 0; st == SG_OK && i < A->nv; i++) {
        sg_allocate_village *f = &A->r->villages[i];
        st = village_start(A, i, f);
        if (st)
            return st;
        double saved[2];
        sg__progress_push(A->ctx, 0.15 + 0.8 * (double)i / (double)A->nv,
                          0.15 + 0.8 * (double)(i + 1) / (double)A->nv, saved);
        st = sg__alloc_evaluate_village(A, i, f);
        sg__progress_pop(A->ctx, saved);
        if (st)
            return sg__error_prefix(A->ctx, "village %s: ", f->code);
        add_totals(A->r, f, i == 0);
        st = sg__progress(A->ctx, 0.15 + 0.8 * (double)(i + 1) / (double)A->nv,
                          "evaluating");
    }
    return st;
}

/* Monotonic seconds. */
static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* CPU seconds of the calling thread (phase timings that a busy machine
 * does not inflate). */
static double cpu_s(void)
{
    struct timespec t;
    if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t) != 0)
        return now_s();
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Villages computed by two threads and written in order by the
 * caller's: the worker has its own context (GEOS handle, messages) and
 * a copy of the run that shares the inputs read-only. */
typedef struct pool {
    sg__alloc *A;             /* the caller's run */
    sg__alloc W;              /* the worker's view of it */
    sg__apart *res;           /* one partition per village */
    sg_status *rst;           /* its status */
    unsigned char *done;      /* 1 once res[i] and rst[i] are set */
    sg__logbuf *logs;         /* messages logged computing village i */
    int keep_logs;            /* the caller's context has a log callback */
    size_t next;              /* next village to compute */
    int stop;                 /* a failure or a cancel: claim no more */
    char msg[SG_ERRMSG_SIZE]; /* the worker's first failure */
    size_t msg_village;       /* its village (nv: none) */
    /* CPU seconds summed over threads (under mu), and the writer's */
    double cpu_part, cpu_area, cpu_color, cpu_write, wait_s;
    pthread_mutex_t mu;
    pthread_cond_t cv;
} pool;

/* The next village to compute, or nv when there is none (or stop). */
static size_t claim(pool *p)
{
    pthread_mutex_lock(&p->mu);
    size_t i = p->stop ? p->A->nv : p->next;
    if (i < p->A->nv)
        p->next++;
    pthread_mutex_unlock(&p->mu);
    return i;
}

/* Compute village \p i's partition and areas with run view \p T. In the
 * caller's thread, progress reports from inside (the graph builder's)
 * are pinned to the progress already made (\p done_frac). */
static void compute(pool *p, sg__alloc *T, size_t i, double done_frac)
{
    const char *source = "";
    int K = cleaners_for(T, &T->v[i], &source);
    double saved[2];
    sg__progress_push(T->ctx, done_frac, done_frac, saved);
    /* messages wait for the writer, who passes them on in village order */
    sg_log_fn log_fn = T->ctx->log_fn;
    void *log_user = T->ctx->log_user;
    if (p->keep_logs) {
        T->ctx->log_fn = sg__logbuf_collect;
        T->ctx->log_user = &p->logs[i];
    }
    double c0 = cpu_s();
    sg_status st = sg__alloc_partition(T, i, K, &p->res[i]);
    double c1 = cpu_s();
    if (st == SG_OK)
        st = sg__alloc_areas(T, i, &p->res[i]);
    double c2 = cpu_s();
    if (st == SG_OK)
        st = sg__alloc_colors(T, i, &p->res[i]);
    double c3 = cpu_s();
    T->ctx->log_fn = log_fn;
    T->ctx->log_user = log_user;
    sg__progress_pop(T->ctx, saved);
    pthread_mutex_lock(&p->mu);
    p->cpu_part += c1 - c0;
    p->cpu_area += c2 - c1;
    p->cpu_color += c3 - c2;
    p->rst[i] = st;
    p->done[i] = 1;
    if (st) {
        p->stop = 1;
        if (T != p->A && p->msg_village == p->A->nv) {
            snprintf(p->msg, sizeof p->msg, "%s", sg_ctx_errmsg(T->ctx));
            p->msg_village = i;
        }
    }
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
}

/* The worker thread: compute villages until none is left. */
static void *worker(void *arg)
{
    pool *p = arg;
    size_t i;
    while ((i = claim(p)) < p->A->nv)
        compute(p, &p->W, i, 0);
    return NULL;
}

/* Write village \p i (computed) and add it to the totals. */
static sg_status write_one(pool *p, size_t i, double *csum, size_t *cn)
{
    sg__alloc *A = p->A;
    sg_allocate_village *f = &A->r->villages[i];
    if (village_start(A, i, f))
        return SG_ERR_NOMEM;
    const char *source = "";
    cleaners_for(A, &A->v[i], &source);
    f->cleaners_source = source;
    sg__logbuf_replay(A->ctx, &p->logs[i]);
    sg_status st = p->rst[i];
    if (st && i == p->msg_village) /* the worker's failure */
        sg__error(A->ctx, st, "%s", p->msg);
    double c0 = cpu_s();
    if (st == SG_OK)
        st = sg__alloc_write_village(A, i, &p->res[i], f);
    sg__apart_cleanup(A, &p->res[i]);
    p->cpu_write += cpu_s() - c0;
    if (st)
        return sg__error_prefix(A->ctx, "village %s: ", f->code);
    if (f->cleaners > 0) {
        *csum += f->compactness;
        (*cn)++;
    }
    add_totals(A->r, f, i == 0);
    return sg__progress(A->ctx, 0.15 + 0.8 * (double)(i + 1) / (double)A->nv,
                        "allocating");
}

/* Allocate every village: the caller's thread and a worker compute, the
 * caller writes in village order (no worker with one CPU or
 * SANIGRID_THREADS=1, core/threads_int.h: the same rows, in the same
 * order, computed by the caller alone). */
static sg_status run_allocate(sg__alloc *A)
{
    pool p;
    memset(&p, 0, sizeof p);
    p.A = A;
    p.msg_village = A->nv;
    p.res = calloc(A->nv, sizeof *p.res);
    p.rst = calloc(A->nv, sizeof *p.rst);
    p.done = calloc(A->nv, 1);
    p.logs = calloc(A->nv, sizeof *p.logs);
    p.keep_logs = A->ctx->log_fn != NULL;
    if (!p.res || !p.rst || !p.done || !p.logs) {
        free(p.res);
        free(p.rst);
        free(p.done);
        free(p.logs);
        return sg__error(A->ctx, SG_ERR_NOMEM, "out of memory");
    }
    pthread_mutex_init(&p.mu, NULL);
    pthread_cond_init(&p.cv, NULL);
    pthread_t th;
    int threaded = 0;
    sg_ctx *wctx = A->nv > 1 && sg__threads(2) > 1 ? sg_ctx_new() : NULL;
    if (wctx) {
        p.W = *A;
        p.W.ctx = wctx;
        wctx->log_level = A->ctx->log_level;
        p.W.h = wctx->geom;
        memset(&p.W.cand, 0, sizeof p.W.cand);
        threaded = pthread_create(&th, NULL, worker, &p) == 0;
    }
    double csum = 0;
    size_t cn = 0;
    sg_status st = SG_OK;
    for (size_t w = 0; w < A->nv; w++) {
        /* village w: computed by someone, or compute something */
        pthread_mutex_lock(&p.mu);
        while (!p.done[w] && !(p.stop && w >= p.next)) {
            pthread_mutex_unlock(&p.mu);
            size_t i = claim(&p);
            if (i < A->nv)
                compute(&p, A, i, 0.15 + 0.8 * (double)w / (double)A->nv);
            pthread_mutex_lock(&p.mu);
            if (i >= A->nv && !p.done[w] && !(p.stop && w >= p.next)) {
                double t0 = now_s();
                pthread_cond_wait(&p.cv, &p.mu);
                p.wait_s += now_s() - t0;
            }
        }
        int ready = p.done[w];
        pthread_mutex_unlock(&p.mu);
        if (!ready)
            break; /* stopped before village w was claimed */
        if (st == SG_OK)
            st = write_one(&p, w, &csum, &cn);
        if (st) {
            pthread_mutex_lock(&p.mu);
            p.stop = 1;
            pthread_mutex_unlock(&p.mu);
        }
    }
    if (threaded)
        pthread_join(th, NULL);
    for (size_t i = 0; i < A->nv; i++) { /* villages not written */
        sg__apart_cleanup(A, &p.res[i]);
        sg__logbuf_cleanup(&p.logs[i]);
    }
    A->r->compactness = cn ? csum / (double)cn : 0;
    A->cpu[SG__ALLOC_T_PART] = p.cpu_part;
    A->cpu[SG__ALLOC_T_AREA] = p.cpu_area;
    A->cpu[SG__ALLOC_T_COLOR] = p.cpu_color;
    A->cpu[SG__ALLOC_T_WRITE] = p.cpu_write;
    A->cpu[SG__ALLOC_T_WAIT] = p.wait_s;
    A->nthreads = threaded ? 2 : 1;
    pthread_mutex_destroy(&p.mu);
    pthread_cond_destroy(&p.cv);
    sg_ctx_free(wctx);
    free(p.res);
    free(p.rst);
    free(p.done);
    free(p.logs);
    return st;
}

/* Free the run's inputs. */
static void run_cleanup(sg__alloc *A)
{
    for (size_t i = 0; i < A->nv; i++) {
        sg__lineset_cleanup(&A->v[i].lines);
        free(A->v[i].hh);
        free(A->v[i].cl);
    }
    free(A->v);
    free(A->roads);
    free(A->hh);
    sg__idlist_cleanup(&A->cand);
    sg__geomset_cleanup(&A->vgeom);
    sg__atext_cleanup(&A->text);
}

sg_status sg_allocate(sg_ctx *ctx, sg_store *store,
                      const sg_allocate_options *opts,
                      sg_allocate_result **result)
{
    sg_allocate_options defaults;
    if (!opts) {
        allocate_defaults(&defaults);
        opts = &defaults;
    }
    *result = NULL;
    double t0 = now_s();
    sg_allocate_result *r = calloc(1, sizeof *r);
    sg__alloc A;
    memset(&A, 0, sizeof A);
    A.ctx = ctx;
    A.store = store;
    A.o = opts;
    A.r = r;
    A.h = ctx->geom;
    sg__geomset_init(&A.vgeom, ctx, 1);
    sg_status st = r ? SG_OK : sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    if (st == SG_OK) {
        r->evaluate = opts->evaluate;
        r->piece_m = opts->piece_m;
        r->balance = sg_balance_to_string(opts->balance);
        r->unit = balance_units[opts->balance];
        st = sg__store_check_writable(ctx, store);
    }
    /* inputs are read inside the transaction that writes the results */
    int in_tx = 0;
    if (st == SG_OK && (st = sg__store_begin(ctx, store)) == SG_OK)
        in_tx = 1;
    if (st == SG_OK && !sg_store_srid(store))
        st = sg__error(ctx, SG_ERR_INPUT,
                       "store %s has no data yet (import divisions, roads "
                       "and households first)",
                       sg_store_path(store));
    if (st == SG_OK)
        st = measure(&A);
    if (st == SG_OK && !opts->evaluate && opts->cleaners <= 0 &&
        !sg__store_has_layer(store, "staffing")) {
        sg_staffing_result *sr = NULL;
        double saved[2];
        sg__progress_push(ctx, 0.0, 0.05, saved);
        st = sg_staffing(ctx, store, NULL, &sr);
        sg_staffing_result_free(sr);
        sg__progress_pop(ctx, saved);
        if (st)
            sg__error_prefix(ctx, "staffing (run first, as the store has "
                                  "no staffing layer): ");
        r->staffing_run = 1;
    }
    double t1 = now_s();
    if (st == SG_OK)
        st = read_inputs(&A);
    if (st == SG_OK && !opts->evaluate)
        st = check_limits(&A);
    if (st == SG_OK && !(r->villages = calloc(A.nv, sizeof *r->villages)))
        st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    double t2 = t1, t3 = t1, t3b = t1, t4 = t1;
    if (st == SG_OK) {
        r->nvillages = A.nv;
        t2 = now_s();
        {
            st = sg__alloc_write_begin(&A);
            if (st == SG_OK)
                st = opts->evaluate ? run_evaluate(&A) : run_allocate(&A);
            if (st == SG_OK)
                st = sg__progress(ctx, 0.96, "writing");
            t3 = now_s();
            if (st == SG_OK)
                st = sg__alloc_write_end(&A);
            else
                sg__alloc_write_abort(&A);
            t3b = now_s();
            r->seconds = t3b - t0;
            if (st == SG_OK)
                st = sg__alloc_record(&A);
            if (st == SG_OK)
                st = sg__store_commit(ctx, store);
            in_tx = st == SG_OK ? 0 : in_tx;
            t4 = now_s();
        }
    }
    if (in_tx)
        sg__store_rollback(store);
    if (st == SG_OK) {
        sg__log(ctx, SG_LOG_DEBUG,
                "allocate: measure/staffing %.2f s, read %.2f s, "
                "%s and write %.2f s, layers finished (geometry, spatial "
                "index) %.2f s, run record and commit %.2f s",
                t1 - t0, t2 - t1, opts->evaluate ? "evaluate" : "partition",
                t3 - t2, t3b - t3, t4 - t3b);
        if (!opts->evaluate)
            sg__log(ctx, SG_LOG_DEBUG,
                    "allocate phases (CPU s, summed over %d threads): "
                    "partition %.2f, service areas %.2f, colours %.2f, "
                    "writing rows %.2f; the writer waited %.2f s",
                    A.nthreads, A.cpu[SG__ALLOC_T_PART],
                    A.cpu[SG__ALLOC_T_AREA], A.cpu[SG__ALLOC_T_COLOR],
                    A.cpu[SG__ALLOC_T_WRITE], A.cpu[SG__ALLOC_T_WAIT]);
    }
    if (st == SG_OK)
        st = opts->evaluate ? sg__progress(ctx, 1.0, "evaluated")
                            : sg__progress(ctx, 1.0, "allocated");
    run_cleanup(&A);
    if (st == SG_OK) {
        r->seconds = now_s() - t0;
        *result = r;
    } else {
        sg_allocate_result_free(r);
    }
    return st;
}
