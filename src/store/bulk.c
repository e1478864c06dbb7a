/* Fast point scans and bulk-loaded result layers (see bulk_int.h): the
 * SpatiaLite BLOB-Geometry format read and written directly for points;
 * result layers with a plain BLOB geometry column registered after the
 * inserts.
 * Not for: other geometry types (sg__store_scan hands out WKB).
 * SPDX-License-Identifier: MIT */
#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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
    SG_PG_DISPATCH(store,
                   sg__pg_scan_points(ctx, store, layer, cols, ncols,
                                      filter_col, filter_value, fn, user));
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

sg_status sg__store_create_bulk_result(sg_ctx *ctx, sg_store *store,
                                       const char *name, const sg__column *cols,
                                       size_t ncols, const char *geom_type,
                                       int with_index, const char *title_zh,
                                       const char *title_en)
{
    if (!store->srid)
        return sg__error(ctx, SG_ERR_INPUT,
                         "store %s has no working CRS yet; import data first",
                         store->path);
    /* PostgreSQL: the geometry column typed now (typing it after the rows
     * would rewrite the table: a third of coverage's writing time at M),
     * its index dropped for the load and built after the rows
     * (sg__store_bulk_load_begin) */
    SG_PG_DISPATCH(store,
                   sg__pg_create_result(ctx, store, name, geom_type, cols,
                                        ncols, title_zh, title_en, with_index));
    return sg__sqlite_create_result(ctx, store, name, geom_type, cols, ncols,
                                    title_zh, title_en, with_index);
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

/* ---- bulk loading of an input layer -------------------------------------- */

/* SpatiaLite's per-row triggers dropped during a bulk load: geometry
 * type/SRID check, "last insert" time, R*Tree insert. */
static const char *const bulk_triggers[] = {"ggi", "tmi", "gii"};
enum { NBULK_TRIG = 3 };

enum { NCHECKS = 32 };

struct sg__bulk_load {
    char *layer;
    long long before; /* largest rowid before the load */
    int old_cache;    /* PRAGMA cache_size to restore */
    int cache_set;
    int has_geom;               /* geometry column registered */
    int indexed;                /* with a spatial index */
    int trusted;                /* a result layer of points: its blobs are
                                   ours (sg__store_point_blob), not checked
                                   again at the end */
    int geom_type, srid;        /* as geometry_columns has them */
    char *trig_sql[NBULK_TRIG]; /* SQL of the dropped triggers */
    char *pg_index_sql;         /* PostgreSQL: the GiST index dropped for
                                   the load, rebuilt at its end */
    int checks_off;             /* CHECK constraints deferred to the end
                                   (sg__store_bulk_load_defer_checks) */
    char *chk[NCHECKS];         /* their expressions, tested at the end */
    int nchk;
};

/* PostgreSQL: a result layer's GiST index is dropped for a load of about
 * as many rows as the layer held (a COPY of polygons into an indexed table
 * costs three times the rows alone: blind spots at M) and built once at
 * the end. Same table, same transaction: a reader's view stays whole.
 * Input layers keep theirs (their readers would wait for the import). */
static sg_status pg_bulk_begin(sg_ctx *ctx, sg_store *store, sg__bulk_load *b,
                               long long expected_rows)
{
    char *t = sg__pg_ident(store, b->layer);
    if (!t)
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    char rows[32];
    snprintf(rows, sizeof rows, "%lld", expected_rows);
    const char *p[3] = {t, b->layer, rows};
    PGresult *res = sg__pg_query(
        ctx, store, b->layer,
        "SELECT c.relname, pg_get_indexdef(i.indexrelid), "
        "r.reltuples <= 4 * $3::bigint FROM pg_index i JOIN pg_class c ON "
        "c.oid = "
        "i.indexrelid JOIN pg_class r ON r.oid = i.indrelid JOIN pg_am a ON "
        "a.oid = c.relam WHERE i.indrelid = to_regclass($1) AND a.amname = "
        "'gist' AND EXISTS (SELECT 1 FROM sg_layers WHERE name = $2 AND kind "
        "= 'result')",
        3, p);
    PQfreemem(t);
    if (!res)
        return sg_ctx_status(ctx);
    sg_status s = SG_OK;
    if (PQntuples(res) == 1 && !strcmp(PQgetvalue(res, 0, 2), "t")) {
        char *ix = sg__pg_ident(store, PQgetvalue(res, 0, 0));
        char *drop = ix ? sg__aprintf("DROP INDEX %s", ix) : NULL;
        b->pg_index_sql = strdup(PQgetvalue(res, 0, 1));
        s = drop && b->pg_index_sql
                ? sg__pg_exec(ctx, store, b->layer, drop)
                : sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        free(drop);
        if (ix)
            PQfreemem(ix);
    }
    PQclear(res);
    return s;
}

sg_status sg__store_bulk_load_begin(sg_ctx *ctx, sg_store *store,
                                    const char *layer, long long expected_rows,
                                    sg__bulk_load **out)
{
    *out = NULL;
    sg__bulk_load *b = calloc(1, sizeof *b);
    if (!b || !(b->layer = sqlite3_mprintf("%s", layer))) {
        free(b);
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    }
    long long v = 0;
    sg_status s = SG_OK;
    if (SG_IS_PG(store)) { /* COPY is the bulk load there */
        s = pg_bulk_begin(ctx, store, b, expected_rows);
        goto done;
    }
    s = query_int(ctx, store, sqlite3_mprintf("PRAGMA cache_size"), layer, &v);
    if (s)
        goto done;
    b->old_cache = (int)v;
    /* 256 bytes of table, index and R*Tree pages a row (a household row
     * and its index entries take about 180, a result row up to 250), so
     * that a load does not spill its pages to the WAL again and again;
     * at most 512 MiB (SQLite allocates the cache as pages are used) */
    long long kib = 16384 + (expected_rows > 0 ? expected_rows : 0) / 4;
    if (kib > 524288)
        kib = 524288;
    if (b->old_cache < 0 ? -b->old_cache < kib : b->old_cache * 4 < kib) {
        char *sql = sqlite3_mprintf("PRAGMA cache_size = -%lld", kib);
        s = sql ? sg__store_exec(ctx, store, sql)
                : sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        sqlite3_free(sql);
        if (s)
            goto done;
        b->cache_set = 1;
    }
    if ((s = query_int(ctx, store,
                       sqlite3_mprintf("SELECT coalesce(max(rowid), 0) FROM "
                                       "\"%w\"",
                                       layer),
                       layer, &b->before)))
        goto done;
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(store->db,
                           "SELECT geometry_type, srid, spatial_index_enabled "
                           "FROM geometry_columns WHERE f_table_name = "
                           "lower(?) AND f_geometry_column = 'geom'",
                           -1, &q, NULL) != SQLITE_OK) {
        s = sg__store_sql_error(ctx, store, layer);
        goto done;
    }
    sqlite3_bind_text(q, 1, layer, -1, SQLITE_STATIC);
    if (sqlite3_step(q) == SQLITE_ROW) {
        b->has_geom = 1;
        b->geom_type = sqlite3_column_int(q, 0);
        b->srid = sqlite3_column_int(q, 1);
        b->indexed = sqlite3_column_int(q, 2) == 1;
    }
    sqlite3_finalize(q);
    if (!b->has_geom)
        goto done;
    long long result = 0;
    if ((s = query_int(ctx, store,
                       sqlite3_mprintf("SELECT count(*) FROM sg_layers WHERE "
                                       "name = %Q AND kind = 'result'",
                                       layer),
                       layer, &result)))
        goto done;
    b->trusted = result > 0 && b->geom_type == 1; /* POINT, XY */
    for (int i = 0; i < NBULK_TRIG && s == SG_OK; i++) {
        char *name = sqlite3_mprintf("%s_%s_geom", bulk_triggers[i], layer);
        q = NULL;
        if (!name ||
            sqlite3_prepare_v2(store->db,
                               "SELECT sql FROM sqlite_master WHERE type = "
                               "'trigger' AND name = ?",
                               -1, &q, NULL) != SQLITE_OK) {
            sqlite3_free(name);
            s = sg__store_sql_error(ctx, store, layer);
            break;
        }
        sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
        if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_text(q, 0)) {
            b->trig_sql[i] =
                sqlite3_mprintf("%s", (const char *)sqlite3_column_text(q, 0));
            char *drop = sqlite3_mprintf("DROP TRIGGER \"%w\"", name);
            s = b->trig_sql[i] && drop
                    ? sg__store_exec(ctx, store, drop)
                    : sg__error(ctx, SG_ERR_NOMEM, "out of memory");
            sqlite3_free(drop);
        }
        sqlite3_finalize(q);
        sqlite3_free(name);
    }
