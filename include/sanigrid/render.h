/* Maps and the report: styled maps of a store's layers (PNG, SVG, PDF)
 * drawn with Cairo and Pango from OGC SLD styles, and one self-contained
 * HTML report that puts each analysis's map beside its tables. Also the
 * styles themselves, so that an exported layer can carry the same look
 * into QGIS.
 * Not for: analyses (they write the layers drawn here) or exporting data.
 * SPDX-License-Identifier: MIT */
#ifndef SANIGRID_RENDER_H
#define SANIGRID_RENDER_H
#include "sanigrid/export.h"

#include <stddef.h>
#include "sanigrid/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- maps --------------------------------------------------------------- */

/** What a map shows: each analysis's answer, drawn from its layers. */
typedef enum sg_render_theme {
    SG_RENDER_THEME_GRIDS = 0,      /**< grids, gaps and overlaps (check) */
    SG_RENDER_THEME_COVERAGE = 1,   /**< coverage by collection points */
    SG_RENDER_THEME_STAFFING = 2,   /**< cleaner staffing shortfall */
    SG_RENDER_THEME_ALLOCATION = 3, /**< cleaners' service areas */
    SG_RENDER_THEME_PLAN = 4,       /**< proposed grids */
    SG_RENDER_THEME_SITES = 5,      /**< proposed collection points */
    SG_RENDER_THEME_RANKING = 6,    /**< ranking, red and black lists */
    SG_RENDER_THEME_ROUTES = 7,     /**< collection routes */
    SG_RENDER_THEME_VILLAGE = 8     /**< the map of a village sheet
                                         (sheets.h); not listed by
                                         sg_render_theme_names() */
} sg_render_theme;

/** The theme named \p name ("grids", "coverage", "staffing",
 * "allocation", "plan", "sites", "ranking", "routes", "village") into
 * *\p out. Fails with SG_ERR_USAGE (naming the value) for anything else,
 * *\p out unchanged. */
SG_API sg_status sg_render_theme_from_string(sg_ctx *ctx, const char *name,
                                             sg_render_theme *out);

/** \return the name of \p theme, or NULL when out of range. Static. */
SG_API const char *sg_render_theme_to_string(sg_render_theme theme);

/** The file format of a map. 0 is no format: "from the output path's
 * extension" where an option takes one. */
typedef enum sg_render_format {
    SG_RENDER_FORMAT_PNG = 1,
    SG_RENDER_FORMAT_SVG = 2,
    SG_RENDER_FORMAT_PDF = 3
} sg_render_format;

/** The format named \p name ("png", "svg" or "pdf", in any case) into
 * *\p out. Fails with SG_ERR_USAGE (naming the option and the value) for
 * anything else, *\p out unchanged. */
SG_API sg_status sg_render_format_from_string(sg_ctx *ctx, const char *name,
                                              sg_render_format *out);

/** \return "png", "svg" or "pdf" for \p format, or NULL for another
 * value. Static. */
SG_API const char *sg_render_format_to_string(sg_render_format format);

/** \return the format of \p path's extension (.png, .svg, .pdf, in any
 * case), or 0 when it has none of them. */
SG_API sg_render_format sg_render_format_for_path(const char *path);

typedef struct sg_render_options sg_render_options;

/** Defaults: theme "grids", whole data extent, 1600 x 1130 pixels at 96
 * dpi, format from the output's extension, Chinese text, today's date,
 * attribution from the store (see sg_render_options_set_attribution).
 * Caller owns; free with sg_render_options_free(). NULL when out of
 * memory. */
SG_API sg_render_options *sg_render_options_new(void);

/** Free \p opts. NULL is a no-op. */
SG_API void sg_render_options_free(sg_render_options *opts);

/** Theme (sg_render_theme_from_string() reads a name). Fails with
 * SG_ERR_USAGE for a value out of range. */
SG_API sg_status sg_render_options_set_theme(sg_ctx *ctx,
                                             sg_render_options *opts,
                                             sg_render_theme theme);

/** \return the theme set in \p opts (not NULL). */
SG_API sg_render_theme
sg_render_options_get_theme(const sg_render_options *opts);

/** Show the extent of division \p code (a division_code of layer
 * divisions), veil everything outside it and label only what is inside;
 * NULL: the extent of all the data. */
SG_API sg_status sg_render_options_set_division(sg_ctx *ctx,
                                                sg_render_options *opts,
                                                const char *code);

/** Output size in pixels (PNG) or in pixels at the resolution (SVG pages
 * are that many CSS pixels; PDF pages get the same physical size:
 * width / dpi inches). Each side 200..20000; SG_ERR_USAGE otherwise. */
SG_API sg_status sg_render_options_set_size(sg_ctx *ctx,
                                            sg_render_options *opts, int width,
                                            int height);

/** Resolution, 36..1200 dpi (default 96): sizes in styles are pixels at
 * 96 dpi and scale with it; the scale denominator uses it too. */
SG_API sg_status sg_render_options_set_dpi(sg_ctx *ctx, sg_render_options *opts,
                                           double dpi);

