/* Rows and inserts of the PostgreSQL/PostGIS store (store_pg_int.h):
 * server-side cursors read in batches (text format; bytea such as
 * ST_AsBinary(geom) decoded on demand), scans of layers, inserts buffered
 * as COPY text rows (geometry as hex EWKB with the working CRS's SRID) and
 * sent in one COPY per few megabytes, result layers with geometry(TYPE,
 * srid) columns and GiST indexes.
 * Not for: connecting, schema or settings (pg.c).
 * SPDX-License-Identifier: MIT */
#include <libpq-fe.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/ctx_int.h"
#include "store/bulk_int.h"
#include "store/pg_port_int.h"
#include "store/store_pg_int.h"

/* Type OIDs of pg_type (stable since PostgreSQL 7). */
enum {
    OID_BOOL = 16,
    OID_BYTEA = 17,
    OID_INT8 = 20,
    OID_INT2 = 21,
    OID_INT4 = 23,
    OID_FLOAT4 = 700,
    OID_FLOAT8 = 701,
    OID_NUMERIC = 1700
};

#define FETCH_ROWS 2000
#define COPY_FLUSH_BYTES (4u << 20)

/* ---- cursors --------------------------------------------------------------
 */

struct sg__pg_cursor {
    sg_store *store; /* borrowed */
    char name[40];
    int began;      /* we began the read transaction */
    int open;       /* the server-side cursor is declared */
    PGresult *res;  /* the current batch */
    int row, nrows; /* position in it */
    int done;       /* the last batch was short */
    int ncols;
    unsigned char **blob; /* per column: decoded bytea of the current row */
    size_t *blen;
};

sg_status sg__pg_cursor_open(sg_ctx *ctx, sg_store *store, const char *sql,
                             const char *param, sg__pg_cursor **out)
{
    *out = NULL;
    sg__pg_cursor *c = calloc(1, sizeof *c);
    if (!c)
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    c->store = store;
    snprintf(c->name, sizeof c->name, "sg_cursor_%lu", ++store->cursor_seq);
    sg_status st = SG_OK;
    if (!store->in_tx && !store->read_tx &&
        PQtransactionStatus(store->pg) == PQTRANS_IDLE) {
        /* one snapshot for the whole read */
        st = sg__pg_exec(ctx, store, "beginning a read",
                         "BEGIN ISOLATION LEVEL REPEATABLE READ");
        c->began = st == SG_OK;
        store->read_tx = c->began;
    }
    char *decl = st == SG_OK ? sg__aprintf("DECLARE %s NO SCROLL CURSOR FOR %s",
                                           c->name, sql)
                             : NULL;
    if (st == SG_OK && !decl)
        st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    if (st == SG_OK) {
        const char *p[1] = {param};
        PGresult *res = sg__pg_query(ctx, store, "reading the layer", decl,
                                     param ? 1 : 0, param ? p : NULL);
        if (!res)
            st = sg_ctx_status(ctx) ? sg_ctx_status(ctx) : SG_ERR_DB;
        PQclear(res);
        c->open = st == SG_OK;
    }
    free(decl);
    if (st) {
        sg__pg_cursor_close(c);
        return st;
    }
    *out = c;
    return SG_OK;
}

static void free_blobs(sg__pg_cursor *c)
{
    for (int i = 0; c->blob && i < c->ncols; i++) {
        if (c->blob[i])
            PQfreemem(c->blob[i]);
        c->blob[i] = NULL;
        c->blen[i] = 0;
    }
}

int sg__pg_cursor_next(sg_ctx *ctx, sg__pg_cursor *c, sg__row *row)
{
    free_blobs(c);
    if (c->res && c->row + 1 < c->nrows) {
        c->row++;
    } else {
        PQclear(c->res);
        c->res = NULL;
        if (c->done || !c->open)
            return 0;
        char sql[96];
        snprintf(sql, sizeof sql, "FETCH FORWARD %d FROM %s", FETCH_ROWS,
                 c->name);
        c->res = sg__pg_query(ctx, c->store, "reading the layer", sql, 0, NULL);
        if (!c->res)
            return -1;
        c->nrows = PQntuples(c->res);
        c->done = c->nrows < FETCH_ROWS;
        c->row = 0;
        if (c->ncols == 0) {
            c->ncols = PQnfields(c->res);
            c->blob = calloc((size_t)c->ncols + 1, sizeof *c->blob);
            c->blen = calloc((size_t)c->ncols + 1, sizeof *c->blen);
            if (!c->blob || !c->blen) {
                sg__error(ctx, SG_ERR_NOMEM, "out of memory");
                return -1;
            }
        }
        if (c->nrows == 0)
            return 0;
    }
    row->kind = SG_BACKEND_PG;
    row->stmt = NULL;
    row->pg = c;
    return 1;
}

