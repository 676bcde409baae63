/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#pragma once

#include <adwaita.h>
#include "tdm-background.h"
#include "tdm-context.h"

G_BEGIN_DECLS

#define TDM_TYPE_PREFERENCES_WINDOW (tdm_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (TdmPreferencesWindow, tdm_preferences_window, TDM, PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

/* Construct-only properties: "context" (TdmContext, nullable: the services
 * failed to start, settings still work), "settings" (GSettings),
 * "background" (TdmBackground, nullable: no "Start at Login" row). */
TdmPreferencesWindow *tdm_preferences_window_new (TdmContext    *context,
                                                  GSettings     *settings,
                                                  TdmBackground *background);

/* NULL without a context. */
GtkWidget            *tdm_preferences_window_get_mapping_page (TdmPreferencesWindow *self);

/* Closes the window as its close button does: with typed text not applied
 * or mapping changes not saved, the owner is asked first (apply or save,
 * discard, or keep editing). Finishes with TRUE once the window has closed,
 * FALSE when the owner chose to keep editing (or a value was refused), and
 * G_IO_ERROR_PENDING while an earlier call still waits for an answer. */
void                  tdm_preferences_window_close_async      (TdmPreferencesWindow *self,
                                                               GCancellable         *cancellable,
                                                               GAsyncReadyCallback   callback,
                                                               gpointer              user_data);
gboolean              tdm_preferences_window_close_finish     (TdmPreferencesWindow *self,
                                                               GAsyncResult         *result,
                                                               GError              **error);

G_END_DECLS
