/* Maps: the render options, the page layout and world-to-page transform,
 * drawing each theme layer's features with its style's polygon, line and
 * point symbolizers (Cairo), and the output surfaces by extension: PNG
 * (image surface), SVG and PDF (vector surfaces), or, for the report, SVG
 * text in memory or a PNG stream drawn at a larger scale.
 * Not for: labels and map furniture (labels.c, legend.c), reading the
 * store (layers.c).
 * SPDX-License-Identifier: MIT */
#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <strings.h>

#include "core/outfile_int.h"
#include "render/render_int.h"
#include "sanigrid/store.h"

/* ---- options ----------------------------------------------------------------
 */

sg_render_options *sg_render_options_new(void)
{
    sg_render_options *o = calloc(1, sizeof *o);
    if (!o)
        return NULL;
    o->theme = SG_RENDER_THEME_GRIDS;
    o->width = 1600;
    o->height = 1130;
    o->dpi = 96;
    snprintf(o->lang, sizeof o->lang, "zh");
    o->svg_max_features = SG__SVG_MAX_FEATURES;
    o->aggregate_above = SG__AGGREGATE_ABOVE;
    return o;
}

void sg_render_options_free(sg_render_options *o)
{
    if (!o)
        return;
    free(o->division);
    for (size_t i = 0; i < o->nstyles; i++)
        sg__style_free(o->styles[i]);
    free(o->title);
    free(o->date);
    free(o->attribution);
    free(o->leaflet_dir);
    free(o);
}

/* Replace the owned string \p *dst with a copy of \p s (NULL clears). */
static sg_status set_str(sg_ctx *ctx, char **dst, const char *s)
{
    char *c = NULL;
    if (s && !(c = strdup(s)))
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    free(*dst);
    *dst = c;
    return SG_OK;
}

sg_status sg_render_options_set_theme(sg_ctx *ctx, sg_render_options *o,
                                      sg_render_theme theme)
{
    if (!sg__theme_get(theme))
        return sg__error(ctx, SG_ERR_USAGE, "render: unknown theme %d",
                         (int)theme);
    o->theme = theme;
    return SG_OK;
}

sg_render_theme sg_render_options_get_theme(const sg_render_options *o)
{
    return o->theme;
}

sg_status sg_render_options_set_division(sg_ctx *ctx, sg_render_options *o,
                                         const char *code)
{
    return set_str(ctx, &o->division, code && *code ? code : NULL);
}

sg_status sg_render_options_set_size(sg_ctx *ctx, sg_render_options *o,
                                     int width, int height)
{
    if (width < 200 || height < 200 || width > 20000 || height > 20000)
        return sg__error(ctx, SG_ERR_USAGE,
                         "size %dx%d: each side must be 200 to 20000 pixels",
                         width, height);
    o->width = width;
    o->height = height;
    return SG_OK;
}

sg_status sg_render_options_set_dpi(sg_ctx *ctx, sg_render_options *o,
                                    double dpi)
{
    if (!(dpi >= 36 && dpi <= 1200))
        return sg__error(ctx, SG_ERR_USAGE, "dpi must be 36 to 1200");
    o->dpi = dpi;
    return SG_OK;
}

sg_status sg_render_options_add_style(sg_ctx *ctx, sg_render_options *o,
                                      const char *path)
{
    if (o->nstyles == SG__MAX_STYLES)
        return sg__error(ctx, SG_ERR_USAGE, "at most %d styles",
                         SG__MAX_STYLES);
    FILE *f = path ? fopen(path, "rb") : NULL;
    if (!f)
        return sg__error(ctx, SG_ERR_IO_OPEN, "cannot read style %s: %s",
                         path ? path : "(null)", strerror(errno));
    sg__buf b = {0};
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        sg__buf_add(&b, chunk, n);
    int bad = ferror(f);
    fclose(f);
    if (bad || b.failed) {
        free(b.data);
        return bad ? sg__error(ctx, SG_ERR_IO_OPEN, "cannot read style %s",
                               path)
                   : sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    }
    sg__style *s = NULL;
    sg_status st = sg__style_parse(ctx, b.data, b.len, path, &s);
    free(b.data);
    if (st)
        return st;
    o->styles[o->nstyles++] = s;
    return SG_OK;
}

sg_status sg_render_options_set_title(sg_ctx *ctx, sg_render_options *o,
                                      const char *title)
{
    return set_str(ctx, &o->title, title);
}

sg_status sg_render_options_set_lang(sg_ctx *ctx, sg_render_options *o,
                                     const char *lang)
{
    if (!lang || (strcmp(lang, "zh") != 0 && strcmp(lang, "en") != 0))
        return sg__error(ctx, SG_ERR_USAGE, "language '%s': zh or en",
                         lang ? lang : "");
    snprintf(o->lang, sizeof o->lang, "%s", lang);
    return SG_OK;
}

