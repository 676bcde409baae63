/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-application-actions"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tdm-application-private.h"
#include "tdm-preferences-window.h"
#include "tdm-store.h"
#include "tdm-window.h"

/* The application's actions (GActionEntry, docs/architecture.md § Entry
 * points): starting runs from the window, and the windows and dialogs. */

/* ---- The main window ---- */

static TdmWindow *
get_main_window (TdmApplication *self)
{
  GtkWindow *window;

  g_assert (TDM_IS_APPLICATION (self));

  window = gtk_application_get_active_window (GTK_APPLICATION (self));
  if (TDM_IS_WINDOW (window))
    return TDM_WINDOW (window);

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    {
      if (TDM_IS_WINDOW (l->data))
        return TDM_WINDOW (l->data);
    }

  return NULL;
}

static void
show_toast (TdmApplication *self,
            const char     *text)
{
  TdmWindow *window = get_main_window (self);

  g_assert (text != NULL);

  if (window != NULL)
    tdm_window_add_toast (window, text);
}

static char *
describe_counts (const TdmSyncCounts *counts)
{
  g_assert (counts != NULL);

  if (counts->created + counts->updated + counts->linked + counts->conflicts + counts->errors == 0)
    return g_strdup (_("Sync finished: everything was already in step."));

  {
    /* Translators: part of "Sync finished: …, 1 conflict, …". */
    g_autofree char *conflicts = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u conflict",
                                                               "%u conflicts", counts->conflicts),
                                                  counts->conflicts);
    /* Translators: part of "Sync finished: …, 1 error.". */
    g_autofree char *errors = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u error",
                                                            "%u errors", counts->errors),
                                               counts->errors);

    /* Translators: the counts of one sync run; the last two are
     * "%u conflict(s)" and "%u error(s)". */
    return g_strdup_printf (_("Sync finished: %u created, %u updated, %u linked, %s, %s."),
                            counts->created, counts->updated, counts->linked, conflicts, errors);
  }
}

/* What a run of one record ("Retry" in Activity, "Sync this record" in
 * its detail) did to that record, named as the lists name it ("Order
 * 10262"): still failing (Activity says why), waiting for a record it
 * refers to, synced, or already in step. */
static void
show_record_outcome (TdmApplication          *self,
                     const TdmSyncRunOptions *options,
                     const TdmSyncCounts     *counts)
{
  TdmRecordStore *store = tdm_context_get_store (self->context);
  TdmWindow *window = get_main_window (self);
  g_autoptr(TdmStoreRow) row = NULL;
  g_autoptr(TdmStoreError) err = NULL;
  g_autofree char *name = NULL;
  g_autofree char *text = NULL;
  const char *title = NULL;
  const char *slash;

  g_assert (TDM_IS_APPLICATION (self));
  g_assert (options != NULL && options->only_id != NULL && counts != NULL);

  if (TDM_IS_STORE (store))
    {
      row = tdm_store_get_row (TDM_STORE (store), options->only_kind, options->only_side,
                               options->only_id, NULL);
      err = tdm_store_get_record_error (TDM_STORE (store), options->only_kind,
                                        options->only_side, options->only_id, NULL);
    }
  title = row != NULL ? tdm_store_row_get_title (row) : NULL;
  slash = strrchr (options->only_id, '/');
  /* Translators: a kind of record and its name, "Customer Kari Nordmann". */
  name = g_strdup_printf (_("%s %s"), tdm_kind_display_name (options->only_kind),
                          title != NULL ? title : slash != NULL ? slash + 1 : options->only_id);

  if (err != NULL || counts->errors > 0)
    {
      text = g_strdup_printf (_("%s still cannot be synced."), name);
      if (window != NULL)
        {
          tdm_window_add_toast_showing (window, text, _("Show Errors"), "activity");
          return;
        }
    }
  else if (counts->waiting > 0)
    text = g_strdup_printf (options->only_kind == TDM_KIND_ORDER
                              ? _("%s waits for its customer to be synced first.")
                              : _("%s waits for a record it refers to to be synced first."),
                            name);
  else if (counts->created + counts->updated + counts->linked + counts->deleted > 0)
    text = g_strdup_printf (_("%s is in step now."), name);
  else if (counts->conflicts > 0)
    text = g_strdup_printf (_("%s has a conflict: choose the value to keep in its details."),
                            name);
  else
    text = g_strdup_printf (_("%s was already in step."), name);
  show_toast (self, text);
}

