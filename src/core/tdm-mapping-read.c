/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-mapping"

#include "config.h"

#include "tdm-mapping-private.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tdm-money.h"

/* native → canonical: a side's record read through the mapping into the
 * canonical fields the planner compares, each value normalized per its row's
 * type (docs/mapping.md; docs/sync.md, Normalization). A value that cannot
 * be used becomes a problem naming the record and the field; the rest of
 * the record maps. */

/* ---- Values ---- */

typedef struct {
  TdmMapping          *self;
  TdmKind              kind;
  TdmSide              side;
  const TdmMapContext *context;
  GPtrArray           *problems;
  char                *record_id;
  JsonObject          *fields;     /* the canonical fields mapped so far */
} MapState;

static JsonNode *
new_bool_node (gboolean value)
{
  JsonNode *node = json_node_new (JSON_NODE_VALUE);

  json_node_set_boolean (node, value);
  return node;
}

static char *
native_id (JsonObject *native)
{
  JsonNode *node;

  if (native == NULL || !json_object_has_member (native, "id"))
    return NULL;
  node = json_object_get_member (native, "id");
  if (!JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
  return g_strdup (_tdm_mapping_node_string (node));
}

static void
report_problem (MapState     *state,
                const TdmRow *top,
                const TdmRow *sub,
                guint         item,
                const char   *message)
{
  g_autofree char *text = NULL;

  g_assert (top != NULL && message != NULL);

  if (state->problems == NULL)
    return;

  /* The engine holds the whole record back until the value is corrected,
   * so a twin is never created without it. The fields are named by their
   * labels, in the owner's words; the error's field is the row's key. */
  if (sub != NULL && top->row.type == TDM_VALUE_LIST)
    /* Translators: "Not synced: “City” in item 2 of “Addresses” cannot be used. <reason> …" */
    text = g_strdup_printf (_("Not synced: “%s” in item %u of “%s” cannot be used. %s "
                              "Correct it and the record syncs on the next run."),
                            tdm_mapping_row_get_label (&sub->row), item + 1,
                            tdm_mapping_row_get_label (&top->row), message);
  else if (sub != NULL)
    text = g_strdup_printf (_("Not synced: “%s” in “%s” cannot be used. %s "
                              "Correct it and the record syncs on the next run."),
                            tdm_mapping_row_get_label (&sub->row),
                            tdm_mapping_row_get_label (&top->row), message);
  else
    text = g_strdup_printf (_("Not synced: “%s” cannot be used. %s "
                              "Correct it and the record syncs on the next run."),
                            tdm_mapping_row_get_label (&top->row), message);

  g_ptr_array_add (state->problems,
                   tdm_record_error_new (state->side, state->kind, state->record_id,
                                         top->row.name, text));
}

/* A webshop value → the canonical shape: a weight is written as two members
 * (weight and weight_unit), and a missing price_excl_vat is derived from the
 * sibling price and the VAT rate. Returns a new node or NULL (empty). */
/* An order number is the number alone: Shopify's name "#1001" (or a
 * webshop's "#1001") is "1001"; a number 1001 is "1001". */
static JsonNode *
read_order_number (JsonNode *raw)
{
  g_autofree char *text = NULL;
  const char *p;

  if (raw == NULL || !JSON_NODE_HOLDS_VALUE (raw))
    return raw != NULL ? json_node_copy (raw) : NULL;
  if (json_node_get_value_type (raw) == G_TYPE_INT64)
    text = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (raw));
  else if (json_node_get_value_type (raw) == G_TYPE_STRING)
    text = g_strdup (json_node_get_string (raw));
  else
    return json_node_copy (raw);
  for (p = text; *p == '#' || g_ascii_isspace (*p); p++)
    ;
  return _tdm_mapping_string_node (p);
}

