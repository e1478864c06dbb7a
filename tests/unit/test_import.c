/* Unit tests of sg_import (src/io/import*.c, fieldmap.c, geomprep.c): every
 * source format into real SpatiaLite stores in the temporary directory,
 * the choice of the working CRS, GCJ-02 input, repair and rejects,
 * atomicity, and the error paths (STYLE rule 29). Fixtures are written at
 * test time: text formats from literals, binary ones (Shapefile, GPKG,
 * XLSX, KMZ) with GDAL's C API. Results are checked independently of the
 * code under test, with SQL (SpatiaLite) on the store file or with OGR.
 * Atomicity, bad inputs, field mapping and import modes are in
 * test_import_bad.c; the fixtures both use in import_helpers.c.
 * Not for: export (test_export.c) or the GCJ-02 formulas (test_crs.c).
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

#define PI 3.14159265358979323846

/* ---- fixtures ------------------------------------------------------------ */

/* The same place in the same order, as the checks expect. */
static const struct {
    const char *id;
    double lon, lat;
} beijing_pts[] = {{"BJ001", 116.3912345, 39.9054321},
                   {"BJ002", 116.4012345, 39.9154321},
                   {"BJ003", 116.4112345, 39.8954321}};

/* ---- helpers ------------------------------------------------------------- */

/* Ground distance in metres between two nearby lon/lat points
 * (equirectangular on a 6378137 m sphere; fine below a few km). */
static double dist_m(double lon1, double lat1, double lon2, double lat2)
{
    double k = 6378137.0 * PI / 180.0;
    double dx = (lon1 - lon2) * cos((lat1 + lat2) / 2 * PI / 180.0) * k;
    double dy = (lat1 - lat2) * k;
    return sqrt(dx * dx + dy * dy);
}

/* lon/lat of the stored geometry of the row \p idcol = \p id of \p layer,
 * by SpatiaLite's ST_Transform (point layers). */
static void stored_lonlat(const char *db, const char *layer, const char *idcol,
                          const char *id, double *lon, double *lat)
{
    char *q = sqlite3_mprintf("SELECT ST_X(ST_Transform(geom, 4326)) FROM "
                              "\"%w\" WHERE \"%w\" = %Q",
                              layer, idcol, id);
    *lon = sg_test_sql_number(db, q);
    sqlite3_free(q);
    q = sqlite3_mprintf("SELECT ST_Y(ST_Transform(geom, 4326)) FROM \"%w\" "
                        "WHERE \"%w\" = %Q",
                        layer, idcol, id);
    *lat = sg_test_sql_number(db, q);
    sqlite3_free(q);
}

/* Fail unless the three Beijing households are stored with the input's
 * lon/lat (1e-7 degrees, about 1 cm). */
static void check_beijing_positions(const char *db)
{
    for (size_t i = 0; i < sizeof beijing_pts / sizeof beijing_pts[0]; i++) {
        double lon, lat;
        stored_lonlat(db, "households", "household_id", beijing_pts[i].id, &lon,
                      &lat);
        if (!(fabs(lon - beijing_pts[i].lon) < 1e-7 &&
              fabs(lat - beijing_pts[i].lat) < 1e-7))
            fail_msg("%s stored at (%.9f, %.9f), given (%.9f, %.9f)",
                     beijing_pts[i].id, lon, lat, beijing_pts[i].lon,
                     beijing_pts[i].lat);
    }
}

/* ---- import of each format --------------------------------------------- */

/* GeoJSON households: every field, enum synonyms (卫生厕所, 无), the
 * positions, the type and SRID of the geometry column. */
static void test_geojson_households(void **state)
{
    sg_ctx *ctx = *state;
    sg_store *s = sg_test_store_new(ctx, "gj_hh.sqlite", 0);
    const char *db = sg_store_path(s);
    const char *src = fixture("gj_hh.geojson", BEIJING_HOUSEHOLDS);
    sg_import_result *r = import_ok(ctx, s, "households", src, NULL);
    assert_int_equal(r->read, 3);
    assert_int_equal(r->imported, 3);
    assert_int_equal(r->rejected, 0);
    assert_null(r->rejects_path);
    assert_string_equal(r->src_crs, "EPSG:4326");
    sg_import_result_free(r);

    assert_int_equal(sg_test_sql_number(db, "SELECT count(*) FROM households"),
                     3);
    char *got = sg_test_sql_rows(db, "SELECT household_id, household_head, "
                                     "phone, resident_population, "
                                     "household_toilet, group_name FROM "
                                     "households ORDER BY household_id");
    assert_string_equal(got, "BJ001|王大|13800000001|4|sanitary|第1组\n"
                             "BJ002|李二|13800000002|2|unsanitary|第2组\n"
                             "BJ003|张三||0|none|第2组\n");
    free(got);
    assert_string_equal(
        sql_text(db, "SELECT group_concat(DISTINCT ST_GeometryType(geom) || "
                     "ST_SRID(geom)) FROM households"),
        "POINT4548");
    check_beijing_positions(db);
    sg_store_close(s);
}

/* GeoJSON divisions: Polygon and MultiPolygon both become MULTIPOLYGON,
 * level 行政村 becomes admin_village, vertices keep their position. */
