/* Internal interface of grid planning, shared by its four files:
 *  - plan.c: options, reading the store, dividing the work among
 *    threads, writing layer planned_grids, the run record;
 *  - plan_blocks.c: the blocks of one unit (its polygon cut by roads and,
 *    where needed, by the midlines between houses) and their adjacency;
 *  - plan_part.c: the METIS partition of the blocks, the dissolved grids,
 *    their figures and their west->east, north->south order;
 *  - plan_refine.c: the compactness refinement of a partition, and a
 *    partition grown by hand where METIS leaves a part empty.
 * A unit is planned from plain data (WKB and coordinates) with the
 * calling thread's own context, so units can be planned in parallel
 * without sharing any GEOS object between threads.
 * Not for: SQL (src/store), printing (src/cli).
 * SPDX-License-Identifier: MIT */
#ifndef SG_PLAN_INT_H
#define SG_PLAN_INT_H

#include "geom/geos_int.h"
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "core/ctx_int.h"
#include "sanigrid/plan.h"

/* Kinds of block edges: on the unit's own boundary, along a road, or a
 * midline between houses (a Voronoi edge). */
enum { SG__EDGE_BOUNDARY = 0, SG__EDGE_ROAD = 1, SG__EDGE_MIDLINE = 2 };

/* A cut along a road costs this fraction of a cut of the same length
 * between houses, so METIS prefers boundaries on roads. (0.5: on the
 * demo data 0.3 gave less compact grids, mean Polsby-Popper 0.33 before
 * refinement against 0.37 for 1.0, with boundaries on fewer roads.) */
#define SG__PLAN_ROAD_COST 0.5

/* Phases of planning one unit, timed for `plan -v` (seconds per phase
 * summed over the units, so over threads too). */
enum {
    SG__PLAN_T_LINES,    /* roads clipped to the unit */
    SG__PLAN_T_NODE,     /* noding and classifying edges (both passes) */
    SG__PLAN_T_POLY,     /* polygonizing faces (both passes) */
    SG__PLAN_T_LOCATE,   /* households into faces (both passes) */
    SG__PLAN_T_MIDLINES, /* Voronoi midlines */
    SG__PLAN_T_PAIRS,    /* block adjacency */
    SG__PLAN_T_LINKS,    /* weak links between components */
    SG__PLAN_T_METIS,    /* METIS partitions */
    SG__PLAN_T_REFINE,   /* compactness refinement */
    SG__PLAN_T_DISSOLVE, /* blocks dissolved into grids */
    SG__PLAN_T_MEASURE,  /* figures, order and WKB of the grids */
    SG__PLAN_T_NEAR,     /* households near two grids */
    SG__PLAN_T_EXISTING, /* the existing grids measured */
    SG__PLAN_NT
};

/** CPU seconds of the calling thread (for the phase timings, summed over
 * threads: a busy machine does not inflate them as wall time did). */
