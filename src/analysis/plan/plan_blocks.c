/* The blocks of one planning unit and their adjacency graph (see
 * plan_int.h). A block is a face of the planar arrangement of
 *   - the unit's boundary (every ring),
 *   - the roads clipped to the unit, and
 *   - in faces that hold more than a share of one grid's target, the
 *     Voronoi edges of their households (the midlines between houses),
 * noded together (GEOS unary union) and polygonized. Any edge other than
 * the unit's boundary that passes within plan.clearance_m (a setting) of a
 * household is left out of the arrangement, so the faces on its two sides
 * form one block and no grid boundary can pass that close to a house.
 * Because every face comes from the same noded edges, neighbouring blocks
 * share exactly the same vertices; adjacency is read from those shared
 * segments (exact coordinates as hash keys), each weighted by its length
 * (roads at SG__PLAN_ROAD_COST). Components of the graph (exclaves of a
 * multi-part village, islands) are joined to their nearest block by weak
 * links so that METIS's contiguity option can work.
 * The second noding (roads and boundary with the midlines) leaves out
 * the midlines that lie properly inside their faces, which meet nothing
 * else, and puts them back in their places (node_second): the same
 * edges in the same order as one union of everything, checked piece by
 * piece, with the one union as the fallback.
 * Not for: the partition (plan_part.c), SQL, printing.
 * SPDX-License-Identifier: MIT */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "geom/csr_int.h"
#include "geom/geos_int.h"
#include "analysis/plan/plan_blocks_int.h"
#include "net/net_int.h"

/* An edge lies on the unit's boundary (or along a road, in the second
 * pass) if the middle of its first segment is this close to it (m):
 * far above the rounding of noded coordinates, far below any real gap. */
#define ON_LINE_M 1e-6

/* Kind of a midline (in the list of midlines only) that lies properly
 * inside its face: it touches no edge of the face's boundary, so only a
 * loose edge inside the face (a dead-end road) could node it. */
#define EDGE_INSIDE 3

/* Boxes of the lines that the second pass's noding leaves out are
 * grown by this much (m) before testing them against the lines it
 * nodes: far above the rounding of any coordinate of the working CRS. */
#define APART_M 1e-3

/* ---- small helpers ------------------------------------------------------ */

/* Append \p g (taken, also on failure) with \p kind to \p e. */
static sg_status edge_push(builder *b, edge_list *e, GEOSGeometry *g, int kind)
{
    if (e->n == e->cap) {
        size_t nc = e->cap ? e->cap * 2 : 64;
        GEOSGeometry **ng = realloc(e->g, nc * sizeof *ng);
        if (ng)
            e->g = ng;
        unsigned char *nk = ng ? realloc(e->kind, nc) : NULL;
        if (!nk) {
            GEOSGeom_destroy_r(b->h, g);
            return sg__error(b->ctx, SG_ERR_NOMEM, "out of memory");
        }
        e->kind = nk;
        e->cap = nc;
    }
    e->g[e->n] = g;
    e->kind[e->n++] = (unsigned char)kind;
    return SG_OK;
}

/* Destroy every edge of \p e and free its arrays. */
static void edge_list_free(builder *b, edge_list *e)
{
    for (size_t i = 0; i < e->n; i++)
        GEOSGeom_destroy_r(b->h, e->g[i]);
    free(e->g);
    free(e->kind);
    memset(e, 0, sizeof *e);
}

/* Append copies of the LineStrings in \p g (any nesting of collections;
 * points and polygons are ignored) to \p e with \p kind. */
static sg_status push_lines(builder *b, edge_list *e, const GEOSGeometry *g,
                            int kind)
{
    int t = GEOSGeomTypeId_r(b->h, g);
    if (t == GEOS_MULTILINESTRING || t == GEOS_GEOMETRYCOLLECTION) {
        int n = GEOSGetNumGeometries_r(b->h, g);
        for (int i = 0; i < n; i++) {
            sg_status st =
                push_lines(b, e, GEOSGetGeometryN_r(b->h, g, i), kind);
            if (st)
                return st;
        }
        return SG_OK;
    }
    if ((t != GEOS_LINESTRING && t != GEOS_LINEARRING) ||
        GEOSisEmpty_r(b->h, g) == 1)
        return SG_OK;
    GEOSGeometry *c =
        t == GEOS_LINEARRING
            ? GEOSGeom_createLineString_r(
                  b->h,
                  GEOSCoordSeq_clone_r(b->h, GEOSGeom_getCoordSeq_r(b->h, g)))
            : GEOSGeom_clone_r(b->h, g);
    if (!c)
        return sg__geos_error(b->ctx, "copying a line");
    return edge_push(b, e, c, kind);
}

/* Squared distance from (px, py) to the segment (ax, ay)-(bx, by). */
static double seg_dist2(double px, double py, double ax, double ay, double bx,
                        double by)
{
    double dx = bx - ax, dy = by - ay, len2 = dx * dx + dy * dy;
    double t = len2 > 0 ? ((px - ax) * dx + (py - ay) * dy) / len2 : 0;
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    double qx = ax + t * dx - px, qy = ay + t * dy - py;
    return qx * qx + qy * qy;
}

/* \return 1 if a household of the job lies within the clearance (plus a
 * micrometre, so that a boundary never ends up at exactly the clearance)
 * of \p line, 0 if none does, -1 on a GEOS failure. */
static int near_household(builder *b, const GEOSGeometry *line)
{
    const sg__plan_job *j = b->job;
    if (j->nhh == 0)
        return 0;
    const GEOSCoordSequence *cs = GEOSGeom_getCoordSeq_r(b->h, line);
    unsigned int n = 0;
    if (!cs || !GEOSCoordSeq_getSize_r(b->h, cs, &n))
        return -1;
    const double r = j->clearance_m + 1e-6, r2 = r * r;
    const sg__cells *g = &b->hidx;
    double ax = 0, ay = 0, bx = 0, by = 0;
    for (unsigned int k = 0; k < n; k++) {
        if (!GEOSCoordSeq_getXY_r(b->h, cs, k, &bx, &by))
            return -1;
        int sp[4];
        if (k > 0 && sg__cells_span(g, fmin(ax, bx) - r, fmin(ay, by) - r,
                                    fmax(ax, bx) + r, fmax(ay, by) + r, sp))
            for (int row = sp[1]; row <= sp[3]; row++)
                for (int col = sp[0]; col <= sp[2]; col++) {
                    size_t cell = (size_t)row * (size_t)g->nx + (size_t)col;
                    for (uint32_t q = g->off[cell]; q < g->off[cell + 1]; q++) {
                        uint32_t i = g->items[q];
                        if (seg_dist2(j->hx[i], j->hy[i], ax, ay, bx, by) <= r2)
                            return 1;
                    }
                }
        ax = bx;
        ay = by;
    }
    return 0;
}

