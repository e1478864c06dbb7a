/* Internal store API for the other library modules (io, net, analysis,
 * render). All SQL lives in src/store: callers ask for statements by
 * purpose, never write SQL themselves, and see no SQLite type: rows come
 * as sg__row (read with sg__row_*), prepared inserts as sg__insert
 * (filled with sg__insert_*), so that a second backend (PostgreSQL/
 * PostGIS, issue 21) can implement the same functions.
 * SPDX-License-Identifier: MIT */
#ifndef SG_STORE_INT_H
#define SG_STORE_INT_H

#include <stddef.h>

#include "sanigrid/json.h"
#include "sanigrid/store.h"

/* ---- rows and prepared inserts -------------------------------------------
 * Backend-neutral handles. An sg__row is the current row of a scan (valid
 * during the callback only); columns are numbered from 0. An sg__insert is
 * a prepared insert of a result or input layer; parameters are numbered
 * from 1 in the order of the columns given when it was prepared; text and
 * blobs are copied when bound. */

/** The store's name for a heading (borrowed from \p store): the file
 * name of a SpatiaLite store (its path without folders), the schema of a
 * PostgreSQL one (its path is a conninfo, whose last '/' is in the
 * socket's folder). */
const char *sg__store_short_name(const sg_store *store);

typedef struct sg__row sg__row;       /* opaque, defined by the backend */
typedef struct sg__insert sg__insert; /* opaque, defined by the backend */

/** Whether column \p col of \p row is NULL. */
int sg__row_is_null(sg__row *row, int col);
/** Type of column \p col: SG_VAL_NULL, _INT, _REAL, _TEXT or _BLOB. */
typedef enum sg__valtype {
    SG_VAL_NULL,
    SG_VAL_INT,
    SG_VAL_REAL,
    SG_VAL_TEXT,
    SG_VAL_BLOB
} sg__valtype;
sg__valtype sg__row_type(sg__row *row, int col);
/** Column \p col as an integer (0 for NULL). */
int sg__row_int(sg__row *row, int col);
long long sg__row_int64(sg__row *row, int col);
/** Column \p col as a number (0 for NULL). */
double sg__row_double(sg__row *row, int col);
/** Column \p col as UTF-8 text, NULL for NULL. Borrowed, valid until
 * the next row. */
const char *sg__row_text(sg__row *row, int col);
/** Column \p col as bytes (a geometry as WKB), NULL for NULL or empty,
 * and its size. Borrowed, valid until the next row. */
const void *sg__row_blob(sg__row *row, int col);
size_t sg__row_bytes(sg__row *row, int col);

/** Bind parameter \p param (from 1) of \p ins. */
void sg__insert_int(sg__insert *ins, int param, int v);
void sg__insert_int64(sg__insert *ins, int param, long long v);
void sg__insert_double(sg__insert *ins, int param, double v);
/** Text (copied); NULL binds NULL. */
void sg__insert_text(sg__insert *ins, int param, const char *v);
/** Text not copied (SpatiaLite): \p v must stay valid and unchanged until
 * \p param is bound again or \p ins is freed; NULL binds NULL. \p len is
 * strlen(v) when the caller knows it, else -1. */
void sg__insert_text_static(sg__insert *ins, int param, const char *v, int len);
/** \p size bytes at \p v (copied), e.g. a geometry as WKB. */
void sg__insert_blob(sg__insert *ins, int param, const void *v, size_t size);
void sg__insert_null(sg__insert *ins, int param);
/** Unbind every parameter (all NULL). */
void sg__insert_clear(sg__insert *ins);
/** Write the row bound so far and make \p ins ready for the next one
 * (the bindings stay). */
sg_status sg__insert_step(sg_ctx *ctx, sg_store *store, sg__insert *ins);
/** What the store said of a row sg__insert_try did not write. */
typedef enum sg__refusal {
    SG_REFUSED_NONE,      /* written */
    SG_REFUSED_DUPLICATE, /* a unique key (the layer's id) already there */
    SG_REFUSED_CONSTRAINT /* another constraint of the schema */
} sg__refusal;
/** As sg__insert_step, but a row the store refuses for its content is not
 * an error of the store: \return SG_ERR_INPUT with \p why set (and the
 * store's words in \p msg, \p size bytes), the transaction going on. */