void sg__pg_cursor_close(sg__pg_cursor *c)
{
    if (!c)
        return;
    free_blobs(c);
    free(c->blob);
    free(c->blen);
    PQclear(c->res);
    sg_store *s = c->store;
    if (c->open && PQtransactionStatus(s->pg) == PQTRANS_INTRANS) {
        char sql[64];
        snprintf(sql, sizeof sql, "CLOSE %s", c->name);
        PGresult *r = PQexec(s->pg, sql);
        PQclear(r);
    }
    if (c->began && s->read_tx) {
        PGresult *r = PQexec(s->pg, "COMMIT");
        PQclear(r);
        s->read_tx = 0;
    }
    free(c);
}

int sg__pg_row_is_null(sg__pg_cursor *c, int col)
{
    return col >= PQnfields(c->res) || PQgetisnull(c->res, c->row, col);
}

sg__valtype sg__pg_row_type(sg__pg_cursor *c, int col)
{
    if (sg__pg_row_is_null(c, col))
        return SG_VAL_NULL;
    switch (PQftype(c->res, col)) {
    case OID_INT2:
    case OID_INT4:
    case OID_INT8:
    case OID_BOOL: return SG_VAL_INT;
    case OID_FLOAT4:
    case OID_FLOAT8:
    case OID_NUMERIC: return SG_VAL_REAL;
    case OID_BYTEA: return SG_VAL_BLOB;
    default: return SG_VAL_TEXT;
    }
}

double sg__pg_row_double(sg__pg_cursor *c, int col)
{
    if (sg__pg_row_is_null(c, col))
        return 0;
    const char *s = PQgetvalue(c->res, c->row, col);
    if (PQftype(c->res, col) == OID_BOOL)
        return s[0] == 't';
    double d = 0;
    if (!sg__parse_double(s, &d)) {
        if (!strcmp(s, "NaN"))
            d = NAN;
        else if (!strcmp(s, "Infinity"))
            d = INFINITY;
        else if (!strcmp(s, "-Infinity"))
            d = -INFINITY;
    }
    return d;
}

long long sg__pg_row_int64(sg__pg_cursor *c, int col)
{
    if (sg__pg_row_is_null(c, col))
        return 0;
    Oid t = PQftype(c->res, col);
    const char *s = PQgetvalue(c->res, c->row, col);
    if (t == OID_BOOL)
        return s[0] == 't';
    if (t == OID_INT2 || t == OID_INT4 || t == OID_INT8)
        return strtoll(s, NULL, 10);
    double d = sg__pg_row_double(c, col);
    return d == d && fabs(d) < 9.2e18 ? (long long)d : 0;
}

const char *sg__pg_row_text(sg__pg_cursor *c, int col)
{
    return sg__pg_row_is_null(c, col) ? NULL : PQgetvalue(c->res, c->row, col);
}

const void *sg__pg_row_blob(sg__pg_cursor *c, int col, size_t *size)
{
    *size = 0;
    if (sg__pg_row_is_null(c, col) || col >= c->ncols)
        return NULL;
    if (PQftype(c->res, col) != OID_BYTEA) {
        *size = (size_t)PQgetlength(c->res, c->row, col);
        return *size ? PQgetvalue(c->res, c->row, col) : NULL;
    }
    if (!c->blob[col]) {
        c->blob[col] = PQunescapeBytea(
            (const unsigned char *)PQgetvalue(c->res, c->row, col),
            &c->blen[col]);
        if (!c->blob[col])
            return NULL;
    }
    *size = c->blen[col];
    return *size ? c->blob[col] : NULL;
}

/* ---- scans ------------------------------------------------------------------
 */

char *sg__pg_scan_sql(sg_store *store, const char *layer,
                      const char *const *cols, size_t ncols, const char *extra,
                      const char *filter_col)
{
    size_t cap = 256, len = 0;
    char *list = malloc(cap);
    if (!list)
        return NULL;
    list[0] = '\0';
    for (size_t i = 0; i < ncols + (extra ? 1 : 0); i++) {
        char *q = i < ncols ? sg__pg_ident(store, cols[i]) : NULL;
        const char *item = i < ncols ? q : extra;
        if (!item) {
            free(list);
            return NULL;
        }
        size_t need = len + strlen(item) + 4;
        if (need > cap) {
            cap = need * 2;
            char *n = realloc(list, cap);
            if (!n) {
                PQfreemem(q);
                free(list);
                return NULL;
            }
            list = n;
        }
        len += (size_t)snprintf(list + len, cap - len, "%s%s", i ? ", " : "",
                                item);
        PQfreemem(q);
    }
    char *t = sg__pg_ident(store, layer);
    char *f = filter_col ? sg__pg_ident(store, filter_col) : NULL;
    char *sql = NULL;
    if (t && (f || !filter_col))
        sql = f ? sg__aprintf("SELECT %s FROM %s WHERE %s = $1 ORDER BY fid",
                              *list ? list : "NULL", t, f)
                : sg__aprintf("SELECT %s FROM %s ORDER BY fid",
                              *list ? list : "NULL", t);
    PQfreemem(t);
    PQfreemem(f);
    free(list);
    return sql;
}

