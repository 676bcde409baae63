/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-test-ui-sync"

#include "config.h"

#include <string.h>
#include <unistd.h>

#include "tdm-run-lock.h"
#include "tdm-store.h"
#include "tdm-ui-fixture.h"

/* Syncing from the window against both fakes: Test Connection, the Sync
 * button with its progress and toast, a run held by another process, and
 * the confirmation before a large run (tdm-ui-fixture.h). */

static void
test_connection_and_sync (TdmUiFixture *fixture)
{
  TdmContext *context = tdm_ui_fixture_get_context (fixture);
  TdmEntityPage *customers = tdm_ui_entity_page (fixture, "customers");
  TdmPreferencesWindow *prefs;
  const char *result;
  const char *toast;
  g_autoptr(TdmUiFakes) fakes = NULL;

  fakes = tdm_ui_fakes_start (fixture);
  g_assert_true (tdm_context_get_configured (context));
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (fixture->app), "sync-now"));

  /* Test connection shows the shop's name… */
  prefs = tdm_ui_open_preferences (fixture);
  g_signal_emit_by_name (tdm_ui_prefs_child (prefs, "webshop_test_button"), "clicked");
  result = tdm_ui_wait_for_test_result (prefs, "webshop_test_spinner", "webshop_test_row");
  g_test_message ("Webshop test: %s", result);
  g_assert_true (g_str_has_prefix (result, "Connected to"));
  g_signal_emit_by_name (tdm_ui_prefs_child (prefs, "shopify_test_button"), "clicked");
  result = tdm_ui_wait_for_test_result (prefs, "shopify_test_spinner", "shopify_test_row");
  g_test_message ("Shopify test: %s", result);
  g_assert_true (g_str_has_prefix (result, "Connected to"));
  tdm_ui_take_screenshot (GTK_WINDOW (prefs), "screenshot-preferences-tested.png");

  /* … and the problem for wrong credentials. */
  tdm_ui_store_secret (fixture, TDM_SIDE_SHOPIFY, tdm_fake_shopify_get_url (fakes->shopify), "wrong-secret");
  g_signal_emit_by_name (tdm_ui_prefs_child (prefs, "shopify_test_button"), "clicked");
  result = tdm_ui_wait_for_test_result (prefs, "shopify_test_spinner", "shopify_test_row");
  g_test_message ("Shopify test with a wrong secret: %s", result);
  g_assert_false (g_str_has_prefix (result, "Connected to"));
  g_assert_cmpstr (result, !=, "");
  g_assert_true (gtk_widget_has_css_class (tdm_ui_prefs_child (prefs, "shopify_test_row"), "error"));
  g_assert_null (strstr (result, "wrong-secret"));
  gtk_window_destroy (GTK_WINDOW (prefs));
  tdm_ui_store_secret (fixture, TDM_SIDE_SHOPIFY, tdm_fake_shopify_get_url (fakes->shopify),
                       "fake-client-secret");

  /* The Sync button runs a sync; while it runs the header shows a spinner,
   * the progress and Stop (one Shopify answer is held back to see it). */
  tdm_fake_shopify_set_fault_delay (fakes->shopify, 1500);
  tdm_fake_shopify_inject_fault (fakes->shopify, 3, TDM_FAKE_SHOPIFY_FAULT_DELAY);
  g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "sync-now", NULL);
  tdm_test_wait_for (tdm_sync_engine_is_running (tdm_context_get_engine (context)), 30);
  {
    GtkStack *sync_stack = GTK_STACK (gtk_widget_get_template_child (GTK_WIDGET (fixture->window),
                                                                     TDM_TYPE_WINDOW, "sync_stack"));
    GtkLabel *progress = GTK_LABEL (gtk_widget_get_template_child (GTK_WIDGET (fixture->window),
                                                                   TDM_TYPE_WINDOW, "progress_label"));

    g_assert_cmpstr (gtk_stack_get_visible_child_name (sync_stack), ==, "running");
    g_assert_cmpstr (gtk_label_get_label (progress), !=, "");
    g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (fixture->app), "sync-stop"));
    g_test_message ("Progress: %s", gtk_label_get_label (progress));
    tdm_ui_take_screenshot (GTK_WINDOW (fixture->window), "screenshot-syncing.png");
  }
  toast = tdm_ui_wait_for_toast (fixture);
  g_test_message ("Toast: %s", toast);
  g_assert_true (g_str_has_prefix (toast, "Sync finished"));
  g_assert_nonnull (strstr (toast, "created"));

  /* A record failed: the toast's button opens the Activity page. */
  {
    GtkWidget *button;

    tdm_test_spin (100);
    button = tdm_test_find_button (GTK_WIDGET (fixture->window), "Show Errors");
    g_assert_nonnull (button);
    g_signal_emit_by_name (button, "clicked");
    tdm_test_spin (100);
    g_assert_cmpstr (tdm_window_get_visible_page (fixture->window), ==, "activity");
    g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "show-page",
                                    g_variant_new_string ("customers"));
  }

  tdm_ui_wait_for_page (customers);
  g_assert_cmpuint (tdm_ui_n_rows (customers), >=, 12);
  tdm_ui_take_screenshot (GTK_WINDOW (fixture->window), "screenshot-after-sync.png");
  for (guint i = 0; i < 2; i++)
    {
      const char *name = i == 0 ? "products" : "orders";
      g_autofree char *file = g_strdup_printf ("screenshot-%s-after-sync.png", name);

      GtkWidget *page = tdm_window_get_page (fixture->window, name);

      g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "show-page",
                                      g_variant_new_string (name));
      tdm_ui_wait_for_page (TDM_ENTITY_PAGE (page));
      tdm_ui_take_screenshot (GTK_WINDOW (fixture->window), file);
      /* The product status is one of the columns the column menu shows. */
      if (i == 0)
        {
          g_assert_true (gtk_widget_activate_action (page, "columns.show-4", NULL));
          tdm_test_spin (100);
        }
      {
        /* States in words, each in its column; amounts with two decimals,
         * prices with the currency of the shop's orders (issue 17). */
        g_autoptr(GString) text = g_string_new (NULL);

        tdm_ui_collect_text (page, text);
        g_test_message ("%s", text->str);
        if (i == 0)
          {
            g_assert_nonnull (strstr (text->str, "\nActive\n"));
            g_assert_null (strstr (text->str, "\nactive\n"));
            g_assert_nonnull (strstr (text->str, "\nNOK\xc2\xa0" "849.00\n"));
          }
        else
          {
            g_assert_nonnull (strstr (text->str, "\nPaid\n"));
            g_assert_nonnull (strstr (text->str, "\nFulfilled\n"));
            g_assert_null (strstr (text->str, "\npaid\n"));
            g_assert_null (strstr (text->str, "\nfulfilled\n"));
          }
      }
    }

}

