/* sanigrid site: a thin layer over sg_site(): parse the options, run the
 * siting analysis, print a summary (text or one JSON object).
 * Not for: the analysis itself (src/analysis/site*.c).
 * SPDX-License-Identifier: MIT */
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "sanigrid/site.h"

/* The --help text is docs/cli/site.md (STYLE rule 24). */

/* Parse a number (the CLI never sets LC_NUMERIC, so strtod reads a '.'
 * decimal point). \return 1 and *out for a finite number > 0 (>= 0 if
 * \p zero_ok). */
static int parse_pos(const char *s, double *out, int zero_ok)
{
    return cli_parse_number(s, 0, !zero_ok, out);
}

/* Write the coverage figures \p c as object \p key. */
static void json_coverage(sg_json *j, const char *key,
                          const sg_site_coverage *c, int network)
{
    sg_json_object(j, key);
    sg_json_int(j, "households", c->households);
    sg_json_int(j, "residents", c->residents);
    sg_json_int(j, "covered_households", c->covered_households);
    sg_json_int(j, "covered_residents", c->covered_residents);
    sg_json_int(j, "beyond_households", c->beyond_households);
    sg_json_int(j, "beyond_residents", c->beyond_residents);
    if (network)
        sg_json_int(j, "unreachable", c->unreachable);
    else
        sg_json_null(j, "unreachable");
    sg_json_end_object(j);
}

/* The result as one JSON object on stdout. */
static void print_json(const char *db, const sg_site_result *r)
{
    int net = r->metric == SG_METRIC_NETWORK;
    sg_json j;
    sg_json_begin(&j, stdout);
    sg_json_object(&j, NULL);
    sg_json_str(&j, "store", db);
    sg_json_str(&j, "mode", r->mode);
    if (r->k)
        sg_json_int(&j, "k", r->k);
    else
        sg_json_null(&j, "k");
    sg_json_str(&j, "kind", r->kind);
    sg_json_str(&j, "metric", net ? "network" : "euclid");
    sg_json_num(&j, "radius_m", r->radius_m);
    sg_json_str(&j, "radius_source", r->radius_source);
    sg_json_num(&j, "max_snap_m", r->max_snap_m);
    sg_json_str(&j, "candidates", r->candidates);
    sg_json_num(&j, "spacing_m", r->spacing_m);
    sg_json_str(&j, "division_code", r->division_code[0] ? r->division_code
                                                         : NULL);
    sg_json_str(&j, "division_name", r->division_code[0] ? r->division_name
                                                         : NULL);
    if (r->capacity > 0)
        sg_json_num(&j, "capacity", r->capacity);
    else
        sg_json_null(&j, "capacity");
    sg_json_str(&j, "capacity_unit",
                r->capacity > 0 ? r->capacity_unit : NULL);
    sg_json_str(&j, "capacity_source",
                r->capacity > 0 ? r->capacity_source : NULL);
    sg_json_str(&j, "method", r->method);
    sg_json_str(&j, "objective", r->objective);
    sg_json_num(&j, "value", r->value);
    sg_json_num(&j, "bound", r->bound);
    sg_json_str(&j, "bound_kind",
                strcmp(r->mode, "add") == 0 ? "upper" : "lower");
    sg_json_num(&j, "gap", r->gap);
    sg_json_bool(&j, "time_limit_hit", r->time_limit_hit);
    sg_json_int(&j, "points", r->points);
    sg_json_int(&j, "candidates_total", r->candidates_total);
    sg_json_int(&j, "candidates_useful", r->candidates_useful);
    sg_json_int(&j, "candidates_kept", r->candidates_kept);
    sg_json_int(&j, "demand_households", r->demand_households);
    sg_json_int(&j, "demand_rows", r->demand_rows);
    json_coverage(&j, "before", &r->before, net);
    json_coverage(&j, "after", &r->after, net);
    sg_json_array(&j, "proposals");
    for (size_t i = 0; i < r->nproposals; i++) {
        const sg_site_proposal *p = r->proposals + i;
        sg_json_object(&j, NULL);
        sg_json_int(&j, "rank", p->rank);
        sg_json_str(&j, "candidate_id", p->candidate_id);
        sg_json_num(&j, "x", p->x);
        sg_json_num(&j, "y", p->y);
        sg_json_int(&j, "households_new", p->households_new);
        sg_json_int(&j, "residents_new", p->residents_new);
        sg_json_str(&j, "division_code", p->division_code);
        sg_json_str(&j, "village", p->village);
        sg_json_end_object(&j);
    }
    sg_json_end_array(&j);
    sg_json_array(&j, "uncoverable");
    for (size_t i = 0; i < r->nuncoverable; i++) {
        const sg_site_uncoverable *u = r->uncoverable + i;
        sg_json_object(&j, NULL);
        sg_json_str(&j, "household_id", u->household_id);
        sg_json_int(&j, "residents", u->residents);
        sg_json_str(&j, "reason", u->reason);
        sg_json_end_object(&j);
    }
    sg_json_end_array(&j);
    sg_json_int(&j, "households_unserved", r->households_unserved);
    sg_json_num(&j, "seconds", r->seconds);
    sg_json_array(&j, "layers");
    sg_json_str(&j, NULL, "site_proposals");
    sg_json_str(&j, NULL, "site_uncoverable");
    sg_json_end_array(&j);
    sg_json_end_object(&j);
    sg_json_finish(&j);
}