/* The names of sg_render_format, by value. */
static const char *const format_names[] = {NULL, "png", "svg", "pdf"};

sg_status sg_render_format_from_string(sg_ctx *ctx, const char *name,
                                       sg_render_format *out)
{
    for (int i = SG_RENDER_FORMAT_PNG; name && i <= SG_RENDER_FORMAT_PDF; i++)
        if (strcasecmp(name, format_names[i]) == 0) {
            *out = (sg_render_format)i;
            return SG_OK;
        }
    return sg__error(ctx, SG_ERR_USAGE, "format '%s': png, svg or pdf",
                     name ? name : "");
}

const char *sg_render_format_to_string(sg_render_format format)
{
    return format >= SG_RENDER_FORMAT_PNG && format <= SG_RENDER_FORMAT_PDF
               ? format_names[format]
               : NULL;
}

sg_render_format sg_render_format_for_path(const char *path)
{
    const char *dot = path ? strrchr(path, '.') : NULL;
    for (int i = SG_RENDER_FORMAT_PNG; dot && i <= SG_RENDER_FORMAT_PDF; i++)
        if (strcasecmp(dot + 1, format_names[i]) == 0)
            return (sg_render_format)i;
    return (sg_render_format)0;
}

sg_status sg_render_options_set_format(sg_ctx *ctx, sg_render_options *o,
                                       sg_render_format format)
{
    if (format != 0 && !sg_render_format_to_string(format))
        return sg__error(ctx, SG_ERR_USAGE,
                         "render: unknown format %d (png, svg or pdf)",
                         (int)format);
    o->format = format;
    return SG_OK;
}

sg_status sg_render_options_set_date(sg_ctx *ctx, sg_render_options *o,
                                     const char *date)
{
    if (date && strlen(date) >= 32)
        return sg__error(ctx, SG_ERR_USAGE, "date too long: %s", date);
    return set_str(ctx, &o->date, date);
}

sg_status sg_render_options_set_attribution(sg_ctx *ctx, sg_render_options *o,
                                            const char *text)
{
    return set_str(ctx, &o->attribution, text);
}

sg_status sg_render_options_set_leaflet_dir(sg_ctx *ctx, sg_render_options *o,
                                            const char *dir)
{
    return set_str(ctx, &o->leaflet_dir, dir);
}

sg_status sg_render_options_set_svg_max_features(sg_ctx *ctx,
                                                 sg_render_options *o,
                                                 long long n)
{
    if (n < 0)
        return sg__error(ctx, SG_ERR_USAGE, "SVG feature limit %lld: 0 or more",
                         n);
    o->svg_max_features = n;
    return SG_OK;
}

sg_status sg_render_options_set_aggregate_above(sg_ctx *ctx,
                                                sg_render_options *o,
                                                long long n)
{
    if (n < 0)
        return sg__error(ctx, SG_ERR_USAGE,
                         "household aggregation threshold %lld: 0 or more", n);
    o->aggregate_above = n;
    return SG_OK;
}

/* ---- layout
 * ------------------------------------------------------------------- */

void sg__map_to_page(const sg__map *m, double x, double y, double *px,
                     double *py)
{
    *px = m->frame[0] + (x - m->extent[0]) / m->m_per_px;
    *py = m->frame[1] + (m->extent[3] - y) / m->m_per_px;
}

void sg__map_layout(sg__map *m, const double ext_in[4])
{
    double k = m->k, W = m->width, H = m->height;
    double margin = 16 * k, title_h = 56 * k;
    double legend_w = 0.22 * W;
    if (legend_w < 230 * k)
        legend_w = 230 * k;
    if (legend_w > 0.4 * W)
        legend_w = 0.4 * W;
    m->frame[0] = margin;
    m->frame[1] = margin + title_h;
    m->frame[2] = W - 3 * margin - legend_w;
    m->frame[3] = H - m->frame[1] - margin;
    m->legend[0] = m->frame[0] + m->frame[2] + margin;
    m->legend[1] = m->frame[1];
    m->legend[2] = legend_w;
    m->legend[3] = m->frame[3];
    /* the extent grown by 4 % on each side, at least 50 m across */
    double cx = (ext_in[0] + ext_in[2]) / 2, cy = (ext_in[1] + ext_in[3]) / 2;
    double ww = (ext_in[2] - ext_in[0]) * 1.08;
    double wh = (ext_in[3] - ext_in[1]) * 1.08;
    if (!(ww >= 50))
        ww = 50;
    if (!(wh >= 50))
        wh = 50;
    m->m_per_px = fmax(ww / m->frame[2], wh / m->frame[3]);
    m->extent[0] = cx - m->frame[2] * m->m_per_px / 2;
    m->extent[2] = cx + m->frame[2] * m->m_per_px / 2;
    m->extent[1] = cy - m->frame[3] * m->m_per_px / 2;
    m->extent[3] = cy + m->frame[3] * m->m_per_px / 2;
    /* ground metres per paper metre: one output pixel is 0.0254 / dpi m */
    m->denom = m->m_per_px / (0.0254 / (m->k * 96.0));
}

