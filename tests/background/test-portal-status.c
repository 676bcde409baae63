/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-test-portal-status"

#include "config.h"

#include <glib/gstdio.h>

#include "tdm-application.h"
#include "tdm-background.h"
#include "tdm-preferences-window.h"

/* Autostart at login as Preferences shows it: the application in this
 * process, with no Background portal on the private session bus (the
 * status says so instead of failing), then with a fake portal here that
 * grants, withdraws and refuses. */

#define PORTAL_NAME "org.freedesktop.portal.Desktop"
#define PORTAL_PATH "/org/freedesktop/portal/desktop"

static const char portal_xml[] =
  "<node>"
  "  <interface name='org.freedesktop.portal.Background'>"
  "    <method name='RequestBackground'>"
  "      <arg type='s' direction='in'/><arg type='a{sv}' direction='in'/>"
  "      <arg type='o' direction='out'/>"
  "    </method>"
  "  </interface>"
  "</node>";

typedef struct
{
  GDBusConnection *bus;
  gboolean         refuse;     /* answer autostart = false */
  guint            requests;
  gboolean         last_autostart;
} FakePortal;

static FakePortal portal;

typedef struct
{
  char     *path;
  char     *destination;
  gboolean  autostart;
} Pending;

static gboolean
emit_response_cb (gpointer user_data)
{
  Pending *pending = user_data;
  GVariantBuilder results;

  g_variant_builder_init (&results, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&results, "{sv}", "background", g_variant_new_boolean (!portal.refuse));
  g_variant_builder_add (&results, "{sv}", "autostart",
                         g_variant_new_boolean (pending->autostart && !portal.refuse));
  g_dbus_connection_emit_signal (portal.bus, pending->destination, pending->path, "org.freedesktop.portal.Request",
                                 "Response", g_variant_new ("(ua{sv})", 0, &results), NULL);
  g_free (pending->path);
  g_free (pending->destination);
  g_free (pending);
  return G_SOURCE_REMOVE;
}

static void
portal_method_cb (GDBusConnection       *connection,
                  const char            *sender,
                  const char            *object_path,
                  const char            *interface_name,
                  const char            *method_name,
                  GVariant              *parameters,
                  GDBusMethodInvocation *invocation,
                  gpointer               user_data)
{
  g_autoptr(GVariant) options = NULL;
  g_autofree char *sender_part = g_strdup (sender + 1);
  Pending *pending = g_new0 (Pending, 1);
  const char *token = "t";

  g_variant_get (parameters, "(&s@a{sv})", NULL, &options);
  g_variant_lookup (options, "autostart", "b", &pending->autostart);
  g_variant_lookup (options, "handle_token", "&s", &token);
  portal.requests++;
  portal.last_autostart = pending->autostart;

  g_strdelimit (sender_part, ".", '_');
  pending->destination = g_strdup (sender);
  pending->path = g_strdup_printf ("/org/freedesktop/portal/desktop/request/%s/%s", sender_part, token);
  g_dbus_method_invocation_return_value (invocation, g_variant_new ("(o)", pending->path));
  g_timeout_add (20, emit_response_cb, pending);
}

static const GDBusInterfaceVTable portal_vtable = { portal_method_cb, NULL, NULL, { 0 } };

static gboolean
on_timeout_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
wait_for_status (TdmBackground             *background,
                 TdmBackgroundPortalStatus  status)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (20, on_timeout_cb, &timed_out);

  while (tdm_background_get_portal_status (background) != status && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  g_assert_cmpuint (tdm_background_get_portal_status (background), ==, status);
}

static AdwActionRow *
find_row (GtkWidget  *widget,
          const char *title)
{
  if (ADW_IS_ACTION_ROW (widget) &&
      g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0)
    return ADW_ACTION_ROW (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      AdwActionRow *row = find_row (child, title);

      if (row != NULL)
        return row;
    }
  return NULL;
}

