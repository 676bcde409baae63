/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-mapping"

#include "config.h"

#include "tdm-mapping-private.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tdm-error.h"
#include "tdm-money.h"

/* canonical → a side's write shape: the fields to write, at the side's
 * write paths and in its spelling, for the rows that may be written there
 * (docs/mapping.md); and the canonical fields a side may receive at all. */

/* ---- Values ---- */

typedef struct {
  TdmMapping          *self;
  TdmKind              kind;
  TdmSide              side;
  gboolean             for_create;
  JsonObject          *fields;      /* the whole canonical record: its currency */
} UnmapState;

static const struct {
  const char *canonical;
  const char *shopify;
} shopify_weight_units[] = {
  { "kg", "KILOGRAMS" }, { "g", "GRAMS" }, { "lb", "POUNDS" }, { "oz", "OUNCES" },
};

static JsonNode *
decimal_number_node (const char *decimal)
{
  JsonNode *node = json_node_new (JSON_NODE_VALUE);

  /* a JSON number for GraphQL Float inputs; the canonical string is exact */
  json_node_set_double (node, g_ascii_strtod (decimal, NULL));
  return node;
}

static void
set_unresolved_error (GError       **error,
                      UnmapState    *state,
                      const TdmRow  *row,
                      const char    *value)
{
  TdmKind kind = _tdm_mapping_ref_kind (row->transform);

  g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_VALIDATION,
               /* Translators: "The customer with id 17 … (field customer_id)" */
               _("The %s with id %s is not linked to a record in %s yet, so this %s cannot be "
                 "written there (field %s). Tandem syncs the %s first and tries again on the "
                 "next run."),
               tdm_kind_to_string (kind), value, tdm_side_display_name (state->side),
               tdm_kind_to_string (state->kind), row->row.name, tdm_kind_to_string (kind));
}

/* A reference, which the engine named as the side names it where the
 * records are linked (tdm_mapping_resolve_references()): a Shopify GID for
 * Shopify, a webshop id for the webshop. Another side's id is a record not
 * linked yet: NULL + error. */
static JsonNode *
write_reference (UnmapState    *state,
                 const TdmRow  *row,
                 JsonNode      *value,
                 GError       **error)
{
  const char *str = _tdm_mapping_node_string (value);
  gboolean is_gid = str != NULL && g_str_has_prefix (str, "gid://");

  if (str == NULL || is_gid == (state->side == TDM_SIDE_SHOPIFY))
    return json_node_copy (value);
  set_unresolved_error (error, state, row, str);
  return NULL;
}

/* {"Size": "M"} → [{"name": "Size", "value": "M"}], in the order the
 * options came in (Shopify's option positions, or the webshop's member
 * order): comparisons ignore it, the shop owner does not. */
static JsonNode *
write_options (JsonObject *object)
{
  g_autoptr(GList) members = json_object_get_members (object);
  JsonArray *array = json_array_new ();
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);

  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonObject *option = json_object_new ();
      const char *name = l->data;

      json_object_set_string_member (option, "name", name);
      json_object_set_member (option, "value",
                              json_node_copy (_tdm_mapping_member_node (object, name)));
      json_array_add_object_element (array, option);
    }
  json_node_take_array (node, array);
  return node;
}

/* {"value": "1.5", "unit": "kg"} → Shopify's {"value": 1.5, "unit": "KILOGRAMS"} */
static JsonNode *
write_shopify_weight (JsonObject *weight)
{
  const char *unit = _tdm_mapping_node_string (json_object_get_member (weight, "unit"));
  const char *amount = _tdm_mapping_node_string (json_object_get_member (weight, "value"));
  JsonObject *out = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  if (amount != NULL)
    json_object_set_member (out, "value", decimal_number_node (amount));
  for (guint i = 0; unit != NULL && i < G_N_ELEMENTS (shopify_weight_units); i++)
    if (strcmp (unit, shopify_weight_units[i].canonical) == 0)
      json_object_set_string_member (out, "unit", shopify_weight_units[i].shopify);
  json_node_take_object (node, out);
  return node;
}

