/* sanigrid staffing: the cleaners (保洁员) each village needs by the
 * population rule and the road rule, against the cleaners it has
 * (DOMAIN.md §1.4 and §2 cleaner.*). Writes layer `staffing`.
 * Road outside settlements = road inside the village minus the union of
 * the buffers (cleaner.settlement_buffer_m) of every household, whichever
 * village it belongs to (a house of the next village 50 m away makes a
 * settlement as much as one of the village's own). That union is
 * never built (a GEOS union of 100,000 buffers took most of the run):
 * each road segment is clipped against the buffers of the households
 * near it (the settlement cover, staffing_int.h), which gives the same
 * length up to floating-point rounding.
 * Not for: dividing the work among cleaners (allocate), SQL (src/store),
 * printing (src/cli).
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "geom/geos_int.h"
#include "analysis/staffing/staffing_int.h"
#include "core/ctx_int.h"
#include "sanigrid/staffing.h"
#include "store/store_int.h"

struct sg_staffing_options {
    double per_residents;  /* 0 = setting */
    double per_households; /* > 0: households mode */
    double per_road_km;    /* < 0 = settings, 0 = no road rule */
    int min_per_village;   /* -1 = setting */
    char level[32];
};

/* The defaults: every figure from the store's settings (cleaner.*),
 * villages = divisions of level admin_village. sg_staffing_options_new's,
 * and sg_staffing's for NULL options. */
static sg_staffing_options defaults(void)
{
    sg_staffing_options d;
    memset(&d, 0, sizeof d);
    d.min_per_village = -1;
    d.per_road_km = -1;
    snprintf(d.level, sizeof d.level, "admin_village");
    return d;
}

sg_staffing_options *sg_staffing_options_new(void)
{
    sg_staffing_options *o = malloc(sizeof *o);
    if (o)
        *o = defaults();
    return o;
}

void sg_staffing_options_free(sg_staffing_options *o)
{
    free(o);
}

sg_status sg_staffing_options_set_per_residents(sg_ctx *ctx,
                                                sg_staffing_options *o,
                                                double n)
{
    if (!(n > 0) || !isfinite(n))
        return sg__error(ctx, SG_ERR_USAGE,
                         "staffing: residents per cleaner must be a number "
                         "> 0, not %g",
                         n);
    o->per_residents = n;
    return SG_OK;
}

sg_status sg_staffing_options_set_per_households(sg_ctx *ctx,
                                                 sg_staffing_options *o,
                                                 double n)
{
    if (!(n > 0) || !isfinite(n))
        return sg__error(ctx, SG_ERR_USAGE,
                         "staffing: households per cleaner must be a number "
                         "> 0, not %g",
                         n);
    o->per_households = n;
    return SG_OK;
}

sg_status sg_staffing_options_set_per_road_km(sg_ctx *ctx,
                                              sg_staffing_options *o, double x)
{
    if (!(x >= 0) || !isfinite(x))
        return sg__error(ctx, SG_ERR_USAGE,
                         "staffing: cleaners per km of road must be a number "
                         ">= 0, not %g",
                         x);
    o->per_road_km = x;
    return SG_OK;
}

sg_status sg_staffing_options_set_min_per_village(sg_ctx *ctx,
                                                  sg_staffing_options *o, int n)
{
    if (n < 0)
        return sg__error(ctx, SG_ERR_USAGE,
                         "staffing: the minimum per village must be >= 0, "
                         "not %d",
                         n);
    o->min_per_village = n;
    return SG_OK;
}

void sg_staffing_result_free(sg_staffing_result *r)
{
    if (!r)
        return;
    free(r->mode);
    free(r);
}

sg_status sg_staffing_options_set_level(sg_ctx *ctx, sg_staffing_options *o,
                                        const char *level)
{
    static const char *const levels[] = {"county", "township", "admin_village",
                                         "natural_village", "group"};
    for (size_t i = 0; i < sizeof levels / sizeof levels[0]; i++)
        if (level && strcmp(level, levels[i]) == 0) {
            snprintf(o->level, sizeof o->level, "%s", level);
            return SG_OK;
        }
    return sg__error(ctx, SG_ERR_USAGE,
                     "unknown division level '%s' (county, township, "
                     "admin_village, natural_village, group)",
                     level ? level : "");
}

/* Road classes in the order of the schema's CHECK list. */
enum {
    RC_NATIONAL,
    RC_PROVINCIAL,
    RC_COUNTY,
    RC_TOWNSHIP,
    RC_VILLAGE,
    RC_LANE,
    RC_OTHER,
    RC_N
};
static const char *const class_names[RC_N] = {
    "national", "provincial", "county", "township", "village", "lane", "other"};

