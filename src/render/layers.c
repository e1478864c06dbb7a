/* Reading what a map draws from the store: each theme layer's features
 * with only the attributes its style refers to (personal columns are never
 * read), attribute tables joined to the shapes of another layer, the
 * division shown, default extents, run parameters and the attribution.
 * Everything goes through src/store; no SQL here.
 * Not for: drawing (map.c) or the report's tables (report_data.c).
 * SPDX-License-Identifier: MIT */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "render/render_int.h"
#include "store/store_int.h"

/* ---- small helpers
 * ------------------------------------------------------------ */

/* Contract in render_int.h. */
void sg__strv_free(char **v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        free(v[i]);
    free(v);
}

/* \return the index of \p name in \p v[0..n), or -1. */
static long find_str(char *const *v, size_t n, const char *name)
{
    for (size_t i = 0; v && i < n; i++)
        if (strcmp(v[i], name) == 0)
            return (long)i;
    return -1;
}

/* Append a copy of \p s to \p *v (n entries) unless present.
 * \return 1, or 0 when out of memory. */
static int add_unique(char ***v, size_t *n, const char *s)
{
    if (find_str(*v, *n, s) >= 0)
        return 1;
    char **nv = realloc(*v, (*n + 1) * sizeof *nv);
    if (!nv)
        return 0;
    *v = nv;
    if (!(nv[*n] = strdup(s)))
        return 0;
    (*n)++;
    return 1;
}

/* Free the texts of \p n values (not the array). */
static void values_cleanup(sg__value *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        if (v[i].type == SG_V_TEXT)
            free(v[i].text);
}

void sg__layer_cleanup(sg__layer *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->nfeats; i++) {
        values_cleanup(l->feats[i].vals, l->ncols);
        free(l->feats[i].vals);
        sg__shape_cleanup(&l->feats[i].geom);
    }
    free(l->feats);
    free(l->cells);
    sg__strv_free(l->cols, l->ncols);
    if (!l->style_borrowed)
        sg__style_free(l->style);
    memset(l, 0, sizeof *l);
}

sg__attrs sg__layer_attrs(const sg__layer *l, size_t i)
{
    sg__attrs a = {(const char *const *)l->cols, l->feats[i].vals, l->ncols};
    return a;
}

/* Read column \p i of \p row into \p v (texts copied). \return 0 when out
 * of memory. */
static int read_value(sg__row *row, int i, sg__value *v)
{
    memset(v, 0, sizeof *v);
    switch (sg__row_type(row, i)) {
    case SG_VAL_INT:
    case SG_VAL_REAL:
        v->type = SG_V_NUM;
        v->num = sg__row_double(row, i);
        return 1;
    case SG_VAL_TEXT:
        v->type = SG_V_TEXT;
        v->text = strdup(sg__row_text(row, i));
        return v->text != NULL;
    default: return 1;
    }
}

/* Contract in render_int.h: the store's export column list (which leaves
 * personal columns out) names the columns, so no SQL is needed here. */
sg_status sg__layer_columns(sg_ctx *ctx, sg_store *store, const char *layer,
                            char ***cols, size_t *ncols, int *has_geom)
{
    *cols = NULL;
    *ncols = 0;
    char *list = sg__store_export_columns(ctx, store, layer, has_geom);
    if (!list)
        return sg_ctx_status(ctx);
    sg_status st = SG_OK;
    char *p = list;
    while (p && *p) {
        char *tok = strchr(p, ',');
        if (tok)
            *tok++ = '\0';
        if (*p && !add_unique(cols, ncols, p)) {
            st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
            break;
        }
        p = tok;
    }
    free(list);
    if (st) {
        sg__strv_free(*cols, *ncols);
        *cols = NULL;
        *ncols = 0;
    }
    return st;
}

/* ---- store facts
 * ------------------------------------------------------------------ */

/* \return the info of \p name in \p infos, or NULL. */
static const sg_layer_info *find_info(const sg_layer_info *infos, size_t n,
                                      const char *name)
{
    for (size_t i = 0; name && i < n; i++)
        if (strcmp(infos[i].name, name) == 0)
            return &infos[i];
    return NULL;
}

