/* Styles: a parser for the subset of OGC SLD 1.0 and SLD 1.1 / SE 1.1
 * that sanigrid draws (documented in styles/README.md), rule matching
 * with OGC filters and scale ranges, and the built-in styles embedded
 * from the .sld files in styles/ at build time.
 * Elements are matched by local name, so sld:, se: and unprefixed files
 * all read; CssParameter (SLD 1.0) and SvgParameter (SE 1.1) both work.
 * A filter or graphic outside the subset is an error rather than being
 * ignored, since drawing without it would misrepresent the data.
 * Not for: drawing (map.c, labels.c, legend.c).
 * SPDX-License-Identifier: MIT */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "core/ctx_int.h"
#include "core/outfile_int.h"
#include "render/render_int.h" /* sg__buf, sg__fmt_num for labels */
#include "render/style_int.h"
#include "sanigrid/render.h"

/* ---- freeing ---------------------------------------------------------------
 */

/* Free expression \p e and its operands. NULL is a no-op. */
static void expr_free(sg__expr *e)
{
    if (!e)
        return;
    expr_free(e->a);
    expr_free(e->b);
    free(e->text);
    free(e);
}

/* Free filter \p f and its operands. NULL is a no-op. */
static void filter_free(sg__filter *f)
{
    if (!f)
        return;
    expr_free(f->a);
    expr_free(f->b);
    expr_free(f->c);
    for (size_t i = 0; i < f->nkids; i++)
        filter_free(f->kids[i]);
    free(f->kids);
    free(f);
}

/* Free what symbolizer \p s owns (not \p s itself). */
static void sym_cleanup(sg__symbolizer *s)
{
    expr_free(s->size);
    expr_free(s->label);
    free(s->font_family);
}

/* Free what rule \p r owns (not \p r itself). */
static void rule_cleanup(sg__rule *r)
{
    free(r->name);
    free(r->title);
    free(r->abstract);
    filter_free(r->filter);
    for (size_t i = 0; i < r->nsyms; i++)
        sym_cleanup(&r->syms[i]);
    free(r->syms);
}

void sg__style_free(sg__style *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->nfts; i++) {
        for (size_t j = 0; j < s->fts[i].nrules; j++)
            rule_cleanup(&s->fts[i].rules[j]);
        free(s->fts[i].rules);
    }
    free(s->fts);
    free(s->source);
    free(s->layer_name);
    free(s->title);
    free(s->abstract);
    free(s);
}

/* ---- XML helpers ------------------------------------------------------------
 */

/* Parser state: the context and the source name for messages. */
typedef struct pstate {
    sg_ctx *ctx;
    const char *source;
} pstate;

/* \return 1 if \p n is an element whose local name is \p name. */
static int is_el(const xmlNode *n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE &&
           strcmp((const char *)n->name, name) == 0;
}

/* \return the first element child of \p n named \p name, or NULL (also
 * for \p n NULL). */
static xmlNode *child(const xmlNode *n, const char *name)
{
    for (xmlNode *c = n ? n->children : NULL; c; c = c->next)
        if (is_el(c, name))
            return c;
    return NULL;
}

/* \return the next element child of \p n (any name) after \p prev (NULL:
 * the first), or NULL. */
static xmlNode *next_el(const xmlNode *n, xmlNode *prev)
{
    for (xmlNode *c = prev ? prev->next : n->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE)
            return c;
    return NULL;
}

/* \return the trimmed text content of \p n (all descendant text), or NULL
 * for an empty one or \p n NULL. Caller owns; free with free(). */
static char *text_of(const xmlNode *n)
{
    if (!n)
        return NULL;
    xmlChar *raw = xmlNodeGetContent(n);
    if (!raw)
        return NULL;
    const char *s = (const char *)raw;
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
        s++;
    size_t len = strlen(s);
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' ||
                   s[len - 1] == '\n' || s[len - 1] == '\r'))
        len--;
    char *out = NULL;
    if (len) {
        out = malloc(len + 1);
        if (out) {
            memcpy(out, s, len);
            out[len] = '\0';
        }
    }
    xmlFree(raw);
    return out;
}

/* Record a format error at node \p n: \p what (translated; the
 * messages are found by scripts/update-po's keyword style_error) and the
 * element's name. \return SG_ERR_IO_FORMAT. */
static sg_status style_error(pstate *ps, const xmlNode *n, const char *what)
{
    return sg__error(ps->ctx, SG_ERR_IO_FORMAT, "%s, line %ld: %s%s%s",
                     ps->source, n ? (long)xmlGetLineNo(n) : 0L,
                     sg__gettext(what), n ? " " : "",
                     n ? (const char *)n->name : "");
}

/* Parse the text of \p n as a number into \p out. \return SG_OK or a
 * format error. */
static sg_status num_of(pstate *ps, const xmlNode *n, double *out)
{
    char *t = text_of(n);
    int ok = t && sg__parse_double(t, out);
    free(t);
    return ok ? SG_OK : style_error(ps, n, "expected a number in");
}

/* ---- expressions and filters -----------------------------------------------
 */

/* Parse expression element \p n (Literal, PropertyName, Add, Sub, Mul,
 * Div). Caller owns *out. */
