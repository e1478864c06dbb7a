/* Tests of the road network: the connection rules (shared vertices only,
 * noded crossings, snapped dangling ends) on hand-made fixtures, the
 * network_components table and network_dangles layer, errors, and the
 * multi-source shortest-path pass against a plain textbook Dijkstra.
 * Fixtures are metric coordinates in EPSG:4545 so the arithmetic can be
 * done by hand.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "net/net_int.h"

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

/* Import GeoJSON \p text (coordinates in EPSG:4545) into \p layer. */
static void import_text(sg_store *s, const char *layer, const char *file,
                        const char *text)
{
    const char *path = sg_test_path(file);
    sg_test_write_file(path, text);
    sg_import_options *o = sg_import_options_new();
    assert_non_null(o);
    assert_sg_status(ctx, sg_import_options_set_src_crs(ctx, o, "EPSG:4545"),
                     SG_OK);
    sg_import_result *r = NULL;
    assert_sg_status(ctx, sg_import(ctx, s, layer, path, o, &r), SG_OK);
    assert_int_equal(r->rejected, 0);
    sg_import_result_free(r);
    sg_import_options_free(o);
}

/* A LineString road feature (\p coords: "[x,y],[x,y]..."). */
#define ROAD(id, coords)                                                       \
    "{\"type\":\"Feature\",\"properties\":{\"road_id\":\"" id "\"},"           \
    "\"geometry\":{\"type\":\"LineString\",\"coordinates\":[" coords "]}}"

#define FC(features)                                                           \
    "{\"type\":\"FeatureCollection\",\"features\":[" features "]}"

/* The main road with an interior vertex used by a lane, a road crossing
 * it without a shared vertex (a bridge), and a separate road. */
static const char *const roads_basic = FC(ROAD(
    "R1",
    "[500000,3300000],[500250,3300000],[500500,3300000],"
    "[501000,3300000]") "," ROAD("R2",
                                 "[500500,3300000],[500500,"
                                 "3300200]") "," ROAD("R3",
                                                      "[500300,"
                                                      "3299800]"
                                                      ",["
                                                      "500300,"
                                                      "3300200"
                                                      "]") "," ROAD("R4",
                                                                    "[503000,"
                                                                    "3300000],["
                                                                    "503500,"
                                                                    "3300000"
                                                                    "]"));

/* A store holding roads_basic (and \p extra roads if not NULL). */
static sg_store *basic_store(const char *name, const char *extra)
{
    sg_store *s = sg_test_store_new(ctx, name, 4545);
    import_text(s, "roads", "roads_basic.geojson", roads_basic);
    if (extra)
        import_text(s, "roads", "roads_extra.geojson", extra);
    return s;
}

/* Shared vertices connect (also inside a line); a crossing without one
 * does not. */
static void test_shared_vertices_only(void **state)
{
    (void)state;
    sg_store *s = basic_store("net_basic.sqlite", NULL);
    sg_network_result *rp = NULL;
    assert_sg_status(ctx, sg_network(ctx, s, NULL, &rp), SG_OK);
    assert_non_null(rp);
    sg_network_result r = *rp;
    sg_network_result_free(rp);
    assert_int_equal(r.roads, 4);
    assert_int_equal(r.nodes, 9);
    assert_int_equal(r.edges, 6);
    assert_true(fabs(r.length_m - 2100) < 1e-9);
    assert_int_equal(r.components, 3);
    assert_true(fabs(r.largest_share - 1200.0 / 2100) < 1e-12);
    assert_int_equal(r.dangling_ends, 7);
    assert_int_equal(r.crossings, 0);
    assert_int_equal(r.nlargest, 3);
    assert_int_equal(r.largest[0].roads, 2);
    assert_true(fabs(r.largest[0].length_m - 1200) < 1e-9);
    assert_true(fabs(r.largest[1].length_m - 500) < 1e-9); /* R4 */
    assert_true(fabs(r.largest[2].length_m - 400) < 1e-9); /* R3 */
    sg_store_close(s);
    /* the table and the layer, read independently */
    const char *p = sg_test_path("net_basic.sqlite");
    char *rows = sg_test_sql_rows(
        p, "SELECT component, roads, nodes, edges, dangling_ends, "
           "round(length_m, 6), round(share, 6) FROM network_components "
           "ORDER BY component");
    assert_string_equal(rows, "1|2|5|4|3|1200.0|0.571429\n"
                              "2|1|2|1|2|500.0|0.238095\n"
                              "3|1|2|1|2|400.0|0.190476\n");
    free(rows);
    assert_int_equal(
        (int)sg_test_sql_number(p, "SELECT count(*) FROM network_dangles"), 7);
    /* the lane's end is a dangle of component 1 */
    assert_int_equal((int)sg_test_sql_number(
                         p, "SELECT component FROM network_dangles WHERE "
                            "X(geom) = 500500 AND Y(geom) = 3300200"),
                     1);
    assert_string_equal(sg_test_sql_text(p, "SELECT command FROM runs ORDER "
                                            "BY run_id DESC LIMIT 1"),
                        "network");
}

