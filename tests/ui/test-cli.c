/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-test-cli"

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <grp.h>
#include <string.h>
#include <unistd.h>

/* Runs the built `tandem` executable with command-line options that need
 * no display. */

typedef struct {
  char *out;
  char *err;
  int   status;
} RunResult;

static void
run_result_clear (RunResult *result)
{
  g_clear_pointer (&result->out, g_free);
  g_clear_pointer (&result->err, g_free);
}

static char *
tandem_path (void)
{
  const char *build_dir = g_getenv ("TANDEM_BUILD_DIR");

  if (build_dir == NULL)
    return NULL;

  return g_build_filename (build_dir, "src", "tandem", NULL);
}

/* Runs the "nobody" user's part of a test when the tests run as root
 * (GSpawnChildSetupFunc: between fork and exec). */
#define NOBODY 65534

static void
drop_root_cb (gpointer user_data)
{
  if (getuid () != 0)
    return;
  if (setgroups (0, NULL) != 0 || setgid (NOBODY) != 0 || setuid (NOBODY) != 0)
    _exit (127);
}

/* Runs tandem with `args` and no display at all: DISPLAY and WAYLAND_DISPLAY
 * are removed, so anything that initialises GTK fails loudly. The state
 * lives in `state_dir` (NULL: a folder in the test's data directory). */
static gboolean
run_tandem_full (const char * const *args,
                 const char         *state_dir,
                 gboolean            as_nobody,
                 RunResult          *result)
{
  g_autofree char *path = tandem_path ();
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) envp = g_get_environ ();
  g_autofree char *default_state_dir = g_build_filename (g_get_user_data_dir (), "tandem-state",
                                                         NULL);
  int wait_status = 0;

  if (path == NULL || !g_file_test (path, G_FILE_TEST_IS_EXECUTABLE))
    return FALSE;

  envp = g_environ_unsetenv (envp, "DISPLAY");
  envp = g_environ_unsetenv (envp, "WAYLAND_DISPLAY");
  envp = g_environ_setenv (envp, "TANDEM_STATE_DIR",
                           state_dir != NULL ? state_dir : default_state_dir, TRUE);
  envp = g_environ_setenv (envp, "LANGUAGE", "C", TRUE);
  envp = g_environ_setenv (envp, "LC_ALL", "C.UTF-8", TRUE);

  g_ptr_array_add (argv, path);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (NULL, (char **) argv->pdata, envp, G_SPAWN_DEFAULT,
                as_nobody ? drop_root_cb : NULL, NULL,
                &result->out, &result->err, &wait_status, &error);
  g_assert_no_error (error);
  result->status = WIFEXITED (wait_status) ? WEXITSTATUS (wait_status) : -1;

  return TRUE;
}

static gboolean
run_tandem (const char * const *args,
            RunResult          *result)
{
  return run_tandem_full (args, NULL, FALSE, result);
}

static guint
mode_of (const char *path)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  return st.st_mode & 0777;
}

static void
test_version (void)
{
  const char *args[] = { "--version", NULL };
  RunResult result = { 0 };

  if (!run_tandem (args, &result))
    {
      g_test_skip ("TANDEM_BUILD_DIR/src/tandem is not built");
      return;
    }

  g_assert_cmpint (result.status, ==, 0);
  g_assert_cmpstr (result.out, ==, "Tandem " PACKAGE_VERSION "\n");
  run_result_clear (&result);
}

static void
test_help (void)
{
  const char *args[] = { "--help", NULL };
  RunResult result = { 0 };

  if (!run_tandem (args, &result))
    {
      g_test_skip ("TANDEM_BUILD_DIR/src/tandem is not built");
      return;
    }

  g_assert_cmpint (result.status, ==, 0);
  g_assert_nonnull (strstr (result.out, "--version"));
  g_assert_nonnull (strstr (result.out, "--sync-now"));
  g_assert_nonnull (strstr (result.out, "--dry-run"));
  g_assert_nonnull (strstr (result.out, "--background"));
  g_assert_nonnull (strstr (result.out, "Keep your webshop and your Shopify store in step."));
  run_result_clear (&result);
}

static void
test_usage_error (void)
{
  const char *args[] = { "--dry-run", NULL };
  RunResult result = { 0 };

  if (!run_tandem (args, &result))
    {
      g_test_skip ("TANDEM_BUILD_DIR/src/tandem is not built");
      return;
    }

  /* --dry-run alone is a usage error, reported without opening a window. */
  g_assert_cmpint (result.status, ==, 2);
  g_assert_nonnull (strstr (result.err, "--sync-now"));
  run_result_clear (&result);
}

