/* The field dictionary (include/sanigrid/fields.h, data/dictionary/
 * fields.csv): lookups by layer and field, the "*" fallback, value labels,
 * every input layer's column listed (checked against a new store's
 * schema), and the QGIS .qml aliases and value maps made from it.
 * SPDX-License-Identifier: MIT */
#include "helpers.h"

#include <stdio.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <sqlite3.h>

#include "sanigrid/fields.h"

static void test_lookups(void **state)
{
    (void)state;
    assert_string_equal(sg_field_header("households", "household_toilet", "zh"),
                        "户厕");
    assert_string_equal(sg_field_header("households", "household_toilet", NULL),
                        "户厕");
    assert_string_equal(sg_field_header("households", "household_toilet", "en"),
                        "Household toilet");
    assert_string_equal(sg_field_value_label("households", "household_toilet",
                                             "sanitary", "zh"),
                        "卫生厕所");
    assert_string_equal(sg_field_value_label("households", "household_toilet",
                                             "unsanitary", NULL),
                        "旱厕");
    assert_null(sg_field_value_label("households", "household_toilet",
                                     "sanitary", "en"));
    assert_null(sg_field_value_label("households", "household_toilet",
                                     "sanitar", "zh")); /* no prefix match */
    assert_string_equal(sg_field_value_label("rankings", "tier", "red", "zh"),
                        "红榜");
    assert_string_equal(sg_field_value_label("rankings", "tier", "black", "zh"),
                        "黑榜");
    assert_string_equal(
        sg_field_value_label("divisions", "level", "admin_village", "zh"),
        "行政村");
    assert_string_equal(
        sg_field_value_label("service_areas", "status", "planned", "zh"),
        "拟增");
    assert_string_equal(
        sg_field_value_label("site_proposals", "method", "exact", "zh"),
        "精确解");
    assert_string_equal(sg_field_unit("coverage", "network_m"), "米");
    assert_null(sg_field_unit("coverage", "household_id"));
    /* a layer the dictionary does not list falls back to "*" entries */
    assert_string_equal(sg_field_header("no_such_layer", "division_code", "zh"),
                        "区划代码");
    assert_null(sg_field_header("households", "no_such_field", "zh"));
    assert_null(sg_field_header(NULL, NULL, NULL));
    assert_null(sg_field_name("no_such_layer", 0));
    assert_string_equal(sg_field_name("divisions", 0), "fid");
}

/* Every column of every input layer of a new store (its schema is the
 * migrations', not the dictionary's) has a Chinese and an English header,
 * and the dictionary lists exactly those columns for the layer. */
static void test_input_layers_complete(void **state)
{
    (void)state;
    sg_ctx *ctx = sg_ctx_new();
    sg_store *s = NULL;
    const char *path = sg_test_path("fields.sqlite");
    remove(path);
    assert_sg_status(ctx, sg_store_create(ctx, path, 32632, &s), SG_OK);
    sg_store_close(s);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL),
                     SQLITE_OK);
    for (const char *const *l = sg_input_layer_names(); *l; l++) {
        char sql[256];
        snprintf(sql, sizeof sql, "SELECT name FROM pragma_table_info('%s')",
                 *l);
        sqlite3_stmt *st = NULL;
        assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
        size_t i = 0;
        while (sqlite3_step(st) == SQLITE_ROW) {
            const char *col = (const char *)sqlite3_column_text(st, 0);
            const char *listed = sg_field_name(*l, i++);
            if (!listed || strcmp(listed, col))
                fail_msg("%s.%s: dictionary lists %s at %zu", *l, col,
                         listed ? listed : "nothing", i - 1);
            const char *zh = sg_field_header(*l, col, "zh");
            const char *en = sg_field_header(*l, col, "en");
            if (!zh || !en || !*zh || !*en)
                fail_msg("%s.%s has no header", *l, col);
        }
        assert_null(sg_field_name(*l, i));
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    sg_ctx_free(ctx);
}

/* The households .qml carries the Chinese aliases and the value map of
 * household_toilet, which QGIS shows in its attribute table and forms. */
static void test_qml_aliases(void **state)
{
    (void)state;
    sg_ctx *ctx = sg_ctx_new();
    const char *path = sg_test_path("households.qml");
    assert_sg_status(ctx, sg_style_write_qml(ctx, "households", path), SG_OK);
    xmlDocPtr doc = xmlReadFile(path, NULL, XML_PARSE_NONET);
    assert_non_null(doc);
    xmlXPathContextPtr xp = xmlXPathNewContext(doc);
    static const char *const want[][2] = {
        {"//aliases/alias[@field='household_toilet']/@name", "户厕"},
        {"//aliases/alias[@field='resident_population']/@name", "常住人口"},
        {"//fieldConfiguration/field[@name='household_toilet']/editWidget/"
         "@type",
         "ValueMap"},
        {"//field[@name='household_toilet']//Option[@value='sanitary']/@name",
         "卫生厕所"},
        {"//field[@name='household_toilet']//Option[@value='none']/@name",
         "无厕所"},
        {"/qgis/@styleCategories", "Symbology|Labeling|Fields|Forms"},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        xmlXPathObjectPtr o = xmlXPathEvalExpression(BAD_CAST want[i][0], xp);
        assert_non_null(o);
        if (!o->nodesetval || o->nodesetval->nodeNr != 1)
            fail_msg("%s: %d nodes", want[i][0],
                     o->nodesetval ? o->nodesetval->nodeNr : 0);
        xmlChar *v = xmlNodeGetContent(o->nodesetval->nodeTab[0]);
        assert_string_equal((const char *)v, want[i][1]);
        xmlFree(v);
        xmlXPathFreeObject(o);
    }
    xmlXPathFreeContext(xp);
    xmlFreeDoc(doc);
    sg_ctx_free(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lookups),
        cmocka_unit_test(test_input_layers_complete),
        cmocka_unit_test(test_qml_aliases),
    };
    sg_library_init();
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    sg_library_shutdown();
    xmlCleanupParser();
    return rc;
}
