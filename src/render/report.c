/* The report: one self-contained HTML file (inline CSS; maps as inline
 * SVG, or as inline PNG data when a map has more features than the
 * options allow; a little inline JavaScript for sortable tables; nothing
 * fetched from a network) with a section per analysis present in the
 * store, its map beside its tables, then every run with its parameters
 * and time. Sections whose layers are absent are left out, so the report
 * grows as analyses are run. Chinese or English, as the options say.
 * The page is streamed to a temporary file beside the report piece by
 * piece (PNG maps base64-encoded on the fly with GLib, which Pango already
 * links), so memory does not grow with the page, and renamed into place
 * when complete (src/core/outfile.c): a failure or a cancel leaves an
 * earlier report as it was and nothing else behind.
 * Not for: the tables' data (report_tables.c) or drawing (map.c).
 * SPDX-License-Identifier: MIT */
#include <errno.h>
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/outfile_int.h"
#include "render/report_int.h"
#include "sanigrid/fields.h"
#include "sanigrid/version.h"
#include "store/store_int.h"

/* ---- what the report shows
 * --------------------------------------------------- */

static const char *const issue_cols[] = {"level",  "kind",  "codes",
                                         "detail", "value", NULL};
static const char *const stat_cols[] = {"name",
                                        "unit_code",
                                        "households",
                                        "residents",
                                        "covered_network_share",
                                        "covered_euclid_share",
                                        "unreachable",
                                        "points_inside",
                                        "residents_per_point",
                                        "farthest_m",
                                        NULL};
static const char *const blind_cols[] = {"blind_spot_id", "division_code",
                                         "households",    "residents",
                                         "area_m2",       NULL};
/* the columns people read first: rank, name, score, list */
static const char *const rank_cols[] = {
    "rank",         "name",          "score",       "tier",
    "rank_change",  "band",          "coverage",    "staffing",
    "grid",         "toilets",       "inspection",  "inspections",
    "trend",        "previous_rank", "rank_within", "within_name",
    "period",       "unit_code",     "level",       "amount_village",
    "amount_cadre", "missing",       NULL};

static const char *const route_sum_cols[] = {
    "name",  "depot_id",  "stops",    "unserved", "vehicles", "trips", "km",
    "hours", "demand_kg", "plant_id", "haul_km",  "haul_far", NULL};
static const char *const route_cols[] = {"division_code", "route",   "vehicle",
                                         "trip",          "stops",   "km",
                                         "minutes",       "load_kg", NULL};

/* One analysis section: its map theme, title, the command whose last run
 * it summarises, and its tables. */
typedef struct section {
    sg_render_theme theme; /* its name is the section's HTML id */
    const char *title;     /* sg__tr key */
    const char *command;   /* runs.command */
    sg__tspec tables[3];
} section;

static const section sections[] = {
    {SG_RENDER_THEME_GRIDS,
     "sec_grids",
     "check",
     {{"grid_issues", "grid_issues", issue_cols, NULL, NULL, NULL, 0, 300}}},
    {SG_RENDER_THEME_COVERAGE,
     "sec_coverage",
     "coverage",
     {{"coverage_stats", "worst_villages", stat_cols, "unit_type", "division",
       "covered_network_share", 0, 100},
      {"coverage_stats", "grid_coverage", stat_cols, "unit_type", "grid",
       "covered_network_share", 0, 200},
      {"blind_spots", "largest_blind", blind_cols, NULL, NULL, "households", 1,
       20}}},
    /* staffing, allocate, plan, site, rank: every column they write,
     * sorted on the named one */
    {SG_RENDER_THEME_STAFFING,
     "sec_staffing",
     "staffing",
     {{"staffing", "sec_staffing", NULL, NULL, NULL, "shortfall", 1, 500}}},
    {SG_RENDER_THEME_ALLOCATION,
     "sec_allocation",
     "allocate",
     {{"service_areas", "sec_allocation", NULL, NULL, NULL, "cleaner_id", 0,
       500}}},
    {SG_RENDER_THEME_PLAN,
     "sec_plan",
     "plan",
     {{"planned_grids", "sec_plan", NULL, NULL, NULL, NULL, 0, 500}}},
    {SG_RENDER_THEME_SITES,
     "sec_sites",
     "site",
     {{"site_proposals", "sec_sites", NULL, NULL, NULL, "rank", 0, 500}}},
    {SG_RENDER_THEME_RANKING,
     "sec_ranking",
     "rank",
     {{"rankings", "sec_ranking", rank_cols, NULL, NULL, "rank", 0, 500}}},
    /* route: a row per township (vehicles, km and hours a day, unserved,
     * haul), then every trip */
    {SG_RENDER_THEME_ROUTES,
     "sec_routes",
     "route",
     {{"route_summary", "route_townships", route_sum_cols, NULL, NULL,
       "division_code", 0, 500},
      {"routes", "route_trips", route_cols, NULL, NULL, "route", 0, 500}}},
};

#define NSECTIONS (sizeof sections / sizeof sections[0])

