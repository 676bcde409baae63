/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-record-detail"

#include "config.h"

#include "tdm-detail-private.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tdm-money.h"

/* Canonical values in the owner's words: each mapping row's type decides
 * how (docs/sync.md, Normalization, describes the canonical forms). The
 * panel never shows JSON, markup or an id outside its technical details. */

/* ---- Rows ---- */

gboolean
_tdm_detail_value_is_empty (JsonNode *value)
{
  if (value == NULL || JSON_NODE_HOLDS_NULL (value))
    return TRUE;
  if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING)
    {
      const char *text = json_node_get_string (value);
      return text == NULL || *text == '\0';
    }
  if (JSON_NODE_HOLDS_ARRAY (value))
    return json_array_get_length (json_node_get_array (value)) == 0;
  if (JSON_NODE_HOLDS_OBJECT (value))
    return json_object_get_size (json_node_get_object (value)) == 0;
  return FALSE;
}

GPtrArray *
_tdm_detail_sub_rows (TdmMapping *mapping,
                      TdmKind     kind,
                      guint       index)
{
  GPtrArray *rows = tdm_mapping_get_rows (mapping, kind);
  GPtrArray *children = g_ptr_array_new ();

  for (guint i = index + 1; i < rows->len; i++)
    {
      const TdmMappingRow *row = g_ptr_array_index (rows, i);

      if (row->parent == (int) index)
        g_ptr_array_add (children, (gpointer) row);
    }
  return children;
}

gboolean
_tdm_detail_row_is_structured (TdmMapping *mapping,
                               TdmKind     kind,
                               guint       index)
{
  const TdmMappingRow *row = g_ptr_array_index (tdm_mapping_get_rows (mapping, kind), index);
  g_autoptr(GPtrArray) children = NULL;

  if (row->type != TDM_VALUE_LIST && row->type != TDM_VALUE_OBJECT)
    return FALSE;
  children = _tdm_detail_sub_rows (mapping, kind, index);
  return children->len > 0;
}

JsonNode *
_tdm_detail_member (JsonNode   *object,
                    const char *name)
{
  if (object == NULL || !JSON_NODE_HOLDS_OBJECT (object))
    return NULL;
  return json_object_get_member (json_node_get_object (object), name);
}

/* "first_name" → "First name", for names the mapping has no row for. */
static char *
humanize (const char *name)
{
  g_autofree char *text = g_strdelimit (g_strdup (name), "_.-", ' ');

  g_assert (name != NULL);

  g_strstrip (text);
  if (text[0] != '\0')
    text[0] = g_ascii_toupper (text[0]);
  return g_steal_pointer (&text);
}

char *
_tdm_detail_field_label (TdmMapping *mapping,
                         TdmKind     kind,
                         const char *name)
{
  const TdmMappingRow *row = mapping != NULL ? tdm_mapping_find_row (mapping, kind, name) : NULL;

  if (row != NULL)
    return g_strdup (tdm_mapping_row_get_label (row));
  return humanize (name);
}

