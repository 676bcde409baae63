/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-test"

#include "config.h"

#include "tdm-test-settings.h"

#include <glib/gstdio.h>

/* The key file group of Tandem's schema: its path without the slashes at
 * either end ("io/github/tandemsync/Tandem"). */
static char *
settings_group (void)
{
  return g_strdelimit (g_strdup (SCHEMA_ID), ".", '/');
}

char *
tdm_test_settings_write (const char *config_dir,
                         const char *lines)
{
  g_autofree char *dir = NULL;
  g_autofree char *group = settings_group ();
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  char *keyfile;

  g_assert (config_dir != NULL);
  g_assert (lines != NULL);

  dir = g_build_filename (config_dir, "glib-2.0", "settings", NULL);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  keyfile = g_build_filename (dir, "keyfile", NULL);
  contents = g_strdup_printf ("[%s]\n%s", group, lines);
  g_file_set_contents (keyfile, contents, -1, &error);
  g_assert_no_error (error);
  return keyfile;
}

char *
tdm_test_settings_read (const char *keyfile,
                        const char *key)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autofree char *group = settings_group ();
  g_autoptr(GError) error = NULL;

  g_assert (keyfile != NULL);
  g_assert (key != NULL);

  g_key_file_load_from_file (file, keyfile, G_KEY_FILE_NONE, &error);
  g_assert_no_error (error);
  return g_key_file_get_string (file, group, key, NULL);
}
