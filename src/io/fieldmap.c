/* Field mapping for import: header aliases, enum synonyms (Chinese terms,
 * OpenStreetMap tags), date normalisation and text encoding repair.
 * Not for: reading files (import.c) or geometry (geomprep.c).
 * SPDX-License-Identifier: MIT */
#include <cpl_conv.h>
#include <cpl_string.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "io/io_int.h"

/* RFC 3629 section 4: the second byte's range depends on the lead byte,
 * which rules out overlong forms (C0, C1, E0 80..9F, F0 80..8F),
 * UTF-16 surrogates (ED A0..BF) and code points above U+10FFFF
 * (F4 90..BF, F5..FF). */
size_t sg__utf8_invalid_at(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        const unsigned char *start = p;
        int n;
        unsigned char lo = 0x80, hi = 0xBF;
        if (*p < 0x80)
            n = 0;
        else if (*p >= 0xC2 && *p <= 0xDF)
            n = 1;
        else if (*p >= 0xE0 && *p <= 0xEF) {
            n = 2;
            if (*p == 0xE0)
                lo = 0xA0;
            else if (*p == 0xED)
                hi = 0x9F;
        } else if (*p >= 0xF0 && *p <= 0xF4) {
            n = 3;
            if (*p == 0xF0)
                lo = 0x90;
            else if (*p == 0xF4)
                hi = 0x8F;
        } else
            return (size_t)(start - (const unsigned char *)s) + 1;
        p++;
        for (int i = 0; i < n; i++, p++) {
            unsigned char a = i == 0 ? lo : 0x80, b = i == 0 ? hi : 0xBF;
            if (*p < a || *p > b)
                return (size_t)(start - (const unsigned char *)s) + 1;
        }
    }
    return 0;
}

int sg__utf8_valid(const char *s)
{
    return sg__utf8_invalid_at(s) == 0;
}

char *sg__to_utf8(const char *raw, const char *encoding, const char **used)
{
    if (encoding && *encoding && strcasecmp(encoding, "UTF-8") != 0 &&
        strcasecmp(encoding, "UTF8") != 0) {
        *used = encoding;
        return CPLRecode(raw, encoding, CPL_ENC_UTF8);
    }
    if (sg__utf8_valid(raw) || encoding) {
        *used = "UTF-8";
        return CPLStrdup(raw);
    }
    /* Not UTF-8: Chinese Windows tools write GBK/CP936 (DOMAIN K8). */
    CPLPushErrorHandler(CPLQuietErrorHandler);
    CPLErrorReset();
    char *s = CPLRecode(raw, "CP936", CPL_ENC_UTF8);
    int failed = CPLGetLastErrorType() != CE_None;
    CPLPopErrorHandler();
    if (s && !failed && sg__utf8_valid(s)) {
        *used = "CP936";
        return s;
    }
    CPLFree(s);
    *used = "ISO-8859-1";
    return CPLRecode(raw, CPL_ENC_ISO8859_1, CPL_ENC_UTF8);
}

size_t sg__blank_len(const char *s)
{
    if (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
        return 1;
    /* U+3000 IDEOGRAPHIC SPACE (全角空格), typed by Chinese input methods */
    if ((unsigned char)s[0] == 0xE3 && (unsigned char)s[1] == 0x80 &&
        (unsigned char)s[2] == 0x80)
        return 3;
    return 0;
}

/* Trimmed length of s (no leading blanks skipped: caller does). */
static size_t trimmed_len(const char *s)
{
    size_t n = strlen(s);
    for (;;) {
        if (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' ||
                  s[n - 1] == '\n'))
            n--;
        else if (n >= 3 && sg__blank_len(s + n - 3) == 3)
            n -= 3;
        else
            return n;
    }
}

const char *sg__skip_blanks(const char *s)
{
    size_t k;
    while ((k = sg__blank_len(s)) > 0)
        s += k;
    return s;
}

int sg__alias_match(const char *aliases, const char *column)
{
    column = sg__skip_blanks(column);
    size_t clen = trimmed_len(column);
    const char *p = aliases;
    while (p && *p) {
        const char *bar = strchr(p, '|');
        size_t len = bar ? (size_t)(bar - p) : strlen(p);
        if (len == clen && strncasecmp(p, column, len) == 0)
            return 1;
        p = bar ? bar + 1 : NULL;
    }
    return 0;
}

typedef struct synonym {
    const char *field; /* store field */
    const char *from;  /* accepted spelling (case-insensitive) */
    const char *to;    /* canonical value */
} synonym;

