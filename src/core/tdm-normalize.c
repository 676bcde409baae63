/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-normalize"

#include "config.h"

#include "tdm-normalize-private.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tdm-error.h"

/* Value type names, the per-type normalizers of single values and
 * tdm_normalize_value(), which makes equal things compare equal (docs/sync.md,
 * Normalization). Beside this file: phone numbers (tdm-normalize-phone.c),
 * decimals and money (tdm-normalize-decimal.c), emails, dates and ISO codes
 * (tdm-normalize-text.c), and tags, weights, lists, objects and tax lines
 * (tdm-normalize-compound.c). */

/* ---- Type names ---- */

static const struct {
  const char   *name;
  TdmValueType  type;
} type_names[] = {
  /* the first entry of each type is its canonical name (tdm_value_type_to_name) */
  { "String", TDM_VALUE_STRING },
  { "Email", TDM_VALUE_EMAIL },
  { "Phone", TDM_VALUE_PHONE },
  { "[String]", TDM_VALUE_TAGS },
  { "Money", TDM_VALUE_MONEY },
  { "Decimal", TDM_VALUE_DECIMAL },
  { "Int", TDM_VALUE_INT },
  { "Boolean", TDM_VALUE_BOOLEAN },
  { "DateTime", TDM_VALUE_DATETIME },
  { "CountryCode", TDM_VALUE_COUNTRY_CODE },
  { "CurrencyCode", TDM_VALUE_CURRENCY_CODE },
  { "HTML", TDM_VALUE_HTML },
  { "ID", TDM_VALUE_ID },
  { "Enum", TDM_VALUE_ENUM },
  { "Weight", TDM_VALUE_WEIGHT },
  { "Reference", TDM_VALUE_REFERENCE },
  { "List", TDM_VALUE_LIST },
  { "Object", TDM_VALUE_OBJECT },
  { "[TaxLine]", TDM_VALUE_TAX_LINES },
  /* synonyms, as the Shopify data type column writes them */
  { "String (email)", TDM_VALUE_EMAIL },
  { "String (E.164)", TDM_VALUE_PHONE },
  { "Tags", TDM_VALUE_TAGS },
  { "Decimal (money)", TDM_VALUE_MONEY },
  { "Integer", TDM_VALUE_INT },
  { "UnsignedInt64", TDM_VALUE_INT },
  { "Bool", TDM_VALUE_BOOLEAN },
  { "Date", TDM_VALUE_DATETIME },
  { "URL", TDM_VALUE_STRING },
  { "id", TDM_VALUE_ID },
  { "ProductStatus", TDM_VALUE_ENUM },
  { "OrderDisplayFinancialStatus", TDM_VALUE_ENUM },
  { "OrderDisplayFulfillmentStatus", TDM_VALUE_ENUM },
  { "OrderCreateFinancialStatus", TDM_VALUE_ENUM },
  { "OrderCreateFulfillmentStatus", TDM_VALUE_ENUM },
  { "WeightUnit", TDM_VALUE_ENUM },
  { "CustomerEmailMarketingState", TDM_VALUE_BOOLEAN },
  { "Customer", TDM_VALUE_REFERENCE },
  { "Product", TDM_VALUE_REFERENCE },
  { "ProductVariant", TDM_VALUE_REFERENCE },
  { "[MailingAddress]", TDM_VALUE_LIST },
  { "[ProductVariant]", TDM_VALUE_LIST },
  { "[LineItem]", TDM_VALUE_LIST },
  { "[ShippingLine]", TDM_VALUE_LIST },
  { "[DiscountApplication]", TDM_VALUE_LIST },
  { "[Object]", TDM_VALUE_LIST },
  { "MailingAddress", TDM_VALUE_OBJECT },
  { "MoneyBag", TDM_VALUE_MONEY },
  { "[ProductOption]", TDM_VALUE_OBJECT },
  { "[SelectedOption]", TDM_VALUE_OBJECT },
};

gboolean
tdm_value_type_from_name (const char   *name,
                          TdmValueType *out_type)
{
  if (name == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (type_names); i++)
    {
      if (g_ascii_strcasecmp (name, type_names[i].name) == 0)
        {
          if (out_type != NULL)
            *out_type = type_names[i].type;
          return TRUE;
        }
    }
  return FALSE;
}

