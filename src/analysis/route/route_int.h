/* Internal view of the routing module: the instance struct shared by the
 * reader (vrp_io.c) and the solver (vrp.c).
 * Not for: callers outside src/analysis/route/ (they use sanigrid/route.h).
 * SPDX-License-Identifier: MIT */
#ifndef SG_ROUTE_INT_H
#define SG_ROUTE_INT_H

#include "sanigrid/route.h"

struct sg_vrp {
    int n;            /* customers; nodes 0..n, 0 the depot */
    double *d;        /* (n+1)^2 distances, row-major; owned */
    double *q;        /* n+1 demands; owned */
    double *s;        /* n+1 service times; owned */
    long long *id;    /* n+1 external ids; owned */
    double cap;       /* INFINITY: none */
    double limit;     /* INFINITY: none */
    char name[128];
};

#define SG_VRP_D(v, i, j) ((v)->d[(size_t)(i) * (size_t)((v)->n + 1) + (size_t)(j)])

/** Allocate an instance of n customers, zeroed, ids 1..n+1, no limits.
 * NULL when out of memory. */
sg_vrp *sg__vrp_alloc(int n);

#endif
