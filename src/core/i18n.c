/* Messages in the reader's language: sanigrid's error, log and progress
 * texts are GNU gettext message ids of the "sanigrid" domain, translated
 * through the catalogues in po/ (built into LOCALEDIR/<lang>/LC_MESSAGES/
 * sanigrid.mo). The library only looks words up; the language is the
 * process's (LANGUAGE, LC_ALL, LC_MESSAGES, LANG), which the program that
 * links us chooses (the CLI: --lang or the environment).
 * Not for: choosing the language, or printing.
 * SPDX-License-Identifier: MIT */
#include <libintl.h>
#include <pthread.h>

#include "core/ctx_int.h"

#ifndef SG_LOCALEDIR
#define SG_LOCALEDIR "/usr/local/share/locale"
#endif

static pthread_once_t bound = PTHREAD_ONCE_INIT;

/* Bind the domain to the install location and to UTF-8 once per process,
 * unless sg_set_localedir() did it first. */
static void bind_default(void)
{
    bindtextdomain(SG_TEXTDOMAIN, SG_LOCALEDIR);
    bind_textdomain_codeset(SG_TEXTDOMAIN, "UTF-8");
}

void sg_set_localedir(const char *dir)
{
    pthread_once(&bound, bind_default);
    if (dir && *dir)
        bindtextdomain(SG_TEXTDOMAIN, dir);
}

const char *sg__gettext(const char *msgid)
{
    if (!msgid || !*msgid)
        return msgid;
    pthread_once(&bound, bind_default);
    return dgettext(SG_TEXTDOMAIN, msgid);
}
