/* The report's tables: rows of a result layer read through the store
 * (named columns only, never personal ones), filtered, sorted and cut to
 * a limit, then written as a sortable HTML table with headings and
 * values in the report's language.
 * Not for: the page, maps or runs (report.c).
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "render/report_int.h"
#include "store/store_int.h"

/* Rows read from a layer: ncols values per row. */
typedef struct rtable {
    char **cols;      /* owned */
    size_t ncols;
    sg__value *vals;  /* nrows * ncols; texts owned */
    size_t nrows, cap;
} rtable;

/* Free what \p t owns. */
static void rtable_cleanup(rtable *t)
{
    for (size_t i = 0; i < t->nrows * t->ncols; i++)
        if (t->vals[i].type == SG_V_TEXT)
            free(t->vals[i].text);
    free(t->vals);
    sg__strv_free(t->cols, t->ncols);
    memset(t, 0, sizeof *t);
}

/* Row callback: append the row's values to the rtable \p user. */
static sg_status read_row(sqlite3_stmt *row, void *user)
{
    rtable *t = user;
    if (t->nrows == t->cap) {
        size_t nc = t->cap ? t->cap * 2 : 64;
        sg__value *nv = realloc(t->vals, nc * t->ncols * sizeof *nv);
        if (!nv)
            return SG_ERR_NOMEM;
        t->vals = nv;
        t->cap = nc;
    }
    sg__value *v = &t->vals[t->nrows * t->ncols];
    memset(v, 0, t->ncols * sizeof *v);
    t->nrows++;
    for (size_t i = 0; i < t->ncols; i++) {
        int type = sqlite3_column_type(row, (int)i);
        if (type == SQLITE_INTEGER || type == SQLITE_FLOAT) {
            v[i].type = SG_V_NUM;
            v[i].num = sqlite3_column_double(row, (int)i);
        } else if (type == SQLITE_TEXT) {
            v[i].type = SG_V_TEXT;
            v[i].text = strdup((const char *)sqlite3_column_text(row, (int)i));
            if (!v[i].text)
                return SG_ERR_NOMEM;
        }
    }
    return SG_OK;
}

/* Choose the columns of \p spec that its layer has (all if spec->cols is
 * NULL) into t->cols; in a Chinese report (\p lang) without "detail". */
static sg_status pick_columns(sg_ctx *ctx, sg_store *store,
                              const char *lang, const sg__tspec *spec,
                              rtable *t)
{
    char **have = NULL;
    size_t nhave = 0;
    int has_geom;
    sg_status st = sg__layer_columns(ctx, store, spec->layer, &have, &nhave,
                                     &has_geom);
    if (st)
        return st;
    if (!spec->cols) {
        t->cols = have;
        t->ncols = nhave;
        return SG_OK;
    }
    size_t want = 0;
    while (spec->cols[want])
        want++;
    /* analyses write "detail" in English: a Chinese report leaves it out */
    int zh = strcmp(lang, "en") != 0;
    t->cols = calloc(want ? want : 1, sizeof *t->cols);
    for (size_t i = 0; t->cols && i < want; i++)
        for (size_t j = 0; j < nhave && !(zh && !strcmp(spec->cols[i],
                                                          "detail"));
             j++)
            if (have[j] && strcmp(spec->cols[i], have[j]) == 0) {
                t->cols[t->ncols++] = have[j];
                have[j] = NULL;
                break;
            }
    sg__strv_free(have, nhave);
    return t->cols ? SG_OK : sg__error(ctx, SG_ERR_NOMEM, "out of memory");
}

/* Compare rows \p a and \p b of \p t on column \p col: NULLs last,
 * numbers by value, texts by bytes. */