/* Widen box \p ext (\p *n boxes so far) with feature box \p b. */
static void widen(double ext[4], const double b[4], size_t *n)
{
    if ((*n)++ == 0) {
        memcpy(ext, b, 4 * sizeof *ext);
        return;
    }
    ext[0] = fmin(ext[0], b[0]);
    ext[1] = fmin(ext[1], b[1]);
    ext[2] = fmax(ext[2], b[2]);
    ext[3] = fmax(ext[3], b[3]);
}

int sg__map_data_extent(const sg__map *m, double ext[4])
{
    size_t n = 0;
    for (int pass = 0; pass < 2 && n == 0; pass++)
        for (size_t i = 0; i < m->nlayers; i++) {
            const sg__layer *l = &m->layers[i];
            if (pass == 0 && !(l->def->flags & SG__TL_EXTENT))
                continue;
            for (size_t j = 0; j < l->nfeats; j++)
                if (!l->feats[j].no_row && l->feats[j].geom.npaths)
                    widen(ext, l->feats[j].geom.bbox, &n);
        }
    return n > 0;
}

/* ---- drawing features
 * -------------------------------------------------------------- */

void sg__set_color(cairo_t *cr, const sg__rgba *c)
{
    cairo_set_source_rgba(cr, c->r, c->g, c->b, c->a);
}

/* A size of symbolizer \p s (style pixels, or metres with uom metre) in
 * output pixels. */
static double to_px(const sg__map *m, const sg__symbolizer *s, double v)
{
    return s->uom_metre ? v / m->m_per_px : v * m->k;
}

/* Set the stroke of \p s on \p cr. */
static void apply_stroke(const sg__map *m, cairo_t *cr, const sg__symbolizer *s)
{
    double w = to_px(m, s, s->stroke.width);
    /* an outline in ground metres stays visible and thin at any scale */
    if (s->uom_metre)
        w = fmin(fmax(w, 0.75 * m->k), 2.5 * m->k);
    cairo_set_line_width(cr, w > 0.01 ? w : 0.01);
    double dash[8];
    for (size_t i = 0; i < s->stroke.ndash; i++)
        dash[i] = to_px(m, s, s->stroke.dash[i]);
    cairo_set_dash(cr, dash, (int)s->stroke.ndash, 0);
    cairo_set_line_join(cr, s->stroke.round ? CAIRO_LINE_JOIN_ROUND
                                            : CAIRO_LINE_JOIN_MITER);
    cairo_set_line_cap(cr, s->stroke.round ? CAIRO_LINE_CAP_ROUND
                                           : CAIRO_LINE_CAP_BUTT);
    sg__set_color(cr, &s->stroke.color);
}

/* Add the paths of \p g to \p cr's path in page coordinates; rings are
 * closed when \p close. */
static void add_paths(const sg__map *m, cairo_t *cr, const sg__shape *g,
                      int close)
{
    for (size_t p = 0; p < g->npaths; p++) {
        size_t a = g->start[p], b = g->start[p + 1];
        if (b - a < 2)
            continue;
        for (size_t i = a; i < b; i++) {
            double x, y;
            sg__map_to_page(m, g->xy[2 * i], g->xy[2 * i + 1], &x, &y);
            if (i == a)
                cairo_move_to(cr, x, y);
            else
                cairo_line_to(cr, x, y);
        }
        if (close)
            cairo_close_path(cr);
    }
}

int sg__mark_path(cairo_t *cr, sg__mark mark, double x, double y, double size)
{
    double r = size / 2;
    switch (mark) {
    case SG_MARK_CIRCLE:
        cairo_new_sub_path(cr);
        cairo_arc(cr, x, y, r, 0, 2 * M_PI);
        return 1;
    case SG_MARK_TRIANGLE:
        for (int i = 0; i < 3; i++) {
            double a = -M_PI / 2 + i * 2 * M_PI / 3;
            double px = x + r * cos(a), py = y + r * sin(a) + r * 0.15;
            if (i == 0)
                cairo_move_to(cr, px, py);
            else
                cairo_line_to(cr, px, py);
        }
        cairo_close_path(cr);
        return 1;
    case SG_MARK_STAR:
        for (int i = 0; i < 10; i++) {
            double a = -M_PI / 2 + i * M_PI / 5, rr = i % 2 ? r * 0.42 : r;
            if (i == 0)
                cairo_move_to(cr, x + rr * cos(a), y + rr * sin(a));
            else
                cairo_line_to(cr, x + rr * cos(a), y + rr * sin(a));
        }
        cairo_close_path(cr);
        return 1;
    case SG_MARK_CROSS:
        cairo_move_to(cr, x - r, y);
        cairo_line_to(cr, x + r, y);
        cairo_move_to(cr, x, y - r);
        cairo_line_to(cr, x, y + r);
        return 0;
    case SG_MARK_X:
        cairo_move_to(cr, x - r * 0.7, y - r * 0.7);
        cairo_line_to(cr, x + r * 0.7, y + r * 0.7);
        cairo_move_to(cr, x - r * 0.7, y + r * 0.7);
        cairo_line_to(cr, x + r * 0.7, y - r * 0.7);
        return 0;
    default: cairo_rectangle(cr, x - r, y - r, size, size); return 1;
    }
}

