/* The A4 page of a village sheet (一村一表): header, the village's map
 * (drawn by map.c with the "village" theme, framed on the village, with
 * leaderless grids hatched and each grid tagged with its code and
 * leader), four boxes of figures (coverage, staffing, this period's
 * ranking, grids and leaders), the cleaners' table and the signature
 * line. Greys and hatching carry the meaning, so a black-and-white print
 * reads as the colour one does.
 * Not for: reading the store (sheets.c) or drawing features (map.c).
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/sheets_int.h"

/* Page geometry in page units (1/96 inch). */
#define MARGIN 34.0
#define MAP_Y 86.0
#define MAP_H 400.0
#define BOX_Y 494.0
#define BOX_H 106.0
#define TABLE_Y0 610.0 /* first page: the table's heading */
#define TABLE_Y1 112.0 /* later pages */
#define TABLE_BOTTOM 1040.0
#define ROW_H 14.0
#define SIGN_Y 1052.0

static const sg__rgba ink = {0.1, 0.1, 0.12, 1};
static const sg__rgba grey = {0.38, 0.38, 0.4, 1};
static const sg__rgba red = {0.75, 0.08, 0.08, 1};
static const sg__rgba green = {0.1, 0.45, 0.25, 1};
static const sg__rgba white = {1, 1, 1, 1};

size_t sg__sheet_rows_per_page(int page)
{
    double top = (page == 0 ? TABLE_Y0 : TABLE_Y1) + 18 + ROW_H + 4;
    return (size_t)((TABLE_BOTTOM - top) / ROW_H);
}

/* ---- text
 * ---------------------------------------------------------------------- */

/* Where text goes relative to x. */
enum { LEFT, RIGHT, CENTER };

/* Draw \p text at (x, y) (top) in \p size page units, aligned on x, cut
 * with "…" to \p maxw when > 0. \return the width drawn. */
static double text(sg__sheet_ctx *sc, cairo_t *cr, const char *s, double x,
                   double y, double size, int bold, const sg__rgba *color,
                   int align, double maxw)
{
    if (!s || !*s)
        return 0;
    sg__textstyle ts = {NULL, size, bold, 0, *color, 0, white, 0};
    double w, h;
    char *cut = NULL;
    sg__text_measure(&sc->text, cr, s, &ts, &w, &h);
    if (maxw > 0 && w > maxw) {
        size_t n = strlen(s);
        if (!(cut = malloc(n + 4)))
            return 0;
        memcpy(cut, s, n + 1);
        while (n > 0 && w > maxw) {
            /* drop one UTF-8 character */
            do
                n--;
            while (n > 0 && ((unsigned char)cut[n] & 0xC0) == 0x80);
            memcpy(cut + n, "…", sizeof "…");
            sg__text_measure(&sc->text, cr, cut, &ts, &w, &h);
        }
        s = cut;
    }
    double x0 = align == RIGHT ? x - w : align == CENTER ? x - w / 2 : x;
    sg__text_draw(&sc->text, cr, s, &ts, x0, y);
    free(cut);
    return w;
}

/* A horizontal rule from x0 to x1 at y. */
static void rule(cairo_t *cr, double x0, double x1, double y, double width,
                 const sg__rgba *c)
{
    cairo_new_path(cr);
    cairo_move_to(cr, x0, y);
    cairo_line_to(cr, x1, y);
    cairo_set_line_width(cr, width);
    cairo_set_dash(cr, NULL, 0, 0);
    sg__set_color(cr, c);
    cairo_stroke(cr);
}

/* "未计算" in grey at (x, y). */
static void not_computed(sg__sheet_ctx *sc, cairo_t *cr, double x, double y)
{
    text(sc, cr, "未计算", x, y, 12, 0, &grey, LEFT, 0);
}

/* ---- the map
 * --------------------------------------------------------------------- */

/* Lay map \p m out in a box of \p w x \p h page units: a thin title
 * strip (the sheet has its own header), the legend at the right, and
 * the village's extent grown by 4 % and fitted to the frame. */
