/* The grid check's result layers (grid_gaps, grid_overlaps, grid_issues)
 * and the pieces of one level: gaps (the divisions the level's grids
 * name, minus the grids) and overlaps (area inside two or more grids),
 * each with its divisions, grids and sliver verdict (check_int.h).
 * Not for: hierarchy and ownership (check_owner.c), loading (check.c).
 * SPDX-License-Identifier: MIT */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/check/check_int.h"
#include "geom/geos_int.h"

/* ---- writing ------------------------------------------------------------ */

/* Columns of the result layers grid_gaps, grid_overlaps (both with a
 * MULTIPOLYGON geometry) and grid_issues (a table). */
static const sg__column gap_cols[] = {{"level", "INTEGER"},
                                      {"area_m2", "REAL"},
                                      {"division_codes", "TEXT"},
                                      {"grid_codes", "TEXT"}};
static const sg__column overlap_cols[] = {{"level", "INTEGER"},
                                          {"area_m2", "REAL"},
                                          {"grid_codes", "TEXT"},
                                          {"division_codes", "TEXT"}};
static const sg__column issue_cols[] = {{"level", "INTEGER"},
                                        {"kind", "TEXT"},
                                        {"codes", "TEXT"},
                                        {"detail", "TEXT"},
                                        {"value", "REAL"}};
#define NCOLS(a) (sizeof(a) / sizeof((a)[0]))

/* (Re)create the result layers and prepare their inserts (inside the
 * caller's transaction). */
sg_status sg__check_create_outputs(checker *c)
{
    sg_ctx *ctx = c->ctx;
    sg_status st = sg__store_create_result(
        ctx, c->store, "grid_gaps", "MULTIPOLYGON", gap_cols, NCOLS(gap_cols),
        "网格空隙", "Grid gaps");
    if (st == SG_OK)
        st = sg__store_create_result(
            ctx, c->store, "grid_overlaps", "MULTIPOLYGON", overlap_cols,
            NCOLS(overlap_cols), "网格重叠", "Grid overlaps");
    if (st == SG_OK)
        st = sg__store_create_result(ctx, c->store, "grid_issues", NULL,
                                     issue_cols, NCOLS(issue_cols),
                                     "网格检查问题", "Grid check findings");
    if (st == SG_OK)
        st = sg__store_prepare_result_insert(ctx, c->store, "grid_gaps",
                                             gap_cols, NCOLS(gap_cols), 1,
                                             &c->ins_gap);
    if (st == SG_OK)
        st = sg__store_prepare_result_insert(ctx, c->store, "grid_overlaps",
                                             overlap_cols, NCOLS(overlap_cols),
                                             1, &c->ins_overlap);
    if (st == SG_OK)
        st = sg__store_prepare_result_insert(ctx, c->store, "grid_issues",
                                             issue_cols, NCOLS(issue_cols), 0,
                                             &c->ins_issue);
    return st;
}

/* Bind \p text to parameter \p i of \p stmt (NULL or "" binds NULL). */
static void bind_text(sg__insert *stmt, int i, const char *text)
{
    if (text && *text)
        sg__insert_text(stmt, i, text);
    else
        sg__insert_null(stmt, i);
}

/* Write one grid_issues row; \p value NAN writes NULL. */
sg_status sg__check_add_issue(checker *c, int level, const char *kind,
                              const char *codes, const char *detail,
                              double value)
{
    sg__insert *s = c->ins_issue;
    sg__insert_int(s, 1, level);
    sg__insert_text(s, 2, kind);
    bind_text(s, 3, codes);
    bind_text(s, 4, detail);
    if (isnan(value))
        sg__insert_null(s, 5);
    else
        sg__insert_double(s, 5, value);
    sg_status st = sg__insert_step(c->ctx, c->store, s);
    if (st == SG_OK)
        c->issues++;
    return st;
}

