/* rank --schemas (cmd_rank_schemas.c), for cmd_rank.c.
 * SPDX-License-Identifier: MIT */
#ifndef SG_CLI_CMD_RANK_SCHEMAS_H
#define SG_CLI_CMD_RANK_SCHEMAS_H

#include "cli/cli.h"
#include "sanigrid/rank.h"

/** Rank every county schema of \p list (comma-separated) of the
 * PostgreSQL database \p db with \p ro, and print one list of their
 * units (text, or JSON with common->json). \return a CLI_EXIT_ code. */
int cli_rank_schemas(sg_ctx *ctx, const char *db, const char *list,
                     const sg_rank_options *ro, const cli_common *common);

#endif
