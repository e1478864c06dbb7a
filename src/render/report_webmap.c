/* The report's interactive map: Leaflet (Debian's libjs-leaflet, read
 * from the system when the report is written and inlined with its CSS,
 * whose icons become data: URIs, so that the page stays one offline file
 * and no copy of Leaflet lives in our repository) drawing GeoJSON layers
 * in WGS 84 (transformed from the store's projected CRS by SpatiaLite):
 * villages with their numbers on click (rank, score, list, coverage,
 * staffing), grids, collection points, and the households aggregated
 * into hexagonal cells (at most about SG__HEX_CELLS cells whatever their
 * number, so a county's million households stay a few megabytes), with
 * layer toggles. No tile layer: nothing is requested from a network.
 * Without Leaflet on the system the section says so, and the run logs a
 * warning; the report is still written.
 * Not for: the SQL (src/store/webmap_sql.c), the rest of the page.
 * SPDX-License-Identifier: MIT */
#include <glib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "render/report_int.h"
#include "sanigrid/ctx.h"
#include "store/webmap_sql_int.h"

#define SG__HEX_CELLS 10000 /* hexagons over the households' extent */
#define SG__HEX_MIN_M 50.0  /* smallest hexagon radius, metres */

/* ---- Leaflet from the system -----------------------------------------------
 */

/* Read \p dir/\p name into *out (caller frees with g_free). \return 1 if
 * read. */
static int read_file(const char *dir, const char *name, char **out, gsize *len)
{
    char *path = g_build_filename(dir, name, NULL);
    int ok = g_file_get_contents(path, out, len, NULL);
    g_free(path);
    return ok;
}

/* Append Leaflet's CSS with each url(images/NAME) replaced by the data:
 * URI of that file (left as it is when the file is missing: Leaflet only
 * shows those icons for markers we do not use). */
static void add_css(sg__buf *b, const char *dir, const char *css)
{
    const char *p = css;
    const char *hit;
    while ((hit = strstr(p, "url(images/")) != NULL) {
        const char *name = hit + strlen("url(");
        const char *end = strchr(name, ')');
        if (!end)
            break;
        sg__buf_add(b, p, (size_t)(hit - p));
        char *file = g_strndup(name, (size_t)(end - name));
        char *data = NULL;
        gsize len = 0;
        if (!strchr(file + strlen("images/"), '/') &&
            read_file(dir, file, &data, &len)) {
            gchar *enc = g_base64_encode((const guchar *)data, len);
            sg__buf_puts(b, "url(data:image/png;base64,");
            sg__buf_puts(b, enc);
            sg__buf_puts(b, ")");
            g_free(enc);
        } else {
            sg__buf_add(b, hit, (size_t)(end - hit + 1));
        }
        g_free(data);
        g_free(file);
        p = end + 1;
    }
    sg__buf_puts(b, p);
}

/* Append Leaflet's script without its source-map comment (a browser with
 * developer tools open would fetch the map). */
static void add_js(sg__buf *b, const char *js)
{
    const char *sm = strstr(js, "\n//# sourceMappingURL=");
    sg__buf_add(b, js, sm ? (size_t)(sm - js + 1) : strlen(js));
}

/* ---- GeoJSON ----------------------------------------------------------------
 */

/* Append \p s as a JSON string, '<' '>' '&' escaped so that the text can
 * never close the <script> element holding it; NULL as null. */
static void json_str(sg__buf *b, const char *s)
{
    if (!s) {
        sg__buf_puts(b, "null");
        return;
    }
    sg__buf_puts(b, "\"");
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\') {
            char e[3] = {'\\', (char)*p, 0};
            sg__buf_puts(b, e);
        } else if (*p < 0x20 || *p == '<' || *p == '>' || *p == '&') {
            sg__buf_printf(b, "\\u%04x", *p);
        } else {
            sg__buf_add(b, (const char *)p, 1);
        }
    }
    sg__buf_puts(b, "\"");
}

/* Append the number text \p s (from SQL) as JSON, null if NULL or not a
 * number. */
static void json_num(sg__buf *b, const char *s)
{
    double v;
    if (s && sg_parse_number(s, &v) && isfinite(v))
        sg__buf_puts(b, s);
    else
        sg__buf_puts(b, "null");
}

/* A FeatureCollection being written. */
typedef struct fc {
    sg__buf *b;
    long long n; /* features written */
    int kind;    /* 0 villages, 1 grids or points */
} fc;

