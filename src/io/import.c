/* Import: read any source OGR opens (GeoJSON, Shapefile, GPKG, KML/KMZ,
 * CSV/XLSX with coordinate columns), map its columns to a store layer's
 * fields, transform to the working CRS (PROJ; GCJ-02/BD-09 by our own
 * inverse), repair geometries (GEOS), and write everything in one
 * transaction. Rejected features are reported, never silently dropped.
 * Not for: exports (export.c) or SQL (src/store).
 * SPDX-License-Identifier: MIT */
#include <cpl_conv.h>
#include <cpl_string.h>
#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include "core/outfile_int.h"
#include "io/encoding_int.h"
#include "io/inspections_int.h"
#include "io/kml_desc_int.h"
#include "io/io_int.h"
#include "sanigrid/crs.h"
#include "sanigrid/io.h"
#include "sanigrid/json.h"

enum { OFFSET_NONE = 0, OFFSET_GCJ02 = 1, OFFSET_BD09 = 2 };

struct sg_import_options {
    char *source_layer;
    char **map_field, **map_col; /* --map field=column */
    size_t nmap;
    char *src_crs;   /* user text, NULL = from the file */
    char *x_col, *y_col;
    char *encoding;
    int replace;
    char *rejects;
    char **set_field, **set_value; /* --set field=value */
    size_t nset;
};

sg_import_options *sg_import_options_new(void)
{
    return calloc(1, sizeof(sg_import_options));
}

void sg_import_options_free(sg_import_options *o)
{
    if (!o)
        return;
    free(o->source_layer);
    for (size_t i = 0; i < o->nmap; i++) {
        free(o->map_field[i]);
        free(o->map_col[i]);
    }
    free(o->map_field);
    free(o->map_col);
    free(o->src_crs);
    free(o->x_col);
    free(o->y_col);
    free(o->encoding);
    free(o->rejects);
    for (size_t i = 0; i < o->nset; i++) {
        free(o->set_field[i]);
        free(o->set_value[i]);
    }
    free(o->set_field);
    free(o->set_value);
    free(o);
}

/* Replace *slot by a copy of s. */
static sg_status set_str(sg_ctx *ctx, char **slot, const char *s)
{
    char *d = s ? sg__strdup(ctx, s) : NULL;
    if (s && !d)
        return SG_ERR_NOMEM;
    free(*slot);
    *slot = d;
    return SG_OK;
}

sg_status sg_import_options_set_source_layer(sg_ctx *ctx,
                                             sg_import_options *o,
                                             const char *name)
{
    return set_str(ctx, &o->source_layer, name);
}

sg_status sg_import_options_add_map(sg_ctx *ctx, sg_import_options *o,
                                    const char *spec)
{
    const char *eq = spec ? strchr(spec, '=') : NULL;
    if (!eq || eq == spec || !eq[1])
        return sg__error(ctx, SG_ERR_USAGE,
                         "--map takes field=column, e.g. "
                         "resident_population=人口; got '%s'",
                         spec ? spec : "");
    char **f = realloc(o->map_field, (o->nmap + 1) * sizeof *f);
    if (f)
        o->map_field = f;
    char **c = realloc(o->map_col, (o->nmap + 1) * sizeof *c);
    if (c)
        o->map_col = c;
    if (!f || !c)
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    o->map_field[o->nmap] = strndup(spec, (size_t)(eq - spec));
    o->map_col[o->nmap] = strdup(eq + 1);
    if (!o->map_field[o->nmap] || !o->map_col[o->nmap])
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    o->nmap++;
    return SG_OK;
}

sg_status sg_import_options_add_set(sg_ctx *ctx, sg_import_options *o,
                                    const char *spec)
{
    const char *eq = spec ? strchr(spec, '=') : NULL;
    if (!eq || eq == spec || !eq[1])
        return sg__error(ctx, SG_ERR_USAGE,
                         "--set takes field=value, e.g. "
                         "kind=collection_point; got '%s'",
                         spec ? spec : "");
    char **f = realloc(o->set_field, (o->nset + 1) * sizeof *f);
    if (f)
        o->set_field = f;
    char **v = realloc(o->set_value, (o->nset + 1) * sizeof *v);
    if (v)
        o->set_value = v;
    if (!f || !v)
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    o->set_field[o->nset] = strndup(spec, (size_t)(eq - spec));
    o->set_value[o->nset] = strdup(eq + 1);
    if (!o->set_field[o->nset] || !o->set_value[o->nset])
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    o->nset++;
    return SG_OK;
}

sg_status sg_import_options_set_src_crs(sg_ctx *ctx, sg_import_options *o,
                                        const char *crs)
{
    return set_str(ctx, &o->src_crs, crs);
}

sg_status sg_import_options_set_xy(sg_ctx *ctx, sg_import_options *o,
                                   const char *x_col, const char *y_col)
{
    sg_status st = set_str(ctx, &o->x_col, x_col);
    return st ? st : set_str(ctx, &o->y_col, y_col);
}

sg_status sg_import_options_set_encoding(sg_ctx *ctx, sg_import_options *o,
                                         const char *encoding)
{
    /* a name iconv (under GDAL's CPLRecode) knows, of the characters
     * charset names use: never a format string or a path */
    int ok = encoding && *encoding && strlen(encoding) < 64;
    for (const char *p = encoding; ok && *p; p++)
        ok = isalnum((unsigned char)*p) || strchr("-_.:", *p);
    if (ok) {
        iconv_t cd = iconv_open("UTF-8", encoding);
        ok = cd != (iconv_t)-1;
        if (ok)
            iconv_close(cd);
    }
    if (!ok)
        return sg__error(ctx, SG_ERR_USAGE,
                         "unknown text encoding '%s' (give a name iconv "
                         "knows, e.g. UTF-8, GBK, GB18030, CP936, "
                         "ISO-8859-1; `iconv -l` lists them)",
                         encoding ? encoding : "");
    return set_str(ctx, &o->encoding, encoding);
}

void sg_import_options_set_replace(sg_import_options *o, int replace)
{
    o->replace = replace != 0;
}

sg_status sg_import_options_set_rejects(sg_ctx *ctx, sg_import_options *o,
                                        const char *path)
{
    return set_str(ctx, &o->rejects, path);
}

void sg_import_result_free(sg_import_result *r)
{
    if (!r)
        return;
    free(r->layer);
    free(r->source_layer);
    free(r->src_crs);
    free(r->encoding);
    free(r->rejects_path);
    for (size_t i = 0; i < r->nmap; i++) {
        free(r->map[i].field);
        free(r->map[i].column);
    }
    free(r->map);
    for (size_t i = 0; i < r->nunused; i++)
        free(r->unused[i]);
    free(r->unused);
    for (size_t i = 0; i < r->nsamples; i++)
        free(r->samples[i]);
    free(r->samples);
    free(r);
}

/* ---- the import state -------------------------------------------------- */

typedef struct reject {
    long long feature; /* 1-based position in the source */
    char *id;
    char *field;
    char *reason;
} reject;

typedef struct importer {
    sg_ctx *ctx;
    sg_store *store;
    const sg__layer_def *def;
    const sg_import_options *opts;
    sg_import_result *res;
    const char *source;
    sg__gdal_errs gerr;
    GDALDatasetH ds;
    OGRLayerH lyr;
    OGRFeatureDefnH fdefn;
    int col[16];        /* source column of each def field, -1 if none */
    int x_idx, y_idx;   /* coordinate columns of a table source */
    int use_geom;       /* 1: the source's geometry, 0: x/y or none */
    int offset;         /* OFFSET_* */
    int geographic;     /* source coordinates are lon/lat degrees */
    int gcj_iters;
    double max_pop;      /* limits.household_population */
    double max_vertices; /* limits.polygon_vertices */
    OGRSpatialReferenceH src_srs, dst_srs, ll_srs;
    OGRCoordinateTransformationH ct, ct_ll;
    double aou[4];      /* area of use of the working CRS, lon/lat, +margin */
    int raw_text;       /* strings arrive undecoded: decode ourselves */
    const char *text_enc; /* encoding used for text, static */
    reject *rejects;
    size_t nrejects, caprejects;
    sg__insert *ins;
    sg__unit_resolver *units; /* inspections: unit names -> codes */
    char *cfg_key[4], *cfg_old[4]; /* thread-local GDAL config to restore */
    int ncfg;
    const char *setval[16]; /* --set value of each def field, or NULL */
    char *memfile;      /* /vsimem/ copy of a recoded CSV, or NULL */
    char *membuf;       /* its bytes (owned here, not by GDAL) */
    GDALDatasetH desc_ds; /* in-memory copy of a KML layer with the
                           * attributes of its descriptions, or NULL */
    int probe;          /* keep positions for the GCJ-02/BD-09 check */
    double *plon, *plat; /* source lon/lat of the first points */
    size_t nprobe;
} importer;

/* Add a reject; \p id and \p field may be NULL. */
static void add_reject(importer *im, long long feature, const char *id,
                       const char *field, const char *fmt, ...)
    SG_PRINTF(5, 6);