static sg_status parse_expr(pstate *ps, const xmlNode *n, sg__expr **out)
{
    static const struct {
        const char *name;
        sg__expr_kind kind;
    } ops[] = {{"Add", SG_EX_ADD},
               {"Sub", SG_EX_SUB},
               {"Mul", SG_EX_MUL},
               {"Div", SG_EX_DIV}};
    *out = NULL;
    sg__expr *e = calloc(1, sizeof *e);
    if (!e)
        return sg__error(ps->ctx, SG_ERR_NOMEM, "out of memory");
    if (is_el(n, "Literal") || is_el(n, "PropertyName")) {
        e->kind = is_el(n, "Literal") ? SG_EX_LITERAL : SG_EX_PROPERTY;
        e->text = text_of(n);
        if (!e->text && e->kind == SG_EX_PROPERTY) {
            expr_free(e);
            return style_error(ps, n, "empty");
        }
        if (!e->text && !(e->text = strdup(""))) {
            expr_free(e);
            return sg__error(ps->ctx, SG_ERR_NOMEM, "out of memory");
        }
        *out = e;
        return SG_OK;
    }
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        if (!is_el(n, ops[i].name))
            continue;
        e->kind = ops[i].kind;
        xmlNode *a = next_el(n, NULL);
        xmlNode *b = a ? next_el(n, a) : NULL;
        sg_status st = !a || !b ? style_error(ps, n, "needs two operands:")
                                : parse_expr(ps, a, &e->a);
        if (st == SG_OK)
            st = parse_expr(ps, b, &e->b);
        if (st) {
            expr_free(e);
            return st;
        }
        *out = e;
        return SG_OK;
    }
    free(e);
    return style_error(ps, n, "unsupported expression");
}

/* Parse a parameter value (Size, Label): the first expression element
 * inside \p n, or its text as a literal. Caller owns *out. */
static sg_status parse_value(pstate *ps, const xmlNode *n, sg__expr **out)
{
    *out = NULL;
    xmlNode *e = next_el(n, NULL);
    if (e)
        return parse_expr(ps, e, out);
    sg__expr *lit = calloc(1, sizeof *lit);
    if (!lit)
        return sg__error(ps->ctx, SG_ERR_NOMEM, "out of memory");
    lit->kind = SG_EX_LITERAL;
    lit->text = text_of(n);
    if (!lit->text) {
        free(lit);
        return style_error(ps, n, "empty value in");
    }
    *out = lit;
    return SG_OK;
}

/* Parse a Label \p n: its first expression or text as parse_value does,
 * or, with mixed content (text around PropertyNames, as in
 * `第<ogc:PropertyName>rank</ogc:PropertyName>名`), the parts joined with
 * SG_EX_CONCAT, text kept as written but for runs of blanks at either
 * end of a text that hold a line break (the file's indentation). Caller
 * owns *out. */
static sg_status parse_label(pstate *ps, const xmlNode *n, sg__expr **out)
{
    int elements = 0, texts = 0;
    for (xmlNode *c = n->children; c; c = c->next) {
        if (c->type == XML_ELEMENT_NODE)
            elements++;
        else if ((c->type == XML_TEXT_NODE ||
                  c->type == XML_CDATA_SECTION_NODE) &&
                 c->content &&
                 strspn((const char *)c->content, " \t\r\n") <
                     strlen((const char *)c->content))
            texts++;
    }
    if (elements + (texts ? 1 : 0) < 2 || elements == 0)
        return parse_value(ps, n, out);
    *out = NULL;
    sg__expr *acc = NULL;
    for (xmlNode *c = n->children; c; c = c->next) {
        sg__expr *part = NULL;
        sg_status st = SG_OK;
        if (c->type == XML_ELEMENT_NODE) {
            st = parse_expr(ps, c, &part);
        } else if ((c->type == XML_TEXT_NODE ||
                    c->type == XML_CDATA_SECTION_NODE) &&
                   c->content && *c->content) {
            const char *t = (const char *)c->content;
            size_t a = strspn(t, " \t\r\n"), z = strlen(t);
            if (!memchr(t, '\n', a))
                a = 0; /* leading blanks without a line break are text */
            size_t e = z;
            while (e > a && strchr(" \t\r\n", t[e - 1]))
                e--;
            if (!memchr(t + e, '\n', z - e))
                e = z;
            if (e == a)
                continue;
            part = calloc(1, sizeof *part);
            if (part && !(part->text = strndup(t + a, e - a))) {
                free(part);
                part = NULL;
            }
            if (part)
                part->kind = SG_EX_LITERAL;
            else
                st = sg__error(ps->ctx, SG_ERR_NOMEM, "out of memory");
        } else {
            continue;
        }
        if (st == SG_OK && acc) {
            sg__expr *cat = calloc(1, sizeof *cat);
            if (!cat) {
                expr_free(part);
                st = sg__error(ps->ctx, SG_ERR_NOMEM, "out of memory");
            } else {
                cat->kind = SG_EX_CONCAT;
                cat->a = acc;
                cat->b = part;
                part = cat;
            }
        }
        if (st) {
            expr_free(acc);
            return st;
        }
        acc = part;
    }
    *out = acc;
    return SG_OK;
}

/* Append filter \p k to the operands of \p f (taking ownership of it). */
static sg_status add_kid(pstate *ps, sg__filter *f, sg__filter *k)
{
    sg__filter **nk = realloc(f->kids, (f->nkids + 1) * sizeof *nk);
    if (!nk) {
        filter_free(k);
        return sg__error(ps->ctx, SG_ERR_NOMEM, "out of memory");
    }
    f->kids = nk;
    f->kids[f->nkids++] = k;
    return SG_OK;
}

/* Parse the operands of a binary comparison \p n into \p f. */
static sg_status parse_binary(pstate *ps, const xmlNode *n, sg__filter *f)
{
    xmlNode *a = next_el(n, NULL);
    xmlNode *b = a ? next_el(n, a) : NULL;
    if (!a || !b)
        return style_error(ps, n, "needs two expressions:");
    xmlChar *mc = xmlGetProp(n, (const xmlChar *)"matchCase");
    f->match_case = !(mc && strcasecmp((const char *)mc, "false") == 0);
    xmlFree(mc);
    sg_status st = parse_expr(ps, a, &f->a);
    return st ? st : parse_expr(ps, b, &f->b);
}

