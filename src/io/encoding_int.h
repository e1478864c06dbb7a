/* Text encoding of whole sources (DOMAIN K8): detection between UTF-8 and
 * GB18030 from the bytes, and recoding to UTF-8 with iconv.
 * Not for: per-value decoding (io_int.h sg__to_utf8).
 * SPDX-License-Identifier: MIT */
#ifndef SG_IO_ENCODING_INT_H
#define SG_IO_ENCODING_INT_H

#include <stddef.h>

#include "core/ctx_int.h"

/** Offset of the first byte of p[0..n) that is not part of valid UTF-8
 * (no overlongs, no surrogates), or n if all of it is valid. */
size_t sg__utf8_first_bad(const unsigned char *p, size_t n);

/** Decide the encoding of the text p[0..n) of the source \p what: valid
 * UTF-8 is "UTF-8", else what decodes as GB18030 (GBK/CP936 included) is
 * "GB18030"; else SG_ERR_INPUT naming both first bad byte offsets.
 * \p enc receives a static string. */
sg_status sg__detect_buffer(sg_ctx *ctx, const char *what,
                            const unsigned char *p, size_t n, const char **enc);

/** The same decision for a DBF file from its field names and text cells
 * (a character cut at the field width is tolerated). *enc is NULL if the
 * file cannot be read as a DBF (GDAL then says why). */
sg_status sg__dbf_detect_encoding(sg_ctx *ctx, const char *dbf_path,
                                  const char **enc);

/** Recode in[0..n) from \p enc to UTF-8 into *out (NUL-terminated, caller
 * frees with free()); SG_ERR_INPUT naming the offset of the first byte
 * that does not decode, SG_ERR_USAGE for an unknown encoding. */
sg_status sg__recode_to_utf8(sg_ctx *ctx, const char *what, const char *enc,
                             const char *in, size_t n, char **out,
                             size_t *out_n);

#endif
