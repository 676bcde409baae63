/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-mapping-page"

#include "config.h"

#include <string.h>

#include "tdm-mapping-page-private.h"

/* The mapping table as the page and its row dialog hold it: the mapping
 * file's JSON (docs/mapping.md, File format), with the row that makes it
 * invalid, and removals that can be undone. */

/* What a removal took out of a table, for Undo: the row and its fields at
 * their old positions, in increasing order. */
struct _TdmMappingRemoval
{
  TdmKind    kind;
  GArray    *indices;   /* guint */
  GPtrArray *rows;      /* JsonNode*, each its own copy */
};

/* ---- Rows ---- */

JsonNode *
_tdm_mapping_page_new_table (void)
{
  JsonNode *root = json_node_new (JSON_NODE_OBJECT);

  json_node_take_object (root, json_object_new ());
  json_object_set_int_member (json_node_get_object (root), "version", 1);

  return root;
}

JsonNode *
_tdm_mapping_page_json_copy (JsonNode *node)
{
  g_autofree char *data = NULL;
  JsonNode *copy;

  g_assert (node != NULL);

  data = json_to_string (node, FALSE);
  copy = json_from_string (data, NULL);
  g_assert (copy != NULL);

  return copy;
}

JsonArray *
_tdm_mapping_page_kind_array (JsonNode *root,
                              TdmKind   kind)
{
  JsonObject *object;
  const char *key = tdm_kind_to_string (kind);

  g_assert (root != NULL && JSON_NODE_HOLDS_OBJECT (root));
  g_assert ((guint) kind < TDM_N_KINDS);

  object = json_node_get_object (root);
  if (!json_object_has_member (object, key) ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, key)))
    json_object_set_array_member (object, key, json_array_new ());

  return json_object_get_array_member (object, key);
}

