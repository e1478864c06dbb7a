/* Writing the results of a coverage run: layer coverage (bulk loaded),
 * layer blind_spots (polygons built and clipped with GEOS), table
 * coverage_stats, and the run record.
 * Not for: computing anything (coverage.c, cov_units.c, cov_blind.c).
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analysis/coverage/coverage_int.h"
#include "geom/geos_int.h"
#include "store/bulk_int.h"
#include "store/store_int.h"

double sg__cov_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* Layer coverage: keyed by the demand feature (its geometry is the
 * feature's), unit codes and point ids as CODEs (bulk_int.h). */
static const sg__column cov_cols[] = {
    {"household_id", "TEXT"},
    {"resident_population", "INTEGER"},
    {"division_code", "CODE"},
    {"grid_code", "CODE"},
    {"euclid_point_id", "CODE"},
    {"euclid_m", "REAL"},
    {"network_point_id", "CODE"},
    {"network_m", "REAL"},
    {"snap_m", "REAL"},
    {"reachable", "INTEGER"},
    {"covered_euclid", "INTEGER"},
    {"covered_network", "INTEGER"},
    {"blind_spot", "INTEGER"},
};

static const sg__column blind_cols[] = {
    {"blind_spot_id", "INTEGER"}, {"households", "INTEGER"},
    {"residents", "INTEGER"},     {"area_m2", "REAL"},
    {"division_code", "TEXT"},
};

static const sg__column stat_cols[] = {
    {"unit_type", "TEXT"},
    {"unit_code", "TEXT"},
    {"name", "TEXT"},
    {"level", "TEXT"},
    {"households", "INTEGER"},
    {"residents", "INTEGER"},
    {"covered_euclid_share", "REAL"},
    {"covered_network_share", "REAL"},
    {"unreachable", "INTEGER"},
    {"points_inside", "INTEGER"},
    {"residents_per_point", "REAL"},
    {"farthest_household_id", "TEXT"},
    {"farthest_m", "REAL"},
};

#define NCOLS(a) (sizeof(a) / sizeof((a)[0]))

/* Bind text (NULL allowed). */
static void bind_text(sg__insert *st, int i, const char *s)
{
    if (s)
        sg__insert_text(st, i, s);
    else
        sg__insert_null(st, i);
}

/* Bind a double, NULL for NaN. */
static void bind_real(sg__insert *st, int i, double v)
{
    if (v == v)
        sg__insert_double(st, i, v);
    else
        sg__insert_null(st, i);
}

/* Write layer `coverage` (one row per demand feature, keyed by its fid:
 * the codes are the units' codes, then the supply points' ids). */