static int cmp_rows(const rtable *t, size_t col, size_t a, size_t b)
{
    const sg__value *x = &t->vals[a * t->ncols + col];
    const sg__value *y = &t->vals[b * t->ncols + col];
    if (x->type == SG_V_NULL || y->type == SG_V_NULL)
        return (x->type == SG_V_NULL) - (y->type == SG_V_NULL);
    if (x->type == SG_V_NUM && y->type == SG_V_NUM)
        return x->num < y->num ? -1 : x->num > y->num;
    if (x->type != y->type)
        return x->type == SG_V_NUM ? -1 : 1;
    return strcmp(x->text, y->text);
}

/* Sort the row indexes \p idx of \p t on column \p col (stable merge
 * sort; qsort has no context argument in C11). NULLs stay last either
 * way. \return 0 when out of memory (idx unchanged). */
static int sort_rows(size_t *idx, size_t n, const rtable *t, size_t col,
                     int desc)
{
    size_t *tmp = malloc((n ? n : 1) * sizeof *tmp);
    if (!tmp)
        return 0;
    for (size_t w = 1; w < n; w *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * w) {
            size_t mid = lo + w < n ? lo + w : n;
            size_t hi = lo + 2 * w < n ? lo + 2 * w : n;
            size_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi) {
                const sg__value *a = &t->vals[idx[i] * t->ncols + col];
                const sg__value *b = &t->vals[idx[j] * t->ncols + col];
                int c = cmp_rows(t, col, idx[i], idx[j]);
                if (desc && a->type != SG_V_NULL && b->type != SG_V_NULL)
                    c = -c;
                tmp[k++] = c <= 0 ? idx[i++] : idx[j++];
            }
            while (i < mid)
                tmp[k++] = idx[i++];
            while (j < hi)
                tmp[k++] = idx[j++];
        }
        memcpy(idx, tmp, n * sizeof *idx);
    }
    free(tmp);
    return 1;
}

/* \return 1 if \p s ends with \p suffix. */
static int ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

void sg__report_value(sg__buf *b, const char *lang, const char *col,
                      const sg__value *v)
{
    char num[64];
    if (v->type == SG_V_NULL) {
        sg__buf_puts(b, "—");
        return;
    }
    if (v->type == SG_V_TEXT) {
        int translate = !strcmp(col, "kind") || !strcmp(col, "unit_type") ||
                        !strcmp(col, "level") || !strcmp(col, "tier");
        sg__buf_html(b, translate && sg__tr_has(v->text)
                            ? sg__tr(lang, v->text)
                            : v->text);
        return;
    }
    double x = v->num;
    if (ends_with(col, "_share") || !strcmp(col, "share")) {
        sg__fmt_num(num, sizeof num, 100 * x, 1);
        sg__buf_printf(b, "%s%%", num);
    } else if (!strcmp(col, "rank_change")) {
        sg__fmt_num(num, sizeof num, fabs(x), 0);
        if (x > 0)
            sg__buf_printf(b, "<span class=\"up\">▲%s</span>", num);
        else if (x < 0)
            sg__buf_printf(b, "<span class=\"down\">▼%s</span>", num);
        else
            sg__buf_puts(b, "–");
    } else {
        int whole = x == floor(x) || ends_with(col, "_m") ||
                    ends_with(col, "_m2");
        sg__fmt_num(num, sizeof num, x, whole ? 0 : 2);
        sg__buf_puts(b, num);
    }
}

/* \return 1 if every value of column \p c of \p t is a number or NULL. */
static int numeric_column(const rtable *t, size_t c)
{
    for (size_t r = 0; r < t->nrows; r++)
        if (t->vals[r * t->ncols + c].type == SG_V_TEXT)
            return 0;
    return 1;
}

