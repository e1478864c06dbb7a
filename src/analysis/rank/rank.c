/* sanigrid rank: villages or grids ranked on measured indicators and
 * inspection scores (DOMAIN.md §1.8 R1-R8, §2 scoring.*), in a way a
 * township office can explain line by line:
 *  - indicators (formulas in sanigrid/rank.h) are computed per unit;
 *    rank_units.c reads the hierarchy and the inspections,
 *    rank_measure.c the measured ones;
 *  - each indicator is scaled to 0..100; the composite score is the
 *    weighted mean over the indicators the unit has (weights renormalised,
 *    the missing ones listed, never counted as 0), rounded to 0.01;
 *  - ranks: 1 + the number of units with a higher score, overall and
 *    within the group (the unit's township by default), so equal scores
 *    share a rank; rank_from_end likewise from the bottom;
 *  - list sizes per group from its number of ranked units n
 *    (sg_rank_list_sizes(): a share, at least a minimum, at most the
 *    configured size, the bottom never red, the top never black);
 *    red list: rank_within <= R and not tied with the bottom; black
 *    list: rank_from_end <= B, not red and not tied with the top (ties
 *    at a cut are not split, so a list can exceed its size by a tie);
 *  - bands (rank_tiers or --tiers): the first band whose range holds the
 *    unit's rank_within (or rank_from_end for "last" bands) gives its
 *    label and amounts;
 *  - the previous period is ranked the same way with its inspections
 *    (measured indicators as they are now: the store keeps no history)
 *    for previous_rank and rank_change, when it had inspections.
 * Writes layer `rankings` and records the run.
 * Not for: SQL (src/store/rank_sql.c), printing (src/cli/cmd_rank.c).
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analysis/rank/rank_int.h"
#include "store/rank_sql_int.h"

/* ---- parameters ---------------------------------------------------------- */

/* Read a numeric setting into *out. */
static sg_status setting(sg__ranker *k, const char *key, double *out)
{
    return sg_setting_get_double(k->ctx, k->store, key, out);
}

/* Tier callback: append a band of rank_tiers to r->bands. */
static sg_status band_cb(long long from_rank, long long to_rank, int from_end,
                         const char *label, double amount_village,
                         double amount_cadre, void *user)
{
    sg__ranker *k = user;
    sg_rank_result *r = k->r;
    sg_rank_band *b = realloc(r->bands, (r->nbands + 1) * sizeof *b);
    if (!b)
        return sg__error(k->ctx, SG_ERR_NOMEM, "out of memory");
    r->bands = b;
    b += r->nbands;
    b->from_rank = from_rank;
    b->to_rank = to_rank;
    b->from_end = from_end;
    b->amount_village = amount_village;
    b->amount_cadre = amount_cadre;
    if (!(b->label = sg__strdup(k->ctx, label)))
        return SG_ERR_NOMEM;
    r->nbands++;
    return SG_OK;
}

/* Weights, list sizes, scale and bands from the options and settings. */
static sg_status parameters(sg__ranker *k)
{
    const sg_rank_options *o = k->o;
    sg_rank_result *r = k->r;
    sg_status st = SG_OK;
    double total = 0, v = 0;
    for (int i = 0; st == SG_OK && i < SG_RANK_NIND; i++) {
        char key[64];
        snprintf(key, sizeof key, "rank.weight.%s", sg_rank_indicator_name(i));
        if (!isnan(o->weight[i]))
            r->weights[i] = o->weight[i];
        else
            st = setting(k, key, &r->weights[i]);
        if (st == SG_OK && !(r->weights[i] >= 0))
            st = sg__error(k->ctx, SG_ERR_USAGE, "weight %s must be >= 0", key);
        total += r->weights[i];
    }
    if (st == SG_OK && !(total > 0))
        st = sg__error(k->ctx, SG_ERR_USAGE,
                       "every weight is 0: nothing to rank on");
    if (st == SG_OK && o->red < 0 &&
        (st = setting(k, "scoring.red_list_size", &v)) == SG_OK)
        r->red = (long long)v;
    else if (st == SG_OK)
        r->red = o->red;
    if (st == SG_OK && o->black < 0 &&
        (st = setting(k, "scoring.black_list_size", &v)) == SG_OK)
        r->black = (long long)v;
    else if (st == SG_OK)
        r->black = o->black;
    if (st == SG_OK && isnan(o->list_share))
        st = setting(k, "rank.list_share", &r->list_share);
    else if (st == SG_OK)
        r->list_share = o->list_share;
    if (st == SG_OK && (st = setting(k, "rank.list_min", &v)) == SG_OK)
        r->list_min = (long long)v;
    if (st == SG_OK && !(r->list_share >= 0 && r->list_share <= 1))
        st = sg__error(k->ctx, SG_ERR_USAGE,
                       "rank.list_share must be between 0 and 1");
    if (st == SG_OK)
        st = setting(k, "scoring.scale", &r->scale);
    if (st == SG_OK)
        st = setting(k, "scoring.deduction_per_finding",
                     &r->deduction_per_finding);
    if (st == SG_OK && !(r->scale > 0))
        st = sg__error(k->ctx, SG_ERR_USAGE, "scoring.scale must be > 0");
    if (st == SG_OK && o->have_bands)
        st = sg__rank_bands_copy(k->ctx, o->bands, o->nbands, &r->bands);
    if (st == SG_OK && o->have_bands)
        r->nbands = o->nbands;
    else if (st == SG_OK)
        st = sg__store_rank_tiers(k->ctx, k->store, band_cb, k);
    return st;
}

