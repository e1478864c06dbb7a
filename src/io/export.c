/* Export of any store layer: GeoJSON (RFC 7946, WGS 84), GPKG, KML, CSV,
 * XLSX, Shapefile (UTF-8 with .cpg). The rows come through the store's own
 * connection in one read transaction (src/store reader; GDAL never opens
 * the store, whose POSIX locks a second connection would drop) and are
 * written with the OGR API to a temporary file beside the output, checked
 * and renamed over it (src/core/outfile.c). Personal fields stay behind
 * unless asked for; CSV cells that a spreadsheet would run as a formula
 * are neutralised.
 * Not for: choosing columns (src/store/export_sql.c).
 * SPDX-License-Identifier: MIT */
#include <cpl_conv.h>
#include <cpl_string.h>
#include <errno.h>
#include <gdal.h>
#include <math.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/ctx_int.h"
#include "core/outfile_int.h"
#include "io/export_kml_int.h"
#include "io/io_int.h"
#include "sanigrid/fields.h"
#include "sanigrid/io.h"
#include "store/reader_int.h"

struct sg_export_options {
    sg_export_format format; /* 0: from the output's extension */
    int include_personal;
    int overwrite;
    int zh;    /* Chinese headers, labels and KML text */
    int datum; /* SG_DATUM_* of the WGS 84 outputs */
    int gbk;   /* Shapefile DBF in CP936 */
};

enum { SG_DATUM_WGS84, SG_DATUM_GCJ02, SG_DATUM_BD09 };

sg_export_options *sg_export_options_new(void)
{
    return calloc(1, sizeof(sg_export_options));
}

void sg_export_options_free(sg_export_options *o)
{
    if (!o)
        return;
    free(o);
}

/* The OGR driver names, indexed by sg_export_format. */
static const char *const driver_names[] = {
    NULL, "GeoJSON", "GPKG", "KML", "CSV", "XLSX", "ESRI Shapefile"};

sg_status sg_export_format_from_string(sg_ctx *ctx, const char *name,
                                       sg_export_format *out)
{
    /* the driver names and the other spellings accepted */
    static const struct {
        const char *name;
        sg_export_format format;
    } names[] = {{"geojson", SG_EXPORT_GEOJSON},
                 {"json", SG_EXPORT_GEOJSON},
                 {"gpkg", SG_EXPORT_GPKG},
                 {"geopackage", SG_EXPORT_GPKG},
                 {"kml", SG_EXPORT_KML},
                 {"csv", SG_EXPORT_CSV},
                 {"xlsx", SG_EXPORT_XLSX},
                 {"esri shapefile", SG_EXPORT_SHAPEFILE},
                 {"shapefile", SG_EXPORT_SHAPEFILE},
                 {"shp", SG_EXPORT_SHAPEFILE}};
    for (size_t i = 0; name && i < sizeof names / sizeof names[0]; i++)
        if (strcasecmp(name, names[i].name) == 0) {
            *out = names[i].format;
            return SG_OK;
        }
    return sg__error(ctx, SG_ERR_USAGE,
                     "unknown export format '%s' (GeoJSON, GPKG, KML, "
                     "CSV, XLSX, \"ESRI Shapefile\")",
                     name ? name : "");
}

const char *sg_export_format_to_string(sg_export_format format)
{
    return format >= SG_EXPORT_GEOJSON && format <= SG_EXPORT_SHAPEFILE
               ? driver_names[format]
               : NULL;
}

sg_status sg_export_options_set_format(sg_ctx *ctx, sg_export_options *o,
                                       sg_export_format format)
{
    if (format != 0 && !sg_export_format_to_string(format))
        return sg__error(ctx, SG_ERR_USAGE,
                         "export: unknown format %d (GeoJSON, GPKG, KML, "
                         "CSV, XLSX or Shapefile)",
                         (int)format);
    o->format = format;
    return SG_OK;
}

sg_export_format sg_export_options_get_format(const sg_export_options *o)
{
    return o ? o->format : (sg_export_format)0;
}

/* A switch is 0 or 1; anything else is refused (not read as "on"). */
static sg_status check_switch(sg_ctx *ctx, const char *what, int on)
{
    if (on != 0 && on != 1)
        return sg__error(ctx, SG_ERR_USAGE,
                         "export: %s takes 0 (off) or 1 (on), not %d", what,
                         on);
    return SG_OK;
}