static void test_geojson_divisions(void **state)
{
    sg_ctx *ctx = *state;
    sg_store *s = sg_test_store_new(ctx, "gj_div.sqlite", 0);
    const char *db = sg_store_path(s);
    const char *src = fixture("gj_div.geojson", BEIJING_DIVISIONS);
    sg_import_result *r = import_ok(ctx, s, "divisions", src, NULL);
    assert_int_equal(r->imported, 2);
    assert_int_equal(r->repaired, 0);
    sg_import_result_free(r);

    char *rows = sg_test_sql_rows(
        db, "SELECT division_code, name, level, parent_code, "
            "ST_GeometryType(geom), ST_NumGeometries(geom), ST_IsValid(geom) "
            "FROM divisions ORDER BY division_code");
    assert_string_equal(rows, "110101001001|东村|admin_village|110101001|"
                              "MULTIPOLYGON|1|1\n"
                              "110101001002|西村|admin_village|110101001|"
                              "MULTIPOLYGON|1|1\n");
    free(rows);
    /* the first vertex of the first village, back in lon/lat */
    double lon = sg_test_sql_number(
        db, "SELECT ST_X(ST_PointN(ST_ExteriorRing(ST_GeometryN("
            "ST_Transform(geom, 4326), 1)), 1)) FROM divisions WHERE "
            "division_code = '110101001001'");
    double lat = sg_test_sql_number(
        db, "SELECT ST_Y(ST_PointN(ST_ExteriorRing(ST_GeometryN("
            "ST_Transform(geom, 4326), 1)), 1)) FROM divisions WHERE "
            "division_code = '110101001001'");
    assert_true(fabs(lon - 116.39) < 1e-7 && fabs(lat - 39.89) < 1e-7);
    /* a 0.01 x 0.01 degree cell at 39.9 N: 0.01 * 111.3 km * cos(39.9)
     * by 0.01 * 111.0 km, about 0.948 km2 (1 % allowed) */
    double area = sg_test_sql_number(
        db, "SELECT ST_Area(geom) FROM divisions WHERE division_code = "
            "'110101001002'");
    assert_true(fabs(area - 948000.0) < 9480.0);
    sg_store_close(s);
}

/* Shapefile (UTF-8 with .cpg, .prj EPSG:4326) written with GDAL; DBF
 * names are at most 10 characters, so short aliases are used. */
static void test_shapefile(void **state)
{
    sg_ctx *ctx = *state;
    const char *shp = sg_test_path("hh_shp.shp");
    static const char *const lco[] = {"ENCODING=UTF-8", NULL};
    static const char *const fields[] = {"id", "head", "population:int",
                                         "toilet", NULL};
    static const char *const rows[] = {
        "POINT (116.3912345 39.9054321)", "BJ001", "王大", "4", "卫生厕所",
        "POINT (116.4012345 39.9154321)", "BJ002", "李二", "2", "旱厕",
        "POINT (116.4112345 39.8954321)", "BJ003", "张三", "0", "none"};
    sg_test_ogr_write("ESRI Shapefile", shp, "hh_shp", 4326, wkbPoint, lco,
                      fields, rows, 3);
    sg_store *s = sg_test_store_new(ctx, "shp.sqlite", 0);
    const char *db = sg_store_path(s);
    sg_import_result *r = import_ok(ctx, s, "households", shp, NULL);
    assert_int_equal(r->imported, 3);
    sg_import_result_free(r);
    char *got = sg_test_sql_rows(db, "SELECT household_id, household_head, "
                                     "resident_population, household_toilet "
                                     "FROM households ORDER BY household_id");
    assert_string_equal(got, "BJ001|王大|4|sanitary\nBJ002|李二|2|unsanitary\n"
                             "BJ003|张三|0|none\n");
    free(got);
    check_beijing_positions(db);
    sg_store_close(s);
}

/* Web Mercator (EPSG:3857) metres of a lon/lat point (spherical formula,
 * independent of PROJ). */
static void mercator(double lon, double lat, double *x, double *y)
{
    const double r = 6378137.0;
    *x = r * lon * PI / 180.0;
    *y = r * log(tan(PI / 4.0 + lat * PI / 360.0));
}

/* GeoPackage with two layers in Web Mercator: --source-layer picks the
 * second, the file's CRS is honoured, the working CRS still follows the
 * data's lon/lat. */
