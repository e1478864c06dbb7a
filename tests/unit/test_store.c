/* Tests of the store: creation, schema versioning and migrations, the
 * working CRS, settings, read-only and foreign files; and the field
 * registry's agreement with data/sql.
 * SPDX-License-Identifier: MIT */
#include <sqlite3.h>
#include <spatialite.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cpl_conv.h>

#include "helpers.h"
#include "io/io_int.h"
#include "store/migrations_int.h"
#include "store/store_sqlite_int.h"

static sg_ctx *ctx;

static int group_setup(void **state)
{
    (void)state;
    sg_library_init();
    ctx = sg_ctx_new();
    return ctx ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    sg_ctx_free(ctx);
    sg_library_shutdown();
    return 0;
}

/* Raw SQL on a file, without the code under test. */
static void raw_exec(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    char *err = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
        fail_msg("%s: %s", sql, err);
    sqlite3_close(db);
}

static void test_schema_version_matches_migrations(void **state)
{
    (void)state;
    assert_true(sg__migration_count >= 1);
    assert_int_equal(sg__migrations[sg__migration_count - 1].version,
                     SG_DB_SCHEMA_VERSION);
    for (size_t i = 0; i < sg__migration_count; i++)
        assert_int_equal(sg__migrations[i].version, (int)i + 1);
}

/* The PostgreSQL dialect (data/sql/pg) has a migration for every
 * SQLite one, with the same numbers and file names: a migration added to
 * one side only would leave the backends on different schemas. */
static void test_pg_migrations_match(void **state)
{
    (void)state;
    assert_int_equal(sg__pg_migration_count, sg__migration_count);
    for (size_t i = 0; i < sg__pg_migration_count; i++) {
        assert_int_equal(sg__pg_migrations[i].version,
                         sg__migrations[i].version);
        assert_string_equal(sg__pg_migrations[i].name, sg__migrations[i].name);
    }
}

static void test_create_sets_pragmas(void **state)
{
    (void)state;
    const char *p = sg_test_path("create.sqlite");
    sg_store *s = NULL;
    assert_int_equal(sg_store_create(ctx, p, 0, &s), SG_OK);
    assert_int_equal(sg_store_schema_version(s), SG_DB_SCHEMA_VERSION);
    assert_int_equal(sg_store_srid(s), 0);
    sg_store_close(s);
    assert_int_equal((int)sg_test_sql_number(p, "PRAGMA application_id"),
                     SG_DB_APPLICATION_ID);
    assert_int_equal((int)sg_test_sql_number(p, "PRAGMA user_version"),
                     SG_DB_SCHEMA_VERSION);
    assert_string_equal(sg_test_sql_text(p, "PRAGMA journal_mode"), "wal");
    /* no geometry columns until the CRS is known */
    assert_int_equal(
        (int)sg_test_sql_number(p, "SELECT count(*) FROM geometry_columns"), 0);
    /* creating over an existing file is refused, the file kept */
    assert_int_equal(sg_store_create(ctx, p, 0, &s), SG_ERR_DB_EXISTS);
    assert_null(s);
    assert_non_null(strstr(sg_ctx_errmsg(ctx), "already exists"));
}

/* Every input layer's columns agree with the field registry. */
static void test_registry_matches_schema(void **state)
{
    (void)state;
    const char *p = sg_test_path("registry.sqlite");
    sg_store *s = NULL;
    assert_int_equal(sg_store_create(ctx, p, 4545, &s), SG_OK);
    sg_store_close(s);
    for (const char *const *n = sg_input_layer_names(); *n; n++) {
        const sg__layer_def *def = sg__layer_def_find(*n);
        assert_non_null(def);
        char sql[256];
        snprintf(sql, sizeof sql,
                 "SELECT group_concat(name, ',') FROM (SELECT name FROM "
                 "pragma_table_info('%s') WHERE name NOT IN ('fid', 'geom') "
                 "ORDER BY cid)",
                 *n);
        char expect[1024] = "";
        for (size_t i = 0; i < def->nfields; i++) {
            if (i)
                strcat(expect, ",");
            strcat(expect, def->fields[i].name);
        }
        assert_string_equal(sg_test_sql_text(p, sql), expect);
        snprintf(sql, sizeof sql,
                 "SELECT upper(geometry_type) FROM sg_layers WHERE name='%s'",
                 *n);
        assert_string_equal(sg_test_sql_text(p, sql),
                            def->geom_type ? def->geom_type : "");
    }
}

