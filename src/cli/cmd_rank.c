/* sanigrid rank: a thin layer over sg_rank(): parse the options, rank,
 * print the lists (text, or one JSON object with --json).
 * Not for: the ranking itself (src/analysis/rank*.c).
 * SPDX-License-Identifier: MIT */
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "sanigrid/rank.h"

/* The --help text is docs/cli/rank.md (STYLE rule 24). */

/* Print \p v with \p prec decimals in \p w columns, "-" for NAN. */
static void print_num(double v, int w, int prec)
{
    if (isnan(v))
        printf(" %*s", w, "-");
    else
        printf(" %*.*f", w, prec, v);
}

/* Print a period as "LABEL (FIRST..LAST)". */
static void print_period(const sg_period *p)
{
    printf("%s (%s..%s)", p->label, p->first, p->last);
}

/* The text listing: parameters, then each group's table and lists. */
static void print_text(const sg_rank_result *r)
{
    printf(_("rank: %s units within %s"), r->level, r->within);
    if (r->period.kind) {
        printf(_(", period "));
        print_period(&r->period);
        if (r->period_from_data)
            printf(_(", the period of the latest inspection (%s)"),
                   r->latest_inspection);
    } else {
        printf(_(", no inspections"));
    }
    printf(_("\nweights:"));
    for (int i = 0; i < SG_RANK_NIND; i++)
        printf(" %s %g", sg_rank_indicator_name(i), r->weights[i]);
    printf(_(" (renormalised over the indicators each unit has)\n"));
    printf(_("lists per group: %g of the ranked units (rounded down), at "
           "least %lld, at most %lld red and %lld black; previous period "
           "%s%s\n"),
           r->list_share, r->list_min, r->red, r->black,
           r->previous.kind ? r->previous.label : _("none"),
           r->previous_ranked ? "" : _(" (no inspections: no rank change)"));
    size_t u = 0;
    for (size_t g = 0; g < r->ngroups; g++) {
        const sg_rank_group *gr = &r->groups[g];
        printf(_("\n%s %s: %lld units, %lld ranked; red list %lld, black "
                 "list %lld\n"),
               gr->code                        ? gr->code
               : strcmp(r->within, "all") == 0 ? "all"
                                               : _("(none)"),
               gr->name ? gr->name : "", gr->units, gr->ranked, gr->red_size,
               gr->black_size);
        if (gr->ranked == 1)
            printf(_("note: a single ranked unit is on no list\n"));
        /* TRANSLATORS: column heads over " %5lld %7.2f %6.1f %6.1f %6.1f
           %6.1f %6.1f %3lld %6.1f %+4lld %-5s CODE NAME": right-align each
           head to its column (a CJK character is 2 columns wide). */
        fputs(_(" rank   score  cover  staff   grid toilet   insp   n  trend  "
                "chg list  code name [band] (missing)\n"),
              stdout);
        for (; u < r->nunits; u++) {
            const sg_rank_unit *un = &r->units[u];
            if (!(un->within_code == gr->code ||
                  (un->within_code && gr->code &&
                   strcmp(un->within_code, gr->code) == 0)))
                break;
            if (un->rank_within)
                printf("%5lld", un->rank_within);
            else
                printf("%5s", "-");
            print_num(un->score, 7, 2);
            for (int i = 0; i < SG_RANK_INSPECTION; i++)
                print_num(un->value[i], 6, 1);
            print_num(un->value[SG_RANK_INSPECTION], 6, 1);
            printf(" %3lld", un->inspections);
            print_num(un->value[SG_RANK_TREND], 6, 1);
            if (un->has_rank_change)
                printf(" %+4lld", un->rank_change);
            else
                printf(" %4s", "-");
            fputc(' ', stdout);
            cli_put_left(stdout,
                            un->tier == SG_RANK_TIER_RED     ? _("red")
                            : un->tier == SG_RANK_TIER_BLACK ? _("black")
                                                             : "",
                            5);
            printf(" %s %s", un->code, un->name ? un->name : "");
            if (un->band >= 0)
                printf(" [%s]", r->bands[un->band].label);
            if (un->missing[0])
                printf(_(" (missing: %s)"), un->missing);
            printf("\n");
        }
        if (gr->reward_village || gr->fine_village || gr->reward_cadre ||
            gr->fine_cadre)
            printf(_("amounts: villages +%.2f / %.2f yuan, cadres +%.2f / "
                   "%.2f yuan\n"),
                   gr->reward_village, gr->fine_village, gr->reward_cadre,
                   gr->fine_cadre);
    }
    printf(_("\n%lld of %zu units ranked; %lld inspections in the period"),
           r->ranked, r->nunits, r->inspections);
    if (r->inspections_elsewhere)
        printf(_(" (%lld more for units outside the ranking)"),
               r->inspections_elsewhere);
    printf("\n");
}

