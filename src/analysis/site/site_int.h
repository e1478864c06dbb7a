/* Internal pieces of the siting analysis (sg_site), shared between its
 * files: the options, the run state (site.c), candidate generation and
 * coverage sets (site_cand.c), the covering instance with its pruning
 * (site_inst.c), greedy + swap with bounds (site_greedy.c) and the exact
 * integer programs (site_glpk.c).
 * The instance is abstract: candidates cover rows; a row is a group of
 * households covered by exactly the same candidates (merged), or one
 * household when a capacity applies.
 * Not for: other analyses, SQL (src/store), the CLI.
 * SPDX-License-Identifier: MIT */
#ifndef SG_SITE_INT_H
#define SG_SITE_INT_H

#include <stddef.h>
#include <stdint.h>

#include "analysis/coverage/coverage_int.h"
#include "sanigrid/site.h"

/* Distance comparisons against the radius allow for this much rounding;
 * the same tolerance as the coverage analysis (coverage.c). */
#define SG_SITE_COVER_TOL_M 1e-6

struct sg_site_options {
    int cover_all;          /* 1: set covering; 0: --add k */
    int k;                  /* new points for --add (>= 1) */
    sg_point_kind kind;     /* point kind sited */
    double radius;          /* metres; <= 0: from the settings */
    int metric;             /* SG_METRIC_EUCLID/NETWORK; 0: default */
    char candidates[64];    /* roads, households or a layer name */
    double spacing;         /* road candidate spacing (m), > 0 */
    char division[64];      /* "" all; "worst"; or a division_code */
    double capacity;        /* per new point; 0: none; < 0: setting */
    int cap_unit;           /* sg_site_capacity_unit */
    double max_snap;        /* metres */
    sg_network_options net; /* graph rules */
    size_t exact_limit;     /* most candidates solved exactly; 0 never */
    double time_limit;      /* GLPK seconds */
};

/* ---- the covering instance ----------------------------------------------
 */

/** Candidates 0..nc-1 cover rows 0..nr-1 (both CSR directions, lists
 * ascending). Row weights are what --add maximises: with the residents
 * objective w = residents * wscale + households (lexicographic: residents
 * first, then households), else w = households. Free with
 * sg__site_inst_cleanup(). */
typedef struct sg__site_inst {
    size_t nc, nr;
    size_t *c_off;     /* nc + 1; owned */
    uint32_t *c_row;   /* owned */
    size_t *r_off;     /* nr + 1; owned */
    uint32_t *r_cand;  /* owned */
    double *w;         /* per row; owned */
    long long *r_hh;   /* households per row; owned */
    long long *r_res;  /* residents per row; owned */
    double *size;      /* capacity units per row (capacity only); owned */
    uint32_t *r_first; /* first demand household of the row; owned */
    uint32_t *cand;    /* instance candidate -> site candidate; owned */
    double wscale;     /* residents weight factor (1 + demand households);
                          0 for the households objective */
    double cap;        /* capacity per new point in size units; 0 none */
    int cover_all;     /* 1: minimise points covering every row */
    size_t k;          /* --add k */
} sg__site_inst;

/** Free the instance's arrays and zero it. NULL is a no-op. */
void sg__site_inst_cleanup(sg__site_inst *in);

/** A solution: chosen instance candidates and, with a capacity, the
 * candidate serving each row. */
typedef struct sg__site_sol {
    uint32_t *chosen; /* n instance candidates; owned */
    size_t n;
    int32_t *assign; /* nr entries with a capacity (else NULL): serving
                        candidate or -1; owned */
    double value;    /* weight covered (add) or points (cover_all) */
    double bound;    /* add: upper bound on the optimal weight;
                        cover_all: lower bound on the points */
    char method[16]; /* exact, mip-timeout, greedy+swap, greedy */
    int tm_hit;      /* the GLPK time limit was reached */
} sg__site_sol;

/** Free the solution's arrays and zero it. NULL is a no-op. */
void sg__site_sol_cleanup(sg__site_sol *s);

/** Copy \p src into \p dst (cleaned first). \return SG_OK or
 * SG_ERR_NOMEM (in ctx). */
sg_status sg__site_sol_copy(sg_ctx *ctx, sg__site_sol *dst,
                            const sg__site_sol *src, size_t nr);

/** Value of \p chosen (n candidates) recomputed from the instance: the
 * weight of the rows covered (add, no capacity), the weight of the rows
 * assigned (capacity), or the number of candidates (cover_all). */
double sg__site_value(const sg__site_inst *in, const uint32_t *chosen, size_t n,
                      const int32_t *assign);

/* ---- greedy + swap (site_greedy.c) -------------------------------------- */

/** Solve \p in heuristically: lazy greedy (largest marginal weight, ties
 * the lowest candidate), then swap improvement (add: best 1-for-1 swaps;
 * cover_all: redundant points dropped and 2-for-1 swaps), with a bound
 * from the greedy run (add: the smallest f(S_i) + sum of the k largest
 * marginal gains over the iterations, and the (1 - 1/e) bound; cover_all:
 * a packing of rows no candidate shares and the ln-bound of greedy set
 * cover). With a capacity: greedy with capped gains, no swaps.
 * \p out receives the solution (cleaned first). */
sg_status sg__site_greedy(sg_ctx *ctx, const sg__site_inst *in,
                          sg__site_sol *out);

/** Improve the cover \p sol (cover_all, no capacity; every row covered):
 * redundant points dropped (latest first) and 2-for-1 swaps while any
 * exists; sol->value updated. */