const char *
_tdm_mapping_page_row_string (JsonObject *row,
                              const char *member)
{
  JsonNode *node;

  g_assert (member != NULL);

  if (row == NULL || !json_object_has_member (row, member))
    return NULL;
  node = json_object_get_member (row, member);
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

void
_tdm_mapping_page_row_set_string (JsonObject *row,
                                  const char *member,
                                  const char *value)
{
  g_assert (row != NULL);
  g_assert (member != NULL);

  if (value != NULL && *value != '\0')
    json_object_set_string_member (row, member, value);
  else if (json_object_has_member (row, member))
    json_object_remove_member (row, member);
}

JsonObject *
_tdm_mapping_page_table_row (JsonArray *rows,
                             guint      index)
{
  JsonNode *node = json_array_get_element (rows, index);

  return JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

int
_tdm_mapping_page_row_parent_index (JsonArray *rows,
                                    guint      index)
{
  const char *path;

  g_assert (rows != NULL);
  g_assert (index < json_array_get_length (rows));

  path = _tdm_mapping_page_row_string (_tdm_mapping_page_table_row (rows, index), "webshop");
  if (path == NULL)
    return -1;

  for (int i = (int) index - 1; i >= 0; i--)
    {
      JsonObject *row = _tdm_mapping_page_table_row (rows, i);
      const char *parent = _tdm_mapping_page_row_string (row, "webshop");
      gsize len = parent != NULL ? strlen (parent) : 0;

      if (len > 0 && strncmp (path, parent, len) == 0 && path[len] == '.')
        return i;
    }
  return -1;
}

char *
_tdm_mapping_page_validate (JsonNode *root)
{
  g_autofree char *data = NULL;
  g_autoptr(TdmMapping) mapping = NULL;
  g_autoptr(GError) error = NULL;

  g_assert (root != NULL);

  data = json_to_string (root, FALSE);
  mapping = tdm_mapping_new_from_data (data, -1, TDM_MAPPING_PAGE_SOURCE, &error);
  if (mapping == NULL)
    return g_strdup (error->message);

  return NULL;
}

/* ---- Validation ---- */

/* `root` with the tables after `kind` left out and the table of `kind`
 * cut to its first `n_rows` rows (-1: all). */
static JsonNode *
copy_table_prefix (JsonNode *root,
                   TdmKind   kind,
                   int       n_rows)
{
  JsonNode *copy = _tdm_mapping_page_json_copy (root);
  JsonArray *rows = _tdm_mapping_page_kind_array (copy, kind);

  g_assert ((guint) kind < TDM_N_KINDS);

  for (guint later = kind + 1; later < TDM_N_KINDS; later++)
    json_object_remove_member (json_node_get_object (copy), tdm_kind_to_string (later));
  while (n_rows >= 0 && json_array_get_length (rows) > (guint) n_rows)
    json_array_remove_element (rows, json_array_get_length (rows) - 1);

  return copy;
}

int
_tdm_mapping_page_find_bad_row (JsonNode  *root,
                                TdmKind   *out_kind,
                                char     **out_problem)
{
  g_return_val_if_fail (root != NULL, -1);
  g_return_val_if_fail (out_kind != NULL, -1);
  g_return_val_if_fail (out_problem != NULL && *out_problem == NULL, -1);

  for (guint kind = 0; kind < TDM_N_KINDS; kind++)
    {
      g_autoptr(JsonNode) whole = copy_table_prefix (root, kind, -1);
      g_autofree char *problem = _tdm_mapping_page_validate (whole);
      guint n_rows = json_array_get_length (_tdm_mapping_page_kind_array (root, kind));

      if (problem == NULL)
        continue;

      for (guint n = 1; n <= n_rows; n++)
        {
          g_autoptr(JsonNode) prefix = copy_table_prefix (root, kind, n);
          g_autofree char *prefix_problem = _tdm_mapping_page_validate (prefix);

          if (prefix_problem != NULL)
            {
              *out_kind = kind;
              *out_problem = g_steal_pointer (&prefix_problem);
              return (int) n - 1;
            }
        }
      return -1;
    }
  return -1;
}

/* ---- Removing and restoring ---- */

void
_tdm_mapping_page_removal_free (TdmMappingRemoval *removal)
{
  g_return_if_fail (removal != NULL);

  g_array_unref (removal->indices);
  g_ptr_array_unref (removal->rows);
  g_free (removal);
}

/* The row and the fields of its list or group, in increasing order. */
static GArray *
collect_removed_indices (JsonArray *rows,
                         guint      index)
{
  GArray *indices = g_array_new (FALSE, FALSE, sizeof (guint));

  g_assert (index < json_array_get_length (rows));

  g_array_append_val (indices, index);
  for (guint i = index + 1; i < json_array_get_length (rows); i++)
    if (_tdm_mapping_page_row_parent_index (rows, i) == (int) index)
      g_array_append_val (indices, i);

  return indices;
}

TdmMappingRemoval *
_tdm_mapping_page_remove_rows (JsonNode *root,
                               TdmKind   kind,
                               guint     index)
{
  JsonArray *rows;
  TdmMappingRemoval *removal;

  g_return_val_if_fail (root != NULL, NULL);
  g_return_val_if_fail ((guint) kind < TDM_N_KINDS, NULL);

  rows = _tdm_mapping_page_kind_array (root, kind);
  g_return_val_if_fail (index < json_array_get_length (rows), NULL);

  removal = g_new0 (TdmMappingRemoval, 1);
  removal->kind = kind;
  removal->indices = collect_removed_indices (rows, index);
  removal->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  for (guint i = 0; i < removal->indices->len; i++)
    {
      JsonNode *row = json_array_get_element (rows, g_array_index (removal->indices, guint, i));

      g_ptr_array_add (removal->rows, _tdm_mapping_page_json_copy (row));
    }
  for (guint i = removal->indices->len; i > 0; i--)
    json_array_remove_element (rows, g_array_index (removal->indices, guint, i - 1));

  return removal;
}

void
_tdm_mapping_page_restore_rows (JsonNode          *root,
                                TdmMappingRemoval *removal)
{
  JsonArray *rows;
  g_autoptr(JsonArray) restored = json_array_new ();
  guint next = 0;
  guint old = 0;

  g_return_if_fail (root != NULL);
  g_return_if_fail (removal != NULL);

  /* At their old positions, or at the end when the table has become
   * shorter since. */
  rows = _tdm_mapping_page_kind_array (root, removal->kind);
  while (old < json_array_get_length (rows) || next < removal->rows->len)
    {
      guint position = json_array_get_length (restored);

      if (next < removal->rows->len &&
          (g_array_index (removal->indices, guint, next) <= position ||
           old >= json_array_get_length (rows)))
        {
          JsonNode *row = g_ptr_array_index (removal->rows, next++);

          json_array_add_element (restored, _tdm_mapping_page_json_copy (row));
        }
      else
        json_array_add_element (restored, json_node_copy (json_array_get_element (rows, old++)));
    }

  json_object_set_array_member (json_node_get_object (root), tdm_kind_to_string (removal->kind),
                                g_steal_pointer (&restored));
}