done:
    if (s) {
        sg__store_bulk_load_free(store, b);
        return s;
    }
    *out = b;
    return SG_OK;
}

/* ---- packing an empty R*Tree (Sort-Tile-Recursive) ---------------------- */

/* A box of the R*Tree in single precision, rounded outwards as SQLite's
 * rtree module rounds a double it stores; id = row (leaf) or node. */
typedef struct rbox {
    float x0, x1, y0, y1;
    long long id;
} rbox;

static float down(double v)
{
    float f = (float)v;
    return (double)f > v ? nextafterf(f, -INFINITY) : f;
}

static float up(double v)
{
    float f = (float)v;
    return (double)f < v ? nextafterf(f, INFINITY) : f;
}

static int cmp_x(const void *a, const void *b)
{
    const rbox *p = a, *q = b;
    float u = p->x0 + p->x1, v = q->x0 + q->x1;
    return u < v ? -1 : u > v ? 1 : (p->id > q->id) - (p->id < q->id);
}

static int cmp_y(const void *a, const void *b)
{
    const rbox *p = a, *q = b;
    float u = p->y0 + p->y1, v = q->y0 + q->y1;
    return u < v ? -1 : u > v ? 1 : (p->id > q->id) - (p->id < q->id);
}

/* Big-endian writes of the rtree node format. */
static void put_be16(unsigned char *p, unsigned v)
{
    p[0] = (unsigned char)(v >> 8);
    p[1] = (unsigned char)v;
}