/* Parse one filter operator element \p n. Caller owns *out. */
static sg_status parse_filter_op(pstate *ps, const xmlNode *n, sg__filter **out)
{
    static const struct {
        const char *name;
        sg__filter_op op;
    } ops[] = {{"PropertyIsEqualTo", SG_F_EQ},
               {"PropertyIsNotEqualTo", SG_F_NE},
               {"PropertyIsLessThan", SG_F_LT},
               {"PropertyIsLessThanOrEqualTo", SG_F_LE},
               {"PropertyIsGreaterThan", SG_F_GT},
               {"PropertyIsGreaterThanOrEqualTo", SG_F_GE},
               {"PropertyIsBetween", SG_F_BETWEEN},
               {"PropertyIsNull", SG_F_NULL},
               {"And", SG_F_AND},
               {"Or", SG_F_OR},
               {"Not", SG_F_NOT}};
    *out = NULL;
    size_t i;
    for (i = 0; i < sizeof ops / sizeof ops[0]; i++)
        if (is_el(n, ops[i].name))
            break;
    if (i == sizeof ops / sizeof ops[0])
        return style_error(ps, n, "unsupported filter");
    sg__filter *f = calloc(1, sizeof *f);
    if (!f)
        return sg__error(ps->ctx, SG_ERR_NOMEM, "out of memory");
    f->op = ops[i].op;
    f->match_case = 1;
    sg_status st = SG_OK;
    switch (f->op) {
    case SG_F_BETWEEN: {
        xmlNode *e = next_el(n, NULL);
        xmlNode *lo = child(n, "LowerBoundary"),
                *hi = child(n, "UpperBoundary");
        if (!e || !lo || !hi || !next_el(lo, NULL) || !next_el(hi, NULL))
            st = style_error(ps, n,
                             "needs an expression, LowerBoundary and "
                             "UpperBoundary:");
        if (st == SG_OK)
            st = parse_expr(ps, e, &f->a);
        if (st == SG_OK)
            st = parse_expr(ps, next_el(lo, NULL), &f->b);
        if (st == SG_OK)
            st = parse_expr(ps, next_el(hi, NULL), &f->c);
        break;
    }
    case SG_F_NULL: {
        xmlNode *e = next_el(n, NULL);
        st = e ? parse_expr(ps, e, &f->a)
               : style_error(ps, n, "needs a property:");
        break;
    }
    case SG_F_AND:
    case SG_F_OR:
    case SG_F_NOT:
        for (xmlNode *k = next_el(n, NULL); k && st == SG_OK;
             k = next_el(n, k)) {
            sg__filter *kf = NULL;
            st = parse_filter_op(ps, k, &kf);
            if (st == SG_OK)
                st = add_kid(ps, f, kf);
        }
        if (st == SG_OK &&
            (f->nkids == 0 || (f->op == SG_F_NOT && f->nkids != 1)))
            st = style_error(ps, n,
                             f->op == SG_F_NOT ? "needs one operand:"
                                               : "needs operands:");
        break;
    default: st = parse_binary(ps, n, f); break;
    }
    if (st) {
        filter_free(f);
        return st;
    }
    *out = f;
    return SG_OK;
}

/* ---- symbolizers ------------------------------------------------------------
 */

int sg__parse_color(const char *s, sg__rgba *out)
{
    if (!s || s[0] != '#')
        return 0;
    size_t len = strlen(s + 1);
    unsigned v[4] = {0, 0, 0, 255};
    if (len != 3 && len != 6 && len != 8)
        return 0;
    for (size_t i = 1; i <= len; i++)
        if (!isxdigit((unsigned char)s[i]))
            return 0; /* strtoul alone would take signs and blanks */
    size_t digits = len == 3 ? 1 : 2;
    for (size_t i = 0; i < len / digits; i++) {
        char h[3] = {s[1 + digits * i], digits == 2 ? s[2 + digits * i] : 0, 0};
        char *end;
        unsigned long x = strtoul(h, &end, 16);
        if (*end || end == h)
            return 0;
        v[i] = (unsigned)(digits == 1 ? x * 17 : x);
    }
    out->r = v[0] / 255.0;
    out->g = v[1] / 255.0;
    out->b = v[2] / 255.0;
    out->a = v[3] / 255.0;
    return 1;
}

/* For each CssParameter/SvgParameter child of \p n, call \p fn with its
 * name and trimmed text. Stops at the first failure. */
static sg_status each_param(pstate *ps, const xmlNode *n,
                            sg_status (*fn)(pstate *, const xmlNode *,
                                            const char *, const char *, void *),
                            void *user)
{
    sg_status st = SG_OK;
    for (xmlNode *c = next_el(n, NULL); c && st == SG_OK; c = next_el(n, c)) {
        if (!is_el(c, "CssParameter") && !is_el(c, "SvgParameter"))
            continue;
        xmlChar *name = xmlGetProp(c, (const xmlChar *)"name");
        char *val = text_of(c);
        if (!name || !val)
            st = style_error(ps, c, "no name or value in");
        else
            st = fn(ps, c, (const char *)name, val, user);
        xmlFree(name);
        free(val);
    }
    return st;
}

/* Parameter callback for Fill. */
static sg_status fill_param(pstate *ps, const xmlNode *n, const char *name,
                            const char *val, void *user)
{
    sg__fill *f = user;
    double d;
    if (!strcmp(name, "fill")) {
        double a = f->color.a;
        if (!sg__parse_color(val, &f->color))
            return style_error(ps, n, "bad colour in");
        f->color.a *= a;
    } else if (!strcmp(name, "fill-opacity")) {
        if (!sg__parse_double(val, &d) || d < 0 || d > 1)
            return style_error(ps, n, "bad opacity in");
        f->color.a = d;
    }
    return SG_OK;
}

