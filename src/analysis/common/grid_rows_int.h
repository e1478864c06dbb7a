/* The rows of layer grids as the analyses read them (check, plan), and
 * the trimmed text of a column (src/analysis/common/grid_rows.c).
 * Not for: the grids' geometry as GEOS (each analysis makes its own from
 * the WKB: check repairs it, plan copies it).
 * SPDX-License-Identifier: MIT */
#ifndef SG_ANALYSIS_GRID_ROWS_INT_H
#define SG_ANALYSIS_GRID_ROWS_INT_H

#include <stddef.h>

#include "core/ctx_int.h"
#include "store/store_int.h"

/* A row of layer grids. */
typedef struct sg__grid_row {
    long long fid;
    char *code;         /* owned; trimmed; NULL when NULL or blank */
    char *name;         /* the same */
    char *parent;       /* parent_code: the same */
    char *division;     /* division_code: the same */
    int level;          /* a NULL level reads as 1 */
    int has_leader;     /* grid_leader is set and not blank */
    unsigned char *wkb; /* owned; NULL without a geometry */
    size_t wkb_size;
} sg__grid_row;

/* Every row of layer grids, in fid order. {0} is empty; free with
 * sg__grid_rows_free(). */
typedef struct sg__grid_rows {
    sg__grid_row *v;
    size_t n, cap;
} sg__grid_rows;

/** Read every row of layer grids of \p store into \p out (empty on
 * entry): fid, grid_code, name, level, parent_code, division_code,
 * whether grid_leader is set, and the geometry (WKB in the working CRS).
 * On failure \p out holds the rows read so far (free them). */
sg_status sg__grid_rows_read(sg_ctx *ctx, sg_store *store, sg__grid_rows *out);

/** Free the rows and what they own (NULL is a no-op); \p rows is empty
 * after. */
void sg__grid_rows_free(sg__grid_rows *rows);

/** A copy of text column \p col of \p row trimmed of blanks (space, tab,
 * CR, LF); NULL when the value is NULL or blank, or (with SG_ERR_NOMEM
 * in ctx and *\p oom set) when out of memory. Caller owns; free(). */
char *sg__row_text_trimmed(sg_ctx *ctx, sg__row *row, int col, int *oom);

#endif
