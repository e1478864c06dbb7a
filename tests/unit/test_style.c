/* Unit tests of the SLD subset (src/render/style.c): parsing SLD 1.0
 * (CssParameter, Title in Rule) and SLD 1.1 / SE 1.1 (SvgParameter,
 * Description), every filter operator and expression against hand-made
 * attributes, scale ranges and ElseFilter, the errors for what the subset
 * leaves out (with file and line), no entity expansion, every built-in
 * style, and the sidecar .sld written for exports.
 * Not for: drawing (test_render.c) or QGIS itself.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* Parse \p text, expecting success. Caller frees the style. */
static sg__style *parse_ok(const char *text)
{
    sg__style *s = NULL;
    assert_sg_status(ctx, sg__style_parse(ctx, text, strlen(text), "t.sld", &s),
                     SG_OK);
    assert_non_null(s);
    return s;
}

/* Parse \p text expecting SG_ERR_IO_FORMAT with a message containing
 * \p needle. */
static void parse_fails(const char *text, const char *needle)
{
    sg__style *s = NULL;
    assert_sg_status(ctx,
                     sg__style_parse(ctx, text, strlen(text), "bad.sld", &s),
                     SG_ERR_IO_FORMAT);
    assert_null(s);
    assert_contains(sg_ctx_errmsg(ctx), "bad.sld");
    assert_contains(sg_ctx_errmsg(ctx), needle);
}

/* An SE 1.1 document around the rules \p rules. */
static char *se_doc(const char *rules)
{
    static const char head[] =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<StyledLayerDescriptor version=\"1.1.0\" "
        "xmlns=\"http://www.opengis.net/sld\" "
        "xmlns:se=\"http://www.opengis.net/se\" "
        "xmlns:ogc=\"http://www.opengis.net/ogc\">"
        "<NamedLayer><se:Name>grids</se:Name><UserStyle><se:Name>g</se:Name>"
        "<se:Description><se:Title>网格</se:Title><se:Abstract>Grids"
        "</se:Abstract></se:Description><se:FeatureTypeStyle>";
    static const char tail[] = "</se:FeatureTypeStyle></UserStyle></NamedLayer>"
                               "</StyledLayerDescriptor>";
    char *d = malloc(strlen(head) + strlen(rules) + strlen(tail) + 1);
    assert_non_null(d);
    strcpy(d, head);
    strcat(d, rules);
    strcat(d, tail);
    return d;
}

/* A rule named \p name with filter \p filter (operator XML) and a line
 * symbolizer. */
static char *filter_rule(const char *name, const char *filter)
{
    char *r = malloc(strlen(filter) + 512);
    assert_non_null(r);
    snprintf(r, strlen(filter) + 512,
             "<se:Rule><se:Name>%s</se:Name><ogc:Filter>%s</ogc:Filter>"
             "<se:LineSymbolizer><se:Stroke/></se:LineSymbolizer></se:Rule>",
             name, filter);
    return r;
}

/* Attributes for the filter tests. */
static const char *const names[] = {"kind", "n", "code", "empty", "share"};

/* Evaluate the filter \p filter (operator XML) on attributes kind, n,
 * code, empty (NULL) and share. */
static int eval(const char *filter, const char *kind, double n,
                const char *code)
{
    char *rule = filter_rule("r", filter);
    char *doc = se_doc(rule);
    sg__style *s = parse_ok(doc);
    sg__value vals[5] = {{SG_V_TEXT, 0, (char *)kind},
                         {SG_V_NUM, n, NULL},
                         {SG_V_TEXT, 0, (char *)code},
                         {SG_V_NULL, 0, NULL},
                         {SG_V_NUM, 0.25, NULL}};
    sg__attrs a = {names, vals, 5};
    assert_int_equal(s->nfts, 1);
    assert_int_equal(s->fts[0].nrules, 1);
    int r = sg__rule_matches(&s->fts[0].rules[0], &a, 1000);
    sg__style_free(s);
    free(doc);
    free(rule);
    return r;
}

#define PN(p) "<ogc:PropertyName>" p "</ogc:PropertyName>"
#define LIT(v) "<ogc:Literal>" v "</ogc:Literal>"
#define OP(op, a, b) "<ogc:" op ">" a b "</ogc:" op ">"

