/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-test-ui"

#include "config.h"

#include <glib/gstdio.h>

#include <adwaita.h>
#include <gdk/x11/gdkx.h>
#include <string.h>
#include <unistd.h>

#include "tdm-application.h"
#include "tdm-entity-page.h"
#include "tdm-activity-page.h"
#include "tdm-preferences-window.h"
#include "tdm-mapping-page.h"
#include "tdm-window.h"
#include "tdm-store.h"
#include "tdm-run-lock.h"
#include "tdm-ui-seed.h"
#include "tdm-sandbox-data.h"

/* Smoke tests of the window shell, run under Xvfb (tests/ui/meson.build).
 * Each test builds a fresh application with in-memory credentials and the
 * memory settings backend; the state database lives in the test's own
 * isolated XDG_DATA_HOME. */

/* Fixture set-up options (the test data pointer). */
typedef enum {
  SETUP_EMPTY = 0,
  SETUP_SHOP = 1 << 0,       /* both connections named and tdm_ui_seed_shop() */
  SETUP_DEMO = 1 << 1,       /* TANDEM_DEMO=1 while the services start */
} SetupFlags;

typedef struct {
  TdmApplication     *app;
  TdmWindow          *window;
  GSettings          *settings;
  TdmCredentialStore *credentials;
} Fixture;

static const char * const reset_keys[] = {
  "webshop-url", "shopify-shop", "last-page", "window-width", "window-height",
  "window-maximized", NULL
};

static void collect_widget_text (GtkWidget *widget,
                                 GString   *out);

static GtkWidget *find_button (GtkWidget  *widget,
                               const char *label);

static void
iterate (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    {
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (2000);
    }
}

static GtkWindow *
find_window (Fixture *fixture,
             GType    type)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (fixture->app)); l; l = l->next)
    {
      if (G_TYPE_CHECK_INSTANCE_TYPE (l->data, type))
        return l->data;
    }
  return NULL;
}

/* Any toplevel of `type`, also those not added to the application. */
static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type))
        return window;
    }
  return NULL;
}

/* Writes a PNG of `window` into TANDEM_SCREENSHOT_DIR, for people to look at. */
static void
take_screenshot (GtkWindow  *window,
                 const char *name)
{
  const char *dir = g_getenv ("TANDEM_SCREENSHOT_DIR");
  g_autofree char *path = NULL;
  g_autofree char *command = NULL;
  g_autofree char *import = g_find_program_in_path ("import");
  g_autoptr(GError) error = NULL;
  GdkSurface *surface;
  int status = 0;

  if (dir == NULL || import == NULL)
    return;

  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  iterate (600);

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

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TdmMemoryCredentials) credentials = tdm_memory_credentials_new ();
  GtkWindow *window;

  fixture->settings = g_settings_new (SCHEMA_ID);
  for (guint i = 0; reset_keys[i] != NULL; i++)
    g_settings_reset (fixture->settings, reset_keys[i]);

  static guint counter = 0;
  g_autofree char *app_id = g_strdup_printf ("%s.Test%u", APP_ID, ++counter);

  fixture->app = tdm_application_new ();
  /* A fresh id per test: the previous test's application may still be
   * exported on the session bus. */
  g_application_set_application_id (G_APPLICATION (fixture->app), app_id);
  g_application_set_flags (G_APPLICATION (fixture->app), G_APPLICATION_NON_UNIQUE);
  tdm_application_set_credentials (fixture->app, TDM_CREDENTIAL_STORE (credentials));
  fixture->credentials = g_object_ref (TDM_CREDENTIAL_STORE (credentials));
  if (GPOINTER_TO_UINT (data) & SETUP_DEMO)
    g_setenv ("TANDEM_DEMO", "1", TRUE);
  g_application_register (G_APPLICATION (fixture->app), NULL, &error);
  g_unsetenv ("TANDEM_DEMO");
  g_assert_no_error (error);

  /* The services must come up in a fresh data directory. */
  g_assert_no_error ((GError *) tdm_application_get_context_error (fixture->app));
  g_assert_nonnull (tdm_application_get_context (fixture->app));

  if (GPOINTER_TO_UINT (data) & SETUP_SHOP)
    {
      TdmContext *context = tdm_application_get_context (fixture->app);

      g_settings_set_string (fixture->settings, "webshop-url", "http://127.0.0.1:9/api");
      g_settings_set_string (fixture->settings, "shopify-shop", "demo-shop.myshopify.com");
      tdm_ui_seed_shop (tdm_context_get_store (context), &error);
      g_assert_no_error (error);
    }

  g_application_activate (G_APPLICATION (fixture->app));
  window = find_window (fixture, TDM_TYPE_WINDOW);
  g_assert_nonnull (window);
  fixture->window = TDM_WINDOW (window);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GList) windows = NULL;

  windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (fixture->app)));
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_destroy (GTK_WINDOW (l->data));
  iterate (50);

  g_clear_object (&fixture->app);
  g_clear_object (&fixture->settings);
  g_clear_object (&fixture->credentials);
}

static void
test_pages (Fixture       *fixture,
            gconstpointer  data)
{
  static const struct {
    const char *name;
    const char *accel;
  } pages[] = {
    { "customers", "<Control>1" },
    { "orders", "<Control>2" },
    { "products", "<Control>3" },
    { "activity", "<Control>4" },
  };

  /* Nothing remembered: the first page. */
  g_assert_cmpstr (tdm_window_get_visible_page (fixture->window), ==, "customers");

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      g_autofree char *detailed = g_strdup_printf ("win.page::%s", pages[i].name);
      g_auto(GStrv) accels = NULL;
      GtkWidget *page = tdm_window_get_page (fixture->window, pages[i].name);

      g_assert_nonnull (page);
      if (i < 3)
        {
          g_assert_true (TDM_IS_ENTITY_PAGE (page));
          g_assert_cmpstr (tdm_entity_page_get_state (TDM_ENTITY_PAGE (page)), ==, "unconfigured");
        }
      else
        {
          g_assert_true (TDM_IS_ACTIVITY_PAGE (page));
          g_assert_cmpstr (tdm_activity_page_get_state (TDM_ACTIVITY_PAGE (page)), ==, "unconfigured");
        }

      accels = gtk_application_get_accels_for_action (GTK_APPLICATION (fixture->app), detailed);
      g_assert_cmpuint (g_strv_length (accels), ==, 1);
      g_assert_cmpstr (accels[0], ==, pages[i].accel);

      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.page", "s",
                                                 pages[i].name));
      g_assert_cmpstr (tdm_window_get_visible_page (fixture->window), ==, pages[i].name);
    }

  /* An unknown page name leaves the page alone. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.page", "s", "nonsense");
  g_assert_cmpstr (tdm_window_get_visible_page (fixture->window), ==, "activity");

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.page", "s", "customers");
  take_screenshot (GTK_WINDOW (fixture->window), "screenshot-main-window.png");
}

static void
test_sync_action (Fixture       *fixture,
                  gconstpointer  data)
{
  GActionGroup *group = G_ACTION_GROUP (fixture->app);
  TdmContext *context = tdm_application_get_context (fixture->app);
  GtkWidget *sync_button;
  g_auto(GStrv) accels = NULL;

  sync_button = (GtkWidget *) gtk_widget_get_template_child (GTK_WIDGET (fixture->window),
                                                            TDM_TYPE_WINDOW,
                                                            "sync_button");
  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (fixture->app), "app.sync-now");
  g_assert_cmpstr (accels[0], ==, "<Control>r");

  /* Nothing configured: Sync is disabled, and so is its button. */
  g_assert_false (tdm_context_get_configured (context));
  g_assert_true (g_action_group_has_action (group, "sync-now"));
  g_assert_false (g_action_group_get_action_enabled (group, "sync-now"));
  g_assert_false (g_action_group_get_action_enabled (group, "sync-stop"));
  g_assert_false (gtk_widget_is_sensitive (sync_button));
  /* "Sync this record" / "Retry" take "<kind>/<side>/<id>" and follow the same rule. */
  g_assert_true (g_action_group_has_action (group, "sync-record"));
  g_assert_cmpstr (g_variant_type_peek_string (g_action_group_get_action_parameter_type (group, "sync-record")),
                   ==, "s");
  g_assert_false (g_action_group_get_action_enabled (group, "sync-record"));

  /* Both connections named: the binding enables it, and the pages leave
   * the "connect" state. */
  g_settings_set_string (fixture->settings, "webshop-url", "https://shop.example.com/api/tandem/v1");
  g_assert_false (g_action_group_get_action_enabled (group, "sync-now"));
  g_settings_set_string (fixture->settings, "shopify-shop", "example.myshopify.com");
  iterate (50);
  g_assert_true (tdm_context_get_configured (context));
  g_assert_true (g_action_group_get_action_enabled (group, "sync-now"));
  g_assert_true (g_action_group_get_action_enabled (group, "sync-record"));
  g_assert_true (gtk_widget_is_sensitive (sync_button));
  g_assert_cmpstr (tdm_entity_page_get_state (TDM_ENTITY_PAGE (tdm_window_get_page (fixture->window, "orders"))),
                   !=, "unconfigured");

  g_settings_reset (fixture->settings, "shopify-shop");
  iterate (50);
  g_assert_false (g_action_group_get_action_enabled (group, "sync-now"));
}

static void
test_remembers_state (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *page = NULL;
  GtkWindow *window;

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.page", "s", "products");
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 900, 640);
  gtk_window_close (GTK_WINDOW (fixture->window));
  iterate (50);

  page = g_settings_get_string (fixture->settings, "last-page");
  g_assert_cmpstr (page, ==, "products");
  g_assert_cmpint (g_settings_get_int (fixture->settings, "window-width"), ==, 900);
  g_assert_cmpint (g_settings_get_int (fixture->settings, "window-height"), ==, 640);
  g_assert_false (g_settings_get_boolean (fixture->settings, "window-maximized"));

  /* A new window opens where the last one left off. */
  g_application_activate (G_APPLICATION (fixture->app));
  window = find_window (fixture, TDM_TYPE_WINDOW);
  g_assert_nonnull (window);
  g_assert_cmpstr (tdm_window_get_visible_page (TDM_WINDOW (window)), ==, "products");
}

static void
test_preferences_opens (Fixture       *fixture,
                        gconstpointer  data)
{
  GtkWindow *prefs;
  g_auto(GStrv) accels = NULL;

  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (fixture->app), "app.preferences");
  g_assert_cmpstr (accels[0], ==, "<Control>comma");

  g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "preferences", NULL);
  prefs = find_window (fixture, TDM_TYPE_PREFERENCES_WINDOW);
  g_assert_nonnull (prefs);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (prefs)));

  /* A second activation presents the same window. */
  g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "preferences", NULL);
  g_assert_true (find_window (fixture, TDM_TYPE_PREFERENCES_WINDOW) == prefs);

  take_screenshot (prefs, "screenshot-preferences.png");
}

/* Waits until the page's model has answered its latest query. */
static void
wait_for_page (TdmEntityPage *page)
{
  TdmRecordModel *model = tdm_entity_page_get_model (page);
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  g_assert_nonnull (model);
  iterate (20);
  while (tdm_record_model_get_loading (model))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  iterate (20);
}

