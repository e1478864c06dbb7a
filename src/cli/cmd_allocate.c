/* sanigrid allocate: a thin layer over sg_allocate() (argument parsing,
 * the text or JSON report, exit codes).
 * SPDX-License-Identifier: MIT */
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "sanigrid/allocate.h"

/* The --help text is docs/cli/allocate.md (STYLE rule 24). */

/* The layers a run writes, for the report. */
static const char *const alloc_layers[] = {
    "cleaner_roads", "cleaner_households", "service_areas", "workloads",
    "allocation_summary", NULL};
static const char *const eval_layers[] = {
    "unassigned_roads", "unassigned_households", "current_workloads", NULL};

/* Print the result as one JSON object. */
static void print_json(const sg_allocate_result *r)
{
    sg_json j;
    sg_json_begin(&j, stdout);
    sg_json_object(&j, NULL);
    sg_json_str(&j, "mode", r->evaluate ? "evaluate" : "allocate");
    sg_json_str(&j, "balance", r->balance);
    sg_json_str(&j, "unit", r->unit);
    if (!r->evaluate) {
        sg_json_num(&j, "piece_m", r->piece_m);
        sg_json_bool(&j, "staffing_run", r->staffing_run);
    }
    sg_json_int(&j, "villages_count", (long long)r->nvillages);
    sg_json_int(&j, "cleaners", r->cleaners);
    sg_json_int(&j, "existing", r->existing);
    if (!r->evaluate)
        sg_json_int(&j, "planned", r->planned);
    sg_json_int(&j, "households", r->households);
    sg_json_int(&j, "residents", r->residents);
    sg_json_int(&j, "households_outside", r->households_outside);
    sg_json_num(&j, "road_km", r->road_m / 1000.0);
    sg_json_num(&j, "max_mean", r->max_mean);
    sg_json_num(&j, "min_mean", r->min_mean);
    sg_json_int(&j, "noncontiguous", r->noncontiguous);
    if (r->evaluate) {
        sg_json_num(&j, "unassigned_road_km", r->unassigned_road_m / 1000.0);
        sg_json_int(&j, "unassigned_households", r->unassigned_households);
        sg_json_num(&j, "double_road_km", r->double_road_m / 1000.0);
        sg_json_int(&j, "double_households", r->double_households);
        sg_json_int(&j, "unknown_cleaners", r->unknown_cleaners);
    } else {
        sg_json_num(&j, "compactness", r->compactness);
    }
    sg_json_array(&j, "villages");
    for (size_t i = 0; i < r->nvillages; i++) {
        const sg_allocate_village *v = &r->villages[i];
        sg_json_object(&j, NULL);
        sg_json_str(&j, "division_code", v->code);
        sg_json_str(&j, "name", v->name);
        sg_json_int(&j, "cleaners", v->cleaners);
        sg_json_int(&j, "existing", v->existing);
        if (!r->evaluate) {
            sg_json_int(&j, "planned", v->planned);
            if (v->required >= 0)
                sg_json_int(&j, "required", v->required);
            else
                sg_json_null(&j, "required");
            sg_json_str(&j, "cleaners_source", v->cleaners_source);
        }
        sg_json_int(&j, "households", v->households);
        sg_json_int(&j, "residents", v->residents);
        sg_json_num(&j, "road_km", v->road_m / 1000.0);
        sg_json_int(&j, "components", v->components);
        sg_json_num(&j, "workload", v->workload);
        sg_json_num(&j, "max_mean", v->max_mean);
        sg_json_num(&j, "min_mean", v->min_mean);
        sg_json_int(&j, "noncontiguous", v->noncontiguous);
        if (r->evaluate) {
            sg_json_num(&j, "unassigned_road_km",
                        v->unassigned_road_m / 1000.0);
            sg_json_int(&j, "unassigned_households", v->unassigned_households);
            sg_json_num(&j, "double_road_km", v->double_road_m / 1000.0);
            sg_json_int(&j, "double_households", v->double_households);
            sg_json_int(&j, "unknown_cleaners", v->unknown_cleaners);
        } else {
            sg_json_num(&j, "compactness", v->compactness);
        }
        sg_json_end_object(&j);
    }
    sg_json_end_array(&j);
    sg_json_array(&j, "layers");
    for (const char *const *l = r->evaluate ? eval_layers : alloc_layers; *l;
         l++)
        sg_json_str(&j, NULL, *l);
    sg_json_end_array(&j);
    sg_json_num(&j, "seconds", r->seconds);
    sg_json_end_object(&j);
    sg_json_finish(&j);
}

