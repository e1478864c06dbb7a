/* The demo: builds a store from the bundled data (OpenStreetMap data,
 * ODbL, see data/demo/README.md), runs each step, exports the layers.
 * Every analysis adds one step to the table below.
 * This module sits above all others: it may call any public API; only
 * the CLI calls it.
 * SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/ctx_int.h"
#include "sanigrid/sanigrid.h"
#include "sanigrid/render.h"

/* Demo input: store layer and file in data_dir/demo/. */
static const struct {
    const char *layer;
    const char *file;
} inputs[] = {
    {"divisions", "divisions.geojson"},   {"grids", "grids.geojson"},
    {"roads", "roads.geojson"},           {"points", "points.geojson"},
    {"households", "households.geojson"}, {"cleaners", "cleaners.geojson"},
    {"inspections", "inspections.csv"},
    {"inspections", "inspections_items.csv"},
};

/* Remember an output file in the result. */
static sg_status add_output(sg_ctx *ctx, sg_demo_result *r, const char *path)
{
    char **o = realloc(r->outputs, (r->noutputs + 1) * sizeof *o);
    if (!o)
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    r->outputs = o;
    if (!(o[r->noutputs] = sg__strdup(ctx, path)))
        return SG_ERR_NOMEM;
    r->noutputs++;
    return SG_OK;
}

/* Step: import every demo layer. */
static sg_status step_import(sg_ctx *ctx, sg_store *store,
                             const char *data_dir, sg_demo_result *r)
{
    size_t n = sizeof inputs / sizeof inputs[0];
    for (size_t i = 0; i < n; i++) {
        char *src = sg__aprintf("%s/demo/%s", data_dir, inputs[i].file);
        sg_import_result *res = NULL;
        double saved[2];
        sg__progress_push(ctx, (double)i / (double)n,
                          (double)(i + 1) / (double)n, saved);
        sg_status st = src ? sg_import(ctx, store, inputs[i].layer, src, NULL,
                                       &res)
                           : SG_ERR_NOMEM;
        sg__progress_pop(ctx, saved);
        if (res) {
            r->imported += res->imported;
            r->rejected += res->rejected;
        }
        sg_import_result_free(res);
        free(src);
        if (st)
            return sg__error_prefix(ctx, "demo import of %s: ",
                                    inputs[i].layer);
    }
    return SG_OK;
}

/* Step: check the grids (gaps, overlaps, hierarchy, owners). */
static sg_status step_check(sg_ctx *ctx, sg_store *store, sg_demo_result *r)
{
    (void)r;
    sg_check_options *co = sg_check_options_new();
    sg_check_result *cr = NULL;
    if (!co)
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    sg_status st = sg_check(ctx, store, co, &cr);
    sg_check_result_free(cr);
    sg_check_options_free(co);
    return st ? sg__error_prefix(ctx, "demo check: ") : SG_OK;
}

/* Step: the road network and the coverage of households by collection
 * points, straight line and along roads (defaults from the settings). */
static sg_status step_coverage(sg_ctx *ctx, sg_store *store)
{
    sg_network_options *no = sg_network_options_new();
    sg_coverage_options *co = sg_coverage_options_new();
    sg_network_result nr;
    sg_coverage_result cr;
    sg_status st = no && co ? SG_OK
                            : sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    if (st == SG_OK)
        st = sg_network(ctx, store, no, &nr);
    if (st == SG_OK)
        st = sg_coverage(ctx, store, co, &cr);
    sg_network_options_free(no);
    sg_coverage_options_free(co);
    return st ? sg__error_prefix(ctx, "demo coverage: ") : SG_OK;
}

/* Step: cleaner staffing per village. */
static sg_status step_staffing(sg_ctx *ctx, sg_store *store)
{
    sg_staffing_result sr;
    sg_status st = sg_staffing(ctx, store, NULL, &sr);
    return st ? sg__error_prefix(ctx, "demo staffing: ") : SG_OK;
}

/* Step: rank the villages on the measured indicators and the synthetic
 * inspections (the quarter of the latest inspection, the settings'
 * weights). The demo township has 5 villages: lists of 2 and 1 instead
 * of the default 10 and 5, which would put every village on the red
 * list. */
static sg_status step_rank(sg_ctx *ctx, sg_store *store)
{
    sg_rank_options *ro = sg_rank_options_new();
    sg_rank_result *rr = NULL;
    if (!ro)
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    sg_rank_options_set_red(ro, 2);
    sg_rank_options_set_black(ro, 1);
    sg_status st = sg_rank(ctx, store, ro, &rr);
    sg_rank_result_free(rr);
    sg_rank_options_free(ro);
    return st ? sg__error_prefix(ctx, "demo rank: ") : SG_OK;
}

