/* sanigrid check: a thin layer over sg_check(): its option table, and
 * a summary of the check (text or one JSON object), for cli_run (cli.h,
 * "the command skeleton").
 * Not for: the check itself (src/analysis/check/check.c).
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

/* The --help text is docs/cli/check.md (STYLE rule 24). */

/* The figures of one level (or the totals) as JSON members. */
static void json_level(sg_json *j, const sg_check_level *l)
{
    sg_json_int(j, "grids", l->grids);
    sg_json_int(j, "gaps", l->gaps);
    sg_json_num(j, "gaps_area_m2", l->gaps_area_m2);
    sg_json_int(j, "overlaps", l->overlaps);
    sg_json_num(j, "overlaps_area_m2", l->overlaps_area_m2);
    sg_json_int(j, "slivers", l->slivers);
    sg_json_num(j, "slivers_area_m2", l->slivers_area_m2);
    sg_json_int(j, "hierarchy_errors", l->hierarchy_errors);
    sg_json_int(j, "duplicate_codes", l->duplicate_codes);
    sg_json_int(j, "bad_codes", l->bad_codes);
    sg_json_int(j, "grids_without_leader", l->grids_without_leader);
    sg_json_int(j, "households_outside_grids", l->households_outside_grids);
    sg_json_int(j, "households_in_several_grids",
                l->households_in_several_grids);
}

/* The whole result as members of one JSON object. */
static void json_result(sg_json *j, const char *db, int level, double sliver,
                        double tol, const sg_check_result *r)
{
    sg_json_str(j, "store", db);
    sg_json_int(j, "level", level);
    sg_json_num(j, "sliver_m2", sliver);
    sg_json_num(j, "tolerance_m", tol);
    json_level(j, &r->total);
    sg_json_int(j, "issues", r->issues);
    sg_json_array(j, "levels");
    for (size_t i = 0; i < r->nlevels; i++) {
        sg_json_object(j, NULL);
        sg_json_int(j, "level", r->levels[i].level);
        json_level(j, &r->levels[i]);
        sg_json_end_object(j);
    }
    sg_json_end_array(j);
    sg_json_array(j, "layers");
    sg_json_str(j, NULL, "grid_gaps");
    sg_json_str(j, NULL, "grid_overlaps");
    sg_json_str(j, NULL, "grid_issues");
    sg_json_end_array(j);
}

/* One level's figures as text. */
static void print_level(const sg_check_level *l)
{
    if (l->level)
        printf(_("level %d: %lld grid%s\n"), l->level, l->grids,
               SG_PL(l->grids));
    else
        printf(_("all levels: %lld grid%s\n"), l->grids, SG_PL(l->grids));
    printf(_("  gaps        %lld (%.1f m2)\n"), l->gaps, l->gaps_area_m2);
    printf(_("  overlaps    %lld (%.1f m2)\n"), l->overlaps,
           l->overlaps_area_m2);
    printf(_("  slivers     %lld (%.2f m2, left out of gaps and overlaps)\n"),
           l->slivers, l->slivers_area_m2);
    printf(_("  hierarchy   %lld error%s (%lld duplicate code%s)\n"),
           l->hierarchy_errors, SG_PL(l->hierarchy_errors), l->duplicate_codes,
           SG_PL(l->duplicate_codes));
    printf(_("  bad codes   %lld\n"), l->bad_codes);
    printf(_("  no leader   %lld grid%s\n"), l->grids_without_leader,
           SG_PL(l->grids_without_leader));
    printf(_("  households  %lld outside every grid, %lld in several grids\n"),
           l->households_outside_grids, l->households_in_several_grids);
}

/* The text summary on stdout. */
static void text_result(const char *db, double sliver, const sg_check_result *r)
{
    printf(_("check of %s (slivers below %g m2)\n"), db, sliver);
    if (r->nlevels == 0)
        printf(_("no grids to check\n"));
    for (size_t i = 0; i < r->nlevels; i++)
        print_level(&r->levels[i]);
    if (r->nlevels > 1)
        print_level(&r->total);
    printf(_("%lld finding%s in table grid_issues; polygons in layers "
             "grid_gaps and grid_overlaps\n"),
           r->issues, SG_PL(r->issues));
}

typedef struct args {
    sg_check_options *co;
    const char *level; /* --level: "1".."3", NULL: every level */
    double sliver;     /* --sliver-m2 */
    double tol;        /* --tolerance-m */
    sg_check_result *res;
} args;

static sg_status init(cli_call *call)
{
    args *a = CLI_ARGS(call, args);
    a->sliver = 1.0;
    a->tol = SG_CHECK_TOLERANCE_M;
    return (a->co = sg_check_options_new()) ? SG_OK : SG_ERR_NOMEM;
}

static const char *const levels[] = {"1", "2", "3", NULL};

static const cli_option options[] = {{.name = "level",
                                      .kind = CLI_OPT_ENUM,
                                      .offset = CLI_AT(args, level),
                                      .values = levels,
                                      .help = "N"},
                                     {.name = "sliver-m2",
                                      .kind = CLI_OPT_NUMBER_NONNEG,
                                      .offset = CLI_AT(args, sliver),
                                      .help = "A",
                                      .what = N_("an area >= 0 in m2")},
                                     {.name = "tolerance-m",
                                      .kind = CLI_OPT_NUMBER_NONNEG,
                                      .offset = CLI_AT(args, tol),
                                      .help = "W",
                                      .max = 10,
                                      .what = N_("a width of 0..10 m")},
                                     {.name = NULL}};

static int level_of(const args *a)
{
    return a->level ? atoi(a->level) : 0;
}

static sg_status run(cli_call *call)
{
    args *a = CLI_ARGS(call, args);
    sg_status st;
    if ((st = sg_check_options_set_level(call->ctx, a->co, level_of(a))) ||
        (st = sg_check_options_set_sliver_m2(call->ctx, a->co, a->sliver)) ||
        (st = sg_check_options_set_tolerance_m(call->ctx, a->co, a->tol)))
        return st;
    return sg_check(call->ctx, call->store, a->co, &a->res);
}

static void print_json(const cli_call *call, sg_json *j)
{
    const args *a = CLI_ARGS(call, args);
    json_result(j, call->pos[0], level_of(a), a->sliver, a->tol, a->res);
}

static void print_text(const cli_call *call)
{
    const args *a = CLI_ARGS(call, args);
    text_result(call->pos[0], a->sliver, a->res);
}

static void cleanup(cli_call *call)
{
    args *a = CLI_ARGS(call, args);
    sg_check_result_free(a->res);
    sg_check_options_free(a->co);
}

static const cli_command command = {
    .name = "check",
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

int cmd_check(int argc, char **argv)
{
    return cli_run(&command, argc, argv);
}
