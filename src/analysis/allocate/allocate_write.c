/* Writing the allocation's result layers and recording the run.
 *
 * Allocate: cleaner_roads (MULTILINESTRING, spatial index),
 * cleaner_households (POINT), service_areas (MULTIPOLYGON, spatial index)
 * and tables workloads and allocation_summary. Evaluate:
 * unassigned_roads (MULTILINESTRING, spatial index),
 * unassigned_households (POINT) and table current_workloads.
 * A layer written for every village is created anew and bulk loaded
 * (SpatiaLite's triggers off, the index packed at the end, bulk_int.h);
 * for one village
 * (--division) an existing layer keeps its other villages' rows and only
 * that village's rows are replaced.
 * Road geometries are written as WKB built here from the pieces (runs of
 * consecutive pieces of one road and cleaner become one linestring).
 * Not for: SQL (store), computing anything.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/allocate/allocate_int.h"
#include "geom/geos_int.h"
#include "store/allocate_sql_int.h"
#include "store/bulk_int.h"

/* ---- the layers ------------------------------------------------------------
 */

static const sg__column roads_cols[] = {
    {"division_code", "TEXT"}, {"road_id", "TEXT"},
    {"cleaner_id", "TEXT"},    {"class", "TEXT"},
    {"length_m", "REAL"},      {"color_class", "INTEGER"}};
static const sg__column hh_cols[] = {{"division_code", "TEXT"},
                                     {"household_id", "TEXT"},
                                     {"cleaner_id", "TEXT"},
                                     {"snap_m", "REAL"}};
static const sg__column area_cols[] = {
    {"division_code", "TEXT"}, {"cleaner_id", "TEXT"},
    {"status", "TEXT"},        {"road_km", "REAL"},
    {"households", "INTEGER"}, {"residents", "INTEGER"},
    {"workload", "REAL"},      {"area_m2", "REAL"},
    {"compactness", "REAL"},   {"color_class", "INTEGER"}};
static const sg__column work_cols[] = {
    {"division_code", "TEXT"},  {"cleaner_id", "TEXT"},
    {"status", "TEXT"},         {"road_km", "REAL"},
    {"households", "INTEGER"},  {"residents", "INTEGER"},
    {"workload", "REAL"},       {"ratio", "REAL"},
    {"road_pieces", "INTEGER"}, {"connected_pieces", "INTEGER"},
    {"components", "INTEGER"},  {"compactness", "REAL"},
    {"measure", "TEXT"}};
static const sg__column sum_cols[] = {{"division_code", "TEXT"},
                                      {"name", "TEXT"},
                                      {"cleaners", "INTEGER"},
                                      {"existing", "INTEGER"},
                                      {"planned", "INTEGER"},
                                      {"required", "INTEGER"},
                                      {"cleaners_source", "TEXT"},
                                      {"measure", "TEXT"},
                                      {"unit", "TEXT"},
                                      {"workload", "REAL"},
                                      {"max_mean", "REAL"},
                                      {"min_mean", "REAL"},
                                      {"compactness", "REAL"},
                                      {"components", "INTEGER"},
                                      {"noncontiguous", "INTEGER"},
                                      {"road_km", "REAL"},
                                      {"households", "INTEGER"},
                                      {"residents", "INTEGER"},
                                      {"piece_m", "REAL"}};
static const sg__column ur_cols[] = {{"division_code", "TEXT"},
                                     {"road_id", "TEXT"},
                                     {"class", "TEXT"},
                                     {"length_m", "REAL"}};
static const sg__column uh_cols[] = {{"division_code", "TEXT"},
                                     {"household_id", "TEXT"},
                                     {"cleaner_id", "TEXT"}};
static const sg__column cur_cols[] = {{"division_code", "TEXT"},
                                      {"cleaner_id", "TEXT"},
                                      {"known", "INTEGER"},
                                      {"road_km", "REAL"},
                                      {"households", "INTEGER"},
                                      {"residents", "INTEGER"},
                                      {"workload", "REAL"},
                                      {"ratio", "REAL"},
                                      {"connected_pieces", "INTEGER"},
                                      {"measure", "TEXT"}};