/* Draw mark symbolizer \p s of diameter \p size (output pixels) at page
 * point (x, y). */
static void draw_mark(const sg__map *m, cairo_t *cr, const sg__symbolizer *s,
                      double x, double y, double size)
{
    cairo_new_path(cr);
    int filled = sg__mark_path(cr, s->mark, x, y, size);
    if (filled && s->fill.on) {
        sg__set_color(cr, &s->fill.color);
        cairo_fill_preserve(cr);
    }
    if (s->stroke.on) {
        apply_stroke(m, cr, s);
        cairo_stroke(cr);
    } else if (!filled) {
        sg__set_color(cr, &s->fill.color);
        cairo_set_line_width(cr, 1.5 * m->k);
        cairo_stroke(cr);
    }
    cairo_new_path(cr);
}

/* The mark size of \p s for \p attrs in output pixels, or -1 for none. */
static double mark_size(const sg__map *m, const sg__symbolizer *s,
                        const sg__attrs *attrs)
{
    double size = 6;
    if (s->size) {
        sg__value v;
        sg__expr_eval(s->size, attrs, &v);
        if (v.type == SG_V_NUM)
            size = v.num;
        else if (v.type != SG_V_TEXT || !sg__parse_double(v.text, &size))
            return -1;
    }
    size = to_px(m, s, size);
    return size > 0 ? size : -1;
}

/* Draw point symbolizer \p s for feature \p f (a polygon's or line's
 * mark at its label point). \return 1 if drawn. */
static int draw_points(const sg__map *m, cairo_t *cr, const sg__symbolizer *s,
                       const sg__feature *f, const sg__attrs *attrs)
{
    const sg__shape *g = &f->geom;
    double size = mark_size(m, s, attrs);
    if (size <= 0)
        return 0;
    if (g->type != SG_G_POINT) {
        double wx, wy, x, y;
        if (!sg__feature_label_point(f, &wx, &wy))
            return 0;
        sg__map_to_page(m, wx, wy, &x, &y);
        draw_mark(m, cr, s, x, y, size);
        return 1;
    }
    int drew = 0;
    for (size_t p = 0; p < g->npaths; p++) {
        double x, y;
        size_t i = g->start[p];
        sg__map_to_page(m, g->xy[2 * i], g->xy[2 * i + 1], &x, &y);
        if (x + size < m->frame[0] || x - size > m->frame[0] + m->frame[2] ||
            y + size < m->frame[1] || y - size > m->frame[1] + m->frame[3])
            continue;
        draw_mark(m, cr, s, x, y, size);
        drew = 1;
    }
    return drew;
}

/* Stroke the polygon path on \p cr with \p s's stroke inside it only:
 * clipped to the polygon (even-odd) and twice as wide as the distance
 * it should reach inwards (-offset + width / 2), so that it covers the
 * band from the edge inwards and never a neighbour. Consumes the path. */
static void inner_stroke(const sg__map *m, cairo_t *cr, const sg__symbolizer *s)
{
    cairo_save(cr);
    cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
    cairo_clip_preserve(cr);
    apply_stroke(m, cr, s);
    double reach = -to_px(m, s, s->offset) + cairo_get_line_width(cr) / 2;
    cairo_set_line_width(cr, 2 * reach);
    cairo_stroke(cr);
    cairo_restore(cr);
}

/* Draw a polygon, line or point symbolizer \p s for feature \p f.
 * \return 1 if something was drawn. */
static int draw_symbolizer(const sg__map *m, cairo_t *cr,
                           const sg__symbolizer *s, const sg__feature *f,
                           const sg__attrs *attrs)
{
    const sg__shape *g = &f->geom;
    switch (s->type) {
    case SG_SYM_POLYGON:
        if (g->type != SG_G_POLYGON)
            return 0;
        cairo_new_path(cr);
        add_paths(m, cr, g, 1);
        if (s->fill.on) {
            sg__set_color(cr, &s->fill.color);
            cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
            cairo_fill_preserve(cr);
        }
        if (s->stroke.on && s->offset < 0) {
            inner_stroke(m, cr, s);
        } else if (s->stroke.on) {
            apply_stroke(m, cr, s);
            cairo_stroke_preserve(cr);
        }
        cairo_new_path(cr);
        return 1;
    case SG_SYM_LINE:
        if (g->type == SG_G_POINT || !s->stroke.on)
            return 0;
        cairo_new_path(cr);
        add_paths(m, cr, g, g->type == SG_G_POLYGON);
        apply_stroke(m, cr, s);
        cairo_stroke(cr);
        return 1;
    case SG_SYM_POINT: return draw_points(m, cr, s, f, attrs);
    default: return 0; /* text: labels.c */
    }
}

