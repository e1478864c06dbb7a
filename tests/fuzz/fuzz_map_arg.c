/* Fuzz target: the --map argument parser (sg_import_options_add_map) and
 * what the import does with arbitrary field and column names. Each input
 * line is one --map spec, except lines starting with "L:", which name the
 * --source-layer. Then a fixed GeoJSON whose columns carry SQL and JSON
 * metacharacters is imported with those options: the import must fail
 * cleanly or succeed, and the store must keep its tables.
 * Not for: the arguments of `sanigrid rank` (fuzz_rank_args).
 * SPDX-License-Identifier: MIT */
#include "fuzz_common.h"

/* Columns named like SQL injections, quotes and Chinese headers. */
static const char source_json[] =
    "{\"type\": \"FeatureCollection\", \"features\": [\n"
    "{\"type\": \"Feature\", \"properties\": {"
    "\"id\": \"A1\", \"x\\\"; DROP TABLE households; --\": \"3\", "
    "\"a'b\": \"sanitary\", \"人口\": 4, \"户主\": \"n\", \"--\": \"c\"},\n"
    " \"geometry\": {\"type\": \"Point\", \"coordinates\": [9.53, 47.21]}},\n"
    "{\"type\": \"Feature\", \"properties\": {"
    "\"id\": \"A2\", \"x\\\"; DROP TABLE households; --\": \"x\", "
    "\"a'b\": \"旱厕\", \"人口\": \"5\", \"户主\": null, \"--\": \"d\"},\n"
    " \"geometry\": {\"type\": \"Point\", \"coordinates\": [9.54, 47.22]}}\n"
    "]}\n";
static const char *const source_path = "/vsimem/fuzz/map.geojson";

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_init(0);
    fuzz_vsimem(source_path, (const uint8_t *)source_json,
                sizeof source_json - 1);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    FUZZ_CHECK(s != NULL);
    memcpy(s, data, size);
    s[size] = '\0';
    sg_import_options *o = sg_import_options_new();
    FUZZ_CHECK(o != NULL);
    char *line = s;
    for (int n = 0; line && n < 16; n++) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        if (!strncmp(line, "L:", 2)) {
            FUZZ_CHECK(sg_import_options_set_source_layer(F.ctx, o, line + 2) ==
                       SG_OK);
        } else {
            const char *eq = strchr(line, '=');
            int valid = eq && eq != line && eq[1];
            sg_status st = sg_import_options_add_map(F.ctx, o, line);
            /* the documented contract: field=column, both non-empty */
            FUZZ_CHECK(st == (valid ? SG_OK : SG_ERR_USAGE));
        }
        line = nl ? nl + 1 : NULL;
    }
    fuzz_import(F.store, "households", source_path, o);
    /* nothing the names say can drop or corrupt the store's tables */
    FUZZ_CHECK(sg__store_count(F.ctx, F.store, "runs") >= 0);
    FUZZ_CHECK(sg__store_count(F.ctx, F.store, "sg_layers") >= 7);
    sg_import_options_free(o);
    free(s);
    return 0;
}
