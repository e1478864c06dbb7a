/* Unit tests of the QGIS layer styles (src/render/qml.c): every built-in
 * style written as .qml and read back with libxml2 (XPath), its rules,
 * filters, scale ranges, colours and labels checked against the parsed
 * SLD; every filter operator as an exact QGIS expression (quoting, NULL
 * semantics under NOT, ElseFilter written out where QGIS's ELSE would
 * mean something else); symbols (metre units, dashes, marks on polygons,
 * sizes from expressions, symbol levels for several FeatureTypeStyles);
 * label placement; XML escaping; the locale; the public API and sidecar.
 * Not for: loading in QGIS itself (tests/cli/export_qml.sh does that when
 * PyQGIS is installed) or the SLD parser (test_style.c).
 * SPDX-License-Identifier: MIT */
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <libxml/parser.h>
#include <libxml/xpath.h>

#include "core/ctx_int.h"
#include "helpers.h"
#include "render/style_int.h"
#include "sanigrid/render.h"

static sg_ctx *ctx;

static int group_setup(void **state)
{
    (void)state;
    sg_library_init();
    ctx = sg_ctx_new();
    return ctx ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    sg_ctx_free(ctx);
    sg_library_shutdown();
    return 0;
}

/* ---- helpers ------------------------------------------------------------- */

/* An SE 1.1 document around \p body: the inside of one FeatureTypeStyle
 * (close and reopen it for more). Caller frees. */
static char *se_doc(const char *body)
{
    static const char head[] =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<StyledLayerDescriptor version=\"1.1.0\" "
        "xmlns=\"http://www.opengis.net/sld\" "
        "xmlns:se=\"http://www.opengis.net/se\" "
        "xmlns:ogc=\"http://www.opengis.net/ogc\">"
        "<NamedLayer><se:Name>t</se:Name><UserStyle><se:Name>t</se:Name>"
        "<se:FeatureTypeStyle>";
    static const char tail[] = "</se:FeatureTypeStyle></UserStyle></NamedLayer>"
                               "</StyledLayerDescriptor>";
    size_t n = strlen(head) + strlen(body) + strlen(tail) + 1;
    char *d = malloc(n);
    assert_non_null(d);
    snprintf(d, n, "%s%s%s", head, body, tail);
    return d;
}

/* Parse SLD \p text, write it as QML and parse that. Caller frees the
 * document with xmlFreeDoc. */
static xmlDocPtr qml_of_text(const char *text)
{
    sg__style *s = NULL;
    assert_sg_status(ctx, sg__style_parse(ctx, text, strlen(text), "t.sld", &s),
                     SG_OK);
    char *q = NULL;
    size_t len = 0;
    assert_sg_status(ctx, sg__style_to_qml(ctx, s, NULL, &q, &len), SG_OK);
    assert_non_null(q);
    assert_int_equal(strlen(q), len);
    xmlDocPtr doc = xmlReadMemory(q, (int)len, "t.qml", NULL,
                                  XML_PARSE_NONET | XML_PARSE_NOERROR |
                                      XML_PARSE_NOWARNING);
    if (!doc)
        fail_msg("not well-formed XML:\n%s", q);
    free(q);
    sg__style_free(s);
    return doc;
}

/* qml_of_text of se_doc(\p body). */
static xmlDocPtr qml_of(const char *body)
{
    char *d = se_doc(body);
    xmlDocPtr doc = qml_of_text(d);
    free(d);
    return doc;
}

/* The XPath \p expr's string value (e.g. "string(//rule[1]/@filter)") in
 * a static buffer (rotating among 4). */
static const char *xs(xmlDocPtr doc, const char *expr)
{
    static char bufs[4][2048];
    static int next;
    char *buf = bufs[next++ % 4];
    xmlXPathContextPtr xc = xmlXPathNewContext(doc);
    assert_non_null(xc);
    xmlXPathObjectPtr o = xmlXPathEvalExpression(BAD_CAST expr, xc);
    if (!o)
        fail_msg("bad XPath %s", expr);
    xmlChar *v = xmlXPathCastToString(o);
    snprintf(buf, sizeof bufs[0], "%s", v ? (const char *)v : "");
    xmlFree(v);
    xmlXPathFreeObject(o);
    xmlXPathFreeContext(xc);
    return buf;
}

/* The XPath \p expr's number value (e.g. "count(//rule)"). */
static double xn(xmlDocPtr doc, const char *expr)
{
    xmlXPathContextPtr xc = xmlXPathNewContext(doc);
    assert_non_null(xc);
    xmlXPathObjectPtr o = xmlXPathEvalExpression(BAD_CAST expr, xc);
    if (!o)
        fail_msg("bad XPath %s", expr);
    double v = xmlXPathCastToNumber(o);
    xmlXPathFreeObject(o);
    xmlXPathFreeContext(xc);
    return v;
}

/* The value of symbol-layer option \p name of layer \p nlayer (1-based)
 * of renderer symbol \p sym, e.g. opt(doc, "0", 1, "color"). */
static const char *opt(xmlDocPtr doc, const char *sym, int nlayer,
                       const char *name)
{
    char expr[256];
    snprintf(expr, sizeof expr,
             "string(/qgis/renderer-v2/symbols/symbol[@name='%s']/layer[%d]"
             "/Option/Option[@name='%s']/@value)",
             sym, nlayer, name);
    return xs(doc, expr);
}

/* The filter of the \p n-th (1-based) renderer rule that draws. */
static const char *rfilter(xmlDocPtr doc, int n)
{
    char expr[128];
    snprintf(expr, sizeof expr,
             "string((/qgis/renderer-v2/rules//rule[@symbol])[%d]/@filter)", n);
    return xs(doc, expr);
}

/* \p c as QGIS's "r,g,b,a", computed here independently of qml.c. */
static const char *rgba(const sg__rgba *c, int alpha)
{
    static char bufs[4][32];
    static int next;
    char *buf = bufs[next++ % 4];
    snprintf(buf, sizeof bufs[0], "%d,%d,%d,%d", (int)(c->r * 255 + 0.5),
             (int)(c->g * 255 + 0.5), (int)(c->b * 255 + 0.5),
             alpha ? (int)(c->a * 255 + 0.5) : 255);
    return buf;
}