sg_status sg_export_options_set_include_personal(sg_ctx *ctx,
                                                 sg_export_options *o, int on)
{
    sg_status st = check_switch(ctx, "include_personal", on);
    if (st == SG_OK)
        o->include_personal = on;
    return st;
}

sg_status sg_export_options_set_lang(sg_ctx *ctx, sg_export_options *o,
                                     const char *lang)
{
    if (!lang || (strcmp(lang, "zh") && strcmp(lang, "en")))
        return sg__error(ctx, SG_ERR_USAGE, "language '%s': zh or en",
                         lang ? lang : "");
    o->zh = !strcmp(lang, "zh");
    return SG_OK;
}

sg_status sg_export_options_set_datum(sg_ctx *ctx, sg_export_options *o,
                                      const char *datum)
{
    static const char *const names[] = {"wgs84", "gcj02", "bd09"};
    for (int i = 0; datum && i < 3; i++)
        if (!strcasecmp(datum, names[i])) {
            o->datum = i;
            return SG_OK;
        }
    return sg__error(ctx, SG_ERR_USAGE,
                     "coordinates '%s': wgs84, gcj02 (Amap, Tencent, "
                     "Ovital) or bd09 (Baidu)",
                     datum ? datum : "");
}

sg_status sg_export_options_set_encoding(sg_ctx *ctx, sg_export_options *o,
                                         const char *encoding)
{
    if (encoding &&
        (!strcasecmp(encoding, "GBK") || !strcasecmp(encoding, "CP936") ||
         !strcmp(encoding, "936"))) {
        o->gbk = 1;
        return SG_OK;
    }
    if (encoding &&
        (!strcasecmp(encoding, "UTF-8") || !strcasecmp(encoding, "UTF8"))) {
        o->gbk = 0;
        return SG_OK;
    }
    return sg__error(ctx, SG_ERR_USAGE, "Shapefile encoding '%s': UTF-8 or GBK",
                     encoding ? encoding : "");
}

sg_status sg_export_options_set_overwrite(sg_ctx *ctx, sg_export_options *o,
                                          int on)
{
    sg_status st = check_switch(ctx, "overwrite", on);
    if (st == SG_OK)
        o->overwrite = on;
    return st;
}

sg_export_format sg_export_format_for_path(const char *path)
{
    const char *dot = path ? strrchr(path, '.') : NULL;
    if (!dot)
        return (sg_export_format)0;
    if (!strcasecmp(dot, ".geojson") || !strcasecmp(dot, ".json"))
        return SG_EXPORT_GEOJSON;
    if (!strcasecmp(dot, ".gpkg"))
        return SG_EXPORT_GPKG;
    if (!strcasecmp(dot, ".kml"))
        return SG_EXPORT_KML;
    if (!strcasecmp(dot, ".csv"))
        return SG_EXPORT_CSV;
    if (!strcasecmp(dot, ".xlsx"))
        return SG_EXPORT_XLSX;
    if (!strcasecmp(dot, ".shp"))
        return SG_EXPORT_SHAPEFILE;
    return (sg_export_format)0;
}

/* The file name extension each driver recognises, for the temporary file
 * (the CSV driver makes a folder of any other name). */
static const char *driver_ext(const char *format)
{
    if (!strcmp(format, "GeoJSON"))
        return ".geojson";
    if (!strcmp(format, "GPKG"))
        return ".gpkg";
    if (!strcmp(format, "KML"))
        return ".kml";
    if (!strcmp(format, "CSV"))
        return ".csv";
    if (!strcmp(format, "XLSX"))
        return ".xlsx";
    return ".shp";
}

/* A Shapefile's other files, renamed with the .shp. */
static const char *const shp_sidecars[] = {".shx", ".dbf", ".prj", ".cpg",
                                           NULL};

static OGRwkbGeometryType geom_type_of(const char *name)
{
    static const struct {
        const char *name;
        OGRwkbGeometryType type;
    } map[] = {{"POINT", wkbPoint},
               {"LINESTRING", wkbLineString},
               {"POLYGON", wkbPolygon},
               {"MULTIPOINT", wkbMultiPoint},
               {"MULTILINESTRING", wkbMultiLineString},
               {"MULTIPOLYGON", wkbMultiPolygon}};
    for (size_t i = 0; name && i < sizeof map / sizeof map[0]; i++)
        if (!strcasecmp(name, map[i].name))
            return map[i].type;
    return wkbUnknown;
}

