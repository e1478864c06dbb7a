/* Fuzz target: field mapping and value normalisation of table sources
 * (CSV, and the same code for XLSX). Every line of the input goes through
 * the normalisers of every field of every input layer
 * (sg__enum_normalise, sg__date_normalise, sg__parse_double,
 * sg__alias_match, sg__to_utf8), whose results are checked; then the
 * whole input is imported as a CSV file (header recognition, coordinate
 * columns, GBK detection) into a layer chosen by its length.
 * Not for: GeoJSON geometry (fuzz_geojson).
 * SPDX-License-Identifier: MIT */
#include <ctype.h>
#include <math.h>

#include "fuzz_common.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_init(0);
    return 0;
}

/* Check one value against every normaliser. */
static void check_value(const char *v)
{
    for (const char *const *ln = sg_input_layer_names(); *ln; ln++) {
        const sg__layer_def *def = sg__layer_def_find(*ln);
        FUZZ_CHECK(def != NULL);
        for (size_t i = 0; i < def->nfields; i++) {
            const sg__field_def *fd = &def->fields[i];
            (void)sg__alias_match(fd->aliases, v);
            if (!fd->values)
                continue;
            const char *r = sg__enum_normalise(fd, v);
            /* a normalised value is one of the field's allowed values */
            FUZZ_CHECK(!r || sg__alias_match(fd->values, r));
        }
    }
    char out[12];
    memset(out, 'X', sizeof out);
    if (sg__date_normalise(v, out)) {
        /* YYYY-MM-DD, 1900..2999, NUL-terminated within 11 bytes */
        FUZZ_CHECK(strlen(out) == 10 && out[4] == '-' && out[7] == '-');
        for (int k = 0; k < 10; k++)
            FUZZ_CHECK(k == 4 || k == 7 || isdigit((unsigned char)out[k]));
        FUZZ_CHECK(out[0] == '1' || out[0] == '2');
        FUZZ_CHECK(out[11] == 'X');
    }
    double d = 0;
    if (sg__parse_double(v, &d))
        FUZZ_CHECK(isfinite(d));
    const char *used = NULL;
    char *u = sg__to_utf8(v, NULL, &used);
    FUZZ_CHECK(u != NULL && used != NULL && sg__utf8_valid(u));
    CPLFree(u);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const layers[] = {"households", "points", "inspections",
                                         "cleaners"};
    char *s = malloc(size + 1);
    FUZZ_CHECK(s != NULL);
    memcpy(s, data, size);
    s[size] = '\0';
    /* line by line (a NUL ends the text early, as in a C string) */
    CPLPushErrorHandler(CPLQuietErrorHandler);
    char *line = s;
    for (int n = 0; line && n < 256; n++) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        check_value(line);
        if (nl)
            *nl = '\n';
        line = nl ? nl + 1 : NULL;
    }
    CPLPopErrorHandler();
    free(s);

    const char *path = "/vsimem/fuzz/input.csv";
    fuzz_vsimem(path, data, size);
    fuzz_import(F.store, layers[size % 4], path, NULL);
    VSIUnlink(path);
    return 0;
}
