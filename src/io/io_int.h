/* Internal helpers of the io module: GDAL error capture, field mapping
 * and value normalisation, geometry preparation with GEOS.
 * Not for: other modules (only io talks to GDAL).
 * SPDX-License-Identifier: MIT */
#ifndef SG_IO_INT_H
#define SG_IO_INT_H

#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include "core/ctx_int.h"
#include "geom/geos_int.h"
#include "store/store_int.h"
#include "sanigrid/io.h"

/* ---- GDAL error capture (STYLE rule 12) ------------------------------- */

typedef struct sg__gdal_errs {
    sg_ctx *ctx;
    char last[SG_ERRMSG_SIZE]; /* last CE_Failure/CE_Fatal message */
    int failures;
} sg__gdal_errs;

/** Route GDAL/OGR messages into \p e (failures) and the log (warnings)
 * until sg__gdal_pop(); nothing reaches stderr. */
void sg__gdal_push(sg__gdal_errs *e, sg_ctx *ctx);
void sg__gdal_pop(sg__gdal_errs *e);

/* ---- text ------------------------------------------------------------- */

/** \return 1 if \p s is valid UTF-8 exactly as RFC 3629 defines it (no
 * overlong forms, no surrogates, nothing above U+10FFFF). */
int sg__utf8_valid(const char *s);

/** \return 0 if \p s is valid UTF-8, else 1 + the byte offset of the
 * first sequence that is not. */
size_t sg__utf8_invalid_at(const char *s);

/** Convert raw source text to UTF-8. \p encoding NULL means: keep valid
 * UTF-8, else decode as GBK (CP936), else as Latin-1. \p used receives
 * the encoding applied ("UTF-8", "CP936", ...; static). Caller owns the
 * result; free with CPLFree(). */
char *sg__to_utf8(const char *raw, const char *encoding, const char **used);

/** Length of the blank at \p s: 1 for space, tab, CR, LF; 3 for U+3000
 * IDEOGRAPHIC SPACE (全角空格); 0 otherwise. */
size_t sg__blank_len(const char *s);

/** \p s after its leading blanks (sg__blank_len). */
const char *sg__skip_blanks(const char *s);

/* ---- field mapping ---------------------------------------------------- */

/** Case-insensitive match of a source column name against a '|'-list of
 * aliases (leading/trailing blanks ignored). */
int sg__alias_match(const char *aliases, const char *column);

/** Normalise \p value of field \p fd (enum synonyms such as 国道 →
 * national, OSM highway=residential → village). \return the canonical
 * value (static string) or NULL if \p value is not allowed. */
const char *sg__enum_normalise(const sg__field_def *fd, const char *value);

/** Normalise a date text (2026-11-03, 2026/11/3, 2026.11.03, 20261103,
 * 2026年11月3日, an Excel serial day number) to ISO 8601 into \p out
 * (11 bytes). \return 1 on success. */
int sg__date_normalise(const char *value, char out[11]);

/* ---- geometry --------------------------------------------------------- */

typedef enum sg__geom_outcome {
    SG_GEOM_OK = 0,
    SG_GEOM_REPAIRED = 1,
    SG_GEOM_EMPTY = 2,
    SG_GEOM_WRONG_TYPE = 3,
    SG_GEOM_UNREPAIRABLE = 4
} sg__geom_outcome;

/** Turn \p wkb (in the working CRS) into the WKB that the store layer's
 * geometry column takes (\p target: "POINT", "LINESTRING",
 * "MULTIPOLYGON"): polygons become points on surface for point layers,
 * polygons become multipolygons, invalid geometries are made valid.
 * Multi-part lines are not handled here (the caller splits them).
 * \param out caller owns; free with GEOSFree_r(ctx->geom, *out).
 * \return the outcome; *out is set only for OK and REPAIRED. */
sg__geom_outcome sg__geom_prepare(sg_ctx *ctx, const unsigned char *wkb,
                                  size_t wkb_size, const char *target,
                                  unsigned char **out, size_t *out_size,
                                  char *why, size_t why_size);

/* ---- GCJ-02 / BD-09 offset check (offset_check.c) --------------------- */

/** Fill \p out (see sg_offset_check in sanigrid/io.h) for the \p n
 * source longitude/latitude positions \p lon, \p lat: \p ct takes them
 * to the working CRS, \p iters is the number of inverse iterations.
 * Does nothing (out->checked 0) with fewer than 10 positions or no roads
 * in \p store. Fails only when out of memory or the store cannot be read
 * (the import goes on without the check: the caller clears the error). */
sg_status sg__offset_check(sg_ctx *ctx, sg_store *store,
                           OGRCoordinateTransformationH ct, const double *lon,
                           const double *lat, size_t n, int iters,
                           sg_offset_check *out);

#endif
