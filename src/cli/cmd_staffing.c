/* sanigrid staffing: a thin layer over sg_staffing(): its option table,
 * run and print callbacks for cli_run (cli.h, "the command skeleton").
 * SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

/* The --help text is docs/cli/staffing.md (STYLE rule 24). */

typedef struct args {
    sg_staffing_options *so;
    sg_staffing_result *r;
} args;

static sg_status init(cli_call *call)
{
    args *a = CLI_ARGS(call, args);
    if (!(a->so = sg_staffing_options_new()))
        return SG_ERR_NOMEM;
    return SG_OK;
}

static sg_status set_per_residents(cli_call *call, const cli_value *v)
{
    return sg_staffing_options_set_per_residents(
        call->ctx, CLI_ARGS(call, args)->so, v->num);
}

static sg_status set_per_households(cli_call *call, const cli_value *v)
{
    return sg_staffing_options_set_per_households(
        call->ctx, CLI_ARGS(call, args)->so, v->num);
}

/* --per-road-km 0 switches the road rule off */
static sg_status set_per_road_km(cli_call *call, const cli_value *v)
{
    return sg_staffing_options_set_per_road_km(
        call->ctx, CLI_ARGS(call, args)->so, v->num);
}

static sg_status set_min_per_village(cli_call *call, const cli_value *v)
{
    return sg_staffing_options_set_min_per_village(
        call->ctx, CLI_ARGS(call, args)->so, v->n);
}

static sg_status set_level(cli_call *call, const cli_value *v)
{
    return sg_staffing_options_set_level(call->ctx, CLI_ARGS(call, args)->so,
                                         v->str);
}

static const cli_option options[] = {{.name = "per-residents",
                                      .kind = CLI_OPT_NUMBER_POS,
                                      .set = set_per_residents,
                                      .help = "N"},
                                     {.name = "per-households",
                                      .kind = CLI_OPT_NUMBER_POS,
                                      .set = set_per_households,
                                      .help = "N"},
                                     {.name = "per-road-km",
                                      .kind = CLI_OPT_NUMBER_NONNEG,
                                      .set = set_per_road_km,
                                      .help = "X"},
                                     {.name = "min-per-village",
                                      .kind = CLI_OPT_INT,
                                      .set = set_min_per_village,
                                      .help = "N",
                                      .max = 1000},
                                     {.name = "level",
                                      .kind = CLI_OPT_STRING,
                                      .set = set_level,
                                      .help = "LEVEL"},
                                     {.name = NULL}};

static sg_status run(cli_call *call)
{
    args *a = CLI_ARGS(call, args);
    return sg_staffing(call->ctx, call->store, a->so, &a->r);
}

static void print_json(const cli_call *call, sg_json *j)
{
    const sg_staffing_result *r = CLI_ARGS(call, args)->r;
    sg_json_str(j, "mode", r->mode);
    sg_json_num(j, "per_residents", r->per_residents);
    sg_json_num(j, "per_households", r->per_households);
    sg_json_num(j, "per_road_km_major", r->per_road_km_major);
    sg_json_num(j, "per_road_km_village", r->per_road_km_village);
    sg_json_num(j, "settlement_buffer_m", r->settlement_buffer_m);
    sg_json_int(j, "min_per_village", r->min_per_village);
    sg_json_int(j, "villages", r->villages);
    sg_json_int(j, "residents", r->residents);
    sg_json_int(j, "households", r->households);
    sg_json_int(j, "households_outside", r->households_outside);
    sg_json_num(j, "road_km", r->road_km);
    sg_json_num(j, "road_km_outside", r->road_km_outside);
    sg_json_int(j, "required", r->required);
    sg_json_int(j, "current", r->current);
    sg_json_int(j, "shortfall", r->shortfall);
    sg_json_int(j, "surplus", r->surplus);
    sg_json_int(j, "villages_short", r->villages_short);
}

static void print_text(const cli_call *call)
{
    const sg_staffing_result *r = CLI_ARGS(call, args)->r;
    printf(_("staffing (%s rule: 1 per %g%s; roads outside settlements: "
             "%g/km major, %g/km village; at least %lld per village)\n"),
           r->mode,
           r->per_households > 0 ? r->per_households : r->per_residents,
           r->per_households > 0 ? _(" households") : _(" people"),
           r->per_road_km_major, r->per_road_km_village, r->min_per_village);
    printf(_("%lld villages, %lld residents, %lld households, %.1f km of "
             "road (%.1f km outside settlements)\n"),
           r->villages, r->residents, r->households, r->road_km,
           r->road_km_outside);
    printf(_("required %lld, current %lld: shortfall %lld in %lld "
             "villages, surplus %lld\n"),
           r->required, r->current, r->shortfall, r->villages_short,
           r->surplus);
    if (r->households_outside)
        printf(_("note: %lld households lie in no village of the level\n"),
               r->households_outside);
}

static void cleanup(cli_call *call)
{
    sg_staffing_options_free(CLI_ARGS(call, args)->so);
    sg_staffing_result_free(CLI_ARGS(call, args)->r);
}

static const cli_command command = {
    .name = "staffing",
    .options = options,
    .common = CLI_ALL,
    .min_args = 1,
    .max_args = 1,
    .args_error = N_("give one store path"),
    .store = CLI_STORE_WRITE,
    .args_size = sizeof(args),
    .init = init,
    .run = run,
    .print_json = print_json,
    .print_text = print_text,
    .cleanup = cleanup,
};

int cmd_staffing(int argc, char **argv)
{
    return cli_run(&command, argc, argv);
}
