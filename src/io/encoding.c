/* Text encoding of whole sources (DOMAIN K8): decide between UTF-8 and
 * GB18030 (a superset of GBK/CP936, what Excel and ArcGIS write on Chinese
 * Windows) from the bytes of a DBF's field names and text cells or of a
 * whole CSV, and recode a buffer to UTF-8 with iconv, reporting the offset
 * of the first byte that does not decode.
 * Not for: per-value decoding (fieldmap.c sg__to_utf8) or opening sources
 * (import.c).
 * SPDX-License-Identifier: MIT */
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "io/encoding_int.h"

size_t sg__utf8_first_bad(const unsigned char *p, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned char c = p[i];
        size_t len;
        unsigned char lo = 0x80, hi = 0xBF; /* range of the second byte */
        if (c < 0x80) {
            i++;
            continue;
        } else if (c >= 0xC2 && c <= 0xDF) {
            len = 2;
        } else if (c >= 0xE0 && c <= 0xEF) {
            len = 3;
            if (c == 0xE0)
                lo = 0xA0;
            else if (c == 0xED)
                hi = 0x9F; /* no surrogates */
        } else if (c >= 0xF0 && c <= 0xF4) {
            len = 4;
            if (c == 0xF0)
                lo = 0x90;
            else if (c == 0xF4)
                hi = 0x8F;
        } else {
            return i;
        }
        if (i + len > n || p[i + 1] < lo || p[i + 1] > hi)
            return i;
        for (size_t k = 2; k < len; k++)
            if ((p[i + k] & 0xC0) != 0x80)
                return i;
        i += len;
    }
    return n;
}

/* Offset of the first byte of p[0..n) that \p cd cannot decode, or n.
 * \p tail_ok: a multi-byte sequence cut at the end is fine (DBF cells are
 * cut at the field width, sometimes inside a character). */
static size_t iconv_first_bad(iconv_t cd, const unsigned char *p, size_t n,
                              int tail_ok)
{
    char out[4096];
    char *in = (char *)p;
    size_t left = n;
    iconv(cd, NULL, NULL, NULL, NULL);
    while (left > 0) {
        char *o = out;
        size_t ol = sizeof out;
        size_t r = iconv(cd, &in, &left, &o, &ol);
        if (r != (size_t)-1)
            break;
        if (errno == E2BIG)
            continue;
        if (errno == EINVAL && tail_ok)
            return n;
        return (size_t)(in - (char *)p);
    }
    return n;
}

sg_status sg__recode_to_utf8(sg_ctx *ctx, const char *what, const char *enc,
                             const char *in, size_t n, char **out,
                             size_t *out_n)
{
    *out = NULL;
    *out_n = 0;
    iconv_t cd = iconv_open("UTF-8", enc);
    if (cd == (iconv_t)-1)
        return sg__error(ctx, SG_ERR_USAGE,
                         "%s: unknown text encoding '%s' (give e.g. GBK, "
                         "GB18030, BIG5, UTF-8)",
                         what, enc);
    size_t cap = n * 2 + 16; /* GB18030 -> UTF-8 grows at most 3/2 */
    char *buf = malloc(cap + 1);
    if (!buf) {
        iconv_close(cd);
        return sg__error(ctx, SG_ERR_NOMEM, "out of memory");
    }
    char *ip = (char *)in, *op = buf;
    size_t il = n, ol = cap;
    sg_status st = SG_OK;
    while (il > 0) {
        size_t r = iconv(cd, &ip, &il, &op, &ol);
        if (r != (size_t)-1)
            break;
        size_t off = (size_t)(ip - in);
        if (errno == E2BIG) {
            size_t used = (size_t)(op - buf);
            char *nb = realloc(buf, cap * 2 + 1);
            if (!nb) {
                st = sg__error(ctx, SG_ERR_NOMEM, "out of memory");
                break;
            }
            buf = nb;
            op = buf + used;
            ol += cap;
            cap *= 2;
            continue;
        }
        st = sg__error(ctx, SG_ERR_INPUT,
                       "%s: the text is not valid %s: byte 0x%02X at offset "
                       "%zu does not decode%s; nothing was imported",
                       what, enc, (unsigned)(unsigned char)in[off], off,
                       errno == EINVAL ? " (cut short at the end)" : "");
        break;
    }
    iconv_close(cd);
    if (st) {
        free(buf);
        return st;
    }
    *op = '\0';
    *out = buf;
    *out_n = (size_t)(op - buf);
    return SG_OK;
}

