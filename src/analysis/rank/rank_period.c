/* Inspection periods for rankings: ISO 8601 weeks (Monday..Sunday, week 1
 * holds the year's first Thursday), calendar months and quarters; parsing
 * their labels, the period containing a day, and the period before.
 * Day arithmetic uses days since 1970-01-01 in the proleptic Gregorian
 * calendar (Howard Hinnant's days_from_civil), so no time zone or locale
 * is involved.
 * Not for: the ranking itself (rank.c).
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <string.h>

#include "analysis/rank/rank_int.h"

/* Days since 1970-01-01 of the date y-m-d (m 1..12, d 1..31). */
static long days_from_civil(long y, long m, long d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* The date of day number \p z (days since 1970-01-01) into y, m, d. */
static void civil_from_days(long z, long *y, long *m, long *d)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = yoe + era * 400 + (*m <= 2);
}

/* ISO weekday of day number \p z: 1 = Monday .. 7 = Sunday
 * (1970-01-01 was a Thursday). */
static int iso_weekday(long z)
{
    long w = (z + 3) % 7; /* 0 = Monday */
    if (w < 0)
        w += 7;
    return (int)w + 1;
}

/* Day number of the Monday of ISO week 1 of ISO year \p y: the Monday of
 * the week that holds 4 January. */
static long iso_week1_monday(long y)
{
    long jan4 = days_from_civil(y, 1, 4);
    return jan4 - (iso_weekday(jan4) - 1);
}

/* Weeks (52 or 53) in ISO year \p y. */
static int iso_weeks_in_year(long y)
{
    return (int)((iso_week1_monday(y + 1) - iso_week1_monday(y)) / 7);
}

/* Days in month \p m of year \p y. */
static int days_in_month(long y, long m)
{
    static const int n[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 ? 28 + leap : n[m - 1];
}

/* Write day number \p z as YYYY-MM-DD into \p out (11 bytes). */
static void format_day(long z, char out[11])
{
    long y, m, d;
    char buf[64];
    civil_from_days(z, &y, &m, &d);
    snprintf(buf, sizeof buf, "%04ld-%02ld-%02ld", y, m, d);
    memcpy(out, buf, 10);
    out[10] = '\0';
}

/* Fill \p p from kind, year and number (already checked). */
static void fill_period(sg_period *p, int kind, int year, int number)
{
    long first, last;
    memset(p, 0, sizeof *p);
    p->kind = kind;
    p->year = year;
    p->number = number;
    if (kind == SG_PERIOD_WEEK) {
        first = iso_week1_monday(year) + 7L * (number - 1);
        last = first + 6;
        snprintf(p->label, sizeof p->label, "%04d-W%02d", year, number);
    } else if (kind == SG_PERIOD_MONTH) {
        first = days_from_civil(year, number, 1);
        last = first + days_in_month(year, number) - 1;
        snprintf(p->label, sizeof p->label, "%04d-%02d", year, number);
    } else {
        long m0 = 3L * (number - 1) + 1;
        first = days_from_civil(year, m0, 1);
        last = days_from_civil(year, m0 + 2, days_in_month(year, m0 + 2));
        snprintf(p->label, sizeof p->label, "%04d-Q%d", year, number);
    }
    format_day(first, p->first);
    format_day(last, p->last);
}

/* Parse exactly \p n ASCII digits at \p s. \return the number or -1. */
static int digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

int sg_period_parse(const char *text, sg_period *out)
{
    memset(out, 0, sizeof *out);
    if (!text || strlen(text) < 7 || text[4] != '-')
        return 0;
    int year = digits(text, 4);
    if (year < 1)
        return 0;
    const char *rest = text + 5;
    size_t n = strlen(rest);
    if ((rest[0] == 'W' || rest[0] == 'w') && n == 3) {
        int w = digits(rest + 1, 2);
        if (w < 1 || w > iso_weeks_in_year(year))
            return 0;
        fill_period(out, SG_PERIOD_WEEK, year, w);
        return 1;
    }
    if ((rest[0] == 'Q' || rest[0] == 'q') && n == 2) {
        int q = digits(rest + 1, 1);
        if (q < 1 || q > 4)
            return 0;
        fill_period(out, SG_PERIOD_QUARTER, year, q);
        return 1;
    }
    if (n == 2) {
        int m = digits(rest, 2);
        if (m < 1 || m > 12)
            return 0;
        fill_period(out, SG_PERIOD_MONTH, year, m);
        return 1;
    }
    return 0;
}

int sg_period_of_date(int kind, const char *date, sg_period *out)
{
    memset(out, 0, sizeof *out);
    if (!date || strlen(date) != 10 || date[4] != '-' || date[7] != '-')
        return 0;
    int y = digits(date, 4), m = digits(date + 5, 2), d = digits(date + 8, 2);
    if (y < 1 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
        return 0;
    switch (kind) {
    case SG_PERIOD_WEEK: {
        long z = days_from_civil(y, m, d);
        /* the ISO year is the one whose week 1 starts on or before z */
        long iy = y + 1;
        while (iy > y - 2 && iso_week1_monday(iy) > z)
            iy--;
        if (iy < 1 || iy > 9999)
            return 0;
        int w = (int)((z - iso_week1_monday(iy)) / 7) + 1;
        fill_period(out, SG_PERIOD_WEEK, (int)iy, w);
        return 1;
    }
    case SG_PERIOD_MONTH: fill_period(out, SG_PERIOD_MONTH, y, m); return 1;
    case SG_PERIOD_QUARTER:
        fill_period(out, SG_PERIOD_QUARTER, y, (m - 1) / 3 + 1);
        return 1;
    default: return 0;
    }
}

void sg_period_previous(const sg_period *p, sg_period *out)
{
    int y = p->year, n = p->number - 1;
    switch (p->kind) {
    case SG_PERIOD_WEEK:
        if (n < 1)
            n = iso_weeks_in_year(--y);
        break;
    case SG_PERIOD_MONTH:
        if (n < 1) {
            n = 12;
            y--;
        }
        break;
    case SG_PERIOD_QUARTER:
        if (n < 1) {
            n = 4;
            y--;
        }
        break;
    default: memset(out, 0, sizeof *out); return;
    }
    if (y < 1) {
        memset(out, 0, sizeof *out);
        return;
    }
    fill_period(out, p->kind, y, n);
}

int sg_period_kind_from_cadence(const char *cadence)
{
    if (!cadence)
        return SG_PERIOD_NONE;
    if (strcmp(cadence, "weekly") == 0)
        return SG_PERIOD_WEEK;
    if (strcmp(cadence, "monthly") == 0)
        return SG_PERIOD_MONTH;
    if (strcmp(cadence, "quarterly") == 0)
        return SG_PERIOD_QUARTER;
    return SG_PERIOD_NONE;
}
