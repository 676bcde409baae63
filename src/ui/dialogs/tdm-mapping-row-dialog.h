/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

#include "tdm-types.h"

G_BEGIN_DECLS

/* The dialog that adds or edits one row of the mapping table: the Shopify
 * property by its label, the webshop field, the data type and the direction
 * chosen from lists of words, the Shopify paths under "Technical details".
 * It works on its own copy of the table, so that Cancel changes nothing;
 * every change is validated as the sync would read the table, and "apply"
 * is enabled only while the table with this row is valid.
 *
 * Responses: "cancel" and "apply". After "apply", take the table with
 * tdm_mapping_row_dialog_dup_table(). The fields have widget names for
 * tests: "shopify-property", "webshop-field", "data-type", "direction",
 * "shopify-read", "shopify-write", "technical-details" and "problem". */
#define TDM_TYPE_MAPPING_ROW_DIALOG (tdm_mapping_row_dialog_get_type ())
G_DECLARE_FINAL_TYPE (TdmMappingRowDialog, tdm_mapping_row_dialog, TDM, MAPPING_ROW_DIALOG,
                      AdwMessageDialog)

/* `table` is the mapping file's JSON (copied, never changed); `index` is
 * the row of `kind` to edit, or -1 for a new row at the end. */
TdmMappingRowDialog *tdm_mapping_row_dialog_new         (GtkWindow           *parent,
                                                         JsonNode            *table,
                                                         TdmKind              kind,
                                                         int                  index);
/* The table with the dialog's row as it stands (transfer full, a copy). */
JsonNode            *tdm_mapping_row_dialog_dup_table   (TdmMappingRowDialog *self);
/* Why the row cannot be applied yet, or NULL. */
const char          *tdm_mapping_row_dialog_get_problem (TdmMappingRowDialog *self);

G_END_DECLS
