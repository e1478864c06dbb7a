/* The binary min-heap of the graph searches (heap_int.h): entries
 * ordered by (d, lab), pushed with sift-up and popped with sift-down.
 * Not for: anything but the heap itself (the searches hold their own
 * distances and do their lazy deletion).
 * SPDX-License-Identifier: MIT */
#include <stdlib.h>

#include "core/heap_int.h"

/* Whether entry a comes before entry b. */
static int before(const sg__heap_ent *a, const sg__heap_ent *b)
{
    return a->d < b->d || (a->d == b->d && a->lab < b->lab);
}

int sg__heap_push(sg__heap *h, sg__heap_ent e)
{
    if (h->n == h->cap) {
        size_t cap = h->cap ? h->cap * 2 : 256;
        sg__heap_ent *v = realloc(h->v, cap * sizeof *v);
        if (!v)
            return 0;
        h->v = v;
        h->cap = cap;
    }
    size_t i = h->n++;
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (!before(&e, &h->v[p]))
            break;
        h->v[i] = h->v[p];
        i = p;
    }
    h->v[i] = e;
    return 1;
}

sg__heap_ent sg__heap_pop(sg__heap *h)
{
    sg__heap_ent top = h->v[0], last = h->v[--h->n];
    size_t i = 0, n = h->n;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= n)
            break;
        if (c + 1 < n && before(&h->v[c + 1], &h->v[c]))
            c++;
        if (!before(&h->v[c], &last))
            break;
        h->v[i] = h->v[c];
        i = c;
    }
    if (n)
        h->v[i] = last;
    return top;
}

void sg__heap_free(sg__heap *h)
{
    if (!h)
        return;
    free(h->v);
    h->v = NULL;
    h->n = h->cap = 0;
}
