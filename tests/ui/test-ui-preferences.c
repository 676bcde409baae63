/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-test-ui-preferences"

#include "config.h"

#include <string.h>

#include "tdm-test-secrets.h"
#include "tdm-ui-fixture.h"

/* The Preferences window: opening it, the connection rows and where their
 * secrets go, rows that follow settings changed from outside, and a secret
 * in the real keyring (tdm-ui-fixture.h). The Mapping page has its own
 * program, test-ui-mapping.c. */

static void
test_preferences_opens (TdmUiFixture *fixture)
{
  GtkWindow *prefs;
  g_auto(GStrv) accels = NULL;

  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (fixture->app), "app.preferences");
  g_assert_cmpstr (accels[0], ==, "<Control>comma");

  g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "preferences", NULL);
  prefs = tdm_test_find_window (GTK_APPLICATION (fixture->app), TDM_TYPE_PREFERENCES_WINDOW);
  g_assert_nonnull (prefs);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (prefs)));

  /* A second activation presents the same window. */
  g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "preferences", NULL);
  g_assert_true (tdm_test_find_window (GTK_APPLICATION (fixture->app), TDM_TYPE_PREFERENCES_WINDOW) == prefs);

  tdm_ui_take_screenshot (prefs, "screenshot-preferences.png");
}

static void
test_preferences_connections (TdmUiFixture *fixture)
{
  TdmPreferencesWindow *prefs = tdm_ui_open_preferences (fixture);
  GtkWidget *secret_row = tdm_ui_prefs_child (prefs, "webshop_secret_row");
  g_autofree char *value = NULL;
  g_autoptr(GError) error = NULL;
  char *secret;

  /* Plain http:// to another computer is refused and explained. */
  tdm_ui_apply_row (prefs, "webshop_url_row", "http://shop.example.com/api/tandem/v1");
  value = g_settings_get_string (fixture->settings, "webshop-url");
  g_assert_cmpstr (value, ==, "");
  g_assert_true (gtk_widget_has_css_class (tdm_ui_prefs_child (prefs, "webshop_url_row"), "error"));
  g_clear_pointer (&value, g_free);

  tdm_ui_apply_row (prefs, "webshop_url_row", "https://shop.example.com/api/tandem/v1");
  value = g_settings_get_string (fixture->settings, "webshop-url");
  g_assert_cmpstr (value, ==, "https://shop.example.com/api/tandem/v1");
  g_assert_false (gtk_widget_has_css_class (tdm_ui_prefs_child (prefs, "webshop_url_row"), "error"));
  g_clear_pointer (&value, g_free);

  tdm_ui_apply_row (prefs, "shopify_shop_row", "not a shop");
  value = g_settings_get_string (fixture->settings, "shopify-shop");
  g_assert_cmpstr (value, ==, "");
  g_clear_pointer (&value, g_free);
  tdm_ui_apply_row (prefs, "shopify_shop_row", "demo-shop.myshopify.com");
  value = g_settings_get_string (fixture->settings, "shopify-shop");
  g_assert_cmpstr (value, ==, "demo-shop.myshopify.com");
  g_clear_pointer (&value, g_free);

  /* Sign-in method rows follow the settings. */
  g_settings_set_string (fixture->settings, "webshop-auth", "header");
  g_assert_true (gtk_widget_get_visible (tdm_ui_prefs_child (prefs, "webshop_header_row")));
  g_assert_false (gtk_widget_get_visible (tdm_ui_prefs_child (prefs, "webshop_user_row")));
  g_settings_set_string (fixture->settings, "webshop-auth", "bearer");
  g_assert_false (gtk_widget_get_visible (tdm_ui_prefs_child (prefs, "webshop_header_row")));

  /* The secret goes to the credential store for that address, the entry is
   * emptied and shows only that a secret is saved. */
  tdm_ui_apply_row (prefs, "webshop_secret_row", "s3cret-t0ken-value");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (secret_row)), ==, "");
  tdm_test_wait_for (strstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (secret_row)),
                             "keyring") != NULL, 5);
  secret = tdm_credential_store_lookup_sync (fixture->credentials, TDM_SIDE_WEBSHOP,
                                             "https://shop.example.com/api/tandem/v1", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (secret, ==, "s3cret-t0ken-value");
  tdm_credential_free (secret);

  /* … and never in the settings. */
  tdm_test_assert_settings_clean (fixture->settings, "s3cret");

  tdm_ui_take_screenshot (GTK_WINDOW (prefs), "screenshot-preferences-connections.png");
}

