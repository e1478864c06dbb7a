/* Internal store API for the other library modules (io, net, analysis,
 * render). All SQL lives in src/store: callers ask for statements by
 * purpose, never write SQL themselves.
 * SPDX-License-Identifier: MIT */
#ifndef SG_STORE_INT_H
#define SG_STORE_INT_H

#include <sqlite3.h>
#include <stddef.h>

#include "sanigrid/store.h"

struct sg_store {
    sqlite3 *db;       /* owned */
    void *splite;      /* owned SpatiaLite connection cache */
    char *path;        /* owned */
    int srid;          /* working CRS, 0 = not chosen yet */
    int schema_version;
    int readonly;      /* opened read-only, or the file is read-only */
    int in_tx;         /* inside sg__store_begin */
};

/* ---- field registry of the input layers ------------------------------- */

typedef enum sg__ftype { SG_FT_TEXT, SG_FT_INT, SG_FT_REAL } sg__ftype;

#define SG_F_ID 0x1u       /* the layer's identifier field */
#define SG_F_PERSONAL 0x2u /* personal data: left out of exports by default */
#define SG_F_REQUIRED 0x4u /* a row without it is rejected */
#define SG_F_ESSENTIAL 0x8u /* an import with no column for it is refused:
                               the analyses would be wrong without it */
#define SG_F_WANTED 0x10u   /* an import with no column for it warns */

typedef struct sg__field_def {
    const char *name;    /* column name in the store */
    sg__ftype type;
    unsigned flags;      /* SG_F_* */
    const char *aliases; /* '|'-separated source column names recognised
                            without --map (case-insensitive) */
    const char *values;  /* '|'-separated allowed values, or NULL */
} sg__field_def;

typedef struct sg__layer_def {
    const char *name;
    const char *geom_type; /* "POINT", "LINESTRING", "MULTIPOLYGON", NULL */
    int id_unique;         /* duplicate ids are rejected */
    const sg__field_def *fields;
    size_t nfields;
} sg__layer_def;

/** \return the definition of input layer \p name, or NULL. Borrowed. */
const sg__layer_def *sg__layer_def_find(const char *name);

/** \return the id field of \p def, or NULL if it has none. */
const sg__field_def *sg__layer_id_field(const sg__layer_def *def);

/** \return 1 if column \p field of layer \p layer holds personal data. */
int sg__field_is_personal(const char *layer, const char *field);

/* ---- connection helpers ----------------------------------------------- */

/** Record an SQLite failure of \p store in ctx with a prefix; maps BUSY,
 * READONLY and the like to their sg_status. \return the status. */
sg_status sg__store_sql_error(sg_ctx *ctx, sg_store *store, const char *what);

/** Run \p sql (no results). */
sg_status sg__store_exec(sg_ctx *ctx, sg_store *store, const char *sql);

/** BEGIN IMMEDIATE / COMMIT / ROLLBACK. Rollback never fails loudly. */
sg_status sg__store_begin(sg_ctx *ctx, sg_store *store);
sg_status sg__store_commit(sg_ctx *ctx, sg_store *store);
void sg__store_rollback(sg_store *store);

/** Fail with SG_ERR_DB_READONLY if \p store may not be written. */
sg_status sg__store_check_writable(sg_ctx *ctx, sg_store *store);

/* ---- statements for import -------------------------------------------- */

/** Prepare "INSERT INTO layer (cols..., geom) VALUES (?, ..., geom)" for
 * \p ncols columns; the geometry (if the layer has one) is bound last as
 * WKB in the working CRS. Caller owns; sqlite3_finalize(). */
sg_status sg__store_prepare_insert(sg_ctx *ctx, sg_store *store,
                                   const char *layer,
                                   const char *const *cols, size_t ncols,
                                   sqlite3_stmt **stmt);

/** Delete every row of \p layer (inside the caller's transaction). */
sg_status sg__store_clear_layer(sg_ctx *ctx, sg_store *store,
                                const char *layer);

