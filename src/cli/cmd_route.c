/* sanigrid route: vehicle routes. On a store, a thin layer over sg_route()
 * (collection routes per township, or inspection rounds with --tour);
 * benchmark mode (--vrp FILE) solves a CVRPLIB/TSPLIB instance with
 * sg_vrp_solve() and prints the routes.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

/* The --help text is docs/cli/route.md (STYLE rule 24). */

static int parse_count(const char *s, long long min, long long max,
                       long long *out)
{
    char *end = NULL;
    long long v = strtoll(s, &end, 10);
    if (end == s || *end || v < min || v > max)
        return 0;
    *out = v;
    return 1;
}

static int run_vrp(sg_ctx *ctx, const char *path, const sg_vrp_options *o,
                   const cli_common *common)
{
    int rc = CLI_EXIT_OK;
    sg_vrp *vrp = NULL;
    sg_vrp_solution *sol = NULL;
    if (sg_vrp_read(ctx, path, &vrp) || sg_vrp_solve(ctx, vrp, o, &sol)) {
        rc = cli_fail(ctx, "route");
        goto done;
    }
    if (common->json) {
        sg_json j;
        sg_json_begin(&j, stdout);
        sg_json_object(&j, NULL);
        sg_json_str(&j, "instance", sg_vrp_name(vrp));
        sg_json_str(&j, "method",
                    sg_vrp_options_method(o) == SG_VRP_SAVINGS ? "savings"
                                                               : "sisr");
        sg_json_num(&j, "cost", sol->cost);
        sg_json_array(&j, "routes");
        for (int r = 0; r < sol->n_routes; r++) {
            sg_json_array(&j, NULL);
            for (int k = sol->route_start[r]; k < sol->route_start[r + 1]; k++)
                sg_json_int(&j, NULL, sg_vrp_id(vrp, sol->stops[k]));
            sg_json_end_array(&j);
        }
        sg_json_end_array(&j);
        sg_json_int(&j, "vehicles", sol->n_routes);
        sg_json_num(&j, "seconds", sol->seconds);
        sg_json_int(&j, "iterations", sol->iterations);
        sg_json_int(&j, "seed", (long long)sg_vrp_options_seed(o));
        sg_json_bool(&j, "feasible", sol->feasible);
        sg_json_end_object(&j);
        sg_json_finish(&j);
    } else if (!common->quiet) {
        printf(_("%s: cost %.2f with %d vehicles in %.1f s (%s)\n"),
               *sg_vrp_name(vrp) ? sg_vrp_name(vrp) : path, sol->cost,
               sol->n_routes, sol->seconds,
               sol->feasible ? _("feasible") : _("INFEASIBLE"));
        for (int r = 0; r < sol->n_routes; r++) {
            double load = 0;
            printf(_("route %d:"), r + 1);
            for (int k = sol->route_start[r]; k < sol->route_start[r + 1];
                 k++) {
                printf(" %lld", sg_vrp_id(vrp, sol->stops[k]));
                load += sg_vrp_demand(vrp, sol->stops[k]);
            }
            printf(_("  (load %g)\n"), load);
        }
    }
    if (!sol->feasible)
        rc = CLI_EXIT_FAIL;
done:
    sg_vrp_solution_free(sol);
    sg_vrp_free(vrp);
    return rc;
}

static void json_area(sg_json *j, const sg_route_area *a, int tour)
{
    sg_json_object(j, NULL);
    sg_json_str(j, "division_code", a->code);
    sg_json_str(j, "name", a->name);
    sg_json_str(j, tour ? "start" : "depot", a->depot);
    sg_json_bool(j, "has_depot", a->has_depot);
    sg_json_int(j, "stops", a->stops);
    sg_json_int(j, "served", a->served);
    sg_json_int(j, "unserved", a->stops - a->served);
    sg_json_int(j, "unreachable", a->unreachable);
    if (!tour) {
        sg_json_int(j, "too_heavy", a->too_heavy);
        sg_json_int(j, "beyond_shift", a->beyond_shift);
        sg_json_int(j, "trips", a->routes);
        sg_json_int(j, "vehicles", a->vehicles);
        sg_json_int(j, "vehicles_short", a->vehicles_short);
        sg_json_num(j, "demand_kg", a->demand_kg);
    }
    sg_json_num(j, tour ? "km" : "km_per_day", a->km);
    sg_json_num(j, tour ? "hours" : "hours_per_day", a->minutes / 60);
    if (!tour) {
        sg_json_str(j, "plant", a->plant);
        if (isfinite(a->haul_km))
            sg_json_num(j, "haul_km", a->haul_km);
        else
            sg_json_null(j, "haul_km");
        sg_json_bool(j, "haul_far", a->haul_far);
    }
    sg_json_end_object(j);
}

