/* sanigrid plan: a thin layer over sg_plan(): its option table, run and
 * print callbacks for cli_run (cli.h, "the command skeleton"); prints
 * the grids and their comparison with the existing ones (text or one
 * JSON object).
 * Not for: the planning itself (src/analysis/plan*.c).
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "sanigrid/plan.h"

/* The --help text is docs/cli/plan.md (STYLE rule 24). */

typedef struct args {
    sg_plan_options *po;
    sg_plan_result *r;
    const char *division;
    int all;
} args;

static sg_status init(cli_call *call)
{
    args *a = CLI_ARGS(call, args);
    return (a->po = sg_plan_options_new()) ? SG_OK : SG_ERR_NOMEM;
}

static sg_status set_division(cli_call *call, const cli_value *v)
{
    args *a = CLI_ARGS(call, args);
    a->division = v->str;
    return sg_plan_options_set_division(call->ctx, a->po, v->str);
}

static sg_status set_grids(cli_call *call, const cli_value *v)
{
    return sg_plan_options_set_grids(call->ctx, CLI_ARGS(call, args)->po, v->n);
}

static sg_status set_per_grid(cli_call *call, const cli_value *v)
{
    return sg_plan_options_set_households_per_grid(
        call->ctx, CLI_ARGS(call, args)->po, v->num);
}

static sg_status set_level(cli_call *call, const cli_value *v)
{
    return sg_plan_options_set_level(call->ctx, CLI_ARGS(call, args)->po, v->n);
}

static sg_status set_balance(cli_call *call, const cli_value *v)
{
    sg_balance b;
    sg_status st = sg_balance_from_string(call->ctx, v->str, &b);
    return st ? st
              : sg_plan_options_set_balance(call->ctx, CLI_ARGS(call, args)->po,
                                            b);
}

static sg_status set_division_level(cli_call *call, const cli_value *v)
{
    return sg_plan_options_set_division_level(call->ctx,
                                              CLI_ARGS(call, args)->po, v->str);
}

static const char *const balances[] = {"households", "residents", NULL};

static const cli_option options[] = {
    {.name = "division",
     .kind = CLI_OPT_STRING,
     .set = set_division,
     .help = "CODE"},
    {.name = "all", .kind = CLI_OPT_FLAG, .offset = CLI_AT(args, all)},
    {.name = "grids",
     .kind = CLI_OPT_INT,
     .set = set_grids,
     .help = "N",
     .min = 1,
     .max = 999},
    {.name = "households-per-grid",
     .kind = CLI_OPT_NUMBER_POS,
     .set = set_per_grid,
     .help = "H",
     .what = N_("a positive number")},
    {.name = "level",
     .kind = CLI_OPT_INT,
     .set = set_level,
     .help = "N",
     .min = 1,
     .max = 2,
     .what = N_("1 or 2")},
    {.name = "balance",
     .kind = CLI_OPT_ENUM,
     .set = set_balance,
     .help = "WHAT",
     .values = balances},
    {.name = "division-level",
     .kind = CLI_OPT_STRING,
     .set = set_division_level,
     .help = "LEVEL"},
    {.name = NULL}};

/* Rules between options. */
static int check(cli_call *call)
{
    const args *a = CLI_ARGS(call, args);
    if (!a->division == !a->all)
        return cli_usage_error("plan", "give --division CODE or --all");
    if (cli_given(call, "grids") && cli_given(call, "households-per-grid"))
        return cli_usage_error("plan", "give --grids or "
                                       "--households-per-grid, not both");
    return CLI_EXIT_OK;
}

static sg_status run(cli_call *call)
{
    args *a = CLI_ARGS(call, args);
    return sg_plan(call->ctx, call->store, a->po, &a->r);
}

/* The figures of a set of grids as a JSON object member \p key (null
 * when there are none). */
static void json_stats(sg_json *j, const char *key, const sg_plan_stats *s)
{
    if (!s->grids) {
        sg_json_null(j, key);
        return;
    }
    sg_json_object(j, key);
    sg_json_int(j, "grids", s->grids);
    sg_json_num(j, "max_mean", s->max_mean);
    sg_json_num(j, "min_mean", s->min_mean);
    sg_json_num(j, "mean_polsby_popper", s->mean_pp);
    sg_json_num(j, "min_polsby_popper", s->min_pp);
    sg_json_end_object(j);
}

/* One grid as a JSON object. */
static void json_grid(sg_json *j, const sg_plan_grid *g)
{
    sg_json_object(j, NULL);
    sg_json_str(j, "grid_code", g->code);
    sg_json_str(j, "name", g->name);
    sg_json_str(j, "parent_code", g->parent_code);
    sg_json_str(j, "division_code", g->division_code);
    sg_json_int(j, "households", g->households);
    sg_json_int(j, "residents", g->residents);
    sg_json_num(j, "area_m2", g->area_m2);
    sg_json_num(j, "perimeter_m", g->perimeter_m);
    sg_json_num(j, "polsby_popper", g->polsby_popper);
    sg_json_int(j, "parts", g->parts);
    sg_json_int(j, "island_parts", g->island_parts);
    sg_json_end_object(j);
}

