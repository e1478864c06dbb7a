/* Preparing imported geometries for the store with GEOS: validity check
 * and repair (make-valid, structure method), type coercion to the layer's
 * column type (point on surface, polygon -> multipolygon).
 * Not for: reprojection (import.c does that with OGR/PROJ).
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "geom/geos_int.h"
#include "io/io_int.h"

/* Keep only the polygonal parts of \p g (consumed) as a MultiPolygon.
 * \return a new geometry or NULL if none is left. */
/* The OGC name of a GEOS geometry type id, for reject reasons
 * (GEOSGeomType_r would return a string to free). */
static const char *type_name(int type)
{
    switch (type) {
    case GEOS_POINT: return "Point";
    case GEOS_LINESTRING: return "LineString";
    case GEOS_LINEARRING: return "LinearRing";
    case GEOS_POLYGON: return "Polygon";
    case GEOS_MULTIPOINT: return "MultiPoint";
    case GEOS_MULTILINESTRING: return "MultiLineString";
    case GEOS_MULTIPOLYGON: return "MultiPolygon";
    case GEOS_GEOMETRYCOLLECTION: return "GeometryCollection";
    default: return "geometry of unknown type";
    }
}

static GEOSGeometry *polygonal_part(GEOSContextHandle_t h, GEOSGeometry *g)
{
    int type = GEOSGeomTypeId_r(h, g);
    if (type == GEOS_MULTIPOLYGON)
        return g;
    if (type == GEOS_POLYGON) {
        GEOSGeometry *parts[1] = {g};
        return GEOSGeom_createCollection_r(h, GEOS_MULTIPOLYGON, parts, 1);
    }
    if (type != GEOS_GEOMETRYCOLLECTION) {
        GEOSGeom_destroy_r(h, g);
        return NULL;
    }
    int n = GEOSGetNumGeometries_r(h, g);
    GEOSGeometry **polys =
        n > 0 ? calloc((size_t)n * 4 + 4, sizeof *polys) : NULL;
    unsigned int np = 0;
    for (int i = 0; polys && i < n; i++) {
        const GEOSGeometry *sub = GEOSGetGeometryN_r(h, g, i);
        int st = GEOSGeomTypeId_r(h, sub);
        if (st == GEOS_POLYGON && !GEOSisEmpty_r(h, sub)) {
            polys[np++] = GEOSGeom_clone_r(h, sub);
        } else if (st == GEOS_MULTIPOLYGON) {
            int m = GEOSGetNumGeometries_r(h, sub);
            for (int k = 0; k < m && np < (unsigned)n * 4 + 4; k++)
                polys[np++] =
                    GEOSGeom_clone_r(h, GEOSGetGeometryN_r(h, sub, k));
        }
    }
    GEOSGeom_destroy_r(h, g);
    GEOSGeometry *out = NULL;
    if (np > 0)
        out = GEOSGeom_createCollection_r(h, GEOS_MULTIPOLYGON, polys, np);
    free(polys);
    return out;
}

