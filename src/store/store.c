/* Opening, creating and migrating the SpatiaLite store; transactions and
 * the SQL helpers the other modules use. Each function sends a PostgreSQL
 * store to its twin in pg.c (store_backend_int.h). All SQL of the library lives
 * in src/store (with the schema in data/sql/). Not for: reading source files
 * (src/io) or analyses. SPDX-License-Identifier: MIT */
#include <errno.h>
#include <sqlite3.h>
#include <spatialite.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/ctx_int.h"
#include "core/outfile_int.h"
#include "store/migrations_int.h"
#include "store/store_pg_int.h"
#include "store/store_sqlite_int.h"
#include "store/store_lib_int.h"
#include "sanigrid/version.h"

sg_status sg__store_sql_error(sg_ctx *ctx, sg_store *store, const char *what)
{
    int rc = store && store->db ? sqlite3_errcode(store->db) : SQLITE_ERROR;
    const char *msg = store && store->db ? sqlite3_errmsg(store->db) : "";
    sg_status st = SG_ERR_DB;
    switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return sg__error(ctx, SG_ERR_DB_BUSY,
                         "%s: store %s is busy (another sanigrid is writing "
                         "to it); try again when it has finished",
                         what, store ? store->path : "");
    case SQLITE_READONLY: st = SG_ERR_DB_READONLY; break;
    case SQLITE_NOTADB: st = SG_ERR_DB_NOT_STORE; break;
    case SQLITE_FULL:
    case SQLITE_IOERR: st = SG_ERR_IO_WRITE; break;
    default: break;
    }
    return sg__error(ctx, st, "%s: %s (%s)", what, msg,
                     store ? store->path : "");
}

sg_status sg__store_exec(sg_ctx *ctx, sg_store *store, const char *sql)
{
    SG_PG_DISPATCH(store, sg__pg_exec(ctx, store, "SQL", sql));
    char *err = NULL;
    int rc, tries = 0;
    /* SQLITE_SCHEMA: another writer changed the schema since this
     * connection read it; the next try reads it afresh */
    while ((rc = sqlite3_exec(store->db, sql, NULL, NULL, &err)) ==
               SQLITE_SCHEMA &&
           ++tries < 3) {
        sqlite3_free(err);
        err = NULL;
    }
    if (rc != SQLITE_OK) {
        sg_status st = sg__store_sql_error(ctx, store, "SQL");
        if (err && st == SG_ERR_DB)
            sg__error(ctx, st, "SQL error in %s: %s", store->path, err);
        sqlite3_free(err);
        return st;
    }
    return SG_OK;
}

sg_status sg__store_check_writable(sg_ctx *ctx, sg_store *store)
{
    SG_PG_DISPATCH(store, sg__pg_check_writable(ctx, store));
    if (store->readonly)
        return sg__error(ctx, SG_ERR_DB_READONLY,
                         "store %s is read-only; nothing was changed",
                         store->path);
    return SG_OK;
}

static sg_status load_srid(sg_ctx *ctx, sg_store *store);

sg_status sg__store_begin(sg_ctx *ctx, sg_store *store)
{
    SG_PG_DISPATCH(store, sg__pg_begin(ctx, store));
    sg_status st = sg__store_check_writable(ctx, store);
    if (st)
        return st;
    if (store->in_tx) { /* join the caller's transaction */
        store->in_tx++;
        return SG_OK;
    }
    st = sg__store_exec(ctx, store, "BEGIN IMMEDIATE");
    if (st)
        return st;
    store->in_tx = 1;
    store->tx_failed = 0;
    /* The lock is ours; another writer may have changed the schema while
     * we waited. Reading sqlite_master makes SQLite compare the schema
     * cookie and re-read the schema now: a statement parsed against the
     * old schema can otherwise fail (a DELETE on a table with triggers
     * reports "no such table" for a table that exists). */
    st = sg__store_exec(ctx, store, "SELECT 1 FROM sqlite_master LIMIT 1");
    if (st == SG_OK && store->schema_version > 0)
        st = load_srid(ctx, store);
    if (st)
        sg__store_rollback(store);
    return st;
}

