/* Labels: text drawn with Pango (so Chinese renders with a CJK font, Noto
 * Sans CJK SC by default), with a halo, placed without collisions: the
 * top layer's labels first, larger features first (polygons by area, so
 * that the largest are never the ones left out), each at its feature's
 * label point (a polygon's pole of inaccessibility, pole.c) tried at a
 * few positions and left out when every one overlaps a label or map
 * furniture already placed or leaves the frame. The labels placed are
 * kept in the map (sg__map.placed) for those who need to know.
 * Not for: drawing features (map.c) or the legend (legend.c).
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <pango/pangocairo.h>
#include <stdlib.h>
#include <string.h>

#include "render/render_int.h"

#define DEFAULT_FONT "Noto Sans CJK SC"

/* ---- text
 * --------------------------------------------------------------------- */

/* A Pango layout for \p text in style \p ts on \p cr (Simplified Chinese
 * glyph forms unless the map is in English). Caller owns; free with
 * g_object_unref(). */
static PangoLayout *make_layout(const sg__map *m, cairo_t *cr, const char *text,
                                const sg__textstyle *ts)
{
    PangoLayout *lay = pango_cairo_create_layout(cr);
    PangoContext *pc = pango_layout_get_context(lay);
    const char *lang =
        m->opts && strcmp(m->opts->lang, "en") == 0 ? "en" : "zh-cn";
    pango_context_set_language(pc, pango_language_from_string(lang));
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
    pango_cairo_context_set_font_options(pc, fo);
    cairo_font_options_destroy(fo);
    pango_layout_context_changed(lay);
    PangoFontDescription *fd = pango_font_description_new();
    pango_font_description_set_family(fd,
                                      ts->family ? ts->family : DEFAULT_FONT);
    pango_font_description_set_absolute_size(fd, ts->size * PANGO_SCALE);
    pango_font_description_set_weight(fd, ts->bold ? PANGO_WEIGHT_BOLD
                                                   : PANGO_WEIGHT_NORMAL);
    pango_font_description_set_style(fd, ts->italic ? PANGO_STYLE_ITALIC
                                                    : PANGO_STYLE_NORMAL);
    pango_layout_set_font_description(lay, fd);
    pango_font_description_free(fd);
    if (ts->wrap > 0) {
        pango_layout_set_width(lay, (int)(ts->wrap * PANGO_SCALE));
        pango_layout_set_wrap(lay, PANGO_WRAP_WORD_CHAR);
    }
    pango_layout_set_text(lay, text, -1);
    return lay;
}

void sg__text_measure(sg__map *m, cairo_t *cr, const char *text,
                      const sg__textstyle *ts, double *w, double *h)
{
    PangoLayout *lay = make_layout(m, cr, text, ts);
    int pw, ph;
    pango_layout_get_pixel_size(lay, &pw, &ph);
    *w = pw;
    *h = ph;
    g_object_unref(lay);
}

void sg__text_draw(sg__map *m, cairo_t *cr, const char *text,
                   const sg__textstyle *ts, double x, double y)
{
    PangoLayout *lay = make_layout(m, cr, text, ts);
    m->missing_glyphs += pango_layout_get_unknown_glyphs_count(lay);
    cairo_save(cr);
    if (ts->halo > 0) {
        cairo_new_path(cr);
        cairo_move_to(cr, x, y);
        pango_cairo_layout_path(cr, lay);
        cairo_set_line_width(cr, 2 * ts->halo);
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
        cairo_set_dash(cr, NULL, 0, 0);
        sg__set_color(cr, &ts->halo_color);
        cairo_stroke(cr);
    }
    cairo_move_to(cr, x, y);
    sg__set_color(cr, &ts->color);
    pango_cairo_show_layout(cr, lay);
    cairo_restore(cr);
    g_object_unref(lay);
}

/* ---- taken boxes
 * ---------------------------------------------------------------- */

void sg__map_take_box(sg__map *m, double x0, double y0, double x1, double y1)
{
    if (m->nboxes == m->capboxes) {
        size_t nc = m->capboxes ? m->capboxes * 2 : 64;
        double *nb = realloc(m->boxes, nc * 4 * sizeof *nb);
        if (!nb)
            return;
        m->boxes = nb;
        m->capboxes = nc;
    }
    double *b = &m->boxes[4 * m->nboxes++];
    b[0] = x0;
    b[1] = y0;
    b[2] = x1;
    b[3] = y1;
}

int sg__map_box_free(const sg__map *m, double x0, double y0, double x1,
                     double y1)
{
    if (x0 < m->frame[0] || y0 < m->frame[1] ||
        x1 > m->frame[0] + m->frame[2] || y1 > m->frame[1] + m->frame[3])
        return 0;
    for (size_t i = 0; i < m->nboxes; i++) {
        const double *b = &m->boxes[4 * i];
        if (x0 < b[2] && x1 > b[0] && y0 < b[3] && y1 > b[1])
            return 0;
    }
    return 1;
}

