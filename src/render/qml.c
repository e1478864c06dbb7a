/* QGIS layer styles: a parsed SLD (style_int.h) written as a QGIS 3 .qml
 * file, so that an exported layer opens in QGIS looking like sanigrid's
 * map. Rules become a rule-based renderer (filters as QGIS expressions,
 * scale ranges, one symbol per rule), text symbolizers rule-based labels;
 * styles/README.md has the mapping and what does not map. The output has
 * the form QGIS 3.22 (Debian 12's) writes itself, both the <Option> map and
 * the older <prop> list per symbol layer; properties left out take QGIS's
 * defaults.
 * Not for: parsing SLD (style.c) or drawing (map.c, labels.c).
 * SPDX-License-Identifier: MIT */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlwriter.h>

#include "core/ctx_int.h"
#include "core/outfile_int.h"
#include "render/style_int.h"
#include "sanigrid/fields.h"
#include "sanigrid/render.h"

/* the QGIS release whose files these follow (Debian 12's) */
/* "Białowieża" in UTF-8; a separate "a" ends the last \x escape */
#define QML_VERSION                                                            \
    "3.22.16-Bia\xc5\x82owie\xc5\xbc"                                          \
    "a"
#define MM_PER_PX (25.4 / 96.0) /* our sizes are pixels at 96 dpi */
#define PT_PER_PX 0.75          /* 72 / 96 */
#define NO_SCALE "3x:0,0,0,0,0,0"

/* ---- strings ------------------------------------------------------------- */

/* A growing NUL-terminated string; \p bad records a failed allocation,
 * after which appends do nothing. */
typedef struct sbuf {
    char *s;
    size_t len, cap;
    int bad;
} sbuf;

/* Append \p n bytes of \p t to \p b. */
static void sb_addn(sbuf *b, const char *t, size_t n)
{
    if (b->bad)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *ns = realloc(b->s, cap);
        if (!ns) {
            b->bad = 1;
            return;
        }
        b->s = ns;
        b->cap = cap;
    }
    memcpy(b->s + b->len, t, n);
    b->len += n;
    b->s[b->len] = '\0';
}

/* Append NUL-terminated \p t to \p b. */
static void sb_add(sbuf *b, const char *t)
{
    sb_addn(b, t, strlen(t));
}

/* Reset \p b to the empty string, keeping its memory. */
static void sb_clear(sbuf *b)
{
    b->len = 0;
    if (b->s)
        b->s[0] = '\0';
}

/* Format \p v into \p buf with up to 6 decimals, trailing zeros dropped
 * and '.' as the decimal mark whatever the locale (STYLE rule 33). */
static void fmt_num(char *buf, size_t size, double v)
{
    if (!isfinite(v))
        v = 0;
    snprintf(buf, size, "%.6f", v);
    for (char *p = buf; *p; p++)
        if (*p == ',')
            *p = '.';
    char *dot = strchr(buf, '.');
    if (dot) {
        char *e = buf + strlen(buf);
        while (e > dot + 1 && e[-1] == '0')
            *--e = '\0';
        if (e == dot + 1)
            *dot = '\0';
    }
    if (strcmp(buf, "-0") == 0)
        snprintf(buf, size, "0");
}

/* Append number \p v to \p b (fmt_num, or %.15g for tiny or huge
 * values that six decimals would lose). */
static void sb_num(sbuf *b, double v)
{
    char buf[64];
    double a = fabs(v);
    if (a != 0 && (a < 1e-4 || a >= 1e15)) {
        snprintf(buf, sizeof buf, "%.15g", v);
        for (char *p = buf; *p; p++)
            if (*p == ',')
                *p = '.';
    } else {
        fmt_num(buf, sizeof buf, v);
    }
    sb_add(b, buf);
}

/* ---- filters and expressions as QGIS expressions ------------------------- */

/* Append \p name as a QGIS field reference: in double quotes, a quote
 * doubled (QgsExpression::quotedColumnRef). */
static void q_field(sbuf *b, const char *name)
{
    sb_add(b, "\"");
    for (const char *p = name ? name : ""; *p; p++)
        sb_addn(b, *p == '"' ? "\"\"" : p, *p == '"' ? 2 : 1);
    sb_add(b, "\"");
}

/* Append \p text as a QGIS string literal (QgsExpression::quotedString):
 * in single quotes, a quote doubled, backslash, newline and tab escaped. */
static void q_string(sbuf *b, const char *text)
{
    sb_add(b, "'");
    for (const char *p = text ? text : ""; *p; p++) {
        switch (*p) {
        case '\'': sb_add(b, "''"); break;
        case '\\': sb_add(b, "\\\\"); break;
        case '\n': sb_add(b, "\\n"); break;
        case '\t': sb_add(b, "\\t"); break;
        default: sb_addn(b, p, 1);
        }
    }
    sb_add(b, "'");
}

/* \return 1 if expression \p e is a literal that reads as a number. */
static int is_num_literal(const sg__expr *e)
{
    double d;
    return e && e->kind == SG_EX_LITERAL && e->text &&
           sg__parse_double(e->text, &d);
}

/* Append expression \p e: a property as a field, a literal as a number
 * when it reads as one (our comparisons are numeric when both sides are
 * numbers, and QGIS compares a number with a field numerically), else as
 * a string; arithmetic in parentheses. */