sg_status sg__store_commit(sg_ctx *ctx, sg_store *store)
{
    SG_PG_DISPATCH(store, sg__pg_commit(ctx, store));
    if (store->in_tx > 1) { /* an inner level: the outermost commits */
        store->in_tx--;
        return SG_OK;
    }
    if (store->tx_failed) {
        sg__store_rollback(store);
        return sg__error(ctx, SG_ERR_DB,
                         "a step of the transaction failed; nothing was "
                         "changed in %s",
                         store->path);
    }
    /* With a snapshot waiting for this commit (snapshot.c), SQLite's
     * automatic checkpoint, which runs inside COMMIT after the commit
     * point and can take as long as the transaction's writing, waits
     * until the snapshot is renamed: a process killed during it would
     * have committed its change without the snapshot of the state before.
     * The store never changes the default of 1000 pages. */
    int hold = store->snapshot_pending != NULL;
    if (hold)
        sqlite3_wal_autocheckpoint(store->db, 0);
    sg_status st = sg__store_exec(ctx, store, "COMMIT");
    if (st) {
        if (hold)
            sqlite3_wal_autocheckpoint(store->db, 1000);
        sg__store_rollback(store);
        return st;
    }
    store->in_tx = 0;
    sg__store_snapshot_end(store, 1);
    if (hold) {
        sqlite3_wal_autocheckpoint(store->db, 1000);
        sqlite3_wal_checkpoint_v2(store->db, NULL, SQLITE_CHECKPOINT_PASSIVE,
                                  NULL, NULL);
    }
    return SG_OK;
}

void sg__store_rollback(sg_store *store)
{
    if (SG_IS_PG(store)) {
        sg__pg_rollback(store);
        return;
    }
    if (store && store->in_tx > 1) { /* the outermost level rolls back */
        store->in_tx--;
        store->tx_failed = 1;
        return;
    }
    if (store && store->db && !sqlite3_get_autocommit(store->db))
        sqlite3_exec(store->db, "ROLLBACK", NULL, NULL, NULL);
    if (store) {
        store->in_tx = 0;
        store->tx_failed = 0;
        sg__store_snapshot_end(store, 0);
    }
}

/* Read one integer PRAGMA; \return 0 and *out, or an sg_status. */
static sg_status pragma_int(sg_ctx *ctx, sg_store *store, const char *pragma,
                            int *out)
{
    sqlite3_stmt *st = NULL;
    char *sql = sqlite3_mprintf("PRAGMA %s", pragma);
    int rc = sqlite3_prepare_v2(store->db, sql, -1, &st, NULL);
    sqlite3_free(sql);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        sg_status s = sg__store_sql_error(ctx, store, "reading the store");
        sqlite3_finalize(st);
        return s;
    }
    *out = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return SG_OK;
}

/* Apply every migration above the store's user_version, each in its own
 * transaction together with the new user_version (STYLE rule 26). */
static sg_status migrate(sg_ctx *ctx, sg_store *store)
{
    for (size_t i = 0; i < sg__migration_count; i++) {
        const sg__migration *m = &sg__migrations[i];
        if (m->version <= store->schema_version)
            continue;
        sg_status st = sg__store_begin(ctx, store);
        if (st)
            return st;
        st = sg__store_exec(ctx, store, m->sql);
        if (st == SG_OK) {
            char sql[64];
            snprintf(sql, sizeof sql, "PRAGMA user_version = %d", m->version);
            st = sg__store_exec(ctx, store, sql);
        }
        if (st == SG_OK)
            st = sg__store_commit(ctx, store);
        if (st) {
            sg__store_rollback(store);
            return sg__error_prefix(ctx, "migration %s: ", m->name);
        }
        store->schema_version = m->version;
    }
    return SG_OK;
}

/* Read the working CRS from sg_meta (0 if none). */
static sg_status load_srid(sg_ctx *ctx, sg_store *store)
{
    sqlite3_stmt *st = NULL;
    store->srid = 0;
    if (sqlite3_prepare_v2(store->db,
                           "SELECT value FROM sg_meta WHERE key = 'srid'", -1,
                           &st, NULL) != SQLITE_OK)
        return sg__store_sql_error(ctx, store, "reading the working CRS");
    if (sqlite3_step(st) == SQLITE_ROW)
        store->srid = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return SG_OK;
}