static JsonNode *
read_webshop_value (MapState     *state,
                    const TdmRow *row,
                    JsonObject   *container,
                    JsonNode     *raw)
{
  g_assert (state->side == TDM_SIDE_WEBSHOP);

  if (row->row.type == TDM_VALUE_WEIGHT && raw != NULL && JSON_NODE_HOLDS_VALUE (raw))
    {
      g_autofree char *unit_member = NULL;
      JsonObject *weight = json_object_new ();
      JsonNode *node = json_node_new (JSON_NODE_OBJECT);
      JsonNode *unit;

      unit_member = g_strconcat (_tdm_mapping_last_segment (row->rel_webshop), "_unit", NULL);
      unit = _tdm_mapping_member_node (container, unit_member);
      json_object_set_member (weight, "value", json_node_copy (raw));
      if (unit != NULL)
        json_object_set_member (weight, "unit", json_node_copy (unit));
      json_node_take_object (node, weight);
      return node;
    }
  if (row->transform == TDM_TRANSFORM_VAT_EXCLUSIVE &&
      (raw == NULL || JSON_NODE_HOLDS_NULL (raw) ||
       g_strcmp0 (_tdm_mapping_node_string (raw), "") == 0) &&
      state->context != NULL && state->context->vat_rate != NULL &&
      json_object_has_member (container, "price"))
    {
      g_autoptr(JsonNode) price = NULL;
      g_autofree char *derived = NULL;

      price = tdm_normalize_value (TDM_VALUE_MONEY, _tdm_mapping_member_node (container, "price"),
                                   NULL, NULL);
      if (price != NULL)
        derived = tdm_decimal_divide_vat (json_node_get_string (price),
                                          state->context->vat_rate, 2);
      return derived != NULL ? _tdm_mapping_string_node (derived) : NULL;
    }
  if (row->transform == TDM_TRANSFORM_ORDER_NUMBER)
    return read_order_number (raw);
  return raw != NULL ? json_node_copy (raw) : NULL;
}

/* FULFILLED → fulfilled, PARTIALLY_FULFILLED → partial, else unfulfilled */
static JsonNode *
read_fulfillment_status (JsonNode *raw)
{
  const char *str = _tdm_mapping_node_string (raw);

  if (str == NULL)
    return json_node_copy (raw);
  if (g_ascii_strcasecmp (str, "FULFILLED") == 0)
    return _tdm_mapping_string_node ("fulfilled");
  if (g_ascii_strcasecmp (str, "PARTIALLY_FULFILLED") == 0 ||
      g_ascii_strcasecmp (str, "PARTIAL") == 0)
    return _tdm_mapping_string_node ("partial");
  return _tdm_mapping_string_node ("unfulfilled");
}

/* [{"name": "Size", "value": "M"}] → {"Size": "M"}; Shopify's stand-in
 * option of a product without options (Title / Default Title) is left out. */
static JsonNode *
read_options (JsonNode *raw)
{
  JsonArray *array;
  JsonObject *options;
  JsonNode *node;

  if (!JSON_NODE_HOLDS_ARRAY (raw))
    return json_node_copy (raw);

  array = json_node_get_array (raw);
  options = json_object_new ();
  node = json_node_new (JSON_NODE_OBJECT);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      JsonObject *option;
      const char *name, *value;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        continue;
      option = json_node_get_object (element);
      name = _tdm_mapping_node_string (json_object_get_member (option, "name"));
      value = _tdm_mapping_node_string (json_object_get_member (option, "value"));
      if (name == NULL || value == NULL)
        continue;
      if (strcmp (name, "Title") == 0 && strcmp (value, "Default Title") == 0)
        continue;
      json_object_set_string_member (options, name, value);
    }
  json_node_take_object (node, options);
  return node;
}

/* A Shopify reference: the GID, which the engine names as the webshop does
 * where the records are linked (tdm_mapping_resolve_references()). */
static JsonNode *
read_reference (JsonNode *raw)
{
  JsonNode *id = tdm_normalize_value (TDM_VALUE_ID, raw, NULL, NULL);

  return id != NULL ? id : json_node_copy (raw);
}

/* One canonical order line's unit_price × quantity in millionths; FALSE
 * when it has neither or they cannot be multiplied safely. */
