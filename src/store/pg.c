/* The PostgreSQL/PostGIS store (store_pg_int.h): connecting, finding the
 * store's schema, creating and migrating it from data/sql/pg, errors by
 * SQLSTATE, transactions with the store's advisory lock, the working CRS,
 * settings, layer and run listings and the small look-ups.
 * Not for: reading rows or COPY (pg_rows.c).
 * SPDX-License-Identifier: MIT */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ctx_int.h"
#include "sanigrid/version.h"
#include "store/migrations_int.h"
#include "store/store_pg_int.h"

int sg__store_path_is_pg(const char *path)
{
    if (!path)
        return 0;
    if (!strncmp(path, "postgresql://", 13) ||
        !strncmp(path, "postgres://", 11))
        return 1;
    /* a key=value conninfo: a file name never holds these words with '=' */
    return strstr(path, "dbname=") || strstr(path, "host=") ||
           strstr(path, "service=");
}

sg_status sg__pg_unsupported(sg_ctx *ctx, const char *what)
{
    return sg__error(ctx, SG_ERR_USAGE,
                     "%s is not yet supported on PostgreSQL stores; use a "
                     "SpatiaLite store for it",
                     what);
}

char *sg__pg_ident(sg_store *store, const char *name)
{
    return PQescapeIdentifier(store->pg, name, strlen(name));
}

