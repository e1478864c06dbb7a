/* Shared set-up of the fuzz targets in tests/fuzz/: one sanigrid context,
 * a private scratch folder and stores per process, in-memory source files
 * (/vsimem/), and the invariants every import must keep whatever the
 * input. Each fuzz_<target>.c includes this once; the targets run under
 * libFuzzer (SG_FUZZ=ON) or under replay.c (ctest, any compiler).
 * Not for: the library or the CLI (this calls internal headers).
 * SPDX-License-Identifier: MIT */
#ifndef SG_FUZZ_COMMON_H
#define SG_FUZZ_COMMON_H

#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_vsi.h>
#include <dirent.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/ctx_int.h"
#include "fuzz_check.h"
#include "io/io_int.h"
#include "store/store_sqlite_int.h"
#include "sanigrid/sanigrid.h"

typedef struct fuzz_env {
    sg_ctx *ctx;       /* owned */
    char dir[256];     /* private scratch folder, removed at exit */
    sg_store *store;   /* store with working CRS EPSG:32632; owned */
    char fresh[300];   /* a store without CRS, copied before use */
    char rejects[300]; /* rejects CSV path for imports */
} fuzz_env;

static fuzz_env F;

/* Remove every file in F.dir, then F.dir (the stores and rejects); runs
 * at exit too, so only plain libc calls: by then other libraries' static
 * objects may be gone. */