/* JSON number of \p v, null for NAN. */
static void json_num(sg_json *j, const char *key, double v)
{
    if (isnan(v))
        sg_json_null(j, key);
    else
        sg_json_num(j, key, v);
}

/* JSON of a period (null for none). */
static void json_period(sg_json *j, const char *key, const sg_period *p)
{
    if (!p->kind) {
        sg_json_null(j, key);
        return;
    }
    sg_json_object(j, key);
    sg_json_str(j, "label", p->label);
    sg_json_str(j, "first", p->first);
    sg_json_str(j, "last", p->last);
    sg_json_end_object(j);
}

/* JSON of one unit. */
static void json_unit(sg_json *j, const sg_rank_result *r,
                      const sg_rank_unit *u)
{
    sg_json_object(j, NULL);
    sg_json_str(j, "unit_code", u->code);
    sg_json_str(j, "name", u->name);
    sg_json_str(j, "within_code", u->within_code);
    sg_json_str(j, "within_name", u->within_name);
    for (int i = 0; i < SG_RANK_NIND; i++)
        json_num(j, sg_rank_indicator_name(i), u->value[i]);
    sg_json_int(j, "inspections", u->inspections);
    sg_json_array(j, "missing");
    const char *p = u->missing;
    while (*p) {
        const char *c = strchr(p, ',');
        size_t n = c ? (size_t)(c - p) : strlen(p);
        char name[32];
        snprintf(name, sizeof name, "%.*s", (int)n, p);
        sg_json_str(j, NULL, name);
        p += n + (c != NULL);
    }
    sg_json_end_array(j);
    json_num(j, "score", u->score);
    if (u->rank) {
        sg_json_int(j, "rank", u->rank);
        sg_json_int(j, "rank_within", u->rank_within);
    } else {
        sg_json_null(j, "rank");
        sg_json_null(j, "rank_within");
    }
    if (u->previous_rank)
        sg_json_int(j, "previous_rank", u->previous_rank);
    else
        sg_json_null(j, "previous_rank");
    if (u->has_rank_change)
        sg_json_int(j, "rank_change", u->rank_change);
    else
        sg_json_null(j, "rank_change");
    sg_json_str(j, "tier",
                u->tier == SG_RANK_TIER_RED     ? "red"
                : u->tier == SG_RANK_TIER_BLACK ? "black"
                                                : NULL);
    sg_json_str(j, "band", u->band >= 0 ? r->bands[u->band].label : NULL);
    json_num(j, "amount_village", u->amount_village);
    json_num(j, "amount_cadre", u->amount_cadre);
    sg_json_end_object(j);
}