#define NC(a) (sizeof a / sizeof a[0])

/* Static description of a result layer. */
typedef struct ldef {
    const char *name;
    const char *geom_type; /* NULL: a table */
    const sg__column *cols;
    size_t ncols;
    int index;      /* spatial index */
    int point_blob; /* bulk rows take SpatiaLite point blobs */
    const char *zh, *en;
} ldef;

enum { L_ROADS, L_HH, L_AREAS, L_WORK, L_SUM, L_NALLOC };
enum { L_UROADS, L_UHH, L_CUR, L_NEVAL };

static const ldef alloc_layers[L_NALLOC] = {
    {"cleaner_roads", "MULTILINESTRING", roads_cols, NC(roads_cols), 1, 0,
     "保洁员责任道路", "Cleaners' roads"},
    {"cleaner_households", "POINT", hh_cols, NC(hh_cols), 0, 1,
     "保洁员责任农户", "Cleaners' households"},
    {"service_areas", "MULTIPOLYGON", area_cols, NC(area_cols), 1, 0,
     "保洁员责任区", "Cleaners' service areas"},
    {"workloads", NULL, work_cols, NC(work_cols), 0, 0, "保洁员工作量",
     "Cleaners' workloads"},
    {"allocation_summary", NULL, sum_cols, NC(sum_cols), 0, 0, "保洁分片汇总",
     "Allocation per village"},
};
static const ldef eval_layers[L_NEVAL] = {
    {"unassigned_roads", "MULTILINESTRING", ur_cols, NC(ur_cols), 1, 0,
     "无人负责道路", "Roads assigned to nobody"},
    {"unassigned_households", "POINT", uh_cols, NC(uh_cols), 0, 1,
     "无人负责农户", "Households assigned to nobody"},
    {"current_workloads", NULL, cur_cols, NC(cur_cols), 0, 0, "现有分工工作量",
     "Workloads of today's assignment"},
};

/* One layer being written. */
typedef struct wlayer {
    const ldef *d;
    int bulk;            /* created here in bulk mode: finish at the end */
    sg__bulk_load *load; /* that bulk load; owned */
    sg__insert *ins;     /* owned */
} wlayer;

struct sg__awriter {
    wlayer l[L_NALLOC];
    size_t n;
};

/* Open layer \p d for writing: bulk-create it, or (one village, layer
 * present) delete that village's rows; prepare the insert. */
static sg_status open_layer(sg__alloc *A, const ldef *d, wlayer *w)
{
    sg_ctx *ctx = A->ctx;
    sg_store *s = A->store;
    w->d = d;
    sg_status st;
    if (*A->o->division && sg__store_has_layer(s, d->name)) {
        st = sg__store_delete_result_rows(ctx, s, d->name, "division_code",
                                          A->o->division);
        /* a layer written before a column was added gets it (NULL in
         * the other villages' rows) */
        for (size_t i = 0; st == SG_OK && i < d->ncols; i++)
            st = sg__store_ensure_result_column(
                ctx, s, d->name, d->cols[i].name, d->cols[i].type);
        if (st == SG_OK)
            st = sg__store_prepare_result_insert(ctx, s, d->name, d->cols,
                                                 d->ncols, d->geom_type != NULL,
                                                 &w->ins);
        return st;
    }
    if (!d->geom_type) {
        st = sg__store_create_result(ctx, s, d->name, NULL, d->cols, d->ncols,
                                     d->zh, d->en);
        if (st == SG_OK)
            st = sg__store_prepare_result_insert(ctx, s, d->name, d->cols,
                                                 d->ncols, 0, &w->ins);
        return st;
    }
    w->bulk = 1;
    st = sg__store_create_bulk_result(ctx, s, d->name, d->cols, d->ncols,
                                      d->geom_type, d->index, d->zh, d->en);
    /* about a row per household, or per road piece */
    if (st == SG_OK)
        st = sg__store_bulk_load_begin(
            ctx, s, d->name, (long long)(d->point_blob ? A->nhh : A->nroads),
            &w->load);
    if (st == SG_OK)
        st = d->point_blob
                 ? sg__store_prepare_bulk_insert(ctx, s, d->name, d->cols,
                                                 d->ncols, &w->ins)
                 /* GeomFromWKB into the plain BLOB column: no triggers */
                 : sg__store_prepare_result_insert(ctx, s, d->name, d->cols,
                                                   d->ncols, 1, &w->ins);
    return st;
}

