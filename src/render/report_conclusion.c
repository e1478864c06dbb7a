/* The report's conclusion (结论): 3–6 sentences computed from the store
 * that a leader reads before any map — the coverage share and the worst
 * villages, the staffing gap, this period's red and black lists and the
 * changes since the last, the grid problems check found — at the top of
 * the page. Figures come from store/conclusion_sql.c; an analysis that
 * has not run leaves its sentence out.
 * Not for: the tables and maps of the sections (report.c).
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/report_int.h"
#include "store/conclusion_sql_int.h"
#include "store/rank_sql_int.h"

/* Append "a、b、c" (zh) or "a, b, c" (en) of \p n items, each followed by
 * its value written by \p value (NULL: none). */
static void names(sg__buf *b, int zh, const sg__concl_item *it, int n,
                  void (*value)(sg__buf *, int, double))
{
    for (int i = 0; i < n; i++) {
        if (i)
            sg__buf_puts(b, zh ? "、" : ", ");
        sg__buf_html(b, it[i].name);
        if (value)
            value(b, zh, it[i].value);
    }
}

/* Value formatters for names(). */
static void v_share(sg__buf *b, int zh, double v)
{
    char num[32];
    sg__fmt_num(num, sizeof num, 100 * v, 1);
    sg__buf_printf(b, zh ? "（%s%%）" : " (%s%%)", num);
}
static void v_short(sg__buf *b, int zh, double v)
{
    sg__buf_printf(b, zh ? "（缺 %lld 人）" : " (%lld missing)", (long long)v);
}
static void v_score(sg__buf *b, int zh, double v)
{
    char num[32];
    sg__fmt_num(num, sizeof num, v, 2);
    sg__buf_printf(b, zh ? "（%s 分）" : " (%s)", num);
}

/* The coverage sentence. */
static void s_coverage(sg__buf *b, int zh, const sg__conclusion *c,
                       double radius, int network)
{
    char pct[32], rad[32];
    double cov =
        c->households ? 1.0 - (double)c->beyond / (double)c->households : 0;
    sg__fmt_num(pct, sizeof pct, 100 * cov, 1);
    sg__fmt_num(rad, sizeof rad, radius, 0);
    sg__buf_puts(b, "<li>");
    if (zh) {
        sg__buf_printf(
            b,
            "收集点覆盖率 <b>%s%%</b>：%lld 户中 <b>%lld 户</b>在服务"
            "半径",
            pct, c->households, c->beyond);
        if (radius > 0)
            sg__buf_printf(b, "（%s 米，%s）", rad,
                           network ? "按道路" : "按直线");
        sg__buf_printf(b, "之外，涉及 %lld 人", c->residents_beyond);
        if (c->nworst) {
            sg__buf_puts(b, "；半径外比例最高的村：");
            names(b, zh, c->worst, c->nworst, v_share);
        }
        sg__buf_puts(b, "。");
    } else {
        sg__buf_printf(b,
                       "Collection points cover <b>%s%%</b> of households: "
                       "<b>%lld</b> of %lld are beyond the radius",
                       pct, c->beyond, c->households);
        if (radius > 0)
            sg__buf_printf(b, " (%s m, %s)", rad,
                           network ? "by road" : "straight line");
        sg__buf_printf(b, ", %lld residents", c->residents_beyond);
        if (c->nworst) {
            sg__buf_puts(b, "; worst villages: ");
            names(b, zh, c->worst, c->nworst, v_share);
        }
        sg__buf_puts(b, ".");
    }
    sg__buf_puts(b, "</li>\n");
}

/* The staffing sentence. */
static void s_staffing(sg__buf *b, int zh, const sg__conclusion *c)
{
    sg__buf_puts(b, "<li>");
    if (!c->villages_short) {
        sg__buf_printf(
            b,
            zh ? "%lld 个村保洁员均已配齐（需 %lld 人，现 %lld 人）。"
               : "All %lld villages have their cleaners "
                 "(%lld needed, %lld present).",
            c->villages, c->required, c->current);
    } else if (zh) {
        sg__buf_printf(b,
                       "%lld 个村中 <b>%lld 个村</b>保洁员不足：需 %lld 人，现 "
                       "%lld 人，<b>缺 %lld 人</b>；缺口最大：",
                       c->villages, c->villages_short, c->required, c->current,
                       c->shortfall);
        names(b, zh, c->short_most, c->nshort, v_short);
        sg__buf_puts(b, "。");
    } else {
        sg__buf_printf(b,
                       "<b>%lld</b> of %lld villages are short of cleaners: "
                       "%lld needed, %lld present, <b>%lld missing</b>; "
                       "largest gaps: ",
                       c->villages_short, c->villages, c->required, c->current,
                       c->shortfall);
        names(b, zh, c->short_most, c->nshort, v_short);
        sg__buf_puts(b, ".");
    }
    sg__buf_puts(b, "</li>\n");
}

