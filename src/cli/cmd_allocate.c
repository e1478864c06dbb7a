/* sanigrid allocate: a thin layer over sg_allocate() (argument parsing,
 * the text or JSON report, exit codes).
 * SPDX-License-Identifier: MIT */
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "sanigrid/allocate.h"

static const char help[] =
    "usage: sanigrid allocate DB [--division CODE | --all] [--cleaners N]\n"
    "                         [--balance residents|households|road|mixed]\n"
    "                         [--piece-m M] [--snap-m M] [--node-crossings]\n"
    "                         [--evaluate] [--json] [--quiet]\n\n"
    "Split each village's roads and households among its cleaners (保洁员\n"
    "分片包干): every road inside the village and every household goes to\n"
    "exactly one cleaner, each cleaner's roads are one connected piece of\n"
    "the network wherever the village's network is connected, workloads\n"
    "are balanced, and each cleaner gets a service area.\n\n"
    "  --division CODE  only the village with this division_code (its rows\n"
    "                   of the result layers are replaced, others kept)\n"
    "  --all            every village (divisions of level admin_village);\n"
    "                   the default\n"
    "  --cleaners N     N cleaners in every village selected\n"
    "  --balance B      the workload measure: residents, households, road\n"
    "                   (metres, every class alike) or mixed (default)\n"
    "  --piece-m M      longest road piece a boundary can fall inside\n"
    "                   (default 50 m; shorter where a village has few\n"
    "                   metres of road per cleaner)\n"
    "  --snap-m M       join dangling road ends within M metres of another\n"
    "                   road (network rule; default off)\n"
    "  --node-crossings connect roads where they cross without a shared\n"
    "                   vertex (network rule; default off)\n"
    "  --evaluate       do not allocate: report on today's assignment (the\n"
    "                   cleaner_id columns of roads and households)\n"
    "  --json           print one JSON object\n"
    "  --quiet          no progress bar, no text report\n\n"
    "Cleaners per village: N if given; otherwise the larger of the\n"
    "village's existing cleaners (cleaners layer, by division_code, or by\n"
    "position when the code is empty) and the `required` figure of layer\n"
    "staffing (staffing is run first, with the store's settings, when the\n"
    "store has none), at least 1. Existing cleaners keep their ids and\n"
    "take the parts nearest to where they stand; the others are\n"
    "planned-1, planned-2, ... (north to south, then west to east).\n\n"
    "Definitions:\n"
    "  mixed       cleaner-equivalents by the staffing rules: households /\n"
    "              cleaner.per_households (300) + km of national, provincial\n"
    "              and county road x cleaner.per_road_km.major (1.0) + km of\n"
    "              township and village road x cleaner.per_road_km.village\n"
    "              (0.75) + km of lanes and other roads x half that rate;\n"
    "              every road counts (staffing's road rule counts only roads\n"
    "              outside settlements), so a village's total is larger than\n"
    "              its staffing figure: compare cleaners with each other\n"
    "  pieces      roads are clipped to the village and cut into pieces of\n"
    "              at most the piece length; METIS (with contiguity) splits\n"
    "              the pieces, then a balancing pass moves boundary pieces\n"
    "              between neighbours\n"
    "  contiguous  separate network components are linked by one edge each\n"
    "              (to the nearest heavier component), so a cleaner never\n"
    "              holds two unconnected pieces of one component\n"
    "  max/mean    the largest cleaner workload over the village mean\n"
    "              (min/mean likewise)\n"
    "  service     each point of the village goes to the cleaner of the\n"
    "  area        nearest road point (the middle of each piece): areas do\n"
    "              not overlap, cover the whole village and contain their\n"
    "              cleaner's households (a household joins the piece whose\n"
    "              middle is nearest)\n"
    "  compactness Polsby-Popper 4 pi A / P^2 of a service area (1 for a\n"
    "              disc, 0.785 for a square); per village, the mean\n\n"
    "Result layers: cleaner_roads (division_code, road_id, cleaner_id,\n"
    "class, length_m: one row per road, village and cleaner),\n"
    "cleaner_households (division_code, household_id, cleaner_id, snap_m),\n"
    "service_areas (division_code, cleaner_id, status, road_km,\n"
    "households, residents, workload, area_m2, compactness), tables\n"
    "workloads (per cleaner) and allocation_summary (per village).\n\n"
    "Evaluate writes nothing else: layers unassigned_roads (the road parts\n"
    "no cleaner_id names) and unassigned_households, and table\n"
    "current_workloads; it reports road km and households assigned to\n"
    "nobody or to two or more cleaners (several ids in one cleaner_id,\n"
    "separated by , ; | / 、 or ，, or duplicated road rows with different\n"
    "ids), ids that are not the village's cleaners, and the imbalance.\n"
    "Import the current plan with a field mapping to cleaner_id.\n\n"
    "Exit codes: 0 ok, 1 failure (also: no such division), 2 usage error,\n"
    "3 store cannot be opened.\n";

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
    printf("allocate: %zu villages, %lld cleaners (%lld existing, %lld "
           "planned); balance %s (%s)%s\n",
           r->nvillages, r->cleaners, r->existing, r->planned, r->balance,
           r->unit, r->staffing_run ? "; staffing was run first" : "");
    if (r->nvillages <= TEXT_MAX_VILLAGES) {
        printf("  %-14s %-13s %9s %10s %8s %8s %11s\n", "village", "code",
               "cleaners", "workload", "max/mean", "min/mean", "compactness");
        for (size_t i = 0; i < r->nvillages; i++) {
            const sg_allocate_village *v = &r->villages[i];
            printf("  %-14.14s %-13.13s %9lld %10.2f %8.3f %8.3f %11.3f\n",
                   v->name, v->code, v->cleaners, v->workload, v->max_mean,
                   v->min_mean, v->compactness);
        }
    }
    printf("worst max/mean %.3f, worst min/mean %.3f, mean compactness "
           "%.3f; %.1f km of road, %lld households\n",
           r->max_mean, r->min_mean, r->compactness, r->road_m / 1000.0,
           r->households);
    if (r->noncontiguous)
        printf("note: %lld cleaners' roads are not contiguous\n",
               r->noncontiguous);
    if (r->households_outside)
        printf("note: %lld households lie in no village selected and were "
               "not assigned\n",
               r->households_outside);
    printf("layers: cleaner_roads, cleaner_households, service_areas, "
           "workloads, allocation_summary\n");
}

