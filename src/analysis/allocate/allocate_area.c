/* Service areas of the cleaners of one village: every point of the
 * village goes to the cleaner of the nearest "site", sites being points
 * along every road piece (at most SG_ALLOC_SITE_M apart, none at the
 * piece's ends, so two cleaners meeting at a node never share a site;
 * made in allocate_part.c), each labelled with its piece's cleaner, or
 * the households in a village without roads. So each point belongs to
 * the cleaner of the nearest road (by straight line, at the resolution
 * of the sites): the Voronoi diagram of the sites
 * (GEOSVoronoiDiagram_r), its cells dissolved per cleaner (coverage
 * union, falling back to unary union) and clipped to the village. The
 * areas therefore do not overlap and cover the whole village (not only
 * its inhabited part); as a household joins the piece of its nearest
 * site, it lies in its own cleaner's area.
 * Compactness is Polsby-Popper: 4 pi A / P^2 (1 for a disc, about 0.785
 * for a square, near 0 for a long thin strip), with A and P summed over
 * the area's parts (holes add to P).
 * Not for: the partition (allocate_part.c), writing (allocate_write.c).
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/allocate/allocate_int.h"
#include "geom/geos_int.h"

/* The sites with their labels (borrowed from a partition). */
typedef struct sites {
    const double *xy; /* 2 per site */
    const int32_t *lab;
    size_t n;
} sites;

/* The exterior ring of polygon \p cell as a coordinate array in \p buf
 * (grown as needed). \return the vertex count, 0 on failure. */
static size_t ring_coords(GEOSContextHandle_t h, const GEOSGeometry *cell,
                          double **buf, size_t *cap)
{
    const GEOSGeometry *ring = GEOSGetExteriorRing_r(h, cell);
    const GEOSCoordSequence *cs = ring ? GEOSGeom_getCoordSeq_r(h, ring) : NULL;
    unsigned int n = 0;
    if (!cs || !GEOSCoordSeq_getSize_r(h, cs, &n) || n < 4)
        return 0;
    if (n > *cap) {
        double *nb = realloc(*buf, 2 * (size_t)n * sizeof *nb);
        if (!nb)
            return 0;
        *buf = nb;
        *cap = n;
    }
    for (unsigned int i = 0; i < n; i++)
        if (!GEOSCoordSeq_getXY_r(h, cs, i, *buf + 2 * i, *buf + 2 * i + 1))
            return 0;
    return n;
}

