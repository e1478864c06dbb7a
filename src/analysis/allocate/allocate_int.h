/* Internal pieces of the cleaner allocation (sanigrid allocate), shared
 * between its files: the run's inputs (villages with their clipped roads,
 * households and existing cleaners), one village's partition (road
 * pieces, METIS parts, per-cleaner figures, service areas), and the
 * writer of the result layers.
 *   allocate.c        options, reading the store, the driver, the result
 *   allocate_part.c   road pieces, the piece graph, METIS, balancing,
 *                     cleaner ids
 *   allocate_area.c   service areas (Voronoi of road pieces, dissolved)
 *   allocate_color.c  colour classes of neighbouring cleaners
 *   allocate_write.c  result layers and the run record
 *   allocate_eval.c   --evaluate: today's assignment
 * Not for: SQL (src/store, allocate_sql.c), the CLI, other analyses.
 * SPDX-License-Identifier: MIT */
#ifndef SG_ALLOCATE_INT_H
#define SG_ALLOCATE_INT_H

#include <stddef.h>
#include <stdint.h>

#include "geom/geos_int.h"
#include "core/ctx_int.h"
#include "net/net_int.h"
#include "sanigrid/allocate.h"
#include "store/store_int.h"

struct sg_allocate_options {
    char division[64]; /* "" = every village */
    int cleaners;      /* > 0: per village; 0 = existing/staffing */
    sg_balance balance;
    double piece_m;         /* longest road piece (m), > 0 */
    sg_network_options net; /* graph rules */
    int evaluate;           /* 1: evaluate today's assignment */
};

/** Default longest road piece (m). */
#define SG_ALLOC_PIECE_M 50.0
/** Pieces per cleaner a village's piece length aims at (at least). */
#define SG_ALLOC_PIECES_PER_CLEANER 40
/** Shortest piece length the adaptive rule may choose (m). */
#define SG_ALLOC_MIN_PIECE_M 2.0
/** Largest distance between the sites along a road piece (m): the
 * points service areas are built from, and that households join. */
#define SG_ALLOC_SITE_M 50.0
/* Lane and other roads count the share allocate.lane_factor (a setting,
 * default 0.5) of the village-road rate in the mixed measure. */

/* Road classes in the order of the schema's CHECK list. */
enum {
    SG_RC_NATIONAL,
    SG_RC_PROVINCIAL,
    SG_RC_COUNTY,
    SG_RC_TOWNSHIP,
    SG_RC_VILLAGE,
    SG_RC_LANE,
    SG_RC_OTHER,
    SG_RC_N
};

/** Name of road class \p c (SG_RC_*). Borrowed. */
const char *sg__alloc_class_name(int c);

/* ---- text arena ---------------------------------------------------------- */

/** Strings copied into blocks that never move, so the pointers stay valid
 * until sg__atext_cleanup(). Initialise with {0}. */
typedef struct sg__atext {
    struct sg__ablock *head; /* owned list of blocks, newest first */
} sg__atext;

/** Copy \p s into the arena (NULL and "" give a static ""). \return the
 * copy (borrowed; valid until cleanup), or NULL when out of memory. */
const char *sg__atext_add(sg__atext *a, const char *s);

/** Free every block. NULL is a no-op. */
void sg__atext_cleanup(sg__atext *a);

/* ---- inputs ---------------------------------------------------------------
 */

/** One row of `roads`. */
typedef struct sg__aroad {
    const char *id;      /* road_id (arena) */
    const char *cleaner; /* cleaner_id (arena; "" when NULL) */
    int cls;             /* SG_RC_* */
} sg__aroad;

/** One household inside a selected village. */
typedef struct sg__ahh {
    double x, y;
    const char *id;      /* household_id (arena) */
    const char *cleaner; /* cleaner_id (arena; "" when NULL) */
    long long res;       /* resident population (NULL counts 0) */
} sg__ahh;

/** One existing cleaner of a village. */
typedef struct sg__acl {
    const char *id; /* cleaner_id (arena) */
    double x, y;
    int has_xy; /* 0: no point geometry */
} sg__acl;