sg_status sg__detect_buffer(sg_ctx *ctx, const char *what,
                            const unsigned char *p, size_t n, const char **enc)
{
    size_t bad = sg__utf8_first_bad(p, n);
    if (bad == n) {
        *enc = "UTF-8";
        return SG_OK;
    }
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    if (cd == (iconv_t)-1)
        return sg__error(ctx, SG_ERR_INTERNAL,
                         "iconv cannot decode GB18030 on this system");
    size_t gbad = iconv_first_bad(cd, p, n, 0);
    iconv_close(cd);
    if (gbad == n) {
        *enc = "GB18030";
        return SG_OK;
    }
    return sg__error(ctx, SG_ERR_INPUT,
                     "%s: the text is neither UTF-8 (byte 0x%02X at offset "
                     "%zu) nor GBK/GB18030 (byte 0x%02X at offset %zu does "
                     "not decode); give its encoding with --encoding; "
                     "nothing was imported",
                     what, p[bad], bad, p[gbad], gbad);
}

/* Little-endian unsigned of \p n bytes. */
static unsigned long le(const unsigned char *b, int n)
{
    unsigned long v = 0;
    for (int i = n - 1; i >= 0; i--)
        v = (v << 8) | b[i];
    return v;
}

/* One text piece of a DBF (a field name or a text cell) at file offset
 * \p off, trailing blanks/NULs removed. */
typedef struct dbf_piece {
    const unsigned char *p;
    size_t n;
    long long off;
} dbf_piece;

/* The checker's state: UTF-8 first, GB18030 once UTF-8 fails. */
typedef struct dbf_scan {
    int pass; /* 0: UTF-8, 1: GB18030 */
    iconv_t cd;
    long long bad_utf8; /* file offset of the first non-UTF-8 byte, -1 */
    long long bad_gb;   /* same for GB18030 */
    unsigned char byte_utf8, byte_gb;
} dbf_scan;

/* Check one piece; \return 0 to go on, 1 when this pass failed. */
static int scan_piece(dbf_scan *s, dbf_piece pc)
{
    while (pc.n && (pc.p[pc.n - 1] == ' ' || pc.p[pc.n - 1] == '\0'))
        pc.n--;
    if (!pc.n)
        return 0;
    if (s->pass == 0) {
        size_t b = sg__utf8_first_bad(pc.p, pc.n);
        if (b == pc.n)
            return 0;
        /* a character cut at the field width is not a wrong encoding */
        size_t tail = pc.n - b;
        if (tail < 4 && pc.p[b] >= 0xC2) {
            size_t need = pc.p[b] >= 0xF0 ? 4 : pc.p[b] >= 0xE0 ? 3 : 2;
            int cont = 1;
            for (size_t k = b + 1; k < pc.n; k++)
                cont &= (pc.p[k] & 0xC0) == 0x80;
            if (tail < need && cont)
                return 0;
        }
        s->bad_utf8 = pc.off + (long long)b;
        s->byte_utf8 = pc.p[b];
        return 1;
    }
    size_t b = iconv_first_bad(s->cd, pc.p, pc.n, 1);
    if (b == pc.n)
        return 0;
    s->bad_gb = pc.off + (long long)b;
    s->byte_gb = pc.p[b];
    return 1;
}