sg_status sg__alloc_write_begin(sg__alloc *A)
{
    A->w = calloc(1, sizeof *A->w);
    if (!A->w)
        return sg__error(A->ctx, SG_ERR_NOMEM, "out of memory");
    const ldef *defs = A->o->evaluate ? eval_layers : alloc_layers;
    size_t n = A->o->evaluate ? L_NEVAL : L_NALLOC;
    sg_status st = SG_OK;
    for (size_t i = 0; st == SG_OK && i < n; i++) {
        st = open_layer(A, &defs[i], &A->w->l[i]);
        A->w->n = i + 1;
    }
    return st;
}

/* Finalize the statements and free the writer. */
static void writer_free(sg__alloc *A)
{
    if (!A->w)
        return;
    for (size_t i = 0; i < A->w->n; i++) {
        sg__insert_free(A->w->l[i].ins);
        sg__store_bulk_load_free(A->store, A->w->l[i].load);
    }
    free(A->w);
    A->w = NULL;
}

sg_status sg__alloc_write_end(sg__alloc *A)
{
    sg_status st = SG_OK;
    for (size_t i = 0; A->w && i < A->w->n; i++) {
        sg__insert_free(A->w->l[i].ins);
        A->w->l[i].ins = NULL;
    }
    for (size_t i = 0; st == SG_OK && A->w && i < A->w->n; i++) {
        const wlayer *w = &A->w->l[i];
        if (w->bulk)
            st = sg__store_bulk_load_end(A->ctx, A->store, w->load);
    }
    writer_free(A);
    return st;
}

void sg__alloc_write_abort(sg__alloc *A)
{
    writer_free(A);
}

/* ---- binding helpers
 * --------------------------------------------------------- */

/* Bind text (copied) at parameter *p and advance it. */
static void b_text(sg__insert *s, int *p, const char *v)
{
    sg__insert_text(s, (*p)++, v);
}

/* Bind a number (NULL for NaN) at parameter *p and advance it. */
static void b_num(sg__insert *s, int *p, double v)
{
    if (isnan(v))
        sg__insert_null(s, (*p)++);
    else
        sg__insert_double(s, (*p)++, v);
}

/* Bind an integer at parameter *p and advance it. */
static void b_int(sg__insert *s, int *p, long long v)
{
    sg__insert_int64(s, (*p)++, v);
}

/* Bind a point at parameter *p in the layer's form (the store's bulk
 * encoding for a bulk point layer, else WKB). */
static void b_point(const sg__alloc *A, const wlayer *w, int *p, double x,
                    double y)
{
    if (w->bulk && w->d->point_blob) {
        sg__insert_bulk_point(A->store, w->ins, (*p)++, x, y);
    } else {
        unsigned char b[21];
        sg__wkb_write_point(b, x, y);
        sg__insert_blob(w->ins, (*p)++, b, sizeof b);
    }
}

/* Bind GEOS geometry \p g as WKB (NULL or empty: SQL NULL). */
static sg_status b_geos(sg__alloc *A, sg__insert *s, int *p,
                        const GEOSGeometry *g)
{
    if (!g || GEOSisEmpty_r(A->h, g) == 1) {
        sg__insert_null(s, (*p)++);
        return SG_OK;
    }
    size_t n = 0;
    unsigned char *wkb = sg__geom_to_wkb(A->ctx, g, &n);
    if (!wkb)
        return sg_ctx_status(A->ctx);
    sg__insert_blob(s, (*p)++, wkb, n);
    GEOSFree_r(A->h, wkb);
    return SG_OK;
}

/* ---- a MultiLineString WKB from pieces
 * ---------------------------------------- */

/* A growing byte buffer. */
typedef struct bytes {
    unsigned char *b;
    size_t n, cap;
} bytes;