/* Even-odd test of (x, y) against the closed ring of \p n vertices. */
static int in_ring(const double *xy, size_t n, double x, double y)
{
    int in = 0;
    for (size_t i = 0, j = n - 1; i < n; j = i++) {
        double xi = xy[2 * i], yi = xy[2 * i + 1];
        double xj = xy[2 * j], yj = xy[2 * j + 1];
        if ((yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi)
            in = !in;
    }
    return in;
}

/* Label of the site inside Voronoi cell \p cell (sites indexed by \p g),
 * or -1. */
static int32_t cell_label(GEOSContextHandle_t h, const GEOSGeometry *cell,
                          const sites *s, const sg__cells *g, double **buf,
                          size_t *cap)
{
    double x0, y0, x1, y1;
    if (!GEOSGeom_getExtent_r(h, cell, &x0, &y0, &x1, &y1))
        return -1;
    size_t n = ring_coords(h, cell, buf, cap);
    if (!n)
        return -1;
    int sp[4];
    if (!sg__cells_span(g, x0, y0, x1, y1, sp))
        return -1;
    int c0 = sp[0], r0 = sp[1], c1 = sp[2], r1 = sp[3];
    for (int r = r0; r <= r1; r++)
        for (int c = c0; c <= c1; c++) {
            size_t k = (size_t)r * (size_t)g->nx + (size_t)c;
            for (uint32_t a = g->off[k]; a < g->off[k + 1]; a++) {
                uint32_t i = g->items[a];
                double x = s->xy[2 * i], y = s->xy[2 * i + 1];
                if (x >= x0 && x <= x1 && y >= y0 && y <= y1 &&
                    in_ring(*buf, n, x, y))
                    return s->lab[i];
            }
        }
    return -1;
}

/* Label of the site nearest to an interior point of \p cell (a fallback
 * when no site lies strictly inside it, which only rounding can cause),
 * or -1. */
static int32_t nearest_label(GEOSContextHandle_t h, const GEOSGeometry *cell,
                             const sites *s)
{
    GEOSGeometry *p = GEOSPointOnSurface_r(h, cell);
    double x = 0, y = 0, best = INFINITY;
    int32_t lab = -1;
    if (p && GEOSGeomGetX_r(h, p, &x) == 1 && GEOSGeomGetY_r(h, p, &y) == 1)
        for (size_t i = 0; i < s->n; i++) {
            double d = hypot(s->xy[2 * i] - x, s->xy[2 * i + 1] - y);
            if (d < best) {
                best = d;
                lab = s->lab[i];
            }
        }
    if (p)
        GEOSGeom_destroy_r(h, p);
    return lab;
}

/* Union of the \p n cells \p cells (borrowed): coverage union of copies,
 * unary union when that fails. \return caller owns, or NULL (status in
 * ctx). */
static GEOSGeometry *dissolve(sg_ctx *ctx, const GEOSGeometry **cells, size_t n)
{
    GEOSContextHandle_t h = ctx->geom;
    GEOSGeometry **copies = malloc((n ? n : 1) * sizeof *copies);
    if (!copies) {
        sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        return NULL;
    }
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        GEOSGeometry *c = GEOSGeom_clone_r(h, cells[i]);
        if (!c)
            break;
        copies[m++] = c;
    }
    GEOSGeometry *coll =
        m == n ? GEOSGeom_createCollection_r(h, GEOS_GEOMETRYCOLLECTION, copies,
                                             (unsigned)m)
               : NULL;
    if (!coll) {
        for (size_t i = 0; i < m; i++)
            GEOSGeom_destroy_r(h, copies[i]);
        free(copies);
        sg__geos_error(ctx, "collecting service area cells");
        return NULL;
    }
    free(copies);
    ctx->geom_msg[0] = '\0';
    /* GEOS's coverage union refuses (NULL) inputs that are not a clean
     * coverage: wrongly noded edges, or an output area that differs from
     * the sum of the cells' areas */
    GEOSGeometry *u = GEOSCoverageUnion_r(h, coll);
    if (!u)
        u = sg__geom_union(ctx, (const GEOSGeometry *const *)&coll, 1);
    GEOSGeom_destroy_r(h, coll);
    if (!u && sg_ctx_status(ctx) == SG_OK)
        sg__geos_error(ctx, "dissolving service area cells");
    return u;
}

/* Area, perimeter and Polsby-Popper compactness of part \p s's area. */
static void measure_area(GEOSContextHandle_t h, sg__apstat *s)
{
    double a = 0, p = 0;
    if (s->area && GEOSisEmpty_r(h, s->area) == 0) {
        GEOSArea_r(h, s->area, &a);
        GEOSLength_r(h, s->area, &p);
    }
    s->area_m2 = a;
    s->perimeter_m = p;
    s->compactness = p > 0 ? 4 * M_PI * a / (p * p) : 0;
}

/* Split the Voronoi diagram of the sites \p s (indexed by \p g) over
 * \p village by label into the parts' areas. */
