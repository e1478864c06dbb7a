/* The grid check's hierarchy and ownership findings for one level: a
 * grid outside its parent or division, codes off the scheme, grids
 * without a leader, duplicate codes, and households in no grid or in
 * several (check_int.h).
 * Not for: gaps and overlaps (check_pieces.c), loading (check.c).
 * SPDX-License-Identifier: MIT */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/check/check_int.h"
#include "geom/geos_int.h"

/* ---- hierarchy and ownership -------------------------------------------- */

/* Area of grid \p i outside geometry \p k of \p set (0 if covered). */
static sg_status area_outside(checker *c, size_t i, sg__geomset *set, size_t k,
                              double *out)
{
    *out = 0;
    const GEOSGeometry *g = sg__geomset_get(&c->gset, i);
    const GEOSGeometry *container = sg__geomset_get(set, k);
    if (!g)
        return SG_OK;
    if (!container) {
        return GEOSArea_r(c->h, g, out) ? SG_OK
                                        : sg__geos_error(c->ctx, "area");
    }
    const GEOSPreparedGeometry *p = sg__geomset_prepared(c->ctx, set, k);
    if (!p)
        return SG_ERR_GEOM;
    char r = GEOSPreparedCovers_r(c->h, p, g);
    if (r == 2)
        return sg__geos_error(c->ctx, "grid within its container");
    if (r == 1)
        return SG_OK;
    GEOSGeometry *d = sg__geom_difference(c->ctx, g, container);
    if (!d)
        return SG_ERR_GEOM;
    /* what sticks out by less than the width tolerance is not outside */
    if (!sg__check_thinner_than_tol(c, d))
        GEOSArea_r(c->h, d, out);
    GEOSGeom_destroy_r(c->h, d);
    return SG_OK;
}

/* The grid code scheme of DOMAIN.md §2 grid.id_format: level 1 = the
 * division's 12-digit code + 3 digits, level 2 = parent + 2 digits,
 * level 3 = parent + 2 digits. Reasons a code breaks it go to \p why
 * (empty if it follows it). */
static sg_status code_problems(checker *c, const grid *g, strbuf *why)
{
    sg_ctx *ctx = c->ctx;
    sg__check_sb_clear(why);
    sg_status st = sg__check_sb_add(ctx, why, "");
    size_t len = strlen(g->code);
    int digits = len > 0;
    for (size_t k = 0; k < len; k++)
        if (g->code[k] < '0' || g->code[k] > '9')
            digits = 0;
    size_t want = g->level <= 1 ? 15 : g->level == 2 ? 17 : 19;
    const char *prefix = g->level <= 1 ? g->eff_division : g->parent;
    if (!digits)
        st = sg__check_sb_add(ctx, why, "not all digits");
    if (st == SG_OK && len != want)
        st = sg__check_sb_addf(ctx, why, "%s%zu characters, level %d wants %zu",
                               why->n ? "; " : "", len, g->level, want);
    if (st == SG_OK && prefix && strncmp(g->code, prefix, strlen(prefix)) != 0)
        st = sg__check_sb_addf(
            ctx, why, "%sdoes not start with its %s code %.40s",
            why->n ? "; " : "", g->level <= 1 ? "division" : "parent", prefix);
    return st;
}

