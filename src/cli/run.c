/* The one command skeleton (cli.h, "the command skeleton"): cli_run
 * parses a command's options from its table, checks the positional
 * arguments, sets up the context, opens the store, runs the command,
 * prints its result and cleans up, the same way for every command.
 * Not for: what a command does or prints (src/cli/cmd_*.c), the
 * language (i18n.c) or the help text (docs.c).
 * SPDX-License-Identifier: MIT */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

/* getopt_long's value for option i of the table (a short option's
 * character is mapped back to its index). */
#define OPT_BASE 1000
#define OPT_JSON 900
#define OPT_QUIET 901
#define OPT_VERBOSE 902
#define OPT_HELP 903

/* Number of options in \p cmd's table. */
static size_t count_options(const cli_command *cmd)
{
    size_t n = 0;
    while (cmd->options && cmd->options[n].name)
        n++;
    return n;
}

static int takes_arg(const cli_option *o)
{
    return o->kind != CLI_OPT_FLAG;
}

static const char *kind_name(cli_opt_kind k)
{
    switch (k) {
    case CLI_OPT_FLAG: return "flag";
    case CLI_OPT_NUMBER_POS: return "number>0";
    case CLI_OPT_NUMBER_NONNEG: return "number>=0";
    case CLI_OPT_INT: return "int";
    case CLI_OPT_ENUM: return "enum";
    case CLI_OPT_STRING: return "string";
    case CLI_OPT_PATH: return "path";
    }
    return "?";
}

/* --dump-options: one line per option, "--NAME<TAB>-C|-<TAB>KIND<TAB>
 * HELP", the common ones included (tests/cli/options_docs.sh). */
static void dump_options(const cli_command *cmd)
{
    for (size_t i = 0; i < count_options(cmd); i++) {
        const cli_option *o = &cmd->options[i];
        printf("--%s\t", o->name);
        if (o->short_name)
            printf("-%c", o->short_name);
        else
            fputc('-', stdout);
        printf("\t%s\t%s", kind_name(o->kind), o->help ? o->help : "");
        if (o->kind == CLI_OPT_ENUM)
            for (size_t k = 0; o->values && o->values[k]; k++)
                printf("%s%s", k ? "|" : "\t", o->values[k]);
        fputc('\n', stdout);
    }
    if (cmd->common & CLI_JSON)
        printf("--json\t-\tflag\t\n");
    if (cmd->common & CLI_QUIET)
        printf("--quiet\t-q\tflag\t\n");
    if (cmd->common & CLI_VERBOSE)
        printf("--verbose\t-v\tflag\t\n");
}

/* "a, b or c" of an enum's values into \p buf. */
static const char *join_values(const char *const *v, char *buf, size_t size)
{
    size_t n = 0, len = 0;
    while (v && v[n])
        n++;
    buf[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        const char *sep = i == 0          ? ""
                          : i + 1 == n    ? _(" or ")
                          : cli_lang_zh() ? "、"
                                          : ", ";
        int w = snprintf(buf + len, size - len, "%s%s", sep, v[i]);
        if (w < 0 || (size_t)w >= size - len)
            break;
        len += (size_t)w;
    }
    return buf;
}

/* How a usage error names a good value of \p o, into \p buf. */
static const char *what_good(const cli_option *o, char *buf, size_t size)
{
    if (o->what)
        return _(o->what);
    switch (o->kind) {
    case CLI_OPT_NUMBER_POS:
        if (o->max > 0)
            snprintf(buf, size, _("a number > %g and <= %g"), o->min, o->max);
        else
            snprintf(buf, size, _("a number > %g"), o->min);
        break;
    case CLI_OPT_NUMBER_NONNEG:
        if (o->max > 0)
            snprintf(buf, size, _("a number from %g to %g"), o->min, o->max);
        else
            snprintf(buf, size, _("a number >= %g"), o->min);
        break;
    case CLI_OPT_INT:
        if (o->max > 0)
            snprintf(buf, size, _("a whole number from %g to %g"), o->min,
                     o->max);
        else
            snprintf(buf, size, _("a whole number >= %g"), o->min);
        break;
    case CLI_OPT_ENUM: return join_values(o->values, buf, size);
    default: snprintf(buf, size, "%s", _("a value"));
    }
    return buf;
}

