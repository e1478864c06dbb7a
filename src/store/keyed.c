/* Keyed result layers: one row per feature of an input layer (a million
 * households' coverage), stored without the feature's geometry and with
 * repeated texts as numbers, shown as a layer through a view (see
 * bulk_int.h, sg__store_keyed_begin).
 * Not for: result layers with geometries of their own (bulk.c, result.c).
 * SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "core/ctx_int.h"
#include "store/bulk_int.h"
#include "store/store_pg_int.h"
#include "store/store_sqlite_int.h"

struct sg__keyed {
    sg__keyed_spec spec; /* borrowed strings and arrays */
    sg__column *pgcols;  /* PostgreSQL: the columns, CODE as TEXT */
    sg__insert *ins;
    sg__bulk_load *bulk;
    int fid_param; /* SQLite: the fid's parameter; PostgreSQL: geometry */
};

static int is_code(const sg__column *c)
{
    return strcmp(c->type, "CODE") == 0;
}

/* Run \p sql (sqlite3_mprintf'd, freed here). */
static sg_status exec_free(sg_ctx *ctx, sg_store *store, char *sql)
{
    sg_status s = sql ? sg__store_exec(ctx, store, sql)
                      : sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    sqlite3_free(sql);
    return s;
}

/* PostgreSQL: an ordinary bulk result with CODE columns as TEXT. */
static sg_status pg_begin(sg_ctx *ctx, sg_store *store, sg__keyed *k,
                          long long expected_rows)
{
    const sg__keyed_spec *sp = &k->spec;
    k->pgcols = malloc((sp->ncols + 1) * sizeof *k->pgcols);
    if (!k->pgcols)
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < sp->ncols; i++) {
        k->pgcols[i] = sp->cols[i];
        if (is_code(&sp->cols[i]))
            k->pgcols[i].type = "TEXT";
    }
    sg_status s = sg__store_create_bulk_result(ctx, store, sp->name, k->pgcols,
                                               sp->ncols, sp->geom_type, 0,
                                               sp->title_zh, sp->title_en);
    if (s == SG_OK)
        s = sg__store_bulk_load_begin(ctx, store, sp->name, expected_rows,
                                      &k->bulk);
    if (s == SG_OK)
        s = sg__store_prepare_bulk_insert(ctx, store, sp->name, k->pgcols,
                                          sp->ncols, &k->ins);
    return s;
}

/* SQLite: the code table filled, the row table created and its insert
 * prepared. */
static sg_status sqlite_begin(sg_ctx *ctx, sg_store *store, sg__keyed *k,
                              long long expected_rows)
{
    const sg__keyed_spec *sp = &k->spec;
    sg_status s = sg__store_drop_result(ctx, store, sp->name);
    char *defs = sqlite3_mprintf("fid INTEGER PRIMARY KEY");
    char *names = sqlite3_mprintf("%s", "");
    char *vals = sqlite3_mprintf("%s", "");
    for (size_t i = 0; i < sp->ncols && defs && names && vals; i++) {
        const sg__column *c = &sp->cols[i];
        char *d = sqlite3_mprintf("%s, \"%w\" %s", defs, c->name,
                                  is_code(c) ? "INTEGER" : c->type);
        char *n = sqlite3_mprintf("%s\"%w\", ", names, c->name);
        char *v = sqlite3_mprintf("%s?, ", vals);
        sqlite3_free(defs);
        sqlite3_free(names);
        sqlite3_free(vals);
        defs = d;
        names = n;
        vals = v;
    }
    if (!defs || !names || !vals) {
        sqlite3_free(defs);
        sqlite3_free(names);
        sqlite3_free(vals);
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    }
    if (s == SG_OK)
        s = exec_free(ctx, store,
                      sqlite3_mprintf("CREATE TABLE \"%w_rows\" (%s); CREATE "
                                      "TABLE \"%w_codes\" (code INTEGER "
                                      "PRIMARY KEY, text TEXT NOT NULL); "
                                      "INSERT INTO sg_layers (name, "
                                      "geometry_type, kind, title_zh, "
                                      "title_en) VALUES (%Q, %Q, 'result', "
                                      "%Q, %Q);",
                                      sp->name, defs, sp->name, sp->name,
                                      sp->geom_type, sp->title_zh,
                                      sp->title_en));
    sqlite3_free(defs);
    sqlite3_stmt *q = NULL;
    if (s == SG_OK) {
        char *sql = sqlite3_mprintf("INSERT INTO \"%w_codes\" (code, text) "
                                    "VALUES (?, ?)",
                                    sp->name);
        int rc = sql ? sqlite3_prepare_v2(store->db, sql, -1, &q, NULL)
                     : SQLITE_NOMEM;
        sqlite3_free(sql);
        if (rc != SQLITE_OK)
            s = sg__store_sql_error(ctx, store, sp->name);
    }
    for (size_t i = 0; s == SG_OK && i < sp->ncodes; i++) {
        sqlite3_bind_int64(q, 1, (sqlite3_int64)i);
        sqlite3_bind_text(q, 2, sp->codes[i], -1, SQLITE_STATIC);
        if (sqlite3_step(q) != SQLITE_DONE)
            s = sg__store_sql_error(ctx, store, sp->name);
        sqlite3_reset(q);
    }
    sqlite3_finalize(q);
    if (s == SG_OK) {
        char *rows = sqlite3_mprintf("%s_rows", sp->name);
        s = rows ? sg__store_bulk_load_begin(ctx, store, rows, expected_rows,
                                             &k->bulk)
                 : sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        sqlite3_free(rows);
    }
    if (s == SG_OK) {
        char *sql = sqlite3_mprintf("INSERT INTO \"%w_rows\" (%sfid) VALUES "
                                    "(%s?)",
                                    sp->name, names, vals);
        sqlite3_stmt *st = NULL;
        int rc = sql ? sqlite3_prepare_v2(store->db, sql, -1, &st, NULL)
                     : SQLITE_NOMEM;
        sqlite3_free(sql);
        s = rc == SQLITE_OK ? sg__insert_wrap(ctx, st, &k->ins)
                            : sg__store_sql_error(ctx, store, sp->name);
    }
    sqlite3_free(names);
    sqlite3_free(vals);
    return s;
}