static void test_set_srid(void **state)
{
    (void)state;
    const char *p = sg_test_path("srid.sqlite");
    sg_store *s = NULL;
    assert_int_equal(sg_store_create(ctx, p, 0, &s), SG_OK);
    /* geographic, not metric */
    assert_int_equal(sg_store_set_srid(ctx, s, 4326), SG_ERR_CRS);
    assert_int_equal(sg_store_set_srid(ctx, s, 999999), SG_ERR_CRS);
    assert_int_equal(sg_store_srid(s), 0);
    assert_int_equal(sg_store_set_srid(ctx, s, 4548), SG_OK);
    assert_int_equal(sg_store_set_srid(ctx, s, 4549), SG_ERR_CRS);
    assert_int_equal(sg_store_srid(s), 4548);
    sg_store_close(s);
    /* six geometry layers, each with its SRID and a spatial index */
    assert_int_equal((int)sg_test_sql_number(
                         p, "SELECT count(*) FROM geometry_columns WHERE "
                            "srid = 4548 AND spatial_index_enabled = 1"),
                     6);
    assert_int_equal(
        (int)sg_test_sql_number(p, "SELECT count(*) FROM sqlite_master WHERE "
                                   "name LIKE 'idx_%_geom'"),
        6);
    /* reopened, the CRS is remembered */
    assert_int_equal(sg_store_open(ctx, p, 0, &s), SG_OK);
    assert_int_equal(sg_store_srid(s), 4548);
    sg_store_close(s);
}

/* A store of schema version 0 (created by an older sanigrid before any
 * migration ran) is upgraded on open. */
static void test_migration_from_v0(void **state)
{
    (void)state;
    const char *p = sg_test_path("v0.sqlite");
    char sql[128];
    snprintf(sql, sizeof sql,
             "PRAGMA application_id = %d; "
             "CREATE TABLE scratch(x);",
             SG_DB_APPLICATION_ID);
    raw_exec(p, sql);
    sg_store *s = NULL;
    assert_int_equal(sg_store_open(ctx, p, SG_STORE_READONLY, &s),
                     SG_ERR_DB_READONLY);
    assert_int_equal(sg_store_open(ctx, p, 0, &s), SG_OK);
    assert_int_equal(sg_store_schema_version(s), SG_DB_SCHEMA_VERSION);
    sg_store_close(s);
    assert_int_equal((int)sg_test_sql_number(p, "PRAGMA user_version"),
                     SG_DB_SCHEMA_VERSION);
    assert_int_equal(
        (int)sg_test_sql_number(p, "SELECT count(*) FROM settings WHERE key = "
                                   "'cleaner.per_residents'"),
        1);
    /* the unrelated table survived */
    assert_int_equal(
        (int)sg_test_sql_number(p, "SELECT count(*) FROM sqlite_master WHERE "
                                   "name = 'scratch'"),
        1);
}

/* A store of schema 1 (before the limits settings of 0002) opens
 * read-only as it is, so that export, render and report work on it; a
 * writable open upgrades it. */
static void test_readonly_older_store(void **state)
{
    (void)state;
    sg_store *s = NULL;
    const char *p = sg_test_path("v1.sqlite");
    assert_int_equal(sg_store_create(ctx, p, 0, &s), SG_OK);
    sg_store_close(s);
    raw_exec(p, "DELETE FROM settings WHERE key LIKE 'limits.%'; "
                "PRAGMA user_version = 1");
    assert_int_equal(sg_store_open(ctx, p, SG_STORE_READONLY, &s), SG_OK);
    assert_int_equal(sg_store_schema_version(s), 1);
    sg_store_close(s);
    assert_int_equal((int)sg_test_sql_number(p, "PRAGMA user_version"), 1);
    assert_int_equal(sg_store_open(ctx, p, 0, &s), SG_OK);
    assert_int_equal(sg_store_schema_version(s), SG_DB_SCHEMA_VERSION);
    sg_store_close(s);
}

