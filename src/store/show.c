/* Showing a layer (sg_store_show, sanigrid/store.h): its first rows, the
 * fill of each column and the mapping of its last import, read from
 * `runs` (src/io/import.c records it). The user's --where goes through
 * the filter guard of filter_int.h.
 * The flow (sg__show) is both backends'; pg_show.c gives PostgreSQL's
 * reads.
 * Not for: changing anything, or formatting (the CLI does).
 * SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "core/ctx_int.h"
#include "store/filter_int.h"
#include "store/pg_port_int.h"
#include "store/show_int.h"

void sg_show_result_free(sg_show_result *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->ncols; i++) {
        free(r->cols[i].name);
        free(r->cols[i].type);
    }
    free(r->cols);
    for (size_t i = 0; r->cells && i < r->nrows * r->ncols; i++)
        free(r->cells[i]);
    free(r->cells);
    free(r->kinds);
    for (size_t i = 0; i < r->nmap; i++) {
        free(r->map_fields[i]);
        free(r->map_columns[i]);
    }
    free(r->map_fields);
    free(r->map_columns);
    for (size_t i = 0; i < r->nset; i++) {
        free(r->set_fields[i]);
        free(r->set_values[i]);
    }
    free(r->set_fields);
    free(r->set_values);
    free(r->import_at);
    free(r->import_source);
    free(r->import_mode);
    free(r->layer);
    free(r);
}

/* Copy of text column \p i of \p st, NULL for NULL. */
static char *col_dup(sqlite3_stmt *st, int i)
{
    const char *s = (const char *)sqlite3_column_text(st, i);
    return s ? strdup(s) : NULL;
}

/* The columns of \p layer (PRAGMA table_info) into r->cols, the geometry
 * column last with its type from sg_layers. */
static sg_status read_columns(sg_ctx *ctx, sg_store *store, sg_show_result *r)
{
    sqlite3_stmt *st = NULL;
    char *geom_type = NULL;
    if (sqlite3_prepare_v2(store->db,
                           "SELECT geometry_type FROM sg_layers WHERE name = ?",
                           -1, &st, NULL) != SQLITE_OK)
        return sg__store_sql_error(ctx, store, r->layer);
    sqlite3_bind_text(st, 1, r->layer, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW)
        geom_type = col_dup(st, 0);
    sqlite3_finalize(st);
    st = NULL;
    char *sql = sqlite3_mprintf("SELECT name, type FROM pragma_table_info(%Q)",
                                r->layer);
    if (!sql ||
        sqlite3_prepare_v2(store->db, sql, -1, &st, NULL) != SQLITE_OK) {
        sqlite3_free(sql);
        free(geom_type);
        return sg__store_sql_error(ctx, store, r->layer);
    }
    sqlite3_free(sql);
    size_t cap = 0;
    sg_status s = SG_OK;
    sg_show_column geom = {0};
    while (s == SG_OK && sqlite3_step(st) == SQLITE_ROW) {
        sg_show_column c = {0};
        c.name = col_dup(st, 0);
        c.type = col_dup(st, 1);
        if (!c.name) {
            free(c.type);
            s = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
            break;
        }
        if (!strcmp(c.name, "geom")) { /* shown last, as its type */
            c.geometry = 1;
            free(c.type);
            c.type = strdup(geom_type ? geom_type : "GEOMETRY");
            geom = c;
            continue;
        }
        if (r->ncols + 2 > cap) {
            cap = cap ? cap * 2 : 16;
            sg_show_column *n = realloc(r->cols, cap * sizeof *n);
            if (!n) {
                free(c.name);
                free(c.type);
                s = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
                break;
            }
            r->cols = n;
        }
        r->cols[r->ncols++] = c;
    }
    sqlite3_finalize(st);
    free(geom_type);
    if (geom.name) {
        if (s == SG_OK && r->ncols + 1 > cap) {
            sg_show_column *n = realloc(r->cols, (r->ncols + 1) * sizeof *n);
            if (n)
                r->cols = n;
            else
                s = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        }
        if (s == SG_OK) {
            r->cols[r->ncols++] = geom;
        } else {
            free(geom.name);
            free(geom.type);
        }
    }
    return s;
}

