/* Unit tests for src/geom without GEOS: the cell index's box span
 * (cellindex.c), and the one WKB reader (wkb.c) as the renderer uses it: every
 * part of a point, line, polygon and multi-geometry read with its coordinates,
 * and a set sized to what it holds (a map keeps one set per feature: a first
 * reservation of 256 vertices and 64 parts each made 1.3 GB of a county's
 * coverage map). The WKB is written here byte by byte, not by the code under
 * test. Not for: geometry operations (test_check, test_coverage use GEOS).
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "geom/cells_int.h"
#include "geom/wkb_int.h"
#include "helpers.h"

/* A little-endian WKB under construction. */
typedef struct wkb {
    unsigned char b[4096];
    size_t n;
} wkb;

static void put_u8(wkb *w, unsigned v)
{
    w->b[w->n++] = (unsigned char)v;
}

static void put_u32(wkb *w, unsigned v)
{
    for (int i = 0; i < 4; i++)
        put_u8(w, (v >> (8 * i)) & 0xff);
}

static void put_f64(wkb *w, double v)
{
    unsigned char t[8];
    memcpy(t, &v, 8);
    /* the test machines are little-endian, as WKB byte order 1 */
    for (int i = 0; i < 8; i++)
        put_u8(w, t[i]);
}

/* Header: byte order 1, type \p type. */
static void head(wkb *w, unsigned type)
{
    put_u8(w, 1);
    put_u32(w, type);
}

/* A run of \p n vertices (i, 10 i + k). */
static void run(wkb *w, unsigned n, double k)
{
    put_u32(w, n);
    for (unsigned i = 0; i < n; i++) {
        put_f64(w, i);
        put_f64(w, 10.0 * i + k);
    }
}

static void test_parts_and_size(void **state)
{
    (void)state;
    sg__lineset s = {0};
    int kind = -1;
    wkb w = {{0}, 0};

    /* a point: one part of one vertex, in a set of about its size */
    head(&w, 1);
    put_f64(&w, 3.5);
    put_f64(&w, -2.25);
    assert_int_equal(sg__wkb_read_paths(w.b, w.n, &s, &kind), 1);
    assert_int_equal(kind, 1);
    assert_int_equal(s.nparts, 1);
    assert_int_equal(s.nv, 1);
    assert_true(s.xy[0] == 3.5 && s.xy[1] == -2.25);
    assert_true(s.cap_v <= 4);
    assert_true(s.cap_p <= 4);
    sg__lineset_cleanup(&s);

    /* a two-vertex road segment */
    w.n = 0;
    head(&w, 2);
    run(&w, 2, 1);
    assert_int_equal(sg__wkb_read_paths(w.b, w.n, &s, &kind), 1);
    assert_int_equal(kind, 2);
    assert_int_equal(s.nv, 2);
    assert_true(s.xy[2] == 1 && s.xy[3] == 11);
    assert_true(s.cap_v <= 4);
    sg__lineset_cleanup(&s);

    /* a polygon with a hole: two parts, ring by ring */
    w.n = 0;
    head(&w, 3);
    put_u32(&w, 2);
    run(&w, 5, 0);
    run(&w, 4, 0.5);
    assert_int_equal(sg__wkb_read_paths(w.b, w.n, &s, &kind), 1);
    assert_int_equal(kind, 3);
    assert_int_equal(s.nparts, 2);
    assert_int_equal(s.start[0], 0);
    assert_int_equal(s.start[1], 5);
    assert_int_equal(s.start[2], 9);
    assert_true(s.xy[2 * 5 + 1] == 0.5 && s.xy[2 * 8] == 3);
    assert_true(s.cap_v <= 2 * 9);
    sg__lineset_cleanup(&s);

    /* a multilinestring of 40 parts grows the set part by part */
    w.n = 0;
    head(&w, 5);
    put_u32(&w, 40);
    for (unsigned p = 0; p < 40; p++) {
        head(&w, 2);
        run(&w, 3, p);
    }
    assert_int_equal(sg__wkb_read_paths(w.b, w.n, &s, &kind), 1);
    assert_int_equal(s.nparts, 40);
    assert_int_equal(s.nv, 120);
    for (size_t p = 0; p < 40; p++) {
        assert_int_equal(s.start[p], 3 * p);
        assert_true(s.xy[2 * (3 * p + 2) + 1] == 20.0 + (double)p);
    }
    assert_true(s.cap_v >= 120 && s.cap_v <= 2 * 120);
    sg__lineset_cleanup(&s);
    assert_null(s.xy);
}

/* The cells a box touches, clamped to the grid; none for a box outside.
 * Two boxes (0,0)-(10,10) and (90,40)-(100,50) with 10 m cells make a
 * grid of 10 x 5 cells from (0, 0). */
static void test_cells_span(void **state)
{
    (void)state;
    sg_ctx *ctx = sg_ctx_new();
    sg__cells g = {0};
    const double boxes[8] = {0, 0, 10, 10, 90, 40, 100, 50};
    assert_int_equal(sg__cells_build(ctx, &g, boxes, 2, 10), SG_OK);
    assert_true(g.x0 <= 0 && g.y0 <= 0);
    int sp[4] = {-7, -7, -7, -7};
    /* inside: the cells of its corners */
    assert_int_equal(
        sg__cells_span(&g, g.x0 + 15, g.y0 + 5, g.x0 + 35, g.y0 + 25, sp), 1);
    assert_int_equal(sp[0], 1);
    assert_int_equal(sp[1], 0);
    assert_int_equal(sp[2], 3);
    assert_int_equal(sp[3], 2);
    /* over the edges: clamped */
    assert_int_equal(sg__cells_span(&g, g.x0 - 1000, g.y0 - 1000, g.x0 + 1e9,
                                    g.y0 + 1e9, sp),
                     1);
    assert_int_equal(sp[0], 0);
    assert_int_equal(sp[1], 0);
    assert_int_equal(sp[2], g.nx - 1);
    assert_int_equal(sp[3], g.ny - 1);
    /* outside on every side, and an inverted box: no cell, span kept */
    sp[0] = 42;
    assert_int_equal(
        sg__cells_span(&g, g.x0 - 50, g.y0, g.x0 - 1, g.y0 + 5, sp), 0);
    assert_int_equal(
        sg__cells_span(&g, g.x0 + 1e6, g.y0, g.x0 + 2e6, g.y0 + 5, sp), 0);
    assert_int_equal(sg__cells_span(&g, g.x0, g.y0 - 9, g.x0 + 5, g.y0 - 1, sp),
                     0);
    assert_int_equal(
        sg__cells_span(&g, g.x0, g.y0 + 1e6, g.x0 + 5, g.y0 + 2e6, sp), 0);
    assert_int_equal(
        sg__cells_span(&g, g.x0 + 30, g.y0, g.x0 + 10, g.y0 + 5, sp), 0);
    assert_int_equal(sp[0], 42);
    sg__cells_cleanup(&g);
    sg_ctx_free(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parts_and_size),
        cmocka_unit_test(test_cells_span),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