/* The title of row `position`, waiting for its page to load. */
static char *
row_title (TdmEntityPage *page,
           guint          position)
{
  GListModel *model = G_LIST_MODEL (tdm_entity_page_get_model (page));
  g_autoptr(TdmRecordItem) item = g_list_model_get_item (model, position);
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  g_assert_nonnull (item);
  while (tdm_record_item_get_row (item) == NULL)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  return g_strdup (tdm_store_row_get_title (tdm_record_item_get_row (item)));
}

static guint
n_rows (TdmEntityPage *page)
{
  return g_list_model_get_n_items (G_LIST_MODEL (tdm_entity_page_get_model (page)));
}

static void
search (TdmEntityPage *page,
        const char    *text)
{
  tdm_entity_page_set_search (page, text);
  wait_for_page (page);
}

static void
filter (TdmEntityPage *page,
        TdmLinkStatus  status)
{
  tdm_entity_page_set_status_filter (page, status);
  wait_for_page (page);
}

/* The first button labelled `label` inside `widget`. */
static GtkWidget *
find_button (GtkWidget  *widget,
             const char *label)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
wait_for_detail (TdmRecordDetail *detail)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (tdm_record_detail_get_n_fields (detail) == 0)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
}

static void
on_exported_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  gssize *n = user_data;
  g_autoptr(GError) error = NULL;

  *n = tdm_entity_page_export_finish (TDM_ENTITY_PAGE (source), result, &error);
  g_assert_no_error (error);
}

static char *
export_page (TdmEntityPage *page,
             gssize        *n_rows)
{
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "export.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  *n_rows = -2;
  tdm_entity_page_export_async (page, file, NULL, on_exported_cb, n_rows);
  while (*n_rows == -2)
    g_main_context_iteration (NULL, TRUE);
  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

static void
test_export (Fixture       *fixture,
             gconstpointer  data)
{
  TdmEntityPage *customers = TDM_ENTITY_PAGE (tdm_window_get_page (fixture->window, "customers"));
  g_autofree char *csv = NULL;
  g_auto(GStrv) lines = NULL;
  gssize n = 0;

  wait_for_page (customers);
  csv = export_page (customers, &n);
  g_assert_cmpint (n, ==, 4);
  lines = g_strsplit (csv, "\r\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 6);  /* header, 4 rows, empty after the last */
  g_assert_cmpstr (lines[0], ==, "Name,Email,Phone,Webshop ID,Shopify ID,Sync status,Last synced");
  g_assert_true (g_str_has_prefix (lines[1], "Eva Lie,eva@example.no,12,104,gid://shopify/Customer/104,error,"));
  g_clear_pointer (&lines, g_strfreev);
  g_clear_pointer (&csv, g_free);

  /* As filtered. */
  search (customers, "kari");
  csv = export_page (customers, &n);
  g_assert_cmpint (n, ==, 1);
  g_assert_nonnull (strstr (csv, "Kari Nordmann,kari@example.no"));
  g_assert_null (strstr (csv, "Eva Lie"));
}

static void on_activity_exported_cb (GObject      *source,
                                     GAsyncResult *result,
                                     gpointer      user_data);

/* A webshop customer can plant a formula in any field; both exports write it
 * as text (a leading apostrophe, quoted), never as a formula. */
static void
test_export_formulas (Fixture       *fixture,
                      gconstpointer  data)
{
  TdmContext *context = tdm_application_get_context (fixture->app);
  TdmRecordStore *store = tdm_context_get_store (context);
  TdmEntityPage *customers = TDM_ENTITY_PAGE (tdm_window_get_page (fixture->window, "customers"));
  TdmActivityPage *activity = TDM_ACTIVITY_PAGE (tdm_window_get_page (fixture->window, "activity"));
  g_autoptr(GError) error = NULL;
  g_autofree char *csv = NULL;
  g_auto(GStrv) lines = NULL;
  const char *hyperlink_line = NULL;
  const char *calc_line = NULL;
  gssize n = 0;

  tdm_ui_seed_customer (store, "901", "=HYPERLINK(\"http://x\",\"y\")", "Lie", "@SUM(A1)", "-2+3",
                        "-2+3 is not a phone number. Correct it in the webshop.", &error);
  g_assert_no_error (error);
  tdm_ui_seed_customer (store, "902", "+cmd|' /C calc'!A0", "Berg", "per@example.no", "-2.50",
                        NULL, &error);
  g_assert_no_error (error);

  wait_for_page (customers);
  csv = export_page (customers, &n);
  g_assert_cmpint (n, ==, 6);
  lines = g_strsplit (csv, "\r\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (strstr (lines[i], "HYPERLINK") != NULL)
        hyperlink_line = lines[i];
      if (strstr (lines[i], "calc") != NULL)
        calc_line = lines[i];
    }
  g_assert_nonnull (hyperlink_line);
  g_assert_nonnull (calc_line);
  g_assert_true (g_str_has_prefix (hyperlink_line,
                                   "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\") Lie\",\"'@SUM(A1)\",\"'-2+3\",901,"));
  /* A plain negative number stays a number. */
  g_assert_true (g_str_has_prefix (calc_line, "\"'+cmd|' /C calc'!A0 Berg\",per@example.no,-2.50,902,"));
  g_clear_pointer (&lines, g_strfreev);
  g_clear_pointer (&csv, g_free);

  /* The activity log: the error message that starts with "-2+3". */
  {
    g_autofree char *path = g_build_filename (g_get_user_data_dir (), "activity.csv", NULL);
    g_autoptr(GFile) file = g_file_new_for_path (path);

    n = -2;
    tdm_activity_page_export_async (activity, file, NULL, on_activity_exported_cb, &n);
    while (n == -2)
      g_main_context_iteration (NULL, TRUE);
    g_assert_true (g_file_get_contents (path, &csv, NULL, NULL));
    g_assert_nonnull (strstr (csv, ",phone,\"'-2+3 is not a phone number. Correct it in the webshop.\"\r\n"));
    g_assert_null (strstr (csv, ",-2+3"));
    g_unlink (path);
  }
}

static TdmPreferencesWindow *
open_preferences (Fixture *fixture)
{
  TdmPreferencesWindow *prefs;

  g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "preferences", NULL);
  prefs = TDM_PREFERENCES_WINDOW (find_window (fixture, TDM_TYPE_PREFERENCES_WINDOW));
  g_assert_nonnull (prefs);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (prefs));

  return prefs;
}

static GtkWidget *
prefs_child (TdmPreferencesWindow *prefs,
             const char           *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (prefs), TDM_TYPE_PREFERENCES_WINDOW,
                                                  name);

  g_assert_nonnull (child);
  return GTK_WIDGET (child);
}

static void
apply_row (TdmPreferencesWindow *prefs,
           const char           *name,
           const char           *text)
{
  GtkWidget *row = prefs_child (prefs, name);

  gtk_editable_set_text (GTK_EDITABLE (row), text);
  g_signal_emit_by_name (row, "apply");
}

static void
test_preferences_connections (Fixture       *fixture,
                              gconstpointer  data)
{
  TdmPreferencesWindow *prefs = open_preferences (fixture);
  GtkWidget *secret_row = prefs_child (prefs, "webshop_secret_row");
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;
  g_autofree char *value = NULL;
  g_autoptr(GError) error = NULL;
  char *secret;
  gint64 deadline;

  /* Plain http:// to another computer is refused and explained. */
  apply_row (prefs, "webshop_url_row", "http://shop.example.com/api/tandem/v1");
  value = g_settings_get_string (fixture->settings, "webshop-url");
  g_assert_cmpstr (value, ==, "");
  g_assert_true (gtk_widget_has_css_class (prefs_child (prefs, "webshop_url_row"), "error"));
  g_clear_pointer (&value, g_free);

  apply_row (prefs, "webshop_url_row", "https://shop.example.com/api/tandem/v1");
  value = g_settings_get_string (fixture->settings, "webshop-url");
  g_assert_cmpstr (value, ==, "https://shop.example.com/api/tandem/v1");
  g_assert_false (gtk_widget_has_css_class (prefs_child (prefs, "webshop_url_row"), "error"));
  g_clear_pointer (&value, g_free);

  apply_row (prefs, "shopify_shop_row", "not a shop");
  value = g_settings_get_string (fixture->settings, "shopify-shop");
  g_assert_cmpstr (value, ==, "");
  g_clear_pointer (&value, g_free);
  apply_row (prefs, "shopify_shop_row", "demo-shop.myshopify.com");
  value = g_settings_get_string (fixture->settings, "shopify-shop");
  g_assert_cmpstr (value, ==, "demo-shop.myshopify.com");
  g_clear_pointer (&value, g_free);

  /* Sign-in method rows follow the settings. */
  g_settings_set_string (fixture->settings, "webshop-auth", "header");
  g_assert_true (gtk_widget_get_visible (prefs_child (prefs, "webshop_header_row")));
  g_assert_false (gtk_widget_get_visible (prefs_child (prefs, "webshop_user_row")));
  g_settings_set_string (fixture->settings, "webshop-auth", "bearer");
  g_assert_false (gtk_widget_get_visible (prefs_child (prefs, "webshop_header_row")));

  /* The secret goes to the credential store for that address, the entry is
   * emptied and shows only that a secret is saved. */
  apply_row (prefs, "webshop_secret_row", "s3cret-t0ken-value");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (secret_row)), ==, "");
  deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (strstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (secret_row)), "keyring") == NULL)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  secret = tdm_credential_store_lookup_sync (fixture->credentials, TDM_SIDE_WEBSHOP,
                                             "https://shop.example.com/api/tandem/v1", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (secret, ==, "s3cret-t0ken-value");
  tdm_credential_free (secret);

  /* … and never in the settings. */
  g_object_get (fixture->settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autoptr(GVariant) v = g_settings_get_value (fixture->settings, keys[i]);
      g_autofree char *text = g_variant_print (v, FALSE);

      g_assert_null (strstr (text, "s3cret"));
    }

  take_screenshot (GTK_WINDOW (prefs), "screenshot-preferences-connections.png");
}

