/* Internal view of the render module: the options, the theme table, the
 * layers loaded for a map, the page layout and world-to-page transform,
 * and the helpers the map, label, legend and report code share.
 * Only the output side (map.c, labels.c, legend.c, report.c) talks to
 * Cairo and Pango; layers.c and report_data.c read the store through
 * src/store.
 * Not for: the CLI (it sees include/sanigrid/render.h only).
 * SPDX-License-Identifier: MIT */
#ifndef SG_RENDER_INT_H
#define SG_RENDER_INT_H

#include <cairo.h>
#include <stddef.h>

#include "core/ctx_int.h"
#include "geom/geos_int.h"
#include "render/style_int.h"
#include "sanigrid/render.h"

/* ---- options ----------------------------------------------------------------
 */

#define SG__MAX_STYLES 16

struct sg_render_options {
    sg_render_theme theme;
    char *division;    /* owned; NULL: all data */
    int width, height; /* output pixels */
    double dpi;
    sg__style *styles[SG__MAX_STYLES]; /* owned; --style overrides */
    size_t nstyles;
    char *title;                /* owned; NULL: the theme's */
    char lang[3];               /* "zh" or "en" */
    sg_render_format format;    /* 0: from the path */
    char *date;                 /* owned; NULL: today */
    char *attribution;          /* owned; NULL: from the store; "": none */
    long long svg_max_features; /* report: a map with more features in
                                   view is embedded as PNG; >= 0 */
    char *leaflet_dir;          /* owned; NULL: SG_LEAFLET_DIR */
    long long aggregate_above;  /* households in view above which they are
                                   drawn as hexagon counts; >= 0 */
};

/* The default of aggregate_above (sg_render_options_set_aggregate_above):
 * a county of 100,000 households or more is a carpet of dots. */
#define SG__AGGREGATE_ABOVE 20000

/* The report's default limit of features in view for an inline SVG map
 * (sg_render_options_set_svg_max_features); above it, a PNG. */
#define SG__SVG_MAX_FEATURES 20000
/* ... and the largest SVG text it embeds inline (bytes); a larger one is
 * drawn again as PNG. */
#define SG__SVG_MAX_BYTES 10000000

/* ---- themes ---------------------------------------------------------------
 */

#define SG__TL_REQUIRED 0x1u /* the map needs it: absent or empty fails */
#define SG__TL_MAIN 0x2u     /* --style without a matching layer name */
#define SG__TL_EXTENT                                                          \
    0x4u /* its features frame the map (without                                \
            --division; sg__map_data_extent) */
#define SG__TL_RADIUS                                                          \
    0x8u /* gets radius_m of the last coverage run (on                         \
            points of the kind that run served) */
#define SG__TL_COLOR                                                           \
    0x10u /* without a color_class column, gets one:                           \
             the rank of its cleaner_id among the                              \
             layer's, modulo 8 */

typedef struct sg__theme_layer {
    const char *layer;      /* store layer */
    const char *style;      /* built-in style (styles/<style>.sld) */
    unsigned flags;         /* SG__TL_* */
    const char *hint;       /* what makes the layer, for the message */
    const char *join_layer; /* when layer has no geometry: the layer whose
                               shapes its rows are drawn with */
    const char *join_key;   /* column of join_layer matching ... */
    const char *key;        /* ... this column of layer */
} sg__theme_layer;

#define SG__THEME_LAYERS 8

typedef struct sg__theme {
    const char *name;
    const char *title_zh, *title_en;
    sg__theme_layer layers[SG__THEME_LAYERS]; /* bottom to top; layer NULL
                                                 ends the list */
} sg__theme;

/** \return theme \p theme, or NULL when out of range. Borrowed,
 * static. */
const sg__theme *sg__theme_get(sg_render_theme theme);

/* ---- geometry
 * ---------------------------------------------------------------- */

typedef enum sg__gtype {
    SG_G_NONE = 0,
    SG_G_POINT,
    SG_G_LINE,
    SG_G_POLYGON
} sg__gtype;

/** A geometry as paths of vertices in the working CRS: points (one vertex
 * per path), lines, or polygon rings (all rings of all parts; filled
 * even-odd). */
