/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-background"

#include "config.h"

#include "tdm-background.h"

#include <glib/gi18n.h>

#ifdef HAVE_LIBPORTAL
#include <libportal-gtk4/portal-gtk4.h>
#endif

#include "tdm-shopify-json.h"
#include "tdm-store.h"
#include "tdm-window.h"

/* Shopify supports each API version for at least 12 months; warn this many
 * days before the end. */
#define API_VERSION_WARN_DAYS 90

struct _TdmBackground
{
  GObject                    parent_instance;

  TdmApplication            *app;        /* not owned: the application owns us */
  TdmContext                *context;    /* nullable */
  GSettings                 *settings;

  /* What the owner was already told (this process). */
  gint64                     open_conflicts[TDM_N_KINDS];
  gboolean                   conflicts_known;
  guint                      last_errors;
  char                      *first_record_error;
  gboolean                   auth_notified;
  gboolean                   api_version_notified;

  gboolean                   hidden_hold;

  /* Autostart. */
  TdmBackgroundPortalStatus  portal_status;
  char                      *portal_message;
  guint                      portal_generation;   /* answers to older requests are ignored */
#ifdef HAVE_LIBPORTAL
  XdpPortal                 *portal;
#endif
};

G_DEFINE_FINAL_TYPE (TdmBackground, tdm_background, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PORTAL_STATUS,
  PROP_PORTAL_MESSAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const kind_pages[TDM_N_KINDS] = {
  [TDM_KIND_CUSTOMER] = "customers",
  [TDM_KIND_PRODUCT] = "products",
  [TDM_KIND_ORDER] = "orders",
};

#define BACKGROUND_KEY "tdm-background"
#define HIDDEN_KEY     "tdm-background-hidden-start"

/* ---- windows -------------------------------------------------------------- */

static TdmWindow *
find_main_window (TdmBackground *self)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self->app)); l != NULL; l = l->next)
    {
      if (TDM_IS_WINDOW (l->data))
        return TDM_WINDOW (l->data);
    }
  return NULL;
}

gboolean
tdm_background_is_unattended (TdmBackground *self)
{
  g_return_val_if_fail (TDM_IS_BACKGROUND (self), TRUE);

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self->app)); l != NULL; l = l->next)
    {
      if (TDM_IS_WINDOW (l->data) &&
          gtk_widget_get_visible (GTK_WIDGET (l->data)) &&
          gtk_window_is_active (GTK_WINDOW (l->data)))
        return FALSE;
    }
  return TRUE;
}

/* ---- app.show-page ---------------------------------------------------------- */

static void
show_page_activated (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  TdmBackground *self = user_data;
  const char *page = g_variant_get_string (parameter, NULL);
  TdmWindow *window;

  /* Creates the window when there is none and presents it. */
  g_application_activate (G_APPLICATION (self->app));

  if (g_str_equal (page, "preferences"))
    {
      g_action_group_activate_action (G_ACTION_GROUP (self->app), "preferences", NULL);
      return;
    }

  window = find_main_window (self);
  if (window != NULL)
    gtk_widget_activate_action (GTK_WIDGET (window), "win.page", "s", page);
}

static const GActionEntry background_actions[] = {
  { "show-page", show_page_activated, "s" },
};

/* ---- notifications ------------------------------------------------------------ */

static void
send_notification (TdmBackground         *self,
                   const char            *id,
                   const char            *title,
                   const char            *body,
                   const char            *page,
                   GNotificationPriority  priority)
{
  g_autoptr(GNotification) notification = g_notification_new (title);

  g_notification_set_body (notification, body);
  g_notification_set_priority (notification, priority);
  g_notification_set_default_action_and_target (notification, "app.show-page", "s", page);
  g_debug ("Notification %s for the %s page", id, page);
  g_application_send_notification (G_APPLICATION (self->app), id, notification);
}

/* Open conflicts per kind in the store; FALSE when they cannot be counted. */
static gboolean
count_open_conflicts (TdmBackground *self,
                      gint64         out[TDM_N_KINDS])
{
  TdmRecordStore *store;

  if (self->context == NULL)
    return FALSE;

  store = tdm_context_get_store (self->context);
  if (!TDM_IS_STORE (store))
    return FALSE;

  for (guint k = 0; k < TDM_N_KINDS; k++)
    {
      gint64 counts[TDM_N_LINK_STATUS] = { 0 };
      g_autoptr(GError) error = NULL;

      if (!tdm_store_count_by_status (TDM_STORE (store), k, counts, &error))
        {
          g_debug ("Could not count conflicts: %s", error->message);
          return FALSE;
        }
      out[k] = counts[TDM_LINK_STATUS_CONFLICT];
    }
  return TRUE;
}