/* Append \p n bytes. \return 1, or 0 when out of memory. */
static int put(bytes *o, const void *p, size_t n)
{
    if (o->n + n > o->cap) {
        size_t cap = o->cap ? o->cap * 2 : 256;
        while (cap < o->n + n)
            cap *= 2;
        unsigned char *nb = realloc(o->b, cap);
        if (!nb)
            return 0;
        o->b = nb;
        o->cap = cap;
    }
    memcpy(o->b + o->n, p, n);
    o->n += n;
    return 1;
}

/* Append a little-endian uint32. */
static int put_u32(bytes *o, uint32_t v)
{
    unsigned char b[4] = {(unsigned char)v, (unsigned char)(v >> 8),
                          (unsigned char)(v >> 16), (unsigned char)(v >> 24)};
    return put(o, b, 4);
}

/* Append a little-endian double. */
static int put_f64(bytes *o, double v)
{
    uint64_t u;
    unsigned char b[8];
    memcpy(&u, &v, 8);
    for (int i = 0; i < 8; i++)
        b[i] = (unsigned char)(u >> (8 * i));
    return put(o, b, 8);
}

/* Overwrite the little-endian uint32 at offset \p at with \p v. */
static void patch_u32(bytes *o, size_t at, size_t v)
{
    for (int i = 0; i < 4; i++)
        o->b[at + (size_t)i] = (unsigned char)(v >> (8 * i));
}

/* Build the MultiLineString WKB of the pieces e0..e1-1 of \p g for which
 * \p keep(e, user) holds: consecutive kept pieces that meet end to start
 * become one linestring. \p len receives their length. */
static int lines_wkb(const sg__graph *g, size_t e0, size_t e1,
                     int (*keep)(size_t e, const void *user), const void *user,
                     bytes *o, double *len)
{
    o->n = 0;
    *len = 0;
    uint32_t nlines = 0;
    static const unsigned char hdr[1] = {1};
    if (!put(o, hdr, 1) || !put_u32(o, 5) || !put_u32(o, 0))
        return 0;
    size_t count_at = 0, npts = 0;
    int open = 0;
    double lx = 0, ly = 0;
    for (size_t e = e0; e < e1; e++) {
        if (!keep(e, user)) {
            if (open) /* the line ends here: patch its count */
                patch_u32(o, count_at, npts);
            open = 0;
            continue;
        }
        const sg__seg *s = g->seg + e;
        *len += g->elen[e];
        if (open && s->x1 == lx && s->y1 == ly) {
            if (!put_f64(o, s->x2) || !put_f64(o, s->y2))
                return 0;
            npts++;
        } else {
            if (open) /* close the previous line: patch its count */
                patch_u32(o, count_at, npts);
            if (!put(o, hdr, 1) || !put_u32(o, 2))
                return 0;
            count_at = o->n;
            if (!put_u32(o, 0) || !put_f64(o, s->x1) || !put_f64(o, s->y1) ||
                !put_f64(o, s->x2) || !put_f64(o, s->y2))
                return 0;
            npts = 2;
            nlines++;
            open = 1;
        }
        lx = s->x2;
        ly = s->y2;
    }
    if (open)
        patch_u32(o, count_at, npts);
    patch_u32(o, 5, nlines);
    return nlines > 0;
}

/* keep() for lines_wkb: piece \p e belongs to the part in user. */
typedef struct part_sel {
    const int32_t *part;
    int32_t k;
} part_sel;

/* Whether piece \p e is in the selected part. */
static int in_part(size_t e, const void *user)
{
    const part_sel *p = user;
    return p->part[e] == p->k;
}

/* ---- allocate rows
 * ----------------------------------------------------------- */