/* ---- Runs ---- */

/* One run the window started, with its options: the circuit breaker's
 * "Sync Anyway" starts the same run again, confirmed. */
typedef struct
{
  TdmApplication    *self;
  TdmSyncRunOptions  options;
  char              *only_id;   /* owns options.only_id */
} RunRequest;

static RunRequest *
run_request_new (TdmApplication          *self,
                 const TdmSyncRunOptions *options)
{
  RunRequest *request = g_new0 (RunRequest, 1);

  g_assert (TDM_IS_APPLICATION (self));
  g_assert (options != NULL);

  request->self = g_object_ref (self);
  request->options = *options;
  request->only_id = g_strdup (options->only_id);
  request->options.only_id = request->only_id;
  return request;
}

static void
run_request_free (RunRequest *request)
{
  g_clear_object (&request->self);
  g_free (request->only_id);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RunRequest, run_request_free)

static void
run_request_notify (gpointer  data,
                    GClosure *closure)
{
  run_request_free (data);
}

static void
sync_done (TdmApplication *self)
{
  g_assert (TDM_IS_APPLICATION (self));

  g_clear_object (&self->sync_cancellable);
  g_application_release (G_APPLICATION (self));
}

static void
show_sync_error (TdmApplication *self,
                 const GError   *error)
{
  g_autofree char *text = NULL;
  const char *hint;

  g_assert (error != NULL);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      show_toast (self, _("Sync stopped."));
      return;
    }

  hint = error->domain == TDM_SYNC_ERROR ? tdm_sync_error_to_hint (error) : NULL;
  if (hint != NULL)
    text = g_strdup_printf (_("Sync failed: %s %s"), error->message, hint);
  else
    text = g_strdup_printf (_("Sync failed: %s"), error->message);
  show_toast (self, text);
}

static void start_sync (TdmApplication          *self,
                        const TdmSyncRunOptions *options);

static void
on_breaker_response_cb (AdwMessageDialog *dialog,
                        const char       *response,
                        RunRequest       *request)
{
  TdmSyncRunOptions options;

  g_assert (ADW_IS_MESSAGE_DIALOG (dialog));
  g_assert (request != NULL);

  if (g_strcmp0 (response, "run") != 0)
    return;

  options = request->options;
  options.confirm_large_run = TRUE;
  start_sync (request->self, &options);
}

/* What the stopped run would have done, so the owner decides with the plan
 * in front of them: the counts per action, then the first changes. */
static void
add_stopped_plan (AdwMessageDialog *dialog,
                  TdmApplication   *self)
{
  TdmSyncEngine *engine = self->context ? tdm_context_get_engine (self->context) : NULL;
  GPtrArray *plan = engine ? tdm_sync_engine_get_stopped_plan (engine) : NULL;
  g_autoptr(GString) text = NULL;
  GtkWidget *scrolled, *label;
  guint shown = 0;

  g_assert (ADW_IS_MESSAGE_DIALOG (dialog));

  if (plan == NULL || plan->len == 0)
    return;

  text = g_string_new (NULL);
  for (guint i = 0; i < plan->len; i++)
    {
      TdmAction *action = g_ptr_array_index (plan, i);
      g_autofree char *line = NULL;

      if (action->type == TDM_ACTION_NOTHING || action->type == TDM_ACTION_WAIT)
        continue;
      if (shown++ >= 50)
        continue;
      line = tdm_action_describe (action);
      g_string_append_printf (text, "%s\n", line);
    }
  if (shown > 50)
    g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "…and %u more change.",
                                               "…and %u more changes.", shown - 50), shown - 50);

  label = gtk_label_new (text->str);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "caption");
  gtk_widget_set_name (label, "stopped-plan");
  gtk_accessible_update_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Changes this sync would make"), -1);
  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scrolled), 200);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), label);
  adw_message_dialog_set_extra_child (dialog, scrolled);
}