static void
test_mapping_editor (Fixture       *fixture,
                     gconstpointer  data)
{
  TdmPreferencesWindow *prefs = open_preferences (fixture);
  TdmMappingPage *page = TDM_MAPPING_PAGE (tdm_preferences_window_get_mapping_page (prefs));
  g_autofree char *path = g_build_filename (g_get_user_config_dir (), "tandem", "mapping.json", NULL);
  g_autoptr(TdmMapping) saved = NULL;
  g_autoptr(GError) error = NULL;
  guint n_customer;

  g_assert_nonnull (page);
  n_customer = tdm_mapping_page_get_n_rows (page, TDM_KIND_CUSTOMER);
  g_assert_cmpuint (n_customer, >, 3);
  g_assert_null (tdm_mapping_page_get_problem (page));
  g_assert_false (tdm_mapping_page_can_save (page));

  /* The row dialog explains a bad type as it is typed and cannot apply it. */
  {
    AdwMessageDialog *dialog;
    g_autoptr(GPtrArray) entries = g_ptr_array_new ();
    GtkWidget *child;
    GtkWidget *grid;

    tdm_mapping_page_edit_row (page, TDM_KIND_CUSTOMER, 3);
    dialog = (AdwMessageDialog *) find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
    g_assert_nonnull (dialog);
    g_assert_true (adw_message_dialog_get_response_enabled (dialog, "apply"));
    grid = adw_message_dialog_get_extra_child (dialog);
    for (child = gtk_widget_get_first_child (grid); child != NULL; child = gtk_widget_get_next_sibling (child))
      if (GTK_IS_ENTRY (child))
        g_ptr_array_add (entries, child);
    g_assert_cmpuint (entries->len, ==, 4);
    g_assert_cmpstr (gtk_editable_get_text (g_ptr_array_index (entries, 0)), ==, "last_name");

    gtk_editable_set_text (g_ptr_array_index (entries, 3), "Strnig");
    g_assert_false (adw_message_dialog_get_response_enabled (dialog, "apply"));
    g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "Strnig"));
    take_screenshot (GTK_WINDOW (dialog), "screenshot-mapping-row-dialog.png");

    gtk_editable_set_text (g_ptr_array_index (entries, 3), "String");
    g_assert_true (adw_message_dialog_get_response_enabled (dialog, "apply"));
    adw_message_dialog_response (dialog, "cancel");
    iterate (50);
  }

  /* Row 3 is first_name → firstName. An unknown Shopify type is explained
   * and cannot be saved. */
  g_assert_false (tdm_mapping_page_set_row (page, TDM_KIND_CUSTOMER, 2, "first_name", "firstName",
                                            NULL, "NoSuchShopifyType", "both"));
  g_assert_nonnull (tdm_mapping_page_get_problem (page));
  g_assert_false (tdm_mapping_page_can_save (page));
  g_assert_false (tdm_mapping_page_save (page, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  adw_preferences_window_set_visible_page (ADW_PREFERENCES_WINDOW (prefs), ADW_PREFERENCES_PAGE (page));
  take_screenshot (GTK_WINDOW (prefs), "screenshot-mapping-invalid.png");

  /* A valid change: only from the webshop to Shopify. */
  g_assert_true (tdm_mapping_page_set_row (page, TDM_KIND_CUSTOMER, 2, "first_name", "firstName",
                                           NULL, "String", "to_shopify"));
  g_assert_true (tdm_mapping_page_can_save (page));
  g_assert_true (tdm_mapping_page_save (page, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
  saved = tdm_mapping_new_from_file (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tdm_mapping_find_row (saved, TDM_KIND_CUSTOMER, "first_name")->direction, ==,
                   TDM_DIRECTION_TO_SHOPIFY);
  take_screenshot (GTK_WINDOW (prefs), "screenshot-mapping.png");

  /* Remove, then reset to the default table. */
  tdm_mapping_page_remove_row (page, TDM_KIND_CUSTOMER, 2);
  g_assert_cmpuint (tdm_mapping_page_get_n_rows (page, TDM_KIND_CUSTOMER), ==, n_customer - 1);
  g_assert_true (tdm_mapping_page_reset (page, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (tdm_mapping_page_get_n_rows (page, TDM_KIND_CUSTOMER), ==, n_customer);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

/* Both fakes with a small sandbox shop, the settings pointing at them and
 * the secrets in the fixture's credential store. */
typedef struct {
  TdmFakeWebshop *webshop;
  TdmFakeShopify *shopify;
} Fakes;

static void
on_secret_stored_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  tdm_credential_store_store_finish (TDM_CREDENTIAL_STORE (source), result, &error);
  g_assert_no_error (error);
  *done = TRUE;
}

static void
store_secret (Fixture    *fixture,
              TdmSide     side,
              const char *account,
              const char *secret)
{
  gboolean done = FALSE;

  tdm_credential_store_store_async (fixture->credentials, side, account, secret, NULL,
                                    on_secret_stored_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static void
start_fakes (Fixture *fixture,
             Fakes   *fakes)
{
  g_autoptr(GError) error = NULL;
  TdmSandboxSizes sizes;

  tdm_sandbox_sizes_init_default (&sizes);
  sizes.customers = 12;
  sizes.products = 6;
  sizes.orders = 6;
  sizes.shared_customers = 5;
  sizes.shopify_customers = 3;
  sizes.shared_products = 3;
  sizes.shopify_products = 2;
  sizes.shopify_orders = 2;

  fakes->webshop = tdm_fake_webshop_new ();
  fakes->shopify = tdm_fake_shopify_new ();
  tdm_fake_webshop_start (fakes->webshop, &error);
  g_assert_no_error (error);
  tdm_fake_shopify_start (fakes->shopify, &error);
  g_assert_no_error (error);
  tdm_fake_webshop_set_auth (fakes->webshop, TDM_WEBSHOP_AUTH_BEARER, "webshop-test-token");
  g_assert_true (tdm_sandbox_seed (fakes->webshop, fakes->shopify, &sizes));

  g_settings_set_string (fixture->settings, "webshop-url", tdm_fake_webshop_get_url (fakes->webshop));
  g_settings_set_string (fixture->settings, "webshop-auth", "bearer");
  g_settings_set_string (fixture->settings, "shopify-shop", tdm_fake_shopify_get_url (fakes->shopify));
  g_settings_set_string (fixture->settings, "shopify-auth", "client-credentials");
  g_settings_set_string (fixture->settings, "shopify-client-id", "fake-client-id");
  store_secret (fixture, TDM_SIDE_WEBSHOP, tdm_fake_webshop_get_url (fakes->webshop),
                "webshop-test-token");
  store_secret (fixture, TDM_SIDE_SHOPIFY, tdm_fake_shopify_get_url (fakes->shopify),
                "fake-client-secret");
}

static void
stop_fakes (Fakes *fakes)
{
  g_clear_object (&fakes->webshop);
  g_clear_object (&fakes->shopify);
}

static const char *
wait_for_test_result (TdmPreferencesWindow *prefs,
                      const char           *spinner_name,
                      const char           *row_name)
{
  GtkSpinner *spinner = GTK_SPINNER (prefs_child (prefs, spinner_name));
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  iterate (10);
  while (gtk_spinner_get_spinning (spinner))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  return adw_action_row_get_subtitle (ADW_ACTION_ROW (prefs_child (prefs, row_name)));
}

static void
test_connection_and_sync (Fixture       *fixture,
                          gconstpointer  data)
{
  TdmContext *context = tdm_application_get_context (fixture->app);
  TdmEntityPage *customers = TDM_ENTITY_PAGE (tdm_window_get_page (fixture->window, "customers"));
  TdmPreferencesWindow *prefs;
  const char *result;
  const char *toast;
  gint64 deadline;
  Fakes fakes = { 0 };

  start_fakes (fixture, &fakes);
  g_assert_true (tdm_context_get_configured (context));
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (fixture->app), "sync-now"));

  /* Test connection shows the shop's name… */
  prefs = open_preferences (fixture);
  g_signal_emit_by_name (prefs_child (prefs, "webshop_test_button"), "clicked");
  result = wait_for_test_result (prefs, "webshop_test_spinner", "webshop_test_row");
  g_test_message ("Webshop test: %s", result);
  g_assert_true (g_str_has_prefix (result, "Connected to"));
  g_signal_emit_by_name (prefs_child (prefs, "shopify_test_button"), "clicked");
  result = wait_for_test_result (prefs, "shopify_test_spinner", "shopify_test_row");
  g_test_message ("Shopify test: %s", result);
  g_assert_true (g_str_has_prefix (result, "Connected to"));
  take_screenshot (GTK_WINDOW (prefs), "screenshot-preferences-tested.png");

  /* … and the problem for wrong credentials. */
  store_secret (fixture, TDM_SIDE_SHOPIFY, tdm_fake_shopify_get_url (fakes.shopify), "wrong-secret");
  g_signal_emit_by_name (prefs_child (prefs, "shopify_test_button"), "clicked");
  result = wait_for_test_result (prefs, "shopify_test_spinner", "shopify_test_row");
  g_test_message ("Shopify test with a wrong secret: %s", result);
  g_assert_false (g_str_has_prefix (result, "Connected to"));
  g_assert_cmpstr (result, !=, "");
  g_assert_true (gtk_widget_has_css_class (prefs_child (prefs, "shopify_test_row"), "error"));
  g_assert_null (strstr (result, "wrong-secret"));
  gtk_window_destroy (GTK_WINDOW (prefs));
  store_secret (fixture, TDM_SIDE_SHOPIFY, tdm_fake_shopify_get_url (fakes.shopify),
                "fake-client-secret");

  /* The Sync button runs a sync; while it runs the header shows a spinner,
   * the progress and Stop (one Shopify answer is held back to see it). */
  tdm_fake_shopify_set_fault_delay (fakes.shopify, 1500);
  tdm_fake_shopify_inject_fault (fakes.shopify, 3, TDM_FAKE_SHOPIFY_FAULT_DELAY);
  g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "sync-now", NULL);
  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (!tdm_sync_engine_is_running (tdm_context_get_engine (context)))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  {
    GtkStack *sync_stack = GTK_STACK (gtk_widget_get_template_child (GTK_WIDGET (fixture->window),
                                                                     TDM_TYPE_WINDOW, "sync_stack"));
    GtkLabel *progress = GTK_LABEL (gtk_widget_get_template_child (GTK_WIDGET (fixture->window),
                                                                   TDM_TYPE_WINDOW, "progress_label"));

    g_assert_cmpstr (gtk_stack_get_visible_child_name (sync_stack), ==, "running");
    g_assert_cmpstr (gtk_label_get_label (progress), !=, "");
    g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (fixture->app), "sync-stop"));
    g_test_message ("Progress: %s", gtk_label_get_label (progress));
    take_screenshot (GTK_WINDOW (fixture->window), "screenshot-syncing.png");
  }
  deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  while ((toast = tdm_window_get_last_toast (fixture->window)) == NULL)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  g_test_message ("Toast: %s", toast);
  g_assert_true (g_str_has_prefix (toast, "Sync finished"));
  g_assert_nonnull (strstr (toast, "created"));

  /* A record failed: the toast's button opens the Activity page. */
  {
    GtkWidget *button;

    iterate (100);
    button = find_button (GTK_WIDGET (fixture->window), "Show Errors");
    g_assert_nonnull (button);
    g_signal_emit_by_name (button, "clicked");
    iterate (100);
    g_assert_cmpstr (tdm_window_get_visible_page (fixture->window), ==, "activity");
    g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "show-page",
                                    g_variant_new_string ("customers"));
  }

  wait_for_page (customers);
  g_assert_cmpuint (n_rows (customers), >=, 12);
  take_screenshot (GTK_WINDOW (fixture->window), "screenshot-after-sync.png");
  for (guint i = 0; i < 2; i++)
    {
      const char *name = i == 0 ? "products" : "orders";
      g_autofree char *file = g_strdup_printf ("screenshot-%s-after-sync.png", name);

      g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "show-page",
                                      g_variant_new_string (name));
      wait_for_page (TDM_ENTITY_PAGE (tdm_window_get_page (fixture->window, name)));
      take_screenshot (GTK_WINDOW (fixture->window), file);
      {
        /* States in words, amounts with two decimals. */
        g_autoptr(GString) text = g_string_new (NULL);

        collect_widget_text (tdm_window_get_page (fixture->window, name), text);
        if (i == 0)
          {
            g_assert_nonnull (strstr (text->str, "\nActive\n"));
            g_assert_null (strstr (text->str, "\nactive\n"));
            g_assert_nonnull (strstr (text->str, "\n849.00\n"));
          }
        else
          {
            g_assert_nonnull (strstr (text->str, "\nPaid · Fulfilled\n"));
            g_assert_null (strstr (text->str, "paid · fulfilled"));
          }
      }
    }

  stop_fakes (&fakes);
}