/* Write one gap or overlap piece (a Polygon) as a MultiPolygon row. */
static sg_status add_piece_row(checker *c, int is_gap, int level, double area,
                               const char *div_codes, const char *grid_codes,
                               const GEOSGeometry *poly)
{
    GEOSGeometry *copy = GEOSGeom_clone_r(c->h, poly);
    GEOSGeometry *parts[1] = {copy};
    GEOSGeometry *multi =
        copy ? GEOSGeom_createCollection_r(c->h, GEOS_MULTIPOLYGON, parts, 1)
             : NULL;
    if (!multi) {
        if (copy)
            GEOSGeom_destroy_r(c->h, copy);
        return sg__geos_error(c->ctx, "building a result polygon");
    }
    size_t n = 0;
    unsigned char *wkb = sg__geom_to_wkb(c->ctx, multi, &n);
    GEOSGeom_destroy_r(c->h, multi);
    if (!wkb)
        return SG_ERR_GEOM;
    sg__insert *s = is_gap ? c->ins_gap : c->ins_overlap;
    sg__insert_int(s, 1, level);
    sg__insert_double(s, 2, area);
    bind_text(s, 3, is_gap ? div_codes : grid_codes);
    bind_text(s, 4, is_gap ? grid_codes : div_codes);
    sg__insert_blob(s, 5, wkb, n);
    GEOSFree_r(c->h, wkb);
    return sg__insert_step(c->ctx, c->store, s);
}

/* ---- pieces: gaps and overlaps ------------------------------------------ */

/* Join the codes of grids \p idx (n entries) sorted, comma-separated,
 * into \p out (emptied first). */
sg_status sg__check_join_grid_codes(checker *c, const size_t *idx, size_t n,
                                    strbuf *out)
{
    sg__check_sb_clear(out);
    if (!n)
        return sg__check_sb_add(c->ctx, out, "");
    const char **codes = malloc(n * sizeof *codes);
    if (!codes)
        return sg__error(c->ctx, SG_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < n; i++)
        codes[i] = c->grids[idx[i]].code;
    qsort(codes, n, sizeof *codes, sg__check_cmp_str);
    sg_status st = SG_OK;
    for (size_t i = 0; i < n && st == SG_OK; i++) {
        if (i)
            st = sg__check_sb_add(c->ctx, out, ",");
        if (st == SG_OK)
            st = sg__check_sb_add(c->ctx, out, codes[i]);
    }
    free(codes);
    return st;
}

/* Grids of \p level within TOUCH_M of \p piece, into \p out (indices). */
static sg_status touching_grids(checker *c, int level,
                                const GEOSGeometry *piece, sg__idlist *out)
{
    out->n = 0;
    sg_status st =
        sg__geomset_query(c->ctx, &c->gset, piece, TOUCH_M, &c->cand);
    for (size_t k = 0; k < c->cand.n && st == SG_OK; k++) {
        size_t i = c->cand.v[k];
        if (c->grids[i].level != level)
            continue;
        const GEOSPreparedGeometry *p =
            sg__geomset_prepared(c->ctx, &c->gset, i);
        if (!p)
            return SG_ERR_GEOM;
        char r = GEOSPreparedDistanceWithin_r(c->h, p, piece, TOUCH_M);
        if (r == 2)
            return sg__geos_error(c->ctx, "distance to a grid");
        if (r == 1)
            st = sg__idlist_push(c->ctx, out, i);
    }
    return st;
}

/* Codes of the divisions named by the level's grids that share more than
 * NOISE_M2 of area with \p piece, sorted and comma-separated, into \p out
 * (emptied first). */
