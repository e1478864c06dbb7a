/* Sets of fids (src/store/fidset.c): the rows a delete or a site
 * --accept names, on both backends. For src/store only.
 * SPDX-License-Identifier: MIT */
#ifndef SG_STORE_FIDSET_INT_H
#define SG_STORE_FIDSET_INT_H

#include <stddef.h>

/* A growing set of fids; {0} is empty. Sorted and distinct after
 * sg__fidset_unique. Free v with sg__fidset_free(). */
typedef struct sg__fidset {
    long long *v;
    size_t n, cap;
} sg__fidset;

/** Append \p fid. \return 0, or -1 when out of memory. */
int sg__fidset_add(sg__fidset *s, long long fid);

/** Sort \p s and drop repeats. */
void sg__fidset_unique(sg__fidset *s);

/** \return 1 if \p s (sorted, sg__fidset_unique) holds \p fid. */
int sg__fidset_has(const sg__fidset *s, long long fid);

/** Append \p fid unless \p s holds it already (a linear search: for
 * short lists named by the user, kept in the order named). \return 0, or
 * -1 when out of memory. */
int sg__fidset_add_once(sg__fidset *s, long long fid);

/** \p s's fids as a PostgreSQL bigint[] literal, "{1,2,3}" (caller
 * owns; free()), or NULL when out of memory. */
char *sg__fidset_pg_array(const sg__fidset *s);

/** Free \p s's array; \p s is empty after. */
void sg__fidset_free(sg__fidset *s);

#endif
