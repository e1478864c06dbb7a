/* sanigrid show: a layer's first rows as a table (lined up with Chinese
 * text), the mapping of its last import and each field's fill rate; a
 * thin layer over sg_store_show: its option table, run and print
 * callbacks for cli_run (cli.h, "the command skeleton").
 * SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

/* The --help text is docs/cli/show.md (STYLE rule 24). */

typedef struct args {
    int limit;         /* --limit; 10 by default */
    const char *where; /* --where */
    sg_show_result *r;
} args;

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

/* Cell \p at (row k, column i) as shown: a coded value by its Chinese
 * label under zh (the --json keeps the stored code), else as stored.
 * Borrowed; "" for NULL. */
static const char *cell(const sg_show_result *r, size_t k, size_t i)
{
    size_t at = k * r->ncols + i;
    const char *c = r->cells[at];
    if (!c)
        return "";
    if (cli_lang_zh() && r->kinds[at] == SG_SHOW_TEXT) {
        const char *l =
            sg_field_value_label(r->layer, r->cols[i].name, c, "zh");
        if (l)
            return l;
    }
    return c;
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
            int cw = cli_text_width(cell(r, k, i), NULL, -1);
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
            int num =
                r->kinds[at] == SG_SHOW_INT || r->kinds[at] == SG_SHOW_REAL;
            cli_put_cell(stdout, cell(r, k, i), w[i], num);
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

/* The result as the members of one JSON object. */
static void print_json(const cli_call *call, sg_json *j)
{
    const args *a = CLI_ARGS(call, args);
    const sg_show_result *r = a->r;
    const char *db = call->pos[0], *where = a->where;
    sg_json_str(j, "store", db);
    sg_json_str(j, "layer", r->layer);
    sg_json_str(j, "where", where);
    sg_json_int(j, "rows_total", r->total);
    sg_json_int(j, "rows_matched", r->matched);
    sg_json_array(j, "columns");
    for (size_t i = 0; i < r->ncols; i++) {
        sg_json_object(j, NULL);
        sg_json_str(j, "name", r->cols[i].name);
        sg_json_str(j, "type", r->cols[i].type);
        sg_json_str(j, "header_zh",
                    sg_field_header(r->layer, r->cols[i].name, "zh"));
        sg_json_int(j, "filled", r->cols[i].filled);
        if (r->matched)
            sg_json_num(j, "fill_rate",
                        (double)r->cols[i].filled / (double)r->matched);
        else
            sg_json_null(j, "fill_rate");
        sg_json_end_object(j);
    }
    sg_json_end_array(j);
    sg_json_array(j, "rows");
    for (size_t k = 0; k < r->nrows; k++) {
        sg_json_object(j, NULL);
        for (size_t i = 0; i < r->ncols; i++) {
            size_t at = k * r->ncols + i;
            const char *name = r->cols[i].name;
            if (r->kinds[at] == SG_SHOW_NULL || !r->cells[at])
                sg_json_null(j, name);
            else if (r->kinds[at] == SG_SHOW_TEXT)
                sg_json_str(j, name, r->cells[at]);
            else
                sg_json_raw(j, name, r->cells[at]);
        }
        sg_json_end_object(j);
    }
    sg_json_end_array(j);
    if (!r->import_at) {
        sg_json_null(j, "import");
    } else {
        sg_json_object(j, "import");
        sg_json_str(j, "started_at", r->import_at);
        sg_json_str(j, "source", r->import_source);
        sg_json_str(j, "mode", r->import_mode);
        if (r->map_recorded) {
            sg_json_object(j, "mapping");
            for (size_t i = 0; i < r->nmap; i++)
                if (r->map_fields[i])
                    sg_json_str(j, r->map_fields[i], r->map_columns[i]);
            sg_json_end_object(j);
            sg_json_object(j, "set");
            for (size_t i = 0; i < r->nset; i++)
                if (r->set_fields[i])
                    sg_json_str(j, r->set_fields[i], r->set_values[i]);
            sg_json_end_object(j);
        } else {
            sg_json_null(j, "mapping");
            sg_json_null(j, "set");
        }
        sg_json_end_object(j);
    }
}

static sg_status init(cli_call *call)
{
    CLI_ARGS(call, args)->limit = 10;
    return SG_OK;
}

static const cli_option options[] = {{.name = "limit",
                                      .kind = CLI_OPT_INT,
                                      .offset = CLI_AT(args, limit),
                                      .help = "N",
                                      .min = 0,
                                      .max = 100000000,
                                      .what = N_("a whole number >= 0")},
                                     {.name = "where",
                                      .kind = CLI_OPT_STRING,
                                      .offset = CLI_AT(args, where),
                                      .help = "EXPR"},
                                     {.name = NULL}};

static sg_status run(cli_call *call)
{
    args *a = CLI_ARGS(call, args);
    return sg_store_show(call->ctx, call->store, call->pos[1], a->where,
                         a->limit, &a->r);
}

static void print_text(const cli_call *call)
{
    const args *a = CLI_ARGS(call, args);
    const sg_show_result *r = a->r;
    const char *layer = call->pos[1];
    if (a->where)
        printf(_("layer %s: %lld rows, %lld matching --where; the first "
                 "%zu:\n"),
               layer, r->total, r->matched, r->nrows);
    else
        printf(_("layer %s: %lld rows; the first %zu:\n"), layer, r->total,
               r->nrows);
    if (a->limit > 0)
        print_table(r);
    print_mapping(r);
    print_fill(r, a->where != NULL);
}

static void cleanup(cli_call *call)
{
    sg_show_result_free(CLI_ARGS(call, args)->r);
}

static const cli_command command = {
    .name = "show",
    .options = options,
    .common = CLI_JSON,
    .min_args = 2,
    .max_args = 2,
    .args_error = N_("give DB LAYER"),
    .store = CLI_STORE_READ,
    .args_size = sizeof(args),
    .init = init,
    .run = run,
    .print_json = print_json,
    .print_text = print_text,
    .cleanup = cleanup,
};

int cmd_show(int argc, char **argv)
{
    return cli_run(&command, argc, argv);
}