/* See plan_int.h. */
double sg__plan_point_seg(double px, double py, double ax, double ay, double cx,
                          double cy)
{
    if (ax == cx && ay == cy)
        return sqrt((px - ax) * (px - ax) + (py - ay) * (py - ay));
    double len2 = (cx - ax) * (cx - ax) + (cy - ay) * (cy - ay);
    double r = ((px - ax) * (cx - ax) + (py - ay) * (cy - ay)) / len2;
    if (r <= 0.0)
        return sqrt((px - ax) * (px - ax) + (py - ay) * (py - ay));
    if (r >= 1.0)
        return sqrt((px - cx) * (px - cx) + (py - cy) * (py - cy));
    double s = ((ay - py) * (cx - ax) - (ax - px) * (cy - ay)) / len2;
    return fabs(s) * sqrt(len2);
}

/* \return 1 if (\p x, \p y) lies within ON_LINE_M of the unit's
 * boundary: the boundary's segments through a cell index (a prepared
 * distance test visits every segment of the boundary for every edge). */
static int on_boundary(const builder *b, double x, double y)
{
    const sg__cells *g = &b->bidx;
    if (!b->nbseg)
        return 0;
    int c0 = sg__cells_col(g, x - ON_LINE_M),
        c1 = sg__cells_col(g, x + ON_LINE_M);
    int r0 = sg__cells_row(g, y - ON_LINE_M),
        r1 = sg__cells_row(g, y + ON_LINE_M);
    c0 = c0 < 0 ? 0 : c0;
    r0 = r0 < 0 ? 0 : r0;
    c1 = c1 >= g->nx ? g->nx - 1 : c1;
    r1 = r1 >= g->ny ? g->ny - 1 : r1;
    for (int row = r0; row <= r1; row++)
        for (int col = c0; col <= c1; col++) {
            size_t cell = (size_t)row * (size_t)g->nx + (size_t)col;
            for (uint32_t q = g->off[cell]; q < g->off[cell + 1]; q++) {
                const double *s = b->bseg + 4 * (size_t)g->items[q];
                if (sg__plan_point_seg(x, y, s[0], s[1], s[2], s[3]) <=
                    ON_LINE_M)
                    return 1;
            }
        }
    return 0;
}

/* The kind of noded edge \p line: on the unit's boundary, along a road
 * (first pass: every other edge; second pass: along a first-pass road
 * edge), or a midline. -1 on a GEOS failure. */
static int classify(builder *b, const GEOSGeometry *line, int second_pass)
{
    const GEOSCoordSequence *cs = GEOSGeom_getCoordSeq_r(b->h, line);
    double x0, y0, x1, y1;
    if (!cs || !GEOSCoordSeq_getXY_r(b->h, cs, 0, &x0, &y0) ||
        !GEOSCoordSeq_getXY_r(b->h, cs, 1, &x1, &y1))
        return -1;
    GEOSGeometry *pt =
        GEOSGeom_createPointFromXY_r(b->h, (x0 + x1) / 2, (y0 + y1) / 2);
    if (!pt)
        return -1;
    int kind = second_pass ? SG__EDGE_MIDLINE : SG__EDGE_ROAD;
    if (on_boundary(b, (x0 + x1) / 2, (y0 + y1) / 2))
        kind = SG__EDGE_BOUNDARY;
    else if (second_pass) {
        sg__idlist cand = {0};
        if (sg__geomset_query(b->ctx, &b->roads, pt, ON_LINE_M, &cand))
            kind = -1;
        for (size_t k = 0; kind == SG__EDGE_MIDLINE && k < cand.n; k++) {
            double d = DBL_MAX;
            if (GEOSDistance_r(b->h, sg__geomset_get(&b->roads, cand.v[k]), pt,
                               &d) &&
                d <= ON_LINE_M)
                kind = SG__EDGE_ROAD;
        }
        sg__idlist_cleanup(&cand);
    }
    GEOSGeom_destroy_r(b->h, pt);
    return kind;
}

/* The noded lines of \p lines (taken): one unary union (retried on a
 * fine grid if the floating-point union fails), flattened into \p all
 * (kind 0). */
static sg_status union_lines(builder *b, GEOSGeometry *lines, edge_list *all)
{
    sg_ctx *ctx = b->ctx;
    ctx->geom_msg[0] = '\0';
    GEOSGeometry *noded = GEOSUnaryUnion_r(b->h, lines);
    if (!noded) {
        sg__log(ctx, SG_LOG_WARN,
                "noding the block edges failed (%s); retrying on a %g m grid",
                ctx->geom_msg, SG_GEOS_FALLBACK_GRID);
        noded = GEOSUnaryUnionPrec_r(b->h, lines, SG_GEOS_FALLBACK_GRID);
    }
    GEOSGeom_destroy_r(b->h, lines);
    if (!noded)
        return sg__geos_error(ctx, "noding the block edges");
    sg_status st = push_lines(b, all, noded, 0);
    GEOSGeom_destroy_r(b->h, noded);
    return st;
}

/* Append to \p out the noded edges of \p all (taken; emptied) that are
 * kept: the unit's boundary always, other edges unless a household is
 * within the clearance. */
static sg_status keep_edges(builder *b, edge_list *all, int second_pass,
                            edge_list *out)
{
    sg_status st = SG_OK;
    for (size_t i = 0; st == SG_OK && i < all->n; i++) {
        int kind = classify(b, all->g[i], second_pass);
        int near = kind == SG__EDGE_BOUNDARY ? 0 : near_household(b, all->g[i]);
        if (kind < 0 || near < 0) {
            st = sg__geos_error(b->ctx, "classifying a block edge");
            break;
        }
        if (near)
            continue;
        st = edge_push(b, out, all->g[i], kind);
        all->g[i] = NULL;
    }
    for (size_t i = 0; i < all->n; i++)
        if (all->g[i])
            GEOSGeom_destroy_r(b->h, all->g[i]);
    all->n = 0;
    edge_list_free(b, all);
    return st;
}

/* Node the lines of \p lines (taken) into edges with one unary union and
 * append to \p out those kept (keep_edges). */
static sg_status node_edges(builder *b, GEOSGeometry *lines, int second_pass,
                            edge_list *out)
{
    edge_list all = {0};
    sg_status st = union_lines(b, lines, &all);
    if (st) {
        edge_list_free(b, &all);
        return st;
    }
    return keep_edges(b, &all, second_pass, out);
}

/* A new GeometryCollection of copies of the edges of \p e plus copies of
 * \p extra (ne; may be NULL), or NULL with the status in ctx. */
static GEOSGeometry *collect_edges(builder *b, const edge_list *e,
                                   const edge_list *extra)
{
    size_t n = e->n + (extra ? extra->n : 0);
    GEOSGeometry **v = malloc((n ? n : 1) * sizeof *v);
    if (!v) {
        sg__error(b->ctx, SG_ERR_NOMEM, "out of memory");
        return NULL;
    }
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        const GEOSGeometry *src = i < e->n ? e->g[i] : extra->g[i - e->n];
        if (!(v[m] = GEOSGeom_clone_r(b->h, src)))
            break;
        m++;
    }
    GEOSGeometry *c =
        m == n ? GEOSGeom_createCollection_r(b->h, GEOS_GEOMETRYCOLLECTION, v,
                                             (unsigned)m)
               : NULL;
    if (!c) {
        for (size_t i = 0; i < m; i++)
            GEOSGeom_destroy_r(b->h, v[i]);
        sg__geos_error(b->ctx, "collecting block edges");
    }
    free(v);
    return c;
}

/* ---- faces -------------------------------------------------------------- */

