/* Collection routes and inspection rounds on a store (sg_route): per
 * township, the vehicle routes that empty its collection points and
 * bring the waste to its transfer station (村收集、镇转运), or one closed
 * round through its villages, grids or points (the weekly 检查).
 * Distances along the road network (road.c), the CVRP solved by vrp.c
 * in minutes (driving at the vehicle's speed plus service at each stop,
 * limited by the shift); a vehicle drives several trips a day when they
 * fit in its shift (trips packed first-fit decreasing). Each trip is
 * drawn along the roads leg by leg, so its line is as long as the sum of
 * its legs. A stop is never dropped: one that no road joins to the depot,
 * heavier than a vehicle, or whose return trip alone breaks the shift is
 * written with that status.
 * Layers: routes, route_stops, route_summary; tours, tour_stops.
 * Not for: SQL (src/store/route_sql.c), the solver (vrp.c), printing.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "geom/geos_int.h"
#include "analysis/route/route_int.h"
#include "store/bulk_int.h"
#include "store/route_sql_int.h"

/* Coverage snaps households to roads within this distance; so do we. */
#define MAX_SNAP_M 500.0

typedef struct rpoint {
    char id[64];
    char name[128];
    char kind[24];
    double x, y;
} rpoint;

typedef struct runit { /* an area (township) or a tour unit (village, grid) */
    char code[64];
    char name[128];
    GEOSGeometry *g;                /* owned; NULL for the whole store */
    const GEOSPreparedGeometry *pg; /* owned */
    double x, y; /* a point of it (units: the one nearest a road) */
} runit;

typedef struct rdemand {
    char id[64];
    long long residents;
} rdemand;

typedef struct run {
    sg_ctx *ctx;
    sg_store *store;
    const sg_route_options *o;
    sg_route_result *r;
    sg__graph *g;
    rpoint *pts;
    size_t npts, cap_pts;
    runit *areas;
    size_t nareas, cap_areas;
    runit *units;
    size_t nunits, cap_units;
    rdemand *dem;
    size_t ndem, cap_dem;
    double speed_m_min; /* metres per minute */
    double tour_stop_min;
    sg__insert *ins_route, *ins_stop, *ins_sum;
    int next_route;
} run;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* The defaults, shared by sg_route_options_new() and sg_route(NULL). */
static void route_defaults(sg_route_options *o)
{
    memset(o, 0, sizeof *o);
    o->vehicles = -1;
    o->units = "villages";
    sg__vrp_defaults(&o->solver);
    o->solver.time_limit = SG_ROUTE_TIME_LIMIT;
}

sg_route_options *sg_route_options_new(void)
{
    sg_route_options *o = malloc(sizeof *o);
    if (o)
        route_defaults(o);
    return o;
}

void sg_route_options_free(sg_route_options *opts)
{
    if (!opts)
        return;
    free(opts->division);
    free(opts->depot_id);
    free(opts);
}

/* Replace *\p slot by a copy of \p s (NULL: none). */
static sg_status set_string(sg_ctx *ctx, char **slot, const char *s)
{
    char *copy = NULL;
    if (s && !(copy = sg__strdup(ctx, s)))
        return SG_ERR_NOMEM;
    free(*slot);
    *slot = copy;
    return SG_OK;
}

sg_status sg_route_options_set_division(sg_ctx *ctx, sg_route_options *opts,
                                        const char *code)
{
    if (code && !*code)
        return sg__error(ctx, SG_ERR_USAGE,
                         "route: the division must be a township code, not "
                         "''");
    return set_string(ctx, &opts->division, code);
}

sg_status sg_route_options_set_depot(sg_ctx *ctx, sg_route_options *opts,
                                     const char *point_id)
{
    if (point_id && !*point_id)
        return sg__error(ctx, SG_ERR_USAGE,
                         "route: the depot must be a point id, not ''");
    sg_status st = set_string(ctx, &opts->depot_id, point_id);
    if (st == SG_OK)
        opts->depot_lonlat = 0;
    return st;
}

sg_status sg_route_options_set_depot_lonlat(sg_ctx *ctx, sg_route_options *opts,
                                            double lon, double lat)
{
    if (!(lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90))
        return sg__error(ctx, SG_ERR_USAGE,
                         "route: the depot must be longitude -180..180 and "
                         "latitude -90..90 (WGS 84), not %g,%g",
                         lon, lat);
    free(opts->depot_id);
    opts->depot_id = NULL;
    opts->depot_lonlat = 1;
    opts->depot_lon = lon;
    opts->depot_lat = lat;
    return SG_OK;
}

/* A number of the route that must be finite and > 0. */
static sg_status set_positive(sg_ctx *ctx, double *slot, double v,
                              const char *what)
{
    if (!(v > 0) || !isfinite(v))
        return sg__error(ctx, SG_ERR_USAGE,
                         "route: the %s must be a number > 0, not %g", what, v);
    *slot = v;
    return SG_OK;
}

sg_status sg_route_options_set_every_days(sg_ctx *ctx, sg_route_options *opts,
                                          double days)
{
    return set_positive(ctx, &opts->every_days, days, "every_days");
}

sg_status sg_route_options_set_capacity_kg(sg_ctx *ctx, sg_route_options *opts,
                                           double kg)
{
    return set_positive(ctx, &opts->capacity_kg, kg, "capacity_kg");
}

sg_status sg_route_options_set_capacity_m3(sg_ctx *ctx, sg_route_options *opts,
                                           double m3)
{
    return set_positive(ctx, &opts->capacity_m3, m3, "capacity_m3");
}

sg_status sg_route_options_set_vehicles(sg_ctx *ctx, sg_route_options *opts,
                                        int vehicles)
{
    if (vehicles < 0)
        return sg__error(ctx, SG_ERR_USAGE,
                         "route: the vehicles must be a whole number >= 0 "
                         "(0: as many as needed), not %d",
                         vehicles);
    opts->vehicles = vehicles;
    return SG_OK;
}

sg_status sg_route_options_set_tour(sg_ctx *ctx, sg_route_options *opts,
                                    int tour)
{
    if (tour != 0 && tour != 1)
        return sg__error(ctx, SG_ERR_USAGE,
                         "route: the tour must be 0 or 1, not %d", tour);
    opts->tour = tour;
    return SG_OK;
}

