/* Helpers shared by the unit tests. SPDX-License-Identifier: MIT */
#include <sqlite3.h>
#include <spatialite.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helpers.h"

const char *sg_test_source_dir(void)
{
    const char *s = getenv("SG_SOURCE_DIR");
    return s ? s : ".";
}

const char *sg_test_tmpdir(void)
{
    static char dir[4096];
    if (!dir[0]) {
        const char *base = getenv("SG_TEST_TMP");
        char tmpl[4096];
        if (base) {
            mkdir(base, 0777);
            snprintf(tmpl, sizeof tmpl, "%s/unit-XXXXXX", base);
        } else {
            snprintf(tmpl, sizeof tmpl, "/tmp/sanigrid-unit-XXXXXX");
        }
        if (!mkdtemp(tmpl))
            abort();
        snprintf(dir, sizeof dir, "%s", tmpl);
    }
    return dir;
}

const char *sg_test_path(const char *name)
{
    static char bufs[8][4096];
    static int k;
    char *b = bufs[k++ & 7];
    snprintf(b, 4096, "%s/%s", sg_test_tmpdir(), name);
    return b;
}

void sg_test_write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* Open db_path read-only with SpatiaLite loaded. */
static sqlite3 *open_db(const char *db_path, void **cache)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL),
                     SQLITE_OK);
    *cache = spatialite_alloc_connection();
    spatialite_init_ex(db, *cache, 0);
    return db;
}

double sg_test_sql_number(const char *db_path, const char *sql)
{
    void *cache = NULL;
    sqlite3 *db = open_db(db_path, &cache);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        fail_msg("SQL %s: %s", sql, sqlite3_errmsg(db));
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    double v = sqlite3_column_double(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    spatialite_cleanup_ex(cache);
    return v;
}

const char *sg_test_sql_text(const char *db_path, const char *sql)
{
    static char buf[4096];
    void *cache = NULL;
    sqlite3 *db = open_db(db_path, &cache);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        fail_msg("SQL %s: %s", sql, sqlite3_errmsg(db));
    buf[0] = '\0';
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
        snprintf(buf, sizeof buf, "%s", sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(db);
    spatialite_cleanup_ex(cache);
    return buf;
}
