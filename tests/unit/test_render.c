/* Unit tests of maps and the report (src/render): a small fixture store
 * (a village of two adjacent square grids and a gap, a road running far
 * beyond it, a collection point, three households) is drawn to PNG at a
 * fixed size with override styles of known colours, read back with
 * cairo_image_surface_create_from_png and checked by pixels through the
 * world-to-page transform computed here from the extent and frame the
 * result reports: each grid's fill at its interior, the gap's, a Chinese
 * label's pixels with no missing glyphs, and nothing but the page's white
 * outside the frame. Also SVG (parsed by libxml2) and PDF output, the
 * division veil, the error paths, the coverage theme and the report.
 * Not for: the CLI (tests/cli/render.sh, report.sh) or style parsing
 * (test_style.c).
 * SPDX-License-Identifier: MIT */
#include <cairo.h>
#include <libxml/parser.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "render/render_int.h"
#include "sanigrid/render.h"

#define X0 500000.0
#define Y0 3300000.0
#define DIV "999001100201"

static sg_ctx *ctx;
static char store_path[4096];

/* ---- fixture
 * ------------------------------------------------------------------ */

/* Write GeoJSON \p text to a file and import it into \p layer of \p s
 * (coordinates in EPSG:4545 metres); every feature must be imported. */
static void import_text(sg_store *s, const char *layer, const char *text)
{
    char name[64];
    snprintf(name, sizeof name, "%s.geojson", layer);
    const char *path = sg_test_path(name);
    sg_test_write_file(path, text);
    sg_import_options *o = sg_import_options_new();
    assert_sg_status(ctx, sg_import_options_set_src_crs(ctx, o, "EPSG:4545"),
                     SG_OK);
    sg_import_result *r = NULL;
    assert_sg_status(ctx, sg_import(ctx, s, layer, path, o, &r), SG_OK);
    assert_int_equal(r->rejected, 0);
    sg_import_result_free(r);
    sg_import_options_free(o);
}

/* A GeoJSON polygon feature [x0,x1] x [y0,y1] (local metres) with
 * properties \p props, appended to \p buf. */
static void rect(char *buf, size_t size, const char *props, double x0,
                 double y0, double x1, double y1)
{
    size_t n = strlen(buf);
    snprintf(buf + n, size - n,
             "%s{\"type\":\"Feature\",\"properties\":%s,\"geometry\":"
             "{\"type\":\"Polygon\",\"coordinates\":[[[%.1f,%.1f],[%.1f,%.1f],"
             "[%.1f,%.1f],[%.1f,%.1f],[%.1f,%.1f]]]}}",
             strchr(buf, '{') && buf[n - 1] == '}' ? "," : "", props, X0 + x0,
             Y0 + y0, X0 + x1, Y0 + y0, X0 + x1, Y0 + y1, X0 + x0, Y0 + y1,
             X0 + x0, Y0 + y0);
}

/* A GeoJSON point feature at (x, y) with \p props, appended to \p buf. */
static void point(char *buf, size_t size, const char *props, double x, double y)
{
    size_t n = strlen(buf);
    snprintf(buf + n, size - n,
             "%s{\"type\":\"Feature\",\"properties\":%s,\"geometry\":"
             "{\"type\":\"Point\",\"coordinates\":[%.1f,%.1f]}}",
             buf[n - 1] == '}' ? "," : "", props, X0 + x, Y0 + y);
}