/* Parse a Fill element \p n into \p f (default grey #808080, opaque). */
static sg_status parse_fill(pstate *ps, const xmlNode *n, sg__fill *f)
{
    f->on = 1;
    f->color = (sg__rgba){0.5, 0.5, 0.5, 1.0};
    if (child(n, "GraphicFill"))
        return style_error(ps, child(n, "GraphicFill"), "unsupported:");
    return each_param(ps, n, fill_param, f);
}

/* Parameter callback for Stroke. */
static sg_status stroke_param(pstate *ps, const xmlNode *n, const char *name,
                              const char *val, void *user)
{
    sg__stroke *s = user;
    double d;
    if (!strcmp(name, "stroke")) {
        double a = s->color.a;
        if (!sg__parse_color(val, &s->color))
            return style_error(ps, n, "bad colour in");
        s->color.a *= a;
    } else if (!strcmp(name, "stroke-opacity")) {
        if (!sg__parse_double(val, &d) || d < 0 || d > 1)
            return style_error(ps, n, "bad opacity in");
        s->color.a = d;
    } else if (!strcmp(name, "stroke-width")) {
        if (!sg__parse_double(val, &d) || d < 0)
            return style_error(ps, n, "bad width in");
        s->width = d;
    } else if (!strcmp(name, "stroke-dasharray")) {
        s->ndash = 0;
        const char *p = val;
        while (*p) {
            while (*p == ' ' || *p == ',')
                p++;
            if (!*p)
                break;
            char *end;
            d = sg__strtod(p, &end);
            if (end == p || d < 0 || s->ndash == 8)
                return style_error(ps, n, "bad dash array in");
            s->dash[s->ndash++] = d;
            p = end;
        }
    } else if (!strcmp(name, "stroke-linejoin") ||
               !strcmp(name, "stroke-linecap")) {
        if (!strcmp(val, "round"))
            s->round = 1;
    }
    return SG_OK;
}

/* Parse a Stroke element \p n into \p s (default black, 1 pixel). */
static sg_status parse_stroke(pstate *ps, const xmlNode *n, sg__stroke *s)
{
    s->on = 1;
    s->color = (sg__rgba){0, 0, 0, 1};
    s->width = 1;
    if (child(n, "GraphicStroke") || child(n, "GraphicFill"))
        return style_error(ps, next_el(n, NULL), "unsupported:");
    return each_param(ps, n, stroke_param, s);
}

/* Parse a PointSymbolizer's Graphic \p g into \p s. */
static sg_status parse_graphic(pstate *ps, const xmlNode *g, sg__symbolizer *s)
{
    static const struct {
        const char *name;
        sg__mark mark;
    } marks[] = {{"circle", SG_MARK_CIRCLE},     {"square", SG_MARK_SQUARE},
                 {"triangle", SG_MARK_TRIANGLE}, {"star", SG_MARK_STAR},
                 {"cross", SG_MARK_CROSS},       {"x", SG_MARK_X}};
    static const sg__fill grey = {1, {0.5, 0.5, 0.5, 1}};
    static const sg__stroke black = {1, {0, 0, 0, 1}, 1, {0}, 0, 0};
    if (child(g, "ExternalGraphic"))
        return style_error(ps, child(g, "ExternalGraphic"),
                           "unsupported (use a Mark):");
    xmlNode *m = child(g, "Mark");
    s->mark = SG_MARK_SQUARE;
    sg_status st = SG_OK;
    if (m) {
        char *wkn = text_of(child(m, "WellKnownName"));
        if (wkn) {
            size_t i;
            for (i = 0; i < sizeof marks / sizeof marks[0]; i++)
                if (strcasecmp(wkn, marks[i].name) == 0)
                    break;
            if (i == sizeof marks / sizeof marks[0])
                st = style_error(ps, child(m, "WellKnownName"),
                                 "unsupported mark (circle, square, triangle, "
                                 "star, cross, x) in");
            else
                s->mark = marks[i].mark;
            free(wkn);
        }
        if (st == SG_OK && child(m, "Fill"))
            st = parse_fill(ps, child(m, "Fill"), &s->fill);
        if (st == SG_OK && child(m, "Stroke"))
            st = parse_stroke(ps, child(m, "Stroke"), &s->stroke);
        if (st == SG_OK && !child(m, "Fill") && !child(m, "Stroke")) {
            s->fill = grey;
            s->stroke = black;
        }
    } else {
        s->fill = grey;
        s->stroke = black;
    }
    if (st == SG_OK && child(g, "Size"))
        st = parse_value(ps, child(g, "Size"), &s->size);
    return st;
}

/* Parameter callback for Font. */
static sg_status font_param(pstate *ps, const xmlNode *n, const char *name,
                            const char *val, void *user)
{
    sg__symbolizer *s = user;
    double d;
    if (!strcmp(name, "font-family")) {
        free(s->font_family);
        if (!(s->font_family = strdup(val)))
            return sg__error(ps->ctx, SG_ERR_NOMEM, "out of memory");
    } else if (!strcmp(name, "font-size")) {
        if (!sg__parse_double(val, &d) || d <= 0 || d > 500)
            return style_error(ps, n, "bad font size in");
        s->font_size = d;
    } else if (!strcmp(name, "font-weight")) {
        s->bold = strcmp(val, "bold") == 0;
    } else if (!strcmp(name, "font-style")) {
        s->italic = strcmp(val, "italic") == 0 || strcmp(val, "oblique") == 0;
    }
    return SG_OK;
}