/** One selected village. */
typedef struct sg__avillage {
    const char *code;  /* division_code (arena) */
    const char *name;  /* name (arena; "" when NULL) */
    sg__lineset lines; /* its roads clipped to it; owner = road row */
    uint32_t *hh;      /* households in it (indices into run->hh) */
    size_t nhh, caphh;
    sg__acl *cl; /* existing cleaners, sorted by cleaner_id */
    size_t ncl, capcl;
    long long required; /* staffing's required, -1 unknown */
    int twin;           /* another village of the run has its name (or it
                           has none): planned ids carry its code */
} sg__avillage;

typedef struct sg__awriter sg__awriter;

/* Phases of run_allocate timed for -v. */
enum {
    SG__ALLOC_T_PART,  /* road pieces, graph, METIS, balancing */
    SG__ALLOC_T_AREA,  /* service areas (Voronoi, dissolve, clip) */
    SG__ALLOC_T_COLOR, /* colour classes */
    SG__ALLOC_T_WRITE, /* rows into the store (writer thread) */
    SG__ALLOC_T_WAIT,  /* writer waiting for the next village (wall) */
    SG__ALLOC_NT
};

/** The whole run. */
typedef struct sg__alloc {
    sg_ctx *ctx;                  /* borrowed */
    sg_store *store;              /* borrowed */
    const sg_allocate_options *o; /* borrowed */
    sg_allocate_result *r;        /* being filled; borrowed */
    GEOSContextHandle_t h;        /* ctx->geom */
    sg__atext text;
    sg__geomset vgeom; /* village polygons (owned), by number */
    sg__avillage *v;
    size_t nv, capv;
    sg__aroad *roads; /* every row of roads, fid order */
    size_t nroads, caproads;
    sg__ahh *hh; /* households in selected villages */
    size_t nhh, caphh;
    sg__idlist cand; /* scratch for geomset queries */
    /* the balance measure: weight of a metre of road by class and of a
     * household and a resident */
    double w_m[SG_RC_N], w_hh, w_res;
    sg__awriter *w; /* result writer; owned */
    /* phase timings for -v: CPU seconds summed over threads (the
     * writer's for SG__ALLOC_T_WRITE), wall seconds the writer waited */
    double cpu[SG__ALLOC_NT];
    int nthreads; /* threads that computed villages */
} sg__alloc;

/** Weight of a piece of \p len metres of class \p cls. */
double sg__alloc_road_weight(const sg__alloc *A, int cls, double len);

/** Weight of a household of \p res residents. */
double sg__alloc_hh_weight(const sg__alloc *A, long long res);

/* ---- one village's partition (allocate_part.c) ----------------------------
 */

/** Figures of one cleaner (one part). */
typedef struct sg__apstat {
    double road_m;
    double workload; /* in the balance measure */
    long long households, residents;
    long long npieces;  /* road pieces */
    long long pieces;   /* connected pieces of its roads (real edges) */
    long long comps;    /* network components it has roads in */
    int existing;       /* index into the village's cl, -1 planned */
    int planned_no;     /* 1.. for planned cleaners */
    double cx, cy;      /* weighted centre of its roads/households */
    GEOSGeometry *area; /* service area (MultiPolygon); owned */
    double area_m2, perimeter_m, compactness;
    int color; /* colour class 0..SG_ALLOC_COLORS-1 */
} sg__apstat;

/** A village cut into road pieces and split among K cleaners. Free with
 * sg__apart_cleanup(). */
typedef struct sg__apart {
    sg__graph *g;   /* the village's graph; pieces = its road edges */
    size_t npieces; /* g->nroad_edges */
    double piece_m; /* longest piece used */
    double *pw;     /* true weight per piece (roads + households) */
    int32_t *pcomp; /* network component per piece (0 = heaviest) */
    size_t ncomp;
    int32_t *part; /* cleaner per piece (0..K-1) */
    /* sites: points every SG_ALLOC_SITE_M at most along each piece
     * (none at its ends), or the households when there are no pieces */
    double *sxy;   /* 2 per site */
    uint32_t *sof; /* piece of each site, or household number */
    size_t ns;
    int sites_hh;    /* 1: the sites are the households */
    sg__cells sgrid; /* over the sites */
    /* per household of the village (same order as village->hh) */
    uint32_t *hedge; /* its piece; UINT32_MAX when no road */
    double *hsnap;   /* distance to that piece (m); NAN when no road */
    int32_t *hpart;  /* cleaner per household */
    int K;
    sg__apstat *ps; /* K entries */
    double total;   /* total workload */
    /* the piece graph (CSR, real edges only) */
    size_t *xoff;
    uint32_t *xadj;
} sg__apart;