static void feature_begin(fc *f, const char *geometry)
{
    sg__buf_puts(f->b, f->n++ ? ",\n" : "");
    sg__buf_puts(f->b, "{\"type\":\"Feature\",\"geometry\":");
    sg__buf_puts(f->b, geometry);
    sg__buf_puts(f->b, ",\"properties\":{");
}

static sg_status village_cb(const char *g, const char *const *v, int n,
                            void *user)
{
    fc *f = user;
    (void)n;
    static const char *const keys[SG__WV_N] = {
        "code",    "name",       "rank",     "score",   "tier",
        "covered", "households", "required", "current", "shortfall"};
    feature_begin(f, g);
    for (int i = 0; i < SG__WV_N; i++) {
        sg__buf_printf(f->b, "%s\"%s\":", i ? "," : "", keys[i]);
        if (i == SG__WV_CODE || i == SG__WV_NAME || i == SG__WV_TIER)
            json_str(f->b, v[i]);
        else
            json_num(f->b, v[i]);
    }
    sg__buf_puts(f->b, "}}");
    return f->b->failed ? SG_ERR_NOMEM : SG_OK;
}

static sg_status code_name_cb(const char *g, const char *const *v, int n,
                              void *user)
{
    fc *f = user;
    (void)n;
    feature_begin(f, g);
    sg__buf_puts(f->b, "\"code\":");
    json_str(f->b, v[SG__WG_CODE]);
    sg__buf_puts(f->b, ",\"name\":");
    json_str(f->b, v[SG__WG_NAME]);
    sg__buf_puts(f->b, "}}");
    return f->b->failed ? SG_ERR_NOMEM : SG_OK;
}

/* ---- households in hexagons
 * ---------------------------------------------------- */

/* Pointy-top hexagons of radius r (centre to corner) on axial
 * coordinates (q, s): centre x = r sqrt3 (q + s / 2), y = 1.5 r s. */
typedef struct hexbin {
    int pass; /* 0: extent, 1: counting */
    double minx, miny, maxx, maxy;
    long long n;
    double r;
    GHashTable *cells; /* gint64 key -> cell */
} hexbin;

typedef struct cell {
    gint64 key;
    long q, s;
    long long n;
    double residents;
} cell;

static sg_status hex_cb(double x, double y, double residents, void *user)
{
    hexbin *h = user;
    if (h->pass == 0) {
        if (!h->n++) {
            h->minx = h->maxx = x;
            h->miny = h->maxy = y;
        }
        h->minx = fmin(h->minx, x);
        h->maxx = fmax(h->maxx, x);
        h->miny = fmin(h->miny, y);
        h->maxy = fmax(h->maxy, y);
        return SG_OK;
    }
    /* fractional axial coordinates, then cube rounding */
    double fq = (sqrt(3.0) / 3.0 * (x - h->minx) - (y - h->miny) / 3.0) / h->r;
    double fs = (2.0 / 3.0 * (y - h->miny)) / h->r;
    double fx = fq, fz = fs, fy = -fx - fz;
    double rx = round(fx), ry = round(fy), rz = round(fz);
    double dx = fabs(rx - fx), dy = fabs(ry - fy), dz = fabs(rz - fz);
    if (dx > dy && dx > dz)
        rx = -ry - rz;
    else if (dy <= dz)
        rz = -rx - ry;
    long q = (long)rx, s = (long)rz;
    /* q in the high half, s in the low (shifted unsigned: a left shift of
     * a negative number is undefined) */
    gint64 key = (gint64)(((guint64)(guint32)q << 32) | (guint32)s);
    cell *c = g_hash_table_lookup(h->cells, &key);
    if (!c) {
        c = g_try_new0(cell, 1);
        if (!c)
            return SG_ERR_NOMEM;
        c->key = key;
        c->q = q;
        c->s = s;
        g_hash_table_insert(h->cells, &c->key, c);
    }
    c->n++;
    c->residents += residents;
    return SG_OK;
}

static gint cmp_cell(gconstpointer a, gconstpointer b)
{
    const cell *x = *(const cell *const *)a, *y = *(const cell *const *)b;
    if (x->s != y->s)
        return x->s < y->s ? -1 : 1;
    return (x->q > y->q) - (x->q < y->q);
}

