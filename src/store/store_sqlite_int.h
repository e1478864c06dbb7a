/* The SQLite/SpatiaLite backend of the store, for src/store only: the
 * store's connection and the mapping between SQLite statements and the
 * backend-neutral handles of store_int.h (an sg__row or sg__insert is an
 * sqlite3_stmt seen through an opaque type). A PostGIS backend has its own
 * such header.
 * Not for: any module outside src/store (they use store_int.h).
 * SPDX-License-Identifier: MIT */
#ifndef SG_STORE_SQLITE_INT_H
#define SG_STORE_SQLITE_INT_H

#include <sqlite3.h>

#include "store/store_int.h"

struct sg_store {
    sqlite3 *db;       /* owned */
    void *splite;      /* owned SpatiaLite connection cache */
    char *path;        /* owned */
    int srid;          /* working CRS, 0 = not chosen yet */
    int schema_version;
    int readonly;      /* opened read-only, or the file is read-only */
    int in_tx;         /* depth of sg__store_begin calls not yet ended */
    int tx_failed;     /* an inner level rolled back: the outer commit
                          must fail */
    char *last_snapshot; /* path of the last snapshot taken (owned), or
                            NULL (snapshot.c) */
    int snapshot_keep;   /* > 0: last_snapshot was taken inside the open
                            transaction; its commit prunes the snapshots
                            to this many, its rollback removes it */
};

/** The statement behind a row or insert handle, and back. */
#define SG_STMT(h) ((sqlite3_stmt *)(void *)(h))
#define SG_ROW(st) ((sg__row *)(void *)(st))
#define SG_INS(st) ((sg__insert *)(void *)(st))

/** The SQLite handle of \p store. Borrowed. */
sqlite3 *sg__store_db(sg_store *store);

#endif