/* Containment, parent, code and leader findings of grid \p i. */
static sg_status grid_findings(checker *c, size_t i, sg_check_level *out,
                               strbuf *codes, strbuf *why)
{
    sg_ctx *ctx = c->ctx;
    const grid *g = &c->grids[i];
    int L = g->level;
    double v = 0;
    char num[48];
    sg_status st = SG_OK;
    if (L >= 2) {
        const grid *p = g->parent_idx >= 0 ? &c->grids[g->parent_idx] : NULL;
        if (!p) {
            out->hierarchy_errors++;
            sg__check_sb_clear(why);
            st = g->parent ? sg__check_sb_addf(ctx, why,
                                               "parent grid %.40s does not "
                                               "exist",
                                               g->parent)
                           : sg__check_sb_addf(ctx, why,
                                               "a level-%d grid without "
                                               "parent_code",
                                               L);
            if (st == SG_OK)
                st = sg__check_add_issue(c, L, "missing_parent", g->code,
                                         why->s, NAN);
        } else if (p->level != L - 1) {
            out->hierarchy_errors++;
            sg__check_sb_clear(why);
            st = sg__check_sb_addf(ctx, why,
                                   "parent grid %.40s is level %d, not %d",
                                   p->code, p->level, L - 1);
            if (st == SG_OK)
                st = sg__check_add_issue(c, L, "missing_parent", g->code,
                                         why->s, NAN);
        }
        if (st == SG_OK && p &&
            (st = area_outside(c, i, &c->gset, (size_t)g->parent_idx, &v)) ==
                SG_OK &&
            v >= c->sliver) {
            out->hierarchy_errors++;
            sg__check_sb_clear(codes);
            sg__check_sb_clear(why);
            sg__check_fmt_fixed(num, sizeof num, v, 2);
            st = sg__check_sb_addf(ctx, codes, "%s,%s", g->code, p->code);
            if (st == SG_OK)
                st = sg__check_sb_addf(ctx, why,
                                       "%s m² of grid %.40s lie outside its "
                                       "parent %.40s",
                                       num, g->code, p->code);
            if (st == SG_OK)
                st = sg__check_add_issue(c, L, "not_within_parent", codes->s,
                                         why->s, v);
        }
    }
    if (st == SG_OK && g->div_idx < 0) {
        out->hierarchy_errors++;
        sg__check_sb_clear(why);
        st = g->eff_division
                 ? sg__check_sb_addf(ctx, why, "division %.40s does not exist",
                                     g->eff_division)
                 : sg__check_sb_add(ctx, why, "the grid names no division");
        if (st == SG_OK)
            st = sg__check_add_issue(c, L, "not_within_division", g->code,
                                     why->s, NAN);
    } else if (st == SG_OK &&
               (st = area_outside(c, i, &c->dset, (size_t)g->div_idx, &v)) ==
                   SG_OK &&
               v >= c->sliver) {
        out->hierarchy_errors++;
        sg__check_sb_clear(codes);
        sg__check_sb_clear(why);
        sg__check_fmt_fixed(num, sizeof num, v, 2);
        st = sg__check_sb_addf(ctx, codes, "%s,%s", g->code, g->eff_division);
        if (st == SG_OK)
            st = sg__check_sb_addf(ctx, why,
                                   "%s m² of grid %.40s lie outside its "
                                   "division %.40s",
                                   num, g->code, g->eff_division);
        if (st == SG_OK)
            st = sg__check_add_issue(c, L, "not_within_division", codes->s,
                                     why->s, v);
    }
    if (st == SG_OK)
        st = code_problems(c, g, why);
    if (st == SG_OK && why->n) {
        out->bad_codes++;
        st = sg__check_add_issue(c, L, "bad_code", g->code, why->s, NAN);
    }
    if (st == SG_OK && !g->has_leader) {
        out->grids_without_leader++;
        st = sg__check_add_issue(c, L, "no_leader", g->code,
                                 "grid has no grid_leader", NAN);
    }
    return st;
}

/* Duplicate codes: each code used by several grids, reported once, at the
 * lowest checked level among the grids using it. */
static sg_status level_duplicates(checker *c, int level, sg_check_level *out,
                                  strbuf *why)
{
    sg_status st = SG_OK;
    for (size_t k = 0; k < c->ngrids && st == SG_OK;) {
        size_t e = k + 1;
        while (e < c->ngrids &&
               strcmp(c->grid_codes[e].code, c->grid_codes[k].code) == 0)
            e++;
        if (e - k > 1) {
            int lowest = 0;
            for (size_t m = k; m < e; m++) {
                int L = c->grids[c->grid_codes[m].idx].level;
                if (L >= 1 && L <= 3 && c->checked[L] &&
                    (lowest == 0 || L < lowest))
                    lowest = L;
            }
            if (lowest == level) {
                out->hierarchy_errors++;
                out->duplicate_codes++;
                sg__check_sb_clear(why);
                st = sg__check_sb_addf(c->ctx, why,
                                       "code used by %zu grids (fid", e - k);
                for (size_t m = k; m < e && st == SG_OK; m++)
                    st = sg__check_sb_addf(c->ctx, why, "%s%lld",
                                           m > k ? ", " : " ",
                                           c->grid_codes[m].fid);
                if (st == SG_OK)
                    st = sg__check_sb_add(c->ctx, why, ")");
                if (st == SG_OK)
                    st = sg__check_add_issue(c, level, "duplicate_code",
                                             c->grid_codes[k].code, why->s,
                                             (double)(e - k));
            }
        }
        k = e;
    }
    return st;
}

/* Hierarchy, code and leader findings of every grid of the level. */
sg_status sg__check_level_hierarchy(checker *c, int level, const sg__idlist *gl,
                                    sg_check_level *out)
{
    strbuf codes = {0}, why = {0};
    sg_status st = SG_OK;
    for (size_t k = 0; k < gl->n && st == SG_OK; k++) {
        st = grid_findings(c, gl->v[k], out, &codes, &why);
        if (st == SG_OK && k % PROGRESS_EVERY == 0)
            st = sg__progress(c->ctx, (double)k / (double)gl->n, "hierarchy");
    }
    if (st == SG_OK)
        st = level_duplicates(c, level, out, &why);
    free(codes.s);
    free(why.s);
    return st;
}

/* The grid of \p level nearest to \p pt and its distance, searching boxes
 * that grow until one holds a grid within its half-width. *best -1 if the
 * level has no grid with geometry. */
