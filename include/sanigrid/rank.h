/* Ranking of villages and grids on measured indicators and inspection
 * scores, with red and black lists and reward/penalty bands (红黑榜;
 * DOMAIN.md §1.8, §2 scoring.*), and the inspection periods rankings are
 * made for (ISO week, month, quarter).
 * Not for: importing inspections (io.h), drawing the ranking (render).
 * SPDX-License-Identifier: MIT */
#ifndef SANIGRID_RANK_H
#define SANIGRID_RANK_H
#include "sanigrid/export.h"

#include <stddef.h>
#include "sanigrid/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- periods ------------------------------------------------------------- */

typedef enum sg_period_kind {
    SG_PERIOD_NONE = 0,
    SG_PERIOD_WEEK = 1,   /* ISO 8601 week, Monday..Sunday: 2026-W48 */
    SG_PERIOD_MONTH = 2,  /* calendar month: 2026-11 */
    SG_PERIOD_QUARTER = 3 /* calendar quarter: 2026-Q4 */
} sg_period_kind;

/** One inspection period: its kind, label and first and last day. The
 * text fields are fixed arrays because their sizes are format bounds,
 * not guesses: years are 1..9999, so a label is at most "9999-W53" (8
 * bytes) and a day is exactly YYYY-MM-DD (10 bytes), plus the NUL. */
typedef struct sg_period {
    int kind;       /* sg_period_kind; SG_PERIOD_NONE = no period */
    int year;       /* for weeks the ISO week-numbering year */
    int number;     /* week 1..53, month 1..12 or quarter 1..4 */
    char label[16]; /* "2026-W48", "2026-11", "2026-Q4"; "" for none */
    char first[11]; /* first day, YYYY-MM-DD */
    char last[11];  /* last day (inclusive), YYYY-MM-DD */
} sg_period;

/** Parse "2026-W48" (ISO week; "2026-w48" too), "2026-11" (month) or
 * "2026-Q4" (quarter; "2026-q4" too) into \p out. Years 1..9999; a week
 * must exist in its ISO year (W53 only in years that have one).
 * \return 1 on success, 0 otherwise (\p out is then zeroed). */
SG_API int sg_period_parse(const char *text, sg_period *out);

/** The period of \p kind containing the day \p date ("YYYY-MM-DD").
 * \return 1 on success, 0 for a bad kind or date (\p out zeroed). */
SG_API int sg_period_of_date(int kind, const char *date, sg_period *out);

/** The period just before \p p (2026-W01 -> 2025-W52 or W53; 2026-01 ->
 * 2025-12; 2026-Q1 -> 2025-Q4). A period of kind NONE gives NONE. */
SG_API void sg_period_previous(const sg_period *p, sg_period *out);

/** The period kind for a scoring.cadence value: "weekly", "monthly" or
 * "quarterly". \return the kind, or SG_PERIOD_NONE for anything else. */
SG_API int sg_period_kind_from_cadence(const char *cadence);

/* ---- indicators ---------------------------------------------------------- */

/** The indicators of a unit, in this order everywhere (arrays, JSON,
 * layer columns). Formulas (all shares in percent, 0..100):
 *  - coverage:   100 x residents of households covered along roads /
 *                residents of all households in the unit (layer coverage
 *                of the last `coverage` run; households weighted by
 *                resident_population);
 *  - staffing:   100 x min(1, current / required) cleaners (layer
 *                staffing, the row with the unit's code; required 0 gives
 *                100);
 *  - grid:       100 x max(0, 1 - (gap area + overlap area + ownerless
 *                area inside the unit) / unit area), where gaps and
 *                overlaps are the pieces of the grid level ranked (layers
 *                grid_gaps / grid_overlaps of the last `check` run) and
 *                ownerless area is the area of the grids of that level
 *                without a grid leader (网中有格、格中有人);
 *  - toilets:    100 x households with a sanitary toilet / households
 *                whose toilet is known (sanitary, unsanitary or none);
 *  - inspection: mean score of the inspections in the period (points on
 *                scoring.scale); scaled to 0..100 as 100 x mean / scale;
 *  - trend:      inspection mean minus the previous period's (points);
 *                scaled as 50 + 50 x trend / scale, clamped to 0..100.
 * A unit is a containing polygon for households and areas; inspections
 * count for the unit named and for every division or grid inside it
 * (by parent_code / division_code). Missing data gives a missing
 * indicator (NAN), never 0. */