/* Every comparison operator, numeric and textual. */
static void test_filters_compare(void **state)
{
    (void)state;
    assert_true(
        eval(OP("PropertyIsEqualTo", PN("kind"), LIT("bin")), "bin", 1, "a"));
    assert_false(
        eval(OP("PropertyIsEqualTo", PN("kind"), LIT("Bin")), "bin", 1, "a"));
    assert_true(eval("<ogc:PropertyIsEqualTo matchCase=\"false\">" PN("kind")
                         LIT("Bin") "</ogc:PropertyIsEqualTo>",
                     "bin", 1, "a"));
    assert_true(
        eval(OP("PropertyIsNotEqualTo", PN("kind"), LIT("x")), "bin", 1, "a"));
    /* numbers compare as numbers, also when given as text: 10 > 9 */
    assert_true(
        eval(OP("PropertyIsGreaterThan", PN("n"), LIT("9")), "", 10, "a"));
    assert_true(
        eval(OP("PropertyIsGreaterThan", PN("code"), LIT("9")), "", 0, "10"));
    assert_true(
        eval(OP("PropertyIsLessThan", PN("n"), LIT("200")), "", 120, "a"));
    assert_false(
        eval(OP("PropertyIsLessThan", PN("n"), LIT("120")), "", 120, "a"));
    assert_true(eval(OP("PropertyIsLessThanOrEqualTo", PN("n"), LIT("120")), "",
                     120, "a"));
    assert_true(eval(OP("PropertyIsGreaterThanOrEqualTo", PN("n"), LIT("120")),
                     "", 120, "a"));
    assert_false(
        eval(OP("PropertyIsGreaterThanOrEqualTo", PN("n"), LIT("120.5")), "",
             120, "a"));
    /* text against text: byte order */
    assert_true(
        eval(OP("PropertyIsLessThan", PN("kind"), LIT("bz")), "ba", 0, "a"));
    /* a NULL value makes every comparison false, also NotEqualTo */
    assert_false(
        eval(OP("PropertyIsEqualTo", PN("empty"), LIT("")), "", 0, "a"));
    assert_false(
        eval(OP("PropertyIsNotEqualTo", PN("empty"), LIT("x")), "", 0, "a"));
    assert_false(
        eval(OP("PropertyIsLessThan", PN("missing"), LIT("1")), "", 0, "a"));
}

/* Between (inclusive at both ends), IsNull, And, Or, Not, arithmetic. */
static void test_filters_logic(void **state)
{
    (void)state;
    const char *between =
        "<ogc:PropertyIsBetween>" PN("n") "<ogc:LowerBoundary>" LIT(
            "200") "</ogc:LowerBoundary><ogc:UpperBoundary>" LIT("500") "</"
                                                                        "ogc:"
                                                                        "UpperB"
                                                                        "oundar"
                                                                        "y></"
                                                                        "ogc:"
                                                                        "Proper"
                                                                        "tyIsBe"
                                                                        "tween"
                                                                        ">";
    assert_true(eval(between, "", 200, "a"));
    assert_true(eval(between, "", 500, "a"));
    assert_true(eval(between, "", 350, "a"));
    assert_false(eval(between, "", 199.9, "a"));
    assert_false(eval(between, "", 500.1, "a"));
    assert_true(eval("<ogc:PropertyIsNull>" PN("empty") "</ogc:PropertyIsNull>",
                     "", 0, "a"));
    assert_true(
        eval("<ogc:PropertyIsNull>" PN("nosuch") "</ogc:PropertyIsNull>", "", 0,
             "a"));
    assert_false(eval("<ogc:PropertyIsNull>" PN("n") "</ogc:PropertyIsNull>",
                      "", 0, "a"));
    const char *and_ =
        "<ogc:And>" OP("PropertyIsEqualTo", PN("kind"), LIT("bin"))
            OP("PropertyIsGreaterThan", PN("n"), LIT("5")) "</ogc:And>";
    assert_true(eval(and_, "bin", 6, "a"));
    assert_false(eval(and_, "bin", 5, "a"));
    assert_false(eval(and_, "pt", 6, "a"));
    const char *or_ = "<ogc:Or>" OP("PropertyIsEqualTo", PN("kind"), LIT("a"))
        OP("PropertyIsEqualTo", PN("kind"), LIT("b")) "</ogc:Or>";
    assert_true(eval(or_, "b", 0, "x"));
    assert_false(eval(or_, "c", 0, "x"));
    assert_true(eval(
        "<ogc:Not>" OP("PropertyIsEqualTo", PN("kind"), LIT("a")) "</ogc:Not>",
        "c", 0, "x"));
    /* share * 100 = 25; n / 0 is NULL, so no comparison holds */
    assert_true(
        eval(OP("PropertyIsEqualTo",
                "<ogc:Mul>" PN("share") LIT("100") "</ogc:Mul>", LIT("25")),
             "", 0, "x"));
    assert_true(eval(OP("PropertyIsEqualTo",
                        "<ogc:Sub><ogc:Add>" PN("n")
                            LIT("1") "</ogc:Add>" LIT("3") "</ogc:Sub>",
                        LIT("8")),
                     "", 10, "x"));
    assert_false(eval(OP("PropertyIsGreaterThan",
                         "<ogc:Div>" PN("n") LIT("0") "</ogc:Div>", LIT("0")),
                      "", 10, "x"));
}

