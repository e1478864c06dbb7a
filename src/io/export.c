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
#include "io/io_int.h"
#include "sanigrid/io.h"
#include "store/reader_int.h"

struct sg_export_options {
    char *format;
    int include_personal;
    int overwrite;
};

sg_export_options *sg_export_options_new(void)
{
    return calloc(1, sizeof(sg_export_options));
}

void sg_export_options_free(sg_export_options *o)
{
    if (!o)
        return;
    free(o->format);
    free(o);
}

/* Canonical driver names we support, with their accepted spellings. */
static const char *canonical_format(const char *f)
{
    static const char *const names[][2] = {
        {"geojson", "GeoJSON"}, {"json", "GeoJSON"},
        {"gpkg", "GPKG"}, {"geopackage", "GPKG"},
        {"kml", "KML"}, {"csv", "CSV"}, {"xlsx", "XLSX"},
        {"esri shapefile", "ESRI Shapefile"}, {"shapefile", "ESRI Shapefile"},
        {"shp", "ESRI Shapefile"}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcasecmp(f, names[i][0]) == 0)
            return names[i][1];
    return NULL;
}

sg_status sg_export_options_set_format(sg_ctx *ctx, sg_export_options *o,
                                       const char *format)
{
    const char *c = format ? canonical_format(format) : NULL;
    if (!c)
        return sg__error(ctx, SG_ERR_USAGE,
                         "unknown export format '%s' (GeoJSON, GPKG, KML, "
                         "CSV, XLSX, \"ESRI Shapefile\")",
                         format ? format : "");
    free(o->format);
    o->format = strdup(c);
    return o->format ? SG_OK : sg__error(ctx, SG_ERR_NOMEM, "out of memory");
}

const char *sg_export_options_get_format(const sg_export_options *o)
{
    return o ? o->format : NULL;
}

void sg_export_options_set_include_personal(sg_export_options *o, int on)
{
    o->include_personal = on != 0;
}

void sg_export_options_set_overwrite(sg_export_options *o, int on)
{
    o->overwrite = on != 0;
}

