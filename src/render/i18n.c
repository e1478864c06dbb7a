/* The words on maps and in the report, in Chinese and English (DOMAIN.md
 * glossary), and the small text helpers both use: a growable buffer with
 * HTML escaping and locale-independent number formatting.
 * Not for: words inside styles (their rules carry their own: Title in
 * Chinese, Abstract in English; see styles/README.md).
 * SPDX-License-Identifier: MIT */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "render/render_int.h"

/* X(key, Chinese, English). Column names of result tables are keys too,
 * so that report tables get their headings here. */
#define SG_TEXT_MAP(X)                                                                          \
    X("legend", "图例", "Legend")                                                               \
    X("date", "制图日期", "Date")                                                               \
    X("data", "数据", "Data")                                                                   \
    X("crs", "坐标系", "CRS")                                                                   \
    X("scale", "比例尺", "Scale")                                                               \
    X("north", "北", "N")                                                                       \
    X("m", "米", "m")                                                                           \
    X("km", "千米", "km")                                                                       \
    X("report_title", "农村人居环境网格化管理报告",                                             \
      "Rural sanitation grid report")                                                           \
    X("generated", "生成日期", "Date")                                                          \
    X("store", "数据库", "Store")                                                               \
    X("overview", "概况", "Overview")                                                           \
    X("conclusion", "结论", "Conclusion")                                                       \
    X("layer", "图层", "Layer")                                                                 \
    X("rows", "数量", "Count")                                                                  \
    X("sec_grids", "网格检查：空白与重叠", "Grid check: gaps and overlaps")                     \
    X("sec_coverage", "收集点覆盖", "Coverage by collection points")                            \
    X("sec_staffing", "保洁员配置", "Cleaner staffing")                                         \
    X("sec_allocation", "保洁员责任区", "Cleaners' service areas")                              \
    X("sec_plan", "网格划分方案", "Proposed grids")                                             \
    X("sec_sites", "新增收集点建议", "Proposed collection points")                              \
    X("sec_ranking", "考核排名与红黑榜", "Ranking, red and black lists")                        \
    X("sec_routes", "垃圾收运路线", "Collection routes")                                        \
    X("route_townships", "各乡镇收运车辆与里程",                                                \
      "Vehicles and distance per township")                                                     \
    X("route_trips", "各趟收运路线", "Collection trips")                                        \
    X("sec_runs", "分析运行记录", "Analysis runs")                                              \
    X("grid_issues", "网格问题清单", "Grid issues")                                             \
    X("worst_villages", "覆盖最差的村", "Villages with the worst coverage")                     \
    X("grid_coverage", "各网格覆盖情况", "Coverage by grid")                                    \
    X("largest_blind", "最大的盲区", "Largest blind spots")                                     \
    X("no_rows", "无", "None")                                                                  \
    X("started_at", "时间", "Time")                                                             \
    X("command", "命令", "Command")                                                             \
    X("seconds", "耗时（秒）", "Seconds")                                                       \
    X("params", "参数", "Parameters")                                                           \
    X("counts", "结果", "Results")                                                              \
    X("sort_hint", "点击表头可排序。", "Click a column heading to sort.")                       \
    X("attribution", "数据来源", "Data")                                                        \
    X("made_with", "由 sanigrid 生成", "Made with sanigrid")                                    \
    X("layer_title_divisions", "行政区划", "Divisions")                                         \
    X("layer_title_grids", "网格", "Grids")                                                     \
    X("layer_title_roads", "道路", "Roads")                                                     \
    X("layer_title_points", "环卫设施", "Sanitation points")                                    \
    X("layer_title_households", "农户", "Households")                                           \
    X("layer_title_cleaners", "保洁员", "Cleaners")                                             \
    X("layer_title_inspections", "检查记录", "Inspections")                                     \
    X("kind", "类型", "Kind")                                                                   \
    X("codes", "编码", "Codes")                                                                 \
    X("detail", "说明", "Detail")                                                               \
    X("value", "数值", "Value")                                                                 \
    X("level", "级别", "Level")                                                                 \
    X("name", "名称", "Name")                                                                   \
    X("unit_type", "单位类型", "Unit type")                                                     \
    X("unit_code", "单位编码", "Unit code")                                                     \
    X("division_code", "区划代码", "Division code")                                             \
    X("division_codes", "区划代码", "Division codes")                                           \
    X("grid_code", "网格编码", "Grid code")                                                     \
    X("grid_codes", "网格编码", "Grid codes")                                                   \
    X("households", "户数", "Households")                                                       \
    X("residents", "常住人口", "Residents")                                                     \
    X("covered_network_share", "覆盖率（沿道路）", "Covered (by road)")                         \
    X("covered_euclid_share", "覆盖率（直线）", "Covered (straight line)")                      \
    X("unreachable", "无法到达", "Unreachable")                                                 \
    X("points_inside", "收集点数", "Points")                                                    \
    X("residents_per_point", "每点服务人口", "Residents per point")                             \
    X("farthest_household_id", "最远农户", "Farthest household")                                \
    X("farthest_m", "最远距离（米）", "Farthest (m)")                                           \
    X("blind_spot_id", "盲区编号", "Blind spot")                                                \
    X("area_m2", "面积（平方米）", "Area (m²)")                                                 \
    X("rank", "名次", "Rank")                                                                   \
    X("previous_rank", "上期名次", "Previous rank")                                             \
    X("rank_change", "名次变化", "Rank change")                                                 \
    X("score", "得分", "Score")                                                                 \
    X("tier", "等次", "Tier")                                                                   \
    X("shortfall", "缺口", "Shortfall")                                                         \
    X("need", "应配", "Needed")                                                                 \
    X("existing", "现有", "Existing")                                                           \
    X("cleaner_id", "保洁员编号", "Cleaner")                                                    \
    X("road_m", "道路长度（米）", "Road length (m)")                                            \
    X("road_km", "道路里程（千米）", "Roads (km)")                                              \
    X("road_km_major", "干线道路（千米）", "Major roads (km)")                                  \
    X("road_km_village", "村道（千米）", "Village roads (km)")                                  \
    X("road_km_lane", "巷道（千米）", "Lanes (km)")                                             \
    X("need_population", "按人口应配", "Needed for residents")                                  \
    X("need_road", "按道路应配", "Needed for roads")                                            \
    X("required", "应配人数", "Required")                                                       \
    X("current", "现有人数", "Current")                                                         \
    X("surplus", "富余", "Surplus")                                                             \
    X("mode", "计算方式", "Mode")                                                               \
    X("road_km_outside_major", "居民点外干线道路（千米）",                                      \
      "Major roads outside settlements (km)")                                                   \
    X("road_km_outside_village", "居民点外村道（千米）",                                        \
      "Village roads outside settlements (km)")                                                 \
    X("parent_code", "上级编码", "Parent code")                                                 \
    X("perimeter_m", "周长（米）", "Perimeter (m)")                                             \
    X("polsby_popper", "紧凑度（Polsby-Popper）",                                               \
      "Compactness (Polsby-Popper)")                                                            \
    X("parts", "组成部分", "Parts")                                                             \
    X("within_code", "排名范围代码", "Ranked within (code)")                                    \
    X("within_name", "排名范围", "Ranked within")                                               \
    X("period", "考核周期", "Period")                                                           \
    X("coverage", "覆盖率指标", "Coverage")                                                     \
    X("staffing", "保洁员配置指标", "Staffing")                                                 \
    X("toilets", "卫生厕所指标", "Sanitary toilets")                                            \
    X("inspection", "检查得分", "Inspection score")                                             \
    X("inspections", "检查次数", "Inspections")                                                 \
    X("trend", "较上期变化", "Trend")                                                           \
    X("missing", "缺失指标", "Missing")                                                         \
    X("rank_within", "范围内名次", "Rank within")                                               \
    X("band", "奖惩档次", "Band")                                                               \
    X("amount_village", "村奖惩金额", "Amount (village)")                                       \
    X("amount_cadre", "包村干部奖惩金额", "Amount (cadre)")                                     \
    X("candidate_id", "候选点", "Candidate")                                                    \
    X("households_new", "新增覆盖户数", "Households newly covered")                             \
    X("residents_new", "新增覆盖人口", "Residents newly covered")                               \
    X("village", "所在村", "Village")                                                           \
    X("method", "方法", "Method")                                                               \
    X("status", "状态", "Status")                                                               \
    X("workload", "工作量", "Workload")                                                         \
    X("compactness", "紧凑度", "Compactness")                                                   \
    X("gap", "空白区", "gap")                                                                   \
    X("overlap", "重叠区", "overlap")                                                           \
    X("sliver", "碎片", "sliver")                                                               \
    X("no_leader", "无网格长", "no grid leader")                                                \
    X("household_outside", "农户不在任何网格内", "household in no grid")                        \
    X("household_in_several", "农户属于多个网格",                                               \
      "household in several grids")                                                             \
    X("duplicate_code", "网格编码重复", "duplicate grid code")                                  \
    X("bad_code", "网格编码不规范", "grid code breaks the rules")                               \
    X("hierarchy", "层级错误", "hierarchy error")                                               \
    X("division", "行政区划", "division")                                                       \
    X("grid", "网格", "grid")                                                                   \
    X("township", "乡镇", "township")                                                           \
    X("admin_village", "行政村", "administrative village")                                      \
    X("natural_village", "自然村", "natural village")                                           \
    X("red", "红榜", "red list")                                                                \
    X("black", "黑榜", "black list")                                                            \
    X("last_run", "最近一次运行", "Last run")                                                   \
    X("hist_title", "各期检查得分", "Inspection scores by period")                              \
    X("sec_webmap", "交互地图", "Interactive map")                                              \
    X("wm_hint",                                                                                \
      "拖动平移，滚轮或按钮缩放，右上角开关图层；点击村查看名次、" \
      "得分、红黑榜、覆盖率和保洁员配置。",                                                     \
      "Drag to pan, scroll or use the buttons to zoom, switch layers at the "                   \
      "top right; click a village for its rank, score, list, coverage and "                     \
      "cleaners.")                                                                              \
    X("wm_villages", "行政村", "Villages")                                                      \
    X("wm_grids", "网格", "Grids")                                                              \
    X("wm_points", "收集点", "Collection points")                                               \
    X("wm_households", "农户（六边形汇总）", "Households (hexagons)")                           \
    X("wm_rank", "名次", "Rank")                                                                \
    X("wm_score", "得分", "Score")                                                              \
    X("wm_list", "红黑榜", "List")                                                              \
    X("wm_coverage", "覆盖率", "Coverage")                                                      \
    X("wm_staffing", "保洁员", "Cleaners")                                                      \
    X("wm_need", "需", "need")                                                                  \
    X("wm_have", "现", "have")                                                                  \
    X("wm_short", "缺", "short")                                                                \
    X("wm_code", "编码", "Code")                                                                \
    X("wm_hh", "户数", "Households")                                                            \
    X("wm_residents", "人口", "Residents")                                                      \
    X("wm_none", "未上榜", "none")                                                              \
    X("contents", "目录", "Contents")                                                           \
    X("run_id", "编号", "Run")                                                                  \
    X("no_analyses",                                                                            \
      "数据库中还没有分析结果：先运行 sanigrid check、"                         \
      "sanigrid coverage 等命令。",                                                             \
      "The store holds no analysis results yet: run sanigrid check, "                           \
      "sanigrid coverage and the like first.")

