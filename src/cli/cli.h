/* The sanigrid command line: one file per subcommand, each a thin layer
 * that parses arguments, calls include/sanigrid/ and prints.
 * Not for: any analysis or data handling (that is the library's job).
 * SPDX-License-Identifier: MIT */
#ifndef SG_CLI_H
#define SG_CLI_H

#include <libintl.h>
#include <stddef.h>
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
                           int (*ok)(const char *dir), char *buf, size_t size);

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
    CLI_EXIT_OK = 0,     /* success */
    CLI_EXIT_FAIL = 1,   /* runtime failure; for import: nothing imported */
    CLI_EXIT_USAGE = 2,  /* usage error */
    CLI_EXIT_INPUT = 3,  /* input cannot be opened or parsed; for import:
                           imported with rejects */
    CLI_EXIT_PARTIAL = 4 /* partial success (some features skipped) */
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

/** Set up \p ctx's log and progress for the CLI as \p common asks (what
 * cli_ctx does to a new context). */
void cli_ctx_setup(sg_ctx *ctx, const cli_common *common);

/** Print "sanigrid CMD: message" for the context's error to stderr and
 * \return the exit code for its status. */
int cli_fail(sg_ctx *ctx, const char *cmd);

/** As cli_fail, for a failure \p st whose message \p msg the command
 * wrote itself (e.g. the library's with a prefix of its own); \p msg
 * NULL or "" prints the status's text. */
int cli_fail_msg(const char *cmd, sg_status st, const char *msg);

/** \p msg without a leading "CMD: " (or "CMD："): the library names the
 * function it failed in, the CLI's prefix "sanigrid CMD:" already says
 * it. \return a pointer into \p msg. */
const char *cli_without_cmd(const char *cmd, const char *msg);

/* ---- progress of a command that makes several library calls ----------
 * The bar draws what the context reports, 0..1, as the range in force:
 * 0..1 after cli_ctx_setup. A command that runs calls one after another
 * gives each its share, so the library needs no range of its own. */

/** Narrow the range to \p lo..\p hi of the range in force (0 <= lo <= hi
 * <= 1); ranges nest. \p saved receives the range in force, for
 * cli_progress_pop. */
void cli_progress_push(double lo, double hi, double saved[2]);

/** Restore the range \p saved by cli_progress_push. */
void cli_progress_pop(const double saved[2]);

/** \return what the bar draws for a report of \p complete (0..1). */
double cli_progress_scale(double complete);

/** Report the command's own progress, \p frac (clamped to 0..1) of the
 * range in force, with label \p msg (translated; may be NULL).
 * \return 0 when the user asked to stop (SIGINT, SIGTERM), else 1. */
int cli_progress(double frac, const char *msg);

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

/* ---- the command skeleton (run.c) -------------------------------------
 * A command is a cli_command: a table of its options and the callbacks
 * that run it and print its result. cli_run() does the rest, the same
 * way for every command (curl's option table in spirit):
 *   --help (wins over anything else on the line) and the hidden
 *   --dump-options (the table, for tests/cli/options_docs.sh);
 *   getopt_long built from the table, each value parsed by its kind,
 *   a usage error naming the option and the value;
 *   the count of positional arguments; cmd->check (cross-option rules);
 *   the log and progress of --json/--quiet/--verbose (--lang is taken
 *   off the line before, by cli_lang_init);
 *   opening the store (the first positional argument) read-only or
 *   read-write as the command declares; cmd->run; cmd->print_json (in
 *   one JSON object) or cmd->print_text (not under --quiet);
 *   cmd->notes; exit codes (CLI_EXIT_*) and cleanup.
 * Each option is declared once, in its command's table. */

typedef struct cli_call cli_call;

/** What an option's argument must be. */
typedef enum cli_opt_kind {
    CLI_OPT_FLAG,          /* no argument; int 1 at offset */
    CLI_OPT_NUMBER_POS,    /* a finite number > min (min is 0 unless
                              given); double at offset */
    CLI_OPT_NUMBER_NONNEG, /* a finite number >= min; double at offset */
    CLI_OPT_INT,           /* a whole number in min..max; int at offset */
    CLI_OPT_ENUM,          /* one of values[]; const char * at offset */
    CLI_OPT_STRING,        /* any text; const char * at offset (argv's) */
    CLI_OPT_PATH           /* a file or folder; const char * at offset */
} cli_opt_kind;

/** One parsed option value, as a setter receives it. */
typedef struct cli_value {
    const char *str; /* the argument as given; NULL for a flag */
    double num;      /* NUMBER_* and INT: the number */
    int n;           /* INT: the number; ENUM: index into values[];
                        FLAG: 1 */
} cli_value;