typedef enum sg_rank_indicator {
    SG_RANK_COVERAGE = 0,
    SG_RANK_STAFFING = 1,
    SG_RANK_GRID = 2,
    SG_RANK_TOILETS = 3,
    SG_RANK_INSPECTION = 4,
    SG_RANK_TREND = 5
} sg_rank_indicator;

#define SG_RANK_NIND 6

/** \return the name of indicator \p i ("coverage", "staffing", "grid",
 * "toilets", "inspection", "trend"), or NULL if out of range. Static. */
SG_API const char *sg_rank_indicator_name(int i);

/* ---- levels and groups --------------------------------------------------- */

/** The units ranked. */
typedef enum sg_rank_level {
    SG_RANK_LEVEL_ADMIN_VILLAGE = 0,   /**< divisions of level admin_village */
    SG_RANK_LEVEL_NATURAL_VILLAGE = 1, /**< divisions of level
                                            natural_village */
    SG_RANK_LEVEL_GRID = 2 /**< the grids of the lowest level number present
                                (a grid without a level is level 1) */
} sg_rank_level;

/** The level named \p name ("admin_village", "natural_village", "grid")
 * into *\p out. Fails with SG_ERR_USAGE (naming the option and the
 * value) for anything else, *\p out unchanged. */
SG_API sg_status sg_rank_level_from_string(sg_ctx *ctx, const char *name,
                                           sg_rank_level *out);

/** \return the name of \p level, or NULL when out of range. Static. */
SG_API const char *sg_rank_level_to_string(sg_rank_level level);

/** What the units are ranked and listed within: the whole store, or
 * their ancestor division of a level. The values are the depths of those
 * levels (county 1, township 2, admin_village 3). */
typedef enum sg_rank_within {
    SG_RANK_WITHIN_ALL = 0, /**< one list for every unit */
    SG_RANK_WITHIN_COUNTY = 1,
    SG_RANK_WITHIN_TOWNSHIP = 2,
    SG_RANK_WITHIN_ADMIN_VILLAGE = 3
} sg_rank_within;

/** The grouping named \p name ("county", "township", "admin_village",
 * "all") into *\p out. Fails with SG_ERR_USAGE (naming the option and the
 * value) for anything else, *\p out unchanged. */
SG_API sg_status sg_rank_within_from_string(sg_ctx *ctx, const char *name,
                                            sg_rank_within *out);

/** \return the name of \p within, or NULL when out of range. Static. */
SG_API const char *sg_rank_within_to_string(sg_rank_within within);

/** The list a unit is on. */
typedef enum sg_rank_tier {
    SG_RANK_TIER_NONE = 0, /**< on neither list */
    SG_RANK_TIER_RED = 1,  /**< red list (红榜, the best) */
    SG_RANK_TIER_BLACK = 2 /**< black list (黑榜, the worst) */
} sg_rank_tier;

/** The tier named \p name ("none", "red", "black") into *\p out. Fails
 * with SG_ERR_USAGE naming the value for anything else, *\p out
 * unchanged. */
SG_API sg_status sg_rank_tier_from_string(sg_ctx *ctx, const char *name,
                                          sg_rank_tier *out);

/** \return the name of \p tier ("none" for SG_RANK_TIER_NONE; the
 * rankings layer and --json write NULL for it), or NULL when out of
 * range. Static. */
SG_API const char *sg_rank_tier_to_string(sg_rank_tier tier);

/* ---- options ------------------------------------------------------------- */

typedef struct sg_rank_options sg_rank_options;

/** Defaults: level admin_village, within township, the period of
 * scoring.cadence containing the latest inspection, red/black list sizes
 * and weights from the settings (scoring.red_list_size,
 * scoring.black_list_size, rank.weight.*), bands from table rank_tiers.
 * Caller owns; free with sg_rank_options_free(). NULL when out of
 * memory. */
SG_API sg_rank_options *sg_rank_options_new(void);

/** Free \p opts. NULL is a no-op. */
SG_API void sg_rank_options_free(sg_rank_options *opts);

/** Units ranked (sg_rank_level_from_string() reads a name).
 * SG_ERR_USAGE for a value out of range. */
SG_API sg_status sg_rank_options_set_level(sg_ctx *ctx, sg_rank_options *opts,
                                           sg_rank_level level);

/** The period: see sg_period_parse(). NULL restores the default.
 * SG_ERR_USAGE for a malformed period. */
