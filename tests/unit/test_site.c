/* Tests of the siting analysis (sg_site). Expectations are computed here,
 * independently of the library:
 *  - candidates along roads and at households, the coverage by the
 *    existing points and the coverage sets by straight line and along
 *    roads (a small all-pairs Floyd-Warshall over the road grid and a
 *    projection snap written here), then the optimum by brute force over
 *    every K-subset (--add: most residents, then most households) and
 *    over subsets by increasing size (--cover-all), on random fixtures
 *    for both metrics and both candidate sources;
 *  - the greedy path (forced) never claims a bound below the optimum nor
 *    a value above it, on the fixtures and on a bigger random instance
 *    (brute force), and on a large one against the exact solver;
 *  - capacity, hand-worked; households no candidate can cover listed
 *    with their reasons; divisions, "worst", candidate layers, errors.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "sanigrid/site.h"

static sg_ctx *ctx;

/* Library and one context for every test. */
static int group_setup(void **state)
{
    (void)state;
    sg_library_init();
    ctx = sg_ctx_new();
    return ctx ? 0 : -1;
}

/* Free the context and shut the library down (leak checkers see only
 * real leaks). */
static int group_teardown(void **state)
{
    (void)state;
    sg_ctx_free(ctx);
    sg_library_shutdown();
    return 0;
}

/* ---- text building ------------------------------------------------------ */

typedef struct sbuf {
    char *s;
    size_t n, cap;
} sbuf;

/* Append formatted text to \p b. */
static void sb_printf(sbuf *b, const char *fmt, ...)
{
    va_list ap;
    for (;;) {
        va_start(ap, fmt);
        int k = vsnprintf(b->s ? b->s + b->n : NULL, b->s ? b->cap - b->n : 0,
                          fmt, ap);
        va_end(ap);
        assert_true(k >= 0);
        if (b->s && b->n + (size_t)k < b->cap) {
            b->n += (size_t)k;
            return;
        }
        b->cap = (b->cap + (size_t)k + 1) * 2;
        b->s = realloc(b->s, b->cap);
        assert_non_null(b->s);
        if (b->n == 0)
            b->s[0] = '\0';
    }
}

/* ---- fixtures -------------------------------------------------------------
 */

#define X0 500000.0
#define Y0 3300000.0
#define MAXH 400
#define MAXR 64

/* A fixture: straight two-vertex roads, households, existing points. */
typedef struct fx {
    int nr;
    double rd[MAXR][4]; /* x1 y1 x2 y2 */
    int nh;
    double hx[MAXH], hy[MAXH];
    long long res[MAXH]; /* -1: NULL */
    int np;
    double px[8], py[8];
} fx;

static uint64_t rng_state;

/* xorshift64*: a uniform number in [0, 1). */
static double rnd(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (double)((rng_state * 2685821657736338717ull) >> 11) /
           9007199254740992.0;
}

/* A 4 x 4 road grid (200 m blocks, 24 roads), \p nh random households
 * (one with an unknown population, the last one 1.5 km away from every
 * road) and one existing point. */
static void make_fx(fx *f, uint64_t seed, int nh)
{
    memset(f, 0, sizeof *f);
    rng_state = seed * 0x9E3779B97F4A7C15ull + 1;
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 3; j++) {
            double a[4] = {X0 + 200 * j, Y0 + 200 * i, X0 + 200 * (j + 1),
                           Y0 + 200 * i};
            double b[4] = {X0 + 200 * i, Y0 + 200 * j, X0 + 200 * i,
                           Y0 + 200 * (j + 1)};
            memcpy(f->rd[f->nr++], a, sizeof a);
            memcpy(f->rd[f->nr++], b, sizeof b);
        }
    for (int i = 0; i < nh - 1; i++) {
        f->hx[i] = X0 - 50 + 700 * rnd();
        f->hy[i] = Y0 - 50 + 700 * rnd();
        f->res[i] = (long long)(rnd() * 7);
    }
    f->res[3] = -1;
    f->hx[nh - 1] = X0 + 2100;
    f->hy[nh - 1] = Y0 + 2100;
    f->res[nh - 1] = 4;
    f->nh = nh;
    f->np = 1;
    f->px[0] = X0 + 600 * rnd();
    f->py[0] = Y0 + 600 * rnd();
}

/* Import \p text (GeoJSON in EPSG:4545) into \p layer of \p s. */
static void import_text(sg_store *s, const char *layer, const char *text)
{
    char name[64];
    snprintf(name, sizeof name, "site_%s.geojson", layer);
    const char *path = sg_test_path(name);
    sg_test_write_file(path, text);
    sg_import_options *o = sg_import_options_new();
    assert_non_null(o);
    assert_sg_status(ctx, sg_import_options_set_src_crs(ctx, o, "EPSG:4545"),
                     SG_OK);
    sg_import_result *r = NULL;
    assert_sg_status(ctx, sg_import(ctx, s, layer, path, o, &r), SG_OK);
    assert_int_equal(r->rejected, 0);
    sg_import_result_free(r);
    sg_import_options_free(o);
}

/* A store \p name holding fixture \p f (and \p extra_points, GeoJSON
 * features appended to the points, may be NULL). */
static void store_fx(const fx *f, const char *name, const char *extra_points)
{
    sg_store *s = sg_test_store_new(ctx, name, 4545);
    sbuf b = {0};
    sb_printf(&b, "{\"type\":\"FeatureCollection\",\"features\":[");
    for (int i = 0; i < f->nr; i++)
        sb_printf(&b,
                  "%s{\"type\":\"Feature\",\"properties\":{\"road_id\":"
                  "\"R%02d\"},\"geometry\":{\"type\":\"LineString\","
                  "\"coordinates\":[[%.17g,%.17g],[%.17g,%.17g]]}}",
                  i ? "," : "", i, f->rd[i][0], f->rd[i][1], f->rd[i][2],
                  f->rd[i][3]);
    sb_printf(&b, "]}");
    import_text(s, "roads", b.s);
    b.n = 0;
    sb_printf(&b, "{\"type\":\"FeatureCollection\",\"features\":[");
    for (int i = 0; i < f->nh; i++) {
        char res[32];
        if (f->res[i] < 0)
            snprintf(res, sizeof res, "null");
        else
            snprintf(res, sizeof res, "%lld", f->res[i]);
        sb_printf(&b,
                  "%s{\"type\":\"Feature\",\"properties\":{\"household_id\":"
                  "\"H%03d\",\"resident_population\":%s},\"geometry\":{"
                  "\"type\":\"Point\",\"coordinates\":[%.17g,%.17g]}}",
                  i ? "," : "", i, res, f->hx[i], f->hy[i]);
    }
    sb_printf(&b, "]}");
    import_text(s, "households", b.s);
    b.n = 0;
    sb_printf(&b, "{\"type\":\"FeatureCollection\",\"features\":[");
    for (int i = 0; i < f->np; i++)
        sb_printf(&b,
                  "%s{\"type\":\"Feature\",\"properties\":{\"point_id\":"
                  "\"P%d\",\"kind\":\"collection_point\"},\"geometry\":{"
                  "\"type\":\"Point\",\"coordinates\":[%.17g,%.17g]}}",
                  i ? "," : "", i, f->px[i], f->py[i]);
    if (extra_points)
        sb_printf(&b, "%s%s", f->np ? "," : "", extra_points);
    sb_printf(&b, "]}");
    import_text(s, "points", b.s);
    free(b.s);
    sg_store_close(s);
}