/* \return 1 if feature \p f's box (padded by \p pad metres) meets the
 * extent shown. */
static int in_view(const sg__map *m, const sg__feature *f, double pad)
{
    const double *b = f->geom.bbox;
    return b[2] + pad >= m->extent[0] && b[0] - pad <= m->extent[2] &&
           b[3] + pad >= m->extent[1] && b[1] - pad <= m->extent[3];
}

/* Draw every feature of layer \p l (its FeatureTypeStyles one after the
 * other, as SLD says) and count the features drawn. */
static void draw_layer(sg__map *m, cairo_t *cr, sg__layer *l)
{
    if (l->cells) {
        sg__agg_draw(m, cr, l);
        return;
    }
    unsigned char *drawn = calloc(l->nfeats ? l->nfeats : 1, 1);
    size_t idx[64];
    /* symbols sized in metres (radius circles) reach beyond the shape */
    double pad = 40 * m->k * m->m_per_px + 2000;
    for (size_t s = 0; s < l->style->nfts; s++)
        for (size_t r = 0; r < l->style->fts[s].nrules; r++)
            l->style->fts[s].rules[r].hits = 0;
    for (size_t s = 0; s < l->style->nfts; s++) {
        sg__fts *fts = &l->style->fts[s];
        for (size_t i = 0; i < l->nfeats; i++) {
            const sg__feature *f = &l->feats[i];
            if (!in_view(m, f, pad))
                continue;
            sg__attrs a = sg__layer_attrs(l, i);
            size_t n = sg__fts_match(fts, &a, m->denom, idx, 64);
            for (size_t r = 0; r < n; r++) {
                sg__rule *rule = &fts->rules[idx[r]];
                int any = 0;
                for (size_t y = 0; y < rule->nsyms; y++)
                    any |= draw_symbolizer(m, cr, &rule->syms[y], f, &a);
                rule->hits += any;
                if (any && drawn && !drawn[i]) {
                    drawn[i] = 1;
                    l->drawn++;
                }
            }
        }
    }
    m->features += l->drawn;
    free(drawn);
}

/* Veil everything outside the division shown and outline it. */
static void draw_division(sg__map *m, cairo_t *cr)
{
    cairo_new_path(cr);
    cairo_rectangle(cr, m->frame[0], m->frame[1], m->frame[2], m->frame[3]);
    add_paths(m, cr, &m->division, 1);
    cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
    cairo_set_source_rgba(cr, 1, 1, 1, 0.62);
    cairo_fill(cr);
    cairo_new_path(cr);
    add_paths(m, cr, &m->division, 1);
    cairo_set_source_rgba(cr, 0.55, 0.1, 0.1, 0.9);
    cairo_set_line_width(cr, 2.5 * m->k);
    cairo_set_dash(cr, NULL, 0, 0);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_stroke(cr);
}

/* Forget what an earlier drawing of \p m counted and the label boxes it
 * took, so that the same prepared map can be drawn again (the report
 * redraws a map as PNG when its SVG is too large). */
static void reset_counts(sg__map *m)
{
    m->nboxes = 0;
    sg__map_placed_clear(m);
    m->labels = m->labels_skipped = m->missing_glyphs = m->features = 0;
    for (size_t i = 0; i < m->nlayers; i++)
        m->layers[i].drawn = 0;
}

sg_status sg__map_draw(sg__map *m, cairo_t *cr)
{
    reset_counts(m);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_save(cr);
    cairo_rectangle(cr, m->frame[0], m->frame[1], m->frame[2], m->frame[3]);
    cairo_clip(cr);
    cairo_set_source_rgb(cr, 0.985, 0.98, 0.965);
    cairo_paint(cr);
    for (size_t i = 0; i < m->nlayers; i++)
        draw_layer(m, cr, &m->layers[i]);
    if (m->has_division)
        draw_division(m, cr);
    sg__furniture_reserve(m, cr);
    sg__labels_draw(m, cr);
    cairo_restore(cr);
    sg__furniture_draw(m, cr);
    cairo_status_t cs = cairo_status(cr);
    if (cs != CAIRO_STATUS_SUCCESS)
        return sg__error(m->ctx, SG_ERR_INTERNAL, "drawing failed: %s",
                         cairo_status_to_string(cs));
    return SG_OK;
}

/* ---- preparing a map
 * ------------------------------------------------------------------- */

