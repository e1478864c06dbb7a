/* Import from any source OGR reads into a store layer, and export of any
 * store layer to GIS formats.
 * Not for: analyses; the store's own SQL.
 * SPDX-License-Identifier: MIT */
#ifndef SANIGRID_IO_H
#define SANIGRID_IO_H
#include "sanigrid/export.h"

#include <stddef.h>
#include "sanigrid/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- import ------------------------------------------------------------ */

typedef struct sg_import_options sg_import_options;

/** \return new options with defaults (append mode, CRS from the file,
 * rejects beside the store). Caller owns; free with
 * sg_import_options_free(). NULL when out of memory. */
SG_API sg_import_options *sg_import_options_new(void);

/** Free \p opts. NULL is a no-op. */
SG_API void sg_import_options_free(sg_import_options *opts);

/** Read this layer of a multi-layer source (GPKG, KML folder, sheet). */
SG_API sg_status sg_import_options_set_source_layer(sg_ctx *ctx,
                                                    sg_import_options *opts,
                                                    const char *name);

/** Map a store field to a source column: "field=column". Overrides the
 * automatic recognition of headers. Fails with SG_ERR_USAGE on a
 * malformed spec. */
SG_API sg_status sg_import_options_add_map(sg_ctx *ctx, sg_import_options *opts,
                                           const char *spec);

/** Source CRS overriding the file's: "EPSG:n", any PROJ/WKT text, or
 * "gcj02" / "bd09" for Amap/Tencent/Ovital and Baidu coordinates. */
SG_API sg_status sg_import_options_set_src_crs(sg_ctx *ctx,
                                               sg_import_options *opts,
                                               const char *crs);

/** Coordinate columns of a table source (CSV, XLSX). Without this,
 * lon/lat, x/y, 经度/纬度 and similar headers are recognised. */
SG_API sg_status sg_import_options_set_xy(sg_ctx *ctx, sg_import_options *opts,
                                          const char *x_col, const char *y_col);

/** Text encoding of the source (e.g. "GBK", "CP936", "UTF-8"). Without
 * it: .cpg, then the DBF language id, then UTF-8 if valid, else GBK. */
SG_API sg_status sg_import_options_set_encoding(sg_ctx *ctx,
                                                sg_import_options *opts,
                                                const char *encoding);

/** Replace the layer's rows (1) or append to them (0, the default).
 * Fails with SG_ERR_USAGE for another value. */
SG_API sg_status sg_import_options_set_replace(sg_ctx *ctx,
                                               sg_import_options *opts,
                                               int replace);

/** Where to write rejected features (CSV). Default: beside the store,
 * "<store>.<layer>.rejects.csv". */
SG_API sg_status sg_import_options_set_rejects(sg_ctx *ctx,
                                               sg_import_options *opts,
                                               const char *path);

/** Give every row the value \p spec "FIELD=VALUE" (e.g.
 * "kind=collection_point"), whatever the source holds; the value is
 * checked like a source value. SG_ERR_USAGE for a malformed spec. */
SG_API sg_status sg_import_options_add_set(sg_ctx *ctx, sg_import_options *opts,
                                           const char *spec);

typedef struct sg_field_map {
    char *field;   /* store field; owned */
    char *column;  /* source column, or the value for --set; owned */
    int automatic; /* 1 if recognised from the header, 0 if from --map,
                      2 if a constant from --set */
} sg_field_map;

/** Whether imported points sit where GCJ-02 (Amap, Tencent, 奥维/Ovital)
 * or BD-09 (Baidu) coordinates read as WGS 84 would: checked for points
 * and households imported without --src-crs from longitude/latitude
 * into a store that has roads, by the distance of each point (up to the
 * first SG_OFFSET_CHECK_SAMPLE) to its nearest road as imported and after
 * each inverse (src/io/offset_check.c explains the thresholds). */
