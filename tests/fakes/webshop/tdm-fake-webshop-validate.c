/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-fake-webshop"

#include "config.h"

#include "tdm-fake-webshop-private.h"

#include <string.h>

/* Validation the way a real shop rejects records (422 naming the field)
 * and its unique checks (409 naming the existing record): customer email,
 * product SKU; an order's money, tax lines, discounts and totals, which
 * must agree to the cent (docs/webshop-api.md, Errors and § order). */

#define SHORT_TEXT_MAX 255
#define LONG_TEXT_MAX  65535

/* ---- Values ---- */

static gboolean
is_valid_email (const char *email)
{
  const char *at = strchr (email, '@');

  if (at == NULL || at == email || strchr (at + 1, '@') != NULL)
    return FALSE;
  if (strpbrk (email, " \t,;<>") != NULL)
    return FALSE;
  return strchr (at + 1, '.') != NULL && at[1] != '.' && email[strlen (email) - 1] != '.';
}

static gboolean
is_decimal_string (const char *value)
{
  g_autoptr(GRegex) regex = g_regex_new ("^-?[0-9]+(\\.[0-9]+)?$", 0, 0, NULL);

  return value != NULL && g_regex_match (regex, value, 0, NULL);
}

static gboolean
problem (FakeProblem    *p,
         const char *field,
         const char *message)
{
  p->field = g_strdup (field);
  p->message = g_strdup (message);
  return FALSE;
}

static gboolean
check_lengths (JsonNode   *node,
               const char *path,
               FakeProblem    *p)
{
  if (node == NULL)
    return TRUE;
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr(GList) members = json_object_get_members (object);

      for (GList *l = members; l != NULL; l = l->next)
        {
          g_autofree char *child = *path ? g_strdup_printf ("%s.%s", path, (char *) l->data)
                                         : g_strdup (l->data);

          if (!check_lengths (json_object_get_member (object, l->data), child, p))
            return FALSE;
        }
      return TRUE;
    }
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          g_autofree char *child = g_strdup_printf ("%s[%u]", path, i);

          if (!check_lengths (json_array_get_element (array, i), child, p))
            return FALSE;
        }
      return TRUE;
    }
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      const char *value = json_node_get_string (node);
      gboolean is_long = g_str_has_suffix (path, "description_html")
                         || g_str_equal (path, "note");
      glong max = is_long ? LONG_TEXT_MAX : SHORT_TEXT_MAX;

      if (!g_utf8_validate (value, -1, NULL))
        return problem (p, path, "The value is not valid UTF-8 text.");
      if (g_utf8_strlen (value, -1) > max)
        {
          g_autofree char *msg = g_strdup_printf ("The value is too long (at most %ld "
                                                  "characters).", max);
          return problem (p, path, msg);
        }
    }
  return TRUE;
}

static gboolean
check_enum (JsonObject         *record,
            const char         *field,
            const char * const *allowed,
            FakeProblem            *p)
{
  JsonNode *node = json_object_get_member (record, field);
  const char *value;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  value = _tdm_fake_webshop_get_string (record, field);
  if (value == NULL || !g_strv_contains (allowed, value))
    {
      g_autofree char *joined = g_strjoinv (", ", (char **) allowed);
      g_autofree char *msg = g_strdup_printf ("The value must be one of: %s.", joined);

      return problem (p, field, msg);
    }
  return TRUE;
}

static gboolean
check_money (JsonObject *record,
             const char *field,
             const char *path,
             FakeProblem    *p)
{
  JsonNode *node = json_object_get_member (record, field);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING
      || !is_decimal_string (json_node_get_string (node)))
    return problem (p, path, "Amounts must be decimal strings such as \"129.90\".");
  return TRUE;
}