void sg__map_cleanup(sg__map *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < SG__THEME_LAYERS; i++)
        sg__layer_cleanup(&m->layers[i]);
    sg__shape_cleanup(&m->division);
    free(m->division_name);
    free(m->title);
    free(m->attribution);
    free(m->boxes);
    sg__map_placed_clear(m);
    free(m->placed);
    memset(m, 0, sizeof *m);
}

sg_status sg__map_prepare(sg_ctx *ctx, sg_store *store,
                          const sg_render_options *opts, sg__map *m)
{
    memset(m, 0, sizeof *m);
    m->ctx = ctx;
    m->opts = opts;
    m->theme = sg__theme_get(opts->theme);
    m->width = opts->width;
    m->height = opts->height;
    m->k = opts->dpi / 96.0;
    m->srid = sg_store_srid(store);
    if (!m->theme)
        return sg__error(ctx, SG_ERR_USAGE, "render: unknown theme %d",
                         (int)opts->theme);
    if (!m->srid)
        return sg__error(ctx, SG_ERR_NOT_FOUND,
                         "store %s holds no data yet: import layers first",
                         sg_store_path(store));
    /* the world the map will show, for the household hexagons: a square
     * twice the extent's longer side (any page shape fits in it); its
     * failures are reported below, after the layers' */
    double view[4];
    int have_view = 0;
    if (opts->division) {
        sg__shape d;
        char *dn = NULL;
        if (sg__division_load(ctx, store, opts->division, &d, &dn) == SG_OK) {
            memcpy(view, d.bbox, sizeof view);
            have_view = 1;
            sg__shape_cleanup(&d);
            free(dn);
        }
    } else {
        have_view = sg__theme_extent(ctx, store, m->theme, view);
    }
    sg_ctx_clear_error(ctx);
    if (have_view) {
        double cx = (view[0] + view[2]) / 2, cy = (view[1] + view[3]) / 2;
        double half = fmax(fmax(view[2] - view[0], view[3] - view[1]), 50);
        view[0] = cx - half;
        view[1] = cy - half;
        view[2] = cx + half;
        view[3] = cy + half;
    }
    sg_status st =
        sg__layers_load(ctx, store, opts, m->theme, have_view ? view : NULL,
                        m->layers, &m->nlayers);
    if (st)
        return st;
    double ext[4];
    if (opts->division) {
        st = sg__division_load(ctx, store, opts->division, &m->division,
                               &m->division_name);
        if (st)
            return st;
        m->has_division = 1;
        memcpy(ext, m->division.bbox, sizeof ext);
    } else if (!sg__map_data_extent(m, ext)) {
        return sg__error(ctx, SG_ERR_NOT_FOUND, "theme %s: nothing to draw",
                         m->theme->name);
    }
    sg__map_layout(m, ext);
    const char *tt =
        strcmp(opts->lang, "en") == 0 ? m->theme->title_en : m->theme->title_zh;
    if (opts->title)
        m->title = strdup(opts->title);
    else if (m->division_name)
        m->title = sg__aprintf("%s %s", m->division_name, tt);
    else
        m->title = strdup(tt);
    if (!m->title)
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    if (opts->date)
        snprintf(m->date, sizeof m->date, "%s", opts->date);
    else
        sg__today(m->date, sizeof m->date);
    m->attribution = sg__attribution(ctx, store, opts);
    return SG_OK;
}

/* ---- output
 * ----------------------------------------------------------------------------
 */

/* Cairo stream callback appending to an sg__buf. */
static cairo_status_t buf_write(void *closure, const unsigned char *data,
                                unsigned int len)
{
    sg__buf *b = closure;
    sg__buf_add(b, (const char *)data, len);
    return b->failed ? CAIRO_STATUS_NO_MEMORY : CAIRO_STATUS_SUCCESS;
}

/* A new surface of \p format for \p m writing to \p path, or (path NULL)
 * SVG into \p buf. *pt receives PDF points per output pixel (1 else).
 * Caller owns; cairo_surface_destroy(). Check its status. */
static cairo_surface_t *new_surface(const sg__map *m, const char *format,
                                    const char *path, sg__buf *buf, double *pt)
{
    cairo_surface_t *surf;
    *pt = 1;
    if (!strcmp(format, "png"))
        return cairo_image_surface_create(CAIRO_FORMAT_ARGB32, m->width,
                                          m->height);
    if (!strcmp(format, "svg")) {
        surf = path ? cairo_svg_surface_create(path, m->width, m->height)
                    : cairo_svg_surface_create_for_stream(buf_write, buf,
                                                          m->width, m->height);
        if (cairo_surface_status(surf) == CAIRO_STATUS_SUCCESS)
            cairo_svg_surface_set_document_unit(surf, CAIRO_SVG_UNIT_PX);
        return surf;
    }
    *pt = 72.0 / (m->k * 96.0);
    surf = cairo_pdf_surface_create(path, m->width * *pt, m->height * *pt);
    if (cairo_surface_status(surf) == CAIRO_STATUS_SUCCESS) {
        cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_TITLE,
                                       m->title);
        cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_CREATOR,
                                       "sanigrid");
    }
    return surf;
}