/* Parse LabelPlacement/PointPlacement of TextSymbolizer \p n into \p s. */
static sg_status parse_placement(pstate *ps, const xmlNode *n,
                                 sg__symbolizer *s)
{
    xmlNode *pp = child(child(n, "LabelPlacement"), "PointPlacement");
    if (!pp)
        return SG_OK;
    xmlNode *ap = child(pp, "AnchorPoint"), *dp = child(pp, "Displacement");
    sg_status st = SG_OK;
    s->anchored = 1;
    s->anchor[0] = s->anchor[1] = 0.5;
    if (ap && child(ap, "AnchorPointX"))
        st = num_of(ps, child(ap, "AnchorPointX"), &s->anchor[0]);
    if (st == SG_OK && ap && child(ap, "AnchorPointY"))
        st = num_of(ps, child(ap, "AnchorPointY"), &s->anchor[1]);
    if (st == SG_OK && dp && child(dp, "DisplacementX"))
        st = num_of(ps, child(dp, "DisplacementX"), &s->disp[0]);
    if (st == SG_OK && dp && child(dp, "DisplacementY"))
        st = num_of(ps, child(dp, "DisplacementY"), &s->disp[1]);
    return st;
}

/* Parse a TextSymbolizer \p n into \p s. */
static sg_status parse_text(pstate *ps, const xmlNode *n, sg__symbolizer *s)
{
    s->font_size = 10;
    s->fill = (sg__fill){1, {0, 0, 0, 1}};
    xmlNode *label = child(n, "Label");
    if (!label)
        return style_error(ps, n, "no Label in");
    sg_status st = parse_label(ps, label, &s->label);
    if (st == SG_OK && child(n, "Font"))
        st = each_param(ps, child(n, "Font"), font_param, s);
    xmlNode *halo = child(n, "Halo");
    if (st == SG_OK && halo) {
        s->halo_radius = 1;
        s->halo = (sg__rgba){1, 1, 1, 1};
        if (child(halo, "Radius"))
            st = num_of(ps, child(halo, "Radius"), &s->halo_radius);
        if (st == SG_OK && child(halo, "Fill")) {
            sg__fill hf;
            st = parse_fill(ps, child(halo, "Fill"), &hf);
            s->halo = hf.color;
        }
    }
    if (st == SG_OK && child(n, "Fill"))
        st = parse_fill(ps, child(n, "Fill"), &s->fill);
    if (st == SG_OK && child(n, "Priority"))
        st = num_of(ps, child(n, "Priority"), &s->priority);
    if (st == SG_OK)
        st = parse_placement(ps, n, s);
    return st;
}

/* Parse symbolizer element \p n into \p s (zeroed by the caller).
 * \return SG_OK, SG_ERR_NOT_FOUND if \p n is not a symbolizer, or an
 * error. */
static sg_status parse_symbolizer(pstate *ps, const xmlNode *n,
                                  sg__symbolizer *s)
{
    static const sg__stroke black = {1, {0, 0, 0, 1}, 1, {0}, 0, 0};
    if (is_el(n, "RasterSymbolizer"))
        return style_error(ps, n, "unsupported:");
    if (!is_el(n, "PolygonSymbolizer") && !is_el(n, "LineSymbolizer") &&
        !is_el(n, "PointSymbolizer") && !is_el(n, "TextSymbolizer"))
        return SG_ERR_NOT_FOUND;
    xmlChar *uom = xmlGetProp(n, (const xmlChar *)"uom");
    s->uom_metre = uom && strstr((const char *)uom, "metre") != NULL;
    xmlFree(uom);
    if (is_el(n, "PolygonSymbolizer")) {
        s->type = SG_SYM_POLYGON;
        sg_status st = SG_OK;
        if (child(n, "Fill"))
            st = parse_fill(ps, child(n, "Fill"), &s->fill);
        if (st == SG_OK && child(n, "Stroke"))
            st = parse_stroke(ps, child(n, "Stroke"), &s->stroke);
        xmlNode *po = child(n, "PerpendicularOffset");
        if (st == SG_OK && po)
            st = num_of(ps, po, &s->offset);
        /* outwards would cover the neighbours: what the offset is for
         * is to keep off them */
        if (st == SG_OK && s->offset > 0)
            st = style_error(ps, po,
                             "a positive offset (outwards) is not "
                             "supported:");
        return st;
    }
    if (is_el(n, "LineSymbolizer")) {
        s->type = SG_SYM_LINE;
        if (child(n, "Stroke"))
            return parse_stroke(ps, child(n, "Stroke"), &s->stroke);
        s->stroke = black;
        return SG_OK;
    }
    if (is_el(n, "PointSymbolizer")) {
        s->type = SG_SYM_POINT;
        xmlNode *g = child(n, "Graphic");
        if (!g)
            return style_error(ps, n, "no Graphic in");
        return parse_graphic(ps, g, s);
    }
    s->type = SG_SYM_TEXT;
    return parse_text(ps, n, s);
}

/* Read Title and Abstract of \p n (SLD 1.0: children of \p n; SE 1.1:
 * inside Description) into the owned strings \p title and \p abstract. */
static void read_titles(const xmlNode *n, char **title, char **abstract)
{
    const xmlNode *d = child(n, "Description");
    const xmlNode *src = d ? d : n;
    if (child(src, "Title")) {
        free(*title);
        *title = text_of(child(src, "Title"));
    }
    if (child(src, "Abstract")) {
        free(*abstract);
        *abstract = text_of(child(src, "Abstract"));
    }
}

/* Parse Rule element \p n into \p r (zeroed by the caller; cleaned up by
 * the caller also on failure). */
