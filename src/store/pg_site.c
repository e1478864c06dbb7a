/* The PostgreSQL twins of site_sql.c (declared in pg_port_int.h): a layer
 * offered as candidate sites, and accepting site proposals into points
 * (inside the caller's transaction, which holds the store's write lock),
 * as the reads and writes of site_sql.c's flows (site_accept_int.h).
 * Not for: the siting analysis (src/analysis/site/).
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ctx_int.h"
#include "store/pg_port_int.h"
#include "store/site_accept_int.h"

static sg_status failed(sg_ctx *ctx)
{
    sg_status s = ctx ? sg_ctx_status(ctx) : SG_ERR_DB;
    return s ? s : SG_ERR_DB;
}

/* sg__pg_layer_has_column as sg__site_ops has it. */
static int has_column(sg_ctx *ctx, sg_store *store, const char *layer,
                      const char *col)
{
    (void)ctx;
    return sg__pg_layer_has_column(store, layer, col);
}

/* Add (once) the fids of \p res's first column, then clear it (NULL: the
 * query failed). */
static sg_status collect(sg_ctx *ctx, PGresult *res, sg__fidset *out)
{
    if (!res)
        return failed(ctx);
    sg_status s = SG_OK;
    for (int i = 0; s == SG_OK && i < PQntuples(res); i++)
        if (sg__fidset_add_once(out, strtoll(PQgetvalue(res, i, 0), NULL, 10)))
            s = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    PQclear(res);
    return s;
}

static sg_status all_fids(sg_ctx *ctx, sg_store *store, sg__fidset *out)
{
    return collect(ctx,
                   sg__pg_query(ctx, store, "site_proposals",
                                "SELECT fid FROM site_proposals ORDER BY rank, "
                                "fid",
                                0, NULL),
                   out);
}

static sg_status fids_by_candidate(sg_ctx *ctx, sg_store *store, const char *id,
                                   sg__fidset *out)
{
    const char *p[1] = {id};
    return collect(ctx,
                   sg__pg_query(ctx, store, "site_proposals",
                                "SELECT fid FROM site_proposals WHERE "
                                "candidate_id = $1 ORDER BY fid",
                                1, p),
                   out);
}

static sg_status fids_by_rank(sg_ctx *ctx, sg_store *store, const char *id,
                              long long rank, sg__fidset *out)
{
    (void)rank;
    const char *p[1] = {id};
    return collect(ctx,
                   sg__pg_query(ctx, store, "site_proposals",
                                "SELECT fid FROM site_proposals WHERE rank = "
                                "$1::bigint ORDER BY fid",
                                1, p),
                   out);
}

/* check_new_ids of site_sql.c, in the order the proposals were named. */
static sg_status check_new_ids(sg_ctx *ctx, sg_store *store,
                               const sg__fidset *fids)
{
    char *arr = sg__fidset_pg_array(fids);
    if (!arr)
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    const char *p1[1] = {arr};
    PGresult *res = sg__pg_query(ctx, store, "site_proposals",
                                 "SELECT p.fid, p.candidate_id, EXISTS (SELECT "
                                 "1 FROM points q WHERE q.point_id = "
                                 "p.candidate_id)::int FROM site_proposals p "
                                 "WHERE p.fid = ANY($1::bigint[])",
                                 1, p1);
    free(arr);
    sg_status s = res ? SG_OK : failed(ctx);
    for (size_t i = 0; s == SG_OK && i < fids->n; i++) {
        int row = -1;
        for (int r = 0; r < PQntuples(res); r++)
            if (strtoll(PQgetvalue(res, r, 0), NULL, 10) == fids->v[i])
                row = r;
        if (row < 0) {
            s = sg__error(ctx, SG_ERR_DB, "site_proposals: row %lld vanished",
                          fids->v[i]);
        } else if (PQgetisnull(res, row, 1) || !*PQgetvalue(res, row, 1)) {
            s = sg__error(ctx, SG_ERR_INPUT,
                          "site proposal %lld has no candidate_id to become "
                          "a point_id; nothing was accepted",
                          fids->v[i]);
        } else if (strtol(PQgetvalue(res, row, 2), NULL, 10)) {
            s = sg__error(ctx, SG_ERR_INPUT,
                          "points already holds a point %s (accepted "
                          "before?); nothing was accepted",
                          PQgetvalue(res, row, 1));
        }
    }
    PQclear(res);
    return s;
}

