/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-application"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "tdm-application.h"
#include "tdm-application-private.h"
#include "tdm-headless.h"
#include "tdm-window.h"

G_DEFINE_FINAL_TYPE (TdmApplication, tdm_application, ADW_TYPE_APPLICATION)

static const GOptionEntry option_entries[] = {
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Show the version and exit"), NULL },
  { "sync-now", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Run one sync pass without a window and exit"), NULL },
  { "dry-run", 0, 0, G_OPTION_ARG_NONE, NULL, N_("With --sync-now: print the plan and write nothing"), NULL },
  { "confirm-large-run", 0, 0, G_OPTION_ARG_NONE, NULL, N_("With --sync-now: confirm a run the circuit breaker stopped"), NULL },
  { "reconcile", 0, 0, G_OPTION_ARG_NONE, NULL, N_("With --sync-now: also compare every id on both sides"), NULL },
  { "background", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Start without a window and keep syncing on the timer"), NULL },
  { NULL }
};

static const struct {
  const char *action;
  const char *accels[3];
} app_accels[] = {
  { "app.sync-now", { "<Control>r", NULL } },
  { "app.preferences", { "<Control>comma", NULL } },
  { "app.shortcuts", { "<Control>question", NULL } },
  { "app.quit", { "<Control>q", NULL } },
  { "win.page::customers", { "<Control>1", NULL } },
  { "win.page::orders", { "<Control>2", NULL } },
  { "win.page::products", { "<Control>3", NULL } },
  { "win.page::activity", { "<Control>4", NULL } },
  { "win.search", { "<Control>f", NULL } },
};

/* ---- The command line ---- */

static int
tdm_application_handle_local_options (GApplication *app,
                                      GVariantDict *options)
{
  TdmHeadlessOptions headless = { 0 };

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("Tandem %s\n", PACKAGE_VERSION);
      return 0;
    }

  headless.dry_run = g_variant_dict_contains (options, "dry-run");
  headless.confirm_large_run = g_variant_dict_contains (options, "confirm-large-run");
  headless.reconcile = g_variant_dict_contains (options, "reconcile");

  /* Runs before GApplication::startup, so GTK is never initialised and
   * no display is needed. */
  if (g_variant_dict_contains (options, "sync-now"))
    return tdm_headless_run (&headless);

  if (headless.dry_run || headless.confirm_large_run || headless.reconcile)
    {
      g_printerr ("%s\n", _("--dry-run, --confirm-large-run and --reconcile only work with --sync-now."));
      return 2;
    }

  if (g_variant_dict_contains (options, "background"))
    return _tdm_application_handle_background_option (TDM_APPLICATION (app));

  return -1;
}

/* ---- Running with the window closed ---- */

/* With "run-in-background" on, closing the window leaves Tandem running
 * with its timer; Quit ends it. */
static void
update_background_hold (TdmApplication *self)
{
  gboolean wanted = self->context != NULL &&
                    g_settings_get_boolean (self->settings, "run-in-background");

  g_assert (TDM_IS_APPLICATION (self));

  if (wanted == self->held_for_background)
    return;

  self->held_for_background = wanted;
  if (wanted)
    g_application_hold (G_APPLICATION (self));
  else
    g_application_release (G_APPLICATION (self));
}

static void
on_run_in_background_changed_cb (TdmApplication *self)
{
  g_assert (TDM_IS_APPLICATION (self));

  update_background_hold (self);
}

/* With "run-in-background" off, closing the last window ends Tandem: a run
 * still going is cancelled (as Stop does) so the process does not stay on,
 * invisible, until the run would have finished. */
static void
tdm_application_window_removed (GtkApplication *app,
                                GtkWindow      *window)
{
  TdmApplication *self = TDM_APPLICATION (app);

  GTK_APPLICATION_CLASS (tdm_application_parent_class)->window_removed (app, window);

  if (!TDM_IS_WINDOW (window) || self->held_for_background || self->hidden_hold ||
      self->sync_cancellable == NULL)
    return;

  for (GList *l = gtk_application_get_windows (app); l != NULL; l = l->next)
    {
      if (TDM_IS_WINDOW (l->data))
        return;
    }

  g_debug ("The window closed while syncing, not running in the background: stopping the run");
  g_cancellable_cancel (self->sync_cancellable);
}

/* ---- GApplication ---- */

static void
tdm_application_startup (GApplication *app)
{
  TdmApplication *self = TDM_APPLICATION (app);

  G_APPLICATION_CLASS (tdm_application_parent_class)->startup (app);

  self->settings = g_settings_new (SCHEMA_ID);
  self->context = tdm_context_new (self->settings, self->credentials, &self->context_error);
  if (self->context == NULL)
    g_warning ("Could not set up Tandem’s services: %s", self->context_error->message);

  _tdm_application_install_actions (self);

  g_signal_connect_object (self->settings, "changed::run-in-background",
                           G_CALLBACK (on_run_in_background_changed_cb), self, G_CONNECT_SWAPPED);
  update_background_hold (self);
  self->background = tdm_background_new (GTK_APPLICATION (self), self->settings, self->context);

  for (guint i = 0; i < G_N_ELEMENTS (app_accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self),
                                           app_accels[i].action, app_accels[i].accels);
}

static void
tdm_application_activate (GApplication *app)
{
  TdmApplication *self = TDM_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  /* `tandem --background`: the timer runs, no window. */
  if (_tdm_application_claim_hidden_start (self))
    return;

  if (window == NULL)
    window = GTK_WINDOW (tdm_window_new (self));

  /* The window's session syncs on the timer (not --sync-now). */
  if (self->context != NULL)
    tdm_context_start_scheduler (self->context);

  gtk_window_present (window);
}

static void
tdm_application_shutdown (GApplication *app)
{
  TdmApplication *self = TDM_APPLICATION (app);

  g_cancellable_cancel (self->sync_cancellable);

  G_APPLICATION_CLASS (tdm_application_parent_class)->shutdown (app);
}

static void
tdm_application_dispose (GObject *object)
{
  TdmApplication *self = TDM_APPLICATION (object);

  g_clear_object (&self->sync_cancellable);
  g_clear_object (&self->background);
  g_clear_object (&self->context);
  g_clear_object (&self->credentials);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (tdm_application_parent_class)->dispose (object);
}

static void
tdm_application_finalize (GObject *object)
{
  TdmApplication *self = TDM_APPLICATION (object);

  g_clear_error (&self->context_error);

  G_OBJECT_CLASS (tdm_application_parent_class)->finalize (object);
}

static void
tdm_application_class_init (TdmApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = tdm_application_dispose;
  object_class->finalize = tdm_application_finalize;

  app_class->handle_local_options = tdm_application_handle_local_options;
  app_class->startup = tdm_application_startup;
  app_class->activate = tdm_application_activate;
  app_class->shutdown = tdm_application_shutdown;
  GTK_APPLICATION_CLASS (klass)->window_removed = tdm_application_window_removed;
}

static void
tdm_application_init (TdmApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Keep your webshop and your Shopify store in step."));
}

/* ---- Public ---- */

TdmApplication *
tdm_application_new (void)
{
  return g_object_new (TDM_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", RESOURCE_BASE,
                       NULL);
}

void
tdm_application_set_credentials (TdmApplication     *self,
                                 TdmCredentialStore *credentials)
{
  g_return_if_fail (TDM_IS_APPLICATION (self));
  g_return_if_fail (self->context == NULL);

  g_set_object (&self->credentials, credentials);
}

GSettings *
tdm_application_get_settings (TdmApplication *self)
{
  g_return_val_if_fail (TDM_IS_APPLICATION (self), NULL);

  return self->settings;
}

TdmContext *
tdm_application_get_context (TdmApplication *self)
{
  g_return_val_if_fail (TDM_IS_APPLICATION (self), NULL);

  return self->context;
}

const GError *
tdm_application_get_context_error (TdmApplication *self)
{
  g_return_val_if_fail (TDM_IS_APPLICATION (self), NULL);

  return self->context_error;
}

TdmBackground *
tdm_application_get_background (TdmApplication *self)
{
  g_return_val_if_fail (TDM_IS_APPLICATION (self), NULL);

  return self->background;
}
