/* A row's CHECK constraints on PostgreSQL before it joins a COPY (declared
 * in pg_port_int.h), so that an import rejects the row, as SQLite does
 * ("CHECK constraint failed: <name>"), instead of failing the whole COPY
 * (and the import's transaction) at the server.
 *
 * The constraints are read once per insert from the catalogue (validated
 * CHECK constraints of the table over the columns being inserted) and
 * evaluated by one prepared statement per row on the values as bound:
 *   SELECT k.n FROM (SELECT $1::type1 AS col1, ...) r CROSS JOIN LATERAL
 *     (VALUES ('name1', (expr1)), ...) k(n, ok) WHERE ok IS FALSE LIMIT 1
 * (a constraint is broken when its expression is false, not NULL).
 * Ownership: sg__pg_rowcheck_new's result is the caller's
 * (sg__pg_rowcheck_free).
 * Not for: unique keys (pg_rows.c keeps the ids seen).
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ctx_int.h"
#include "store/pg_port_int.h"

struct sg__pg_rowcheck {
    sg_store *store; /* borrowed */
    char name[48];   /* the prepared statement */
    int nparams;
};

/* Append \p s to the growing string *\p buf (*\p len, *\p cap). */
static int append(char **buf, size_t *len, size_t *cap, const char *s)
{
    size_t n = strlen(s);
    if (*len + n + 1 > *cap) {
        size_t c = (*len + n + 1) * 2;
        char *b = realloc(*buf, c);
        if (!b)
            return -1;
        *buf = b;
        *cap = c;
    }
    memcpy(*buf + *len, s, n + 1);
    *len += n;
    return 0;
}

/* "{a,b,...}" of \p cols, each double-quoted for an array literal. */
static char *name_array(const char *const *cols, size_t ncols)
{
    char *buf = NULL;
    size_t len = 0, cap = 0;
    int bad = append(&buf, &len, &cap, "{");
    for (size_t i = 0; !bad && i < ncols; i++) {
        bad = append(&buf, &len, &cap, i ? ",\"" : "\"");
        for (const char *c = cols[i]; !bad && *c; c++) {
            char one[3] = {0};
            one[0] = (*c == '"' || *c == '\\') ? '\\' : *c;
            one[1] = (*c == '"' || *c == '\\') ? *c : '\0';
            bad = append(&buf, &len, &cap, one);
        }
        if (!bad)
            bad = append(&buf, &len, &cap, "\"");
    }
    if (!bad)
        bad = append(&buf, &len, &cap, "}");
    if (bad) {
        free(buf);
        return NULL;
    }
    return buf;
}