sg_status sg_route_options_set_units(sg_ctx *ctx, sg_route_options *opts,
                                     const char *units)
{
    static const char *const names[] = {"villages", "grids", "points", NULL};
    for (int i = 0; units && names[i]; i++)
        if (!strcmp(units, names[i])) {
            opts->units = names[i];
            return SG_OK;
        }
    return sg__error(ctx, SG_ERR_USAGE,
                     "route: the units must be villages, grids or points, "
                     "not '%s'",
                     units ? units : "");
}

sg_status sg_route_options_set_solver(sg_ctx *ctx, sg_route_options *opts,
                                      const sg_vrp_options *solver)
{
    (void)ctx;
    if (solver) {
        opts->solver = *solver;
    } else {
        sg__vrp_defaults(&opts->solver);
        opts->solver.time_limit = SG_ROUTE_TIME_LIMIT;
    }
    return SG_OK;
}

void sg_route_result_free(sg_route_result *r)
{
    if (!r)
        return;
    for (int i = 0; r->areas && i < r->n_areas; i++) {
        free(r->areas[i].code);
        free(r->areas[i].name);
        free(r->areas[i].depot);
        free(r->areas[i].plant);
    }
    free(r->areas);
    free(r->units);
    free(r);
}

static void *grow(void *p, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return p;
    size_t c = *cap ? 2 * *cap : 16;
    void *q = realloc(p, c * size);
    if (q)
        *cap = c;
    return q;
}

static void copy(char *dst, size_t size, const char *src)
{
    snprintf(dst, size, "%s", src ? src : "");
}

/* No routes: what an area without customers plans from. */
static const sg_vrp_solution no_solution = {0};

/* Replace owned string *\p dst with a copy of \p src (NULL: ""). */
static sg_status own(sg_ctx *ctx, char **dst, const char *src)
{
    char *c = sg__strdup(ctx, src ? src : "");
    if (!c)
        return SG_ERR_NOMEM;
    free(*dst);
    *dst = c;
    return SG_OK;
}

/* ---- reading ----------------------------------------------------------------
 */

static sg_status on_point(sg__row *row, int has_point, double x, double y,
                          void *user)
{
    run *R = user;
    if (!has_point)
        return SG_OK;
    rpoint *p = grow(R->pts, &R->cap_pts, R->npts, sizeof *p);
    if (!p)
        return sg__error(R->ctx, SG_ERR_NOMEM, "out of memory");
    R->pts = p;
    p += R->npts++;
    copy(p->id, sizeof p->id, sg__row_text(row, 0));
    copy(p->kind, sizeof p->kind, sg__row_text(row, 1));
    copy(p->name, sizeof p->name, sg__row_text(row, 2));
    p->x = x;
    p->y = y;
    return SG_OK;
}

typedef struct polyread {
    run *R;
    runit **arr;
    size_t *n, *cap;
    const char *only; /* code wanted, or NULL */
} polyread;

static sg_status on_poly(sg__row *row, void *user)
{
    polyread *P = user;
    run *R = P->R;
    const char *code = sg__row_text(row, 0);
    const void *wkb = sg__row_blob(row, 2);
    if (!code || !wkb || (P->only && strcmp(P->only, code) != 0))
        return SG_OK;
    GEOSGeometry *g = sg__geom_from_wkb(R->ctx, wkb, sg__row_bytes(row, 2));
    if (!g)
        return sg__error_prefix(R->ctx, "%s: ", code);
    runit *u = grow(*P->arr, P->cap, *P->n, sizeof *u);
    if (!u) {
        GEOSGeom_destroy_r(R->ctx->geom, g);
        return sg__error(R->ctx, SG_ERR_NOMEM, "out of memory");
    }
    *P->arr = u;
    u += (*P->n)++;
    memset(u, 0, sizeof *u);
    copy(u->code, sizeof u->code, code);
    copy(u->name, sizeof u->name, sg__row_text(row, 1));
    u->g = g;
    u->pg = GEOSPrepare_r(R->ctx->geom, g);
    if (!u->pg)
        return sg__geos_error(R->ctx, code);
    return SG_OK;
}

static sg_status read_polys(run *R, const char *layer, const char *codecol,
                            const char *level, const char *only, runit **arr,
                            size_t *n, size_t *cap)
{
    const char *cols[] = {codecol, "name"};
    polyread P = {R, arr, n, cap, only};
    return sg__store_scan(R->ctx, R->store, layer, cols, 2, 1,
                          level ? "level" : NULL, level, on_poly, &P);
}

static void free_units(sg_ctx *ctx, runit *u, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (u[i].pg)
            GEOSPreparedGeom_destroy_r(ctx->geom, u[i].pg);
        if (u[i].g)
            GEOSGeom_destroy_r(ctx->geom, u[i].g);
    }
    free(u);
}

static sg_status on_demand(const char *id, long long residents,
                           long long households, void *user)
{
    (void)households;
    run *R = user;
    rdemand *d = grow(R->dem, &R->cap_dem, R->ndem, sizeof *d);
    if (!d)
        return sg__error(R->ctx, SG_ERR_NOMEM, "out of memory");
    R->dem = d;
    d += R->ndem++;
    copy(d->id, sizeof d->id, id);
    d->residents = residents;
    return SG_OK;
}

static long long residents_of(const run *R, const char *id)
{
    for (size_t i = 0; i < R->ndem; i++) /* rows come sorted by id */
        if (strcmp(R->dem[i].id, id) == 0)
            return R->dem[i].residents;
    return 0;
}

/* Whether (x, y) lies in area \p a (always for the whole store). */
static int inside(sg_ctx *ctx, const runit *a, double x, double y)
{
    if (!a->pg)
        return 1;
    GEOSGeometry *p = GEOSGeom_createPointFromXY_r(ctx->geom, x, y);
    if (!p)
        return 0;
    int in = GEOSPreparedIntersects_r(ctx->geom, a->pg, p) == 1;
    GEOSGeom_destroy_r(ctx->geom, p);
    return in;
}

static const rpoint *find_point(const run *R, const char *id)
{
    for (size_t i = 0; i < R->npts; i++)
        if (strcmp(R->pts[i].id, id) == 0)
            return &R->pts[i];
    return NULL;
}

/* The point of polygon unit \p u where a visit starts: the road point
 * nearest a point on its surface when that lies in it, else the point of
 * the polygon nearest that road point. */
