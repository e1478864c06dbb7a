/* Unit tests for hardening: hostile identifiers reach SQL only quoted,
 * a writer that cannot get the lock fails with SG_ERR_DB_BUSY, a
 * cancelled import leaves the store as it was (STYLE rule 29), and the
 * text and geometry helpers the fuzz targets found problems in.
 * A bug found here is fixed with its test, never skipped: a test that
 * cannot pass stays failing and its issue blocked.
 * Not for: import/export behaviour in general (test_import, test_export).
 * SPDX-License-Identifier: MIT */
#include <cpl_vsi.h>
#include <jansson.h>
#include <locale.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "helpers.h"
#include "sanigrid/json.h"
#include "sanigrid/staffing.h"
#include "io/io_int.h"
#include "store/store_sqlite_int.h"

static const char *const hostile[] = {
    "x\"; DROP TABLE households; --",
    "households\"; DROP TABLE runs; --",
    "bad'name",
    "households' OR '1'='1",
    "\"",
    "--",
    "; ;",
    "households\"--",
    "",
};

/* The store's tables, '|'-joined in name order (to show none was
 * dropped). Caller owns. */
static char *tables(const char *path)
{
    return sg_test_sql_rows(path, "SELECT name FROM sqlite_master WHERE "
                                  "type = 'table' ORDER BY name");
}

/* Internal SQL helpers given hostile layer and column names: no SQL runs
 * from the name, the calls fail cleanly, the tables stay. */
static void test_hostile_identifiers(void **state)
{
    (void)state;
    sg_ctx *ctx = sg_ctx_new();
    sg_store *s = sg_test_store_new(ctx, "hostile.sqlite", 32632);
    assert_non_null(s);
    char *before = tables(sg_store_path(s));
    for (size_t i = 0; i < sizeof hostile / sizeof hostile[0]; i++) {
        const char *h = hostile[i];
        assert_int_equal(sg__store_count(ctx, s, h), -1);
        assert_false(sg__store_has_layer(s, h));
        int has_geom = 0;
        char *gt = NULL, *sel = NULL;
        char *sql =
            sg__store_export_sql(ctx, s, h, 0, 1, 0, &has_geom, &gt, &sel);
        assert_null(sql);
        assert_sg_status(ctx, sg_ctx_status(ctx), SG_ERR_NOT_FOUND);
        const char *cols[] = {h};
        sg__insert *ins = NULL;
        assert_int_not_equal(sg__store_prepare_insert(ctx, s, h, cols, 1, &ins),
                             SG_OK);
        assert_null(ins);
        /* a hostile column of a real layer: an SQL error, not SQL */
        assert_int_not_equal(
            sg__store_prepare_insert(ctx, s, "households", cols, 1, &ins),
            SG_OK);
        sg__insert_free(ins);
        assert_int_not_equal(sg_setting_set(ctx, s, h, "1"), SG_OK);
        char *v = NULL;
        assert_int_not_equal(sg_setting_get(ctx, s, h, &v), SG_OK);
        sg_free(v);
        sg_export_options *eo = sg_export_options_new();
        assert_sg_status(ctx,
                         sg_export(ctx, s, h, sg_test_path("x.csv"), eo, NULL),
                         SG_ERR_NOT_FOUND);
        sg_export_options_free(eo);
    }
    char *after = tables(sg_store_path(s));
    assert_string_equal(after, before);
    free(before);
    free(after);
    sg_store_close(s);
    sg_ctx_free(ctx);
}

/* A second connection that cannot get the write lock fails with
 * SG_ERR_DB_BUSY and a message that says so; the first one's transaction
 * is unaffected. */
