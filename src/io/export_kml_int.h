/* Placemark names, descriptions and styles for KML, and the GCJ-02 /
 * BD-09 shift of exported WGS 84 coordinates (export_kml.c).
 * SPDX-License-Identifier: MIT */
#ifndef SG_EXPORT_KML_INT_H
#define SG_EXPORT_KML_INT_H

#include <ogr_api.h>
#include <stddef.h>

#include "store/reader_int.h"

/** The output column of \p r reading store column \p source, or -1. */
int sg__reader_col_of(const sg__reader *r, const char *source);

/** The placemark name of the current row of \p r (layer \p layer) into
 * \p buf: "<village> · 保洁员 C3", "拟建收集点 3", "<name> · 第2名 91.5分",
 * else an id and name; \p village (may be NULL) is the row's village. */
void sg__kml_name(const char *layer, const sg__reader *r, const char *village,
                  int zh, char *buf, size_t size);

/** An HTML table of the row's non-empty fields, Chinese headers, units
 * and value labels when \p zh, into \p buf (cut at \p size). */
void sg__kml_description(const char *layer, const sg__reader *r, int zh,
                         char *buf, size_t size);

/** An OGR style string for the row (colour by cleaner colour class, list,
 * road class, point kind, coverage) for a geometry of dimension \p dim
 * (0 points, 1 lines, 2 polygons). */
void sg__kml_style(const char *layer, const sg__reader *r, int dim, char *buf,
                   size_t size);

/** Shift WGS 84 lon/lat in place to GCJ-02 (\p datum 1) or BD-09 (2);
 * 0 leaves them. */
void sg__datum_point(int datum, double *x, double *y);

/** sg__datum_point() on every vertex of \p g (in place). */
void sg__datum_geometry(OGRGeometryH g, int datum);

#endif
