/* Fixtures and helpers shared by the import tests (declared in
 * import_helpers.h): the Beijing households and villages, per-test and
 * per-file set-up, fixture files, an import that must succeed, a
 * fingerprint of the households layer and the rejects CSV read with OGR.
 * Not for: checks of one test file only (they stay in it).
 * SPDX-License-Identifier: MIT */
#include <gdal.h>
#include <ogr_api.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import_helpers.h"

/* Three households in Beijing (lon 116.39-116.41, lat 39.89-39.92), the
 * fake personal values are made up. */
const char *const BEIJING_HOUSEHOLDS =
    "{\"type\":\"FeatureCollection\",\"features\":[\n"
    "{\"type\":\"Feature\",\"properties\":{\"household_id\":\"BJ001\","
    "\"household_head\":\"王大\",\"phone\":\"13800000001\","
    "\"resident_population\":4,\"household_toilet\":\"卫生厕所\","
    "\"group_name\":\"第1组\"},"
    "\"geometry\":{\"type\":\"Point\",\"coordinates\":[116.3912345,39.9054321]}"
    "},\n"
    "{\"type\":\"Feature\",\"properties\":{\"household_id\":\"BJ002\","
    "\"household_head\":\"李二\",\"phone\":\"13800000002\","
    "\"resident_population\":2,\"household_toilet\":\"unsanitary\","
    "\"group_name\":\"第2组\"},"
    "\"geometry\":{\"type\":\"Point\",\"coordinates\":[116.4012345,39.9154321]}"
    "},\n"
    "{\"type\":\"Feature\",\"properties\":{\"household_id\":\"BJ003\","
    "\"household_head\":\"张三\",\"resident_population\":0,"
    "\"household_toilet\":\"无\",\"group_name\":\"第2组\"},"
    "\"geometry\":{\"type\":\"Point\",\"coordinates\":[116.4112345,39.8954321]}"
    "}\n"
    "]}\n";

/* Two administrative villages near Beijing (counter-clockwise squares). */
const char *const BEIJING_DIVISIONS =
    "{\"type\":\"FeatureCollection\",\"features\":[\n"
    "{\"type\":\"Feature\",\"properties\":{\"division_code\":\"110101001001\","
    "\"name\":\"东村\",\"level\":\"行政村\",\"parent_code\":\"110101001\"},"
    "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[116.39,39.89],"
    "[116.40,39.89],[116.40,39.90],[116.39,39.90],[116.39,39.89]]]}},\n"
    "{\"type\":\"Feature\",\"properties\":{\"division_code\":\"110101001002\","
    "\"name\":\"西村\",\"level\":\"admin_village\",\"parent_code\":"
    "\"110101001\"},"
    "\"geometry\":{\"type\":\"MultiPolygon\",\"coordinates\":[[[[116.40,39.89],"
    "[116.41,39.89],[116.41,39.90],[116.40,39.90],[116.40,39.89]]]]}}\n"
    "]}\n";

/* Per-test state: a fresh context. \return 0, or -1 without memory. */
int setup(void **state)
{
    sg_ctx *ctx = sg_ctx_new();
    if (!ctx)
        return -1;
    *state = ctx;
    return 0;
}

/* Free the test's context. \return 0. */
int teardown(void **state)
{
    sg_ctx_free(*state);
    return 0;
}

/* Once per file: GDAL drivers and SpatiaLite; keep the checking SQL
 * connection open between queries (ST_Transform is slow to set up).
 * \return 0. */
int group_setup(void **state)
{
    (void)state;
    sg_library_init();
    sg_test_sql_keep_open(1);
    return 0;
}

/* Once per file: close the checking connection, then release the
 * libraries (so leak checkers see only real leaks). \return 0. */
int group_teardown(void **state)
{
    (void)state;
    sg_test_sql_close();
    sg_library_shutdown();
    return 0;
}