static sg_status nearest_grid(checker *c, int level, const GEOSGeometry *pt,
                              long *best, double *dist)
{
    *best = -1;
    *dist = DBL_MAX;
    for (double r = 50; r < 1e9; r *= 4) {
        sg_status st = sg__geomset_query(c->ctx, &c->gset, pt, r, &c->cand);
        if (st)
            return st;
        for (size_t k = 0; k < c->cand.n; k++) {
            size_t i = c->cand.v[k];
            if (c->grids[i].level != level)
                continue;
            const GEOSPreparedGeometry *p =
                sg__geomset_prepared(c->ctx, &c->gset, i);
            double d = DBL_MAX;
            if (!p || !GEOSPreparedDistance_r(c->h, p, pt, &d))
                return sg__geos_error(c->ctx, "distance to a grid");
            if (d < *dist) {
                *dist = d;
                *best = (long)i;
            }
        }
        /* every grid closer than r has its envelope in the box */
        if (*best >= 0 && *dist <= r)
            return SG_OK;
    }
    return SG_OK;
}

/* Households of the level: in no grid, or inside several. A household on
 * the boundary of grids (and in the interior of none) is in exactly one
 * grid: grids are closed, and a shared edge is not a double count. */
sg_status sg__check_level_households(checker *c, int level, sg_check_level *out)
{
    sg_ctx *ctx = c->ctx;
    sg__idlist inside = {0};
    strbuf codes = {0}, why = {0};
    sg_status st = SG_OK;
    char num[48];
    for (size_t k = 0; k < c->nhh && st == SG_OK; k++) {
        const household *hh = &c->hh[k];
        GEOSGeometry *pt = GEOSGeom_createPointFromXY_r(c->h, hh->x, hh->y);
        if (!pt) {
            st = sg__geos_error(ctx, "household point");
            break;
        }
        inside.n = 0;
        size_t on_edge = 0;
        st = sg__geomset_query(ctx, &c->gset, pt, 0, &c->cand);
        for (size_t m = 0; m < c->cand.n && st == SG_OK; m++) {
            size_t i = c->cand.v[m];
            if (c->grids[i].level != level)
                continue;
            const GEOSPreparedGeometry *p =
                sg__geomset_prepared(ctx, &c->gset, i);
            if (!p) {
                st = SG_ERR_GEOM;
                break;
            }
            char r = GEOSPreparedIntersects_r(c->h, p, pt);
            if (r == 1)
                r = GEOSPreparedContains_r(c->h, p, pt) == 1 ? 3 : 1;
            if (r == 2)
                st = sg__geos_error(ctx, "household in a grid");
            else if (r == 3)
                st = sg__idlist_push(ctx, &inside, i);
            else if (r == 1)
                on_edge++;
        }
        if (st == SG_OK && inside.n >= 2) {
            out->households_in_several_grids++;
            st = sg__check_join_grid_codes(c, inside.v, inside.n, &why);
            sg__check_sb_clear(&codes);
            if (st == SG_OK)
                st = sg__check_sb_addf(ctx, &codes, "%s,", hh->id);
            if (st == SG_OK)
                st = sg__check_sb_add(ctx, &codes, why.s);
            sg__check_sb_clear(&why);
            if (st == SG_OK)
                st = sg__check_sb_addf(ctx, &why,
                                       "household %.60s is inside %zu "
                                       "grids",
                                       hh->id, inside.n);
            if (st == SG_OK)
                st = sg__check_add_issue(c, level, "household_in_several",
                                         codes.s, why.s, (double)inside.n);
        } else if (st == SG_OK && inside.n == 0 && on_edge == 0) {
            long best = -1;
            double d = 0;
            out->households_outside_grids++;
            st = nearest_grid(c, level, pt, &best, &d);
            sg__check_sb_clear(&why);
            if (st == SG_OK && best >= 0) {
                sg__check_fmt_fixed(num, sizeof num, d, 1);
                st = sg__check_sb_addf(ctx, &why,
                                       "household %.60s is in no level-%d "
                                       "grid; nearest %.40s at %s m",
                                       hh->id, level, c->grids[best].code, num);
            } else if (st == SG_OK) {
                st = sg__check_sb_addf(ctx, &why,
                                       "household %.60s is in no level-%d "
                                       "grid",
                                       hh->id, level);
            }
            if (st == SG_OK)
                st = sg__check_add_issue(c, level, "household_outside", hh->id,
                                         why.s, best >= 0 ? d : NAN);
        }
        GEOSGeom_destroy_r(c->h, pt);
        if (st == SG_OK && k % (PROGRESS_EVERY * 16) == 0)
            st = sg__progress(ctx, (double)k / (double)c->nhh, "households");
    }
    sg__idlist_cleanup(&inside);
    free(codes.s);
    free(why.s);
    return st;
}

/* Run every part of the check for one level, within the current progress
 * range. */