/* Parse \p arg as option \p o's value into \p v. \return 1, or 0 when
 * it is not one. */
static int parse_value(const cli_option *o, const char *arg, cli_value *v)
{
    memset(v, 0, sizeof *v);
    v->str = arg;
    switch (o->kind) {
    case CLI_OPT_FLAG: v->n = 1; return 1;
    case CLI_OPT_NUMBER_POS:
    case CLI_OPT_NUMBER_NONNEG:
        if (!cli_parse_number(arg, o->min, o->kind == CLI_OPT_NUMBER_POS,
                              &v->num) ||
            (o->max > 0 && v->num > o->max))
            return 0;
        return 1;
    case CLI_OPT_INT: {
        char *end = NULL;
        errno = 0;
        long long n = strtoll(arg, &end, 10);
        if (errno || end == arg || *end || n < o->min ||
            (o->max > 0 && n > o->max) || n > INT_MAX || n < INT_MIN)
            return 0;
        v->n = (int)n;
        v->num = (double)n;
        return 1;
    }
    case CLI_OPT_ENUM:
        for (int k = 0; o->values && o->values[k]; k++)
            if (!strcmp(arg, o->values[k])) {
                v->n = k;
                v->str = o->values[k];
                return 1;
            }
        return 0;
    case CLI_OPT_STRING:
    case CLI_OPT_PATH: return arg != NULL;
    }
    return 0;
}

/* Store \p v at \p o's offset in \p args. */
static void store_value(const cli_option *o, void *args, const cli_value *v)
{
    char *at = (char *)args + o->offset;
    switch (o->kind) {
    case CLI_OPT_FLAG:
    case CLI_OPT_INT: memcpy(at, &v->n, sizeof v->n); break;
    case CLI_OPT_NUMBER_POS:
    case CLI_OPT_NUMBER_NONNEG: memcpy(at, &v->num, sizeof v->num); break;
    case CLI_OPT_ENUM:
    case CLI_OPT_STRING:
    case CLI_OPT_PATH: memcpy(at, &v->str, sizeof v->str); break;
    }
}

/* A failed setter's exit code: its own usage error, a usage error with
 * the library's message, or a failure. */
static int setter_failed(cli_call *call, sg_status st)
{
    const char *msg = sg_ctx_errmsg(call->ctx);
    if (st == SG_ERR_USAGE && !(msg && *msg))
        return CLI_EXIT_USAGE; /* printed already */
    if (st == SG_ERR_USAGE)
        return cli_usage_error(call->cmd->name, "%s",
                               cli_without_cmd(call->cmd->name, msg));
    return cli_fail(call->ctx, call->cmd->name);
}

/* Edit distance of \p a and \p b (at most 63 bytes each counted). */
static size_t distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), row[64];
    if (la > 63)
        la = 63;
    if (lb > 63)
        lb = 63;
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);
            if (row[j] + 1 < best)
                best = row[j] + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

/* The usage error for what getopt_long refused (\p c '?' or ':', its
 * word \p word): an unknown option, with the nearest of \p lo if one is
 * close, or an option without its value. */
static int option_error(const cli_command *cmd, const struct option *lo, int c,
                        const char *word)
{
    char shown[64];
    if (optopt > 0 && optopt < 256 && (!word || word[1] != '-'))
        snprintf(shown, sizeof shown, "-%c", optopt);
    else
        snprintf(shown, sizeof shown, "%.*s",
                 (int)strcspn(word ? word : "?", "="), word ? word : "?");
    if (c == ':')
        return cli_usage_error(cmd->name, "%s needs a value", shown);
    int isl = shown[0] == '-' && shown[1] == '-';
    const char *pre[1] = {NULL};
    for (size_t i = 0; isl && lo[i].name; i++) {
        if (!strcmp(shown + 2, lo[i].name))
            return cli_usage_error(cmd->name, "%s takes no value", shown);
        if (!strncmp(shown + 2, lo[i].name, strlen(shown + 2))) {
            if (pre[0])
                return cli_usage_error(cmd->name,
                                       "option '%s' is ambiguous: --%s or "
                                       "--%s?",
                                       shown, pre[0], lo[i].name);
            pre[0] = lo[i].name;
        }
    }
    const char *best = NULL;
    size_t bd = 3;
    for (size_t i = 0; isl && lo[i].name; i++) {
        size_t d = distance(shown + 2, lo[i].name);
        if (d < bd) {
            bd = d;
            best = lo[i].name;
        }
    }
    if (best)
        return cli_usage_error(
            cmd->name, "unknown option '%s'; did you mean --%s?", shown, best);
    return cli_usage_error(cmd->name, "unknown option '%s'", shown);
}

