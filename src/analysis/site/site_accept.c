/* Accepting siting proposals (sg_site_accept, sanigrid/site.h): the
 * proposals of `sanigrid site` become points of their kind, in one
 * transaction after a snapshot, with the run recorded; the next coverage
 * counts them.
 * Not for: proposing (site.c) or SQL (src/store/site_sql.c).
 * SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <time.h>

#include "core/ctx_int.h"
#include "sanigrid/site.h"
#include "store/site_sql_int.h"

sg_status sg_site_accept(sg_ctx *ctx, sg_store *store, const char *const *ids,
                         size_t nids, long long *accepted)
{
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    *accepted = 0;
    sg_status st = sg__store_begin(ctx, store);
    if (st)
        return st;
    long long n = 0;
    st = sg__site_accept_rows(ctx, store, ids, nids, &n);
    if (st == SG_OK) {
        sg_json p, c;
        sg_json_begin(&p, NULL);
        sg_json_object(&p, NULL);
        sg_json_array(&p, "ids");
        for (size_t i = 0; i < nids; i++)
            sg_json_str(&p, NULL, ids[i]);
        sg_json_end_array(&p);
        sg_json_end_object(&p);
        sg_json_begin(&c, NULL);
        sg_json_object(&c, NULL);
        sg_json_int(&c, "accepted", n);
        sg_json_end_object(&c);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        double secs = (double)(t1.tv_sec - t0.tv_sec) +
                      (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
        st = sg__store_record_run_json(ctx, store, "site-accept", &p, &c, secs);
    }
    if (st == SG_OK)
        st = sg__store_commit(ctx, store);
    if (st) {
        sg__store_rollback(store);
        return st;
    }
    *accepted = n;
    return SG_OK;
}