/* --node-crossings connects the bridge, and only the bridge. */
static void test_node_crossings(void **state)
{
    (void)state;
    sg_store *s = basic_store("net_cross.sqlite", NULL);
    sg_network_options *o = sg_network_options_new();
    assert_sg_status(ctx, sg_network_options_set_node_crossings(ctx, o, 1),
                     SG_OK);
    sg_network_result *r = NULL;
    assert_sg_status(ctx, sg_network(ctx, s, o, &r), SG_OK);
    assert_int_equal(r->crossings, 1);
    assert_int_equal(r->nodes, 10);
    assert_int_equal(r->edges, 8);
    assert_int_equal(r->components, 2);
    assert_true(fabs(r->largest_share - 1600.0 / 2100) < 1e-12);
    assert_int_equal(r->dangling_ends, 7);
    assert_true(fabs(r->length_m - 2100) < 1e-9);
    sg_network_result_free(r);
    sg_network_options_free(o);
    sg_store_close(s);
}

/* --snap-m joins a dangling end to the closest point of another road
 * within the distance: end to end, and end to the middle of a line. */
static void test_snap_dangles(void **state)
{
    (void)state;
    const char *extra =
        FC(ROAD("R5", "[501005,3300000],[501200,3300000]") "," ROAD(
            "R6", "[500700,3300004],[500700,3300100]"));
    sg_network_result *r = NULL;
    sg_network_options *o = sg_network_options_new();
    /* too short a distance: nothing joins */
    sg_store *s = basic_store("net_snap3.sqlite", extra);
    assert_sg_status(ctx, sg_network_options_set_snap_m(ctx, o, 3), SG_OK);
    assert_sg_status(ctx, sg_network(ctx, s, o, &r), SG_OK);
    assert_int_equal(r->snapped, 0);
    assert_int_equal(r->components, 5);
    sg_network_result_free(r);
    r = NULL;
    sg_store_close(s);
    /* 10 m: R5 joins R1's end (5 m), R6 joins R1's middle (4 m) */
    s = basic_store("net_snap10.sqlite", extra);
    assert_sg_status(ctx, sg_network_options_set_snap_m(ctx, o, 10), SG_OK);
    assert_sg_status(ctx, sg_network(ctx, s, o, &r), SG_OK);
    assert_int_equal(r->snapped, 2);
    assert_int_equal(r->components, 3);
    /* road length does not count the connectors */
    assert_true(fabs(r->length_m - (2100 + 195 + 96)) < 1e-9);
    assert_true(fabs(r->largest[0].length_m - (1200 + 195 + 96)) < 1e-9);
    /* R1 was split at (500700, 3300000): 9 + 2 + 2 + 1 nodes */
    assert_int_equal(r->nodes, 14);
    /* dangles: R1 start, lane end, R3 x2, R4 x2, R5 far end, R6 top */
    assert_int_equal(r->dangling_ends, 8);
    sg_network_result_free(r);
    sg_store_close(s);
    sg_network_options_free(o);
}

/* Failures: no roads yet, read-only store. */
static void test_errors(void **state)
{
    (void)state;
    sg_network_result dummy;
    sg_network_result *r = &dummy; /* a failure sets it to NULL */
    sg_store *s = sg_test_store_new(ctx, "net_empty.sqlite", 0);
    assert_sg_status(ctx, sg_network(ctx, s, NULL, &r), SG_ERR_INPUT);
    assert_contains(sg_ctx_errmsg(ctx), "roads");
    assert_null(r);
    sg_store_close(s);
    s = basic_store("net_ro.sqlite", NULL);
    sg_store_close(s);
    const char *p = sg_test_path("net_ro.sqlite");
    assert_sg_status(ctx, sg_store_open(ctx, p, SG_STORE_READONLY, &s), SG_OK);
    assert_sg_status(ctx, sg_network(ctx, s, NULL, &r), SG_ERR_DB_READONLY);
    assert_null(r);
    sg_store_close(s);
    assert_int_equal((int)sg_test_sql_number(
                         p, "SELECT count(*) FROM sg_layers WHERE name = "
                            "'network_components'"),
                     0);
}

/* The setters refuse bad values with a message naming the option and
 * the value, and leave the options as they were; _free(NULL) is safe. */
