/* Vehicle routing: the capacitated vehicle routing problem (CVRP) with an
 * optional route length/duration limit and a service time per stop, solved
 * by a metaheuristic of our own (Clarke-Wright savings, granular local
 * search, and Slack Induction by String Removals on top; see
 * src/analysis/route/vrp.c), and a reader for CVRPLIB/TSPLIB files.
 * Used by `sanigrid route` for collection-truck routes and inspection
 * rounds (a TSP is a CVRP with one vehicle of unlimited capacity), and by
 * its benchmark mode (--vrp FILE).
 * sg_route() plans on a store: the road network gives the matrix.
 * SPDX-License-Identifier: MIT */
#ifndef SANIGRID_ROUTE_H
#define SANIGRID_ROUTE_H
#include "sanigrid/export.h"

#include "sanigrid/ctx.h"
#include "sanigrid/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- the problem --------------------------------------------------------- */

/** A CVRP instance: node 0 is the depot, nodes 1..n the customers, n at
 * most SG_VRP_MAX_CUSTOMERS (the solver keeps full matrices). */
#define SG_VRP_MAX_CUSTOMERS 5000
typedef struct sg_vrp sg_vrp;

/** A new instance of \p n customers from a full (n+1) x (n+1) distance
 * matrix \p dist (row-major, node 0 the depot; copied; need not be
 * symmetric), demands \p demand[0..n] (copied; demand[0] ignored), vehicle
 * \p capacity (> 0; INFINITY for none), route limit \p limit (distance
 * plus service time of a route; <= 0 or INFINITY for none) and service
 * times \p service[0..n] (NULL: none; counted toward the limit, not the
 * cost). Node ids are 1..n+1 until sg_vrp_set_ids. Caller owns; free with
 * sg_vrp_free(). */
SG_API sg_status sg_vrp_new(sg_ctx *ctx, int n, const double *dist,
                            const double *demand, double capacity, double limit,
                            const double *service, sg_vrp **out);

/** Read a CVRPLIB/TSPLIB file (TYPE CVRP or TSP; EDGE_WEIGHT_TYPE EUC_2D,
 * not rounded, or EXPLICIT FULL_MATRIX/LOWER_ROW/UPPER_ROW/LOWER_DIAG_ROW/
 * UPPER_DIAG_ROW; CAPACITY, DISTANCE, SERVICE_TIME, DEMAND_SECTION,
 * DEPOT_SECTION with one depot). A TSP has no capacity. Node ids are the
 * file's node numbers. Caller owns; free with sg_vrp_free(). Errors name
 * the file and line. */
SG_API sg_status sg_vrp_read(sg_ctx *ctx, const char *path, sg_vrp **out);

SG_API void sg_vrp_free(sg_vrp *vrp);

/** Customers (depot excluded). */
SG_API int sg_vrp_customers(const sg_vrp *vrp);
/** NAME of the file ("" when made by sg_vrp_new). Borrowed. */
SG_API const char *sg_vrp_name(const sg_vrp *vrp);
/** The external id of node \p i (0 = depot): the file's node number. */
SG_API long long sg_vrp_id(const sg_vrp *vrp, int i);
SG_API double sg_vrp_dist(const sg_vrp *vrp, int i, int j);
SG_API double sg_vrp_demand(const sg_vrp *vrp, int i);
SG_API double sg_vrp_service(const sg_vrp *vrp, int i);
SG_API double sg_vrp_capacity(const sg_vrp *vrp);
/** Route limit, INFINITY when none. */
SG_API double sg_vrp_limit(const sg_vrp *vrp);

/* ---- solving ---------------------------------------------------------------
 */

typedef enum sg_vrp_method {
    SG_VRP_SISR = 0,   /* savings + local search + SISR ruin-and-recreate */
    SG_VRP_SAVINGS = 1 /* Clarke-Wright savings alone (baseline) */
} sg_vrp_method;

typedef struct sg_vrp_options {
    sg_vrp_method method;
    double time_limit;       /* seconds (wall clock) for the search; <= 0: 10 */
    long long iterations;    /* ruin-and-recreate steps per thread; > 0 makes
                                the run the same on any machine (the cooling
                                follows the step count, time_limit still
                                stops it); 0: cooling follows the clock */
    unsigned long long seed; /* same seed and iterations: same answer */
    int threads;             /* independent searches (seed, seed+1, ...), the
                                best kept; <= 0: 2 */
} sg_vrp_options;

/** Defaults: SISR, 10 s, seed 1, 2 threads. */
SG_API void sg_vrp_options_init(sg_vrp_options *o);

/** A solution: routes[r] is route_start[r] .. route_start[r+1]-1 in
 * stops[], customer node indices (1..n) in driving order from the depot
 * and back. Made by sg_vrp_solve(); free with sg_vrp_solution_free(). */
typedef struct sg_vrp_solution {
    int n_routes;
    int *route_start;     /* n_routes + 1 entries; owned */
    int *stops;           /* n entries; owned */
    double cost;          /* total distance (service time excluded) */
    double seconds;       /* wall time of the solve */
    long long iterations; /* ruin-and-recreate steps done, all threads */
    int feasible;         /* every route within capacity and limit, every
                             customer exactly once */
} sg_vrp_solution;