/* Amounts in cents, without a float: "129.9" → 12990 (two decimals kept). */
static gint64
cents_of (const char *amount)
{
  gint64 whole = 0, frac = 0;
  gboolean negative = FALSE;
  const char *p = amount;

  if (p == NULL)
    return 0;
  if (*p == '-')
    {
      negative = TRUE;
      p++;
    }
  while (g_ascii_isdigit (*p))
    whole = whole * 10 + (*p++ - '0');
  if (*p == '.')
    {
      p++;
      for (guint i = 0; i < 2; i++)
        frac = frac * 10 + (g_ascii_isdigit (*p) ? *p++ - '0' : 0);
    }
  return (negative ? -1 : 1) * (whole * 100 + frac);
}

/* A list member of `record` that is absent, null or a list of objects;
 * sets `out` (NULL when absent). */
static gboolean
check_object_list (JsonObject  *record,
                   const char  *field,
                   const char  *path,
                   JsonArray  **out,
                   FakeProblem *p)
{
  JsonNode *node = json_object_get_member (record, field);
  JsonArray *array;

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return problem (p, path, "This must be a list.");
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    if (!JSON_NODE_HOLDS_OBJECT (json_array_get_element (array, i)))
      return problem (p, path, "Each entry of the list must be an object.");
  *out = array;
  return TRUE;
}

/* tax_lines of a line or shipping line: {title, rate ("0.25", a fraction
 * from 0 to 1), price}; adds their amounts to `sum`. */
static gboolean
check_tax_lines (JsonObject  *line,
                 const char  *path,
                 gint64      *sum,
                 FakeProblem *p)
{
  g_autofree char *list_path = g_strdup_printf ("%s.tax_lines", path);
  JsonArray *taxes;

  if (!check_object_list (line, "tax_lines", list_path, &taxes, p))
    return FALSE;
  for (guint i = 0; taxes != NULL && i < json_array_get_length (taxes); i++)
    {
      JsonObject *tax = json_array_get_object_element (taxes, i);
      const char *rate = _tdm_fake_webshop_get_string (tax, "rate");
      g_autofree char *rate_path = g_strdup_printf ("%s[%u].rate", list_path, i);
      g_autofree char *price_path = g_strdup_printf ("%s[%u].price", list_path, i);

      if (rate == NULL || !is_decimal_string (rate) || rate[0] == '-'
          || g_ascii_strtod (rate, NULL) > 1.0)
        return problem (p, rate_path, "A tax rate is a decimal fraction from 0 to 1 as a "
                                      "string, such as \"0.25\" for 25 %.");
      if (!json_object_has_member (tax, "price"))
        return problem (p, price_path, "A tax line needs its amount in price.");
      if (!check_money (tax, "price", price_path, p))
        return FALSE;
      *sum += cents_of (_tdm_fake_webshop_get_string (tax, "price"));
    }
  return TRUE;
}

/* The money of one line item or shipping line (`price_member`) and its tax
 * lines; adds price × quantity to `sum` and the taxes to `taxes`. */
static gboolean
check_line_money (JsonObject  *line,
                  const char  *path,
                  const char  *price_member,
                  gint64      *sum,
                  gint64      *taxes,
                  FakeProblem *p)
{
  g_autofree char *price_path = g_strdup_printf ("%s.%s", path, price_member);
  JsonNode *qty = json_object_get_member (line, "quantity");

  if (!check_money (line, price_member, price_path, p) || !check_tax_lines (line, path, taxes, p))
    return FALSE;
  *sum += cents_of (_tdm_fake_webshop_get_string (line, price_member))
          * (qty != NULL && JSON_NODE_HOLDS_VALUE (qty)
             && json_node_get_value_type (qty) == G_TYPE_INT64 ? json_node_get_int (qty) : 1);
  return TRUE;
}

