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

#include "geom/geos_int.h"
#include "core/ctx_int.h"
#include "net/net_int.h"
#include "sanigrid/analysis.h"
#include "store/store_int.h"

/* ======================================================================
 * The check
 * ====================================================================== */

/* Gap and overlap pieces below this area (1 mm²) are floating-point noise
 * of the overlay, not findings; they are dropped, not counted as slivers.
 * The same threshold decides whether a piece lies in a division. */
#define NOISE_M2 1e-6
/* A gap touches a grid whose boundary is within this distance (metres). */
#define TOUCH_M 0.01
static double now_seconds(void);

/* Report progress every this many items of a loop. */
#define PROGRESS_EVERY 256

struct sg_check_options {
    int level;        /* 1..3, or 0 for every level present */
    double sliver_m2; /* pieces smaller than this are slivers */
    double tol_m;     /* pieces thinner than this everywhere are slivers */
};

sg_check_options *sg_check_options_new(void)
{
    sg_check_options *o = calloc(1, sizeof *o);
    if (o) {
        o->sliver_m2 = 1.0;
        o->tol_m = SG_CHECK_TOLERANCE_M;
    }
    return o;
}

void sg_check_options_free(sg_check_options *opts)
{
    free(opts);
}

void sg_check_options_set_level(sg_check_options *opts, int level)
{
    opts->level = level;
}

void sg_check_options_set_sliver_m2(sg_check_options *opts, double m2)
{
    opts->sliver_m2 = m2;
}

void sg_check_options_set_tolerance_m(sg_check_options *opts, double m)
{
    opts->tol_m = m;
}

void sg_check_result_free(sg_check_result *result)
{
    if (!result)
        return;
    free(result->levels);
    free(result);
}

/* A grid as read from the store. */
typedef struct grid {
    long long fid;
    char *code;      /* owned; never NULL (may be "") */
    char *parent;    /* owned; NULL if empty */
    char *division;  /* owned; NULL if empty */
    int level;       /* 1..3; a NULL level is read as 1 */
    int has_leader;  /* grid_leader is set and not blank */
    long parent_idx; /* first grid (by fid) with code == parent, or -1 */
    const char *eff_division; /* borrowed: own division_code, else the
                                 parent's (recursively); NULL if none */
    long div_idx;             /* index of eff_division in divisions, or -1 */
} grid;

/* A code and the index of its row, for sorted look-ups. */
typedef struct code_ref {
    const char *code; /* borrowed */
    long long fid;
    size_t idx;
} code_ref;

/* A household's identifier and position. */
typedef struct household {
    char *id; /* owned */
    double x, y;
} household;

/* A growable text buffer; s is always NUL-terminated once used. */
typedef struct strbuf {
    char *s;
    size_t n, cap;
} strbuf;

/* Everything one check run holds. */
typedef struct checker {
    double secs[4]; /* gaps, overlaps, hierarchy, households (-v) */
    sg_ctx *ctx;
    GEOSContextHandle_t h;
    sg_store *store;
    double sliver;
    double tol; /* width tolerance, metres */
    int checked[4]; /* checked[L]: level L is checked */
    grid *grids;    /* owned */
    size_t ngrids, capgrids;
    sg__geomset gset;     /* owns the grid geometries; i <-> grids[i] */
    code_ref *grid_codes; /* sorted by (code, fid) */
    char **div_codes;     /* owned; j <-> dset geometry j */
    size_t ndivs, capdivs;
    sg__geomset dset;         /* owns the division geometries */
    code_ref *div_sorted;     /* sorted by code */
    unsigned char *div_named; /* ndivs flags: named by a grid of the level
                                 being checked */
    household *hh;            /* owned */
    size_t nhh, caphh;
    sg__idlist cand; /* scratch: query results */
    sg__insert *ins_gap, *ins_overlap, *ins_issue; /* owned */
    long long issues; /* rows written to grid_issues */
} checker;

/* ---- small utilities ---------------------------------------------------- */

/* Append \p text (may be NULL: nothing) to \p b. */
static sg_status sb_add(sg_ctx *ctx, strbuf *b, const char *text)
{
    size_t k = text ? strlen(text) : 0;
    if (b->n + k + 1 > b->cap) {
        size_t nc = b->cap ? b->cap : 64;
        while (nc < b->n + k + 1)
            nc *= 2;
        char *ns = realloc(b->s, nc);
        if (!ns)
            return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        b->s = ns;
        b->cap = nc;
    }
    if (k)
        memcpy(b->s + b->n, text, k);
    b->n += k;
    b->s[b->n] = '\0';
    return SG_OK;
}

/* Append formatted text to \p b. */
static sg_status sb_addf(sg_ctx *ctx, strbuf *b, const char *fmt, ...)
    SG_PRINTF(3, 4);
static sg_status sb_addf(sg_ctx *ctx, strbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (k < 0)
        return sg__error(ctx, SG_ERR_INTERNAL, "bad format %s", fmt);
    if (b->n + (size_t)k + 1 > b->cap) {
        size_t nc = b->cap ? b->cap : 64;
        while (nc < b->n + (size_t)k + 1)
            nc *= 2;
        char *ns = realloc(b->s, nc);
        if (!ns)
            return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        b->s = ns;
        b->cap = nc;
    }
    va_start(ap, fmt);
    vsnprintf(b->s + b->n, (size_t)k + 1, fmt, ap);
    va_end(ap);
    b->n += (size_t)k;
    return SG_OK;
}

/* Empty \p b, keeping its memory. */
static void sb_clear(strbuf *b)
{
    b->n = 0;
    if (b->s)
        b->s[0] = '\0';
}

/* \p v with \p decimals digits after the point into \p buf, independent
 * of the locale (STYLE rule 33). Non-finite values print as 0. */
static void fmt_fixed(char *buf, size_t size, double v, int decimals)
{
    long long scale = 1;
    if (decimals < 0)
        decimals = 0;
    if (decimals > 9) /* more would overflow the fixed-point value */
        decimals = 9;
    for (int i = 0; i < decimals; i++)
        scale *= 10;
    if (!isfinite(v) || fabs(v) * (double)scale > 9e18)
        v = 0;
    long long q = llround(v * (double)scale);
    const char *sign = q < 0 ? "-" : "";
    unsigned long long a = (unsigned long long)(q < 0 ? -q : q);
    if (decimals > 0)
        snprintf(buf, size, "%s%llu.%0*llu", sign,
                 a / (unsigned long long)scale, decimals,
                 a % (unsigned long long)scale);
    else
        snprintf(buf, size, "%s%llu", sign, a);
}