char *
_tdm_detail_not_writable_text (TdmKind              kind,
                               const TdmMappingRow *row)
{
  g_assert (row != NULL);

  if (row->writable == TDM_WRITABLE_NEVER)
    return g_strdup (_("The mapping says this field is only compared, never written."));

  if (row->writable == TDM_WRITABLE_CREATE_ONLY && kind == TDM_KIND_ORDER &&
      row->direction == TDM_DIRECTION_TO_WEBSHOP)
    return g_strdup (_("Shopify works this out; Tandem copies it to the webshop only when it "
                       "creates the order there."));
  if (row->writable == TDM_WRITABLE_CREATE_ONLY && kind == TDM_KIND_ORDER)
    {
      if (g_strcmp0 (row->name, "line_items") == 0)
        return g_strdup (_("Shopify does not let apps change an order’s lines after it is "
                           "placed."));
      if (g_strcmp0 (row->name, "shipping_lines") == 0)
        return g_strdup (_("Shopify does not let apps change an order’s shipping after it is "
                           "placed."));
      if (g_strcmp0 (row->name, "tax_lines") == 0)
        return g_strdup (_("Shopify does not let apps change an order’s taxes after it is "
                           "placed."));
      if (g_strcmp0 (row->name, "discounts") == 0)
        return g_strdup (_("Shopify keeps one discount code per order: Tandem sends the "
                           "webshop’s codes as one, with their total amount, so the order’s "
                           "totals agree. The webshop keeps discounts per order: Shopify’s "
                           "discounts on single lines reach it added up, and a percentage "
                           "code without its amount."));
      if (g_strcmp0 (row->name, "customer_id") == 0)
        return g_strdup (_("Shopify does not let apps change who placed an order."));
      return g_strdup (_("Shopify does not let apps change this after the order is placed."));
    }
  if (row->writable == TDM_WRITABLE_CREATE_ONLY)
    return g_strdup (_("This is only written when the record is created in the other shop."));

  switch (row->direction)
    {
    case TDM_DIRECTION_TO_WEBSHOP:
      return g_strdup (_("Tandem only copies this from Shopify to the webshop."));
    case TDM_DIRECTION_TO_SHOPIFY:
      return g_strdup (_("Tandem only copies this from the webshop to Shopify."));
    case TDM_DIRECTION_OFF:
      return g_strdup (_("The mapping turns this field off."));
    case TDM_DIRECTION_BOTH:
    default:
      return NULL;
    }
}

/* ---- Values ---- */

static char *scalar_text (const TdmDetailFormat *format,
                          JsonNode              *value);

static char *
join_texts (GPtrArray  *texts,
            const char *separator)
{
  g_ptr_array_add (texts, NULL);
  return g_strjoinv (separator, (char **) texts->pdata);
}

/* The non-empty values of an object, in words, without their keys. */
static char *
object_values_text (const TdmDetailFormat *format,
                    JsonObject            *object,
                    gboolean               with_keys)
{
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GList) members = json_object_get_members (object);

  g_assert (format != NULL);

  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *member = json_object_get_member (object, l->data);
      g_autofree char *text = NULL;

      if (_tdm_detail_value_is_empty (member) || (text = scalar_text (format, member)) == NULL)
        continue;
      /* Translators: a product option, "Size: M". */
      g_ptr_array_add (texts, with_keys ? g_strdup_printf (_("%s: %s"), (char *) l->data, text)
                                        : g_steal_pointer (&text));
    }
  return texts->len > 0 ? join_texts (texts, ", ") : NULL;
}

static char *
array_text (const TdmDetailFormat *format,
            JsonArray             *array)
{
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);

  g_assert (format != NULL);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *item = json_array_get_element (array, i);
      g_autofree char *text = NULL;

      if (!_tdm_detail_value_is_empty (item) && (text = scalar_text (format, item)) != NULL)
        g_ptr_array_add (texts, g_steal_pointer (&text));
    }
  return texts->len > 0 ? join_texts (texts, ", ") : NULL;
}

/* Any value without a row type to go by: text as it is, numbers in the
 * locale's way, objects and lists as their values. */
static char *
scalar_text (const TdmDetailFormat *format,
             JsonNode              *value)
{
  g_assert (format != NULL);

  if (_tdm_detail_value_is_empty (value))
    return NULL;
  if (JSON_NODE_HOLDS_OBJECT (value))
    return object_values_text (format, json_node_get_object (value), FALSE);
  if (JSON_NODE_HOLDS_ARRAY (value))
    return array_text (format, json_node_get_array (value));

  switch (json_node_get_value_type (value))
    {
    case G_TYPE_STRING:
      return g_strdup (json_node_get_string (value));
    case G_TYPE_BOOLEAN:
      return g_strdup (json_node_get_boolean (value) ? _("Yes") : _("No"));
    case G_TYPE_INT64:
      {
        g_autofree char *digits = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (value));
        return tdm_format_decimal (format->locale, digits, 0);
      }
    case G_TYPE_DOUBLE:
      {
        char buf[G_ASCII_DTOSTR_BUF_SIZE];
        return tdm_format_decimal (format->locale,
                                   g_ascii_dtostr (buf, sizeof buf, json_node_get_double (value)),
                                   0);
      }
    default:
      return NULL;
    }
}

