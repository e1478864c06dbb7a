/* GEOS helpers shared by the analyses (declared in geom/geos_int.h):
 * WKB in and out, error reporting, overlay with a fixed-precision retry,
 * polygonal parts, index lists, and a geometry set with an STRtree and
 * lazily prepared geometries.
 * Not for: analysis logic, SQL (src/store), printing.
 * SPDX-License-Identifier: MIT */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "geom/geos_int.h"
#include "core/ctx_int.h"

sg_status sg__geos_error(sg_ctx *ctx, const char *what)
{
    return sg__error(ctx, SG_ERR_GEOM, "%s: GEOS: %s", what,
                     ctx->geom_msg[0] ? ctx->geom_msg : "operation failed");
}

GEOSGeometry *sg__geom_from_wkb(sg_ctx *ctx, const void *wkb, size_t size)
{
    ctx->geom_msg[0] = '\0';
    GEOSGeometry *g =
        GEOSGeomFromWKB_buf_r(ctx->geom, (const unsigned char *)wkb, size);
    if (!g)
        sg__geos_error(ctx, "reading WKB");
    return g;
}

unsigned char *sg__geom_to_wkb(sg_ctx *ctx, const GEOSGeometry *g, size_t *size)
{
    GEOSContextHandle_t h = ctx->geom;
    GEOSWKBWriter *w = GEOSWKBWriter_create_r(h);
    if (!w) {
        sg__geos_error(ctx, "creating a WKB writer");
        return NULL;
    }
    GEOSWKBWriter_setOutputDimension_r(h, w, 2);
    GEOSWKBWriter_setByteOrder_r(h, w, GEOS_WKB_NDR);
    GEOSWKBWriter_setIncludeSRID_r(h, w, 0);
    unsigned char *p = GEOSWKBWriter_write_r(h, w, g, size);
    GEOSWKBWriter_destroy_r(h, w);
    if (!p)
        sg__geos_error(ctx, "writing WKB");
    return p;
}

/* Append copies of the polygons of \p g with area >= min_area (and > 0)
 * to *v (growing it). \return SG_OK, or a failure with *v still valid
 * (the caller frees what was appended). */
static sg_status collect_polygons(sg_ctx *ctx, const GEOSGeometry *g,
                                  double min_area, GEOSGeometry ***v, size_t *n,
                                  size_t *cap)
{
    GEOSContextHandle_t h = ctx->geom;
    int t = GEOSGeomTypeId_r(h, g);
    if (t == GEOS_MULTIPOLYGON || t == GEOS_GEOMETRYCOLLECTION) {
        int k = GEOSGetNumGeometries_r(h, g);
        for (int i = 0; i < k; i++) {
            sg_status s = collect_polygons(ctx, GEOSGetGeometryN_r(h, g, i),
                                           min_area, v, n, cap);
            if (s)
                return s;
        }
        return SG_OK;
    }
    if (t != GEOS_POLYGON || GEOSisEmpty_r(h, g) == 1)
        return SG_OK;
    double a = 0;
    if (!GEOSArea_r(h, g, &a))
        return sg__geos_error(ctx, "area");
    if (!(a > 0) || a < min_area)
        return SG_OK;
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 8;
        GEOSGeometry **nv = realloc(*v, nc * sizeof *nv);
        if (!nv)
            return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        *v = nv;
        *cap = nc;
    }
    GEOSGeometry *c = GEOSGeom_clone_r(h, g);
    if (!c)
        return sg__geos_error(ctx, "copying a polygon");
    (*v)[(*n)++] = c;
    return SG_OK;
}

GEOSGeometry *sg__geom_polygonal(sg_ctx *ctx, GEOSGeometry *g, double min_area)
{
    if (!g)
        return NULL;
    GEOSContextHandle_t h = ctx->geom;
    GEOSGeometry **v = NULL, *out = NULL;
    size_t n = 0, cap = 0;
    sg_status s = collect_polygons(ctx, g, min_area, &v, &n, &cap);
    GEOSGeom_destroy_r(h, g);
    if (s == SG_OK) {
        out = n ? GEOSGeom_createCollection_r(h, GEOS_MULTIPOLYGON, v,
                                              (unsigned)n)
                : GEOSGeom_createEmptyCollection_r(h, GEOS_MULTIPOLYGON);
        if (!out)
            sg__geos_error(ctx, "building a multipolygon");
        else
            n = 0; /* the collection owns the polygons now */
    }
    for (size_t i = 0; i < n; i++)
        GEOSGeom_destroy_r(h, v[i]);
    free(v);
    return out;
}