/* qsort: code_ref by code, then fid. */
static int cmp_code_ref(const void *a, const void *b)
{
    const code_ref *x = a, *y = b;
    int c = strcmp(x->code, y->code);
    if (c)
        return c;
    return x->fid < y->fid ? -1 : x->fid > y->fid;
}

/* qsort: strings ascending. */
static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
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

/* A copy of column \p col of \p row trimmed of blanks; NULL if the value
 * is NULL or blank, or (with SG_ERR_NOMEM in ctx, *oom set) on failure.
 * Caller owns; free(). */
static char *column_text(sg_ctx *ctx, sg__row *row, int col, int *oom)
{
    const char *t = sg__row_text(row, col);
    if (!t)
        return NULL;
    while (*t == ' ' || *t == '\t' || *t == '\r' || *t == '\n')
        t++;
    size_t n = strlen(t);
    while (n && (t[n - 1] == ' ' || t[n - 1] == '\t' || t[n - 1] == '\r' ||
                 t[n - 1] == '\n'))
        n--;
    if (!n)
        return NULL;
    char *s = malloc(n + 1);
    if (!s) {
        *oom = 1;
        sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        return NULL;
    }
    memcpy(s, t, n);
    s[n] = '\0';
    return s;
}

/* The polygon geometry of column \p col (WKB) made valid if needed, as a
 * new geometry (caller owns), or NULL for a NULL/empty value. \p what
 * names the row in messages. *st receives a failure. */