/* The whole result as the members of one JSON object. */
static void print_json(const cli_call *call, sg_json *j)
{
    const sg_plan_result *r = CLI_ARGS(call, args)->r;
    sg_json_int(j, "level", r->level);
    sg_json_str(j, "balance", r->balance);
    if (r->grids_per_unit)
        sg_json_null(j, "households_per_grid");
    else
        sg_json_num(j, "households_per_grid", r->households_per_grid);
    if (r->grids_per_unit)
        sg_json_int(j, "grids_per_unit", r->grids_per_unit);
    else
        sg_json_null(j, "grids_per_unit");
    sg_json_num(j, "balance_bound", r->balance_bound);
    sg_json_num(j, "clearance_m", r->clearance_m);
    sg_json_str(j, "layer", "planned_grids");
    sg_json_int(j, "units_planned", (long long)r->nunits);
    sg_json_int(j, "grids", (long long)r->ngrids);
    sg_json_int(j, "households", r->households);
    sg_json_int(j, "blocks", r->blocks);
    sg_json_int(j, "unbalanced", r->unbalanced);
    sg_json_int(j, "not_contiguous", r->not_contiguous);
    sg_json_int(j, "households_near_boundary", r->households_near_boundary);
    sg_json_num(j, "max_mean", r->max_mean);
    sg_json_num(j, "mean_polsby_popper", r->mean_pp);
    sg_json_array(j, "units");
    for (size_t i = 0; i < r->nunits; i++) {
        const sg_plan_unit *u = &r->units[i];
        sg_json_object(j, NULL);
        sg_json_str(j, "code", u->code);
        sg_json_str(j, "name", u->name);
        sg_json_str(j, "division_code", u->division_code);
        sg_json_int(j, "households", u->households);
        sg_json_int(j, "residents", u->residents);
        sg_json_int(j, "grids_asked", u->grids);
        sg_json_num(j, "target", u->target);
        sg_json_int(j, "blocks", u->blocks);
        sg_json_int(j, "voronoi_faces", u->voronoi_faces);
        sg_json_int(j, "islands", u->islands);
        sg_json_int(j, "households_near_boundary", u->households_near_boundary);
        sg_json_bool(j, "balanced", u->balanced);
        json_stats(j, "planned", &u->planned);
        json_stats(j, "existing", &u->existing);
        sg_json_str(j, "note", u->note);
        sg_json_array(j, "grids");
        for (size_t k = 0; k < u->ngrids; k++)
            json_grid(j, &r->grids[u->first_grid + k]);
        sg_json_end_array(j);
        sg_json_end_object(j);
    }
    sg_json_end_array(j);
}

/* The result as text: one line per unit, the grids when one unit was
 * planned, the totals. */
static void print_text(const cli_call *call)
{
    const sg_plan_result *r = CLI_ARGS(call, args)->r;
    if (r->grids_per_unit)
        printf(_("plan: level %d, %lld grids per %s, balancing %s\n"), r->level,
               r->grids_per_unit, r->level == 1 ? _("village") : _("grid"),
               r->balance);
    else
        printf(_("plan: level %d, %g households per grid, balancing %s\n"),
               r->level, r->households_per_grid, r->balance);
    for (size_t i = 0; i < r->nunits; i++) {
        const sg_plan_unit *u = &r->units[i];
        printf(_("%s%s%s: %lld households, %zu grid%s, %lld block%s; "
                 "max/mean %.2f, min/mean %.2f, compactness %.2f"),
               u->code, u->name ? " " : "", u->name ? u->name : "",
               u->households, u->ngrids, SG_PL(u->ngrids), u->blocks,
               SG_PL(u->blocks), u->planned.max_mean, u->planned.min_mean,
               u->planned.mean_pp);
        if (u->existing.grids)
            printf(_(" (existing %lld: %.2f, %.2f, %.2f)"), u->existing.grids,
                   u->existing.max_mean, u->existing.min_mean,
                   u->existing.mean_pp);
        printf("\n");
        if (r->nunits == 1)
            for (size_t k = 0; k < u->ngrids; k++) {
                const sg_plan_grid *g = &r->grids[u->first_grid + k];
                printf(
                    _("  %s  %5lld households  %6.1f ha  compactness %.2f%s\n"),
                    g->code, g->households, g->area_m2 / 1e4, g->polsby_popper,
                    g->parts > 1 ? _("  (several parts)") : "");
            }
        if (u->note)
            printf(_("  note: %s\n"), u->note);
    }
    printf(_("%zu grid%s in %zu unit%s written to layer planned_grids; "
             "%lld unit%s above max/mean %.2f, %lld household%s within %.1f m "
             "of a boundary\n"),
           r->ngrids, SG_PL(r->ngrids), r->nunits, SG_PL(r->nunits),
           r->unbalanced, SG_PL(r->unbalanced), r->balance_bound,
           r->households_near_boundary, SG_PL(r->households_near_boundary),
           r->clearance_m);
}

static void cleanup(cli_call *call)
{
    args *a = CLI_ARGS(call, args);
    sg_plan_result_free(a->r);
    sg_plan_options_free(a->po);
}

static const cli_command command = {
    .name = "plan",
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

int cmd_plan(int argc, char **argv)
{
    return cli_run(&command, argc, argv);
}
