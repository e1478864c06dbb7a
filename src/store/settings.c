/* Settings: every number a tool uses, stored with its default and its
 * source (DOMAIN.md section 2), typed and checked on write.
 * Not for: per-run parameters (those go into `runs`).
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ctx_int.h"
#include "store/store_pg_int.h"
#include "store/store_sqlite_int.h"

const char *sg__shell_word(char *b, size_t size, const char *w)
{
    size_t n = 0;
    int plain = w && *w;
    for (const char *p = w; plain && *p; p++)
        plain = (unsigned char)*p >= 0x80 || strchr("._/-+=:,@%", *p) ||
                (*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') ||
                (*p >= 'A' && *p <= 'Z');
    if (!size)
        return b;
    if (plain || !w) {
        snprintf(b, size, "%s", w ? w : "");
        return b;
    }
    b[n++] = '\'';
    for (const char *p = w; *p && n + 6 < size; p++) {
        if (*p == '\'') {
            memcpy(b + n, "'\\''", 4);
            n += 4;
        } else {
            b[n++] = *p;
        }
    }
    if (n + 1 < size)
        b[n++] = '\'';
    b[n] = '\0';
    return b;
}

/* Column text or NULL. */
static const char *col(sqlite3_stmt *st, int i)
{
    return (const char *)sqlite3_column_text(st, i);
}

sg_status sg_settings_foreach(sg_ctx *ctx, sg_store *store, sg_setting_fn fn,
                              void *user)
{
    SG_PG_DISPATCH(store, sg__pg_settings_foreach(ctx, store, fn, user));
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(store->db,
                           "SELECT key, value, default_value, type, unit, "
                           "source, description FROM settings ORDER BY key",
                           -1, &st, NULL) != SQLITE_OK)
        return sg__store_sql_error(ctx, store, "reading settings");
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        sg_setting s = {col(st, 0), col(st, 1), col(st, 2), col(st, 3),
                        col(st, 4), col(st, 5), col(st, 6)};
        if (fn(&s, user))
            break;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return sg__store_sql_error(ctx, store, "reading settings");
    return SG_OK;
}

/* Look up value and type of \p key; both caller-owned (free()). */
static sg_status lookup(sg_ctx *ctx, sg_store *store, const char *key,
                        char **value, char **type, char **def)
{
    SG_PG_DISPATCH(store,
                   sg__pg_setting_lookup(ctx, store, key, value, type, def));
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(store->db,
                           "SELECT value, type, default_value FROM settings "
                           "WHERE key = ?",
                           -1, &st, NULL) != SQLITE_OK)
        return sg__store_sql_error(ctx, store, "reading settings");
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    sg_status rc = SG_OK;
    if (sqlite3_step(st) == SQLITE_ROW) {
        if (value)
            *value = sg__strdup(ctx, col(st, 0));
        if (type)
            *type = sg__strdup(ctx, col(st, 1));
        if (def)
            *def = sg__strdup(ctx, col(st, 2));
    } else {
        char name[1024];
        rc = sg__error(ctx, SG_ERR_NOT_FOUND,
                       "unknown setting '%s' (`sanigrid config %s list` "
                       "shows them all)",
                       key,
                       sg__shell_word(name, sizeof name, sg_store_path(store)));
    }
    sqlite3_finalize(st);
    return rc;
}

sg_status sg_setting_get(sg_ctx *ctx, sg_store *store, const char *key,
                         char **value)
{
    *value = NULL;
    return lookup(ctx, store, key, value, NULL, NULL);
}

sg_status sg_setting_get_double(sg_ctx *ctx, sg_store *store, const char *key,
                                double *value)
{
    char *v = NULL;
    sg_status st = lookup(ctx, store, key, &v, NULL, NULL);
    if (st)
        return st;
    if (!sg__parse_double(v, value))
        st = sg__error(ctx, SG_ERR_INPUT, "setting %s = '%s' is not a number",
                       key, v);
    free(v);
    return st;
}

/* Check \p value against the setting type text ("number", "positive",
 * "share", "integer" (>= 0), "text", "enum:a|b"). \return 1 if valid. */
static int value_fits(const char *type, const char *value)
{
    double d;
    if (strcmp(type, "number") == 0)
        return sg__parse_double(value, &d);
    if (strcmp(type, "positive") == 0)
        return sg__parse_double(value, &d) && d > 0;
    if (strcmp(type, "share") == 0)
        return sg__parse_double(value, &d) && d >= 0 && d <= 1;
    if (strcmp(type, "integer") == 0)
        return sg__parse_double(value, &d) && d == floor(d) && d >= 0 &&
               d < 1e15;
    if (strncmp(type, "enum:", 5) == 0) {
        const char *p = type + 5;
        size_t n = strlen(value);
        while (*p) {
            const char *bar = strchr(p, '|');
            size_t len = bar ? (size_t)(bar - p) : strlen(p);
            if (len == n && strncmp(p, value, n) == 0)
                return 1;
            if (!bar)
                break;
            p = bar + 1;
        }
        return 0;
    }
    return 1;
}

sg_status sg_setting_set(sg_ctx *ctx, sg_store *store, const char *key,
                         const char *value)
{
    char *type = NULL, *def = NULL, *trimmed = NULL;
    sqlite3_stmt *st = NULL;
    sg_status rc = sg__store_check_writable(ctx, store);
    if (rc == SG_OK)
        rc = lookup(ctx, store, key, NULL, &type, &def);
    if (rc)
        goto done;
    if (!value)
        value = def;
    /* store values without surrounding blanks */
    while (*value == ' ' || *value == '\t')
        value++;
    size_t vlen = strlen(value);
    while (vlen && (value[vlen - 1] == ' ' || value[vlen - 1] == '\t'))
        vlen--;
    trimmed = strndup(value, vlen);
    if (!trimmed) {
        rc = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
        goto done;
    }
    value = trimmed;
    if (!*value || !value_fits(type, value)) {
        rc = sg__error(ctx, SG_ERR_USAGE,
                       "setting %s takes %s values; '%s' is not one", key,
                       !strcmp(type, "positive")  ? "positive number"
                       : !strcmp(type, "share")   ? "share (0 to 1)"
                       : !strcmp(type, "integer") ? "whole number (>= 0)"
                                                  : type,
                       value);
        goto done;
    }
    if (SG_IS_PG(store)) {
        rc = sg__pg_setting_update(ctx, store, key, value);
        goto done;
    }
    if (sqlite3_prepare_v2(store->db,
                           "UPDATE settings SET value = ? WHERE key = ?", -1,
                           &st, NULL) != SQLITE_OK) {
        rc = sg__store_sql_error(ctx, store, "writing settings");
        goto done;
    }
    sqlite3_bind_text(st, 1, value, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = sg__store_sql_error(ctx, store, "writing settings");
done:
    sqlite3_finalize(st);
    free(type);
    free(def);
    free(trimmed);
    return rc;
}
