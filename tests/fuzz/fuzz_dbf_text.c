/* Fuzz target: text decoding of sources without a known encoding
 * (Shapefile DBF, CSV from Excel in GBK). The first input byte chooses:
 *   bit 7 clear: the rest, as a C string, goes through sg__utf8_valid and
 *     sg__to_utf8 with the encoding chosen by the low bits (NULL = detect,
 *     CP936, GBK, UTF-8, ISO-8859-1, GB18030, BIG5);
 *   bit 7 set: the second byte is the DBF language id, and the rest fills
 *     the records of a DBF (fields unit_code, date, score, inspector,
 *     notes) written to a real file (the import reads the header itself)
 *     and imported into the inspections layer; bit 6 adds --encoding.
 * Not for: Shapefile geometry (.shp/.shx are not fuzzed here).
 * SPDX-License-Identifier: MIT */
#include "fuzz_common.h"

static const char *const encodings[] = {
    NULL, "CP936", "GBK", "UTF-8", "ISO-8859-1", "GB18030", "BIG5", NULL};

static char dbf_path[300];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_init(0);
    snprintf(dbf_path, sizeof dbf_path, "%s/input.dbf", F.dir);
    return 0;
}

/* Decode \p s with \p enc and check the result. */
static void check_text(const char *s, const char *enc)
{
    const char *used = NULL;
    int valid = sg__utf8_valid(s);
    CPLPushErrorHandler(CPLQuietErrorHandler);
    char *u = sg__to_utf8(s, enc, &used);
    CPLPopErrorHandler();
    FUZZ_CHECK(u != NULL && used != NULL);
    if (!enc) {
        /* detection always ends in UTF-8; valid input is kept as is */
        FUZZ_CHECK(sg__utf8_valid(u));
        if (valid)
            FUZZ_CHECK(strcmp(u, s) == 0 && !strcmp(used, "UTF-8"));
    } else if (!strcmp(enc, "UTF-8")) {
        FUZZ_CHECK(strcmp(u, s) == 0);
    }
    CPLFree(u);
}

/* Little-endian stores. */
static void le16(unsigned char *p, unsigned v)
{
    p[0] = (unsigned char)(v & 0xff);
    p[1] = (unsigned char)(v >> 8);
}
static void le32(unsigned char *p, unsigned long v)
{
    le16(p, (unsigned)(v & 0xffff));
    le16(p + 2, (unsigned)(v >> 16));
}

/* Write a dBASE III file whose records hold \p data (\p size bytes) and
 * whose language id is \p ldid. */
static void write_dbf(unsigned char ldid, const uint8_t *data, size_t size)
{
    static const struct {
        const char *name;
        unsigned char len;
    } fields[] = {{"unit_code", 20},
                  {"date", 12},
                  {"score", 8},
                  {"inspector", 20},
                  {"notes", 40}};
    enum { NF = 5, RECLEN = 1 + 20 + 12 + 8 + 20 + 40, MAXREC = 64 };
    size_t nrec = (size + RECLEN - 2) / (RECLEN - 1);
    if (nrec > MAXREC)
        nrec = MAXREC;
    unsigned char hdr[32 + 32 * NF + 1];
    memset(hdr, 0, sizeof hdr);
    hdr[0] = 0x03;
    hdr[1] = 126; /* 2026-11-03 */
    hdr[2] = 11;
    hdr[3] = 3;
    le32(hdr + 4, (unsigned long)nrec);
    le16(hdr + 8, sizeof hdr);
    le16(hdr + 10, RECLEN);
    hdr[29] = ldid;
    for (int i = 0; i < NF; i++) {
        unsigned char *fd = hdr + 32 + 32 * i;
        memcpy(fd, fields[i].name, strlen(fields[i].name));
        fd[11] = 'C';
        fd[16] = fields[i].len;
    }
    hdr[sizeof hdr - 1] = 0x0d;
    FILE *f = fopen(dbf_path, "wb");
    FUZZ_CHECK(f != NULL);
    FUZZ_CHECK(fwrite(hdr, 1, sizeof hdr, f) == sizeof hdr);
    for (size_t r = 0; r < nrec; r++) {
        unsigned char rec[RECLEN];
        memset(rec, ' ', sizeof rec);
        size_t off = r * (RECLEN - 1);
        size_t n = size - off < RECLEN - 1 ? size - off : RECLEN - 1;
        memcpy(rec + 1, data + off, n);
        FUZZ_CHECK(fwrite(rec, 1, sizeof rec, f) == sizeof rec);
    }
    fputc(0x1a, f);
    fclose(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const char *enc = encodings[data[0] & 7];
    if (!(data[0] & 0x80)) {
        char *s = malloc(size);
        FUZZ_CHECK(s != NULL);
        memcpy(s, data + 1, size - 1);
        s[size - 1] = '\0';
        check_text(s, enc);
        free(s);
        return 0;
    }
    if (size < 2)
        return 0;
    write_dbf(data[1], data + 2, size - 2);
    sg_import_options *o = sg_import_options_new();
    FUZZ_CHECK(o != NULL);
    if ((data[0] & 0x40) && enc)
        FUZZ_CHECK(sg_import_options_set_encoding(F.ctx, o, enc) == SG_OK);
    fuzz_import(F.store, "inspections", dbf_path, o);
    sg_import_options_free(o);
    return 0;
}
