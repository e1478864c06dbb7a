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

/** Independent searches sg_vrp_options_set_threads() takes at most. */
#define SG_VRP_MAX_THREADS 8

/** How to solve: opaque, made by sg_vrp_options_new(). */
typedef struct sg_vrp_options sg_vrp_options;

/** Defaults: SISR, 10 s, iterations 0 (the clock decides), seed 1,
 * 2 threads. Caller owns; free with sg_vrp_options_free(). NULL when out
 * of memory. */
SG_API sg_vrp_options *sg_vrp_options_new(void);
/** Free options of sg_vrp_options_new() (NULL is fine). */
SG_API void sg_vrp_options_free(sg_vrp_options *opts);
/** SG_VRP_SISR or SG_VRP_SAVINGS; SG_ERR_USAGE for anything else. */
SG_API sg_status sg_vrp_options_set_method(sg_ctx *ctx, sg_vrp_options *opts,
                                           sg_vrp_method method);
/** Seconds (wall clock) for the search: finite and > 0, else
 * SG_ERR_USAGE. */
SG_API sg_status sg_vrp_options_set_time_limit(sg_ctx *ctx,
                                               sg_vrp_options *opts,
                                               double seconds);
/** Ruin-and-recreate steps per thread, >= 0 (else SG_ERR_USAGE): > 0
 * makes the run the same on any machine (the cooling follows the step
 * count, the time limit still stops it); 0: the cooling follows the
 * clock. */
SG_API sg_status sg_vrp_options_set_iterations(sg_ctx *ctx,
                                               sg_vrp_options *opts,
                                               long long iterations);
/** Same seed and iterations: same answer. Any value. */
SG_API sg_status sg_vrp_options_set_seed(sg_ctx *ctx, sg_vrp_options *opts,
                                         unsigned long long seed);
/** Independent searches (seeds seed, seed+1, ...), the best kept:
 * 1..SG_VRP_MAX_THREADS, else SG_ERR_USAGE. */
SG_API sg_status sg_vrp_options_set_threads(sg_ctx *ctx, sg_vrp_options *opts,
                                            int threads);
/** The method set (for reports). */
SG_API sg_vrp_method sg_vrp_options_method(const sg_vrp_options *opts);
/** The seed set (for reports). */
SG_API unsigned long long sg_vrp_options_seed(const sg_vrp_options *opts);

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

/** Solve \p vrp (\p opts NULL: the defaults of sg_vrp_options_new()).
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

/** Seconds per township the route's solver takes by default. */
#define SG_ROUTE_TIME_LIMIT 5

/** What `sanigrid route DB` does: collection routes per township (the
 * depot its transfer station, the stops its collection points, the
 * demand of a stop from the coverage layer), or with tour one closed
 * inspection round per township through its villages, grids or points.
 * Opaque, made by sg_route_options_new(); the numbers not set take the
 * store's settings (route.*). */
typedef struct sg_route_options sg_route_options;

/** Defaults: every township, the township's transfer station as depot,
 * the store's settings for every number, collection routes (no tour),
 * villages, the solver's defaults (sg_vrp_options_new()) with
 * SG_ROUTE_TIME_LIMIT s per township. Caller owns; free with
 * sg_route_options_free(). NULL when out of memory. */
SG_API sg_route_options *sg_route_options_new(void);
/** Free options of sg_route_options_new() (NULL is fine). */
SG_API void sg_route_options_free(sg_route_options *opts);
/** Township code (copied); NULL: every township. "" is SG_ERR_USAGE. */
SG_API sg_status sg_route_options_set_division(sg_ctx *ctx,
                                               sg_route_options *opts,
                                               const char *code);
/** Point id of the depot, or the tour's start (copied; replaces a
 * longitude/latitude); NULL: the township's transfer station. "" is
 * SG_ERR_USAGE. */
SG_API sg_status sg_route_options_set_depot(sg_ctx *ctx, sg_route_options *opts,
                                            const char *point_id);
/** The depot at \p lon, \p lat (WGS 84; -180..180, -90..90, else
 * SG_ERR_USAGE); replaces a point id. */
SG_API sg_status sg_route_options_set_depot_lonlat(sg_ctx *ctx,
                                                   sg_route_options *opts,
                                                   double lon, double lat);
/** Days between collections: finite and > 0, else SG_ERR_USAGE. */
SG_API sg_status sg_route_options_set_every_days(sg_ctx *ctx,
                                                 sg_route_options *opts,
                                                 double days);
/** Vehicle capacity in kg: finite and > 0, else SG_ERR_USAGE. */
SG_API sg_status sg_route_options_set_capacity_kg(sg_ctx *ctx,
                                                  sg_route_options *opts,
                                                  double kg);
/** Vehicle capacity in m³ (x waste.bulk_density_kg_m3), used when no
 * capacity in kg is set: finite and > 0, else SG_ERR_USAGE. */
SG_API sg_status sg_route_options_set_capacity_m3(sg_ctx *ctx,
                                                  sg_route_options *opts,
                                                  double m3);
/** Vehicles per township, >= 0 (else SG_ERR_USAGE); 0: as many as
 * needed. */
SG_API sg_status sg_route_options_set_vehicles(sg_ctx *ctx,
                                               sg_route_options *opts,
                                               int vehicles);
/** 1: inspection rounds instead of collection routes; 0: routes. Other
 * values are SG_ERR_USAGE. */
SG_API sg_status sg_route_options_set_tour(sg_ctx *ctx, sg_route_options *opts,
                                           int tour);
/** What a tour goes through: "villages", "grids" or "points", else
 * SG_ERR_USAGE. */
SG_API sg_status sg_route_options_set_units(sg_ctx *ctx, sg_route_options *opts,
                                            const char *units);
/** The solver's options (copied); NULL: the defaults above. */
SG_API sg_status sg_route_options_set_solver(sg_ctx *ctx,
                                             sg_route_options *opts,
                                             const sg_vrp_options *solver);

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
 * with a tour `tours` and `tour_stops`. \param o NULL for the defaults
 * (sg_route_options_new()'s). \param out NULL, or receives the figures:
 * caller owns, free with sg_route_result_free(); NULL on failure. */
SG_API sg_status sg_route(sg_ctx *ctx, sg_store *store,
                          const sg_route_options *o, sg_route_result **out);

#ifdef __cplusplus
}
#endif
#endif