/* A map's size on the page (CSS pixels); PNG maps are drawn PNG_SCALE
 * times finer so that they stay sharp on high-density screens and when
 * zoomed. */
#define MAP_W 1100
#define MAP_H 800
#define PNG_SCALE 2.0

/* The page being written: text is gathered in \p b and flushed to \p f
 * between pieces; PNG data goes straight to \p f. */
typedef struct page {
    FILE *f;          /* the temporary file; owned by sg_report */
    const char *tmp;  /* its name (for the disk-full probe) */
    const char *path; /* the report's path, for messages */
    sg__buf b;        /* text not yet written; owned */
    long long bytes;  /* written to f so far */
    int io_error;     /* errno of a failed write, or 0 */
    gint b64_state;   /* g_base64_encode_step state of a PNG being written */
    gint b64_save;
} page;

static const char css[] =
    "*{box-sizing:border-box}"
    "body{margin:0;background:#f3f4f1;color:#1f2933;font:14px/1.5 "
    "\"Noto Sans CJK SC\",\"Noto Sans SC\",\"PingFang SC\",\"Microsoft "
    "YaHei\",sans-serif}"
    "header{background:#1f5c45;color:#fff;padding:18px 28px}"
    "header h1{margin:0 0 4px;font-size:24px}"
    "header p{margin:0;opacity:.9}"
    "nav{background:#fff;border-bottom:1px solid #dde1dc;padding:8px 28px}"
    "nav a{margin-right:18px;color:#1f5c45;text-decoration:none}"
    "main{max-width:1600px;margin:0 auto;padding:8px 24px 24px}"
    "section{background:#fff;border:1px solid #dde1dc;border-radius:6px;"
    "margin:18px 0;padding:14px 20px}"
    "h2{margin:4px 0 12px;font-size:20px;color:#1f5c45}"
    ".cols{display:grid;grid-template-columns:minmax(0,1fr) "
    "minmax(0,1fr);gap:22px;align-items:start}"
    "@media(max-width:1100px){.cols{grid-template-columns:1fr}}"
    "figure{margin:0}"
    "figure svg,figure img{display:block;width:100%;height:auto;"
    "border:1px solid #d0d4cf}"
    ".tbl{max-height:620px;overflow:auto;margin-bottom:14px}"
    "table{border-collapse:collapse;width:100%;font-size:13px}"
    "caption{text-align:left;font-weight:bold;padding:4px 0 6px}"
    "caption .note{font-weight:normal;color:#666}"
    "th,td{border-bottom:1px solid #e3e6e1;padding:4px 7px;text-align:left;"
    "vertical-align:top}"
    /* long words break only when nothing else fits: a name or a code
     * stays whole on its line (the table scrolls sideways instead) */
    "td{overflow-wrap:break-word;min-width:4em}"
    "td.k{white-space:nowrap}"
    "td.n{text-align:right;font-variant-numeric:tabular-nums;"
    "white-space:nowrap}"
    "th{background:#eaf0e8;position:sticky;top:0;cursor:pointer;"
    "user-select:none;white-space:nowrap}"
    "th.asc::after{content:\" \\25B2\"}th.desc::after{content:\" \\25BC\"}"
    "tr.red td{background:#fdeceb}tr.black td{background:#e4e4e4}"
    ".up{color:#1a7f37}.down{color:#c62828}"
    ".run{font-size:13px;color:#444;margin:0 0 10px}"
    ".kv{display:inline-block;background:#f1f4ef;border-radius:3px;"
    "padding:0 6px;margin:2px 4px 2px 0}"
    ".hint{color:#666;font-size:12px}"
    "footer{color:#555;font-size:12px;padding:8px 28px 24px}"
    "ul.concl{margin:0;padding-left:1.3em;font-size:15px;line-height:1.8}"
    /* long tables folded; the score history as small multiples */
    "details{margin-bottom:12px}"
    "summary{cursor:pointer;font-weight:bold;color:#1f5c45;padding:4px 0}"
    "summary .note{font-weight:normal;color:#666}"
    ".sparks{display:grid;grid-template-columns:repeat(auto-fill,"
    "minmax(190px,1fr));gap:8px}"
    "figure.spark{margin:0;font-size:12px}"
    "figure.spark svg{display:block;border:1px solid #e3e6e1;width:100%;"
    "height:auto}"
    "figure.spark .bg{fill:#fafbf9}"
    "figure.spark .mid{stroke:#d0d4cf;stroke-dasharray:3 3}"
    "figure.spark polyline{fill:none;stroke:#1f5c45;stroke-width:2}"
    "figure.spark circle{fill:#1f5c45}"
    "figure.spark text{font-size:13px;fill:#1f2933}"
    /* the interactive map */
    ".webmap{height:640px;border:1px solid #d0d4cf;background:#fafbf9}"
    ".leaflet-popup-content table{border-collapse:collapse;font-size:12px;"
    "width:auto}"
    ".leaflet-control-layers section{border:0;margin:0;padding:0;"
    "border-radius:0}"
    ".leaflet-popup-content th{background:none;position:static;"
    "cursor:auto;padding:1px 8px 1px 0}"
    ".leaflet-popup-content td{min-width:0;padding:1px 0;"
    "white-space:nowrap;overflow-wrap:normal}"
    /* printed (A4): every row of every table, nothing clipped or scrolled,
     * a section per page */
    "@page{size:A4;margin:12mm}"
    "@media print{body{background:#fff;font-size:11px}nav{display:none}"
    "header{padding:6px 0;background:#fff;color:#000}"
    "main{max-width:none;padding:0}"
    "section{border:0;padding:0;margin:0 0 8mm;break-before:page}"
    "section#conclusion{break-before:auto}"
    ".cols{display:block}"
    ".tbl{max-height:none;overflow:visible}"
    "table{font-size:10px;table-layout:auto}"
    "th{position:static}"
    "th,td{padding:2px 4px;white-space:normal}"
    "td.n{white-space:nowrap}"
    "tr{break-inside:avoid}thead{display:table-header-group}"
    /* folded tables print open */
    "details::details-content{content-visibility:visible;display:block}"
    "details>summary{display:none}details.hist>summary{display:block}"
    ".sparks{grid-template-columns:repeat(4,1fr)}"
    "figure.spark{break-inside:avoid}"
    ".webmap{height:170mm;break-inside:avoid}"
    ".leaflet-control-container{display:none}"
    "figure{break-inside:avoid;margin-bottom:4mm}}";

