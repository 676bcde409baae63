/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-test"

#include "config.h"

#include "tdm-test-secrets.h"
#include "tdm-test-tree.h"

#include <string.h>

gboolean
tdm_test_bytes_contain (const char *data,
                        gsize       length,
                        const char *needle)
{
  gsize n;

  g_assert (data != NULL || length == 0);
  g_assert (needle != NULL && *needle != '\0');

  n = strlen (needle);
  for (gsize i = 0; n <= length && i <= length - n; i++)
    if (data[i] == needle[0] && memcmp (data + i, needle, n) == 0)
      return TRUE;
  return FALSE;
}

gboolean
tdm_test_file_contains (const char *path,
                        const char *needle)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_assert (path != NULL);

  if (!g_file_get_contents (path, &contents, &length, NULL))
    return FALSE;
  return tdm_test_bytes_contain (contents, length, needle);
}

static void
assert_file_clean (const char *path,
                   gboolean    is_dir,
                   gpointer    secret)
{
  if (!is_dir && tdm_test_file_contains (path, secret))
    g_error ("The secret %.6s… is in %s", (const char *) secret, path);
}

void
tdm_test_assert_tree_clean (const char *path,
                            const char *secret)
{
  g_assert (path != NULL);
  g_assert (secret != NULL);

  tdm_test_walk_tree (path, TRUE, assert_file_clean, NULL, (gpointer) secret);
}

void
tdm_test_assert_settings_clean (GSettings  *settings,
                                const char *secret)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;

  g_assert (G_IS_SETTINGS (settings));
  g_assert (secret != NULL);

  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autoptr(GVariant) value = g_settings_get_value (settings, keys[i]);
      g_autofree char *text = g_variant_print (value, FALSE);

      if (strstr (text, secret) != NULL)
        g_error ("The secret %.6s… is in the setting %s", secret, keys[i]);
    }
}