/* Parse the options of \p argv by \p call->cmd's table.
 * \return CLI_EXIT_OK or the exit code of a usage error (printed). */
static int parse(cli_call *call, int argc, char **argv)
{
    const cli_command *cmd = call->cmd;
    size_t n = count_options(cmd);
    struct option *lo = calloc(n + 5, sizeof *lo); /* and a zero end */
    char shorts[3 * 64 + 8];
    size_t ns = 0;
    int rc = CLI_EXIT_OK, c;
    if (!lo) {
        fprintf(stderr, _("sanigrid: out of memory\n"));
        return CLI_EXIT_FAIL;
    }
    size_t k = 0;
    shorts[ns++] = ':'; /* ':' for a missing value; our own messages */
    shorts[ns++] = 'h';
    for (size_t i = 0; i < n; i++) {
        const cli_option *o = &cmd->options[i];
        lo[k].name = o->name;
        lo[k].has_arg = takes_arg(o) ? required_argument : no_argument;
        lo[k].val = OPT_BASE + (int)i;
        k++;
        if (o->short_name && ns + 3 < sizeof shorts) {
            shorts[ns++] = (char)o->short_name;
            if (takes_arg(o))
                shorts[ns++] = ':';
        }
    }
    static const struct option common[] = {
        {"json", no_argument, NULL, OPT_JSON},
        {"quiet", no_argument, NULL, OPT_QUIET},
        {"verbose", no_argument, NULL, OPT_VERBOSE}};
    for (unsigned b = 0; b < 3; b++)
        if (cmd->common & (1u << b))
            lo[k++] = common[b];
    if (cmd->common & CLI_QUIET)
        shorts[ns++] = 'q';
    if (cmd->common & CLI_VERBOSE)
        shorts[ns++] = 'v';
    shorts[ns] = '\0';
    lo[k++] = (struct option){"help", no_argument, NULL, OPT_HELP};
    optind = 0;
    opterr = 0;
    while (rc == CLI_EXIT_OK &&
           (c = getopt_long(argc, argv, shorts, lo, NULL)) != -1) {
        int idx = -1;
        if (c >= OPT_BASE)
            idx = c - OPT_BASE;
        else if (c == 'q' && (cmd->common & CLI_QUIET))
            c = OPT_QUIET;
        else if (c == 'v' && (cmd->common & CLI_VERBOSE))
            c = OPT_VERBOSE;
        else if (c == 'h')
            c = OPT_HELP;
        else if (c != '?' && c != ':')
            for (size_t i = 0; i < n; i++)
                if (cmd->options[i].short_name == c)
                    idx = (int)i;
        if (idx >= 0) {
            const cli_option *o = &cmd->options[idx];
            cli_value v;
            char buf[256];
            if (!parse_value(o, optarg, &v)) {
                rc = cli_usage_error(cmd->name, "--%s takes %s, got '%s'",
                                     o->name, what_good(o, buf, sizeof buf),
                                     optarg ? optarg : "");
                break;
            }
            if (call->given[idx] < UCHAR_MAX)
                call->given[idx]++;
            if (o->set) {
                sg_status st = o->set(call, &v);
                if (st)
                    rc = setter_failed(call, st);
            } else {
                store_value(o, call->args, &v);
            }
            continue;
        }
        switch (c) {
        case OPT_JSON: call->common.json = 1; break;
        case OPT_QUIET: call->common.quiet = 1; break;
        case OPT_VERBOSE: call->common.verbose = 1; break;
        case OPT_HELP: break; /* cli_run answered --help before */
        default:
            rc = option_error(cmd, lo, c,
                              optind > 0 && optind <= argc ? argv[optind - 1]
                                                           : NULL);
            break;
        }
    }
    free(lo);
    if (rc == CLI_EXIT_OK) {
        call->npos = argc - optind;
        call->pos = argv + optind;
    }
    return rc;
}