/* A decimal amount as text: "995", 995 or {"amount": "995", "currencyCode": "NOK"}. */
static char *
money_text (const TdmDetailFormat *format,
            JsonNode              *value)
{
  const char *currency = format->currency;
  g_autofree char *amount = NULL;

  g_assert (format != NULL);

  if (JSON_NODE_HOLDS_OBJECT (value))
    {
      JsonNode *shop = _tdm_detail_member (value, "shopMoney");
      JsonNode *inner = shop != NULL ? shop : value;
      JsonNode *code = _tdm_detail_member (inner, "currencyCode");

      if (code != NULL && JSON_NODE_HOLDS_VALUE (code))
        currency = json_node_get_string (code);
      value = _tdm_detail_member (inner, "amount");
      if (value == NULL)
        return scalar_text (format, inner);
    }
  amount = scalar_text (format, value);
  if (amount == NULL)
    return NULL;
  if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING)
    return tdm_format_money (format->locale, json_node_get_string (value), currency);
  return g_steal_pointer (&amount);
}

/* An order line's tax lines: "MVA 25 %: kr 100,00". */
static char *
tax_lines_text (const TdmDetailFormat *format,
                JsonNode              *value)
{
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  JsonArray *lines;

  g_assert (format != NULL);

  if (!JSON_NODE_HOLDS_ARRAY (value))
    return scalar_text (format, value);
  lines = json_node_get_array (value);
  for (guint i = 0; i < json_array_get_length (lines); i++)
    {
      JsonNode *line = json_array_get_element (lines, i);
      JsonNode *title = _tdm_detail_member (line, "title");
      JsonNode *rate = _tdm_detail_member (line, "rate");
      JsonNode *price = _tdm_detail_member (line, "price");
      g_autofree char *percent = NULL;
      g_autofree char *rate_text = NULL;
      g_autofree char *amount = NULL;
      gint64 micros = 0;

      if (rate == NULL || price == NULL || !JSON_NODE_HOLDS_VALUE (rate) ||
          json_node_get_value_type (rate) != G_TYPE_STRING ||
          !tdm_money_to_micros (json_node_get_string (rate), &micros))
        continue;
      percent = tdm_money_from_micros (micros * 100);
      rate_text = tdm_format_decimal (format->locale, percent, 0);
      amount = money_text (format, price);
      g_ptr_array_add (texts,
                       /* Translators: a tax line: its title, its rate in percent and its
                        * amount, “MVA 25 %: kr 100,00” */
                       g_strdup_printf (_("%s %s %%: %s"),
                                        title != NULL && JSON_NODE_HOLDS_VALUE (title) &&
                                        json_node_get_value_type (title) == G_TYPE_STRING
                                        ? json_node_get_string (title) : "",
                                        rate_text, amount != NULL ? amount : ""));
    }
  return texts->len > 0 ? join_texts (texts, ", ") : NULL;
}

static char *
weight_text (const TdmDetailFormat *format,
             JsonNode              *value)
{
  JsonNode *amount = _tdm_detail_member (value, "value");
  JsonNode *unit = _tdm_detail_member (value, "unit");

  g_assert (format != NULL);

  if (amount == NULL || !JSON_NODE_HOLDS_VALUE (amount) ||
      json_node_get_value_type (amount) != G_TYPE_STRING)
    return scalar_text (format, value);
  return tdm_format_weight (format->locale, json_node_get_string (amount),
                            unit != NULL && JSON_NODE_HOLDS_VALUE (unit)
                            ? json_node_get_string (unit) : NULL);
}

/* Another record by its title; never its id. */
static char *
reference_text (const TdmDetailFormat *format,
                const TdmMappingRow   *row,
                JsonNode              *value)
{
  const char *id = JSON_NODE_HOLDS_VALUE (value) ? json_node_get_string (value) : NULL;
  const char *title = NULL;
  gboolean product = g_strcmp0 (row->transform, "product_ref") == 0;

  g_assert (format != NULL);

  if (id != NULL && format->references != NULL)
    title = g_hash_table_lookup (format->references, id);
  if (title != NULL && *title != '\0')
    return g_strdup (title);
  if (id != NULL && g_str_has_prefix (id, "gid://"))
    return g_strdup (product ? _("A Shopify product that is not linked yet")
                             : _("A Shopify customer that is not linked yet"));
  return g_strdup (product ? _("A product Tandem has not read yet")
                           : _("A customer Tandem has not read yet"));
}