/* The names of the modes, capacity units and point kinds: each reads
 * back to itself with the documented value, and a wrong or missing name
 * is a usage error naming it that leaves the output alone. */
static void test_enum_names(void **state)
{
    (void)state;
    static const char *const modes[] = {"add", "cover_all"};
    static const char *const units[] = {"households", "residents"};
    for (int i = 0; i < 2; i++) {
        sg_site_mode m = (sg_site_mode)0;
        assert_sg_status(ctx, sg_site_mode_from_string(ctx, modes[i], &m),
                         SG_OK);
        assert_int_equal(m, i + 1);
        assert_string_equal(sg_site_mode_to_string(m), modes[i]);
        sg_site_capacity_unit u = (sg_site_capacity_unit)0;
        assert_sg_status(
            ctx, sg_site_capacity_unit_from_string(ctx, units[i], &u), SG_OK);
        assert_int_equal(u, i + 1);
        assert_string_equal(sg_site_capacity_unit_to_string(u), units[i]);
    }
    assert_int_equal(SG_SITE_COVER_ALL, 2);
    assert_int_equal(SG_SITE_CAP_RESIDENTS, 2);
    sg_site_mode m = SG_SITE_COVER_ALL;
    assert_sg_status(ctx, sg_site_mode_from_string(ctx, "cover-all", &m),
                     SG_ERR_USAGE);
    assert_contains(sg_ctx_errmsg(ctx), "'cover-all'");
    assert_sg_status(ctx, sg_site_mode_from_string(ctx, NULL, &m),
                     SG_ERR_USAGE);
    assert_int_equal(m, SG_SITE_COVER_ALL);
    assert_null(sg_site_mode_to_string((sg_site_mode)0));
    assert_null(sg_site_mode_to_string((sg_site_mode)3));
    sg_site_capacity_unit u = SG_SITE_CAP_RESIDENTS;
    assert_sg_status(ctx, sg_site_capacity_unit_from_string(ctx, "people", &u),
                     SG_ERR_USAGE);
    assert_contains(sg_ctx_errmsg(ctx), "'people'");
    assert_sg_status(ctx, sg_site_capacity_unit_from_string(ctx, NULL, &u),
                     SG_ERR_USAGE);
    assert_int_equal(u, SG_SITE_CAP_RESIDENTS);
    assert_null(sg_site_capacity_unit_to_string((sg_site_capacity_unit)0));
    assert_null(sg_site_capacity_unit_to_string((sg_site_capacity_unit)3));

    /* the point kinds are the CHECK list of points.kind
     * (data/sql/0001_init.sql), in that order */
    static const char *const kinds[] = {"collection_point", "bin",
                                        "transfer_station", "public_toilet",
                                        "other"};
    for (int i = 0; i < 5; i++) {
        sg_point_kind k = (sg_point_kind)-1;
        assert_sg_status(ctx, sg_point_kind_from_string(ctx, kinds[i], &k),
                         SG_OK);
        assert_int_equal(k, i);
        assert_string_equal(sg_point_kind_to_string(k), kinds[i]);
    }
    assert_int_equal(SG_POINT_PUBLIC_TOILET, 3);
    sg_point_kind k = SG_POINT_BIN;
    assert_sg_status(ctx, sg_point_kind_from_string(ctx, "school", &k),
                     SG_ERR_USAGE);
    assert_contains(sg_ctx_errmsg(ctx), "point kind 'school'");
    assert_sg_status(ctx, sg_point_kind_from_string(ctx, "Bin", &k),
                     SG_ERR_USAGE);
    assert_sg_status(ctx, sg_point_kind_from_string(ctx, NULL, &k),
                     SG_ERR_USAGE);
    assert_int_equal(k, SG_POINT_BIN);
    assert_null(sg_point_kind_to_string((sg_point_kind)5));
    assert_null(sg_point_kind_to_string((sg_point_kind)-1));
}

/* ---- the independent model ------------------------------------------------
 */

#define MAXN 64 /* road nodes */
#define MAXC 800

/* The road graph of a fixture with all-pairs distances. */
typedef struct tnet {
    int nn;
    double nx[MAXN], ny[MAXN];
    int ea[MAXR], eb[MAXR];
    double len[MAXR];
    double D[MAXN][MAXN];
} tnet;

/* Node number of (\p x, \p y), added if new. */
static int node_of(tnet *t, double x, double y)
{
    for (int i = 0; i < t->nn; i++)
        if (t->nx[i] == x && t->ny[i] == y)
            return i;
    assert_true(t->nn < MAXN);
    t->nx[t->nn] = x;
    t->ny[t->nn] = y;
    return t->nn++;
}

/* Build the graph of \p f and Floyd-Warshall over it. */
static void net_build(const fx *f, tnet *t)
{
    memset(t, 0, sizeof *t);
    for (int e = 0; e < f->nr; e++) {
        t->ea[e] = node_of(t, f->rd[e][0], f->rd[e][1]);
        t->eb[e] = node_of(t, f->rd[e][2], f->rd[e][3]);
        t->len[e] = hypot(f->rd[e][2] - f->rd[e][0], f->rd[e][3] - f->rd[e][1]);
    }
    for (int i = 0; i < t->nn; i++)
        for (int j = 0; j < t->nn; j++)
            t->D[i][j] = i == j ? 0 : INFINITY;
    for (int e = 0; e < f->nr; e++) {
        t->D[t->ea[e]][t->eb[e]] = fmin(t->D[t->ea[e]][t->eb[e]], t->len[e]);
        t->D[t->eb[e]][t->ea[e]] = fmin(t->D[t->eb[e]][t->ea[e]], t->len[e]);
    }
    for (int k = 0; k < t->nn; k++)
        for (int i = 0; i < t->nn; i++)
            for (int j = 0; j < t->nn; j++)
                if (t->D[i][k] + t->D[k][j] < t->D[i][j])
                    t->D[i][j] = t->D[i][k] + t->D[k][j];
}