static sg_status parse_rule(pstate *ps, const xmlNode *n, sg__rule *r)
{
    r->min_scale = 0;
    r->max_scale = INFINITY;
    r->name = text_of(child(n, "Name"));
    read_titles(n, &r->title, &r->abstract);
    sg_status st = SG_OK;
    xmlNode *f = child(n, "Filter");
    if (f) {
        xmlNode *op = next_el(f, NULL);
        if (!op || next_el(f, op))
            st = style_error(ps, f, "needs exactly one operator in");
        else
            st = parse_filter_op(ps, op, &r->filter);
    }
    r->else_filter = child(n, "ElseFilter") != NULL;
    if (st == SG_OK && child(n, "MinScaleDenominator"))
        st = num_of(ps, child(n, "MinScaleDenominator"), &r->min_scale);
    if (st == SG_OK && child(n, "MaxScaleDenominator"))
        st = num_of(ps, child(n, "MaxScaleDenominator"), &r->max_scale);
    for (xmlNode *c = next_el(n, NULL); c && st == SG_OK; c = next_el(n, c)) {
        sg__symbolizer sym;
        memset(&sym, 0, sizeof sym);
        sg_status s2 = parse_symbolizer(ps, c, &sym);
        if (s2 == SG_ERR_NOT_FOUND)
            continue;
        if (s2) {
            sym_cleanup(&sym);
            st = s2;
            break;
        }
        sg__symbolizer *ns = realloc(r->syms, (r->nsyms + 1) * sizeof *ns);
        if (!ns) {
            sym_cleanup(&sym);
            st = sg__error(ps->ctx, SG_ERR_NOMEM, "out of memory");
            break;
        }
        r->syms = ns;
        r->syms[r->nsyms++] = sym;
    }
    if (st == SG_OK && r->nsyms == 0)
        st = style_error(ps, n, "no symbolizer in");
    return st;
}

/* Parse FeatureTypeStyle \p n into \p fts (zeroed by the caller; cleaned
 * up with the style also on failure). */
static sg_status parse_fts(pstate *ps, const xmlNode *n, sg__fts *fts)
{
    sg_status st = SG_OK;
    for (xmlNode *c = next_el(n, NULL); c && st == SG_OK; c = next_el(n, c)) {
        if (!is_el(c, "Rule"))
            continue;
        sg__rule *nr = realloc(fts->rules, (fts->nrules + 1) * sizeof *nr);
        if (!nr)
            return sg__error(ps->ctx, SG_ERR_NOMEM, "out of memory");
        fts->rules = nr;
        memset(&nr[fts->nrules], 0, sizeof *nr);
        st = parse_rule(ps, c, &nr[fts->nrules]);
        fts->nrules++;
    }
    if (st == SG_OK && fts->nrules == 0)
        st = style_error(ps, n, "no Rule in");
    return st;
}

/* Parse the document root \p root into \p s. */
static sg_status parse_root(pstate *ps, const xmlNode *root, sg__style *s)
{
    if (!is_el(root, "StyledLayerDescriptor"))
        return style_error(ps, root,
                           "the root element is not "
                           "StyledLayerDescriptor but");
    xmlNode *nl = child(root, "NamedLayer");
    if (!nl)
        nl = child(root, "UserLayer");
    if (!nl)
        return style_error(ps, root, "no NamedLayer in");
    s->layer_name = text_of(child(nl, "Name"));
    xmlNode *us = child(nl, "UserStyle");
    if (!us)
        return style_error(ps, nl, "no UserStyle in");
    read_titles(us, &s->title, &s->abstract);
    sg_status st = SG_OK;
    for (xmlNode *c = next_el(us, NULL); c && st == SG_OK; c = next_el(us, c)) {
        if (!is_el(c, "FeatureTypeStyle"))
            continue;
        sg__fts *nf = realloc(s->fts, (s->nfts + 1) * sizeof *nf);
        if (!nf)
            return sg__error(ps->ctx, SG_ERR_NOMEM, "out of memory");
        s->fts = nf;
        memset(&nf[s->nfts], 0, sizeof *nf);
        st = parse_fts(ps, c, &nf[s->nfts]);
        s->nfts++;
    }
    if (st == SG_OK && s->nfts == 0)
        st = style_error(ps, us, "no FeatureTypeStyle in");
    return st;
}

sg_status sg__style_parse(sg_ctx *ctx, const char *text, size_t len,
                          const char *source, sg__style **out)
{
    *out = NULL;
    if (!source)
        source = "style";
    if (!text || len == 0 || len > (size_t)0x7fffffff)
        return sg__error(ctx, SG_ERR_IO_FORMAT, "%s: empty style", source);
    xmlParserCtxtPtr pc = xmlNewParserCtxt();
    if (!pc)
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    /* no network, no DTD, no entity expansion, no messages on stderr */
    xmlDocPtr doc = xmlCtxtReadMemory(pc, text, (int)len, source, NULL,
                                      XML_PARSE_NONET | XML_PARSE_NOERROR |
                                          XML_PARSE_NOWARNING);
    if (!doc) {
        const xmlError *e = xmlCtxtGetLastError(pc);
        char msg[256];
        snprintf(msg, sizeof msg, "%s",
                 e && e->message ? e->message : "not XML");
        size_t ml = strlen(msg);
        while (ml && msg[ml - 1] == '\n')
            msg[--ml] = '\0';
        sg_status st = sg__error(ctx, SG_ERR_IO_FORMAT,
                                 "%s, line %d: not well-formed XML: %s", source,
                                 e ? e->line : 0, msg);
        xmlFreeParserCtxt(pc);
        return st;
    }
    sg__style *s = calloc(1, sizeof *s);
    sg_status st = SG_OK;
    if (!s || !(s->source = strdup(source)))
        st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    pstate ps = {ctx, source};
    if (st == SG_OK)
        st = parse_root(&ps, xmlDocGetRootElement(doc), s);
    xmlFreeDoc(doc);
    xmlFreeParserCtxt(pc);
    if (st) {
        sg__style_free(s);
        return st;
    }
    *out = s;
    return SG_OK;
}