sg_status sg__cov_write_coverage(sg__cov *c)
{
    const sg__units *u = &c->units;
    size_t ncodes = u->n + c->sup.n;
    const char **codes = malloc((ncodes + 1) * sizeof *codes);
    if (!codes)
        return sg__error(c->ctx, SG_ERR_NOMEM, "out of memory");
    for (size_t k = 0; k < u->n; k++)
        codes[k] = sg__units_text(u, u->u[k].code);
    for (size_t k = 0; k < c->sup.n; k++)
        codes[u->n + k] = c->sup.text.buf + c->sup.id[k];
    const sg__keyed_spec spec = {
        .name = "coverage",
        .cols = cov_cols,
        .ncols = NCOLS(cov_cols),
        .geom_type = "POINT",
        .from = c->households ? "households" : "points",
        .from_id = c->households ? "household_id" : "point_id",
        .id_col = 0,
        .codes = codes,
        .ncodes = ncodes,
        .title_zh = "覆盖情况",
        .title_en = "Coverage of households by sanitation points",
    };
    sg_status s = sg__store_keyed_begin(c->ctx, c->store, &spec,
                                        (long long)c->dem.n, &c->keyed_cov);
    sg__keyed *k = c->keyed_cov;
    sg__insert *st = s == SG_OK ? sg__keyed_insert(k) : NULL;
    long long pt0 = (long long)u->n;
    for (size_t i = 0; s == SG_OK && i < c->dem.n; i++) {
        unsigned f = c->flag[i];
        int32_t ep = c->e_pt[i], np = c->n_pt[i];
        sg__insert_text_static(st, 1, c->dem.text.buf + c->dem.id[i], -1);
        if (c->dem.res[i] >= 0)
            sg__insert_int64(st, 2, c->dem.res[i]);
        else
            sg__insert_null(st, 2);
        sg__keyed_code(k, 3, c->div_of[i]);
        sg__keyed_code(k, 4, c->grid_of[i]);
        sg__keyed_code(k, 5, ep >= 0 ? pt0 + ep : -1);
        bind_real(st, 6, c->e_d[i]);
        sg__keyed_code(k, 7, np >= 0 ? pt0 + np : -1);
        bind_real(st, 8, c->n_d[i]);
        bind_real(st, 9, c->snap[i]);
        if (c->network)
            sg__insert_int(st, 10, (f & SG_COV_REACH) != 0);
        else
            sg__insert_null(st, 10);
        if (c->euclid)
            sg__insert_int(st, 11, (f & SG_COV_EUCLID) != 0);
        else
            sg__insert_null(st, 11);
        if (c->network)
            sg__insert_int(st, 12, (f & SG_COV_NETWORK) != 0);
        else
            sg__insert_null(st, 12);
        if (c->blind_of[i] >= 0)
            sg__insert_int64(st, 13, c->pieces[c->blind_of[i]].id);
        else
            sg__insert_null(st, 13);
        sg__keyed_feature(c->store, k, c->dem.fid[i], c->dem.xy[2 * i],
                          c->dem.xy[2 * i + 1]);
        s = sg__insert_step(c->ctx, c->store, st);
        if (s == SG_OK && (i & 0xffff) == 0xffff)
            s = sg__progress(c->ctx, 0.9 * (double)i / (double)c->dem.n,
                             "writing coverage");
    }
    if (s == SG_OK)
        s = sg__store_keyed_end(c->ctx, c->store, k);
    free(codes);
    return s;
}

/* A GEOS linear ring from part \p k of \p rg. \return caller owns, or
 * NULL. */
static GEOSGeometry *make_ring(GEOSContextHandle_t h, const sg__lineset *rg,
                               size_t k)
{
    size_t a = rg->start[k], m = rg->start[k + 1] - a;
    GEOSCoordSequence *cs =
        GEOSCoordSeq_copyFromBuffer_r(h, rg->xy + 2 * a, (unsigned)m, 0, 0);
    return cs ? GEOSGeom_createLinearRing_r(h, cs) : NULL;
}

/* The MultiPolygon of the \p nparts traced rings from part \p part0 of
 * c->blind.rings: each counter-clockwise ring starts a polygon, the
 * clockwise ones after it are its holes. \return caller owns, or NULL. */
static GEOSGeometry *piece_geometry(sg__cov *c, size_t part0, size_t nparts)
{
    GEOSContextHandle_t h = c->ctx->geom;
    const sg__lineset *rg = &c->blind.rings;
    GEOSGeometry **polys = malloc((nparts + 1) * sizeof *polys);
    GEOSGeometry **holes = malloc((nparts + 1) * sizeof *holes);
    GEOSGeometry *shell = NULL;
    size_t np = 0, nh = 0;
    int ok = polys && holes;
    for (size_t k = part0; ok && k <= part0 + nparts; k++) {
        int is_shell = k < part0 + nparts &&
                       sg__ring_area(rg->xy + 2 * rg->start[k],
                                     rg->start[k + 1] - rg->start[k]) > 0;
        if ((is_shell || k == part0 + nparts) && shell) {
            GEOSGeometry *poly =
                GEOSGeom_createPolygon_r(h, shell, holes, (unsigned)nh);
            shell = NULL;
            if (!poly) {
                ok = 0;
                break;
            }
            polys[np++] = poly;
            nh = 0;
        }
        if (k == part0 + nparts)
            break;
        GEOSGeometry *ring = make_ring(h, rg, k);
        if (!ring)
            ok = 0;
        else if (is_shell)
            shell = ring;
        else if (shell)
            holes[nh++] = ring;
        else
            GEOSGeom_destroy_r(h, ring); /* a hole without a shell */
    }
    GEOSGeometry *out = ok ? GEOSGeom_createCollection_r(h, GEOS_MULTIPOLYGON,
                                                         polys, (unsigned)np)
                           : NULL;
    if (!out) {
        for (size_t k = 0; k < np; k++)
            GEOSGeom_destroy_r(h, polys[k]);
        for (size_t k = 0; k < nh; k++)
            GEOSGeom_destroy_r(h, holes[k]);
        if (shell)
            GEOSGeom_destroy_r(h, shell);
    }
    free(polys);
    free(holes);
    return out;
}

