/* The registry of input layers and their fields: names, types, which
 * field is the id, which are personal, which an import cannot do without
 * (SG_F_ESSENTIAL: analyses would be wrong; issue 14), and the source
 * column names
 * recognised without --map (DOMAIN.md glossary). It must agree with
 * data/sql/0001_init.sql; tests/unit/test_store.c checks that it does.
 * SPDX-License-Identifier: MIT */
#include <string.h>

#include "store/store_sqlite_int.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const sg__field_def division_fields[] = {
    {"division_code", SG_FT_TEXT, SG_F_ID | SG_F_REQUIRED | SG_F_ESSENTIAL,
     "division_code|div_code|code|区划代码|行政区划代码|统计用区划代码|村编码|"
     "村代码|编码|代码",
     NULL},
    {"name", SG_FT_TEXT, 0, "name|名称|村名|村名称|行政村|单位名称", NULL},
    {"level", SG_FT_TEXT, SG_F_ESSENTIAL, "level|级别|层级|类型",
     "county|township|admin_village|natural_village|group"},
    {"parent_code", SG_FT_TEXT, 0,
     "parent_code|parent|上级代码|上级编码|所属乡镇代码", NULL},
};

static const sg__field_def grid_fields[] = {
    {"grid_code", SG_FT_TEXT, SG_F_ID | SG_F_REQUIRED | SG_F_ESSENTIAL,
     "grid_code|code|网格编码|网格代码|网格编号|编码|代码", NULL},
    {"name", SG_FT_TEXT, 0, "name|名称|网格名称", NULL},
    {"level", SG_FT_INT, 0, "level|级别|层级|网格级别", "1|2|3"},
    {"parent_code", SG_FT_TEXT, 0, "parent_code|parent|上级网格|上级编码",
     NULL},
    {"division_code", SG_FT_TEXT, SG_F_ESSENTIAL,
     "division_code|div_code|区划代码|村编码|村代码|所属村", NULL},
    {"grid_leader", SG_FT_TEXT, SG_F_PERSONAL,
     "grid_leader|leader|网格长|网格员|负责人", NULL},
    {"phone", SG_FT_TEXT, SG_F_PERSONAL, "phone|tel|电话|联系电话|手机|手机号",
     NULL},
};

static const sg__field_def road_fields[] = {
    {"road_id", SG_FT_TEXT, SG_F_ID | SG_F_REQUIRED,
     "road_id|id|osm_id|道路编码|道路编号|编码|编号", NULL},
    {"name", SG_FT_TEXT, 0, "name|名称|道路名称|路名", NULL},
    {"class", SG_FT_TEXT, SG_F_WANTED, "class|highway|等级|道路等级|类型|类别",
     "national|provincial|county|township|village|lane|other"},
    {"surface", SG_FT_TEXT, 0, "surface|路面|路面类型", NULL},
    {"cleaner_id", SG_FT_TEXT, 0, "cleaner_id|cleaner|保洁员编号|保洁员编码",
     NULL},
};

static const sg__field_def point_fields[] = {
    {"point_id", SG_FT_TEXT, SG_F_ID | SG_F_REQUIRED,
     "point_id|id|设施编号|设施编码|编号|编码|candidate_id|cand_id|候选点",
     NULL},
    {"kind", SG_FT_TEXT, SG_F_ESSENTIAL, "kind|amenity|类型|设施类型|类别",
     "collection_point|bin|transfer_station|public_toilet|treatment_plant|"
     "other"},
    {"name", SG_FT_TEXT, 0, "name|名称|设施名称", NULL},
    {"capacity", SG_FT_REAL, 0, "capacity|容量|规模", NULL},
    {"division_code", SG_FT_TEXT, 0,
     "division_code|div_code|区划代码|村编码|村代码", NULL},
};