sg_status sg__insert_try(sg_ctx *ctx, sg_store *store, sg__insert *ins,
                         sg__refusal *why, char *msg, size_t size);
/** Free a prepared insert (NULL is fine). */
void sg__insert_free(sg__insert *ins);

/* ---- field registry of the input layers ------------------------------- */

typedef enum sg__ftype { SG_FT_TEXT, SG_FT_INT, SG_FT_REAL } sg__ftype;

#define SG_F_ID 0x1u       /* the layer's identifier field */
#define SG_F_PERSONAL 0x2u /* personal data: left out of exports by default */
#define SG_F_REQUIRED 0x4u /* a row without it is rejected */
#define SG_F_ESSENTIAL                                                         \
    0x8u                  /* an import with no column for it is refused:       \
                             the analyses would be wrong without it */
#define SG_F_WANTED 0x10u /* an import with no column for it warns */

typedef struct sg__field_def {
    const char *name; /* column name in the store */
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

/** BEGIN IMMEDIATE / COMMIT / ROLLBACK. Rollback never fails loudly.
 * A writing analysis calls sg__store_begin before it reads its inputs
 * (settings included) and commits after writing its results, so what it
 * wrote always derives from the data it commits beside: another writer
 * waits (busy timeout) or fails with SG_ERR_DB_BUSY, never slips in
 * between the reading and the writing.
 * sg__store_begin waits for the write lock, then re-reads the schema
 * and the cached facts (working CRS) another writer may have changed
 * meanwhile.
 * Calls nest: inside a transaction, begin joins it and commit only ends
 * the level; a rollback of an inner level makes the outermost commit
 * fail (and roll back everything).
 * (On PostgreSQL the same contract is BEGIN plus a transaction-level
 * advisory lock per store schema taken before reading: one writer at a
 * time, readers never blocked.) */
sg_status sg__store_begin(sg_ctx *ctx, sg_store *store);
sg_status sg__store_commit(sg_ctx *ctx, sg_store *store);
void sg__store_rollback(sg_store *store);

/** Fail with SG_ERR_DB_READONLY if \p store may not be written. */
sg_status sg__store_check_writable(sg_ctx *ctx, sg_store *store);

/* ---- statements for import -------------------------------------------- */

/** Prepare "INSERT INTO layer (cols..., geom) VALUES (?, ..., geom)" for
 * \p ncols columns; the geometry (if the layer has one) is bound last as
 * WKB in the working CRS. Caller owns; sg__insert_free(). */
sg_status sg__store_prepare_insert(sg_ctx *ctx, sg_store *store,
                                   const char *layer, const char *const *cols,
                                   size_t ncols, sg__insert **stmt);

/** As sg__store_prepare_insert, but the geometry is bound in the
 * backend's own encoding (sg__insert_point, bulk_int.h) rather than as
 * WKB: for point layers, where parsing WKB costs more than the row. */
sg_status sg__store_prepare_insert_native(sg_ctx *ctx, sg_store *store,
                                          const char *layer,
                                          const char *const *cols, size_t ncols,
                                          sg__insert **stmt);

/** Delete every row of \p layer (inside the caller's transaction). */
sg_status sg__store_clear_layer(sg_ctx *ctx, sg_store *store,
                                const char *layer);

/** \return the number of rows of \p layer, or -1 on error. */
long long sg__store_count(sg_ctx *ctx, sg_store *store, const char *layer);

/** 1 if \p store is a file (SpatiaLite), 0 if it is a schema of a
 * PostgreSQL database: files named after the store go elsewhere. */
int sg__store_is_file(const sg_store *store);

/** Whether \p layer (any registered layer) exists. */
int sg__store_has_layer(sg_store *store, const char *layer);

/** The name of division \p code into \p buf ("" when none). \return 1
 * when the store has one (names_sql.c). */
int sg__store_division_name(sg_store *store, const char *code, char *buf,
                            size_t size);

/** \return 1 when \p layer has column \p column. */
int sg__store_layer_has_column(sg_store *store, const char *layer,
                               const char *column);

/** Record an analysis or import in `runs`. \p params and \p counts are
 * JSON object texts (may be NULL). */
sg_status sg__store_record_run(sg_ctx *ctx, sg_store *store,
                               const char *command, const char *params,
                               const char *counts, double seconds);

/** As sg__store_record_run(), with params and counts from two JSON
 * writers (sanigrid/json.h, begun with a NULL FILE), which it finishes
 * (releases) in every case. SG_ERR_NOMEM if either failed. */
sg_status sg__store_record_run_json(sg_ctx *ctx, sg_store *store,
                                    const char *command, sg_json *params,
                                    sg_json *counts, double seconds);

/** Snapshot \p store (sanigrid/snapshot.h) before \p command (a short
 * word: import, delete, ...) replaces or deletes data: call it inside
 * the command's transaction, after sg__store_begin (so no other writer
 * can commit meanwhile); it copies the last committed state through a
 * connection of its own, whatever the transaction has changed so far.
 * Does nothing when the setting snapshots.keep is 0. The snapshot
 * belongs to the transaction: its commit prunes the oldest snapshots
 * beyond snapshots.keep, its rollback removes the snapshot (the store is
 * unchanged). Fails (SG_ERR_IO_WRITE) when the copy cannot be written:
 * the caller then changes nothing. */
sg_status sg__store_snapshot(sg_ctx *ctx, sg_store *store, const char *command);

/** The end of the transaction that took a snapshot (store.c calls it
 * when the outermost level commits, \p committed 1, or rolls back):
 * prune, or remove the snapshot. */
void sg__store_snapshot_end(sg_store *store, int committed);

/* SQLite: rename the hidden snapshot of a committed change whose command
 * died before renaming it (its name is in sg_meta, written by the same
 * commit). Called when the store is opened and before a snapshot. */
void sg__snapshot_recover(sg_store *store);

/** Current UTC time as ISO 8601 into \p buf (at least 21 bytes). */
void sg__utc_now(char *buf, size_t size);

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
                           int *has_geom, char **geom_type, char **select_list);

