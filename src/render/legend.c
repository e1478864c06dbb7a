/* Map furniture: the title, the legend built from the drawn layers'
 * style rules (Title in Chinese, Abstract in English), a scale bar in
 * round metres, a north arrow, and the date, data attribution, CRS and
 * scale beneath the legend.
 * Not for: features or their labels (map.c, labels.c).
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "render/render_int.h"

static const sg__rgba ink = {0.11, 0.13, 0.16, 1};
static const sg__rgba grey = {0.33, 0.35, 0.38, 1};
static const sg__rgba white = {1, 1, 1, 1};

/* Where the scale bar goes and how long it is. */
typedef struct scalebar {
    double len_m;  /* ground length: 1, 2 or 5 times a power of ten */
    double len_px; /* its length on the page */
    double box[4]; /* x, y, w, h of its background */
} scalebar;

/* Choose a round scale bar length at most a fifth of the frame's width
 * and its place at the frame's lower left. */
static void scalebar_geom(const sg__map *m, scalebar *sb)
{
    double k = m->k, target = m->frame[2] / 5 * m->m_per_px;
    double p = pow(10, floor(log10(target)));
    sb->len_m = p;
    if (2 * p <= target)
        sb->len_m = 2 * p;
    if (5 * p <= target)
        sb->len_m = 5 * p;
    sb->len_px = sb->len_m / m->m_per_px;
    sb->box[2] = sb->len_px + 28 * k + 26 * k;
    sb->box[3] = 44 * k;
    sb->box[0] = m->frame[0] + 10 * k;
    sb->box[1] = m->frame[1] + m->frame[3] - 10 * k - sb->box[3];
}

/* The north arrow's box at the frame's upper right: x, y, w, h. */
static void north_geom(const sg__map *m, double box[4])
{
    box[2] = 40 * m->k;
    box[3] = 60 * m->k;
    box[0] = m->frame[0] + m->frame[2] - 10 * m->k - box[2];
    box[1] = m->frame[1] + 10 * m->k;
}

void sg__furniture_reserve(sg__map *m, cairo_t *cr)
{
    (void)cr;
    scalebar sb;
    double nb[4];
    scalebar_geom(m, &sb);
    north_geom(m, nb);
    sg__map_take_box(m, sb.box[0], sb.box[1], sb.box[0] + sb.box[2],
                     sb.box[1] + sb.box[3]);
    sg__map_take_box(m, nb[0], nb[1], nb[0] + nb[2], nb[1] + nb[3]);
}

/* Add a rounded rectangle to \p cr's path. */
static void round_rect(cairo_t *cr, double x, double y, double w, double h,
                       double r)
{
    cairo_new_sub_path(cr);
    cairo_arc(cr, x + w - r, y + r, r, -M_PI / 2, 0);
    cairo_arc(cr, x + w - r, y + h - r, r, 0, M_PI / 2);
    cairo_arc(cr, x + r, y + h - r, r, M_PI / 2, M_PI);
    cairo_arc(cr, x + r, y + r, r, M_PI, 1.5 * M_PI);
    cairo_close_path(cr);
}

/* Draw a translucent white panel with a thin border in box \p b. */
static void panel(const sg__map *m, cairo_t *cr, const double b[4])
{
    cairo_new_path(cr);
    round_rect(cr, b[0], b[1], b[2], b[3], 4 * m->k);
    cairo_set_source_rgba(cr, 1, 1, 1, 0.88);
    cairo_fill_preserve(cr);
    cairo_set_source_rgba(cr, 0.6, 0.6, 0.6, 1);
    cairo_set_line_width(cr, 0.8 * m->k);
    cairo_set_dash(cr, NULL, 0, 0);
    cairo_stroke(cr);
}

/* A plain text style of \p size style pixels. */
static sg__textstyle text_style(const sg__map *m, double size, int bold,
                                sg__rgba color)
{
    sg__textstyle ts = {NULL, size * m->k, bold, 0, color, 0, white, 0};
    return ts;
}