typedef struct text_entry {
    const char *key, *zh, *en;
} text_entry;

static const text_entry texts[] = {
#define SG__TEXT_ENTRY(k, z, e) {k, z, e},
    SG_TEXT_MAP(SG__TEXT_ENTRY)
#undef SG__TEXT_ENTRY
};

/* \return the entry for \p key, or NULL. */
static const text_entry *find_text(const char *key)
{
    for (size_t i = 0; key && i < sizeof texts / sizeof texts[0]; i++)
        if (strcmp(texts[i].key, key) == 0)
            return &texts[i];
    return NULL;
}

const char *sg__tr(const char *lang, const char *key)
{
    const text_entry *t = find_text(key);
    if (!t)
        return key;
    return lang && strcmp(lang, "en") == 0 ? t->en : t->zh;
}

int sg__tr_has(const char *key)
{
    return find_text(key) != NULL;
}

void sg__today(char *buf, size_t size)
{
    time_t now = time(NULL);
    struct tm tmv;
    if (localtime_r(&now, &tmv) && strftime(buf, size, "%Y-%m-%d", &tmv))
        return;
    if (size)
        buf[0] = '\0';
}

/* ---- growable buffer --------------------------------------------------------
 */

/* Make room for \p more bytes plus a NUL. \return 1, or 0 on failure. */
static int reserve(sg__buf *b, size_t more)
{
    if (b->failed)
        return 0;
    if (b->len + more + 1 <= b->cap)
        return 1;
    size_t nc = b->cap ? b->cap : 4096;
    while (nc < b->len + more + 1)
        nc *= 2;
    char *nd = realloc(b->data, nc);
    if (!nd) {
        b->failed = 1;
        return 0;
    }
    b->data = nd;
    b->cap = nc;
    return 1;
}