/* Whether the whole of \p s is a number ("-3.5", "+1e3"). */
static int is_number(const char *s)
{
    char *end = NULL;
    double v = strtod(s, &end);
    return end != s && *end == '\0' && isfinite(v);
}

/* OWASP's rule against CSV injection: a cell a spreadsheet would run as a
 * formula (=, +, -, @, tab, CR first) gets a leading single quote; a
 * number stays a number. */
static int needs_quote(const char *s)
{
    return s && *s && strchr("=+-@\t\r", *s) && !is_number(s);
}

static OGRSpatialReferenceH new_srs(int epsg)
{
    OGRSpatialReferenceH s = OSRNewSpatialReference(NULL);
    if (s && OSRImportFromEPSG(s, epsg) != OGRERR_NONE) {
        OSRDestroySpatialReference(s);
        return NULL;
    }
    if (s)
        OSRSetAxisMappingStrategy(s, OAMS_TRADITIONAL_GIS_ORDER);
    return s;
}

typedef struct writer {
    sg_ctx *ctx;
    const char *format;
    const char *out; /* what the user named */
    const char *tmp; /* the file written */
    GDALDatasetH ds;
    OGRLayerH lyr;
    OGRCoordinateTransformationH ct; /* NULL: no change of CRS */
    int with_geom;                   /* the output layer takes geometries */
    int *field; /* owned; output field index of each column */
    int csv;
    sg__gdal_errs *gerr;
    OGRSpatialReferenceH dst;   /* owned; the output CRS */
    char **lco;                 /* owned; layer creation options */
    int kml_by_village;         /* KML folders per division_code */
    const sg_export_options *o; /* borrowed */
    const char *layer;          /* the store layer */
    sg_store *store;            /* borrowed */
    char *village;              /* KML: folder_col value of the open folder */
    int nfolders;               /* KML folders made */
    const char *folder_col;     /* KML folders by this column: division_code
                                   (a village), or route for route_stops */
} writer;

/* The error for a failure while writing: disk full when it is. */
static sg_status write_failed(writer *w, const char *what)
{
    int err = errno;
    char detail[2 * SG_ERRMSG_SIZE];
    snprintf(detail, sizeof detail, "%s%s%s", what,
             w->gerr->last[0] ? ": " : "", w->gerr->last);
    return sg__write_error(w->ctx, w->out, w->tmp, err, detail);
}

/* Create output layer \p name in w->ds with the reader's columns (and,
 * for KML, after them the name and description fields of the
 * placemarks: the driver's "Name" and "Description"). */
static sg_status new_layer(writer *w, sg__reader *r, const char *name)
{
    sg_status st = SG_OK;
    int shp = !strcmp(w->format, "ESRI Shapefile");
    int kml = !strcmp(w->format, "KML");
    OGRwkbGeometryType gt =
        w->with_geom ? geom_type_of(sg__reader_geom_type(r)) : wkbNone;
    w->lyr = GDALDatasetCreateLayer(w->ds, name, w->with_geom ? w->dst : NULL,
                                    gt, w->lco);
    if (!w->lyr)
        return write_failed(w, "GDAL cannot create the layer");
    size_t ncols = sg__reader_ncols(r);
    if (!w->field && !(w->field = calloc(ncols ? ncols : 1, sizeof *w->field)))
        return sg__error(w->ctx, SG_ERR_NOMEM, "out of memory");
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(w->lyr);
    for (size_t i = 0; i < ncols; i++) {
        sg__ftype t = sg__reader_col_type(r, i);
        long long wide = 0;
        if ((shp && t == SG_FT_TEXT) || t == SG_FT_INT)
            st = sg__reader_max_bytes(w->ctx, r, i, &wide);
        if (st)
            return st;
        /* 32-bit integers where the values fit (as GDAL's SQLite reader
         * declared them), 64-bit else. In CSV an integer column is
         * declared Real: GDAL 3.6's CSV writer quotes integer cells
         * ("661") as if they were text that looks like a number, which
         * spreadsheets and readers take for text; a Real whole number is
         * written bare (661), and text codes keep their quotes; up to
         * 15 digits, which a double holds exactly. */
        OGRFieldType ft = t == SG_FT_INT ? wide <= 9 ? OFTInteger : OFTInteger64
                          : t == SG_FT_REAL ? OFTReal
                                            : OFTString;
        if (w->csv && t == SG_FT_INT && wide <= 15)
            ft = OFTReal;
        OGRFieldDefnH f = OGR_Fld_Create(sg__reader_col_name(r, i), ft);
        if (shp && t == SG_FT_TEXT) /* DBF: at most 254 bytes */
            OGR_Fld_SetWidth(f, wide < 1 ? 1 : wide > 254 ? 254 : (int)wide);
        OGRErr e = OGR_L_CreateField(w->lyr, f, TRUE);
        OGR_Fld_Destroy(f);
        if (e != OGRERR_NONE)
            return write_failed(w, "GDAL cannot create a field");
        /* the driver's index: KML, for one, has Name and Description
         * fields of its own before ours */
        w->field[i] = OGR_FD_GetFieldCount(defn) - 1;
    }
    if (kml) {
        for (int k = 0; k < 2; k++) {
            /* the placemark's name and description: the driver's own
             * fields (made here when it has none) */
            const char *fn = k ? "Description" : "Name";
            if (OGR_FD_GetFieldIndex(defn, fn) >= 0)
                continue;
            OGRFieldDefnH f = OGR_Fld_Create(fn, OFTString);
            OGRErr e = OGR_L_CreateField(w->lyr, f, TRUE);
            OGR_Fld_Destroy(f);
            if (e != OGRERR_NONE)
                return write_failed(w, "GDAL cannot create a field");
        }
    }
    return SG_OK;
}

