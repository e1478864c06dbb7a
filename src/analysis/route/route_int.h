/* Internal view of the routing module: the instance struct shared by the
 * reader (vrp_io.c) and the solver (vrp.c).
 * Not for: callers outside src/analysis/route/ (they use sanigrid/route.h).
 * SPDX-License-Identifier: MIT */
#ifndef SG_ROUTE_INT_H
#define SG_ROUTE_INT_H

#include "sanigrid/route.h"

struct sg_vrp {
    int n;         /* customers; nodes 0..n, 0 the depot */
    double *d;     /* (n+1)^2 distances, row-major; owned */
    double *q;     /* n+1 demands; owned */
    double *s;     /* n+1 service times; owned */
    long long *id; /* n+1 external ids; owned */
    double cap;    /* INFINITY: none */
    double limit;  /* INFINITY: none */
    char name[128];
};

/* The options behind the opaque handles of route.h. */
struct sg_vrp_options {
    sg_vrp_method method;
    double time_limit;    /* seconds, > 0 */
    long long iterations; /* per thread; 0: the clock decides */
    unsigned long long seed;
    int threads; /* 1..SG_VRP_MAX_THREADS */
};

struct sg_route_options {
    char *division;              /* owned; NULL: every township */
    char *depot_id;              /* owned; NULL: the transfer station */
    int depot_lonlat;            /* 1: the depot is at depot_lon, depot_lat */
    double depot_lon, depot_lat; /* WGS 84 */
    double every_days;           /* 0: the store's setting */
    double capacity_kg;          /* 0: capacity_m3 or the setting */
    double capacity_m3;          /* 0: the setting */
    int vehicles;                /* -1: the setting; 0: as many as needed */
    int tour;
    const char *units; /* static: "villages", "grids" or "points" */
    sg_vrp_options solver;
};

/** The defaults of sg_vrp_options_new() and sg_vrp_solve(NULL). */
void sg__vrp_defaults(sg_vrp_options *o);

#define SG_VRP_D(v, i, j)                                                      \
    ((v)->d[(size_t)(i) * (size_t)((v)->n + 1) + (size_t)(j)])

/** Allocate an instance of n customers, zeroed, ids 1..n+1, no limits.
 * NULL when out of memory. */
sg_vrp *sg__vrp_alloc(int n);

/* ---- along the road network (road.c) ------------------------------------ */

#include "net/net_int.h"

/** Distances along the roads between \p n points \p xy (x, y pairs in the
 * store's working CRS): each point meets the road nearest to it within
 * \p max_snap metres (the straight connection counts), then follows the
 * graph, the same rule as coverage. \p dist gets n*n entries (row-major,
 * from row to column); INFINITY where no road path joins them (or a point
 * has no road within max_snap). One shortest-path tree per point.
 * \return SG_OK, SG_ERR_NOMEM or SG_ERR_CANCELLED. */
sg_status sg__route_matrix(sg_ctx *ctx, const sg__graph *g, const double *xy,
                           int n, double max_snap, double *dist);

/** The line along the roads from (x1, y1) to (x2, y2) as in
 * sg__route_matrix: the point, its snap on the road, the road vertices,
 * the other snap, the other point. *coords gets 2 * *npts numbers
 * (caller owns; free()), *len the length of that line (= the matrix
 * entry). SG_ERR_NOT_FOUND when no road path joins them. */
sg_status sg__route_leg_line(sg_ctx *ctx, const sg__graph *g, double x1,
                             double y1, double x2, double y2, double max_snap,
                             double **coords, size_t *npts, double *len);

#endif