/** Cut village \p vi into pieces and split it among \p K cleaners
 * (K >= 1): builds the graph, attaches the households, partitions
 * (METIS with contiguity, then a balancing pass), names the parts
 * (existing cleaners by proximity, then planned-1..), and fills the
 * figures except the service areas. */
sg_status sg__alloc_partition(sg__alloc *A, size_t vi, int K, sg__apart *P);

/** Free everything \p P owns and zero it. NULL is a no-op. */
void sg__apart_cleanup(sg__alloc *A, sg__apart *P);

/** The id of cleaner \p k of \p P in village \p v into \p buf (existing
 * id, or "<village name>-拟增N" for a planned one). \return buf. */
const char *sg__apart_cleaner_id(const sg__alloc *A, const sg__avillage *v,
                                 const sg__apart *P, int k, char *buf,
                                 size_t size);

/* ---- service areas (allocate_area.c) ------------------------------------ */

/** Compute every cleaner's service area in \p P (village \p vi): the
 * village split by nearest site (P's sites, labelled with their piece's
 * cleaner, or their household's), cells dissolved per cleaner and
 * clipped to the village. Sets area, area_m2, perimeter_m and
 * compactness of each part. */
sg_status sg__alloc_areas(sg__alloc *A, size_t vi, sg__apart *P);

/* ---- colour classes (allocate_color.c) --------------------------------- */

/** Number of colour classes the styles draw (service_areas.sld,
 * cleaner_roads.sld). */
#define SG_ALLOC_COLORS 8

/** Give each cleaner of \p P (village \p vi; after sg__alloc_areas) a
 * colour class in ps[k].color: greedy, largest degree first, so that
 * cleaners whose areas share a boundary or whose roads meet differ
 * where SG_ALLOC_COLORS classes allow. */
sg_status sg__alloc_colors(sg__alloc *A, size_t vi, sg__apart *P);

/* ---- writing (allocate_write.c) --------------------------------------------
 */

/** Start writing: creates (or, for one village, clears that village's
 * rows of) the result layers of the mode. Call inside a transaction. */
sg_status sg__alloc_write_begin(sg__alloc *A);

/** Write village \p vi's rows (allocate mode) from \p P; fills \p out's
 * figures. */
sg_status sg__alloc_write_village(sg__alloc *A, size_t vi, const sg__apart *P,
                                  sg_allocate_village *out);

/** Evaluate mode: the unassigned pieces of one road: the edges e0..e1-1
 * of \p g (all of one road row) with \p flag[e] set, as one row of
 * unassigned_roads (nothing when none is flagged). */
sg_status sg__alloc_write_unassigned_road(sg__alloc *A, size_t vi,
                                          const sg__graph *g, size_t e0,
                                          size_t e1, const unsigned char *flag);

/** Evaluate mode: an unassigned household. */
sg_status sg__alloc_write_unassigned_hh(sg__alloc *A, size_t vi,
                                        const sg__ahh *hh);

/** Evaluate mode: one row of current_workloads. */
sg_status sg__alloc_write_current(sg__alloc *A, size_t vi, const char *cleaner,
                                  int known, double road_m, long long hh,
                                  long long res, double workload, double ratio,
                                  long long pieces);

/** Finish the layers (bulk geometry registration), free the writer. */
sg_status sg__alloc_write_end(sg__alloc *A);

/** Free the writer without finishing (after a failure). */
void sg__alloc_write_abort(sg__alloc *A);

/** Record the run in `runs`. */
sg_status sg__alloc_record(sg__alloc *A);

/* ---- evaluate (allocate_eval.c) ------------------------------------------ */

/** Evaluate village \p vi's current assignment: writes its unassigned
 * roads and households and its current workloads; fills \p out. */
sg_status sg__alloc_evaluate_village(sg__alloc *A, size_t vi,
                                     sg_allocate_village *out);

/** Split a cleaner_id text into ids (separators , ; | / and the Chinese
 * 、，；, blanks trimmed). Calls \p fn for each non-empty id (a copy
 * valid during the call). \return the number of ids. */
int sg__alloc_split_ids(const char *text,
                        void (*fn)(const char *id, void *user), void *user);

/** Find \p id among the village's existing cleaners. \return its index
 * or -1. */
int sg__alloc_find_cleaner(const sg__alloc *A, const sg__avillage *v,
                           const char *id);

#endif
