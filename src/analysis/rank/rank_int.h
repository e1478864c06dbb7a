/* Internal pieces of the ranking (sanigrid rank), shared between its
 * files: rank_period.c (periods), rank_options.c (options, weights and
 * band parsing), rank_units.c (divisions and grids, the units ranked,
 * their groups and the inspections), rank_measure.c (the measured
 * indicators) and rank.c (scores, ranks, lists, bands, the layer).
 * Not for: other analyses, SQL (src/store/rank_sql.c), the CLI.
 * SPDX-License-Identifier: MIT */
#ifndef SG_RANK_INT_H
#define SG_RANK_INT_H

#include <stddef.h>

#include "geom/geos_int.h"
#include "core/ctx_int.h"
#include "sanigrid/rank.h"
#include "store/store_int.h"

/* ---- options ------------------------------------------------------------- */

struct sg_rank_options {
    sg_rank_level level;
    sg_rank_within within;
    sg_period period;            /* kind SG_PERIOD_NONE: the default */
    int red, black;              /* largest list sizes; < 0: the settings */
    double list_share;           /* NAN: the setting rank.list_share */
    double weight[SG_RANK_NIND]; /* NAN: the setting */
    int have_bands;              /* 1: bands below replace table rank_tiers */
    sg_rank_band *bands;         /* owned (labels too) */
    size_t nbands;
    int save_bands; /* store the bands in rank_tiers */
};

/** Fill \p o with the defaults (shared by sg_rank_options_new() and
 * sg_rank(NULL)); owns nothing. */
void sg__rank_defaults(sg_rank_options *o);

/** Free the labels of \p n bands and the array. NULL is a no-op. */
void sg__rank_bands_free(sg_rank_band *bands, size_t n);

/** Copy \p n bands (labels too) into *out. \return SG_OK or
 * SG_ERR_NOMEM (in ctx). */
sg_status sg__rank_bands_copy(sg_ctx *ctx, const sg_rank_band *bands, size_t n,
                              sg_rank_band **out);

/** Depth of the level ranked in the division hierarchy: admin_village
 * 3, natural_village 4, grid 4 (compare with an sg_rank_within, whose
 * value is its depth: all 0, county 1, township 2, admin_village 3). */
int sg__rank_level_depth(sg_rank_level level);

/* ---- divisions and grids ------------------------------------------------- */

/** A division or grid of the store. */
typedef struct sg__rknode {
    char *code;         /* owned; never NULL */
    char *name;         /* owned; NULL if none */
    int is_grid;        /* 0 division, 1 grid */
    char *level;        /* owned; divisions: the level text, NULL if none */
    int glevel;         /* grids: level, NULL read as 1 */
    char *parent;       /* owned: parent_code, NULL if none */
    char *division;     /* owned: grids' division_code, NULL if none */
    int has_leader;     /* grids: grid_leader set and not blank */
    unsigned char *wkb; /* owned copy of the geometry for units and
                           grids; NULL otherwise */
    size_t wkb_size;
    long long up;   /* node of the parent, -1 none */
    long long unit; /* index of the unit it is, -1 if not ranked */
} sg__rknode;

/** Indices of the inspection accumulators per unit: the period, the
 * one before, and the one before that (for the previous trend). */
enum { SG_RK_CUR = 0, SG_RK_PREV = 1, SG_RK_PREV2 = 2, SG_RK_NPER = 3 };

/** Everything one ranking run holds. */
typedef struct sg__ranker {
    sg_ctx *ctx;              /* borrowed */
    sg_store *store;          /* borrowed */
    const sg_rank_options *o; /* borrowed */
    sg_rank_result *r;        /* being filled; borrowed */
    sg__rknode *nodes;        /* owned: divisions (fid order) then grids */
    size_t nnodes, capnodes;
    size_t *by_code;           /* owned: node numbers sorted by code,
                                  divisions before grids, then fid */
    int unit_is_grid;          /* ranking grids */
    sg__geomset ugeo;          /* unit geometries (owned), i <-> unit i;
                                  NULL where a unit has none */
    size_t *unode;             /* owned: the node of each unit */
    size_t *ugroup;            /* owned: group of each unit */
    double *isum, *icnt;       /* owned: SG_RK_NPER per unit */
    sg_period per[SG_RK_NPER]; /* the periods */
    sg__idlist cand;           /* scratch for queries */
    long long covered_unknown; /* coverage rows without covered_network */
} sg__ranker;

/** Read the divisions and grids, decide which are units (filling
 * r->units with code and name, and k->ugeo), link parents, and assign
 * each unit its group (r->groups, k->ugroup). Fails with SG_ERR_INPUT
 * when there is no unit of the level. */
sg_status sg__rank_load_units(sg__ranker *k);

/** The first node with \p code (divisions before grids), or -1. */
long long sg__rank_find_node(const sg__ranker *k, const char *code);

/** Read the inspections of the periods k->per[] (kind NONE: skipped)
 * into k->isum / k->icnt, counting r->inspections and
 * r->inspections_elsewhere for the current period. */
sg_status sg__rank_inspections(sg__ranker *k);

/** Free what sg__rank_load_units and sg__rank_inspections allocated in
 * \p k. */
void sg__rank_cleanup(sg__ranker *k);

/* ---- measured indicators ------------------------------------------------- */

/** Fill value/num/den of coverage, staffing, grid and toilets for every
 * unit (NAN where the data are missing) and r->source_run. */
sg_status sg__rank_measure(sg__ranker *k);

#endif