static void add_reject(importer *im, long long feature, const char *id,
                       const char *field, const char *fmt, ...)
{
    if (im->nrejects == im->caprejects) {
        size_t cap = im->caprejects ? im->caprejects * 2 : 64;
        reject *r = realloc(im->rejects, cap * sizeof *r);
        if (!r)
            return;
        im->rejects = r;
        im->caprejects = cap;
    }
    char buf[SG_ERRMSG_SIZE];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    reject *r = &im->rejects[im->nrejects++];
    r->feature = feature;
    r->id = id ? strdup(id) : NULL;
    r->field = field ? strdup(field) : NULL;
    r->reason = strdup(buf);
    im->res->rejected++;
}

/* Set a thread-local GDAL config option for the rest of the import,
 * remembering the old value for restore_config(). */
static void set_config(importer *im, const char *key, const char *value)
{
    if (im->ncfg >= 4)
        return;
    const char *old = CPLGetThreadLocalConfigOption(key, NULL);
    im->cfg_key[im->ncfg] = CPLStrdup(key);
    im->cfg_old[im->ncfg] = old ? CPLStrdup(old) : NULL;
    im->ncfg++;
    CPLSetThreadLocalConfigOption(key, value);
}

/* Put back the config options changed by set_config(). */
static void restore_config(importer *im)
{
    for (int i = im->ncfg - 1; i >= 0; i--) {
        CPLSetThreadLocalConfigOption(im->cfg_key[i], im->cfg_old[i]);
        CPLFree(im->cfg_key[i]);
        CPLFree(im->cfg_old[i]);
    }
    im->ncfg = 0;
}

/* ---- opening the source ------------------------------------------------ */

/* 1 if \p path ends with \p ext (case-insensitive, ext with dot). */
static int has_ext(const char *path, const char *ext)
{
    size_t n = strlen(path), e = strlen(ext);
    return n > e && strcasecmp(path + n - e, ext) == 0;
}

/* For a Shapefile: 1 if GDAL would not know its text encoding (no .cpg
 * sidecar and a DBF language id of 0 or 87 "ANSI"), so that we read raw
 * bytes and decide ourselves (DOMAIN K8). */
static int shapefile_encoding_unknown(const char *path)
{
    char base[4096], cand[4100];
    snprintf(base, sizeof base, "%s", path);
    char *dot = strrchr(base, '.');
    if (!dot)
        return 0;
    *dot = '\0';
    struct stat sb;
    static const char *const cpg[] = {".cpg", ".CPG", ".Cpg"};
    for (int i = 0; i < 3; i++) {
        snprintf(cand, sizeof cand, "%s%s", base, cpg[i]);
        if (stat(cand, &sb) == 0)
            return 0;
    }
    static const char *const dbf[] = {".dbf", ".DBF"};
    for (int i = 0; i < 2; i++) {
        snprintf(cand, sizeof cand, "%s%s", base, dbf[i]);
        FILE *f = fopen(cand, "rb");
        if (!f)
            continue;
        unsigned char hdr[32];
        size_t got = fread(hdr, 1, sizeof hdr, f);
        fclose(f);
        if (got < 30)
            return 1;
        return hdr[29] == 0 || hdr[29] == 87;
    }
    return 0;
}

/* ---- text encoding of Shapefile and CSV sources (DOMAIN K8) ---------- */

/* A Shapefile's text encoding: --encoding, else GDAL's (.cpg, language
 * id), else decided from the bytes of the DBF's field names and text
 * cells (UTF-8 if valid, else GB18030); GDAL then recodes names and
 * values alike. */
static sg_status shapefile_encoding(importer *im, char ***oo)
{
    const char *src = im->source;
    if (im->opts->encoding) {
        *oo = CSLSetNameValue(*oo, "ENCODING", im->opts->encoding);
        im->text_enc = im->opts->encoding;
        return SG_OK;
    }
    if (!shapefile_encoding_unknown(src))
        return SG_OK;
    char dbf[4200];
    snprintf(dbf, sizeof dbf, "%s", src);
    char *dot = strrchr(dbf, '.');
    struct stat sb;
    if (dot) {
        size_t room = sizeof dbf - (size_t)(dot - dbf);
        snprintf(dot, room, ".dbf");
        if (stat(dbf, &sb) != 0)
            snprintf(dot, room, ".DBF");
    }
    const char *enc = NULL;
    sg_status st = sg__dbf_detect_encoding(im->ctx, dbf, &enc);
    if (st)
        return st;
    if (enc) {
        *oo = CSLSetNameValue(*oo, "ENCODING", enc);
        im->text_enc = enc;
    } else {
        /* not a DBF we can read ourselves: raw bytes, decoded per value */
        *oo = CSLSetNameValue(*oo, "ENCODING", "");
        im->raw_text = 1;
    }
    return SG_OK;
}

/* Read the whole file \p path into *buf (NUL-terminated; free()). */
static sg_status slurp(importer *im, const char *path, char **buf,
                       size_t *n)
{
    FILE *f = fopen(path, "rb");
    *buf = NULL;
    *n = 0;
    if (!f)
        return sg__error(im->ctx, SG_ERR_IO_OPEN, "%s: cannot be read",
                         path);
    size_t cap = 1 << 16, len = 0;
    char *b = malloc(cap + 1);
    size_t got;
    while (b && (got = fread(b + len, 1, cap - len, f)) > 0) {
        len += got;
        if (len == cap) {
            char *nb = realloc(b, cap * 2 + 1);
            if (!nb) {
                free(b);
                b = NULL;
                break;
            }
            b = nb;
            cap *= 2;
        }
    }
    fclose(f);
    if (!b)
        return sg__error(im->ctx, SG_ERR_NOMEM, "out of memory reading %s",
                         path);
    b[len] = '\0';
    *buf = b;
    *n = len;
    return SG_OK;
}

/* 1 if \p enc names UTF-8. */
static int is_utf8_name(const char *enc)
{
    return !strcasecmp(enc, "UTF-8") || !strcasecmp(enc, "UTF8");
}

/* A CSV's text encoding: --encoding, else UTF-8 if the bytes are valid
 * UTF-8, else GB18030 (Excel's "CSV" on Chinese Windows). A file in
 * another encoding is recoded whole into a /vsimem/ copy that GDAL
 * reads, so that headers and values come out right alike; *src then
 * points to that copy. */
static sg_status csv_encoding(importer *im, const char **src)
{
    if (strncmp(*src, "/vsi", 4) == 0) {
        im->raw_text = 1; /* decoded per value */
        return SG_OK;
    }
    char *buf = NULL;
    size_t n = 0;
    sg_status st = slurp(im, *src, &buf, &n);
    if (st)
        return st;
    const char *enc = im->opts->encoding;
    if (!enc) {
        st = sg__detect_buffer(im->ctx, im->source, (unsigned char *)buf, n,
                               &enc);
    } else if (is_utf8_name(enc)) {
        size_t bad = sg__utf8_first_bad((unsigned char *)buf, n);
        if (bad < n)
            st = sg__error(im->ctx, SG_ERR_INPUT,
                           "%s: the text is not valid UTF-8: byte 0x%02X "
                           "at offset %zu; nothing was imported",
                           im->source, (unsigned)(unsigned char)buf[bad],
                           bad);
    }
    if (st == SG_OK && is_utf8_name(enc)) {
        im->text_enc = "UTF-8";
        free(buf);
        return SG_OK;
    }
    char *out = NULL;
    size_t out_n = 0;
    if (st == SG_OK)
        st = sg__recode_to_utf8(im->ctx, im->source, enc, buf, n, &out,
                                &out_n);
    free(buf);
    if (st)
        return st;
    const char *base = strrchr(im->source, '/');
    base = base ? base + 1 : im->source;
    im->memfile = sg__aprintf("/vsimem/sanigrid_import_%p/%s", (void *)im,
                              base);
    if (!im->memfile) {
        free(out);
        return sg__error(im->ctx, SG_ERR_NOMEM, "out of memory");
    }
    im->membuf = out;
    VSILFILE *vf = VSIFileFromMemBuffer(im->memfile, (GByte *)out,
                                        (vsi_l_offset)out_n, FALSE);
    if (!vf)
        return sg__error(im->ctx, SG_ERR_INTERNAL,
                         "%s: cannot hold the recoded text in memory",
                         im->source);
    VSIFCloseL(vf);
    im->text_enc = enc;
    *src = im->memfile;
    return SG_OK;
}

