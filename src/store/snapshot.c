/* Snapshots of a store and restoring one (sanigrid/snapshot.h): whole
 * copies made with SQLite's online backup API, kept in DB.snapshots/ as
 * NNNN-<command>-<YYYYMMDDTHHMMSSZ>.sqlite (NNNN increasing), each a
 * self-contained file (rollback journal, no -wal beside it).
 * A snapshot is read through a connection of its own: in WAL mode it sees
 * the last committed state while the command's transaction holds the
 * write lock, so the copy is exactly the store before the command.
 * Not for: deleting rows (filter.c) or the schema (data/sql).
 * SPDX-License-Identifier: MIT */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/ctx_int.h"
#include "sanigrid/snapshot.h"
#include "store/pg_port_int.h"
#include "store/store_sqlite_int.h"

/* Snapshots kept when the store has no snapshots.keep setting (a store
 * of an older schema read as it is). */
#define DEFAULT_KEEP 5

char *sg_snapshot_dir(const char *store_path)
{
    if (store_path && sg__store_path_is_pg(store_path))
        return sg__aprintf("%s", "sg_snapshots");
    return sg__aprintf("%s.snapshots", store_path ? store_path : "");
}

const char *sg_store_last_snapshot(const sg_store *store)
{
    return store ? store->last_snapshot : NULL;
}

/* Parse a snapshot file name "NNNN-command-YYYYMMDDTHHMMSSZ.sqlite" into
 * \p seq, \p cmd (\p cmdsize bytes) and \p iso ("YYYY-MM-DDTHH:MM:SSZ",
 * at least 21 bytes). \return 1 when \p name is one. */
static int parse_name(const char *name, int *seq, char *cmd, size_t cmdsize,
                      char *iso)
{
    size_t n = strlen(name), d = 0;
    while (name[d] >= '0' && name[d] <= '9')
        d++;
    /* digits, '-', a command, '-', 16 characters of time, ".sqlite" */
    if (d < 4 || d > 9 || name[d] != '-' || n < d + 2 + 16 + 7 + 1 ||
        strcmp(name + n - 7, ".sqlite") != 0)
        return 0;
    const char *t = name + n - 7 - 16;
    if (t[-1] != '-' || t[8] != 'T' || t[15] != 'Z')
        return 0;
    for (int i = 0; i < 15; i++)
        if (i != 8 && (t[i] < '0' || t[i] > '9'))
            return 0;
    size_t clen = (size_t)(t - 1 - (name + d + 1));
    if (clen == 0 || clen >= cmdsize)
        return 0;
    memcpy(cmd, name + d + 1, clen);
    cmd[clen] = '\0';
    *seq = (int)strtol(name, NULL, 10); /* digits only, checked above */
    snprintf(iso, 21, "%.4s-%.2s-%.2sT%.2s:%.2s:%.2sZ", t, t + 4, t + 6, t + 9,
             t + 11, t + 13);
    return 1;
}

/* Order snapshots by number. */
static int by_seq(const void *a, const void *b)
{
    const sg_snapshot_info *x = a, *y = b;
    return (x->seq > y->seq) - (x->seq < y->seq);
}

void sg_snapshot_info_free(sg_snapshot_info *snaps, size_t n)
{
    if (!snaps)
        return;
    for (size_t i = 0; i < n; i++) {
        free(snaps[i].name);
        free(snaps[i].path);
        free(snaps[i].command);
        free(snaps[i].taken_at);
    }
    free(snaps);
}

