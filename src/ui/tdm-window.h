/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#pragma once

#include <adwaita.h>
#include "tdm-application.h"

G_BEGIN_DECLS

#define TDM_TYPE_WINDOW (tdm_window_get_type ())
G_DECLARE_FINAL_TYPE (TdmWindow, tdm_window, TDM, WINDOW, AdwApplicationWindow)

TdmWindow  *tdm_window_new              (TdmApplication *application);
void        tdm_window_add_toast        (TdmWindow      *self,
                                         const char     *text);
/* A toast with a button that shows one of the window's pages. */
void        tdm_window_add_toast_showing (TdmWindow      *self,
                                          const char     *text,
                                          const char     *button_label,
                                          const char     *page);
/* "customers", "orders", "products" or "activity". */
const char *tdm_window_get_visible_page (TdmWindow      *self);
GtkWidget  *tdm_window_get_page         (TdmWindow      *self,
                                         const char     *name);
/* The text of the last toast shown (for tests), or NULL. */
const char *tdm_window_get_last_toast   (TdmWindow      *self);
guint       tdm_window_get_n_toasts     (TdmWindow      *self);
/* The newest toast while it shows (for tests: its button), or NULL. */
AdwToast   *tdm_window_get_shown_toast  (TdmWindow      *self);

G_END_DECLS