/* A refused address is explained in full in the row under the field, not
 * only in a toast cut short (issue 17, finding 7); a good one hides it. */
static void
test_preferences_url_problem (TdmUiFixture *fixture)
{
  TdmPreferencesWindow *prefs = tdm_ui_open_preferences (fixture);
  GtkWidget *url_row = tdm_ui_prefs_child (prefs, "webshop_url_row");
  GtkWidget *problem = gtk_widget_get_next_sibling (url_row);
  const char *title;

  g_assert_true (ADW_IS_ACTION_ROW (problem));
  tdm_ui_apply_row (prefs, "webshop_url_row", "http://shop.example.com/api/tandem/v1");
  g_assert_true (gtk_widget_get_visible (problem));
  title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (problem));
  g_assert_nonnull (strstr (title, "https://"));
  g_assert_nonnull (strstr (title, "for example https://shop.example.com/api/tandem/v1."));
  g_assert_cmpint (adw_action_row_get_title_lines (ADW_ACTION_ROW (problem)), ==, 0);

  tdm_ui_apply_row (prefs, "webshop_url_row", "https://shop.example.com/api/tandem/v1");
  g_assert_false (gtk_widget_get_visible (problem));

  tdm_ui_apply_row (prefs, "shopify_shop_row", "not a shop");
  problem = gtk_widget_get_next_sibling (tdm_ui_prefs_child (prefs, "shopify_shop_row"));
  g_assert_true (ADW_IS_ACTION_ROW (problem));
  g_assert_true (gtk_widget_get_visible (problem));
  g_assert_nonnull (strstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (problem)),
                            "myshopify.com"));
}

/* The large-run threshold and the phone numbers' default country are set
 * in Preferences, in words and checked (issue 17, Polish). */
static void
test_preferences_safeguards (TdmUiFixture *fixture)
{
  TdmPreferencesWindow *prefs = tdm_ui_open_preferences (fixture);
  GtkAdjustment *threshold = GTK_ADJUSTMENT (gtk_widget_get_template_child (GTK_WIDGET (prefs),
                                                                           TDM_TYPE_PREFERENCES_WINDOW,
                                                                           "threshold_adjustment"));
  GtkWidget *problem = tdm_ui_prefs_child (prefs, "phone_country_problem_row");
  g_autofree char *country = NULL;

  g_assert_cmpfloat (gtk_adjustment_get_value (threshold), ==, 500);
  gtk_adjustment_set_value (threshold, 1200);
  g_assert_cmpuint (g_settings_get_uint (fixture->settings, "large-run-threshold"), ==, 1200);
  g_settings_set_uint (fixture->settings, "large-run-threshold", 80);
  g_assert_cmpfloat (gtk_adjustment_get_value (threshold), ==, 80);
  /* 0 (no check) is shown as it is, not raised to a minimum. */
  g_settings_set_uint (fixture->settings, "large-run-threshold", 0);
  g_assert_cmpfloat (gtk_adjustment_get_value (threshold), ==, 0);
  g_assert_cmpuint (g_settings_get_uint (fixture->settings, "large-run-threshold"), ==, 0);

  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (tdm_ui_prefs_child (prefs, "phone_country_row"))),
                   ==, "NO");
  tdm_ui_apply_row (prefs, "phone_country_row", "Norway");
  country = g_settings_get_string (fixture->settings, "default-phone-country");
  g_assert_cmpstr (country, ==, "NO");
  g_clear_pointer (&country, g_free);
  g_assert_true (gtk_widget_get_visible (problem));
  g_assert_nonnull (strstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (problem)),
                            "for example NO"));

  tdm_ui_apply_row (prefs, "phone_country_row", "SE");
  country = g_settings_get_string (fixture->settings, "default-phone-country");
  g_assert_cmpstr (country, ==, "SE");
  g_assert_false (gtk_widget_get_visible (problem));
}