static sg_status split_diagram(sg__alloc *A, const GEOSGeometry *village,
                               const sites *s, const sg__cells *g, sg__apart *P)
{
    sg_ctx *ctx = A->ctx;
    GEOSContextHandle_t h = A->h;
    GEOSGeometry *mp = NULL, *diagram = NULL;
    GEOSGeometry **pts = malloc(s->n * sizeof *pts);
    const GEOSGeometry **cells = NULL;
    int32_t *lab = NULL;
    double *buf = NULL;
    size_t cap = 0, ncells = 0;
    sg_status st = pts ? SG_OK : sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    size_t np = 0;
    for (size_t i = 0; st == SG_OK && i < s->n; i++) {
        double x = s->xy[2 * i], y = s->xy[2 * i + 1];
        if (!(pts[np] = GEOSGeom_createPointFromXY_r(h, x, y)))
            st = sg__geos_error(ctx, "site");
        else
            np++;
    }
    if (st == SG_OK) {
        mp = GEOSGeom_createCollection_r(h, GEOS_MULTIPOINT, pts, (unsigned)np);
        if (mp)
            np = 0; /* owned by the collection */
        else
            st = sg__geos_error(ctx, "sites");
    }
    for (size_t i = 0; i < np; i++)
        GEOSGeom_destroy_r(h, pts[i]);
    free(pts);
    if (st == SG_OK) {
        ctx->geom_msg[0] = '\0';
        diagram = GEOSVoronoiDiagram_r(h, mp, village, 0.0, 0);
        if (!diagram)
            st = sg__geos_error(ctx, "Voronoi diagram of the sites");
    }
    if (st == SG_OK) {
        ncells = (size_t)GEOSGetNumGeometries_r(h, diagram);
        cells = malloc((ncells ? ncells : 1) * sizeof *cells);
        lab = malloc((ncells ? ncells : 1) * sizeof *lab);
        if (!cells || !lab)
            st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    }
    for (size_t i = 0; st == SG_OK && i < ncells; i++) {
        cells[i] = GEOSGetGeometryN_r(h, diagram, (int)i);
        lab[i] = cell_label(h, cells[i], s, g, &buf, &cap);
        if (lab[i] < 0)
            lab[i] = nearest_label(h, cells[i], s);
    }
    /* per cleaner: its cells, dissolved and clipped */
    const GEOSGeometry **mine = NULL;
    if (st == SG_OK && !(mine = malloc((ncells ? ncells : 1) * sizeof *mine)))
        st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    for (int k = 0; st == SG_OK && k < P->K; k++) {
        size_t m = 0;
        for (size_t i = 0; i < ncells; i++)
            if (lab[i] == k)
                mine[m++] = cells[i];
        if (!m)
            continue;
        GEOSGeometry *u = dissolve(ctx, mine, m);
        GEOSGeometry *c = u ? sg__geom_intersection(ctx, u, village) : NULL;
        if (u)
            GEOSGeom_destroy_r(h, u);
        P->ps[k].area = sg__geom_polygonal(ctx, c, 0);
        if (!P->ps[k].area)
            st = sg_ctx_status(ctx) ? sg_ctx_status(ctx) : SG_ERR_GEOM;
    }
    free(mine);
    free(cells);
    free(lab);
    free(buf);
    if (diagram)
        GEOSGeom_destroy_r(h, diagram);
    if (mp)
        GEOSGeom_destroy_r(h, mp);
    return st;
}

sg_status sg__alloc_areas(sg__alloc *A, size_t vi, sg__apart *P)
{
    const GEOSGeometry *village = sg__geomset_get(&A->vgeom, vi);
    if (!village || GEOSisEmpty_r(A->h, village) == 1)
        return SG_OK;
    int32_t *lab = malloc((P->ns ? P->ns : 1) * sizeof *lab);
    if (!lab)
        return sg__error(A->ctx, SG_ERR_NOMEM, "out of memory");
    int several = 0;
    for (size_t i = 0; i < P->ns; i++) {
        lab[i] = P->sites_hh ? P->hpart[P->sof[i]] : P->part[P->sof[i]];
        several |= lab[i] != lab[0];
    }
    sites s = {P->sxy, lab, P->ns};
    int32_t only = P->ns ? lab[0] : 0;
    sg_status st = SG_OK;
    if (several) {
        st = split_diagram(A, village, &s, &P->sgrid, P);
    } else {
        /* one cleaner has every site (or there are none): the village */
        P->ps[only].area =
            sg__geom_polygonal(A->ctx, GEOSGeom_clone_r(A->h, village), 0);
        if (!P->ps[only].area)
            st = sg__geos_error(A->ctx, "service area");
    }
    for (int k = 0; st == SG_OK && k < P->K; k++)
        measure_area(A->h, &P->ps[k]);
    free(lab);
    return st;
}
