/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-background"

#include "config.h"

#include "tdm-background.h"

#include "tdm-notifier.h"
#include "tdm-window.h"

struct _TdmBackground
{
  GObject         parent_instance;

  GtkApplication *app;        /* weak: the application owns us */
  TdmContext     *context;    /* nullable; let go at shutdown */
  TdmNotifier    *notifier;   /* NULL without a context */
  TdmAutostart   *autostart;
};

G_DEFINE_FINAL_TYPE (TdmBackground, tdm_background, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PORTAL_STATUS,
  PROP_PORTAL_MESSAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---- The timer's runs ---- */

/* What a finished timer run tells the owner: nothing while they watch the
 * window (it shows toasts), else what is news since the last run. */
static void
tell_run_outcome (TdmBackground       *self,
                  gboolean             success,
                  const TdmSyncCounts *counts,
                  const GError        *error)
{
  gboolean unattended = tdm_background_is_unattended (self);

  g_assert (TDM_IS_NOTIFIER (self->notifier));
  g_assert (success || error != NULL);

  g_debug ("Timer run finished (%s, %s)", success ? "success" : "failed",
           unattended ? "unattended" : "watched");

  if (success)
    {
      tdm_notifier_note_signed_in (self->notifier);
      tdm_notifier_note_conflicts (self->notifier, counts, unattended);
      tdm_notifier_note_record_errors (self->notifier, counts, unattended);
    }
  else if (unattended && g_error_matches (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_AUTH))
    tdm_notifier_note_rejected_credentials (self->notifier, error);

  if (unattended)
    tdm_notifier_check_api_version (self->notifier);
}

static void
on_run_finished_cb (TdmSyncScheduler *scheduler,
                    gboolean          success,
                    gpointer          counts,
                    gpointer          error,
                    TdmBackground    *self)
{
  g_assert (TDM_IS_BACKGROUND (self));
  g_assert (counts != NULL);

  /* Another run was under way (`tandem --sync-now` from a system timer on
   * the same state, or the window's own): this tick was skipped, nothing
   * else is wrong. */
  if (!success && (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BUSY) ||
                   g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PENDING)))
    return;

  tell_run_outcome (self, success, counts, error);
}

/* The services close with the application, not when it is finalized. */
static void
release_services (TdmBackground *self)
{
  g_assert (TDM_IS_BACKGROUND (self));

  if (self->context != NULL)
    g_signal_handlers_disconnect_by_data (tdm_context_get_scheduler (self->context), self);
  g_clear_object (&self->notifier);
  g_clear_object (&self->context);
}

static void
on_shutdown_cb (GApplication  *app,
                TdmBackground *self)
{
  release_services (self);
}

/* ---- Autostart ---- */

static void
on_autostart_changed_cb (TdmAutostart  *autostart,
                         GParamSpec    *pspec,
                         TdmBackground *self)
{
  g_assert (TDM_IS_BACKGROUND (self));

  if (g_str_equal (pspec->name, "status"))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PORTAL_STATUS]);
  else
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PORTAL_MESSAGE]);
}

/* ---- GObject ---- */

static void
tdm_background_dispose (GObject *object)
{
  TdmBackground *self = TDM_BACKGROUND (object);

  release_services (self);
  if (self->autostart != NULL)
    g_signal_handlers_disconnect_by_data (self->autostart, self);
  g_clear_object (&self->autostart);
  g_clear_weak_pointer (&self->app);

  G_OBJECT_CLASS (tdm_background_parent_class)->dispose (object);
}

static void
tdm_background_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  TdmBackground *self = TDM_BACKGROUND (object);

  switch (prop_id)
    {
    case PROP_PORTAL_STATUS:
      g_value_set_uint (value, tdm_background_get_portal_status (self));
      break;
    case PROP_PORTAL_MESSAGE:
      g_value_set_string (value, tdm_background_get_portal_message (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tdm_background_class_init (TdmBackgroundClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tdm_background_dispose;
  object_class->get_property = tdm_background_get_property;

  properties[PROP_PORTAL_STATUS] =
    g_param_spec_uint ("portal-status", NULL, NULL,
                       0, TDM_BACKGROUND_PORTAL_UNAVAILABLE, TDM_BACKGROUND_PORTAL_NOT_REQUESTED,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PORTAL_MESSAGE] =
    g_param_spec_string ("portal-message", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tdm_background_init (TdmBackground *self)
{
}

/* ---- Public ---- */

TdmBackground *
tdm_background_new (GtkApplication *app,
                    GSettings      *settings,
                    TdmContext     *context)
{
  TdmBackground *self;

  g_return_val_if_fail (GTK_IS_APPLICATION (app), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (context == NULL || TDM_IS_CONTEXT (context), NULL);

  self = g_object_new (TDM_TYPE_BACKGROUND, NULL);
  g_set_weak_pointer (&self->app, app);
  g_signal_connect_object (app, "shutdown", G_CALLBACK (on_shutdown_cb), self, 0);

  self->autostart = tdm_autostart_new (app, settings);
  g_signal_connect (self->autostart, "notify::status", G_CALLBACK (on_autostart_changed_cb), self);
  g_signal_connect (self->autostart, "notify::message", G_CALLBACK (on_autostart_changed_cb), self);

  if (context == NULL)
    return self;

  self->context = g_object_ref (context);
  self->notifier = tdm_notifier_new (G_APPLICATION (app), context);
  g_signal_connect (tdm_context_get_scheduler (context), "run-finished",
                    G_CALLBACK (on_run_finished_cb), self);

  return self;
}

TdmBackgroundPortalStatus
tdm_background_get_portal_status (TdmBackground *self)
{
  g_return_val_if_fail (TDM_IS_BACKGROUND (self), TDM_BACKGROUND_PORTAL_UNAVAILABLE);

  return tdm_autostart_get_status (self->autostart);
}

const char *
tdm_background_get_portal_message (TdmBackground *self)
{
  g_return_val_if_fail (TDM_IS_BACKGROUND (self), NULL);

  return tdm_autostart_get_message (self->autostart);
}

gboolean
tdm_background_is_unattended (TdmBackground *self)
{
  g_return_val_if_fail (TDM_IS_BACKGROUND (self), TRUE);

  if (self->app == NULL)
    return TRUE;

  for (GList *l = gtk_application_get_windows (self->app); l != NULL; l = l->next)
    {
      if (TDM_IS_WINDOW (l->data) &&
          gtk_widget_get_visible (GTK_WIDGET (l->data)) &&
          gtk_window_is_active (GTK_WINDOW (l->data)))
        return FALSE;
    }
  return TRUE;
}
