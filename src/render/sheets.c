/* Village sheets (一村一表): the options, reading each village's cleaners,
 * grids and figures from the store (through store/sheets_sql.c), and the
 * output: one PDF (written beside its final name and renamed at the end)
 * and, on request, a PNG per page. The page layout is sheets_draw.c.
 * Not for: drawing (sheets_draw.c, map.c) or SQL (src/store/).
 * SPDX-License-Identifier: MIT */
#include <cairo-pdf.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/outfile_int.h"
#include "render/sheets_int.h"
#include "store/rank_sql_int.h"

/* ---- options ----------------------------------------------------------------
 */

sg_sheets_options *sg_sheets_options_new(void)
{
    return calloc(1, sizeof(sg_sheets_options));
}

void sg_sheets_options_free(sg_sheets_options *o)
{
    if (!o)
        return;
    for (size_t i = 0; i < o->ndiv; i++)
        free(o->divisions[i]);
    free(o->divisions);
    free(o->png_dir);
    free(o->date);
    free(o);
}

sg_status sg_sheets_options_add_division(sg_ctx *ctx, sg_sheets_options *o,
                                         const char *code)
{
    if (!code || !*code)
        return sg__error(ctx, SG_ERR_USAGE, "empty division code");
    if (o->ndiv >= SG__SHEETS_MAX_DIVISIONS)
        return sg__error(ctx, SG_ERR_USAGE, "at most %d divisions",
                         SG__SHEETS_MAX_DIVISIONS);
    char **nv = realloc(o->divisions, (o->ndiv + 1) * sizeof *nv);
    if (!nv)
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    o->divisions = nv;
    if (!(nv[o->ndiv] = strdup(code)))
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    o->ndiv++;
    return SG_OK;
}

/* Replace owned string \p *dst with a copy of \p s (NULL clears). */
static sg_status set_str(sg_ctx *ctx, char **dst, const char *s)
{
    char *c = NULL;
    if (s && !(c = strdup(s)))
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    free(*dst);
    *dst = c;
    return SG_OK;
}

sg_status sg_sheets_options_set_png_dir(sg_ctx *ctx, sg_sheets_options *o,
                                        const char *dir)
{
    return set_str(ctx, &o->png_dir, dir && *dir ? dir : NULL);
}

sg_status sg_sheets_options_set_date(sg_ctx *ctx, sg_sheets_options *o,
                                     const char *date)
{
    if (date && strlen(date) >= 32)
        return sg__error(ctx, SG_ERR_USAGE, "date too long: %s", date);
    return set_str(ctx, &o->date, date);
}

sg_status sg_sheets_options_set_include_personal(sg_ctx *ctx,
                                                 sg_sheets_options *o,
                                                 int include)
{
    if (include != 0 && include != 1)
        return sg__error(ctx, SG_ERR_USAGE,
                         "sheets: include_personal takes 0 (off) or 1 (on), "
                         "not %d",
                         include);
    o->personal = include;
    return SG_OK;
}

/* ---- one village's data
 * ------------------------------------------------------------ */

/* Free what \p sh owns and empty it. */
static void sheet_cleanup(sg__sheet *sh)
{
    for (size_t i = 0; i < sh->ncleaners; i++) {
        sg__sheet_cleaner *c = &sh->cleaners[i];
        free(c->id);
        free(c->name);
        free(c->roads);
        free(c->grids);
    }
    for (size_t i = 0; i < sh->ngrids; i++) {
        free(sh->grids[i].code);
        free(sh->grids[i].name);
        free(sh->grids[i].leader);
        sg__shape_cleanup(&sh->grids[i].geom);
    }
    free(sh->cleaners);
    free(sh->grids);
    free(sh->code);
    free(sh->name);
    free(sh->parent);
    memset(sh, 0, sizeof *sh);
}

/* strdup of \p s, or NULL for NULL; *bad set when out of memory. */
static char *dup_or_null(const char *s, int *bad)
{
    char *c = s ? strdup(s) : NULL;
    if (s && !c)
        *bad = 1;
    return c;
}