static gboolean
is_string (JsonNode *value)
{
  return JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING;
}

char *
_tdm_detail_value_text (const TdmDetailFormat *format,
                        const TdmMappingRow   *row,
                        JsonNode              *value)
{
  g_return_val_if_fail (format != NULL && row != NULL, NULL);

  if (_tdm_detail_value_is_empty (value))
    return NULL;

  switch (row->type)
    {
    case TDM_VALUE_PHONE:
      return is_string (value) ? tdm_format_phone (json_node_get_string (value))
                               : scalar_text (format, value);
    case TDM_VALUE_MONEY:
      return money_text (format, value);
    case TDM_VALUE_DECIMAL:
      /* A price without VAT is an amount of money. */
      if (g_strcmp0 (row->transform, "vat_exclusive") == 0)
        return money_text (format, value);
      return is_string (value)
             ? tdm_format_decimal (format->locale, json_node_get_string (value), 0)
             : scalar_text (format, value);
    case TDM_VALUE_BOOLEAN:
      if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_BOOLEAN &&
          g_strcmp0 (row->transform, "marketing_state") == 0)
        return g_strdup (json_node_get_boolean (value) ? _("Subscribed") : _("Not subscribed"));
      return scalar_text (format, value);
    case TDM_VALUE_DATETIME:
      return is_string (value) ? tdm_format_timestamp (format->locale, json_node_get_string (value),
                                                       NULL, format->now)
                               : scalar_text (format, value);
    case TDM_VALUE_COUNTRY_CODE:
      return is_string (value) ? tdm_format_country (json_node_get_string (value))
                               : scalar_text (format, value);
    case TDM_VALUE_HTML:
      return is_string (value) ? tdm_format_html_to_text (json_node_get_string (value))
                               : scalar_text (format, value);
    case TDM_VALUE_ENUM:
      return is_string (value) ? tdm_format_state (json_node_get_string (value))
                               : scalar_text (format, value);
    case TDM_VALUE_WEIGHT:
      return weight_text (format, value);
    case TDM_VALUE_TAX_LINES:
      return tax_lines_text (format, value);
    case TDM_VALUE_REFERENCE:
      return reference_text (format, row, value);
    case TDM_VALUE_OBJECT:
      /* MoneyBag totals are amounts. */
      if (strstr (row->type_name, "Money") != NULL)
        return money_text (format, value);
      if (JSON_NODE_HOLDS_OBJECT (value))
        return object_values_text (format, json_node_get_object (value),
                                   g_strcmp0 (row->transform, "options_map") == 0);
      return scalar_text (format, value);
    case TDM_VALUE_LIST:
      if (JSON_NODE_HOLDS_OBJECT (value))
        return object_values_text (format, json_node_get_object (value),
                                   g_strcmp0 (row->transform, "options_map") == 0);
      if (JSON_NODE_HOLDS_ARRAY (value) &&
          json_array_get_length (json_node_get_array (value)) > 0 &&
          JSON_NODE_HOLDS_OBJECT (json_array_get_element (json_node_get_array (value), 0)))
        {
          guint n = json_array_get_length (json_node_get_array (value));
          return g_strdup_printf (ngettext ("%u entry", "%u entries", n), n);
        }
      return scalar_text (format, value);
    case TDM_VALUE_STRING:
      /* A customer's language is a code ("nb"): in words. */
      if (g_strcmp0 (row->name, "locale") == 0 && is_string (value))
        return tdm_format_language (json_node_get_string (value));
      return scalar_text (format, value);
    case TDM_VALUE_EMAIL:
    case TDM_VALUE_TAGS:
    case TDM_VALUE_INT:
    case TDM_VALUE_CURRENCY_CODE:
    case TDM_VALUE_ID:
    default:
      return scalar_text (format, value);
    }
}