static gboolean
line_total_micros (JsonNode *element,
                   gint64   *out)
{
  JsonObject *line;
  JsonNode *quantity;
  gint64 unit = 0;
  gint64 count;

  g_assert (out != NULL);

  if (!JSON_NODE_HOLDS_OBJECT (element))
    return FALSE;
  line = json_node_get_object (element);
  quantity = _tdm_mapping_member_node (line, "quantity");
  if (!tdm_money_to_micros (_tdm_mapping_node_string (_tdm_mapping_member_node (line,
                                                                                "unit_price")),
                            &unit) ||
      quantity == NULL || !JSON_NODE_HOLDS_VALUE (quantity) ||
      json_node_get_value_type (quantity) != G_TYPE_INT64)
    return FALSE;
  count = json_node_get_int (quantity);
  /* at most 10^15 millionths a line: far beyond any order, far from overflow */
  if (count < 0 || count > G_MAXINT32 ||
      (count > 0 && ABS (unit) > G_GINT64_CONSTANT (1000000000000000) / count))
    return FALSE;
  *out = unit * count;
  return TRUE;
}

/* An order's lines before discounts: the sum of unit_price × quantity of
 * the canonical line_items mapped so far (docs/mapping.md § Money). Shopify's
 * subtotalPriceSet is after discounts, the webshop's subtotal_price before
 * them, so a Shopify subtotal is read as this sum. NULL when there are no
 * lines or one cannot be added up (then Shopify's own value is used). */
static JsonNode *
read_lines_subtotal (MapState *state)
{
  JsonNode *lines = _tdm_mapping_member_node (state->fields, "line_items");
  JsonArray *array;
  gint64 sum = 0;
  g_autofree char *text = NULL;

  g_assert (state->fields != NULL);

  if (lines == NULL || !JSON_NODE_HOLDS_ARRAY (lines))
    return NULL;
  array = json_node_get_array (lines);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      gint64 total;

      if (!line_total_micros (json_array_get_element (array, i), &total))
        return NULL;
      sum += total;
    }
  text = tdm_money_from_micros (sum);
  return _tdm_mapping_string_node (text);
}

/* Shopify spellings and shapes → the canonical spelling, before normalization.
 * Returns a new node or NULL (empty). */
static JsonNode *
read_transform (MapState     *state,
                const TdmRow *row,
                JsonObject   *container,
                JsonNode     *raw)
{
  const char *str;

  if (state->side == TDM_SIDE_WEBSHOP)
    return read_webshop_value (state, row, container, raw);

  if (raw == NULL || JSON_NODE_HOLDS_NULL (raw))
    return NULL;
  if (row->transform == TDM_TRANSFORM_LINES_SUBTOTAL)
    {
      JsonNode *subtotal = read_lines_subtotal (state);

      if (subtotal != NULL)
        return subtotal;
    }

  switch (row->transform)
    {
    case TDM_TRANSFORM_FULFILLMENT_STATUS:
      return read_fulfillment_status (raw);

    case TDM_TRANSFORM_MARKETING_STATE:
      str = _tdm_mapping_node_string (raw);
      if (str == NULL)
        return json_node_copy (raw);
      return new_bool_node (g_ascii_strcasecmp (str, "SUBSCRIBED") == 0);

    case TDM_TRANSFORM_OPTIONS_MAP:
      return read_options (raw);

    case TDM_TRANSFORM_CUSTOMER_REF:
    case TDM_TRANSFORM_PRODUCT_REF:
      return read_reference (raw);

    case TDM_TRANSFORM_ORDER_NUMBER:
      return read_order_number (raw);

    case TDM_TRANSFORM_NONE:
    case TDM_TRANSFORM_IDENTITY:
    case TDM_TRANSFORM_STATUS_UPPER:
    case TDM_TRANSFORM_FINANCIAL_STATUS:
    case TDM_TRANSFORM_WEIGHT_UNIT:
    case TDM_TRANSFORM_VAT_EXCLUSIVE:
    case TDM_TRANSFORM_LINES_SUBTOTAL:
    default:
      return json_node_copy (raw);
    }
}

static const char *
row_read_path (const TdmRow *row,
               TdmSide       side)
{
  return side == TDM_SIDE_WEBSHOP ? row->rel_webshop : row->rel_shopify;
}

/* One scalar (or weight, options …) value of `container` → normalized node
 * or NULL. */
static JsonNode *
map_value (MapState      *state,
           const TdmRow  *row,
           JsonObject    *container,
           GError       **error)
{
  JsonNode *raw = _tdm_mapping_get_path (container, row_read_path (row, state->side));
  g_autoptr(JsonNode) transformed = read_transform (state, row, container, raw);
  const TdmNormalizeOptions *options = state->context != NULL ? state->context->normalize : NULL;

  if (transformed == NULL)
    return NULL;
  return tdm_normalize_value (row->row.type, transformed, options, error);
}