static void put_be64(unsigned char *p, long long v)
{
    uint64_t u = (uint64_t)v;
    for (int i = 0; i < 8; i++)
        p[i] = (unsigned char)(u >> (56 - 8 * i));
}

static void put_bef(unsigned char *p, float f)
{
    uint32_t u;
    memcpy(&u, &f, 4);
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(u >> (24 - 8 * i));
}

/* Order \p n boxes into runs of \p m (one node each) by STR: slices by x,
 * then y within each slice. */
static void str_order(rbox *b, size_t n, size_t m)
{
    size_t leaves = (n + m - 1) / m;
    size_t slices = (size_t)ceil(sqrt((double)leaves));
    size_t per = slices ? ((leaves + slices - 1) / slices) * m : n;
    qsort(b, n, sizeof *b, cmp_x);
    for (size_t a = 0; a < n; a += per)
        qsort(b + a, (a + per < n ? per : n - a), sizeof *b, cmp_y);
}

/* Fill the empty R*Tree "idx_<layer>_geom" with the \p n boxes of \p b
 * (reordered) by writing its node, parent and rowid tables directly, as
 * GDAL's GeoPackage driver does: the tree SQLite's rtree module would
 * read back, packed full, in one pass instead of n inserts. */
static sg_status pack_rtree(sg_ctx *ctx, sg_store *store, const char *layer,
                            rbox *b, size_t n)
{
    char *name = sqlite3_mprintf("idx_%s_geom", layer);
    sqlite3_stmt *qn = NULL, *qp = NULL, *qr = NULL;
    unsigned char *blob = NULL;
    rbox *up_level = NULL;
    sg_status s = SG_OK;
    long long size = 0;
    if (!name)
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    char *sql = sqlite3_mprintf("SELECT length(data) FROM \"%w_node\" WHERE "
                                "nodeno = 1",
                                name);
    if ((s = query_int(ctx, store, sql, layer, &size)))
        goto done;
    size_t m = size > 4 ? (size_t)(size - 4) / 24 : 0;
    if (m < 4) {
        s = sg__error(ctx, SG_ERR_DB, "%s: unexpected spatial index node size",
                      layer);
        goto done;
    }
    sql = sqlite3_mprintf("DELETE FROM \"%w_node\"; DELETE FROM \"%w_parent\"; "
                          "DELETE FROM \"%w_rowid\";",
                          name, name, name);
    s = sql ? sg__store_exec(ctx, store, sql)
            : sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    sqlite3_free(sql);
    if (s)
        goto done;
    char *a = sqlite3_mprintf("INSERT INTO \"%w_node\" (nodeno, data) VALUES "
                              "(?, ?)",
                              name);
    char *p = sqlite3_mprintf("INSERT INTO \"%w_parent\" (nodeno, parentnode) "
                              "VALUES (?, ?)",
                              name);
    char *r = sqlite3_mprintf("INSERT INTO \"%w_rowid\" (rowid, nodeno) VALUES "
                              "(?, ?)",
                              name);
    int rc = a && p && r ? sqlite3_prepare_v2(store->db, a, -1, &qn, NULL) |
                               sqlite3_prepare_v2(store->db, p, -1, &qp, NULL) |
                               sqlite3_prepare_v2(store->db, r, -1, &qr, NULL)
                         : SQLITE_NOMEM;
    sqlite3_free(a);
    sqlite3_free(p);
    sqlite3_free(r);
    blob = malloc((size_t)size);
    up_level = malloc(((n + m - 1) / m + 1) * sizeof *up_level);
    if (rc != SQLITE_OK || !blob || !up_level) {
        s = rc != SQLITE_OK ? sg__store_sql_error(ctx, store, layer)
                            : sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        goto done;
    }
    /* height of the tree: levels of nodes above the rows */
    int height = 1;
    for (size_t k = (n + m - 1) / m; k > 1; k = (k + m - 1) / m)
        height++;
    /* node numbers: the root is 1, the others count down from the top so
     * that each level knows its parents' numbers before writing them */
    long long total = 0;
    size_t cnt[64];
    {
        size_t k = n;
        for (int lv = 0; lv < height; lv++) {
            k = (k + m - 1) / m;
            cnt[lv] = k;
            total += (long long)k;
        }
    }
    /* first node number of each level (level height-1 is the root) */
    long long first[64];
    long long next = 1;
    for (int lv = height - 1; lv >= 0; lv--) {
        first[lv] = next;
        next += (long long)cnt[lv];
    }
    (void)total;
    size_t k = n;
    for (int lv = 0; lv < height && s == SG_OK; lv++) {
        str_order(b, k, m);
        size_t nodes = (k + m - 1) / m;
        for (size_t j = 0; j < nodes && s == SG_OK; j++) {
            size_t a0 = j * m, a1 = a0 + m < k ? a0 + m : k;
            long long nodeno = first[lv] + (long long)j;
            memset(blob, 0, (size_t)size);
            put_be16(blob, lv == height - 1 ? (unsigned)(height - 1) : 0);
            put_be16(blob + 2, (unsigned)(a1 - a0));
            rbox u = b[a0];
            for (size_t i = a0; i < a1; i++) {
                unsigned char *c = blob + 4 + (i - a0) * 24;
                put_be64(c, b[i].id);
                put_bef(c + 8, b[i].x0);
                put_bef(c + 12, b[i].x1);
                put_bef(c + 16, b[i].y0);
                put_bef(c + 20, b[i].y1);
                u.x0 = fminf(u.x0, b[i].x0);
                u.x1 = fmaxf(u.x1, b[i].x1);
                u.y0 = fminf(u.y0, b[i].y0);
                u.y1 = fmaxf(u.y1, b[i].y1);
                /* where each child lives: rows in _rowid, nodes in
                 * _parent */
                sqlite3_stmt *q = lv == 0 ? qr : qp;
                sqlite3_bind_int64(q, 1, b[i].id);
                sqlite3_bind_int64(q, 2, nodeno);
                if (sqlite3_step(q) != SQLITE_DONE)
                    s = sg__store_sql_error(ctx, store, layer);
                sqlite3_reset(q);
            }
            sqlite3_bind_int64(qn, 1, nodeno);
            sqlite3_bind_blob(qn, 2, blob, (int)size, SQLITE_STATIC);
            if (s == SG_OK && sqlite3_step(qn) != SQLITE_DONE)
                s = sg__store_sql_error(ctx, store, layer);
            sqlite3_reset(qn);
            u.id = nodeno;
            up_level[j] = u;
        }
        memcpy(b, up_level, nodes * sizeof *b);
        k = nodes;
    }
done:
    sqlite3_finalize(qn);
    sqlite3_finalize(qp);
    sqlite3_finalize(qr);
    free(blob);
    free(up_level);
    sqlite3_free(name);
    return s;
}