const char *
tdm_value_type_to_name (TdmValueType type)
{
  for (guint i = 0; i < G_N_ELEMENTS (type_names); i++)
    if (type_names[i].type == type)
      return type_names[i].name;
  g_return_val_if_reached (NULL);
}

/* ---- Shared helpers ---- */

gboolean
_tdm_normalize_is_trim_char (gunichar c)
{
  return g_unichar_isspace (c) || c == 0x00A0 || c == 0x200B || c == 0xFEFF || c == 0x202F;
}

/* Trim Unicode white space (including no-break spaces) at both ends and
 * compose to NFC. Returns NULL when nothing is left. */
char *
_tdm_normalize_clean_string (const char *in)
{
  const char *start = in;
  const char *end;

  if (in == NULL)
    return NULL;

  while (*start != '\0' && _tdm_normalize_is_trim_char (g_utf8_get_char (start)))
    start = g_utf8_next_char (start);
  end = start + strlen (start);
  while (end > start)
    {
      const char *prev = g_utf8_find_prev_char (start, end);

      if (prev == NULL || !_tdm_normalize_is_trim_char (g_utf8_get_char (prev)))
        break;
      end = prev;
    }
  if (end == start)
    return NULL;

  return g_utf8_normalize (start, end - start, G_NORMALIZE_NFC);
}

JsonNode *
_tdm_normalize_string_node (char *owned)
{
  JsonNode *node = json_node_new (JSON_NODE_VALUE);

  json_node_set_string (node, owned);
  g_free (owned);
  return node;
}

gboolean
_tdm_normalize_node_is_empty (JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (JSON_NODE_HOLDS_ARRAY (node))
    return json_array_get_length (json_node_get_array (node)) == 0;
  if (JSON_NODE_HOLDS_OBJECT (node))
    return json_object_get_size (json_node_get_object (node)) == 0;
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    {
      g_autofree char *s = _tdm_normalize_clean_string (json_node_get_string (node));
      return s == NULL;
    }
  return FALSE;
}

static char *
double_to_shortest (double value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  static const char *formats[] = { "%.15g", "%.16g", "%.17g" };

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_ascii_formatd (buf, sizeof buf, formats[i], value);
      if (g_ascii_strtod (buf, NULL) == value)
        break;
    }
  return g_strdup (buf);
}

/* The text of a scalar node: strings as they are, numbers in decimal. */
char *
_tdm_normalize_scalar_text (JsonNode *node)
{
  g_assert (node != NULL);

  if (!JSON_NODE_HOLDS_VALUE (node))
    return NULL;

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return g_strdup (json_node_get_string (node));
    case G_TYPE_INT64:
      return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
    case G_TYPE_DOUBLE:
      return double_to_shortest (json_node_get_double (node));
    case G_TYPE_BOOLEAN:
      return g_strdup (json_node_get_boolean (node) ? "true" : "false");
    default:
      return NULL;
    }
}

void
_tdm_normalize_set_invalid (GError    **error,
                            const char *message)
{
  g_set_error_literal (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_VALIDATION, message);
}

/* ---- Per-type normalizers of single values ---- */

typedef JsonNode *(*NormalizeFunc) (JsonNode                  *value,
                                    const TdmNormalizeOptions *options,
                                    GError                   **error);

static gboolean
require_scalar (JsonNode   *value,
                GError    **error)
{
  g_assert (value != NULL);

  if (JSON_NODE_HOLDS_VALUE (value))
    return TRUE;
  if (JSON_NODE_HOLDS_ARRAY (value))
    _tdm_normalize_set_invalid (error, _("A list was found where a single value is expected."));
  else
    _tdm_normalize_set_invalid (error,
      _("A group of values was found where a single value is expected."));
  return FALSE;
}

/* The text of the scalar @value, cleaned (_tdm_normalize_clean_string ());
 * NULL when it is not a scalar (@error says so) or cleans to nothing. */
static char *
require_clean_text (JsonNode  *value,
                    GError   **error)
{
  g_autofree char *text = NULL;

  if (!require_scalar (value, error))
    return NULL;
  text = _tdm_normalize_scalar_text (value);
  return _tdm_normalize_clean_string (text);
}

static JsonNode *
normalize_string (JsonNode                  *value,
                  const TdmNormalizeOptions *options,
                  GError                   **error)
{
  char *clean = require_clean_text (value, error);

  return clean != NULL ? _tdm_normalize_string_node (clean) : NULL;
}

