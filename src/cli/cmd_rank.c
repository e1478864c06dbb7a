/* sanigrid rank: a thin layer over sg_rank(): its option table, run and
 * print callbacks for cli_run (cli.h, "the command skeleton"); prints the
 * lists (text, or one JSON object with --json).
 * Not for: the ranking itself (src/analysis/rank*.c).
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cmd_rank_schemas.h"
#include "sanigrid/rank.h"

/* The --help text is docs/cli/rank.md (STYLE rule 24). */

typedef struct args {
    sg_rank_options *o;
    sg_rank_result *r;
    const char *tiers;
    const char *schemas; /* --schemas: county schemas of a PostgreSQL DB */
    int save_tiers;
} args;

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
static void print_text(const cli_call *call)
{
    const sg_rank_result *r = CLI_ARGS(call, args)->r;
    printf(_("rank: %s units within %s"), sg_rank_level_to_string(r->level),
           sg_rank_within_to_string(r->within));
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
               gr->code                          ? gr->code
               : r->within == SG_RANK_WITHIN_ALL ? "all"
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
            if (un->missing)
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
    const char *p = u->missing ? u->missing : "";
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
                u->tier != SG_RANK_TIER_NONE ? sg_rank_tier_to_string(u->tier)
                                             : NULL);
    sg_json_str(j, "band", u->band >= 0 ? r->bands[u->band].label : NULL);
    json_num(j, "amount_village", u->amount_village);
    json_num(j, "amount_cadre", u->amount_cadre);
    sg_json_end_object(j);
}

/* The --json object. */
static void print_json(const cli_call *call, sg_json *j)
{
    const sg_rank_result *r = CLI_ARGS(call, args)->r;
    static const char *const source[] = {"coverage", "staffing", "grid"};
    sg_json_str(j, "level", sg_rank_level_to_string(r->level));
    sg_json_str(j, "within", sg_rank_within_to_string(r->within));
    sg_json_int(j, "grid_level", r->grid_level);
    json_period(j, "period", &r->period);
    sg_json_bool(j, "period_from_data", r->period_from_data);
    sg_json_str(j, "latest_inspection",
                r->latest_inspection[0] ? r->latest_inspection : NULL);
    json_period(j, "previous_period", &r->previous);
    sg_json_bool(j, "previous_ranked", r->previous_ranked);
    sg_json_object(j, "weights");
    for (int i = 0; i < SG_RANK_NIND; i++)
        sg_json_num(j, sg_rank_indicator_name(i), r->weights[i]);
    sg_json_end_object(j);
    sg_json_num(j, "scale", r->scale);
    sg_json_num(j, "deduction_per_finding", r->deduction_per_finding);
    sg_json_int(j, "red", r->red);
    sg_json_int(j, "black", r->black);
    sg_json_num(j, "list_share", r->list_share);
    sg_json_int(j, "list_min", r->list_min);
    sg_json_object(j, "sources");
    for (int i = 0; i < 3; i++)
        sg_json_str(j, source[i], r->source_run[i]);
    sg_json_end_object(j);
    sg_json_array(j, "bands");
    for (size_t b = 0; b < r->nbands; b++) {
        const sg_rank_band *bd = &r->bands[b];
        sg_json_object(j, NULL);
        sg_json_int(j, "from", bd->from_rank);
        sg_json_int(j, "to", bd->to_rank);
        sg_json_bool(j, "from_end", bd->from_end);
        sg_json_str(j, "label", bd->label);
        json_num(j, "amount_village", bd->amount_village);
        json_num(j, "amount_cadre", bd->amount_cadre);
        sg_json_end_object(j);
    }
    sg_json_end_array(j);
    sg_json_array(j, "units");
    for (size_t u = 0; u < r->nunits; u++)
        json_unit(j, r, &r->units[u]);
    sg_json_end_array(j);
    sg_json_array(j, "groups");
    for (size_t g = 0; g < r->ngroups; g++) {
        const sg_rank_group *gr = &r->groups[g];
        sg_json_object(j, NULL);
        sg_json_str(j, "code", gr->code);
        sg_json_str(j, "name", gr->name);
        sg_json_int(j, "units", gr->units);
        sg_json_int(j, "ranked", gr->ranked);
        sg_json_int(j, "red_size", gr->red_size);
        sg_json_int(j, "black_size", gr->black_size);
        for (int t = SG_RANK_TIER_RED; t <= SG_RANK_TIER_BLACK; t++) {
            sg_json_array(j, sg_rank_tier_to_string((sg_rank_tier)t));
            for (size_t u = 0; u < r->nunits; u++) {
                const sg_rank_unit *un = &r->units[u];
                int same = un->within_code == gr->code ||
                           (un->within_code && gr->code &&
                            strcmp(un->within_code, gr->code) == 0);
                if (same && un->tier == (sg_rank_tier)t)
                    sg_json_str(j, NULL, un->code);
            }
            sg_json_end_array(j);
        }
        sg_json_num(j, "reward_village", gr->reward_village);
        sg_json_num(j, "fine_village", gr->fine_village);
        sg_json_num(j, "reward_cadre", gr->reward_cadre);
        sg_json_num(j, "fine_cadre", gr->fine_cadre);
        sg_json_end_object(j);
    }
    sg_json_end_array(j);
    sg_json_object(j, "totals");
    sg_json_int(j, "units", (long long)r->nunits);
    sg_json_int(j, "ranked", r->ranked);
    sg_json_int(j, "inspections", r->inspections);
    sg_json_int(j, "inspections_elsewhere", r->inspections_elsewhere);
    sg_json_num(j, "reward_village", r->reward_village);
    sg_json_num(j, "fine_village", r->fine_village);
    sg_json_num(j, "reward_cadre", r->reward_cadre);
    sg_json_num(j, "fine_cadre", r->fine_cadre);
    sg_json_end_object(j);
}