static sg_status unit_point(run *R, runit *u)
{
    GEOSContextHandle_t h = R->ctx->geom;
    GEOSGeometry *s = GEOSPointOnSurface_r(h, u->g);
    if (!s)
        return sg__geos_error(R->ctx, u->code);
    double px = 0, py = 0;
    GEOSGeomGetX_r(h, s, &px);
    GEOSGeomGetY_r(h, s, &py);
    GEOSGeom_destroy_r(h, s);
    u->x = px;
    u->y = py;
    sg__snap sn;
    if (!sg__graph_snap(R->g, px, py, 1e9, &sn))
        return SG_OK;
    const sg__graph *g = R->g;
    uint32_t a = g->ea[sn.edge], b = g->eb[sn.edge];
    double rx = g->x[a] + sn.t * (g->x[b] - g->x[a]);
    double ry = g->y[a] + sn.t * (g->y[b] - g->y[a]);
    if (inside(R->ctx, u, rx, ry)) {
        u->x = rx;
        u->y = ry;
        return SG_OK;
    }
    GEOSGeometry *rp = GEOSGeom_createPointFromXY_r(h, rx, ry);
    GEOSCoordSequence *cs = rp ? GEOSNearestPoints_r(h, u->g, rp) : NULL;
    if (cs) {
        GEOSCoordSeq_getXY_r(h, cs, 0, &u->x, &u->y);
        GEOSCoordSeq_destroy_r(h, cs);
    }
    if (rp)
        GEOSGeom_destroy_r(h, rp);
    return SG_OK;
}

/* ---- writing ----------------------------------------------------------------
 */

static const sg__column route_cols[] = {{"division_code", "TEXT"},
                                        {"route", "INTEGER"},
                                        {"vehicle", "INTEGER"},
                                        {"trip", "INTEGER"},
                                        {"depot_id", "TEXT"},
                                        {"stops", "INTEGER"},
                                        {"km", "REAL"},
                                        {"minutes", "REAL"},
                                        {"start_min", "REAL"},
                                        {"load_kg", "REAL"}};
static const sg__column stop_cols[] = {
    {"division_code", "TEXT"}, {"route", "INTEGER"},  {"vehicle", "INTEGER"},
    {"stop_order", "INTEGER"}, {"point_id", "TEXT"},  {"name", "TEXT"},
    {"arrival_min", "REAL"},   {"demand_kg", "REAL"}, {"load_kg", "REAL"},
    {"status", "TEXT"}};
static const sg__column sum_cols[] = {{"division_code", "TEXT"},
                                      {"name", "TEXT"},
                                      {"depot_id", "TEXT"},
                                      {"stops", "INTEGER"},
                                      {"served", "INTEGER"},
                                      {"unserved", "INTEGER"},
                                      {"trips", "INTEGER"},
                                      {"vehicles", "INTEGER"},
                                      {"vehicles_short", "INTEGER"},
                                      {"km", "REAL"},
                                      {"hours", "REAL"},
                                      {"demand_kg", "REAL"},
                                      {"plant_id", "TEXT"},
                                      {"haul_km", "REAL"},
                                      {"haul_far", "INTEGER"}};
static const sg__column tour_cols[] = {
    {"division_code", "TEXT"}, {"units", "TEXT"}, {"start_id", "TEXT"},
    {"stops", "INTEGER"},      {"km", "REAL"},    {"minutes", "REAL"}};
static const sg__column tstop_cols[] = {
    {"division_code", "TEXT"}, {"stop_order", "INTEGER"}, {"unit_code", "TEXT"},
    {"name", "TEXT"},          {"arrival_min", "REAL"},   {"status", "TEXT"}};

#define NCOLS(a) (sizeof(a) / sizeof((a)[0]))

static void bind_text(sg__insert *ins, int i, const char *s)
{
    if (s && *s)
        sg__insert_text(ins, i, s);
    else
        sg__insert_null(ins, i);
}

/* A 2D little-endian WKB LineString of \p n vertices. Caller owns. */
static unsigned char *line_wkb(const double *xy, size_t n, size_t *size)
{
    *size = 9 + 16 * n;
    unsigned char *b = malloc(*size);
    if (!b)
        return NULL;
    uint32_t type = 2, cnt = (uint32_t)n;
    b[0] = 1;
    memcpy(b + 1, &type, 4); /* little-endian hosts only, as wkb.c */
    memcpy(b + 5, &cnt, 4);
    memcpy(b + 9, xy, 16 * n);
    return b;
}

/* A line along the roads through \p n locations (x, y pairs) in order,
 * leg by leg; *len its length (the sum of the legs). */
static sg_status path_line(run *R, const double *loc, int n, double **xy,
                           size_t *npts, double *len)
{
    size_t cap = 0;
    *xy = NULL;
    *npts = 0;
    *len = 0;
    for (int k = 0; k + 1 < n; k++) {
        double *c = NULL, l = 0;
        size_t m = 0;
        sg_status st = sg__route_leg_line(
            R->ctx, R->g, loc[2 * k], loc[2 * k + 1], loc[2 * k + 2],
            loc[2 * k + 3], MAX_SNAP_M, &c, &m, &l);
        if (st)
            return st;
        if (*npts + m > cap) {
            size_t nc = 2 * (*npts + m);
            double *p = realloc(*xy, 2 * nc * sizeof *p);
            if (!p) {
                free(c);
                return sg__error(R->ctx, SG_ERR_NOMEM, "out of memory");
            }
            *xy = p;
            cap = nc;
        }
        /* the leg starts where the last one ended: skip its first vertex */
        size_t from = *npts ? 1 : 0;
        memcpy(*xy + 2 * *npts, c + 2 * from, 2 * (m - from) * sizeof *c);
        *npts += m - from;
        *len += l;
        free(c);
    }
    return SG_OK;
}

/* ---- collection routes of one area
 * -------------------------------------------- */

typedef struct trip {
    int r;        /* route index in the solution */
    double min;   /* duration */
    int vehicle;  /* 1.. */
    int trip;     /* 1.. within the vehicle */
    double start; /* minutes since the shift began */
} trip;

static int by_duration(const void *a, const void *b)
{
    const trip *x = a, *y = b;
    if (x->min != y->min)
        return x->min < y->min ? 1 : -1;
    return x->r - y->r;
}

static int by_route(const void *a, const void *b)
{
    return ((const trip *)a)->r - ((const trip *)b)->r;
}