static void
test_sync_now_without_display (void)
{
  const char *args[] = { "--sync-now", NULL };
  RunResult result = { 0 };

  if (!run_tandem (args, &result))
    {
      g_test_skip ("TANDEM_BUILD_DIR/src/tandem is not built");
      return;
    }

  /* Nothing is configured, so the run cannot succeed; what matters is that
   * it ends with an explanation and never touches GTK or a display. */
  g_assert_cmpint (result.status, ==, 1);
  g_assert_cmpstr (result.err, !=, "");
  g_assert_null (strstr (result.err, "Gtk-"));
  g_assert_null (strstr (result.err, "cannot open display"));
  run_result_clear (&result);
}

/* The state folder and database of an older version, 0755 and 0644, are
 * owner-only after a run: they hold the shop's customers. */
static void
test_state_modes_tightened (void)
{
  const char *args[] = { "--sync-now", NULL };
  g_autofree char *state_dir = g_build_filename (g_get_user_data_dir (), "tandem-state", NULL);
  g_autofree char *db = g_build_filename (state_dir, "state.sqlite3", NULL);
  RunResult result = { 0 };

  if (!run_tandem (args, &result))
    {
      g_test_skip ("TANDEM_BUILD_DIR/src/tandem is not built");
      return;
    }
  run_result_clear (&result);
  g_assert_cmpuint (mode_of (state_dir), ==, 0700);
  g_assert_cmpuint (mode_of (db), ==, 0600);

  g_assert_cmpint (g_chmod (state_dir, 0755), ==, 0);
  g_assert_cmpint (g_chmod (db, 0644), ==, 0);
  g_assert_true (run_tandem (args, &result));
  g_assert_cmpint (result.status, ==, 1);   /* not configured */
  g_assert_cmpuint (mode_of (state_dir), ==, 0700);
  g_assert_cmpuint (mode_of (db), ==, 0600);
  run_result_clear (&result);
}

/* A state folder the user may not write to is named as read-only, with
 * the advice to make it writable, never as a damaged database to move away.
 * As root (where a folder's mode does not stop writing) tandem runs as the
 * "nobody" user. */
static void
test_read_only_state_folder (void)
{
  const char *args[] = { "--sync-now", NULL };
  g_autofree char *base = g_dir_make_tmp ("tdm-cli-XXXXXX", NULL);
  g_autofree char *state_dir = g_build_filename (base, "tandem", NULL);
  g_autofree char *db = g_build_filename (state_dir, "state.sqlite3", NULL);
  g_autofree char *expected = g_strdup_printf ("Tandem cannot write to its data folder “%s”: it "
                                               "is read-only. Make the folder writable",
                                               state_dir);
  RunResult result = { 0 };

  g_assert_nonnull (base);
  if (!run_tandem_full (args, state_dir, FALSE, &result))
    {
      g_test_skip ("TANDEM_BUILD_DIR/src/tandem is not built");
      g_rmdir (base);
      return;
    }
  run_result_clear (&result);
  g_assert_true (g_file_test (db, G_FILE_TEST_EXISTS));
  if (getuid () == 0)
    {
      g_assert_cmpint (chown (base, NOBODY, NOBODY), ==, 0);
      g_assert_cmpint (chown (state_dir, NOBODY, NOBODY), ==, 0);
      g_assert_cmpint (chown (db, NOBODY, NOBODY), ==, 0);
    }
  g_assert_cmpint (g_chmod (base, 0755), ==, 0);
  g_assert_cmpint (g_chmod (state_dir, 0500), ==, 0);

  g_assert_true (run_tandem_full (args, state_dir, TRUE, &result));
  if (result.status == 127)
    g_test_skip ("The nobody user cannot run the built tandem here");
  else
    {
      g_test_message ("%s", result.err);
      g_assert_cmpint (result.status, ==, 1);
      g_assert_nonnull (strstr (result.err, expected));
      g_assert_null (strstr (result.err, "damaged"));
      g_assert_null (strstr (result.err, "move the file away"));
    }
  run_result_clear (&result);

  g_chmod (state_dir, 0700);
  g_remove (db);
  g_rmdir (state_dir);
  g_rmdir (base);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/cli/version", test_version);
  g_test_add_func ("/cli/help", test_help);
  g_test_add_func ("/cli/usage-error", test_usage_error);
  g_test_add_func ("/cli/sync-now-without-display", test_sync_now_without_display);
  g_test_add_func ("/cli/state-modes-tightened", test_state_modes_tightened);
  g_test_add_func ("/cli/read-only-state-folder", test_read_only_state_folder);

  return g_test_run ();
}