sg_status sg__site_cover_polish(sg_ctx *ctx, const sg__site_inst *in,
                                sg__site_sol *sol);

/** Marginal rank order of a solution: \p order receives the chosen
 * candidates by decreasing marginal weight given the ones before them
 * (ties: the lowest candidate), or, with a capacity, by decreasing
 * weight assigned; \p gain_hh / \p gain_res the households and residents
 * each newly covers (all arrays sol->n entries, caller's). */
sg_status sg__site_rank(sg_ctx *ctx, const sg__site_inst *in,
                        const sg__site_sol *sol, uint32_t *order,
                        long long *gain_hh, long long *gain_res);

/* ---- Lagrangian bound (site_lagr.c) ------------------------------------- */

/** A bound on the optimum of \p in (no capacity) by subgradient
 * optimisation of its Lagrangian relaxation, stopping when it meets the
 * value of \p sol (then \p sol is optimal), after \p max_steps steps
 * or \p seconds. add: an upper bound on the weight; cover_all: a lower
 * bound on the points (rounded up). For cover_all the multipliers also
 * guide covers built along the way (points of negative reduced cost,
 * then the cheapest for each row left, then polished); the best replaces
 * \p sol when it needs fewer points. \return SG_OK with *bound, or
 * SG_ERR_NOMEM / SG_ERR_CANCELLED. */
sg_status sg__site_lagrangian(sg_ctx *ctx, const sg__site_inst *in,
                              sg__site_sol *sol, double seconds, int max_steps,
                              double *bound);

/* ---- GLPK (site_glpk.c) ------------------------------------------------- */

/** Solve \p in as an integer program with GLPK within \p seconds, with
 * \p start (a feasible solution, e.g. from sg__site_greedy) as the first
 * incumbent. On success \p out holds the solution found: method "exact"
 * when proven optimal (bound = value), or "mip-timeout" with the LP bound
 * when the time limit stopped the search (the caller keeps the better
 * of it and \p start). */
sg_status sg__site_exact(sg_ctx *ctx, const sg__site_inst *in,
                         const sg__site_sol *start, double seconds,
                         sg__site_sol *out);

/* ---- candidates and coverage sets (site_cand.c) ------------------------- */

/** One run: everything read, the coverage by the existing points, the
 * candidates and their coverage sets. Freed by sg__site_run_cleanup. */
typedef struct sg__site_run {
    sg_ctx *ctx;              /* borrowed */
    sg_store *store;          /* borrowed */
    const sg_site_options *o; /* borrowed */
    sg_site_result *r;        /* being filled; borrowed */
    double radius;            /* metres */
    int network;              /* 1: along roads, 0: straight line */
    sg__featset pts;          /* existing points of the kind */
    sg__featset hh;           /* every household with a location */
    sg__units units;          /* divisions and grids */
    int32_t area;             /* division unit of --division; -1 all */
    unsigned char *in_area;   /* per household */
    sg__lineset roads;        /* owner = road row */
    sg__arena road_text;      /* road ids */
    size_t *road_id;          /* per road row: arena offset */
    size_t nroad_rows;
    size_t road_cap;
    sg__graph *g;         /* the road graph (network, or NULL) */
    sg__paths paths;      /* from the existing points */
    sg__snap *hsnap;      /* per household (network) */
    unsigned char *hflag; /* per household: SG_COV_* bits */
    /* demand: area households not covered, placeable on the network */
    size_t nd;
    uint32_t *dem; /* demand -> household */
    /* candidates */
    size_t nc, cap_c;
    double max_cand; /* limits.site_candidates */
    double *cxy;     /* 2 * nc; owned */
    size_t *cid;     /* arena offsets into ctext; owned */
    sg__arena ctext;
    sg__snap *csnap;        /* per candidate (network); owned */
    unsigned char *con;     /* per candidate: placed on the network */
    size_t *cs_off;         /* nc + 1: coverage sets over demand */
    uint32_t *cs;           /* demand indices, ascending */
    long long cand_skipped; /* layer rows without a point */
} sg__site_run;

/** Generate the candidates of the run (roads, households or a layer),
 * inside the area, and place them on the network. */
sg_status sg__site_candidates(sg__site_run *R);

/** The coverage set of every candidate over the demand (straight line:
 * a grid over the demand; along roads: one shortest-path search per
 * candidate bounded by the radius). */
sg_status sg__site_cover_sets(sg__site_run *R);

/** Why a demand household is outside the instance (sg__site_instance). */
enum { SG_SITE_IN = 0, SG_SITE_NO_CANDIDATE = 1, SG_SITE_TOO_BIG = 2 };

/** Build the instance from the coverage sets: \p uncov (nd entries,
 * caller's) receives for each demand household SG_SITE_IN,
 * SG_SITE_NO_CANDIDATE (no candidate covers it) or SG_SITE_TOO_BIG (more
 * residents than the capacity);
 * candidates with empty sets are dropped, dominated ones pruned (without
 * a capacity: any candidate whose set is within another's, ties to the
 * lower number; with one: identical sets beyond the copies that can be
 * useful), and households with identical candidate lists merged into one
 * row (no capacity). \p residents_objective: 1 to weigh rows by
 * residents first (then households), 0 by households. Fills the
 * candidates_useful and candidates_kept figures of the result. */
sg_status sg__site_instance(sg__site_run *R, int residents_objective,
                            unsigned char *uncov, sg__site_inst *in);

/** Free what the run owns. NULL is a no-op. */
void sg__site_run_cleanup(sg__site_run *R);

#endif