/* The period (--period, else the scoring.cadence period containing the
 * latest inspection) and the two before it. */
static sg_status periods(sg__ranker *k)
{
    sg_rank_result *r = k->r;
    sg_status st =
        sg__store_latest_inspection(k->ctx, k->store, r->latest_inspection);
    if (st)
        return st;
    if (k->o->period.kind) {
        r->period = k->o->period;
    } else if (r->latest_inspection[0]) {
        char *cadence = NULL;
        st = sg_setting_get(k->ctx, k->store, "scoring.cadence", &cadence);
        int kind = sg_period_kind_from_cadence(cadence);
        sg_free(cadence);
        if (st)
            return st;
        if (!kind)
            kind = SG_PERIOD_QUARTER;
        if (!sg_period_of_date(kind, r->latest_inspection, &r->period))
            return sg__error(k->ctx, SG_ERR_INPUT,
                             "inspection date '%s' is not a date",
                             r->latest_inspection);
        r->period_from_data = 1;
    }
    sg_period_previous(&r->period, &r->previous);
    k->per[SG_RK_CUR] = r->period;
    k->per[SG_RK_PREV] = r->previous;
    sg_period_previous(&r->previous, &k->per[SG_RK_PREV2]);
    return SG_OK;
}

/* ---- scores and ranks ---------------------------------------------------- */

/* \p x clamped to 0..100. */
static double clamp100(double x)
{
    return x < 0 ? 0 : x > 100 ? 100 : x;
}

/* Mean inspection score of unit \p u in period \p p, NAN without one. */
static double mean_score(const sg__ranker *k, size_t u, int p)
{
    size_t i = u * SG_RK_NPER + (size_t)p;
    return k->icnt[i] > 0 ? k->isum[i] / k->icnt[i] : NAN;
}

/* The composite score of unit \p u for period \p p (SG_RK_CUR or
 * SG_RK_PREV), NAN when no weighted indicator is present. When \p cur is
 * set (the current period), also fills its inspection and trend values,
 * scaled values (missing_list() then lists what is missing). */
static double composite(const sg__ranker *k, size_t u, int p, sg_rank_unit *cur)
{
    const sg_rank_result *r = k->r;
    const sg_rank_unit *un = &r->units[u];
    double s[SG_RANK_NIND];
    double m = mean_score(k, u, p), mp = mean_score(k, u, p + 1);
    double trend = m - mp; /* NAN if either is */
    for (int i = 0; i < SG_RANK_INSPECTION; i++)
        s[i] = isnan(un->value[i]) ? NAN : clamp100(un->value[i]);
    s[SG_RANK_INSPECTION] = isnan(m) ? NAN : clamp100(100.0 * m / r->scale);
    s[SG_RANK_TREND] =
        isnan(trend) ? NAN : clamp100(50.0 + 50.0 * trend / r->scale);
    double sw = 0, sum = 0;
    for (int i = 0; i < SG_RANK_NIND; i++)
        if (r->weights[i] > 0 && !isnan(s[i])) {
            sw += r->weights[i];
            sum += r->weights[i] * s[i];
        }
    if (cur) {
        size_t ci = u * SG_RK_NPER;
        cur->value[SG_RANK_INSPECTION] = m;
        cur->num[SG_RANK_INSPECTION] = k->isum[ci];
        cur->den[SG_RANK_INSPECTION] = k->icnt[ci];
        cur->inspections = (long long)k->icnt[ci];
        cur->value[SG_RANK_TREND] = trend;
        cur->num[SG_RANK_TREND] = cur->den[SG_RANK_TREND] = NAN;
        cur->previous_inspection = mp;
        for (int i = 0; i < SG_RANK_NIND; i++)
            cur->scaled[i] = s[i];
    }
    return sw > 0 ? round(100.0 * sum / sw) / 100.0 : NAN;
}

