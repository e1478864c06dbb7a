/* Unit tests of sg_export (src/io/export.c, src/store/export_sql.c):
 * GeoJSON round trip through a second store, RFC 7946 output, personal
 * fields left out by default in every format, Shapefile encoding, KML,
 * GPKG CRS, CSV lon/lat, and the error paths. Stores are filled with
 * sg_import from text fixtures; outputs are checked with OGR, with the
 * raw bytes of the files, and with SQL on the stores.
 * Not for: import itself (test_import.c).
 * SPDX-License-Identifier: MIT */
#include <cpl_conv.h>
#include <gdal.h>
#include <math.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <unistd.h>

#include "helpers.h"

/* ---- fixtures ------------------------------------------------------------ */

/* Households in Beijing; the personal values are fake and unique so that
 * their bytes can be searched for in the outputs. */
static const char *const HOUSEHOLDS =
    "{\"type\":\"FeatureCollection\",\"features\":[\n"
    "{\"type\":\"Feature\",\"properties\":{\"household_id\":\"BJ001\","
    "\"household_head\":\"HEADFAKE1\",\"phone\":\"13900000001\","
    "\"address\":\"东四十条1号\",\"resident_population\":4,"
    "\"registered_population\":5,\"household_toilet\":\"sanitary\","
    "\"group_name\":\"第1组\",\"cleaner_id\":\"C1\"},"
    "\"geometry\":{\"type\":\"Point\",\"coordinates\":[116.3912345,39.9054321]}"
    "},\n"
    "{\"type\":\"Feature\",\"properties\":{\"household_id\":\"BJ002\","
    "\"household_head\":\"HEADFAKE2\",\"phone\":\"13900000002\","
    "\"resident_population\":2,\"household_toilet\":\"none\","
    "\"group_name\":\"第2组\"},"
    "\"geometry\":{\"type\":\"Point\",\"coordinates\":[116.4012345,39.9154321]}"
    "},\n"
    "{\"type\":\"Feature\",\"properties\":{\"household_id\":\"BJ003\","
    "\"resident_population\":0,\"household_toilet\":\"unsanitary\"},"
    "\"geometry\":{\"type\":\"Point\",\"coordinates\":[116.4112345,39.8954321]}"
    "}\n"
    "]}\n";

/* The households' ids and lon/lat, for the checks. */
static const struct {
    const char *id;
    double lon, lat;
} hh_pts[] = {{"BJ001", 116.3912345, 39.9054321},
              {"BJ002", 116.4012345, 39.9154321},
              {"BJ003", 116.4112345, 39.8954321}};

/* Divisions with Chinese names; rings counter-clockwise as RFC 7946
 * wants, so the writer has no reason to reorder vertices. */
static const char *const DIVISIONS =
    "{\"type\":\"FeatureCollection\",\"features\":[\n"
    "{\"type\":\"Feature\",\"properties\":{\"division_code\":\"110101001001\","
    "\"name\":\"东村\",\"level\":\"admin_village\",\"parent_code\":"
    "\"110101001\"},"
    "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[116.39,39.89],"
    "[116.40,39.89],[116.4012345,39.8954321],[116.40,39.90],[116.39,39.90],"
    "[116.39,39.89]]]}},\n"
    "{\"type\":\"Feature\",\"properties\":{\"division_code\":\"110101001002\","
    "\"name\":\"张家村\",\"level\":\"natural_village\","
    "\"parent_code\":\"110101001\"},"
    "\"geometry\":{\"type\":\"MultiPolygon\",\"coordinates\":[[[[116.40,39.89],"
    "[116.41,39.89],[116.41,39.90],[116.40,39.90],[116.40,39.89]]],"
    "[[[116.42,39.89],[116.43,39.89],[116.43,39.90],[116.42,39.89]]]]}}\n"
    "]}\n";

/* One grid with a fake grid leader and phone. */
static const char *const GRIDS =
    "{\"type\":\"FeatureCollection\",\"features\":[\n"
    "{\"type\":\"Feature\",\"properties\":{\"grid_code\":\"110101001001001\","
    "\"name\":\"一网格\",\"level\":\"一级\",\"division_code\":\"110101001001\","
    "\"grid_leader\":\"LEADERFAKE\",\"phone\":\"13900000009\"},"
    "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[116.39,39.89],"
    "[116.395,39.89],[116.395,39.90],[116.39,39.90],[116.39,39.89]]]}}\n"
    "]}\n";

/* One cleaner with a fake name and phone. */
static const char *const CLEANERS =
    "{\"type\":\"FeatureCollection\",\"features\":[\n"
    "{\"type\":\"Feature\",\"properties\":{\"cleaner_id\":\"C1\","
    "\"name\":\"CLEANERFAKE\",\"phone\":\"13900000007\","
    "\"division_code\":\"110101001001\"},"
    "\"geometry\":{\"type\":\"Point\",\"coordinates\":[116.392,39.895]}}\n"
    "]}\n";