/* ---- label candidates
 * --------------------------------------------------------------- */

/* One label to place. */
typedef struct cand {
    char *text;                /* owned */
    const sg__symbolizer *sym; /* borrowed from the layer's style */
    double x, y;               /* anchor, page pixels */
    double fw, fh;             /* feature's page size */
    int gtype;                 /* sg__gtype of the feature */
    int layer;                 /* position from the top (0 = top; the
                                  theme's main layer goes first) */
    int index;                 /* of the layer in sg__map.layers */
    double wx, wy;             /* anchor in the working CRS */
    const sg__shape *shape;    /* the feature's, borrowed */
    double weight;             /* larger first within a layer: a
                                  polygon's area, else its box's */
} cand;

/* A list of candidates. */
typedef struct cands {
    cand *v;
    size_t n, cap;
} cands;

/* Order candidates: top layer first, higher symbolizer priority, then
 * larger features, then by text (for a stable result). */
static int cmp_cand(const void *pa, const void *pb)
{
    const cand *a = pa, *b = pb;
    if (a->layer != b->layer)
        return a->layer - b->layer;
    if (a->sym->priority != b->sym->priority)
        return a->sym->priority > b->sym->priority ? -1 : 1;
    if (a->weight != b->weight)
        return a->weight > b->weight ? -1 : 1;
    return strcmp(a->text, b->text);
}

/* The text of a label value: numbers without needless decimals.
 * Caller owns; free(). NULL for no label. */
static char *label_text(const sg__value *v)
{
    if (v->type == SG_V_TEXT)
        return v->text && *v->text ? strdup(v->text) : NULL;
    if (v->type != SG_V_NUM)
        return NULL;
    char buf[64];
    sg__fmt_num(buf, sizeof buf, v->num, v->num == floor(v->num) ? 0 : 1);
    return strdup(buf);
}

/* Add a candidate for text symbolizer \p sym of feature \p f (with
 * attributes \p a) of the layer at \p layer from the top, unless it has
 * no text or its anchor is outside the division shown. */
static void add_cand(sg__map *m, cands *cs, const sg__symbolizer *sym,
                     const sg__feature *f, const sg__attrs *a, int layer,
                     int index)
{
    double wx, wy;
    if (!sg__feature_label_point(f, &wx, &wy))
        return;
    if (m->has_division && !sg__shape_contains(&m->division, wx, wy))
        return;
    sg__value v;
    sg__expr_eval(sym->label, a, &v);
    /* a Label with mixed content ("第" rank "名") is joined as text */
    char *text = sym->label && sym->label->kind == SG_EX_CONCAT
                     ? sg__expr_label(sym->label, a)
                     : label_text(&v);
    if (!text)
        return;
    if (cs->n == cs->cap) {
        size_t nc = cs->cap ? cs->cap * 2 : 64;
        cand *nv = realloc(cs->v, nc * sizeof *nv);
        if (!nv) {
            free(text);
            return;
        }
        cs->v = nv;
        cs->cap = nc;
    }
    const double *b = f->geom.bbox;
    cand *c = &cs->v[cs->n++];
    c->text = text;
    c->sym = sym;
    sg__map_to_page(m, wx, wy, &c->x, &c->y);
    c->fw = (b[2] - b[0]) / m->m_per_px;
    c->fh = (b[3] - b[1]) / m->m_per_px;
    c->gtype = f->geom.type;
    c->shape = &f->geom;
    c->layer = layer;
    c->index = index;
    c->wx = wx;
    c->wy = wy;
    /* by area in page pixels: a thin or ragged polygon's box is far
     * larger than the polygon, and must not put its label before a
     * larger polygon's */
    c->weight = f->has_pole ? f->area / (m->m_per_px * m->m_per_px)
                            : c->fw * c->fh + c->fw + c->fh;
}

/* Collect the label candidates of layer \p l (at \p layer from the top)
 * into \p cs. */
static void collect(sg__map *m, size_t index, int layer, cands *cs)
{
    const sg__layer *l = &m->layers[index];
    size_t idx[64];
    for (size_t s = 0; s < l->style->nfts; s++) {
        const sg__fts *fts = &l->style->fts[s];
        for (size_t i = 0; i < l->nfeats; i++) {
            const double *b = l->feats[i].geom.bbox;
            if (b[2] < m->extent[0] || b[0] > m->extent[2] ||
                b[3] < m->extent[1] || b[1] > m->extent[3])
                continue;
            sg__attrs a = sg__layer_attrs(l, i);
            size_t n = sg__fts_match(fts, &a, m->denom, idx, 64);
            for (size_t r = 0; r < n; r++) {
                const sg__rule *rule = &fts->rules[idx[r]];
                for (size_t y = 0; y < rule->nsyms; y++)
                    if (rule->syms[y].type == SG_SYM_TEXT)
                        add_cand(m, cs, &rule->syms[y], &l->feats[i], &a, layer,
                                 (int)index);
            }
        }
    }
}

