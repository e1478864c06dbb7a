/* Status codes returned by every fallible sanigrid function.
 * The enum and the messages come from one X-macro table (STYLE rule 9).
 * Not for: detailed messages, which live in the context (sg_ctx_errmsg).
 * SPDX-License-Identifier: MIT */
#ifndef SANIGRID_ERROR_H
#define SANIGRID_ERROR_H
#include "sanigrid/export.h"

#ifdef __cplusplus
extern "C" {
#endif

/* X(name, value, message) */
#define SG_STATUS_MAP(X)                                                       \
    X(SG_OK, 0, "success")                                                     \
    X(SG_ERR_NOMEM, 1, "out of memory")                                        \
    X(SG_ERR_USAGE, 2, "invalid argument")                                     \
    X(SG_ERR_CANCELLED, 3, "cancelled by the caller")                          \
    X(SG_ERR_INTERNAL, 4, "internal error")                                    \
    X(SG_ERR_NOT_FOUND, 5, "not found")                                        \
    X(SG_ERR_IO_OPEN, 10, "input cannot be opened")                            \
    X(SG_ERR_IO_FORMAT, 11, "input cannot be parsed")                          \
    X(SG_ERR_IO_WRITE, 12, "output cannot be written")                         \
    X(SG_ERR_INPUT, 13, "input data rejected")                                 \
    X(SG_ERR_DB, 20, "store (SQLite/SpatiaLite) error")                        \
    X(SG_ERR_DB_NOT_STORE, 21, "file is not a sanigrid store")                 \
    X(SG_ERR_DB_TOO_NEW, 22, "store was written by a newer sanigrid")          \
    X(SG_ERR_DB_READONLY, 23, "store is read-only")                            \
    X(SG_ERR_DB_BUSY, 24, "store is busy")                                     \
    X(SG_ERR_DB_EXISTS, 25, "store already exists")                            \
    X(SG_ERR_CRS, 30, "coordinate reference system error")                     \
    X(SG_ERR_GEOM, 31, "geometry error")

typedef enum sg_status {
#define SG__STATUS_ENUM(name, value, msg) name = value,
    SG_STATUS_MAP(SG__STATUS_ENUM)
#undef SG__STATUS_ENUM
} sg_status;

/** \return a static English message for \p status ("unknown status" for
 * values outside the table). Borrowed; never free it. */
SG_API const char *sg_status_str(sg_status status);

/** \return the name of \p status as written in the table, e.g.
 * "SG_ERR_INPUT". Borrowed. */
SG_API const char *sg_status_name(sg_status status);

#ifdef __cplusplus
}
#endif
#endif