static const char *
wait_for_toast (Fixture *fixture)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  const char *toast;

  while ((toast = tdm_window_get_last_toast (fixture->window)) == NULL)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  return toast;
}

/* Runs a sync from the window and returns its toast. */
static const char *
sync_and_wait (Fixture *fixture)
{
  guint before = tdm_window_get_n_toasts (fixture->window);
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "sync-now", NULL);
  while (tdm_window_get_n_toasts (fixture->window) == before)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  g_test_message ("Toast: %s", tdm_window_get_last_toast (fixture->window));
  return tdm_window_get_last_toast (fixture->window);
}

/* ---- Secrets audit of the UI's error paths -------------------------------- */

/* Every log message of the process while an audit runs, debug included. */
static GString *audit_log = NULL;

static GLogWriterOutput
audit_log_writer (GLogLevelFlags   log_level,
                  const GLogField *fields,
                  gsize            n_fields,
                  gpointer         user_data)
{
  if (audit_log != NULL)
    {
      g_autofree char *line = g_log_writer_format_fields (log_level, fields, n_fields, FALSE);

      g_string_append (audit_log, line);
      g_string_append_c (audit_log, '\n');
      /* Captured, not printed: the audit turns every debug domain on. */
      if (log_level & G_LOG_LEVEL_DEBUG)
        return G_LOG_WRITER_HANDLED;
    }
  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

/* All text a widget tree shows or holds: labels, entries, tooltips. */
static void
collect_widget_text (GtkWidget *widget,
                     GString   *out)
{
  const char *tooltip = gtk_widget_get_tooltip_text (widget);

  if (GTK_IS_LABEL (widget))
    g_string_append_printf (out, "%s\n", gtk_label_get_label (GTK_LABEL (widget)));
  if (GTK_IS_EDITABLE (widget))
    g_string_append_printf (out, "%s\n", gtk_editable_get_text (GTK_EDITABLE (widget)));
  if (tooltip != NULL)
    g_string_append_printf (out, "%s\n", tooltip);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_widget_text (child, out);
}

static void
collect_screen_text (GString *out)
{
  GListModel *toplevels = gtk_window_get_toplevels ();   /* not ours */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

      collect_widget_text (window, out);
    }
}

static gboolean
bytes_contain (const char *data,
               gsize       len,
               const char *needle)
{
  gsize n = strlen (needle);

  for (gsize i = 0; n <= len && i <= len - n; i++)
    if (data[i] == needle[0] && memcmp (data + i, needle, n) == 0)
      return TRUE;
  return FALSE;
}

/* Fails if @secret is in any file below @path. */
static void
assert_files_clean (const char *path,
                    const char *secret)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      g_autofree char *contents = NULL;
      gsize len = 0;

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        {
          assert_files_clean (child, secret);
          continue;
        }
      if (g_file_get_contents (child, &contents, &len, NULL) &&
          bytes_contain (contents, len, secret))
        g_error ("The secret %.6s… is in %s", secret, child);
    }
}

static void
assert_settings_clean (GSettings  *settings,
                       const char *secret)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;

  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autoptr(GVariant) value = g_settings_get_value (settings, keys[i]);
      g_autofree char *text = g_variant_print (value, FALSE);

      if (strstr (text, secret) != NULL)
        g_error ("The secret %.6s… is in the setting %s", secret, keys[i]);
    }
}

static void
wait_until_sync_stops (Fixture *fixture)
{
  TdmSyncEngine *engine = tdm_context_get_engine (tdm_application_get_context (fixture->app));
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  iterate (50);
  while (tdm_sync_engine_is_running (engine))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  iterate (200);
}

/* Another process (`tandem --sync-now` from a system timer, here a lock
 * taken on the side) is syncing the same state: the window's Sync says so in
 * a toast and starts nothing; a timer tick is skipped without a back-off and
 * the engine shows why. Once the other run ends, both sync again. */
static void
test_sync_while_another_runs (Fixture       *fixture,
                              gconstpointer  data)
{
  TdmContext *context = tdm_application_get_context (fixture->app);
  TdmStore *store = TDM_STORE (tdm_context_get_store (context));
  TdmSyncEngine *engine = tdm_context_get_engine (context);
  TdmSyncScheduler *scheduler = tdm_context_get_scheduler (context);
  g_autofree char *lock_path = tdm_run_lock_path_for (tdm_store_get_path (store));
  g_autofree char *expected = g_strdup_printf ("Another sync is running (pid %ld)",
                                               (long) getpid ());
  g_autoptr(TdmRunLock) other = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) runs = NULL;
  const char *toast;
  Fakes fakes = { 0 };

  /* A first run loads the connectors the timer's runs use. */
  start_fakes (fixture, &fakes);
  g_assert_true (g_str_has_prefix (sync_and_wait (fixture), "Sync finished"));
  wait_until_sync_stops (fixture);

  other = tdm_run_lock_acquire (lock_path, &error);
  g_assert_no_error (error);

  toast = sync_and_wait (fixture);
  g_assert_true (g_str_has_prefix (toast, expected));
  g_assert_false (tdm_sync_engine_is_running (engine));

  /* The timer's tick. */
  g_assert_true (tdm_sync_scheduler_run_now (scheduler));
  wait_until_sync_stops (fixture);
  g_assert_cmpint (tdm_sync_engine_get_state (engine), ==, TDM_ENGINE_ERROR);
  g_assert_true (g_str_has_prefix (tdm_sync_engine_get_last_error (engine), expected));
  g_assert_cmpuint (tdm_sync_scheduler_get_failures (scheduler), ==, 0);

  /* Neither was recorded as a run: only the first one is. */
  runs = tdm_store_list_runs (store, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (runs->len, ==, 1);

  g_clear_pointer (&other, tdm_run_lock_release);
  toast = sync_and_wait (fixture);
  g_assert_true (g_str_has_prefix (toast, "Sync finished"));
  wait_until_sync_stops (fixture);

  /* The window's run gave the lock back. */
  other = tdm_run_lock_acquire (lock_path, &error);
  g_assert_no_error (error);
  g_clear_pointer (&other, tdm_run_lock_release);
  stop_fakes (&fakes);
}

/* With every debug message on, rejected secrets on both sides go through
 * Test Connection, the Sync button (its toast, the Activity page and the
 * notification path), and a sync that succeeds after the secrets are fixed.
 * No secret may show in any log line, any text on screen, the settings or
 * the files Tandem keeps. */
static void
test_secrets_audit (Fixture       *fixture,
                    gconstpointer  data)
{
  static const char *wrong_webshop = "audit-ui-webshop-wrong-3f9a1c";
  static const char *wrong_shopify = "audit-ui-shopify-wrong-81d2e7";
  const char *secrets[] = { "webshop-test-token", "fake-client-secret", wrong_webshop,
                            wrong_shopify, NULL };
  g_autoptr(GString) screen = g_string_new (NULL);
  TdmPreferencesWindow *prefs;
  const char *result;
  const char *toast;
  Fakes fakes = { 0 };
  const char *dirs[4];

  audit_log = g_string_new (NULL);
  g_log_set_debug_enabled (TRUE);

  start_fakes (fixture, &fakes);
  store_secret (fixture, TDM_SIDE_WEBSHOP, tdm_fake_webshop_get_url (fakes.webshop), wrong_webshop);
  store_secret (fixture, TDM_SIDE_SHOPIFY, tdm_fake_shopify_get_url (fakes.shopify), wrong_shopify);

  /* Test Connection: both sides refuse. */
  prefs = open_preferences (fixture);
  g_signal_emit_by_name (prefs_child (prefs, "webshop_test_button"), "clicked");
  result = wait_for_test_result (prefs, "webshop_test_spinner", "webshop_test_row");
  g_test_message ("Webshop test with a wrong secret: %s", result);
  g_assert_true (gtk_widget_has_css_class (prefs_child (prefs, "webshop_test_row"), "error"));
  g_signal_emit_by_name (prefs_child (prefs, "shopify_test_button"), "clicked");
  result = wait_for_test_result (prefs, "shopify_test_spinner", "shopify_test_row");
  g_test_message ("Shopify test with a wrong secret: %s", result);
  g_assert_true (gtk_widget_has_css_class (prefs_child (prefs, "shopify_test_row"), "error"));
  collect_screen_text (screen);
  gtk_window_destroy (GTK_WINDOW (prefs));

  /* The Sync button: the run stops on the refused secret. */
  toast = sync_and_wait (fixture);
  g_assert_false (g_str_has_prefix (toast, "Sync finished"));
  g_string_append_printf (screen, "%s\n", toast);
  wait_until_sync_stops (fixture);
  g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "show-page",
                                  g_variant_new_string ("activity"));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (fixture->window));
  iterate (200);
  collect_screen_text (screen);

  /* Only Shopify's secret fixed: now the webshop refuses the run. */
  store_secret (fixture, TDM_SIDE_SHOPIFY, tdm_fake_shopify_get_url (fakes.shopify),
                "fake-client-secret");
  toast = sync_and_wait (fixture);
  g_assert_nonnull (strstr (toast, "webshop"));
  g_string_append_printf (screen, "%s\n", toast);
  wait_until_sync_stops (fixture);
  collect_screen_text (screen);

  /* Both fixed: a complete sync. */
  store_secret (fixture, TDM_SIDE_WEBSHOP, tdm_fake_webshop_get_url (fakes.webshop),
                "webshop-test-token");
  toast = sync_and_wait (fixture);
  g_assert_true (g_str_has_prefix (toast, "Sync finished"));
  wait_until_sync_stops (fixture);
  collect_screen_text (screen);
  take_screenshot (GTK_WINDOW (fixture->window), "screenshot-audit.png");
  {
    /* The newest toast replaces the older ones instead of queueing behind
     * them: after three runs only the last one's message shows. */
    g_autoptr(GString) now = g_string_new (NULL);

    iterate (500);
    collect_widget_text (GTK_WIDGET (fixture->window), now);
    g_assert_nonnull (strstr (now->str, "Sync finished"));
    g_assert_null (strstr (now->str, "Sync failed"));
  }

  g_log_set_debug_enabled (FALSE);
  /* The audit means something only if the debug log and the error texts
   * really were there. */
  g_assert_nonnull (strstr (audit_log->str, "tdm-http"));
  g_assert_cmpuint (screen->len, >, 200);

  dirs[0] = g_get_user_data_dir ();
  dirs[1] = g_get_user_config_dir ();
  dirs[2] = g_get_user_cache_dir ();
  dirs[3] = g_get_user_state_dir ();
  for (guint i = 0; secrets[i] != NULL; i++)
    {
      if (strstr (audit_log->str, secrets[i]) != NULL)
        g_error ("The secret %.6s… appeared in a log message", secrets[i]);
      if (strstr (screen->str, secrets[i]) != NULL)
        g_error ("The secret %.6s… appeared on screen", secrets[i]);
      assert_settings_clean (fixture->settings, secrets[i]);
      for (guint d = 0; d < G_N_ELEMENTS (dirs); d++)
        assert_files_clean (dirs[d], secrets[i]);
    }
  g_string_free (g_steal_pointer (&audit_log), TRUE);
  stop_fakes (&fakes);
}

