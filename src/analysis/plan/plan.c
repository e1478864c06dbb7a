/* sanigrid plan: grid division proposals (DOMAIN.md §1.6, §2
 * grid.target_households, grid.id_format). This file holds the options,
 * reads the units (divisions at level 1, level-1 grids at level 2),
 * their households, roads and existing grids from the store, plans the
 * units in parallel (each thread with its own context; the units are
 * handed over as WKB and coordinates, so no GEOS object crosses a
 * thread), codes and names the grids, writes layer planned_grids and
 * records the run. The planning of one unit is in plan_part.c and
 * plan_blocks.c.
 * Not for: SQL (src/store), printing (src/cli).
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "geom/geos_int.h"
#include "analysis/common/grid_rows_int.h"
#include "analysis/plan/plan_int.h"
#include "core/threads_int.h"
#include "net/net_int.h"
#include "store/plan_sql_int.h"
#include "store/store_int.h"

/* Most threads used to plan units. */
#define MAX_THREADS 8
/* Longest unit code accepted (division codes are 12 digits, grid codes
 * 15). */
#define MAX_CODE 64

struct sg_plan_options {
    char division[MAX_CODE + 1]; /* "" = every unit */
    char division_level[32];
    int level;       /* 1 or 2 */
    int grids;       /* > 0: grids per unit */
    double per_grid; /* > 0: households per grid */
    int residents;   /* balance residents */
};

/* Contract in include/sanigrid/plan.h (as for every sg_plan* below). */
/* The defaults, shared by sg_plan_options_new() and sg_plan(NULL). */
static void plan_defaults(sg_plan_options *o)
{
    memset(o, 0, sizeof *o);
    o->level = 1;
    snprintf(o->division_level, sizeof o->division_level, "admin_village");
}

sg_plan_options *sg_plan_options_new(void)
{
    sg_plan_options *o = malloc(sizeof *o);
    if (o)
        plan_defaults(o);
    return o;
}

/* NULL is a no-op. */
void sg_plan_options_free(sg_plan_options *opts)
{
    free(opts);
}

/* NULL: every unit; otherwise 1..MAX_CODE characters, copied. */
sg_status sg_plan_options_set_division(sg_ctx *ctx, sg_plan_options *opts,
                                       const char *code)
{
    if (!code) {
        opts->division[0] = '\0';
        return SG_OK;
    }
    size_t n = strlen(code);
    if (n == 0 || n > MAX_CODE)
        return sg__error(ctx, SG_ERR_USAGE,
                         "a division or grid code has 1 to %d characters",
                         MAX_CODE);
    memcpy(opts->division, code, n + 1);
    return SG_OK;
}

/* One of the division levels of the schema. */
sg_status sg_plan_options_set_division_level(sg_ctx *ctx, sg_plan_options *opts,
                                             const char *level)
{
    static const char *const levels[] = {"county", "township", "admin_village",
                                         "natural_village", "group"};
    for (size_t i = 0; i < sizeof levels / sizeof levels[0]; i++)
        if (level && strcmp(level, levels[i]) == 0) {
            snprintf(opts->division_level, sizeof opts->division_level, "%s",
                     level);
            return SG_OK;
        }
    return sg__error(ctx, SG_ERR_USAGE,
                     "unknown division level '%s' (county, township, "
                     "admin_village, natural_village, group)",
                     level ? level : "");
}

/* 1 or 2; anything else is SG_ERR_USAGE and leaves opts as it was. */
sg_status sg_plan_options_set_level(sg_ctx *ctx, sg_plan_options *opts,
                                    int level)
{
    if (level != 1 && level != 2)
        return sg__error(ctx, SG_ERR_USAGE,
                         "grid level must be 1 (village -> grids) or 2 "
                         "(grid -> micro-grids), not %d",
                         level);
    opts->level = level;
    return SG_OK;
}

/* 0 restores the default (from households per grid). */
sg_status sg_plan_options_set_grids(sg_ctx *ctx, sg_plan_options *opts, int n)
{
    if (n < 0)
        return sg__error(ctx, SG_ERR_USAGE,
                         "grids per unit must be a whole number > 0 (0 = from "
                         "households per grid), not %d",
                         n);
    opts->grids = n;
    return SG_OK;
}

/* 0 restores the default (the setting). */
sg_status sg_plan_options_set_households_per_grid(sg_ctx *ctx,
                                                  sg_plan_options *opts,
                                                  double h)
{
    if (!(h >= 0) || !isfinite(h))
        return sg__error(ctx, SG_ERR_USAGE,
                         "households per grid must be a number > 0 (0 = the "
                         "setting grid.target_households.max), not %g",
                         h);
    opts->per_grid = h;
    return SG_OK;
}

/* SG_BALANCE_HOUSEHOLDS or SG_BALANCE_RESIDENTS. */
sg_status sg_plan_options_set_balance(sg_ctx *ctx, sg_plan_options *opts,
                                      sg_balance balance)
{
    if (balance == SG_BALANCE_HOUSEHOLDS)
        opts->residents = 0;
    else if (balance == SG_BALANCE_RESIDENTS)
        opts->residents = 1;
    else {
        const char *name = sg_balance_to_string(balance);
        return sg__error(ctx, SG_ERR_USAGE,
                         "--balance takes households or residents, not '%s'",
                         name ? name : "?");
    }
    return SG_OK;
}