/* Append the rows \p idx[0..n) of \p t as an HTML table. */
static void write_table(sg__buf *b, const char *lang, const sg__tspec *spec,
                        const char *id, const rtable *t, const size_t *idx,
                        size_t n)
{
    sg__buf_printf(b, "<div class=\"tbl\"><table class=\"sortable\" "
                      "id=\"%s\" data-layer=\"%s\"><caption>",
                   id, spec->layer);
    sg__buf_html(b, sg__tr(lang, spec->caption));
    if (n < t->nrows) {
        sg__buf_puts(b, " <span class=\"note\">");
        if (strcmp(lang, "en") == 0)
            sg__buf_printf(b, "(first %zu of %zu rows)", n, t->nrows);
        else
            sg__buf_printf(b, "（显示前 %zu 行，共 %zu 行）", n, t->nrows);
        sg__buf_puts(b, "</span>");
    }
    sg__buf_puts(b, "</caption>\n<thead><tr>");
    long tier = -1;
    for (size_t c = 0; c < t->ncols; c++) {
        if (!strcmp(t->cols[c], "tier"))
            tier = (long)c;
        sg__buf_printf(b, "<th data-col=\"%s\" data-type=\"%s\">",
                       t->cols[c], numeric_column(t, c) ? "num" : "text");
        sg__buf_html(b, sg__tr(lang, t->cols[c]));
        sg__buf_puts(b, "</th>");
    }
    sg__buf_puts(b, "</tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < n; i++) {
        const sg__value *row = &t->vals[idx[i] * t->ncols];
        const char *cls = "";
        if (tier >= 0 && row[tier].type == SG_V_TEXT)
            cls = !strcmp(row[tier].text, "red")     ? " class=\"red\""
                  : !strcmp(row[tier].text, "black") ? " class=\"black\""
                                                     : "";
        sg__buf_printf(b, "<tr%s>", cls);
        for (size_t c = 0; c < t->ncols; c++) {
            if (row[c].type == SG_V_NUM) {
                char raw[64];
                sg__fmt_num(raw, sizeof raw, row[c].num, 6);
                sg__buf_printf(b, "<td class=\"n\" data-v=\"%s\">", raw);
            } else {
                sg__buf_puts(b, "<td>");
            }
            sg__report_value(b, lang, t->cols[c], &row[c]);
            sg__buf_puts(b, "</td>");
        }
        sg__buf_puts(b, "</tr>\n");
    }
    sg__buf_puts(b, "</tbody></table></div>\n");
}

sg_status sg__report_table(sg_ctx *ctx, sg_store *store, const char *lang,
                           const sg__tspec *spec, const char *id, sg__buf *b,
                           int *ntables)
{
    if (!sg__store_has_layer(store, spec->layer))
        return SG_OK;
    rtable t;
    memset(&t, 0, sizeof t);
    sg_status st = pick_columns(ctx, store, lang, spec, &t);
    if (st == SG_OK && t.ncols == 0) {
        rtable_cleanup(&t);
        return SG_OK;
    }
    if (st == SG_OK) {
        st = sg__store_scan(ctx, store, spec->layer,
                            (const char *const *)t.cols, t.ncols, 0,
                            spec->filter_col, spec->filter_val, read_row, &t);
        if (st == SG_ERR_NOMEM)
            st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    }
    size_t *idx = st == SG_OK ? malloc((t.nrows ? t.nrows : 1) * sizeof *idx)
                              : NULL;
    if (st == SG_OK && !idx)
        st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    if (st == SG_OK && t.nrows > 0) {
        for (size_t i = 0; i < t.nrows; i++)
            idx[i] = i;
        for (size_t c = 0; spec->sort_col && c < t.ncols; c++)
            if (!strcmp(t.cols[c], spec->sort_col) &&
                !sort_rows(idx, t.nrows, &t, c, spec->sort_desc))
                st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        size_t limit = spec->limit > 0 ? (size_t)spec->limit : 500;
        if (st == SG_OK) {
            write_table(b, lang, spec, id, &t, idx,
                        t.nrows < limit ? t.nrows : limit);
            (*ntables)++;
        }
    }
    free(idx);
    rtable_cleanup(&t);
    if (st)
        sg__error_prefix(ctx, "report table %s: ", spec->layer);
    return st;
}
