/* Fuzz target: the scan of a --where expression for the functions it
 * calls on a PostgreSQL store (sg__pg_where_refused, src/store/
 * pg_where.c): the input, as one C string, is scanned as PostgreSQL's
 * lexer would (literals, dollar quotes, quoted names, nested comments).
 * Invariants: the answer is 0 or 1; a refusal names a function
 * ("function NAME()") within the buffer; an input without "(" is never
 * refused; an allowed function called plainly is never refused.
 * Not for: running the filter (needs a PostgreSQL server: pg_show.sh).
 * SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/filter_int.h"
#include "fuzz_check.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    FUZZ_CHECK(s != NULL);
    memcpy(s, data, size);
    s[size] = '\0';
    char refused[64];
    memset(refused, 'x', sizeof refused);
    int r = sg__pg_where_refused(s, refused, sizeof refused);
    FUZZ_CHECK(r == 0 || r == 1);
    if (r) {
        FUZZ_CHECK(memchr(refused, '\0', sizeof refused) != NULL);
        FUZZ_CHECK(!strncmp(refused, "function ", 9));
        FUZZ_CHECK(strchr(s, '(') != NULL);
    }
    /* the same text behind an allowed call changes nothing before it */
    size_t n = strlen(s);
    char *t = malloc(n + 32);
    FUZZ_CHECK(t != NULL);
    snprintf(t, n + 32, "length(x) > 0 AND (%s)", s);
    FUZZ_CHECK(sg__pg_where_refused(t, refused, sizeof refused) == r ||
               strchr(s, '\'') || strchr(s, '"') || strchr(s, '$') ||
               strchr(s, '-') || strchr(s, '/') || strchr(s, '.') ||
               strchr(s, ':'));
    free(t);
    free(s);
    return 0;
}

void sg_fuzz_cleanup(void)
{
}