/* Format a scale bar figure of \p metres, in kilometres if \p km. */
static void bar_figure(char *buf, size_t size, double metres, int km)
{
    double v = km ? metres / 1000 : metres;
    sg__fmt_num(buf, size, v, v == floor(v) ? 0 : 1);
}

/* Draw the scale bar: four alternating segments, figures at 0, half and
 * the whole length, and the unit. */
static void draw_scalebar(sg__map *m, cairo_t *cr)
{
    scalebar sb;
    scalebar_geom(m, &sb);
    double k = m->k;
    panel(m, cr, sb.box);
    double x = sb.box[0] + 14 * k, y = sb.box[1] + 28 * k, h = 6 * k;
    for (int i = 0; i < 4; i++) {
        cairo_rectangle(cr, x + sb.len_px * i / 4, y, sb.len_px / 4, h);
        if (i % 2 == 0)
            cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
        else
            cairo_set_source_rgb(cr, 1, 1, 1);
        cairo_fill(cr);
    }
    cairo_rectangle(cr, x, y, sb.len_px, h);
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    cairo_set_line_width(cr, 1 * k);
    cairo_stroke(cr);
    int km = sb.len_m >= 1000;
    sg__textstyle ts = text_style(m, 11, 0, ink);
    double at[3] = {0, sb.len_m / 2, sb.len_m};
    for (int i = 0; i < 3; i++) {
        char num[32], label[64];
        bar_figure(num, sizeof num, at[i], km);
        if (i == 2)
            snprintf(label, sizeof label, "%s %s", num,
                     sg__tr(m->opts->lang, km ? "km" : "m"));
        else
            snprintf(label, sizeof label, "%s", num);
        double w, th;
        sg__text_measure(m, cr, num, &ts, &w, &th);
        double tx = x + sb.len_px * at[i] / sb.len_m - w / 2;
        sg__text_draw(m, cr, label, &ts, tx, y - th - 2 * k);
    }
}

/* Draw the north arrow: N above a split arrowhead. */
static void draw_north(sg__map *m, cairo_t *cr)
{
    double b[4], k = m->k;
    north_geom(m, b);
    panel(m, cr, b);
    double cx = b[0] + b[2] / 2, top = b[1] + 22 * k;
    double bot = b[1] + b[3] - 6 * k;
    sg__textstyle ts = text_style(m, 13, 1, ink);
    const char *n = sg__tr(m->opts->lang, "north");
    double w, h;
    sg__text_measure(m, cr, n, &ts, &w, &h);
    sg__text_draw(m, cr, n, &ts, cx - w / 2, b[1] + 3 * k);
    for (int side = -1; side <= 1; side += 2) {
        cairo_new_path(cr);
        cairo_move_to(cr, cx, top);
        cairo_line_to(cr, cx + side * 10 * k, bot);
        cairo_line_to(cr, cx, bot - 8 * k);
        cairo_close_path(cr);
        if (side < 0) {
            cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
            cairo_fill(cr);
        } else {
            cairo_set_source_rgb(cr, 1, 1, 1);
            cairo_fill_preserve(cr);
            cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
            cairo_set_line_width(cr, 1 * k);
            cairo_stroke(cr);
        }
    }
}

/* ---- legend
 * ------------------------------------------------------------------- */