sg_status sg_snapshots_list(sg_ctx *ctx, const char *store_path,
                            sg_snapshot_info **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    if (sg__store_path_is_pg(store_path)) {
        sg_store *pg = NULL;
        sg_status ps = sg_store_open(ctx, store_path, SG_STORE_READONLY, &pg);
        if (ps == SG_OK)
            ps = sg__pg_snapshots_list(ctx, pg, out, n);
        sg_store_close(pg);
        return ps;
    }
    char *dir = sg_snapshot_dir(store_path);
    if (!dir)
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    DIR *d = opendir(dir);
    if (!d) {
        sg_status st = SG_OK;
        if (errno != ENOENT)
            st = sg__error(ctx, SG_ERR_IO_OPEN,
                           "cannot read the snapshot folder %s: %s", dir,
                           strerror(errno));
        free(dir);
        return st;
    }
    sg_snapshot_info *arr = NULL;
    size_t len = 0, cap = 0;
    sg_status st = SG_OK;
    struct dirent *e;
    while (st == SG_OK && (e = readdir(d)) != NULL) {
        int seq;
        char cmd[64], iso[32];
        if (!parse_name(e->d_name, &seq, cmd, sizeof cmd, iso))
            continue;
        if (len == cap) {
            cap = cap ? cap * 2 : 16;
            sg_snapshot_info *na = realloc(arr, cap * sizeof *na);
            if (!na) {
                st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
                break;
            }
            arr = na;
        }
        sg_snapshot_info *s = &arr[len++];
        memset(s, 0, sizeof *s);
        s->seq = seq;
        s->name = strdup(e->d_name);
        s->path = sg__aprintf("%s/%s", dir, e->d_name);
        s->command = strdup(cmd);
        s->taken_at = strdup(iso);
        struct stat sb;
        if (s->path && stat(s->path, &sb) == 0)
            s->bytes = (long long)sb.st_size;
        if (!s->name || !s->path || !s->command || !s->taken_at)
            st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    }
    closedir(d);
    free(dir);
    if (st) {
        sg_snapshot_info_free(arr, len);
        return st;
    }
    if (len)
        qsort(arr, len, sizeof *arr, by_seq);
    *out = arr;
    *n = len;
    return SG_OK;
}

/* Copy the committed content of the database at \p src_path into a new
 * file \p dst_path (online backup, one step), as a rollback-journal
 * database. Removes \p dst_path on failure. */
static sg_status copy_database(sg_ctx *ctx, const char *src_path,
                               const char *dst_path)
{
    sqlite3 *src = NULL, *dst = NULL;
    sqlite3_backup *b = NULL;
    sg_status st = SG_OK;
    char why[256] = "";
    if (sqlite3_open_v2(src_path, &src, SQLITE_OPEN_READONLY, NULL) !=
        SQLITE_OK) {
        snprintf(why, sizeof why, "%s", src ? sqlite3_errmsg(src) : "");
        st = SG_ERR_IO_OPEN;
        goto done;
    }
    sqlite3_busy_timeout(src, 5000);
    if (sqlite3_open_v2(dst_path, &dst,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                        NULL) != SQLITE_OK) {
        snprintf(why, sizeof why, "%s", dst ? sqlite3_errmsg(dst) : "");
        st = SG_ERR_IO_WRITE;
        goto done;
    }
    b = sqlite3_backup_init(dst, "main", src, "main");
    if (!b) {
        snprintf(why, sizeof why, "%s", sqlite3_errmsg(dst));
        st = SG_ERR_IO_WRITE;
        goto done;
    }
    int rc = sqlite3_backup_step(b, -1);
    int frc = sqlite3_backup_finish(b);
    b = NULL;
    if (rc != SQLITE_DONE || frc != SQLITE_OK) {
        snprintf(why, sizeof why, "%s",
                 rc == SQLITE_BUSY || rc == SQLITE_LOCKED
                     ? sqlite3_errstr(rc)
                     : sqlite3_errmsg(dst));
        st = (rc & 0xff) == SQLITE_BUSY ? SG_ERR_DB_BUSY : SG_ERR_IO_WRITE;
        goto done;
    }
    /* one self-contained file: no -wal or -shm beside the snapshot */
    if (sqlite3_exec(dst, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL) !=
        SQLITE_OK) {
        snprintf(why, sizeof why, "%s", sqlite3_errmsg(dst));
        st = SG_ERR_IO_WRITE;
    }
done:
    if (b)
        sqlite3_backup_finish(b);
    if (dst && sqlite3_close(dst) != SQLITE_OK && st == SG_OK) {
        st = SG_ERR_IO_WRITE;
        snprintf(why, sizeof why, "closing failed");
    }
    sqlite3_close(src);
    if (st) {
        unlink(dst_path);
        return sg__error(ctx, st, "cannot write snapshot %s of %s: %s",
                         dst_path, src_path, why);
    }
    return SG_OK;
}

/* Remove the oldest snapshots of \p store_path beyond the newest \p keep,
 * sparing the file named \p spare (may be NULL). Failures to remove are
 * not fatal (the command itself succeeded); nothing is logged, since
 * this runs without a context after a commit. */