static void test_option_setters(void **state)
{
    (void)state;
    sg_network_options *o = sg_network_options_new();
    assert_non_null(o);
    assert_sg_status(ctx, sg_network_options_set_snap_m(ctx, o, -3),
                     SG_ERR_USAGE);
    assert_contains(sg_ctx_errmsg(ctx), "snap-m");
    assert_contains(sg_ctx_errmsg(ctx), "-3");
    assert_sg_status(ctx, sg_network_options_set_snap_m(ctx, o, NAN),
                     SG_ERR_USAGE);
    assert_contains(sg_ctx_errmsg(ctx), "snap-m");
    assert_sg_status(ctx, sg_network_options_set_snap_m(ctx, o, INFINITY),
                     SG_ERR_USAGE);
    assert_sg_status(ctx, sg_network_options_set_node_crossings(ctx, o, 2),
                     SG_ERR_USAGE);
    assert_contains(sg_ctx_errmsg(ctx), "node-crossings");
    assert_contains(sg_ctx_errmsg(ctx), "2");
    assert_sg_status(ctx, sg_network_options_set_node_crossings(ctx, o, -1),
                     SG_ERR_USAGE);
    /* unchanged: the defaults (no snapping, shared vertices only) */
    assert_true(o->snap_m == 0);
    assert_int_equal(o->node_crossings, 0);
    assert_sg_status(ctx, sg_network_options_set_snap_m(ctx, o, 0), SG_OK);
    assert_sg_status(ctx, sg_network_options_set_snap_m(ctx, o, 12.5), SG_OK);
    assert_true(o->snap_m == 12.5);
    assert_sg_status(ctx, sg_network_options_set_snap_m(ctx, o, -1),
                     SG_ERR_USAGE);
    assert_true(o->snap_m == 12.5);
    assert_sg_status(ctx, sg_network_options_set_node_crossings(ctx, o, 1),
                     SG_OK);
    assert_int_equal(o->node_crossings, 1);
    sg_network_options_free(o);
    sg_network_options_free(NULL);
    sg_network_result_free(NULL);
}

/* ---- shortest paths against a textbook Dijkstra ---------------------- */

/* A small deterministic random generator (tests must not vary). */
static unsigned long long rng = 88172645463325252ULL;
static double rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (double)(rng >> 11) / 9007199254740992.0;
}

/* Textbook Dijkstra, O(V^2), on an adjacency matrix-free edge list:
 * dist[] from the given initial distances. */
static void textbook(size_t nv, size_t ne, const uint32_t *ea,
                     const uint32_t *eb, const double *w, double *dist)
{
    char *done = calloc(nv, 1);
    assert_non_null(done);
    for (;;) {
        size_t u = nv;
        for (size_t v = 0; v < nv; v++)
            if (!done[v] && isfinite(dist[v]) && (u == nv || dist[v] < dist[u]))
                u = v;
        if (u == nv)
            break;
        done[u] = 1;
        for (size_t e = 0; e < ne; e++) {
            if (ea[e] == u && dist[u] + w[e] < dist[eb[e]])
                dist[eb[e]] = dist[u] + w[e];
            if (eb[e] == u && dist[u] + w[e] < dist[ea[e]])
                dist[ea[e]] = dist[u] + w[e];
        }
    }
    free(done);
}

/* A jittered lattice with random missing links, random sources: every
 * node's distance and label, and the nearest source of random locations,
 * agree with one textbook search per source. */
