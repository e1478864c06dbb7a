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

/** \p conninfo (a PostgreSQL connection string, URI or key=value) with
 * its store schema set to \p schema: any `options` it holds replaced by
 * `-csearch_path=<schema>`. A province keeps one schema per county in
 * one database; this names each county's store from one connection
 * string. \p schema is letters, digits and '_' (not starting with a
 * digit). \return a new string (caller frees with sg_free), or NULL when
 * \p conninfo is not a PostgreSQL connection string, \p schema is not a
 * plain name, or out of memory. */
SG_API char *sg_conninfo_with_schema(const char *conninfo, const char *schema);

#ifdef __cplusplus
}
#endif
#endif