static inline double sg__plan_now(void)
{
    struct timespec ts;
    if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) != 0)
        clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* A face split by midlines is first grouped (recursive bisection of its
 * households) into groups weighing at most this share of the split
 * threshold (a tenth of a grid's target), and only the midlines between
 * groups are kept: with one block per household, a county of a million
 * households made a million blocks, and noding, polygonizing and METIS
 * spent minutes on boundaries no partition could use. Below two
 * households per group nothing is grouped (every midline is kept). */
#ifndef SG__PLAN_GROUP_SHARE
#define SG__PLAN_GROUP_SHARE 0.5
#endif

/** One unit to plan, prepared by the caller's thread; read-only while
 * it is planned. Every pointer is borrowed. */
typedef struct sg__plan_job {
    const unsigned char *wkb; /* the unit's (multi)polygon, WKB */
    size_t wkb_size;
    size_t nhh;            /* households inside the unit */
    const double *hx, *hy; /* their positions */
    const double *hres;    /* their residents */
    size_t nroads;         /* roads whose box meets the unit's */
    const unsigned char *const *road_wkb;
    const size_t *road_size;
    size_t nexisting; /* grids of layer `grids` in the unit */
    const unsigned char *const *ex_wkb;
    const size_t *ex_size;
    int ngrids;           /* N >= 1 */
    int residents;        /* 1: balance residents, 0: households */
    double balance_bound; /* setting plan.balance_bound (max / mean) */
    double clearance_m;   /* setting plan.clearance_m */
} sg__plan_job;

/** One planned grid. */
typedef struct sg__plan_cell {
    unsigned char *wkb; /* MultiPolygon WKB; owned (free()) */
    size_t wkb_size;
    double cx, cy; /* centroid */
    long long households, residents;
    double area, perimeter, pp;
    int parts, island_parts;
} sg__plan_cell;

/** The plan of one unit. Initialise with {0}; free with
 * sg__plan_out_cleanup(). */
typedef struct sg__plan_out {
    sg__plan_cell *cells; /* ncells, in code order; owned */
    size_t ncells;
    long long households, residents;
    long long blocks, voronoi_faces, islands, near_boundary;
    int noded_in_part; /* 1: see sg__plan_blocks */
    double target;     /* mean balanced quantity per grid */
    sg_plan_stats planned, existing;
    char note[512];           /* "" if none */
    double secs[SG__PLAN_NT]; /* seconds per phase */
} sg__plan_out;

/** Plan one unit with \p ctx (the calling thread's context) into \p out
 * (zeroed first). Failures of the data (too few households for N grids)
 * are SG_ERR_INPUT with the message in ctx. */
sg_status sg__plan_unit(sg_ctx *ctx, const sg__plan_job *job,
                        sg__plan_out *out);

/** Free what \p out owns and zero it. NULL is a no-op. */
void sg__plan_out_cleanup(sg__plan_out *out);

/* ---- blocks (plan_blocks.c) -------------------------------------------- */

/** The blocks of a unit and their adjacency graph (CSR, symmetric).
 * Initialise with {0}; free with sg__plan_blocks_cleanup(). */
typedef struct sg__plan_blocks {
    GEOSGeometry **faces; /* n polygons; owned */
    size_t n;
    double *w_hh, *w_res;     /* households and residents per block */
    int32_t *comp;            /* component of the block without weak links;
                                 0 = the main one (most households) */
    int32_t *hh_block;        /* block of each household of the job */
    size_t *xadj;             /* n + 1 offsets into adj / adjw */
    uint32_t *adj;            /* neighbour blocks */
    double *adjw;             /* cost of cutting there: shared length (m)
                                 times SG__PLAN_ROAD_COST along roads; weak
                                 links 0 */
    double *adjlen;           /* shared length (m); weak links 0 */
    long long weak;           /* weak links added between components */
    long long voronoi_faces;  /* faces split by household midlines */
    int noded_in_part;        /* 1: the second noding left out the
                                 midlines inside their faces (put back
                                 as they were); 0: it noded everything */
    double secs[SG__PLAN_NT]; /* seconds per phase (the block phases) */
} sg__plan_blocks;

/** Cut \p unit (valid, polygonal; borrowed) into blocks: faces of the
 * unit's boundary noded with the roads of \p job; a face whose balanced
 * weight exceeds \p split_above is cut further by the Voronoi edges of
 * its households. Edges within job->clearance_m of a household are
 * left out (other than the unit's boundary), so no block boundary comes
 * that close to a house. Components of the adjacency graph are joined
 * by weak links to their nearest block. */
sg_status sg__plan_blocks_build(sg_ctx *ctx, const GEOSGeometry *unit,
                                const sg__plan_job *job, double split_above,
                                sg__plan_blocks *b);

/* Set (to anything) in the environment, the second noding of
 * sg__plan_blocks_build nodes every line in one union, as it did before
 * it learnt to leave out the midlines inside their faces: for tests,
 * which compare the two plans byte for byte. */
#define SG__PLAN_NODE_ALL_ENV "SANIGRID_PLAN_NODE_ALL"

/** Free what \p b owns and zero it. */
void sg__plan_blocks_cleanup(sg_ctx *ctx, sg__plan_blocks *b);

/* ---- partition (plan_part.c) ------------------------------------------- */

/** Partition \p b into \p nparts contiguous parts with METIS (balanced
 * weight = w_res if \p residents else w_hh), trying a few seeds and
 * imbalance tolerances, refining each for compactness
 * (sg__plan_refine) and keeping the best: the most balanced, and among
 * those within 5 % of the mean the most compact (deterministic).
 * \param part receives each block's part (caller-provided, b->n).
 * \param bound the balance bound (largest part / mean) for the note.
 * \param note receives a reason when the balance bound is not reached
 * (size \p note_size; untouched otherwise).
 * \param secs receives (adds) the METIS and refinement seconds. */
sg_status sg__plan_partition(sg_ctx *ctx, const sg__plan_blocks *b, int nparts,
                             int residents, double bound, int32_t *part,
                             char *note, size_t note_size,
                             double secs[SG__PLAN_NT]);

/** Improve the shapes of partition \p part (b->n blocks, \p nparts
 * parts) in place: move blocks on the edge of a part to a neighbouring
 * part while that lowers the sum over the parts of perimeter^2 / area
 * (4 pi / Polsby-Popper), keeps every part connected and keeps the
 * balanced weights within 5 % of the mean (or within the range they
 * already have). \p area and \p perim are the blocks' areas and
 * perimeters. Deterministic. \p cost receives the final sum. */
sg_status sg__plan_refine(sg_ctx *ctx, const sg__plan_blocks *b, int nparts,
                          int residents, const double *area,
                          const double *perim, int32_t *part, double *cost);

/** A partition of \p b into \p nparts contiguous, non-empty parts grown
 * by hand, for the graphs on which METIS leaves a part empty: part by
 * part from a pseudo-peripheral block of what is left, taking the
 * neighbour with the longest shared boundary while that brings the part
 * closer to its share and leaves the rest connected; the last part is
 * the rest. \p part receives each block's part (b->n entries). Needs
 * b->n >= nparts and a connected graph. */
sg_status sg__plan_grow(sg_ctx *ctx, const sg__plan_blocks *b, int nparts,
                        int residents, int32_t *part);

/** Figures of a set of grids whose balanced quantities are \p w and
 * Polsby-Popper values \p pp (n each) into \p s. */
void sg__plan_stats(const double *w, const double *pp, size_t n,
                    sg_plan_stats *s);

/* Distance from (\p px, \p py) to the segment (\p ax, \p ay) -
 * (\p cx, \p cy), computed as GEOS's Distance::pointToSegment does (the
 * same operations in the same order), so that an indexed test decides as
 * a GEOS distance test on the same segments did. */
double sg__plan_point_seg(double px, double py, double ax, double ay, double cx,
                          double cy);

/* ---- hashing helpers of the block builder (plan_hash.c) ---------------- */

/** splitmix64 finaliser. */
uint64_t sg__plan_mix64(uint64_t x);

/* Open-addressing hash table from a 64-bit key to a value, for the
 * group midlines: positions to sites, Delaunay edges to triangles. */
typedef struct sg__plan_map {
    uint64_t *key; /* 0: free (keys are stored + 1) */
    uint64_t *val;
    size_t mask;
} sg__plan_map;

/** A table for up to \p n keys. \return 0 when out of memory. */
int sg__plan_map_init(sg__plan_map *m, size_t n);
void sg__plan_map_free(sg__plan_map *m);
/** The slot of \p k (found, or free for it); \return 1 if found. */
int sg__plan_map_slot(const sg__plan_map *m, uint64_t k, size_t *slot);
/** The key of a position: its two coordinates' bit patterns mixed. */
uint64_t sg__plan_pos_key(double x, double y);
/** The site (index into \p px, \p py) at exactly (x, y), or -1. */
long sg__plan_site_at(const sg__plan_map *m, const double *px, const double *py,
                      double x, double y);
/** Circumcentre of the triangle (a, b, c), computed relative to a;
 * \return 0 for a flat triangle. */
int sg__plan_circumcentre(double ax, double ay, double bx, double by, double cx,
                          double cy, double *ox, double *oy);
/** Hash of a key of four doubles (bit patterns; -0.0 is folded into 0.0
 * by the caller). */
size_t sg__plan_seg_hash(const double k[4]);
/** The canonical key of segment (x0, y0)-(x1, y1): lower end first. */
void sg__plan_seg_key(double x0, double y0, double x1, double y1, double k[4]);

#endif
