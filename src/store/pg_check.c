/* A row's CHECK constraints on PostgreSQL before it joins a COPY (declared
 * in pg_port_int.h), so that an import rejects the row, as SQLite does
 * ("CHECK constraint failed: <name>"), instead of failing the whole COPY
 * (and the import's transaction) at the server.
 *
 * The constraints are read once per insert from the catalogue (validated
 * CHECK constraints of the table over the columns being inserted), each
 * prepared as a statement over only the columns it reads:
 *   SELECT (expr) IS FALSE FROM (SELECT $1::type AS col, ...) r
 * (a constraint is broken when its expression is false, not NULL), and
 * its answer kept per tuple of those values: a column holds few distinct
 * values (a population, a toilet type, a score), so an import makes a
 * round trip per new tuple, not per row, and keeps COPY's speed.
 * Ownership: sg__pg_rowcheck_new's result is the caller's
 * (sg__pg_rowcheck_free).
 * Not for: unique keys (pg_rows.c keeps the ids seen).
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ctx_int.h"
#include "store/pg_port_int.h"

/* One constraint: its statement over the columns it reads, and the
 * answers already had for their values (most columns hold few distinct
 * values: a round trip per distinct tuple, not per row). */
typedef struct check1 {
    char name[64]; /* the constraint's */
    char stmt[48]; /* the prepared statement */
    int nargs;
    int *arg;   /* owned: the column (insert parameter) of each $n */
    char **key; /* owned open-addressing table of seen value tuples */
    unsigned char *broken; /* per slot: 1 when the tuple breaks it */
    size_t cap, used;
} check1;

struct sg__pg_rowcheck {
    sg_store *store; /* borrowed */
    check1 *c;       /* owned */
    size_t n;
};

#define CACHE_MAX 65536 /* slots per constraint; full: ask every time */