/* ---- helpers ------------------------------------------------------------- */

/* Per-test state: a fresh context. \return 0, or -1 without memory. */
static int setup(void **state)
{
    sg_ctx *ctx = sg_ctx_new();
    if (!ctx)
        return -1;
    *state = ctx;
    return 0;
}

/* Free the test's context. \return 0. */
static int teardown(void **state)
{
    sg_ctx_free(*state);
    return 0;
}

/* Once per file: GDAL drivers and SpatiaLite; keep the checking SQL
 * connection open between queries (ST_Transform is slow to set up).
 * \return 0. */
static int group_setup(void **state)
{
    (void)state;
    sg_library_init();
    sg_test_sql_keep_open(1);
    return 0;
}

/* Once per file: close the checking connection, then release the
 * libraries (so leak checkers see only real leaks). \return 0. */
static int group_teardown(void **state)
{
    (void)state;
    sg_test_sql_close();
    sg_library_shutdown();
    return 0;
}

/* Import \p text (written to tmpdir/\p name) into \p layer of \p s;
 * must succeed without rejects. */
static void load(sg_ctx *ctx, sg_store *s, const char *layer, const char *name,
                 const char *text)
{
    const char *p = sg_test_path(name);
    sg_test_write_file(p, text);
    sg_import_result *r = NULL;
    assert_sg_status(ctx, sg_import(ctx, s, layer, p, NULL, &r), SG_OK);
    assert_int_equal(r->rejected, 0);
    sg_import_result_free(r);
}

/* A store named \p name with households and divisions (and, if \p all,
 * grids and cleaners). Caller closes. */
static sg_store *filled_store(sg_ctx *ctx, const char *name, int all)
{
    sg_store *s = sg_test_store_new(ctx, name, 0);
    load(ctx, s, "households", "fx_households.geojson", HOUSEHOLDS);
    load(ctx, s, "divisions", "fx_divisions.geojson", DIVISIONS);
    if (all) {
        load(ctx, s, "grids", "fx_grids.geojson", GRIDS);
        load(ctx, s, "cleaners", "fx_cleaners.geojson", CLEANERS);
    }
    return s;
}

/* Export that must succeed and write \p want features. */
static void export_ok(sg_ctx *ctx, sg_store *s, const char *layer,
                      const char *out, const sg_export_options *o,
                      long long want)
{
    long long n = -1;
    assert_sg_status(ctx, sg_export(ctx, s, layer, out, o, &n), SG_OK);
    assert_int_equal(n, want);
}

/* Every number in the rows of \p sql on \p db, in order, into \p out
 * (at most \p max). \return how many. */
static size_t numbers_of(const char *db, const char *sql, double *out,
                         size_t max)
{
    char *text = sg_test_sql_rows(db, sql);
    size_t n = 0;
    const char *p = text;
    while (*p) {
        if ((*p >= '0' && *p <= '9') ||
            ((*p == '-' || *p == '.') && p[1] >= '0' && p[1] <= '9')) {
            char *end = NULL;
            double v = strtod(p, &end);
            if (n < max)
                out[n] = v;
            n++;
            p = end;
        } else {
            p++;
        }
    }
    free(text);
    return n;
}

/* Fail unless the two number sequences agree within \p tol. */
static void check_numbers(const char *what, const double *a, size_t na,
                          const double *b, size_t nb, double tol)
{
    if (na != nb)
        fail_msg("%s: %zu numbers against %zu", what, na, nb);
    for (size_t i = 0; i < na; i++)
        if (!(fabs(a[i] - b[i]) <= tol))
            fail_msg("%s: number %zu is %.10f against %.10f (tol %g)", what, i,
                     a[i], b[i], tol);
}

/* The output files of a format: the file itself, or for a Shapefile
 * its .dbf (the attributes). */
static const char *attr_file(const char *out)
{
    size_t n = strlen(out);
    if (n > 4 && strcmp(out + n - 4, ".shp") == 0) {
        static char dbf[4200];
        snprintf(dbf, sizeof dbf, "%.*s.dbf", (int)(n - 4), out);
        return dbf;
    }
    return out;
}

/* 1 if the output \p out (any format; XLSX searched inside the zip)
 * contains the bytes \p needle. */
static int output_contains(const char *out, const char *needle)
{
    size_t n = strlen(out);
    if (n > 5 && strcmp(out + n - 5, ".xlsx") == 0)
        return sg_test_zip_contains(out, needle);
    return sg_test_file_contains(attr_file(out), needle);
}

/* ---- round trip -------------------------------------------------------- */

/* Points and polygons out to GeoJSON and into a new store: the same ids,
 * attributes and lon/lat (1e-7 degrees); the file is RFC 7946 (no "crs"
 * member, lon/lat order). */
