/* Attributes in KML descriptions (see kml_desc_int.h): 奥维/Ovital and
 * Google Earth keep a placemark's road grade or facility type as HTML in
 * <description> (`<table><tr><td>等级</td><td>县道</td></tr>...` or
 * `等级：县道<br>`), which GDAL hands over as one text column. libxml2's
 * HTML parser (forgiving, like a browser) turns it into a tree; the
 * tables' rows and the text's lines become name/value pairs; the KML
 * layer is copied into an OGR Memory layer with one column per name.
 * Not for: ExtendedData (GDAL reads it), KML output (export_kml.c).
 * SPDX-License-Identifier: MIT */
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "io/kml_desc_int.h"

/* A name longer than this (bytes; 16 CJK characters) is prose, not a
 * field name: "备注: ..." is a pair, a sentence with a colon is not. */
#define KEY_MAX 48

/* New columns at most: a file of free-text descriptions must not grow a
 * column per sentence. */
#define NAMES_MAX 64

typedef struct pairs {
    sg__kv *kv;
    size_t n, cap;
    int oom;
    char *line; /* the text line being gathered */
    size_t len, lcap;
} pairs;

void sg__kv_free(sg__kv *kv, size_t n)
{
    for (size_t i = 0; kv && i < n; i++) {
        free(kv[i].key);
        free(kv[i].value);
    }
    free(kv);
}

/* Length of the blank at \p s: ASCII white space 1, U+00A0 (&nbsp;) 2,
 * U+3000 IDEOGRAPHIC SPACE 3, otherwise 0. */
static size_t blank_at(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    if (*u == ' ' || *u == '\t' || *u == '\r' || *u == '\n' || *u == '\f' ||
        *u == '\v')
        return 1;
    if (u[0] == 0xC2 && u[1] == 0xA0)
        return 2;
    if (u[0] == 0xE3 && u[1] == 0x80 && u[2] == 0x80)
        return 3;
    return 0;
}

/* Copy of s[0..n) with every run of blanks one space and none at either
 * end; NULL when out of memory. */
static char *squeeze(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (!d)
        return NULL;
    size_t o = 0, i = 0;
    int space = 0;
    while (i < n && s[i]) {
        size_t b = blank_at(s + i);
        if (b) {
            space = o > 0;
            i += b;
            continue;
        }
        if (space)
            d[o++] = ' ';
        space = 0;
        d[o++] = s[i++];
    }
    d[o] = '\0';
    return d;
}

/* Length of a colon at \p s: ':' 1, full-width '：' (U+FF1A) 3, else 0. */
static size_t colon_at(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    if (*u == ':')
        return 1;
    if (u[0] == 0xEF && u[1] == 0xBC && u[2] == 0x9A)
        return 3;
    return 0;
}

/* Add the pair (key[0..kn), value[0..vn)) after cleaning: blanks
 * squeezed, a trailing colon off the name; a name too long, holding
 * "//" or '<', an empty value or one starting "//" (both halves of a URL)
 * is no pair. */
static void add_pair(pairs *p, const char *key, size_t kn, const char *value,
                     size_t vn)
{
    char *k = squeeze(key, kn), *v = squeeze(value, vn);
    if (!k || !v) {
        p->oom = 1;
        goto skip;
    }
    size_t n = strlen(k);
    for (;;) {
        if (n >= 1 && k[n - 1] == ':')
            n--;
        else if (n >= 3 && colon_at(k + n - 3) == 3)
            n -= 3;
        else
            break;
        while (n && k[n - 1] == ' ')
            n--;
    }
    k[n] = '\0';
    if (!n || n > KEY_MAX || !v[0] || strstr(k, "//") || strchr(k, '<') ||
        !strncmp(v, "//", 2))
        goto skip;
    for (size_t i = 0; i < p->n; i++)
        if (!strcasecmp(p->kv[i].key, k))
            goto skip;
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 8;
        sg__kv *kv = realloc(p->kv, cap * sizeof *kv);
        if (!kv) {
            p->oom = 1;
            goto skip;
        }
        p->kv = kv;
        p->cap = cap;
    }
    p->kv[p->n].key = k;
    p->kv[p->n].value = v;
    p->n++;
    return;
skip:
    free(k);
    free(v);
}

/* End the current text line: "name: value" (first colon) is a pair. */
static void flush_line(pairs *p)
{
    if (!p->len)
        return;
    p->line[p->len] = '\0';
    const char *s = p->line;
    for (size_t i = 0; s[i]; i++) {
        size_t c = colon_at(s + i);
        if (c) {
            add_pair(p, s, i, s + i + c, strlen(s + i + c));
            break;
        }
    }
    p->len = 0;
}