SG_API sg_status sg_rank_options_set_period(sg_ctx *ctx, sg_rank_options *opts,
                                            const char *period);

/** Rank and list within the units' ancestor division of a level, or all
 * together (sg_rank_within_from_string() reads a name). It must lie
 * above the level ranked (checked by sg_rank()). SG_ERR_USAGE for a value
 * out of range. */
SG_API sg_status sg_rank_options_set_within(sg_ctx *ctx, sg_rank_options *opts,
                                            sg_rank_within within);

/** Largest red list (top N within each group, N >= 0); -1 = the setting
 * scoring.red_list_size. The size used in a group is given by
 * sg_rank_list_sizes(). SG_ERR_USAGE for n < -1. */
SG_API sg_status sg_rank_options_set_red(sg_ctx *ctx, sg_rank_options *opts,
                                         int n);

/** Largest black list (bottom M within each group, M >= 0); -1 = the
 * setting scoring.black_list_size. SG_ERR_USAGE for m < -1. */
SG_API sg_status sg_rank_options_set_black(sg_ctx *ctx, sg_rank_options *opts,
                                           int m);

/** Share of a group's ranked units on each list (0..1); NAN = the
 * setting rank.list_share. SG_ERR_USAGE for a share outside 0..1. */
SG_API sg_status sg_rank_options_set_list_share(sg_ctx *ctx,
                                                sg_rank_options *opts,
                                                double share);

/** The list sizes of a group of \p n ranked units (the rule of `rank
 * --help`): want = max(\p min, floor(\p share x n)); red = min(want,
 * \p red_max, n - 1) (the bottom unit is never on the red list); black =
 * min(want, \p black_max, n - red, n - 1) (never a unit of the red list,
 * never the top unit). A single unit is on no list. Negative inputs
 * count as 0. */
SG_API void sg_rank_list_sizes(long long n, double share, long long min,
                               long long red_max, long long black_max,
                               long long *red, long long *black);

/** Override weights: "k=v,k=v" with k an indicator name and v a
 * non-negative number; indicators not named keep their setting.
 * SG_ERR_USAGE (and \p opts unchanged) on an unknown or repeated name, a
 * missing '=', a value that is not a non-negative number, or an empty
 * list. */
SG_API sg_status sg_rank_options_set_weights(sg_ctx *ctx, sg_rank_options *opts,
                                             const char *spec);

/** Reward/penalty bands for this run instead of table rank_tiers:
 * "BAND,BAND,..." with BAND = RANGE[:LABEL[:VILLAGE[:CADRE]]], RANGE =
 * "A-B" or "A" (ranks within the group, 1 = best) or "lastA-B" /
 * "lastA" (counted from the bottom, 1 = last); VILLAGE and CADRE are
 * amounts in yuan for the village and its liaison cadre (包村干部),
 * positive = reward, negative = fine, empty = none. "none" = no bands.
 * The first band that matches a unit applies. SG_ERR_USAGE (and \p opts
 * unchanged) on a malformed spec. */
SG_API sg_status sg_rank_options_set_tiers(sg_ctx *ctx, sg_rank_options *opts,
                                           const char *spec);

/** Also store the bands given with sg_rank_options_set_tiers() in table
 * rank_tiers as the new default. */
SG_API sg_status sg_rank_options_set_save_tiers(sg_ctx *ctx,
                                                sg_rank_options *opts, int on);

/* ---- results ------------------------------------------------------------- */

/** A reward/penalty band (a row of rank_tiers). */
typedef struct sg_rank_band {
    long long from_rank, to_rank; /* inclusive, 1-based */
    int from_end;                 /* 1: counted from the bottom */
    char *label;                  /* owned by the result */
    double amount_village;        /* yuan; NAN = none */
    double amount_cadre;          /* yuan; NAN = none */
} sg_rank_band;