static void test_refuses_newer_and_foreign(void **state)
{
    (void)state;
    sg_store *s = NULL;
    const char *p = sg_test_path("new.sqlite");
    assert_int_equal(sg_store_create(ctx, p, 0, &s), SG_OK);
    sg_store_close(s);
    raw_exec(p, "PRAGMA user_version = 99");
    assert_int_equal(sg_store_open(ctx, p, 0, &s), SG_ERR_DB_TOO_NEW);
    assert_null(s);
    assert_non_null(strstr(sg_ctx_errmsg(ctx), "newer"));

    const char *plain = sg_test_path("plain.sqlite");
    raw_exec(plain, "CREATE TABLE t(x)");
    assert_int_equal(sg_store_open(ctx, plain, 0, &s), SG_ERR_DB_NOT_STORE);
    assert_non_null(strstr(sg_ctx_errmsg(ctx), "not a sanigrid store"));

    const char *text = sg_test_path("text.geojson");
    sg_test_write_file(text, "{\"type\": \"FeatureCollection\", "
                             "\"features\": []}\n");
    assert_int_equal(sg_store_open(ctx, text, 0, &s), SG_ERR_DB_NOT_STORE);
    assert_int_equal(sg_store_open(ctx, sg_test_path("missing.sqlite"), 0, &s),
                     SG_ERR_IO_OPEN);
    assert_non_null(strstr(sg_ctx_errmsg(ctx), "missing.sqlite"));
}

static void test_settings(void **state)
{
    (void)state;
    const char *p = sg_test_path("settings.sqlite");
    sg_store *s = NULL;
    char *v = NULL;
    double d = 0;
    assert_int_equal(sg_store_create(ctx, p, 0, &s), SG_OK);
    /* DOMAIN.md section 2 defaults */
    assert_int_equal(sg_setting_get(ctx, s, "cleaner.per_residents", &v),
                     SG_OK);
    assert_string_equal(v, "300");
    sg_free(v);
    assert_int_equal(sg_setting_get_double(
                         ctx, s, "collection_point.radius_m.clustered", &d),
                     SG_OK);
    assert_true(d == 120.0);
    assert_int_equal(
        sg_setting_get_double(ctx, s, "public_toilet.radius_m.town", &d),
        SG_OK);
    assert_true(d == 300.0);
    /* typed writes */
    assert_int_equal(sg_setting_set(ctx, s, "cleaner.per_residents", "500"),
                     SG_OK);
    assert_int_equal(sg_setting_set(ctx, s, "cleaner.per_residents", "abc"),
                     SG_ERR_USAGE);
    assert_int_equal(sg_setting_set(ctx, s, "cleaner.min_per_village", "1.5"),
                     SG_ERR_USAGE);
    assert_int_equal(
        sg_setting_set(ctx, s, "cleaner.population_basis", "registered"),
        SG_OK);
    assert_int_equal(
        sg_setting_set(ctx, s, "cleaner.population_basis", "tourists"),
        SG_ERR_USAGE);
    assert_int_equal(sg_setting_set(ctx, s, "no.such.key", "1"),
                     SG_ERR_NOT_FOUND);
    assert_int_equal(sg_setting_get(ctx, s, "no.such.key", &v),
                     SG_ERR_NOT_FOUND);
    sg_store_close(s);
    assert_string_equal(sg_test_sql_text(p, "SELECT value FROM settings "
                                            "WHERE key = "
                                            "'cleaner.per_residents'"),
                        "500");
    assert_int_equal(sg_store_open(ctx, p, 0, &s), SG_OK);
    assert_int_equal(sg_setting_set(ctx, s, "cleaner.per_residents", NULL),
                     SG_OK);
    assert_int_equal(sg_setting_get(ctx, s, "cleaner.per_residents", &v),
                     SG_OK);
    assert_string_equal(v, "300");
    sg_free(v);
    sg_store_close(s);
}

static void test_readonly_file(void **state)
{
    (void)state;
    const char *p = sg_test_path("ro.sqlite");
    sg_store *s = NULL;
    assert_int_equal(sg_store_create(ctx, p, 4545, &s), SG_OK);
    sg_store_close(s);
    assert_int_equal(chmod(p, 0444), 0);
    assert_int_equal(sg_store_open(ctx, p, 0, &s), SG_OK);
    assert_int_equal(sg_setting_set(ctx, s, "cleaner.per_residents", "400"),
                     SG_ERR_DB_READONLY);
    assert_non_null(strstr(sg_ctx_errmsg(ctx), "read-only"));
    sg_store_close(s);
    chmod(p, 0644);
    assert_string_equal(sg_test_sql_text(p, "SELECT value FROM settings "
                                            "WHERE key = "
                                            "'cleaner.per_residents'"),
                        "300");
}