/** Solve \p vrp (\p opts NULL: the defaults of sg_vrp_options_init).
 * Progress goes to the context's callback (fraction of the time or
 * iteration budget, message "best COST"); returning 0 there stops the
 * search and the call returns SG_ERR_CANCELLED. A customer whose demand
 * exceeds the capacity or whose return trip alone breaks the limit
 * cannot be served: SG_ERR_INPUT naming it. \param out receives the
 * solution: caller owns, free with sg_vrp_solution_free(); NULL on
 * failure. */
SG_API sg_status sg_vrp_solve(sg_ctx *ctx, const sg_vrp *vrp,
                              const sg_vrp_options *opts,
                              sg_vrp_solution **out);

/** Free a solution of sg_vrp_solve() and its arrays (NULL is fine). */
SG_API void sg_vrp_solution_free(sg_vrp_solution *s);

/** Check \p s against \p vrp from scratch: \return 1 when every customer
 * is served exactly once and every route keeps capacity and limit; *cost
 * (may be NULL) gets the recomputed distance. */
SG_API int sg_vrp_check(const sg_vrp *vrp, const sg_vrp_solution *s,
                        double *cost);

/* ---- collection routes and inspection rounds on a store -------------------
 */

#include "sanigrid/store.h"

/** What `sanigrid route DB` does: collection routes per township (the
 * depot its transfer station, the stops its collection points, the
 * demand of a stop from the coverage layer), or with \p tour one closed
 * inspection round per township through its villages, grids or points.
 * Numbers <= 0 (counts < 0) take the store's settings (route.*). */
typedef struct sg_route_options {
    const char *division;        /* township code; NULL: every township */
    const char *depot_id;        /* point id of the depot (or the tour's start);
                                    NULL: the township's transfer station */
    int depot_lonlat;            /* 1: the depot is at (depot_lon, depot_lat) */
    double depot_lon, depot_lat; /* WGS 84 */
    double every_days;           /* days between collections */
    double capacity_kg;          /* vehicle capacity in kg */
    double capacity_m3;          /* or in m³ (x waste.bulk_density_kg_m3) */
    int vehicles;      /* vehicles per township; 0: as many as needed */
    int tour;          /* 1: inspection rounds instead of routes */
    const char *units; /* tour through: "villages" (default), "grids",
                          "points" */
    sg_vrp_options solver;
} sg_route_options;

/** Defaults: every township, settings for the numbers, villages, the
 * solver's defaults (sg_vrp_options_init) with 5 s per township. */
SG_API void sg_route_options_init(sg_route_options *o);

/** One township's outcome (or the whole store's when it has no township
 * divisions: code ""). Strings are owned by the sg_route_result, never
 * NULL. */
typedef struct sg_route_area {
    char *code, *name;
    char *depot; /* depot point id; "" for --depot X,Y or none */
    int has_depot;
    int stops; /* collection points (tour: units) */
    int served;
    int unreachable;    /* no road path from and back to the depot */
    int too_heavy;      /* demand above a vehicle's capacity */
    int beyond_shift;   /* the return trip alone exceeds the shift */
    int routes;         /* trips (tour: 1) */
    int vehicles;       /* vehicles needed: trips packed into shifts */
    int vehicles_short; /* needed beyond the vehicles available */
    double km, minutes; /* per collection day (tour: the round) */
    double demand_kg;   /* of the served stops */
    char *plant;        /* nearest treatment plant along roads, or "" */
    double haul_km;     /* to it; NAN when none is reachable */
    int haul_far;       /* haul_km above route.haul_far_km */
} sg_route_area;

typedef struct sg_route_result {
    int tour;
    int n_areas;
    sg_route_area *areas; /* n_areas; owned */
    double every_days, kg_per_person_day, capacity_kg, speed_kmh;
    double service_min, shift_h, haul_far_km;
    int vehicles; /* available per township; 0: unlimited */
    char *units;  /* the tour's units: "villages", "grids" or "points";
                     owned, never NULL */
    /* totals */
    int stops, served, unserved, routes, vehicles_needed;
    double km, minutes;
    double seconds;
} sg_route_result;

/** Free a result of sg_route(), its areas and strings (NULL is fine). */
SG_API void sg_route_result_free(sg_route_result *r);

/** Plan and write the result layers: `routes` (a line along the roads
 * per trip), `route_stops` (every collection point with its trip, order,
 * arrival, load after it and status served/unreachable/too_heavy/
 * beyond_shift/no_depot) and `route_summary` (a row per township), or
 * with o->tour `tours` and `tour_stops`. \param o NULL for the defaults
 * (sg_route_options_init's). \param out NULL, or receives the figures:
 * caller owns, free with sg_route_result_free(); NULL on failure. */
SG_API sg_status sg_route(sg_ctx *ctx, sg_store *store,
                          const sg_route_options *o, sg_route_result **out);

#ifdef __cplusplus
}
#endif
#endif
