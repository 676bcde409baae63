/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-test-ui-window"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "tdm-ui-fixture.h"

/* The window shell: its pages and their shortcuts, Sync's state, the demo
 * bar, a window for services that failed, narrow widths, what it remembers,
 * About and the shortcuts window (tdm-ui-fixture.h). */

static void
test_pages (TdmUiFixture *fixture)
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
  tdm_ui_take_screenshot (GTK_WINDOW (fixture->window), "screenshot-main-window.png");
}

static void
test_sync_action (TdmUiFixture *fixture)
{
  GActionGroup *group = G_ACTION_GROUP (fixture->app);
  TdmContext *context = tdm_ui_fixture_get_context (fixture);
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
  tdm_test_spin (50);
  g_assert_true (tdm_context_get_configured (context));
  g_assert_true (g_action_group_get_action_enabled (group, "sync-now"));
  g_assert_true (g_action_group_get_action_enabled (group, "sync-record"));
  g_assert_true (gtk_widget_is_sensitive (sync_button));
  g_assert_cmpstr (tdm_entity_page_get_state (tdm_ui_entity_page (fixture, "orders")),
                   !=, "unconfigured");

  g_settings_reset (fixture->settings, "shopify-shop");
  tdm_test_spin (50);
  g_assert_false (g_action_group_get_action_enabled (group, "sync-now"));
}

static void
test_demo_bar (TdmUiFixture *fixture)
{
  GtkRevealer *revealer;
  TdmEntityPage *customers = tdm_ui_entity_page (fixture, "customers");

  g_assert_true (tdm_context_get_demo (tdm_ui_fixture_get_context (fixture)));
  revealer = GTK_REVEALER (gtk_widget_get_template_child (GTK_WIDGET (fixture->window),
                                                          TDM_TYPE_WINDOW, "demo_revealer"));
  g_assert_true (gtk_revealer_get_reveal_child (revealer));

  tdm_ui_wait_for_page (customers);
  tdm_ui_take_screenshot (GTK_WINDOW (fixture->window), "screenshot-demo.png");
}

static void
test_no_demo_bar (TdmUiFixture *fixture)
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
  GtkWindow *window;
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
  window = tdm_test_find_window (GTK_APPLICATION (app), TDM_TYPE_WINDOW);
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
  tdm_ui_take_screenshot (window, "screenshot-services-failed.png");

  tdm_test_close_windows (GTK_APPLICATION (app));
  tdm_test_spin (50);
}

/* Narrowed to 400 px: the switcher moves from the header bar to the bar
 * under the pages. */
static void
check_narrow_window (TdmUiFixture *fixture,
                     const char   *screenshot)
{
  GtkWidget *bar = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (fixture->window),
                                                              TDM_TYPE_WINDOW, "switcher_bar"));

  /* Wide: the switcher sits in the header bar. */
  g_assert_false (adw_view_switcher_bar_get_reveal (ADW_VIEW_SWITCHER_BAR (bar)));

  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 400, 640);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (fixture->window));
  tdm_test_spin (300);
  g_assert_true (adw_view_switcher_bar_get_reveal (ADW_VIEW_SWITCHER_BAR (bar)));
  tdm_ui_take_screenshot (GTK_WINDOW (fixture->window), screenshot);
}

static void
test_narrow_window (TdmUiFixture *fixture)
{
  check_narrow_window (fixture, "screenshot-narrow.png");
}

/* The same with animations off, as an owner may have them (Settings,
 * Accessibility, Reduce Animation): the switcher bar is revealed at once.
 * A GTK warning fails the test (g_test_init() makes warnings fatal); the
 * bar revealed in the middle of a layout gave one ("allocate GtkBox with
 * width 0 and height -1"). */
static void
test_narrow_window_no_animations (TdmUiFixture *fixture)
{
  GtkSettings *settings = gtk_widget_get_settings (GTK_WIDGET (fixture->window));

  g_object_set (settings, "gtk-enable-animations", FALSE, NULL);
  check_narrow_window (fixture, "screenshot-narrow-no-animations.png");
  g_object_set (settings, "gtk-enable-animations", TRUE, NULL);
}