static sg_status init(cli_call *call)
{
    args *a = CLI_ARGS(call, args);
    return (a->o = sg_rank_options_new()) ? SG_OK : SG_ERR_NOMEM;
}

#define SETTER(name, call_expr)                                                \
    static sg_status name(cli_call *call, const cli_value *v)                  \
    {                                                                          \
        sg_rank_options *o = CLI_ARGS(call, args)->o;                          \
        return call_expr;                                                      \
    }
static sg_status set_level(cli_call *call, const cli_value *v)
{
    sg_rank_level level;
    sg_status st = sg_rank_level_from_string(call->ctx, v->str, &level);
    return st ? st
              : sg_rank_options_set_level(call->ctx, CLI_ARGS(call, args)->o,
                                          level);
}

static sg_status set_within(cli_call *call, const cli_value *v)
{
    sg_rank_within within;
    sg_status st = sg_rank_within_from_string(call->ctx, v->str, &within);
    return st ? st
              : sg_rank_options_set_within(call->ctx, CLI_ARGS(call, args)->o,
                                           within);
}

SETTER(set_period, sg_rank_options_set_period(call->ctx, o, v->str))
SETTER(set_red, sg_rank_options_set_red(call->ctx, o, v->n))
SETTER(set_black, sg_rank_options_set_black(call->ctx, o, v->n))
SETTER(set_share, sg_rank_options_set_list_share(call->ctx, o, v->num))
SETTER(set_weights, sg_rank_options_set_weights(call->ctx, o, v->str))
#undef SETTER

static sg_status set_tiers(cli_call *call, const cli_value *v)
{
    args *a = CLI_ARGS(call, args);
    a->tiers = v->str;
    return sg_rank_options_set_tiers(call->ctx, a->o, v->str);
}

static const cli_option options[] = {
    {.name = "level", .kind = CLI_OPT_STRING, .set = set_level, .help = "L"},
    {.name = "period", .kind = CLI_OPT_STRING, .set = set_period, .help = "P"},
    {.name = "within", .kind = CLI_OPT_STRING, .set = set_within, .help = "W"},
    {.name = "red",
     .kind = CLI_OPT_INT,
     .set = set_red,
     .help = "N",
     .min = 0,
     .max = 100000,
     .what = N_("a whole number >= 0")},
    {.name = "black",
     .kind = CLI_OPT_INT,
     .set = set_black,
     .help = "M",
     .min = 0,
     .max = 100000,
     .what = N_("a whole number >= 0")},
    {.name = "list-share",
     .kind = CLI_OPT_NUMBER_NONNEG,
     .set = set_share,
     .help = "S",
     .max = 1},
    {.name = "weights",
     .kind = CLI_OPT_STRING,
     .set = set_weights,
     .help = "k=v,..."},
    {.name = "tiers",
     .kind = CLI_OPT_STRING,
     .set = set_tiers,
     .help = "BANDS"},
    {.name = "save-tiers",
     .kind = CLI_OPT_FLAG,
     .offset = CLI_AT(args, save_tiers)},
    {.name = "schemas",
     .kind = CLI_OPT_STRING,
     .offset = CLI_AT(args, schemas),
     .help = "A,B,..."},
    {.name = NULL}};

static int check(cli_call *call)
{
    args *a = CLI_ARGS(call, args);
    if (a->save_tiers && !a->tiers)
        return cli_usage_error("rank", "--save-tiers needs --tiers");
    if (sg_rank_options_set_save_tiers(call->ctx, a->o, a->save_tiers))
        return cli_usage_error("rank", "%s", sg_ctx_errmsg(call->ctx));
    if (a->schemas) /* cli_rank_schemas opens each county's schema */
        call->store_mode = CLI_STORE_NONE;
    return CLI_EXIT_OK;
}

static sg_status run(cli_call *call)
{
    args *a = CLI_ARGS(call, args);
    if (a->schemas) {
        /* one list over several counties, printed as it is made */
        call->printed = 1;
        call->rc = cli_rank_schemas(call->ctx, call->pos[0], a->schemas, a->o,
                                    &call->common);
        return call->rc == CLI_EXIT_OK ? SG_OK : SG_ERR_INTERNAL;
    }
    return sg_rank(call->ctx, call->store, a->o, &a->r);
}

static void cleanup(cli_call *call)
{
    args *a = CLI_ARGS(call, args);
    sg_rank_result_free(a->r);
    sg_rank_options_free(a->o);
}

static const cli_command command = {
    .name = "rank",
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

int cmd_rank(int argc, char **argv)
{
    return cli_run(&command, argc, argv);
}
