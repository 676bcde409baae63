/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-mapping"

#include "config.h"

#include "tdm-mapping-private.h"

#include <string.h>

/* TdmMapping: the table "webshop property / Shopify property / Shopify data
 * type / direction" of each kind (docs/mapping.md), its rows and the
 * questions the planner and the connectors ask of them. Loading is in
 * tdm-mapping-load.c, saving in tdm-mapping-save.c, the conversions in
 * tdm-mapping-read.c (native → canonical) and tdm-mapping-write.c
 * (canonical → a side's write shape). */

/* ---- Rows ---- */

void
_tdm_mapping_row_free (TdmRow *row)
{
  g_free (row->row.name);
  g_free (row->row.webshop);
  g_free (row->row.shopify);
  g_free (row->row.shopify_write);
  g_free (row->row.type_name);
  g_free (row->row.transform);
  g_free (row->rel_webshop);
  g_free (row->rel_shopify);
  g_free (row->rel_write);
  g_free (row->label);
  g_free (row->human_name);
  g_clear_pointer (&row->children, g_ptr_array_unref);
  g_free (row);
}

gboolean
_tdm_mapping_row_is_identity (const TdmRow *row)
{
  return row->transform == TDM_TRANSFORM_IDENTITY;
}

gboolean
_tdm_mapping_row_is_container (const TdmRow *row)
{
  return row->row.type == TDM_VALUE_LIST || row->row.type == TDM_VALUE_OBJECT;
}

TdmRow *
_tdm_mapping_row_parent (TdmMapping   *self,
                         TdmKind       kind,
                         const TdmRow *row)
{
  g_assert (row->row.parent < (int) self->rows[kind]->len);

  if (row->row.parent < 0)
    return NULL;
  return g_ptr_array_index (self->rows[kind], row->row.parent);
}

/* May data of this row flow onto `side` (its list row permitting)? */
gboolean
_tdm_mapping_row_allows (TdmMapping   *self,
                         TdmKind       kind,
                         const TdmRow *row,
                         TdmSide       side)
{
  const TdmRow *parent = _tdm_mapping_row_parent (self, kind, row);

  if (!tdm_direction_allows (row->row.direction, side))
    return FALSE;
  return parent == NULL || tdm_direction_allows (parent->row.direction, side);
}

static gboolean
writable_ok (TdmWritable writable,
             gboolean    for_create)
{
  switch (writable)
    {
    case TDM_WRITABLE_ALWAYS:
      return TRUE;
    case TDM_WRITABLE_CREATE_ONLY:
      return for_create;
    case TDM_WRITABLE_NEVER:
    default:
      return FALSE;
    }
}

gboolean
_tdm_mapping_row_writes (TdmMapping   *self,
                         TdmKind       kind,
                         const TdmRow *row,
                         TdmSide       side,
                         gboolean      for_create)
{
  const TdmRow *parent = _tdm_mapping_row_parent (self, kind, row);

  g_assert (side == TDM_SIDE_WEBSHOP || side == TDM_SIDE_SHOPIFY);

  if (_tdm_mapping_row_is_identity (row) || !_tdm_mapping_row_allows (self, kind, row, side))
    return FALSE;
  if (!writable_ok (row->row.writable, for_create))
    return FALSE;
  return parent == NULL || writable_ok (parent->row.writable, for_create);
}

/* ---- GObject ---- */

G_DEFINE_FINAL_TYPE (TdmMapping, tdm_mapping, G_TYPE_OBJECT)

static void
tdm_mapping_finalize (GObject *object)
{
  TdmMapping *self = TDM_MAPPING (object);

  for (guint k = 0; k < TDM_N_KINDS; k++)
    g_clear_pointer (&self->rows[k], g_ptr_array_unref);

  G_OBJECT_CLASS (tdm_mapping_parent_class)->finalize (object);
}

static void
tdm_mapping_class_init (TdmMappingClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tdm_mapping_finalize;
}