GEOSGeometry *sg__geom_union(sg_ctx *ctx, const GEOSGeometry *const *geoms,
                             size_t n)
{
    GEOSContextHandle_t h = ctx->geom;
    GEOSGeometry **copies = n ? malloc(n * sizeof *copies) : NULL;
    size_t m = 0;
    if (n && !copies) {
        sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        if (!geoms[i] || GEOSisEmpty_r(h, geoms[i]) == 1)
            continue;
        GEOSGeometry *c = GEOSGeom_clone_r(h, geoms[i]);
        if (!c) {
            for (size_t k = 0; k < m; k++)
                GEOSGeom_destroy_r(h, copies[k]);
            free(copies);
            sg__geos_error(ctx, "copying a geometry");
            return NULL;
        }
        copies[m++] = c;
    }
    if (m == 0) {
        free(copies);
        GEOSGeometry *e =
            GEOSGeom_createEmptyCollection_r(h, GEOS_MULTIPOLYGON);
        if (!e)
            sg__geos_error(ctx, "empty union");
        return e;
    }
    GEOSGeometry *coll = GEOSGeom_createCollection_r(h, GEOS_GEOMETRYCOLLECTION,
                                                     copies, (unsigned)m);
    free(copies);
    if (!coll) {
        sg__geos_error(ctx, "collecting geometries");
        return NULL;
    }
    ctx->geom_msg[0] = '\0';
    GEOSGeometry *u = GEOSUnaryUnion_r(h, coll);
    if (!u) {
        sg__log(ctx, SG_LOG_WARN,
                "union failed (%s); retrying on a %g m "
                "grid",
                ctx->geom_msg, SG_GEOS_FALLBACK_GRID);
        u = GEOSUnaryUnionPrec_r(h, coll, SG_GEOS_FALLBACK_GRID);
    }
    GEOSGeom_destroy_r(h, coll);
    if (!u)
        sg__geos_error(ctx, "union");
    return u;
}

/* A GEOS overlay of two geometries, and the same on a fixed-precision
 * grid. */
typedef GEOSGeometry *(*overlay_fn)(GEOSContextHandle_t h,
                                    const GEOSGeometry *a,
                                    const GEOSGeometry *b);
typedef GEOSGeometry *(*overlay_prec_fn)(GEOSContextHandle_t h,
                                         const GEOSGeometry *a,
                                         const GEOSGeometry *b, double grid);

/* Marks a message id for xgettext (scripts/update-po); sg__log
 * translates it when it logs it. */
#define N_(s) (s)

/* \p op of \p a and \p b; when GEOS fails (a topology exception), log
 * \p retry (a message id taking GEOS's message and the grid) and run
 * \p op_prec on a SG_GEOS_FALLBACK_GRID grid; when that fails too, the
 * error names \p what. \return a new geometry (caller destroys) or NULL. */
static GEOSGeometry *overlay(sg_ctx *ctx, const GEOSGeometry *a,
                             const GEOSGeometry *b, overlay_fn op,
                             overlay_prec_fn op_prec, const char *what,
                             const char *retry)
{
    GEOSContextHandle_t h = ctx->geom;
    ctx->geom_msg[0] = '\0';
    GEOSGeometry *d = op(h, a, b);
    if (!d) {
        sg__log(ctx, SG_LOG_WARN, retry, ctx->geom_msg, SG_GEOS_FALLBACK_GRID);
        d = op_prec(h, a, b, SG_GEOS_FALLBACK_GRID);
    }
    if (!d)
        sg__geos_error(ctx, what);
    return d;
}

GEOSGeometry *sg__geom_difference(sg_ctx *ctx, const GEOSGeometry *a,
                                  const GEOSGeometry *b)
{
    return overlay(ctx, a, b, GEOSDifference_r, GEOSDifferencePrec_r,
                   "difference",
                   N_("difference failed (%s); retrying on a %g m grid"));
}

GEOSGeometry *sg__geom_intersection(sg_ctx *ctx, const GEOSGeometry *a,
                                    const GEOSGeometry *b)
{
    return overlay(ctx, a, b, GEOSIntersection_r, GEOSIntersectionPrec_r,
                   "intersection",
                   N_("intersection failed (%s); retrying on a %g m grid"));
}

sg_status sg__idlist_push(sg_ctx *ctx, sg__idlist *l, size_t id)
{
    if (l->n == l->cap) {
        size_t nc = l->cap ? l->cap * 2 : 16;
        size_t *nv = realloc(l->v, nc * sizeof *nv);
        if (!nv)
            return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        l->v = nv;
        l->cap = nc;
    }
    l->v[l->n++] = id;
    return SG_OK;
}

void sg__idlist_cleanup(sg__idlist *l)
{
    if (!l)
        return;
    free(l->v);
    memset(l, 0, sizeof *l);
}

void sg__geomset_init(sg__geomset *s, sg_ctx *ctx, int owns)
{
    memset(s, 0, sizeof *s);
    s->h = ctx->geom;
    s->owns = owns;
}

