/* Import, coordinates and geometries: the source CRS (or GCJ-02/BD-09),
 * the working CRS chosen and its area of use, position checks, the
 * transform, and each feature's geometry checked and repaired (GEOS) or,
 * for a point, written without a GEOS round trip (see import_int.h).
 * Not for: SQL (src/store).
 * SPDX-License-Identifier: MIT */
#include "geom/geos_int.h"
#include "geom/wkb_int.h"
#include "io/import_int.h"

/* ---- coordinate systems ------------------------------------------------ */

/* Set up the source CRS: --src-crs, the file's, or lon/lat for tables. */
sg_status sg__imp_source_crs(importer *im)
{
    sg_ctx *ctx = im->ctx;
    const char *user = im->opts->src_crs;
    im->src_srs = OSRNewSpatialReference(NULL);
    if (user && (!strcasecmp(user, "gcj02") || !strcasecmp(user, "gcj-02"))) {
        im->offset = OFFSET_GCJ02;
    } else if (user &&
               (!strcasecmp(user, "bd09") || !strcasecmp(user, "bd-09") ||
                !strcasecmp(user, "bd09ll"))) {
        im->offset = OFFSET_BD09;
    } else if (user) {
        if (OSRSetFromUserInput(im->src_srs, user) != OGRERR_NONE)
            return sg__error(ctx, SG_ERR_CRS,
                             "--src-crs %s: unknown CRS (give EPSG:n, a "
                             "PROJ string, WKT, gcj02 or bd09)",
                             user);
    } else {
        OGRSpatialReferenceH s =
            im->use_geom ? OGR_L_GetSpatialRef(im->lyr) : NULL;
        if (s) {
            OSRDestroySpatialReference(im->src_srs);
            im->src_srs = OSRClone(s);
        } else if (!im->use_geom) {
            /* coordinate columns: longitude/latitude unless told */
            sg__log(ctx, SG_LOG_WARN,
                    "%s: no --src-crs and no CRS in the file: coordinates "
                    "taken as WGS 84 (EPSG:4326) longitude/latitude (for "
                    "Amap/Tencent points give --src-crs gcj02, for Baidu "
                    "bd09, for projected metres e.g. EPSG:4545)",
                    im->source);
            OSRSetFromUserInput(im->src_srs, "EPSG:4326");
        } else {
            OGREnvelope env;
            if (OGR_L_GetExtent(im->lyr, &env, 1) == OGRERR_NONE &&
                env.MinX >= -180 && env.MaxX <= 180 && env.MinY >= -90 &&
                env.MaxY <= 90) {
                sg__log(ctx, SG_LOG_WARN,
                        "%s: no --src-crs and no CRS in the file (no "
                        ".prj?); its coordinates look like "
                        "longitude/latitude: coordinates taken as WGS 84 "
                        "(EPSG:4326) (give --src-crs to override, gcj02 "
                        "for Amap/Tencent, bd09 for Baidu)",
                        im->source);
                OSRSetFromUserInput(im->src_srs, "EPSG:4326");
            } else {
                return sg__error(ctx, SG_ERR_CRS,
                                 "%s has no CRS (no .prj file?) and its "
                                 "coordinates are not longitude/latitude; "
                                 "give --src-crs (e.g. EPSG:4545)",
                                 im->source);
            }
        }
    }
    if (im->offset)
        OSRSetFromUserInput(im->src_srs, "EPSG:4326");
    OSRSetAxisMappingStrategy(im->src_srs, OAMS_TRADITIONAL_GIS_ORDER);
    im->geographic = OSRIsGeographic(im->src_srs);
    if (!OSRIsGeographic(im->src_srs) && !OSRIsProjected(im->src_srs))
        return sg__error(ctx, SG_ERR_CRS,
                         "%s: its CRS is neither geographic nor projected",
                         im->source);
    const char *auth = OSRGetAuthorityName(im->src_srs, NULL);
    const char *code = OSRGetAuthorityCode(im->src_srs, NULL);
    if (im->offset)
        im->res->src_crs =
            sg__strdup(ctx, im->offset == OFFSET_GCJ02 ? "GCJ-02" : "BD-09");
    else if (auth && code)
        im->res->src_crs = sg__aprintf("%s:%s", auth, code);
    else
        im->res->src_crs = sg__strdup(ctx, OSRGetName(im->src_srs));
    im->ll_srs = OSRNewSpatialReference(NULL);
    OSRSetFromUserInput(im->ll_srs, "EPSG:4326");
    OSRSetAxisMappingStrategy(im->ll_srs, OAMS_TRADITIONAL_GIS_ORDER);
    im->ct_ll = OCTNewCoordinateTransformation(im->src_srs, im->ll_srs);
    if (!im->ct_ll)
        return sg__error(ctx, SG_ERR_CRS,
                         "%s: cannot transform from %s to lon/lat: %s",
                         im->source, im->res->src_crs, im->gerr.last);
    return SG_OK;
}

