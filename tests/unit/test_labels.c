/* Unit tests of label placement (src/render/labels.c, pole.c) through the
 * map's list of placed labels (sg__map.placed): an L-shaped and a
 * U-shaped grid, whose centroids lie outside them, are labelled inside,
 * at least 55 m from their outline (the largest circle inside either has
 * a radius of 100 sqrt 2 / (1 + sqrt 2) = 58.6 m, by hand: it touches the
 * two outer sides at a corner and the inner corner), checked by
 * SpatiaLite on the store (ST_Contains, ST_Distance), not by the
 * renderer; and on a map of many small grids and two large ones, each
 * hugged by a thin bracket-shaped grid whose box is larger than the large
 * grid but whose area is a quarter of it and whose label would take the
 * large one's place, both large grids are labelled. A multipolygon is
 * labelled at the pole of its larger part.
 * Not for: pixels of maps (test_render.c).
 * SPDX-License-Identifier: MIT */
#include <cairo.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "render/render_int.h"

#define X0 500000.0
#define Y0 3300000.0
#define DIV "999001100201"

static sg_ctx *ctx;

/* ---- fixture
 * ------------------------------------------------------------------ */

/* Append to \p buf a GeoJSON grid feature named \p name with code DIV
 * \p code and the ring of \p n local vertices \p xy (closed here). */
static void grid(char *buf, size_t size, const char *code, const char *name,
                 const double *xy, size_t n)
{
    size_t o = strlen(buf);
    o += (size_t)snprintf(
        buf + o, size - o,
        "%s{\"type\":\"Feature\",\"properties\":{\"grid_code\":\"" DIV
        "%s\",\"name\":\"%s\",\"level\":1,\"division_code\":\"" DIV
        "\",\"grid_leader\":\"张三\"},\"geometry\":{\"type\":\"Polygon\","
        "\"coordinates\":[[",
        buf[o - 1] == '}' ? "," : "", code, name);
    for (size_t i = 0; i <= n; i++)
        o += (size_t)snprintf(buf + o, size - o, "%s[%.1f,%.1f]", i ? "," : "",
                              X0 + xy[2 * (i % n)], Y0 + xy[2 * (i % n) + 1]);
    snprintf(buf + o, size - o, "]]}}");
}

/* Append a rectangle grid [x0,x1] x [y0,y1]. */
static void rect(char *buf, size_t size, const char *code, const char *name,
                 double x0, double y0, double x1, double y1)
{
    double xy[] = {x0, y0, x1, y0, x1, y1, x0, y1};
    grid(buf, size, code, name, xy, 4);
}