typedef struct sg_offset_check {
    int checked;           /* 1 if the distances below were measured */
    long long sample;      /* points measured */
    double median_m;       /* median distance to the nearest road, metres */
    double median_gcj02_m; /* the same had they been read as GCJ-02 */
    double median_bd09_m;  /* the same had they been read as BD-09 */
    double closer_gcj02;   /* share of the points the GCJ-02 inverse
                            * brings closer to a road (0..1) */
    double closer_bd09;    /* the same for the BD-09 inverse */
    const char *suspect;   /* "gcj02" or "bd09" when that inverse brings
                            * the points onto the roads (at least 10
                            * points, 25 m off roads as imported (median),
                            * the median at most halved, 60 % of the
                            * points closer); NULL otherwise. Static */
    int layer_only_these;  /* with a suspect: 1 if the layer holds only
                            * the rows of this import, so that importing
                            * the file again with --mode replace is right */
} sg_offset_check;

#define SG_OFFSET_CHECK_SAMPLE 2000

typedef struct sg_import_result {
    char *layer;        /* store layer */
    char *source_layer; /* layer read from the source */
    char *src_crs;      /* source CRS as given or found, e.g. "EPSG:4326" */
    char *encoding;     /* text encoding used, NULL if not applicable */
    int srid;           /* the store's working CRS after the import */
    int srid_chosen;    /* 1 if this import chose the working CRS */
    long long read;     /* features read from the source */
    long long imported; /* rows written */
    long long repaired; /* invalid geometries made valid */
    long long rejected; /* features rejected (see rejects_path) */
    char *rejects_path; /* NULL if nothing was rejected */
    sg_field_map *map;  /* the mapping used */
    size_t nmap;
    char **samples; /* first rejection reasons, human-readable */
    size_t nsamples;
    char **unused; /* source columns that fed no field; owned */
    size_t nunused;
    sg_offset_check offset; /* coordinates that look GCJ-02/BD-09 */
} sg_import_result;

/** Import \p source into store layer \p layer (divisions, grids, roads,
 * points, households, cleaners, inspections) in one transaction.
 * \return SG_OK when at least one feature was imported (check
 * result->rejected); SG_ERR_INPUT when every feature was rejected; another
 * status when the source or store failed. In every failure the store is
 * left exactly as it was.
 * \param result may be NULL; otherwise receives a result (also on
 *        SG_ERR_INPUT) that the caller owns; free with
 *        sg_import_result_free(). */
SG_API sg_status sg_import(sg_ctx *ctx, sg_store *store, const char *layer,
                           const char *source, const sg_import_options *opts,
                           sg_import_result **result);

/** Free \p r. NULL is a no-op. */
SG_API void sg_import_result_free(sg_import_result *r);

/* ---- export ------------------------------------------------------------ */

/** The file formats a layer is exported to (OGR drivers). 0 is no
 * format: "from the output's extension" where an option takes one. */
typedef enum sg_export_format {
    SG_EXPORT_GEOJSON = 1,  /**< GeoJSON (.geojson, .json) */
    SG_EXPORT_GPKG = 2,     /**< GeoPackage (.gpkg) */
    SG_EXPORT_KML = 3,      /**< KML (.kml) */
    SG_EXPORT_CSV = 4,      /**< CSV (.csv) */
    SG_EXPORT_XLSX = 5,     /**< Excel (.xlsx) */
    SG_EXPORT_SHAPEFILE = 6 /**< ESRI Shapefile (.shp) */
} sg_export_format;

/** The format named \p name into *\p out: its OGR driver name (GeoJSON,
 * GPKG, KML, CSV, XLSX, "ESRI Shapefile") or one of the spellings json,
 * geopackage, shapefile, shp, in any case. Fails with SG_ERR_USAGE
 * (naming the value) for anything else, *\p out unchanged. */
SG_API sg_status sg_export_format_from_string(sg_ctx *ctx, const char *name,
                                              sg_export_format *out);

/** \return the OGR driver name of \p format ("GeoJSON", "GPKG", "KML",
 * "CSV", "XLSX", "ESRI Shapefile"), or NULL for another value. Static. */
