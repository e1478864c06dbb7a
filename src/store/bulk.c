/* Fast point scans and bulk-loaded result layers (see bulk_int.h): the
 * SpatiaLite BLOB-Geometry format read and written directly for points;
 * result layers with a plain BLOB geometry column registered after the
 * inserts.
 * Not for: other geometry types (sg__store_scan hands out WKB).
 * SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/ctx_int.h"
#include "store/bulk_int.h"
#include "store/store_pg_int.h"
#include "store/store_sqlite_int.h"

/* Run a SELECT of one integer built from \p sql (sqlite3_mprintf'd, freed
 * here). \return SG_OK and *out, or the store's error. */
static sg_status query_int(sg_ctx *ctx, sg_store *store, char *sql,
                           const char *what, long long *out)
{
    sqlite3_stmt *st = NULL;
    if (!sql)
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    int rc = sqlite3_prepare_v2(store->db, sql, -1, &st, NULL);
    sqlite3_free(sql);
    if (rc != SQLITE_OK)
        return sg__store_sql_error(ctx, store, what);
    rc = sqlite3_step(st);
    *out = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return sg__store_sql_error(ctx, store, what);
    return SG_OK;
}

/* Read a little-endian (\p le) or big-endian 4-byte integer at \p p. */
static uint32_t get_u32(const unsigned char *p, int le)
{
    return le ? (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
                    (uint32_t)p[3] << 24
              : (uint32_t)p[3] | (uint32_t)p[2] << 8 | (uint32_t)p[1] << 16 |
                    (uint32_t)p[0] << 24;
}

/* Read an 8-byte double at \p p in byte order \p le. */
static double get_f64(const unsigned char *p, int le)
{
    uint64_t u = 0;
    for (int i = 0; i < 8; i++)
        u |= (uint64_t)p[le ? i : 7 - i] << (8 * i);
    double v;
    memcpy(&v, &u, 8);
    return v;
}

/* Decode a SpatiaLite BLOB-Geometry holding a point (XY, XYZ, XYM or
 * XYZM): START 0x00, byte order, SRID, MBR, 0x7C, class, x, y, ...
 * \return 1 and the coordinates, or 0 for anything else. */
static int splite_point(const unsigned char *b, int n, double *x, double *y)
{
    if (!b || n < 60 || b[0] != 0x00 || b[1] > 1 || b[38] != 0x7C)
        return 0;
    int le = b[1] == 1;
    uint32_t cls = get_u32(b + 39, le);
    if (cls != 1 && cls != 1001 && cls != 2001 && cls != 3001)
        return 0;
    *x = get_f64(b + 43, le);
    *y = get_f64(b + 51, le);
    return *x == *x && *y == *y;
}

sg_status sg__store_scan_points(sg_ctx *ctx, sg_store *store, const char *layer,
                                const char *const *cols, size_t ncols,
                                const char *filter_col,
                                const char *filter_value, sg__point_row_fn fn,
                                void *user)
{
    SG_PG_DISPATCH(store, sg__pg_scan_points(ctx, store, layer, cols, ncols,
                                             filter_col, filter_value, fn,
                                             user));
    char *list = sqlite3_mprintf("%s", "");
    for (size_t i = 0; i < ncols && list; i++) {
        char *n = sqlite3_mprintf("%s\"%w\", ", list, cols[i]);
        sqlite3_free(list);
        list = n;
    }
    char *sql =
        list ? sqlite3_mprintf("SELECT %sgeom FROM \"%w\"%s%w%s "
                               "ORDER BY fid",
                               list, layer, filter_col ? " WHERE \"" : "",
                               filter_col ? filter_col : "",
                               filter_col ? "\" = ?" : "")
             : NULL;
    sqlite3_free(list);
    if (!sql)
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(store->db, sql, -1, &st, NULL);
    sqlite3_free(sql);
    if (rc != SQLITE_OK)
        return sg__store_sql_error(ctx, store, layer);
    if (filter_col)
        sqlite3_bind_text(st, 1, filter_value, -1, SQLITE_STATIC);
    sg_status s = SG_OK;
    int g = (int)ncols;
    sg__row row = SG_ROW_OF(st);
    while (s == SG_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        double x = 0, y = 0;
        int has = splite_point(sqlite3_column_blob(st, g),
                               sqlite3_column_bytes(st, g), &x, &y);
        s = fn(&row, has, x + 0.0, y + 0.0, user);
    }
    if (s == SG_OK && rc != SQLITE_DONE)
        s = sg__store_sql_error(ctx, store, layer);
    sqlite3_finalize(st);
    return s;
}

/* An earlier bulk layer \p name without a spatial index: unregister its
 * geometry column here, because the generic drop would ask SpatiaLite to
 * disable an index that does not exist (which SpatiaLite reports on
 * stderr). */
static sg_status forget_unindexed(sg_ctx *ctx, sg_store *store,
                                  const char *name)
{
    long long n = 0;
    sg_status s = query_int(
        ctx, store,
        sqlite3_mprintf("SELECT count(*) FROM geometry_columns g JOIN "
                        "sg_layers l ON l.name = %Q AND l.kind = 'result' "
                        "WHERE g.f_table_name = lower(%Q) AND "
                        "g.f_geometry_column = 'geom' AND "
                        "g.spatial_index_enabled = 0",
                        name, name),
        name, &n);
    if (s || n == 0)
        return s;
    char *sql = sqlite3_mprintf("SELECT DiscardGeometryColumn(%Q, 'geom'); "
                                "UPDATE sg_layers SET geometry_type = NULL "
                                "WHERE name = %Q;",
                                name, name);
    s = sql ? sg__store_exec(ctx, store, sql)
            : sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    sqlite3_free(sql);
    return s;
}

sg_status sg__store_create_bulk_result(sg_ctx *ctx, sg_store *store,
                                       const char *name, const sg__column *cols,
                                       size_t ncols, const char *title_zh,
                                       const char *title_en)
{
    if (!store->srid)
        return sg__error(ctx, SG_ERR_INPUT,
                         "store %s has no working CRS yet; import data first",
                         store->path);
    if (SG_IS_PG(store)) {
        /* a geometry column without type, given one at the finish */
        sg_status s = sg__pg_create_result(ctx, store, name, NULL, cols,
                                           ncols, title_zh, title_en);
        char *t = s == SG_OK ? sg__pg_ident(store, name) : NULL;
        char *sql = t ? sg__aprintf("ALTER TABLE %s ADD COLUMN geom geometry",
                                    t)
                      : NULL;
        if (s == SG_OK)
            s = sql ? sg__pg_exec(ctx, store, name, sql)
                    : sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        free(sql);
        if (t)
            PQfreemem(t);
        return s;
    }
    sg_status s = forget_unindexed(ctx, store, name);
    if (s == SG_OK)
        s = sg__store_create_result(ctx, store, name, NULL, cols, ncols,
                                    title_zh, title_en);
    if (s == SG_OK) {
        char *sql =
            sqlite3_mprintf("ALTER TABLE \"%w\" ADD COLUMN geom BLOB", name);
        s = sql ? sg__store_exec(ctx, store, sql)
                : sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        sqlite3_free(sql);
    }
    return s;
}

sg_status sg__store_prepare_bulk_insert(sg_ctx *ctx, sg_store *store,
                                        const char *name,
                                        const sg__column *cols, size_t ncols,
                                        sg__insert **out)
{
    sqlite3_stmt *stmt = NULL;
    *out = NULL;
    if (SG_IS_PG(store)) {
        const char *names[64];
        if (ncols > 64)
            return sg__error(ctx, SG_ERR_USAGE, "%s: too many columns", name);
        for (size_t i = 0; i < ncols; i++)
            names[i] = cols[i].name;
        return sg__pg_prepare_insert(ctx, store, name, names, ncols, 1, -1,
                                     out);
    }
    char *names = sqlite3_mprintf("%s", "");
    char *vals = sqlite3_mprintf("%s", "");
    for (size_t i = 0; i < ncols && names && vals; i++) {
        char *n = sqlite3_mprintf("%s\"%w\", ", names, cols[i].name);
        char *v = sqlite3_mprintf("%s?, ", vals);
        sqlite3_free(names);
        sqlite3_free(vals);
        names = n;
        vals = v;
    }
    char *sql = names && vals ? sqlite3_mprintf("INSERT INTO \"%w\" (%sgeom) "
                                                "VALUES (%s?)",
                                                name, names, vals)
                              : NULL;
    sqlite3_free(names);
    sqlite3_free(vals);
    if (!sql)
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    int rc = sqlite3_prepare_v2(store->db, sql, -1, &stmt, NULL);
    sqlite3_free(sql);
    if (rc != SQLITE_OK)
        return sg__store_sql_error(ctx, store, name);
    return sg__insert_wrap(ctx, stmt, out);
}

/* Write \p v little endian at \p p. */
static void put_i32(unsigned char *p, int32_t v)
{
    uint32_t u = (uint32_t)v;
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(u >> (8 * i));
}

/* Write \p v little endian at \p p. */
static void put_f64(unsigned char *p, double v)
{
    uint64_t u;
    memcpy(&u, &v, 8);
    for (int i = 0; i < 8; i++)
        p[i] = (unsigned char)(u >> (8 * i));
}

void sg__store_point_blob(const sg_store *store, double x, double y,
                          unsigned char buf[SG_POINT_BLOB_SIZE])
{
    /* SpatiaLite BLOB-Geometry: START, little endian, SRID, MBR,
     * MBR_END, class POINT, x, y, END */
    buf[0] = 0x00;
    buf[1] = 0x01;
    put_i32(buf + 2, store->srid);
    put_f64(buf + 6, x);
    put_f64(buf + 14, y);
    put_f64(buf + 22, x);
    put_f64(buf + 30, y);
    buf[38] = 0x7C;
    put_i32(buf + 39, 1);
    put_f64(buf + 43, x);
    put_f64(buf + 51, y);
    buf[59] = 0xFE;
}

sg_status sg__store_finish_bulk_result(sg_ctx *ctx, sg_store *store,
                                       const char *name, const char *geom_type,
                                       int with_index)
{
    SG_PG_DISPATCH(store, sg__pg_finish_bulk_result(ctx, store, name,
                                                    geom_type, with_index));
    long long ok = 0;
    sg_status s = query_int(
        ctx, store,
        sqlite3_mprintf("SELECT RecoverGeometryColumn(%Q, 'geom', %d, %Q, "
                        "'XY')",
                        name, store->srid, geom_type),
        name, &ok);
    if (s)
        return s;
    if (ok != 1)
        return sg__error(ctx, SG_ERR_DB,
                         "%s: SpatiaLite did not accept the geometry column",
                         name);
    char *sql = sqlite3_mprintf("UPDATE sg_layers SET geometry_type = %Q "
                                "WHERE name = %Q;",
                                geom_type, name);
    s = sql ? sg__store_exec(ctx, store, sql)
            : sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    sqlite3_free(sql);
    if (s == SG_OK && with_index) {
        sql = sqlite3_mprintf("SELECT CreateSpatialIndex(%Q, 'geom');", name);
        s = sql ? sg__store_exec(ctx, store, sql)
                : sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        sqlite3_free(sql);
    }
    return s;
}

void sg__insert_bulk_point(const sg_store *store, sg__insert *ins, int param,
                           double x, double y)
{
    if (ins->kind == SG_BACKEND_PG) {
        sg__pg_insert_point(ins->pg, param, x, y);
        return;
    }
    unsigned char b[SG_POINT_BLOB_SIZE];
    sg__store_point_blob(store, x, y, b);
    sqlite3_bind_blob(SG_STMT(ins), param, b, sizeof b, SQLITE_TRANSIENT);
}
