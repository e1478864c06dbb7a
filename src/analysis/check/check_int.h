/* Internal to the grid check (src/analysis/check/): what one run holds
 * and the functions its files share. check.c loads the grids, divisions
 * and households and runs the levels; check_pieces.c writes the result
 * layers and finds gaps and overlaps; check_owner.c finds hierarchy,
 * code and household-ownership problems; check_util.c has the text
 * helpers.
 * Not for: other analyses, SQL (src/store), the CLI.
 * SPDX-License-Identifier: MIT */
#ifndef SG_CHECK_INT_H
#define SG_CHECK_INT_H

#include <stddef.h>

#include "core/ctx_int.h"
#include "geom/geos_int.h"
#include "net/net_int.h"
#include "sanigrid/analysis.h"
#include "store/store_int.h"

/* Gap and overlap pieces below this area (1 mm²) are floating-point noise
 * of the overlay, not findings; they are dropped, not counted as slivers.
 * The same threshold decides whether a piece lies in a division. */
#define NOISE_M2 1e-6
/* A gap touches a grid whose boundary is within this distance (metres). */
#define TOUCH_M 0.01

/* Report progress every this many items of a loop. */
#define PROGRESS_EVERY 256

/* A grid as read from the store. */
typedef struct grid {
    long long fid;
    char *code;      /* owned; never NULL (may be "") */
    char *parent;    /* owned; NULL if empty */
    char *division;  /* owned; NULL if empty */
    int level;       /* 1..3; a NULL level is read as 1 */
    int has_leader;  /* grid_leader is set and not blank */
    long parent_idx; /* first grid (by fid) with code == parent, or -1 */
    const char *eff_division; /* borrowed: own division_code, else the
                                 parent's (recursively); NULL if none */
    long div_idx;             /* index of eff_division in divisions, or -1 */
} grid;

/* A code and the index of its row, for sorted look-ups. */
typedef struct code_ref {
    const char *code; /* borrowed */
    long long fid;
    size_t idx;
} code_ref;

/* A household's identifier and position. */
typedef struct household {
    char *id; /* owned */
    double x, y;
} household;

/* A growable text buffer; s is always NUL-terminated once used. */
typedef struct strbuf {
    char *s;
    size_t n, cap;
} strbuf;

/* Everything one check run holds. */
typedef struct checker {
    double secs[4]; /* gaps, overlaps, hierarchy, households (-v) */
    sg_ctx *ctx;
    GEOSContextHandle_t h;
    sg_store *store;
    double sliver;
    double tol;     /* width tolerance, metres */
    int checked[4]; /* checked[L]: level L is checked */
    grid *grids;    /* owned */
    size_t ngrids, capgrids;
    sg__geomset gset;     /* owns the grid geometries; i <-> grids[i] */
    code_ref *grid_codes; /* sorted by (code, fid) */
    char **div_codes;     /* owned; j <-> dset geometry j */
    size_t ndivs, capdivs;
    sg__geomset dset;         /* owns the division geometries */
    code_ref *div_sorted;     /* sorted by code */
    unsigned char *div_named; /* ndivs flags: named by a grid of the level
                                 being checked */
    household *hh;            /* owned */
    size_t nhh, caphh;
    sg__idlist cand;                               /* scratch: query results */
    sg__insert *ins_gap, *ins_overlap, *ins_issue; /* owned */
    long long issues; /* rows written to grid_issues */
} checker;

/* Append \p text (may be NULL: nothing) to \p b. */
sg_status sg__check_sb_add(sg_ctx *ctx, strbuf *b, const char *text);

/* Append formatted text to \p b. */
sg_status sg__check_sb_addf(sg_ctx *ctx, strbuf *b, const char *fmt, ...)
    SG_PRINTF(3, 4);

/* Empty \p b, keeping its memory. */
void sg__check_sb_clear(strbuf *b);

/* \p v with \p decimals digits after the point into \p buf, independent
 * of the locale (STYLE rule 33). Non-finite values print as 0. */
void sg__check_fmt_fixed(char *buf, size_t size, double v, int decimals);

/* qsort: strings ascending. */
int sg__check_cmp_str(const void *a, const void *b);

/* (Re)create the result layers and prepare their inserts (inside the
 * caller's transaction). */
sg_status sg__check_create_outputs(checker *c);

/* Write one grid_issues row; \p value NAN writes NULL. */
sg_status sg__check_add_issue(checker *c, int level, const char *kind,
                              const char *codes, const char *detail,
                              double value);

/* Join the codes of grids \p idx (n entries) sorted, comma-separated,
 * into \p out (emptied first). */
sg_status sg__check_join_grid_codes(checker *c, const size_t *idx, size_t n,
                                    strbuf *out);

/* 1 if \p g is thinner than the width tolerance everywhere: shrunk by
 * half of it from every side, nothing is left (an edge moved by rounding
 * coordinates, e.g. GeoJSON's 7 decimals or a Shapefile's doubles). */
int sg__check_thinner_than_tol(checker *c, const GEOSGeometry *g);

/* Gaps of one level: the union of the divisions its grids name, minus the
 * union of its grids, in connected pieces (one Polygon each). */
sg_status sg__check_level_gaps(checker *c, int level, const sg__idlist *gl,
                               sg_check_level *out);

/* Overlaps of one level: polygonal parts of pairwise intersections,
 * unioned, split into connected pieces, each carrying the grids whose
 * pairwise intersections make it up. */
sg_status sg__check_level_overlaps(checker *c, int level, const sg__idlist *gl,
                                   sg_check_level *out);

/* Hierarchy, code and leader findings of every grid of the level. */
sg_status sg__check_level_hierarchy(checker *c, int level, const sg__idlist *gl,
                                    sg_check_level *out);

/* Households of the level: in no grid, or inside several. A household on
 * the boundary of grids (and in the interior of none) is in exactly one
 * grid: grids are closed, and a shared edge is not a double count. */
sg_status sg__check_level_households(checker *c, int level,
                                     sg_check_level *out);

#endif