static TdmPreferencesWindow *
find_preferences (TdmApplication *app)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL; l = l->next)
    {
      if (TDM_IS_PREFERENCES_WINDOW (l->data))
        return l->data;
    }
  return NULL;
}

static void
test_portal_status (void)
{
  g_autoptr(TdmApplication) app = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusNodeInfo) info = NULL;
  g_autofree char *dir = NULL;
  TdmBackground *background;
  TdmPreferencesWindow *prefs;
  AdwActionRow *row;
  GSettings *settings;
  guint owner;

  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL || g_getenv ("DISPLAY") == NULL)
    {
      g_test_skip ("Needs a private session bus and a display (dbus-run-session, xvfb-run).");
      return;
    }

  dir = g_dir_make_tmp ("tandem-portal-XXXXXX", &error);
  g_assert_no_error (error);
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

  background = tdm_background_get_for_application (app);
  g_assert_nonnull (background);
  settings = tdm_application_get_settings (app);
  g_assert_false (g_settings_get_boolean (settings, "run-in-background"));
  g_assert_cmpuint (tdm_background_get_portal_status (background), ==, TDM_BACKGROUND_PORTAL_NOT_REQUESTED);

  /* No portal on this bus: the request fails, Tandem says so and goes on. */
  g_settings_set_boolean (settings, "run-in-background", TRUE);
  wait_for_status (background, TDM_BACKGROUND_PORTAL_UNAVAILABLE);
  g_assert_nonnull (strstr (tdm_background_get_portal_message (background), "tandem --background"));

  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  prefs = find_preferences (app);
  g_assert_nonnull (prefs);
  row = find_row (GTK_WIDGET (prefs), "Start at Login");
  g_assert_nonnull (row);
  g_assert_cmpstr (adw_action_row_get_subtitle (row), ==, tdm_background_get_portal_message (background));

  /* With a portal: granted, withdrawn when the setting goes off, refused. */
  portal.bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  info = g_dbus_node_info_new_for_xml (portal_xml, &error);
  g_assert_no_error (error);
  g_dbus_connection_register_object (portal.bus, PORTAL_PATH, info->interfaces[0], &portal_vtable,
                                     NULL, NULL, &error);
  g_assert_no_error (error);
  owner = g_bus_own_name_on_connection (portal.bus, PORTAL_NAME, G_BUS_NAME_OWNER_FLAGS_NONE,
                                        NULL, NULL, NULL, NULL);
  {
    gboolean timed_out = FALSE;

    g_timeout_add (500, on_timeout_cb, &timed_out);
    while (!timed_out)
      g_main_context_iteration (NULL, TRUE);
  }

  g_settings_set_boolean (settings, "run-in-background", FALSE);
  wait_for_status (background, TDM_BACKGROUND_PORTAL_WITHDRAWN);
  g_assert_false (portal.last_autostart);

  g_settings_set_boolean (settings, "run-in-background", TRUE);
  wait_for_status (background, TDM_BACKGROUND_PORTAL_GRANTED);
  g_assert_true (portal.last_autostart);
  g_assert_cmpstr (adw_action_row_get_subtitle (row), ==, tdm_background_get_portal_message (background));

  portal.refuse = TRUE;
  g_settings_set_boolean (settings, "run-in-background", FALSE);
  g_settings_set_boolean (settings, "run-in-background", TRUE);
  wait_for_status (background, TDM_BACKGROUND_PORTAL_DENIED);
  g_assert_cmpstr (adw_action_row_get_subtitle (row), ==, tdm_background_get_portal_message (background));
  g_assert_cmpuint (portal.requests, >=, 3);

  g_bus_unown_name (owner);
  gtk_window_destroy (GTK_WINDOW (prefs));
  g_settings_set_boolean (settings, "run-in-background", FALSE);
  {
    g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
    const char *name;

    while (d != NULL && (name = g_dir_read_name (d)) != NULL)
      {
        g_autofree char *path = g_build_filename (dir, name, NULL);

        g_unlink (path);
      }
  }
  g_rmdir (dir);
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