/* The ranking sentence: lists and changes. */
static void s_rank(sg__buf *b, int zh, const sg__conclusion *c)
{
    sg__buf_puts(b, "<li>");
    sg__buf_html(b, c->period);
    sg__buf_printf(b,
                   zh ? " 考核（%lld 个单位）：红榜 "
                      : " ranking (%lld units): "
                        "red list ",
                   c->ranked);
    if (c->nred)
        names(b, zh, c->red, c->nred, v_score);
    else
        sg__buf_puts(b, zh ? "无" : "none");
    sg__buf_puts(b, zh ? "；黑榜 " : "; black list ");
    if (c->nblack)
        names(b, zh, c->black, c->nblack, v_score);
    else
        sg__buf_puts(b, zh ? "无" : "none");
    sg__buf_puts(b, zh ? "。" : ". ");
    if (!c->compared) {
        sg__buf_puts(b, zh ? "本期无上期排名可比。"
                           : "No earlier period to "
                             "compare with.");
    } else if (zh) {
        sg__buf_printf(b, "与上期相比，%lld 个单位名次上升，%lld 个下降",
                       c->risers, c->fallers);
        if (c->best_riser.name[0])
            sg__buf_printf(b, "，上升最多：%s（%lld 位）", c->best_riser.name,
                           (long long)c->best_riser.value);
        sg__buf_puts(b, "。");
    } else {
        sg__buf_printf(b,
                       "Since the last period %lld units moved up and "
                       "%lld down",
                       c->risers, c->fallers);
        if (c->best_riser.name[0])
            sg__buf_printf(b, "; most: %s (%lld places)", c->best_riser.name,
                           (long long)c->best_riser.value);
        sg__buf_puts(b, ".");
    }
    sg__buf_puts(b, "</li>\n");
}

/* The grid problems sentence. */
static void s_issues(sg__buf *b, int zh, const sg__conclusion *c)
{
    sg__buf_puts(b, "<li>");
    if (!c->gaps && !c->overlaps && !c->no_leader && !c->outside && !c->several)
        sg__buf_puts(b, zh ? "网格检查未发现问题。"
                           : "The grid check found no problem.");
    else if (zh)
        sg__buf_printf(
            b,
            "网格检查发现：%lld 处空白、%lld 处重叠、<b>%lld 个网格无"
            "网格长</b>、%lld 户不在任何网格内、%lld 户同属多个网格。",
            c->gaps, c->overlaps, c->no_leader, c->outside, c->several);
    else
        sg__buf_printf(b,
                       "The grid check found %lld gaps, %lld overlaps, "
                       "<b>%lld grids without a leader</b>, %lld households "
                       "in no grid and %lld in several.",
                       c->gaps, c->overlaps, c->no_leader, c->outside,
                       c->several);
    sg__buf_puts(b, "</li>\n");
}

sg_status sg__report_conclusion(sg_ctx *ctx, sg_store *store, const char *lang,
                                sg__buf *b)
{
    int zh = strcmp(lang, "en") != 0;
    char buf[64];
    char *params = NULL;
    double radius = 0;
    int network = 1;
    sg_status st = sg__store_last_run(ctx, store, "coverage", NULL, &params);
    if (st)
        return st;
    if (params && sg__json_scalar(params, "radius_m", buf, sizeof buf))
        radius = strtod(buf, NULL);
    if (params && sg__json_scalar(params, "metric_used", buf, sizeof buf))
        network = strcmp(buf, "euclid") != 0;
    free(params);
    sg__conclusion c;
    if ((st = sg__store_conclusion(ctx, store, network, &c)))
        return st;
    sg__buf_printf(b,
                   "<section id=\"conclusion\"><h2>%s</h2>\n<ul class=\""
                   "concl\">\n",
                   sg__tr(lang, "conclusion"));
    if (c.have_coverage)
        s_coverage(b, zh, &c, radius, network);
    if (c.have_staffing)
        s_staffing(b, zh, &c);
    if (c.have_rank)
        s_rank(b, zh, &c);
    if (c.have_issues)
        s_issues(b, zh, &c);
    if (!c.have_coverage && !c.have_staffing && !c.have_rank && !c.have_issues)
        sg__buf_printf(b, "<li>%s</li>\n", sg__tr(lang, "no_analyses"));
    sg__buf_puts(b, "</ul></section>\n");
    return SG_OK;
}