/* A conflict under the "ask" policy, resolved in the detail pane, is
 * written by the next run (checked in the fake webshop). */
static void
test_resolve_conflict_end_to_end (Fixture       *fixture,
                                  gconstpointer  data)
{
  TdmEntityPage *customers = TDM_ENTITY_PAGE (tdm_window_get_page (fixture->window, "customers"));
  TdmRecordDetail *detail = tdm_entity_page_get_detail (customers);
  g_autoptr(JsonObject) webshop_patch = json_object_new ();
  g_autoptr(JsonObject) shopify_patch = json_object_new ();
  g_autoptr(JsonObject) after = NULL;
  g_autoptr(TdmRecordItem) item = NULL;
  g_autofree char *webshop_id = NULL;
  g_autofree char *shopify_id = NULL;
  g_autofree char *title = NULL;
  GtkWidget *button;
  Fakes fakes = { 0 };

  start_fakes (fixture, &fakes);
  g_assert_true (g_str_has_prefix (sync_and_wait (fixture), "Sync finished"));

  /* A linked customer, edited differently on both sides. */
  filter (customers, TDM_LINK_STATUS_LINKED);
  title = row_title (customers, 0);
  item = g_list_model_get_item (G_LIST_MODEL (tdm_entity_page_get_model (customers)), 0);
  webshop_id = g_strdup (tdm_store_row_get_webshop_id (tdm_record_item_get_row (item)));
  shopify_id = g_strdup (tdm_store_row_get_shopify_id (tdm_record_item_get_row (item)));
  g_test_message ("Conflict on %s (%s / %s)", title, webshop_id, shopify_id);

  g_settings_set_string (fixture->settings, "conflict-policy", "ask");
  json_object_set_string_member (webshop_patch, "first_name", "Webside");
  json_object_set_string_member (shopify_patch, "firstName", "Shopside");
  g_assert_true (tdm_fake_webshop_update (fakes.webshop, TDM_KIND_CUSTOMER, webshop_id, webshop_patch));
  g_assert_true (tdm_fake_shopify_edit (fakes.shopify, TDM_KIND_CUSTOMER, shopify_id, shopify_patch, NULL));
  g_assert_true (g_str_has_prefix (sync_and_wait (fixture), "Sync finished"));

  /* The page lists it as a conflict; the detail offers the choice. */
  search (customers, webshop_id);
  filter (customers, TDM_LINK_STATUS_CONFLICT);
  g_assert_cmpuint (n_rows (customers), ==, 1);
  g_clear_pointer (&title, g_free);
  title = row_title (customers, 0);
  tdm_entity_page_show_detail (customers, 0);
  wait_for_detail (detail);
  g_assert_cmpstr (tdm_record_detail_get_field_state (detail, "first_name"), ==, "conflict");
  button = find_button (GTK_WIDGET (detail), "Use Shopify");
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");

  g_assert_true (g_str_has_prefix (sync_and_wait (fixture), "Sync finished"));
  after = tdm_fake_webshop_get_record (fakes.webshop, TDM_KIND_CUSTOMER, webshop_id);
  g_assert_nonnull (after);
  g_assert_cmpstr (json_object_get_string_member (after, "first_name"), ==, "Shopside");

  g_settings_reset (fixture->settings, "conflict-policy");
  stop_fakes (&fakes);
}

static void
test_large_run_confirmation (Fixture       *fixture,
                             gconstpointer  data)
{
  AdwMessageDialog *dialog = NULL;
  gint64 deadline;
  Fakes fakes = { 0 };

  g_settings_set_uint (fixture->settings, "large-run-threshold", 3);
  start_fakes (fixture, &fakes);

  /* The first sync would change far more than 3 records: the window asks. */
  g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "sync-now", NULL);
  deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  while ((dialog = (AdwMessageDialog *) find_toplevel (ADW_TYPE_MESSAGE_DIALOG)) == NULL)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  g_assert_null (tdm_window_get_last_toast (fixture->window));
  g_test_message ("Breaker: %s", adw_message_dialog_get_body (dialog));
  /* The plan it stopped is shown, one change per line. */
  {
    GtkWidget *extra = adw_message_dialog_get_extra_child (dialog);
    GtkWidget *label;

    g_assert_nonnull (extra);
    label = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (extra));
    if (GTK_IS_VIEWPORT (label))
      label = gtk_viewport_get_child (GTK_VIEWPORT (label));
    g_assert_true (GTK_IS_LABEL (label));
    g_assert_cmpuint (strlen (gtk_label_get_text (GTK_LABEL (label))), >, 0);
    g_assert_nonnull (strchr (gtk_label_get_text (GTK_LABEL (label)), '\n'));
  }
  take_screenshot (GTK_WINDOW (dialog), "screenshot-confirm-large-run.png");

  adw_message_dialog_response (dialog, "run");
  g_assert_true (g_str_has_prefix (wait_for_toast (fixture), "Sync finished"));

  g_settings_reset (fixture->settings, "large-run-threshold");
  stop_fakes (&fakes);
}

static void
test_about_opens (Fixture       *fixture,
                  gconstpointer  data)
{
  AdwAboutWindow *about;

  g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "about", NULL);
  about = ADW_ABOUT_WINDOW (find_window (fixture, ADW_TYPE_ABOUT_WINDOW));
  g_assert_nonnull (about);
  g_assert_cmpstr (adw_about_window_get_version (about), ==, PACKAGE_VERSION);
  g_assert_cmpstr (adw_about_window_get_application_icon (about), ==, APP_ID);
  g_assert_cmpstr (adw_about_window_get_website (about), ==, "https://github.com/tandemsync/tandem");
  g_assert_cmpint (adw_about_window_get_license_type (about), ==, GTK_LICENSE_GPL_3_0);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (about)) == GTK_WINDOW (fixture->window));
}

static void
test_shortcuts_opens (Fixture       *fixture,
                      gconstpointer  data)
{
  g_auto(GStrv) accels = NULL;

  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (fixture->app), "app.shortcuts");
  g_assert_cmpstr (accels[0], ==, "<Control>question");
  accels = (g_strfreev (accels), gtk_application_get_accels_for_action (GTK_APPLICATION (fixture->app), "app.quit"));
  g_assert_cmpstr (accels[0], ==, "<Control>q");

  g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "shortcuts", NULL);
  g_assert_nonnull (find_window (fixture, GTK_TYPE_SHORTCUTS_WINDOW));
}

static void
test_entity_pages (Fixture       *fixture,
                   gconstpointer  data)
{
  TdmEntityPage *customers = TDM_ENTITY_PAGE (tdm_window_get_page (fixture->window, "customers"));
  TdmEntityPage *products = TDM_ENTITY_PAGE (tdm_window_get_page (fixture->window, "products"));
  TdmEntityPage *orders = TDM_ENTITY_PAGE (tdm_window_get_page (fixture->window, "orders"));
  GtkColumnView *column_view;
  g_autoptr(GtkColumnViewColumn) email_column = NULL;
  g_autofree char *title = NULL;

  wait_for_page (customers);
  g_assert_cmpstr (tdm_entity_page_get_state (customers), ==, "list");
  g_assert_cmpuint (n_rows (customers), ==, 4);
  /* Sorted by name by default. */
  title = row_title (customers, 0);
  g_assert_cmpstr (title, ==, "Eva Lie");
  g_clear_pointer (&title, g_free);

  /* Columns: name, email, phone, then the common ones. */
  column_view = tdm_entity_page_get_column_view (customers);
  g_assert_cmpuint (g_list_model_get_n_items (gtk_column_view_get_columns (column_view)), ==, 7);

  /* Search by a word prefix. */
  search (customers, "kari");
  g_assert_cmpuint (n_rows (customers), ==, 1);
  title = row_title (customers, 0);
  g_assert_cmpstr (title, ==, "Kari Nordmann");
  g_clear_pointer (&title, g_free);

  search (customers, "nobody-is-called-this");
  g_assert_cmpuint (n_rows (customers), ==, 0);
  g_assert_cmpstr (tdm_entity_page_get_state (customers), ==, "no-results");
  search (customers, "");

  /* The status filter. */
  filter (customers, TDM_LINK_STATUS_CONFLICT);
  g_assert_cmpuint (n_rows (customers), ==, 1);
  title = row_title (customers, 0);
  g_assert_cmpstr (title, ==, "Per Berg");
  g_clear_pointer (&title, g_free);

  filter (customers, TDM_LINK_STATUS_ERROR);
  g_assert_cmpuint (n_rows (customers), ==, 1);
  title = row_title (customers, 0);
  g_assert_cmpstr (title, ==, "Eva Lie");
  g_clear_pointer (&title, g_free);

  filter (customers, TDM_LINK_STATUS_ONLY_WEBSHOP);
  g_assert_cmpuint (n_rows (customers), ==, 1);
  title = row_title (customers, 0);
  g_assert_cmpstr (title, ==, "Ola Hansen");
  g_clear_pointer (&title, g_free);

  filter (customers, TDM_LINK_STATUS_LINKED);
  g_assert_cmpuint (n_rows (customers), ==, 1);
  filter (customers, TDM_LINK_STATUS_ALL);
  g_assert_cmpuint (n_rows (customers), ==, 4);

  /* Clicking the Email header sorts in the store: descending puts per@ first. */
  email_column = g_list_model_get_item (gtk_column_view_get_columns (column_view), 1);
  gtk_column_view_sort_by_column (column_view, email_column, GTK_SORT_DESCENDING);
  wait_for_page (customers);
  title = row_title (customers, 0);
  g_assert_cmpstr (title, ==, "Per Berg");
  g_clear_pointer (&title, g_free);
  gtk_column_view_sort_by_column (column_view, email_column, GTK_SORT_ASCENDING);
  wait_for_page (customers);
  title = row_title (customers, 0);
  g_assert_cmpstr (title, ==, "Eva Lie");
  g_clear_pointer (&title, g_free);
  gtk_column_view_sort_by_column (column_view, NULL, GTK_SORT_ASCENDING);
  wait_for_page (customers);

  take_screenshot (GTK_WINDOW (fixture->window), "screenshot-customers.png");

  wait_for_page (products);
  g_assert_cmpuint (n_rows (products), ==, 2);
  wait_for_page (orders);
  g_assert_cmpuint (n_rows (orders), ==, 1);
  title = row_title (orders, 0);
  g_assert_cmpstr (title, ==, "1001");
  g_clear_pointer (&title, g_free);

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.page", "s", "products");
  take_screenshot (GTK_WINDOW (fixture->window), "screenshot-products.png");
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.page", "s", "orders");
  take_screenshot (GTK_WINDOW (fixture->window), "screenshot-orders.png");
}