/* Rows of cleaner_roads for village \p vi. */
static sg_status write_roads(sg__alloc *A, size_t vi, const sg__apart *P)
{
    const sg__avillage *v = &A->v[vi];
    wlayer *w = &A->w->l[L_ROADS];
    bytes o = {0};
    char id[160];
    sg_status st = SG_OK;
    int32_t *seen = calloc((size_t)P->K, sizeof *seen);
    if (!seen)
        return sg__error(A->ctx, SG_ERR_NOMEM, "out of memory");
    int32_t stamp = 0;
    for (size_t e0 = 0; st == SG_OK && e0 < P->npieces;) {
        int32_t road = P->g->eroad[e0];
        size_t e1 = e0;
        while (e1 < P->npieces && P->g->eroad[e1] == road)
            e1++;
        stamp++;
        for (size_t e = e0; st == SG_OK && e < e1; e++) {
            int32_t k = P->part[e];
            if (seen[k] == stamp)
                continue;
            seen[k] = stamp;
            part_sel sel = {P->part, k};
            double len = 0;
            if (!lines_wkb(P->g, e0, e1, in_part, &sel, &o, &len)) {
                st = sg__error(A->ctx, SG_ERR_NOMEM, "out of memory");
                break;
            }
            int p = 1;
            b_text(w->ins, &p, v->code);
            b_text(w->ins, &p, A->roads[road].id);
            b_text(w->ins, &p, sg__apart_cleaner_id(A, v, P, k, id, sizeof id));
            b_text(w->ins, &p, sg__alloc_class_name(A->roads[road].cls));
            b_num(w->ins, &p, len);
            b_int(w->ins, &p, P->ps[k].color);
            sg__insert_blob(w->ins, p, o.b, o.n);
            st = sg__insert_step(A->ctx, A->store, w->ins);
        }
        e0 = e1;
    }
    free(seen);
    free(o.b);
    return st;
}

/* Rows of cleaner_households for village \p vi. */
static sg_status write_households(sg__alloc *A, size_t vi, const sg__apart *P)
{
    const sg__avillage *v = &A->v[vi];
    wlayer *w = &A->w->l[L_HH];
    char id[160];
    sg_status st = SG_OK;
    for (size_t i = 0; st == SG_OK && i < v->nhh; i++) {
        const sg__ahh *h = &A->hh[v->hh[i]];
        int p = 1;
        b_text(w->ins, &p, v->code);
        b_text(w->ins, &p, h->id);
        b_text(w->ins, &p,
               sg__apart_cleaner_id(A, v, P, P->hpart[i], id, sizeof id));
        b_num(w->ins, &p, P->hsnap[i]);
        b_point(A, w, &p, h->x, h->y);
        st = sg__insert_step(A->ctx, A->store, w->ins);
    }
    return st;
}

/* Rows of service_areas and workloads for village \p vi. */
static sg_status write_cleaners(sg__alloc *A, size_t vi, const sg__apart *P)
{
    const sg__avillage *v = &A->v[vi];
    sg__insert *sa = A->w->l[L_AREAS].ins, *wl = A->w->l[L_WORK].ins;
    double mean = P->K ? P->total / P->K : 0;
    char id[160];
    sg_status st = SG_OK;
    for (int k = 0; st == SG_OK && k < P->K; k++) {
        const sg__apstat *s = &P->ps[k];
        const char *cid = sg__apart_cleaner_id(A, v, P, k, id, sizeof id);
        const char *status = s->existing >= 0 ? "existing" : "planned";
        int p = 1;
        b_text(sa, &p, v->code);
        b_text(sa, &p, cid);
        b_text(sa, &p, status);
        b_num(sa, &p, s->road_m / 1000.0);
        b_int(sa, &p, s->households);
        b_int(sa, &p, s->residents);
        b_num(sa, &p, s->workload);
        b_num(sa, &p, s->area_m2);
        b_num(sa, &p, s->area ? s->compactness : NAN);
        b_int(sa, &p, s->color);
        st = b_geos(A, sa, &p, s->area);
        if (st == SG_OK)
            st = sg__insert_step(A->ctx, A->store, sa);
        if (st)
            break;
        p = 1;
        b_text(wl, &p, v->code);
        b_text(wl, &p, cid);
        b_text(wl, &p, status);
        b_num(wl, &p, s->road_m / 1000.0);
        b_int(wl, &p, s->households);
        b_int(wl, &p, s->residents);
        b_num(wl, &p, s->workload);
        b_num(wl, &p, mean > 0 ? s->workload / mean : 1.0);
        b_int(wl, &p, s->npieces);
        b_int(wl, &p, s->pieces);
        b_int(wl, &p, s->comps);
        b_num(wl, &p, s->area ? s->compactness : NAN);
        b_text(wl, &p, A->r->balance);
        st = sg__insert_step(A->ctx, A->store, wl);
    }
    return st;
}

