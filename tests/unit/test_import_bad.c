/* Unit tests of sg_import's failure paths and options (STYLE rule 29):
 * atomicity (a failed, rejected or cancelled import leaves the store as
 * it was), bad inputs (missing, unsupported, truncated, empty, wrong
 * geometry, unknown CRS, swapped lon/lat, read-only or foreign store),
 * field mapping, replace/append modes, inspection dates, unknown layers
 * and invalid UTF-8. Fixtures and helpers: import_helpers.c. Results are
 * checked independently, with SQL (SpatiaLite) on the store or with OGR.
 * Not for: each format's happy path (test_import.c).
 * SPDX-License-Identifier: MIT */
#include <cpl_conv.h>
#include <cpl_string.h>
#include <cpl_vsi.h>
#include <gdal.h>
#include <math.h>
#include <ogr_api.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "import_helpers.h"

/* ---- atomicity ----------------------------------------------------------- */

/* Progress callback that cancels once the import is under way. */
static int cancel_midway(double complete, const char *msg, void *user)
{
    (void)msg;
    int *calls = user;
    (*calls)++;
    return !(complete > 0.0 && complete < 1.0);
}

/* A store with households; imports that fail at open (truncated
 * GeoJSON), that reject every feature (also in replace mode), and that
 * are cancelled after 1024 of 1100 rows leave rows, geometries and the
 * run record exactly as they were. */
static void test_atomic_failures(void **state)
{
    sg_ctx *ctx = *state;
    sg_store *s = sg_test_store_new(ctx, "atomic.sqlite", 0);
    const char *db = sg_store_path(s);
    const char *good = fixture("atomic.geojson", BEIJING_HOUSEHOLDS);
    sg_import_result *r = import_ok(ctx, s, "households", good, NULL);
    sg_import_result_free(r);
    char *before = households_checksum(db);
    assert_contains(before, "BJ003");

    /* truncated GeoJSON: fails at open */
    char trunc[4096];
    size_t half = strlen(BEIJING_HOUSEHOLDS) * 6 / 10;
    memcpy(trunc, BEIJING_HOUSEHOLDS, half);
    trunc[half] = '\0';
    const char *bad = fixture("atomic_trunc.geojson", trunc);
    r = NULL;
    assert_sg_status(ctx, sg_import(ctx, s, "households", bad, NULL, &r),
                     SG_ERR_IO_FORMAT);
    assert_null(r);
    char *after = households_checksum(db);
    assert_string_equal(after, before);
    free(after);

    /* every feature rejected, in replace mode: nothing deleted */
    const char *allbad = fixture(
        "atomic_allbad.geojson",
        "{\"type\":\"FeatureCollection\",\"features\":["
        "{\"type\":\"Feature\",\"properties\":{\"household_id\":\"X1\","
        "\"resident_population\":\"abc\"},\"geometry\":{\"type\":\"Point\","
        "\"coordinates\":[116.40,39.90]}},"
        "{\"type\":\"Feature\",\"properties\":{\"household_id\":\"X2\","
        "\"resident_population\":\"-1\"},\"geometry\":{\"type\":\"Point\","
        "\"coordinates\":[116.41,39.91]}}]}");
    sg_import_options *o = sg_import_options_new();
    sg_import_options_set_replace(ctx, o, 1);
    r = NULL;
    assert_sg_status(ctx, sg_import(ctx, s, "households", allbad, o, &r),
                     SG_ERR_INPUT);
    assert_non_null(r);
    assert_int_equal(r->rejected, 2);
    assert_int_equal(r->imported, 0);
    sg_import_result_free(r);
    sg_import_options_free(o);
    assert_contains(sg_ctx_errmsg(ctx), "atomic_allbad.geojson");
    after = households_checksum(db);
    assert_string_equal(after, before);
    free(after);

    /* cancelled midway through 1100 rows (progress comes every 1024) */
    size_t cap = 1100 * 64 + 128, len = 0;
    char *csv = malloc(cap);
    assert_non_null(csv);
    len += (size_t)snprintf(csv + len, cap - len,
                            "household_id,lon,lat,resident_population\n");
    for (int i = 0; i < 1100; i++)
        len += (size_t)snprintf(csv + len, cap - len, "C%04d,%.6f,%.6f,%d\n", i,
                                116.30 + i * 1e-4, 39.85 + i * 5e-5, i % 7);
    const char *big = fixture("atomic_big.csv", csv);
    free(csv);
    int calls = 0;
    sg_ctx_set_progress(ctx, cancel_midway, &calls);
    assert_sg_status(ctx, sg_import(ctx, s, "households", big, NULL, NULL),
                     SG_ERR_CANCELLED);
    sg_ctx_set_progress(ctx, NULL, NULL);
    assert_true(calls >= 1);
    after = households_checksum(db);
    assert_string_equal(after, before);
    free(after);
    /* the same file imports when not cancelled: the test could fail */
    r = import_ok(ctx, s, "households", big, NULL);
    assert_int_equal(r->imported, 1100);
    sg_import_result_free(r);
    after = households_checksum(db);
    assert_string_not_equal(after, before);
    free(after);
    free(before);
    sg_store_close(s);
}

