/* show and delete on a PostgreSQL store (declared in pg_port_int.h): the
 * reads of show.c's flow (sg__show) and the operations of delete.c's
 * (sg__delete_rows) in PostgreSQL's SQL, and the twin of filter.c's
 * sg__filter_check_layer, with the same results.
 *
 * The user's --where on PostgreSQL: "SELECT ... FROM layer WHERE (expr)"
 * sent alone through the extended protocol (one statement, never two),
 * inside a read-only transaction (outside a writer's transaction) or a
 * savepoint made read-only for it (inside delete's transaction, undone
 * right after), so the server refuses any write a function in the
 * expression would make. Values are shown as SQLite shows them (a double
 * as "%!.15g": 86.0, 68.75; declared types TEXT, INTEGER, REAL).
 * Not for: SQLite stores (show.c, filter.c).
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ctx_int.h"
#include "store/delete_int.h"
#include "store/filter_int.h"
#include "store/pg_port_int.h"
#include "store/show_int.h"

static sg_status failed(sg_ctx *ctx)
{
    sg_status s = ctx ? sg_ctx_status(ctx) : SG_ERR_DB;
    return s ? s : SG_ERR_DB;
}

sg_status sg__pg_filter_check_layer(sg_ctx *ctx, sg_store *store,
                                    const char *layer)
{
    if (layer && sg__pg_has_layer(store, layer))
        return SG_OK;
    char list[1024] = "";
    size_t len = 0;
    PGresult *res = sg__pg_query(NULL, store, "listing layers",
                                 "SELECT name FROM sg_layers ORDER BY "
                                 "kind = 'result', seq",
                                 0, NULL);
    for (int i = 0; res && i < PQntuples(res) && len + 40 < sizeof list; i++) {
        int k = snprintf(list + len, sizeof list - len, "%s%s", len ? ", " : "",
                         PQgetvalue(res, i, 0));
        if (k > 0)
            len += (size_t)k;
    }
    PQclear(res);
    return sg__error(ctx, SG_ERR_USAGE,
                     "store %s has no layer '%s'; its layers: %s", store->path,
                     layer ? layer : "", list);
}

/* The first table other than \p layer of the store's schema that the
 * plan \p plan (EXPLAIN (VERBOSE, FORMAT JSON)) reads, into \p other;
 * 0 when it reads only \p layer. */
static int reads_other(const char *plan, const char *schema, const char *layer,
                       char *other, size_t size)
{
    static const char *const keys[2] = {"\"Relation Name\": \"",
                                        "\"Schema\": \""};
    for (int k = 0; k < 2; k++) {
        const char *want = k ? schema : layer;
        for (const char *p = strstr(plan, keys[k]); p; p = strstr(p, keys[k])) {
            p += strlen(keys[k]);
            const char *e = strchr(p, '"');
            if (!e)
                break;
            if ((size_t)(e - p) != strlen(want) ||
                strncmp(p, want, (size_t)(e - p))) {
                snprintf(other, size, "%.*s", (int)(e - p), p);
                return 1;
            }
        }
    }
    return 0;
}

/* Run "\p head WHERE (\p where) \p tail" (no WHERE for a NULL \p where)
 * read-only, refusing a filter that reads any table but \p layer (its
 * plan says which it reads): \return its rows (caller owns; PQclear) or
 * NULL with the error in ctx (SG_ERR_USAGE for the filter's own faults). */