static void map_layout(sg__map *m, double w, double h)
{
    const double *b = m->division.bbox;
    double legend_w = 170, gap = 8;
    m->width = (int)w;
    m->height = (int)h;
    m->k = 0.85; /* styles' sizes: a sheet is read at arm's length */
    m->frame[0] = 0;
    m->frame[1] = 10;
    m->frame[2] = w - legend_w - gap;
    m->frame[3] = h - 10;
    m->legend[0] = m->frame[2] + gap;
    m->legend[1] = m->frame[1];
    m->legend[2] = legend_w;
    m->legend[3] = m->frame[3];
    double cx = (b[0] + b[2]) / 2, cy = (b[1] + b[3]) / 2;
    double ww = fmax((b[2] - b[0]) * 1.08, 50);
    double wh = fmax((b[3] - b[1]) * 1.08, 50);
    m->m_per_px = fmax(ww / m->frame[2], wh / m->frame[3]);
    m->extent[0] = cx - m->frame[2] * m->m_per_px / 2;
    m->extent[2] = cx + m->frame[2] * m->m_per_px / 2;
    m->extent[1] = cy - m->frame[3] * m->m_per_px / 2;
    m->extent[3] = cy + m->frame[3] * m->m_per_px / 2;
    m->denom = m->m_per_px / (0.0254 / 96.0);
}

/* Add the rings of polygon \p g to \p cr's path in map page units. */
static void shape_path(const sg__map *m, cairo_t *cr, const sg__shape *g)
{
    for (size_t p = 0; p < g->npaths; p++) {
        for (size_t i = g->start[p]; i < g->start[p + 1]; i++) {
            double x, y;
            sg__map_to_page(m, g->xy[2 * i], g->xy[2 * i + 1], &x, &y);
            if (i == g->start[p])
                cairo_move_to(cr, x, y);
            else
                cairo_line_to(cr, x, y);
        }
        cairo_close_path(cr);
    }
}

/* Hatch grid \p g in red and outline it dashed: no leader. */
static void hatch(const sg__map *m, cairo_t *cr, const sg__shape *g)
{
    cairo_save(cr);
    cairo_new_path(cr);
    shape_path(m, cr, g);
    cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
    cairo_clip_preserve(cr);
    double x0, y0, x1, y1;
    cairo_path_extents(cr, &x0, &y0, &x1, &y1);
    cairo_new_path(cr);
    for (double d = x0 - (y1 - y0); d < x1; d += 7) {
        cairo_move_to(cr, d, y1);
        cairo_line_to(cr, d + (y1 - y0), y0);
    }
    cairo_set_source_rgba(cr, red.r, red.g, red.b, 0.55);
    cairo_set_line_width(cr, 1.1);
    cairo_set_dash(cr, NULL, 0, 0);
    cairo_stroke(cr);
    cairo_restore(cr);
    cairo_new_path(cr);
    shape_path(m, cr, g);
    double dash[2] = {5, 3};
    cairo_set_dash(cr, dash, 2, 0);
    cairo_set_line_width(cr, 1.6);
    sg__set_color(cr, &red);
    cairo_stroke(cr);
    cairo_set_dash(cr, NULL, 0, 0);
}

/* A small hatched box at (x, y): the legend of 无网格长. */
static void hatch_swatch(cairo_t *cr, double x, double y, double w, double h)
{
    cairo_save(cr);
    cairo_new_path(cr);
    cairo_rectangle(cr, x, y, w, h);
    cairo_clip_preserve(cr);
    double dash[2] = {3, 2};
    cairo_set_dash(cr, dash, 2, 0);
    cairo_set_line_width(cr, 1.4);
    sg__set_color(cr, &red);
    cairo_stroke(cr);
    cairo_set_dash(cr, NULL, 0, 0);
    for (double d = x - h; d < x + w; d += 4) {
        cairo_move_to(cr, d, y + h);
        cairo_line_to(cr, d + h, y);
    }
    cairo_set_line_width(cr, 0.8);
    cairo_stroke(cr);
    cairo_restore(cr);
}

/* Tag each grid of \p sh on the map with its code and leader (or 无网格长),
 * below the grid's name where there is room. */