static void
check_new_conflicts (TdmBackground       *self,
                     const TdmSyncCounts *counts,
                     gboolean             notify)
{
  gint64 now[TDM_N_KINDS] = { 0 };
  gint64 added = 0;
  const char *page = "activity";
  g_autofree char *body = NULL;

  if (count_open_conflicts (self, now))
    {
      for (guint k = 0; k < TDM_N_KINDS; k++)
        {
          gint64 before = self->conflicts_known ? self->open_conflicts[k] : 0;

          if (now[k] > before)
            {
              if (added == 0)
                page = kind_pages[k];
              added += now[k] - before;
            }
          self->open_conflicts[k] = now[k];
        }
      self->conflicts_known = TRUE;
    }
  else if (counts != NULL)
    {
      added = counts->conflicts;
    }

  if (!notify || added <= 0)
    return;

  /* Translators: a desktop notification after a background sync; %u is a number of records. */
  body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%u record was changed differently in your webshop and in Shopify. Open Tandem to choose which values to keep.",
                                       "%u records were changed differently in your webshop and in Shopify. Open Tandem to choose which values to keep.",
                                       (gulong) added),
                          (guint) added);
  send_notification (self, "conflicts", _("Conflicts Need Your Decision"), body, page,
                     G_NOTIFICATION_PRIORITY_NORMAL);
}

static void
check_record_errors (TdmBackground       *self,
                     const TdmSyncCounts *counts)
{
  g_autofree char *body = NULL;
  guint errors = counts->errors;
  guint before = self->last_errors;

  self->last_errors = errors;
  /* The same records failing again on every tick are not news. */
  if (errors == 0 || errors <= before)
    return;

  /* Translators: %u is a number of records, %s the first record's error as a full sentence. */
  if (self->first_record_error != NULL)
    body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "%u record could not be synced. %s Open Tandem to see what to correct.",
                                         "%u records could not be synced. The first: %s Open Tandem to see what to correct.",
                                         errors),
                            errors, self->first_record_error);
  else
    body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "%u record could not be synced. Open Tandem to see what to correct.",
                                         "%u records could not be synced. Open Tandem to see what to correct.",
                                         errors),
                            errors);
  send_notification (self, "record-errors", _("Some Records Were Not Synced"), body, "activity",
                     G_NOTIFICATION_PRIORITY_NORMAL);
}

static void
check_api_version (TdmBackground *self)
{
  g_autofree char *version = NULL;
  g_autofree char *body = NULL;
  g_autoptr(GDateTime) now = NULL;
  gint64 days = 0;

  if (self->api_version_notified)
    return;

  version = g_settings_get_string (self->settings, "shopify-api-version");
  now = g_date_time_new_now_utc ();
  if (!tdm_shopify_api_version_days_left (version, now, &days) || days >= API_VERSION_WARN_DAYS)
    return;

  self->api_version_notified = TRUE;
  if (days < 0)
    body = g_strdup_printf (_("Shopify no longer guarantees support for API version %s. Choose a newer API version in Preferences so that syncing keeps working."),
                            version);
  else
    /* Translators: %s is a Shopify API version such as 2026-10, %d a number of days. */
    body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "Shopify supports API version %s for only %d more day. Choose a newer API version in Preferences so that syncing keeps working.",
                                         "Shopify supports API version %s for only %d more days. Choose a newer API version in Preferences so that syncing keeps working.",
                                         (gulong) days),
                            version, (int) days);
  send_notification (self, "shopify-api-version", _("Shopify API Version Ending"), body,
                     "preferences", G_NOTIFICATION_PRIORITY_NORMAL);
}

static void
notify_auth (TdmBackground *self,
             const GError  *error)
{
  g_autofree char *body = NULL;

  if (self->auth_notified)
    return;
  self->auth_notified = TRUE;

  /* Translators: %s is the sentence saying which side refused the credentials. */
  body = g_strdup_printf (_("%s Background syncing waits until you update the credentials in Preferences."),
                          error->message);
  send_notification (self, "credentials", _("Tandem Cannot Sign In"), body, "preferences",
                     G_NOTIFICATION_PRIORITY_HIGH);
}

/* ---- runs ------------------------------------------------------------------ */

static void
on_record_error_cb (TdmSyncEngine  *engine,
                    TdmRecordError *error,
                    TdmBackground  *self)
{
  if (self->first_record_error == NULL && error != NULL && error->message != NULL)
    self->first_record_error = g_strdup (error->message);
}