static sg_status piece_divisions(checker *c, const GEOSGeometry *piece,
                                 strbuf *out)
{
    sg__check_sb_clear(out);
    sg_status st = sg__geomset_query(c->ctx, &c->dset, piece, 0, &c->cand);
    if (st)
        return st;
    const char **codes = malloc((c->cand.n ? c->cand.n : 1) * sizeof *codes);
    size_t nc = 0;
    if (!codes)
        return sg__error(c->ctx, SG_ERR_NOMEM, "out of memory");
    for (size_t k = 0; k < c->cand.n && st == SG_OK; k++) {
        size_t j = c->cand.v[k];
        if (!c->div_named[j])
            continue;
        const GEOSPreparedGeometry *p =
            sg__geomset_prepared(c->ctx, &c->dset, j);
        if (!p) {
            st = SG_ERR_GEOM;
            break;
        }
        char r = GEOSPreparedIntersects_r(c->h, p, piece);
        if (r == 1 && GEOSPreparedCovers_r(c->h, p, piece) != 1) {
            double a = 0;
            GEOSGeometry *x = sg__geom_intersection(
                c->ctx, sg__geomset_get(&c->dset, j), piece);
            if (!x) {
                st = SG_ERR_GEOM;
                break;
            }
            GEOSArea_r(c->h, x, &a);
            GEOSGeom_destroy_r(c->h, x);
            r = a > NOISE_M2;
        }
        if (r == 2)
            st = sg__geos_error(c->ctx, "piece in a division");
        else if (r == 1)
            codes[nc++] = c->div_codes[j];
    }
    if (st == SG_OK) {
        qsort(codes, nc, sizeof *codes, sg__check_cmp_str);
        st = sg__check_sb_add(c->ctx, out, "");
        for (size_t k = 0; k < nc && st == SG_OK; k++) {
            if (k)
                st = sg__check_sb_add(c->ctx, out, ",");
            if (st == SG_OK)
                st = sg__check_sb_add(c->ctx, out, codes[k]);
        }
    }
    free(codes);
    return st;
}

/* " near (x, y)" for a point inside \p poly, appended to \p b. */
static sg_status add_location(checker *c, const GEOSGeometry *poly, strbuf *b)
{
    GEOSGeometry *pt = GEOSPointOnSurface_r(c->h, poly);
    double x = 0, y = 0;
    int ok = pt && GEOSGeomGetX_r(c->h, pt, &x) && GEOSGeomGetY_r(c->h, pt, &y);
    if (pt)
        GEOSGeom_destroy_r(c->h, pt);
    if (!ok)
        return SG_OK; /* a location is a courtesy, not a requirement */
    char xs[48], ys[48];
    sg__check_fmt_fixed(xs, sizeof xs, x, 1);
    sg__check_fmt_fixed(ys, sizeof ys, y, 1);
    return sg__check_sb_addf(c->ctx, b, " near (%s, %s)", xs, ys);
}

/* 1 if \p g is thinner than the width tolerance everywhere: shrunk by
 * half of it from every side, nothing is left (an edge moved by rounding
 * coordinates, e.g. GeoJSON's 7 decimals or a Shapefile's doubles). */
int sg__check_thinner_than_tol(checker *c, const GEOSGeometry *g)
{
    if (!(c->tol > 0))
        return 0;
    GEOSGeometry *b = GEOSBuffer_r(c->h, g, -c->tol / 2, 8);
    if (!b)
        return 0; /* cannot tell: a finding rather than a silent sliver */
    int empty = GEOSisEmpty_r(c->h, b) == 1;
    GEOSGeom_destroy_r(c->h, b);
    return empty;
}

/* Count and write one gap (\p is_gap) or overlap piece \p poly (a
 * Polygon) of \p level that touches / lies in grids \p gidx (n). */