/* Build the fixture store and run `check` on it. */
static void make_fixture(void)
{
    char buf[8192];
    sg_store *s = sg_test_store_new(ctx, "render.sqlite", 4545);
    assert_non_null(s);
    snprintf(store_path, sizeof store_path, "%s", sg_store_path(s));
    snprintf(buf, sizeof buf, "{\"type\":\"FeatureCollection\",\"features\":[");
    rect(buf, sizeof buf,
         "{\"division_code\":\"" DIV "\",\"name\":\"测试村\","
         "\"level\":\"admin_village\"}",
         0, 0, 300, 100);
    strcat(buf, "]}");
    import_text(s, "divisions", buf);
    snprintf(buf, sizeof buf, "{\"type\":\"FeatureCollection\",\"features\":[");
    rect(buf, sizeof buf,
         "{\"grid_code\":\"" DIV "001\",\"name\":\"第一网格\",\"level\":1,"
         "\"division_code\":\"" DIV "\",\"grid_leader\":\"张三\"}",
         0, 0, 100, 100);
    rect(buf, sizeof buf,
         "{\"grid_code\":\"" DIV "002\",\"name\":\"第二网格\",\"level\":1,"
         "\"division_code\":\"" DIV "\",\"grid_leader\":\"李四\"}",
         100, 0, 200, 100);
    strcat(buf, "]}");
    import_text(s, "grids", buf);
    /* the road runs 2 km beyond the village on both sides: the map must
     * clip it at the frame */
    snprintf(buf, sizeof buf,
             "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":"
             "\"Feature\",\"properties\":{\"road_id\":\"R1\",\"class\":"
             "\"village\"},\"geometry\":{\"type\":\"LineString\","
             "\"coordinates\":[[%.1f,%.1f],[%.1f,%.1f]]}}]}",
             X0 - 2000, Y0 + 90, X0 + 2300, Y0 + 90);
    import_text(s, "roads", buf);
    snprintf(buf, sizeof buf, "{\"type\":\"FeatureCollection\",\"features\":[");
    point(buf, sizeof buf,
          "{\"point_id\":\"P1\",\"kind\":\"collection_point\","
          "\"name\":\"收集点\",\"division_code\":\"" DIV "\"}",
          150, 85);
    strcat(buf, "]}");
    import_text(s, "points", buf);
    snprintf(buf, sizeof buf, "{\"type\":\"FeatureCollection\",\"features\":[");
    point(buf, sizeof buf,
          "{\"household_id\":\"H1\",\"resident_population\":3}", 140, 80);
    point(buf, sizeof buf,
          "{\"household_id\":\"H2\",\"resident_population\":2}", 20, 80);
    point(buf, sizeof buf,
          "{\"household_id\":\"H3\",\"resident_population\":4}", 290, 80);
    strcat(buf, "]}");
    import_text(s, "households", buf);
    sg_check_result *cr = NULL;
    assert_sg_status(ctx, sg_check(ctx, s, NULL, &cr), SG_OK);
    assert_int_equal(cr->total.gaps, 1);
    sg_check_result_free(cr);
    sg_store_close(s);
}

static int group_setup(void **state)
{
    (void)state;
    sg_library_init();
    ctx = sg_ctx_new();
    if (!ctx)
        return -1;
    make_fixture();
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    sg_ctx_free(ctx);
    sg_library_shutdown();
    return 0;
}

/* The fixture store, opened read-only. */
static sg_store *open_store(void)
{
    sg_store *s = NULL;
    assert_sg_status(ctx, sg_store_open(ctx, store_path, SG_STORE_READONLY, &s),
                     SG_OK);
    return s;
}

/* Write a style file \p name with one opaque polygon fill \p fill for
 * layer \p layer, plus a label of \p label_prop in blue if not NULL.
 * \return its path (static buffer of sg_test_path). */
static const char *style_file(const char *name, const char *layer,
                              const char *fill, const char *label_prop)
{
    char text[4096];
    char label[1024] = "";
    if (label_prop)
        snprintf(label, sizeof label,
                 "<TextSymbolizer><Label><ogc:PropertyName>%s"
                 "</ogc:PropertyName></Label><Font><CssParameter "
                 "name=\"font-size\">18</CssParameter></Font><Fill>"
                 "<CssParameter name=\"fill\">#0000ff</CssParameter></Fill>"
                 "</TextSymbolizer>",
                 label_prop);
    snprintf(text, sizeof text,
             "<StyledLayerDescriptor version=\"1.0.0\" "
             "xmlns=\"http://www.opengis.net/sld\" "
             "xmlns:ogc=\"http://www.opengis.net/ogc\"><NamedLayer><Name>%s"
             "</Name><UserStyle><Title>t</Title><FeatureTypeStyle><Rule>"
             "<Name>r</Name><Title>标题</Title><PolygonSymbolizer><Fill>"
             "<CssParameter name=\"fill\">%s</CssParameter></Fill>"
             "</PolygonSymbolizer>%s</Rule></FeatureTypeStyle></UserStyle>"
             "</NamedLayer></StyledLayerDescriptor>",
             layer, fill, label);
    const char *path = sg_test_path(name);
    sg_test_write_file(path, text);
    return path;
}

/* Options for the grids map of the pixel tests: 800 x 500, fixed date,
 * red grids labelled in blue, green gaps. Caller frees. */