/* Remove the GCJ-02/BD-09 offset from lon/lat (x, y) in place. */
static void unoffset(const importer *im, double *x, double *y)
{
    if (im->offset == OFFSET_GCJ02)
        sg_crs_gcj02_to_wgs84(*x, *y, im->gcj_iters, x, y);
    else if (im->offset == OFFSET_BD09)
        sg_crs_bd09_to_wgs84(*x, *y, im->gcj_iters, x, y);
}

/* Apply unoffset to every vertex of \p g (recursively). */
static void unoffset_geom(const importer *im, OGRGeometryH g)
{
    int n = OGR_G_GetGeometryCount(g);
    if (n > 0) {
        for (int i = 0; i < n; i++)
            unoffset_geom(im, OGR_G_GetGeometryRef(g, i));
        return;
    }
    int np = OGR_G_GetPointCount(g);
    for (int i = 0; i < np; i++) {
        double x = OGR_G_GetX(g, i), y = OGR_G_GetY(g, i);
        unoffset(im, &x, &y);
        OGR_G_SetPoint_2D(g, i, x, y);
    }
}

/* Source (x, y) -> lon/lat. \return 1 on success. */
static int to_lonlat(const importer *im, double x, double y, double *lon,
                     double *lat)
{
    if (im->geographic) {
        *lon = x;
        *lat = y;
        if (im->offset)
            unoffset(im, lon, lat);
        return 1;
    }
    int ok = 0;
    if (!OCTTransformEx(im->ct_ll, 1, &x, &y, NULL, &ok) || !ok)
        return 0;
    *lon = x;
    *lat = y;
    return 1;
}

/* Compare doubles for qsort. */
static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The centre of the source data, for choosing the working CRS: the median
 * of the features' centres (x and y apart), so that a few far-off or
 * swapped features cannot move the choice. Geographic sources skip
 * centres outside the longitude/latitude range. */