/* Append text to the current line, ending lines at line breaks. */
static void add_text(pairs *p, const char *t)
{
    for (; t && *t; t++) {
        if (*t == '\n' || *t == '\r') {
            flush_line(p);
            continue;
        }
        if (p->len + 2 > p->lcap) {
            size_t cap = p->lcap ? p->lcap * 2 : 256;
            char *l = realloc(p->line, cap);
            if (!l) {
                p->oom = 1;
                return;
            }
            p->line = l;
            p->lcap = cap;
        }
        p->line[p->len++] = *t;
    }
}

/* 1 if element \p n is named \p name (the HTML parser lower-cases). */
static int is(const xmlNode *n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE &&
           !strcmp((const char *)n->name, name);
}

/* 1 for elements that end a line of text before and after them. */
static int is_block(const xmlNode *n)
{
    static const char *const blocks[] = {
        "p",  "div", "li",         "ul",     "ol",   "dl",   "dt",
        "dd", "h1",  "h2",         "h3",     "h4",   "h5",   "h6",
        "hr", "pre", "blockquote", "center", "body", "html", "tr",
        "td", "th",  "caption",    NULL};
    for (int i = 0; blocks[i]; i++)
        if (is(n, blocks[i]))
            return 1;
    return 0;
}

/* 1 if \p n has a <table> among its descendants. */
static int has_table(const xmlNode *n)
{
    for (const xmlNode *c = n->children; c; c = c->next)
        if (is(c, "table") || (c->type == XML_ELEMENT_NODE && has_table(c)))
            return 1;
    return 0;
}

static void walk(pairs *p, const xmlNode *n);

/* Text of a cell; NULL when out of memory. Caller frees with xmlFree. */
static char *cell_text(const xmlNode *c)
{
    xmlChar *t = xmlNodeGetContent(c);
    return (char *)t;
}

/* Cells (<td>, <th>) of row \p tr, at most \p max, into \p cells. */
static int row_cells(const xmlNode *tr, const xmlNode **cells, int max,
                     int *all_th)
{
    int n = 0;
    *all_th = 1;
    for (const xmlNode *c = tr->children; c; c = c->next) {
        int td = is(c, "td"), th = is(c, "th");
        if (!td && !th)
            continue;
        if (td)
            *all_th = 0;
        if (n < max)
            cells[n] = c;
        n++;
    }
    return n;
}

enum { MAXCELLS = 32 };

/* Header row of a table whose names stand over a row of values. */
typedef struct header {
    char *text[MAXCELLS];
    int n;
} header;

static void header_clear(header *h)
{
    for (int i = 0; i < h->n; i++)
        xmlFree(h->text[i]);
    h->n = 0;
}

/* A pending two-cell header that no value row followed is a pair. */
static void header_flush(pairs *p, header *h)
{
    if (h->n == 2 && h->text[0] && h->text[1])
        add_pair(p, h->text[0], strlen(h->text[0]), h->text[1],
                 strlen(h->text[1]));
    header_clear(h);
}

/* One row: two cells are name and value; a row of <th> (or of three or
 * more cells) is a header over the next row; one cell is text. */
static void do_row(pairs *p, const xmlNode *tr, header *h)
{
    const xmlNode *cells[MAXCELLS];
    int all_th;
    int n = row_cells(tr, cells, MAXCELLS, &all_th);
    if (n > MAXCELLS || n == 0)
        return;
    for (int i = 0; i < n; i++)
        if (has_table(cells[i])) {
            /* a layout cell around the real table (ArcGIS's export) */
            header_flush(p, h);
            for (int k = 0; k < n; k++) {
                flush_line(p);
                walk(p, cells[k]);
                flush_line(p);
            }
            return;
        }
    if (h->n == n && !all_th) {
        for (int i = 0; i < n; i++) {
            char *v = cell_text(cells[i]);
            if (v && h->text[i])
                add_pair(p, h->text[i], strlen(h->text[i]), v, strlen(v));
            xmlFree(v);
        }
        header_clear(h);
        return;
    }
    header_flush(p, h);
    if (n == 1) {
        flush_line(p);
        walk(p, cells[0]);
        flush_line(p);
    } else if (n == 2 && !all_th) {
        char *k = cell_text(cells[0]), *v = cell_text(cells[1]);
        if (k && v)
            add_pair(p, k, strlen(k), v, strlen(v));
        xmlFree(k);
        xmlFree(v);
    } else {
        for (int i = 0; i < n; i++)
            h->text[i] = cell_text(cells[i]);
        h->n = n;
    }
}

/* The rows of \p t (in <thead>, <tbody>, <tfoot> or directly). */
static void do_rows(pairs *p, const xmlNode *t, header *h)
{
    for (const xmlNode *c = t->children; c; c = c->next) {
        if (is(c, "tr"))
            do_row(p, c, h);
        else if (is(c, "thead") || is(c, "tbody") || is(c, "tfoot"))
            do_rows(p, c, h);
    }
}

