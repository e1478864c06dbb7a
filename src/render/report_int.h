/* Internal view of the report: the tables it shows, read from result
 * layers and written as sortable HTML tables.
 * Not for: maps (map.c) or the page around the tables (report.c).
 * SPDX-License-Identifier: MIT */
#ifndef SG_RENDER_REPORT_INT_H
#define SG_RENDER_REPORT_INT_H

#include "render/render_int.h"

/** One table of the report. */
typedef struct sg__tspec {
    const char *layer;       /* store layer or table */
    const char *caption;     /* sg__tr key of the caption */
    const char *const *cols; /* NULL-terminated columns to show (those the
                                layer lacks are skipped), or NULL: every
                                non-personal column */
    const char *filter_col;  /* show only rows whose filter_col ... */
    const char *filter_val;  /* ... equals this; both NULL: all rows */
    const char *sort_col;    /* initial order (NULL or absent column:
                                the layer's order) */
    int sort_desc;           /* 1: descending */
    int limit;               /* rows shown; 0: 500 */
} sg__tspec;

/** Append the HTML table \p spec of \p store to \p b with element id
 * \p id, captions and headings in \p lang; personal columns are never
 * read. A layer that is absent or has no rows adds nothing. Increments
 * *ntables for a table written. */
sg_status sg__report_table(sg_ctx *ctx, sg_store *store, const char *lang,
                           const sg__tspec *spec, const char *id, sg__buf *b,
                           int *ntables);

/** Append \p v formatted for column \p col in \p lang to \p b as HTML
 * text (percent for shares, whole metres, translated kinds, rank change
 * arrows). */
void sg__report_value(sg__buf *b, const char *lang, const char *layer,
                      const char *col, const sg__value *v);

/** Append the conclusion section (结论: coverage, staffing, this period's
 * lists, grid problems, each sentence only when its analysis ran) in
 * \p lang to \p b (report_conclusion.c). */
sg_status sg__report_conclusion(sg_ctx *ctx, sg_store *store, const char *lang,
                                sg__buf *b);

/** Append the score history of the ranked units (report_history.c): a
 * folded block of small SVG line charts, each unit's mean inspection
 * score per period, when the inspections span two or more periods of
 * the ranking's kind; nothing otherwise. *ncharts (if not NULL) = the
 * charts drawn. */
sg_status sg__report_history(sg_ctx *ctx, sg_store *store, const char *lang,
                             sg__buf *b, int *ncharts);

/** Tables with more rows than this are folded (<details>) on screen;
 * printed, every table is open. */
#define SG__REPORT_FOLD_ROWS 15

/** Open a fold (<details class="fold"><summary>\p title (n rows)) in
 * \p b when a table of \p n rows is long. \return 1 if opened: the
 * caller closes it with "</details>" after the table. */
int sg__report_fold(sg__buf *b, const char *lang, const char *title, size_t n);

/** Where Debian's libjs-leaflet installs Leaflet. */
#define SG_LEAFLET_DIR "/usr/share/javascript/leaflet"

/** Append the interactive map section (report_webmap.c): Leaflet read
 * from \p leaflet_dir (NULL: SG_LEAFLET_DIR) and inlined, with GeoJSON
 * layers of villages (their figures on click), grids, collection points
 * and households in hexagons. Without Leaflet, a note in the section and
 * a warning logged. Fills r->webmap*. */
sg_status sg__report_webmap(sg_ctx *ctx, sg_store *store,
                            const sg_render_options *opts,
                            const char *leaflet_dir, sg__buf *b,
                            sg_report_result *r);

#endif