static sg_status data_centre(importer *im, double *cx, double *cy)
{
    size_t n = 0, cap = 0;
    double *xs = NULL, *ys = NULL;
    sg_status st = SG_OK;
    OGRFeatureH f;
    OGR_L_ResetReading(im->lyr);
    while (st == SG_OK && (f = OGR_L_GetNextFeature(im->lyr)) != NULL) {
        double x = 0, y = 0;
        int ok = 0;
        if (im->use_geom) {
            OGRGeometryH g = OGR_F_GetGeometryRef(f);
            if (g && !OGR_G_IsEmpty(g)) {
                OGREnvelope env;
                OGR_G_GetEnvelope(g, &env);
                x = (env.MinX + env.MaxX) / 2;
                y = (env.MinY + env.MaxY) / 2;
                ok = 1;
            }
        } else {
            char text[128];
            ok = OGR_F_IsFieldSetAndNotNull(f, im->x_idx) &&
                 OGR_F_IsFieldSetAndNotNull(f, im->y_idx) &&
                 sg__imp_field_number(f, im->x_idx, &x, text, sizeof text) &&
                 sg__imp_field_number(f, im->y_idx, &y, text, sizeof text);
        }
        if (ok && im->geographic && (fabs(x) > 180 || fabs(y) > 90))
            ok = 0;
        if (ok && n == cap) {
            cap = cap ? cap * 2 : 1024;
            double *nx = realloc(xs, cap * sizeof *xs);
            if (nx)
                xs = nx;
            double *ny = realloc(ys, cap * sizeof *ys);
            if (ny)
                ys = ny;
            if (!nx || !ny)
                st = sg__error(im->ctx, SG_ERR_NOMEM, "out of memory");
        }
        if (ok && st == SG_OK) {
            xs[n] = x;
            ys[n] = y;
            n++;
        }
        OGR_F_Destroy(f);
    }
    OGR_L_ResetReading(im->lyr);
    if (st == SG_OK && n == 0)
        st = sg__error(im->ctx, SG_ERR_INPUT,
                       "%s: no feature has usable coordinates%s", im->source,
                       im->geographic ? " (all outside the longitude/latitude "
                                        "range: latitude and longitude "
                                        "look swapped)"
                                      : "");
    if (st == SG_OK) {
        qsort(xs, n, sizeof *xs, cmp_double);
        qsort(ys, n, sizeof *ys, cmp_double);
        *cx = xs[n / 2];
        *cy = ys[n / 2];
    }
    free(xs);
    free(ys);
    return st;
}

/* Choose the working CRS from the data when the store has none yet. */
sg_status sg__imp_choose_srid(importer *im)
{
    double cx = 0, cy = 0, lon = 0, lat = 0;
    sg_status st = data_centre(im, &cx, &cy);
    if (st)
        return st;
    if (im->geographic && (fabs(cx) > 180 || fabs(cy) > 90)) {
        if (fabs(cy) <= 180 && fabs(cx) <= 90)
            return sg__error(im->ctx, SG_ERR_INPUT,
                             "%s: coordinates centred on x=%.6f y=%.6f are "
                             "not longitude/latitude; latitude and longitude "
                             "look swapped (swap the columns with --x/--y)",
                             im->source, cx, cy);
        return sg__error(im->ctx, SG_ERR_INPUT,
                         "%s: coordinates centred on x=%.6f y=%.6f are "
                         "outside the longitude/latitude range; is "
                         "--src-crs right?",
                         im->source, cx, cy);
    }
    if (!to_lonlat(im, cx, cy, &lon, &lat))
        return sg__error(im->ctx, SG_ERR_CRS,
                         "%s: cannot place the data's centre on the Earth",
                         im->source);
    int srid = sg_crs_metric_for_lonlat(lon, lat);
    if (!srid)
        return sg__error(im->ctx, SG_ERR_INPUT,
                         "%s: the data's centre (%.6f, %.6f) is not a valid "
                         "longitude/latitude",
                         im->source, lon, lat);
    st = sg_store_set_srid(im->ctx, im->store, srid);
    if (st == SG_OK) {
        im->res->srid_chosen = 1;
        sg__log(im->ctx, SG_LOG_INFO,
                "working CRS EPSG:%d chosen from the data's centre "
                "(%.4f, %.4f)",
                srid, lon, lat);
    }
    return st;
}

/* Target CRS, transformation, and the area the working CRS is meant for
 * (PROJ's area of use plus a margin) to catch far-off or swapped data. */