/* Cell features being written: the cells in order. */
typedef struct hexout {
    fc *f;
    cell **cells;
} hexout;

static sg_status hex_feature_cb(const char *g, const char *const *v, int n,
                                void *user)
{
    hexout *o = user;
    (void)n;
    const cell *c = o->cells[strtoul(v[0], NULL, 10)];
    char res[32];
    sg__fmt_num(res, sizeof res, c->residents, 0);
    feature_begin(o->f, g);
    sg__buf_printf(o->f->b, "\"households\":%lld,\"residents\":%s}}", c->n,
                   res);
    return o->f->b->failed ? SG_ERR_NOMEM : SG_OK;
}

/* Append the households' hexagons as a FeatureCollection; *radius = the
 * hexagon radius (m). */
static sg_status add_households(sg_ctx *ctx, sg_store *store, fc *f,
                                double *radius, long long *households)
{
    hexbin h;
    memset(&h, 0, sizeof h);
    sg_status st = sg__store_webmap_households(ctx, store, hex_cb, &h);
    *households = h.n;
    if (st || h.n == 0)
        return st;
    double area = (h.maxx - h.minx + 1) * (h.maxy - h.miny + 1);
    h.r = fmax(SG__HEX_MIN_M, sqrt(area / (1.5 * sqrt(3.0) * SG__HEX_CELLS)));
    *radius = h.r;
    h.pass = 1;
    h.cells = g_hash_table_new_full(g_int64_hash, g_int64_equal, NULL, g_free);
    st = sg__store_webmap_households(ctx, store, hex_cb, &h);
    guint n = g_hash_table_size(h.cells);
    cell **cells = g_try_new(cell *, n + 1);
    char **wkt = g_try_new0(char *, n + 1);
    if (st == SG_OK && (!cells || !wkt))
        st = SG_ERR_NOMEM;
    if (st == SG_OK) {
        GHashTableIter it;
        gpointer k, val;
        guint i = 0;
        g_hash_table_iter_init(&it, h.cells);
        while (g_hash_table_iter_next(&it, &k, &val))
            cells[i++] = val;
        qsort(cells, n, sizeof *cells,
              (int (*)(const void *, const void *))cmp_cell);
        for (i = 0; i < n; i++) {
            double cx =
                h.minx + h.r * sqrt(3.0) *
                             ((double)cells[i]->q + (double)cells[i]->s / 2.0);
            double cy = h.miny + h.r * 1.5 * (double)cells[i]->s;
            GString *w = g_string_new("POLYGON((");
            for (int k2 = 0; k2 <= 6; k2++) {
                double a = (60.0 * (k2 % 6) + 30.0) * G_PI / 180.0;
                char xs[32], ys[32];
                sg__fmt_num(xs, sizeof xs, cx + h.r * cos(a), 2);
                sg__fmt_num(ys, sizeof ys, cy + h.r * sin(a), 2);
                g_string_append_printf(w, "%s%s %s", k2 ? "," : "", xs, ys);
            }
            g_string_append(w, "))");
            wkt[i] = g_string_free(w, FALSE);
        }
        hexout o = {f, cells};
        st = sg__store_webmap_wkt(ctx, store, (const char *const *)wkt, n,
                                  hex_feature_cb, &o);
    }
    for (guint i = 0; wkt && i < n; i++)
        g_free(wkt[i]);
    g_free(wkt);
    g_free(cells);
    g_hash_table_destroy(h.cells);
    return st;
}

/* ---- the section
 * ------------------------------------------------------------------ */

/* Words of the map (keys of sg__tr). */
static const char *const words[] = {
    "wm_villages", "wm_grids", "wm_points",   "wm_households", "wm_rank",
    "wm_score",    "wm_list",  "wm_coverage", "wm_staffing",   "wm_need",
    "wm_have",     "wm_short", "wm_code",     "wm_hh",         "wm_residents",
    "red",         "black",    "wm_none"};

