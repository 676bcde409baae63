/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#pragma once

#include <adwaita.h>
#include "tdm-application.h"

G_BEGIN_DECLS

#define TDM_TYPE_WINDOW (tdm_window_get_type ())
G_DECLARE_FINAL_TYPE (TdmWindow, tdm_window, TDM, WINDOW, AdwApplicationWindow)

TdmWindow *tdm_window_new (TdmApplication *application);

G_END_DECLS
