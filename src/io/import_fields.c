/* Import, columns and values: source columns mapped to the layer's fields
 * (--map, aliases), coordinate columns, --set, the fields an analysis
 * cannot do without, unused columns, and each value checked and bound
 * (see import_int.h).
 * Not for: geometries (import_geom.c).
 * SPDX-License-Identifier: MIT */
#include "io/import_int.h"

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
sg_status sg__imp_map_fields(importer *im)
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
            if (strcasecmp(
                    OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(im->fdefn, j)), c) ==
                0)
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
sg_status sg__imp_find_xy(importer *im)
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
            return sg__error(im->ctx, SG_ERR_USAGE, "give both --x and --y");
        im->x_idx = find_column(im->fdefn, im->opts->x_col);
        im->y_idx = find_column(im->fdefn, im->opts->y_col);
        if (im->x_idx < 0 || im->y_idx < 0) {
            char cols[1024];
            column_list(im->fdefn, cols, sizeof cols);
            return sg__error(
                im->ctx, SG_ERR_USAGE,
                "%s has no column '%s'; its columns are: %s", im->source,
                im->x_idx < 0 ? im->opts->x_col : im->opts->y_col, cols);
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
sg_status sg__imp_apply_sets(importer *im)
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
sg_status sg__imp_check_essentials(importer *im)
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
        while (
            nextcol < ncols &&
            (used[nextcol] || (!im->use_geom && im->def->geom_type &&
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
                     fd->name, (int)vl, fd->values ? fd->values : "VALUE");
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

/* LIBKML's own columns of every placemark and the value each has when
 * the placemark does not set it (NULL: empty). */
static const struct {
    const char *name, *unset;
} kml_builtin[] = {{"timestamp", NULL},  {"begin", NULL},
                   {"end", NULL},        {"altitudeMode", NULL},
                   {"tessellate", "-1"}, {"extrude", "0"},
                   {"visibility", "-1"}, {"drawOrder", NULL},
                   {"icon", NULL},       {"snippet", NULL}};

/* Mark as used (\p used) the LIBKML columns of a KML source that no
 * placemark sets: they are the driver's, not the office's, and listing
 * them on every KML import buries the columns that do hold something
 * (宽度 among ten empty ones). One extra pass over the layer; KML files
 * are small. */
static void kml_unset_builtins(importer *im, char *used, int n)
{
    int idx[sizeof kml_builtin / sizeof *kml_builtin];
    int set[sizeof kml_builtin / sizeof *kml_builtin] = {0};
    size_t nb = sizeof kml_builtin / sizeof *kml_builtin, left = 0;
    if (!im->kml)
        return;
    for (size_t k = 0; k < nb; k++) {
        idx[k] = OGR_FD_GetFieldIndex(im->fdefn, kml_builtin[k].name);
        if (idx[k] >= 0 && idx[k] < n && !used[idx[k]])
            left++;
        else
            idx[k] = -1;
    }
    OGRFeatureH f;
    OGR_L_ResetReading(im->lyr);
    while (left && (f = OGR_L_GetNextFeature(im->lyr))) {
        for (size_t k = 0; k < nb; k++) {
            if (idx[k] < 0 || set[k] || !OGR_F_IsFieldSetAndNotNull(f, idx[k]))
                continue;
            const char *v = OGR_F_GetFieldAsString(f, idx[k]);
            if (*v &&
                !(kml_builtin[k].unset && !strcmp(v, kml_builtin[k].unset))) {
                set[k] = 1;
                left--;
            }
        }
        OGR_F_Destroy(f);
    }
    OGR_L_ResetReading(im->lyr);
    for (size_t k = 0; k < nb; k++)
        if (idx[k] >= 0 && !set[k])
            used[idx[k]] = 1;
}

/* Source columns that feed no field and are no coordinates: listed on
 * every import so that nothing is dropped without a word (a KML's empty
 * LIBKML columns aside). */
void sg__imp_note_unused(importer *im)
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
    kml_unset_builtins(im, used, n);
    for (int j = 0; j < n; j++)
        if (!used[j])
            im->res->unused[im->res->nunused++] =
                strdup(OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(im->fdefn, j)));
    free(used);
}

/* Numeric value of column \p idx of \p f: numeric fields directly, text
 * parsed in the C locale. The text is copied to \p text (for messages)
 * because OGR reuses one buffer for GetFieldAsString. \return 1 if it is a
 * finite number. */
int sg__imp_field_number(OGRFeatureH f, int idx, double *out, char *text,
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

/* ---- values ------------------------------------------------------------ */

/* Text of column \p idx of \p f as UTF-8, trimmed; NULL if unset or
 * blank. Caller owns; CPLFree(). */
char *sg__imp_field_text(importer *im, OGRFeatureH f, int idx)
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
int sg__imp_bind_field(importer *im, OGRFeatureH f, size_t i, int param,
                       long long fno, const char *id, const char *id_override)
{
    const sg__field_def *fd = &im->def->fields[i];
    char *v = id_override     ? CPLStrdup(id_override)
              : im->setval[i] ? CPLStrdup(im->setval[i])
                              : sg__imp_field_text(im, f, im->col[i]);
    int ok = 1;
    if (!v) {
        if (fd->flags & SG_F_REQUIRED) {
            sg__imp_add_reject(im, fno, id, fd->name, "no %s", fd->name);
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
        sg__imp_add_reject(
            im, fno, id, fd->name,
            "%s is not valid UTF-8 (byte 0x%02X at byte %zu) in %s; "
            "save the file as UTF-8 or give --encoding",
            fd->name, (unsigned)(unsigned char)v[bad - 1], bad, im->source);
        CPLFree(v);
        return 0;
    }
    const char *val = v;
    char date[11];
    if (fd->values) {
        val = sg__enum_normalise(fd, v);
        if (!val) {
            sg__imp_add_reject(im, fno, id, fd->name,
                               "%s '%s' is not one of %s", fd->name, v,
                               fd->values);
            CPLFree(v);
            return 0;
        }
    }
    if (strcmp(fd->name, "date") == 0) {
        if (!sg__date_normalise(v, date)) {
            sg__imp_add_reject(im, fno, id, fd->name,
                               "date '%s' is not a date (use YYYY-MM-DD)", v);
            CPLFree(v);
            return 0;
        }
        val = date;
    }
    if (im->units && strcmp(fd->name, "unit_code") == 0) {
        char why[512];
        if (!(val = sg__unit_resolver_find(im->units, v, why, sizeof why))) {
            sg__imp_add_reject(im, fno, id, fd->name, "%s", why);
            CPLFree(v);
            return 0;
        }
    }
    if (fd->type == SG_FT_TEXT) {
        sg__insert_text(im->ins, param, val);
    } else {
        double d;
        if (!sg__parse_double(val, &d)) {
            sg__imp_add_reject(im, fno, id, fd->name, "%s '%s' is not a number",
                               fd->name, v);
            ok = 0;
        } else if (fd->type == SG_FT_INT) {
            if (d != floor(d) || fabs(d) > 9e15) {
                sg__imp_add_reject(im, fno, id, fd->name,
                                   "%s '%s' is not a whole number", fd->name,
                                   v);
                ok = 0;
            } else if (d < 0 && strstr(fd->name, "population")) {
                sg__imp_add_reject(im, fno, id, fd->name, "%s '%s' is negative",
                                   fd->name, v);
                ok = 0;
            } else if (d > im->max_pop && strstr(fd->name, "population")) {
                sg__imp_add_reject(im, fno, id, fd->name,
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