/* Open the dataset, capturing GDAL's error text for the message. */
static sg_status open_source(importer *im)
{
    sg_ctx *ctx = im->ctx;
    const char *src = im->source;
    struct stat sb;
    memset(&sb, 0, sizeof sb); /* a /vsi... path is not stat()ed */
    int have_stat = 0;
    if (!src || !*src)
        return sg__error(ctx, SG_ERR_USAGE, "no source file given");
    if (strncmp(src, "/vsi", 4) != 0) {
        if (stat(src, &sb) != 0) {
            int e = errno;
            struct stat lb;
            if (e == ELOOP)
                return sg__error(ctx, SG_ERR_IO_OPEN,
                                 "%s: too many levels of symbolic links (a "
                                 "symbolic link loop)",
                                 src);
            if (e == ENOENT && lstat(src, &lb) == 0)
                return sg__error(ctx, SG_ERR_IO_OPEN,
                                 "%s: a symbolic link to a missing file",
                                 src);
            if (e == ENOENT)
                return sg__error(ctx, SG_ERR_IO_OPEN, "%s: no such file",
                                 src);
            return sg__error(ctx, SG_ERR_IO_OPEN, "%s: %s", src,
                             strerror(e));
        }
        have_stat = 1;
        if (!S_ISREG(sb.st_mode) && !S_ISDIR(sb.st_mode))
            return sg__error(ctx, SG_ERR_IO_OPEN,
                             "%s: not a regular file (a device, pipe or "
                             "socket); give a GIS file or folder",
                             src);
    }
    if (has_ext(src, ".shp")) {
        /* without its .dbf GDAL reads geometries only: households without
         * ids or residents would be imported (issue 17) */
        struct stat db;
        size_t stem = strlen(src) - 4;
        char *dbf = sg__aprintf("%.*s.dbf", (int)stem, src);
        char *DBF = sg__aprintf("%.*s.DBF", (int)stem, src);
        int found = dbf && DBF && (stat(dbf, &db) == 0 || stat(DBF, &db) == 0);
        sg_status st = found ? SG_OK
                             : sg__error(ctx, SG_ERR_IO_FORMAT,
                                         "%s: the Shapefile's attribute file "
                                         "%s is missing; nothing was imported",
                                         src, dbf ? dbf : ".dbf");
        free(dbf);
        free(DBF);
        if (st)
            return st;
    }
    char **oo = NULL;
    sg_status est = SG_OK;
    if (has_ext(src, ".shp") || has_ext(src, ".dbf")) {
        est = shapefile_encoding(im, &oo);
    } else if (has_ext(src, ".xlsx") || has_ext(src, ".xls") ||
               has_ext(src, ".ods")) {
        /* GDAL 3.8 has open options for this; 3.6 only the config
         * options, read lazily: keep them set until the import ends */
        oo = CSLSetNameValue(oo, "HEADERS", "FORCE");
        oo = CSLSetNameValue(oo, "FIELD_TYPES", "STRING");
        set_config(im, "OGR_XLSX_HEADERS", "FORCE");
        set_config(im, "OGR_XLSX_FIELD_TYPES", "STRING");
        set_config(im, "OGR_ODS_HEADERS", "FORCE");
        set_config(im, "OGR_ODS_FIELD_TYPES", "STRING");
        im->raw_text = im->opts->encoding != NULL;
    } else if (has_ext(src, ".csv") || has_ext(src, ".txt") ||
               has_ext(src, ".tsv")) {
        oo = CSLSetNameValue(oo, "AUTODETECT_TYPE", "NO");
        oo = CSLSetNameValue(oo, "EMPTY_STRING_AS_NULL", "YES");
        est = csv_encoding(im, &src);
    } else {
        im->raw_text = im->opts->encoding != NULL;
        /* LIBKML turns each byte of a Chinese <Data name="等级"> into
         * '_' unless told not to: 等级 must reach the field mapping */
        set_config(im, "LIBKML_LAUNDER_FIELD_NAMES", "NO");
    }
    if (est) {
        CSLDestroy(oo);
        return est;
    }
    const char *prefix = "";
    char kmz[4200];
    if (has_ext(src, ".kmz") && !GDALGetDriverByName("LIBKML")) {
        /* without LIBKML, read the doc.kml inside the zip */
        snprintf(kmz, sizeof kmz, "/vsizip/%s/doc.kml", src);
        src = kmz;
        prefix = "";
    }
    (void)prefix;
    int failures = im->gerr.failures;
    im->ds = GDALOpenEx(src, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL,
                        (const char *const *)oo, NULL);
    CSLDestroy(oo);
    if (im->ds && im->gerr.failures > failures && !im->opts->src_crs &&
        (strstr(im->gerr.last, "proj_create") ||
         strstr(im->gerr.last, "crs not found"))) {
        /* GeoJSON's driver falls back to EPSG:4326 when the file's "crs"
         * names a CRS PROJ does not know: coordinates would be read in
         * the wrong system without a word */
        GDALClose(im->ds);
        im->ds = NULL;
        return sg__error(ctx, SG_ERR_CRS,
                         "%s: the file names a CRS that PROJ does not know "
                         "(%s); correct its \"crs\" member or give "
                         "--src-crs",
                         im->source, im->gerr.last);
    }
    if (!im->ds) {
        if (have_stat && S_ISDIR(sb.st_mode))
            return sg__error(ctx, SG_ERR_IO_FORMAT,
                             "%s: a folder GDAL cannot read as GIS data",
                             im->source);
        if (have_stat && sb.st_size == 0)
            return sg__error(ctx, SG_ERR_IO_FORMAT, "%s: empty file",
                             im->source);
        return sg__error(ctx, SG_ERR_IO_FORMAT,
                         "%s: not a readable GIS file (unsupported format, "
                         "or damaged/truncated)%s%s",
                         im->source, im->gerr.last[0] ? ": " : "",
                         im->gerr.last);
    }
    return SG_OK;
}

/* \return 1 when \p ds was opened by a KML driver. */
static int is_kml(GDALDatasetH ds)
{
    GDALDriverH d = GDALGetDatasetDriver(ds);
    const char *n = d ? GDALGetDriverShortName(d) : "";
    return !strcmp(n, "KML") || !strcmp(n, "LIBKML");
}

/* Append \p s to \p b (size \p size) with XML's five entities escaped. */
static void xml_cat(char *b, size_t size, const char *s)
{
    size_t n = strlen(b);
    for (; s && *s && n + 7 < size; s++) {
        const char *e = *s == '&'    ? "&amp;"
                        : *s == '<'  ? "&lt;"
                        : *s == '>'  ? "&gt;"
                        : *s == '"'  ? "&quot;"
                        : *s == '\'' ? "&apos;"
                                     : NULL;
        if (e) {
            memcpy(b + n, e, strlen(e));
            n += strlen(e);
        } else {
            b[n++] = *s;
        }
    }
    b[n] = '\0';
}

/* Append \p s to \p b (size \p size) as it is, cut at the end. */
static void raw_cat(char *b, size_t size, const char *s)
{
    size_t n = strlen(b);
    if (n < size)
        snprintf(b + n, size - n, "%s", s);
}

/* Replace im->ds, a KML of \p n folders, by an OGR VRT union of all its
 * layers (GDAL's OGRVRTUnionLayer), with the folder's name in a field
 * "folder"; im->lyr is that union. */
static sg_status kml_union(importer *im, int n)
{
    size_t size = 4096 + (size_t)n * 2 * (strlen(GDALGetDescription(im->ds)) +
                                          1024);
    char *x = malloc(size);
    if (!x)
        return sg__error(im->ctx, SG_ERR_NOMEM, "out of memory");
    snprintf(x, size, "<OGRVRTDataSource><OGRVRTUnionLayer name=\"kml\">"
                      "<SourceLayerFieldName>folder</SourceLayerFieldName>");
    for (int i = 0; i < n; i++) {
        raw_cat(x, size, "<OGRVRTLayer name=\"");
        char nm[32];
        snprintf(nm, sizeof nm, "f%d", i);
        raw_cat(x, size, nm);
        raw_cat(x, size, "\"><SrcDataSource>");
        xml_cat(x, size, GDALGetDescription(im->ds));
        raw_cat(x, size, "</SrcDataSource><SrcLayer>");
        xml_cat(x, size, OGR_L_GetName(GDALDatasetGetLayer(im->ds, i)));
        raw_cat(x, size, "</SrcLayer></OGRVRTLayer>");
    }
    raw_cat(x, size, "</OGRVRTUnionLayer></OGRVRTDataSource>");
    GDALDatasetH u = GDALOpenEx(x, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL,
                                NULL, NULL);
    free(x);
    OGRLayerH l = u ? GDALDatasetGetLayer(u, 0) : NULL;
    if (!l) {
        if (u)
            GDALClose(u);
        return sg__error(im->ctx, SG_ERR_IO_FORMAT,
                         "%s: cannot read its %d folders as one layer%s%s",
                         im->source, n, im->gerr.last[0] ? ": " : "",
                         im->gerr.last);
    }
    GDALClose(im->ds);
    im->ds = u;
    im->lyr = l;
    return SG_OK;
}

/* Choose the source layer: --source-layer, a layer named like the target,
 * all the folders of a KML, or the only/first one. */