/* \return the class index of \p name (NULL or unknown: other). */
static int class_index(const char *name)
{
    for (int i = 0; name && i < RC_N; i++)
        if (strcmp(name, class_names[i]) == 0)
            return i;
    return RC_OTHER;
}

typedef struct village {
    char *code, *name; /* owned */
    long long residents, households, current;
    double km[RC_N];       /* road km inside the village by class */
    double km_out_major;   /* national/provincial/county outside */
    double km_out_village; /* township/village outside settlements */
} village;

typedef struct staffer {
    sg_ctx *ctx;
    sg_store *store;
    GEOSContextHandle_t h;
    int registered;       /* population basis: registered */
    sg__geomset villages; /* polygons, owned */
    village *v;           /* one per polygon */
    size_t nv, capv;
    sg__idlist cand;
    sg__settle_shape shape; /* the household buffer (owned) */
    double *hx, *hy;        /* every household's position, inside a
                               village or not (owned) */
    size_t nh, caph;
    sg__settle settle; /* buffers of hx/hy, indexed (owned) */
    sg_staffing_result *res;
} staffer;

/* Copy of a text column, or NULL. Caller owns; free(). */
static char *col_dup(sg__row *row, int i)
{
    const char *t = sg__row_text(row, i);
    return t ? strdup(t) : NULL;
}

/* Geometry of the last column of \p row, or NULL if absent/unreadable. */
static GEOSGeometry *row_geom(staffer *s, sg__row *row, int col)
{
    const void *wkb = sg__row_blob(row, col);
    int n = (int)sg__row_bytes(row, col);
    if (!wkb || n <= 0)
        return NULL;
    return sg__geom_from_wkb(s->ctx, wkb, (size_t)n);
}

/* Scan callback for villages: division_code, name, geom. */
static sg_status village_row(sg__row *row, void *user)
{
    staffer *s = user;
    if (s->nv == s->capv) {
        size_t cap = s->capv ? s->capv * 2 : 64;
        village *nv = realloc(s->v, cap * sizeof *nv);
        if (!nv)
            return sg__error(s->ctx, SG_ERR_NOMEM, "out of memory");
        s->v = nv;
        s->capv = cap;
    }
    village *v = &s->v[s->nv];
    memset(v, 0, sizeof *v);
    v->code = col_dup(row, 0);
    v->name = col_dup(row, 1);
    s->nv++;
    GEOSGeometry *g = row_geom(s, row, 2);
    if (g && GEOSisValid_r(s->h, g) != 1) {
        GEOSGeometry *fixed = GEOSMakeValid_r(s->h, g);
        GEOSGeom_destroy_r(s->h, g);
        g = sg__geom_polygonal(s->ctx, fixed, 0);
    }
    return sg__geomset_add(s->ctx, &s->villages, g);
}

/* Index of the village containing \p g (first by number), or -1. */
static sg_status find_village(staffer *s, const GEOSGeometry *g, long *out)
{
    *out = -1;
    sg_status st = sg__geomset_query(s->ctx, &s->villages, g, 0, &s->cand);
    for (size_t k = 0; st == SG_OK && k < s->cand.n; k++) {
        const GEOSPreparedGeometry *p =
            sg__geomset_prepared(s->ctx, &s->villages, s->cand.v[k]);
        if (p && GEOSPreparedIntersects_r(s->h, p, g) == 1) {
            *out = (long)s->cand.v[k];
            break;
        }
    }
    return st;
}

/* Scan callback for households: resident, registered, geom. Every
 * household's position goes into the settlement cover; those inside a
 * village count towards its population. */
