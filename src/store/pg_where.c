/* The functions a user's --where calls on a PostgreSQL store, checked
 * against the same list SpatiaLite's filter allows (filter.c): the
 * expression is scanned as PostgreSQL's lexer would see it (string
 * literals, dollar quotes, quoted identifiers and comments skipped) and
 * every name followed by "(" that is not a keyword or a type name must be
 * an allowed function, unqualified or in pg_catalog or public. So
 * pg_sleep(), set_config(), pg_read_file(), dblink() ... are refused
 * before anything runs, as SpatiaLite's authorizer refuses its writers.
 * The filter also runs read-only and may read only its layer
 * (pg_show.c).
 * Not for: SpatiaLite stores (filter.c's authorizer).
 * SPDX-License-Identifier: MIT */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "store/filter_int.h"
#include "store/pg_port_int.h"

/* Keywords that take a parenthesis without being a function call, and
 * type names (a type's modifier: numeric(10, 2)). */
static const char *const not_calls[] = {
    "and",      "or",        "not",        "in",      "any",       "all",
    "some",     "exists",    "cast",       "is",      "distinct",  "from",
    "like",     "ilike",     "similar",    "between", "array",     "row",
    "case",     "when",      "then",       "else",    "as",        "select",
    "where",    "on",        "filter",     "over",    "within",    "escape",
    "collate",  "values",    "greatest",   "least",   "coalesce",  "nullif",
    "interval", "numeric",   "decimal",    "varchar", "character", "varying",
    "bit",      "time",      "timestamp",  "float",   "precision", "with",
    "zone",     "symmetric", "asymmetric", "using",   "by",        "group",
    "having",   "order",     "limit",      "offset",  "union",     "intersect",
    "except",   NULL};

static int listed(const char *const *list, const char *s, size_t n)
{
    for (size_t i = 0; list[i]; i++)
        if (strlen(list[i]) == n && !strncasecmp(list[i], s, n))
            return 1;
    return 0;
}

/* Skip white space and comments (-- to the end of the line, nested block
 * comments) from \p p. */
static const char *skip_space(const char *p)
{
    for (;;) {
        while (*p && isspace((unsigned char)*p))
            p++;
        if (p[0] == '-' && p[1] == '-') {
            while (*p && *p != '\n')
                p++;
        } else if (p[0] == '/' && p[1] == '*') {
            int depth = 0;
            do {
                if (p[0] == '/' && p[1] == '*') {
                    depth++;
                    p += 2;
                } else if (p[0] == '*' && p[1] == '/') {
                    depth--;
                    p += 2;
                } else {
                    p++;
                }
            } while (*p && depth > 0);
        } else {
            return p;
        }
    }
}

/* Past a string literal at \p p ('...' with '' inside, E'...' with
 * backslash escapes when \p esc, or $tag$...$tag$). */
static const char *skip_literal(const char *p, int esc)
{
    if (*p == '$') {
        const char *end = strchr(p + 1, '$');
        if (!end)
            return p + strlen(p);
        size_t tl = (size_t)(end - p) + 1;
        const char *q = end + 1;
        while (*q && strncmp(q, p, tl) != 0)
            q++;
        return *q ? q + tl : q;
    }
    for (p++; *p; p++) {
        if (esc && *p == '\\' && p[1]) {
            p++;
        } else if (*p == '\'') {
            if (p[1] != '\'')
                return p + 1;
            p++;
        }
    }
    return p;
}

/* An identifier at \p p, plain or "quoted": its text (unquoted, at most
 * \p size - 1 bytes) in \p out. \return the character after it. */
static const char *identifier(const char *p, char *out, size_t size)
{
    size_t n = 0;
    if (*p == '"') {
        for (p++; *p; p++) {
            if (*p == '"' && p[1] != '"')
                return out[n] = '\0', p + 1;
            if (*p == '"')
                p++;
            if (n + 1 < size)
                out[n++] = *p;
        }
        out[n] = '\0';
        return p;
    }
    while (*p && (isalnum((unsigned char)*p) || *p == '_' || *p == '$' ||
                  (unsigned char)*p >= 0x80)) {
        if (n + 1 < size)
            out[n++] = *p;
        p++;
    }
    out[n] = '\0';
    return p;
}

int sg__pg_where_refused(const char *where, char *refused, size_t size)
{
    const char *p = where ? where : "";
    char name[128], qual[128] = "";
    int after_cast = 0; /* the last token was :: or AS: a type name next */
    while (*(p = skip_space(p))) {
        if (*p == '\'' ||
            (*p == '$' &&
             (p[1] == '$' || isalpha((unsigned char)p[1]) || p[1] == '_') &&
             strchr(p + 1, '$'))) {
            p = skip_literal(p, 0);
            after_cast = 0;
            continue;
        }
        if ((*p == 'E' || *p == 'e') && p[1] == '\'') {
            p = skip_literal(p + 1, 1);
            after_cast = 0;
            continue;
        }
        if (*p == '"' || isalpha((unsigned char)*p) || *p == '_' ||
            (unsigned char)*p >= 0x80) {
            int quoted = *p == '"';
            p = identifier(p, name, sizeof name);
            const char *q = skip_space(p);
            if (*q == '.') { /* a qualifier: the name comes after it */
                snprintf(qual, sizeof qual, "%s", name);
                p = q + 1;
                continue;
            }
            int type = after_cast;
            after_cast = !quoted && !strcasecmp(name, "as");
            if (*q == '(' && !type &&
                (quoted || !listed(not_calls, name, strlen(name)))) {
                int schema_ok = !qual[0] || !strcasecmp(qual, "pg_catalog") ||
                                !strcasecmp(qual, "public");
                if (!schema_ok || !sg__filter_function_allowed(name)) {
                    snprintf(refused, size, "function %s%s%s()", qual,
                             qual[0] ? "." : "", name);
                    return 1;
                }
            }
            qual[0] = '\0';
            continue;
        }
        after_cast = p[0] == ':' && p[1] == ':';
        p += after_cast ? 2 : 1;
        qual[0] = '\0';
    }
    return 0;
}