/* With "run-in-background" off, closing the window mid-sync stops the run
 * at once and lets Tandem end, instead of an invisible process running on
 * until a slow answer arrives (issue 17, Polish). */
static void
test_close_window_mid_sync (TdmUiFixture *fixture)
{
  TdmContext *context = tdm_ui_fixture_get_context (fixture);
  TdmSyncEngine *engine = tdm_context_get_engine (context);
  g_autoptr(TdmUiFakes) fakes = tdm_ui_fakes_start (fixture);
  gint64 closed_at;

  g_assert_false (g_settings_get_boolean (fixture->settings, "run-in-background"));
  tdm_fake_shopify_set_fault_delay (fakes->shopify, 30000);
  tdm_fake_shopify_inject_fault (fakes->shopify, 3, TDM_FAKE_SHOPIFY_FAULT_DELAY);
  g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "sync-now", NULL);
  tdm_test_wait_for (tdm_sync_engine_is_running (engine), 30);

  gtk_window_close (GTK_WINDOW (fixture->window));
  fixture->window = NULL;
  closed_at = g_get_monotonic_time ();
  tdm_test_wait_for (!tdm_sync_engine_is_running (engine), 20);
  g_assert_cmpint (g_get_monotonic_time () - closed_at, <, 10 * G_USEC_PER_SEC);
  tdm_test_wait_for (!g_action_group_get_action_enabled (G_ACTION_GROUP (fixture->app), "sync-stop"), 5);
}

/* A failed run leaves a notice above the pages, with a way to Activity,
 * until the next good run (issue 17, finding 13). */
static void
test_failed_run_notice (TdmUiFixture *fixture)
{
  TdmContext *context = tdm_ui_fixture_get_context (fixture);
  TdmSyncEngine *engine = tdm_context_get_engine (context);
  g_autoptr(TdmUiFakes) fakes = tdm_ui_fakes_start (fixture);
  GtkRevealer *notice = GTK_REVEALER (gtk_widget_get_template_child (GTK_WIDGET (fixture->window),
                                                                     TDM_TYPE_WINDOW,
                                                                     "failure_revealer"));
  GtkLabel *label = GTK_LABEL (gtk_widget_get_template_child (GTK_WIDGET (fixture->window),
                                                              TDM_TYPE_WINDOW, "failure_label"));
  GtkWidget *button;

  g_assert_false (gtk_revealer_get_reveal_child (notice));
  tdm_ui_store_secret (fixture, TDM_SIDE_SHOPIFY, tdm_fake_shopify_get_url (fakes->shopify),
                       "wrong-secret");
  g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "sync-now", NULL);
  tdm_test_wait_for (tdm_sync_engine_get_last_error (engine) != NULL, 30);
  tdm_test_wait_for (!tdm_sync_engine_is_running (engine), 30);
  tdm_test_spin (100);

  /* Still there once the toast has gone, on every page. */
  g_assert_true (gtk_revealer_get_reveal_child (notice));
  g_test_message ("Notice: %s", gtk_label_get_label (label));
  g_assert_true (g_str_has_prefix (gtk_label_get_label (label), "The last sync failed: "));
  g_assert_null (strstr (gtk_label_get_label (label), "wrong-secret"));
  g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "show-page",
                                  g_variant_new_string ("products"));
  g_assert_true (gtk_revealer_get_reveal_child (notice));
  tdm_ui_take_screenshot (GTK_WINDOW (fixture->window), "screenshot-failed-run.png");

  button = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (fixture->window), TDM_TYPE_WINDOW,
                                                     "failure_button"));
  g_assert_true (gtk_widget_is_ancestor (button, GTK_WIDGET (notice)));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (button)), ==, "Open _Activity");
  g_signal_emit_by_name (button, "clicked");
  tdm_test_spin (100);
  g_assert_cmpstr (tdm_window_get_visible_page (fixture->window), ==, "activity");

  /* A good run takes it away. */
  tdm_ui_store_secret (fixture, TDM_SIDE_SHOPIFY, tdm_fake_shopify_get_url (fakes->shopify),
                       "fake-client-secret");
  g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "sync-now", NULL);
  tdm_test_wait_for (tdm_sync_engine_get_last_error (engine) == NULL, 60);
  tdm_test_wait_for (!tdm_sync_engine_is_running (engine), 60);
  g_assert_false (gtk_revealer_get_reveal_child (notice));
}