/* Whether theme layer \p tl can be drawn from the layers \p infos: it
 * exists, and has rows unless it is a required result layer (an empty
 * grid_overlaps means there are none). \return 1 if so; else 0 and the
 * reason in ctx (SG_ERR_NOT_FOUND). */
static int layer_ready(sg_ctx *ctx, const sg_layer_info *infos, size_t n,
                       const sg__theme_layer *tl)
{
    const sg_layer_info *li = find_info(infos, n, tl->layer);
    const char *hint = tl->hint ? tl->hint : "import it first";
    if (!li) {
        sg__error(ctx, SG_ERR_NOT_FOUND, "no layer %s: %s", tl->layer, hint);
        return 0;
    }
    /* an empty result is an answer (no gaps); an empty input is not */
    if (li->count <= 0 &&
        (!(tl->flags & SG__TL_REQUIRED) || strcmp(li->kind, "input") == 0)) {
        sg__error(ctx, SG_ERR_NOT_FOUND, "layer %s is empty: %s", tl->layer,
                  hint);
        return 0;
    }
    if (li->geometry_type)
        return 1;
    const sg_layer_info *gi = find_info(infos, n, tl->join_layer);
    if (!tl->join_layer) {
        sg__error(ctx, SG_ERR_NOT_FOUND, "layer %s has no geometry", tl->layer);
        return 0;
    }
    if (!gi || gi->count <= 0) {
        sg__error(ctx, SG_ERR_NOT_FOUND,
                  "layer %s is drawn with the shapes of layer %s, which is "
                  "empty: import it first",
                  tl->layer, tl->join_layer);
        return 0;
    }
    return 1;
}

int sg__theme_ready(sg_ctx *ctx, sg_store *store, const sg__theme *theme)
{
    sg_layer_info *infos = NULL;
    size_t n = 0;
    if (sg_store_layers(ctx, store, &infos, &n))
        return 0;
    int ok = 1;
    for (size_t i = 0; ok && i < SG__THEME_LAYERS && theme->layers[i].layer;
         i++)
        if (theme->layers[i].flags & SG__TL_REQUIRED)
            ok = layer_ready(ctx, infos, n, &theme->layers[i]);
    sg_layer_info_free(infos, n);
    return ok;
}

int sg__json_scalar(const char *json, const char *key, char *buf, size_t size)
{
    if (!json || !key || size == 0)
        return 0;
    size_t kl = strlen(key);
    for (const char *p = strchr(json, '"'); p; p = strchr(p + 1, '"')) {
        if (strncmp(p + 1, key, kl) != 0 || p[1 + kl] != '"')
            continue;
        const char *q = p + 2 + kl;
        while (*q == ' ' || *q == '\t' || *q == '\n')
            q++;
        if (*q != ':')
            continue;
        q++;
        while (*q == ' ' || *q == '\t' || *q == '\n')
            q++;
        size_t o = 0;
        if (*q == '"') {
            for (q++; *q && *q != '"' && o + 1 < size; q++) {
                char c = *q;
                if (c == '\\' && q[1]) {
                    q++;
                    c = *q == 'n' ? '\n' : *q == 't' ? '\t' : *q;
                }
                buf[o++] = c;
            }
        } else {
            while (*q && *q != ',' && *q != '}' && *q != ' ' && o + 1 < size)
                buf[o++] = *q++;
        }
        buf[o] = '\0';
        return 1;
    }
    return 0;
}

/* The radius and point kind of the newest coverage run; *radius is 0 if
 * there is none. */
static void coverage_run(sg_ctx *ctx, sg_store *store, double *radius,
                         char *kind, size_t ksize)
{
    sg_run_info *runs = NULL;
    size_t n = 0;
    *radius = 0;
    kind[0] = '\0';
    if (sg_store_runs(ctx, store, 1000, &runs, &n)) {
        sg_ctx_clear_error(ctx);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        if (!runs[i].command || strcmp(runs[i].command, "coverage") != 0)
            continue;
        char buf[64];
        if (sg__json_scalar(runs[i].params, "radius_m", buf, sizeof buf) &&
            !sg__parse_double(buf, radius))
            *radius = 0;
        if (!sg__json_scalar(runs[i].params, "kind", kind, ksize))
            snprintf(kind, ksize, "collection_point");
        break;
    }
    sg_run_info_free(runs, n);
}

