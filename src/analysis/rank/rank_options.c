/* Options of sanigrid rank: level, period, grouping, list sizes, and
 * the parsers of --weights ("coverage=0.2,inspection=0.5") and --tiers
 * ("1-10:一等:2000:500,last1-5:末位:-1000"). A malformed value is a
 * usage error and leaves the options as they were.
 * Not for: the ranking (rank.c).
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/rank/rank_int.h"

static const char *const indicator_names[SG_RANK_NIND] = {
    "coverage", "staffing", "grid", "toilets", "inspection", "trend"};

const char *sg_rank_indicator_name(int i)
{
    return i >= 0 && i < SG_RANK_NIND ? indicator_names[i] : NULL;
}

/* Indexed by sg_rank_level, sg_rank_within and sg_rank_tier. */
static const char *const level_names[] = {"admin_village", "natural_village",
                                          "grid"};
static const char *const within_names[] = {"all", "county", "township",
                                           "admin_village"};
static const char *const tier_names[] = {"none", "red", "black"};

#define NNAMES(a) ((int)(sizeof a / sizeof a[0]))

/* The index of \p name in \p names (n of them), or -1. */
static int name_index(const char *const *names, int n, const char *name)
{
    for (int i = 0; name && i < n; i++)
        if (strcmp(name, names[i]) == 0)
            return i;
    return -1;
}

sg_status sg_rank_level_from_string(sg_ctx *ctx, const char *name,
                                    sg_rank_level *out)
{
    int i = name_index(level_names, NNAMES(level_names), name);
    if (i < 0)
        return sg__error(ctx, SG_ERR_USAGE,
                         "unknown level '%s' (admin_village, "
                         "natural_village, grid)",
                         name ? name : "");
    *out = (sg_rank_level)i;
    return SG_OK;
}

const char *sg_rank_level_to_string(sg_rank_level level)
{
    return (int)level >= 0 && (int)level < NNAMES(level_names)
               ? level_names[level]
               : NULL;
}

sg_status sg_rank_within_from_string(sg_ctx *ctx, const char *name,
                                     sg_rank_within *out)
{
    int i = name_index(within_names, NNAMES(within_names), name);
    if (i < 0)
        return sg__error(ctx, SG_ERR_USAGE,
                         "unknown --within '%s' (county, township, "
                         "admin_village, all)",
                         name ? name : "");
    *out = (sg_rank_within)i;
    return SG_OK;
}

const char *sg_rank_within_to_string(sg_rank_within within)
{
    return (int)within >= 0 && (int)within < NNAMES(within_names)
               ? within_names[within]
               : NULL;
}

sg_status sg_rank_tier_from_string(sg_ctx *ctx, const char *name,
                                   sg_rank_tier *out)
{
    int i = name_index(tier_names, NNAMES(tier_names), name);
    if (i < 0)
        return sg__error(ctx, SG_ERR_USAGE,
                         "unknown rank tier '%s' (none, red, black)",
                         name ? name : "");
    *out = (sg_rank_tier)i;
    return SG_OK;
}

const char *sg_rank_tier_to_string(sg_rank_tier tier)
{
    return (int)tier >= 0 && (int)tier < NNAMES(tier_names) ? tier_names[tier]
                                                            : NULL;
}

int sg__rank_level_depth(sg_rank_level level)
{
    return level == SG_RANK_LEVEL_ADMIN_VILLAGE ? 3 : 4;
}

void sg__rank_defaults(sg_rank_options *o)
{
    memset(o, 0, sizeof *o);
    o->level = SG_RANK_LEVEL_ADMIN_VILLAGE;
    o->within = SG_RANK_WITHIN_TOWNSHIP;
    o->red = o->black = -1;
    o->list_share = NAN;
    for (int i = 0; i < SG_RANK_NIND; i++)
        o->weight[i] = NAN;
}

sg_rank_options *sg_rank_options_new(void)
{
    sg_rank_options *o = malloc(sizeof *o);
    if (o)
        sg__rank_defaults(o);
    return o;
}

void sg__rank_bands_free(sg_rank_band *bands, size_t n)
{
    for (size_t i = 0; bands && i < n; i++)
        free(bands[i].label);
    free(bands);
}

sg_status sg__rank_bands_copy(sg_ctx *ctx, const sg_rank_band *bands, size_t n,
                              sg_rank_band **out)
{
    *out = NULL;
    if (!n)
        return SG_OK;
    sg_rank_band *b = calloc(n, sizeof *b);
    if (!b)
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) {
        b[i] = bands[i];
        if (!(b[i].label = sg__strdup(ctx, bands[i].label))) {
            sg__rank_bands_free(b, i);
            return SG_ERR_NOMEM;
        }
    }
    *out = b;
    return SG_OK;
}

void sg_rank_options_free(sg_rank_options *opts)
{
    if (!opts)
        return;
    sg__rank_bands_free(opts->bands, opts->nbands);
    free(opts);
}

