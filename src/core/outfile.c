/* Atomic output files (see outfile_int.h): temporary name beside the
 * target, fsync, rename, folder sync; honest write errors.
 * SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "core/ctx_int.h"
#include "core/outfile_int.h"

/* temporary names of one process differ by this (threads too) */
static unsigned long counter;

/* The extension of the last component of \p p (with its dot), or "". */
static const char *extension(const char *p)
{
    const char *slash = strrchr(p, '/');
    const char *base = slash ? slash + 1 : p;
    const char *dot = strrchr(base, '.');
    return dot && dot != base ? dot : "";
}

/* A copy of the folder part of \p p ("." if none). */
static char *folder_of(const char *p)
{
    const char *slash = strrchr(p, '/');
    if (!slash)
        return strdup(".");
    if (slash == p)
        return strdup("/");
    return strndup(p, (size_t)(slash - p));
}

int sg__disk_full(const char *path)
{
    char *dir = folder_of(path);
    struct statvfs vs;
    int full = dir && statvfs(dir, &vs) == 0 && vs.f_bavail == 0;
    free(dir);
    return full;
}

/* Whether the file at \p path reached the process's file size limit
 * (a driver that ignores write errors leaves no errno behind). */
static int at_size_limit(const char *path)
{
    struct rlimit rl;
    struct stat sb;
    return path && getrlimit(RLIMIT_FSIZE, &rl) == 0 &&
           rl.rlim_cur != RLIM_INFINITY && stat(path, &sb) == 0 &&
           (rlim_t)sb.st_size >= rl.rlim_cur;
}

sg_status sg__write_error(sg_ctx *ctx, const char *path, const char *probe,
                          int err, const char *detail)
{
    if (err != ENOSPC && err != EFBIG && at_size_limit(probe ? probe : path))
        err = EFBIG;
    if (err == ENOSPC || sg__disk_full(probe ? probe : path))
        return sg__error(ctx, SG_ERR_IO_WRITE,
                         "disk full while writing %s (nothing was replaced; "
                         "free some space and try again)",
                         path);
    if (err == EFBIG)
        return sg__error(ctx, SG_ERR_IO_WRITE,
                         "cannot write %s: file size limit reached (nothing "
                         "was replaced)",
                         path);
    return sg__error(ctx, SG_ERR_IO_WRITE, "cannot write %s: %s", path,
                     detail && *detail ? detail
                     : err             ? strerror(err)
                                       : "write failed");
}

sg_status sg__outfile_begin(sg_ctx *ctx, sg_store *store, const char *target,
                            int overwrite, const char *ext, sg__outfile *o)
{
    memset(o, 0, sizeof *o);
    if (!target || !*target)
        return sg__error(ctx, SG_ERR_USAGE, "no output file");
    sg_status st = sg_store_check_output_path(ctx, store, target);
    if (st)
        return st;
    struct stat sb;
    if (!overwrite && lstat(target, &sb) == 0)
        return sg__error(ctx, SG_ERR_IO_WRITE,
                         "%s exists; give --overwrite to replace it", target);
    if (lstat(target, &sb) == 0 && S_ISDIR(sb.st_mode))
        return sg__error(ctx, SG_ERR_IO_WRITE,
                         "cannot write %s: it is a folder", target);
    const char *slash = strrchr(target, '/');
    const char *base = slash ? slash + 1 : target;
    const char *text = extension(target);
    if (!ext)
        ext = text;
    size_t stem_len = strlen(target) - strlen(text);
    o->target = strdup(target);
    o->target_stem = strndup(target, stem_len);
    unsigned long n = __atomic_add_fetch(&counter, 1, __ATOMIC_RELAXED);
    o->tmp_stem = sg__aprintf("%.*s.%.*s.sgtmp-%ld-%lu", (int)(base - target),
                              target, (int)(strlen(base) - strlen(text)), base,
                              (long)getpid(), n);
    o->tmp = o->tmp_stem ? sg__aprintf("%s%s", o->tmp_stem, ext) : NULL;
    if (!o->target || !o->target_stem || !o->tmp) {
        sg__outfile_abort(o, NULL);
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    }
    return SG_OK;
}

sg_status sg__outfile_check_folder(sg_ctx *ctx, const sg__outfile *o)
{
    char *dir = folder_of(o->target);
    if (!dir)
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    int ok = access(dir, W_OK | X_OK) == 0;
    int err = errno;
    free(dir);
    return ok ? SG_OK
              : sg__error(ctx, SG_ERR_IO_WRITE, "cannot write %s: %s",
                          o->target, strerror(err));
}