static PGresult *filtered(sg_ctx *ctx, sg_store *store, const char *layer,
                          const char *head, const char *where, const char *tail)
{
    char *sql =
        where ? sg__aprintf("%s WHERE (%s\n)%s", head, where, tail ? tail : "")
              : sg__aprintf("%s%s", head, tail ? tail : "");
    if (!sql) {
        sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        return NULL;
    }
    int own = !store->in_tx;
    if (sg__pg_exec(ctx, store, "filtering rows",
                    own ? "BEGIN READ ONLY"
                        : "SAVEPOINT sg_filter; SET LOCAL "
                          "transaction_read_only = on")) {
        free(sql);
        return NULL;
    }
    /* the functions it calls first (nothing runs, not even its plan, when
     * one is refused); PQexecParams: one statement only, whatever the
     * expression holds; its plan next, to see which tables it reads */
    char other[256] = "";
    int bad = where && sg__pg_where_refused(where, other, sizeof other);
    char *explain =
        bad ? NULL : sg__aprintf("EXPLAIN (VERBOSE, FORMAT JSON) %s", sql);
    PGresult *res =
        explain ? PQexecParams(store->pg, explain, 0, NULL, NULL, NULL, NULL, 0)
                : NULL;
    free(explain);
    if (res && PQresultStatus(res) == PGRES_TUPLES_OK) {
        bad = PQntuples(res) > 0 &&
              reads_other(PQgetvalue(res, 0, 0), store->schema, layer, other,
                          sizeof other);
        PQclear(res);
        res = bad ? NULL
                  : PQexecParams(store->pg, sql, 0, NULL, NULL, NULL, NULL, 0);
    }
    free(sql);
    ExecStatusType t = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    int ok = t == PGRES_TUPLES_OK;
    if (other[0]) {
        sg__error(ctx, SG_ERR_USAGE,
                  "--where '%s': %s is not allowed in a filter (it may "
                  "read layer %s and use plain functions)",
                  where ? where : "", other, layer);
    } else if (!ok) {
        const char *state =
            res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
        char msg[512];
        snprintf(msg, sizeof msg, "%s",
                 res ? PQresultErrorMessage(res) : PQerrorMessage(store->pg));
        size_t n = strlen(msg);
        while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
            msg[--n] = '\0';
        if (state && !strcmp(state, "25006"))
            sg__error(ctx, SG_ERR_USAGE,
                      "--where '%s': give one expression (a filter cannot "
                      "hold a second statement or change anything)",
                      where ? where : "");
        else if (state && PQstatus(store->pg) == CONNECTION_OK)
            sg__error(ctx, SG_ERR_USAGE, "--where '%s': %s", where ? where : "",
                      msg);
        else
            sg__pg_error(ctx, store, res, "filtering rows");
        PQclear(res);
        res = NULL;
    }
    /* back to where we were: the savepoint's read-only setting undone */
    PGresult *end = PQexec(store->pg, own ? (ok ? "COMMIT" : "ROLLBACK")
                                          : "ROLLBACK TO SAVEPOINT "
                                            "sg_filter; RELEASE SAVEPOINT "
                                            "sg_filter");
    if (PQresultStatus(end) != PGRES_COMMAND_OK && res) {
        sg__pg_error(ctx, store, end, "filtering rows");
        PQclear(res);
        res = NULL;
    }
    PQclear(end);
    return res;
}

/* ---- show ------------------------------------------------------------------
 */

/* A column's declared type as SQLite's store declares it. */
static const char *sqlite_type(const char *pg)
{
    if (!strcmp(pg, "bigint") || !strcmp(pg, "integer") ||
        !strcmp(pg, "smallint"))
        return "INTEGER";
    if (!strcmp(pg, "double precision") || !strcmp(pg, "real") ||
        !strcmp(pg, "numeric"))
        return "REAL";
    if (!strcmp(pg, "text") || !strcmp(pg, "character varying"))
        return "TEXT";
    if (!strcmp(pg, "bytea"))
        return "BLOB";
    return pg;
}

typedef struct collect_cols {
    sg_show_result *r;
    char *geom_type;
    int failed;
    int has_geom;
} collect_cols;

static void on_column(const char *name, const char *decl, void *user)
{
    collect_cols *c = user;
    sg_show_result *r = c->r;
    if (c->failed)
        return;
    if (!strcmp(name, "geom")) { /* shown last */
        c->has_geom = 1;
        return;
    }
    sg_show_column *n = realloc(r->cols, (r->ncols + 2) * sizeof *n);
    if (!n) {
        c->failed = 1;
        return;
    }
    r->cols = n;
    memset(&r->cols[r->ncols], 0, sizeof *r->cols);
    r->cols[r->ncols].name = strdup(name);
    r->cols[r->ncols].type = strdup(sqlite_type(decl));
    if (!r->cols[r->ncols].name || !r->cols[r->ncols].type) {
        free(r->cols[r->ncols].name);
        free(r->cols[r->ncols].type);
        c->failed = 1;
        return;
    }
    r->ncols++;
}

