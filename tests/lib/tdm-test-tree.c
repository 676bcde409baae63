/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-test"

#include "config.h"

#include "tdm-test-tree.h"

#include <glib/gstdio.h>

char *
tdm_test_make_tmp_dir (const char *tmpl)
{
  g_autoptr(GError) error = NULL;
  char *dir;

  g_assert (tmpl != NULL);

  dir = g_dir_make_tmp (tmpl, &error);
  g_assert_no_error (error);
  return dir;
}

void
tdm_test_walk_tree (const char       *path,
                    gboolean          follow_links,
                    TdmTestTreeVisit  before,
                    TdmTestTreeVisit  after,
                    gpointer          data)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;
  gboolean is_dir;

  g_assert (path != NULL);

  is_dir = g_file_test (path, G_FILE_TEST_IS_DIR) &&
           (follow_links || !g_file_test (path, G_FILE_TEST_IS_SYMLINK));
  if (before != NULL)
    before (path, is_dir, data);
  if (is_dir)
    {
      dir = g_dir_open (path, 0, NULL);
      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          tdm_test_walk_tree (child, follow_links, before, after, data);
        }
    }
  if (after != NULL)
    after (path, is_dir, data);
}

/* A folder a test made read-only still has to go. */
static void
open_up_folder (const char *path,
                gboolean    is_dir,
                gpointer    data)
{
  if (is_dir)
    g_chmod (path, 0700);
}

static void
remove_one (const char *path,
            gboolean    is_dir,
            gpointer    data)
{
  if (is_dir)
    g_rmdir (path);
  else
    g_remove (path);
}

void
tdm_test_remove_tree (const char *path)
{
  g_assert (path != NULL);

  tdm_test_walk_tree (path, FALSE, open_up_folder, remove_one, NULL);
}