/* A location on the roads: edge, parameter, snap distance; edge -1 when
 * farther than 500 m from every road. */
typedef struct tsnap {
    int e;
    double t, d;
} tsnap;

/* Project (\p x, \p y) on the nearest road (first one on ties). */
static tsnap snap(const fx *f, double x, double y)
{
    tsnap s = {-1, 0, INFINITY};
    for (int e = 0; e < f->nr; e++) {
        const double *r = f->rd[e];
        double dx = r[2] - r[0], dy = r[3] - r[1];
        double t = ((x - r[0]) * dx + (y - r[1]) * dy) / (dx * dx + dy * dy);
        t = t < 0 ? 0 : t > 1 ? 1 : t;
        double d = hypot(r[0] + t * dx - x, r[1] + t * dy - y);
        if (d < s.d) {
            s = (tsnap){e, t, d};
        }
    }
    if (s.d > 500)
        s.e = -1;
    return s;
}

/* Road distance between two snapped locations (INFINITY if either is
 * off the network). */
static double road_dist(const tnet *t, tsnap a, tsnap b)
{
    if (a.e < 0 || b.e < 0)
        return INFINITY;
    double best = INFINITY;
    int ae[2] = {t->ea[a.e], t->eb[a.e]}, be[2] = {t->ea[b.e], t->eb[b.e]};
    double aa[2] = {a.t * t->len[a.e], (1 - a.t) * t->len[a.e]};
    double bb[2] = {b.t * t->len[b.e], (1 - b.t) * t->len[b.e]};
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 2; j++)
            best = fmin(best, a.d + aa[i] + t->D[ae[i]][be[j]] + bb[j] + b.d);
    if (a.e == b.e)
        best = fmin(best, a.d + fabs(a.t - b.t) * t->len[a.e] + b.d);
    return best;
}

/* The instance as the test sees it: demand (households not covered by
 * the existing points, on the network for the road metric) and one
 * bitset per candidate. */
typedef struct model {
    int network;
    double radius;
    int nd;
    int dem[MAXH]; /* demand -> household */
    int off_network[MAXH];
    int nc;
    double cx[MAXC], cy[MAXC];
    int nw;        /* 64-bit words per set */
    uint64_t *set; /* nc * nw */
    long long before_cov_hh, before_cov_res;
} model;

/* Candidates every \p spacing metres along each road (both ends). */
static void road_candidates(const fx *f, double spacing, model *m)
{
    for (int e = 0; e < f->nr; e++) {
        const double *r = f->rd[e];
        double len = hypot(r[2] - r[0], r[3] - r[1]);
        int n = (int)ceil(len / spacing - 1e-9);
        for (int q = 0; q <= n; q++) {
            double s = q * spacing, x, y;
            if (q == 0) {
                x = r[0];
                y = r[1];
            } else if (q == n || s >= len) {
                x = r[2];
                y = r[3];
            } else {
                x = r[0] + s / len * (r[2] - r[0]);
                y = r[1] + s / len * (r[3] - r[1]);
            }
            assert_true(m->nc < MAXC);
            m->cx[m->nc] = x;
            m->cy[m->nc++] = y;
        }
    }
}

/* Distance from point (\p x, \p y) to household \p h. */
static double dist_to(const fx *f, const tnet *t, const model *m, double x,
                      double y, int h)
{
    if (!m->network)
        return hypot(x - f->hx[h], y - f->hy[h]);
    return road_dist(t, snap(f, x, y), snap(f, f->hx[h], f->hy[h]));
}

/* Build the model of \p f: candidates along roads (\p spacing > 0) or at
 * the households (\p spacing 0). */
static void model_build(const fx *f, int network, double radius, double spacing,
                        model *m)
{
    static tnet t;
    memset(m, 0, sizeof *m);
    m->network = network;
    m->radius = radius;
    net_build(f, &t);
    double lim = radius + 1e-6;
    for (int h = 0; h < f->nh; h++) {
        long long res = f->res[h] > 0 ? f->res[h] : 0;
        int cov = 0;
        for (int p = 0; p < f->np && !cov; p++)
            cov = dist_to(f, &t, m, f->px[p], f->py[p], h) <= lim;
        if (cov) {
            m->before_cov_hh++;
            m->before_cov_res += res;
            continue;
        }
        if (network && snap(f, f->hx[h], f->hy[h]).e < 0) {
            m->off_network[h] = 1;
            continue;
        }
        m->dem[m->nd++] = h;
    }
    if (spacing > 0)
        road_candidates(f, spacing, m);
    else
        for (int h = 0; h < f->nh; h++) {
            m->cx[m->nc] = f->hx[h];
            m->cy[m->nc++] = f->hy[h];
        }
    m->nw = (m->nd + 63) / 64 + 1;
    m->set = calloc((size_t)m->nc * (size_t)m->nw, sizeof *m->set);
    assert_non_null(m->set);
    for (int c = 0; c < m->nc; c++)
        for (int i = 0; i < m->nd; i++)
            if (dist_to(f, &t, m, m->cx[c], m->cy[c], m->dem[i]) <= lim)
                m->set[c * m->nw + i / 64] |= 1ull << (i % 64);
}

/* Drop candidates whose set lies within another's (equal: the later). */
static int model_prune(model *m, int *keep)
{
    int n = 0;
    for (int c = 0; c < m->nc; c++) {
        const uint64_t *a = m->set + c * m->nw;
        int empty = 1, dominated = 0;
        for (int w = 0; w < m->nw; w++)
            empty &= a[w] == 0;
        for (int o = 0; o < m->nc && !empty && !dominated; o++) {
            if (o == c)
                continue;
            const uint64_t *b = m->set + o * m->nw;
            int sub = 1, eq = 1;
            for (int w = 0; w < m->nw; w++) {
                sub &= (a[w] & ~b[w]) == 0;
                eq &= a[w] == b[w];
            }
            dominated = sub && (!eq || o < c);
        }
        if (!empty && !dominated)
            keep[n++] = c;
    }
    return n;
}

/* Residents and households of the demand in \p set. */
static void set_value(const fx *f, const model *m, const uint64_t *set,
                      long long *res, long long *hh)
{
    *res = *hh = 0;
    for (int i = 0; i < m->nd; i++)
        if (set[i / 64] >> (i % 64) & 1) {
            (*hh)++;
            *res += f->res[m->dem[i]] > 0 ? f->res[m->dem[i]] : 0;
        }
}

/* Depth-first search over the K-subsets of keep[from..]: best (residents,
 * households) into *br, *bh. */