static void
test_record_detail (Fixture       *fixture,
                    gconstpointer  data)
{
  TdmEntityPage *customers = TDM_ENTITY_PAGE (tdm_window_get_page (fixture->window, "customers"));
  TdmRecordDetail *detail = tdm_entity_page_get_detail (customers);
  TdmContext *context = tdm_application_get_context (fixture->app);
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;

  wait_for_page (customers);
  filter (customers, TDM_LINK_STATUS_CONFLICT);
  title = row_title (customers, 0);
  g_assert_cmpstr (title, ==, "Per Berg");

  tdm_entity_page_show_detail (customers, 0);
  wait_for_detail (detail);
  g_assert_cmpstr (tdm_store_row_get_webshop_id (tdm_record_detail_get_row (detail)), ==, "103");
  g_assert_cmpstr (tdm_record_detail_get_field_state (detail, "email"), ==, "conflict");
  g_assert_cmpstr (tdm_record_detail_get_field_state (detail, "first_name"), ==, "same");
  /* The identity row shows the link's two ids, not two empty values. */
  g_assert_cmpstr (tdm_record_detail_get_field_state (detail, "id"), ==, "linked");
  {
    g_autoptr(GString) text = g_string_new (NULL);

    collect_widget_text (GTK_WIDGET (detail), text);
    g_assert_nonnull (strstr (text->str, "Webshop: 103\nShopify: gid://shopify/Customer/"));
  }
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1280, 800);
  take_screenshot (GTK_WINDOW (fixture->window), "screenshot-detail.png");

  conflicts = tdm_record_store_list_conflicts (tdm_context_get_store (context), TDM_KIND_CUSTOMER,
                                               "103", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (conflicts->len, ==, 1);

  /* "Use Shopify" on the email conflict stores the choice for the next run. */
  {
    GtkWidget *button = find_button (GTK_WIDGET (detail), "Use Shopify");
    g_autoptr(GHashTable) resolutions = NULL;

    g_assert_nonnull (button);
    g_signal_emit_by_name (button, "clicked");
    resolutions = tdm_record_store_take_resolutions (tdm_context_get_store (context),
                                                     TDM_KIND_CUSTOMER, "103", &error);
    g_assert_no_error (error);
    g_assert_nonnull (resolutions);
    g_assert_cmpint (GPOINTER_TO_INT (g_hash_table_lookup (resolutions, "email")), ==,
                     TDM_SIDE_SHOPIFY + 1);
  }
}

static void
on_activity_exported_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  gssize *n = user_data;
  g_autoptr(GError) error = NULL;

  *n = tdm_activity_page_export_finish (TDM_ACTIVITY_PAGE (source), result, &error);
  g_assert_no_error (error);
}

static void
test_activity_page (Fixture       *fixture,
                    gconstpointer  data)
{
  TdmActivityPage *activity = TDM_ACTIVITY_PAGE (tdm_window_get_page (fixture->window, "activity"));
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (tdm_activity_page_get_n_runs (activity) == 0)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  g_assert_cmpuint (tdm_activity_page_get_n_runs (activity), ==, 1);
  g_assert_cmpuint (tdm_activity_page_get_n_errors (activity), ==, 1);
  g_assert_cmpuint (tdm_activity_page_get_n_review (activity), ==, 1);
  g_assert_cmpstr (tdm_activity_page_get_state (activity), ==, "list");
  {
    /* The record to review is named, not only numbered. */
    g_autoptr(GString) text = g_string_new (NULL);

    collect_widget_text (GTK_WIDGET (activity), text);
    g_assert_nonnull (strstr (text->str, "Customer Ola Hansen (102) · Webshop"));
  }

  /* The activity log exports as CSV: a header, the run, then the error. */
  {
    g_autofree char *dir = g_dir_make_tmp ("tandem-activity-XXXXXX", NULL);
    g_autofree char *path = g_build_filename (dir, "activity.csv", NULL);
    g_autoptr(GFile) file = g_file_new_for_path (path);
    g_autofree char *csv = NULL;
    g_auto(GStrv) lines = NULL;
    gssize n = -2;

    tdm_activity_page_export_async (activity, file, NULL, on_activity_exported_cb, &n);
    while (n == -2)
      g_main_context_iteration (NULL, TRUE);
    g_assert_cmpint (n, ==, 2);
    g_assert_true (g_file_get_contents (path, &csv, NULL, NULL));
    lines = g_strsplit (csv, "\r\n", -1);
    g_assert_cmpuint (g_strv_length (lines), ==, 4);
    g_assert_true (g_str_has_prefix (lines[0], "Entry,Started,Finished,Outcome,Created"));
    g_assert_true (g_str_has_prefix (lines[1], "run,"));
    g_assert_true (g_str_has_prefix (lines[2], "record error,"));
    g_assert_nonnull (strstr (lines[2], ",customer,"));
    g_unlink (path);
    g_rmdir (dir);
  }

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.page", "s", "activity");
  take_screenshot (GTK_WINDOW (fixture->window), "screenshot-activity.png");

  /* A record error links to its record: the page opens with the details. */
  {
    TdmEntityPage *customers = TDM_ENTITY_PAGE (tdm_window_get_page (fixture->window, "customers"));
    TdmRecordDetail *detail = tdm_entity_page_get_detail (customers);

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-record",
                                               "(iss)", (int) TDM_KIND_CUSTOMER, "shopify",
                                               "gid://shopify/Customer/104"));
    g_assert_cmpstr (tdm_window_get_visible_page (fixture->window), ==, "customers");
    wait_for_detail (detail);
    g_assert_cmpstr (tdm_store_row_get_webshop_id (tdm_record_detail_get_row (detail)), ==, "104");
  }

  /* The owner settles the ambiguous match by picking a twin: the pair is
   * linked and leaves the review list. */
  {
    TdmContext *context = tdm_application_get_context (fixture->app);
    GtkWidget *link_button = find_button (GTK_WIDGET (activity), "Link to gid://shopify/Customer/105");
    g_autoptr(TdmLink) link = NULL;
    g_autoptr(GError) error = NULL;
    gint64 until = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

    g_assert_nonnull (link_button);
    g_assert_nonnull (find_button (GTK_WIDGET (activity), "Dismiss"));
    g_assert_nonnull (find_button (GTK_WIDGET (activity), "Create a New Record"));
    g_assert_true (g_action_group_has_action (G_ACTION_GROUP (fixture->app), "create-record"));
    g_assert_true (g_action_group_has_action (G_ACTION_GROUP (fixture->app), "retry-failed"));
    g_assert_nonnull (find_button (GTK_WIDGET (activity), "_Retry All Failed"));
    g_signal_emit_by_name (link_button, "clicked");
    link = tdm_record_store_lookup_link (tdm_context_get_store (context), TDM_KIND_CUSTOMER,
                                         TDM_SIDE_WEBSHOP, "102", &error);
    g_assert_no_error (error);
    g_assert_nonnull (link);
    g_assert_cmpstr (link->shopify_id, ==, "gid://shopify/Customer/105");
    while (tdm_activity_page_get_n_review (activity) != 0)
      {
        g_assert_cmpint (g_get_monotonic_time (), <, until);
        g_main_context_iteration (NULL, TRUE);
      }
  }
}

static void
test_demo_bar (Fixture       *fixture,
               gconstpointer  data)
{
  GtkRevealer *revealer;
  TdmEntityPage *customers = TDM_ENTITY_PAGE (tdm_window_get_page (fixture->window, "customers"));

  g_assert_true (tdm_context_get_demo (tdm_application_get_context (fixture->app)));
  revealer = GTK_REVEALER (gtk_widget_get_template_child (GTK_WIDGET (fixture->window),
                                                          TDM_TYPE_WINDOW, "demo_revealer"));
  g_assert_true (gtk_revealer_get_reveal_child (revealer));

  wait_for_page (customers);
  take_screenshot (GTK_WINDOW (fixture->window), "screenshot-demo.png");
}

static void
test_no_demo_bar (Fixture       *fixture,
                  gconstpointer  data)
{
  GtkRevealer *revealer;

  revealer = GTK_REVEALER (gtk_widget_get_template_child (GTK_WIDGET (fixture->window),
                                                          TDM_TYPE_WINDOW, "demo_revealer"));
  g_assert_false (gtk_revealer_get_reveal_child (revealer));
}

/* A damaged state database: the window explains instead of the pages, and
 * nothing that needs the services is enabled. */
static void
test_services_failed (void)
{
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "broken-state", NULL);
  g_autofree char *db = g_build_filename (dir, "state.sqlite3", NULL);
  g_autoptr(TdmApplication) app = tdm_application_new ();
  g_autoptr(GError) error = NULL;
  GtkWindow *window = NULL;
  GtkStack *main_stack;
  GtkWidget *error_page;

  g_mkdir_with_parents (dir, 0700);
  g_file_set_contents (db, "This is not an SQLite database, it is a shopping list.", -1, &error);
  g_assert_no_error (error);

  g_application_set_application_id (G_APPLICATION (app), APP_ID ".TestBroken");
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_setenv ("TANDEM_STATE_DIR", dir, TRUE);
  g_test_expect_message ("tdm-application", G_LOG_LEVEL_WARNING, "Could not set up Tandem*");
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_test_assert_expected_messages ();
  g_unsetenv ("TANDEM_STATE_DIR");
  g_assert_no_error (error);

  g_assert_null (tdm_application_get_context (app));
  g_assert_nonnull (tdm_application_get_context_error (app));
  g_test_message ("Services failed: %s", tdm_application_get_context_error (app)->message);

  g_application_activate (G_APPLICATION (app));
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL; l = l->next)
    if (TDM_IS_WINDOW (l->data))
      window = l->data;
  g_assert_nonnull (window);

  main_stack = GTK_STACK (gtk_widget_get_template_child (GTK_WIDGET (window), TDM_TYPE_WINDOW,
                                                         "main_stack"));
  error_page = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (window), TDM_TYPE_WINDOW,
                                                          "error_page"));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (main_stack), ==, "error");
  g_assert_nonnull (strstr (adw_status_page_get_description (ADW_STATUS_PAGE (error_page)),
                            tdm_application_get_context_error (app)->message));
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (app), "sync-now"));

  /* Preferences still open: the settings do not need the database. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  take_screenshot (window, "screenshot-services-failed.png");

  {
    g_autoptr(GList) windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (app)));
    for (GList *l = windows; l != NULL; l = l->next)
      gtk_window_destroy (l->data);
  }
  iterate (50);
}

static void
test_narrow_window (Fixture       *fixture,
                    gconstpointer  data)
{
  GtkWidget *bar = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (fixture->window),
                                                              TDM_TYPE_WINDOW, "switcher_bar"));

  /* Wide: the switcher sits in the header bar. */
  g_assert_false (adw_view_switcher_bar_get_reveal (ADW_VIEW_SWITCHER_BAR (bar)));

  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 400, 640);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (fixture->window));
  iterate (300);
  g_assert_true (adw_view_switcher_bar_get_reveal (ADW_VIEW_SWITCHER_BAR (bar)));
  take_screenshot (GTK_WINDOW (fixture->window), "screenshot-narrow.png");
}

static void
on_lookup_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  char **secret = user_data;
  g_autoptr(GError) error = NULL;

  *secret = tdm_credential_store_lookup_finish (TDM_CREDENTIAL_STORE (source), result, &error);
  g_assert_no_error (error);
  if (*secret == NULL)
    *secret = g_strdup ("");
}

