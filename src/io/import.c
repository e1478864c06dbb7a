/* Import: read any source OGR opens (GeoJSON, Shapefile, GPKG, KML/KMZ,
 * CSV/XLSX with coordinate columns), map its columns to a store layer's
 * fields, transform to the working CRS (PROJ; GCJ-02/BD-09 by our own
 * inverse), repair geometries (GEOS), and write everything in one
 * transaction. Rejected features are reported, never silently dropped.
 * This file: options, results, rejects, the run and its record; the
 * other steps are in import_source.c, import_fields.c and import_geom.c
 * (import_int.h).
 * Not for: exports (export.c) or SQL (src/store).
 * SPDX-License-Identifier: MIT */
#include "geom/geos_int.h"
#include "io/import_int.h"

/* The defaults (append, CRS from the file, rejects beside the store),
 * shared by sg_import_options_new() and sg_import(NULL): all zero, owning
 * nothing. */
static void import_defaults(sg_import_options *o)
{
    memset(o, 0, sizeof *o);
}

sg_import_options *sg_import_options_new(void)
{
    sg_import_options *o = malloc(sizeof *o);
    if (o)
        import_defaults(o);
    return o;
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

sg_status sg_import_options_set_source_layer(sg_ctx *ctx, sg_import_options *o,
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

sg_status sg_import_options_set_replace(sg_ctx *ctx, sg_import_options *o,
                                        int replace)
{
    if (replace != 0 && replace != 1)
        return sg__error(ctx, SG_ERR_USAGE,
                         "replace must be 0 (append) or 1 (replace), not %d",
                         replace);
    o->replace = replace;
    return SG_OK;
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

void sg__imp_add_reject(importer *im, long long feature, const char *id,
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

/* The fields of \p def that a broken constraint names, into \p out
 * (comma-separated, "" when none): the store's constraint names are
 * made of its field names ("deduction_not_negative",
 * "score_or_deduction"), and both backends say "...failed: <name>". */
static void constraint_fields(const sg__layer_def *def, const char *msg,
                              char *out, size_t size)
{
    out[0] = '\0';
    const char *name = strstr(msg, "failed: ");
    if (!name)
        return;
    name += 8;
    size_t len = 0;
    for (size_t i = 0; i < def->nfields; i++) {
        const char *f = def->fields[i].name;
        size_t n = strlen(f);
        for (const char *at = strstr(name, f); at; at = strstr(at + 1, f)) {
            int start = at == name || at[-1] == '_';
            int end = at[n] == '\0' || at[n] == '_' || at[n] == ' ';
            if (start && end) {
                int k =
                    snprintf(out + len, size - len, "%s%s", len ? "," : "", f);
                if (k > 0 && (size_t)k < size - len)
                    len += (size_t)k;
                break;
            }
        }
    }
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
        sg__imp_add_reject(
            im, fno, id, idf ? idf->name : NULL,
            "duplicate %s '%s' (already in the store or earlier in "
            "this file)",
            idf ? idf->name : "id", id ? id : "");
        return SG_ERR_INPUT;
    }
    if (why == SG_REFUSED_CONSTRAINT) {
        char fields[256];
        constraint_fields(im->def, msg, fields, sizeof fields);
        sg__imp_add_reject(im, fno, id, fields[0] ? fields : NULL,
                           "rejected by the store: %s", msg);
        return SG_ERR_INPUT;
    }
    return st;
}

/* Import one source feature (one or more rows). \return SG_OK or a fatal
 * status (row-level problems become rejects). */
static sg_status import_feature(importer *im, OGRFeatureH f, long long fno)
{
    const sg__layer_def *def = im->def;
    const sg__field_def *idf = sg__layer_id_field(def);
    size_t id_i = idf ? (size_t)(idf - def->fields) : 0;
    char *id = idf ? sg__imp_field_text(im, f, im->col[id_i]) : NULL;
    char gen_id[32];
    if (idf && !id && im->col[id_i] < 0) {
        /* no id column: the feature's number in the source is its id */
        snprintf(gen_id, sizeof gen_id, "%lld", fno);
        id = CPLStrdup(gen_id);
    }
    enum { MAXPARTS = 256 };
    unsigned char *parts[MAXPARTS];
    size_t sizes[MAXPARTS];
    double pt[2] = {0, 0};
    int nparts = 1;
    sg_status st = SG_OK;
    if (def->geom_type) {
        nparts = sg__imp_feature_geometry(im, f, fno, id, parts, sizes,
                                          MAXPARTS, pt);
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
            ok = sg__imp_bind_field(im, f, i, (int)i + 1, fno, id,
                                    i == id_i && idf ? row_id : NULL);
        if (!ok)
            break; /* one reject per feature is enough */
        if (im->native_point)
            sg__insert_point(im->store, im->ins, (int)def->nfields + 1, pt[0],
                             pt[1]);
        else if (def->geom_type)
            sg__insert_blob(im->ins, (int)def->nfields + 1, parts[k], sizes[k]);
        st = insert_row(im, fno, row_id);
        if (st == SG_ERR_INPUT)
            st = SG_OK;
    }
    if (def->geom_type && !im->native_point)
        for (int k = 0; k < nparts; k++)
            GEOSFree_r(im->ctx->geom, parts[k]);
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
    /* beside a store file; in the current folder for a PostgreSQL store */
    char *path = im->opts->rejects ? sg__strdup(im->ctx, im->opts->rejects)
                 : sg__store_is_file(im->store)
                     ? sg__aprintf("%s.%s.rejects.csv",
                                   sg_store_path(im->store), im->def->name)
                     : sg__aprintf("%s.rejects.csv", im->def->name);
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
        im->res->samples[i] = sg__aprintf(
            "feature %lld%s%s%s: %s", r->feature, r->id ? " (id " : "",
            r->id ? r->id : "", r->id ? ")" : "", r->reason);
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
    /* the mapping used, for `sanigrid show` (store field: source column;
     * constants of --set apart) */
    sg_json_object(&j, "mapping");
    for (size_t i = 0; i < im->res->nmap; i++)
        if (im->res->map[i].automatic != 2)
            sg_json_str(&j, im->res->map[i].field, im->res->map[i].column);
    sg_json_end_object(&j);
    sg_json_object(&j, "set");
    for (size_t i = 0; i < im->res->nmap; i++)
        if (im->res->map[i].automatic == 2)
            sg_json_str(&j, im->res->map[i].field, im->res->map[i].column);
    sg_json_end_object(&j);
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
    sg_status st =
        sg__offset_check(im->ctx, im->store, im->ct, im->plon, im->plat,
                         im->nprobe, im->gcj_iters, &im->res->offset);
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

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* CPU time of the process (all threads) in seconds. */
static double cpu_s(void)
{
    struct timespec t;
    if (clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t) != 0)
        return 0;
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Log how long a step took, wall and CPU (debug level, shown by -v), and
 * restart the clocks. The CPU time is the figure to compare on a loaded
 * machine, where the wall time mostly says how busy the others were. */
static void step_done(importer *im, const char *step)
{
    double t = now_s(), c = cpu_s();
    sg__log(im->ctx, SG_LOG_DEBUG, "import: %s %.3f s (CPU %.3f s)", step,
            t - im->t_step, c - im->c_step);
    im->t_step = t;
    im->c_step = c;
}

static sg_status run_import(importer *im)
{
    sg_ctx *ctx = im->ctx;
    sg_status st;
    if ((st = sg__imp_open_source(im)) || (st = sg__imp_pick_layer(im)) ||
        (st = sg__imp_map_fields(im)) || (st = sg__imp_apply_sets(im)))
        return st;
    int has_geom_field = OGR_FD_GetGeomFieldCount(im->fdefn) > 0;
    if (im->def->geom_type) {
        im->use_geom = has_geom_field && !im->opts->x_col;
        if (!im->use_geom && (st = sg__imp_find_xy(im)))
            return st;
        OGRwkbGeometryType lt = wkbFlatten(OGR_L_GetGeomType(im->lyr));
        int lineal = lt == wkbLineString || lt == wkbMultiLineString;
        int puntal = lt == wkbPoint || lt == wkbMultiPoint;
        const char *want = im->def->geom_type;
        if (im->use_geom &&
            ((!strcmp(want, "POINT") && lineal) ||
             (!strcmp(want, "MULTIPOLYGON") && (lineal || puntal)) ||
             (!strcmp(want, "LINESTRING") && puntal)))
            return sg__error(
                ctx, SG_ERR_INPUT,
                "%s: layer '%s' holds %s geometries, but the "
                "%s layer needs %s; nothing was imported",
                im->source, OGR_L_GetName(im->lyr), OGRGeometryTypeToName(lt),
                im->def->name,
                !strcmp(want, "POINT") ? sg__gettext("points or polygons")
                : !strcmp(want, "LINESTRING") ? sg__gettext("lines")
                                              : sg__gettext("polygons"));
        if ((st = sg__imp_source_crs(im)))
            return st;
    }
    long long total = OGR_L_GetFeatureCount(im->lyr, 1);
    if (total == 0)
        return sg__error(ctx, SG_ERR_INPUT,
                         "%s: layer '%s' is empty; nothing was imported",
                         im->source, OGR_L_GetName(im->lyr));
    if ((st = sg__imp_check_essentials(im)))
        return st;
    sg__imp_note_unused(im);
    if ((st = sg__store_begin(ctx, im->store)))
        return st;
    /* replacing drops rows the user cannot recompute: undo first
     * (sanigrid/snapshot.h) */
    if (im->opts->replace &&
        (st = sg__store_snapshot(ctx, im->store, "import")))
        return st;
    if (im->def->geom_type && !sg_store_srid(im->store) &&
        (st = sg__imp_choose_srid(im)))
        return st;
    if (im->def->geom_type && (st = sg__imp_target_crs(im)))
        return st;
    im->res->srid = sg_store_srid(im->store);
    if (im->opts->replace &&
        (st = sg__store_clear_layer(ctx, im->store, im->def->name)))
        return st;
    if (strcmp(im->def->name, "inspections") == 0 &&
        (st = sg__unit_resolver_new(ctx, im->store, &im->units)))
        return st;
    if ((st = sg__store_bulk_load_begin(ctx, im->store, im->def->name, total,
                                        &im->bulk)))
        return st;
    /* the store's CHECK constraints once after the rows, not per row: the
     * importer refuses what they forbid itself (sg__imp_bind_field: allowed
     * values, no negative population), except the inspections' rules
     * between score and deduction, which stay the store's per row */
    if (strcmp(im->def->name, "inspections") != 0 &&
        (st = sg__store_bulk_load_defer_checks(ctx, im->store, im->bulk)))
        return st;
    const char *cols[16];
    for (size_t i = 0; i < im->def->nfields; i++)
        cols[i] = im->def->fields[i].name;
    im->native_point =
        im->def->geom_type && strcmp(im->def->geom_type, "POINT") == 0;
    if ((st = (im->native_point ? sg__store_prepare_insert_native
                                : sg__store_prepare_insert)(
             ctx, im->store, im->def->name, cols, im->def->nfields, &im->ins)))
        return st;
    if ((st = start_probe(im)))
        return st;
    step_done(im, "open, check and prepare");
    OGRFeatureH f;
    OGR_L_ResetReading(im->lyr);
    while ((f = OGR_L_GetNextFeature(im->lyr)) != NULL) {
        long long fno = ++im->res->read;
        st = import_feature(im, f, fno);
        OGR_F_Destroy(f);
        if (st)
            return st;
        if ((fno & 1023) == 0 && total > 0 &&
            (st =
                 sg__progress(ctx, (double)fno / (double)total, im->def->name)))
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
    step_done(im, "read, check and insert the rows");
    if ((st = sg__store_bulk_load_end(ctx, im->store, im->bulk)))
        return st;
    step_done(im, "check geometries, fill the spatial index");
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
    sg_import_options defaults;
    import_defaults(&defaults);
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
                              &iters) == SG_OK &&
        iters >= 1 && iters <= 20)
        im.gcj_iters = (int)iters;
    sg_ctx_clear_error(ctx);
    /* plausibility limits (data/sql/0002_limits.sql); a store without
     * them keeps the defaults */
    im.max_pop = 1000;
    im.max_vertices = 200000;
    double lim;
    if (sg_setting_get_double(ctx, store, "limits.household_population",
                              &lim) == SG_OK &&
        lim > 0)
        im.max_pop = lim;
    if (sg_setting_get_double(ctx, store, "limits.polygon_vertices", &lim) ==
            SG_OK &&
        lim > 0)
        im.max_vertices = lim;
    sg_ctx_clear_error(ctx);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    im.t_step = now_s();
    im.c_step = cpu_s();
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
        if (st == SG_OK)
            step_done(&im, "commit");
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
    sg__store_bulk_load_free(store, im.bulk);
    im.bulk = NULL;
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
    sg__imp_restore_config(&im);
    if (result && (st == SG_OK || st == SG_ERR_INPUT))
        *result = im.res;
    else
        sg_import_result_free(im.res);
    return st;
}