/* The polygons of \p g (Polygon, MultiPolygon or a collection) as one
 * MultiPolygon. Takes ownership of \p g. \return caller owns, or NULL. */
static GEOSGeometry *as_multipolygon(GEOSContextHandle_t h, GEOSGeometry *g)
{
    if (!g)
        return NULL;
    int type = GEOSGeomTypeId_r(h, g);
    if (type == GEOS_MULTIPOLYGON)
        return g;
    if (type == GEOS_POLYGON) {
        GEOSGeometry *parts[1] = {g};
        return GEOSGeom_createCollection_r(h, GEOS_MULTIPOLYGON, parts, 1);
    }
    int n = GEOSGetNumGeometries_r(h, g);
    GEOSGeometry **parts =
        malloc(((size_t)(n > 0 ? n : 0) + 1) * sizeof *parts);
    unsigned np = 0;
    for (int i = 0; parts && i < n; i++) {
        const GEOSGeometry *s = GEOSGetGeometryN_r(h, g, i);
        int t = GEOSGeomTypeId_r(h, s);
        if (t == GEOS_POLYGON && !GEOSisEmpty_r(h, s))
            parts[np++] = GEOSGeom_clone_r(h, s);
    }
    GEOSGeom_destroy_r(h, g);
    GEOSGeometry *out =
        parts ? GEOSGeom_createCollection_r(h, GEOS_MULTIPOLYGON, parts, np)
              : NULL;
    free(parts);
    return out;
}

/* The union of the top divisions (those whose parent_code is not a
 * division), or NULL when there are no divisions. *err is set on
 * failure. */
static GEOSGeometry *clip_region(sg__cov *c, int *err)
{
    GEOSContextHandle_t h = c->ctx->geom;
    const sg__units *u = &c->units;
    GEOSGeometry **parts = malloc((u->ndivisions + 1) * sizeof *parts);
    unsigned n = 0;
    *err = 0;
    if (!parts) {
        *err = 1;
        return NULL;
    }
    for (size_t i = 0; i < u->ndivisions; i++) {
        const char *parent = sg__units_text(u, u->u[i].parent);
        int top = 1;
        for (size_t j = 0; *parent && j < u->ndivisions && top; j++)
            if (strcmp(parent, sg__units_text(u, u->u[j].code)) == 0)
                top = 0;
        if (!top || !u->wkb[i])
            continue;
        GEOSGeometry *g = GEOSGeomFromWKB_buf_r(h, u->wkb[i], u->wkb_size[i]);
        if (g)
            parts[n++] = g;
    }
    GEOSGeometry *out = NULL;
    if (n > 0) {
        out = sg__geom_union(c->ctx, (const GEOSGeometry *const *)parts, n);
        if (!out)
            *err = 1;
    }
    for (unsigned i = 0; i < n; i++)
        GEOSGeom_destroy_r(h, parts[i]);
    free(parts);
    return out;
}

