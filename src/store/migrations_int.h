/* The table of embedded schema migrations (generated from data/sql/ by
 * scripts/embed-sql.cmake). SPDX-License-Identifier: MIT */
#ifndef SG_MIGRATIONS_INT_H
#define SG_MIGRATIONS_INT_H
#include <stddef.h>

typedef struct sg__migration {
    int version;      /* NNNN of data/sql/NNNN_<what>.sql */
    const char *name; /* file name */
    const char *sql;  /* whole file */
} sg__migration;

extern const sg__migration sg__migrations[];
extern const size_t sg__migration_count;
#endif
