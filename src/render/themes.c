/* The map themes: for each answer sanigrid gives, which layers a map of it
 * draws (bottom to top), with which built-in style, which of them it
 * cannot do without, which of them frame the map (SG__TL_EXTENT: the
 * data the map is about, never the divisions around them, which would
 * leave the map half empty when the data cover part of the township),
 * and what to run when one is missing. A new analysis
 * adds one entry here and its styles in styles/.
 * Not for: drawing or reading layers (map.c, layers.c).
 * SPDX-License-Identifier: MIT */
#include <string.h>

#include "render/render_int.h"

/* Hints for the message about a missing layer. */
#define IMPORT_HINT(l) "import it first (`sanigrid import DB " l " FILE`)"
#define RUN_HINT(c) "run `sanigrid " c "` first"
/* A context layer: drawn when the store has it. */
#define CONTEXT(l, s)                                                          \
    {                                                                          \
        l, s, 0, NULL, NULL, NULL, NULL                                        \
    }

/* Indexed by sg_render_theme. */
static const sg__theme themes[] = {
    {"grids",
     "网格划分与拓扑检查",
     "Grids, gaps and overlaps",
     {{"grids", "grids", SG__TL_REQUIRED | SG__TL_MAIN | SG__TL_EXTENT,
       IMPORT_HINT("grids"), NULL, NULL, NULL},
      CONTEXT("roads", "roads"),
      {"grid_gaps", "grid_gaps", SG__TL_REQUIRED | SG__TL_EXTENT,
       RUN_HINT("check"), NULL, NULL, NULL},
      {"grid_overlaps", "grid_overlaps", SG__TL_REQUIRED | SG__TL_EXTENT,
       RUN_HINT("check"), NULL, NULL, NULL},
      CONTEXT("divisions", "divisions"),
      /* grids without a leader (check's grid_issues, kind no_leader) on
       * their grid's shape; on top, so their 无网格长 is placed before
       * the villages' names */
      {"grid_issues", "grid_no_leader", 0, NULL, "grids", "grid_code",
       "codes"}}},
    {"coverage",
     "收集点覆盖情况",
     "Coverage by collection points",
     {{"blind_spots", "blind_spots", SG__TL_REQUIRED | SG__TL_EXTENT,
       RUN_HINT("coverage"), NULL, NULL, NULL},
      CONTEXT("roads", "roads"),
      CONTEXT("divisions", "divisions"),
      {"points", "service_radius", SG__TL_RADIUS, NULL, NULL, NULL, NULL},
      {"coverage", "coverage", SG__TL_REQUIRED | SG__TL_MAIN | SG__TL_EXTENT,
       RUN_HINT("coverage"), NULL, NULL, NULL},
      CONTEXT("points", "points"),
      /* each village's households beyond the radius, on top so that the
       * label is placed before the village's name */
      {"coverage_stats", "coverage_villages", 0, NULL, "divisions",
       "division_code", "unit_code"}}},
    /* the themes below draw the layers of staffing, allocate, plan, site
     * and rank; their styles name the columns those analyses write (see
     * styles/README.md; tests/cli/render.sh draws them from the demo) */
    {"staffing",
     "保洁员配置缺口",
     "Cleaner staffing shortfall",
     {{"staffing", "staffing", SG__TL_REQUIRED | SG__TL_MAIN | SG__TL_EXTENT,
       RUN_HINT("staffing"), "divisions", "division_code", "division_code"},
      CONTEXT("roads", "roads"),
      CONTEXT("divisions", "divisions"),
      CONTEXT("cleaners", "cleaners")}},
    {"allocation",
     "保洁员责任区",
     "Cleaners' service areas",
     {{"service_areas", "service_areas",
       SG__TL_REQUIRED | SG__TL_MAIN | SG__TL_EXTENT | SG__TL_COLOR,
       RUN_HINT("allocate"), NULL, NULL, NULL},
      CONTEXT("roads", "roads"),
      {"cleaner_roads", "cleaner_roads",
       SG__TL_REQUIRED | SG__TL_COLOR | SG__TL_EXTENT, RUN_HINT("allocate"),
       NULL, NULL, NULL},
      CONTEXT("divisions", "divisions"),
      CONTEXT("cleaners", "cleaners")}},
    {"plan",
     "网格划分方案",
     "Proposed grids",
     {{"planned_grids", "planned_grids",
       SG__TL_REQUIRED | SG__TL_MAIN | SG__TL_EXTENT, RUN_HINT("plan"), NULL,
       NULL, NULL},
      CONTEXT("roads", "roads"),
      CONTEXT("grids", "grids_existing"),
      /* framed on the planned grids (often one village), not on every
       * division: a township frame leaves the map half empty and the
       * smaller grids too small for their labels */
      CONTEXT("divisions", "divisions")}},
    {"sites",
     "新增收集点建议",
     "Proposed collection points",
     {CONTEXT("roads", "roads"),
      CONTEXT("divisions", "divisions"),
      /* framed on the households and points the proposals serve */
      {"households", "households", SG__TL_EXTENT, NULL, NULL, NULL, NULL},
      {"points", "points", SG__TL_EXTENT, NULL, NULL, NULL, NULL},
      {"site_proposals", "site_proposals",
       SG__TL_REQUIRED | SG__TL_MAIN | SG__TL_EXTENT, RUN_HINT("site"), NULL,
       NULL, NULL}}},
    {"ranking",
     "考核排名与红黑榜",
     "Ranking, red and black lists",
     {{"rankings", "rankings", SG__TL_REQUIRED | SG__TL_MAIN | SG__TL_EXTENT,
       RUN_HINT("rank"), "divisions", "division_code", "unit_code"},
      CONTEXT("roads", "roads"),
      CONTEXT("divisions", "divisions")}},
    /* collection routes (村收集、镇转运): each trip along the roads in its
     * colour, the stops numbered in driving order, those not served
     * crossed; the transfer station among the points */
    {"routes",
     "垃圾收运路线",
     "Collection routes",
     {CONTEXT("roads", "roads"),
      CONTEXT("divisions", "divisions"),
      {"routes", "routes", SG__TL_REQUIRED | SG__TL_MAIN | SG__TL_EXTENT,
       RUN_HINT("route"), NULL, NULL, NULL},
      CONTEXT("points", "points"),
      {"route_stops", "route_stops", SG__TL_REQUIRED | SG__TL_EXTENT,
       RUN_HINT("route"), NULL, NULL, NULL}}},
    /* the map of a village sheet (sheets.c): not in theme_names, so not
     * listed as a --theme of `sanigrid render`; no context roads (the
     * village's are its cleaners' roads), so that the legend fits */
    {"village",
     "网格与保洁责任图",
     "Grids and cleaners' roads",
     {{"grids", "grids", SG__TL_REQUIRED | SG__TL_MAIN | SG__TL_EXTENT,
       IMPORT_HINT("grids"), NULL, NULL, NULL},
      CONTEXT("blind_spots", "blind_spots"),
      {"cleaner_roads", "cleaner_roads", SG__TL_COLOR, NULL, NULL, NULL, NULL},
      CONTEXT("divisions", "divisions"),
      CONTEXT("points", "points")}},
};

/* The names of `render --theme`: themes[] but village. */
static const char *const theme_names[] = {"grids",      "coverage", "staffing",
                                          "allocation", "plan",     "sites",
                                          "ranking",    "routes",   NULL};

#define NTHEMES ((int)(sizeof themes / sizeof themes[0]))

const sg__theme *sg__theme_get(sg_render_theme theme)
{
    return (int)theme >= 0 && (int)theme < NTHEMES ? &themes[theme] : NULL;
}

sg_status sg_render_theme_from_string(sg_ctx *ctx, const char *name,
                                      sg_render_theme *out)
{
    for (int i = 0; name && i < NTHEMES; i++)
        if (strcmp(themes[i].name, name) == 0) {
            *out = (sg_render_theme)i;
            return SG_OK;
        }
    return sg__error(ctx, SG_ERR_USAGE,
                     "unknown theme '%s' (grids, coverage, staffing, "
                     "allocation, plan, sites, ranking)",
                     name ? name : "");
}

const char *sg_render_theme_to_string(sg_render_theme theme)
{
    const sg__theme *t = sg__theme_get(theme);
    return t ? t->name : NULL;
}

const char *const *sg_render_theme_names(void)
{
    return theme_names;
}