static sg_status pick_layer(importer *im)
{
    int n = GDALDatasetGetLayerCount(im->ds);
    int kml = is_kml(im->ds);
    const char *want = im->opts->source_layer;
    if (n <= 0)
        return sg__error(im->ctx, SG_ERR_INPUT, "%s: holds no layers",
                         im->source);
    if (want) {
        im->lyr = GDALDatasetGetLayerByName(im->ds, want);
        if (!im->lyr) {
            char names[512] = "";
            for (int i = 0; i < n && strlen(names) < 400; i++) {
                OGRLayerH l = GDALDatasetGetLayer(im->ds, i);
                strncat(names, i ? ", " : "", sizeof names - strlen(names) - 1);
                strncat(names, OGR_L_GetName(l),
                        sizeof names - strlen(names) - 1);
            }
            return sg__error(im->ctx, SG_ERR_USAGE,
                             "%s: no layer '%s'; its layers are: %s",
                             im->source, want, names);
        }
    } else {
        im->lyr = GDALDatasetGetLayerByName(im->ds, im->def->name);
        if (!im->lyr && n > 1 && kml) {
            /* KML folders (a village each, as sanigrid and 奥维 write
             * them) are one layer: their union, the folder's name in a
             * field "folder" for --map */
            sg_status st = kml_union(im, n);
            if (st)
                return st;
            n = 1;
        }
        if (!im->lyr)
            im->lyr = GDALDatasetGetLayer(im->ds, 0);
        if (n > 1)
            sg__log(im->ctx, SG_LOG_WARN,
                    "%s has %d layers; reading '%s' (choose with "
                    "--source-layer)",
                    im->source, n, OGR_L_GetName(im->lyr));
    }
    im->res->source_layer = sg__strdup(im->ctx, OGR_L_GetName(im->lyr));
    if (kml) {
        /* 奥维 and Google Earth keep the grade or type in the HTML of
         * <description>: make its pairs columns like any other */
        char *names = NULL;
        OGRLayerH l = NULL;
        sg_status st = sg__kml_desc_layer(im->ctx, im->lyr, im->source,
                                          &im->desc_ds, &l, &names);
        if (st)
            return st;
        if (l)
            im->lyr = l;
        if (names)
            sg__log(im->ctx, SG_LOG_INFO,
                    "%s: columns read from the placemarks' descriptions: %s",
                    im->source, names);
        free(names);
    }
    im->fdefn = OGR_L_GetLayerDefn(im->lyr);
    return SG_OK;
}

/* Find a source column by name, case-insensitive; -1 if absent. */
static int find_column(OGRFeatureDefnH fd, const char *name)
{
    int n = OGR_FD_GetFieldCount(fd);
    for (int i = 0; i < n; i++) {
        const char *c = OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(fd, i));
        if (strcasecmp(c, name) == 0)
            return i;
    }
    for (int i = 0; i < n; i++) {
        const char *c = OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(fd, i));
        if (sg__alias_match(name, c))
            return i;
    }
    return -1;
}

/* Comma-separated list of the source columns, for messages. */
static void column_list(OGRFeatureDefnH fd, char *buf, size_t size)
{
    buf[0] = '\0';
    int n = OGR_FD_GetFieldCount(fd);
    for (int i = 0; i < n && strlen(buf) + 40 < size; i++) {
        strncat(buf, i ? ", " : "", size - strlen(buf) - 1);
        strncat(buf, OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(fd, i)),
                size - strlen(buf) - 1);
    }
    if (!n)
        snprintf(buf, size, "(none)");
}

/* Add one entry to the result's mapping. */
static void note_mapping(importer *im, const char *field, int col, int autom)
{
    sg_field_map *m = realloc(im->res->map, (im->res->nmap + 1) * sizeof *m);
    if (!m)
        return;
    im->res->map = m;
    m[im->res->nmap].field = strdup(field);
    m[im->res->nmap].column =
        strdup(OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(im->fdefn, col)));
    m[im->res->nmap].automatic = autom;
    im->res->nmap++;
}

/* Work out which source column feeds which field: --map first, then the
 * aliases of each field in the registry, each column used once. */
static sg_status map_fields(importer *im)
{
    const sg__layer_def *def = im->def;
    int ncols = OGR_FD_GetFieldCount(im->fdefn);
    char *used = calloc((size_t)ncols + 1, 1);
    char cols[1024];
    if (!used)
        return sg__error(im->ctx, SG_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < def->nfields; i++)
        im->col[i] = -1;
    for (size_t k = 0; k < im->opts->nmap; k++) {
        const char *f = im->opts->map_field[k], *c = im->opts->map_col[k];
        size_t i;
        for (i = 0; i < def->nfields; i++)
            if (strcmp(def->fields[i].name, f) == 0)
                break;
        if (i == def->nfields) {
            char names[512] = "";
            for (size_t j = 0; j < def->nfields; j++) {
                strncat(names, j ? ", " : "", sizeof names - strlen(names) - 1);
                strncat(names, def->fields[j].name,
                        sizeof names - strlen(names) - 1);
            }
            free(used);
            return sg__error(im->ctx, SG_ERR_USAGE,
                             "--map %s=%s: layer %s has no field '%s'; its "
                             "fields are: %s",
                             f, c, def->name, f, names);
        }
        int idx = -1;
        for (int j = 0; j < ncols; j++)
            if (strcasecmp(OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(im->fdefn, j)),
                           c) == 0)
                idx = j;
        if (idx < 0) {
            column_list(im->fdefn, cols, sizeof cols);
            free(used);
            return sg__error(im->ctx, SG_ERR_USAGE,
                             "--map %s=%s: %s has no column '%s'; its "
                             "columns are: %s",
                             f, c, im->source, c, cols);
        }
        im->col[i] = idx;
        used[idx] = 1;
        note_mapping(im, f, idx, 0);
    }
    for (size_t i = 0; i < def->nfields; i++) {
        if (im->col[i] >= 0)
            continue;
        /* aliases in the order written: the most specific first */
        const char *p = def->fields[i].aliases;
        while (p && *p && im->col[i] < 0) {
            const char *bar = strchr(p, '|');
            size_t len = bar ? (size_t)(bar - p) : strlen(p);
            for (int j = 0; j < ncols; j++) {
                const char *c =
                    OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(im->fdefn, j));
                c = sg__skip_blanks(c);
                if (!used[j] && strlen(c) >= len &&
                    strncasecmp(c, p, len) == 0 &&
                    (c[len] == '\0' || sg__blank_len(c + len))) {
                    im->col[i] = j;
                    used[j] = 1;
                    note_mapping(im, def->fields[i].name, j, 1);
                    break;
                }
            }
            p = bar ? bar + 1 : NULL;
        }
    }
    free(used);
    return SG_OK;
}

/* Locate coordinate columns of a table source (no geometry). */
static sg_status find_xy(importer *im)
{
    static const char *const xs[] = {
        "lon|longitude|lng|long|x|经度|东经|x坐标|point_x|coord_x|xcoord",
    };
    static const char *const ys[] = {
        "lat|latitude|y|纬度|北纬|y坐标|point_y|coord_y|ycoord",
    };
    im->x_idx = im->y_idx = -1;
    if (im->opts->x_col || im->opts->y_col) {
        if (!im->opts->x_col || !im->opts->y_col)
            return sg__error(im->ctx, SG_ERR_USAGE,
                             "give both --x and --y");
        im->x_idx = find_column(im->fdefn, im->opts->x_col);
        im->y_idx = find_column(im->fdefn, im->opts->y_col);
        if (im->x_idx < 0 || im->y_idx < 0) {
            char cols[1024];
            column_list(im->fdefn, cols, sizeof cols);
            return sg__error(im->ctx, SG_ERR_USAGE,
                             "%s has no column '%s'; its columns are: %s",
                             im->source,
                             im->x_idx < 0 ? im->opts->x_col : im->opts->y_col,
                             cols);
        }
        return SG_OK;
    }
    int n = OGR_FD_GetFieldCount(im->fdefn);
    for (int j = 0; j < n; j++) {
        const char *c = OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(im->fdefn, j));
        if (im->x_idx < 0 && sg__alias_match(xs[0], c))
            im->x_idx = j;
        else if (im->y_idx < 0 && sg__alias_match(ys[0], c))
            im->y_idx = j;
    }
    if (im->x_idx < 0 || im->y_idx < 0) {
        char cols[1024];
        column_list(im->fdefn, cols, sizeof cols);
        return sg__error(im->ctx, SG_ERR_INPUT,
                         "%s has no geometry and no coordinate columns "
                         "(lon/lat, x/y, 经度/纬度); name them with --x and "
                         "--y. Its columns are: %s",
                         im->source, cols);
    }
    return SG_OK;
}

/* ---- fields an analysis cannot do without (issue 14) ------------------ */

/* Apply --set: each named field gets its constant (checked now like a
 * source value would be) instead of a column. */
static sg_status apply_sets(importer *im)
{
    const sg__layer_def *def = im->def;
    for (size_t k = 0; k < im->opts->nset; k++) {
        const char *f = im->opts->set_field[k], *v = im->opts->set_value[k];
        size_t i;
        for (i = 0; i < def->nfields; i++)
            if (strcmp(def->fields[i].name, f) == 0)
                break;
        if (i == def->nfields || (def->fields[i].flags & SG_F_ID))
            return sg__error(im->ctx, SG_ERR_USAGE,
                             "--set %s=%s: layer %s has no field '%s' that "
                             "takes one value for every row",
                             f, v, def->name, f);
        const sg__field_def *fd = &def->fields[i];
        double d;
        if (fd->values && !sg__enum_normalise(fd, v))
            return sg__error(im->ctx, SG_ERR_USAGE,
                             "--set %s=%s: '%s' is not one of %s", f, v, v,
                             fd->values);
        if (fd->type != SG_FT_TEXT && !sg__parse_double(v, &d))
            return sg__error(im->ctx, SG_ERR_USAGE,
                             "--set %s=%s: '%s' is not a number", f, v, v);
        if (im->col[i] >= 0) {
            /* the constant wins over the column: drop that mapping */
            const char *c =
                OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(im->fdefn, im->col[i]));
            for (size_t m = 0; m < im->res->nmap; m++)
                if (!strcmp(im->res->map[m].field, f) &&
                    !strcmp(im->res->map[m].column, c)) {
                    free(im->res->map[m].field);
                    free(im->res->map[m].column);
                    im->res->map[m] = im->res->map[--im->res->nmap];
                    break;
                }
            im->col[i] = -1;
        }
        im->setval[i] = v;
        sg_field_map *m =
            realloc(im->res->map, (im->res->nmap + 1) * sizeof *m);
        if (!m)
            return sg__error(im->ctx, SG_ERR_NOMEM, "out of memory");
        im->res->map = m;
        m[im->res->nmap].field = strdup(f);
        m[im->res->nmap].column = strdup(v);
        m[im->res->nmap].automatic = 2;
        im->res->nmap++;
    }
    return SG_OK;
}

