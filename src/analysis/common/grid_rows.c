/* Reading layer grids for the analyses that start from it (check, plan):
 * one scan, one row type (grid_rows_int.h).
 * Not for: SQL (src/store), the grids' topology (check).
 * SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "analysis/common/grid_rows_int.h"

/* Whether \p c is a blank. */
static int blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

char *sg__row_text_trimmed(sg_ctx *ctx, sg__row *row, int col, int *oom)
{
    const char *t = sg__row_text(row, col);
    if (!t)
        return NULL;
    while (blank(*t))
        t++;
    size_t n = strlen(t);
    while (n && blank(t[n - 1]))
        n--;
    if (!n)
        return NULL;
    char *s = malloc(n + 1);
    if (!s) {
        *oom = 1;
        sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        return NULL;
    }
    memcpy(s, t, n);
    s[n] = '\0';
    return s;
}

/* The columns read, in this order, then the geometry. */
static const char *const cols[] = {"fid",        "grid_code",   "name",
                                   "level",      "parent_code", "division_code",
                                   "grid_leader"};
#define NCOLS (sizeof cols / sizeof cols[0])

typedef struct reader {
    sg_ctx *ctx;
    sg__grid_rows *out;
} reader;

/* sg__store_scan callback: one row into the array. */
static sg_status read_row(sg__row *row, void *user)
{
    reader *r = user;
    sg__grid_rows *out = r->out;
    if (out->n == out->cap) {
        size_t nc = out->cap ? out->cap * 2 : 64;
        sg__grid_row *nv = realloc(out->v, nc * sizeof *nv);
        if (!nv)
            return sg__error(r->ctx, SG_ERR_NOMEM, "out of memory");
        out->v = nv;
        out->cap = nc;
    }
    sg__grid_row *g = &out->v[out->n++]; /* counted now: freed on failure */
    memset(g, 0, sizeof *g);
    int oom = 0;
    g->fid = sg__row_int64(row, 0);
    g->code = sg__row_text_trimmed(r->ctx, row, 1, &oom);
    g->name = sg__row_text_trimmed(r->ctx, row, 2, &oom);
    g->level = sg__row_is_null(row, 3) ? 1 : sg__row_int(row, 3);
    g->parent = sg__row_text_trimmed(r->ctx, row, 4, &oom);
    g->division = sg__row_text_trimmed(r->ctx, row, 5, &oom);
    char *leader = sg__row_text_trimmed(r->ctx, row, 6, &oom);
    g->has_leader = leader != NULL;
    free(leader);
    const void *wkb = sg__row_blob(row, (int)NCOLS);
    int n = (int)sg__row_bytes(row, (int)NCOLS);
    if (wkb && n > 0) {
        if (!(g->wkb = malloc((size_t)n)))
            oom = 1;
        else {
            memcpy(g->wkb, wkb, (size_t)n);
            g->wkb_size = (size_t)n;
        }
    }
    return oom ? sg__error(r->ctx, SG_ERR_NOMEM, "out of memory") : SG_OK;
}

sg_status sg__grid_rows_read(sg_ctx *ctx, sg_store *store, sg__grid_rows *out)
{
    reader r = {ctx, out};
    return sg__store_scan(ctx, store, "grids", cols, NCOLS, 1, NULL, NULL,
                          read_row, &r);
}

void sg__grid_rows_free(sg__grid_rows *rows)
{
    if (!rows)
        return;
    for (size_t i = 0; i < rows->n; i++) {
        sg__grid_row *g = &rows->v[i];
        free(g->code);
        free(g->name);
        free(g->parent);
        free(g->division);
        free(g->wkb);
    }
    free(rows->v);
    memset(rows, 0, sizeof *rows);
}
