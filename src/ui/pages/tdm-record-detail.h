/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#pragma once

#include <adwaita.h>
#include "tdm-context.h"
#include "tdm-store.h"

G_BEGIN_DECLS

/* The side pane of an entity page: one record's ids, status, problems,
 * pending conflicts (with the choice of value), the mapping rows with both
 * sides' values, and its history. Signals: "close", "changed" (a conflict
 * was resolved: the page refreshes). */
#define TDM_TYPE_RECORD_DETAIL (tdm_record_detail_get_type ())
G_DECLARE_FINAL_TYPE (TdmRecordDetail, tdm_record_detail, TDM, RECORD_DETAIL, GtkWidget)

void         tdm_record_detail_show     (TdmRecordDetail *self,
                                         TdmContext      *context,
                                         TdmStoreRow     *row);
TdmStoreRow *tdm_record_detail_get_row  (TdmRecordDetail *self);
/* The number of field rows shown after the last load (for tests). */
guint        tdm_record_detail_get_n_fields (TdmRecordDetail *self);
/* The state shown for a field: "same", "differs", "conflict", "not-writable",
 * or NULL when the field is not shown (for tests). */
const char  *tdm_record_detail_get_field_state (TdmRecordDetail *self,
                                                const char      *field);

G_END_DECLS