/* A failing first import leaves the store without a working CRS and
 * without geometry columns, also after reopening; a later import into
 * another region then chooses its own CRS. */
static void test_failed_first_import_keeps_no_crs(void **state)
{
    sg_ctx *ctx = *state;
    sg_store *s = sg_test_store_new(ctx, "nocrs.sqlite", 0);
    char path[4096];
    snprintf(path, sizeof path, "%s", sg_store_path(s));
    const char *allbad = fixture(
        "nocrs_allbad.geojson",
        "{\"type\":\"FeatureCollection\",\"features\":["
        "{\"type\":\"Feature\",\"properties\":{\"household_id\":\"X1\","
        "\"resident_population\":\"abc\"},\"geometry\":{\"type\":\"Point\","
        "\"coordinates\":[116.40,39.90]}}]}");
    sg_import_result *r = NULL;
    assert_sg_status(ctx, sg_import(ctx, s, "households", allbad, NULL, &r),
                     SG_ERR_INPUT);
    assert_non_null(r);
    assert_int_equal(r->srid_chosen, 0);
    sg_import_result_free(r);
    assert_int_equal(sg_store_srid(s), 0);
    assert_int_equal(sg_test_sql_number(path, "SELECT count(*) FROM "
                                              "geometry_columns"),
                     0);
    assert_int_equal(sg_test_sql_number(path, "SELECT count(*) FROM sg_meta "
                                              "WHERE key = 'srid'"),
                     0);
    assert_int_equal(sg_test_sql_number(path, "SELECT count(*) FROM runs"), 0);
    /* truncated file: fails before anything is written */
    const char *trunc = fixture("nocrs_trunc.geojson",
                                "{\"type\":\"FeatureCollection\",\"features\":"
                                "[{\"type\":\"Feature\",\"properties\":{");
    assert_sg_status(ctx, sg_import(ctx, s, "households", trunc, NULL, NULL),
                     SG_ERR_IO_FORMAT);
    assert_int_equal(sg_store_srid(s), 0);
    sg_store_close(s);
    assert_sg_status(ctx, sg_store_open(ctx, path, 0, &s), SG_OK);
    assert_int_equal(sg_store_srid(s), 0);
    const char *li = fixture(
        "nocrs_li.geojson",
        "{\"type\":\"FeatureCollection\",\"features\":["
        "{\"type\":\"Feature\",\"properties\":{\"household_id\":\"LI1\","
        "\"resident_population\":1},"
        "\"geometry\":{\"type\":\"Point\",\"coordinates\":[9.5209,47.1410]}}"
        "]}");
    r = import_ok(ctx, s, "households", li, NULL);
    assert_int_equal(r->srid, 32632);
    sg_import_result_free(r);
    assert_int_equal(sg_test_sql_number(path, "SELECT count(*) FROM "
                                              "geometry_columns WHERE "
                                              "srid = 32632"),
                     6);
    sg_store_close(s);
}

/* ---- bad inputs ---------------------------------------------------------- */

/* A store with the Beijing CRS for the error tests. */
static sg_store *beijing_store(sg_ctx *ctx, const char *name)
{
    return sg_test_store_new(ctx, name, 4548);
}

