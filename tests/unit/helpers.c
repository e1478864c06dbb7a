/* Helpers shared by the unit tests. SPDX-License-Identifier: MIT */
/* GDAL's VSIStatBufL is struct stat64 on glibc */
#define _LARGEFILE64_SOURCE 1
#include <sqlite3.h>
#include <spatialite.h>
#include <cpl_conv.h>
#include <cpl_string.h>
#include <cpl_vsi.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
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

/* The read-only connection (with SpatiaLite) of the sg_test_sql_*
 * functions. By default it is closed after each query; with
 * sg_test_sql_keep_open(1) it stays open for the next query on the same
 * file (same path, device, inode, size and mtime), which saves ~10 ms per
 * query and ~80 ms per first ST_Transform (PROJ set-up). An open fd keeps
 * the inode alive, so a replaced file never matches a stale connection. */
static struct {
    sqlite3 *db;
    void *cache;
    char path[4096];
    struct stat sb;
} conn;
static int keep_open;

void sg_test_sql_close(void)
{
    if (conn.db) {
        sqlite3_close(conn.db);
        spatialite_cleanup_ex(conn.cache);
    }
    memset(&conn, 0, sizeof conn);
}

void sg_test_sql_keep_open(int on)
{
    keep_open = on;
    if (!on)
        sg_test_sql_close();
}

/* Forget the cached connection if it is to \p path. */
static void forget_db(const char *path)
{
    if (conn.db && strcmp(conn.path, path) == 0)
        sg_test_sql_close();
}

/* 1 if \p a and \p b describe the same, unchanged file. */
static int same_file(const struct stat *a, const struct stat *b)
{
    return a->st_dev == b->st_dev && a->st_ino == b->st_ino &&
           a->st_size == b->st_size && a->st_mtim.tv_sec == b->st_mtim.tv_sec &&
           a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

/* Open db_path read-only with SpatiaLite loaded, or reuse the kept
 * connection to it. Borrowed; give it back with release_db(). */
static sqlite3 *open_db(const char *db_path)
{
    struct stat sb;
    int have = stat(db_path, &sb) == 0;
    if (conn.db && strcmp(conn.path, db_path) == 0 && have &&
        same_file(&sb, &conn.sb))
        return conn.db;
    sg_test_sql_close();
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL),
                     SQLITE_OK);
    conn.db = db;
    conn.cache = spatialite_alloc_connection();
    spatialite_init_ex(db, conn.cache, 0);
    snprintf(conn.path, sizeof conn.path, "%s", db_path);
    if (have)
        conn.sb = sb;
    return db;
}

/* End of a query: close the connection unless it is kept open. */
static void release_db(void)
{
    if (!keep_open)
        sg_test_sql_close();
}

double sg_test_sql_number(const char *db_path, const char *sql)
{
    sqlite3 *db = open_db(db_path);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        fail_msg("SQL %s: %s", sql, sqlite3_errmsg(db));
    int rc = sqlite3_step(st);
    double v = sqlite3_column_double(st, 0);
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW)
        fail_msg("SQL %s: no row (%s)", sql, sqlite3_errmsg(db));
    release_db();
    return v;
}