static void
test_remembers_state (TdmUiFixture *fixture)
{
  g_autofree char *page = NULL;
  GtkWindow *window;

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.page", "s", "products");
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 900, 640);
  gtk_window_close (GTK_WINDOW (fixture->window));
  tdm_test_spin (50);

  page = g_settings_get_string (fixture->settings, "last-page");
  g_assert_cmpstr (page, ==, "products");
  g_assert_cmpint (g_settings_get_int (fixture->settings, "window-width"), ==, 900);
  g_assert_cmpint (g_settings_get_int (fixture->settings, "window-height"), ==, 640);
  g_assert_false (g_settings_get_boolean (fixture->settings, "window-maximized"));

  /* A new window opens where the last one left off. */
  g_application_activate (G_APPLICATION (fixture->app));
  window = tdm_test_find_window (GTK_APPLICATION (fixture->app), TDM_TYPE_WINDOW);
  g_assert_nonnull (window);
  g_assert_cmpstr (tdm_window_get_visible_page (TDM_WINDOW (window)), ==, "products");
}

static void
test_about_opens (TdmUiFixture *fixture)
{
  AdwAboutWindow *about;

  g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "about", NULL);
  about = ADW_ABOUT_WINDOW (tdm_test_find_window (GTK_APPLICATION (fixture->app), ADW_TYPE_ABOUT_WINDOW));
  g_assert_nonnull (about);
  g_assert_cmpstr (adw_about_window_get_version (about), ==, PACKAGE_VERSION);
  g_assert_cmpstr (adw_about_window_get_application_icon (about), ==, APP_ID);
  /* The icon is found, not drawn as a missing image (issue 17). */
  g_assert_true (gtk_icon_theme_has_icon (gtk_icon_theme_get_for_display (gtk_widget_get_display (GTK_WIDGET (about))),
                                          APP_ID));
  g_assert_cmpstr (adw_about_window_get_website (about), ==, "https://github.com/tandemsync/tandem");
  g_assert_cmpint (adw_about_window_get_license_type (about), ==, GTK_LICENSE_GPL_3_0);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (about)) == GTK_WINDOW (fixture->window));
}

static void
test_shortcuts_opens (TdmUiFixture *fixture)
{
  g_auto(GStrv) accels = NULL;

  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (fixture->app), "app.shortcuts");
  g_assert_cmpstr (accels[0], ==, "<Control>question");
  accels = (g_strfreev (accels), gtk_application_get_accels_for_action (GTK_APPLICATION (fixture->app), "app.quit"));
  g_assert_cmpstr (accels[0], ==, "<Control>q");

  g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "shortcuts", NULL);
  g_assert_nonnull (tdm_test_find_window (GTK_APPLICATION (fixture->app), GTK_TYPE_SHORTCUTS_WINDOW));
}

