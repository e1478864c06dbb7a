/* Fuzz target: the SLD style parser (src/render/style.c, libxml2): the
 * input is an SLD document given to sg__style_parse; a parsed style is
 * then queried (its property names, rule matching for a few attribute
 * sets and scales), written as a QGIS style (src/render/qml.c) and
 * freed. Colours go through sg__parse_color.
 * Invariants: only SG_OK or SG_ERR_IO_FORMAT; an external entity (the
 * seed xxe.sld names /etc/hostname) is never expanded into the style;
 * the QGIS style of a parsed style is well-formed XML.
 * Not for: drawing (render) or the built-in styles' content.
 * SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#include "core/ctx_int.h"
#include "render/style_int.h"
#include "sanigrid/sanigrid.h"
#include "fuzz_check.h"

static sg_ctx *ctx;
static char secret[256]; /* first line of /etc/hostname, if any */

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    sg_library_init();
    ctx = sg_ctx_new();
    if (!ctx)
        exit(1);
    FILE *f = fopen("/etc/hostname", "r");
    if (f) {
        if (fgets(secret, sizeof secret, f))
            secret[strcspn(secret, "\r\n")] = '\0';
        fclose(f);
    }
    if (strlen(secret) < 4)
        secret[0] = '\0'; /* too short to tell from chance */
    return 0;
}

void sg_fuzz_cleanup(void)
{
    sg_ctx_free(ctx);
    ctx = NULL;
    sg_library_shutdown();
}

/* Nothing read from outside the document may appear in \p s. */
static void check_text(const char *s)
{
    if (s && secret[0])
        FUZZ_CHECK(strstr(s, secret) == NULL);
}

/* Collect up to 8 property names (borrowed from the style). */
typedef struct props {
    const char *names[8];
    size_t n;
} props;

static void add_prop(const char *name, void *user)
{
    props *p = user;
    FUZZ_CHECK(name != NULL);
    check_text(name);
    for (size_t i = 0; i < p->n; i++)
        if (!strcmp(p->names[i], name))
            return;
    if (p->n < 8)
        p->names[p->n++] = name;
}

/* Match every feature type style's rules against a few attribute sets:
 * all NULL, numbers, texts. */
static void query(const sg__style *st)
{
    props p = {{0}, 0};
    sg__style_properties(st, SG_PROPS_FILTERS | SG_PROPS_VALUES, add_prop, &p);
    sg__value vals[8];
    char text[8][16];
    static const double scales[] = {0, 1, 5000, 1e9};
    for (int variant = 0; variant < 3; variant++) {
        for (size_t i = 0; i < p.n; i++) {
            vals[i].type = variant == 0   ? SG_V_NULL
                           : variant == 1 ? SG_V_NUM
                                          : SG_V_TEXT;
            vals[i].num = (double)i * 3.5 - 1;
            snprintf(text[i], sizeof text[i], "v%zu", i);
            vals[i].text = variant == 2 ? text[i] : NULL;
        }
        sg__attrs attrs = {p.names, vals, p.n};
        for (size_t k = 0; k < st->nfts; k++) {
            size_t idx[64];
            for (size_t s = 0; s < sizeof scales / sizeof scales[0]; s++) {
                size_t n =
                    sg__fts_match(&st->fts[k], &attrs, scales[s], idx, 64);
                FUZZ_CHECK(n <= 64);
                for (size_t j = 0; j < n; j++)
                    FUZZ_CHECK(idx[j] < st->fts[k].nrules);
            }
        }
    }
}

/* Write \p st as a QGIS style: it succeeds, holds nothing from outside
 * the document and reads back as XML. */
static void qml(const sg__style *st)
{
    char *text = NULL;
    size_t len = 0;
    FUZZ_CHECK(sg__style_to_qml(ctx, st, NULL, &text, &len) == SG_OK);
    FUZZ_CHECK(text != NULL && strlen(text) == len && len <= 0x7fffffff);
    check_text(text);
    xmlDocPtr doc = xmlReadMemory(text, (int)len, "fuzz.qml", NULL,
                                  XML_PARSE_NONET | XML_PARSE_NOERROR |
                                      XML_PARSE_NOWARNING);
    FUZZ_CHECK(doc != NULL);
    xmlFreeDoc(doc);
    free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sg__style *st = NULL;
    sg_status rc = sg__style_parse(ctx, (const char *)data, size, "fuzz", &st);
    FUZZ_CHECK(rc == SG_OK || rc == SG_ERR_IO_FORMAT);
    FUZZ_CHECK((rc == SG_OK) == (st != NULL));
    if (st) {
        check_text(st->layer_name);
        check_text(st->title);
        check_text(st->abstract);
        query(st);
        qml(st);
        sg__style_free(st);
    }
    /* the input as a colour */
    char col[32];
    size_t n = size < sizeof col - 1 ? size : sizeof col - 1;
    memcpy(col, data, n);
    col[n] = '\0';
    sg__rgba c;
    /* regressions/fuzz_sld_style/color-sign: "#-a2B3c" (strtoul took the
     * sign) must be refused; whatever is accepted is in range */
    if (sg__parse_color(col, &c))
        FUZZ_CHECK(c.r >= 0 && c.r <= 1 && c.g >= 0 && c.g <= 1 && c.b >= 0 &&
                   c.b <= 1 && c.a >= 0 && c.a <= 1);
    sg_ctx_clear_error(ctx);
    return 0;
}
