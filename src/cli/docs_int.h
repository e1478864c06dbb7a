/* Internal view of the subcommand docs: the table that
 * scripts/embed-cli-docs.cmake generates from docs/cli/<command>.md
 * (English) and docs/cli/<command>.zh.md (Simplified Chinese) at build
 * time (STYLE rule 24).
 * Not for: commands, which use cli_doc_* and cli_help (cli.h).
 * SPDX-License-Identifier: MIT */
#ifndef SG_CLI_DOCS_INT_H
#define SG_CLI_DOCS_INT_H

#include <stddef.h>

/** One command's page in one language. All static. */
typedef struct cli__doc_text {
    const char *args; /* args: what follows "sanigrid NAME" in a usage */
    const char *line; /* help: one line, for `sanigrid --help` */
    const char *body; /* the --help text, byte for byte; ends in '\n' */
} cli__doc_text;

/** One command: docs/cli/NAME.md and, if there is one, NAME.zh.md. */
typedef struct cli__doc {
    const char *name; /* the subcommand: the file's name and its name: */
    cli__doc_text en; /* NAME.md; never NULL */
    cli__doc_text zh; /* NAME.zh.md; all three NULL without that file */
} cli__doc;

/* generated/cli_docs.c, sorted by file name */
extern const cli__doc cli__docs[];
extern const size_t cli__doc_count;

#endif