/* The --json object. */
static void print_json(const sg_rank_result *r)
{
    static const char *const source[] = {"coverage", "staffing", "grid"};
    sg_json j;
    sg_json_begin(&j, stdout);
    sg_json_object(&j, NULL);
    sg_json_str(&j, "level", r->level);
    sg_json_str(&j, "within", r->within);
    sg_json_int(&j, "grid_level", r->grid_level);
    json_period(&j, "period", &r->period);
    sg_json_bool(&j, "period_from_data", r->period_from_data);
    sg_json_str(&j, "latest_inspection",
                r->latest_inspection[0] ? r->latest_inspection : NULL);
    json_period(&j, "previous_period", &r->previous);
    sg_json_bool(&j, "previous_ranked", r->previous_ranked);
    sg_json_object(&j, "weights");
    for (int i = 0; i < SG_RANK_NIND; i++)
        sg_json_num(&j, sg_rank_indicator_name(i), r->weights[i]);
    sg_json_end_object(&j);
    sg_json_num(&j, "scale", r->scale);
    sg_json_num(&j, "deduction_per_finding", r->deduction_per_finding);
    sg_json_int(&j, "red", r->red);
    sg_json_int(&j, "black", r->black);
    sg_json_num(&j, "list_share", r->list_share);
    sg_json_int(&j, "list_min", r->list_min);
    sg_json_object(&j, "sources");
    for (int i = 0; i < 3; i++)
        sg_json_str(&j, source[i],
                    r->source_run[i][0] ? r->source_run[i] : NULL);
    sg_json_end_object(&j);
    sg_json_array(&j, "bands");
    for (size_t b = 0; b < r->nbands; b++) {
        const sg_rank_band *bd = &r->bands[b];
        sg_json_object(&j, NULL);
        sg_json_int(&j, "from", bd->from_rank);
        sg_json_int(&j, "to", bd->to_rank);
        sg_json_bool(&j, "from_end", bd->from_end);
        sg_json_str(&j, "label", bd->label);
        json_num(&j, "amount_village", bd->amount_village);
        json_num(&j, "amount_cadre", bd->amount_cadre);
        sg_json_end_object(&j);
    }
    sg_json_end_array(&j);
    sg_json_array(&j, "units");
    for (size_t u = 0; u < r->nunits; u++)
        json_unit(&j, r, &r->units[u]);
    sg_json_end_array(&j);
    sg_json_array(&j, "groups");
    for (size_t g = 0; g < r->ngroups; g++) {
        const sg_rank_group *gr = &r->groups[g];
        sg_json_object(&j, NULL);
        sg_json_str(&j, "code", gr->code);
        sg_json_str(&j, "name", gr->name);
        sg_json_int(&j, "units", gr->units);
        sg_json_int(&j, "ranked", gr->ranked);
        sg_json_int(&j, "red_size", gr->red_size);
        sg_json_int(&j, "black_size", gr->black_size);
        for (int t = SG_RANK_TIER_RED; t <= SG_RANK_TIER_BLACK; t++) {
            sg_json_array(&j, t == SG_RANK_TIER_RED ? "red" : "black");
            for (size_t u = 0; u < r->nunits; u++) {
                const sg_rank_unit *un = &r->units[u];
                int same = un->within_code == gr->code ||
                           (un->within_code && gr->code &&
                            strcmp(un->within_code, gr->code) == 0);
                if (same && un->tier == t)
                    sg_json_str(&j, NULL, un->code);
            }
            sg_json_end_array(&j);
        }
        sg_json_num(&j, "reward_village", gr->reward_village);
        sg_json_num(&j, "fine_village", gr->fine_village);
        sg_json_num(&j, "reward_cadre", gr->reward_cadre);
        sg_json_num(&j, "fine_cadre", gr->fine_cadre);
        sg_json_end_object(&j);
    }
    sg_json_end_array(&j);
    sg_json_object(&j, "totals");
    sg_json_int(&j, "units", (long long)r->nunits);
    sg_json_int(&j, "ranked", r->ranked);
    sg_json_int(&j, "inspections", r->inspections);
    sg_json_int(&j, "inspections_elsewhere", r->inspections_elsewhere);
    sg_json_num(&j, "reward_village", r->reward_village);
    sg_json_num(&j, "fine_village", r->fine_village);
    sg_json_num(&j, "reward_cadre", r->reward_cadre);
    sg_json_num(&j, "fine_cadre", r->fine_cadre);
    sg_json_end_object(&j);
    sg_json_end_object(&j);
    sg_json_finish(&j);
}

/* Parse a list size: a whole number 0..100000. \return 1 if ok. */
static int parse_size(const char *s, int *out)
{
    char *end = NULL;
    long n = s ? strtol(s, &end, 10) : -1;
    if (!s || end == s || *end || n < 0 || n > 100000)
        return 0;
    *out = (int)n;
    return 1;
}

/* The option values as given; checked after every option is read, so
 * that --help wins over a bad value. */
typedef struct rank_args {
    const char *level, *period, *within, *red, *black, *share, *weights,
        *tiers;
    int save_tiers, help;
} rank_args;

/* Apply \p a to \p o. \return CLI_EXIT_OK or CLI_EXIT_USAGE (message
 * printed). */