static sg_status write_stop(run *R, const runit *a, const rpoint *p, int route,
                            int vehicle, int order, double arrival,
                            double demand, double load, const char *status)
{
    sg__insert *s = R->ins_stop;
    unsigned char wkb[21];
    bind_text(s, 1, a->code);
    if (route > 0) {
        sg__insert_int(s, 2, route);
        sg__insert_int(s, 3, vehicle);
        sg__insert_int(s, 4, order);
        sg__insert_double(s, 7, arrival);
        sg__insert_double(s, 9, load);
    } else {
        sg__insert_null(s, 2);
        sg__insert_null(s, 3);
        sg__insert_null(s, 4);
        sg__insert_null(s, 7);
        sg__insert_null(s, 9);
    }
    bind_text(s, 5, p->id);
    bind_text(s, 6, p->name);
    sg__insert_double(s, 8, demand);
    bind_text(s, 10, status);
    sg__wkb_write_point(wkb, p->x, p->y);
    sg__insert_blob(s, 11, wkb, sizeof wkb);
    return sg__insert_step(R->ctx, R->store, s);
}

/* The nearest treatment plant along the roads from (x, y). */
static sg_status haul(run *R, double x, double y, sg_route_area *A)
{
    A->haul_km = NAN;
    size_t np = 0;
    for (size_t i = 0; i < R->npts; i++)
        np += strcmp(R->pts[i].kind, "treatment_plant") == 0;
    if (!np)
        return SG_OK;
    double *xy = malloc(2 * (np + 1) * sizeof *xy);
    double *m = malloc((np + 1) * (np + 1) * sizeof *m);
    const rpoint **pp = malloc(np * sizeof *pp);
    sg_status st = SG_OK;
    if (!xy || !m || !pp) {
        st = sg__error(R->ctx, SG_ERR_NOMEM, "out of memory");
        goto done;
    }
    xy[0] = x;
    xy[1] = y;
    size_t k = 0;
    for (size_t i = 0; i < R->npts; i++)
        if (strcmp(R->pts[i].kind, "treatment_plant") == 0) {
            pp[k] = &R->pts[i];
            xy[2 * k + 2] = R->pts[i].x;
            xy[2 * k + 3] = R->pts[i].y;
            k++;
        }
    if ((st = sg__route_matrix(R->ctx, R->g, xy, (int)np + 1, MAX_SNAP_M, m)))
        goto done;
    for (k = 0; k < np; k++) {
        double d = m[k + 1];
        if (isfinite(d) && (!isfinite(A->haul_km) || d / 1000 < A->haul_km)) {
            A->haul_km = d / 1000;
            if ((st = own(R->ctx, &A->plant, pp[k]->id)))
                goto done;
        }
    }
    A->haul_far = isfinite(A->haul_km) && A->haul_km > R->r->haul_far_km;
done:
    free(xy);
    free(m);
    free(pp);
    return st;
}

