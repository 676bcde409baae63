/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-ui-fixture"

#include "config.h"

#include "tdm-ui-fixture.h"

#include <gdk/x11/gdkx.h>

#include "tdm-ui-seed.h"

/* The settings a test may leave behind that change how the next window
 * opens; reset before each test. */
static const char * const reset_keys[] = {
  "webshop-url", "shopify-shop", "last-page", "window-width", "window-height",
  "window-maximized", "customer-columns", "product-columns", "order-columns", NULL
};

/* ---- Start-up of a test program ---- */

static void
test_no_display (void)
{
  g_test_skip ("No display: run the UI tests under xvfb-run (meson test --suite ui).");
}

/* G_TEST_OPTION_ISOLATE_DIRS hides the system data directories, and so the
 * icon themes, from GTK: add them back from `data_dirs`. */
static void
add_icon_paths (const char *data_dirs)
{
  GtkIconTheme *theme = gtk_icon_theme_get_for_display (gdk_display_get_default ());
  g_auto(GStrv) dirs = g_strsplit (data_dirs, ":", -1);

  g_assert (data_dirs != NULL);

  for (guint i = 0; dirs[i] != NULL; i++)
    {
      g_autofree char *icons = g_build_filename (dirs[i], "icons", NULL);

      gtk_icon_theme_add_search_path (theme, icons);
    }
}