/** \return the number of rows of \p layer, or -1 on error. */
long long sg__store_count(sg_ctx *ctx, sg_store *store, const char *layer);

/** Whether \p layer (any registered layer) exists. */
int sg__store_has_layer(sg_store *store, const char *layer);

/** Record an analysis or import in `runs`. \p params and \p counts are
 * JSON object texts (may be NULL). */
sg_status sg__store_record_run(sg_ctx *ctx, sg_store *store,
                               const char *command, const char *params,
                               const char *counts, double seconds);

/** Current UTC time as ISO 8601 into \p buf (at least 21 bytes). */
void sg__utc_now(char *buf, size_t size);



/** The SQLite handle (for sqlite3_errmsg after a statement the store
 * prepared). Borrowed. */
sqlite3 *sg__store_db(sg_store *store);

/** Re-read cached facts (working CRS) after a rollback. */
sg_status sg__store_reload_meta(sg_ctx *ctx, sg_store *store);

/** The SELECT that exports \p layer: every column except fid, personal
 * columns only if \p include_personal, the geometry as `geom`, with
 * \p lonlat also WGS 84 `lon`/`lat` columns (the point, or a point on
 * the surface), and with \p short_names names of at most 10 characters
 * for DBF (div_code, hh_id, res_pop, ...). Caller owns; sqlite3_free().
 * NULL if the layer is unknown (message in ctx). \p has_geom receives
 * whether the layer has geometry, \p geom_type its type name (caller
 * owns; free(); NULL for tables), \p select_list the plain column names
 * comma-separated, for GDAL's -select (caller owns; free()). */
char *sg__store_export_sql(sg_ctx *ctx, sg_store *store, const char *layer,
                           int include_personal, int lonlat, int short_names,
                           int *has_geom, char **geom_type,
                           char **select_list);

/* ---- reading layers and writing result layers (for analyses) ---------- */

/** Called once per row by sg__store_scan with the statement positioned on
 * the row: columns 0..ncols-1 are the requested columns, then (if asked)
 * the geometry as WKB in the working CRS (NULL for a row without one).
 * Read values with sqlite3_column_*; they are valid during the call only.
 * Return SG_OK to go on, anything else stops the scan with that status. */
typedef sg_status (*sg__row_fn)(sqlite3_stmt *row, void *user);

/** Read \p cols (and the geometry as WKB when \p with_geom) of every row of
 * \p layer in fid order, optionally only rows whose \p filter_col equals
 * \p filter_value (both NULL for all rows). */
sg_status sg__store_scan(sg_ctx *ctx, sg_store *store, const char *layer,
                         const char *const *cols, size_t ncols, int with_geom,
                         const char *filter_col, const char *filter_value,
                         sg__row_fn fn, void *user);

/** A column of a result layer: name and SQLite type (TEXT, INTEGER, REAL). */
typedef struct sg__column {
    const char *name;
    const char *type;
} sg__column;

/** (Re)create result layer \p name (dropping an earlier one with its
 * geometry column and index) with \p cols and, if \p geom_type is not
 * NULL, a geometry column of that type in the working CRS with a spatial
 * index; register it in sg_layers as a result layer. Call inside a
 * transaction (sg__store_begin). */
sg_status sg__store_create_result(sg_ctx *ctx, sg_store *store,
                                  const char *name, const char *geom_type,
                                  const sg__column *cols, size_t ncols,
                                  const char *title_zh, const char *title_en);

/** Prepare an INSERT into result layer \p name for \p ncols columns; the
 * geometry (if the layer has one) is the last parameter, as WKB. Caller
 * owns; sqlite3_finalize(). */
sg_status sg__store_prepare_result_insert(sg_ctx *ctx, sg_store *store,
                                          const char *name,
                                          const sg__column *cols,
                                          size_t ncols, int with_geom,
                                          sqlite3_stmt **stmt);

/** Step a prepared insert and reset it. */
sg_status sg__store_step_insert(sg_ctx *ctx, sg_store *store,
                                sqlite3_stmt *stmt);
#endif