/* One row of the text table: cells padded by display width. */
static void put_row(const char *const *cells, const int *width, int n)
{
    fputs("  ", stdout);
    for (int i = 0; i < n; i++) {
        if (i)
            fputc(' ', stdout);
        cli_put_cell(stdout, cells[i], width[i], i >= 2);
    }
    fputc('\n', stdout);
}

static void print_table(const sg_route_result *r)
{
    char b[8][32];
    if (r->tour) {
        static const int w[] = {16, 14, 6, 6, 8, 8};
        printf(_("inspection rounds through %s (%g km/h, %d townships):\n"),
               r->units, r->speed_kmh, r->n_areas);
        const char *h[] = {_("township"), _("start"), _("stops"),
                           _("missed"),   _("km"),    _("hours")};
        put_row(h, w, 6);
        for (int i = 0; i < r->n_areas; i++) {
            const sg_route_area *a = &r->areas[i];
            snprintf(b[0], sizeof b[0], "%d", a->served);
            snprintf(b[1], sizeof b[1], "%d", a->stops - a->served);
            snprintf(b[2], sizeof b[2], "%.1f", a->km);
            snprintf(b[3], sizeof b[3], "%.1f", a->minutes / 60);
            const char *c[] = {*a->name ? a->name : (*a->code ? a->code : "-"),
                               *a->depot ? a->depot : "-",
                               b[0],
                               b[1],
                               b[2],
                               b[3]};
            put_row(c, w, 6);
        }
        return;
    }
    static const int w[] = {16, 10, 6, 6, 8, 8, 8, 8, 8};
    printf(_("collection routes: every %g days, %g kg/person/day; vehicle "
             "%g kg, %g km/h, %g min a stop, %g h shift\n"),
           r->every_days, r->kg_per_person_day, r->capacity_kg, r->speed_kmh,
           r->service_min, r->shift_h);
    const char *h[] = {_("township"), _("depot"),    _("stops"),
                       _("trips"),    _("vehicles"), _("km/day"),
                       _("h/day"),    _("unserved"), _("haul km")};
    put_row(h, w, 9);
    for (int i = 0; i < r->n_areas; i++) {
        const sg_route_area *a = &r->areas[i];
        snprintf(b[0], sizeof b[0], "%d", a->stops);
        snprintf(b[1], sizeof b[1], "%d", a->routes);
        snprintf(b[2], sizeof b[2], "%d", a->vehicles);
        snprintf(b[3], sizeof b[3], "%.1f", a->km);
        snprintf(b[4], sizeof b[4], "%.1f", a->minutes / 60);
        snprintf(b[5], sizeof b[5], "%d", a->stops - a->served);
        if (isfinite(a->haul_km))
            snprintf(b[6], sizeof b[6], "%.1f%s", a->haul_km,
                     a->haul_far ? "!" : "");
        else
            snprintf(b[6], sizeof b[6], "-");
        const char *c[] = {*a->name ? a->name : (*a->code ? a->code : "-"),
                           *a->depot ? a->depot : "-",
                           b[0],
                           b[1],
                           b[2],
                           b[3],
                           b[4],
                           b[5],
                           b[6]};
        put_row(c, w, 9);
    }
    for (int i = 0; i < r->n_areas; i++) {
        const sg_route_area *a = &r->areas[i];
        const char *c = *a->code ? a->code : "-";
        if (!a->has_depot)
            printf(_("%s: no transfer station (give --depot); its %d "
                     "collection points are not served\n"),
                   c, a->stops);
        if (a->unreachable)
            printf(_("%s: %d collection points have no road to the depot\n"), c,
                   a->unreachable);
        if (a->too_heavy)
            printf(_("%s: %d collection points hold more than a vehicle "
                     "carries (%g kg)\n"),
                   c, a->too_heavy, r->capacity_kg);
        if (a->beyond_shift)
            printf(_("%s: %d collection points are too far for one shift\n"), c,
                   a->beyond_shift);
        if (a->vehicles_short)
            printf(_("%s: needs %d vehicles, has %d\n"), c, a->vehicles,
                   r->vehicles);
        if (a->haul_far)
            printf(_("%s: the haul to treatment plant %s is %.1f km, beyond "
                     "%g km: a larger transfer station is called for\n"),
                   c, a->plant, a->haul_km, r->haul_far_km);
    }
}

