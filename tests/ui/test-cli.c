/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-test-cli"

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <grp.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tdm-test-settings.h"
#include "tdm-test-spawn.h"
#include "tdm-test-tree.h"

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

/* The environment of tandem: no display at all (DISPLAY and WAYLAND_DISPLAY
 * are removed, so anything that initialises GTK fails loudly), the state in
 * `state_dir` (NULL: a folder in the test's data directory). */
static GStrv
tandem_envp (const char *state_dir)
{
  GStrv envp = g_get_environ ();
  g_autofree char *default_state_dir = g_build_filename (g_get_user_data_dir (), "tandem-state",
                                                         NULL);

  envp = g_environ_unsetenv (envp, "DISPLAY");
  envp = g_environ_unsetenv (envp, "WAYLAND_DISPLAY");
  envp = g_environ_setenv (envp, "TANDEM_STATE_DIR",
                           state_dir != NULL ? state_dir : default_state_dir, TRUE);
  envp = g_environ_setenv (envp, "LANGUAGE", "C", TRUE);
  envp = g_environ_setenv (envp, "LC_ALL", "C.UTF-8", TRUE);
  return envp;
}

static GPtrArray *
tandem_argv (const char         *path,
             const char * const *args)
{
  GPtrArray *argv = g_ptr_array_new ();

  g_ptr_array_add (argv, (char *) path);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  return argv;
}

/* Runs tandem with `args` (see tandem_envp) and waits for it, as the
 * "nobody" user when `as_nobody` and the tests run as root. */
static gboolean
run_tandem_full (const char * const *args,
                 const char         *state_dir,
                 gboolean            as_nobody,
                 RunResult          *result)
{
  g_autofree char *path = tdm_test_tandem_path ();
  g_autoptr(GPtrArray) argv = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) envp = tandem_envp (state_dir);
  int wait_status = 0;

  if (path == NULL || !g_file_test (path, G_FILE_TEST_IS_EXECUTABLE))
    return FALSE;

  argv = tandem_argv (path, args);
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

#define NOT_BUILT "TANDEM_BUILD_DIR/src/tandem is not built"

/* One run of tandem with no state and no settings, and what it must say. */
typedef struct {
  const char *path;
  const char *args[2];
  int         status;
  const char *out;               /* the whole standard output; NULL: not checked */
  gboolean    err_said;          /* standard error is not empty */
  const char *out_has[6];        /* each in standard output */
  const char *err_has[6];        /* each in standard error */
  const char *err_lacks[3];      /* none in standard error */
} CliCase;

static const CliCase cli_cases[] = {
  { "/cli/version", { "--version" }, 0, .out = "Tandem " PACKAGE_VERSION "\n" },
  { "/cli/help", { "--help" }, 0,
    .out_has = { "--version", "--sync-now", "--dry-run", "--background",
                 "Keep your webshop and your Shopify store in step." } },
  /* --dry-run alone is a usage error, reported without opening a window. */
  { "/cli/usage-error", { "--dry-run" }, 2, .err_has = { "--sync-now" } },
  /* Nothing is configured, so the run cannot succeed; what matters is that
   * it ends with an explanation and never touches GTK or a display. */
  { "/cli/sync-now-without-display", { "--sync-now" }, 1, .err_said = TRUE,
    .err_lacks = { "Gtk-", "cannot open display" } },
  /* An installed user has no README.md: the "not configured" message names
   * the settings and the secret-tool commands to set, or --help. */
  { "/cli/not-configured-message", { "--sync-now" }, 1,
    .err_lacks = { "README" },
    .err_has = { "gsettings set " SCHEMA_ID " webshop-url",
                 "gsettings set " SCHEMA_ID " shopify-shop",
                 "secret-tool store --label=Tandem service webshop account",
                 "secret-tool store --label=Tandem service shopify account",
                 "tandem --help" } },
};

static void
test_cli_case (gconstpointer data)
{
  const CliCase *c = data;
  RunResult result = { 0 };

  if (!run_tandem (c->args, &result))
    {
      g_test_skip (NOT_BUILT);
      return;
    }

  g_assert_cmpint (result.status, ==, c->status);
  if (c->out != NULL)
    g_assert_cmpstr (result.out, ==, c->out);
  if (c->err_said)
    g_assert_cmpstr (result.err, !=, "");
  for (guint i = 0; i < G_N_ELEMENTS (c->err_lacks) && c->err_lacks[i] != NULL; i++)
    g_assert_null (strstr (result.err, c->err_lacks[i]));
  for (guint i = 0; i < G_N_ELEMENTS (c->out_has) && c->out_has[i] != NULL; i++)
    g_assert_nonnull (strstr (result.out, c->out_has[i]));
  for (guint i = 0; i < G_N_ELEMENTS (c->err_has) && c->err_has[i] != NULL; i++)
    g_assert_nonnull (strstr (result.err, c->err_has[i]));
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
      g_test_skip (NOT_BUILT);
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
      g_test_skip (NOT_BUILT);
      tdm_test_remove_tree (base);
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

  tdm_test_remove_tree (base);
}

/* A webshop and a Shopify that accept connections and never answer: a
 * listening socket nobody accepts on (the kernel completes the handshakes).
 * A run against it stays in its first requests until it is stopped. */
static GSocket *
silent_server (guint16 *port)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  GSocket *socket;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                         &error);
  g_assert_no_error (error);
  g_socket_bind (socket, address, TRUE, &error);
  g_assert_no_error (error);
  g_socket_set_listen_backlog (socket, 16);
  g_socket_listen (socket, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  *port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  return socket;
}

