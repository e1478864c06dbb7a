/* Process-wide set-up of the store's database libraries (SQLite and
 * SpatiaLite), called by sg_library_init/sg_library_shutdown so that no
 * module outside src/store includes their headers.
 * Not for: opening stores (store.h).
 * SPDX-License-Identifier: MIT */
#ifndef SG_STORE_LIB_INT_H
#define SG_STORE_LIB_INT_H

/** Initialise the database libraries once per process. */
void sg__store_library_init(void);

/** Release what sg__store_library_init set up. */
void sg__store_library_shutdown(void);

#endif