static void test_busy_writer(void **state)
{
    (void)state;
    sg_ctx *ctx = sg_ctx_new();
    sg_store *a = sg_test_store_new(ctx, "busy.sqlite", 32632);
    sg_store *b = NULL;
    assert_non_null(a);
    assert_sg_status(ctx, sg_store_open(ctx, sg_store_path(a), 0, &b), SG_OK);
    sqlite3_busy_timeout(sg__store_db(b), 200); /* not the 5 s default */
    assert_sg_status(ctx, sg__store_begin(ctx, a), SG_OK);
    assert_sg_status(ctx, sg__store_begin(ctx, b), SG_ERR_DB_BUSY);
    assert_contains(sg_ctx_errmsg(ctx), "busy");
    assert_sg_status(ctx,
                     sg_setting_set(ctx, b, "cleaner.per_residents", "250"),
                     SG_ERR_DB_BUSY);
    sg_test_write_file(
        sg_test_path("busy.geojson"),
        "{\"type\": \"FeatureCollection\", \"features\": ["
        "{\"type\": \"Feature\", \"properties\": "
        "{\"household_id\": \"B1\", \"resident_population\": 2}, \"geometry\": "
        "{\"type\": \"Point\", \"coordinates\": "
        "[9.53, 47.21]}}]}");
    assert_sg_status(ctx,
                     sg_import(ctx, b, "households",
                               sg_test_path("busy.geojson"), NULL, NULL),
                     SG_ERR_DB_BUSY);
    assert_true(sqlite3_get_autocommit(sg__store_db(b)));
    assert_sg_status(ctx, sg__store_commit(ctx, a), SG_OK);
    /* the lock is free again */
    assert_sg_status(ctx,
                     sg_import(ctx, b, "households",
                               sg_test_path("busy.geojson"), NULL, NULL),
                     SG_OK);
    sg_store_close(b);
    sg_store_close(a);
    sg_ctx_free(ctx);
}

static int cancel_at_half(double complete, const char *msg, void *user)
{
    (void)msg;
    (*(int *)user)++;
    return complete < 0.5;
}

/* Cancelling an import from the progress callback: SG_ERR_CANCELLED, no
 * transaction left open, the store exactly as before (STYLE rule 29). */
static void test_cancelled_import(void **state)
{
    (void)state;
    sg_ctx *ctx = sg_ctx_new();
    sg_store *s = sg_test_store_new(ctx, "cancel.sqlite", 32632);
    assert_non_null(s);
    size_t cap = 5000 * 160 + 100, n = 0;
    char *json = malloc(cap);
    assert_non_null(json);
    n += (size_t)snprintf(json + n, cap - n,
                          "{\"type\": \"FeatureCollection\", \"features\": [");
    for (int i = 0; i < 5000; i++)
        n += (size_t)snprintf(json + n, cap - n,
                              "%s{\"type\": \"Feature\", \"properties\": "
                              "{\"household_id\": \"C%d\", "
                              "\"resident_population\": 2}, \"geometry\": "
                              "{\"type\": \"Point\", \"coordinates\": "
                              "[%.5f, 47.21]}}",
                              i ? "," : "", i, 9.5 + i * 1e-5);
    n += (size_t)snprintf(json + n, cap - n, "]}");
    sg_test_write_bytes(sg_test_path("many.geojson"), json, n);
    free(json);
    sg_test_write_file(
        sg_test_path("one.geojson"),
        "{\"type\": \"FeatureCollection\", \"features\": ["
        "{\"type\": \"Feature\", \"properties\": "
        "{\"household_id\": \"K1\", \"resident_population\": 2}, \"geometry\": "
        "{\"type\": \"Point\", \"coordinates\": "
        "[9.53, 47.21]}}]}");
    assert_sg_status(ctx,
                     sg_import(ctx, s, "households",
                               sg_test_path("one.geojson"), NULL, NULL),
                     SG_OK);
    int calls = 0;
    sg_ctx_set_progress(ctx, cancel_at_half, &calls);
    sg_import_options *o = sg_import_options_new();
    sg_import_options_set_replace(ctx, o, 1);
    assert_sg_status(
        ctx,
        sg_import(ctx, s, "households", sg_test_path("many.geojson"), o, NULL),
        SG_ERR_CANCELLED);
    assert_true(calls > 1);
    assert_true(sqlite3_get_autocommit(sg__store_db(s)));
    assert_int_equal(sg__store_count(ctx, s, "households"), 1);
    assert_int_equal(sg__store_count(ctx, s, "runs"), 1);
    sg_import_options_free(o);
    sg_ctx_set_progress(ctx, NULL, NULL);
    sg_store_close(s);
    sg_ctx_free(ctx);
}