/* A unit's place in a sort for ranking. */
typedef struct rank_key {
    double score;
    size_t group;
    size_t u;
} rank_key;

/* Set \p un->missing to the weighted indicators \p un lacks (its
 * scaled values, filled by composite()), comma-separated; NULL if none. */
static sg_status missing_list(const sg__ranker *k, sg_rank_unit *un)
{
    size_t len = 0;
    for (int i = 0; i < SG_RANK_NIND; i++)
        if (k->r->weights[i] > 0 && isnan(un->scaled[i]))
            len += strlen(sg_rank_indicator_name(i)) + 1;
    if (!len)
        return SG_OK;
    if (!(un->missing = malloc(len)))
        return sg__error(k->ctx, SG_ERR_NOMEM, "out of memory");
    size_t at = 0;
    for (int i = 0; i < SG_RANK_NIND; i++)
        if (k->r->weights[i] > 0 && isnan(un->scaled[i])) {
            const char *name = sg_rank_indicator_name(i);
            size_t n = strlen(name);
            if (at)
                un->missing[at++] = ',';
            memcpy(un->missing + at, name, n);
            at += n;
        }
    un->missing[at] = '\0';
    return SG_OK;
}

/* Best score first; by group first when \p by_group (set in key order:
 * group 0 for the overall ranking). */
static int cmp_rank_key(const void *a, const void *b)
{
    const rank_key *x = a, *y = b;
    if (x->group != y->group)
        return x->group < y->group ? -1 : 1;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    return (x->u > y->u) - (x->u < y->u);
}

/* Rank the scores \p score (NAN = unranked; \p n units): \p within and
 * \p from_end per group (k->ugroup), \p overall if not NULL (0 for
 * unranked). Equal scores share a rank. */
static sg_status rank_scores(const sg__ranker *k, const double *score, size_t n,
                             long long *overall, long long *within,
                             long long *from_end)
{
    rank_key *key = malloc((n + 1) * sizeof *key);
    if (!key)
        return sg__error(k->ctx, SG_ERR_NOMEM, "out of memory");
    for (int pass = overall ? 0 : 1; pass < 2; pass++) {
        size_t m = 0;
        for (size_t u = 0; u < n; u++) {
            if (pass == 0)
                overall[u] = 0;
            else
                within[u] = from_end[u] = 0;
            if (!isnan(score[u]))
                key[m++] = (rank_key){score[u], pass ? k->ugroup[u] : 0, u};
        }
        qsort(key, m, sizeof *key, cmp_rank_key);
        for (size_t a = 0; a < m;) {
            size_t b = a; /* [a, b) = one group */
            while (b < m && key[b].group == key[a].group)
                b++;
            for (size_t i = a; i < b;) {
                size_t j = i; /* [i, j) = one score */
                while (j < b && key[j].score == key[i].score)
                    j++;
                for (size_t t = i; t < j; t++) {
                    if (pass == 0) {
                        overall[key[t].u] = (long long)(i - a + 1);
                    } else {
                        within[key[t].u] = (long long)(i - a + 1);
                        from_end[key[t].u] = (long long)(b - j + 1);
                    }
                }
                i = j;
            }
            a = b;
        }
    }
    free(key);
    return SG_OK;
}

/* Add \p v (NAN: nothing) to *reward when positive, *fine when
 * negative. */
static void add_amount(double v, double *reward, double *fine)
{
    if (v > 0)
        *reward += v;
    else if (v < 0)
        *fine += v;
}

