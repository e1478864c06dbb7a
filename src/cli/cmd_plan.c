/* sanigrid plan: a thin layer over sg_plan(): parse the options, plan,
 * print the grids and their comparison with the existing ones (text or
 * one JSON object).
 * Not for: the planning itself (src/analysis/plan*.c).
 * SPDX-License-Identifier: MIT */
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "sanigrid/plan.h"

/* The --help text is docs/cli/plan.md (STYLE rule 24). */

/* Parsed arguments, validated after the loop (so --help always wins). */
typedef struct args {
    const char *division, *grids, *per_grid, *level, *balance, *div_level;
    int all;
} args;

/* Parse a whole number in [lo, hi]; \return 1 if valid. */
static int whole(const char *s, long lo, long hi, long *out)
{
    char *end = NULL;
    long v = s ? strtol(s, &end, 10) : 0;
    if (!s || end == s || *end || v < lo || v > hi)
        return 0;
    *out = v;
    return 1;
}

/* Turn the arguments into options; \return CLI_EXIT_OK or a usage
 * error's exit code. */
static int make_options(sg_ctx *ctx, const args *a, sg_plan_options *o)
{
    long n = 0;
    double h = 0;
    if (!a->division == !a->all)
        return cli_usage_error("plan", "give --division CODE or --all");
    if (a->grids && a->per_grid)
        return cli_usage_error("plan", "give --grids or "
                                          "--households-per-grid, not both");
    if (a->division && sg_plan_options_set_division(ctx, o, a->division))
        return cli_usage_error("plan", "%s", sg_ctx_errmsg(ctx));
    if (a->grids) {
        if (!whole(a->grids, 1, 999, &n))
            return cli_usage_error("plan",
                                      "--grids takes a whole number from 1 "
                                      "to 999, got '%s'",
                                      a->grids);
        if (sg_plan_options_set_grids(ctx, o, (int)n))
            return cli_usage_error("plan", "%s", sg_ctx_errmsg(ctx));
    }
    if (a->per_grid) {
        if (!cli_parse_number(a->per_grid, 0, 1, &h))
            return cli_usage_error("plan",
                                      "--households-per-grid takes a "
                                      "positive number, got '%s'",
                                      a->per_grid);
        if (sg_plan_options_set_households_per_grid(ctx, o, h))
            return cli_usage_error("plan", "%s", sg_ctx_errmsg(ctx));
    }
    if (a->level && (!whole(a->level, 1, 2, &n) ||
                     sg_plan_options_set_level(ctx, o, (int)n)))
        return cli_usage_error("plan", "--level takes 1 or 2, got '%s'",
                                  a->level);
    sg_balance measure;
    if (a->balance && (sg_balance_from_string(ctx, a->balance, &measure) ||
                       sg_plan_options_set_balance(ctx, o, measure)))
        return cli_usage_error("plan",
                               "--balance takes households or residents, "
                               "not '%s'",
                               a->balance);
    if (a->div_level &&
        sg_plan_options_set_division_level(ctx, o, a->div_level))
        return cli_usage_error("plan", "%s", sg_ctx_errmsg(ctx));
    return CLI_EXIT_OK;
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

/* The whole result as one JSON object on stdout. */
static void print_json(const sg_plan_result *r)
{
    sg_json j;
    sg_json_begin(&j, stdout);
    sg_json_object(&j, NULL);
    sg_json_int(&j, "level", r->level);
    sg_json_str(&j, "balance", r->balance);
    if (r->grids_per_unit)
        sg_json_null(&j, "households_per_grid");
    else
        sg_json_num(&j, "households_per_grid", r->households_per_grid);
    if (r->grids_per_unit)
        sg_json_int(&j, "grids_per_unit", r->grids_per_unit);
    else
        sg_json_null(&j, "grids_per_unit");
    sg_json_num(&j, "balance_bound", r->balance_bound);
    sg_json_num(&j, "clearance_m", r->clearance_m);
    sg_json_str(&j, "layer", "planned_grids");
    sg_json_int(&j, "units_planned", (long long)r->nunits);
    sg_json_int(&j, "grids", (long long)r->ngrids);
    sg_json_int(&j, "households", r->households);
    sg_json_int(&j, "blocks", r->blocks);
    sg_json_int(&j, "unbalanced", r->unbalanced);
    sg_json_int(&j, "not_contiguous", r->not_contiguous);
    sg_json_int(&j, "households_near_boundary", r->households_near_boundary);
    sg_json_num(&j, "max_mean", r->max_mean);
    sg_json_num(&j, "mean_polsby_popper", r->mean_pp);
    sg_json_array(&j, "units");
    for (size_t i = 0; i < r->nunits; i++) {
        const sg_plan_unit *u = &r->units[i];
        sg_json_object(&j, NULL);
        sg_json_str(&j, "code", u->code);
        sg_json_str(&j, "name", u->name);
        sg_json_str(&j, "division_code", u->division_code);
        sg_json_int(&j, "households", u->households);
        sg_json_int(&j, "residents", u->residents);
        sg_json_int(&j, "grids_asked", u->grids);
        sg_json_num(&j, "target", u->target);
        sg_json_int(&j, "blocks", u->blocks);
        sg_json_int(&j, "voronoi_faces", u->voronoi_faces);
        sg_json_int(&j, "islands", u->islands);
        sg_json_int(&j, "households_near_boundary",
                    u->households_near_boundary);
        sg_json_bool(&j, "balanced", u->balanced);
        json_stats(&j, "planned", &u->planned);
        json_stats(&j, "existing", &u->existing);
        sg_json_str(&j, "note", u->note);
        sg_json_array(&j, "grids");
        for (size_t k = 0; k < u->ngrids; k++)
            json_grid(&j, &r->grids[u->first_grid + k]);
        sg_json_end_array(&j);
        sg_json_end_object(&j);
    }
    sg_json_end_array(&j);
    sg_json_end_object(&j);
    sg_json_finish(&j);
}

/* The result as text: one line per unit, the grids when one unit was
 * planned, the totals. */
static void print_text(const sg_plan_result *r)
{
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
               SG_PL(u->blocks), u->planned.max_mean,
               u->planned.min_mean, u->planned.mean_pp);
        if (u->existing.grids)
            printf(_(" (existing %lld: %.2f, %.2f, %.2f)"), u->existing.grids,
                   u->existing.max_mean, u->existing.min_mean,
                   u->existing.mean_pp);
        printf("\n");
        if (r->nunits == 1)
            for (size_t k = 0; k < u->ngrids; k++) {
                const sg_plan_grid *g = &r->grids[u->first_grid + k];
                printf(_("  %s  %5lld households  %6.1f ha  compactness %.2f%s\n"),
                       g->code, g->households, g->area_m2 / 1e4,
                       g->polsby_popper,
                       g->parts > 1 ? _("  (several parts)") : "");
            }
        if (u->note)
            printf(_("  note: %s\n"), u->note);
    }
    printf(_("%zu grid%s in %zu unit%s written to layer planned_grids; "
           "%lld unit%s above max/mean %.2f, %lld household%s within %.1f m "
           "of a boundary\n"),
           r->ngrids, SG_PL(r->ngrids), r->nunits,
           SG_PL(r->nunits), r->unbalanced,
           SG_PL(r->unbalanced), r->balance_bound,
           r->households_near_boundary,
           SG_PL(r->households_near_boundary), r->clearance_m);
}