/* Fill the spatial index of \p b's layer from the rows after b->before:
 * packed directly when the index is empty, else inserted. */
static sg_status fill_index(sg_ctx *ctx, sg_store *store, sg__bulk_load *b)
{
    const char *l = b->layer;
    long long old = 0;
    sg_status s = query_int(ctx, store,
                            sqlite3_mprintf("SELECT count(*) FROM "
                                            "\"idx_%w_geom_rowid\"",
                                            l),
                            l, &old);
    if (s)
        return s;
    if (old > 0) {
        char *sql = sqlite3_mprintf(
            "DELETE FROM \"idx_%w_geom\" WHERE pkid > %lld; "
            "INSERT INTO \"idx_%w_geom\" (pkid, xmin, xmax, ymin, ymax) "
            "SELECT rowid, MbrMinX(geom), MbrMaxX(geom), MbrMinY(geom), "
            "MbrMaxY(geom) FROM \"%w\" WHERE rowid > %lld AND geom IS NOT "
            "NULL AND NOT ST_IsEmpty(geom);",
            l, b->before, l, l, b->before);
        s = sql ? sg__store_exec(ctx, store, sql)
                : sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        sqlite3_free(sql);
        return s;
    }
    sqlite3_stmt *q = NULL;
    char *sql = sqlite3_mprintf(
        "SELECT rowid, MbrMinX(geom), MbrMaxX(geom), MbrMinY(geom), "
        "MbrMaxY(geom) FROM \"%w\" WHERE rowid > %lld AND geom IS NOT NULL "
        "AND NOT ST_IsEmpty(geom)",
        l, b->before);
    int rc =
        sql ? sqlite3_prepare_v2(store->db, sql, -1, &q, NULL) : SQLITE_NOMEM;
    sqlite3_free(sql);
    if (rc != SQLITE_OK)
        return sg__store_sql_error(ctx, store, l);
    size_t n = 0, cap = 1024;
    rbox *bx = malloc(cap * sizeof *bx);
    while (bx && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        if (n == cap) {
            rbox *t = realloc(bx, 2 * cap * sizeof *bx);
            if (!t) {
                free(bx);
                bx = NULL;
                break;
            }
            bx = t;
            cap *= 2;
        }
        bx[n].id = sqlite3_column_int64(q, 0);
        bx[n].x0 = down(sqlite3_column_double(q, 1));
        bx[n].x1 = up(sqlite3_column_double(q, 2));
        bx[n].y0 = down(sqlite3_column_double(q, 3));
        bx[n].y1 = up(sqlite3_column_double(q, 4));
        n++;
    }
    sqlite3_finalize(q);
    if (!bx)
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    if (rc != SQLITE_DONE) {
        free(bx);
        return sg__store_sql_error(ctx, store, l);
    }
    s = n ? pack_rtree(ctx, store, l, bx, n) : SG_OK;
    free(bx);
    return s;
}