void sg_rank_list_sizes(long long n, double share, long long min,
                        long long red_max, long long black_max, long long *red,
                        long long *black)
{
    /* a tiny epsilon so that 0.2 x 5 is 1 however the product rounds */
    double f = share > 0 && n > 0 ? floor(share * (double)n + 1e-9) : 0;
    long long want = f > (double)n ? n : (long long)f;
    long long r, b;
    if (want < min)
        want = min;
    r = want < red_max ? want : red_max;
    if (r > n - 1)
        r = n - 1;
    if (r < 0)
        r = 0;
    b = want < black_max ? want : black_max;
    if (b > n - r)
        b = n - r;
    if (b > n - 1)
        b = n - 1;
    if (b < 0)
        b = 0;
    *red = r;
    *black = b;
}

/* Lists and bands of the current ranking, and the group and overall
 * totals. */
static void lists_and_bands(sg__ranker *k)
{
    sg_rank_result *r = k->r;
    for (size_t u = 0; u < r->nunits; u++)
        if (r->units[u].rank_within) {
            r->ranked++;
            r->groups[k->ugroup[u]].ranked++;
        }
    for (size_t g = 0; g < r->ngroups; g++)
        sg_rank_list_sizes(r->groups[g].ranked, r->list_share, r->list_min,
                           r->red, r->black, &r->groups[g].red_size,
                           &r->groups[g].black_size);
    for (size_t u = 0; u < r->nunits; u++) {
        sg_rank_unit *un = &r->units[u];
        sg_rank_group *g = &r->groups[k->ugroup[u]];
        un->amount_village = un->amount_cadre = NAN;
        if (!un->rank_within)
            continue;
        /* rank_from_end 1: tied with the bottom; rank_within 1: with
         * the top */
        if (un->rank_within <= g->red_size && un->rank_from_end > 1) {
            un->tier = SG_RANK_TIER_RED;
            g->red++;
        } else if (un->rank_from_end <= g->black_size && un->rank_within > 1) {
            un->tier = SG_RANK_TIER_BLACK;
            g->black++;
        }
        for (size_t b = 0; b < r->nbands && un->band < 0; b++) {
            const sg_rank_band *bd = &r->bands[b];
            long long pos = bd->from_end ? un->rank_from_end : un->rank_within;
            if (pos >= bd->from_rank && pos <= bd->to_rank) {
                un->band = (long long)b;
                un->amount_village = bd->amount_village;
                un->amount_cadre = bd->amount_cadre;
            }
        }
        add_amount(un->amount_village, &g->reward_village, &g->fine_village);
        add_amount(un->amount_cadre, &g->reward_cadre, &g->fine_cadre);
        add_amount(un->amount_village, &r->reward_village, &r->fine_village);
        add_amount(un->amount_cadre, &r->reward_cadre, &r->fine_cadre);
    }
}

/* Scores, ranks, lists and bands of the period; previous_rank and
 * rank_change from the previous period when it had inspections. */
static sg_status score_and_rank(sg__ranker *k)
{
    sg_rank_result *r = k->r;
    size_t n = r->nunits;
    double *score = calloc(n + 1, sizeof *score);
    long long *all = malloc((n + 1) * sizeof *all);
    long long *in = malloc((n + 1) * sizeof *in);
    long long *end = malloc((n + 1) * sizeof *end);
    sg_status st = SG_OK;
    if (!score || !all || !in || !end) {
        free(score);
        free(all);
        free(in);
        free(end);
        return sg__error(k->ctx, SG_ERR_NOMEM, "out of memory");
    }
    for (size_t u = 0; st == SG_OK && u < n; u++) {
        score[u] = r->units[u].score = composite(k, u, SG_RK_CUR, &r->units[u]);
        st = missing_list(k, &r->units[u]);
    }
    if (st == SG_OK)
        st = rank_scores(k, score, n, all, in, end);
    for (size_t u = 0; st == SG_OK && u < n; u++) {
        r->units[u].rank = all[u];
        r->units[u].rank_within = in[u];
        r->units[u].rank_from_end = end[u];
    }
    double prev_inspections = 0;
    for (size_t u = 0; u < n && k->icnt; u++)
        prev_inspections += k->icnt[u * SG_RK_NPER + SG_RK_PREV];
    r->previous_ranked = r->previous.kind && prev_inspections > 0;
    if (st == SG_OK && r->previous_ranked) {
        for (size_t u = 0; u < n; u++)
            score[u] = composite(k, u, SG_RK_PREV, NULL);
        st = rank_scores(k, score, n, NULL, in, end);
        for (size_t u = 0; st == SG_OK && u < n; u++) {
            sg_rank_unit *un = &r->units[u];
            un->previous_rank = in[u];
            un->has_rank_change = un->previous_rank && un->rank_within;
            if (un->has_rank_change)
                un->rank_change = un->previous_rank - un->rank_within;
        }
    }
    if (st == SG_OK)
        lists_and_bands(k);
    free(score);
    free(all);
    free(in);
    free(end);
    return st;
}

