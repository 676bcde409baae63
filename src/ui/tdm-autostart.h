/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* What the Background portal answered about starting at login. */
typedef enum {
  TDM_BACKGROUND_PORTAL_NOT_REQUESTED,  /* run-in-background is off; nothing asked */
  TDM_BACKGROUND_PORTAL_REQUESTING,     /* waiting for the portal's answer */
  TDM_BACKGROUND_PORTAL_GRANTED,        /* Tandem starts with `tandem --background` at login */
  TDM_BACKGROUND_PORTAL_WITHDRAWN,      /* autostart withdrawn after the setting was turned off */
  TDM_BACKGROUND_PORTAL_DENIED,         /* the portal or the user said no */
  TDM_BACKGROUND_PORTAL_UNAVAILABLE,    /* no Background portal answered (or built without libportal) */
} TdmBackgroundPortalStatus;

/* Autostart at login through the Background portal (libportal), following
 * the run-in-background setting: turned on, Tandem asks to be started with
 * `tandem --background`; turned off, it withdraws. See docs/architecture.md
 * § Entry points.
 *
 * Properties (read-only, notify): "status" (guint, TdmBackgroundPortalStatus),
 * "message" (string: a sentence for Preferences). */
#define TDM_TYPE_AUTOSTART (tdm_autostart_get_type ())
G_DECLARE_FINAL_TYPE (TdmAutostart, tdm_autostart, TDM, AUTOSTART, GObject)

/* `app`'s active window (not owned) parents the portal's dialog. Asks at
 * once when run-in-background is on. */
TdmAutostart              *tdm_autostart_new         (GtkApplication *app,
                                                      GSettings      *settings);
TdmBackgroundPortalStatus  tdm_autostart_get_status  (TdmAutostart   *self);
const char                *tdm_autostart_get_message (TdmAutostart   *self);

G_END_DECLS