/* Create the output dataset and layer with the reader's columns. */
static sg_status create_layer(writer *w, sg_store *store, const char *layer,
                              sg__reader *r)
{
    GDALDriverH drv = GDALGetDriverByName(w->format);
    if (!drv)
        return sg__error(w->ctx, SG_ERR_INTERNAL, "this GDAL has no %s driver",
                         w->format);
    char **dsco = NULL, **lco = NULL;
    int has_geom = sg__reader_has_geom(r);
    int wgs84 = !strcmp(w->format, "GeoJSON") || !strcmp(w->format, "KML") ||
                !strcmp(w->format, "CSV");
    int shp = !strcmp(w->format, "ESRI Shapefile");
    w->with_geom = has_geom && strcmp(w->format, "XLSX") != 0;
    if (!strcmp(w->format, "GeoJSON")) {
        lco = CSLSetNameValue(lco, "RFC7946", "YES");
        lco = CSLSetNameValue(lco, "WRITE_NAME", "NO");
    } else if (shp) {
        lco = CSLSetNameValue(lco, "ENCODING", w->o->gbk ? "CP936" : "UTF-8");
    } else if (w->csv && has_geom) {
        lco = CSLSetNameValue(lco, "GEOMETRY", "AS_WKT");
    }
    sg_status st = SG_OK;
    OGRSpatialReferenceH src = NULL, dst = NULL;
    if (w->with_geom) {
        src = new_srs(sg_store_srid(store));
        dst = wgs84 ? new_srs(4326) : OSRClone(src);
        if (!src || !dst) {
            st = sg__error(w->ctx, SG_ERR_CRS,
                           "cannot set up EPSG:%d for the export of %s: %s",
                           sg_store_srid(store), layer, w->gerr->last);
            goto done;
        }
        if (wgs84 && !(w->ct = OCTNewCoordinateTransformation(src, dst))) {
            st = sg__error(w->ctx, SG_ERR_CRS,
                           "cannot transform EPSG:%d to WGS 84: %s",
                           sg_store_srid(store), w->gerr->last);
            goto done;
        }
    }
    w->ds = GDALCreate(drv, w->tmp, 0, 0, 0, GDT_Unknown, dsco);
    if (!w->ds) {
        st = write_failed(w, "GDAL cannot create it");
        goto done;
    }
    w->dst = dst;
    dst = NULL;
    w->lco = lco;
    lco = NULL;
    /* KML makes a folder per village as the rows come (kml_folder) */
    if (strcmp(w->format, "KML") != 0 || !w->kml_by_village)
        st = new_layer(w, r, layer);
done:
    if (src)
        OSRDestroySpatialReference(src);
    if (dst)
        OSRDestroySpatialReference(dst);
    CSLDestroy(dsco);
    CSLDestroy(lco);
    return st;
}

/* The dimension of OGR geometry type \p t: 0 points, 1 lines, 2 areas. */
static int dim_of(OGRwkbGeometryType t)
{
    OGRwkbGeometryType f = wkbFlatten(t);
    if (f == wkbPolygon || f == wkbMultiPolygon)
        return 2;
    if (f == wkbLineString || f == wkbMultiLineString)
        return 1;
    return 0;
}