/* A LineSymbolizer rule with filter \p filter (the inside of ogc:Filter). */
#define LRULE(filter)                                                          \
    "<se:Rule><ogc:Filter>" filter "</ogc:Filter><se:LineSymbolizer>"          \
    "<se:Stroke/></se:LineSymbolizer></se:Rule>"
#define P(name) "<ogc:PropertyName>" name "</ogc:PropertyName>"
#define L(text) "<ogc:Literal>" text "</ogc:Literal>"

/* ---- the built-in styles ------------------------------------------------- */

/* The layer geometry each built-in style is for (QGIS symbols must match
 * it): the store's geometry type of the layer it styles. */
static const char *builtin_symbol_type(const char *name)
{
    static const struct {
        const char *name, *type;
    } t[] = {
        {"blind_spots", "fill"},
        {"cleaner_roads", "line"},
        {"cleaners", "marker"},
        {"coverage", "marker"},
        {"coverage_villages", "fill"},
        {"divisions", "fill"},
        {"grid_gaps", "fill"},
        {"grid_no_leader", "fill"},
        {"grid_overlaps", "fill"},
        {"grids", "fill"},
        {"grids_existing", "fill"},
        {"households", "marker"},
        {"planned_grids", "fill"},
        {"points", "marker"},
        {"rankings", "fill"},
        {"roads", "line"},
        {"service_areas", "fill"},
        {"service_radius", "marker"},
        {"site_proposals", "marker"},
        {"staffing", "fill"},
        {"routes", "line"},
        {"route_stops", "marker"},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (!strcmp(t[i].name, name))
            return t[i].type;
    return NULL;
}

/* Append to \p out the property names and literals of filter \p f. */
static void filter_terms(const sg__expr *e, char *out, size_t size)
{
    if (!e)
        return;
    if (e->kind == SG_EX_PROPERTY || e->kind == SG_EX_LITERAL) {
        size_t n = strlen(out);
        snprintf(out + n, size - n, "%s%s%s\n",
                 e->kind == SG_EX_PROPERTY ? "\"" : "", e->text,
                 e->kind == SG_EX_PROPERTY ? "\"" : "");
    }
    filter_terms(e->a, out, size);
    filter_terms(e->b, out, size);
}

static void filter_all_terms(const sg__filter *f, char *out, size_t size)
{
    if (!f)
        return;
    filter_terms(f->a, out, size);
    filter_terms(f->b, out, size);
    filter_terms(f->c, out, size);
    for (size_t i = 0; i < f->nkids; i++)
        filter_all_terms(f->kids[i], out, size);
}

/* Check renderer rule \p k (1-based) and its symbol against SLD rule \p r:
 * legend text, filter terms, scale range, colours. \p native: an
 * ElseFilter is QGIS's ELSE (every sibling draws), else written out. */
static void check_rule(xmlDocPtr doc, const char *style, int k,
                       const sg__rule *r, int native)
{
    char expr[256];
    snprintf(expr, sizeof expr, "(/qgis/renderer-v2/rules//rule[@symbol])[%d]",
             k);
    char sub[320];
    snprintf(sub, sizeof sub, "string(%s/@label)", expr);
    assert_string_equal(xs(doc, sub), r->title ? r->title : r->name);
    const char *filter = rfilter(doc, k);
    if (r->else_filter && native) {
        assert_string_equal(filter, "ELSE");
    } else if (r->else_filter) {
        assert_true(strncmp(filter, "NOT coalesce(", 13) == 0);
    } else if (!r->filter) {
        assert_string_equal(filter, "");
    } else {
        char terms[1024] = "";
        filter_all_terms(r->filter, terms, sizeof terms);
        for (char *t = strtok(terms, "\n"); t; t = strtok(NULL, "\n")) {
            double d;
            if (t[0] == '"' || !sg__parse_double(t, &d)) {
                char quoted[256];
                snprintf(quoted, sizeof quoted, t[0] == '"' ? "%s" : "'%s'", t);
                if (!strstr(filter, quoted))
                    fail_msg("%s rule %d: filter %s lacks %s", style, k, filter,
                             quoted);
            } else if (!strstr(filter, t)) {
                fail_msg("%s rule %d: filter %s lacks %s", style, k, filter, t);
            }
        }
    }
    snprintf(sub, sizeof sub, "string(%s/@scalemaxdenom)", expr);
    if (isfinite(r->max_scale))
        assert_true(fabs(atof(xs(doc, sub)) - r->max_scale) < 1e-6);
    else
        assert_string_equal(xs(doc, sub), "");
    snprintf(sub, sizeof sub, "string(%s/@scalemindenom)", expr);
    if (r->min_scale > 0)
        assert_true(fabs(atof(xs(doc, sub)) - r->min_scale) < 1e-6);
    else
        assert_string_equal(xs(doc, sub), "");
    /* every colour of the rule's symbolizers is in its symbol */
    snprintf(sub, sizeof sub, "string(%s/@symbol)", expr);
    char sym[16];
    snprintf(sym, sizeof sym, "%s", xs(doc, sub));
    for (size_t i = 0; i < r->nsyms; i++) {
        const sg__symbolizer *s = &r->syms[i];
        if (s->type == SG_SYM_TEXT)
            continue;
        const sg__rgba *cols[2] = {s->fill.on ? &s->fill.color : NULL,
                                   s->stroke.on ? &s->stroke.color : NULL};
        for (int c = 0; c < 2; c++) {
            if (!cols[c] || (c == 0 && s->type == SG_SYM_LINE))
                continue;
            snprintf(expr, sizeof expr,
                     "count(/qgis/renderer-v2/symbols/symbol[@name='%s']//"
                     "Option[(@name='color' or @name='outline_color' or "
                     "@name='line_color') and @value='%s'])",
                     sym, rgba(cols[c], 1));
            if (xn(doc, expr) < 1)
                fail_msg("%s rule %d: no colour %s in symbol %s", style, k,
                         rgba(cols[c], 1), sym);
        }
    }
}

/* Every built-in style: well-formed, a rule-based renderer with one rule
 * per SLD rule that draws (in order, legend text = Title, the filter's
 * fields and literals, scale range, colours), symbols of the layer's
 * geometry, and a label rule per text symbolizer with its field, font
 * size and colour. */
static void test_builtin_styles(void **state)
{
    (void)state;
    assert_true(sg__style_file_count >= 18);
    for (size_t i = 0; i < sg__style_file_count; i++) {
        const sg__style_file *f = &sg__style_files[i];
        xmlDocPtr doc = qml_of_text(f->text);
        sg__style *s = NULL;
        assert_sg_status(ctx, sg__style_builtin(ctx, f->name, &s), SG_OK);
        assert_string_equal(xs(doc, "name(/*)"), "qgis");
        assert_string_equal(xs(doc, "string(/qgis/renderer-v2/@type)"),
                            "RuleRenderer");
        const char *want = builtin_symbol_type(f->name);
        if (!want)
            fail_msg("new style %s: add it to builtin_symbol_type", f->name);
        int k = 0, ntext = 0;
        for (size_t j = 0; j < s->nfts; j++) {
            int native = 1;
            for (size_t r = 0; r < s->fts[j].nrules; r++) {
                const sg__rule *rule = &s->fts[j].rules[r];
                int draws = 0;
                for (size_t y = 0; y < rule->nsyms; y++)
                    draws |= rule->syms[y].type != SG_SYM_TEXT;
                native &= draws || rule->else_filter;
            }
            for (size_t r = 0; r < s->fts[j].nrules; r++) {
                const sg__rule *rule = &s->fts[j].rules[r];
                int draws = 0;
                for (size_t y = 0; y < rule->nsyms; y++) {
                    draws |= rule->syms[y].type != SG_SYM_TEXT;
                    ntext += rule->syms[y].type == SG_SYM_TEXT;
                }
                if (draws)
                    check_rule(doc, f->name, ++k, rule, native);
            }
        }
        assert_int_equal(
            xn(doc, "count(/qgis/renderer-v2/rules//rule[@symbol])"), k);
        assert_int_equal(xn(doc, "count(/qgis/renderer-v2/symbols/symbol)"), k);
        char expr[160];
        snprintf(expr, sizeof expr,
                 "count(/qgis/renderer-v2/symbols/symbol[@type!='%s'])", want);
        if (xn(doc, expr) != 0)
            fail_msg("%s: a symbol is not of type %s", f->name, want);
        /* several FeatureTypeStyles: each its own symbol level */
        assert_string_equal(xs(doc, "string(/qgis/renderer-v2/@symbollevels)"),
                            s->nfts > 1 ? "1" : "0");
        assert_string_equal(xs(doc, "string(/qgis/@labelsEnabled)"),
                            ntext ? "1" : "0");
        assert_int_equal(
            xn(doc, "count(/qgis/labeling[@type='rule-based']/rules/rule)"),
            ntext);
        int t = 0;
        for (size_t j = 0; j < s->nfts; j++)
            for (size_t r = 0; r < s->fts[j].nrules; r++)
                for (size_t y = 0; y < s->fts[j].rules[r].nsyms; y++) {
                    const sg__symbolizer *ts = &s->fts[j].rules[r].syms[y];
                    if (ts->type != SG_SYM_TEXT)
                        continue;
                    char base[128];
                    snprintf(base, sizeof base,
                             "/qgis/labeling/rules/rule[%d]/settings/"
                             "text-style",
                             ++t);
                    snprintf(expr, sizeof expr, "string(%s/@fieldName)", base);
                    if (ts->label->kind == SG_EX_CONCAT ||
                        ts->label->kind == SG_EX_LITERAL) {
                        /* mixed content: a QGIS expression joining with ||;
                         * a literal: a quoted string */
                        assert_non_null(strstr(
                            xs(doc, expr),
                            ts->label->kind == SG_EX_CONCAT ? " || " : "'"));
                        snprintf(expr, sizeof expr, "string(%s/@isExpression)",
                                 base);
                        assert_string_equal(xs(doc, expr), "1");
                    } else {
                        assert_int_equal(ts->label->kind, SG_EX_PROPERTY);
                        assert_string_equal(xs(doc, expr), ts->label->text);
                    }
                    snprintf(expr, sizeof expr, "string(%s/@textColor)", base);
                    assert_string_equal(xs(doc, expr),
                                        rgba(&ts->fill.color, 0));
                    snprintf(expr, sizeof expr, "number(%s/@fontSize)", base);
                    assert_true(fabs(xn(doc, expr) - ts->font_size * 0.75) <
                                1e-5);
                    snprintf(expr, sizeof expr,
                             "string(%s/text-buffer/@bufferDraw)", base);
                    assert_string_equal(xs(doc, expr),
                                        ts->halo_radius > 0 ? "1" : "0");
                }
        sg__style_free(s);
        xmlFreeDoc(doc);
    }
}

/* ---- filters ------------------------------------------------------------- */

/* Every operator of the subset as the exact QGIS expression. */
static void test_filters(void **state)
{
    (void)state;
    /* clang-format off */
    static const struct {
        const char *sld, *qgis;
    } cases[] = {
        {"<ogc:PropertyIsEqualTo>" P("kind") L("bin")
         "</ogc:PropertyIsEqualTo>",
         "(\"kind\" = 'bin')"},
        {"<ogc:PropertyIsEqualTo matchCase=\"false\">" P("kind") L("Bin")
         "</ogc:PropertyIsEqualTo>",
         "(lower(\"kind\") = lower('Bin'))"},
        /* a number never needs case folding */
        {"<ogc:PropertyIsNotEqualTo matchCase=\"false\">" P("n") L("3")
         "</ogc:PropertyIsNotEqualTo>",
         "(\"n\" <> 3)"},
        {"<ogc:PropertyIsLessThan>" P("n") L("2.5") "</ogc:PropertyIsLessThan>",
         "(\"n\" < 2.5)"},
        {"<ogc:PropertyIsLessThanOrEqualTo>" P("n") L("-1")
         "</ogc:PropertyIsLessThanOrEqualTo>",
         "(\"n\" <= -1)"},
        {"<ogc:PropertyIsGreaterThan>" P("n") L("1e-7")
         "</ogc:PropertyIsGreaterThan>",
         "(\"n\" > 1e-07)"},
        {"<ogc:PropertyIsGreaterThanOrEqualTo>" P("n") L("95")
         "</ogc:PropertyIsGreaterThanOrEqualTo>",
         "(\"n\" >= 95)"},
        {"<ogc:PropertyIsBetween>" P("n")
         "<ogc:LowerBoundary>" L("1") "</ogc:LowerBoundary>"
         "<ogc:UpperBoundary>" L("10") "</ogc:UpperBoundary>"
         "</ogc:PropertyIsBetween>",
         "(\"n\" >= 1 AND \"n\" <= 10)"},
        {"<ogc:PropertyIsNull>" P("n") "</ogc:PropertyIsNull>",
         "(\"n\" IS NULL)"},
        /* our comparison with NULL is false, QGIS's NULL: NOT differs */
        {"<ogc:Not><ogc:PropertyIsEqualTo>" P("kind") L("bin")
         "</ogc:PropertyIsEqualTo></ogc:Not>",
         "(NOT coalesce((\"kind\" = 'bin'), FALSE))"},
        {"<ogc:Not><ogc:PropertyIsNull>" P("n")
         "</ogc:PropertyIsNull></ogc:Not>",
         "(NOT (\"n\" IS NULL))"},
        {"<ogc:And>"
         "<ogc:PropertyIsEqualTo>" P("kind") L("bin") "</ogc:PropertyIsEqualTo>"
         "<ogc:Or>"
         "<ogc:PropertyIsLessThan>" P("n") L("1") "</ogc:PropertyIsLessThan>"
         "<ogc:PropertyIsGreaterThan>" P("n") L("5")
         "</ogc:PropertyIsGreaterThan>"
         "</ogc:Or></ogc:And>",
         "((\"kind\" = 'bin') AND ((\"n\" < 1) OR (\"n\" > 5)))"},
        {"<ogc:PropertyIsGreaterThan>"
         "<ogc:Mul>" P("n") L("2") "</ogc:Mul>"
         "<ogc:Add>" P("m") L("1") "</ogc:Add>"
         "</ogc:PropertyIsGreaterThan>",
         "((\"n\" * 2) > (\"m\" + 1))"},
        {"<ogc:PropertyIsLessThan>"
         "<ogc:Div>" P("a") P("b") "</ogc:Div>"
         "<ogc:Sub>" L("1") L("0.25") "</ogc:Sub>"
         "</ogc:PropertyIsLessThan>",
         "((\"a\" / \"b\") < (1 - 0.25))"},
        /* QgsExpression quoting: "" in a field, '' and \\ in a string */
        {"<ogc:PropertyIsEqualTo>" P("a\"b") L("it's \\ &lt;x&gt;")
         "</ogc:PropertyIsEqualTo>",
         "(\"a\"\"b\" = 'it''s \\\\ <x>')"},
        {"<ogc:PropertyIsEqualTo>" P("名称") L("垃圾收集点")
         "</ogc:PropertyIsEqualTo>",
         "(\"名称\" = '垃圾收集点')"},
    };
    /* clang-format on */
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char body[2048];
        snprintf(body, sizeof body,
                 "<se:Rule><ogc:Filter>%s</ogc:Filter><se:LineSymbolizer>"
                 "<se:Stroke/></se:LineSymbolizer></se:Rule>",
                 cases[i].sld);
        xmlDocPtr doc = qml_of(body);
        if (strcmp(rfilter(doc, 1), cases[i].qgis) != 0)
            fail_msg("case %zu: got %s, want %s", i, rfilter(doc, 1),
                     cases[i].qgis);
        xmlFreeDoc(doc);
    }
}

