/* sanigrid show: a layer's first rows as a table (lined up with Chinese
 * text), the mapping of its last import and each field's fill rate; a
 * thin layer over sg_store_show.
 * SPDX-License-Identifier: MIT */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

/* The --help text is docs/cli/show.md (STYLE rule 24). */

/* Widest cell shown, in display columns; longer text is cut. */
#define MAX_CELL 24

/* The header of column \p i: the field dictionary's Chinese header under
 * zh, else the field name. Borrowed. */
static const char *header(const sg_show_result *r, size_t i)
{
    const char *h = NULL;
    if (cli_lang_zh())
        h = sg_field_header(r->layer, r->cols[i].name, "zh");
    return h ? h : r->cols[i].name;
}

/* Print the table of the rows shown. */
static void print_table(const sg_show_result *r)
{
    int *w = calloc(r->ncols ? r->ncols : 1, sizeof *w);
    if (!w)
        return;
    for (size_t i = 0; i < r->ncols; i++) {
        w[i] = cli_text_width(header(r, i), NULL, -1);
        for (size_t k = 0; k < r->nrows; k++) {
            const char *c = r->cells[k * r->ncols + i];
            int cw = cli_text_width(c ? c : "", NULL, -1);
            if (cw > w[i])
                w[i] = cw;
        }
        if (w[i] > MAX_CELL)
            w[i] = MAX_CELL;
    }
    for (size_t i = 0; i < r->ncols; i++) {
        if (i)
            fputs("  ", stdout);
        cli_put_cell(stdout, header(r, i), w[i], 0);
    }
    fputc('\n', stdout);
    for (size_t k = 0; k < r->nrows; k++) {
        for (size_t i = 0; i < r->ncols; i++) {
            size_t at = k * r->ncols + i;
            if (i)
                fputs("  ", stdout);
            int num = r->kinds[at] == SG_SHOW_INT ||
                      r->kinds[at] == SG_SHOW_REAL;
            cli_put_cell(stdout, r->cells[at] ? r->cells[at] : "", w[i],
                            num);
        }
        fputc('\n', stdout);
    }
    free(w);
}

/* Print the mapping of the last import. */
static void print_mapping(const sg_show_result *r)
{
    if (!r->import_at) {
        printf(_("\nmapping: no import into %s is recorded\n"), r->layer);
        return;
    }
    printf(_("\nmapping of the last import (%s, %s, %s):\n"), r->import_at,
           r->import_source ? r->import_source : "?",
           r->import_mode ? r->import_mode : "?");
    if (!r->map_recorded) {
        printf(_("  (not recorded: imported by an older sanigrid)\n"));
        return;
    }
    if (!r->nmap && !r->nset)
        printf(_("  (no columns matched)\n"));
    for (size_t i = 0; i < r->nmap; i++)
        printf("  %s <- %s\n", r->map_fields[i] ? r->map_fields[i] : "",
               r->map_columns[i] ? r->map_columns[i] : "");
    for (size_t i = 0; i < r->nset; i++)
        printf("  %s = %s (--set)\n", r->set_fields[i] ? r->set_fields[i] : "",
               r->set_values[i] ? r->set_values[i] : "");
}

/* Print each column's fill rate. */
static void print_fill(const sg_show_result *r, int filtered)
{
    if (filtered)
        printf(_("\nfill rate (non-empty share of the %lld rows matching "
                 "--where):\n"),
               r->matched);
    else
        printf(_("\nfill rate (non-empty share of the %lld rows):\n"),
               r->matched);
    int w = 0;
    for (size_t i = 0; i < r->ncols; i++) {
        int hw = cli_text_width(header(r, i), NULL, -1);
        if (hw > w)
            w = hw;
    }
    for (size_t i = 0; i < r->ncols; i++) {
        char pct[32], cnt[32];
        if (r->matched)
            snprintf(pct, sizeof pct, "%.1f %%",
                     100.0 * (double)r->cols[i].filled / (double)r->matched);
        else
            snprintf(pct, sizeof pct, "-");
        snprintf(cnt, sizeof cnt, "%lld", r->cols[i].filled);
        fputs("  ", stdout);
        cli_put_cell(stdout, header(r, i), w, 0);
        fputs("  ", stdout);
        cli_put_cell(stdout, pct, 8, 1);
        fputs("  ", stdout);
        cli_put_cell(stdout, cnt, 10, 1);
        fputc('\n', stdout);
    }
}