/* Write layer `blind_spots`, clipping each piece to the divisions. */
sg_status sg__cov_write_blind(sg__cov *c)
{
    GEOSContextHandle_t h = c->ctx->geom;
    sg__insert *st = NULL;
    int err = 0;
    GEOSGeometry *region = clip_region(c, &err);
    const GEOSPreparedGeometry *prep = region ? GEOSPrepare_r(h, region) : NULL;
    GEOSWKBWriter *w = GEOSWKBWriter_create_r(h);
    size_t *ord = malloc((c->npieces + 1) * sizeof *ord);
    size_t *part0 = malloc((c->npieces + 2) * sizeof *part0);
    const sg__lineset *rg = &c->blind.rings;
    sg_status s = SG_OK;
    if (!w || !ord || !part0) {
        s = sg__error(c->ctx, SG_ERR_NOMEM, "out of memory");
        goto done;
    }
    if (err || (region && !prep)) {
        s = sg__error(c->ctx, SG_ERR_GEOM, "union of the divisions: GEOS: %s",
                      c->ctx->geom_msg);
        goto done;
    }
    GEOSWKBWriter_setOutputDimension_r(h, w, 2);
    GEOSWKBWriter_setByteOrder_r(h, w, GEOS_WKB_NDR);
    for (size_t p = 0; p < c->npieces; p++)
        ord[c->pieces[p].id - 1] = p;
    /* the rings come piece by piece: find where each piece starts */
    for (size_t p = 0, k = 0; p <= c->npieces; p++) {
        while (k < rg->nparts && (size_t)rg->owner[k] < p)
            k++;
        part0[p] = k;
    }
    s = sg__store_create_result(c->ctx, c->store, "blind_spots", "MULTIPOLYGON",
                                blind_cols, NCOLS(blind_cols), "服务盲区",
                                "Blind spots");
    /* SpatiaLite's per-row triggers (an R*Tree statement prepared per
     * row) cost more than the polygons: off during the rows, the index
     * filled once after them */
    if (s == SG_OK)
        s = sg__store_bulk_load_begin(c->ctx, c->store, "blind_spots",
                                      (long long)c->npieces, &c->bulk_blind);
    if (s == SG_OK)
        s = sg__store_prepare_result_insert(c->ctx, c->store, "blind_spots",
                                            blind_cols, NCOLS(blind_cols), 1,
                                            &st);
    const sg__units *u = &c->units;
    for (size_t k = 0; s == SG_OK && k < c->npieces; k++) {
        const sg__piece *p = c->pieces + ord[k];
        GEOSGeometry *g =
            piece_geometry(c, part0[ord[k]], part0[ord[k] + 1] - part0[ord[k]]);
        if (g && prep && !GEOSisEmpty_r(h, g) &&
            !GEOSPreparedContainsProperly_r(h, prep, g)) {
            GEOSGeometry *cut = GEOSIntersection_r(h, g, region);
            if (cut && !GEOSisEmpty_r(h, cut)) {
                GEOSGeom_destroy_r(h, g);
                g = as_multipolygon(h, cut);
            } else if (cut) {
                GEOSGeom_destroy_r(h, cut); /* outside every division */
            }
        }
        size_t size = 0;
        unsigned char *wkb = NULL;
        double area = 0;
        if (!g || !(wkb = GEOSWKBWriter_write_r(h, w, g, &size)) ||
            !GEOSArea_r(h, g, &area)) {
            s = sg__error(c->ctx, SG_ERR_GEOM, "blind spot %lld: GEOS: %s",
                          p->id, c->ctx->geom_msg);
        } else {
            sg__insert_int64(st, 1, p->id);
            sg__insert_int64(st, 2, p->hh);
            if (c->households)
                sg__insert_int64(st, 3, p->res);
            else
                sg__insert_null(st, 3);
            sg__insert_double(st, 4, area);
            bind_text(st, 5,
                      p->division >= 0
                          ? sg__units_text(u, u->u[p->division].code)
                          : NULL);
            if (GEOSisEmpty_r(h, g))
                sg__insert_null(st, 6); /* too small to trace */
            else
                sg__insert_blob(st, 6, wkb, size);
            s = sg__insert_step(c->ctx, c->store, st);
            c->r->blind_spot_area_m2 += area;
            c->r->blind_spot_households += p->hh;
        }
        if (wkb)
            GEOSFree_r(h, wkb);
        if (g)
            GEOSGeom_destroy_r(h, g);
    }
    c->r->blind_spots = (long long)c->npieces;
    sg__insert_free(st);
    st = NULL;
    if (s == SG_OK)
        s = sg__store_bulk_load_end(c->ctx, c->store, c->bulk_blind);
done:
    sg__insert_free(st);
    if (w)
        GEOSWKBWriter_destroy_r(h, w);
    if (prep)
        GEOSPreparedGeom_destroy_r(h, prep);
    if (region)
        GEOSGeom_destroy_r(h, region);
    free(ord);
    free(part0);
    return s;
}