/* The village's figures from its partition. */
static void village_figures(const sg__alloc *A, const sg__avillage *v,
                            const sg__apart *P, sg_allocate_village *f)
{
    f->cleaners = P->K;
    f->households = (long long)v->nhh;
    f->components = (long long)P->ncomp;
    f->workload = P->total;
    double mean = P->K ? P->total / P->K : 0, csum = 0;
    long long careas = 0;
    f->max_mean = f->min_mean = mean > 0 ? P->ps[0].workload / mean : 1.0;
    for (int k = 0; k < P->K; k++) {
        const sg__apstat *s = &P->ps[k];
        if (s->existing >= 0)
            f->existing++;
        else
            f->planned++;
        f->residents += s->residents;
        f->road_m += s->road_m;
        if (mean > 0) {
            f->max_mean = fmax(f->max_mean, s->workload / mean);
            f->min_mean = fmin(f->min_mean, s->workload / mean);
        }
        if (s->pieces > s->comps)
            f->noncontiguous++;
        if (s->area) {
            csum += s->compactness;
            careas++;
        }
    }
    f->compactness = careas ? csum / (double)careas : 0;
    (void)A;
}

/* The allocation_summary row of village \p vi. */
static sg_status write_summary(sg__alloc *A, size_t vi, const sg__apart *P,
                               const sg_allocate_village *f)
{
    const sg__avillage *v = &A->v[vi];
    sg__insert *s = A->w->l[L_SUM].ins;
    int p = 1;
    b_text(s, &p, v->code);
    b_text(s, &p, v->name);
    b_int(s, &p, f->cleaners);
    b_int(s, &p, f->existing);
    b_int(s, &p, f->planned);
    if (v->required >= 0)
        b_int(s, &p, v->required);
    else
        sg__insert_null(s, p++);
    b_text(s, &p, f->cleaners_source);
    b_text(s, &p, A->r->balance);
    b_text(s, &p, A->r->unit);
    b_num(s, &p, f->workload);
    b_num(s, &p, f->max_mean);
    b_num(s, &p, f->min_mean);
    b_num(s, &p, f->compactness);
    b_int(s, &p, f->components);
    b_int(s, &p, f->noncontiguous);
    b_num(s, &p, f->road_m / 1000.0);
    b_int(s, &p, f->households);
    b_int(s, &p, f->residents);
    b_num(s, &p, P->piece_m);
    return sg__insert_step(A->ctx, A->store, s);
}

sg_status sg__alloc_write_village(sg__alloc *A, size_t vi, const sg__apart *P,
                                  sg_allocate_village *out)
{
    village_figures(A, &A->v[vi], P, out);
    sg_status st = write_roads(A, vi, P);
    if (st == SG_OK)
        st = write_households(A, vi, P);
    if (st == SG_OK)
        st = write_cleaners(A, vi, P);
    if (st == SG_OK)
        st = write_summary(A, vi, P, out);
    return st;
}

/* ---- evaluate rows
 * ------------------------------------------------------------- */

/* keep() for lines_wkb: the flag of piece \p e is set. */
static int flagged(size_t e, const void *user)
{
    return ((const unsigned char *)user)[e] != 0;
}

sg_status sg__alloc_write_unassigned_road(sg__alloc *A, size_t vi,
                                          const sg__graph *g, size_t e0,
                                          size_t e1, const unsigned char *flag)
{
    wlayer *w = &A->w->l[L_UROADS];
    bytes o = {0};
    double len = 0;
    int any = 0;
    for (size_t e = e0; e < e1; e++)
        any |= flag[e];
    if (!any)
        return SG_OK;
    if (!lines_wkb(g, e0, e1, flagged, flag, &o, &len)) {
        free(o.b);
        return sg__error(A->ctx, SG_ERR_NOMEM, "out of memory");
    }
    int32_t road = g->eroad[e0];
    int p = 1;
    b_text(w->ins, &p, A->v[vi].code);
    b_text(w->ins, &p, A->roads[road].id);
    b_text(w->ins, &p, sg__alloc_class_name(A->roads[road].cls));
    b_num(w->ins, &p, len);
    sg__insert_blob(w->ins, p, o.b, o.n);
    free(o.b);
    return sg__insert_step(A->ctx, A->store, w->ins);
}

