/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#pragma once

#include <adwaita.h>
#include "tdm-context.h"

G_BEGIN_DECLS

#define TDM_TYPE_ACTIVITY_PAGE (tdm_activity_page_get_type ())
G_DECLARE_FINAL_TYPE (TdmActivityPage, tdm_activity_page, TDM, ACTIVITY_PAGE, GtkWidget)

void        tdm_activity_page_set_context (TdmActivityPage *self,
                                           TdmContext      *context);
/* "unconfigured", "empty" or "list". */
const char *tdm_activity_page_get_state   (TdmActivityPage *self);
void        tdm_activity_page_reload      (TdmActivityPage *self);
/* Writes every run and every record error as CSV; returns the rows written. */
void        tdm_activity_page_export_async  (TdmActivityPage     *self,
                                             GFile               *file,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
gssize      tdm_activity_page_export_finish (TdmActivityPage     *self,
                                             GAsyncResult        *result,
                                             GError             **error);
/* Rows shown after the last load (for tests). */
guint       tdm_activity_page_get_n_runs   (TdmActivityPage *self);
guint       tdm_activity_page_get_n_errors (TdmActivityPage *self);
guint       tdm_activity_page_get_n_review (TdmActivityPage *self);

G_END_DECLS