sg_status sg__pg_scan(sg_ctx *ctx, sg_store *store, const char *layer,
                      const char *const *cols, size_t ncols, int with_geom,
                      const char *filter_col, const char *filter_value,
                      sg__row_fn fn, void *user)
{
    char *sql = sg__pg_scan_sql(store, layer, cols, ncols,
                                with_geom ? SG_PG_WKB : NULL, filter_col);
    if (!sql)
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    sg__pg_cursor *c = NULL;
    sg_status st = sg__pg_cursor_open(ctx, store, sql,
                                      filter_col ? filter_value : NULL, &c);
    free(sql);
    if (st)
        return sg__error_prefix(ctx, "%s: ", layer);
    sg__row row;
    int rc;
    while (st == SG_OK && (rc = sg__pg_cursor_next(ctx, c, &row)) == 1)
        st = fn(&row, user);
    if (st == SG_OK && rc < 0)
        st = sg_ctx_status(ctx) ? sg_ctx_status(ctx) : SG_ERR_DB;
    sg__pg_cursor_close(c);
    return st;
}

typedef struct points_scan {
    sg__point_row_fn fn;
    void *user;
    int g; /* column of x (y follows) */
} points_scan;

static sg_status point_row(sg__row *row, void *user)
{
    points_scan *p = user;
    int has = !sg__row_is_null(row, p->g) && !sg__row_is_null(row, p->g + 1);
    double x = has ? sg__row_double(row, p->g) : 0;
    double y = has ? sg__row_double(row, p->g + 1) : 0;
    return p->fn(row, has && x == x && y == y, x + 0.0, y + 0.0, p->user);
}

sg_status sg__pg_scan_points(sg_ctx *ctx, sg_store *store, const char *layer,
                             const char *const *cols, size_t ncols,
                             const char *filter_col, const char *filter_value,
                             sg__point_row_fn fn, void *user)
{
    points_scan p;
    p.fn = fn;
    p.user = user;
    p.g = (int)ncols;
    char *sql = sg__pg_scan_sql(
        store, layer, cols, ncols,
        "CASE WHEN GeometryType(geom) = 'POINT' THEN ST_X(geom) END, "
        "CASE WHEN GeometryType(geom) = 'POINT' THEN ST_Y(geom) END",
        filter_col);
    if (!sql)
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    sg__pg_cursor *c = NULL;
    sg_status st = sg__pg_cursor_open(ctx, store, sql,
                                      filter_col ? filter_value : NULL, &c);
    free(sql);
    if (st)
        return sg__error_prefix(ctx, "%s: ", layer);
    sg__row row;
    int rc;
    while (st == SG_OK && (rc = sg__pg_cursor_next(ctx, c, &row)) == 1)
        st = point_row(&row, &p);
    if (st == SG_OK && rc < 0)
        st = sg_ctx_status(ctx) ? sg_ctx_status(ctx) : SG_ERR_DB;
    sg__pg_cursor_close(c);
    return st;
}

/* ---- inserts through COPY
 * ----------------------------------------------------- */

/* A set of strings (the ids of a layer), open addressing. */
typedef struct idset {
    char **slot;
    size_t cap, n;
} idset;