/* "n of m (p%)" into \p buf. */
static const char *share(char *buf, size_t size, long long n, long long of)
{
    snprintf(buf, size, _("%lld of %lld (%.1f%%)"), n, of,
             of > 0 ? 100.0 * (double)n / (double)of : 0.0);
    return buf;
}

/* The text summary on stdout. */
static void print_text(const sg_site_result *r)
{
    char a[96], b[96];
    int add = strcmp(r->mode, "add") == 0;
    if (add)
        printf(_("site: up to %lld new %s point%s"), r->k, r->kind,
               SG_PL(r->k));
    else
        printf(_("site: the fewest new %s points covering everyone"), r->kind);
    printf(_(" within %g m %s (%s)\n"), r->radius_m,
           r->metric == SG_METRIC_NETWORK ? _("along roads") : _("straight line"),
           r->radius_source);
    if (r->division_code[0])
        printf(_("  division        %s %s\n"), r->division_code,
               r->division_name);
    printf(_("  candidates      %lld (%s), %lld covering someone, %lld kept "
           "after pruning\n"),
           r->candidates_total, r->candidates, r->candidates_useful,
           r->candidates_kept);
    if (r->capacity > 0)
        printf(_("  capacity        %g %s per new point (%s)\n"), r->capacity,
               r->capacity_unit, r->capacity_source);
    printf(_("  method          %s%s: %g %s, %s bound %g, gap %.2f%%\n"),
           r->method, r->time_limit_hit ? _(" (time limit)") : "", r->value,
           r->objective, add ? _("upper") : _("lower"), r->bound, 100 * r->gap);
    printf(_("  before          %s households, %s residents covered\n"),
           share(a, sizeof a, r->before.covered_households,
                 r->before.households),
           share(b, sizeof b, r->before.covered_residents,
                 r->before.residents));
    printf(_("  after           %s households, %s residents covered\n"),
           share(a, sizeof a, r->after.covered_households,
                 r->after.households),
           share(b, sizeof b, r->after.covered_residents,
                 r->after.residents));
    if (r->nuncoverable)
        printf(_("  uncoverable     %zu households (layer site_uncoverable)\n"),
               r->nuncoverable);
    if (r->nproposals)
        printf(_("  rank  candidate                   households  residents  "
               "village\n"));
    for (size_t i = 0; i < r->nproposals; i++) {
        const sg_site_proposal *p = r->proposals + i;
        printf("  %4lld  %-26s  %10lld  %9lld  %s\n", p->rank,
               p->candidate_id, p->households_new, p->residents_new,
               p->village ? p->village
                          : p->division_code ? p->division_code : "");
    }
    printf(_("results: layers site_proposals (%zu) and site_uncoverable "
           "(%zu)\n"),
           r->nproposals, r->nuncoverable);
}