/* Row callback: append a cleaner to the sheet. */
static sg_status add_cleaner(const sg__sheet_cleaner_row *r, void *user)
{
    sg__sheet *sh = user;
    if (sh->ncleaners == sh->capcleaners) {
        size_t nc = sh->capcleaners ? 2 * sh->capcleaners : 16;
        sg__sheet_cleaner *nv = realloc(sh->cleaners, nc * sizeof *nv);
        if (!nv)
            return SG_ERR_NOMEM;
        sh->cleaners = nv;
        sh->capcleaners = nc;
    }
    sg__sheet_cleaner *c = &sh->cleaners[sh->ncleaners++];
    memset(c, 0, sizeof *c);
    int bad = 0;
    c->id = dup_or_null(r->cleaner_id, &bad);
    c->name = dup_or_null(r->name, &bad);
    c->planned = r->planned;
    c->have_work = r->have_work;
    c->color_class = r->color_class;
    c->road_km = r->road_km;
    c->households = r->households;
    c->residents = r->residents;
    return bad ? SG_ERR_NOMEM : SG_OK;
}

/* Collects a cleaner's named roads into text. */
typedef struct roads_text {
    sg__buf b;
    int shown, more;
} roads_text;

/* Road callback: "name 1.2" joined by "、", at most 4 names. */
static sg_status add_road(const char *name, double km, void *user)
{
    roads_text *rt = user;
    if (!*name || km < 0.05) /* pieces shorter than 50 m: not worth a name */
        return SG_OK;
    if (rt->shown == 4) {
        rt->more++;
        return SG_OK;
    }
    char num[32];
    sg__fmt_num(num, sizeof num, km, 1);
    if (rt->shown++)
        sg__buf_puts(&rt->b, "、");
    sg__buf_printf(&rt->b, "%s %s", name, num);
    return rt->b.failed ? SG_ERR_NOMEM : SG_OK;
}

/* Grid callback: the code's last three characters joined by "、". */
static sg_status add_grid_code(const char *code, void *user)
{
    sg__buf *b = user;
    size_t n = strlen(code);
    if (b->len)
        sg__buf_puts(b, "、");
    sg__buf_puts(b, n > 3 ? code + n - 3 : code);
    return b->failed ? SG_ERR_NOMEM : SG_OK;
}

/* Row callback: append a grid to the sheet. */
static sg_status add_grid(const sg__sheet_grid_row *r, void *user)
{
    sg__sheet *sh = user;
    if (sh->ngrids == sh->capgrids) {
        size_t nc = sh->capgrids ? 2 * sh->capgrids : 8;
        sg__sheet_grid *nv = realloc(sh->grids, nc * sizeof *nv);
        if (!nv)
            return SG_ERR_NOMEM;
        sh->grids = nv;
        sh->capgrids = nc;
    }
    sg__sheet_grid *g = &sh->grids[sh->ngrids++];
    memset(g, 0, sizeof *g);
    int bad = 0;
    g->code = dup_or_null(r->grid_code, &bad);
    g->name = dup_or_null(r->name, &bad);
    g->leader = dup_or_null(r->leader, &bad);
    g->has_leader = r->has_leader;
    g->households = r->households;
    if (r->wkb && sg__shape_from_wkb(r->wkb, r->wkb_len, &g->geom) &&
        g->geom.type == SG_G_POLYGON && sh->ctx)
        g->has_pole =
            sg__pole_from_wkb(sh->ctx, r->wkb, r->wkb_len, g->pole, &g->area);
    return bad ? SG_ERR_NOMEM : SG_OK;
}

/* Read the cleaners (with their roads and grids), grids and figures of
 * village sh->code. */
static sg_status sheet_load(sg_ctx *ctx, sg_store *store,
                            const sg__sheet_ctx *sc, sg__sheet *sh)
{
    int personal = sc->opts->personal;
    sg_status st = sg__store_sheet_cleaners(ctx, store, sh->code, personal,
                                            add_cleaner, sh);
    for (size_t i = 0; st == SG_OK && i < sh->ncleaners; i++) {
        sg__sheet_cleaner *c = &sh->cleaners[i];
        roads_text rt = {{0}, 0, 0};
        st = sg__store_sheet_cleaner_roads(ctx, store, sh->code, c->id,
                                           add_road, &rt);
        if (st == SG_OK && rt.more)
            sg__buf_printf(&rt.b, " 等%d条", rt.more + rt.shown);
        sg__buf g = {0};
        if (st == SG_OK)
            st = sg__store_sheet_cleaner_grids(ctx, store, sh->code, c->id,
                                               add_grid_code, &g);
        if (st == SG_OK && (rt.b.failed || g.failed))
            st = SG_ERR_NOMEM;
        c->roads = rt.b.data;
        c->grids = g.data;
    }
    sh->ctx = ctx;
    if (st == SG_OK)
        st =
            sg__store_sheet_grids(ctx, store, sh->code, personal, add_grid, sh);
    sh->ctx = NULL;
    if (st == SG_OK)
        st = sg__store_sheet_figures(ctx, store, sh->code, sc->network,
                                     &sh->fig);
    if (st == SG_ERR_NOMEM)
        st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    return st;
}