sg_status sg__store_keyed_begin(sg_ctx *ctx, sg_store *store,
                                const sg__keyed_spec *spec,
                                long long expected_rows, sg__keyed **out)
{
    *out = NULL;
    if (!store->srid)
        return sg__error(ctx, SG_ERR_INPUT,
                         "store %s has no working CRS yet; import data first",
                         store->path);
    sg__keyed *k = calloc(1, sizeof *k);
    if (!k)
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    k->spec = *spec;
    k->fid_param = (int)spec->ncols + 1;
    sg_status s = SG_IS_PG(store) ? pg_begin(ctx, store, k, expected_rows)
                                  : sqlite_begin(ctx, store, k, expected_rows);
    if (s) {
        sg__store_keyed_free(store, k);
        return s;
    }
    *out = k;
    return SG_OK;
}

sg__insert *sg__keyed_insert(sg__keyed *k)
{
    return k->ins;
}

void sg__keyed_code(sg__keyed *k, int param, long long code)
{
    if (code < 0 || (size_t)code >= k->spec.ncodes)
        sg__insert_null(k->ins, param);
    else if (k->pgcols)
        sg__insert_text_static(k->ins, param, k->spec.codes[code], -1);
    else
        sg__insert_int64(k->ins, param, code);
}

void sg__keyed_feature(const sg_store *store, sg__keyed *k, long long fid,
                       double x, double y)
{
    if (k->pgcols)
        sg__insert_bulk_point(store, k->ins, k->fid_param, x, y);
    else
        sg__insert_int64(k->ins, k->fid_param, fid);
}

/* SQLite: the view NAME over NAME_rows, registered as a spatial view;
 * rows deleted from it (SQL by hand, as from any layer) go from
 * NAME_rows. The texts and the feature's geometry are scalar subqueries,
 * not joins: SQLite computes a column only when it is read (a count of
 * covered households reads NAME_rows alone; with joins it looked up every
 * household, 2 s at L), and the feature is found by its fid, its id only
 * compared. */
static sg_status sqlite_end(sg_ctx *ctx, sg_store *store, sg__keyed *k)
{
    const sg__keyed_spec *sp = &k->spec;
    char *sel = sqlite3_mprintf("k.fid AS fid");
    for (size_t i = 0; i < sp->ncols && sel; i++) {
        const char *c = sp->cols[i].name;
        char *t = is_code(&sp->cols[i])
                      ? sqlite3_mprintf("%s, (SELECT text FROM \"%w_codes\" "
                                        "WHERE code = k.\"%w\") AS \"%w\"",
                                        sel, sp->name, c, c)
                      : sqlite3_mprintf("%s, k.\"%w\" AS \"%w\"", sel, c, c);
        sqlite3_free(sel);
        sel = t;
    }
    sg_status s =
        sel ? exec_free(
                  ctx, store,
                  sqlite3_mprintf(
                      "CREATE VIEW \"%w\" AS SELECT %s, (SELECT CASE WHEN "
                      "f.\"%w\" = k.\"%w\" THEN f.geom END FROM \"%w\" f "
                      "WHERE f.fid = k.fid) AS geom FROM \"%w_rows\" k; "
                      "CREATE TRIGGER \"%w_delete\" INSTEAD OF DELETE ON "
                      "\"%w\" BEGIN DELETE FROM \"%w_rows\" WHERE fid = "
                      "OLD.fid; END; INSERT INTO views_geometry_columns "
                      "(view_name, view_geometry, view_rowid, f_table_name, "
                      "f_geometry_column, read_only) VALUES (lower(%Q), "
                      "'geom', 'fid', lower(%Q), 'geom', 1);",
                      sp->name, sel, sp->from_id, sp->cols[sp->id_col].name,
                      sp->from, sp->name, sp->name, sp->name, sp->name,
                      sp->name, sp->from))
            : sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    sqlite3_free(sel);
    return s;
}

sg_status sg__store_keyed_end(sg_ctx *ctx, sg_store *store, sg__keyed *k)
{
    sg__insert_free(k->ins);
    k->ins = NULL;
    if (k->pgcols)
        return sg__store_bulk_load_end(ctx, store, k->bulk);
    return sqlite_end(ctx, store, k);
}

void sg__store_keyed_free(sg_store *store, sg__keyed *k)
{
    if (!k)
        return;
    sg__insert_free(k->ins);
    sg__store_bulk_load_free(store, k->bulk);
    free(k->pgcols);
    free(k);
}

int sg__store_is_keyed(sg_store *store, const char *name)
{
    if (SG_IS_PG(store))
        return 0;
    sqlite3_stmt *q = NULL;
    int keyed = 0;
    char *rows = sqlite3_mprintf("%s_rows", name);
    if (rows && sqlite3_prepare_v2(store->db,
                                   "SELECT count(*) = 2 FROM sqlite_master "
                                   "WHERE (type = 'view' AND name = ?1) OR "
                                   "(type = 'table' AND name = ?2)",
                                   -1, &q, NULL) == SQLITE_OK) {
        sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 2, rows, -1, SQLITE_STATIC);
        keyed = sqlite3_step(q) == SQLITE_ROW && sqlite3_column_int(q, 0);
    }
    sqlite3_finalize(q);
    sqlite3_free(rows);
    return keyed;
}