/* What the command line asked for, before it is checked. */
typedef struct args {
    const char *add, *kind, *radius, *metric, *candidates, *spacing;
    const char *division, *capacity, *cap_unit, *max_snap, *snap_m;
    const char *method, *time_limit;
    int cover_all, cross;
} args;

/* Check \p a and fill \p so and \p no. \return CLI_EXIT_OK or the usage
 * exit code (message printed). */
static int apply_args(sg_ctx *ctx, const args *a, sg_site_options *so,
                      sg_network_options *no)
{
    double v = 0;
    if (!a->add == !a->cover_all)
        return cli_usage_error("site", "give either --add K or "
                                          "--cover-all");
    if (a->add) {
        char *end = NULL;
        long k = strtol(a->add, &end, 10);
        if (end == a->add || *end || k < 1 || k > INT_MAX)
            return cli_usage_error("site",
                                      "--add takes a whole number >= 1, "
                                      "got '%s'",
                                      a->add);
        if (sg_site_options_set_add(ctx, so, (int)k))
            return cli_usage_error("site", "%s", sg_ctx_errmsg(ctx));
    } else if (sg_site_options_set_cover_all(ctx, so)) {
        return cli_usage_error("site", "%s", sg_ctx_errmsg(ctx));
    }
    if ((a->kind && sg_site_options_set_kind(ctx, so, a->kind)) ||
        (a->candidates &&
         sg_site_options_set_candidates(ctx, so, a->candidates)) ||
        (a->division && sg_site_options_set_division(ctx, so, a->division)))
        return cli_usage_error("site", "%s", sg_ctx_errmsg(ctx));
    struct {
        const char *arg, *name;
        int zero_ok;
        sg_status (*set)(sg_ctx *, sg_site_options *, double);
    } nums[] = {{a->radius, "--radius", 0, sg_site_options_set_radius},
                {a->spacing, "--spacing", 0, sg_site_options_set_spacing},
                {a->max_snap, "--max-snap", 1, sg_site_options_set_max_snap},
                {a->time_limit, "--time-limit", 0,
                 sg_site_options_set_time_limit}};
    for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++) {
        if (!nums[i].arg)
            continue;
        if (!parse_pos(nums[i].arg, &v, nums[i].zero_ok))
            return cli_usage_error("site", "%s takes a number %s 0, got "
                                              "'%s'",
                                      nums[i].name,
                                      nums[i].zero_ok ? ">=" : ">",
                                      nums[i].arg);
        if (nums[i].set(ctx, so, v))
            return cli_usage_error("site", "%s", sg_ctx_errmsg(ctx));
    }
    if (a->metric) {
        if (strcmp(a->metric, "euclid") == 0)
            (void)sg_site_options_set_metric(ctx, so, SG_METRIC_EUCLID);
        else if (strcmp(a->metric, "network") == 0)
            (void)sg_site_options_set_metric(ctx, so, SG_METRIC_NETWORK);
        else
            return cli_usage_error("site",
                                      "--metric takes euclid or network, "
                                      "got '%s'",
                                      a->metric);
    }
    sg_site_capacity_unit unit = SG_SITE_CAP_HOUSEHOLDS;
    if (a->cap_unit) {
        if (strcmp(a->cap_unit, "residents") == 0)
            unit = SG_SITE_CAP_RESIDENTS;
        else if (strcmp(a->cap_unit, "households") != 0)
            return cli_usage_error("site",
                                      "--capacity-unit takes households or "
                                      "residents, got '%s'",
                                      a->cap_unit);
    }
    if (a->capacity && strcmp(a->capacity, "setting") == 0) {
        if (a->cap_unit && unit != SG_SITE_CAP_HOUSEHOLDS)
            return cli_usage_error("site", "--capacity setting counts "
                                              "households");
        if (sg_site_options_set_capacity(ctx, so, -1, SG_SITE_CAP_HOUSEHOLDS))
            return cli_usage_error("site", "%s", sg_ctx_errmsg(ctx));
    } else if (a->capacity) {
        if (!parse_pos(a->capacity, &v, 0) || v < 1 || v != floor(v))
            return cli_usage_error("site",
                                      "--capacity takes a whole number >= "
                                      "1 or `setting`, got '%s'",
                                      a->capacity);
        if (sg_site_options_set_capacity(ctx, so, v, unit))
            return cli_usage_error("site", "%s", sg_ctx_errmsg(ctx));
    } else if (a->cap_unit) {
        return cli_usage_error("site", "--capacity-unit needs --capacity");
    }
    if (a->method) {
        if (strcmp(a->method, "greedy") == 0)
            (void)sg_site_options_set_exact_limit(ctx, so, 0);
        else if (strcmp(a->method, "auto") != 0)
            return cli_usage_error("site",
                                      "--method takes auto or greedy, got "
                                      "'%s'",
                                      a->method);
    }
    if (a->snap_m) {
        if (!parse_pos(a->snap_m, &v, 1))
            return cli_usage_error("site",
                                      "--snap-m takes a distance >= 0 in "
                                      "metres, got '%s'",
                                      a->snap_m);
        sg_network_options_set_snap_m(no, v);
    }
    sg_network_options_set_node_crossings(no, a->cross);
    if (sg_site_options_set_network(ctx, so, no))
        return cli_usage_error("site", "%s", sg_ctx_errmsg(ctx));
    return CLI_EXIT_OK;
}

