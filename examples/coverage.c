/* A program using the installed libsanigrid: open a store, run coverage
 * with the store's settings, print how many households lie beyond the
 * radius of every collection point (straight line and along roads).
 *
 *   cc coverage.c $(pkg-config --cflags --libs sanigrid) -o coverage
 *   ./coverage town.sqlite
 * SPDX-License-Identifier: MIT */
#include <stdio.h>

#include <sanigrid/sanigrid.h>

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s STORE\n", argv[0]);
        return 2;
    }
    sg_library_init();
    sg_ctx *ctx = sg_ctx_new();
    sg_store *store = NULL;
    sg_coverage_result *r = NULL;
    int rc = 1;
    if (!ctx || sg_store_open(ctx, argv[1], 0, &store) ||
        sg_coverage(ctx, store, NULL, &r)) {
        fprintf(stderr, "%s: %s\n", argv[1], ctx ? sg_ctx_errmsg(ctx) : "");
        goto done;
    }
    printf("sanigrid %s: %lld households, %lld beyond %.0f m (straight), "
           "%lld along roads\n", sg_version(), r->households, r->beyond_euclid,
           r->radius_m, r->beyond_network);
    rc = 0;
done:
    sg_coverage_result_free(r);
    sg_store_close(store);
    sg_ctx_free(ctx);
    sg_library_shutdown();
    return rc;
}