/* ---- the villages
 * ------------------------------------------------------------------ */

/* The list of villages to print. */
typedef struct vlist {
    sg__sheet *v;
    size_t n, cap;
} vlist;

/* Village callback: append code, name and parent. */
static sg_status add_village(const char *code, const char *name,
                             const char *parent, void *user)
{
    vlist *l = user;
    if (l->n == l->cap) {
        size_t nc = l->cap ? 2 * l->cap : 16;
        sg__sheet *nv = realloc(l->v, nc * sizeof *nv);
        if (!nv)
            return SG_ERR_NOMEM;
        l->v = nv;
        l->cap = nc;
    }
    sg__sheet *sh = &l->v[l->n++];
    memset(sh, 0, sizeof *sh);
    int bad = 0;
    sh->code = dup_or_null(code, &bad);
    sh->name = dup_or_null(name ? name : code, &bad);
    sh->parent = dup_or_null(parent, &bad);
    return bad ? SG_ERR_NOMEM : SG_OK;
}

/* The villages of \p opts (or every administrative village). */
static sg_status list_villages(sg_ctx *ctx, sg_store *store,
                               const sg_sheets_options *opts, vlist *l)
{
    sg_status st = SG_OK;
    if (!opts->ndiv) {
        st = sg__store_sheet_villages(ctx, store, NULL, add_village, l);
        if (st == SG_OK && !l->n)
            st = sg__error(ctx, SG_ERR_NOT_FOUND,
                           "no division of level admin_village with a shape "
                           "in %s: import divisions first",
                           sg_store_path(store));
    }
    for (size_t i = 0; st == SG_OK && i < opts->ndiv; i++) {
        size_t before = l->n;
        st = sg__store_sheet_villages(ctx, store, opts->divisions[i],
                                      add_village, l);
        if (st == SG_OK && l->n == before)
            st = sg__error(ctx, SG_ERR_NOT_FOUND,
                           "no division '%s' with a shape in layer divisions",
                           opts->divisions[i]);
    }
    if (st == SG_ERR_NOMEM)
        st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    return st;
}

/* Read the last coverage run's radius and metric into \p sc. */
static sg_status read_coverage_run(sg_ctx *ctx, sg_store *store,
                                   sg__sheet_ctx *sc)
{
    char buf[64];
    char *params = NULL, *started = NULL;
    sg_status st =
        sg__store_last_run(ctx, store, "coverage", &started, &params);
    if (st)
        return st;
    sc->have_coverage_run = started != NULL;
    free(started);
    sc->network = 1;
    if (params && sg__json_scalar(params, "radius_m", buf, sizeof buf))
        sc->radius_m = strtod(buf, NULL);
    if (params && sg__json_scalar(params, "metric_used", buf, sizeof buf))
        sc->network = strcmp(buf, "euclid") != 0;
    free(params);
    return SG_OK;
}

/* Point map \p m at village \p sh: its outline, veil and name. */
static sg_status map_set_village(sg_ctx *ctx, sg_store *store, sg__map *m,
                                 const sg__sheet *sh)
{
    sg__shape_cleanup(&m->division);
    free(m->division_name);
    m->division_name = NULL;
    sg_status st = sg__division_load(ctx, store, sh->code, &m->division,
                                     &m->division_name);
    m->has_division = st == SG_OK;
    return st;
}

/* ---- output
 * -------------------------------------------------------------------------- */

