/* The field dictionary: every field of every layer with its Chinese and
 * English header, unit and the labels of its coded values (level 乡镇,
 * tier 红榜, household_toilet 卫生厕所 …), from data/dictionary/fields.csv
 * (data, not code; embedded at build time). Exports to spreadsheets, the
 * QGIS .qml aliases, maps, the report and `sanigrid show` read it, so a
 * field is called the same everywhere; GIS formats keep the canonical
 * field names.
 * SPDX-License-Identifier: MIT */
#ifndef SANIGRID_FIELDS_H
#define SANIGRID_FIELDS_H
#include "sanigrid/export.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/** The header of \p field of \p layer in \p lang ("zh" or "en"; NULL is
 * "zh"): the layer's own entry, else the entry for every layer ("*").
 * \return borrowed, static text; NULL when the dictionary does not know
 * the field. */
SG_API const char *sg_field_header(const char *layer, const char *field,
                                   const char *lang);

/** The unit of \p field of \p layer in Chinese (米, 户 …). \return
 * borrowed, static text; NULL when it has none. */
SG_API const char *sg_field_unit(const char *layer, const char *field);

/** The label of coded value \p value of \p field of \p layer in \p lang:
 * Chinese labels for "zh" (NULL is "zh"); for "en" the value itself.
 * \return borrowed, static text; NULL when the field has no label for
 * \p value. */
SG_API const char *sg_field_value_label(const char *layer, const char *field,
                                        const char *value, const char *lang);

/** The value map of \p field of \p layer: "code=label|code=label" in
 * Chinese. \return borrowed, static text; NULL when it has none. */
SG_API const char *sg_field_values(const char *layer, const char *field);

/** The \p i-th field (from 0, in the layer's column order) that the
 * dictionary lists for \p layer. \return borrowed, static text; NULL past
 * the last one or for a layer it does not list. */
SG_API const char *sg_field_name(const char *layer, size_t i);

#ifdef __cplusplus
}
#endif
#endif