static void test_bad_missing_file(void **state)
{
    sg_ctx *ctx = *state;
    sg_store *s = beijing_store(ctx, "bad_missing.sqlite");
    const char *src = sg_test_path("no_such_file.geojson");
    sg_import_result *r = NULL;
    assert_sg_status(ctx, sg_import(ctx, s, "households", src, NULL, &r),
                     SG_ERR_IO_OPEN);
    assert_null(r);
    assert_contains(sg_ctx_errmsg(ctx), src);
    sg_store_close(s);
}

/* Random text in a .txt and a PNG image: not GIS data. */
static void test_bad_unsupported_format(void **state)
{
    sg_ctx *ctx = *state;
    sg_store *s = beijing_store(ctx, "bad_format.sqlite");
    const char *txt = fixture("random.txt", "kq7 zz%%% ?? lorem ipsum 42\n"
                                            "\x01\x02 not a table\n");
    assert_sg_status(ctx, sg_import(ctx, s, "households", txt, NULL, NULL),
                     SG_ERR_IO_FORMAT);
    assert_contains(sg_ctx_errmsg(ctx), txt);

    /* a 2 x 2 PNG written by GDAL's PNG driver from a MEM raster */
    const char *png = sg_test_path("image.png");
    GDALDriverH mem = GDALGetDriverByName("MEM");
    GDALDriverH pngdrv = GDALGetDriverByName("PNG");
    if (!mem || !pngdrv) {
        print_message("no MEM/PNG driver: PNG case not run\n");
    } else {
        GDALDatasetH m = GDALCreate(mem, "", 2, 2, 1, GDT_Byte, NULL);
        assert_non_null(m);
        GDALDatasetH p = GDALCreateCopy(pngdrv, png, m, 0, NULL, NULL, NULL);
        assert_non_null(p);
        GDALClose(p);
        GDALClose(m);
        assert_true(sg_test_file_contains(png, "PNG"));
        assert_sg_status(ctx, sg_import(ctx, s, "households", png, NULL, NULL),
                         SG_ERR_IO_FORMAT);
        assert_contains(sg_ctx_errmsg(ctx), png);
    }
    assert_int_equal(
        sg_test_sql_number(sg_store_path(s), "SELECT count(*) FROM households"),
        0);
    sg_store_close(s);
}

static void test_bad_truncated_geojson(void **state)
{
    sg_ctx *ctx = *state;
    sg_store *s = beijing_store(ctx, "bad_trunc.sqlite");
    const char *src = fixture(
        "truncated.geojson",
        "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\","
        "\"properties\":{\"household_id\":\"T1\"},\"geometry\":{\"type\":"
        "\"Point\",\"coordinates\":[116.40,");
    assert_sg_status(ctx, sg_import(ctx, s, "households", src, NULL, NULL),
                     SG_ERR_IO_FORMAT);
    assert_contains(sg_ctx_errmsg(ctx), src);
    sg_store_close(s);
}

static void test_bad_empty_layer(void **state)
{
    sg_ctx *ctx = *state;
    sg_store *s = beijing_store(ctx, "bad_empty.sqlite");
    const char *src =
        fixture("empty.geojson", "{\"type\":\"FeatureCollection\","
                                 "\"features\":[]}");
    sg_import_result *r = NULL;
    assert_sg_status(ctx, sg_import(ctx, s, "households", src, NULL, &r),
                     SG_ERR_INPUT);
    assert_contains(sg_ctx_errmsg(ctx), src);
    assert_contains(sg_ctx_errmsg(ctx), "empty");
    sg_import_result_free(r);
    sg_store_close(s);
}

/* A file of lines given as households is refused as a whole. */
static void test_bad_lines_as_households(void **state)
{
    sg_ctx *ctx = *state;
    sg_store *s = beijing_store(ctx, "bad_lines.sqlite");
    const char *src = fixture(
        "lines.geojson",
        "{\"type\":\"FeatureCollection\",\"features\":["
        "{\"type\":\"Feature\",\"properties\":{\"road_id\":\"L1\"},"
        "\"geometry\":{\"type\":\"LineString\",\"coordinates\":[[116.40,"
        "39.90],[116.41,39.91]]}},"
        "{\"type\":\"Feature\",\"properties\":{\"road_id\":\"L2\"},"
        "\"geometry\":{\"type\":\"LineString\",\"coordinates\":[[116.41,"
        "39.90],[116.42,39.91]]}}]}");
    sg_import_result *r = NULL;
    assert_sg_status(ctx, sg_import(ctx, s, "households", src, NULL, &r),
                     SG_ERR_INPUT);
    assert_contains(sg_ctx_errmsg(ctx), src);
    assert_contains(sg_ctx_errmsg(ctx), "line");
    assert_contains(sg_ctx_errmsg(ctx), "households");
    sg_import_result_free(r);
    assert_int_equal(
        sg_test_sql_number(sg_store_path(s), "SELECT count(*) FROM households"),
        0);
    sg_store_close(s);
}

