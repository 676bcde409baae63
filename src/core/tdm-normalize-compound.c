/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-normalize"

#include "config.h"

#include "tdm-normalize-private.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tdm-error.h"

/* The per-type normalizers of values made of parts: tag sets, weights, lists
 * and objects (whose members the mapping's sub-rows normalize), and tax
 * lines; see docs/sync.md, Normalization. tdm_normalize_value() dispatches
 * here. */

/* ---- Tags ---- */

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

JsonNode *
_tdm_normalize_tags_value (JsonNode                  *value,
                           const TdmNormalizeOptions *options,
                           GError                   **error)
{
  g_autoptr(GPtrArray) tags = g_ptr_array_new_with_free_func (g_free);
  JsonArray *result;
  JsonNode *node;

  g_assert (value != NULL);

  if (JSON_NODE_HOLDS_ARRAY (value))
    {
      JsonArray *array = json_node_get_array (value);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);
          g_autofree char *text = NULL;
          char *clean;

          if (JSON_NODE_HOLDS_NULL (element))
            continue;
          if (!JSON_NODE_HOLDS_VALUE (element))
            {
              _tdm_normalize_set_invalid (error,
                _("A tag list may only hold words, not groups of values."));
              return NULL;
            }
          text = _tdm_normalize_scalar_text (element);
          clean = _tdm_normalize_clean_string (text);
          if (clean != NULL)
            g_ptr_array_add (tags, clean);
        }
    }
  else if (JSON_NODE_HOLDS_VALUE (value))
    {
      g_autofree char *text = _tdm_normalize_scalar_text (value);
      g_auto(GStrv) parts = g_strsplit (text, ",", -1);

      for (guint i = 0; parts[i] != NULL; i++)
        {
          char *clean = _tdm_normalize_clean_string (parts[i]);
          if (clean != NULL)
            g_ptr_array_add (tags, clean);
        }
    }
  else
    {
      _tdm_normalize_set_invalid (error,
                                  _("Tags must be a list of words or a comma-separated text."));
      return NULL;
    }

  if (tags->len == 0)
    return NULL;

  g_ptr_array_sort (tags, compare_strings);
  result = json_array_new ();
  for (guint i = 0; i < tags->len; i++)
    {
      const char *tag = g_ptr_array_index (tags, i);

      if (i > 0 && strcmp (tag, g_ptr_array_index (tags, i - 1)) == 0)
        continue;
      json_array_add_string_element (result, tag);
    }
  node = json_node_new (JSON_NODE_ARRAY);
  json_node_take_array (node, result);
  return node;
}

/* ---- Weights ---- */

static const struct {
  const char *spelling;
  const char *unit;
} weight_units[] = {
  { "kg", "kg" }, { "kilograms", "kg" }, { "kilogram", "kg" }, { "kgs", "kg" },
  { "g", "g" }, { "grams", "g" }, { "gram", "g" }, { "gr", "g" },
  { "lb", "lb" }, { "pounds", "lb" }, { "pound", "lb" }, { "lbs", "lb" },
  { "oz", "oz" }, { "ounces", "oz" }, { "ounce", "oz" },
};

/* Canonical weight unit for any accepted spelling ("KILOGRAMS" → "kg"), or NULL. */
const char *
tdm_weight_unit_canonical (const char *spelling)
{
  if (spelling == NULL)
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (weight_units); i++)
    if (g_ascii_strcasecmp (spelling, weight_units[i].spelling) == 0)
      return weight_units[i].unit;
  return NULL;
}

