/* The units a ranking ranks and what hangs off the hierarchy: the
 * divisions and grids of the store, linked to their parents (a division
 * by parent_code; a grid by parent_code to a grid, else division_code,
 * else parent_code to a division), the units of the level asked for, the
 * group of each unit (its ancestor division of the --within level), and
 * the inspections of the periods, each counted for the unit it names or
 * the unit it lies in.
 * Not for: the measured indicators (rank_measure.c), scores and ranks
 * (rank.c), SQL (src/store/rank_sql.c).
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/rank/rank_int.h"
#include "geom/geos_int.h"
#include "store/rank_sql_int.h"

/* Parent links followed at most this many steps (guards against cycles
 * in parent codes, which `sanigrid check` reports). */
#define MAX_DEPTH 64

/* Copy of column \p i of \p row as text, NULL for NULL or blank; *ok
 * becomes 0 when out of memory. Caller owns; free(). */
static char *column_text(sg__row *row, int i, int *ok)
{
    const char *t = sg__row_text(row, i);
    if (!t)
        return NULL;
    while (*t == ' ')
        t++;
    if (!*t)
        return NULL;
    char *c = strdup(t);
    if (!c)
        *ok = 0;
    return c;
}

/* Append an empty node to k->nodes. \return it, or NULL when out of
 * memory (recorded in ctx). */
static sg__rknode *add_node(sg__ranker *k)
{
    if (k->nnodes == k->capnodes) {
        size_t nc = k->capnodes ? 2 * k->capnodes : 256;
        sg__rknode *n = realloc(k->nodes, nc * sizeof *n);
        if (!n) {
            sg__error(k->ctx, SG_ERR_NOMEM, "out of memory");
            return NULL;
        }
        k->nodes = n;
        k->capnodes = nc;
    }
    sg__rknode *n = &k->nodes[k->nnodes++];
    memset(n, 0, sizeof *n);
    n->up = n->unit = -1;
    return n;
}

/* Keep a copy of the WKB in column \p i of \p row in node \p n.
 * \return 1, or 0 when out of memory. */
static int keep_wkb(sg__row *row, int i, sg__rknode *n)
{
    int size = (int)sg__row_bytes(row, i);
    const void *blob = sg__row_blob(row, i);
    if (!blob || size <= 0)
        return 1;
    n->wkb = malloc((size_t)size);
    if (!n->wkb)
        return 0;
    memcpy(n->wkb, blob, (size_t)size);
    n->wkb_size = (size_t)size;
    return 1;
}

/* Scan callback for divisions: division_code, name, level, parent_code,
 * geometry. The geometry is kept for the divisions of the ranked level. */
static sg_status division_row(sg__row *row, void *user)
{
    sg__ranker *k = user;
    int ok = 1;
    char *code = column_text(row, 0, &ok);
    if (!code)
        return ok ? SG_OK : sg__error(k->ctx, SG_ERR_NOMEM, "out of memory");
    sg__rknode *n = add_node(k);
    if (!n) {
        free(code);
        return SG_ERR_NOMEM;
    }
    n->code = code;
    n->name = column_text(row, 1, &ok);
    n->level = column_text(row, 2, &ok);
    n->parent = column_text(row, 3, &ok);
    if (ok && !k->unit_is_grid && n->level &&
        strcmp(n->level, sg_rank_level_to_string(k->o->level)) == 0)
        ok = keep_wkb(row, 4, n);
    return ok ? SG_OK : sg__error(k->ctx, SG_ERR_NOMEM, "out of memory");
}

/* Scan callback for grids: grid_code, name, level, parent_code,
 * division_code, grid_leader, geometry (kept for every grid: units and
 * ownerless area). */
static sg_status grid_row(sg__row *row, void *user)
{
    sg__ranker *k = user;
    int ok = 1;
    char *code = column_text(row, 0, &ok);
    if (!code)
        return ok ? SG_OK : sg__error(k->ctx, SG_ERR_NOMEM, "out of memory");
    sg__rknode *n = add_node(k);
    if (!n) {
        free(code);
        return SG_ERR_NOMEM;
    }
    n->code = code;
    n->is_grid = 1;
    n->name = column_text(row, 1, &ok);
    n->glevel = sg__row_is_null(row, 2) ? 1 : sg__row_int(row, 2);
    n->parent = column_text(row, 3, &ok);
    n->division = column_text(row, 4, &ok);
    char *leader = column_text(row, 5, &ok);
    n->has_leader = leader != NULL;
    free(leader);
    if (ok)
        ok = keep_wkb(row, 6, n);
    return ok ? SG_OK : sg__error(k->ctx, SG_ERR_NOMEM, "out of memory");
}