/* Frees every string, the arrays and \p r; NULL is a no-op. */
void sg_plan_result_free(sg_plan_result *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->nunits; i++) {
        free(r->units[i].code);
        free(r->units[i].name);
        free(r->units[i].division_code);
        free(r->units[i].note);
    }
    for (size_t i = 0; i < r->ngrids; i++) {
        free(r->grids[i].code);
        free(r->grids[i].parent_code);
        free(r->grids[i].division_code);
        free(r->grids[i].name);
    }
    free(r->units);
    free(r->grids);
    free(r);
}

/* ---- what is read ------------------------------------------------------- */

/* A growable array of doubles. */
typedef struct dvec {
    double *v;
    size_t n, cap;
} dvec;

/* A growable array of indices. */
typedef struct zvec {
    size_t *v;
    size_t n, cap;
} zvec;

/* A unit to plan and what belongs to it. */
typedef struct unit {
    char *code, *name, *division; /* owned (name may be NULL) */
    unsigned char *wkb;           /* owned */
    size_t wkb_size;
    dvec hx, hy, hres; /* its households */
    zvec roads;        /* indices into planner.road_* */
    zvec existing;     /* indices into planner.grids */
    int ngrids;        /* N */
    char note[512];    /* before planning (N reduced, ...) */
    sg__plan_job job;
    sg__plan_out out;
    sg_status st;             /* of its planning */
    char err[SG_ERRMSG_SIZE]; /* its failure message */
    sg__logbuf log;           /* messages logged planning it */
} unit;

/* Everything one run holds. */
typedef struct planner {
    sg_ctx *ctx;
    GEOSContextHandle_t h;
    sg_store *store;
    const sg_plan_options *o;
    double per_grid;  /* H used */
    double bound;     /* setting plan.balance_bound */
    double clearance; /* setting plan.clearance_m */
    unit *units;
    size_t nunits, capunits;
    sg__geomset uset;    /* unit polygons (main thread only); i <-> units[i] */
    sg__grid_rows grids; /* layer grids (also the units at level 2) */
    unsigned char **road_wkb; /* owned */
    size_t *road_size;
    size_t nroads, caproads;
    sg__idlist cand;
    /* the parallel part */
    pthread_mutex_t lock;
    size_t next, done;
    int stop;        /* set under lock: cancelled or failed */
    size_t nthreads; /* threads that planned units (for -v) */
} planner;

/* Append \p x to \p v. */
static sg_status dvec_push(sg_ctx *ctx, dvec *v, double x)
{
    if (v->n == v->cap) {
        size_t nc = v->cap ? v->cap * 2 : 16;
        double *nv = realloc(v->v, nc * sizeof *nv);
        if (!nv)
            return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        v->v = nv;
        v->cap = nc;
    }
    v->v[v->n++] = x;
    return SG_OK;
}

/* Append \p x to \p v. */
static sg_status zvec_push(sg_ctx *ctx, zvec *v, size_t x)
{
    if (v->n == v->cap) {
        size_t nc = v->cap ? v->cap * 2 : 16;
        size_t *nv = realloc(v->v, nc * sizeof *nv);
        if (!nv)
            return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        v->v = nv;
        v->cap = nc;
    }
    v->v[v->n++] = x;
    return SG_OK;
}

/* Add a unit (strings copied; \p wkb copied) and its polygon to the
 * unit set. Rows without a usable polygon are skipped with a warning. */
static sg_status add_unit(planner *p, const char *code, const char *name,
                          const char *division, const unsigned char *wkb,
                          size_t wkb_size)
{
    sg_ctx *ctx = p->ctx;
    if (!wkb) {
        sg__log(ctx, SG_LOG_WARN, "%s has no geometry: not planned", code);
        return SG_OK;
    }
    GEOSGeometry *g = sg__geom_from_wkb(ctx, wkb, wkb_size);
    if (g && GEOSisValid_r(p->h, g) != 1) {
        GEOSGeometry *v = GEOSMakeValid_r(p->h, g);
        GEOSGeom_destroy_r(p->h, g);
        g = v;
    }
    g = sg__geom_polygonal(ctx, g, 0);
    if (!g)
        return sg__error_prefix(ctx, "%s: ", code);
    if (GEOSisEmpty_r(p->h, g) == 1) {
        GEOSGeom_destroy_r(p->h, g);
        sg__log(ctx, SG_LOG_WARN, "%s has no area: not planned", code);
        return SG_OK;
    }
    if (p->nunits == p->capunits) {
        size_t nc = p->capunits ? p->capunits * 2 : 64;
        unit *nu = realloc(p->units, nc * sizeof *nu);
        if (!nu) {
            GEOSGeom_destroy_r(p->h, g);
            return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        }
        p->units = nu;
        p->capunits = nc;
    }
    unit *u = &p->units[p->nunits++];
    memset(u, 0, sizeof *u);
    u->code = sg__strdup(ctx, code);
    u->name = name ? sg__strdup(ctx, name) : NULL;
    u->division = division ? sg__strdup(ctx, division) : NULL;
    u->wkb = malloc(wkb_size);
    if (!u->code || (name && !u->name) || (division && !u->division) ||
        !u->wkb) {
        GEOSGeom_destroy_r(p->h, g);
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    }
    memcpy(u->wkb, wkb, wkb_size);
    u->wkb_size = wkb_size;
    return sg__geomset_add(ctx, &p->uset, g);
}

