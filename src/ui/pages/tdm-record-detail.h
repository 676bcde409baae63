/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#pragma once

#include <adwaita.h>
#include "tdm-context.h"
#include "tdm-store.h"

G_BEGIN_DECLS

/* The side pane of an entity page, in the owner's words: one record's
 * status, pending conflicts (with the choice of value, Undo and Write Now),
 * problems, both shops' values side by side, its history, and its ids and
 * property paths behind "Technical details". Signals: "close", "changed"
 * (a conflict was settled or a choice taken back: the page refreshes). */
#define TDM_TYPE_RECORD_DETAIL (tdm_record_detail_get_type ())
G_DECLARE_FINAL_TYPE (TdmRecordDetail, tdm_record_detail, TDM, RECORD_DETAIL, GtkWidget)

void         tdm_record_detail_show     (TdmRecordDetail *self,
                                         TdmContext      *context,
                                         TdmStoreRow     *row);
TdmStoreRow *tdm_record_detail_get_row  (TdmRecordDetail *self);
/* Is a record being read for the panel (for tests)? */
gboolean     tdm_record_detail_is_loading (TdmRecordDetail *self);
/* The toast of the last choice made in a conflict, while it shows, with
 * its Undo button (for tests). */
AdwToast    *tdm_record_detail_get_toast (TdmRecordDetail *self);
/* The number of field rows shown after the last load (for tests). */
guint        tdm_record_detail_get_n_fields (TdmRecordDetail *self);
/* The state shown for a field: "same", "differs", "conflict", "settled" (a
 * choice not written yet), "not-writable", "one-side" (the record is in one
 * shop only), "problem" (a record error names it: its value could not be
 * used), or NULL when the field is not shown: identity rows (under
 * Technical details) and fields empty in both shops (for tests). */
const char  *tdm_record_detail_get_field_state (TdmRecordDetail *self,
                                                const char      *field);

G_END_DECLS
