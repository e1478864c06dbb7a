/* The demo of `sanigrid demo`: builds a store from the bundled data
 * (OpenStreetMap data, ODbL, see data/demo/README.md), runs every
 * analysis on it (check, network and coverage, staffing, allocate, plan,
 * site, rank, route), exports the layers with their styles, draws a map
 * per theme and writes the report. Every analysis adds one step to the
 * table in cli_demo().
 * Part of the tool, not the library: it drives public include/sanigrid/
 * calls only; its progress is scaled by the CLI's bar
 * (cli_progress_push) and its failures name their step in a message of
 * its own (the library's message with a prefix).
 * SPDX-License-Identifier: MIT */
#define _GNU_SOURCE /* vasprintf */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/demo.h"

/* Demo input: store layer and file in data_dir/demo/. */
static const struct {
    const char *layer;
    const char *file;
} inputs[] = {
    {"divisions", "divisions.geojson"},
    {"grids", "grids.geojson"},
    {"roads", "roads.geojson"},
    {"points", "points.geojson"},
    {"households", "households.geojson"},
    {"cleaners", "cleaners.geojson"},
    {"inspections", "inspections.csv"},
    {"inspections", "inspections_items.csv"},
};

/* The village the demo plans grids for: Schellenberg, the one with the
 * most households (186, data/demo/README.md), in as many grids as it has
 * today (4), so that the plan map compares like with like (the default
 * of 300 households per grid would give it a single grid). */
#define DEMO_PLAN_DIVISION "999001100204"
#define DEMO_TOWNSHIP "999001100000" /* Unterland */
#define DEMO_PLAN_GRIDS 4

/* What every step gets: where the data is, where outputs go, the result
 * it adds to, and the failure it reports. */
typedef struct demo_run {
    const char *data_dir;
    const char *out_dir;
    cli_demo_result *result;
    sg_status st; /* the failure, once there is one */
    char *err;    /* its message (errsize bytes) */
    size_t errsize;
} demo_run;

/* A failure of the demo itself: status \p st and the message \p fmt
 * (already translated). \return \p st. */
