/* The one binary min-heap of the library's graph searches (src/core/
 * heap.c): Dijkstra with lazy deletion over the road graph (net/paths.c,
 * the bounded searches of analysis/site/site_cand.c). Entries are ordered
 * by distance, then by a second key (a label; 0 when the search has
 * none), the smaller first.
 * Not for: priority queues of other kinds (the route solver's).
 * SPDX-License-Identifier: MIT */
#ifndef SG_HEAP_INT_H
#define SG_HEAP_INT_H

#include <stddef.h>
#include <stdint.h>

/* An entry: a node reached at distance d with label lab. */
typedef struct sg__heap_ent {
    double d;      /* first key */
    int32_t lab;   /* second key, among equal d */
    uint32_t node; /* payload */
} sg__heap_ent;

/* The heap; {0} is an empty one. Owns v: free with sg__heap_free(). */
typedef struct sg__heap {
    sg__heap_ent *v;
    size_t n, cap;
} sg__heap;

/** Push \p e (the array grows as needed). \return 1, or 0 when out of
 * memory (the heap is unchanged). */
int sg__heap_push(sg__heap *h, sg__heap_ent e);

/** Remove and \return the smallest entry; \p h must not be empty. */
sg__heap_ent sg__heap_pop(sg__heap *h);

/** Free the entries' array and empty \p h. NULL is a no-op. */
void sg__heap_free(sg__heap *h);

#endif
