/* Fast reading of point layers and bulk-loaded result layers.
 * Reading: sg__store_scan_points decodes SpatiaLite's own point blobs
 * instead of asking SpatiaLite for WKB (a third of the time of a scan
 * of a million households).
 * Bulk-loaded result layers: for results of a million rows (one per
 * household), where SpatiaLite's per-row geometry triggers and SQLite's
 * R*Tree (about 15 µs a row) would take longer than the analysis itself.
 * The layer is created empty with its geometry column and (optionally)
 * spatial index, loaded like an input layer (sg__store_bulk_load_begin:
 * triggers off, the index packed once at the end), with ready-made
 * SpatiaLite point blobs where the rows are points. Layers made this way
 * are ordinary result layers afterwards.
 * Keyed result layers (one row per input feature, its geometry shown
 * through a view): see sg__store_keyed_begin.
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

/** (Re)create result layer \p name with \p cols and a registered
 * geometry column "geom" of type \p geom_type, with an empty spatial index
 * if \p with_index, ready for sg__store_bulk_load_begin: its rows are
 * inserted without SpatiaLite's per-row triggers and
 * sg__store_bulk_load_end fills the index in one packed pass. Call inside
 * a transaction. */
sg_status sg__store_create_bulk_result(sg_ctx *ctx, sg_store *store,
                                       const char *name, const sg__column *cols,
                                       size_t ncols, const char *geom_type,
                                       int with_index, const char *title_zh,
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
 * the column's type and SRID once (not the points of a result layer,
 * sg__store_point_blob's own: a million rows read again for nothing),
 * fills the spatial index from the new
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

/* ---- keyed result layers (one row per input feature) ------------------- */

/** What a keyed result layer holds, see sg__store_keyed_begin. */
typedef struct sg__keyed_spec {
    const char *name;       /* the layer */
    const sg__column *cols; /* its columns, fid and geometry apart;
                               type "CODE" for a text of \p codes */
    size_t ncols;
    const char *geom_type;    /* of \p from's geometry, e.g. "POINT" */
    const char *from;         /* the input layer whose features the rows
                                 are, e.g. "households" */
    const char *from_id;      /* its id column, e.g. "household_id" */
    int id_col;               /* which of \p cols (from 0) holds that id */
    const char *const *codes; /* the texts of the CODE columns: code k is
                                 codes[k]; borrowed until the end */
    size_t ncodes;
    const char *title_zh, *title_en;
} sg__keyed_spec;

/** A keyed result layer being written. Opaque; sg__store_keyed_free. */
typedef struct sg__keyed sg__keyed;

/** Begin (re)writing result layer \p spec->name of about \p expected_rows
 * rows, one per feature of input layer \p spec->from, inside a
 * transaction. On SQLite the rows go to table NAME_rows keyed by the
 * feature's fid, without geometry, and CODE columns to numbers into
 * NAME_codes; layer NAME is a view that puts the texts and the feature's
 * geometry back (registered in views_geometry_columns, so GDAL and QGIS
 * open it as a point layer on the feature's spatial index). A row whose
 * feature has been deleted or has another id since shows no geometry.
 * For a million households that is 40 % of the pages of a table holding
 * the points and the texts, and no re-reading to register a geometry
 * column. On PostgreSQL it is an ordinary result table written by COPY,
 * CODE columns as TEXT. Bind each row's columns 1..ncols on
 * sg__keyed_insert (CODE columns with sg__keyed_code), the feature with
 * sg__keyed_feature, then sg__insert_step. */
sg_status sg__store_keyed_begin(sg_ctx *ctx, sg_store *store,
                                const sg__keyed_spec *spec,
                                long long expected_rows, sg__keyed **out);

/** The insert of \p k (owned by \p k). */
sg__insert *sg__keyed_insert(sg__keyed *k);

/** Bind code \p code (an index into the spec's codes, or -1 for NULL) as
 * column \p param. */
void sg__keyed_code(sg__keyed *k, int param, long long code);

/** Bind the row's feature: fid \p fid of the input layer, at point
 * (\p x, \p y) in the working CRS (what PostgreSQL stores). */
void sg__keyed_feature(const sg_store *store, sg__keyed *k, long long fid,
                       double x, double y);

/** Finish the layer after its rows (the view, its registration). */
sg_status sg__store_keyed_end(sg_ctx *ctx, sg_store *store, sg__keyed *k);

/** Free \p k (NULL is fine). */
void sg__store_keyed_free(sg_store *store, sg__keyed *k);

/** 1 if result layer \p name is a keyed layer's view (SQLite), whose
 * rows a reader that filters on a CODE column may read from NAME_rows
 * and NAME_codes directly; else 0. */
int sg__store_is_keyed(sg_store *store, const char *name);

#endif
