/* The report's tables: rows of a result layer read through the store
 * (named columns only, never personal ones), filtered, sorted and cut to
 * a limit, then written as a sortable HTML table with headings and
 * values in the report's language. Only the rows shown are kept while
 * the layer is read (at most twice the limit at a time), so a county's
 * worth of rows costs time, not memory; the caption says how many there
 * are and to export the layer for all of them.
 * Not for: the page, maps or runs (report.c).
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "render/report_int.h"
#include "sanigrid/fields.h"
#include "store/store_int.h"

/* Rows kept from a layer: ncols values per row, at most 2 * limit rows
 * at a time. */
typedef struct rtable {
    char **cols; /* owned */
    size_t ncols;
    sg__value *vals; /* nrows * ncols; texts owned */
    size_t *seq;     /* nrows: each row's position in the layer's order */
    size_t nrows, cap;
    size_t total;  /* rows the layer has (after the filter) */
    size_t limit;  /* rows shown, >= 1 */
    long sort_col; /* column sorted on, or -1: the layer's order */
    int desc;      /* sort_col descending */
} rtable;

/* Free what \p t owns. */
static void rtable_cleanup(rtable *t)
{
    for (size_t i = 0; i < t->nrows * t->ncols; i++)
        if (t->vals[i].type == SG_V_TEXT)
            free(t->vals[i].text);
    free(t->vals);
    free(t->seq);
    sg__strv_free(t->cols, t->ncols);
    memset(t, 0, sizeof *t);
}

static int keep_first(rtable *t, size_t k);

/* Row callback: count the row and keep its values in the rtable \p user
 * when it may be shown. */
static sg_status read_row(sg__row *row, void *user)
{
    rtable *t = user;
    size_t seq = t->total++;
    /* in the layer's order, the first rows are the ones shown */
    if (t->sort_col < 0 && t->nrows >= t->limit)
        return SG_OK;
    /* sorted: keep the best limit rows so far and read on */
    if (t->nrows >= 2 * t->limit && !keep_first(t, t->limit))
        return SG_ERR_NOMEM;
    if (t->nrows == t->cap) {
        size_t nc = t->cap ? t->cap * 2 : 64;
        sg__value *nv = realloc(t->vals, nc * t->ncols * sizeof *nv);
        if (!nv)
            return SG_ERR_NOMEM;
        t->vals = nv;
        size_t *ns = realloc(t->seq, nc * sizeof *ns);
        if (!ns)
            return SG_ERR_NOMEM;
        t->seq = ns;
        t->cap = nc;
    }
    sg__value *v = &t->vals[t->nrows * t->ncols];
    memset(v, 0, t->ncols * sizeof *v);
    t->seq[t->nrows] = seq;
    t->nrows++;
    for (size_t i = 0; i < t->ncols; i++) {
        int type = sg__row_type(row, (int)i);
        if (type == SG_VAL_INT || type == SG_VAL_REAL) {
            v[i].type = SG_V_NUM;
            v[i].num = sg__row_double(row, (int)i);
        } else if (type == SG_VAL_TEXT) {
            v[i].type = SG_V_TEXT;
            v[i].text = strdup(sg__row_text(row, (int)i));
            if (!v[i].text)
                return SG_ERR_NOMEM;
        }
    }
    return SG_OK;
}

/* Choose the columns of \p spec that its layer has (all if spec->cols is
 * NULL) into t->cols; in a Chinese report (\p lang) without "detail". */
