/* The administrative units of the coverage statistics: every division
 * and grid of the store with a point-in-polygon index (each unit's edges
 * sorted into horizontal bands, a grid over the envelopes), and the
 * nearest-point grid for straight-line distances. Also the small text
 * arena the coverage analysis keeps its identifiers in.
 * Not for: GEOS work, SQL beyond sg__store_scan, statistics themselves
 * (coverage.c).
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/coverage/coverage_int.h"
#include "geom/geos_int.h"
#include "store/store_int.h"

/* ---- arena -------------------------------------------------------------- */

size_t sg__arena_add(sg__arena *a, const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (a->len + n + 1 > a->cap) {
        size_t cap = a->cap ? a->cap : 4096;
        while (cap < a->len + n + 1)
            cap *= 2;
        char *b = realloc(a->buf, cap);
        if (!b)
            return (size_t)-1;
        a->buf = b;
        a->cap = cap;
    }
    size_t off = a->len;
    if (n)
        memcpy(a->buf + off, s, n);
    a->buf[off + n] = '\0';
    a->len += n + 1;
    return off;
}

void sg__arena_cleanup(sg__arena *a)
{
    if (!a)
        return;
    free(a->buf);
    memset(a, 0, sizeof *a);
}

/* ---- rings -------------------------------------------------------------- */

int sg__ring_contains(const double *xy, size_t n, double x, double y)
{
    int in = 0;
    for (size_t i = 0, j = n - 1; i < n; j = i++) {
        double xi = xy[2 * i], yi = xy[2 * i + 1];
        double xj = xy[2 * j], yj = xy[2 * j + 1];
        if ((yi > y) != (yj > y) && x < xi + (y - yi) * (xj - xi) / (yj - yi))
            in = !in;
    }
    return in;
}

double sg__ring_area(const double *xy, size_t n)
{
    double a = 0;
    for (size_t i = 0, j = n - 1; i < n; j = i++)
        a += (xy[2 * j] - xy[2 * i]) * (xy[2 * j + 1] + xy[2 * i + 1]);
    return a / 2;
}

/* ---- loading ------------------------------------------------------------ */

/* Hierarchy depth of a division level (1 county .. 5 group, 0 unknown). */
static int division_depth(const char *level)
{
    static const char *const names[] = {"county", "township", "admin_village",
                                        "natural_village", "group"};
    for (int i = 0; level && i < 5; i++)
        if (strcmp(level, names[i]) == 0)
            return i + 1;
    return 0;
}

/* What the scan callbacks need. */
typedef struct loader {
    sg_ctx *ctx;
    sg__units *u;
    size_t cap;
    int type;
} loader;

/* sg__store_scan callback for divisions and grids: code, name, level,
 * parent_code, geometry. */
