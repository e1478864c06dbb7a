/* sg_network(): build the road graph of a store and describe it. Writes
 * table network_components (one row per connected component, largest
 * road length first) and layer network_dangles (the dangling ends, for
 * digitising checks), and records the run.
 * Not for: the graph rules themselves (graph.c), paths (paths.c).
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "net/net_int.h"
#include "sanigrid/json.h"
#include "store/store_int.h"

void sg__network_defaults(sg_network_options *o)
{
    memset(o, 0, sizeof *o);
    o->snap_m = 0;
    o->node_crossings = 0;
}

sg_network_options *sg_network_options_new(void)
{
    sg_network_options *o = malloc(sizeof *o);
    if (o)
        sg__network_defaults(o);
    return o;
}

void sg_network_options_free(sg_network_options *opts)
{
    free(opts);
}

sg_status sg_network_options_set_snap_m(sg_ctx *ctx, sg_network_options *opts,
                                        double m)
{
    if (!(m >= 0) || !isfinite(m))
        return sg__error(ctx, SG_ERR_USAGE,
                         "network: snap-m (the farthest a dangling end is "
                         "joined) must be a distance >= 0 m, not %g",
                         m);
    opts->snap_m = m;
    return SG_OK;
}

sg_status sg_network_options_set_node_crossings(sg_ctx *ctx,
                                                sg_network_options *opts,
                                                int on)
{
    if (on != 0 && on != 1)
        return sg__error(ctx, SG_ERR_USAGE,
                         "network: node-crossings must be 0 (off) or 1 (on), "
                         "not %d",
                         on);
    opts->node_crossings = on;
    return SG_OK;
}

void sg_network_result_free(sg_network_result *result)
{
    free(result);
}

/* Seconds of the monotonic clock. */
static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static const sg__column comp_cols[] = {
    {"component", "INTEGER"},
    {"roads", "INTEGER"},
    {"nodes", "INTEGER"},
    {"edges", "INTEGER"},
    {"dangling_ends", "INTEGER"},
    {"length_m", "REAL"},
    {"share", "REAL"},
};

static const sg__column dangle_cols[] = {
    {"node", "INTEGER"},
    {"component", "INTEGER"},
};

/* Write table network_components and layer network_dangles (inside the
 * caller's transaction). */
static sg_status write_layers(sg_ctx *ctx, sg_store *store, const sg__graph *g)
{
    sg__insert *st = NULL;
    size_t nc = sizeof comp_cols / sizeof comp_cols[0];
    size_t nd = sizeof dangle_cols / sizeof dangle_cols[0];
    sg_status s = sg__store_create_result(ctx, store, "network_components",
                                          NULL, comp_cols, nc, "路网连通分量",
                                          "Road network components");
    if (s == SG_OK)
        s = sg__store_prepare_result_insert(ctx, store, "network_components",
                                            comp_cols, nc, 0, &st);
    for (size_t c = 0; s == SG_OK && c < g->ncomp; c++) {
        const sg__comp *k = g->comps + c;
        sg__insert_int64(st, 1, (long long)c + 1);
        sg__insert_int64(st, 2, k->roads);
        sg__insert_int64(st, 3, k->nodes);
        sg__insert_int64(st, 4, k->edges);
        sg__insert_int64(st, 5, k->dangles);
        sg__insert_double(st, 6, k->length_m);
        sg__insert_double(st, 7,
                          g->length_m > 0 ? k->length_m / g->length_m : 0.0);
        s = sg__insert_step(ctx, store, st);
    }
    sg__insert_free(st);
    st = NULL;
    if (s == SG_OK)
        s = sg__store_create_result(ctx, store, "network_dangles", "POINT",
                                    dangle_cols, nd, "道路断头",
                                    "Dangling road ends");
    if (s == SG_OK)
        s = sg__store_prepare_result_insert(ctx, store, "network_dangles",
                                            dangle_cols, nd, 1, &st);
    for (size_t v = 0; s == SG_OK && v < g->nnodes; v++) {
        if (g->off[v + 1] - g->off[v] != 1)
            continue;
        unsigned char wkb[21];
        sg__wkb_write_point(wkb, g->x[v], g->y[v]);
        sg__insert_int64(st, 1, (long long)v + 1);
        sg__insert_int64(st, 2, (long long)g->comp[v] + 1);
        sg__insert_blob(st, 3, wkb, sizeof wkb);
        s = sg__insert_step(ctx, store, st);
    }
    sg__insert_free(st);
    return s;
}

sg_status sg_network(sg_ctx *ctx, sg_store *store,
                     const sg_network_options *opts, sg_network_result **result)
{
    double t0 = now_s(), saved[2];
    sg_network_options defaults;
    sg__graph *g = NULL;
    sg__network_defaults(&defaults);
    if (!opts)
        opts = &defaults;
    if (result)
        *result = NULL;
    /* inputs are read inside the transaction that writes the results */
    sg_status st = sg__store_begin(ctx, store);
    if (st)
        return st;
    if (!sg__store_has_layer(store, "roads") || sg_store_srid(store) == 0) {
        sg__store_rollback(store);
        return sg__error(ctx, SG_ERR_INPUT,
                         "store %s has no roads yet; import roads first",
                         sg_store_path(store));
    }
    sg__progress_push(ctx, 0.0, 0.8, saved);
    st = sg__graph_from_store(ctx, store, opts, &g);
    sg__progress_pop(ctx, saved);
    if (st) {
        sg__store_rollback(store);
        return st;
    }
    sg_network_result r;
    sg__graph_result(g, &r);
    sg_network_result *out = result ? malloc(sizeof *out) : NULL;
    sg_json j;
    sg_json_begin(&j, NULL);
    sg_json_object(&j, NULL);
    sg_json_num(&j, "snap_m", opts->snap_m);
    sg_json_bool(&j, "node_crossings", opts->node_crossings);
    sg_json_end_object(&j);
    char *params = sg_json_finish_string(&j);
    sg_json_begin(&j, NULL);
    sg_json_object(&j, NULL);
    sg_json_int(&j, "roads", r.roads);
    sg_json_int(&j, "nodes", r.nodes);
    sg_json_int(&j, "edges", r.edges);
    sg_json_num(&j, "length_m", round(r.length_m * 1000) / 1000);
    sg_json_int(&j, "components", r.components);
    sg_json_num(&j, "largest_share", r.largest_share);
    sg_json_int(&j, "dangling_ends", r.dangling_ends);
    sg_json_int(&j, "snapped", r.snapped);
    sg_json_int(&j, "crossings", r.crossings);
    sg_json_end_object(&j);
    char *counts = sg_json_finish_string(&j);
    /* the write transaction began before the roads were read */
    st = params && counts && (out || !result)
             ? SG_OK
             : sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    if (st == SG_OK)
        st = write_layers(ctx, store, g);
    if (st == SG_OK)
        st = sg__store_record_run(ctx, store, "network", params, counts,
                                  now_s() - t0);
    if (st == SG_OK)
        st = sg__store_commit(ctx, store);
    if (st)
        sg__store_rollback(store);
    if (st == SG_OK)
        st = sg__progress(ctx, 1.0, "network");
    sg__graph_free(g);
    sg_free(params);
    sg_free(counts);
    if (st == SG_OK && result) {
        *out = r;
        *result = out;
    } else {
        free(out);
    }
    return st;
}