/* The reject reason of a geometry of the wrong type names the type (the
 * message path that leaked GEOSGeomType_r's string, see BUG in
 * tests/lsan.supp). */
static void test_wrong_type_reason(void **state)
{
    (void)state;
    sg_ctx *ctx = sg_ctx_new();
    /* LINESTRING(0 0, 1 1) as ISO WKB, little endian */
    static const unsigned char line[] = {
        1, 2, 0, 0, 0, 2, 0, 0, 0, 0, 0,   0,  0, 0, 0, 0, 0, 0, 0,   0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 240, 63, 0, 0, 0, 0, 0, 0, 240, 63};
    char why[256] = "";
    unsigned char *out = NULL;
    size_t out_size = 0;
    assert_int_equal(sg__geom_prepare(ctx, line, sizeof line, "MULTIPOLYGON",
                                      &out, &out_size, why, sizeof why),
                     SG_GEOM_WRONG_TYPE);
    assert_null(out);
    assert_contains(why, "LineString where a polygon is expected");
    sg_ctx_free(ctx);
}

/* sg__utf8_valid must accept exactly the UTF-8 of RFC 3629. */
static void test_utf8_strict(void **state)
{
    (void)state;
    assert_true(sg__utf8_valid("ascii"));
    assert_true(sg__utf8_valid("\xe4\xb8\xad\xe6\x96\x87")); /* 中文 */
    assert_true(sg__utf8_valid("\xf0\x9f\x98\x80"));         /* U+1F600 */
    assert_false(sg__utf8_valid("\xc0\xaf"));                /* overlong */
    assert_false(sg__utf8_valid("\xd6\xd0\xce\xc4"));        /* GBK 中文 */
    assert_false(sg__utf8_valid("\xe4\xb8"));                /* cut */
    assert_false(sg__utf8_valid("\xe0\x80\x80"));            /* overlong NUL */
    assert_false(sg__utf8_valid("\xed\xa0\x80"));            /* surrogate */
    assert_false(sg__utf8_valid("\xf4\x90\x80\x80"));        /* > U+10FFFF */
    assert_false(sg__utf8_valid("\xf0\x80\x80\x80"));        /* overlong */
    assert_false(sg__utf8_valid("\xc1\xbf"));                /* overlong */
    assert_false(sg__utf8_valid("\xf5\x80\x80\x80"));        /* > U+10FFFF */
    assert_false(sg__utf8_valid("\xed\xbf\xbf"));            /* surrogate */
    assert_false(sg__utf8_valid("\xe0\x9f\xbf"));            /* overlong */
    assert_false(sg__utf8_valid("\x80"));                    /* lone tail */
    assert_false(sg__utf8_valid("a\xf0\x9f\x98"));           /* cut */
    /* the edges of each range are valid */
    assert_true(sg__utf8_valid("\xc2\x80"));         /* U+0080 */
    assert_true(sg__utf8_valid("\xe0\xa0\x80"));     /* U+0800 */
    assert_true(sg__utf8_valid("\xed\x9f\xbf"));     /* U+D7FF */
    assert_true(sg__utf8_valid("\xee\x80\x80"));     /* U+E000 */
    assert_true(sg__utf8_valid("\xef\xbf\xbf"));     /* U+FFFF */
    assert_true(sg__utf8_valid("\xf0\x90\x80\x80")); /* U+10000 */
    assert_true(sg__utf8_valid("\xf4\x8f\xbf\xbf")); /* U+10FFFF */
    assert_int_equal(sg__utf8_invalid_at("ab\xed\xa0\x80"), 3);
    assert_int_equal(sg__utf8_invalid_at("ab"), 0);
}

/* A source under /vsi... that GDAL cannot open: the message is the plain
 * "not a readable GIS file", whatever is on the stack. */