static void best_subset(const fx *f, const model *m, const int *keep, int nk,
                        int from, int left, uint64_t *acc, long long *br,
                        long long *bh)
{
    long long r, h;
    set_value(f, m, acc, &r, &h);
    if (r > *br || (r == *br && h > *bh)) {
        *br = r;
        *bh = h;
    }
    if (left == 0)
        return;
    uint64_t *next = malloc((size_t)m->nw * sizeof *next);
    for (int i = from; i < nk; i++) {
        const uint64_t *s = m->set + keep[i] * m->nw;
        for (int w = 0; w < m->nw; w++)
            next[w] = acc[w] | s[w];
        best_subset(f, m, keep, nk, i + 1, left - 1, next, br, bh);
    }
    free(next);
}

/* Brute-force optimum of --add k: residents and households. */
static void brute_add(const fx *f, model *m, int k, long long *res,
                      long long *hh)
{
    int keep[MAXC];
    int nk = model_prune(m, keep);
    uint64_t *acc = calloc((size_t)m->nw, sizeof *acc);
    *res = *hh = -1;
    best_subset(f, m, keep, nk, 0, k, acc, res, hh);
    free(acc);
}

/* Whether some \p left candidates of keep[from..] together with \p acc
 * cover \p all. */
static int covers(const model *m, const int *keep, int nk, int from, int left,
                  const uint64_t *acc, const uint64_t *all)
{
    int full = 1;
    for (int w = 0; w < m->nw; w++)
        full &= (acc[w] & all[w]) == all[w];
    if (full)
        return 1;
    if (left == 0)
        return 0;
    uint64_t next[16];
    assert_true(m->nw <= 16);
    for (int i = from; i < nk; i++) {
        const uint64_t *s = m->set + keep[i] * m->nw;
        for (int w = 0; w < m->nw; w++)
            next[w] = acc[w] | s[w];
        if (covers(m, keep, nk, i + 1, left - 1, next, all))
            return 1;
    }
    return 0;
}

/* Brute-force optimum of --cover-all: the fewest candidates covering all
 * coverable demand; \p ncoverable receives the coverable demand count. */
static int brute_cover(model *m, int *ncoverable)
{
    int keep[MAXC];
    int nk = model_prune(m, keep);
    uint64_t all[16] = {0}, acc[16] = {0};
    for (int c = 0; c < m->nc; c++)
        for (int w = 0; w < m->nw; w++)
            all[w] |= m->set[c * m->nw + w];
    *ncoverable = 0;
    for (int i = 0; i < m->nd; i++)
        *ncoverable += (int)(all[i / 64] >> (i % 64) & 1);
    for (int s = 0; s <= nk; s++)
        if (covers(m, keep, nk, 0, s, acc, all))
            return s;
    return -1;
}

/* ---- running the library ----------------------------------------------------
 */

/* Run sg_site on store file \p name. */
static sg_status run_site(const char *name, const sg_site_options *o,
                          sg_site_result **r)
{
    sg_store *s = NULL;
    assert_sg_status(ctx, sg_store_open(ctx, sg_test_path(name), 0, &s), SG_OK);
    sg_status st = sg_site(ctx, s, o, r);
    sg_store_close(s);
    return st;
}

/* Options for a fixture run. */
static sg_site_options *opts_for(int network, double spacing, int k)
{
    sg_site_options *o = sg_site_options_new();
    assert_non_null(o);
    sg_site_options_set_metric(ctx, o,
                               network ? SG_METRIC_NETWORK : SG_METRIC_EUCLID);
    if (spacing > 0) {
        sg_site_options_set_spacing(ctx, o, spacing);
    } else {
        assert_sg_status(
            ctx, sg_site_options_set_candidates(ctx, o, "households"), SG_OK);
    }
    if (k > 0)
        sg_site_options_set_add(ctx, o, k);
    else
        sg_site_options_set_cover_all(ctx, o);
    return o;
}

/* Checks every result must pass: marginals add up, ranks, the layer. */
static void check_result(const char *name, const sg_site_result *r)
{
    long long hh = 0, res = 0;
    for (size_t i = 0; i < r->nproposals; i++) {
        assert_int_equal(r->proposals[i].rank, (long long)i + 1);
        assert_true(r->proposals[i].households_new > 0);
        hh += r->proposals[i].households_new;
        res += r->proposals[i].residents_new;
    }
    assert_int_equal(r->after.covered_households,
                     r->before.covered_households + hh);
    assert_int_equal(r->after.covered_residents,
                     r->before.covered_residents + res);
    const char *db = sg_test_path(name);
    assert_int_equal((long long)sg_test_sql_number(
                         db, "SELECT count(*) FROM site_proposals"),
                     (long long)r->nproposals);
    assert_int_equal((long long)sg_test_sql_number(
                         db, "SELECT coalesce(sum(households_new), 0) FROM "
                             "site_proposals"),
                     hh);
    assert_int_equal((long long)sg_test_sql_number(
                         db, "SELECT count(*) FROM site_uncoverable"),
                     (long long)r->nuncoverable);
    assert_true(r->gap >= 0 && r->gap <= 1);
    if (r->mode == SG_SITE_ADD)
        assert_true(r->bound >= r->value);
    else
        assert_true(r->bound <= r->value);
}

/* --add on fixtures: the result equals the brute-force optimum, for both
 * metrics and both candidate sources, K = 1..3. */
static void test_add_brute_force(void **state)
{
    (void)state;
    static fx f;
    static model m;
    for (uint64_t seed = 1; seed <= 3; seed++) {
        make_fx(&f, seed, 28);
        char name[64];
        snprintf(name, sizeof name, "site_bf%d.sqlite", (int)seed);
        store_fx(&f, name, NULL);
        for (int network = 0; network <= 1; network++)
            for (int src = 0; src < 2; src++) {
                double spacing = src == 0 ? 50 : 0;
                model_build(&f, network, 120, spacing, &m);
                for (int k = 1; k <= 3; k++) {
                    long long res, hh;
                    brute_add(&f, &m, k, &res, &hh);
                    sg_site_options *o = opts_for(network, spacing, k);
                    sg_site_result *r = NULL;
                    assert_sg_status(ctx, run_site(name, o, &r), SG_OK);
                    if (r->value != (double)res ||
                        r->after.covered_households -
                                r->before.covered_households !=
                            hh)
                        fail_msg("seed %d network %d src %d k %d: got %g "
                                 "residents (%lld households, %s), brute "
                                 "force %lld (%lld)",
                                 (int)seed, network, src, k, r->value,
                                 r->after.covered_households -
                                     r->before.covered_households,
                                 r->method, res, hh);
                    assert_string_equal(r->method, "exact");
                    assert_string_equal(r->objective, "residents");
                    assert_true(r->gap == 0);
                    assert_int_equal(r->before.covered_households,
                                     m.before_cov_hh);
                    assert_int_equal(r->before.covered_residents,
                                     m.before_cov_res);
                    assert_int_equal(r->metric, network ? SG_METRIC_NETWORK
                                                        : SG_METRIC_EUCLID);
                    check_result(name, r);
                    sg_site_result_free(r);

                    /* forced greedy: value <= optimum <= its bound */
                    sg_site_options_set_exact_limit(ctx, o, 0);
                    assert_sg_status(ctx, run_site(name, o, &r), SG_OK);
                    assert_true(r->value <= (double)res);
                    assert_true(r->bound >= (double)res);
                    assert_true(strcmp(r->method, "greedy+swap") == 0 ||
                                strcmp(r->method, "greedy") == 0);
                    check_result(name, r);
                    sg_site_result_free(r);
                    sg_site_options_free(o);
                }
                free(m.set);
            }
    }
}