/* Draw \p m on a new surface of \p format writing to \p path (or, with
 * \p path NULL, SVG into \p buf); errors name \p shown (the file the
 * user asked for; \p path is its temporary file). */
static sg_status draw_to(sg_ctx *ctx, sg__map *m, const char *format,
                         const char *path, const char *shown, sg__buf *buf)
{
    double pt;
    cairo_surface_t *surf = new_surface(m, format, path, buf, &pt);
    cairo_status_t cs = cairo_surface_status(surf);
    if (cs != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(surf);
        return path ? sg__write_error(ctx, shown, path, errno,
                                      cairo_status_to_string(cs))
                    : sg__error(ctx, SG_ERR_IO_WRITE, "cannot write SVG: %s",
                                cairo_status_to_string(cs));
    }
    cairo_t *cr = cairo_create(surf);
    if (pt != 1)
        cairo_scale(cr, pt, pt);
    sg_status st = sg__map_draw(m, cr);
    cairo_destroy(cr);
    if (st == SG_OK && !strcmp(format, "png")) {
        errno = 0;
        cs = cairo_surface_write_to_png(surf, path);
        if (cs != CAIRO_STATUS_SUCCESS)
            st = sg__write_error(ctx, shown, path, errno,
                                 cairo_status_to_string(cs));
    }
    errno = 0;
    cairo_surface_finish(surf);
    cs = cairo_surface_status(surf);
    if (st == SG_OK && cs != CAIRO_STATUS_SUCCESS)
        st = path ? sg__write_error(ctx, shown, path, errno,
                                    cairo_status_to_string(cs))
                  : sg__error(ctx, SG_ERR_IO_WRITE, "cannot write SVG: %s",
                              cairo_status_to_string(cs));
    cairo_surface_destroy(surf);
    return st;
}

/* A new result with what map \p m drew in \p format, or NULL when out
 * of memory (in ctx). */
static sg_render_result *new_result(sg_ctx *ctx, const sg__map *m,
                                    sg_render_format format)
{
    sg_render_result *r = calloc(1, sizeof *r);
    if (!r) {
        sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        return NULL;
    }
    r->theme = m->opts->theme;
    r->format = format;
    r->width = m->width;
    r->height = m->height;
    r->dpi = m->opts->dpi;
    r->features = m->features;
    r->labels = m->labels;
    r->labels_skipped = m->labels_skipped;
    r->missing_glyphs = m->missing_glyphs;
    r->scale_denominator = m->denom;
    memcpy(r->extent, m->extent, sizeof m->extent);
    memcpy(r->frame, m->frame, sizeof m->frame);
    r->srid = m->srid;
    for (size_t i = 0; i < m->nlayers; i++) {
        const sg__layer *l = &m->layers[i];
        if (!l->cells)
            continue;
        free(r->aggregated_layer);
        if (!(r->aggregated_layer = sg__strdup(ctx, l->def->layer))) {
            sg_render_result_free(r);
            return NULL;
        }
        r->aggregated_households = l->agg_total;
        r->aggregated_cells = (long long)l->ncells;
        r->hexagon_radius_m = l->cell_m;
        r->hexagon_origin[0] = l->origin[0];
        r->hexagon_origin[1] = l->origin[1];
    }
    return r;
}

void sg_render_result_free(sg_render_result *r)
{
    if (!r)
        return;
    free(r->aggregated_layer);
    free(r);
}

