/* What export reads: the columns of a layer that leave the store (leaving
 * personal data out unless asked) and a streaming reader of its rows
 * through the store's connection (reader_int.h).
 * Not for: running the export (src/io/export.c).
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ctx_int.h"
#include "store/rank_sql_int.h"
#include "sanigrid/fields.h"
#include "store/reader_int.h"
#include "store/store_pg_int.h"
#include "store/store_sqlite_int.h"

/* Columns that hold personal data in any layer, including result layers
 * that copy them. */
static int personal(const char *layer, const char *col)
{
    static const char *const always[] = {"household_head", "phone",
                                         "grid_leader",    "inspector",
                                         "cleaner_name",   NULL};
    for (int i = 0; always[i]; i++)
        if (strcmp(col, always[i]) == 0)
            return 1;
    return sg__field_is_personal(layer, col);
}

/* Shapefile (DBF) names are at most 10 characters: the short names used
 * for our longer fields; import recognises them (src/store/layers.c). */
static const char *short_name(const char *col)
{
    static const char *const map[][2] = {
        {"division_code", "div_code"},
        {"parent_code", "parent"},
        {"household_id", "hh_id"},
        {"household_head", "hh_head"},
        {"household_toilet", "toilet"},
        {"resident_population", "res_pop"},
        {"registered_population", "reg_pop"},
        {"grid_leader", "leader"},
        {"cleaner_id", "cleaner"},
        {"candidate_id", "cand_id"},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strcmp(col, map[i][0]) == 0)
            return map[i][1];
    return NULL;
}

/* The Chinese header of \p col of \p layer from the field dictionary, with
 * its unit ("面积（平方米）"), into \p buf; NULL when the dictionary has
 * none. */
static const char *zh_header(const char *layer, const char *col, char *buf,
                             size_t size)
{
    const char *h = sg_field_header(layer, col, "zh");
    const char *u = sg_field_unit(layer, col);
    if (!h)
        return NULL;
    if (u)
        snprintf(buf, size, "%s（%s）", h, u);
    else
        snprintf(buf, size, "%s", h);
    return buf;
}

