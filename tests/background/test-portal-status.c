/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-test-portal-status"

#include "config.h"

#include <string.h>

#include "tdm-application.h"
#include "tdm-background.h"
#include "tdm-preferences-window.h"
#include "tdm-test-desktop.h"
#include "tdm-test-tree.h"
#include "tdm-test-wait.h"
#include "tdm-test-window.h"

/* Autostart at login as Preferences shows it: the application in this
 * process, with no Background portal on the private session bus (the
 * status says so instead of failing), then with a fake portal here that
 * grants, withdraws and refuses. */

static gboolean
portal_status_is (TdmBackground             *background,
                  TdmBackgroundPortalStatus  status)
{
  return tdm_background_get_portal_status (background) == status;
}

static gboolean
last_autostart (TdmTestPortal *portal)
{
  TdmTestPortalRequest *last;

  g_assert_cmpuint (portal->requests->len, >, 0);
  last = g_ptr_array_index (portal->requests, portal->requests->len - 1);
  return last->autostart;
}

static void
wait_for_status (TdmBackground             *background,
                 TdmBackgroundPortalStatus  status)
{
  tdm_test_wait_for (portal_status_is (background, status), 20);
}

static void
test_portal_status (void)
{
  g_autoptr(TdmApplication) app = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TdmTestPortal) portal = NULL;
  g_autofree char *dir = NULL;
  TdmBackground *background;
  TdmPreferencesWindow *prefs;
  AdwActionRow *row;
  GSettings *settings;

  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL || g_getenv ("DISPLAY") == NULL)
    {
      g_test_skip ("Needs a private session bus and a display (dbus-run-session, xvfb-run).");
      return;
    }

  dir = tdm_test_make_tmp_dir ("tandem-portal-XXXXXX");
  g_setenv ("TANDEM_STATE_DIR", dir, TRUE);
  g_setenv ("TANDEM_CONFIG_DIR", dir, TRUE);

  app = tdm_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  {
    g_autoptr(TdmMemoryCredentials) credentials = tdm_memory_credentials_new ();

    tdm_application_set_credentials (app, TDM_CREDENTIAL_STORE (credentials));
  }
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  background = tdm_application_get_background (app);
  g_assert_nonnull (background);
  settings = tdm_application_get_settings (app);
  g_assert_false (g_settings_get_boolean (settings, "run-in-background"));
  g_assert_cmpuint (tdm_background_get_portal_status (background), ==, TDM_BACKGROUND_PORTAL_NOT_REQUESTED);

  /* No portal on this bus: the request fails, Tandem says so and goes on. */
  g_settings_set_boolean (settings, "run-in-background", TRUE);
  wait_for_status (background, TDM_BACKGROUND_PORTAL_UNAVAILABLE);
  g_assert_nonnull (strstr (tdm_background_get_portal_message (background), "tandem --background"));

  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  prefs = TDM_PREFERENCES_WINDOW (tdm_test_find_window (GTK_APPLICATION (app),
                                                        TDM_TYPE_PREFERENCES_WINDOW));
  g_assert_nonnull (prefs);
  row = tdm_test_find_action_row (GTK_WIDGET (prefs), "Start at Login");
  g_assert_nonnull (row);
  g_assert_cmpstr (adw_action_row_get_subtitle (row), ==, tdm_background_get_portal_message (background));

  /* With a portal: granted, withdrawn when the setting goes off, refused. */
  {
    g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);

    g_assert_no_error (error);
    portal = tdm_test_portal_new (bus);
    tdm_test_portal_set_present (portal, TRUE);
  }
  tdm_test_spin (500);

  g_settings_set_boolean (settings, "run-in-background", FALSE);
  wait_for_status (background, TDM_BACKGROUND_PORTAL_WITHDRAWN);
  g_assert_false (last_autostart (portal));

  g_settings_set_boolean (settings, "run-in-background", TRUE);
  wait_for_status (background, TDM_BACKGROUND_PORTAL_GRANTED);
  g_assert_true (last_autostart (portal));
  g_assert_cmpstr (adw_action_row_get_subtitle (row), ==, tdm_background_get_portal_message (background));

  portal->refuse = TRUE;
  g_settings_set_boolean (settings, "run-in-background", FALSE);
  g_settings_set_boolean (settings, "run-in-background", TRUE);
  wait_for_status (background, TDM_BACKGROUND_PORTAL_DENIED);
  g_assert_cmpstr (adw_action_row_get_subtitle (row), ==, tdm_background_get_portal_message (background));
  g_assert_cmpuint (portal->requests->len, >=, 3);

  tdm_test_portal_set_present (portal, FALSE);
  gtk_window_destroy (GTK_WINDOW (prefs));
  g_settings_set_boolean (settings, "run-in-background", FALSE);
  tdm_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  /* gdk-pixbuf recognises SVG icons through GIO's MIME database, found
   * through the XDG data dirs that G_TEST_OPTION_ISOLATE_DIRS is about to
   * hide: load it first (as tests/ui does). */
  g_free (g_content_type_guess ("icon.svg", (const guchar *) "<svg", 4, NULL));

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_setenv ("LANGUAGE", "C", TRUE);

  g_test_add_func ("/background/portal-status", test_portal_status);

  return g_test_run ();
}
