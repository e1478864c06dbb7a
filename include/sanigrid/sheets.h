/* Village sheets (一村一表 / 责任清单): one printable A4 page per
 * administrative village — its map (grids, roads coloured by the cleaner
 * responsible, collection points and toilets, blind spots), the cleaners'
 * table (roads, households, residents, grids), grid leaders, coverage,
 * staffing and this period's score and list, and a line for the
 * responsible person's signature — in one PDF, all text in Chinese.
 * Not for: the maps of single analyses (render.h) or the report.
 * SPDX-License-Identifier: MIT */
#ifndef SANIGRID_SHEETS_H
#define SANIGRID_SHEETS_H
#include "sanigrid/export.h"

#include "sanigrid/store.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sg_sheets_options sg_sheets_options;

/** Defaults: every administrative village, today's date, no PNG copies,
 * no personal data (cleaners and grid leaders shown by their ids and
 * whether a leader is set). Caller owns; free with
 * sg_sheets_options_free(). NULL when out of memory. */
SG_API sg_sheets_options *sg_sheets_options_new(void);

/** Free \p opts. NULL is a no-op. */
SG_API void sg_sheets_options_free(sg_sheets_options *opts);

/** Add division \p code (a division_code of layer divisions) to the
 * sheets written; without any, every division of level admin_village.
 * At most 4096. */
SG_API sg_status sg_sheets_options_add_division(sg_ctx *ctx,
                                                sg_sheets_options *opts,
                                                const char *code);

/** Also write each page as DIR/sheet-<code>[-<page>].png at 150 dpi
 * (\p dir must exist); NULL: no PNG. */
SG_API sg_status sg_sheets_options_set_png_dir(sg_ctx *ctx,
                                               sg_sheets_options *opts,
                                               const char *dir);

/** Date printed on the sheets (at most 31 bytes; default: today). */
SG_API sg_status sg_sheets_options_set_date(sg_ctx *ctx,
                                            sg_sheets_options *opts,
                                            const char *date);

/** Print cleaners' and grid leaders' names (personal data) instead of
 * their ids when \p include is 1: for the copy posted in the village.
 * Default 0. \return SG_OK, or SG_ERR_USAGE (unchanged) for another
 * value. */
SG_API sg_status sg_sheets_options_set_include_personal(sg_ctx *ctx,
                                                        sg_sheets_options *opts,
                                                        int include);

/** What sg_sheets() wrote. */
typedef struct sg_sheets_result {
    int villages;             /* sheets (villages) */
    int pages;                /* pages of the PDF */
    int png_files;            /* PNG pages written */
    long long cleaners;       /* cleaner rows, all sheets */
    long long missing_glyphs; /* characters no font could draw */
} sg_sheets_result;

/** Free a result of sg_sheets() (NULL is fine). */
SG_API void sg_sheets_result_free(sg_sheets_result *result);

/** Write the sheets of \p store into PDF \p path: one A4 page per village
 * (a second when its cleaners do not fit), in division code order. The
 * PDF is written to a temporary file beside \p path and renamed at the
 * end; on failure \p path is left as it was. Figures of analyses that
 * have not run are printed as 未计算. Fails with SG_ERR_NOT_FOUND when
 * there is no village (or a division asked for is unknown) and
 * SG_ERR_IO_WRITE when a file cannot be written.
 * \param opts NULL for the defaults.
 * \param result NULL, or receives the figures: caller owns, free with
 * sg_sheets_result_free(); NULL on failure. */
SG_API sg_status sg_sheets(sg_ctx *ctx, sg_store *store,
                           const sg_sheets_options *opts, const char *path,
                           sg_sheets_result **result);

#ifdef __cplusplus
}
#endif
#endif