/* Free \p faces (n) and the array. */
static void faces_free(builder *b, GEOSGeometry **faces, size_t n)
{
    for (size_t i = 0; faces && i < n; i++)
        if (faces[i])
            GEOSGeom_destroy_r(b->h, faces[i]);
    free(faces);
}

/* Polygonize the edges of \p e and keep the faces inside the unit (a
 * face of a hole ring of the unit lies outside it) into a new array
 * *faces (caller frees with faces_free). */
static sg_status polygonize(builder *b, const edge_list *e,
                            GEOSGeometry ***faces, size_t *nfaces)
{
    *faces = NULL;
    *nfaces = 0;
    GEOSGeometry *all = GEOSPolygonize_r(
        b->h, (const GEOSGeometry *const *)e->g, (unsigned)e->n);
    if (!all)
        return sg__geos_error(b->ctx, "polygonizing the blocks");
    int n = GEOSGetNumGeometries_r(b->h, all);
    GEOSGeometry **v = malloc((n > 0 ? (size_t)n : 1) * sizeof *v);
    sg_status st = v ? SG_OK : sg__error(b->ctx, SG_ERR_NOMEM, "out of memory");
    size_t m = 0;
    for (int i = 0; st == SG_OK && i < n; i++) {
        const GEOSGeometry *f = GEOSGetGeometryN_r(b->h, all, i);
        double a = 0;
        if (GEOSGeomTypeId_r(b->h, f) != GEOS_POLYGON ||
            !GEOSArea_r(b->h, f, &a) || !(a > 0))
            continue;
        GEOSGeometry *pt = GEOSPointOnSurface_r(b->h, f);
        char in = pt ? GEOSPreparedIntersects_r(b->h, b->uprep, pt) : 2;
        if (pt)
            GEOSGeom_destroy_r(b->h, pt);
        if (in == 2) {
            st = sg__geos_error(b->ctx, "locating a block");
        } else if (in == 1) {
            if (!(v[m] = GEOSGeom_clone_r(b->h, f)))
                st = sg__geos_error(b->ctx, "copying a block");
            else
                m++;
        }
    }
    GEOSGeom_destroy_r(b->h, all);
    if (st) {
        faces_free(b, v, m);
        return st;
    }
    *faces = v;
    *nfaces = m;
    return SG_OK;
}

/* The face of each household of the job into \p hh_face: the face that
 * holds it, or (when rounding puts a household on the unit's boundary
 * just outside every face) the nearest face; -1 only without faces. */
static sg_status locate_households(builder *b, GEOSGeometry **faces, size_t n,
                                   int32_t *hh_face)
{
    const sg__plan_job *j = b->job;
    sg__geomset fs;
    sg__geomset_init(&fs, b->ctx, 0);
    sg__idlist cand = {0};
    sg_status st = SG_OK;
    for (size_t i = 0; st == SG_OK && i < n; i++)
        st = sg__geomset_add(b->ctx, &fs, faces[i]);
    for (size_t k = 0; st == SG_OK && k < j->nhh; k++) {
        hh_face[k] = -1;
        GEOSGeometry *pt =
            GEOSGeom_createPointFromXY_r(b->h, j->hx[k], j->hy[k]);
        if (!pt) {
            st = sg__geos_error(b->ctx, "household point");
            break;
        }
        st = sg__geomset_query(b->ctx, &fs, pt, 0, &cand);
        for (size_t m = 0; st == SG_OK && m < cand.n; m++) {
            const GEOSPreparedGeometry *p =
                sg__geomset_prepared(b->ctx, &fs, cand.v[m]);
            if (p && GEOSPreparedIntersects_r(b->h, p, pt) == 1) {
                hh_face[k] = (int32_t)cand.v[m];
                break;
            }
        }
        /* nearest face: any face within r has its envelope in the box */
        double best = DBL_MAX;
        long pick = -1;
        for (double r = 1; st == SG_OK && hh_face[k] < 0 && n && r < 1e8;
             r *= 4) {
            st = sg__geomset_query(b->ctx, &fs, pt, r, &cand);
            for (size_t m = 0; st == SG_OK && m < cand.n; m++) {
                double d = DBL_MAX;
                if (GEOSDistance_r(b->h, faces[cand.v[m]], pt, &d) &&
                    d < best) {
                    best = d;
                    pick = (long)cand.v[m];
                }
            }
            if (pick >= 0 && best <= r)
                hh_face[k] = (int32_t)pick;
        }
        GEOSGeom_destroy_r(b->h, pt);
    }
    sg__idlist_cleanup(&cand);
    sg__geomset_cleanup(&fs);
    return st;
}

/* ---- groups of households ---------------------------------------------- */

/* The grouping of one face's households. */
typedef struct grouper {
    const sg__plan_job *job;
    double cap;      /* a group weighs at most this, or is one household */
    int32_t ngroups; /* groups made so far */
} grouper;

/* A household with its sort keys (C11 qsort takes no context). */
typedef struct keyed_idx {
    double key, other;
    uint32_t i;
} keyed_idx;

/* Compare on the coordinate, then the other one, then the index. */
static int cmp_keyed_idx(const void *a, const void *b)
{
    const keyed_idx *p = a, *q = b;
    if (p->key != q->key)
        return p->key < q->key ? -1 : 1;
    if (p->other != q->other)
        return p->other < q->other ? -1 : 1;
    return (p->i > q->i) - (p->i < q->i);
}

/* Weight of job household \p k as the face split counts it. */
static double hh_weight(const sg__plan_job *j, uint32_t k)
{
    return j->residents ? j->hres[k] : 1.0;
}

/* Recursive coordinate bisection of idx[0..n) (sorted in place, \p tmp
 * scratch of n): a set heavier than the cap is halved at the median of
 * its longer side, until every set weighs at most the cap or holds one
 * household; each set becomes a group. */
static void bisect(grouper *G, uint32_t *idx, size_t n, keyed_idx *tmp,
                   int32_t *group)
{
    const sg__plan_job *j = G->job;
    double w = 0, x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        uint32_t k = idx[i];
        w += hh_weight(j, k);
        x0 = fmin(x0, j->hx[k]);
        x1 = fmax(x1, j->hx[k]);
        y0 = fmin(y0, j->hy[k]);
        y1 = fmax(y1, j->hy[k]);
    }
    if (n <= 1 || w <= G->cap) {
        for (size_t i = 0; i < n; i++)
            group[i] = G->ngroups;
        G->ngroups++;
        return;
    }
    if (x1 == x0 && y1 == y0) {
        /* houses at one point: no midline separates them anyway */
        for (size_t i = 0; i < n; i++)
            group[i] = G->ngroups++;
        return;
    }
    int ax = x1 - x0 >= y1 - y0 ? 0 : 1;
    for (size_t i = 0; i < n; i++) {
        uint32_t k = idx[i];
        tmp[i] =
            (keyed_idx){ax ? j->hy[k] : j->hx[k], ax ? j->hx[k] : j->hy[k], k};
    }
    qsort(tmp, n, sizeof *tmp, cmp_keyed_idx);
    for (size_t i = 0; i < n; i++)
        idx[i] = tmp[i].i;
    size_t half = n / 2;
    bisect(G, idx, half, tmp, group);
    bisect(G, idx + half, n - half, tmp, group + half);
}