static void test_bad_unknown_crs(void **state)
{
    sg_ctx *ctx = *state;
    sg_store *s = beijing_store(ctx, "bad_crs.sqlite");
    const char *src = fixture("bad_crs.geojson", BEIJING_HOUSEHOLDS);
    sg_import_options *o = sg_import_options_new();
    assert_sg_status(ctx, sg_import_options_set_src_crs(ctx, o, "EPSG:999999"),
                     SG_OK);
    sg_import_result *r = NULL;
    assert_sg_status(ctx, sg_import(ctx, s, "households", src, o, &r),
                     SG_ERR_CRS);
    assert_null(r);
    assert_contains(sg_ctx_errmsg(ctx), "EPSG:999999");
    sg_import_options_free(o);
    sg_store_close(s);
}

/* Latitude in the longitude column: refused with "swapped" when it would
 * choose the CRS; rejected row by row in a store that has one. */
static void test_bad_swapped_latlon(void **state)
{
    sg_ctx *ctx = *state;
    const char *src = fixture("swapped.csv", "household_id,lon,lat\n"
                                             "S1,39.9054321,116.3912345\n"
                                             "S2,39.9154321,116.4012345\n");
    sg_store *s = sg_test_store_new(ctx, "swapped_empty.sqlite", 0);
    sg_import_result *r = NULL;
    assert_sg_status(ctx, sg_import(ctx, s, "households", src, NULL, &r),
                     SG_ERR_INPUT);
    assert_contains(sg_ctx_errmsg(ctx), src);
    assert_contains(sg_ctx_errmsg(ctx), "swapped");
    sg_import_result_free(r);
    assert_int_equal(sg_store_srid(s), 0);
    sg_store_close(s);

    s = beijing_store(ctx, "swapped_bj.sqlite");
    const char *mixed =
        fixture("swapped_mixed.csv", "household_id,lon,lat,人口\n"
                                     "S1,39.9054321,116.3912345,2\n"
                                     "S2,116.4012345,39.9154321,3\n");
    r = import_ok(ctx, s, "households", mixed, NULL);
    assert_int_equal(r->imported, 1);
    assert_int_equal(r->rejected, 1);
    rej_row rows[4];
    size_t n = read_rejects(r->rejects_path, rows, 4);
    assert_int_equal(n, 1);
    expect_reject(rows, n, 1, "geometry", "swapped");
    sg_import_result_free(r);
    sg_store_close(s);
}

/* A store file without write permission (mode 0444): import is refused
 * with SG_ERR_DB_READONLY and changes nothing (the tests may run as root,
 * so the check is on the mode bits). */
static void test_bad_readonly_store(void **state)
{
    sg_ctx *ctx = *state;
    sg_store *s = beijing_store(ctx, "readonly.sqlite");
    char path[4096];
    snprintf(path, sizeof path, "%s", sg_store_path(s));
    const char *src = fixture("readonly.geojson", BEIJING_HOUSEHOLDS);
    sg_import_result *r = import_ok(ctx, s, "households", src, NULL);
    sg_import_result_free(r);
    sg_store_close(s);
    char *before = households_checksum(path);
    assert_int_equal(chmod(path, 0444), 0);
    assert_sg_status(ctx, sg_store_open(ctx, path, 0, &s), SG_OK);
    const char *more = fixture(
        "readonly_more.geojson",
        "{\"type\":\"FeatureCollection\",\"features\":["
        "{\"type\":\"Feature\",\"properties\":{\"household_id\":\"RO1\"},"
        "\"geometry\":{\"type\":\"Point\",\"coordinates\":[116.40,39.90]}}"
        "]}");
    r = NULL;
    sg_status st = sg_import(ctx, s, "households", more, NULL, &r);
    sg_store_close(s);
    chmod(path, 0644);
    assert_sg_status(ctx, st, SG_ERR_DB_READONLY);
    assert_null(r);
    assert_contains(sg_ctx_errmsg(ctx), path);
    char *after = households_checksum(path);
    assert_string_equal(after, before);
    free(after);
    free(before);
}