static const synonym synonyms[] = {
    /* road class: Chinese administrative road grades */
    {"class", "国道", "national"},
    {"class", "高速", "national"},
    {"class", "高速公路", "national"},
    {"class", "省道", "provincial"},
    {"class", "县道", "county"},
    {"class", "乡道", "township"},
    {"class", "镇道", "township"},
    {"class", "村道", "village"},
    {"class", "通村公路", "village"},
    {"class", "村内道路", "village"},
    {"class", "巷道", "lane"},
    {"class", "小巷", "lane"},
    {"class", "巷", "lane"},
    {"class", "胡同", "lane"},
    {"class", "机耕路", "lane"},
    {"class", "其他", "other"},
    {"class", "其它", "other"},
    /* road class: OpenStreetMap highway=* */
    {"class", "motorway", "national"},
    {"class", "motorway_link", "national"},
    {"class", "trunk", "national"},
    {"class", "trunk_link", "national"},
    {"class", "primary", "provincial"},
    {"class", "primary_link", "provincial"},
    {"class", "secondary", "county"},
    {"class", "secondary_link", "county"},
    {"class", "tertiary", "township"},
    {"class", "tertiary_link", "township"},
    {"class", "unclassified", "village"},
    {"class", "residential", "village"},
    {"class", "living_street", "village"},
    {"class", "road", "village"},
    {"class", "service", "lane"},
    {"class", "track", "lane"},
    {"class", "path", "lane"},
    {"class", "footway", "lane"},
    {"class", "cycleway", "lane"},
    {"class", "pedestrian", "lane"},
    {"class", "steps", "lane"},
    {"class", "bridleway", "lane"},
    {"class", "construction", "other"},
    {"class", "proposed", "other"},
    {"class", "raceway", "other"},
    {"class", "bus_guideway", "other"},
    {"class", "corridor", "other"},
    {"class", "platform", "other"},
    {"class", "rest_area", "other"},
    {"class", "services", "other"},
    {"class", "escape", "other"},
    {"class", "via_ferrata", "other"},
    {"class", "elevator", "other"},
    {"class", "abandoned", "other"},
    /* point kind */
    {"kind", "垃圾收集点", "collection_point"},
    {"kind", "收集点", "collection_point"},
    {"kind", "垃圾收集站", "collection_point"},
    {"kind", "垃圾投放点", "collection_point"},
    {"kind", "垃圾桶", "bin"},
    {"kind", "垃圾箱", "bin"},
    {"kind", "垃圾斗", "bin"},
    {"kind", "废物箱", "bin"},
    {"kind", "果皮箱", "bin"},
    {"kind", "转运站", "transfer_station"},
    {"kind", "中转站", "transfer_station"},
    {"kind", "压缩站", "transfer_station"},
    {"kind", "垃圾转运站", "transfer_station"},
    {"kind", "处理厂", "treatment_plant"},
    {"kind", "垃圾处理厂", "treatment_plant"},
    {"kind", "垃圾焚烧厂", "treatment_plant"},
    {"kind", "填埋场", "treatment_plant"},
    {"kind", "公厕", "public_toilet"},
    {"kind", "公共厕所", "public_toilet"},
    {"kind", "其他", "other"},
    {"kind", "其它", "other"},
    {"kind", "recycling", "collection_point"},
    {"kind", "waste_disposal", "collection_point"},
    {"kind", "waste_basket", "bin"},
    {"kind", "waste_transfer_station", "transfer_station"},
    {"kind", "toilets", "public_toilet"},
    /* division level */
    {"level", "县", "county"},
    {"level", "区", "county"},
    {"level", "县级", "county"},
    {"level", "乡镇", "township"},
    {"level", "镇", "township"},
    {"level", "乡", "township"},
    {"level", "街道", "township"},
    {"level", "行政村", "admin_village"},
    {"level", "村", "admin_village"},
    {"level", "社区", "admin_village"},
    {"level", "自然村", "natural_village"},
    {"level", "屯", "natural_village"},
    {"level", "村民小组", "group"},
    {"level", "小组", "group"},
    {"level", "组", "group"},
    {"level", "社", "group"},
    /* grid level */
    {"level", "一级", "1"},
    {"level", "二级", "2"},
    {"level", "三级", "3"},
    {"level", "网格", "1"},
    {"level", "微网格", "2"},
    /* household toilet */
    {"household_toilet", "卫生厕所", "sanitary"},
    {"household_toilet", "卫生", "sanitary"},
    {"household_toilet", "无害化卫生厕所", "sanitary"},
    {"household_toilet", "水冲式", "sanitary"},
    {"household_toilet", "非卫生厕所", "unsanitary"},
    {"household_toilet", "非卫生", "unsanitary"},
    {"household_toilet", "旱厕", "unsanitary"},
    {"household_toilet", "无", "none"},
    {"household_toilet", "没有", "none"},
    {"household_toilet", "无厕所", "none"},
};