/* Scale ranges: MinScaleDenominator inclusive, Max exclusive; ElseFilter
 * takes what no other rule of its FeatureTypeStyle took. */
static void test_scale_and_else(void **state)
{
    (void)state;
    char *doc = se_doc(
        "<se:Rule><se:Name>near</se:Name>"
        "<se:MinScaleDenominator>1000</se:MinScaleDenominator>"
        "<se:MaxScaleDenominator>60000</se:MaxScaleDenominator>"
        "<se:LineSymbolizer><se:Stroke/></se:LineSymbolizer></se:Rule>"
        "<se:Rule><se:Name>village</se:Name><ogc:Filter>" OP(
            "PropertyIsEqualTo", PN("kind"),
            LIT("village")) "</ogc:Filter><se:LineSymbolizer><se:Stroke/></"
                            "se:LineSymbolizer>"
                            "</se:Rule>"
                            "<se:Rule><se:Name>else</se:Name><se:ElseFilter/>"
                            "<se:LineSymbolizer><se:Stroke/></"
                            "se:LineSymbolizer></se:Rule>");
    sg__style *s = parse_ok(doc);
    const sg__fts *f = &s->fts[0];
    assert_int_equal(f->nrules, 3);
    assert_true(f->rules[2].else_filter);
    sg__value v[1] = {{SG_V_TEXT, 0, "lane"}};
    static const char *const kn[] = {"kind"};
    sg__attrs a = {kn, v, 1};
    assert_true(sg__rule_matches(&f->rules[0], &a, 1000));
    assert_true(sg__rule_matches(&f->rules[0], &a, 59999));
    assert_false(sg__rule_matches(&f->rules[0], &a, 60000));
    assert_false(sg__rule_matches(&f->rules[0], &a, 999));
    size_t idx[8];
    /* at 1:50 000 "near" applies: no ElseFilter */
    assert_int_equal(sg__fts_match(f, &a, 50000, idx, 8), 1);
    assert_int_equal(idx[0], 0);
    /* at 1:100 000 nothing else applies to a lane: the ElseFilter rule */
    assert_int_equal(sg__fts_match(f, &a, 100000, idx, 8), 1);
    assert_int_equal(idx[0], 2);
    v[0].text = "village";
    assert_int_equal(sg__fts_match(f, &a, 100000, idx, 8), 1);
    assert_int_equal(idx[0], 1);
    assert_int_equal(sg__fts_match(f, &a, 5000, idx, 8), 2);
    sg__style_free(s);
    free(doc);
}

/* SLD 1.0: CssParameter, Title/Abstract directly in the Rule, unprefixed
 * elements; polygon, point and text symbolizers with their parameters. */