/* Append the segment (x0, y0)-(x1, y1) to \p e (NULL: skipped). */
static sg_status push_segment(builder *b, edge_list *e, double x0, double y0,
                              double x1, double y1)
{
    if (x0 == x1 && y0 == y1)
        return SG_OK;
    GEOSCoordSequence *cs = GEOSCoordSeq_create_r(b->h, 2, 2);
    GEOSGeometry *g = NULL;
    if (cs && GEOSCoordSeq_setXY_r(b->h, cs, 0, x0, y0) &&
        GEOSCoordSeq_setXY_r(b->h, cs, 1, x1, y1))
        g = GEOSGeom_createLineString_r(b->h, cs);
    else if (cs)
        GEOSCoordSeq_destroy_r(b->h, cs);
    return g ? edge_push(b, e, g, SG__EDGE_MIDLINE)
             : sg__geos_error(b->ctx, "a midline");
}

/* The midlines between the groups of face \p face's households (\p np
 * at \p px, \p py, in groups \p group), appended to \p out clipped to the
 * face: the Voronoi edges dual to the Delaunay edges (of triangulation
 * \p dt, borrowed) whose ends are in different groups. Each is the
 * segment between the circumcentres of the edge's two triangles, or on
 * the hull the ray from the one sg__plan_circumcentre away from the triangle.
 * Only those, so no overlay of every midline of the face is needed.
 * \return SG_OK; SG_ERR_INTERNAL (no message) when a triangle vertex is
 * not a household, for the caller to fall back on. */
static sg_status group_midlines(builder *b, const GEOSGeometry *face,
                                const GEOSGeometry *dt, const double *px,
                                const double *py, const int32_t *group,
                                size_t np, edge_list *out)
{
    GEOSContextHandle_t h = b->h;
    int nt = GEOSGetNumGeometries_r(h, dt);
    sg__plan_map sites = {0}, edges = {0};
    double *cc = malloc((nt > 0 ? (size_t)nt : 1) * 2 * sizeof *cc);
    uint32_t *tv = malloc((nt > 0 ? (size_t)nt : 1) * 3 * sizeof *tv);
    edge_list inside = {0}, across = {0};
    sg_status st =
        cc && tv && sg__plan_map_init(&sites, np) &&
                sg__plan_map_init(&edges, 3 * (size_t)(nt > 0 ? nt : 1))
            ? SG_OK
            : sg__error(b->ctx, SG_ERR_NOMEM, "out of memory");
    double fx0 = 0, fy0 = 0, fx1 = 0, fy1 = 0;
    if (st == SG_OK && !GEOSGeom_getExtent_r(h, face, &fx0, &fy0, &fx1, &fy1))
        st = sg__geos_error(b->ctx, "extent of a block");
    /* a ray reaches beyond the face from anywhere inside its box */
    double reach = 4 * (hypot(fx1 - fx0, fy1 - fy0) + 1);
    for (size_t i = 0; st == SG_OK && i < np; i++) {
        size_t slot;
        if (!sg__plan_map_slot(&sites, sg__plan_pos_key(px[i], py[i]), &slot)) {
            sites.key[slot] = sg__plan_pos_key(px[i], py[i]) + 1;
            sites.val[slot] = i;
        } else if (sg__plan_site_at(&sites, px, py, px[i], py[i]) < 0) {
            /* another position with the same key: probe on */
            size_t k = slot;
            while (sites.key[k])
                k = (k + 1) & sites.mask;
            sites.key[k] = sg__plan_pos_key(px[i], py[i]) + 1;
            sites.val[k] = i;
        }
    }
    /* triangles: their sites and circumcentres; edges to triangles */
    for (int t = 0; st == SG_OK && t < nt; t++) {
        const GEOSGeometry *tri = GEOSGetGeometryN_r(h, dt, t);
        const GEOSGeometry *ring = GEOSGetExteriorRing_r(h, tri);
        const GEOSCoordSequence *cs =
            ring ? GEOSGeom_getCoordSeq_r(h, ring) : NULL;
        double x[3], y[3];
        for (unsigned k = 0; st == SG_OK && k < 3; k++) {
            long sidx = -1;
            if (!cs || !GEOSCoordSeq_getXY_r(h, cs, k, &x[k], &y[k]) ||
                (sidx = sg__plan_site_at(&sites, px, py, x[k], y[k])) < 0)
                st = SG_ERR_INTERNAL;
            else
                tv[3 * (size_t)t + k] = (uint32_t)sidx;
        }
        if (st)
            break;
        if (!sg__plan_circumcentre(x[0], y[0], x[1], y[1], x[2], y[2],
                                   &cc[2 * t], &cc[2 * t + 1]))
            cc[2 * t] = cc[2 * t + 1] = NAN;
        for (unsigned k = 0; k < 3; k++) {
            uint32_t u = tv[3 * (size_t)t + k],
                     v = tv[3 * (size_t)t + (k + 1) % 3];
            if (group[u] == group[v])
                continue;
            uint64_t key =
                u < v ? ((uint64_t)u << 32 | v) : ((uint64_t)v << 32 | u);
            size_t slot;
            if (!sg__plan_map_slot(&edges, key, &slot)) {
                edges.key[slot] = key + 1;
                edges.val[slot] = (uint64_t)t; /* first triangle */
            } else {
                edges.val[slot] |= ((uint64_t)t + 1) << 32; /* second */
            }
        }
    }
    /* the midline of each edge between groups */
    const GEOSPreparedGeometry *fp =
        st == SG_OK ? GEOSPrepare_r(h, face) : NULL;
    if (st == SG_OK && !fp)
        st = sg__geos_error(b->ctx, "preparing a block");
    for (size_t i = 0; st == SG_OK && i <= edges.mask; i++) {
        if (!edges.key[i])
            continue;
        uint64_t key = edges.key[i] - 1;
        uint32_t u = (uint32_t)(key >> 32), v = (uint32_t)key;
        size_t t1 = (size_t)(edges.val[i] & 0xffffffffu);
        uint64_t t2p = edges.val[i] >> 32;
        double x0 = cc[2 * t1], y0 = cc[2 * t1 + 1], x1, y1;
        if (!isfinite(x0))
            continue;
        if (t2p) {
            x1 = cc[2 * (t2p - 1)];
            y1 = cc[2 * (t2p - 1) + 1];
            if (!isfinite(x1))
                continue;
        } else {
            /* hull edge: away from the third vertex of its triangle */
            uint32_t w = tv[3 * t1];
            if (w == u || w == v)
                w = tv[3 * t1 + 1];
            if (w == u || w == v)
                w = tv[3 * t1 + 2];
            double ex = px[v] - px[u], ey = py[v] - py[u];
            double nx = -ey, ny = ex, len = hypot(nx, ny);
            if (!(len > 0))
                continue;
            if (nx * (px[w] - px[u]) + ny * (py[w] - py[u]) > 0) {
                nx = -nx;
                ny = -ny;
            }
            double far =
                reach + hypot(x0 - (fx0 + fx1) / 2, y0 - (fy0 + fy1) / 2);
            x1 = x0 + nx / len * far;
            y1 = y0 + ny / len * far;
        }
        /* inside the face: kept as it is; else clipped below */
        int n0 = (int)across.n;
        st = push_segment(b, &across, x0, y0, x1, y1);
        if (st == SG_OK && (int)across.n > n0) {
            char in = GEOSPreparedContainsProperly_r(h, fp, across.g[n0]);
            if (in == 2) {
                st = sg__geos_error(b->ctx, "midline in a block");
            } else if (in == 1) {
                st = edge_push(b, &inside, across.g[n0], SG__EDGE_MIDLINE);
                across.g[n0] = NULL;
                across.n--;
            }
        }
    }
    if (fp)
        GEOSPreparedGeom_destroy_r(h, fp);
    if (st == SG_OK && across.n) {
        GEOSGeometry *ml = GEOSGeom_createCollection_r(
            h, GEOS_MULTILINESTRING, across.g, (unsigned)across.n);
        if (ml)
            across.n = 0; /* the collection owns them now */
        GEOSGeometry *clip =
            ml ? sg__geom_intersection(b->ctx, ml, face) : NULL;
        if (ml)
            GEOSGeom_destroy_r(h, ml);
        st = clip ? push_lines(b, out, clip, SG__EDGE_MIDLINE)
                  : sg__geos_error(b->ctx, "clipping midlines to a block");
        if (clip)
            GEOSGeom_destroy_r(h, clip);
    }
    for (size_t i = 0; st == SG_OK && i < inside.n; i++) {
        st = edge_push(b, out, inside.g[i], EDGE_INSIDE);
        inside.g[i] = NULL;
    }
    for (size_t i = 0; i < inside.n; i++)
        if (inside.g[i])
            GEOSGeom_destroy_r(h, inside.g[i]);
    inside.n = 0;
    edge_list_free(b, &inside);
    edge_list_free(b, &across);
    sg__plan_map_free(&sites);
    sg__plan_map_free(&edges);
    free(cc);
    free(tv);
    return st;
}

