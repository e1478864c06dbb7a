/* Households drawn aggregated on county-scale maps: above a count in
 * view (sg_render_options_set_aggregate_above, default 20,000) the
 * points of a household layer are not loaded one by one (a million of
 * them held ~800 MB and drew a carpet of dots) but streamed from the
 * store into hexagons about a hundredth of the map across (pointy-top,
 * axial coordinates from the lower-left corner of the view read). Each hexagon
 * keeps its household count and how many each style rule took; it is
 * drawn in the colour of the rule that took most, more opaque the more
 * households it holds, and the legend says so.
 * Ownership: the cells belong to the layer (sg__layer_cleanup frees them).
 * Not for: SQL (src/store), loading other layers (layers.c).
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "geom/wkb_int.h"
#include "render/render_int.h"
#include "store/plan_sql_int.h"
#include "store/store_int.h"

/* Hexagons across the longer side of the view (twice the map's extent,
 * so about a hundred across the map). */
#define ACROSS 200.0

int sg__agg_candidate(const sg__theme_layer *tl, const char *geometry_type)
{
    if (!tl || !geometry_type || !strstr(geometry_type, "POINT"))
        return 0;
    return strcmp(tl->layer, "households") == 0 ||
           strcmp(tl->layer, "coverage") == 0;
}

/* The reader's state: the layer, its columns and the cells by key. */
typedef struct agg {
    sg__layer *l;
    const int *dest; /* scanned column i goes to l->cols[dest[i]] */
    size_t nscan;
    sg__value *vals;  /* one row's values (l->ncols); texts freed per row */
    double R, ox, oy; /* circumradius, origin */
    uint64_t *keys;   /* open addressing; 0 = free, else key + 1 */
    uint32_t *slot_cell;
    size_t mask;
    sg__aggcell *cells;
    size_t n, cap;
    long long total;
} agg;

