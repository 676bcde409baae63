/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#pragma once

#include <adwaita.h>
#include "tdm-application.h"

G_BEGIN_DECLS

/* Autostart at login through the Background portal. */
typedef enum {
  TDM_BACKGROUND_PORTAL_NOT_REQUESTED,  /* run-in-background is off; nothing asked */
  TDM_BACKGROUND_PORTAL_REQUESTING,     /* waiting for the portal's answer */
  TDM_BACKGROUND_PORTAL_GRANTED,        /* Tandem starts with `tandem --background` at login */
  TDM_BACKGROUND_PORTAL_WITHDRAWN,      /* autostart withdrawn after the setting was turned off */
  TDM_BACKGROUND_PORTAL_DENIED,         /* the portal or the user said no */
  TDM_BACKGROUND_PORTAL_UNAVAILABLE,    /* no Background portal answered (or built without libportal) */
} TdmBackgroundPortalStatus;

/* Everything about running in the background, for one TdmApplication:
 * what the owner hears of the timer's runs (which go through
 * tdm_context_sync_async like every run), `--background` starts without a
 * window, autostart at
 * login through the Background portal, and notifications from runs the
 * owner is not watching (conflicts under `ask`, record errors, rejected
 * credentials, the Shopify API version nearing its end of support).
 * Clicking a notification activates app.show-page::<page> ("activity",
 * "customers", "orders", "products" or "preferences").
 *
 * Properties (read-only, notify): "portal-status" (guint,
 * TdmBackgroundPortalStatus), "portal-message" (string: a sentence for
 * Preferences). */
#define TDM_TYPE_BACKGROUND (tdm_background_get_type ())
G_DECLARE_FINAL_TYPE (TdmBackground, tdm_background, TDM, BACKGROUND, GObject)

/* Called once from GApplication::startup; `context` may be NULL (the
 * services failed), then only the actions are installed. The application
 * owns the result. */
TdmBackground             *tdm_background_attach               (TdmApplication *app,
                                                                TdmContext     *context);
/* NULL before tdm_background_attach(). */
TdmBackground             *tdm_background_get_for_application  (TdmApplication *app);

/* For handle-local-options when `--background` is given: registers the
 * application. Returns 0 when another instance already runs (nothing to
 * do), -1 to let this instance go on without a window. */
int                        tdm_background_handle_option        (TdmApplication *app);
/* For GApplication::activate: TRUE once when this activation is the
 * windowless `--background` start (the timer runs, the window stays
 * closed, the application is held); the caller then returns without a
 * window. Once a window opens later, closing it follows run-in-background. */
gboolean                   tdm_background_claim_hidden_start   (TdmApplication *app);

TdmBackgroundPortalStatus  tdm_background_get_portal_status    (TdmBackground  *self);
const char                *tdm_background_get_portal_message   (TdmBackground  *self);
/* An AdwActionRow "Start at Login" showing the portal status, kept up to date. */
GtkWidget                 *tdm_background_create_portal_row    (TdmBackground  *self);
/* For Preferences: adds that row to the group holding `background_switch`
 * (the run-in-background switch), when the default application is a
 * TdmApplication with background support attached; otherwise nothing. */
void                       tdm_background_add_portal_row       (GtkWidget      *background_switch);

/* TRUE when the owner is not looking at Tandem: no main window is visible
 * and active. Runs then notify instead of showing toasts. */
gboolean                   tdm_background_is_unattended        (TdmBackground  *self);

G_END_DECLS