/* sanigrid site DB --accept [IDS]: the proposals become points.
 * \return the exit code. */
static int run_accept(sg_ctx *ctx, const args *a, const cli_common *common,
                      int argc, char **argv)
{
    if (a->add || a->cover_all)
        return cli_usage_error("site", "--accept takes no --add or "
                                          "--cover-all: it accepts the "
                                          "proposals of the last run");
    if (optind >= argc)
        return cli_usage_error("site", "give one store path");
    const char *db = argv[optind];
    const char *const *ids = (const char *const *)argv + optind + 1;
    size_t nids = (size_t)(argc - optind - 1);
    sg_store *store = NULL;
    long long n = 0;
    sg_status st = sg_store_open(ctx, db, 0, &store);
    if (st == SG_OK)
        st = sg_site_accept(ctx, store, ids, nids, &n);
    const char *snap = st == SG_OK ? sg_store_last_snapshot(store) : NULL;
    int rc = CLI_EXIT_OK;
    if (common->json) {
        sg_json j;
        sg_json_begin(&j, stdout);
        sg_json_object(&j, NULL);
        sg_json_str(&j, "store", db);
        sg_json_int(&j, "accepted", n);
        sg_json_str(&j, "snapshot", snap);
        sg_json_str(&j, "status", sg_status_name(st));
        if (st != SG_OK)
            sg_json_str(&j, "error", sg_ctx_errmsg(ctx));
        sg_json_end_object(&j);
        sg_json_finish(&j);
        if (st != SG_OK)
            rc = cli_exit_code(st);
    } else if (st != SG_OK) {
        rc = cli_fail(ctx, "site");
    } else if (!common->quiet) {
        printf(_("accepted %lld proposal%s as points; `sanigrid coverage "
                 "%s` counts them\n"),
               n, SG_PL(n), db);
        if (snap) {
            const char *b = strrchr(snap, '/');
            printf(_("snapshot before: %s (undo: sanigrid restore %s %d)\n"),
                   b ? b + 1 : snap, db, atoi(b ? b + 1 : snap));
        }
    }
    sg_store_close(store);
    return rc;
}