sg_status sg__imp_target_crs(importer *im)
{
    sg_ctx *ctx = im->ctx;
    int srid = sg_store_srid(im->store);
    im->dst_srs = OSRNewSpatialReference(NULL);
    if (OSRImportFromEPSG(im->dst_srs, srid) != OGRERR_NONE)
        return sg__error(ctx, SG_ERR_CRS,
                         "the store's CRS EPSG:%d is "
                         "unknown to PROJ",
                         srid);
    OSRSetAxisMappingStrategy(im->dst_srs, OAMS_TRADITIONAL_GIS_ORDER);
    OGRSpatialReferenceH from = im->offset ? im->ll_srs : im->src_srs;
    im->ct = OCTNewCoordinateTransformation(from, im->dst_srs);
    if (!im->ct)
        return sg__error(ctx, SG_ERR_CRS,
                         "%s: cannot transform %s to "
                         "EPSG:%d: %s",
                         im->source, im->res->src_crs, srid, im->gerr.last);
    double w = -180, s = -90, e = 180, n = 90;
    char code[32];
    snprintf(code, sizeof code, "EPSG:%d", srid);
    PJ *pj = proj_create(ctx->proj, code);
    if (pj) {
        double ww, ss, ee, nn;
        if (proj_get_area_of_use(ctx->proj, pj, &ww, &ss, &ee, &nn, NULL) &&
            ww > -1000) {
            w = ww;
            s = ss;
            e = ee;
            n = nn;
        }
        proj_destroy(pj);
    }
    const double margin = 3.0; /* degrees around the CRS's own area */
    im->aou[0] = w - margin;
    im->aou[1] = s - margin;
    im->aou[2] = e + margin;
    im->aou[3] = n + margin;
    return SG_OK;
}

/* 1 if lon/lat is inside the area of use (with margin). */
static int in_area(const importer *im, double lon, double lat)
{
    return lon >= im->aou[0] && lon <= im->aou[2] && lat >= im->aou[1] &&
           lat <= im->aou[3];
}

/* Check the position of a source geometry before transforming it.
 * \return 1 if fine, 0 after adding a reject. */
static int check_position_xy(importer *im, double minx, double miny,
                             double maxx, double maxy, double cx, double cy,
                             long long fno, const char *id)
{
    if (im->geographic &&
        (minx < -180 || maxx > 180 || miny < -90 || maxy > 90)) {
        sg__imp_add_reject(im, fno, id, "geometry",
                           "coordinates (%.6f, %.6f) are outside the "
                           "longitude/latitude range%s",
                           cx, cy,
                           fabs(cy) <= 180 && fabs(cx) <= 90
                               ? "; latitude and longitude look swapped"
                               : "");
        return 0;
    }
    double lon, lat;
    if (!to_lonlat(im, cx, cy, &lon, &lat)) {
        sg__imp_add_reject(
            im, fno, id, "geometry",
            "coordinates (%.3f, %.3f) cannot be transformed from %s", cx, cy,
            im->res->src_crs);
        return 0;
    }
    if (!in_area(im, lon, lat)) {
        if (im->geographic && in_area(im, lat, lon))
            sg__imp_add_reject(
                im, fno, id, "geometry",
                "at lon %.6f, lat %.6f, far from the store's area; "
                "latitude and longitude look swapped",
                lon, lat);
        else
            sg__imp_add_reject(
                im, fno, id, "geometry",
                "at lon %.6f, lat %.6f, far from the store's area "
                "(EPSG:%d covers lon %.1f..%.1f, lat %.1f..%.1f)",
                lon, lat, sg_store_srid(im->store), im->aou[0] + 3,
                im->aou[2] - 3, im->aou[1] + 3, im->aou[3] - 3);
        return 0;
    }
    return 1;
}

/* Check the position of a source geometry before transforming it.
 * \return 1 if fine, 0 after adding a reject. */
static int check_position(importer *im, OGRGeometryH g, long long fno,
                          const char *id)
{
    OGREnvelope env;
    OGR_G_GetEnvelope(g, &env);
    return check_position_xy(im, env.MinX, env.MinY, env.MaxX, env.MaxY,
                             (env.MinX + env.MaxX) / 2,
                             (env.MinY + env.MaxY) / 2, fno, id);
}

