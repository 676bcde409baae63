/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#pragma once

#include <adwaita.h>
#include "tdm-context.h"
#include "tdm-record-model.h"
#include "tdm-record-detail.h"

G_BEGIN_DECLS

#define TDM_TYPE_ENTITY_PAGE (tdm_entity_page_get_type ())
G_DECLARE_FINAL_TYPE (TdmEntityPage, tdm_entity_page, TDM, ENTITY_PAGE, GtkWidget)

/* One page class for the three record kinds; "kind" is "customer",
 * "product" or "order" (construct-only). */
TdmEntityPage  *tdm_entity_page_new          (TdmKind        kind);
TdmKind         tdm_entity_page_get_kind     (TdmEntityPage *self);
void            tdm_entity_page_set_context  (TdmEntityPage *self,
                                              TdmContext    *context);
/* The name of the visible state: "unconfigured", "empty", "list" or
 * "no-results". */
const char     *tdm_entity_page_get_state    (TdmEntityPage *self);
void            tdm_entity_page_focus_search (TdmEntityPage *self);
/* Reads the rows again (after a sync run or a resolved conflict). */
void            tdm_entity_page_reload       (TdmEntityPage *self);

/* For tests and the benchmark. */
TdmRecordModel *tdm_entity_page_get_model    (TdmEntityPage *self);
GtkColumnView  *tdm_entity_page_get_column_view (TdmEntityPage *self);
void            tdm_entity_page_set_search   (TdmEntityPage *self,
                                              const char    *text);
void            tdm_entity_page_set_status_filter (TdmEntityPage *self,
                                                   TdmLinkStatus  status);
void            tdm_entity_page_show_detail  (TdmEntityPage *self,
                                              guint          position);
TdmRecordDetail *tdm_entity_page_get_detail  (TdmEntityPage *self);
/* Searches for the record with `id` on `side` and opens its details once
 * the rows are read (the Activity page links here). */
void            tdm_entity_page_reveal_record (TdmEntityPage *self,
                                               TdmSide        side,
                                               const char    *id);

/* Writes the rows the page shows (search, filter and sort as they are) to
 * `file` as CSV (UTF-8, a header line, RFC 4180 quoting) on a worker
 * thread. Returns the number of rows written, or -1 with `error` set. */
void            tdm_entity_page_export_async  (TdmEntityPage       *self,
                                               GFile               *file,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
gssize          tdm_entity_page_export_finish (TdmEntityPage       *self,
                                               GAsyncResult        *result,
                                               GError             **error);

G_END_DECLS