static GEOSGeometry *column_polygon(checker *c, sg__row *row, int col,
                                    const char *what, sg_status *st)
{
    const void *wkb = sg__row_blob(row, col);
    int n = (int)sg__row_bytes(row, col);
    if (!wkb || n <= 0)
        return NULL;
    GEOSGeometry *g = sg__geom_from_wkb(c->ctx, wkb, (size_t)n);
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

/* sg__store_scan callback for grids: fid, grid_code, level, parent_code,
 * division_code, grid_leader, geometry. */
static sg_status load_grid_row(sg__row *row, void *user)
{
    checker *c = user;
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
    int oom = 0;
    g->fid = sg__row_int64(row, 0);
    g->code = column_text(c->ctx, row, 1, &oom);
    if (!g->code && !oom)
        g->code = sg__strdup(c->ctx, "");
    g->level = sg__row_is_null(row, 2)
                   ? 1
                   : sg__row_int(row, 2);
    g->parent = column_text(c->ctx, row, 3, &oom);
    g->division = column_text(c->ctx, row, 4, &oom);
    char *leader = column_text(c->ctx, row, 5, &oom);
    g->has_leader = leader != NULL;
    free(leader);
    g->parent_idx = g->div_idx = -1;
    c->ngrids++; /* counted now so that cleanup frees the strings */
    if (oom || !g->code)
        return sg__error(c->ctx, SG_ERR_NOMEM, "out of memory");
    char what[96];
    snprintf(what, sizeof what, "grid %.40s (fid %lld)", g->code, g->fid);
    sg_status st = SG_OK;
    GEOSGeometry *geom = column_polygon(c, row, 6, what, &st);
    if (st)
        return st;
    return sg__geomset_add(c->ctx, &c->gset, geom);
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
    char *code = column_text(c->ctx, row, 0, &oom);
    if (!code && !oom)
        code = sg__strdup(c->ctx, "");
    if (!code)
        return sg__error(c->ctx, SG_ERR_NOMEM, "out of memory");
    c->div_codes[c->ndivs++] = code;
    char what[96];
    snprintf(what, sizeof what, "division %.40s", code);
    sg_status st = SG_OK;
    GEOSGeometry *geom = column_polygon(c, row, 1, what, &st);
    if (st)
        return st;
    return sg__geomset_add(c->ctx, &c->dset, geom);
}

static sg_status keep_household(checker *c, sg__row *row, double x,
                                double y);

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
    int plain = n == 21 && ((w[0] == 1 && w[1] == 1 && !w[2] && !w[3] &&
                             !w[4]) ||
                            (w[0] == 0 && !w[1] && !w[2] && !w[3] && w[4] == 1));
    if (plain) {
        if (!sg__wkb_point(wkb, (size_t)n, &x, &y))
            return SG_OK; /* empty */
        return keep_household(c, row, x, y);
    }
    GEOSGeometry *g = sg__geom_from_wkb(c->ctx, wkb, (size_t)n);
    if (!g)
        return sg__error_prefix(
            c->ctx, "household %.60s: ",
            sg__row_is_null(row, 0)
                ? "(no id)"
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
    char *id = column_text(c->ctx, row, 0, &oom);
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
    static const char *const gcols[] = {"fid",           "grid_code",
                                        "level",         "parent_code",
                                        "division_code", "grid_leader"};
    static const char *const dcols[] = {"division_code"};
    static const char *const hcols[] = {"household_id"};
    sg_status st = sg__store_scan(c->ctx, c->store, "grids", gcols, 6, 1, NULL,
                                  NULL, load_grid_row, c);
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

/* ---- writing ------------------------------------------------------------ */

/* Columns of the result layers grid_gaps, grid_overlaps (both with a
 * MULTIPOLYGON geometry) and grid_issues (a table). */
static const sg__column gap_cols[] = {{"level", "INTEGER"},
                                      {"area_m2", "REAL"},
                                      {"division_codes", "TEXT"},
                                      {"grid_codes", "TEXT"}};
static const sg__column overlap_cols[] = {{"level", "INTEGER"},
                                          {"area_m2", "REAL"},
                                          {"grid_codes", "TEXT"},
                                          {"division_codes", "TEXT"}};
static const sg__column issue_cols[] = {{"level", "INTEGER"},
                                        {"kind", "TEXT"},
                                        {"codes", "TEXT"},
                                        {"detail", "TEXT"},
                                        {"value", "REAL"}};
#define NCOLS(a) (sizeof(a) / sizeof((a)[0]))

/* (Re)create the result layers and prepare their inserts (inside the
 * caller's transaction). */
static sg_status create_outputs(checker *c)
{
    sg_ctx *ctx = c->ctx;
    sg_status st = sg__store_create_result(
        ctx, c->store, "grid_gaps", "MULTIPOLYGON", gap_cols, NCOLS(gap_cols),
        "网格空隙", "Grid gaps");
    if (st == SG_OK)
        st = sg__store_create_result(
            ctx, c->store, "grid_overlaps", "MULTIPOLYGON", overlap_cols,
            NCOLS(overlap_cols), "网格重叠", "Grid overlaps");
    if (st == SG_OK)
        st = sg__store_create_result(ctx, c->store, "grid_issues", NULL,
                                     issue_cols, NCOLS(issue_cols),
                                     "网格检查问题", "Grid check findings");
    if (st == SG_OK)
        st = sg__store_prepare_result_insert(ctx, c->store, "grid_gaps",
                                             gap_cols, NCOLS(gap_cols), 1,
                                             &c->ins_gap);
    if (st == SG_OK)
        st = sg__store_prepare_result_insert(ctx, c->store, "grid_overlaps",
                                             overlap_cols, NCOLS(overlap_cols),
                                             1, &c->ins_overlap);
    if (st == SG_OK)
        st = sg__store_prepare_result_insert(ctx, c->store, "grid_issues",
                                             issue_cols, NCOLS(issue_cols), 0,
                                             &c->ins_issue);
    return st;
}

/* Bind \p text to parameter \p i of \p stmt (NULL or "" binds NULL). */
static void bind_text(sg__insert *stmt, int i, const char *text)
{
    if (text && *text)
        sg__insert_text(stmt, i, text);
    else
        sg__insert_null(stmt, i);
}

/* Write one grid_issues row; \p value NAN writes NULL. */
static sg_status add_issue(checker *c, int level, const char *kind,
                           const char *codes, const char *detail, double value)
{
    sg__insert *s = c->ins_issue;
    sg__insert_int(s, 1, level);
    sg__insert_text(s, 2, kind);
    bind_text(s, 3, codes);
    bind_text(s, 4, detail);
    if (isnan(value))
        sg__insert_null(s, 5);
    else
        sg__insert_double(s, 5, value);
    sg_status st = sg__insert_step(c->ctx, c->store, s);
    if (st == SG_OK)
        c->issues++;
    return st;
}

/* Write one gap or overlap piece (a Polygon) as a MultiPolygon row. */
static sg_status add_piece_row(checker *c, int is_gap, int level, double area,
                               const char *div_codes, const char *grid_codes,
                               const GEOSGeometry *poly)
{
    GEOSGeometry *copy = GEOSGeom_clone_r(c->h, poly);
    GEOSGeometry *parts[1] = {copy};
    GEOSGeometry *multi =
        copy ? GEOSGeom_createCollection_r(c->h, GEOS_MULTIPOLYGON, parts, 1)
             : NULL;
    if (!multi) {
        if (copy)
            GEOSGeom_destroy_r(c->h, copy);
        return sg__geos_error(c->ctx, "building a result polygon");
    }
    size_t n = 0;
    unsigned char *wkb = sg__geom_to_wkb(c->ctx, multi, &n);
    GEOSGeom_destroy_r(c->h, multi);
    if (!wkb)
        return SG_ERR_GEOM;
    sg__insert *s = is_gap ? c->ins_gap : c->ins_overlap;
    sg__insert_int(s, 1, level);
    sg__insert_double(s, 2, area);
    bind_text(s, 3, is_gap ? div_codes : grid_codes);
    bind_text(s, 4, is_gap ? grid_codes : div_codes);
    sg__insert_blob(s, 5, wkb, n);
    GEOSFree_r(c->h, wkb);
    return sg__insert_step(c->ctx, c->store, s);
}

/* ---- pieces: gaps and overlaps ------------------------------------------ */

/* Join the codes of grids \p idx (n entries) sorted, comma-separated,
 * into \p out (emptied first). */
static sg_status join_grid_codes(checker *c, const size_t *idx, size_t n,
                                 strbuf *out)
{
    sb_clear(out);
    if (!n)
        return sb_add(c->ctx, out, "");
    const char **codes = malloc(n * sizeof *codes);
    if (!codes)
        return sg__error(c->ctx, SG_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < n; i++)
        codes[i] = c->grids[idx[i]].code;
    qsort(codes, n, sizeof *codes, cmp_str);
    sg_status st = SG_OK;
    for (size_t i = 0; i < n && st == SG_OK; i++) {
        if (i)
            st = sb_add(c->ctx, out, ",");
        if (st == SG_OK)
            st = sb_add(c->ctx, out, codes[i]);
    }
    free(codes);
    return st;
}

/* Grids of \p level within TOUCH_M of \p piece, into \p out (indices). */
static sg_status touching_grids(checker *c, int level,
                                const GEOSGeometry *piece, sg__idlist *out)
{
    out->n = 0;
    sg_status st =
        sg__geomset_query(c->ctx, &c->gset, piece, TOUCH_M, &c->cand);
    for (size_t k = 0; k < c->cand.n && st == SG_OK; k++) {
        size_t i = c->cand.v[k];
        if (c->grids[i].level != level)
            continue;
        const GEOSPreparedGeometry *p =
            sg__geomset_prepared(c->ctx, &c->gset, i);
        if (!p)
            return SG_ERR_GEOM;
        char r = GEOSPreparedDistanceWithin_r(c->h, p, piece, TOUCH_M);
        if (r == 2)
            return sg__geos_error(c->ctx, "distance to a grid");
        if (r == 1)
            st = sg__idlist_push(c->ctx, out, i);
    }
    return st;
}

/* Codes of the divisions named by the level's grids that share more than
 * NOISE_M2 of area with \p piece, sorted and comma-separated, into \p out
 * (emptied first). */
static sg_status piece_divisions(checker *c, const GEOSGeometry *piece,
                                 strbuf *out)
{
    sb_clear(out);
    sg_status st = sg__geomset_query(c->ctx, &c->dset, piece, 0, &c->cand);
    if (st)
        return st;
    const char **codes = malloc((c->cand.n ? c->cand.n : 1) * sizeof *codes);
    size_t nc = 0;
    if (!codes)
        return sg__error(c->ctx, SG_ERR_NOMEM, "out of memory");
    for (size_t k = 0; k < c->cand.n && st == SG_OK; k++) {
        size_t j = c->cand.v[k];
        if (!c->div_named[j])
            continue;
        const GEOSPreparedGeometry *p =
            sg__geomset_prepared(c->ctx, &c->dset, j);
        if (!p) {
            st = SG_ERR_GEOM;
            break;
        }
        char r = GEOSPreparedIntersects_r(c->h, p, piece);
        if (r == 1 && GEOSPreparedCovers_r(c->h, p, piece) != 1) {
            double a = 0;
            GEOSGeometry *x = sg__geom_intersection(
                c->ctx, sg__geomset_get(&c->dset, j), piece);
            if (!x) {
                st = SG_ERR_GEOM;
                break;
            }
            GEOSArea_r(c->h, x, &a);
            GEOSGeom_destroy_r(c->h, x);
            r = a > NOISE_M2;
        }
        if (r == 2)
            st = sg__geos_error(c->ctx, "piece in a division");
        else if (r == 1)
            codes[nc++] = c->div_codes[j];
    }
    if (st == SG_OK) {
        qsort(codes, nc, sizeof *codes, cmp_str);
        st = sb_add(c->ctx, out, "");
        for (size_t k = 0; k < nc && st == SG_OK; k++) {
            if (k)
                st = sb_add(c->ctx, out, ",");
            if (st == SG_OK)
                st = sb_add(c->ctx, out, codes[k]);
        }
    }
    free(codes);
    return st;
}

/* " near (x, y)" for a point inside \p poly, appended to \p b. */
static sg_status add_location(checker *c, const GEOSGeometry *poly, strbuf *b)
{
    GEOSGeometry *pt = GEOSPointOnSurface_r(c->h, poly);
    double x = 0, y = 0;
    int ok = pt && GEOSGeomGetX_r(c->h, pt, &x) && GEOSGeomGetY_r(c->h, pt, &y);
    if (pt)
        GEOSGeom_destroy_r(c->h, pt);
    if (!ok)
        return SG_OK; /* a location is a courtesy, not a requirement */
    char xs[48], ys[48];
    fmt_fixed(xs, sizeof xs, x, 1);
    fmt_fixed(ys, sizeof ys, y, 1);
    return sb_addf(c->ctx, b, " near (%s, %s)", xs, ys);
}

/* 1 if \p g is thinner than the width tolerance everywhere: shrunk by
 * half of it from every side, nothing is left (an edge moved by rounding
 * coordinates, e.g. GeoJSON's 7 decimals or a Shapefile's doubles). */
static int thinner_than_tol(checker *c, const GEOSGeometry *g)
{
    if (!(c->tol > 0))
        return 0;
    GEOSGeometry *b = GEOSBuffer_r(c->h, g, -c->tol / 2, 8);
    if (!b)
        return 0; /* cannot tell: a finding rather than a silent sliver */
    int empty = GEOSisEmpty_r(c->h, b) == 1;
    GEOSGeom_destroy_r(c->h, b);
    return empty;
}

/* Count and write one gap (\p is_gap) or overlap piece \p poly (a
 * Polygon) of \p level that touches / lies in grids \p gidx (n). */
static sg_status record_piece(checker *c, int is_gap, int level,
                              const GEOSGeometry *poly, const size_t *gidx,
                              size_t n, sg_check_level *out)
{
    double area = 0;
    if (!GEOSArea_r(c->h, poly, &area))
        return sg__geos_error(c->ctx, "area of a piece");
    strbuf divs = {0}, grids = {0}, detail = {0};
    sg_status st = piece_divisions(c, poly, &divs);
    if (st == SG_OK)
        st = join_grid_codes(c, gidx, n, &grids);
    int sliver = area < c->sliver || thinner_than_tol(c, poly);
    const char *what = is_gap ? (sliver ? "gap sliver" : "gap")
                              : (sliver ? "overlap sliver" : "overlap");
    if (st == SG_OK && is_gap)
        st = sb_addf(c->ctx, &detail, "%s in division(s) %s, touching %s", what,
                     divs.n ? divs.s : "(none)",
                     grids.n ? "grid(s) " : "no grid");
    else if (st == SG_OK)
        st = sb_addf(c->ctx, &detail, "%s in division(s) %s, inside grids ",
                     what, divs.n ? divs.s : "(none)");
    if (st == SG_OK)
        st = sb_add(c->ctx, &detail, grids.s);
    if (st == SG_OK)
        st = add_location(c, poly, &detail);
    if (st == SG_OK) {
        const char *codes = grids.n ? grids.s : divs.s;
        if (sliver) {
            out->slivers++;
            out->slivers_area_m2 += area;
            st = add_issue(c, level, "sliver", codes, detail.s, area);
        } else {
            if (is_gap) {
                out->gaps++;
                out->gaps_area_m2 += area;
            } else {
                out->overlaps++;
                out->overlaps_area_m2 += area;
            }
            st = add_piece_row(c, is_gap, level, area, divs.s, grids.s, poly);
            if (st == SG_OK)
                st = add_issue(c, level, is_gap ? "gap" : "overlap", codes,
                               detail.s, area);
        }
    }
    free(divs.s);
    free(grids.s);
    free(detail.s);
    return st;
}

/* Gaps of one level: the union of the divisions its grids name, minus the
 * union of its grids, in connected pieces (one Polygon each). */
static sg_status level_gaps(checker *c, int level, const sg__idlist *gl,
                            sg_check_level *out)
{
    sg_ctx *ctx = c->ctx;
    sg__idlist divs = {0}, touch = {0};
    const GEOSGeometry **geoms = NULL;
    GEOSGeometry *area = NULL, *cover = NULL, *gaps = NULL;
    sg_status st = SG_OK;
    for (size_t j = 0; j < c->ndivs && st == SG_OK; j++)
        if (c->div_named[j])
            st = sg__idlist_push(ctx, &divs, j);
    if (st)
        goto done;
    if (divs.n == 0) {
        sg__log(ctx, SG_LOG_WARN,
                "level %d: the grids name no known "
                "division, so gaps cannot be found",
                level);
        goto done;
    }
    size_t nd = divs.n;
    geoms = malloc((gl->n > nd ? gl->n : nd) * sizeof *geoms);
    if (!geoms) {
        st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        goto done;
    }
    for (size_t k = 0; k < nd; k++)
        geoms[k] = sg__geomset_get(&c->dset, divs.v[k]);
    if (!(area = sg__geom_union(ctx, geoms, nd))) {
        st = sg_ctx_status(ctx);
        goto done;
    }
    for (size_t k = 0; k < gl->n; k++)
        geoms[k] = sg__geomset_get(&c->gset, gl->v[k]);
    if ((st = sg__progress(ctx, 0.3, "gaps: union of grids")))
        goto done;
    if (!(cover = sg__geom_union(ctx, geoms, gl->n))) {
        st = sg_ctx_status(ctx);
        goto done;
    }
    if ((st = sg__progress(ctx, 0.7, "gaps: difference")))
        goto done;
    gaps = sg__geom_polygonal(ctx, sg__geom_difference(ctx, area, cover),
                              NOISE_M2);
    if (!gaps) {
        st = sg_ctx_status(ctx);
        goto done;
    }
    int n = GEOSGetNumGeometries_r(c->h, gaps);
    for (int i = 0; i < n && st == SG_OK; i++) {
        const GEOSGeometry *p = GEOSGetGeometryN_r(c->h, gaps, i);
        st = touching_grids(c, level, p, &touch);
        if (st == SG_OK)
            st = record_piece(c, 1, level, p, touch.v, touch.n, out);
        if (st == SG_OK && i % PROGRESS_EVERY == 0)
            st = sg__progress(ctx, 0.7 + 0.3 * i / n, "gaps");
    }
done:
    if (area)
        GEOSGeom_destroy_r(c->h, area);
    if (cover)
        GEOSGeom_destroy_r(c->h, cover);
    if (gaps)
        GEOSGeom_destroy_r(c->h, gaps);
    free(geoms);
    sg__idlist_cleanup(&divs);
    sg__idlist_cleanup(&touch);
    return st;
}

/* An overlap part: one polygon of the intersection of grids a and b. */
typedef struct overlap_part {
    GEOSGeometry *g; /* owned Polygon */
    size_t a, b;     /* grid indices */
} overlap_part;

/* The polygonal intersections (area > NOISE_M2) of every pair of grids
 * of the level, found through the spatial index, into *parts. */
static sg_status overlap_parts(checker *c, int level, const sg__idlist *gl,
                               overlap_part **parts, size_t *np)
{
    size_t cap = 0;
    sg_status st = SG_OK;
    for (size_t k = 0; k < gl->n && st == SG_OK; k++) {
        size_t i = gl->v[k];
        const GEOSGeometry *gi = sg__geomset_get(&c->gset, i);
        if (!gi)
            continue;
        const GEOSPreparedGeometry *pi =
            sg__geomset_prepared(c->ctx, &c->gset, i);
        if (!pi)
            return SG_ERR_GEOM;
        if ((st = sg__geomset_query(c->ctx, &c->gset, gi, 0, &c->cand)))
            return st;
        for (size_t m = 0; m < c->cand.n && st == SG_OK; m++) {
            size_t j = c->cand.v[m];
            if (j <= i || c->grids[j].level != level)
                continue;
            const GEOSGeometry *gj = sg__geomset_get(&c->gset, j);
            char r = GEOSPreparedIntersects_r(c->h, pi, gj);
            if (r == 2)
                return sg__geos_error(c->ctx, "grids intersect");
            if (r == 0)
                continue;
            GEOSGeometry *x = sg__geom_polygonal(
                c->ctx, sg__geom_intersection(c->ctx, gi, gj), NOISE_M2);
            if (!x)
                return sg__error_prefix(c->ctx, "overlap of grids %s and %s: ",
                                        c->grids[i].code, c->grids[j].code);
            int n = GEOSGetNumGeometries_r(c->h, x);
            for (int q = 0; q < n && st == SG_OK; q++) {
                if (*np == cap) {
                    size_t nc = cap ? cap * 2 : 16;
                    overlap_part *nv = realloc(*parts, nc * sizeof *nv);
                    if (!nv) {
                        st = sg__error(c->ctx, SG_ERR_NOMEM, "out of memory");
                        break;
                    }
                    *parts = nv;
                    cap = nc;
                }
                GEOSGeometry *pc =
                    GEOSGeom_clone_r(c->h, GEOSGetGeometryN_r(c->h, x, q));
                if (!pc) {
                    st = sg__geos_error(c->ctx, "copying an overlap");
                    break;
                }
                (*parts)[(*np)++] = (overlap_part){pc, i, j};
            }
            GEOSGeom_destroy_r(c->h, x);
        }
        if (st == SG_OK && k % PROGRESS_EVERY == 0)
            st = sg__progress(c->ctx, 0.6 * k / gl->n, "overlaps");
    }
    return st;
}

/* \return the piece of \p pieces that holds a point inside \p part (the
 * nearest piece if rounding put the point just outside all of them). */
static sg_status piece_of_part(checker *c, sg__geomset *pieces,
                               const GEOSGeometry *part, size_t *which)
{
    GEOSGeometry *pt = GEOSPointOnSurface_r(c->h, part);
    if (!pt)
        return sg__geos_error(c->ctx, "point on an overlap");
    sg_status st = sg__geomset_query(c->ctx, pieces, pt, 1.0, &c->cand);
    double best = DBL_MAX;
    *which = 0;
    for (size_t k = 0; k < c->cand.n && st == SG_OK; k++) {
        size_t j = c->cand.v[k];
        const GEOSPreparedGeometry *p = sg__geomset_prepared(c->ctx, pieces, j);
        if (!p) {
            st = SG_ERR_GEOM;
            break;
        }
        if (GEOSPreparedIntersects_r(c->h, p, pt) == 1) {
            *which = j;
            best = 0;
            break;
        }
        double d = DBL_MAX;
        if (GEOSDistance_r(c->h, sg__geomset_get(pieces, j), pt, &d) &&
            d < best) {
            best = d;
            *which = j;
        }
    }
    GEOSGeom_destroy_r(c->h, pt);
    return st;
}

/* Overlaps of one level: polygonal parts of pairwise intersections,
 * unioned, split into connected pieces, each carrying the grids whose
 * pairwise intersections make it up. */
static sg_status level_overlaps(checker *c, int level, const sg__idlist *gl,
                                sg_check_level *out)
{
    overlap_part *parts = NULL;
    size_t np = 0;
    sg__geomset pieces;
    sg__geomset_init(&pieces, c->ctx, 1);
    sg__idlist *members = NULL;
    const GEOSGeometry **geoms = NULL;
    size_t npieces = 0;
    sg_status st = overlap_parts(c, level, gl, &parts, &np);
    if (st || np == 0)
        goto done;
    if ((st = sg__progress(c->ctx, 0.6, "overlaps: pieces")))
        goto done;
    geoms = malloc(np * sizeof *geoms);
    if (!geoms) {
        st = sg__error(c->ctx, SG_ERR_NOMEM, "out of memory");
        goto done;
    }
    for (size_t k = 0; k < np; k++)
        geoms[k] = parts[k].g;
    GEOSGeometry *u =
        sg__geom_polygonal(c->ctx, sg__geom_union(c->ctx, geoms, np), NOISE_M2);
    if (!u) {
        st = sg_ctx_status(c->ctx);
        goto done;
    }
    int n = GEOSGetNumGeometries_r(c->h, u);
    for (int q = 0; q < n && st == SG_OK; q++) {
        GEOSGeometry *pc =
            GEOSGeom_clone_r(c->h, GEOSGetGeometryN_r(c->h, u, q));
        st = pc ? sg__geomset_add(c->ctx, &pieces, pc)
                : sg__geos_error(c->ctx, "copying an overlap piece");
    }
    GEOSGeom_destroy_r(c->h, u);
    npieces = pieces.n;
    members = calloc(npieces ? npieces : 1, sizeof *members);
    if (st == SG_OK && !members)
        st = sg__error(c->ctx, SG_ERR_NOMEM, "out of memory");
    for (size_t k = 0; k < np && st == SG_OK; k++) {
        size_t w = 0;
        st = piece_of_part(c, &pieces, parts[k].g, &w);
        if (st == SG_OK && npieces)
            st = sg__idlist_push(c->ctx, &members[w], parts[k].a);
        if (st == SG_OK && npieces)
            st = sg__idlist_push(c->ctx, &members[w], parts[k].b);
    }
    for (size_t w = 0; w < npieces && st == SG_OK; w++) {
        sg__idlist *m = &members[w];
        sg__idlist_sort(m);
        size_t u2 = 0;
        for (size_t k = 0; k < m->n; k++)
            if (u2 == 0 || m->v[u2 - 1] != m->v[k])
                m->v[u2++] = m->v[k];
        m->n = u2;
        st = record_piece(c, 0, level, sg__geomset_get(&pieces, w), m->v, m->n,
                          out);
        if (st == SG_OK && w % PROGRESS_EVERY == 0)
            st = sg__progress(c->ctx, 0.7 + 0.3 * w / npieces, "overlaps");
    }
done:
    for (size_t k = 0; k < np; k++)
        GEOSGeom_destroy_r(c->h, parts[k].g);
    free(parts);
    free(geoms);
    for (size_t w = 0; members && w < npieces; w++)
        sg__idlist_cleanup(&members[w]);
    free(members);
    sg__geomset_cleanup(&pieces);
    return st;
}

/* ---- hierarchy and ownership -------------------------------------------- */

/* Area of grid \p i outside geometry \p k of \p set (0 if covered). */
static sg_status area_outside(checker *c, size_t i, sg__geomset *set, size_t k,
                              double *out)
{
    *out = 0;
    const GEOSGeometry *g = sg__geomset_get(&c->gset, i);
    const GEOSGeometry *container = sg__geomset_get(set, k);
    if (!g)
        return SG_OK;
    if (!container) {
        return GEOSArea_r(c->h, g, out) ? SG_OK
                                        : sg__geos_error(c->ctx, "area");
    }
    const GEOSPreparedGeometry *p = sg__geomset_prepared(c->ctx, set, k);
    if (!p)
        return SG_ERR_GEOM;
    char r = GEOSPreparedCovers_r(c->h, p, g);
    if (r == 2)
        return sg__geos_error(c->ctx, "grid within its container");
    if (r == 1)
        return SG_OK;
    GEOSGeometry *d = sg__geom_difference(c->ctx, g, container);
    if (!d)
        return SG_ERR_GEOM;
    /* what sticks out by less than the width tolerance is not outside */
    if (!thinner_than_tol(c, d))
        GEOSArea_r(c->h, d, out);
    GEOSGeom_destroy_r(c->h, d);
    return SG_OK;
}

/* The grid code scheme of DOMAIN.md §2 grid.id_format: level 1 = the
 * division's 12-digit code + 3 digits, level 2 = parent + 2 digits,
 * level 3 = parent + 2 digits. Reasons a code breaks it go to \p why
 * (empty if it follows it). */
static sg_status code_problems(checker *c, const grid *g, strbuf *why)
{
    sg_ctx *ctx = c->ctx;
    sb_clear(why);
    sg_status st = sb_add(ctx, why, "");
    size_t len = strlen(g->code);
    int digits = len > 0;
    for (size_t k = 0; k < len; k++)
        if (g->code[k] < '0' || g->code[k] > '9')
            digits = 0;
    size_t want = g->level <= 1 ? 15 : g->level == 2 ? 17 : 19;
    const char *prefix = g->level <= 1 ? g->eff_division : g->parent;
    if (!digits)
        st = sb_add(ctx, why, "not all digits");
    if (st == SG_OK && len != want)
        st = sb_addf(ctx, why, "%s%zu characters, level %d wants %zu",
                     why->n ? "; " : "", len, g->level, want);
    if (st == SG_OK && prefix && strncmp(g->code, prefix, strlen(prefix)) != 0)
        st = sb_addf(ctx, why, "%sdoes not start with its %s code %.40s",
                     why->n ? "; " : "", g->level <= 1 ? "division" : "parent",
                     prefix);
    return st;
}

/* Containment, parent, code and leader findings of grid \p i. */
static sg_status grid_findings(checker *c, size_t i, sg_check_level *out,
                               strbuf *codes, strbuf *why)
{
    sg_ctx *ctx = c->ctx;
    const grid *g = &c->grids[i];
    int L = g->level;
    double v = 0;
    char num[48];
    sg_status st = SG_OK;
    if (L >= 2) {
        const grid *p = g->parent_idx >= 0 ? &c->grids[g->parent_idx] : NULL;
        if (!p) {
            out->hierarchy_errors++;
            sb_clear(why);
            st = g->parent ? sb_addf(ctx, why,
                                     "parent grid %.40s does not "
                                     "exist",
                                     g->parent)
                           : sb_addf(ctx, why,
                                     "a level-%d grid without "
                                     "parent_code",
                                     L);
            if (st == SG_OK)
                st = add_issue(c, L, "missing_parent", g->code, why->s, NAN);
        } else if (p->level != L - 1) {
            out->hierarchy_errors++;
            sb_clear(why);
            st = sb_addf(ctx, why, "parent grid %.40s is level %d, not %d",
                         p->code, p->level, L - 1);
            if (st == SG_OK)
                st = add_issue(c, L, "missing_parent", g->code, why->s, NAN);
        }
        if (st == SG_OK && p &&
            (st = area_outside(c, i, &c->gset, (size_t)g->parent_idx, &v)) ==
                SG_OK &&
            v >= c->sliver) {
            out->hierarchy_errors++;
            sb_clear(codes);
            sb_clear(why);
            fmt_fixed(num, sizeof num, v, 2);
            st = sb_addf(ctx, codes, "%s,%s", g->code, p->code);
            if (st == SG_OK)
                st = sb_addf(ctx, why,
                             "%s m² of grid %.40s lie outside its "
                             "parent %.40s",
                             num, g->code, p->code);
            if (st == SG_OK)
                st = add_issue(c, L, "not_within_parent", codes->s, why->s, v);
        }
    }
    if (st == SG_OK && g->div_idx < 0) {
        out->hierarchy_errors++;
        sb_clear(why);
        st = g->eff_division
                 ? sb_addf(ctx, why, "division %.40s does not exist",
                           g->eff_division)
                 : sb_add(ctx, why, "the grid names no division");
        if (st == SG_OK)
            st = add_issue(c, L, "not_within_division", g->code, why->s, NAN);
    } else if (st == SG_OK &&
               (st = area_outside(c, i, &c->dset, (size_t)g->div_idx, &v)) ==
                   SG_OK &&
               v >= c->sliver) {
        out->hierarchy_errors++;
        sb_clear(codes);
        sb_clear(why);
        fmt_fixed(num, sizeof num, v, 2);
        st = sb_addf(ctx, codes, "%s,%s", g->code, g->eff_division);
        if (st == SG_OK)
            st = sb_addf(ctx, why,
                         "%s m² of grid %.40s lie outside its "
                         "division %.40s",
                         num, g->code, g->eff_division);
        if (st == SG_OK)
            st = add_issue(c, L, "not_within_division", codes->s, why->s, v);
    }
    if (st == SG_OK)
        st = code_problems(c, g, why);
    if (st == SG_OK && why->n) {
        out->bad_codes++;
        st = add_issue(c, L, "bad_code", g->code, why->s, NAN);
    }
    if (st == SG_OK && !g->has_leader) {
        out->grids_without_leader++;
        st = add_issue(c, L, "no_leader", g->code, "grid has no grid_leader",
                       NAN);
    }
    return st;
}

/* Duplicate codes: each code used by several grids, reported once, at the
 * lowest checked level among the grids using it. */
static sg_status level_duplicates(checker *c, int level, sg_check_level *out,
                                  strbuf *why)
{
    sg_status st = SG_OK;
    for (size_t k = 0; k < c->ngrids && st == SG_OK;) {
        size_t e = k + 1;
        while (e < c->ngrids &&
               strcmp(c->grid_codes[e].code, c->grid_codes[k].code) == 0)
            e++;
        if (e - k > 1) {
            int lowest = 0;
            for (size_t m = k; m < e; m++) {
                int L = c->grids[c->grid_codes[m].idx].level;
                if (L >= 1 && L <= 3 && c->checked[L] &&
                    (lowest == 0 || L < lowest))
                    lowest = L;
            }
            if (lowest == level) {
                out->hierarchy_errors++;
                out->duplicate_codes++;
                sb_clear(why);
                st = sb_addf(c->ctx, why, "code used by %zu grids (fid", e - k);
                for (size_t m = k; m < e && st == SG_OK; m++)
                    st = sb_addf(c->ctx, why, "%s%lld", m > k ? ", " : " ",
                                 c->grid_codes[m].fid);
                if (st == SG_OK)
                    st = sb_add(c->ctx, why, ")");
                if (st == SG_OK)
                    st = add_issue(c, level, "duplicate_code",
                                   c->grid_codes[k].code, why->s,
                                   (double)(e - k));
            }
        }
        k = e;
    }
    return st;
}

/* Hierarchy, code and leader findings of every grid of the level. */
static sg_status level_hierarchy(checker *c, int level, const sg__idlist *gl,
                                 sg_check_level *out)
{
    strbuf codes = {0}, why = {0};
    sg_status st = SG_OK;
    for (size_t k = 0; k < gl->n && st == SG_OK; k++) {
        st = grid_findings(c, gl->v[k], out, &codes, &why);
        if (st == SG_OK && k % PROGRESS_EVERY == 0)
            st = sg__progress(c->ctx, (double)k / gl->n, "hierarchy");
    }
    if (st == SG_OK)
        st = level_duplicates(c, level, out, &why);
    free(codes.s);
    free(why.s);
    return st;
}

/* The grid of \p level nearest to \p pt and its distance, searching boxes
 * that grow until one holds a grid within its half-width. *best -1 if the
 * level has no grid with geometry. */
static sg_status nearest_grid(checker *c, int level, const GEOSGeometry *pt,
                              long *best, double *dist)
{
    *best = -1;
    *dist = DBL_MAX;
    for (double r = 50; r < 1e9; r *= 4) {
        sg_status st = sg__geomset_query(c->ctx, &c->gset, pt, r, &c->cand);
        if (st)
            return st;
        for (size_t k = 0; k < c->cand.n; k++) {
            size_t i = c->cand.v[k];
            if (c->grids[i].level != level)
                continue;
            const GEOSPreparedGeometry *p =
                sg__geomset_prepared(c->ctx, &c->gset, i);
            double d = DBL_MAX;
            if (!p || !GEOSPreparedDistance_r(c->h, p, pt, &d))
                return sg__geos_error(c->ctx, "distance to a grid");
            if (d < *dist) {
                *dist = d;
                *best = (long)i;
            }
        }
        /* every grid closer than r has its envelope in the box */
        if (*best >= 0 && *dist <= r)
            return SG_OK;
    }
    return SG_OK;
}

/* Households of the level: in no grid, or inside several. A household on
 * the boundary of grids (and in the interior of none) is in exactly one
 * grid: grids are closed, and a shared edge is not a double count. */
static sg_status level_households(checker *c, int level, sg_check_level *out)
{
    sg_ctx *ctx = c->ctx;
    sg__idlist inside = {0};
    strbuf codes = {0}, why = {0};
    sg_status st = SG_OK;
    char num[48];
    for (size_t k = 0; k < c->nhh && st == SG_OK; k++) {
        const household *hh = &c->hh[k];
        GEOSGeometry *pt = GEOSGeom_createPointFromXY_r(c->h, hh->x, hh->y);
        if (!pt) {
            st = sg__geos_error(ctx, "household point");
            break;
        }
        inside.n = 0;
        size_t on_edge = 0;
        st = sg__geomset_query(ctx, &c->gset, pt, 0, &c->cand);
        for (size_t m = 0; m < c->cand.n && st == SG_OK; m++) {
            size_t i = c->cand.v[m];
            if (c->grids[i].level != level)
                continue;
            const GEOSPreparedGeometry *p =
                sg__geomset_prepared(ctx, &c->gset, i);
            if (!p) {
                st = SG_ERR_GEOM;
                break;
            }
            char r = GEOSPreparedIntersects_r(c->h, p, pt);
            if (r == 1)
                r = GEOSPreparedContains_r(c->h, p, pt) == 1 ? 3 : 1;
            if (r == 2)
                st = sg__geos_error(ctx, "household in a grid");
            else if (r == 3)
                st = sg__idlist_push(ctx, &inside, i);
            else if (r == 1)
                on_edge++;
        }
        if (st == SG_OK && inside.n >= 2) {
            out->households_in_several_grids++;
            st = join_grid_codes(c, inside.v, inside.n, &why);
            sb_clear(&codes);
            if (st == SG_OK)
                st = sb_addf(ctx, &codes, "%s,", hh->id);
            if (st == SG_OK)
                st = sb_add(ctx, &codes, why.s);
            sb_clear(&why);
            if (st == SG_OK)
                st = sb_addf(ctx, &why,
                             "household %.60s is inside %zu "
                             "grids",
                             hh->id, inside.n);
            if (st == SG_OK)
                st = add_issue(c, level, "household_in_several", codes.s, why.s,
                               (double)inside.n);
        } else if (st == SG_OK && inside.n == 0 && on_edge == 0) {
            long best = -1;
            double d = 0;
            out->households_outside_grids++;
            st = nearest_grid(c, level, pt, &best, &d);
            sb_clear(&why);
            if (st == SG_OK && best >= 0) {
                fmt_fixed(num, sizeof num, d, 1);
                st = sb_addf(ctx, &why,
                             "household %.60s is in no level-%d "
                             "grid; nearest %.40s at %s m",
                             hh->id, level, c->grids[best].code, num);
            } else if (st == SG_OK) {
                st = sb_addf(ctx, &why,
                             "household %.60s is in no level-%d "
                             "grid",
                             hh->id, level);
            }
            if (st == SG_OK)
                st = add_issue(c, level, "household_outside", hh->id, why.s,
                               best >= 0 ? d : NAN);
        }
        GEOSGeom_destroy_r(c->h, pt);
        if (st == SG_OK && k % (PROGRESS_EVERY * 16) == 0)
            st = sg__progress(ctx, (double)k / c->nhh, "households");
    }
    sg__idlist_cleanup(&inside);
    free(codes.s);
    free(why.s);
    return st;
}

/* Run every part of the check for one level, within the current progress
 * range. */
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
        st = level_gaps(c, level, &gl, out);
        sg__progress_pop(c->ctx, saved);
    }
    t1 = now_seconds();
    c->secs[0] += t1 - t;
    if (st == SG_OK && gl.n) {
        sg__progress_push(c->ctx, 0.3, 0.6, saved);
        st = level_overlaps(c, level, &gl, out);
        sg__progress_pop(c->ctx, saved);
    }
    t = now_seconds();
    c->secs[1] += t - t1;
    if (st == SG_OK) {
        sg__progress_push(c->ctx, 0.6, 0.7, saved);
        st = level_hierarchy(c, level, &gl, out);
        sg__progress_pop(c->ctx, saved);
    }
    t1 = now_seconds();
    c->secs[2] += t1 - t;
    if (st == SG_OK && gl.n) {
        sg__progress_push(c->ctx, 0.7, 1.0, saved);
        st = level_households(c, level, out);
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
    sg_check_options defaults = {0, 1.0, SG_CHECK_TOLERANCE_M};
    const sg_check_options *o = opts ? opts : &defaults;
    if (o->level < 0 || o->level > 3)
        return sg__error(ctx, SG_ERR_USAGE,
                         "grid level must be 1, 2 or 3 "
                         "(or 0 for all), not %d",
                         o->level);
    if (!(o->sliver_m2 >= 0) || !isfinite(o->sliver_m2))
        return sg__error(ctx, SG_ERR_USAGE,
                         "sliver size must be a number "
                         ">= 0 m², not %g",
                         o->sliver_m2);
    if (!(o->tol_m >= 0) || !isfinite(o->tol_m) || o->tol_m > 10)
        return sg__error(ctx, SG_ERR_USAGE,
                         "the width tolerance must be 0..10 m, not %g",
                         o->tol_m);
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
    if ((st = create_outputs(&c)))
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