static sg_status record_piece(checker *c, int is_gap, int level,
                              const GEOSGeometry *poly, const size_t *gidx,
                              size_t n, sg_check_level *out)
{
    double area = 0;
    if (!GEOSArea_r(c->h, poly, &area))
        return sg__geos_error(c->ctx, "area of a piece");
    strbuf divs = {0}, grids = {0}, detail = {0};
    sg_status st = piece_divisions(c, poly, &divs);
    if (st == SG_OK)
        st = sg__check_join_grid_codes(c, gidx, n, &grids);
    int sliver = area < c->sliver || sg__check_thinner_than_tol(c, poly);
    const char *what = is_gap ? (sliver ? "gap sliver" : "gap")
                              : (sliver ? "overlap sliver" : "overlap");
    if (st == SG_OK && is_gap)
        st = sg__check_sb_addf(
            c->ctx, &detail, "%s in division(s) %s, touching %s", what,
            divs.n ? divs.s : "(none)", grids.n ? "grid(s) " : "no grid");
    else if (st == SG_OK)
        st = sg__check_sb_addf(c->ctx, &detail,
                               "%s in division(s) %s, inside grids ", what,
                               divs.n ? divs.s : "(none)");
    if (st == SG_OK)
        st = sg__check_sb_add(c->ctx, &detail, grids.s);
    if (st == SG_OK)
        st = add_location(c, poly, &detail);
    if (st == SG_OK) {
        const char *codes = grids.n ? grids.s : divs.s;
        if (sliver) {
            out->slivers++;
            out->slivers_area_m2 += area;
            st = sg__check_add_issue(c, level, "sliver", codes, detail.s, area);
        } else {
            if (is_gap) {
                out->gaps++;
                out->gaps_area_m2 += area;
            } else {
                out->overlaps++;
                out->overlaps_area_m2 += area;
            }
            st = add_piece_row(c, is_gap, level, area, divs.s, grids.s, poly);
            if (st == SG_OK)
                st = sg__check_add_issue(c, level, is_gap ? "gap" : "overlap",
                                         codes, detail.s, area);
        }
    }
    free(divs.s);
    free(grids.s);
    free(detail.s);
    return st;
}

/* Gaps of one level: the union of the divisions its grids name, minus the
 * union of its grids, in connected pieces (one Polygon each). */
sg_status sg__check_level_gaps(checker *c, int level, const sg__idlist *gl,
                               sg_check_level *out)
{
    sg_ctx *ctx = c->ctx;
    sg__idlist divs = {0}, touch = {0};
    const GEOSGeometry **geoms = NULL;
    GEOSGeometry *area = NULL, *cover = NULL, *gaps = NULL;
    sg_status st = SG_OK;
    for (size_t j = 0; j < c->ndivs && st == SG_OK; j++)
        if (c->div_named[j])
            st = sg__idlist_push(ctx, &divs, j);
    if (st)
        goto done;
    if (divs.n == 0) {
        sg__log(ctx, SG_LOG_WARN,
                "level %d: the grids name no known "
                "division, so gaps cannot be found",
                level);
        goto done;
    }
    size_t nd = divs.n;
    geoms = malloc((gl->n > nd ? gl->n : nd) * sizeof *geoms);
    if (!geoms) {
        st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        goto done;
    }
    for (size_t k = 0; k < nd; k++)
        geoms[k] = sg__geomset_get(&c->dset, divs.v[k]);
    if (!(area = sg__geom_union(ctx, geoms, nd))) {
        st = sg_ctx_status(ctx);
        goto done;
    }
    for (size_t k = 0; k < gl->n; k++)
        geoms[k] = sg__geomset_get(&c->gset, gl->v[k]);
    if ((st = sg__progress(ctx, 0.3, "gaps: union of grids")))
        goto done;
    if (!(cover = sg__geom_union(ctx, geoms, gl->n))) {
        st = sg_ctx_status(ctx);
        goto done;
    }
    if ((st = sg__progress(ctx, 0.7, "gaps: difference")))
        goto done;
    gaps = sg__geom_polygonal(ctx, sg__geom_difference(ctx, area, cover),
                              NOISE_M2);
    if (!gaps) {
        st = sg_ctx_status(ctx);
        goto done;
    }
    int n = GEOSGetNumGeometries_r(c->h, gaps);
    for (int i = 0; i < n && st == SG_OK; i++) {
        const GEOSGeometry *p = GEOSGetGeometryN_r(c->h, gaps, i);
        st = touching_grids(c, level, p, &touch);
        if (st == SG_OK)
            st = record_piece(c, 1, level, p, touch.v, touch.n, out);
        if (st == SG_OK && i % PROGRESS_EVERY == 0)
            st = sg__progress(ctx, 0.7 + 0.3 * i / n, "gaps");
    }
done:
    if (area)
        GEOSGeom_destroy_r(c->h, area);
    if (cover)
        GEOSGeom_destroy_r(c->h, cover);
    if (gaps)
        GEOSGeom_destroy_r(c->h, gaps);
    free(geoms);
    sg__idlist_cleanup(&divs);
    sg__idlist_cleanup(&touch);
    return st;
}