/* Skip the SQL token at \p p that cannot hold a CHECK keyword of its own
 * (a string, a quoted name, a comment): \return the position after it,
 * or \p p if there is none there. */
static const char *skip_quoted(const char *p)
{
    char close = *p == '\''  ? '\''
                 : *p == '"' ? '"'
                 : *p == '`' ? '`'
                 : *p == '[' ? ']'
                             : 0;
    if (close) {
        for (p++; *p; p++)
            if (*p == close) {
                if (close != ']' && p[1] == close) {
                    p++; /* doubled quote */
                    continue;
                }
                return p + 1;
            }
        return p;
    }
    if (p[0] == '-' && p[1] == '-') {
        while (*p && *p != '\n')
            p++;
        return p;
    }
    if (p[0] == '/' && p[1] == '*') {
        const char *e = strstr(p + 2, "*/");
        return e ? e + 2 : p + strlen(p);
    }
    return p;
}

/* The expressions of the CHECK constraints in \p create (a CREATE TABLE
 * statement as sqlite_master keeps it), each as it is written between
 * its parentheses: *n of them into \p out (at most \p max; each
 * sqlite3_free(); \p out comes zeroed). *n is -1 when the text is not
 * understood (the expressions kept so far are still to be freed).
 * \return SG_OK, or SG_ERR_NOMEM. */
