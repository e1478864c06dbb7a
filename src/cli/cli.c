/* The sanigrid command: dispatch to one subcommand, shared option
 * handling, progress bar, error printing and exit codes.
 * SPDX-License-Identifier: MIT */
#include <ctype.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"

/* The subcommands; their one-line descriptions, usage lines and --help
 * texts are in docs/cli/<name>.md (cli_doc_*, STYLE rule 24). */
typedef struct command {
    const char *name;
    int (*fn)(int argc, char **argv);
} command;

static const command commands[] = {
    {"init", cmd_init},           {"import", cmd_import},
    {"export", cmd_export},       {"info", cmd_info},
    {"config", cmd_config},       {"check", cmd_check},
    {"network", cmd_network},     {"coverage", cmd_coverage},
    {"staffing", cmd_staffing},   {"allocate", cmd_allocate},
    {"plan", cmd_plan},           {"site", cmd_site},
    {"rank", cmd_rank},           {"render", cmd_render},
    {"report", cmd_report},       {"sheets", cmd_sheets},
    {"demo", cmd_demo},           {"route", cmd_route},
    {"show", cmd_show},           {"delete", cmd_delete},
    {"snapshots", cmd_snapshots}, {"restore", cmd_restore},
};

static void print_help(FILE *f)
{
    fprintf(f,
            _("sanigrid %s: plan and audit rural sanitation grids\n\n"
              "usage: sanigrid COMMAND [ARGS] [--help] [--lang zh|en]\n\n"
              "commands:\n"),
            SG_VERSION_STRING);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %-8s %s\n", commands[i].name,
                cli_doc_line(commands[i].name));
    fprintf(f, _("\nEvery command takes --help; most take --json (one JSON "
                 "object on stdout).\n"
                 "--lang zh|en chooses the language (default: LC_ALL, "
                 "LC_MESSAGES, LANG).\n"
                 "Exit codes: 0 success, 1 failure, 2 usage error, 3 input "
                 "cannot be opened or parsed\n(import: 3 = imported with "
                 "rejects, 1 = nothing imported).\n"));
}

/* The signal that asked us to stop (SIGINT, SIGTERM), 0 if none. The
 * progress callback then asks the library to cancel: it rolls back and
 * removes its temporary files, and cli_fail says so. A second signal
 * stops at once. */
static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
    if (interrupted) {
        signal(sig, SIG_DFL);
        raise(sig);
        return;
    }
    interrupted = sig;
}

static void catch_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sa.sa_flags = SA_RESTART;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    /* a file size limit (ulimit -f) is a write error, not a kill */
    signal(SIGXFSZ, SIG_IGN);
}

int cli_main(int argc, char **argv)
{
    const char *bad_lang = NULL;
    cli_lang_init(&argc, argv, &bad_lang);
    if (bad_lang) {
        fprintf(stderr, _("sanigrid: --lang takes zh or en, not '%s'\n"),
                bad_lang);
        return CLI_EXIT_USAGE;
    }
    if (argc < 2) {
        print_help(stderr);
        return CLI_EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        print_help(stdout);
        return CLI_EXIT_OK;
    }
    if (!strcmp(cmd, "--version")) {
        printf("sanigrid %s\n", sg_version());
        return CLI_EXIT_OK;
    }
    /* a password in a PostgreSQL connection string goes to PGPASSWORD
     * before any argument can be shown (messages, --json) */
    for (int i = 2; i < argc; i++)
        sg_conninfo_hide_password(argv[i]);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        if (strcmp(commands[i].name, cmd) == 0) {
            catch_signals();
            sg_library_init();
            int rc = commands[i].fn(argc - 1, argv + 1);
            sg_library_shutdown();
            return rc;
        }
    }
    fprintf(stderr, _("sanigrid: unknown command '%s'\n\n"), cmd);
    print_help(stderr);
    return CLI_EXIT_USAGE;
}

/* Log lines go to stderr, prefixed by their level. */
static void log_cb(sg_log_level level, const char *msg, void *user)
{
    (void)user;
    static const char *const names[] = {N_("debug"), N_("info"), N_("warning"),
                                        N_("error")};
    fprintf(stderr, "sanigrid: %s: %s\n", _(names[level & 3]), msg);
}

typedef struct progress_state {
    double lo, hi; /* what a call's 0..1 is drawn as (cli_progress_push) */
    int last;      /* last percentage drawn */
    int show;      /* draw a bar (stderr is a terminal, not --quiet/--json) */
    double t0;     /* monotonic seconds at the command's start */
} progress_state;

/* Monotonic seconds. */
static double mono_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* What \p ps draws for a call's \p complete: its share of the range. */
static double scaled(const progress_state *ps, double complete)
{
    return ps->lo + complete * (ps->hi - ps->lo);
}

/* A terminal progress bar in GDAL's spirit, on stderr; asks the library
 * to cancel after SIGINT or SIGTERM. */