static AdwMessageDialog *
find_question (GtkWindow *parent)
{
  GListModel *toplevels = gtk_window_get_toplevels ();   /* not ours */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)) &&
          gtk_window_get_transient_for (window) == parent)
        return ADW_MESSAGE_DIALOG (window);
    }
  return NULL;
}

static gboolean
prefs_closed (GtkWindow *prefs)
{
  return prefs == NULL || !gtk_widget_get_visible (GTK_WIDGET (prefs));
}

/* Escape or the close button with typed, unapplied text asks instead of
 * closing and losing it (issue 17, Polish): Apply saves it, Discard keeps
 * the saved value; without typed text the window just closes. */
static void
test_preferences_close_unsaved (TdmUiFixture *fixture)
{
  GtkWindow *prefs = GTK_WINDOW (tdm_ui_open_preferences (fixture));
  GtkWidget *url_row = tdm_ui_prefs_child (TDM_PREFERENCES_WINDOW (prefs), "webshop_url_row");
  AdwMessageDialog *question;
  g_autofree char *value = NULL;

  g_object_add_weak_pointer (G_OBJECT (prefs), (gpointer *) &prefs);
  gtk_editable_set_text (GTK_EDITABLE (url_row), "https://shop.example.com/api/tandem/v1");
  gtk_widget_grab_focus (url_row);
  gtk_window_close (prefs);
  tdm_test_spin (50);
  g_assert_nonnull (prefs);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (prefs)));
  question = find_question (prefs);
  g_assert_nonnull (question);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (question), "API address"));
  adw_message_dialog_response (question, "apply");
  tdm_test_wait_for (prefs_closed (prefs), 5);
  value = g_settings_get_string (fixture->settings, "webshop-url");
  g_assert_cmpstr (value, ==, "https://shop.example.com/api/tandem/v1");
  g_clear_pointer (&value, g_free);
  g_clear_weak_pointer (&prefs);

  /* Discard: the saved value stays. */
  prefs = GTK_WINDOW (tdm_ui_open_preferences (fixture));
  g_object_add_weak_pointer (G_OBJECT (prefs), (gpointer *) &prefs);
  url_row = tdm_ui_prefs_child (TDM_PREFERENCES_WINDOW (prefs), "webshop_url_row");
  gtk_editable_set_text (GTK_EDITABLE (url_row), "https://other.example.com/api");
  gtk_window_close (prefs);
  tdm_test_spin (50);
  question = find_question (prefs);
  g_assert_nonnull (question);
  adw_message_dialog_response (question, "discard");
  tdm_test_wait_for (prefs_closed (prefs), 5);
  value = g_settings_get_string (fixture->settings, "webshop-url");
  g_assert_cmpstr (value, ==, "https://shop.example.com/api/tandem/v1");
  g_clear_weak_pointer (&prefs);

  /* Nothing typed: closes at once. */
  prefs = GTK_WINDOW (tdm_ui_open_preferences (fixture));
  g_object_add_weak_pointer (G_OBJECT (prefs), (gpointer *) &prefs);
  gtk_window_close (prefs);
  tdm_test_spin (50);
  g_assert_true (prefs_closed (prefs));
  g_assert_null (prefs == NULL ? NULL : find_question (prefs));
  g_clear_weak_pointer (&prefs);
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
  g_autoptr(GAsyncResult) result = NULL;
  TdmPreferencesWindow *prefs;
  TdmContext *context;
  GtkWidget *secret_row;
  char *stored;

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
  prefs = TDM_PREFERENCES_WINDOW (tdm_test_find_window (GTK_APPLICATION (app),
                                                        TDM_TYPE_PREFERENCES_WINDOW));
  g_assert_nonnull (prefs);

  tdm_ui_apply_row (prefs, "webshop_secret_row", secret_text);
  secret_row = tdm_ui_prefs_child (prefs, "webshop_secret_row");
  tdm_test_wait_for (strstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (secret_row)),
                             "keyring") != NULL, 20);

  tdm_credential_store_lookup_async (tdm_context_get_credentials (context), TDM_SIDE_WEBSHOP, url,
                                     NULL, tdm_test_keep_result_cb, &result);
  stored = tdm_credential_store_lookup_finish (tdm_context_get_credentials (context),
                                               tdm_test_wait_result (&result, 20), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stored, ==, secret_text);
  tdm_credential_free (stored);

  tdm_test_assert_settings_clean (settings, secret_text);

  {
    const char *suffixes[] = { "", "-wal", "-journal" };
    for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
      {
        g_autofree char *name = g_strconcat ("state.sqlite3", suffixes[i], NULL);
        g_autofree char *path = g_build_filename (tdm_context_get_state_dir (context), name, NULL);

        tdm_test_assert_tree_clean (path, secret_text);
      }
  }

  tdm_test_close_windows (GTK_APPLICATION (app));
  g_settings_reset (settings, "webshop-url");
  tdm_test_spin (50);
}