/* An overlap part: one polygon of the intersection of grids a and b. */
typedef struct overlap_part {
    GEOSGeometry *g; /* owned Polygon */
    size_t a, b;     /* grid indices */
} overlap_part;

/* The polygonal intersections (area > NOISE_M2) of every pair of grids
 * of the level, found through the spatial index, into *parts. */
static sg_status overlap_parts(checker *c, int level, const sg__idlist *gl,
                               overlap_part **parts, size_t *np)
{
    size_t cap = 0;
    sg_status st = SG_OK;
    for (size_t k = 0; k < gl->n && st == SG_OK; k++) {
        size_t i = gl->v[k];
        const GEOSGeometry *gi = sg__geomset_get(&c->gset, i);
        if (!gi)
            continue;
        const GEOSPreparedGeometry *pi =
            sg__geomset_prepared(c->ctx, &c->gset, i);
        if (!pi)
            return SG_ERR_GEOM;
        if ((st = sg__geomset_query(c->ctx, &c->gset, gi, 0, &c->cand)))
            return st;
        for (size_t m = 0; m < c->cand.n && st == SG_OK; m++) {
            size_t j = c->cand.v[m];
            if (j <= i || c->grids[j].level != level)
                continue;
            const GEOSGeometry *gj = sg__geomset_get(&c->gset, j);
            char r = GEOSPreparedIntersects_r(c->h, pi, gj);
            if (r == 2)
                return sg__geos_error(c->ctx, "grids intersect");
            if (r == 0)
                continue;
            GEOSGeometry *x = sg__geom_polygonal(
                c->ctx, sg__geom_intersection(c->ctx, gi, gj), NOISE_M2);
            if (!x)
                return sg__error_prefix(c->ctx, "overlap of grids %s and %s: ",
                                        c->grids[i].code, c->grids[j].code);
            int n = GEOSGetNumGeometries_r(c->h, x);
            for (int q = 0; q < n && st == SG_OK; q++) {
                if (*np == cap) {
                    size_t nc = cap ? cap * 2 : 16;
                    overlap_part *nv = realloc(*parts, nc * sizeof *nv);
                    if (!nv) {
                        st = sg__error(c->ctx, SG_ERR_NOMEM, "out of memory");
                        break;
                    }
                    *parts = nv;
                    cap = nc;
                }
                GEOSGeometry *pc =
                    GEOSGeom_clone_r(c->h, GEOSGetGeometryN_r(c->h, x, q));
                if (!pc) {
                    st = sg__geos_error(c->ctx, "copying an overlap");
                    break;
                }
                (*parts)[(*np)++] = (overlap_part){pc, i, j};
            }
            GEOSGeom_destroy_r(c->h, x);
        }
        if (st == SG_OK && k % PROGRESS_EVERY == 0)
            st = sg__progress(c->ctx, 0.6 * (double)k / (double)gl->n,
                              "overlaps");
    }
    return st;
}

/* \return the piece of \p pieces that holds a point inside \p part (the
 * nearest piece if rounding put the point just outside all of them). */
static sg_status piece_of_part(checker *c, sg__geomset *pieces,
                               const GEOSGeometry *part, size_t *which)
{
    GEOSGeometry *pt = GEOSPointOnSurface_r(c->h, part);
    if (!pt)
        return sg__geos_error(c->ctx, "point on an overlap");
    sg_status st = sg__geomset_query(c->ctx, pieces, pt, 1.0, &c->cand);
    double best = DBL_MAX;
    *which = 0;
    for (size_t k = 0; k < c->cand.n && st == SG_OK; k++) {
        size_t j = c->cand.v[k];
        const GEOSPreparedGeometry *p = sg__geomset_prepared(c->ctx, pieces, j);
        if (!p) {
            st = SG_ERR_GEOM;
            break;
        }
        if (GEOSPreparedIntersects_r(c->h, p, pt) == 1) {
            *which = j;
            best = 0;
            break;
        }
        double d = DBL_MAX;
        if (GEOSDistance_r(c->h, sg__geomset_get(pieces, j), pt, &d) &&
            d < best) {
            best = d;
            *which = j;
        }
    }
    GEOSGeom_destroy_r(c->h, pt);
    return st;
}