static sg_render_options *grid_options(void)
{
    sg_render_options *o = sg_render_options_new();
    assert_non_null(o);
    assert_sg_status(
        ctx, sg_render_options_set_theme(ctx, o, SG_RENDER_THEME_GRIDS), SG_OK);
    assert_sg_status(ctx, sg_render_options_set_size(ctx, o, 800, 500), SG_OK);
    assert_sg_status(ctx, sg_render_options_set_date(ctx, o, "2026-11-30"),
                     SG_OK);
    assert_sg_status(
        ctx,
        sg_render_options_add_style(
            ctx, o, style_file("g.sld", "grids", "#ff0000", "name")),
        SG_OK);
    assert_sg_status(
        ctx,
        sg_render_options_add_style(
            ctx, o, style_file("gap.sld", "grid_gaps", "#00ff00", NULL)),
        SG_OK);
    return o;
}

/* ---- reading pixels back
 * ------------------------------------------------------ */

/* A PNG read back. */
typedef struct image {
    cairo_surface_t *s;
    const unsigned char *data;
    int w, h, stride;
} image;

/* Read \p path (must be a PNG). */
static image read_png(const char *path)
{
    image im;
    im.s = cairo_image_surface_create_from_png(path);
    assert_int_equal(cairo_surface_status(im.s), CAIRO_STATUS_SUCCESS);
    cairo_surface_flush(im.s);
    im.data = cairo_image_surface_get_data(im.s);
    im.w = cairo_image_surface_get_width(im.s);
    im.h = cairo_image_surface_get_height(im.s);
    im.stride = cairo_image_surface_get_stride(im.s);
    return im;
}

/* The colour at (x, y) as r, g, b (0..255; the page is opaque). */
static void pixel(const image *im, int x, int y, int rgb[3])
{
    assert_true(x >= 0 && y >= 0 && x < im->w && y < im->h);
    uint32_t v;
    memcpy(&v, im->data + (size_t)y * (size_t)im->stride + 4 * (size_t)x,
           sizeof v);
    rgb[0] = (int)(v >> 16 & 0xff);
    rgb[1] = (int)(v >> 8 & 0xff);
    rgb[2] = (int)(v & 0xff);
}

/* Page pixel of local world point (x, y) through the frame and extent of
 * \p r (computed here, independently of the renderer's own transform). */
static void to_page(const sg_render_result *r, double x, double y, int *px,
                    int *py)
{
    double sx = r->frame[2] / (r->extent[2] - r->extent[0]);
    double sy = r->frame[3] / (r->extent[3] - r->extent[1]);
    *px = (int)floor(r->frame[0] + (X0 + x - r->extent[0]) * sx);
    *py = (int)floor(r->frame[1] + (r->extent[3] - (Y0 + y)) * sy);
}

/* Fail unless the colour at local world (x, y) is \p want (each channel
 * within 3). */
#define assert_color_at(im, r, x, y, R, G, B)                                  \
    check_color_at((im), (r), (x), (y), (R), (G), (B), __LINE__)
static void check_color_at(const image *im, const sg_render_result *r, double x,
                           double y, int R, int G, int B, int line)
{
    int px, py, c[3];
    to_page(r, x, y, &px, &py);
    pixel(im, px, py, c);
    if (abs(c[0] - R) > 3 || abs(c[1] - G) > 3 || abs(c[2] - B) > 3) {
        print_error("pixel (%d,%d) for world (%g,%g) is %d,%d,%d, expected "
                    "%d,%d,%d\n",
                    px, py, x, y, c[0], c[1], c[2], R, G, B);
        _fail(__FILE__, line);
    }
}

/* sg_render() into *\p r, freeing the result it held. */
static sg_status render(sg_store *s, const sg_render_options *o,
                        const char *path, sg_render_result **r)
{
    sg_render_result_free(*r);
    *r = NULL;
    return sg_render(ctx, s, o, path, r);
}

/* sg_report() into *\p r, freeing the result it held. */
static sg_status report(sg_store *s, const sg_render_options *o,
                        const char *path, sg_report_result **r)
{
    sg_report_result_free(*r);
    *r = NULL;
    return sg_report(ctx, s, o, path, r);
}

/* ---- tests
 * ------------------------------------------------------------------------ */

/* The names of the themes and formats: each reads back to itself, the
 * theme names of `render --theme` are in enum order, and a wrong or
 * missing name is a usage error naming it that leaves the output alone. */
