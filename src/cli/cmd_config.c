/* sanigrid config: get, set, reset or list settings; its option table
 * and callbacks for cli_run (cli.h, "the command skeleton").
 * SPDX-License-Identifier: MIT */
#include <string.h>

#include "cli/cli.h"

/* The --help text is docs/cli/config.md (STYLE rule 24). */

typedef struct args {
    const char *verb; /* list, get, set or reset */
    const char *key;  /* get, set, reset */
    char *value;      /* get, set: the value read back; owned */
} args;

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
        const char *unit =
            cli_lang_zh() ? sg_field_unit("settings", s->key) : s->unit;
        const char *label =
            sg_field_value_label("settings", s->key, s->value, "zh");
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
               : s->description      ? s->description
                                     : "",
               s->source ? s->source : "");
        if (changed)
            printf(_("    (changed)\n"));
    }
    return 0;
}

static const cli_option options[] = {{.name = NULL}};

/* The action and its argument count; list and get read the store
 * only. */
static int check(cli_call *call)
{
    args *a = CLI_ARGS(call, args);
    const char *verb = call->pos[1];
    int need = !strcmp(verb, "list")    ? 2
               : !strcmp(verb, "get")   ? 3
               : !strcmp(verb, "reset") ? 3
               : !strcmp(verb, "set")   ? 4
                                        : -1;
    if (need < 0)
        return cli_usage_error("config", "unknown action '%s'", verb);
    if (call->npos != need)
        return cli_usage_error("config", "wrong number of arguments for %s",
                               verb);
    a->verb = verb;
    a->key = need > 2 ? call->pos[2] : NULL;
    call->store_mode = !strcmp(verb, "list") || !strcmp(verb, "get")
                           ? CLI_STORE_READ
                           : CLI_STORE_WRITE;
    return CLI_EXIT_OK;
}

static sg_status run(cli_call *call)
{
    args *a = CLI_ARGS(call, args);
    if (!strcmp(a->verb, "list")) {
        /* streamed as the settings are read */
        sg_json j;
        list_state ls = {NULL};
        if (call->common.json) {
            sg_json_begin(&j, stdout);
            sg_json_object(&j, NULL);
            sg_json_object(&j, "settings");
            ls.j = &j;
        }
        sg_status st =
            sg_settings_foreach(call->ctx, call->store, list_cb, &ls);
        if (call->common.json) {
            sg_json_end_object(&j);
            sg_json_end_object(&j);
            sg_json_finish(&j);
        }
        call->printed = 1;
        return st;
    }
    if (!strcmp(a->verb, "get"))
        return sg_setting_get(call->ctx, call->store, a->key, &a->value);
    const char *value = !strcmp(a->verb, "set") ? call->pos[3] : NULL;
    sg_status st = sg_setting_set(call->ctx, call->store, a->key, value);
    if (st == SG_OK && call->common.json)
        sg_setting_get(call->ctx, call->store, a->key, &a->value);
    return st;
}

/* get, and set or reset under --json: the key and its value */
static void print_json(const cli_call *call, sg_json *j)
{
    const args *a = CLI_ARGS(call, args);
    sg_json_str(j, "key", a->key);
    sg_json_str(j, "value", a->value);
}

static void print_text(const cli_call *call)
{
    const args *a = CLI_ARGS(call, args);
    if (!strcmp(a->verb, "get"))
        printf("%s\n", a->value);
}

static void cleanup(cli_call *call)
{
    sg_free(CLI_ARGS(call, args)->value);
}

static const cli_command command = {
    .name = "config",
    .options = options,
    .common = CLI_JSON,
    .min_args = 2,
    .max_args = -1,
    .args_error = N_("give DB and list|get|set|reset"),
    .store = CLI_STORE_READ, /* check chooses */
    .args_size = sizeof(args),
    .check = check,
    .run = run,
    .print_json = print_json,
    .print_text = print_text,
    .cleanup = cleanup,
    .usage_on = {SG_ERR_NOT_FOUND},
};

int cmd_config(int argc, char **argv)
{
    return cli_run(&command, argc, argv);
}
