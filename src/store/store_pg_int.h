/* The PostgreSQL/PostGIS backend of the store, for src/store only (issue
 * 21; the dispatch is described in store_backend_int.h).
 *
 * A store is one schema of a PostgreSQL database with PostGIS: the libpq
 * conninfo (URI or key=value) names the database, and the first schema of
 * its search_path (`options=-csearch_path=county_510722`) the store, so a
 * province keeps one schema per county in one database. The schema is the
 * PostgreSQL dialect of data/sql (data/sql/pg/NNNN_*.sql, the same numbers):
 * the same tables and columns, `geometry(TYPE, srid)` columns with GiST
 * indexes added when the working CRS is known, and the schema version and
 * application id as rows of sg_meta (PostgreSQL has no user_version).
 * Transactions: sg__store_begin is BEGIN plus a transaction-level advisory
 * lock on the store's schema (one writer at a time; readers never wait).
 * Reads go through server-side cursors (FETCH in batches), writes of many
 * rows through COPY (text format, geometry as hex EWKB with the SRID).
 * Passwords: never in the conninfo on the command line; libpq reads them
 * from PGPASSFILE (~/.pgpass) or PGPASSWORD, and a service file. The path
 * shown in messages is the conninfo without any password.
 * Not for: anything outside src/store.
 * SPDX-License-Identifier: MIT */
#ifndef SG_STORE_PG_INT_H
#define SG_STORE_PG_INT_H

#include <libpq-fe.h>

#include "store/bulk_int.h"
#include "store/store_backend_int.h"

/* ---- connection, schema, transactions (pg.c) --------------------------- */

sg_status sg__pg_open(sg_ctx *ctx, const char *conninfo, unsigned flags,
                      sg_store **out);
sg_status sg__pg_create(sg_ctx *ctx, const char *conninfo, int srid,
                        sg_store **out);
/** Close the connection (the store itself is freed by sg_store_close). */
void sg__pg_close(sg_store *store);

/** Run \p sql with text parameters \p params (\p nparams of them, NULL
 * entries are NULL) after sending any pending COPY rows. \return the
 * result (caller owns; PQclear) or NULL with the error in ctx, mapped by
 * SQLSTATE (busy, read-only, ...) and prefixed with \p what. */
PGresult *sg__pg_query(sg_ctx *ctx, sg_store *store, const char *what,
                       const char *sql, int nparams, const char *const *params);
/** As sg__pg_query for statements without rows. */
sg_status sg__pg_exec(sg_ctx *ctx, sg_store *store, const char *what,
                      const char *sql);
/** The sg_status for a failed \p res, message in ctx. */
sg_status sg__pg_error(sg_ctx *ctx, sg_store *store, const PGresult *res,
                       const char *what);
/** \p name as a quoted identifier (caller owns; PQfreemem), NULL when out
 * of memory. */
char *sg__pg_ident(sg_store *store, const char *name);

sg_status sg__pg_begin(sg_ctx *ctx, sg_store *store);
sg_status sg__pg_commit(sg_ctx *ctx, sg_store *store);
void sg__pg_rollback(sg_store *store);
sg_status sg__pg_check_writable(sg_ctx *ctx, sg_store *store);
sg_status sg__pg_reload_meta(sg_ctx *ctx, sg_store *store);
sg_status sg__pg_set_srid(sg_ctx *ctx, sg_store *store, int srid);

/* ---- small look-ups and writes (pg.c) ---------------------------------- */

int sg__pg_has_layer(sg_store *store, const char *layer);
long long sg__pg_count(sg_ctx *ctx, sg_store *store, const char *layer);
sg_status sg__pg_clear_layer(sg_ctx *ctx, sg_store *store, const char *layer);
sg_status sg__pg_record_run(sg_ctx *ctx, sg_store *store, const char *command,
                            const char *params, const char *counts,
                            double seconds);
int sg__pg_division_name(sg_store *store, const char *code, char *buf,
                         size_t size);
int sg__pg_layer_has_column(sg_store *store, const char *layer,
                            const char *column);
sg_status sg__pg_settings_foreach(sg_ctx *ctx, sg_store *store,
                                  sg_setting_fn fn, void *user);
/** Value, type and default of setting \p key (each caller-owned, free();
 * NULL pointers are not filled); SG_ERR_NOT_FOUND for an unknown key. */
sg_status sg__pg_setting_lookup(sg_ctx *ctx, sg_store *store, const char *key,
                                char **value, char **type, char **def);
sg_status sg__pg_setting_update(sg_ctx *ctx, sg_store *store, const char *key,
                                const char *value);
sg_status sg__pg_layers(sg_ctx *ctx, sg_store *store, sg_layer_info **out,
                        size_t *n);
sg_status sg__pg_runs(sg_ctx *ctx, sg_store *store, int limit,
                      sg_run_info **out, size_t *n);
/** Call \p fn(name, declared type, user) for each column of \p layer in
 * table order. */
sg_status sg__pg_columns(sg_ctx *ctx, sg_store *store, const char *layer,
                         void (*fn)(const char *name, const char *decl,
                                    void *user),
                         void *user);
