/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#pragma once

#include <json-glib/json-glib.h>

#include "tdm-mapping.h"

G_BEGIN_DECLS

/* Shared by the mapping page (tdm-mapping-page.c), its row dialog
 * (tdm-mapping-row-dialog.c), the table they edit (tdm-mapping-table.c) and
 * its words (tdm-mapping-words.c); not for use elsewhere. The table is the
 * mapping file's JSON (docs/mapping.md, File format); the page shows it in
 * a shop owner's words: rows by their label, data types and directions as
 * words, the Shopify paths only under "Technical details". */

/* The name of the mapping the page validates against (it names it in
 * problems). */
#define TDM_MAPPING_PAGE_SOURCE "mapping.json"

/* ---- The table (tdm-mapping-table.c) ---- */

/* An empty table: {"version": 1}. */
JsonNode   *_tdm_mapping_page_new_table         (void);
/* A copy that shares nothing with `node` (json_node_copy shares an
 * object's members). */
JsonNode   *_tdm_mapping_page_json_copy         (JsonNode    *node);
/* The kind's list of rows in `root`, created when missing (transfer none). */
JsonArray  *_tdm_mapping_page_kind_array        (JsonNode    *root,
                                                 TdmKind      kind);
/* Row `index` of `rows`, or NULL when it is not an object (transfer none). */
JsonObject *_tdm_mapping_page_table_row         (JsonArray   *rows,
                                                 guint        index);
/* A string member of a row, or NULL. */
const char *_tdm_mapping_page_row_string        (JsonObject  *row,
                                                 const char  *member);
/* Sets a string member, or removes it when `value` is NULL or "". */
void        _tdm_mapping_page_row_set_string    (JsonObject  *row,
                                                 const char  *member,
                                                 const char  *value);
/* The index of the list or group row a row belongs to ("addresses[]" for
 * "addresses[].city", "shipping_address" for "shipping_address.city"): the
 * nearest earlier row whose webshop path starts the row's path; -1 for a
 * top-level row. */
int         _tdm_mapping_page_row_parent_index  (JsonArray   *rows,
                                                 guint        index);
/* NULL when `root` is a valid mapping, else why not, as the sync would say
 * it (transfer full). */
char       *_tdm_mapping_page_validate          (JsonNode    *root);
/* The row that makes an invalid `root` invalid: its index (-1 when no row
 * is to blame), its kind and the validation's problem with it. */
int         _tdm_mapping_page_find_bad_row      (JsonNode    *root,
                                                 TdmKind     *out_kind,
                                                 char       **out_problem);

/* A removal that can be undone: the row and the fields of its list or
 * group, taken out of the table. */
typedef struct _TdmMappingRemoval TdmMappingRemoval;

TdmMappingRemoval *_tdm_mapping_page_remove_rows  (JsonNode          *root,
                                                   TdmKind            kind,
                                                   guint              index);
/* Puts them back where they were. */
void               _tdm_mapping_page_restore_rows (JsonNode          *root,
                                                   TdmMappingRemoval *removal);
void               _tdm_mapping_page_removal_free (TdmMappingRemoval *removal);

/* ---- Words (tdm-mapping-words.c) ---- */

/* A validation problem without the words that place it in row `number`
 * (1-based) of `kind`'s table, for where that row is already shown
 * (transfer full). */
char       *_tdm_mapping_page_strip_row_context (const char          *message,
                                                 TdmKind              kind,
                                                 guint                number);
/* The row's name for a shop owner (transfer full): its "label", else the
 * label of the default mapping's row with the same paths, else the last
 * part of its webshop path in words ("province_code" → "Province code").
 * Never a Shopify path. */
char       *_tdm_mapping_page_row_label         (TdmKind              kind,
                                                 JsonObject          *row);
/* The same for a row of a parsed mapping (tdm_mapping_row_get_label). */
char       *_tdm_mapping_page_mapping_row_label (TdmKind              kind,
                                                 const TdmMappingRow *row);
/* A Shopify data type in words: "Text", "Email", "Phone number", "Date and
 * time", "List of addresses"… A name Tandem does not know is named as such
 * (transfer full). */
char       *_tdm_mapping_page_type_label        (const char          *type_name);
/* The data types offered for `kind`, in the order of the list, by their
 * names in the file (NULL-terminated, static). */
const char * const *_tdm_mapping_page_type_choices (TdmKind           kind);

/* The directions of the list, in order: "both", "to_shopify",
 * "to_webshop", and NULL for "the same as its list or group". */
#define TDM_MAPPING_N_DIRECTIONS 4
const char *_tdm_mapping_page_direction_value   (guint                position);
/* The position of a "direction" value in that list (unknown → 0). */
guint       _tdm_mapping_page_direction_position (const char         *direction);
const char *_tdm_mapping_page_direction_label   (const char          *direction);
/* How a row is written ("writable"), in words, or NULL for "always". */
const char *_tdm_mapping_page_writable_label    (const char          *writable);

G_END_DECLS
