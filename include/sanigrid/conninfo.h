/* PostgreSQL connection strings given where a store path goes: keeping a
 * password out of everything sanigrid shows (issue 21).
 * Not for: connecting (sg_store_open does that).
 * SPDX-License-Identifier: MIT */
#ifndef SANIGRID_CONNINFO_H
#define SANIGRID_CONNINFO_H
#include "sanigrid/export.h"

#ifdef __cplusplus
extern "C" {
#endif

/** If \p arg is a PostgreSQL connection string that holds a password
 * (a libpq URI's `user:password@` or `?password=`/`&password=`, or a
 * key=value conninfo's `password=...`), move the password to the
 * environment variable PGPASSWORD, where libpq finds it, and take it out
 * of \p arg in place, so that \p arg can be shown in messages and
 * --json. A program calls this on its arguments before it shows any of
 * them. Passwords belong in ~/.pgpass, PGPASSFILE or a service file, not
 * on a command line; this only keeps one given there from being echoed.
 * \return 1 when a password was taken, 0 when \p arg held none (it is
 * left as it is), -1 when PGPASSWORD could not be set (\p arg is then
 * still rewritten: the password is never shown). */
SG_API int sg_conninfo_hide_password(char *arg);

#ifdef __cplusplus
}
#endif
#endif