const char *sg_export_format_for_path(const char *path)
{
    const char *dot = path ? strrchr(path, '.') : NULL;
    if (!dot)
        return NULL;
    if (!strcasecmp(dot, ".geojson") || !strcasecmp(dot, ".json"))
        return "GeoJSON";
    if (!strcasecmp(dot, ".gpkg"))
        return "GPKG";
    if (!strcasecmp(dot, ".kml"))
        return "KML";
    if (!strcasecmp(dot, ".csv"))
        return "CSV";
    if (!strcasecmp(dot, ".xlsx"))
        return "XLSX";
    if (!strcasecmp(dot, ".shp"))
        return "ESRI Shapefile";
    return NULL;
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
    const char *out;   /* what the user named */
    const char *tmp;   /* the file written */
    GDALDatasetH ds;
    OGRLayerH lyr;
    OGRCoordinateTransformationH ct; /* NULL: no change of CRS */
    int with_geom;     /* the output layer takes geometries */
    int *field;        /* owned; output field index of each column */
    int csv;
    sg__gdal_errs *gerr;
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

/* Create the output dataset and layer with the reader's columns. */
static sg_status create_layer(writer *w, sg_store *store, const char *layer,
                              sg__reader *r)
{
    GDALDriverH drv = GDALGetDriverByName(w->format);
    if (!drv)
        return sg__error(w->ctx, SG_ERR_INTERNAL,
                         "this GDAL has no %s driver", w->format);
    char **dsco = NULL, **lco = NULL;
    int has_geom = sg__reader_has_geom(r);
    int wgs84 = !strcmp(w->format, "GeoJSON") || !strcmp(w->format, "KML") ||
                !strcmp(w->format, "CSV");
    int shp = !strcmp(w->format, "ESRI Shapefile");
    w->with_geom = has_geom && strcmp(w->format, "XLSX") != 0;
    if (!strcmp(w->format, "KML"))
        dsco = CSLSetNameValue(dsco, "NameField", "name");
    if (!strcmp(w->format, "GeoJSON")) {
        lco = CSLSetNameValue(lco, "RFC7946", "YES");
        lco = CSLSetNameValue(lco, "WRITE_NAME", "NO");
    } else if (shp) {
        lco = CSLSetNameValue(lco, "ENCODING", "UTF-8");
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
    OGRwkbGeometryType gt =
        w->with_geom ? geom_type_of(sg__reader_geom_type(r)) : wkbNone;
    w->lyr = GDALDatasetCreateLayer(w->ds, layer, w->with_geom ? dst : NULL,
                                    gt, lco);
    if (!w->lyr) {
        st = write_failed(w, "GDAL cannot create the layer");
        goto done;
    }
    size_t ncols = sg__reader_ncols(r);
    if (!(w->field = calloc(ncols ? ncols : 1, sizeof *w->field))) {
        st = sg__error(w->ctx, SG_ERR_NOMEM, "out of memory");
        goto done;
    }
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(w->lyr);
    for (size_t i = 0; i < ncols; i++) {
        sg__ftype t = sg__reader_col_type(r, i);
        long long wide = 0;
        if ((shp && t == SG_FT_TEXT) || t == SG_FT_INT)
            st = sg__reader_max_bytes(w->ctx, r, i, &wide);
        if (st)
            goto done;
        /* 32-bit integers where the values fit (as GDAL's SQLite reader
         * declared them), 64-bit else */
        OGRFieldDefnH f = OGR_Fld_Create(sg__reader_col_name(r, i),
                                         t == SG_FT_INT ? wide <= 9
                                                              ? OFTInteger
                                                              : OFTInteger64
                                         : t == SG_FT_REAL ? OFTReal
                                                           : OFTString);
        if (shp && t == SG_FT_TEXT) /* DBF: at most 254 bytes */
            OGR_Fld_SetWidth(f, wide < 1 ? 1 : wide > 254 ? 254 : (int)wide);
        OGRErr e = OGR_L_CreateField(w->lyr, f, TRUE);
        OGR_Fld_Destroy(f);
        if (e != OGRERR_NONE) {
            st = write_failed(w, "GDAL cannot create a field");
            goto done;
        }
        /* the driver's index: KML, for one, has Name and Description
         * fields of its own before ours */
        w->field[i] = OGR_FD_GetFieldCount(defn) - 1;
    }
done:
    if (src)
        OSRDestroySpatialReference(src);
    if (dst)
        OSRDestroySpatialReference(dst);
    CSLDestroy(dsco);
    CSLDestroy(lco);
    return st;
}

/* Write the reader's current row as a feature. */
static sg_status write_row(writer *w, const sg__reader *r, long long row)
{
    OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(w->lyr));
    if (!f)
        return sg__error(w->ctx, SG_ERR_NOMEM, "out of memory");
    sg_status st = SG_OK;
    for (size_t i = 0; i < sg__reader_ncols(r); i++) {
        int fi = w->field[i];
        if (sg__reader_is_null(r, i)) {
            OGR_F_SetFieldNull(f, fi);
            continue;
        }
        sg__ftype t = sg__reader_col_type(r, i);
        if (t == SG_FT_INT && sg__reader_is_number(r, i)) {
            OGR_F_SetFieldInteger64(f, fi, sg__reader_int(r, i));
            continue;
        }
        if (t == SG_FT_REAL && sg__reader_is_number(r, i)) {
            OGR_F_SetFieldDouble(f, fi, sg__reader_double(r, i));
            continue;
        }
        /* text, or text in a numeric column: stays text */
        const char *s = sg__reader_text(r, i);
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
    size_t len = 0;
    const unsigned char *wkb = w->with_geom ? sg__reader_wkb(r, &len) : NULL;
    if (wkb) {
        OGRGeometryH g = NULL;
        if (OGR_G_CreateFromWkbEx(wkb, NULL, &g, len) != OGRERR_NONE ||
            (w->ct && OGR_G_Transform(g, w->ct) != OGRERR_NONE)) {
            if (g)
                OGR_G_DestroyGeometry(g);
            st = sg__error(w->ctx, SG_ERR_GEOM,
                           "feature %lld: cannot convert its geometry: %s",
                           row, w->gerr->last);
            goto done;
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
    GDALDatasetH ds = GDALOpenEx(w->tmp, GDAL_OF_VECTOR | GDAL_OF_READONLY,
                                 drivers,
                                 strcmp(w->format, "XLSX") ? NULL : xlsx_oo,
                                 NULL);
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
    const char *format = opts->format ? opts->format
                                      : sg_export_format_for_path(out);
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
    const char *const *sides = shp                         ? shp_sidecars
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
    writer w = {ctx, format, out, of.tmp, NULL, NULL, NULL, 0, NULL,
                !strcmp(format, "CSV"), &gerr};
    sg__reader *r = NULL;
    sg__reader_options ro = {opts->include_personal,
                             !strcmp(format, "CSV") || !strcmp(format, "XLSX"),
                             shp, NULL, NULL};
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
                st = sg__progress(ctx, total ? 0.9 * written / total : 0.9,
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
        static const char *const others[] = {".shx", ".dbf", ".prj", ".cpg",
                                             ".gpkg-journal", ".gpkg-wal",
                                             ".gpkg-shm", NULL};
        sg__outfile_abort(&of, others);
        return st;
    }
    st = sg__outfile_commit(ctx, &of, shp ? shp_sidecars : NULL);
    if (!st && count)
        *count = written;
    return st;
}