/* Scale ranges become scalemindenom/scalemaxdenom; an ElseFilter is
 * QGIS's ELSE when every other rule of its FeatureTypeStyle is a renderer
 * rule, else (a label-only sibling) it is written out with the siblings'
 * filters and scale ranges; label rules always write it out. */
static void test_scale_and_else(void **state)
{
    (void)state;
    /* clang-format off */
    xmlDocPtr doc = qml_of(
        "<se:Rule>"
        "<se:MinScaleDenominator>1000</se:MinScaleDenominator>"
        "<se:MaxScaleDenominator>60000</se:MaxScaleDenominator>"
        "<se:LineSymbolizer><se:Stroke/></se:LineSymbolizer></se:Rule>"
        "<se:Rule><se:ElseFilter/>"
        "<se:LineSymbolizer><se:Stroke/></se:LineSymbolizer></se:Rule>");
    /* clang-format on */
    assert_string_equal(
        xs(doc, "string(//renderer-v2/rules/rule[1]/@scalemindenom)"), "1000");
    assert_string_equal(
        xs(doc, "string(//renderer-v2/rules/rule[1]/@scalemaxdenom)"), "60000");
    assert_string_equal(rfilter(doc, 1), "");
    assert_string_equal(rfilter(doc, 2), "ELSE");
    assert_string_equal(xs(doc, "string(/qgis/@labelsEnabled)"), "0");
    assert_int_equal(xn(doc, "count(//labeling)"), 0);
    xmlFreeDoc(doc);

    /* clang-format off */
    doc = qml_of(
        "<se:Rule><se:Name>a</se:Name>"
        "<ogc:Filter><ogc:PropertyIsEqualTo>" P("k") L("a")
        "</ogc:PropertyIsEqualTo></ogc:Filter>"
        "<se:LineSymbolizer><se:Stroke/></se:LineSymbolizer></se:Rule>"
        "<se:Rule><se:Name>lbl</se:Name>"
        "<ogc:Filter><ogc:PropertyIsEqualTo>" P("k") L("b")
        "</ogc:PropertyIsEqualTo></ogc:Filter>"
        "<se:MaxScaleDenominator>30000</se:MaxScaleDenominator>"
        "<se:TextSymbolizer><se:Label>" P("name") "</se:Label>"
        "</se:TextSymbolizer></se:Rule>"
        "<se:Rule><se:Name>else</se:Name><se:ElseFilter/>"
        "<se:LineSymbolizer><se:Stroke/></se:LineSymbolizer>"
        "<se:TextSymbolizer><se:Label>" P("name") "</se:Label>"
        "</se:TextSymbolizer></se:Rule>");
    /* clang-format on */
    assert_int_equal(xn(doc, "count(//renderer-v2//rule[@symbol])"), 2);
    const char *want = "NOT coalesce((\"k\" = 'a') OR ((\"k\" = 'b') AND "
                       "@map_scale < 30000), FALSE)";
    assert_string_equal(rfilter(doc, 2), want);
    assert_int_equal(xn(doc, "count(//labeling/rules/rule)"), 2);
    assert_string_equal(xs(doc, "string(//labeling/rules/rule[1]/@filter)"),
                        "(\"k\" = 'b')");
    assert_string_equal(
        xs(doc, "string(//labeling/rules/rule[1]/@scalemaxdenom)"), "30000");
    assert_string_equal(xs(doc, "string(//labeling/rules/rule[2]/@filter)"),
                        want);
    assert_string_equal(xs(doc, "string(/qgis/@labelsEnabled)"), "1");
    /* no Title: the rule's Name is the legend text */
    assert_string_equal(
        xs(doc, "string((//renderer-v2//rule[@symbol])[2]/@label)"), "else");
    xmlFreeDoc(doc);
}