/** The columns sg__store_export_sql would export of \p layer without
 * personal ones, comma-separated (caller owns; free()), and whether it
 * has geometry into \p has_geom. NULL if the layer is unknown (message in
 * ctx). */
char *sg__store_export_columns(sg_ctx *ctx, sg_store *store, const char *layer,
                               int *has_geom);

/* ---- reading layers and writing result layers (for analyses) ---------- */

/** Called once per row by sg__store_scan with the statement positioned on
 * the row: columns 0..ncols-1 are the requested columns, then (if asked)
 * the geometry as WKB in the working CRS (NULL for a row without one).
 * Read values with sg__row_*; they are valid during the call only.
 * Return SG_OK to go on, anything else stops the scan with that status. */
typedef sg_status (*sg__row_fn)(sg__row *row, void *user);

/** Read \p cols (and the geometry as WKB when \p with_geom) of every row of
 * \p layer in fid order, optionally only rows whose \p filter_col equals
 * \p filter_value (both NULL for all rows). */
sg_status sg__store_scan(sg_ctx *ctx, sg_store *store, const char *layer,
                         const char *const *cols, size_t ncols, int with_geom,
                         const char *filter_col, const char *filter_value,
                         sg__row_fn fn, void *user);

/** A cursor over the rows sg__store_scan would pass to its callback, for
 * callers that pull rows (a writer of another format, or two layers
 * merged in step). Caller owns; sg__rows_close(). */
typedef struct sg__rows sg__rows;
sg_status sg__store_rows_open(sg_ctx *ctx, sg_store *store, const char *layer,
                              const char *const *cols, size_t ncols,
                              int with_geom, const char *filter_col,
                              const char *filter_value, sg__rows **out);

/** Move to the next row: \return 1 with \p row set (valid until the next
 * call), 0 after the last row, -1 on an error (message in ctx). */
int sg__rows_next(sg_ctx *ctx, sg__rows *rows, sg__row **row);

/** Close \p rows (NULL is fine), also before its last row. */
void sg__rows_close(sg__rows *rows);

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
 * owns; sg__insert_free(). */
sg_status sg__store_prepare_result_insert(sg_ctx *ctx, sg_store *store,
                                          const char *name,
                                          const sg__column *cols, size_t ncols,
                                          int with_geom, sg__insert **stmt);

/** Step a prepared insert and reset it (as sg__insert_step). */
sg_status sg__store_step_insert(sg_ctx *ctx, sg_store *store, sg__insert *stmt);
#endif