static void
on_engine_state_cb (TdmSyncEngine *engine,
                    GParamSpec    *pspec,
                    TdmBackground *self)
{
  if (tdm_sync_engine_get_state (engine) == TDM_ENGINE_RUNNING)
    g_clear_pointer (&self->first_record_error, g_free);
}

static void
on_run_finished_cb (TdmSyncScheduler *scheduler,
                    gboolean          success,
                    gpointer          counts_ptr,
                    gpointer          error_ptr,
                    TdmBackground    *self)
{
  const TdmSyncCounts *counts = counts_ptr;
  const GError *error = error_ptr;
  gboolean unattended = tdm_background_is_unattended (self);

  g_debug ("Timer run finished (%s, %s)", success ? "success" : "failed",
           unattended ? "unattended" : "watched");

  /* Another run was under way (`tandem --sync-now` from a system timer on
   * the same state, or the window's own): this tick was skipped, nothing
   * else is wrong. */
  if (!success && (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BUSY) ||
                   g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PENDING)))
    return;

  if (success)
    {
      self->auth_notified = FALSE;
      check_new_conflicts (self, counts, unattended);
      if (unattended)
        check_record_errors (self, counts);
      else
        self->last_errors = counts->errors;
    }
  else if (unattended && g_error_matches (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_AUTH))
    notify_auth (self, error);

  if (unattended)
    check_api_version (self);
}

/* ---- autostart through the Background portal -------------------------------- */

static void
set_portal_status (TdmBackground             *self,
                   TdmBackgroundPortalStatus  status)
{
  const char *message = NULL;

  switch (status)
    {
    case TDM_BACKGROUND_PORTAL_NOT_REQUESTED:
      message = _("Turn on “Keep syncing when the window is closed” to start Tandem when you log in.");
      break;
    case TDM_BACKGROUND_PORTAL_REQUESTING:
      message = _("Asking your system to start Tandem when you log in…");
      break;
    case TDM_BACKGROUND_PORTAL_GRANTED:
      message = _("Tandem starts in the background when you log in.");
      break;
    case TDM_BACKGROUND_PORTAL_WITHDRAWN:
      message = _("Tandem no longer starts when you log in.");
      break;
    case TDM_BACKGROUND_PORTAL_DENIED:
      message = _("Your system did not allow Tandem to start when you log in. You can allow it for Tandem in the system Settings under Apps.");
      break;
    case TDM_BACKGROUND_PORTAL_UNAVAILABLE:
    default:
      message = _("Tandem cannot start by itself when you log in: this system has no Background portal. Add “tandem --background” to your desktop’s startup applications instead.");
      break;
    }

  if (self->portal_status == status && g_strcmp0 (self->portal_message, message) == 0)
    return;

  self->portal_status = status;
  g_free (self->portal_message);
  self->portal_message = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PORTAL_STATUS]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PORTAL_MESSAGE]);
}

#ifdef HAVE_LIBPORTAL
typedef struct
{
  TdmBackground *self;
  guint          generation;
  gboolean       autostart;
} PortalCall;

static void
portal_call_free (PortalCall *call)
{
  g_object_unref (call->self);
  g_free (call);
}

static void
on_background_requested_cb (GObject      *source,
                            GAsyncResult *result,
                            gpointer      user_data)
{
  PortalCall *call = user_data;
  TdmBackground *self = call->self;
  g_autoptr(GError) error = NULL;
  gboolean granted;

  granted = xdp_portal_request_background_finish (XDP_PORTAL (source), result, &error);

  /* A newer request replaced this one. */
  if (call->generation != self->portal_generation)
    {
      portal_call_free (call);
      return;
    }

  if (error != NULL)
    {
      g_debug ("Background portal: %s", error->message);
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_portal_status (self, TDM_BACKGROUND_PORTAL_DENIED);  /* the user closed the dialog */
      else
        set_portal_status (self, TDM_BACKGROUND_PORTAL_UNAVAILABLE);
    }
  else if (call->autostart)
    set_portal_status (self, granted ? TDM_BACKGROUND_PORTAL_GRANTED : TDM_BACKGROUND_PORTAL_DENIED);
  else
    set_portal_status (self, TDM_BACKGROUND_PORTAL_WITHDRAWN);

  portal_call_free (call);
}
#endif