typedef struct sg__shape {
    sg__gtype type; /* of the first part; collections are rare here */
    double *xy;     /* 2 per vertex; owned */
    size_t *start;  /* path i is vertices start[i] .. start[i+1]-1;
                       npaths + 1 entries; owned */
    size_t npaths;
    double bbox[4]; /* minx, miny, maxx, maxy */
} sg__shape;

/** Read WKB (either byte order; Z/M dropped; multi-types and collections
 * flattened) into \p g. \return 1, or 0 if malformed (g is left empty). */
int sg__shape_from_wkb(const unsigned char *wkb, size_t len, sg__shape *g);

/** Free what \p g owns and empty it. NULL is a no-op. */
void sg__shape_cleanup(sg__shape *g);

/** A point to label \p g at (for polygons the fallback of
 * sg__feature_label_point): for polygons the middle of the widest inside
 * span of the horizontal line (among several) that has the widest one,
 * near the middle of the height; for lines the point at half the length
 * of the longest part; for points the first point.
 * \return 1, or 0 for an empty geometry. */
int sg__shape_label_point(const sg__shape *g, double *x, double *y);

/** \return 1 if (\p x, \p y) is inside polygon \p g (even-odd over its
 * rings), 0 otherwise or if \p g is not a polygon. */
int sg__shape_contains(const sg__shape *g, double x, double y);

/* ---- layers of a map --------------------------------------------------------
 */

typedef struct sg__feature {
    sg__value *vals; /* one per column of the layer; texts owned */
    sg__shape geom;
    int has_pole;   /* pole and area set (polygons of labelled layers) */
    double pole[2]; /* label point: the pole of inaccessibility of the
                       largest part (sg__pole_from_wkb) */
    double area;    /* the polygon's area, m²: labels' order */
    int no_row;     /* a join layer's shape no row of the attribute
                       table matched: not part of the data drawn */
} sg__feature;

/** The pole of inaccessibility of polygon WKB \p wkb (the centre of the
 * largest circle inside it, GEOSMaximumInscribedCircle_r with a tolerance
 * of a thousandth of its size), of the largest part of a multipolygon,
 * into \p xy, and the whole geometry's area into \p area.
 * \return 1, or 0 for no polygon or a GEOS failure (no error is set: the
 * caller falls back on sg__shape_label_point). */
int sg__pole_from_wkb(sg_ctx *ctx, const unsigned char *wkb, size_t len,
                      double xy[2], double *area);

/** The label point of \p f: its pole if it has one, else
 * sg__shape_label_point's. \return 1, or 0 for an empty geometry. */
int sg__feature_label_point(const sg__feature *f, double *x, double *y);

/** A hexagon of households drawn as one (aggregate.c): its centre, how
 * many households it holds, and how many each of the first
 * SG__AGG_RULES rules of the style's first FeatureTypeStyle took. */
#define SG__AGG_RULES 8
typedef struct sg__aggcell {
    double x, y;
    long long count;
    long long by_rule[SG__AGG_RULES];
} sg__aggcell;

typedef struct sg__layer {
    const sg__theme_layer *def;
    sg__style *style;   /* owned unless style_borrowed */
    int style_borrowed; /* style belongs to the options (--style) */
    char **cols;        /* attribute names; owned */
    size_t ncols;
    sg__feature *feats; /* owned */
    size_t nfeats;
    long long drawn; /* features drawn */
    /* aggregated (aggregate.c): features is empty, cells are drawn */
    sg__aggcell *cells; /* owned; NULL: not aggregated */
    size_t ncells;
    double cell_m;       /* hexagon circumradius, metres */
    double origin[2];    /* the centre of hexagon (0, 0) */
    long long agg_total; /* households in the cells */
} sg__layer;

/** Whether theme layer \p tl of type \p geometry_type is drawn
 * aggregated when it holds more households in view than the options'
 * aggregate_above: the layers of households (households, coverage). */
int sg__agg_candidate(const sg__theme_layer *tl, const char *geometry_type);

/** Read the points of \p l's layer inside \p view (minx, miny, maxx,
 * maxy) into hexagons about 1/100 of the view across (l->style and
 * l->cols set; \p cols / \p ncols the columns to scan, \p dest where
 * each goes in l->cols). If more than \p above fall in view, l keeps the
 * cells; otherwise l->cells stays NULL and *aggregated is 0. */