static void grid_tags(sg__sheet_ctx *sc, cairo_t *cr, const sg__sheet *sh)
{
    sg__map *m = sc->map;
    for (size_t i = 0; i < sh->ngrids; i++) {
        const sg__sheet_grid *g = &sh->grids[i];
        double wx, wy, x, y;
        if (g->has_pole) {
            wx = g->pole[0];
            wy = g->pole[1];
        } else if (!g->geom.npaths ||
                   !sg__shape_label_point(&g->geom, &wx, &wy)) {
            continue;
        }
        sg__map_to_page(m, wx, wy, &x, &y);
        size_t n = strlen(g->code);
        char tag[160];
        snprintf(tag, sizeof tag, "%s%s%s", n > 3 ? g->code + n - 3 : g->code,
                 g->has_leader ? (g->leader ? " 网格长 " : "") : " 无网格长",
                 g->has_leader && g->leader ? g->leader : "");
        sg__textstyle ts = {NULL, 9,     1, 0, g->has_leader ? ink : red,
                            2,    white, 0};
        double w, h;
        sg__text_measure(m, cr, tag, &ts, &w, &h);
        const double dy[4] = {9, -h - 9, 22, -h - 22};
        for (int k = 0; k < 4; k++) {
            double tx = x - w / 2, ty = y + dy[k];
            if (!sg__map_box_free(m, tx - 2, ty - 1, tx + w + 2, ty + h + 1))
                continue;
            sg__text_draw(m, cr, tag, &ts, tx, ty);
            sg__map_take_box(m, tx - 2, ty - 1, tx + w + 2, ty + h + 1);
            break;
        }
    }
}

/* Draw the village map into the box at (x, y) of \p w x \p h. */
static sg_status draw_map(sg__sheet_ctx *sc, cairo_t *cr, const sg__sheet *sh,
                          double x, double y, double w, double h)
{
    sg__map *m = sc->map;
    map_layout(m, w, h);
    cairo_save(cr);
    cairo_translate(cr, x, y);
    cairo_rectangle(cr, 0, 0, w, h);
    cairo_clip(cr);
    sg_status st = sg__map_draw(m, cr);
    cairo_save(cr);
    cairo_rectangle(cr, m->frame[0], m->frame[1], m->frame[2], m->frame[3]);
    cairo_clip(cr);
    for (size_t i = 0; i < sh->ngrids; i++)
        if (!sh->grids[i].has_leader && sh->grids[i].geom.npaths)
            hatch(m, cr, &sh->grids[i].geom);
    grid_tags(sc, cr, sh);
    cairo_restore(cr);
    cairo_restore(cr);
    return st;
}

/* ---- figures
 * --------------------------------------------------------------------- */

/* A box with a heading at (x, y) of \p w x BOX_H; \return the y of its
 * first line. */
static double box(sg__sheet_ctx *sc, cairo_t *cr, double x, double w,
                  const char *head, const char *sub)
{
    cairo_new_path(cr);
    cairo_rectangle(cr, x, BOX_Y, w, BOX_H);
    cairo_set_source_rgb(cr, 0.97, 0.97, 0.96);
    cairo_fill_preserve(cr);
    cairo_set_source_rgb(cr, 0.55, 0.55, 0.55);
    cairo_set_line_width(cr, 0.8);
    cairo_stroke(cr);
    double hw = text(sc, cr, head, x + 8, BOX_Y + 5, 12, 1, &green, LEFT, 0);
    if (sub)
        text(sc, cr, sub, x + 12 + hw, BOX_Y + 7, 9, 0, &grey, LEFT,
             w - hw - 18);
    rule(cr, x + 8, x + w - 8, BOX_Y + 25, 0.6, &grey);
    return BOX_Y + 30;
}