/** Villages listed one per line in the text report (more: see the
 * allocation_summary table). */
#define TEXT_MAX_VILLAGES 30

/* Print the allocation as text. */
static void print_allocate(const sg_allocate_result *r)
{
    printf(_("allocate: %zu villages, %lld cleaners (%lld existing, %lld "
           "planned); balance %s (%s)%s\n"),
           r->nvillages, r->cleaners, r->existing, r->planned, r->balance,
           r->unit, r->staffing_run ? _("; staffing was run first") : "");
    if (r->nvillages <= TEXT_MAX_VILLAGES) {
        /* TRANSLATORS: column heads over "  %-14s %-13s %9lld %10.2f
           %8.3f %8.3f %11.3f": keep each head over its column (a CJK
           character is 2 columns wide). */
        fputs(_("  village        code           cleaners   workload "
                "max/mean min/mean compactness\n"),
              stdout);
        for (size_t i = 0; i < r->nvillages; i++) {
            const sg_allocate_village *v = &r->villages[i];
            fputs("  ", stdout);
            cli_put_cell(stdout, v->name, 14, 0);
            printf(" %-13.13s %9lld %10.2f %8.3f %8.3f %11.3f\n",
                   v->code, v->cleaners, v->workload, v->max_mean,
                   v->min_mean, v->compactness);
        }
    }
    printf(_("worst max/mean %.3f, worst min/mean %.3f, mean compactness "
           "%.3f; %.1f km of road, %lld households\n"),
           r->max_mean, r->min_mean, r->compactness, r->road_m / 1000.0,
           r->households);
    if (r->noncontiguous)
        printf(_("note: %lld cleaners' roads are not contiguous\n"),
               r->noncontiguous);
    if (r->households_outside)
        printf(_("note: %lld households lie in no village selected and were "
               "not assigned\n"),
               r->households_outside);
    printf(_("layers: cleaner_roads, cleaner_households, service_areas, "
           "workloads, allocation_summary\n"));
}

/* Print the evaluation as text. */
static void print_evaluate(const sg_allocate_result *r)
{
    printf(_("evaluate today's assignment: %zu villages, %lld cleaners; "
           "balance %s (%s)\n"),
           r->nvillages, r->cleaners, r->balance, r->unit);
    printf(_("  roads assigned to nobody       %.3f km of %.3f km\n"),
           r->unassigned_road_m / 1000.0, r->road_m / 1000.0);
    printf(_("  households assigned to nobody  %lld of %lld\n"),
           r->unassigned_households, r->households);
    printf(_("  assigned to two or more        %.3f km, %lld households\n"),
           r->double_road_m / 1000.0, r->double_households);
    printf(_("  ids not among the cleaners     %lld\n"), r->unknown_cleaners);
    printf(_("  worst max/mean %.3f, worst min/mean %.3f; %lld cleaners with "
           "roads in unconnected pieces\n"),
           r->max_mean, r->min_mean, r->noncontiguous);
    if (r->nvillages <= TEXT_MAX_VILLAGES)
        for (size_t i = 0; i < r->nvillages; i++) {
            const sg_allocate_village *v = &r->villages[i];
            fputs("  ", stdout);
            cli_put_cell(stdout, v->name, 14, 0);
            printf(_(" %-13.13s unassigned %.3f km, %lld hh; max/mean %.3f\n"),
                   v->code, v->unassigned_road_m / 1000.0,
                   v->unassigned_households, v->max_mean);
        }
    printf(_("layers: unassigned_roads, unassigned_households, "
           "current_workloads\n"));
}