static sg_status route_area(run *R, const runit *a, sg_route_area *A)
{
    sg_ctx *ctx = R->ctx;
    const sg_route_options *o = R->o;
    sg_route_result *res = R->r;
    sg_status st = SG_OK;
    double dx = 0, dy = 0;
    const rpoint **stops = NULL;
    double *xy = NULL, *m = NULL, *dem = NULL, *dmin = NULL, *svc = NULL;
    double *qc = NULL, *loc = NULL, *line = NULL;
    int *cust = NULL;
    char *status = NULL;
    trip *trips = NULL;
    sg_vrp *vrp = NULL;
    sg_vrp_solution *solved = NULL; /* owned */
    const sg_vrp_solution *sol = &no_solution;
    unsigned char *wkb = NULL;
    int n = 0;

    if ((st = own(ctx, &A->code, a->code)) ||
        (st = own(ctx, &A->name, a->name)))
        return st;
    A->haul_km = NAN;
    if (o->depot_lonlat) {
        if ((st = sg__route_lonlat(ctx, R->store, o->depot_lon, o->depot_lat,
                                   &dx, &dy)))
            return st;
        A->has_depot = 1;
    } else if (o->depot_id) {
        const rpoint *p = find_point(R, o->depot_id);
        if (!p)
            return sg__error(ctx, SG_ERR_INPUT,
                             "no point '%s' in layer points for --depot",
                             o->depot_id);
        dx = p->x;
        dy = p->y;
        if ((st = own(ctx, &A->depot, p->id)))
            return st;
        A->has_depot = 1;
    } else {
        for (size_t i = 0; i < R->npts && !A->has_depot; i++)
            if (strcmp(R->pts[i].kind, "transfer_station") == 0 &&
                inside(ctx, a, R->pts[i].x, R->pts[i].y)) {
                dx = R->pts[i].x;
                dy = R->pts[i].y;
                if ((st = own(ctx, &A->depot, R->pts[i].id)))
                    return st;
                A->has_depot = 1;
            }
    }
    stops = malloc((R->npts + 1) * sizeof *stops);
    if (!stops)
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < R->npts; i++)
        if (strcmp(R->pts[i].kind, "collection_point") == 0 &&
            inside(ctx, a, R->pts[i].x, R->pts[i].y))
            stops[n++] = &R->pts[i];
    A->stops = n;
    size_t nn = (size_t)n + 1;
    xy = malloc(2 * nn * sizeof *xy);
    m = malloc(nn * nn * sizeof *m);
    dem = calloc(nn, sizeof *dem);
    status = calloc(nn, 1);
    cust = malloc(nn * sizeof *cust);
    dmin = malloc(nn * nn * sizeof *dmin);
    svc = calloc(nn, sizeof *svc);
    qc = calloc(nn, sizeof *qc);
    loc = malloc(2 * (nn + 1) * sizeof *loc);
    if (!xy || !m || !dem || !status || !cust || !dmin || !svc || !qc || !loc) {
        st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        goto done;
    }
    xy[0] = dx;
    xy[1] = dy;
    for (int i = 0; i < n; i++) {
        xy[2 * i + 2] = stops[i]->x;
        xy[2 * i + 3] = stops[i]->y;
        dem[i + 1] = (double)residents_of(R, stops[i]->id) *
                     res->kg_per_person_day * res->every_days;
    }
    if (A->has_depot && n > 0 &&
        (st = sg__route_matrix(ctx, R->g, xy, (int)nn, MAX_SNAP_M, m)))
        goto done;
    /* which stops a vehicle can serve */
    double shift = res->shift_h * 60;
    int nc = 0;
    for (int i = 1; i <= n; i++) {
        if (!A->has_depot)
            status[i] = 'd';
        else if (!isfinite(m[i]) || !isfinite(m[(size_t)i * nn]))
            status[i] = 'u';
        else if (dem[i] > res->capacity_kg)
            status[i] = 'h';
        else if ((m[i] + m[(size_t)i * nn]) / R->speed_m_min +
                     res->service_min >
                 shift)
            status[i] = 's';
        else {
            status[i] = 'o';
            cust[++nc] = i;
        }
        A->unreachable += status[i] == 'u';
        A->too_heavy += status[i] == 'h';
        A->beyond_shift += status[i] == 's';
    }
    cust[0] = 0;
    if (nc > 0) {
        size_t w = (size_t)nc + 1;
        for (size_t i = 0; i < w; i++) {
            for (size_t j = 0; j < w; j++)
                dmin[i * w + j] =
                    m[(size_t)cust[i] * nn + (size_t)cust[j]] / R->speed_m_min;
            qc[i] = i ? dem[cust[i]] : 0;
            svc[i] = i ? res->service_min : 0;
        }
        if ((st = sg_vrp_new(ctx, nc, dmin, qc, res->capacity_kg, shift, svc,
                             &vrp)))
            goto done;
        if ((st = sg_vrp_solve(ctx, vrp, &o->solver, &solved)))
            goto done;
        sol = solved;
    }
    /* trips into vehicles: first fit, longest first */
    trips = calloc((size_t)sol->n_routes + 1, sizeof *trips);
    if (!trips) {
        st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        goto done;
    }
    for (int r = 0; r < sol->n_routes; r++) {
        double t = 0;
        int prev = 0;
        for (int k = sol->route_start[r]; k < sol->route_start[r + 1]; k++) {
            t += sg_vrp_dist(vrp, prev, sol->stops[k]) + res->service_min;
            prev = sol->stops[k];
        }
        t += sg_vrp_dist(vrp, prev, 0);
        trips[r].r = r;
        trips[r].min = t;
    }
    qsort(trips, (size_t)sol->n_routes, sizeof *trips, by_duration);
    double *used = calloc((size_t)sol->n_routes + 1, sizeof *used);
    int *ntrips = calloc((size_t)sol->n_routes + 1, sizeof *ntrips);
    if (!used || !ntrips) {
        free(used);
        free(ntrips);
        st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        goto done;
    }
    int nv = 0;
    for (int r = 0; r < sol->n_routes; r++) {
        int v = 0;
        while (v < nv && used[v] + trips[r].min > shift + 1e-9)
            v++;
        if (v == nv)
            nv++;
        trips[r].vehicle = v + 1;
        trips[r].start = used[v];
        trips[r].trip = ++ntrips[v];
        used[v] += trips[r].min;
    }
    free(used);
    free(ntrips);
    qsort(trips, (size_t)sol->n_routes, sizeof *trips, by_route);
    A->routes = sol->n_routes;
    A->vehicles = nv;
    if (res->vehicles > 0 && nv > res->vehicles)
        A->vehicles_short = nv - res->vehicles;
    /* each trip: its line and its stops */
    for (int r = 0; r < sol->n_routes; r++) {
        int route = ++R->next_route;
        int k0 = sol->route_start[r], k1 = sol->route_start[r + 1], nl = 0;
        double t = trips[r].start, load = 0;
        loc[2 * nl] = dx;
        loc[2 * nl++ + 1] = dy;
        for (int k = k0; k < k1; k++) {
            int i = cust[sol->stops[k]];
            loc[2 * nl] = stops[i - 1]->x;
            loc[2 * nl++ + 1] = stops[i - 1]->y;
        }
        loc[2 * nl] = dx;
        loc[2 * nl++ + 1] = dy;
        size_t np = 0, wsize = 0;
        double len = 0;
        free(line);
        line = NULL;
        if ((st = path_line(R, loc, nl, &line, &np, &len)))
            goto done;
        int prev = 0;
        for (int k = k0; k < k1; k++) {
            int c = sol->stops[k], i = cust[c];
            t += sg_vrp_dist(vrp, prev, c);
            load += dem[i];
            if ((st = write_stop(R, a, stops[i - 1], route, trips[r].vehicle,
                                 k - k0 + 1, t, dem[i], load, "served")))
                goto done;
            t += res->service_min;
            prev = c;
        }
        A->served += k1 - k0;
        A->demand_kg += load;
        A->km += len / 1000;
        A->minutes += trips[r].min;
        free(wkb);
        wkb = line_wkb(line, np, &wsize);
        if (!wkb) {
            st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
            goto done;
        }
        sg__insert *s = R->ins_route;
        bind_text(s, 1, a->code);
        sg__insert_int(s, 2, route);
        sg__insert_int(s, 3, trips[r].vehicle);
        sg__insert_int(s, 4, trips[r].trip);
        bind_text(s, 5, A->depot);
        sg__insert_int(s, 6, k1 - k0);
        sg__insert_double(s, 7, len / 1000);
        sg__insert_double(s, 8, trips[r].min);
        sg__insert_double(s, 9, trips[r].start);
        sg__insert_double(s, 10, load);
        sg__insert_blob(s, 11, wkb, wsize);
        if ((st = sg__insert_step(ctx, R->store, s)))
            goto done;
    }
    for (int i = 1; i <= n; i++) {
        static const char *const why[] = {"unreachable", "too_heavy",
                                          "beyond_shift", "no_depot"};
        const char *w = status[i] == 'u'   ? why[0]
                        : status[i] == 'h' ? why[1]
                        : status[i] == 's' ? why[2]
                        : status[i] == 'd' ? why[3]
                                           : NULL;
        if (w &&
            (st = write_stop(R, a, stops[i - 1], 0, 0, 0, 0, dem[i], 0, w)))
            goto done;
    }
    if (A->has_depot && (st = haul(R, dx, dy, A)))
        goto done;
    /* the summary row */
    sg__insert *s = R->ins_sum;
    bind_text(s, 1, a->code);
    bind_text(s, 2, a->name);
    bind_text(s, 3, A->depot);
    sg__insert_int(s, 4, A->stops);
    sg__insert_int(s, 5, A->served);
    sg__insert_int(s, 6, A->stops - A->served);
    sg__insert_int(s, 7, A->routes);
    sg__insert_int(s, 8, A->vehicles);
    sg__insert_int(s, 9, A->vehicles_short);
    sg__insert_double(s, 10, A->km);
    sg__insert_double(s, 11, A->minutes / 60);
    sg__insert_double(s, 12, A->demand_kg);
    bind_text(s, 13, A->plant);
    if (isfinite(A->haul_km)) {
        sg__insert_double(s, 14, A->haul_km);
        sg__insert_int(s, 15, A->haul_far);
    } else {
        sg__insert_null(s, 14);
        sg__insert_null(s, 15);
    }
    st = sg__insert_step(ctx, R->store, s);
done:
    sg_vrp_solution_free(solved);
    sg_vrp_free(vrp);
    free(stops);
    free(xy);
    free(m);
    free(dem);
    free(status);
    free(cust);
    free(dmin);
    free(svc);
    free(qc);
    free(loc);
    free(line);
    free(trips);
    free(wkb);
    return st;
}