static int run_store(sg_ctx *ctx, const char *path, const sg_route_options *o,
                     const cli_common *common)
{
    int rc = CLI_EXIT_OK;
    sg_store *store = NULL;
    sg_route_result *r = NULL;
    if (sg_store_open(ctx, path, 0, &store) || sg_route(ctx, store, o, &r)) {
        rc = cli_fail(ctx, "route");
        goto done;
    }
    if (common->json) {
        sg_json j;
        sg_json_begin(&j, stdout);
        sg_json_object(&j, NULL);
        sg_json_str(&j, "mode", r->tour ? "tour" : "collection");
        if (r->tour) {
            sg_json_str(&j, "units", r->units);
        } else {
            sg_json_num(&j, "every_days", r->every_days);
            sg_json_num(&j, "kg_per_person_day", r->kg_per_person_day);
            sg_json_num(&j, "capacity_kg", r->capacity_kg);
            sg_json_num(&j, "service_min", r->service_min);
            sg_json_num(&j, "shift_h", r->shift_h);
            sg_json_int(&j, "vehicles_available", r->vehicles);
            sg_json_num(&j, "haul_far_km", r->haul_far_km);
        }
        sg_json_num(&j, "speed_kmh", r->speed_kmh);
        sg_json_int(&j, "stops", r->stops);
        sg_json_int(&j, "served", r->served);
        sg_json_int(&j, "unserved", r->unserved);
        sg_json_int(&j, "routes", r->routes);
        sg_json_int(&j, "vehicles", r->vehicles_needed);
        sg_json_num(&j, "km", r->km);
        sg_json_num(&j, "hours", r->minutes / 60);
        sg_json_num(&j, "seconds", r->seconds);
        sg_json_array(&j, "townships");
        for (int i = 0; i < r->n_areas; i++)
            json_area(&j, &r->areas[i], r->tour);
        sg_json_end_array(&j);
        sg_json_end_object(&j);
        sg_json_finish(&j);
    } else if (!common->quiet) {
        print_table(r);
    }
done:
    sg_route_result_free(r);
    sg_store_close(store);
    return rc;
}

typedef struct args {
    sg_vrp_options *o;
    sg_route_options *ro;
    const char *vrp;
    int all;
    int tour;          /* --tour given */
    const char *units; /* --units, as given; NULL when not */
} args;

static sg_status init(cli_call *call)
{
    args *a = CLI_ARGS(call, args);
    if (!(a->o = sg_vrp_options_new()) || !(a->ro = sg_route_options_new()))
        return SG_ERR_NOMEM;
    return SG_OK;
}

static void cleanup(cli_call *call)
{
    args *a = CLI_ARGS(call, args);
    sg_vrp_options_free(a->o);
    sg_route_options_free(a->ro);
}

static sg_status set_method(cli_call *call, const cli_value *v)
{
    return sg_vrp_options_set_method(call->ctx, CLI_ARGS(call, args)->o,
                                     v->n ? SG_VRP_SAVINGS : SG_VRP_SISR);
}

static sg_status set_time_limit(cli_call *call, const cli_value *v)
{
    return sg_vrp_options_set_time_limit(call->ctx, CLI_ARGS(call, args)->o,
                                         v->num);
}

static sg_status set_iterations(cli_call *call, const cli_value *v)
{
    long long n;
    if (!parse_count(v->str, 1, (long long)1e12, &n)) {
        cli_usage_error("route", "--iterations takes a whole number >= 1");
        return SG_ERR_USAGE;
    }
    return sg_vrp_options_set_iterations(call->ctx, CLI_ARGS(call, args)->o, n);
}