/* The pages sheet \p sh takes. */
static int sheet_pages(const sg__sheet *sh)
{
    size_t left = sh->ncleaners, cap = sg__sheet_rows_per_page(0);
    int pages = 1;
    while (left > cap) {
        left -= cap;
        cap = sg__sheet_rows_per_page(pages++);
    }
    return pages;
}

/* Draw page \p page of \p sh into a PNG file in the options' folder. */
static sg_status write_png(sg_ctx *ctx, sg__sheet_ctx *sc, const sg__sheet *sh,
                           int page, int npages, size_t r0, size_t r1)
{
    const double scale = 150.0 / 96.0;
    int w = (int)ceil(SG__A4_W * scale), h = (int)ceil(SG__A4_H * scale);
    char *path = npages > 1 ? sg__aprintf("%s/sheet-%s-%d.png",
                                          sc->opts->png_dir, sh->code, page + 1)
                            : sg__aprintf("%s/sheet-%s.png", sc->opts->png_dir,
                                          sh->code);
    char *tmp = path ? sg__aprintf("%s.part", path) : NULL;
    if (!tmp) {
        free(path);
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    }
    cairo_surface_t *surf =
        cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    cairo_t *cr = cairo_create(surf);
    cairo_scale(cr, scale, scale);
    sg_status st = sg__sheet_draw_page(sc, cr, sh, page, npages, r0, r1);
    cairo_destroy(cr);
    if (st == SG_OK) {
        cairo_status_t cs = cairo_surface_write_to_png(surf, tmp);
        if (cs != CAIRO_STATUS_SUCCESS || rename(tmp, path) != 0) {
            st = sg__error(ctx, SG_ERR_IO_WRITE, "cannot write %s: %s", path,
                           cs != CAIRO_STATUS_SUCCESS
                               ? cairo_status_to_string(cs)
                               : strerror(errno));
            unlink(tmp);
        }
    }
    cairo_surface_destroy(surf);
    free(tmp);
    free(path);
    return st;
}

/* Draw every page of sheet \p sh on PDF context \p cr (and PNG files). */
static sg_status write_sheet(sg_ctx *ctx, sg__sheet_ctx *sc, cairo_t *cr,
                             const sg__sheet *sh, sg_sheets_result *r)
{
    int npages = sheet_pages(sh);
    size_t row = 0;
    sg_status st = SG_OK;
    for (int p = 0; st == SG_OK && p < npages; p++) {
        size_t r1 = row + sg__sheet_rows_per_page(p);
        if (r1 > sh->ncleaners)
            r1 = sh->ncleaners;
        st = sg__sheet_draw_page(sc, cr, sh, p, npages, row, r1);
        if (st == SG_OK) {
            cairo_show_page(cr);
            r->pages++;
            r->missing_glyphs +=
                sc->text.missing_glyphs + sc->map->missing_glyphs;
            sc->text.missing_glyphs = 0;
        }
        if (st == SG_OK && sc->opts->png_dir) {
            st = write_png(ctx, sc, sh, p, npages, row, r1);
            r->png_files += st == SG_OK;
            sc->text.missing_glyphs = 0;
        }
        row = r1;
    }
    return st;
}

/* Prepare the map shared by all sheets, for the first village. */
static sg_status map_prepare(sg_ctx *ctx, sg_store *store,
                             const sg__sheet_ctx *sc, const char *first,
                             sg_render_options *ro, sg__map *m)
{
    sg_status st =
        sg_render_options_set_theme(ctx, ro, SG_RENDER_THEME_VILLAGE);
    if (st == SG_OK)
        st = sg_render_options_set_division(ctx, ro, first);
    if (st == SG_OK)
        st = sg_render_options_set_date(ctx, ro, sc->date);
    if (st == SG_OK)
        st = sg_render_options_set_title(ctx, ro, "");
    if (st == SG_OK)
        st = sg__map_prepare(ctx, store, ro, m);
    return st;
}

void sg_sheets_result_free(sg_sheets_result *result)
{
    free(result);
}