/* ---- the inspection round of one area
 * ------------------------------------------- */

static sg_status tour_area(run *R, const runit *a, sg_route_area *A)
{
    sg_ctx *ctx = R->ctx;
    const sg_route_options *o = R->o;
    sg_status st = SG_OK;
    if ((st = own(ctx, &A->code, a->code)) ||
        (st = own(ctx, &A->name, a->name)))
        return st;
    A->haul_km = NAN;
    /* the units of the area: name, code, location */
    size_t cap = R->nunits + R->npts + 1;
    const char **code = malloc(cap * sizeof *code);
    const char **name = malloc(cap * sizeof *name);
    double *xy = malloc(2 * (cap + 1) * sizeof *xy);
    double *m = NULL, *dmin = NULL, *svc = NULL, *line = NULL, *loc = NULL;
    double *arr = NULL;
    int *node = NULL, *order = NULL;
    sg_vrp *vrp = NULL;
    sg_vrp_solution *solved = NULL; /* owned */
    const sg_vrp_solution *sol = &no_solution;
    unsigned char *wkb = NULL;
    int n = 0, start = -1; /* start: a unit index, or -1 for a depot */
    double sx = 0, sy = 0;
    if (!code || !name || !xy) {
        st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        goto done;
    }
    if (!strcmp(o->units, "points")) {
        for (size_t i = 0; i < R->npts; i++)
            if (strcmp(R->pts[i].kind, "collection_point") == 0 &&
                inside(ctx, a, R->pts[i].x, R->pts[i].y)) {
                code[n] = R->pts[i].id;
                name[n] = R->pts[i].name;
                xy[2 * n + 2] = R->pts[i].x;
                xy[2 * n + 3] = R->pts[i].y;
                n++;
            }
    } else {
        for (size_t i = 0; i < R->nunits; i++) {
            runit *u = &R->units[i];
            if ((st = unit_point(R, u)))
                goto done;
            /* a unit belongs to the area its point lies in */
            double px = 0, py = 0;
            GEOSGeometry *s = GEOSPointOnSurface_r(ctx->geom, u->g);
            if (s) {
                GEOSGeomGetX_r(ctx->geom, s, &px);
                GEOSGeomGetY_r(ctx->geom, s, &py);
                GEOSGeom_destroy_r(ctx->geom, s);
            }
            if (!s || !inside(ctx, a, px, py))
                continue;
            code[n] = u->code;
            name[n] = u->name;
            xy[2 * n + 2] = u->x;
            xy[2 * n + 3] = u->y;
            n++;
        }
    }
    A->stops = n;
    A->has_depot = 1;
    const rpoint *dp = NULL;
    if (o->depot_lonlat) {
        if ((st = sg__route_lonlat(ctx, R->store, o->depot_lon, o->depot_lat,
                                   &sx, &sy)))
            goto done;
    } else if (o->depot_id) {
        if (!(dp = find_point(R, o->depot_id))) {
            st = sg__error(ctx, SG_ERR_INPUT,
                           "no point '%s' in layer points for --start",
                           o->depot_id);
            goto done;
        }
    } else {
        for (size_t i = 0; i < R->npts && !dp; i++)
            if (strcmp(R->pts[i].kind, "transfer_station") == 0 &&
                inside(ctx, a, R->pts[i].x, R->pts[i].y))
                dp = &R->pts[i];
        if (!dp && n > 0)
            start = 0; /* from the first unit */
    }
    if (dp) {
        sx = dp->x;
        sy = dp->y;
        if ((st = own(ctx, &A->depot, dp->id)))
            goto done;
    } else if (start == 0) {
        sx = xy[2];
        sy = xy[3];
        if ((st = own(ctx, &A->depot, code[0])))
            goto done;
    }
    xy[0] = sx;
    xy[1] = sy;
    size_t nn = (size_t)n + 1;
    m = malloc(nn * nn * sizeof *m);
    node = malloc(nn * sizeof *node);
    dmin = malloc(nn * nn * sizeof *dmin);
    svc = calloc(nn, sizeof *svc);
    arr = calloc(nn, sizeof *arr);
    order = calloc(nn, sizeof *order);
    loc = malloc(2 * (nn + 2) * sizeof *loc);
    if (!m || !node || !dmin || !svc || !arr || !order || !loc) {
        st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        goto done;
    }
    if (n > 0 && (st = sg__route_matrix(ctx, R->g, xy, (int)nn, MAX_SNAP_M, m)))
        goto done;
    int nc = 0;
    node[0] = 0;
    for (int i = 1; i <= n; i++) {
        if (start == 0 && i == 1)
            continue; /* the start itself */
        if (!isfinite(m[i]) || !isfinite(m[(size_t)i * nn]))
            A->unreachable++;
        else
            node[++nc] = i;
    }
    if (nc > 0) {
        size_t w = (size_t)nc + 1;
        for (size_t i = 0; i < w; i++) {
            for (size_t j = 0; j < w; j++)
                dmin[i * w + j] =
                    m[(size_t)node[i] * nn + (size_t)node[j]] / R->speed_m_min;
            svc[i] = i ? R->tour_stop_min : 0;
        }
        /* no demands: arr is still all zero */
        if ((st =
                 sg_vrp_new(ctx, nc, dmin, arr, INFINITY, INFINITY, svc, &vrp)))
            goto done;
        if ((st = sg_vrp_solve(ctx, vrp, &o->solver, &solved)))
            goto done;
        sol = solved;
    }
    /* the round: start, the units route after route, back to the start */
    int nl = 0, ord = 0;
    double t = 0;
    loc[2 * nl] = sx;
    loc[2 * nl++ + 1] = sy;
    if (start == 0) {
        order[1] = ++ord;
        arr[1] = 0;
        t = R->tour_stop_min;
    }
    int prev = 0;
    for (int k = 0; k < (vrp ? sg_vrp_customers(vrp) : 0); k++) {
        int c = sol->stops[k], i = node[c];
        t += sg_vrp_dist(vrp, prev, c);
        order[i] = ++ord;
        arr[i] = t;
        t += R->tour_stop_min;
        prev = c;
        loc[2 * nl] = xy[2 * i];
        loc[2 * nl++ + 1] = xy[2 * i + 1];
    }
    if (vrp)
        t += sg_vrp_dist(vrp, prev, 0);
    loc[2 * nl] = sx;
    loc[2 * nl++ + 1] = sy;
    A->served = ord;
    A->routes = nc > 0 || start == 0 ? 1 : 0;
    A->vehicles = A->routes;
    A->minutes = t;
    if (nc > 0) {
        size_t np = 0, wsize = 0;
        double len = 0;
        if ((st = path_line(R, loc, nl, &line, &np, &len)))
            goto done;
        A->km = len / 1000;
        wkb = line_wkb(line, np, &wsize);
        if (!wkb) {
            st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
            goto done;
        }
        sg__insert *s = R->ins_route;
        bind_text(s, 1, a->code);
        bind_text(s, 2, o->units);
        bind_text(s, 3, A->depot);
        sg__insert_int(s, 4, A->served);
        sg__insert_double(s, 5, A->km);
        sg__insert_double(s, 6, A->minutes);
        sg__insert_blob(s, 7, wkb, wsize);
        if ((st = sg__insert_step(ctx, R->store, s)))
            goto done;
    }
    for (int i = 1; i <= n; i++) {
        sg__insert *s = R->ins_stop;
        unsigned char pt[21];
        bind_text(s, 1, a->code);
        if (order[i]) {
            sg__insert_int(s, 2, order[i]);
            sg__insert_double(s, 5, arr[i]);
        } else {
            sg__insert_null(s, 2);
            sg__insert_null(s, 5);
        }
        bind_text(s, 3, code[i - 1]);
        bind_text(s, 4, name[i - 1]);
        bind_text(s, 6, order[i] ? "served" : "unreachable");
        sg__wkb_write_point(pt, xy[2 * i], xy[2 * i + 1]);
        sg__insert_blob(s, 7, pt, sizeof pt);
        if ((st = sg__insert_step(ctx, R->store, s)))
            goto done;
    }
done:
    sg_vrp_solution_free(solved);
    sg_vrp_free(vrp);
    free(code);
    free(name);
    free(xy);
    free(m);
    free(node);
    free(dmin);
    free(svc);
    free(arr);
    free(order);
    free(loc);
    free(line);
    free(wkb);
    return st;
}