static const char js[] =
    "(function(){\n"
    "function val(td,num){if(num){var v=td.getAttribute('data-v');"
    "return v===null?NaN:parseFloat(v);}return td.textContent;}\n"
    "function sortBy(t,col,desc){var head=t.tHead.rows[0],th=head.cells[col],"
    "num=th.getAttribute('data-type')==='num',body=t.tBodies[0],"
    "rows=Array.prototype.slice.call(body.rows);\n"
    "rows.sort(function(a,b){var x=val(a.cells[col],num),"
    "y=val(b.cells[col],num);if(num){var xn=isNaN(x),yn=isNaN(y);"
    "if(xn||yn)return xn-yn;return desc?y-x:x-y;}"
    "var c=x.localeCompare(y,'zh-Hans-CN');return desc?-c:c;});\n"
    "rows.forEach(function(r){body.appendChild(r);});\n"
    "Array.prototype.forEach.call(head.cells,function(c){"
    "c.classList.remove('asc','desc');});th.classList.add(desc?'desc':'asc');}"
    "\n"
    "document.querySelectorAll('table.sortable').forEach(function(t){"
    "Array.prototype.forEach.call(t.tHead.rows[0].cells,function(th,i){"
    "th.addEventListener('click',function(){"
    "sortBy(t,i,th.classList.contains('asc'));});});});\n"
    "var m=/^#sort=([\\w-]+):(\\d+):(asc|desc)$/.exec(location.hash);\n"
    "if(m){var t=document.getElementById(m[1]);"
    "if(t&&t.tHead.rows[0].cells[+m[2]])sortBy(t,+m[2],m[3]==='desc');}\n"
    /* printing opens the folded tables (browsers without
     * ::details-content), and closes them again after */
    "var shut=[];window.addEventListener('beforeprint',function(){"
    "document.querySelectorAll('details:not([open])').forEach(function(d){"
    "d.open=true;shut.push(d);});});\n"
    "window.addEventListener('afterprint',function(){"
    "shut.forEach(function(d){d.open=false;});shut=[];});\n"
    "document.documentElement.setAttribute('data-ready','1');\n"
    "})();\n";

/* ---- writing the page
 * -------------------------------------------------------------- */

/* Write \p len bytes of \p data to pg's file. \return 1, or 0 after a
 * write error (remembered in pg->io_error; later writes do nothing). */
static int page_write(page *pg, const void *data, size_t len)
{
    if (pg->io_error)
        return 0;
    if (len && fwrite(data, 1, len, pg->f) != len) {
        pg->io_error = errno ? errno : EIO;
        return 0;
    }
    pg->bytes += (long long)len;
    return 1;
}

/* Write the text gathered in pg->b to the file and empty the buffer
 * (keeping its memory). \return SG_OK, SG_ERR_NOMEM if an append had
 * failed, or SG_ERR_IO_WRITE. */
static sg_status page_flush(sg_ctx *ctx, page *pg)
{
    if (pg->b.failed)
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    if (!page_write(pg, pg->b.data, pg->b.len))
        return sg__write_error(ctx, pg->path, pg->tmp, pg->io_error, NULL);
    pg->b.len = 0;
    if (pg->b.data)
        pg->b.data[0] = '\0';
    return SG_OK;
}

/* Cairo PNG stream callback: base64-encode the bytes into pg's file.
 * g_base64_encode_step keeps the 0-2 bytes left over between calls. */