/* The circuit breaker stopped a run that would change many records: the
 * shop owner decides. */
static void
ask_to_confirm_large_run (RunRequest   *request,
                          const GError *error)
{
  TdmApplication *self = request->self;
  TdmWindow *window = get_main_window (self);
  GtkWidget *dialog;

  g_assert (TDM_IS_WINDOW (window));

  dialog = adw_message_dialog_new (GTK_WINDOW (window), _("Confirm a Large Sync"), error->message);
  add_stopped_plan (ADW_MESSAGE_DIALOG (dialog), self);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Not Now"),
                                    "run", _("_Sync Anyway"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "run",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_data (dialog, "response", G_CALLBACK (on_breaker_response_cb),
                         run_request_new (self, &request->options),
                         run_request_notify, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_sync_finished_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(RunRequest) request = user_data;
  TdmApplication *self = request->self;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  TdmSyncCounts counts = { 0 };

  g_assert (TDM_IS_CONTEXT (source));

  sync_done (self);

  if (!tdm_context_sync_finish (TDM_CONTEXT (source), result, &counts, &error))
    {
      /* `tandem --sync-now` from a system timer runs on the same state. */
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BUSY))
        show_toast (self, error->message);
      else if (g_error_matches (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_CANCELLED_BY_USER) &&
               get_main_window (self) != NULL)
        ask_to_confirm_large_run (request, error);
      else
        show_sync_error (self, error);
      return;
    }

  if (request->options.only_id != NULL)
    {
      show_record_outcome (self, &request->options, &counts);
      return;
    }

  text = describe_counts (&counts);
  if (counts.errors > 0 && get_main_window (self) != NULL)
    /* Translators: toast button that opens the Activity page. */
    tdm_window_add_toast_showing (get_main_window (self), text, _("Show Errors"), "activity");
  else
    show_toast (self, text);
}

/* Every run the window starts goes through tdm_context_sync_async (the run
 * lock, the connectors, the engine; docs/architecture.md § How a run is
 * started). */
static void
start_sync (TdmApplication          *self,
            const TdmSyncRunOptions *options)
{
  g_assert (TDM_IS_APPLICATION (self));
  g_assert (options != NULL);

  if (self->context == NULL || self->sync_cancellable != NULL ||
      tdm_sync_engine_is_running (tdm_context_get_engine (self->context)))
    return;

  /* Closing the window must not cut a run off. */
  g_application_hold (G_APPLICATION (self));
  self->sync_cancellable = g_cancellable_new ();
  tdm_context_sync_async (self->context, options, self->sync_cancellable,
                          on_sync_finished_cb, run_request_new (self, options));
}

static void
sync_now_activated (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  TdmSyncRunOptions options = { 0 };

  start_sync (TDM_APPLICATION (user_data), &options);
}

/* app.sync-record::"<kind>/<side>/<id>" — "Sync this record" in the record
 * detail and "Retry" next to a record error: that record is read fresh on
 * both sides and synced now, even if its current version failed before. */
static void
start_record_sync (TdmApplication *self,
                   GVariant       *parameter,
                   gboolean        create)
{
  g_auto(GStrv) parts = g_strsplit (g_variant_get_string (parameter, NULL), "/", 3);
  TdmSyncRunOptions options = { 0 };

  g_assert (TDM_IS_APPLICATION (self));

  if (g_strv_length (parts) != 3 || !tdm_kind_from_string (parts[0], &options.only_kind) ||
      !tdm_side_from_string (parts[1], &options.only_side) || parts[2][0] == '\0')
    {
      g_warning ("Ignoring a malformed record action target");
      return;
    }

  options.only_id = parts[2];
  options.only_create = create;
  start_sync (self, &options);
}

static void
sync_record_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  start_record_sync (TDM_APPLICATION (user_data), parameter, FALSE);
}