/* Coverage: households and residents beyond the radius, blind spots. */
static void box_coverage(sg__sheet_ctx *sc, cairo_t *cr, const sg__sheet *sh,
                         double x, double w)
{
    const sg__sheet_figures *f = &sh->fig;
    char sub[64] = "", line[160], num[32];
    if (sc->radius_m > 0) {
        sg__fmt_num(num, sizeof num, sc->radius_m, 0);
        snprintf(sub, sizeof sub, "半径%s米·%s", num,
                 sc->network ? "按道路" : "按直线");
    }
    double y = box(sc, cr, x, w, "收集点覆盖", sub[0] ? sub : NULL);
    if (!f->have_coverage) {
        not_computed(sc, cr, x + 8, y);
        return;
    }
    snprintf(line, sizeof line, "农户 %lld 户，常住 %lld 人", f->households,
             f->residents);
    text(sc, cr, line, x + 8, y, 10.5, 0, &ink, LEFT, w - 16);
    snprintf(line, sizeof line, "半径外 %lld 户", f->beyond);
    text(sc, cr, line, x + 8, y + 17, 15, 1, f->beyond ? &red : &ink, LEFT,
         w - 16);
    sg__fmt_num(
        num, sizeof num,
        f->households ? 100.0 * (double)f->beyond / (double)f->households : 0,
        1);
    snprintf(line, sizeof line, "占 %s%%，涉及 %lld 人", num,
             f->residents_beyond);
    text(sc, cr, line, x + 8, y + 40, 10.5, 0, &ink, LEFT, w - 16);
    snprintf(line, sizeof line, "覆盖盲区 %lld 处", f->blind_spots);
    text(sc, cr, line, x + 8, y + 56, 10.5, 0, &ink, LEFT, w - 16);
}

/* Staffing: 需 / 现 / 缺. */
static void box_staffing(sg__sheet_ctx *sc, cairo_t *cr, const sg__sheet *sh,
                         double x, double w)
{
    const sg__sheet_figures *f = &sh->fig;
    double y = box(sc, cr, x, w, "保洁员配置", NULL);
    if (!f->have_staffing) {
        not_computed(sc, cr, x + 8, y);
        return;
    }
    char line[64];
    snprintf(line, sizeof line, "需 %lld 人", f->required);
    text(sc, cr, line, x + 8, y, 12, 0, &ink, LEFT, w - 16);
    snprintf(line, sizeof line, "现 %lld 人", f->current);
    text(sc, cr, line, x + 8, y + 20, 12, 0, &ink, LEFT, w - 16);
    if (f->shortfall > 0)
        snprintf(line, sizeof line, "缺 %lld 人", f->shortfall);
    else
        snprintf(line, sizeof line, "缺 0 人（已配齐）");
    text(sc, cr, line, x + 8, y + 40, 15, 1, f->shortfall > 0 ? &red : &ink,
         LEFT, w - 16);
}

/* This period's score, rank, list and change. */
static void box_rank(sg__sheet_ctx *sc, cairo_t *cr, const sg__sheet *sh,
                     double x, double w)
{
    const sg__sheet_figures *f = &sh->fig;
    char line[96], num[32];
    double y = box(sc, cr, x, w, "本期考核", f->have_rank ? f->period : NULL);
    if (!f->have_rank) {
        not_computed(sc, cr, x + 8, y);
        return;
    }
    sg__fmt_num(num, sizeof num, f->score, 2);
    snprintf(line, sizeof line, "得分 %s", num);
    text(sc, cr, line, x + 8, y, 12, 1, &ink, LEFT, 0);
    snprintf(line, sizeof line, "名次 %lld / %lld", f->rank, f->ranked);
    text(sc, cr, line, x + 8, y + 19, 12, 0, &ink, LEFT, 0);
    int is_red = !strcmp(f->tier, "red"), is_black = !strcmp(f->tier, "black");
    const char *list = is_red ? "红榜" : is_black ? "黑榜" : "未上榜";
    double lx = x + 8, ly = y + 39;
    if (is_red || is_black) {
        /* a badge: red on white for 红榜, white on black for 黑榜 */
        cairo_new_path(cr);
        cairo_rectangle(cr, lx, ly, 40, 18);
        if (is_black) {
            cairo_set_source_rgb(cr, 0.08, 0.08, 0.08);
            cairo_fill(cr);
        } else {
            sg__set_color(cr, &red);
            cairo_set_line_width(cr, 1.6);
            cairo_stroke(cr);
        }
        text(sc, cr, list, lx + 20, ly + 1, 12, 1, is_black ? &white : &red,
             CENTER, 0);
    } else {
        text(sc, cr, list, lx, ly + 1, 12, 0, &grey, LEFT, 0);
    }
    if (f->have_change && f->rank_change > 0)
        snprintf(line, sizeof line, "较上期上升 %lld 位", f->rank_change);
    else if (f->have_change && f->rank_change < 0)
        snprintf(line, sizeof line, "较上期下降 %lld 位", -f->rank_change);
    else if (f->have_change)
        snprintf(line, sizeof line, "较上期持平");
    else
        snprintf(line, sizeof line, "较上期：无上期排名");
    text(sc, cr, line, x + 8, y + 60, 10, 0, &ink, LEFT, w - 16);
}

