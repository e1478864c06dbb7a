/* Cleaner allocation: split each village's roads and households among
 * its cleaners (保洁员 分片包干) with balanced workloads, contiguous road
 * sets and non-overlapping service areas; or evaluate today's assignment
 * (the cleaner_id columns of roads and households) without changing it.
 * Not for: how many cleaners a village needs (staffing.h), grid
 * division (plan).
 * SPDX-License-Identifier: MIT */
#ifndef SANIGRID_ALLOCATE_H
#define SANIGRID_ALLOCATE_H
#include "sanigrid/export.h"

#include <stddef.h>

#include "sanigrid/analysis.h"
#include "sanigrid/balance.h"
#include "sanigrid/store.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sg_allocate_options sg_allocate_options;

/** Defaults: every village (divisions of level admin_village), cleaners
 * per village = max(existing, required by the staffing layer), balance
 * mixed, road pieces of at most 50 m, network defaults, allocate (not
 * evaluate). Caller owns; free with sg_allocate_options_free(). NULL when
 * out of memory. */
SG_API sg_allocate_options *sg_allocate_options_new(void);

/** Free \p opts. NULL is a no-op. */
SG_API void sg_allocate_options_free(sg_allocate_options *opts);

/** Only the village with division_code \p code (copied; NULL or "" = every
 * village). Fails with SG_ERR_USAGE for a code longer than 63 bytes. */
SG_API sg_status sg_allocate_options_set_division(sg_ctx *ctx,
                                                  sg_allocate_options *opts,
                                                  const char *code);

/** \p n cleaners in every village selected (> 0), overriding the count
 * from the existing cleaners and the staffing layer; 0 restores it.
 * Fails with SG_ERR_USAGE for n < 0 (\p opts unchanged). */
SG_API sg_status sg_allocate_options_set_cleaners(sg_ctx *ctx,
                                                  sg_allocate_options *opts,
                                                  int n);

/** Balance measure (sanigrid/balance.h; sg_balance_from_string() reads
 * its name). Fails with SG_ERR_USAGE for a value out of range. */
SG_API sg_status sg_allocate_options_set_balance(sg_ctx *ctx,
                                                 sg_allocate_options *opts,
                                                 sg_balance balance);

/** Longest road piece (m) a boundary between two cleaners can fall
 * inside of: roads are cut into pieces of at most this length (and
 * shorter in a village whose road length per cleaner is small, so that
 * each cleaner gets at least about 40 pieces). 0 restores 50 m; a
 * negative or non-finite length fails with SG_ERR_USAGE. */
SG_API sg_status sg_allocate_options_set_piece_m(sg_ctx *ctx,
                                                 sg_allocate_options *opts,
                                                 double m);

/** Road network rules (shared vertices by default; snapping of dangling
 * ends and noding of crossings as in sg_network); copied. NULL restores
 * the defaults. */
SG_API sg_status sg_allocate_options_set_network(sg_ctx *ctx,
                                                 sg_allocate_options *opts,
                                                 const sg_network_options *net);

/** 1: evaluate today's assignment (the cleaner_id columns of roads and
 * households) instead of allocating; 0: allocate (default). Fails with
 * SG_ERR_USAGE for another value. */
SG_API sg_status sg_allocate_options_set_evaluate(sg_ctx *ctx,
                                                  sg_allocate_options *opts,
                                                  int on);

/** Figures of one village. */
typedef struct sg_allocate_village {
    char *code;                  /* division_code; owned by the result */
    char *name;                  /* division name ("" when NULL); owned */
    long long cleaners;          /* cleaners the work was split among
                                    (evaluate: cleaners of the village plus
                                    ids found in the assignment) */
    long long existing;          /* of them, from the cleaners layer */
    long long planned;           /* of them, planned-1 .. planned-K */
    long long required;          /* staffing's figure (-1: not known) */
    const char *cleaners_source; /* static: "option", "staffing",
                                    "existing" */
    long long households;
    long long residents;
    double road_m;           /* road length inside the village */
    long long components;    /* connected pieces of its road network */
    double workload;         /* total, in the balance measure */
    double max_mean;         /* largest cleaner workload / mean */
    double min_mean;         /* smallest cleaner workload / mean */
    double compactness;      /* mean Polsby-Popper 4 pi A / P^2 of the
                                service areas (allocate only) */
    long long noncontiguous; /* cleaners whose roads fall into more
                                pieces than the network components they
                                touch (allocate: 0 by construction) */
    /* evaluate only */
    double unassigned_road_m;
    long long unassigned_households;
    double double_road_m;        /* road assigned to two or more cleaners */
    long long double_households; /* households assigned to two or more */
    long long unknown_cleaners;  /* ids not in the cleaners layer */
} sg_allocate_village;

typedef struct sg_allocate_result {
    int evaluate;                  /* 1: evaluate mode */
    const char *balance;           /* measure name (sg_balance_to_string);
                                      static */
    const char *unit;              /* its unit, e.g. "cleaner-equivalents";
                                      static */
    double piece_m;                /* longest road piece asked for */
    int staffing_run;              /* 1: staffing was run first (no staffing
                                      layer and no --cleaners) */
    sg_allocate_village *villages; /* nvillages entries; owned */
    size_t nvillages;
    long long cleaners, existing, planned;
    long long households, residents;
    long long households_outside; /* in no selected village (not assigned) */
    double road_m;
    double max_mean;          /* worst village */
    double min_mean;          /* worst village */
    double compactness;       /* mean over villages with areas */
    long long noncontiguous;  /* sum over villages */
    double unassigned_road_m; /* evaluate: sums over villages */
    long long unassigned_households;
    double double_road_m;
    long long double_households;
    long long unknown_cleaners;
    double seconds;
} sg_allocate_result;

/** Allocate (or, with sg_allocate_options_set_evaluate, evaluate) every
 * selected village and record the run.
 *
 * Allocate writes layers cleaner_roads (division_code, road_id,
 * cleaner_id, class, length_m; one row per road, village and cleaner,
 * MULTILINESTRING), cleaner_households (division_code, household_id,
 * cleaner_id, snap_m; POINT), service_areas (division_code, cleaner_id,
 * status, road_km, households, residents, workload, area_m2,
 * compactness; MULTIPOLYGON) and tables workloads (one row per cleaner)
 * and allocation_summary (one row per village). With every village they
 * replace earlier ones; with one village (set_division) only that
 * village's rows are replaced. Roads and households keep their
 * cleaner_id.
 *
 * Evaluate changes no input and no allocation layer: it writes layers
 * unassigned_roads and unassigned_households and table current_workloads
 * (replacing earlier ones, or that village's rows).
 *
 * Without a staffing layer and without set_cleaners, staffing is run
 * first with the store's settings (writing layer staffing).
 * \param opts NULL for the defaults.
 * \param result caller owns; free with sg_allocate_result_free(). */
SG_API sg_status sg_allocate(sg_ctx *ctx, sg_store *store,
                             const sg_allocate_options *opts,
                             sg_allocate_result **result);

/** Free \p result. NULL is a no-op. */
SG_API void sg_allocate_result_free(sg_allocate_result *result);

#ifdef __cplusplus
}
#endif
#endif