static void test_sld10(void **state)
{
    (void)state;
    static const char doc[] =
        "<StyledLayerDescriptor version=\"1.0.0\" "
        "xmlns=\"http://www.opengis.net/sld\" "
        "xmlns:ogc=\"http://www.opengis.net/ogc\"><NamedLayer>"
        "<Name>points</Name><UserStyle><Title>设施</Title>"
        "<FeatureTypeStyle><Rule><Name>a</Name><Title>收集点</Title>"
        "<Abstract>Collection point</Abstract>"
        "<PolygonSymbolizer><Fill><CssParameter name=\"fill\">#ff8000"
        "</CssParameter><CssParameter name=\"fill-opacity\">0.5"
        "</CssParameter></Fill><Stroke><CssParameter name=\"stroke\">#00f"
        "</CssParameter><CssParameter name=\"stroke-width\">2.5"
        "</CssParameter><CssParameter name=\"stroke-dasharray\">4 2"
        "</CssParameter></Stroke></PolygonSymbolizer>"
        "<PointSymbolizer><Graphic><Mark><WellKnownName>triangle"
        "</WellKnownName><Fill><CssParameter name=\"fill\">#102030"
        "</CssParameter></Fill></Mark><Size>12</Size></Graphic>"
        "</PointSymbolizer>"
        "<TextSymbolizer><Label><ogc:PropertyName>name</ogc:PropertyName>"
        "</Label><Font><CssParameter name=\"font-family\">Noto Sans CJK SC"
        "</CssParameter><CssParameter name=\"font-size\">14</CssParameter>"
        "<CssParameter name=\"font-weight\">bold</CssParameter></Font>"
        "<Halo><Radius>2</Radius><Fill><CssParameter name=\"fill\">#ffffff"
        "</CssParameter></Fill></Halo><Fill><CssParameter name=\"fill\">"
        "#333333</CssParameter></Fill></TextSymbolizer>"
        "</Rule></FeatureTypeStyle></UserStyle></NamedLayer>"
        "</StyledLayerDescriptor>";
    sg__style *s = parse_ok(doc);
    assert_string_equal(s->layer_name, "points");
    assert_string_equal(s->title, "设施");
    const sg__rule *r = &s->fts[0].rules[0];
    assert_string_equal(r->title, "收集点");
    assert_string_equal(r->abstract, "Collection point");
    assert_int_equal(r->nsyms, 3);
    const sg__symbolizer *p = &r->syms[0];
    assert_int_equal(p->type, SG_SYM_POLYGON);
    assert_true(p->fill.on);
    assert_true(fabs(p->fill.color.r - 1) < 1e-9);
    assert_true(fabs(p->fill.color.g - 128 / 255.0) < 1e-9);
    assert_true(fabs(p->fill.color.a - 0.5) < 1e-9);
    assert_true(fabs(p->stroke.color.b - 1) < 1e-9);
    assert_true(fabs(p->stroke.width - 2.5) < 1e-9);
    assert_int_equal(p->stroke.ndash, 2);
    const sg__symbolizer *m = &r->syms[1];
    assert_int_equal(m->type, SG_SYM_POINT);
    assert_int_equal(m->mark, SG_MARK_TRIANGLE);
    assert_false(m->stroke.on);
    sg__value v;
    sg__expr_eval(m->size, NULL, &v);
    assert_int_equal(v.type, SG_V_TEXT);
    assert_string_equal(v.text, "12");
    const sg__symbolizer *t = &r->syms[2];
    assert_int_equal(t->type, SG_SYM_TEXT);
    assert_string_equal(t->font_family, "Noto Sans CJK SC");
    assert_true(t->bold);
    assert_true(fabs(t->font_size - 14) < 1e-9);
    assert_true(fabs(t->halo_radius - 2) < 1e-9);
    assert_true(fabs(t->fill.color.r - 0x33 / 255.0) < 1e-9);
    assert_int_equal(t->label->kind, SG_EX_PROPERTY);
    sg__style_free(s);
}