static uint64_t hash(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

/* \return 1 if \p s was added, 0 if it was there, -1 out of memory. */
static int idset_add(idset *set, const char *s)
{
    if ((set->n + 1) * 2 > set->cap) {
        size_t cap = set->cap ? set->cap * 2 : 1024;
        char **slot = calloc(cap, sizeof *slot);
        if (!slot)
            return -1;
        for (size_t i = 0; i < set->cap; i++)
            if (set->slot[i]) {
                size_t k = hash(set->slot[i]) & (cap - 1);
                while (slot[k])
                    k = (k + 1) & (cap - 1);
                slot[k] = set->slot[i];
            }
        free(set->slot);
        set->slot = slot;
        set->cap = cap;
    }
    size_t k = hash(s) & (set->cap - 1);
    while (set->slot[k]) {
        if (!strcmp(set->slot[k], s))
            return 0;
        k = (k + 1) & (set->cap - 1);
    }
    if (!(set->slot[k] = strdup(s)))
        return -1;
    set->n++;
    return 1;
}

static int idset_has(const idset *set, const char *s)
{
    if (!set->cap)
        return 0;
    size_t k = hash(s) & (set->cap - 1);
    while (set->slot[k]) {
        if (!strcmp(set->slot[k], s))
            return 1;
        k = (k + 1) & (set->cap - 1);
    }
    return 0;
}

static void idset_free(idset *set)
{
    for (size_t i = 0; i < set->cap; i++)
        free(set->slot[i]);
    free(set->slot);
}

struct sg__pg_insert {
    sg_store *store; /* borrowed */
    char *copy_sql;  /* owned: COPY table (cols) FROM STDIN */
    char *table;     /* owned, for messages */
    int nparams;
    int geom_param;   /* 1-based; 0 without geometry */
    char **val;       /* per parameter: COPY text of the value, NULL = \N */
    char **raw;       /* per parameter: the text as bound (unique check) */
    int unique_param; /* 1-based; 0 for none */
    idset ids;
    char *buf; /* rows not sent yet */
    size_t len, cap;
    long long rows; /* rows in buf */
    char **cols;    /* owned: the columns, for the CHECK constraints */
    size_t ncols;
    sg__pg_rowcheck *check; /* owned; NULL: none (or not read yet) */
    int check_read;         /* the constraints were read (pg_check.c) */
};

static void set_val(struct sg__pg_insert *p, int param, char *v, char *raw)
{
    if (param < 1 || param > p->nparams) {
        free(v);
        free(raw);
        return;
    }
    free(p->val[param - 1]);
    free(p->raw[param - 1]);
    p->val[param - 1] = v;
    p->raw[param - 1] = raw;
}

void sg__pg_insert_int64(struct sg__pg_insert *p, int param, long long v)
{
    char *s = sg__aprintf("%lld", v);
    set_val(p, param, s, s ? strdup(s) : NULL);
}

void sg__pg_insert_double(struct sg__pg_insert *p, int param, double v)
{
    char *s = isnan(v)   ? strdup("NaN")
              : isinf(v) ? strdup(v > 0 ? "Infinity" : "-Infinity")
                         : sg__aprintf("%.17g", v);
    /* %.17g follows LC_NUMERIC: a decimal comma becomes a point */
    for (char *c = s; c && *c; c++)
        if (*c == ',')
            *c = '.';
    set_val(p, param, s, s ? strdup(s) : NULL);
}

/* \p v escaped for COPY's text format. */
static char *copy_escape(const char *v)
{
    size_t n = 0;
    for (const char *c = v; *c; c++)
        n += (*c == '\\' || *c == '\n' || *c == '\r' || *c == '\t') ? 2 : 1;
    char *out = malloc(n + 1), *w = out;
    if (!out)
        return NULL;
    for (const char *c = v; *c; c++) {
        switch (*c) {
        case '\\':
            *w++ = '\\';
            *w++ = '\\';
            break;
        case '\n':
            *w++ = '\\';
            *w++ = 'n';
            break;
        case '\r':
            *w++ = '\\';
            *w++ = 'r';
            break;
        case '\t':
            *w++ = '\\';
            *w++ = 't';
            break;
        default: *w++ = *c;
        }
    }
    *w = '\0';
    return out;
}

void sg__pg_insert_text(struct sg__pg_insert *p, int param, const char *v)
{
    if (!v) {
        set_val(p, param, NULL, NULL);
        return;
    }
    set_val(p, param, copy_escape(v), strdup(v));
}

static const char HEX[] = "0123456789ABCDEF";

/* Hex of WKB \p w turned into EWKB with \p srid (the SRID flag and field
 * after the type of the outer geometry; an EWKB with a SRID kept). */
static char *ewkb_hex(const unsigned char *w, size_t n, int srid)
{
    if (n < 5)
        return NULL;
    int le = w[0] == 1;
    uint32_t type = le ? (uint32_t)w[1] | (uint32_t)w[2] << 8 |
                             (uint32_t)w[3] << 16 | (uint32_t)w[4] << 24
                       : (uint32_t)w[4] | (uint32_t)w[3] << 8 |
                             (uint32_t)w[2] << 16 | (uint32_t)w[1] << 24;
    int add = !(type & 0x20000000u) && srid > 0;
    size_t total = n + (add ? 4 : 0);
    char *out = malloc(total * 2 + 1);
    if (!out)
        return NULL;
    unsigned char head[9];
    head[0] = w[0];
    uint32_t t2 = add ? type | 0x20000000u : type;
    for (int i = 0; i < 4; i++)
        head[le ? 1 + i : 4 - i] = (unsigned char)(t2 >> (8 * i));
    uint32_t s = (uint32_t)srid;
    for (int i = 0; i < 4; i++)
        head[le ? 5 + i : 8 - i] = (unsigned char)(s >> (8 * i));
    size_t k = 0;
    size_t hn = add ? 9 : 5;
    for (size_t i = 0; i < hn; i++) {
        out[k++] = HEX[head[i] >> 4];
        out[k++] = HEX[head[i] & 15];
    }
    for (size_t i = 5; i < n; i++) {
        out[k++] = HEX[w[i] >> 4];
        out[k++] = HEX[w[i] & 15];
    }
    out[k] = '\0';
    return out;
}

void sg__pg_insert_blob(struct sg__pg_insert *p, int param, const void *v,
                        size_t size)
{
    if (!v || !size) {
        set_val(p, param, NULL, NULL);
        return;
    }
    const unsigned char *b = v;
    if (param == p->geom_param) {
        set_val(p, param, ewkb_hex(b, size, p->store->srid), NULL);
        return;
    }
    /* bytea hex input, its backslash doubled for COPY */
    char *out = malloc(size * 2 + 4);
    if (out) {
        memcpy(out, "\\\\x", 3);
        for (size_t i = 0; i < size; i++) {
            out[3 + 2 * i] = HEX[b[i] >> 4];
            out[4 + 2 * i] = HEX[b[i] & 15];
        }
        out[3 + 2 * size] = '\0';
    }
    set_val(p, param, out, NULL);
}

void sg__pg_insert_point(struct sg__pg_insert *p, int param, double x, double y)
{
    unsigned char w[21];
    w[0] = 1;
    w[1] = 1;
    w[2] = w[3] = w[4] = 0;
    uint64_t u;
    memcpy(&u, &x, 8);
    for (int i = 0; i < 8; i++)
        w[5 + i] = (unsigned char)(u >> (8 * i));
    memcpy(&u, &y, 8);
    for (int i = 0; i < 8; i++)
        w[13 + i] = (unsigned char)(u >> (8 * i));
    set_val(p, param, ewkb_hex(w, sizeof w, p->store->srid), NULL);
}

void sg__pg_insert_null(struct sg__pg_insert *p, int param)
{
    set_val(p, param, NULL, NULL);
}

void sg__pg_insert_clear(struct sg__pg_insert *p)
{
    for (int i = 1; i <= p->nparams; i++)
        set_val(p, i, NULL, NULL);
}

/* Send \p p's buffered rows as one COPY. */
static sg_status send_copy(sg_ctx *ctx, struct sg__pg_insert *p)
{
    sg_store *s = p->store;
    if (s->copy == p)
        s->copy = NULL;
    if (!p->len)
        return SG_OK;
    if (!s->in_tx) {
        /* every write belongs to a transaction (sg__store_begin); rows
         * left after its end are dropped, never written on their own */
        p->len = 0;
        p->rows = 0;
        return sg__error(ctx, SG_ERR_DB,
                         "%s: rows written outside a transaction were "
                         "dropped (%s)",
                         p->table, s->path);
    }
    PGresult *res = PQexec(s->pg, p->copy_sql);
    if (!res || PQresultStatus(res) != PGRES_COPY_IN) {
        sg_status st = sg__pg_error(ctx, s, res, p->table);
        PQclear(res);
        p->len = 0;
        return st;
    }
    PQclear(res);
    int ok = PQputCopyData(s->pg, p->buf, (int)p->len) == 1;
    ok = PQputCopyEnd(s->pg, ok ? NULL : "sanigrid could not send rows") == 1 &&
         ok;
    sg_status st = SG_OK;
    while ((res = PQgetResult(s->pg)) != NULL) {
        if (st == SG_OK && PQresultStatus(res) != PGRES_COMMAND_OK)
            st = sg__pg_error(ctx, s, res, p->table);
        PQclear(res);
    }
    if (st == SG_OK && !ok)
        st = sg__pg_error(ctx, s, NULL, p->table);
    p->len = 0;
    p->rows = 0;
    return st;
}

void sg__pg_discard(sg_store *store)
{
    if (store->copy) {
        store->copy->len = 0;
        store->copy->rows = 0;
        store->copy = NULL;
    }
}

sg_status sg__pg_flush(sg_ctx *ctx, sg_store *store)
{
    if (store->copy_status)
        return sg__error(ctx, store->copy_status, "%s",
                         store->copy_error ? store->copy_error : "COPY failed");
    if (!store->copy)
        return SG_OK;
    return send_copy(ctx, store->copy);
}

/* Append the bound row to the buffer. */
static sg_status buffer_row(sg_ctx *ctx, struct sg__pg_insert *p)
{
    sg_store *s = p->store;
    if (s->copy && s->copy != p) {
        sg_status st = send_copy(ctx, s->copy);
        if (st)
            return st;
    }
    size_t need = 1;
    for (int i = 0; i < p->nparams; i++)
        need += (p->val[i] ? strlen(p->val[i]) : 2) + 1;
    if (p->len + need > p->cap) {
        size_t cap = (p->len + need) * 2;
        char *n = realloc(p->buf, cap);
        if (!n)
            return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        p->buf = n;
        p->cap = cap;
    }
    for (int i = 0; i < p->nparams; i++) {
        const char *v = p->val[i] ? p->val[i] : "\\N";
        size_t n = strlen(v);
        memcpy(p->buf + p->len, v, n);
        p->len += n;
        p->buf[p->len++] = i + 1 < p->nparams ? '\t' : '\n';
    }
    p->rows++;
    s->copy = p;
    if (p->len >= COPY_FLUSH_BYTES)
        return send_copy(ctx, p);
    return SG_OK;
}

sg_status sg__pg_insert_step(sg_ctx *ctx, struct sg__pg_insert *p)
{
    if (p->store->copy_status)
        return sg__pg_flush(ctx, p->store);
    return buffer_row(ctx, p);
}

sg_status sg__pg_insert_try(sg_ctx *ctx, struct sg__pg_insert *p,
                            sg__refusal *why, char *msg, size_t size)
{
    *why = SG_REFUSED_NONE;
    if (size)
        *msg = '\0';
    const char *id = p->unique_param ? p->raw[p->unique_param - 1] : NULL;
    if (id && idset_has(&p->ids, id)) {
        *why = SG_REFUSED_DUPLICATE;
        if (size)
            snprintf(msg, size,
                     "duplicate key value violates unique "
                     "constraint of %s",
                     p->table);
        return SG_ERR_INPUT;
    }
    /* a CHECK constraint the row breaks: a reject of this row, not a
     * failed COPY of every row (pg_check.c) */
    if (!p->check_read) {
        sg_status st = SG_OK;
        p->check =
            sg__pg_rowcheck_new(ctx, p->store, p->table,
                                (const char *const *)p->cols, p->ncols, &st);
        p->check_read = 1;
        if (st)
            return st;
    }
    if (p->check) {
        int broken = sg__pg_rowcheck_run(
            ctx, p->check, (const char *const *)p->raw, msg, size);
        if (broken < 0)
            return sg_ctx_status(ctx) ? sg_ctx_status(ctx) : SG_ERR_DB;
        if (broken) {
            *why = SG_REFUSED_CONSTRAINT;
            return SG_ERR_INPUT;
        }
    }
    if (p->unique_param) {
        if (id && idset_add(&p->ids, id) < 0)
            return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    }
    return sg__pg_insert_step(ctx, p);
}

void sg__pg_insert_free(struct sg__pg_insert *p)
{
    if (!p)
        return;
    sg_store *s = p->store;
    if (p->len && !s->copy_status) {
        /* the caller cannot hear a failure now: keep it for the next
         * statement and the commit */
        sg_ctx *tmp = sg_ctx_new();
        if (tmp) {
            sg_status st = send_copy(tmp, p);
            if (st) {
                s->copy_status = st;
                free(s->copy_error);
                s->copy_error = strdup(sg_ctx_errmsg(tmp));
            }
            sg_ctx_free(tmp);
        }
    }
    if (s->copy == p)
        s->copy = NULL;
    for (int i = 0; i < p->nparams; i++) {
        free(p->val[i]);
        free(p->raw[i]);
    }
    free(p->val);
    free(p->raw);
    free(p->buf);
    free(p->copy_sql);
    free(p->table);
    for (size_t i = 0; i < p->ncols; i++)
        free(p->cols[i]);
    free(p->cols);
    sg__pg_rowcheck_free(p->check);
    idset_free(&p->ids);
    free(p);
}

/* Load the existing values of column \p col of \p table into p->ids. */
static sg_status load_ids(sg_ctx *ctx, struct sg__pg_insert *p,
                          const char *table, const char *col)
{
    char *sql = sg__pg_scan_sql(p->store, table, &col, 1, NULL, NULL);
    if (!sql)
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    sg__pg_cursor *c = NULL;
    sg_status st = sg__pg_cursor_open(ctx, p->store, sql, NULL, &c);
    free(sql);
    sg__row row;
    int rc = 0;
    while (st == SG_OK && (rc = sg__pg_cursor_next(ctx, c, &row)) == 1) {
        const char *v = sg__pg_row_text(c, 0);
        if (v && idset_add(&p->ids, v) < 0)
            st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    }
    if (st == SG_OK && rc < 0)
        st = sg_ctx_status(ctx) ? sg_ctx_status(ctx) : SG_ERR_DB;
    sg__pg_cursor_close(c);
    return st;
}

sg_status sg__pg_prepare_insert(sg_ctx *ctx, sg_store *store, const char *table,
                                const char *const *cols, size_t ncols,
                                int with_geom, int unique_col, sg__insert **out)
{
    *out = NULL;
    sg__insert *h = calloc(1, sizeof *h);
    struct sg__pg_insert *p = calloc(1, sizeof *p);
    if (!h || !p) {
        free(h);
        free(p);
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    }
    h->kind = SG_BACKEND_PG;
    h->pg = p;
    p->store = store;
    p->nparams = (int)ncols + (with_geom ? 1 : 0);
    p->geom_param = with_geom ? (int)ncols + 1 : 0;
    p->val = calloc((size_t)p->nparams + 1, sizeof *p->val);
    p->raw = calloc((size_t)p->nparams + 1, sizeof *p->raw);
    p->table = strdup(table);
    p->cols = calloc(ncols + 1, sizeof *p->cols);
    for (size_t i = 0; p->cols && i < ncols; i++)
        if ((p->cols[i] = strdup(cols[i])))
            p->ncols = i + 1;
    /* COPY "t" ("a", "b", geom) FROM STDIN */
    size_t cap = 64 + strlen(table) * 2, len = 0;
    for (size_t i = 0; i < ncols; i++)
        cap += strlen(cols[i]) * 2 + 4;
    char *sql = malloc(cap);
    char *t = sg__pg_ident(store, table);
    int ok = p->val && p->raw && p->table && sql && t && p->ncols == ncols;
    if (ok) {
        len = (size_t)snprintf(sql, cap, "COPY %s (", t);
        for (size_t i = 0; ok && i < ncols; i++) {
            char *c = sg__pg_ident(store, cols[i]);
            ok = c != NULL;
            if (ok)
                len += (size_t)snprintf(sql + len, cap - len, "%s%s",
                                        i ? ", " : "", c);
            PQfreemem(c);
        }
        if (ok)
            snprintf(sql + len, cap - len, "%s%s) FROM STDIN",
                     with_geom && ncols ? ", " : "", with_geom ? "geom" : "");
    }
    PQfreemem(t);
    p->copy_sql = sql;
    sg_status st = ok ? SG_OK : sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    if (st == SG_OK && unique_col >= 0 && (size_t)unique_col < ncols) {
        p->unique_param = unique_col + 1;
        st = load_ids(ctx, p, table, cols[unique_col]);
    }
    if (st) {
        sg__insert_free(h);
        return st;
    }
    *out = h;
    return SG_OK;
}

/* ---- result layers ----------------------------------------------------------
 */

/* The PostgreSQL type of an sg__column type (SQLite's affinity names). */
static const char *pg_type(const char *t)
{
    if (!t)
        return "text";
    if (strstr(t, "INT") || strstr(t, "int"))
        return "bigint";
    if (strstr(t, "REAL") || strstr(t, "FLOA") || strstr(t, "DOUB") ||
        strstr(t, "NUM") || strstr(t, "real"))
        return "double precision";
    if (strstr(t, "BLOB"))
        return "bytea";
    return "text";
}

/* The column list "fid bigint GENERATED ..., "a" bigint, ..." of a result
 * layer, and in *shape the same as format_type() spells it in the
 * catalogue ("fid bigint identity,a bigint,...,geom
 * geometry(Point,32632)"), to tell whether a table of that name already has
 * exactly these columns (a restored snapshot's copy has no identity).
 * Both malloc'd; NULL when out of memory. */
static char *result_defs(sg_store *store, const char *geom_type,
                         const sg__column *cols, size_t ncols, char **shape)
{
    char *defs = sg__aprintf("fid bigint GENERATED BY DEFAULT AS IDENTITY "
                             "PRIMARY KEY");
    char *sh = sg__aprintf("fid bigint identity");
    for (size_t i = 0; defs && sh && i < ncols; i++) {
        char *c = sg__pg_ident(store, cols[i].name);
        const char *ty = pg_type(cols[i].type);
        char *n = c ? sg__aprintf("%s, %s %s", defs, c, ty) : NULL;
        char *m = sg__aprintf("%s,%s %s", sh, cols[i].name, ty);
        PQfreemem(c);
        free(defs);
        free(sh);
        defs = n;
        sh = m;
    }
    if (defs && sh && geom_type) {
        char *n = sg__aprintf("%s, geom geometry(%s, %d)", defs, geom_type,
                              store->srid);
        char *m =
            sg__aprintf("%s,geom geometry(%s,%d)", sh, geom_type, store->srid);
        free(defs);
        free(sh);
        defs = n;
        sh = m;
    }
    if (!defs || !sh) {
        free(defs);
        free(sh);
        return NULL;
    }
    *shape = sh;
    return defs;
}

/* Whether table \p t (quoted) exists with exactly the columns of \p shape
 * (result_defs), geometry type compared without regard to case. */
static sg_status result_shape_same(sg_ctx *ctx, sg_store *store,
                                   const char *name, const char *t,
                                   const char *shape, int *same)
{
    *same = 0;
    const char *p[1] = {t};
    PGresult *res = sg__pg_query(
        ctx, store, name,
        "SELECT string_agg(attname || ' ' || format_type(atttypid, "
        "atttypmod) || CASE WHEN attidentity <> '' THEN ' identity' ELSE '' "
        "END, ',' ORDER BY attnum) FROM pg_attribute WHERE "
        "attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped",
        1, p);
    if (!res)
        return sg_ctx_status(ctx);
    if (PQntuples(res) == 1 && !PQgetisnull(res, 0, 0))
        *same = strcasecmp(PQgetvalue(res, 0, 0), shape) == 0;
    PQclear(res);
    return SG_OK;
}

sg_status sg__pg_create_result(sg_ctx *ctx, sg_store *store, const char *name,
                               const char *geom_type, const sg__column *cols,
                               size_t ncols, const char *title_zh,
                               const char *title_en, int with_index)
{
    const char *p[1] = {name};
    PGresult *res =
        sg__pg_query(ctx, store, "listing layers",
                     "SELECT kind FROM sg_layers WHERE name = $1", 1, p);
    if (!res)
        return sg_ctx_status(ctx);
    int exists = PQntuples(res) > 0;
    int input = exists && strcmp(PQgetvalue(res, 0, 0), "result") != 0;
    PQclear(res);
    if (input)
        return sg__error(ctx, SG_ERR_USAGE,
                         "%s is an input layer, not a result layer", name);
    char *t = sg__pg_ident(store, name);
    char *ix = sg__aprintf("%s_geom", name);
    char *qi = ix ? sg__pg_ident(store, ix) : NULL;
    char *shape = NULL;
    char *defs = t ? result_defs(store, geom_type, cols, ncols, &shape) : NULL;
    sg_status st =
        t && qi && defs ? SG_OK : sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    int same = 0;
    if (st == SG_OK)
        st = result_shape_same(ctx, store, name, t, shape, &same);
    char *sql = NULL;
    if (st == SG_OK && same) {
        /* The same columns: the rows are replaced in place. A reader whose
         * snapshot predates our commit keeps reading the earlier rows of the
         * same table; a dropped and re-created table would read empty to it
         * (DDL that replaces a table is not MVCC-safe). The identity
         * restarts so the fids are those of a new layer, as on SpatiaLite;
         * a bulk layer's index goes and is built after its rows. */
        sql = sg__aprintf(
            "DELETE FROM %s; ALTER TABLE %s ALTER COLUMN fid "
            "RESTART WITH 1%s%s",
            t, t, geom_type && !with_index ? "; DROP INDEX IF EXISTS " : "",
            geom_type && !with_index ? qi : "");
        if (sql && geom_type && with_index) {
            char *n = sg__aprintf("%s; CREATE INDEX IF NOT EXISTS %s ON %s "
                                  "USING GIST (geom)",
                                  sql, qi, t);
            free(sql);
            sql = n;
        }
    } else if (st == SG_OK) {
        /* new, or its columns changed (an older version's layer): made
         * anew, its index with it */
        sql = sg__aprintf("DROP TABLE IF EXISTS %s; CREATE TABLE %s (%s)", t, t,
                          defs);
        if (sql && geom_type && with_index) {
            char *n = sg__aprintf("%s; CREATE INDEX %s ON %s USING GIST (geom)",
                                  sql, qi, t);
            free(sql);
            sql = n;
        }
    }
    if (st == SG_OK)
        st = sql ? sg__pg_exec(ctx, store, name, sql)
                 : sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    free(sql);
    free(defs);
    free(shape);
    free(ix);
    PQfreemem(qi);
    PQfreemem(t);
    if (st == SG_OK) {
        /* listed anew, last, as a new layer is (and as on SpatiaLite) */
        res = sg__pg_query(ctx, store, name,
                           "DELETE FROM sg_layers WHERE name = $1", 1, p);
        st = res ? SG_OK : sg_ctx_status(ctx);
        PQclear(res);
    }
    if (st == SG_OK) {
        const char *q[4] = {name, geom_type, title_zh, title_en};
        res = sg__pg_query(ctx, store, name,
                           "INSERT INTO sg_layers (name, geometry_type, kind, "
                           "title_zh, title_en) VALUES ($1, $2, 'result', $3, "
                           "$4)",
                           4, q);
        st = res ? SG_OK : sg_ctx_status(ctx);
        PQclear(res);
    }
    return st;
}