static sg_status household_row(sg__row *row, void *user)
{
    staffer *s = user;
    GEOSGeometry *g = row_geom(s, row, 2);
    if (!g)
        return SG_OK;
    long vi = -1;
    double x = 0, y = 0;
    int has_xy =
        GEOSGeomGetX_r(s->h, g, &x) == 1 && GEOSGeomGetY_r(s->h, g, &y) == 1;
    sg_status st = has_xy ? find_village(s, g, &vi) : SG_OK;
    GEOSGeom_destroy_r(s->h, g);
    if (st)
        return st;
    if (has_xy) {
        if (s->nh == s->caph) {
            size_t cap = s->caph ? s->caph * 2 : 256;
            double *nx = realloc(s->hx, cap * sizeof *nx);
            if (nx)
                s->hx = nx;
            double *ny = realloc(s->hy, cap * sizeof *ny);
            if (ny)
                s->hy = ny;
            if (!nx || !ny)
                return sg__error(s->ctx, SG_ERR_NOMEM, "out of memory");
            s->caph = cap;
        }
        s->hx[s->nh] = x;
        s->hy[s->nh] = y;
        s->nh++;
    }
    if (vi < 0) {
        s->res->households_outside++;
        return SG_OK;
    }
    village *v = &s->v[vi];
    int col = s->registered && !sg__row_is_null(row, 1) ? 1 : 0;
    v->residents += sg__row_int64(row, col);
    v->households++;
    return SG_OK;
}

/* ---- settlement cover (staffing_int.h) ----------------------------------- */

void sg__settle_shape_cleanup(sg__settle_shape *s)
{
    if (!s)
        return;
    free(s->vx);
    free(s->vy);
    memset(s, 0, sizeof *s);
}

sg_status sg__settle_shape_init(sg_ctx *ctx, sg__settle_shape *s, double r,
                                int quadsegs)
{
    GEOSContextHandle_t h = ctx->geom;
    memset(s, 0, sizeof *s);
    s->r = r;
    if (!(r > 0) || !isfinite(r))
        return SG_OK;
    sg_status st = SG_OK;
    GEOSGeometry *pt = GEOSGeom_createPointFromXY_r(h, 0, 0);
    GEOSGeometry *buf = pt ? GEOSBuffer_r(h, pt, r, quadsegs) : NULL;
    /* a point's buffer is convex already; the hull only guarantees it */
    GEOSGeometry *hull = buf ? GEOSConvexHull_r(h, buf) : NULL;
    if (!hull) {
        st = sg__geos_error(ctx, "household buffer");
        goto done;
    }
    if (GEOSGeomTypeId_r(h, hull) != GEOS_POLYGON || GEOSisEmpty_r(h, hull))
        goto done; /* degenerate (tiny r): covers nothing, like GEOS's */
    const GEOSGeometry *ring = GEOSGetExteriorRing_r(h, hull);
    const GEOSCoordSequence *cs = ring ? GEOSGeom_getCoordSeq_r(h, ring) : NULL;
    unsigned int n = 0;
    if (!cs || !GEOSCoordSeq_getSize_r(h, cs, &n)) {
        st = sg__geos_error(ctx, "household buffer");
        goto done;
    }
    if (n < 4)
        goto done;
    n--; /* the closing vertex */
    s->vx = malloc(n * sizeof *s->vx);
    s->vy = malloc(n * sizeof *s->vy);
    if (!s->vx || !s->vy) {
        st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        goto done;
    }
    double area2 = 0;
    for (unsigned int i = 0; i < n; i++) {
        if (!GEOSCoordSeq_getXY_r(h, cs, i, &s->vx[i], &s->vy[i])) {
            st = sg__geos_error(ctx, "household buffer");
            goto done;
        }
        s->reach = fmax(s->reach, hypot(s->vx[i], s->vy[i]));
    }
    for (unsigned int i = 0; i < n; i++) {
        unsigned int j = i + 1 < n ? i + 1 : 0;
        area2 += s->vx[i] * s->vy[j] - s->vx[j] * s->vy[i];
    }
    if (area2 < 0) /* clockwise: reverse */
        for (unsigned int i = 0, j = n - 1; i < j; i++, j--) {
            double t = s->vx[i];
            s->vx[i] = s->vx[j];
            s->vx[j] = t;
            t = s->vy[i];
            s->vy[i] = s->vy[j];
            s->vy[j] = t;
        }
    s->n = n;
done:
    if (st)
        sg__settle_shape_cleanup(s);
    if (hull)
        GEOSGeom_destroy_r(h, hull);
    if (buf)
        GEOSGeom_destroy_r(h, buf);
    if (pt)
        GEOSGeom_destroy_r(h, pt);
    return st;
}

void sg__settle_cleanup(sg__settle *s)
{
    if (!s)
        return;
    sg__cells_cleanup(&s->grid);
    free(s->iv);
    memset(s, 0, sizeof *s);
}