static int progress_cb(double complete, const char *msg, void *user)
{
    progress_state *ps = user;
    if (interrupted)
        return 0;
    if (!ps->show)
        return 1;
    complete = scaled(ps, complete);
    int *last = &ps->last;
    int pct = (int)(complete * 100.0 + 0.5);
    if (pct == *last)
        return 1;
    *last = pct;
    int width = 40, filled = pct * width / 100;
    fprintf(stderr, "\r[");
    for (int i = 0; i < width; i++)
        fputc(i < filled ? '#' : ' ', stderr);
    fprintf(stderr, "] %3d%% ", pct);
    /* an estimate of the time left, once there is something to go on:
     * elapsed x (1 - done) / done, straight-line */
    double el = mono_s() - ps->t0;
    char eta[48] = "";
    if (complete >= 0.02 && complete < 1 && el >= 2) {
        double left = el * (1 - complete) / complete;
        if (left >= 90)
            snprintf(eta, sizeof eta, _("%.0f min left"), left / 60);
        else
            snprintf(eta, sizeof eta, _("%.0f s left"), left);
    }
    cli_put_cell(stderr, eta, 12, 0);
    cli_put_cell(stderr, msg, 30, 0);
    if (pct >= 100)
        fputc('\n', stderr);
    fflush(stderr);
    return 1;
}

static progress_state progress_st = {0.0, 1.0, -1, 0, 0};

void cli_progress_push(double lo, double hi, double saved[2])
{
    saved[0] = progress_st.lo;
    saved[1] = progress_st.hi;
    double w = progress_st.hi - progress_st.lo;
    progress_st.lo = saved[0] + lo * w;
    progress_st.hi = saved[0] + hi * w;
}

void cli_progress_pop(const double saved[2])
{
    progress_st.lo = saved[0];
    progress_st.hi = saved[1];
}

double cli_progress_scale(double complete)
{
    return scaled(&progress_st, complete);
}

int cli_progress(double frac, const char *msg)
{
    return progress_cb(frac < 0 ? 0 : frac > 1 ? 1 : frac, msg, &progress_st);
}

sg_ctx *cli_ctx(const cli_common *common)
{
    sg_ctx *ctx = sg_ctx_new();
    if (!ctx) {
        fprintf(stderr, _("sanigrid: out of memory\n"));
        return NULL;
    }
    cli_ctx_setup(ctx, common);
    return ctx;
}

void cli_ctx_setup(sg_ctx *ctx, const cli_common *common)
{
    sg_ctx_set_log(ctx, log_cb, NULL,
                   common->verbose ? SG_LOG_DEBUG
                   : common->quiet ? SG_LOG_ERROR
                                   : SG_LOG_WARN);
    progress_st.lo = 0.0;
    progress_st.hi = 1.0;
    progress_st.last = -1;
    progress_st.t0 = mono_s();
    progress_st.show = !common->quiet && !common->json && isatty(STDERR_FILENO);
    sg_ctx_set_progress(ctx, progress_cb, &progress_st);
}

int cli_exit_code(sg_status st)
{
    if (st == SG_ERR_CANCELLED && interrupted)
        return 128 + interrupted; /* as a shell reports a signal */
    switch (st) {
    case SG_OK: return CLI_EXIT_OK;
    case SG_ERR_USAGE: return CLI_EXIT_USAGE;
    case SG_ERR_IO_OPEN:
    case SG_ERR_IO_FORMAT:
    case SG_ERR_DB_NOT_STORE:
    case SG_ERR_DB_TOO_NEW: return CLI_EXIT_INPUT;
    default: return CLI_EXIT_FAIL;
    }
}

int cli_fail(sg_ctx *ctx, const char *cmd)
{
    return cli_fail_msg(cmd, sg_ctx_status(ctx), sg_ctx_errmsg(ctx));
}

const char *cli_without_cmd(const char *cmd, const char *msg)
{
    size_t n = cmd ? strlen(cmd) : 0;
    if (!msg || !n || strncmp(msg, cmd, n) != 0)
        return msg;
    if (msg[n] == ':' && msg[n + 1] == ' ')
        return msg + n + 2;
    if (strncmp(msg + n, "\xef\xbc\x9a", 3) == 0) /* "：" */
        return msg + n + 3;
    return msg;
}

int cli_fail_msg(const char *cmd, sg_status st, const char *msg)
{
    msg = cli_without_cmd(cmd, msg);
    if (interrupted && st == SG_ERR_CANCELLED) {
        if (progress_st.show && progress_st.last >= 0)
            fputc('\n', stderr);
        fprintf(stderr, _("sanigrid %s: interrupted, nothing changed\n"), cmd);
        return 128 + interrupted;
    }
    fprintf(stderr, _("sanigrid %s: error: %s\n"), cmd,
            msg && *msg ? msg : sg_status_str(st));
    return cli_exit_code(st == SG_OK ? SG_ERR_INTERNAL : st);
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "sanigrid %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, _(fmt), ap);
    va_end(ap);
    fputc('\n', stderr);
    const char *args = cli_doc_args(cmd);
    if (args)
        fprintf(stderr, _("usage: sanigrid %s %s\n"), cmd, args);
    fprintf(stderr, _("(see `sanigrid %s --help`)\n"), cmd);
    return CLI_EXIT_USAGE;
}

int cli_parse_number(const char *s, double min, int strict, double *out)
{
    /* the library's decimal parser, without the blanks it allows */
    double v;
    size_t n = s ? strlen(s) : 0;
    if (!n || isspace((unsigned char)s[0]) ||
        isspace((unsigned char)s[n - 1]) || !sg_parse_number(s, &v) ||
        !isfinite(v) || v < min || (strict && v == min))
        return 0;
    *out = v;
    return 1;
}

int cli_parse_epsg(const char *s)
{
    if (!s)
        return 0;
    if (!strncasecmp(s, "EPSG:", 5))
        s += 5;
    char *end = NULL;
    long v = strtol(s, &end, 10);
    if (end == s || *end || v <= 0 || v > 999999)
        return 0;
    return (int)v;
}
