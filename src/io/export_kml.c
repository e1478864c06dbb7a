/* What people see of an exported feature in a phone map app (奥维/Ovital,
 * Google Earth) and the coordinates those apps expect: a KML placemark's
 * name ("夏辛庄村 · 保洁员2", "拟建收集点 3"), its description (a table of
 * its fields with Chinese headers and value labels), its style (colour by
 * cleaner, road class, list or point kind, as on the maps), and the
 * GCJ-02 / BD-09 shift of WGS 84 coordinates for Amap, Tencent and Baidu.
 * Not for: writing the file (export.c) or choosing columns (the store's
 * reader).
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ctx_int.h"
#include "io/export_kml_int.h"
#include "sanigrid/crs.h"
#include "sanigrid/fields.h"

int sg__reader_col_of(const sg__reader *r, const char *source)
{
    for (size_t i = 0; i < sg__reader_ncols(r); i++) {
        const char *s = sg__reader_col_source(r, i);
        if (s && !strcmp(s, source))
            return (int)i;
    }
    return -1;
}

/* The text of column \p source of the current row, NULL when absent or
 * NULL. Borrowed until the next row. */
static const char *val(const sg__reader *r, const char *source)
{
    int i = sg__reader_col_of(r, source);
    if (i < 0 || sg__reader_is_null(r, (size_t)i))
        return NULL;
    return sg__reader_text(r, (size_t)i);
}

/* Append to \p buf (size \p size) the formatted text. */
static void cat(char *buf, size_t size, const char *fmt, const char *a,
                const char *b)
{
    size_t n = strlen(buf);
    if (n < size)
        snprintf(buf + n, size - n, fmt, a ? a : "", b ? b : "");
}

void sg__kml_name(const char *layer, const sg__reader *r, const char *village,
                  int zh, char *buf, size_t size)
{
    buf[0] = '\0';
    const char *name = val(r, "name");
    const char *label = NULL, *id = NULL;
    if (!strcmp(layer, "site_proposals")) {
        snprintf(buf, size, zh ? "拟建收集点 %s" : "proposed point %s",
                 val(r, "rank") ? val(r, "rank") : "");
        return;
    }
    if (!strcmp(layer, "route_stops") || !strcmp(layer, "tour_stops")) {
        /* for the driver: in the order of the trip, "3. 二组收集点" */
        const char *order = val(r, "stop_order");
        const char *what = name                 ? name
                           : val(r, "point_id") ? val(r, "point_id")
                                                : val(r, "unit_code");
        const char *status = val(r, "status");
        const char *lab =
            zh && status ? sg_field_value_label(layer, "status", status, "zh")
                         : status;
        if (order)
            snprintf(buf, size, "%s. %s", order, what ? what : "");
        else
            snprintf(buf, size, zh ? "%s（%s）" : "%s (%s)", what ? what : "",
                     lab ? lab : "");
        return;
    }
    if (!strcmp(layer, "routes")) {
        snprintf(buf, size,
                 zh ? "路线 %s · 车辆 %s 第 %s 趟"
                    : "route %s · vehicle %s trip %s",
                 val(r, "route") ? val(r, "route") : "",
                 val(r, "vehicle") ? val(r, "vehicle") : "",
                 val(r, "trip") ? val(r, "trip") : "");
        return;
    }
    if (!strcmp(layer, "tours")) {
        snprintf(buf, size, "%s%s%s", zh ? "巡查路线" : "inspection round",
                 village ? " · " : "", village ? village : "");
        return;
    }
    if (!strcmp(layer, "rankings") && name) {
        snprintf(buf, size, zh ? "%s · 第%s名 %s分" : "%s · rank %s, %s", name,
                 val(r, "rank") ? val(r, "rank") : "-",
                 val(r, "score") ? val(r, "score") : "-");
        return;
    }
    id = val(r, "cleaner_id");
    if (id &&
        (!strcmp(layer, "cleaner_roads") || !strcmp(layer, "service_areas"))) {
        if (zh && !strstr(id, "拟增"))
            snprintf(buf, size, "%s%s保洁员 %s", village ? village : "",
                     village ? " · " : "", id);
        else
            snprintf(buf, size, "%s%s%s",
                     village && !strstr(id, village) ? village : "",
                     village && !strstr(id, village) ? " · " : "", id);
        return;
    }
    if (!strcmp(layer, "points")) {
        const char *kind = val(r, "kind");
        const char *k =
            zh && kind ? sg_field_value_label(layer, "kind", kind, "zh") : kind;
        if (name)
            snprintf(buf, size, "%s", name);
        else
            snprintf(buf, size, "%s %s", k ? k : "",
                     val(r, "point_id") ? val(r, "point_id") : "");
        return;
    }
    static const char *const ids[] = {
        "grid_code",     "household_id",  "road_id",  "point_id",
        "blind_spot_id", "division_code", "unit_code"};
    for (size_t i = 0; !label && i < sizeof ids / sizeof ids[0]; i++)
        label = val(r, ids[i]);
    if (name && label && strcmp(name, label))
        snprintf(buf, size, "%s %s", label, name);
    else if (name || label)
        snprintf(buf, size, "%s", name ? name : label);
    else if (village)
        snprintf(buf, size, "%s", village);
    if (village && buf[0] && !strstr(buf, village) &&
        strcmp(layer, "divisions") != 0) {
        char tmp[512];
        snprintf(tmp, sizeof tmp, "%s · %s", village, buf);
        snprintf(buf, size, "%s", tmp);
    }
}

