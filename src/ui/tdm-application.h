/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#pragma once

#include <adwaita.h>
#include "tdm-background.h"
#include "tdm-context.h"

G_BEGIN_DECLS

#define TDM_TYPE_APPLICATION (tdm_application_get_type ())
G_DECLARE_FINAL_TYPE (TdmApplication, tdm_application, TDM, APPLICATION, AdwApplication)

TdmApplication *tdm_application_new                (void);
/* Use this credential store instead of the keyring (tests, demo). Call it
 * before the application is registered. */
void            tdm_application_set_credentials    (TdmApplication     *self,
                                                    TdmCredentialStore *credentials);
GSettings      *tdm_application_get_settings       (TdmApplication     *self);
/* NULL when the services could not be set up; the error says why. */
TdmContext     *tdm_application_get_context        (TdmApplication     *self);
const GError   *tdm_application_get_context_error  (TdmApplication     *self);
/* The background service (notifications, autostart), created at startup;
 * NULL before it. */
TdmBackground  *tdm_application_get_background     (TdmApplication     *self);

G_END_DECLS
