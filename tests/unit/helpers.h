/* Shared helpers of the unit tests: temporary paths, real stores.
 * SPDX-License-Identifier: MIT */
#ifndef SG_TEST_HELPERS_H
#define SG_TEST_HELPERS_H
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "sanigrid/sanigrid.h"

/** A fresh empty directory for this test process; borrowed. */
const char *sg_test_tmpdir(void);

/** tmpdir/name into a static buffer (rotating among 8). */
const char *sg_test_path(const char *name);

/** Write \p text to \p path (whole file). */
void sg_test_write_file(const char *path, const char *text);

/** The repository root (SG_SOURCE_DIR). */
const char *sg_test_source_dir(void);

/** Run an SQL query on \p db_path returning one number (via SQLite +
 * SpatiaLite, independent of the code under test). */
double sg_test_sql_number(const char *db_path, const char *sql);

/** Run an SQL query returning one text into a static buffer ("" NULL). */
const char *sg_test_sql_text(const char *db_path, const char *sql);

/** With \p on, the sg_test_sql_* functions keep their read-only
 * connection open between queries on the same unchanged file (much faster
 * with ST_Transform); call sg_test_sql_close() before
 * sg_library_shutdown(). Off (the default): a fresh connection per query,
 * which never holds the file open. */
void sg_test_sql_keep_open(int on);

/** Close the connection kept by sg_test_sql_keep_open(1), if any. */
void sg_test_sql_close(void);

/** All rows of an SQL query as text: columns joined by '|', rows ended by
 * '\n' (NULL values as ""). Caller owns; free with free(). */
char *sg_test_sql_rows(const char *db_path, const char *sql);

/** Fail the test at the caller's line unless \p got == \p want, naming
 * both statuses and the context's message. */
#define assert_sg_status(ctx, got, want)                                       \
    sg_test_check_status((ctx), (got), (want), __FILE__, __LINE__)
void sg_test_check_status(const sg_ctx *ctx, sg_status got, sg_status want,
                          const char *file, int line);

/** Fail the test unless \p haystack contains \p needle (case-insensitive
 * for ASCII), naming both. */
#define assert_contains(haystack, needle)                                      \
    sg_test_check_contains((haystack), (needle), __FILE__, __LINE__)
void sg_test_check_contains(const char *haystack, const char *needle,
                            const char *file, int line);

/** A new store at tmpdir/name (an earlier file of that name and its
 * -wal/-shm are removed first); \p srid 0 lets the first import choose.
 * The store is a copy of a template made once per process and SRID with
 * sg_store_create, then opened with sg_store_open.
 * Caller owns; close with sg_store_close(). */
sg_store *sg_test_store_new(sg_ctx *ctx, const char *name, int srid);

/** The whole content of \p path plus a NUL; \p len (may be NULL) receives
 * the size. NULL if it cannot be read. Caller owns; free with free(). */
char *sg_test_read_file(const char *path, size_t *len);

/** Write \p len bytes to \p path (whole file). */
void sg_test_write_bytes(const char *path, const void *data, size_t len);

/** 1 if the raw bytes of \p path contain \p needle, else 0. */
int sg_test_file_contains(const char *path, const char *needle);

/** 1 if any member of the zip archive \p path (read with GDAL's /vsizip/,
 * recursively) contains \p needle, else 0. For XLSX and KMZ. */
int sg_test_zip_contains(const char *path, const char *needle);

/** Write a vector data set with GDAL's C API, independently of the code
 * under test. \p driver: OGR driver name; if \p path exists it is opened
 * for update and the layer added (several layers in one GPKG). \p epsg 0:
 * no CRS. \p gtype wkbNone for tables. \p lco: NULL-terminated layer
 * creation options or NULL. \p fields: NULL-terminated specs "name"
 * (string), "name:int" or "name:real". \p rows: for each of \p nrows
 * features, a WKT (NULL: no geometry) followed by one value per field
 * (NULL: unset). */
void sg_test_ogr_write(const char *driver, const char *path, const char *layer,
                       int epsg, int gtype, const char *const *lco,
                       const char *const *fields, const char *const *rows,
                       size_t nrows);

/** Number of features in every layer of the vector data set \p path
 * opened with OGR (any driver); -1 if it cannot be opened. */
long long sg_test_ogr_count(const char *path);

#endif