static void
collect_shortcuts (GtkWidget *widget,
                   GPtrArray *out)
{
  if (GTK_IS_SHORTCUTS_SHORTCUT (widget))
    g_ptr_array_add (out, widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_shortcuts (child, out);
}

/* Does the shortcuts window show `accel` (in any spelling GTK parses)? */
static gboolean
shortcuts_show (GPtrArray  *shortcuts,
                const char *accel)
{
  guint key = 0;
  GdkModifierType mods = 0;

  g_assert_true (gtk_accelerator_parse (accel, &key, &mods));

  for (guint i = 0; i < shortcuts->len; i++)
    {
      g_autofree char *shown = NULL;
      g_auto(GStrv) parts = NULL;

      g_object_get (g_ptr_array_index (shortcuts, i), "accelerator", &shown, NULL);
      parts = g_strsplit (shown != NULL ? shown : "", " ", -1);
      for (guint j = 0; parts[j] != NULL; j++)
        {
          guint shown_key = 0;
          GdkModifierType shown_mods = 0;

          if (gtk_accelerator_parse (parts[j], &shown_key, &shown_mods) &&
              shown_key == key && shown_mods == mods)
            return TRUE;
        }
    }
  return FALSE;
}

/* The Keyboard Shortcuts window shows the keys of every accelerator the
 * application sets. */
static void
test_shortcuts_accelerators (TdmUiFixture *fixture)
{
  GtkApplication *app = GTK_APPLICATION (fixture->app);
  g_auto(GStrv) actions = gtk_application_list_action_descriptions (app);
  g_autoptr(GPtrArray) shortcuts = g_ptr_array_new ();
  GtkWindow *window;

  g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "shortcuts", NULL);
  window = tdm_test_find_window (GTK_APPLICATION (fixture->app), GTK_TYPE_SHORTCUTS_WINDOW);
  g_assert_nonnull (window);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  tdm_ui_take_screenshot (window, "screenshot-shortcuts.png");
  collect_shortcuts (GTK_WIDGET (window), shortcuts);
  g_assert_cmpuint (shortcuts->len, >, 0);

  g_assert_cmpuint (g_strv_length (actions), >=, 9);
  for (guint i = 0; actions[i] != NULL; i++)
    {
      g_auto(GStrv) accels = gtk_application_get_accels_for_action (app, actions[i]);

      for (guint j = 0; accels[j] != NULL; j++)
        if (!shortcuts_show (shortcuts, accels[j]))
          g_error ("The shortcuts window does not show %s (%s)", accels[j], actions[i]);
    }

  /* Every entry shows keys. */
  for (guint i = 0; i < shortcuts->len; i++)
    {
      g_autofree char *shown = NULL;
      g_autofree char *title = NULL;

      g_object_get (g_ptr_array_index (shortcuts, i), "accelerator", &shown, "title", &title, NULL);
      if (shown == NULL || *shown == '\0')
        g_error ("“%s” shows no keys", title);
    }
}

/* ---- Focus after a page shortcut ---- */