static void test_gpkg(void **state)
{
    sg_ctx *ctx = *state;
    const char *gpkg = sg_test_path("two_layers.gpkg");
    static const char *const f_other[] = {"note", NULL};
    static const char *const r_other[] = {"POINT (0 0)", "not this one"};
    sg_test_ogr_write("GPKG", gpkg, "other", 3857, wkbPoint, NULL, f_other,
                      r_other, 1);
    char wkt[3][128];
    for (int i = 0; i < 3; i++) {
        double x, y;
        mercator(beijing_pts[i].lon, beijing_pts[i].lat, &x, &y);
        snprintf(wkt[i], sizeof wkt[i], "POINT (%.4f %.4f)", x, y);
    }
    static const char *const fields[] = {"户号", "常住人口:int", NULL};
    const char *const rows[] = {wkt[0], "BJ001", "4",     wkt[1], "BJ002",
                                "2",    wkt[2],  "BJ003", "0"};
    sg_test_ogr_write("GPKG", gpkg, "hh", 3857, wkbPoint, NULL, fields, rows,
                      3);

    sg_store *s = sg_test_store_new(ctx, "gpkg.sqlite", 0);
    const char *db = sg_store_path(s);
    sg_import_options *o = sg_import_options_new();
    assert_sg_status(ctx, sg_import_options_set_source_layer(ctx, o, "hh"),
                     SG_OK);
    sg_import_result *r = import_ok(ctx, s, "households", gpkg, o);
    assert_string_equal(r->source_layer, "hh");
    assert_string_equal(r->src_crs, "EPSG:3857");
    assert_int_equal(r->imported, 3);
    assert_int_equal(r->srid, 4548);
    sg_import_result_free(r);
    sg_import_options_free(o);
    assert_int_equal(sg_test_sql_number(db,
                                        "SELECT sum(resident_population) FROM "
                                        "households"),
                     6);
    check_beijing_positions(db);
    sg_store_close(s);
}

/* KML text as Google Earth and Ovital write it: Name and ExtendedData. */
static const char *const POINTS_KML =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<kml xmlns=\"http://www.opengis.net/kml/2.2\"><Document><name>points"
    "</name>\n"
    "<Placemark><name>东村收集点</name><ExtendedData>"
    "<Data name=\"point_id\"><value>P1</value></Data>"
    "<Data name=\"kind\"><value>垃圾桶</value></Data></ExtendedData>"
    "<Point><coordinates>116.3912345,39.9054321,0</coordinates></Point>"
    "</Placemark>\n"
    "<Placemark><name>西村公厕</name><ExtendedData>"
    "<Data name=\"point_id\"><value>P2</value></Data>"
    "<Data name=\"kind\"><value>公厕</value></Data></ExtendedData>"
    "<Point><coordinates>116.4012345,39.9154321</coordinates></Point>"
    "</Placemark>\n"
    "</Document></kml>\n";

/* Fail unless the two KML points are in the store. */
static void check_kml_points(const char *db)
{
    char *got = sg_test_sql_rows(db, "SELECT point_id, kind, name FROM "
                                     "points ORDER BY point_id");
    assert_string_equal(got, "P1|bin|东村收集点\nP2|public_toilet|西村公厕\n");
    free(got);
    double lon, lat;
    stored_lonlat(db, "points", "point_id", "P2", &lon, &lat);
    assert_true(fabs(lon - 116.4012345) < 1e-7 &&
                fabs(lat - 39.9154321) < 1e-7);
}

static void test_kml(void **state)
{
    sg_ctx *ctx = *state;
    const char *kml = fixture("points.kml", POINTS_KML);
    sg_store *s = sg_test_store_new(ctx, "kml.sqlite", 0);
    sg_import_result *r = import_ok(ctx, s, "points", kml, NULL);
    assert_int_equal(r->imported, 2);
    sg_import_result_free(r);
    check_kml_points(sg_store_path(s));
    sg_store_close(s);
}

/* KMZ: a zip holding doc.kml, written through GDAL's /vsizip/ (works with
 * or without the LIBKML driver). */
static void test_kmz(void **state)
{
    sg_ctx *ctx = *state;
    const char *kmz = sg_test_path("points.kmz");
    char member[4200];
    snprintf(member, sizeof member, "/vsizip/%s/doc.kml", kmz);
    VSILFILE *f = VSIFOpenL(member, "wb");
    if (!f)
        fail_msg("GDAL cannot write %s", member);
    size_t n = strlen(POINTS_KML);
    assert_int_equal(VSIFWriteL(POINTS_KML, 1, n, f), n);
    assert_int_equal(VSIFCloseL(f), 0);
    /* it really is a zip, not KML text */
    assert_false(sg_test_file_contains(kmz, "<Placemark>"));
    assert_true(sg_test_zip_contains(kmz, "<Placemark>"));

    sg_store *s = sg_test_store_new(ctx, "kmz.sqlite", 0);
    sg_import_result *r = import_ok(ctx, s, "points", kmz, NULL);
    assert_int_equal(r->imported, 2);
    sg_import_result_free(r);
    check_kml_points(sg_store_path(s));
    sg_store_close(s);
}

/* KMZ when GDAL has no LIBKML driver: the importer reads doc.kml inside
 * the zip (/vsizip/) with the KML driver. LIBKML is deregistered for this
 * test only and registered again afterwards (at the end of the driver
 * list, so later .kml opens in this process prefer the KML driver; no
 * later test here reads KML). */