/* Append \p s to \p buf HTML-escaped. */
static void cat_html(char *buf, size_t size, const char *s)
{
    size_t n = strlen(buf);
    for (; s && *s && n + 7 < size; s++) {
        const char *e = *s == '<'   ? "&lt;"
                        : *s == '>' ? "&gt;"
                        : *s == '&' ? "&amp;"
                                    : NULL;
        if (e) {
            memcpy(buf + n, e, strlen(e));
            n += strlen(e);
        } else {
            buf[n++] = *s;
        }
    }
    buf[n] = '\0';
}

void sg__kml_description(const char *layer, const sg__reader *r, int zh,
                         char *buf, size_t size)
{
    buf[0] = '\0';
    cat(buf, size, "%s%s", "<table border=\"1\" cellpadding=\"2\">", NULL);
    for (size_t i = 0; i < sg__reader_ncols(r); i++) {
        const char *src = sg__reader_col_source(r, i);
        if (!src || sg__reader_is_null(r, i))
            continue;
        const char *v = sg__reader_text(r, i);
        const char *head = zh ? sg_field_header(layer, src, "zh") : NULL;
        const char *unit = zh ? sg_field_unit(layer, src) : NULL;
        const char *lab = zh ? sg_field_value_label(layer, src, v, "zh") : NULL;
        cat(buf, size, "%s", "<tr><td>", NULL);
        cat_html(buf, size, head ? head : src);
        cat(buf, size, "%s", "</td><td>", NULL);
        cat_html(buf, size, lab ? lab : v);
        if (unit && !lab) {
            cat(buf, size, " ", NULL, NULL);
            cat_html(buf, size, unit);
        }
        cat(buf, size, "%s", "</td></tr>", NULL);
    }
    cat(buf, size, "%s", "</table>", NULL);
}

/* A colour of a small qualitative palette (ColorBrewer Set1/Dark2, the
 * maps' cleaner colours) for class number \p k. */
static const char *palette(long long k)
{
    static const char *const c[] = {"#E41A1C", "#377EB8", "#4DAF4A", "#984EA3",
                                    "#FF7F00", "#A65628", "#F781BF", "#1B9E77"};
    return c[((k % 8) + 8) % 8];
}

void sg__kml_style(const char *layer, const sg__reader *r, int dim, char *buf,
                   size_t size)
{
    const char *color = "#3366CC";
    const char *v;
    if ((v = val(r, "color_class")))
        color = palette(atoll(v));
    else if (!strcmp(layer, "routes") && (v = val(r, "route")))
        color = palette(atoll(v) - 1);
    else if ((!strcmp(layer, "route_stops") || !strcmp(layer, "tour_stops")) &&
             (v = val(r, "status")))
        color = !strcmp(v, "served") ? "#1A9641" : "#D7191C";
    else if ((v = val(r, "tier")))
        color = !strcmp(v, "red") ? "#D7191C" : "#000000";
    else if ((v = val(r, "class"))) {
        static const char *const cls[][2] = {
            {"national", "#D7191C"}, {"provincial", "#FD8D3C"},
            {"county", "#FECC5C"},   {"township", "#41B6C4"},
            {"village", "#2C7FB8"},  {"lane", "#7F7F7F"}};
        color = "#999999";
        for (size_t i = 0; i < sizeof cls / sizeof cls[0]; i++)
            if (!strcmp(v, cls[i][0]))
                color = cls[i][1];
    } else if ((v = val(r, "kind"))) {
        color = !strcmp(v, "collection_point")   ? "#1A9641"
                : !strcmp(v, "public_toilet")    ? "#2B83BA"
                : !strcmp(v, "transfer_station") ? "#D7191C"
                                                 : "#7F7F7F";
    } else if ((v = val(r, "covered_network"))) {
        color = atoll(v) ? "#1A9641" : "#D7191C";
    } else if (!strcmp(layer, "blind_spots") || !strcmp(layer, "grid_gaps")) {
        color = "#D7191C";
    }
    if (dim == 2)
        snprintf(buf, size, "PEN(c:%s,w:2px);BRUSH(fc:%s)", color, color);
    else if (dim == 1)
        snprintf(buf, size, "PEN(c:%s,w:3px)", color);
    else
        snprintf(buf, size, "SYMBOL(id:\"ogr-sym-3\",c:%s)", color);
}

void sg__datum_point(int datum, double *x, double *y)
{
    double lon = *x, lat = *y;
    if (datum == 1)
        sg_crs_wgs84_to_gcj02(lon, lat, x, y);
    else if (datum == 2)
        sg_crs_wgs84_to_bd09(lon, lat, x, y);
}

void sg__datum_geometry(OGRGeometryH g, int datum)
{
    if (!g || !datum)
        return;
    int parts = OGR_G_GetGeometryCount(g);
    for (int i = 0; i < parts; i++)
        sg__datum_geometry(OGR_G_GetGeometryRef(g, i), datum);
    int n = OGR_G_GetPointCount(g);
    for (int i = 0; i < n; i++) {
        double x = OGR_G_GetX(g, i), y = OGR_G_GetY(g, i);
        sg__datum_point(datum, &x, &y);
        OGR_G_SetPoint_2D(g, i, x, y);
    }
}