/* KML: start the folder (an OGR layer) of the current row's village when
 * it differs from the open one; the rows come ordered by division_code.
 * The folder is named after the village (divisions.name), or its code. */
static sg_status kml_folder(writer *w, sg__reader *r)
{
    int by_route = !strcmp(w->folder_col, "route");
    int c = sg__reader_col_of(r, w->folder_col);
    const char *code = c >= 0 && !sg__reader_is_null(r, (size_t)c)
                           ? sg__reader_text(r, (size_t)c)
                           : "";
    if (w->lyr && w->village && !strcmp(w->village, code))
        return SG_OK;
    free(w->village);
    if (!(w->village = strdup(code)))
        return sg__error(w->ctx, SG_ERR_NOMEM, "out of memory");
    char name[256] = "";
    if (by_route) { /* a folder per trip for its driver, unserved stops apart */
        if (*code)
            snprintf(name, sizeof name, w->o->zh ? "路线%s" : "route %s", code);
        else
            snprintf(name, sizeof name, "%s",
                     w->o->zh ? "未收运" : "not served");
    } else if (*code)
        sg__store_division_name(w->store, code, name, sizeof name);
    if (!*name)
        snprintf(name, sizeof name, "%s",
                 *code      ? code
                 : w->o->zh ? "未分村"
                            : "no village");
    w->nfolders++;
    return new_layer(w, r, name);
}

/* Write the reader's current row as a feature. */
static sg_status write_row(writer *w, sg__reader *r, long long row)
{
    int kml = !strcmp(w->format, "KML");
    sg_status st = SG_OK;
    if (kml && w->kml_by_village && (st = kml_folder(w, r)))
        return st;
    OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(w->lyr));
    if (!f)
        return sg__error(w->ctx, SG_ERR_NOMEM, "out of memory");
    int labels = w->o->zh && (w->csv || kml || !strcmp(w->format, "XLSX"));
    int lon = -1; /* computed lon/lat columns: shifted with the datum */
    for (size_t i = 0; i < sg__reader_ncols(r); i++) {
        int fi = w->field[i];
        const char *src = sg__reader_col_source(r, i);
        if (sg__reader_is_null(r, i)) {
            OGR_F_SetFieldNull(f, fi);
            continue;
        }
        sg__ftype t = sg__reader_col_type(r, i);
        if (!src && t == SG_FT_REAL && lon < 0) {
            lon = (int)i;
            continue; /* lon and lat are set together below */
        }
        if (!src && t == SG_FT_REAL && lon >= 0 && (size_t)lon + 1 == i) {
            double x = sg__reader_double(r, (size_t)lon);
            double y = sg__reader_double(r, i);
            sg__datum_point(w->o->datum, &x, &y);
            OGR_F_SetFieldDouble(f, w->field[lon], x);
            OGR_F_SetFieldDouble(f, fi, y);
            continue;
        }
        if (t == SG_FT_INT && sg__reader_is_number(r, i)) {
            OGR_F_SetFieldInteger64(f, fi, sg__reader_int(r, i));
            continue;
        }
        if (t == SG_FT_REAL && sg__reader_is_number(r, i)) {
            OGR_F_SetFieldDouble(f, fi, sg__reader_double(r, i));
            continue;
        }
        /* text, or text in a numeric column: stays text; a coded value
         * becomes its Chinese label for people (CSV, XLSX, KML) */
        const char *s = sg__reader_text(r, i);
        const char *label =
            labels && src ? sg_field_value_label(w->layer, src, s, "zh") : NULL;
        if (label)
            s = label;
        if (w->csv && needs_quote(s)) {
            char *q = sg__aprintf("'%s", s);
            if (!q) {
                st = sg__error(w->ctx, SG_ERR_NOMEM, "out of memory");
                goto done;
            }
            OGR_F_SetFieldString(f, fi, q);
            free(q);
        } else {
            OGR_F_SetFieldString(f, fi, s ? s : "");
        }
    }
    if (kml) {
        char village[256] = "", text[8192];
        if (w->village && *w->village &&
            !strcmp(w->folder_col, "division_code"))
            sg__store_division_name(w->store, w->village, village,
                                    sizeof village);
        sg__kml_name(w->layer, r, *village ? village : NULL, w->o->zh, text,
                     sizeof text);
        OGR_F_SetFieldString(f, OGR_F_GetFieldIndex(f, "Name"), text);
        sg__kml_description(w->layer, r, w->o->zh, text, sizeof text);
        OGR_F_SetFieldString(f, OGR_F_GetFieldIndex(f, "Description"), text);
    }
    size_t len = 0;
    const unsigned char *wkb = w->with_geom ? sg__reader_wkb(r, &len) : NULL;
    if (wkb) {
        OGRGeometryH g = NULL;
        if (OGR_G_CreateFromWkbEx(wkb, NULL, &g, len) != OGRERR_NONE ||
            (w->ct && OGR_G_Transform(g, w->ct) != OGRERR_NONE)) {
            if (g)
                OGR_G_DestroyGeometry(g);
            st = sg__error(w->ctx, SG_ERR_GEOM,
                           "feature %lld: cannot convert its geometry: %s", row,
                           w->gerr->last);
            goto done;
        }
        if (w->ct)
            sg__datum_geometry(g, w->o->datum);
        if (kml) {
            char style[128];
            sg__kml_style(w->layer, r, dim_of(OGR_G_GetGeometryType(g)), style,
                          sizeof style);
            OGR_F_SetStyleString(f, style);
        }
        OGR_F_SetGeometryDirectly(f, g);
    }
    if (OGR_L_CreateFeature(w->lyr, f) != OGRERR_NONE)
        st = write_failed(w, "writing a feature failed");