/* Grids with their leaders and households. */
static void box_grids(sg__sheet_ctx *sc, cairo_t *cr, const sg__sheet *sh,
                      double x, double w)
{
    char sub[48];
    snprintf(sub, sizeof sub, "%zu 个网格", sh->ngrids);
    double y = box(sc, cr, x, w, "网格与网格长", sub);
    if (!sh->ngrids) {
        text(sc, cr, "无网格", x + 8, y, 11, 0, &grey, LEFT, 0);
        return;
    }
    size_t show = sh->ngrids <= 5 ? sh->ngrids : 4;
    for (size_t i = 0; i < show; i++) {
        const sg__sheet_grid *g = &sh->grids[i];
        double ly = y + (double)i * 14.5;
        size_t n = strlen(g->code);
        text(sc, cr, n > 3 ? g->code + n - 3 : g->code, x + 8, ly, 10, 1, &ink,
             LEFT, 0);
        const char *who =
            g->has_leader ? (g->leader ? g->leader : "已设") : "无网格长";
        double wx = x + 36;
        if (!g->has_leader) {
            hatch_swatch(cr, wx, ly + 2, 14, 10);
            wx += 18;
        }
        text(sc, cr, who, wx, ly, 10, !g->has_leader,
             g->has_leader ? &ink : &red, LEFT, x + w - 60 - wx);
        char hh[32] = "";
        if (g->households >= 0)
            snprintf(hh, sizeof hh, "%lld 户", g->households);
        text(sc, cr, hh, x + w - 8, ly, 10, 0, &ink, RIGHT, 0);
    }
    if (show < sh->ngrids) {
        char more[64];
        snprintf(more, sizeof more, "…… 另 %zu 个网格", sh->ngrids - show);
        text(sc, cr, more, x + 8, y + 4 * 14.5, 10, 0, &grey, LEFT, 0);
    }
}

/* ---- the cleaners' table
 * ------------------------------------------------------------ */

/* Column x offsets (from the margin) and widths. */
static const double col_x[] = {0, 18, 78, 140, 192, 496, 540, 590};
static const double col_w[] = {14, 58, 60, 46, 298, 40, 44, 135};

/* The line symbolizer cleaner_roads draws colour class \p cc with, or
 * NULL. Borrowed from the map's layer. */
static const sg__symbolizer *road_symbol(const sg__map *m, int cc)
{
    for (size_t i = 0; cc >= 0 && i < m->nlayers; i++) {
        const sg__layer *l = &m->layers[i];
        if (strcmp(l->def->layer, "cleaner_roads") != 0 || !l->style->nfts)
            continue;
        static const char *const names[] = {"color_class"};
        sg__value v = {SG_V_NUM, (double)cc, NULL};
        sg__attrs a = {names, &v, 1};
        size_t idx[8];
        const sg__fts *fts = &l->style->fts[0];
        size_t n = sg__fts_match(fts, &a, m->denom, idx, 8);
        for (size_t r = 0; r < n; r++)
            for (size_t y = 0; y < fts->rules[idx[r]].nsyms; y++)
                if (fts->rules[idx[r]].syms[y].type == SG_SYM_LINE)
                    return &fts->rules[idx[r]].syms[y];
    }
    return NULL;
}

/* The label of cleaner \p c: its id; a planned post's id without the
 * village's name before it ("Gamprin-拟增3" -> "拟增3", "planned-3" ->
 * "拟增3"), as the sheet is the village's already. */