/* The webshop's order number is the number alone, Shopify's name without
 * its "#": "#1001" → "1001", a string of digits as docs/webshop-api.md has it. */
static JsonNode *
write_webshop_order_number (JsonNode *value)
{
  const char *str = _tdm_mapping_node_string (value);

  if (str == NULL)
    return json_node_copy (value);
  while (*str == '#' || g_ascii_isspace (*str))
    str++;
  return _tdm_mapping_string_node (str);
}

/* An order's money to the webshop: a decimal string with the decimals of the
 * order's currency, "2132" → "2132.00" (docs/mapping.md § Money). */
static JsonNode *
write_webshop_money (UnmapState *state,
                     JsonNode   *value)
{
  const char *currency = NULL;
  g_autofree char *text = NULL;
  g_autofree char *formatted = NULL;

  g_assert (state != NULL && value != NULL);

  if (!JSON_NODE_HOLDS_VALUE (value))
    return json_node_copy (value);
  if (state->fields != NULL)
    currency = _tdm_mapping_node_string (_tdm_mapping_member_node (state->fields, "currency"));
  if (json_node_get_value_type (value) == G_TYPE_STRING)
    text = g_strdup (json_node_get_string (value));
  else if (json_node_get_value_type (value) == G_TYPE_INT64)
    text = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (value));
  else if (json_node_get_value_type (value) == G_TYPE_DOUBLE)
    {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];
      text = g_strdup (g_ascii_formatd (buf, sizeof buf, "%.6f", json_node_get_double (value)));
    }
  formatted = tdm_money_format (text, currency);
  return formatted != NULL ? _tdm_mapping_string_node (formatted) : json_node_copy (value);
}

/* An order's tax lines to the webshop: each {title, rate, price} with the
 * price in the decimals of the order's currency and the rate as a decimal
 * fraction string ("0.25"), as docs/webshop-api.md has them. */
static JsonNode *
write_webshop_tax_lines (UnmapState *state,
                         JsonNode   *value)
{
  JsonArray *lines;
  JsonArray *out;
  JsonNode *node;

  g_assert (state != NULL && value != NULL);

  if (!JSON_NODE_HOLDS_ARRAY (value))
    return json_node_copy (value);
  lines = json_node_get_array (value);
  out = json_array_new ();
  for (guint i = 0; i < json_array_get_length (lines); i++)
    {
      JsonNode *element = json_array_get_element (lines, i);
      JsonObject *line;
      JsonObject *copy;
      JsonNode *price;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        continue;
      line = json_node_get_object (element);
      copy = tdm_json_object_copy (line);
      price = _tdm_mapping_member_node (line, "price");
      if (price != NULL)
        json_object_set_member (copy, "price", write_webshop_money (state, price));
      json_array_add_object_element (out, copy);
    }
  node = json_node_new (JSON_NODE_ARRAY);
  json_node_take_array (node, out);
  return node;
}

/* The value that clears a field: an empty list, or JSON null. */
static JsonNode *
clear_value (const TdmRow *row)
{
  if (row->row.type == TDM_VALUE_LIST || row->row.type == TDM_VALUE_TAGS)
    {
      JsonNode *node = json_node_new (JSON_NODE_ARRAY);
      json_node_take_array (node, json_array_new ());
      return node;
    }
  return json_node_new (JSON_NODE_NULL);
}

/* Canonical value → the side's spelling. Returns a new node (JSON null for
 * "clear"), or NULL + error. */