const char *sg_test_sql_text(const char *db_path, const char *sql)
{
    static char buf[4096];
    sqlite3 *db = open_db(db_path);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        fail_msg("SQL %s: %s", sql, sqlite3_errmsg(db));
    buf[0] = '\0';
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
        snprintf(buf, sizeof buf, "%s", sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    release_db();
    return buf;
}

char *sg_test_sql_rows(const char *db_path, const char *sql)
{
    sqlite3 *db = open_db(db_path);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        fail_msg("SQL %s: %s", sql, sqlite3_errmsg(db));
    size_t cap = 256, len = 0;
    char *out = malloc(cap);
    assert_non_null(out);
    out[0] = '\0';
    while (sqlite3_step(st) == SQLITE_ROW) {
        int n = sqlite3_column_count(st);
        for (int i = 0; i < n; i++) {
            const char *v = (const char *)sqlite3_column_text(st, i);
            size_t vl = v ? strlen(v) : 0;
            while (len + vl + 3 > cap) {
                cap *= 2;
                out = realloc(out, cap);
                assert_non_null(out);
            }
            if (vl)
                memcpy(out + len, v, vl);
            len += vl;
            out[len++] = i + 1 < n ? '|' : '\n';
            out[len] = '\0';
        }
    }
    sqlite3_finalize(st);
    release_db();
    return out;
}

/* 1 if \p h contains \p n, ASCII letters compared case-insensitively. */
static int contains_nocase(const char *h, const char *n)
{
    size_t k = strlen(n);
    for (; *h; h++)
        if (strncasecmp(h, n, k) == 0)
            return 1;
    return k == 0;
}

void sg_test_check_status(const sg_ctx *ctx, sg_status got, sg_status want,
                          const char *file, int line)
{
    if (got == want)
        return;
    print_error("status %s, want %s; message: %s\n", sg_status_name(got),
                sg_status_name(want), ctx ? sg_ctx_errmsg(ctx) : "");
    _fail(file, line);
}

void sg_test_check_contains(const char *haystack, const char *needle,
                            const char *file, int line)
{
    if (haystack && needle && contains_nocase(haystack, needle))
        return;
    print_error("'%s' does not contain '%s'\n", haystack ? haystack : "(null)",
                needle ? needle : "(null)");
    _fail(file, line);
}

/* Copy file \p from to \p to (whole file). */
static void copy_file(const char *from, const char *to)
{
    size_t n = 0;
    char *buf = sg_test_read_file(from, &n);
    if (!buf)
        fail_msg("cannot read %s", from);
    sg_test_write_bytes(to, buf, n);
    free(buf);
}

/* Remove \p path and its SQLite -wal/-shm files. */
static void remove_db(const char *path)
{
    char aux[4200];
    unlink(path);
    snprintf(aux, sizeof aux, "%s-wal", path);
    unlink(aux);
    snprintf(aux, sizeof aux, "%s-shm", path);
    unlink(aux);
}

sg_store *sg_test_store_new(sg_ctx *ctx, const char *name, int srid)
{
    /* sg_store_create takes ~0.4 s (SpatiaLite metadata), so each process
     * creates one closed template per SRID and copies it. */
    char tmpl[4200], path[4200];
    snprintf(tmpl, sizeof tmpl, "%s", sg_test_path("_template"));
    snprintf(tmpl + strlen(tmpl), sizeof tmpl - strlen(tmpl), "_%d.sqlite",
             srid);
    snprintf(path, sizeof path, "%s", sg_test_path(name));
    struct stat sb;
    sg_store *s = NULL;
    if (stat(tmpl, &sb) != 0) {
        remove_db(tmpl);
        if (sg_store_create(ctx, tmpl, srid, &s) != SG_OK)
            fail_msg("sg_store_create %s: %s", tmpl, sg_ctx_errmsg(ctx));
        sg_store_close(s);
        s = NULL;
    }
    forget_db(path);
    remove_db(path);
    copy_file(tmpl, path);
    if (sg_store_open(ctx, path, 0, &s) != SG_OK)
        fail_msg("sg_store_open %s: %s", path, sg_ctx_errmsg(ctx));
    return s;
}

char *sg_test_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0, got;
    char *buf = malloc(cap + 1);
    assert_non_null(buf);
    while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            cap *= 2;
            buf = realloc(buf, cap + 1);
            assert_non_null(buf);
        }
    }
    fclose(f);
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

void sg_test_write_bytes(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    fclose(f);
}

/* 1 if the \p n bytes at \p buf contain \p needle. */
static int bytes_contain(const char *buf, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    if (k == 0)
        return 1;
    for (size_t i = 0; i + k <= n; i++)
        if (memcmp(buf + i, needle, k) == 0)
            return 1;
    return 0;
}

int sg_test_file_contains(const char *path, const char *needle)
{
    size_t n = 0;
    char *buf = sg_test_read_file(path, &n);
    if (!buf)
        fail_msg("cannot read %s", path);
    int found = bytes_contain(buf, n, needle);
    free(buf);
    return found;
}

/* Search every file under the VSI directory \p dir for \p needle. */
static int vsi_tree_contains(const char *dir, const char *needle)
{
    char **names = VSIReadDir(dir);
    int found = 0;
    for (int i = 0; names && names[i] && !found; i++) {
        char *p = CPLStrdup(CPLFormFilename(dir, names[i], NULL));
        VSIStatBufL sb;
        if (VSIStatL(p, &sb) == 0) {
            if (VSI_ISDIR(sb.st_mode)) {
                found = vsi_tree_contains(p, needle);
            } else {
                VSILFILE *f = VSIFOpenL(p, "rb");
                if (f) {
                    size_t n = (size_t)sb.st_size;
                    char *buf = malloc(n + 1);
                    assert_non_null(buf);
                    size_t got = VSIFReadL(buf, 1, n, f);
                    VSIFCloseL(f);
                    found = bytes_contain(buf, got, needle);
                    free(buf);
                }
            }
        }
        CPLFree(p);
    }
    CSLDestroy(names);
    return found;
}