sg_status sg_sheets(sg_ctx *ctx, sg_store *store, const sg_sheets_options *opts,
                    const char *path, sg_sheets_result **result)
{
    sg_sheets_result r = {0};
    sg_sheets_options *defaults = NULL;
    sg_render_options *ro = NULL;
    vlist vl = {NULL, 0, 0};
    sg__map map;
    sg__sheet_ctx sc;
    const char *tmp = NULL; /* of.tmp */
    sg__outfile of;
    int began = 0;
    cairo_surface_t *surf = NULL;
    cairo_t *cr = NULL;
    sg_status st = SG_OK;
    memset(&map, 0, sizeof map);
    memset(&sc, 0, sizeof sc);
    sg_sheets_result *out = NULL; /* *result when all went well */
    if (result)
        *result = NULL;
    if (!path || !*path)
        return sg__error(ctx, SG_ERR_USAGE, "no output file");
    if ((result && !(out = malloc(sizeof *out))) ||
        (!opts && !(opts = defaults = sg_sheets_options_new()))) {
        free(out);
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    }
    if (!sg_store_srid(store)) {
        st = sg__error(ctx, SG_ERR_NOT_FOUND,
                       "store %s holds no data yet: import layers first",
                       sg_store_path(store));
        goto done;
    }
    sc.opts = opts;
    sc.map = &map;
    if (opts->date)
        snprintf(sc.date, sizeof sc.date, "%s", opts->date);
    else
        sg__today(sc.date, sizeof sc.date);
    if (!(ro = sg_render_options_new())) {
        st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        goto done;
    }
    sc.text.opts = ro;
    sc.text.k = 1;
    if ((st = read_coverage_run(ctx, store, &sc)) ||
        (st = list_villages(ctx, store, opts, &vl)) ||
        (st = map_prepare(ctx, store, &sc, vl.v[0].code, ro, &map)))
        goto done;
    /* drawn to a temporary file beside \p path, renamed over it when
     * complete (src/core/outfile.c); never over the store */
    if ((st = sg__outfile_begin(ctx, store, path, 1, NULL, &of)))
        goto done;
    began = 1;
    if ((st = sg__outfile_check_folder(ctx, &of)))
        goto done;
    tmp = of.tmp;
    surf = cairo_pdf_surface_create(tmp, SG__A4_W * 0.75, SG__A4_H * 0.75);
    if (cairo_surface_status(surf) != CAIRO_STATUS_SUCCESS) {
        st = sg__error(ctx, SG_ERR_IO_WRITE, "cannot write %s: %s", path,
                       cairo_status_to_string(cairo_surface_status(surf)));
        goto done;
    }
    cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_TITLE,
                                   "农村人居环境整治 一村一表");
    cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_CREATOR,
                                   "sanigrid");
    cr = cairo_create(surf);
    cairo_scale(cr, 0.75, 0.75); /* page units are 1/96 inch */
    for (size_t i = 0; st == SG_OK && i < vl.n; i++) {
        sg__sheet *sh = &vl.v[i];
        st = sheet_load(ctx, store, &sc, sh);
        if (st == SG_OK)
            st = map_set_village(ctx, store, &map, sh);
        if (st == SG_OK)
            st = write_sheet(ctx, &sc, cr, sh, &r);
        if (st == SG_OK) {
            r.villages++;
            r.cleaners += (long long)sh->ncleaners;
            st = sg__progress(ctx, (double)(i + 1) / (double)vl.n, sh->name);
        }
        sheet_cleanup(sh);
    }
    cairo_destroy(cr);
    cr = NULL;
    cairo_surface_finish(surf);
    if (st == SG_OK && cairo_surface_status(surf) != CAIRO_STATUS_SUCCESS)
        st = sg__error(ctx, SG_ERR_IO_WRITE, "cannot write %s: %s", path,
                       cairo_status_to_string(cairo_surface_status(surf)));
    if (st == SG_OK && sg__disk_full(tmp))
        st = sg__write_error(ctx, path, tmp, ENOSPC, NULL);
done:
    if (cr)
        cairo_destroy(cr);
    if (surf)
        cairo_surface_destroy(surf);
    if (began && st == SG_OK)
        st = sg__outfile_commit(ctx, &of, NULL);
    else if (began)
        sg__outfile_abort(&of, NULL);
    for (size_t i = 0; i < vl.n; i++)
        sheet_cleanup(&vl.v[i]);
    free(vl.v);
    sg__map_cleanup(&map);
    sg_render_options_free(ro);
    sg_sheets_options_free(defaults);
    if (st == SG_OK && out) {
        *out = r;
        *result = out;
    } else {
        free(out);
    }
    return st;
}