/* What the subset leaves out is an error naming file, line and element. */
static void test_errors(void **state)
{
    (void)state;
    parse_fails("<StyledLayerDescriptor><NamedLayer>", "not well-formed");
    parse_fails("<html/>", "StyledLayerDescriptor");
    parse_fails("<StyledLayerDescriptor/>", "NamedLayer");
    char *r = filter_rule(
        "x", "<ogc:PropertyIsLike wildCard=\"*\" singleChar=\".\" "
             "escape=\"!\">" PN("kind") LIT("a*") "</ogc:PropertyIsLike>");
    char *d = se_doc(r);
    parse_fails(d, "PropertyIsLike");
    free(d);
    free(r);
    d = se_doc("<se:Rule><se:Name>x</se:Name><se:PointSymbolizer><se:Graphic>"
               "<se:ExternalGraphic/></se:Graphic></se:PointSymbolizer>"
               "</se:Rule>");
    parse_fails(d, "ExternalGraphic");
    free(d);
    d = se_doc("<se:Rule><se:Name>x</se:Name></se:Rule>");
    parse_fails(d, "no symbolizer");
    free(d);
    d = se_doc("<se:Rule><se:Name>x</se:Name>\n<se:PolygonSymbolizer>\n"
               "<se:Fill><se:SvgParameter name=\"fill\">red</se:SvgParameter>"
               "</se:Fill></se:PolygonSymbolizer></se:Rule>");
    parse_fails(d, "line 4: bad colour"); /* the prolog ends line 1 */
    free(d);
    d = se_doc("<se:Rule><se:Name>x</se:Name><se:PointSymbolizer><se:Graphic>"
               "<se:Mark><se:WellKnownName>shape://vertline</se:WellKnownName>"
               "</se:Mark></se:Graphic></se:PointSymbolizer></se:Rule>");
    parse_fails(d, "unsupported mark");
    free(d);
    r = filter_rule("x", "<ogc:Not>" OP("PropertyIsNull", PN("a"), "")
                             OP("PropertyIsNull", PN("b"), "") "</ogc:Not>");
    d = se_doc(r);
    parse_fails(d, "one operand");
    free(d);
    free(r);
    sg__style *s = NULL;
    assert_sg_status(ctx, sg__style_parse(ctx, "", 0, "e.sld", &s),
                     SG_ERR_IO_FORMAT);
}

/* An external entity is neither fetched nor expanded (no XXE). */
static void test_no_entities(void **state)
{
    (void)state;
    static const char doc[] =
        "<?xml version=\"1.0\"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM "
        "\"file:///etc/passwd\">]>\n"
        "<StyledLayerDescriptor xmlns=\"http://www.opengis.net/sld\">"
        "<NamedLayer><Name>&e;</Name><UserStyle><Title>t&e;</Title>"
        "<FeatureTypeStyle><Rule><LineSymbolizer/></Rule></FeatureTypeStyle>"
        "</UserStyle></NamedLayer></StyledLayerDescriptor>";
    sg__style *s = NULL;
    sg_status st = sg__style_parse(ctx, doc, strlen(doc), "x.sld", &s);
    if (st == SG_OK) {
        assert_true(!s->layer_name || !strstr(s->layer_name, "root:"));
        assert_true(!s->title || !strstr(s->title, "root:"));
        sg__style_free(s);
    } else {
        assert_int_equal(st, SG_ERR_IO_FORMAT);
    }
}

/* Colours: #RGB, #RRGGBB, #RRGGBBAA; nothing else. */
static void test_colors(void **state)
{
    (void)state;
    sg__rgba c;
    assert_true(sg__parse_color("#f00", &c));
    assert_true(c.r == 1 && c.g == 0 && c.b == 0 && c.a == 1);
    assert_true(sg__parse_color("#00FF0080", &c));
    assert_true(c.g == 1 && fabs(c.a - 128 / 255.0) < 1e-9);
    assert_false(sg__parse_color("red", &c));
    assert_false(sg__parse_color("#12345", &c));
    assert_false(sg__parse_color("#gg0000", &c));
    assert_false(sg__parse_color("#-a2B3c", &c)); /* fuzz: color-sign */
    assert_false(sg__parse_color("# f f f", &c));
    assert_false(sg__parse_color(NULL, &c));
}

/* PerpendicularOffset: a negative one (the outline inside) is kept, a
 * positive one (over the neighbours) refused. */
static void test_perpendicular_offset(void **state)
{
    (void)state;
    char *d = se_doc("<se:Rule><se:Name>in</se:Name><se:PolygonSymbolizer>"
                     "<se:Stroke/><se:PerpendicularOffset>-2"
                     "</se:PerpendicularOffset></se:PolygonSymbolizer>"
                     "</se:Rule>");
    sg__style *s = parse_ok(d);
    assert_true(s->fts[0].rules[0].syms[0].offset == -2);
    assert_int_equal(s->fts[0].rules[0].syms[0].stroke.on, 1);
    sg__style_free(s);
    free(d);
    d = se_doc("<se:Rule><se:Name>out</se:Name><se:PolygonSymbolizer>"
               "<se:Stroke/><se:PerpendicularOffset>3"
               "</se:PerpendicularOffset></se:PolygonSymbolizer></se:Rule>");
    parse_fails(d, "PerpendicularOffset");
    free(d);
}

/* Every built-in style parses, names its layer, titles its legend rows in
 * both languages, and gets its size from an expression where it should. */