/* Write table `coverage_stats`: one row per division, then per grid. */
sg_status sg__cov_write_stats(sg__cov *c)
{
    sg__insert *st = NULL;
    const sg__units *u = &c->units;
    sg_status s = sg__store_create_result(
        c->ctx, c->store, "coverage_stats", NULL, stat_cols, NCOLS(stat_cols),
        "覆盖统计", "Coverage by division and grid");
    if (s == SG_OK)
        s = sg__store_prepare_result_insert(c->ctx, c->store, "coverage_stats",
                                            stat_cols, NCOLS(stat_cols), 0,
                                            &st);
    for (size_t k = 0; s == SG_OK && k < u->n; k++) {
        const sg__unit *t = u->u + k;
        const sg__ustat *a = c->us + k;
        bind_text(st, 1, t->type == SG_UNIT_DIVISION ? "division" : "grid");
        bind_text(st, 2, sg__units_text(u, t->code));
        bind_text(st, 3, t->has_name ? sg__units_text(u, t->name) : NULL);
        const char *level = sg__units_text(u, t->level);
        bind_text(st, 4, *level ? level : NULL);
        sg__insert_int64(st, 5, a->hh);
        if (c->households)
            sg__insert_int64(st, 6, a->res);
        else
            sg__insert_null(st, 6);
        bind_real(st, 7,
                  c->euclid && a->hh ? (double)a->cov_e / (double)a->hh : NAN);
        bind_real(st, 8,
                  c->network && a->hh ? (double)a->cov_n / (double)a->hh : NAN);
        if (c->network)
            sg__insert_int64(st, 9, a->unreach);
        else
            sg__insert_null(st, 9);
        sg__insert_int64(st, 10, a->points);
        bind_real(st, 11,
                  c->households && a->points
                      ? (double)a->res / (double)a->points
                      : NAN);
        bind_text(st, 12,
                  a->far >= 0 ? c->dem.text.buf + c->dem.id[a->far] : NULL);
        bind_real(st, 13, a->far >= 0 ? a->far_d : NAN);
        s = sg__insert_step(c->ctx, c->store, st);
    }
    sg__insert_free(st);
    c->r->units = (long long)u->n;
    return s;
}

sg_status sg__cov_record(sg__cov *c)
{
    const sg_coverage_result *r = c->r;
    sg_json p, n;
    sg_json_begin(&p, NULL);
    sg_json_object(&p, NULL);
    sg_json_str(&p, "kind", r->kind);
    sg_json_str(&p, "demand", r->demand);
    sg_json_num(&p, "radius_m", r->radius_m);
    sg_json_str(&p, "radius_source", r->radius_source);
    sg_json_str(&p, "metric", sg_metric_to_string(r->metric));
    sg_json_str(&p, "metric_used", sg_metric_to_string(r->metric_used));
    sg_json_num(&p, "max_snap_m", r->max_snap_m);
    sg_json_num(&p, "snap_m", c->o->net.snap_m);
    sg_json_bool(&p, "node_crossings", c->o->net.node_crossings);
    sg_json_end_object(&p);
    sg_json_begin(&n, NULL);
    sg_json_object(&n, NULL);
    sg_json_int(&n, "points", r->points);
    sg_json_int(&n, "points_off_network", r->points_off_network);
    sg_json_int(&n, "households", r->households);
    sg_json_int(&n, "residents", r->residents);
    sg_json_int(&n, "beyond_euclid", r->beyond_euclid);
    sg_json_int(&n, "beyond_network", r->beyond_network);
    sg_json_int(&n, "unreachable", r->unreachable);
    sg_json_int(&n, "off_network", r->off_network);
    sg_json_int(&n, "residents_beyond_euclid", r->residents_beyond_euclid);
    sg_json_int(&n, "residents_beyond_network", r->residents_beyond_network);
    sg_json_int(&n, "blind_spots", r->blind_spots);
    sg_json_num(&n, "blind_spot_area_m2",
                round(r->blind_spot_area_m2 * 10) / 10);
    sg_json_int(&n, "units", r->units);
    sg_json_end_object(&n);
    return sg__store_record_run_json(c->ctx, c->store, "coverage", &p, &n,
                                     sg__cov_now() - c->t0);
}