static void q_expr(sbuf *b, const sg__expr *e)
{
    static const char *const ops[] = {"+", "-", "*", "/"};
    if (!e) {
        sb_add(b, "NULL");
        return;
    }
    switch (e->kind) {
    case SG_EX_PROPERTY: q_field(b, e->text); return;
    case SG_EX_LITERAL: {
        double d;
        if (e->text && sg__parse_double(e->text, &d))
            sb_num(b, d);
        else
            q_string(b, e->text);
        return;
    }
    case SG_EX_CONCAT:
        /* a Label's mixed content: QGIS's || joins text (and numbers) */
        sb_add(b, "(");
        q_expr(b, e->a);
        sb_add(b, " || ");
        q_expr(b, e->b);
        sb_add(b, ")");
        return;
    default:
        sb_add(b, "(");
        q_expr(b, e->a);
        sb_add(b, " ");
        sb_add(b, ops[e->kind - SG_EX_ADD]);
        sb_add(b, " ");
        q_expr(b, e->b);
        sb_add(b, ")");
    }
}

static void q_filter(sbuf *b, const sg__filter *f);

/* Append the operands of AND/OR filter \p f joined by \p op. */
static void q_logic(sbuf *b, const sg__filter *f, const char *op)
{
    if (f->nkids == 0) {
        sb_add(b, f->op == SG_F_AND ? "TRUE" : "FALSE");
        return;
    }
    sb_add(b, "(");
    for (size_t i = 0; i < f->nkids; i++) {
        if (i)
            sb_add(b, op);
        q_filter(b, f->kids[i]);
    }
    sb_add(b, ")");
}

/* \return 1 if the QGIS form of \p f can be NULL: a comparison with a NULL
 * operand is NULL in QGIS and false in our filters. Only NOT tells the
 * two apart, so NOT wraps such operands in coalesce(..., FALSE) and is
 * itself never NULL. */
static int may_be_null(const sg__filter *f)
{
    switch (f->op) {
    case SG_F_NULL:
    case SG_F_NOT: return 0;
    case SG_F_AND:
    case SG_F_OR:
        for (size_t i = 0; i < f->nkids; i++)
            if (may_be_null(f->kids[i]))
                return 1;
        return 0;
    default: return 1;
    }
}

/* Append comparison \p f (EQ..GE) with operator \p op. A case-insensitive
 * (matchCase="false") equality of texts compares lower() of both. */
static void q_compare(sbuf *b, const sg__filter *f, const char *op)
{
    int fold = (f->op == SG_F_EQ || f->op == SG_F_NE) && !f->match_case &&
               !is_num_literal(f->a) && !is_num_literal(f->b);
    sb_add(b, "(");
    if (fold)
        sb_add(b, "lower(");
    q_expr(b, f->a);
    sb_add(b, fold ? ") " : " ");
    sb_add(b, op);
    sb_add(b, fold ? " lower(" : " ");
    q_expr(b, f->b);
    sb_add(b, fold ? "))" : ")");
}

/* Append filter \p f as a QGIS expression (NULL: TRUE). */
static void q_filter(sbuf *b, const sg__filter *f)
{
    if (!f) {
        sb_add(b, "TRUE");
        return;
    }
    switch (f->op) {
    case SG_F_EQ: q_compare(b, f, "="); break;
    case SG_F_NE: q_compare(b, f, "<>"); break;
    case SG_F_LT: q_compare(b, f, "<"); break;
    case SG_F_LE: q_compare(b, f, "<="); break;
    case SG_F_GT: q_compare(b, f, ">"); break;
    case SG_F_GE: q_compare(b, f, ">="); break;
    case SG_F_BETWEEN:
        /* no BETWEEN before QGIS 3.26 */
        sb_add(b, "(");
        q_expr(b, f->a);
        sb_add(b, " >= ");
        q_expr(b, f->b);
        sb_add(b, " AND ");
        q_expr(b, f->a);
        sb_add(b, " <= ");
        q_expr(b, f->c);
        sb_add(b, ")");
        break;
    case SG_F_NULL:
        sb_add(b, "(");
        q_expr(b, f->a);
        sb_add(b, " IS NULL)");
        break;
    case SG_F_AND: q_logic(b, f, " AND "); break;
    case SG_F_OR: q_logic(b, f, " OR "); break;
    case SG_F_NOT:
        if (f->nkids != 1) {
            sb_add(b, "FALSE");
        } else if (may_be_null(f->kids[0])) {
            sb_add(b, "(NOT coalesce(");
            q_filter(b, f->kids[0]);
            sb_add(b, ", FALSE))");
        } else {
            sb_add(b, "(NOT ");
            q_filter(b, f->kids[0]);
            sb_add(b, ")");
        }
        break;
    }
}

/* Append the condition under which non-ElseFilter rule \p r applies: its
 * filter and its scale range (min inclusive, max exclusive, as ours). */
static void q_rule_cond(sbuf *b, const sg__rule *r)
{
    int scaled = r->min_scale > 0 || isfinite(r->max_scale);
    if (!scaled) {
        q_filter(b, r->filter);
        return;
    }
    sb_add(b, "(");
    if (r->filter) {
        q_filter(b, r->filter);
        sb_add(b, " AND ");
    }
    if (r->min_scale > 0) {
        sb_add(b, "@map_scale >= ");
        sb_num(b, r->min_scale);
    }
    if (isfinite(r->max_scale)) {
        if (r->min_scale > 0)
            sb_add(b, " AND ");
        sb_add(b, "@map_scale < ");
        sb_num(b, r->max_scale);
    }
    sb_add(b, ")");
}

/* Append the explicit form of an ElseFilter in \p fts: no other rule of
 * the FeatureTypeStyle applies. Nothing if there is no other rule. */
static void q_else(sbuf *b, const sg__fts *fts)
{
    size_t n = 0;
    for (size_t i = 0; i < fts->nrules; i++) {
        if (fts->rules[i].else_filter)
            continue;
        sb_add(b, n++ ? " OR " : "NOT coalesce(");
        q_rule_cond(b, &fts->rules[i]);
    }
    if (n)
        sb_add(b, ", FALSE)");
}

/* ---- the writer ---------------------------------------------------------- */

typedef enum qgeom { QG_POINT, QG_LINE, QG_POLYGON } qgeom;