int cli_given(const cli_call *call, const char *name)
{
    size_t n = count_options(call->cmd);
    for (size_t i = 0; i < n; i++)
        if (!strcmp(call->cmd->options[i].name, name))
            return call->given[i];
    return 0;
}

/* \return 1 if \p st is one of \p cmd's usage failures. */
static int usage_status(const cli_command *cmd, sg_status st)
{
    for (size_t i = 0; i < sizeof cmd->usage_on / sizeof cmd->usage_on[0] &&
                       cmd->usage_on[i] != SG_OK;
         i++)
        if (cmd->usage_on[i] == st)
            return 1;
    return 0;
}

int cli_run(const cli_command *cmd, int argc, char **argv)
{
    /* --help wins over every other argument, even ones that would fail */
    if (cli_help_asked(cmd->name, argc, argv))
        return CLI_EXIT_OK;
    if (argc == 2 && !strcmp(argv[1], "--dump-options")) {
        dump_options(cmd);
        return CLI_EXIT_OK;
    }
    cli_call call;
    memset(&call, 0, sizeof call);
    call.cmd = cmd;
    call.store_mode = cmd->store;
    int rc = CLI_EXIT_OK;
    size_t n = count_options(cmd);
    call.args = calloc(1, cmd->args_size ? cmd->args_size : 1);
    call.given = calloc(n + 1, 1);
    call.ctx = sg_ctx_new();
    if (!call.args || !call.given || !call.ctx) {
        fprintf(stderr, _("sanigrid: out of memory\n"));
        rc = CLI_EXIT_FAIL;
        goto done;
    }
    sg_status st = cmd->init ? cmd->init(&call) : SG_OK;
    if (st) {
        rc = cli_fail(call.ctx, cmd->name);
        goto done;
    }
    if ((rc = parse(&call, argc, argv)) != CLI_EXIT_OK)
        goto done;
    if (call.npos < cmd->min_args ||
        (cmd->max_args >= 0 && call.npos > cmd->max_args)) {
        rc = cli_usage_error(
            cmd->name, "%s",
            _(cmd->args_error ? cmd->args_error : "wrong number of arguments"));
        goto done;
    }
    if (cmd->check && (rc = cmd->check(&call)) != CLI_EXIT_OK)
        goto done;
    cli_ctx_setup(call.ctx, &call.common);
    if (call.store_mode != CLI_STORE_NONE)
        st = sg_store_open(call.ctx, call.pos[0],
                           call.store_mode == CLI_STORE_READ ? SG_STORE_READONLY
                                                             : 0,
                           &call.store);
    if (st == SG_OK)
        st = cmd->run(&call);
    if (st) {
        if (call.rc)
            rc = call.rc; /* the command printed its error */
        else {
            rc = cli_fail(call.ctx, cmd->name);
            if (usage_status(cmd, sg_ctx_status(call.ctx)))
                rc = CLI_EXIT_USAGE;
        }
        goto done;
    }
    if (call.printed) {
        /* run printed it */
    } else if (call.common.json) {
        if (cmd->print_json) {
            sg_json j;
            sg_json_begin(&j, stdout);
            sg_json_object(&j, NULL);
            cmd->print_json(&call, &j);
            sg_json_end_object(&j);
            sg_json_finish(&j);
        }
    } else if (!call.common.quiet && cmd->print_text) {
        cmd->print_text(&call);
    }
    if (cmd->notes)
        cmd->notes(&call);
    rc = call.rc;
done:
    if (cmd->cleanup && call.args)
        cmd->cleanup(&call);
    sg_store_close(call.store);
    sg_ctx_free(call.ctx);
    free(call.given);
    free(call.args);
    return rc;
}
