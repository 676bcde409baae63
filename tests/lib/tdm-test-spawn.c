/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-test"

#include "config.h"

#include "tdm-test-spawn.h"

#include <signal.h>

char *
tdm_test_tandem_path (void)
{
  const char *build_dir = g_getenv ("TANDEM_BUILD_DIR");

  if (build_dir == NULL)
    return NULL;
  return g_build_filename (build_dir, "src", "tandem", NULL);
}

gboolean
tdm_test_have_tandem (void)
{
  g_autofree char *path = tdm_test_tandem_path ();

  return path != NULL && g_file_test (path, G_FILE_TEST_IS_EXECUTABLE);
}

GSubprocessLauncher *
tdm_test_launcher_new (GSubprocessFlags  flags,
                       const char       *dir,
                       const char       *webshop_secret,
                       const char       *shopify_secret)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (flags);
  g_autofree char *config = NULL;
  g_autofree char *state = NULL;

  g_assert (dir != NULL);
  g_assert (webshop_secret != NULL);
  g_assert (shopify_secret != NULL);

  config = g_build_filename (dir, "config", NULL);
  state = g_build_filename (dir, "state", NULL);
  g_subprocess_launcher_setenv (launcher, "GSETTINGS_BACKEND", "keyfile", TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", config, TRUE);
  g_subprocess_launcher_setenv (launcher, "TANDEM_STATE_DIR", state, TRUE);
  g_subprocess_launcher_setenv (launcher, "TANDEM_CONFIG_DIR", config, TRUE);
  g_subprocess_launcher_setenv (launcher, "TANDEM_DEMO", "1", TRUE);
  g_subprocess_launcher_setenv (launcher, "TANDEM_DEMO_WEBSHOP_SECRET", webshop_secret, TRUE);
  g_subprocess_launcher_setenv (launcher, "TANDEM_DEMO_SHOPIFY_SECRET", shopify_secret, TRUE);
  return launcher;
}

static void
stop_polling (TdmTestChild *child)
{
  g_assert (child != NULL);

  if (child->poll_id != 0)
    g_source_remove (child->poll_id);
  child->poll_id = 0;
}

static void
on_child_exit_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  TdmTestChild *child = user_data;
  GSubprocess *process = G_SUBPROCESS (source);
  g_autoptr(GError) error = NULL;

  g_assert (child != NULL);
  g_assert (child->process == process);

  g_subprocess_communicate_utf8_finish (process, result, &child->out, &child->err, &error);
  g_assert_no_error (error);
  child->status = g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process)
                                                       : -1;
  child->exited = TRUE;
  stop_polling (child);
}

static TdmTestChild *
spawn_argv (GSubprocessLauncher *launcher,
            GPtrArray           *argv)
{
  TdmTestChild *child = g_new0 (TdmTestChild, 1);
  g_autoptr(GError) error = NULL;

  g_assert (G_IS_SUBPROCESS_LAUNCHER (launcher));
  g_assert (argv->len > 0);

  g_ptr_array_add (argv, NULL);
  child->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata,
                                                 &error);
  g_assert_no_error (error);
  /* Reads whatever is piped (nothing when nothing is) and sees the end. */
  g_subprocess_communicate_utf8_async (child->process, NULL, NULL, on_child_exit_cb, child);
  return child;
}

static GPtrArray *
collect_argv (const char *program,
              va_list     args)
{
  GPtrArray *argv = g_ptr_array_new ();
  const char *arg;

  g_ptr_array_add (argv, (char *) program);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (char *) arg);
  return argv;
}

TdmTestChild *
tdm_test_child_spawn (GSubprocessLauncher *launcher,
                      const char          *program,
                      ...)
{
  g_autoptr(GPtrArray) argv = NULL;
  va_list args;

  g_assert (program != NULL);

  va_start (args, program);
  argv = collect_argv (program, args);
  va_end (args);
  return spawn_argv (launcher, argv);
}

TdmTestChild *
tdm_test_child_spawn_tandem (GSubprocessLauncher *launcher,
                             ...)
{
  g_autofree char *program = tdm_test_tandem_path ();
  g_autoptr(GPtrArray) argv = NULL;
  va_list args;

  g_assert (program != NULL);

  va_start (args, launcher);
  argv = collect_argv (program, args);
  va_end (args);
  return spawn_argv (launcher, argv);
}

typedef struct
{
  TdmTestChild     *child;
  TdmTestPredicate  ready;
  gpointer          data;
  GDestroyNotify    destroy;
} KillWhen;

static void
kill_when_free (gpointer user_data)
{
  KillWhen *when = user_data;

  if (when->destroy != NULL)
    when->destroy (when->data);
  g_free (when);
}

static gboolean
on_kill_poll_cb (gpointer user_data)
{
  KillWhen *when = user_data;
  TdmTestChild *child = when->child;

  g_assert (!child->exited);

  if (!when->ready (when->data))
    return G_SOURCE_CONTINUE;
  g_subprocess_send_signal (child->process, SIGKILL);
  child->killed = TRUE;
  child->poll_id = 0;
  return G_SOURCE_REMOVE;
}

void
tdm_test_child_kill_when (TdmTestChild     *child,
                          TdmTestPredicate  ready,
                          gpointer          data,
                          GDestroyNotify    destroy)
{
  KillWhen *when = g_new0 (KillWhen, 1);

  g_assert (child != NULL);
  g_assert (child->poll_id == 0);
  g_assert (ready != NULL);

  when->child = child;
  when->ready = ready;
  when->data = data;
  when->destroy = destroy;
  if (child->exited)
    {
      kill_when_free (when);
      return;
    }
  child->poll_id = g_timeout_add_full (G_PRIORITY_DEFAULT, 1, on_kill_poll_cb, when,
                                       kill_when_free);
}

gboolean
tdm_test_child_exited (gpointer child)
{
  g_assert (child != NULL);

  return ((TdmTestChild *) child)->exited;
}

void
tdm_test_child_wait (TdmTestChild *child,
                     guint         seconds)
{
  g_assert (child != NULL);

  tdm_test_wait_until (tdm_test_child_exited, child, seconds, "the child process to end");
}

void
tdm_test_child_free (TdmTestChild *child)
{
  if (child == NULL)
    return;

  if (!child->exited)
    {
      g_subprocess_force_exit (child->process);
      tdm_test_wait_until (tdm_test_child_exited, child, 10, "a killed child process to end");
    }
  g_assert (child->poll_id == 0);
  g_object_unref (child->process);
  g_free (child->out);
  g_free (child->err);
  g_free (child);
}
