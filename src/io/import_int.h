/* Import internals shared by the files of the import (src/io/import*.c):
 * the options, the state of one import and the steps each file provides.
 *   import.c         options, results, rejects, the run and its record
 *   import_source.c  opening the source: encodings, KML folders, layer
 *   import_fields.c  columns to fields, required fields, values
 *   import_geom.c    coordinate systems, position checks, geometries
 * Not for: callers outside the import (sanigrid/io.h is the API).
 * SPDX-License-Identifier: MIT */
#ifndef SG_IO_IMPORT_INT_H
#define SG_IO_IMPORT_INT_H

#include <cpl_conv.h>
#include <cpl_string.h>
#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include "core/outfile_int.h"
#include "geom/geos_int.h"
#include "io/encoding_int.h"
#include "io/inspections_int.h"
#include "io/io_int.h"
#include "io/kml_desc_int.h"
#include "store/bulk_int.h"
#include "sanigrid/crs.h"
#include "sanigrid/io.h"
#include "sanigrid/json.h"

enum { OFFSET_NONE = 0, OFFSET_GCJ02 = 1, OFFSET_BD09 = 2 };

struct sg_import_options {
    char *source_layer;
    char **map_field, **map_col; /* --map field=column */
    size_t nmap;
    char *src_crs; /* user text, NULL = from the file */
    char *x_col, *y_col;
    char *encoding;
    int replace;
    char *rejects;
    char **set_field, **set_value; /* --set field=value */
    size_t nset;
};

/* ---- the import state -------------------------------------------------- */

typedef struct reject {
    long long feature; /* 1-based position in the source */
    char *id;
    char *field;
    char *reason;
} reject;

typedef struct importer {
    sg_ctx *ctx;
    sg_store *store;
    const sg__layer_def *def;
    const sg_import_options *opts;
    sg_import_result *res;
    const char *source;
    sg__gdal_errs gerr;
    GDALDatasetH ds;
    OGRLayerH lyr;
    OGRFeatureDefnH fdefn;
    int col[16];      /* source column of each def field, -1 if none */
    int x_idx, y_idx; /* coordinate columns of a table source */
    int use_geom;     /* 1: the source's geometry, 0: x/y or none */
    int offset;       /* OFFSET_* */
    int geographic;   /* source coordinates are lon/lat degrees */
    int gcj_iters;
    double max_pop;      /* limits.household_population */
    double max_vertices; /* limits.polygon_vertices */
    OGRSpatialReferenceH src_srs, dst_srs, ll_srs;
    OGRCoordinateTransformationH ct, ct_ll;
    double aou[4];        /* area of use of the working CRS, lon/lat, +margin */
    int raw_text;         /* strings arrive undecoded: decode ourselves */
    const char *text_enc; /* encoding used for text, static */
    reject *rejects;
    size_t nrejects, caprejects;
    sg__insert *ins;
    int native_point;    /* ins takes the point as x, y (sg__insert_point) */
    sg__bulk_load *bulk; /* per-row triggers off, cache sized (bulk_int.h) */
    double t_step;       /* start of the current step, for -v timings */
    double c_step;       /* CPU time then (process, all threads) */
    sg__unit_resolver *units;      /* inspections: unit names -> codes */
    char *cfg_key[4], *cfg_old[4]; /* thread-local GDAL config to restore */
    int ncfg;
    const char *setval[16]; /* --set value of each def field, or NULL */
    char *memfile;          /* /vsimem/ copy of a recoded CSV, or NULL */
    char *membuf;           /* its bytes (owned here, not by GDAL) */
    GDALDatasetH desc_ds;   /* in-memory copy of a KML layer with the
                             * attributes of its descriptions, or NULL */
    int kml;                /* the source is KML (LIBKML adds columns of its
                             * own to every placemark) */
    int probe;              /* keep positions for the GCJ-02/BD-09 check */
    double *plon, *plat;    /* source lon/lat of the first points */
    size_t nprobe;
} importer;

/* Open the dataset, capturing GDAL's error text for the message. */
sg_status sg__imp_open_source(importer *im);

/* Choose the source layer: --source-layer, a layer named like the target,
 * all the folders of a KML, or the only/first one. */
sg_status sg__imp_pick_layer(importer *im);

/* Put back the config options changed by set_config(). */
void sg__imp_restore_config(importer *im);

/* Work out which source column feeds which field: --map first, then the
 * aliases of each field in the registry, each column used once. */
sg_status sg__imp_map_fields(importer *im);

/* Locate coordinate columns of a table source (no geometry). */
sg_status sg__imp_find_xy(importer *im);

/* Apply --set: each named field gets its constant (checked now like a
 * source value would be) instead of a column. */
sg_status sg__imp_apply_sets(importer *im);

/* Refuse the import when no column (nor --set) gives a field the
 * analyses need (SG_F_ESSENTIAL), naming the columns found and a --map
 * line to copy; warn for SG_F_WANTED ones. */
sg_status sg__imp_check_essentials(importer *im);

/* Source columns that feed no field and are no coordinates: listed on
 * every import so that nothing is dropped without a word. */
void sg__imp_note_unused(importer *im);

/* Text of column \p idx of \p f as UTF-8, trimmed; NULL if unset or
 * blank. Caller owns; CPLFree(). */
char *sg__imp_field_text(importer *im, OGRFeatureH f, int idx);

/* Bind field \p i of the definition from feature \p f into the insert
 * statement at parameter \p param. \return 1, or 0 after adding a reject. */
int sg__imp_bind_field(importer *im, OGRFeatureH f, size_t i, int param,
                       long long fno, const char *id, const char *id_override);

/* Numeric value of column \p idx of \p f: numeric fields directly, text
 * parsed in the C locale. The text is copied to \p text (for messages)
 * because OGR reuses one buffer for GetFieldAsString. \return 1 if it is a
 * finite number. */
int sg__imp_field_number(OGRFeatureH f, int idx, double *out, char *text,
                         size_t size);

/* Set up the source CRS: --src-crs, the file's, or lon/lat for tables. */
sg_status sg__imp_source_crs(importer *im);

/* Choose the working CRS from the data when the store has none yet. */
sg_status sg__imp_choose_srid(importer *im);

/* Target CRS, transformation, and the area the working CRS is meant for
 * (PROJ's area of use plus a margin) to catch far-off or swapped data. */
sg_status sg__imp_target_crs(importer *im);

/* Geometry of feature \p f as store WKB (working CRS, layer type):
 * \return the number of parts, 0 after adding a reject. Multi-part lines
 * come back as several parts in \p parts (caller frees each with
 * GEOSFree_r). For a point layer (im->native_point) the point comes back
 * in \p pt[0..1] instead, and \p parts is not used. */
int sg__imp_feature_geometry(importer *im, OGRFeatureH f, long long fno,
                             const char *id, unsigned char **parts,
                             size_t *sizes, int maxparts, double *pt);

/* Add a reject (feature number, id, field, reason); \p id and \p field
 * may be NULL. */
void sg__imp_add_reject(importer *im, long long feature, const char *id,
                        const char *field, const char *fmt, ...)
    SG_PRINTF(5, 6);

#endif