/* Keep placed candidate \p c, in box (x0, y0, x1, y1), in m->placed
 * (nothing when out of memory: the list is informative). */
static void remember(sg__map *m, const cand *c, double x0, double y0, double x1,
                     double y1)
{
    if (m->nplaced == m->capplaced) {
        size_t nc = m->capplaced ? m->capplaced * 2 : 32;
        sg__placed *np = realloc(m->placed, nc * sizeof *np);
        if (!np)
            return;
        m->placed = np;
        m->capplaced = nc;
    }
    char *t = strdup(c->text);
    if (!t)
        return;
    sg__placed *p = &m->placed[m->nplaced++];
    p->text = t;
    p->layer = c->index;
    p->wx = c->wx;
    p->wy = c->wy;
    p->box[0] = x0;
    p->box[1] = y0;
    p->box[2] = x1;
    p->box[3] = y1;
}

void sg__map_placed_clear(sg__map *m)
{
    for (size_t i = 0; i < m->nplaced; i++)
        free(m->placed[i].text);
    m->nplaced = 0;
}

/* Try to place candidate \p c: draw it at the first free position.
 * \return 1 if placed. */
static int place(sg__map *m, cairo_t *cr, const cand *c)
{
    const sg__symbolizer *s = c->sym;
    sg__textstyle ts = {
        s->font_family, s->font_size * m->k,   s->bold, s->italic,
        s->fill.color,  s->halo_radius * m->k, s->halo, 0};
    double w, h;
    sg__text_measure(m, cr, c->text, &ts, &w, &h);
    /* a polygon much smaller than its label gets none */
    if (c->gtype == SG_G_POLYGON && !s->anchored &&
        (c->fw < w * 0.6 || c->fh < h * 0.8))
        return 0;
    double pad = ts.halo + 1.5 * m->k, off = 6 * m->k;
    double pos[4][2];
    int npos;
    if (s->anchored) {
        /* SE anchor: (0, 0) is the label's lower left; y grows upwards */
        npos = 1;
        pos[0][0] = c->x - s->anchor[0] * w + s->disp[0] * m->k;
        pos[0][1] = c->y - (1 - s->anchor[1]) * h - s->disp[1] * m->k;
    } else if (c->gtype == SG_G_POINT) {
        npos = 4;
        pos[0][0] = c->x + off;
        pos[0][1] = c->y - h / 2;
        pos[1][0] = c->x - off - w;
        pos[1][1] = c->y - h / 2;
        pos[2][0] = c->x - w / 2;
        pos[2][1] = c->y - off - h;
        pos[3][0] = c->x - w / 2;
        pos[3][1] = c->y + off;
    } else {
        npos = 1;
        pos[0][0] = c->x - w / 2;
        pos[0][1] = c->y - h / 2;
        /* a polygon's label may move up or down by its height while its
         * middle stays inside, rather than be left out */
        static const double dy[] = {-1.2, 1.2, -2.4, 2.4};
        for (int i = 0; c->gtype == SG_G_POLYGON && i < 4 && npos < 4; i++) {
            double wx = m->extent[0] + (c->x - m->frame[0]) * m->m_per_px;
            double wy =
                m->extent[3] - (c->y + dy[i] * h - m->frame[1]) * m->m_per_px;
            if (!sg__shape_contains(c->shape, wx, wy))
                continue;
            pos[npos][0] = pos[0][0];
            pos[npos][1] = pos[0][1] + dy[i] * h;
            npos++;
        }
    }
    for (int i = 0; i < npos; i++) {
        double x0 = pos[i][0] - pad, y0 = pos[i][1] - pad;
        double x1 = pos[i][0] + w + pad, y1 = pos[i][1] + h + pad;
        if (!sg__map_box_free(m, x0, y0, x1, y1))
            continue;
        sg__text_draw(m, cr, c->text, &ts, pos[i][0], pos[i][1]);
        sg__map_take_box(m, x0, y0, x1, y1);
        remember(m, c, x0, y0, x1, y1);
        return 1;
    }
    return 0;
}

void sg__labels_draw(sg__map *m, cairo_t *cr)
{
    cands cs = {NULL, 0, 0};
    /* the theme's main layer first (its labels carry the map's numbers),
     * then from the top layer down */
    for (size_t i = m->nlayers; i-- > 0;)
        if (sg__style_has_symbolizer(m->layers[i].style, SG_SYM_TEXT))
            collect(m, i,
                    (m->layers[i].def->flags & SG__TL_MAIN)
                        ? 0
                        : (int)(m->nlayers - i),
                    &cs);
    if (cs.n)
        qsort(cs.v, cs.n, sizeof *cs.v, cmp_cand);
    for (size_t i = 0; i < cs.n; i++) {
        if (place(m, cr, &cs.v[i]))
            m->labels++;
        else
            m->labels_skipped++;
        free(cs.v[i].text);
    }
    free(cs.v);
}