sg_status sg_rank_options_set_level(sg_ctx *ctx, sg_rank_options *opts,
                                    sg_rank_level level)
{
    if (!sg_rank_level_to_string(level))
        return sg__error(ctx, SG_ERR_USAGE,
                         "rank: unknown level %d (admin_village, "
                         "natural_village or grid)",
                         (int)level);
    opts->level = level;
    return SG_OK;
}

sg_status sg_rank_options_set_period(sg_ctx *ctx, sg_rank_options *opts,
                                     const char *period)
{
    sg_period p;
    if (!period) {
        memset(&opts->period, 0, sizeof opts->period);
        return SG_OK;
    }
    if (!sg_period_parse(period, &p))
        return sg__error(ctx, SG_ERR_USAGE,
                         "bad period '%s' (an ISO week 2026-W48, a month "
                         "2026-11 or a quarter 2026-Q4)",
                         period);
    opts->period = p;
    return SG_OK;
}

sg_status sg_rank_options_set_within(sg_ctx *ctx, sg_rank_options *opts,
                                     sg_rank_within within)
{
    if (!sg_rank_within_to_string(within))
        return sg__error(ctx, SG_ERR_USAGE,
                         "rank: unknown grouping %d (county, township, "
                         "admin_village or all)",
                         (int)within);
    opts->within = within;
    return SG_OK;
}

sg_status sg_rank_options_set_red(sg_ctx *ctx, sg_rank_options *opts, int n)
{
    if (n < -1)
        return sg__error(ctx, SG_ERR_USAGE,
                         "red list size must be >= 0 (-1 = the setting "
                         "scoring.red_list_size), not %d",
                         n);
    opts->red = n;
    return SG_OK;
}

sg_status sg_rank_options_set_black(sg_ctx *ctx, sg_rank_options *opts, int m)
{
    if (m < -1)
        return sg__error(ctx, SG_ERR_USAGE,
                         "black list size must be >= 0 (-1 = the setting "
                         "scoring.black_list_size), not %d",
                         m);
    opts->black = m;
    return SG_OK;
}

sg_status sg_rank_options_set_list_share(sg_ctx *ctx, sg_rank_options *opts,
                                         double share)
{
    if (isnan(share)) {
        opts->list_share = NAN;
        return SG_OK;
    }
    if (!(share >= 0 && share <= 1))
        return sg__error(ctx, SG_ERR_USAGE,
                         "list share must be from 0 to 1 (NAN = the setting "
                         "rank.list_share), not %g",
                         share);
    opts->list_share = share;
    return SG_OK;
}

/* Copy the \p len bytes at \p s into \p buf (size \p size) without the
 * blanks around them. \return 0 if it does not fit. */
static int copy_trimmed(char *buf, size_t size, const char *s, size_t len)
{
    while (len && (*s == ' ' || *s == '\t')) {
        s++;
        len--;
    }
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    if (len >= size)
        return 0;
    memcpy(buf, s, len);
    buf[len] = '\0';
    return 1;
}

sg_status sg_rank_options_set_weights(sg_ctx *ctx, sg_rank_options *opts,
                                      const char *spec)
{
    double w[SG_RANK_NIND];
    int seen[SG_RANK_NIND] = {0};
    int any = 0;
    memcpy(w, opts->weight, sizeof w);
    const char *p = spec ? spec : "";
    while (*p) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        const char *eq = memchr(p, '=', len);
        char key[32], val[64];
        if (!eq || !copy_trimmed(key, sizeof key, p, (size_t)(eq - p)) ||
            !copy_trimmed(val, sizeof val, eq + 1, len - (size_t)(eq - p) - 1))
            return sg__error(ctx, SG_ERR_USAGE,
                             "--weights takes name=value,... (e.g. "
                             "inspection=0.5,coverage=0.2); got '%.*s'",
                             (int)len, p);
        int k = -1;
        for (int i = 0; i < SG_RANK_NIND; i++)
            if (strcmp(key, indicator_names[i]) == 0)
                k = i;
        double v;
        if (k < 0)
            return sg__error(ctx, SG_ERR_USAGE,
                             "--weights: unknown indicator '%s' (coverage, "
                             "staffing, grid, toilets, inspection, trend)",
                             key);
        if (seen[k])
            return sg__error(ctx, SG_ERR_USAGE, "--weights: %s is given twice",
                             key);
        if (!sg__parse_double(val, &v) || v < 0)
            return sg__error(ctx, SG_ERR_USAGE,
                             "--weights: %s=%s is not a number >= 0", key, val);
        seen[k] = 1;
        w[k] = v;
        any = 1;
        p = comma ? comma + 1 : p + len;
        if (comma && !*p)
            return sg__error(ctx, SG_ERR_USAGE,
                             "--weights: nothing after the last comma");
    }
    if (!any)
        return sg__error(ctx, SG_ERR_USAGE,
                         "--weights takes name=value,... (e.g. "
                         "inspection=0.5,coverage=0.2)");
    memcpy(opts->weight, w, sizeof w);
    return SG_OK;
}