static void test_enum_names(void **state)
{
    (void)state;
    static const char *const themes[] = {"grids",      "coverage", "staffing",
                                         "allocation", "plan",     "sites",
                                         "ranking",    "routes",   "village"};
    for (int i = 0; i < 9; i++) {
        sg_render_theme t = (sg_render_theme)-1;
        assert_sg_status(ctx, sg_render_theme_from_string(ctx, themes[i], &t),
                         SG_OK);
        assert_int_equal(t, i);
        assert_string_equal(sg_render_theme_to_string(t), themes[i]);
    }
    assert_int_equal(SG_RENDER_THEME_RANKING, 6);
    assert_int_equal(SG_RENDER_THEME_VILLAGE, 8);
    const char *const *names = sg_render_theme_names();
    size_t n = 0;
    for (; names[n]; n++)
        assert_string_equal(names[n], themes[n]);
    assert_int_equal(n, 8); /* village is not a --theme */
    sg_render_theme t = SG_RENDER_THEME_PLAN;
    assert_sg_status(ctx, sg_render_theme_from_string(ctx, "nosuch", &t),
                     SG_ERR_USAGE);
    assert_contains(sg_ctx_errmsg(ctx), "theme 'nosuch'");
    assert_sg_status(ctx, sg_render_theme_from_string(ctx, "Grids", &t),
                     SG_ERR_USAGE);
    assert_sg_status(ctx, sg_render_theme_from_string(ctx, NULL, &t),
                     SG_ERR_USAGE);
    assert_int_equal(t, SG_RENDER_THEME_PLAN);
    assert_null(sg_render_theme_to_string((sg_render_theme)9));
    assert_null(sg_render_theme_to_string((sg_render_theme)-1));

    static const char *const formats[] = {"png", "svg", "pdf"};
    for (int i = 0; i < 3; i++) {
        sg_render_format f = (sg_render_format)0;
        assert_sg_status(ctx, sg_render_format_from_string(ctx, formats[i], &f),
                         SG_OK);
        assert_int_equal(f, i + 1);
        assert_string_equal(sg_render_format_to_string(f), formats[i]);
    }
    sg_render_format f = SG_RENDER_FORMAT_SVG;
    /* any case, as --format always took it */
    assert_sg_status(ctx, sg_render_format_from_string(ctx, "PDF", &f), SG_OK);
    assert_int_equal(f, SG_RENDER_FORMAT_PDF);
    assert_sg_status(ctx, sg_render_format_from_string(ctx, "gif", &f),
                     SG_ERR_USAGE);
    assert_contains(sg_ctx_errmsg(ctx), "format 'gif'");
    assert_sg_status(ctx, sg_render_format_from_string(ctx, NULL, &f),
                     SG_ERR_USAGE);
    assert_sg_status(ctx, sg_render_format_from_string(ctx, "", &f),
                     SG_ERR_USAGE);
    assert_int_equal(f, SG_RENDER_FORMAT_PDF);
    assert_null(sg_render_format_to_string((sg_render_format)0));
    assert_null(sg_render_format_to_string((sg_render_format)4));
    assert_int_equal(sg_render_format_for_path("a/b.map.PNG"),
                     SG_RENDER_FORMAT_PNG);
    assert_int_equal(sg_render_format_for_path("x.svg"), SG_RENDER_FORMAT_SVG);
    assert_int_equal(sg_render_format_for_path("x.pdf"), SG_RENDER_FORMAT_PDF);
    assert_int_equal(sg_render_format_for_path("x.gif"), 0);
    assert_int_equal(sg_render_format_for_path("png"), 0);
    assert_int_equal(sg_render_format_for_path(NULL), 0);
}

/* The grids map by pixels: fills, the gap, a Chinese label, the frame. */
/* Whole numbers in groups of three on maps (legend counts, the scale):
 * by hand. */
static void test_fmt_grouped(void **state)
{
    (void)state;
    static const struct {
        double v;
        const char *want;
    } cases[] = {{0, "0"},
                 {661, "661"},
                 {1000, "1 000"},
                 {25000, "25 000"},
                 {999999.6, "1 000 000"},
                 {1234567, "1 234 567"},
                 {-12345, "-12 345"},
                 {100000, "100 000"}};
    char buf[32];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sg__fmt_grouped(buf, sizeof buf, cases[i].v);
        assert_string_equal(buf, cases[i].want);
    }
    sg__fmt_grouped(buf, 6, 1234567); /* cut, still terminated */
    assert_true(strlen(buf) < 6);
}