static gboolean
file_contains (const char *path,
               const char *needle)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, NULL))
    return FALSE;
  for (gsize i = 0; i + strlen (needle) <= length; i++)
    if (memcmp (contents + i, needle, strlen (needle)) == 0)
      return TRUE;
  return FALSE;
}

/* With the real keyring (tests/ui/meson.build runs this under a throw-away
 * gnome-keyring): the secret typed in Preferences is in the keyring, and
 * neither in the settings nor in the state database. */
static void
test_keyring_secret (void)
{
  const char *secret_text = "k3yring-s3cret-value";
  const char *url = "https://shop.example.com/api/tandem/v1";
  g_autoptr(TdmApplication) app = NULL;
  g_autoptr(GSettings) settings = g_settings_new (SCHEMA_ID);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;
  TdmPreferencesWindow *prefs = NULL;
  TdmContext *context;
  GtkWidget *secret_row;
  char *stored = NULL;
  gint64 deadline;

  if (g_strcmp0 (g_getenv ("TANDEM_TEST_KEYRING"), "1") != 0)
    {
      g_test_skip ("Needs a throw-away gnome-keyring: run by the ui-keyring test.");
      return;
    }

  app = tdm_application_new ();
  g_application_set_application_id (G_APPLICATION (app), APP_ID ".TestKeyring");
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  context = tdm_application_get_context (app);
  g_assert_nonnull (context);

  g_settings_set_string (settings, "webshop-url", url);
  g_application_activate (G_APPLICATION (app));
  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL; l = l->next)
    if (TDM_IS_PREFERENCES_WINDOW (l->data))
      prefs = l->data;
  g_assert_nonnull (prefs);

  apply_row (prefs, "webshop_secret_row", secret_text);
  secret_row = prefs_child (prefs, "webshop_secret_row");
  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while (strstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (secret_row)), "keyring") == NULL)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }

  tdm_credential_store_lookup_async (tdm_context_get_credentials (context), TDM_SIDE_WEBSHOP, url,
                                     NULL, on_lookup_cb, &stored);
  while (stored == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (stored, ==, secret_text);
  tdm_credential_free (stored);

  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autoptr(GVariant) v = g_settings_get_value (settings, keys[i]);
      g_autofree char *text = g_variant_print (v, FALSE);

      g_assert_null (strstr (text, secret_text));
    }

  {
    const char *suffixes[] = { "", "-wal", "-journal" };
    for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
      {
        g_autofree char *name = g_strconcat ("state.sqlite3", suffixes[i], NULL);
        g_autofree char *path = g_build_filename (tdm_context_get_state_dir (context), name, NULL);

        g_assert_false (file_contains (path, secret_text));
      }
  }

  {
    g_autoptr(GList) windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (app)));
    for (GList *l = windows; l != NULL; l = l->next)
      gtk_window_destroy (l->data);
  }
  g_settings_reset (settings, "webshop-url");
  iterate (50);
}

/* The keys /ui/preferences/refresh changes; reset before and after. */
static const char * const refresh_keys[] = {
  "webshop-url", "webshop-profile", "webshop-auth", "webshop-auth-header", "webshop-user",
  "shopify-shop", "shopify-api-version", "shopify-auth", "shopify-client-id", "sync-interval",
  "run-in-background", "conflict-policy", "first-link-policy", "delete-policy",
  "sync-customers", "sync-products", "sync-orders", NULL
};

static void
reset_refresh_keys (GSettings *settings)
{
  for (guint i = 0; refresh_keys[i] != NULL; i++)
    g_settings_reset (settings, refresh_keys[i]);
}

static const char *
entry_text (TdmPreferencesWindow *prefs,
            const char           *name)
{
  return gtk_editable_get_text (GTK_EDITABLE (prefs_child (prefs, name)));
}

static guint
combo_selected (TdmPreferencesWindow *prefs,
                const char           *name)
{
  return adw_combo_row_get_selected (ADW_COMBO_ROW (prefs_child (prefs, name)));
}

static const char *
prefs_row_title (TdmPreferencesWindow *prefs,
           const char           *name)
{
  return adw_preferences_row_get_title (ADW_PREFERENCES_ROW (prefs_child (prefs, name)));
}

/* Iterates the main loop until `name`'s title contains `part` (5 s at most). */
static void
wait_for_title (TdmPreferencesWindow *prefs,
                const char           *name,
                const char           *part)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  while (strstr (prefs_row_title (prefs, name), part) == NULL)
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("Row %s still reads “%s”, expected “%s” in it",
                 name, prefs_row_title (prefs, name), part);
      iterate (10);
    }
}

/* The AdwActionRow titled `title` somewhere below `widget`. */
static AdwActionRow *
find_action_row (GtkWidget  *widget,
                 const char *title)
{
  if (ADW_IS_ACTION_ROW (widget) &&
      g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0)
    return ADW_ACTION_ROW (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      AdwActionRow *row = find_action_row (child, title);

      if (row != NULL)
        return row;
    }
  return NULL;
}

/* Preferences show settings changed from outside while the window is open
 * (gsettings, the headless runner, other parts of the app), without
 * clobbering what the owner is typing, and rows the owner applies still
 * write their settings. */
static void
test_preferences_refresh (Fixture       *fixture,
                          gconstpointer  data)
{
  static const struct {
    const char *key;
    const char *row;
    const char *value;
  } entries[] = {
    { "webshop-url", "webshop_url_row", "https://outside.example.com/api/tandem/v1" },
    { "webshop-auth-header", "webshop_header_row", "X-Shop-Key" },
    { "webshop-user", "webshop_user_row", "runner" },
    { "shopify-shop", "shopify_shop_row", "outside-shop.myshopify.com" },
    { "shopify-client-id", "shopify_client_id_row", "client-from-outside" },
    { "shopify-api-version", "shopify_version_row", "2027-01" },
  };
  static const struct {
    const char *key;
    const char *row;
    const char *value;
    guint       selected;
  } combos[] = {
    { "webshop-profile", "webshop_profile_row", "page-apikey", 1 },
    { "webshop-auth", "webshop_auth_row", "basic", 1 },
    { "shopify-auth", "shopify_auth_row", "token", 1 },
    { "conflict-policy", "conflict_row", "ask", 3 },
    { "first-link-policy", "first_link_row", "shopify-wins", 2 },
    { "delete-policy", "delete_row", "propagate", 1 },
    { "sync-customers", "customers_direction_row", "off", 3 },
    { "sync-products", "products_direction_row", "to-shopify", 1 },
    { "sync-orders", "orders_direction_row", "to-webshop", 2 },
  };
  TdmPreferencesWindow *prefs;
  GtkAdjustment *interval;
  GtkWidget *background_switch;
  GtkWidget *url_row;
  GtkWidget *user_row;
  GtkWidget *version_row;
  AdwActionRow *test_row;
  AdwActionRow *login_row;
  GListModel *profiles;
  g_autofree char *value = NULL;
  g_autofree char *login_before = NULL;
  gint64 deadline;

  reset_refresh_keys (fixture->settings);
  prefs = open_preferences (fixture);
  url_row = prefs_child (prefs, "webshop_url_row");
  user_row = prefs_child (prefs, "webshop_user_row");
  version_row = prefs_child (prefs, "shopify_version_row");

  /* Entry rows (one string each). */
  for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
    {
      g_assert_cmpstr (entry_text (prefs, entries[i].row), !=, entries[i].value);
      g_settings_set_string (fixture->settings, entries[i].key, entries[i].value);
      iterate (20);
      g_assert_cmpstr (entry_text (prefs, entries[i].row), ==, entries[i].value);
      g_assert_false (gtk_widget_has_css_class (prefs_child (prefs, entries[i].row), "error"));
    }

  /* A value the row would refuse is shown and marked, and unmarked when fixed. */
  g_settings_set_string (fixture->settings, "shopify-api-version", "next-year");
  iterate (20);
  g_assert_cmpstr (entry_text (prefs, "shopify_version_row"), ==, "next-year");
  g_assert_true (gtk_widget_has_css_class (version_row, "error"));
  g_settings_set_string (fixture->settings, "shopify-api-version", "2027-04");
  iterate (20);
  g_assert_cmpstr (entry_text (prefs, "shopify_version_row"), ==, "2027-04");
  g_assert_false (gtk_widget_has_css_class (version_row, "error"));

  /* Combo rows. */
  for (guint i = 0; i < G_N_ELEMENTS (combos); i++)
    {
      g_assert_cmpuint (combo_selected (prefs, combos[i].row), !=, combos[i].selected);
      g_settings_set_string (fixture->settings, combos[i].key, combos[i].value);
      iterate (20);
      g_assert_cmpuint (combo_selected (prefs, combos[i].row), ==, combos[i].selected);
    }
  /* A choice the owner makes is written. */
  adw_combo_row_set_selected (ADW_COMBO_ROW (prefs_child (prefs, "delete_row")), 0);
  iterate (20);
  value = g_settings_get_string (fixture->settings, "delete-policy");
  g_assert_cmpstr (value, ==, "keep");
  g_clear_pointer (&value, g_free);
  /* … and the rows that depend on the sign-in methods. */
  g_assert_true (gtk_widget_get_visible (user_row));
  g_assert_false (gtk_widget_get_visible (prefs_child (prefs, "webshop_header_row")));
  g_assert_false (gtk_widget_get_visible (prefs_child (prefs, "shopify_client_id_row")));
  g_assert_true (g_str_has_prefix (prefs_row_title (prefs, "webshop_secret_row"), "Password"));
  g_assert_true (g_str_has_prefix (prefs_row_title (prefs, "shopify_secret_row"), "Access token"));

  /* A profile the list did not know when the window opened. */
  g_settings_set_string (fixture->settings, "webshop-profile", "my-own-shop");
  iterate (20);
  profiles = adw_combo_row_get_model (ADW_COMBO_ROW (prefs_child (prefs, "webshop_profile_row")));
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (profiles),
                                               combo_selected (prefs, "webshop_profile_row")),
                   ==, "my-own-shop");
  value = g_settings_get_string (fixture->settings, "webshop-profile");
  g_assert_cmpstr (value, ==, "my-own-shop");
  g_clear_pointer (&value, g_free);

  /* Schedule: the spin button's adjustment and the switch. */
  interval = GTK_ADJUSTMENT (gtk_widget_get_template_child (GTK_WIDGET (prefs),
                                                            TDM_TYPE_PREFERENCES_WINDOW,
                                                            "interval_adjustment"));
  background_switch = prefs_child (prefs, "background_switch");
  g_settings_set_uint (fixture->settings, "sync-interval", 90);
  iterate (20);
  g_assert_cmpfloat (gtk_adjustment_get_value (interval), ==, 90.0);
  gtk_adjustment_set_value (interval, 45.0);
  iterate (20);
  g_assert_cmpuint (g_settings_get_uint (fixture->settings, "sync-interval"), ==, 45);

  /* "Start at Login" shows the Background portal's answer to the switch. */
  login_row = find_action_row (gtk_widget_get_ancestor (background_switch,
                                                        ADW_TYPE_PREFERENCES_GROUP),
                               "Start at Login");
  g_assert_nonnull (login_row);
  login_before = g_strdup (adw_action_row_get_subtitle (login_row));
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (background_switch)));
  g_settings_set_boolean (fixture->settings, "run-in-background", TRUE);
  iterate (20);
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (background_switch)));
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (g_strcmp0 (adw_action_row_get_subtitle (login_row), login_before) == 0)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      iterate (10);
    }
  g_test_message ("Start at Login: %s", adw_action_row_get_subtitle (login_row));
  g_settings_set_boolean (fixture->settings, "run-in-background", FALSE);
  iterate (20);
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (background_switch)));

  /* Whether a secret is saved follows the address it is kept for. */
  store_secret (fixture, TDM_SIDE_WEBSHOP, "https://keyed.example.com/api", "refresh-test-token");
  g_settings_set_string (fixture->settings, "webshop-url", "https://keyed.example.com/api");
  wait_for_title (prefs, "webshop_secret_row", "keyring");
  g_settings_set_string (fixture->settings, "webshop-url", "https://unkeyed.example.com/api");
  wait_for_title (prefs, "webshop_secret_row", "not set");
  g_assert_cmpstr (entry_text (prefs, "webshop_url_row"), ==, "https://unkeyed.example.com/api");

  /* A test result is for the connection it tested: a changed address clears it,
   * re-writing the same value does not. */
  test_row = ADW_ACTION_ROW (prefs_child (prefs, "webshop_test_row"));
  adw_action_row_set_subtitle (test_row, "Connected to “Earlier Shop”.");
  g_settings_set_string (fixture->settings, "webshop-url", "https://unkeyed.example.com/api");
  iterate (20);
  g_assert_cmpstr (adw_action_row_get_subtitle (test_row), ==, "Connected to “Earlier Shop”.");
  g_settings_set_string (fixture->settings, "webshop-url", "https://other.example.com/api");
  iterate (20);
  g_assert_cmpstr (adw_action_row_get_subtitle (test_row), ==,
                   "Save the address and the secret first.");
  test_row = ADW_ACTION_ROW (prefs_child (prefs, "shopify_test_row"));
  adw_action_row_set_subtitle (test_row, "Connected to “Earlier Shop”.");
  g_settings_set_string (fixture->settings, "shopify-auth", "client-credentials");
  iterate (20);
  g_assert_cmpstr (adw_action_row_get_subtitle (test_row), ==,
                   "Save the shop domain and the secret first.");

  /* Unsaved text is the owner's: a change from outside does not replace it… */
  gtk_editable_set_text (GTK_EDITABLE (user_row), "typed-not-applied");
  g_settings_set_string (fixture->settings, "webshop-user", "from-outside");
  iterate (20);
  g_assert_cmpstr (entry_text (prefs, "webshop_user_row"), ==, "typed-not-applied");
  /* … applying it writes the setting, over the outside value… */
  g_signal_emit_by_name (user_row, "apply");
  iterate (20);
  value = g_settings_get_string (fixture->settings, "webshop-user");
  g_assert_cmpstr (value, ==, "typed-not-applied");
  g_clear_pointer (&value, g_free);
  g_assert_cmpstr (entry_text (prefs, "webshop_user_row"), ==, "typed-not-applied");
  /* … and once saved, the row follows the setting again. */
  g_settings_set_string (fixture->settings, "webshop-user", "from-outside-again");
  iterate (20);
  g_assert_cmpstr (entry_text (prefs, "webshop_user_row"), ==, "from-outside-again");

  /* Refused text stays with its mark; the outside value does not hide the mistake. */
  apply_row (prefs, "webshop_url_row", "http://not-loopback.example.com/api");
  iterate (20);
  g_assert_true (gtk_widget_has_css_class (url_row, "error"));
  g_settings_set_string (fixture->settings, "webshop-url", "https://elsewhere.example.com/api");
  iterate (20);
  g_assert_cmpstr (entry_text (prefs, "webshop_url_row"), ==,
                   "http://not-loopback.example.com/api");
  g_assert_true (gtk_widget_has_css_class (url_row, "error"));

  /* Applied text is saved trimmed; the echo does not rewrite what was typed,
   * and the next outside change is shown. */
  apply_row (prefs, "webshop_url_row", "  https://applied.example.com/api  ");
  iterate (20);
  value = g_settings_get_string (fixture->settings, "webshop-url");
  g_assert_cmpstr (value, ==, "https://applied.example.com/api");
  g_clear_pointer (&value, g_free);
  g_assert_false (gtk_widget_has_css_class (url_row, "error"));
  g_assert_cmpstr (entry_text (prefs, "webshop_url_row"), ==,
                   "  https://applied.example.com/api  ");
  g_settings_set_string (fixture->settings, "webshop-url", "https://after.example.com/api");
  iterate (20);
  g_assert_cmpstr (entry_text (prefs, "webshop_url_row"), ==, "https://after.example.com/api");

  /* A row being edited (keyboard focus in it) is refreshed when the focus leaves. */
  gtk_window_present (GTK_WINDOW (prefs));
  gtk_widget_grab_focus (user_row);
  iterate (50);
  if ((gtk_widget_get_state_flags (user_row) & GTK_STATE_FLAG_FOCUS_WITHIN) == 0)
    {
      g_test_skip ("The Preferences window did not get the keyboard focus (no window manager)");
    }
  else
    {
      g_settings_set_string (fixture->settings, "webshop-user", "while-editing");
      iterate (20);
      g_assert_cmpstr (entry_text (prefs, "webshop_user_row"), ==, "from-outside-again");
      gtk_widget_grab_focus (prefs_child (prefs, "webshop_test_button"));
      iterate (50);
      g_assert_cmpstr (entry_text (prefs, "webshop_user_row"), ==, "while-editing");
    }

  /* What the rows wrote is what the settings hold: no row wrote back. */
  value = g_settings_get_string (fixture->settings, "webshop-profile");
  g_assert_cmpstr (value, ==, "my-own-shop");
  g_clear_pointer (&value, g_free);
  g_assert_cmpuint (g_settings_get_uint (fixture->settings, "sync-interval"), ==, 45);
  g_assert_cmpfloat (gtk_adjustment_get_value (interval), ==, 45.0);

  take_screenshot (GTK_WINDOW (prefs), "screenshot-preferences-refresh.png");
  gtk_window_destroy (GTK_WINDOW (prefs));
  iterate (20);
  reset_refresh_keys (fixture->settings);
}