/* Another process (`tandem --sync-now` from a system timer, here a lock
 * taken on the side) is syncing the same state: the window's Sync says so in
 * a toast and starts nothing; a timer tick is skipped without a back-off and
 * the engine shows why. Once the other run ends, both sync again. */
static void
test_sync_while_another_runs (TdmUiFixture *fixture)
{
  TdmContext *context = tdm_ui_fixture_get_context (fixture);
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
  g_autoptr(TdmUiFakes) fakes = NULL;

  /* A first run loads the connectors the timer's runs use. */
  fakes = tdm_ui_fakes_start (fixture);
  g_assert_true (g_str_has_prefix (tdm_ui_sync_and_wait (fixture), "Sync finished"));
  tdm_ui_wait_until_sync_stops (fixture);

  other = tdm_run_lock_acquire (lock_path, &error);
  g_assert_no_error (error);

  toast = tdm_ui_sync_and_wait (fixture);
  g_assert_true (g_str_has_prefix (toast, expected));
  g_assert_false (tdm_sync_engine_is_running (engine));

  /* The timer's tick. */
  g_assert_true (tdm_sync_scheduler_run_now (scheduler));
  tdm_ui_wait_until_sync_stops (fixture);
  g_assert_cmpint (tdm_sync_engine_get_state (engine), ==, TDM_ENGINE_ERROR);
  g_assert_true (g_str_has_prefix (tdm_sync_engine_get_last_error (engine), expected));
  g_assert_cmpuint (tdm_sync_scheduler_get_failures (scheduler), ==, 0);

  /* Neither was recorded as a run: only the first one is. */
  runs = tdm_store_list_runs (store, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (runs->len, ==, 1);

  g_clear_pointer (&other, tdm_run_lock_release);
  toast = tdm_ui_sync_and_wait (fixture);
  g_assert_true (g_str_has_prefix (toast, "Sync finished"));
  tdm_ui_wait_until_sync_stops (fixture);

  /* The window's run gave the lock back. */
  other = tdm_run_lock_acquire (lock_path, &error);
  g_assert_no_error (error);
  g_clear_pointer (&other, tdm_run_lock_release);
}

static void
test_large_run_confirmation (TdmUiFixture *fixture)
{
  AdwMessageDialog *dialog;
  g_autoptr(TdmUiFakes) fakes = NULL;

  g_settings_set_uint (fixture->settings, "large-run-threshold", 3);
  fakes = tdm_ui_fakes_start (fixture);

  /* The first sync would change far more than 3 records: the window asks. */
  g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "sync-now", NULL);
  tdm_test_wait_for (tdm_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG) != NULL, 60);
  dialog = ADW_MESSAGE_DIALOG (tdm_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
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
  tdm_ui_take_screenshot (GTK_WINDOW (dialog), "screenshot-confirm-large-run.png");

  adw_message_dialog_response (dialog, "run");
  g_assert_true (g_str_has_prefix (tdm_ui_wait_for_toast (fixture), "Sync finished"));

  g_settings_reset (fixture->settings, "large-run-threshold");
}

int
main (int   argc,
      char *argv[])
{
  if (tdm_ui_test_init (&argc, &argv))
    {
      tdm_ui_test_add ("/ui/sync/fakes", TDM_UI_EMPTY, test_connection_and_sync);
      tdm_ui_test_add ("/ui/sync/another-runs", TDM_UI_EMPTY, test_sync_while_another_runs);
      tdm_ui_test_add ("/ui/sync/confirm-large-run", TDM_UI_EMPTY, test_large_run_confirmation);
      tdm_ui_test_add ("/ui/sync/close-window-mid-sync", TDM_UI_EMPTY, test_close_window_mid_sync);
      tdm_ui_test_add ("/ui/sync/failed-run-notice", TDM_UI_EMPTY, test_failed_run_notice);
    }
  return g_test_run ();
}