static sg_status check_exprs(sg_ctx *ctx, const char *create, char **out,
                             int max, int *n)
{
    *n = 0;
    for (const char *p = create; p && *p;) {
        const char *q = skip_quoted(p);
        if (q != p) {
            p = q;
            continue;
        }
        if (!isalpha((unsigned char)*p) && *p != '_') {
            p++;
            continue;
        }
        q = p;
        while (isalnum((unsigned char)*q) || *q == '_')
            q++;
        int is_check = q - p == 5 && strncasecmp(p, "CHECK", 5) == 0;
        p = q;
        if (!is_check)
            continue;
        while (isspace((unsigned char)*p))
            p++;
        if (*p != '(')
            continue;
        const char *open = ++p;
        int depth = 1;
        while (*p && depth > 0) {
            q = skip_quoted(p);
            if (q != p) {
                p = q;
                continue;
            }
            depth += *p == '(' ? 1 : *p == ')' ? -1 : 0;
            p++;
        }
        if (depth != 0 || *n >= max) {
            *n = -1; /* not understood: the caller keeps SQLite's checks */
            return SG_OK;
        }
        if (!(out[*n] = sqlite3_mprintf("%.*s", (int)(p - 1 - open), open)))
            return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        (*n)++;
    }
    return SG_OK;
}

sg_status sg__store_bulk_load_defer_checks(sg_ctx *ctx, sg_store *store,
                                           sg__bulk_load *b)
{
    if (!b || SG_IS_PG(store) || b->checks_off)
        return SG_OK;
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(store->db,
                           "SELECT sql FROM sqlite_master WHERE type = "
                           "'table' AND name = ?",
                           -1, &q, NULL) != SQLITE_OK)
        return sg__store_sql_error(ctx, store, b->layer);
    sqlite3_bind_text(q, 1, b->layer, -1, SQLITE_STATIC);
    char *create = NULL;
    if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_text(q, 0))
        create = sqlite3_mprintf("%s", (const char *)sqlite3_column_text(q, 0));
    sqlite3_finalize(q);
    int n = 0;
    sg_status s = check_exprs(ctx, create, b->chk, NCHECKS, &n);
    sqlite3_free(create);
    if (s == SG_OK && n > 0)
        s = sg__store_exec(ctx, store, "PRAGMA ignore_check_constraints = ON");
    if (s || n <= 0) {
        for (int i = 0; i < NCHECKS && b->chk[i]; i++) {
            sqlite3_free(b->chk[i]);
            b->chk[i] = NULL;
        }
        return s;
    }
    b->nchk = n;
    b->checks_off = 1;
    return SG_OK;
}

/* Turn CHECK constraints back on after a deferred load and test the new
 * rows against each of the table's CHECK constraints once (a constraint
 * holds where its expression is true or NULL, as in SQLite's own test):
 * a value the importer let through that the store's schema forbids fails
 * the load, naming the constraint. */
static sg_status checks_back_on(sg_ctx *ctx, sg_store *store, sg__bulk_load *b)
{
    if (!b->checks_off)
        return SG_OK;
    b->checks_off = 0;
    sg_status s =
        sg__store_exec(ctx, store, "PRAGMA ignore_check_constraints = OFF");
    /* one pass over the new rows for all of them; each apart only to name
     * the one broken */
    char *any = sqlite3_mprintf("NOT (%s)", b->chk[0]);
    for (int i = 1; i < b->nchk && any; i++) {
        char *t = sqlite3_mprintf("%s OR NOT (%s)", any, b->chk[i]);
        sqlite3_free(any);
        any = t;
    }
    long long nbad = 0;
    if (s == SG_OK)
        s = any ? query_int(ctx, store,
                            sqlite3_mprintf("SELECT count(*) FROM \"%w\" WHERE "
                                            "rowid > %lld AND (%s)",
                                            b->layer, b->before, any),
                            b->layer, &nbad)
                : sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    sqlite3_free(any);
    for (int i = 0; i < b->nchk && s == SG_OK && nbad > 0; i++) {
        long long bad = 0;
        s = query_int(ctx, store,
                      sqlite3_mprintf("SELECT count(*) FROM \"%w\" WHERE "
                                      "rowid > %lld AND NOT (%s)",
                                      b->layer, b->before, b->chk[i]),
                      b->layer, &bad);
        if (s == SG_OK && bad > 0) {
            char text[512]; /* the expression on one line */
            size_t k = 0;
            for (const char *c = b->chk[i]; *c && k + 1 < sizeof text; c++)
                if (!isspace((unsigned char)*c))
                    text[k++] = *c;
                else if (k && text[k - 1] != ' ')
                    text[k++] = ' ';
            text[k] = '\0';
            s = sg__error(ctx, SG_ERR_DB,
                          "%s: %lld of the new rows break the store's "
                          "constraint CHECK (%s); nothing was imported",
                          b->layer, bad, text);
        }
    }
    return s;
}

