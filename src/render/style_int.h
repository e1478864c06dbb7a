/* Internal view of styles: the parsed form of an SLD (OGC SLD 1.0 and
 * SLD 1.1 / SE 1.1, the subset documented in styles/README.md), rule
 * matching against a feature's attributes, and the styles embedded from
 * the .sld files in styles/ at build time.
 * Not for: drawing (map.c, labels.c, legend.c) or reading layers
 * (layers.c).
 * SPDX-License-Identifier: MIT */
#ifndef SG_RENDER_STYLE_INT_H
#define SG_RENDER_STYLE_INT_H

#include <stddef.h>

#include "sanigrid/ctx.h"

/* ---- values and attributes ---------------------------------------------- */

typedef enum sg__vtype { SG_V_NULL = 0, SG_V_NUM, SG_V_TEXT } sg__vtype;

/** One attribute value of a feature. */
typedef struct sg__value {
    sg__vtype type;
    double num; /* SG_V_NUM */
    char *text; /* SG_V_TEXT; owned by whoever owns the value */
} sg__value;

/** A feature's attributes as the style sees them: \p names[i] has value
 * \p vals[i]. Both borrowed. */
typedef struct sg__attrs {
    const char *const *names;
    const sg__value *vals;
    size_t n;
} sg__attrs;

/* ---- expressions and filters ------------------------------------------- */

typedef enum sg__expr_kind {
    SG_EX_LITERAL = 1,
    SG_EX_PROPERTY,
    SG_EX_ADD,
    SG_EX_SUB,
    SG_EX_MUL,
    SG_EX_DIV,
    SG_EX_CONCAT /* a Label's mixed content: a's text then b's */
} sg__expr_kind;

/** ogc:Literal, ogc:PropertyName or arithmetic over two expressions. */
typedef struct sg__expr {
    sg__expr_kind kind;
    char *text;             /* literal text or property name; owned */
    struct sg__expr *a, *b; /* operands of arithmetic; owned */
} sg__expr;

typedef enum sg__filter_op {
    SG_F_EQ = 1,
    SG_F_NE,
    SG_F_LT,
    SG_F_LE,
    SG_F_GT,
    SG_F_GE,
    SG_F_BETWEEN,
    SG_F_NULL,
    SG_F_AND,
    SG_F_OR,
    SG_F_NOT
} sg__filter_op;

typedef struct sg__filter {
    sg__filter_op op;
    sg__expr *a, *b, *c;      /* comparison operands (BETWEEN: a in
                                 [b, c]); owned */
    int match_case;           /* for EQ/NE on text (default 1) */
    struct sg__filter **kids; /* AND/OR/NOT operands; owned */
    size_t nkids;
} sg__filter;

/* ---- symbolizers --------------------------------------------------------- */

/** A colour with alpha, each channel 0..1. */
typedef struct sg__rgba {
    double r, g, b, a;
} sg__rgba;

typedef struct sg__fill {
    int on; /* 1 if the symbolizer fills */
    sg__rgba color;
} sg__fill;

typedef struct sg__stroke {
    int on; /* 1 if the symbolizer strokes */
    sg__rgba color;
    double width;   /* pixels at 96 dpi (metres with uom metre) */
    double dash[8]; /* stroke-dasharray, same unit */
    size_t ndash;
    int round; /* stroke-linejoin/linecap round (1) or default */
} sg__stroke;

typedef enum sg__sym_type {
    SG_SYM_POLYGON = 1,
    SG_SYM_LINE,
    SG_SYM_POINT,
    SG_SYM_TEXT
} sg__sym_type;

typedef enum sg__mark {
    SG_MARK_CIRCLE = 1,
    SG_MARK_SQUARE,
    SG_MARK_TRIANGLE,
    SG_MARK_STAR,
    SG_MARK_CROSS,
    SG_MARK_X
} sg__mark;

typedef struct sg__symbolizer {
    sg__sym_type type;
    int uom_metre;     /* sizes in ground metres (SE 1.1 uom) */
    sg__fill fill;     /* polygon, point mark, text colour */
    sg__stroke stroke; /* polygon, line, point mark */
    double offset;     /* polygon: PerpendicularOffset, pixels (metres
                          with uom metre); < 0: the outline is drawn
                          inside the polygon, from its edge inwards to
                          -offset + width / 2 (so that it never lies on
                          a neighbour); > 0 is not supported */
    /* point */
    sg__mark mark;
    sg__expr *size; /* mark size (diameter); owned; NULL: 6 */
    /* text */
    sg__expr *label;   /* owned */
    char *font_family; /* owned; NULL: Noto Sans CJK SC */
    double font_size;  /* pixels at 96 dpi */
    int bold, italic;
    double halo_radius; /* pixels; 0: no halo */
    sg__rgba halo;
    double priority;  /* larger is placed first (Priority, a GeoServer
                         extension; default 0) */
    int anchored;     /* LabelPlacement/PointPlacement given */
    double anchor[2]; /* AnchorPoint x, y in 0..1 (0, 0 = lower left) */
    double disp[2];   /* Displacement x, y in pixels (y up) */
} sg__symbolizer;

typedef struct sg__rule {
    char *name, *title, *abstract; /* owned; may be NULL */
    sg__filter *filter;            /* owned; NULL: every feature */
    int else_filter;               /* ElseFilter: features no other rule
                                      of the FeatureTypeStyle took */
    double min_scale, max_scale;   /* applies if min <= scale < max */
    sg__symbolizer *syms;          /* owned */
    size_t nsyms;
    long long hits; /* features it drew in the last map
                       (the legend lists only rules used) */
} sg__rule;

