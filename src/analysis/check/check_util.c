/* Text helpers of the grid check (declared in check_int.h): a growable
 * string buffer, fixed-point numbers without a locale, string order.
 * Not for: anything that reads geometry or the store.
 * SPDX-License-Identifier: MIT */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/check/check_int.h"

/* ---- small utilities ---------------------------------------------------- */

/* Append \p text (may be NULL: nothing) to \p b. */
sg_status sg__check_sb_add(sg_ctx *ctx, strbuf *b, const char *text)
{
    size_t k = text ? strlen(text) : 0;
    if (b->n + k + 1 > b->cap) {
        size_t nc = b->cap ? b->cap : 64;
        while (nc < b->n + k + 1)
            nc *= 2;
        char *ns = realloc(b->s, nc);
        if (!ns)
            return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        b->s = ns;
        b->cap = nc;
    }
    if (k)
        memcpy(b->s + b->n, text, k);
    b->n += k;
    b->s[b->n] = '\0';
    return SG_OK;
}

/* Append formatted text to \p b. */
sg_status sg__check_sb_addf(sg_ctx *ctx, strbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (k < 0)
        return sg__error(ctx, SG_ERR_INTERNAL, "bad format %s", fmt);
    if (b->n + (size_t)k + 1 > b->cap) {
        size_t nc = b->cap ? b->cap : 64;
        while (nc < b->n + (size_t)k + 1)
            nc *= 2;
        char *ns = realloc(b->s, nc);
        if (!ns)
            return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        b->s = ns;
        b->cap = nc;
    }
    va_start(ap, fmt);
    vsnprintf(b->s + b->n, (size_t)k + 1, fmt, ap);
    va_end(ap);
    b->n += (size_t)k;
    return SG_OK;
}

/* Empty \p b, keeping its memory. */
void sg__check_sb_clear(strbuf *b)
{
    b->n = 0;
    if (b->s)
        b->s[0] = '\0';
}

/* \p v with \p decimals digits after the point into \p buf, independent
 * of the locale (STYLE rule 33). Non-finite values print as 0. */
void sg__check_fmt_fixed(char *buf, size_t size, double v, int decimals)
{
    long long scale = 1;
    if (decimals < 0)
        decimals = 0;
    if (decimals > 9) /* more would overflow the fixed-point value */
        decimals = 9;
    for (int i = 0; i < decimals; i++)
        scale *= 10;
    if (!isfinite(v) || fabs(v) * (double)scale > 9e18)
        v = 0;
    long long q = llround(v * (double)scale);
    const char *sign = q < 0 ? "-" : "";
    unsigned long long a = (unsigned long long)(q < 0 ? -q : q);
    if (decimals > 0)
        snprintf(buf, size, "%s%llu.%0*llu", sign,
                 a / (unsigned long long)scale, decimals,
                 a % (unsigned long long)scale);
    else
        snprintf(buf, size, "%s%llu", sign, a);
}

/* qsort: strings ascending. */
int sg__check_cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}