/* \return 1 if \p s contains "osm" as a word (no letter around it) or
 * "openstreetmap", case-insensitively. */
static int mentions_osm(const char *s)
{
    for (const char *p = s; *p; p++) {
        if (strncasecmp(p, "openstreetmap", 13) == 0)
            return 1;
        if (strncasecmp(p, "osm", 3) == 0 &&
            !(p > s && isalpha((unsigned char)p[-1])) &&
            !isalpha((unsigned char)p[3]))
            return 1;
    }
    return 0;
}

/* \return 1 if an import of \p store read a source that is OpenStreetMap
 * data by its name or by an ODbL licence file beside it. */
static int imported_osm(sg_ctx *ctx, sg_store *store)
{
    sg_run_info *runs = NULL;
    size_t n = 0;
    int osm = 0;
    if (sg_store_runs(ctx, store, 10000, &runs, &n)) {
        sg_ctx_clear_error(ctx);
        return 0;
    }
    for (size_t i = 0; i < n && !osm; i++) {
        char src[4096];
        if (!runs[i].command || strcmp(runs[i].command, "import") != 0 ||
            !sg__json_scalar(runs[i].params, "source", src, sizeof src))
            continue;
        if (mentions_osm(src)) {
            osm = 1;
            break;
        }
        const char *slash = strrchr(src, '/');
        char *lic = slash ? sg__aprintf("%.*s/LICENSE-ODbL.txt",
                                        (int)(slash - src), src)
                          : sg__aprintf("LICENSE-ODbL.txt");
        osm = lic && access(lic, R_OK) == 0;
        free(lic);
    }
    sg_run_info_free(runs, n);
    return osm;
}

char *sg__attribution(sg_ctx *ctx, sg_store *store,
                      const sg_render_options *opts)
{
    if (opts && opts->attribution)
        return opts->attribution[0] ? strdup(opts->attribution) : NULL;
    char *v = NULL;
    if (sg_setting_get(ctx, store, "map.attribution", &v) == SG_OK) {
        if (v && *v)
            return v;
        sg_free(v);
        return NULL;
    }
    sg_ctx_clear_error(ctx);
    return imported_osm(ctx, store) ? strdup("© OpenStreetMap contributors")
                                    : NULL;
}

/* ---- the division shown
 * ------------------------------------------------------------ */

/* Reader state for sg__division_load. */
typedef struct div_reader {
    sg__shape *geom;
    char **name;
    int found;
} div_reader;

/* Row callback: keep the division's name and geometry. */
static sg_status div_row(sg__row *row, void *user)
{
    div_reader *d = user;
    if (d->found)
        return SG_OK;
    const char *t = sg__row_text(row, 0);
    if (t && !(*d->name = strdup(t)))
        return SG_ERR_NOMEM;
    const void *wkb = sg__row_blob(row, 1);
    int len = (int)sg__row_bytes(row, 1);
    if (wkb && sg__shape_from_wkb(wkb, (size_t)len, d->geom) &&
        d->geom->npaths > 0)
        d->found = 1;
    return SG_OK;
}

sg_status sg__division_load(sg_ctx *ctx, sg_store *store, const char *code,
                            sg__shape *geom, char **name)
{
    static const char *const cols[] = {"name"};
    memset(geom, 0, sizeof *geom);
    *name = NULL;
    div_reader d = {geom, name, 0};
    sg_status st = sg__store_scan(ctx, store, "divisions", cols, 1, 1,
                                  "division_code", code, div_row, &d);
    if (st == SG_ERR_NOMEM)
        st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    if (st == SG_OK && !d.found)
        st =
            sg__error(ctx, SG_ERR_USAGE,
                      "no division '%s' with a shape in layer divisions", code);
    if (st) {
        sg__shape_cleanup(geom);
        free(*name);
        *name = NULL;
    }
    return st;
}

/* ---- loading a theme layer
 * ------------------------------------------------------------ */

/* Collects property names of a style (a callback of sg__style_properties). */
typedef struct propset {
    char **names;
    size_t n;
    int failed;
} propset;

/* Property callback: remember \p name once. */
static void collect_prop(const char *name, void *user)
{
    propset *ps = user;
    if (!ps->failed && !add_unique(&ps->names, &ps->n, name))
        ps->failed = 1;
}