/* The page's script: builds the map from the data block. */
static const char map_js[] =
    "(function(){\n"
    "var el=document.getElementById('webmap-map'),"
    "D=JSON.parse(document.getElementById('webmap-data').textContent),"
    "T=D.text;\n"
    "function esc(s){return String(s).replace(/[&<>\"']/g,function(c){"
    "return '&#'+c.charCodeAt(0)+';';});}\n"
    "function v(x,d){return x===null||x===undefined?'\\u2013':"
    "(d===undefined?String(x):(+x).toFixed(d));}\n"
    "function rows(r){return '<table>'+r.map(function(x){return '<tr><th>'+"
    "esc(x[0])+'</th><td>'+esc(x[1])+'</td></tr>';}).join('')+'</table>';}\n"
    "function ramp(s){if(s===null)return '#bdbdbd';"
    "var c=['#d7191c','#fdae61','#ffffbf','#a6d96a','#1a9641'];"
    "return c[Math.max(0,Math.min(4,Math.floor(s/20)))];}\n"
    "var map=L.map(el,{zoomSnap:0.25,attributionControl:true});\n"
    "map.attributionControl.setPrefix('Leaflet');\n"
    "if(D.attribution)map.attributionControl.addAttribution(esc(D.attribution))"
    ";"
    "\n"
    "var maxn=1;D.households.features.forEach(function(f){"
    "maxn=Math.max(maxn,f.properties.households);});\n"
    "var hh=L.geoJSON(D.households,{style:function(f){"
    "var t=Math.sqrt(f.properties.households/maxn);"
    "return {stroke:false,fillColor:'#6a51a3',fillOpacity:0.15+0.6*t};},"
    "onEachFeature:function(f,l){l.bindPopup(rows([[T.wm_hh,"
    "f.properties.households],[T.wm_residents,f.properties.residents]]));}});"
    "\n"
    "var vil=L.geoJSON(D.villages,{style:function(f){var p=f.properties;"
    "return {color:p.tier==='red'?'#c62828':p.tier==='black'?'#000':'#555',"
    "weight:p.tier?3:1.2,fillColor:ramp(p.score),fillOpacity:0.35};},"
    "onEachFeature:function(f,l){var p=f.properties;"
    "l.bindTooltip(esc(p.name||p.code));"
    "l.bindPopup('<b>'+esc(p.name||p.code)+'</b>'+rows(["
    "[T.wm_code,p.code],[T.wm_rank,v(p.rank)],[T.wm_score,v(p.score,2)],"
    "[T.wm_list,p.tier?T[p.tier]:T.wm_none],"
    "[T.wm_coverage,p.covered===null?'\\u2013':(100*p.covered).toFixed(1)+"
    "'%'],[T.wm_hh,v(p.households)],"
    "[T.wm_staffing,T.wm_need+' '+v(p.required)+' '+T.wm_have+' '+"
    "v(p.current)+' '+T.wm_short+' '+v(p.shortfall)]]));}});\n"
    "var grd=L.geoJSON(D.grids,{style:{color:'#1f5c45',weight:1.5,"
    "dashArray:'4 3',fill:false},onEachFeature:function(f,l){"
    "l.bindPopup(rows([[T.wm_code,f.properties.code],"
    "[T.wm_grids,v(f.properties.name)]]));}});\n"
    "var pts=L.geoJSON(D.points,{pointToLayer:function(f,ll){"
    "return L.circleMarker(ll,{radius:5,color:'#fff',weight:1.5,"
    "fillColor:'#1565c0',fillOpacity:1});},onEachFeature:function(f,l){"
    "l.bindPopup(rows([[T.wm_code,f.properties.code],"
    "[T.wm_points,v(f.properties.name)]]));}});\n"
    "var layers={};layers[T.wm_households]=hh;layers[T.wm_villages]=vil;"
    "layers[T.wm_grids]=grd;layers[T.wm_points]=pts;\n"
    "[hh,vil,grd,pts].forEach(function(l){l.addTo(map);});\n"
    "L.control.layers(null,layers,{collapsed:false}).addTo(map);\n"
    "L.control.scale({imperial:false}).addTo(map);\n"
    "var b=vil.getBounds();[hh,grd,pts].forEach(function(l){"
    "var lb=l.getBounds();if(lb.isValid())b=b.isValid()?b.extend(lb):lb;});\n"
    "if(b.isValid())map.fitBounds(b,{padding:[10,10]});"
    "else map.setView([0,0],2);\n"
    "el.setAttribute('data-features',[vil,grd,pts,hh].map(function(l){"
    "return l.getLayers().length;}).join(','));\n"
    "window.sgWebmap={map:map,villages:vil,grids:grd,points:pts,"
    "households:hh};\n"
    "})();\n";

