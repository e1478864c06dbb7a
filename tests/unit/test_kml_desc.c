/* Unit tests of the KML description reader (src/io/kml_desc.c): the
 * name/value pairs of the HTML that 奥维/Ovital, Google Earth and ArcGIS's
 * KML export put into <description>, each written here by hand with the
 * pairs a person reads in it.
 * Not for: the import as a whole (tests/cli/import_kml.sh).
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "io/kml_desc_int.h"

/* Pairs of \p html as "k=v;k=v;" into \p buf. */
static const char *pairs_of(const char *html, char *buf, size_t size)
{
    sg__kv *kv = NULL;
    long n = sg__kml_desc_pairs(html, &kv);
    assert_true(n >= 0);
    buf[0] = '\0';
    for (long i = 0; i < n; i++) {
        size_t l = strlen(buf);
        snprintf(buf + l, size - l, "%s=%s;", kv[i].key, kv[i].value);
    }
    sg__kv_free(kv, (size_t)n);
    return buf;
}

#define PAIRS(html, want)                                                      \
    do {                                                                       \
        char b_[1024];                                                         \
        assert_string_equal(pairs_of(html, b_, sizeof b_), want);              \
    } while (0)

static void test_two_cell_rows(void **state)
{
    (void)state;
    /* 奥维's attribute table */
    PAIRS("<table border=\"1\"><tr><td>等级</td><td>县道</td></tr>"
          "<tr><td>宽度</td><td> 5 </td></tr></table>",
          "等级=县道;宽度=5;");
    /* <th> names, a colon after the name, &nbsp; and 全角 spaces */
    PAIRS("<table><tbody><tr><th>类型：</th><td>&nbsp;垃圾收集点\xE3\x80\x80"
          "</td></tr><tr><th>名称:</th><td>张家村 1号</td></tr></tbody>"
          "</table>",
          "类型=垃圾收集点;名称=张家村 1号;");
    /* a row without a value is no pair */
    PAIRS("<table><tr><td>备注</td><td></td></tr></table>", "");
}

static void test_nested_and_columnar(void **state)
{
    (void)state;
    /* ArcGIS "Layer to KML": a layout table around the field table */
    PAIRS("<html><body><table><tr><td><b>R1</b></td></tr><tr><td>"
          "<table><tr bgcolor=\"#E3E3F3\"><th>FID</th><td>0</td></tr>"
          "<tr><th>等级</th><td>乡道</td></tr></table></td></tr></table>"
          "</body></html>",
          "FID=0;等级=乡道;");
    /* names in a header row over one row of values */
    PAIRS("<table><tr><th>编号</th><th>类型</th><th>容量</th></tr>"
          "<tr><td>SJD001</td><td>垃圾桶</td><td>0.24</td></tr></table>",
          "编号=SJD001;类型=垃圾桶;容量=0.24;");
    PAIRS("<table><tr><th>等级</th><th>宽度</th></tr>"
          "<tr><td>村道</td><td>4</td></tr></table>",
          "等级=村道;宽度=4;");
}

static void test_lines(void **state)
{
    (void)state;
    /* "name: value" lines between <br>, full-width and ASCII colons */
    PAIRS("等级：村道<br>路面: 水泥<br/>", "等级=村道;路面=水泥;");
    PAIRS("<p>类型: 公厕</p><div>备注：早晚各清扫一次</div>",
          "类型=公厕;备注=早晚各清扫一次;");
    /* plain text with line breaks, no markup */
    PAIRS("等级: 县道\n宽度: 6\n", "等级=县道;宽度=6;");
    /* the first of a repeated name wins */
    PAIRS("等级: 县道<br>等级: 村道", "等级=县道;");
}

static void test_not_pairs(void **state)
{
    (void)state;
    /* prose, links and text without a colon give nothing */
    PAIRS("这条路在村口，雨天积水。", "");
    PAIRS("<a href=\"http://example.com/x\">http://example.com/x</a>", "");
    PAIRS("The road to the old mill, built in 1958 by the villagers "
          "together: it floods in spring",
          "");
    PAIRS("", "");
    /* damaged HTML is read as a browser would */
    PAIRS("<table><tr><td>等级<td>县道<tr><td>宽度<td>5</table>",
          "等级=县道;宽度=5;");
    /* scripts and styles are no text */
    PAIRS("<style>p{color:red}</style><script>var a={b:1}</script>类型: 公厕",
          "类型=公厕;");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_two_cell_rows),
        cmocka_unit_test(test_nested_and_columnar),
        cmocka_unit_test(test_lines),
        cmocka_unit_test(test_not_pairs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