/* Voronoi edges of the households of every face whose balanced weight
 * exceeds \p split_above, each clipped to its face, appended to \p extra;
 * *nsplit counts the faces split. When the households of a face fall
 * into groups of at most \p group_cap (recursive bisection; see
 * SG__PLAN_GROUP_SHARE), only the midlines between groups are kept; a
 * cap under 2 groups nothing (every midline, as for small grids). */
static sg_status midlines(builder *b, GEOSGeometry **faces, size_t n,
                          const int32_t *hh_face, double split_above,
                          double group_cap, edge_list *extra, long long *nsplit)
{
    const sg__plan_job *j = b->job;
    double *w = calloc(n ? n : 1, sizeof *w);
    size_t *cnt = calloc(n ? n : 1, sizeof *cnt);
    size_t nh = j->nhh ? j->nhh : 1;
    GEOSGeometry **pts = malloc(nh * sizeof *pts);
    uint32_t *idx = malloc(nh * sizeof *idx);
    int32_t *group = malloc(nh * sizeof *group);
    keyed_idx *tmp = malloc(nh * sizeof *tmp);
    double *fx = malloc(nh * sizeof *fx), *fy = malloc(nh * sizeof *fy);
    sg_status st = w && cnt && pts && idx && group && tmp && fx && fy
                       ? SG_OK
                       : sg__error(b->ctx, SG_ERR_NOMEM, "out of memory");
    for (size_t k = 0; st == SG_OK && k < j->nhh; k++)
        if (hh_face[k] >= 0) {
            w[hh_face[k]] += j->residents ? j->hres[k] : 1.0;
            cnt[hh_face[k]]++;
        }
    for (size_t f = 0; st == SG_OK && f < n; f++) {
        if (!(w[f] > split_above) || cnt[f] < 2)
            continue;
        size_t np = 0;
        for (size_t k = 0; st == SG_OK && k < j->nhh; k++) {
            if (hh_face[k] != (int32_t)f)
                continue;
            if (!(pts[np] =
                      GEOSGeom_createPointFromXY_r(b->h, j->hx[k], j->hy[k])))
                st = sg__geos_error(b->ctx, "household point");
            else
                idx[np++] = (uint32_t)k;
        }
        GEOSGeometry *mp =
            st == SG_OK ? GEOSGeom_createCollection_r(b->h, GEOS_MULTIPOINT,
                                                      pts, (unsigned)np)
                        : NULL;
        if (!mp) {
            for (size_t k = 0; k < np; k++)
                GEOSGeom_destroy_r(b->h, pts[k]);
            if (st == SG_OK)
                st = sg__geos_error(b->ctx, "household points");
            break;
        }
        /* groups: every household its own (all midlines), or fewer */
        grouper G = {j, group_cap, 0};
        if (group_cap >= 2)
            bisect(&G, idx, np, tmp, group);
        if (G.ngroups > 0 && (size_t)G.ngroups < np) {
            /* only the midlines between groups */
            for (size_t i = 0; i < np; i++) {
                fx[i] = j->hx[idx[i]];
                fy[i] = j->hy[idx[i]];
            }
            GEOSGeometry *dt = GEOSDelaunayTriangulation_r(b->h, mp, 0.0, 0);
            size_t before = extra->n;
            st = dt ? group_midlines(b, faces[f], dt, fx, fy, group, np, extra)
                    : sg__geos_error(b->ctx, "triangulating households");
            if (dt)
                GEOSGeom_destroy_r(b->h, dt);
            if (st == SG_OK) {
                GEOSGeom_destroy_r(b->h, mp);
                if (extra->n > before)
                    (*nsplit)++;
                continue;
            }
            if (st != SG_ERR_INTERNAL) {
                GEOSGeom_destroy_r(b->h, mp);
                break;
            }
            /* a vertex that is no household: every midline, as below */
            for (size_t i = before; i < extra->n; i++)
                GEOSGeom_destroy_r(b->h, extra->g[i]);
            extra->n = before;
            st = SG_OK;
        }
        GEOSGeometry *vor = GEOSVoronoiDiagram_r(b->h, mp, faces[f], 0.0, 1);
        GEOSGeom_destroy_r(b->h, mp);
        GEOSGeometry *clip =
            vor ? sg__geom_intersection(b->ctx, vor, faces[f]) : NULL;
        if (vor)
            GEOSGeom_destroy_r(b->h, vor);
        if (!clip) {
            st = sg__geos_error(b->ctx, "midlines between households");
            break;
        }
        size_t before = extra->n;
        st = push_lines(b, extra, clip, SG__EDGE_MIDLINE);
        GEOSGeom_destroy_r(b->h, clip);
        if (extra->n > before)
            (*nsplit)++;
    }
    free(w);
    free(cnt);
    free(pts);
    free(idx);
    free(group);
    free(tmp);
    free(fx);
    free(fy);
    return st;
}

/* ---- the second pass's noding ----------------------------------------- */

/* The box of line \p g grown by \p pad into bx (min x, min y, max x,
 * max y) and its first and last points into ends (x0, y0, x1, y1).
 * \return 0 on a GEOS failure. */
