/* sanigrid demo: build the demo store and its outputs.
 * SPDX-License-Identifier: MIT */
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"

/* The --help text is docs/cli/demo.md (STYLE rule 24). */

/* \return 1 if DIR/demo is a folder. */
static int has_demo(const char *dir)
{
    char path[PATH_MAX];
    struct stat st;
    int n = snprintf(path, sizeof path, "%s/demo", dir);
    return n > 0 && (size_t)n < sizeof path && stat(path, &st) == 0 &&
           S_ISDIR(st.st_mode);
}

int cmd_demo(int argc, char **argv)
{
    static const struct option opts[] = {
        {"data", required_argument, NULL, 'd'},
        {"store", required_argument, NULL, 's'},
        {"json", no_argument, NULL, 'j'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    cli_common common = {0};
    const char *data = getenv("SANIGRID_DATA");
    const char *store = NULL;
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "hq", opts, NULL)) != -1) {
        switch (c) {
        case 'd': data = optarg; break;
        case 's': store = optarg; break;
        case 'j': common.json = 1; break;
        case 'q': common.quiet = 1; break;
        case 'h': cli_help("demo"); return CLI_EXIT_OK;
        default: return cli_usage_error("demo", "bad option");
        }
    }
    if (argc - optind > 1)
        return cli_usage_error("demo", "give at most one OUTDIR");
    const char *out = optind < argc ? argv[optind] : "demo-out";
    char found[PATH_MAX];
    if (!data) /* <bin>/share/sanigrid (build tree), <bin>/../share/... */
        data = cli_beside_exe("share/sanigrid", "../share/sanigrid",
                                 has_demo, found, sizeof found);
    if (!data) {
        fprintf(stderr, _("sanigrid demo: no demo data beside the tool; "
                          "give --data DIR (the folder holding demo/)\n"));
        return CLI_EXIT_INPUT;
    }
    sg_ctx *ctx = cli_ctx(&common);
    if (!ctx)
        return CLI_EXIT_FAIL;
    sg_demo_result *r = NULL;
    int rc = CLI_EXIT_OK;
    if (sg_demo_store(ctx, data, out, store, &r)) {
        rc = cli_fail(ctx, "demo");
    } else if (common.json) {
        sg_json j;
        sg_json_begin(&j, stdout);
        sg_json_object(&j, NULL);
        sg_json_str(&j, "store", r->store_path);
        sg_json_int(&j, "imported", r->imported);
        sg_json_int(&j, "rejected", r->rejected);
        sg_json_array(&j, "outputs");
        for (size_t i = 0; i < r->noutputs; i++)
            sg_json_str(&j, NULL, r->outputs[i]);
        sg_json_end_array(&j);
        sg_json_end_object(&j);
        sg_json_finish(&j);
    } else if (!common.quiet) {
        printf(_("demo store: %s (%lld features imported, %lld rejected)\n"),
               r->store_path, r->imported, r->rejected);
        for (size_t i = 0; i < r->noutputs; i++)
            printf(_("  wrote %s\n"), r->outputs[i]);
        printf(_("Data: (c) OpenStreetMap contributors, ODbL 1.0 "
               "(Liechtenstein extract 2013-08-03).\n"));
    }
    sg_demo_result_free(r);
    sg_ctx_free(ctx);
    return rc;
}
