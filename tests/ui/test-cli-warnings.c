/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-test-cli-warnings"

#include "config.h"

#include <string.h>

#include "tdm-test-world.h"

/* `tandem --sync-now` on a server: the warnings of a run that still went
 * on (a time far in the future, a listing cut short; docs/sync.md §
 * Watermarks) are lines of its output, next to the progress lines. The
 * built tandem runs as a child against both fakes in this process, with no
 * display, settings in a key file and made-up secrets through demo mode. */

#define WEBSHOP_TOKEN "cli-warn-webshop-token"
#define CLIENT_ID     "cli-warn-client"
#define CLIENT_SECRET "cli-warn-secret"

/* Runs `tandem --sync-now` in `w`, with no display, while this process
 * serves both shops; returns the ended child. */
static TdmTestChild *
run_sync_now (TdmTestWorld *w)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  TdmTestChild *child;

  launcher = tdm_test_world_launcher (w,
                                      G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                      G_SUBPROCESS_FLAGS_STDERR_PIPE,
                                      WEBSHOP_TOKEN, CLIENT_SECRET);
  g_subprocess_launcher_unsetenv (launcher, "DISPLAY");
  g_subprocess_launcher_unsetenv (launcher, "WAYLAND_DISPLAY");
  g_subprocess_launcher_setenv (launcher, "LANGUAGE", "C", TRUE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  child = tdm_test_child_spawn_tandem (launcher, "--sync-now", NULL);
  tdm_test_child_wait (child, 60);
  return child;
}

/* A webshop customer dated in year 9999 is synced all the same, and the
 * run's warning about it is printed among the progress lines. */
static void
test_sync_now_prints_warnings (void)
{
  g_autoptr(TdmTestWorld) w = tdm_test_world_new ("cli-warn", WEBSHOP_TOKEN, CLIENT_ID,
                                                   CLIENT_SECRET);
  g_autoptr(TdmTestChild) outcome = NULL;
  g_autofree char *id = NULL;
  g_autofree char *named = NULL;
  g_auto(GStrv) lines = NULL;
  const char *warning = NULL;
  const char *progress = NULL;

  id = tdm_test_world_seed_webshop (w, TDM_KIND_CUSTOMER,
                                    "{\"email\": \"fremtid@example.no\","
                                    " \"first_name\": \"Fremtid\","
                                    " \"updated_at\": \"9999-12-31T23:59:59Z\"}");

  outcome = run_sync_now (w);
  g_test_message ("stdout:\n%s\nstderr:\n%s", outcome->out, outcome->err);

  g_assert_cmpint (outcome->status, ==, 0);
  g_assert_cmpuint (tdm_fake_shopify_count (w->shop, TDM_KIND_CUSTOMER), ==, 1);
  lines = g_strsplit (outcome->out, "\n", -1);
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
  g_assert_null (strstr (strstr (outcome->out, warning) + strlen (warning), "far in the future"));
  g_assert_null (strstr (outcome->err, "did not complete"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/cli/sync-now-prints-warnings", test_sync_now_prints_warnings);

  return g_test_run ();
}