/* Connect \p path with SQLite and a private SpatiaLite cache. */
static sg_status connect(sg_ctx *ctx, const char *path, int sqlite_flags,
                         sg_store **out)
{
    sg_store *s = calloc(1, sizeof *s);
    if (!s || !(s->path = sg__strdup(ctx, path))) {
        free(s);
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    }
    /* one thread at a time uses a store (its SpatiaLite cache and
     * transaction state are not shared either): SQLite's per-call mutex
     * is 2 % of a coverage run at L for nothing */
    if (sqlite3_open_v2(path, &s->db, sqlite_flags | SQLITE_OPEN_NOMUTEX,
                        NULL) != SQLITE_OK) {
        sg_status st =
            sg__error(ctx, SG_ERR_IO_OPEN, "cannot open store %s: %s", path,
                      s->db ? sqlite3_errmsg(s->db) : "");
        sg_store_close(s);
        return st;
    }
    sqlite3_extended_result_codes(s->db, 1);
    sqlite3_busy_timeout(s->db, 5000);
    s->splite = spatialite_alloc_connection();
    spatialite_init_ex(s->db, s->splite, 0);
    *out = s;
    return SG_OK;
}

/* 1 if the file at \p path has no write bit for anyone or cannot be
 * written by us. Root ignores permissions, but a user who made the file
 * read-only means it. */
static int file_is_readonly(const char *path)
{
    struct stat sb;
    if (stat(path, &sb) != 0)
        return 0;
    return (sb.st_mode & 0222) == 0 || access(path, W_OK) != 0;
}

sg_status sg_store_open(sg_ctx *ctx, const char *path, unsigned flags,
                        sg_store **out)
{
    *out = NULL;
    struct stat sb;
    if (!path || !*path)
        return sg__error(ctx, SG_ERR_USAGE, "no store path given");
    if (sg__store_path_is_pg(path))
        return sg__pg_open(ctx, path, flags, out);
    if (stat(path, &sb) != 0) {
        char name[1024];
        return sg__error(ctx, SG_ERR_IO_OPEN,
                         "store %s does not exist (create it with "
                         "`sanigrid init %s`)",
                         path, sg__shell_word(name, sizeof name, path));
    }
    if (!S_ISREG(sb.st_mode))
        return sg__error(ctx, SG_ERR_DB_NOT_STORE,
                         "%s is not a sanigrid store (not a regular file)",
                         path);
    int ro = (flags & SG_STORE_READONLY) || file_is_readonly(path);
    sg_store *s = NULL;
    sg_status st = connect(
        ctx, path, ro ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE, &s);
    if (st)
        return st;
    s->readonly = ro;
    int app_id = 0;
    st = pragma_int(ctx, s, "application_id", &app_id);
    if (st && (sqlite3_errcode(s->db) & 0xff) != SQLITE_NOTADB) {
        /* a healthy store that cannot be read now: say why (a full disk
         * cannot take the -shm file WAL readers need; issue 17) */
        int full = sg__disk_full(path) ||
                   (sqlite3_errcode(s->db) & 0xff) == SQLITE_FULL;
        char why[512];
        snprintf(why, sizeof why, "%s", sqlite3_errmsg(s->db));
        sg_store_close(s);
        if (full)
            return sg__error(ctx, SG_ERR_IO_WRITE,
                             "cannot open store %s: disk full (reading it "
                             "needs room for its -shm file); free some "
                             "space and try again",
                             path);
        return sg__error(ctx, SG_ERR_IO_OPEN, "cannot open store %s: %s", path,
                         why);
    }
    if (st || app_id != SG_DB_APPLICATION_ID) {
        sg_store_close(s);
        return sg__error(ctx, SG_ERR_DB_NOT_STORE,
                         "%s is not a sanigrid store%s", path,
                         st ? sg__gettext(" (not an SQLite database)")
                            : sg__gettext(" (an SQLite file without "
                                          "sanigrid's application_id)"));
    }
    st = pragma_int(ctx, s, "user_version", &s->schema_version);
    if (st == SG_OK && s->schema_version > SG_DB_SCHEMA_VERSION)
        st = sg__error(ctx, SG_ERR_DB_TOO_NEW,
                       "store %s has schema version %d, newer than the %d "
                       "this sanigrid %s knows; use a newer sanigrid",
                       path, s->schema_version, SG_DB_SCHEMA_VERSION, "build");
    if (st == SG_OK && s->schema_version < SG_DB_SCHEMA_VERSION) {
        /* Read-only, an older store (schema 1 on) is read as it is: the
         * migrations after the first only add settings, whose readers fall back
         * to the defaults; the next writing command upgrades it. */
        if (ro && s->schema_version < 1)
            st = sg__error(ctx, SG_ERR_DB_READONLY,
                           "store %s needs an upgrade from schema %d to %d "
                           "but is read-only",
                           path, s->schema_version, SG_DB_SCHEMA_VERSION);
        else if (ro)
            sg__log(ctx, SG_LOG_INFO,
                    "store %s has schema version %d (this sanigrid writes "
                    "%d); read as it is",
                    path, s->schema_version, SG_DB_SCHEMA_VERSION);
        else
            st = migrate(ctx, s);
    }
    if (st == SG_OK)
        st = load_srid(ctx, s);
    if (st) {
        sg_store_close(s);
        return st;
    }
    sg__snapshot_recover(s);
    *out = s;
    return SG_OK;
}