sg_status sg__settle_init(sg_ctx *ctx, sg__settle *s,
                          const sg__settle_shape *shape, const double *px,
                          const double *py, size_t n)
{
    memset(s, 0, sizeof *s);
    s->shape = shape;
    s->px = px;
    s->py = py;
    s->n = n;
    if (n == 0 || shape->n == 0)
        return SG_OK;
    double *boxes = malloc(4 * n * sizeof *boxes);
    if (!boxes)
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) {
        boxes[4 * i] = boxes[4 * i + 2] = px[i];
        boxes[4 * i + 1] = boxes[4 * i + 3] = py[i];
    }
    /* cells of the buffer's size: a segment's query visits few cells */
    sg_status st = sg__cells_build(ctx, &s->grid, boxes, n, shape->reach);
    free(boxes);
    return st;
}

/* Compare two intervals (pairs of doubles) by start. */
static int interval_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The part [*t0, *t1] of the segment (ax, ay) + t (dx, dy), t in
 * [*t0, *t1], inside the convex counter-clockwise polygon \p sh translated
 * to the origin of the segment's coordinates (Cyrus-Beck: the half-plane
 * left of each edge; the boundary counts as inside). \return 1 if a part
 * of positive length is left, else 0. */
static int clip_convex(const sg__settle_shape *sh, double ax, double ay,
                       double dx, double dy, double *t0, double *t1)
{
    double te = *t0, tl = *t1;
    for (size_t i = 0; i < sh->n; i++) {
        size_t j = i + 1 < sh->n ? i + 1 : 0;
        double ex = sh->vx[j] - sh->vx[i], ey = sh->vy[j] - sh->vy[i];
        double num = ex * (ay - sh->vy[i]) - ey * (ax - sh->vx[i]);
        double den = ex * dy - ey * dx;
        if (den == 0) {
            if (num < 0)
                return 0; /* parallel and outside this edge */
            continue;
        }
        double t = -num / den;
        if (den > 0) {
            if (t > te)
                te = t;
        } else if (t < tl) {
            tl = t;
        }
        if (te >= tl)
            return 0;
    }
    *t0 = te;
    *t1 = tl;
    return 1;
}

/* Length of the segment (ax, ay)-(bx, by) outside every buffer of \p s,
 * into \p out. \return SG_OK or SG_ERR_NOMEM. */
static sg_status segment_outside(sg_ctx *ctx, sg__settle *s, double ax,
                                 double ay, double bx, double by, double *out)
{
    double dx = bx - ax, dy = by - ay;
    double len = sqrt(dx * dx + dy * dy);
    *out = len;
    const sg__settle_shape *sh = s->shape;
    if (len == 0 || s->n == 0 || sh->n == 0)
        return SG_OK;
    /* a buffer lies within reach of its point: a point farther than that
     * from the segment cannot touch it (the slack only costs time) */
    double reach = sh->reach * (1 + 1e-9) + 1e-9;
    const sg__cells *g = &s->grid;
    int sp[4];
    if (!sg__cells_span(g, fmin(ax, bx) - reach, fmin(ay, by) - reach,
                        fmax(ax, bx) + reach, fmax(ay, by) + reach, sp))
        return SG_OK;
    int c0 = sp[0], r0 = sp[1], c1 = sp[2], r1 = sp[3];
    double len2 = len * len;
    size_t m = 0;
    for (int r = r0; r <= r1; r++)
        for (int c = c0; c <= c1; c++) {
            size_t cell = (size_t)r * (size_t)g->nx + (size_t)c;
            for (uint32_t k = g->off[cell]; k < g->off[cell + 1]; k++) {
                uint32_t p = g->items[k];
                /* the segment relative to the point */
                double rx = ax - s->px[p], ry = ay - s->py[p];
                double t = -(rx * dx + ry * dy) / len2;
                t = t < 0 ? 0 : t > 1 ? 1 : t;
                double qx = rx + t * dx, qy = ry + t * dy;
                if (qx * qx + qy * qy > reach * reach)
                    continue;
                double t0 = 0, t1 = 1;
                if (!clip_convex(sh, rx, ry, dx, dy, &t0, &t1))
                    continue;
                if (t0 <= 0 && t1 >= 1) { /* wholly inside one buffer */
                    *out = 0;
                    return SG_OK;
                }
                if (m == s->cap) {
                    size_t cap = s->cap ? 2 * s->cap : 64;
                    double *iv = realloc(s->iv, 2 * cap * sizeof *iv);
                    if (!iv)
                        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
                    s->iv = iv;
                    s->cap = cap;
                }
                s->iv[2 * m] = t0;
                s->iv[2 * m + 1] = t1;
                m++;
            }
        }
    if (m == 0)
        return SG_OK;
    qsort(s->iv, m, 2 * sizeof *s->iv, interval_cmp);
    double gap = 0, pos = 0;
    for (size_t i = 0; i < m; i++) {
        if (s->iv[2 * i] > pos)
            gap += s->iv[2 * i] - pos;
        if (s->iv[2 * i + 1] > pos)
            pos = s->iv[2 * i + 1];
    }
    if (pos < 1)
        gap += 1 - pos;
    *out = gap * len;
    return SG_OK;
}