/* ---- output order, the layer, the run ------------------------------------ */

/* A unit's place in the output order. */
typedef struct out_key {
    size_t group;
    long long rank; /* rank_within, or a large number when unranked */
    const char *code;
    size_t u;
} out_key;

/* By group, then rank_within (unranked last), then code. */
static int cmp_out_key(const void *a, const void *b)
{
    const out_key *x = a, *y = b;
    if (x->group != y->group)
        return x->group < y->group ? -1 : 1;
    if (x->rank != y->rank)
        return x->rank < y->rank ? -1 : 1;
    int c = strcmp(x->code, y->code);
    return c ? c : (x->u > y->u) - (x->u < y->u);
}

/* The output order of the units into \p order (n entries, caller's). */
static sg_status output_order(const sg__ranker *k, size_t *order)
{
    const sg_rank_result *r = k->r;
    out_key *key = malloc((r->nunits + 1) * sizeof *key);
    if (!key)
        return sg__error(k->ctx, SG_ERR_NOMEM, "out of memory");
    for (size_t u = 0; u < r->nunits; u++)
        key[u] = (out_key){k->ugroup[u],
                           r->units[u].rank_within ? r->units[u].rank_within
                                                   : 0x7fffffffffffLL,
                           r->units[u].code, u};
    qsort(key, r->nunits, sizeof *key, cmp_out_key);
    for (size_t i = 0; i < r->nunits; i++)
        order[i] = key[i].u;
    free(key);
    return SG_OK;
}

static const sg__column layer_cols[] = {
    {"unit_code", "TEXT"},      {"name", "TEXT"},
    {"level", "TEXT"},          {"within_code", "TEXT"},
    {"within_name", "TEXT"},    {"period", "TEXT"},
    {"coverage", "REAL"},       {"staffing", "REAL"},
    {"grid", "REAL"},           {"toilets", "REAL"},
    {"inspection", "REAL"},     {"inspections", "INTEGER"},
    {"trend", "REAL"},          {"missing", "TEXT"},
    {"score", "REAL"},          {"rank", "INTEGER"},
    {"rank_within", "INTEGER"}, {"previous_rank", "INTEGER"},
    {"rank_change", "INTEGER"}, {"tier", "TEXT"},
    {"band", "TEXT"},           {"amount_village", "REAL"},
    {"amount_cadre", "REAL"},
};
#define NLAYER_COLS (sizeof layer_cols / sizeof layer_cols[0])

/* Bind text, NULL for NULL or "". */
static void bind_text(sg__insert *st, int i, const char *s)
{
    if (s && *s)
        sg__insert_text(st, i, s);
    else
        sg__insert_null(st, i);
}

/* Bind \p v rounded to 0.01, NULL for NAN. */
static void bind_round(sg__insert *st, int i, double v)
{
    if (isnan(v))
        sg__insert_null(st, i);
    else
        sg__insert_double(st, i, round(v * 100.0) / 100.0);
}

/* Bind a rank, NULL for 0 (none). */
static void bind_rank(sg__insert *st, int i, long long v, int set)
{
    if (set)
        sg__insert_int64(st, i, v);
    else
        sg__insert_null(st, i);
}

