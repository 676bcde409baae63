/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-notifier"

#include "config.h"

#include "tdm-notifier.h"

#include <glib/gi18n.h>

#include "tdm-store.h"

/* Shopify supports each API version for at least 12 months; warn this many
 * days before the end (docs/shopify.md § Endpoints and auth). */
#define API_VERSION_WARN_DAYS 90

struct _TdmNotifier
{
  GObject        parent_instance;

  GApplication  *app;        /* weak */
  TdmContext    *context;
  GCancellable  *cancellable;

  /* What the owner was already told (this process). */
  gint64         open_conflicts[TDM_N_KINDS];
  gboolean       conflicts_known;
  guint          last_errors;
  char          *first_record_error;   /* of the current or last run */
  gboolean       auth_notified;
  gboolean       api_version_notified;
  gboolean       api_version_checking;
};

G_DEFINE_FINAL_TYPE (TdmNotifier, tdm_notifier, G_TYPE_OBJECT)

static const char * const kind_pages[TDM_N_KINDS] = {
  [TDM_KIND_CUSTOMER] = "customers",
  [TDM_KIND_PRODUCT] = "products",
  [TDM_KIND_ORDER] = "orders",
};

static void
send_notification (TdmNotifier           *self,
                   const char            *id,
                   const char            *title,
                   const char            *body,
                   const char            *page,
                   GNotificationPriority  priority)
{
  g_autoptr(GNotification) notification = NULL;

  g_assert (TDM_IS_NOTIFIER (self));
  g_assert (id != NULL && title != NULL && body != NULL && page != NULL);

  if (self->app == NULL)
    return;

  notification = g_notification_new (title);
  g_notification_set_body (notification, body);
  g_notification_set_priority (notification, priority);
  g_notification_set_default_action_and_target (notification, "app.show-page", "s", page);
  g_debug ("Notification %s for the %s page", id, page);
  g_application_send_notification (self->app, id, notification);
}

/* ---- Conflicts ---- */