/* ---- symbols ------------------------------------------------------------- */

#define SVG(n, v) "<se:SvgParameter name=\"" n "\">" v "</se:SvgParameter>"

/* Polygons: fill and outline in one SimpleFill with widths in mm; a
 * dashed outline as a SimpleLine with a custom dash; opacity in alpha;
 * round joins and caps; a mark on a polygon as a CentroidFill. */
static void test_polygon_symbols(void **state)
{
    (void)state;
    /* clang-format off */
    xmlDocPtr doc = qml_of(
        "<se:Rule><se:PolygonSymbolizer>"
        "<se:Fill>" SVG("fill", "#ff0000") SVG("fill-opacity", "0.5")
        "</se:Fill>"
        "<se:Stroke>" SVG("stroke", "#0000ff") SVG("stroke-width", "96")
        SVG("stroke-linejoin", "round") "</se:Stroke>"
        "</se:PolygonSymbolizer></se:Rule>"
        "<se:Rule><se:PolygonSymbolizer>"
        "<se:Stroke>" SVG("stroke", "#00ff00") SVG("stroke-width", "1.4")
        SVG("stroke-dasharray", "7 3") "</se:Stroke>"
        "</se:PolygonSymbolizer>"
        "<se:PointSymbolizer><se:Graphic><se:Mark>"
        "<se:WellKnownName>x</se:WellKnownName></se:Mark>"
        "<se:Size>12</se:Size></se:Graphic></se:PointSymbolizer></se:Rule>");
    /* clang-format on */
    assert_string_equal(xs(doc, "string(//symbols/symbol[1]/@type)"), "fill");
    assert_string_equal(xs(doc, "string(//symbol[@name='0']/layer/@class)"),
                        "SimpleFill");
    assert_string_equal(opt(doc, "0", 1, "color"), "255,0,0,128");
    assert_string_equal(opt(doc, "0", 1, "style"), "solid");
    assert_string_equal(opt(doc, "0", 1, "outline_color"), "0,0,255,255");
    assert_string_equal(opt(doc, "0", 1, "outline_style"), "solid");
    /* 96 px at 96 dpi = 25.4 mm */
    assert_string_equal(opt(doc, "0", 1, "outline_width"), "25.4");
    assert_string_equal(opt(doc, "0", 1, "outline_width_unit"), "MM");
    assert_string_equal(opt(doc, "0", 1, "joinstyle"), "round");
    /* the older <prop> list says the same */
    assert_string_equal(
        xs(doc, "string(//symbol[@name='0']/layer/prop[@k='color']/@v)"),
        "255,0,0,128");
    /* unfilled with a dashed outline: a SimpleLine only, then the mark */
    assert_int_equal(xn(doc, "count(//symbol[@name='1']/layer)"), 2);
    assert_string_equal(xs(doc, "string(//symbol[@name='1']/layer[1]/@class)"),
                        "SimpleLine");
    assert_string_equal(opt(doc, "1", 1, "use_custom_dash"), "1");
    assert_string_equal(opt(doc, "1", 1, "customdash"), "1.852083;0.79375");
    assert_string_equal(opt(doc, "1", 1, "customdash_unit"), "MM");
    assert_string_equal(opt(doc, "1", 1, "line_color"), "0,255,0,255");
    assert_string_equal(opt(doc, "1", 1, "capstyle"), "flat");
    assert_string_equal(xs(doc, "string(//symbol[@name='1']/layer[2]/@class)"),
                        "CentroidFill");
    assert_string_equal(opt(doc, "1", 2, "point_on_surface"), "1");
    const char *sub = "//symbol[@name='1']/layer[2]/symbol[@type='marker']"
                      "/layer[@class='SimpleMarker']";
    char expr[256];
    snprintf(expr, sizeof expr, "string(%s/Option/Option[@name='name']/@value)",
             sub);
    assert_string_equal(xs(doc, expr), "cross2");
    snprintf(expr, sizeof expr, "string(%s/Option/Option[@name='size']/@value)",
             sub);
    assert_string_equal(xs(doc, expr), "3.175");
    xmlFreeDoc(doc);
}