sg_status sg_store_create(sg_ctx *ctx, const char *path, int srid,
                          sg_store **out)
{
    *out = NULL;
    struct stat sb;
    if (!path || !*path)
        return sg__error(ctx, SG_ERR_USAGE, "no store path given");
    if (sg__store_path_is_pg(path))
        return sg__pg_create(ctx, path, srid, out);
    if (stat(path, &sb) == 0)
        return sg__error(ctx, SG_ERR_DB_EXISTS,
                         "%s already exists; sanigrid init does not "
                         "overwrite a file",
                         path);
    sg_store *s = NULL;
    sg_status st =
        connect(ctx, path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, &s);
    if (st)
        return st;
    char sql[128];
    snprintf(sql, sizeof sql, "PRAGMA application_id = %d",
             SG_DB_APPLICATION_ID);
    st = sg__store_exec(ctx, s, sql);
    if (st == SG_OK)
        st = sg__store_exec(ctx, s, "PRAGMA journal_mode = WAL");
    if (st == SG_OK)
        st = migrate(ctx, s);
    if (st == SG_OK && srid)
        st = sg_store_set_srid(ctx, s, srid);
    if (st) {
        sg_store_close(s);
        unlink(path);
        char aux[4096];
        snprintf(aux, sizeof aux, "%s-wal", path);
        unlink(aux);
        snprintf(aux, sizeof aux, "%s-shm", path);
        unlink(aux);
        return st;
    }
    *out = s;
    return SG_OK;
}

void sg_store_close(sg_store *store)
{
    if (!store)
        return;
    if (SG_IS_PG(store))
        sg__pg_close(store);
    if (store->db) {
        store->in_tx = 0; /* end every level */
        sg__store_rollback(store);
        sqlite3_close_v2(store->db);
    }
    if (store->splite)
        spatialite_cleanup_ex(store->splite);
    free(store->last_snapshot);
    free(store->snapshot_pending);
    free(store->path);
    free(store);
}

int sg__store_is_file(const sg_store *store)
{
    return store && store->kind == SG_BACKEND_SQLITE;
}

int sg_store_srid(const sg_store *store)
{
    return store ? store->srid : 0;
}

int sg_store_schema_version(const sg_store *store)
{
    return store ? store->schema_version : 0;
}

const char *sg_store_path(const sg_store *store)
{
    return store ? store->path : "";
}

int sg_store_path_is_postgresql(const char *path)
{
    return path && sg__store_path_is_pg(path);
}

const char *sg__store_short_name(const sg_store *store)
{
    if (!store)
        return "";
    if (store->kind == SG_BACKEND_PG && store->schema)
        return store->schema;
    const char *base = strrchr(store->path, '/');
    return base ? base + 1 : store->path;
}