/* "SELECT <each column>" with \p fmt_col around each (e.g. "count(%s)"),
 * the geometry as GeometryType(geom) when \p geom_type, then
 * " FROM layer". Caller owns; sqlite3_free(). NULL when out of memory. */
static char *select_head(const sg_show_result *r, const char *prefix,
                         int counts)
{
    char *sql = sqlite3_mprintf("SELECT %s", prefix);
    for (size_t i = 0; sql && i < r->ncols; i++) {
        const char *sep = i || *prefix ? ", " : "";
        char *n;
        if (counts)
            n = sqlite3_mprintf("%s%scount(\"%w\")", sql, sep, r->cols[i].name);
        else if (r->cols[i].geometry)
            n = sqlite3_mprintf("%s%sGeometryType(\"%w\")", sql, sep,
                                r->cols[i].name);
        else
            n = sqlite3_mprintf("%s%s\"%w\"", sql, sep, r->cols[i].name);
        sqlite3_free(sql);
        sql = n;
    }
    if (sql) {
        char *n = sqlite3_mprintf("%s FROM \"%w\"", sql, r->layer);
        sqlite3_free(sql);
        sql = n;
    }
    return sql;
}

/* The first \p limit rows matching \p where into r->cells and r->kinds. */
static sg_status read_rows(sg_ctx *ctx, sg_store *store, sg_show_result *r,
                           const char *where, long long limit)
{
    char *head = select_head(r, "", 0);
    char *tail = sqlite3_mprintf(" ORDER BY fid LIMIT %lld", limit);
    sqlite3_stmt *st = NULL;
    sg_status s = head && tail ? sg__filter_prepare(ctx, store, r->layer, head,
                                                    where, tail, &st)
                               : sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    sqlite3_free(head);
    sqlite3_free(tail);
    if (s)
        return s;
    size_t cap = 0;
    int rc;
    while (s == SG_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (r->nrows == cap) {
            cap = cap ? cap * 2 : 16;
            char **nc = realloc(r->cells, cap * r->ncols * sizeof *nc);
            if (nc)
                r->cells = nc;
            sg_show_kind *nk = realloc(r->kinds, cap * r->ncols * sizeof *nk);
            if (nk)
                r->kinds = nk;
            if (!nc || !nk) {
                s = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
                break;
            }
        }
        size_t base = r->nrows * r->ncols;
        for (size_t i = 0; i < r->ncols; i++) {
            int t = sqlite3_column_type(st, (int)i);
            r->kinds[base + i] = t == SQLITE_NULL      ? SG_SHOW_NULL
                                 : t == SQLITE_INTEGER ? SG_SHOW_INT
                                 : t == SQLITE_FLOAT   ? SG_SHOW_REAL
                                                       : SG_SHOW_TEXT;
            r->cells[base + i] = t == SQLITE_BLOB   ? strdup("(blob)")
                                 : t == SQLITE_NULL ? NULL
                                                    : col_dup(st, (int)i);
            if (t == SQLITE_BLOB)
                r->kinds[base + i] = SG_SHOW_TEXT;
        }
        r->nrows++;
    }
    if (s == SG_OK && rc != SQLITE_DONE)
        s = sg__store_sql_error(ctx, store, r->layer);
    sqlite3_finalize(st);
    return s;
}

/* r->matched and each column's filled count, over the rows matching
 * \p where. */
static sg_status read_fill(sg_ctx *ctx, sg_store *store, sg_show_result *r,
                           const char *where)
{
    char *head = select_head(r, "count(*)", 1);
    sqlite3_stmt *st = NULL;
    sg_status s =
        head ? sg__filter_prepare(ctx, store, r->layer, head, where, NULL, &st)
             : sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    sqlite3_free(head);
    if (s)
        return s;
    if (sqlite3_step(st) == SQLITE_ROW) {
        r->matched = sqlite3_column_int64(st, 0);
        for (size_t i = 0; i < r->ncols; i++)
            r->cols[i].filled = sqlite3_column_int64(st, (int)i + 1);
    } else {
        s = sg__store_sql_error(ctx, store, r->layer);
    }
    sqlite3_finalize(st);
    return s;
}

/* Append the key/value pairs of JSON object \p path of the params of run
 * \p run_id to \p keys / \p vals. */