sg_status sg__agg_load(sg_ctx *ctx, sg_store *store, sg__layer *l,
                       const char *const *cols, const int *dest, size_t ncols,
                       const double view[4], long long above, int *aggregated);

/** Draw the cells of aggregated layer \p l onto \p cr: each hexagon in
 * the colour of the rule that took most of its households, more opaque
 * the more it holds; counts the rules' hits and l->drawn (cells). */
struct sg__map;
void sg__agg_draw(struct sg__map *m, cairo_t *cr, sg__layer *l);

/** The legend line of aggregated layer \p l in the map's language
 * ("households aggregated into hexagons of about N m ...") into \p buf.
 * \return 1 if \p l is aggregated. */
int sg__agg_note(const struct sg__map *m, const sg__layer *l, char *buf,
                 size_t size);

/** Free what \p l owns and empty it. */
void sg__layer_cleanup(sg__layer *l);

/** The attributes of feature \p i of \p l for rule matching (borrowed
 * from \p l). */
sg__attrs sg__layer_attrs(const sg__layer *l, size_t i);

/** Load the layers of \p theme from \p store (bottom to top) into
 * \p layers (SG__THEME_LAYERS entries, zeroed by the caller), skipping
 * absent optional ones; *n receives how many were started. Styles come
 * from \p opts' overrides or the built-in ones. Only the columns a style
 * refers to are read, and never personal ones. Fails with
 * SG_ERR_NOT_FOUND for an absent required layer and SG_ERR_USAGE when a
 * style's filter refers to a column the layer does not have (a missing
 * label or size column only logs a warning). \p view (minx, miny, maxx,
 * maxy; NULL: none) is the world the map shows: a household layer with
 * more points in it than opts->aggregate_above is read into hexagons
 * (aggregate.c). Call sg__layer_cleanup on all SG__THEME_LAYERS entries,
 * also on failure. */
sg_status sg__layers_load(sg_ctx *ctx, sg_store *store,
                          const sg_render_options *opts, const sg__theme *theme,
                          const double *view, sg__layer *layers, size_t *n);

/** The non-personal columns of \p layer (not fid, not geom), in table
 * order, from the store's export column list; \p has_geom receives
 * whether it has a geometry column. SG_ERR_NOT_FOUND for an unknown
 * layer. Caller owns *cols; free with sg__strv_free(). */
sg_status sg__layer_columns(sg_ctx *ctx, sg_store *store, const char *layer,
                            char ***cols, size_t *ncols, int *has_geom);

/** Free \p n strings of \p v and the array. NULL is a no-op. */
void sg__strv_free(char **v, size_t n);

/** \return 1 if every required layer of \p theme is present in \p store
 * with rows; else 0 with the reason in ctx. */
int sg__theme_ready(sg_ctx *ctx, sg_store *store, const sg__theme *theme);

/** Division \p code: its geometry (caller owns; sg__shape_cleanup) and
 * name (caller owns; free; may be NULL). SG_ERR_USAGE if there is none. */
sg_status sg__division_load(sg_ctx *ctx, sg_store *store, const char *code,
                            sg__shape *geom, char **name);

/** The extent the store records for the layers of \p theme, before any
 * is loaded: of its SG__TL_EXTENT layers, else of all its layers present
 * (the window the household hexagons are counted in; the frame drawn is
 * sg__map_data_extent of what was loaded). \return 1 and \p ext, or 0
 * if nothing has an extent. */
int sg__theme_extent(sg_ctx *ctx, sg_store *store, const sg__theme *theme,
                     double ext[4]);

/** The attribution for maps of \p store (see
 * sg_render_options_set_attribution). Caller owns; free(). NULL: none. */
char *sg__attribution(sg_ctx *ctx, sg_store *store,
                      const sg_render_options *opts);

/** Value of scalar member \p key of the JSON object text \p json (a flat
 * object as runs record them), as text into \p buf: strings unescaped for
 * the simple escapes, numbers as written. \return 1 if found. */
int sg__json_scalar(const char *json, const char *key, char *buf, size_t size);

/* ---- the map page
 * --------------------------------------------------------------- */