/* splitmix64 finaliser. */
static uint64_t mix(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

/* Grow the hash table to twice its size. \return 0 when out of memory. */
static int rehash(agg *A)
{
    size_t cap = A->mask ? 2 * (A->mask + 1) : 1024;
    uint64_t *k = calloc(cap, sizeof *k);
    uint32_t *c = malloc(cap * sizeof *c);
    if (!k || !c) {
        free(k);
        free(c);
        return 0;
    }
    for (size_t i = 0; A->keys && i <= A->mask; i++) {
        if (!A->keys[i])
            continue;
        size_t j = (size_t)mix(A->keys[i] - 1) & (cap - 1);
        while (k[j])
            j = (j + 1) & (cap - 1);
        k[j] = A->keys[i];
        c[j] = A->slot_cell[i];
    }
    free(A->keys);
    free(A->slot_cell);
    A->keys = k;
    A->slot_cell = c;
    A->mask = cap - 1;
    return 1;
}

/* The hexagon (axial q, r) holding (x, y): cube rounding. */
static void hex_of(const agg *A, double x, double y, long *q, long *r)
{
    double px = (x - A->ox) / A->R, py = (y - A->oy) / A->R;
    double fq = sqrt(3.0) / 3 * px - py / 3, fr = 2.0 / 3 * py;
    double fs = -fq - fr;
    double rq = round(fq), rr = round(fr), rs = round(fs);
    double dq = fabs(rq - fq), dr = fabs(rr - fr), ds = fabs(rs - fs);
    if (dq > dr && dq > ds)
        rq = -rr - rs;
    else if (dr > ds)
        rr = -rq - rs;
    *q = (long)rq;
    *r = (long)rr;
}

/* The cell of hexagon (q, r), made if new; NULL when out of memory. */
static sg__aggcell *cell_at(agg *A, long q, long r)
{
    if (!A->keys || 2 * (A->n + 1) > A->mask + 1)
        if (!rehash(A))
            return NULL;
    uint64_t key = ((uint64_t)(uint32_t)q << 32) | (uint32_t)r;
    size_t j = (size_t)mix(key) & A->mask;
    while (A->keys[j] && A->keys[j] != key + 1)
        j = (j + 1) & A->mask;
    if (A->keys[j])
        return &A->cells[A->slot_cell[j]];
    if (A->n == A->cap) {
        size_t nc = A->cap ? 2 * A->cap : 256;
        sg__aggcell *nv = realloc(A->cells, nc * sizeof *nv);
        if (!nv)
            return NULL;
        A->cells = nv;
        A->cap = nc;
    }
    sg__aggcell *c = &A->cells[A->n];
    memset(c, 0, sizeof *c);
    c->x = A->ox + A->R * sqrt(3.0) * ((double)q + (double)r / 2);
    c->y = A->oy + A->R * 1.5 * (double)r;
    A->keys[j] = key + 1;
    A->slot_cell[j] = (uint32_t)A->n++;
    return c;
}

/* Row callback: one household into its hexagon. */
static sg_status agg_row(sg__row *row, void *user)
{
    agg *A = user;
    sg__layer *l = A->l;
    const void *wkb = sg__row_blob(row, (int)A->nscan);
    int len = (int)sg__row_bytes(row, (int)A->nscan);
    double x, y;
    if (!wkb || len <= 0 || !sg__wkb_first_point(wkb, (size_t)len, &x, &y) ||
        !isfinite(x) || !isfinite(y))
        return SG_OK;
    for (size_t i = 0; i < A->nscan; i++) {
        sg__value *v = &A->vals[A->dest[i]];
        switch (sg__row_type(row, (int)i)) {
        case SG_VAL_INT:
        case SG_VAL_REAL:
            v->type = SG_V_NUM;
            v->num = sg__row_double(row, (int)i);
            break;
        case SG_VAL_TEXT:
            /* borrowed from the row for the match only */
            v->type = SG_V_TEXT;
            v->text = (char *)sg__row_text(row, (int)i);
            break;
        default: v->type = SG_V_NULL;
        }
    }
    size_t idx[64], nm = 0;
    if (l->style->nfts) {
        sg__attrs a = {(const char *const *)l->cols, A->vals, l->ncols};
        nm = sg__fts_match(&l->style->fts[0], &a, 0, idx, 64);
    }
    memset(A->vals, 0, l->ncols * sizeof *A->vals);
    long q, r;
    hex_of(A, x, y, &q, &r);
    sg__aggcell *c = cell_at(A, q, r);
    if (!c)
        return SG_ERR_NOMEM;
    c->count++;
    if (nm && idx[0] < SG__AGG_RULES)
        c->by_rule[idx[0]]++;
    A->total++;
    return SG_OK;
}

sg_status sg__agg_load(sg_ctx *ctx, sg_store *store, sg__layer *l,
                       const char *const *cols, const int *dest, size_t ncols,
                       const double view[4], long long above, int *aggregated)
{
    *aggregated = 0;
    agg A;
    memset(&A, 0, sizeof A);
    A.l = l;
    A.dest = dest;
    A.nscan = ncols;
    double w = view[2] - view[0], h = view[3] - view[1];
    A.R = fmax(fmax(w, h), 1.0) / ACROSS / sqrt(3.0);
    A.ox = view[0];
    A.oy = view[1];
    A.vals = calloc(l->ncols ? l->ncols : 1, sizeof *A.vals);
    if (!A.vals)
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    sg_status st = sg__store_scan_window(ctx, store, l->def->layer, cols, ncols,
                                         view, agg_row, &A);
    if (st == SG_ERR_NOMEM)
        st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    free(A.vals);
    free(A.keys);
    free(A.slot_cell);
    if (st == SG_OK && A.total > above) {
        l->cells = A.cells;
        l->ncells = A.n;
        l->cell_m = A.R;
        l->origin[0] = A.ox;
        l->origin[1] = A.oy;
        l->agg_total = A.total;
        *aggregated = 1;
        sg__log(ctx, SG_LOG_DEBUG,
                "layer %s: %lld households in view drawn as %zu hexagons",
                l->def->layer, A.total, A.n);
        return SG_OK;
    }
    free(A.cells);
    return st;
}

/* The fill colour of \p rule's first point or polygon symbolizer. */
static int rule_colour(const sg__rule *rule, sg__rgba *c)
{
    for (size_t i = 0; rule && i < rule->nsyms; i++) {
        const sg__symbolizer *s = &rule->syms[i];
        if (s->type != SG_SYM_POINT && s->type != SG_SYM_POLYGON)
            continue;
        if (s->fill.on) {
            *c = s->fill.color;
            return 1;
        }
        if (s->stroke.on) {
            *c = s->stroke.color;
            return 1;
        }
    }
    return 0;
}

void sg__agg_draw(struct sg__map *m, cairo_t *cr, sg__layer *l)
{
    const sg__style *st = l->style;
    sg__fts *fts = st->nfts ? &st->fts[0] : NULL;
    for (size_t s = 0; s < st->nfts; s++)
        for (size_t r = 0; r < st->fts[s].nrules; r++)
            st->fts[s].rules[r].hits = 0;
    long long most = 1;
    for (size_t i = 0; i < l->ncells; i++)
        if (l->cells[i].count > most)
            most = l->cells[i].count;
    double R = l->cell_m;
    for (size_t i = 0; i < l->ncells; i++) {
        const sg__aggcell *c = &l->cells[i];
        if (c->x + R < m->extent[0] || c->x - R > m->extent[2] ||
            c->y + R < m->extent[1] || c->y - R > m->extent[3])
            continue;
        size_t best = SIZE_MAX;
        for (size_t r = 0; fts && r < fts->nrules && r < SG__AGG_RULES; r++)
            if (c->by_rule[r] &&
                (best == SIZE_MAX || c->by_rule[r] > c->by_rule[best]))
                best = r;
        sg__rgba col = {0.4, 0.4, 0.4, 1};
        if (best != SIZE_MAX) {
            rule_colour(&fts->rules[best], &col);
            fts->rules[best].hits++;
        }
        col.a = 0.3 + 0.7 * sqrt((double)c->count / (double)most);
        cairo_new_path(cr);
        for (int k = 0; k < 6; k++) {
            double ang = M_PI / 180 * (60 * k + 30), px, py;
            sg__map_to_page(m, c->x + R * cos(ang), c->y + R * sin(ang), &px,
                            &py);
            if (k == 0)
                cairo_move_to(cr, px, py);
            else
                cairo_line_to(cr, px, py);
        }
        cairo_close_path(cr);
        sg__set_color(cr, &col);
        cairo_fill(cr);
        l->drawn++;
    }
    m->features += l->drawn;
}

int sg__agg_note(const struct sg__map *m, const sg__layer *l, char *buf,
                 size_t size)
{
    if (!l->cells)
        return 0;
    char width[64], count[64];
    /* a hexagon's width across its flats */
    sg__fmt_num(width, sizeof width, l->cell_m * sqrt(3.0), 0);
    sg__fmt_grouped(count, sizeof count, (double)l->agg_total);
    const char *lang = m->opts->lang;
    if (strcmp(lang, "en") == 0)
        snprintf(buf, size,
                 "%s households aggregated into hexagons %s m across: "
                 "colour of the class most have, darker where more live",
                 count, width);
    else
        snprintf(buf, size,
                 "%s 户按宽约 %s 米的六边形汇总：颜色为多数农户的类别，"
                 "户数越多颜色越深",
                 count, width);
    return 1;
}
