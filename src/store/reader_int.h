/* A streaming reader of one store layer through the store's own
 * connection, inside one read transaction: the columns that may leave the
 * store (personal ones only if asked), optional WGS 84 lon/lat, the
 * geometry as WKB in the working CRS, in fid order, optionally filtered.
 * Its count is the row count of the same snapshot the rows come from.
 * For export (src/io/export.c): nothing but the store opens the store's
 * file (issue 17, finding 3).
 * SPDX-License-Identifier: MIT */
#ifndef SG_READER_INT_H
#define SG_READER_INT_H

#include <stddef.h>

#include "store/store_int.h"

typedef struct sg__reader sg__reader;

typedef struct sg__reader_options {
    int include_personal; /* personal columns too */
    int lonlat;           /* add REAL columns lon and lat (WGS 84, the point or
                             a point on the surface); Chinese headers for
                             tables read by people (CSV, XLSX) */
    int short_names;      /* DBF names of at most 10 characters */
    const char *filter_col;   /* only rows where filter_col = filter_value */
    const char *filter_value; /* (both NULL: every row) */
    const char *lang;         /* "zh": Chinese headers from the field
                                 dictionary for tables read by people (with
                                 lonlat); NULL or "en": the column names */
    const char *order_col;    /* rows by this column (NULLs first), then fid;
                                 NULL: by fid */
} sg__reader_options;

/** Open a reader of \p layer (SG_ERR_NOT_FOUND if the store has none).
 * Begins a read transaction unless the store is already in one; the
 * transaction ends with sg__reader_close. Caller owns \p out. */
sg_status sg__reader_open(sg_ctx *ctx, sg_store *store, const char *layer,
                          const sg__reader_options *opts, sg__reader **out);

/** Rows the reader will hand out (same snapshot). */
long long sg__reader_count(const sg__reader *r);

/** Attribute columns (without the geometry): count, output name (alias),
 * type. Borrowed. */
size_t sg__reader_ncols(const sg__reader *r);
const char *sg__reader_col_name(const sg__reader *r, size_t i);
/** The store column that output column \p i reads (its canonical name),
 * NULL for computed ones (lon, lat). Borrowed. */
const char *sg__reader_col_source(const sg__reader *r, size_t i);
sg__ftype sg__reader_col_type(const sg__reader *r, size_t i);

/** The longest value of attribute column \p i in bytes (as text), in the
 * reader's snapshot; 0 for computed columns. For fixed-width formats. */
sg_status sg__reader_max_bytes(sg_ctx *ctx, sg__reader *r, size_t i,
                               long long *bytes);

/** Whether the layer has a geometry column, and its declared type
 * ("POINT", "MULTIPOLYGON", ...; NULL if unknown). Borrowed. */
int sg__reader_has_geom(const sg__reader *r);
const char *sg__reader_geom_type(const sg__reader *r);

/** Step to the next row. \return SG_OK with *row 1 on a row, 0 at the
 * end; a failure otherwise. */
sg_status sg__reader_next(sg_ctx *ctx, sg__reader *r, int *row);

/** The current row's values; valid until the next step. A text of a
 * numeric column is its number written out. */
int sg__reader_is_null(const sg__reader *r, size_t i);
const char *sg__reader_text(const sg__reader *r, size_t i);
long long sg__reader_int(const sg__reader *r, size_t i);
double sg__reader_double(const sg__reader *r, size_t i);
/** Whether the stored value itself is a number (INTEGER or REAL). */
int sg__reader_is_number(const sg__reader *r, size_t i);

/** The current row's geometry as WKB in the working CRS, NULL if none. */
const unsigned char *sg__reader_wkb(const sg__reader *r, size_t *len);

/** End the read transaction and free \p r. NULL is a no-op. */
void sg__reader_close(sg__reader *r);

#endif
