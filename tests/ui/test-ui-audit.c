/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-test-ui-audit"

#include "config.h"

#include <string.h>

#include "tdm-test-secrets.h"
#include "tdm-ui-fixture.h"

/* Secrets audit of the UI's error paths (docs/testing.md, Secrets audit):
 * no secret in any log line, any text on screen, the settings or the files
 * Tandem keeps (tdm-ui-fixture.h). */

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

/* With every debug message on, rejected secrets on both sides go through
 * Test Connection, the Sync button (its toast, the Activity page and the
 * notification path), and a sync that succeeds after the secrets are fixed.
 * No secret may show in any log line, any text on screen, the settings or
 * the files Tandem keeps. */
static void
test_secrets_audit (TdmUiFixture *fixture)
{
  static const char *wrong_webshop = "audit-ui-webshop-wrong-3f9a1c";
  static const char *wrong_shopify = "audit-ui-shopify-wrong-81d2e7";
  const char *secrets[] = { "webshop-test-token", "fake-client-secret", wrong_webshop,
                            wrong_shopify, NULL };
  g_autoptr(GString) screen = g_string_new (NULL);
  TdmPreferencesWindow *prefs;
  const char *result;
  const char *toast;
  g_autoptr(TdmUiFakes) fakes = NULL;
  const char *dirs[4];

  audit_log = g_string_new (NULL);
  g_log_set_debug_enabled (TRUE);

  fakes = tdm_ui_fakes_start (fixture);
  tdm_ui_store_secret (fixture, TDM_SIDE_WEBSHOP, tdm_fake_webshop_get_url (fakes->webshop), wrong_webshop);
  tdm_ui_store_secret (fixture, TDM_SIDE_SHOPIFY, tdm_fake_shopify_get_url (fakes->shopify), wrong_shopify);

  /* Test Connection: both sides refuse. */
  prefs = tdm_ui_open_preferences (fixture);
  g_signal_emit_by_name (tdm_ui_prefs_child (prefs, "webshop_test_button"), "clicked");
  result = tdm_ui_wait_for_test_result (prefs, "webshop_test_spinner", "webshop_test_row");
  g_test_message ("Webshop test with a wrong secret: %s", result);
  g_assert_true (gtk_widget_has_css_class (tdm_ui_prefs_child (prefs, "webshop_test_row"), "error"));
  g_signal_emit_by_name (tdm_ui_prefs_child (prefs, "shopify_test_button"), "clicked");
  result = tdm_ui_wait_for_test_result (prefs, "shopify_test_spinner", "shopify_test_row");
  g_test_message ("Shopify test with a wrong secret: %s", result);
  g_assert_true (gtk_widget_has_css_class (tdm_ui_prefs_child (prefs, "shopify_test_row"), "error"));
  tdm_ui_collect_screen_text (screen);
  gtk_window_destroy (GTK_WINDOW (prefs));

  /* The Sync button: the run stops on the refused secret. */
  toast = tdm_ui_sync_and_wait (fixture);
  g_assert_false (g_str_has_prefix (toast, "Sync finished"));
  g_string_append_printf (screen, "%s\n", toast);
  tdm_ui_wait_until_sync_stops (fixture);
  g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "show-page",
                                  g_variant_new_string ("activity"));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (fixture->window));
  tdm_test_spin (200);
  tdm_ui_collect_screen_text (screen);

  /* Only Shopify's secret fixed: now the webshop refuses the run. */
  tdm_ui_store_secret (fixture, TDM_SIDE_SHOPIFY, tdm_fake_shopify_get_url (fakes->shopify),
                       "fake-client-secret");
  toast = tdm_ui_sync_and_wait (fixture);
  g_assert_nonnull (strstr (toast, "webshop"));
  g_string_append_printf (screen, "%s\n", toast);
  tdm_ui_wait_until_sync_stops (fixture);
  tdm_ui_collect_screen_text (screen);

  /* Both fixed: a complete sync. */
  tdm_ui_store_secret (fixture, TDM_SIDE_WEBSHOP, tdm_fake_webshop_get_url (fakes->webshop),
                       "webshop-test-token");
  toast = tdm_ui_sync_and_wait (fixture);
  g_assert_true (g_str_has_prefix (toast, "Sync finished"));
  {
    /* The newest toast replaces the older ones instead of queueing behind
     * them: after three runs only the last one's message shows. Looked at
     * while it shows (a toast leaves after 5 s; under the sanitizers the
     * screenshot below alone can take that long). */
    g_autoptr(GString) now = g_string_new (NULL);

    tdm_test_spin (500);
    tdm_ui_collect_text (GTK_WIDGET (fixture->window), now);
    g_assert_nonnull (strstr (now->str, "Sync finished"));
    g_assert_null (strstr (now->str, "Sync failed"));
  }
  tdm_ui_wait_until_sync_stops (fixture);
  tdm_ui_collect_screen_text (screen);
  tdm_ui_take_screenshot (GTK_WINDOW (fixture->window), "screenshot-audit.png");

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
      tdm_test_assert_settings_clean (fixture->settings, secrets[i]);
      for (guint d = 0; d < G_N_ELEMENTS (dirs); d++)
        tdm_test_assert_tree_clean (dirs[d], secrets[i]);
    }
  g_string_free (g_steal_pointer (&audit_log), TRUE);
}

int
main (int   argc,
      char *argv[])
{
  if (tdm_ui_test_init (&argc, &argv))
    {
      g_log_set_writer_func (audit_log_writer, NULL, NULL);
      tdm_ui_test_add ("/ui/audit/secrets", TDM_UI_EMPTY, test_secrets_audit);
    }
  return g_test_run ();
}