sg_status sg__store_bulk_load_end(sg_ctx *ctx, sg_store *store,
                                  sg__bulk_load *b)
{
    sg_status cs = b ? checks_back_on(ctx, store, b) : SG_OK;
    if (cs)
        return cs;
    if (b && b->pg_index_sql)
        return sg__pg_exec(ctx, store, b->layer, b->pg_index_sql);
    if (!b || !b->has_geom)
        return SG_OK;
    const char *l = b->layer;
    long long bad = 0;
    /* the check the type/SRID trigger did per row, once over the new rows
     * (not of a result layer's points: a re-reading of a million rows) */
    sg_status s =
        b->trusted
            ? SG_OK
            : query_int(
                  ctx, store,
                  sqlite3_mprintf(
                      "SELECT count(*) FROM \"%w\" WHERE rowid > %lld AND "
                      "geom IS NOT NULL AND "
                      "GeometryConstraints(geom, %d, %d) IS NOT 1",
                      l, b->before, b->geom_type, b->srid),
                  l, &bad);
    if (s)
        return s;
    if (bad > 0)
        return sg__error(ctx, SG_ERR_DB,
                         "%s: %lld geometries do not match the layer's "
                         "geometry type or CRS",
                         l, bad);
    if (b->indexed && (s = fill_index(ctx, store, b)))
        return s;
    char *sql = sqlite3_mprintf("%s", "");
    char *t = sql ? sqlite3_mprintf(
                        "%sUPDATE geometry_columns_time SET last_insert = "
                        "strftime('%%Y-%%m-%%dT%%H:%%M:%%fZ', 'now') WHERE "
                        "lower(f_table_name) = lower(%Q) AND "
                        "lower(f_geometry_column) = 'geom';",
                        sql, l)
                  : NULL;
    sqlite3_free(sql);
    sql = t;
    for (int i = 0; i < NBULK_TRIG && sql; i++) {
        if (!b->trig_sql[i])
            continue;
        t = sqlite3_mprintf("%s%s;", sql, b->trig_sql[i]);
        sqlite3_free(sql);
        sql = t;
    }
    s = sql ? sg__store_exec(ctx, store, sql)
            : sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    sqlite3_free(sql);
    if (s == SG_OK)
        for (int i = 0; i < NBULK_TRIG; i++) {
            sqlite3_free(b->trig_sql[i]);
            b->trig_sql[i] = NULL;
        }
    return s;
}

void sg__store_bulk_load_free(sg_store *store, sg__bulk_load *b)
{
    if (!b)
        return;
    if (b->checks_off) /* an import that failed before its end */
        sqlite3_exec(store->db, "PRAGMA ignore_check_constraints = OFF", NULL,
                     NULL, NULL);
    for (int i = 0; i < NCHECKS; i++)
        sqlite3_free(b->chk[i]);
    if (b->cache_set) {
        char sql[64];
        snprintf(sql, sizeof sql, "PRAGMA cache_size = %d", b->old_cache);
        sqlite3_exec(store->db, sql, NULL, NULL, NULL);
    }
    for (int i = 0; i < NBULK_TRIG; i++)
        sqlite3_free(b->trig_sql[i]);
    free(b->pg_index_sql);
    sqlite3_free(b->layer);
    free(b);
}

void sg__insert_point(const sg_store *store, sg__insert *ins, int param,
                      double x, double y)
{
    sg__insert_bulk_point(store, ins, param, x, y);
}