/* Status table: names and messages for every code. */
static void test_status_strings(void **state)
{
    (void)state;
    assert_string_equal(sg_status_str(SG_OK), "success");
    assert_string_equal(sg_status_name(SG_ERR_DB_TOO_NEW), "SG_ERR_DB_TOO_NEW");
    assert_string_equal(sg_status_str((sg_status)12345), "unknown status");
}

/* Enum synonyms: canonical values map to themselves, Chinese and OSM
 * spellings to the canonical value, others are refused. */
static void test_enum_normalise(void **state)
{
    (void)state;
    const sg__layer_def *roads = sg__layer_def_find("roads");
    const sg__layer_def *hh = sg__layer_def_find("households");
    const sg__layer_def *div = sg__layer_def_find("divisions");
    const sg__layer_def *grids = sg__layer_def_find("grids");
    const sg__field_def *cls = &roads->fields[2];
    const sg__field_def *toilet = &hh->fields[6];
    const sg__field_def *dlevel = &div->fields[2];
    const sg__field_def *glevel = &grids->fields[2];
    assert_string_equal(cls->name, "class");
    assert_string_equal(toilet->name, "household_toilet");
    const char *canon[] = {"national", "provincial", "county", "township",
                           "village",  "lane",       "other"};
    for (size_t i = 0; i < 7; i++)
        assert_string_equal(sg__enum_normalise(cls, canon[i]), canon[i]);
    assert_string_equal(sg__enum_normalise(cls, "国道"), "national");
    assert_string_equal(sg__enum_normalise(cls, " 村道 "), "village");
    assert_string_equal(sg__enum_normalise(cls, "residential"), "village");
    assert_string_equal(sg__enum_normalise(cls, "Secondary"), "county");
    assert_null(sg__enum_normalise(cls, "highway to hell"));
    assert_string_equal(sg__enum_normalise(toilet, "卫生厕所"), "sanitary");
    assert_string_equal(sg__enum_normalise(toilet, "旱厕"), "unsanitary");
    assert_string_equal(sg__enum_normalise(toilet, "none"), "none");
    assert_string_equal(sg__enum_normalise(dlevel, "行政村"), "admin_village");
    assert_string_equal(sg__enum_normalise(dlevel, "group"), "group");
    assert_null(sg__enum_normalise(dlevel, "一级"));
    assert_string_equal(sg__enum_normalise(glevel, "2"), "2");
    assert_string_equal(sg__enum_normalise(glevel, "一级"), "1");
    assert_null(sg__enum_normalise(glevel, "行政村"));
    assert_null(sg__enum_normalise(glevel, "4"));
}

static void test_dates(void **state)
{
    (void)state;
    char d[11];
    assert_true(sg__date_normalise("2026-11-03", d));
    assert_string_equal(d, "2026-11-03");
    assert_true(sg__date_normalise("2026/11/3", d));
    assert_string_equal(d, "2026-11-03");
    assert_true(sg__date_normalise("2026.1.9", d));
    assert_string_equal(d, "2026-01-09");
    assert_true(sg__date_normalise("20261103", d));
    assert_string_equal(d, "2026-11-03");
    assert_true(sg__date_normalise("2026年11月3日", d));
    assert_string_equal(d, "2026-11-03");
    assert_true(sg__date_normalise("2026-11-03 09:30:00", d));
    assert_string_equal(d, "2026-11-03");
    /* Excel serial days count from 1899-12-30 (for serials after Excel's
     * fictitious 1900-02-29): 45000 = 2023-03-15, 46000 = 2025-12-09
     * (checked with Python: date(1899,12,30) + timedelta(n)) */
    assert_true(sg__date_normalise("45000", d));
    assert_string_equal(d, "2023-03-15");
    assert_true(sg__date_normalise("46000", d));
    assert_string_equal(d, "2025-12-09");
    assert_false(sg__date_normalise("2026-02-30", d));
    assert_false(sg__date_normalise("2024-13-01", d));
    assert_true(sg__date_normalise("2024-02-29", d));
    assert_false(sg__date_normalise("2023-02-29", d));
    assert_false(sg__date_normalise("yesterday", d));
}

