/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-test-run-lock"

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tdm-record-store.h"
#include "tdm-run-lock.h"
#include "tdm-store.h"
#include "tdm-test-tree.h"

/* One sync run at a time per state (src/storage/tdm-run-lock.c and
 * tdm_store_lock_runs): every run begins by taking the lock next to the
 * database, a second one is refused with the holder's process id, and the
 * kernel gives the lock back when the holder ends, even by SIGKILL. */

typedef struct {
  char *dir;
  char *path;
  char *lock_path;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("tdm-run-lock-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "state.sqlite3", NULL);
  f->lock_path = tdm_run_lock_path_for (f->path);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  tdm_test_remove_tree (f->dir);
  g_free (f->lock_path);
  g_free (f->path);
  g_free (f->dir);
}

static TdmStore *
open_store (const char *path)
{
  g_autoptr(GError) error = NULL;
  TdmStore *store = tdm_store_new (path, &error);

  g_assert_no_error (error);
  return store;
}

static gboolean
finish_run (TdmStore *store,
            gint64    run_id)
{
  g_autoptr(GError) error = NULL;
  TdmRunInfo info = { 0 };
  gboolean ok;

  info.id = run_id;
  info.outcome = (char *) "completed";
  ok = tdm_record_store_run_finish (TDM_RECORD_STORE (store), &info, &error);
  g_assert_no_error (error);
  return ok;
}

/* The refusal names the holder. */
static void
assert_busy (const GError *error,
             long          holder)
{
  g_autofree char *expected = g_strdup_printf ("Another sync is running (pid %ld)", holder);

  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_BUSY);
  g_assert_true (g_str_has_prefix (error->message, expected));
}

/* Two stores on one database (two processes, or the window and a stray
 * second one): while a run goes on in one, the other cannot begin one. */
