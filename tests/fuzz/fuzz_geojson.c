/* Fuzz target: sg_import of a GeoJSON document (the fuzz input) into a
 * store layer chosen by the input's length, in replace mode; one input in
 * eight goes into a store without a working CRS, so that the import also
 * chooses one. Checks the import contract (fuzz_common.h: allowed status,
 * no open transaction, all or nothing).
 * Not for: the field normalisers (fuzz_csv) or text decoding
 * (fuzz_dbf_text).
 * SPDX-License-Identifier: MIT */
#include "fuzz_common.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_init(1);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const layers[] = {"households", "points", "roads",
                                         "divisions",  "grids",  "cleaners",
                                         "households"};
    const char *path = "/vsimem/fuzz/input.geojson";
    const char *layer = layers[size % 7];
    fuzz_vsimem(path, data, size);
    if (size % 8 == 0) {
        sg_store *fresh = fuzz_fresh_store();
        sg_status st = fuzz_import(fresh, layer, path, NULL);
        /* the working CRS is chosen by a successful import only */
        FUZZ_CHECK((sg_store_srid(fresh) != 0) == (st == SG_OK));
        sg_store_close(fresh);
    } else {
        fuzz_import(F.store, layer, path, NULL);
        FUZZ_CHECK(sg_store_srid(F.store) == 32632);
    }
    VSIUnlink(path);
    return 0;
}
