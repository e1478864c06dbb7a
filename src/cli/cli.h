/* The sanigrid command line: one file per subcommand, each a thin layer
 * that parses arguments, calls include/sanigrid/ and prints.
 * Not for: any analysis or data handling (that is the library's job).
 * SPDX-License-Identifier: MIT */
#ifndef SG_CLI_H
#define SG_CLI_H

#include <libintl.h>
#include <stdio.h>

#include "sanigrid/sanigrid.h"

/* Messages for people are gettext ids (po/, scripts/update-po): _() looks
 * one up now, N_() only marks it for xgettext. JSON is never translated. */
#define _(s) gettext(s)
#define N_(s) (s)
/* The English plural "s" of a count \p n; nothing in Chinese. */
#define SG_PL(n) (cli_lang_zh() || (n) == 1 ? "" : "s")

/* The first of EXEDIR/IN_BUILD and EXEDIR/INSTALLED (relative to the
 * folder of the running binary) for which \p ok returns 1, written into
 * \p buf; NULL when neither. How the tool finds its message catalogues
 * and demo data in a build tree and an installed tree alike, with no
 * build path compiled in. */
const char *cli_beside_exe(const char *in_build, const char *installed,
                              int (*ok)(const char *dir), char *buf,
                              size_t size);

/** Choose the language (`--lang zh|en` anywhere in \p argv, else LC_ALL,
 * LC_MESSAGES, LANG) and bind the message catalogue. Removes `--lang X`
 * and `--lang=X` from \p argv (updating \p argc); *\p bad receives an
 * unknown language value (borrowed) or NULL. \return 1 for Chinese. */
int cli_lang_init(int *argc, char **argv, const char **bad);

/** \return 1 when the CLI speaks Chinese (after cli_lang_init). */
int cli_lang_zh(void);

/** Display width of UTF-8 text \p s in terminal columns (a CJK character
 * is 2, wcwidth), counting at most \p max columns when \p max >= 0;
 * *\p cut (may be NULL) receives the bytes that fit. */
int cli_text_width(const char *s, size_t *cut, int max);

/** Write \p s padded (or cut on a character boundary) to \p width
 * display columns, right-aligned when \p right: table cells that line up
 * with Chinese text. */
void cli_put_cell(FILE *f, const char *s, int width, int right);

/** As printf's "%-*s" by display columns: write \p s, then spaces up to
 * \p width columns; longer text is written whole, not cut. */
void cli_put_left(FILE *f, const char *s, int width);

/* Exit codes (documented in README "Exit codes"). */
enum {
    CLI_EXIT_OK = 0,      /* success */
    CLI_EXIT_FAIL = 1,    /* runtime failure; for import: nothing imported */
    CLI_EXIT_USAGE = 2,   /* usage error */
    CLI_EXIT_INPUT = 3,   /* input cannot be opened or parsed; for import:
                            imported with rejects */
    CLI_EXIT_PARTIAL = 4  /* partial success (some features skipped) */
};

/** Run the sanigrid command with \p argv. \return the exit code. */
int cli_main(int argc, char **argv);

/* Options every command takes. */
typedef struct cli_common {
    int json;    /* --json: one JSON object on stdout */
    int quiet;   /* --quiet: no progress, no notes */
    int verbose; /* -v: debug log */
} cli_common;

/** A context with log and progress set up for the CLI. Caller owns. */
sg_ctx *cli_ctx(const cli_common *common);

/** Print "sanigrid CMD: message" for the context's error to stderr and
 * \return the exit code for its status. */
int cli_fail(sg_ctx *ctx, const char *cmd);

/** Map a status to an exit code (STYLE rule 14). */
int cli_exit_code(sg_status st);

/** Print "sanigrid CMD: message", CMD's usage line (docs/cli/CMD.md
 * args:) and a pointer to its --help to stderr; \return CLI_EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* ---- docs: docs/cli/<command>.md, embedded at build time ------------- */

/** The --help text of subcommand \p cmd, byte for byte the body of
 * docs/cli/CMD.md. Borrowed; static; never NULL (a note when the build
 * had no such file). */
const char *cli_doc_help(const char *cmd);

/** The one-line description of \p cmd (the file's help:) for the
 * command list. Borrowed; static; "" when there is no file. */
const char *cli_doc_line(const char *cmd);

/** What follows "sanigrid CMD" in a usage line (the file's args:).
 * Borrowed; static; NULL when there is no file. */
const char *cli_doc_args(const char *cmd);

/** If \p argv holds --help or -h, print \p cmd's help and \return 1: a
 * command calls it before parsing, so --help wins over any bad value. */
int cli_help_asked(const char *cmd, int argc, char **argv);

/** Print the --help text of \p cmd to stdout. \return CLI_EXIT_OK. */
int cli_help(const char *cmd);

/** Read the pages in language \p lang, "zh" (docs/cli/CMD.zh.md, or
 * CMD.md for a command without one) or "en" (the default).
 * \return 1, or 0 (nothing changed) for any other \p lang. */
int cli_doc_set_lang(const char *lang);

/** Parse a whole argument as a finite number (C locale: the CLI never sets
 * LC_NUMERIC) that is >= \p min, or > \p min when \p strict.
 * \return 1 and *out on success, 0 otherwise. */
int cli_parse_number(const char *s, double min, int strict, double *out);

/** Parse an "EPSG:n" or plain "n" CRS code; \return n or 0. */
int cli_parse_epsg(const char *s);

/* ---- JSON for --json: sanigrid/json.h (one writer with the library) --- */

#include "sanigrid/json.h"

/* ---- subcommands ------------------------------------------------------ */

int cmd_init(int argc, char **argv);
int cmd_config(int argc, char **argv);
int cmd_info(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_network(int argc, char **argv);
int cmd_coverage(int argc, char **argv);
int cmd_staffing(int argc, char **argv);
int cmd_allocate(int argc, char **argv);
int cmd_plan(int argc, char **argv);
int cmd_site(int argc, char **argv);
int cmd_rank(int argc, char **argv);
int cmd_render(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_route(int argc, char **argv);
int cmd_sheets(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_delete(int argc, char **argv);
int cmd_snapshots(int argc, char **argv);
int cmd_restore(int argc, char **argv);

#endif