/* ---- Lists and groups ---- */

/* The members of one list item or group: its sub-rows. */
static JsonObject *
map_members (MapState     *state,
             const TdmRow *top,
             JsonObject   *item,
             guint         index)
{
  JsonObject *result = json_object_new ();

  g_assert (_tdm_mapping_row_is_container (top));

  for (guint i = 0; top->children != NULL && i < top->children->len; i++)
    {
      const TdmRow *sub = g_ptr_array_index (top->children, i);
      g_autoptr(GError) error = NULL;
      JsonNode *value;

      if (_tdm_mapping_row_is_identity (sub))
        continue;
      value = map_value (state, sub, item, &error);
      if (error != NULL)
        report_problem (state, top, sub, index, error->message);
      else if (value != NULL)
        json_object_set_member (result, sub->row.name, value);
    }
  return result;
}

typedef struct {
  char     *key;
  JsonNode *item;
} SortItem;

static int
compare_sort_items (gconstpointer a,
                    gconstpointer b,
                    gpointer      user_data)
{
  return strcmp (((const SortItem *) a)->key, ((const SortItem *) b)->key);
}

JsonArray *
_tdm_mapping_sort_items (JsonArray *array)
{
  guint n = json_array_get_length (array);
  g_autofree SortItem *items = g_new0 (SortItem, n);
  JsonArray *sorted = json_array_sized_new (n);

  for (guint i = 0; i < n; i++)
    {
      items[i].item = json_array_get_element (array, i);
      items[i].key = tdm_json_canonical_string (items[i].item);
    }
  g_qsort_with_data (items, n, sizeof (SortItem), compare_sort_items, NULL);
  for (guint i = 0; i < n; i++)
    {
      json_array_add_element (sorted, json_node_copy (items[i].item));
      g_free (items[i].key);
    }
  json_array_unref (array);
  return sorted;
}

/* A list row: each item that is a group of values maps through the sub-rows;
 * items left empty are dropped, an unordered list is sorted. */
static void
map_list_row (MapState     *state,
              const TdmRow *row,
              JsonNode     *raw,
              JsonObject   *fields)
{
  JsonArray *array;
  JsonArray *result;

  g_assert (row->row.type == TDM_VALUE_LIST);

  if (!JSON_NODE_HOLDS_ARRAY (raw))
    {
      report_problem (state, row, NULL, 0, _("A list was expected."));
      return;
    }
  array = json_node_get_array (raw);
  result = json_array_new ();
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      JsonObject *item;

      if (JSON_NODE_HOLDS_NULL (element))
        continue;
      if (!JSON_NODE_HOLDS_OBJECT (element))
        {
          g_autofree char *msg = NULL;

          msg = g_strdup_printf (_("Item %u of the list is not a group of values."), i + 1);
          report_problem (state, row, NULL, i, msg);
          continue;
        }
      item = map_members (state, row, json_node_get_object (element), i);
      if (json_object_get_size (item) > 0)
        json_array_add_object_element (result, item);
      else
        json_object_unref (item);
    }
  if (row->row.unordered)
    result = _tdm_mapping_sort_items (result);
  if (json_array_get_length (result) > 0)
    json_object_set_array_member (fields, row->row.name, result);
  else
    json_array_unref (result);
}

/* A group row: its members map through the sub-rows. */
static void
map_group_row (MapState     *state,
               const TdmRow *row,
               JsonNode     *raw,
               JsonObject   *fields)
{
  JsonObject *group;

  g_assert (row->row.type == TDM_VALUE_OBJECT);

  if (!JSON_NODE_HOLDS_OBJECT (raw))
    {
      report_problem (state, row, NULL, 0, _("A group of values was expected."));
      return;
    }
  group = map_members (state, row, json_node_get_object (raw), 0);
  if (json_object_get_size (group) > 0)
    json_object_set_object_member (fields, row->row.name, group);
  else
    json_object_unref (group);
}