sg__geom_outcome sg__geom_prepare(sg_ctx *ctx, const unsigned char *wkb,
                                  size_t wkb_size, const char *target,
                                  unsigned char **out, size_t *out_size,
                                  char *why, size_t why_size)
{
    GEOSContextHandle_t h = ctx->geom;
    GEOSGeometry *g = GEOSGeomFromWKB_buf_r(h, wkb, wkb_size);
    sg__geom_outcome rc = SG_GEOM_OK;
    *out = NULL;
    why[0] = '\0';
    if (!g) {
        snprintf(why, why_size, "unreadable geometry: %s", ctx->geom_msg);
        return SG_GEOM_UNREPAIRABLE;
    }
    if (GEOSisEmpty_r(h, g)) {
        GEOSGeom_destroy_r(h, g);
        snprintf(why, why_size, "empty geometry");
        return SG_GEOM_EMPTY;
    }
    int type = GEOSGeomTypeId_r(h, g);
    int polygonal = type == GEOS_POLYGON || type == GEOS_MULTIPOLYGON;
    int lineal = type == GEOS_LINESTRING || type == GEOS_MULTILINESTRING ||
                 type == GEOS_LINEARRING;
    int puntal = type == GEOS_POINT || type == GEOS_MULTIPOINT;

    if (strcmp(target, "POINT") == 0) {
        if (lineal) {
            snprintf(why, why_size,
                     "a line where a point or polygon is expected");
            rc = SG_GEOM_WRONG_TYPE;
        } else if (type == GEOS_MULTIPOINT &&
                   GEOSGetNumGeometries_r(h, g) > 1) {
            snprintf(why, why_size,
                     "a multipoint with %d points where one "
                     "point is expected",
                     GEOSGetNumGeometries_r(h, g));
            rc = SG_GEOM_WRONG_TYPE;
        } else if (!puntal && !polygonal) {
            snprintf(why, why_size, "a %s where a point is expected",
                     type_name(type));
            rc = SG_GEOM_WRONG_TYPE;
        } else if (!puntal || type == GEOS_MULTIPOINT) {
            if (polygonal && GEOSisValid_r(h, g) != 1) {
                GEOSGeometry *v = GEOSMakeValid_r(h, g);
                if (v) {
                    GEOSGeom_destroy_r(h, g);
                    g = v;
                    rc = SG_GEOM_REPAIRED;
                }
            }
            GEOSGeometry *p = GEOSPointOnSurface_r(h, g);
            GEOSGeom_destroy_r(h, g);
            g = p;
            if (!g || GEOSisEmpty_r(h, g)) {
                snprintf(why, why_size, "no point on surface: %s",
                         ctx->geom_msg);
                rc = SG_GEOM_UNREPAIRABLE;
            }
        }
    } else if (strcmp(target, "LINESTRING") == 0) {
        if (type != GEOS_LINESTRING) {
            snprintf(why, why_size, "a %s where a line is expected",
                     type_name(type));
            rc = SG_GEOM_WRONG_TYPE;
        } else {
            double len = 0;
            if (GEOSGeomGetNumPoints_r(h, g) < 2 ||
                GEOSLength_r(h, g, &len) != 1 || !(len > 0)) {
                snprintf(why, why_size,
                         "a line with fewer than 2 distinct points");
                rc = SG_GEOM_UNREPAIRABLE;
            }
        }
    } else { /* MULTIPOLYGON */
        if (!polygonal) {
            snprintf(why, why_size, "a %s where a polygon is expected",
                     type_name(type));
            rc = SG_GEOM_WRONG_TYPE;
        } else {
            char valid = GEOSisValid_r(h, g);
            if (valid != 1) {
                char *reason = GEOSisValidReason_r(h, g);
                GEOSMakeValidParams *mp = GEOSMakeValidParams_create_r(h);
                GEOSMakeValidParams_setMethod_r(h, mp,
                                                GEOS_MAKE_VALID_STRUCTURE);
                GEOSMakeValidParams_setKeepCollapsed_r(h, mp, 0);
                GEOSGeometry *v = GEOSMakeValidWithParams_r(h, g, mp);
                GEOSMakeValidParams_destroy_r(h, mp);
                GEOSGeom_destroy_r(h, g);
                g = v ? polygonal_part(h, v) : NULL;
                if (!g || GEOSisEmpty_r(h, g) || GEOSisValid_r(h, g) != 1) {
                    snprintf(why, why_size,
                             "invalid polygon (%s) that "
                             "cannot be repaired",
                             reason ? reason : "?");
                    rc = SG_GEOM_UNREPAIRABLE;
                } else {
                    snprintf(why, why_size, "repaired: %s",
                             reason ? reason : "invalid");
                    rc = SG_GEOM_REPAIRED;
                }
                if (reason)
                    GEOSFree_r(h, reason);
            } else {
                g = polygonal_part(h, g);
            }
        }
    }
    if ((rc == SG_GEOM_OK || rc == SG_GEOM_REPAIRED) && g) {
        *out = sg__geom_to_wkb(ctx, g, out_size);
        if (!*out) {
            snprintf(why, why_size, "cannot write geometry: %s", ctx->geom_msg);
            rc = SG_GEOM_UNREPAIRABLE;
        }
    }
    if (g)
        GEOSGeom_destroy_r(h, g);
    return rc;
}