typedef char *(*StringFunc) (const char *in, GError **error);

static JsonNode *
normalize_with (JsonNode   *value,
                StringFunc  func,
                GError    **error)
{
  g_autofree char *text = NULL;
  char *result;

  g_assert (func != NULL);

  if (!require_scalar (value, error))
    return NULL;
  text = _tdm_normalize_scalar_text (value);
  result = func (text, error);
  return result != NULL ? _tdm_normalize_string_node (result) : NULL;
}

static JsonNode *
normalize_phone (JsonNode                  *value,
                 const TdmNormalizeOptions *options,
                 GError                   **error)
{
  g_autofree char *text = NULL;
  char *result;

  if (!require_scalar (value, error))
    return NULL;
  text = _tdm_normalize_scalar_text (value);
  result = tdm_normalize_phone (text, options != NULL ? options->default_country : NULL, error);
  return result != NULL ? _tdm_normalize_string_node (result) : NULL;
}

static JsonNode *
normalize_decimal (JsonNode                  *value,
                   const TdmNormalizeOptions *options,
                   GError                   **error)
{
  g_assert (value != NULL);

  /* A MoneyBag / MoneyV2 object: {"amount": "…", "currencyCode": …} or
   * {"shopMoney": {"amount": …}} */
  if (JSON_NODE_HOLDS_OBJECT (value))
    {
      JsonObject *object = json_node_get_object (value);

      if (json_object_has_member (object, "shopMoney"))
        return normalize_decimal (json_object_get_member (object, "shopMoney"), options, error);
      if (json_object_has_member (object, "amount"))
        {
          JsonNode *amount = json_object_get_member (object, "amount");

          if (_tdm_normalize_node_is_empty (amount))
            return NULL;
          return normalize_decimal (amount, options, error);
        }
    }
  if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_BOOLEAN)
    {
      _tdm_normalize_set_invalid (error, _("Yes/no was found where a number is expected."));
      return NULL;
    }
  return normalize_with (value, tdm_normalize_decimal, error);
}

static JsonNode *
normalize_int (JsonNode                  *value,
               const TdmNormalizeOptions *options,
               GError                   **error)
{
  JsonNode *node;
  gint64 result = 0;

  if (!require_scalar (value, error))
    return NULL;

  switch (json_node_get_value_type (value))
    {
    case G_TYPE_INT64:
      result = json_node_get_int (value);
      break;

    case G_TYPE_DOUBLE:
    case G_TYPE_STRING:
      {
        g_autofree char *clean = require_clean_text (value, error);

        if (clean == NULL || !_tdm_normalize_parse_int64 (clean, &result))
          {
            g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_VALIDATION,
                         _("“%s” is not a whole number."), clean != NULL ? clean : "");
            return NULL;
          }
      }
      break;

    default:
      _tdm_normalize_set_invalid (error, _("Yes/no was found where a whole number is expected."));
      return NULL;
    }

  node = json_node_new (JSON_NODE_VALUE);
  json_node_set_int (node, result);
  return node;
}

static JsonNode *
normalize_boolean (JsonNode                  *value,
                   const TdmNormalizeOptions *options,
                   GError                   **error)
{
  static const char *yes[] = { "true", "1", "yes", "y", "on", "ja", "subscribed" };
  static const char *no[] = {
    "false", "0", "no", "n", "off", "nei", "unsubscribed", "not_subscribed"
  };
  g_autofree char *clean = NULL;
  JsonNode *node;
  int result = -1;

  if (!require_scalar (value, error))
    return NULL;

  if (json_node_get_value_type (value) == G_TYPE_BOOLEAN)
    result = json_node_get_boolean (value);
  else
    {
      clean = require_clean_text (value, error);
      for (guint i = 0; clean != NULL && i < G_N_ELEMENTS (yes) && result < 0; i++)
        if (g_ascii_strcasecmp (clean, yes[i]) == 0)
          result = TRUE;
      for (guint i = 0; clean != NULL && i < G_N_ELEMENTS (no) && result < 0; i++)
        if (g_ascii_strcasecmp (clean, no[i]) == 0)
          result = FALSE;
    }

  if (result < 0)
    {
      g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_VALIDATION,
                   _("“%s” is not a yes/no value. Use true or false."), clean != NULL ? clean : "");
      return NULL;
    }

  node = json_node_new (JSON_NODE_VALUE);
  json_node_set_boolean (node, result);
  return node;
}