/* --cover-all on fixtures: the fewest points equal brute force, the
 * uncoverable households are exactly those the model cannot cover. */
static void test_cover_all_brute_force(void **state)
{
    (void)state;
    static fx f;
    static model m;
    for (uint64_t seed = 4; seed <= 6; seed++) {
        make_fx(&f, seed, 24);
        char name[64];
        snprintf(name, sizeof name, "site_cv%d.sqlite", (int)seed);
        store_fx(&f, name, NULL);
        for (int network = 0; network <= 1; network++)
            for (int src = 0; src < 2; src++) {
                double spacing = src == 0 ? 50 : 0;
                model_build(&f, network, 120, spacing, &m);
                int ncov = 0, opt = brute_cover(&m, &ncov);
                sg_site_options *o = opts_for(network, spacing, 0);
                sg_site_result *r = NULL;
                assert_sg_status(ctx, run_site(name, o, &r), SG_OK);
                if (r->value != opt)
                    fail_msg("seed %d network %d src %d: %g points, brute "
                             "force %d",
                             (int)seed, network, src, r->value, opt);
                assert_string_equal(r->method, "exact");
                assert_string_equal(r->objective, "points");
                assert_int_equal((long long)r->nproposals, opt);
                assert_int_equal(r->after.covered_households,
                                 r->before.covered_households + ncov);
                /* uncoverable = demand not coverable + off the network */
                int expect = m.nd - ncov;
                for (int h = 0; h < f.nh; h++)
                    expect += m.off_network[h];
                assert_int_equal((long long)r->nuncoverable, expect);
                for (size_t i = 0; i < r->nuncoverable; i++) {
                    int h = atoi(r->uncoverable[i].household_id + 1);
                    assert_string_equal(r->uncoverable[i].reason,
                                        m.off_network[h] ? "off_network"
                                                         : "no_candidate");
                }
                check_result(name, r);
                sg_site_result_free(r);
                /* forced greedy: bound <= optimum <= value */
                sg_site_options_set_exact_limit(ctx, o, 0);
                assert_sg_status(ctx, run_site(name, o, &r), SG_OK);
                assert_true(r->value >= opt && r->bound <= opt);
                assert_int_equal(r->after.covered_households,
                                 r->before.covered_households + ncov);
                check_result(name, r);
                sg_site_result_free(r);
                sg_site_options_free(o);
                free(m.set);
            }
    }
}

/* The greedy path on bigger random instances: on 150 households
 * (brute force over every 3-subset of the households as candidates) and
 * on 2,000 (against the exact solver), the greedy value never exceeds the
 * optimum and its bound never falls below it. */
static void test_greedy_bound(void **state)
{
    (void)state;
    static fx f;
    static model m;
    make_fx(&f, 11, 150);
    for (int i = 0; i < 140; i++) { /* denser: 150 households on 300 m */
        f.hx[i] = X0 + 100 + 300 * rnd();
        f.hy[i] = Y0 + 100 + 300 * rnd();
    }
    store_fx(&f, "site_big.sqlite", NULL);
    model_build(&f, 0, 60, 0, &m);
    long long res, hh;
    brute_add(&f, &m, 3, &res, &hh);
    sg_site_options *o = opts_for(0, 0, 3);
    sg_site_options_set_radius(ctx, o, 60);
    sg_site_options_set_exact_limit(ctx, o, 0);
    sg_site_result *r = NULL;
    assert_sg_status(ctx, run_site("site_big.sqlite", o, &r), SG_OK);
    assert_true(r->value <= (double)res);
    assert_true(r->bound >= (double)res);
    assert_true(fabs(r->gap - (r->bound - r->value) / r->bound) < 1e-12);
    check_result("site_big.sqlite", r);
    sg_site_result_free(r);
    sg_site_options_set_exact_limit(ctx, o, SG_SITE_EXACT_CANDIDATES);
    assert_sg_status(ctx, run_site("site_big.sqlite", o, &r), SG_OK);
    assert_true(r->value == (double)res);
    sg_site_result_free(r);
    sg_site_options_free(o);
    free(m.set);

    /* 2,000 households over 2 km, K = 10: greedy against exact */
    sg_store *s = sg_test_store_new(ctx, "site_large.sqlite", 4545);
    sbuf b = {0};
    rng_state = 99;
    sb_printf(&b, "{\"type\":\"FeatureCollection\",\"features\":[");
    for (int i = 0; i < 2000; i++) {
        double cx = X0 + 400 * (i % 5), cy = Y0 + 400 * (i / 5 % 5);
        sb_printf(&b,
                  "%s{\"type\":\"Feature\",\"properties\":{\"household_id\":"
                  "\"L%04d\",\"resident_population\":%d},\"geometry\":{"
                  "\"type\":\"Point\",\"coordinates\":[%.3f,%.3f]}}",
                  i ? "," : "", i, (int)(rnd() * 6) + 1,
                  cx + 300 * rnd() * rnd(), cy + 300 * rnd() * rnd());
    }
    sb_printf(&b, "]}");
    import_text(s, "households", b.s);
    free(b.s);
    sg_store_close(s);
    o = opts_for(0, 0, 10);
    sg_site_options_set_radius(ctx, o, 80);
    sg_site_options_set_time_limit(ctx, o, 120);
    sg_site_result *ex = NULL, *gr = NULL;
    assert_sg_status(ctx, run_site("site_large.sqlite", o, &ex), SG_OK);
    assert_string_equal(ex->method, "exact");
    sg_site_options_set_exact_limit(ctx, o, 0);
    assert_sg_status(ctx, run_site("site_large.sqlite", o, &gr), SG_OK);
    assert_string_equal(gr->method, "greedy+swap");
    assert_true(gr->value <= ex->value);
    assert_true(gr->bound >= ex->value);
    check_result("site_large.sqlite", gr);
    sg_site_result_free(ex);
    sg_site_result_free(gr);
    /* GLPK stopped by the time limit (here before its first solution):
     * greedy's solution is kept and the method says mip-timeout, as
     * documented, never greedy+swap */
    sg_site_options_set_exact_limit(ctx, o, SG_SITE_EXACT_CANDIDATES);
    sg_site_options_set_time_limit(ctx, o, 1e-3);
    assert_sg_status(ctx, run_site("site_large.sqlite", o, &gr), SG_OK);
    assert_string_equal(gr->method, "mip-timeout");
    assert_true(gr->time_limit_hit);
    check_result("site_large.sqlite", gr);
    sg_site_result_free(gr);
    sg_site_options_set_time_limit(ctx, o, 120);
    sg_site_options_set_exact_limit(ctx, o, 0);
    /* set covering on the same: greedy's lower bound holds */
    sg_site_options_set_cover_all(ctx, o);
    assert_sg_status(ctx, run_site("site_large.sqlite", o, &gr), SG_OK);
    sg_site_options_set_exact_limit(ctx, o, SG_SITE_EXACT_CANDIDATES);
    assert_sg_status(ctx, run_site("site_large.sqlite", o, &ex), SG_OK);
    if (strcmp(ex->method, "exact") == 0) {
        assert_true(gr->bound <= ex->value);
        assert_true(gr->value >= ex->value);
    }
    assert_true(ex->bound <= ex->value);
    sg_site_result_free(ex);
    sg_site_result_free(gr);
    sg_site_options_free(o);
}

