/* sanigrid sheets: a thin layer over sg_sheets() (include/sanigrid/
 * sheets.h); its option table and callbacks for cli_run (cli.h, "the
 * command skeleton").
 * SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "sanigrid/sheets.h"

/* The --help text is docs/cli/sheets.md (STYLE rule 24). */

typedef struct args {
    sg_sheets_options *so;
    int all; /* --all: the default, said out loud */
    sg_sheets_result *r;
} args;

static sg_status init(cli_call *call)
{
    args *a = CLI_ARGS(call, args);
    return (a->so = sg_sheets_options_new()) ? SG_OK : SG_ERR_NOMEM;
}

static sg_status add_division(cli_call *call, const cli_value *v)
{
    return sg_sheets_options_add_division(call->ctx, CLI_ARGS(call, args)->so,
                                          v->str);
}

static sg_status set_png(cli_call *call, const cli_value *v)
{
    return sg_sheets_options_set_png_dir(call->ctx, CLI_ARGS(call, args)->so,
                                         v->str);
}

static sg_status set_date(cli_call *call, const cli_value *v)
{
    return sg_sheets_options_set_date(call->ctx, CLI_ARGS(call, args)->so,
                                      v->str);
}

static sg_status set_include_personal(cli_call *call, const cli_value *v)
{
    return sg_sheets_options_set_include_personal(
        call->ctx, CLI_ARGS(call, args)->so, v->n);
}

static const cli_option options[] = {
    {.name = "division",
     .kind = CLI_OPT_STRING,
     .set = add_division,
     .help = "CODE"},
    {.name = "all", .kind = CLI_OPT_FLAG, .offset = CLI_AT(args, all)},
    {.name = "png", .kind = CLI_OPT_PATH, .set = set_png, .help = "DIR"},
    {.name = "date", .kind = CLI_OPT_STRING, .set = set_date, .help = "TEXT"},
    {.name = "include-personal",
     .kind = CLI_OPT_FLAG,
     .set = set_include_personal},
    {.name = NULL}};

static int check(cli_call *call)
{
    if (CLI_ARGS(call, args)->all && cli_given(call, "division"))
        return cli_usage_error("sheets", "give --division or --all, not both");
    return CLI_EXIT_OK;
}

static sg_status run(cli_call *call)
{
    args *a = CLI_ARGS(call, args);
    return sg_sheets(call->ctx, call->store, a->so, call->pos[1], &a->r);
}

static void print_json(const cli_call *call, sg_json *j)
{
    const sg_sheets_result *r = CLI_ARGS(call, args)->r;
    sg_json_str(j, "file", call->pos[1]);
    sg_json_int(j, "villages", r->villages);
    sg_json_int(j, "pages", r->pages);
    sg_json_int(j, "cleaners", r->cleaners);
    sg_json_int(j, "png_files", r->png_files);
    sg_json_int(j, "missing_glyphs", r->missing_glyphs);
}

static void print_text(const cli_call *call)
{
    const sg_sheets_result *r = CLI_ARGS(call, args)->r;
    printf(_("%s: %d villages, %d pages, %lld cleaners\n"), call->pos[1],
           r->villages, r->pages, r->cleaners);
}

static void notes(const cli_call *call)
{
    const sg_sheets_result *r = CLI_ARGS(call, args)->r;
    if (r->missing_glyphs > 0)
        fprintf(stderr,
                _("sanigrid sheets: warning: %lld characters could not be "
                  "drawn; install fonts-noto-cjk\n"),
                r->missing_glyphs);
}

static void cleanup(cli_call *call)
{
    args *a = CLI_ARGS(call, args);
    sg_sheets_options_free(a->so);
    sg_sheets_result_free(a->r);
}

static const cli_command command = {
    .name = "sheets",
    .options = options,
    .common = CLI_ALL,
    .min_args = 2,
    .max_args = 2,
    .args_error = N_("give DB and OUT.pdf"),
    .store = CLI_STORE_READ,
    .args_size = sizeof(args),
    .init = init,
    .check = check,
    .run = run,
    .print_json = print_json,
    .print_text = print_text,
    .notes = notes,
    .cleanup = cleanup,
};

int cmd_sheets(int argc, char **argv)
{
    return cli_run(&command, argc, argv);
}