/* Lines and points: widths, dashes, caps; marks by name, size in mm or
 * from an expression; metre units with the pixel limits we draw outlines
 * with; a mark on a line at its middle. */
static void test_line_point_symbols(void **state)
{
    (void)state;
    /* clang-format off */
    xmlDocPtr doc = qml_of(
        "<se:Rule><se:LineSymbolizer>"
        "<se:Stroke>" SVG("stroke", "#123456") SVG("stroke-opacity", "0.4")
        SVG("stroke-width", "3.2") SVG("stroke-linecap", "round")
        "</se:Stroke></se:LineSymbolizer>"
        "<se:PointSymbolizer><se:Graphic><se:Mark>"
        "<se:WellKnownName>star</se:WellKnownName></se:Mark></se:Graphic>"
        "</se:PointSymbolizer></se:Rule>");
    /* clang-format on */
    assert_string_equal(xs(doc, "string(//symbols/symbol[1]/@type)"), "line");
    assert_string_equal(opt(doc, "0", 1, "line_color"), "18,52,86,102");
    assert_string_equal(opt(doc, "0", 1, "line_width"), "0.846667");
    assert_string_equal(opt(doc, "0", 1, "capstyle"), "round");
    assert_string_equal(opt(doc, "0", 1, "joinstyle"), "round");
    assert_string_equal(opt(doc, "0", 1, "use_custom_dash"), "0");
    assert_string_equal(xs(doc, "string(//symbol[@name='0']/layer[2]/@class)"),
                        "MarkerLine");
    assert_string_equal(opt(doc, "0", 2, "placement"), "centralpoint");
    xmlFreeDoc(doc);

    /* clang-format off */
    doc = qml_of(
        "<se:Rule><se:PointSymbolizer><se:Graphic><se:Mark>"
        "<se:WellKnownName>triangle</se:WellKnownName>"
        "<se:Fill>" SVG("fill", "#6d4c41") "</se:Fill>"
        "<se:Stroke>" SVG("stroke", "#fff") SVG("stroke-width", "1.4")
        "</se:Stroke></se:Mark>"
        "<se:Size>14</se:Size></se:Graphic></se:PointSymbolizer></se:Rule>"
        "<se:Rule><se:PointSymbolizer "
        "uom=\"http://www.opengeospatial.org/se/units/metre\">"
        "<se:Graphic><se:Mark>"
        "<se:WellKnownName>circle</se:WellKnownName>"
        "<se:Stroke>" SVG("stroke", "#1b7a34") SVG("stroke-width", "4")
        SVG("stroke-dasharray", "24 14") "</se:Stroke></se:Mark>"
        "<se:Size><ogc:Mul>" P("radius_m") L("2") "</ogc:Mul></se:Size>"
        "</se:Graphic></se:PointSymbolizer></se:Rule>");
    /* clang-format on */
    assert_string_equal(xs(doc, "string(//symbols/symbol[1]/@type)"), "marker");
    assert_string_equal(opt(doc, "0", 1, "name"), "triangle");
    assert_string_equal(opt(doc, "0", 1, "color"), "109,76,65,255");
    assert_string_equal(opt(doc, "0", 1, "outline_color"), "255,255,255,255");
    assert_string_equal(opt(doc, "0", 1, "outline_width"), "0.370417");
    assert_string_equal(opt(doc, "0", 1, "size"), "3.704167");
    assert_string_equal(opt(doc, "0", 1, "size_unit"), "MM");
    assert_string_equal(opt(doc, "0", 1, "scale_method"), "diameter");
    /* metres: size from the expression, outline kept 0.75..2.5 px */
    assert_string_equal(opt(doc, "1", 1, "size_unit"),
                        "RenderMetersInMapUnits");
    assert_string_equal(opt(doc, "1", 1, "outline_width_unit"),
                        "RenderMetersInMapUnits");
    assert_string_equal(opt(doc, "1", 1, "outline_width"), "4");
    assert_string_equal(opt(doc, "1", 1, "outline_width_map_unit_scale"),
                        "3x:0,0,1,0.198437,1,0.661458");
    assert_string_equal(opt(doc, "1", 1, "outline_style"), "dash");
    assert_string_equal(opt(doc, "1", 1, "color"), "0,0,0,0");
    assert_string_equal(
        xs(doc, "string(//symbol[@name='1']/layer/data_defined_properties/"
                "Option/Option[@name='properties']/Option[@name='size']/"
                "Option[@name='expression']/@value)"),
        "(\"radius_m\" * 2)");
    assert_string_equal(
        xs(doc, "string(//symbol[@name='1']/layer/data_defined_properties/"
                "Option/Option[@name='properties']/Option[@name='size']/"
                "Option[@name='active']/@value)"),
        "true");
    xmlFreeDoc(doc);
}