done:
    OGR_F_Destroy(f);
    return st;
}

/* Read the written file back: a driver that lost bytes on a full disk
 * without a word (KML, XLSX) leaves a file that does not parse or holds
 * fewer features. */
static sg_status verify(writer *w, long long expected)
{
    if (!strcmp(w->format, "KML")) {
        /* OGR's KML reader holds the whole document in memory: check
         * that the file ends as the driver ends it instead */
        char tail[65] = "";
        FILE *f = fopen(w->tmp, "rb");
        size_t got = 0;
        if (f && fseek(f, -64, SEEK_END) != 0)
            rewind(f);
        if (f)
            got = fread(tail, 1, 64, f);
        if (f)
            fclose(f);
        tail[got] = '\0';
        if (strstr(tail, "</kml>"))
            return SG_OK;
        errno = 0;
        return write_failed(w, "the written file is cut short");
    }
    const char *const drivers[] = {w->format, NULL};
    const char *const xlsx_oo[] = {"HEADERS=FORCE", NULL};
    GDALDatasetH ds =
        GDALOpenEx(w->tmp, GDAL_OF_VECTOR | GDAL_OF_READONLY, drivers,
                   strcmp(w->format, "XLSX") ? NULL : xlsx_oo, NULL);
    long long n = -1;
    if (ds && GDALDatasetGetLayerCount(ds) >= 1)
        n = OGR_L_GetFeatureCount(GDALDatasetGetLayer(ds, 0), TRUE);
    else if (ds)
        n = 0; /* a KML without placemarks has no layer to read */
    if (ds)
        GDALClose(ds);
    /* an empty table may read back as its header row */
    if (n == expected || (ds && expected == 0))
        return SG_OK;
    errno = 0;
    char what[96];
    snprintf(what, sizeof what,
             n < 0 ? "the written file does not read back"
                   : "the written file holds %lld of %lld features",
             n, expected);
    return write_failed(w, what);
}