static void prune(const char *store_path, int keep, const char *spare)
{
    sg_snapshot_info *s = NULL;
    size_t n = 0;
    sg_ctx *quiet = sg_ctx_new(); /* errors of the listing go nowhere */
    if (!quiet || sg_snapshots_list(quiet, store_path, &s, &n) != SG_OK) {
        sg_ctx_free(quiet);
        return;
    }
    sg_ctx_free(quiet);
    size_t kept = 0;
    for (size_t i = n; i-- > 0;) {
        if (spare && !strcmp(s[i].name, spare))
            continue;
        if (kept < (size_t)keep) {
            kept++;
            continue;
        }
        unlink(s[i].path);
    }
    sg_snapshot_info_free(s, n);
}

/* sg_meta key naming the hidden snapshot of the transaction that writes
 * it, "PENDING/FINAL" (two file names in the snapshot folder): the commit
 * that makes the change also says which snapshot shows the state before
 * it, so that one killed between its commit and the rename of that file
 * (an fsync of the WAL long) still has its snapshot: the next open of
 * the store renames it (sg__snapshot_recover). */
#define PENDING_KEY "snapshot_pending"

void sg__snapshot_recover(sg_store *store)
{
    if (!store || SG_IS_PG(store) || !store->db)
        return;
    sqlite3_stmt *q = NULL;
    char *names = NULL;
    if (sqlite3_prepare_v2(store->db,
                           "SELECT value FROM sg_meta WHERE key = "
                           "'" PENDING_KEY "'",
                           -1, &q, NULL) == SQLITE_OK &&
        sqlite3_step(q) == SQLITE_ROW && sqlite3_column_text(q, 0))
        names = sg__aprintf("%s", (const char *)sqlite3_column_text(q, 0));
    sqlite3_finalize(q);
    char *slash = names ? strchr(names, '/') : NULL;
    char *dir = slash ? sg_snapshot_dir(store->path) : NULL;
    if (dir) {
        *slash = 0;
        char *from = sg__aprintf("%s/%s", dir, names);
        char *to = sg__aprintf("%s/%s", dir, slash + 1);
        /* a file of a committed change, not yet renamed: rename it (a
         * read-only folder leaves it hidden, and so does a failed rename:
         * the store opens all the same) */
        if (from && to && access(from, F_OK) == 0 && access(to, F_OK) != 0)
            (void)rename(from, to);
        free(from);
        free(to);
    }
    free(dir);
    free(names);
}

void sg__store_snapshot_end(sg_store *store, int committed)
{
    if (!store || store->snapshot_keep <= 0)
        return;
    if (SG_IS_PG(store)) { /* taken and pruned inside the transaction */
        if (!committed) {
            free(store->last_snapshot);
            store->last_snapshot = NULL;
        }
        store->snapshot_keep = 0;
        return;
    }
    char *pending = store->snapshot_pending;
    store->snapshot_pending = NULL;
    /* committed: the snapshot becomes visible under its name (a rename
     * failing leaves it hidden, and the command's answer names none) */
    if (committed && pending && store->last_snapshot &&
        rename(pending, store->last_snapshot) != 0 &&
        !(errno == ENOENT && access(store->last_snapshot, F_OK) == 0)) {
        /* (ENOENT with the snapshot in place: another process's open
         * renamed it already, sg__snapshot_recover) */
        unlink(pending);
        free(store->last_snapshot);
        store->last_snapshot = NULL;
    } else if (!committed) {
        if (pending)
            unlink(pending);
        free(store->last_snapshot);
        store->last_snapshot = NULL;
    }
    free(pending);
    if (committed)
        prune(store->path, store->snapshot_keep, NULL);
    store->snapshot_keep = 0;
}

/* Remove the hidden snapshots of commands that died before their commit
 * or rollback (".NNNN-command-STAMP.PID.pending" whose PID is gone): the
 * store never took their change, so they are not snapshots of anything. */
static void remove_orphans(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        size_t n = strlen(e->d_name);
        if (e->d_name[0] != '.' || n < 9 ||
            strcmp(e->d_name + n - 8, ".pending") != 0)
            continue;
        const char *dot = e->d_name + n - 9;
        while (dot > e->d_name && *dot >= '0' && *dot <= '9')
            dot--;
        long pid = *dot == '.' ? strtol(dot + 1, NULL, 10) : 0;
        if (pid > 0 && kill((pid_t)pid, 0) != 0 && errno == ESRCH) {
            char *path = sg__aprintf("%s/%s", dir, e->d_name);
            if (path)
                unlink(path);
            free(path);
        }
    }
    if (d)
        closedir(d);
}