typedef struct qml {
    xmlTextWriterPtr w;
    int bad;        /* a write failed (out of memory) */
    unsigned nkeys; /* rule keys handed out */
    qgeom geom;     /* the geometry the symbols are for */
    sbuf expr;      /* scratch for expressions */
} qml;

/* Start element \p name. */
static void el(qml *q, const char *name)
{
    if (!q->bad && xmlTextWriterStartElement(q->w, BAD_CAST name) < 0)
        q->bad = 1;
}

/* End the innermost open element. */
static void end(qml *q)
{
    if (!q->bad && xmlTextWriterEndElement(q->w) < 0)
        q->bad = 1;
}

/* Write attribute \p name = \p value (escaped by the writer). */
static void attr(qml *q, const char *name, const char *value)
{
    if (!q->bad && xmlTextWriterWriteAttribute(
                       q->w, BAD_CAST name, BAD_CAST(value ? value : "")) < 0)
        q->bad = 1;
}

/* Write attribute \p name with number \p v. */
static void attr_num(qml *q, const char *name, double v)
{
    char buf[64];
    fmt_num(buf, sizeof buf, v);
    attr(q, name, buf);
}

/* Write element \p name with text \p text. */
static void text_el(qml *q, const char *name, const char *text)
{
    if (!q->bad &&
        xmlTextWriterWriteElement(q->w, BAD_CAST name, BAD_CAST text) < 0)
        q->bad = 1;
}

/* Write a fresh rule key: a fixed, UUID-shaped string (QGIS only needs
 * keys unique within the file; fixed ones keep the output reproducible). */
static void attr_key(qml *q)
{
    char key[64];
    snprintf(key, sizeof key, "{5a1e9d00-0000-4000-8000-%012x}", q->nkeys++);
    attr(q, "key", key);
}

/* \p c as QGIS's "r,g,b,a" (0..255), with alpha \p with_alpha or 255. */
static void color_str(char *buf, size_t size, const sg__rgba *c, int with_alpha)
{
    long v[4] = {lround(c->r * 255), lround(c->g * 255), lround(c->b * 255),
                 with_alpha ? lround(c->a * 255) : 255};
    for (int i = 0; i < 4; i++)
        v[i] = v[i] < 0 ? 0 : v[i] > 255 ? 255 : v[i];
    snprintf(buf, size, "%ld,%ld,%ld,%ld", v[0], v[1], v[2], v[3]);
}

/* ---- symbol layers ------------------------------------------------------- */

/* The properties of one symbol layer, written twice: as the <Option> map
 * QGIS 3.22+ reads and as the <prop> list older 3.x releases read. */
#define MAX_PROPS 32
typedef struct props {
    const char *k[MAX_PROPS];
    char v[MAX_PROPS][96];
    size_t n;
} props;

/* Add property \p k = \p v (truncated to 95 bytes; ours are short). */
static void prop(props *p, const char *k, const char *v)
{
    if (p->n == MAX_PROPS)
        return;
    p->k[p->n] = k;
    snprintf(p->v[p->n], sizeof p->v[p->n], "%s", v);
    p->n++;
}

/* Add property \p k with number \p v. */
static void prop_num(props *p, const char *k, double v)
{
    char buf[64];
    fmt_num(buf, sizeof buf, v);
    prop(p, k, buf);
}

/* Add property \p k with colour \p c (alpha kept). */
static void prop_color(props *p, const char *k, const sg__rgba *c)
{
    char buf[32];
    color_str(buf, sizeof buf, c, 1);
    prop(p, k, buf);
}

/* An empty data-defined property collection, as QGIS writes it. */
static void dd_empty(qml *q, const char *elname)
{
    el(q, elname);
    el(q, "Option");
    attr(q, "type", "Map");
    el(q, "Option");
    attr(q, "type", "QString");
    attr(q, "name", "name");
    attr(q, "value", "");
    end(q);
    el(q, "Option");
    attr(q, "name", "properties");
    end(q);
    el(q, "Option");
    attr(q, "type", "QString");
    attr(q, "name", "type");
    attr(q, "value", "collection");
    end(q);
    end(q);
    end(q);
}

/* Data-defined properties with one expression-based property \p name
 * (e.g. "size") = \p expr. */
static void dd_expr(qml *q, const char *name, const char *expr)
{
    el(q, "data_defined_properties");
    el(q, "Option");
    attr(q, "type", "Map");
    el(q, "Option");
    attr(q, "type", "QString");
    attr(q, "name", "name");
    attr(q, "value", "");
    end(q);
    el(q, "Option");
    attr(q, "type", "Map");
    attr(q, "name", "properties");
    el(q, "Option");
    attr(q, "type", "Map");
    attr(q, "name", name);
    el(q, "Option");
    attr(q, "type", "bool");
    attr(q, "name", "active");
    attr(q, "value", "true");
    end(q);
    el(q, "Option");
    attr(q, "type", "QString");
    attr(q, "name", "expression");
    attr(q, "value", expr);
    end(q);
    el(q, "Option");
    attr(q, "type", "int");
    attr(q, "name", "type");
    attr(q, "value", "3"); /* QgsProperty::ExpressionBasedProperty */
    end(q);
    end(q);
    end(q);
    el(q, "Option");
    attr(q, "type", "QString");
    attr(q, "name", "type");
    attr(q, "value", "collection");
    end(q);
    end(q);
    end(q);
}

/* Start <layer class=\p cls> with \p p and \p pass; the caller adds
 * data-defined properties and a sub-symbol, then ends it. */