static void cleaner_label(const sg__sheet_cleaner *c, char *buf, size_t size)
{
    const char *dash = c->planned ? strrchr(c->id, '-') : NULL;
    if (dash && dash[1] >= '0' && dash[1] <= '9')
        snprintf(buf, size, "拟增%s", dash + 1);
    else if (dash && dash[1])
        snprintf(buf, size, "%s", dash + 1);
    else
        snprintf(buf, size, "%s", c->id);
}

/* The table's heading and header row from \p y; \return the first row's
 * y. */
static double table_head(sg__sheet_ctx *sc, cairo_t *cr, const sg__sheet *sh,
                         double y, int cont)
{
    size_t planned = 0;
    for (size_t i = 0; i < sh->ncleaners; i++)
        planned += (size_t)sh->cleaners[i].planned;
    char head[160];
    snprintf(head, sizeof head, "保洁员责任表%s（%zu 人：在岗 %zu，待聘 %zu）",
             cont ? "（续）" : "", sh->ncleaners, sh->ncleaners - planned,
             planned);
    text(sc, cr, head, MARGIN, y, 13, 1, &green, LEFT, 0);
    y += 18;
    cairo_new_path(cr);
    cairo_rectangle(cr, MARGIN, y, SG__A4_W - 2 * MARGIN, ROW_H + 2);
    cairo_set_source_rgb(cr, 0.86, 0.88, 0.86);
    cairo_fill(cr);
    static const char *const heads[] = {
        "",     "编号", "保洁员",  "道路km", "负责道路（有名称的，km）",
        "户数", "人口", "所在网格"};
    for (int i = 0; i < 8; i++) {
        int right = i == 3 || i == 5 || i == 6;
        double x = MARGIN + col_x[i] + (right ? col_w[i] : 0);
        text(sc, cr, heads[i], x, y + 1, 10, 1, &ink, right ? RIGHT : LEFT,
             col_w[i]);
    }
    return y + ROW_H + 4;
}

/* Draw cleaner \p c as a table row at \p y (\p odd rows shaded). */
static void table_row(sg__sheet_ctx *sc, cairo_t *cr,
                      const sg__sheet_cleaner *c, double y, int odd)
{
    double X = MARGIN;
    if (odd) {
        cairo_new_path(cr);
        cairo_rectangle(cr, X, y - 1, SG__A4_W - 2 * MARGIN, ROW_H);
        cairo_set_source_rgb(cr, 0.95, 0.95, 0.95);
        cairo_fill(cr);
    }
    const sg__symbolizer *sym = road_symbol(sc->map, c->color_class);
    if (sym)
        sg__symbol_swatch(sc->map, cr, sym, X + col_x[0], y + 1, col_w[0],
                          ROW_H - 4);
    char label[96], num[32];
    cleaner_label(c, label, sizeof label);
    text(sc, cr, label, X + col_x[1], y, 10, 1, &ink, LEFT, col_w[1]);
    const char *who = c->name ? c->name : c->planned ? "待聘" : "在岗";
    text(sc, cr, who, X + col_x[2], y, 10, 0, c->planned ? &grey : &ink, LEFT,
         col_w[2]);
    if (c->have_work) {
        sg__fmt_num(num, sizeof num, c->road_km, 2);
        text(sc, cr, num, X + col_x[3] + col_w[3], y, 10, 0, &ink, RIGHT, 0);
        snprintf(num, sizeof num, "%lld", c->households);
        text(sc, cr, num, X + col_x[5] + col_w[5], y, 10, 0, &ink, RIGHT, 0);
        snprintf(num, sizeof num, "%lld", c->residents);
        text(sc, cr, num, X + col_x[6] + col_w[6], y, 10, 0, &ink, RIGHT, 0);
    } else {
        text(sc, cr, "未计算", X + col_x[3] + col_w[3], y, 10, 0, &grey, RIGHT,
             0);
    }
    text(sc, cr, c->roads && *c->roads ? c->roads : "—", X + col_x[4], y, 9.5,
         0, &ink, LEFT, col_w[4]);
    text(sc, cr, c->grids && *c->grids ? c->grids : "—", X + col_x[7], y, 10, 0,
         &ink, LEFT, col_w[7]);
}

/* ---- the page
 * ------------------------------------------------------------------------- */