/* A node's sort key for the code index. */
typedef struct node_key {
    const char *code; /* borrowed */
    int is_grid;
    size_t i; /* node number */
} node_key;

/* Order keys by code, divisions first, then by node number. */
static int cmp_key(const void *a, const void *b)
{
    const node_key *p = a, *q = b;
    int c = strcmp(p->code, q->code);
    if (c)
        return c;
    if (p->is_grid != q->is_grid)
        return p->is_grid - q->is_grid;
    return (p->i > q->i) - (p->i < q->i);
}

/* The first node with \p code and kind \p is_grid, or -1. */
static long long find_kind(const sg__ranker *k, const char *code, int is_grid)
{
    size_t lo = 0, hi = k->nnodes;
    if (!code)
        return -1;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const sg__rknode *n = &k->nodes[k->by_code[mid]];
        int c = strcmp(n->code, code);
        if (c == 0)
            c = n->is_grid - is_grid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < k->nnodes) {
        const sg__rknode *n = &k->nodes[k->by_code[lo]];
        if (strcmp(n->code, code) == 0 && n->is_grid == is_grid)
            return (long long)k->by_code[lo];
    }
    return -1;
}

long long sg__rank_find_node(const sg__ranker *k, const char *code)
{
    long long i = find_kind(k, code, 0);
    return i >= 0 ? i : find_kind(k, code, 1);
}

/* Index the nodes by code and link each to its parent. */
static sg_status link_nodes(sg__ranker *k)
{
    k->by_code = malloc((k->nnodes + 1) * sizeof *k->by_code);
    node_key *keys = malloc((k->nnodes + 1) * sizeof *keys);
    if (!k->by_code || !keys) {
        free(keys);
        return sg__error(k->ctx, SG_ERR_NOMEM, "out of memory");
    }
    for (size_t i = 0; i < k->nnodes; i++)
        keys[i] = (node_key){k->nodes[i].code, k->nodes[i].is_grid, i};
    qsort(keys, k->nnodes, sizeof *keys, cmp_key);
    for (size_t i = 0; i < k->nnodes; i++)
        k->by_code[i] = keys[i].i;
    free(keys);
    for (size_t i = 0; i < k->nnodes; i++) {
        sg__rknode *n = &k->nodes[i];
        long long up = -1;
        if (!n->is_grid) {
            up = find_kind(k, n->parent, 0);
        } else {
            up = find_kind(k, n->parent, 1);
            if (up < 0)
                up = find_kind(k, n->division, 0);
            if (up < 0)
                up = find_kind(k, n->parent, 0);
        }
        n->up = up == (long long)i ? -1 : up;
    }
    return SG_OK;
}

/* Whether node \p i is a unit of the ranked level (grids: level \p gl). */
static int is_unit(const sg__ranker *k, size_t i, int gl)
{
    const sg__rknode *n = &k->nodes[i];
    if (k->unit_is_grid)
        return n->is_grid && n->glevel == gl;
    return !n->is_grid && n->level &&
           strcmp(n->level, sg_rank_level_to_string(k->o->level)) == 0;
}

/* Make r->units, k->unode and k->ugeo from the nodes of the level. A
 * grid code used twice is ranked once (the first grid; check reports
 * the duplicate). */
