/* The report's score history: each ranked unit's mean inspection score
 * per period (the kind of the ranking's period: week, month or quarter;
 * the last SG__HIST_PERIODS periods up to the ranking's), as a grid of
 * small inline SVG line charts, one per unit in rank order. Nothing is
 * drawn when the inspections fall in fewer than two periods. The
 * inspections counted for a unit are the ones sanigrid rank counts (the
 * unit's own and those of the divisions and grids inside it); the
 * measured indicators have no history in the store, so the charts show
 * the inspection score, the part of the score that has one.
 * Not for: the SQL (src/store/history_sql.c), the ranking.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "render/report_int.h"
#include "sanigrid/rank.h"
#include "sanigrid/store.h"
#include "store/history_sql_int.h"

#define SG__HIST_PERIODS 8 /* periods drawn at most */
#define SG__HIST_UNITS 60  /* charts drawn at most (best ranks first) */
#define CW 180             /* chart width and height (CSS pixels) */
#define CH 64

typedef struct hunit {
    char *code, *name;
    long long rank;
} hunit;

typedef struct hscore {
    size_t unit;
    char label[16];
    double score;
} hscore;

typedef struct hist {
    hunit *units;
    size_t nunits, capunits;
    struct byc {
        const char *code; /* borrowed from units */
        size_t unit;
    } * by_code; /* the units sorted by code */
    hscore *scores;
    size_t nscores, capscores;
    sg_period period; /* the ranking's (kind NONE: no chart) */
    int failed;       /* out of memory */
} hist;

static sg_status unit_cb(const char *code, const char *name, long long rank,
                         const char *within, const char *period, void *user)
{
    hist *h = user;
    (void)within;
    if (h->nunits == h->capunits) {
        size_t nc = h->capunits ? 2 * h->capunits : 64;
        hunit *nu = realloc(h->units, nc * sizeof *nu);
        if (!nu)
            return SG_ERR_NOMEM;
        h->units = nu;
        h->capunits = nc;
    }
    hunit *u = &h->units[h->nunits];
    u->code = strdup(code);
    u->name = name ? strdup(name) : NULL;
    u->rank = rank;
    if (!u->code || (name && !u->name)) {
        free(u->code);
        free(u->name);
        return SG_ERR_NOMEM;
    }
    h->nunits++;
    sg_period p;
    if (period && sg_period_parse(period, &p) &&
        (!h->period.kind || strcmp(p.label, h->period.label) > 0))
        h->period = p;
    return SG_OK;
}

static int cmp_code(const void *a, const void *b)
{
    const struct byc *x = a, *y = b;
    return strcmp(x->code, y->code);
}