static cairo_status_t png_write(void *closure, const unsigned char *data,
                                unsigned int len)
{
    page *pg = closure;
    /* 3072 bytes in give at most 4096 characters out, plus the 4 of a
     * group left from the previous call */
    char out[4096 + 8];
    while (len > 0) {
        unsigned int n = len < 3072 ? len : 3072;
        gsize k = g_base64_encode_step(data, n, FALSE, out, &pg->b64_state,
                                       &pg->b64_save);
        if (!page_write(pg, out, k))
            return CAIRO_STATUS_WRITE_ERROR;
        data += n;
        len -= n;
    }
    return CAIRO_STATUS_SUCCESS;
}

/* ---- pieces of the page
 * ----------------------------------------------------------- */

/* Append the SVG text \p svg as an inline map: without its XML prolog,
 * and with every id and reference prefixed by "m<n>-" so that the glyphs
 * and clips of one map never resolve to another map's. */
static void add_svg(sg__buf *b, const char *svg, size_t len, int n)
{
    const char *p = svg, *end = svg + len;
    const char *root = strstr(svg, "<svg");
    if (root)
        p = root;
    char prefix[16];
    snprintf(prefix, sizeof prefix, "m%d-", n);
    static const char *const pats[] = {"id=\"", "href=\"#", "url(#"};
    while (p < end) {
        const char *hit = NULL;
        size_t hl = 0;
        for (size_t i = 0; i < 3; i++) {
            const char *q = strstr(p, pats[i]);
            if (q && q < end && (!hit || q < hit)) {
                hit = q;
                hl = strlen(pats[i]);
            }
        }
        if (!hit) {
            sg__buf_add(b, p, (size_t)(end - p));
            break;
        }
        sg__buf_add(b, p, (size_t)(hit - p) + hl);
        sg__buf_puts(b, prefix);
        p = hit + hl;
    }
}

/* Append one chip: in Chinese the key's header from the field
 * dictionary (layer "runs"), the value's label or the value with its unit
 * ("服务半径 120 米"); in English the key and value as recorded. */
static void add_chip(sg__buf *b, const char *lang, const char *key,
                     const char *val)
{
    int zh = !lang || strcmp(lang, "en") != 0;
    const char *head = zh ? sg_field_header("runs", key, "zh") : NULL;
    const char *label =
        zh ? sg_field_value_label("runs", key, val, "zh") : NULL;
    const char *unit = zh ? sg_field_unit("runs", key) : NULL;
    char *end = NULL;
    strtod(val, &end);
    int numeric = *val && end && !*end;
    sg__buf_puts(b, "<span class=\"kv\"><b>");
    sg__buf_html(b, head ? head : key);
    sg__buf_puts(b, "</b> ");
    if (zh && !strcmp(val, "null"))
        sg__buf_html(b, "—");
    else
        sg__buf_html(b, label ? label : val);
    if (unit && numeric && !label) {
        sg__buf_puts(b, " ");
        sg__buf_html(b, unit);
    }
    sg__buf_puts(b, "</span>");
}

/* Append the chip of nested object \p json under \p key in Chinese: its
 * keys by their headers among the rankings' fields ("覆盖率指标 0.15、…"),
 * the layer whose indicators rank's weights are. */
static void add_nested_chip(sg__buf *b, const char *key, const char *json)
{
    const char *head = sg_field_header("runs", key, "zh");
    sg__buf_puts(b, "<span class=\"kv\"><b>");
    sg__buf_html(b, head ? head : key);
    sg__buf_puts(b, "</b> ");
    const char *p = json + 1;
    int first = 1;
    while (*p) {
        const char *k = strchr(p, '"');
        const char *ke = k ? strchr(k + 1, '"') : NULL;
        const char *colon = ke ? strchr(ke, ':') : NULL;
        if (!colon)
            break;
        const char *ve = colon + 1;
        while (*ve && *ve != ',' && *ve != '}')
            ve++;
        char name[64], val[64];
        snprintf(name, sizeof name, "%.*s", (int)(ke - k - 1), k + 1);
        snprintf(val, sizeof val, "%.*s", (int)(ve - colon - 1), colon + 1);
        const char *h = sg_field_header("rankings", name, "zh");
        sg__buf_puts(b, first ? "" : "、");
        sg__buf_html(b, h ? h : name);
        sg__buf_puts(b, " ");
        sg__buf_html(b, val);
        first = 0;
        p = *ve ? ve + 1 : ve;
    }
    sg__buf_puts(b, "</span>");
}

/* Append the key/value pairs of the flat JSON object \p json as chips
 * (add_chip). Nested values are shown as written. */