static sg_status demo_fail(demo_run *run, sg_status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static sg_status demo_fail(demo_run *run, sg_status st, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(run->err, run->errsize, fmt, ap);
    va_end(ap);
    run->st = st;
    return st;
}

static sg_status oom(demo_run *run)
{
    return demo_fail(run, SG_ERR_NOMEM, "%s", _("out of memory"));
}

/* Failure \p st of a library call with \p ctx: its message and status
 * (the context's) become the demo's, unless the demo failed on its own
 * first. \return the failure's status; SG_OK when \p st is. */
static sg_status lib_failed(demo_run *run, sg_ctx *ctx, sg_status st)
{
    if (st == SG_OK || run->st != SG_OK)
        return st == SG_OK ? SG_OK : run->st;
    sg_status cs = sg_ctx_status(ctx);
    return demo_fail(run, cs != SG_OK ? cs : st, "%s", sg_ctx_errmsg(ctx));
}

/* As lib_failed, with the message prefixed by \p fmt (already
 * translated; "demo check: "): which step failed. */
static sg_status named(demo_run *run, sg_ctx *ctx, sg_status st,
                       const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static sg_status named(demo_run *run, sg_ctx *ctx, sg_status st,
                       const char *fmt, ...)
{
    if ((st = lib_failed(run, ctx, st)) == SG_OK)
        return SG_OK;
    char prefix[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(prefix, sizeof prefix, fmt, ap);
    va_end(ap);
    char *old = strdup(run->err);
    if (old)
        snprintf(run->err, run->errsize, "%s%s", prefix, old);
    free(old);
    return st;
}

/* \return a new string as printf formats it, or NULL. Caller frees. */
static char *demo_aprintf(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

static char *demo_aprintf(const char *fmt, ...)
{
    char *s = NULL;
    va_list ap;
    va_start(ap, fmt);
    if (vasprintf(&s, fmt, ap) < 0)
        s = NULL;
    va_end(ap);
    return s;
}

/* Remember an output file in the result. */
static sg_status add_output(demo_run *run, const char *path)
{
    cli_demo_result *r = run->result;
    char **o = realloc(r->outputs, (r->noutputs + 1) * sizeof *o);
    if (!o)
        return oom(run);
    r->outputs = o;
    if (!(o[r->noutputs] = strdup(path)))
        return oom(run);
    r->noutputs++;
    return SG_OK;
}

/* Step: import every demo layer. */
static sg_status step_import(sg_ctx *ctx, sg_store *store, demo_run *run)
{
    const char *data_dir = run->data_dir;
    cli_demo_result *r = run->result;
    size_t n = sizeof inputs / sizeof inputs[0];
    for (size_t i = 0; i < n; i++) {
        char *src = demo_aprintf("%s/demo/%s", data_dir, inputs[i].file);
        sg_import_result *res = NULL;
        double saved[2];
        cli_progress_push((double)i / (double)n, (double)(i + 1) / (double)n,
                          saved);
        sg_status st =
            src ? sg_import(ctx, store, inputs[i].layer, src, NULL, &res)
                : oom(run);
        cli_progress_pop(saved);
        if (res) {
            r->imported += res->imported;
            r->rejected += res->rejected;
        }
        sg_import_result_free(res);
        free(src);
        if (st)
            return named(run, ctx, st, _("demo import of %s: "),
                         inputs[i].layer);
    }
    return SG_OK;
}

/* Step: check the grids (gaps, overlaps, hierarchy, owners). */
static sg_status step_check(sg_ctx *ctx, sg_store *store, demo_run *run)
{
    (void)run;
    sg_check_options *co = sg_check_options_new();
    sg_check_result *cr = NULL;
    if (!co)
        return oom(run);
    sg_status st = sg_check(ctx, store, co, &cr);
    sg_check_result_free(cr);
    sg_check_options_free(co);
    return named(run, ctx, st, _("demo check: "));
}

/* Step: the road network and the coverage of households by collection
 * points, straight line and along roads (defaults from the settings). */
static sg_status step_coverage(sg_ctx *ctx, sg_store *store, demo_run *run)
{
    (void)run;
    sg_network_options *no = sg_network_options_new();
    sg_coverage_options *co = sg_coverage_options_new();
    sg_network_result *nr = NULL;
    sg_coverage_result *cr = NULL;
    sg_status st = no && co ? SG_OK : oom(run);
    double saved[2];
    if (st == SG_OK) {
        cli_progress_push(0.0, 0.3, saved);
        st = sg_network(ctx, store, no, &nr);
        cli_progress_pop(saved);
    }
    if (st == SG_OK) {
        cli_progress_push(0.3, 1.0, saved);
        st = sg_coverage(ctx, store, co, &cr);
        cli_progress_pop(saved);
    }
    sg_network_result_free(nr);
    sg_coverage_result_free(cr);
    sg_network_options_free(no);
    sg_coverage_options_free(co);
    return named(run, ctx, st, _("demo coverage: "));
}

/* Step: cleaner staffing per village. */
static sg_status step_staffing(sg_ctx *ctx, sg_store *store, demo_run *run)
{
    (void)run;
    sg_staffing_result *sr = NULL;
    sg_status st = sg_staffing(ctx, store, NULL, &sr);
    sg_staffing_result_free(sr);
    return named(run, ctx, st, _("demo staffing: "));
}

/* Step: split every village's roads and households among its cleaners
 * (as many as staffing requires, or the existing ones if more), with the
 * defaults of `sanigrid allocate --all`. */
static sg_status step_allocate(sg_ctx *ctx, sg_store *store, demo_run *run)
{
    (void)run;
    sg_allocate_options *ao = sg_allocate_options_new();
    sg_allocate_result *ar = NULL;
    if (!ao)
        return oom(run);
    sg_status st = sg_allocate(ctx, store, ao, &ar);
    sg_allocate_result_free(ar);
    sg_allocate_options_free(ao);
    return named(run, ctx, st, _("demo allocate: "));
}

/* Step: propose grids for one village (DEMO_PLAN_DIVISION). */
static sg_status step_plan(sg_ctx *ctx, sg_store *store, demo_run *run)
{
    (void)run;
    sg_plan_options *po = sg_plan_options_new();
    sg_plan_result *pr = NULL;
    if (!po)
        return oom(run);
    sg_status st = sg_plan_options_set_grids(ctx, po, DEMO_PLAN_GRIDS);
    if (st == SG_OK)
        st = sg_plan_options_set_division(ctx, po, DEMO_PLAN_DIVISION);
    if (st == SG_OK)
        st = sg_plan(ctx, store, po, &pr);
    sg_plan_result_free(pr);
    sg_plan_options_free(po);
    return named(run, ctx, st, _("demo plan: "));
}

/* Step: one new collection point, along roads, in the village with the
 * worst coverage (`sanigrid site --add 1 --division worst`). */
static sg_status step_site(sg_ctx *ctx, sg_store *store, demo_run *run)
{
    (void)run;
    sg_site_options *so = sg_site_options_new();
    sg_site_result *sr = NULL;
    if (!so)
        return oom(run);
    sg_status st = sg_site_options_set_add(ctx, so, 1);
    if (st == SG_OK)
        st = sg_site_options_set_candidates(ctx, so, "roads");
    if (st == SG_OK)
        st = sg_site_options_set_division(ctx, so, "worst");
    if (st == SG_OK)
        st = sg_site(ctx, store, so, &sr);
    sg_site_result_free(sr);
    sg_site_options_free(so);
    return named(run, ctx, st, _("demo site: "));
}

/* Step: rank the villages on the measured indicators and the synthetic
 * inspections (the quarter of the latest inspection, the settings'
 * weights). The demo township has 5 villages: lists of 2 and 1 instead
 * of the default 10 and 5, which would put every village on the red
 * list. */
static sg_status step_rank(sg_ctx *ctx, sg_store *store, demo_run *run)
{
    (void)run;
    sg_rank_options *ro = sg_rank_options_new();
    sg_rank_result *rr = NULL;
    if (!ro)
        return oom(run);
    sg_status st = sg_rank_options_set_red(ctx, ro, 2);
    if (st == SG_OK)
        st = sg_rank_options_set_black(ctx, ro, 1);
    if (st == SG_OK)
        st = sg_rank(ctx, store, ro, &rr);
    sg_rank_result_free(rr);
    sg_rank_options_free(ro);
    return named(run, ctx, st, _("demo rank: "));
}

/* Step: the collection routes of the township from its transfer station
 * (P020; `sanigrid route --division ...`), with a fixed number of search
 * steps so that every run draws the same routes. */
static sg_status step_route(sg_ctx *ctx, sg_store *store, demo_run *run)
{
    sg_route_options *o = sg_route_options_new();
    sg_vrp_options *vo = sg_vrp_options_new();
    sg_route_result *r = NULL;
    sg_status st;
    if (!o || !vo) {
        st = oom(run);
        goto done;
    }
    st = sg_route_options_set_division(ctx, o, DEMO_TOWNSHIP);
    if (st == SG_OK)
        st = sg_vrp_options_set_iterations(ctx, vo, 20000);
    if (st == SG_OK)
        st = sg_vrp_options_set_time_limit(ctx, vo, 1e6);
    if (st == SG_OK)
        st = sg_route_options_set_solver(ctx, o, vo);
    if (st == SG_OK)
        st = sg_route(ctx, store, o, &r);
    st = named(run, ctx, st, _("demo route: "));
done:
    sg_route_result_free(r);
    sg_vrp_options_free(vo);
    sg_route_options_free(o);
    return st;
}

/* Step: export every non-empty layer (GeoJSON, or CSV for tables), and
 * beside each GeoJSON the layer's style (.sld and the QGIS .qml) when it has
 * one. */
static sg_status step_export(sg_ctx *ctx, sg_store *store, demo_run *run)
{
    const char *out_dir = run->out_dir;
    sg_layer_info *layers = NULL;
    size_t nl = 0;
    sg_status st = sg_store_layers(ctx, store, &layers, &nl);
    sg_export_options *eo = sg_export_options_new();
    if (!eo)
        st = oom(run);
    else
        st = sg_export_options_set_overwrite(ctx, eo, 1);
    for (size_t i = 0; st == SG_OK && i < nl; i++) {
        if (layers[i].count == 0)
            continue;
        char *out = demo_aprintf("%s/%s.%s", out_dir, layers[i].name,
                                 layers[i].geometry_type ? "geojson" : "csv");
        double saved[2];
        cli_progress_push((double)i / (double)nl, (double)(i + 1) / (double)nl,
                          saved);
        st = out ? sg_export(ctx, store, layers[i].name, out, eo, NULL)
                 : oom(run);
        cli_progress_pop(saved);
        if (st == SG_OK)
            st = add_output(run, out);
        if (st == SG_OK && layers[i].geometry_type)
            st = sg_style_write_sidecar(ctx, layers[i].name, out, NULL);
        if (st == SG_OK && layers[i].geometry_type) /* the same for QGIS */
            st = sg_style_write_qml_sidecar(ctx, layers[i].name, out, NULL);
        free(out);
    }
    /* what an office hands on: Chinese spreadsheets of the tables leaders
     * read, and the cleaners' areas as KML for field phones (奥维) */
    static const char *const people[][2] = {
        {"rankings", "xlsx"},
        {"staffing", "xlsx"},
        {"coverage_stats", "xlsx"},
        {"allocation_summary", "xlsx"},
        {"service_areas", "kml"},
        {"site_proposals", "kml"},
        /* the drivers' stops in order, and the timetable */
        {"route_stops", "kml"},
        {"routes", "kml"},
        {"route_stops", "csv"}};
    if (st == SG_OK)
        st = sg_export_options_set_lang(ctx, eo, "zh");
    for (size_t i = 0; st == SG_OK && i < sizeof people / sizeof people[0];
         i++) {
        long long rows = 0;
        for (size_t k = 0; k < nl; k++)
            if (!strcmp(layers[k].name, people[i][0]))
                rows = layers[k].count;
        if (rows == 0)
            continue;
        char *out =
            demo_aprintf("%s/%s.%s", out_dir, people[i][0], people[i][1]);
        st =
            out ? sg_export(ctx, store, people[i][0], out, eo, NULL) : oom(run);
        if (st == SG_OK)
            st = add_output(run, out);
        free(out);
    }
    sg_export_options_free(eo);
    sg_layer_info_free(layers, nl);
    return named(run, ctx, st, _("demo export: "));
}

/* Step: the map of every theme whose layers the store has (PNG; after
 * the steps above, every theme), the report (HTML), in Chinese, and the
 * village sheets (sheets.pdf). */
static sg_status step_maps(sg_ctx *ctx, sg_store *store, demo_run *run)
{
    const char *out_dir = run->out_dir;
    sg_render_options *ro = sg_render_options_new();
    sg_status st = ro ? SG_OK : oom(run);
    const char *const *themes = sg_render_theme_names();
    size_t nt = 0;
    while (themes[nt])
        nt++;
    /* one share per map, two for the report (it draws every map again) */
    double share = 1.0 / (double)(nt + 2), saved[2];
    for (size_t i = 0; st == SG_OK && themes[i]; i++) {
        sg_render_theme theme = (sg_render_theme)i; /* names in enum order */
        if (!sg_render_theme_available(ctx, store, theme))
            continue;
        char *out = demo_aprintf("%s/map-%s.png", out_dir, themes[i]);
        st = out ? sg_render_options_set_theme(ctx, ro, theme) : oom(run);
        cli_progress_push((double)i * share, (double)(i + 1) * share, saved);
        if (st == SG_OK)
            st = sg_render(ctx, store, ro, out, NULL);
        cli_progress_pop(saved);
        if (st == SG_OK)
            st = add_output(run, out);
        free(out);
    }
    char *html = st == SG_OK ? demo_aprintf("%s/report.html", out_dir) : NULL;
    if (st == SG_OK && !html)
        st = oom(run);
    cli_progress_push((double)nt * share, 1.0, saved);
    if (st == SG_OK)
        st = sg_report(ctx, store, ro, html, NULL);
    cli_progress_pop(saved);
    if (st == SG_OK)
        st = add_output(run, html);
    free(html);
    /* the village sheets (一村一表), one A4 page per village */
    char *pdf = st == SG_OK ? demo_aprintf("%s/sheets.pdf", out_dir) : NULL;
    if (st == SG_OK && !pdf)
        st = oom(run);
    if (st == SG_OK) {
        cli_progress_push(1.0, 1.0, saved);
        st = sg_sheets(ctx, store, NULL, pdf, NULL);
        cli_progress_pop(saved);
    }
    if (st == SG_OK)
        st = add_output(run, pdf);
    free(pdf);
    sg_render_options_free(ro);
    return named(run, ctx, st, _("demo maps: "));
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

/* The steps, in order, each with the share of the progress range it
 * ends at (about its share of the run time on the demo data, measured;
 * creating the store comes before them). A new analysis adds one row
 * before step_export. */
static const struct {
    sg_status (*fn)(sg_ctx *ctx, sg_store *store, demo_run *run);
    double end;
} steps[] = {
    {step_import, 0.10},   {step_check, 0.12},    {step_coverage, 0.16},
    {step_staffing, 0.17}, {step_allocate, 0.25}, {step_plan, 0.27},
    {step_site, 0.28},     {step_rank, 0.29},     {step_route, 0.30},
    {step_export, 0.50},   {step_maps, 1.0},
};

/* Report progress of the demo's own work (\p msg translated); a stop
 * asked for (SIGINT) is a cancelled run, as in the library. */
static sg_status demo_progress(demo_run *run, double frac, const char *msg)
{
    if (cli_progress(frac, msg))
        return SG_OK;
    return demo_fail(run, SG_ERR_CANCELLED, "%s", _("cancelled"));
}

sg_status cli_demo(sg_ctx *ctx, const char *data_dir, const char *out_dir,
                   const char *store_path, cli_demo_result **result, char *err,
                   size_t errsize)
{
    *result = NULL;
    err[0] = '\0';
    demo_run run = {data_dir, out_dir, NULL, SG_OK, err, errsize};
    struct stat sb;
    char *probe = demo_aprintf("%s/demo/%s", data_dir, inputs[0].file);
    int have = probe && stat(probe, &sb) == 0;
    free(probe);
    if (!have)
        return demo_fail(&run, SG_ERR_IO_OPEN,
                         _("demo data not found in %s/demo (give --data DIR)"),
                         data_dir);
    if (mkdir(out_dir, 0777) != 0 && errno != EEXIST)
        return demo_fail(&run, SG_ERR_IO_WRITE, _("cannot create %s: %s"),
                         out_dir, strerror(errno));
    cli_demo_result *r = calloc(1, sizeof *r);
    if (!r)
        return oom(&run);
    run.result = r;
    r->store_path = store_path ? strdup(store_path)
                               : demo_aprintf("%s/demo.sqlite", out_dir);
    if (!r->store_path) {
        cli_demo_result_free(r);
        return oom(&run);
    }
    if (!store_path) /* a store given by the caller is never removed */
        remove_store(r->store_path);
    sg_store *store = NULL;
    sg_status st = demo_progress(&run, 0.0, _("creating the store"));
    if (st == SG_OK)
        st = lib_failed(&run, ctx,
                        sg_store_create(ctx, r->store_path, 0, &store));
    for (size_t i = 0; st == SG_OK && i < sizeof steps / sizeof steps[0]; i++) {
        double saved[2];
        cli_progress_push(i ? steps[i - 1].end : 0.0, steps[i].end, saved);
        st = steps[i].fn(ctx, store, &run);
        cli_progress_pop(saved);
    }
    if (st == SG_OK)
        st = demo_progress(&run, 1.0, _("demo"));
    sg_store_close(store);
    if (st) {
        cli_demo_result_free(r);
        return st;
    }
    *result = r;
    return SG_OK;
}

void cli_demo_result_free(cli_demo_result *r)
{
    if (!r)
        return;
    free(r->store_path);
    for (size_t i = 0; i < r->noutputs; i++)
        free(r->outputs[i]);
    free(r->outputs);
    free(r);
}
