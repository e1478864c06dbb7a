/* Internal pieces of the coverage analysis, shared between its files:
 * the administrative units (divisions and grids) with a fast
 * point-in-polygon index, the nearest-point grid, and the blind-spot
 * tracer. All on flat arrays in the working (metric) CRS.
 * Not for: other analyses (they have geom/geos_int.h), SQL, the CLI.
 * SPDX-License-Identifier: MIT */
#ifndef SG_COVERAGE_INT_H
#define SG_COVERAGE_INT_H

#include <stddef.h>
#include <stdint.h>

#include "core/ctx_int.h"
#include "net/net_int.h"
#include "sanigrid/analysis.h"
#include "store/bulk_int.h"
#include "store/store_int.h"

/* ---- text arena: many short strings in one buffer --------------------- */

/** Strings appended end to end (each NUL-terminated); refer to them by
 * offset, since the buffer moves as it grows. Initialise with {0}. */
typedef struct sg__arena {
    char *buf; /* owned */
    size_t len, cap;
} sg__arena;

/** Append \p s (NULL counts as "") and \return its offset, or (size_t)-1
 * when out of memory. */
size_t sg__arena_add(sg__arena *a, const char *s);

/** Free the buffer and zero the arena. NULL is a no-op. */
void sg__arena_cleanup(sg__arena *a);

/* ---- point in polygon -------------------------------------------------- */

/** Even-odd test of (\p x, \p y) against the closed ring of \p n vertices
 * at \p xy (a point exactly on an edge may go either way). */
int sg__ring_contains(const double *xy, size_t n, double x, double y);

/** Signed area of the closed ring of \p n vertices at \p xy (> 0 for
 * counter-clockwise). */
double sg__ring_area(const double *xy, size_t n);

/* ---- administrative units --------------------------------------------- */

enum { SG_UNIT_DIVISION = 0, SG_UNIT_GRID = 1 };

/** One division or grid: its texts (arena offsets), its depth in the
 * hierarchy and its envelope. */
typedef struct sg__unit {
    int type;    /* SG_UNIT_DIVISION or SG_UNIT_GRID */
    int depth;   /* division: 1 county .. 5 group, 0 unknown level;
                    grid: its level (NULL counts as 1) */
    size_t code; /* arena offset */
    size_t name; /* arena offset; "" when NULL */
    int has_name;
    size_t level;  /* arena offset of the level text */
    size_t parent; /* arena offset of parent_code; "" when NULL */
    double box[4]; /* minx, miny, maxx, maxy; empty units: inverted */
    double box_area;
    size_t band0;  /* first band of this unit in the band arrays */
    int nbands;    /* horizontal bands of the point-in-polygon index */
    double band_h; /* band height */
} sg__unit;

/** Every division and grid with their rings and an index for fast
 * point-in-polygon tests: each unit's edges are sorted into horizontal
 * bands, and a grid over the unit envelopes gives the candidates.
 * Free with sg__units_cleanup(). */
typedef struct sg__units {
    sg__unit *u; /* n entries: divisions (fid order), then grids */
    size_t n, ndivisions;
    sg__arena text;
    sg__lineset rings;   /* owner = unit number */
    size_t *band_off;    /* CSR over all bands: offsets into band_edge */
    uint32_t *band_edge; /* edge = index of its first vertex in rings.xy */
    sg__cells index;     /* over unit envelopes */
    unsigned char **wkb; /* divisions' WKB copies (for clipping); owned */
    size_t *wkb_size;
} sg__units;

/** Read the divisions and grids of \p store (either may be empty) and
 * index them. */
sg_status sg__units_load(sg_ctx *ctx, sg_store *store, sg__units *out);

/** Free everything \p u owns and zero it. NULL is a no-op. */
void sg__units_cleanup(sg__units *u);

/** Whether unit \p i contains (\p x, \p y). */
int sg__units_contains(const sg__units *u, size_t i, double x, double y);

/** Units containing (\p x, \p y), ascending, into \p out (at most \p max;
 * more are dropped). \return how many were written. */
size_t sg__units_at(const sg__units *u, double x, double y, uint32_t *out,
                    size_t max);

/** Text at arena offset \p off of \p u. Borrowed. */
const char *sg__units_text(const sg__units *u, size_t off);

/* ---- nearest point ------------------------------------------------------ */

/** Points indexed for nearest-neighbour search by straight line. */
typedef struct sg__pointgrid {
    const double *xy; /* 2 * n coordinates; borrowed */
    size_t n;
    sg__cells grid; /* owned */
} sg__pointgrid;

/** Index the \p n points at \p xy (borrowed; must outlive the index). */
sg_status sg__pointgrid_build(sg_ctx *ctx, sg__pointgrid *pg, const double *xy,
                              size_t n);

/** Free the index. NULL is a no-op. */
void sg__pointgrid_cleanup(sg__pointgrid *pg);

/** The nearest point to (\p x, \p y) by straight line; among distances
 * within SG_NET_TIE_M of each other the lowest point number wins (points
 * are numbered in point_id order). \return the point number and *dist, or
 * -1 if there are no points. */
int32_t sg__pointgrid_nearest(const sg__pointgrid *pg, double x, double y,
                              double *dist);

/* ---- blind spots ------------------------------------------------------- */

/** Blind spots are the connected pieces of the union of discs of radius
 * rho around points (see cov_blind.c): found exactly by grouping the
 * points (two points whose discs touch, i.e. at most 2 rho apart, are in
 * one group), then traced as polygons. */

