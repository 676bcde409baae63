/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-fuzz"

#include "config.h"

#include <glib.h>
#include "fuzz-common.h"

/* Corpus replay: without libFuzzer, every file of the corpus directories
 * given on the command line is fed once to the fuzz target, one GTest case
 * per file, so each fuzzer's corpus (seeds and every crash found, minimized)
 * is a regression test in the normal suite. */

#define CORPUS_ENV "TDM_FUZZ_CORPUS_DIRS"

/* Each file runs in a subprocess: a crash, an abort or (under ASan) a leak
 * fails that file's case only, and every failing input is listed. */
static void
replay_file (gconstpointer data)
{
  const char *path = data;

  if (g_test_subprocess ())
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *contents = NULL;
      gsize length = 0;

      g_file_get_contents (path, &contents, &length, &error);
      g_assert_no_error (error);
      g_assert_cmpint (LLVMFuzzerTestOneInput ((const uint8_t *) contents, length), ==, 0);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

static GPtrArray *all_paths;

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

static void
add_dir (const char *dir_path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, &error);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (name[0] != '.')
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  /* A corpus that went missing would make the test pass vacuously. */
  g_assert_cmpuint (names->len, >, 0);
  for (guint i = 0; i < names->len; i++)
    {
      const char *file = g_ptr_array_index (names, i);
      g_autofree char *test_path = g_strdup_printf ("/fuzz/replay/%s", file);

      char *path = g_build_filename (dir_path, file, NULL);

      /* Kept reachable for the whole program: the subprocess that replays
       * one file exits without tearing the test suite down. */
      g_ptr_array_add (all_paths, path);
      g_test_add_data_func (test_path, path, replay_file);
    }
}

int
main (int    argc,
      char **argv)
{
  g_auto(GStrv) dirs = NULL;

  all_paths = g_ptr_array_new_with_free_func (g_free);

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  /* A failing input fails its case; the other inputs still run. */
  if (!g_test_subprocess ())
    g_test_set_nonfatal_assertions ();
  /* The subprocesses get the directories through the environment. */
  if (argc >= 2)
    {
      g_autofree char *joined = g_strjoinv (G_SEARCHPATH_SEPARATOR_S, argv + 1);

      g_setenv (CORPUS_ENV, joined, TRUE);
    }
  if (g_getenv (CORPUS_ENV) == NULL || *g_getenv (CORPUS_ENV) == '\0')
    {
      g_printerr ("usage: %s [--tap] CORPUS-DIR...\n", argv[0]);
      return 2;
    }
  dirs = g_strsplit (g_getenv (CORPUS_ENV), G_SEARCHPATH_SEPARATOR_S, -1);
  for (guint i = 0; dirs[i] != NULL; i++)
    add_dir (dirs[i]);
  return g_test_run ();
}
