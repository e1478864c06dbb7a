/* sanigrid staffing: a thin layer over sg_staffing().
 * SPDX-License-Identifier: MIT */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

/* The --help text is docs/cli/staffing.md (STYLE rule 24). */

int cmd_staffing(int argc, char **argv)
{
    static const struct option opts[] = {
        {"per-residents", required_argument, NULL, 'r'},
        {"per-households", required_argument, NULL, 'H'},
        {"per-road-km", required_argument, NULL, 'k'},
        {"min-per-village", required_argument, NULL, 'm'},
        {"level", required_argument, NULL, 'l'},
        {"json", no_argument, NULL, 'j'},
        {"quiet", no_argument, NULL, 'q'},
        {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    cli_common common = {0};
    sg_staffing_options *so = sg_staffing_options_new();
    const char *level = NULL;
    int c, rc = CLI_EXIT_OK;
    double v;
    if (!so)
        return CLI_EXIT_FAIL;
    optind = 0;
    while ((c = getopt_long(argc, argv, "hqv", opts, NULL)) != -1) {
        switch (c) {
        case 'r':
        case 'H':
        case 'k':
            /* --per-road-km 0 switches the road rule off */
            if (!cli_parse_number(optarg, 0, c != 'k', &v)) {
                rc = cli_usage_error("staffing",
                                        c == 'k' ? "expected a number >= 0, "
                                                   "got '%s'"
                                                 : "expected a positive "
                                                   "number, got '%s'",
                                        optarg);
                goto done;
            }
            if (c == 'r')
                sg_staffing_options_set_per_residents(so, v);
            else if (c == 'H')
                sg_staffing_options_set_per_households(so, v);
            else
                sg_staffing_options_set_per_road_km(so, v);
            break;
        case 'm': {
            char *end = NULL;
            long n = strtol(optarg, &end, 10);
            if (end == optarg || *end || n < 0 || n > 1000) {
                rc = cli_usage_error(
                    "staffing", "--min-per-village takes a whole number >= 0");
                goto done;
            }
            sg_staffing_options_set_min_per_village(so, (int)n);
            break;
        }
        case 'l': level = optarg; break;
        case 'j': common.json = 1; break;
        case 'q': common.quiet = 1; break;
        case 'v': common.verbose = 1; break;
        case 'h': cli_help("staffing"); goto done;
        default: rc = cli_usage_error("staffing", "bad option"); goto done;
        }
    }
    if (optind != argc - 1) {
        rc = cli_usage_error("staffing", "give one store path");
        goto done;
    }
    sg_ctx *ctx = cli_ctx(&common);
    if (!ctx) {
        rc = CLI_EXIT_FAIL;
        goto done;
    }
    sg_store *store = NULL;
    sg_staffing_result r;
    if ((level && sg_staffing_options_set_level(ctx, so, level)) ||
        sg_store_open(ctx, argv[optind], 0, &store) ||
        sg_staffing(ctx, store, so, &r)) {
        rc = cli_fail(ctx, "staffing");
    } else if (common.json) {
        sg_json j;
        sg_json_begin(&j, stdout);
        sg_json_object(&j, NULL);
        sg_json_str(&j, "mode", r.mode);
        sg_json_num(&j, "per_residents", r.per_residents);
        sg_json_num(&j, "per_households", r.per_households);
        sg_json_num(&j, "per_road_km_major", r.per_road_km_major);
        sg_json_num(&j, "per_road_km_village", r.per_road_km_village);
        sg_json_num(&j, "settlement_buffer_m", r.settlement_buffer_m);
        sg_json_int(&j, "min_per_village", r.min_per_village);
        sg_json_int(&j, "villages", r.villages);
        sg_json_int(&j, "residents", r.residents);
        sg_json_int(&j, "households", r.households);
        sg_json_int(&j, "households_outside", r.households_outside);
        sg_json_num(&j, "road_km", r.road_km);
        sg_json_num(&j, "road_km_outside", r.road_km_outside);
        sg_json_int(&j, "required", r.required);
        sg_json_int(&j, "current", r.current);
        sg_json_int(&j, "shortfall", r.shortfall);
        sg_json_int(&j, "surplus", r.surplus);
        sg_json_int(&j, "villages_short", r.villages_short);
        sg_json_end_object(&j);
        sg_json_finish(&j);
    } else if (!common.quiet) {
        printf(_("staffing (%s rule: 1 per %g%s; roads outside settlements: "
               "%g/km major, %g/km village; at least %lld per village)\n"),
               r.mode, r.per_households > 0 ? r.per_households : r.per_residents,
               r.per_households > 0 ? _(" households") : _(" people"),
               r.per_road_km_major, r.per_road_km_village, r.min_per_village);
        printf(_("%lld villages, %lld residents, %lld households, %.1f km of "
               "road (%.1f km outside settlements)\n"),
               r.villages, r.residents, r.households, r.road_km,
               r.road_km_outside);
        printf(_("required %lld, current %lld: shortfall %lld in %lld "
               "villages, surplus %lld\n"),
               r.required, r.current, r.shortfall, r.villages_short,
               r.surplus);
        if (r.households_outside)
            printf(_("note: %lld households lie in no village of the level\n"),
                   r.households_outside);
    }
    sg_store_close(store);
    sg_ctx_free(ctx);
done:
    sg_staffing_options_free(so);
    return rc;
}