/* Gather pairs from the children of \p n: tables by rows, the rest as
 * lines of text. */
static void walk(pairs *p, const xmlNode *n)
{
    for (const xmlNode *c = n->children; c && !p->oom; c = c->next) {
        if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
            add_text(p, (const char *)c->content);
            continue;
        }
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (is(c, "script") || is(c, "style") || is(c, "head") ||
            is(c, "title"))
            continue;
        if (is(c, "table")) {
            header h;
            h.n = 0;
            flush_line(p);
            do_rows(p, c, &h);
            header_flush(p, &h);
            continue;
        }
        int block = is_block(c);
        if (block || is(c, "br"))
            flush_line(p);
        walk(p, c);
        if (block)
            flush_line(p);
    }
}

/* 1 if \p s contains \p w, ASCII case ignored. */
static int contains_ci(const char *s, const char *w)
{
    size_t n = strlen(w);
    for (; *s; s++)
        if (!strncasecmp(s, w, n))
            return 1;
    return 0;
}

long sg__kml_desc_pairs(const char *html, sg__kv **out)
{
    *out = NULL;
    if (!html || !*html)
        return 0;
    /* no colon and no table cell: nothing to find, skip the parser */
    if (!strchr(html, ':') && !strstr(html, "\xEF\xBC\x9A") &&
        !contains_ci(html, "<td") && !contains_ci(html, "<th"))
        return 0;
    size_t len = strlen(html);
    if (len > (size_t)1 << 30)
        return 0;
    xmlInitParser();
    htmlDocPtr doc =
        htmlReadMemory(html, (int)len, NULL, "UTF-8",
                       HTML_PARSE_RECOVER | HTML_PARSE_NOERROR |
                           HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
    if (!doc)
        return 0;
    pairs p;
    memset(&p, 0, sizeof p);
    walk(&p, (const xmlNode *)doc);
    flush_line(&p);
    xmlFreeDoc(doc);
    free(p.line);
    if (p.oom) {
        sg__kv_free(p.kv, p.n);
        return -1;
    }
    *out = p.kv;
    return (long)p.n;
}

/* ---- the layer copy ---------------------------------------------------- */

/* Index of the description column of \p fd, or -1. */
static int description_column(OGRFeatureDefnH fd)
{
    int n = OGR_FD_GetFieldCount(fd);
    for (int i = 0; i < n; i++)
        if (!strcasecmp(OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(fd, i)),
                        "description"))
            return i;
    return -1;
}

/* Names found (new columns), in order of first appearance. */
typedef struct names {
    char *name[NAMES_MAX];
    int n;
    long pairs; /* pairs in all, existing columns too */
} names;

/* First pass: the names the descriptions hold that are no column yet. */
static sg_status collect_names(sg_ctx *ctx, OGRLayerH in, int di, names *nm)
{
    OGRFeatureDefnH fd = OGR_L_GetLayerDefn(in);
    OGRFeatureH f;
    sg_status st = SG_OK;
    OGR_L_ResetReading(in);
    while (st == SG_OK && (f = OGR_L_GetNextFeature(in)) != NULL) {
        sg__kv *kv = NULL;
        long n = OGR_F_IsFieldSetAndNotNull(f, di)
                     ? sg__kml_desc_pairs(OGR_F_GetFieldAsString(f, di), &kv)
                     : 0;
        if (n < 0)
            st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        for (long i = 0; i < n && st == SG_OK; i++) {
            nm->pairs++;
            if (OGR_FD_GetFieldIndex(fd, kv[i].key) >= 0)
                continue;
            int seen = 0;
            for (int k = 0; k < nm->n && !seen; k++)
                seen = !strcasecmp(nm->name[k], kv[i].key);
            if (seen || nm->n >= NAMES_MAX)
                continue;
            nm->name[nm->n] = strdup(kv[i].key);
            if (!nm->name[nm->n])
                st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
            else
                nm->n++;
        }
        sg__kv_free(kv, n > 0 ? (size_t)n : 0);
        OGR_F_Destroy(f);
    }
    OGR_L_ResetReading(in);
    return st;
}

/* Second pass: every feature into \p out, its pairs into the columns
 * (an existing column only where it is empty). */