sg_status sg__report_webmap(sg_ctx *ctx, sg_store *store,
                            const sg_render_options *opts,
                            const char *leaflet_dir, sg__buf *b,
                            sg_report_result *r)
{
    const char *lang = opts->lang;
    int en = strcmp(lang, "en") == 0;
    const char *dir = leaflet_dir ? leaflet_dir : SG_LEAFLET_DIR;
    char *js = NULL, *css = NULL;
    gsize jl = 0, cl = 0;
    int have = (read_file(dir, "leaflet.min.js", &js, &jl) ||
                read_file(dir, "leaflet.js", &js, &jl)) &&
               read_file(dir, "leaflet.css", &css, &cl);
    sg__buf_printf(b, "<section id=\"webmap\"><h2>%s</h2>\n",
                   sg__tr(lang, "sec_webmap"));
    if (!have) {
        sg__buf_puts(b, "<p class=\"hint\" id=\"webmap-missing\">");
        if (en)
            sg__buf_puts(b, "No interactive map: Leaflet (the Debian "
                            "package libjs-leaflet) is not installed on the "
                            "computer that wrote this report. Install it "
                            "(scripts/install-deps) and write the report "
                            "again.");
        else
            sg__buf_puts(b, "没有交互地图：生成本报告的电脑上没有安装地图库"
                            "（Debian 软件包 libjs-leaflet）。安装后（运行 "
                            "scripts/install-deps）重新生成报告。");
        sg__buf_puts(b, "</p></section>\n");
        sg__log(ctx, SG_LOG_WARN,
                "no interactive map in the report: Leaflet not found in %s "
                "(install the Debian package libjs-leaflet)",
                dir);
        g_free(js);
        g_free(css);
        return SG_OK;
    }
    sg__buf_puts(b, "<p class=\"hint\">");
    sg__buf_html(b, sg__tr(lang, "wm_hint"));
    sg__buf_puts(b, "</p>\n<style>");
    add_css(b, dir, css);
    sg__buf_puts(b, "</style>\n<div id=\"webmap-map\" class=\"webmap\">"
                    "</div>\n<script type=\"application/json\" "
                    "id=\"webmap-data\">{\"text\":{");
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        sg__buf_printf(b, "%s\"%s\":", i ? "," : "", words[i]);
        json_str(b, sg__tr(lang, words[i]));
    }
    sg__buf_puts(b, "},\n\"attribution\":");
    char *attribution = sg__attribution(ctx, store, opts);
    json_str(b, attribution && *attribution ? attribution : NULL);
    free(attribution);
    fc f = {b, 0, 0};
    sg__buf_puts(b, ",\n\"villages\":{\"type\":\"FeatureCollection\","
                    "\"features\":[\n");
    sg_status st = sg__store_webmap_villages(ctx, store, village_cb, &f);
    r->webmap_villages = f.n;
    sg__buf_puts(b, "]},\n\"grids\":{\"type\":\"FeatureCollection\","
                    "\"features\":[\n");
    f.n = 0;
    if (st == SG_OK)
        st = sg__store_webmap_grids(ctx, store, code_name_cb, &f);
    r->webmap_grids = f.n;
    sg__buf_puts(b, "]},\n\"points\":{\"type\":\"FeatureCollection\","
                    "\"features\":[\n");
    f.n = 0;
    if (st == SG_OK)
        st = sg__store_webmap_points(ctx, store, code_name_cb, &f);
    r->webmap_points = f.n;
    sg__buf_puts(b, "]},\n\"households\":{\"type\":\"FeatureCollection\","
                    "\"features\":[\n");
    f.n = 0;
    double radius = 0;
    long long households = 0;
    if (st == SG_OK)
        st = add_households(ctx, store, &f, &radius, &households);
    r->webmap_cells = f.n;
    char rs[32];
    sg__fmt_num(rs, sizeof rs, radius, 1);
    sg__buf_printf(b,
                   "]},\n\"hex_radius_m\":%s,\"households_total\":%lld}"
                   "</script>\n<script id=\"leaflet-js\">",
                   rs, households);
    add_js(b, js);
    sg__buf_puts(b, "</script>\n<script>");
    sg__buf_puts(b, map_js);
    sg__buf_puts(b, "</script>\n</section>\n");
    r->webmap = st == SG_OK;
    g_free(js);
    g_free(css);
    if (st == SG_ERR_NOMEM)
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    if (st)
        sg__error_prefix(ctx, "report interactive map: ");
    return st;
}
