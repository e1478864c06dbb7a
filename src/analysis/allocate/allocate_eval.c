/* Evaluating today's assignment (sanigrid allocate --evaluate): the
 * cleaner_id columns of roads and households, read as they are; nothing
 * is changed except the evaluation's own layers.
 *
 * Per village, on its road network (roads clipped to the village, graph
 * rules of src/net, no cutting into pieces):
 *  - a cleaner_id may name several cleaners (separated by , ; | / or the
 *    Chinese 、，；); empty or NULL names none;
 *  - a network edge is covered by every road row lying on it (duplicated
 *    road rows share their edges): it is assigned to nobody when no row
 *    names a cleaner, twice when the rows name two or more distinct
 *    cleaners; its length counts for each cleaner named;
 *  - a household likewise, from its own cleaner_id;
 *  - the cleaners of a village are its cleaners in the cleaners layer
 *    plus every id named in the village; ids that are not among the
 *    village's cleaners are "unknown";
 *  - workloads are in the balance measure; max/mean and min/mean are over
 *    the village's cleaners (a cleaner with nothing assigned has 0);
 *  - connected pieces: the connected pieces of the network edges a
 *    cleaner has; a cleaner whose edges fall into more pieces than the
 *    network components they lie in is counted as non-contiguous.
 * Not for: making an assignment (allocate_part.c), SQL.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/allocate/allocate_int.h"

/* ---- cleaner ids
 * -------------------------------------------------------------- */

/* Whether the bytes at \p s start a separator; \return its length or 0. */
static size_t separator(const char *s)
{
    static const char *const seps[] = {
        ",", ";", "|", "/", "\xe3\x80\x81", "\xef\xbc\x8c", "\xef\xbc\x9b"};
    for (size_t i = 0; i < sizeof seps / sizeof seps[0]; i++) {
        size_t n = strlen(seps[i]);
        if (strncmp(s, seps[i], n) == 0)
            return n;
    }
    return 0;
}

int sg__alloc_split_ids(const char *text,
                        void (*fn)(const char *id, void *user), void *user)
{
    char buf[256];
    int count = 0;
    const char *p = text ? text : "";
    while (*p) {
        size_t n = 0;
        while (p[n] && !separator(p + n))
            n++;
        const char *a = p, *b = p + n;
        while (a < b && (*a == ' ' || *a == '\t'))
            a++;
        while (b > a && (b[-1] == ' ' || b[-1] == '\t'))
            b--;
        if (b > a) {
            size_t len = (size_t)(b - a) < sizeof buf - 1 ? (size_t)(b - a)
                                                          : sizeof buf - 1;
            memcpy(buf, a, len);
            buf[len] = '\0';
            if (fn)
                fn(buf, user);
            count++;
        }
        p += n;
        if (*p)
            p += separator(p);
    }
    return count;
}

