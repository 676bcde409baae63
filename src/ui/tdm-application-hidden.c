/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-application"

#include "config.h"

#include <glib/gi18n.h>

#include "tdm-application-private.h"
#include "tdm-window.h"

/* `tandem --background`, what autostart at login runs: the application
 * starts with its timer and no window, and keeps running until Quit, like
 * a closed window with run-in-background on (docs/architecture.md § Entry
 * points). */

/* Once the owner opens the window, closing it follows run-in-background
 * like in any other session: the windowless start's hold ends. */
static void
on_window_added_cb (GtkApplication *app,
                    GtkWindow      *window,
                    gpointer        user_data)
{
  TdmApplication *self = TDM_APPLICATION (app);

  g_assert (GTK_IS_WINDOW (window));

  if (!self->hidden_hold || !TDM_IS_WINDOW (window))
    return;

  self->hidden_hold = FALSE;
  g_signal_handlers_disconnect_by_func (app, on_window_added_cb, NULL);
  g_application_release (G_APPLICATION (app));
}

int
_tdm_application_handle_background_option (TdmApplication *self)
{
  g_autoptr(GError) error = NULL;

  g_assert (TDM_IS_APPLICATION (self));

  self->hidden_start = TRUE;
  if (!g_application_register (G_APPLICATION (self), NULL, &error))
    {
      g_printerr (_("Tandem could not start in the background: %s\n"), error->message);
      return 1;
    }

  /* Tandem already runs and keeps syncing: nothing to open. */
  if (g_application_get_is_remote (G_APPLICATION (self)))
    return 0;

  return -1;
}

gboolean
_tdm_application_claim_hidden_start (TdmApplication *self)
{
  g_assert (TDM_IS_APPLICATION (self));

  if (!self->hidden_start)
    return FALSE;
  self->hidden_start = FALSE;

  if (self->context == NULL)
    {
      g_printerr (_("Tandem could not start in the background: %s\n"),
                  self->context_error != NULL ? self->context_error->message : "");
      return TRUE;   /* nothing holds the application: it ends */
    }

  tdm_context_start_scheduler (self->context);

  /* Kept running until Quit, like a closed window with run-in-background on. */
  if (!self->hidden_hold)
    {
      self->hidden_hold = TRUE;
      g_signal_connect (self, "window-added", G_CALLBACK (on_window_added_cb), NULL);
      g_application_hold (G_APPLICATION (self));
    }
  return TRUE;
}
