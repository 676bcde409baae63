/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-mapping"

#include "config.h"

#include "tdm-mapping-private.h"

#include <glib/gi18n.h>
#include <string.h>

/* Dot paths of the mapping ("addresses[].city", "variants.nodes[].sku",
 * "metafield:$app:tandem.webshop_id"): their syntax, and reading and writing
 * the value at a path (docs/mapping.md, File format). */

/* ---- Segments ---- */

/* A member of `object`, or NULL when absent (transfer none). */
JsonNode *
_tdm_mapping_member_node (JsonObject *object,
                          const char *name)
{
  if (object == NULL || !json_object_has_member (object, name))
    return NULL;
  return json_object_get_member (object, name);
}

/* Splits a dot path into segments; a "metafield:ns.key" segment keeps its dot. */
GStrv
_tdm_mapping_split_path (const char *path)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  const char *p = path;

  g_assert (path != NULL);

  while (TRUE)
    {
      const char *dot;

      if (g_str_has_prefix (p, TDM_MAPPING_METAFIELD_PREFIX))
        {
          g_strv_builder_add (builder, p);
          break;
        }
      dot = strchr (p, '.');
      if (dot == NULL)
        {
          g_strv_builder_add (builder, p);
          break;
        }
      {
        g_autofree char *segment = g_strndup (p, dot - p);
        g_strv_builder_add (builder, segment);
      }
      p = dot + 1;
    }
  return g_strv_builder_end (builder);
}

char *
_tdm_mapping_strip_list_marker (const char *segment)
{
  if (g_str_has_suffix (segment, "[]"))
    return g_strndup (segment, strlen (segment) - 2);
  return g_strdup (segment);
}

/* ---- Syntax ---- */

/* NULL when the path is well formed, else a translated description of what
 * is wrong. */
char *
_tdm_mapping_check_path_syntax (const char *path)
{
  g_auto(GStrv) segments = NULL;

  if (path == NULL || *path == '\0')
    return g_strdup (_("The path is empty."));

  for (const char *p = path; *p != '\0'; p++)
    if (g_ascii_isspace (*p))
      return g_strdup_printf (_("The path “%s” contains a space."), path);

  segments = _tdm_mapping_split_path (path);
  for (guint i = 0; segments[i] != NULL; i++)
    {
      const char *seg = segments[i];
      const char *bracket;

      if (*seg == '\0')
        return g_strdup_printf (_("The path “%s” has an empty part (two dots in a row, or a dot at "
                                  "the start or end)."), path);
      if (g_str_has_prefix (seg, TDM_MAPPING_METAFIELD_PREFIX))
        {
          const char *rest = seg + strlen (TDM_MAPPING_METAFIELD_PREFIX);
          const char *dot = strrchr (rest, '.');

          if (dot == NULL || dot == rest || dot[1] == '\0' || strchr (rest, '[') != NULL)
            return g_strdup_printf (_("The metafield path “%s” must look like "
                                      "metafield:namespace.key."), path);
          continue;
        }
      bracket = strpbrk (seg, "[]");
      if (bracket != NULL)
        {
          if (strcmp (bracket, "[]") != 0 || bracket == seg)
            return g_strdup_printf (_("The path “%s” uses “[]” wrongly: it may only follow a name, "
                                      "as in “addresses[]”."), path);
        }
      for (const char *p = seg; *p != '\0' && p != bracket; p++)
        if (!g_ascii_isalnum (*p) && *p != '_' && *p != '-' && *p != '$')
          return g_strdup_printf (_("The path “%s” contains the character “%.*s”, which is not "
                                    "allowed in property names."), path,
                                  (int) (g_utf8_next_char (p) - p), p);
    }
  return NULL;
}

/* ---- The value at a path ---- */

/* The node at `path` in `object` (transfer none), or NULL. A trailing "[]"
 * names the list itself. Connections may arrive as {"nodes": […]} or as a
 * plain list; both are accepted. */
JsonNode *
_tdm_mapping_get_path (JsonObject *object,
                       const char *path)
{
  g_auto(GStrv) segments = _tdm_mapping_split_path (path);
  JsonNode *node = NULL;
  JsonObject *current = object;

  for (guint i = 0; segments[i] != NULL; i++)
    {
      g_autofree char *name = _tdm_mapping_strip_list_marker (segments[i]);

      if (current == NULL)
        {
          /* a plain list where a connection object was expected */
          if (node != NULL && JSON_NODE_HOLDS_ARRAY (node) &&
              (strcmp (name, "nodes") == 0 || strcmp (name, "edges") == 0))
            continue;
          return NULL;
        }
      if (!json_object_has_member (current, name))
        return NULL;
      node = json_object_get_member (current, name);
      current = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
    }
  return node;
}

/* Sets `value` (transfer full) at `path`, creating objects on the way. */
void
_tdm_mapping_set_path (JsonObject *object,
                       const char *path,
                       JsonNode   *value)
{
  g_auto(GStrv) segments = _tdm_mapping_split_path (path);
  JsonObject *current = object;
  guint n = g_strv_length (segments);

  g_assert (object != NULL && value != NULL);
  g_assert (n > 0);

  for (guint i = 0; i + 1 < n; i++)
    {
      g_autofree char *name = _tdm_mapping_strip_list_marker (segments[i]);
      JsonNode *child = _tdm_mapping_member_node (current, name);

      if (child == NULL || !JSON_NODE_HOLDS_OBJECT (child))
        {
          json_object_set_object_member (current, name, json_object_new ());
          child = json_object_get_member (current, name);
        }
      current = json_node_get_object (child);
    }

  {
    g_autofree char *name = _tdm_mapping_strip_list_marker (segments[n - 1]);
    json_object_set_member (current, name, value);
  }
}

const char *
_tdm_mapping_last_segment (const char *path)
{
  const char *dot;

  if (g_str_has_prefix (path, TDM_MAPPING_METAFIELD_PREFIX))
    return path;
  dot = strrchr (path, '.');
  return dot != NULL ? dot + 1 : path;
}

/* ---- Paths of sub-rows ---- */

/* The path relative to the parent's path, or NULL when it does not start
 * with it. */
char *
_tdm_mapping_relative_path (const char *path,
                            const char *parent_path)
{
  gsize len;

  g_assert (path != NULL && parent_path != NULL);

  len = strlen (parent_path);

  if (strncmp (path, parent_path, len) != 0 || path[len] != '.' || path[len + 1] == '\0')
    return NULL;
  return g_strdup (path + len + 1);
}

/* Does the path have a "[]" before its last segment? */
gboolean
_tdm_mapping_has_inner_list (const char *path)
{
  g_auto(GStrv) segments = _tdm_mapping_split_path (path);
  guint n = g_strv_length (segments);

  for (guint i = 0; i + 1 < n; i++)
    if (g_str_has_suffix (segments[i], "[]"))
      return TRUE;
  return FALSE;
}
