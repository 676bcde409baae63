/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#pragma once

#include <adwaita.h>
#include "tdm-context.h"

G_BEGIN_DECLS

/* The Mapping page of the preferences: per kind, the table "Webshop
 * property / Shopify property / Shopify data type / direction", each row by
 * its label with its data type and direction in words, with add, edit,
 * remove (with Undo) and reset to the default. Every change is validated with
 * tdm_mapping_new_from_data(); an invalid table is explained on the page, its
 * row marked, and cannot be saved. Saved through tdm_context_save_mapping().
 * docs/mapping.md, Editing the mapping. */
#define TDM_TYPE_MAPPING_PAGE (tdm_mapping_page_get_type ())
G_DECLARE_FINAL_TYPE (TdmMappingPage, tdm_mapping_page, TDM, MAPPING_PAGE, AdwPreferencesPage)

TdmMappingPage *tdm_mapping_page_new                 (TdmContext      *context);

/* The working copy: the number of rows of `kind`, sub-rows included. */
guint           tdm_mapping_page_get_n_rows          (TdmMappingPage  *self,
                                                      TdmKind          kind);
/* Replaces row `index` (0-based) of `kind` in the working copy; "shopify_write"
 * is dropped when `shopify_write` is NULL. Returns whether the table is valid. */
gboolean        tdm_mapping_page_set_row             (TdmMappingPage  *self,
                                                      TdmKind          kind,
                                                      guint            index,
                                                      const char      *webshop,
                                                      const char      *shopify,
                                                      const char      *shopify_write,
                                                      const char      *type,
                                                      const char      *direction);
/* Opens the row dialog (a TdmMappingRowDialog) for row `index` of `kind`
 * (-1: a new row) and returns it (transfer none). */
GtkWidget      *tdm_mapping_page_edit_row            (TdmMappingPage  *self,
                                                      TdmKind          kind,
                                                      int              index);
/* Removes the row, with the fields of its list or group, and offers Undo in
 * a toast of the preferences window. */
void            tdm_mapping_page_remove_row          (TdmMappingPage  *self,
                                                      TdmKind          kind,
                                                      guint            index);
/* NULL when the working copy is valid. */
const char     *tdm_mapping_page_get_problem         (TdmMappingPage  *self);
/* Does the working copy differ from the mapping in use? */
gboolean        tdm_mapping_page_has_unsaved_changes (TdmMappingPage  *self);
/* Unsaved changes and a valid working copy. */
gboolean        tdm_mapping_page_can_save            (TdmMappingPage  *self);
gboolean        tdm_mapping_page_save                (TdmMappingPage  *self,
                                                      GError         **error);
/* Back to the mapping in use. */
void            tdm_mapping_page_discard             (TdmMappingPage  *self);
gboolean        tdm_mapping_page_reset               (TdmMappingPage  *self,
                                                      GError         **error);
/* For the close-request of the window the page is in: with unsaved changes,
 * asks whether to save or discard them and returns TRUE (the window stays;
 * the page closes it after Save or Discard). Without, returns FALSE. */
gboolean        tdm_mapping_page_ask_before_close    (TdmMappingPage  *self,
                                                      GtkWindow       *window);
/* That question while it is open, else NULL (transfer none). */
GtkWindow      *tdm_mapping_page_get_close_question  (TdmMappingPage  *self);

G_END_DECLS