/* app.retry-failed — every record with a stored error is tried again, even
 * when it did not change (the cause may have been on the other side). */
static void
retry_failed_activated (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  TdmSyncRunOptions options = { .retry_failed = TRUE };

  start_sync (TDM_APPLICATION (user_data), &options);
}

/* app.create-record::"<kind>/<side>/<id>" — "Create" for an ambiguous match:
 * the owner says none of the candidates is the twin. */
static void
create_record_activated (GSimpleAction *action,
                         GVariant      *parameter,
                         gpointer       user_data)
{
  start_record_sync (TDM_APPLICATION (user_data), parameter, TRUE);
}

static void
sync_stop_activated (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  TdmApplication *self = user_data;

  g_assert (TDM_IS_APPLICATION (self));

  g_cancellable_cancel (self->sync_cancellable);
}

/* ---- Windows and dialogs ---- */

static void
preferences_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  TdmApplication *self = user_data;
  TdmPreferencesWindow *prefs;

  g_assert (TDM_IS_APPLICATION (self));

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    {
      if (TDM_IS_PREFERENCES_WINDOW (l->data))
        {
          gtk_window_present (GTK_WINDOW (l->data));
          return;
        }
    }

  prefs = tdm_preferences_window_new (self->context, self->settings, self->background);
  gtk_window_set_application (GTK_WINDOW (prefs), GTK_APPLICATION (self));
  gtk_window_set_transient_for (GTK_WINDOW (prefs), GTK_WINDOW (get_main_window (self)));
  gtk_window_present (GTK_WINDOW (prefs));
}

/* app.show-page::<page> — where a notification leads ("activity",
 * "customers", "orders", "products" or "preferences"; tdm-notifier.c). */
static void
show_page_activated (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  TdmApplication *self = user_data;
  const char *page = g_variant_get_string (parameter, NULL);
  TdmWindow *window;

  g_assert (TDM_IS_APPLICATION (self));

  /* Creates the window when there is none and presents it. */
  g_application_activate (G_APPLICATION (self));

  if (g_str_equal (page, "preferences"))
    {
      g_action_group_activate_action (G_ACTION_GROUP (self), "preferences", NULL);
      return;
    }

  window = get_main_window (self);
  if (window != NULL)
    gtk_widget_activate_action (GTK_WIDGET (window), "win.page", "s", page);
}

static void
shortcuts_activated (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  TdmApplication *self = user_data;
  g_autoptr(GtkBuilder) builder = NULL;
  GtkWindow *shortcuts;

  g_assert (TDM_IS_APPLICATION (self));

  builder = gtk_builder_new_from_resource (RESOURCE_BASE "/ui/tdm-shortcuts-window.ui");
  shortcuts = GTK_WINDOW (gtk_builder_get_object (builder, "shortcuts_window"));
  gtk_window_set_application (shortcuts, GTK_APPLICATION (self));
  gtk_window_set_transient_for (shortcuts, GTK_WINDOW (get_main_window (self)));
  gtk_window_present (shortcuts);
}

static void
about_activated (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  TdmApplication *self = user_data;
  static const char *developers[] = { "The Tandem authors", NULL };
  GtkWidget *about;

  g_assert (TDM_IS_APPLICATION (self));

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "application", self,
                        "transient-for", get_main_window (self),
                        "application-name", _("Tandem"),
                        "application-icon", APP_ID,
                        "version", PACKAGE_VERSION,
                        "developer-name", _("The Tandem authors"),
                        "developers", developers,
                        "copyright", _("© 2026 The Tandem authors"),
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "website", "https://github.com/tandemsync/tandem",
                        "issue-url", "https://github.com/tandemsync/tandem/issues",
                        "comments", _("Keeps your own webshop and your Shopify store in two-way sync: customers, products and orders."),
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
quit_now (TdmApplication *self)
{
  g_autoptr(GList) windows = NULL;

  g_assert (TDM_IS_APPLICATION (self));

  /* Close the windows first so they save their size and page. */
  windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (GTK_WINDOW (l->data));

  g_cancellable_cancel (self->sync_cancellable);
  if (self->held_for_background)
    {
      self->held_for_background = FALSE;
      g_application_release (G_APPLICATION (self));
    }
  g_application_quit (G_APPLICATION (self));
}

static gboolean
quit_now_cb (gpointer user_data)
{
  quit_now (TDM_APPLICATION (user_data));
  return G_SOURCE_REMOVE;
}

static void
on_preferences_closed_cb (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(TdmApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  g_assert (TDM_IS_APPLICATION (self));

  /* Once Preferences are gone (this call still holds them), the rest. */
  if (tdm_preferences_window_close_finish (TDM_PREFERENCES_WINDOW (source), result, &error))
    g_idle_add_full (G_PRIORITY_DEFAULT, quit_now_cb, g_object_ref (self), g_object_unref);
  else if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PENDING))
    g_warning ("Could not close Preferences before quitting: %s", error->message);
}