static void add_json_chips(sg__buf *b, const char *lang, const char *json)
{
    const char *p = json ? strchr(json, '{') : NULL;
    if (!p)
        return;
    p++;
    while (*p) {
        while (*p == ' ' || *p == ',' || *p == '\n')
            p++;
        if (*p != '"')
            break;
        const char *k = ++p;
        while (*p && *p != '"')
            p++;
        size_t kl = (size_t)(p - k);
        if (!*p)
            break;
        p++;
        while (*p == ' ' || *p == ':')
            p++;
        const char *v = p;
        int depth = 0, instr = 0;
        while (*p && (instr || depth > 0 || (*p != ',' && *p != '}'))) {
            if (*p == '\\' && instr && p[1])
                p++;
            else if (*p == '"')
                instr = !instr;
            else if (!instr && (*p == '{' || *p == '['))
                depth++;
            else if (!instr && (*p == '}' || *p == ']'))
                depth--;
            p++;
        }
        size_t vl = (size_t)(p - v);
        if ((kl == 7 && !strncmp(k, "mapping", 7)) ||
            (kl == 3 && !strncmp(k, "set", 3))) {
            /* an import's source columns (`sanigrid show` lists them):
             * the user's own names, in any language */
            if (*p == '}')
                break;
            continue;
        }
        if (vl >= 2 && v[0] == '{' && lang && strcmp(lang, "en") != 0) {
            /* a nested object (rank's weights): its keys are fields of
             * the layer the command writes, shown by their headers */
            char key[128], inner[512];
            snprintf(key, sizeof key, "%.*s", (int)kl, k);
            snprintf(inner, sizeof inner, "%.*s", (int)vl, v);
            add_nested_chip(b, key, inner);
            if (*p == '}')
                break;
            continue;
        }
        if (vl >= 2 && v[0] == '"' && v[vl - 1] == '"') {
            v++;
            vl -= 2;
        }
        char key[128], val[512];
        snprintf(key, sizeof key, "%.*s", (int)kl, k);
        snprintf(val, sizeof val, "%.*s", (int)vl, v);
        add_chip(b, lang, key, val);
        if (*p == '}')
            break;
    }
}

/* Append the newest run of \p command from \p runs (newest first) as a
 * line of time, parameters and results. */
static void add_run_summary(sg__buf *b, const char *lang,
                            const sg_run_info *runs, size_t nruns,
                            const char *command)
{
    for (size_t i = 0; i < nruns; i++) {
        if (!runs[i].command || strcmp(runs[i].command, command) != 0)
            continue;
        sg__buf_puts(b, "<p class=\"run\"><b>");
        sg__buf_html(b, sg__tr(lang, "last_run"));
        sg__buf_puts(b, "</b> ");
        sg__buf_html(b, runs[i].started_at);
        sg__buf_puts(b, " · <b>");
        sg__buf_html(b, sg__tr(lang, "params"));
        sg__buf_puts(b, "</b> ");
        add_json_chips(b, lang, runs[i].params);
        sg__buf_puts(b, "<br><b>");
        sg__buf_html(b, sg__tr(lang, "counts"));
        sg__buf_puts(b, "</b> ");
        add_json_chips(b, lang, runs[i].counts);
        sg__buf_puts(b, "</p>\n");
        return;
    }
}

/* Append the overview: every layer with its row count. In Chinese a
 * layer is named by its title (收集点覆盖), in English by its name and
 * title. */
static void add_overview(sg__buf *b, const char *lang,
                         const sg_layer_info *layers, size_t n)
{
    int zh = !lang || strcmp(lang, "en") != 0;
    sg__buf_printf(b, "<section id=\"overview\"><h2>%s</h2>\n",
                   sg__tr(lang, "overview"));
    int fold = sg__report_fold(b, lang, sg__tr(lang, "layer"), n);
    sg__buf_printf(b,
                   "<div class=\"tbl\"><table class=\"sortable\" "
                   "id=\"t-overview\"><thead><tr><th data-type=\"text\">"
                   "%s</th>",
                   sg__tr(lang, "layer"));
    if (!zh)
        sg__buf_printf(b, "<th data-type=\"text\">%s</th>",
                       sg__tr(lang, "name"));
    sg__buf_printf(b, "<th data-type=\"num\">%s</th></tr></thead><tbody>\n",
                   sg__tr(lang, "rows"));
    for (size_t i = 0; i < n; i++) {
        char key[96];
        snprintf(key, sizeof key, "layer_title_%s", layers[i].name);
        const char *title = zh ? layers[i].title_zh : layers[i].title_en;
        if (!title || !*title)
            title = sg__tr_has(key) ? sg__tr(lang, key) : "";
        sg__buf_puts(b, "<tr><td>");
        sg__buf_html(b, zh && *title ? title : layers[i].name);
        if (!zh) {
            sg__buf_puts(b, "</td><td>");
            sg__buf_html(b, title);
        }
        sg__buf_printf(b,
                       "</td><td class=\"n\" data-v=\"%lld\">%lld</td>"
                       "</tr>\n",
                       layers[i].count, layers[i].count);
    }
    sg__buf_puts(b, "</tbody></table></div>");
    sg__buf_puts(b, fold ? "</details></section>\n" : "</section>\n");
}

