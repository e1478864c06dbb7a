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

#endif