/* Header: the village, its township and code, the period and date. */
static void header(sg__sheet_ctx *sc, cairo_t *cr, const sg__sheet *sh,
                   int page, int npages)
{
    char line[512];
    snprintf(line, sizeof line, "%s 农村人居环境整治责任清单", sh->name);
    text(sc, cr, line, MARGIN, 26, 22, 1, &ink, LEFT,
         SG__A4_W - 2 * MARGIN - 90);
    text(sc, cr,
         npages > 1 ? (page ? "一村一表（续）" : "一村一表") : "一村一表",
         SG__A4_W - MARGIN, 32, 14, 1, &green, RIGHT, 0);
    snprintf(line, sizeof line, "%s%s村代码 %s　·　考核期 %s　·　制表日期 %s",
             sh->parent ? sh->parent : "", sh->parent ? "　·　" : "", sh->code,
             sh->fig.have_rank ? sh->fig.period : "未计算", sc->date);
    text(sc, cr, line, MARGIN, 60, 10.5, 0, &grey, LEFT, SG__A4_W - 2 * MARGIN);
    rule(cr, MARGIN, SG__A4_W - MARGIN, 80, 2, &green);
}

/* The signature line and the footer with the page number. */
static void footer(sg__sheet_ctx *sc, cairo_t *cr, int page, int npages)
{
    double X = MARGIN, R = SG__A4_W - MARGIN;
    rule(cr, X, R, SIGN_Y - 6, 0.8, &grey);
    text(sc, cr, "村级责任人（签字）：", X, SIGN_Y + 8, 12, 1, &ink, LEFT, 0);
    rule(cr, X + 130, X + 330, SIGN_Y + 26, 0.8, &ink);
    text(sc, cr, "日期：", X + 370, SIGN_Y + 8, 12, 1, &ink, LEFT, 0);
    text(sc, cr, "年　　　月　　　日", R - 8, SIGN_Y + 8, 12, 0, &ink, RIGHT,
         0);
    rule(cr, X + 412, R, SIGN_Y + 26, 0.8, &ink);
    char line[160];
    snprintf(line, sizeof line,
             "由 sanigrid 依据数据库生成，张贴公示；如有变动以乡镇复核为准"
             "　第 %d / %d 页",
             page + 1, npages);
    text(sc, cr, line, R, SG__A4_H - 30, 8.5, 0, &grey, RIGHT, 0);
}

sg_status sg__sheet_draw_page(sg__sheet_ctx *sc, cairo_t *cr,
                              const sg__sheet *sh, int page, int npages,
                              size_t row0, size_t row1)
{
    sg_status st = SG_OK;
    cairo_save(cr);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    header(sc, cr, sh, page, npages);
    double y;
    if (page == 0) {
        double W = SG__A4_W - 2 * MARGIN, gap = 8;
        st = draw_map(sc, cr, sh, MARGIN, MAP_Y, W, MAP_H);
        double w1 = 196, w2 = 118, w3 = 160, w4 = W - w1 - w2 - w3 - 3 * gap;
        double x = MARGIN;
        box_coverage(sc, cr, sh, x, w1);
        box_staffing(sc, cr, sh, x += w1 + gap, w2);
        box_rank(sc, cr, sh, x += w2 + gap, w3);
        box_grids(sc, cr, sh, x + w3 + gap, w4);
        y = table_head(sc, cr, sh, TABLE_Y0, 0);
    } else {
        y = table_head(sc, cr, sh, TABLE_Y1, 1);
    }
    if (!sh->ncleaners)
        text(sc, cr, "本村尚无保洁员记录", MARGIN + 18, y, 11, 0, &grey, LEFT,
             0);
    for (size_t i = row0; i < row1; i++)
        table_row(sc, cr, &sh->cleaners[i], y + (double)(i - row0) * ROW_H,
                  (int)((i - row0) % 2));
    footer(sc, cr, page, npages);
    cairo_restore(cr);
    cairo_status_t cs = cairo_status(cr);
    if (st == SG_OK && cs != CAIRO_STATUS_SUCCESS)
        st = sg__error(sc->map->ctx, SG_ERR_INTERNAL, "drawing failed: %s",
                       cairo_status_to_string(cs));
    return st;
}