static int line_box(builder *b, const GEOSGeometry *g, double pad, double bx[4],
                    double ends[4])
{
    const GEOSCoordSequence *cs = GEOSGeom_getCoordSeq_r(b->h, g);
    unsigned int n = 0;
    if (!cs || !GEOSCoordSeq_getSize_r(b->h, cs, &n) || n < 1)
        return 0;
    bx[0] = bx[1] = INFINITY;
    bx[2] = bx[3] = -INFINITY;
    for (unsigned int k = 0; k < n; k++) {
        double x, y;
        if (!GEOSCoordSeq_getXY_r(b->h, cs, k, &x, &y))
            return 0;
        bx[0] = fmin(bx[0], x);
        bx[1] = fmin(bx[1], y);
        bx[2] = fmax(bx[2], x);
        bx[3] = fmax(bx[3], y);
        if (k == 0) {
            ends[0] = x;
            ends[1] = y;
        }
        if (k + 1 == n) {
            ends[2] = x;
            ends[3] = y;
        }
    }
    bx[0] -= pad;
    bx[1] -= pad;
    bx[2] += pad;
    bx[3] += pad;
    return 1;
}

/* \return 1 if box \p q overlaps one of the \p n boxes \p boxes indexed
 * by \p g. */
static int box_meets(const sg__cells *g, const double *boxes, size_t n,
                     const double q[4])
{
    if (!n)
        return 0;
    int sp[4];
    if (!sg__cells_span(g, q[0], q[1], q[2], q[3], sp))
        return 0;
    int c0 = sp[0], r0 = sp[1], c1 = sp[2], r1 = sp[3];
    for (int row = r0; row <= r1; row++)
        for (int col = c0; col <= c1; col++) {
            size_t cell = (size_t)row * (size_t)g->nx + (size_t)col;
            for (uint32_t k = g->off[cell]; k < g->off[cell + 1]; k++) {
                const double *o = boxes + 4 * (size_t)g->items[k];
                if (o[0] <= q[2] && q[0] <= o[2] && o[1] <= q[3] &&
                    q[1] <= o[3])
                    return 1;
            }
        }
    return 0;
}

/* \return 1 if segment key \p k is in \p t. */
static int seg_has(const seg_table *t, const double k[4])
{
    if (!t->cap)
        return 0;
    size_t p = sg__plan_seg_hash(k) & (t->cap - 1);
    while (t->e[p].used) {
        if (memcmp(t->e[p].k, k, sizeof t->e[p].k) == 0)
            return 1;
        p = (p + 1) & (t->cap - 1);
    }
    return 0;
}

/* The second pass's noded edges into \p all, as the one unary union of
 * the first-pass edges \p e followed by the midlines \p extra would give
 * them (same edges, same order), with less to node: a midline properly
 * inside its face (EDGE_INSIDE) meets no other line but at shared end
 * points, unless a loose edge of \p e (on no face of \p faces, n) comes
 * near it; a first-pass edge away from every other midline is noded
 * already. Those lines are left out of the union and put back in their
 * places: the union gives the pieces of each line it nodes in the
 * order of the lines, each line's pieces end to end. *done is set when
 * the union's pieces were found to be exactly that; otherwise (or with
 * nothing to leave out) \p all is left empty for the caller to node
 * everything. */
static sg_status node_second(builder *b, const edge_list *e,
                             const edge_list *extra, GEOSGeometry **faces,
                             size_t nfaces, edge_list *all, int *done)
{
    sg_ctx *ctx = b->ctx;
    size_t ne = e->n, n = e->n + extra->n, ninside = 0, nloose = 0;
    *done = 0;
    for (size_t j = 0; j < extra->n; j++)
        ninside += extra->kind[j] == EDGE_INSIDE;
    if (!ninside)
        return SG_OK;
    double *box = malloc(n * 4 * sizeof *box),
           *ends = malloc(n * 4 * sizeof *ends);
    double *lbox = malloc(n * 4 * sizeof *lbox);
    unsigned char *skip = calloc(n, 1);
    GEOSGeometry **in = malloc(n * sizeof *in);
    sg__cells lidx = {0};
    seg_table t = {0};
    edge_list got = {0};
    size_t nin = 0;
    sg_status st = box && ends && lbox && skip && in
                       ? SG_OK
                       : sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    for (size_t i = 0; st == SG_OK && i < n; i++) {
        const GEOSGeometry *g = i < ne ? e->g[i] : extra->g[i - ne];
        if (!line_box(b, g, APART_M, box + 4 * i, ends + 4 * i))
            st = sg__geos_error(ctx, "reading a block edge");
    }
    /* loose first-pass edges: their first segment is on no face */
    for (size_t f = 0; st == SG_OK && f < nfaces; f++) {
        const GEOSGeometry *ring = GEOSGetExteriorRing_r(b->h, faces[f]);
        st = ring ? sg__plan_seg_add_line(b, &t, ring, 0, (int32_t)f)
                  : sg__geos_error(ctx, "block ring");
        int nh = GEOSGetNumInteriorRings_r(b->h, faces[f]);
        for (int r = 0; st == SG_OK && r < nh; r++)
            st = sg__plan_seg_add_line(
                b, &t, GEOSGetInteriorRingN_r(b->h, faces[f], r), 0,
                (int32_t)f);
    }
    for (size_t i = 0; st == SG_OK && i < ne; i++) {
        const GEOSCoordSequence *cs = GEOSGeom_getCoordSeq_r(b->h, e->g[i]);
        double x0, y0, x1, y1, k[4];
        if (!cs || !GEOSCoordSeq_getXY_r(b->h, cs, 0, &x0, &y0) ||
            !GEOSCoordSeq_getXY_r(b->h, cs, 1, &x1, &y1)) {
            st = sg__geos_error(ctx, "reading a block edge");
            break;
        }
        sg__plan_seg_key(x0, y0, x1, y1, k);
        if (!seg_has(&t, k))
            memcpy(lbox + 4 * nloose++, box + 4 * i, 4 * sizeof *box);
    }
    if (st == SG_OK)
        st = sg__cells_build(ctx, &lidx, lbox, nloose, 0);
    /* what the union can leave out: inside midlines away from loose
     * edges (the first-pass edges themselves are not always noded
     * already: a clipped road's end point may be noded into the
     * boundary only by a second union) */
    for (size_t i = ne; st == SG_OK && i < n; i++)
        if (extra->kind[i - ne] == EDGE_INSIDE)
            skip[i] = !box_meets(&lidx, lbox, nloose, box + 4 * i);
    for (size_t i = 0; st == SG_OK && i < n; i++) {
        if (!skip[i]) {
            const GEOSGeometry *g = i < ne ? e->g[i] : extra->g[i - ne];
            if (!(in[nin] = GEOSGeom_clone_r(b->h, g)))
                st = sg__geos_error(ctx, "copying a block edge");
            else
                nin++;
        }
    }
    GEOSGeometry *lines =
        st == SG_OK ? GEOSGeom_createCollection_r(b->h, GEOS_GEOMETRYCOLLECTION,
                                                  in, (unsigned)nin)
                    : NULL;
    if (lines)
        nin = 0; /* the collection owns them now */
    else if (st == SG_OK)
        st = sg__geos_error(ctx, "collecting block edges");
    if (st == SG_OK)
        st = union_lines(b, lines, &got);
    /* every line in its place: left out as it is, or its pieces */
    size_t k = 0;
    int match = st == SG_OK;
    for (size_t i = 0; match && st == SG_OK && i < n; i++) {
        const GEOSGeometry *g = i < ne ? e->g[i] : extra->g[i - ne];
        if (skip[i]) {
            GEOSGeometry *c = GEOSGeom_clone_r(b->h, g);
            st = c ? edge_push(b, all, c, 0)
                   : sg__geos_error(ctx, "copying a block edge");
            continue;
        }
        const double *en = ends + 4 * i;
        double x = en[0], y = en[1];
        do {
            double pb[4], pe[4];
            if (k >= got.n || !line_box(b, got.g[k], 0, pb, pe)) {
                match = 0;
                break;
            }
            if (pe[0] != x || pe[1] != y) {
                match = 0;
                break;
            }
            st = edge_push(b, all, got.g[k], 0);
            got.g[k++] = NULL;
            x = pe[2];
            y = pe[3];
        } while (st == SG_OK && (x != en[2] || y != en[3]));
    }
    if (st == SG_OK && match && k == got.n) {
        *done = 1;
    } else {
        for (size_t i = 0; i < all->n; i++)
            GEOSGeom_destroy_r(b->h, all->g[i]);
        all->n = 0;
    }
    for (size_t i = 0; i < got.n; i++)
        if (got.g[i])
            GEOSGeom_destroy_r(b->h, got.g[i]);
    got.n = 0;
    edge_list_free(b, &got);
    for (size_t i = 0; i < nin; i++)
        GEOSGeom_destroy_r(b->h, in[i]);
    free(in);
    free(t.e);
    sg__cells_cleanup(&lidx);
    free(box);
    free(ends);
    free(lbox);
    free(skip);
    return st;
}