/** Group the \p n points at \p xy for disc radius \p rho: \p group_of
 * (n entries, caller's) receives each point's group, numbered from 0 in
 * order of each group's lowest point; \p ngroups the count. */
sg_status sg__blind_group(sg_ctx *ctx, const double *xy, size_t n, double rho,
                          int32_t *group_of, size_t *ngroups);

/** The traced polygons of the groups: rings (owner = group) where each
 * counter-clockwise outer ring is followed by its clockwise holes; a
 * group normally has one outer ring. Free with sg__blind_cleanup(). */
typedef struct sg__blind {
    size_t npieces;    /* groups */
    sg__lineset rings; /* owned */
    double cell;       /* largest tracing grid spacing used (m) */
} sg__blind;

/** Trace the groups from sg__blind_group. Uses only \p ctx for errors
 * and progress (safe in a worker thread with its own context). */
sg_status sg__blind_trace(sg_ctx *ctx, const double *xy, size_t n, double rho,
                          const int32_t *group_of, size_t ngroups,
                          sg__blind *out);

/** Free \p b's arrays and zero it. NULL is a no-op. */
void sg__blind_cleanup(sg__blind *b);

/* ---- one coverage run (coverage.c computes, cov_write.c writes) ------- */

struct sg_coverage_options {
    char kind[32];   /* point kind serving the demand */
    char demand[32]; /* "households" or a point kind */
    double radius;   /* metres; <= 0: from the settings */
    sg_metric metric;
    double max_snap;        /* metres */
    sg_network_options net; /* graph rules */
};

/** Flags per demand feature. */
enum {
    SG_COV_SNAPPED = 1, /* a road edge within max-snap */
    SG_COV_REACH = 2,   /* a point reachable along roads */
    SG_COV_EUCLID = 4,  /* covered by straight line */
    SG_COV_NETWORK = 8  /* covered along roads */
};

/** Features read from a layer: coordinates, ids (arena offsets),
 * resident population (-1 for NULL) and fids. */
typedef struct sg__featset {
    size_t n, cap;
    double *xy;     /* 2 * n; owned */
    size_t *id;     /* arena offsets; owned */
    long long *res; /* owned */
    long long *fid; /* owned; only with_fid */
    sg__arena text;
    long long skipped; /* rows without a point geometry */
    int with_res;      /* reading resident_population (column 1) */
    int with_fid;      /* reading fid (the column after those) */
    sg_ctx *ctx;       /* for errors while reading; borrowed */
} sg__featset;

/* sg__store_scan_points callback appending one row (id, [resident_population,]
 * point) to the sg__featset \p user; a row without a point is counted in
 * skipped. Used by coverage and site. */
sg_status sg__featset_row(sg__row *row, int has_point, double x, double y,
                          void *user);

/** Statistics of one division or grid. */
typedef struct sg__ustat {
    long long hh, res, cov_e, cov_n, unreach, points;
    long long far; /* demand index of the farthest, -1 none */
    double far_d;  /* its distance by the main metric */
} sg__ustat;

/** One blind spot (a group of uncovered features). */
typedef struct sg__piece {
    long long hh, res;
    int32_t division; /* the deepest division most of its features are
                         in, -1 none */
    long long id;     /* 1 = most features, then by lowest feature */
} sg__piece;

/** Everything one run holds. Arrays indexed by feature have dem.n
 * entries. Freed by coverage.c. */
typedef struct sg__cov {
    sg_ctx *ctx;                  /* the caller's; borrowed */
    sg_store *store;              /* borrowed */
    const sg_coverage_options *o; /* borrowed */
    sg_coverage_result *r;        /* the figures being filled; borrowed */
    int households;               /* demand is households */
    int euclid, network;          /* metrics computed */
    sg__featset sup;              /* supply points, in point_id order */
    sg__featset dem;              /* demand features, fid order */
    int32_t *e_pt;                /* nearest point, straight line; -1 */
    double *e_d;                  /* NAN when none */
    int32_t *n_pt;                /* nearest point along roads; -1 */
    double *n_d;                  /* NAN when unreachable */
    double *snap;                 /* distance to the road; NAN beyond
                                     max-snap */
    unsigned char *flag;          /* SG_COV_* */
    int32_t *div_of, *grid_of;    /* unit numbers; -1 none */
    int32_t *blind_of;            /* piece number; -1 covered */
    sg__units units;
    sg__ustat *us;     /* units.n entries */
    sg__piece *pieces; /* npieces entries */
    size_t npieces;
    sg__blind blind; /* traced polygons of the pieces */
    double t0;       /* start (monotonic seconds) */
    /* bulk loads of the result layers (page cache sized, per-row
     * triggers off), kept until after the commit; owned */
    sg__keyed *keyed_cov; /* layer coverage being written */
    sg__bulk_load *bulk_blind;
} sg__cov;

/** Write layer `coverage` (bulk loaded, no spatial index). */
sg_status sg__cov_write_coverage(sg__cov *c);

/** Write layer `blind_spots` from c->blind and c->pieces, each clipped to
 * the union of the top divisions. Uses ctx's GEOS handle. */
sg_status sg__cov_write_blind(sg__cov *c);

/** Write table `coverage_stats`. */
sg_status sg__cov_write_stats(sg__cov *c);

/** Record the run in `runs`. */
sg_status sg__cov_record(sg__cov *c);

/** Seconds of the monotonic clock. */
double sg__cov_now(void);

#endif