static void test_kmz_without_libkml(void **state)
{
    sg_ctx *ctx = *state;
    const char *kmz = sg_test_path("points_nolibkml.kmz");
    char member[4200];
    snprintf(member, sizeof member, "/vsizip/%s/doc.kml", kmz);
    VSILFILE *f = VSIFOpenL(member, "wb");
    assert_non_null(f);
    size_t n = strlen(POINTS_KML);
    assert_int_equal(VSIFWriteL(POINTS_KML, 1, n, f), n);
    assert_int_equal(VSIFCloseL(f), 0);
    GDALDriverH libkml = GDALGetDriverByName("LIBKML");
    if (libkml)
        GDALDeregisterDriver(libkml);
    sg_store *s = sg_test_store_new(ctx, "kmz_nolibkml.sqlite", 0);
    sg_import_result *r = NULL;
    /* GDAL's KML driver reads Name but not ExtendedData/Data: kind is
     * lost, so the import is refused (issue 14), naming the field */
    sg_status st = sg_import(ctx, s, "points", kmz, NULL, &r);
    assert_int_equal(st, SG_ERR_INPUT);
    assert_non_null(strstr(sg_ctx_errmsg(ctx), "points needs kind"));
    assert_non_null(strstr(sg_ctx_errmsg(ctx), "--set kind="));
    sg_import_result_free(r);
    r = NULL;
    /* with a constant kind it comes in; the ids are the feature numbers */
    sg_import_options *o = sg_import_options_new();
    assert_int_equal(sg_import_options_add_set(ctx, o, "kind=bin"), SG_OK);
    st = sg_import(ctx, s, "points", kmz, o, &r);
    sg_import_options_free(o);
    if (libkml)
        GDALRegisterDriver(libkml);
    assert_sg_status(ctx, st, SG_OK);
    assert_int_equal(r->imported, 2);
    sg_import_result_free(r);
    const char *db = sg_store_path(s);
    char *got = sg_test_sql_rows(db, "SELECT point_id, kind, name FROM "
                                     "points ORDER BY point_id");
    assert_string_equal(got, "1|bin|东村收集点\n2|bin|西村公厕\n");
    free(got);
    double lon, lat;
    stored_lonlat(db, "points", "name", "西村公厕", &lon, &lat);
    assert_true(fabs(lon - 116.4012345) < 1e-7 &&
                fabs(lat - 39.9154321) < 1e-7);
    sg_store_close(s);
}

/* CSV with lon/lat columns. */
static void test_csv_lonlat(void **state)
{
    sg_ctx *ctx = *state;
    const char *csv =
        fixture("hh_lonlat.csv",
                "household_id,lon,lat,resident_population,household_toilet\n"
                "BJ001,116.3912345,39.9054321,4,卫生厕所\n"
                "BJ002,116.4012345,39.9154321,2,非卫生厕所\n"
                "BJ003,116.4112345,39.8954321,0,none\n");
    sg_store *s = sg_test_store_new(ctx, "csv.sqlite", 0);
    const char *db = sg_store_path(s);
    sg_import_result *r = import_ok(ctx, s, "households", csv, NULL);
    assert_int_equal(r->imported, 3);
    assert_int_equal(r->srid, 4548);
    sg_import_result_free(r);
    char *got = sg_test_sql_rows(db, "SELECT household_id, "
                                     "resident_population, household_toilet "
                                     "FROM households ORDER BY household_id");
    assert_string_equal(got, "BJ001|4|sanitary\nBJ002|2|unsanitary\n"
                             "BJ003|0|none\n");
    free(got);
    check_beijing_positions(db);
    sg_store_close(s);
}

/* The register of households as a sheet: Chinese headers, values. */
static const char *const XLSX_ROWS[] = {
    NULL, "BJ001", "王大", "4", "116.3912345", "39.9054321", "卫生厕所",
    NULL, "BJ002", "李二", "2", "116.4012345", "39.9154321", "旱厕",
    NULL, "BJ003", "张三", "0", "116.4112345", "39.8954321", "无"};

/* Write the register to tmpdir/name with GDAL's XLSX driver; \p fields
 * says which cells are numbers. \return the path. */
static const char *write_xlsx(const char *name, const char *const *fields)
{
    const char *xlsx = sg_test_path(name);
    sg_test_ogr_write("XLSX", xlsx, "农户", 0, wkbNone, NULL, fields, XLSX_ROWS,
                      3);
    return xlsx;
}

/* Import \p xlsx and check the Chinese headers were mapped and values
 * stored. */
static void check_xlsx_import(sg_ctx *ctx, const char *xlsx,
                              const char *store_name)
{
    sg_store *s = sg_test_store_new(ctx, store_name, 0);
    const char *db = sg_store_path(s);
    sg_import_result *r = import_ok(ctx, s, "households", xlsx, NULL);
    assert_int_equal(r->imported, 3);
    expect_auto_map(r, "household_id", "户号");
    expect_auto_map(r, "household_head", "户主");
    expect_auto_map(r, "resident_population", "常住人口");
    expect_auto_map(r, "household_toilet", "户厕");
    sg_import_result_free(r);
    char *got = sg_test_sql_rows(db, "SELECT household_id, household_head, "
                                     "resident_population, household_toilet "
                                     "FROM households ORDER BY household_id");
    assert_string_equal(got, "BJ001|王大|4|sanitary\nBJ002|李二|2|unsanitary\n"
                             "BJ003|张三|0|none\n");
    free(got);
    check_beijing_positions(db);
    sg_store_close(s);
}