typedef struct sg__fts {
    sg__rule *rules; /* owned */
    size_t nrules;
} sg__fts;

/** One parsed SLD: its first NamedLayer's first UserStyle. */
typedef struct sg__style {
    char *source;     /* file or built-in name, for messages; owned */
    char *layer_name; /* NamedLayer/Name; owned; may be NULL */
    char *title;      /* UserStyle title (Chinese by convention) */
    char *abstract;   /* UserStyle abstract (English by convention) */
    sg__fts *fts;     /* owned */
    size_t nfts;
} sg__style;

/** Parse \p len bytes of SLD text. \p source names it in messages.
 * \return SG_OK and *out (caller owns; free with sg__style_free()), or
 * SG_ERR_IO_FORMAT with the line and element in ctx. Never touches the
 * network, never loads a DTD and never prints. */
sg_status sg__style_parse(sg_ctx *ctx, const char *text, size_t len,
                          const char *source, sg__style **out);

/** Free \p s. NULL is a no-op. */
void sg__style_free(sg__style *s);

/** Parse the built-in style \p name (styles/<name>.sld).
 * SG_ERR_NOT_FOUND if there is none. Caller owns *out. */
sg_status sg__style_builtin(sg_ctx *ctx, const char *name, sg__style **out);

/** \return the text of built-in style \p name, or NULL. Borrowed. */
const char *sg__style_builtin_text(const char *name);

/** Evaluate \p e for \p attrs. \return the value in *out: a borrowed
 * text (valid while \p attrs and the style live), a number, or NULL for a
 * missing property or a failed arithmetic. */
void sg__expr_eval(const sg__expr *e, const sg__attrs *attrs, sg__value *out);

/** The text of label expression \p e for \p attrs: a property or
 * literal as sg__expr_eval gives it, numbers without needless decimals
 * (at most 2), a Label's mixed content (SG_EX_CONCAT) joined. NULL when
 * a property in it is NULL or empty (a label "第名" says nothing).
 * Caller owns; free(). */
char *sg__expr_label(const sg__expr *e, const sg__attrs *attrs);

/** \return 1 if \p f accepts the feature with \p attrs (NULL filter: 1).
 * Comparisons are numeric when both sides are numbers, else textual; a
 * NULL operand makes a comparison false. */
int sg__filter_eval(const sg__filter *f, const sg__attrs *attrs);

/** \return 1 if \p rule applies at scale 1:\p scale to \p attrs, ignoring
 * ElseFilter rules (those need the other rules; see sg__fts_match). */
int sg__rule_matches(const sg__rule *rule, const sg__attrs *attrs,
                     double scale);

/** Indexes of the rules of \p fts that apply to \p attrs at \p scale, in
 * rule order, ElseFilter rules included when no other rule applied.
 * \return the number written to \p idx (at most \p cap). */
size_t sg__fts_match(const sg__fts *fts, const sg__attrs *attrs, double scale,
                     size_t *idx, size_t cap);

#define SG_PROPS_FILTERS 0x1u /* properties in rule filters */
#define SG_PROPS_VALUES 0x2u  /* properties in labels and sizes */

/** Call \p fn once for every property name \p s refers to in the parts
 * chosen by \p which (SG_PROPS_*); names may repeat. */
void sg__style_properties(const sg__style *s, unsigned which,
                          void (*fn)(const char *name, void *user), void *user);

/** \return 1 if any rule of \p s has a symbolizer of type \p type. */
int sg__style_has_symbolizer(const sg__style *s, sg__sym_type type);

/** Parse a colour "#RRGGBB", "#RGB" or "#RRGGBBAA". \return 1 on
 * success (\p out set), 0 otherwise. */
int sg__parse_color(const char *s, sg__rgba *out);

/** The path of a style file beside exported file \p out: \p out with its
 * extension replaced by \p ext (".sld", ".qml"): roads.geojson ->
 * roads.sld. \return it (caller owns; free with free()), or NULL with
 * SG_ERR_USAGE (no \p out) or SG_ERR_NOMEM in \p ctx. */
char *sg__sidecar_path(sg_ctx *ctx, const char *out, const char *ext);

/* ---- QGIS layer styles (qml.c) ------------------------------------------ */

/** Write \p s as a QGIS 3 layer style (.qml: a rule-based renderer and
 * rule-based labels; see styles/README.md for the mapping; with the field
 * dictionary's Chinese aliases and value maps of \p layer, none when
 * \p layer is NULL or unknown) into a new NUL-terminated buffer.
 * \return SG_OK and *out (caller owns; free with free()) and *len (may be
 * NULL), or SG_ERR_NOMEM / SG_ERR_INTERNAL. */
sg_status sg__style_to_qml(sg_ctx *ctx, const sg__style *s, const char *layer,
                           char **out, size_t *len);

/* ---- embedded styles (generated from the .sld files in styles/)
 * ---------------------- */

typedef struct sg__style_file {
    const char *name; /* file name without .sld; NULL in an empty table */
    const char *text; /* NUL-terminated SLD text */
    size_t len;
} sg__style_file;

extern const sg__style_file sg__style_files[];
extern const size_t sg__style_file_count;

#endif