sg_status sg__settle_outside_length(sg_ctx *ctx, sg__settle *s,
                                    const GEOSGeometry *g, double *out)
{
    GEOSContextHandle_t h = ctx->geom;
    *out = 0;
    int type = GEOSGeomTypeId_r(h, g);
    if (type == GEOS_LINESTRING || type == GEOS_LINEARRING) {
        const GEOSCoordSequence *cs = GEOSGeom_getCoordSeq_r(h, g);
        unsigned int n = 0;
        if (!cs || !GEOSCoordSeq_getSize_r(h, cs, &n))
            return sg__geos_error(ctx, "road line");
        double x0 = 0, y0 = 0, x1, y1, line = 0;
        for (unsigned int i = 0; i < n; i++) {
            if (!GEOSCoordSeq_getXY_r(h, cs, i, &x1, &y1))
                return sg__geos_error(ctx, "road line");
            double part = 0;
            if (i > 0) {
                sg_status st = segment_outside(ctx, s, x0, y0, x1, y1, &part);
                if (st)
                    return st;
            }
            line += part;
            x0 = x1;
            y0 = y1;
        }
        *out = line;
        return SG_OK;
    }
    if (type < 0)
        return sg__geos_error(ctx, "road line");
    if (type != GEOS_MULTILINESTRING && type != GEOS_GEOMETRYCOLLECTION)
        return SG_OK; /* points and polygons carry no length */
    int parts = GEOSGetNumGeometries_r(h, g);
    for (int i = 0; i < parts; i++) {
        const GEOSGeometry *gi = GEOSGetGeometryN_r(h, g, i);
        double len = 0;
        sg_status st = gi ? sg__settle_outside_length(ctx, s, gi, &len)
                          : sg__geos_error(ctx, "road line");
        if (st)
            return st;
        *out += len;
    }
    return SG_OK;
}

/* ---- roads --------------------------------------------------------------- */

/* The part of \p line inside \p poly (prepared \p prep) into \p part
 * (NULL when none; \p line itself when wholly inside, else a new geometry
 * the caller frees when it differs from \p line) and its length into
 * \p len. \return SG_OK or SG_ERR_GEOM. */
static sg_status part_inside(staffer *s, const GEOSGeometry *line,
                             const GEOSGeometry *poly,
                             const GEOSPreparedGeometry *prep,
                             const GEOSGeometry **part, double *len)
{
    *part = NULL;
    *len = 0;
    if (!prep || GEOSPreparedIntersects_r(s->h, prep, line) != 1)
        return SG_OK;
    if (GEOSPreparedContains_r(s->h, prep, line) == 1) {
        *part = line;
        GEOSLength_r(s->h, line, len);
        return SG_OK;
    }
    GEOSGeometry *p = sg__geom_intersection(s->ctx, line, poly);
    if (!p) /* as before: a failed clip counts nothing */
        return SG_OK;
    GEOSLength_r(s->h, p, len);
    *part = p;
    return SG_OK;
}

/* Scan callback for roads: class, geom. Each village's road km by class,
 * and (roads with a road rule) the km of its part inside the village but
 * outside every household buffer: the road outside settlements. */
static sg_status road_row(sg__row *row, void *user)
{
    staffer *s = user;
    GEOSGeometry *g = row_geom(s, row, 1);
    if (!g)
        return SG_OK;
    int rc = class_index(sg__row_text(row, 0));
    sg_status st = sg__geomset_query(s->ctx, &s->villages, g, 0, &s->cand);
    for (size_t k = 0; st == SG_OK && k < s->cand.n; k++) {
        size_t i = s->cand.v[k];
        village *v = &s->v[i];
        const GEOSPreparedGeometry *p =
            sg__geomset_prepared(s->ctx, &s->villages, i);
        const GEOSGeometry *part = NULL;
        double in = 0, out = 0;
        st = part_inside(s, g, sg__geomset_get(&s->villages, i), p, &part, &in);
        v->km[rc] += in / 1000.0;
        if (st == SG_OK && in > 0 && rc < RC_LANE)
            st = sg__settle_outside_length(s->ctx, &s->settle, part, &out);
        if (part && part != g)
            GEOSGeom_destroy_r(s->h, (GEOSGeometry *)part);
        if (in <= 0 || rc >= RC_LANE)
            continue;
        if (rc <= RC_COUNTY)
            v->km_out_major += out / 1000.0;
        else
            v->km_out_village += out / 1000.0;
    }
    GEOSGeom_destroy_r(s->h, g);
    return st;
}