/* 1 if this GDAL is older than 3.8, whose XLSX driver lacks the HEADERS
 * and FIELD_TYPES open options. */
static int gdal_before_3_8(void)
{
    return strtol(GDALVersionInfo("VERSION_NUM"), NULL, 10) < 3080000;
}

/* XLSX with Chinese headers (户号, 户主, 常住人口, 经度, 纬度, 户厕)
 * mapped automatically; 常住人口 is a number cell, the coordinates are
 * text cells (as pasted from a phone app). */
static void test_xlsx_chinese_headers(void **state)
{
    static const char *const fields[] = {
        "户号", "户主", "常住人口:int", "经度", "纬度", "户厕", NULL};
    check_xlsx_import(*state, write_xlsx("hh_mixed.xlsx", fields),
                      "xlsx_mixed.sqlite");
}

/* The same sheet with the coordinates as number cells, as Excel writes
 * them (regression: OGR reuses one buffer for GetFieldAsString, so x and
 * y once both read as the latitude). */
static void test_xlsx_numeric_coordinates(void **state)
{
    static const char *const fields[] = {
        "户号", "户主", "常住人口:int", "经度:real", "纬度:real", "户厕", NULL};
    const char *xlsx = write_xlsx("hh_typed.xlsx", fields);
    check_xlsx_import(*state, xlsx, "xlsx_typed.sqlite");
}

/* A GeoPackage attribute table (no geometry) with REAL lon/lat columns,
 * e.g. a survey table from a field app (the same regression without
 * XLSX). */
static void test_gpkg_table_numeric_xy(void **state)
{
    sg_ctx *ctx = *state;
    const char *gpkg = sg_test_path("survey_table.gpkg");
    static const char *const fields[] = {"household_id", "lon:real", "lat:real",
                                         "人口", NULL};
    static const char *const rows[] = {
        NULL, "BJ001", "116.3912345", "39.9054321", "3",
        NULL, "BJ002", "116.4012345", "39.9154321", "2",
        NULL, "BJ003", "116.4112345", "39.8954321", "4"};
    sg_test_ogr_write("GPKG", gpkg, "survey", 0, wkbNone, NULL, fields, rows,
                      3);
    sg_store *s = sg_test_store_new(ctx, "gpkg_table.sqlite", 0);
    sg_import_result *r = import_ok(ctx, s, "households", gpkg, NULL);
    assert_int_equal(r->imported, 3);
    sg_import_result_free(r);
    check_beijing_positions(sg_store_path(s));
    sg_store_close(s);
}

/* The same sheet with every cell stored as text (common in registers
 * exported from government systems). GDAL 3.6 cannot tell such a header
 * row from data unless OGR_XLSX_HEADERS=FORCE is set (the open option
 * exists only from 3.8). */
static void test_xlsx_text_cells(void **state)
{
    static const char *const fields[] = {"户号", "户主", "常住人口", "经度",
                                         "纬度", "户厕", NULL};
    const char *xlsx = write_xlsx("hh_text.xlsx", fields);
    check_xlsx_import(*state, xlsx, "xlsx_text.sqlite");
}

/* A Shapefile in GBK without .cpg and with language driver id 0: the
 * text is recognised as GBK and stored as UTF-8 (DOMAIN K8). */
static void test_shapefile_gbk_without_cpg(void **state)
{
    sg_ctx *ctx = *state;
    const char *shp = sg_test_path("gbk.shp");
    static const char *const lco[] = {"ENCODING=CP936", NULL};
    static const char *const fields[] = {"point_id", "kind", "name", NULL};
    static const char *const rows[] = {
        "POINT (116.3912345 39.9054321)", "P1", "垃圾桶", "张家村",
        "POINT (116.4012345 39.9154321)", "P2", "公厕",   "李家庄公厕"};
    sg_test_ogr_write("ESRI Shapefile", shp, "gbk", 4326, wkbPoint, lco, fields,
                      rows, 2);
    /* no .cpg, no language driver id */
    unlink(sg_test_path("gbk.cpg"));
    unlink(sg_test_path("gbk.CPG"));
    const char *dbf = sg_test_path("gbk.dbf");
    FILE *f = fopen(dbf, "r+b");
    assert_non_null(f);
    assert_int_equal(fseek(f, 29, SEEK_SET), 0);
    assert_int_equal(fputc(0, f), 0);
    fclose(f);
    size_t n = 0;
    unsigned char *bytes = (unsigned char *)sg_test_read_file(dbf, &n);
    assert_true(n > 32);
    assert_int_equal(bytes[29], 0);
    free(bytes);
    /* the DBF really holds GBK: 张家村 = D5C5 BCD2 B4E5, not UTF-8 */
    assert_true(sg_test_file_contains(dbf, "\xD5\xC5\xBC\xD2\xB4\xE5"));
    assert_false(sg_test_file_contains(dbf, "张家村"));

    sg_store *s = sg_test_store_new(ctx, "gbk.sqlite", 0);
    const char *db = sg_store_path(s);
    sg_import_result *r = import_ok(ctx, s, "points", shp, NULL);
    assert_int_equal(r->imported, 2);
    assert_non_null(r->encoding);
    assert_string_equal(r->encoding, "GB18030");
    sg_import_result_free(r);
    assert_string_equal(sql_text(db, "SELECT name FROM points WHERE "
                                     "point_id = 'P1'"),
                        "张家村");
    char *got = sg_test_sql_rows(db, "SELECT point_id, kind, name FROM "
                                     "points ORDER BY point_id");
    assert_string_equal(got, "P1|bin|张家村\nP2|public_toilet|李家庄公厕\n");
    free(got);
    sg_store_close(s);
}