static sg_status read_columns(sg_ctx *ctx, sg_store *store, sg_show_result *r)
{
    collect_cols c = {r, NULL, 0, 0};
    sg_status s = sg__pg_columns(ctx, store, r->layer, on_column, &c);
    if (s)
        return s;
    if (!c.failed && c.has_geom) {
        char *gt = sg__pg_geometry_type(store, r->layer);
        sg_show_column *g = &r->cols[r->ncols]; /* room left by on_column */
        memset(g, 0, sizeof *g);
        g->name = strdup("geom");
        g->type = strdup(gt ? gt : "GEOMETRY");
        g->geometry = 1;
        free(gt);
        if (!g->name || !g->type) {
            free(g->name);
            free(g->type);
            c.failed = 1;
        } else {
            r->ncols++;
        }
    }
    return c.failed ? sg__error(ctx, SG_ERR_NOMEM, "out of memory") : SG_OK;
}

/* "SELECT <prefix>, <each column>" (counts: count(col)) " FROM layer". */
static char *select_head(sg_store *store, const sg_show_result *r,
                         const char *prefix, int counts)
{
    size_t cap = 256 + strlen(prefix), len = 0;
    char *sql = malloc(cap);
    if (!sql)
        return NULL;
    len = (size_t)snprintf(sql, cap, "SELECT %s", prefix);
    for (size_t i = 0; i <= r->ncols; i++) {
        char *id =
            sg__pg_ident(store, i < r->ncols ? r->cols[i].name : r->layer);
        if (!id) {
            free(sql);
            return NULL;
        }
        char part[600];
        const char *sep = i || *prefix ? ", " : "";
        if (i == r->ncols)
            snprintf(part, sizeof part, " FROM %s", id);
        else if (counts)
            snprintf(part, sizeof part, "%scount(%s)", sep, id);
        else if (r->cols[i].geometry)
            snprintf(part, sizeof part, "%sGeometryType(%s)", sep, id);
        else
            snprintf(part, sizeof part, "%s%s", sep, id);
        PQfreemem(id);
        size_t need = len + strlen(part) + 1;
        if (need > cap) {
            cap = need * 2;
            char *n = realloc(sql, cap);
            if (!n) {
                free(sql);
                return NULL;
            }
            sql = n;
        }
        memcpy(sql + len, part, strlen(part) + 1);
        len += strlen(part);
    }
    return sql;
}

/* A double as SQLite shows a REAL ("%!.15g": always a decimal point). */
static char *real_text(const char *pg)
{
    char buf[64];
    double v = strtod(pg, NULL);
    snprintf(buf, sizeof buf, "%.15g", v);
    size_t n = strlen(buf);
    if (!strpbrk(buf, ".ein")) {
        snprintf(buf + n, sizeof buf - n, ".0");
    } else if (strchr(buf, 'e') && !strchr(buf, '.')) {
        char *e = strchr(buf, 'e');
        char tail[32];
        snprintf(tail, sizeof tail, "%s", e);
        snprintf(e, sizeof buf - (size_t)(e - buf), ".0%s", tail);
    }
    return strdup(buf);
}