static sg_status make_units(sg__ranker *k)
{
    sg_rank_result *r = k->r;
    int gl = 0;
    for (size_t i = 0; i < k->nnodes; i++)
        if (k->nodes[i].is_grid && (gl == 0 || k->nodes[i].glevel < gl))
            gl = k->nodes[i].glevel;
    r->grid_level = gl;
    size_t n = 0, dup = 0;
    for (size_t i = 0; i < k->nnodes; i++)
        n += is_unit(k, i, gl) ? 1u : 0u;
    r->units = calloc(n ? n : 1, sizeof *r->units);
    k->unode = calloc(n ? n : 1, sizeof *k->unode);
    if (!r->units || !k->unode)
        return sg__error(k->ctx, SG_ERR_NOMEM, "out of memory");
    sg_status st = SG_OK;
    for (size_t i = 0; st == SG_OK && i < k->nnodes; i++) {
        sg__rknode *nd = &k->nodes[i];
        if (!is_unit(k, i, gl))
            continue;
        if (find_kind(k, nd->code, nd->is_grid) != (long long)i) {
            dup++;
            continue;
        }
        sg_rank_unit *u = &r->units[r->nunits];
        nd->unit = (long long)r->nunits;
        k->unode[r->nunits++] = i;
        u->band = -1;
        u->code = sg__strdup(k->ctx, nd->code);
        u->name = nd->name ? sg__strdup(k->ctx, nd->name) : NULL;
        if (!u->code || (nd->name && !u->name))
            return SG_ERR_NOMEM;
        GEOSGeometry *g = NULL;
        if (nd->wkb && !(g = sg__geom_from_wkb(k->ctx, nd->wkb, nd->wkb_size)))
            return sg__error_prefix(
                k->ctx, "%s %s: ", nd->is_grid ? "grid" : "division", nd->code);
        st = sg__geomset_add(k->ctx, &k->ugeo, g);
    }
    if (dup)
        sg__log(k->ctx, SG_LOG_WARN,
                "%zu grids share a code with an earlier grid and are not "
                "ranked (see sanigrid check)",
                dup);
    /* one call per message, so that xgettext sees each format */
    if (st == SG_OK && r->nunits == 0 && k->unit_is_grid)
        st = sg__error(k->ctx, SG_ERR_INPUT, "store %s has no grids to rank",
                       sg_store_path(k->store));
    else if (st == SG_OK && r->nunits == 0)
        st = sg__error(k->ctx, SG_ERR_INPUT,
                       "store %s has no divisions of level %s to rank",
                       sg_store_path(k->store),
                       sg_rank_level_to_string(k->o->level));
    return st;
}

/* Order group codes, NULL first. */
static int cmp_code(const void *a, const void *b)
{
    const char *x = *(const char *const *)a, *y = *(const char *const *)b;
    if (!x || !y)
        return (x != NULL) - (y != NULL);
    return strcmp(x, y);
}

/* The node of the ancestor division of level \p within of node \p i
 * (not counting \p i itself), or -1. */
static long long ancestor(const sg__ranker *k, size_t i, const char *within)
{
    long long j = k->nodes[i].up;
    for (int steps = 0; j >= 0 && steps < MAX_DEPTH; steps++) {
        const sg__rknode *n = &k->nodes[j];
        if (!n->is_grid && n->level && strcmp(n->level, within) == 0)
            return j;
        j = n->up;
    }
    return -1;
}

/* Binary search of \p code in the sorted group codes of \p r (it is
 * there). \return its index. */