/* The setting snapshots.keep of \p store (DEFAULT_KEEP when the store has
 * none); a negative or fractional value counts as its whole part >= 0. */
static int keep_setting(sg_ctx *ctx, sg_store *store)
{
    double v = DEFAULT_KEEP;
    if (sg_setting_get_double(ctx, store, "snapshots.keep", &v) != SG_OK)
        v = DEFAULT_KEEP;
    sg_ctx_clear_error(ctx);
    if (!(v >= 0))
        v = 0;
    if (v > 100000)
        v = 100000;
    return (int)v;
}

/* Take a snapshot of \p store named after \p command when \p keep > 0,
 * then prune to \p keep: at once unless \p later (the caller prunes),
 * at its commit inside a transaction (sg__store_snapshot_end). Sets
 * store->last_snapshot. */
static sg_status take(sg_ctx *ctx, sg_store *store, const char *command,
                      int keep, int later)
{
    free(store->last_snapshot);
    store->last_snapshot = NULL;
    store->snapshot_keep = 0;
    if (keep <= 0)
        return SG_OK;
    char *dir = sg_snapshot_dir(store->path);
    sg_snapshot_info *s = NULL;
    size_t n = 0;
    char *path = NULL, *tmp = NULL;
    char name[1024];
    sg_status st = SG_OK;
    if (!dir)
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        st = sg__error(ctx, SG_ERR_IO_WRITE,
                       "cannot create the snapshot folder %s: %s; nothing "
                       "was changed (snapshots are turned off with "
                       "`sanigrid config %s set snapshots.keep 0`)",
                       dir, strerror(errno),
                       sg__shell_word(name, sizeof name, store->path));
        goto done;
    }
    remove_orphans(dir);
    if ((st = sg_snapshots_list(ctx, store->path, &s, &n)))
        goto done;
    int seq = n ? s[n - 1].seq + 1 : 1;
    char stamp[32];
    time_t t = time(NULL);
    struct tm tmv;
    gmtime_r(&t, &tmv);
    strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tmv);
    path = sg__aprintf("%s/%04d-%s-%s.sqlite", dir, seq, command, stamp);
    tmp = sg__aprintf("%s/.%04d-%s.tmp", dir, seq, command);
    if (!path || !tmp) {
        st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        goto done;
    }
    unlink(tmp); /* a leftover of a crash */
    if ((st = copy_database(ctx, store->path, tmp))) {
        char msg[SG_ERRMSG_SIZE];
        snprintf(msg, sizeof msg, "%s", sg_ctx_errmsg(ctx));
        st = sg__error(ctx, st,
                       "%s; nothing was changed (snapshots are turned off "
                       "with `sanigrid config %s set snapshots.keep 0`)",
                       msg, sg__shell_word(name, sizeof name, store->path));
        goto done;
    }
    /* inside a transaction the snapshot stays hidden until the commit
     * (sg__store_snapshot_end): a command killed before it leaves no
     * snapshot of a change that never happened */
    char *pending = store->in_tx
                        ? sg__aprintf("%s/.%04d-%s-%s.%ld.pending", dir, seq,
                                      command, stamp, (long)getpid())
                        : NULL;
    const char *dest = store->in_tx ? pending : path;
    if (!dest || rename(tmp, dest) != 0) {
        st = sg__error(ctx, SG_ERR_IO_WRITE,
                       "cannot write snapshot %s: %s; nothing was changed",
                       path, dest ? strerror(errno) : "out of memory");
        unlink(tmp);
        free(pending);
        goto done;
    }
    if (pending) {
        char *rec = sg__aprintf("%s/%s", strrchr(pending, '/') + 1,
                                strrchr(path, '/') + 1);
        char *sql =
            rec ? sqlite3_mprintf("INSERT OR REPLACE INTO sg_meta "
                                  "(key, value) VALUES ('" PENDING_KEY "', %Q)",
                                  rec)
                : NULL;
        st = sql ? sg__store_exec(ctx, store, sql)
                 : sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        sqlite3_free(sql);
        free(rec);
        if (st) {
            unlink(pending);
            free(pending);
            goto done;
        }
    }
    store->last_snapshot = path;
    store->snapshot_pending = pending;
    path = NULL;
    if (store->in_tx)
        store->snapshot_keep = keep;
    else if (!later)
        prune(store->path, keep, NULL);
done:
    sg_snapshot_info_free(s, n);
    free(path);
    free(tmp);
    free(dir);
    return st;
}