static sg_status unit_row(sg__row *row, void *user)
{
    loader *l = user;
    sg__units *u = l->u;
    if (u->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        sg__unit *v = realloc(u->u, cap * sizeof *v);
        if (!v)
            return sg__error(l->ctx, SG_ERR_NOMEM, "out of memory");
        u->u = v;
        if (l->type == SG_UNIT_DIVISION) {
            unsigned char **w = realloc(u->wkb, cap * sizeof *w);
            if (!w)
                return sg__error(l->ctx, SG_ERR_NOMEM, "out of memory");
            u->wkb = w;
            size_t *ws = realloc(u->wkb_size, cap * sizeof *ws);
            if (!ws)
                return sg__error(l->ctx, SG_ERR_NOMEM, "out of memory");
            u->wkb_size = ws;
        }
        l->cap = cap;
    }
    sg__unit *t = u->u + u->n;
    memset(t, 0, sizeof *t);
    t->type = l->type;
    const char *level = sg__row_text(row, 2);
    if (l->type == SG_UNIT_DIVISION) {
        t->depth = division_depth(level);
    } else {
        t->depth = sg__row_is_null(row, 2) ? 1 : sg__row_int(row, 2);
    }
    t->has_name = !sg__row_is_null(row, 1);
    t->code = sg__arena_add(&u->text, sg__row_text(row, 0));
    t->name = sg__arena_add(&u->text, sg__row_text(row, 1));
    t->level = sg__arena_add(&u->text, level);
    t->parent = sg__arena_add(&u->text, sg__row_text(row, 3));
    if (t->code == (size_t)-1 || t->name == (size_t)-1 ||
        t->level == (size_t)-1 || t->parent == (size_t)-1)
        return sg__error(l->ctx, SG_ERR_NOMEM, "out of memory");
    const void *wkb = sg__row_blob(row, 4);
    size_t size = sg__row_bytes(row, 4);
    if (l->type == SG_UNIT_DIVISION) {
        u->wkb[u->n] = NULL;
        u->wkb_size[u->n] = 0;
        if (wkb && size) {
            if (!(u->wkb[u->n] = malloc(size)))
                return sg__error(l->ctx, SG_ERR_NOMEM, "out of memory");
            memcpy(u->wkb[u->n], wkb, size);
            u->wkb_size[u->n] = size;
        }
    }
    sg_status st = sg__wkb_append_parts(
        l->ctx, &u->rings, wkb, size, (int32_t)u->n,
        l->type == SG_UNIT_DIVISION ? "divisions" : "grids");
    if (st)
        return st;
    u->n++;
    if (l->type == SG_UNIT_DIVISION)
        u->ndivisions = u->n;
    return SG_OK;
}

/* Envelopes and band index of every unit. */
static sg_status index_units(sg_ctx *ctx, sg__units *u)
{
    const sg__lineset *r = &u->rings;
    size_t *part0 = calloc(u->n + 1, sizeof *part0);
    size_t nbands = 0;
    sg_status st = SG_OK;
    if (!part0)
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    /* parts are in unit order: find each unit's first part */
    for (size_t i = 0, p = 0; i <= u->n; i++) {
        while (p < r->nparts && (size_t)r->owner[p] < i)
            p++;
        part0[i] = p;
    }
    for (size_t i = 0; i < u->n; i++) {
        sg__unit *t = u->u + i;
        size_t nedge = 0;
        t->box[0] = t->box[1] = INFINITY;
        t->box[2] = t->box[3] = -INFINITY;
        for (size_t p = part0[i]; p < part0[i + 1]; p++) {
            for (size_t v = r->start[p]; v < r->start[p + 1]; v++) {
                t->box[0] = fmin(t->box[0], r->xy[2 * v]);
                t->box[1] = fmin(t->box[1], r->xy[2 * v + 1]);
                t->box[2] = fmax(t->box[2], r->xy[2 * v]);
                t->box[3] = fmax(t->box[3], r->xy[2 * v + 1]);
            }
            nedge += r->start[p + 1] - r->start[p] - 1;
        }
        t->box_area =
            nedge ? (t->box[2] - t->box[0]) * (t->box[3] - t->box[1]) : 0;
        t->nbands = nedge / 8 < 1     ? 1
                    : nedge / 8 > 512 ? 512
                                      : (int)(nedge / 8);
        t->band_h = nedge ? (t->box[3] - t->box[1]) / t->nbands : 1;
        if (!(t->band_h > 0)) {
            t->nbands = 1;
            t->band_h = 1;
        }
        t->band0 = nbands;
        nbands += (size_t)t->nbands;
    }
    u->band_off = calloc(nbands + 1, sizeof *u->band_off);
    if (!u->band_off) {
        st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        goto done;
    }
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < u->n; i++) {
            sg__unit *t = u->u + i;
            for (size_t p = part0[i]; p < part0[i + 1]; p++) {
                for (size_t v = r->start[p]; v + 1 < r->start[p + 1]; v++) {
                    double y1 = r->xy[2 * v + 1], y2 = r->xy[2 * v + 3];
                    int b0 = (int)((fmin(y1, y2) - t->box[1]) / t->band_h);
                    int b1 = (int)((fmax(y1, y2) - t->box[1]) / t->band_h);
                    b0 = b0 < 0 ? 0 : b0 >= t->nbands ? t->nbands - 1 : b0;
                    b1 = b1 < 0 ? 0 : b1 >= t->nbands ? t->nbands - 1 : b1;
                    for (int b = b0; b <= b1; b++) {
                        size_t k = t->band0 + (size_t)b;
                        if (pass == 0)
                            u->band_off[k + 1]++;
                        else
                            u->band_edge[u->band_off[k]++] = (uint32_t)v;
                    }
                }
            }
        }
        if (pass == 0) {
            for (size_t k = 0; k < nbands; k++)
                u->band_off[k + 1] += u->band_off[k];
            u->band_edge =
                malloc((u->band_off[nbands] + 1) * sizeof *u->band_edge);
            if (!u->band_edge) {
                st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
                goto done;
            }
        }
    }
    memmove(u->band_off + 1, u->band_off, nbands * sizeof *u->band_off);
    u->band_off[0] = 0;
    double *boxes = malloc((u->n + 1) * 4 * sizeof *boxes);
    if (!boxes) {
        st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < u->n; i++)
        memcpy(boxes + 4 * i, u->u[i].box, 4 * sizeof *boxes);
    st = sg__cells_build(ctx, &u->index, boxes, u->n, 0);
    free(boxes);