static int apply_args(sg_ctx *ctx, const rank_args *a, sg_rank_options *o)
{
    int n;
    if ((a->level && sg_rank_options_set_level(ctx, o, a->level)) ||
        (a->period && sg_rank_options_set_period(ctx, o, a->period)) ||
        (a->within && sg_rank_options_set_within(ctx, o, a->within)) ||
        (a->weights && sg_rank_options_set_weights(ctx, o, a->weights)) ||
        (a->tiers && sg_rank_options_set_tiers(ctx, o, a->tiers)))
        return cli_usage_error("rank", "%s", sg_ctx_errmsg(ctx));
    if (a->red) {
        if (!parse_size(a->red, &n))
            return cli_usage_error("rank",
                                      "--red takes a whole number "
                                      ">= 0, got '%s'",
                                      a->red);
        if (sg_rank_options_set_red(ctx, o, n))
            return cli_usage_error("rank", "%s", sg_ctx_errmsg(ctx));
    }
    if (a->black) {
        if (!parse_size(a->black, &n))
            return cli_usage_error("rank",
                                      "--black takes a whole number "
                                      ">= 0, got '%s'",
                                      a->black);
        if (sg_rank_options_set_black(ctx, o, n))
            return cli_usage_error("rank", "%s", sg_ctx_errmsg(ctx));
    }
    if (a->share) {
        double v;
        if (!sg_parse_number(a->share, &v) || !(v >= 0 && v <= 1))
            return cli_usage_error("rank",
                                      "--list-share takes a number from 0 "
                                      "to 1, got '%s'",
                                      a->share);
        if (sg_rank_options_set_list_share(ctx, o, v))
            return cli_usage_error("rank", "%s", sg_ctx_errmsg(ctx));
    }
    if (a->save_tiers && !a->tiers)
        return cli_usage_error("rank", "--save-tiers needs --tiers");
    if (sg_rank_options_set_save_tiers(ctx, o, a->save_tiers != 0))
        return cli_usage_error("rank", "%s", sg_ctx_errmsg(ctx));
    return CLI_EXIT_OK;
}

int cmd_rank(int argc, char **argv)
{
    static const struct option opts[] = {
        {"level", required_argument, NULL, 'l'},
        {"period", required_argument, NULL, 'p'},
        {"within", required_argument, NULL, 'w'},
        {"red", required_argument, NULL, 'r'},
        {"black", required_argument, NULL, 'b'},
        {"list-share", required_argument, NULL, 'S'},
        {"weights", required_argument, NULL, 'W'},
        {"tiers", required_argument, NULL, 't'},
        {"save-tiers", no_argument, NULL, 's'},
        {"json", no_argument, NULL, 'j'},
        {"quiet", no_argument, NULL, 'q'},
        {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    cli_common common = {0};
    rank_args a = {0};
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "hqv", opts, NULL)) != -1) {
        switch (c) {
        case 'l': a.level = optarg; break;
        case 'p': a.period = optarg; break;
        case 'w': a.within = optarg; break;
        case 'r': a.red = optarg; break;
        case 'b': a.black = optarg; break;
        case 'S': a.share = optarg; break;
        case 'W': a.weights = optarg; break;
        case 't': a.tiers = optarg; break;
        case 's': a.save_tiers = 1; break;
        case 'j': common.json = 1; break;
        case 'q': common.quiet = 1; break;
        case 'v': common.verbose = 1; break;
        case 'h': a.help = 1; break;
        default: return cli_usage_error("rank", "bad option");
        }
    }
    if (a.help) {
        cli_help("rank");
        return CLI_EXIT_OK;
    }
    if (optind != argc - 1)
        return cli_usage_error("rank", "give one store path");
    sg_ctx *ctx = cli_ctx(&common);
    sg_rank_options *ro = ctx ? sg_rank_options_new() : NULL;
    if (!ro) {
        sg_ctx_free(ctx);
        return CLI_EXIT_FAIL;
    }
    int rc = apply_args(ctx, &a, ro);
    sg_store *store = NULL;
    sg_rank_result *r = NULL;
    if (rc == CLI_EXIT_OK) {
        if (sg_store_open(ctx, argv[optind], 0, &store) ||
            sg_rank(ctx, store, ro, &r))
            rc = cli_fail(ctx, "rank");
        else if (common.json)
            print_json(r);
        else if (!common.quiet)
            print_text(r);
    }
    sg_rank_result_free(r);
    sg_store_close(store);
    sg_rank_options_free(ro);
    sg_ctx_free(ctx);
    return rc;
}
