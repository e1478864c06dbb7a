/* sanigrid route: vehicle routes. Benchmark mode (--vrp FILE) solves a
 * CVRPLIB/TSPLIB instance with sg_vrp_solve() and prints the routes.
 * SPDX-License-Identifier: MIT */
#include <getopt.h>
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

static int run_vrp(const char *path, const sg_vrp_options *o,
                   const sg_cli_common *common)
{
    int rc = SG_EXIT_OK;
    sg_vrp *vrp = NULL;
    sg_vrp_solution sol = {0};
    sg_ctx *ctx = sg_cli_ctx(common);
    if (!ctx)
        return SG_EXIT_FAIL;
    if (sg_vrp_read(ctx, path, &vrp) || sg_vrp_solve(ctx, vrp, o, &sol)) {
        rc = sg_cli_fail(ctx, "route");
        goto done;
    }
    if (common->json) {
        sg_json j;
        sg_json_begin(&j, stdout);
        sg_json_object(&j, NULL);
        sg_json_str(&j, "instance", sg_vrp_name(vrp));
        sg_json_str(&j, "method",
                    o->method == SG_VRP_SAVINGS ? "savings" : "sisr");
        sg_json_num(&j, "cost", sol.cost);
        sg_json_array(&j, "routes");
        for (int r = 0; r < sol.n_routes; r++) {
            sg_json_array(&j, NULL);
            for (int k = sol.route_start[r]; k < sol.route_start[r + 1]; k++)
                sg_json_int(&j, NULL, sg_vrp_id(vrp, sol.stops[k]));
            sg_json_end_array(&j);
        }
        sg_json_end_array(&j);
        sg_json_int(&j, "vehicles", sol.n_routes);
        sg_json_num(&j, "seconds", sol.seconds);
        sg_json_int(&j, "iterations", sol.iterations);
        sg_json_int(&j, "seed", (long long)o->seed);
        sg_json_bool(&j, "feasible", sol.feasible);
        sg_json_end_object(&j);
        sg_json_finish(&j);
    } else if (!common->quiet) {
        printf(_("%s: cost %.2f with %d vehicles in %.1f s (%s)\n"),
               *sg_vrp_name(vrp) ? sg_vrp_name(vrp) : path, sol.cost,
               sol.n_routes, sol.seconds,
               sol.feasible ? _("feasible") : _("INFEASIBLE"));
        for (int r = 0; r < sol.n_routes; r++) {
            double load = 0;
            printf(_("route %d:"), r + 1);
            for (int k = sol.route_start[r]; k < sol.route_start[r + 1]; k++) {
                printf(" %lld", sg_vrp_id(vrp, sol.stops[k]));
                load += sg_vrp_demand(vrp, sol.stops[k]);
            }
            printf(_("  (load %g)\n"), load);
        }
    }
    if (!sol.feasible)
        rc = SG_EXIT_FAIL;
done:
    sg_vrp_solution_clear(&sol);
    sg_vrp_free(vrp);
    sg_ctx_free(ctx);
    return rc;
}

int sg_cmd_route(int argc, char **argv)
{
    static const struct option opts[] = {
        {"vrp", required_argument, NULL, 'V'},
        {"method", required_argument, NULL, 'M'},
        {"time-limit", required_argument, NULL, 'T'},
        {"iterations", required_argument, NULL, 'I'},
        {"seed", required_argument, NULL, 'S'},
        {"threads", required_argument, NULL, 'P'},
        {"json", no_argument, NULL, 'j'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    sg_cli_common common = {0};
    sg_vrp_options o;
    sg_vrp_options_init(&o);
    const char *vrp = NULL;
    int c, tl_given = 0;
    long long n;
    double v;
    for (int i = 1; i < argc; i++) /* --help wins over any bad value */
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
            return sg_cli_help("route");
    optind = 0;
    while ((c = getopt_long(argc, argv, "hq", opts, NULL)) != -1) {
        switch (c) {
        case 'V': vrp = optarg; break;
        case 'M':
            if (!strcmp(optarg, "sisr"))
                o.method = SG_VRP_SISR;
            else if (!strcmp(optarg, "savings"))
                o.method = SG_VRP_SAVINGS;
            else
                return sg_cli_usage_error("route",
                                          "--method is sisr or savings");
            break;
        case 'T':
            if (!sg_cli_parse_number(optarg, 0, 1, &v) || v > 1e6)
                return sg_cli_usage_error("route", "--time-limit takes "
                                                   "seconds > 0");
            o.time_limit = v;
            tl_given = 1;
            break;
        case 'I':
            if (!parse_count(optarg, 1, (long long)1e12, &n))
                return sg_cli_usage_error("route", "--iterations takes a "
                                                   "whole number >= 1");
            o.iterations = n;
            break;
        case 'S':
            if (!parse_count(optarg, 0, (long long)1e15, &n))
                return sg_cli_usage_error("route", "--seed takes a whole "
                                                   "number >= 0");
            o.seed = (unsigned long long)n;
            break;
        case 'P':
            if (!parse_count(optarg, 1, 8, &n))
                return sg_cli_usage_error("route", "--threads takes 1..8");
            o.threads = (int)n;
            break;
        case 'j': common.json = 1; break;
        case 'q': common.quiet = 1; break;
        case 'h': return sg_cli_help("route");
        default: return sg_cli_usage_error("route", "bad option");
        }
    }
    if (o.iterations > 0 && !tl_given)
        o.time_limit = 1e6; /* the count decides, not the clock */
    if (vrp) {
        if (optind != argc)
            return sg_cli_usage_error("route", "--vrp takes no store");
        return run_vrp(vrp, &o, &common);
    }
    return sg_cli_usage_error("route", "give --vrp FILE");
}
