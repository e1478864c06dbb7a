/* The CLI's language: Chinese or English, from `--lang zh|en` anywhere on
 * the command line, else from the first non-empty of LC_ALL, LC_MESSAGES
 * and LANG (POSIX order). It works on a machine where no zh_CN locale is
 * generated: the message catalogue is chosen through LANGUAGE, and
 * LC_MESSAGES falls back to C.UTF-8 (built into glibc), which gettext
 * accepts as a non-C locale. LC_NUMERIC is never set, so numbers stay
 * in the C locale everywhere.
 * Not for: translating (gettext does), or the library's messages (they
 * are looked up in the same catalogue by the library itself).
 * SPDX-License-Identifier: MIT */
#define _XOPEN_SOURCE 700 /* wcwidth */
#include <limits.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wchar.h>

#include "cli/cli.h"

static int lang_zh; /* 1: Chinese */

#ifndef SG_LOCALEDIR
#define SG_LOCALEDIR "/usr/local/share/locale"
#endif

/* \return 1 when \p v names Chinese ("zh", "zh_CN.UTF-8", "zh-Hans"). */
static int is_zh(const char *v)
{
    return v && (v[0] == 'z' || v[0] == 'Z') && (v[1] == 'h' || v[1] == 'H') &&
           (v[2] == '\0' || v[2] == '_' || v[2] == '-' || v[2] == '.');
}

/* The language the environment asks for: the first non-empty of LC_ALL,
 * LC_MESSAGES, LANG. Borrowed; NULL when none is set. */
static const char *env_language(void)
{
    static const char *const vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
    for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
        const char *v = getenv(vars[i]);
        if (v && *v)
            return v;
    }
    return NULL;
}

/* \return 1 if DIR/zh_CN/LC_MESSAGES/sanigrid.mo is a file. */
static int has_catalogue(const char *dir)
{
    char path[PATH_MAX];
    struct stat st;
    int n = snprintf(path, sizeof path, "%s/zh_CN/LC_MESSAGES/%s.mo", dir,
                     SG_TEXTDOMAIN);
    return n > 0 && (size_t)n < sizeof path && stat(path, &st) == 0 &&
           S_ISREG(st.st_mode);
}

const char *cli_beside_exe(const char *in_build, const char *installed,
                           int (*ok)(const char *dir), char *buf, size_t size)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return NULL;
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (slash)
        *slash = '\0';
    const char *rel[] = {in_build, installed};
    for (size_t i = 0; i < 2; i++) {
        int w = snprintf(buf, size, "%s/%s", exe, rel[i]);
        if (w > 0 && (size_t)w < size && ok(buf))
            return buf;
    }
    return NULL;
}

/* Bind the catalogue found beside the running binary: EXEDIR/locale (the
 * build tree) or EXEDIR/../share/locale (an installed tree); otherwise
 * the library keeps its install location. */
static void bind_catalogue(void)
{
    char dir[PATH_MAX];
    const char *found = cli_beside_exe("locale", "../share/locale",
                                       has_catalogue, dir, sizeof dir);
    sg_set_localedir(found ? found : SG_LOCALEDIR);
    textdomain(SG_TEXTDOMAIN);
}

int cli_lang_init(int *argc, char **argv, const char **bad)
{
    const char *want = NULL;
    int out = 0;
    *bad = NULL;
    for (int i = 0; i < *argc; i++) {
        const char *a = argv[i];
        if (i > 0 && !strcmp(a, "--lang") && i + 1 < *argc) {
            want = argv[++i];
            continue;
        }
        if (i > 0 && !strncmp(a, "--lang=", 7)) {
            want = a + 7;
            continue;
        }
        if (i > 0 && !strcmp(a, "--lang")) {
            want = "";
            continue;
        }
        argv[out++] = argv[i];
    }
    argv[out] = NULL;
    *argc = out;
    int help = 0;
    for (int i = 1; i < out; i++)
        help |= !strcmp(argv[i], "--help") || !strcmp(argv[i], "-h");
    if (want && !is_zh(want) && strcmp(want, "en") && strncmp(want, "en_", 3) &&
        strcmp(want, "C"))
        *bad = want;
    if (help) /* --help shows the help whatever else is on the line */
        *bad = NULL;
    lang_zh = want && !*bad ? is_zh(want) : is_zh(env_language());

    /* LANGUAGE picks the catalogue; "en" has none, so English is the
     * message ids themselves whatever LANG says. */
    setenv("LANGUAGE", lang_zh ? "zh_CN" : "en", 1);
    if (!setlocale(LC_MESSAGES, ""))
        setlocale(LC_MESSAGES, "C.UTF-8");
    else if (lang_zh && !strcmp(setlocale(LC_MESSAGES, NULL), "C"))
        setlocale(LC_MESSAGES, "C.UTF-8");
    /* Display widths of CJK text (wcwidth) need a UTF-8 LC_CTYPE. */
    if (!setlocale(LC_CTYPE, "") || !strcmp(setlocale(LC_CTYPE, NULL), "C"))
        setlocale(LC_CTYPE, "C.UTF-8");
    bind_catalogue();
    cli_doc_set_lang(lang_zh ? "zh" : "en"); /* docs/cli/NAME.zh.md */
    return lang_zh;
}

int cli_lang_zh(void)
{
    return lang_zh;
}

int cli_text_width(const char *s, size_t *cut, int max)
{
    mbstate_t st;
    memset(&st, 0, sizeof st);
    int w = 0;
    size_t i = 0, n = s ? strlen(s) : 0;
    while (i < n) {
        wchar_t wc;
        size_t k = mbrtowc(&wc, s + i, n - i, &st);
        int cw = 1;
        if (k == (size_t)-1 || k == (size_t)-2) {
            k = 1; /* a stray byte: one column */
            memset(&st, 0, sizeof st);
        } else {
            if (k == 0)
                break;
            cw = wcwidth(wc);
            if (cw < 0)
                cw = 1;
        }
        if (max >= 0 && w + cw > max)
            break;
        w += cw;
        i += k;
    }
    if (cut)
        *cut = i;
    return w;
}

void cli_put_left(FILE *f, const char *s, int width)
{
    int w = cli_text_width(s ? s : "", NULL, -1);
    fputs(s ? s : "", f);
    for (; w < width; w++)
        fputc(' ', f);
}

void cli_put_cell(FILE *f, const char *s, int width, int right)
{
    size_t cut = 0;
    int w = cli_text_width(s ? s : "", &cut, width);
    if (right)
        for (int i = w; i < width; i++)
            fputc(' ', f);
    fwrite(s ? s : "", 1, cut, f);
    if (!right)
        for (int i = w; i < width; i++)
            fputc(' ', f);
}