/* A row of an attribute table kept for a join. */
typedef struct keyed {
    char *key;       /* owned */
    sg__value *vals; /* one per layer column; owned */
} keyed;

/* Reader state while loading one layer. */
typedef struct loader {
    sg__layer *l;
    const int *dest; /* scanned column i goes to l->cols[dest[i]]; -1:
                        the join key */
    size_t nscan;    /* scanned columns (before the geometry) */
    size_t capfeats; /* capacity of l->feats */
    keyed *table;    /* join: rows of the attribute table, by key */
    size_t ntable, captable;
    int radius_col;   /* index of radius_m in l->cols, or -1 */
    int kind_col;     /* index of kind in l->cols, or -1 */
    double radius;    /* of the last coverage run; 0: none */
    const char *kind; /* point kind that run served */
    sg_ctx *ctx;
    int want_pole; /* polygons get their pole and area (the style
                      labels or marks them) */
    int joining;   /* reading the shapes of a join */
} loader;

/* Compare keyed rows by key for qsort and bsearch. */
static int cmp_keyed(const void *a, const void *b)
{
    return strcmp(((const keyed *)a)->key, ((const keyed *)b)->key);
}

/* Append an empty feature to the layer of \p ld. \return it, or NULL when
 * out of memory. */
static sg__feature *new_feature(loader *ld)
{
    sg__layer *l = ld->l;
    if (l->nfeats == ld->capfeats) {
        size_t nc = ld->capfeats ? ld->capfeats * 2 : 64;
        sg__feature *nf = realloc(l->feats, nc * sizeof *nf);
        if (!nf)
            return NULL;
        l->feats = nf;
        ld->capfeats = nc;
    }
    sg__feature *f = &l->feats[l->nfeats];
    memset(f, 0, sizeof *f);
    f->vals = calloc(l->ncols ? l->ncols : 1, sizeof *f->vals);
    if (!f->vals)
        return NULL;
    l->nfeats++;
    return f;
}

/* Copy the values of the table row keyed \p k into feature \p f (and
 * mark it matched). */
static sg_status join_values(loader *ld, const char *k, sg__feature *f)
{
    keyed probe = {(char *)k, NULL};
    keyed *hit = ld->table ? bsearch(&probe, ld->table, ld->ntable,
                                     sizeof probe, cmp_keyed)
                           : NULL;
    if (hit)
        f->no_row = 0;
    for (size_t c = 0; hit && c < ld->l->ncols; c++) {
        const sg__value *v = &hit->vals[c];
        if (v->type == SG_V_NULL)
            continue;
        f->vals[c] = *v;
        if (v->type == SG_V_TEXT && !(f->vals[c].text = strdup(v->text)))
            return SG_ERR_NOMEM;
    }
    return SG_OK;
}

/* Row callback for a layer with its own geometry, or for the shapes of a
 * join (then the key column's row of the table gives the values). */
static sg_status geom_row(sg__row *row, void *user)
{
    loader *ld = user;
    const void *wkb = sg__row_blob(row, (int)ld->nscan);
    int len = (int)sg__row_bytes(row, (int)ld->nscan);
    sg__shape g;
    if (!wkb || !sg__shape_from_wkb(wkb, (size_t)len, &g))
        return SG_OK; /* no shape: nothing to draw */
    if (g.npaths == 0) {
        sg__shape_cleanup(&g);
        return SG_OK;
    }
    sg__feature *f = new_feature(ld);
    if (!f) {
        sg__shape_cleanup(&g);
        return SG_ERR_NOMEM;
    }
    f->geom = g;
    f->no_row = ld->joining;
    if (ld->want_pole && g.type == SG_G_POLYGON)
        f->has_pole =
            sg__pole_from_wkb(ld->ctx, wkb, (size_t)len, f->pole, &f->area);
    for (size_t i = 0; i < ld->nscan; i++) {
        const char *k;
        if (ld->dest[i] >= 0) {
            if (!read_value(row, (int)i, &f->vals[ld->dest[i]]))
                return SG_ERR_NOMEM;
        } else if ((k = sg__row_text(row, (int)i)) != NULL &&
                   join_values(ld, k, f)) {
            return SG_ERR_NOMEM;
        }
    }
    if (ld->radius_col >= 0 && ld->kind_col >= 0 && ld->radius > 0) {
        const sg__value *kv = &f->vals[ld->kind_col];
        if (kv->type == SG_V_TEXT && strcmp(kv->text, ld->kind) == 0) {
            f->vals[ld->radius_col].type = SG_V_NUM;
            f->vals[ld->radius_col].num = ld->radius;
        }
    }
    return SG_OK;
}