/* Index of the source column that \p aliases recognise (as map_fields
 * does: exact, or the alias followed by a blank), or -1. */
static int alias_column(OGRFeatureDefnH fd, const char *aliases)
{
    int n = OGR_FD_GetFieldCount(fd);
    const char *p = aliases;
    while (p && *p) {
        const char *bar = strchr(p, '|');
        size_t len = bar ? (size_t)(bar - p) : strlen(p);
        for (int j = 0; j < n; j++) {
            const char *c =
                sg__skip_blanks(OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(fd, j)));
            if (strlen(c) >= len && strncasecmp(c, p, len) == 0 &&
                (c[len] == '\0' || sg__blank_len(c + len)))
                return j;
        }
        p = bar ? bar + 1 : NULL;
    }
    return -1;
}

/* A hint when the columns fit another point layer better: a roster
 * (population) imported as points, facilities imported as households. */
static void layer_hint(importer *im, char *buf, size_t size)
{
    buf[0] = '\0';
    static const char *const others[] = {"households", "points", NULL};
    for (int k = 0; others[k]; k++) {
        const sg__layer_def *o = sg__layer_def_find(others[k]);
        if (!o || o == im->def)
            continue;
        for (size_t i = 0; i < o->nfields; i++) {
            const sg__field_def *fd = &o->fields[i];
            if (!(fd->flags & SG_F_ESSENTIAL) || (fd->flags & SG_F_ID))
                continue;
            int j = alias_column(im->fdefn, fd->aliases);
            if (j >= 0) {
                snprintf(buf, size,
                         sg__gettext(". Its column '%s' is the %s of layer "
                                     "%s: is this file meant for `sanigrid "
                                     "import DB %s %s`?"),
                         OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(im->fdefn, j)),
                         fd->name, o->name, o->name, im->source);
                return;
            }
        }
    }
    if (!strcmp(im->def->name, "households"))
        snprintf(buf, size, "%s",
                 sg__gettext(". A file of facilities (collection points, "
                             "bins, toilets; codes like SJD001) goes into "
                             "layer points"));
}

/* Refuse the import when no column (nor --set) gives a field the
 * analyses need (SG_F_ESSENTIAL), naming the columns found and a --map
 * line to copy; warn for SG_F_WANTED ones. */
static sg_status check_essentials(importer *im)
{
    const sg__layer_def *def = im->def;
    char missing[256] = "", mapline[1024] = "", setline[256] = "";
    int ncols = OGR_FD_GetFieldCount(im->fdefn), nextcol = 0;
    char *used = calloc((size_t)ncols + 1, 1);
    if (!used)
        return sg__error(im->ctx, SG_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < def->nfields; i++)
        if (im->col[i] >= 0)
            used[im->col[i]] = 1;
    for (size_t i = 0; i < def->nfields; i++) {
        const sg__field_def *fd = &def->fields[i];
        if (im->col[i] >= 0 || im->setval[i])
            continue;
        if (fd->flags & SG_F_WANTED)
            sg__log(im->ctx, SG_LOG_WARN,
                    "%s: no column gives %s of layer %s (recognised: %s); "
                    "without it the analyses treat every row alike (e.g. "
                    "staffing's road rule counts no classed road). Name "
                    "the column with --map %s=COLUMN or give one value "
                    "with --set %s=VALUE",
                    im->source, fd->name, def->name, fd->aliases, fd->name,
                    fd->name);
        if (!(fd->flags & SG_F_ESSENTIAL))
            continue;
        /* propose the next column no field took (nor coordinates), else
         * a placeholder */
        while (nextcol < ncols &&
               (used[nextcol] ||
                (!im->use_geom && im->def->geom_type &&
                 (nextcol == im->x_idx || nextcol == im->y_idx))))
            nextcol++;
        const char *cand =
            nextcol < ncols
                ? OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(im->fdefn, nextcol))
                : "COLUMN";
        if (nextcol < ncols)
            used[nextcol] = 1;
        size_t ml = strlen(missing), pl = strlen(mapline);
        snprintf(missing + ml, sizeof missing - ml, "%s%s", ml ? ", " : "",
                 fd->name);
        snprintf(mapline + pl, sizeof mapline - pl, "%s--map %s=%s",
                 pl ? " " : "", fd->name, cand);
        if (!setline[0] && !(fd->flags & SG_F_ID)) {
            /* an example value: the first allowed one */
            size_t vl = fd->values ? strcspn(fd->values, "|") : 5;
            snprintf(setline, sizeof setline,
                     sg__gettext(" (or one value for every row: --set "
                                 "%s=%.*s)"),
                     fd->name, (int)vl,
                     fd->values ? fd->values : "VALUE");
        }
    }
    free(used);
    if (!missing[0])
        return SG_OK;
    char cols[1024], hint[512];
    column_list(im->fdefn, cols, sizeof cols);
    layer_hint(im, hint, sizeof hint);
    return sg__error(im->ctx, SG_ERR_INPUT,
                     "%s: layer %s needs %s, and no column of the file "
                     "gives it (its columns: %s); say which column does, "
                     "e.g.: %s%s%s; nothing was imported",
                     im->source, def->name, missing, cols, mapline, setline,
                     hint);
}

/* Source columns that feed no field and are no coordinates: listed on
 * every import so that nothing is dropped without a word. */
static void note_unused(importer *im)
{
    int n = OGR_FD_GetFieldCount(im->fdefn);
    if (n <= 0)
        return;
    char *used = calloc((size_t)n, 1);
    im->res->unused = calloc((size_t)n, sizeof(char *));
    if (!used || !im->res->unused) {
        free(used);
        return;
    }
    for (size_t i = 0; i < im->def->nfields; i++)
        if (im->col[i] >= 0)
            used[im->col[i]] = 1;
    int xy = im->def->geom_type && !im->use_geom;
    if (xy && im->x_idx >= 0 && im->x_idx < n)
        used[im->x_idx] = 1;
    if (xy && im->y_idx >= 0 && im->y_idx < n)
        used[im->y_idx] = 1;
    for (int j = 0; j < n; j++)
        if (!used[j])
            im->res->unused[im->res->nunused++] =
                strdup(OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(im->fdefn, j)));
    free(used);
}

/* ---- coordinate systems ------------------------------------------------ */