static void layer_start(qml *q, const char *cls, const props *p, int pass)
{
    el(q, "layer");
    attr(q, "class", cls);
    attr(q, "enabled", "1");
    attr(q, "locked", "0");
    char buf[16];
    snprintf(buf, sizeof buf, "%d", pass);
    attr(q, "pass", buf);
    el(q, "Option");
    attr(q, "type", "Map");
    for (size_t i = 0; i < p->n; i++) {
        el(q, "Option");
        attr(q, "type", "QString");
        attr(q, "name", p->k[i]);
        attr(q, "value", p->v[i]);
        end(q);
    }
    end(q);
    for (size_t i = 0; i < p->n; i++) {
        el(q, "prop");
        attr(q, "k", p->k[i]);
        attr(q, "v", p->v[i]);
        end(q);
    }
}

/* The unit of sizes of \p s: millimetres (pixels at 96 dpi converted), or
 * ground metres for uom metre. */
static const char *unit_of(const sg__symbolizer *s)
{
    return s->uom_metre ? "RenderMetersInMapUnits" : "MM";
}

/* A size \p v of \p s in unit_of(s). */
static double size_of(const sg__symbolizer *s, double v)
{
    return s->uom_metre ? v : v * MM_PER_PX;
}

/* The map unit scale of a stroke width of \p s: none, or for metre
 * widths the limits we draw them with (0.75 to 2.5 pixels). */
static void width_scale(char *buf, size_t size, const sg__symbolizer *s)
{
    if (!s->uom_metre) {
        snprintf(buf, size, NO_SCALE);
        return;
    }
    char lo[32], hi[32];
    fmt_num(lo, sizeof lo, 0.75 * MM_PER_PX);
    fmt_num(hi, sizeof hi, 2.5 * MM_PER_PX);
    snprintf(buf, size, "3x:0,0,1,%s,1,%s", lo, hi);
}

/* Add the stroke of \p s to \p p as a SimpleLine's properties. */
static void line_props(props *p, const sg__symbolizer *s)
{
    const sg__stroke *st = &s->stroke;
    char buf[96];
    prop(p, "capstyle", st->round ? "round" : "flat");
    if (st->ndash) {
        sbuf d = {0};
        for (size_t i = 0; i < st->ndash; i++) {
            if (i)
                sb_add(&d, ";");
            sb_num(&d, size_of(s, st->dash[i]));
        }
        prop(p, "customdash", d.s && !d.bad ? d.s : "5;2");
        free(d.s);
    }
    prop(p, "customdash_map_unit_scale", NO_SCALE);
    prop(p, "customdash_unit", unit_of(s));
    /* an outline inside the polygon (PerpendicularOffset < 0) as we draw
     * it: clipped to the polygon, twice as wide as it reaches inwards */
    if (s->type == SG_SYM_POLYGON && s->offset < 0)
        prop(p, "draw_inside_polygon", "1");
    prop(p, "joinstyle", st->round ? "round" : "miter");
    prop_color(p, "line_color", &st->color);
    prop(p, "line_style", "solid");
    prop_num(p, "line_width",
             size_of(s, s->type == SG_SYM_POLYGON && s->offset < 0
                            ? 2 * (st->width / 2 - s->offset)
                            : st->width));
    prop(p, "line_width_unit", unit_of(s));
    prop(p, "offset", "0");
    prop(p, "offset_map_unit_scale", NO_SCALE);
    prop(p, "offset_unit", "MM");
    prop(p, "use_custom_dash", st->ndash ? "1" : "0");
    width_scale(buf, sizeof buf, s);
    prop(p, "width_map_unit_scale", buf);
}

/* Write a SimpleLine layer for the stroke of \p s. */
static void simple_line(qml *q, const sg__symbolizer *s, int pass)
{
    props p = {0};
    line_props(&p, s);
    layer_start(q, "SimpleLine", &p, pass);
    dd_empty(q, "data_defined_properties");
    end(q);
}

/* Write the layers of PolygonSymbolizer \p s: a SimpleFill with its
 * outline, or with a dashed stroke or one inside the polygon a SimpleFill
 * (if it fills) and a SimpleLine (only line layers have custom dashes
 * and draw_inside_polygon). */
static void polygon_layers(qml *q, const sg__symbolizer *s, int pass)
{
    static const sg__rgba none = {0, 0, 0, 0};
    /* a dashed or inside outline is a line layer of its own */
    int dashed = s->stroke.on && (s->stroke.ndash > 0 || s->offset < 0);
    int outline = s->stroke.on && !dashed;
    if (dashed && !s->fill.on) {
        simple_line(q, s, pass);
        return;
    }
    char buf[96];
    props p = {0};
    width_scale(buf, sizeof buf, s);
    prop(&p, "border_width_map_unit_scale", buf);
    prop_color(&p, "color", s->fill.on ? &s->fill.color : &none);
    prop(&p, "joinstyle", s->stroke.round ? "round" : "miter");
    prop(&p, "offset", "0,0");
    prop(&p, "offset_map_unit_scale", NO_SCALE);
    prop(&p, "offset_unit", "MM");
    prop_color(&p, "outline_color", outline ? &s->stroke.color : &none);
    prop(&p, "outline_style", outline ? "solid" : "no");
    prop_num(&p, "outline_width", outline ? size_of(s, s->stroke.width) : 0);
    prop(&p, "outline_width_unit", unit_of(s));
    prop(&p, "style", s->fill.on ? "solid" : "no");
    layer_start(q, "SimpleFill", &p, pass);
    dd_empty(q, "data_defined_properties");
    end(q);
    if (dashed)
        simple_line(q, s, pass);
}

/* QGIS's name of mark \p m. Cross and x are line shapes in both. */
static const char *mark_name(sg__mark m)
{
    switch (m) {
    case SG_MARK_CIRCLE: return "circle";
    case SG_MARK_TRIANGLE: return "triangle";
    case SG_MARK_STAR: return "star";
    case SG_MARK_CROSS: return "cross";
    case SG_MARK_X: return "cross2";
    default: return "square";
    }
}

