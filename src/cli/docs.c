/* The subcommands' documentation, read from docs/cli/<command>.md and
 * embedded at build time (scripts/embed-cli-docs.cmake, STYLE rule 24):
 * each command prints its --help from here, usage errors end with its
 * usage line, and `sanigrid --help` lists the one-line descriptions.
 * Not for: parsing arguments, or any text other than those three.
 * SPDX-License-Identifier: MIT */
#include <string.h>

#include "cli/cli.h"
#include "cli/docs_int.h"

/* The doc of \p cmd, or NULL when docs/cli had no file for it (or \p cmd
 * is NULL). Borrowed; static. */
static const sg__cli_doc *find(const char *cmd)
{
    for (size_t i = 0; cmd && i < sg__cli_doc_count; i++)
        if (!strcmp(sg__cli_docs[i].name, cmd))
            return &sg__cli_docs[i];
    return NULL;
}

const char *sg_cli_doc_help(const char *cmd)
{
    const sg__cli_doc *d = find(cmd);
    return d ? d->body : "(no docs/cli/ file for this command at build time)\n";
}

const char *sg_cli_doc_line(const char *cmd)
{
    const sg__cli_doc *d = find(cmd);
    return d ? d->line : "";
}

const char *sg_cli_doc_args(const char *cmd)
{
    const sg__cli_doc *d = find(cmd);
    return d ? d->args : NULL;
}

int sg_cli_help(const char *cmd)
{
    fputs(sg_cli_doc_help(cmd), stdout);
    return SG_EXIT_OK;
}

int sg_cli_help_asked(const char *cmd, int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            sg_cli_help(cmd);
            return 1;
        }
    return 0;
}
