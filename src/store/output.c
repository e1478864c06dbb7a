/* Guard for every file the library writes: an output must never be the
 * store itself, nor its -wal, -shm or -journal (issue 17, finding 1: an
 * export, report, render or rejects file written over the store destroyed
 * it). Compared by inode when the path exists (hard links, symlinks,
 * "./x" spellings) and by canonical name when it does not yet exist.
 * Not for: writing the file (src/core/outfile.c).
 * SPDX-License-Identifier: MIT */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/ctx_int.h"
#include "store/store_sqlite_int.h"

static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};

/* The canonical absolute name of \p path whether or not it exists: the
 * real path of its folder plus its last component. Caller owns; free().
 * NULL when the folder cannot be resolved. */
static char *canonical(const char *path)
{
    char *real = realpath(path, NULL);
    if (real)
        return real;
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    char *dir = slash ? strndup(path, (size_t)(slash - path) + (slash == path))
                      : strdup(".");
    if (!dir)
        return NULL;
    char *rdir = realpath(dir, NULL);
    free(dir);
    if (!rdir)
        return NULL;
    size_t n = strlen(rdir) + strlen(base) + 2;
    char *out = malloc(n);
    if (out)
        snprintf(out, n, "%s%s%s", rdir,
                 rdir[strlen(rdir) - 1] == '/' ? "" : "/", base);
    free(rdir);
    return out;
}

sg_status sg_store_check_output_path(sg_ctx *ctx, sg_store *store,
                                     const char *path)
{
    /* a PostgreSQL store has no file an output could overwrite */
    if (!store || !path || SG_IS_PG(store))
        return SG_OK;
    struct stat out_sb;
    int out_exists = stat(path, &out_sb) == 0;
    char *cstore = canonical(store->path);
    char *cout = canonical(path);
    sg_status st = SG_OK;
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0] && !st; i++) {
        char name[PATH_MAX + 16];
        snprintf(name, sizeof name, "%s%s", store->path, suffixes[i]);
        struct stat sb;
        int same = out_exists && stat(name, &sb) == 0 &&
                   sb.st_dev == out_sb.st_dev && sb.st_ino == out_sb.st_ino;
        if (!same && cstore && cout) {
            size_t n = strlen(cstore);
            same = strncmp(cout, cstore, n) == 0 &&
                   strcmp(cout + n, suffixes[i]) == 0;
        }
        if (same)
            st = sg__error(ctx, SG_ERR_USAGE,
                           "%s is the store %s%s%s; choose another output "
                           "file (the store was not touched)",
                           path, store->path, *suffixes[i] ? "'s " : "",
                           *suffixes[i] ? suffixes[i] + 1 : "");
    }
    free(cstore);
    free(cout);
    return st;
}
