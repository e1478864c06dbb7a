/* sanigrid init: create a store. SPDX-License-Identifier: MIT */
#include <getopt.h>
#include <string.h>

#include "cli/cli.h"

/* The --help text is docs/cli/init.md (STYLE rule 24). */

int cmd_init(int argc, char **argv)
{
    static const struct option opts[] = {
        {"crs", required_argument, NULL, 'c'},
        {"json", no_argument, NULL, 'j'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    cli_common common = {0};
    const char *crs = NULL;
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "hq", opts, NULL)) != -1) {
        switch (c) {
        case 'c': crs = optarg; break;
        case 'j': common.json = 1; break;
        case 'q': common.quiet = 1; break;
        case 'h': cli_help("init"); return CLI_EXIT_OK;
        default: return cli_usage_error("init", "bad option");
        }
    }
    if (optind != argc - 1)
        return cli_usage_error("init", "give exactly one store path");
    int srid = 0;
    if (crs && !(srid = cli_parse_epsg(crs)))
        return cli_usage_error("init", "--crs takes EPSG:n, got '%s'", crs);
    sg_ctx *ctx = cli_ctx(&common);
    if (!ctx)
        return CLI_EXIT_FAIL;
    sg_store *store = NULL;
    int rc = CLI_EXIT_OK;
    if (sg_store_create(ctx, argv[optind], srid, &store) != SG_OK) {
        rc = cli_fail(ctx, "init");
        if (sg_ctx_status(ctx) == SG_ERR_CRS)
            rc = CLI_EXIT_USAGE;
    } else if (common.json) {
        sg_json j;
        sg_json_begin(&j, stdout);
        sg_json_object(&j, NULL);
        sg_json_str(&j, "store", argv[optind]);
        sg_json_int(&j, "schema_version", sg_store_schema_version(store));
        if (srid) {
            char buf[32];
            snprintf(buf, sizeof buf, "EPSG:%d", srid);
            sg_json_str(&j, "crs", buf);
        } else {
            sg_json_null(&j, "crs");
        }
        sg_json_end_object(&j);
        sg_json_finish(&j);
    } else if (!common.quiet) {
        if (srid)
            printf(_("created %s (schema %d, working CRS EPSG:%d)\n"),
                   argv[optind], sg_store_schema_version(store), srid);
        else
            printf(_("created %s (schema %d; the working CRS will be chosen "
                   "at the first import)\n"),
                   argv[optind], sg_store_schema_version(store));
    }
    sg_store_close(store);
    sg_ctx_free(ctx);
    return rc;
}