/* The unit with \p code, or -1. */
static long long find_unit(const hist *h, const char *code)
{
    size_t lo = 0, hi = h->nunits;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(h->by_code[mid].code, code);
        if (c == 0)
            return (long long)h->by_code[mid].unit;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

static sg_status score_cb(const char *unit_code, const char *date, double score,
                          void *user)
{
    hist *h = user;
    long long u = find_unit(h, unit_code);
    sg_period p;
    if (u < 0 || !sg_period_of_date(h->period.kind, date, &p) ||
        strcmp(p.first, h->period.last) > 0)
        return SG_OK; /* after the ranking's period: not drawn */
    if (h->nscores == h->capscores) {
        size_t nc = h->capscores ? 2 * h->capscores : 256;
        hscore *ns = realloc(h->scores, nc * sizeof *ns);
        if (!ns)
            return SG_ERR_NOMEM;
        h->scores = ns;
        h->capscores = nc;
    }
    hscore *s = &h->scores[h->nscores++];
    s->unit = (size_t)u;
    snprintf(s->label, sizeof s->label, "%s", p.label);
    s->score = score;
    return SG_OK;
}

static void hist_cleanup(hist *h)
{
    for (size_t i = 0; i < h->nunits; i++) {
        free(h->units[i].code);
        free(h->units[i].name);
    }
    free(h->units);
    free(h->by_code);
    free(h->scores);
}

/* The last (at most SG__HIST_PERIODS) periods up to the ranking's, oldest
 * first, into \p labels; \return their number. Periods follow each
 * other (sg_period_previous), so a period without inspections is a gap
 * in the lines, not a missing step. */
static int periods_drawn(const hist *h, char labels[][16])
{
    /* the earliest period with an inspection */
    const char *first = NULL;
    char firstday[11] = "";
    for (size_t i = 0; i < h->nscores; i++) {
        sg_period p;
        if (sg_period_parse(h->scores[i].label, &p) &&
            (!first || strcmp(p.first, firstday) < 0)) {
            first = h->scores[i].label;
            snprintf(firstday, sizeof firstday, "%s", p.first);
        }
    }
    if (!first)
        return 0;
    sg_period back[SG__HIST_PERIODS];
    int n = 0;
    sg_period p = h->period;
    while (n < SG__HIST_PERIODS && p.kind && strcmp(p.last, firstday) >= 0) {
        back[n++] = p;
        sg_period prev;
        sg_period_previous(&p, &prev);
        p = prev;
    }
    for (int i = 0; i < n; i++)
        snprintf(labels[i], 16, "%s", back[n - 1 - i].label);
    return n;
}

/* Append one unit's chart: the mean of each period (NAN: none) on a
 * 0..\p scale axis. */
static void chart(sg__buf *b, const char *lang, const hunit *u,
                  const double *mean, int np, char labels[][16], double scale)
{
    char num[32], x[32], y[32];
    sg__buf_puts(b, "<figure class=\"spark\" data-unit=\"");
    sg__buf_html(b, u->code);
    sg__buf_puts(b, "\" data-values=\"");
    for (int i = 0, n = 0; i < np; i++) {
        if (isnan(mean[i]))
            continue;
        sg__fmt_num(num, sizeof num, mean[i], 2);
        sg__buf_printf(b, "%s%s:%s", n++ ? ";" : "", labels[i], num);
    }
    sg__buf_printf(b,
                   "\"><svg viewBox=\"0 0 %d %d\" width=\"%d\" "
                   "height=\"%d\" role=\"img\"><rect x=\"0\" y=\"0\" "
                   "width=\"%d\" height=\"%d\" class=\"bg\"/>",
                   CW, CH, CW, CH, CW, CH);
    /* plot area: 6..CW-34 across, 6..CH-6 down; 0 at the bottom */
    double x0 = 6, x1 = CW - 34, y0 = CH - 6, y1 = 6;
    double step = np > 1 ? (x1 - x0) / (np - 1) : 0;
    /* the mid line (half the scale) */
    sg__fmt_num(y, sizeof y, (y0 + y1) / 2, 1);
    sg__buf_printf(b,
                   "<line x1=\"%d\" x2=\"%d\" y1=\"%s\" y2=\"%s\" "
                   "class=\"mid\"/>",
                   (int)x0, (int)x1, y, y);
    int open = 0, last = -1;
    for (int i = 0; i < np; i++) {
        if (isnan(mean[i])) {
            if (open)
                sg__buf_puts(b, "\"/>");
            open = 0;
            continue;
        }
        double v = mean[i] < 0 ? 0 : mean[i] > scale ? scale : mean[i];
        sg__fmt_num(x, sizeof x, x0 + step * i, 1);
        sg__fmt_num(y, sizeof y, y0 + (y1 - y0) * v / scale, 1);
        sg__buf_printf(b, "%s%s,%s", open ? " " : "<polyline points=\"", x, y);
        open = 1;
        last = i;
    }
    if (open)
        sg__buf_puts(b, "\"/>");
    for (int i = 0; i < np; i++) {
        if (isnan(mean[i]))
            continue;
        double v = mean[i] < 0 ? 0 : mean[i] > scale ? scale : mean[i];
        sg__fmt_num(x, sizeof x, x0 + step * i, 1);
        sg__fmt_num(y, sizeof y, y0 + (y1 - y0) * v / scale, 1);
        sg__fmt_num(num, sizeof num, mean[i], 1);
        sg__buf_printf(b,
                       "<circle cx=\"%s\" cy=\"%s\" r=\"2.5\"><title>%s "
                       "%s</title></circle>",
                       x, y, labels[i], num);
    }
    if (last >= 0) {
        sg__fmt_num(num, sizeof num, mean[last], 0);
        sg__buf_printf(b, "<text x=\"%d\" y=\"%d\">%s</text>", CW - 30,
                       CH / 2 + 5, num);
    }
    sg__buf_puts(b, "</svg><figcaption>");
    if (u->rank > 0)
        sg__buf_printf(b, strcmp(lang, "en") == 0 ? "%lld. " : "第%lld名 ",
                       u->rank);
    sg__buf_html(b, u->name ? u->name : u->code);
    sg__buf_puts(b, "</figcaption></figure>\n");
}

sg_status sg__report_history(sg_ctx *ctx, sg_store *store, const char *lang,
                             sg__buf *b, int *ncharts)
{
    hist h;
    memset(&h, 0, sizeof h);
    double scale = 100, per_finding = 1;
    /* an old store without the settings: the defaults */
    if (sg_setting_get_double(ctx, store, "scoring.scale", &scale) ||
        !(scale > 0))
        scale = 100;
    if (sg_setting_get_double(ctx, store, "scoring.deduction_per_finding",
                              &per_finding))
        per_finding = 1;
    sg_ctx_clear_error(ctx);
    /* units first: the scores need the index by code */
    sg_status st = sg__store_rank_history(ctx, store, scale, per_finding,
                                          unit_cb, NULL, &h);
    if (st == SG_OK && h.nunits && h.period.kind) {
        h.by_code = malloc(h.nunits * sizeof *h.by_code);
        if (!h.by_code)
            st = SG_ERR_NOMEM;
        for (size_t i = 0; st == SG_OK && i < h.nunits; i++)
            h.by_code[i] = (struct byc){h.units[i].code, i};
        if (st == SG_OK)
            qsort(h.by_code, h.nunits, sizeof *h.by_code, cmp_code);
        if (st == SG_OK)
            st = sg__store_rank_history(ctx, store, scale, per_finding, NULL,
                                        score_cb, &h);
    }
    char labels[SG__HIST_PERIODS][16];
    int np = st == SG_OK && h.by_code ? periods_drawn(&h, labels) : 0;
    double *sum = NULL, *cnt = NULL;
    if (np >= 2) {
        sum = calloc(h.nunits * (size_t)np + 1, sizeof *sum);
        cnt = calloc(h.nunits * (size_t)np + 1, sizeof *cnt);
        if (!sum || !cnt)
            st = SG_ERR_NOMEM;
    }
    for (size_t i = 0; st == SG_OK && np >= 2 && i < h.nscores; i++)
        for (int p = 0; p < np; p++)
            if (!strcmp(h.scores[i].label, labels[p])) {
                sum[h.scores[i].unit * (size_t)np + (size_t)p] +=
                    h.scores[i].score;
                cnt[h.scores[i].unit * (size_t)np + (size_t)p] += 1;
            }
    /* periods with an inspection of any unit: two or more for a chart */
    int with = 0;
    for (int p = 0; st == SG_OK && np >= 2 && p < np; p++) {
        int any = 0;
        for (size_t u = 0; u < h.nunits && !any; u++)
            any = cnt[u * (size_t)np + (size_t)p] > 0;
        with += any;
    }
    if (st == SG_OK && with >= 2) {
        int en = strcmp(lang, "en") == 0;
        sg__buf_printf(b,
                       "<details class=\"hist\" open><summary>%s</summary>"
                       "<p class=\"hint\">",
                       sg__tr(lang, "hist_title"));
        char sc[32];
        sg__fmt_num(sc, sizeof sc, scale, 0);
        if (en)
            sg__buf_printf(b,
                           "Mean inspection score of each unit per "
                           "period, %s to %s, on a 0 to %s scale (the "
                           "line marks half); a gap is a period without "
                           "an inspection.",
                           labels[0], labels[np - 1], sc);
        else
            sg__buf_printf(b,
                           "各单元每期检查平均分，%s 至 %s，纵轴 0–%s "
                           "分（横线为一半）；断开处为该期没有检查。",
                           labels[0], labels[np - 1], sc);
        sg__buf_puts(b, "</p><div class=\"sparks\">\n");
        double mean[SG__HIST_PERIODS];
        size_t drawn = 0;
        for (size_t u = 0; u < h.nunits && drawn < SG__HIST_UNITS; u++) {
            int any = 0;
            for (int p = 0; p < np; p++) {
                double c = cnt[u * (size_t)np + (size_t)p];
                mean[p] = c > 0 ? sum[u * (size_t)np + (size_t)p] / c : NAN;
                any |= c > 0;
            }
            if (!any)
                continue;
            chart(b, lang, &h.units[u], mean, np, labels, scale);
            drawn++;
        }
        sg__buf_puts(b, "</div>");
        if (drawn == SG__HIST_UNITS && h.nunits > drawn)
            sg__buf_printf(b,
                           en ? "<p class=\"hint\">The first %d units by "
                                "rank.</p>"
                              : "<p class=\"hint\">只画出名次靠前的 %d "
                                "个单元。</p>",
                           SG__HIST_UNITS);
        sg__buf_puts(b, "</details>\n");
        if (ncharts)
            *ncharts = (int)drawn;
    }
    free(sum);
    free(cnt);
    hist_cleanup(&h);
    if (st == SG_ERR_NOMEM)
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    return st;
}
