/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TDM_TYPE_APPLICATION (tdm_application_get_type ())
G_DECLARE_FINAL_TYPE (TdmApplication, tdm_application, TDM, APPLICATION, AdwApplication)

TdmApplication *tdm_application_new (void);

G_END_DECLS