static size_t group_index(const sg_rank_result *r, const char *code)
{
    size_t lo = 0, hi = r->ngroups;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const char *gc = r->groups[mid].code;
        if (cmp_code(&gc, &code) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Fill r->groups from the units' group codes \p codes (sorted copy in
 * \p sorted, NULL first), each group once. */
static sg_status fill_groups(sg__ranker *k, const char **sorted)
{
    sg_rank_result *r = k->r;
    for (size_t u = 0; u < r->nunits; u++) {
        if (u && cmp_code(&sorted[u], &sorted[u - 1]) == 0)
            continue;
        sg_rank_group *g = &r->groups[r->ngroups++];
        if (!sorted[u])
            continue;
        long long a = find_kind(k, sorted[u], 0);
        const char *name = a >= 0 ? k->nodes[a].name : NULL;
        g->code = sg__strdup(k->ctx, sorted[u]);
        g->name = name ? sg__strdup(k->ctx, name) : NULL;
        if (!g->code || (name && !g->name))
            return SG_ERR_NOMEM;
    }
    return SG_OK;
}

/* Assign each unit its group: r->groups (distinct ancestor codes, NULL
 * for none), k->ugroup, and the units' within_code / within_name. */
static sg_status make_groups(sg__ranker *k)
{
    sg_rank_result *r = k->r;
    int all = k->o->within == SG_RANK_WITHIN_ALL;
    const char **codes = calloc(r->nunits + 1, sizeof *codes);
    const char **sorted = calloc(r->nunits + 1, sizeof *sorted);
    k->ugroup = calloc(r->nunits + 1, sizeof *k->ugroup);
    r->groups = calloc(r->nunits + 1, sizeof *r->groups);
    sg_status st = SG_OK;
    if (!codes || !sorted || !k->ugroup || !r->groups)
        st = sg__error(k->ctx, SG_ERR_NOMEM, "out of memory");
    for (size_t u = 0; st == SG_OK && u < r->nunits; u++) {
        long long a = all ? -1
                          : ancestor(k, k->unode[u],
                                     sg_rank_within_to_string(k->o->within));
        codes[u] = sorted[u] = a >= 0 ? k->nodes[a].code : NULL;
    }
    if (st == SG_OK) {
        qsort(sorted, r->nunits, sizeof *sorted, cmp_code);
        st = fill_groups(k, sorted);
    }
    for (size_t u = 0; st == SG_OK && u < r->nunits; u++) {
        size_t gi = group_index(r, codes[u]);
        sg_rank_group *g = &r->groups[gi];
        sg_rank_unit *un = &r->units[u];
        k->ugroup[u] = gi;
        g->units++;
        if (g->code && !(un->within_code = sg__strdup(k->ctx, g->code)))
            st = SG_ERR_NOMEM;
        if (st == SG_OK && g->name &&
            !(un->within_name = sg__strdup(k->ctx, g->name)))
            st = SG_ERR_NOMEM;
    }
    free(codes);
    free(sorted);
    return st;
}

sg_status sg__rank_load_units(sg__ranker *k)
{
    static const char *const dcols[] = {"division_code", "name", "level",
                                        "parent_code"};
    static const char *const gcols[] = {"grid_code",     "name",
                                        "level",         "parent_code",
                                        "division_code", "grid_leader"};
    sg_status st = sg__store_scan(k->ctx, k->store, "divisions", dcols, 4, 1,
                                  NULL, NULL, division_row, k);
    if (st == SG_OK)
        st = sg__store_scan(k->ctx, k->store, "grids", gcols, 6, 1, NULL, NULL,
                            grid_row, k);
    if (st == SG_OK)
        st = link_nodes(k);
    if (st == SG_OK)
        st = make_units(k);
    if (st == SG_OK)
        st = make_groups(k);
    if (st == SG_OK) {
        size_t n = k->r->nunits * SG_RK_NPER;
        k->isum = calloc(n + 1, sizeof *k->isum);
        k->icnt = calloc(n + 1, sizeof *k->icnt);
        if (!k->isum || !k->icnt)
            st = sg__error(k->ctx, SG_ERR_NOMEM, "out of memory");
    }
    return st;
}

/* The unit an inspection of \p code counts for: the unit itself, or the
 * unit it lies in (following parents), or -1. */
static long long unit_of_code(const sg__ranker *k, const char *code)
{
    long long j = sg__rank_find_node(k, code);
    for (int steps = 0; j >= 0 && steps < MAX_DEPTH; steps++) {
        if (k->nodes[j].unit >= 0)
            return k->nodes[j].unit;
        j = k->nodes[j].up;
    }
    return -1;
}

/* Inspection callback: add the score to its unit and period. */
static sg_status inspection_cb(const char *unit_code, const char *date,
                               double score, void *user)
{
    sg__ranker *k = user;
    int p = -1;
    for (int i = 0; i < SG_RK_NPER && p < 0; i++)
        if (k->per[i].kind && strcmp(date, k->per[i].first) >= 0 &&
            strcmp(date, k->per[i].last) <= 0)
            p = i;
    if (p < 0)
        return SG_OK;
    long long u = unit_of_code(k, unit_code);
    if (u < 0) {
        if (p == SG_RK_CUR)
            k->r->inspections_elsewhere++;
        return SG_OK;
    }
    k->isum[(size_t)u * SG_RK_NPER + (size_t)p] += score;
    k->icnt[(size_t)u * SG_RK_NPER + (size_t)p] += 1;
    if (p == SG_RK_CUR)
        k->r->inspections++;
    return SG_OK;
}

sg_status sg__rank_inspections(sg__ranker *k)
{
    const char *first = NULL, *last = NULL;
    for (int i = 0; i < SG_RK_NPER; i++) {
        if (!k->per[i].kind)
            continue;
        if (!first || strcmp(k->per[i].first, first) < 0)
            first = k->per[i].first;
        if (!last || strcmp(k->per[i].last, last) > 0)
            last = k->per[i].last;
    }
    if (!first)
        return SG_OK;
    return sg__store_inspection_scores(k->ctx, k->store, first, last,
                                       k->r->scale, k->r->deduction_per_finding,
                                       inspection_cb, k);
}

void sg__rank_cleanup(sg__ranker *k)
{
    for (size_t i = 0; i < k->nnodes; i++) {
        sg__rknode *n = &k->nodes[i];
        free(n->code);
        free(n->name);
        free(n->level);
        free(n->parent);
        free(n->division);
        free(n->wkb);
    }
    free(k->nodes);
    free(k->by_code);
    free(k->unode);
    free(k->ugroup);
    free(k->isum);
    free(k->icnt);
    sg__geomset_cleanup(&k->ugeo);
    sg__idlist_cleanup(&k->cand);
    k->nodes = NULL;
    k->by_code = k->unode = k->ugroup = NULL;
    k->isum = k->icnt = NULL;
    k->nnodes = k->capnodes = 0;
}
