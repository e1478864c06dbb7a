/* Coordinate reference systems: the working CRS chosen from the data, and
 * the Chinese offset datums GCJ-02 (Amap, Tencent, Ovital >= 9.3) and
 * BD-09 (Baidu), which PROJ does not know (DOMAIN.md K3-K5).
 * Not for: general reprojection, which PROJ does.
 * SPDX-License-Identifier: MIT */
#ifndef SANIGRID_CRS_H
#define SANIGRID_CRS_H
#include "sanigrid/export.h"

#ifdef __cplusplus
extern "C" {
#endif

/** \return 1 if (lon, lat) lies in the rough China box within which the
 * GCJ-02 offset applies (lon 72.004-137.8347, lat 0.8293-55.8271). */
SG_API int sg_crs_in_china(double lon, double lat);

/** The working CRS for data centred on (lon, lat) in degrees: inside
 * China the CGCS2000 3-degree Gauss-Kruger zone without zone prefix
 * (EPSG:4534-4554, central meridian 75-135 E), elsewhere the WGS 84 UTM
 * zone (EPSG:326zz north, 327zz south). \return the EPSG code, or 0 if
 * (lon, lat) is not a valid position. */
SG_API int sg_crs_metric_for_lonlat(double lon, double lat);

/** WGS 84 -> GCJ-02 (the public forward formula). Outside China the
 * point is returned unchanged. */
SG_API void sg_crs_wgs84_to_gcj02(double lon, double lat, double *olon,
                                  double *olat);

/** GCJ-02 -> WGS 84 by fixed-point iteration of the forward formula
 * (\p iterations >= 1; 3 gives well under 0.5 m). */
SG_API void sg_crs_gcj02_to_wgs84(double lon, double lat, int iterations,
                                  double *olon, double *olat);

/** GCJ-02 -> BD-09 (exact). */
SG_API void sg_crs_gcj02_to_bd09(double lon, double lat, double *olon,
                                 double *olat);

/** BD-09 -> GCJ-02 (exact inverse of the above up to rounding). */
SG_API void sg_crs_bd09_to_gcj02(double lon, double lat, double *olon,
                                 double *olat);

/** BD-09 -> WGS 84 (via GCJ-02, iterative inverse). */
SG_API void sg_crs_bd09_to_wgs84(double lon, double lat, int iterations,
                                 double *olon, double *olat);

/** WGS 84 -> BD-09. */
SG_API void sg_crs_wgs84_to_bd09(double lon, double lat, double *olon,
                                 double *olat);

#ifdef __cplusplus
}
#endif
#endif