const char *sg__enum_normalise(const sg__field_def *fd, const char *value)
{
    if (!fd->values)
        return value;
    value = sg__skip_blanks(value);
    size_t vlen = trimmed_len(value);
    /* canonical values first */
    const char *p = fd->values;
    while (p && *p) {
        const char *bar = strchr(p, '|');
        size_t len = bar ? (size_t)(bar - p) : strlen(p);
        if (len == vlen && strncasecmp(p, value, len) == 0) {
            /* return a pointer into the static list, NUL-terminated copy */
            for (size_t i = 0; i < sizeof synonyms / sizeof synonyms[0]; i++)
                if (!strcmp(synonyms[i].field, fd->name) &&
                    strlen(synonyms[i].to) == len &&
                    !strncmp(synonyms[i].to, p, len))
                    return synonyms[i].to;
            return NULL; /* every canonical value appears as a "to" */
        }
        p = bar ? bar + 1 : NULL;
    }
    for (size_t i = 0; i < sizeof synonyms / sizeof synonyms[0]; i++) {
        const synonym *s = &synonyms[i];
        if (strcmp(s->field, fd->name) != 0 || strlen(s->from) != vlen ||
            strncasecmp(s->from, value, vlen) != 0)
            continue;
        /* the same synonym table serves divisions (county..group) and
         * grids (1..3): keep only values this field allows */
        if (sg__alias_match(fd->values, s->to))
            return s->to;
    }
    return NULL;
}

/* Days in month m of year y. */
static int month_days(int y, int m)
{
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return d[m - 1];
}

int sg__date_normalise(const char *value, char out[11])
{
    int y = 0, m = 0, d = 0;
    char tail[8] = "";
    while (*value == ' ')
        value++;
    if (sscanf(value, "%4d-%2d-%2d%1s", &y, &m, &d, tail) >= 3 ||
        sscanf(value, "%4d/%2d/%2d%1s", &y, &m, &d, tail) >= 3 ||
        sscanf(value, "%4d.%2d.%2d%1s", &y, &m, &d, tail) >= 3 ||
        sscanf(value, "%4d年%2d月%2d日", &y, &m, &d) == 3) {
        /* a time part after the date is fine ("2026-11-03 10:00") */
    } else {
        size_t n = strlen(value);
        int all_digits = n > 0;
        for (size_t i = 0; i < n; i++)
            if (!isdigit((unsigned char)value[i]) && value[i] != '.')
                all_digits = 0;
        if (all_digits && n == 8 && !strchr(value, '.')) {
            y = (value[0] - '0') * 1000 + (value[1] - '0') * 100 +
                (value[2] - '0') * 10 + (value[3] - '0');
            m = (value[4] - '0') * 10 + (value[5] - '0');
            d = (value[6] - '0') * 10 + (value[7] - '0');
        } else if (all_digits) {
            /* Excel serial day (1900 date system): 1 = 1900-01-01, with
             * Excel's fictitious 1900-02-29; 45000 = 2023-03-15. */
            long serial = strtol(value, NULL, 10);
            if (serial < 61 || serial > 2958465)
                return 0;
            long days = serial - 25569; /* days since 1970-01-01 */
            /* civil-from-days (H. Hinnant) */
            long z = days + 719468;
            long era = (z >= 0 ? z : z - 146096) / 146097;
            long doe = z - era * 146097;
            long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
            long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
            long mp = (5 * doy + 2) / 153;
            d = (int)(doy - (153 * mp + 2) / 5 + 1);
            m = (int)(mp < 10 ? mp + 3 : mp - 9);
            y = (int)(yoe + era * 400 + (m <= 2));
        } else {
            return 0;
        }
    }
    if (y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1 ||
        d > month_days(y, m))
        return 0;
    char tmp[40]; /* room for any int, so no truncation to reason about */
    snprintf(tmp, sizeof tmp, "%04d-%02d-%02d", y, m, d);
    memcpy(out, tmp, 11); /* "YYYY-MM-DD" and its terminator */
    return 1;
}
