/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-test-lib"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "tdm-test-secrets.h"
#include "tdm-test-settings.h"
#include "tdm-test-spawn.h"
#include "tdm-test-tree.h"
#include "tdm-test-wait.h"

/* The test library itself: a helper that cannot fail would make every test
 * that relies on it pass for nothing. The failing cases run in a
 * subprocess (g_test_trap_subprocess) and must end it. */

/* ---- Tree removal ---- */

static void
test_remove_tree (void)
{
  g_autofree char *dir = tdm_test_make_tmp_dir ("tdm-test-lib-XXXXXX");
  g_autofree char *locked = g_build_filename (dir, "locked", NULL);
  g_autofree char *file = g_build_filename (locked, "state.sqlite3", NULL);
  g_autofree char *outside = tdm_test_make_tmp_dir ("tdm-test-lib-outside-XXXXXX");
  g_autofree char *kept = g_build_filename (outside, "kept", NULL);
  g_autofree char *link = g_build_filename (dir, "link", NULL);

  g_assert_cmpint (g_mkdir (locked, 0700), ==, 0);
  g_assert_true (g_file_set_contents (file, "data", -1, NULL));
  g_assert_true (g_file_set_contents (kept, "kept", -1, NULL));
  g_assert_cmpint (symlink (outside, link), ==, 0);
  g_assert_cmpint (g_chmod (locked, 0500), ==, 0);

  tdm_test_remove_tree (dir);
  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));
  /* A link is removed, never followed. */
  g_assert_true (g_file_test (kept, G_FILE_TEST_EXISTS));

  tdm_test_remove_tree (outside);
  g_assert_false (g_file_test (outside, G_FILE_TEST_EXISTS));
  tdm_test_remove_tree (outside);   /* already gone: no error */
}

/* Records the walk as "<before|after> <path below the top> <d|f>". */
static void
note_visit (const char *path,
            gboolean    is_dir,
            gpointer    data)
{
  GPtrArray *seen = data;
  const char *top = g_ptr_array_index (seen, 0);
  const char *below = g_str_has_prefix (path, top) ? path + strlen (top) : path;

  g_ptr_array_add (seen, g_strdup_printf ("%s %s", below[0] != '\0' ? below : ".", is_dir ? "d" : "f"));
}

static void
note_before (const char *path,
             gboolean    is_dir,
             gpointer    data)
{
  g_ptr_array_add (data, g_strdup ("before"));
  note_visit (path, is_dir, data);
}

static void
note_after (const char *path,
            gboolean    is_dir,
            gpointer    data)
{
  g_ptr_array_add (data, g_strdup ("after"));
  note_visit (path, is_dir, data);
}

static char *
walk_to_text (const char *top,
              gboolean    follow_links)
{
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (seen, g_strdup (top));
  tdm_test_walk_tree (top, follow_links, note_before, note_after, seen);
  g_ptr_array_remove_index (seen, 0);
  g_ptr_array_add (seen, NULL);
  return g_strjoinv (" ", (char **) seen->pdata);
}

