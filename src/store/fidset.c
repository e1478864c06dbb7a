/* Sets of fids (fidset_int.h).
 * Not for: anything that reads or writes the store.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/fidset_int.h"

int sg__fidset_add(sg__fidset *s, long long fid)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 64;
        long long *nv = realloc(s->v, cap * sizeof *nv);
        if (!nv)
            return -1;
        s->v = nv;
        s->cap = cap;
    }
    s->v[s->n++] = fid;
    return 0;
}

static int fid_cmp(const void *a, const void *b)
{
    long long x = *(const long long *)a, y = *(const long long *)b;
    return (x > y) - (x < y);
}

void sg__fidset_unique(sg__fidset *s)
{
    if (!s->n)
        return;
    qsort(s->v, s->n, sizeof *s->v, fid_cmp);
    size_t k = 1;
    for (size_t i = 1; i < s->n; i++)
        if (s->v[i] != s->v[k - 1])
            s->v[k++] = s->v[i];
    s->n = k;
}

int sg__fidset_has(const sg__fidset *s, long long fid)
{
    return s->n && bsearch(&fid, s->v, s->n, sizeof *s->v, fid_cmp) != NULL;
}

int sg__fidset_add_once(sg__fidset *s, long long fid)
{
    for (size_t i = 0; i < s->n; i++)
        if (s->v[i] == fid)
            return 0; /* named twice: once */
    return sg__fidset_add(s, fid);
}

char *sg__fidset_pg_array(const sg__fidset *s)
{
    size_t cap = s->n * 21 + 3, len = 0;
    char *a = malloc(cap);
    if (!a)
        return NULL;
    a[len++] = '{';
    for (size_t i = 0; i < s->n; i++)
        len += (size_t)snprintf(a + len, cap - len, "%s%lld", i ? "," : "",
                                s->v[i]);
    snprintf(a + len, cap - len, "}");
    return a;
}

void sg__fidset_free(sg__fidset *s)
{
    free(s->v);
    memset(s, 0, sizeof *s);
}