static void test_paths_textbook(void **state)
{
    (void)state;
    enum { N = 18, NSRC = 9, NQ = 200 };
    double px[N][N], py[N][N];
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            px[i][j] = 500000 + 100 * i + 30 * rnd();
            py[i][j] = 3300000 + 100 * j + 30 * rnd();
        }
    sg__lineset ls = {0};
    int32_t owner = 0;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++)
            for (int d = 0; d < 2; d++) {
                int i2 = i + (d == 0), j2 = j + (d == 1);
                if (i2 >= N || j2 >= N || rnd() < 0.25)
                    continue;
                unsigned char wkb[9 + 2 * 16];
                wkb[0] = 1;
                uint32_t t = 2, n = 2;
                memcpy(wkb + 1, &t, 4);
                memcpy(wkb + 5, &n, 4);
                double c[4] = {px[i][j], py[i][j], px[i2][j2], py[i2][j2]};
                memcpy(wkb + 9, c, sizeof c);
                assert_int_equal(sg__wkb_append_parts(ctx, &ls, wkb, sizeof wkb,
                                                      owner++, "test"),
                                 SG_OK);
            }
    sg__graph *g = NULL;
    assert_sg_status(ctx, sg__graph_build(ctx, &ls, NULL, &g), SG_OK);
    sg__lineset_cleanup(&ls);
    size_t nv = g->nnodes, ne = g->nedges;
    assert_true(nv > 200);
    sg__source src[NSRC];
    for (int k = 0; k < NSRC; k++) {
        double x = 500000 + (N - 1) * 100 * rnd();
        double y = 3300000 + (N - 1) * 100 * rnd();
        assert_true(sg__graph_snap(g, x, y, 1e9, &src[k].at));
        src[k].label = NSRC - 1 - k; /* labels not in insertion order */
    }
    sg__paths paths;
    assert_sg_status(ctx, sg__paths_run(ctx, g, src, NSRC, &paths), SG_OK);
    /* one textbook search per source */
    double *d[NSRC];
    for (int k = 0; k < NSRC; k++) {
        d[k] = malloc(nv * sizeof *d[k]);
        assert_non_null(d[k]);
        for (size_t v = 0; v < nv; v++)
            d[k][v] = INFINITY;
        uint32_t e = src[k].at.edge;
        d[k][g->ea[e]] = src[k].at.d + src[k].at.t * g->elen[e];
        d[k][g->eb[e]] =
            fmin(d[k][g->eb[e]], src[k].at.d + (1 - src[k].at.t) * g->elen[e]);
        textbook(nv, ne, g->ea, g->eb, g->elen, d[k]);
    }
    for (size_t v = 0; v < nv; v++) {
        double best = INFINITY;
        int32_t bl = -1;
        for (int k = 0; k < NSRC; k++)
            if (d[k][v] < best - 1e-9 ||
                (fabs(d[k][v] - best) <= 1e-9 && src[k].label < bl)) {
                best = d[k][v];
                bl = src[k].label;
            }
        if (!isfinite(best)) {
            assert_int_equal(paths.label[v], -1);
            continue;
        }
        assert_true(fabs(paths.dist[v] - best) < 1e-6);
        assert_int_equal(paths.label[v], bl);
    }
    /* random locations: snap, then the best over sources of the two
     * edge ends and the direct way along a shared edge */
    for (int q = 0; q < NQ; q++) {
        double x = 500000 + (N - 1) * 100 * rnd();
        double y = 3300000 + (N - 1) * 100 * rnd();
        sg__snap at;
        assert_true(sg__graph_snap(g, x, y, 1e9, &at));
        uint32_t e = at.edge;
        double best = INFINITY;
        int32_t bl = -1;
        for (int k = 0; k < NSRC; k++) {
            double c = fmin(at.d + at.t * g->elen[e] + d[k][g->ea[e]],
                            at.d + (1 - at.t) * g->elen[e] + d[k][g->eb[e]]);
            if (src[k].at.edge == e)
                c = fmin(c, at.d + fabs(at.t - src[k].at.t) * g->elen[e] +
                                src[k].at.d);
            if (c < best - 1e-6 ||
                (fabs(c - best) <= 1e-6 && src[k].label < bl)) {
                best = c;
                bl = src[k].label;
            }
        }
        double got;
        int32_t gl;
        int ok = sg__paths_nearest(&paths, &at, &got, &gl);
        assert_int_equal(ok, isfinite(best));
        if (ok) {
            assert_true(fabs(got - best) < 1e-6);
            assert_int_equal(gl, bl);
        }
    }
    for (int k = 0; k < NSRC; k++)
        free(d[k]);
    sg__paths_cleanup(&paths);
    sg__graph_free(g);
}

/* Snapping returns the closest road edge, its parameter and distance;
 * nothing beyond the limit. */
static void test_snap(void **state)
{
    (void)state;
    sg_store *s = basic_store("net_snapq.sqlite", NULL);
    sg__graph *g = NULL;
    assert_sg_status(ctx, sg__graph_from_store(ctx, s, NULL, &g), SG_OK);
    sg__snap at;
    assert_true(sg__graph_snap(g, 500100, 3300010, 500, &at));
    assert_true(fabs(at.d - 10) < 1e-9);
    assert_true(fabs(at.t - 0.4) < 1e-12);
    assert_true(fabs(g->elen[at.edge] - 250) < 1e-9);
    /* beyond the lane's end: the end itself, t = 1 or 0 */
    assert_true(sg__graph_snap(g, 500505, 3300200, 500, &at));
    assert_true(fabs(at.d - 5) < 1e-9);
    assert_false(sg__graph_snap(g, 500600, 3300800, 500, &at));
    assert_true(sg__graph_snap(g, 500600, 3300800, 700, &at));
    assert_true(fabs(at.d - hypot(100, 600)) < 1e-9);
    sg__graph_free(g);
    sg_store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shared_vertices_only),
        cmocka_unit_test(test_node_crossings),
        cmocka_unit_test(test_snap_dangles),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_option_setters),
        cmocka_unit_test(test_paths_textbook),
        cmocka_unit_test(test_snap),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