sg__pg_rowcheck *sg__pg_rowcheck_new(sg_ctx *ctx, sg_store *store,
                                     const char *table,
                                     const char *const *cols, size_t ncols,
                                     sg_status *st)
{
    *st = SG_OK;
    char *names = name_array(cols, ncols);
    char *qt = sg__pg_ident(store, table);
    char *rel = names && qt && store->schema
                    ? sg__pg_ident(store, store->schema)
                    : NULL;
    char *relname = rel ? sg__aprintf("%s.%s", rel, qt) : NULL;
    PQfreemem(rel);
    PQfreemem(qt);
    if (!relname) {
        free(names);
        *st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        return NULL;
    }
    /* the constraints over inserted columns only (a column left to its
     * default is not the row's to answer for) */
    const char *p[2] = {relname, names};
    PGresult *cons = sg__pg_query(
        ctx, store, "reading the table's constraints",
        "SELECT c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c "
        "WHERE c.conrelid = to_regclass($1) AND c.contype = 'c' AND "
        "c.convalidated AND NOT EXISTS (SELECT 1 FROM unnest(c.conkey) k "
        "JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k "
        "WHERE a.attname <> ALL ($2::text[])) ORDER BY c.conname",
        2, p);
    PGresult *types =
        cons && PQntuples(cons) > 0
            ? sg__pg_query(ctx, store, "reading the table's columns",
                           "SELECT format_type(a.atttypid, a.atttypmod) FROM "
                           "unnest($2::text[]) WITH ORDINALITY u(n, i) JOIN "
                           "pg_attribute a ON a.attrelid = to_regclass($1) "
                           "AND a.attname = u.n ORDER BY u.i",
                           2, p)
            : NULL;
    free(relname);
    free(names);
    sg__pg_rowcheck *rc = NULL;
    char *sql = NULL;
    size_t len = 0, cap = 0;
    if (!cons || (PQntuples(cons) > 0 && !types)) {
        *st = sg_ctx_status(ctx) ? sg_ctx_status(ctx) : SG_ERR_DB;
        goto done;
    }
    if (PQntuples(cons) == 0 || PQntuples(types) != (int)ncols)
        goto done; /* nothing to check (or a column we cannot type) */
    int bad = append(&sql, &len, &cap, "SELECT k.n FROM (SELECT ");
    for (size_t i = 0; !bad && i < ncols; i++) {
        char *id = sg__pg_ident(store, cols[i]);
        char part[512];
        snprintf(part, sizeof part, "%s$%zu::%s AS %s", i ? ", " : "", i + 1,
                 PQgetvalue(types, (int)i, 0), id ? id : "\"?\"");
        PQfreemem(id);
        bad = !id || append(&sql, &len, &cap, part);
    }
    bad = bad || append(&sql, &len, &cap,
                        ") r CROSS JOIN LATERAL (VALUES ");
    for (int i = 0; !bad && i < PQntuples(cons); i++) {
        const char *def = PQgetvalue(cons, i, 1);
        if (!strncmp(def, "CHECK ", 6))
            def += 6;
        char *lit = PQescapeLiteral(store->pg, PQgetvalue(cons, i, 0),
                                    strlen(PQgetvalue(cons, i, 0)));
        bad = !lit || append(&sql, &len, &cap, i ? ", (" : "(") ||
              append(&sql, &len, &cap, lit) ||
              append(&sql, &len, &cap, ", ") ||
              append(&sql, &len, &cap, def) ||
              append(&sql, &len, &cap, ")");
        PQfreemem(lit);
    }
    bad = bad || append(&sql, &len, &cap,
                        ") k(n, ok) WHERE ok IS FALSE LIMIT 1");
    rc = bad ? NULL : calloc(1, sizeof *rc);
    if (!rc) {
        *st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        goto done;
    }
    rc->store = store;
    rc->nparams = (int)ncols;
    snprintf(rc->name, sizeof rc->name, "sg_rowcheck_%lu",
             store->cursor_seq++);
    PGresult *prep = PQprepare(store->pg, rc->name, sql, rc->nparams, NULL);
    if (!prep || PQresultStatus(prep) != PGRES_COMMAND_OK) {
        *st = sg__pg_error(ctx, store, prep, table);
        free(rc);
        rc = NULL;
    }
    PQclear(prep);
done:
    free(sql);
    PQclear(cons);
    PQclear(types);
    return rc;
}

int sg__pg_rowcheck_run(sg_ctx *ctx, sg__pg_rowcheck *rc,
                        const char *const *values, char *msg, size_t size)
{
    /* the rows buffered for COPY stay buffered: the check reads no table */
    PGresult *res = PQexecPrepared(rc->store->pg, rc->name, rc->nparams,
                                   values, NULL, NULL, 0);
    if (!res || PQresultStatus(res) != PGRES_TUPLES_OK) {
        sg__pg_error(ctx, rc->store, res, "checking a row");
        PQclear(res);
        return -1;
    }
    int broken = PQntuples(res) > 0;
    if (broken && size) /* SQLite's words, for the same rejects */
        snprintf(msg, size, "CHECK constraint failed: %s",
                 PQgetvalue(res, 0, 0));
    PQclear(res);
    return broken;
}

void sg__pg_rowcheck_free(sg__pg_rowcheck *rc)
{
    if (!rc)
        return;
    if (rc->store && rc->store->pg) {
        char sql[80];
        snprintf(sql, sizeof sql, "DEALLOCATE %s", rc->name);
        PQclear(PQexec(rc->store->pg, sql));
    }
    free(rc);
}