FILE *sg__outfile_fopen(sg_ctx *ctx, sg__outfile *o)
{
    int fd = open(o->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd >= 0)
        o->f = fdopen(fd, "wb");
    if (!o->f) {
        sg__write_error(ctx, o->target, o->tmp, errno, NULL);
        if (fd >= 0)
            close(fd);
        unlink(o->tmp);
    }
    return o->f;
}

/* fsync the file at \p path. \return 0 or an errno. */
static int sync_path(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return errno;
    int err = fsync(fd) == 0 ? 0 : errno;
    if (close(fd) != 0 && !err)
        err = errno;
    return err == EINVAL ? 0 : err; /* file systems without fsync */
}

static void free_names(sg__outfile *o)
{
    free(o->target);
    free(o->tmp);
    free(o->target_stem);
    free(o->tmp_stem);
    memset(o, 0, sizeof *o);
}

void sg__outfile_abort(sg__outfile *o, const char *const *sidecars)
{
    if (o->f)
        fclose(o->f);
    o->f = NULL;
    if (o->tmp)
        unlink(o->tmp);
    for (size_t i = 0; o->tmp_stem && sidecars && sidecars[i]; i++) {
        char *p = sg__aprintf("%s%s", o->tmp_stem, sidecars[i]);
        if (p)
            unlink(p);
        free(p);
    }
    free_names(o);
}

sg_status sg__outfile_commit(sg_ctx *ctx, sg__outfile *o,
                             const char *const *sidecars)
{
    sg_status st = SG_OK;
    if (o->f) {
        FILE *f = o->f;
        o->f = NULL;
        int err = 0;
        if (fflush(f) != 0 || ferror(f))
            err = errno ? errno : EIO;
        if (!err && fsync(fileno(f)) != 0 && errno != EINVAL)
            err = errno;
        if (fclose(f) != 0 && !err)
            err = errno;
        if (err)
            st = sg__write_error(ctx, o->target, o->tmp, err, NULL);
    }
    /* sync everything first, rename after: a failing sync leaves the
     * earlier output whole */
    int err = st ? 0 : sync_path(o->tmp);
    if (err)
        st = sg__write_error(ctx, o->target, o->tmp, err, NULL);
    for (size_t i = 0; !st && sidecars && sidecars[i]; i++) {
        char *p = sg__aprintf("%s%s", o->tmp_stem, sidecars[i]);
        if (!p) {
            st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
            break;
        }
        if (access(p, F_OK) == 0 && (err = sync_path(p)) != 0)
            st = sg__write_error(ctx, o->target, p, err, NULL);
        free(p);
    }
    for (size_t i = 0; !st && sidecars && sidecars[i]; i++) {
        char *from = sg__aprintf("%s%s", o->tmp_stem, sidecars[i]);
        char *to = sg__aprintf("%s%s", o->target_stem, sidecars[i]);
        if (!from || !to)
            st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        else if (access(from, F_OK) == 0) {
            if (rename(from, to) != 0)
                st = sg__write_error(ctx, to, from, errno, NULL);
        } else
            unlink(to); /* an earlier output's sidecar the new one lacks */
        free(from);
        free(to);
    }
    if (!st && rename(o->tmp, o->target) != 0)
        st = sg__write_error(ctx, o->target, o->tmp, errno, NULL);
    if (!st) {
        char *dir = folder_of(o->target);
        int fd = dir ? open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
        if (fd >= 0) {
            fsync(fd); /* best effort: the data itself is synced */
            close(fd);
        }
        free(dir);
        free_names(o);
        return SG_OK;
    }
    sg__outfile_abort(o, sidecars);
    return st;
}

sg_status sg__write_file_atomic(sg_ctx *ctx, sg_store *store, const char *path,
                                const void *data, size_t len)
{
    sg__outfile of;
    sg_status st = sg__outfile_begin(ctx, store, path, 1, NULL, &of);
    if (st)
        return st;
    FILE *f = sg__outfile_fopen(ctx, &of);
    if (!f) {
        st = sg_ctx_status(ctx);
        sg__outfile_abort(&of, NULL);
        return st;
    }
    if (len && fwrite(data, 1, len, f) != len) {
        st = sg__write_error(ctx, path, of.tmp, errno ? errno : EIO, NULL);
        sg__outfile_abort(&of, NULL);
        return st;
    }
    return sg__outfile_commit(ctx, &of, NULL);
}