/* Check that \p srid is a projected CRS in metres known to SpatiaLite. */
static sg_status check_metric_srid(sg_ctx *ctx, sg_store *store, int srid)
{
    sqlite3_stmt *st = NULL;
    int ok = 0, known = 0;
    if (sqlite3_prepare_v2(store->db,
                           "SELECT SridIsProjected(?1), SridGetUnit(?1), "
                           "(SELECT count(*) FROM spatial_ref_sys "
                           " WHERE srid = ?1)",
                           -1, &st, NULL) != SQLITE_OK)
        return sg__store_sql_error(ctx, store, "checking the CRS");
    sqlite3_bind_int(st, 1, srid);
    if (sqlite3_step(st) == SQLITE_ROW) {
        known = sqlite3_column_int(st, 2) > 0;
        const char *unit = (const char *)sqlite3_column_text(st, 1);
        ok = sqlite3_column_int(st, 0) == 1 && unit &&
             (strcmp(unit, "metre") == 0 || strcmp(unit, "meter") == 0 ||
              strcmp(unit, "m") == 0);
    }
    sqlite3_finalize(st);
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

sg_status sg_store_set_srid(sg_ctx *ctx, sg_store *store, int srid)
{
    SG_PG_DISPATCH(store, sg__pg_set_srid(ctx, store, srid));
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
    if (own_tx && (st = sg__store_begin(ctx, store)))
        return st;
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(store->db,
                           "SELECT name, geometry_type FROM sg_layers "
                           "WHERE geometry_type IS NOT NULL AND kind = 'input'",
                           -1, &q, NULL) != SQLITE_OK) {
        st = sg__store_sql_error(ctx, store, "listing layers");
        goto done;
    }
    while (st == SG_OK && sqlite3_step(q) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(q, 0);
        const char *type = (const char *)sqlite3_column_text(q, 1);
        char *sql = sqlite3_mprintf(
            "SELECT AddGeometryColumn(%Q, 'geom', %d, %Q, 'XY');"
            "SELECT CreateSpatialIndex(%Q, 'geom');",
            name, srid, type, name);
        st = sg__store_exec(ctx, store, sql);
        sqlite3_free(sql);
    }
    if (st == SG_OK) {
        char *sql = sqlite3_mprintf(
            "INSERT OR REPLACE INTO sg_meta (key, value) VALUES ('srid', %d)",
            srid);
        st = sg__store_exec(ctx, store, sql);
        sqlite3_free(sql);
    }
done:
    sqlite3_finalize(q);
    if (own_tx) {
        if (st == SG_OK)
            st = sg__store_commit(ctx, store);
        else
            sg__store_rollback(store);
    }
    if (st == SG_OK)
        store->srid = srid;
    return st;
}

int sg__store_has_layer(sg_store *store, const char *layer)
{
    SG_PG_DISPATCH(store, sg__pg_has_layer(store, layer));
    sqlite3_stmt *st = NULL;
    int found = 0;
    if (sqlite3_prepare_v2(store->db, "SELECT 1 FROM sg_layers WHERE name = ?",
                           -1, &st, NULL) != SQLITE_OK)
        return 0;
    sqlite3_bind_text(st, 1, layer, -1, SQLITE_STATIC);
    found = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    return found;
}

static sg_status prepare_insert(sg_ctx *ctx, sg_store *store, const char *layer,
                                const char *const *cols, size_t ncols,
                                int native, sg__insert **out)
{
    sqlite3_stmt *stmt = NULL;
    *out = NULL;
    const sg__layer_def *def = sg__layer_def_find(layer);
    if (!def)
        return sg__error(ctx, SG_ERR_USAGE, "unknown layer %s", layer);
    if (SG_IS_PG(store)) {
        /* ids are checked for duplicates as SQLite's unique index would */
        const sg__field_def *idf =
            def->id_unique ? sg__layer_id_field(def) : NULL;
        int unique = -1;
        for (size_t i = 0; idf && i < ncols; i++)
            if (strcmp(cols[i], idf->name) == 0)
                unique = (int)i;
        return sg__pg_prepare_insert(ctx, store, layer, cols, ncols,
                                     def->geom_type != NULL, unique, out);
    }
    char *names = sqlite3_mprintf("%s", "");
    char *vals = sqlite3_mprintf("%s", "");
    for (size_t i = 0; i < ncols && names && vals; i++) {
        char *n = sqlite3_mprintf("%s%s\"%w\"", names, i ? ", " : "", cols[i]);
        char *v = sqlite3_mprintf("%s%s?", vals, i ? ", " : "");
        sqlite3_free(names);
        sqlite3_free(vals);
        names = n;
        vals = v;
    }
    char *sql = NULL;
    if (names && vals) {
        if (def->geom_type)
            sql = sqlite3_mprintf(
                native ? "INSERT INTO \"%w\" (%s%sgeom) VALUES (%s%s?)"
                       : "INSERT INTO \"%w\" (%s%sgeom) VALUES "
                         "(%s%sGeomFromWKB(?, %d))",
                layer, names, ncols ? ", " : "", vals, ncols ? ", " : "",
                store->srid);
        else
            sql = sqlite3_mprintf("INSERT INTO \"%w\" (%s) VALUES (%s)", layer,
                                  names, vals);
    }
    sqlite3_free(names);
    sqlite3_free(vals);
    if (!sql)
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    int rc = sqlite3_prepare_v2(store->db, sql, -1, &stmt, NULL);
    sqlite3_free(sql);
    if (rc != SQLITE_OK)
        return sg__store_sql_error(ctx, store, "preparing the import");
    return sg__insert_wrap(ctx, stmt, out);
}

