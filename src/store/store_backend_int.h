/* The two backends of the store and how a store function picks one, for
 * src/store only.
 *
 * Design (issue 21). A store is one of two kinds, fixed when it is opened
 * (sg_store_open/sg_store_create look at the path: sg__store_path_is_pg):
 *   SG_BACKEND_SQLITE  a SpatiaLite file (store.c, rows.c, ... with
 *                      store_sqlite_int.h);
 *   SG_BACKEND_PG      a schema of a PostgreSQL/PostGIS database reached
 *                      through libpq (pg*.c with store_pg_int.h): a libpq
 *                      URI (postgresql://, postgres://) or a key=value
 *                      conninfo (one with dbname= or host=, or service=).
 * Every function of the store interface (store_int.h, sanigrid/store.h and
 * the *_sql_int.h headers) is written once, for SQLite, and begins with a
 * test of store->kind: a PostgreSQL store goes to the sg__pg_* function of
 * the same contract (SG_PG_DISPATCH), or, where there is none yet, fails
 * with "... is not yet supported on PostgreSQL stores" (SG_PG_UNSUPPORTED)
 * -- never touches the SQLite handle, which is NULL there. A kind field
 * rather than a table of function pointers: the interface is some eighty
 * functions of different shapes, most of them still SQLite-only, and a
 * grep for SG_PG_UNSUPPORTED lists exactly what is left to port.
 * The backend-neutral handles carry their kind too: an sg__row is the
 * current row of a scan (an SQLite statement, or a PostgreSQL result and
 * row number), an sg__insert a prepared insert (an SQLite statement, or
 * PostgreSQL COPY buffer); sg__row_* and sg__insert_* dispatch on it.
 * Ownership: the store owns its connection (db or pg), path and schema;
 * a row is borrowed from its scan; an insert is owned by whoever prepared
 * it (sg__insert_free).
 * Not for: modules outside src/store (they see store_int.h only).
 * SPDX-License-Identifier: MIT */
#ifndef SG_STORE_BACKEND_INT_H
#define SG_STORE_BACKEND_INT_H

#include "store/store_int.h"

typedef enum sg__backend {
    SG_BACKEND_SQLITE = 0,
    SG_BACKEND_PG = 1
} sg__backend;

struct sqlite3; /* sqlite3.h */
struct pg_conn; /* libpq-fe.h (PGconn) */
struct sqlite3_stmt;
struct sg__pg_cursor; /* store_pg_int.h */
struct sg__pg_insert; /* store_pg_int.h */

struct sg_store {
    sg__backend kind;
    /* SQLite */
    struct sqlite3 *db; /* owned */
    void *splite;       /* owned SpatiaLite connection cache */
    /* PostgreSQL */
    struct pg_conn *pg;         /* owned connection */
    char *schema;               /* owned; the schema the store lives in */
    unsigned long cursor_seq;   /* names of server-side cursors */
    struct sg__pg_insert *copy; /* borrowed: the insert whose COPY is open
                                   on the connection, flushed before any
                                   other statement */
    int copy_status;            /* a COPY sent at sg__insert_free failed:
                                   its sg_status, reported by every later
                                   statement and the commit */
    char *copy_error;           /* owned; that failure's message */
    int read_tx;                /* a cursor's own read transaction is open */
    /* both */
    char *path; /* owned; for PostgreSQL the conninfo without its
                   password (shown in messages) */
    int srid;   /* working CRS, 0 = not chosen yet */
    int schema_version;
    int readonly;           /* opened read-only, or the file is read-only, or
                               (PostgreSQL) the role may not write */
    int in_tx;              /* depth of sg__store_begin calls not yet ended */
    int tx_failed;          /* an inner level rolled back: the outer commit
                               must fail */
    char *last_snapshot;    /* path of the last snapshot taken (owned), or
                               NULL (snapshot.c; SQLite only) */
    int snapshot_keep;      /* > 0: last_snapshot was taken inside the open
                               transaction; its commit prunes the snapshots
                               to this many, its rollback removes it */
    char *snapshot_pending; /* inside the open transaction: the file the
                               snapshot waits in (hidden, with our pid)
                               until the commit renames it to
                               last_snapshot (SQLite only) */
};

struct sg__row {
    sg__backend kind;
    struct sqlite3_stmt *stmt; /* SQLite: the statement on its row */
    struct sg__pg_cursor *pg;  /* PostgreSQL: the cursor on its row */
};

struct sg__insert {
    sg__backend kind;
    struct sqlite3_stmt *stmt; /* SQLite: owned prepared statement */
    struct sg__pg_insert *pg;  /* PostgreSQL: owned COPY buffer */
};

/** 1 if \p path names a PostgreSQL database rather than a file. */
int sg__store_path_is_pg(const char *path);

/** A store's name \p w as one shell word, for a command a message
 * suggests: as it is when the shell leaves it alone, else in single quotes
 * (a PostgreSQL store's name is its conninfo, with spaces). Writes into
 * \p b (size \p size, truncated to fit) and returns \p b. */
const char *sg__shell_word(char *b, size_t size, const char *w);

/** SG_ERR_USAGE "<what> is not yet supported on PostgreSQL stores". */
sg_status sg__pg_unsupported(sg_ctx *ctx, const char *what);

/* A function with a PostgreSQL twin: call it and return its result. */
#define SG_PG_DISPATCH(store, call)                                            \
    do {                                                                       \
        if ((store) && (store)->kind == SG_BACKEND_PG)                         \
            return call;                                                       \
    } while (0)

/* A function without one yet: fail clearly. */
#define SG_PG_UNSUPPORTED(ctx, store, what)                                    \
    do {                                                                       \
        if ((store) && (store)->kind == SG_BACKEND_PG)                         \
            return sg__pg_unsupported((ctx), (what));                          \
    } while (0)

#define SG_IS_PG(store) ((store) && (store)->kind == SG_BACKEND_PG)

#endif