void sg__symbol_swatch(sg__map *m, cairo_t *cr, const sg__symbolizer *s,
                       double x, double y, double w, double h)
{
    double k = m->k;
    double sw = !s->stroke.on ? 0 : s->uom_metre ? 1 * k : s->stroke.width * k;
    if (sw > (s->type == SG_SYM_LINE ? 7 : 3) * k)
        sw = (s->type == SG_SYM_LINE ? 7 : 3) * k;
    if (sw < 0.6 * k)
        sw = 0.6 * k;
    double dash[8];
    for (size_t i = 0; i < s->stroke.ndash; i++)
        dash[i] = s->uom_metre ? 3 * k : s->stroke.dash[i] * k;
    cairo_save(cr);
    cairo_new_path(cr);
    cairo_set_line_width(cr, sw);
    cairo_set_dash(cr, dash, (int)s->stroke.ndash, 0);
    if (s->type == SG_SYM_POLYGON) {
        cairo_rectangle(cr, x + sw / 2, y + sw / 2, w - sw, h - sw);
        if (s->fill.on) {
            sg__set_color(cr, &s->fill.color);
            cairo_fill_preserve(cr);
        }
        if (s->stroke.on) {
            sg__set_color(cr, &s->stroke.color);
            cairo_stroke(cr);
        }
    } else if (s->type == SG_SYM_LINE && s->stroke.on) {
        cairo_move_to(cr, x, y + h / 2);
        cairo_line_to(cr, x + w, y + h / 2);
        sg__set_color(cr, &s->stroke.color);
        cairo_set_line_cap(cr, s->stroke.round ? CAIRO_LINE_CAP_ROUND
                                               : CAIRO_LINE_CAP_BUTT);
        cairo_stroke(cr);
    } else if (s->type == SG_SYM_POINT) {
        /* literal pixel sizes as drawn (at most the row's height); sizes
         * from attributes or in metres at the row's height */
        double size = h;
        if (s->size && s->size->kind == SG_EX_LITERAL && !s->uom_metre &&
            sg__parse_double(s->size->text, &size))
            size *= k;
        if (size > h)
            size = h;
        int filled = sg__mark_path(cr, s->mark, x + w / 2, y + h / 2, size);
        if (filled && s->fill.on) {
            sg__set_color(cr, &s->fill.color);
            cairo_fill_preserve(cr);
        }
        sg__set_color(cr, s->stroke.on ? &s->stroke.color : &s->fill.color);
        if (s->stroke.on || !filled)
            cairo_stroke(cr);
    }
    cairo_new_path(cr);
    cairo_restore(cr);
}

/* The legend text of a Title/Abstract pair in the map's language. */
static const char *pick_text(const sg__map *m, const char *zh, const char *en)
{
    if (strcmp(m->opts->lang, "en") == 0)
        return en ? en : zh;
    return zh ? zh : en;
}

/* Draw (when \p draw; else only measure) one legend row: the swatches
 * of \p rule and \p text at \p *y. \return 0 if it did not fit above
 * \p bottom. */
static int legend_row(sg__map *m, cairo_t *cr, const sg__rule *rule,
                      const char *text, double *y, double bottom, int draw)
{
    double k = m->k, x = m->legend[0] + 14 * k;
    double sw = 30 * k, sh = 16 * k;
    double tx = x + sw + 10 * k;
    sg__textstyle ts = text_style(m, 12, 0, ink);
    ts.wrap = m->legend[0] + m->legend[2] - 12 * k - tx;
    double w, h;
    sg__text_measure(m, cr, text, &ts, &w, &h);
    double rowh = fmax(h, sh);
    if (*y + rowh > bottom)
        return 0;
    for (size_t i = 0; draw && i < rule->nsyms; i++)
        sg__symbol_swatch(m, cr, &rule->syms[i], x, *y + (rowh - sh) / 2, sw,
                          sh);
    if (draw)
        sg__text_draw(m, cr, text, &ts, tx, *y + (rowh - h) / 2);
    *y += rowh + 6 * k;
    return 1;
}

/* \return 1 if \p rule draws something other than text. */
static int has_graphics(const sg__rule *rule)
{
    for (size_t i = 0; i < rule->nsyms; i++)
        if (rule->syms[i].type != SG_SYM_TEXT)
            return 1;
    return 0;
}

/* Draw (when \p draw; else only measure) the legend entries of layer
 * \p l from \p *y: its heading and one row per titled rule that drew
 * something on this map (once per title). \return 0 once the panel is
 * full. */