/* Ignore NOTICEs ("relation exists, skipping" and the like). */
static void quiet(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

sg_status sg__pg_error(sg_ctx *ctx, sg_store *store, const PGresult *res,
                       const char *what)
{
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    const char *msg = res ? PQresultErrorMessage(res) : "";
    if (!msg || !*msg)
        msg = store && store->pg ? PQerrorMessage(store->pg) : "";
    char clean[1024];
    snprintf(clean, sizeof clean, "%s", msg);
    size_t n = strlen(clean);
    while (n && (clean[n - 1] == '\n' || clean[n - 1] == ' '))
        clean[--n] = '\0';
    const char *path = store ? store->path : "";
    if (store && store->pg && PQstatus(store->pg) != CONNECTION_OK)
        return sg__error(ctx, SG_ERR_IO_OPEN,
                         "%s: lost the connection to PostgreSQL store %s: %s",
                         what, path, clean);
    if (state && (!strcmp(state, "42501") || !strcmp(state, "25006")))
        return sg__error(ctx, SG_ERR_DB_READONLY,
                         "%s: PostgreSQL store %s may not be written by this "
                         "role (%s); nothing was changed",
                         what, path, clean);
    if (state && (!strcmp(state, "40001") || !strcmp(state, "40P01") ||
                  !strcmp(state, "55P03")))
        return sg__error(ctx, SG_ERR_DB_BUSY,
                         "%s: store %s is busy (another sanigrid is writing "
                         "to it); try again when it has finished",
                         what, path);
    if (state && (!strcmp(state, "53100") || !strcmp(state, "53200")))
        return sg__error(ctx, SG_ERR_IO_WRITE, "%s: %s (%s)", what, clean,
                         path);
    return sg__error(ctx, SG_ERR_DB, "%s: %s (%s)", what, clean, path);
}

PGresult *sg__pg_query(sg_ctx *ctx, sg_store *store, const char *what,
                       const char *sql, int nparams, const char *const *params)
{
    if (sg__pg_flush(ctx, store))
        return NULL;
    /* without parameters the simple protocol, which takes several
     * statements (a migration) */
    PGresult *res = nparams ? PQexecParams(store->pg, sql, nparams, NULL,
                                           params, NULL, NULL, 0)
                            : PQexec(store->pg, sql);
    ExecStatusType t = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    if (t == PGRES_TUPLES_OK || t == PGRES_COMMAND_OK)
        return res;
    sg__pg_error(ctx, store, res, what);
    PQclear(res);
    return NULL;
}

sg_status sg__pg_exec(sg_ctx *ctx, sg_store *store, const char *what,
                      const char *sql)
{
    PGresult *res = sg__pg_query(ctx, store, what, sql, 0, NULL);
    if (!res)
        return sg_ctx_status(ctx) ? sg_ctx_status(ctx) : SG_ERR_DB;
    PQclear(res);
    return SG_OK;
}

/* Run a query of one value; \return it as a new string (free()), NULL for
 * no row or NULL (*st SG_OK) or on an error (*st set). */
static char *query_text(sg_ctx *ctx, sg_store *store, const char *what,
                        const char *sql, int nparams, const char *const *params,
                        sg_status *st)
{
    *st = SG_OK;
    PGresult *res = sg__pg_query(ctx, store, what, sql, nparams, params);
    if (!res) {
        *st = sg_ctx_status(ctx) ? sg_ctx_status(ctx) : SG_ERR_DB;
        return NULL;
    }
    char *v = NULL;
    if (PQntuples(res) > 0 && !PQgetisnull(res, 0, 0)) {
        v = strdup(PQgetvalue(res, 0, 0));
        if (!v)
            *st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    }
    PQclear(res);
    return v;
}

/* ---- transactions ------------------------------------------------------- */

sg_status sg__pg_check_writable(sg_ctx *ctx, sg_store *store)
{
    if (store->readonly)
        return sg__error(ctx, SG_ERR_DB_READONLY,
                         "PostgreSQL store %s is read-only (opened read-only, "
                         "or this role may only read it); nothing was "
                         "changed",
                         store->path);
    return SG_OK;
}

sg_status sg__pg_begin(sg_ctx *ctx, sg_store *store)
{
    sg_status st = sg__pg_check_writable(ctx, store);
    if (st)
        return st;
    if (store->in_tx) {
        store->in_tx++;
        return SG_OK;
    }
    if (store->read_tx) /* a cursor's read transaction becomes ours */
        store->read_tx = 0;
    else if ((st = sg__pg_exec(ctx, store, "beginning a transaction", "BEGIN")))
        return st;
    store->in_tx = 1;
    store->tx_failed = 0;
    /* one writer per store schema at a time; readers never wait */
    const char *p[1] = {store->schema};
    PGresult *res = sg__pg_query(ctx, store, "waiting for the store's lock",
                                 "SELECT pg_advisory_xact_lock("
                                 "hashtext('sanigrid:' || $1))",
                                 1, p);
    if (!res) {
        st = sg_ctx_status(ctx);
        sg__pg_rollback(store);
        return st ? st : SG_ERR_DB;
    }
    PQclear(res);
    if (store->schema_version > 0 && (st = sg__pg_reload_meta(ctx, store)))
        sg__pg_rollback(store);
    return st;
}

sg_status sg__pg_commit(sg_ctx *ctx, sg_store *store)
{
    if (store->in_tx > 1) {
        store->in_tx--;
        return SG_OK;
    }
    sg_status st = sg__pg_flush(ctx, store);
    if (st == SG_OK && store->copy_status)
        st = sg__error(ctx, store->copy_status, "%s",
                       store->copy_error ? store->copy_error : "COPY failed");
    if (st == SG_OK && store->tx_failed)
        st = sg__error(ctx, SG_ERR_DB,
                       "a step of the transaction failed; nothing was "
                       "changed in %s",
                       store->path);
    if (st == SG_OK)
        st = sg__pg_exec(ctx, store, "committing", "COMMIT");
    if (st) {
        sg__pg_rollback(store);
        return st;
    }
    store->in_tx = 0;
    return SG_OK;
}

void sg__pg_rollback(sg_store *store)
{
    if (!store)
        return;
    if (store->in_tx > 1) {
        store->in_tx--;
        store->tx_failed = 1;
        return;
    }
    sg__pg_discard(store);
    if (store->pg && PQtransactionStatus(store->pg) != PQTRANS_IDLE) {
        PGresult *res = PQexec(store->pg, "ROLLBACK");
        PQclear(res);
    }
    store->in_tx = 0;
    store->tx_failed = 0;
    store->read_tx = 0;
    store->copy_status = 0;
    free(store->copy_error);
    store->copy_error = NULL;
}

static sg_status check_metric_srid(sg_ctx *ctx, sg_store *store, int srid);

/* ---- connecting -----------------------------------------------------------
 */

/* The conninfo without its password, for messages (caller owns). */
static char *display_path(const char *conninfo)
{
    char *err = NULL;
    PQconninfoOption *opts = PQconninfoParse(conninfo, &err);
    PQfreemem(err);
    if (!opts)
        return strdup("PostgreSQL");
    size_t cap = 256, len = 0;
    char *out = malloc(cap);
    if (out)
        out[0] = '\0';
    for (PQconninfoOption *o = opts; out && o->keyword; o++) {
        if (!o->val || !*o->val || !strcmp(o->keyword, "password"))
            continue;
        size_t need = len + strlen(o->keyword) + strlen(o->val) + 8;
        if (need > cap) {
            cap = need * 2;
            char *n = realloc(out, cap);
            if (!n) {
                free(out);
                out = NULL;
                break;
            }
            out = n;
        }
        len += (size_t)snprintf(out + len, cap - len, "%s%s=%s", len ? " " : "",
                                o->keyword, o->val);
    }
    PQconninfoFree(opts);
    return out;
}

/* The first schema of the search_path the conninfo asked for ("$user"
 * resolved by the server), into a new string. */
static char *first_schema(sg_ctx *ctx, sg_store *s, sg_status *st)
{
    char *raw = query_text(ctx, s, "reading the search_path",
                           "SELECT btrim(split_part("
                           "current_setting('search_path'), ',', 1))",
                           0, NULL, st);
    if (*st)
        return NULL;
    if (!raw || !*raw || !strcmp(raw, "\"$user\"")) {
        free(raw);
        return query_text(ctx, s, "reading the schema",
                          "SELECT coalesce(current_schema(), 'public')", 0,
                          NULL, st);
    }
    size_t n = strlen(raw);
    if (n >= 2 && raw[0] == '"' && raw[n - 1] == '"') {
        /* a quoted name: drop the quotes, undouble inner ones */
        char *w = raw;
        for (size_t i = 1; i + 1 < n; i++) {
            *w++ = raw[i];
            if (raw[i] == '"' && raw[i + 1] == '"')
                i++;
        }
        *w = '\0';
    }
    return raw;
}

/* Point the session at the store's schema, then PostGIS's (wherever the
 * extension lives), so that unqualified names mean the store's tables. */
static sg_status use_schema(sg_ctx *ctx, sg_store *s)
{
    sg_status st;
    char *gis = query_text(ctx, s, "finding PostGIS",
                           "SELECT n.nspname FROM pg_extension e JOIN "
                           "pg_namespace n ON n.oid = e.extnamespace "
                           "WHERE e.extname = 'postgis'",
                           0, NULL, &st);
    if (st)
        return st;
    if (!gis)
        return sg__error(ctx, SG_ERR_DB_NOT_STORE,
                         "PostgreSQL database of %s has no PostGIS; ask its "
                         "administrator to run CREATE EXTENSION postgis",
                         s->path);
    const char *p[2] = {s->schema, gis};
    PGresult *res = sg__pg_query(
        ctx, s, "setting the search_path",
        "SELECT set_config('search_path', CASE WHEN $1 = $2 THEN "
        "quote_ident($1) ELSE quote_ident($1) || ', ' || quote_ident($2) END, "
        "false)",
        2, p);
    free(gis);
    if (!res)
        return sg_ctx_status(ctx);
    PQclear(res);
    return SG_OK;
}

/* Connect to \p conninfo; the store's schema into s->schema. */
static sg_status connect_pg(sg_ctx *ctx, const char *conninfo, sg_store **out)
{
    *out = NULL;
    sg_store *s = calloc(1, sizeof *s);
    if (!s)
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    s->kind = SG_BACKEND_PG;
    s->path = display_path(conninfo);
    if (!s->path) {
        free(s);
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    }
    s->pg = PQconnectdb(conninfo);
    if (!s->pg || PQstatus(s->pg) != CONNECTION_OK) {
        char why[1024];
        snprintf(why, sizeof why, "%s",
                 s->pg ? PQerrorMessage(s->pg) : "out of memory");
        size_t n = strlen(why);
        while (n && (why[n - 1] == '\n' || why[n - 1] == ' '))
            why[--n] = '\0';
        sg_status st = sg__error(ctx, SG_ERR_IO_OPEN,
                                 "cannot connect to PostgreSQL store %s: %s",
                                 s->path, why);
        sg_store_close(s);
        return st;
    }
    PQsetNoticeProcessor(s->pg, quiet, NULL);
    sg_status st = SG_OK;
    if (PQsetClientEncoding(s->pg, "UTF8") != 0)
        st = sg__error(ctx, SG_ERR_IO_OPEN,
                       "PostgreSQL store %s: cannot use UTF-8", s->path);
    if (st == SG_OK)
        s->schema = first_schema(ctx, s, &st);
    if (st == SG_OK && !s->schema)
        st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    if (st) {
        sg_store_close(s);
        return st;
    }
    *out = s;
    return SG_OK;
}

/* 1 if the store's schema holds a sanigrid store (sg_meta with our
 * application id); -1 on an error. */
static int is_store(sg_ctx *ctx, sg_store *s)
{
    sg_status st;
    const char *p[1] = {s->schema};
    char *v = query_text(ctx, s, "reading the store",
                         "SELECT CASE WHEN to_regclass(quote_ident($1) || "
                         "'.sg_meta') IS NULL THEN NULL ELSE 'yes' END",
                         1, p, &st);
    if (st)
        return -1;
    if (!v)
        return 0;
    free(v);
    char *id = query_text(ctx, s, "reading the store",
                          "SELECT value FROM sg_meta WHERE key = "
                          "'application_id'",
                          0, NULL, &st);
    if (st)
        return -1;
    int ok = id && strtol(id, NULL, 10) == SG_DB_APPLICATION_ID;
    free(id);
    return ok;
}

/* 1 if the store's schema exists and holds tables (or other relations)
 * of its own although it is no store (someone else's schema), 0 if not,
 * -1 on failure (context set). */
static int schema_is_foreign(sg_ctx *ctx, sg_store *s)
{
    sg_status st;
    const char *p[1] = {s->schema};
    char *v = query_text(ctx, s, "reading the store",
                         "SELECT 'yes' FROM pg_class c JOIN pg_namespace n "
                         "ON n.oid = c.relnamespace WHERE n.nspname = $1 "
                         "LIMIT 1",
                         1, p, &st);
    if (st)
        return -1;
    free(v);
    return v != NULL;
}

sg_status sg__pg_reload_meta(sg_ctx *ctx, sg_store *store)
{
    sg_status st;
    char *v = query_text(ctx, store, "reading the working CRS",
                         "SELECT value FROM sg_meta WHERE key = 'srid'", 0,
                         NULL, &st);
    if (st)
        return st;
    store->srid = v ? (int)strtol(v, NULL, 10) : 0;
    free(v);
    return SG_OK;
}

static sg_status load_version(sg_ctx *ctx, sg_store *store)
{
    sg_status st;
    char *v = query_text(ctx, store, "reading the schema version",
                         "SELECT value FROM sg_meta WHERE key = "
                         "'schema_version'",
                         0, NULL, &st);
    if (st)
        return st;
    store->schema_version = v ? (int)strtol(v, NULL, 10) : 0;
    free(v);
    return SG_OK;
}

/* Apply every migration above the store's version, each in its own
 * transaction together with the new version. */
static sg_status migrate(sg_ctx *ctx, sg_store *store)
{
    for (size_t i = 0; i < sg__pg_migration_count; i++) {
        const sg__migration *m = &sg__pg_migrations[i];
        if (m->version <= store->schema_version)
            continue;
        sg_status st = sg__pg_begin(ctx, store);
        if (st)
            return st;
        st = sg__pg_exec(ctx, store, m->name, m->sql);
        if (st == SG_OK) {
            char v[32];
            snprintf(v, sizeof v, "%d", m->version);
            const char *p[1] = {v};
            PGresult *res = sg__pg_query(
                ctx, store, "recording the schema version",
                "INSERT INTO sg_meta (key, value) VALUES ('schema_version', "
                "$1) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
                1, p);
            st = res ? SG_OK : sg_ctx_status(ctx);
            PQclear(res);
        }
        if (st == SG_OK)
            st = sg__pg_commit(ctx, store);
        if (st) {
            sg__pg_rollback(store);
            return sg__error_prefix(ctx, "migration %s: ", m->name);
        }
        store->schema_version = m->version;
    }
    return SG_OK;
}

/* Whether the role may write the store: change settings, add runs and
 * create result tables in its schema. */
static int may_write(sg_ctx *ctx, sg_store *s)
{
    sg_status st;
    const char *p[1] = {s->schema};
    char *v = query_text(ctx, s, "checking privileges",
                         "SELECT has_table_privilege('settings', 'UPDATE') "
                         "AND has_table_privilege('runs', 'INSERT') AND "
                         "has_schema_privilege($1, 'CREATE')",
                         1, p, &st);
    int ok = st == SG_OK && v && !strcmp(v, "t");
    free(v);
    return ok;
}

sg_status sg__pg_open(sg_ctx *ctx, const char *conninfo, unsigned flags,
                      sg_store **out)
{
    sg_store *s = NULL;
    sg_status st = connect_pg(ctx, conninfo, &s);
    if (st)
        return st;
    int is = is_store(ctx, s);
    int foreign = is == 0 ? schema_is_foreign(ctx, s) : 0;
    if (is < 0 || foreign < 0)
        st = sg_ctx_status(ctx);
    else if (foreign)
        st = sg__error(ctx, SG_ERR_DB_NOT_STORE, "%s is not a sanigrid store%s",
                       s->path, "");
    else if (!is)
        st = sg__error(ctx, SG_ERR_IO_OPEN,
                       "PostgreSQL store %s (schema %s) does not exist "
                       "(create it with `sanigrid init`)",
                       s->path, s->schema);
    if (st == SG_OK)
        st = use_schema(ctx, s);
    if (st == SG_OK)
        st = load_version(ctx, s);
    if (st == SG_OK) {
        s->readonly = (flags & SG_STORE_READONLY) || !may_write(ctx, s);
        sg_ctx_clear_error(ctx);
        if (flags & SG_STORE_READONLY)
            st = sg__pg_exec(ctx, s, "opening read-only",
                             "SET default_transaction_read_only = on");
    }
    if (st == SG_OK && s->schema_version > SG_DB_SCHEMA_VERSION)
        st = sg__error(ctx, SG_ERR_DB_TOO_NEW,
                       "store %s has schema version %d, newer than the %d "
                       "this sanigrid %s knows; use a newer sanigrid",
                       s->path, s->schema_version, SG_DB_SCHEMA_VERSION,
                       "build");
    if (st == SG_OK && s->schema_version < SG_DB_SCHEMA_VERSION) {
        if (s->readonly && s->schema_version < 1)
            st = sg__error(ctx, SG_ERR_DB_READONLY,
                           "store %s needs an upgrade from schema %d to %d "
                           "but is read-only",
                           s->path, s->schema_version, SG_DB_SCHEMA_VERSION);
        else if (!s->readonly)
            st = migrate(ctx, s);
    }
    if (st == SG_OK)
        st = sg__pg_reload_meta(ctx, s);
    if (st) {
        sg_store_close(s);
        return st;
    }
    *out = s;
    return SG_OK;
}

sg_status sg__pg_create(sg_ctx *ctx, const char *conninfo, int srid,
                        sg_store **out)
{
    sg_store *s = NULL;
    sg_status st = connect_pg(ctx, conninfo, &s);
    if (st)
        return st;
    int is = is_store(ctx, s);
    /* a schema of someone else's tables is not made a store either */
    if (is == 0 && (is = schema_is_foreign(ctx, s)) < 0)
        is = -1;
    if (is < 0)
        st = sg_ctx_status(ctx);
    else if (is)
        st = sg__error(ctx, SG_ERR_DB_EXISTS,
                       "PostgreSQL store %s (schema %s) already exists; "
                       "sanigrid init does not overwrite a store",
                       s->path, s->schema);
    if (st == SG_OK) {
        /* PostGIS (into public, never the county's schema) if the
         * database has none yet */
        sg_status gs;
        char *gis = query_text(ctx, s, "finding PostGIS",
                               "SELECT extname FROM pg_extension WHERE "
                               "extname = 'postgis'",
                               0, NULL, &gs);
        if (gs == SG_OK && !gis &&
            sg__pg_exec(ctx, s, "creating PostGIS",
                        "CREATE EXTENSION IF NOT EXISTS postgis SCHEMA "
                        "public") != SG_OK)
            st = sg__error(ctx, SG_ERR_DB_NOT_STORE,
                           "PostgreSQL database of %s has no PostGIS and "
                           "this role cannot add it; ask its administrator "
                           "to run CREATE EXTENSION postgis",
                           s->path);
        else if (gs)
            st = gs;
        free(gis);
    }
    if (st == SG_OK)
        st = use_schema(ctx, s);
    /* a CRS that cannot be the working CRS before anything is created,
     * the schema included (as SpatiaLite leaves no file) */
    if (st == SG_OK && srid)
        st = check_metric_srid(ctx, s, srid);
    char *q = st == SG_OK ? sg__pg_ident(s, s->schema) : NULL;
    if (st == SG_OK && !q)
        st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    if (st == SG_OK) {
        char *sql = sg__aprintf("CREATE SCHEMA IF NOT EXISTS %s", q);
        st = sql ? sg__pg_exec(ctx, s, "creating the store's schema", sql)
                 : sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        free(sql);
    }
    PQfreemem(q);
    if (st == SG_OK)
        st = migrate(ctx, s);
    if (st == SG_OK && srid)
        st = sg__pg_set_srid(ctx, s, srid);
    if (st) {
        sg_store_close(s);
        return st;
    }
    *out = s;
    return SG_OK;
}

void sg__pg_close(sg_store *store)
{
    if (store->pg) {
        store->in_tx = 0;
        sg__pg_rollback(store);
        PQfinish(store->pg);
        store->pg = NULL;
    }
    free(store->schema);
    free(store->copy_error);
}

/* ---- the working CRS -------------------------------------------------- */

static sg_status check_metric_srid(sg_ctx *ctx, sg_store *store, int srid)
{
    char v[32];
    snprintf(v, sizeof v, "%d", srid);
    const char *p[1] = {v};
    PGresult *res = sg__pg_query(ctx, store, "checking the CRS",
                                 "SELECT srtext LIKE 'PROJCS[%', "
                                 "proj4text ~ '\\+units=m( |$)' FROM "
                                 "spatial_ref_sys WHERE srid = $1::int",
                                 1, p);
    if (!res)
        return sg_ctx_status(ctx);
    int known = PQntuples(res) > 0;
    int ok = known && !strcmp(PQgetvalue(res, 0, 0), "t") &&
             !strcmp(PQgetvalue(res, 0, 1), "t");
    PQclear(res);
    if (!known)
        return sg__error(ctx, SG_ERR_CRS, "unknown CRS EPSG:%d", srid);
    if (!ok)
        return sg__error(ctx, SG_ERR_CRS,
                         "EPSG:%d is not a projected CRS in metres; the "
                         "working CRS must be metric (e.g. EPSG:4545, a "
                         "CGCS2000 3-degree Gauss-Kruger zone)",
                         srid);
    return SG_OK;
}

sg_status sg__pg_set_srid(sg_ctx *ctx, sg_store *store, int srid)
{
    if (store->srid == srid && srid)
        return SG_OK;
    if (store->srid)
        return sg__error(ctx, SG_ERR_CRS,
                         "store %s already uses EPSG:%d; it cannot change to "
                         "EPSG:%d",
                         store->path, store->srid, srid);
    sg_status st = check_metric_srid(ctx, store, srid);
    if (st)
        return st;
    int own_tx = !store->in_tx;
    if (own_tx && (st = sg__pg_begin(ctx, store)))
        return st;
    PGresult *res = sg__pg_query(ctx, store, "listing layers",
                                 "SELECT name, geometry_type FROM sg_layers "
                                 "WHERE geometry_type IS NOT NULL AND kind = "
                                 "'input' ORDER BY seq",
                                 0, NULL);
    if (!res)
        st = sg_ctx_status(ctx);
    for (int i = 0; res && st == SG_OK && i < PQntuples(res); i++) {
        char *t = sg__pg_ident(store, PQgetvalue(res, i, 0));
        char *ix = sg__aprintf("%s_geom", PQgetvalue(res, i, 0));
        char *x = ix ? sg__pg_ident(store, ix) : NULL;
        char *sql = t && x ? sg__aprintf("ALTER TABLE %s ADD COLUMN geom "
                                         "geometry(%s, %d); CREATE INDEX %s "
                                         "ON %s USING GIST (geom)",
                                         t, PQgetvalue(res, i, 1), srid, x, t)
                           : NULL;
        st = sql ? sg__pg_exec(ctx, store, "adding geometry columns", sql)
                 : sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        free(sql);
        free(ix);
        PQfreemem(t);
        PQfreemem(x);
    }
    PQclear(res);
    if (st == SG_OK) {
        char v[32];
        snprintf(v, sizeof v, "%d", srid);
        const char *p[1] = {v};
        PGresult *r2 = sg__pg_query(
            ctx, store, "recording the working CRS",
            "INSERT INTO sg_meta (key, value) VALUES ('srid', $1) ON "
            "CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
            1, p);
        st = r2 ? SG_OK : sg_ctx_status(ctx);
        PQclear(r2);
    }
    if (own_tx) {
        if (st == SG_OK)
            st = sg__pg_commit(ctx, store);
        else
            sg__pg_rollback(store);
    }
    if (st == SG_OK)
        store->srid = srid;
    return st;
}

/* ---- small look-ups ------------------------------------------------------ */

int sg__pg_has_layer(sg_store *store, const char *layer)
{
    const char *p[1] = {layer};
    PGresult *res =
        sg__pg_query(NULL, store, "listing layers",
                     "SELECT 1 FROM sg_layers WHERE name = $1", 1, p);
    int found = res && PQntuples(res) > 0;
    PQclear(res);
    return found;
}

long long sg__pg_count(sg_ctx *ctx, sg_store *store, const char *layer)
{
    char *t = sg__pg_ident(store, layer);
    char *sql = t ? sg__aprintf("SELECT count(*) FROM %s", t) : NULL;
    PQfreemem(t);
    if (!sql) {
        sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        return -1;
    }
    sg_status st;
    char *v = query_text(ctx, store, "counting rows", sql, 0, NULL, &st);
    free(sql);
    long long n = st == SG_OK && v ? strtoll(v, NULL, 10) : -1;
    free(v);
    return n;
}

sg_status sg__pg_clear_layer(sg_ctx *ctx, sg_store *store, const char *layer)
{
    char *t = sg__pg_ident(store, layer);
    char *sql = t ? sg__aprintf("DELETE FROM %s", t) : NULL;
    PQfreemem(t);
    sg_status st = sql ? sg__pg_exec(ctx, store, "clearing the layer", sql)
                       : sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    free(sql);
    return st;
}

sg_status sg__pg_record_run(sg_ctx *ctx, sg_store *store, const char *command,
                            const char *params, const char *counts,
                            double seconds)
{
    char now[32], secs[64];
    sg__utc_now(now, sizeof now);
    snprintf(secs, sizeof secs, "%.17g", seconds);
    const char *p[6] = {
        command, params ? params : "{}", counts ? counts : "{}", now,
        secs,    SG_VERSION_STRING};
    PGresult *res = sg__pg_query(ctx, store, "recording the run",
                                 "INSERT INTO runs (command, params, counts, "
                                 "started_at, seconds, version) VALUES ($1, "
                                 "$2, $3, $4, $5, $6)",
                                 6, p);
    if (!res)
        return sg_ctx_status(ctx);
    PQclear(res);
    return SG_OK;
}

int sg__pg_division_name(sg_store *store, const char *code, char *buf,
                         size_t size)
{
    if (size)
        buf[0] = '\0';
    const char *p[1] = {code};
    PGresult *res = sg__pg_query(NULL, store, "reading a division's name",
                                 "SELECT name FROM divisions WHERE "
                                 "division_code = $1 AND name IS NOT NULL",
                                 1, p);
    int found = res && PQntuples(res) > 0;
    if (found)
        snprintf(buf, size, "%s", PQgetvalue(res, 0, 0));
    PQclear(res);
    return found;
}

int sg__pg_layer_has_column(sg_store *store, const char *layer,
                            const char *column)
{
    const char *p[3] = {store->schema, layer, column};
    PGresult *res = sg__pg_query(NULL, store, "reading a layer's columns",
                                 "SELECT 1 FROM information_schema.columns "
                                 "WHERE table_schema = $1 AND table_name = $2 "
                                 "AND column_name = $3",
                                 3, p);
    int found = res && PQntuples(res) > 0;
    PQclear(res);
    return found;
}

sg_status sg__pg_columns(sg_ctx *ctx, sg_store *store, const char *layer,
                         void (*fn)(const char *name, const char *decl,
                                    void *user),
                         void *user)
{
    const char *p[2] = {store->schema, layer};
    PGresult *res = sg__pg_query(ctx, store, "reading the layer's columns",
                                 "SELECT column_name, CASE WHEN data_type = "
                                 "'USER-DEFINED' THEN udt_name ELSE "
                                 "data_type END FROM "
                                 "information_schema.columns WHERE "
                                 "table_schema = $1 AND table_name = $2 "
                                 "ORDER BY ordinal_position",
                                 2, p);
    if (!res)
        return sg_ctx_status(ctx);
    for (int i = 0; i < PQntuples(res); i++)
        fn(PQgetvalue(res, i, 0), PQgetvalue(res, i, 1), user);
    PQclear(res);
    return SG_OK;
}

char *sg__pg_geometry_type(sg_store *store, const char *layer)
{
    sg_status st;
    const char *p[1] = {layer};
    char *v = query_text(NULL, store, "reading the geometry type",
                         "SELECT geometry_type FROM sg_layers WHERE name = $1",
                         1, p, &st);
    return v;
}

sg_status sg__pg_max_bytes(sg_ctx *ctx, sg_store *store, const char *layer,
                           const char *column, long long *bytes)
{
    *bytes = 0;
    char *t = sg__pg_ident(store, layer);
    char *c = sg__pg_ident(store, column);
    char *sql = t && c ? sg__aprintf("SELECT max(octet_length(%s::text)) "
                                     "FROM %s",
                                     c, t)
                       : NULL;
    PQfreemem(t);
    PQfreemem(c);
    if (!sql)
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    sg_status st;
    char *v = query_text(ctx, store, "measuring a column", sql, 0, NULL, &st);
    free(sql);
    if (v)
        *bytes = strtoll(v, NULL, 10);
    free(v);
    return st;
}

/* ---- settings ----------------------------------------------------------- */

sg_status sg__pg_settings_foreach(sg_ctx *ctx, sg_store *store,
                                  sg_setting_fn fn, void *user)
{
    PGresult *res = sg__pg_query(ctx, store, "reading settings",
                                 "SELECT key, value, default_value, type, "
                                 "unit, source, description FROM settings "
                                 "ORDER BY key COLLATE \"C\"",
                                 0, NULL);
    if (!res)
        return sg_ctx_status(ctx);
    for (int i = 0; i < PQntuples(res); i++) {
        const char *v[7];
        for (int k = 0; k < 7; k++)
            v[k] = PQgetisnull(res, i, k) ? NULL : PQgetvalue(res, i, k);
        sg_setting s = {v[0], v[1], v[2], v[3], v[4], v[5], v[6]};
        if (fn(&s, user))
            break;
    }
    PQclear(res);
    return SG_OK;
}

sg_status sg__pg_setting_lookup(sg_ctx *ctx, sg_store *store, const char *key,
                                char **value, char **type, char **def)
{
    const char *p[1] = {key};
    PGresult *res = sg__pg_query(ctx, store, "reading settings",
                                 "SELECT value, type, default_value FROM "
                                 "settings WHERE key = $1",
                                 1, p);
    if (!res)
        return sg_ctx_status(ctx);
    sg_status st = SG_OK;
    if (PQntuples(res) > 0) {
        if (value)
            *value = sg__strdup(ctx, PQgetvalue(res, 0, 0));
        if (type)
            *type = sg__strdup(ctx, PQgetvalue(res, 0, 1));
        if (def)
            *def = sg__strdup(ctx, PQgetvalue(res, 0, 2));
    } else {
        char name[1024];
        st = sg__error(ctx, SG_ERR_NOT_FOUND,
                       "unknown setting '%s' (`sanigrid config %s list` "
                       "shows them all)",
                       key,
                       sg__shell_word(name, sizeof name, sg_store_path(store)));
    }
    PQclear(res);
    return st;
}

sg_status sg__pg_setting_update(sg_ctx *ctx, sg_store *store, const char *key,
                                const char *value)
{
    const char *p[2] = {value, key};
    PGresult *res = sg__pg_query(ctx, store, "writing settings",
                                 "UPDATE settings SET value = $1 WHERE key = "
                                 "$2",
                                 2, p);
    if (!res)
        return sg_ctx_status(ctx);
    PQclear(res);
    return SG_OK;
}

/* ---- layers and runs ------------------------------------------------------
 */

/* A number as PostgreSQL writes it (never with a decimal comma). */
static double num(const char *s)
{
    double d = 0;
    return sg__parse_double(s, &d) ? d : 0;
}

static char *dupval(const PGresult *res, int row, int col)
{
    return PQgetisnull(res, row, col) ? NULL
                                      : strdup(PQgetvalue(res, row, col));
}

/* Count and extents (working CRS and WGS 84) of one layer. */
static sg_status layer_stats(sg_ctx *ctx, sg_store *store, sg_layer_info *li)
{
    li->count = sg__pg_count(ctx, store, li->name);
    if (li->count < 0)
        return sg_ctx_status(ctx);
    if (!li->geometry_type || li->count == 0 || !store->srid)
        return SG_OK;
    char *t = sg__pg_ident(store, li->name);
    char *sql =
        t ? sg__aprintf("SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), "
                        "ST_YMax(e), ST_XMin(w), ST_YMin(w), ST_XMax(w), "
                        "ST_YMax(w) FROM (SELECT e, ST_Transform(e, 4326) "
                        "AS w FROM (SELECT ST_SetSRID(ST_Extent(geom)::"
                        "geometry, %d) AS e FROM %s) a) b",
                        store->srid, t)
          : NULL;
    PQfreemem(t);
    if (!sql)
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    PGresult *res =
        sg__pg_query(ctx, store, "reading a layer's extent", sql, 0, NULL);
    free(sql);
    if (!res)
        return sg_ctx_status(ctx);
    if (PQntuples(res) > 0 && !PQgetisnull(res, 0, 0)) {
        li->has_extent = 1;
        for (int i = 0; i < 4; i++) {
            li->extent[i] = num(PQgetvalue(res, 0, i));
            li->extent_lonlat[i] = num(PQgetvalue(res, 0, i + 4));
        }
    }
    PQclear(res);
    return SG_OK;
}

sg_status sg__pg_layers(sg_ctx *ctx, sg_store *store, sg_layer_info **out,
                        size_t *n)
{
    *out = NULL;
    *n = 0;
    PGresult *res = sg__pg_query(ctx, store, "listing layers",
                                 "SELECT name, geometry_type, kind, title_zh, "
                                 "title_en FROM sg_layers "
                                 "ORDER BY kind = 'result', seq",
                                 0, NULL);
    if (!res)
        return sg_ctx_status(ctx);
    size_t len = (size_t)PQntuples(res);
    sg_layer_info *arr = calloc(len ? len : 1, sizeof *arr);
    sg_status rc = arr ? SG_OK : sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    for (size_t i = 0; rc == SG_OK && i < len; i++) {
        sg_layer_info *li = &arr[i];
        li->name = dupval(res, (int)i, 0);
        li->geometry_type = dupval(res, (int)i, 1);
        li->kind = dupval(res, (int)i, 2);
        li->title_zh = dupval(res, (int)i, 3);
        li->title_en = dupval(res, (int)i, 4);
        if (!li->name || !li->kind)
            rc = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    }
    PQclear(res);
    for (size_t i = 0; rc == SG_OK && i < len; i++)
        rc = layer_stats(ctx, store, &arr[i]);
    if (rc) {
        sg_layer_info_free(arr, len);
        return rc;
    }
    *out = arr;
    *n = len;
    return SG_OK;
}

sg_status sg__pg_runs(sg_ctx *ctx, sg_store *store, int limit,
                      sg_run_info **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    if (limit <= 0)
        return SG_OK;
    char lim[32];
    snprintf(lim, sizeof lim, "%d", limit);
    const char *p[1] = {lim};
    PGresult *res = sg__pg_query(ctx, store, "reading runs",
                                 "SELECT run_id, command, params, counts, "
                                 "started_at, seconds FROM runs ORDER BY "
                                 "run_id DESC LIMIT $1::int",
                                 1, p);
    if (!res)
        return sg_ctx_status(ctx);
    size_t len = (size_t)PQntuples(res);
    sg_run_info *arr = calloc(len ? len : 1, sizeof *arr);
    if (!arr) {
        PQclear(res);
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    }
    for (size_t i = 0; i < len; i++) {
        sg_run_info *r = &arr[i];
        r->run_id = strtoll(PQgetvalue(res, (int)i, 0), NULL, 10);
        r->command = dupval(res, (int)i, 1);
        r->params = dupval(res, (int)i, 2);
        r->counts = dupval(res, (int)i, 3);
        r->started_at = dupval(res, (int)i, 4);
        r->seconds = num(PQgetvalue(res, (int)i, 5));
    }
    PQclear(res);
    *out = arr;
    *n = len;
    return SG_OK;
}