/* The kind of points the last site run sited, into \p kind. */
static void last_site_kind(sg_store *store, char *kind, size_t size)
{
    PGresult *res = sg__pg_query(NULL, store, "runs",
                                 "SELECT params::json ->> 'kind' FROM runs "
                                 "WHERE command = 'site' AND params ~ "
                                 "'^\\s*\\{.*\\}\\s*$' ORDER BY run_id DESC "
                                 "LIMIT 1",
                                 0, NULL);
    if (res && PQntuples(res) > 0 && !PQgetisnull(res, 0, 0))
        snprintf(kind, size, "%s", PQgetvalue(res, 0, 0));
    PQclear(res);
}

/* One point per proposal, in the order named (fids ascending within
 * one), then the proposals gone. */
static sg_status move_rows(sg_ctx *ctx, sg_store *store, const sg__fidset *fids,
                           int has_kind, const char *kind)
{
    char *arr = sg__fidset_pg_array(fids);
    if (!arr)
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    const char *p2[2] = {arr, kind};
    PGresult *res = sg__pg_query(
        ctx, store, "adding a point",
        has_kind ? "INSERT INTO points (point_id, kind, division_code, geom) "
                   "SELECT s.candidate_id, COALESCE(s.kind, $2), "
                   "s.division_code, s.geom FROM unnest($1::bigint[]) WITH "
                   "ORDINALITY AS u(fid, ord) JOIN site_proposals s ON "
                   "s.fid = u.fid ORDER BY u.ord"
                 : "INSERT INTO points (point_id, kind, division_code, geom) "
                   "SELECT s.candidate_id, $2, s.division_code, s.geom FROM "
                   "unnest($1::bigint[]) WITH ORDINALITY AS u(fid, ord) JOIN "
                   "site_proposals s ON s.fid = u.fid ORDER BY u.ord",
        2, p2);
    sg_status s = res ? SG_OK : failed(ctx);
    PQclear(res);
    res = NULL;
    if (s == SG_OK &&
        !(res = sg__pg_query(ctx, store, "site_proposals",
                             "DELETE FROM site_proposals WHERE fid = "
                             "ANY($1::bigint[])",
                             1, p2)))
        s = failed(ctx);
    PQclear(res);
    free(arr);
    return s;
}

static const sg__site_ops pg_site_ops = {
    has_column,    all_fids,       fids_by_candidate, fids_by_rank,
    check_new_ids, last_site_kind, move_rows};

sg_status sg__pg_site_candidate_layer(sg_ctx *ctx, sg_store *store,
                                      const char *layer, char *idcol,
                                      size_t size)
{
    const char *p[1] = {layer};
    PGresult *res = sg__pg_query(ctx, store, "listing layers",
                                 "SELECT geometry_type FROM sg_layers WHERE "
                                 "name = $1",
                                 1, p);
    if (!res)
        return failed(ctx);
    int found = PQntuples(res) > 0;
    char gtype[32] = "";
    if (found && !PQgetisnull(res, 0, 0))
        snprintf(gtype, sizeof gtype, "%s", PQgetvalue(res, 0, 0));
    PQclear(res);
    return sg__site_idcol(ctx, store, layer, found, gtype, &pg_site_ops, idcol,
                          size);
}

sg_status sg__pg_site_accept_rows(sg_ctx *ctx, sg_store *store,
                                  const char *const *ids, size_t nids,
                                  long long *accepted)
{
    return sg__site_accept(ctx, store, ids, nids, accepted, &pg_site_ops);
}