/** A label placed on a map (what sg__labels_draw drew, in order). */
typedef struct sg__placed {
    char *text;    /* owned */
    int layer;     /* index into sg__map.layers */
    double wx, wy; /* its anchor (label point) in the working CRS */
    double box[4]; /* x0, y0, x1, y1 in output pixels, with padding */
} sg__placed;

/** Everything needed to draw one map page. */
typedef struct sg__map {
    sg_ctx *ctx;
    const sg_render_options *opts;
    const sg__theme *theme;
    sg__layer layers[SG__THEME_LAYERS];
    size_t nlayers;
    int width, height; /* output pixels */
    double k;          /* output pixels per style pixel (dpi / 96) */
    double frame[4];   /* x, y, w, h in output pixels */
    double legend[4];  /* legend panel x, y, w, h */
    double extent[4];  /* world shown; fills the frame */
    double m_per_px;   /* world metres per output pixel */
    double denom;      /* scale denominator */
    int has_division;
    sg__shape division;  /* its outline when --division */
    char *division_name; /* owned; may be NULL */
    char *title;         /* owned */
    char *attribution;   /* owned; may be NULL */
    char date[32];
    int srid;
    /* label placement: boxes already taken (x0, y0, x1, y1) */
    double *boxes; /* owned */
    size_t nboxes, capboxes;
    double legend_scale; /* of the legend's text and symbols, last
                            drawing (1: the map's; down to 0.6) */
    int legend_complete; /* the last drawing's legend held every entry */
    sg__placed *placed;  /* owned; the labels of the last drawing */
    size_t nplaced, capplaced;
    long long labels, labels_skipped, missing_glyphs, features;
} sg__map;

/** World to page: (\p x, \p y) in the working CRS to output pixels. */
void sg__map_to_page(const sg__map *m, double x, double y, double *px,
                     double *py);

/** The extent of the data map \p m draws (its layers loaded): the box
 * of the features of its SG__TL_EXTENT layers, else of all its layers,
 * leaving out a join's shapes that no row matched. The frame is fitted
 * to it (sg__map_layout), so that the data fill the map, not the
 * township around them. A hook for maps that draw other features than
 * those loaded (aggregates): they widen \p ext with theirs.
 * \return 1 and \p ext, or 0 if nothing has an extent. */
int sg__map_data_extent(const sg__map *m, double ext[4]);

/** Lay out page \p m for world extent \p ext (its width, height and k
 * must be set): the frame, the legend panel, and the extent grown by 4 %
 * and fitted to the frame's shape. */
void sg__map_layout(sg__map *m, const double ext[4]);

/** Prepare map \p m for \p opts from \p store (layers, division, extent,
 * title, attribution, date). Free with sg__map_cleanup even on failure. */
sg_status sg__map_prepare(sg_ctx *ctx, sg_store *store,
                          const sg_render_options *opts, sg__map *m);

/** Draw map \p m onto \p cr (in output pixels; the caller scales for PDF).
 * \return SG_OK or the Cairo error as SG_ERR_INTERNAL. */
sg_status sg__map_draw(sg__map *m, cairo_t *cr);

/** Free what \p m owns. */
void sg__map_cleanup(sg__map *m);

/** Prepare map \p m as sg__map_prepare does, laid out for \p width x
 * \p height pixels when both > 0 (else the options' size). Free with
 * sg__map_cleanup even on failure. */
sg_status sg__map_prepare_sized(sg_ctx *ctx, sg_store *store,
                                const sg_render_options *opts, int width,
                                int height, sg__map *m);

/** \return how many features of prepared map \p m's layers lie in its
 * extent (those sg__map_draw would consider drawing), without drawing. */
long long sg__map_count_in_view(const sg__map *m);

/** Draw prepared map \p m as SVG text into a new buffer.
 * \param svg caller owns; free(). \param len its length. */
sg_status sg__map_to_svg(sg_ctx *ctx, sg__map *m, char **svg, size_t *len);

/** Draw prepared map \p m as an opaque PNG of its size times \p scale
 * (the same layout, drawn \p scale times finer) and hand the PNG bytes to
 * \p write with \p closure as they are encoded; the image is freed on
 * return. \p m may be drawn again afterwards. */
sg_status sg__map_to_png_stream(sg_ctx *ctx, sg__map *m, double scale,
                                cairo_write_func_t write, void *closure);