/* An order's discounts: [{code, amount}]; adds the amounts to `sum`. */
static gboolean
check_discounts (JsonObject  *record,
                 gint64      *sum,
                 FakeProblem *p)
{
  JsonArray *discounts;

  if (!check_object_list (record, "discounts", "discounts", &discounts, p))
    return FALSE;
  for (guint i = 0; discounts != NULL && i < json_array_get_length (discounts); i++)
    {
      JsonObject *d = json_array_get_object_element (discounts, i);
      g_autofree char *path = g_strdup_printf ("discounts[%u].amount", i);

      if (!check_money (d, "amount", path, p))
        return FALSE;
      *sum += cents_of (_tdm_fake_webshop_get_string (d, "amount"));
    }
  return TRUE;
}

/* A total given by the order, or the sum of its parts when it gives none. */
static gint64
total_or (JsonObject *record,
          const char *field,
          gint64      parts)
{
  const char *value = _tdm_fake_webshop_get_string (record, field);

  return value != NULL ? cents_of (value) : parts;
}

/* The money of an order: every amount a decimal string, and
 * total_price = subtotal_price − total_discounts + total_shipping
 * (+ total_tax when taxes are not included), to the cent. */
static gboolean
check_order_money (JsonObject  *record,
                   JsonArray   *lines,
                   FakeProblem *p)
{
  static const char * const totals[] = {
    "subtotal_price", "total_discounts", "total_shipping", "total_tax", "total_price", NULL
  };
  JsonArray *shipping;
  gint64 subtotal = 0, shipping_sum = 0, taxes = 0, discounts = 0, expected;

  for (guint i = 0; totals[i] != NULL; i++)
    if (!check_money (record, totals[i], totals[i], p))
      return FALSE;
  for (guint i = 0; i < json_array_get_length (lines); i++)
    {
      g_autofree char *path = g_strdup_printf ("line_items[%u]", i);

      if (!check_line_money (json_array_get_object_element (lines, i), path, "unit_price",
                             &subtotal, &taxes, p))
        return FALSE;
    }
  if (!check_object_list (record, "shipping_lines", "shipping_lines", &shipping, p))
    return FALSE;
  for (guint i = 0; shipping != NULL && i < json_array_get_length (shipping); i++)
    {
      g_autofree char *path = g_strdup_printf ("shipping_lines[%u]", i);

      if (!check_line_money (json_array_get_object_element (shipping, i), path, "price",
                             &shipping_sum, &taxes, p))
        return FALSE;
    }
  if (!check_discounts (record, &discounts, p))
    return FALSE;
  if (_tdm_fake_webshop_get_string (record, "total_price") == NULL
      || _tdm_fake_webshop_get_string (record, "subtotal_price") == NULL)
    return TRUE;
  expected = total_or (record, "subtotal_price", subtotal) - total_or (record, "total_discounts",
                                                                       discounts)
             + total_or (record, "total_shipping", shipping_sum)
             + (json_object_get_boolean_member_with_default (record, "taxes_included", FALSE)
                ? 0 : total_or (record, "total_tax", taxes));
  if (cents_of (_tdm_fake_webshop_get_string (record, "total_price")) != expected)
    {
      g_autofree char *msg = g_strdup_printf ("total_price must be subtotal_price − "
                                              "total_discounts + total_shipping (+ total_tax when "
                                              "taxes are not included): %" G_GINT64_FORMAT
                                              ".%02d.", expected / 100,
                                              (int) ABS (expected % 100));
      return problem (p, "total_price", msg);
    }
  return TRUE;
}

/* ---- Records ---- */

static gboolean
validate_customer (JsonObject *record,
                   FakeProblem    *p)
{
  const char *email = _tdm_fake_webshop_get_string (record, "email");
  JsonNode *tags = json_object_get_member (record, "tags");

  if (email == NULL || *email == '\0')
    return problem (p, "email", "Email is required.");
  if (!is_valid_email (email))
    return problem (p, "email", "Email is not a valid address.");
  if (tags != NULL && !JSON_NODE_HOLDS_NULL (tags) && !JSON_NODE_HOLDS_ARRAY (tags))
    return problem (p, "tags", "Tags must be a list of strings.");
  return TRUE;
}