static int legend_layer(sg__map *m, cairo_t *cr, const sg__layer *l, double *y,
                        double bottom, int draw)
{
    double k = m->k;
    const sg__style *s = l->style;
    const char *head = pick_text(m, s->title, s->abstract);
    if (!head)
        head = l->def->layer;
    sg__textstyle hs = text_style(m, 13, 1, ink);
    hs.wrap = m->legend[2] - 28 * k;
    double w, h;
    sg__text_measure(m, cr, head, &hs, &w, &h);
    if (*y + h + 24 * k > bottom)
        return 0;
    if (draw)
        sg__text_draw(m, cr, head, &hs, m->legend[0] + 14 * k, *y);
    *y += h + 5 * k;
    const char *seen[64];
    size_t nseen = 0;
    for (size_t f = 0; f < s->nfts; f++)
        for (size_t r = 0; r < s->fts[f].nrules; r++) {
            const sg__rule *rule = &s->fts[f].rules[r];
            const char *text = pick_text(m, rule->title, rule->abstract);
            if (!text || !has_graphics(rule) || rule->hits == 0)
                continue;
            int dup = 0;
            for (size_t i = 0; i < nseen && !dup; i++)
                dup = strcmp(seen[i], text) == 0;
            if (dup)
                continue;
            if (nseen < 64)
                seen[nseen++] = text;
            if (!legend_row(m, cr, rule, text, y, bottom, draw))
                return 0;
        }
    char note[512];
    if (sg__agg_note(m, l, note, sizeof note)) {
        /* the households are hexagons: say so beneath their classes */
        sg__textstyle ts = text_style(m, 11, 0, grey);
        ts.wrap = m->legend[2] - 28 * k;
        sg__text_measure(m, cr, note, &ts, &w, &h);
        if (*y + h > bottom)
            return 0;
        sg__text_draw(m, cr, note, &ts, m->legend[0] + 14 * k, *y);
        *y += h + 5 * k;
    }
    *y += 6 * k;
    return 1;
}

/* The lines beneath the legend: date, data, CRS, scale, into \p buf. */
static void footer_text(const sg__map *m, char *buf, size_t size)
{
    const char *lang = m->opts->lang;
    char grouped[96];
    sg__fmt_grouped(grouped, sizeof grouped, m->denom); /* 1:25 000 */
    const char *sep = strcmp(lang, "en") == 0 ? ": " : "：";
    snprintf(buf, size, "%s%s%s\n%s%s%s\n%s%sEPSG:%d\n%s%s1:%s",
             sg__tr(lang, "date"), sep, m->date, sg__tr(lang, "data"), sep,
             m->attribution ? m->attribution : "—", sg__tr(lang, "crs"), sep,
             m->srid, sg__tr(lang, "scale"), sep, grouped);
}

/* Draw (when \p draw; else only measure) the legend panel's heading,
 * entries and footer at the map's current k. \return 1 if every entry
 * fitted; else the last one drawn is followed by "…". */
static int legend_content(sg__map *m, cairo_t *cr, int draw)
{
    double k = m->k, *L = m->legend;
    char foot[1024];
    footer_text(m, foot, sizeof foot);
    sg__textstyle fs = text_style(m, 11, 0, grey);
    fs.wrap = L[2] - 28 * k;
    double fw, fh;
    sg__text_measure(m, cr, foot, &fs, &fw, &fh);
    double fy = L[1] + L[3] - 12 * k - fh;
    if (draw) {
        sg__text_draw(m, cr, foot, &fs, L[0] + 14 * k, fy);
        cairo_move_to(cr, L[0] + 14 * k, fy - 8 * k);
        cairo_line_to(cr, L[0] + L[2] - 14 * k, fy - 8 * k);
        cairo_set_source_rgb(cr, 0.8, 0.8, 0.8);
        cairo_set_line_width(cr, 1 * k);
        cairo_stroke(cr);
    }
    sg__textstyle hs = text_style(m, 16, 1, ink);
    double w, h, y = L[1] + 12 * k;
    const char *head = sg__tr(m->opts->lang, "legend");
    sg__text_measure(m, cr, head, &hs, &w, &h);
    if (draw)
        sg__text_draw(m, cr, head, &hs, L[0] + 14 * k, y);
    y += h + 10 * k;
    double bottom = fy - 16 * k;
    for (size_t i = m->nlayers; i-- > 0;) {
        const sg__layer *l = &m->layers[i];
        if (l->drawn == 0)
            continue;
        if (!legend_layer(m, cr, l, &y, bottom, draw)) {
            sg__textstyle ts = text_style(m, 12, 0, grey);
            if (draw && y + 14 * k <= fy - 8 * k)
                sg__text_draw(m, cr, "…", &ts, L[0] + 14 * k, y);
            return 0;
        }
    }
    return 1;
}

