/* sanigrid config: get, set, reset or list settings.
 * SPDX-License-Identifier: MIT */
#include <getopt.h>
#include <string.h>

#include "cli/cli.h"

/* The --help text is docs/cli/config.md (STYLE rule 24). */

typedef struct list_state {
    sg_json *j;
} list_state;

static int list_cb(const sg_setting *s, void *user)
{
    list_state *ls = user;
    if (ls->j) {
        sg_json_object(ls->j, s->key);
        sg_json_str(ls->j, "value", s->value);
        sg_json_str(ls->j, "default", s->default_value);
        sg_json_str(ls->j, "type", s->type);
        sg_json_str(ls->j, "unit", s->unit);
        sg_json_str(ls->j, "source", s->source);
        sg_json_str(ls->j, "description", s->description);
        sg_json_end_object(ls->j);
    } else {
        /* under --lang zh the description, unit and coded values come
         * from the dictionary (data/dictionary/fields.csv, layer
         * "settings"); the key, value and source stay as stored */
        const char *lang = cli_lang_zh() ? "zh" : "en";
        const char *desc = sg_field_header("settings", s->key, lang);
        const char *unit = cli_lang_zh() ? sg_field_unit("settings", s->key)
                                            : s->unit;
        const char *label = sg_field_value_label("settings", s->key,
                                                 s->value, "zh");
        int changed = strcmp(s->value, s->default_value) != 0;
        printf("%-45s %s", s->key, s->value);
        if (unit && *unit)
            printf(" %s", unit);
        if (label && cli_lang_zh())
            printf("（%s）", label);
        if (changed)
            printf(_(" (default %s)"), s->default_value);
        printf(_("\n    %s\n    source: %s\n"),
               desc && cli_lang_zh() ? desc
               : s->description         ? s->description
                                        : "",
               s->source ? s->source : "");
        if (changed)
            printf(_("    (changed)\n"));
    }
    return 0;
}

int cmd_config(int argc, char **argv)
{
    static const struct option opts[] = {
        {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    cli_common common = {0};
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'j': common.json = 1; break;
        case 'h': cli_help("config"); return CLI_EXIT_OK;
        default: return cli_usage_error("config", "bad option");
        }
    }
    int nargs = argc - optind;
    if (nargs < 2)
        return cli_usage_error("config", "give DB and list|get|set|reset");
    const char *db = argv[optind], *verb = argv[optind + 1];
    int need = !strcmp(verb, "list")    ? 2
               : !strcmp(verb, "get")   ? 3
               : !strcmp(verb, "reset") ? 3
               : !strcmp(verb, "set")   ? 4
                                        : -1;
    if (need < 0)
        return cli_usage_error("config", "unknown action '%s'", verb);
    if (nargs != need)
        return cli_usage_error("config", "wrong number of arguments for %s",
                                  verb);
    sg_ctx *ctx = cli_ctx(&common);
    sg_store *store = NULL;
    int rc = CLI_EXIT_OK;
    int ro = !strcmp(verb, "list") || !strcmp(verb, "get");
    if (!ctx)
        return CLI_EXIT_FAIL;
    if (sg_store_open(ctx, db, ro ? SG_STORE_READONLY : 0, &store)) {
        rc = cli_fail(ctx, "config");
        goto done;
    }
    const char *key = argv[optind + 2];
    if (!strcmp(verb, "list")) {
        sg_json j;
        list_state ls = {NULL};
        if (common.json) {
            sg_json_begin(&j, stdout);
            sg_json_object(&j, NULL);
            sg_json_object(&j, "settings");
            ls.j = &j;
        }
        if (sg_settings_foreach(ctx, store, list_cb, &ls))
            rc = cli_fail(ctx, "config");
        if (common.json) {
            sg_json_end_object(&j);
            sg_json_end_object(&j);
            sg_json_finish(&j);
        }
    } else if (!strcmp(verb, "get")) {
        char *v = NULL;
        if (sg_setting_get(ctx, store, key, &v)) {
            rc = cli_fail(ctx, "config");
            if (sg_ctx_status(ctx) == SG_ERR_NOT_FOUND)
                rc = CLI_EXIT_USAGE;
        } else if (common.json) {
            sg_json j;
            sg_json_begin(&j, stdout);
            sg_json_object(&j, NULL);
            sg_json_str(&j, "key", key);
            sg_json_str(&j, "value", v);
            sg_json_end_object(&j);
            sg_json_finish(&j);
        } else {
            printf("%s\n", v);
        }
        sg_free(v);
    } else {
        const char *value = !strcmp(verb, "set") ? argv[optind + 3] : NULL;
        if (sg_setting_set(ctx, store, key, value)) {
            rc = cli_fail(ctx, "config");
            if (sg_ctx_status(ctx) == SG_ERR_NOT_FOUND ||
                sg_ctx_status(ctx) == SG_ERR_USAGE)
                rc = CLI_EXIT_USAGE;
        } else if (common.json) {
            char *v = NULL;
            sg_setting_get(ctx, store, key, &v);
            sg_json j;
            sg_json_begin(&j, stdout);
            sg_json_object(&j, NULL);
            sg_json_str(&j, "key", key);
            sg_json_str(&j, "value", v);
            sg_json_end_object(&j);
            sg_json_finish(&j);
            sg_free(v);
        }
    }
done:
    sg_store_close(store);
    sg_ctx_free(ctx);
    return rc;
}