static sg_status copy_features(sg_ctx *ctx, OGRLayerH in, int di, OGRLayerH out,
                               const char *source)
{
    OGRFeatureDefnH od = OGR_L_GetLayerDefn(out);
    OGRFeatureH f;
    sg_status st = SG_OK;
    OGR_L_ResetReading(in);
    while (st == SG_OK && (f = OGR_L_GetNextFeature(in)) != NULL) {
        OGRFeatureH g = OGR_F_Create(od);
        if (!g || OGR_F_SetFrom(g, f, TRUE) != OGRERR_NONE)
            st = sg__error(ctx, SG_ERR_IO_FORMAT,
                           "%s: cannot copy feature %lld to read its "
                           "description",
                           source, (long long)OGR_F_GetFID(f));
        sg__kv *kv = NULL;
        long n = st == SG_OK && OGR_F_IsFieldSetAndNotNull(f, di)
                     ? sg__kml_desc_pairs(OGR_F_GetFieldAsString(f, di), &kv)
                     : 0;
        if (n < 0)
            st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        for (long i = 0; i < n; i++) {
            int k = OGR_F_GetFieldIndex(g, kv[i].key);
            if (k >= 0 && (!OGR_F_IsFieldSetAndNotNull(g, k) ||
                           !*OGR_F_GetFieldAsString(g, k)))
                OGR_F_SetFieldString(g, k, kv[i].value);
        }
        sg__kv_free(kv, n > 0 ? (size_t)n : 0);
        if (st == SG_OK && OGR_L_CreateFeature(out, g) != OGRERR_NONE)
            st = sg__error(ctx, SG_ERR_IO_FORMAT,
                           "%s: cannot copy feature %lld to read its "
                           "description",
                           source, (long long)OGR_F_GetFID(f));
        if (g)
            OGR_F_Destroy(g);
        OGR_F_Destroy(f);
    }
    OGR_L_ResetReading(in);
    return st;
}

/* "a, b, c" of the names; NULL when out of memory. */
static char *join_names(const names *nm)
{
    size_t size = 1;
    for (int i = 0; i < nm->n; i++)
        size += strlen(nm->name[i]) + 2;
    char *s = malloc(size);
    if (!s)
        return NULL;
    size_t o = 0;
    s[0] = '\0';
    for (int i = 0; i < nm->n; i++)
        o += (size_t)snprintf(s + o, size - o, "%s%s", i ? ", " : "",
                              nm->name[i]);
    return s;
}

sg_status sg__kml_desc_layer(sg_ctx *ctx, OGRLayerH in, const char *source,
                             GDALDatasetH *out_ds, OGRLayerH *out_lyr,
                             char **joined)
{
    *out_ds = NULL;
    *out_lyr = NULL;
    *joined = NULL;
    OGRFeatureDefnH fd = OGR_L_GetLayerDefn(in);
    int di = description_column(fd);
    if (di < 0)
        return SG_OK;
    names nm;
    memset(&nm, 0, sizeof nm);
    sg_status st = collect_names(ctx, in, di, &nm);
    GDALDatasetH mem = NULL;
    OGRLayerH out = NULL;
    if (st == SG_OK && nm.pairs > 0) {
        GDALDriverH drv = GDALGetDriverByName("Memory");
        mem = drv ? GDALCreate(drv, "", 0, 0, 0, GDT_Unknown, NULL) : NULL;
        out = mem ? GDALDatasetCreateLayer(mem, OGR_L_GetName(in),
                                           OGR_L_GetSpatialRef(in),
                                           OGR_L_GetGeomType(in), NULL)
                  : NULL;
        if (!out)
            st = sg__error(ctx, SG_ERR_INTERNAL,
                           "%s: cannot make an in-memory layer to read the "
                           "descriptions",
                           source);
        for (int i = 0; st == SG_OK && i < OGR_FD_GetFieldCount(fd); i++)
            if (OGR_L_CreateField(out, OGR_FD_GetFieldDefn(fd, i), TRUE) !=
                OGRERR_NONE)
                st = sg__error(ctx, SG_ERR_INTERNAL,
                               "%s: cannot copy column %s", source,
                               OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(fd, i)));
        for (int i = 0; st == SG_OK && i < nm.n; i++) {
            OGRFieldDefnH nf = OGR_Fld_Create(nm.name[i], OFTString);
            if (!nf || OGR_L_CreateField(out, nf, FALSE) != OGRERR_NONE)
                st = sg__error(ctx, SG_ERR_INTERNAL, "%s: cannot add column %s",
                               source, nm.name[i]);
            if (nf)
                OGR_Fld_Destroy(nf);
        }
        if (st == SG_OK)
            st = copy_features(ctx, in, di, out, source);
        if (st == SG_OK && nm.n && !(*joined = join_names(&nm)))
            st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    }
    for (int i = 0; i < nm.n; i++)
        free(nm.name[i]);
    if (st != SG_OK || !out) {
        if (mem)
            GDALClose(mem);
        free(*joined);
        *joined = NULL;
        return st;
    }
    *out_ds = mem;
    *out_lyr = out;
    return SG_OK;
}