sg_status sg_export(sg_ctx *ctx, sg_store *store, const char *layer,
                    const char *out, const sg_export_options *opts,
                    long long *count)
{
    static const sg_export_options defaults;
    if (!opts)
        opts = &defaults;
    if (count)
        *count = 0;
    const char *format = sg_export_format_to_string(
        opts->format ? opts->format : sg_export_format_for_path(out));
    if (!format)
        return sg__error(ctx, SG_ERR_USAGE,
                         "%s: cannot tell the format from the extension; "
                         "give --format",
                         out);
    int shp = !strcmp(format, "ESRI Shapefile");
    sg__outfile of;
    sg_status st = sg__outfile_begin(ctx, store, out, opts->overwrite,
                                     driver_ext(format), &of);
    if (st)
        return st;
    /* the files written beside it: a Shapefile's, and the .sld and .qml
     * styles that callers put beside a GeoJSON (sg_style_write_sidecar) */
    static const char *const styles[] = {".sld", ".qml", NULL};
    const char *const *sides = shp                          ? shp_sidecars
                               : !strcmp(format, "GeoJSON") ? styles
                                                            : NULL;
    for (size_t i = 0; sides && sides[i] && !st; i++) {
        char *side = sg__aprintf("%s%s", of.target_stem, sides[i]);
        st = side ? sg_store_check_output_path(ctx, store, side)
                  : sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        free(side);
    }
    sg__gdal_errs gerr;
    sg__gdal_push(&gerr, ctx);
    writer w = {ctx,   format, out,  of.tmp, NULL,
                NULL,  NULL,   0,    NULL,   !strcmp(format, "CSV"),
                &gerr, NULL,   NULL, 0,      opts,
                layer, store,  NULL, 0,      "division_code"};
    sg__reader *r = NULL;
    int kml = !strcmp(format, "KML");
    sg__reader_options ro = {opts->include_personal,
                             !strcmp(format, "CSV") || !strcmp(format, "XLSX"),
                             shp,
                             NULL,
                             NULL,
                             opts->zh ? "zh" : NULL,
                             NULL};
    w.folder_col = !strcmp(layer, "route_stops") ? "route" : "division_code";
    w.kml_by_village =
        kml && sg__store_layer_has_column(store, layer, w.folder_col);
    if (w.kml_by_village)
        ro.order_col = w.folder_col;
    if (!st && opts->datum != SG_DATUM_WGS84 &&
        (!strcmp(format, "GPKG") || shp))
        st = sg__error(ctx, SG_ERR_USAGE,
                       "%s keeps the store's CRS; gcj02/bd09 coordinates "
                       "are for GeoJSON, KML, CSV and XLSX",
                       format);
    long long written = 0, total = 0;
    if (!st)
        st = sg__reader_open(ctx, store, layer, &ro, &r);
    if (!st && !sg__reader_has_geom(r) &&
        (!strcmp(format, "GeoJSON") || !strcmp(format, "KML") || shp))
        st = sg__error(ctx, SG_ERR_USAGE,
                       "layer %s has no geometry; export it as CSV, XLSX "
                       "or GPKG",
                       layer);
    if (!st)
        st = sg__outfile_check_folder(ctx, &of);
    if (!st)
        st = create_layer(&w, store, layer, r);
    if (!st) {
        total = sg__reader_count(r);
        /* one transaction for the rows where the driver has them (GPKG) */
        int in_tx = GDALDatasetStartTransaction(w.ds, FALSE) == OGRERR_NONE;
        int row = 0;
        while (!st && !(st = sg__reader_next(ctx, r, &row)) && row) {
            st = write_row(&w, r, written + 1);
            if (!st && ++written % 1024 == 0)
                st = sg__progress(
                    ctx, total ? 0.9 * (double)written / (double)total : 0.9,
                    "export");
        }
        if (!st && in_tx && GDALDatasetCommitTransaction(w.ds) != OGRERR_NONE)
            st = write_failed(&w, "committing the rows failed");
        if (!st && written != total)
            st = sg__error(ctx, SG_ERR_INTERNAL,
                           "export of %s read %lld rows of %lld", layer,
                           written, total);
    }
    sg__reader_close(r);
    free(w.field);
    free(w.village);
    CSLDestroy(w.lco);
    if (w.dst)
        OSRDestroySpatialReference(w.dst);
    if (w.ct)
        OCTDestroyCoordinateTransformation(w.ct);
    if (w.ds) {
        int before = gerr.failures;
        errno = 0;
        GDALClose(w.ds); /* flushes: GeoJSON, KML, XLSX write here */
        if (!st && gerr.failures > before)
            st = write_failed(&w, "closing the file failed");
    }
    if (!st && sg__disk_full(of.tmp))
        st = sg__write_error(ctx, out, of.tmp, ENOSPC, NULL);
    if (!st)
        st = verify(&w, written);
    if (!st)
        st = sg__progress(ctx, 1.0, "export");
    sg__gdal_pop(&gerr);
    if (st) {
        /* GDAL's own names for what it made beside the temporary file */
        static const char *const others[] = {
            ".shx",          ".dbf",      ".prj",      ".cpg",
            ".gpkg-journal", ".gpkg-wal", ".gpkg-shm", NULL};
        sg__outfile_abort(&of, others);
        return st;
    }
    st = sg__outfile_commit(ctx, &of, shp ? shp_sidecars : NULL);
    if (!st && count)
        *count = written;
    return st;
}