static void
tdm_mapping_init (TdmMapping *self)
{
  for (guint k = 0; k < TDM_N_KINDS; k++)
    self->rows[k] = g_ptr_array_new_with_free_func ((GDestroyNotify) _tdm_mapping_row_free);
}

/* ---- Questions about the rows ---- */

GPtrArray *
tdm_mapping_get_rows (TdmMapping *self,
                      TdmKind     kind)
{
  g_return_val_if_fail (TDM_IS_MAPPING (self), NULL);
  g_return_val_if_fail ((guint) kind < TDM_N_KINDS, NULL);

  return self->rows[kind];
}

/* The top-level row of the canonical field `name`, or NULL. */
static const TdmRow *
find_row (TdmMapping *self,
          TdmKind     kind,
          const char *name)
{
  GPtrArray *rows = self->rows[kind];

  for (guint i = 0; i < rows->len; i++)
    {
      const TdmRow *row = g_ptr_array_index (rows, i);

      if (row->row.parent < 0 && !_tdm_mapping_row_is_identity (row) &&
          strcmp (row->row.name, name) == 0)
        return row;
    }
  return NULL;
}

const TdmMappingRow *
tdm_mapping_find_row (TdmMapping *self,
                      TdmKind     kind,
                      const char *name)
{
  const TdmRow *row;

  g_return_val_if_fail (TDM_IS_MAPPING (self), NULL);
  g_return_val_if_fail ((guint) kind < TDM_N_KINDS, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  row = find_row (self, kind, name);
  return row != NULL ? &row->row : NULL;
}

gboolean
tdm_mapping_field_writable (TdmMapping *self,
                            TdmKind     kind,
                            const char *name,
                            TdmSide     side,
                            gboolean    for_create)
{
  const TdmRow *row;

  g_return_val_if_fail (TDM_IS_MAPPING (self), FALSE);
  g_return_val_if_fail ((guint) kind < TDM_N_KINDS, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  row = find_row (self, kind, name);
  return row != NULL && _tdm_mapping_row_writes (self, kind, row, side, for_create);
}

/* The twin's id carried by a native record: the webshop's "shopify_id", or
 * the Shopify app metafield (read as webshopId.value). */
char *
tdm_mapping_get_twin_id (TdmMapping *self,
                         TdmKind     kind,
                         TdmSide     side,
                         JsonObject *native)
{
  GPtrArray *rows;

  g_return_val_if_fail (TDM_IS_MAPPING (self), NULL);
  g_return_val_if_fail ((guint) kind < TDM_N_KINDS, NULL);

  if (native == NULL)
    return NULL;

  rows = self->rows[kind];
  for (guint i = 0; i < rows->len; i++)
    {
      const TdmRow *row = g_ptr_array_index (rows, i);
      const char *path;
      JsonNode *node;
      g_autofree char *text = NULL;

      if (!_tdm_mapping_row_is_identity (row) || row->row.parent >= 0)
        continue;
      /* the row that carries the other side's id onto this side */
      if (row->row.direction != (side == TDM_SIDE_WEBSHOP ? TDM_DIRECTION_TO_WEBSHOP
                                                          : TDM_DIRECTION_TO_SHOPIFY))
        continue;
      path = side == TDM_SIDE_WEBSHOP ? row->row.webshop : row->row.shopify;
      if (g_str_has_prefix (path, TDM_MAPPING_METAFIELD_PREFIX))
        continue;
      node = _tdm_mapping_get_path (native, path);
      if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
        continue;
      if (json_node_get_value_type (node) == G_TYPE_INT64)
        text = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
      else if (json_node_get_value_type (node) == G_TYPE_STRING)
        text = g_strstrip (g_strdup (json_node_get_string (node)));
      if (text != NULL && *text != '\0')
        return g_steal_pointer (&text);
    }
  return NULL;
}

/* ---- Native paths → canonical names ---- */

/* Does `path`, a row's property, name `native`, as it is or without its
 * list marker ("addresses[]" names "addresses")? */
static gboolean
path_names (const char *path,
            const char *native)
{
  gsize len;

  g_assert (native != NULL);

  if (path == NULL)
    return FALSE;
  if (strcmp (path, native) == 0)
    return TRUE;
  len = strlen (path);
  return len > 2 && g_str_has_suffix (path, "[]") && strlen (native) == len - 2
         && strncmp (path, native, len - 2) == 0;
}

/* Does the row's property on `side` name `native`: the webshop path, or
 * Shopify's write path or read path (errors name the one, unreadable text
 * the other)? */
static gboolean
row_names_path (const TdmRow *row,
                TdmSide       side,
                const char   *native)
{
  g_assert (row != NULL && side < TDM_N_SIDES);

  if (side == TDM_SIDE_WEBSHOP)
    return path_names (row->row.webshop, native);
  return path_names (row->row.shopify_write, native) || path_names (row->row.shopify, native);
}

/* "addresses[0].city" → "addresses[].city", as the mapping spells list paths. */
static char *
drop_list_indexes (const char *path)
{
  GString *bare = g_string_new (NULL);

  g_assert (path != NULL);

  for (const char *p = path; *p != '\0'; p++)
    {
      const char *q = p + 1;

      if (*p == '[')
        while (g_ascii_isdigit (*q))
          q++;
      if (*p == '[' && q > p + 1 && *q == ']')
        {
          g_string_append (bare, "[]");
          p = q;
        }
      else
        g_string_append_c (bare, *p);
    }
  return g_string_free (bare, FALSE);
}

char *
tdm_mapping_field_for_path (TdmMapping *self,
                            TdmKind     kind,
                            TdmSide     side,
                            const char *native_path)
{
  g_autofree char *bare = NULL;
  g_autofree char *head = NULL;
  GPtrArray *rows;

  g_return_val_if_fail (TDM_IS_MAPPING (self), NULL);
  g_return_val_if_fail ((guint) kind < TDM_N_KINDS, NULL);
  g_return_val_if_fail ((guint) side < TDM_N_SIDES, NULL);

  if (native_path == NULL)
    return NULL;

  rows = self->rows[kind];
  bare = drop_list_indexes (native_path);
  for (guint i = 0; i < rows->len; i++)
    {
      const TdmRow *row = g_ptr_array_index (rows, i);
      const TdmRow *parent;

      if (!row_names_path (row, side, bare) && !row_names_path (row, side, native_path))
        continue;
      /* A sub-row is named after its list row, then itself. */
      parent = _tdm_mapping_row_parent (self, kind, row);
      if (parent != NULL)
        return g_strdup_printf ("%s.%s", parent->row.name, row->row.name);
      return g_strdup (row->row.name);
    }

  /* Else the top-level row of its first segment ("addresses.0.zip"). */
  head = g_strdup (native_path);
  if (strchr (head, '.') != NULL)
    *strchr (head, '.') = '\0';
  for (guint i = 0; i < rows->len; i++)
    {
      const TdmRow *row = g_ptr_array_index (rows, i);

      if (row->row.parent < 0 && row_names_path (row, side, head))
        return g_strdup (row->row.name);
    }
  return g_strdup (native_path);
}

/* ---- Values shared by both conversions ---- */

JsonNode *
_tdm_mapping_string_node (const char *str)
{
  JsonNode *node = json_node_new (JSON_NODE_VALUE);

  json_node_set_string (node, str);
  return node;
}

const char *
_tdm_mapping_node_string (JsonNode *node)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

TdmKind
_tdm_mapping_ref_kind (TdmTransform transform)
{
  g_assert (transform == TDM_TRANSFORM_CUSTOMER_REF || transform == TDM_TRANSFORM_PRODUCT_REF);

  return transform == TDM_TRANSFORM_PRODUCT_REF ? TDM_KIND_PRODUCT : TDM_KIND_CUSTOMER;
}