SG_API const char *sg_export_format_to_string(sg_export_format format);

typedef struct sg_export_options sg_export_options;

/** Caller owns; free with sg_export_options_free(). */
SG_API sg_export_options *sg_export_options_new(void);
SG_API void sg_export_options_free(sg_export_options *opts);

/** The format written (sg_export_format_from_string() reads a name); 0
 * (the default): from the output file's extension. Fails with
 * SG_ERR_USAGE for another value. */
SG_API sg_status sg_export_options_set_format(sg_ctx *ctx,
                                              sg_export_options *opts,
                                              sg_export_format format);

/** \return the format set with sg_export_options_set_format(), or 0. */
SG_API sg_export_format
sg_export_options_get_format(const sg_export_options *opts);

/** Keep personal fields (household_head, phone, grid_leader, cleaners'
 * names, inspectors) when \p on is 1; left out by default (0).
 * \return SG_OK, or SG_ERR_USAGE (unchanged) for another value. */
SG_API sg_status sg_export_options_set_include_personal(sg_ctx *ctx,
                                                        sg_export_options *opts,
                                                        int on);

/** Replace an existing output file when \p on is 1 (default 0: refuse).
 * \return SG_OK, or SG_ERR_USAGE (unchanged) for another value. */
SG_API sg_status sg_export_options_set_overwrite(sg_ctx *ctx,
                                                 sg_export_options *opts,
                                                 int on);

/** Language of what people read: "zh" gives CSV and XLSX the Chinese
 * headers (with units) and value labels of the field dictionary
 * (include/sanigrid/fields.h), and KML Chinese names and descriptions;
 * "en" (the default) keeps the canonical field names and codes. GeoJSON,
 * GPKG and Shapefile always keep the canonical names (the .qml beside
 * them carries the Chinese aliases). Fails with SG_ERR_USAGE otherwise. */
SG_API sg_status sg_export_options_set_lang(sg_ctx *ctx,
                                            sg_export_options *opts,
                                            const char *lang);

/** Coordinates for Chinese map apps in the WGS 84 formats (GeoJSON, KML,
 * CSV, XLSX lon/lat): "gcj02" (Amap, Tencent, 奥维/Ovital) or "bd09"
 * (Baidu) by the published forward formulas; "wgs84" (the default) as
 * stored. Fails with SG_ERR_USAGE for another value. */
SG_API sg_status sg_export_options_set_datum(sg_ctx *ctx,
                                             sg_export_options *opts,
                                             const char *datum);

/** Text encoding of a Shapefile's DBF: "UTF-8" (the default) or "GBK"
 * (CP936, for older ArcGIS and 南方CASS); the .cpg says which. Fails with
 * SG_ERR_USAGE for another value. */
SG_API sg_status sg_export_options_set_encoding(sg_ctx *ctx,
                                                sg_export_options *opts,
                                                const char *encoding);

/** Export store layer \p layer to \p out. GeoJSON is RFC 7946 (WGS 84
 * lon/lat); KML is WGS 84; Shapefile gets a .cpg (UTF-8); GPKG keeps the
 * working CRS; CSV and XLSX get WGS 84 lon/lat columns (CSV also WKT
 * geometry in WGS 84, and formula cells neutralised with a leading ').
 * The rows are read through \p store's own connection in one read
 * transaction and written to a temporary file beside \p out that is
 * renamed over it when complete; \p out (and its sidecars: a Shapefile's,
 * a GeoJSON's .sld/.qml) may not be one of the store's files
 * (SG_ERR_USAGE). Cancelling through the progress callback removes the
 * temporary file. \param count may be NULL; receives the number of
 * features written. */
SG_API sg_status sg_export(sg_ctx *ctx, sg_store *store, const char *layer,
                           const char *out, const sg_export_options *opts,
                           long long *count);

/** \return the format of a file name's extension (any case), or 0. */
SG_API sg_export_format sg_export_format_for_path(const char *path);

#ifdef __cplusplus
}
#endif
#endif
