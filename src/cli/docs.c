/* The subcommands' documentation, read from docs/cli/<command>.md (and
 * <command>.zh.md, in Chinese) and embedded at build time
 * (scripts/embed-cli-docs.cmake, STYLE rule 24): each command prints
 * its --help from here, usage errors end with its usage line, and
 * `sanigrid --help` lists the one-line descriptions, all in the
 * language cli_doc_set_lang chose (cli_lang_init calls it;
 * English by default; a command without a Chinese page falls back to
 * English).
 * Not for: parsing arguments, choosing the language (i18n.c), or any
 * text other than those three.
 * SPDX-License-Identifier: MIT */
#include <string.h>

#include "cli/cli.h"
#include "cli/docs_int.h"

/* 1 when the pages are read in Chinese (cli_doc_set_lang). */
static int use_zh;

int cli_doc_set_lang(const char *lang)
{
    if (!lang || (strcmp(lang, "zh") && strcmp(lang, "en")))
        return 0;
    use_zh = !strcmp(lang, "zh");
    return 1;
}

/* The doc of \p cmd, or NULL when docs/cli had no file for it (or \p cmd
 * is NULL). Borrowed; static. */
static const cli__doc *find(const char *cmd)
{
    for (size_t i = 0; cmd && i < cli__doc_count; i++)
        if (!strcmp(cli__docs[i].name, cmd))
            return &cli__docs[i];
    return NULL;
}

/* The page of \p cmd in the chosen language, else English; NULL when
 * there is none. Borrowed; static. */
static const cli__doc_text *text(const char *cmd)
{
    const cli__doc *d = find(cmd);
    if (!d)
        return NULL;
    return use_zh && d->zh.body ? &d->zh : &d->en;
}

const char *cli_doc_help(const char *cmd)
{
    const cli__doc_text *t = text(cmd);
    if (t)
        return t->body;
    return use_zh ? "（构建时 docs/cli/ 中没有此命令的说明）\n"
                  : "(no docs/cli/ file for this command at build time)\n";
}

const char *cli_doc_line(const char *cmd)
{
    const cli__doc_text *t = text(cmd);
    return t ? t->line : "";
}

const char *cli_doc_args(const char *cmd)
{
    const cli__doc_text *t = text(cmd);
    return t ? t->args : NULL;
}

int cli_help(const char *cmd)
{
    fputs(cli_doc_help(cmd), stdout);
    return CLI_EXIT_OK;
}

int cli_help_asked(const char *cmd, int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            cli_help(cmd);
            return 1;
        }
    return 0;
}