/* Capacity, hand-worked. Cluster A: six households of 1 resident around
 * (500000, 3300000); cluster B: three of 5 residents around (501000,
 * 3300000), and C: one of 9 residents at (502000, 3300000). Candidates
 * are the households, radius 30 m, straight line. */
static void test_capacity(void **state)
{
    (void)state;
    static const double ax[] = {0, 5, 10, 0, 5, 10}, ay[] = {0, 0, 0, 5, 5, 5};
    sg_store *s = sg_test_store_new(ctx, "site_cap.sqlite", 4545);
    sbuf b = {0};
    sb_printf(&b, "{\"type\":\"FeatureCollection\",\"features\":[");
    for (int i = 0; i < 10; i++) {
        double x = i < 6   ? X0 + ax[i]
                   : i < 9 ? X0 + 1000 + 5 * (i - 6)
                           : X0 + 2000;
        double y = i < 6 ? Y0 + ay[i] : Y0;
        sb_printf(&b,
                  "%s{\"type\":\"Feature\",\"properties\":{\"household_id\":"
                  "\"%c%d\",\"resident_population\":%d},\"geometry\":{"
                  "\"type\":\"Point\",\"coordinates\":[%.3f,%.3f]}}",
                  i ? "," : "",
                  i < 6   ? 'A'
                  : i < 9 ? 'B'
                          : 'C',
                  i,
                  i < 6   ? 1
                  : i < 9 ? 5
                          : 9,
                  x, y);
    }
    sb_printf(&b, "]}");
    import_text(s, "households", b.s);
    free(b.s);
    sg_store_close(s);
    for (int greedy = 0; greedy <= 1; greedy++) {
        sg_site_options *o = opts_for(0, 0, 2);
        sg_site_options_set_radius(ctx, o, 30);
        sg_site_options_set_capacity(ctx, o, 4, SG_SITE_CAP_HOUSEHOLDS);
        if (greedy)
            sg_site_options_set_exact_limit(ctx, o, 0);
        sg_site_result *r = NULL;
        /* K = 2, 4 households each: C (9) + B (15) = 24 residents */
        assert_sg_status(ctx, run_site("site_cap.sqlite", o, &r), SG_OK);
        assert_string_equal(r->method, greedy ? "greedy" : "exact");
        assert_true(r->value == 24);
        assert_int_equal((long long)r->nproposals, 2);
        for (size_t i = 0; i < r->nproposals; i++)
            assert_true(r->proposals[i].households_new <= 4);
        assert_int_equal(r->proposals[0].residents_new, 15);
        assert_true(r->bound >= 24);
        check_result("site_cap.sqlite", r);
        sg_site_result_free(r);
        /* K = 3: C + B + 4 of A = 28 */
        sg_site_options_set_add(ctx, o, 3);
        assert_sg_status(ctx, run_site("site_cap.sqlite", o, &r), SG_OK);
        assert_true(r->value == 28);
        assert_int_equal(r->proposals[2].households_new, 4);
        sg_site_result_free(r);
        /* cover all: A needs two points, B one, C one */
        sg_site_options_set_cover_all(ctx, o);
        assert_sg_status(ctx, run_site("site_cap.sqlite", o, &r), SG_OK);
        assert_true(r->value == 4);
        assert_int_equal(r->households_unserved, 0);
        assert_int_equal(r->after.covered_households, 10);
        assert_true(r->bound <= 4);
        check_result("site_cap.sqlite", r);
        sg_site_result_free(r);
        /* residents capacity 6: C (9) is too big; each of B needs its
         * own point (5 + 5 > 6); A (6) fits in one */
        sg_site_options_set_capacity(ctx, o, 6, SG_SITE_CAP_RESIDENTS);
        assert_sg_status(ctx, run_site("site_cap.sqlite", o, &r), SG_OK);
        assert_true(r->value == 4);
        assert_int_equal((long long)r->nuncoverable, 1);
        assert_string_equal(r->uncoverable[0].household_id, "C9");
        assert_string_equal(r->uncoverable[0].reason, "capacity");
        for (size_t i = 0; i < r->nproposals; i++)
            assert_true(r->proposals[i].residents_new <= 6);
        assert_int_equal(r->capacity_unit, SG_SITE_CAP_RESIDENTS);
        check_result("site_cap.sqlite", r);
        sg_site_result_free(r);
        sg_site_options_free(o);
    }
    /* the setting collection_point.max_households (300 households) */
    sg_site_options *o = opts_for(0, 0, 2);
    sg_site_options_set_radius(ctx, o, 30);
    assert_sg_status(
        ctx, sg_site_options_set_capacity(ctx, o, -1, SG_SITE_CAP_RESIDENTS),
        SG_ERR_USAGE); /* the setting counts households */
    sg_site_options_set_capacity(ctx, o, -1, SG_SITE_CAP_HOUSEHOLDS);
    sg_site_result *r = NULL;
    assert_sg_status(ctx, run_site("site_cap.sqlite", o, &r), SG_OK);
    assert_true(r->capacity == 300);
    assert_int_equal(r->capacity_unit, SG_SITE_CAP_HOUSEHOLDS);
    assert_string_equal(r->capacity_source, "collection_point.max_households");
    assert_true(r->value == 24);
    sg_site_result_free(r);
    sg_site_options_free(o);
}