/* Row callback for the attribute table of a join: keep its values by key
 * (the first scanned column). */
static sg_status table_row(sg__row *row, void *user)
{
    loader *ld = user;
    const char *k = sg__row_text(row, 0);
    if (!k)
        return SG_OK;
    if (ld->ntable == ld->captable) {
        size_t nc = ld->captable ? ld->captable * 2 : 64;
        keyed *nt = realloc(ld->table, nc * sizeof *nt);
        if (!nt)
            return SG_ERR_NOMEM;
        ld->table = nt;
        ld->captable = nc;
    }
    keyed *r = &ld->table[ld->ntable];
    r->key = strdup(k);
    r->vals = calloc(ld->l->ncols ? ld->l->ncols : 1, sizeof *r->vals);
    if (!r->key || !r->vals) {
        free(r->key);
        free(r->vals);
        return SG_ERR_NOMEM;
    }
    ld->ntable++;
    for (size_t i = 1; i < ld->nscan; i++)
        if (ld->dest[i] >= 0 && !read_value(row, (int)i, &r->vals[ld->dest[i]]))
            return SG_ERR_NOMEM;
    return SG_OK;
}

/* Free the join table of \p ld. */
static void table_free(loader *ld)
{
    for (size_t i = 0; i < ld->ntable; i++) {
        values_cleanup(ld->table[i].vals, ld->l->ncols);
        free(ld->table[i].vals);
        free(ld->table[i].key);
    }
    free(ld->table);
    ld->table = NULL;
    ld->ntable = ld->captable = 0;
}

/* The override style for \p tl from \p opts (borrowed), or NULL: one
 * whose NamedLayer names the layer, else for the main layer the first one
 * naming no layer of the theme. The radius circles keep their own. */
static sg__style *override_for(const sg_render_options *opts,
                               const sg__theme *theme,
                               const sg__theme_layer *tl)
{
    if (!opts || (tl->flags & SG__TL_RADIUS))
        return NULL;
    for (size_t i = 0; i < opts->nstyles; i++) {
        const char *ln = opts->styles[i]->layer_name;
        if (ln && strcmp(ln, tl->layer) == 0)
            return opts->styles[i];
    }
    if (!(tl->flags & SG__TL_MAIN))
        return NULL;
    for (size_t i = 0; i < opts->nstyles; i++) {
        const char *ln = opts->styles[i]->layer_name;
        int names_theme_layer = 0;
        for (size_t j = 0; ln && j < SG__THEME_LAYERS && theme->layers[j].layer;
             j++)
            if (strcmp(theme->layers[j].layer, ln) == 0)
                names_theme_layer = 1;
        if (!names_theme_layer)
            return opts->styles[i];
    }
    return NULL;
}

/* Where each attribute of a layer being loaded comes from. */
enum { FROM_ATTR = 1, FROM_GEOM, FROM_VIRTUAL };

/* Name the columns the layer's own (\p acols) and join layer's (\p gcols)
 * have, for a message, into \p buf. */
static void list_columns(char *const *cols, size_t n, char *buf, size_t size)
{
    size_t o = 0;
    buf[0] = '\0';
    for (size_t j = 0; j < n && o + 2 < size; j++) {
        int w = snprintf(buf + o, size - o, "%s%s", j ? ", " : "", cols[j]);
        if (w < 0)
            break;
        o += (size_t)w;
    }
}

/* Build l->cols from the style's properties (plus kind and radius_m for
 * radius layers) and decide for each where it is read: \p from[i] is
 * FROM_ATTR (the layer's own columns \p acols), FROM_GEOM (the join
 * layer's \p gcols) or FROM_VIRTUAL (computed, or a missing label column
 * left NULL). Caller owns *from. */