int cmd_site(int argc, char **argv)
{
    static const struct option opts[] = {
        {"add", required_argument, NULL, 'a'},
        {"cover-all", no_argument, NULL, 'A'},
        {"accept", no_argument, NULL, 'P'},
        {"kind", required_argument, NULL, 'k'},
        {"radius", required_argument, NULL, 'r'},
        {"metric", required_argument, NULL, 'm'},
        {"candidates", required_argument, NULL, 'c'},
        {"spacing", required_argument, NULL, 's'},
        {"division", required_argument, NULL, 'd'},
        {"capacity", required_argument, NULL, 'C'},
        {"capacity-unit", required_argument, NULL, 'U'},
        {"max-snap", required_argument, NULL, 'M'},
        {"snap-m", required_argument, NULL, 'S'},
        {"node-crossings", no_argument, NULL, 'x'},
        {"method", required_argument, NULL, 'e'},
        {"time-limit", required_argument, NULL, 't'},
        {"json", no_argument, NULL, 'j'},
        {"quiet", no_argument, NULL, 'q'},
        {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    cli_common common = {0};
    args a = {0};
    sg_site_options *so = sg_site_options_new();
    sg_network_options *no = sg_network_options_new();
    sg_site_result *res = NULL;
    sg_ctx *ctx = NULL;
    sg_store *store = NULL;
    int c, rc = CLI_EXIT_OK, help_asked = 0, accept = 0;
    if (!so || !no) {
        sg_site_options_free(so);
        sg_network_options_free(no);
        return CLI_EXIT_FAIL;
    }
    optind = 0;
    while ((c = getopt_long(argc, argv, "hqv", opts, NULL)) != -1) {
        switch (c) {
        case 'a': a.add = optarg; break;
        case 'A': a.cover_all = 1; break;
        case 'P': accept = 1; break;
        case 'k': a.kind = optarg; break;
        case 'r': a.radius = optarg; break;
        case 'm': a.metric = optarg; break;
        case 'c': a.candidates = optarg; break;
        case 's': a.spacing = optarg; break;
        case 'd': a.division = optarg; break;
        case 'C': a.capacity = optarg; break;
        case 'U': a.cap_unit = optarg; break;
        case 'M': a.max_snap = optarg; break;
        case 'S': a.snap_m = optarg; break;
        case 'x': a.cross = 1; break;
        case 'e': a.method = optarg; break;
        case 't': a.time_limit = optarg; break;
        case 'j': common.json = 1; break;
        case 'q': common.quiet = 1; break;
        case 'v': common.verbose = 1; break;
        case 'h': help_asked = 1; break;
        default: rc = cli_usage_error("site", "bad option"); goto done;
        }
    }
    if (help_asked) {
        cli_help("site");
        goto done;
    }
    if (!(ctx = cli_ctx(&common))) {
        rc = CLI_EXIT_FAIL;
        goto done;
    }
    if (accept) {
        rc = run_accept(ctx, &a, &common, argc, argv);
        goto done;
    }
    if ((rc = apply_args(ctx, &a, so, no)))
        goto done;
    if (optind != argc - 1) {
        rc = cli_usage_error("site", "give one store path");
        goto done;
    }
    const char *db = argv[optind];
    if (sg_store_open(ctx, db, 0, &store) || sg_site(ctx, store, so, &res)) {
        rc = cli_fail(ctx, "site");
        goto done;
    }
    if (common.json)
        print_json(db, res);
    else if (!common.quiet)
        print_text(res);
done:
    sg_site_result_free(res);
    sg_store_close(store);
    sg_ctx_free(ctx);
    sg_site_options_free(so);
    sg_network_options_free(no);
    return rc;
}
