/* The store's SQL for the village sheets (一村一表, src/render/sheets.c):
 * the administrative villages, each village's cleaners with their roads
 * and grids, its grids with whether they have a leader, and its figures
 * (coverage, staffing, ranking) from the analyses' result layers. A
 * result layer that is absent (its analysis never ran) reads as "not
 * computed", never as an error.
 * Not for: drawing (src/render/), or the analyses that write the layers.
 * SPDX-License-Identifier: MIT */
#ifndef SG_SHEETS_SQL_INT_H
#define SG_SHEETS_SQL_INT_H

#include <stddef.h>

#include "core/ctx_int.h"
#include "store/store_int.h"

/** Called once per administrative village by sg__store_sheet_villages
 * with its code, name and its parent's name (borrowed for the call; name
 * and parent may be NULL). Return SG_OK to go on. */
typedef sg_status (*sg__sheet_village_fn)(const char *code, const char *name,
                                          const char *parent, void *user);

/** The divisions of level admin_village that have a shape, in code
 * order; with \p code not NULL only that division (any level). */
sg_status sg__store_sheet_villages(sg_ctx *ctx, sg_store *store,
                                   const char *code, sg__sheet_village_fn fn,
                                   void *user);

/** One cleaner of a village (strings borrowed for the call). */
typedef struct sg__sheet_cleaner_row {
    const char *cleaner_id;
    const char *name; /* personal: NULL unless asked for */
    int planned;      /* 1: a post the allocation plans (待聘) */
    int have_work;    /* the figures below are known */
    double road_km;
    long long households, residents;
    int color_class; /* -1 if unknown */
} sg__sheet_cleaner_row;

typedef sg_status (*sg__sheet_cleaner_fn)(const sg__sheet_cleaner_row *r,
                                          void *user);

/** The cleaners of village \p code: those of layer cleaners (existing)
 * first, then the planned posts of layer workloads (after `sanigrid
 * allocate`), with their road km, households and residents from
 * workloads, else from roads.cleaner_id and households.cleaner_id.
 * Names only with \p personal. */
sg_status sg__store_sheet_cleaners(sg_ctx *ctx, sg_store *store,
                                   const char *code, int personal,
                                   sg__sheet_cleaner_fn fn, void *user);

/** Called per road name (borrowed; "" for roads without one) with its
 * length in km, longest first. */
typedef sg_status (*sg__sheet_road_fn)(const char *name, double km, void *user);

/** The roads cleaner \p cleaner_id looks after in village \p code
 * (cleaner_roads after allocate, else roads.cleaner_id), summed by name. */
sg_status sg__store_sheet_cleaner_roads(sg_ctx *ctx, sg_store *store,
                                        const char *code,
                                        const char *cleaner_id,
                                        sg__sheet_road_fn fn, void *user);

/** Called per grid code (borrowed). */
typedef sg_status (*sg__sheet_code_fn)(const char *code, void *user);

/** The grids of the households cleaner \p cleaner_id serves in village
 * \p code, in code order (needs layers coverage and cleaner_households or
 * households.cleaner_id; none when they are absent). */
sg_status sg__store_sheet_cleaner_grids(sg_ctx *ctx, sg_store *store,
                                        const char *code,
                                        const char *cleaner_id,
                                        sg__sheet_code_fn fn, void *user);

/** One grid of a village (strings and WKB borrowed for the call). */
typedef struct sg__sheet_grid_row {
    const char *grid_code;
    const char *name;
    int has_leader;           /* grid_leader is set */
    const char *leader;       /* personal: NULL unless asked for */
    long long households;     /* from layer coverage; -1 without it */
    const unsigned char *wkb; /* the shape in the working CRS; may be NULL */
    size_t wkb_len;
} sg__sheet_grid_row;

typedef sg_status (*sg__sheet_grid_fn)(const sg__sheet_grid_row *r, void *user);

/** The grids of village \p code (grids.division_code), in code order. */
sg_status sg__store_sheet_grids(sg_ctx *ctx, sg_store *store, const char *code,
                                int personal, sg__sheet_grid_fn fn, void *user);

/** A village's figures from the analyses' layers; each have_* is 0 when
 * the layer is absent or has no row for the village. */
typedef struct sg__sheet_figures {
    int have_coverage;
    long long households, residents;    /* in layer coverage */
    long long beyond, residents_beyond; /* beyond the radius */
    long long blind_spots;
    int have_staffing;
    long long required, current, shortfall;
    int have_rank;
    char period[32];
    double score;
    long long rank, ranked; /* rank among ranked units */
    char tier[16];          /* "red", "black" or "" */
    int have_change;
    long long previous_rank, rank_change; /* > 0: moved up */
} sg__sheet_figures;

/** Fill \p f for village \p code. \p network: households beyond the
 * radius by road (covered_network), else by straight line. */
sg_status sg__store_sheet_figures(sg_ctx *ctx, sg_store *store,
                                  const char *code, int network,
                                  sg__sheet_figures *f);

#endif