static const sg__field_def household_fields[] = {
    {"household_id", SG_FT_TEXT, SG_F_ID | SG_F_REQUIRED,
     "household_id|hh_id|id|户编号|户号|农户编号|编号", NULL},
    {"household_head", SG_FT_TEXT, SG_F_PERSONAL,
     "household_head|hh_head|head|户主|户主姓名|姓名", NULL},
    {"phone", SG_FT_TEXT, SG_F_PERSONAL, "phone|tel|电话|联系电话|手机|手机号",
     NULL},
    {"address", SG_FT_TEXT, 0, "address|地址|住址|门牌|门牌号", NULL},
    {"resident_population", SG_FT_INT, SG_F_ESSENTIAL,
     "resident_population|res_pop|residents|population|常住人口|人口|人数|"
     "常住人数",
     NULL},
    {"registered_population", SG_FT_INT, 0,
     "registered_population|reg_pop|户籍人口|户籍人数", NULL},
    {"household_toilet", SG_FT_TEXT, 0,
     "household_toilet|toilet|户厕|厕所|户厕类型|厕所类型",
     "sanitary|unsanitary|none"},
    {"group_name", SG_FT_TEXT, 0,
     "group_name|group|村民小组|小组|组|社|所属小组", NULL},
    {"cleaner_id", SG_FT_TEXT, 0, "cleaner_id|cleaner|保洁员编号|保洁员编码",
     NULL},
};

static const sg__field_def cleaner_fields[] = {
    {"cleaner_id", SG_FT_TEXT, SG_F_ID | SG_F_REQUIRED,
     "cleaner_id|cleaner|id|保洁员编号|保洁员编码|编号", NULL},
    {"name", SG_FT_TEXT, SG_F_PERSONAL, "name|姓名|保洁员|保洁员姓名", NULL},
    {"phone", SG_FT_TEXT, SG_F_PERSONAL, "phone|tel|电话|联系电话|手机|手机号",
     NULL},
    {"division_code", SG_FT_TEXT, 0,
     "division_code|div_code|区划代码|村编码|村代码|所属村", NULL},
};

static const sg__field_def inspection_fields[] = {
    {"date", SG_FT_TEXT, SG_F_REQUIRED, "date|日期|检查日期|时间", NULL},
    {"unit_code", SG_FT_TEXT, SG_F_REQUIRED,
     "unit_code|code|村/网格编码|村编码|网格编码|编码|单位编码|代码|"
     "unit|unit_name|村/网格名称|村/网格|被检查单位|检查对象|单位名称|单位|"
     "网格名称|村名称|村名|名称|网格|村",
     NULL},
    {"score", SG_FT_REAL, 0, "score|得分|分数|评分", NULL},
    {"inspector", SG_FT_TEXT, SG_F_PERSONAL, "inspector|检查人|检查人员", NULL},
    {"notes", SG_FT_TEXT, 0, "notes|note|备注|说明", NULL},
    {"item", SG_FT_TEXT, 0,
     "item|finding|检查项目|检查内容|扣分项目|扣分项|扣分事项|存在问题|问题",
     NULL},
    {"deduction", SG_FT_REAL, 0,
     "deduction|points_deducted|扣分|扣分值|扣除分数|扣除分值", NULL},
};

static const sg__layer_def layer_defs[] = {
    {"divisions", "MULTIPOLYGON", 1, division_fields, N(division_fields)},
    {"grids", "MULTIPOLYGON", 0, grid_fields, N(grid_fields)},
    {"roads", "LINESTRING", 1, road_fields, N(road_fields)},
    {"points", "POINT", 1, point_fields, N(point_fields)},
    {"households", "POINT", 1, household_fields, N(household_fields)},
    {"cleaners", "POINT", 1, cleaner_fields, N(cleaner_fields)},
    {"inspections", NULL, 0, inspection_fields, N(inspection_fields)},
};

static const char *const input_names[] = {
    "divisions",  "grids",    "roads",       "points",
    "households", "cleaners", "inspections", NULL};

const char *const *sg_input_layer_names(void)
{
    return input_names;
}

const sg__layer_def *sg__layer_def_find(const char *name)
{
    if (!name)
        return NULL;
    for (size_t i = 0; i < N(layer_defs); i++)
        if (strcmp(layer_defs[i].name, name) == 0)
            return &layer_defs[i];
    return NULL;
}

const sg__field_def *sg__layer_id_field(const sg__layer_def *def)
{
    for (size_t i = 0; def && i < def->nfields; i++)
        if (def->fields[i].flags & SG_F_ID)
            return &def->fields[i];
    return NULL;
}

int sg__field_is_personal(const char *layer, const char *field)
{
    const sg__layer_def *def = sg__layer_def_find(layer);
    for (size_t i = 0; def && i < def->nfields; i++)
        if (strcmp(def->fields[i].name, field) == 0)
            return (def->fields[i].flags & SG_F_PERSONAL) != 0;
    return 0;
}