/* ---- the run
 * ------------------------------------------------------------------ */

static sg_status setting(run *R, const char *key, double *v)
{
    return sg_setting_get_double(R->ctx, R->store, key, v);
}

static sg_status resolve(run *R)
{
    sg_route_result *r = R->r;
    const sg_route_options *o = R->o;
    double v, dens = 0, cap_kg = 0, cap_m3 = 0, count = 0;
    sg_status st;
    if ((st = setting(R, "waste.kg_per_person_day", &r->kg_per_person_day)) ||
        (st = setting(R, "waste.bulk_density_kg_m3", &dens)) ||
        (st = setting(R, "route.every_days", &r->every_days)) ||
        (st = setting(R, "route.vehicle.capacity_m3", &cap_m3)) ||
        (st = setting(R, "route.vehicle.capacity_kg", &cap_kg)) ||
        (st = setting(R, "route.vehicle.speed_kmh", &r->speed_kmh)) ||
        (st = setting(R, "route.vehicle.service_min", &r->service_min)) ||
        (st = setting(R, "route.vehicle.shift_h", &r->shift_h)) ||
        (st = setting(R, "route.vehicle.count", &count)) ||
        (st = setting(R, "route.haul_far_km", &r->haul_far_km)) ||
        (st = setting(R, "route.tour.stop_min", &R->tour_stop_min)))
        return st;
    if (o->every_days > 0)
        r->every_days = o->every_days;
    if (o->capacity_kg > 0)
        r->capacity_kg = o->capacity_kg;
    else if (o->capacity_m3 > 0)
        r->capacity_kg = o->capacity_m3 * dens;
    else if (cap_kg > 0)
        r->capacity_kg = cap_kg;
    else
        r->capacity_kg = cap_m3 * dens;
    r->vehicles = o->vehicles >= 0 ? o->vehicles : (int)count;
    v = r->speed_kmh;
    R->speed_m_min = v * 1000 / 60;
    if (!(r->capacity_kg > 0) || !(R->speed_m_min > 0) || !(r->shift_h > 0))
        return sg__error(R->ctx, SG_ERR_USAGE,
                         "vehicle capacity, speed and shift must be positive");
    return SG_OK;
}

static sg_status record_run(run *R, double seconds)
{
    const sg_route_result *r = R->r;
    sg_json p, n;
    sg_json_begin(&p, NULL);
    sg_json_object(&p, NULL);
    sg_json_str(&p, "mode", r->tour ? "tour" : "collection");
    sg_json_str(&p, "division", R->o->division);
    if (r->tour)
        sg_json_str(&p, "tour_units", r->units);
    sg_json_num(&p, "every_days", r->every_days);
    sg_json_num(&p, "capacity_kg", r->capacity_kg);
    sg_json_num(&p, "speed_kmh", r->speed_kmh);
    sg_json_num(&p, "service_min", r->service_min);
    sg_json_num(&p, "shift_h", r->shift_h);
    sg_json_int(&p, "vehicles", r->vehicles);
    sg_json_int(&p, "seed", (long long)R->o->solver.seed);
    sg_json_end_object(&p);
    sg_json_begin(&n, NULL);
    sg_json_object(&n, NULL);
    sg_json_int(&n, "townships", r->n_areas);
    sg_json_int(&n, "stops", r->stops);
    sg_json_int(&n, "served", r->served);
    sg_json_int(&n, "unserved", r->unserved);
    sg_json_int(&n, "routes", r->routes);
    sg_json_int(&n, "vehicles", r->vehicles_needed);
    sg_json_num(&n, "km", r->km);
    sg_json_end_object(&n);
    return sg__store_record_run_json(R->ctx, R->store, "route", &p, &n,
                                     seconds);
}