sg_status sg__geomset_add(sg_ctx *ctx, sg__geomset *s, GEOSGeometry *g)
{
    if (s->tree_built) {
        if (s->owns && g)
            GEOSGeom_destroy_r(s->h, g);
        return sg__error(ctx, SG_ERR_USAGE,
                         "internal: geometry added after the first query");
    }
    if (s->n == s->cap) {
        size_t nc = s->cap ? s->cap * 2 : 64;
        const GEOSGeometry **ng = realloc(s->geoms, nc * sizeof *ng);
        if (ng)
            s->geoms = ng;
        const GEOSPreparedGeometry **np =
            ng ? realloc(s->prep, nc * sizeof *np) : NULL;
        if (np)
            s->prep = np;
        size_t *ni = np ? realloc(s->ids, nc * sizeof *ni) : NULL;
        if (!ni) {
            if (s->owns && g)
                GEOSGeom_destroy_r(s->h, g);
            return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        }
        s->ids = ni;
        s->cap = nc;
    }
    s->geoms[s->n] = g;
    s->prep[s->n] = NULL;
    s->ids[s->n] = s->n;
    s->n++;
    return SG_OK;
}

const GEOSGeometry *sg__geomset_get(const sg__geomset *s, size_t i)
{
    return i < s->n ? s->geoms[i] : NULL;
}

const GEOSPreparedGeometry *sg__geomset_prepared(sg_ctx *ctx, sg__geomset *s,
                                                 size_t i)
{
    if (i >= s->n || !s->geoms[i] || GEOSisEmpty_r(s->h, s->geoms[i]) == 1)
        return NULL;
    if (!s->prep[i]) {
        s->prep[i] = GEOSPrepare_r(s->h, s->geoms[i]);
        if (!s->prep[i])
            sg__geos_error(ctx, "preparing a geometry");
    }
    return s->prep[i];
}

/* State of one STRtree query: where the hits go, the first failure. */
typedef struct query_state {
    sg_ctx *ctx;
    sg__idlist *out;
    sg_status status;
} query_state;

/* STRtree callback: \p item points at the set's ids[i]; append i. */
static void query_cb(void *item, void *user)
{
    query_state *q = user;
    if (q->status == SG_OK)
        q->status = sg__idlist_push(q->ctx, q->out, *(const size_t *)item);
}

/* qsort comparison of two size_t values, ascending. */
static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : x > y;
}

/* Build the STRtree of \p s from its non-empty geometries (once). */
void sg__idlist_sort(sg__idlist *l)
{
    if (l && l->n > 1)
        qsort(l->v, l->n, sizeof *l->v, cmp_size);
}

static sg_status geomset_build(sg_ctx *ctx, sg__geomset *s)
{
    if (s->tree_built)
        return SG_OK;
    s->tree = GEOSSTRtree_create_r(s->h, 10);
    if (!s->tree)
        return sg__geos_error(ctx, "creating a spatial index");
    for (size_t i = 0; i < s->n; i++)
        if (s->geoms[i] && GEOSisEmpty_r(s->h, s->geoms[i]) == 0)
            GEOSSTRtree_insert_r(s->h, s->tree, s->geoms[i], &s->ids[i]);
    s->tree_built = 1;
    return SG_OK;
}

sg_status sg__geomset_query(sg_ctx *ctx, sg__geomset *s, const GEOSGeometry *g,
                            double expand, sg__idlist *out)
{
    out->n = 0;
    sg_status st = geomset_build(ctx, s);
    if (st || s->n == 0 || !g || GEOSisEmpty_r(s->h, g) == 1)
        return st;
    GEOSGeometry *box = NULL;
    if (expand > 0) {
        double x0, y0, x1, y1;
        if (!GEOSGeom_getExtent_r(s->h, g, &x0, &y0, &x1, &y1))
            return sg__geos_error(ctx, "extent");
        box = GEOSGeom_createRectangle_r(s->h, x0 - expand, y0 - expand,
                                         x1 + expand, y1 + expand);
        if (!box)
            return sg__geos_error(ctx, "query rectangle");
    }
    query_state q = {ctx, out, SG_OK};
    GEOSSTRtree_query_r(s->h, s->tree, box ? box : g, query_cb, &q);
    if (box)
        GEOSGeom_destroy_r(s->h, box);
    if (q.status == SG_OK && out->n > 1)
        qsort(out->v, out->n, sizeof *out->v, cmp_size);
    return q.status;
}

void sg__geomset_cleanup(sg__geomset *s)
{
    if (!s)
        return;
    if (s->tree)
        GEOSSTRtree_destroy_r(s->h, s->tree);
    for (size_t i = 0; i < s->n; i++) {
        if (s->prep && s->prep[i])
            GEOSPreparedGeom_destroy_r(s->h, s->prep[i]);
        if (s->owns && s->geoms[i])
            GEOSGeom_destroy_r(s->h, (GEOSGeometry *)s->geoms[i]);
    }
    free(s->geoms);
    free(s->prep);
    free(s->ids);
    memset(s, 0, sizeof *s);
}