/* Append the runs table: time, command, seconds, parameters, results. */
static void add_runs(sg__buf *b, const char *lang, const sg_run_info *runs,
                     size_t n)
{
    sg__buf_printf(b, "<section id=\"runs\"><h2>%s</h2>\n",
                   sg__tr(lang, "sec_runs"));
    int fold = sg__report_fold(b, lang, sg__tr(lang, "sec_runs"), n);
    sg__buf_printf(b,
                   "<div class=\"tbl\"><table class=\"sortable\" "
                   "id=\"t-runs\"><thead><tr><th data-type=\"num\">%s</th>"
                   "<th data-type=\"text\">%s</th>"
                   "<th data-type=\"text\">%s</th>"
                   "<th data-type=\"num\">%s</th>"
                   "<th data-type=\"text\">%s</th>"
                   "<th data-type=\"text\">%s</th></tr></thead><tbody>\n",
                   sg__tr(lang, "run_id"), sg__tr(lang, "started_at"),
                   sg__tr(lang, "command"), sg__tr(lang, "seconds"),
                   sg__tr(lang, "params"), sg__tr(lang, "counts"));
    for (size_t i = 0; i < n; i++) {
        char secs[32];
        sg__fmt_num(secs, sizeof secs, runs[i].seconds, 2);
        sg__buf_printf(b, "<tr><td class=\"n\" data-v=\"%lld\">%lld</td><td>",
                       runs[i].run_id, runs[i].run_id);
        sg__buf_html(b, runs[i].started_at);
        sg__buf_puts(b, "</td><td>");
        const char *cmd =
            sg_field_value_label("runs", "command", runs[i].command, lang);
        sg__buf_html(b, cmd ? cmd : runs[i].command);
        sg__buf_printf(b, "</td><td class=\"n\" data-v=\"%s\">%s</td><td>",
                       secs, secs);
        add_json_chips(b, lang, runs[i].params);
        sg__buf_puts(b, "</td><td>");
        add_json_chips(b, lang, runs[i].counts);
        sg__buf_puts(b, "</td></tr>\n");
    }
    sg__buf_puts(b, "</tbody></table></div>");
    sg__buf_puts(b, fold ? "</details></section>\n" : "</section>\n");
}

/* Options for a section's map: the report's language, date and
 * attribution with the theme \p theme. Caller owns. */
static sg_render_options *
map_options(sg_ctx *ctx, const sg_render_options *opts, sg_render_theme theme)
{
    sg_render_options *mo = sg_render_options_new();
    if (!mo) {
        sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        return NULL;
    }
    snprintf(mo->lang, sizeof mo->lang, "%s", opts->lang);
    /* the map is shown at about half its width: larger text and symbols */
    mo->dpi = 130;
    if (sg_render_options_set_theme(ctx, mo, theme) ||
        sg_render_options_set_date(ctx, mo, opts->date) ||
        sg_render_options_set_attribution(ctx, mo, opts->attribution)) {
        sg_render_options_free(mo);
        return NULL;
    }
    return mo;
}

/* Write prepared map \p m into the page as <img> with PNG data drawn at
 * PNG_SCALE and the map's title as alt text. */
static sg_status add_png(sg_ctx *ctx, sg__map *m, page *pg)
{
    sg__buf_puts(&pg->b, "<img src=\"data:image/png;base64,");
    sg_status st = page_flush(ctx, pg);
    if (st)
        return st;
    pg->b64_state = pg->b64_save = 0;
    st = sg__map_to_png_stream(ctx, m, PNG_SCALE, png_write, pg);
    if (st == SG_OK) {
        char out[8];
        gsize k =
            g_base64_encode_close(FALSE, out, &pg->b64_state, &pg->b64_save);
        page_write(pg, out, k);
    }
    if (st == SG_OK && pg->io_error)
        st = sg__error(ctx, SG_ERR_IO_WRITE, "writing %s failed: %s", pg->path,
                       strerror(pg->io_error));
    sg__buf_printf(&pg->b, "\" width=\"%d\" height=\"%d\" alt=\"", m->width,
                   m->height);
    sg__buf_html(&pg->b, m->title);
    sg__buf_puts(&pg->b, "\">");
    return st;
}

/* Write the map of section \p s (number \p n) into the page: inline SVG
 * when it has at most opts->svg_max_features features in view and its
 * SVG at most SG__SVG_MAX_BYTES, else a PNG. Counts it in \p r. */
static sg_status add_map(sg_ctx *ctx, sg_store *store,
                         const sg_render_options *opts, const section *s, int n,
                         page *pg, sg_report_result *r)
{
    sg__map m;
    char *svg = NULL;
    size_t len = 0;
    int png = 0;
    memset(&m, 0, sizeof m);
    sg_render_options *mo = map_options(ctx, opts, s->theme);
    sg_status st = mo ? sg__map_prepare_sized(ctx, store, mo, MAP_W, MAP_H, &m)
                      : sg_ctx_status(ctx);
    /* decide before drawing: a county's households would make an SVG of
     * hundreds of megabytes that no browser shows smoothly */
    if (st == SG_OK)
        png = sg__map_count_in_view(&m) > opts->svg_max_features;
    if (st == SG_OK && !png) {
        st = sg__map_to_svg(ctx, &m, &svg, &len);
        /* few features can still be heavy (long lines, many labels) */
        if (st == SG_OK && len > SG__SVG_MAX_BYTES) {
            free(svg);
            svg = NULL;
            png = 1;
        }
    }
    if (st == SG_OK && png)
        st = add_png(ctx, &m, pg);
    else if (st == SG_OK)
        add_svg(&pg->b, svg, len, n);
    free(svg);
    sg__map_cleanup(&m);
    sg_render_options_free(mo);
    if (st)
        return sg__error_prefix(
            ctx, "report map %s: ", sg_render_theme_to_string(s->theme));
    r->maps++;
    r->png_maps += png;
    return page_flush(ctx, pg);
}