/* The view switcher's tab named `title` in the header bar. */
static GtkWidget *
find_tab (GtkWidget  *widget,
          const char *title)
{
  GType button_type = g_type_from_name ("AdwViewSwitcherButton");

  g_assert (button_type != G_TYPE_INVALID);

  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, button_type) && gtk_widget_is_drawable (widget))
    {
      g_autofree char *label = NULL;

      g_object_get (widget, "label", &label, NULL);
      if (g_strcmp0 (label, title) == 0)
        return widget;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_tab (child, title);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Presses `keys` (xdotool's words, "ctrl+4") on the X server, as the owner
 * would; without xdotool, activates what the application's accelerator
 * `accel` stands for, as GTK does for that key press, and shows the focus
 * as a key press does. */
static void
press_keys (TdmUiFixture *fixture,
            const char   *keys,
            const char   *accel)
{
  g_autofree char *xdotool = g_find_program_in_path ("xdotool");
  g_auto(GStrv) actions = NULL;
  g_autofree char *name = NULL;
  g_autoptr(GVariant) target = NULL;
  g_autoptr(GError) error = NULL;

  if (xdotool != NULL)
    {
      g_autofree char *command = g_strdup_printf ("%s key --clearmodifiers %s", xdotool, keys);
      int status = 0;

      g_test_message ("Pressing %s", keys);
      g_spawn_command_line_sync (command, NULL, NULL, &status, &error);
      g_assert_no_error (error);
      g_assert_true (g_spawn_check_wait_status (status, NULL));
      tdm_test_spin (300);
      return;
    }

  g_test_message ("No xdotool: activating the accelerator %s", accel);
  actions = gtk_application_get_actions_for_accel (GTK_APPLICATION (fixture->app), accel);
  g_assert_cmpuint (g_strv_length (actions), ==, 1);
  g_assert_true (g_action_parse_detailed_name (actions[0], &name, &target, &error));
  g_assert_no_error (error);
  gtk_window_set_focus_visible (GTK_WINDOW (fixture->window), TRUE);
  g_assert_true (gtk_widget_activate_action_variant (GTK_WIDGET (fixture->window), name, target));
  tdm_test_spin (50);
}

/* A tab clicked a while ago keeps the focus (without a ring: it came from
 * the pointer); Ctrl+4 then shows Activity and gives it the focus, so the
 * key press does not draw a focus ring on the Customers tab, which the
 * owner did not move to with the keyboard (issue 17, Polish). The same for
 * Ctrl+1 back to Customers. */
static void
test_page_shortcut_focus (TdmUiFixture *fixture)
{
  GtkWidget *title = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (fixture->window),
                                                                TDM_TYPE_WINDOW,
                                                                "switcher_title"));
  GtkWidget *customers = tdm_window_get_page (fixture->window, "customers");
  GtkWidget *activity = tdm_window_get_page (fixture->window, "activity");
  GtkWidget *tab = find_tab (title, "Customers");
  GtkWidget *focus;

  tdm_ui_wait_for_page (TDM_ENTITY_PAGE (customers));
  g_assert_nonnull (tab);
  gtk_window_present (GTK_WINDOW (fixture->window));
  gtk_widget_grab_focus (tab);
  gtk_window_set_focus_visible (GTK_WINDOW (fixture->window), FALSE);
  g_assert_true (gtk_root_get_focus (GTK_ROOT (fixture->window)) == tab);

  press_keys (fixture, "ctrl+4", "<Control>4");
  g_assert_cmpstr (tdm_window_get_visible_page (fixture->window), ==, "activity");
  focus = gtk_root_get_focus (GTK_ROOT (fixture->window));
  g_test_message ("Focus after Ctrl+4: %s, focus visible: %d",
                  focus != NULL ? G_OBJECT_TYPE_NAME (focus) : "none",
                  gtk_window_get_focus_visible (GTK_WINDOW (fixture->window)));
  tdm_ui_take_screenshot (GTK_WINDOW (fixture->window), "screenshot-page-shortcut-focus.png");
  g_assert_true (focus != tab);
  g_assert_true (focus == NULL || gtk_widget_is_ancestor (focus, activity));

  /* Back with Ctrl+1 from the Activity tab, clicked. */
  tab = find_tab (title, "Activity");
  g_assert_nonnull (tab);
  gtk_widget_grab_focus (tab);
  gtk_window_set_focus_visible (GTK_WINDOW (fixture->window), FALSE);
  press_keys (fixture, "ctrl+1", "<Control>1");
  g_assert_cmpstr (tdm_window_get_visible_page (fixture->window), ==, "customers");
  focus = gtk_root_get_focus (GTK_ROOT (fixture->window));
  g_assert_true (focus != tab);
  g_assert_true (focus == NULL || gtk_widget_is_ancestor (focus, customers));
}

/* ---- A toast about a file ---- */

/* The owner's application for CSV files: a desktop entry registered for
 * text/csv in the test's isolated folders, whose program writes the file
 * it was started with to the returned path. */
static char *
install_csv_opener (void)
{
  g_autofree char *apps = g_build_filename (g_get_user_data_dir (), "applications", NULL);
  g_autofree char *script = g_build_filename (g_get_user_data_dir (), "open-csv.sh", NULL);
  g_autofree char *entry = g_build_filename (apps, "tdm-test-csv-opener.desktop", NULL);
  g_autofree char *mimeapps = g_build_filename (g_get_user_config_dir (), "mimeapps.list", NULL);
  g_autofree char *marker = g_build_filename (g_get_user_data_dir (), "opened.txt", NULL);
  g_autofree char *script_text = NULL;
  g_autofree char *entry_text = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (apps, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (g_get_user_config_dir (), 0700), ==, 0);
  script_text = g_strdup_printf ("#!/bin/sh\nprintf '%%s' \"$1\" > '%s.part'\nmv '%s.part' '%s'\n",
                                 marker, marker, marker);
  g_file_set_contents (script, script_text, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (script, 0755), ==, 0);
  entry_text = g_strdup_printf ("[Desktop Entry]\nType=Application\nName=CSV Opener\n"
                                "Exec=%s %%u\nMimeType=text/csv;\nNoDisplay=true\n", script);
  g_file_set_contents (entry, entry_text, -1, &error);
  g_assert_no_error (error);
  g_file_set_contents (mimeapps, "[Default Applications]\ntext/csv=tdm-test-csv-opener.desktop\n",
                       -1, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&marker);
}