/* Step: export every non-empty layer (GeoJSON, or CSV for tables). */
static sg_status step_export(sg_ctx *ctx, sg_store *store,
                             const char *out_dir, sg_demo_result *r)
{
    sg_layer_info *layers = NULL;
    size_t nl = 0;
    sg_status st = sg_store_layers(ctx, store, &layers, &nl);
    sg_export_options *eo = sg_export_options_new();
    if (!eo)
        st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    else
        sg_export_options_set_overwrite(eo, 1);
    for (size_t i = 0; st == SG_OK && i < nl; i++) {
        if (layers[i].count == 0)
            continue;
        char *out = sg__aprintf("%s/%s.%s", out_dir, layers[i].name,
                                layers[i].geometry_type ? "geojson" : "csv");
        st = out ? sg_export(ctx, store, layers[i].name, out, eo, NULL)
                 : SG_ERR_NOMEM;
        if (st == SG_OK)
            st = add_output(ctx, r, out);
        if (st == SG_OK && layers[i].geometry_type)
            st = sg_style_write_sidecar(ctx, layers[i].name, out, NULL);
        free(out);
    }
    sg_export_options_free(eo);
    sg_layer_info_free(layers, nl);
    return st;
}

/* Step: the map of every theme whose layers the store has (PNG), and
 * the report (HTML), in Chinese. */
static sg_status step_maps(sg_ctx *ctx, sg_store *store, const char *out_dir,
                           sg_demo_result *r)
{
    sg_render_options *ro = sg_render_options_new();
    sg_status st = ro ? SG_OK : sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    const char *const *themes = sg_render_theme_names();
    for (size_t i = 0; st == SG_OK && themes[i]; i++) {
        if (!sg_render_theme_available(ctx, store, themes[i]))
            continue;
        char *out = sg__aprintf("%s/map-%s.png", out_dir, themes[i]);
        st = out ? sg_render_options_set_theme(ctx, ro, themes[i])
                 : sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        if (st == SG_OK)
            st = sg_render(ctx, store, ro, out, NULL);
        if (st == SG_OK)
            st = add_output(ctx, r, out);
        free(out);
    }
    char *html = st == SG_OK ? sg__aprintf("%s/report.html", out_dir) : NULL;
    if (st == SG_OK && !html)
        st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    if (st == SG_OK)
        st = sg_report(ctx, store, ro, html, NULL);
    if (st == SG_OK)
        st = add_output(ctx, r, html);
    free(html);
    sg_render_options_free(ro);
    return st ? sg__error_prefix(ctx, "demo maps: ") : SG_OK;
}

/* Remove an earlier demo store and its WAL files. */
static void remove_store(const char *path)
{
    char aux[4200];
    unlink(path);
    snprintf(aux, sizeof aux, "%s-wal", path);
    unlink(aux);
    snprintf(aux, sizeof aux, "%s-shm", path);
    unlink(aux);
}

sg_status sg_demo(sg_ctx *ctx, const char *data_dir, const char *out_dir,
                  sg_demo_result **result)
{
    *result = NULL;
    struct stat sb;
    char *probe = sg__aprintf("%s/demo/%s", data_dir, inputs[0].file);
    int have = probe && stat(probe, &sb) == 0;
    free(probe);
    if (!have)
        return sg__error(ctx, SG_ERR_IO_OPEN,
                         "demo data not found in %s/demo (give --data DIR)",
                         data_dir);
    if (mkdir(out_dir, 0777) != 0 && errno != EEXIST)
        return sg__error(ctx, SG_ERR_IO_WRITE, "cannot create %s: %s",
                         out_dir, strerror(errno));
    sg_demo_result *r = calloc(1, sizeof *r);
    if (!r)
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    r->store_path = sg__aprintf("%s/demo.sqlite", out_dir);
    if (!r->store_path) {
        sg_demo_result_free(r);
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    }
    remove_store(r->store_path);
    sg_store *store = NULL;
    sg_status st = sg_store_create(ctx, r->store_path, 0, &store);
    /* The steps, in order; each later analysis adds its own. */
    double saved[2];
    if (st == SG_OK) {
        sg__progress_push(ctx, 0.0, 0.6, saved);
        st = step_import(ctx, store, data_dir, r);
        sg__progress_pop(ctx, saved);
    }
    if (st == SG_OK) {
        sg__progress_push(ctx, 0.6, 0.7, saved);
        st = step_check(ctx, store, r);
        sg__progress_pop(ctx, saved);
    }
    if (st == SG_OK) {
        sg__progress_push(ctx, 0.7, 0.72, saved);
        st = step_coverage(ctx, store);
        sg__progress_pop(ctx, saved);
    }
    if (st == SG_OK) {
        sg__progress_push(ctx, 0.72, 0.75, saved);
        st = step_staffing(ctx, store);
        sg__progress_pop(ctx, saved);
    }
    if (st == SG_OK) {
        sg__progress_push(ctx, 0.75, 0.8, saved);
        st = step_rank(ctx, store);
        sg__progress_pop(ctx, saved);
    }
    if (st == SG_OK) {
        sg__progress_push(ctx, 0.8, 0.9, saved);
        st = step_export(ctx, store, out_dir, r);
        sg__progress_pop(ctx, saved);
    }
    if (st == SG_OK) {
        sg__progress_push(ctx, 0.9, 1.0, saved);
        st = step_maps(ctx, store, out_dir, r);
        sg__progress_pop(ctx, saved);
    }
    if (st == SG_OK)
        st = sg__progress(ctx, 1.0, "demo");
    sg_store_close(store);
    if (st) {
        sg_demo_result_free(r);
        return st;
    }
    *result = r;
    return SG_OK;
}

void sg_demo_result_free(sg_demo_result *r)
{
    if (!r)
        return;
    free(r->store_path);
    for (size_t i = 0; i < r->noutputs; i++)
        free(r->outputs[i]);
    free(r->outputs);
    free(r);
}