static void test_builtin_styles(void **state)
{
    (void)state;
    assert_true(sg__style_file_count >= 18);
    for (size_t i = 0; i < sg__style_file_count; i++) {
        const sg__style_file *f = &sg__style_files[i];
        sg__style *s = NULL;
        assert_sg_status(ctx, sg__style_builtin(ctx, f->name, &s), SG_OK);
        assert_non_null(s->layer_name);
        assert_non_null(s->title);
        assert_non_null(s->abstract);
        size_t titled = 0;
        for (size_t j = 0; j < s->nfts; j++)
            for (size_t k = 0; k < s->fts[j].nrules; k++) {
                const sg__rule *r = &s->fts[j].rules[k];
                if (r->title) {
                    assert_non_null(r->abstract);
                    titled++;
                }
            }
        if (titled == 0)
            fail_msg("style %s has no legend row", f->name);
        sg__style_free(s);
    }
    sg__style *s = NULL;
    assert_sg_status(ctx, sg__style_builtin(ctx, "service_radius", &s), SG_OK);
    const sg__symbolizer *p = &s->fts[0].rules[0].syms[0];
    assert_true(p->uom_metre);
    sg__value v = {SG_V_NUM, 120, NULL}, out;
    static const char *const rn[] = {"radius_m"};
    sg__attrs a = {rn, &v, 1};
    sg__expr_eval(p->size, &a, &out);
    assert_int_equal(out.type, SG_V_NUM);
    assert_true(fabs(out.num - 240) < 1e-9);
    sg__style_free(s);
    assert_sg_status(ctx, sg__style_builtin(ctx, "nosuch", &s),
                     SG_ERR_NOT_FOUND);
}

/* The rule names that \p kind's point gets from built-in style \p s
 * at 1:\p scale, '+'-joined in rule order, into \p buf. */
static const char *kind_rules(const sg__style *s, const char *kind,
                              double scale, char *buf, size_t size)
{
    char k[64];
    snprintf(k, sizeof k, "%s", kind);
    sg__value v[2] = {{SG_V_TEXT, 0, k}, {SG_V_NUM, 120, NULL}};
    static const char *const names[] = {"kind", "radius_m"};
    sg__attrs a = {names, v, 2};
    size_t idx[8];
    size_t n = sg__fts_match(&s->fts[0], &a, scale, idx, 8);
    buf[0] = 0;
    for (size_t i = 0; i < n; i++)
        snprintf(buf + strlen(buf), size - strlen(buf), "%s%s", i ? "+" : "",
                 s->fts[0].rules[idx[i]].name);
    return buf;
}

/* County-scale maps (1:100 000 and smaller) draw collection points and
 * bins as small dots and no service radius, so that tens of thousands of
 * them do not cover the households' hexagons; every kind still gets its
 * own rule at both scales (none falls to the ElseFilter rule "other"). */
static void test_points_by_scale(void **state)
{
    (void)state;
    sg__style *s = NULL;
    char b[256];
    assert_sg_status(ctx, sg__style_builtin(ctx, "points", &s), SG_OK);
    assert_string_equal(kind_rules(s, "collection_point", 20000, b, sizeof b),
                        "collection_point+point_label");
    assert_string_equal(kind_rules(s, "collection_point", 99999, b, sizeof b),
                        "collection_point");
    assert_string_equal(kind_rules(s, "collection_point", 100000, b, sizeof b),
                        "collection_point_county");
    assert_string_equal(kind_rules(s, "collection_point", 240000, b, sizeof b),
                        "collection_point_county");
    assert_string_equal(kind_rules(s, "bin", 20000, b, sizeof b), "bin");
    assert_string_equal(kind_rules(s, "bin", 240000, b, sizeof b),
                        "bin_county");
    static const char *const kept[] = {"transfer_station", "treatment_plant",
                                       "public_toilet"};
    for (size_t i = 0; i < 3; i++) {
        assert_string_equal(kind_rules(s, kept[i], 20000, b, sizeof b),
                            kept[i]);
        assert_string_equal(kind_rules(s, kept[i], 240000, b, sizeof b),
                            kept[i]);
    }
    assert_string_equal(kind_rules(s, "other", 240000, b, sizeof b), "other");
    /* the legend shows one row per title: the dot keeps the symbol's */
    for (size_t i = 0; i + 1 < s->fts[0].nrules; i++)
        if (s->fts[0].rules[i + 1].name &&
            strstr(s->fts[0].rules[i + 1].name, "_county"))
            assert_string_equal(s->fts[0].rules[i].title,
                                s->fts[0].rules[i + 1].title);
    sg__style_free(s);
    assert_sg_status(ctx, sg__style_builtin(ctx, "service_radius", &s), SG_OK);
    assert_string_equal(kind_rules(s, "collection_point", 20000, b, sizeof b),
                        "radius");
    assert_string_equal(kind_rules(s, "collection_point", 240000, b, sizeof b),
                        "");
    sg__style_free(s);
}

