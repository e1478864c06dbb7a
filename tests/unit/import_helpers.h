/* Fixtures and helpers shared by the import tests (test_import.c: each
 * format, CRS, repair and rejects; test_import_bad.c: atomicity, bad
 * inputs, mapping and modes), defined in import_helpers.c.
 * Not for: other modules' tests (helpers.h).
 * SPDX-License-Identifier: MIT */
#ifndef SG_TEST_IMPORT_HELPERS_H
#define SG_TEST_IMPORT_HELPERS_H

#include <stddef.h>

#include "helpers.h"

/* Three households in Beijing (lon 116.39-116.41, lat 39.89-39.92), the
 * fake personal values are made up. */
extern const char *const BEIJING_HOUSEHOLDS;

/* Two administrative villages near Beijing (counter-clockwise squares). */
extern const char *const BEIJING_DIVISIONS;

/* Per-test state: a fresh context. \return 0, or -1 without memory. */
int setup(void **state);

/* Free the test's context. \return 0. */
int teardown(void **state);

/* Once per file: GDAL drivers and SpatiaLite; keep the checking SQL
 * connection open between queries (ST_Transform is slow to set up).
 * \return 0. */
int group_setup(void **state);

/* Once per file: close the checking connection, then release the
 * libraries (so leak checkers see only real leaks). \return 0. */
int group_teardown(void **state);

/* Write \p text to tmpdir/name. \return the path (rotating buffer). */
const char *fixture(const char *name, const char *text);

/* Import that must succeed. \return the result; caller frees. */
sg_import_result *import_ok(sg_ctx *ctx, sg_store *s, const char *layer,
                            const char *src, const sg_import_options *o);

/* A text value of the store by SQL; a static buffer. */
const char *sql_text(const char *db, const char *sql);

/* A fingerprint of the households layer and the run record. */
char *households_checksum(const char *db);

/* One rejected feature as read back from the rejects CSV with OGR. */
typedef struct rej_row {
    long long feature;
    char id[64], field[64], reason[512];
} rej_row;

/* Read the rejects CSV at \p path with OGR's CSV driver. \return the
 * number of rows put in \p rows (at most \p max). */
size_t read_rejects(const char *path, rej_row *rows, size_t max);

/* Fail unless \p rows holds a reject of feature \p feature on \p field
 * whose reason contains \p reason. */
void expect_reject(const rej_row *rows, size_t n, long long feature,
                   const char *field, const char *reason);

/* Fail unless \p r maps \p field automatically from \p column. */
void expect_auto_map(const sg_import_result *r, const char *field,
                     const char *column);

#endif
