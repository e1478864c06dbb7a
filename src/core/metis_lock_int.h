/* The one process-wide lock around METIS calls (src/core/metis_lock.c):
 * METIS seeds and draws with the C library's one rand() state, so every
 * METIS_PartGraph* call of every thread is made between sg__metis_lock()
 * and sg__metis_unlock().
 * Not for: any other shared state.
 * SPDX-License-Identifier: MIT */
#ifndef SG_METIS_LOCK_INT_H
#define SG_METIS_LOCK_INT_H

/** Take and release the lock. Not recursive. */
void sg__metis_lock(void);
void sg__metis_unlock(void);

#endif