static JsonNode *
write_transform (UnmapState    *state,
                 const TdmRow  *row,
                 JsonNode      *value,
                 GError       **error)
{
  const char *str = _tdm_mapping_node_string (value);

  if (value == NULL)
    return clear_value (row);
  if (row->transform == TDM_TRANSFORM_CUSTOMER_REF || row->transform == TDM_TRANSFORM_PRODUCT_REF)
    return write_reference (state, row, value, error);
  if (state->side == TDM_SIDE_WEBSHOP && row->transform == TDM_TRANSFORM_ORDER_NUMBER)
    return write_webshop_order_number (value);
  if (state->side == TDM_SIDE_WEBSHOP && state->kind == TDM_KIND_ORDER &&
      row->row.type == TDM_VALUE_MONEY)
    return write_webshop_money (state, value);
  if (state->side == TDM_SIDE_WEBSHOP && row->row.type == TDM_VALUE_TAX_LINES)
    return write_webshop_tax_lines (state, value);
  if (state->side == TDM_SIDE_WEBSHOP)
    return json_node_copy (value);

  switch (row->transform)
    {
    case TDM_TRANSFORM_STATUS_UPPER:
    case TDM_TRANSFORM_FINANCIAL_STATUS:
      if (str != NULL)
        {
          g_autofree char *upper = g_ascii_strup (str, -1);
          return _tdm_mapping_string_node (upper);
        }
      break;

    case TDM_TRANSFORM_FULFILLMENT_STATUS:
      if (g_strcmp0 (str, "fulfilled") == 0)
        return _tdm_mapping_string_node ("FULFILLED");
      if (g_strcmp0 (str, "partial") == 0)
        return _tdm_mapping_string_node ("PARTIAL");
      return json_node_new (JSON_NODE_NULL);

    case TDM_TRANSFORM_MARKETING_STATE:
      if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_BOOLEAN)
        return _tdm_mapping_string_node (json_node_get_boolean (value) ? "SUBSCRIBED"
                                                                       : "UNSUBSCRIBED");
      break;

    case TDM_TRANSFORM_OPTIONS_MAP:
      if (JSON_NODE_HOLDS_OBJECT (value))
        return write_options (json_node_get_object (value));
      break;

    case TDM_TRANSFORM_NONE:
    case TDM_TRANSFORM_IDENTITY:
    case TDM_TRANSFORM_WEIGHT_UNIT:
    case TDM_TRANSFORM_CUSTOMER_REF:
    case TDM_TRANSFORM_PRODUCT_REF:
    case TDM_TRANSFORM_VAT_EXCLUSIVE:
    case TDM_TRANSFORM_ORDER_NUMBER:
    default:
      break;
    }

  if (row->row.type == TDM_VALUE_WEIGHT && JSON_NODE_HOLDS_OBJECT (value))
    return write_shopify_weight (json_node_get_object (value));
  return json_node_copy (value);
}

/* Writes one row's value into `target` at its relative write path. */
static gboolean
unmap_value (UnmapState    *state,
             const TdmRow  *row,
             JsonNode      *value,
             JsonObject    *target,
             GError       **error)
{
  const char *path = state->side == TDM_SIDE_WEBSHOP ? row->rel_webshop : row->rel_write;
  JsonNode *out;

  /* the webshop keeps a weight as two members: weight and weight_unit */
  if (state->side == TDM_SIDE_WEBSHOP && row->row.type == TDM_VALUE_WEIGHT)
    {
      g_autofree char *unit_path = g_strconcat (path, "_unit", NULL);
      JsonObject *weight = value != NULL && JSON_NODE_HOLDS_OBJECT (value)
                             ? json_node_get_object (value) : NULL;
      JsonNode *amount = weight != NULL ? _tdm_mapping_member_node (weight, "value") : NULL;
      JsonNode *unit = weight != NULL ? _tdm_mapping_member_node (weight, "unit") : NULL;

      _tdm_mapping_set_path (target, path, amount != NULL ? json_node_copy (amount)
                                                          : json_node_new (JSON_NODE_NULL));
      _tdm_mapping_set_path (target, unit_path, unit != NULL ? json_node_copy (unit)
                                                             : json_node_new (JSON_NODE_NULL));
      return TRUE;
    }

  out = write_transform (state, row, value, error);
  if (out == NULL)
    return FALSE;
  _tdm_mapping_set_path (target, path, out);
  return TRUE;
}

/* ---- Lists and groups ---- */

