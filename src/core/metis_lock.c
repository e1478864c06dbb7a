/* The one lock around METIS calls: METIS 5.1 seeds and draws its random
 * numbers with the C library's srand()/rand(), one state for the whole
 * process, so two threads partitioning at once (allocate's worker, plan,
 * two callers of the library) would interleave their draws and results
 * would depend on timing (the only process-wide state of the library,
 * and only for this reason).
 * Every METIS_PartGraph* call is made between sg__metis_lock() and
 * sg__metis_unlock() (declared in core/metis_lock_int.h).
 * Not for: any other shared state.
 * SPDX-License-Identifier: MIT */
#include <pthread.h>

#include "core/metis_lock_int.h"

static pthread_mutex_t metis_mutex = PTHREAD_MUTEX_INITIALIZER;

void sg__metis_lock(void)
{
    pthread_mutex_lock(&metis_mutex);
}

void sg__metis_unlock(void)
{
    pthread_mutex_unlock(&metis_mutex);
}