/* Open conflicts per kind in the store; FALSE when they cannot be counted. */
static gboolean
count_open_conflicts (TdmNotifier *self,
                      gint64       out[TDM_N_KINDS])
{
  TdmRecordStore *store;

  g_assert (TDM_IS_NOTIFIER (self));

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

/* How many conflicts opened since the last count; `page` is the first
 * kind's page with new ones ("activity" when none). */
static gint64
count_new_conflicts (TdmNotifier  *self,
                     const char  **page)
{
  gint64 now[TDM_N_KINDS] = { 0 };
  gint64 added = 0;

  g_assert (TDM_IS_NOTIFIER (self));
  g_assert (self->context != NULL);

  if (!count_open_conflicts (self, now))
    return -1;

  for (guint k = 0; k < TDM_N_KINDS; k++)
    {
      gint64 before = self->conflicts_known ? self->open_conflicts[k] : 0;

      if (now[k] > before)
        {
          if (added == 0)
            *page = kind_pages[k];
          added += now[k] - before;
        }
      self->open_conflicts[k] = now[k];
    }
  self->conflicts_known = TRUE;
  return added;
}

void
tdm_notifier_note_conflicts (TdmNotifier         *self,
                             const TdmSyncCounts *counts,
                             gboolean             notify)
{
  const char *page = "activity";
  g_autofree char *body = NULL;
  gint64 added;

  g_return_if_fail (TDM_IS_NOTIFIER (self));

  if (self->context == NULL)
    return;

  added = count_new_conflicts (self, &page);
  if (added < 0)
    added = counts != NULL ? counts->conflicts : 0;

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

/* ---- Record errors ---- */

void
tdm_notifier_note_record_errors (TdmNotifier         *self,
                                 const TdmSyncCounts *counts,
                                 gboolean             notify)
{
  g_autofree char *body = NULL;
  guint before;
  guint errors;

  g_return_if_fail (TDM_IS_NOTIFIER (self));
  g_return_if_fail (counts != NULL);

  errors = counts->errors;
  before = self->last_errors;
  self->last_errors = errors;
  /* The same records failing again on every tick are not news. */
  if (!notify || errors == 0 || errors <= before)
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
on_record_error_cb (TdmSyncEngine  *engine,
                    TdmRecordError *error,
                    TdmNotifier    *self)
{
  g_assert (TDM_IS_NOTIFIER (self));

  if (self->first_record_error == NULL && error != NULL && error->message != NULL)
    self->first_record_error = g_strdup (error->message);
}

static void
on_engine_state_cb (TdmSyncEngine *engine,
                    GParamSpec    *pspec,
                    TdmNotifier   *self)
{
  g_assert (TDM_IS_NOTIFIER (self));

  if (tdm_sync_engine_get_state (engine) == TDM_ENGINE_RUNNING)
    g_clear_pointer (&self->first_record_error, g_free);
}

/* ---- Credentials ---- */

void
tdm_notifier_note_rejected_credentials (TdmNotifier  *self,
                                        const GError *error)
{
  g_autofree char *body = NULL;

  g_return_if_fail (TDM_IS_NOTIFIER (self));
  g_return_if_fail (error != NULL);

  if (self->auth_notified)
    return;
  self->auth_notified = TRUE;

  /* Translators: %s is the sentence saying which side refused the credentials. */
  body = g_strdup_printf (_("%s Background syncing waits until you update the credentials in Preferences."),
                          error->message);
  send_notification (self, "credentials", _("Tandem Cannot Sign In"), body, "preferences",
                     G_NOTIFICATION_PRIORITY_HIGH);
}

void
tdm_notifier_note_signed_in (TdmNotifier *self)
{
  g_return_if_fail (TDM_IS_NOTIFIER (self));

  self->auth_notified = FALSE;
}

/* ---- The API version ---- */

static void
notify_api_version (TdmNotifier *self,
                    const char  *version,
                    gint64       days)
{
  g_autofree char *body = NULL;

  g_assert (TDM_IS_NOTIFIER (self));
  g_assert (version != NULL);

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
on_api_version_checked_cb (GObject      *source,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  g_autoptr(TdmNotifier) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *version = NULL;
  gint64 days = 0;

  g_assert (TDM_IS_NOTIFIER (self));

  self->api_version_checking = FALSE;
  if (!tdm_connector_check_api_version_finish (TDM_CONNECTOR (source), result, &version, &days,
                                               &error))
    {
      if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("API version not checked: %s", error->message);
      return;
    }

  if (self->api_version_notified || days >= API_VERSION_WARN_DAYS)
    return;

  self->api_version_notified = TRUE;
  notify_api_version (self, version, days);
}

void
tdm_notifier_check_api_version (TdmNotifier *self)
{
  TdmConnector *shopify;

  g_return_if_fail (TDM_IS_NOTIFIER (self));

  if (self->context == NULL || self->api_version_notified || self->api_version_checking)
    return;

  /* The connector the last run used speaks the version it was built with. */
  shopify = tdm_context_get_connector (self->context, TDM_SIDE_SHOPIFY);
  if (shopify == NULL)
    return;

  self->api_version_checking = TRUE;
  tdm_connector_check_api_version_async (shopify, self->cancellable, on_api_version_checked_cb,
                                         g_object_ref (self));
}

static void
on_api_version_changed_cb (GSettings   *settings,
                           const char  *key,
                           TdmNotifier *self)
{
  g_assert (TDM_IS_NOTIFIER (self));

  self->api_version_notified = FALSE;
}

/* ---- GObject ---- */

static void
tdm_notifier_dispose (GObject *object)
{
  TdmNotifier *self = TDM_NOTIFIER (object);

  g_cancellable_cancel (self->cancellable);
  if (self->context != NULL)
    {
      g_signal_handlers_disconnect_by_data (tdm_context_get_engine (self->context), self);
      g_signal_handlers_disconnect_by_data (tdm_context_get_settings (self->context), self);
    }
  g_clear_object (&self->context);
  g_clear_object (&self->cancellable);
  g_clear_weak_pointer (&self->app);

  G_OBJECT_CLASS (tdm_notifier_parent_class)->dispose (object);
}

static void
tdm_notifier_finalize (GObject *object)
{
  TdmNotifier *self = TDM_NOTIFIER (object);

  g_free (self->first_record_error);

  G_OBJECT_CLASS (tdm_notifier_parent_class)->finalize (object);
}

static void
tdm_notifier_class_init (TdmNotifierClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tdm_notifier_dispose;
  object_class->finalize = tdm_notifier_finalize;
}

static void
tdm_notifier_init (TdmNotifier *self)
{
  self->cancellable = g_cancellable_new ();
}

TdmNotifier *
tdm_notifier_new (GApplication *app,
                  TdmContext   *context)
{
  TdmNotifier *self;
  TdmSyncEngine *engine;

  g_return_val_if_fail (G_IS_APPLICATION (app), NULL);
  g_return_val_if_fail (TDM_IS_CONTEXT (context), NULL);

  self = g_object_new (TDM_TYPE_NOTIFIER, NULL);
  g_set_weak_pointer (&self->app, app);
  self->context = g_object_ref (context);

  engine = tdm_context_get_engine (context);
  g_signal_connect (engine, "record-error", G_CALLBACK (on_record_error_cb), self);
  g_signal_connect (engine, "notify::state", G_CALLBACK (on_engine_state_cb), self);
  g_signal_connect (tdm_context_get_settings (context), "changed::shopify-api-version",
                    G_CALLBACK (on_api_version_changed_cb), self);

  /* What is already open is not news. */
  tdm_notifier_note_conflicts (self, NULL, FALSE);
  return self;
}