/* Configures tandem (settings in a key file, made-up secrets in memory
 * through the demo mode) to sync against `port`. */
static void
configure_tandem (guint16     port,
                  const char *shopify_auth)
{
  g_autofree char *lines = NULL;
  g_autofree char *keyfile = NULL;

  lines = g_strdup_printf ("webshop-url='http://127.0.0.1:%u/api'\n"
                           "shopify-shop='http://127.0.0.1:%u'\n"
                           "shopify-auth='%s'\n", port, port, shopify_auth);
  keyfile = tdm_test_settings_write (g_get_user_config_dir (), lines);
  /* The key file backend reads $XDG_CONFIG_HOME, which the test runner
   * may point elsewhere than the test's own directory. */
  g_setenv ("TDM_TEST_SAVED_XDG_CONFIG_HOME", g_getenv ("XDG_CONFIG_HOME") ?: "", FALSE);
  g_setenv ("XDG_CONFIG_HOME", g_get_user_config_dir (), TRUE);
  g_setenv ("GSETTINGS_BACKEND", "keyfile", TRUE);
  g_setenv ("TANDEM_DEMO", "1", TRUE);
  g_setenv ("TANDEM_DEMO_WEBSHOP_SECRET", "cli-test-webshop-token", TRUE);
  g_setenv ("TANDEM_DEMO_SHOPIFY_SECRET", "cli-test-shopify-token", TRUE);
}

static void
unconfigure_tandem (void)
{
  g_setenv ("XDG_CONFIG_HOME", g_getenv ("TDM_TEST_SAVED_XDG_CONFIG_HOME"), TRUE);
  g_unsetenv ("TDM_TEST_SAVED_XDG_CONFIG_HOME");
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_unsetenv ("TANDEM_DEMO");
  g_unsetenv ("TANDEM_DEMO_WEBSHOP_SECRET");
  g_unsetenv ("TANDEM_DEMO_SHOPIFY_SECRET");
}

/* Waits until the run lock names `pid` (its holder). */
static void
wait_for_lock_holder (const char *lock_path,
                      GPid        pid)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  for (;;)
    {
      g_autofree char *contents = NULL;

      if (g_file_get_contents (lock_path, &contents, NULL, NULL) &&
          g_ascii_strtoll (contents, NULL, 10) == pid)
        return;
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (20 * 1000);
    }
}

/* One sync at a time per state: while a `tandem --sync-now` runs, a second
 * one on the same state exits 1 at once, naming the first one's process;
 * after the first is killed (SIGKILL: nothing of its own runs), the next
 * one runs. */
static void
test_one_sync_at_a_time (void)
{
  const char *args[] = { "--sync-now", NULL };
  g_autofree char *path = tdm_test_tandem_path ();
  g_autofree char *state_dir = g_build_filename (g_get_user_data_dir (), "tandem-state", NULL);
  g_autofree char *lock_path = g_build_filename (state_dir, "state.sqlite3.lock", NULL);
  g_autofree char *expected = NULL;
  g_autoptr(GSocket) server = NULL;
  g_autoptr(GPtrArray) argv = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) envp = NULL;
  RunResult result = { 0 };
  guint16 port = 0;
  GPid holder = 0;
  int status = 0;

  if (path == NULL || !g_file_test (path, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip (NOT_BUILT);
      return;
    }

  server = silent_server (&port);
  configure_tandem (port, "token");

  envp = tandem_envp (NULL);
  argv = tandem_argv (path, args);
  g_spawn_async (NULL, (char **) argv->pdata, envp,
                 G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                 NULL, NULL, &holder, &error);
  g_assert_no_error (error);
  wait_for_lock_holder (lock_path, holder);

  g_assert_true (run_tandem (args, &result));
  g_test_message ("second run: %s", result.err);
  expected = g_strdup_printf ("Another sync is running (pid %ld)", (long) holder);
  g_assert_cmpint (result.status, ==, 1);
  g_assert_true (g_str_has_prefix (result.err, expected));
  g_assert_cmpstr (result.out, ==, "");   /* refused before anything was read */
  run_result_clear (&result);

  /* The holder is still running: the refusal did not disturb it. */
  g_assert_cmpint (waitpid (holder, &status, WNOHANG), ==, 0);
  g_assert_cmpint (kill (holder, SIGKILL), ==, 0);
  g_assert_cmpint (waitpid (holder, &status, 0), ==, holder);
  g_spawn_close_pid (holder);

  /* The next run gets past the lock: it loads its connectors, and ends
   * there at once on a setting left out on purpose. */
  configure_tandem (port, "client-credentials");
  g_assert_true (run_tandem (args, &result));
  g_test_message ("third run: %s", result.err);
  g_assert_null (strstr (result.err, "Another sync is running"));
  g_assert_nonnull (strstr (result.err, "The Shopify client ID is not set"));
  g_assert_nonnull (strstr (result.out, "created="));
  run_result_clear (&result);

  unconfigure_tandem ();
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cli_cases); i++)
    g_test_add_data_func (cli_cases[i].path, &cli_cases[i], test_cli_case);
  g_test_add_func ("/cli/state-modes-tightened", test_state_modes_tightened);
  g_test_add_func ("/cli/read-only-state-folder", test_read_only_state_folder);
  g_test_add_func ("/cli/one-sync-at-a-time", test_one_sync_at_a_time);

  return g_test_run ();
}
