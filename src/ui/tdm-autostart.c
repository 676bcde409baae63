/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-autostart"

#include "config.h"

#include "tdm-autostart.h"

#include <glib/gi18n.h>

#ifdef HAVE_LIBPORTAL
#include <libportal-gtk4/portal-gtk4.h>
#endif

struct _TdmAutostart
{
  GObject                    parent_instance;

  GtkApplication            *app;        /* weak */
  GSettings                 *settings;
  TdmBackgroundPortalStatus  status;
  char                      *message;
  guint                      generation;   /* answers to older requests are ignored */
#ifdef HAVE_LIBPORTAL
  XdpPortal                 *portal;
#endif
};

G_DEFINE_FINAL_TYPE (TdmAutostart, tdm_autostart, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STATUS,
  PROP_MESSAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---- Status ---- */

static const char *
status_message (TdmBackgroundPortalStatus status)
{
  switch (status)
    {
    case TDM_BACKGROUND_PORTAL_NOT_REQUESTED:
      return _("Turn on “Keep syncing when the window is closed” to start Tandem when you log in.");
    case TDM_BACKGROUND_PORTAL_REQUESTING:
      return _("Asking your system to start Tandem when you log in…");
    case TDM_BACKGROUND_PORTAL_GRANTED:
      return _("Tandem starts in the background when you log in.");
    case TDM_BACKGROUND_PORTAL_WITHDRAWN:
      return _("Tandem no longer starts when you log in.");
    case TDM_BACKGROUND_PORTAL_DENIED:
      return _("Your system did not allow Tandem to start when you log in. You can allow it for Tandem in the system Settings under Apps.");
    case TDM_BACKGROUND_PORTAL_UNAVAILABLE:
    default:
      return _("Tandem cannot start by itself when you log in: this system has no Background portal. Add “tandem --background” to your desktop’s startup applications instead.");
    }
}

static void
set_status (TdmAutostart              *self,
            TdmBackgroundPortalStatus  status)
{
  const char *message = status_message (status);

  g_assert (TDM_IS_AUTOSTART (self));
  g_assert (status <= TDM_BACKGROUND_PORTAL_UNAVAILABLE);

  if (self->status == status && g_strcmp0 (self->message, message) == 0)
    return;

  self->status = status;
  g_free (self->message);
  self->message = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGE]);
}

/* ---- The portal ---- */

#ifdef HAVE_LIBPORTAL
typedef struct
{
  TdmAutostart *self;
  guint         generation;
  gboolean      autostart;
} PortalCall;

static void
portal_call_free (PortalCall *call)
{
  g_object_unref (call->self);
  g_free (call);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PortalCall, portal_call_free)

static void
on_background_requested_cb (GObject      *source,
                            GAsyncResult *result,
                            gpointer      user_data)
{
  g_autoptr(PortalCall) call = user_data;
  TdmAutostart *self = call->self;
  g_autoptr(GError) error = NULL;
  gboolean granted;

  g_assert (TDM_IS_AUTOSTART (self));

  granted = xdp_portal_request_background_finish (XDP_PORTAL (source), result, &error);

  /* A newer request replaced this one. */
  if (call->generation != self->generation)
    return;

  if (error != NULL)
    {
      g_debug ("Background portal: %s", error->message);
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_status (self, TDM_BACKGROUND_PORTAL_DENIED);  /* the user closed the dialog */
      else
        set_status (self, TDM_BACKGROUND_PORTAL_UNAVAILABLE);
    }
  else if (call->autostart)
    set_status (self, granted ? TDM_BACKGROUND_PORTAL_GRANTED : TDM_BACKGROUND_PORTAL_DENIED);
  else
    set_status (self, TDM_BACKGROUND_PORTAL_WITHDRAWN);
}

static XdpParent *
parent_window (TdmAutostart *self)
{
  GtkWindow *window;

  g_assert (TDM_IS_AUTOSTART (self));

  window = self->app != NULL ? gtk_application_get_active_window (self->app) : NULL;
  if (window == NULL || !gtk_widget_get_realized (GTK_WIDGET (window)))
    return NULL;
  return xdp_parent_new_gtk (window);
}
#endif

