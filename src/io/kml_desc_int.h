/* Attributes that KML writers leave in a placemark's <description>: the
 * HTML tables and "name: value" lines of 奥维/Ovital, Google Earth and
 * ArcGIS's KML export, read with libxml2's HTML parser; and a copy of a
 * KML layer with those attributes as columns, so that the field mapping
 * (fieldmap.c) finds 等级 or 类型 there as in any other file.
 * Not for: ExtendedData (GDAL's LIBKML driver reads <Data> and
 * <SchemaData>), writing KML (export_kml.c).
 * SPDX-License-Identifier: MIT */
#ifndef SG_IO_KML_DESC_INT_H
#define SG_IO_KML_DESC_INT_H

#include <stddef.h>

#include <gdal.h>
#include <ogr_api.h>

#include "core/ctx_int.h"

/** One attribute of a description: both UTF-8, trimmed, owned. */
typedef struct sg__kv {
    char *key;
    char *value;
} sg__kv;

/** The name/value pairs of the HTML (or plain text) \p html: two-cell
 * table rows (<td> or <th>, nested tables too), a header row over a value
 * row, and lines "name: value" (ASCII or full-width colon) between <br>,
 * paragraphs and line breaks. A name appears once (the first wins).
 * \return the number of pairs; *out receives them (NULL when none; free
 * with sg__kv_free). -1 when out of memory. */
long sg__kml_desc_pairs(const char *html, sg__kv **out);

/** Free \p n pairs of \p kv (NULL is fine). */
void sg__kv_free(sg__kv *kv, size_t n);

/** When the features of \p in (a KML layer) carry pairs in their
 * description column, copy the layer into an in-memory dataset with one
 * text column per name found (a name that is already a column fills it
 * where it is empty) and return it in *out_ds (caller owns; GDALClose)
 * and its layer in *out_lyr; otherwise both are NULL. *names receives
 * the new column names comma-separated (caller frees; NULL when none).
 * \p source names the file in messages. */
sg_status sg__kml_desc_layer(sg_ctx *ctx, OGRLayerH in, const char *source,
                             GDALDatasetH *out_ds, OGRLayerH *out_lyr,
                             char **names);

#endif