/* Set up the source CRS: --src-crs, the file's, or lon/lat for tables. */
static sg_status source_crs(importer *im)
{
    sg_ctx *ctx = im->ctx;
    const char *user = im->opts->src_crs;
    im->src_srs = OSRNewSpatialReference(NULL);
    if (user && (!strcasecmp(user, "gcj02") || !strcasecmp(user, "gcj-02"))) {
        im->offset = OFFSET_GCJ02;
    } else if (user && (!strcasecmp(user, "bd09") ||
                        !strcasecmp(user, "bd-09") ||
                        !strcasecmp(user, "bd09ll"))) {
        im->offset = OFFSET_BD09;
    } else if (user) {
        if (OSRSetFromUserInput(im->src_srs, user) != OGRERR_NONE)
            return sg__error(ctx, SG_ERR_CRS,
                             "--src-crs %s: unknown CRS (give EPSG:n, a "
                             "PROJ string, WKT, gcj02 or bd09)",
                             user);
    } else {
        OGRSpatialReferenceH s = im->use_geom ? OGR_L_GetSpatialRef(im->lyr)
                                              : NULL;
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
        im->res->src_crs = sg__strdup(ctx, im->offset == OFFSET_GCJ02
                                               ? "GCJ-02"
                                               : "BD-09");
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
        sg_gcj02_to_wgs84(*x, *y, im->gcj_iters, x, y);
    else if (im->offset == OFFSET_BD09)
        sg_bd09_to_wgs84(*x, *y, im->gcj_iters, x, y);
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

/* Numeric value of column \p idx of \p f: numeric fields directly, text
 * parsed in the C locale. The text is copied to \p text (for messages)
 * because OGR reuses one buffer for GetFieldAsString. \return 1 if it is a
 * finite number. */
static int field_number(OGRFeatureH f, int idx, double *out, char *text,
                        size_t size)
{
    OGRFieldType t = OGR_Fld_GetType(OGR_F_GetFieldDefnRef(f, idx));
    snprintf(text, size, "%s", OGR_F_GetFieldAsString(f, idx));
    if (t == OFTReal || t == OFTInteger || t == OFTInteger64) {
        *out = OGR_F_GetFieldAsDouble(f, idx);
        return isfinite(*out);
    }
    return sg__parse_double(text, out);
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
                 field_number(f, im->x_idx, &x, text, sizeof text) &&
                 field_number(f, im->y_idx, &y, text, sizeof text);
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
static sg_status choose_srid(importer *im)
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
static sg_status target_crs(importer *im)
{
    sg_ctx *ctx = im->ctx;
    int srid = sg_store_srid(im->store);
    im->dst_srs = OSRNewSpatialReference(NULL);
    if (OSRImportFromEPSG(im->dst_srs, srid) != OGRERR_NONE)
        return sg__error(ctx, SG_ERR_CRS, "the store's CRS EPSG:%d is "
                         "unknown to PROJ", srid);
    OSRSetAxisMappingStrategy(im->dst_srs, OAMS_TRADITIONAL_GIS_ORDER);
    OGRSpatialReferenceH from = im->offset ? im->ll_srs : im->src_srs;
    im->ct = OCTNewCoordinateTransformation(from, im->dst_srs);
    if (!im->ct)
        return sg__error(ctx, SG_ERR_CRS, "%s: cannot transform %s to "
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
static int check_position(importer *im, OGRGeometryH g, long long fno,
                          const char *id)
{
    OGREnvelope env;
    OGR_G_GetEnvelope(g, &env);
    double cx = (env.MinX + env.MaxX) / 2, cy = (env.MinY + env.MaxY) / 2;
    if (im->geographic && (env.MinX < -180 || env.MaxX > 180 ||
                           env.MinY < -90 || env.MaxY > 90)) {
        add_reject(im, fno, id, "geometry",
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
        add_reject(im, fno, id, "geometry",
                   "coordinates (%.3f, %.3f) cannot be transformed from %s",
                   cx, cy, im->res->src_crs);
        return 0;
    }
    if (!in_area(im, lon, lat)) {
        if (im->geographic && in_area(im, lat, lon))
            add_reject(im, fno, id, "geometry",
                       "at lon %.6f, lat %.6f, far from the store's area; "
                       "latitude and longitude look swapped",
                       lon, lat);
        else
            add_reject(im, fno, id, "geometry",
                       "at lon %.6f, lat %.6f, far from the store's area "
                       "(EPSG:%d covers lon %.1f..%.1f, lat %.1f..%.1f)",
                       lon, lat, sg_store_srid(im->store), im->aou[0] + 3,
                       im->aou[2] - 3, im->aou[1] + 3, im->aou[3] - 3);
        return 0;
    }
    return 1;
}

/* ---- values ------------------------------------------------------------ */

/* Text of column \p idx of \p f as UTF-8, trimmed; NULL if unset or
 * blank. Caller owns; CPLFree(). */
static char *field_text(importer *im, OGRFeatureH f, int idx)
{
    if (idx < 0 || !OGR_F_IsFieldSetAndNotNull(f, idx))
        return NULL;
    const char *raw = OGR_F_GetFieldAsString(f, idx);
    char *s;
    if (im->raw_text) {
        const char *used = NULL;
        s = sg__to_utf8(raw, im->opts->encoding, &used);
        if (used && (!im->text_enc || strcmp(used, "UTF-8") != 0))
            im->text_enc = used;
    } else {
        s = CPLStrdup(raw);
    }
    if (!s)
        return NULL;
    char *b = s;
    b = (char *)sg__skip_blanks(b);
    size_t n = strlen(b);
    for (;;) {
        if (n && (b[n - 1] == ' ' || b[n - 1] == '\t' || b[n - 1] == '\r' ||
                  b[n - 1] == '\n'))
            n--;
        else if (n >= 3 && sg__blank_len(b + n - 3) == 3)
            n -= 3;
        else
            break;
    }
    if (n == 0) {
        CPLFree(s);
        return NULL;
    }
    memmove(s, b, n);
    s[n] = '\0';
    return s;
}

/* Bind field \p i of the definition from feature \p f into the insert
 * statement at parameter \p param. \return 1, or 0 after adding a reject. */
static int bind_field(importer *im, OGRFeatureH f, size_t i, int param,
                      long long fno, const char *id, const char *id_override)
{
    const sg__field_def *fd = &im->def->fields[i];
    char *v = id_override  ? CPLStrdup(id_override)
              : im->setval[i] ? CPLStrdup(im->setval[i])
                              : field_text(im, f, im->col[i]);
    int ok = 1;
    if (!v) {
        if (fd->flags & SG_F_REQUIRED) {
            add_reject(im, fno, id, fd->name, "no %s", fd->name);
            ok = 0;
        } else {
            sg__insert_null(im->ins, param);
        }
        CPLFree(v);
        return ok;
    }
    size_t bad = sg__utf8_invalid_at(v);
    if (bad) {
        /* GDAL hands over GeoJSON/GPKG text as it is in the file: storing
         * it would re-export invalid RFC 7946/JSON later */
        add_reject(im, fno, id, fd->name,
                   "%s is not valid UTF-8 (byte 0x%02X at byte %zu) in %s; "
                   "save the file as UTF-8 or give --encoding",
                   fd->name, (unsigned)(unsigned char)v[bad - 1], bad,
                   im->source);
        CPLFree(v);
        return 0;
    }
    const char *val = v;
    char date[11];
    if (fd->values) {
        val = sg__enum_normalise(fd, v);
        if (!val) {
            add_reject(im, fno, id, fd->name,
                       "%s '%s' is not one of %s", fd->name, v, fd->values);
            CPLFree(v);
            return 0;
        }
    }
    if (strcmp(fd->name, "date") == 0) {
        if (!sg__date_normalise(v, date)) {
            add_reject(im, fno, id, fd->name,
                       "date '%s' is not a date (use YYYY-MM-DD)", v);
            CPLFree(v);
            return 0;
        }
        val = date;
    }
    if (im->units && strcmp(fd->name, "unit_code") == 0) {
        char why[512];
        if (!(val = sg__unit_resolver_find(im->units, v, why, sizeof why))) {
            add_reject(im, fno, id, fd->name, "%s", why);
            CPLFree(v);
            return 0;
        }
    }
    if (fd->type == SG_FT_TEXT) {
        sg__insert_text(im->ins, param, val);
    } else {
        double d;
        if (!sg__parse_double(val, &d)) {
            add_reject(im, fno, id, fd->name, "%s '%s' is not a number",
                       fd->name, v);
            ok = 0;
        } else if (fd->type == SG_FT_INT) {
            if (d != floor(d) || fabs(d) > 9e15) {
                add_reject(im, fno, id, fd->name,
                           "%s '%s' is not a whole number", fd->name, v);
                ok = 0;
            } else if (d < 0 && strstr(fd->name, "population")) {
                add_reject(im, fno, id, fd->name, "%s '%s' is negative",
                           fd->name, v);
                ok = 0;
            } else if (d > im->max_pop && strstr(fd->name, "population")) {
                add_reject(im, fno, id, fd->name,
                           "%s %s is above limits.household_population "
                           "(%g residents per household); a typo or a "
                           "village's total? (raise the limit with "
                           "`sanigrid config DB set "
                           "limits.household_population N`)",
                           fd->name, v, im->max_pop);
                ok = 0;
            } else {
                sg__insert_int64(im->ins, param, (long long)d);
            }
        } else {
            sg__insert_double(im->ins, param, d);
        }
    }
    CPLFree(v);
    return ok;
}

/* Insert the bound row. \return SG_OK, SG_ERR_INPUT after a reject
 * (duplicate id, constraint), or a fatal status. */
static sg_status insert_row(importer *im, long long fno, const char *id)
{
    sg__refusal why;
    char msg[256];
    sg_status st =
        sg__insert_try(im->ctx, im->store, im->ins, &why, msg, sizeof msg);
    if (st == SG_OK) {
        im->res->imported++;
        return SG_OK;
    }
    if (why == SG_REFUSED_DUPLICATE) {
        const sg__field_def *idf = sg__layer_id_field(im->def);
        add_reject(im, fno, id, idf ? idf->name : NULL,
                   "duplicate %s '%s' (already in the store or earlier in "
                   "this file)",
                   idf ? idf->name : "id", id ? id : "");
        return SG_ERR_INPUT;
    }
    if (why == SG_REFUSED_CONSTRAINT) {
        add_reject(im, fno, id, NULL, "rejected by the store: %s", msg);
        return SG_ERR_INPUT;
    }
    return st;
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

/* Geometry of feature \p f as store WKB (working CRS, layer type), or
 * NULL after adding a reject. Multi-part lines come back as several
 * parts in \p parts (caller frees each with GEOSFree_r). */
static int feature_geometry(importer *im, OGRFeatureH f, long long fno,
                            const char *id, unsigned char **parts,
                            size_t *sizes, int maxparts)
{
    OGRGeometryH g = NULL;
    int nparts = 0;
    if (im->use_geom) {
        OGRGeometryH src = OGR_F_GetGeometryRef(f);
        if (!src || OGR_G_IsEmpty(src)) {
            add_reject(im, fno, id, "geometry", "empty geometry");
            return 0;
        }
        g = OGR_G_HasCurveGeometry(src, 0) ? OGR_G_GetLinearGeometry(src, 0, NULL)
                                           : OGR_G_Clone(src);
    } else {
        double x, y;
        char bad[128];
        if (!OGR_F_IsFieldSetAndNotNull(f, im->x_idx) ||
            !OGR_F_IsFieldSetAndNotNull(f, im->y_idx)) {
            add_reject(im, fno, id, "geometry", "no coordinates");
            return 0;
        }
        int badcol = !field_number(f, im->x_idx, &x, bad, sizeof bad)
                         ? im->x_idx
                     : !field_number(f, im->y_idx, &y, bad, sizeof bad)
                         ? im->y_idx
                         : -1;
        if (badcol >= 0) {
            add_reject(im, fno, id,
                       OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(im->fdefn, badcol)),
                       "coordinate '%s' is not a number", bad);
            return 0;
        }
        g = OGR_G_CreateGeometry(wkbPoint);
        OGR_G_SetPoint_2D(g, 0, x, y);
    }
    if (!g) {
        add_reject(im, fno, id, "geometry", "unreadable geometry");
        return 0;
    }
    OGR_G_FlattenTo2D(g);
    double nv = count_vertices(g);
    if (nv > im->max_vertices) {
        add_reject(im, fno, id, "geometry",
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
        im->plon[im->nprobe] = (env.MinX + env.MaxX) / 2;
        im->plat[im->nprobe] = (env.MinY + env.MaxY) / 2;
        im->nprobe++;
    }
    if (im->offset)
        unoffset_geom(im, g);
    if (OGR_G_Transform(g, im->ct) != OGRERR_NONE) {
        add_reject(im, fno, id, "geometry",
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
            add_reject(im, fno, id, "geometry", "cannot encode geometry");
            continue;
        }
        char why[512];
        unsigned char *out = NULL;
        size_t out_size = 0;
        sg__geom_outcome oc = sg__geom_prepare(im->ctx, wkb, sz,
                                               im->def->geom_type, &out,
                                               &out_size, why, sizeof why);
        free(wkb);
        if (oc == SG_GEOM_OK || oc == SG_GEOM_REPAIRED) {
            if (oc == SG_GEOM_REPAIRED)
                im->res->repaired++;
            parts[nparts] = out;
            sizes[nparts] = out_size;
            nparts++;
        } else {
            add_reject(im, fno, id, "geometry", "%s", why);
        }
    }
    if (split && n > maxparts)
        add_reject(im, fno, id, "geometry",
                   "%d parts; only the first %d were kept", n, maxparts);
    OGR_G_DestroyGeometry(g);
    return nparts;
}

/* Import one source feature (one or more rows). \return SG_OK or a fatal
 * status (row-level problems become rejects). */
static sg_status import_feature(importer *im, OGRFeatureH f, long long fno)
{
    const sg__layer_def *def = im->def;
    const sg__field_def *idf = sg__layer_id_field(def);
    size_t id_i = idf ? (size_t)(idf - def->fields) : 0;
    char *id = idf ? field_text(im, f, im->col[id_i]) : NULL;
    char gen_id[32];
    if (idf && !id && im->col[id_i] < 0) {
        /* no id column: the feature's number in the source is its id */
        snprintf(gen_id, sizeof gen_id, "%lld", fno);
        id = CPLStrdup(gen_id);
    }
    enum { MAXPARTS = 256 };
    unsigned char *parts[MAXPARTS];
    size_t sizes[MAXPARTS];
    int nparts = 1;
    sg_status st = SG_OK;
    if (def->geom_type) {
        nparts = feature_geometry(im, f, fno, id, parts, sizes, MAXPARTS);
        if (nparts == 0) {
            CPLFree(id);
            return SG_OK;
        }
    }
    for (int k = 0; k < nparts && st == SG_OK; k++) {
        char part_id[512];
        const char *row_id = id;
        if (nparts > 1 && id) {
            snprintf(part_id, sizeof part_id, "%s#%d", id, k + 1);
            row_id = part_id;
        }
        int ok = 1;
        sg__insert_clear(im->ins);
        for (size_t i = 0; i < def->nfields && ok; i++)
            ok = bind_field(im, f, i, (int)i + 1, fno, id,
                            i == id_i && idf ? row_id : NULL);
        if (!ok)
            break; /* one reject per feature is enough */
        if (def->geom_type)
            sg__insert_blob(im->ins, (int)def->nfields + 1, parts[k], sizes[k]);
        st = insert_row(im, fno, row_id);
        if (st == SG_ERR_INPUT)
            st = SG_OK;
    }
    if (def->geom_type)
        for (int k = 0; k < nparts; k++)
            GEOSFree_r(im->ctx->geos, parts[k]);
    CPLFree(id);
    return st;
}

/* ---- rejects and the run record ---------------------------------------- */

/* Write \p s as one CSV cell. */
static void csv_cell(FILE *f, const char *s)
{
    if (!s)
        return;
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

/* Write the rejects CSV (feature, id, field, reason). */
static sg_status write_rejects_file(importer *im)
{
    char *path = im->opts->rejects
                     ? sg__strdup(im->ctx, im->opts->rejects)
                     : sg__aprintf("%s.%s.rejects.csv",
                                   sg_store_path(im->store), im->def->name);
    if (!path)
        return sg__error(im->ctx, SG_ERR_NOMEM, "out of memory");
    /* written to a temporary file and renamed over \p path when complete;
     * never over the store (checked before the import began too) */
    sg__outfile of;
    FILE *f = NULL;
    if (sg__outfile_begin(im->ctx, im->store, path, 1, NULL, &of) == SG_OK &&
        !(f = sg__outfile_fopen(im->ctx, &of)))
        sg__outfile_abort(&of, NULL);
    if (!f) {
        sg__log(im->ctx, SG_LOG_WARN, "cannot write rejects to %s: %s", path,
                sg_ctx_errmsg(im->ctx));
        free(path);
        return SG_OK;
    }
    fputs("feature,id,field,reason\n", f);
    for (size_t i = 0; i < im->nrejects; i++) {
        const reject *r = &im->rejects[i];
        fprintf(f, "%lld,", r->feature);
        csv_cell(f, r->id);
        fputc(',', f);
        csv_cell(f, r->field);
        fputc(',', f);
        csv_cell(f, r->reason);
        fputc('\n', f);
    }
    if (sg__outfile_commit(im->ctx, &of, NULL) != SG_OK) {
        sg__log(im->ctx, SG_LOG_WARN, "cannot write rejects to %s: %s", path,
                sg_ctx_errmsg(im->ctx));
        free(path);
        return SG_OK;
    }
    im->res->rejects_path = path;
    return SG_OK;
}

/* Write the rejects file, leaving the context's error as it was. */
static sg_status write_rejects(importer *im)
{
    /* a failure here is a warning: keep the import's own error */
    sg_status keep = sg_ctx_status(im->ctx);
    char msg[SG_ERRMSG_SIZE];
    snprintf(msg, sizeof msg, "%s", sg_ctx_errmsg(im->ctx));
    write_rejects_file(im);
    if (keep)
        sg__error(im->ctx, keep, "%s", msg);
    else
        sg_ctx_clear_error(im->ctx);
    return SG_OK;
}

/* Keep the first reasons in the result for the caller to show. */
static void keep_samples(importer *im)
{
    size_t n = im->nrejects < 10 ? im->nrejects : 10;
    im->res->samples = calloc(n ? n : 1, sizeof(char *));
    if (!im->res->samples)
        return;
    for (size_t i = 0; i < n; i++) {
        const reject *r = &im->rejects[i];
        im->res->samples[i] =
            sg__aprintf("feature %lld%s%s%s: %s", r->feature,
                        r->id ? " (id " : "", r->id ? r->id : "",
                        r->id ? ")" : "", r->reason);
    }
    im->res->nsamples = n;
}

static sg_status record_run(importer *im, double seconds)
{
    sg_json j;
    sg_json_begin(&j, NULL);
    sg_json_object(&j, NULL);
    sg_json_str(&j, "layer", im->def->name);
    sg_json_str(&j, "source", im->source ? im->source : "");
    sg_json_str(&j, "mode", im->opts->replace ? "replace" : "append");
    sg_json_str(&j, "src_crs", im->res->src_crs ? im->res->src_crs : "");
    sg_json_end_object(&j);
    char *params = sg_json_finish_string(&j);
    sg_json_begin(&j, NULL);
    sg_json_object(&j, NULL);
    sg_json_int(&j, "read", im->res->read);
    sg_json_int(&j, "imported", im->res->imported);
    sg_json_int(&j, "repaired", im->res->repaired);
    sg_json_int(&j, "rejected", im->res->rejected);
    sg_json_end_object(&j);
    char *counts = sg_json_finish_string(&j);
    sg_status st = params && counts
                       ? sg__store_record_run(im->ctx, im->store, "import",
                                              params, counts, seconds)
                       : sg__error(im->ctx, SG_ERR_NOMEM, "out of memory");
    sg_free(params);
    sg_free(counts);
    return st;
}

/* ---- GCJ-02 / BD-09 coordinates taken as WGS 84 ----------------------- */

/* Keep the first points' positions when they might be GCJ-02 or BD-09
 * read as WGS 84: points or households, longitude/latitude, and no
 * --src-crs (the user said nothing of their origin). */
static sg_status start_probe(importer *im)
{
    const char *l = im->def->name;
    im->probe = (!strcmp(l, "points") || !strcmp(l, "households")) &&
                !im->opts->src_crs && !im->offset && im->geographic;
    if (!im->probe)
        return SG_OK;
    im->plon = malloc(SG_OFFSET_CHECK_SAMPLE * sizeof *im->plon);
    im->plat = malloc(SG_OFFSET_CHECK_SAMPLE * sizeof *im->plat);
    if (!im->plon || !im->plat)
        return sg__error(im->ctx, SG_ERR_NOMEM, "out of memory");
    return SG_OK;
}

/* Compare the points with the store's roads (offset_check.c). A check
 * that cannot be made is no reason to refuse the import. */
static sg_status check_offset(importer *im)
{
    if (!im->probe)
        return SG_OK;
    sg_status st = sg__offset_check(im->ctx, im->store, im->ct, im->plon,
                                    im->plat, im->nprobe, im->gcj_iters,
                                    &im->res->offset);
    if (st == SG_ERR_NOMEM)
        return st;
    if (st) {
        memset(&im->res->offset, 0, sizeof im->res->offset);
        sg_ctx_clear_error(im->ctx);
        return SG_OK;
    }
    if (im->res->offset.suspect) {
        long long rows = sg__store_count(im->ctx, im->store, im->def->name);
        if (rows < 0)
            sg_ctx_clear_error(im->ctx);
        im->res->offset.layer_only_these = rows == im->res->imported;
    }
    return SG_OK;
}

/* ---- the import --------------------------------------------------------- */

static sg_status run_import(importer *im)
{
    sg_ctx *ctx = im->ctx;
    sg_status st;
    if ((st = open_source(im)) || (st = pick_layer(im)) ||
        (st = map_fields(im)) || (st = apply_sets(im)))
        return st;
    int has_geom_field = OGR_FD_GetGeomFieldCount(im->fdefn) > 0;
    if (im->def->geom_type) {
        im->use_geom = has_geom_field && !im->opts->x_col;
        if (!im->use_geom && (st = find_xy(im)))
            return st;
        OGRwkbGeometryType lt = wkbFlatten(OGR_L_GetGeomType(im->lyr));
        int lineal = lt == wkbLineString || lt == wkbMultiLineString;
        int puntal = lt == wkbPoint || lt == wkbMultiPoint;
        const char *want = im->def->geom_type;
        if (im->use_geom &&
            ((!strcmp(want, "POINT") && lineal) ||
             (!strcmp(want, "MULTIPOLYGON") && (lineal || puntal)) ||
             (!strcmp(want, "LINESTRING") && puntal)))
            return sg__error(ctx, SG_ERR_INPUT,
                             "%s: layer '%s' holds %s geometries, but the "
                             "%s layer needs %s; nothing was imported",
                             im->source, OGR_L_GetName(im->lyr),
                             OGRGeometryTypeToName(lt), im->def->name,
                             !strcmp(want, "POINT")
                                 ? sg__gettext("points or polygons")
                             : !strcmp(want, "LINESTRING") ? sg__gettext("lines")
                                                           : sg__gettext("polygons"));
        if ((st = source_crs(im)))
            return st;
    }
    long long total = OGR_L_GetFeatureCount(im->lyr, 1);
    if (total == 0)
        return sg__error(ctx, SG_ERR_INPUT,
                         "%s: layer '%s' is empty; nothing was imported",
                         im->source, OGR_L_GetName(im->lyr));
    if ((st = check_essentials(im)))
        return st;
    note_unused(im);
    if ((st = sg__store_begin(ctx, im->store)))
        return st;
    if (im->def->geom_type && !sg_store_srid(im->store) &&
        (st = choose_srid(im)))
        return st;
    if (im->def->geom_type && (st = target_crs(im)))
        return st;
    im->res->srid = sg_store_srid(im->store);
    if (im->opts->replace &&
        (st = sg__store_clear_layer(ctx, im->store, im->def->name)))
        return st;
    if (strcmp(im->def->name, "inspections") == 0 &&
        (st = sg__unit_resolver_new(ctx, im->store, &im->units)))
        return st;
    const char *cols[16];
    for (size_t i = 0; i < im->def->nfields; i++)
        cols[i] = im->def->fields[i].name;
    if ((st = sg__store_prepare_insert(ctx, im->store, im->def->name, cols,
                                       im->def->nfields, &im->ins)))
        return st;
    if ((st = start_probe(im)))
        return st;
    OGRFeatureH f;
    OGR_L_ResetReading(im->lyr);
    while ((f = OGR_L_GetNextFeature(im->lyr)) != NULL) {
        long long fno = ++im->res->read;
        st = import_feature(im, f, fno);
        OGR_F_Destroy(f);
        if (st)
            return st;
        if ((fno & 1023) == 0 && total > 0 &&
            (st = sg__progress(ctx, (double)fno / (double)total,
                               im->def->name)))
            return st;
    }
    if (im->gerr.failures && im->res->read < total)
        return sg__error(ctx, SG_ERR_IO_FORMAT,
                         "%s: reading stopped after feature %lld of %lld: "
                         "%s; nothing was imported",
                         im->source, im->res->read, total, im->gerr.last);
    if (im->res->read == 0)
        return sg__error(ctx, SG_ERR_INPUT,
                         "%s: layer '%s' is empty; nothing was imported",
                         im->source, OGR_L_GetName(im->lyr));
    if ((st = check_offset(im)))
        return st;
    return sg__progress(ctx, 1.0, im->def->name);
}

sg_status sg_import(sg_ctx *ctx, sg_store *store, const char *layer,
                    const char *source, const sg_import_options *opts,
                    sg_import_result **result)
{
    if (result)
        *result = NULL;
    static const sg_import_options defaults;
    importer im;
    memset(&im, 0, sizeof im);
    im.ctx = ctx;
    im.store = store;
    im.opts = opts ? opts : &defaults;
    im.source = source;
    im.def = sg__layer_def_find(layer);
    im.gcj_iters = 3;
    if (!im.def)
        return sg__error(ctx, SG_ERR_USAGE,
                         "unknown layer '%s' (divisions, grids, roads, "
                         "points, households, cleaners, inspections)",
                         layer ? layer : "");
    sg_status st = sg__store_check_writable(ctx, store);
    if (st == SG_OK && im.opts->rejects)
        st = sg_store_check_output_path(ctx, store, im.opts->rejects);
    if (st)
        return st;
    im.res = calloc(1, sizeof *im.res);
    if (!im.res)
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    im.res->layer = sg__strdup(ctx, layer);
    double iters;
    if (sg_setting_get_double(ctx, store, "crs.gcj_inverse_iterations",
                              &iters) == SG_OK && iters >= 1 && iters <= 20)
        im.gcj_iters = (int)iters;
    sg_ctx_clear_error(ctx);
    /* plausibility limits (data/sql/0002_limits.sql); a store without
     * them keeps the defaults */
    im.max_pop = 1000;
    im.max_vertices = 200000;
    double lim;
    if (sg_setting_get_double(ctx, store, "limits.household_population",
                              &lim) == SG_OK && lim > 0)
        im.max_pop = lim;
    if (sg_setting_get_double(ctx, store, "limits.polygon_vertices", &lim) ==
            SG_OK &&
        lim > 0)
        im.max_vertices = lim;
    sg_ctx_clear_error(ctx);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    sg__gdal_push(&im.gerr, ctx);
    st = run_import(&im);
    if (st == SG_OK && im.res->imported == 0)
        st = sg__error(ctx, SG_ERR_INPUT,
                       "%s: all %lld features were rejected; nothing was "
                       "imported",
                       source, im.res->read);
    sg__insert_free(im.ins);
    im.ins = NULL;
    sg__unit_resolver_free(im.units);
    im.units = NULL;
    if (st == SG_OK) {
        clock_gettime(CLOCK_MONOTONIC, &t1);
        double secs = (double)(t1.tv_sec - t0.tv_sec) +
                      (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
        st = record_run(&im, secs);
        if (st == SG_OK)
            st = sg__store_commit(ctx, store);
    }
    if (st) {
        sg__store_rollback(store);
        /* the store is unchanged: so is its CRS */
        sg_status keep = st;
        char msg[SG_ERRMSG_SIZE];
        snprintf(msg, sizeof msg, "%s", sg_ctx_errmsg(ctx));
        sg__store_reload_meta(ctx, store);
        sg__error(ctx, keep, "%s", msg);
        im.res->imported = 0;
        im.res->srid_chosen = 0;
    }
    if (im.nrejects) {
        write_rejects(&im);
        keep_samples(&im);
    }
    im.res->encoding = im.text_enc ? sg__strdup(ctx, im.text_enc) : NULL;
    sg__gdal_pop(&im.gerr);
    for (size_t i = 0; i < im.nrejects; i++) {
        free(im.rejects[i].id);
        free(im.rejects[i].field);
        free(im.rejects[i].reason);
    }
    free(im.rejects);
    if (im.ct)
        OCTDestroyCoordinateTransformation(im.ct);
    if (im.ct_ll)
        OCTDestroyCoordinateTransformation(im.ct_ll);
    OSRDestroySpatialReference(im.src_srs);
    OSRDestroySpatialReference(im.dst_srs);
    OSRDestroySpatialReference(im.ll_srs);
    if (im.desc_ds)
        GDALClose(im.desc_ds);
    free(im.plon);
    free(im.plat);
    if (im.ds)
        GDALClose(im.ds);
    if (im.memfile)
        VSIUnlink(im.memfile);
    free(im.memfile);
    free(im.membuf);
    restore_config(&im);
    if (result && (st == SG_OK || st == SG_ERR_INPUT))
        *result = im.res;
    else
        sg_import_result_free(im.res);
    return st;
}
