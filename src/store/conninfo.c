/* sg_conninfo_hide_password (sanigrid/conninfo.h): a password in a
 * PostgreSQL connection string moved to PGPASSWORD and cut out of the
 * string, for the URI form (user:password@host, ?password=) and the
 * key=value form (password=secret, password = 'se cret').
 * Not for: parsing connection strings for connecting (libpq does).
 * SPDX-License-Identifier: MIT */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sanigrid/conninfo.h"
#include "store/store_backend_int.h"

/* Percent-decode \p n bytes of \p s into a new string (caller owns). */
static char *decode(const char *s, size_t n)
{
    char *out = malloc(n + 1), *w = out;
    if (!out)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '%' && i + 2 < n && isxdigit((unsigned char)s[i + 1]) &&
            isxdigit((unsigned char)s[i + 2])) {
            char hex[3] = {s[i + 1], s[i + 2], 0};
            *w++ = (char)strtol(hex, NULL, 16);
            i += 2;
        } else {
            *w++ = s[i];
        }
    }
    *w = '\0';
    return out;
}

/* Set PGPASSWORD to \p pw (owned, freed). \return 1, or -1 on failure. */
static int give(char *pw)
{
    int ok = pw && setenv("PGPASSWORD", pw, 1) == 0;
    if (pw)
        memset(pw, 0, strlen(pw));
    free(pw);
    return ok ? 1 : -1;
}

/* Cut bytes [from, to) out of \p s. */
static void cut(char *s, size_t from, size_t to)
{
    memmove(s + from, s + to, strlen(s + to) + 1);
}

static int hide_uri(char *arg)
{
    char *auth = strstr(arg, "://");
    if (!auth)
        return 0;
    auth += 3;
    size_t alen = strcspn(auth, "/?");
    /* user:password@ (the last @ of the authority) */
    char *at = NULL;
    for (size_t i = 0; i < alen; i++)
        if (auth[i] == '@')
            at = auth + i;
    if (at) {
        char *colon = memchr(auth, ':', (size_t)(at - auth));
        if (colon) {
            char *pw = decode(colon + 1, (size_t)(at - colon - 1));
            cut(arg, (size_t)(colon - arg), (size_t)(at - arg));
            return give(pw);
        }
    }
    /* ?password=... or &password=... */
    char *q = strchr(auth, '?');
    for (char *p = q; p && *p; p = strchr(p + 1, '&')) {
        if (strncmp(p + 1, "password=", 9))
            continue;
        char *v = p + 10;
        size_t vlen = strcspn(v, "&");
        char *pw = decode(v, vlen);
        /* drop "?password=x" keeping a following "&k=v" as "?k=v" */
        size_t from = (size_t)(p - arg), to = (size_t)(v + vlen - arg);
        if (*p == '?' && arg[to] == '&')
            to++, from++;
        cut(arg, from, to);
        return give(pw);
    }
    return 0;
}

static int hide_keyvalue(char *arg)
{
    for (char *p = arg; (p = strstr(p, "password")) != NULL; p++) {
        if (p != arg && !isspace((unsigned char)p[-1]))
            continue;
        char *e = p + 8;
        while (isspace((unsigned char)*e))
            e++;
        if (*e != '=')
            continue;
        e++;
        while (isspace((unsigned char)*e))
            e++;
        char *pw = malloc(strlen(e) + 1), *w = pw;
        if (!pw)
            return -1;
        if (*e == '\'') {
            for (e++; *e && *e != '\''; e++) {
                if (*e == '\\' && e[1])
                    e++;
                *w++ = *e;
            }
            if (*e == '\'')
                e++;
        } else {
            for (; *e && !isspace((unsigned char)*e); e++) {
                if (*e == '\\' && e[1])
                    e++;
                *w++ = *e;
            }
        }
        *w = '\0';
        while (isspace((unsigned char)*e))
            e++;
        size_t from = (size_t)(p - arg);
        /* "a=1 password=x" -> "a=1" (no trailing space) */
        if (!*e && from > 0)
            while (from > 0 && isspace((unsigned char)arg[from - 1]))
                from--;
        cut(arg, from, (size_t)(e - arg));
        return give(pw);
    }
    return 0;
}

int sg_conninfo_hide_password(char *arg)
{
    if (!arg || !sg__store_path_is_pg(arg))
        return 0;
    if (!strncmp(arg, "postgresql://", 13) || !strncmp(arg, "postgres://", 11))
        return hide_uri(arg);
    return hide_keyvalue(arg);
}

char *sg_conninfo_with_schema(const char *conninfo, const char *schema)
{
    if (!conninfo || !schema || !sg__store_path_is_pg(conninfo) || !*schema ||
        isdigit((unsigned char)schema[0]) || strlen(schema) > 63)
        return NULL;
    for (const char *c = schema; *c; c++)
        if (!isalnum((unsigned char)*c) && *c != '_')
            return NULL;
    size_t n = strlen(conninfo);
    char *out = malloc(n + strlen(schema) + 40);
    if (!out)
        return NULL;
    memcpy(out, conninfo, n + 1);
    int uri =
        !strncmp(out, "postgresql://", 13) || !strncmp(out, "postgres://", 11);
    size_t cap = n + strlen(schema) + 40;
    if (uri) {
        /* the query's parameters but options=..., then ours */
        char *q = strchr(out, '?');
        if (q) {
            char *w = q + 1;
            const char *r = conninfo + (q - out) + 1;
            while (*r) {
                size_t k = strcspn(r, "&");
                if (strncmp(r, "options=", 8)) {
                    if (w > q + 1)
                        *w++ = '&';
                    memmove(w, r, k);
                    w += k;
                }
                r += k;
                if (*r == '&')
                    r++;
            }
            *w = '\0';
        }
        size_t len = strlen(out);
        snprintf(out + len, cap - len, "%soptions=-csearch_path%%3D%s",
                 !q     ? "?"
                 : q[1] ? "&"
                        : "",
                 schema);
        return out;
    }
    /* key=value: drop an options= token (quoted or not), add ours */
    for (char *p = out; (p = strstr(p, "options")) != NULL; p++) {
        if (p != out && !isspace((unsigned char)p[-1]))
            continue;
        char *e = p + 7;
        while (isspace((unsigned char)*e))
            e++;
        if (*e != '=')
            continue;
        for (e++; isspace((unsigned char)*e); e++)
            ;
        if (*e == '\'') {
            for (e++; *e && *e != '\''; e++)
                if (*e == '\\' && e[1])
                    e++;
            if (*e)
                e++;
        } else {
            while (*e && !isspace((unsigned char)*e))
                e++;
        }
        cut(out, (size_t)(p - out), (size_t)(e - out));
        p = out;
    }
    size_t len = strlen(out);
    while (len && isspace((unsigned char)out[len - 1]))
        out[--len] = '\0';
    snprintf(out + len, cap - len, " options=-csearch_path=%s", schema);
    return out;
}