/* Write layer rankings, one row per unit in \p order. */
static sg_status write_layer(sg__ranker *k, const size_t *order)
{
    sg_rank_result *r = k->r;
    sg__insert *st = NULL;
    sg_status s = sg__store_create_result(k->ctx, k->store, "rankings",
                                          "MULTIPOLYGON", layer_cols,
                                          NLAYER_COLS, "考核排名", "Rankings");
    if (s == SG_OK)
        s = sg__store_prepare_result_insert(k->ctx, k->store, "rankings",
                                            layer_cols, NLAYER_COLS, 1, &st);
    for (size_t i = 0; s == SG_OK && i < r->nunits; i++) {
        size_t u = order[i];
        const sg_rank_unit *un = &r->units[u];
        const sg__rknode *nd = &k->nodes[k->unode[u]];
        int c = 1;
        sg__insert_clear(st);
        bind_text(st, c++, un->code);
        bind_text(st, c++, un->name);
        bind_text(st, c++, sg_rank_level_to_string(r->level));
        bind_text(st, c++, un->within_code);
        bind_text(st, c++, un->within_name);
        bind_text(st, c++, r->period.label);
        for (int j = 0; j < SG_RANK_INSPECTION; j++)
            bind_round(st, c++, un->value[j]);
        bind_round(st, c++, un->value[SG_RANK_INSPECTION]);
        sg__insert_int64(st, c++, un->inspections);
        bind_round(st, c++, un->value[SG_RANK_TREND]);
        bind_text(st, c++, un->missing);
        bind_round(st, c++, un->score);
        bind_rank(st, c++, un->rank, un->rank != 0);
        bind_rank(st, c++, un->rank_within, un->rank_within != 0);
        bind_rank(st, c++, un->previous_rank, un->previous_rank != 0);
        bind_rank(st, c++, un->rank_change, un->has_rank_change);
        bind_text(st, c++,
                  un->tier != SG_RANK_TIER_NONE
                      ? sg_rank_tier_to_string(un->tier)
                      : NULL);
        bind_text(st, c++, un->band >= 0 ? r->bands[un->band].label : NULL);
        bind_round(st, c++, un->amount_village);
        bind_round(st, c++, un->amount_cadre);
        if (nd->wkb)
            sg__insert_blob(st, c, nd->wkb, nd->wkb_size);
        else
            sg__insert_null(st, c);
        s = sg__insert_step(k->ctx, k->store, st);
    }
    sg__insert_free(st);
    return s;
}

/* Record the run in `runs`. */
static sg_status record(sg__ranker *k, double secs)
{
    const sg_rank_result *r = k->r;
    long long red = 0, black = 0;
    for (size_t g = 0; g < r->ngroups; g++) {
        red += r->groups[g].red;
        black += r->groups[g].black;
    }
    static const char *const wname[6] = {"coverage", "staffing",   "grid",
                                         "toilets",  "inspection", "trend"};
    sg_json p, n;
    sg_json_begin(&p, NULL);
    sg_json_object(&p, NULL);
    sg_json_str(&p, "level", sg_rank_level_to_string(r->level));
    sg_json_str(&p, "within", sg_rank_within_to_string(r->within));
    sg_json_str(&p, "period", r->period.label);
    sg_json_str(&p, "previous", r->previous.label);
    sg_json_int(&p, "red_max", r->red);
    sg_json_int(&p, "black_max", r->black);
    sg_json_num(&p, "list_share", r->list_share);
    sg_json_int(&p, "list_min", r->list_min);
    sg_json_object(&p, "weights");
    for (int i = 0; i < 6; i++)
        sg_json_num(&p, wname[i], r->weights[i]);
    sg_json_end_object(&p);
    sg_json_int(&p, "bands", (long long)r->nbands);
    sg_json_end_object(&p);
    sg_json_begin(&n, NULL);
    sg_json_object(&n, NULL);
    sg_json_int(&n, "units", (long long)r->nunits);
    sg_json_int(&n, "ranked", r->ranked);
    sg_json_int(&n, "red", red);
    sg_json_int(&n, "black", black);
    sg_json_int(&n, "inspections", r->inspections);
    sg_json_int(&n, "inspections_elsewhere", r->inspections_elsewhere);
    sg_json_end_object(&n);
    return sg__store_record_run_json(k->ctx, k->store, "rank", &p, &n, secs);
}

/* Write the layer, the bands (if asked) and the run in one transaction. */
static sg_status write_all(sg__ranker *k, const size_t *order, double t0)
{
    sg_status st = write_layer(k, order);
    if (st == SG_OK && k->o->save_bands && k->o->have_bands) {
        /* the saved bands are the user's, not a result: undo first */
        st = sg__store_snapshot(k->ctx, k->store, "rank-tiers");
        if (st == SG_OK)
            st = sg__store_rank_tiers_clear(k->ctx, k->store);
        for (size_t b = 0; st == SG_OK && b < k->r->nbands; b++) {
            const sg_rank_band *bd = &k->r->bands[b];
            st = sg__store_rank_tiers_add(k->ctx, k->store, bd->from_rank,
                                          bd->to_rank, bd->from_end, bd->label,
                                          bd->amount_village, bd->amount_cadre);
        }
    }
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double now = (double)t1.tv_sec + (double)t1.tv_nsec / 1e9;
    if (st == SG_OK)
        st = record(k, now - t0);
    if (st == SG_OK)
        st = sg__store_commit(k->ctx, k->store);
    return st;
}