/** The geometry type of \p layer in sg_layers (caller owns; free()), or
 * NULL. */
char *sg__pg_geometry_type(sg_store *store, const char *layer);
sg_status sg__pg_max_bytes(sg_ctx *ctx, sg_store *store, const char *layer,
                           const char *column, long long *bytes);

/* ---- cursors and rows (pg_rows.c) -------------------------------------- */

typedef struct sg__pg_cursor sg__pg_cursor;

/** Open a server-side cursor over \p sql (parameter $1 = \p param when not
 * NULL), in a read transaction of its own unless the store is in one.
 * Caller owns; sg__pg_cursor_close. */
sg_status sg__pg_cursor_open(sg_ctx *ctx, sg_store *store, const char *sql,
                             const char *param, sg__pg_cursor **out);
/** Move to the next row: 1 with \p row pointing at it, 0 at the end, -1 on
 * an error (message in ctx). */
int sg__pg_cursor_next(sg_ctx *ctx, sg__pg_cursor *c, sg__row *row);
void sg__pg_cursor_close(sg__pg_cursor *c);

int sg__pg_row_is_null(sg__pg_cursor *c, int col);
sg__valtype sg__pg_row_type(sg__pg_cursor *c, int col);
long long sg__pg_row_int64(sg__pg_cursor *c, int col);
double sg__pg_row_double(sg__pg_cursor *c, int col);
const char *sg__pg_row_text(sg__pg_cursor *c, int col);
const void *sg__pg_row_blob(sg__pg_cursor *c, int col, size_t *size);

/** The SELECT of sg__store_scan on PostgreSQL: \p cols, then \p extra
 * (SQL expressions, or NULL), in fid order, filtered on $1 with
 * \p filter_col (caller owns; free()). */
char *sg__pg_scan_sql(sg_store *store, const char *layer,
                      const char *const *cols, size_t ncols, const char *extra,
                      const char *filter_col);
#define SG_PG_WKB "ST_AsBinary(geom)"
sg_status sg__pg_scan(sg_ctx *ctx, sg_store *store, const char *layer,
                      const char *const *cols, size_t ncols, int with_geom,
                      const char *filter_col, const char *filter_value,
                      sg__row_fn fn, void *user);
/** sg__store_scan_points on PostgreSQL. */
sg_status sg__pg_scan_points(sg_ctx *ctx, sg_store *store, const char *layer,
                             const char *const *cols, size_t ncols,
                             const char *filter_col, const char *filter_value,
                             sg__point_row_fn fn, void *user);

/* ---- inserts through COPY (pg_rows.c) ---------------------------------- */

/** A COPY into \p table of \p ncols columns, then the geometry (in the
 * working CRS) when \p with_geom. With \p unique_col >= 0, sg__insert_try
 * refuses a row whose value of that column (0-based) is already in the
 * table or was inserted before (loaded now, inside the caller's
 * transaction, which holds the store's write lock). */
sg_status sg__pg_prepare_insert(sg_ctx *ctx, sg_store *store, const char *table,
                                const char *const *cols, size_t ncols,
                                int with_geom, int unique_col,
                                sg__insert **out);
void sg__pg_insert_int64(struct sg__pg_insert *p, int param, long long v);
void sg__pg_insert_double(struct sg__pg_insert *p, int param, double v);
void sg__pg_insert_text(struct sg__pg_insert *p, int param, const char *v);
void sg__pg_insert_blob(struct sg__pg_insert *p, int param, const void *v,
                        size_t size);
void sg__pg_insert_point(struct sg__pg_insert *p, int param, double x,
                         double y);
void sg__pg_insert_null(struct sg__pg_insert *p, int param);
void sg__pg_insert_clear(struct sg__pg_insert *p);
sg_status sg__pg_insert_step(sg_ctx *ctx, struct sg__pg_insert *p);
sg_status sg__pg_insert_try(sg_ctx *ctx, struct sg__pg_insert *p,
                            sg__refusal *why, char *msg, size_t size);
/** Send the rows buffered by \p store's pending COPY, if any. */
sg_status sg__pg_flush(sg_ctx *ctx, sg_store *store);
/** Drop the rows buffered and not sent yet (the transaction they belong
 * to was rolled back). */
void sg__pg_discard(sg_store *store);
/** Send what is buffered and free \p p; a failure to send is kept in the
 * store and fails its commit. */
void sg__pg_insert_free(struct sg__pg_insert *p);

/* ---- result layers (pg_rows.c) ------------------------------------------ */

/** Create result layer \p name, or empty it in place when a table of that
 * name has the same columns (MVCC-safe for concurrent readers). The
 * geometry column, when \p geom_type is set, is typed now; its GiST index
 * is built with \p with_index (a bulk load drops it for its rows and
 * builds it again after them, sg__store_bulk_load_begin). */
sg_status sg__pg_create_result(sg_ctx *ctx, sg_store *store, const char *name,
                               const char *geom_type, const sg__column *cols,
                               size_t ncols, const char *title_zh,
                               const char *title_en, int with_index);

#endif