char *sg__store_export_sql(sg_ctx *ctx, sg_store *store, const char *layer,
                           int include_personal, int lonlat, int short_names,
                           int *has_geom, char **geom_type, char **select_list)
{
    *geom_type = NULL;
    *select_list = NULL;
    sqlite3_stmt *st = NULL;
    *has_geom = 0;
    if (SG_IS_PG(store)) {
        sg__pg_unsupported(ctx, sg__gettext("Drawing layers (render, report)"));
        return NULL;
    }
    if (!sg__store_has_layer(store, layer)) {
        sg__error(ctx, SG_ERR_NOT_FOUND,
                  "store %s has no layer '%s' (see `sanigrid info`)",
                  store->path, layer);
        return NULL;
    }
    char *sql = sqlite3_mprintf("PRAGMA table_info(\"%w\")", layer);
    int rc = sqlite3_prepare_v2(store->db, sql, -1, &st, NULL);
    sqlite3_free(sql);
    if (rc != SQLITE_OK) {
        sg__store_sql_error(ctx, store, "reading the layer's columns");
        return NULL;
    }
    char *cols = sqlite3_mprintf("%s", "");
    char *plain = sqlite3_mprintf("%s", "");
    while (cols && plain && sqlite3_step(st) == SQLITE_ROW) {
        const char *c = (const char *)sqlite3_column_text(st, 1);
        if (!c || strcmp(c, "fid") == 0)
            continue;
        if (strcmp(c, "geom") == 0) {
            *has_geom = 1;
            continue;
        }
        if (!include_personal && personal(layer, c))
            continue;
        const char *alias = short_names ? short_name(c) : NULL;
        char head[256];
        if (!alias && lonlat) /* CSV and XLSX are read by people */
            alias = zh_header(layer, c, head, sizeof head);
        char *n =
            alias ? sqlite3_mprintf("%s%s\"%w\" AS \"%w\"", cols,
                                    *cols ? ", " : "", c, alias)
                  : sqlite3_mprintf("%s%s\"%w\"", cols, *cols ? ", " : "", c);
        sqlite3_free(cols);
        cols = n;
        n = sqlite3_mprintf("%s%s%s", plain, *plain ? "," : "", c);
        sqlite3_free(plain);
        plain = n;
    }
    sqlite3_finalize(st);
    if (*has_geom && sqlite3_prepare_v2(store->db,
                                        "SELECT geometry_type FROM sg_layers "
                                        "WHERE name = ?",
                                        -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, layer, -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
            *geom_type =
                sg__strdup(ctx, (const char *)sqlite3_column_text(st, 0));
        sqlite3_finalize(st);
    }
    if (!cols || !plain) {
        sqlite3_free(cols);
        sqlite3_free(plain);
        free(*geom_type);
        *geom_type = NULL;
        sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        return NULL;
    }
    *select_list = sg__strdup(ctx, plain);
    sqlite3_free(plain);
    char *out;
    if (*has_geom && lonlat)
        out = sqlite3_mprintf(
            "SELECT %s%sST_X(ST_Transform(ST_PointOnSurface(geom), 4326)) "
            "AS lon, ST_Y(ST_Transform(ST_PointOnSurface(geom), 4326)) AS "
            "lat, geom FROM \"%w\" ORDER BY fid",
            cols, *cols ? ", " : "", layer);
    else if (*has_geom)
        out = sqlite3_mprintf("SELECT %s%sgeom FROM \"%w\" ORDER BY fid", cols,
                              *cols ? ", " : "", layer);
    else
        out = sqlite3_mprintf("SELECT %s FROM \"%w\" ORDER BY fid",
                              *cols ? cols : "*", layer);
    sqlite3_free(cols);
    if (!out)
        sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    return out;
}

/* sg__store_export_columns on PostgreSQL: the same list from the
 * catalogue (list_columns below), in table order. */
static char *pg_export_columns(sg_ctx *ctx, sg_store *store, const char *layer,
                               int *has_geom);

char *sg__store_export_columns(sg_ctx *ctx, sg_store *store, const char *layer,
                               int *has_geom)
{
    if (SG_IS_PG(store))
        return pg_export_columns(ctx, store, layer, has_geom);
    char *gt = NULL, *list = NULL;
    char *sql =
        sg__store_export_sql(ctx, store, layer, 0, 0, 0, has_geom, &gt, &list);
    free(gt);
    if (!sql) {
        free(list);
        return NULL;
    }
    sqlite3_free(sql);
    if (!list)
        sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    return list;
}

/* ---- the streaming layer reader (reader_int.h) ------------------------ */

struct sg__reader {
    sg_store *store;    /* borrowed */
    sqlite3_stmt *stmt; /* owned (SQLite) */
    sg__pg_cursor *pg;  /* owned (PostgreSQL) */
    sg__row row;        /* the current row of either */
    int began;          /* we began the read transaction */
    size_t ncols;
    char **names;     /* owned; output names */
    char **sources;   /* owned; their columns in the layer (NULL:
                         computed, lon/lat) */
    char *layer;      /* owned */
    sg__ftype *types; /* owned */
    int has_geom;
    char *geom_type; /* owned; may be NULL */
    long long count;
};

static sg__ftype ftype_of(const char *decl)
{
    if (!decl)
        return SG_FT_TEXT;
    if (sqlite3_strlike("%INT%", decl, 0) == 0)
        return SG_FT_INT;
    if (sqlite3_strlike("%REAL%", decl, 0) == 0 ||
        sqlite3_strlike("%FLOA%", decl, 0) == 0 ||
        sqlite3_strlike("%DOUB%", decl, 0) == 0 ||
        sqlite3_strlike("%NUM%", decl, 0) == 0)
        return SG_FT_REAL;
    return SG_FT_TEXT;
}

static int add_col(sg__reader *r, const char *name, const char *source,
                   sg__ftype type)
{
    char **n = realloc(r->names, (r->ncols + 1) * sizeof *n);
    if (!n)
        return 0;
    r->names = n;
    n = realloc(r->sources, (r->ncols + 1) * sizeof *n);
    if (!n)
        return 0;
    r->sources = n;
    r->sources[r->ncols] = NULL;
    if (source && !(r->sources[r->ncols] = strdup(source)))
        return 0;
    sg__ftype *t = realloc(r->types, (r->ncols + 1) * sizeof *t);
    if (!t)
        return 0;
    r->types = t;
    if (!(r->names[r->ncols] = strdup(name))) {
        free(r->sources[r->ncols]);
        return 0;
    }
    r->types[r->ncols++] = type;
    return 1;
}

/* The columns of a layer (name and declared type), from either backend. */
typedef struct layer_cols {
    size_t n, cap;
    char **name, **decl;
    int nomem;
} layer_cols;

static void add_layer_col(const char *name, const char *decl, void *user)
{
    layer_cols *lc = user;
    if (lc->n == lc->cap) {
        size_t cap = lc->cap ? lc->cap * 2 : 16;
        char **n = realloc(lc->name, cap * sizeof *n);
        if (n)
            lc->name = n;
        char **d = realloc(lc->decl, cap * sizeof *d);
        if (d)
            lc->decl = d;
        if (!n || !d) {
            lc->nomem = 1;
            return;
        }
        lc->cap = cap;
    }
    lc->name[lc->n] = strdup(name ? name : "");
    lc->decl[lc->n] = strdup(decl ? decl : "");
    if (!lc->name[lc->n] || !lc->decl[lc->n]) {
        free(lc->name[lc->n]);
        free(lc->decl[lc->n]);
        lc->nomem = 1;
        return;
    }
    lc->n++;
}

static void free_layer_cols(layer_cols *lc)
{
    for (size_t i = 0; i < lc->n; i++) {
        free(lc->name[i]);
        free(lc->decl[i]);
    }
    free(lc->name);
    free(lc->decl);
}

static sg_status list_columns(sg_ctx *ctx, sg_store *store, const char *layer,
                              layer_cols *lc)
{
    memset(lc, 0, sizeof *lc);
    sg_status s = SG_OK;
    if (SG_IS_PG(store)) {
        s = sg__pg_columns(ctx, store, layer, add_layer_col, lc);
    } else {
        sqlite3_stmt *st = NULL;
        char *q = sqlite3_mprintf("PRAGMA table_info(\"%w\")", layer);
        int rc =
            q ? sqlite3_prepare_v2(store->db, q, -1, &st, NULL) : SQLITE_NOMEM;
        sqlite3_free(q);
        if (rc != SQLITE_OK)
            return sg__store_sql_error(ctx, store,
                                       "reading the layer's columns");
        while ((rc = sqlite3_step(st)) == SQLITE_ROW)
            add_layer_col((const char *)sqlite3_column_text(st, 1),
                          (const char *)sqlite3_column_text(st, 2), lc);
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE)
            s = sg__store_sql_error(ctx, store, "reading the layer's columns");
    }
    if (s == SG_OK && lc->nomem)
        s = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    if (s)
        free_layer_cols(lc);
    return s;
}