static void symbol_el(qml *q, const char *type, const char *name);

/* Write a SimpleMarker layer for PointSymbolizer \p s. A size given by an
 * expression becomes a data-defined size. */
static void simple_marker(qml *q, const sg__symbolizer *s, int pass)
{
    static const sg__rgba none = {0, 0, 0, 0};
    int lines = s->mark == SG_MARK_CROSS || s->mark == SG_MARK_X;
    /* our line shapes without a stroke are drawn 1.5 px wide in the fill
     * colour */
    const sg__rgba *oc = s->stroke.on ? &s->stroke.color
                         : lines      ? &s->fill.color
                                      : &none;
    double ow = s->stroke.on ? size_of(s, s->stroke.width)
                : lines      ? 1.5 * MM_PER_PX
                             : 0;
    double size = 6;
    int dd = 0;
    if (s->size) {
        double d;
        if (s->size->kind == SG_EX_LITERAL && s->size->text &&
            sg__parse_double(s->size->text, &d))
            size = d;
        else
            dd = 1;
    }
    char buf[96];
    props p = {0};
    prop(&p, "angle", "0");
    prop_color(&p, "color", s->fill.on ? &s->fill.color : &none);
    prop(&p, "horizontal_anchor_point", "1");
    prop(&p, "joinstyle", s->stroke.round ? "round" : "miter");
    prop(&p, "name", mark_name(s->mark));
    prop(&p, "offset", "0,0");
    prop(&p, "offset_map_unit_scale", NO_SCALE);
    prop(&p, "offset_unit", "MM");
    prop_color(&p, "outline_color", oc);
    /* a marker's outline has no custom dashes in QGIS: Qt's dash */
    prop(&p, "outline_style",
         ow <= 0                           ? "no"
         : s->stroke.on && s->stroke.ndash ? "dash"
                                           : "solid");
    prop_num(&p, "outline_width", ow);
    width_scale(buf, sizeof buf, s);
    prop(&p, "outline_width_map_unit_scale", s->stroke.on ? buf : NO_SCALE);
    prop(&p, "outline_width_unit", s->stroke.on ? unit_of(s) : "MM");
    prop(&p, "scale_method", "diameter");
    prop_num(&p, "size", size_of(s, size));
    prop(&p, "size_map_unit_scale", NO_SCALE);
    prop(&p, "size_unit", unit_of(s));
    prop(&p, "vertical_anchor_point", "1");
    layer_start(q, "SimpleMarker", &p, pass);
    if (dd) {
        sb_clear(&q->expr);
        q_expr(&q->expr, s->size);
        if (q->expr.bad)
            q->bad = 1;
        else
            dd_expr(q, "size", q->expr.s);
    } else {
        dd_empty(q, "data_defined_properties");
    }
    end(q);
}

/* Write the layers for PointSymbolizer \p s on a line or polygon: our
 * mark sits at the shape's label point, QGIS's at the line's middle
 * (MarkerLine, centralpoint) or on the polygon's surface (CentroidFill).
 * \p sub names the marker sub-symbol. */
static void marker_on_shape(qml *q, const sg__symbolizer *s, int pass,
                            const char *sub)
{
    props p = {0};
    if (q->geom == QG_POLYGON) {
        prop(&p, "point_on_all_parts", "0");
        prop(&p, "point_on_surface", "1");
        layer_start(q, "CentroidFill", &p, pass);
    } else {
        prop(&p, "placement", "centralpoint");
        prop(&p, "rotate", "0");
        layer_start(q, "MarkerLine", &p, pass);
    }
    dd_empty(q, "data_defined_properties");
    symbol_el(q, "marker", sub);
    simple_marker(q, s, pass);
    end(q);
    end(q);
}

/* \return 1 if symbolizer \p s draws on the geometry \p g: as we draw, a
 * polygon symbolizer only polygons, a line symbolizer lines and polygon
 * outlines, a point symbolizer everything. */
static int draws_on(const sg__symbolizer *s, qgeom g)
{
    switch (s->type) {
    case SG_SYM_POLYGON: return g == QG_POLYGON;
    case SG_SYM_LINE: return g != QG_POINT && s->stroke.on;
    case SG_SYM_POINT: return 1;
    default: return 0;
    }
}

/* \return 1 if rule \p r draws anything but labels on the geometry. */
static int rule_draws(const qml *q, const sg__rule *r)
{
    for (size_t i = 0; i < r->nsyms; i++)
        if (draws_on(&r->syms[i], q->geom))
            return 1;
    return 0;
}

/* Start a <symbol> of \p type ("fill", "line", "marker") named \p name,
 * with its (empty) data-defined properties. */
static void symbol_el(qml *q, const char *type, const char *name)
{
    el(q, "symbol");
    attr(q, "type", type);
    attr(q, "name", name);
    attr(q, "alpha", "1");
    attr(q, "clip_to_extent", "1");
    attr(q, "force_rhr", "0");
    dd_empty(q, "data_defined_properties");
}

/* Write symbol \p name for rule \p r: one layer (or two) per symbolizer,
 * in order, so the first is drawn first as in SLD. \p pass is the
 * symbol level (the FeatureTypeStyle's index). */
static void rule_symbol(qml *q, const sg__rule *r, const char *name, int pass)
{
    static const char *const types[] = {"marker", "line", "fill"};
    symbol_el(q, types[q->geom], name);
    for (size_t i = 0; i < r->nsyms; i++) {
        const sg__symbolizer *s = &r->syms[i];
        if (!draws_on(s, q->geom))
            continue;
        if (s->type == SG_SYM_POLYGON) {
            polygon_layers(q, s, pass);
        } else if (s->type == SG_SYM_LINE) {
            simple_line(q, s, pass);
        } else if (q->geom == QG_POINT) {
            simple_marker(q, s, pass);
        } else {
            char sub[48];
            snprintf(sub, sizeof sub, "@%s@%zu", name, i);
            marker_on_shape(q, s, pass, sub);
        }
    }
    end(q);
}