static void test_vsimem_missing_source(void **state)
{
    (void)state;
    /* open_source() once declared `struct stat sb;`, filled it only when
     * stat() succeeded but let /vsi... paths through when it failed, and
     * read sb.st_mode and sb.st_size uninitialised when GDAL could not
     * open the path (valgrind: "Conditional jump or move depends on
     * uninitialised value(s) at open_source"): the message said "a
     * folder" or "empty file" at random. The plain message is the check;
     * scripts/valgrind shows the read itself. */
    sg_ctx *ctx = sg_ctx_new();
    sg_store *s = sg_test_store_new(ctx, "vsi.sqlite", 32632);
    assert_non_null(s);
    assert_sg_status(
        ctx,
        sg_import(ctx, s, "households", "/vsimem/no/such.geojson", NULL, NULL),
        SG_ERR_IO_FORMAT);
    assert_contains(sg_ctx_errmsg(ctx), "not a readable GIS file");
    sg_store_close(s);
    sg_ctx_free(ctx);
}

/* 1 if another process that opens and closes the store finds itself its
 * last user: it then checkpoints and deletes the -wal and -shm files
 * (SQLite does that when it gets an EXCLUSIVE lock on the database file
 * at close). With our connection open that must never happen. */
static int other_process_deletes_wal(const char *path)
{
    char cmd[1200], shm[1100];
    struct stat sb;
    snprintf(shm, sizeof shm, "%s-shm", path);
    if (stat(shm, &sb) != 0)
        return -1; /* no -shm to begin with: cannot tell */
    snprintf(cmd, sizeof cmd,
             "sqlite3 '%s' 'SELECT count(*) FROM households' >/dev/null 2>&1",
             path);
    if (system(cmd) != 0)
        return -1;
    return stat(shm, &sb) != 0;
}

/* sg_export must not open the store a second time (GDAL did) while the
 * caller's connection is open: that must not cost the caller's
 * connection its lock on the database file. */
static void test_export_keeps_store_locks(void **state)
{
    (void)state;
    sg_ctx *ctx = sg_ctx_new();
    sg_store *s = sg_test_store_new(ctx, "locks.sqlite", 32632);
    assert_non_null(s);
    sg_test_write_file(
        sg_test_path("locks.geojson"),
        "{\"type\": \"FeatureCollection\", \"features\": ["
        "{\"type\": \"Feature\", \"properties\": "
        "{\"household_id\": \"L1\", \"resident_population\": 2}, \"geometry\": "
        "{\"type\": \"Point\", \"coordinates\": "
        "[9.53, 47.21]}}]}");
    assert_sg_status(ctx,
                     sg_import(ctx, s, "households",
                               sg_test_path("locks.geojson"), NULL, NULL),
                     SG_OK);
    assert_int_equal(sg__store_count(ctx, s, "households"), 1);
    /* control: with only our connection open, the other process is not
     * the last user */
    assert_int_equal(other_process_deletes_wal(sg_store_path(s)), 0);
    sg_export_options *eo = sg_export_options_new();
    assert_sg_status(
        ctx,
        sg_export(ctx, s, "households", sg_test_path("locks.csv"), eo, NULL),
        SG_OK);
    sg_export_options_free(eo);
    int lost = other_process_deletes_wal(sg_store_path(s));
    /* sg_export reads through the store's own connection: no second
     * open and close of the store file drops this process's POSIX locks,
     * so the other process is still not the last user (issue 17) */
    assert_int_equal(lost, 0);
    sg_store_close(s);
    sg_ctx_free(ctx);
}

/* Every run record is JSON whatever LC_NUMERIC says: under de_DE.UTF-8
 * (decimal comma) run records were once written with printf("%g") as
 * "per_road_km_village":0,75. The locale is installed by
 * scripts/install-deps; without it this test fails (never skips). */