/* ---- the build ---------------------------------------------------------- */

/* The first-pass lines: the unit's boundary and the roads clipped to
 * the unit, as a new collection (caller owns) or NULL on failure. */
static GEOSGeometry *first_lines(builder *b)
{
    const sg__plan_job *j = b->job;
    edge_list keep = {0}, cross = {0}, clipped = {0}, one = {0};
    sg_status st = push_lines(b, &keep, b->boundary, SG__EDGE_BOUNDARY);
    for (size_t r = 0; st == SG_OK && r < j->nroads; r++) {
        GEOSGeometry *g =
            sg__geom_from_wkb(b->ctx, j->road_wkb[r], j->road_size[r]);
        if (!g) {
            st = sg_ctx_status(b->ctx);
            break;
        }
        one.n = 0;
        st = push_lines(b, &one, g, SG__EDGE_ROAD);
        GEOSGeom_destroy_r(b->h, g);
        /* a line inside the unit is kept as it is; one across its
         * boundary is clipped below; one outside is dropped */
        for (size_t k = 0; st == SG_OK && k < one.n; k++) {
            char in = GEOSPreparedContains_r(b->h, b->uprep, one.g[k]);
            char meets =
                in == 1 ? 1
                        : GEOSPreparedIntersects_r(b->h, b->uprep, one.g[k]);
            if (in == 2 || meets == 2)
                st = sg__geos_error(b->ctx, "road in the unit");
            else if (in == 1)
                st = edge_push(b, &keep, one.g[k], SG__EDGE_ROAD);
            else if (meets == 1)
                st = edge_push(b, &cross, one.g[k], SG__EDGE_ROAD);
            else
                GEOSGeom_destroy_r(b->h, one.g[k]);
            one.g[k] = NULL;
        }
        for (size_t k = 0; k < one.n; k++)
            if (one.g[k])
                GEOSGeom_destroy_r(b->h, one.g[k]);
        one.n = 0;
    }
    GEOSGeometry *out = NULL;
    if (st == SG_OK && cross.n) {
        /* one overlay clips every road that crosses the boundary */
        GEOSGeometry *roads = GEOSGeom_createCollection_r(
            b->h, GEOS_MULTILINESTRING, cross.g, (unsigned)cross.n);
        if (roads)
            cross.n = 0; /* the collection owns them now */
        GEOSGeometry *in =
            roads ? sg__geom_intersection(b->ctx, roads, b->unit) : NULL;
        if (roads)
            GEOSGeom_destroy_r(b->h, roads);
        st = in ? push_lines(b, &clipped, in, SG__EDGE_ROAD)
                : sg__geos_error(b->ctx, "clipping roads to the unit");
        if (in)
            GEOSGeom_destroy_r(b->h, in);
    }
    if (st == SG_OK)
        out = collect_edges(b, &keep, &clipped);
    edge_list_free(b, &keep);
    edge_list_free(b, &cross);
    edge_list_free(b, &clipped);
    edge_list_free(b, &one);
    return out;
}

/* The blocks' households and residents and each household's block. */
static sg_status weigh_blocks(builder *b, sg__plan_blocks *out)
{
    const sg__plan_job *j = b->job;
    out->w_hh = calloc(out->n ? out->n : 1, sizeof *out->w_hh);
    out->w_res = calloc(out->n ? out->n : 1, sizeof *out->w_res);
    out->comp = calloc(out->n ? out->n : 1, sizeof *out->comp);
    out->hh_block = malloc((j->nhh ? j->nhh : 1) * sizeof *out->hh_block);
    if (!out->w_hh || !out->w_res || !out->comp || !out->hh_block)
        return sg__error(b->ctx, SG_ERR_NOMEM, "out of memory");
    sg_status st = locate_households(b, out->faces, out->n, out->hh_block);
    for (size_t k = 0; st == SG_OK && k < j->nhh; k++)
        if (out->hh_block[k] >= 0) {
            out->w_hh[out->hh_block[k]] += 1;
            out->w_res[out->hh_block[k]] += j->hres[k];
        }
    return st;
}

/* The segments of the unit's boundary (every ring) into b->bseg and
 * their index into b->bidx. */
static sg_status boundary_segments(builder *b)
{
    edge_list rings = {0};
    sg_status st = push_lines(b, &rings, b->boundary, SG__EDGE_BOUNDARY);
    size_t cap = 0;
    for (size_t i = 0; st == SG_OK && i < rings.n; i++) {
        unsigned int n = 0;
        const GEOSCoordSequence *cs = GEOSGeom_getCoordSeq_r(b->h, rings.g[i]);
        if (!cs || !GEOSCoordSeq_getSize_r(b->h, cs, &n)) {
            st = sg__geos_error(b->ctx, "reading the unit's boundary");
            break;
        }
        cap += n;
    }
    double *boxes = NULL;
    if (st == SG_OK) {
        b->bseg = malloc((cap ? cap : 1) * 4 * sizeof *b->bseg);
        boxes = malloc((cap ? cap : 1) * 4 * sizeof *boxes);
        if (!b->bseg || !boxes)
            st = sg__error(b->ctx, SG_ERR_NOMEM, "out of memory");
    }
    for (size_t i = 0; st == SG_OK && i < rings.n; i++) {
        const GEOSCoordSequence *cs = GEOSGeom_getCoordSeq_r(b->h, rings.g[i]);
        unsigned int n = 0;
        double px = 0, py = 0, x, y;
        GEOSCoordSeq_getSize_r(b->h, cs, &n);
        for (unsigned int k = 0; st == SG_OK && k < n; k++) {
            if (!GEOSCoordSeq_getXY_r(b->h, cs, k, &x, &y)) {
                st = sg__geos_error(b->ctx, "reading the unit's boundary");
                break;
            }
            if (k > 0) {
                double *s = b->bseg + 4 * b->nbseg, *bx = boxes + 4 * b->nbseg;
                s[0] = px;
                s[1] = py;
                s[2] = x;
                s[3] = y;
                bx[0] = fmin(px, x);
                bx[1] = fmin(py, y);
                bx[2] = fmax(px, x);
                bx[3] = fmax(py, y);
                b->nbseg++;
            }
            px = x;
            py = y;
        }
    }
    if (st == SG_OK)
        st = sg__cells_build(b->ctx, &b->bidx, boxes, b->nbseg, 0);
    free(boxes);
    edge_list_free(b, &rings);
    return st;
}

