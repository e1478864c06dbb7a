/* Unit tests of the CLI's language choice (src/cli/lang.c) and of the
 * help pages' language (src/cli/docs.c): --lang and --lang= anywhere
 * before "--" (the last wins, a bad value is NULL), else the first
 * non-empty of LC_ALL, LC_MESSAGES, LANG; stripping --lang from argv;
 * sg_cli_doc_* answering in the language set. Expectations are written
 * by hand.
 * Not for: whole pages or the embedding (tests/cli/docs_zh.sh).
 * SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "helpers.h"

/* Set the three variables; NULL unsets one. */
static void env3(const char *all, const char *messages, const char *lang)
{
    const char *names[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
    const char *values[] = {all, messages, lang};
    for (int i = 0; i < 3; i++) {
        if (values[i])
            setenv(names[i], values[i], 1);
        else
            unsetenv(names[i]);
    }
}

/* sg_cli_lang_from_env on a NULL-terminated list of words after
 * "sanigrid" (argv is not changed). */
static const char *from(const char *const *words)
{
    char *argv[16] = {"sanigrid"};
    int argc = 1;
    for (; words[argc - 1]; argc++)
        argv[argc] = (char *)words[argc - 1];
    argv[argc] = NULL;
    const char *got = sg_cli_lang_from_env(argc, argv);
    for (int i = 1; i < argc; i++)
        assert_ptr_equal(argv[i], words[i - 1]);
    return got;
}

static void test_env(void **state)
{
    (void)state;
    const char *none[] = {NULL};
    env3(NULL, NULL, NULL);
    assert_string_equal(from(none), "en");
    env3(NULL, NULL, "zh_CN.UTF-8");
    assert_string_equal(from(none), "zh");
    env3(NULL, NULL, "zh_TW.Big5");
    assert_string_equal(from(none), "zh");
    env3(NULL, NULL, "C.UTF-8");
    assert_string_equal(from(none), "en");
    env3(NULL, NULL, "de_DE.UTF-8");
    assert_string_equal(from(none), "en");
    /* LC_ALL before LC_MESSAGES before LANG; empty ones are skipped */
    env3("C", "zh_CN.UTF-8", "zh_CN.UTF-8");
    assert_string_equal(from(none), "en");
    env3("", "zh_CN.UTF-8", "C");
    assert_string_equal(from(none), "zh");
    env3("", "", "zh_CN.UTF-8");
    assert_string_equal(from(none), "zh");
    env3("zh_CN.UTF-8", "C", "C");
    assert_string_equal(from(none), "zh");
    env3(NULL, "en_US.UTF-8", "zh_CN.UTF-8");
    assert_string_equal(from(none), "en");
    /* "zh" must start the value */
    env3(NULL, NULL, "en_ZH");
    assert_string_equal(from(none), "en");
    /* a NULL argv reads only the environment */
    env3(NULL, NULL, "zh_CN.UTF-8");
    assert_string_equal(sg_cli_lang_from_env(0, NULL), "zh");
}

static void test_option(void **state)
{
    (void)state;
    env3(NULL, NULL, "zh_CN.UTF-8");
    const char *en[] = {"info", "x.sqlite", "--lang", "en", NULL};
    assert_string_equal(from(en), "en");
    const char *en_eq[] = {"--lang=en", "info", NULL};
    assert_string_equal(from(en_eq), "en");
    const char *last[] = {"--lang", "en", "info", "--lang=zh", NULL};
    assert_string_equal(from(last), "zh");
    /* after "--" a --lang is a word, not an option */
    const char *dashdash[] = {"info", "--", "--lang", "en", NULL};
    assert_string_equal(from(dashdash), "zh");
    env3("C", NULL, NULL);
    const char *zh[] = {"rank", "--lang", "zh", NULL};
    assert_string_equal(from(zh), "zh");
    /* a value other than zh or en, or none, is a usage error */
    const char *bad[] = {"info", "--lang", "fr", NULL};
    assert_null(from(bad));
    const char *missing[] = {"info", "--lang", NULL};
    assert_null(from(missing));
    const char *empty[] = {"info", "--lang=", NULL};
    assert_null(from(empty));
    const char *long_zh[] = {"info", "--lang", "zh_CN", NULL};
    assert_null(from(long_zh));
    /* --language or --lang-x are other options */
    const char *other[] = {"info", "--language", "zh", "--lang-x=zh", NULL};
    assert_string_equal(from(other), "en");
}

/* strip(words..., NULL) and compare with want(..., NULL). */
static void check_strip(const char *const *words, const char *const *want)
{
    char *argv[16] = {"sanigrid"};
    int argc = 1;
    for (; words[argc - 1]; argc++)
        argv[argc] = (char *)words[argc - 1];
    argv[argc] = NULL;
    int n = sg_cli_strip_lang(argc, argv);
    int w = 0;
    while (want[w])
        w++;
    assert_int_equal(n, w + 1);
    assert_string_equal(argv[0], "sanigrid");
    for (int i = 0; i < w; i++)
        assert_string_equal(argv[i + 1], want[i]);
    assert_null(argv[n]);
}

static void test_strip(void **state)
{
    (void)state;
    check_strip((const char *[]){"info", "db", NULL},
                (const char *[]){"info", "db", NULL});
    check_strip((const char *[]){"--lang", "zh", "info", "db", NULL},
                (const char *[]){"info", "db", NULL});
    check_strip((const char *[]){"info", "--lang=en", "db", "--json", NULL},
                (const char *[]){"info", "db", "--json", NULL});
    check_strip((const char *[]){"report", "db", "--lang", "zh", "-o",
                                 "r.html", "--lang", "en", NULL},
                (const char *[]){"report", "db", "-o", "r.html", NULL});
    check_strip((const char *[]){"info", "--lang", NULL},
                (const char *[]){"info", NULL});
    check_strip((const char *[]){"info", "--", "--lang", "zh", NULL},
                (const char *[]){"info", "--", "--lang", "zh", NULL});
    check_strip((const char *[]){"--language", "zh", NULL},
                (const char *[]){"--language", "zh", NULL});
}

static void test_docs(void **state)
{
    (void)state;
    assert_int_equal(sg_cli_doc_set_lang("fr"), 0);
    assert_int_equal(sg_cli_doc_set_lang(NULL), 0);
    assert_int_equal(sg_cli_doc_set_lang("en"), 1);
    assert_true(!strncmp(sg_cli_doc_help("init"), "usage: sanigrid init", 20));
    assert_string_equal(sg_cli_doc_line("init"),
                        "create a store (a SpatiaLite file)");
    assert_int_equal(sg_cli_doc_set_lang("zh"), 1);
    const char *zh = sg_cli_doc_help("init");
    assert_true(!strncmp(zh, "用法：sanigrid init", strlen("用法：sanigrid init")));
    assert_string_equal(sg_cli_doc_line("init"),
                        "新建数据库（一个 SpatiaLite 文件）");
    assert_string_equal(sg_cli_doc_args("init"), "DB [--crs EPSG:n] [--json]");
    /* "fr" left the language as it was */
    assert_int_equal(sg_cli_doc_set_lang("fr"), 0);
    assert_ptr_equal(sg_cli_doc_help("init"), zh);
    /* no page: the note in the language, no usage line */
    assert_null(sg_cli_doc_args("no-such-command"));
    assert_string_equal(sg_cli_doc_line("no-such-command"), "");
    assert_non_null(strstr(sg_cli_doc_help("no-such-command"), "docs/cli/"));
    /* sg_cli_set_lang: the pages and sg_cli_lang follow */
    sg_cli_set_lang("en");
    assert_string_equal(sg_cli_lang(), "en");
    assert_true(!strncmp(sg_cli_doc_help("init"), "usage:", 6));
    sg_cli_set_lang("zh");
    assert_string_equal(sg_cli_lang(), "zh");
    assert_ptr_equal(sg_cli_doc_help("init"), zh);
    sg_cli_set_lang("anything else");
    assert_string_equal(sg_cli_lang(), "en");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_env),
        cmocka_unit_test(test_option),
        cmocka_unit_test(test_strip),
        cmocka_unit_test(test_docs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