/* Uncoverable households are listed with their reasons and written to
 * site_uncoverable; divisions, "worst", a candidate layer. */
static void test_uncoverable_divisions_layer(void **state)
{
    (void)state;
    static fx f;
    make_fx(&f, 21, 30);
    /* allowed sites: two points of kind other */
    store_fx(&f, "site_misc.sqlite",
             "{\"type\":\"Feature\",\"properties\":{\"point_id\":\"S1\","
             "\"kind\":\"other\"},\"geometry\":{\"type\":\"Point\","
             "\"coordinates\":[500100,3300100]}},"
             "{\"type\":\"Feature\",\"properties\":{\"point_id\":\"S2\","
             "\"kind\":\"other\"},\"geometry\":{\"type\":\"Point\","
             "\"coordinates\":[500500,3300500]}}");
    sg_store *s = NULL;
    assert_sg_status(
        ctx, sg_store_open(ctx, sg_test_path("site_misc.sqlite"), 0, &s),
        SG_OK);
    /* two villages: west (x < 500300) and east */
    import_text(
        s, "divisions",
        "{\"type\":\"FeatureCollection\",\"features\":["
        "{\"type\":\"Feature\",\"properties\":{\"division_code\":"
        "\"999001100201\",\"name\":\"West\",\"level\":\"admin_village\"},"
        "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[499900,"
        "3299900],[500300,3299900],[500300,3300700],[499900,3300700],"
        "[499900,3299900]]]}},"
        "{\"type\":\"Feature\",\"properties\":{\"division_code\":"
        "\"999001100202\",\"name\":\"East\",\"level\":\"admin_village\"},"
        "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[500300,"
        "3299900],[500700,3299900],[500700,3300700],[500300,3300700],"
        "[500300,3299900]]]}}]}");
    sg_store_close(s);
    const char *db = sg_test_path("site_misc.sqlite");

    /* along roads: the far household (H029) is off the network */
    sg_site_options *o = opts_for(1, 50, 2);
    sg_site_result *r = NULL;
    assert_sg_status(ctx, run_site("site_misc.sqlite", o, &r), SG_OK);
    int found = 0;
    for (size_t i = 0; i < r->nuncoverable; i++)
        if (strcmp(r->uncoverable[i].household_id, "H029") == 0) {
            found = 1;
            assert_string_equal(r->uncoverable[i].reason, "off_network");
            assert_int_equal(r->uncoverable[i].residents, 4);
        }
    assert_true(found);
    assert_string_equal(
        sg_test_sql_text(db, "SELECT reason FROM site_uncoverable WHERE "
                             "household_id = 'H029'"),
        "off_network");
    assert_true(r->before.unreachable >= 1);
    for (size_t i = 0; i < r->nproposals; i++) {
        assert_non_null(r->proposals[i].village);
        assert_true(strcmp(r->proposals[i].village, "West") == 0 ||
                    strcmp(r->proposals[i].village, "East") == 0);
    }
    check_result("site_misc.sqlite", r);
    sg_site_result_free(r);

    /* straight line, candidates at households: H029 covers itself; along
     * roads from road candidates it is "no_candidate"... by straight line
     * from roads too (2.1 km away) */
    sg_site_options_set_metric(ctx, o, SG_METRIC_EUCLID);
    assert_sg_status(ctx, run_site("site_misc.sqlite", o, &r), SG_OK);
    assert_string_equal(
        sg_test_sql_text(db, "SELECT reason FROM site_uncoverable WHERE "
                             "household_id = 'H029'"),
        "no_candidate");
    sg_site_result_free(r);

    /* a division: only its households and candidates */
    assert_sg_status(ctx, sg_site_options_set_division(ctx, o, "999001100202"),
                     SG_OK);
    assert_sg_status(ctx, run_site("site_misc.sqlite", o, &r), SG_OK);
    assert_string_equal(r->division_name, "East");
    long long east = 0;
    for (int h = 0; h < f.nh; h++)
        east += f.hx[h] >= X0 + 300 && f.hx[h] <= X0 + 700 &&
                f.hy[h] >= Y0 - 100 && f.hy[h] <= Y0 + 700;
    assert_int_equal(r->before.households, east);
    for (size_t i = 0; i < r->nproposals; i++) {
        assert_true(r->proposals[i].x >= X0 + 300);
        assert_string_equal(r->proposals[i].division_code, "999001100202");
    }
    sg_site_result_free(r);

    /* "worst": the village with the lower covered share */
    assert_sg_status(ctx, sg_site_options_set_division(ctx, o, "worst"), SG_OK);
    assert_sg_status(ctx, run_site("site_misc.sqlite", o, &r), SG_OK);
    {
        long long hh[2] = {0, 0}, cov[2] = {0, 0};
        for (int h = 0; h < f.nh; h++) {
            if (f.hy[h] < Y0 - 100 || f.hy[h] > Y0 + 700 ||
                f.hx[h] < X0 - 100 || f.hx[h] > X0 + 700)
                continue;
            int v = f.hx[h] >= X0 + 300;
            hh[v]++;
            cov[v] += hypot(f.hx[h] - f.px[0], f.hy[h] - f.py[0]) <= 120;
        }
        double s0 = (double)cov[0] / (double)hh[0];
        double s1 = (double)cov[1] / (double)hh[1];
        const char *want = s0 < s1                            ? "999001100201"
                           : s1 < s0                          ? "999001100202"
                           : hh[0] - cov[0] >= hh[1] - cov[1] ? "999001100201"
                                                              : "999001100202";
        assert_string_equal(r->division_code, want);
    }
    sg_site_result_free(r);
    assert_sg_status(ctx, sg_site_options_set_division(ctx, o, "123"), SG_OK);
    assert_sg_status(ctx, run_site("site_misc.sqlite", o, &r), SG_ERR_USAGE);
    assert_null(r);
    assert_sg_status(ctx, sg_site_options_set_division(ctx, o, NULL), SG_OK);

    /* a layer of allowed sites: the points (S1, S2 and P0) */
    assert_sg_status(ctx, sg_site_options_set_candidates(ctx, o, "points"),
                     SG_OK);
    sg_site_options_set_add(ctx, o, 1);
    assert_sg_status(ctx, run_site("site_misc.sqlite", o, &r), SG_OK);
    assert_int_equal(r->candidates_total, 3);
    assert_int_equal((long long)r->nproposals, 1);
    assert_true(strcmp(r->proposals[0].candidate_id, "S1") == 0 ||
                strcmp(r->proposals[0].candidate_id, "S2") == 0);
    sg_site_result_free(r);
    assert_sg_status(ctx, sg_site_options_set_candidates(ctx, o, "divisions"),
                     SG_OK);
    assert_sg_status(ctx, run_site("site_misc.sqlite", o, &r), SG_ERR_USAGE);
    assert_contains(sg_ctx_errmsg(ctx), "not points");
    assert_sg_status(ctx, sg_site_options_set_candidates(ctx, o, "nolayer"),
                     SG_OK);
    assert_sg_status(ctx, run_site("site_misc.sqlite", o, &r), SG_ERR_USAGE);
    sg_site_options_free(o);
}