static void test_grids_png(void **state)
{
    (void)state;
    sg_store *s = open_store();
    sg_render_options *o = grid_options();
    sg_render_result *r = NULL;
    const char *png = sg_test_path("grids.png");
    assert_sg_status(ctx, render(s, o, png, &r), SG_OK);
    assert_int_equal(r->theme, SG_RENDER_THEME_GRIDS);
    assert_int_equal(r->format, SG_RENDER_FORMAT_PNG);
    assert_null(r->aggregated_layer); /* 3 households: drawn as dots */
    assert_int_equal(r->width, 800);
    assert_int_equal(r->height, 500);
    assert_int_equal(r->srid, 4545);
    assert_int_equal(r->missing_glyphs, 0);
    assert_true(r->labels >= 2); /* the village and at least one grid */
    assert_true(r->features >= 5);
    /* the extent fills the frame at one scale in x and y */
    double sx = r->frame[2] / (r->extent[2] - r->extent[0]);
    double sy = r->frame[3] / (r->extent[3] - r->extent[1]);
    assert_true(fabs(sx - sy) < 1e-9 * sx);
    /* and holds the village */
    assert_true(r->extent[0] < X0 && r->extent[2] > X0 + 300);
    assert_true(r->extent[1] < Y0 && r->extent[3] > Y0 + 100);
    /* 1 px = 0.0254 / 96 m of paper */
    assert_true(fabs(r->scale_denominator - (1 / sx) / (0.0254 / 96)) <
                1e-6 * r->scale_denominator);

    image im = read_png(png);
    assert_int_equal(im.w, 800);
    assert_int_equal(im.h, 500);
    /* fills at the grids' interiors (below their labels) and the gap's */
    assert_color_at(&im, r, 25, 20, 255, 0, 0);
    assert_color_at(&im, r, 80, 20, 255, 0, 0);
    assert_color_at(&im, r, 175, 20, 255, 0, 0);
    assert_color_at(&im, r, 250, 20, 0, 255, 0);
    /* the first grid's label, in blue, around its middle */
    int cx, cy, blue = 0;
    to_page(r, 50, 50, &cx, &cy);
    for (int y = cy - 20; y <= cy + 20; y++)
        for (int x = cx - 60; x <= cx + 60; x++) {
            int c[3];
            pixel(&im, x, y, c);
            blue += c[2] > 180 && c[0] < 90 && c[1] < 90;
        }
    if (blue < 40)
        fail_msg("only %d blue label pixels around (%d,%d)", blue, cx, cy);
    /* outside the frame (left of it, below it, right of the legend) only
     * the page's white: the road running 2 km on was clipped */
    int fx0 = (int)floor(r->frame[0]) - 2;
    int fy1 = (int)ceil(r->frame[1] + r->frame[3]) + 2;
    for (int y = 0; y < im.h; y++)
        for (int x = 0; x < im.w; x++) {
            if (!(x < fx0 || y > fy1 || x > im.w - 6))
                continue;
            int c[3];
            pixel(&im, x, y, c);
            if (c[0] != 255 || c[1] != 255 || c[2] != 255)
                fail_msg("pixel (%d,%d) outside the frame is %d,%d,%d", x, y,
                         c[0], c[1], c[2]);
        }
    /* the road is drawn inside the frame: a grey pixel on its line at
     * the frame's left edge */
    int rx, ry, c[3], road = 0;
    to_page(r, -5, 90, &rx, &ry);
    (void)rx;
    for (int y = ry - 2; y <= ry + 2; y++) {
        pixel(&im, (int)r->frame[0] + 4, y, c);
        road += c[0] < 200 && abs(c[0] - c[1]) < 10 && abs(c[1] - c[2]) < 10;
    }
    assert_true(road > 0);
    cairo_surface_destroy(im.s);
    sg_render_options_free(o);
    sg_render_result_free(r);
    sg_store_close(s);
}

/* The same map with the built-in styles, in English, as a check that
 * they draw and label (Chinese names in an English map too). */
static void test_builtin_styles_png(void **state)
{
    (void)state;
    sg_store *s = open_store();
    sg_render_options *o = sg_render_options_new();
    assert_sg_status(ctx, sg_render_options_set_lang(ctx, o, "en"), SG_OK);
    assert_sg_status(ctx, sg_render_options_set_size(ctx, o, 900, 600), SG_OK);
    sg_render_result *r = NULL;
    const char *png = sg_test_path("builtin.png");
    assert_sg_status(ctx, render(s, o, png, &r), SG_OK);
    assert_int_equal(r->missing_glyphs, 0);
    assert_true(r->labels >= 2);
    image im = read_png(png);
    /* built-in grid fill #cfe3f3 at 85 % over the frame's #fbfaf6 */
    int px, py, c[3];
    to_page(r, 25, 20, &px, &py);
    pixel(&im, px, py, c);
    assert_true(abs(c[0] - 214) <= 4 && abs(c[1] - 230) <= 4 &&
                abs(c[2] - 243) <= 4);
    /* the gap's red */
    to_page(r, 250, 20, &px, &py);
    pixel(&im, px, py, c);
    assert_true(c[0] > 200 && c[1] < 120 && c[2] < 120);
    cairo_surface_destroy(im.s);
    sg_render_options_free(o);
    sg_render_result_free(r);
    sg_store_close(s);
}

