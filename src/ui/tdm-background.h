/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#pragma once

#include <adwaita.h>
#include "tdm-autostart.h"
#include "tdm-context.h"

G_BEGIN_DECLS

/* Running with no window, for one application: what the owner hears of the
 * timer's runs (desktop notifications through TdmNotifier when nobody
 * watches the window) and autostart at login (TdmAutostart). The timer's
 * runs themselves go through tdm_context_sync_async like every other run
 * (docs/architecture.md § How a run is started).
 *
 * Properties (read-only, notify): "portal-status" (guint,
 * TdmBackgroundPortalStatus), "portal-message" (string: a sentence for
 * Preferences' "Start at Login" row). */
#define TDM_TYPE_BACKGROUND (tdm_background_get_type ())
G_DECLARE_FINAL_TYPE (TdmBackground, tdm_background, TDM, BACKGROUND, GObject)

/* Created by the application in GApplication::startup (not owned: `app`
 * owns the result). `context` may be NULL (the services failed): only
 * autostart works then. The services are let go at `app`'s shutdown. */
TdmBackground             *tdm_background_new                 (GtkApplication *app,
                                                               GSettings      *settings,
                                                               TdmContext     *context);
TdmBackgroundPortalStatus  tdm_background_get_portal_status   (TdmBackground  *self);
const char                *tdm_background_get_portal_message  (TdmBackground  *self);
/* TRUE when the owner is not looking at Tandem: no main window is visible
 * and active. Runs then notify instead of showing toasts. */
gboolean                   tdm_background_is_unattended       (TdmBackground  *self);

G_END_DECLS