done:
    free(part0);
    return st;
}

sg_status sg__units_load(sg_ctx *ctx, sg_store *store, sg__units *out)
{
    static const char *const dcols[] = {"division_code", "name", "level",
                                        "parent_code"};
    static const char *const gcols[] = {"grid_code", "name", "level",
                                        "parent_code"};
    memset(out, 0, sizeof *out);
    loader l = {ctx, out, 0, SG_UNIT_DIVISION};
    sg_status st = SG_OK;
    if (sg__store_has_layer(store, "divisions"))
        st = sg__store_scan(ctx, store, "divisions", dcols, 4, 1, NULL, NULL,
                            unit_row, &l);
    l.type = SG_UNIT_GRID;
    if (st == SG_OK && sg__store_has_layer(store, "grids"))
        st = sg__store_scan(ctx, store, "grids", gcols, 4, 1, NULL, NULL,
                            unit_row, &l);
    if (st == SG_OK)
        st = index_units(ctx, out);
    if (st)
        sg__units_cleanup(out);
    return st;
}

void sg__units_cleanup(sg__units *u)
{
    if (!u)
        return;
    for (size_t i = 0; u->wkb && i < u->ndivisions; i++)
        free(u->wkb[i]);
    free(u->wkb);
    free(u->wkb_size);
    free(u->u);
    sg__arena_cleanup(&u->text);
    sg__lineset_cleanup(&u->rings);
    free(u->band_off);
    free(u->band_edge);
    sg__cells_cleanup(&u->index);
    memset(u, 0, sizeof *u);
}

const char *sg__units_text(const sg__units *u, size_t off)
{
    return u->text.buf + off;
}

int sg__units_contains(const sg__units *u, size_t i, double x, double y)
{
    const sg__unit *t = u->u + i;
    if (!(x >= t->box[0] && x <= t->box[2] && y >= t->box[1] && y <= t->box[3]))
        return 0;
    int b = (int)((y - t->box[1]) / t->band_h);
    b = b < 0 ? 0 : b >= t->nbands ? t->nbands - 1 : b;
    const double *xy = u->rings.xy;
    int in = 0;
    size_t k1 = u->band_off[t->band0 + (size_t)b + 1];
    for (size_t k = u->band_off[t->band0 + (size_t)b]; k < k1; k++) {
        const double *e = xy + 2 * (size_t)u->band_edge[k];
        double y1 = e[1], y2 = e[3];
        if ((y1 > y) != (y2 > y) &&
            x < e[0] + (y - y1) * (e[2] - e[0]) / (y2 - y1))
            in = !in;
    }
    return in;
}