/* SVG is well-formed XML with an svg root; PDF starts as a PDF. */
static void test_svg_pdf(void **state)
{
    (void)state;
    sg_store *s = open_store();
    sg_render_options *o = grid_options();
    sg_render_result *r = NULL;
    const char *svg = sg_test_path("grids.svg");
    assert_sg_status(ctx, render(s, o, svg, &r), SG_OK);
    assert_int_equal(r->format, SG_RENDER_FORMAT_SVG);
    xmlDocPtr doc = xmlReadFile(
        svg, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    assert_non_null(doc);
    assert_string_equal((const char *)xmlDocGetRootElement(doc)->name, "svg");
    xmlFreeDoc(doc);
    const char *pdf = sg_test_path("grids.pdf");
    assert_sg_status(ctx, render(s, o, pdf, &r), SG_OK);
    size_t len = 0;
    char *data = sg_test_read_file(pdf, &len);
    assert_non_null(data);
    assert_true(len > 1000);
    assert_memory_equal(data, "%PDF-", 5);
    assert_non_null(strstr(data + len - 8, "%%EOF"));
    free(data);
    /* --format wins over the extension */
    assert_sg_status(
        ctx, sg_render_options_set_format(ctx, o, SG_RENDER_FORMAT_SVG), SG_OK);
    const char *odd = sg_test_path("grids.map");
    assert_sg_status(ctx, render(s, o, odd, &r), SG_OK);
    assert_int_equal(r->format, SG_RENDER_FORMAT_SVG);
    assert_true(sg_test_file_contains(odd, "<svg"));
    sg_render_options_free(o);
    sg_render_result_free(r);
    sg_store_close(s);
}

/* --division: the extent is the division's, the title names it. */
static void test_division(void **state)
{
    (void)state;
    sg_store *s = open_store();
    sg_render_options *o = grid_options();
    assert_sg_status(ctx, sg_render_options_set_division(ctx, o, DIV), SG_OK);
    sg_render_result *r = NULL;
    const char *png = sg_test_path("div.png");
    assert_sg_status(ctx, render(s, o, png, &r), SG_OK);
    assert_true(r->extent[0] <= X0 && r->extent[2] >= X0 + 300);
    assert_true(r->extent[2] - r->extent[0] < 400);
    image im = read_png(png);
    assert_color_at(&im, r, 25, 20, 255, 0, 0);
    /* above the village, inside the frame: veiled, light */
    int px, py, c[3];
    to_page(r, 150, 140, &px, &py);
    if (py > r->frame[1] + 2) {
        pixel(&im, px, py, c);
        assert_true(c[0] > 230 && c[1] > 230 && c[2] > 230);
    }
    cairo_surface_destroy(im.s);
    /* an unknown division is a usage error */
    assert_sg_status(ctx, sg_render_options_set_division(ctx, o, "123"), SG_OK);
    assert_sg_status(ctx, render(s, o, png, &r), SG_ERR_USAGE);
    assert_contains(sg_ctx_errmsg(ctx), "123");
    sg_render_options_free(o);
    sg_render_result_free(r);
    sg_store_close(s);
}

/* The errors a user can reach. */
static void test_errors(void **state)
{
    (void)state;
    sg_store *s = open_store();
    sg_render_options *o = sg_render_options_new();
    sg_render_result *r = NULL;
    assert_sg_status(ctx,
                     sg_render_options_set_theme(ctx, o, (sg_render_theme)9),
                     SG_ERR_USAGE);
    assert_sg_status(ctx, sg_render_options_set_size(ctx, o, 10, 10),
                     SG_ERR_USAGE);
    assert_sg_status(ctx, sg_render_options_set_dpi(ctx, o, 0), SG_ERR_USAGE);
    assert_sg_status(ctx, sg_render_options_set_lang(ctx, o, "fr"),
                     SG_ERR_USAGE);
    assert_sg_status(ctx,
                     sg_render_options_set_format(ctx, o, (sg_render_format)4),
                     SG_ERR_USAGE);
    assert_sg_status(ctx, sg_render_options_add_style(ctx, o, "/nonexistent"),
                     SG_ERR_IO_OPEN);
    sg_test_write_file(sg_test_path("broken.sld"), "<StyledLayerDescriptor");
    assert_sg_status(
        ctx, sg_render_options_add_style(ctx, o, sg_test_path("broken.sld")),
        SG_ERR_IO_FORMAT);
    /* the extension tells the format, or it is a usage error */
    assert_sg_status(ctx, render(s, o, sg_test_path("x.gif"), &r),
                     SG_ERR_USAGE);
    /* a folder that does not exist */
    assert_sg_status(ctx, render(s, o, "/nonexistent/d/x.png", &r),
                     SG_ERR_IO_WRITE);
    assert_sg_status(ctx, render(s, o, "/nonexistent/d/x.pdf", &r),
                     SG_ERR_IO_WRITE);
    /* coverage has not run: the message says what to run */
    assert_sg_status(
        ctx, sg_render_options_set_theme(ctx, o, SG_RENDER_THEME_COVERAGE),
        SG_OK);
    assert_sg_status(ctx, render(s, o, sg_test_path("c.png"), &r),
                     SG_ERR_NOT_FOUND);
    assert_contains(sg_ctx_errmsg(ctx), "run `sanigrid coverage` first");
    assert_false(sg_render_theme_available(ctx, s, SG_RENDER_THEME_COVERAGE));
    assert_true(sg_render_theme_available(ctx, s, SG_RENDER_THEME_GRIDS));
    assert_false(sg_render_theme_available(ctx, s, SG_RENDER_THEME_RANKING));
    assert_sg_status(
        ctx, sg_render_options_set_theme(ctx, o, SG_RENDER_THEME_RANKING),
        SG_OK);
    assert_sg_status(ctx, render(s, o, sg_test_path("k.png"), &r),
                     SG_ERR_NOT_FOUND);
    assert_contains(sg_ctx_errmsg(ctx), "no layer rankings: run `sanigrid "
                                        "rank` first");
    /* a style filtering on a column the layer lacks; personal columns
     * count as lacking */
    static const char bad[] =
        "<StyledLayerDescriptor xmlns=\"http://www.opengis.net/sld\" "
        "xmlns:ogc=\"http://www.opengis.net/ogc\"><NamedLayer><Name>grids"
        "</Name><UserStyle><FeatureTypeStyle><Rule><ogc:Filter>"
        "<ogc:PropertyIsNull><ogc:PropertyName>grid_leader"
        "</ogc:PropertyName></ogc:PropertyIsNull></ogc:Filter>"
        "<PolygonSymbolizer/></Rule></FeatureTypeStyle></UserStyle>"
        "</NamedLayer></StyledLayerDescriptor>";
    sg_test_write_file(sg_test_path("leader.sld"), bad);
    sg_render_options_free(o);
    o = sg_render_options_new();
    assert_sg_status(
        ctx, sg_render_options_add_style(ctx, o, sg_test_path("leader.sld")),
        SG_OK);
    assert_sg_status(ctx, render(s, o, sg_test_path("l.png"), &r),
                     SG_ERR_USAGE);
    assert_contains(sg_ctx_errmsg(ctx), "grid_leader");
    sg_render_options_free(o);
    sg_render_result_free(r);
    sg_store_close(s);
}

/* After `coverage`, the coverage theme draws: households, radius circles
 * (radius from the run), blind spots. */
static void test_coverage_theme(void **state)
{
    (void)state;
    sg_store *s = NULL;
    assert_sg_status(ctx, sg_store_open(ctx, store_path, 0, &s), SG_OK);
    sg_coverage_options *co = sg_coverage_options_new();
    sg_coverage_result *cr = NULL;
    assert_sg_status(ctx, sg_coverage(ctx, s, co, &cr), SG_OK);
    sg_coverage_result_free(cr);
    sg_coverage_options_free(co);
    assert_true(sg_render_theme_available(ctx, s, SG_RENDER_THEME_COVERAGE));
    sg_render_options *o = sg_render_options_new();
    assert_sg_status(
        ctx, sg_render_options_set_theme(ctx, o, SG_RENDER_THEME_COVERAGE),
        SG_OK);
    assert_sg_status(ctx, sg_render_options_set_size(ctx, o, 800, 500), SG_OK);
    sg_render_result *r = NULL;
    const char *png = sg_test_path("coverage.png");
    assert_sg_status(ctx, render(s, o, png, &r), SG_OK);
    assert_int_equal(r->missing_glyphs, 0);
    /* 3 households, the point twice (symbol and radius), the village, the
     * road, and any blind spots */
    assert_true(r->features >= 7);
    image im = read_png(png);
    /* H1 is 11 m from the point: green (#1a9850) at its centre */
    int px, py, c[3];
    to_page(r, 140, 80, &px, &py);
    pixel(&im, px, py, c);
    assert_true(abs(c[0] - 0x1a) <= 6 && abs(c[1] - 0x98) <= 6 &&
                abs(c[2] - 0x50) <= 6);
    /* inside the 120 m radius circle, away from symbols: a green tint */
    to_page(r, 150, 30, &px, &py);
    pixel(&im, px, py, c);
    assert_true(c[1] > c[0] && c[1] > c[2]);
    cairo_surface_destroy(im.s);
    sg_render_options_free(o);
    sg_render_result_free(r);
    sg_store_close(s);
}

/* The report: one file, the sections present, inline SVG with ids
 * prefixed per map, sortable tables, no network references. */
static void test_report(void **state)
{
    (void)state;
    sg_store *s = open_store();
    sg_render_options *o = sg_render_options_new();
    assert_sg_status(ctx, sg_render_options_set_date(ctx, o, "2026-11-30"),
                     SG_OK);
    sg_report_result *r = NULL;
    const char *html = sg_test_path("report.html");
    assert_sg_status(ctx, report(s, o, html, &r), SG_OK);
    assert_int_equal(r->sections, 2); /* grids and coverage */
    assert_int_equal(r->maps, 2);
    assert_true(r->tables >= 4);
    size_t len = 0;
    char *text = sg_test_read_file(html, &len);
    assert_non_null(text);
    assert_int_equal((long long)len, r->bytes);
    assert_contains(text, "<html lang=\"zh-CN\">");
    assert_contains(text, "网格检查");
    assert_contains(text, "id=\"t-grids-1\"");
    assert_contains(text, "id=\"t-coverage-1\"");
    assert_contains(text, "id=\"m1-");
    assert_contains(text, "href=\"#m2-");
    assert_contains(text, "2026-11-30");
    assert_null(strstr(text, "<?xml"));
    /* no reference leaves the page, outside the inlined Leaflet whose
     * source names its web site in a string */
    char *leaflet = strstr(text, "<script id=\"leaflet-js\">");
    char *leaflet_end = leaflet ? strstr(leaflet, "</script>") : NULL;
    if (leaflet && leaflet_end)
        memset(leaflet, ' ', (size_t)(leaflet_end - leaflet));
    assert_null(strstr(text, "src=\"http"));
    assert_null(strstr(text, "href=\"http"));
    assert_null(strstr(text, "@import"));
    /* personal data never reaches the report */
    assert_null(strstr(text, "张三"));
    free(text);
    /* English */
    assert_sg_status(ctx, sg_render_options_set_lang(ctx, o, "en"), SG_OK);
    assert_sg_status(ctx, report(s, o, html, &r), SG_OK);
    assert_true(sg_test_file_contains(html, "<html lang=\"en\">"));
    assert_true(sg_test_file_contains(html, "Grid check"));
    assert_sg_status(ctx, report(s, o, "/nonexistent/r->html", &r),
                     SG_ERR_IO_WRITE);
    sg_render_options_free(o);
    sg_report_result_free(r);
    sg_store_close(s);
}

/* A store with no analyses yet: a report with no sections, no error. */
static void test_report_empty(void **state)
{
    (void)state;
    sg_store *s = sg_test_store_new(ctx, "empty.sqlite", 4545);
    sg_report_result *r = NULL;
    const char *html = sg_test_path("empty.html");
    assert_sg_status(ctx, report(s, NULL, html, &r), SG_OK);
    assert_int_equal(r->sections, 0);
    assert_int_equal(r->maps, 0);
    assert_true(sg_test_file_contains(html, "</html>"));
    /* and no map to draw */
    assert_sg_status(ctx, sg_render(ctx, s, NULL, sg_test_path("e.png"), NULL),
                     SG_ERR_NOT_FOUND);
    sg_report_result_free(r);
    sg_store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fmt_grouped),
        cmocka_unit_test(test_enum_names),
        cmocka_unit_test(test_grids_png),
        cmocka_unit_test(test_builtin_styles_png),
        cmocka_unit_test(test_svg_pdf),
        cmocka_unit_test(test_division),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_coverage_theme),
        cmocka_unit_test(test_report),
        cmocka_unit_test(test_report_empty),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