/* Import GeoJSON \p text (EPSG:4545) into \p layer of \p s. */
static void import_text(sg_store *s, const char *layer, const char *text)
{
    const char *path = sg_test_path("labels-in.geojson");
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

/* A store \p name with one village over [-50,700] x [-50,400] and the
 * grids of GeoJSON features \p grids, checked. \return its path (copied
 * into \p path). */
static void make_store(const char *name, const char *grids, char *path,
                       size_t size)
{
    char buf[2048];
    sg_store *s = sg_test_store_new(ctx, name, 4545);
    assert_non_null(s);
    snprintf(path, size, "%s", sg_store_path(s));
    snprintf(buf, sizeof buf,
             "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":"
             "\"Feature\",\"properties\":{\"division_code\":\"" DIV "\","
             "\"name\":\"测试村\",\"level\":\"admin_village\"},\"geometry\":"
             "{\"type\":\"Polygon\",\"coordinates\":[[[%.1f,%.1f],[%.1f,%.1f],"
             "[%.1f,%.1f],[%.1f,%.1f],[%.1f,%.1f]]]}}]}",
             X0 - 50, Y0 - 50, X0 + 700, Y0 - 50, X0 + 700, Y0 + 400, X0 - 50,
             Y0 + 400, X0 - 50, Y0 - 50);
    import_text(s, "divisions", buf);
    import_text(s, "grids", grids);
    sg_check_result *cr = NULL;
    assert_sg_status(ctx, sg_check(ctx, s, NULL, &cr), SG_OK);
    sg_check_result_free(cr);
    sg_store_close(s);
}

/* Draw the grids map of store \p path (800 x 500, labels of the grids'
 * names in 16 px unless \p style is NULL) into \p m (prepared and
 * drawn; caller cleans up with sg__map_cleanup). */
static void draw(const char *path, sg__map *m, sg_render_options *o)
{
    sg_store *s = NULL;
    assert_sg_status(ctx, sg_store_open(ctx, path, SG_STORE_READONLY, &s),
                     SG_OK);
    assert_sg_status(ctx, sg__map_prepare(ctx, s, o, m), SG_OK);
    cairo_surface_t *surf =
        cairo_image_surface_create(CAIRO_FORMAT_RGB24, m->width, m->height);
    cairo_t *cr = cairo_create(surf);
    assert_sg_status(ctx, sg__map_draw(m, cr), SG_OK);
    cairo_destroy(cr);
    cairo_surface_destroy(surf);
    sg_store_close(s);
}

/* Options for the grids map, 800 x 500, with the grids' names at
 * \p font_size px. Caller frees. */
static sg_render_options *options(int font_size)
{
    char style[2048];
    snprintf(style, sizeof style,
             "<StyledLayerDescriptor version=\"1.0.0\" "
             "xmlns=\"http://www.opengis.net/sld\" "
             "xmlns:ogc=\"http://www.opengis.net/ogc\"><NamedLayer><Name>"
             "grids</Name><UserStyle><Title>t</Title><FeatureTypeStyle><Rule>"
             "<Name>r</Name><Title>网格</Title><PolygonSymbolizer><Fill>"
             "<CssParameter name=\"fill\">#ffe0b2</CssParameter></Fill>"
             "<Stroke><CssParameter name=\"stroke\">#555555</CssParameter>"
             "</Stroke></PolygonSymbolizer><TextSymbolizer><Label>"
             "<ogc:PropertyName>name</ogc:PropertyName></Label><Font>"
             "<CssParameter name=\"font-size\">%d</CssParameter></Font>"
             "</TextSymbolizer></Rule></FeatureTypeStyle></UserStyle>"
             "</NamedLayer></StyledLayerDescriptor>",
             font_size);
    const char *sp = sg_test_path("labels.sld");
    sg_test_write_file(sp, style);
    sg_render_options *o = sg_render_options_new();
    assert_non_null(o);
    assert_sg_status(
        ctx, sg_render_options_set_theme(ctx, o, SG_RENDER_THEME_GRIDS), SG_OK);
    assert_sg_status(ctx, sg_render_options_set_size(ctx, o, 800, 500), SG_OK);
    assert_sg_status(ctx, sg_render_options_set_date(ctx, o, "2026-11-30"),
                     SG_OK);
    assert_sg_status(ctx, sg_render_options_add_style(ctx, o, sp), SG_OK);
    return o;
}

/* The placed label \p text of \p m, or NULL. */
static const sg__placed *placed(const sg__map *m, const char *text)
{
    for (size_t i = 0; i < m->nplaced; i++)
        if (strcmp(m->placed[i].text, text) == 0)
            return &m->placed[i];
    return NULL;
}

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
    sg_test_sql_close();
    sg_ctx_free(ctx);
    sg_library_shutdown();
    return 0;
}

/* ---- tests
 * ------------------------------------------------------------------------ */

/* An L and a U whose centroids are outside: labelled inside, far from
 * the outline (at the pole of inaccessibility). */
static void test_pole(void **state)
{
    (void)state;
    static const double ell[] = {0,   0,   300, 0,   300, 100,
                                 100, 100, 100, 300, 0,   300};
    static const double you[] = {400, 0,   700, 0,   700, 300, 600, 300,
                                 600, 100, 500, 100, 500, 300, 400, 300};
    char grids[8192] = "{\"type\":\"FeatureCollection\",\"features\":[";
    grid(grids, sizeof grids, "001", "曲尺", ell, 6);
    grid(grids, sizeof grids, "002", "凹字", you, 8);
    /* a multipolygon: a 30 m square, then a 200 m one, whose pole (its
     * middle, 100 m from its sides) is the label's */
    size_t len = strlen(grids);
    snprintf(grids + len, sizeof grids - len,
             ",{\"type\":\"Feature\",\"properties\":{\"grid_code\":\"" DIV
             "003\",\"name\":\"两块\",\"level\":1,\"division_code\":\"" DIV
             "\",\"grid_leader\":\"张三\"},\"geometry\":{\"type\":"
             "\"MultiPolygon\",\"coordinates\":[[[[%.1f,%.1f],[%.1f,%.1f],"
             "[%.1f,%.1f],[%.1f,%.1f],[%.1f,%.1f]]],[[[%.1f,%.1f],[%.1f,%.1f],"
             "[%.1f,%.1f],[%.1f,%.1f],[%.1f,%.1f]]]]}}",
             X0 + 800, Y0 + 250, X0 + 830, Y0 + 250, X0 + 830, Y0 + 280,
             X0 + 800, Y0 + 280, X0 + 800, Y0 + 250, X0 + 800, Y0, X0 + 1000,
             Y0, X0 + 1000, Y0 + 200, X0 + 800, Y0 + 200, X0 + 800, Y0);
    strcat(grids, "]}");
    char db[4096];
    make_store("labels-pole.sqlite", grids, db, sizeof db);
    sg_render_options *o = options(12);
    sg__map m;
    draw(db, &m, o);
    const sg__placed *two = placed(&m, "两块");
    if (!two)
        fail_msg("the multipolygon grid is not labelled");
    if (fabs(two->wx - X0 - 900) > 1 || fabs(two->wy - Y0 - 100) > 1)
        fail_msg("the multipolygon's label is at (%.1f, %.1f), not at its "
                 "larger part's pole (900, 100)",
                 two->wx - X0, two->wy - Y0);
    static const char *const names[] = {"曲尺", "凹字"};
    for (int i = 0; i < 2; i++) {
        const sg__placed *p = placed(&m, names[i]);
        if (!p)
            fail_msg("grid %s is not labelled", names[i]);
        char sql[1024];
        /* the premise: the centroid is outside */
        snprintf(sql, sizeof sql,
                 "SELECT ST_Contains(geom, ST_Centroid(geom)) FROM grids "
                 "WHERE name = '%s'",
                 names[i]);
        assert_int_equal((int)sg_test_sql_number(db, sql), 0);
        snprintf(sql, sizeof sql,
                 "SELECT ST_Contains(geom, MakePoint(%.3f, %.3f, 4545)) FROM "
                 "grids WHERE name = '%s'",
                 p->wx, p->wy, names[i]);
        if ((int)sg_test_sql_number(db, sql) != 1)
            fail_msg("label of %s at (%.1f, %.1f) is outside it", names[i],
                     p->wx - X0, p->wy - Y0);
        snprintf(sql, sizeof sql,
                 "SELECT ST_Distance(ST_Boundary(geom), MakePoint(%.3f, %.3f, "
                 "4545)) FROM grids WHERE name = '%s'",
                 p->wx, p->wy, names[i]);
        double d = sg_test_sql_number(db, sql);
        if (!(d >= 55))
            fail_msg("label of %s at (%.1f, %.1f) is %.1f m from its "
                     "outline, not at the pole (58.6 m)",
                     names[i], p->wx - X0, p->wy - Y0, d);
    }
    sg__map_cleanup(&m);
    sg_render_options_free(o);
}

