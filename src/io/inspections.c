/* Inspection import extras (declared in inspections_int.h): score sheets
 * name their unit by code or by name (村/网格编码, 村名, 网格名称); each
 * value is matched to a division or grid of the store, names to their
 * code, and an unknown or ambiguous unit is rejected with the reason.
 * Item-level deduction sheets need nothing here: their rows are stored
 * as they are (item, deduction) and summed per inspection when ranking.
 * Not for: reading the sheet (import.c), SQL (src/store).
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "io/inspections_int.h"

/* A unit's code and one of its names. */
typedef struct unit_entry {
    char *key;  /* owned: the code, or the name */
    char *code; /* owned: the code */
} unit_entry;

struct sg__unit_resolver {
    unit_entry *codes; /* sorted by key (strcmp) */
    size_t ncodes;
    unit_entry *names; /* sorted by key (strcasecmp), then code */
    size_t nnames;
    size_t cap_codes, cap_names;
    int unchecked; /* the store has no units: keep values as given */
};

/* Append (key, code) to \p v. \return 0 when out of memory. */
static int push(unit_entry **v, size_t *n, size_t *cap, const char *key,
                const char *code)
{
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 256;
        unit_entry *nv = realloc(*v, nc * sizeof *nv);
        if (!nv)
            return 0;
        *v = nv;
        *cap = nc;
    }
    unit_entry *e = &(*v)[*n];
    e->key = strdup(key);
    e->code = strdup(code);
    if (!e->key || !e->code) {
        free(e->key);
        free(e->code);
        return 0;
    }
    (*n)++;
    return 1;
}

/* Scan callback for divisions and grids: code, name. */
static sg_status unit_row(sg__row *row, void *user)
{
    sg__unit_resolver *r = user;
    const char *code = sg__row_text(row, 0);
    const char *name = sg__row_text(row, 1);
    if (!code || !*code)
        return SG_OK;
    if (!push(&r->codes, &r->ncodes, &r->cap_codes, code, code) ||
        (name && *name &&
         !push(&r->names, &r->nnames, &r->cap_names, name, code)))
        return SG_ERR_NOMEM;
    return SG_OK;
}

/* Order entries by exact key. */
static int cmp_code(const void *a, const void *b)
{
    return strcmp(((const unit_entry *)a)->key, ((const unit_entry *)b)->key);
}

/* Order entries by key without ASCII case, then by code. */
static int cmp_name(const void *a, const void *b)
{
    const unit_entry *x = a, *y = b;
    int c = strcasecmp(x->key, y->key);
    return c ? c : strcmp(x->code, y->code);
}

sg_status sg__unit_resolver_new(sg_ctx *ctx, sg_store *store,
                                sg__unit_resolver **out)
{
    static const char *const dcols[] = {"division_code", "name"};
    static const char *const gcols[] = {"grid_code", "name"};
    *out = NULL;
    sg__unit_resolver *r = calloc(1, sizeof *r);
    if (!r)
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    sg_status st = sg__store_scan(ctx, store, "divisions", dcols, 2, 0, NULL,
                                  NULL, unit_row, r);
    if (st == SG_OK)
        st = sg__store_scan(ctx, store, "grids", gcols, 2, 0, NULL, NULL,
                            unit_row, r);
    if (st == SG_ERR_NOMEM)
        st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    if (st) {
        sg__unit_resolver_free(r);
        return st;
    }
    if (r->ncodes) /* qsort(NULL, 0, ...) is undefined */
        qsort(r->codes, r->ncodes, sizeof *r->codes, cmp_code);
    if (r->nnames)
        qsort(r->names, r->nnames, sizeof *r->names, cmp_name);
    r->unchecked = r->ncodes == 0;
    if (r->unchecked)
        sg__log(ctx, SG_LOG_WARN,
                "the store has no divisions or grids yet: inspection units "
                "are kept as given, not checked (import divisions and grids "
                "first to match unit names to codes)");
    *out = r;
    return SG_OK;
}

/* Index of the first entry of \p v (sorted by \p cmp) not below \p key. */
static size_t lower_bound(const unit_entry *v, size_t n, const char *key,
                          int nocase)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = nocase ? strcasecmp(v[mid].key, key) : strcmp(v[mid].key, key);
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

const char *sg__unit_resolver_find(const sg__unit_resolver *r, const char *text,
                                   char *why, size_t size)
{
    if (size)
        why[0] = '\0';
    if (!text || !*text) {
        snprintf(why, size, "no unit_code");
        return NULL;
    }
    if (r->unchecked)
        return text;
    size_t i = lower_bound(r->codes, r->ncodes, text, 0);
    if (i < r->ncodes && strcmp(r->codes[i].key, text) == 0)
        return r->codes[i].code;
    i = lower_bound(r->names, r->nnames, text, 1);
    size_t j = i, distinct = 0;
    const char *last = NULL;
    char list[256] = "";
    for (; j < r->nnames && strcasecmp(r->names[j].key, text) == 0; j++) {
        if (last && strcmp(last, r->names[j].code) == 0)
            continue; /* one unit listed twice (grid code reused) */
        last = r->names[j].code;
        if (distinct++ < 3) {
            size_t len = strlen(list);
            snprintf(list + len, sizeof list - len, "%s%s", len ? ", " : "",
                     last);
        }
    }
    if (distinct == 1)
        return r->names[i].code;
    if (distinct > 1) {
        snprintf(why, size,
                 "unit '%s' is ambiguous: %zu divisions or grids have this "
                 "name (%s%s); give the code",
                 text, distinct, list, distinct > 3 ? ", ..." : "");
        return NULL;
    }
    snprintf(why, size,
             "unknown unit '%s': no division or grid has this code or name",
             text);
    return NULL;
}

void sg__unit_resolver_free(sg__unit_resolver *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->ncodes; i++) {
        free(r->codes[i].key);
        free(r->codes[i].code);
    }
    for (size_t i = 0; i < r->nnames; i++) {
        free(r->names[i].key);
        free(r->names[i].code);
    }
    free(r->codes);
    free(r->names);
    free(r);
}