/* Stop when asked to (the store keeps its earlier layers). */
static int cancel_late(double complete, const char *msg, void *user)
{
    (void)msg;
    (void)user;
    return complete < 0.9;
}

/* Errors: options, a kind without a radius, no roads along roads,
 * read-only stores, cancelling. */
static void test_errors(void **state)
{
    (void)state;
    sg_site_options *o = sg_site_options_new();
    sg_site_result *r = NULL;
    assert_sg_status(ctx, sg_site_options_set_kind(ctx, o, (sg_point_kind)5),
                     SG_ERR_USAGE);
    assert_sg_status(ctx, sg_site_options_set_candidates(ctx, o, ""),
                     SG_ERR_USAGE);
    assert_sg_status(ctx, sg_site_options_set_division(ctx, o, ""),
                     SG_ERR_USAGE);
    /* numbers out of range are refused, not clamped or ignored */
    assert_sg_status(ctx, sg_site_options_set_add(ctx, o, 0), SG_ERR_USAGE);
    assert_contains(sg_ctx_errmsg(ctx), "add");
    assert_sg_status(ctx, sg_site_options_set_spacing(ctx, o, 0), SG_ERR_USAGE);
    assert_contains(sg_ctx_errmsg(ctx), "spacing");
    assert_sg_status(ctx, sg_site_options_set_time_limit(ctx, o, -1),
                     SG_ERR_USAGE);
    assert_sg_status(ctx, sg_site_options_set_radius(ctx, o, -10),
                     SG_ERR_USAGE);
    assert_contains(sg_ctx_errmsg(ctx), "-10");
    assert_sg_status(ctx, sg_site_options_set_max_snap(ctx, o, NAN),
                     SG_ERR_USAGE);
    assert_sg_status(ctx, sg_site_options_set_metric(ctx, o, (sg_metric)7),
                     SG_ERR_USAGE);
    assert_sg_status(
        ctx, sg_site_options_set_capacity(ctx, o, 5, (sg_site_capacity_unit)9),
        SG_ERR_USAGE);
    static fx f;
    make_fx(&f, 31, 20);
    store_fx(&f, "site_err.sqlite", NULL);
    const char *db = sg_test_path("site_err.sqlite");
    assert_sg_status(ctx, sg_site_options_set_kind(ctx, o, SG_POINT_BIN),
                     SG_OK);
    assert_sg_status(ctx, run_site("site_err.sqlite", o, &r), SG_ERR_USAGE);
    assert_contains(sg_ctx_errmsg(ctx), "--radius");
    assert_sg_status(
        ctx, sg_site_options_set_kind(ctx, o, SG_POINT_COLLECTION_POINT),
        SG_OK);
    /* a first good run, then a cancelled one leaves it in place */
    assert_sg_status(ctx, run_site("site_err.sqlite", o, &r), SG_OK);
    assert_int_equal(r->mode, SG_SITE_ADD);
    assert_int_equal(r->kind, SG_POINT_COLLECTION_POINT);
    assert_int_equal(r->capacity_unit, 0); /* no capacity */
    size_t n = r->nproposals;
    sg_site_result_free(r);
    long long runs = (long long)sg_test_sql_number(
        db, "SELECT count(*) FROM runs WHERE command = 'site'");
    assert_int_equal(runs, 1);
    assert_contains(sg_test_sql_text(db, "SELECT params FROM runs WHERE "
                                         "command = 'site'"),
                    "\"metric\":\"network\"");
    sg_site_options_set_add(ctx, o, 3);
    sg_ctx_set_progress(ctx, cancel_late, NULL);
    assert_sg_status(ctx, run_site("site_err.sqlite", o, &r), SG_ERR_CANCELLED);
    sg_ctx_set_progress(ctx, NULL, NULL);
    assert_int_equal((long long)sg_test_sql_number(
                         db, "SELECT count(*) FROM site_proposals"),
                     (long long)n);
    assert_int_equal((long long)sg_test_sql_number(
                         db, "SELECT count(*) FROM runs WHERE command = "
                             "'site'"),
                     runs);
    /* read-only */
    sg_store *s = NULL;
    assert_sg_status(ctx, sg_store_open(ctx, db, SG_STORE_READONLY, &s), SG_OK);
    assert_sg_status(ctx, sg_site(ctx, s, o, &r), SG_ERR_DB_READONLY);
    sg_store_close(s);
    /* households only: along roads needs roads; the default falls back */
    s = sg_test_store_new(ctx, "site_noroads.sqlite", 4545);
    import_text(s, "households",
                "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":"
                "\"Feature\",\"properties\":{\"household_id\":\"A\","
                "\"resident_population\":3},\"geometry\":{\"type\":\"Point\","
                "\"coordinates\":[500000,3300000]}}]}");
    assert_sg_status(ctx, sg_site(ctx, s, o, &r), SG_ERR_INPUT); /* roads */
    assert_sg_status(ctx, sg_site_options_set_candidates(ctx, o, "households"),
                     SG_OK);
    assert_sg_status(ctx, sg_site(ctx, s, o, &r), SG_OK);
    assert_int_equal(r->metric, SG_METRIC_EUCLID);
    assert_int_equal((long long)r->nproposals, 1);
    assert_string_equal(r->proposals[0].candidate_id, "hh:A");
    sg_site_result_free(r);
    sg_site_options_set_metric(ctx, o, SG_METRIC_NETWORK);
    assert_sg_status(ctx, sg_site(ctx, s, o, &r), SG_ERR_INPUT);
    sg_store_close(s);
    s = sg_test_store_new(ctx, "site_nodata.sqlite", 0);
    assert_sg_status(ctx, sg_site(ctx, s, o, &r), SG_ERR_INPUT);
    sg_store_close(s);
    assert_sg_status(ctx, sg_site(ctx, NULL, NULL, &r), SG_ERR_USAGE);
    sg_site_options_free(o);
}

/* Run the tests; the exit status is the number that failed. */
int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_enum_names),
        cmocka_unit_test(test_add_brute_force),
        cmocka_unit_test(test_cover_all_brute_force),
        cmocka_unit_test(test_greedy_bound),
        cmocka_unit_test(test_capacity),
        cmocka_unit_test(test_uncoverable_divisions_layer),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