/* Set up \p b for the unit (prepared unit and boundary, household
 * index). */
static sg_status builder_init(builder *b, sg_ctx *ctx, const GEOSGeometry *unit,
                              const sg__plan_job *job)
{
    memset(b, 0, sizeof *b);
    b->ctx = ctx;
    b->h = ctx->geom;
    b->job = job;
    b->unit = unit;
    sg__geomset_init(&b->roads, ctx, 1);
    b->uprep = GEOSPrepare_r(b->h, unit);
    b->boundary = GEOSBoundary_r(b->h, unit);
    if (!b->uprep || !b->boundary)
        return sg__geos_error(ctx, "preparing the unit");
    sg_status st = boundary_segments(b);
    if (st)
        return st;
    double *boxes = malloc((job->nhh ? job->nhh : 1) * 4 * sizeof *boxes);
    if (!boxes)
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    for (size_t k = 0; k < job->nhh; k++) {
        boxes[4 * k] = boxes[4 * k + 2] = job->hx[k];
        boxes[4 * k + 1] = boxes[4 * k + 3] = job->hy[k];
    }
    st = sg__cells_build(ctx, &b->hidx, boxes, job->nhh, 0);
    free(boxes);
    return st;
}

/* Free what \p b owns. */
static void builder_cleanup(builder *b)
{
    if (b->uprep)
        GEOSPreparedGeom_destroy_r(b->h, b->uprep);
    free(b->bseg);
    sg__cells_cleanup(&b->bidx);
    if (b->boundary)
        GEOSGeom_destroy_r(b->h, b->boundary);
    sg__cells_cleanup(&b->hidx);
    sg__geomset_cleanup(&b->roads);
}

/* See plan_int.h: two passes (roads, then roads with midlines in the
 * faces that need them), adjacency, weak links, CSR. On failure \p out
 * is left empty. */
sg_status sg__plan_blocks_build(sg_ctx *ctx, const GEOSGeometry *unit,
                                const sg__plan_job *job, double split_above,
                                sg__plan_blocks *out)
{
    memset(out, 0, sizeof *out);
    builder b;
    edge_list edges = {0}, extra = {0}, edges2 = {0};
    pair_list pl = {0};
    int32_t *hh_face = NULL;
    double *T = out->secs, t = sg__plan_now(), t1;
/* add the seconds since the last mark to phase P */
#define LAP(P) (t1 = sg__plan_now(), T[P] += t1 - t, t = t1)
    sg_status st = builder_init(&b, ctx, unit, job);
    GEOSGeometry *lines = st == SG_OK ? first_lines(&b) : NULL;
    if (st == SG_OK && !lines)
        st = sg_ctx_status(ctx);
    LAP(SG__PLAN_T_LINES);
    if (st == SG_OK)
        st = node_edges(&b, lines, 0, &edges);
    LAP(SG__PLAN_T_NODE);
    if (st == SG_OK)
        st = polygonize(&b, &edges, &out->faces, &out->n);
    LAP(SG__PLAN_T_POLY);
    if (st == SG_OK && job->nhh &&
        !(hh_face = malloc(job->nhh * sizeof *hh_face)))
        st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    if (st == SG_OK && job->nhh)
        st = locate_households(&b, out->faces, out->n, hh_face);
    LAP(SG__PLAN_T_LOCATE);
    if (st == SG_OK && job->nhh)
        st = midlines(&b, out->faces, out->n, hh_face, split_above,
                      split_above * SG__PLAN_GROUP_SHARE, &extra,
                      &out->voronoi_faces);
    LAP(SG__PLAN_T_MIDLINES);
    if (st == SG_OK && extra.n) {
        /* second pass: roads and boundary with the midlines */
        for (size_t i = 0; st == SG_OK && i < edges.n; i++) {
            if (edges.kind[i] != SG__EDGE_ROAD)
                continue;
            GEOSGeometry *c = GEOSGeom_clone_r(b.h, edges.g[i]);
            st = c ? sg__geomset_add(ctx, &b.roads, c)
                   : sg__geos_error(ctx, "copying a road edge");
        }
        edge_list all = {0};
        int done = 0;
        if (st == SG_OK && !getenv(SG__PLAN_NODE_ALL_ENV))
            st = node_second(&b, &edges, &extra, out->faces, out->n, &all,
                             &done);
        out->noded_in_part = done;
        if (st == SG_OK && !done) {
            lines = collect_edges(&b, &edges, &extra);
            st = lines ? union_lines(&b, lines, &all) : sg_ctx_status(ctx);
        }
        if (st == SG_OK) {
            st = keep_edges(&b, &all, 1, &edges2);
        } else
            edge_list_free(&b, &all);
        LAP(SG__PLAN_T_NODE);
        faces_free(&b, out->faces, out->n);
        out->faces = NULL;
        out->n = 0;
        if (st == SG_OK)
            st = polygonize(&b, &edges2, &out->faces, &out->n);
        LAP(SG__PLAN_T_POLY);
    }
    if (st == SG_OK)
        st = weigh_blocks(&b, out);
    LAP(SG__PLAN_T_LOCATE);
    if (st == SG_OK)
        st = sg__plan_face_pairs(&b, edges2.n ? &edges2 : &edges, out->faces,
                                 out->n, &pl);
    LAP(SG__PLAN_T_PAIRS);
    if (st == SG_OK)
        st = sg__plan_connect_components(&b, out, &pl);
    if (st == SG_OK)
        st = sg__plan_build_csr(&b, out, &pl);
    LAP(SG__PLAN_T_LINKS);
#undef LAP
    free(pl.v);
    free(hh_face);
    edge_list_free(&b, &edges);
    edge_list_free(&b, &edges2);
    edge_list_free(&b, &extra);
    builder_cleanup(&b);
    if (st)
        sg__plan_blocks_cleanup(ctx, out);
    return st;
}

/* NULL is a no-op; the faces are destroyed with ctx's GEOS handle. */
void sg__plan_blocks_cleanup(sg_ctx *ctx, sg__plan_blocks *b)
{
    if (!b)
        return;
    for (size_t i = 0; b->faces && i < b->n; i++)
        if (b->faces[i])
            GEOSGeom_destroy_r(ctx->geom, b->faces[i]);
    free(b->faces);
    free(b->w_hh);
    free(b->w_res);
    free(b->comp);
    free(b->hh_block);
    free(b->xadj);
    free(b->adj);
    free(b->adjw);
    free(b->adjlen);
    memset(b, 0, sizeof *b);
}
