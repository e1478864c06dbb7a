/* sanigrid sheets: a thin layer over sg_sheets() (include/sanigrid/sheets.h).
 * SPDX-License-Identifier: MIT */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "sanigrid/sheets.h"

/* The --help text is docs/cli/sheets.md (STYLE rule 24). */

int cmd_sheets(int argc, char **argv)
{
    static const struct option opts[] = {
        {"division", required_argument, NULL, 'd'},
        {"all", no_argument, NULL, 'A'},
        {"png", required_argument, NULL, 'p'},
        {"date", required_argument, NULL, 'D'},
        {"include-personal", no_argument, NULL, 'P'},
        {"json", no_argument, NULL, 'j'},
        {"quiet", no_argument, NULL, 'q'},
        {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    /* --help wins over every other argument, even ones that would fail */
    if (cli_help_asked("sheets", argc, argv))
        return CLI_EXIT_OK;
    cli_common common = {0};
    sg_sheets_options *so = sg_sheets_options_new();
    sg_ctx *ctx = sg_ctx_new();
    sg_store *store = NULL;
    int c, rc = CLI_EXIT_OK, all = 0, ndiv = 0;
    if (!so || !ctx) {
        fprintf(stderr, "sanigrid sheets: out of memory\n");
        rc = CLI_EXIT_FAIL;
        goto done;
    }
    optind = 0;
    while ((c = getopt_long(argc, argv, "hqv", opts, NULL)) != -1) {
        sg_status st = SG_OK;
        switch (c) {
        case 'd':
            st = sg_sheets_options_add_division(ctx, so, optarg);
            ndiv++;
            break;
        case 'A': all = 1; break;
        case 'p': st = sg_sheets_options_set_png_dir(ctx, so, optarg); break;
        case 'D': st = sg_sheets_options_set_date(ctx, so, optarg); break;
        case 'P': sg_sheets_options_set_include_personal(so, 1); break;
        case 'j': common.json = 1; break;
        case 'q': common.quiet = 1; break;
        case 'v': common.verbose = 1; break;
        default: rc = cli_usage_error("sheets", "bad option"); goto done;
        }
        if (st) {
            rc = cli_fail(ctx, "sheets");
            goto done;
        }
    }
    if (all && ndiv) {
        rc = cli_usage_error("sheets", "give --division or --all, not both");
        goto done;
    }
    if (optind != argc - 2) {
        rc = cli_usage_error("sheets", "give DB and OUT.pdf");
        goto done;
    }
    const char *db = argv[optind], *out = argv[optind + 1];
    sg_ctx_free(ctx);
    if (!(ctx = cli_ctx(&common))) {
        rc = CLI_EXIT_FAIL;
        goto done;
    }
    sg_sheets_result r;
    if (sg_store_open(ctx, db, SG_STORE_READONLY, &store) ||
        sg_sheets(ctx, store, so, out, &r)) {
        rc = cli_fail(ctx, "sheets");
        goto done;
    }
    if (common.json) {
        sg_json j;
        sg_json_begin(&j, stdout);
        sg_json_object(&j, NULL);
        sg_json_str(&j, "file", out);
        sg_json_int(&j, "villages", r.villages);
        sg_json_int(&j, "pages", r.pages);
        sg_json_int(&j, "cleaners", r.cleaners);
        sg_json_int(&j, "png_files", r.png_files);
        sg_json_int(&j, "missing_glyphs", r.missing_glyphs);
        sg_json_end_object(&j);
        sg_json_finish(&j);
    } else if (!common.quiet) {
        printf(_("%s: %d villages, %d pages, %lld cleaners\n"), out,
               r.villages, r.pages, r.cleaners);
    }
    if (r.missing_glyphs > 0)
        fprintf(stderr,
                _("sanigrid sheets: warning: %lld characters could not be "
                  "drawn; install fonts-noto-cjk\n"),
                r.missing_glyphs);
done:
    sg_store_close(store);
    sg_ctx_free(ctx);
    sg_sheets_options_free(so);
    return rc;
}
