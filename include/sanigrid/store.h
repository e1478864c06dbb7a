/* The sanigrid store: one SpatiaLite file holding a jurisdiction's layers,
 * settings and the record of analysis runs.
 * Not for: analyses or drawing; those read and write layers through it.
 * SPDX-License-Identifier: MIT */
#ifndef SANIGRID_STORE_H
#define SANIGRID_STORE_H
#include "sanigrid/export.h"

#include <stddef.h>
#include "sanigrid/ctx.h"

#ifdef __cplusplus
extern "C" {
#endif

/** An open store. Used by one thread at a time: a store may move between
 * threads, but two threads never call into the same store at once (its
 * SQLite connection is opened without SQLite's own per-call locking). */
typedef struct sg_store sg_store;

/** Schema version this build writes; see data/sql/ (the last migration's
 * number). A test checks that the two agree. */
#define SG_DB_SCHEMA_VERSION 7

/** PRAGMA application_id of every sanigrid store ("SGRD"). */
#define SG_DB_APPLICATION_ID 0x53475244

/** Open flags. */
#define SG_STORE_READONLY 0x1u

/** Create a new store at \p path with the current schema. \p srid is the
 * working CRS (a projected, metric EPSG code) or 0 to choose it at the
 * first import. Fails with SG_ERR_DB_EXISTS if \p path exists.
 * \param out receives the open store; caller owns, close with
 *        sg_store_close(). */
SG_API sg_status sg_store_create(sg_ctx *ctx, const char *path, int srid,
                                 sg_store **out);

/** Open an existing store, applying any missing migrations (each in its
 * own transaction) unless \p flags has SG_STORE_READONLY.
 * Fails with SG_ERR_IO_OPEN (missing), SG_ERR_DB_NOT_STORE, or
 * SG_ERR_DB_TOO_NEW. \param out caller owns; close with sg_store_close(). */
SG_API sg_status sg_store_open(sg_ctx *ctx, const char *path, unsigned flags,
                               sg_store **out);

/** Close \p store and free it. NULL is a no-op. */
SG_API void sg_store_close(sg_store *store);

/** \return the working CRS EPSG code, 0 if not chosen yet. */
SG_API int sg_store_srid(const sg_store *store);

/** \return the schema version of the open store. */
SG_API int sg_store_schema_version(const sg_store *store);

/** \return the path the store was opened with. Borrowed. */
SG_API const char *sg_store_path(const sg_store *store);

/** 1 when \p path names a PostgreSQL store (a libpq URI or key=value
 * connection string), 0 for a SpatiaLite file. Looks at the text only. */
SG_API int sg_store_path_is_postgresql(const char *path);

/** Refuse an output file that would overwrite \p store: the store file,
 * its -wal, -shm or -journal (same file by inode, or the same canonical
 * name for a file not created yet). Every library writer calls it; callers
 * writing files of their own should too. \return SG_OK, or SG_ERR_USAGE
 * with a message naming both paths. */
SG_API sg_status sg_store_check_output_path(sg_ctx *ctx, sg_store *store,
                                            const char *path);

/** Set the working CRS of a store that has none yet and add the geometry
 * columns and spatial indexes. Fails if a different CRS is already set or
 * \p srid is not a projected metric CRS. */
SG_API sg_status sg_store_set_srid(sg_ctx *ctx, sg_store *store, int srid);

/* ---- settings ---------------------------------------------------------- */

typedef struct sg_setting {
    const char *key;           /* e.g. "cleaner.per_residents" */
    const char *value;         /* current value */
    const char *default_value; /* DOMAIN.md default */
    const char *type;          /* number, integer, text, enum:a|b */
    const char *unit;          /* may be NULL */
    const char *source;        /* where the default comes from */
    const char *description;
} sg_setting;

/** Called once per setting, in key order; all strings are borrowed for the
 * duration of the call. Return non-zero to stop. */
typedef int (*sg_setting_fn)(const sg_setting *setting, void *user);

/** Call \p fn for every setting. */
SG_API sg_status sg_settings_foreach(sg_ctx *ctx, sg_store *store,
                                     sg_setting_fn fn, void *user);

/** Get one setting's value. \param value caller owns; free with sg_free().
 * Fails with SG_ERR_NOT_FOUND for an unknown key. */
SG_API sg_status sg_setting_get(sg_ctx *ctx, sg_store *store, const char *key,
                                char **value);

/** Get one numeric setting. Fails if unknown or not a number. */
SG_API sg_status sg_setting_get_double(sg_ctx *ctx, sg_store *store,
                                       const char *key, double *value);

/** Set one setting after checking \p value against its type. Unknown keys
 * are refused (SG_ERR_NOT_FOUND), so a typo cannot create a new setting.
 * \p value NULL restores the default. */
SG_API sg_status sg_setting_set(sg_ctx *ctx, sg_store *store, const char *key,
                                const char *value);

/* ---- layers and runs --------------------------------------------------- */

typedef struct sg_layer_info {
    char *name;          /* owned by the array */
    char *geometry_type; /* SpatiaLite type name; NULL for plain tables */
    char *kind;          /* "input" or "result" */
    char *title_zh;      /* the layer's Chinese title (owned); may be NULL */
    char *title_en;      /* its English title (owned); may be NULL */
    long long count;     /* rows */
    int has_extent;      /* 1 if extent is set (geometry and rows) */
    double extent[4];    /* minx, miny, maxx, maxy in the working CRS */
    double extent_lonlat[4]; /* the same in WGS 84 lon/lat */
} sg_layer_info;

/** List every layer with its row count and extent.
 * \param out caller owns; free with sg_layer_info_free(*out, *n). */
SG_API sg_status sg_store_layers(sg_ctx *ctx, sg_store *store,
                                 sg_layer_info **out, size_t *n);

/** Free an array from sg_store_layers(). NULL is a no-op. */
SG_API void sg_layer_info_free(sg_layer_info *layers, size_t n);

typedef struct sg_run_info {
    long long run_id;
    char *command;    /* owned by the array */
    char *params;     /* JSON object text */
    char *counts;     /* JSON object text */
    char *started_at; /* UTC ISO 8601 */
    double seconds;
} sg_run_info;

/** The last \p limit runs, newest first.
 * \param out caller owns; free with sg_run_info_free(*out, *n). */
SG_API sg_status sg_store_runs(sg_ctx *ctx, sg_store *store, int limit,
                               sg_run_info **out, size_t *n);

/** Free an array from sg_store_runs(). NULL is a no-op. */
SG_API void sg_run_info_free(sg_run_info *runs, size_t n);

/* ---- showing a layer (sanigrid show) ------------------------------------ */

/** Kind of a value shown. */
typedef enum sg_show_kind {
    SG_SHOW_NULL,
    SG_SHOW_INT,
    SG_SHOW_REAL,
    SG_SHOW_TEXT
} sg_show_kind;

typedef struct sg_show_column {
    char *name;       /* column name (owned by the result) */
    char *type;       /* declared type (TEXT, INTEGER, REAL) or, for the
                         geometry, its type name (POINT ...); owned */
    int geometry;     /* 1 for the geometry column (its cells hold the
                         geometry type of each row) */
    long long filled; /* rows matching the filter where it is not NULL */
} sg_show_column;

typedef struct sg_show_result {
    char *layer;          /* owned */
    sg_show_column *cols; /* every column, fid first, geometry last */
    size_t ncols;
    char **cells;        /* nrows x ncols, row-major; NULL for NULL;
                            owned */
    sg_show_kind *kinds; /* the kind of each cell; owned */
    size_t nrows;        /* rows shown (at most the limit) */
    long long matched;   /* rows matching the filter (all without) */
    long long total;     /* rows of the layer */
    /* the last import into the layer (runs), all NULL when none */
    char *import_at;     /* UTC ISO 8601 */
    char *import_source; /* the file imported */
    char *import_mode;   /* append or replace */
    char **map_fields;   /* store fields fed by a source column ... */
    char **map_columns;  /* ... and those columns (owned) */
    size_t nmap;
    char **set_fields; /* fields given a constant (--set) ... */
    char **set_values; /* ... and the constants (owned) */
    size_t nset;
    int map_recorded; /* 0 when the import predates the recording
                         of the mapping (older sanigrid) */
} sg_show_result;

/** What a QGIS user sees in the attribute table: the first \p limit rows
 * (>= 0; in fid order) of layer \p layer, each column's fill (non-NULL
 * count), and the mapping of the last import into the layer.
 * \p where (NULL: every row) is an SQL expression over the layer's
 * fields, e.g. "resident_population = 0"; rows and fill counts are those
 * of the rows it matches. It is compiled as one read-only statement
 * under an authorizer that allows only reads of this layer and plain
 * functions (no writes, no SpatiaLite functions that touch files or
 * tables): anything else fails with SG_ERR_USAGE. A layer the store does
 * not have fails with SG_ERR_USAGE naming the layers it has.
 * \param out caller owns; free with sg_show_result_free(). */
SG_API sg_status sg_store_show(sg_ctx *ctx, sg_store *store, const char *layer,
                               const char *where, long long limit,
                               sg_show_result **out);

/** Free \p r. NULL is a no-op. */
SG_API void sg_show_result_free(sg_show_result *r);

/** Free memory that sanigrid handed to the caller as a plain buffer
 * (strings from sg_setting_get and the like). NULL is a no-op. */
SG_API void sg_free(void *p);

/** Names of the layers a store is created with (input layers), in order.
 * \return a borrowed, NULL-terminated static array. */
SG_API const char *const *sg_input_layer_names(void);

#ifdef __cplusplus
}
#endif
#endif