static void test_text_decoding(void **state)
{
    (void)state;
    /* 张家村 in GBK: D5C5 BCD2 B4E5 */
    const char gbk[] = "\xD5\xC5\xBC\xD2\xB4\xE5";
    const char *used = NULL;
    assert_false(sg__utf8_valid(gbk));
    char *s = sg__to_utf8(gbk, NULL, &used);
    assert_string_equal(s, "张家村");
    assert_string_equal(used, "CP936");
    CPLFree(s);
    s = sg__to_utf8("张家村", NULL, &used);
    assert_string_equal(s, "张家村");
    assert_string_equal(used, "UTF-8");
    CPLFree(s);
    s = sg__to_utf8(gbk, "GBK", &used);
    assert_string_equal(s, "张家村");
    CPLFree(s);
    assert_true(sg__alias_match("a|常住人口|人口", " 常住人口 "));
    assert_false(sg__alias_match("a|常住人口", "常住"));
}

/* Raw SQL on a file with SpatiaLite's functions, without the code under
 * test. */
static void raw_exec_spatial(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    void *cache = spatialite_alloc_connection();
    spatialite_init_ex(db, cache, 0);
    char *err = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
        fail_msg("%s: %s", sql, err);
    sqlite3_close(db);
    spatialite_cleanup_ex(cache);
}

/* Nested sg__store_begin joins the outer transaction: an inner commit
 * ends its level only, an inner rollback makes the outer commit fail and
 * undo everything. */
static void test_nested_transactions(void **state)
{
    (void)state;
    const char *p = sg_test_path("nested.sqlite");
    sg_store *s = NULL;
    assert_int_equal(sg_store_create(ctx, p, 0, &s), SG_OK);
    assert_int_equal(sg__store_begin(ctx, s), SG_OK);
    assert_int_equal(sg_setting_set(ctx, s, "cleaner.per_residents", "400"),
                     SG_OK);
    assert_int_equal(sg__store_begin(ctx, s), SG_OK);
    assert_int_equal(sg_setting_set(ctx, s, "cleaner.per_residents", "500"),
                     SG_OK);
    assert_int_equal(sg__store_commit(ctx, s), SG_OK);
    /* still inside the outer transaction: not visible elsewhere */
    assert_string_equal(sg_test_sql_text(p, "SELECT value FROM settings "
                                            "WHERE key = "
                                            "'cleaner.per_residents'"),
                        "300");
    assert_int_equal(sg__store_commit(ctx, s), SG_OK);
    assert_string_equal(sg_test_sql_text(p, "SELECT value FROM settings "
                                            "WHERE key = "
                                            "'cleaner.per_residents'"),
                        "500");
    /* an inner rollback dooms the outer transaction */
    assert_int_equal(sg__store_begin(ctx, s), SG_OK);
    assert_int_equal(sg_setting_set(ctx, s, "cleaner.per_residents", "600"),
                     SG_OK);
    assert_int_equal(sg__store_begin(ctx, s), SG_OK);
    sg__store_rollback(s);
    assert_sg_status(ctx, sg__store_commit(ctx, s), SG_ERR_DB);
    assert_string_equal(sg_test_sql_text(p, "SELECT value FROM settings "
                                            "WHERE key = "
                                            "'cleaner.per_residents'"),
                        "500");
    /* and the store takes new transactions afterwards */
    assert_int_equal(sg__store_begin(ctx, s), SG_OK);
    assert_int_equal(sg__store_commit(ctx, s), SG_OK);
    sg_store_close(s);
}

/* A writer whose connection read the schema before another connection
 * changed it (dropping and re-creating a layer with SpatiaLite triggers,
 * as every analysis does with its result layers) deletes rows of a
 * table with triggers after taking the lock: SQLite 3.40 reported "no
 * such table: households" for this until sg__store_begin re-read the
 * schema. */
static void test_schema_changed_by_other_writer(void **state)
{
    (void)state;
    const char *p = sg_test_path("schema2.sqlite");
    sg_store *s = NULL;
    assert_int_equal(sg_store_create(ctx, p, 32632, &s), SG_OK);
    assert_int_equal(sg__store_count(ctx, s, "households"), 0);
    raw_exec_spatial(p,
                     "CREATE TABLE other (fid INTEGER PRIMARY KEY);"
                     "SELECT AddGeometryColumn('other', 'geom', 32632, 'POINT',"
                     " 'XY');"
                     "SELECT CreateSpatialIndex('other', 'geom');");
    assert_int_equal(sg__store_begin(ctx, s), SG_OK);
    assert_sg_status(ctx, sg__store_clear_layer(ctx, s, "households"), SG_OK);
    assert_int_equal(sg__store_commit(ctx, s), SG_OK);
    sg_store_close(s);
}