static char *pg_export_columns(sg_ctx *ctx, sg_store *store, const char *layer,
                               int *has_geom)
{
    *has_geom = 0;
    if (!sg__store_has_layer(store, layer)) {
        sg__error(ctx, SG_ERR_NOT_FOUND,
                  "store %s has no layer '%s' (see `sanigrid info`)",
                  store->path, layer);
        return NULL;
    }
    layer_cols lc;
    if (list_columns(ctx, store, layer, &lc))
        return NULL;
    size_t len = 1;
    for (size_t i = 0; i < lc.n; i++)
        len += strlen(lc.name[i]) + 1;
    char *out = malloc(len);
    if (out) {
        size_t at = 0; /* the list's length so far; len holds it all */
        out[0] = '\0';
        for (size_t i = 0; i < lc.n; i++) {
            const char *c = lc.name[i];
            if (strcmp(c, "fid") == 0)
                continue;
            if (strcmp(c, "geom") == 0) {
                *has_geom = 1;
                continue;
            }
            if (personal(layer, c))
                continue;
            at +=
                (size_t)snprintf(out + at, len - at, "%s%s", at ? "," : "", c);
        }
    } else
        sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    free_layer_cols(&lc);
    return out;
}

/* Build the SELECT of \p r (columns in r->names) into *sql. */
static sg_status reader_sql(sg_ctx *ctx, sg__reader *r, const char *layer,
                            const sg__reader_options *o, char **sql)
{
    *sql = NULL;
    layer_cols lc;
    sg_status ls = list_columns(ctx, r->store, layer, &lc);
    if (ls)
        return ls;
    char *cols = sqlite3_mprintf("%s", "");
    int ok = cols != NULL;
    for (size_t k = 0; ok && k < lc.n; k++) {
        const char *c = lc.name[k];
        const char *decl = lc.decl[k];
        if (!c || strcmp(c, "fid") == 0)
            continue;
        if (strcmp(c, "geom") == 0) {
            r->has_geom = 1;
            continue;
        }
        if (!o->include_personal && personal(layer, c))
            continue;
        const char *alias = o->short_names ? short_name(c) : NULL;
        char head[256];
        if (!alias && o->lonlat && o->lang && !strncmp(o->lang, "zh", 2))
            alias = zh_header(layer, c, head, sizeof head);
        char *n = sqlite3_mprintf("%s%s\"%w\"", cols, *cols ? ", " : "", c);
        sqlite3_free(cols);
        cols = n;
        ok = cols && add_col(r, alias ? alias : c, c, ftype_of(decl));
    }
    free_layer_cols(&lc);
    if (ok && r->has_geom && o->lonlat) {
        char *n = sqlite3_mprintf(
            "%s%sST_X(ST_Transform(ST_PointOnSurface(geom), 4326)), "
            "ST_Y(ST_Transform(ST_PointOnSurface(geom), 4326))",
            cols, *cols ? ", " : "");
        sqlite3_free(cols);
        cols = n;
        int zh = o->lang && !strncmp(o->lang, "zh", 2);
        ok = cols && add_col(r, zh ? "经度" : "lon", NULL, SG_FT_REAL) &&
             add_col(r, zh ? "纬度" : "lat", NULL, SG_FT_REAL);
    }
    if (ok && r->has_geom) {
        char *n =
            sqlite3_mprintf("%s%sST_AsBinary(geom)", cols, *cols ? ", " : "");
        sqlite3_free(cols);
        cols = n;
        ok = cols != NULL;
    }
    char *order = o->order_col ? sqlite3_mprintf("\"%w\", fid", o->order_col)
                               : sqlite3_mprintf("fid");
    if (ok && order)
        *sql =
            o->filter_col
                ? sqlite3_mprintf("SELECT %s FROM \"%w\" WHERE \"%w\" = %s "
                                  "ORDER BY %s",
                                  *cols ? cols : "NULL", layer, o->filter_col,
                                  SG_IS_PG(r->store) ? "$1" : "?1", order)
                : sqlite3_mprintf("SELECT %s FROM \"%w\" ORDER BY %s",
                                  *cols ? cols : "NULL", layer, order);
    sqlite3_free(order);
    sqlite3_free(cols);
    if (!ok || !*sql)
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    return SG_OK;
}

