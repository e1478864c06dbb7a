/* Internal view of the village sheets: the options, what one village's
 * sheet shows (read from the store by sheets.c), and the page drawing
 * (sheets_draw.c) that lays it out on A4 with the map of render/map.c.
 * Not for: the CLI (include/sanigrid/sheets.h).
 * SPDX-License-Identifier: MIT */
#ifndef SG_SHEETS_INT_H
#define SG_SHEETS_INT_H

#include "geom/geos_int.h"
#include "render/render_int.h"
#include "sanigrid/sheets.h"
#include "store/sheets_sql_int.h"

#define SG__SHEETS_MAX_DIVISIONS 4096

struct sg_sheets_options {
    char **divisions; /* owned; NULL-free array of ndiv codes */
    size_t ndiv;
    char *png_dir; /* owned; NULL: no PNG */
    char *date;    /* owned; NULL: today */
    int personal;  /* print names */
};

/* A cleaner row of a sheet. */
typedef struct sg__sheet_cleaner {
    char *id;   /* owned */
    char *name; /* owned; NULL without personal data */
    int planned, have_work, color_class;
    double road_km;
    long long households, residents;
    char *roads; /* owned: named roads with km, longest first */
    char *grids; /* owned: grid codes' last digits */
} sg__sheet_cleaner;

/* A grid of a sheet. */
typedef struct sg__sheet_grid {
    char *code, *name, *leader; /* owned; leader NULL without personal */
    int has_leader;
    long long households; /* -1: not computed */
    sg__shape geom;       /* owned */
    int has_pole;         /* pole set: its label point (pole.c) */
    double pole[2], area;
} sg__sheet_grid;

/* One village's sheet. */
typedef struct sg__sheet {
    char *code, *name, *parent; /* owned */
    sg__sheet_cleaner *cleaners;
    size_t ncleaners, capcleaners;
    sg__sheet_grid *grids;
    size_t ngrids, capgrids;
    sg__sheet_figures fig;
    sg_ctx *ctx; /* borrowed, while loading (GEOS) */
} sg__sheet;

/* What every page shares. */
typedef struct sg__sheet_ctx {
    const sg_sheets_options *opts;
    sg__map *map; /* prepared for theme village; its division
                     is the sheet's village */
    sg__map text; /* a blank map for sg__text_* (language, glyph
                     count) */
    char date[32];
    int have_coverage_run; /* a coverage run is recorded */
    double radius_m;       /* its radius; 0 unknown */
    int network;           /* its metric: by road */
} sg__sheet_ctx;

/* Page size in page units (CSS pixels at 96 dpi): A4. */
#define SG__A4_W (210.0 / 25.4 * 96.0)
#define SG__A4_H (297.0 / 25.4 * 96.0)

/** How many cleaner rows fit on page \p page (0 = the first, with the
 * map) of a sheet. */
size_t sg__sheet_rows_per_page(int page);

/** Draw page \p page of \p npages of sheet \p sh onto \p cr (in page
 * units), with cleaner rows \p row0 .. \p row1 - 1. */
sg_status sg__sheet_draw_page(sg__sheet_ctx *sc, cairo_t *cr,
                              const sg__sheet *sh, int page, int npages,
                              size_t row0, size_t row1);

#endif
