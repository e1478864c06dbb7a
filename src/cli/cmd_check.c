/* sanigrid check: a thin layer over sg_check(): parse the options, run the
 * check, print a summary (text or one JSON object).
 * Not for: the check itself (src/analysis/check/check.c).
 * SPDX-License-Identifier: MIT */
#include <getopt.h>
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

/* The whole result as one JSON object on stdout. */
static void print_json(const char *db, int level, double sliver,
                       double tol, const sg_check_result *r)
{
    sg_json j;
    sg_json_begin(&j, stdout);
    sg_json_object(&j, NULL);
    sg_json_str(&j, "store", db);
    sg_json_int(&j, "level", level);
    sg_json_num(&j, "sliver_m2", sliver);
    sg_json_num(&j, "tolerance_m", tol);
    json_level(&j, &r->total);
    sg_json_int(&j, "issues", r->issues);
    sg_json_array(&j, "levels");
    for (size_t i = 0; i < r->nlevels; i++) {
        sg_json_object(&j, NULL);
        sg_json_int(&j, "level", r->levels[i].level);
        json_level(&j, &r->levels[i]);
        sg_json_end_object(&j);
    }
    sg_json_end_array(&j);
    sg_json_array(&j, "layers");
    sg_json_str(&j, NULL, "grid_gaps");
    sg_json_str(&j, NULL, "grid_overlaps");
    sg_json_str(&j, NULL, "grid_issues");
    sg_json_end_array(&j);
    sg_json_end_object(&j);
    sg_json_finish(&j);
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
    printf(_("  overlaps    %lld (%.1f m2)\n"), l->overlaps, l->overlaps_area_m2);
    printf(_("  slivers     %lld (%.2f m2, left out of gaps and overlaps)\n"),
           l->slivers, l->slivers_area_m2);
    printf(_("  hierarchy   %lld error%s (%lld duplicate code%s)\n"),
           l->hierarchy_errors, SG_PL(l->hierarchy_errors),
           l->duplicate_codes, SG_PL(l->duplicate_codes));
    printf(_("  bad codes   %lld\n"), l->bad_codes);
    printf(_("  no leader   %lld grid%s\n"), l->grids_without_leader,
           SG_PL(l->grids_without_leader));
    printf(_("  households  %lld outside every grid, %lld in several grids\n"),
           l->households_outside_grids, l->households_in_several_grids);
}

/* The text summary on stdout. */
static void print_text(const char *db, double sliver, const sg_check_result *r)
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

/* Parse --level; \return 1..3, or 0 if \p s is not one of them. */
static int parse_level(const char *s)
{
    if (s && s[0] >= '1' && s[0] <= '3' && s[1] == '\0')
        return s[0] - '0';
    return 0;
}

int cmd_check(int argc, char **argv)
{
    static const struct option opts[] = {
        {"level", required_argument, NULL, 'l'},
        {"sliver-m2", required_argument, NULL, 's'},
        {"tolerance-m", required_argument, NULL, 't'},
        {"json", no_argument, NULL, 'j'},
        {"quiet", no_argument, NULL, 'q'},
        {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    cli_common common = {0};
    sg_check_options *co = sg_check_options_new();
    sg_check_result *res = NULL;
    sg_ctx *ctx = NULL;
    sg_store *store = NULL;
    const char *level_arg = NULL, *sliver_arg = NULL, *tol_arg = NULL;
    double tol = SG_CHECK_TOLERANCE_M;
    int c, rc = CLI_EXIT_OK, level = 0, help_asked = 0;
    double sliver = 1.0;
    if (!co)
        return CLI_EXIT_FAIL;
    optind = 0;
    while ((c = getopt_long(argc, argv, "hqv", opts, NULL)) != -1) {
        switch (c) {
        case 'l': level_arg = optarg; break;
        case 's': sliver_arg = optarg; break;
        case 't': tol_arg = optarg; break;
        case 'j': common.json = 1; break;
        case 'q': common.quiet = 1; break;
        case 'v': common.verbose = 1; break;
        case 'h': help_asked = 1; break;
        default: rc = cli_usage_error("check", "bad option"); goto done;
        }
    }
    /* --help wins over everything else, even malformed values */
    if (help_asked) {
        cli_help("check");
        goto done;
    }
    if (level_arg && !(level = parse_level(level_arg))) {
        rc = cli_usage_error("check", "--level takes 1, 2 or 3, got '%s'",
                                level_arg);
        goto done;
    }
    if (sliver_arg && !cli_parse_number(sliver_arg, 0, 0, &sliver)) {
        rc = cli_usage_error("check",
                                "--sliver-m2 takes an area >= 0 in "
                                "m2, got '%s'",
                                sliver_arg);
        goto done;
    }
    if (tol_arg && (!cli_parse_number(tol_arg, 0, 0, &tol) || tol > 10)) {
        rc = cli_usage_error("check",
                                "--tolerance-m takes a width of 0..10 m, "
                                "got '%s'",
                                tol_arg);
        goto done;
    }
    if (optind != argc - 1) {
        rc = cli_usage_error("check", "give one store path");
        goto done;
    }
    sg_check_options_set_level(co, level);
    sg_check_options_set_sliver_m2(co, sliver);
    sg_check_options_set_tolerance_m(co, tol);
    ctx = cli_ctx(&common);
    if (!ctx) {
        rc = CLI_EXIT_FAIL;
        goto done;
    }
    const char *db = argv[optind];
    if (sg_store_open(ctx, db, 0, &store) || sg_check(ctx, store, co, &res)) {
        rc = cli_fail(ctx, "check");
        goto done;
    }
    if (common.json)
        print_json(db, level, sliver, tol, res);
    else if (!common.quiet)
        print_text(db, sliver, res);
done:
    sg_check_result_free(res);
    sg_store_close(store);
    sg_ctx_free(ctx);
    sg_check_options_free(co);
    return rc;
}