/** Apply an option: \return SG_OK, or a status with the message in
 * call->ctx (SG_ERR_USAGE: a usage error naming the option). A setter
 * that printed its own usage error returns SG_ERR_USAGE with no
 * message. */
typedef sg_status (*cli_setter)(cli_call *call, const cli_value *v);

/** One option of a command: the single declaration of it. */
typedef struct cli_option {
    const char *name; /* long name, without "--" */
    int short_name;   /* e.g. 'o' for -o; 0 for none */
    cli_opt_kind kind;
    size_t offset;             /* CLI_AT(args type, member): where the
                                  value goes when set is NULL */
    cli_setter set;            /* or NULL: store the value at offset */
    const char *help;          /* help key: the argument's name in
                                  docs/cli/<command>.md ("N", "LEVEL");
                                  NULL for a flag */
    const char *const *values; /* ENUM: the allowed values, NULL-ended */
    double min, max;           /* NUMBER_*: min (default 0) and max
                                  (0: none); INT: min..max */
    const char *what;          /* how a usage error names a good value,
                                  N_("an area >= 0 in m2"); NULL: from
                                  kind, min and max */
} cli_option;

/** offsetof for cli_option.offset. */
#define CLI_AT(type, member) offsetof(type, member)

/** The options every command may take (cli_command.common). */
enum {
    CLI_JSON = 1u,    /* --json */
    CLI_QUIET = 2u,   /* --quiet (and -q) */
    CLI_VERBOSE = 4u, /* --verbose (and -v) */
    CLI_ALL = 7u
};

/** How cli_run opens the store named by the first positional
 * argument. */
typedef enum cli_store_mode {
    CLI_STORE_NONE = 0, /* the command opens what it needs itself */
    CLI_STORE_READ,     /* SG_STORE_READONLY */
    CLI_STORE_WRITE     /* read-write */
} cli_store_mode;

/** One command. Only name, options (or none), run and the positional
 * counts are required. */
typedef struct cli_command {
    const char *name;          /* the subcommand; docs/cli/<name>.md */
    const cli_option *options; /* ended by an entry with name NULL */
    unsigned common;           /* CLI_JSON | CLI_QUIET | CLI_VERBOSE */
    int min_args, max_args;    /* positional arguments; max -1: any */
    const char *args_error;    /* N_("give one store path") */
    cli_store_mode store;      /* call->store_mode starts as this */
    size_t args_size;          /* sizeof the command's args struct */
    /** Before parsing: defaults into call->args, library option
     * objects. \return SG_OK or a failure (message in call->ctx). */
    sg_status (*init)(cli_call *call);
    /** After parsing: rules between options and arguments; may change
     * call->store_mode. \return CLI_EXIT_OK or an exit code (after
     * printing, e.g. with cli_usage_error). */
    int (*check)(cli_call *call);
    /** The work. \return SG_OK, or a failure with the message in
     * call->ctx; a command that printed its own error sets call->rc. */
    sg_status (*run)(cli_call *call);
    /** The result as members of one JSON object (cli_run opens and
     * closes it). NULL: --json prints nothing. */
    void (*print_json)(const cli_call *call, sg_json *j);
    /** The result as text on stdout (not under --quiet). */
    void (*print_text)(const cli_call *call);
    /** After printing, whatever --json and --quiet say: warnings on
     * stderr. */
    void (*notes)(const cli_call *call);
    /** Free what init and run left in call->args and call->result. */
    void (*cleanup)(cli_call *call);
    /** Failures that are usage errors for this command (exit 2), besides
     * SG_ERR_USAGE; SG_OK ends the list. */
    sg_status usage_on[4];
} cli_command;

/** One run of a command: what the callbacks see. */
struct cli_call {
    const cli_command *cmd;
    cli_common common; /* --json, --quiet, --verbose */
    void *args;        /* the command's args struct (zeroed) */
    sg_ctx *ctx;       /* from before parsing to cleanup */
    sg_store *store;   /* opened before run, or NULL */
    cli_store_mode store_mode;
    int npos; /* positional arguments */
    char **pos;
    void *result;         /* the command's to set and free */
    int rc;               /* an exit code the command chose */
    int printed;          /* 1: run printed its result itself (a
                             long list streamed as it is read) */
    unsigned char *given; /* given[i]: times option i was given */
};

/** Run \p cmd with \p argv (argv[0] is the command's name).
 * \return the exit code. */
int cli_run(const cli_command *cmd, int argc, char **argv);

/** \return how many times option \p name was given in \p call. */
int cli_given(const cli_call *call, const char *name);

/** The command's args struct. */
#define CLI_ARGS(call, type) ((type *)(call)->args)

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
