/* Fast reading of point layers and bulk-loaded result layers.
 * Reading: sg__store_scan_points decodes SpatiaLite's own point blobs
 * instead of asking SpatiaLite for WKB (a third of the time of a scan
 * of a million households).
 * Bulk-loaded result layers: for results of a million rows (one per
 * household), where SpatiaLite's per-row geometry triggers and SQLite's
 * R*Tree (about 15 µs a row) would take longer than the analysis itself.
 * The table is created with a plain BLOB geometry column, rows are
 * inserted with ready-made SpatiaLite geometry blobs, and the geometry
 * column is registered at the end (RecoverGeometryColumn); a spatial index
 * is optional. Layers made this way are ordinary result layers afterwards
 * (export, info and a later sg__store_create_result replace them).
 * Not for: small result layers (sg__store_create_result is simpler).
 * SPDX-License-Identifier: MIT */
#ifndef SG_STORE_BULK_INT_H
#define SG_STORE_BULK_INT_H

#include "store/store_int.h"

/** Called once per row by sg__store_scan_points: columns 0..ncols-1 are
 * the requested ones (read with sg__row_*, valid during the call);
 * \p has_point is 0 for a row without a point geometry (NULL, empty, or
 * not a point), else (\p x, \p y) is the point in the working CRS.
 * Return SG_OK to go on. */
typedef sg_status (*sg__point_row_fn)(sg__row *row, int has_point, double x,
                                      double y, void *user);

/** Read \p cols and the point geometry of every row of \p layer in fid
 * order, optionally only rows whose \p filter_col equals \p filter_value
 * (both NULL for all rows). */
sg_status sg__store_scan_points(sg_ctx *ctx, sg_store *store, const char *layer,
                                const char *const *cols, size_t ncols,
                                const char *filter_col,
                                const char *filter_value, sg__point_row_fn fn,
                                void *user);

/** Size of a SpatiaLite point blob (sg__store_point_blob). */
#define SG_POINT_BLOB_SIZE 60

/** (Re)create result layer \p name with \p cols and a geometry column
 * "geom" of type \p geom_type that is not registered yet (see
 * sg__store_finish_bulk_result; on PostgreSQL the column is typed from the
 * start, so that the finish need not rewrite the table). Call inside a
 * transaction. */
sg_status sg__store_create_bulk_result(sg_ctx *ctx, sg_store *store,
                                       const char *name, const sg__column *cols,
                                       size_t ncols, const char *geom_type,
                                       const char *title_zh,
                                       const char *title_en);

/** Prepare "INSERT INTO name (cols..., geom) VALUES (?, ..., ?)"; the
 * geometry, last, is a SpatiaLite blob bound as is. Caller owns;
 * sg__insert_free(). */
sg_status sg__store_prepare_bulk_insert(sg_ctx *ctx, sg_store *store,
                                        const char *name,
                                        const sg__column *cols, size_t ncols,
                                        sg__insert **stmt);

/** Encode point (\p x, \p y) in the store's working CRS as a SpatiaLite
 * geometry blob into \p buf (SG_POINT_BLOB_SIZE bytes). For src/store;
 * other modules bind with sg__insert_bulk_point. */
void sg__store_point_blob(const sg_store *store, double x, double y,
                          unsigned char buf[SG_POINT_BLOB_SIZE]);

/** Bind point (\p x, \p y) in the working CRS of \p store as geometry
 * parameter \p param of bulk insert \p ins, in the backend's own encoding
 * (a SpatiaLite blob here). */
void sg__insert_bulk_point(const sg_store *store, sg__insert *ins, int param,
                           double x, double y);

/** Register the geometry column of bulk layer \p name as \p geom_type
 * (checking every row) and, if \p with_index, build its spatial index.
 * Call inside the same transaction, after the inserts. */
sg_status sg__store_finish_bulk_result(sg_ctx *ctx, sg_store *store,
                                       const char *name, const char *geom_type,
                                       int with_index);

/* ---- bulk loading of an input layer (import) ------------------------- */

/** State of a bulk load into an input layer, see sg__store_bulk_load_begin.
 * Opaque; owned by the caller, freed with sg__store_bulk_load_free. */
typedef struct sg__bulk_load sg__bulk_load;

/** Begin loading about \p expected_rows rows into input layer \p layer
 * inside the current transaction (sg__store_begin first, and after any
 * clearing of the layer): SQLite's page cache is sized for the job, and
 * SpatiaLite's per-row triggers on the geometry column (type/SRID check,
 * R*Tree insert, "last insert" time) are dropped for the duration, their
 * SQL kept to restore them. Rows are inserted with the usual prepared
 * insert. sg__store_bulk_load_end then checks every new geometry against
 * the column's type and SRID once, fills the spatial index from the new
 * rows and recreates the triggers, in the same transaction: a rollback
 * restores the triggers with everything else. A layer without a geometry
 * column gets only the cache. On PostgreSQL (COPY is the bulk load) a
 * result layer's GiST index is dropped for a load about its size and built
 * again at the end, in the same transaction. */
sg_status sg__store_bulk_load_begin(sg_ctx *ctx, sg_store *store,
                                    const char *layer, long long expected_rows,
                                    sg__bulk_load **out);

/** For a caller that itself refuses every value the layer's CHECK
 * constraints forbid (the importer: allowed values, no negative counts):
 * SQLite's CHECK constraints are not evaluated per row for the rest of
 * the load (a CHECK with an IN list of three or more values builds a
 * temporary b-tree for every INSERT: a sixth of a households import's
 * CPU), and sg__store_bulk_load_end tests the new rows against each CHECK
 * of the table's schema once (one query each), failing the load, named
 * constraint and count, if any row breaks one. NOT NULL and UNIQUE stay
 * per row. Does nothing on PostgreSQL, for a table without CHECK
 * constraints, or if its CREATE text is not understood. */
sg_status sg__store_bulk_load_defer_checks(sg_ctx *ctx, sg_store *store,
                                           sg__bulk_load *b);

/** Finish a bulk load (see sg__store_bulk_load_begin); \p b stays owned by
 * the caller. */
sg_status sg__store_bulk_load_end(sg_ctx *ctx, sg_store *store,
                                  sg__bulk_load *b);

/** Free \p b (NULL is fine) and put the page cache size back. */
void sg__store_bulk_load_free(sg_store *store, sg__bulk_load *b);

/** Bind point (\p x, \p y) in the working CRS as the geometry parameter
 * \p param of an input-layer insert (sg__store_prepare_insert with
 * \p point_blob set): the backend's own encoding, no WKB parse. */
void sg__insert_point(const sg_store *store, sg__insert *ins, int param,
                      double x, double y);

#endif
