/* The one WKB reader and point writer (declared in geom/wkb_int.h): lines
 * and polygon rings into one coordinate array (sg__lineset) for the
 * flat-array analyses, every part as drawn for the renderer, single
 * points out and in. It reads both byte orders and skips Z/M ordinates
 * (ISO and EWKB flags), which is all the store hands out (AsBinary of XY
 * columns).
 * Not for: general geometry work (GEOS does that), validation.
 * SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "geom/wkb_int.h"

void sg__lineset_cleanup(sg__lineset *s)
{
    if (!s)
        return;
    free(s->xy);
    free(s->start);
    free(s->owner);
    memset(s, 0, sizeof *s);
}

/* A cursor over a WKB buffer, and how parts are kept: the analyses'
 * way (draw 0: lines and rings of 2 or more vertices, -0.0 as +0.0,
 * points skipped) or the renderer's (draw 1: every part as stored, points
 * as one-vertex parts, the first base type met in kind). */
typedef struct rd {
    const unsigned char *p, *end;
    int draw;
    int kind;
} rd;

/* Read a 4-byte unsigned integer in byte order \p le (1 little endian).
 * \return 1, or 0 past the end. */
static int rd_u32(rd *r, int le, uint32_t *v)
{
    if (r->end - r->p < 4)
        return 0;
    const unsigned char *b = r->p;
    *v = le ? (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
                  (uint32_t)b[3] << 24
            : (uint32_t)b[3] | (uint32_t)b[2] << 8 | (uint32_t)b[1] << 16 |
                  (uint32_t)b[0] << 24;
    r->p += 4;
    return 1;
}

/* Read an 8-byte IEEE double in byte order \p le. \return 1, or 0 past
 * the end. */
static int rd_f64(rd *r, int le, double *v)
{
    if (r->end - r->p < 8)
        return 0;
    unsigned char b[8];
    for (int i = 0; i < 8; i++)
        b[i] = le ? r->p[i] : r->p[7 - i];
    uint64_t u = 0;
    for (int i = 7; i >= 0; i--)
        u = u << 8 | b[i];
    memcpy(v, &u, sizeof *v);
    r->p += 8;
    return 1;
}

/* Read a geometry header: byte order, base type (1..7) and the number of
 * ordinates per vertex. \return 1, or 0 if malformed. */
static int rd_header(rd *r, int *le, uint32_t *type, int *dims)
{
    if (r->p >= r->end || *r->p > 1)
        return 0;
    *le = *r->p++ == 1;
    uint32_t t;
    if (!rd_u32(r, *le, &t))
        return 0;
    int z = (t & 0x80000000u) != 0, m = (t & 0x40000000u) != 0;
    if (t & 0x20000000u) { /* EWKB SRID */
        uint32_t srid;
        if (!rd_u32(r, *le, &srid))
            return 0;
    }
    t &= 0x0fffffffu;
    if (t >= 3000) {
        z = m = 1;
        t -= 3000;
    } else if (t >= 2000) {
        m = 1;
        t -= 2000;
    } else if (t >= 1000) {
        z = 1;
        t -= 1000;
    }
    if (t < 1 || t > 7)
        return 0;
    *type = t;
    *dims = 2 + z + m;
    return 1;
}

int sg__lineset_reserve(sg__lineset *s, size_t nv)
{
    /* a first reservation takes what it needs: a map holds a lineset per
     * feature, most of them a point or a two-vertex road segment (a
     * minimum of 256 vertices and 64 parts each made 1.3 GB of the
     * 135,000 features of a county's coverage map); later ones double */
    if (s->nv + nv > s->cap_v) {
        size_t cap = s->cap_v ? s->cap_v : (nv > 4 ? nv : 4);
        while (cap < s->nv + nv)
            cap *= 2;
        double *xy = realloc(s->xy, cap * 2 * sizeof *xy);
        if (!xy)
            return 0;
        s->xy = xy;
        s->cap_v = cap;
    }
    if (s->nparts + 2 > s->cap_p) {
        size_t cap = s->cap_p ? s->cap_p * 2 : 4;
        size_t *st = realloc(s->start, cap * sizeof *st);
        if (!st)
            return 0;
        s->start = st;
        int32_t *ow = realloc(s->owner, cap * sizeof *ow);
        if (!ow)
            return 0;
        s->owner = ow;
        s->cap_p = cap;
    }
    return 1;
}

/* Read \p n vertices (a linestring or ring body, or one point) and append
 * them as a part. \return 1 on success or a dropped short part, 0
 * malformed, -1 out of memory. */
static int append_run(rd *r, int le, int dims, sg__lineset *s, int32_t owner,
                      uint32_t n)
{
    if ((size_t)(r->end - r->p) / (size_t)(8 * dims) < n)
        return 0;
    if (!sg__lineset_reserve(s, n))
        return -1;
    if (s->nparts == 0)
        s->start[0] = s->nv;
    size_t v0 = s->nv;
    for (uint32_t i = 0; i < n; i++) {
        double x, y, skip;
        rd_f64(r, le, &x);
        rd_f64(r, le, &y);
        for (int k = 2; k < dims; k++)
            rd_f64(r, le, &skip);
        if (!r->draw) {
            x += 0.0; /* -0.0 becomes +0.0 */
            y += 0.0;
        }
        s->xy[2 * s->nv] = x;
        s->xy[2 * s->nv + 1] = y;
        s->nv++;
    }
    if (!r->draw && s->nv - v0 < 2) {
        s->nv = v0;
        return 1;
    }
    s->owner[s->nparts] = owner;
    s->start[++s->nparts] = s->nv;
    return 1;
}

/* Read a vertex count and that many vertices, appended as by append_run.
 * \return as append_run. */
static int read_run(rd *r, int le, int dims, sg__lineset *s, int32_t owner)
{
    uint32_t n;
    if (!rd_u32(r, le, &n))
        return 0;
    return append_run(r, le, dims, s, owner, n);
}

/* Read one geometry (recursively for collections) and append its lines
 * and rings. \return 1, 0 malformed, -1 out of memory. */
static int read_geom(rd *r, sg__lineset *s, int32_t owner, int depth)
{
    int le, dims;
    uint32_t type, n;
    if (depth > 8 || !rd_header(r, &le, &type, &dims))
        return 0;
    if (r->draw && !r->kind && type <= 6)
        r->kind = (int)(type - 1) % 3 + 1;
    switch (type) {
    case 1: /* point: skipped, or one vertex when drawing */
        if ((size_t)(r->end - r->p) < (size_t)(8 * dims))
            return 0;
        if (r->draw) {
            const unsigned char *save = r->p;
            double x, y;
            rd_f64(r, le, &x);
            rd_f64(r, le, &y);
            r->p = save;
            if (x == x && y == y) /* an empty point is NaN, NaN */
                return append_run(r, le, dims, s, owner, 1);
        }
        r->p += 8 * dims;
        return 1;
    case 2: return read_run(r, le, dims, s, owner);
    case 3:
        if (!rd_u32(r, le, &n))
            return 0;
        for (uint32_t i = 0; i < n; i++) {
            int rc = read_run(r, le, dims, s, owner);
            if (rc != 1)
                return rc;
        }
        return 1;
    default: /* multi types and collections */
        if (!rd_u32(r, le, &n))
            return 0;
        for (uint32_t i = 0; i < n; i++) {
            int rc = read_geom(r, s, owner, depth + 1);
            if (rc != 1)
                return rc;
        }
        return 1;
    }
}

sg_status sg__wkb_append_parts(sg_ctx *ctx, sg__lineset *s, const void *wkb,
                               size_t size, int32_t owner, const char *what)
{
    rd r = {wkb, (const unsigned char *)wkb + size, 0, 0};
    size_t nv = s->nv, np = s->nparts;
    int rc = wkb ? read_geom(&r, s, owner, 0) : 1;
    if (rc == 1)
        return SG_OK;
    s->nv = nv; /* drop a partly read geometry */
    s->nparts = np;
    if (rc < 0)
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    return sg__error(ctx, SG_ERR_GEOM, "%s: malformed WKB geometry", what);
}

/* The point of a Point WKB, or the first of a MultiPoint of exactly one
 * point (\p any_count 0) or of any count (1). \return 1 with *x, *y, 0
 * for anything else. */
static int read_point(const void *wkb, size_t size, double *x, double *y,
                      int any_count)
{
    if (!wkb)
        return 0;
    rd r = {wkb, (const unsigned char *)wkb + size, 0, 0};
    int le, dims;
    uint32_t type, n;
    if (!rd_header(&r, &le, &type, &dims))
        return 0;
    if (type == 4) { /* MultiPoint */
        if (!rd_u32(&r, le, &n) || n == 0 || (n != 1 && !any_count) ||
            !rd_header(&r, &le, &type, &dims))
            return 0;
    }
    if (type != 1 || !rd_f64(&r, le, x) || !rd_f64(&r, le, y))
        return 0;
    if (*x != *x || *y != *y) /* empty point: NaN coordinates */
        return 0;
    *x += 0.0;
    *y += 0.0;
    return 1;
}

int sg__wkb_point(const void *wkb, size_t size, double *x, double *y)
{
    return read_point(wkb, size, x, y, 0);
}

int sg__wkb_first_point(const void *wkb, size_t size, double *x, double *y)
{
    return read_point(wkb, size, x, y, 1);
}

int sg__wkb_read_paths(const void *wkb, size_t size, sg__lineset *s, int *kind)
{
    rd r = {wkb, (const unsigned char *)wkb + size, 1, 0};
    int rc = wkb && size ? read_geom(&r, s, 0, 0) : 0;
    *kind = r.kind;
    return rc;
}

void sg__wkb_write_point(unsigned char buf[21], double x, double y)
{
    uint64_t u;
    buf[0] = 1;
    buf[1] = 1;
    buf[2] = buf[3] = buf[4] = 0;
    memcpy(&u, &x, 8);
    for (int i = 0; i < 8; i++)
        buf[5 + i] = (unsigned char)(u >> (8 * i));
    memcpy(&u, &y, 8);
    for (int i = 0; i < 8; i++)
        buf[13 + i] = (unsigned char)(u >> (8 * i));
}
