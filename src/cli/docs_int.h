/* Internal view of the subcommand docs: the table that
 * scripts/embed-cli-docs.cmake generates from docs/cli/<command>.md
 * (English) and docs/cli/<command>.zh.md (Simplified Chinese) at build
 * time (STYLE rule 24).
 * Not for: commands, which use sg_cli_doc_* and sg_cli_help (cli.h).
 * SPDX-License-Identifier: MIT */
#ifndef SG_CLI_DOCS_INT_H
#define SG_CLI_DOCS_INT_H

#include <stddef.h>

/** One command's page in one language. All static. */
typedef struct sg__cli_doc_text {
    const char *args; /* args: what follows "sanigrid NAME" in a usage */
    const char *line; /* help: one line, for `sanigrid --help` */
    const char *body; /* the --help text, byte for byte; ends in '\n' */
} sg__cli_doc_text;

/** One command: docs/cli/NAME.md and, if there is one, NAME.zh.md. */
typedef struct sg__cli_doc {
    const char *name;    /* the subcommand: the file's name and its name: */
    sg__cli_doc_text en; /* NAME.md; never NULL */
    sg__cli_doc_text zh; /* NAME.zh.md; all three NULL without that file */
} sg__cli_doc;

/* generated/sg_cli_docs.c, sorted by file name */
extern const sg__cli_doc sg__cli_docs[];
extern const size_t sg__cli_doc_count;

#endif