static void
test_walk_tree (void)
{
  g_autofree char *dir = tdm_test_make_tmp_dir ("tdm-test-lib-XXXXXX");
  g_autofree char *sub = g_build_filename (dir, "sub", NULL);
  g_autofree char *file = g_build_filename (sub, "state.sqlite3", NULL);
  g_autofree char *outside = tdm_test_make_tmp_dir ("tdm-test-lib-outside-XXXXXX");
  g_autofree char *kept = g_build_filename (outside, "kept", NULL);
  g_autofree char *link = g_build_filename (dir, "sub", "link", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing", NULL);
  g_autofree char *plain = NULL;
  g_autofree char *followed = NULL;
  g_autofree char *alone = NULL;

  g_assert_cmpint (g_mkdir (sub, 0700), ==, 0);
  g_assert_true (g_file_set_contents (file, "data", -1, NULL));
  g_assert_true (g_file_set_contents (kept, "kept", -1, NULL));
  g_assert_cmpint (symlink (outside, link), ==, 0);

  /* A folder is seen before and after what it holds; a link to a folder
   * is a file unless links are followed. Entries of one folder come in
   * the order the folder lists them: compare both orders. */
  plain = walk_to_text (dir, FALSE);
  g_assert_true (g_str_equal (plain, "before . d before /sub d before /sub/state.sqlite3 f "
                                     "after /sub/state.sqlite3 f before /sub/link f after /sub/link f "
                                     "after /sub d after . d") ||
                 g_str_equal (plain, "before . d before /sub d before /sub/link f after /sub/link f "
                                     "before /sub/state.sqlite3 f after /sub/state.sqlite3 f "
                                     "after /sub d after . d"));
  followed = walk_to_text (dir, TRUE);
  g_assert_nonnull (strstr (followed, "before /sub/link d before /sub/link/kept f "
                                      "after /sub/link/kept f after /sub/link d"));
  alone = walk_to_text (missing, FALSE);
  g_assert_cmpstr (alone, ==, "before . f after . f");

  tdm_test_remove_tree (dir);
  tdm_test_remove_tree (outside);
}

/* ---- Secret scans ---- */

static void
test_file_contains (void)
{
  g_autofree char *dir = tdm_test_make_tmp_dir ("tdm-test-lib-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "state.sqlite3", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing", NULL);
  const char data[] = "page\0with a NUL, then s3cret-value at the end";

  g_assert_true (g_file_set_contents (path, data, sizeof data - 1, NULL));
  g_assert_true (tdm_test_file_contains (path, "s3cret-value"));
  g_assert_true (tdm_test_file_contains (path, "the end"));
  g_assert_false (tdm_test_file_contains (path, "s3cret-values"));
  g_assert_false (tdm_test_file_contains (missing, "s3cret"));
  g_assert_false (tdm_test_bytes_contain ("ab", 2, "abc"));
  g_assert_true (tdm_test_bytes_contain ("xabc", 4, "abc"));
  tdm_test_assert_tree_clean (dir, "not-there");
  tdm_test_remove_tree (dir);
}

static void
test_tree_clean_fails (void)
{
  if (g_test_subprocess ())
    {
      const char *dir = g_get_user_data_dir ();
      g_autofree char *deep = g_build_filename (dir, "a", "b", NULL);
      g_autofree char *path = g_build_filename (deep, "log.txt", NULL);

      g_assert_cmpint (g_mkdir_with_parents (deep, 0700), ==, 0);
      g_assert_true (g_file_set_contents (path, "token=s3cret-value\n", -1, NULL));
      tdm_test_assert_tree_clean (dir, "s3cret-value");
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*The secret s3cret* is in *log.txt*");
}

static void
test_settings_clean_fails (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(GSettings) settings = g_settings_new (SCHEMA_ID);

      tdm_test_assert_settings_clean (settings, "s3cret-value");
      g_settings_set_string (settings, "webshop-user", "user-s3cret-value");
      tdm_test_assert_settings_clean (settings, "s3cret-value");
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*The secret s3cret* is in the setting webshop-user*");
}

/* ---- Settings for a child ---- */

static void
test_settings_file (void)
{
  g_autofree char *dir = tdm_test_make_tmp_dir ("tdm-test-lib-XXXXXX");
  g_autofree char *keyfile = NULL;
  g_autofree char *page = NULL;
  g_autofree char *missing = NULL;

  keyfile = tdm_test_settings_write (dir, "last-page='activity'\nsync-interval=uint32 5\n");
  g_assert_true (g_str_has_suffix (keyfile, "/glib-2.0/settings/keyfile"));
  page = tdm_test_settings_read (keyfile, "last-page");
  g_assert_cmpstr (page, ==, "'activity'");
  missing = tdm_test_settings_read (keyfile, "webshop-url");
  g_assert_null (missing);
  tdm_test_remove_tree (dir);
}

/* ---- Waits ---- */

static gboolean
never (gpointer data)
{
  return FALSE;
}

/* TRUE half a second after the monotonic time `data` points to. */
static gboolean
never_after_half_a_second (gpointer data)
{
  return g_get_monotonic_time () > *(gint64 *) data + G_USEC_PER_SEC / 2;
}

static void
test_wait_until_times_out (void)
{
  g_autofree char *expected = NULL;

  if (g_test_subprocess ())
    {
      tdm_test_wait_until (never, NULL, 1, "something that never happens");
      return;
    }
  /* The limit named is the one waited: 1 s times the time scale (5 in a
   * sanitizer build). */
  expected = g_strdup_printf ("*Timed out after %u s waiting for something that never happens*",
                              tdm_test_time_scale ());
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr (expected);
}

static void
test_wait_for_times_out (void)
{
  g_autofree char *expected = NULL;

  if (g_test_subprocess ())
    {
      gboolean done = FALSE;

      /* Nothing else is in the main loop: the wait must still end. */
      tdm_test_wait_for (done, 1);
      return;
    }
  expected = g_strdup_printf ("*still not true after %u s: done*", tdm_test_time_scale ());
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr (expected);
}

static gboolean
set_flag_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
test_wait_for_condition (void)
{
  gboolean done = FALSE;
  gint64 start = g_get_monotonic_time ();

  g_timeout_add (100, set_flag_cb, &done);
  tdm_test_wait_for (done, 10);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);

  start = g_get_monotonic_time ();
  tdm_test_spin (200);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 200 * 1000);
}