static sg_status set_seed(cli_call *call, const cli_value *v)
{
    long long n;
    if (!parse_count(v->str, 0, (long long)1e15, &n)) {
        cli_usage_error("route", "--seed takes a whole number >= 0");
        return SG_ERR_USAGE;
    }
    return sg_vrp_options_set_seed(call->ctx, CLI_ARGS(call, args)->o,
                                   (unsigned long long)n);
}

static sg_status set_threads(cli_call *call, const cli_value *v)
{
    return sg_vrp_options_set_threads(call->ctx, CLI_ARGS(call, args)->o, v->n);
}

static sg_status set_division(cli_call *call, const cli_value *v)
{
    return sg_route_options_set_division(call->ctx, CLI_ARGS(call, args)->ro,
                                         v->str);
}

/* --depot and --start: a point id, or longitude,latitude. */
static sg_status set_depot(cli_call *call, const cli_value *v)
{
    sg_route_options *ro = CLI_ARGS(call, args)->ro;
    const char *comma = strchr(v->str, ',');
    if (!comma)
        return sg_route_options_set_depot(call->ctx, ro, v->str);
    char lon[64];
    double x, y;
    size_t n = (size_t)(comma - v->str);
    int ok = n < sizeof lon;
    if (ok) {
        memcpy(lon, v->str, n);
        lon[n] = '\0';
        ok = cli_parse_number(lon, -180, 0, &x) &&
             cli_parse_number(comma + 1, -90, 0, &y) && x <= 180 && y <= 90;
    }
    if (!ok) {
        cli_usage_error("route",
                        "--depot X,Y takes longitude,latitude (WGS 84), got "
                        "'%s'",
                        v->str);
        return SG_ERR_USAGE;
    }
    return sg_route_options_set_depot_lonlat(call->ctx, ro, x, y);
}

static sg_status set_every_days(cli_call *call, const cli_value *v)
{
    return sg_route_options_set_every_days(call->ctx, CLI_ARGS(call, args)->ro,
                                           v->num);
}

static sg_status set_capacity_kg(cli_call *call, const cli_value *v)
{
    return sg_route_options_set_capacity_kg(call->ctx, CLI_ARGS(call, args)->ro,
                                            v->num);
}

static sg_status set_capacity_m3(cli_call *call, const cli_value *v)
{
    return sg_route_options_set_capacity_m3(call->ctx, CLI_ARGS(call, args)->ro,
                                            v->num);
}

static sg_status set_vehicles(cli_call *call, const cli_value *v)
{
    return sg_route_options_set_vehicles(call->ctx, CLI_ARGS(call, args)->ro,
                                         v->n);
}

static sg_status set_tour(cli_call *call, const cli_value *v)
{
    (void)v;
    CLI_ARGS(call, args)->tour = 1;
    return sg_route_options_set_tour(call->ctx, CLI_ARGS(call, args)->ro, 1);
}

static sg_status set_units(cli_call *call, const cli_value *v)
{
    CLI_ARGS(call, args)->units = v->str;
    return sg_route_options_set_units(call->ctx, CLI_ARGS(call, args)->ro,
                                      v->str);
}

static const char *const methods[] = {"sisr", "savings", NULL};
static const char *const units[] = {"villages", "grids", "points", NULL};