static void
request_autostart (TdmBackground *self,
                   gboolean       autostart)
{
#ifdef HAVE_LIBPORTAL
  g_autoptr(GPtrArray) commandline = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *reason = NULL;
  XdpParent *parent = NULL;
  GtkWindow *window;
  PortalCall *call;

  /* Not cancelled: libportal 0.6 drops a cancelled request's task without
   * an answer. A newer request just makes this one's answer stale. */
  self->portal_generation++;

  if (self->portal == NULL)
    self->portal = xdp_portal_new ();

  g_ptr_array_add (commandline, g_strdup ("tandem"));
  g_ptr_array_add (commandline, g_strdup ("--background"));

  window = gtk_application_get_active_window (GTK_APPLICATION (self->app));
  if (window != NULL && gtk_widget_get_realized (GTK_WIDGET (window)))
    parent = xdp_parent_new_gtk (window);

  reason = g_strdup (_("Tandem keeps your webshop and your Shopify store in step while its window is closed."));

  call = g_new0 (PortalCall, 1);
  call->self = g_object_ref (self);
  call->generation = self->portal_generation;
  call->autostart = autostart;

  set_portal_status (self, TDM_BACKGROUND_PORTAL_REQUESTING);
  xdp_portal_request_background (self->portal, parent, reason, commandline,
                                 autostart ? XDP_BACKGROUND_FLAG_AUTOSTART : XDP_BACKGROUND_FLAG_NONE,
                                 NULL, on_background_requested_cb, call);
  if (parent != NULL)
    xdp_parent_free (parent);
#else
  set_portal_status (self, autostart ? TDM_BACKGROUND_PORTAL_UNAVAILABLE
                                     : TDM_BACKGROUND_PORTAL_NOT_REQUESTED);
#endif
}

static void
on_run_in_background_changed_cb (GSettings     *settings,
                                 const char    *key,
                                 TdmBackground *self)
{
  request_autostart (self, g_settings_get_boolean (settings, "run-in-background"));
}

/* ---- settings ---------------------------------------------------------------- */

/* A new API version is told about again when it nears its end. */
static void
on_api_version_changed_cb (GSettings     *settings,
                           const char    *key,
                           TdmBackground *self)
{
  self->api_version_notified = FALSE;
}

/* Once the owner opens the window, closing it follows run-in-background
 * like in any other session: the windowless start's hold ends. */
static void
on_window_added_cb (GtkApplication *app,
                    GtkWindow      *window,
                    TdmBackground  *self)
{
  if (self->hidden_hold && TDM_IS_WINDOW (window))
    {
      self->hidden_hold = FALSE;
      g_application_release (G_APPLICATION (app));
    }
}

/* The services close with the application, not when it is finalized. */
static void
release_context (TdmBackground *self)
{
  if (self->context != NULL)
    {
      g_signal_handlers_disconnect_by_data (tdm_context_get_engine (self->context), self);
      g_signal_handlers_disconnect_by_data (tdm_context_get_scheduler (self->context), self);
    }
  g_clear_object (&self->context);
}

static void
on_shutdown_cb (GApplication  *app,
                TdmBackground *self)
{
  release_context (self);
}

/* ---- GObject ------------------------------------------------------------------ */

static void
tdm_background_dispose (GObject *object)
{
  TdmBackground *self = TDM_BACKGROUND (object);

  release_context (self);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
#ifdef HAVE_LIBPORTAL
  g_clear_object (&self->portal);
#endif
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (tdm_background_parent_class)->dispose (object);
}

static void
tdm_background_finalize (GObject *object)
{
  TdmBackground *self = TDM_BACKGROUND (object);

  g_free (self->first_record_error);
  g_free (self->portal_message);

  G_OBJECT_CLASS (tdm_background_parent_class)->finalize (object);
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
      g_value_set_uint (value, self->portal_status);
      break;
    case PROP_PORTAL_MESSAGE:
      g_value_set_string (value, self->portal_message);
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
  object_class->finalize = tdm_background_finalize;
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
  self->portal_status = TDM_BACKGROUND_PORTAL_NOT_REQUESTED;
}

/* ---- public ----------------------------------------------------------------- */