/* Scan callback for cleaners: division_code, geom. */
static sg_status cleaner_row(sg__row *row, void *user)
{
    staffer *s = user;
    const char *code = sg__row_text(row, 0);
    if (code)
        for (size_t i = 0; i < s->nv; i++)
            if (s->v[i].code && strcmp(s->v[i].code, code) == 0) {
                s->v[i].current++;
                return SG_OK;
            }
    GEOSGeometry *g = row_geom(s, row, 1);
    long vi = -1;
    sg_status st = g ? find_village(s, g, &vi) : SG_OK;
    if (g)
        GEOSGeom_destroy_r(s->h, g);
    if (st == SG_OK && vi >= 0)
        s->v[vi].current++;
    return st;
}

static const sg__column out_cols[] = {
    {"division_code", "TEXT"},
    {"name", "TEXT"},
    {"residents", "INTEGER"},
    {"households", "INTEGER"},
    {"road_km", "REAL"},
    {"road_km_major", "REAL"},
    {"road_km_village", "REAL"},
    {"road_km_lane", "REAL"},
    {"road_km_outside_major", "REAL"},
    {"road_km_outside_village", "REAL"},
    {"need_population", "REAL"},
    {"need_road", "REAL"},
    {"required", "INTEGER"},
    {"current", "INTEGER"},
    {"shortfall", "INTEGER"},
    {"mode", "TEXT"},
};
#define NCOLS (sizeof out_cols / sizeof out_cols[0])

/* Compute each village's need and write the layer. */
static sg_status write_layer(staffer *s, sg_staffing_result *r)
{
    sg__insert *ins = NULL;
    sg_status st = sg__store_create_result(s->ctx, s->store, "staffing",
                                           "MULTIPOLYGON", out_cols, NCOLS,
                                           "保洁员配置", "Cleaner staffing");
    if (st == SG_OK)
        st = sg__store_prepare_result_insert(s->ctx, s->store, "staffing",
                                             out_cols, NCOLS, 1, &ins);
    for (size_t i = 0; st == SG_OK && i < s->nv; i++) {
        village *v = &s->v[i];
        double pop = r->per_households > 0
                         ? (double)v->households / r->per_households
                         : (double)v->residents / r->per_residents;
        double road = v->km_out_major * r->per_road_km_major +
                      v->km_out_village * r->per_road_km_village;
        /* tiny float noise must not add a whole cleaner */
        long long req = (long long)ceil(pop + road - 1e-9);
        if (req < r->min_per_village)
            req = r->min_per_village;
        double total_km = 0;
        for (int c = 0; c < RC_N; c++)
            total_km += v->km[c];
        r->villages++;
        r->residents += v->residents;
        r->households += v->households;
        r->road_km += total_km;
        r->road_km_outside += v->km_out_major + v->km_out_village;
        r->required += req;
        r->current += v->current;
        if (req > v->current) {
            r->shortfall += req - v->current;
            r->villages_short++;
        } else {
            r->surplus += v->current - req;
        }
        int p = 1;
        sg__insert_text(ins, p++, v->code);
        sg__insert_text(ins, p++, v->name);
        sg__insert_int64(ins, p++, v->residents);
        sg__insert_int64(ins, p++, v->households);
        sg__insert_double(ins, p++, total_km);
        sg__insert_double(ins, p++,
                          v->km[RC_NATIONAL] + v->km[RC_PROVINCIAL] +
                              v->km[RC_COUNTY]);
        sg__insert_double(ins, p++, v->km[RC_TOWNSHIP] + v->km[RC_VILLAGE]);
        sg__insert_double(ins, p++, v->km[RC_LANE] + v->km[RC_OTHER]);
        sg__insert_double(ins, p++, v->km_out_major);
        sg__insert_double(ins, p++, v->km_out_village);
        sg__insert_double(ins, p++, pop);
        sg__insert_double(ins, p++, road);
        sg__insert_int64(ins, p++, req);
        sg__insert_int64(ins, p++, v->current);
        sg__insert_int64(ins, p++, req - v->current);
        sg__insert_text(ins, p++, r->mode);
        size_t wkb_size = 0;
        unsigned char *wkb = NULL;
        const GEOSGeometry *g = sg__geomset_get(&s->villages, i);
        if (g) {
            GEOSGeometry *mp =
                sg__geom_polygonal(s->ctx, GEOSGeom_clone_r(s->h, g), 0);
            wkb = mp ? sg__geom_to_wkb(s->ctx, mp, &wkb_size) : NULL;
            if (mp)
                GEOSGeom_destroy_r(s->h, mp);
        }
        if (wkb)
            sg__insert_blob(ins, p, wkb, wkb_size);
        else
            sg__insert_null(ins, p);
        st = sg__insert_step(s->ctx, s->store, ins);
        if (wkb)
            GEOSFree_r(s->h, wkb);
    }
    sg__insert_free(ins);
    return st;
}