/* ---- evaluation
 * ---------------------------------------------------------------- */

/* \return 1 and the number in \p out if \p v is a number or a text that
 * is one. */
static int as_number(const sg__value *v, double *out)
{
    if (v->type == SG_V_NUM) {
        *out = v->num;
        return 1;
    }
    if (v->type == SG_V_TEXT && v->text && *v->text)
        return sg__parse_double(v->text, out);
    return 0;
}

void sg__expr_eval(const sg__expr *e, const sg__attrs *attrs, sg__value *out)
{
    memset(out, 0, sizeof *out);
    if (!e)
        return;
    switch (e->kind) {
    case SG_EX_LITERAL:
        out->type = SG_V_TEXT;
        out->text = e->text;
        return;
    case SG_EX_PROPERTY:
        for (size_t i = 0; attrs && i < attrs->n; i++)
            if (strcmp(attrs->names[i], e->text) == 0) {
                *out = attrs->vals[i];
                return;
            }
        return;
    case SG_EX_CONCAT: return; /* text only: sg__expr_label */
    default: {
        sg__value a, b;
        double x, y;
        sg__expr_eval(e->a, attrs, &a);
        sg__expr_eval(e->b, attrs, &b);
        if (!as_number(&a, &x) || !as_number(&b, &y))
            return;
        double r = e->kind == SG_EX_ADD   ? x + y
                   : e->kind == SG_EX_SUB ? x - y
                   : e->kind == SG_EX_MUL ? x * y
                   : y != 0               ? x / y
                                          : NAN;
        if (isfinite(r)) {
            out->type = SG_V_NUM;
            out->num = r;
        }
        return;
    }
    }
}

/* Append the text of label part \p e for \p attrs to \p b.
 * \return 0 if a property in it is NULL or empty. */
static int label_part(const sg__expr *e, const sg__attrs *attrs, sg__buf *b)
{
    if (e->kind == SG_EX_CONCAT)
        return label_part(e->a, attrs, b) && label_part(e->b, attrs, b);
    sg__value v;
    sg__expr_eval(e, attrs, &v);
    if (v.type == SG_V_NUM) {
        char num[64];
        /* whole numbers as integers; else at most 2 decimals, trimmed */
        sg__fmt_num(num, sizeof num, v.num, v.num == floor(v.num) ? 0 : 2);
        if (strchr(num, '.')) {
            size_t n = strlen(num);
            while (num[n - 1] == '0')
                num[--n] = '\0';
            if (num[n - 1] == '.')
                num[--n] = '\0';
        }
        sg__buf_puts(b, num);
        return 1;
    }
    if (v.type != SG_V_TEXT || !v.text ||
        (e->kind == SG_EX_PROPERTY && !*v.text))
        return 0;
    sg__buf_puts(b, v.text);
    return 1;
}

char *sg__expr_label(const sg__expr *e, const sg__attrs *attrs)
{
    if (!e)
        return NULL;
    sg__buf b = {0};
    if (!label_part(e, attrs, &b) || b.failed || !b.len) {
        free(b.data);
        return NULL;
    }
    return b.data;
}

/* Compare \p a and \p b: numerically when both are numbers, else as text
 * (case-insensitively unless \p match_case). \return 1 and the sign in
 * \p cmp, or 0 when either is NULL. */
static int compare(const sg__value *a, const sg__value *b, int match_case,
                   int *cmp)
{
    if (a->type == SG_V_NULL || b->type == SG_V_NULL)
        return 0;
    double x, y;
    if (as_number(a, &x) && as_number(b, &y)) {
        *cmp = x < y ? -1 : x > y ? 1 : 0;
        return 1;
    }
    char bx[64], by[64];
    const char *sx = a->text, *sy = b->text;
    if (a->type == SG_V_NUM) {
        snprintf(bx, sizeof bx, "%.15g", a->num);
        sx = bx;
    }
    if (b->type == SG_V_NUM) {
        snprintf(by, sizeof by, "%.15g", b->num);
        sy = by;
    }
    int c = match_case ? strcmp(sx, sy) : strcasecmp(sx, sy);
    *cmp = c < 0 ? -1 : c > 0 ? 1 : 0;
    return 1;
}

int sg__filter_eval(const sg__filter *f, const sg__attrs *attrs)
{
    if (!f)
        return 1;
    sg__value a, b, c;
    int x, y;
    switch (f->op) {
    case SG_F_AND:
        for (size_t i = 0; i < f->nkids; i++)
            if (!sg__filter_eval(f->kids[i], attrs))
                return 0;
        return 1;
    case SG_F_OR:
        for (size_t i = 0; i < f->nkids; i++)
            if (sg__filter_eval(f->kids[i], attrs))
                return 1;
        return 0;
    case SG_F_NOT: return !sg__filter_eval(f->kids[0], attrs);
    case SG_F_NULL: sg__expr_eval(f->a, attrs, &a); return a.type == SG_V_NULL;
    case SG_F_BETWEEN:
        sg__expr_eval(f->a, attrs, &a);
        sg__expr_eval(f->b, attrs, &b);
        sg__expr_eval(f->c, attrs, &c);
        return compare(&a, &b, 1, &x) && compare(&a, &c, 1, &y) && x >= 0 &&
               y <= 0;
    default:
        sg__expr_eval(f->a, attrs, &a);
        sg__expr_eval(f->b, attrs, &b);
        if (!compare(&a, &b, f->match_case, &x))
            return 0;
        switch (f->op) {
        case SG_F_EQ: return x == 0;
        case SG_F_NE: return x != 0;
        case SG_F_LT: return x < 0;
        case SG_F_LE: return x <= 0;
        case SG_F_GT: return x > 0;
        case SG_F_GE: return x >= 0;
        default: return 0;
        }
    }
}