static void test_geojson_round_trip(void **state)
{
    sg_ctx *ctx = *state;
    sg_store *a = filled_store(ctx, "rt_a.sqlite", 0);
    char dba[4200];
    snprintf(dba, sizeof dba, "%s", sg_store_path(a));
    char hh[4200], div[4200];
    snprintf(hh, sizeof hh, "%s", sg_test_path("rt_households.geojson"));
    snprintf(div, sizeof div, "%s", sg_test_path("rt_divisions.geojson"));
    export_ok(ctx, a, "households", hh, NULL, 3);
    export_ok(ctx, a, "divisions", div, NULL, 2);

    /* RFC 7946: no "crs" member; x is the longitude */
    assert_false(sg_test_file_contains(hh, "\"crs\""));
    assert_false(sg_test_file_contains(div, "\"crs\""));
    GDALDatasetH ds =
        GDALOpenEx(hh, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
    assert_non_null(ds);
    OGRLayerH l = GDALDatasetGetLayer(ds, 0);
    OGRFeatureH f;
    int nf = 0;
    while ((f = OGR_L_GetNextFeature(l)) != NULL) {
        OGRGeometryH g = OGR_F_GetGeometryRef(f);
        assert_non_null(g);
        double x = OGR_G_GetX(g, 0), y = OGR_G_GetY(g, 0);
        if (!(x >= 116.39 && x <= 116.42 && y >= 39.89 && y <= 39.92))
            fail_msg("exported point (%.7f, %.7f) is not lon/lat of the "
                     "input",
                     x, y);
        nf++;
        OGR_F_Destroy(f);
    }
    GDALClose(ds);
    assert_int_equal(nf, 3);

    sg_store *b = sg_test_store_new(ctx, "rt_b.sqlite", 0);
    char dbb[4200];
    snprintf(dbb, sizeof dbb, "%s", sg_store_path(b));
    sg_import_result *r = NULL;
    assert_sg_status(ctx, sg_import(ctx, b, "households", hh, NULL, &r), SG_OK);
    assert_int_equal(r->imported, 3);
    sg_import_result_free(r);
    assert_sg_status(ctx, sg_import(ctx, b, "divisions", div, NULL, &r), SG_OK);
    assert_int_equal(r->imported, 2);
    sg_import_result_free(r);
    assert_int_equal(sg_store_srid(b), sg_store_srid(a));

    /* attributes (personal ones stayed behind by default) */
    static const char *const q_hh =
        "SELECT household_id, address, resident_population, "
        "registered_population, household_toilet, group_name, cleaner_id "
        "FROM households ORDER BY household_id";
    static const char *const q_div =
        "SELECT division_code, name, level, parent_code FROM divisions "
        "ORDER BY division_code";
    char *ra = sg_test_sql_rows(dba, q_hh), *rb = sg_test_sql_rows(dbb, q_hh);
    assert_string_equal(rb, ra);
    assert_contains(ra, "BJ001|东四十条1号|4|5|sanitary|第1组|C1");
    free(ra);
    free(rb);
    ra = sg_test_sql_rows(dba, q_div);
    rb = sg_test_sql_rows(dbb, q_div);
    assert_string_equal(rb, ra);
    assert_contains(ra, "张家村|natural_village");
    free(ra);
    free(rb);
    assert_int_equal(sg_test_sql_number(dbb, "SELECT count(*) FROM households "
                                             "WHERE household_head IS NOT "
                                             "NULL OR phone IS NOT NULL"),
                     0);

    /* coordinates, as lon/lat by SpatiaLite in both stores */
    static const char *const c_hh =
        "SELECT ST_X(ST_Transform(geom, 4326)), ST_Y(ST_Transform(geom, "
        "4326)) FROM households ORDER BY household_id";
    static const char *const c_div =
        "SELECT AsGeoJSON(ST_Transform(geom, 4326), 10) FROM divisions "
        "ORDER BY division_code";
    double na[64], nb[64];
    size_t ka = numbers_of(dba, c_hh, na, 64),
           kb = numbers_of(dbb, c_hh, nb, 64);
    check_numbers("households", na, ka, nb, kb, 1e-7);
    assert_int_equal(ka, 6);
    for (size_t i = 0; i < 3; i++) {
        assert_true(fabs(nb[2 * i] - hh_pts[i].lon) < 1e-7);
        assert_true(fabs(nb[2 * i + 1] - hh_pts[i].lat) < 1e-7);
    }
    ka = numbers_of(dba, c_div, na, 64);
    kb = numbers_of(dbb, c_div, nb, 64);
    check_numbers("divisions", na, ka, nb, kb, 1e-7);
    /* 6 + 5 + 4 vertices, two numbers each */
    assert_int_equal(ka, 30);
    assert_true(fabs(nb[4] - 116.4012345) < 1e-7 &&
                fabs(nb[5] - 39.8954321) < 1e-7);
    sg_store_close(b);
    sg_store_close(a);
}

/* ---- personal data ------------------------------------------------------- */

/* One exported layer and the personal values it must leave out. */
static const struct personal_case {
    const char *layer;
    const char *keep;    /* a non-personal value that must be there */
    const char *fake[2]; /* personal values */
    long long count;
} personal_cases[] = {
    {"households", "BJ002", {"HEADFAKE2", "13900000002"}, 3},
    {"grids", "110101001001001", {"LEADERFAKE", "13900000009"}, 1},
    {"cleaners", "C1", {"CLEANERFAKE", "13900000007"}, 1},
};

/* Personal fields (household_head, phone; grid_leader; cleaners' name)
 * are absent from GeoJSON, CSV, XLSX and Shapefile outputs by default and
 * present with include_personal; searched in the files' bytes (inside
 * the zip for XLSX, the .dbf for Shapefile). */
static void test_personal_fields(void **state)
{
    sg_ctx *ctx = *state;
    sg_store *s = filled_store(ctx, "personal.sqlite", 1);
    static const char *const exts[] = {"geojson", "csv", "xlsx", "shp"};
    sg_export_options *with = sg_export_options_new();
    assert_sg_status(ctx, sg_export_options_set_include_personal(ctx, with, 1),
                     SG_OK);
    for (size_t e = 0; e < sizeof exts / sizeof exts[0]; e++) {
        for (size_t k = 0; k < sizeof personal_cases / sizeof personal_cases[0];
             k++) {
            const struct personal_case *c = &personal_cases[k];
            char out[4200], name[128];
            snprintf(name, sizeof name, "pers_%s_default.%s", c->layer,
                     exts[e]);
            snprintf(out, sizeof out, "%s", sg_test_path(name));
            export_ok(ctx, s, c->layer, out, NULL, c->count);
            if (!output_contains(out, c->keep))
                fail_msg("%s lacks the value %s", out, c->keep);
            for (int i = 0; i < 2; i++)
                if (output_contains(out, c->fake[i]))
                    fail_msg("%s holds personal value %s", out, c->fake[i]);

            snprintf(name, sizeof name, "pers_%s_with.%s", c->layer, exts[e]);
            snprintf(out, sizeof out, "%s", sg_test_path(name));
            export_ok(ctx, s, c->layer, out, with, c->count);
            for (int i = 0; i < 2; i++)
                if (!output_contains(out, c->fake[i]))
                    fail_msg("%s lacks personal value %s despite "
                             "include_personal",
                             out, c->fake[i]);
        }
    }
    sg_export_options_free(with);
    sg_store_close(s);
}

/* ---- formats ------------------------------------------------------------- */

/* Shapefile: a .cpg saying UTF-8, UTF-8 bytes in the DBF, and OGR reads
 * the Chinese names back. */
static void test_shapefile_utf8(void **state)
{
    sg_ctx *ctx = *state;
    sg_store *s = filled_store(ctx, "shp.sqlite", 0);
    const char *shp = sg_test_path("div_out.shp");
    export_ok(ctx, s, "divisions", shp, NULL, 2);
    char *cpg = sg_test_read_file(sg_test_path("div_out.cpg"), NULL);
    if (!cpg)
        fail_msg("no .cpg beside %s", shp);
    assert_contains(cpg, "UTF-8");
    free(cpg);
    assert_true(sg_test_file_contains(sg_test_path("div_out.dbf"), "张家村"));

    GDALDatasetH ds =
        GDALOpenEx(shp, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
    assert_non_null(ds);
    OGRLayerH l = GDALDatasetGetLayer(ds, 0);
    OGRFeatureDefnH fd = OGR_L_GetLayerDefn(l);
    /* DBF names are at most 10 characters: division_code -> div_code */
    int icode = OGR_FD_GetFieldIndex(fd, "div_code");
    int iname = OGR_FD_GetFieldIndex(fd, "name");
    assert_true(icode >= 0 && iname >= 0);
    int found = 0;
    OGRFeatureH f;
    while ((f = OGR_L_GetNextFeature(l)) != NULL) {
        if (strcmp(OGR_F_GetFieldAsString(f, icode), "110101001002") == 0) {
            assert_string_equal(OGR_F_GetFieldAsString(f, iname), "张家村");
            found = 1;
        }
        OGR_F_Destroy(f);
    }
    GDALClose(ds);
    assert_true(found);
    sg_store_close(s);
}

/* A Shapefile written by sg_export imports back with every field: DBF
 * names are at most 10 characters, so export writes short names
 * (div_code, hh_id, res_pop, ...) that import recognises. */
static void test_shapefile_round_trip(void **state)
{
    sg_ctx *ctx = *state;
    sg_store *a = filled_store(ctx, "shp_rt_a.sqlite", 0);
    char dba[4200];
    snprintf(dba, sizeof dba, "%s", sg_store_path(a));
    char div[4200], hh[4200];
    snprintf(div, sizeof div, "%s", sg_test_path("shp_rt_div.shp"));
    snprintf(hh, sizeof hh, "%s", sg_test_path("shp_rt_hh.shp"));
    export_ok(ctx, a, "divisions", div, NULL, 2);
    export_ok(ctx, a, "households", hh, NULL, 3);
    sg_store_close(a);
    sg_store *b = sg_test_store_new(ctx, "shp_rt_b.sqlite", 0);
    char dbb[4200];
    snprintf(dbb, sizeof dbb, "%s", sg_store_path(b));
    sg_import_result *r = NULL;
    assert_sg_status(ctx, sg_import(ctx, b, "divisions", div, NULL, &r), SG_OK);
    sg_import_result_free(r);
    assert_sg_status(ctx, sg_import(ctx, b, "households", hh, NULL, &r), SG_OK);
    sg_import_result_free(r);
    static const char *const q_div =
        "SELECT division_code, name, level, parent_code FROM divisions "
        "ORDER BY division_code";
    static const char *const q_hh =
        "SELECT household_id, address, resident_population, "
        "registered_population, household_toilet, group_name, cleaner_id "
        "FROM households ORDER BY household_id";
    char *ra = sg_test_sql_rows(dba, q_div), *rb = sg_test_sql_rows(dbb, q_div);
    assert_string_equal(rb, ra);
    free(ra);
    free(rb);
    ra = sg_test_sql_rows(dba, q_hh);
    rb = sg_test_sql_rows(dbb, q_hh);
    assert_string_equal(rb, ra);
    free(ra);
    free(rb);
    sg_store_close(b);
}

/* KML opens with OGR with every feature, in lon/lat. */
static void test_kml(void **state)
{
    sg_ctx *ctx = *state;
    sg_store *s = filled_store(ctx, "kml.sqlite", 0);
    const char *kml = sg_test_path("hh.kml");
    export_ok(ctx, s, "households", kml, NULL, 3);
    assert_int_equal(sg_test_ogr_count(kml), 3);
    assert_true(sg_test_file_contains(kml, "116.3912345"));
    const char *dkml = sg_test_path("div.kml");
    export_ok(ctx, s, "divisions", dkml, NULL, 2);
    assert_int_equal(sg_test_ogr_count(dkml), 2);
    assert_true(sg_test_file_contains(dkml, "张家村"));
    sg_store_close(s);
}

/* GPKG keeps the working CRS (EPSG:4548 for Beijing) and metric
 * coordinates. */
static void test_gpkg_crs(void **state)
{
    sg_ctx *ctx = *state;
    sg_store *s = filled_store(ctx, "gpkg.sqlite", 0);
    assert_int_equal(sg_store_srid(s), 4548);
    const char *gpkg = sg_test_path("hh.gpkg");
    export_ok(ctx, s, "households", gpkg, NULL, 3);
    GDALDatasetH ds =
        GDALOpenEx(gpkg, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
    assert_non_null(ds);
    OGRLayerH l = GDALDatasetGetLayerByName(ds, "households");
    assert_non_null(l);
    OGRSpatialReferenceH srs = OGR_L_GetSpatialRef(l);
    assert_non_null(srs);
    assert_string_equal(OSRGetAuthorityName(srs, NULL), "EPSG");
    assert_string_equal(OSRGetAuthorityCode(srs, NULL), "4548");
    assert_int_equal(OGR_L_GetFeatureCount(l, 1), 3);
    OGRFeatureH f = OGR_L_GetNextFeature(l);
    assert_non_null(f);
    OGRGeometryH g = OGR_F_GetGeometryRef(f);
    /* Gauss-Kruger CM 117: x about 500 km - 0.6 deg, y about 4400 km */
    assert_true(OGR_G_GetX(g, 0) > 400000 && OGR_G_GetX(g, 0) < 500000);
    assert_true(OGR_G_GetY(g, 0) > 4400000 && OGR_G_GetY(g, 0) < 4450000);
    OGR_F_Destroy(f);
    GDALClose(ds);
    /* the same point in the store */
    double x = sg_test_sql_number(sg_store_path(s),
                                  "SELECT ST_X(geom) FROM households ORDER BY "
                                  "fid LIMIT 1");
    assert_true(x > 400000 && x < 500000);
    sg_store_close(s);
}

/* CSV has lon/lat columns in degrees next to the attributes. */
static void test_csv_lonlat(void **state)
{
    sg_ctx *ctx = *state;
    sg_store *s = filled_store(ctx, "csv.sqlite", 0);
    const char *csv = sg_test_path("hh.csv");
    export_ok(ctx, s, "households", csv, NULL, 3);
    GDALDatasetH ds =
        GDALOpenEx(csv, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
    assert_non_null(ds);
    OGRLayerH l = GDALDatasetGetLayer(ds, 0);
    OGRFeatureDefnH fd = OGR_L_GetLayerDefn(l);
    int iid = OGR_FD_GetFieldIndex(fd, "household_id");
    int ilon = OGR_FD_GetFieldIndex(fd, "lon");
    int ilat = OGR_FD_GetFieldIndex(fd, "lat");
    assert_true(iid >= 0 && ilon >= 0 && ilat >= 0);
    int n = 0;
    OGRFeatureH f;
    while ((f = OGR_L_GetNextFeature(l)) != NULL) {
        const char *id = OGR_F_GetFieldAsString(f, iid);
        for (size_t i = 0; i < 3; i++)
            if (strcmp(id, hh_pts[i].id) == 0) {
                double lon = CPLAtof(OGR_F_GetFieldAsString(f, ilon));
                double lat = CPLAtof(OGR_F_GetFieldAsString(f, ilat));
                assert_true(fabs(lon - hh_pts[i].lon) < 1e-7);
                assert_true(fabs(lat - hh_pts[i].lat) < 1e-7);
                n++;
            }
        OGR_F_Destroy(f);
    }
    GDALClose(ds);
    assert_int_equal(n, 3);
    sg_store_close(s);
}

/* ---- errors -------------------------------------------------------------- */

/* An unknown layer: SG_ERR_NOT_FOUND naming it; no file written. */
static void test_unknown_layer(void **state)
{
    sg_ctx *ctx = *state;
    sg_store *s = filled_store(ctx, "unknown.sqlite", 0);
    const char *out = sg_test_path("nothing.geojson");
    long long n = -1;
    assert_sg_status(ctx, sg_export(ctx, s, "houses", out, NULL, &n),
                     SG_ERR_NOT_FOUND);
    assert_int_equal(n, 0);
    assert_contains(sg_ctx_errmsg(ctx), "houses");
    assert_int_equal(access(out, F_OK), -1);
    sg_store_close(s);
}

/* An existing output is kept unless overwrite is set. */
static void test_existing_output(void **state)
{
    sg_ctx *ctx = *state;
    sg_store *s = filled_store(ctx, "exists.sqlite", 0);
    const char *out = sg_test_path("exists.geojson");
    sg_test_write_file(out, "keep me\n");
    assert_sg_status(ctx, sg_export(ctx, s, "households", out, NULL, NULL),
                     SG_ERR_IO_WRITE);
    assert_contains(sg_ctx_errmsg(ctx), out);
    char *text = sg_test_read_file(out, NULL);
    assert_string_equal(text, "keep me\n");
    free(text);
    sg_export_options *o = sg_export_options_new();
    /* a switch is 0 or 1: 2 is refused, naming it, and changes nothing
     * (issue 18: it was read as "on") */
    assert_sg_status(ctx, sg_export_options_set_overwrite(ctx, o, 2),
                     SG_ERR_USAGE);
    assert_contains(sg_ctx_errmsg(ctx), "overwrite");
    assert_sg_status(ctx, sg_export(ctx, s, "households", out, o, NULL),
                     SG_ERR_IO_WRITE);
    assert_sg_status(ctx, sg_export_options_set_include_personal(ctx, o, -1),
                     SG_ERR_USAGE);
    assert_sg_status(ctx, sg_export_options_set_overwrite(ctx, o, 1), SG_OK);
    export_ok(ctx, s, "households", out, o, 3);
    sg_export_options_free(o);
    assert_false(sg_test_file_contains(out, "keep me"));
    assert_int_equal(sg_test_ogr_count(out), 3);
    sg_store_close(s);
}

/* Formats: unknown extension or name is a usage error; a table layer
 * cannot go to GeoJSON but goes to CSV (without the inspector unless
 * personal fields are asked for). */
static void test_formats(void **state)
{
    sg_ctx *ctx = *state;
    assert_int_equal(sg_export_format_for_path("a/b.GeoJSON"),
                     SG_EXPORT_GEOJSON);
    assert_int_equal(sg_export_format_for_path("x.shp"), SG_EXPORT_SHAPEFILE);
    assert_int_equal(sg_export_format_for_path("x.XLSX"), SG_EXPORT_XLSX);
    assert_int_equal(sg_export_format_for_path("x.dwg"), 0);
    assert_int_equal(sg_export_format_for_path("noext"), 0);
    assert_int_equal(sg_export_format_for_path(NULL), 0);
    /* the names: each driver name reads back to itself, the other
     * spellings to their driver, in any case */
    static const char *const drivers[] = {"GeoJSON", "GPKG", "KML",
                                          "CSV",     "XLSX", "ESRI Shapefile"};
    for (int i = 0; i < 6; i++) {
        sg_export_format f = (sg_export_format)0;
        assert_sg_status(ctx, sg_export_format_from_string(ctx, drivers[i], &f),
                         SG_OK);
        assert_int_equal(f, i + 1);
        assert_string_equal(sg_export_format_to_string(f), drivers[i]);
    }
    static const struct {
        const char *name;
        sg_export_format f;
    } other[] = {
        {"json", SG_EXPORT_GEOJSON},    {"GEOJSON", SG_EXPORT_GEOJSON},
        {"geopackage", SG_EXPORT_GPKG}, {"kml", SG_EXPORT_KML},
        {"shp", SG_EXPORT_SHAPEFILE},   {"Shapefile", SG_EXPORT_SHAPEFILE}};
    for (size_t i = 0; i < sizeof other / sizeof other[0]; i++) {
        sg_export_format f = (sg_export_format)0;
        assert_sg_status(
            ctx, sg_export_format_from_string(ctx, other[i].name, &f), SG_OK);
        assert_int_equal(f, other[i].f);
    }
    sg_export_format f = SG_EXPORT_KML;
    assert_sg_status(ctx, sg_export_format_from_string(ctx, "dwg", &f),
                     SG_ERR_USAGE);
    assert_contains(sg_ctx_errmsg(ctx), "format 'dwg'");
    assert_sg_status(ctx, sg_export_format_from_string(ctx, NULL, &f),
                     SG_ERR_USAGE);
    assert_sg_status(ctx, sg_export_format_from_string(ctx, "", &f),
                     SG_ERR_USAGE);
    assert_int_equal(f, SG_EXPORT_KML);
    assert_null(sg_export_format_to_string((sg_export_format)0));
    assert_null(sg_export_format_to_string((sg_export_format)7));
    sg_export_options *o = sg_export_options_new();
    assert_int_equal(sg_export_options_get_format(o), 0);
    assert_sg_status(ctx,
                     sg_export_options_set_format(ctx, o, (sg_export_format)7),
                     SG_ERR_USAGE);
    assert_sg_status(
        ctx, sg_export_options_set_format(ctx, o, SG_EXPORT_SHAPEFILE), SG_OK);
    assert_int_equal(sg_export_options_get_format(o), SG_EXPORT_SHAPEFILE);
    assert_sg_status(ctx, sg_export_options_set_format(ctx, o, 0), SG_OK);
    assert_int_equal(sg_export_options_get_format(o), 0);
    sg_export_options_free(o);

    sg_store *s = sg_test_store_new(ctx, "formats.sqlite", 0);
    const char *out = sg_test_path("hh.dwg");
    assert_sg_status(ctx, sg_export(ctx, s, "households", out, NULL, NULL),
                     SG_ERR_USAGE);
    assert_contains(sg_ctx_errmsg(ctx), out);
    const char *ins = sg_test_path("insp_in.csv");
    sg_test_write_file(ins, "date,unit_code,score,inspector\n"
                            "2026-11-03,U1,90,INSPFAKE\n");
    sg_import_result *r = NULL;
    assert_sg_status(ctx, sg_import(ctx, s, "inspections", ins, NULL, &r),
                     SG_OK);
    sg_import_result_free(r);
    assert_sg_status(ctx,
                     sg_export(ctx, s, "inspections",
                               sg_test_path("insp.geojson"), NULL, NULL),
                     SG_ERR_USAGE);
    const char *csv = sg_test_path("insp_out.csv");
    export_ok(ctx, s, "inspections", csv, NULL, 1);
    assert_true(sg_test_file_contains(csv, "2026-11-03"));
    /* the inspector is personal too */
    assert_false(sg_test_file_contains(csv, "INSPFAKE"));
    sg_export_options *with = sg_export_options_new();
    assert_sg_status(ctx, sg_export_options_set_include_personal(ctx, with, 1),
                     SG_OK);
    const char *csv2 = sg_test_path("insp_out_personal.csv");
    export_ok(ctx, s, "inspections", csv2, with, 1);
    sg_export_options_free(with);
    assert_true(sg_test_file_contains(csv2, "INSPFAKE"));
    sg_store_close(s);
}

/* Whether the folder of the test files holds a temporary output. */
static int temp_left(void)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", sg_test_path("x"));
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    DIR *d = opendir(dir);
    int found = 0;
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL)
        found |= strstr(e->d_name, "sgtmp") != NULL;
    if (d)
        closedir(d);
    return found;
}

/* No output may be the store or its -wal/-shm/-journal, by any name
 * (issue 17: an export over the store left it at 0 bytes). */
static void test_output_is_store(void **state)
{
    sg_ctx *ctx = *state;
    sg_store *s = filled_store(ctx, "self.sqlite", 0);
    const char *path = sg_store_path(s);
    char buf[4200];
    assert_sg_status(ctx, sg_store_check_output_path(ctx, s, path),
                     SG_ERR_USAGE);
    assert_contains(sg_ctx_errmsg(ctx), "is the store");
    const char *const suffixes[] = {"-wal", "-shm", "-journal"};
    for (int i = 0; i < 3; i++) {
        snprintf(buf, sizeof buf, "%s%s", path, suffixes[i]);
        assert_sg_status(ctx, sg_store_check_output_path(ctx, s, buf),
                         SG_ERR_USAGE);
    }
    /* another spelling of the same name, and a hard link */
    const char *slash = strrchr(path, '/');
    snprintf(buf, sizeof buf, "%.*s/./%s", (int)(slash - path), path,
             slash + 1);
    assert_sg_status(ctx, sg_store_check_output_path(ctx, s, buf),
                     SG_ERR_USAGE);
    const char *link_path = sg_test_path("self-link.gpkg");
    unlink(link_path);
    assert_int_equal(link(path, link_path), 0);
    assert_sg_status(ctx, sg_store_check_output_path(ctx, s, link_path),
                     SG_ERR_USAGE);
    /* other files are fine */
    assert_sg_status(
        ctx, sg_store_check_output_path(ctx, s, sg_test_path("self.gpkg")),
        SG_OK);
    snprintf(buf, sizeof buf, "%s-walnut", path);
    assert_sg_status(ctx, sg_store_check_output_path(ctx, s, buf), SG_OK);

    /* the writers refuse, and the store stays whole */
    sg_export_options *o = sg_export_options_new();
    assert_sg_status(ctx, sg_export_options_set_overwrite(ctx, o, 1), SG_OK);
    assert_sg_status(ctx, sg_export_options_set_format(ctx, o, SG_EXPORT_GPKG),
                     SG_OK);
    assert_sg_status(ctx, sg_export(ctx, s, "households", path, o, NULL),
                     SG_ERR_USAGE);
    assert_sg_status(ctx, sg_export(ctx, s, "households", link_path, o, NULL),
                     SG_ERR_USAGE);
    sg_export_options_free(o);
    assert_sg_status(ctx, sg_report(ctx, s, NULL, path, NULL), SG_ERR_USAGE);
    snprintf(buf, sizeof buf, "%s-wal", path);
    assert_sg_status(ctx, sg_report(ctx, s, NULL, buf, NULL), SG_ERR_USAGE);
    unlink(link_path);
    char store_path[4096];
    snprintf(store_path, sizeof store_path, "%s", path);
    sg_store_close(s);
    assert_sg_status(ctx, sg_store_open(ctx, store_path, SG_STORE_READONLY, &s),
                     SG_OK);
    export_ok(ctx, s, "households", sg_test_path("self-after.geojson"), NULL,
              3);
    sg_store_close(s);
    assert_false(temp_left());
}

static int cancel_cb(double complete, const char *msg, void *user)
{
    (void)complete;
    (void)msg;
    (*(int *)user)++;
    return 0;
}

/* A cancelled export leaves an earlier output as it was and no
 * temporary file (issue 17). */
static void test_export_cancelled(void **state)
{
    sg_ctx *ctx = *state;
    sg_store *s = filled_store(ctx, "cancel.sqlite", 0);
    const char *exts[] = {"geojson", "gpkg", "kml", "csv", "xlsx", "shp"};
    for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++) {
        char name[64];
        snprintf(name, sizeof name, "cancel.%s", exts[i]);
        const char *out = sg_test_path(name);
        sg_test_write_file(out, "keep me\n");
        sg_export_options *o = sg_export_options_new();
        assert_sg_status(ctx, sg_export_options_set_overwrite(ctx, o, 1),
                         SG_OK);
        int calls = 0;
        sg_ctx_set_progress(ctx, cancel_cb, &calls);
        assert_sg_status(ctx, sg_export(ctx, s, "households", out, o, NULL),
                         SG_ERR_CANCELLED);
        sg_ctx_set_progress(ctx, NULL, NULL);
        sg_export_options_free(o);
        assert_true(calls > 0);
        char *text = sg_test_read_file(out, NULL);
        assert_string_equal(text, "keep me\n");
        free(text);
        assert_false(temp_left());
    }
    sg_store_close(s);
}

/* Runs every test above. \return the number of failed tests. */
int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_geojson_round_trip),
        T(test_personal_fields),
        T(test_shapefile_utf8),
        T(test_shapefile_round_trip),
        T(test_kml),
        T(test_gpkg_crs),
        T(test_csv_lonlat),
        T(test_unknown_layer),
        T(test_existing_output),
        T(test_formats),
        T(test_output_is_store),
        T(test_export_cancelled),
    };
#undef T
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
