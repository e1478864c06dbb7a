/* Tests of the village sheets' API (sanigrid/sheets.h): a heap result
 * with _free, NULL when the call fails, on the demo's data (one village
 * asked for; its count and the PDF's pages checked against the store by
 * SQL and against the file itself). The drawing is tested by
 * tests/cli/sheets.sh.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "sanigrid/sheets.h"

static sg_ctx *ctx;

static int group_setup(void **state)
{
    (void)state;
    sg_library_init();
    ctx = sg_ctx_new();
    return ctx ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    sg_ctx_free(ctx);
    sg_library_shutdown();
    return 0;
}

/* Occurrences of \p needle in the \p len bytes at \p s. */
static int count_in(const char *s, size_t len, const char *needle)
{
    int n = 0;
    size_t k = strlen(needle);
    for (size_t i = 0; i + k <= len; i++)
        n += memcmp(s + i, needle, k) == 0;
    return n;
}

static void test_result(void **state)
{
    (void)state;
    sg_sheets_result_free(NULL);
    sg_sheets_options_free(NULL);
    static const char *const layers[] = {"divisions", "grids", "roads",
                                         "points"};
    sg_store *s = sg_test_store_new(ctx, "sheets.sqlite", 0);
    for (size_t i = 0; i < 4; i++) {
        char src[4096];
        snprintf(src, sizeof src, "%s/data/demo/%s.geojson",
                 sg_test_source_dir(), layers[i]);
        assert_sg_status(ctx, sg_import(ctx, s, layers[i], src, NULL, NULL),
                         SG_OK);
    }
    const char *db = sg_test_path("sheets.sqlite");
    char code[64];
    snprintf(code, sizeof code, "%s",
             sg_test_sql_text(db, "SELECT min(division_code) FROM divisions "
                                  "WHERE level = 'admin_village'"));
    char pdf[4096];
    snprintf(pdf, sizeof pdf, "%s", sg_test_path("sheets.pdf"));
    sg_sheets_options *o = sg_sheets_options_new();
    assert_non_null(o);
    sg_sheets_result dummy;
    sg_sheets_result *r = &dummy; /* a failure sets it to NULL */
    /* failures leave no result */
    assert_sg_status(ctx, sg_sheets(ctx, s, o, "", &r), SG_ERR_USAGE);
    assert_null(r);
    assert_sg_status(ctx, sg_sheets_options_add_division(ctx, o, "123"), SG_OK);
    r = &dummy;
    assert_sg_status(ctx, sg_sheets(ctx, s, o, pdf, &r), SG_ERR_NOT_FOUND);
    assert_null(r);
    sg_sheets_options_free(o);
    o = sg_sheets_options_new();
    assert_sg_status(ctx, sg_sheets_options_add_division(ctx, o, code), SG_OK);
    assert_sg_status(ctx, sg_sheets(ctx, s, o, pdf, &r), SG_OK);
    assert_non_null(r);
    assert_int_equal(r->villages, 1);
    assert_true(r->pages >= 1);
    assert_int_equal(r->png_files, 0);
    assert_int_equal(r->cleaners, 0); /* no cleaners layer */
    size_t len = 0;
    char *bytes = sg_test_read_file(pdf, &len);
    assert_non_null(bytes);
    assert_memory_equal(bytes, "%PDF", 4);
    /* the PDF's page objects (not the /Pages tree) */
    assert_int_equal(r->pages, count_in(bytes, len, "/Type /Page\n") +
                                   count_in(bytes, len, "/Type /Page\r") +
                                   count_in(bytes, len, "/Type /Page/") +
                                   count_in(bytes, len, "/Type /Page "));
    free(bytes);
    /* NULL result: allowed */
    assert_sg_status(ctx, sg_sheets(ctx, s, o, pdf, NULL), SG_OK);
    sg_sheets_result_free(r);
    sg_sheets_options_free(o);
    sg_store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_result),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