/* Rows written through an sg__insert come back through sg__store_scan and
 * the sg__rows cursor, typed, in order, filtered; the expectations are the
 * values written here. */
static void test_rows_and_inserts(void **state)
{
    (void)state;
    const char *p = sg_test_path("rows.sqlite");
    sg_store *s = NULL;
    assert_int_equal(sg_store_create(ctx, p, 32632, &s), SG_OK);
    const char *cols[] = {"date", "unit_code", "score", "notes"};
    sg__insert *ins = NULL;
    assert_int_equal(sg__store_begin(ctx, s), SG_OK);
    assert_int_equal(
        sg__store_prepare_insert(ctx, s, "inspections", cols, 4, &ins), SG_OK);
    char buf[16];
    for (int i = 0; i < 3; i++) {
        snprintf(buf, sizeof buf, "2026-01-0%d", i + 1);
        sg__insert_text(ins, 1, buf);
        snprintf(buf, sizeof buf, "U%d", i % 2); /* copied when bound */
        sg__insert_text(ins, 2, buf);
        sg__insert_double(ins, 3, 80.5 + i);
        if (i == 1)
            sg__insert_null(ins, 4);
        else
            sg__insert_text(ins, 4, "ok");
        assert_sg_status(ctx, sg__insert_step(ctx, s, ins), SG_OK);
    }
    sg__insert_free(ins);
    assert_int_equal(sg__store_commit(ctx, s), SG_OK);

    sg__rows *rows = NULL;
    sg__row *row = NULL;
    const char *rcols[] = {"unit_code", "score", "notes"};
    assert_sg_status(ctx,
                     sg__store_rows_open(ctx, s, "inspections", rcols, 3, 0,
                                         "unit_code", "U0", &rows),
                     SG_OK);
    assert_int_equal(sg__rows_next(ctx, rows, &row), 1);
    assert_string_equal(sg__row_text(row, 0), "U0");
    assert_true(sg__row_double(row, 1) == 80.5);
    assert_int_equal(sg__row_type(row, 1), SG_VAL_REAL);
    assert_string_equal(sg__row_text(row, 2), "ok");
    assert_int_equal(sg__rows_next(ctx, rows, &row), 1);
    assert_true(sg__row_double(row, 1) == 82.5);
    assert_int_equal(sg__rows_next(ctx, rows, &row), 0);
    assert_null(row);
    assert_int_equal(sg__rows_next(ctx, rows, &row), 0);
    sg__rows_close(rows);
    /* all rows; the middle one has no notes */
    assert_sg_status(ctx,
                     sg__store_rows_open(ctx, s, "inspections", rcols, 3, 0,
                                         NULL, NULL, &rows),
                     SG_OK);
    int n = 0;
    while (sg__rows_next(ctx, rows, &row) == 1) {
        assert_int_equal(sg__row_is_null(row, 2), n == 1);
        assert_int_equal(sg__row_text(row, 2) == NULL, n == 1);
        n++;
    }
    assert_int_equal(n, 3);
    sg__rows_close(rows);
    /* closing early ends the read: a writer can commit */
    assert_sg_status(ctx,
                     sg__store_rows_open(ctx, s, "inspections", rcols, 3, 0,
                                         NULL, NULL, &rows),
                     SG_OK);
    assert_int_equal(sg__rows_next(ctx, rows, &row), 1);
    sg__rows_close(rows);
    /* an unknown layer fails at open */
    assert_int_not_equal(sg__store_rows_open(ctx, s, "no_such_layer", rcols, 1,
                                             0, NULL, NULL, &rows),
                         SG_OK);
    assert_null(rows);
    sg_store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_schema_version_matches_migrations),
        cmocka_unit_test(test_pg_migrations_match),
        cmocka_unit_test(test_create_sets_pragmas),
        cmocka_unit_test(test_readonly_older_store),
        cmocka_unit_test(test_registry_matches_schema),
        cmocka_unit_test(test_set_srid),
        cmocka_unit_test(test_migration_from_v0),
        cmocka_unit_test(test_refuses_newer_and_foreign),
        cmocka_unit_test(test_settings),
        cmocka_unit_test(test_readonly_file),
        cmocka_unit_test(test_status_strings),
        cmocka_unit_test(test_enum_normalise),
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_text_decoding),
        cmocka_unit_test(test_nested_transactions),
        cmocka_unit_test(test_schema_changed_by_other_writer),
        cmocka_unit_test(test_rows_and_inserts),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