sg_status sg__alloc_write_unassigned_hh(sg__alloc *A, size_t vi,
                                        const sg__ahh *hh)
{
    wlayer *w = &A->w->l[L_UHH];
    int p = 1;
    b_text(w->ins, &p, A->v[vi].code);
    b_text(w->ins, &p, hh->id);
    if (*hh->cleaner)
        b_text(w->ins, &p, hh->cleaner);
    else
        sg__insert_null(w->ins, p++);
    b_point(A, w, &p, hh->x, hh->y);
    return sg__insert_step(A->ctx, A->store, w->ins);
}

sg_status sg__alloc_write_current(sg__alloc *A, size_t vi, const char *cleaner,
                                  int known, double road_m, long long hh,
                                  long long res, double workload, double ratio,
                                  long long pieces)
{
    sg__insert *s = A->w->l[L_CUR].ins;
    int p = 1;
    b_text(s, &p, A->v[vi].code);
    b_text(s, &p, cleaner);
    b_int(s, &p, known);
    b_num(s, &p, road_m / 1000.0);
    b_int(s, &p, hh);
    b_int(s, &p, res);
    b_num(s, &p, workload);
    b_num(s, &p, ratio);
    b_int(s, &p, pieces);
    b_text(s, &p, A->r->balance);
    return sg__insert_step(A->ctx, A->store, s);
}

/* ---- the run record
 * ------------------------------------------------------------ */

sg_status sg__alloc_record(sg__alloc *A)
{
    const sg_allocate_options *o = A->o;
    const sg_allocate_result *r = A->r;
    sg_json p, n;
    sg_json_begin(&p, NULL);
    sg_json_object(&p, NULL);
    sg_json_str(&p, "mode", o->evaluate ? "evaluate" : "allocate");
    sg_json_str(&p, "division", *o->division ? o->division : NULL);
    sg_json_str(&p, "balance", r->balance);
    sg_json_int(&p, "cleaners", o->cleaners);
    sg_json_num(&p, "piece_m", o->piece_m);
    sg_json_num(&p, "snap_m", o->net.snap_m);
    sg_json_int(&p, "node_crossings", o->net.node_crossings);
    sg_json_end_object(&p);
    sg_json_begin(&n, NULL);
    sg_json_object(&n, NULL);
    sg_json_int(&n, "villages", (long long)r->nvillages);
    sg_json_int(&n, "cleaners", r->cleaners);
    if (o->evaluate) {
        sg_json_int(&n, "households", r->households);
        sg_json_num(&n, "road_km", r->road_m / 1000);
        sg_json_num(&n, "unassigned_road_km", r->unassigned_road_m / 1000);
        sg_json_int(&n, "unassigned_households", r->unassigned_households);
        sg_json_num(&n, "double_road_km", r->double_road_m / 1000);
        sg_json_int(&n, "double_households", r->double_households);
        sg_json_int(&n, "unknown_cleaners", r->unknown_cleaners);
        sg_json_num(&n, "max_mean", r->max_mean);
        sg_json_num(&n, "min_mean", r->min_mean);
    } else {
        sg_json_int(&n, "existing", r->existing);
        sg_json_int(&n, "planned", r->planned);
        sg_json_int(&n, "households", r->households);
        sg_json_num(&n, "road_km", r->road_m / 1000);
        sg_json_num(&n, "max_mean", r->max_mean);
        sg_json_num(&n, "min_mean", r->min_mean);
        sg_json_num(&n, "compactness", r->compactness);
        sg_json_int(&n, "noncontiguous", r->noncontiguous);
    }
    sg_json_end_object(&n);
    return sg__store_record_run_json(A->ctx, A->store, "allocate", &p, &n,
                                     r->seconds);
}