/* The members of one list item or group, through its sub-rows. */
static JsonObject *
unmap_members (UnmapState    *state,
               const TdmRow  *top,
               JsonObject    *item,
               GError       **error)
{
  g_autoptr(JsonObject) result = json_object_new ();

  for (guint i = 0; top->children != NULL && i < top->children->len; i++)
    {
      const TdmRow *sub = g_ptr_array_index (top->children, i);
      JsonNode *value;

      if (!_tdm_mapping_row_writes (state->self, state->kind, sub, state->side,
                                    state->for_create))
        continue;
      value = _tdm_mapping_member_node (item, sub->row.name);
      if (value == NULL)
        continue;
      if (!unmap_value (state, sub, value, result, error))
        return NULL;
    }
  return g_steal_pointer (&result);
}

/* A list row: each item that is a group of values, through the sub-rows. */
static JsonNode *
unmap_list (UnmapState    *state,
            const TdmRow  *row,
            JsonArray     *array,
            GError       **error)
{
  g_autoptr(JsonArray) result = json_array_new ();
  JsonNode *node;

  g_assert (row->row.type == TDM_VALUE_LIST);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      JsonObject *item;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        continue;
      item = unmap_members (state, row, json_node_get_object (element), error);
      if (item == NULL)
        return NULL;
      json_array_add_object_element (result, item);
    }
  node = json_node_new (JSON_NODE_ARRAY);
  json_node_take_array (node, g_steal_pointer (&result));
  return node;
}

/* A group row: its members, through the sub-rows. */
static JsonNode *
unmap_group (UnmapState    *state,
             const TdmRow  *row,
             JsonObject    *object,
             GError       **error)
{
  JsonObject *group;
  JsonNode *node;

  g_assert (row->row.type == TDM_VALUE_OBJECT);

  group = unmap_members (state, row, object, error);
  if (group == NULL)
    return NULL;
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, group);
  return node;
}

/* One top-level row's value (NULL: clear it) into `out`. */
static gboolean
unmap_row (UnmapState    *state,
           const TdmRow  *row,
           JsonNode      *value,
           JsonObject    *out,
           GError       **error)
{
  const char *path = state->side == TDM_SIDE_WEBSHOP ? row->rel_webshop : row->rel_write;
  JsonNode *node = NULL;

  g_assert (row->row.parent < 0);

  if (value == NULL || !_tdm_mapping_row_is_container (row) || row->children == NULL ||
      row->children->len == 0)
    return unmap_value (state, row, value, out, error);

  if (row->row.type == TDM_VALUE_LIST && JSON_NODE_HOLDS_ARRAY (value))
    node = unmap_list (state, row, json_node_get_array (value), error);
  else if (row->row.type == TDM_VALUE_OBJECT && JSON_NODE_HOLDS_OBJECT (value))
    node = unmap_group (state, row, json_node_get_object (value), error);
  else
    return unmap_value (state, row, value, out, error);

  if (node == NULL)
    return FALSE;
  _tdm_mapping_set_path (out, path, node);
  return TRUE;
}

/* ---- A record ---- */

/* A webshop product with exactly one variant without options is written
 * with top-level fields, as the webshop itself would. */
static void
flatten_single_variant (JsonObject *product)
{
  JsonArray *variants;
  JsonObject *variant;
  g_autoptr(GList) members = NULL;

  if (!json_object_has_member (product, "variants") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (product, "variants")))
    return;
  variants = json_object_get_array_member (product, "variants");
  if (json_array_get_length (variants) != 1 ||
      !JSON_NODE_HOLDS_OBJECT (json_array_get_element (variants, 0)))
    return;
  variant = json_array_get_object_element (variants, 0);
  if (json_object_has_member (variant, "options") &&
      !JSON_NODE_HOLDS_NULL (json_object_get_member (variant, "options")) &&
      !(JSON_NODE_HOLDS_OBJECT (json_object_get_member (variant, "options")) &&
        json_object_get_size (json_object_get_object_member (variant, "options")) == 0))
    return;

  json_object_ref (variant);
  json_object_remove_member (product, "variants");
  members = json_object_get_members (variant);
  for (GList *l = members; l != NULL; l = l->next)
    {
      if (strcmp (l->data, "options") == 0)
        continue;
      json_object_set_member (product, l->data,
                              json_node_copy (_tdm_mapping_member_node (variant, l->data)));
    }
  json_object_unref (variant);
}

