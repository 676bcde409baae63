/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-shopify-json"

#include "config.h"

#include "tdm-shopify-json-private.h"

#include <glib/gi18n-lib.h>

#include "tdm-money.h"

/* An order's taxes and discounts in orderCreate (docs/shopify.md § Orders):
 * Shopify takes tax lines as given and never calculates them, and takes one
 * discount code. The webshop's tax lines go on the lines and shipping lines
 * they belong to; tax the lines do not hold goes as one order-level line;
 * the discounts go as one fixed-amount code on the line items. Amounts are
 * added up exactly, in millionths (tdm-money.h). Pure: no I/O. */

/* ---- Money ---- */

/* A MoneyBagInput of `micros` in the order's currency, with its decimals. */
static JsonObject *
money_bag_input (gint64      micros,
                 const char *currency)
{
  g_autofree char *plain = tdm_money_from_micros (micros);
  g_autofree char *amount = tdm_money_format (plain, currency);
  JsonObject *bag = json_object_new ();
  JsonObject *money = json_object_new ();

  g_assert (amount != NULL);

  json_object_set_string_member (money, "amount", amount);
  json_object_set_string_member (money, "currencyCode", currency);
  json_object_set_object_member (bag, "shopMoney", money);
  return bag;
}

/* A member of the write shape as millionths: a decimal string or a number;
 * FALSE when absent or not an amount. */
static gboolean
member_micros (JsonObject *object,
               const char *member,
               gint64     *out)
{
  JsonNode *node;

  g_assert (out != NULL);

  if (object == NULL || !json_object_has_member (object, member))
    return FALSE;
  node = json_object_get_member (object, member);
  if (!JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return tdm_money_to_micros (json_node_get_string (node), out);
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    {
      g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
      return tdm_money_to_micros (text, out);
    }
  return FALSE;
}

static gint64
member_quantity (JsonObject *line)
{
  JsonNode *node = line != NULL && json_object_has_member (line, "quantity")
                     ? json_object_get_member (line, "quantity") : NULL;

  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
      json_node_get_value_type (node) == G_TYPE_INT64)
    return json_node_get_int (node);
  return 1;
}

/* ---- Tax lines ---- */

/* OrderCreateTaxLineInput of each canonical tax line ({title, rate, price}
 * of the write shape), adding their amounts to `sum`; NULL when `taxes`
 * holds none. */
JsonArray *
_tdm_shopify_tax_lines_input (JsonArray  *taxes,
                              const char *currency,
                              gint64     *sum)
{
  g_autoptr(JsonArray) out = json_array_new ();

  g_assert (currency != NULL && sum != NULL);

  for (guint i = 0; taxes != NULL && i < json_array_get_length (taxes); i++)
    {
      JsonObject *tax = _tdm_shopify_element (taxes, i);
      const char *title = _tdm_shopify_string (tax, "title");
      const char *rate = _tdm_shopify_string (tax, "rate");
      JsonObject *line;
      gint64 price = 0;

      if (tax == NULL || rate == NULL || !member_micros (tax, "price", &price))
        continue;   /* the normalizer refuses such a line before it gets here */
      line = json_object_new ();
      /* Translators: the title of a tax line in Shopify when the webshop gave none */
      json_object_set_string_member (line, "title", title != NULL && *title ? title : _("VAT"));
      json_object_set_string_member (line, "rate", rate);
      json_object_set_object_member (line, "priceSet", money_bag_input (price, currency));
      json_array_add_object_element (out, line);
      *sum += price;
    }
  return json_array_get_length (out) > 0 ? g_steal_pointer (&out) : NULL;
}

/* What the order's prices add up to, tax included or not as they are:
 * its lines (unit price × quantity) and shipping lines. */
static gint64
order_base_micros (JsonObject *write)
{
  JsonArray *lines = _tdm_shopify_array (write, "lineItems");
  JsonArray *shipping = _tdm_shopify_array (write, "shippingLines");
  gint64 base = 0;

  for (guint i = 0; lines != NULL && i < json_array_get_length (lines); i++)
    {
      JsonObject *line = _tdm_shopify_element (lines, i);
      gint64 unit = 0;

      if (member_micros (line, "unitPrice", &unit))
        base += unit * member_quantity (line);
    }
  for (guint i = 0; shipping != NULL && i < json_array_get_length (shipping); i++)
    {
      gint64 price = 0;

      if (member_micros (_tdm_shopify_element (shipping, i), "price", &price))
        base += price;
    }
  return base;
}