static sg_status read_rows(sg_ctx *ctx, sg_store *store, sg_show_result *r,
                           const char *where, long long limit)
{
    char *head = select_head(store, r, "", 0);
    char tail[64];
    snprintf(tail, sizeof tail, " ORDER BY fid LIMIT %lld", limit);
    if (!head)
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    PGresult *res = filtered(ctx, store, r->layer, head, where, tail);
    free(head);
    if (!res)
        return failed(ctx);
    size_t n = (size_t)PQntuples(res);
    sg_status s = SG_OK;
    if (n && r->ncols) {
        r->cells = calloc(n * r->ncols, sizeof *r->cells);
        r->kinds = calloc(n * r->ncols, sizeof *r->kinds);
        if (!r->cells || !r->kinds)
            s = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    }
    for (size_t row = 0; s == SG_OK && row < n; row++) {
        for (size_t i = 0; i < r->ncols; i++) {
            size_t at = row * r->ncols + i;
            if (PQgetisnull(res, (int)row, (int)i)) {
                r->kinds[at] = SG_SHOW_NULL;
                continue;
            }
            const char *v = PQgetvalue(res, (int)row, (int)i);
            Oid t = PQftype(res, (int)i);
            if (t == 20 || t == 21 || t == 23) { /* int8, int2, int4 */
                r->kinds[at] = SG_SHOW_INT;
                r->cells[at] = strdup(v);
            } else if (t == 700 || t == 701 || t == 1700) {
                r->kinds[at] = SG_SHOW_REAL;
                r->cells[at] = real_text(v);
            } else if (t == 17) { /* bytea */
                r->kinds[at] = SG_SHOW_TEXT;
                r->cells[at] = strdup("(blob)");
            } else {
                r->kinds[at] = SG_SHOW_TEXT;
                r->cells[at] = strdup(v);
            }
            if (!r->cells[at])
                s = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        }
        if (s == SG_OK)
            r->nrows++;
    }
    PQclear(res);
    return s;
}

static sg_status read_fill(sg_ctx *ctx, sg_store *store, sg_show_result *r,
                           const char *where)
{
    char *head = select_head(store, r, "count(*)", 1);
    if (!head)
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    PGresult *res = filtered(ctx, store, r->layer, head, where, NULL);
    free(head);
    if (!res)
        return failed(ctx);
    if (PQntuples(res) > 0) {
        r->matched = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
        for (size_t i = 0; i < r->ncols; i++)
            r->cols[i].filled =
                strtoll(PQgetvalue(res, 0, (int)i + 1), NULL, 10);
    }
    PQclear(res);
    return SG_OK;
}

static char *value_dup(const PGresult *res, int row, int col)
{
    return PQgetisnull(res, row, col) ? NULL
                                      : strdup(PQgetvalue(res, row, col));
}

/* The key/value pairs of object \p key of run \p run_id's params, in
 * their order in the text (json, not jsonb, keeps it). */
static sg_status read_pairs(sg_ctx *ctx, sg_store *store, const char *run_id,
                            const char *key, char ***keys, char ***vals,
                            size_t *n)
{
    const char *p[2] = {key, run_id};
    PGresult *res = sg__pg_query(
        ctx, store, "reading runs",
        "SELECT j.key, j.value FROM runs, json_each_text(CASE WHEN "
        "json_typeof(runs.params::json -> $1) = 'object' THEN "
        "runs.params::json -> $1 ELSE '{}'::json END) AS j WHERE "
        "runs.run_id = $2::bigint",
        2, p);
    if (!res)
        return failed(ctx);
    sg_status s = SG_OK;
    int rows = PQntuples(res);
    if (rows) {
        char **nk = realloc(*keys, (*n + (size_t)rows) * sizeof *nk);
        if (nk)
            *keys = nk;
        char **nv = realloc(*vals, (*n + (size_t)rows) * sizeof *nv);
        if (nv)
            *vals = nv;
        if (!nk || !nv)
            s = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    }
    for (int i = 0; s == SG_OK && i < rows; i++) {
        (*keys)[*n] = value_dup(res, i, 0);
        (*vals)[*n] = value_dup(res, i, 1);
        (*n)++;
    }
    PQclear(res);
    return s;
}

static sg_status read_import(sg_ctx *ctx, sg_store *store, sg_show_result *r)
{
    const char *p[1] = {r->layer};
    PGresult *res = sg__pg_query(
        ctx, store, "reading runs",
        "SELECT run_id, started_at, params::json ->> 'source', "
        "params::json ->> 'mode', (params::jsonb ? 'mapping')::int FROM runs "
        "WHERE command = 'import' AND params ~ '^\\s*\\{.*\\}\\s*$' "
        "AND params::json ->> 'layer' = $1 ORDER BY run_id DESC LIMIT 1",
        1, p);
    if (!res)
        return failed(ctx);
    if (PQntuples(res) == 0) {
        PQclear(res);
        return SG_OK;
    }
    char run_id[32];
    snprintf(run_id, sizeof run_id, "%s", PQgetvalue(res, 0, 0));
    r->import_at = value_dup(res, 0, 1);
    r->import_source = value_dup(res, 0, 2);
    r->import_mode = value_dup(res, 0, 3);
    r->map_recorded = (int)strtol(PQgetvalue(res, 0, 4), NULL, 10);
    PQclear(res);
    sg_status s = read_pairs(ctx, store, run_id, "mapping", &r->map_fields,
                             &r->map_columns, &r->nmap);
    if (s == SG_OK)
        s = read_pairs(ctx, store, run_id, "set", &r->set_fields,
                       &r->set_values, &r->nset);
    return s;
}