/* Write section \p s (number \p n): heading, last run, map and tables. */
static sg_status add_section(sg_ctx *ctx, sg_store *store,
                             const sg_render_options *opts, const section *s,
                             int n, const sg_run_info *runs, size_t nruns,
                             page *pg, sg_report_result *r)
{
    const char *lang = opts->lang;
    sg__buf *b = &pg->b;
    const char *id = sg_render_theme_to_string(s->theme);
    sg__buf_printf(b, "<section id=\"%s\"><h2>%s</h2>\n", id,
                   sg__tr(lang, s->title));
    add_run_summary(b, lang, runs, nruns, s->command);
    sg__buf_puts(b, "<div class=\"cols\"><figure>");
    sg_status st = add_map(ctx, store, opts, s, n, pg, r);
    if (st)
        return st;
    sg__buf_puts(b, "</figure><div>\n");
    for (size_t i = 0; i < 3 && s->tables[i].layer && st == SG_OK; i++) {
        char tid[64];
        snprintf(tid, sizeof tid, "t-%s-%zu", id, i + 1);
        st = sg__report_table(ctx, store, lang, &s->tables[i], tid, b,
                              &r->tables);
        if (st == SG_OK)
            st = page_flush(ctx, pg);
    }
    if (st == SG_OK && s->theme == SG_RENDER_THEME_RANKING) {
        st = sg__report_history(ctx, store, lang, b, &r->charts);
        if (st == SG_OK)
            st = page_flush(ctx, pg);
    }
    sg__buf_printf(b, "<p class=\"hint\">%s</p></div></div></section>\n",
                   sg__tr(lang, "sort_hint"));
    return st == SG_OK ? page_flush(ctx, pg) : st;
}

/* Append the page head and header. */
static void add_head(sg__buf *b, const sg_render_options *opts, sg_store *store,
                     const char *date, const char *attribution)
{
    const char *lang = opts->lang;
    const char *base = sg__store_short_name(store);
    sg__buf_printf(b,
                   "<!DOCTYPE html>\n<html lang=\"%s\"><head>"
                   "<meta charset=\"utf-8\">"
                   "<meta name=\"viewport\" content=\"width=device-width,"
                   "initial-scale=1\"><title>",
                   strcmp(lang, "en") == 0 ? "en" : "zh-CN");
    sg__buf_html(b, sg__tr(lang, "report_title"));
    sg__buf_puts(b, "</title><style>");
    sg__buf_puts(b, css);
    sg__buf_puts(b, "</style></head><body>\n<header><h1>");
    sg__buf_html(b, sg__tr(lang, "report_title"));
    sg__buf_puts(b, "</h1><p>");
    sg__buf_html(b, sg__tr(lang, "store"));
    sg__buf_puts(b, strcmp(lang, "en") == 0 ? ": " : "：");
    sg__buf_html(b, base);
    sg__buf_printf(b, " · EPSG:%d · ", sg_store_srid(store));
    sg__buf_html(b, sg__tr(lang, "generated"));
    sg__buf_puts(b, strcmp(lang, "en") == 0 ? ": " : "：");
    sg__buf_html(b, date);
    if (attribution) {
        sg__buf_puts(b, " · ");
        sg__buf_html(b, sg__tr(lang, "attribution"));
        sg__buf_puts(b, strcmp(lang, "en") == 0 ? ": " : "：");
        sg__buf_html(b, attribution);
    }
    sg__buf_puts(b, "</p></header>\n");
}

/* Append the navigation bar for the sections that are \p present. */
static void add_nav(sg__buf *b, const char *lang, const int *present,
                    int webmap)
{
    sg__buf_puts(b, "<nav>");
    sg__buf_printf(b, "<a href=\"#overview\">%s</a>", sg__tr(lang, "overview"));
    if (webmap)
        sg__buf_printf(b, "<a href=\"#webmap\">%s</a>",
                       sg__tr(lang, "sec_webmap"));
    for (size_t i = 0; i < NSECTIONS; i++)
        if (present[i])
            sg__buf_printf(b, "<a href=\"#%s\">%s</a>",
                           sg_render_theme_to_string(sections[i].theme),
                           sg__tr(lang, sections[i].title));
    sg__buf_printf(b, "<a href=\"#runs\">%s</a></nav>\n<main>\n",
                   sg__tr(lang, "sec_runs"));
}

