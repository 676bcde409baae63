/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-mapping"

#include "config.h"

#include "tdm-mapping-private.h"

/* References between kinds (an order's customer, an order line's product),
 * named as one side names them through the links the engine passes in
 * (docs/sync.md § References). The connectors map records without the
 * links; this is the one place a canonical reference changes its id. */

typedef struct {
  TdmSide            side;
  TdmRefResolveFunc  resolve;
  gpointer           user_data;
  JsonObject        *copy;       /* the changed copy, made at the first change */
} ResolveState;

static gboolean
row_is_reference (const TdmRow *row)
{
  return row->transform == TDM_TRANSFORM_CUSTOMER_REF ||
         row->transform == TDM_TRANSFORM_PRODUCT_REF;
}

/* The id `value` names on `side`, when it holds the other side's id of a
 * linked record (transfer full); NULL when it stays as it is. */
static char *
resolve_value (ResolveState *state,
               const TdmRow *row,
               JsonNode     *value)
{
  const char *id = _tdm_mapping_node_string (value);
  TdmSide from_side;

  g_assert (row_is_reference (row));

  if (id == NULL || *id == '\0')
    return NULL;
  from_side = g_str_has_prefix (id, "gid://") ? TDM_SIDE_SHOPIFY : TDM_SIDE_WEBSHOP;
  if (from_side == state->side)
    return NULL;
  return state->resolve (_tdm_mapping_ref_kind (row->transform), from_side, id,
                         state->user_data);
}

/* The object to change for the first change: `fields`' copy. */
static JsonObject *
writable_fields (ResolveState *state,
                 JsonObject   *fields)
{
  if (state->copy == NULL)
    state->copy = tdm_json_object_copy (fields);
  return state->copy;
}

/* A top-level reference row. */
static void
resolve_top (ResolveState *state,
             const TdmRow *row,
             JsonObject   *fields)
{
  g_autofree char *resolved = NULL;

  g_assert (row->row.parent < 0);

  resolved = resolve_value (state, row, _tdm_mapping_member_node (fields, row->row.name));
  if (resolved != NULL)
    json_object_set_member (writable_fields (state, fields), row->row.name,
                            _tdm_mapping_string_node (resolved));
}

/* A reference row in each item of a list row, or in a group row. */
static void
resolve_members (ResolveState *state,
                 const TdmRow *parent,
                 const TdmRow *row,
                 JsonObject   *fields)
{
  JsonNode *node = _tdm_mapping_member_node (fields, parent->row.name);
  JsonArray *items = NULL;
  gboolean changed = FALSE;

  g_assert (_tdm_mapping_row_is_container (parent));

  if (node == NULL)
    return;
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      g_autofree char *resolved = resolve_value (state, row,
                                                 _tdm_mapping_member_node (json_node_get_object (node),
                                                                           row->row.name));

      if (resolved != NULL)
        json_object_set_member (json_object_get_object_member (writable_fields (state, fields),
                                                               parent->row.name),
                                row->row.name, _tdm_mapping_string_node (resolved));
      return;
    }
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return;

  for (guint i = 0; i < json_array_get_length (json_node_get_array (node)); i++)
    {
      JsonNode *element = json_array_get_element (json_node_get_array (node), i);
      g_autofree char *resolved = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        continue;
      resolved = resolve_value (state, row,
                                _tdm_mapping_member_node (json_node_get_object (element),
                                                          row->row.name));
      if (resolved == NULL)
        continue;
      items = json_object_get_array_member (writable_fields (state, fields), parent->row.name);
      json_object_set_member (json_array_get_object_element (items, i), row->row.name,
                              _tdm_mapping_string_node (resolved));
      changed = TRUE;
    }
  if (changed && parent->row.unordered)
    json_object_set_array_member (state->copy, parent->row.name,
                                  _tdm_mapping_sort_items (json_array_ref (items)));
}

JsonObject *
tdm_mapping_resolve_references (TdmMapping        *self,
                                TdmKind            kind,
                                TdmSide            side,
                                JsonObject        *fields,
                                TdmRefResolveFunc  resolve,
                                gpointer           user_data)
{
  ResolveState state = { side, resolve, user_data, NULL };
  GPtrArray *rows;

  g_return_val_if_fail (TDM_IS_MAPPING (self), NULL);
  g_return_val_if_fail ((guint) kind < TDM_N_KINDS, NULL);
  g_return_val_if_fail (side < TDM_N_SIDES, NULL);
  g_return_val_if_fail (fields != NULL, NULL);
  g_return_val_if_fail (resolve != NULL, NULL);

  rows = self->rows[kind];
  for (guint i = 0; i < rows->len; i++)
    {
      const TdmRow *row = g_ptr_array_index (rows, i);
      const TdmRow *parent;

      if (!row_is_reference (row))
        continue;
      parent = _tdm_mapping_row_parent (self, kind, row);
      /* each row reads the copy once there is one: earlier rows' changes stay */
      if (parent == NULL)
        resolve_top (&state, row, state.copy != NULL ? state.copy : fields);
      else
        resolve_members (&state, parent, row, state.copy != NULL ? state.copy : fields);
    }
  return state.copy != NULL ? state.copy : json_object_ref (fields);
}
