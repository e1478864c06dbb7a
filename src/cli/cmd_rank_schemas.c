/* sanigrid rank DB --schemas a,b,...: one list of the villages of several
 * county schemas of one PostgreSQL database (issue 21). Each county is
 * ranked as `sanigrid rank` ranks it (sg_rank on that schema's store,
 * which writes its rankings layer and run), then every ranked unit of
 * every county goes into one list by score, best first; ties share a
 * rank. Each row names its county schema and keeps its ranks in the
 * county (rank, rank_within).
 * Not for: ranking one store (cmd_rank.c), the ranking itself
 * (src/analysis/rank/).
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cmd_rank_schemas.h"
#include "sanigrid/conninfo.h"

typedef struct row {
    const char *schema;    /* borrowed from the schema list */
    const sg_rank_unit *u; /* borrowed from its county's result */
    long long rank;        /* in the province */
} row;

/* Best score first; then schema and unit code, for a stable listing. */
static int row_cmp(const void *a, const void *b)
{
    const row *x = a, *y = b;
    int xn = isnan(x->u->score), yn = isnan(y->u->score);
    if (xn != yn)
        return xn - yn;
    if (!xn && x->u->score != y->u->score)
        return x->u->score > y->u->score ? -1 : 1;
    int c = strcmp(x->schema, y->schema);
    return c ? c : strcmp(x->u->code, y->u->code);
}

static void json_num(sg_json *j, const char *key, double v)
{
    if (isnan(v))
        sg_json_null(j, key);
    else
        sg_json_num(j, key, v);
}

int cli_rank_schemas(sg_ctx *ctx, const char *db, const char *list,
                     const sg_rank_options *ro, const cli_common *common)
{
    char *names = strdup(list);
    char **schema = NULL;
    size_t ns = 0;
    int rc = CLI_EXIT_OK;
    for (char *save = NULL, *t = names ? strtok_r(names, ",", &save) : NULL; t;
         t = strtok_r(NULL, ",", &save)) {
        char **n = realloc(schema, (ns + 1) * sizeof *n);
        if (!n) {
            rc = CLI_EXIT_FAIL;
            break;
        }
        schema = n;
        schema[ns++] = t;
    }
    if (rc == CLI_EXIT_OK && !ns)
        rc = cli_usage_error("rank", _("--schemas takes county schemas "
                                       "separated by commas"));
    sg_rank_result **res = calloc(ns ? ns : 1, sizeof *res);
    if (!res)
        rc = CLI_EXIT_FAIL;
    for (size_t i = 0; rc == CLI_EXIT_OK && i < ns; i++) {
        for (size_t k = 0; k < i; k++)
            if (!strcmp(schema[k], schema[i]))
                rc = cli_usage_error("rank", _("--schemas names %s twice"),
                                     schema[i]);
        char *conn = rc ? NULL : sg_conninfo_with_schema(db, schema[i]);
        if (rc == CLI_EXIT_OK && !conn) {
            rc = cli_usage_error(
                "rank",
                _("--schemas needs a PostgreSQL connection string and plain "
                  "schema names (letters, digits, _), not '%s'"),
                schema[i]);
            break;
        }
        sg_store *store = NULL;
        if (rc == CLI_EXIT_OK && (sg_store_open(ctx, conn, 0, &store) ||
                                  sg_rank(ctx, store, ro, &res[i])))
            rc = cli_fail(ctx, "rank");
        sg_store_close(store);
        sg_free(conn);
    }
    size_t nrows = 0;
    for (size_t i = 0; rc == CLI_EXIT_OK && i < ns; i++)
        nrows += res[i]->nunits;
    row *rows =
        rc == CLI_EXIT_OK ? calloc(nrows ? nrows : 1, sizeof *rows) : NULL;
    if (rc == CLI_EXIT_OK && !rows)
        rc = CLI_EXIT_FAIL;
    if (rc == CLI_EXIT_OK) {
        size_t k = 0;
        for (size_t i = 0; i < ns; i++)
            for (size_t u = 0; u < res[i]->nunits; u++) {
                rows[k].schema = schema[i];
                rows[k++].u = &res[i]->units[u];
            }
        qsort(rows, nrows, sizeof *rows, row_cmp);
        /* competition ranking: ties share the rank of the first */
        for (size_t k2 = 0; k2 < nrows; k2++) {
            if (isnan(rows[k2].u->score))
                rows[k2].rank = 0;
            else if (k2 && !isnan(rows[k2 - 1].u->score) &&
                     rows[k2 - 1].u->score == rows[k2].u->score)
                rows[k2].rank = rows[k2 - 1].rank;
            else
                rows[k2].rank = (long long)k2 + 1;
        }
    }
    if (rc == CLI_EXIT_OK && common->json) {
        sg_json j;
        sg_json_begin(&j, stdout);
        sg_json_object(&j, NULL);
        sg_json_str(&j, "level", sg_rank_level_to_string(res[0]->level));
        sg_json_array(&j, "schemas");
        for (size_t i = 0; i < ns; i++) {
            sg_json_object(&j, NULL);
            sg_json_str(&j, "schema", schema[i]);
            sg_json_int(&j, "units", (long long)res[i]->nunits);
            sg_json_int(&j, "ranked", res[i]->ranked);
            sg_json_str(&j, "period",
                        res[i]->period.kind ? res[i]->period.label : NULL);
            sg_json_end_object(&j);
        }
        sg_json_end_array(&j);
        sg_json_array(&j, "units");
        for (size_t k = 0; k < nrows; k++) {
            const sg_rank_unit *u = rows[k].u;
            sg_json_object(&j, NULL);
            sg_json_str(&j, "schema", rows[k].schema);
            sg_json_str(&j, "unit_code", u->code);
            sg_json_str(&j, "name", u->name);
            sg_json_str(&j, "within_code", u->within_code);
            sg_json_str(&j, "within_name", u->within_name);
            json_num(&j, "score", u->score);
            if (rows[k].rank)
                sg_json_int(&j, "rank", rows[k].rank);
            else
                sg_json_null(&j, "rank");
            if (u->rank)
                sg_json_int(&j, "county_rank", u->rank);
            else
                sg_json_null(&j, "county_rank");
            if (u->rank_within)
                sg_json_int(&j, "rank_within", u->rank_within);
            else
                sg_json_null(&j, "rank_within");
            sg_json_str(&j, "tier",
                        u->tier != SG_RANK_TIER_NONE
                            ? sg_rank_tier_to_string(u->tier)
                            : NULL);
            sg_json_end_object(&j);
        }
        sg_json_end_array(&j);
        sg_json_end_object(&j);
        sg_json_finish(&j);
    } else if (rc == CLI_EXIT_OK && !common->quiet) {
        printf(_("rank: %s units of %zu county schemas in one list, best "
                 "first\n"),
               sg_rank_level_to_string(res[0]->level), ns);
        fputs(_(" rank   score  schema               code name\n"), stdout);
        for (size_t k = 0; k < nrows; k++) {
            const sg_rank_unit *u = rows[k].u;
            if (rows[k].rank)
                printf("%5lld", rows[k].rank);
            else
                printf("%5s", "-");
            if (isnan(u->score))
                printf(" %7s", "-");
            else
                printf(" %7.2f", u->score);
            printf("  %-20s %s %s\n", rows[k].schema, u->code,
                   u->name ? u->name : "");
        }
    }
    free(rows);
    for (size_t i = 0; res && i < ns; i++)
        sg_rank_result_free(res[i]);
    free(res);
    free(schema);
    free(names);
    return rc;
}