/* The keys /ui/preferences/refresh changes; reset before and after. */
static const char * const refresh_keys[] = {
  "webshop-url", "webshop-profile", "webshop-auth", "webshop-auth-header", "webshop-user",
  "shopify-shop", "shopify-api-version", "shopify-auth", "shopify-client-id", "sync-interval",
  "run-in-background", "start-at-login", "conflict-policy", "first-link-policy", "delete-policy",
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
  return gtk_editable_get_text (GTK_EDITABLE (tdm_ui_prefs_child (prefs, name)));
}

static guint
combo_selected (TdmPreferencesWindow *prefs,
                const char           *name)
{
  return adw_combo_row_get_selected (ADW_COMBO_ROW (tdm_ui_prefs_child (prefs, name)));
}

static const char *
prefs_row_title (TdmPreferencesWindow *prefs,
                 const char           *name)
{
  return adw_preferences_row_get_title (ADW_PREFERENCES_ROW (tdm_ui_prefs_child (prefs, name)));
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
      tdm_test_spin (10);
    }
}

/* Preferences show settings changed from outside while the window is open
 * (gsettings, the headless runner, other parts of the app), without
 * clobbering what the owner is typing, and rows the owner applies still
 * write their settings. */
static void
test_preferences_refresh (TdmUiFixture *fixture)
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
  GtkWidget *login_switch;
  GtkWidget *url_row;
  GtkWidget *user_row;
  GtkWidget *version_row;
  AdwActionRow *test_row;
  AdwActionRow *login_row;
  GListModel *profiles;
  g_autofree char *value = NULL;
  g_autofree char *login_before = NULL;

  reset_refresh_keys (fixture->settings);
  prefs = tdm_ui_open_preferences (fixture);
  url_row = tdm_ui_prefs_child (prefs, "webshop_url_row");
  user_row = tdm_ui_prefs_child (prefs, "webshop_user_row");
  version_row = tdm_ui_prefs_child (prefs, "shopify_version_row");

  /* Entry rows (one string each). */
  for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
    {
      g_assert_cmpstr (entry_text (prefs, entries[i].row), !=, entries[i].value);
      g_settings_set_string (fixture->settings, entries[i].key, entries[i].value);
      tdm_test_spin (20);
      g_assert_cmpstr (entry_text (prefs, entries[i].row), ==, entries[i].value);
      g_assert_false (gtk_widget_has_css_class (tdm_ui_prefs_child (prefs, entries[i].row), "error"));
    }

  /* A value the row would refuse is shown and marked, and unmarked when fixed. */
  g_settings_set_string (fixture->settings, "shopify-api-version", "next-year");
  tdm_test_spin (20);
  g_assert_cmpstr (entry_text (prefs, "shopify_version_row"), ==, "next-year");
  g_assert_true (gtk_widget_has_css_class (version_row, "error"));
  g_settings_set_string (fixture->settings, "shopify-api-version", "2027-04");
  tdm_test_spin (20);
  g_assert_cmpstr (entry_text (prefs, "shopify_version_row"), ==, "2027-04");
  g_assert_false (gtk_widget_has_css_class (version_row, "error"));

  /* Combo rows. */
  for (guint i = 0; i < G_N_ELEMENTS (combos); i++)
    {
      g_assert_cmpuint (combo_selected (prefs, combos[i].row), !=, combos[i].selected);
      g_settings_set_string (fixture->settings, combos[i].key, combos[i].value);
      tdm_test_spin (20);
      g_assert_cmpuint (combo_selected (prefs, combos[i].row), ==, combos[i].selected);
    }
  /* A choice the owner makes is written. */
  adw_combo_row_set_selected (ADW_COMBO_ROW (tdm_ui_prefs_child (prefs, "delete_row")), 0);
  tdm_test_spin (20);
  value = g_settings_get_string (fixture->settings, "delete-policy");
  g_assert_cmpstr (value, ==, "keep");
  g_clear_pointer (&value, g_free);
  /* … and the rows that depend on the sign-in methods. */
  g_assert_true (gtk_widget_get_visible (user_row));
  g_assert_false (gtk_widget_get_visible (tdm_ui_prefs_child (prefs, "webshop_header_row")));
  g_assert_false (gtk_widget_get_visible (tdm_ui_prefs_child (prefs, "shopify_client_id_row")));
  g_assert_true (g_str_has_prefix (prefs_row_title (prefs, "webshop_secret_row"), "Password"));
  g_assert_true (g_str_has_prefix (prefs_row_title (prefs, "shopify_secret_row"), "Access token"));

  /* A profile the list did not know when the window opened. */
  g_settings_set_string (fixture->settings, "webshop-profile", "my-own-shop");
  tdm_test_spin (20);
  profiles = adw_combo_row_get_model (ADW_COMBO_ROW (tdm_ui_prefs_child (prefs, "webshop_profile_row")));
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
  background_switch = tdm_ui_prefs_child (prefs, "background_switch");
  g_settings_set_uint (fixture->settings, "sync-interval", 90);
  tdm_test_spin (20);
  g_assert_cmpfloat (gtk_adjustment_get_value (interval), ==, 90.0);
  gtk_adjustment_set_value (interval, 45.0);
  tdm_test_spin (20);
  g_assert_cmpuint (g_settings_get_uint (fixture->settings, "sync-interval"), ==, 45);

  /* "Start at Login" shows the Background portal's answer to the switch. */
  login_row = tdm_test_find_action_row (gtk_widget_get_ancestor (background_switch,
                                                                 ADW_TYPE_PREFERENCES_GROUP),
                                        "Start at Login");
  g_assert_nonnull (login_row);
  login_before = g_strdup (adw_action_row_get_subtitle (login_row));
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (background_switch)));
  g_settings_set_boolean (fixture->settings, "run-in-background", TRUE);
  tdm_test_spin (20);
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (background_switch)));
  tdm_test_wait_for (g_strcmp0 (adw_action_row_get_subtitle (login_row), login_before) != 0, 10);
  g_test_message ("Start at Login: %s", adw_action_row_get_subtitle (login_row));
  /* … and has a switch of its own, on by default, that follows its setting
   * and can be used while Tandem keeps syncing with the window closed. */
  login_switch = tdm_ui_prefs_child (prefs, "login_switch");
  g_assert_true (gtk_widget_is_ancestor (login_switch, GTK_WIDGET (login_row)));
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (login_switch)));
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (login_row)));
  gtk_switch_set_active (GTK_SWITCH (login_switch), FALSE);
  tdm_test_spin (20);
  g_assert_false (g_settings_get_boolean (fixture->settings, "start-at-login"));
  g_settings_set_boolean (fixture->settings, "start-at-login", TRUE);
  tdm_test_spin (20);
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (login_switch)));
  g_settings_set_boolean (fixture->settings, "run-in-background", FALSE);
  tdm_test_spin (20);
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (background_switch)));
  g_assert_false (gtk_widget_is_sensitive (GTK_WIDGET (login_row)));

  /* Whether a secret is saved follows the address it is kept for. */
  tdm_ui_store_secret (fixture, TDM_SIDE_WEBSHOP, "https://keyed.example.com/api", "refresh-test-token");
  g_settings_set_string (fixture->settings, "webshop-url", "https://keyed.example.com/api");
  wait_for_title (prefs, "webshop_secret_row", "keyring");
  g_settings_set_string (fixture->settings, "webshop-url", "https://unkeyed.example.com/api");
  wait_for_title (prefs, "webshop_secret_row", "not set");
  g_assert_cmpstr (entry_text (prefs, "webshop_url_row"), ==, "https://unkeyed.example.com/api");

  /* A test result is for the connection it tested: a changed address clears it,
   * re-writing the same value does not. */
  test_row = ADW_ACTION_ROW (tdm_ui_prefs_child (prefs, "webshop_test_row"));
  adw_action_row_set_subtitle (test_row, "Connected to “Earlier Shop”.");
  g_settings_set_string (fixture->settings, "webshop-url", "https://unkeyed.example.com/api");
  tdm_test_spin (20);
  g_assert_cmpstr (adw_action_row_get_subtitle (test_row), ==, "Connected to “Earlier Shop”.");
  g_settings_set_string (fixture->settings, "webshop-url", "https://other.example.com/api");
  tdm_test_spin (20);
  g_assert_cmpstr (adw_action_row_get_subtitle (test_row), ==,
                   "Save the address and the secret first.");
  test_row = ADW_ACTION_ROW (tdm_ui_prefs_child (prefs, "shopify_test_row"));
  adw_action_row_set_subtitle (test_row, "Connected to “Earlier Shop”.");
  g_settings_set_string (fixture->settings, "shopify-auth", "client-credentials");
  tdm_test_spin (20);
  g_assert_cmpstr (adw_action_row_get_subtitle (test_row), ==,
                   "Save the shop domain and the secret first.");

  /* Unsaved text is the owner's: a change from outside does not replace it… */
  gtk_editable_set_text (GTK_EDITABLE (user_row), "typed-not-applied");
  g_settings_set_string (fixture->settings, "webshop-user", "from-outside");
  tdm_test_spin (20);
  g_assert_cmpstr (entry_text (prefs, "webshop_user_row"), ==, "typed-not-applied");
  /* … applying it writes the setting, over the outside value… */
  g_signal_emit_by_name (user_row, "apply");
  tdm_test_spin (20);
  value = g_settings_get_string (fixture->settings, "webshop-user");
  g_assert_cmpstr (value, ==, "typed-not-applied");
  g_clear_pointer (&value, g_free);
  g_assert_cmpstr (entry_text (prefs, "webshop_user_row"), ==, "typed-not-applied");
  /* … and once saved, the row follows the setting again. */
  g_settings_set_string (fixture->settings, "webshop-user", "from-outside-again");
  tdm_test_spin (20);
  g_assert_cmpstr (entry_text (prefs, "webshop_user_row"), ==, "from-outside-again");

  /* Refused text stays with its mark; the outside value does not hide the mistake. */
  tdm_ui_apply_row (prefs, "webshop_url_row", "http://not-loopback.example.com/api");
  tdm_test_spin (20);
  g_assert_true (gtk_widget_has_css_class (url_row, "error"));
  g_settings_set_string (fixture->settings, "webshop-url", "https://elsewhere.example.com/api");
  tdm_test_spin (20);
  g_assert_cmpstr (entry_text (prefs, "webshop_url_row"), ==,
                   "http://not-loopback.example.com/api");
  g_assert_true (gtk_widget_has_css_class (url_row, "error"));

  /* Applied text is saved trimmed; the echo does not rewrite what was typed,
   * and the next outside change is shown. */
  tdm_ui_apply_row (prefs, "webshop_url_row", "  https://applied.example.com/api  ");
  tdm_test_spin (20);
  value = g_settings_get_string (fixture->settings, "webshop-url");
  g_assert_cmpstr (value, ==, "https://applied.example.com/api");
  g_clear_pointer (&value, g_free);
  g_assert_false (gtk_widget_has_css_class (url_row, "error"));
  g_assert_cmpstr (entry_text (prefs, "webshop_url_row"), ==,
                   "  https://applied.example.com/api  ");
  g_settings_set_string (fixture->settings, "webshop-url", "https://after.example.com/api");
  tdm_test_spin (20);
  g_assert_cmpstr (entry_text (prefs, "webshop_url_row"), ==, "https://after.example.com/api");

  /* A row being edited (keyboard focus in it) is refreshed when the focus leaves. */
  gtk_window_present (GTK_WINDOW (prefs));
  gtk_widget_grab_focus (user_row);
  tdm_test_spin (50);
  if ((gtk_widget_get_state_flags (user_row) & GTK_STATE_FLAG_FOCUS_WITHIN) == 0)
    {
      g_test_skip ("The Preferences window did not get the keyboard focus (no window manager)");
    }
  else
    {
      g_settings_set_string (fixture->settings, "webshop-user", "while-editing");
      tdm_test_spin (20);
      g_assert_cmpstr (entry_text (prefs, "webshop_user_row"), ==, "from-outside-again");
      gtk_widget_grab_focus (tdm_ui_prefs_child (prefs, "webshop_test_button"));
      tdm_test_spin (50);
      g_assert_cmpstr (entry_text (prefs, "webshop_user_row"), ==, "while-editing");
    }

  /* What the rows wrote is what the settings hold: no row wrote back. */
  value = g_settings_get_string (fixture->settings, "webshop-profile");
  g_assert_cmpstr (value, ==, "my-own-shop");
  g_clear_pointer (&value, g_free);
  g_assert_cmpuint (g_settings_get_uint (fixture->settings, "sync-interval"), ==, 45);
  g_assert_cmpfloat (gtk_adjustment_get_value (interval), ==, 45.0);

  tdm_ui_take_screenshot (GTK_WINDOW (prefs), "screenshot-preferences-refresh.png");
  gtk_window_destroy (GTK_WINDOW (prefs));
  tdm_test_spin (20);
  reset_refresh_keys (fixture->settings);
}


int
main (int   argc,
      char *argv[])
{
  if (tdm_ui_test_init (&argc, &argv))
    {
      tdm_ui_test_add ("/ui/preferences/opens", TDM_UI_EMPTY, test_preferences_opens);
      tdm_ui_test_add ("/ui/preferences/connections", TDM_UI_EMPTY, test_preferences_connections);
      tdm_ui_test_add ("/ui/preferences/refresh", TDM_UI_EMPTY, test_preferences_refresh);
      tdm_ui_test_add ("/ui/preferences/url-problem", TDM_UI_EMPTY,
                       test_preferences_url_problem);
      tdm_ui_test_add ("/ui/preferences/safeguards", TDM_UI_EMPTY,
                       test_preferences_safeguards);
      tdm_ui_test_add ("/ui/preferences/close-unsaved", TDM_UI_EMPTY,
                       test_preferences_close_unsaved);
      g_test_add_func ("/ui/keyring/secret", test_keyring_secret);
    }
  return g_test_run ();
}