/* Several FeatureTypeStyles: one group rule each and symbol levels, each
 * style's layers in its own pass, so the second draws over all of the
 * first. */
static void test_feature_type_styles(void **state)
{
    (void)state;
    /* clang-format off */
    xmlDocPtr doc = qml_of(
        "<se:Rule><se:PolygonSymbolizer><se:Fill/></se:PolygonSymbolizer>"
        "</se:Rule>"
        "</se:FeatureTypeStyle><se:FeatureTypeStyle>"
        "<se:Rule><se:Description><se:Title>红榜</se:Title>"
        "<se:Abstract>Red</se:Abstract></se:Description>"
        "<se:ElseFilter/>"
        "<se:PolygonSymbolizer><se:Stroke/></se:PolygonSymbolizer>"
        "</se:Rule>"
        "<se:Rule><se:Description><se:Title>黑榜</se:Title>"
        "<se:Abstract>Black</se:Abstract></se:Description>"
        "<se:PolygonSymbolizer><se:Stroke/></se:PolygonSymbolizer>"
        "</se:Rule>");
    /* clang-format on */
    assert_string_equal(xs(doc, "string(//renderer-v2/@symbollevels)"), "1");
    assert_int_equal(xn(doc, "count(//renderer-v2/rules/rule)"), 2);
    assert_int_equal(xn(doc, "count(//renderer-v2/rules/rule/rule)"), 3);
    /* group rows in the legend: the style's title (none here), then the
     * titles of the group's rules */
    assert_string_equal(xs(doc, "string(//renderer-v2/rules/rule[1]/@label)"),
                        "");
    assert_string_equal(xs(doc, "string(//renderer-v2/rules/rule[2]/@label)"),
                        "红榜、黑榜");
    assert_string_equal(
        xs(doc, "string(//renderer-v2/rules/rule[2]/@description)"),
        "Red, Black");
    assert_string_equal(xs(doc, "string(//symbol[@name='0']/layer/@pass)"),
                        "0");
    assert_string_equal(xs(doc, "string(//symbol[@name='1']/layer/@pass)"),
                        "1");
    /* the second style's ElseFilter sees only its own rules: none */
    assert_string_equal(rfilter(doc, 2), "ELSE");
    xmlFreeDoc(doc);
}