static JsonNode *
normalize_datetime (JsonNode                  *value,
                    const TdmNormalizeOptions *options,
                    GError                   **error)
{
  g_assert (value != NULL);

  if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_INT64)
    {
      /* seconds since 1970 */
      g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (json_node_get_int (value));

      if (dt == NULL)
        {
          _tdm_normalize_set_invalid (error, _("The number is not a valid point in time."));
          return NULL;
        }
      return _tdm_normalize_string_node (g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ"));
    }
  return normalize_with (value, tdm_normalize_datetime, error);
}

static JsonNode *
normalize_html (JsonNode                  *value,
                const TdmNormalizeOptions *options,
                GError                   **error)
{
  g_autofree char *clean = require_clean_text (value, error);
  GString *out;

  if (clean == NULL)
    return NULL;

  out = g_string_sized_new (strlen (clean));
  for (const char *p = clean; *p != '\0'; p++)
    {
      if (*p == '\r')
        {
          g_string_append_c (out, '\n');
          if (p[1] == '\n')
            p++;
        }
      else
        g_string_append_c (out, *p);
    }
  return _tdm_normalize_string_node (g_string_free (out, FALSE));
}

static JsonNode *
normalize_enum (JsonNode                  *value,
                const TdmNormalizeOptions *options,
                GError                   **error)
{
  g_autofree char *clean = require_clean_text (value, error);

  if (clean == NULL)
    return NULL;
  return _tdm_normalize_string_node (g_utf8_strdown (clean, -1));
}

static JsonNode *
normalize_id (JsonNode                  *value,
              const TdmNormalizeOptions *options,
              GError                   **error)
{
  g_assert (value != NULL);

  if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_BOOLEAN)
    {
      _tdm_normalize_set_invalid (error, _("Yes/no was found where an id is expected."));
      return NULL;
    }
  return normalize_string (value, options, error);
}

/* ---- Dispatch ---- */

/* Each type's normalizer: a function of the JSON value, or for the types
 * that are plain text a function of the value's text (normalize_with ()). */
static const struct {
  NormalizeFunc func;
  StringFunc    text_func;
} normalizers[] = {
  [TDM_VALUE_STRING] = { normalize_string, NULL },
  [TDM_VALUE_EMAIL] = { NULL, tdm_normalize_email },
  [TDM_VALUE_PHONE] = { normalize_phone, NULL },
  [TDM_VALUE_TAGS] = { _tdm_normalize_tags_value, NULL },
  [TDM_VALUE_MONEY] = { normalize_decimal, NULL },
  [TDM_VALUE_DECIMAL] = { normalize_decimal, NULL },
  [TDM_VALUE_INT] = { normalize_int, NULL },
  [TDM_VALUE_BOOLEAN] = { normalize_boolean, NULL },
  [TDM_VALUE_DATETIME] = { normalize_datetime, NULL },
  [TDM_VALUE_COUNTRY_CODE] = { NULL, tdm_normalize_country_code },
  [TDM_VALUE_CURRENCY_CODE] = { NULL, tdm_normalize_currency },
  [TDM_VALUE_HTML] = { normalize_html, NULL },
  [TDM_VALUE_ID] = { normalize_id, NULL },
  [TDM_VALUE_ENUM] = { normalize_enum, NULL },
  [TDM_VALUE_WEIGHT] = { _tdm_normalize_weight_value, NULL },
  [TDM_VALUE_REFERENCE] = { normalize_id, NULL },
  [TDM_VALUE_LIST] = { _tdm_normalize_list_value, NULL },
  [TDM_VALUE_OBJECT] = { _tdm_normalize_object_value, NULL },
  [TDM_VALUE_TAX_LINES] = { _tdm_normalize_tax_lines_value, NULL },
};

JsonNode *
tdm_normalize_value (TdmValueType               type,
                     JsonNode                  *value,
                     const TdmNormalizeOptions *options,
                     GError                   **error)
{
  g_return_val_if_fail ((guint) type < G_N_ELEMENTS (normalizers), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (_tdm_normalize_node_is_empty (value))
    return NULL;
  if (normalizers[type].text_func != NULL)
    return normalize_with (value, normalizers[type].text_func, error);
  g_assert (normalizers[type].func != NULL);
  return normalizers[type].func (value, options, error);
}