int sg__rule_matches(const sg__rule *rule, const sg__attrs *attrs, double scale)
{
    if (rule->else_filter)
        return 0;
    if (!(scale >= rule->min_scale && scale < rule->max_scale))
        return 0;
    return sg__filter_eval(rule->filter, attrs);
}

size_t sg__fts_match(const sg__fts *fts, const sg__attrs *attrs, double scale,
                     size_t *idx, size_t cap)
{
    size_t n = 0;
    int any = 0;
    for (size_t i = 0; i < fts->nrules; i++)
        if (sg__rule_matches(&fts->rules[i], attrs, scale)) {
            any = 1;
            if (n < cap)
                idx[n++] = i;
        }
    if (any)
        return n;
    for (size_t i = 0; i < fts->nrules; i++) {
        const sg__rule *r = &fts->rules[i];
        if (r->else_filter && scale >= r->min_scale && scale < r->max_scale &&
            n < cap)
            idx[n++] = i;
    }
    return n;
}

/* Call \p fn for each property in expression \p e. */
static void expr_props(const sg__expr *e, void (*fn)(const char *, void *),
                       void *user)
{
    if (!e)
        return;
    if (e->kind == SG_EX_PROPERTY)
        fn(e->text, user);
    expr_props(e->a, fn, user);
    expr_props(e->b, fn, user);
}

/* Call \p fn for each property in filter \p f. */
static void filter_props(const sg__filter *f, void (*fn)(const char *, void *),
                         void *user)
{
    if (!f)
        return;
    expr_props(f->a, fn, user);
    expr_props(f->b, fn, user);
    expr_props(f->c, fn, user);
    for (size_t i = 0; i < f->nkids; i++)
        filter_props(f->kids[i], fn, user);
}

void sg__style_properties(const sg__style *s, unsigned which,
                          void (*fn)(const char *name, void *user), void *user)
{
    for (size_t i = 0; s && i < s->nfts; i++)
        for (size_t j = 0; j < s->fts[i].nrules; j++) {
            const sg__rule *r = &s->fts[i].rules[j];
            if (which & SG_PROPS_FILTERS)
                filter_props(r->filter, fn, user);
            for (size_t k = 0; (which & SG_PROPS_VALUES) && k < r->nsyms; k++) {
                expr_props(r->syms[k].size, fn, user);
                expr_props(r->syms[k].label, fn, user);
            }
        }
}

int sg__style_has_symbolizer(const sg__style *s, sg__sym_type type)
{
    for (size_t i = 0; s && i < s->nfts; i++)
        for (size_t j = 0; j < s->fts[i].nrules; j++)
            for (size_t k = 0; k < s->fts[i].rules[j].nsyms; k++)
                if (s->fts[i].rules[j].syms[k].type == type)
                    return 1;
    return 0;
}

/* ---- built-in styles
 * ------------------------------------------------------------ */

const char *sg__style_builtin_text(const char *name)
{
    for (size_t i = 0; name && i < sg__style_file_count; i++)
        if (sg__style_files[i].name &&
            strcmp(sg__style_files[i].name, name) == 0)
            return sg__style_files[i].text;
    return NULL;
}

sg_status sg__style_builtin(sg_ctx *ctx, const char *name, sg__style **out)
{
    *out = NULL;
    for (size_t i = 0; name && i < sg__style_file_count; i++) {
        const sg__style_file *f = &sg__style_files[i];
        if (!f->name || strcmp(f->name, name) != 0)
            continue;
        char src[128];
        snprintf(src, sizeof src, "styles/%s.sld", name);
        return sg__style_parse(ctx, f->text, f->len, src, out);
    }
    return sg__error(ctx, SG_ERR_NOT_FOUND, "no built-in style '%s'",
                     name ? name : "");
}

sg_status sg_style_sld_for_layer(sg_ctx *ctx, const char *layer,
                                 const char **text)
{
    *text = sg__style_builtin_text(layer);
    if (!*text)
        return sg__error(ctx, SG_ERR_NOT_FOUND,
                         "no built-in style for layer '%s'",
                         layer ? layer : "");
    return SG_OK;
}

char *sg__sidecar_path(sg_ctx *ctx, const char *out, const char *ext)
{
    if (!out || !*out) {
        sg__error(ctx, SG_ERR_USAGE, "no output path for the style");
        return NULL;
    }
    const char *slash = strrchr(out, '/');
    const char *dot = strrchr(out, '.');
    size_t stem =
        dot && (!slash || dot > slash + 1) ? (size_t)(dot - out) : strlen(out);
    char *path = sg__aprintf("%.*s%s", (int)stem, out, ext);
    if (!path)
        sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    return path;
}

sg_status sg_style_write_sidecar(sg_ctx *ctx, const char *layer,
                                 const char *out, int *written)
{
    if (written)
        *written = 0;
    const char *text = sg__style_builtin_text(layer);
    if (!text)
        return SG_OK;
    char *path = sg__sidecar_path(ctx, out, ".sld");
    if (!path)
        return sg_ctx_status(ctx);
    sg_status st = sg__write_file_atomic(ctx, NULL, path, text, strlen(text));
    if (st == SG_OK && written)
        *written = 1;
    free(path);
    return st;
}