/* Print \p r as one JSON object. */
static void print_json(const char *db, const sg_show_result *r,
                       const char *where)
{
    sg_json j;
    sg_json_begin(&j, stdout);
    sg_json_object(&j, NULL);
    sg_json_str(&j, "store", db);
    sg_json_str(&j, "layer", r->layer);
    sg_json_str(&j, "where", where);
    sg_json_int(&j, "rows_total", r->total);
    sg_json_int(&j, "rows_matched", r->matched);
    sg_json_array(&j, "columns");
    for (size_t i = 0; i < r->ncols; i++) {
        sg_json_object(&j, NULL);
        sg_json_str(&j, "name", r->cols[i].name);
        sg_json_str(&j, "type", r->cols[i].type);
        sg_json_str(&j, "header_zh",
                    sg_field_header(r->layer, r->cols[i].name, "zh"));
        sg_json_int(&j, "filled", r->cols[i].filled);
        if (r->matched)
            sg_json_num(&j, "fill_rate",
                        (double)r->cols[i].filled / (double)r->matched);
        else
            sg_json_null(&j, "fill_rate");
        sg_json_end_object(&j);
    }
    sg_json_end_array(&j);
    sg_json_array(&j, "rows");
    for (size_t k = 0; k < r->nrows; k++) {
        sg_json_object(&j, NULL);
        for (size_t i = 0; i < r->ncols; i++) {
            size_t at = k * r->ncols + i;
            const char *name = r->cols[i].name;
            if (r->kinds[at] == SG_SHOW_NULL || !r->cells[at])
                sg_json_null(&j, name);
            else if (r->kinds[at] == SG_SHOW_TEXT)
                sg_json_str(&j, name, r->cells[at]);
            else
                sg_json_raw(&j, name, r->cells[at]);
        }
        sg_json_end_object(&j);
    }
    sg_json_end_array(&j);
    if (!r->import_at) {
        sg_json_null(&j, "import");
    } else {
        sg_json_object(&j, "import");
        sg_json_str(&j, "started_at", r->import_at);
        sg_json_str(&j, "source", r->import_source);
        sg_json_str(&j, "mode", r->import_mode);
        if (r->map_recorded) {
            sg_json_object(&j, "mapping");
            for (size_t i = 0; i < r->nmap; i++)
                if (r->map_fields[i])
                    sg_json_str(&j, r->map_fields[i], r->map_columns[i]);
            sg_json_end_object(&j);
            sg_json_object(&j, "set");
            for (size_t i = 0; i < r->nset; i++)
                if (r->set_fields[i])
                    sg_json_str(&j, r->set_fields[i], r->set_values[i]);
            sg_json_end_object(&j);
        } else {
            sg_json_null(&j, "mapping");
            sg_json_null(&j, "set");
        }
        sg_json_end_object(&j);
    }
    sg_json_end_object(&j);
    sg_json_finish(&j);
}

int cmd_show(int argc, char **argv)
{
    static const struct option opts[] = {
        {"limit", required_argument, NULL, 'n'},
        {"where", required_argument, NULL, 'w'},
        {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    cli_common common = {0};
    const char *where = NULL;
    long long limit = 10;
    int c;
    if (cli_help_asked("show", argc, argv))
        return CLI_EXIT_OK;
    optind = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'n': {
            char *end = NULL;
            long long v = strtoll(optarg, &end, 10);
            if (end == optarg || *end || v < 0 || v > 100000000)
                return cli_usage_error(
                    "show", "--limit takes a whole number >= 0, got '%s'",
                    optarg);
            limit = v;
            break;
        }
        case 'w': where = optarg; break;
        case 'j': common.json = 1; break;
        case 'h': cli_help("show"); return CLI_EXIT_OK;
        default: return cli_usage_error("show", "bad option");
        }
    }
    if (optind != argc - 2)
        return cli_usage_error("show", "give DB LAYER");
    const char *db = argv[optind], *layer = argv[optind + 1];
    sg_ctx *ctx = cli_ctx(&common);
    if (!ctx)
        return CLI_EXIT_FAIL;
    sg_store *store = NULL;
    sg_show_result *r = NULL;
    int rc = CLI_EXIT_OK;
    if (sg_store_open(ctx, db, SG_STORE_READONLY, &store) ||
        sg_store_show(ctx, store, layer, where, limit, &r)) {
        rc = cli_fail(ctx, "show");
        goto done;
    }
    if (common.json) {
        print_json(db, r, where);
        goto done;
    }
    if (where)
        printf(_("layer %s: %lld rows, %lld matching --where; the first "
                 "%zu:\n"),
               layer, r->total, r->matched, r->nrows);
    else
        printf(_("layer %s: %lld rows; the first %zu:\n"), layer, r->total,
               r->nrows);
    if (limit > 0)
        print_table(r);
    print_mapping(r);
    print_fill(r, where != NULL);
done:
    sg_show_result_free(r);
    sg_store_close(store);
    sg_ctx_free(ctx);
    return rc;
}