static sg_status plan_columns(sg_ctx *ctx, const sg__theme_layer *tl,
                              sg__layer *l, char **acols, size_t nacols,
                              char **gcols, size_t ngcols, int **from)
{
    propset ps = {NULL, 0, 0}, filt = {NULL, 0, 0};
    sg__style_properties(l->style, SG_PROPS_FILTERS | SG_PROPS_VALUES,
                         collect_prop, &ps);
    sg__style_properties(l->style, SG_PROPS_FILTERS, collect_prop, &filt);
    if (!ps.failed && (tl->flags & SG__TL_RADIUS))
        ps.failed = !add_unique(&ps.names, &ps.n, "kind") ||
                    !add_unique(&ps.names, &ps.n, "radius_m");
    int derive_color = (tl->flags & SG__TL_COLOR) &&
                       find_str(ps.names, ps.n, "color_class") >= 0 &&
                       find_str(acols, nacols, "color_class") < 0;
    if (!ps.failed && derive_color)
        ps.failed = !add_unique(&ps.names, &ps.n, "cleaner_id");
    l->cols = ps.names;
    l->ncols = ps.n;
    *from = ps.failed || filt.failed
                ? NULL
                : calloc(l->ncols ? l->ncols : 1, sizeof **from);
    if (!*from) {
        sg__strv_free(filt.names, filt.n);
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    }
    sg_status st = SG_OK;
    for (size_t i = 0; st == SG_OK && i < l->ncols; i++) {
        const char *c = l->cols[i];
        if (((tl->flags & SG__TL_RADIUS) && strcmp(c, "radius_m") == 0) ||
            (derive_color && strcmp(c, "color_class") == 0)) {
            (*from)[i] = FROM_VIRTUAL;
        } else if (find_str(acols, nacols, c) >= 0) {
            (*from)[i] = FROM_ATTR;
        } else if (gcols && find_str(gcols, ngcols, c) >= 0) {
            (*from)[i] = FROM_GEOM;
        } else if (find_str(filt.names, filt.n, c) < 0) {
            /* only a label or a size: draw without it, but say so */
            (*from)[i] = FROM_VIRTUAL;
            sg__log(ctx, SG_LOG_WARN,
                    "style %s: layer %s has no column '%s'; drawn without "
                    "it",
                    l->style->source, tl->layer, c);
        } else {
            char have[512];
            list_columns(acols, nacols, have, sizeof have);
            st = sg__error(ctx, SG_ERR_USAGE,
                           "style %s filters on '%s', which layer %s does "
                           "not have (it has: %s; personal columns are "
                           "never drawn)",
                           l->style->source, c, tl->layer, have);
        }
    }
    sg__strv_free(filt.names, filt.n);
    return st;
}

/* Scan \p layer reading the columns of l->cols whose \p from is \p which,
 * preceded by \p key if not NULL (then dest -1), into loader \p ld
 * through \p fn. */
static sg_status scan_part(sg_ctx *ctx, sg_store *store, const char *layer,
                           const char *key, const int *from, int which,
                           int with_geom, loader *ld, sg__row_fn fn)
{
    size_t n = 0;
    const char **cols = malloc((ld->l->ncols + 1) * sizeof *cols);
    int *dest = malloc((ld->l->ncols + 1) * sizeof *dest);
    if (!cols || !dest) {
        free(cols);
        free(dest);
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    }
    if (key) {
        cols[n] = key;
        dest[n++] = -1;
    }
    for (size_t i = 0; i < ld->l->ncols; i++)
        if (from[i] == which) {
            cols[n] = ld->l->cols[i];
            dest[n++] = (int)i;
        }
    ld->dest = dest;
    ld->nscan = n;
    sg_status st = sg__store_scan(ctx, store, layer, cols, n, with_geom, NULL,
                                  NULL, fn, ld);
    if (st == SG_ERR_NOMEM)
        st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    free(cols);
    free(dest);
    ld->dest = NULL;
    return st;
}

/* Compare two strings through pointers, for qsort. */
static int cmp_strp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Give every feature of \p l a color_class: the rank of its cleaner_id
 * among the distinct ones of the layer, modulo 8, so that each cleaner's
 * area and roads share a colour and neighbours in code order differ.
 * The fallback for a store whose layer has no color_class column
 * (written before allocate wrote one). */
