/* sanigrid allocate: a thin layer over sg_allocate(): its option table,
 * run and print callbacks for cli_run (cli.h, "the command skeleton").
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "sanigrid/allocate.h"

/* The --help text is docs/cli/allocate.md (STYLE rule 24). */

/* The layers a run writes, for the report. */
static const char *const alloc_layers[] = {
    "cleaner_roads", "cleaner_households", "service_areas",
    "workloads",     "allocation_summary", NULL};
static const char *const eval_layers[] = {
    "unassigned_roads", "unassigned_households", "current_workloads", NULL};

typedef struct args {
    sg_allocate_options *ao;
    sg_network_options *no;
    sg_allocate_result *r;
    const char *division;
    int all, evaluate, crossings;
    double snap_m;
} args;

/* The result as the members of one JSON object. */
static void print_json(const cli_call *call, sg_json *j)
{
    const sg_allocate_result *r = CLI_ARGS(call, args)->r;
    sg_json_str(j, "mode", r->evaluate ? "evaluate" : "allocate");
    sg_json_str(j, "balance", r->balance);
    sg_json_str(j, "unit", r->unit);
    if (!r->evaluate) {
        sg_json_num(j, "piece_m", r->piece_m);
        sg_json_bool(j, "staffing_run", r->staffing_run);
    }
    sg_json_int(j, "villages_count", (long long)r->nvillages);
    sg_json_int(j, "cleaners", r->cleaners);
    sg_json_int(j, "existing", r->existing);
    if (!r->evaluate)
        sg_json_int(j, "planned", r->planned);
    sg_json_int(j, "households", r->households);
    sg_json_int(j, "residents", r->residents);
    sg_json_int(j, "households_outside", r->households_outside);
    sg_json_num(j, "road_km", r->road_m / 1000.0);
    sg_json_num(j, "max_mean", r->max_mean);
    sg_json_num(j, "min_mean", r->min_mean);
    sg_json_int(j, "noncontiguous", r->noncontiguous);
    if (r->evaluate) {
        sg_json_num(j, "unassigned_road_km", r->unassigned_road_m / 1000.0);
        sg_json_int(j, "unassigned_households", r->unassigned_households);
        sg_json_num(j, "double_road_km", r->double_road_m / 1000.0);
        sg_json_int(j, "double_households", r->double_households);
        sg_json_int(j, "unknown_cleaners", r->unknown_cleaners);
    } else {
        sg_json_num(j, "compactness", r->compactness);
    }
    sg_json_array(j, "villages");
    for (size_t i = 0; i < r->nvillages; i++) {
        const sg_allocate_village *v = &r->villages[i];
        sg_json_object(j, NULL);
        sg_json_str(j, "division_code", v->code);
        sg_json_str(j, "name", v->name);
        sg_json_int(j, "cleaners", v->cleaners);
        sg_json_int(j, "existing", v->existing);
        if (!r->evaluate) {
            sg_json_int(j, "planned", v->planned);
            if (v->required >= 0)
                sg_json_int(j, "required", v->required);
            else
                sg_json_null(j, "required");
            sg_json_str(j, "cleaners_source", v->cleaners_source);
        }
        sg_json_int(j, "households", v->households);
        sg_json_int(j, "residents", v->residents);
        sg_json_num(j, "road_km", v->road_m / 1000.0);
        sg_json_int(j, "components", v->components);
        sg_json_num(j, "workload", v->workload);
        sg_json_num(j, "max_mean", v->max_mean);
        sg_json_num(j, "min_mean", v->min_mean);
        sg_json_int(j, "noncontiguous", v->noncontiguous);
        if (r->evaluate) {
            sg_json_num(j, "unassigned_road_km", v->unassigned_road_m / 1000.0);
            sg_json_int(j, "unassigned_households", v->unassigned_households);
            sg_json_num(j, "double_road_km", v->double_road_m / 1000.0);
            sg_json_int(j, "double_households", v->double_households);
            sg_json_int(j, "unknown_cleaners", v->unknown_cleaners);
        } else {
            sg_json_num(j, "compactness", v->compactness);
        }
        sg_json_end_object(j);
    }
    sg_json_end_array(j);
    sg_json_array(j, "layers");
    for (const char *const *l = r->evaluate ? eval_layers : alloc_layers; *l;
         l++)
        sg_json_str(j, NULL, *l);
    sg_json_end_array(j);
    sg_json_num(j, "seconds", r->seconds);
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
            printf(" %-13.13s %9lld %10.2f %8.3f %8.3f %11.3f\n", v->code,
                   v->cleaners, v->workload, v->max_mean, v->min_mean,
                   v->compactness);
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

static sg_status init(cli_call *call)
{
    args *a = CLI_ARGS(call, args);
    a->ao = sg_allocate_options_new();
    a->no = sg_network_options_new();
    return a->ao && a->no ? SG_OK : SG_ERR_NOMEM;
}

static sg_status set_division(cli_call *call, const cli_value *v)
{
    args *a = CLI_ARGS(call, args);
    if (!*v->str) {
        cli_usage_error("allocate", "--division needs a code");
        return SG_ERR_USAGE;
    }
    a->division = v->str;
    return sg_allocate_options_set_division(call->ctx, a->ao, v->str);
}

static sg_status set_cleaners(cli_call *call, const cli_value *v)
{
    return sg_allocate_options_set_cleaners(call->ctx, CLI_ARGS(call, args)->ao,
                                            v->n);
}

static sg_status set_balance(cli_call *call, const cli_value *v)
{
    sg_balance b;
    sg_status st = sg_balance_from_string(call->ctx, v->str, &b);
    return st ? st
              : sg_allocate_options_set_balance(call->ctx,
                                                CLI_ARGS(call, args)->ao, b);
}

static sg_status set_piece_m(cli_call *call, const cli_value *v)
{
    return sg_allocate_options_set_piece_m(call->ctx, CLI_ARGS(call, args)->ao,
                                           v->num);
}

static const char *const balances[] = {"residents", "households", "road",
                                       "mixed", NULL};

static const cli_option options[] = {
    {.name = "division",
     .kind = CLI_OPT_STRING,
     .set = set_division,
     .help = "CODE"},
    {.name = "all", .kind = CLI_OPT_FLAG, .offset = CLI_AT(args, all)},
    {.name = "cleaners",
     .kind = CLI_OPT_INT,
     .set = set_cleaners,
     .help = "N",
     .min = 1,
     .max = 100000,
     .what = N_("a whole number >= 1")},
    {.name = "balance",
     .kind = CLI_OPT_ENUM,
     .set = set_balance,
     .help = "B",
     .values = balances},
    {.name = "piece-m",
     .kind = CLI_OPT_NUMBER_POS,
     .set = set_piece_m,
     .help = "M",
     .what = N_("a positive number")},
    {.name = "snap-m",
     .kind = CLI_OPT_NUMBER_NONNEG,
     .offset = CLI_AT(args, snap_m),
     .help = "M"},
    {.name = "node-crossings",
     .kind = CLI_OPT_FLAG,
     .offset = CLI_AT(args, crossings)},
    {.name = "evaluate",
     .kind = CLI_OPT_FLAG,
     .offset = CLI_AT(args, evaluate)},
    {.name = NULL}};

/* Rules between options; the network and mode into the options. */
static int check(cli_call *call)
{
    args *a = CLI_ARGS(call, args);
    if (a->division && a->all)
        return cli_usage_error("allocate", "give either --division or --all");
    if (a->evaluate &&
        (cli_given(call, "cleaners") || cli_given(call, "piece-m")))
        return cli_usage_error("allocate", "--evaluate takes no --cleaners or "
                                           "--piece-m");
    if (sg_network_options_set_snap_m(call->ctx, a->no, a->snap_m) ||
        sg_network_options_set_node_crossings(call->ctx, a->no, a->crossings))
        return cli_usage_error("allocate", "%s", sg_ctx_errmsg(call->ctx));
    if (sg_allocate_options_set_network(call->ctx, a->ao, a->no) ||
        sg_allocate_options_set_evaluate(call->ctx, a->ao, a->evaluate))
        return cli_fail(call->ctx, "allocate");
    return CLI_EXIT_OK;
}

static sg_status run(cli_call *call)
{
    args *a = CLI_ARGS(call, args);
    return sg_allocate(call->ctx, call->store, a->ao, &a->r);
}

static void print_text(const cli_call *call)
{
    const sg_allocate_result *r = CLI_ARGS(call, args)->r;
    if (r->evaluate)
        print_evaluate(r);
    else
        print_allocate(r);
}

static void cleanup(cli_call *call)
{
    args *a = CLI_ARGS(call, args);
    sg_allocate_result_free(a->r);
    sg_network_options_free(a->no);
    sg_allocate_options_free(a->ao);
}

static const cli_command command = {
    .name = "allocate",
    .options = options,
    .common = CLI_ALL,
    .min_args = 1,
    .max_args = 1,
    .args_error = N_("give one store path"),
    .store = CLI_STORE_WRITE,
    .args_size = sizeof(args),
    .init = init,
    .check = check,
    .run = run,
    .print_json = print_json,
    .print_text = print_text,
    .cleanup = cleanup,
};

int cmd_allocate(int argc, char **argv)
{
    return cli_run(&command, argc, argv);
}