/** Use the SLD file at \p path instead of the built-in style of one layer
 * of the theme: the layer named by the file's NamedLayer/Name if the theme
 * draws it, else the theme's main layer. May be called once per layer
 * (at most 16 files). The file is read and checked now: SG_ERR_IO_OPEN if
 * it cannot be read, SG_ERR_IO_FORMAT if it is not an SLD in the
 * supported subset. */
SG_API sg_status sg_render_options_add_style(sg_ctx *ctx,
                                             sg_render_options *opts,
                                             const char *path);

/** Title above the map (default: the theme's title, after the division's
 * name when one is shown). NULL restores the default. */
SG_API sg_status sg_render_options_set_title(sg_ctx *ctx,
                                             sg_render_options *opts,
                                             const char *title);

/** Language of the map's text and the report: "zh" (default) or "en". */
SG_API sg_status sg_render_options_set_lang(sg_ctx *ctx,
                                            sg_render_options *opts,
                                            const char *lang);

/** The output's format; 0 (the default): from the output path's
 * extension. Fails with SG_ERR_USAGE for another value. */
SG_API sg_status sg_render_options_set_format(sg_ctx *ctx,
                                              sg_render_options *opts,
                                              sg_render_format format);

/** Date printed on the map and report, as given (at most 31 bytes;
 * default: today, local time, YYYY-MM-DD). For reproducible output. */
SG_API sg_status sg_render_options_set_date(sg_ctx *ctx,
                                            sg_render_options *opts,
                                            const char *date);

/** Data attribution printed on the map (e.g. "© OpenStreetMap
 * contributors"). Default: the store's setting map.attribution if it has
 * one, else "© OpenStreetMap contributors" when a layer was imported from
 * OpenStreetMap data (a source whose name says osm or openstreetmap, or
 * one beside an ODbL licence file LICENSE-ODbL.txt), else none. ""
 * prints none; NULL restores the default. */
SG_API sg_status sg_render_options_set_attribution(sg_ctx *ctx,
                                                   sg_render_options *opts,
                                                   const char *text);

/** For the report: the directory holding Leaflet's leaflet.min.js (or
 * leaflet.js) and leaflet.css, inlined into the interactive map section.
 * Default (NULL): /usr/share/javascript/leaflet, where Debian's
 * libjs-leaflet puts them. Missing files leave the section with a note
 * and log a warning; the report is still written. */
SG_API sg_status sg_render_options_set_leaflet_dir(sg_ctx *ctx,
                                                   sg_render_options *opts,
                                                   const char *dir);

/** For the report: a map with more than \p n features in view (every
 * layer of its theme counted) is embedded as a PNG image drawn at twice
 * its size instead of inline SVG, so that a county-wide map stays light
 * in the browser; so is a map whose SVG would pass 10 MB. Default 20000;
 * 0 embeds every map as PNG. Ignored by sg_render(). Fails with
 * SG_ERR_USAGE for a negative \p n. */
SG_API sg_status sg_render_options_set_svg_max_features(sg_ctx *ctx,
                                                        sg_render_options *opts,
                                                        long long n);

/** Draw a layer of households (households, coverage) as hexagons, each
 * in the colour of the class most of its households have and more opaque
 * the more it holds, when more than \p n of them lie in view: a county's
 * hundreds of thousands of dots are a carpet, and holding them took
 * hundreds of MB. The legend says so. Default 20000; 0 aggregates always.
 * Fails with SG_ERR_USAGE for a negative \p n. */
SG_API sg_status sg_render_options_set_aggregate_above(sg_ctx *ctx,
                                                       sg_render_options *opts,
                                                       long long n);

/** What sg_render() drew. */
typedef struct sg_render_result {
    sg_render_theme theme;
    sg_render_format format;
    int width, height; /* output size in pixels */
    double dpi;
    long long features;       /* features drawn (inside the extent) */
    long long labels;         /* labels placed */
    long long labels_skipped; /* labels left out: they collided */
    long long missing_glyphs; /* characters no font could draw (0 is
                                 expected; more means a font is missing) */
    double scale_denominator; /* 1 : n at the given dpi */
    double extent[4];         /* minx, miny, maxx, maxy shown, working CRS;
                                 exactly fills the frame */
    double frame[4];          /* x, y, width, height of the map frame in
                                 output pixels (y down) */
    int srid;                 /* working CRS */
    /* households drawn aggregated (sg_render_options_set_aggregate_above);
     * aggregated_layer (owned) NULL if none: that layer's points in a
     * square twice the map's extent were counted into aggregated_cells
     * pointy-top hexagons of circumradius hexagon_radius_m, hexagon (q, r)
     * centred at origin + R * (sqrt(3) * (q + r / 2), 1.5 * r) */
    char *aggregated_layer;
    long long aggregated_households;
    long long aggregated_cells;
    double hexagon_radius_m;
    double hexagon_origin[2];
} sg_render_result;