/* ---- the working CRS --------------------------------------------------- */

/* Beijing lon/lat into an empty store: EPSG:4548 (CGCS2000 3-degree GK,
 * CM 117: 4534 + (117 - 75) / 3), on every geometry column, kept on
 * reopening and by later imports. */
static void test_crs_choice_beijing(void **state)
{
    sg_ctx *ctx = *state;
    sg_store *s = sg_test_store_new(ctx, "crs_bj.sqlite", 0);
    char path[4096];
    snprintf(path, sizeof path, "%s", sg_store_path(s));
    assert_int_equal(sg_store_srid(s), 0);
    assert_int_equal(sg_test_sql_number(path, "SELECT count(*) FROM "
                                              "geometry_columns"),
                     0);
    const char *src = fixture("crs_bj.geojson", BEIJING_HOUSEHOLDS);
    sg_import_result *r = import_ok(ctx, s, "households", src, NULL);
    assert_int_equal(r->srid, 4548);
    assert_int_equal(r->srid_chosen, 1);
    sg_import_result_free(r);
    assert_int_equal(sg_store_srid(s), 4548);
    assert_int_equal(
        sg_test_sql_number(path, "SELECT srid FROM geometry_columns WHERE "
                                 "f_table_name = 'households'"),
        4548);
    /* the six input layers with geometry, all in the working CRS */
    assert_int_equal(sg_test_sql_number(path, "SELECT count(*) FROM "
                                              "geometry_columns WHERE "
                                              "srid = 4548"),
                     6);
    assert_int_equal(sg_test_sql_number(path, "SELECT count(*) FROM "
                                              "geometry_columns"),
                     6);
    /* a second import does not choose again */
    const char *div = fixture("crs_bj_div.geojson", BEIJING_DIVISIONS);
    r = import_ok(ctx, s, "divisions", div, NULL);
    assert_int_equal(r->srid_chosen, 0);
    assert_int_equal(r->srid, 4548);
    sg_import_result_free(r);
    sg_store_close(s);
    assert_sg_status(ctx, sg_store_open(ctx, path, 0, &s), SG_OK);
    assert_int_equal(sg_store_srid(s), 4548);
    sg_store_close(s);
}

/* Liechtenstein (9.52 E, 47.14 N): WGS 84 / UTM 32N, EPSG:32632. */
static void test_crs_choice_liechtenstein(void **state)
{
    sg_ctx *ctx = *state;
    sg_store *s = sg_test_store_new(ctx, "crs_li.sqlite", 0);
    const char *db = sg_store_path(s);
    const char *src = fixture(
        "crs_li.geojson",
        "{\"type\":\"FeatureCollection\",\"features\":["
        "{\"type\":\"Feature\",\"properties\":{\"household_id\":\"LI1\","
        "\"resident_population\":1},"
        "\"geometry\":{\"type\":\"Point\",\"coordinates\":[9.5209,47.1410]}},"
        "{\"type\":\"Feature\",\"properties\":{\"household_id\":\"LI2\","
        "\"resident_population\":1},"
        "\"geometry\":{\"type\":\"Point\",\"coordinates\":[9.5340,47.2076]}}"
        "]}");
    sg_import_result *r = import_ok(ctx, s, "households", src, NULL);
    assert_int_equal(r->srid, 32632);
    assert_int_equal(r->srid_chosen, 1);
    sg_import_result_free(r);
    assert_int_equal(sg_store_srid(s), 32632);
    assert_int_equal(
        sg_test_sql_number(db, "SELECT srid FROM geometry_columns WHERE "
                               "f_table_name = 'households'"),
        32632);
    /* Vaduz in UTM 32N: x about 539 km (east of the CM at 9 E) */
    double x = sg_test_sql_number(db, "SELECT ST_X(geom) FROM households "
                                      "WHERE household_id = 'LI1'");
    assert_true(x > 530000 && x < 550000);
    sg_store_close(s);
}

/* ---- GCJ-02 input -------------------------------------------------------- */

/* A point given in GCJ-02 (--src-crs gcj02) lands within 0.5 m of its
 * published WGS 84 position: googollee/eviltransform c/test.c, Shanghai
 * wgs (31.1774276, 121.5272106) <-> gcj (31.17530398364597,
 * 121.531541859215). Without the option it lands hundreds of metres off,
 * so the check can tell. */