static void
test_second_run_refused (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(TdmStore) a = open_store (f->path);
  g_autoptr(TdmStore) b = open_store (f->path);
  g_autoptr(GError) error = NULL;
  gint64 run_a, run_b;
  GStatBuf st;

  run_a = tdm_record_store_run_begin (TDM_RECORD_STORE (a), &error);
  g_assert_no_error (error);
  g_assert_cmpint (run_a, >, 0);
  g_assert_cmpint (g_stat (f->lock_path, &st), ==, 0);
  g_assert_cmpuint (st.st_mode & 0777, ==, 0600);

  run_b = tdm_record_store_run_begin (TDM_RECORD_STORE (b), &error);
  g_assert_cmpint (run_b, <=, 0);
  assert_busy (error, (long) getpid ());
  g_clear_error (&error);

  /* The refused run left no trace. */
  {
    g_autoptr(GPtrArray) runs = tdm_store_list_runs (b, 0, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (runs->len, ==, 1);
  }

  g_assert_true (finish_run (a, run_a));
  run_b = tdm_record_store_run_begin (TDM_RECORD_STORE (b), &error);
  g_assert_no_error (error);
  g_assert_cmpint (run_b, >, run_a);
  g_assert_true (finish_run (b, run_b));
}

/* The window and `--sync-now` take the lock before loading connectors; the
 * run's own begin and finish nest inside and do not give it back early. */
static void
test_nested_lock (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(TdmStore) a = open_store (f->path);
  g_autoptr(TdmStore) b = open_store (f->path);
  g_autoptr(GError) error = NULL;
  gint64 run_id;

  g_assert_true (tdm_store_lock_runs (a, &error));
  g_assert_no_error (error);
  run_id = tdm_record_store_run_begin (TDM_RECORD_STORE (a), &error);
  g_assert_no_error (error);
  g_assert_true (finish_run (a, run_id));

  g_assert_false (tdm_store_lock_runs (b, &error));
  assert_busy (error, (long) getpid ());
  g_clear_error (&error);

  tdm_store_unlock_runs (a);
  g_assert_true (tdm_store_lock_runs (b, &error));
  g_assert_no_error (error);
  tdm_store_unlock_runs (b);
}

/* A store that goes away (a process that ends) gives the lock back. */
static void
test_released_with_store (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(TdmStore) a = open_store (f->path);
  g_autoptr(TdmStore) b = open_store (f->path);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (tdm_record_store_run_begin (TDM_RECORD_STORE (a), &error), >, 0);
  g_assert_false (tdm_store_lock_runs (b, &error));
  g_clear_error (&error);
  g_clear_object (&a);
  g_assert_true (tdm_store_lock_runs (b, &error));
  g_assert_no_error (error);
  tdm_store_unlock_runs (b);
}

/* A holder killed with SIGKILL (no clean-up of its own) does not leave a
 * stale lock: the kernel drops it with the process. */
static void
test_released_when_holder_killed (Fixture       *f,
                                  gconstpointer  data)
{
  g_autoptr(TdmStore) b = NULL;
  g_autoptr(GError) error = NULL;
  int ready[2];
  char c = 0;
  int status = 0;
  pid_t child;

  {
    /* Created here, so that the child only opens it. */
    g_autoptr(TdmStore) created = open_store (f->path);
  }

  g_assert_cmpint (pipe (ready), ==, 0);
  child = fork ();
  g_assert_cmpint (child, >=, 0);
  if (child == 0)
    {
      TdmStore *holder = tdm_store_new (f->path, NULL);

      close (ready[0]);
      if (holder == NULL || tdm_record_store_run_begin (TDM_RECORD_STORE (holder), NULL) <= 0)
        _exit (1);
      if (write (ready[1], "r", 1) != 1)
        _exit (1);
      for (;;)
        pause ();
    }
  close (ready[1]);
  g_assert_cmpint (read (ready[0], &c, 1), ==, 1);
  close (ready[0]);

  b = open_store (f->path);
  g_assert_cmpint (tdm_record_store_run_begin (TDM_RECORD_STORE (b), &error), <=, 0);
  assert_busy (error, (long) child);
  g_clear_error (&error);

  g_assert_cmpint (kill (child, SIGKILL), ==, 0);
  g_assert_cmpint (waitpid (child, &status, 0), ==, child);
  g_assert_true (WIFSIGNALED (status));

  g_assert_cmpint (tdm_record_store_run_begin (TDM_RECORD_STORE (b), &error), >, 0);
  g_assert_no_error (error);
}

/* Held by a lock that has not written its process id yet: still refused,
 * without a made-up number. */
static void
test_holder_without_pid (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(TdmRunLock) lock = tdm_run_lock_acquire (f->lock_path, NULL);
  g_autoptr(TdmRunLock) second = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (lock);
  g_assert_cmpint (truncate (f->lock_path, 0), ==, 0);
  second = tdm_run_lock_acquire (f->lock_path, &error);
  g_assert_null (second);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_BUSY);
  g_assert_true (g_str_has_prefix (error->message, "Another sync is running on the same data."));
}

/* An in-memory store shares nothing: its runs never wait for a lock. */
static void
test_memory_store (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(TdmStore) a = open_store (":memory:");
  g_autoptr(TdmStore) b = open_store (":memory:");
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (tdm_record_store_run_begin (TDM_RECORD_STORE (a), &error), >, 0);
  g_assert_cmpint (tdm_record_store_run_begin (TDM_RECORD_STORE (b), &error), >, 0);
  g_assert_no_error (error);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, fn) g_test_add ("/run-lock/" name, Fixture, NULL, fixture_setup, fn, \
                                  fixture_teardown)
  ADD ("second-run-refused", test_second_run_refused);
  ADD ("nested", test_nested_lock);
  ADD ("released-with-store", test_released_with_store);
  ADD ("released-when-holder-killed", test_released_when_holder_killed);
  ADD ("holder-without-pid", test_holder_without_pid);
  ADD ("memory-store", test_memory_store);
#undef ADD

  return g_test_run ();
}