/* Draw the legend panel with its footer: at the map's scale of symbols
 * and text if every entry fits, else at the largest of 90 % down to 60 %
 * of it at which they do (a village sheet's small map has a long
 * legend); only beyond that are entries left out, after a "…". */
static void draw_legend(sg__map *m, cairo_t *cr)
{
    double k = m->k, *L = m->legend;
    cairo_new_path(cr);
    cairo_rectangle(cr, L[0], L[1], L[2], L[3]);
    cairo_set_source_rgb(cr, 0.975, 0.975, 0.965);
    cairo_fill_preserve(cr);
    cairo_set_source_rgb(cr, 0.75, 0.75, 0.75);
    cairo_set_line_width(cr, 1 * k);
    cairo_set_dash(cr, NULL, 0, 0);
    cairo_stroke(cr);
    static const double scales[] = {1, 0.9, 0.8, 0.7, 0.6};
    size_t s = 0;
    for (; s + 1 < sizeof scales / sizeof scales[0]; s++) {
        m->k = k * scales[s];
        if (legend_content(m, cr, 0))
            break;
    }
    m->k = k * scales[s];
    m->legend_scale = scales[s];
    m->legend_complete = legend_content(m, cr, 1);
    m->k = k;
}

/* Draw the title above the frame and the rule beneath it. */
static void draw_title(sg__map *m, cairo_t *cr)
{
    double k = m->k;
    sg__textstyle ts = text_style(m, 24, 1, ink);
    ts.wrap = m->width - 2 * m->frame[0];
    double w, h;
    sg__text_measure(m, cr, m->title, &ts, &w, &h);
    double y = m->frame[1] - 12 * k - h;
    if (y < 4 * k)
        y = 4 * k;
    sg__text_draw(m, cr, m->title, &ts, m->frame[0], y);
    cairo_new_path(cr);
    cairo_move_to(cr, m->frame[0], m->frame[1] - 7 * k);
    cairo_line_to(cr, m->width - m->frame[0], m->frame[1] - 7 * k);
    cairo_set_source_rgb(cr, 0.16, 0.42, 0.3);
    cairo_set_line_width(cr, 2 * k);
    cairo_set_dash(cr, NULL, 0, 0);
    cairo_stroke(cr);
}

void sg__furniture_draw(sg__map *m, cairo_t *cr)
{
    cairo_save(cr);
    cairo_rectangle(cr, m->frame[0], m->frame[1], m->frame[2], m->frame[3]);
    cairo_clip(cr);
    draw_scalebar(m, cr);
    draw_north(m, cr);
    cairo_restore(cr);
    cairo_new_path(cr);
    cairo_rectangle(cr, m->frame[0], m->frame[1], m->frame[2], m->frame[3]);
    cairo_set_source_rgb(cr, 0.35, 0.35, 0.35);
    cairo_set_line_width(cr, 1 * m->k);
    cairo_set_dash(cr, NULL, 0, 0);
    cairo_stroke(cr);
    draw_title(m, cr);
    draw_legend(m, cr);
}