/* One top-level row of `native` into `fields`. */
static void
map_row (MapState     *state,
         const TdmRow *row,
         JsonObject   *native,
         JsonObject   *fields)
{
  g_autoptr(GError) error = NULL;
  JsonNode *value;

  g_assert (row->row.parent < 0);

  if (_tdm_mapping_row_is_container (row) && row->children != NULL && row->children->len > 0)
    {
      JsonNode *raw = _tdm_mapping_get_path (native, row_read_path (row, state->side));

      if (raw == NULL || JSON_NODE_HOLDS_NULL (raw))
        return;
      if (row->row.type == TDM_VALUE_LIST)
        map_list_row (state, row, raw, fields);
      else
        map_group_row (state, row, raw, fields);
      return;
    }

  value = map_value (state, row, native, &error);
  if (error != NULL)
    report_problem (state, row, NULL, 0, error->message);
  else if (value != NULL)
    json_object_set_member (fields, row->row.name, value);
}

/* ---- A record ---- */

static const char * const single_variant_members[] = {
  "sku", "price", "compare_at_price", "inventory_quantity", "barcode", "weight", "weight_unit",
  "price_excl_vat", NULL
};

/* A webshop product without variants is one variant made of its top-level fields. */
static JsonObject *
webshop_product_with_variants (JsonObject *native)
{
  JsonNode *variants = json_object_has_member (native, "variants")
                         ? json_object_get_member (native, "variants") : NULL;
  JsonObject *copy;
  JsonObject *variant;
  JsonArray *array;

  if (variants != NULL && JSON_NODE_HOLDS_ARRAY (variants) &&
      json_array_get_length (json_node_get_array (variants)) > 0)
    {
      /* variants without their own weight have the product's */
      if (!json_object_has_member (native, "weight"))
        return json_object_ref (native);

      copy = tdm_json_object_copy (native);
      array = json_object_get_array_member (copy, "variants");
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (!JSON_NODE_HOLDS_OBJECT (element))
            continue;
          variant = json_node_get_object (element);
          if (json_object_has_member (variant, "weight"))
            continue;
          json_object_set_member (variant, "weight",
                                  json_node_copy (_tdm_mapping_member_node (copy, "weight")));
          if (json_object_has_member (copy, "weight_unit"))
            json_object_set_member (variant, "weight_unit",
                                    json_node_copy (json_object_get_member (copy, "weight_unit")));
        }
      return copy;
    }

  copy = tdm_json_object_copy (native);
  variant = json_object_new ();
  for (guint i = 0; single_variant_members[i] != NULL; i++)
    {
      const char *name = single_variant_members[i];

      if (json_object_has_member (copy, name))
        json_object_set_member (variant, name,
                                json_node_copy (_tdm_mapping_member_node (copy, name)));
    }
  array = json_array_new ();
  if (json_object_get_size (variant) > 0)
    json_array_add_object_element (array, variant);
  else
    json_object_unref (variant);
  json_object_set_array_member (copy, "variants", array);
  return copy;
}

JsonObject *
tdm_mapping_map_fields (TdmMapping          *self,
                        TdmKind              kind,
                        TdmSide              side,
                        JsonObject          *native,
                        const TdmMapContext *context,
                        GPtrArray           *problems)
{
  g_autoptr(JsonObject) source = NULL;
  JsonObject *fields;
  MapState state;
  GPtrArray *rows;

  g_return_val_if_fail (TDM_IS_MAPPING (self), NULL);
  g_return_val_if_fail ((guint) kind < TDM_N_KINDS, NULL);
  g_return_val_if_fail (native != NULL, NULL);

  if (kind == TDM_KIND_PRODUCT && side == TDM_SIDE_WEBSHOP)
    source = webshop_product_with_variants (native);
  else
    source = json_object_ref (native);

  state.self = self;
  state.kind = kind;
  state.side = side;
  state.context = context;
  state.problems = problems;
  state.record_id = native_id (native);

  fields = json_object_new ();
  state.fields = fields;
  rows = self->rows[kind];
  for (guint i = 0; i < rows->len; i++)
    {
      const TdmRow *row = g_ptr_array_index (rows, i);

      if (row->row.parent >= 0 || _tdm_mapping_row_is_identity (row))
        continue;
      map_row (&state, row, source, fields);
    }

  g_free (state.record_id);
  return fields;
}