/* win.toast-file (what the pages raise after an export) shows the text
 * with an Open button; the button opens the file in the owner's
 * application for it (outside a sandbox: the desktop's default for
 * text/csv). The exports' own test, through the portals, is ui-export. */
static void
test_toast_opens_file (TdmUiFixture *fixture)
{
  g_autofree char *marker = install_csv_opener ();
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "kunder.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *uri = g_file_get_uri (file);
  g_autofree char *opened = NULL;
  g_autoptr(GFile) given = NULL;
  g_autoptr(GError) error = NULL;
  AdwToast *toast;
  GVariant *target;

  g_file_set_contents (path, "Name\r\nKari Nordmann\r\n", -1, &error);
  g_assert_no_error (error);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.toast-file",
                                             "(ss)", "Exported 1 record to kunder.csv.", uri));
  toast = tdm_window_get_shown_toast (fixture->window);
  g_assert_nonnull (toast);
  g_assert_cmpstr (adw_toast_get_title (toast), ==, "Exported 1 record to kunder.csv.");
  g_assert_cmpstr (adw_toast_get_button_label (toast), ==, "_Open");
  g_assert_cmpstr (adw_toast_get_action_name (toast), ==, "win.open-file");
  target = adw_toast_get_action_target_value (toast);
  g_assert_nonnull (target);
  g_assert_cmpstr (g_variant_get_string (target, NULL), ==, uri);
  tdm_ui_take_screenshot (GTK_WINDOW (fixture->window), "screenshot-export-toast.png");

  g_assert_true (gtk_widget_activate_action_variant (GTK_WIDGET (fixture->window),
                                                     adw_toast_get_action_name (toast), target));
  tdm_test_wait_for (g_file_test (marker, G_FILE_TEST_EXISTS), 20);
  g_assert_true (g_file_get_contents (marker, &opened, NULL, NULL));
  g_test_message ("The application for CSV files was given %s", opened);
  /* For %u GIO passes a local file as its path. */
  given = g_file_new_for_commandline_arg (opened);
  g_assert_true (g_file_equal (given, file));
}


int
main (int   argc,
      char *argv[])
{
  if (tdm_ui_test_init (&argc, &argv))
    {
      tdm_ui_test_add ("/ui/window/pages", TDM_UI_EMPTY, test_pages);
      tdm_ui_test_add ("/ui/window/sync-action", TDM_UI_EMPTY, test_sync_action);
      tdm_ui_test_add ("/ui/window/demo-bar", TDM_UI_DEMO, test_demo_bar);
      tdm_ui_test_add ("/ui/window/no-demo-bar", TDM_UI_EMPTY, test_no_demo_bar);
      g_test_add_func ("/ui/window/services-failed", test_services_failed);
      tdm_ui_test_add ("/ui/window/narrow", TDM_UI_SHOP, test_narrow_window);
      tdm_ui_test_add ("/ui/window/narrow-no-animations", TDM_UI_SHOP,
                       test_narrow_window_no_animations);
      tdm_ui_test_add ("/ui/window/remembers-state", TDM_UI_EMPTY, test_remembers_state);
      tdm_ui_test_add ("/ui/window/page-shortcut-focus", TDM_UI_SHOP, test_page_shortcut_focus);
      tdm_ui_test_add ("/ui/window/toast-opens-file", TDM_UI_EMPTY, test_toast_opens_file);
      tdm_ui_test_add ("/ui/about/opens", TDM_UI_EMPTY, test_about_opens);
      tdm_ui_test_add ("/ui/shortcuts/opens", TDM_UI_EMPTY, test_shortcuts_opens);
      tdm_ui_test_add ("/ui/shortcuts/accelerators", TDM_UI_EMPTY, test_shortcuts_accelerators);
    }
  return g_test_run ();
}
