/* Unit tests of the CLI's language choice (cli_lang_init, src/cli/
 * i18n.c) as the help pages see it (src/cli/docs.c): --lang X and
 * --lang=X anywhere (the last wins; taken off argv), else the first
 * non-empty of LC_ALL, LC_MESSAGES, LANG; an unknown value is reported
 * unless --help is on the line; cli_doc_* answer in the language
 * chosen, from docs/cli/NAME.zh.md or NAME.md. Expectations are written
 * by hand.
 * Not for: whole pages or the embedding (tests/cli/docs_zh.sh), or
 * translated messages (po/).
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

/* The first words of the init page in each language. */
#define EN_HELP "usage: sanigrid init"
#define ZH_HELP "用法：sanigrid init"

/* Run cli_lang_init on "sanigrid" + \p words (NULL-terminated);
 * check what is left of argv against \p left (NULL-terminated) and that
 * init's page is in the language returned. \return 1 for Chinese; *bad
 * as cli_lang_init sets it. */
static int init(const char *const *words, const char *const *left,
                const char **bad)
{
    char *argv[16] = {"sanigrid"};
    int argc = 1;
    for (; words[argc - 1]; argc++)
        argv[argc] = (char *)words[argc - 1];
    argv[argc] = NULL;
    int zh = cli_lang_init(&argc, argv, bad);
    int n = 0;
    while (left[n])
        n++;
    assert_int_equal(argc, n + 1);
    assert_string_equal(argv[0], "sanigrid");
    for (int i = 0; i < n; i++)
        assert_string_equal(argv[i + 1], left[i]);
    assert_null(argv[argc]);
    assert_int_equal(cli_lang_zh(), zh);
    const char *want = zh ? ZH_HELP : EN_HELP;
    assert_true(!strncmp(cli_doc_help("init"), want, strlen(want)));
    return zh;
}

/* init() with argv "info db" left as it is and no bad value. */
static int env_only(void)
{
    const char *bad = "unset";
    int zh = init((const char *[]){"info", "db", NULL},
                  (const char *[]){"info", "db", NULL}, &bad);
    assert_null(bad);
    return zh;
}

static void test_env(void **state)
{
    (void)state;
    env3(NULL, NULL, NULL);
    assert_false(env_only());
    env3(NULL, NULL, "zh_CN.UTF-8");
    assert_true(env_only());
    env3(NULL, NULL, "C.UTF-8");
    assert_false(env_only());
    env3(NULL, NULL, "de_DE.UTF-8");
    assert_false(env_only());
    /* LC_ALL before LC_MESSAGES before LANG; empty ones are skipped */
    env3("C", "zh_CN.UTF-8", "zh_CN.UTF-8");
    assert_false(env_only());
    env3("", "zh_CN.UTF-8", "C");
    assert_true(env_only());
    env3("", "", "zh_CN.UTF-8");
    assert_true(env_only());
    env3("zh_CN.UTF-8", "C", "C");
    assert_true(env_only());
    env3(NULL, "en_US.UTF-8", "zh_CN.UTF-8");
    assert_false(env_only());
}

static void test_option(void **state)
{
    (void)state;
    const char *bad = "unset";
    env3(NULL, NULL, "zh_CN.UTF-8");
    assert_false(init((const char *[]){"info", "db", "--lang", "en", NULL},
                      (const char *[]){"info", "db", NULL}, &bad));
    assert_null(bad);
    assert_false(init((const char *[]){"--lang=en", "info", NULL},
                      (const char *[]){"info", NULL}, &bad));
    /* the last one wins; all are taken off */
    assert_true(init((const char *[]){"--lang", "en", "report", "db",
                                      "--lang=zh", "-o", "r.html", NULL},
                     (const char *[]){"report", "db", "-o", "r.html", NULL},
                     &bad));
    env3("C", NULL, NULL);
    assert_true(init((const char *[]){"rank", "--lang", "zh", NULL},
                     (const char *[]){"rank", NULL}, &bad));
    assert_null(bad);
    /* an unknown value: reported, the environment's language */
    assert_false(init((const char *[]){"info", "--lang", "fr", NULL},
                      (const char *[]){"info", NULL}, &bad));
    assert_string_equal(bad, "fr");
    assert_false(init((const char *[]){"info", "--lang", NULL},
                      (const char *[]){"info", NULL}, &bad));
    assert_non_null(bad);
    /* ... unless --help is asked for */
    assert_false(init((const char *[]){"info", "--lang", "fr", "--help", NULL},
                      (const char *[]){"info", "--help", NULL}, &bad));
    assert_null(bad);
    /* --language is another option */
    assert_false(init((const char *[]){"info", "--language", "zh", NULL},
                      (const char *[]){"info", "--language", "zh", NULL},
                      &bad));
}

static void test_docs(void **state)
{
    (void)state;
    assert_int_equal(cli_doc_set_lang("fr"), 0);
    assert_int_equal(cli_doc_set_lang(NULL), 0);
    assert_int_equal(cli_doc_set_lang("en"), 1);
    assert_string_equal(cli_doc_line("init"),
                        "create a store (a SpatiaLite file)");
    assert_int_equal(cli_doc_set_lang("zh"), 1);
    const char *zh = cli_doc_help("init");
    assert_true(!strncmp(zh, ZH_HELP, strlen(ZH_HELP)));
    assert_string_equal(cli_doc_line("init"),
                        "新建数据库（一个 SpatiaLite 文件）");
    assert_string_equal(cli_doc_args("init"), "DB [--crs EPSG:n] [--json]");
    /* "fr" left the language as it was */
    assert_int_equal(cli_doc_set_lang("fr"), 0);
    assert_ptr_equal(cli_doc_help("init"), zh);
    /* no page: a note in the language, no usage line */
    assert_null(cli_doc_args("no-such-command"));
    assert_string_equal(cli_doc_line("no-such-command"), "");
    assert_non_null(strstr(cli_doc_help("no-such-command"), "docs/cli/"));
    assert_non_null(strstr(cli_doc_help("no-such-command"), "构建时"));
    cli_doc_set_lang("en");
    assert_non_null(strstr(cli_doc_help("no-such-command"), "build time"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_env),
        cmocka_unit_test(test_option),
        cmocka_unit_test(test_docs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