/* The plan subcommand: parse (--help wins over everything, values are
 * checked after the loop), open, plan, print. \return the exit code. */
int cmd_plan(int argc, char **argv)
{
    static const struct option opts[] = {
        {"division", required_argument, NULL, 'd'},
        {"all", no_argument, NULL, 'a'},
        {"grids", required_argument, NULL, 'n'},
        {"households-per-grid", required_argument, NULL, 'H'},
        {"level", required_argument, NULL, 'l'},
        {"balance", required_argument, NULL, 'b'},
        {"division-level", required_argument, NULL, 'L'},
        {"json", no_argument, NULL, 'j'},
        {"quiet", no_argument, NULL, 'q'},
        {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    cli_common common = {0};
    args a = {0};
    int c, want_help = 0, bad = 0;
    optind = 0;
    while ((c = getopt_long(argc, argv, "hqv", opts, NULL)) != -1) {
        switch (c) {
        case 'd': a.division = optarg; break;
        case 'a': a.all = 1; break;
        case 'n': a.grids = optarg; break;
        case 'H': a.per_grid = optarg; break;
        case 'l': a.level = optarg; break;
        case 'b': a.balance = optarg; break;
        case 'L': a.div_level = optarg; break;
        case 'j': common.json = 1; break;
        case 'q': common.quiet = 1; break;
        case 'v': common.verbose = 1; break;
        case 'h': want_help = 1; break;
        default: bad = 1; break;
        }
    }
    if (want_help) {
        cli_help("plan");
        return CLI_EXIT_OK;
    }
    if (bad)
        return cli_usage_error("plan", "bad option");
    if (optind != argc - 1)
        return cli_usage_error("plan", "give one store path");
    sg_ctx *ctx = cli_ctx(&common);
    sg_plan_options *po = sg_plan_options_new();
    sg_store *store = NULL;
    sg_plan_result *r = NULL;
    int rc = ctx && po ? make_options(ctx, &a, po) : CLI_EXIT_FAIL;
    if (rc == CLI_EXIT_OK) {
        if (sg_store_open(ctx, argv[optind], 0, &store) ||
            sg_plan(ctx, store, po, &r))
            rc = cli_fail(ctx, "plan");
        else if (common.json)
            print_json(r);
        else if (!common.quiet)
            print_text(r);
    }
    sg_plan_result_free(r);
    sg_store_close(store);
    sg_plan_options_free(po);
    sg_ctx_free(ctx);
    return rc;
}