JsonNode *
_tdm_normalize_weight_value (JsonNode                  *value,
                             const TdmNormalizeOptions *options,
                             GError                   **error)
{
  JsonObject *object;
  JsonObject *result;
  JsonNode *node;
  g_autofree char *value_text = NULL;
  g_autofree char *unit_text = NULL;
  g_autofree char *amount = NULL;
  const char *unit;

  g_assert (value != NULL);

  if (!JSON_NODE_HOLDS_OBJECT (value))
    {
      _tdm_normalize_set_invalid (error,
                                  _("A weight needs a value and a unit, for example 0.5 kg."));
      return NULL;
    }
  object = json_node_get_object (value);
  if (!json_object_has_member (object, "value") ||
      _tdm_normalize_node_is_empty (json_object_get_member (object, "value")))
    return NULL;

  value_text = _tdm_normalize_scalar_text (json_object_get_member (object, "value"));
  if (value_text == NULL ||
      json_node_get_value_type (json_object_get_member (object, "value")) == G_TYPE_BOOLEAN)
    {
      _tdm_normalize_set_invalid (error, _("The weight is not a number."));
      return NULL;
    }
  amount = tdm_normalize_decimal (value_text, error);
  if (amount == NULL)
    return NULL;
  /* Shopify reports 0 kg for variants whose weight was never set: no weight */
  if (strcmp (amount, "0") == 0)
    return NULL;
  if (amount[0] == '-')
    {
      g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_VALIDATION,
                   _("The weight %s is negative."), amount);
      return NULL;
    }

  if (json_object_has_member (object, "unit") &&
      !_tdm_normalize_node_is_empty (json_object_get_member (object, "unit")))
    unit_text = _tdm_normalize_scalar_text (json_object_get_member (object, "unit"));
  if (unit_text == NULL)
    {
      g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_VALIDATION,
                   _("The weight %s has no unit. Give the unit as kg, g, lb or oz."), amount);
      return NULL;
    }
  g_strstrip (unit_text);
  unit = tdm_weight_unit_canonical (unit_text);
  if (unit == NULL)
    {
      g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_VALIDATION,
                   _("“%s” is not a weight unit. Use kg, g, lb or oz."), unit_text);
      return NULL;
    }

  result = json_object_new ();
  json_object_set_string_member (result, "value", amount);
  json_object_set_string_member (result, "unit", unit);
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, result);
  return node;
}

/* ---- Lists and objects ---- */

JsonNode *
_tdm_normalize_list_value (JsonNode                  *value,
                           const TdmNormalizeOptions *options,
                           GError                   **error)
{
  JsonArray *array;
  JsonArray *result;
  JsonNode *node;

  g_assert (value != NULL);

  if (!JSON_NODE_HOLDS_ARRAY (value))
    {
      _tdm_normalize_set_invalid (error, _("A single value was found where a list is expected."));
      return NULL;
    }

  array = json_node_get_array (value);
  result = json_array_new ();
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_NULL (element))
        continue;
      if (!JSON_NODE_HOLDS_OBJECT (element))
        {
          json_array_unref (result);
          _tdm_normalize_set_invalid (error,
            _("The list holds a single value where a group of values is expected."));
          return NULL;
        }
      if (json_object_get_size (json_node_get_object (element)) == 0)
        continue;
      json_array_add_element (result, json_node_copy (element));
    }
  if (json_array_get_length (result) == 0)
    {
      json_array_unref (result);
      return NULL;
    }
  node = json_node_new (JSON_NODE_ARRAY);
  json_node_take_array (node, result);
  return node;
}

/* A generic object (options {"Size": "M"}, an address without sub-rows):
 * scalar members are cleaned like strings, empty members dropped. */
JsonNode *
_tdm_normalize_object_value (JsonNode                  *value,
                             const TdmNormalizeOptions *options,
                             GError                   **error)
{
  JsonObject *object;
  JsonObject *result;
  JsonNode *node;
  GList *members;

  g_assert (value != NULL);

  if (!JSON_NODE_HOLDS_OBJECT (value))
    {
      _tdm_normalize_set_invalid (error,
        _("A single value was found where a group of values is expected."));
      return NULL;
    }
  object = json_node_get_object (value);
  result = json_object_new ();
  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    {
      g_autofree char *key = _tdm_normalize_clean_string (l->data);
      JsonNode *member = json_object_get_member (object, l->data);

      if (key == NULL || _tdm_normalize_node_is_empty (member))
        continue;
      if (JSON_NODE_HOLDS_VALUE (member))
        {
          g_autofree char *text = _tdm_normalize_scalar_text (member);
          char *clean = _tdm_normalize_clean_string (text);

          if (clean != NULL)
            json_object_set_member (result, key, _tdm_normalize_string_node (clean));
        }
      else
        json_object_set_member (result, key, json_node_copy (member));
    }
  g_list_free (members);

  if (json_object_get_size (result) == 0)
    {
      json_object_unref (result);
      return NULL;
    }
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, result);
  return node;
}

/* ---- Tax lines ---- */

/* The rate of one tax line: a decimal fraction from 0 to 1 ("0.25" for
 * 25 %), or NULL + error saying what to write instead. */
