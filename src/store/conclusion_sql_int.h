/* The store's SQL for the report's conclusion (src/render/report_
 * conclusion.c): the few figures a leader reads first — coverage and the
 * worst villages, the staffing gap, this period's red and black lists
 * and the changes since the last, the grid problems check found. A
 * result layer that is absent leaves its part unset.
 * Not for: writing the sentences (render), or the tables of the report.
 * SPDX-License-Identifier: MIT */
#ifndef SG_CONCLUSION_SQL_INT_H
#define SG_CONCLUSION_SQL_INT_H

#include "core/ctx_int.h"
#include "store/store_int.h"

#define SG__CONCL_TOP 3  /* worst villages named */
#define SG__CONCL_LIST 8 /* red/black list names kept */

/* A named figure. */
typedef struct sg__concl_item {
    char name[96];
    double value;
} sg__concl_item;

typedef struct sg__conclusion {
    int have_coverage;
    long long households, beyond, residents, residents_beyond;
    sg__concl_item worst[SG__CONCL_TOP]; /* villages by share beyond the
                                            radius (value 0..1), worst
                                            first */
    int nworst;
    int have_staffing;
    long long villages, villages_short, required, current, shortfall;
    sg__concl_item short_most[SG__CONCL_TOP]; /* by shortfall */
    int nshort;
    int have_rank;
    char period[32];
    long long ranked;
    sg__concl_item red[SG__CONCL_LIST], black[SG__CONCL_LIST]; /* value:
                                                                  score */
    int nred, nblack;
    long long compared, risers, fallers; /* units with a previous rank */
    sg__concl_item best_riser;           /* value: places up; name "" if
                                            none */
    int have_issues;
    long long gaps, overlaps, no_leader, outside, several;
} sg__conclusion;

/** Fill \p c from \p store; \p network: beyond the radius by road
 * (covered_network), else by straight line. */
sg_status sg__store_conclusion(sg_ctx *ctx, sg_store *store, int network,
                               sg__conclusion *c);

/** Set the count of grid_issues' kind \p kind (gap, overlap, no_leader,
 * household_outside, household_in_several; NULL or any other: nothing)
 * in \p c to \p n: one row of either backend's count by kind. For
 * src/store. */
void sg__conclusion_issue(sg__conclusion *c, const char *kind, long long n);

#endif