static sg_status pick_columns(sg_ctx *ctx, sg_store *store, const char *lang,
                              const sg__tspec *spec, rtable *t)
{
    char **have = NULL;
    size_t nhave = 0;
    int has_geom;
    sg_status st =
        sg__layer_columns(ctx, store, spec->layer, &have, &nhave, &has_geom);
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
        for (size_t j = 0;
             j < nhave && !(zh && !strcmp(spec->cols[i], "detail")); j++)
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

/* Sort the row indexes \p idx of \p t on column \p col (merge sort;
 * qsort has no context argument in C11), ties in the layer's order.
 * NULLs stay last either way. \return 0 when out of memory (idx
 * unchanged). */
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
                if (c == 0)
                    c = t->seq[idx[i]] < t->seq[idx[j]] ? -1 : 1;
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

/* Sort the rows of \p t on t->sort_col (if any) and keep the first
 * \p k of them, in that order, freeing the others. \return 0 when out
 * of memory (t unchanged). */
static int keep_first(rtable *t, size_t k)
{
    size_t n = t->nrows;
    if (k > n)
        k = n;
    size_t *idx = malloc((n ? n : 1) * sizeof *idx);
    sg__value *nv = malloc((k ? k : 1) * t->ncols * sizeof *nv);
    size_t *ns = malloc((k ? k : 1) * sizeof *ns);
    int ok = idx && nv && ns;
    for (size_t i = 0; ok && i < n; i++)
        idx[i] = i;
    if (ok && t->sort_col >= 0)
        ok = sort_rows(idx, n, t, (size_t)t->sort_col, t->desc);
    if (!ok) {
        free(idx);
        free(nv);
        free(ns);
        return 0;
    }
    for (size_t i = 0; i < k; i++) {
        memcpy(&nv[i * t->ncols], &t->vals[idx[i] * t->ncols],
               t->ncols * sizeof *nv);
        ns[i] = t->seq[idx[i]];
    }
    for (size_t i = k; i < n; i++)
        for (size_t c = 0; c < t->ncols; c++)
            if (t->vals[idx[i] * t->ncols + c].type == SG_V_TEXT)
                free(t->vals[idx[i] * t->ncols + c].text);
    free(idx);
    free(t->vals);
    free(t->seq);
    t->vals = nv;
    t->seq = ns;
    t->nrows = t->cap = k;
    return 1;
}

/* \return 1 if \p s ends with \p suffix. */
static int ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

void sg__report_value(sg__buf *b, const char *lang, const char *layer,
                      const char *col, const sg__value *v)
{
    char num[64];
    if (v->type == SG_V_NULL) {
        sg__buf_puts(b, "—");
        return;
    }
    if (v->type == SG_V_TEXT) {
        /* coded values by the field dictionary's labels (在岗, 红榜 …) */
        const char *label = sg_field_value_label(layer, col, v->text, lang);
        int translate = !strcmp(col, "kind") || !strcmp(col, "unit_type") ||
                        !strcmp(col, "level") || !strcmp(col, "tier");
        sg__buf_html(b, label ? label
                        : translate && sg__tr_has(v->text)
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
        int whole =
            x == floor(x) || ends_with(col, "_m") || ends_with(col, "_m2");
        sg__fmt_num(num, sizeof num, x, whole ? 0 : 2);
        sg__buf_puts(b, num);
    }
}

/* A name or a code column (name, *_name, code, *_code, *_id): its cells
 * stay on one line (td.k), so that "Schellenberg" or a 12-digit village
 * code is never broken into pieces that read as several words. */
static int key_column(const char *col)
{
    return !strcmp(col, "name") || !strcmp(col, "code") ||
           ends_with(col, "_name") || ends_with(col, "_code") ||
           ends_with(col, "_id");
}

/* \return 1 if every value of column \p c of \p t is a number or NULL. */
static int numeric_column(const rtable *t, size_t c)
{
    for (size_t r = 0; r < t->nrows; r++)
        if (t->vals[r * t->ncols + c].type == SG_V_TEXT)
            return 0;
    return 1;
}

int sg__report_fold(sg__buf *b, const char *lang, const char *title, size_t n)
{
    if (n <= SG__REPORT_FOLD_ROWS)
        return 0;
    sg__buf_printf(b, "<details class=\"fold\" data-rows=\"%zu\"><summary>", n);
    sg__buf_html(b, title);
    if (strcmp(lang, "en") == 0)
        sg__buf_printf(b,
                       " <span class=\"note\">(%zu rows; click to "
                       "show)</span>",
                       n);
    else
        sg__buf_printf(b, " <span class=\"note\">（%zu 行，点击展开）</span>",
                       n);
    sg__buf_puts(b, "</summary>");
    return 1;
}

/* Append the rows of \p t (in order; t->total in the layer) as an HTML
 * table. */
static void write_table(sg__buf *b, const char *lang, const sg__tspec *spec,
                        const char *id, const rtable *t)
{
    size_t n = t->nrows;
    int fold = sg__report_fold(b, lang, sg__tr(lang, spec->caption), n);
    sg__buf_printf(b,
                   "<div class=\"tbl\"><table class=\"sortable\" "
                   "id=\"%s\" data-layer=\"%s\"><caption>",
                   id, spec->layer);
    sg__buf_html(b, sg__tr(lang, spec->caption));
    if (n < t->total) {
        sg__buf_puts(b, " <span class=\"note\">");
        if (strcmp(lang, "en") == 0)
            sg__buf_printf(b,
                           "(first %zu of %zu rows; export the layer "
                           "<code>%s</code> for all)",
                           n, t->total, spec->layer);
        else
            sg__buf_printf(b,
                           "（显示前 %zu 行，共 %zu 行；全部行请导出图层 "
                           "<code>%s</code>）",
                           n, t->total, spec->layer);
        sg__buf_puts(b, "</span>");
    }
    sg__buf_puts(b, "</caption>\n<thead><tr>");
    long tier = -1;
    for (size_t c = 0; c < t->ncols; c++) {
        if (!strcmp(t->cols[c], "tier"))
            tier = (long)c;
        sg__buf_printf(b, "<th data-col=\"%s\" data-type=\"%s\">", t->cols[c],
                       numeric_column(t, c) ? "num" : "text");
        const char *head = sg__tr_has(t->cols[c])
                               ? sg__tr(lang, t->cols[c])
                               : sg_field_header(spec->layer, t->cols[c], lang);
        sg__buf_html(b, head ? head : t->cols[c]);
        sg__buf_puts(b, "</th>");
    }
    sg__buf_puts(b, "</tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < n; i++) {
        const sg__value *row = &t->vals[i * t->ncols];
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
                sg__buf_puts(b, key_column(t->cols[c]) ? "<td class=\"k\">"
                                                       : "<td>");
            }
            sg__report_value(b, lang, spec->layer, t->cols[c], &row[c]);
            sg__buf_puts(b, "</td>");
        }
        sg__buf_puts(b, "</tr>\n");
    }
    sg__buf_puts(b, "</tbody></table></div>");
    sg__buf_puts(b, fold ? "</details>\n" : "\n");
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
    t.limit = spec->limit > 0 ? (size_t)spec->limit : 500;
    t.sort_col = -1;
    t.desc = spec->sort_desc;
    for (size_t c = 0; st == SG_OK && spec->sort_col && c < t.ncols; c++)
        if (!strcmp(t.cols[c], spec->sort_col))
            t.sort_col = (long)c;
    if (st == SG_OK) {
        st = sg__store_scan(ctx, store, spec->layer,
                            (const char *const *)t.cols, t.ncols, 0,
                            spec->filter_col, spec->filter_val, read_row, &t);
        if (st == SG_OK && !keep_first(&t, t.limit))
            st = SG_ERR_NOMEM;
        if (st == SG_ERR_NOMEM)
            st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    }
    if (st == SG_OK && t.nrows > 0) {
        write_table(b, lang, spec, id, &t);
        (*ntables)++;
    }
    rtable_cleanup(&t);
    if (st)
        sg__error_prefix(ctx, "report table %s: ", spec->layer);
    return st;
}