int cmd_allocate(int argc, char **argv)
{
    static const struct option opts[] = {
        {"division", required_argument, NULL, 'd'},
        {"all", no_argument, NULL, 'a'},
        {"cleaners", required_argument, NULL, 'c'},
        {"balance", required_argument, NULL, 'b'},
        {"piece-m", required_argument, NULL, 'p'},
        {"snap-m", required_argument, NULL, 's'},
        {"node-crossings", no_argument, NULL, 'x'},
        {"evaluate", no_argument, NULL, 'e'},
        {"json", no_argument, NULL, 'j'},
        {"quiet", no_argument, NULL, 'q'},
        {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    cli_common common = {0};
    const char *division = NULL, *cleaners = NULL, *balance = NULL;
    const char *piece = NULL, *snap = NULL;
    int all = 0, crossings = 0, evaluate = 0, want_help = 0, c;
    optind = 0;
    /* values are checked after the loop, so --help always wins */
    while ((c = getopt_long(argc, argv, "hqv", opts, NULL)) != -1) {
        switch (c) {
        case 'd': division = optarg; break;
        case 'a': all = 1; break;
        case 'c': cleaners = optarg; break;
        case 'b': balance = optarg; break;
        case 'p': piece = optarg; break;
        case 's': snap = optarg; break;
        case 'x': crossings = 1; break;
        case 'e': evaluate = 1; break;
        case 'j': common.json = 1; break;
        case 'q': common.quiet = 1; break;
        case 'v': common.verbose = 1; break;
        case 'h': want_help = 1; break;
        default: return cli_usage_error("allocate", "bad option");
        }
    }
    if (want_help) {
        cli_help("allocate");
        return CLI_EXIT_OK;
    }
    if (optind != argc - 1)
        return cli_usage_error("allocate", "give one store path");
    if (division && all)
        return cli_usage_error("allocate",
                                  "give either --division or --all");
    if (division && !*division)
        return cli_usage_error("allocate", "--division needs a code");
    double n = 0, piece_m = 0, snap_m = 0;
    if (cleaners && (!cli_parse_number(cleaners, 0, 1, &n) ||
                     n != floor(n) || n > 100000))
        return cli_usage_error("allocate",
                                  "--cleaners takes a whole number >= 1, "
                                  "got '%s'",
                                  cleaners);
    if (piece && !cli_parse_number(piece, 0, 1, &piece_m))
        return cli_usage_error("allocate",
                                  "--piece-m takes a positive number, got "
                                  "'%s'",
                                  piece);
    if (snap && !cli_parse_number(snap, 0, 0, &snap_m))
        return cli_usage_error("allocate",
                                  "--snap-m takes a number >= 0, got '%s'",
                                  snap);
    if (balance && strcmp(balance, "residents") && strcmp(balance, "households") &&
        strcmp(balance, "road") && strcmp(balance, "mixed"))
        return cli_usage_error("allocate",
                                  "--balance takes residents, households, "
                                  "road or mixed, got '%s'",
                                  balance);
    if (evaluate && (cleaners || piece))
        return cli_usage_error("allocate",
                                  "--evaluate takes no --cleaners or "
                                  "--piece-m");
    sg_allocate_options *ao = sg_allocate_options_new();
    sg_network_options *no = sg_network_options_new();
    sg_ctx *ctx = ao && no ? cli_ctx(&common) : NULL;
    sg_store *store = NULL;
    sg_allocate_result *r = NULL;
    int rc = CLI_EXIT_OK;
    if (!ctx) {
        rc = CLI_EXIT_FAIL;
        goto done;
    }
    sg_network_options_set_snap_m(no, snap_m);
    sg_network_options_set_node_crossings(no, crossings);
    sg_balance measure = SG_BALANCE_MIXED;
    if (sg_allocate_options_set_network(ctx, ao, no) ||
        sg_allocate_options_set_cleaners(ctx, ao, (int)n) ||
        sg_allocate_options_set_evaluate(ctx, ao, evaluate != 0) ||
        (piece && sg_allocate_options_set_piece_m(ctx, ao, piece_m)) ||
        (balance && (sg_balance_from_string(ctx, balance, &measure) ||
                     sg_allocate_options_set_balance(ctx, ao, measure))) ||
        (division && sg_allocate_options_set_division(ctx, ao, division)) ||
        sg_store_open(ctx, argv[optind], 0, &store) ||
        sg_allocate(ctx, store, ao, &r)) {
        rc = cli_fail(ctx, "allocate");
    } else if (common.json) {
        print_json(r);
    } else if (!common.quiet) {
        if (r->evaluate)
            print_evaluate(r);
        else
            print_allocate(r);
    }
done:
    sg_allocate_result_free(r);
    sg_store_close(store);
    sg_ctx_free(ctx);
    sg_network_options_free(no);
    sg_allocate_options_free(ao);
    return rc;
}
