/* One JSON writer for the library (run records) and the command line
 * (--json), on jansson: full string escaping, and numbers in the C
 * locale whatever setlocale() says (jansson turns the locale's decimal
 * point back into '.').
 *
 * A streaming interface over a tree: open objects and arrays, add
 * values under keys (NULL key inside arrays), then finish to a FILE or
 * to a string. Keys keep their order. Strings that are not valid UTF-8
 * are written with U+FFFD for each bad byte; non-finite numbers as null.
 * SPDX-License-Identifier: MIT */
#ifndef SANIGRID_JSON_H
#define SANIGRID_JSON_H
#include "sanigrid/export.h"
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/** A writer; on the caller's stack. Fields are private. */
typedef struct sg_json {
    FILE *f;         /* sg_json_finish() writes here */
    void *stack[64]; /* json_t * of the open containers; [0] the root */
    int depth;       /* open containers */
    int failed;      /* out of memory or misuse: finish gives NULL */
} sg_json;

/** Start a document written to \p f by sg_json_finish() (NULL: use
 * sg_json_finish_string()). */
SG_API void sg_json_begin(sg_json *j, FILE *f);
SG_API void sg_json_object(sg_json *j,
                           const char *key); /* key NULL in arrays */
SG_API void sg_json_array(sg_json *j, const char *key);
SG_API void sg_json_end_object(sg_json *j);
SG_API void sg_json_end_array(sg_json *j);
SG_API void sg_json_str(sg_json *j, const char *key,
                        const char *v); /* NULL: null */
SG_API void sg_json_int(sg_json *j, const char *key, long long v);
/** A number: integral values below 1e15 print as integers, others with
 * 15 significant digits; NaN and infinities as null. */
SG_API void sg_json_num(sg_json *j, const char *key, double v);
SG_API void sg_json_bool(sg_json *j, const char *key, int v);
SG_API void sg_json_null(sg_json *j, const char *key);
/** Parse \p json_text and add it; null if empty or not JSON. */
SG_API void sg_json_raw(sg_json *j, const char *key, const char *json_text);

/** Write the document compactly and a newline to the FILE given to
 * sg_json_begin(), flush, and release the tree. \return 0, or -1 if
 * writing failed. */
SG_API int sg_json_finish(sg_json *j);

/** The document as compact text and release the tree. \return caller
 * owns; free with sg_free(). NULL when memory ran out. */
SG_API char *sg_json_finish_string(sg_json *j);

#ifdef __cplusplus
}
#endif
#endif