/* Read settings into the result's parameters, options first. */
static sg_status parameters(staffer *s, const sg_staffing_options *o,
                            sg_staffing_result *r)
{
    sg_ctx *ctx = s->ctx;
    double minv = 1;
    char *basis = NULL;
    sg_status st = SG_OK;
    r->per_residents = o->per_residents;
    r->per_households = o->per_households;
    if (!r->per_residents)
        st = sg_setting_get_double(ctx, s->store, "cleaner.per_residents",
                                   &r->per_residents);
    if (st == SG_OK && o->per_road_km >= 0) {
        r->per_road_km_major = r->per_road_km_village = o->per_road_km;
    } else if (st == SG_OK) {
        st = sg_setting_get_double(ctx, s->store, "cleaner.per_road_km.major",
                                   &r->per_road_km_major);
        if (st == SG_OK)
            st = sg_setting_get_double(ctx, s->store,
                                       "cleaner.per_road_km.village",
                                       &r->per_road_km_village);
    }
    if (st == SG_OK)
        st = sg_setting_get_double(ctx, s->store, "cleaner.settlement_buffer_m",
                                   &r->settlement_buffer_m);
    if (st == SG_OK && o->min_per_village < 0)
        st = sg_setting_get_double(ctx, s->store, "cleaner.min_per_village",
                                   &minv);
    else
        minv = o->min_per_village;
    if (st == SG_OK)
        st = sg_setting_get(ctx, s->store, "cleaner.population_basis", &basis);
    if (st == SG_OK)
        s->registered = basis && strcmp(basis, "registered") == 0;
    free(basis);
    r->min_per_village = (long long)minv;
    free(r->mode);
    r->mode = strdup(r->per_households > 0 ? "households"
                     : s->registered       ? "registered"
                                           : "residents");
    if (st == SG_OK && !r->mode)
        st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    if (st == SG_OK && !(r->per_residents > 0))
        st = sg__error(ctx, SG_ERR_USAGE, "residents per cleaner must be > 0");
    return st;
}

static sg_status record(staffer *s, const sg_staffing_options *o,
                        const sg_staffing_result *r, double secs)
{
    sg_json p, n;
    sg_json_begin(&p, NULL);
    sg_json_object(&p, NULL);
    sg_json_str(&p, "level", o->level);
    sg_json_str(&p, "mode", r->mode);
    sg_json_num(&p, "per_residents", r->per_residents);
    sg_json_num(&p, "per_households", r->per_households);
    sg_json_num(&p, "per_road_km_major", r->per_road_km_major);
    sg_json_num(&p, "per_road_km_village", r->per_road_km_village);
    sg_json_num(&p, "settlement_buffer_m", r->settlement_buffer_m);
    sg_json_int(&p, "min_per_village", r->min_per_village);
    sg_json_end_object(&p);
    sg_json_begin(&n, NULL);
    sg_json_object(&n, NULL);
    sg_json_int(&n, "villages", r->villages);
    sg_json_int(&n, "residents", r->residents);
    sg_json_int(&n, "households", r->households);
    sg_json_int(&n, "required", r->required);
    sg_json_int(&n, "current", r->current);
    sg_json_int(&n, "shortfall", r->shortfall);
    sg_json_int(&n, "surplus", r->surplus);
    sg_json_int(&n, "villages_short", r->villages_short);
    sg_json_end_object(&n);
    return sg__store_record_run_json(s->ctx, s->store, "staffing", &p, &n,
                                     secs);
}