void sg__buf_add(sg__buf *b, const char *s, size_t len)
{
    if (!reserve(b, len))
        return;
    memcpy(b->data + b->len, s, len);
    b->len += len;
    b->data[b->len] = '\0';
}

void sg__buf_puts(sg__buf *b, const char *s)
{
    if (s)
        sg__buf_add(b, s, strlen(s));
}

void sg__buf_printf(sg__buf *b, const char *fmt, ...)
{
    va_list ap;
    char small[512];
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->failed = 1;
        return;
    }
    if ((size_t)n < sizeof small) {
        sg__buf_add(b, small, (size_t)n);
        return;
    }
    if (!reserve(b, (size_t)n))
        return;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void sg__buf_html(sg__buf *b, const char *s)
{
    for (const char *p = s; p && *p; p++) {
        switch (*p) {
        case '&': sg__buf_puts(b, "&amp;"); break;
        case '<': sg__buf_puts(b, "&lt;"); break;
        case '>': sg__buf_puts(b, "&gt;"); break;
        case '"': sg__buf_puts(b, "&quot;"); break;
        case '\'': sg__buf_puts(b, "&#39;"); break;
        default: sg__buf_add(b, p, 1);
        }
    }
}

void sg__fmt_grouped(char *buf, size_t size, double v)
{
    char digits[64];
    sg__fmt_num(digits, sizeof digits, v, 0);
    const char *d = digits[0] == '-' ? digits + 1 : digits;
    size_t len = strlen(d), o = 0;
    if (!size)
        return;
    if (d != digits && o + 1 < size)
        buf[o++] = '-';
    for (size_t i = 0; i < len && o + 2 < size; i++) {
        if (i && (len - i) % 3 == 0)
            buf[o++] = ' ';
        buf[o++] = d[i];
    }
    buf[o] = '\0';
}

void sg__fmt_num(char *buf, size_t size, double v, int decimals)
{
    snprintf(buf, size, "%.*f", decimals, v);
    /* whatever LC_NUMERIC says, the decimal mark is '.' (STYLE rule 33) */
    for (char *p = buf; *p; p++)
        if (*p == ',')
            *p = '.';
    if (strcmp(buf, "-0") == 0)
        snprintf(buf, size, "0");
}