/* A condition that changes outside the main loop (a file another process
 * writes): the wait sees it at once, not when its time is up. */
static void
test_wait_for_outside_change (void)
{
  g_autofree char *dir = tdm_test_make_tmp_dir ("tdm-test-lib-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "info.json", NULL);
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_autoptr(TdmTestChild) child = NULL;
  g_autofree char *script = g_strdup_printf ("sleep 0.2; echo {} > '%s'", path);
  gint64 start = g_get_monotonic_time ();

  child = tdm_test_child_spawn (launcher, "/bin/sh", "-c", script, NULL);
  tdm_test_wait_for (g_file_test (path, G_FILE_TEST_EXISTS), 20);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);

  start = g_get_monotonic_time ();
  tdm_test_wait_until (never_after_half_a_second, &start, 20, "half a second");
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
  tdm_test_child_wait (child, 10);
  tdm_test_remove_tree (dir);
}

/* ---- Children ---- */

static gboolean
always (gpointer data)
{
  return TRUE;
}

static void
test_child_status_and_output (void)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(TdmTestChild) child = NULL;
  g_autoptr(TdmTestChild) sleeper = NULL;

  child = tdm_test_child_spawn (launcher, "/bin/sh", "-c", "echo out; echo err >&2; exit 3", NULL);
  tdm_test_child_wait (child, 30);
  g_assert_true (child->exited);
  g_assert_false (child->killed);
  g_assert_cmpint (child->status, ==, 3);
  g_assert_cmpstr (child->out, ==, "out\n");
  g_assert_cmpstr (child->err, ==, "err\n");

  /* Killed when asked: the status says it did not exit by itself. */
  sleeper = tdm_test_child_spawn (launcher, "/bin/sh", "-c", "exec sleep 30", NULL);
  tdm_test_child_kill_when (sleeper, always, NULL, NULL);
  tdm_test_child_wait (sleeper, 10);
  g_assert_true (sleeper->killed);
  g_assert_cmpint (sleeper->status, ==, -1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/lib/tree/remove", test_remove_tree);
  g_test_add_func ("/lib/tree/walk", test_walk_tree);
  g_test_add_func ("/lib/secrets/file-contains", test_file_contains);
  g_test_add_func ("/lib/secrets/tree-clean-fails", test_tree_clean_fails);
  g_test_add_func ("/lib/secrets/settings-clean-fails", test_settings_clean_fails);
  g_test_add_func ("/lib/settings/file", test_settings_file);
  g_test_add_func ("/lib/wait/until-times-out", test_wait_until_times_out);
  g_test_add_func ("/lib/wait/for-times-out", test_wait_for_times_out);
  g_test_add_func ("/lib/wait/for-condition", test_wait_for_condition);
  g_test_add_func ("/lib/wait/outside-change", test_wait_for_outside_change);
  g_test_add_func ("/lib/spawn/status-and-output", test_child_status_and_output);

  return g_test_run ();
}