/* ---- labels -------------------------------------------------------------- */

/* Font, size in points, bold, colour and opacity, halo as a buffer in mm;
 * placement by geometry, and an AnchorPoint/Displacement as a quadrant and
 * an offset; a Literal label as an expression. */
static void test_labels(void **state)
{
    (void)state;
    /* clang-format off */
    xmlDocPtr doc = qml_of(
        "<se:Rule><se:PointSymbolizer><se:Graphic/></se:PointSymbolizer>"
        "<se:TextSymbolizer>"
        "<se:Label>" P("name") "</se:Label>"
        "<se:Font>" SVG("font-family", "Noto Serif CJK SC")
        SVG("font-size", "16") SVG("font-weight", "bold") "</se:Font>"
        "<se:Halo><se:Radius>2.4</se:Radius>"
        "<se:Fill>" SVG("fill", "#ffff00") SVG("fill-opacity", "0.5")
        "</se:Fill></se:Halo>"
        "<se:Fill>" SVG("fill", "#1b5e20") "</se:Fill>"
        "</se:TextSymbolizer>"
        "<se:TextSymbolizer>"
        "<se:Label>" L("it's") "</se:Label>"
        "<se:LabelPlacement><se:PointPlacement>"
        "<se:AnchorPoint><se:AnchorPointX>0</se:AnchorPointX>"
        "<se:AnchorPointY>1</se:AnchorPointY></se:AnchorPoint>"
        "<se:Displacement><se:DisplacementX>96</se:DisplacementX>"
        "<se:DisplacementY>9.6</se:DisplacementY></se:Displacement>"
        "</se:PointPlacement></se:LabelPlacement>"
        "</se:TextSymbolizer></se:Rule>");
    /* clang-format on */
    const char *ts = "//labeling/rules/rule[1]/settings/text-style";
    char expr[256];
#define TS(attr)                                                               \
    (snprintf(expr, sizeof expr, "string(%s/%s)", ts, attr), xs(doc, expr))
    assert_string_equal(TS("@fieldName"), "name");
    assert_string_equal(TS("@isExpression"), "0");
    assert_string_equal(TS("@fontFamily"), "Noto Serif CJK SC");
    assert_string_equal(TS("@fontSize"), "12");
    assert_string_equal(TS("@fontSizeUnit"), "Point");
    assert_string_equal(TS("@fontWeight"), "75");
    assert_string_equal(TS("@namedStyle"), "Bold");
    assert_string_equal(TS("@textColor"), "27,94,32,255");
    assert_string_equal(TS("@textOpacity"), "1");
    assert_string_equal(TS("text-buffer/@bufferDraw"), "1");
    assert_string_equal(TS("text-buffer/@bufferSize"), "0.635");
    assert_string_equal(TS("text-buffer/@bufferColor"), "255,255,0,255");
    assert_string_equal(TS("text-buffer/@bufferOpacity"), "0.5");
    /* a point: right, left, above, below, 6 px from the point */
    ts = "//labeling/rules/rule[1]/settings/placement";
    assert_string_equal(TS("@placement"), "6");
    assert_string_equal(TS("@predefinedPositionOrder"), "R,L,T,B");
    assert_string_equal(TS("@dist"), "1.5875");
    ts = "//labeling/rules/rule[2]/settings/text-style";
    assert_string_equal(TS("@fieldName"), "'it''s'");
    assert_string_equal(TS("@isExpression"), "1");
    assert_string_equal(TS("@fontFamily"), "Noto Sans CJK SC");
    assert_string_equal(TS("@fontWeight"), "50");
    assert_string_equal(TS("text-buffer/@bufferDraw"), "0");
    ts = "//labeling/rules/rule[2]/settings/placement";
    assert_string_equal(TS("@placement"), "1");
    /* anchor (0, 1): the label's upper left on the point: below right */
    assert_string_equal(TS("@quadOffset"), "8");
    assert_string_equal(TS("@xOffset"), "25.4");
    assert_string_equal(TS("@yOffset"), "-2.54");
#undef TS
    xmlFreeDoc(doc);

    /* a Label with mixed content: one QGIS expression; the indentation
     * between elements is dropped, the text around them kept */
    doc = qml_of("<se:Rule><se:PolygonSymbolizer/><se:TextSymbolizer>"
                 "<se:Label>\n  " P("name") " 第" P(
                     "rank") "名\n"
                             "</se:Label></se:TextSymbolizer></se:Rule>");
    assert_string_equal(xs(doc, "string(//text-style/@fieldName)"),
                        "(((\"name\" || ' 第') || \"rank\") || '名')");
    assert_string_equal(xs(doc, "string(//text-style/@isExpression)"), "1");
    xmlFreeDoc(doc);

    /* polygons: centred inside; lines: horizontal */
    doc = qml_of("<se:Rule><se:PolygonSymbolizer/><se:TextSymbolizer>"
                 "<se:Label>" P("n") "</se:Label></se:TextSymbolizer>"
                                     "</se:Rule>");
    assert_string_equal(xs(doc, "string(//placement/@placement)"), "1");
    assert_string_equal(xs(doc, "string(//placement/@quadOffset)"), "4");
    assert_string_equal(xs(doc, "string(//placement/@centroidInside)"), "1");
    xmlFreeDoc(doc);
    doc = qml_of("<se:Rule><se:LineSymbolizer/><se:TextSymbolizer>"
                 "<se:Label>" P("n") "</se:Label></se:TextSymbolizer>"
                                     "</se:Rule>");
    assert_string_equal(xs(doc, "string(//placement/@placement)"), "4");
    xmlFreeDoc(doc);
}