/* ---- the renderer -------------------------------------------------------- */

/* \return 1 if every non-ElseFilter rule of \p fts has a renderer rule,
 * so that QGIS's own ELSE (no sibling rule active at this scale took the
 * feature) means what ours does; else ElseFilter is written out. */
static int native_else(const qml *q, const sg__fts *fts)
{
    for (size_t i = 0; i < fts->nrules; i++)
        if (!fts->rules[i].else_filter && !rule_draws(q, &fts->rules[i]))
            return 0;
    return 1;
}

/* Write the filter and scale attributes of rule \p r of \p fts. With
 * \p allow_else, an ElseFilter is QGIS's "ELSE". */
static void rule_attrs(qml *q, const sg__fts *fts, const sg__rule *r,
                       int allow_else)
{
    sb_clear(&q->expr);
    if (r->else_filter) {
        if (allow_else)
            sb_add(&q->expr, "ELSE");
        else
            q_else(&q->expr, fts);
    } else if (r->filter) {
        q_filter(&q->expr, r->filter);
    }
    if (q->expr.bad)
        q->bad = 1;
    else if (q->expr.len)
        attr(q, "filter", q->expr.s);
    /* QGIS: both ends inclusive, 0 for none */
    if (r->min_scale > 0)
        attr_num(q, "scalemindenom", r->min_scale);
    if (isfinite(r->max_scale))
        attr_num(q, "scalemaxdenom", r->max_scale);
}

/* Start the group rule of FeatureTypeStyle \p i of \p s. It heads its
 * rules in QGIS's legend: the first with the style's Title (the heading
 * of sanigrid's legend), the others with their rules' titles. */
static void group_rule(qml *q, const sg__style *s, size_t i)
{
    sbuf t = {0}, d = {0};
    if (i == 0) {
        sb_add(&t, s->title ? s->title : "");
        sb_add(&d, s->abstract ? s->abstract : "");
    } else {
        for (size_t j = 0; j < s->fts[i].nrules; j++) {
            const sg__rule *r = &s->fts[i].rules[j];
            if (r->title) {
                sb_add(&t, t.len ? "\xe3\x80\x81" : ""); /* 、 */
                sb_add(&t, r->title);
            }
            if (r->abstract) {
                sb_add(&d, d.len ? ", " : "");
                sb_add(&d, r->abstract);
            }
        }
    }
    if (t.bad || d.bad)
        q->bad = 1;
    el(q, "rule");
    attr_key(q);
    attr(q, "label", t.s ? t.s : "");
    attr(q, "description", d.s ? d.s : "");
    free(t.s);
    free(d.s);
}

/* Write <renderer-v2>: a rule per drawing rule (label = Title, the legend
 * text; description = Abstract), grouped per FeatureTypeStyle when there
 * are several, which then become symbol levels so that each is drawn
 * over the whole of the one before (as SLD draws them). */
static void renderer(qml *q, const sg__style *s)
{
    int levels = s->nfts > 1;
    el(q, "renderer-v2");
    attr(q, "type", "RuleRenderer");
    attr(q, "symbollevels", levels ? "1" : "0");
    attr(q, "enableorderby", "0");
    attr(q, "forceraster", "0");
    attr(q, "referencescale", "-1");
    el(q, "rules");
    attr_key(q);
    unsigned nsym = 0;
    for (size_t i = 0; i < s->nfts; i++) {
        const sg__fts *fts = &s->fts[i];
        int ne = native_else(q, fts);
        if (levels)
            group_rule(q, s, i);
        for (size_t j = 0; j < fts->nrules; j++) {
            const sg__rule *r = &fts->rules[j];
            if (!rule_draws(q, r))
                continue;
            char sym[16];
            snprintf(sym, sizeof sym, "%u", nsym++);
            el(q, "rule");
            attr_key(q);
            attr(q, "symbol", sym);
            attr(q, "label", r->title ? r->title : r->name);
            if (r->abstract)
                attr(q, "description", r->abstract);
            rule_attrs(q, fts, r, ne);
            end(q);
        }
        if (levels)
            end(q);
    }
    end(q); /* rules */
    el(q, "symbols");
    nsym = 0;
    for (size_t i = 0; i < s->nfts; i++)
        for (size_t j = 0; j < s->fts[i].nrules; j++) {
            const sg__rule *r = &s->fts[i].rules[j];
            if (!rule_draws(q, r))
                continue;
            char sym[16];
            snprintf(sym, sizeof sym, "%u", nsym++);
            rule_symbol(q, r, sym, (int)i);
        }
    end(q); /* symbols */
    end(q); /* renderer-v2 */
}

/* ---- labels -------------------------------------------------------------- */

/* Write <text-style> of TextSymbolizer \p s: the label (a field, or an
 * expression), font in points, colour, halo as a buffer in millimetres. */
