/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-test-cli-warnings"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "tdm-fake-webshop.h"
#include "tdm-fake-shopify.h"

/* `tandem --sync-now` on a server: the warnings of a run that still went
 * on (a time far in the future, a listing cut short; docs/sync.md §
 * Watermarks) are lines of its output, next to the progress lines. The
 * built tandem runs as a child against both fakes in this process, with no
 * display, settings in a key file and made-up secrets through demo mode. */

#define WEBSHOP_TOKEN "cli-warn-webshop-token"
#define CLIENT_ID     "cli-warn-client"
#define CLIENT_SECRET "cli-warn-secret"

typedef struct
{
  char     *out;
  char     *err;
  int       status;
  gboolean  done;
} Outcome;

static void
on_communicated_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Outcome *outcome = user_data;
  GSubprocess *process = G_SUBPROCESS (source);
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8_finish (process, result, &outcome->out, &outcome->err, &error);
  g_assert_no_error (error);
  outcome->status = g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process)
                                                         : -1;
  outcome->done = TRUE;
}

static gboolean
on_timeout_cb (gpointer user_data)
{
  g_error ("tandem --sync-now did not end within %u s", GPOINTER_TO_UINT (user_data));
  return G_SOURCE_REMOVE;
}

/* Runs `tandem --sync-now` in `dir` while this process serves both shops. */
static void
run_sync_now (const char *dir,
              Outcome    *outcome)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *config = g_build_filename (dir, "config", NULL);
  g_autofree char *state = g_build_filename (dir, "state", NULL);
  g_autofree char *exe = g_build_filename (g_getenv ("TANDEM_BUILD_DIR"), "src", "tandem", NULL);
  guint timeout_id;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_unsetenv (launcher, "DISPLAY");
  g_subprocess_launcher_unsetenv (launcher, "WAYLAND_DISPLAY");
  g_subprocess_launcher_setenv (launcher, "LANGUAGE", "C", TRUE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  g_subprocess_launcher_setenv (launcher, "GSETTINGS_BACKEND", "keyfile", TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", config, TRUE);
  g_subprocess_launcher_setenv (launcher, "TANDEM_CONFIG_DIR", config, TRUE);
  g_subprocess_launcher_setenv (launcher, "TANDEM_STATE_DIR", state, TRUE);
  g_subprocess_launcher_setenv (launcher, "TANDEM_DEMO", "1", TRUE);
  g_subprocess_launcher_setenv (launcher, "TANDEM_DEMO_WEBSHOP_SECRET", WEBSHOP_TOKEN, TRUE);
  g_subprocess_launcher_setenv (launcher, "TANDEM_DEMO_SHOPIFY_SECRET", CLIENT_SECRET, TRUE);
  process = g_subprocess_launcher_spawn (launcher, &error, exe, "--sync-now", NULL);
  g_assert_no_error (error);

  timeout_id = g_timeout_add_seconds (60, on_timeout_cb, GUINT_TO_POINTER (60));
  g_subprocess_communicate_utf8_async (process, NULL, NULL, on_communicated_cb, outcome);
  while (!outcome->done)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (timeout_id);
}

static void
write_settings (const char     *dir,
                TdmFakeWebshop *web,
                TdmFakeShopify *shop)
{
  g_autofree char *settings_dir = g_build_filename (dir, "config", "glib-2.0", "settings", NULL);
  g_autofree char *keyfile = g_build_filename (settings_dir, "keyfile", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;

  contents = g_strdup_printf ("[io/github/tandemsync/Tandem]\n"
                              "webshop-url='%s'\n"
                              "shopify-shop='%s'\n"
                              "shopify-client-id='%s'\n",
                              tdm_fake_webshop_get_url (web), tdm_fake_shopify_get_url (shop),
                              CLIENT_ID);
  g_assert_cmpint (g_mkdir_with_parents (settings_dir, 0700), ==, 0);
  g_file_set_contents (keyfile, contents, -1, &error);
  g_assert_no_error (error);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

/* A webshop customer dated in year 9999 is synced all the same, and the
 * run's warning about it is printed among the progress lines. */
static void
test_sync_now_prints_warnings (void)
{
  g_autoptr(TdmFakeWebshop) web = tdm_fake_webshop_new ();
  g_autoptr(TdmFakeShopify) shop = tdm_fake_shopify_new ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *id = NULL;
  g_autofree char *named = NULL;
  g_auto(GStrv) lines = NULL;
  const char *warning = NULL;
  const char *progress = NULL;
  Outcome outcome = { 0 };

  dir = g_dir_make_tmp ("tandem-cli-warn-XXXXXX", &error);
  g_assert_no_error (error);

  tdm_fake_webshop_set_auth (web, TDM_WEBSHOP_AUTH_BEARER, WEBSHOP_TOKEN);
  g_assert_true (tdm_fake_webshop_start (web, &error));
  g_assert_no_error (error);
  tdm_fake_shopify_set_credentials (shop, CLIENT_ID, CLIENT_SECRET, NULL);
  g_assert_true (tdm_fake_shopify_start (shop, &error));
  g_assert_no_error (error);

  g_assert_true (json_parser_load_from_data (parser,
                                             "{\"email\": \"fremtid@example.no\","
                                             " \"first_name\": \"Fremtid\","
                                             " \"updated_at\": \"9999-12-31T23:59:59Z\"}",
                                             -1, NULL));
  id = tdm_fake_webshop_seed (web, TDM_KIND_CUSTOMER,
                              json_node_get_object (json_parser_get_root (parser)));
  write_settings (dir, web, shop);

  run_sync_now (dir, &outcome);
  g_test_message ("stdout:\n%s\nstderr:\n%s", outcome.out, outcome.err);

  g_assert_cmpint (outcome.status, ==, 0);
  g_assert_cmpuint (tdm_fake_shopify_count (shop, TDM_KIND_CUSTOMER), ==, 1);
  lines = g_strsplit (outcome.out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (g_str_has_prefix (lines[i], "Warning: "))
        warning = lines[i];
      else if (g_str_has_prefix (lines[i], "Reading changes: ") && progress == NULL)
        progress = lines[i];
    }
  g_assert_nonnull (progress);
  g_assert_nonnull (warning);
  named = g_strdup_printf ("The webshop sent customer %s", id);
  g_assert_nonnull (strstr (warning, named));
  g_assert_nonnull (strstr (warning, "far in the future"));
  /* Once per side and kind, and never on stderr as a failure. */
  g_assert_null (strstr (strstr (outcome.out, warning) + strlen (warning), "far in the future"));
  g_assert_null (strstr (outcome.err, "did not complete"));

  g_free (outcome.out);
  g_free (outcome.err);
  remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/cli/sync-now-prints-warnings", test_sync_now_prints_warnings);

  return g_test_run ();
}