static sg_status derive_color_class(sg_ctx *ctx, sg__layer *l)
{
    long cc = find_str(l->cols, l->ncols, "color_class");
    long ci = find_str(l->cols, l->ncols, "cleaner_id");
    if (cc < 0 || ci < 0 || l->nfeats == 0)
        return SG_OK;
    const char **ids = malloc(l->nfeats * sizeof *ids);
    if (!ids)
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    size_t n = 0;
    for (size_t i = 0; i < l->nfeats; i++)
        if (l->feats[i].vals[ci].type == SG_V_TEXT)
            ids[n++] = l->feats[i].vals[ci].text;
    qsort(ids, n, sizeof *ids, cmp_strp);
    size_t distinct = 0;
    for (size_t i = 0; i < n; i++)
        if (i == 0 || strcmp(ids[i], ids[distinct - 1]) != 0)
            ids[distinct++] = ids[i];
    for (size_t i = 0; i < l->nfeats; i++) {
        const sg__value *v = &l->feats[i].vals[ci];
        if (v->type != SG_V_TEXT)
            continue;
        const char **hit =
            bsearch(&v->text, ids, distinct, sizeof *ids, cmp_strp);
        if (hit) {
            l->feats[i].vals[cc].type = SG_V_NUM;
            l->feats[i].vals[cc].num = (double)((size_t)(hit - ids) % 8);
        }
    }
    free(ids);
    return SG_OK;
}

/* Read layer \p tl aggregated (aggregate.c) when it is a household layer
 * with more points in \p view than the options allow; *done receives 1
 * if it was. */
static sg_status load_aggregated(sg_ctx *ctx, sg_store *store,
                                 const sg_render_options *opts,
                                 const sg__theme_layer *tl,
                                 const sg_layer_info *li, const double *view,
                                 const int *from, sg__layer *l, int *done)
{
    *done = 0;
    long long above = opts ? opts->aggregate_above : SG__AGGREGATE_ABOVE;
    if (!view || !li || !sg__agg_candidate(tl, li->geometry_type) ||
        li->count <= above)
        return SG_OK;
    size_t n = 0;
    const char **cols = malloc((l->ncols + 1) * sizeof *cols);
    int *dest = malloc((l->ncols + 1) * sizeof *dest);
    if (!cols || !dest) {
        free(cols);
        free(dest);
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    }
    for (size_t i = 0; i < l->ncols; i++)
        if (from[i] == FROM_ATTR) {
            cols[n] = l->cols[i];
            dest[n++] = (int)i;
        }
    sg_status st =
        sg__agg_load(ctx, store, l, cols, dest, n, view, above, done);
    free(cols);
    free(dest);
    return st;
}

/* Load theme layer \p tl (present in the store with rows; \p li its
 * row count and type) into \p l. */
