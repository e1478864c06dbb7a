/* A tiny streaming JSON writer for the --json summaries. Numbers are
 * printed in the C locale with enough digits to round-trip.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <string.h>

#include "cli/cli.h"

static void put_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"': fputs("\\\"", f); break;
        case '\\': fputs("\\\\", f); break;
        case '\n': fputs("\\n", f); break;
        case '\r': fputs("\\r", f); break;
        case '\t': fputs("\\t", f); break;
        default:
            if (*p < 0x20)
                fprintf(f, "\\u%04x", *p);
            else
                fputc(*p, f);
        }
    }
    fputc('"', f);
}

/* Comma and key before a value. */
static void prefix(sg_json *j, const char *key)
{
    if (j->depth > 0) {
        if (j->need_comma[j->depth])
            fputc(',', j->f);
        j->need_comma[j->depth] = 1;
    }
    if (key) {
        put_string(j->f, key);
        fputc(':', j->f);
    }
}

void sg_json_begin(sg_json *j, FILE *f)
{
    memset(j, 0, sizeof *j);
    j->f = f;
}

void sg_json_object(sg_json *j, const char *key)
{
    prefix(j, key);
    fputc('{', j->f);
    if (j->depth < 63)
        j->need_comma[++j->depth] = 0;
}

void sg_json_array(sg_json *j, const char *key)
{
    prefix(j, key);
    fputc('[', j->f);
    if (j->depth < 63)
        j->need_comma[++j->depth] = 0;
}

void sg_json_end_object(sg_json *j)
{
    fputc('}', j->f);
    if (j->depth > 0)
        j->depth--;
}

void sg_json_end_array(sg_json *j)
{
    fputc(']', j->f);
    if (j->depth > 0)
        j->depth--;
}

void sg_json_str(sg_json *j, const char *key, const char *v)
{
    prefix(j, key);
    if (v)
        put_string(j->f, v);
    else
        fputs("null", j->f);
}

void sg_json_int(sg_json *j, const char *key, long long v)
{
    prefix(j, key);
    fprintf(j->f, "%lld", v);
}

void sg_json_num(sg_json *j, const char *key, double v)
{
    prefix(j, key);
    if (!isfinite(v)) {
        fputs("null", j->f);
        return;
    }
    char buf[64];
    snprintf(buf, sizeof buf, "%.15g", v);
    /* The CLI never calls setlocale(LC_NUMERIC), but be safe. */
    for (char *p = buf; *p; p++)
        if (*p == ',')
            *p = '.';
    fputs(buf, j->f);
}

void sg_json_bool(sg_json *j, const char *key, int v)
{
    prefix(j, key);
    fputs(v ? "true" : "false", j->f);
}

void sg_json_null(sg_json *j, const char *key)
{
    prefix(j, key);
    fputs("null", j->f);
}

void sg_json_raw(sg_json *j, const char *key, const char *json_text)
{
    prefix(j, key);
    fputs(json_text && *json_text ? json_text : "null", j->f);
}

void sg_json_finish(sg_json *j)
{
    fputc('\n', j->f);
    fflush(j->f);
}
