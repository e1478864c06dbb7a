/* The field dictionary (include/sanigrid/fields.h): data/dictionary/
 * fields.csv, embedded at build time as one string, split once per
 * process into a table of entries.
 * Not for: choosing the language (callers pass it) or any formatting.
 * SPDX-License-Identifier: MIT */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "sanigrid/fields.h"

extern const char sg__fields_csv[];
extern const size_t sg__fields_csv_len;

typedef struct label {
    char *code, *zh; /* into the entry's own copy of its values */
} label;

typedef struct entry {
    const char *layer, *field, *zh, *en, *unit, *values; /* into text */
    char *pairs;   /* owned copy of values, cut at '|' and '=' */
    label *labels; /* owned */
    size_t nlabels;
} entry;

static char *text;     /* owned copy of the CSV, cut into fields */
static entry *entries; /* owned */
static size_t nentries;

/* Cut a copy of \p e's "code=label|code=label" into e->labels; on out
 * of memory the entry keeps no labels. */
static void split_values(entry *e)
{
    size_t n = 1;
    for (const char *p = e->values; *p; p++)
        n += *p == '|';
    e->pairs = strdup(e->values);
    e->labels = calloc(n, sizeof *e->labels);
    if (!e->pairs || !e->labels) {
        free(e->pairs);
        free(e->labels);
        e->pairs = NULL;
        e->labels = NULL;
        return;
    }
    char *save = NULL;
    for (char *seg = strtok_r(e->pairs, "|", &save); seg;
         seg = strtok_r(NULL, "|", &save)) {
        char *eq = strchr(seg, '=');
        if (!eq)
            continue;
        *eq = '\0';
        e->labels[e->nlabels].code = seg;
        e->labels[e->nlabels].zh = eq + 1;
        e->nlabels++;
    }
}
static pthread_once_t once = PTHREAD_ONCE_INIT;

/* Split the embedded CSV (header line first; 6 columns, no quoting) into
 * entries. On out of memory the dictionary stays empty. */
static void load(void)
{
    text = malloc(sg__fields_csv_len + 1);
    if (!text)
        return;
    memcpy(text, sg__fields_csv, sg__fields_csv_len);
    text[sg__fields_csv_len] = '\0';
    size_t lines = 0;
    for (const char *p = text; *p; p++)
        lines += *p == '\n';
    entries = calloc(lines + 1, sizeof *entries);
    if (!entries)
        return;
    char *save = NULL;
    int header = 1;
    for (char *line = strtok_r(text, "\n", &save); line;
         line = strtok_r(NULL, "\n", &save)) {
        size_t len = strlen(line);
        if (len && line[len - 1] == '\r')
            line[len - 1] = '\0';
        if (header || !*line) {
            header = 0;
            continue;
        }
        const char *col[6] = {0};
        char *p = line;
        for (int c = 0; c < 6; c++) {
            col[c] = p;
            char *comma = p ? strchr(p, ',') : NULL;
            if (comma)
                *comma = '\0';
            p = comma ? comma + 1 : NULL;
        }
        entry *e = &entries[nentries++];
        e->layer = col[0];
        e->field = col[1];
        e->zh = col[2] && *col[2] ? col[2] : NULL;
        e->en = col[3] && *col[3] ? col[3] : NULL;
        e->unit = col[4] && *col[4] ? col[4] : NULL;
        e->values = col[5] && *col[5] ? col[5] : NULL;
        if (e->values)
            split_values(e);
    }
}

/* The entry of \p field for \p layer, else for every layer; NULL. */
static const entry *find(const char *layer, const char *field)
{
    if (!field)
        return NULL;
    pthread_once(&once, load);
    const entry *any = NULL;
    for (size_t i = 0; i < nentries; i++) {
        const entry *e = &entries[i];
        if (strcmp(e->field, field) != 0)
            continue;
        if (layer && strcmp(e->layer, layer) == 0)
            return e;
        if (!strcmp(e->layer, "*"))
            any = e;
    }
    return any;
}

/* 1 when \p lang asks for English. */
static int english(const char *lang)
{
    return lang && !strncmp(lang, "en", 2);
}

const char *sg_field_header(const char *layer, const char *field,
                            const char *lang)
{
    const entry *e = find(layer, field);
    if (!e)
        return NULL;
    return english(lang) ? e->en : e->zh;
}

const char *sg_field_unit(const char *layer, const char *field)
{
    const entry *e = find(layer, field);
    return e ? e->unit : NULL;
}

const char *sg_field_values(const char *layer, const char *field)
{
    const entry *e = find(layer, field);
    return e ? e->values : NULL;
}

const char *sg_field_value_label(const char *layer, const char *field,
                                 const char *value, const char *lang)
{
    const entry *e = find(layer, field);
    if (!e || !value || english(lang))
        return NULL;
    for (size_t i = 0; i < e->nlabels; i++)
        if (!strcmp(e->labels[i].code, value))
            return e->labels[i].zh;
    return NULL;
}

const char *sg_field_name(const char *layer, size_t i)
{
    if (!layer)
        return NULL;
    pthread_once(&once, load);
    for (size_t k = 0; k < nentries; k++)
        if (!strcmp(entries[k].layer, layer) && i-- == 0)
            return entries[k].field;
    return NULL;
}