/* Put r->units in \p order (moving, not copying, their strings). */
static sg_status reorder_units(sg__ranker *k, const size_t *order)
{
    sg_rank_result *r = k->r;
    sg_rank_unit *u = malloc((r->nunits + 1) * sizeof *u);
    if (!u)
        return sg__error(k->ctx, SG_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < r->nunits; i++)
        u[i] = r->units[order[i]];
    free(r->units);
    r->units = u;
    return SG_OK;
}

/* ---- the ranking --------------------------------------------------------- */

/* The checks and steps of sg_rank() on the prepared ranker. */
static sg_status run(sg__ranker *k, double t0)
{
    sg_rank_result *r = k->r;
    int dl = sg__rank_level_depth(r->level), dw = (int)r->within;
    if (dw > 0 && dw >= dl)
        return sg__error(k->ctx, SG_ERR_USAGE,
                         "--within %s: rankings of %s can only be within a "
                         "larger unit (county, township%s) or all",
                         sg_rank_within_to_string(r->within),
                         sg_rank_level_to_string(r->level),
                         dl > 3 ? ", admin_village" : "");
    /* inputs are read inside the transaction that writes the results
     * (committed by write_all; rolled back by sg_rank on failure) */
    sg_status st = sg__store_begin(k->ctx, k->store);
    if (st == SG_OK && !sg_store_srid(k->store))
        st = sg__error(k->ctx, SG_ERR_INPUT,
                       "store %s has no data yet (import divisions or grids "
                       "first)",
                       sg_store_path(k->store));
    if (st == SG_OK)
        st = parameters(k);
    if (st == SG_OK)
        st = sg__rank_load_units(k);
    if (st == SG_OK)
        st = periods(k);
    if (st == SG_OK)
        st = sg__rank_inspections(k);
    if (st == SG_OK)
        st = sg__progress(k->ctx, 0.1, "coverage");
    if (st == SG_OK)
        st = sg__rank_measure(k);
    if (st == SG_OK)
        st = score_and_rank(k);
    size_t *order = malloc((r->nunits + 1) * sizeof *order);
    if (st == SG_OK && !order)
        st = sg__error(k->ctx, SG_ERR_NOMEM, "out of memory");
    if (st == SG_OK)
        st = output_order(k, order);
    if (st == SG_OK)
        st = sg__progress(k->ctx, 0.9, "writing");
    if (st == SG_OK)
        st = write_all(k, order, t0);
    if (st == SG_OK)
        st = reorder_units(k, order);
    free(order);
    return st;
}

sg_status sg_rank(sg_ctx *ctx, sg_store *store, const sg_rank_options *opts,
                  sg_rank_result **result)
{
    *result = NULL;
    sg_rank_options defaults;
    if (!opts) {
        sg__rank_defaults(&defaults);
        opts = &defaults;
    }
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    double t0 = (double)t.tv_sec + (double)t.tv_nsec / 1e9;
    sg_rank_result *r = calloc(1, sizeof *r);
    sg__ranker k;
    memset(&k, 0, sizeof k);
    k.ctx = ctx;
    k.store = store;
    k.o = opts;
    k.r = r;
    k.unit_is_grid = opts->level == SG_RANK_LEVEL_GRID;
    sg__geomset_init(&k.ugeo, ctx, 1);
    sg_status st = r ? SG_OK : sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    if (st == SG_OK) {
        r->level = opts->level;
        r->within = opts->within;
        st = run(&k, t0);
        if (st)
            sg__store_rollback(store);
    }
    if (st == SG_OK)
        st = sg__progress(ctx, 1.0, "rank");
    sg__rank_cleanup(&k);
    if (st) {
        sg_rank_result_free(r);
        return st;
    }
    *result = r;
    return SG_OK;
}

void sg_rank_result_free(sg_rank_result *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->nunits; i++) {
        free(r->units[i].code);
        free(r->units[i].name);
        free(r->units[i].within_code);
        free(r->units[i].within_name);
        free(r->units[i].missing);
    }
    for (int i = 0; i < SG_RANK_NIND; i++)
        free(r->source_run[i]);
    free(r->units);
    sg__rank_bands_free(r->bands, r->nbands);
    for (size_t g = 0; g < r->ngroups; g++) {
        free(r->groups[g].code);
        free(r->groups[g].name);
    }
    free(r->groups);
    free(r);
}