/* Count the rows \p r will read, in the read transaction. */
static sg_status reader_count(sg_ctx *ctx, sg__reader *r, const char *layer,
                              const sg__reader_options *o)
{
    sqlite3_stmt *st = NULL;
    if (SG_IS_PG(r->store)) {
        char *pq = o->filter_col
                       ? sqlite3_mprintf("SELECT count(*) FROM \"%w\" WHERE "
                                         "\"%w\" = $1",
                                         layer, o->filter_col)
                       : sqlite3_mprintf("SELECT count(*) FROM \"%w\"", layer);
        const char *p[1] = {o->filter_value};
        PGresult *res =
            pq ? sg__pg_query(ctx, r->store, "counting the layer's rows", pq,
                              o->filter_col ? 1 : 0, p)
               : NULL;
        sqlite3_free(pq);
        if (!res)
            return pq ? sg_ctx_status(ctx)
                      : sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        r->count =
            PQntuples(res) ? strtoll(PQgetvalue(res, 0, 0), NULL, 10) : 0;
        PQclear(res);
        return SG_OK;
    }
    char *q = o->filter_col
                  ? sqlite3_mprintf("SELECT count(*) FROM \"%w\" WHERE "
                                    "\"%w\" = ?1",
                                    layer, o->filter_col)
                  : sqlite3_mprintf("SELECT count(*) FROM \"%w\"", layer);
    int rc =
        q ? sqlite3_prepare_v2(r->store->db, q, -1, &st, NULL) : SQLITE_NOMEM;
    sqlite3_free(q);
    if (rc == SQLITE_OK && o->filter_col)
        sqlite3_bind_text(st, 1, o->filter_value, -1, SQLITE_TRANSIENT);
    if (rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        r->count = sqlite3_column_int64(st, 0);
    else
        rc = SQLITE_ERROR;
    sqlite3_finalize(st);
    return rc == SQLITE_OK ? SG_OK
                           : sg__store_sql_error(ctx, r->store,
                                                 "counting the layer's rows");
}

sg_status sg__reader_open(sg_ctx *ctx, sg_store *store, const char *layer,
                          const sg__reader_options *opts, sg__reader **out)
{
    static const sg__reader_options defaults;
    *out = NULL;
    if (!opts)
        opts = &defaults;
    if (!sg__store_has_layer(store, layer))
        return sg__error(ctx, SG_ERR_NOT_FOUND,
                         "store %s has no layer '%s' (see `sanigrid info`)",
                         store->path, layer);
    sg__reader *r = calloc(1, sizeof *r);
    if (!r)
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    r->store = store;
    if (!(r->layer = strdup(layer))) {
        free(r);
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    }
    char *sql = NULL;
    sg_status st = SG_OK;
    if (SG_IS_PG(store)) {
        if (!store->in_tx && !store->read_tx) {
            /* one snapshot for the count and the rows */
            st = sg__pg_exec(ctx, store, "beginning a read",
                             "BEGIN ISOLATION LEVEL REPEATABLE READ");
            r->began = st == SG_OK;
            store->read_tx = r->began;
        }
        if (!st)
            st = reader_sql(ctx, r, layer, opts, &sql);
        if (!st)
            st = reader_count(ctx, r, layer, opts);
        if (!st)
            st = sg__pg_cursor_open(
                ctx, store, sql, opts->filter_col ? opts->filter_value : NULL,
                &r->pg);
        sqlite3_free(sql);
        if (!st && r->has_geom)
            r->geom_type = sg__pg_geometry_type(store, layer);
        if (st) {
            sg__reader_close(r);
            return st;
        }
        *out = r;
        return SG_OK;
    }
    if (!store->in_tx) {
        /* one snapshot for the count and the rows: a deferred transaction
         * takes it at its first read */
        st = sg__store_exec(ctx, store, "BEGIN");
        r->began = st == SG_OK;
    }
    if (!st)
        st = reader_sql(ctx, r, layer, opts, &sql);
    if (!st)
        st = reader_count(ctx, r, layer, opts);
    if (!st &&
        sqlite3_prepare_v2(store->db, sql, -1, &r->stmt, NULL) != SQLITE_OK)
        st = sg__store_sql_error(ctx, store, "reading the layer");
    if (!st && opts->filter_col)
        sqlite3_bind_text(r->stmt, 1, opts->filter_value, -1, SQLITE_TRANSIENT);
    if (!st)
        r->row = SG_ROW_OF(r->stmt);
    sqlite3_free(sql);
    if (!st && r->has_geom) {
        sqlite3_stmt *g = NULL;
        if (sqlite3_prepare_v2(store->db,
                               "SELECT geometry_type FROM sg_layers "
                               "WHERE name = ?",
                               -1, &g, NULL) == SQLITE_OK) {
            sqlite3_bind_text(g, 1, layer, -1, SQLITE_STATIC);
            if (sqlite3_step(g) == SQLITE_ROW && sqlite3_column_text(g, 0))
                r->geom_type = strdup((const char *)sqlite3_column_text(g, 0));
        }
        sqlite3_finalize(g);
    }
    if (st) {
        sg__reader_close(r);
        return st;
    }
    *out = r;
    return SG_OK;
}

long long sg__reader_count(const sg__reader *r)
{
    return r->count;
}
size_t sg__reader_ncols(const sg__reader *r)
{
    return r->ncols;
}
const char *sg__reader_col_name(const sg__reader *r, size_t i)
{
    return r->names[i];
}

const char *sg__reader_col_source(const sg__reader *r, size_t i)
{
    return r->sources[i];
}
sg__ftype sg__reader_col_type(const sg__reader *r, size_t i)
{
    return r->types[i];
}
int sg__reader_has_geom(const sg__reader *r)
{
    return r->has_geom;
}
const char *sg__reader_geom_type(const sg__reader *r)
{
    return r->geom_type;
}

sg_status sg__reader_next(sg_ctx *ctx, sg__reader *r, int *row)
{
    *row = 0;
    if (r->pg) {
        int rc = sg__pg_cursor_next(ctx, r->pg, &r->row);
        if (rc < 0)
            return sg_ctx_status(ctx) ? sg_ctx_status(ctx) : SG_ERR_DB;
        *row = rc;
        return SG_OK;
    }
    int rc = sqlite3_step(r->stmt);
    if (rc == SQLITE_ROW) {
        *row = 1;
        return SG_OK;
    }
    if (rc == SQLITE_DONE)
        return SG_OK;
    return sg__store_sql_error(ctx, r->store, "reading the layer");
}

/* The current row (the handles are not const: a PostgreSQL row decodes
 * bytea on demand). */
#define ROW(r) ((sg__row *)&(r)->row)

int sg__reader_is_null(const sg__reader *r, size_t i)
{
    return sg__row_is_null(ROW(r), (int)i);
}

const char *sg__reader_text(const sg__reader *r, size_t i)
{
    return sg__row_text(ROW(r), (int)i);
}

long long sg__reader_int(const sg__reader *r, size_t i)
{
    return sg__row_int64(ROW(r), (int)i);
}

double sg__reader_double(const sg__reader *r, size_t i)
{
    return sg__row_double(ROW(r), (int)i);
}

int sg__reader_is_number(const sg__reader *r, size_t i)
{
    sg__valtype t = sg__row_type(ROW(r), (int)i);
    return t == SG_VAL_INT || t == SG_VAL_REAL;
}

const unsigned char *sg__reader_wkb(const sg__reader *r, size_t *len)
{
    *len = 0;
    if (!r->has_geom || sg__row_type(ROW(r), (int)r->ncols) != SG_VAL_BLOB)
        return NULL;
    const unsigned char *b = sg__row_blob(ROW(r), (int)r->ncols);
    *len = sg__row_bytes(ROW(r), (int)r->ncols);
    return b;
}

void sg__reader_close(sg__reader *r)
{
    if (!r)
        return;
    sqlite3_finalize(r->stmt);
    sg__pg_cursor_close(r->pg);
    if (r->began && SG_IS_PG(r->store)) {
        if (r->store->read_tx)
            sg__pg_exec(NULL, r->store, "ending the read", "COMMIT");
        r->store->read_tx = 0;
    } else if (r->began) {
        sqlite3_exec(r->store->db, "COMMIT", NULL, NULL, NULL);
    }
    for (size_t i = 0; i < r->ncols; i++) {
        free(r->names[i]);
        free(r->sources[i]);
    }
    free(r->names);
    free(r->sources);
    free(r->layer);
    free(r->types);
    free(r->geom_type);
    free(r);
}

sg_status sg__reader_max_bytes(sg_ctx *ctx, sg__reader *r, size_t i,
                               long long *bytes)
{
    *bytes = 0;
    if (i >= r->ncols || !r->sources[i])
        return SG_OK;
    SG_PG_DISPATCH(r->store, sg__pg_max_bytes(ctx, r->store, r->layer,
                                              r->sources[i], bytes));
    sqlite3_stmt *st = NULL;
    char *q = sqlite3_mprintf("SELECT max(length(CAST(\"%w\" AS BLOB))) "
                              "FROM \"%w\"",
                              r->sources[i], r->layer);
    int rc =
        q ? sqlite3_prepare_v2(r->store->db, q, -1, &st, NULL) : SQLITE_NOMEM;
    sqlite3_free(q);
    if (rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        *bytes = sqlite3_column_int64(st, 0);
    else
        rc = SQLITE_ERROR;
    sqlite3_finalize(st);
    return rc == SQLITE_OK
               ? SG_OK
               : sg__store_sql_error(ctx, r->store, "measuring a column");
}
