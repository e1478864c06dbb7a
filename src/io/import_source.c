/* Import, opening the source: GDAL open options, the text encoding of
 * Shapefile and CSV sources (recoded CSV through /vsimem/), KML folders
 * as one layer, the layer to read (see import_int.h).
 * Not for: reading features (import.c).
 * SPDX-License-Identifier: MIT */
#include "io/import_int.h"

/* Set a thread-local GDAL config option for the rest of the import,
 * remembering the old value for sg__imp_restore_config(). */
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
void sg__imp_restore_config(importer *im)
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
static sg_status slurp(importer *im, const char *path, char **buf, size_t *n)
{
    FILE *f = fopen(path, "rb");
    *buf = NULL;
    *n = 0;
    if (!f)
        return sg__error(im->ctx, SG_ERR_IO_OPEN, "%s: cannot be read", path);
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
                           im->source, (unsigned)(unsigned char)buf[bad], bad);
    }
    if (st == SG_OK && is_utf8_name(enc)) {
        im->text_enc = "UTF-8";
        free(buf);
        return SG_OK;
    }
    char *out = NULL;
    size_t out_n = 0;
    if (st == SG_OK)
        st = sg__recode_to_utf8(im->ctx, im->source, enc, buf, n, &out, &out_n);
    free(buf);
    if (st)
        return st;
    const char *base = strrchr(im->source, '/');
    base = base ? base + 1 : im->source;
    im->memfile =
        sg__aprintf("/vsimem/sanigrid_import_%p/%s", (void *)im, base);
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
sg_status sg__imp_open_source(importer *im)
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
                                 "%s: a symbolic link to a missing file", src);
            if (e == ENOENT)
                return sg__error(ctx, SG_ERR_IO_OPEN, "%s: no such file", src);
            return sg__error(ctx, SG_ERR_IO_OPEN, "%s: %s", src, strerror(e));
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
    size_t size =
        4096 + (size_t)n * 2 * (strlen(GDALGetDescription(im->ds)) + 1024);
    char *x = malloc(size);
    if (!x)
        return sg__error(im->ctx, SG_ERR_NOMEM, "out of memory");
    snprintf(x, size,
             "<OGRVRTDataSource><OGRVRTUnionLayer name=\"kml\">"
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
    GDALDatasetH u =
        GDALOpenEx(x, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
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
sg_status sg__imp_pick_layer(importer *im)
{
    int n = GDALDatasetGetLayerCount(im->ds);
    int kml = im->kml = is_kml(im->ds);
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