/* Vertices of \p g, all parts and rings. */
static double count_vertices(OGRGeometryH g)
{
    int n = OGR_G_GetGeometryCount(g);
    if (n == 0)
        return OGR_G_GetPointCount(g);
    double sum = 0;
    for (int i = 0; i < n; i++)
        sum += count_vertices(OGR_G_GetGeometryRef(g, i));
    return sum;
}

/* Keep source position (x, y) for the GCJ-02/BD-09 check (import.c's
 * start_probe), while fewer than SG_OFFSET_CHECK_SAMPLE are kept. */
static void probe_add(importer *im, double x, double y)
{
    if (!im->probe || im->nprobe >= SG_OFFSET_CHECK_SAMPLE)
        return;
    im->plon[im->nprobe] = x;
    im->plat[im->nprobe] = y;
    im->nprobe++;
}

/* The point (\p x, \p y) of a point layer, in source coordinates: the
 * same checks as feature_geometry makes of any geometry (position, area,
 * transform), without building an OGR geometry or a GEOS round trip (a
 * finite point is valid as it is). \return 1 with the point in the
 * working CRS in \p pt[0..1], or 0 after adding a reject. */
static int point_xy(importer *im, double x, double y, long long fno,
                    const char *id, double *pt)
{
    if (!isfinite(x) || !isfinite(y)) {
        sg__imp_add_reject(im, fno, id, "geometry", "unreadable geometry");
        return 0;
    }
    if (!check_position_xy(im, x, y, x, y, x, y, fno, id))
        return 0;
    probe_add(im, x, y);
    if (im->offset)
        unoffset(im, &x, &y);
    int ok = 0;
    if (!OCTTransformEx(im->ct, 1, &x, &y, NULL, &ok) || !ok || !isfinite(x) ||
        !isfinite(y)) {
        sg__imp_add_reject(im, fno, id, "geometry",
                           "cannot transform to the working CRS EPSG:%d",
                           sg_store_srid(im->store));
        return 0;
    }
    pt[0] = x;
    pt[1] = y;
    return 1;
}