/* Print the evaluation as text. */
static void print_evaluate(const sg_allocate_result *r)
{
    printf("evaluate today's assignment: %zu villages, %lld cleaners; "
           "balance %s (%s)\n",
           r->nvillages, r->cleaners, r->balance, r->unit);
    printf("  roads assigned to nobody       %.3f km of %.3f km\n",
           r->unassigned_road_m / 1000.0, r->road_m / 1000.0);
    printf("  households assigned to nobody  %lld of %lld\n",
           r->unassigned_households, r->households);
    printf("  assigned to two or more        %.3f km, %lld households\n",
           r->double_road_m / 1000.0, r->double_households);
    printf("  ids not among the cleaners     %lld\n", r->unknown_cleaners);
    printf("  worst max/mean %.3f, worst min/mean %.3f; %lld cleaners with "
           "roads in unconnected pieces\n",
           r->max_mean, r->min_mean, r->noncontiguous);
    if (r->nvillages <= TEXT_MAX_VILLAGES)
        for (size_t i = 0; i < r->nvillages; i++) {
            const sg_allocate_village *v = &r->villages[i];
            printf("  %-14.14s %-13.13s unassigned %.3f km, %lld hh; "
                   "max/mean %.3f\n",
                   v->name, v->code, v->unassigned_road_m / 1000.0,
                   v->unassigned_households, v->max_mean);
        }
    printf("layers: unassigned_roads, unassigned_households, "
           "current_workloads\n");
}

int sg_cmd_allocate(int argc, char **argv)
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
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    sg_cli_common common = {0};
    const char *division = NULL, *cleaners = NULL, *balance = NULL;
    const char *piece = NULL, *snap = NULL;
    int all = 0, crossings = 0, evaluate = 0, want_help = 0, c;
    optind = 0;
    /* values are checked after the loop, so --help always wins */
    while ((c = getopt_long(argc, argv, "hq", opts, NULL)) != -1) {
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
        case 'h': want_help = 1; break;
        default: return sg_cli_usage_error("allocate", "bad option");
        }
    }
    if (want_help) {
        fputs(help, stdout);
        return SG_EXIT_OK;
    }
    if (optind != argc - 1)
        return sg_cli_usage_error("allocate", "give one store path");
    if (division && all)
        return sg_cli_usage_error("allocate",
                                  "give either --division or --all");
    if (division && !*division)
        return sg_cli_usage_error("allocate", "--division needs a code");
    double n = 0, piece_m = 0, snap_m = 0;
    if (cleaners && (!sg_cli_parse_number(cleaners, 0, 1, &n) ||
                     n != floor(n) || n > 100000))
        return sg_cli_usage_error("allocate",
                                  "--cleaners takes a whole number >= 1, "
                                  "got '%s'",
                                  cleaners);
    if (piece && !sg_cli_parse_number(piece, 0, 1, &piece_m))
        return sg_cli_usage_error("allocate",
                                  "--piece-m takes a positive number, got "
                                  "'%s'",
                                  piece);
    if (snap && !sg_cli_parse_number(snap, 0, 0, &snap_m))
        return sg_cli_usage_error("allocate",
                                  "--snap-m takes a number >= 0, got '%s'",
                                  snap);
    if (balance && strcmp(balance, "residents") && strcmp(balance, "households") &&
        strcmp(balance, "road") && strcmp(balance, "mixed"))
        return sg_cli_usage_error("allocate",
                                  "--balance takes residents, households, "
                                  "road or mixed, got '%s'",
                                  balance);
    if (evaluate && (cleaners || piece))
        return sg_cli_usage_error("allocate",
                                  "--evaluate takes no --cleaners or "
                                  "--piece-m");
    sg_allocate_options *ao = sg_allocate_options_new();
    sg_network_options *no = sg_network_options_new();
    sg_ctx *ctx = ao && no ? sg_cli_ctx(&common) : NULL;
    sg_store *store = NULL;
    sg_allocate_result *r = NULL;
    int rc = SG_EXIT_OK;
    if (!ctx) {
        rc = SG_EXIT_FAIL;
        goto done;
    }
    sg_network_options_set_snap_m(no, snap_m);
    sg_network_options_set_node_crossings(no, crossings);
    sg_allocate_options_set_network(ao, no);
    sg_allocate_options_set_cleaners(ao, (int)n);
    sg_allocate_options_set_evaluate(ao, evaluate);
    if (piece)
        sg_allocate_options_set_piece_m(ao, piece_m);
    if ((balance && sg_allocate_options_set_balance(ctx, ao, balance)) ||
        (division && sg_allocate_options_set_division(ctx, ao, division)) ||
        sg_store_open(ctx, argv[optind], 0, &store) ||
        sg_allocate(ctx, store, ao, &r)) {
        rc = sg_cli_fail(ctx, "allocate");
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