/* Write \p text to tmpdir/name. \return the path (rotating buffer). */
const char *fixture(const char *name, const char *text)
{
    const char *p = sg_test_path(name);
    sg_test_write_file(p, text);
    return p;
}

/* Import that must succeed. \return the result; caller frees. */
sg_import_result *import_ok(sg_ctx *ctx, sg_store *s, const char *layer,
                            const char *src, const sg_import_options *o)
{
    sg_import_result *r = NULL;
    sg_status st = sg_import(ctx, s, layer, src, o, &r);
    assert_sg_status(ctx, st, SG_OK);
    assert_non_null(r);
    return r;
}

/* A text value of the store by SQL; a static buffer. */
const char *sql_text(const char *db, const char *sql)
{
    return sg_test_sql_text(db, sql);
}

/* A fingerprint of the households layer and the run record. */
char *households_checksum(const char *db)
{
    return sg_test_sql_rows(
        db, "SELECT count(*), (SELECT count(*) FROM runs), "
            "group_concat(household_id || coalesce(household_head, '') || "
            "coalesce(resident_population, '') || ST_AsText(geom), ';') "
            "FROM (SELECT * FROM households ORDER BY household_id)");
}

/* Read the rejects CSV at \p path with OGR's CSV driver. \return the
 * number of rows put in \p rows (at most \p max). */
size_t read_rejects(const char *path, rej_row *rows, size_t max)
{
    GDALDatasetH ds =
        GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
    if (!ds)
        fail_msg("cannot open the rejects file %s", path);
    OGRLayerH l = GDALDatasetGetLayer(ds, 0);
    OGRFeatureDefnH fd = OGR_L_GetLayerDefn(l);
    int ifeat = OGR_FD_GetFieldIndex(fd, "feature");
    int iid = OGR_FD_GetFieldIndex(fd, "id");
    int ifield = OGR_FD_GetFieldIndex(fd, "field");
    int ireason = OGR_FD_GetFieldIndex(fd, "reason");
    assert_true(ifeat >= 0 && iid >= 0 && ifield >= 0 && ireason >= 0);
    size_t n = 0;
    OGRFeatureH f;
    while ((f = OGR_L_GetNextFeature(l)) != NULL) {
        if (n < max) {
            rows[n].feature =
                strtoll(OGR_F_GetFieldAsString(f, ifeat), NULL, 10);
            snprintf(rows[n].id, sizeof rows[n].id, "%s",
                     OGR_F_GetFieldAsString(f, iid));
            snprintf(rows[n].field, sizeof rows[n].field, "%s",
                     OGR_F_GetFieldAsString(f, ifield));
            snprintf(rows[n].reason, sizeof rows[n].reason, "%s",
                     OGR_F_GetFieldAsString(f, ireason));
        }
        n++;
        OGR_F_Destroy(f);
    }
    GDALClose(ds);
    return n;
}

/* Fail unless \p rows holds a reject of feature \p feature on \p field
 * whose reason contains \p reason. */
void expect_reject(const rej_row *rows, size_t n, long long feature,
                   const char *field, const char *reason)
{
    for (size_t i = 0; i < n; i++) {
        if (rows[i].feature != feature)
            continue;
        if (strcmp(rows[i].field, field) != 0)
            fail_msg("feature %lld rejected on field '%s', want '%s' (%s)",
                     feature, rows[i].field, field, rows[i].reason);
        assert_contains(rows[i].reason, reason);
        return;
    }
    fail_msg("feature %lld is not in the rejects file", feature);
}

/* Fail unless \p r maps \p field automatically from \p column. */
void expect_auto_map(const sg_import_result *r, const char *field,
                     const char *column)
{
    for (size_t i = 0; i < r->nmap; i++)
        if (strcmp(r->map[i].field, field) == 0) {
            assert_string_equal(r->map[i].column, column);
            assert_int_equal(r->map[i].automatic, 1);
            return;
        }
    fail_msg("%s is not mapped (want it from %s)", field, column);
}