static void text_style(qml *q, const sg__symbolizer *s)
{
    char buf[32];
    el(q, "text-style");
    if (s->label && s->label->kind == SG_EX_PROPERTY) {
        attr(q, "fieldName", s->label->text);
        attr(q, "isExpression", "0");
    } else {
        sb_clear(&q->expr);
        q_expr(&q->expr, s->label);
        if (q->expr.bad)
            q->bad = 1;
        attr(q, "fieldName", q->expr.s);
        attr(q, "isExpression", "1");
    }
    attr(q, "fontFamily", s->font_family ? s->font_family : "Noto Sans CJK SC");
    if (s->bold || s->italic)
        attr(q, "namedStyle",
             s->bold && s->italic ? "Bold Italic"
             : s->bold            ? "Bold"
                                  : "Italic");
    attr(q, "fontWeight", s->bold ? "75" : "50");
    attr(q, "fontItalic", s->italic ? "1" : "0");
    attr_num(q, "fontSize", s->font_size * PT_PER_PX);
    attr(q, "fontSizeUnit", "Point");
    attr(q, "fontSizeMapUnitScale", NO_SCALE);
    color_str(buf, sizeof buf, &s->fill.color, 0);
    attr(q, "textColor", buf);
    attr_num(q, "textOpacity", s->fill.color.a);
    attr(q, "textOrientation", "horizontal");
    attr(q, "multilineHeight", "1");
    el(q, "text-buffer");
    attr(q, "bufferDraw", s->halo_radius > 0 ? "1" : "0");
    attr_num(q, "bufferSize", s->halo_radius * MM_PER_PX);
    attr(q, "bufferSizeUnits", "MM");
    attr(q, "bufferSizeMapUnitScale", NO_SCALE);
    color_str(buf, sizeof buf, &s->halo, 0);
    attr(q, "bufferColor", buf);
    attr_num(q, "bufferOpacity", s->halo.a);
    attr(q, "bufferJoinStyle", "128"); /* round */
    attr(q, "bufferNoFill", "1");
    attr(q, "bufferBlendMode", "0");
    end(q);
    end(q);
}

/* QGIS's quadrant (0 above left .. 8 below right) for SE anchor point
 * (\p ax, \p ay): (0, 0) puts the label's lower left on the point, so
 * above right of it. */
static int quadrant(double ax, double ay)
{
    int col = ax < 1.0 / 3 ? 2 : ax > 2.0 / 3 ? 0 : 1;
    int row = ay < 1.0 / 3 ? 0 : ay > 2.0 / 3 ? 2 : 1;
    return row * 3 + col;
}

/* Write <placement> of TextSymbolizer \p s as close to ours as QGIS
 * offers: an AnchorPoint/Displacement is "over point" with a quadrant and
 * an offset; else points try right, left, above, below (cartographic),
 * polygons get the label centred inside, lines horizontal at the
 * middle. */
static void placement(qml *q, const sg__symbolizer *s)
{
    el(q, "placement");
    if (s->anchored) {
        char buf[8];
        attr(q, "placement", "1"); /* OverPoint */
        snprintf(buf, sizeof buf, "%d", quadrant(s->anchor[0], s->anchor[1]));
        attr(q, "quadOffset", buf);
        attr_num(q, "xOffset", s->disp[0] * MM_PER_PX);
        attr_num(q, "yOffset", -s->disp[1] * MM_PER_PX); /* QGIS: y down */
        attr(q, "offsetUnits", "MM");
        attr(q, "centroidInside", "1");
    } else if (q->geom == QG_POINT) {
        attr(q, "placement", "6"); /* OrderedPositionsAroundPoint */
        attr(q, "predefinedPositionOrder", "R,L,T,B");
        attr_num(q, "dist", 6 * MM_PER_PX);
        attr(q, "distUnits", "MM");
        attr(q, "offsetType", "0"); /* from the point */
    } else if (q->geom == QG_POLYGON) {
        attr(q, "placement", "1"); /* OverPoint: "offset from centroid" */
        attr(q, "quadOffset", "4");
        attr(q, "centroidInside", "1");
        attr(q, "centroidWhole", "0");
    } else {
        attr(q, "placement", "4"); /* Horizontal */
    }
    attr(q, "priority", "5");
    end(q);
}

/* Write one labeling rule for text symbolizer \p s of rule \p r of
 * \p fts. ElseFilter is always written out: QGIS's ELSE in labels looks
 * only at the other label rules. */
static void label_rule(qml *q, const sg__fts *fts, const sg__rule *r,
                       const sg__symbolizer *s)
{
    el(q, "rule");
    attr_key(q);
    if (r->abstract || r->name)
        attr(q, "description", r->abstract ? r->abstract : r->name);
    rule_attrs(q, fts, r, 0);
    el(q, "settings");
    attr(q, "calloutType", "simple");
    text_style(q, s);
    placement(q, s);
    el(q, "rendering");
    attr(q, "drawLabels", "1");
    attr(q, "scaleVisibility", "0");
    attr(q, "obstacle", "1");
    attr(q, "displayAll", "0");
    attr(q, "upsidedownLabels", "0");
    attr(q, "labelPerPart", "0");
    end(q);
    end(q); /* settings */
    end(q); /* rule */
}

/* Write <labeling type="rule-based"> for every text symbolizer of \p s. */
static void labeling(qml *q, const sg__style *s)
{
    el(q, "labeling");
    attr(q, "type", "rule-based");
    el(q, "rules");
    attr_key(q);
    for (size_t i = 0; i < s->nfts; i++)
        for (size_t j = 0; j < s->fts[i].nrules; j++) {
            const sg__rule *r = &s->fts[i].rules[j];
            for (size_t k = 0; k < r->nsyms; k++)
                if (r->syms[k].type == SG_SYM_TEXT)
                    label_rule(q, &s->fts[i], r, &r->syms[k]);
        }
    end(q);
    end(q);
}

/* Write the field aliases (Chinese headers) and value maps (coded values
 * shown with their Chinese labels in the attribute table and forms) of
 * \p layer from the field dictionary (include/sanigrid/fields.h). QGIS
 * matches both by field name and ignores fields the layer lacks. */