/* The order-level tax line for the tax its lines do not hold: all of the
 * webshop's total_tax when no line has tax lines, else what is left of it.
 * Its rate is worked out from the lines and shipping (the tax included in
 * their prices, or on top), to four decimals. */
void
_tdm_shopify_order_set_tax_remainder (JsonObject *order,
                                      JsonObject *write,
                                      const char *currency,
                                      gint64      line_taxes)
{
  gint64 total = 0;
  gint64 remainder;
  gint64 base;
  g_autofree char *rate = NULL;
  JsonArray *tax_lines;
  JsonObject *tax_line;

  g_assert (order != NULL && write != NULL && currency != NULL);

  if (!member_micros (write, "totalTax", &total))
    return;
  remainder = total - line_taxes;
  if (remainder <= 0)
    return;
  base = order_base_micros (write);
  if (json_object_get_boolean_member_with_default (write, "taxesIncluded", FALSE))
    base -= total;
  /* rate = remainder / base, rounded half up to 1/10 000 */
  if (base > 0)
    {
      gint64 ten_thousandths = (remainder * 10000 + base / 2) / base;

      rate = g_strdup_printf ("%" G_GINT64_FORMAT ".%04" G_GINT64_FORMAT,
                              ten_thousandths / 10000, ten_thousandths % 10000);
    }
  tax_line = json_object_new ();
  /* Translators: the title of an order's tax line in Shopify */
  json_object_set_string_member (tax_line, "title", _("VAT"));
  json_object_set_string_member (tax_line, "rate", rate != NULL ? rate : "0");
  json_object_set_object_member (tax_line, "priceSet", money_bag_input (remainder, currency));
  tax_lines = json_array_new ();
  json_array_add_object_element (tax_lines, tax_line);
  json_object_set_array_member (order, "taxLines", tax_lines);
}

/* ---- Discounts ---- */

/* The discount code: Shopify takes one per order, so the webshop's codes go
 * as one ("SOMMER, VIP"; "Discount" when none has a code) with the
 * webshop's total discount, or the sum of the codes' amounts, as a fixed
 * amount off the line items. NULL when the order has no discount. */
JsonObject *
_tdm_shopify_order_discount_code_input (JsonObject *write,
                                        const char *currency)
{
  JsonArray *discounts = _tdm_shopify_array (write, "discounts");
  g_autoptr(GPtrArray) codes = g_ptr_array_new ();
  g_autofree char *code = NULL;
  JsonObject *fixed;
  JsonObject *input;
  gint64 amount = 0;
  gint64 total = 0;

  g_assert (write != NULL && currency != NULL);

  for (guint i = 0; discounts != NULL && i < json_array_get_length (discounts); i++)
    {
      JsonObject *discount = _tdm_shopify_element (discounts, i);
      const char *name = _tdm_shopify_string (discount, "code");
      gint64 part = 0;

      if (name != NULL && *name != '\0')
        g_ptr_array_add (codes, (gpointer) name);
      if (member_micros (discount, "amount", &part))
        amount += part;
    }
  if (member_micros (write, "totalDiscounts", &total))
    amount = total;
  if (codes->len == 0 && amount <= 0)
    return NULL;

  g_ptr_array_add (codes, NULL);
  code = codes->len > 1 ? g_strjoinv (", ", (char **) codes->pdata)
                        /* Translators: the discount code of an order whose discount had none */
                        : g_strdup (_("Discount"));
  fixed = json_object_new ();
  json_object_set_string_member (fixed, "code", code);
  json_object_set_object_member (fixed, "amountSet", money_bag_input (MAX (amount, 0), currency));
  input = json_object_new ();
  json_object_set_object_member (input, "itemFixedDiscountCode", fixed);
  return input;
}
