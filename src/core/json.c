/* One JSON writer for library and CLI (include/sanigrid/json.h), on
 * jansson. Why jansson and not printf: run records were once built with
 * printf-style %g, which writes "0,75" under LC_NUMERIC=de_DE.UTF-8, and
 * one field went in unescaped. jansson escapes everything and prints
 * reals with '.' whatever the locale (its jsonp_dtostr replaces the
 * locale's decimal point; tests/unit/test_hardening.c checks it under
 * de_DE.UTF-8).
 * Not for: reading JSON beyond sg_json_raw().
 * SPDX-License-Identifier: MIT */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sanigrid/json.h"

/* Copy of \p s with every byte that does not start or continue a valid
 * UTF-8 sequence (RFC 3629) replaced by U+FFFD. Caller frees. */
static char *utf8_clean(const char *s)
{
    size_t n = strlen(s);
    char *out = malloc(3 * n + 1);
    if (!out)
        return NULL;
    const unsigned char *p = (const unsigned char *)s;
    char *o = out;
    while (*p) {
        int len = *p < 0x80                  ? 1
                  : *p >= 0xC2 && *p <= 0xDF ? 2
                  : *p >= 0xE0 && *p <= 0xEF ? 3
                  : *p >= 0xF0 && *p <= 0xF4 ? 4
                                             : 0;
        int ok = len > 0;
        for (int i = 1; ok && i < len; i++) {
            unsigned char lo = 0x80, hi = 0xBF;
            if (i == 1 && *p == 0xE0)
                lo = 0xA0;
            if (i == 1 && *p == 0xED)
                hi = 0x9F;
            if (i == 1 && *p == 0xF0)
                lo = 0x90;
            if (i == 1 && *p == 0xF4)
                hi = 0x8F;
            ok = p[i] >= lo && p[i] <= hi;
        }
        if (ok) {
            memcpy(o, p, (size_t)len);
            o += len;
            p += len;
        } else {
            memcpy(o, "\xEF\xBF\xBD", 3);
            o += 3;
            p++;
        }
    }
    *o = '\0';
    return out;
}

/* Add \p v (reference stolen) to the open container under \p key. */
static void add(sg_json *j, const char *key, json_t *v)
{
    if (!v) {
        j->failed = 1;
        return;
    }
    if (j->depth == 0) {
        if (j->stack[0]) { /* a second root */
            json_decref(v);
            j->failed = 1;
            return;
        }
        j->stack[0] = v;
        return;
    }
    json_t *top = j->stack[j->depth];
    int rc;
    if (json_is_object(top)) {
        char *k = utf8_clean(key ? key : "");
        rc = k ? json_object_set_new(top, k, v) : -1;
        free(k);
        if (!k)
            json_decref(v);
    } else {
        rc = json_array_append_new(top, v);
    }
    if (rc != 0)
        j->failed = 1;
}

void sg_json_begin(sg_json *j, FILE *f)
{
    memset(j, 0, sizeof *j);
    j->f = f;
}

/* Open container \p c under \p key. */
static void open_container(sg_json *j, const char *key, json_t *c)
{
    if (!c) {
        j->failed = 1;
        return;
    }
    json_incref(c); /* one reference for the parent, one for the stack */
    add(j, key, c);
    if (j->depth >= 63) {
        json_decref(c);
        j->failed = 1;
        return;
    }
    j->stack[++j->depth] = c;
}

void sg_json_object(sg_json *j, const char *key)
{
    open_container(j, key, json_object());
}

void sg_json_array(sg_json *j, const char *key)
{
    open_container(j, key, json_array());
}

/* Close the innermost container. */
static void close_container(sg_json *j)
{
    if (j->depth == 0) {
        j->failed = 1;
        return;
    }
    json_decref(j->stack[j->depth]);
    j->stack[j->depth--] = NULL;
}

void sg_json_end_object(sg_json *j)
{
    close_container(j);
}

void sg_json_end_array(sg_json *j)
{
    close_container(j);
}

void sg_json_str(sg_json *j, const char *key, const char *v)
{
    if (!v) {
        add(j, key, json_null());
        return;
    }
    char *c = utf8_clean(v);
    add(j, key, c ? json_string(c) : NULL);
    free(c);
}

void sg_json_int(sg_json *j, const char *key, long long v)
{
    add(j, key, json_integer((json_int_t)v));
}

void sg_json_num(sg_json *j, const char *key, double v)
{
    if (!isfinite(v))
        add(j, key, json_null());
    else if (v == floor(v) && fabs(v) < 1e15)
        add(j, key, json_integer((json_int_t)v));
    else
        add(j, key, json_real(v));
}

void sg_json_bool(sg_json *j, const char *key, int v)
{
    add(j, key, json_boolean(v));
}

void sg_json_null(sg_json *j, const char *key)
{
    add(j, key, json_null());
}

void sg_json_raw(sg_json *j, const char *key, const char *json_text)
{
    json_t *v = NULL;
    if (json_text && *json_text)
        v = json_loads(json_text, JSON_DECODE_ANY, NULL);
    add(j, key, v ? v : json_null());
}

/* Flags of every dump: compact, 15 significant digits (as %.15g). */
#define DUMP_FLAGS (JSON_COMPACT | JSON_REAL_PRECISION(15))

/* Release what is left open and the root. */
static void release(sg_json *j)
{
    while (j->depth > 0)
        close_container(j);
    json_decref(j->stack[0]);
    j->stack[0] = NULL;
}

int sg_json_finish(sg_json *j)
{
    int rc = -1;
    if (!j->failed && j->stack[0] && j->f &&
        json_dumpf(j->stack[0], j->f, DUMP_FLAGS | JSON_ENCODE_ANY) == 0 &&
        fputc('\n', j->f) != EOF && fflush(j->f) == 0)
        rc = 0;
    release(j);
    return rc;
}

char *sg_json_finish_string(sg_json *j)
{
    char *s = NULL;
    if (!j->failed && j->stack[0])
        s = json_dumps(j->stack[0], DUMP_FLAGS | JSON_ENCODE_ANY);
    release(j);
    if (!s)
        return NULL;
    /* jansson allocates with malloc unless told otherwise: sg_free() */
    return s;
}