static const sg__show_ops pg_show_ops = {
    sg__pg_filter_check_layer, read_columns, read_fill, read_rows, read_import};

sg_status sg__pg_show(sg_ctx *ctx, sg_store *store, const char *layer,
                      const char *where, long long limit, sg_show_result **out)
{
    return sg__show(ctx, store, layer, where, limit, out, &pg_show_ops);
}

/* ---- delete -----------------------------------------------------------------
 */

/* Add the fids of the rows of \p res (column 0) to \p out. */
static sg_status add_rows(sg_ctx *ctx, const PGresult *res, sg__fidset *out)
{
    for (int i = 0; i < PQntuples(res); i++)
        if (sg__fidset_add(out, strtoll(PQgetvalue(res, i, 0), NULL, 10)))
            return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    return SG_OK;
}

/* Add the fids of the rows of \p layer whose \p idcol is \p id. */
static sg_status fids_by_id(sg_ctx *ctx, sg_store *store, const char *layer,
                            const char *idcol, const char *id, sg__fidset *out)
{
    char *t = sg__pg_ident(store, layer), *c = sg__pg_ident(store, idcol);
    char *sql = t && c ? sg__aprintf("SELECT fid FROM %s WHERE %s%s = $1", t, c,
                                     strcmp(idcol, "fid") ? "" : "::text")
                       : NULL;
    PQfreemem(t);
    PQfreemem(c);
    if (!sql)
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    const char *p[1] = {id};
    PGresult *res = sg__pg_query(ctx, store, layer, sql, 1, p);
    free(sql);
    sg_status s = res ? add_rows(ctx, res, out) : failed(ctx);
    PQclear(res);
    return s;
}

/* Delete the rows \p doomed of \p layer. */
static sg_status delete_fids(sg_ctx *ctx, sg_store *store, const char *layer,
                             const sg__fidset *doomed)
{
    char *arr = sg__fidset_pg_array(doomed);
    if (!arr)
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    char *t = sg__pg_ident(store, layer);
    char *sql =
        t ? sg__aprintf("DELETE FROM %s WHERE fid = ANY($1::bigint[])", t)
          : NULL;
    PQfreemem(t);
    sg_status s = SG_OK;
    if (!sql) {
        s = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    } else {
        const char *p[1] = {arr};
        PGresult *res = sg__pg_query(ctx, store, layer, sql, 1, p);
        s = res ? SG_OK : failed(ctx);
        PQclear(res);
    }
    free(sql);
    free(arr);
    return s;
}

/* The fids of the rows of \p layer that filter \p where keeps. */
static sg_status fids_by_where(sg_ctx *ctx, sg_store *store, const char *layer,
                               const char *where, sg__fidset *out)
{
    char *t = sg__pg_ident(store, layer);
    char *head = t ? sg__aprintf("SELECT fid FROM %s", t) : NULL;
    PQfreemem(t);
    if (!head)
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    PGresult *res = filtered(ctx, store, layer, head, where, NULL);
    free(head);
    sg_status s = res ? add_rows(ctx, res, out) : failed(ctx);
    PQclear(res);
    return s;
}

static const sg__delete_ops pg_delete_ops = {
    sg__pg_filter_check_layer, fids_by_id, fids_by_where, delete_fids};

sg_status sg__pg_delete_rows(sg_ctx *ctx, sg_store *store, const char *layer,
                             const char *const *ids, size_t nids,
                             const char *where, long long *deleted)
{
    return sg__delete_rows(ctx, store, layer, ids, nids, where, deleted,
                           &pg_delete_ops);
}