static size_t hash(const char *s)
{
    size_t h = 1469598103934665603u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

/* The slot of \p key in \p c (its own or the empty one it would take). */
static size_t slot(const check1 *c, const char *key)
{
    size_t i = hash(key) & (c->cap - 1);
    while (c->key[i] && strcmp(c->key[i], key))
        i = (i + 1) & (c->cap - 1);
    return i;
}

/* Remember \p key's answer (dropped silently when memory or room runs
 * out: the next row of those values asks again). */
static void remember(check1 *c, const char *key, int broken)
{
    if (c->used * 2 >= c->cap) {
        if (c->cap >= CACHE_MAX)
            return;
        size_t ncap = c->cap ? c->cap * 2 : 64;
        char **nk = calloc(ncap, sizeof *nk);
        unsigned char *nb = calloc(ncap, 1);
        if (!nk || !nb) {
            free(nk);
            free(nb);
            return;
        }
        check1 old = *c;
        c->key = nk;
        c->broken = nb;
        c->cap = ncap;
        for (size_t i = 0; i < old.cap; i++)
            if (old.key[i]) {
                size_t j = slot(c, old.key[i]);
                c->key[j] = old.key[i];
                c->broken[j] = old.broken[i];
            }
        free(old.key);
        free(old.broken);
    }
    size_t j = slot(c, key);
    if (c->key[j])
        return;
    if (!(c->key[j] = strdup(key)))
        return;
    c->broken[j] = (unsigned char)broken;
    c->used++;
}

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
                                     const char *table, const char *const *cols,
                                     size_t ncols, sg_status *st)
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
     * default is not the row's to answer for), each with the columns it
     * reads */
    const char *p[2] = {relname, names};
    PGresult *cons = sg__pg_query(
        ctx, store, "reading the table's constraints",
        "SELECT c.conname, pg_get_constraintdef(c.oid), array_to_string("
        "ARRAY(SELECT a.attname::text FROM unnest(c.conkey) k JOIN "
        "pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k ORDER "
        "BY a.attnum), ',') FROM pg_constraint c "
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
    if (!cons || (PQntuples(cons) > 0 && !types)) {
        *st = sg_ctx_status(ctx) ? sg_ctx_status(ctx) : SG_ERR_DB;
        goto done;
    }
    if (PQntuples(cons) == 0 || PQntuples(types) != (int)ncols)
        goto done; /* nothing to check (or a column we cannot type) */
    rc = calloc(1, sizeof *rc);
    if (rc)
        rc->c = calloc((size_t)PQntuples(cons), sizeof *rc->c);
    if (!rc || !rc->c) {
        free(rc);
        rc = NULL;
        *st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        goto done;
    }
    rc->store = store;
    for (int i = 0; *st == SG_OK && i < PQntuples(cons); i++) {
        check1 *c = &rc->c[rc->n++];
        snprintf(c->name, sizeof c->name, "%s", PQgetvalue(cons, i, 0));
        snprintf(c->stmt, sizeof c->stmt, "sg_rowcheck_%lu",
                 store->cursor_seq++);
        const char *def = PQgetvalue(cons, i, 1);
        if (!strncmp(def, "CHECK ", 6))
            def += 6;
        /* the columns it reads, as parameters */
        char *colnames = strdup(PQgetvalue(cons, i, 2));
        c->arg = calloc(ncols + 1, sizeof *c->arg);
        size_t len = 0, cap = 0;
        free(sql);
        sql = NULL;
        int bad = !colnames || !c->arg ||
                  append(&sql, &len, &cap, "SELECT (") ||
                  append(&sql, &len, &cap, def) ||
                  append(&sql, &len, &cap, ") IS FALSE FROM (SELECT ");
        char *save = NULL;
        for (char *t = bad ? NULL : strtok_r(colnames, ",", &save); t && !bad;
             t = strtok_r(NULL, ",", &save)) {
            size_t k = 0;
            while (k < ncols && strcmp(cols[k], t))
                k++;
            if (k == ncols) {
                bad = 1;
                break;
            }
            c->arg[c->nargs] = (int)k;
            char *id = sg__pg_ident(store, t);
            char part[512];
            snprintf(part, sizeof part, "%s$%d::%s AS %s", c->nargs ? ", " : "",
                     c->nargs + 1, PQgetvalue(types, (int)k, 0),
                     id ? id : "\"?\"");
            PQfreemem(id);
            c->nargs++;
            bad = !id || append(&sql, &len, &cap, part);
        }
        free(colnames);
        bad = bad || append(&sql, &len, &cap, ") r");
        if (bad) {
            *st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
            break;
        }
        PGresult *prep = PQprepare(store->pg, c->stmt, sql, c->nargs, NULL);
        if (!prep || PQresultStatus(prep) != PGRES_COMMAND_OK)
            *st = sg__pg_error(ctx, store, prep, table);
        PQclear(prep);
    }
    if (*st) {
        sg__pg_rowcheck_free(rc);
        rc = NULL;
    }
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
    for (size_t i = 0; i < rc->n; i++) {
        check1 *c = &rc->c[i];
        const char *args[64];
        char key[1024];
        size_t kl = 0;
        int cacheable = c->nargs <= 64;
        for (int a = 0; cacheable && a < c->nargs; a++) {
            const char *v = values[c->arg[a]];
            args[a] = v;
            /* \x1e for NULL, \x1f between values */
            int k = snprintf(key + kl, sizeof key - kl, "%s%s", a ? "\x1f" : "",
                             v ? v : "\x1e");
            if (k < 0 || (size_t)k >= sizeof key - kl)
                cacheable = 0;
            else
                kl += (size_t)k;
        }
        if (!cacheable && c->nargs > 64)
            continue; /* not evaluated here: the server still checks */
        int broken = -1;
        if (cacheable && c->cap) {
            size_t j = slot(c, key);
            if (c->key[j])
                broken = c->broken[j];
        }
        if (broken < 0) {
            PGresult *res = PQexecPrepared(rc->store->pg, c->stmt, c->nargs,
                                           args, NULL, NULL, 0);
            if (!res || PQresultStatus(res) != PGRES_TUPLES_OK) {
                sg__pg_error(ctx, rc->store, res, "checking a row");
                PQclear(res);
                return -1;
            }
            broken = PQntuples(res) > 0 && !strcmp(PQgetvalue(res, 0, 0), "t");
            PQclear(res);
            if (cacheable)
                remember(c, key, broken);
        }
        if (broken) {
            if (size) /* SQLite's words, for the same rejects */
                snprintf(msg, size, "CHECK constraint failed: %s", c->name);
            return 1;
        }
    }
    return 0;
}

void sg__pg_rowcheck_free(sg__pg_rowcheck *rc)
{
    if (!rc)
        return;
    for (size_t i = 0; i < rc->n; i++) {
        check1 *c = &rc->c[i];
        if (rc->store && rc->store->pg && c->stmt[0]) {
            char sql[80];
            snprintf(sql, sizeof sql, "DEALLOCATE %s", c->stmt);
            PQclear(PQexec(rc->store->pg, sql));
        }
        for (size_t j = 0; j < c->cap; j++)
            free(c->key[j]);
        free(c->key);
        free(c->broken);
        free(c->arg);
    }
    free(rc->c);
    free(rc);
}