static void test_gcj02_import(void **state)
{
    sg_ctx *ctx = *state;
    const double wgs_lon = 121.5272106, wgs_lat = 31.1774276;
    const char *src = fixture(
        "gcj.geojson", "{\"type\":\"FeatureCollection\",\"features\":["
                       "{\"type\":\"Feature\",\"properties\":{\"household_id\":"
                       "\"SH1\",\"resident_population\":1},"
                       "\"geometry\":{\"type\":\"Point\",\"coordinates\":"
                       "[121.531541859215,31.17530398364597]}}]}");
    sg_store *s = sg_test_store_new(ctx, "gcj.sqlite", 0);
    sg_import_options *o = sg_import_options_new();
    assert_sg_status(ctx, sg_import_options_set_src_crs(ctx, o, "gcj02"),
                     SG_OK);
    sg_import_result *r = import_ok(ctx, s, "households", src, o);
    assert_string_equal(r->src_crs, "GCJ-02");
    sg_import_result_free(r);
    sg_import_options_free(o);
    double lon, lat;
    stored_lonlat(sg_store_path(s), "households", "household_id", "SH1", &lon,
                  &lat);
    double d = dist_m(lon, lat, wgs_lon, wgs_lat);
    if (!(d < 0.5))
        fail_msg("GCJ-02 point stored at (%.8f, %.8f), %.3f m from WGS 84 "
                 "(%.7f, %.7f)",
                 lon, lat, d, wgs_lon, wgs_lat);
    sg_store_close(s);

    /* control: taken as WGS 84 it stays where it was given */
    s = sg_test_store_new(ctx, "gcj_control.sqlite", 0);
    r = import_ok(ctx, s, "households", src, NULL);
    sg_import_result_free(r);
    stored_lonlat(sg_store_path(s), "households", "household_id", "SH1", &lon,
                  &lat);
    assert_true(dist_m(lon, lat, wgs_lon, wgs_lat) > 100.0);
    sg_store_close(s);
}

/* ---- repair and rejects ------------------------------------------------ */

/* A bow-tie division is made valid (two triangles), counted as repaired;
 * a valid one beside it is not. */
static void test_repair_bowtie(void **state)
{
    sg_ctx *ctx = *state;
    const char *src = fixture(
        "bowtie.geojson",
        "{\"type\":\"FeatureCollection\",\"features\":[\n"
        "{\"type\":\"Feature\",\"properties\":{\"division_code\":\"B1\","
        "\"level\":\"township\"},"
        "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[116.40,39.90],"
        "[116.41,39.91],[116.41,39.90],[116.40,39.91],[116.40,39.90]]]}},\n"
        "{\"type\":\"Feature\",\"properties\":{\"division_code\":\"B2\","
        "\"level\":\"township\"},"
        "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[116.42,39.90],"
        "[116.43,39.90],[116.43,39.91],[116.42,39.91],[116.42,39.90]]]}}\n"
        "]}");
    /* the input really is invalid (OGR/GEOS, its warning silenced) */
    char *wkt = (char *)"POLYGON ((116.40 39.90, 116.41 39.91, 116.41 39.90, "
                        "116.40 39.91, 116.40 39.90))";
    OGRGeometryH bow = NULL;
    assert_int_equal(OGR_G_CreateFromWkt(&wkt, NULL, &bow), OGRERR_NONE);
    CPLPushErrorHandler(CPLQuietErrorHandler);
    assert_false(OGR_G_IsValid(bow));
    CPLPopErrorHandler();
    OGR_G_DestroyGeometry(bow);
    sg_store *s = sg_test_store_new(ctx, "bowtie.sqlite", 0);
    const char *db = sg_store_path(s);
    sg_import_result *r = import_ok(ctx, s, "divisions", src, NULL);
    assert_int_equal(r->repaired, 1);
    assert_int_equal(r->imported, 2);
    assert_int_equal(r->rejected, 0);
    sg_import_result_free(r);
    char *got = sg_test_sql_rows(
        db, "SELECT division_code, ST_IsValid(geom), ST_GeometryType(geom), "
            "ST_NumGeometries(geom) FROM divisions ORDER BY division_code");
    assert_string_equal(got, "B1|1|MULTIPOLYGON|2\nB2|1|MULTIPOLYGON|1\n");
    free(got);
    /* the two triangles keep the bow-tie's area: half the cell */
    double a1 = sg_test_sql_number(db, "SELECT ST_Area(geom) FROM divisions "
                                       "WHERE division_code = 'B1'");
    double a2 = sg_test_sql_number(db, "SELECT ST_Area(geom) FROM divisions "
                                       "WHERE division_code = 'B2'");
    assert_true(fabs(a1 - a2 / 2) < a2 * 0.01);
    sg_store_close(s);
}

/* Empty and missing geometry, a non-numeric population, a duplicate id,
 * a line among points: each rejected with its feature number, field and
 * reason in the rejects CSV; the good features are imported. */