static void
request_autostart (TdmAutostart *self,
                   gboolean      autostart)
{
#ifdef HAVE_LIBPORTAL
  g_autoptr(GPtrArray) commandline = g_ptr_array_new_with_free_func (g_free);
  XdpParent *parent;
  PortalCall *call;

  g_assert (TDM_IS_AUTOSTART (self));

  /* Not cancelled: libportal 0.6 drops a cancelled request's task without
   * an answer. A newer request just makes this one's answer stale. */
  self->generation++;

  if (self->portal == NULL)
    self->portal = xdp_portal_new ();

  g_ptr_array_add (commandline, g_strdup ("tandem"));
  g_ptr_array_add (commandline, g_strdup ("--background"));

  call = g_new0 (PortalCall, 1);
  call->self = g_object_ref (self);
  call->generation = self->generation;
  call->autostart = autostart;

  set_status (self, TDM_BACKGROUND_PORTAL_REQUESTING);
  parent = parent_window (self);
  xdp_portal_request_background (self->portal, parent,
                                 _("Tandem keeps your webshop and your Shopify store in step while its window is closed."),
                                 commandline,
                                 autostart ? XDP_BACKGROUND_FLAG_AUTOSTART
                                           : XDP_BACKGROUND_FLAG_NONE,
                                 NULL, on_background_requested_cb, call);
  g_clear_pointer (&parent, xdp_parent_free);
#else
  g_assert (TDM_IS_AUTOSTART (self));

  set_status (self, autostart ? TDM_BACKGROUND_PORTAL_UNAVAILABLE
                              : TDM_BACKGROUND_PORTAL_NOT_REQUESTED);
#endif
}

static void
on_run_in_background_changed_cb (GSettings    *settings,
                                 const char   *key,
                                 TdmAutostart *self)
{
  g_assert (TDM_IS_AUTOSTART (self));

  request_autostart (self, g_settings_get_boolean (settings, "run-in-background") &&
                           g_settings_get_boolean (settings, "start-at-login"));
}

/* ---- GObject ---- */

static void
tdm_autostart_dispose (GObject *object)
{
  TdmAutostart *self = TDM_AUTOSTART (object);

  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->settings);
  g_clear_weak_pointer (&self->app);
#ifdef HAVE_LIBPORTAL
  g_clear_object (&self->portal);
#endif

  G_OBJECT_CLASS (tdm_autostart_parent_class)->dispose (object);
}

static void
tdm_autostart_finalize (GObject *object)
{
  TdmAutostart *self = TDM_AUTOSTART (object);

  g_free (self->message);

  G_OBJECT_CLASS (tdm_autostart_parent_class)->finalize (object);
}

static void
tdm_autostart_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  TdmAutostart *self = TDM_AUTOSTART (object);

  switch (prop_id)
    {
    case PROP_STATUS:
      g_value_set_uint (value, self->status);
      break;
    case PROP_MESSAGE:
      g_value_set_string (value, self->message);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tdm_autostart_class_init (TdmAutostartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tdm_autostart_dispose;
  object_class->finalize = tdm_autostart_finalize;
  object_class->get_property = tdm_autostart_get_property;

  properties[PROP_STATUS] =
    g_param_spec_uint ("status", NULL, NULL,
                       0, TDM_BACKGROUND_PORTAL_UNAVAILABLE, TDM_BACKGROUND_PORTAL_NOT_REQUESTED,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MESSAGE] =
    g_param_spec_string ("message", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tdm_autostart_init (TdmAutostart *self)
{
  self->status = TDM_BACKGROUND_PORTAL_NOT_REQUESTED;
  self->message = g_strdup (status_message (self->status));
}

/* ---- Public ---- */

TdmAutostart *
tdm_autostart_new (GtkApplication *app,
                   GSettings      *settings)
{
  TdmAutostart *self;

  g_return_val_if_fail (GTK_IS_APPLICATION (app), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (TDM_TYPE_AUTOSTART, NULL);
  g_set_weak_pointer (&self->app, app);
  self->settings = g_object_ref (settings);
  g_signal_connect (settings, "changed::run-in-background",
                    G_CALLBACK (on_run_in_background_changed_cb), self);
  g_signal_connect (settings, "changed::start-at-login",
                    G_CALLBACK (on_run_in_background_changed_cb), self);
  if (g_settings_get_boolean (settings, "run-in-background") &&
      g_settings_get_boolean (settings, "start-at-login"))
    request_autostart (self, TRUE);

  return self;
}

TdmBackgroundPortalStatus
tdm_autostart_get_status (TdmAutostart *self)
{
  g_return_val_if_fail (TDM_IS_AUTOSTART (self), TDM_BACKGROUND_PORTAL_UNAVAILABLE);

  return self->status;
}

const char *
tdm_autostart_get_message (TdmAutostart *self)
{
  g_return_val_if_fail (TDM_IS_AUTOSTART (self), NULL);

  return self->message;
}