TdmBackground *
tdm_background_attach (TdmApplication *app,
                       TdmContext     *context)
{
  TdmBackground *self;

  g_return_val_if_fail (TDM_IS_APPLICATION (app), NULL);
  g_return_val_if_fail (context == NULL || TDM_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (tdm_background_get_for_application (app) == NULL, NULL);

  self = g_object_new (TDM_TYPE_BACKGROUND, NULL);
  self->app = app;
  self->settings = g_object_ref (tdm_application_get_settings (app));
  g_object_set_data_full (G_OBJECT (app), BACKGROUND_KEY, self, g_object_unref);

  g_action_map_add_action_entries (G_ACTION_MAP (app), background_actions,
                                   G_N_ELEMENTS (background_actions), self);
  g_signal_connect_object (app, "shutdown", G_CALLBACK (on_shutdown_cb), self, 0);
  g_signal_connect_object (app, "window-added", G_CALLBACK (on_window_added_cb), self, 0);

  g_signal_connect_object (self->settings, "changed::run-in-background",
                           G_CALLBACK (on_run_in_background_changed_cb), self, 0);
  set_portal_status (self, TDM_BACKGROUND_PORTAL_NOT_REQUESTED);
  if (g_settings_get_boolean (self->settings, "run-in-background"))
    request_autostart (self, TRUE);

  if (context == NULL)
    return self;

  self->context = g_object_ref (context);
  g_signal_connect_object (self->settings, "changed::shopify-api-version",
                           G_CALLBACK (on_api_version_changed_cb), self, 0);
  g_signal_connect_object (tdm_context_get_engine (context), "record-error",
                           G_CALLBACK (on_record_error_cb), self, 0);
  g_signal_connect_object (tdm_context_get_engine (context), "notify::state",
                           G_CALLBACK (on_engine_state_cb), self, 0);
  g_signal_connect_object (tdm_context_get_scheduler (context), "run-finished",
                           G_CALLBACK (on_run_finished_cb), self, 0);

  /* What is already open is not news. */
  check_new_conflicts (self, NULL, FALSE);

  return self;
}

TdmBackground *
tdm_background_get_for_application (TdmApplication *app)
{
  g_return_val_if_fail (TDM_IS_APPLICATION (app), NULL);

  return g_object_get_data (G_OBJECT (app), BACKGROUND_KEY);
}

int
tdm_background_handle_option (TdmApplication *app)
{
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (TDM_IS_APPLICATION (app), 1);

  g_object_set_data (G_OBJECT (app), HIDDEN_KEY, GINT_TO_POINTER (TRUE));
  if (!g_application_register (G_APPLICATION (app), NULL, &error))
    {
      g_printerr (_("Tandem could not start in the background: %s\n"), error->message);
      return 1;
    }

  /* Tandem already runs and keeps syncing: nothing to open. */
  if (g_application_get_is_remote (G_APPLICATION (app)))
    return 0;

  return -1;
}

gboolean
tdm_background_claim_hidden_start (TdmApplication *app)
{
  TdmBackground *self;
  TdmContext *context;

  g_return_val_if_fail (TDM_IS_APPLICATION (app), FALSE);

  if (g_object_get_data (G_OBJECT (app), HIDDEN_KEY) == NULL)
    return FALSE;
  g_object_set_data (G_OBJECT (app), HIDDEN_KEY, NULL);

  context = tdm_application_get_context (app);
  if (context == NULL)
    {
      const GError *error = tdm_application_get_context_error (app);

      g_printerr (_("Tandem could not start in the background: %s\n"),
                  error != NULL ? error->message : "");
      return TRUE;   /* nothing holds the application: it ends */
    }

  tdm_context_start_scheduler (context);

  /* Kept running until Quit, like a closed window with run-in-background on. */
  self = tdm_background_get_for_application (app);
  if (self != NULL && !self->hidden_hold)
    {
      self->hidden_hold = TRUE;
      g_application_hold (G_APPLICATION (app));
    }
  return TRUE;
}

TdmBackgroundPortalStatus
tdm_background_get_portal_status (TdmBackground *self)
{
  g_return_val_if_fail (TDM_IS_BACKGROUND (self), TDM_BACKGROUND_PORTAL_UNAVAILABLE);

  return self->portal_status;
}

const char *
tdm_background_get_portal_message (TdmBackground *self)
{
  g_return_val_if_fail (TDM_IS_BACKGROUND (self), NULL);

  return self->portal_message;
}

GtkWidget *
tdm_background_create_portal_row (TdmBackground *self)
{
  GtkWidget *row;

  g_return_val_if_fail (TDM_IS_BACKGROUND (self), NULL);

  row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Start at Login"));
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  g_object_bind_property (self, "portal-message", row, "subtitle", G_BINDING_SYNC_CREATE);
  return row;
}

void
tdm_background_add_portal_row (GtkWidget *background_switch)
{
  GApplication *app = g_application_get_default ();
  TdmBackground *self;
  GtkWidget *group;

  g_return_if_fail (GTK_IS_WIDGET (background_switch));

  if (!TDM_IS_APPLICATION (app))
    return;
  self = tdm_background_get_for_application (TDM_APPLICATION (app));
  group = gtk_widget_get_ancestor (background_switch, ADW_TYPE_PREFERENCES_GROUP);
  if (self == NULL || group == NULL)
    return;

  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), tdm_background_create_portal_row (self));
}