/* Overlaps of one level: polygonal parts of pairwise intersections,
 * unioned, split into connected pieces, each carrying the grids whose
 * pairwise intersections make it up. */
sg_status sg__check_level_overlaps(checker *c, int level, const sg__idlist *gl,
                                   sg_check_level *out)
{
    overlap_part *parts = NULL;
    size_t np = 0;
    sg__geomset pieces;
    sg__geomset_init(&pieces, c->ctx, 1);
    sg__idlist *members = NULL;
    const GEOSGeometry **geoms = NULL;
    size_t npieces = 0;
    sg_status st = overlap_parts(c, level, gl, &parts, &np);
    if (st || np == 0)
        goto done;
    if ((st = sg__progress(c->ctx, 0.6, "overlaps: pieces")))
        goto done;
    geoms = malloc(np * sizeof *geoms);
    if (!geoms) {
        st = sg__error(c->ctx, SG_ERR_NOMEM, "out of memory");
        goto done;
    }
    for (size_t k = 0; k < np; k++)
        geoms[k] = parts[k].g;
    GEOSGeometry *u =
        sg__geom_polygonal(c->ctx, sg__geom_union(c->ctx, geoms, np), NOISE_M2);
    if (!u) {
        st = sg_ctx_status(c->ctx);
        goto done;
    }
    int n = GEOSGetNumGeometries_r(c->h, u);
    for (int q = 0; q < n && st == SG_OK; q++) {
        GEOSGeometry *pc =
            GEOSGeom_clone_r(c->h, GEOSGetGeometryN_r(c->h, u, q));
        st = pc ? sg__geomset_add(c->ctx, &pieces, pc)
                : sg__geos_error(c->ctx, "copying an overlap piece");
    }
    GEOSGeom_destroy_r(c->h, u);
    npieces = pieces.n;
    members = calloc(npieces ? npieces : 1, sizeof *members);
    if (st == SG_OK && !members)
        st = sg__error(c->ctx, SG_ERR_NOMEM, "out of memory");
    for (size_t k = 0; k < np && st == SG_OK; k++) {
        size_t w = 0;
        st = piece_of_part(c, &pieces, parts[k].g, &w);
        if (st == SG_OK && npieces)
            st = sg__idlist_push(c->ctx, &members[w], parts[k].a);
        if (st == SG_OK && npieces)
            st = sg__idlist_push(c->ctx, &members[w], parts[k].b);
    }
    for (size_t w = 0; w < npieces && st == SG_OK; w++) {
        sg__idlist *m = &members[w];
        sg__idlist_sort(m);
        size_t u2 = 0;
        for (size_t k = 0; k < m->n; k++)
            if (u2 == 0 || m->v[u2 - 1] != m->v[k])
                m->v[u2++] = m->v[k];
        m->n = u2;
        st = record_piece(c, 0, level, sg__geomset_get(&pieces, w), m->v, m->n,
                          out);
        if (st == SG_OK && w % PROGRESS_EVERY == 0)
            st = sg__progress(c->ctx, 0.7 + 0.3 * (double)w / (double)npieces,
                              "overlaps");
    }
done:
    for (size_t k = 0; k < np; k++)
        GEOSGeom_destroy_r(c->h, parts[k].g);
    free(parts);
    free(geoms);
    for (size_t w = 0; members && w < npieces; w++)
        sg__idlist_cleanup(&members[w]);
    free(members);
    sg__geomset_cleanup(&pieces);
    return st;
}