int sg_test_zip_contains(const char *path, const char *needle)
{
    char root[4200];
    snprintf(root, sizeof root, "/vsizip/%s", path);
    char **names = VSIReadDir(root);
    if (!names)
        fail_msg("%s is not a readable zip archive", path);
    CSLDestroy(names);
    return vsi_tree_contains(root, needle);
}

void sg_test_ogr_write(const char *driver, const char *path, const char *layer,
                       int epsg, int gtype, const char *const *lco,
                       const char *const *fields, const char *const *rows,
                       size_t nrows)
{
    GDALDriverH drv = GDALGetDriverByName(driver);
    if (!drv)
        fail_msg("GDAL has no %s driver", driver);
    struct stat sb;
    GDALDatasetH ds = stat(path, &sb) == 0
                          ? GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_UPDATE,
                                       NULL, NULL, NULL)
                          : GDALCreate(drv, path, 0, 0, 0, GDT_Unknown, NULL);
    if (!ds)
        fail_msg("cannot create %s: %s", path, CPLGetLastErrorMsg());
    OGRSpatialReferenceH srs = NULL;
    if (epsg) {
        srs = OSRNewSpatialReference(NULL);
        assert_int_equal(OSRImportFromEPSG(srs, epsg), OGRERR_NONE);
        OSRSetAxisMappingStrategy(srs, OAMS_TRADITIONAL_GIS_ORDER);
    }
    OGRLayerH lyr = GDALDatasetCreateLayer(
        ds, layer, srs, (OGRwkbGeometryType)gtype, (char **)lco);
    if (!lyr)
        fail_msg("cannot create layer %s in %s: %s", layer, path,
                 CPLGetLastErrorMsg());
    size_t nf = 0;
    while (fields && fields[nf])
        nf++;
    for (size_t i = 0; i < nf; i++) {
        char name[256];
        snprintf(name, sizeof name, "%s", fields[i]);
        OGRFieldType t = OFTString;
        char *colon = strrchr(name, ':');
        if (colon && strcmp(colon, ":int") == 0) {
            t = OFTInteger;
            *colon = '\0';
        } else if (colon && strcmp(colon, ":real") == 0) {
            t = OFTReal;
            *colon = '\0';
        }
        OGRFieldDefnH fd = OGR_Fld_Create(name, t);
        assert_int_equal(OGR_L_CreateField(lyr, fd, 1), OGRERR_NONE);
        OGR_Fld_Destroy(fd);
    }
    for (size_t r = 0; r < nrows; r++) {
        const char *const *row = rows + r * (nf + 1);
        OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(lyr));
        if (row[0]) {
            OGRGeometryH g = NULL;
            char *wkt = (char *)row[0];
            if (OGR_G_CreateFromWkt(&wkt, srs, &g) != OGRERR_NONE)
                fail_msg("bad WKT %s", row[0]);
            OGR_F_SetGeometryDirectly(f, g);
        }
        for (size_t i = 0; i < nf; i++)
            if (row[i + 1])
                OGR_F_SetFieldString(f, (int)i, row[i + 1]);
        if (OGR_L_CreateFeature(lyr, f) != OGRERR_NONE)
            fail_msg("cannot write feature %zu to %s: %s", r + 1, path,
                     CPLGetLastErrorMsg());
        OGR_F_Destroy(f);
    }
    if (srs)
        OSRDestroySpatialReference(srs);
    CPLErrorReset();
    GDALClose(ds);
    if (CPLGetLastErrorType() == CE_Failure)
        fail_msg("closing %s: %s", path, CPLGetLastErrorMsg());
}

long long sg_test_ogr_count(const char *path)
{
    GDALDatasetH ds =
        GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
    if (!ds)
        return -1;
    long long n = 0;
    for (int i = 0; i < GDALDatasetGetLayerCount(ds); i++)
        n += OGR_L_GetFeatureCount(GDALDatasetGetLayer(ds, i), 1);
    GDALClose(ds);
    return n;
}