/* sg_store_open on a GeoJSON file and on an SQLite file of another
 * program. */
static void test_bad_not_a_store(void **state)
{
    sg_ctx *ctx = *state;
    const char *gj = fixture("not_store.geojson", BEIJING_HOUSEHOLDS);
    sg_store *s = NULL;
    assert_sg_status(ctx, sg_store_open(ctx, gj, 0, &s), SG_ERR_DB_NOT_STORE);
    assert_null(s);
    assert_contains(sg_ctx_errmsg(ctx), gj);

    const char *plain = sg_test_path("plain.sqlite");
    unlink(plain);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(plain, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db,
                                  "CREATE TABLE t (a); INSERT INTO t "
                                  "VALUES (1);",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    assert_sg_status(ctx, sg_store_open(ctx, plain, 0, &s),
                     SG_ERR_DB_NOT_STORE);
    assert_null(s);
    assert_contains(sg_ctx_errmsg(ctx), plain);
    /* and it was not turned into a store */
    assert_int_equal(sg_test_sql_number(plain, "PRAGMA application_id"), 0);
}

/* --map to a field the layer lacks, to a column the file lacks, and a
 * malformed spec. */
static void test_bad_map(void **state)
{
    sg_ctx *ctx = *state;
    sg_store *s = beijing_store(ctx, "bad_map.sqlite");
    const char *src = fixture("bad_map.geojson", BEIJING_HOUSEHOLDS);
    sg_import_options *o = sg_import_options_new();
    assert_sg_status(ctx, sg_import_options_set_replace(ctx, o, 2),
                     SG_ERR_USAGE);
    assert_contains(sg_ctx_errmsg(ctx), "replace");
    assert_sg_status(ctx,
                     sg_import_options_add_map(ctx, o,
                                               "no_such_field="
                                               "household_id"),
                     SG_OK);
    assert_sg_status(ctx, sg_import(ctx, s, "households", src, o, NULL),
                     SG_ERR_USAGE);
    assert_contains(sg_ctx_errmsg(ctx), "no_such_field");
    sg_import_options_free(o);

    o = sg_import_options_new();
    assert_sg_status(ctx,
                     sg_import_options_add_map(ctx, o,
                                               "resident_"
                                               "population=人口数"),
                     SG_OK);
    assert_sg_status(ctx, sg_import(ctx, s, "households", src, o, NULL),
                     SG_ERR_USAGE);
    assert_contains(sg_ctx_errmsg(ctx), "人口数");
    assert_contains(sg_ctx_errmsg(ctx), src);
    sg_import_options_free(o);

    o = sg_import_options_new();
    assert_sg_status(ctx, sg_import_options_add_map(ctx, o, "household_id"),
                     SG_ERR_USAGE);
    assert_sg_status(ctx, sg_import_options_add_map(ctx, o, "=x"),
                     SG_ERR_USAGE);
    sg_import_options_free(o);
    assert_int_equal(
        sg_test_sql_number(sg_store_path(s), "SELECT count(*) FROM households"),
        0);
    sg_store_close(s);
}

/* --map renames a column the aliases do not know. */
static void test_map_option(void **state)
{
    sg_ctx *ctx = *state;
    sg_store *s = beijing_store(ctx, "map_ok.sqlite");
    const char *src = fixture("map_ok.csv", "编号,lon,lat,家庭人数\n"
                                            "M1,116.40,39.90,6\n");
    sg_import_options *o = sg_import_options_new();
    assert_sg_status(
        ctx, sg_import_options_add_map(ctx, o, "resident_population=家庭人数"),
        SG_OK);
    sg_import_result *r = import_ok(ctx, s, "households", src, o);
    int found = 0;
    for (size_t i = 0; i < r->nmap; i++)
        if (!strcmp(r->map[i].field, "resident_population")) {
            assert_string_equal(r->map[i].column, "家庭人数");
            assert_int_equal(r->map[i].automatic, 0);
            found = 1;
        }
    assert_true(found);
    sg_import_result_free(r);
    sg_import_options_free(o);
    assert_string_equal(sql_text(sg_store_path(s),
                                 "SELECT household_id || ':' || "
                                 "resident_population FROM households"),
                        "M1:6");
    sg_store_close(s);
}

/* ---- modes ------------------------------------------------------------- */

/* Append (the default) adds rows; replace empties the layer first. */
static void test_replace_and_append(void **state)
{
    sg_ctx *ctx = *state;
    sg_store *s = sg_test_store_new(ctx, "modes.sqlite", 0);
    const char *db = sg_store_path(s);
    const char *a = fixture("modes_a.geojson", BEIJING_HOUSEHOLDS);
    const char *b =
        fixture("modes_b.csv", "household_id,lon,lat,人口\nN1,116.42,39.92,2\n"
                               "N2,116.43,39.93,3\n");
    sg_import_result *r = import_ok(ctx, s, "households", a, NULL);
    sg_import_result_free(r);
    r = import_ok(ctx, s, "households", b, NULL);
    sg_import_result_free(r);
    char *got = sg_test_sql_rows(db, "SELECT group_concat(household_id) FROM "
                                     "(SELECT household_id FROM households "
                                     "ORDER BY household_id)");
    assert_string_equal(got, "BJ001,BJ002,BJ003,N1,N2\n");
    free(got);

    sg_import_options *o = sg_import_options_new();
    sg_import_options_set_replace(ctx, o, 1);
    const char *c = fixture(
        "modes_c.csv", "household_id,lon,lat,人口\nBJ002,116.44,39.94,2\n");
    r = import_ok(ctx, s, "households", c, o);
    assert_int_equal(r->imported, 1);
    assert_int_equal(r->rejected, 0); /* not a duplicate: the old is gone */
    sg_import_result_free(r);
    sg_import_options_free(o);
    got = sg_test_sql_rows(db, "SELECT household_id, "
                               "round(ST_X(ST_Transform(geom, 4326)), 6) "
                               "FROM households");
    assert_string_equal(got, "BJ002|116.44\n");
    free(got);
    /* other layers are untouched by a replace of households */
    const char *d = fixture("modes_div.geojson", BEIJING_DIVISIONS);
    r = import_ok(ctx, s, "divisions", d, NULL);
    sg_import_result_free(r);
    o = sg_import_options_new();
    sg_import_options_set_replace(ctx, o, 1);
    r = import_ok(ctx, s, "households", a, o);
    sg_import_result_free(r);
    sg_import_options_free(o);
    assert_int_equal(sg_test_sql_number(db, "SELECT count(*) FROM divisions"),
                     2);
    assert_int_equal(sg_test_sql_number(db, "SELECT count(*) FROM households"),
                     3);
    sg_store_close(s);
}

/* ---- inspections --------------------------------------------------------- */

/* Inspections CSV with Chinese headers and dates in four spellings, all
 * stored as 2026-11-03; an impossible date is rejected. */
static void test_inspections_dates(void **state)
{
    sg_ctx *ctx = *state;
    const char *src = fixture("inspections.csv",
                              "日期,村/网格编码,得分,检查人,备注\n"
                              "2026/11/3,110101001001,95,检查员甲,好\n"
                              "2026-11-03,110101001002,88.5,检查员乙,\n"
                              "20261103,110101001003,70,检查员甲,垃圾满溢\n"
                              "2026年11月3日,110101001004,90,检查员丙,\n"
                              "2026/13/45,110101001005,60,检查员甲,坏日期\n");
    sg_store *s = sg_test_store_new(ctx, "inspections.sqlite", 0);
    const char *db = sg_store_path(s);
    sg_import_result *r = import_ok(ctx, s, "inspections", src, NULL);
    assert_int_equal(r->read, 5);
    assert_int_equal(r->imported, 4);
    assert_int_equal(r->rejected, 1);
    expect_auto_map(r, "date", "日期");
    expect_auto_map(r, "unit_code", "村/网格编码");
    expect_auto_map(r, "score", "得分");
    rej_row rows[4];
    size_t n = read_rejects(r->rejects_path, rows, 4);
    assert_int_equal(n, 1);
    expect_reject(rows, n, 5, "date", "2026/13/45");
    sg_import_result_free(r);
    char *got = sg_test_sql_rows(db, "SELECT date, unit_code, score, "
                                     "inspector, notes FROM inspections "
                                     "ORDER BY unit_code");
    assert_string_equal(got, "2026-11-03|110101001001|95.0|检查员甲|好\n"
                             "2026-11-03|110101001002|88.5|检查员乙|\n"
                             "2026-11-03|110101001003|70.0|检查员甲|垃圾满溢\n"
                             "2026-11-03|110101001004|90.0|检查员丙|\n");
    free(got);
    /* a table layer does not fix the working CRS */
    assert_int_equal(sg_store_srid(s), 0);
    sg_store_close(s);
}

/* An unknown store layer is a usage error. */
static void test_unknown_layer(void **state)
{
    sg_ctx *ctx = *state;
    sg_store *s = beijing_store(ctx, "unknown_layer.sqlite");
    const char *src = fixture("unknown_layer.geojson", BEIJING_HOUSEHOLDS);
    assert_sg_status(ctx, sg_import(ctx, s, "houses", src, NULL, NULL),
                     SG_ERR_USAGE);
    assert_contains(sg_ctx_errmsg(ctx), "houses");
    sg_store_close(s);
}

/* Invalid UTF-8 in a GeoJSON text field (an overlong '/', a UTF-16
 * surrogate) is rejected naming the feature, the field and the file,
 * never stored to be re-exported as invalid RFC 7946. */
static void test_geojson_invalid_utf8(void **state)
{
    sg_ctx *ctx = *state;
    const char *src = fixture(
        "bad_utf8.geojson",
        "{\"type\":\"FeatureCollection\",\"features\":[\n"
        "{\"type\":\"Feature\",\"properties\":{\"household_id\":\"U1\","
        "\"resident_population\":2,"
        "\"household_head\":\"ok \xe7\x8e\x8b\"},\"geometry\":{\"type\":"
        "\"Point\",\"coordinates\":[116.401,39.901]}},\n"
        "{\"type\":\"Feature\",\"properties\":{\"household_id\":\"U2\","
        "\"resident_population\":2,"
        "\"household_head\":\"a\xc0\xaf\"},\"geometry\":{\"type\":"
        "\"Point\",\"coordinates\":[116.402,39.902]}},\n"
        "{\"type\":\"Feature\",\"properties\":{\"household_id\":\"U3\","
        "\"resident_population\":2,"
        "\"household_head\":\"b\xed\xa0\x80\"},\"geometry\":{\"type\":"
        "\"Point\",\"coordinates\":[116.403,39.903]}}\n"
        "]}");
    sg_store *s = sg_test_store_new(ctx, "bad_utf8.sqlite", 0);
    const char *db = sg_store_path(s);
    sg_import_result *r = import_ok(ctx, s, "households", src, NULL);
    assert_int_equal(r->imported, 1);
    assert_int_equal(r->rejected, 2);
    assert_non_null(r->rejects_path);
    char rejects[4200];
    snprintf(rejects, sizeof rejects, "%s", r->rejects_path);
    sg_import_result_free(r);
    rej_row rows[8];
    size_t n = read_rejects(rejects, rows, 8);
    assert_int_equal(n, 2);
    expect_reject(rows, n, 2, "household_head", "not valid UTF-8");
    expect_reject(rows, n, 3, "household_head", "not valid UTF-8");
    for (size_t i = 0; i < n; i++)
        assert_contains(rows[i].reason, "bad_utf8.geojson");
    /* only the valid text is stored, byte for byte */
    char *got = sg_test_sql_rows(db, "SELECT household_id, "
                                     "hex(household_head) FROM households");
    assert_string_equal(got, "U1|6F6B20E78E8B\n");
    free(got);
    sg_store_close(s);
}

/* Runs every test above. \return the number of failed tests. */
int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_geojson_invalid_utf8),
        T(test_atomic_failures),
        T(test_failed_first_import_keeps_no_crs),
        T(test_bad_missing_file),
        T(test_bad_unsupported_format),
        T(test_bad_truncated_geojson),
        T(test_bad_empty_layer),
        T(test_bad_lines_as_households),
        T(test_bad_unknown_crs),
        T(test_bad_swapped_latlon),
        T(test_bad_readonly_store),
        T(test_bad_not_a_store),
        T(test_bad_map),
        T(test_map_option),
        T(test_replace_and_append),
        T(test_inspections_dates),
        T(test_unknown_layer),
    };
#undef T
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