/** Draw the map of the theme chosen in \p opts from \p store into \p path
 * (PNG, SVG or PDF). Fails with SG_ERR_NOT_FOUND ("no layer grid_gaps:
 * run `sanigrid check` first") when a layer the theme needs is absent or
 * empty, SG_ERR_USAGE for a bad format, an unknown division or a style
 * that refers to a column the layer does not have, and SG_ERR_IO_WRITE
 * when the file cannot be written.
 * \param opts NULL for the defaults.
 * \param result may be NULL; receives the figures (NULL on failure);
 * caller owns; free with sg_render_result_free(). */
SG_API sg_status sg_render(sg_ctx *ctx, sg_store *store,
                           const sg_render_options *opts, const char *path,
                           sg_render_result **result);

/** Free \p result. NULL is a no-op. */
SG_API void sg_render_result_free(sg_render_result *result);

/** \return the names of the themes of `sanigrid render --theme` in
 * sg_render_theme order (all but village), NULL-terminated. Borrowed,
 * static. */
SG_API const char *const *sg_render_theme_names(void);

/** \return 1 if \p store has every layer theme \p theme needs, 0 if not
 * (or the theme is out of range). Leaves no error in \p ctx. */
SG_API int sg_render_theme_available(sg_ctx *ctx, sg_store *store,
                                     sg_render_theme theme);

/* ---- the report ------------------------------------------------------------
 */

typedef struct sg_report_result {
    int sections; /* analysis sections written */
    int maps;     /* maps (inline SVG or PNG) */
    int png_maps; /* of them, embedded as PNG (large maps) */
    int tables;   /* tables */
    int charts;   /* score history charts (units drawn) */
    int webmap;   /* 1: the interactive map is in the page; 0: Leaflet
                     was not found (a warning was logged) */
    long long webmap_villages, webmap_grids, webmap_points,
        webmap_cells; /* features of its layers (cells: households'
                         hexagons) */
    long long bytes;  /* size of the HTML file */
} sg_report_result;

/** Write one self-contained HTML file (maps as inline SVG, or as inline
 * PNG data when large, see sg_render_options_set_svg_max_features; inline
 * CSS and JS; nothing fetched from a network) with a section per analysis
 * present in \p store: its map beside its tables (at most a few hundred
 * rows each, the first ones in the table's order, with a note saying how
 * many there are), then the runs with their parameters and times.
 * Sections whose layers are absent are left out. The page is written to
 * "\p path.part" as it is built and renamed to \p path at the end; on
 * failure \p path is left as it was.
 * \p opts gives the language, date, attribution and SVG feature limit
 * (theme, division, size and styles are ignored; NULL: defaults).
 * \param result may be NULL; receives the figures (NULL on failure);
 * caller owns; free with sg_report_result_free(). */
SG_API sg_status sg_report(sg_ctx *ctx, sg_store *store,
                           const sg_render_options *opts, const char *path,
                           sg_report_result **result);

/** Free \p result. NULL is a no-op. */
SG_API void sg_report_result_free(sg_report_result *result);

/* ---- styles
 * ------------------------------------------------------------------ */

/** The built-in SLD style (SLD 1.1 / SE 1.1, the subset documented in
 * styles/README.md) of store layer \p layer, e.g. "grids", "coverage".
 * \param text receives the style's text, borrowed and static (NUL-
 * terminated). Fails with SG_ERR_NOT_FOUND if there is no style for it. */
SG_API sg_status sg_style_sld_for_layer(sg_ctx *ctx, const char *layer,
                                        const char **text);

/** Write the built-in style of \p layer beside an exported file: \p out
 * with its extension replaced by ".sld" (roads.geojson -> roads.sld),
 * replacing an earlier one. \param written may be NULL; receives 1 if a
 * style was written, 0 if the layer has none (which is not an error). */
SG_API sg_status sg_style_write_sidecar(sg_ctx *ctx, const char *layer,
                                        const char *out, int *written);

/** Write the built-in style of \p layer as a QGIS 3 layer style file
 * (.qml: a rule-based renderer with the SLD's filters, scale ranges and
 * symbols, and rule-based labels), which QGIS 3.22 and later load with
 * Layer Properties > Style > Load Style (or QgsVectorLayer.loadNamedStyle)
 * without the SLD import's losses. Pixel sizes become millimetres at
 * 96 dpi (styles/README.md lists what maps to what). \p path is
 * replaced if it exists. Fails with SG_ERR_NOT_FOUND if the layer has
 * no style and SG_ERR_IO_WRITE if \p path cannot be written. */
SG_API sg_status sg_style_write_qml(sg_ctx *ctx, const char *layer,
                                    const char *path);

/** As sg_style_write_sidecar(), for the QGIS style: write the built-in
 * style of \p layer as \p out with its extension replaced by ".qml"
 * (roads.geojson -> roads.qml), replacing an earlier one.
 * \param written may be NULL; receives 1 if a style was written, 0 if
 * the layer has none (which is not an error). */
SG_API sg_status sg_style_write_qml_sidecar(sg_ctx *ctx, const char *layer,
                                            const char *out, int *written);

#ifdef __cplusplus
}
#endif
#endif