sg_status sg__store_snapshot(sg_ctx *ctx, sg_store *store, const char *command)
{
    /* PostgreSQL: tables of the same schema, in the same transaction */
    SG_PG_DISPATCH(store, sg__pg_snapshot_take(ctx, store, command,
                                               keep_setting(ctx, store)));
    /* a committed change's snapshot still hidden is renamed before the
     * orphans go (not in take(): restore calls it during a backup into
     * the store, when nothing else may use the connection) */
    sg__snapshot_recover(store);
    return take(ctx, store, command, keep_setting(ctx, store), 0);
}

/* 1 if \p s is all digits (a snapshot number). */
static int all_digits(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return 0;
    return 1;
}

/* The file of snapshot \p arg of \p store_path: a path (with a '/'), a
 * file name in the snapshot folder (".sqlite" may be left out), or a
 * number. Caller owns; NULL with SG_ERR_IO_OPEN when there is none. */
static char *find_snapshot(sg_ctx *ctx, const char *store_path, const char *arg)
{
    struct stat sb;
    if (strchr(arg, '/')) {
        if (stat(arg, &sb) == 0 && S_ISREG(sb.st_mode))
            return sg__strdup(ctx, arg);
        sg__error(ctx, SG_ERR_IO_OPEN, "snapshot %s does not exist", arg);
        return NULL;
    }
    sg_snapshot_info *s = NULL;
    size_t n = 0;
    if (sg_snapshots_list(ctx, store_path, &s, &n) != SG_OK)
        return NULL;
    char *found = NULL;
    size_t alen = strlen(arg);
    for (size_t i = n; i-- > 0 && !found;) {
        const char *nm = s[i].name;
        if (!strcmp(nm, arg) ||
            (!strncmp(nm, arg, alen) && !strcmp(nm + alen, ".sqlite")) ||
            (all_digits(arg) && alen < 10 && strtol(arg, NULL, 10) == s[i].seq))
            found = sg__strdup(ctx, s[i].path);
    }
    sg_snapshot_info_free(s, n);
    if (!found && stat(arg, &sb) == 0 && S_ISREG(sb.st_mode))
        found = sg__strdup(ctx, arg);
    char name[1024];
    if (!found)
        sg__error(ctx, SG_ERR_IO_OPEN,
                  "no snapshot '%s' of %s (`sanigrid snapshots %s` lists "
                  "them)",
                  arg, store_path,
                  sg__shell_word(name, sizeof name, store_path));
    return found;
}

/* Open \p path read-only and check it is a sanigrid store this build can
 * use (application_id, user_version). Caller owns *\p out. */
static sg_status open_snapshot(sg_ctx *ctx, const char *path, sqlite3 **out)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    *out = NULL;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        sg_status s =
            sg__error(ctx, SG_ERR_IO_OPEN, "cannot open snapshot %s: %s", path,
                      db ? sqlite3_errmsg(db) : "");
        sqlite3_close(db);
        return s;
    }
    int app = 0, ver = 0, ok = 0;
    if (sqlite3_prepare_v2(db,
                           "SELECT application_id, user_version FROM "
                           "pragma_application_id, pragma_user_version",
                           -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW) {
        app = sqlite3_column_int(st, 0);
        ver = sqlite3_column_int(st, 1);
        ok = 1;
    }
    sqlite3_finalize(st);
    sg_status s = SG_OK;
    if (!ok || app != SG_DB_APPLICATION_ID)
        s = sg__error(ctx, SG_ERR_DB_NOT_STORE,
                      "%s is not a snapshot of a sanigrid store; nothing "
                      "was restored",
                      path);
    else if (ver > SG_DB_SCHEMA_VERSION)
        s = sg__error(ctx, SG_ERR_DB_TOO_NEW,
                      "snapshot %s has schema version %d, newer than the "
                      "%d this sanigrid knows; nothing was restored",
                      path, ver, SG_DB_SCHEMA_VERSION);
    if (s) {
        sqlite3_close(db);
        return s;
    }
    *out = db;
    return SG_OK;
}

/* 1 if \p a and \p b are the same file. */
static int same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

/* The file name part of \p path. Borrowed. */
static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

