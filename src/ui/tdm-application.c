/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-application"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "tdm-application.h"
#include "tdm-headless.h"
#include "tdm-window.h"

struct _TdmApplication
{
  AdwApplication parent_instance;
};

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

  if (g_variant_dict_contains (options, "sync-now"))
    return tdm_headless_run (&headless);

  if (headless.dry_run || headless.confirm_large_run || headless.reconcile)
    {
      g_printerr ("%s\n", _("--dry-run, --confirm-large-run and --reconcile only work with --sync-now."));
      return 2;
    }

  return -1;
}

static void
tdm_application_activate (GApplication *app)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    window = GTK_WINDOW (tdm_window_new (TDM_APPLICATION (app)));

  gtk_window_present (window);
}

static void
tdm_application_class_init (TdmApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->handle_local_options = tdm_application_handle_local_options;
  app_class->activate = tdm_application_activate;
}

static void
tdm_application_init (TdmApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Keep your webshop and your Shopify store in step."));
}

TdmApplication *
tdm_application_new (void)
{
  return g_object_new (TDM_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", RESOURCE_BASE,
                       NULL);
}