int sg__alloc_find_cleaner(const sg__alloc *A, const sg__avillage *v,
                           const char *id)
{
    (void)A;
    size_t lo = 0, hi = v->ncl;
    while (lo < hi) { /* v->cl is sorted by id */
        size_t mid = (lo + hi) / 2;
        int c = strcmp(v->cl[mid].id, id);
        if (c == 0)
            return (int)mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

/* ---- per-cleaner tallies
 * -------------------------------------------------------- */

/* One cleaner's tally. */
typedef struct tally {
    const char *id; /* arena */
    int known;      /* among the village's cleaners */
    double road_m, workload;
    long long hh, res, pieces, comps;
} tally;

/* The evaluation of one village. */
typedef struct evalv {
    sg__alloc *A;
    const sg__avillage *v;
    tally *t;
    size_t nt, capt;
    int32_t *cur; /* ids named by the item being read (tally numbers) */
    size_t ncur, capcur;
    sg_status st;
} evalv;

/* Tally number of \p id, added if new (status in E->st on failure). */
static int32_t tally_of(evalv *E, const char *id)
{
    for (size_t i = 0; i < E->nt; i++)
        if (strcmp(E->t[i].id, id) == 0)
            return (int32_t)i;
    if (E->nt == E->capt) {
        size_t cap = E->capt ? E->capt * 2 : 16;
        tally *n = realloc(E->t, cap * sizeof *n);
        if (!n) {
            E->st = sg__error(E->A->ctx, SG_ERR_NOMEM, "out of memory");
            return -1;
        }
        E->t = n;
        E->capt = cap;
    }
    const char *copy = sg__atext_add(&E->A->text, id);
    if (!copy) {
        E->st = sg__error(E->A->ctx, SG_ERR_NOMEM, "out of memory");
        return -1;
    }
    memset(&E->t[E->nt], 0, sizeof E->t[E->nt]);
    E->t[E->nt].id = copy;
    E->t[E->nt].known = sg__alloc_find_cleaner(E->A, E->v, id) >= 0;
    return (int32_t)E->nt++;
}

/* sg__alloc_split_ids callback: add the id's tally to E->cur (once). */
static void collect_id(const char *id, void *user)
{
    evalv *E = user;
    int32_t k = tally_of(E, id);
    if (k < 0)
        return;
    for (size_t i = 0; i < E->ncur; i++)
        if (E->cur[i] == k)
            return;
    if (E->ncur == E->capcur) {
        size_t cap = E->capcur ? E->capcur * 2 : 8;
        int32_t *n = realloc(E->cur, cap * sizeof *n);
        if (!n) {
            E->st = sg__error(E->A->ctx, SG_ERR_NOMEM, "out of memory");
            return;
        }
        E->cur = n;
        E->capcur = cap;
    }
    E->cur[E->ncur++] = k;
}

/* ---- roads
 * ------------------------------------------------------------------------ */

/* An edge with its sorted end nodes, for grouping duplicates. */
typedef struct ekey {
    uint32_t a, b, e;
} ekey;

/* Order by end nodes, then edge. */
static int cmp_ekey(const void *x, const void *y)
{
    const ekey *p = x, *q = y;
    if (p->a != q->a)
        return p->a < q->a ? -1 : 1;
    if (p->b != q->b)
        return p->b < q->b ? -1 : 1;
    return (p->e > q->e) - (p->e < q->e);
}

/* Union-find root (path halving). */
static uint32_t root(uint32_t *parent, uint32_t x)
{
    while (parent[x] != x) {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    return x;
}

/* Assignment of every network edge of the village. Parallel edges (same
 * two nodes) form a group whose first edge represents it: the tally
 * numbers naming the group go to the representative (CSR in *hoff,
 * *hold, caller owns both, also on failure), the other edges hold none;
 * \p flag marks representatives assigned to nobody. Adds to \p f's
 * unassigned and double road figures and to the tallies. */
static sg_status eval_roads(evalv *E, const sg__graph *g, unsigned char *flag,
                            size_t **hoff, int32_t **hold,
                            sg_allocate_village *f)
{
    sg__alloc *A = E->A;
    size_t n = g->nroad_edges;
    ekey *k = malloc((n ? n : 1) * sizeof *k);
    *hoff = calloc(n + 1, sizeof **hoff);
    size_t cap = 64, used = 0;
    *hold = malloc(cap * sizeof **hold);
    if (!k || !*hoff || !*hold) {
        free(k);
        return sg__error(A->ctx, SG_ERR_NOMEM, "out of memory");
    }
    for (size_t e = 0; e < n; e++) {
        uint32_t a = g->ea[e], b = g->eb[e];
        k[e] = (ekey){a < b ? a : b, a < b ? b : a, (uint32_t)e};
    }
    qsort(k, n, sizeof *k, cmp_ekey);
    /* per group: the union of the ids of its rows, kept on the group's
     * first edge (the representative); other edges hold nothing */
    for (size_t i = 0; i < n && E->st == SG_OK;) {
        size_t j = i;
        E->ncur = 0;
        while (j < n && k[j].a == k[i].a && k[j].b == k[i].b) {
            sg__alloc_split_ids(A->roads[g->eroad[k[j].e]].cleaner, collect_id,
                                E);
            j++;
        }
        uint32_t e = k[i].e;
        double len = g->elen[e];
        int cls = A->roads[g->eroad[e]].cls;
        if (E->ncur == 0) {
            flag[e] = 1;
            f->unassigned_road_m += len;
        } else if (E->ncur > 1) {
            f->double_road_m += len;
        }
        if (used + E->ncur > cap) {
            while (cap < used + E->ncur)
                cap *= 2;
            int32_t *nh = realloc(*hold, cap * sizeof *nh);
            if (!nh) {
                E->st = sg__error(A->ctx, SG_ERR_NOMEM, "out of memory");
                break;
            }
            *hold = nh;
        }
        for (size_t c = 0; c < E->ncur; c++) {
            tally *t = &E->t[E->cur[c]];
            t->road_m += len;
            t->workload += sg__alloc_road_weight(A, cls, len);
            (*hold)[used++] = E->cur[c];
        }
        (*hoff)[e + 1] = E->ncur;
        i = j;
    }
    for (size_t e = 0; e < n; e++)
        (*hoff)[e + 1] += (*hoff)[e];
    /* the holders were appended in group order: re-sort them by edge */
    int32_t *sorted = malloc((used ? used : 1) * sizeof *sorted);
    size_t *pos = malloc((n + 1) * sizeof *pos);
    if (E->st == SG_OK && (!sorted || !pos))
        E->st = sg__error(A->ctx, SG_ERR_NOMEM, "out of memory");
    if (E->st == SG_OK) {
        memcpy(pos, *hoff, (n + 1) * sizeof *pos);
        size_t at = 0;
        for (size_t i = 0; i < n;) {
            size_t j = i;
            while (j < n && k[j].a == k[i].a && k[j].b == k[i].b)
                j++;
            uint32_t e = k[i].e;
            size_t cnt = (*hoff)[e + 1] - (*hoff)[e];
            memcpy(sorted + pos[e], *hold + at, cnt * sizeof *sorted);
            at += cnt;
            i = j;
        }
        free(*hold);
        *hold = sorted;
        sorted = NULL;
    }
    free(sorted);
    free(pos);
    free(k);
    return E->st;
}

/* Connected pieces and components of each cleaner's edges. */
static sg_status eval_pieces(evalv *E, const sg__graph *g, const size_t *hoff,
                             const int32_t *hold)
{
    size_t nn = g->nnodes, n = g->nroad_edges;
    uint32_t *parent = malloc((nn ? nn : 1) * sizeof *parent);
    unsigned char *seen = calloc(nn ? nn : 1, 1);
    int32_t *cseen = malloc((g->ncomp ? g->ncomp : 1) * sizeof *cseen);
    if (!parent || !seen || !cseen) {
        free(parent);
        free(seen);
        free(cseen);
        return sg__error(E->A->ctx, SG_ERR_NOMEM, "out of memory");
    }
    for (size_t t = 0; t < E->nt; t++) {
        for (size_t v = 0; v < nn; v++)
            parent[v] = (uint32_t)v;
        memset(seen, 0, nn ? nn : 1);
        for (size_t c = 0; c < g->ncomp; c++)
            cseen[c] = 0;
        for (size_t e = 0; e < n; e++)
            for (size_t i = hoff[e]; i < hoff[e + 1]; i++)
                if (hold[i] == (int32_t)t) {
                    uint32_t a = root(parent, g->ea[e]);
                    uint32_t b = root(parent, g->eb[e]);
                    if (a != b)
                        parent[a] = b;
                    seen[g->ea[e]] = seen[g->eb[e]] = 1;
                }
        for (size_t v = 0; v < nn; v++) {
            if (!seen[v])
                continue;
            if (root(parent, (uint32_t)v) == v)
                E->t[t].pieces++;
            if (!cseen[g->comp[v]]) {
                cseen[g->comp[v]] = 1;
                E->t[t].comps++;
            }
        }
    }
    free(parent);
    free(seen);
    free(cseen);
    return SG_OK;
}

/* ---- the village
 * ------------------------------------------------------------------ */

sg_status sg__alloc_evaluate_village(sg__alloc *A, size_t vi,
                                     sg_allocate_village *f)
{
    const sg__avillage *v = &A->v[vi];
    evalv E = {A, v, NULL, 0, 0, NULL, 0, 0, SG_OK};
    sg__graph *g = NULL;
    unsigned char *flag = NULL;
    size_t *hoff = NULL;
    int32_t *hold = NULL;
    f->cleaners_source = "existing";
    for (size_t i = 0; i < v->ncl && E.st == SG_OK; i++)
        tally_of(&E, v->cl[i].id);
    sg_status st = E.st;
    if (st == SG_OK)
        st = sg__graph_build(A->ctx, &v->lines, &A->o->net, &g);
    if (st == SG_OK && !(flag = calloc(g->nroad_edges + 1, 1)))
        st = sg__error(A->ctx, SG_ERR_NOMEM, "out of memory");
    if (st == SG_OK)
        st = eval_roads(&E, g, flag, &hoff, &hold, f);
    if (st == SG_OK)
        st = eval_pieces(&E, g, hoff, hold);
    /* unassigned road pieces, one row per road */
    for (size_t e0 = 0; st == SG_OK && e0 < g->nroad_edges;) {
        size_t e1 = e0;
        while (e1 < g->nroad_edges && g->eroad[e1] == g->eroad[e0])
            e1++;
        st = sg__alloc_write_unassigned_road(A, vi, g, e0, e1, flag);
        e0 = e1;
    }
    for (size_t i = 0; st == SG_OK && i < v->nhh; i++) {
        const sg__ahh *h = &A->hh[v->hh[i]];
        E.ncur = 0;
        sg__alloc_split_ids(h->cleaner, collect_id, &E);
        if ((st = E.st))
            break;
        f->households++;
        f->residents += h->res > 0 ? h->res : 0;
        if (E.ncur == 0) {
            f->unassigned_households++;
            st = sg__alloc_write_unassigned_hh(A, vi, h);
        } else if (E.ncur > 1) {
            f->double_households++;
        }
        for (size_t c = 0; c < E.ncur; c++) {
            tally *t = &E.t[E.cur[c]];
            t->hh++;
            t->res += h->res > 0 ? h->res : 0;
            t->workload += sg__alloc_hh_weight(A, h->res);
        }
    }
    if (st == SG_OK) {
        f->road_m = g->length_m;
        f->components = (long long)g->ncomp;
        f->cleaners = (long long)E.nt;
        f->existing = (long long)v->ncl;
        double total = 0;
        for (size_t t = 0; t < E.nt; t++)
            total += E.t[t].workload;
        f->workload = total;
        double mean = E.nt ? total / (double)E.nt : 0;
        f->max_mean = f->min_mean = mean > 0 ? E.t[0].workload / mean : 1.0;
        for (size_t t = 0; st == SG_OK && t < E.nt; t++) {
            const tally *x = &E.t[t];
            double ratio = mean > 0 ? x->workload / mean : 1.0;
            f->max_mean = fmax(f->max_mean, ratio);
            f->min_mean = fmin(f->min_mean, ratio);
            if (!x->known)
                f->unknown_cleaners++;
            if (x->pieces > x->comps)
                f->noncontiguous++;
            st = sg__alloc_write_current(A, vi, x->id, x->known, x->road_m,
                                         x->hh, x->res, x->workload, ratio,
                                         x->pieces);
        }
    }
    sg__graph_free(g);
    free(flag);
    free(hoff);
    free(hold);
    free(E.t);
    free(E.cur);
    return st;
}