static const cli_option options[] = {
    {.name = "vrp",
     .kind = CLI_OPT_PATH,
     .offset = CLI_AT(args, vrp),
     .help = "FILE"},
    {.name = "method",
     .kind = CLI_OPT_ENUM,
     .set = set_method,
     .help = "M",
     .values = methods},
    {.name = "time-limit",
     .kind = CLI_OPT_NUMBER_POS,
     .set = set_time_limit,
     .help = "S",
     .max = 1e6,
     .what = N_("seconds > 0")},
    {.name = "iterations",
     .kind = CLI_OPT_STRING,
     .set = set_iterations,
     .help = "N"},
    {.name = "seed", .kind = CLI_OPT_STRING, .set = set_seed, .help = "N"},
    {.name = "threads",
     .kind = CLI_OPT_INT,
     .set = set_threads,
     .help = "N",
     .min = 1,
     .max = 8,
     .what = N_("1..8")},
    {.name = "division",
     .kind = CLI_OPT_STRING,
     .set = set_division,
     .help = "CODE"},
    {.name = "all", .kind = CLI_OPT_FLAG, .offset = CLI_AT(args, all)},
    {.name = "depot",
     .kind = CLI_OPT_STRING,
     .set = set_depot,
     .help = "POINT_ID"},
    {.name = "start",
     .kind = CLI_OPT_STRING,
     .set = set_depot,
     .help = "POINT_ID"},
    {.name = "every-days",
     .kind = CLI_OPT_NUMBER_POS,
     .set = set_every_days,
     .help = "N",
     .max = 1e6,
     .what = N_("a positive number")},
    {.name = "capacity-kg",
     .kind = CLI_OPT_NUMBER_POS,
     .set = set_capacity_kg,
     .help = "KG",
     .max = 1e6,
     .what = N_("a positive number")},
    {.name = "capacity-m3",
     .kind = CLI_OPT_NUMBER_POS,
     .set = set_capacity_m3,
     .help = "M3",
     .max = 1e6,
     .what = N_("a positive number")},
    {.name = "vehicles",
     .kind = CLI_OPT_INT,
     .set = set_vehicles,
     .help = "N",
     .min = 0,
     .max = 100000,
     .what = N_("a whole number >= 0")},
    {.name = "tour", .kind = CLI_OPT_FLAG, .set = set_tour},
    {.name = "units",
     .kind = CLI_OPT_ENUM,
     .set = set_units,
     .help = "U",
     .values = units},
    {.name = NULL}};

/* Options of the store mode, which --vrp does not take. */
static const char *const store_options[] = {
    "division",    "all",      "depot", "start", "every-days", "capacity-kg",
    "capacity-m3", "vehicles", "tour",  "units", NULL};

/* Rules between options and arguments. */
static int check(cli_call *call)
{
    args *a = CLI_ARGS(call, args);
    int tl_given = cli_given(call, "time-limit");
    int it_given = cli_given(call, "iterations");
    if (it_given && !tl_given &&
        sg_vrp_options_set_time_limit(call->ctx, a->o, 1e6))
        return cli_fail(call->ctx, "route"); /* the count decides */
    if (a->vrp) {
        if (call->npos != 0)
            return cli_usage_error("route", "--vrp takes no store");
        for (size_t i = 0; store_options[i]; i++)
            if (cli_given(call, store_options[i]))
                return cli_usage_error("route", "--vrp takes none of the "
                                                "store's options");
        return CLI_EXIT_OK;
    }
    if (call->npos != 1)
        return cli_usage_error("route", "give one store path or --vrp "
                                        "FILE");
    if (a->all && cli_given(call, "division"))
        return cli_usage_error("route", "give --division or --all, not "
                                        "both");
    if (a->tour &&
        (cli_given(call, "capacity-kg") || cli_given(call, "capacity-m3") ||
         cli_given(call, "every-days") || cli_given(call, "vehicles")))
        return cli_usage_error("route", "--tour takes no vehicle options");
    if (!a->tour && a->units && strcmp(a->units, "villages"))
        return cli_usage_error("route", "--units goes with --tour");
    if ((!tl_given && !it_given &&
         sg_vrp_options_set_time_limit(call->ctx, a->o, SG_ROUTE_TIME_LIMIT)) ||
        sg_route_options_set_solver(call->ctx, a->ro, a->o))
        return cli_fail(call->ctx, "route");
    return CLI_EXIT_OK;
}

/* Solve the --vrp file, or plan on the store; both print their result
 * and choose the exit code (call->rc). */
static sg_status run(cli_call *call)
{
    args *a = CLI_ARGS(call, args);
    call->rc = a->vrp
                   ? run_vrp(call->ctx, a->vrp, a->o, &call->common)
                   : run_store(call->ctx, call->pos[0], a->ro, &call->common);
    return SG_OK;
}

static const cli_command command = {
    .name = "route",
    .options = options,
    .common = CLI_JSON | CLI_QUIET,
    .min_args = 0,
    .max_args = 1,
    .args_error = N_("give one store path or --vrp FILE"),
    .store = CLI_STORE_NONE,
    .args_size = sizeof(args),
    .init = init,
    .check = check,
    .run = run,
    .cleanup = cleanup,
};

int cmd_route(int argc, char **argv)
{
    return cli_run(&command, argc, argv);
}