/* ---- escaping and locale ------------------------------------------------- */

/* Text with XML's special characters comes back unchanged. */
static void test_escaping(void **state)
{
    (void)state;
    /* clang-format off */
    xmlDocPtr doc = qml_of(
        "<se:Rule><se:Description>"
        "<se:Title>A &amp; B &lt;1&gt; \"q\" 'a'</se:Title>"
        "<se:Abstract>x]]&gt;y</se:Abstract></se:Description>"
        "<ogc:Filter><ogc:PropertyIsEqualTo>" P("k") L("&lt;&amp;&gt;")
        "</ogc:PropertyIsEqualTo></ogc:Filter>"
        "<se:LineSymbolizer/></se:Rule>");
    /* clang-format on */
    assert_string_equal(xs(doc, "string(//renderer-v2//rule/@label)"),
                        "A & B <1> \"q\" 'a'");
    assert_string_equal(xs(doc, "string(//renderer-v2//rule/@description)"),
                        "x]]>y");
    assert_string_equal(rfilter(doc, 1), "(\"k\" = '<&>')");
    xmlFreeDoc(doc);
}

/* Numbers are written with '.' whatever LC_NUMERIC says (STYLE rule 33). */
static void test_locale(void **state)
{
    (void)state;
    const sg__style_file *f = NULL;
    for (size_t i = 0; i < sg__style_file_count; i++)
        if (!strcmp(sg__style_files[i].name, "divisions"))
            f = &sg__style_files[i];
    assert_non_null(f);
    sg__style *s = NULL;
    assert_sg_status(ctx, sg__style_builtin(ctx, "divisions", &s), SG_OK);
    char *c = NULL, *de = NULL;
    assert_sg_status(ctx, sg__style_to_qml(ctx, s, NULL, &c, NULL), SG_OK);
    const char *locales[] = {"de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8",
                             "ru_RU.UTF-8"};
    int set = 0;
    for (size_t i = 0; !set && i < sizeof locales / sizeof locales[0]; i++)
        set = setlocale(LC_NUMERIC, locales[i]) != NULL;
    if (!set)
        print_message("no locale with a decimal comma installed; "
                      "checking the C locale only\n");
    assert_sg_status(ctx, sg__style_to_qml(ctx, s, NULL, &de, NULL), SG_OK);
    setlocale(LC_NUMERIC, "C");
    assert_string_equal(de, c);
    assert_non_null(strstr(c, "value=\"0.687917\""));
    free(c);
    free(de);
    sg__style_free(s);
}

/* ---- public API ---------------------------------------------------------- */

/* sg_style_write_qml and the sidecar beside an export. */
static void test_write(void **state)
{
    (void)state;
    const char *p = sg_test_path("roads-style.qml");
    assert_sg_status(ctx, sg_style_write_qml(ctx, "roads", p), SG_OK);
    size_t len = 0;
    char *got = sg_test_read_file(p, &len);
    assert_non_null(got);
    xmlDocPtr doc = xmlReadMemory(got, (int)len, p, NULL, XML_PARSE_NONET);
    assert_non_null(doc);
    assert_string_equal(xs(doc, "string(/qgis/renderer-v2/@type)"),
                        "RuleRenderer");
    xmlFreeDoc(doc);
    /* written twice: the same bytes (fixed rule keys) */
    assert_sg_status(ctx, sg_style_write_qml(ctx, "roads", p), SG_OK);
    char *again = sg_test_read_file(p, NULL);
    assert_string_equal(again, got);
    free(again);
    free(got);
    assert_sg_status(ctx, sg_style_write_qml(ctx, "inspections", p),
                     SG_ERR_NOT_FOUND);
    assert_contains(sg_ctx_errmsg(ctx), "inspections");
    assert_sg_status(ctx,
                     sg_style_write_qml(ctx, "roads", "/nonexistent/x.qml"),
                     SG_ERR_IO_WRITE);
    assert_contains(sg_ctx_errmsg(ctx), "/nonexistent/x.qml");
    assert_sg_status(ctx, sg_style_write_qml(ctx, "roads", ""), SG_ERR_USAGE);

    int written = -1;
    assert_sg_status(ctx,
                     sg_style_write_qml_sidecar(
                         ctx, "points", sg_test_path("pts.geojson"), &written),
                     SG_OK);
    assert_int_equal(written, 1);
    assert_true(sg_test_file_contains(sg_test_path("pts.qml"), "RuleRenderer"));
    /* a layer without a style: nothing, and no error */
    assert_sg_status(ctx,
                     sg_style_write_qml_sidecar(ctx, "inspections",
                                                sg_test_path("i.geojson"),
                                                &written),
                     SG_OK);
    assert_int_equal(written, 0);
    assert_null(sg_test_read_file(sg_test_path("i.qml"), NULL));
    /* no extension, and a dot in a folder name only */
    char dir[512];
    snprintf(dir, sizeof dir, "%s", sg_test_path("a.b"));
    assert_int_equal(mkdir(dir, 0755), 0);
    char out[600];
    snprintf(out, sizeof out, "%s/grids", dir);
    assert_sg_status(ctx, sg_style_write_qml_sidecar(ctx, "grids", out, NULL),
                     SG_OK);
    snprintf(out, sizeof out, "%s/grids.qml", dir);
    assert_true(sg_test_file_contains(out, "RuleRenderer"));
    assert_sg_status(ctx,
                     sg_style_write_qml_sidecar(
                         ctx, "roads", "/nonexistent/x/r.geojson", &written),
                     SG_ERR_IO_WRITE);
    assert_int_equal(written, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_builtin_styles),
        cmocka_unit_test(test_filters),
        cmocka_unit_test(test_scale_and_else),
        cmocka_unit_test(test_polygon_symbols),
        cmocka_unit_test(test_line_point_symbols),
        cmocka_unit_test(test_feature_type_styles),
        cmocka_unit_test(test_labels),
        cmocka_unit_test(test_escaping),
        cmocka_unit_test(test_locale),
        cmocka_unit_test(test_write),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