static sg_status read_pairs(sg_ctx *ctx, sg_store *store, long long run_id,
                            const char *path, char ***keys, char ***vals,
                            size_t *n)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(store->db,
                           "SELECT j.key, j.value FROM runs, "
                           "json_each(runs.params, ?) AS j "
                           "WHERE runs.run_id = ? AND json_valid(runs.params)",
                           -1, &st, NULL) != SQLITE_OK)
        return sg__store_sql_error(ctx, store, "reading runs");
    sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, run_id);
    sg_status s = SG_OK;
    while (s == SG_OK && sqlite3_step(st) == SQLITE_ROW) {
        char **nk = realloc(*keys, (*n + 1) * sizeof *nk);
        if (nk)
            *keys = nk;
        char **nv = realloc(*vals, (*n + 1) * sizeof *nv);
        if (nv)
            *vals = nv;
        if (!nk || !nv) {
            s = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
            break;
        }
        (*keys)[*n] = col_dup(st, 0);
        (*vals)[*n] = col_dup(st, 1);
        (*n)++;
    }
    sqlite3_finalize(st);
    return s;
}

/* The last import into r->layer (runs) and its mapping. */
static sg_status read_import(sg_ctx *ctx, sg_store *store, sg_show_result *r)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(
            store->db,
            "SELECT run_id, started_at, json_extract(params, '$.source'), "
            "json_extract(params, '$.mode'), "
            "json_type(params, '$.mapping') IS NOT NULL FROM runs "
            "WHERE command = 'import' AND json_valid(params) "
            "AND json_extract(params, '$.layer') = ? "
            "ORDER BY run_id DESC LIMIT 1",
            -1, &st, NULL) != SQLITE_OK)
        return sg__store_sql_error(ctx, store, "reading runs");
    sqlite3_bind_text(st, 1, r->layer, -1, SQLITE_STATIC);
    long long run_id = -1;
    if (sqlite3_step(st) == SQLITE_ROW) {
        run_id = sqlite3_column_int64(st, 0);
        r->import_at = col_dup(st, 1);
        r->import_source = col_dup(st, 2);
        r->import_mode = col_dup(st, 3);
        r->map_recorded = sqlite3_column_int(st, 4);
    }
    sqlite3_finalize(st);
    if (run_id < 0)
        return SG_OK;
    sg_status s = read_pairs(ctx, store, run_id, "$.mapping", &r->map_fields,
                             &r->map_columns, &r->nmap);
    if (s == SG_OK)
        s = read_pairs(ctx, store, run_id, "$.set", &r->set_fields,
                       &r->set_values, &r->nset);
    return s;
}

sg_status sg__show(sg_ctx *ctx, sg_store *store, const char *layer,
                   const char *where, long long limit, sg_show_result **out,
                   const sg__show_ops *ops)
{
    *out = NULL;
    if (limit < 0)
        return sg__error(ctx, SG_ERR_USAGE, "a row limit must be >= 0");
    sg_status s = ops->check_layer(ctx, store, layer);
    if (s)
        return s;
    sg_show_result *r = calloc(1, sizeof *r);
    if (!r || !(r->layer = strdup(layer))) {
        free(r);
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    }
    r->total = sg__store_count(ctx, store, layer);
    if (r->total < 0 && !(s = sg_ctx_status(ctx)))
        s = SG_ERR_DB;
    if (s == SG_OK)
        s = ops->columns(ctx, store, r);
    if (s == SG_OK)
        s = ops->fill(ctx, store, r, where);
    if (s == SG_OK && limit > 0)
        s = ops->rows(ctx, store, r, where, limit);
    if (s == SG_OK)
        s = ops->import(ctx, store, r);
    if (s) {
        sg_show_result_free(r);
        return s;
    }
    *out = r;
    return SG_OK;
}

static const sg__show_ops sqlite_show_ops = {
    sg__filter_check_layer, read_columns, read_fill, read_rows, read_import};

sg_status sg_store_show(sg_ctx *ctx, sg_store *store, const char *layer,
                        const char *where, long long limit,
                        sg_show_result **out)
{
    SG_PG_DISPATCH(store, sg__pg_show(ctx, store, layer, where, limit, out));
    return sg__show(ctx, store, layer, where, limit, out, &sqlite_show_ops);
}
