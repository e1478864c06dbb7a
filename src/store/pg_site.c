/* The PostgreSQL twins of site_sql.c (declared in pg_port_int.h): a layer
 * offered as candidate sites, and accepting site proposals into points
 * (inside the caller's transaction, which holds the store's write lock).
 * Not for: the siting analysis (src/analysis/site/).
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ctx_int.h"
#include "store/pg_port_int.h"

static sg_status failed(sg_ctx *ctx)
{
    sg_status s = ctx ? sg_ctx_status(ctx) : SG_ERR_DB;
    return s ? s : SG_ERR_DB;
}

sg_status sg__pg_site_candidate_layer(sg_ctx *ctx, sg_store *store,
                                      const char *layer, char *idcol,
                                      size_t size)
{
    static const char *const names[] = {"candidate_id", "point_id",
                                        "household_id", "site_id", "id"};
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
    if (!found)
        return sg__error(ctx, SG_ERR_USAGE,
                         "store %s has no layer '%s' for candidate sites "
                         "(roads, households or a point layer)",
                         store->path, layer);
    if (strcmp(gtype, "POINT") != 0)
        return sg__error(ctx, SG_ERR_USAGE,
                         "layer '%s' holds %s, not points: it cannot give "
                         "candidate sites",
                         layer, gtype[0] ? gtype : "no geometry");
    const sg__layer_def *def = sg__layer_def_find(layer);
    const sg__field_def *id = def ? sg__layer_id_field(def) : NULL;
    if (id) {
        snprintf(idcol, size, "%s", id->name);
        return SG_OK;
    }
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (sg__pg_layer_has_column(store, layer, names[i])) {
            snprintf(idcol, size, "%s", names[i]);
            return SG_OK;
        }
    snprintf(idcol, size, "fid");
    return SG_OK;
}

static int push_fid(long long **a, size_t *n, long long v)
{
    for (size_t i = 0; i < *n; i++)
        if ((*a)[i] == v)
            return 0; /* named twice: once */
    long long *na = realloc(*a, (*n + 1) * sizeof *na);
    if (!na)
        return -1;
    na[(*n)++] = v;
    *a = na;
    return 0;
}

/* Push the fids of \p res's first column; \return SG_OK or NOMEM. */
static sg_status push_rows(sg_ctx *ctx, PGresult *res, long long **fids,
                           size_t *n)
{
    for (int i = 0; i < PQntuples(res); i++)
        if (push_fid(fids, n, strtoll(PQgetvalue(res, i, 0), NULL, 10)))
            return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    return SG_OK;
}

/* proposal_fids of site_sql.c. */
static sg_status proposal_fids(sg_ctx *ctx, sg_store *store,
                               const char *const *ids, size_t nids,
                               long long **fids, size_t *n)
{
    sg_status s = SG_OK;
    if (!nids) {
        PGresult *res = sg__pg_query(ctx, store, "site_proposals",
                                     "SELECT fid FROM site_proposals ORDER "
                                     "BY rank, fid",
                                     0, NULL);
        if (!res)
            return failed(ctx);
        s = push_rows(ctx, res, fids, n);
        PQclear(res);
        return s;
    }
    for (size_t i = 0; s == SG_OK && i < nids; i++) {
        size_t before = *n;
        const char *p[1] = {ids[i]};
        PGresult *res = sg__pg_query(ctx, store, "site_proposals",
                                     "SELECT fid FROM site_proposals WHERE "
                                     "candidate_id = $1 ORDER BY fid",
                                     1, p);
        if (!res)
            return failed(ctx);
        s = push_rows(ctx, res, fids, n);
        PQclear(res);
        char *end = NULL;
        strtoll(ids[i], &end, 10);
        if (s == SG_OK && *n == before && end != ids[i] && !*end) {
            res = sg__pg_query(ctx, store, "site_proposals",
                               "SELECT fid FROM site_proposals WHERE rank = "
                               "$1::bigint ORDER BY fid",
                               1, p);
            if (!res)
                return failed(ctx);
            s = push_rows(ctx, res, fids, n);
            PQclear(res);
        }
        if (s == SG_OK && *n == before)
            s = sg__error(ctx, SG_ERR_NOT_FOUND,
                          "no site proposal has candidate_id or rank '%s' "
                          "(see `sanigrid show %s site_proposals`); nothing "
                          "was accepted",
                          ids[i], store->path);
    }
    return s;
}

/* The fids as a bigint[] literal (caller owns), NULL when out of memory. */
static char *fid_array(const long long *fids, size_t n)
{
    size_t cap = n * 21 + 3, len = 0;
    char *a = malloc(cap);
    if (!a)
        return NULL;
    a[len++] = '{';
    for (size_t i = 0; i < n; i++)
        len += (size_t)snprintf(a + len, cap - len, "%s%lld", i ? "," : "",
                                fids[i]);
    snprintf(a + len, cap - len, "}");
    return a;
}