JsonObject *
tdm_mapping_unmap_fields (TdmMapping          *self,
                          TdmKind              kind,
                          TdmSide              side,
                          JsonObject          *fields,
                          gboolean             for_create,
                          const char * const  *only,
                          GError             **error)
{
  g_autoptr(JsonObject) out = NULL;
  UnmapState state = { self, kind, side, for_create, fields };
  GPtrArray *rows;

  g_return_val_if_fail (TDM_IS_MAPPING (self), NULL);
  g_return_val_if_fail ((guint) kind < TDM_N_KINDS, NULL);
  g_return_val_if_fail (fields != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  out = json_object_new ();
  rows = self->rows[kind];
  for (guint i = 0; i < rows->len; i++)
    {
      const TdmRow *row = g_ptr_array_index (rows, i);
      JsonNode *value;

      if (row->row.parent >= 0 || !_tdm_mapping_row_writes (self, kind, row, side, for_create))
        continue;
      if (only != NULL && !g_strv_contains (only, row->row.name))
        continue;

      value = _tdm_mapping_member_node (fields, row->row.name);
      if (value != NULL && JSON_NODE_HOLDS_NULL (value))
        value = NULL;
      /* an absent field is written as "clear" only when asked for by name */
      if (value == NULL && only == NULL)
        continue;
      if (!unmap_row (&state, row, value, out, error))
        return NULL;
    }

  if (kind == TDM_KIND_PRODUCT && side == TDM_SIDE_WEBSHOP)
    flatten_single_variant (out);

  return g_steal_pointer (&out);
}

/* ---- What a side may receive ---- */

static void
filter_members (TdmMapping   *self,
                TdmKind       kind,
                const TdmRow *top,
                JsonObject   *item,
                TdmSide       to_side)
{
  for (guint i = 0; top->children != NULL && i < top->children->len; i++)
    {
      const TdmRow *sub = g_ptr_array_index (top->children, i);

      if (!_tdm_mapping_row_allows (self, kind, sub, to_side) &&
          json_object_has_member (item, sub->row.name))
        json_object_remove_member (item, sub->row.name);
    }
}

JsonObject *
tdm_mapping_filter_fields (TdmMapping *self,
                           TdmKind     kind,
                           JsonObject *fields,
                           TdmSide     to_side)
{
  JsonObject *result;
  GPtrArray *rows;

  g_return_val_if_fail (TDM_IS_MAPPING (self), NULL);
  g_return_val_if_fail ((guint) kind < TDM_N_KINDS, NULL);

  if (fields == NULL)
    return NULL;

  result = json_object_new ();
  rows = self->rows[kind];
  for (guint i = 0; i < rows->len; i++)
    {
      const TdmRow *row = g_ptr_array_index (rows, i);
      JsonNode *copy;

      if (row->row.parent >= 0 || _tdm_mapping_row_is_identity (row) ||
          !_tdm_mapping_row_allows (self, kind, row, to_side) ||
          !json_object_has_member (fields, row->row.name))
        continue;

      copy = tdm_json_node_copy_deep (json_object_get_member (fields, row->row.name));
      if (_tdm_mapping_row_is_container (row) && row->children != NULL)
        {
          if (JSON_NODE_HOLDS_ARRAY (copy))
            {
              JsonArray *array = json_node_get_array (copy);

              for (guint j = 0; j < json_array_get_length (array); j++)
                if (JSON_NODE_HOLDS_OBJECT (json_array_get_element (array, j)))
                  filter_members (self, kind, row, json_array_get_object_element (array, j),
                                  to_side);
            }
          else if (JSON_NODE_HOLDS_OBJECT (copy))
            filter_members (self, kind, row, json_node_get_object (copy), to_side);
        }
      json_object_set_member (result, row->row.name, copy);
    }
  return result;
}