static void fields_config(qml *q, const char *layer)
{
    el(q, "fieldConfiguration");
    for (size_t i = 0; layer && sg_field_name(layer, i); i++) {
        const char *f = sg_field_name(layer, i);
        const char *values = sg_field_values(layer, f);
        el(q, "field");
        attr(q, "name", f);
        attr(q, "configurationFlags", "None");
        el(q, "editWidget");
        attr(q, "type", values ? "ValueMap" : "TextEdit");
        el(q, "config");
        el(q, "Option");
        if (values) {
            attr(q, "type", "Map");
            el(q, "Option");
            attr(q, "name", "map");
            attr(q, "type", "List");
            for (const char *p = values; p && *p;) {
                const char *bar = strchr(p, '|');
                size_t n = bar ? (size_t)(bar - p) : strlen(p);
                char seg[256];
                if (n >= sizeof seg)
                    n = sizeof seg - 1;
                memcpy(seg, p, n);
                seg[n] = '\0';
                char *eq = strchr(seg, '=');
                if (eq) {
                    *eq = '\0';
                    el(q, "Option");
                    attr(q, "type", "Map");
                    el(q, "Option");
                    attr(q, "name", eq + 1); /* shown */
                    attr(q, "type", "QString");
                    attr(q, "value", seg); /* stored */
                    end(q);
                    end(q);
                }
                p = bar ? bar + 1 : NULL;
            }
            end(q);
        }
        end(q); /* Option */
        end(q); /* config */
        end(q); /* editWidget */
        end(q); /* field */
    }
    end(q);
    el(q, "aliases");
    for (size_t i = 0; layer && sg_field_name(layer, i); i++) {
        const char *f = sg_field_name(layer, i);
        char index[32];
        snprintf(index, sizeof index, "%zu", i);
        el(q, "alias");
        attr(q, "field", f);
        attr(q, "index", index);
        attr(q, "name", sg_field_header(layer, f, "zh"));
        end(q);
    }
    end(q);
}

/* The geometry a style is for, from its symbolizers: polygons if any
 * rule fills, else lines if any strokes a line, else points. (All the
 * built-in styles draw one kind of geometry; QGIS symbols must match the
 * layer's.) */
static qgeom style_geom(const sg__style *s)
{
    if (sg__style_has_symbolizer(s, SG_SYM_POLYGON))
        return QG_POLYGON;
    if (sg__style_has_symbolizer(s, SG_SYM_LINE))
        return QG_LINE;
    return QG_POINT;
}

sg_status sg__style_to_qml(sg_ctx *ctx, const sg__style *s, const char *layer,
                           char **out, size_t *len)
{
    *out = NULL;
    if (len)
        *len = 0;
    xmlBufferPtr buf = xmlBufferCreate();
    xmlTextWriterPtr w = buf ? xmlNewTextWriterMemory(buf, 0) : NULL;
    if (!w) {
        xmlBufferFree(buf);
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    }
    qml q = {w, 0, 0, style_geom(s), {0}};
    int labels = sg__style_has_symbolizer(s, SG_SYM_TEXT);
    if (xmlTextWriterSetIndent(w, 1) < 0 ||
        xmlTextWriterSetIndentString(w, BAD_CAST "  ") < 0 ||
        xmlTextWriterStartDocument(w, "1.0", "UTF-8", NULL) < 0)
        q.bad = 1;
    if (!q.bad && xmlTextWriterWriteComment(
                      w, BAD_CAST " QGIS layer style written by sanigrid "
                                  "from its SLD style; see styles/README.md "
                                  "in the sanigrid sources ") < 0)
        q.bad = 1;
    el(&q, "qgis");
    attr(&q, "version", QML_VERSION);
    attr(&q, "styleCategories", "Symbology|Labeling|Fields|Forms");
    attr(&q, "labelsEnabled", labels ? "1" : "0");
    renderer(&q, s);
    if (labels)
        labeling(&q, s);
    fields_config(&q, layer);
    text_el(&q, "blendMode", "0");
    text_el(&q, "featureBlendMode", "0");
    end(&q);
    if (!q.bad && xmlTextWriterEndDocument(w) < 0)
        q.bad = 1;
    xmlFreeTextWriter(w); /* flushes into buf */
    free(q.expr.s);
    sg_status st = SG_OK;
    if (q.bad) {
        st = sg__error(ctx, SG_ERR_NOMEM,
                       "%s: cannot write the QGIS style (out of memory)",
                       s->source ? s->source : "style");
    } else {
        size_t n = (size_t)xmlBufferLength(buf);
        char *t = malloc(n + 1);
        if (!t) {
            st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        } else {
            memcpy(t, xmlBufferContent(buf), n);
            t[n] = '\0';
            *out = t;
            if (len)
                *len = n;
        }
    }
    xmlBufferFree(buf);
    return st;
}

/* ---- the public API ------------------------------------------------------ */

sg_status sg_style_write_qml(sg_ctx *ctx, const char *layer, const char *path)
{
    if (!path || !*path)
        return sg__error(ctx, SG_ERR_USAGE, "no output path for the style");
    sg__style *s = NULL;
    char *text = NULL;
    size_t len = 0;
    sg_status st = sg__style_builtin(ctx, layer, &s);
    if (st == SG_ERR_NOT_FOUND)
        st = sg__error(ctx, SG_ERR_NOT_FOUND,
                       "no built-in style for layer '%s'", layer ? layer : "");
    if (st == SG_OK)
        st = sg__style_to_qml(ctx, s, layer, &text, &len);
    if (st == SG_OK)
        st = sg__write_file_atomic(ctx, NULL, path, text, len);
    free(text);
    sg__style_free(s);
    return st;
}

sg_status sg_style_write_qml_sidecar(sg_ctx *ctx, const char *layer,
                                     const char *out, int *written)
{
    if (written)
        *written = 0;
    if (!sg__style_builtin_text(layer))
        return SG_OK;
    char *path = sg__sidecar_path(ctx, out, ".qml");
    if (!path)
        return sg_ctx_status(ctx);
    sg_status st = sg_style_write_qml(ctx, layer, path);
    if (st == SG_OK && written)
        *written = 1;
    free(path);
    return st;
}