gboolean
tdm_ui_test_init (int    *argc,
                  char ***argv)
{
  g_autofree char *system_data_dirs = NULL;
  const char *env;

  /* gdk-pixbuf recognises SVG icons through GIO's MIME database, which is
   * found through the XDG data dirs that G_TEST_OPTION_ISOLATE_DIRS is
   * about to hide: load it first. */
  g_free (g_content_type_guess ("icon.svg", (const guchar *) "<svg", 4, NULL));
  env = g_getenv ("XDG_DATA_DIRS");
  system_data_dirs = g_strdup (env != NULL && *env != '\0' ? env : "/usr/local/share:/usr/share");

  g_test_init (argc, argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_setenv ("LANGUAGE", "C", TRUE);

  if (!gtk_init_check ())
    {
      g_test_add_func ("/ui/no-display", test_no_display);
      return FALSE;
    }
  adw_init ();
  add_icon_paths (system_data_dirs);
  return TRUE;
}

/* ---- Set-up and tear-down ---- */

typedef struct
{
  TdmUiStart    start;
  TdmUiTestFunc func;
} TestCase;

/* Every registered case, kept for the program's lifetime. */
static GPtrArray *test_cases;

/* Both connections named and the store seeded as runs would leave it. */
static void
seed_shop (TdmUiFixture *fixture)
{
  g_autoptr(GError) error = NULL;
  TdmContext *context = tdm_ui_fixture_get_context (fixture);

  g_assert (context != NULL);

  g_settings_set_string (fixture->settings, "webshop-url", "http://127.0.0.1:9/api");
  g_settings_set_string (fixture->settings, "shopify-shop", "demo-shop.myshopify.com");
  tdm_ui_seed_shop (tdm_context_get_store (context), &error);
  g_assert_no_error (error);
}

/* A new application with in-memory credentials, registered (its services
 * up) but not yet activated. */
static void
start_application (TdmUiFixture *fixture,
                   TdmUiStart    start)
{
  static guint counter = 0;
  g_autoptr(TdmMemoryCredentials) credentials = tdm_memory_credentials_new ();
  g_autofree char *app_id = g_strdup_printf ("%s.Test%u", APP_ID, ++counter);
  g_autoptr(GError) error = NULL;

  fixture->app = tdm_application_new ();
  /* A fresh id per test: the previous test's application may still be
   * exported on the session bus. */
  g_application_set_application_id (G_APPLICATION (fixture->app), app_id);
  g_application_set_flags (G_APPLICATION (fixture->app), G_APPLICATION_NON_UNIQUE);
  tdm_application_set_credentials (fixture->app, TDM_CREDENTIAL_STORE (credentials));
  fixture->credentials = g_object_ref (TDM_CREDENTIAL_STORE (credentials));
  if (start == TDM_UI_DEMO)
    g_setenv ("TANDEM_DEMO", "1", TRUE);
  g_application_register (G_APPLICATION (fixture->app), NULL, &error);
  g_unsetenv ("TANDEM_DEMO");
  g_assert_no_error (error);

  /* The services must come up in a fresh data directory. */
  g_assert_no_error ((GError *) tdm_application_get_context_error (fixture->app));
  g_assert_nonnull (tdm_application_get_context (fixture->app));
}

static void
fixture_set_up (TdmUiFixture  *fixture,
                gconstpointer  data)
{
  const TestCase *test_case = data;
  GtkWindow *window;

  g_assert (test_case != NULL);

  fixture->settings = g_settings_new (SCHEMA_ID);
  for (guint i = 0; reset_keys[i] != NULL; i++)
    g_settings_reset (fixture->settings, reset_keys[i]);

  start_application (fixture, test_case->start);
  if (test_case->start != TDM_UI_EMPTY)
    seed_shop (fixture);

  g_application_activate (G_APPLICATION (fixture->app));
  window = tdm_test_find_window (GTK_APPLICATION (fixture->app), TDM_TYPE_WINDOW);
  g_assert_nonnull (window);
  fixture->window = TDM_WINDOW (window);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
}

static void
fixture_run (TdmUiFixture  *fixture,
             gconstpointer  data)
{
  const TestCase *test_case = data;

  g_assert (test_case != NULL);

  test_case->func (fixture);
}

static void
fixture_tear_down (TdmUiFixture  *fixture,
                   gconstpointer  data)
{
  tdm_test_close_windows (GTK_APPLICATION (fixture->app));
  tdm_test_spin (50);

  g_clear_object (&fixture->app);
  g_clear_object (&fixture->settings);
  g_clear_object (&fixture->credentials);
}

void
tdm_ui_test_add (const char    *path,
                 TdmUiStart     start,
                 TdmUiTestFunc  func)
{
  TestCase *test_case = g_new0 (TestCase, 1);

  g_assert (path != NULL);
  g_assert (start == TDM_UI_EMPTY || start == TDM_UI_SHOP || start == TDM_UI_DEMO);
  g_assert (func != NULL);

  test_case->start = start;
  test_case->func = func;
  if (test_cases == NULL)
    test_cases = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (test_cases, test_case);
  g_test_add_vtable (path, sizeof (TdmUiFixture), test_case,
                     (GTestFixtureFunc) fixture_set_up,
                     (GTestFixtureFunc) fixture_run,
                     (GTestFixtureFunc) fixture_tear_down);
}

TdmContext *
tdm_ui_fixture_get_context (TdmUiFixture *fixture)
{
  g_assert (fixture != NULL);

  return tdm_application_get_context (fixture->app);
}

/* ---- Screenshots ---- */

void
tdm_ui_take_screenshot (GtkWindow  *window,
                        const char *name)
{
  const char *dir = g_getenv ("TANDEM_SCREENSHOT_DIR");
  g_autofree char *path = NULL;
  g_autofree char *command = NULL;
  g_autofree char *import = g_find_program_in_path ("import");
  g_autoptr(GError) error = NULL;
  GdkSurface *surface;
  int status = 0;

  g_assert (GTK_IS_WINDOW (window));
  g_assert (name != NULL);

  if (dir == NULL || import == NULL)
    return;

  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  tdm_test_spin (600);

  surface = gtk_native_get_surface (GTK_NATIVE (window));
  if (!GDK_IS_X11_SURFACE (surface))
    return;

  path = g_build_filename (dir, name, NULL);
  command = g_strdup_printf ("import -window 0x%lx %s",
                             (unsigned long) gdk_x11_surface_get_xid (surface), path);
  g_spawn_command_line_sync (command, NULL, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
  g_test_message ("Screenshot: %s", path);
}
