/* Atomic output files: every file the library writes (exports and their
 * sidecars, maps, reports, rejects) is written to a temporary name in the
 * target's folder, checked (flushed, closed without error, fsync'd) and
 * only then renamed over the target, so that a failure, a full disk, a
 * cancel or a kill leaves the previous file as it was and no temporary
 * behind (issue 17, finding 2). Also the words for write errors ("disk
 * full" when errno says ENOSPC or the file system has no free block).
 * Not for: the store's own file (SQLite's journal does that).
 * SPDX-License-Identifier: MIT */
#ifndef SG_OUTFILE_INT_H
#define SG_OUTFILE_INT_H

#include <stdio.h>

#include "sanigrid/ctx.h"
#include "sanigrid/store.h"

typedef struct sg__outfile {
    char *target;      /* owned; the path the caller asked for */
    char *tmp;         /* owned; the temporary file in the same folder */
    char *target_stem; /* owned; target without its extension (sidecars) */
    char *tmp_stem;    /* owned; tmp without its extension */
    FILE *f;           /* owned while open; from sg__outfile_fopen */
} sg__outfile;

/** Start writing \p target: refuse the store's own files
 * (sg_store_check_output_path; \p store may be NULL), refuse an existing
 * target unless \p overwrite, and choose a temporary name in the same
 * folder ending in \p ext (with its dot; NULL keeps the target's own
 * extension, as drivers choose by it). Nothing is created yet. Call
 * sg__outfile_commit or sg__outfile_abort afterwards in every case. */
sg_status sg__outfile_begin(sg_ctx *ctx, sg_store *store, const char *target,
                            int overwrite, const char *ext, sg__outfile *o);

/** Open the temporary file for writing with stdio (o->f). */
FILE *sg__outfile_fopen(sg_ctx *ctx, sg__outfile *o);

/** Check that the output can be written at all before the work starts:
 * the target's folder exists and is writable. */
sg_status sg__outfile_check_folder(sg_ctx *ctx, const sg__outfile *o);

/** Close o->f if open (flush, check, fsync), fsync the temporary file and
 * each sidecar (extensions with their dot, NULL-terminated list, or NULL)
 * that exists beside it, rename them over the target's, and sync the
 * folder. On failure everything temporary is removed and the target is
 * untouched (sidecars renamed before a failing one stay replaced). Frees
 * \p o in every case. */
sg_status sg__outfile_commit(sg_ctx *ctx, sg__outfile *o,
                             const char *const *sidecars);

/** Remove the temporary file (and sidecars) and free \p o. Safe to call
 * twice and on a zeroed \p o. */
void sg__outfile_abort(sg__outfile *o, const char *const *sidecars);

/** Record a write failure of \p path: "disk full" when \p err is ENOSPC
 * or the folder of \p probe (the file being written; NULL: \p path) has no
 * free block left, "file size limit" for EFBIG, else \p detail (or
 * strerror(err)). \return SG_ERR_IO_WRITE. */
sg_status sg__write_error(sg_ctx *ctx, const char *path, const char *probe,
                          int err, const char *detail);

/** Write \p len bytes of \p data to \p path atomically (replacing it;
 * never one of \p store's files, \p store may be NULL). */
sg_status sg__write_file_atomic(sg_ctx *ctx, sg_store *store, const char *path,
                                const void *data, size_t len);

/** Whether the file system holding \p path has no free block left. */
int sg__disk_full(const char *path);

#endif