sg_status sg_render(sg_ctx *ctx, sg_store *store, const sg_render_options *opts,
                    const char *path, sg_render_result **result)
{
    sg_render_options *defaults = NULL;
    if (result)
        *result = NULL;
    if (!path || !*path)
        return sg__error(ctx, SG_ERR_USAGE, "no output file");
    if (!opts && !(opts = defaults = sg_render_options_new()))
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    sg_render_format fmt =
        opts->format ? opts->format : sg_render_format_for_path(path);
    const char *format = sg_render_format_to_string(fmt);
    if (!format) {
        sg_render_options_free(defaults);
        return sg__error(ctx, SG_ERR_USAGE,
                         "%s: cannot tell the format from the extension "
                         "(.png, .svg, .pdf); give --format",
                         path);
    }
    /* drawn to a temporary file beside \p path, renamed over it when
     * complete (src/core/outfile.c); never over the store */
    sg__outfile of;
    sg_status st = sg__outfile_begin(ctx, store, path, 1, NULL, &of);
    if (st) {
        sg_render_options_free(defaults);
        return st;
    }
    sg__map m;
    memset(&m, 0, sizeof m);
    struct timespec t0, t1, t2;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    st = sg__outfile_check_folder(ctx, &of);
    if (st == SG_OK)
        st = sg__map_prepare(ctx, store, opts, &m);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (st == SG_OK)
        st = sg__progress(ctx, 0.5, "drawing");
    if (st == SG_OK)
        st = draw_to(ctx, &m, format, of.tmp, path, NULL);
    clock_gettime(CLOCK_MONOTONIC, &t2);
    if (st == SG_OK)
        sg__log(ctx, SG_LOG_DEBUG,
                "render: layers read %.2f s, drawn and written %.2f s",
                (double)(t1.tv_sec - t0.tv_sec) +
                    (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9,
                (double)(t2.tv_sec - t1.tv_sec) +
                    (double)(t2.tv_nsec - t1.tv_nsec) * 1e-9);
    if (st == SG_OK && sg__disk_full(of.tmp))
        st = sg__write_error(ctx, path, of.tmp, ENOSPC, NULL);
    if (st == SG_OK) /* the last chance to cancel, before the rename */
        st = sg__progress(ctx, 1.0, "drawn");
    if (st == SG_OK)
        st = sg__outfile_commit(ctx, &of, NULL);
    else
        sg__outfile_abort(&of, NULL);
    if (st == SG_OK && result && !(*result = new_result(ctx, &m, fmt)))
        st = SG_ERR_NOMEM;
    sg__map_cleanup(&m);
    sg_render_options_free(defaults);
    return st;
}

sg_status sg__map_prepare_sized(sg_ctx *ctx, sg_store *store,
                                const sg_render_options *opts, int width,
                                int height, sg__map *m)
{
    sg_status st = sg__map_prepare(ctx, store, opts, m);
    if (st == SG_OK && width > 0 && height > 0) {
        /* lay the page out again for the requested size */
        double ext[4];
        m->width = width;
        m->height = height;
        if (m->has_division)
            memcpy(ext, m->division.bbox, sizeof ext);
        else if (!sg__map_data_extent(m, ext))
            memcpy(ext, m->extent, sizeof ext);
        sg__map_layout(m, ext);
    }
    return st;
}

long long sg__map_count_in_view(const sg__map *m)
{
    /* the same test as draw_layer's, with its padding */
    double pad = 40 * m->k * m->m_per_px + 2000;
    long long n = 0;
    for (size_t i = 0; i < m->nlayers; i++)
        for (size_t j = 0; j < m->layers[i].nfeats; j++)
            n += in_view(m, &m->layers[i].feats[j], pad);
    return n;
}

sg_status sg__map_to_svg(sg_ctx *ctx, sg__map *m, char **svg, size_t *len)
{
    *svg = NULL;
    *len = 0;
    sg__buf b = {0};
    sg_status st = draw_to(ctx, m, "svg", NULL, NULL, &b);
    if (st == SG_OK && b.failed)
        st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    if (st) {
        free(b.data);
        return st;
    }
    *svg = b.data;
    *len = b.len;
    return SG_OK;
}

sg_status sg__map_to_png_stream(sg_ctx *ctx, sg__map *m, double scale,
                                cairo_write_func_t write, void *closure)
{
    int w = (int)ceil(m->width * scale), h = (int)ceil(m->height * scale);
    /* the page is opaque (sg__map_draw paints it white): no alpha channel,
     * a smaller PNG */
    cairo_surface_t *surf =
        cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    cairo_status_t cs = cairo_surface_status(surf);
    if (cs != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(surf);
        return sg__error(ctx, SG_ERR_NOMEM, "PNG of %d x %d pixels: %s", w, h,
                         cairo_status_to_string(cs));
    }
    cairo_t *cr = cairo_create(surf);
    cairo_scale(cr, scale, scale);
    /* drawn finer than shown, shapes need less antialiasing: the fast
     * rasteriser takes about a quarter less time on a county's maps and
     * looks the same at 2x (text keeps its own antialiasing, labels.c) */
    if (scale >= 2)
        cairo_set_antialias(cr, CAIRO_ANTIALIAS_FAST);
    sg_status st = sg__map_draw(m, cr);
    cairo_destroy(cr);
    if (st == SG_OK) {
        cs = cairo_surface_write_to_png_stream(surf, write, closure);
        if (cs != CAIRO_STATUS_SUCCESS)
            st = sg__error(ctx, SG_ERR_IO_WRITE, "writing the PNG failed: %s",
                           cairo_status_to_string(cs));
    }
    cairo_surface_destroy(surf);
    return st;
}

int sg_render_theme_available(sg_ctx *ctx, sg_store *store,
                              sg_render_theme theme)
{
    const sg__theme *t = sg__theme_get(theme);
    if (!t)
        return 0;
    int ok = sg__theme_ready(ctx, store, t);
    if (!ok)
        sg_ctx_clear_error(ctx);
    return ok;
}