/* Record the restore in the restored store's runs. */
static sg_status record_restore(sg_ctx *ctx, sg_store *store, const char *path)
{
    sg_json p, c;
    sg_json_begin(&p, NULL);
    sg_json_object(&p, NULL);
    sg_json_str(&p, "snapshot", base_name(path));
    sg_json_str(&p, "saved_before",
                store->last_snapshot ? base_name(store->last_snapshot) : NULL);
    sg_json_end_object(&p);
    sg_json_begin(&c, NULL);
    sg_json_object(&c, NULL);
    sg_json_end_object(&c);
    sg_status st = sg__store_begin(ctx, store);
    if (st) {
        free(sg_json_finish_string(&p));
        free(sg_json_finish_string(&c));
        return st;
    }
    st = sg__store_record_run_json(ctx, store, "restore", &p, &c, 0);
    if (st == SG_OK)
        st = sg__store_commit(ctx, store);
    if (st)
        sg__store_rollback(store);
    return st;
}

sg_status sg_store_restore(sg_ctx *ctx, sg_store *store, const char *snapshot,
                           char **restored)
{
    sqlite3 *src = NULL;
    sqlite3_backup *b = NULL;
    char *path = NULL;
    if (restored)
        *restored = NULL;
    sg_status st = sg__store_check_writable(ctx, store);
    if (st)
        return st;
    if (store->in_tx)
        return sg__error(ctx, SG_ERR_INTERNAL,
                         "restore inside a transaction of %s", store->path);
    if (!snapshot || !*snapshot)
        return sg__error(ctx, SG_ERR_USAGE, "no snapshot given");
    SG_PG_DISPATCH(store, sg__pg_restore(ctx, store, snapshot,
                                         keep_setting(ctx, store), restored));
    if (!(path = find_snapshot(ctx, store->path, snapshot)))
        return sg_ctx_status(ctx);
    if (same_file(path, store->path)) {
        st = sg__error(ctx, SG_ERR_USAGE,
                       "%s is the store itself, not a snapshot of it", path);
        goto done;
    }
    if ((st = open_snapshot(ctx, path, &src)))
        goto done;
    int keep = keep_setting(ctx, store);
    b = sqlite3_backup_init(store->db, "main", src, "main");
    if (!b) {
        st = sg__store_sql_error(ctx, store, "restoring a snapshot");
        goto done;
    }
    /* Step 0 pages: this takes the store's write lock (waiting up to the
     * busy timeout) and keeps it until the backup ends, so the state
     * snapshotted next is exactly the one replaced. */
    int rc = sqlite3_backup_step(b, 0);
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
        st = sg__error(ctx, SG_ERR_DB_BUSY,
                       "store %s is being written by another process; "
                       "nothing was restored (try again when it has "
                       "finished)",
                       store->path);
        goto done;
    }
    if (rc != SQLITE_OK) {
        st = sg__error(ctx, SG_ERR_DB, "cannot restore %s into %s: %s", path,
                       store->path, sqlite3_errstr(rc));
        goto done;
    }
    if ((st = take(ctx, store, "restore", keep, 1)))
        goto done;
    rc = sqlite3_backup_step(b, -1);
    int frc = sqlite3_backup_finish(b);
    b = NULL;
    if (rc != SQLITE_DONE || frc != SQLITE_OK) {
        st = sg__error(
            ctx, (rc & 0xff) == SQLITE_BUSY ? SG_ERR_DB_BUSY : SG_ERR_DB,
            "cannot restore %s into %s: %s; the store is "
            "unchanged",
            path, store->path, sqlite3_errstr(rc != SQLITE_DONE ? rc : frc));
        goto done;
    }
    /* the content changed under this connection: re-read what it keeps */
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(store->db, "PRAGMA user_version", -1, &q, NULL) ==
            SQLITE_OK &&
        sqlite3_step(q) == SQLITE_ROW)
        store->schema_version = sqlite3_column_int(q, 0);
    sqlite3_finalize(q);
    if ((st = sg__store_reload_meta(ctx, store)))
        goto done;
    st = record_restore(ctx, store, path);
    /* the snapshot restored is spared: it is what the user chose */
    if (keep > 0)
        prune(store->path, keep, base_name(path));
    sqlite3_close(src);
    src = NULL;
done:
    if (b) { /* unfinished: the store is unchanged, its copy not needed */
        sqlite3_backup_finish(b);
        if (store->last_snapshot) {
            unlink(store->last_snapshot);
            free(store->last_snapshot);
            store->last_snapshot = NULL;
        }
    }
    sqlite3_close(src);
    if (st == SG_OK && restored) {
        *restored = path;
        path = NULL;
    }
    free(path);
    return st;
}