static sg_status load_layer(sg_ctx *ctx, sg_store *store,
                            const sg_render_options *opts,
                            const sg__theme *theme, const sg__theme_layer *tl,
                            const sg_layer_info *li, const double *view,
                            sg__layer *l)
{
    l->def = tl;
    sg_status st = SG_OK;
    sg__style *ov = override_for(opts, theme, tl);
    if (ov) {
        l->style = ov;
        l->style_borrowed = 1;
    } else if ((st = sg__style_builtin(ctx, tl->style, &l->style))) {
        return st;
    }
    char **acols = NULL, **gcols = NULL;
    size_t nacols = 0, ngcols = 0;
    int has_geom = 0, ghas = 0, *from = NULL;
    st = sg__layer_columns(ctx, store, tl->layer, &acols, &nacols, &has_geom);
    if (st == SG_OK && !has_geom)
        st = tl->join_layer ? sg__layer_columns(ctx, store, tl->join_layer,
                                                &gcols, &ngcols, &ghas)
                            : sg__error(ctx, SG_ERR_USAGE,
                                        "layer %s has no geometry", tl->layer);
    if (st == SG_OK)
        st = plan_columns(ctx, tl, l, acols, nacols, gcols, ngcols, &from);
    loader ld;
    memset(&ld, 0, sizeof ld);
    ld.l = l;
    ld.ctx = ctx;
    ld.want_pole = sg__style_has_symbolizer(l->style, SG_SYM_TEXT) ||
                   sg__style_has_symbolizer(l->style, SG_SYM_POINT);
    ld.radius_col = -1;
    ld.kind_col = (int)find_str(l->cols, l->ncols, "kind");
    char kind[64] = "";
    if (st == SG_OK && (tl->flags & SG__TL_RADIUS)) {
        ld.radius_col = (int)find_str(l->cols, l->ncols, "radius_m");
        coverage_run(ctx, store, &ld.radius, kind, sizeof kind);
    }
    ld.kind = kind;
    int aggregated = 0;
    if (st == SG_OK && has_geom)
        st = load_aggregated(ctx, store, opts, tl, li, view, from, l,
                             &aggregated);
    if (st == SG_OK && aggregated) {
        /* the cells hold the layer */
    } else if (st == SG_OK && has_geom) {
        st = scan_part(ctx, store, tl->layer, NULL, from, FROM_ATTR, 1, &ld,
                       geom_row);
    } else if (st == SG_OK) {
        st = scan_part(ctx, store, tl->layer, tl->key, from, FROM_ATTR, 0, &ld,
                       table_row);
        if (st == SG_OK) {
            if (ld.ntable)
                qsort(ld.table, ld.ntable, sizeof *ld.table, cmp_keyed);
            ld.joining = 1;
            st = scan_part(ctx, store, tl->join_layer, tl->join_key, from,
                           FROM_GEOM, 1, &ld, geom_row);
        }
    }
    /* only when the store has no color_class (allocate writes one) */
    long cc = find_str(l->cols, l->ncols, "color_class");
    if (st == SG_OK && (tl->flags & SG__TL_COLOR) && cc >= 0 &&
        from[cc] == FROM_VIRTUAL)
        st = derive_color_class(ctx, l);
    table_free(&ld);
    free(from);
    sg__strv_free(acols, nacols);
    sg__strv_free(gcols, ngcols);
    if (st)
        sg__error_prefix(ctx, "layer %s: ", tl->layer);
    return st;
}

sg_status sg__layers_load(sg_ctx *ctx, sg_store *store,
                          const sg_render_options *opts, const sg__theme *theme,
                          const double *view, sg__layer *layers, size_t *n)
{
    *n = 0;
    sg_layer_info *infos = NULL;
    size_t ni = 0;
    sg_status st = sg_store_layers(ctx, store, &infos, &ni);
    for (size_t i = 0;
         st == SG_OK && i < SG__THEME_LAYERS && theme->layers[i].layer; i++) {
        const sg__theme_layer *tl = &theme->layers[i];
        if (!layer_ready(ctx, infos, ni, tl)) {
            if (tl->flags & SG__TL_REQUIRED) {
                st = sg_ctx_status(ctx);
                break;
            }
            sg_ctx_clear_error(ctx);
            continue;
        }
        st = load_layer(ctx, store, opts, theme, tl,
                        find_info(infos, ni, tl->layer), view, &layers[*n]);
        (*n)++;
    }
    sg_layer_info_free(infos, ni);
    return st;
}

/* See render_int.h. */
int sg__theme_extent(sg_ctx *ctx, sg_store *store, const sg__theme *theme,
                     double ext[4])
{
    sg_layer_info *infos = NULL;
    size_t n = 0;
    if (sg_store_layers(ctx, store, &infos, &n))
        return 0;
    int found = 0;
    for (int pass = 0; pass < 2 && !found; pass++)
        for (size_t i = 0; i < SG__THEME_LAYERS && theme->layers[i].layer;
             i++) {
            const sg__theme_layer *tl = &theme->layers[i];
            if (pass == 0 && !(tl->flags & SG__TL_EXTENT))
                continue;
            const sg_layer_info *li = find_info(infos, n, tl->layer);
            if (li && !li->geometry_type)
                li = find_info(infos, n, tl->join_layer);
            if (!li || !li->has_extent)
                continue;
            if (!found) {
                memcpy(ext, li->extent, 4 * sizeof *ext);
                found = 1;
                continue;
            }
            if (li->extent[0] < ext[0])
                ext[0] = li->extent[0];
            if (li->extent[1] < ext[1])
                ext[1] = li->extent[1];
            if (li->extent[2] > ext[2])
                ext[2] = li->extent[2];
            if (li->extent[3] > ext[3])
                ext[3] = li->extent[3];
        }
    sg_layer_info_free(infos, n);
    return found;
}