/* Ctrl+Q: Preferences close first, as their close button would, so that
 * typed text or mapping changes not saved are asked about (apply or save,
 * discard, or keep editing, and then Tandem stays). */
static void
quit_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  TdmApplication *self = user_data;

  g_assert (TDM_IS_APPLICATION (self));

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    {
      if (TDM_IS_PREFERENCES_WINDOW (l->data))
        {
          tdm_preferences_window_close_async (TDM_PREFERENCES_WINDOW (l->data), NULL,
                                              on_preferences_closed_cb, g_object_ref (self));
          return;
        }
    }

  quit_now (self);
}

/* ---- Installing ---- */

static const GActionEntry app_entries[] = {
  { "sync-now", sync_now_activated },
  { "sync-record", sync_record_activated, "s" },
  { "create-record", create_record_activated, "s" },
  { "retry-failed", retry_failed_activated },
  { "sync-stop", sync_stop_activated },
  { "preferences", preferences_activated },
  { "show-page", show_page_activated, "s" },
  { "shortcuts", shortcuts_activated },
  { "about", about_activated },
  { "quit", quit_activated },
};

static gboolean
state_to_running (GBinding     *binding,
                  const GValue *from,
                  GValue       *to,
                  gpointer      user_data)
{
  g_value_set_boolean (to, g_value_get_enum (from) == TDM_ENGINE_RUNNING);
  return TRUE;
}

void
_tdm_application_install_actions (TdmApplication *self)
{
  GAction *sync_now;
  GAction *sync_record;
  GAction *sync_stop;

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_entries,
                                   G_N_ELEMENTS (app_entries), self);

  sync_now = g_action_map_lookup_action (G_ACTION_MAP (self), "sync-now");
  sync_stop = g_action_map_lookup_action (G_ACTION_MAP (self), "sync-stop");
  sync_record = g_action_map_lookup_action (G_ACTION_MAP (self), "sync-record");

  if (self->context == NULL)
    {
      g_simple_action_set_enabled (G_SIMPLE_ACTION (sync_now), FALSE);
      g_simple_action_set_enabled (G_SIMPLE_ACTION (sync_stop), FALSE);
      g_simple_action_set_enabled (G_SIMPLE_ACTION (sync_record), FALSE);
      return;
    }

  /* Sync needs both connections; Stop only makes sense during a run. */
  g_object_bind_property (self->context, "configured", sync_now, "enabled",
                          G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->context, "configured", sync_record, "enabled",
                          G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->context, "configured",
                          g_action_map_lookup_action (G_ACTION_MAP (self), "create-record"),
                          "enabled", G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->context, "configured",
                          g_action_map_lookup_action (G_ACTION_MAP (self), "retry-failed"),
                          "enabled", G_BINDING_SYNC_CREATE);
  if (tdm_context_get_engine (self->context) != NULL)
    g_object_bind_property_full (tdm_context_get_engine (self->context), "state",
                                 sync_stop, "enabled", G_BINDING_SYNC_CREATE,
                                 state_to_running, NULL, NULL, NULL);
  else
    g_simple_action_set_enabled (G_SIMPLE_ACTION (sync_stop), FALSE);
}