/* Append a bracket hugging the rectangle [x, x+200] x [0, 60] on its
 * top, right and bottom: 10 m bands above and below, 30 m on the right
 * with a 10 m bump in its middle (where its widest circle, so its label,
 * is, beside the rectangle's). */
static void bracket(char *buf, size_t size, const char *code, const char *name,
                    double x)
{
    double xy[] = {x,       -10, x + 230, -10, x + 230, 20, x + 240, 20,
                   x + 240, 40,  x + 230, 40,  x + 230, 70, x,       70,
                   x,       60,  x + 200, 60,  x + 200, 0,  x,       0};
    grid(buf, size, code, name, xy, 12);
}

/* Two large grids, each hugged by a bracket whose box is larger (19 200
 * m² against 12 000) but whose area is about half (6 600 m²), too low for
 * a label to move up or down, and a row of small grids: the large grids'
 * labels are placed. */
static void test_largest_kept(void **state)
{
    (void)state;
    char grids[16384] = "{\"type\":\"FeatureCollection\",\"features\":[";
    rect(grids, sizeof grids, "001", "东片大网格第一责任区", 0, 0, 200, 60);
    bracket(grids, sizeof grids, "002", "东片沿河带状网格", 0);
    rect(grids, sizeof grids, "003", "西片大网格第二责任区", 400, 0, 600, 60);
    bracket(grids, sizeof grids, "004", "西片沿河带状网格", 400);
    for (int i = 0; i < 12; i++) {
        char code[8], name[32];
        snprintf(code, sizeof code, "%03d", 10 + i);
        snprintf(name, sizeof name, "小网格%d", i + 1);
        rect(grids, sizeof grids, code, name, 55.0 * i, 120, 55.0 * i + 50,
             170);
    }
    strcat(grids, "]}");
    char db[4096];
    make_store("labels-largest.sqlite", grids, db, sizeof db);
    /* the premise: each bracket's box is larger than its large grid */
    assert_true(sg_test_sql_number(db, "SELECT (MbrMaxX(geom) - "
                                       "MbrMinX(geom)) * (MbrMaxY(geom) - "
                                       "MbrMinY(geom)) FROM grids WHERE "
                                       "grid_code LIKE '%002'") > 12000);
    assert_true(sg_test_sql_number(db, "SELECT ST_Area(geom) FROM grids "
                                       "WHERE grid_code LIKE '%002'") <
                sg_test_sql_number(db, "SELECT ST_Area(geom) FROM grids "
                                       "WHERE grid_code LIKE '%001'"));
    sg_render_options *o = options(16);
    sg__map m;
    draw(db, &m, o);
    /* labels collided (the test means something) */
    assert_true(m.labels_skipped >= 1);
    assert_non_null(placed(&m, "东片大网格第一责任区"));
    assert_non_null(placed(&m, "西片大网格第二责任区"));
    sg__map_cleanup(&m);
    sg_render_options_free(o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pole),
        cmocka_unit_test(test_largest_kept),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