/* ---- drawing helpers (labels.c, legend.c)
 * ------------------------------------ */

/** Remember box (x0, y0, x1, y1) as taken for labels. */
void sg__map_take_box(sg__map *m, double x0, double y0, double x1, double y1);

/** \return 1 if the box is inside the frame and meets no taken box. */
int sg__map_box_free(const sg__map *m, double x0, double y0, double x1,
                     double y1);

/** Text style for sg__text_draw. */
typedef struct sg__textstyle {
    const char *family; /* NULL: Noto Sans CJK SC */
    double size;        /* output pixels */
    int bold, italic;
    sg__rgba color;
    double halo; /* halo radius in output pixels; 0: none */
    sg__rgba halo_color;
    double wrap; /* wrap at this width (output pixels); 0: none */
} sg__textstyle;

/** Measure \p text in style \p ts: width and height in output pixels. */
void sg__text_measure(sg__map *m, cairo_t *cr, const char *text,
                      const sg__textstyle *ts, double *w, double *h);

/** Draw \p text with its top-left corner at (\p x, \p y). Counts the
 * characters no font could draw in m->missing_glyphs. */
void sg__text_draw(sg__map *m, cairo_t *cr, const char *text,
                   const sg__textstyle *ts, double x, double y);

/** Forget the labels \p m placed (m->placed emptied, kept allocated). */
void sg__map_placed_clear(sg__map *m);

/** Place and draw the labels of every layer (top layer first, larger
 * features first), leaving out those that collide or leave the frame. */
void sg__labels_draw(sg__map *m, cairo_t *cr);

/** Reserve the boxes inside the frame that labels must avoid (scale bar,
 * north arrow). */
void sg__furniture_reserve(sg__map *m, cairo_t *cr);

/** Draw the title, frame, legend, scale bar, north arrow, date,
 * attribution, CRS and scale. */
void sg__furniture_draw(sg__map *m, cairo_t *cr);

/** Draw one symbolizer's swatch for the legend into box (x, y, w, h). */
void sg__symbol_swatch(sg__map *m, cairo_t *cr, const sg__symbolizer *s,
                       double x, double y, double w, double h);

/** Add a mark of kind \p mark and diameter \p size at (\p x, \p y) to
 * \p cr's path. \return 1 for a filled shape, 0 for line marks (cross,
 * x). */
int sg__mark_path(cairo_t *cr, sg__mark mark, double x, double y, double size);

/** Set \p c as the Cairo source colour. */
void sg__set_color(cairo_t *cr, const sg__rgba *c);

/* ---- text of maps and the report (i18n.c) ----------------------------------
 */

/** \return the text for \p key in \p lang ("zh" or "en"); the key itself
 * if unknown. Borrowed, static. */
const char *sg__tr(const char *lang, const char *key);

/** \return 1 if \p sg__tr knows \p key. */
int sg__tr_has(const char *key);

/** Today's date, local time, YYYY-MM-DD, into \p buf. */
void sg__today(char *buf, size_t size);

/* ---- growable text buffer
 * ---------------------------------------------------- */

typedef struct sg__buf {
    char *data; /* owned; NUL-terminated when not NULL */
    size_t len, cap;
    int failed; /* an allocation failed; later appends do nothing */
} sg__buf;

/** Append \p len bytes of \p s. */
void sg__buf_add(sg__buf *b, const char *s, size_t len);

/** Append NUL-terminated \p s (NULL: nothing). */
void sg__buf_puts(sg__buf *b, const char *s);

/** Append formatted text. Only for strings and integers: format
 * decimals with sg__fmt_num (STYLE rule 33). */
void sg__buf_printf(sg__buf *b, const char *fmt, ...) SG_PRINTF(2, 3);

/** Append \p s with &, <, >, " and ' escaped for HTML. NULL: nothing. */
void sg__buf_html(sg__buf *b, const char *s);

/** Format \p v with \p decimals decimals and a '.' whatever the locale. */
void sg__fmt_num(char *buf, size_t size, double v, int decimals);

/** Format whole number \p v (rounded) with its digits in groups of three
 * separated by a space, as on maps and scale bars: "1 000 000", "-12 345",
 * "661". */
void sg__fmt_grouped(char *buf, size_t size, double v);

#endif
