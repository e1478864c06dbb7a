/* Hashing helpers of plan's block builder (plan_blocks.c): a 64-bit
 * mixer, an open-addressing map from 64-bit keys (positions, Delaunay
 * edges) to values, exact-position keys, circumcentres and the canonical
 * key of a segment. Pure functions of their arguments; no GEOS, no SQL.
 * Declared in plan_int.h.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/plan/plan_int.h"

/* splitmix64 finaliser. */
uint64_t sg__plan_mix64(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

/* A table for up to \p n keys. \return 0 when out of memory. */
int sg__plan_map_init(sg__plan_map *m, size_t n)
{
    size_t cap = 16;
    while (cap < 2 * n)
        cap *= 2;
    m->key = calloc(cap, sizeof *m->key);
    m->val = malloc(cap * sizeof *m->val);
    m->mask = cap - 1;
    return m->key && m->val;
}

void sg__plan_map_free(sg__plan_map *m)
{
    free(m->key);
    free(m->val);
    memset(m, 0, sizeof *m);
}

/* The slot of \p k (found, or free for it); \return 1 if found. */
int sg__plan_map_slot(const sg__plan_map *m, uint64_t k, size_t *slot)
{
    size_t i = (size_t)sg__plan_mix64(k) & m->mask;
    while (m->key[i] && m->key[i] != k + 1)
        i = (i + 1) & m->mask;
    *slot = i;
    return m->key[i] != 0;
}

/* The key of a position: its two coordinates' bit patterns mixed. */
uint64_t sg__plan_pos_key(double x, double y)
{
    uint64_t a, c;
    x = x == 0 ? 0 : x; /* -0.0 as 0.0 */
    y = y == 0 ? 0 : y;
    memcpy(&a, &x, sizeof a);
    memcpy(&c, &y, sizeof c);
    return sg__plan_mix64(a) ^ (c * 0x9e3779b97f4a7c15ULL);
}

/* The site (index into \p px, \p py) at exactly (x, y), or -1. */
long sg__plan_site_at(const sg__plan_map *m, const double *px, const double *py,
                      double x, double y)
{
    uint64_t k = sg__plan_pos_key(x, y);
    size_t i = (size_t)sg__plan_mix64(k) & m->mask;
    while (m->key[i]) {
        if (m->key[i] == k + 1 && px[m->val[i]] == x && py[m->val[i]] == y)
            return (long)m->val[i];
        i = (i + 1) & m->mask;
    }
    return -1;
}

/* Circumcentre of the triangle (a, b, c), computed relative to a;
 * \return 0 for a flat triangle. */
int sg__plan_circumcentre(double ax, double ay, double bx, double by, double cx,
                          double cy, double *ox, double *oy)
{
    double bxr = bx - ax, byr = by - ay, cxr = cx - ax, cyr = cy - ay;
    double d = 2 * (bxr * cyr - byr * cxr);
    if (d == 0)
        return 0;
    double b2 = bxr * bxr + byr * byr, c2 = cxr * cxr + cyr * cyr;
    *ox = ax + (cyr * b2 - byr * c2) / d;
    *oy = ay + (bxr * c2 - cxr * b2) / d;
    return isfinite(*ox) && isfinite(*oy);
}

/* Hash of a key of four doubles (bit patterns; -0.0 is folded into 0.0
 * by the caller). */
size_t sg__plan_seg_hash(const double k[4])
{
    uint64_t h = 0;
    for (int i = 0; i < 4; i++) {
        uint64_t u;
        memcpy(&u, &k[i], sizeof u);
        h = sg__plan_mix64(h ^ u);
    }
    return (size_t)h;
}

/* The canonical key of segment (x0, y0)-(x1, y1): lower end first. */
void sg__plan_seg_key(double x0, double y0, double x1, double y1, double k[4])
{
    int swap = x1 < x0 || (x1 == x0 && y1 < y0);
    k[0] = (swap ? x1 : x0) + 0.0;
    k[1] = (swap ? y1 : y0) + 0.0;
    k[2] = (swap ? x0 : x1) + 0.0;
    k[3] = (swap ? y0 : y1) + 0.0;
}