/* See import_int.h. */
int sg__imp_feature_geometry(importer *im, OGRFeatureH f, long long fno,
                             const char *id, unsigned char **parts,
                             size_t *sizes, int maxparts, double *pt)
{
    OGRGeometryH g = NULL;
    int nparts = 0;
    if (im->use_geom) {
        OGRGeometryH src = OGR_F_GetGeometryRef(f);
        if (!src || OGR_G_IsEmpty(src)) {
            sg__imp_add_reject(im, fno, id, "geometry", "empty geometry");
            return 0;
        }
        if (im->native_point &&
            wkbFlatten(OGR_G_GetGeometryType(src)) == wkbPoint)
            return point_xy(im, OGR_G_GetX(src, 0), OGR_G_GetY(src, 0), fno, id,
                            pt);
        g = OGR_G_HasCurveGeometry(src, 0)
                ? OGR_G_GetLinearGeometry(src, 0, NULL)
                : OGR_G_Clone(src);
    } else {
        double x, y;
        char bad[128];
        if (!OGR_F_IsFieldSetAndNotNull(f, im->x_idx) ||
            !OGR_F_IsFieldSetAndNotNull(f, im->y_idx)) {
            sg__imp_add_reject(im, fno, id, "geometry", "no coordinates");
            return 0;
        }
        int badcol = !sg__imp_field_number(f, im->x_idx, &x, bad, sizeof bad)
                         ? im->x_idx
                     : !sg__imp_field_number(f, im->y_idx, &y, bad, sizeof bad)
                         ? im->y_idx
                         : -1;
        if (badcol >= 0) {
            sg__imp_add_reject(
                im, fno, id,
                OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(im->fdefn, badcol)),
                "coordinate '%s' is not a number", bad);
            return 0;
        }
        if (im->native_point)
            return point_xy(im, x, y, fno, id, pt);
        g = OGR_G_CreateGeometry(wkbPoint);
        OGR_G_SetPoint_2D(g, 0, x, y);
    }
    if (!g) {
        sg__imp_add_reject(im, fno, id, "geometry", "unreadable geometry");
        return 0;
    }
    OGR_G_FlattenTo2D(g);
    double nv = count_vertices(g);
    if (nv > im->max_vertices) {
        sg__imp_add_reject(
            im, fno, id, "geometry",
            "%.0f vertices, above limits.polygon_vertices (%g): "
            "checks would take hours; simplify it (e.g. ogr2ogr "
            "-simplify 0.5) or raise the limit with `sanigrid config "
            "DB set limits.polygon_vertices N`",
            nv, im->max_vertices);
        OGR_G_DestroyGeometry(g);
        return 0;
    }
    if (!check_position(im, g, fno, id)) {
        OGR_G_DestroyGeometry(g);
        return 0;
    }
    if (im->probe && im->nprobe < SG_OFFSET_CHECK_SAMPLE) {
        OGREnvelope env;
        OGR_G_GetEnvelope(g, &env);
        probe_add(im, (env.MinX + env.MaxX) / 2, (env.MinY + env.MaxY) / 2);
    }
    if (im->offset)
        unoffset_geom(im, g);
    if (OGR_G_Transform(g, im->ct) != OGRERR_NONE) {
        sg__imp_add_reject(im, fno, id, "geometry",
                           "cannot transform to the working CRS EPSG:%d",
                           sg_store_srid(im->store));
        OGR_G_DestroyGeometry(g);
        return 0;
    }
    /* Lines: split multi-part roads into one row per part. */
    OGRwkbGeometryType t = wkbFlatten(OGR_G_GetGeometryType(g));
    int split = strcmp(im->def->geom_type, "LINESTRING") == 0 &&
                t == wkbMultiLineString;
    int n = split ? OGR_G_GetGeometryCount(g) : 1;
    for (int k = 0; k < n && nparts < maxparts; k++) {
        OGRGeometryH part = split ? OGR_G_GetGeometryRef(g, k) : g;
        size_t sz = (size_t)OGR_G_WkbSize(part);
        unsigned char *wkb = malloc(sz ? sz : 1);
        if (!wkb || OGR_G_ExportToIsoWkb(part, wkbNDR, wkb) != OGRERR_NONE) {
            free(wkb);
            sg__imp_add_reject(im, fno, id, "geometry",
                               "cannot encode geometry");
            continue;
        }
        char why[512];
        unsigned char *out = NULL;
        size_t out_size = 0;
        sg__geom_outcome oc =
            sg__geom_prepare(im->ctx, wkb, sz, im->def->geom_type, &out,
                             &out_size, why, sizeof why);
        free(wkb);
        if ((oc == SG_GEOM_OK || oc == SG_GEOM_REPAIRED) && im->native_point) {
            /* a point layer's insert takes x, y: read them from the
             * point WKB GEOS wrote */
            if (!sg__wkb_point(out, out_size, &pt[0], &pt[1])) {
                oc = SG_GEOM_UNREPAIRABLE;
                snprintf(why, sizeof why, "cannot encode geometry");
            }
            GEOSFree_r(im->ctx->geom, out);
            out = NULL;
        }
        if (oc == SG_GEOM_OK || oc == SG_GEOM_REPAIRED) {
            if (oc == SG_GEOM_REPAIRED)
                im->res->repaired++;
            parts[nparts] = out;
            sizes[nparts] = out_size;
            nparts++;
        } else {
            sg__imp_add_reject(im, fno, id, "geometry", "%s", why);
        }
    }
    if (split && n > maxparts)
        sg__imp_add_reject(im, fno, id, "geometry",
                           "%d parts; only the first %d were kept", n,
                           maxparts);
    OGR_G_DestroyGeometry(g);
    return nparts;
}
