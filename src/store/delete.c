/* Deleting rows of a layer, the same on both backends (delete_int.h): the
 * flow from ids and a filter to a recorded, undoable delete. The SQL is
 * each backend's (filter.c, pg_show.c).
 * Not for: filters themselves (filter.c), snapshots (snapshot.c).
 * SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/ctx_int.h"
#include "store/delete_int.h"
#include "store/store_backend_int.h"

/* Record the deletion in runs. */
static sg_status record_delete(sg_ctx *ctx, sg_store *store, const char *layer,
                               const char *const *ids, size_t nids,
                               const char *where, long long deleted,
                               double secs)
{
    sg_json p, c;
    sg_json_begin(&p, NULL);
    sg_json_object(&p, NULL);
    sg_json_str(&p, "layer", layer);
    sg_json_array(&p, "ids");
    for (size_t i = 0; i < nids; i++)
        sg_json_str(&p, NULL, ids[i]);
    sg_json_end_array(&p);
    sg_json_str(&p, "where", where);
    sg_json_str(&p, "snapshot", store->last_snapshot);
    sg_json_end_object(&p);
    sg_json_begin(&c, NULL);
    sg_json_object(&c, NULL);
    sg_json_int(&c, "deleted", deleted);
    sg_json_end_object(&c);
    return sg__store_record_run_json(ctx, store, "delete", &p, &c, secs);
}

sg_status sg__delete_rows(sg_ctx *ctx, sg_store *store, const char *layer,
                          const char *const *ids, size_t nids,
                          const char *where, long long *deleted,
                          const sg__delete_ops *ops)
{
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    *deleted = 0;
    free(store->last_snapshot);
    store->last_snapshot = NULL;
    if (!nids && !where)
        return sg__error(ctx, SG_ERR_USAGE,
                         "say which rows to delete (ids, or a filter)");
    sg__fidset by_id = {0}, by_where = {0}, doomed = {0};
    sg_status s = sg__store_begin(ctx, store);
    if (s)
        return s;
    if ((s = ops->check_layer(ctx, store, layer)))
        goto done;
    const sg__layer_def *def = sg__layer_def_find(layer);
    const sg__field_def *id = def ? sg__layer_id_field(def) : NULL;
    const char *idcol = id ? id->name : "fid";
    for (size_t i = 0; i < nids; i++) {
        size_t before = by_id.n;
        if ((s = ops->by_id(ctx, store, layer, idcol, ids[i], &by_id)))
            goto done;
        if (by_id.n == before) {
            s = sg__error(ctx, SG_ERR_NOT_FOUND,
                          "layer %s has no row with %s '%s'; nothing was "
                          "deleted",
                          layer, idcol, ids[i]);
            goto done;
        }
    }
    if (where && (s = ops->by_where(ctx, store, layer, where, &by_where)))
        goto done;
    sg__fidset_unique(&by_id);
    sg__fidset_unique(&by_where);
    const sg__fidset *base = nids ? &by_id : &by_where;
    for (size_t i = 0; i < base->n; i++)
        if ((!nids || !where || sg__fidset_has(&by_where, base->v[i])) &&
            sg__fidset_add(&doomed, base->v[i])) {
            s = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
            goto done;
        }
    if (!doomed.n) /* nothing matched: nothing to undo */
        goto done;
    if ((s = sg__store_snapshot(ctx, store, "delete")) ||
        (s = ops->remove(ctx, store, layer, &doomed)))
        goto done;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) +
                  (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    if ((s = record_delete(ctx, store, layer, ids, nids, where,
                           (long long)doomed.n, secs)))
        goto done;
    s = sg__store_commit(ctx, store);
    if (s == SG_OK)
        *deleted = (long long)doomed.n;
done:
    if (s || !doomed.n)
        sg__store_rollback(store);
    sg__fidset_free(&by_id);
    sg__fidset_free(&by_where);
    sg__fidset_free(&doomed);
    return s;
}