sg_status sg__store_prepare_insert(sg_ctx *ctx, sg_store *store,
                                   const char *layer, const char *const *cols,
                                   size_t ncols, sg__insert **out)
{
    return prepare_insert(ctx, store, layer, cols, ncols, 0, out);
}

sg_status sg__store_prepare_insert_native(sg_ctx *ctx, sg_store *store,
                                          const char *layer,
                                          const char *const *cols, size_t ncols,
                                          sg__insert **out)
{
    return prepare_insert(ctx, store, layer, cols, ncols, 1, out);
}

sg_status sg__store_clear_layer(sg_ctx *ctx, sg_store *store, const char *layer)
{
    SG_PG_DISPATCH(store, sg__pg_clear_layer(ctx, store, layer));
    char *sql = sqlite3_mprintf("DELETE FROM \"%w\"", layer);
    sg_status st = sql ? sg__store_exec(ctx, store, sql)
                       : sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    sqlite3_free(sql);
    return st;
}

long long sg__store_count(sg_ctx *ctx, sg_store *store, const char *layer)
{
    SG_PG_DISPATCH(store, sg__pg_count(ctx, store, layer));
    sqlite3_stmt *st = NULL;
    long long n = -1;
    char *sql = sqlite3_mprintf("SELECT count(*) FROM \"%w\"", layer);
    if (sql && sqlite3_prepare_v2(store->db, sql, -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    else
        sg__store_sql_error(ctx, store, "counting rows");
    sqlite3_free(sql);
    sqlite3_finalize(st);
    return n;
}

void sg__utc_now(char *buf, size_t size)
{
    time_t t = time(NULL);
    struct tm tmv;
    gmtime_r(&t, &tmv);
    strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tmv);
}

sg_status sg__store_record_run(sg_ctx *ctx, sg_store *store,
                               const char *command, const char *params,
                               const char *counts, double seconds)
{
    SG_PG_DISPATCH(
        store, sg__pg_record_run(ctx, store, command, params, counts, seconds));
    sqlite3_stmt *st = NULL;
    char now[32];
    sg__utc_now(now, sizeof now);
    if (sqlite3_prepare_v2(store->db,
                           "INSERT INTO runs (command, params, counts, "
                           "started_at, seconds, version) "
                           "VALUES (?, ?, ?, ?, ?, ?)",
                           -1, &st, NULL) != SQLITE_OK)
        return sg__store_sql_error(ctx, store, "recording the run");
    sqlite3_bind_text(st, 1, command, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, params ? params : "{}", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, counts ? counts : "{}", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, now, -1, SQLITE_STATIC);
    sqlite3_bind_double(st, 5, seconds);
    sqlite3_bind_text(st, 6, SG_VERSION_STRING, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return sg__store_sql_error(ctx, store, "recording the run");
    return SG_OK;
}

sg_status sg__store_record_run_json(sg_ctx *ctx, sg_store *store,
                                    const char *command, sg_json *params,
                                    sg_json *counts, double seconds)
{
    char *p = sg_json_finish_string(params);
    char *c = sg_json_finish_string(counts);
    sg_status st =
        p && c ? sg__store_record_run(ctx, store, command, p, c, seconds)
               : sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    free(p);
    free(c);
    return st;
}

void sg_free(void *p)
{
    free(p);
}

sqlite3 *sg__store_db(sg_store *store)
{
    return store->db;
}

sg_status sg__store_reload_meta(sg_ctx *ctx, sg_store *store)
{
    SG_PG_DISPATCH(store, sg__pg_reload_meta(ctx, store));
    return load_srid(ctx, store);
}

void sg__store_library_init(void)
{
    spatialite_initialize();
}

void sg__store_library_shutdown(void)
{
    spatialite_shutdown();
}