static inline void fuzz_remove_dir(void)
{
    DIR *d = F.dir[0] ? opendir(F.dir) : NULL;
    struct dirent *e;
    char path[600];
    if (!d)
        return;
    while ((e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        snprintf(path, sizeof path, "%s/%s", F.dir, e->d_name);
        unlink(path);
    }
    closedir(d);
    rmdir(F.dir);
    F.dir[0] = '\0';
}

/* Free everything, so that leak checkers see only real leaks. Not from
 * atexit: GDAL, PROJ and GEOS objects created after the handler was
 * registered are destroyed before it runs. */
void sg_fuzz_cleanup(void)
{
    sg_store_close(F.store);
    F.store = NULL;
    sg_ctx_free(F.ctx);
    F.ctx = NULL;
    sg_library_shutdown();
    fuzz_remove_dir();
}

/* Create a store at F.dir/NAME with \p srid (0: none), fsync off (the
 * fuzzer's stores are scratch). \return it open, or NULL. */
static inline sg_store *fuzz_store_create(const char *name, int srid,
                                          char *path, size_t size)
{
    sg_store *s = NULL;
    snprintf(path, size, "%s/%s", F.dir, name);
    if (sg_store_create(F.ctx, path, srid, &s) != SG_OK) {
        fprintf(stderr, "fuzz: cannot create %s: %s\n", path,
                sg_ctx_errmsg(F.ctx));
        return NULL;
    }
    sqlite3_exec(sg__store_db(s), "PRAGMA synchronous = OFF", NULL, NULL, NULL);
    return s;
}

/* Once per process: library, context, scratch folder, the store with a
 * CRS and (if \p want_fresh) a template store without one. */
static inline void fuzz_init(int want_fresh)
{
    char path[300];
    const char *tmp = getenv("TMPDIR");
    sg_library_init();
    F.ctx = sg_ctx_new();
    snprintf(F.dir, sizeof F.dir, "%s/sg-fuzz-XXXXXX",
             tmp && *tmp ? tmp : "/tmp");
    if (!F.ctx || !mkdtemp(F.dir)) {
        fprintf(stderr, "fuzz: cannot set up (context or %s)\n", F.dir);
        exit(1);
    }
    atexit(fuzz_remove_dir);
    F.store = fuzz_store_create("store.sqlite", 32632, path, sizeof path);
    if (!F.store)
        exit(1);
    snprintf(F.rejects, sizeof F.rejects, "%s/rejects.csv", F.dir);
    if (want_fresh) {
        sg_store *t =
            fuzz_store_create("template.sqlite", 0, F.fresh, sizeof F.fresh);
        if (!t)
            exit(1);
        /* a single file to copy: fold the WAL into it */
        sqlite3_exec(sg__store_db(t), "PRAGMA wal_checkpoint(TRUNCATE)", NULL,
                     NULL, NULL);
        sg_store_close(t);
    }
}

/* Copy the template store to F.dir/fresh.sqlite and open it. */
static inline sg_store *fuzz_fresh_store(void)
{
    char path[300];
    sg_store *s = NULL;
    snprintf(path, sizeof path, "%s/fresh.sqlite", F.dir);
    unlink(path);
    FILE *in = fopen(F.fresh, "rb"), *out = fopen(path, "wb");
    char buf[65536];
    size_t n;
    FUZZ_CHECK(in && out);
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        FUZZ_CHECK(fwrite(buf, 1, n, out) == n);
    fclose(in);
    fclose(out);
    FUZZ_CHECK(sg_store_open(F.ctx, path, 0, &s) == SG_OK);
    sqlite3_exec(sg__store_db(s), "PRAGMA synchronous = OFF", NULL, NULL, NULL);
    return s;
}

/* Make \p data a file at \p path in GDAL's memory file system (no copy:
 * valid while data is). */
static inline void fuzz_vsimem(const char *path, const uint8_t *data,
                               size_t size)
{
    VSILFILE *f =
        VSIFileFromMemBuffer(path, (GByte *)(uintptr_t)data, size, FALSE);
    FUZZ_CHECK(f != NULL);
    VSIFCloseL(f);
}

/* Statuses an import may return for bad input. Anything else (a store
 * error, an internal error) is a finding. */
static inline int fuzz_import_status_ok(sg_status st)
{
    switch (st) {
    case SG_OK:
    case SG_ERR_USAGE: /* --map/--source-layer that do not fit */
    case SG_ERR_IO_OPEN:
    case SG_ERR_IO_FORMAT: /* unreadable source */
    case SG_ERR_INPUT:     /* everything rejected, wrong geometry type */
    case SG_ERR_CRS:       /* unknown or unusable source CRS */
    case SG_ERR_GEOM: return 1;
    default: return 0;
    }
}

/* Import \p source into \p layer of \p store (replace mode) with \p opts
 * (may be NULL: defaults plus replace), and check the contract of
 * sg_import whatever happened: an allowed status; no transaction left
 * open; on success the layer holds exactly the imported rows; on failure
 * the layer is unchanged. \return the status. */
static inline sg_status fuzz_import(sg_store *store, const char *layer,
                                    const char *source, sg_import_options *opts)
{
    sg_import_options *own = NULL;
    if (!opts) {
        own = opts = sg_import_options_new();
        FUZZ_CHECK(opts != NULL);
    }
    sg_import_options_set_replace(F.ctx, opts, 1);
    FUZZ_CHECK(sg_import_options_set_rejects(F.ctx, opts, F.rejects) == SG_OK);
    long long before = sg__store_count(F.ctx, store, layer);
    FUZZ_CHECK(before >= 0);
    sg_import_result *r = NULL;
    sg_status st = sg_import(F.ctx, store, layer, source, opts, &r);
    if (!fuzz_import_status_ok(st) || getenv("SG_FUZZ_VERBOSE"))
        fprintf(stderr,
                "fuzz: import into %s: %s (read %lld, imported %lld, "
                "rejected %lld): %s\n",
                layer, sg_status_name(st), r ? r->read : 0, r ? r->imported : 0,
                r ? r->rejected : 0, sg_ctx_errmsg(F.ctx));
    FUZZ_CHECK(fuzz_import_status_ok(st));
    FUZZ_CHECK(sqlite3_get_autocommit(sg__store_db(store)) && !store->in_tx);
    long long after = sg__store_count(F.ctx, store, layer);
    if (st == SG_OK) {
        FUZZ_CHECK(r != NULL && r->imported > 0);
        FUZZ_CHECK(after == r->imported);
        FUZZ_CHECK(r->read >= 1);
    } else {
        FUZZ_CHECK(after == before);
    }
    if (r) {
        for (size_t i = 0; i < r->nsamples; i++)
            FUZZ_CHECK(r->samples[i] != NULL);
        for (size_t i = 0; i < r->nmap; i++)
            FUZZ_CHECK(r->map[i].field && r->map[i].column);
    }
    sg_import_result_free(r);
    sg_import_options_free(own);
    sg_ctx_clear_error(F.ctx);
    return st;
}

#endif