static char *
tax_line_rate (JsonObject  *line,
               const char  *title,
               GError     **error)
{
  JsonNode *raw = json_object_get_member (line, "rate");
  g_autoptr(JsonNode) rate = NULL;
  const char *text;

  if (raw == NULL || _tdm_normalize_node_is_empty (raw))
    {
      g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_VALIDATION,
                   /* Translators: a tax line's title, e.g. "MVA" */
                   _("The tax line “%s” has no rate. Give it as a decimal fraction, such as "
                     "0.25 for 25 %%."), title);
      return NULL;
    }
  rate = tdm_normalize_value (TDM_VALUE_DECIMAL, raw, NULL, error);
  if (rate == NULL)
    return NULL;
  text = json_node_get_string (rate);
  if (text[0] == '-' || tdm_decimal_compare (text, "1") > 0)
    {
      g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_VALIDATION,
                   _("The rate %s of the tax line “%s” is not a fraction from 0 to 1. Give "
                     "25 %% as 0.25."), text, title);
      return NULL;
    }
  return g_strdup (text);
}

/* The amount of one tax line: its "price" (the webshop) or "priceSet"
 * (Shopify), as canonical money. */
static char *
tax_line_price (JsonObject  *line,
                const char  *title,
                GError     **error)
{
  JsonNode *raw = json_object_get_member (line, "price");
  g_autoptr(JsonNode) price = NULL;

  if (raw == NULL || _tdm_normalize_node_is_empty (raw))
    raw = json_object_get_member (line, "priceSet");
  if (raw == NULL || _tdm_normalize_node_is_empty (raw))
    {
      g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_VALIDATION,
                   _("The tax line “%s” has no amount. Give the tax in “price”, such as "
                     "\"29.80\"."), title);
      return NULL;
    }
  price = tdm_normalize_value (TDM_VALUE_MONEY, raw, NULL, error);
  return price != NULL ? g_strdup (json_node_get_string (price)) : NULL;
}

/* One tax line → {"title", "rate", "price"}, or NULL + error. */
static JsonObject *
normalize_tax_line (JsonNode  *element,
                    GError   **error)
{
  JsonObject *line;
  JsonNode *title_node;
  g_autofree char *title = NULL;
  g_autofree char *rate = NULL;
  g_autofree char *price = NULL;
  JsonObject *result;

  g_assert (element != NULL);

  if (!JSON_NODE_HOLDS_OBJECT (element))
    {
      _tdm_normalize_set_invalid (error, _("A tax line must be a group of values: title, "
                                           "rate and price."));
      return NULL;
    }
  line = json_node_get_object (element);
  title_node = json_object_get_member (line, "title");
  if (title_node != NULL && JSON_NODE_HOLDS_VALUE (title_node))
    {
      g_autofree char *text = _tdm_normalize_scalar_text (title_node);
      title = _tdm_normalize_clean_string (text);
    }
  rate = tax_line_rate (line, title != NULL ? title : "", error);
  if (rate == NULL)
    return NULL;
  price = tax_line_price (line, title != NULL ? title : "", error);
  if (price == NULL)
    return NULL;

  result = json_object_new ();
  if (title != NULL)
    json_object_set_string_member (result, "title", title);
  json_object_set_string_member (result, "rate", rate);
  json_object_set_string_member (result, "price", price);
  return result;
}

JsonNode *
_tdm_normalize_tax_lines_value (JsonNode                  *value,
                                const TdmNormalizeOptions *options,
                                GError                   **error)
{
  g_autoptr(JsonArray) result = NULL;
  JsonArray *array;
  JsonNode *node;

  g_assert (value != NULL);

  if (!JSON_NODE_HOLDS_ARRAY (value))
    {
      _tdm_normalize_set_invalid (error, _("A single value was found where a list of tax "
                                           "lines is expected."));
      return NULL;
    }
  array = json_node_get_array (value);
  result = json_array_new ();
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      JsonObject *line;

      if (JSON_NODE_HOLDS_NULL (element))
        continue;
      line = normalize_tax_line (element, error);
      if (line == NULL)
        return NULL;
      json_array_add_object_element (result, line);
    }
  if (json_array_get_length (result) == 0)
    return NULL;
  node = json_node_new (JSON_NODE_ARRAY);
  json_node_take_array (node, g_steal_pointer (&result));
  return node;
}
