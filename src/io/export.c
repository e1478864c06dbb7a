/* Export of any store layer with GDAL's vector translate: GeoJSON
 * (RFC 7946, WGS 84), GPKG, KML, CSV, XLSX, Shapefile (UTF-8 with .cpg).
 * Personal fields stay behind unless asked for.
 * Not for: choosing columns (the SELECT comes from src/store).
 * SPDX-License-Identifier: MIT */
#include <cpl_conv.h>
#include <stdio.h>
#include <cpl_string.h>
#include <gdal_utils.h>
#include <sqlite3.h> /* TRANSITION: sqlite3_free of sg__store_export_sql (outputs helper rewrites export) */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io/io_int.h"
#include "sanigrid/io.h"

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

/* Remove an earlier output at \p out with its driver (sidecars too). */
static void remove_output(const char *format, const char *out)
{
    GDALDriverH drv = GDALGetDriverByName(format);
    if (drv)
        GDALDeleteDataset(drv, out);
    else
        unlink(out);
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
    struct stat sb;
    if (stat(out, &sb) == 0) {
        if (!opts->overwrite)
            return sg__error(ctx, SG_ERR_IO_WRITE,
                             "%s exists; give --overwrite to replace it", out);
    }
    int lonlat = !strcmp(format, "CSV") || !strcmp(format, "XLSX");
    int has_geom = 0;
    char *geom_type = NULL, *select = NULL;
    char *sql = sg__store_export_sql(ctx, store, layer, opts->include_personal,
                                     lonlat, !strcmp(format, "ESRI Shapefile"),
                                     &has_geom, &geom_type, &select);
    if (!sql)
        return sg_ctx_status(ctx);

    if (!has_geom && (!strcmp(format, "GeoJSON") || !strcmp(format, "KML") ||
                      !strcmp(format, "ESRI Shapefile"))) {
        sqlite3_free(sql);
        free(geom_type);
        free(select);
        return sg__error(ctx, SG_ERR_USAGE,
                         "layer %s has no geometry; export it as CSV, XLSX "
                         "or GPKG",
                         layer);
    }
    sg__gdal_errs gerr;
    sg__gdal_push(&gerr, ctx);
    sg_status st = SG_OK;
    GDALDatasetH src = NULL, dst = NULL;
    GDALVectorTranslateOptions *vto = NULL;
    char **argv = NULL;
    const char *src_paths[2] = {sg_store_path(store), NULL};
    src = GDALOpenEx(src_paths[0], GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL,
                     NULL, NULL);
    if (!src) {
        st = sg__error(ctx, SG_ERR_IO_OPEN, "GDAL cannot read store %s: %s",
                       src_paths[0], gerr.last);
        goto done;
    }
    if (stat(out, &sb) == 0)
        remove_output(format, out);
    argv = CSLAddString(argv, "-f");
    argv = CSLAddString(argv, format);
    long long rows = sg__store_count(ctx, store, layer);
    if (rows > 0) {
        argv = CSLAddString(argv, "-sql");
        argv = CSLAddString(argv, sql);
    } else {
        /* GDAL cannot tell the geometry column of an SQL result without
         * rows: read the empty layer itself, its columns chosen */
        argv = CSLAddString(argv, "-select");
        argv = CSLAddString(argv, select);
    }
    argv = CSLAddString(argv, "-nln");
    argv = CSLAddString(argv, layer);
    char srs[32];
    snprintf(srs, sizeof srs, "EPSG:%d", sg_store_srid(store));
    if (has_geom && (!strcmp(format, "GeoJSON") || !strcmp(format, "KML") ||
                     !strcmp(format, "CSV"))) {
        /* the SQL result has no CRS of its own: name the store's */
        argv = CSLAddString(argv, "-s_srs");
        argv = CSLAddString(argv, srs);
        argv = CSLAddString(argv, "-t_srs");
        argv = CSLAddString(argv, "EPSG:4326");
    } else if (has_geom) {
        argv = CSLAddString(argv, "-a_srs");
        argv = CSLAddString(argv, srs);
    }
    if (has_geom && geom_type && rows > 0) {
        /* an SQL result has no declared geometry type of its own */
        argv = CSLAddString(argv, "-nlt");
        argv = CSLAddString(argv, geom_type);
    }
    if (!strcmp(format, "GeoJSON")) {
        argv = CSLAddString(argv, "-lco");
        argv = CSLAddString(argv, "RFC7946=YES");
        argv = CSLAddString(argv, "-lco");
        argv = CSLAddString(argv, "WRITE_NAME=NO");
    } else if (!strcmp(format, "ESRI Shapefile")) {
        argv = CSLAddString(argv, "-lco");
        argv = CSLAddString(argv, "ENCODING=UTF-8");
    } else if (!strcmp(format, "CSV") && has_geom) {
        argv = CSLAddString(argv, "-lco");
        argv = CSLAddString(argv, "GEOMETRY=AS_WKT");
    } else if (!strcmp(format, "KML")) {
        argv = CSLAddString(argv, "-dsco");
        argv = CSLAddString(argv, "NameField=name");
    }
    if (rows <= 0)
        argv = CSLAddString(argv, layer); /* the source layer for -select */
    vto = GDALVectorTranslateOptionsNew(argv, NULL);
    if (!vto) {
        st = sg__error(ctx, SG_ERR_INTERNAL, "GDAL options: %s", gerr.last);
        goto done;
    }
    int usage_error = 0;
    dst = GDALVectorTranslate(out, NULL, 1, &src, vto, &usage_error);
    if (!dst) {
        st = sg__error(ctx, SG_ERR_IO_WRITE, "cannot write %s: %s", out,
                       gerr.last[0] ? gerr.last : "GDAL failed");
        goto done;
    }
    /* the SELECT takes every row; writers such as GeoJSON cannot count
     * their own features before closing */
    if (count)
        *count = sg__store_count(ctx, store, layer);
    CPLErrorReset();
    GDALClose(dst);
    dst = NULL;
    if (CPLGetLastErrorType() == CE_Failure || gerr.failures)
        st = sg__error(ctx, SG_ERR_IO_WRITE, "writing %s failed: %s", out,
                       gerr.last);
done:
    if (dst)
        GDALClose(dst);
    if (src)
        GDALClose(src);
    GDALVectorTranslateOptionsFree(vto);
    CSLDestroy(argv);
    sqlite3_free(sql);
    free(geom_type);
    free(select);
    sg__gdal_pop(&gerr);
    return st;
}
