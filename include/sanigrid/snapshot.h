/* Undo for a store: snapshots, restore, and deleting rows.
 * A command that replaces or deletes data the user cannot recompute
 * (import in replace mode, sg_store_delete_rows, sg_store_restore, site
 * --accept, rank --save-tiers) first copies the whole store, with
 * SQLite's online backup, to DB.snapshots/NNNN-<command>-<UTC time>.sqlite
 * beside it; the newest `snapshots.keep` (a setting, default 5; 0 = off)
 * are kept. Analyses that only rewrite their own result layers take none
 * (run them again to get the layers back), so they are not slowed down.
 * Not for: backups of other files, or versioning (a snapshot is a whole
 * copy of the store, not a difference).
 * SPDX-License-Identifier: MIT */
#ifndef SANIGRID_SNAPSHOT_H
#define SANIGRID_SNAPSHOT_H

#include <stddef.h>

#include "sanigrid/ctx.h"
#include "sanigrid/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/** One snapshot of a store. */
typedef struct sg_snapshot_info {
    int seq;         /* its number NNNN, increasing */
    char *name;      /* file name (owned by the array) */
    char *path;      /* path of the file (owned) */
    char *command;   /* the command that took it: import, delete, ... */
    char *taken_at;  /* UTC ISO 8601 (owned) */
    long long bytes; /* size of the file */
} sg_snapshot_info;

/** The snapshots of the store at \p store_path, oldest first (none when
 * DB.snapshots/ does not exist). The store need not be open.
 * \param out caller owns; free with sg_snapshot_info_free(*out, *n). */
SG_API sg_status sg_snapshots_list(sg_ctx *ctx, const char *store_path,
                                   sg_snapshot_info **out, size_t *n);

/** Free an array from sg_snapshots_list(). NULL is a no-op. */
SG_API void sg_snapshot_info_free(sg_snapshot_info *snaps, size_t n);

/** The folder of the snapshots of \p store_path ("DB.snapshots"); for a
 * PostgreSQL store, "sg_snapshots", the table of its schema listing them.
 * Caller owns; free with sg_free(). NULL when out of memory. */
SG_API char *sg_snapshot_dir(const char *store_path);

/** The path of the snapshot the last writing call on \p store took, NULL
 * when it took none (snapshots off, or a command that takes none).
 * Borrowed; valid until the next writing call or sg_store_close(). */
SG_API const char *sg_store_last_snapshot(const sg_store *store);

/** Put the content of snapshot \p snapshot back into \p store (open for
 * writing): \p snapshot is a path, a file name in DB.snapshots/, or its
 * number (`3` or `0003`). The current state is snapshotted first (command
 * "restore"; see sg_store_last_snapshot), then the snapshot is copied in
 * with SQLite's online backup in one write transaction: other readers see
 * the old or the new store, never a mix. Refused with SG_ERR_DB_BUSY when
 * another process holds the write lock (after the busy timeout), with
 * SG_ERR_IO_OPEN when there is no such snapshot, SG_ERR_DB_NOT_STORE or
 * SG_ERR_DB_TOO_NEW for a file that is not a store this build can use;
 * in every failure the store is unchanged. \p restored (may be NULL)
 * receives the path restored; caller owns; free with sg_free(). */
SG_API sg_status sg_store_restore(sg_ctx *ctx, sg_store *store,
                                  const char *snapshot, char **restored);

/** Delete rows of layer \p layer (any layer of the store) in one
 * transaction, after a snapshot: the rows whose id (the layer's id
 * field, e.g. household_id; fid for layers without one) is one of
 * \p ids, and/or that match the SQL expression \p where (see
 * sg_store_show for what it may use); with both, rows matching both.
 * At least one must be given. An id that names no row is refused
 * (SG_ERR_NOT_FOUND, nothing deleted). Records a run "delete".
 * \p deleted receives the number of rows deleted (0: nothing matched,
 * nothing changed, no snapshot). */
SG_API sg_status sg_store_delete_rows(sg_ctx *ctx, sg_store *store,
                                      const char *layer, const char *const *ids,
                                      size_t nids, const char *where,
                                      long long *deleted);

#ifdef __cplusplus
}
#endif
#endif