static sg_status create_layers(run *R)
{
    sg_ctx *ctx = R->ctx;
    sg_store *store = R->store;
    sg_status st;
    if (R->r->tour) {
        if ((st = sg__store_create_result(ctx, store, "tours", "LINESTRING",
                                          tour_cols, NCOLS(tour_cols),
                                          "巡查路线", "Inspection rounds")) ||
            (st = sg__store_create_result(ctx, store, "tour_stops", "POINT",
                                          tstop_cols, NCOLS(tstop_cols),
                                          "巡查站点", "Inspection stops")) ||
            (st = sg__store_prepare_result_insert(ctx, store, "tours",
                                                  tour_cols, NCOLS(tour_cols),
                                                  1, &R->ins_route)))
            return st;
        return sg__store_prepare_result_insert(ctx, store, "tour_stops",
                                               tstop_cols, NCOLS(tstop_cols), 1,
                                               &R->ins_stop);
    }
    if ((st = sg__store_create_result(ctx, store, "routes", "LINESTRING",
                                      route_cols, NCOLS(route_cols), "收运路线",
                                      "Collection routes")) ||
        (st = sg__store_create_result(ctx, store, "route_stops", "POINT",
                                      stop_cols, NCOLS(stop_cols), "收运站点",
                                      "Collection stops")) ||
        (st = sg__store_create_result(ctx, store, "route_summary", NULL,
                                      sum_cols, NCOLS(sum_cols), "收运汇总",
                                      "Collection summary")) ||
        (st = sg__store_prepare_result_insert(ctx, store, "routes", route_cols,
                                              NCOLS(route_cols), 1,
                                              &R->ins_route)) ||
        (st = sg__store_prepare_result_insert(ctx, store, "route_stops",
                                              stop_cols, NCOLS(stop_cols), 1,
                                              &R->ins_stop)))
        return st;
    return sg__store_prepare_result_insert(
        ctx, store, "route_summary", sum_cols, NCOLS(sum_cols), 0, &R->ins_sum);
}

static sg_status plan(run *R)
{
    sg_ctx *ctx = R->ctx;
    sg_route_result *r = R->r;
    const sg_route_options *o = R->o;
    sg_status st;
    static const char *const pcols[] = {"point_id", "kind", "name"};
    if ((st = resolve(R)))
        return st;
    if ((st = sg__store_scan_points(ctx, R->store, "points", pcols, 3, NULL,
                                    NULL, on_point, R)))
        return st;
    if ((st = read_polys(R, "divisions", "division_code", "township",
                         o->division, &R->areas, &R->nareas, &R->cap_areas)))
        return st;
    if (o->division && R->nareas == 0)
        return sg__error(ctx, SG_ERR_INPUT,
                         "no township with division code '%s' in layer "
                         "divisions",
                         o->division);
    if (R->nareas == 0) { /* no townships: the whole store is one */
        R->areas = calloc(1, sizeof *R->areas);
        if (!R->areas)
            return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        R->nareas = 1;
    }
    if (r->tour && !strcmp(o->units, "villages")) {
        st = read_polys(R, "divisions", "division_code", "admin_village", NULL,
                        &R->units, &R->nunits, &R->cap_units);
        if (st == SG_OK && R->nunits == 0) /* natural villages only */
            st = read_polys(R, "divisions", "division_code", "natural_village",
                            NULL, &R->units, &R->nunits, &R->cap_units);
    } else if (r->tour && !strcmp(o->units, "grids")) {
        st = read_polys(R, "grids", "grid_code", NULL, NULL, &R->units,
                        &R->nunits, &R->cap_units);
    }
    if (st)
        return st;
    if (!r->tour) {
        char kind[32], demand[32];
        if ((st = sg__route_coverage_kind(ctx, R->store, kind, sizeof kind,
                                          demand, sizeof demand)))
            return st;
        if ((*kind && strcmp(kind, "collection_point") != 0) ||
            (*demand && strcmp(demand, "households") != 0))
            return sg__error(ctx, SG_ERR_INPUT,
                             "the coverage layer measures %s for %s, not "
                             "collection points for households: run "
                             "`sanigrid coverage` again without --kind and "
                             "--demand",
                             kind, demand);
        if ((st = sg__route_demand_scan(ctx, R->store, on_demand, R)))
            return st;
    }
    if ((st = sg__graph_from_store(ctx, R->store, NULL, &R->g)))
        return st;
    if ((st = create_layers(R)))
        return st;
    r->areas = calloc(R->nareas, sizeof *r->areas);
    if (!r->areas)
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < R->nareas; i++) {
        double saved[2];
        sg__progress_push(ctx, (double)i / (double)R->nareas,
                          (double)(i + 1) / (double)R->nareas, saved);
        sg_route_area *A = &r->areas[r->n_areas++];
        /* every string owned and never NULL, "" until known */
        if ((st = own(ctx, &A->code, "")) || (st = own(ctx, &A->name, "")) ||
            (st = own(ctx, &A->depot, "")) || (st = own(ctx, &A->plant, ""))) {
            sg__progress_pop(ctx, saved);
            return st;
        }
        st = r->tour ? tour_area(R, &R->areas[i], A)
                     : route_area(R, &R->areas[i], A);
        sg__progress_pop(ctx, saved);
        if (st)
            return R->areas[i].code[0]
                       ? sg__error_prefix(ctx,
                                          "township %s: ", R->areas[i].code)
                       : st;
        r->stops += A->stops;
        r->served += A->served;
        r->routes += A->routes;
        r->vehicles_needed += A->vehicles;
        r->km += A->km;
        r->minutes += A->minutes;
    }
    r->unserved = r->stops - r->served;
    return SG_OK;
}

sg_status sg_route(sg_ctx *ctx, sg_store *store, const sg_route_options *o,
                   sg_route_result **result)
{
    if (result)
        *result = NULL;
    sg_route_options def;
    if (!o) {
        route_defaults(&def);
        o = &def;
    }
    const char *units = o->units;
    double t0 = now_s();
    sg_status st = sg__store_begin(ctx, store);
    if (st)
        return st;
    if (sg_store_srid(store) == 0) {
        sg__store_rollback(store);
        return sg__error(ctx, SG_ERR_INPUT,
                         "store %s holds no data yet; import roads and "
                         "points first",
                         sg_store_path(store));
    }
    sg_route_result *out = calloc(1, sizeof *out);
    if (!out || !(out->units = sg__strdup(NULL, units))) {
        free(out);
        sg__store_rollback(store);
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    }
    run R = {0};
    R.ctx = ctx;
    R.store = store;
    R.o = o;
    R.r = out;
    out->tour = o->tour;
    st = plan(&R);
    if (st == SG_OK) {
        out->seconds = now_s() - t0;
        st = record_run(&R, out->seconds);
    }
    sg__insert_free(R.ins_route);
    sg__insert_free(R.ins_stop);
    sg__insert_free(R.ins_sum);
    if (st == SG_OK)
        st = sg__store_commit(ctx, store);
    else
        sg__store_rollback(store);
    sg__graph_free(R.g);
    free(R.pts);
    free(R.dem);
    free_units(ctx, R.areas, R.nareas);
    free_units(ctx, R.units, R.nunits);
    if (st == SG_OK && result)
        *result = out;
    else
        sg_route_result_free(out);
    return st;
}