/* sg__store_scan callback for divisions: division_code, name, geom. */
static sg_status division_row(sg__row *row, void *user)
{
    planner *p = user;
    int oom = 0;
    char *code = sg__row_text_trimmed(p->ctx, row, 0, &oom),
         *name = sg__row_text_trimmed(p->ctx, row, 1, &oom);
    sg_status st =
        oom ? sg__error(p->ctx, SG_ERR_NOMEM, "out of memory") : SG_OK;
    if (st == SG_OK && code)
        st = add_unit(p, code, name, code, sg__row_blob(row, 2),
                      sg__row_bytes(row, 2));
    free(code);
    free(name);
    return st;
}

/* \return 1 if \p a and \p b are both set and equal. */
static int same(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

/* Read the units: divisions (level 1) or level-1 grids (level 2), and
 * every grid (for the comparison). */
static sg_status read_units(planner *p)
{
    const sg_plan_options *o = p->o;
    static const char *const dcols[] = {"division_code", "name"};
    sg_status st = sg__grid_rows_read(p->ctx, p->store, &p->grids);
    if (st)
        return st;
    if (o->level == 1) {
        st = o->division[0]
                 ? sg__store_scan(p->ctx, p->store, "divisions", dcols, 2, 1,
                                  "division_code", o->division, division_row, p)
                 : sg__store_scan(p->ctx, p->store, "divisions", dcols, 2, 1,
                                  "level", o->division_level, division_row, p);
    } else {
        for (size_t i = 0; st == SG_OK && i < p->grids.n; i++) {
            const sg__grid_row *g = &p->grids.v[i];
            if (g->level != 1 || !g->code)
                continue;
            if (o->division[0] && !same(g->code, o->division) &&
                !same(g->division, o->division))
                continue;
            st =
                add_unit(p, g->code, g->name, g->division, g->wkb, g->wkb_size);
        }
    }
    if (st == SG_OK && p->nunits == 0) {
        /* one call per message, so that xgettext sees each format */
        if (o->division[0] && o->level == 1)
            st = sg__error(p->ctx, SG_ERR_NOT_FOUND,
                           "no division %s with a polygon in %s", o->division,
                           sg_store_path(p->store));
        else if (o->division[0])
            st = sg__error(p->ctx, SG_ERR_NOT_FOUND,
                           "no level-1 grid %s (nor a division with "
                           "level-1 grids of that code) in %s",
                           o->division, sg_store_path(p->store));
        else if (o->level == 1)
            st = sg__error(p->ctx, SG_ERR_INPUT,
                           "%s has no divisions of level %s to plan",
                           sg_store_path(p->store), o->division_level);
        else
            st = sg__error(p->ctx, SG_ERR_INPUT,
                           "%s has no level-1 grids to divide",
                           sg_store_path(p->store));
    }
    /* the existing grids of each unit */
    for (size_t i = 0; st == SG_OK && i < p->grids.n; i++) {
        const sg__grid_row *g = &p->grids.v[i];
        if (!g->wkb || g->level != o->level)
            continue;
        const char *owner = o->level == 1 ? g->division : g->parent;
        for (size_t k = 0; st == SG_OK && k < p->nunits; k++)
            if (same(owner, p->units[k].code))
                st = zvec_push(p->ctx, &p->units[k].existing, i);
    }
    return st;
}

/* The box of every unit together into \p box; \return 1 if there are
 * units. */
static int units_box(planner *p, double box[4])
{
    box[0] = box[1] = INFINITY;
    box[2] = box[3] = -INFINITY;
    for (size_t i = 0; i < p->nunits; i++) {
        double x0, y0, x1, y1;
        const GEOSGeometry *g = sg__geomset_get(&p->uset, i);
        if (!g || !GEOSGeom_getExtent_r(p->h, g, &x0, &y0, &x1, &y1))
            continue;
        box[0] = fmin(box[0], x0);
        box[1] = fmin(box[1], y0);
        box[2] = fmax(box[2], x1);
        box[3] = fmax(box[3], y1);
    }
    return box[0] <= box[2];
}

/* sg__store_scan_window callback for households: resident_population,
 * geom. Each household joins every unit that holds it. */
static sg_status household_row(sg__row *row, void *user)
{
    planner *p = user;
    double x, y;
    if (!sg__wkb_point(sg__row_blob(row, 1), sg__row_bytes(row, 1), &x, &y))
        return SG_OK;
    double res = sg__row_is_null(row, 0) ? 0 : sg__row_double(row, 0);
    GEOSGeometry *pt = GEOSGeom_createPointFromXY_r(p->h, x, y);
    if (!pt)
        return sg__geos_error(p->ctx, "household point");
    sg_status st = sg__geomset_query(p->ctx, &p->uset, pt, 0, &p->cand);
    for (size_t k = 0; st == SG_OK && k < p->cand.n; k++) {
        size_t i = p->cand.v[k];
        const GEOSPreparedGeometry *pg =
            sg__geomset_prepared(p->ctx, &p->uset, i);
        char in = pg ? GEOSPreparedIntersects_r(p->h, pg, pt) : 2;
        if (in == 2) {
            st = sg__geos_error(p->ctx, "household in a unit");
        } else if (in == 1) {
            unit *u = &p->units[i];
            st = dvec_push(p->ctx, &u->hx, x);
            if (st == SG_OK)
                st = dvec_push(p->ctx, &u->hy, y);
            if (st == SG_OK)
                st = dvec_push(p->ctx, &u->hres, res > 0 ? res : 0);
        }
    }
    GEOSGeom_destroy_r(p->h, pt);
    return st;
}

/* sg__store_scan_window callback for roads: geom. A road joins every
 * unit whose box its box meets (the unit clips it). */
static sg_status road_row(sg__row *row, void *user)
{
    planner *p = user;
    const void *wkb = sg__row_blob(row, 0);
    int n = (int)sg__row_bytes(row, 0);
    if (!wkb || n <= 0)
        return SG_OK;
    GEOSGeometry *g = sg__geom_from_wkb(p->ctx, wkb, (size_t)n);
    if (!g)
        return sg__error_prefix(p->ctx, "a road: ");
    sg_status st = sg__geomset_query(p->ctx, &p->uset, g, 0, &p->cand);
    GEOSGeom_destroy_r(p->h, g);
    if (st || p->cand.n == 0)
        return st;
    if (p->nroads == p->caproads) {
        size_t nc = p->caproads ? p->caproads * 2 : 256;
        unsigned char **nw = realloc(p->road_wkb, nc * sizeof *nw);
        if (nw)
            p->road_wkb = nw;
        size_t *ns = nw ? realloc(p->road_size, nc * sizeof *ns) : NULL;
        if (!ns)
            return sg__error(p->ctx, SG_ERR_NOMEM, "out of memory");
        p->road_size = ns;
        p->caproads = nc;
    }
    unsigned char *copy = malloc((size_t)n);
    if (!copy)
        return sg__error(p->ctx, SG_ERR_NOMEM, "out of memory");
    memcpy(copy, wkb, (size_t)n);
    size_t r = p->nroads++;
    p->road_wkb[r] = copy;
    p->road_size[r] = (size_t)n;
    for (size_t k = 0; st == SG_OK && k < p->cand.n; k++)
        st = zvec_push(p->ctx, &p->units[p->cand.v[k]].roads, r);
    return st;
}

/* ---- planning ----------------------------------------------------------- */

/* The number of grids of each unit and its job. */
static sg_status prepare_jobs(planner *p)
{
    const sg_plan_options *o = p->o;
    int maxseq = o->level == 1 ? 999 : 99;
    for (size_t i = 0; i < p->nunits; i++) {
        unit *u = &p->units[i];
        size_t nhh = u->hx.n;
        double n = o->grids > 0 ? (double)o->grids
                                : ceil((double)nhh / p->per_grid - 1e-9);
        if (n < 1)
            n = 1;
        if (n > maxseq)
            return sg__error(p->ctx, SG_ERR_INPUT,
                             "%s would need %.0f grids; level-%d codes have "
                             "room for %d (ask for fewer or larger grids)",
                             u->code, n, o->level, maxseq);
        if (n > 1 && n > (double)nhh && !o->division[0]) {
            snprintf(u->note, sizeof u->note,
                     "%zu household%s cannot fill %.0f grids: planned %zu", nhh,
                     nhh == 1 ? "" : "s", n, nhh ? nhh : 1);
            n = nhh ? (double)nhh : 1;
        }
        size_t want = o->level == 1 ? 12 : 15, len = strlen(u->code);
        int digits = len == want;
        for (size_t k = 0; digits && k < len; k++)
            digits = u->code[k] >= '0' && u->code[k] <= '9';
        if (!digits && !u->note[0])
            snprintf(u->note, sizeof u->note,
                     "%s is not a %zu-digit %s code, so the grid codes made "
                     "from it do not follow grid.id_format",
                     u->code, want, o->level == 1 ? "division" : "grid");
        u->ngrids = (int)n;
        u->job.wkb = u->wkb;
        u->job.wkb_size = u->wkb_size;
        u->job.nhh = nhh;
        u->job.hx = u->hx.v;
        u->job.hy = u->hy.v;
        u->job.hres = u->hres.v;
        u->job.nroads = u->roads.n;
        u->job.ngrids = u->ngrids;
        u->job.residents = o->residents;
        u->job.balance_bound = p->bound;
        u->job.clearance_m = p->clearance;
        u->job.nexisting = u->existing.n;
        /* the WKB arrays are made when the unit is planned (plan_one) */
        u->job.road_wkb = NULL;
        u->job.road_size = NULL;
        u->job.ex_wkb = NULL;
        u->job.ex_size = NULL;
    }
    return SG_OK;
}

/* The pointer arrays of one job into the planner's road and grid WKB
 * (borrowed), made just before the unit is planned and freed after, so
 * that only the units being planned hold them. */
typedef struct job_arrays {
    const unsigned char **road_wkb, **ex_wkb;
    size_t *road_size, *ex_size;
} job_arrays;

/* Fill \p a for unit \p u (caller frees the four arrays). */
static sg_status job_arrays_fill(planner *p, unit *u, job_arrays *a)
{
    size_t nr = u->roads.n, ne = u->existing.n;
    a->road_wkb = malloc((nr ? nr : 1) * sizeof *a->road_wkb);
    a->road_size = malloc((nr ? nr : 1) * sizeof *a->road_size);
    a->ex_wkb = malloc((ne ? ne : 1) * sizeof *a->ex_wkb);
    a->ex_size = malloc((ne ? ne : 1) * sizeof *a->ex_size);
    if (!a->road_wkb || !a->road_size || !a->ex_wkb || !a->ex_size)
        return SG_ERR_NOMEM;
    for (size_t k = 0; k < nr; k++) {
        a->road_wkb[k] = p->road_wkb[u->roads.v[k]];
        a->road_size[k] = p->road_size[u->roads.v[k]];
    }
    for (size_t k = 0; k < ne; k++) {
        a->ex_wkb[k] = p->grids.v[u->existing.v[k]].wkb;
        a->ex_size[k] = p->grids.v[u->existing.v[k]].wkb_size;
    }
    u->job.road_wkb = a->road_wkb;
    u->job.road_size = a->road_size;
    u->job.ex_wkb = a->ex_wkb;
    u->job.ex_size = a->ex_size;
    return SG_OK;
}

/* Free the arrays of \p a. */
static void job_arrays_free(job_arrays *a)
{
    free(a->road_wkb);
    free(a->road_size);
    free(a->ex_wkb);
    free(a->ex_size);
}

/* Plan unit \p u with \p ctx, keeping its status and message. */
static void plan_one(planner *p, sg_ctx *ctx, unit *u)
{
    job_arrays a = {0};
    if (job_arrays_fill(p, u, &a) != SG_OK) {
        u->st = SG_ERR_NOMEM;
        snprintf(u->err, sizeof u->err, "out of memory");
    } else {
        sg_ctx_clear_error(ctx);
        /* messages are passed on in unit order once all are planned */
        sg_log_fn log_fn = ctx->log_fn;
        void *log_user = ctx->log_user;
        if (p->ctx->log_fn) {
            ctx->log_fn = sg__logbuf_collect;
            ctx->log_user = &u->log;
        }
        u->st = sg__plan_unit(ctx, &u->job, &u->out);
        ctx->log_fn = log_fn;
        ctx->log_user = log_user;
        if (u->st)
            snprintf(u->err, sizeof u->err, "%s", sg_ctx_errmsg(ctx));
    }
    job_arrays_free(&a);
    u->job.road_wkb = u->job.ex_wkb = NULL;
    u->job.road_size = u->job.ex_size = NULL;
}

/* Take the next unit to plan, or -1 when done or stopped. When
 * \p finished >= 0, that unit has just been planned: a failure that
 * stops the run is noted. */
static long take_next(planner *p, long finished)
{
    pthread_mutex_lock(&p->lock);
    if (finished >= 0) {
        p->done++;
        const unit *u = &p->units[finished];
        /* a unit without room for its grids is skipped in a run over
         * every unit; anything else stops the run */
        if (u->st && (p->o->division[0] || u->st != SG_ERR_INPUT))
            p->stop = 1;
    }
    long r = -1;
    if (!p->stop && p->next < p->nunits)
        r = (long)p->next++;
    pthread_mutex_unlock(&p->lock);
    return r;
}

/* A worker thread's context and its planner. */
typedef struct worker {
    planner *p;
    sg_ctx *ctx; /* owned */
    pthread_t th;
    int running;
} worker;

/* Thread entry: plan units until none is left. */
static void *worker_main(void *arg)
{
    worker *w = arg;
    long u = take_next(w->p, -1);
    while (u >= 0) {
        plan_one(w->p, w->ctx, &w->p->units[u]);
        u = take_next(w->p, u);
    }
    return NULL;
}

/* Plan every unit: helper threads and the caller's thread take units in
 * turn; the caller's thread reports progress. */
static sg_status plan_all(planner *p)
{
    size_t nthreads = (size_t)sg__threads(MAX_THREADS);
    if (nthreads > p->nunits)
        nthreads = p->nunits;
    p->nthreads = nthreads;
    worker w[MAX_THREADS];
    memset(w, 0, sizeof w);
    if (pthread_mutex_init(&p->lock, NULL) != 0)
        return sg__error(p->ctx, SG_ERR_INTERNAL, "cannot create a lock");
    for (size_t t = 1; t < nthreads; t++) {
        w[t].p = p;
        if (!(w[t].ctx = sg_ctx_new()))
            break;
        w[t].ctx->log_level = p->ctx->log_level;
        w[t].running = pthread_create(&w[t].th, NULL, worker_main, &w[t]) == 0;
    }
    sg_status st = SG_OK;
    long u = take_next(p, -1);
    while (u >= 0) {
        plan_one(p, p->ctx, &p->units[u]);
        pthread_mutex_lock(&p->lock);
        double frac = (double)(p->done + 1) / (double)p->nunits;
        pthread_mutex_unlock(&p->lock);
        if (st == SG_OK && (st = sg__progress(p->ctx, frac, "planning"))) {
            pthread_mutex_lock(&p->lock);
            p->stop = 1;
            pthread_mutex_unlock(&p->lock);
        }
        u = take_next(p, u);
    }
    for (size_t t = 1; t < nthreads; t++) {
        if (w[t].running)
            pthread_join(w[t].th, NULL);
        sg_ctx_free(w[t].ctx);
    }
    pthread_mutex_destroy(&p->lock);
    for (size_t i = 0; i < p->nunits; i++)
        sg__logbuf_replay(p->ctx, &p->units[i].log);
    if (st)
        return st;
    for (size_t i = 0; i < p->nunits; i++) {
        const unit *un = &p->units[i];
        if (un->st && (p->o->division[0] || un->st != SG_ERR_INPUT))
            return sg__error(p->ctx, un->st, "%s: %s", un->code, un->err);
    }
    if (p->done < p->nunits)
        return sg__error(p->ctx, SG_ERR_NOMEM,
                         "not every unit was planned (out of memory?)");
    return SG_OK;
}

/* ---- writing ------------------------------------------------------------ */

static const sg__column out_cols[] = {
    {"grid_code", "TEXT"},     {"name", "TEXT"},
    {"level", "INTEGER"},      {"parent_code", "TEXT"},
    {"division_code", "TEXT"}, {"grid_leader", "TEXT"},
    {"households", "INTEGER"}, {"residents", "INTEGER"},
    {"area_m2", "REAL"},       {"perimeter_m", "REAL"},
    {"polsby_popper", "REAL"}, {"parts", "INTEGER"},
};
#define NCOLS (sizeof out_cols / sizeof out_cols[0])

/* The result's units and grids from the planned units. */
static sg_status fill_result(planner *p, sg_plan_result *r)
{
    sg_ctx *ctx = p->ctx;
    size_t ng = 0;
    for (size_t i = 0; i < p->nunits; i++)
        ng += p->units[i].out.ncells;
    r->units = calloc(p->nunits ? p->nunits : 1, sizeof *r->units);
    r->grids = calloc(ng ? ng : 1, sizeof *r->grids);
    if (!r->units || !r->grids)
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    double ppsum = 0;
    for (size_t i = 0; i < p->nunits; i++) {
        const unit *u = &p->units[i];
        sg_plan_unit *ru = &r->units[r->nunits++];
        ru->code = sg__strdup(ctx, u->code);
        ru->name = u->name ? sg__strdup(ctx, u->name) : NULL;
        ru->division_code = sg__strdup(ctx, u->division ? u->division : "");
        const char *later = u->st ? u->err : u->out.note;
        ru->note = u->note[0] && later[0]
                       ? sg__aprintf("%s; %s", u->note, later)
                   : u->note[0] ? sg__strdup(ctx, u->note)
                   : later[0]   ? sg__strdup(ctx, later)
                                : NULL;
        if (!ru->code || (u->name && !ru->name) || !ru->division_code ||
            ((u->note[0] || later[0]) && !ru->note))
            return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        ru->households = (long long)u->hx.n;
        ru->residents = u->out.residents;
        ru->grids = u->ngrids;
        ru->target = u->out.target;
        ru->blocks = u->out.blocks;
        ru->voronoi_faces = u->out.voronoi_faces;
        ru->islands = u->out.islands;
        ru->households_near_boundary = u->out.near_boundary;
        ru->planned = u->out.planned;
        ru->existing = u->out.existing;
        ru->balanced = u->out.ncells && u->out.planned.max_mean <= p->bound;
        ru->first_grid = r->ngrids;
        ru->ngrids = u->out.ncells;
        for (size_t k = 0; k < u->out.ncells; k++) {
            const sg__plan_cell *c = &u->out.cells[k];
            sg_plan_grid *g = &r->grids[r->ngrids++];
            g->code = p->o->level == 1 ? sg__aprintf("%s%03zu", u->code, k + 1)
                                       : sg__aprintf("%s%02zu", u->code, k + 1);
            g->parent_code = sg__strdup(ctx, u->code);
            g->division_code =
                u->division ? sg__strdup(ctx, u->division) : NULL;
            g->name =
                sg__aprintf("%s %s%zu%s", u->name ? u->name : u->code, "第",
                            k + 1, p->o->level == 1 ? "网格" : "微网格");
            if (!g->code || !g->parent_code || !g->name ||
                (u->division && !g->division_code))
                return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
            g->households = c->households;
            g->residents = c->residents;
            g->area_m2 = c->area;
            g->perimeter_m = c->perimeter;
            g->polsby_popper = c->pp;
            g->parts = c->parts;
            g->island_parts = c->island_parts;
            r->not_contiguous += c->parts - c->island_parts > 1;
            ppsum += c->pp;
        }
        r->households += ru->households;
        r->blocks += ru->blocks;
        r->households_near_boundary += ru->households_near_boundary;
        if (ru->ngrids && !ru->balanced)
            r->unbalanced++;
        if (ru->ngrids && ru->planned.max_mean > r->max_mean)
            r->max_mean = ru->planned.max_mean;
    }
    r->mean_pp = r->ngrids ? ppsum / (double)r->ngrids : 0;
    return SG_OK;
}

/* Bind \p s (NULL: NULL) to parameter \p i. */
static void bind_text(sg__insert *st, int i, const char *s)
{
    if (s)
        sg__insert_text(st, i, s);
    else
        sg__insert_null(st, i);
}

/* Write layer planned_grids (inside the caller's transaction). */
static sg_status write_layer(planner *p, const sg_plan_result *r)
{
    sg__insert *ins = NULL;
    sg_status st = sg__store_create_result(p->ctx, p->store, "planned_grids",
                                           "MULTIPOLYGON", out_cols, NCOLS,
                                           "网格划分方案", "Planned grids");
    if (st == SG_OK)
        st = sg__store_prepare_result_insert(p->ctx, p->store, "planned_grids",
                                             out_cols, NCOLS, 1, &ins);
    for (size_t i = 0; st == SG_OK && i < r->nunits; i++) {
        const sg_plan_unit *ru = &r->units[i];
        const unit *u = &p->units[i];
        for (size_t k = 0; st == SG_OK && k < ru->ngrids; k++) {
            const sg_plan_grid *g = &r->grids[ru->first_grid + k];
            const sg__plan_cell *c = &u->out.cells[k];
            int col = 1;
            bind_text(ins, col++, g->code);
            bind_text(ins, col++, g->name);
            sg__insert_int(ins, col++, r->level);
            bind_text(ins, col++, g->parent_code);
            bind_text(ins, col++, g->division_code);
            sg__insert_null(ins, col++);
            sg__insert_int64(ins, col++, g->households);
            sg__insert_int64(ins, col++, g->residents);
            sg__insert_double(ins, col++, g->area_m2);
            sg__insert_double(ins, col++, g->perimeter_m);
            sg__insert_double(ins, col++, g->polsby_popper);
            sg__insert_int(ins, col++, g->parts);
            sg__insert_blob(ins, col, c->wkb, c->wkb_size);
            st = sg__insert_step(p->ctx, p->store, ins);
        }
    }
    sg__insert_free(ins);
    return st;
}

/* Record the run in `runs`. */
static sg_status record(planner *p, const sg_plan_result *r, double secs)
{
    const sg_plan_options *o = p->o;
    sg_json a, n;
    sg_json_begin(&a, NULL);
    sg_json_object(&a, NULL);
    sg_json_int(&a, "level", o->level);
    sg_json_str(&a, "division", o->division[0] ? o->division : NULL);
    sg_json_str(&a, "division_level", o->division_level);
    sg_json_str(&a, "balance", r->balance);
    sg_json_int(&a, "grids", o->grids);
    sg_json_num(&a, "households_per_grid",
                round(r->households_per_grid * 1e4) / 1e4);
    sg_json_end_object(&a);
    sg_json_begin(&n, NULL);
    sg_json_object(&n, NULL);
    sg_json_int(&n, "units", (long long)r->nunits);
    sg_json_int(&n, "grids", (long long)r->ngrids);
    sg_json_int(&n, "households", r->households);
    sg_json_int(&n, "blocks", r->blocks);
    sg_json_int(&n, "unbalanced", r->unbalanced);
    sg_json_int(&n, "not_contiguous", r->not_contiguous);
    sg_json_int(&n, "households_near_boundary", r->households_near_boundary);
    sg_json_num(&n, "max_mean", round(r->max_mean * 1e4) / 1e4);
    sg_json_num(&n, "mean_polsby_popper", round(r->mean_pp * 1e4) / 1e4);
    sg_json_end_object(&n);
    return sg__store_record_run_json(p->ctx, p->store, "plan", &a, &n, secs);
}

/* Free everything \p p holds. */
static void planner_cleanup(planner *p)
{
    for (size_t i = 0; i < p->nunits; i++) {
        unit *u = &p->units[i];
        free(u->code);
        free(u->name);
        free(u->division);
        free(u->wkb);
        free(u->hx.v);
        free(u->hy.v);
        free(u->hres.v);
        free(u->roads.v);
        free(u->existing.v);
        sg__plan_out_cleanup(&u->out);
        sg__logbuf_cleanup(&u->log);
    }
    free(p->units);
    sg__grid_rows_free(&p->grids);
    for (size_t i = 0; i < p->nroads; i++)
        free(p->road_wkb[i]);
    free(p->road_wkb);
    free(p->road_size);
    sg__geomset_cleanup(&p->uset);
    sg__idlist_cleanup(&p->cand);
}

/* Seconds on a monotonic clock. */
static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Log the seconds of each planning phase summed over the units (so over
 * the threads: together they exceed the wall time of planning). */
static void log_phases(planner *p)
{
    double t[SG__PLAN_NT] = {0};
    long long blocks = 0, in_part = 0;
    for (size_t i = 0; i < p->nunits; i++) {
        for (int k = 0; k < SG__PLAN_NT; k++)
            t[k] += p->units[i].out.secs[k];
        blocks += p->units[i].out.blocks;
        in_part += p->units[i].out.noded_in_part;
    }
    sg__log(p->ctx, SG_LOG_DEBUG,
            "plan phases (CPU s, summed over %zu threads): roads clipped "
            "%.2f, noding %.2f, polygonizing %.2f, households located %.2f, "
            "midlines %.2f, adjacency %.2f, weak links %.2f, METIS %.2f, "
            "refinement %.2f, dissolving %.2f, figures %.2f, near "
            "boundaries %.2f, existing grids %.2f; %zu units, %lld blocks; "
            "%lld units noded without their inside midlines",
            p->nthreads, t[SG__PLAN_T_LINES], t[SG__PLAN_T_NODE],
            t[SG__PLAN_T_POLY], t[SG__PLAN_T_LOCATE], t[SG__PLAN_T_MIDLINES],
            t[SG__PLAN_T_PAIRS], t[SG__PLAN_T_LINKS], t[SG__PLAN_T_METIS],
            t[SG__PLAN_T_REFINE], t[SG__PLAN_T_DISSOLVE], t[SG__PLAN_T_MEASURE],
            t[SG__PLAN_T_NEAR], t[SG__PLAN_T_EXISTING], p->nunits, blocks,
            in_part);
}

/* Households per grid: the option, else the setting (a fifth of it for
 * micro-grids). */
static sg_status households_per_grid(planner *p, double *h)
{
    if (p->o->per_grid > 0) {
        *h = p->o->per_grid;
        return SG_OK;
    }
    sg_status st = sg_setting_get_double(p->ctx, p->store,
                                         "grid.target_households.max", h);
    if (st == SG_OK && p->o->level == 2)
        *h /= 5;
    if (st == SG_OK && !(*h > 0))
        st = sg__error(p->ctx, SG_ERR_INPUT,
                       "setting grid.target_households.max must be > 0");
    return st;
}

/* The settings of the plan's policy: the balance bound (a unit is
 * balanced when its largest grid holds at most this times the mean; at
 * least 1) and the clearance between boundaries and houses (> 0). */
static sg_status policy_settings(planner *p)
{
    sg_status st = sg_setting_get_double(p->ctx, p->store, "plan.balance_bound",
                                         &p->bound);
    if (st == SG_OK)
        st = sg_setting_get_double(p->ctx, p->store, "plan.clearance_m",
                                   &p->clearance);
    if (st == SG_OK && !(p->bound >= 1))
        st = sg__error(p->ctx, SG_ERR_INPUT,
                       "setting plan.balance_bound must be >= 1, not %g",
                       p->bound);
    if (st == SG_OK && !(p->clearance > 0))
        st = sg__error(p->ctx, SG_ERR_INPUT,
                       "setting plan.clearance_m must be > 0, not %g",
                       p->clearance);
    return st;
}

/* Read everything the units need. */
static sg_status read_all(planner *p)
{
    static const char *const hcols[] = {"resident_population"};
    double box[4];
    sg_status st = read_units(p);
    int windowed = p->o->division[0] && units_box(p, box);
    if (st == SG_OK)
        st = sg__progress(p->ctx, 0.3, "households");
    if (st == SG_OK)
        st = sg__store_scan_window(p->ctx, p->store, "households", hcols, 1,
                                   windowed ? box : NULL, household_row, p);
    if (st == SG_OK)
        st = sg__progress(p->ctx, 0.7, "roads");
    if (st == SG_OK)
        st = sg__store_scan_window(p->ctx, p->store, "roads", NULL, 0,
                                   windowed ? box : NULL, road_row, p);
    return st;
}

/* Read, plan in parallel, write planned_grids and the run in one
 * transaction (rolled back on failure); see plan.h. */
sg_status sg_plan(sg_ctx *ctx, sg_store *store, const sg_plan_options *opts,
                  sg_plan_result **result)
{
    if (result)
        *result = NULL;
    if (!ctx)
        return SG_ERR_USAGE;
    if (!store || !result)
        return sg__error(ctx, SG_ERR_USAGE,
                         "sg_plan: store and result are required");
    sg_plan_options defaults;
    if (!opts) {
        plan_defaults(&defaults);
        opts = &defaults;
    }
    double t0 = now_seconds(), saved[2];
    planner p;
    memset(&p, 0, sizeof p);
    p.ctx = ctx;
    p.h = ctx->geom;
    p.store = store;
    p.o = opts;
    sg__geomset_init(&p.uset, ctx, 1);
    sg_plan_result *r = calloc(1, sizeof *r);
    int in_tx = 0;
    sg_status st = r ? sg__store_check_writable(ctx, store)
                     : sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    /* inputs are read inside the transaction that writes the results */
    if (st == SG_OK && (st = sg__store_begin(ctx, store)) == SG_OK)
        in_tx = 1;
    if (st == SG_OK && !sg_store_srid(store))
        st = sg__error(ctx, SG_ERR_INPUT,
                       "store %s has no data yet (import divisions, "
                       "households and roads first)",
                       sg_store_path(store));
    if (st == SG_OK)
        st = households_per_grid(&p, &p.per_grid);
    if (st == SG_OK)
        st = policy_settings(&p);
    if (st)
        goto done;
    r->balance_bound = p.bound;
    r->clearance_m = p.clearance;
    r->level = opts->level;
    r->balance = sg_balance_to_string(opts->residents ? SG_BALANCE_RESIDENTS
                                                      : SG_BALANCE_HOUSEHOLDS);
    r->households_per_grid = opts->grids > 0 ? 0 : p.per_grid;
    r->grids_per_unit = opts->grids;
    sg__progress_push(ctx, 0.0, 0.15, saved);
    st = read_all(&p);
    sg__progress_pop(ctx, saved);
    double t1 = now_seconds();
    if (st == SG_OK)
        st = prepare_jobs(&p);
    if (st == SG_OK) {
        sg__progress_push(ctx, 0.15, 0.9, saved);
        st = plan_all(&p);
        sg__progress_pop(ctx, saved);
    }
    double t2 = now_seconds();
    if (st == SG_OK)
        st = fill_result(&p, r);
    if (st == SG_OK)
        st = write_layer(&p, r);
    if (st == SG_OK)
        st = record(&p, r, now_seconds() - t0);
    if (st == SG_OK && (st = sg__store_commit(ctx, store)) == SG_OK)
        in_tx = 0;
    if (st == SG_OK) {
        sg__log(ctx, SG_LOG_DEBUG,
                "plan: read %.2f s, planned %.2f s, wrote %.2f s", t1 - t0,
                t2 - t1, now_seconds() - t2);
        log_phases(&p);
    }
    if (st == SG_OK)
        st = sg__progress(ctx, 1.0, "plan");
done:
    if (in_tx)
        sg__store_rollback(store);
    planner_cleanup(&p);
    if (st) {
        sg_plan_result_free(r);
        return st;
    }
    *result = r;
    return SG_OK;
}