/* Parse an amount: empty = none (NAN), else a number. \return 1 if ok. */
static int parse_amount(const char *s, double *out)
{
    if (!*s) {
        *out = NAN;
        return 1;
    }
    return sg__parse_double(s, out);
}

/* Parse a whole positive rank. \return it, or 0 if \p s is not one. */
static long long parse_rank(const char *s, size_t len)
{
    long long v = 0;
    if (!len || len > 9)
        return 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

/* Parse one band "RANGE[:LABEL[:VILLAGE[:CADRE]]]" of \p len bytes at
 * \p s into \p b (label owned). \return SG_OK or SG_ERR_USAGE/NOMEM. */
static sg_status parse_band(sg_ctx *ctx, const char *s, size_t len,
                            sg_rank_band *b)
{
    char part[4][128] = {{0}};
    int np = 0;
    const char *p = s, *end = s + len;
    while (np < 4) {
        const char *colon = memchr(p, ':', (size_t)(end - p));
        const char *stop = colon ? colon : end;
        if (!copy_trimmed(part[np], sizeof part[np], p, (size_t)(stop - p)))
            return sg__error(ctx, SG_ERR_USAGE,
                             "--tiers: band '%.*s' is too "
                             "long",
                             (int)len, s);
        np++;
        if (!colon)
            break;
        p = colon + 1;
        if (np == 4)
            return sg__error(ctx, SG_ERR_USAGE,
                             "--tiers: band '%.*s' has more than 4 parts "
                             "(RANGE:LABEL:VILLAGE:CADRE)",
                             (int)len, s);
    }
    memset(b, 0, sizeof *b);
    const char *r = part[0];
    if (strncmp(r, "last", 4) == 0) {
        b->from_end = 1;
        r += 4;
    }
    const char *dash = strchr(r, '-');
    b->from_rank = parse_rank(r, dash ? (size_t)(dash - r) : strlen(r));
    b->to_rank = dash ? parse_rank(dash + 1, strlen(dash + 1)) : b->from_rank;
    if (!b->from_rank || !b->to_rank || b->to_rank < b->from_rank)
        return sg__error(ctx, SG_ERR_USAGE,
                         "--tiers: bad rank range '%s' (A-B, A, lastA-B or "
                         "lastA, ranks from 1)",
                         part[0]);
    if (!parse_amount(np > 2 ? part[2] : "", &b->amount_village) ||
        !parse_amount(np > 3 ? part[3] : "", &b->amount_cadre))
        return sg__error(ctx, SG_ERR_USAGE,
                         "--tiers: band '%.*s': amounts must be numbers "
                         "(yuan; negative = fine)",
                         (int)len, s);
    b->label = sg__strdup(ctx, np > 1 && part[1][0] ? part[1] : part[0]);
    return b->label ? SG_OK : SG_ERR_NOMEM;
}

sg_status sg_rank_options_set_tiers(sg_ctx *ctx, sg_rank_options *opts,
                                    const char *spec)
{
    sg_rank_band *bands = NULL;
    size_t n = 0;
    const char *p = spec ? spec : "";
    while (*p == ' ')
        p++;
    if (!*p)
        return sg__error(ctx, SG_ERR_USAGE,
                         "--tiers takes bands such as 1-10:一等:2000:500,"
                         "last1-5:末位:-1000, or none");
    if (strcmp(p, "none") != 0) {
        while (*p) {
            const char *comma = strchr(p, ',');
            size_t len = comma ? (size_t)(comma - p) : strlen(p);
            sg_rank_band *nb = realloc(bands, (n + 1) * sizeof *nb);
            if (!nb) {
                sg__rank_bands_free(bands, n);
                return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
            }
            bands = nb;
            sg_status st = parse_band(ctx, p, len, &bands[n]);
            if (st) {
                sg__rank_bands_free(bands, n);
                return st;
            }
            n++;
            p = comma ? comma + 1 : p + len;
            if (comma && !*p) {
                sg__rank_bands_free(bands, n);
                return sg__error(ctx, SG_ERR_USAGE,
                                 "--tiers: nothing after the last comma");
            }
        }
    }
    sg__rank_bands_free(opts->bands, opts->nbands);
    opts->bands = bands;
    opts->nbands = n;
    opts->have_bands = 1;
    return SG_OK;
}

sg_status sg_rank_options_set_save_tiers(sg_ctx *ctx, sg_rank_options *opts,
                                         int on)
{
    if (on != 0 && on != 1)
        return sg__error(ctx, SG_ERR_USAGE, "save-tiers must be 0 or 1, not %d",
                         on);
    opts->save_bands = on;
    return SG_OK;
}