static gboolean
validate_product (JsonObject *record,
                  FakeProblem    *p)
{
  static const char * const statuses[] = { "active", "draft", "archived", NULL };
  static const char * const units[] = { "kg", "g", "lb", "oz", NULL };
  const char *title = _tdm_fake_webshop_get_string (record, "title");
  JsonNode *variants = json_object_get_member (record, "variants");

  if (title == NULL || *title == '\0')
    return problem (p, "title", "Title is required.");
  if (!check_enum (record, "status", statuses, p) || !check_enum (record, "weight_unit", units, p)
      || !check_money (record, "price", "price", p)
      || !check_money (record, "compare_at_price", "compare_at_price", p))
    return FALSE;
  if (variants != NULL && JSON_NODE_HOLDS_ARRAY (variants))
    {
      JsonArray *array = json_node_get_array (variants);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *v = json_array_get_element (array, i);
          g_autofree char *price_path = g_strdup_printf ("variants[%u].price", i);

          if (!JSON_NODE_HOLDS_OBJECT (v))
            return problem (p, "variants", "Each variant must be an object.");
          if (!check_money (json_node_get_object (v), "price", price_path, p))
            return FALSE;
        }
    }
  else if (variants != NULL && !JSON_NODE_HOLDS_NULL (variants))
    return problem (p, "variants", "Variants must be a list.");
  return TRUE;
}

static gboolean
validate_order (JsonObject *record,
                FakeProblem    *p)
{
  static const char * const financial[] = { "pending", "authorized", "paid", "partially_paid",
                                            "partially_refunded", "refunded", "voided", NULL };
  static const char * const fulfillment[] = { "unfulfilled", "partial", "fulfilled", NULL };
  JsonNode *lines = json_object_get_member (record, "line_items");
  const char *currency = _tdm_fake_webshop_get_string (record, "currency");
  const char *email = _tdm_fake_webshop_get_string (record, "email");

  if (currency == NULL || strlen (currency) != 3)
    return problem (p, "currency", "Currency must be an ISO 4217 code such as NOK.");
  if (email != NULL && *email != '\0' && !is_valid_email (email))
    return problem (p, "email", "Email is not a valid address.");
  if (!check_enum (record, "financial_status", financial, p)
      || !check_enum (record, "fulfillment_status", fulfillment, p))
    return FALSE;
  if (lines == NULL || !JSON_NODE_HOLDS_ARRAY (lines)
      || json_array_get_length (json_node_get_array (lines)) == 0)
    return problem (p, "line_items", "An order needs at least one line item.");
  for (guint i = 0; i < json_array_get_length (json_node_get_array (lines)); i++)
    {
      JsonNode *line = json_array_get_element (json_node_get_array (lines), i);
      JsonNode *qty;
      g_autofree char *path = g_strdup_printf ("line_items[%u].quantity", i);

      if (!JSON_NODE_HOLDS_OBJECT (line))
        return problem (p, "line_items", "Each line item must be an object.");
      qty = json_object_get_member (json_node_get_object (line), "quantity");
      if (qty == NULL || !JSON_NODE_HOLDS_VALUE (qty)
          || json_node_get_value_type (qty) != G_TYPE_INT64 || json_node_get_int (qty) < 1)
        return problem (p, path, "Quantity must be a whole number of at least 1.");
    }
  return check_order_money (record, json_node_get_array (lines), p);
}

gboolean
_tdm_fake_webshop_validate_record (TdmKind     kind,
                                   JsonObject *record,
                                   FakeProblem    *p)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), record);

  if (!check_lengths (node, "", p))
    return FALSE;
  switch (kind)
    {
    case TDM_KIND_CUSTOMER:
      return validate_customer (record, p);
    case TDM_KIND_PRODUCT:
      return validate_product (record, p);
    case TDM_KIND_ORDER:
      return validate_order (record, p);
    default:
      g_assert_not_reached ();
    }
}