static void test_rejects(void **state)
{
    sg_ctx *ctx = *state;
    const char *src = fixture(
        "rejects.geojson",
        "{\"type\":\"FeatureCollection\",\"features\":[\n"
        /* 1 good */
        "{\"type\":\"Feature\",\"properties\":{\"household_id\":\"R1\","
        "\"resident_population\":\"3\"},\"geometry\":{\"type\":\"Point\","
        "\"coordinates\":[116.40,39.90]}},\n"
        /* 2 empty geometry */
        "{\"type\":\"Feature\",\"properties\":{\"household_id\":\"R2\","
        "\"resident_population\":\"3\"},\"geometry\":{\"type\":\"Point\","
        "\"coordinates\":[]}},\n"
        /* 3 not a number */
        "{\"type\":\"Feature\",\"properties\":{\"household_id\":\"R3\","
        "\"resident_population\":\"abc\"},\"geometry\":{\"type\":\"Point\","
        "\"coordinates\":[116.401,39.901]}},\n"
        /* 4 duplicate of 1 */
        "{\"type\":\"Feature\",\"properties\":{\"household_id\":\"R1\","
        "\"resident_population\":\"5\"},\"geometry\":{\"type\":\"Point\","
        "\"coordinates\":[116.402,39.902]}},\n"
        /* 5 a line */
        "{\"type\":\"Feature\",\"properties\":{\"household_id\":\"R5\","
        "\"resident_population\":\"2\"},\"geometry\":{\"type\":\"LineString\","
        "\"coordinates\":[[116.40,39.90],[116.41,39.91]]}},\n"
        /* 6 no geometry at all */
        "{\"type\":\"Feature\",\"properties\":{\"household_id\":\"R6\","
        "\"resident_population\":\"2\"},\"geometry\":null},\n"
        /* 7 good */
        "{\"type\":\"Feature\",\"properties\":{\"household_id\":\"R7\","
        "\"resident_population\":\"1\"},\"geometry\":{\"type\":\"Point\","
        "\"coordinates\":[116.403,39.903]}}\n"
        "]}");
    sg_store *s = sg_test_store_new(ctx, "rejects.sqlite", 0);
    const char *db = sg_store_path(s);
    char want_path[4200];
    snprintf(want_path, sizeof want_path, "%s.households.rejects.csv", db);
    unlink(want_path);
    sg_import_result *r = NULL;
    sg_status st = sg_import(ctx, s, "households", src, NULL, &r);
    assert_sg_status(ctx, st, SG_OK);
    assert_non_null(r);
    assert_int_equal(r->read, 7);
    assert_int_equal(r->imported, 2);
    assert_int_equal(r->rejected, 5);
    assert_non_null(r->rejects_path);
    assert_string_equal(r->rejects_path, want_path);
    assert_true(r->nsamples >= 1);
    sg_import_result_free(r);

    rej_row rows[16];
    size_t n = read_rejects(want_path, rows, 16);
    assert_int_equal(n, 5);
    expect_reject(rows, n, 2, "geometry", "empty");
    expect_reject(rows, n, 3, "resident_population", "not a number");
    expect_reject(rows, n, 4, "household_id", "duplicate");
    expect_reject(rows, n, 5, "geometry", "line");
    expect_reject(rows, n, 6, "geometry", "empty");
    for (size_t i = 0; i < n; i++)
        if (rows[i].feature == 3)
            assert_string_equal(rows[i].id, "R3");

    char *got = sg_test_sql_rows(db, "SELECT household_id, "
                                     "resident_population FROM households "
                                     "ORDER BY household_id");
    assert_string_equal(got, "R1|3\nR7|1\n");
    free(got);
    sg_store_close(s);
}

/* --rejects chooses where the rejects go. */
static void test_rejects_path_option(void **state)
{
    sg_ctx *ctx = *state;
    const char *src =
        fixture("rejects2.csv", "household_id,lon,lat,resident_population\n"
                                "Q1,116.40,39.90,2\nQ2,116.41,39.91,-3\n");
    char rej[4200];
    snprintf(rej, sizeof rej, "%s", sg_test_path("my_rejects.csv"));
    sg_store *s = sg_test_store_new(ctx, "rejects2.sqlite", 0);
    sg_import_options *o = sg_import_options_new();
    assert_sg_status(ctx, sg_import_options_set_rejects(ctx, o, rej), SG_OK);
    sg_import_result *r = import_ok(ctx, s, "households", src, o);
    assert_int_equal(r->rejected, 1);
    assert_string_equal(r->rejects_path, rej);
    sg_import_result_free(r);
    sg_import_options_free(o);
    rej_row rows[4];
    size_t n = read_rejects(rej, rows, 4);
    assert_int_equal(n, 1);
    expect_reject(rows, n, 2, "resident_population", "negative");
    sg_store_close(s);
}

/* Runs every test above. \return the number of failed tests. */
int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_geojson_households),
        T(test_geojson_divisions),
        T(test_shapefile),
        T(test_gpkg),
        T(test_kml),
        T(test_kmz),
        T(test_kmz_without_libkml),
        T(test_csv_lonlat),
        T(test_xlsx_chinese_headers),
        T(test_xlsx_numeric_coordinates),
        T(test_xlsx_text_cells),
        T(test_gpkg_table_numeric_xy),
        T(test_shapefile_gbk_without_cpg),
        T(test_crs_choice_beijing),
        T(test_crs_choice_liechtenstein),
        T(test_gcj02_import),
        T(test_repair_bowtie),
        T(test_rejects),
        T(test_rejects_path_option),
    };
#undef T
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