/* Run one pass over the names and text cells of the DBF \p f. \return 0
 * if every piece passed, 1 if one failed, -1 if the file is not a DBF
 * we understand. */
static int dbf_pass(FILE *f, dbf_scan *s)
{
    unsigned char hdr[32];
    if (fseek(f, 0, SEEK_SET) != 0 || fread(hdr, 1, 32, f) != 32)
        return -1;
    unsigned long nrec = le(hdr + 4, 4), hsize = le(hdr + 8, 2),
                  rsize = le(hdr + 10, 2);
    if (hsize < 33 || rsize < 1)
        return -1;
    enum { MAXF = 2048 };
    unsigned char *h = malloc(hsize);
    if (!h)
        return -1;
    int rc = 0;
    if (fseek(f, 0, SEEK_SET) != 0 || fread(h, 1, hsize, f) != hsize) {
        free(h);
        return -1;
    }
    size_t foff[MAXF], flen[MAXF];
    int ftext[MAXF], nf = 0;
    size_t pos = 1; /* the deletion flag */
    for (size_t d = 32; d + 32 <= hsize && h[d] != 0x0D && nf < MAXF; d += 32) {
        size_t nl = 0;
        while (nl < 11 && h[d + nl])
            nl++;
        if (rc == 0 && scan_piece(s, (dbf_piece){h + d, nl, (long long)d}))
            rc = 1;
        foff[nf] = pos;
        flen[nf] = h[d + 16];
        ftext[nf] = h[d + 11] == 'C' || h[d + 11] == 'M';
        pos += flen[nf];
        nf++;
    }
    free(h);
    if (rc || pos > rsize)
        return rc ? 1 : -1;
    unsigned char *rec = malloc(rsize);
    if (!rec)
        return -1;
    for (unsigned long r = 0; r < nrec && rc == 0; r++) {
        long long roff = (long long)hsize + (long long)r * (long long)rsize;
        if (fread(rec, 1, rsize, f) != rsize)
            break; /* short file: GDAL says so when it reads it */
        for (int k = 0; k < nf && rc == 0; k++)
            if (ftext[k] &&
                scan_piece(s, (dbf_piece){rec + foff[k], flen[k],
                                          roff + (long long)foff[k]}))
                rc = 1;
    }
    free(rec);
    return rc;
}

sg_status sg__dbf_detect_encoding(sg_ctx *ctx, const char *dbf_path,
                                  const char **enc)
{
    *enc = NULL;
    FILE *f = fopen(dbf_path, "rb");
    if (!f)
        return SG_OK; /* no DBF: GDAL reports what is missing */
    dbf_scan s = {.pass = 0, .cd = (iconv_t)-1, .bad_utf8 = -1, .bad_gb = -1};
    sg_status st = SG_OK;
    int rc = dbf_pass(f, &s);
    if (rc == 0) {
        *enc = "UTF-8";
    } else if (rc == 1) {
        s.pass = 1;
        s.cd = iconv_open("UTF-8", "GB18030");
        if (s.cd == (iconv_t)-1) {
            st = sg__error(ctx, SG_ERR_INTERNAL,
                           "iconv cannot decode GB18030 on this system");
        } else {
            rc = dbf_pass(f, &s);
            iconv_close(s.cd);
            if (rc == 0)
                *enc = "GB18030";
            else if (rc == 1)
                st = sg__error(
                    ctx, SG_ERR_INPUT,
                    "%s: the text is neither UTF-8 (byte 0x%02X at offset "
                    "%lld) nor GBK/GB18030 (byte 0x%02X at offset %lld "
                    "does not decode), and there is no .cpg file naming "
                    "its encoding; give it with --encoding; nothing was "
                    "imported",
                    dbf_path, s.byte_utf8, s.bad_utf8, s.byte_gb, s.bad_gb);
        }
    }
    fclose(f);
    return st;
}