/* The public style API and the sidecar written beside an export. */
/* A Label with mixed content is one line of text: the texts around the
 * properties kept, the indentation dropped, numbers without needless
 * decimals; a NULL or empty property leaves no label. */
static void test_mixed_label(void **state)
{
    (void)state;
    char *doc = se_doc("<se:Rule><se:TextSymbolizer><se:Label>\n    "
                       "<ogc:PropertyName>kind</ogc:PropertyName> 第"
                       "<ogc:PropertyName>n</ogc:PropertyName>名 "
                       "<ogc:PropertyName>share</ogc:PropertyName>分\n  "
                       "</se:Label></se:TextSymbolizer></se:Rule>");
    sg__style *s = parse_ok(doc);
    free(doc);
    const sg__expr *e = s->fts[0].rules[0].syms[0].label;
    assert_int_equal(e->kind, SG_EX_CONCAT);
    sg__value v[5] = {{SG_V_TEXT, 0, "Eschen"},
                      {SG_V_NUM, 2, NULL},
                      {SG_V_TEXT, 0, "x"},
                      {SG_V_NULL, 0, NULL},
                      {SG_V_NUM, 70.4699999, NULL}};
    sg__attrs a = {names, v, 5};
    char *t = sg__expr_label(e, &a);
    assert_string_equal(t, "Eschen 第2名 70.47分");
    free(t);
    v[4].num = 80;
    t = sg__expr_label(e, &a);
    assert_string_equal(t, "Eschen 第2名 80分");
    free(t);
    v[1] = (sg__value){SG_V_NULL, 0, NULL};
    assert_null(sg__expr_label(e, &a));
    v[1] = (sg__value){SG_V_TEXT, 0, ""};
    assert_null(sg__expr_label(e, &a));
    sg__style_free(s);
}

static void test_sidecar(void **state)
{
    (void)state;
    const char *text = NULL;
    assert_sg_status(ctx, sg_style_sld_for_layer(ctx, "grids", &text), SG_OK);
    assert_non_null(strstr(text, "StyledLayerDescriptor"));
    assert_sg_status(ctx, sg_style_sld_for_layer(ctx, "inspections", &text),
                     SG_ERR_NOT_FOUND);
    int written = -1;
    const char *out = sg_test_path("grids.geojson");
    assert_sg_status(ctx, sg_style_write_sidecar(ctx, "grids", out, &written),
                     SG_OK);
    assert_int_equal(written, 1);
    size_t len = 0;
    char *got = sg_test_read_file(sg_test_path("grids.sld"), &len);
    assert_non_null(got);
    assert_sg_status(ctx, sg_style_sld_for_layer(ctx, "grids", &text), SG_OK);
    assert_string_equal(got, text);
    free(got);
    /* a layer without a style writes nothing and is not an error */
    assert_sg_status(ctx,
                     sg_style_write_sidecar(ctx, "inspections",
                                            sg_test_path("i.csv"), &written),
                     SG_OK);
    assert_int_equal(written, 0);
    assert_null(sg_test_read_file(sg_test_path("i.sld"), NULL));
    /* a folder that does not exist */
    assert_sg_status(ctx,
                     sg_style_write_sidecar(
                         ctx, "roads", "/nonexistent/x/r.geojson", &written),
                     SG_ERR_IO_WRITE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_filters_compare),
        cmocka_unit_test(test_filters_logic),
        cmocka_unit_test(test_scale_and_else),
        cmocka_unit_test(test_sld10),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_no_entities),
        cmocka_unit_test(test_colors),
        cmocka_unit_test(test_builtin_styles),
        cmocka_unit_test(test_points_by_scale),
        cmocka_unit_test(test_mixed_label),
        cmocka_unit_test(test_sidecar),
        cmocka_unit_test(test_perpendicular_offset),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