/** One ranked unit. */
typedef struct sg_rank_unit {
    char *code;        /* owned by the result */
    char *name;        /* owned; NULL if the unit has none */
    char *within_code; /* owned; the group (township ...); NULL = none */
    char *within_name; /* owned; NULL if none */
    double value[SG_RANK_NIND];  /* indicator values (see above); NAN =
                                    missing */
    double scaled[SG_RANK_NIND]; /* 0..100 as weighted; NAN = missing */
    double num[SG_RANK_NIND];    /* numerator behind the value (residents
                                    covered, current cleaners, area not
                                    in order m2, sanitary households, sum
                                    of scores); NAN if not applicable */
    double den[SG_RANK_NIND];    /* denominator (residents, required
                                    cleaners, unit area m2, households
                                    with a known toilet, inspections) */
    long long inspections;       /* inspections in the period */
    double previous_inspection;  /* mean of the previous period, NAN */
    char *missing;               /* owned; weighted indicators missing,
                                    comma-separated; NULL if none */
    double score;                /* composite 0..100, rounded to 0.01; NAN =
                                    unranked (no weighted indicator present) */
    long long rank;              /* overall, 1 = best, ties share; 0 = none */
    long long rank_within;       /* within the group; 0 = unranked */
    long long rank_from_end;     /* within the group, 1 = last; 0 = none */
    long long previous_rank;     /* rank_within in the previous period; 0 =
                                    none */
    int has_rank_change;         /* previous_rank and rank_within both set */
    long long rank_change;       /* previous_rank - rank_within (> 0 = up) */
    sg_rank_tier tier;
    long long band;        /* index into result->bands, -1 = none */
    double amount_village; /* of the band; NAN = none */
    double amount_cadre;   /* of the band; NAN = none */
} sg_rank_unit;

/** Totals of one group (township or --within unit). */
typedef struct sg_rank_group {
    char *code; /* owned; NULL for units without such an ancestor */
    char *name; /* owned; may be NULL */
    long long units, ranked, red, black; /* red, black: units listed (ties
                                            at the cut can exceed the
                                            sizes) */
    long long red_size, black_size;      /* sg_rank_list_sizes() of ranked */
    double reward_village, fine_village; /* sums of positive / negative
                                            amounts (fines negative) */
    double reward_cadre, fine_cadre;
} sg_rank_group;

typedef struct sg_rank_result {
    sg_rank_level level;
    sg_rank_within within;
    int grid_level;             /* grid level used (units, gaps, ownerless) */
    sg_period period;           /* kind NONE when there are no inspections */
    sg_period previous;         /* the period before */
    int period_from_data;       /* 1: chosen as the scoring.cadence period
                                   containing the latest inspection */
    char latest_inspection[11]; /* YYYY-MM-DD (a format bound, as in
                                   sg_period); "" without inspections */
    int previous_ranked;        /* 1 if the previous period had inspections, so
                                   previous_rank / rank_change are set */
    double weights[SG_RANK_NIND];
    double scale;                   /* scoring.scale */
    double deduction_per_finding;   /* scoring.deduction_per_finding */
    long long red, black;           /* largest list sizes (--red,
                                       --black or the settings) */
    double list_share;              /* rank.list_share or --list-share */
    long long list_min;             /* rank.list_min */
    char *source_run[SG_RANK_NIND]; /* owned: started_at of the run each
                                       measured indicator comes from;
                                       NULL = none or input layers */
    sg_rank_unit *units; /* by group code, rank_within, code; unranked
                            last in their group */
    size_t nunits;
    sg_rank_band *bands;
    size_t nbands;
    sg_rank_group *groups; /* by code (NULL first) */
    size_t ngroups;
    long long ranked;                /* units with a score */
    long long inspections;           /* inspections in the period counted */
    long long inspections_elsewhere; /* in the period but in no unit */
    double reward_village, fine_village, reward_cadre, fine_cadre;
} sg_rank_result;

/** Compute the indicators, the composite score, ranks, lists and bands
 * for the period and the previous one, and write layer `rankings` (the
 * unit's polygon with unit_code, name, level, within_code, within_name,
 * period, each indicator, inspections, missing, score, rank,
 * rank_within, previous_rank, rank_change, tier = red/black/NULL, band,
 * amount_village, amount_cadre; replacing an earlier one); records the
 * run. Composite = sum(w_i x scaled_i) / sum(w_i) over the indicators
 * the unit has (weights renormalised; missing ones listed in `missing`,
 * never counted as 0). Ties (equal rounded scores) share a rank. The
 * measured indicators have no history in the store, so the previous
 * period's ranking uses them as they are now with that period's
 * inspections. \param opts NULL for the defaults. \param result caller
 * owns; free with sg_rank_result_free(). */
SG_API sg_status sg_rank(sg_ctx *ctx, sg_store *store,
                         const sg_rank_options *opts, sg_rank_result **result);

/** Free \p result. NULL is a no-op. */
SG_API void sg_rank_result_free(sg_rank_result *result);

#ifdef __cplusplus
}
#endif
#endif