size_t sg__units_at(const sg__units *u, double x, double y, uint32_t *out,
                    size_t max)
{
    const sg__cells *g = &u->index;
    if (u->n == 0)
        return 0;
    int c = sg__cells_col(g, x), r = sg__cells_row(g, y);
    if (c < 0 || r < 0 || c >= g->nx || r >= g->ny)
        return 0;
    size_t k = (size_t)r * (size_t)g->nx + (size_t)c, n = 0;
    for (uint32_t a = g->off[k]; a < g->off[k + 1] && n < max; a++)
        if (sg__units_contains(u, g->items[a], x, y))
            out[n++] = g->items[a];
    return n;
}

/* ---- nearest point by straight line ------------------------------------- */

sg_status sg__pointgrid_build(sg_ctx *ctx, sg__pointgrid *pg, const double *xy,
                              size_t n)
{
    memset(pg, 0, sizeof *pg);
    pg->xy = xy;
    pg->n = n;
    double *boxes = malloc((n + 1) * 4 * sizeof *boxes);
    if (!boxes)
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    double minx = INFINITY, miny = INFINITY, maxx = -INFINITY, maxy = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        boxes[4 * i] = boxes[4 * i + 2] = xy[2 * i];
        boxes[4 * i + 1] = boxes[4 * i + 3] = xy[2 * i + 1];
        minx = fmin(minx, xy[2 * i]);
        maxx = fmax(maxx, xy[2 * i]);
        miny = fmin(miny, xy[2 * i + 1]);
        maxy = fmax(maxy, xy[2 * i + 1]);
    }
    /* points cluster in villages: cells a third of the uniform spacing
     * keep the candidates few (the grid caps the cell count) */
    double cell =
        n ? sqrt(fmax(maxx - minx, 1) * fmax(maxy - miny, 1) / (double)n) / 3
          : 1;
    sg_status st = sg__cells_build(ctx, &pg->grid, boxes, n, cell);
    free(boxes);
    return st;
}

void sg__pointgrid_cleanup(sg__pointgrid *pg)
{
    if (!pg)
        return;
    sg__cells_cleanup(&pg->grid);
    memset(pg, 0, sizeof *pg);
}

/* A nearest-point search for sg__pointgrid_nearest (sg__cells_nearest). */
typedef struct point_search {
    const double *xy;
    double x, y;
    double best, lim2; /* best distance; (best + tie tolerance)^2 */
    int32_t bi;
} point_search;

/* sg__cells_far_fn: past the best point and the tie tolerance. */
static int point_far(double lower, void *user)
{
    const point_search *q = user;
    return q->bi >= 0 && lower > q->best + SG_NET_TIE_M;
}

/* sg__cells_visit_fn: point \p item; within the tie tolerance the lower
 * number wins. */
static void point_visit(uint32_t item, void *user)
{
    point_search *q = user;
    int32_t p = (int32_t)item;
    double dx = q->xy[2 * p] - q->x, dy = q->xy[2 * p + 1] - q->y;
    double d2 = dx * dx + dy * dy;
    if (d2 > q->lim2)
        return; /* farther than best + tolerance */
    double d = sqrt(d2);
    if (q->bi < 0 || d < q->best - SG_NET_TIE_M ||
        (d <= q->best + SG_NET_TIE_M && p < q->bi)) {
        q->best = d;
        q->bi = p;
        q->lim2 = (q->best + SG_NET_TIE_M) * (q->best + SG_NET_TIE_M);
    }
}

int32_t sg__pointgrid_nearest(const sg__pointgrid *pg, double x, double y,
                              double *dist)
{
    if (pg->n == 0)
        return -1;
    point_search q = {pg->xy, x, y, INFINITY, INFINITY, -1};
    sg__cells_nearest(&pg->grid, x, y, point_far, point_visit, &q);
    *dist = q.best;
    return q.bi;
}
