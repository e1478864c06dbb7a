/* sanigrid demo: build the demo store and its outputs; its option table
 * and callbacks for cli_run (cli.h, "the command skeleton").
 * SPDX-License-Identifier: MIT */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "cli/demo.h"

/* The --help text is docs/cli/demo.md (STYLE rule 24). */

typedef struct args {
    const char *data;  /* --data, else SANIGRID_DATA, else beside the tool */
    const char *store; /* --store: the store to build in, else OUTDIR's */
    cli_demo_result *r;
} args;

/* \return 1 if DIR/demo is a folder. */
static int has_demo(const char *dir)
{
    char path[PATH_MAX];
    struct stat st;
    int n = snprintf(path, sizeof path, "%s/demo", dir);
    return n > 0 && (size_t)n < sizeof path && stat(path, &st) == 0 &&
           S_ISDIR(st.st_mode);
}

static sg_status init(cli_call *call)
{
    CLI_ARGS(call, args)->data = getenv("SANIGRID_DATA");
    return SG_OK;
}

static const cli_option options[] = {{.name = "data",
                                      .kind = CLI_OPT_PATH,
                                      .offset = CLI_AT(args, data),
                                      .help = "DIR"},
                                     {.name = "store",
                                      .kind = CLI_OPT_STRING,
                                      .offset = CLI_AT(args, store),
                                      .help = "DB"},
                                     {.name = NULL}};

static sg_status run(cli_call *call)
{
    args *a = CLI_ARGS(call, args);
    const char *out = call->npos > 0 ? call->pos[0] : "demo-out";
    char found[PATH_MAX];
    const char *data = a->data;
    if (!data) /* <bin>/share/sanigrid (build tree), <bin>/../share/... */
        data = cli_beside_exe("share/sanigrid", "../share/sanigrid", has_demo,
                              found, sizeof found);
    if (!data) {
        fprintf(stderr, _("sanigrid demo: no demo data beside the tool; "
                          "give --data DIR (the folder holding demo/)\n"));
        call->rc = CLI_EXIT_INPUT;
        return SG_ERR_IO_OPEN;
    }
    char err[1024];
    sg_status st =
        cli_demo(call->ctx, data, out, a->store, &a->r, err, sizeof err);
    if (st) /* the message names the step that failed */
        call->rc = cli_fail_msg(call->cmd->name, st, err);
    return st;
}

static void print_json(const cli_call *call, sg_json *j)
{
    const cli_demo_result *r = CLI_ARGS(call, args)->r;
    sg_json_str(j, "store", r->store_path);
    sg_json_int(j, "imported", r->imported);
    sg_json_int(j, "rejected", r->rejected);
    sg_json_array(j, "outputs");
    for (size_t i = 0; i < r->noutputs; i++)
        sg_json_str(j, NULL, r->outputs[i]);
    sg_json_end_array(j);
}

static void print_text(const cli_call *call)
{
    const cli_demo_result *r = CLI_ARGS(call, args)->r;
    printf(_("demo store: %s (%lld features imported, %lld rejected)\n"),
           r->store_path, r->imported, r->rejected);
    for (size_t i = 0; i < r->noutputs; i++)
        printf(_("  wrote %s\n"), r->outputs[i]);
    printf(_("Data: (c) OpenStreetMap contributors, ODbL 1.0 "
             "(Liechtenstein extract 2013-08-03).\n"));
}

static void cleanup(cli_call *call)
{
    cli_demo_result_free(CLI_ARGS(call, args)->r);
}

static const cli_command command = {
    .name = "demo",
    .options = options,
    .common = CLI_JSON | CLI_QUIET,
    .min_args = 0,
    .max_args = 1,
    .args_error = N_("give at most one OUTDIR"),
    .store = CLI_STORE_NONE,
    .args_size = sizeof(args),
    .init = init,
    .run = run,
    .print_json = print_json,
    .print_text = print_text,
    .cleanup = cleanup,
};

int cmd_demo(int argc, char **argv)
{
    return cli_run(&command, argc, argv);
}