static void
test_no_display (void)
{
  g_test_skip ("No display: run the UI tests under xvfb-run (meson test --suite ui).");
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *system_data_dirs = NULL;
  const char *env;

  /* gdk-pixbuf recognises SVG icons through GIO's MIME database, which is
   * found through the XDG data dirs that G_TEST_OPTION_ISOLATE_DIRS is
   * about to hide: load it first. */
  g_free (g_content_type_guess ("icon.svg", (const guchar *) "<svg", 4, NULL));
  env = g_getenv ("XDG_DATA_DIRS");
  system_data_dirs = g_strdup (env != NULL && *env != '\0' ? env : "/usr/local/share:/usr/share");

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_setenv ("LANGUAGE", "C", TRUE);
  g_log_set_writer_func (audit_log_writer, NULL, NULL);

  if (!gtk_init_check ())
    {
      g_test_add_func ("/ui/no-display", test_no_display);
      return g_test_run ();
    }
  adw_init ();

  /* G_TEST_OPTION_ISOLATE_DIRS hides the system data directories, and so
   * the icon themes, from GTK: add them back from the environment. */
  {
    GtkIconTheme *theme = gtk_icon_theme_get_for_display (gdk_display_get_default ());
    g_auto(GStrv) data_dirs = g_strsplit (system_data_dirs, ":", -1);

    for (guint i = 0; data_dirs[i] != NULL; i++)
      {
        g_autofree char *icons = g_build_filename (data_dirs[i], "icons", NULL);
        gtk_icon_theme_add_search_path (theme, icons);
      }
  }

  g_test_add ("/ui/window/pages", Fixture, NULL, fixture_set_up, test_pages, fixture_tear_down);
  g_test_add ("/ui/window/sync-action", Fixture, NULL, fixture_set_up, test_sync_action,
              fixture_tear_down);
  g_test_add ("/ui/window/demo-bar", Fixture, GUINT_TO_POINTER (SETUP_DEMO | SETUP_SHOP),
              fixture_set_up, test_demo_bar, fixture_tear_down);
  g_test_add ("/ui/window/no-demo-bar", Fixture, NULL, fixture_set_up, test_no_demo_bar,
              fixture_tear_down);
  g_test_add_func ("/ui/window/services-failed", test_services_failed);
  g_test_add ("/ui/window/narrow", Fixture, GUINT_TO_POINTER (SETUP_SHOP), fixture_set_up,
              test_narrow_window, fixture_tear_down);
  g_test_add ("/ui/window/remembers-state", Fixture, NULL, fixture_set_up, test_remembers_state,
              fixture_tear_down);
  g_test_add ("/ui/preferences/opens", Fixture, NULL, fixture_set_up, test_preferences_opens,
              fixture_tear_down);
  g_test_add ("/ui/preferences/connections", Fixture, NULL, fixture_set_up,
              test_preferences_connections, fixture_tear_down);
  g_test_add ("/ui/preferences/mapping", Fixture, NULL, fixture_set_up, test_mapping_editor,
              fixture_tear_down);
  g_test_add ("/ui/preferences/refresh", Fixture, NULL, fixture_set_up, test_preferences_refresh,
              fixture_tear_down);
  g_test_add ("/ui/sync/fakes", Fixture, NULL, fixture_set_up, test_connection_and_sync,
              fixture_tear_down);
  g_test_add ("/ui/sync/another-runs", Fixture, NULL, fixture_set_up,
              test_sync_while_another_runs, fixture_tear_down);
  g_test_add ("/ui/sync/resolve-conflict", Fixture, NULL, fixture_set_up,
              test_resolve_conflict_end_to_end, fixture_tear_down);
  g_test_add ("/ui/sync/confirm-large-run", Fixture, NULL, fixture_set_up,
              test_large_run_confirmation, fixture_tear_down);
  g_test_add ("/ui/audit/secrets", Fixture, NULL, fixture_set_up, test_secrets_audit,
              fixture_tear_down);
  g_test_add_func ("/ui/keyring/secret", test_keyring_secret);
  g_test_add ("/ui/about/opens", Fixture, NULL, fixture_set_up, test_about_opens,
              fixture_tear_down);
  g_test_add ("/ui/shortcuts/opens", Fixture, NULL, fixture_set_up, test_shortcuts_opens,
              fixture_tear_down);
  g_test_add ("/ui/entity/pages", Fixture, GUINT_TO_POINTER (SETUP_SHOP), fixture_set_up,
              test_entity_pages, fixture_tear_down);
  g_test_add ("/ui/entity/export", Fixture, GUINT_TO_POINTER (SETUP_SHOP), fixture_set_up,
              test_export, fixture_tear_down);
  g_test_add ("/ui/entity/export-formulas", Fixture, GUINT_TO_POINTER (SETUP_SHOP), fixture_set_up,
              test_export_formulas, fixture_tear_down);
  g_test_add ("/ui/entity/detail", Fixture, GUINT_TO_POINTER (SETUP_SHOP), fixture_set_up,
              test_record_detail, fixture_tear_down);
  g_test_add ("/ui/activity/page", Fixture, GUINT_TO_POINTER (SETUP_SHOP), fixture_set_up,
              test_activity_page, fixture_tear_down);

  return g_test_run ();
}