/* Seconds from \p a to \p b. */
static double elapsed(const struct timespec *a, const struct timespec *b)
{
    return (double)(b->tv_sec - a->tv_sec) +
           (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

sg_status sg_staffing(sg_ctx *ctx, sg_store *store,
                      const sg_staffing_options *opts, sg_staffing_result **out)
{
    sg_staffing_options d = defaults();
    if (!opts)
        opts = &d;
    if (!out)
        return sg__error(ctx, SG_ERR_USAGE, "sg_staffing: no result given");
    *out = NULL;
    sg_staffing_result *result = calloc(1, sizeof *result);
    if (!result)
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    staffer s;
    memset(&s, 0, sizeof s);
    s.ctx = ctx;
    s.store = store;
    s.h = ctx->geom;
    s.res = result;
    sg__geomset_init(&s.villages, ctx, 1);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    sg_status st = sg__store_check_writable(ctx, store);
    /* inputs are read inside the transaction that writes the results */
    int in_tx = 0;
    if (st == SG_OK && (st = sg__store_begin(ctx, store)) == SG_OK)
        in_tx = 1;
    if (st == SG_OK && !sg_store_srid(store))
        st = sg__error(ctx, SG_ERR_INPUT,
                       "store %s has no data yet (import divisions, "
                       "households and roads first)",
                       sg_store_path(store));
    if (st == SG_OK)
        st = parameters(&s, opts, result);
    static const char *const vcols[] = {"division_code", "name"};
    if (st == SG_OK)
        st = sg__store_scan(ctx, store, "divisions", vcols, 2, 1, "level",
                            opts->level, village_row, &s);
    if (st == SG_OK && s.nv == 0)
        st = sg__error(ctx, SG_ERR_INPUT,
                       "store %s has no divisions of level %s to staff",
                       sg_store_path(store), opts->level);
    if (st == SG_OK)
        st = sg__progress(ctx, 0.1, "households");
    static const char *const hcols[] = {"resident_population",
                                        "registered_population"};
    if (st == SG_OK)
        st = sg__store_scan(ctx, store, "households", hcols, 2, 1, NULL, NULL,
                            household_row, &s);
    if (st == SG_OK)
        st = sg__settle_shape_init(ctx, &s.shape, result->settlement_buffer_m,
                                   SG_SETTLE_QUADSEGS);
    if (st == SG_OK)
        st = sg__settle_init(ctx, &s.settle, &s.shape, s.hx, s.hy, s.nh);
    if (st == SG_OK)
        st = sg__progress(ctx, 0.3, "roads");
    struct timespec tr, t2;
    clock_gettime(CLOCK_MONOTONIC, &tr);
    static const char *const rcols[] = {"class"};
    if (st == SG_OK)
        st = sg__store_scan(ctx, store, "roads", rcols, 1, 1, NULL, NULL,
                            road_row, &s);
    clock_gettime(CLOCK_MONOTONIC, &t2);
    static const char *const ccols[] = {"division_code"};
    if (st == SG_OK)
        st = sg__store_scan(ctx, store, "cleaners", ccols, 1, 1, NULL, NULL,
                            cleaner_row, &s);
    if (st == SG_OK)
        st = sg__progress(ctx, 0.9, "writing");
    if (st == SG_OK) {
        st = write_layer(&s, result);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        double secs = elapsed(&t0, &t1);
        if (st == SG_OK)
            st = record(&s, opts, result, secs);
        if (st == SG_OK && (st = sg__store_commit(ctx, store)) == SG_OK)
            in_tx = 0;
        if (st == SG_OK)
            sg__log(ctx, SG_LOG_DEBUG,
                    "staffing: villages and households %.2f s, roads %.2f s, "
                    "cleaners and writing %.2f s",
                    elapsed(&t0, &tr), elapsed(&tr, &t2), elapsed(&t2, &t1));
    }
    if (in_tx)
        sg__store_rollback(store);
    if (st == SG_OK)
        st = sg__progress(ctx, 1.0, "staffing");
    for (size_t i = 0; i < s.nv; i++) {
        free(s.v[i].code);
        free(s.v[i].name);
    }
    free(s.v);
    sg__settle_cleanup(&s.settle);
    free(s.hx);
    free(s.hy);
    sg__settle_shape_cleanup(&s.shape);
    sg__idlist_cleanup(&s.cand);
    sg__geomset_cleanup(&s.villages);
    if (st == SG_OK && !result->mode && !(result->mode = strdup("")))
        st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    if (st == SG_OK)
        *out = result;
    else
        sg_staffing_result_free(result);
    return st;
}