/* Whether the store has something for the interactive map. */
static int r_has_map_data(sg_ctx *ctx, sg_store *store)
{
    (void)ctx;
    return sg_store_srid(store) != 0 &&
           (sg__store_has_layer(store, "divisions") ||
            sg__store_has_layer(store, "households"));
}

/* Write the whole page into \p pg. */
static sg_status build(sg_ctx *ctx, sg_store *store,
                       const sg_render_options *opts, page *pg,
                       sg_report_result *r)
{
    const char *lang = opts->lang;
    sg__buf *b = &pg->b;
    sg_layer_info *layers = NULL;
    sg_run_info *runs = NULL;
    size_t nlayers = 0, nruns = 0;
    char date[32];
    if (opts->date)
        snprintf(date, sizeof date, "%s", opts->date);
    else
        sg__today(date, sizeof date);
    sg_status st = sg_store_layers(ctx, store, &layers, &nlayers);
    if (st == SG_OK)
        st = sg_store_runs(ctx, store, 500, &runs, &nruns);
    char *attribution = st == SG_OK ? sg__attribution(ctx, store, opts) : NULL;
    int present[NSECTIONS] = {0};
    for (size_t i = 0; st == SG_OK && i < NSECTIONS; i++)
        present[i] = sg_render_theme_available(ctx, store, sections[i].theme);
    if (st == SG_OK) {
        add_head(b, opts, store, date, attribution);
        add_nav(b, lang, present, r_has_map_data(ctx, store));
        st = sg__report_conclusion(ctx, store, lang, b);
    }
    if (st == SG_OK) {
        add_overview(b, lang, layers, nlayers);
        r->tables++;
        st = page_flush(ctx, pg);
    }
    if (st == SG_OK && r_has_map_data(ctx, store))
        st = sg__report_webmap(ctx, store, opts, opts->leaflet_dir, b, r);
    if (st == SG_OK)
        st = page_flush(ctx, pg);
    for (size_t i = 0; st == SG_OK && i < NSECTIONS; i++) {
        if (!present[i])
            continue;
        st = add_section(ctx, store, opts, &sections[i], (int)i + 1, runs,
                         nruns, pg, r);
        r->sections++;
        if (st == SG_OK)
            st = sg__progress(ctx, (double)(i + 1) / (NSECTIONS + 1),
                              sg_render_theme_to_string(sections[i].theme));
    }
    if (st == SG_OK && r->sections == 0)
        sg__buf_printf(b, "<section><p>%s</p></section>\n",
                       sg__tr(lang, "no_analyses"));
    if (st == SG_OK) {
        add_runs(b, lang, runs, nruns);
        r->tables++;
        sg__buf_puts(b, "</main>\n<footer>");
        if (attribution) {
            sg__buf_html(b, sg__tr(lang, "attribution"));
            sg__buf_puts(b, strcmp(lang, "en") == 0 ? ": " : "：");
            sg__buf_html(b, attribution);
            sg__buf_puts(b, " · ");
        }
        sg__buf_html(b, sg__tr(lang, "made_with"));
        sg__buf_printf(b, " %s</footer>\n<script>", SG_VERSION_STRING);
        sg__buf_puts(b, js);
        sg__buf_puts(b, "</script>\n</body></html>\n");
        st = page_flush(ctx, pg);
    }
    free(attribution);
    sg_layer_info_free(layers, nlayers);
    sg_run_info_free(runs, nruns);
    return st;
}

sg_status sg_report(sg_ctx *ctx, sg_store *store, const sg_render_options *opts,
                    const char *path, sg_report_result **result)
{
    sg_report_result r;
    memset(&r, 0, sizeof r);
    if (result)
        *result = NULL;
    if (!path || !*path)
        return sg__error(ctx, SG_ERR_USAGE, "no output file");
    sg_render_options *defaults = NULL;
    if (!opts && !(opts = defaults = sg_render_options_new()))
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    page pg;
    memset(&pg, 0, sizeof pg);
    pg.path = path;
    /* written beside the report and renamed over it when complete: a
     * failure half-way leaves an earlier report as it was */
    sg__outfile of;
    sg_status st = sg__outfile_begin(ctx, store, path, 1, NULL, &of);
    if (st == SG_OK) {
        pg.tmp = of.tmp;
        pg.f = sg__outfile_fopen(ctx, &of);
        if (!pg.f)
            st = sg_ctx_status(ctx);
    }
    if (st == SG_OK)
        st = build(ctx, store, opts, &pg, &r);
    pg.f = NULL;     /* of.f: closed, checked and synced by the commit */
    if (st == SG_OK) /* the last chance to cancel, before the rename */
        st = sg__progress(ctx, 1.0, "report");
    if (st == SG_OK)
        st = sg__outfile_commit(ctx, &of, NULL);
    else
        sg__outfile_abort(&of, NULL);
    r.bytes = pg.bytes;
    free(pg.b.data);
    sg_render_options_free(defaults);
    if (st == SG_OK && result) {
        if ((*result = malloc(sizeof **result)))
            **result = r;
        else
            st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    }
    return st;
}

void sg_report_result_free(sg_report_result *result)
{
    free(result);
}