sg_status sg__pg_site_accept_rows(sg_ctx *ctx, sg_store *store,
                                  const char *const *ids, size_t nids,
                                  long long *accepted)
{
    long long *fids = NULL;
    size_t n = 0;
    char *arr = NULL;
    PGresult *res = NULL;
    *accepted = 0;
    if (!sg__pg_has_layer(store, "site_proposals"))
        return sg__error(ctx, SG_ERR_INPUT,
                         "store %s has no site proposals; run `sanigrid site "
                         "%s --add K` first",
                         store->path, store->path);
    int has_kind = sg__pg_layer_has_column(store, "site_proposals", "kind");
    sg_status s = proposal_fids(ctx, store, ids, nids, &fids, &n);
    if (s == SG_OK && n == 0)
        s = sg__error(ctx, SG_ERR_INPUT,
                      "site_proposals of %s is empty (accepted already?); "
                      "nothing was accepted",
                      store->path);
    if (s == SG_OK && !(arr = fid_array(fids, n)))
        s = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    /* check_new_ids of site_sql.c, in the order the proposals were named */
    const char *p1[1] = {arr};
    if (s == SG_OK &&
        !(res = sg__pg_query(ctx, store, "site_proposals",
                             "SELECT p.fid, p.candidate_id, EXISTS (SELECT 1 "
                             "FROM points q WHERE q.point_id = "
                             "p.candidate_id)::int FROM site_proposals p "
                             "WHERE p.fid = ANY($1::bigint[])",
                             1, p1)))
        s = failed(ctx);
    for (size_t i = 0; s == SG_OK && i < n; i++) {
        int row = -1;
        for (int r = 0; r < PQntuples(res); r++)
            if (strtoll(PQgetvalue(res, r, 0), NULL, 10) == fids[i])
                row = r;
        if (row < 0) {
            s = sg__error(ctx, SG_ERR_DB, "site_proposals: row %lld vanished",
                          fids[i]);
        } else if (PQgetisnull(res, row, 1) || !*PQgetvalue(res, row, 1)) {
            s = sg__error(ctx, SG_ERR_INPUT,
                          "site proposal %lld has no candidate_id to become "
                          "a point_id; nothing was accepted",
                          fids[i]);
        } else if (strtol(PQgetvalue(res, row, 2), NULL, 10)) {
            s = sg__error(ctx, SG_ERR_INPUT,
                          "points already holds a point %s (accepted "
                          "before?); nothing was accepted",
                          PQgetvalue(res, row, 1));
        }
    }
    PQclear(res);
    res = NULL;
    if (s == SG_OK)
        s = sg__store_snapshot(ctx, store, "site-accept");
    /* the kind of the last site run, for proposals without one */
    char kind[32] = "collection_point";
    if (s == SG_OK &&
        (res = sg__pg_query(NULL, store, "runs",
                            "SELECT params::json ->> 'kind' FROM runs WHERE "
                            "command = 'site' AND params ~ "
                            "'^\\s*\\{.*\\}\\s*$' ORDER BY run_id DESC "
                            "LIMIT 1",
                            0, NULL)) &&
        PQntuples(res) > 0 && !PQgetisnull(res, 0, 0))
        snprintf(kind, sizeof kind, "%s", PQgetvalue(res, 0, 0));
    PQclear(res);
    res = NULL;
    /* one point per proposal, in the order named (fids ascending within
     * one), then the proposals gone */
    const char *p2[2] = {arr, kind};
    if (s == SG_OK &&
        !(res = sg__pg_query(
              ctx, store, "adding a point",
              has_kind
                  ? "INSERT INTO points (point_id, kind, division_code, geom) "
                    "SELECT s.candidate_id, COALESCE(s.kind, $2), "
                    "s.division_code, s.geom FROM unnest($1::bigint[]) WITH "
                    "ORDINALITY AS u(fid, ord) JOIN site_proposals s ON "
                    "s.fid = u.fid ORDER BY u.ord"
                  : "INSERT INTO points (point_id, kind, division_code, geom) "
                    "SELECT s.candidate_id, $2, s.division_code, s.geom FROM "
                    "unnest($1::bigint[]) WITH ORDINALITY AS u(fid, ord) JOIN "
                    "site_proposals s ON s.fid = u.fid ORDER BY u.ord",
              2, p2)))
        s = failed(ctx);
    PQclear(res);
    res = NULL;
    if (s == SG_OK &&
        !(res = sg__pg_query(ctx, store, "site_proposals",
                             "DELETE FROM site_proposals WHERE fid = "
                             "ANY($1::bigint[])",
                             1, p1)))
        s = failed(ctx);
    PQclear(res);
    free(arr);
    free(fids);
    if (s == SG_OK)
        *accepted = (long long)n;
    return s;
}