static void test_run_records_locale(void **state)
{
    (void)state;
    const char *de = setlocale(LC_NUMERIC, "de_DE.UTF-8");
    if (!de)
        fail_msg("the de_DE.UTF-8 locale is missing: run scripts/install-deps");
    char buf[16];
    snprintf(buf, sizeof buf, "%.2f", 0.75);
    assert_string_equal(buf, "0,75"); /* the locale really is in force */
    sg_ctx *ctx = sg_ctx_new();
    sg_store *s = sg_test_store_new(ctx, "locale-runs.sqlite", 0);
    assert_non_null(s);
    static const char *const layers[] = {"divisions", "roads", "points",
                                         "households"};
    for (size_t i = 0; i < 4; i++) {
        char src[4200];
        snprintf(src, sizeof src, "%s/data/demo/%s.geojson",
                 sg_test_source_dir(), layers[i]);
        assert_sg_status(ctx, sg_import(ctx, s, layers[i], src, NULL, NULL),
                         SG_OK);
    }
    sg_staffing_result *sr = NULL;
    assert_sg_status(ctx, sg_staffing(ctx, s, NULL, &sr), SG_OK);
    sg_staffing_result_free(sr);
    sg_network_result *nr = NULL;
    assert_sg_status(ctx, sg_network(ctx, s, NULL, &nr), SG_OK);
    sg_network_result_free(nr);
    sg_coverage_result *cr = NULL;
    sg_coverage_options *co = sg_coverage_options_new();
    assert_sg_status(ctx, sg_coverage(ctx, s, co, &cr), SG_OK);
    sg_coverage_result_free(cr);
    sg_coverage_options_free(co);
    sg_check_result *kr = NULL;
    assert_sg_status(ctx, sg_check(ctx, s, NULL, &kr), SG_OK);
    sg_check_result_free(kr);
    /* the library's own writer too */
    sg_json j;
    sg_json_begin(&j, NULL);
    sg_json_object(&j, NULL);
    sg_json_num(&j, "x", 0.75);
    sg_json_str(&j, "q", "a\"b\\c\n\x01 \xc0\xaf");
    sg_json_end_object(&j);
    char *text = sg_json_finish_string(&j);
    assert_string_equal(text, "{\"x\":0.75,\"q\":\"a\\\"b\\\\c\\n\\u0001 "
                              "\xef\xbf\xbd\xef\xbf\xbd\"}");
    sg_free(text);
    const char *db = sg_store_path(s);
    char *rows = sg_test_sql_rows(db, "SELECT command || char(9) || params "
                                      "|| char(9) || counts FROM runs "
                                      "ORDER BY run_id");
    setlocale(LC_NUMERIC, "C");
    int nrows = 0, staffing = 0;
    for (char *line = strtok(rows, "\n"); line; line = strtok(NULL, "\n")) {
        char *t1 = strchr(line, '\t');
        assert_non_null(t1);
        char *t2 = strchr(t1 + 1, '\t');
        assert_non_null(t2);
        *t1 = *t2 = '\0';
        json_error_t err;
        json_t *p = json_loads(t1 + 1, 0, &err);
        if (!p)
            fail_msg("%s params are not JSON (%s): %s", line, err.text, t1 + 1);
        json_t *c = json_loads(t2 + 1, 0, &err);
        if (!c)
            fail_msg("%s counts are not JSON (%s): %s", line, err.text, t2 + 1);
        if (strcmp(line, "staffing") == 0) {
            /* cleaner.per_road_km.village = 0.75 (data/sql/0001_init.sql) */
            assert_true(json_number_value(
                            json_object_get(p, "per_road_km_village")) == 0.75);
            staffing++;
        }
        json_decref(p);
        json_decref(c);
        nrows++;
    }
    free(rows);
    assert_int_equal(nrows, 4 + 4); /* 4 imports, 4 analyses */
    assert_int_equal(staffing, 1);
    sg_store_close(s);
    sg_ctx_free(ctx);
}

static int setup(void **state)
{
    (void)state;
    sg_library_init();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    sg_test_sql_close();
    sg_library_shutdown();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hostile_identifiers),
        cmocka_unit_test(test_busy_writer),
        cmocka_unit_test(test_cancelled_import),
        cmocka_unit_test(test_wrong_type_reason),
        cmocka_unit_test(test_utf8_strict),
        cmocka_unit_test(test_run_records_locale),
        cmocka_unit_test(test_vsimem_missing_source),
        cmocka_unit_test(test_export_keeps_store_locks),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
