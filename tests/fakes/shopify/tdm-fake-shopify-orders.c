/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-fake-shopify"

#include "config.h"
#include "tdm-fake-shopify-private.h"

/* Orders: orderCreate (variant lines, custom lines, shipping, tax lines
 * taken as given, one discount code, totals in decimal money as the Shopify
 * emulator works them out), orderUpdate, orderCancel and orderMarkAsPaid
 * (docs/shopify.md, Orders). */

/* ---- Money ---- */

/* Decimal strings added without floating point: two decimals kept. */
static gint64
parse_cents (const char *amount)
{
  gint64 whole = 0, frac = 0;
  int digits = 0;
  gboolean neg = FALSE;
  const char *p = amount;

  if (p == NULL)
    return 0;
  if (*p == '-')
    {
      neg = TRUE;
      p++;
    }
  while (g_ascii_isdigit (*p))
    whole = whole * 10 + (*p++ - '0');
  if (*p == '.')
    {
      p++;
      while (g_ascii_isdigit (*p) && digits < 2)
        {
          frac = frac * 10 + (*p++ - '0');
          digits++;
        }
      while (digits < 2)
        {
          frac *= 10;
          digits++;
        }
    }
  else
    frac = 0;
  return (neg ? -1 : 1) * (whole * 100 + frac);
}

static char *
format_cents (gint64 cents)
{
  return g_strdup_printf ("%s%" G_GINT64_FORMAT ".%02d", cents < 0 ? "-" : "",
                          ABS (cents) / 100, (int) (ABS (cents) % 100));
}

/* A MoneyBag {shopMoney {amount, currencyCode (when given)}}. */
static JsonObject *
money_bag (const char *amount,
           const char *currency)
{
  JsonObject *bag = json_object_new ();
  JsonObject *money = json_object_new ();

  g_assert (amount != NULL);

  json_object_set_string_member (money, "amount", amount);
  if (currency != NULL)
    json_object_set_string_member (money, "currencyCode", currency);
  json_object_set_object_member (bag, "shopMoney", money);
  return bag;
}

/* Tax lines as given (never calculated, as Shopify does): each kept as
 * {title, rate, priceSet}; returns their sum in cents. */
static gint64
copy_tax_lines (JsonObject *node,
                JsonArray  *tax_lines,
                const char *currency)
{
  JsonArray *out = json_array_new ();
  gint64 sum = 0;

  for (guint i = 0; tax_lines != NULL && i < json_array_get_length (tax_lines); i++)
    {
      JsonObject *t = json_array_get_object_element (tax_lines, i);
      JsonObject *o = json_object_new ();
      const char *amount = get_str (get_obj (get_obj (t, "priceSet"), "shopMoney"), "amount");

      _tdm_fake_shopify_set_member_copy (o, "title", t, "title");
      /* a Float in Shopify's answers, a Decimal string in its input */
      if (get_str (t, "rate") != NULL)
        json_object_set_double_member (o, "rate", g_ascii_strtod (get_str (t, "rate"), NULL));
      else
        _tdm_fake_shopify_set_member_copy (o, "rate", t, "rate");
      /* the read documents select a tax line's amount only */
      json_object_set_object_member (o, "priceSet", money_bag (amount ? amount : "0.00", NULL));
      sum += parse_cents (amount);
      json_array_add_object_element (out, o);
    }
  json_object_set_array_member (node, "taxLines", out);
  return sum;
}

/* ---- Stored shape ---- */

static void
complete_line_item (JsonObject *l)
{
  g_assert (l != NULL);

  if (!json_object_has_member (l, "sku"))
    json_object_set_null_member (l, "sku");
  if (!json_object_has_member (l, "title"))
    json_object_set_string_member (l, "title", "Item");
  if (!json_object_has_member (l, "quantity"))
    json_object_set_int_member (l, "quantity", 1);
  if (get_obj (l, "originalUnitPriceSet") == NULL)
    json_object_set_object_member (l, "originalUnitPriceSet", money_bag ("0.00", "NOK"));
  if (!json_object_has_member (l, "variant"))
    json_object_set_null_member (l, "variant");
  if (!json_object_has_member (l, "taxLines"))
    json_object_set_array_member (l, "taxLines", json_array_new ());
}

/* What Shopify always answers: the shipping before discounts (the sum of
 * the shipping lines), the discounts (none) and their applications. */
static void
complete_order_money (JsonObject *node)
{
  JsonArray *shipping = get_arr (get_obj (node, "shippingLines"), "nodes");

  g_assert (node != NULL);

  if (get_obj (node, "totalShippingPriceSet") == NULL)
    {
      gint64 sum = 0;
      g_autofree char *text = NULL;

      for (guint i = 0; shipping != NULL && i < json_array_get_length (shipping); i++)
        sum += parse_cents (get_str (get_obj (get_obj (json_array_get_object_element (shipping, i),
                                                       "originalPriceSet"), "shopMoney"),
                                     "amount"));
      text = format_cents (sum);
      json_object_set_object_member (node, "totalShippingPriceSet", money_bag (text, NULL));
    }
  if (get_obj (node, "totalDiscountsSet") == NULL)
    json_object_set_object_member (node, "totalDiscountsSet", money_bag ("0.00", NULL));
  if (get_obj (node, "discountApplications") == NULL)
    json_object_set_object_member (node, "discountApplications",
                                   _tdm_fake_shopify_connection (NULL));
}

void
_tdm_fake_shopify_complete_order (TdmFakeShopify *self,
                                  JsonObject     *node)
{
  static const char * const nullable[] = { "email", "phone", "note", "cancelledAt",
                                           "displayFinancialStatus", "sourceIdentifier", "customer",
                                           "subtotalPriceSet", "totalTaxSet", "shippingAddress",
                                           "billingAddress", NULL };
  JsonArray *lines;

  g_assert (TDM_IS_FAKE_SHOPIFY (self));
  g_assert (node != NULL);

  for (guint i = 0; nullable[i] != NULL; i++)
    if (!json_object_has_member (node, nullable[i]))
      json_object_set_null_member (node, nullable[i]);
  if (!json_object_has_member (node, "name"))
    {
      g_autofree char *name = g_strdup_printf ("#%" G_GUINT64_FORMAT, self->next_order_number++);
      json_object_set_string_member (node, "name", name);
    }
  if (!json_object_has_member (node, "currencyCode"))
    json_object_set_string_member (node, "currencyCode", "NOK");
  if (!json_object_has_member (node, "processedAt"))
    json_object_set_string_member (node, "processedAt", get_str (node, "updatedAt"));
  if (!json_object_has_member (node, "displayFulfillmentStatus"))
    json_object_set_string_member (node, "displayFulfillmentStatus", "UNFULFILLED");
  if (!json_object_has_member (node, "taxesIncluded"))
    json_object_set_boolean_member (node, "taxesIncluded", FALSE);
  if (get_obj (node, "lineItems") == NULL)
    json_object_set_object_member (node, "lineItems", _tdm_fake_shopify_connection (NULL));
  if (get_obj (node, "shippingLines") == NULL)
    json_object_set_object_member (node, "shippingLines", _tdm_fake_shopify_connection (NULL));
  if (!json_object_has_member (node, "taxLines"))
    json_object_set_array_member (node, "taxLines", json_array_new ());
  lines = get_arr (get_obj (node, "lineItems"), "nodes");
  for (guint i = 0; lines != NULL && i < json_array_get_length (lines); i++)
    complete_line_item (json_array_get_object_element (lines, i));
  lines = get_arr (get_obj (node, "shippingLines"), "nodes");
  for (guint i = 0; lines != NULL && i < json_array_get_length (lines); i++)
    if (!json_object_has_member (json_array_get_object_element (lines, i), "taxLines"))
      json_object_set_array_member (json_array_get_object_element (lines, i), "taxLines",
                                    json_array_new ());
  if (get_obj (node, "shippingAddress") != NULL)
    _tdm_fake_shopify_complete_address (get_obj (node, "shippingAddress"));
  if (get_obj (node, "billingAddress") != NULL)
    _tdm_fake_shopify_complete_address (get_obj (node, "billingAddress"));
  if (get_obj (node, "totalPriceSet") == NULL)
    json_object_set_object_member (node, "totalPriceSet", money_bag ("0.00", NULL));
  complete_order_money (node);
}

/* ---- orderCreate ---- */

/* The first problem of a list of OrderCreateTaxLineInput, as Shopify
 * answers it: a rate is required (TAX_LINE_RATE_MISSING), rates and
 * amounts are not negative. `a`, `b`, `c` start the field path. */
static JsonObject *
check_tax_lines (JsonArray  *taxes,
                 const char *a,
                 const char *b,
                 const char *c)
{
  for (guint i = 0; taxes != NULL && i < json_array_get_length (taxes); i++)
    {
      JsonObject *t = json_array_get_object_element (taxes, i);
      JsonNode *rate_node = json_object_get_member (t, "rate");
      const char *amount = get_str (get_obj (get_obj (t, "priceSet"), "shopMoney"), "amount");
      g_autofree char *index = g_strdup_printf ("%u", i);
      g_autofree char *rate = NULL;

      /* a Decimal: a string, or a number */
      if (rate_node != NULL && JSON_NODE_HOLDS_VALUE (rate_node))
        rate = json_node_get_value_type (rate_node) == G_TYPE_STRING
               ? g_strdup (json_node_get_string (rate_node))
               : g_strdup_printf ("%g", json_node_get_double (rate_node));
      if (rate == NULL || *rate == '\0')
        return c != NULL
          ? _tdm_fake_shopify_user_error ("Tax line rate must be present", "TAX_LINE_RATE_MISSING",
                                          a, b, c, "taxLines", index, "rate", NULL)
          : _tdm_fake_shopify_user_error ("Tax line rate must be present", "TAX_LINE_RATE_MISSING",
                                          a, b, index, "rate", NULL);
      if (g_ascii_strtod (rate, NULL) < 0 || parse_cents (amount) < 0)
        return _tdm_fake_shopify_user_error ("Tax line rate and price must be at least 0",
                                             "INVALID", a, b, NULL);
    }
  return NULL;
}

/* One kind of discount code, with what it needs (as Shopify answers). */
static JsonObject *
check_discount_code (JsonObject *code)
{
  static const char * const kinds[] = {
    "itemFixedDiscountCode", "itemPercentageDiscountCode", "freeShippingDiscountCode", NULL
  };
  JsonObject *given = NULL;
  guint n = 0;

  for (guint i = 0; kinds[i] != NULL; i++)
    if (get_obj (code, kinds[i]) != NULL)
      {
        given = get_obj (code, kinds[i]);
        n++;
      }
  if (n > 1)
    return _tdm_fake_shopify_user_error ("Only one type of discount can be applied to an order.",
                                         "INVALID", "order", "discountCode", NULL);
  if (given != NULL && (get_str (given, "code") == NULL || *get_str (given, "code") == '\0'))
    return _tdm_fake_shopify_user_error ("Discount code must be present.", "INVALID",
                                         "order", "discountCode", NULL);
  if (get_obj (code, "itemFixedDiscountCode") != NULL
      && parse_cents (get_str (get_obj (get_obj (given, "amountSet"), "shopMoney"), "amount")) < 0)
    return _tdm_fake_shopify_user_error ("Discount amount must be greater than or equal to 0.",
                                         "INVALID", "order", "discountCode", NULL);
  return NULL;
}

/* The first userError of an OrderCreateOrderInput, or NULL. */
static JsonObject *
check_order_input (TdmFakeShopify *self,
                   JsonObject     *in)
{
  JsonArray *lines = get_arr (in, "lineItems");
  const char *customer_id = get_str (get_obj (get_obj (in, "customer"), "toAssociate"), "id");
  const char *webshop_id = _tdm_fake_shopify_metafield_value (get_arr (in, "metafields"),
                                                              "webshop_id");
  JsonArray *shipping = get_arr (in, "shippingLines");
  JsonObject *problem;

  for (guint i = 0; shipping != NULL && i < json_array_get_length (shipping); i++)
    {
      g_autofree char *index = g_strdup_printf ("%u", i);

      problem = check_tax_lines (get_arr (json_array_get_object_element (shipping, i), "taxLines"),
                                 "order", "shippingLines", index);
      if (problem != NULL)
        return problem;
    }
  if (!_tdm_fake_shopify_email_valid (get_str (in, "email")))
    return _tdm_fake_shopify_user_error ("Email is invalid", "INVALID", "order", "email", NULL);
  if (customer_id != NULL
      && _tdm_fake_shopify_find_by_id (self, TDM_KIND_CUSTOMER, customer_id) == NULL)
    return _tdm_fake_shopify_user_error ("Customer does not exist", "INVALID",
                                         "order", "customer", "toAssociate", "id", NULL);
  if (webshop_id != NULL
      && _tdm_fake_shopify_find_by_custom_id (self, TDM_KIND_ORDER, webshop_id) != NULL)
    return _tdm_fake_shopify_user_error ("Metafield value has already been taken", "INVALID",
                                         "order", "metafields", "0", "value", NULL);
  if ((problem = check_tax_lines (get_arr (in, "taxLines"), "order", "taxLines", NULL)) != NULL
      || (problem = check_discount_code (get_obj (in, "discountCode"))) != NULL)
    return problem;
  for (guint i = 0; lines != NULL && i < json_array_get_length (lines); i++)
    {
      JsonObject *l = json_array_get_object_element (lines, i);
      g_autofree char *index = g_strdup_printf ("%u", i);
      const char *variant = get_str (l, "variantId");

      if ((problem = check_tax_lines (get_arr (l, "taxLines"), "order", "lineItems", index)) != NULL)
        return problem;

      if (variant != NULL && _tdm_fake_shopify_variant_by (self, "id", variant, NULL) == NULL)
        return _tdm_fake_shopify_user_error ("Variant does not exist", "INVALID", "order",
                                             "lineItems", index, "variantId", NULL);
      if (variant == NULL && (get_str (l, "title") == NULL || get_obj (l, "priceSet") == NULL))
        return _tdm_fake_shopify_user_error ("A custom line item needs a title and a price",
                                             "INVALID", "order", "lineItems", index, NULL);
    }
  return NULL;
}

/* The order's own members: contact, note, tags, statuses, source. */
static void
set_order_fields (JsonObject *node,
                  JsonObject *in,
                  const char *currency)
{
  const char *fulfillment = get_str (in, "fulfillmentStatus");
  const char *customer_id = get_str (get_obj (get_obj (in, "customer"), "toAssociate"), "id");

  g_assert (node != NULL);

  _tdm_fake_shopify_set_member_copy (node, "name", in, "name");
  _tdm_fake_shopify_set_member_copy (node, "email", in, "email");
  _tdm_fake_shopify_set_member_copy (node, "phone", in, "phone");
  _tdm_fake_shopify_set_member_copy (node, "note", in, "note");
  _tdm_fake_shopify_set_member_copy (node, "tags", in, "tags");
  json_object_set_string_member (node, "currencyCode", currency);
  _tdm_fake_shopify_set_member_copy (node, "processedAt", in, "processedAt");
  json_object_set_null_member (node, "cancelledAt");
  json_object_set_string_member (node, "displayFinancialStatus",
                                 get_str (in, "financialStatus") ? get_str (in, "financialStatus")
                                 : "PENDING");
  json_object_set_string_member (node, "displayFulfillmentStatus",
                                 g_strcmp0 (fulfillment, "FULFILLED") == 0 ? "FULFILLED"
                                 : g_strcmp0 (fulfillment, "PARTIAL") == 0 ? "PARTIALLY_FULFILLED"
                                 : "UNFULFILLED");
  _tdm_fake_shopify_set_member_copy (node, "taxesIncluded", in, "taxesIncluded");
  _tdm_fake_shopify_set_str_or_null (node, "sourceIdentifier", get_str (in, "sourceIdentifier"));
  if (customer_id != NULL)
    {
      JsonObject *c = json_object_new ();
      json_object_set_string_member (c, "id", customer_id);
      json_object_set_object_member (node, "customer", c);
    }
}

/* The order's lineItems from the input's; returns the subtotal in cents
 * and adds their tax lines to `tax`. */
static gint64
set_order_line_items (TdmFakeShopify *self,
                      JsonObject     *node,
                      JsonArray      *lines,
                      const char     *currency,
                      gint64         *tax)
{
  JsonArray *out = json_array_new ();
  gint64 subtotal = 0;

  for (guint i = 0; lines != NULL && i < json_array_get_length (lines); i++)
    {
      JsonObject *l = json_array_get_object_element (lines, i);
      JsonObject *o = json_object_new ();
      JsonObject *product = NULL;
      JsonObject *v = _tdm_fake_shopify_variant_by (self, "id", get_str (l, "variantId"), &product);
      const char *amount = get_str (get_obj (get_obj (l, "priceSet"), "shopMoney"), "amount");
      gint64 qty = get_int (l, "quantity", 1);

      if (amount == NULL && v != NULL)
        amount = get_str (v, "price");
      _tdm_fake_shopify_set_str_or_null (o, "sku", get_str (l, "sku") ? get_str (l, "sku")
                                                   : (v ? get_str (v, "sku") : NULL));
      json_object_set_string_member (o, "title", get_str (l, "title") ? get_str (l, "title")
                                                 : product ? get_str (product, "title") : "Item");
      json_object_set_int_member (o, "quantity", qty);
      json_object_set_object_member (o, "originalUnitPriceSet",
                                     money_bag (amount ? amount : "0.00", currency));
      if (v != NULL)
        {
          JsonObject *vr = json_object_new ();
          JsonObject *pr = json_object_new ();

          json_object_set_string_member (vr, "id", get_str (v, "id"));
          json_object_set_string_member (pr, "id", product ? get_str (product, "id") : NULL);
          json_object_set_object_member (vr, "product", pr);
          json_object_set_object_member (o, "variant", vr);
        }
      else
        json_object_set_null_member (o, "variant");
      subtotal += parse_cents (amount) * qty;
      *tax += copy_tax_lines (o, get_arr (l, "taxLines"), currency);
      json_array_add_object_element (out, o);
    }
  json_object_set_object_member (node, "lineItems", _tdm_fake_shopify_connection (out));
  return subtotal;
}

/* The order's shippingLines from the input's; returns their sum in cents
 * and adds their tax lines to `tax`. */
static gint64
set_order_shipping_lines (JsonObject *node,
                          JsonArray  *shipping,
                          const char *currency,
                          gint64     *tax)
{
  JsonArray *out = json_array_new ();
  gint64 total = 0;

  for (guint i = 0; shipping != NULL && i < json_array_get_length (shipping); i++)
    {
      JsonObject *s = json_array_get_object_element (shipping, i);
      JsonObject *o = json_object_new ();
      const char *amount = get_str (get_obj (get_obj (s, "priceSet"), "shopMoney"), "amount");

      json_object_set_string_member (o, "title", get_str (s, "title"));
      json_object_set_object_member (o, "originalPriceSet",
                                     money_bag (amount ? amount : "0.00", NULL));
      total += parse_cents (amount);
      *tax += copy_tax_lines (o, get_arr (s, "taxLines"), currency);
      json_array_add_object_element (out, o);
    }
  json_object_set_object_member (node, "shippingLines", _tdm_fake_shopify_connection (out));
  return total;
}

/* The order's discount code as the emulator applies it: a fixed amount
 * (at most the lines' total) or a percentage off the line items, or the
 * whole shipping; returns the discount on the lines and on the shipping in
 * cents, and records the application. */
static void
apply_discount_code (JsonObject *node,
                     JsonObject *code,
                     gint64      lines,
                     gint64      shipping,
                     gint64     *line_discount,
                     gint64     *shipping_discount)
{
  JsonObject *fixed = get_obj (code, "itemFixedDiscountCode");
  JsonObject *percent = get_obj (code, "itemPercentageDiscountCode");
  JsonObject *free_shipping = get_obj (code, "freeShippingDiscountCode");
  JsonObject *given = fixed ? fixed : percent ? percent : free_shipping;
  JsonArray *applications = json_array_new ();
  JsonObject *application;
  JsonObject *value;

  *line_discount = *shipping_discount = 0;
  if (given != NULL)
    {
      application = json_object_new ();
      value = json_object_new ();
      _tdm_fake_shopify_set_member_copy (application, "code", given, "code");
      if (fixed != NULL)
        {
          const char *amount = get_str (get_obj (get_obj (fixed, "amountSet"), "shopMoney"),
                                        "amount");

          *line_discount = MIN (parse_cents (amount), lines);
          json_object_set_string_member (value, "amount", amount ? amount : "0.0");
        }
      else if (percent != NULL)
        {
          double pct = json_object_get_double_member_with_default (percent, "percentage", 0);

          *line_discount = (gint64) (lines * pct / 100.0 + 0.5);
          json_object_set_double_member (value, "percentage", pct);
        }
      else
        {
          *shipping_discount = shipping;
          json_object_set_double_member (value, "percentage", 100);
        }
      json_object_set_object_member (application, "value", value);
      json_array_add_object_element (applications, application);
    }
  json_object_set_object_member (node, "discountApplications",
                                 _tdm_fake_shopify_connection (applications));
}

/* The order's money, as the emulator works it out: the subtotal is the
 * lines after their discounts, the shipping before discounts, the tax the
 * sum of the tax lines as given, and the total the subtotal and shipping
 * less the shipping discount, with the tax on top when not included. */
static void
set_order_totals (JsonObject *node,
                  gboolean    taxes_included,
                  gint64      lines,
                  gint64      shipping,
                  gint64      tax,
                  gint64      line_discount,
                  gint64      shipping_discount)
{
  g_autofree char *subtotal = format_cents (lines - line_discount);
  g_autofree char *ship = format_cents (shipping);
  g_autofree char *discounts = format_cents (line_discount + shipping_discount);
  g_autofree char *tax_text = format_cents (tax);
  g_autofree char *total = format_cents (lines - line_discount + shipping - shipping_discount
                                         + (taxes_included ? 0 : tax));

  json_object_set_object_member (node, "subtotalPriceSet", money_bag (subtotal, NULL));
  json_object_set_object_member (node, "totalShippingPriceSet", money_bag (ship, NULL));
  json_object_set_object_member (node, "totalDiscountsSet", money_bag (discounts, NULL));
  json_object_set_object_member (node, "totalTaxSet", money_bag (tax_text, NULL));
  json_object_set_object_member (node, "totalPriceSet", money_bag (total, NULL));
}

/* The address `m` of the input, when it has one. */
static void
set_order_address (JsonObject *node,
                   JsonObject *in,
                   const char *m)
{
  g_assert (node != NULL);

  if (get_obj (in, m) != NULL)
    json_object_set_object_member (node, m, _tdm_fake_shopify_address_from_input (get_obj (in, m)));
}

/* mutation OrderCreate($order) */
void
_tdm_fake_shopify_op_order_create (FakeCall *call)
{
  TdmFakeShopify *self = call->self;
  JsonObject *in = get_obj (call->vars, "order");
  JsonArray *errors = json_array_new ();
  const char *currency = get_str (in, "currency") ? get_str (in, "currency") : "NOK";
  const char *webshop_id = _tdm_fake_shopify_metafield_value (get_arr (in, "metafields"),
                                                              "webshop_id");
  JsonObject *problem;
  JsonObject *node;
  gint64 subtotal, shipping_total, tax = 0, line_discount, shipping_discount;

  g_assert (fake_call_is_ready (call));

  call->actual = 10;
  problem = check_order_input (self, in);
  if (problem != NULL)
    {
      json_array_add_object_element (errors, problem);
      _tdm_fake_shopify_set_payload (call, "orderCreate", "order", NULL, errors);
      return;
    }

  node = json_object_new ();
  set_order_fields (node, in, currency);
  /* totals as the emulator (docs/shopify.md § Orders): tax lines as given,
   * on the order, its lines and its shipping; the tax on top of the total
   * only when taxes are not included */
  subtotal = set_order_line_items (self, node, get_arr (in, "lineItems"), currency, &tax);
  shipping_total = set_order_shipping_lines (node, get_arr (in, "shippingLines"), currency, &tax);
  tax += copy_tax_lines (node, get_arr (in, "taxLines"), currency);
  apply_discount_code (node, get_obj (in, "discountCode"), subtotal, shipping_total,
                       &line_discount, &shipping_discount);
  set_order_totals (node, json_object_get_boolean_member_with_default (in, "taxesIncluded", FALSE),
                    subtotal, shipping_total, tax, line_discount, shipping_discount);
  set_order_address (node, in, "shippingAddress");
  set_order_address (node, in, "billingAddress");
  if (webshop_id != NULL)
    _tdm_fake_shopify_set_webshop_id (node, webshop_id);
  node = _tdm_fake_shopify_insert_node (self, TDM_KIND_ORDER, node);
  _tdm_fake_shopify_set_payload (call, "orderCreate", "order", node, errors);
}

/* ---- Later changes ---- */

/* mutation OrderUpdate($input) */
void
_tdm_fake_shopify_op_order_update (FakeCall *call)
{
  JsonObject *in = get_obj (call->vars, "input");
  JsonObject *node;
  JsonArray *errors = json_array_new ();
  const char *webshop_id = _tdm_fake_shopify_metafield_value (get_arr (in, "metafields"),
                                                              "webshop_id");

  g_assert (fake_call_is_ready (call));

  node = _tdm_fake_shopify_find_by_id (call->self, TDM_KIND_ORDER, get_str (in, "id"));
  call->actual = 10;
  if (node == NULL)
    _tdm_fake_shopify_add_user_error (errors, "Order does not exist", NULL, "id", NULL);
  else if (!_tdm_fake_shopify_email_valid (get_str (in, "email")))
    _tdm_fake_shopify_add_user_error (errors, "Email is invalid", NULL, "email", NULL);
  if (json_array_get_length (errors) == 0)
    {
      _tdm_fake_shopify_set_member_copy (node, "email", in, "email");
      _tdm_fake_shopify_set_member_copy (node, "phone", in, "phone");
      _tdm_fake_shopify_set_member_copy (node, "note", in, "note");
      _tdm_fake_shopify_set_member_copy (node, "tags", in, "tags");
      set_order_address (node, in, "shippingAddress");
      if (webshop_id != NULL)
        _tdm_fake_shopify_set_webshop_id (node, webshop_id);
      _tdm_fake_shopify_touch (node);
    }
  _tdm_fake_shopify_set_payload (call, "orderUpdate", "order", node, errors);
}

/* mutation OrderCancel($orderId, …): done at once, as a finished Job. */
void
_tdm_fake_shopify_op_order_cancel (FakeCall *call)
{
  TdmFakeShopify *self = call->self;
  JsonObject *node;
  JsonArray *errors = json_array_new ();
  JsonObject *p = json_object_new ();

  g_assert (fake_call_is_ready (call));

  node = _tdm_fake_shopify_find_by_id (self, TDM_KIND_ORDER, get_str (call->vars, "orderId"));
  call->actual = 10;
  if (node == NULL)
    _tdm_fake_shopify_add_user_error (errors, "Order not found", "NOT_FOUND", "orderId", NULL);
  else if (get_str (node, "cancelledAt") != NULL)
    _tdm_fake_shopify_add_user_error (errors, "Order has already been cancelled", "INVALID",
                                      "orderId", NULL);
  if (json_array_get_length (errors) == 0)
    {
      JsonObject *job = json_object_new ();
      g_autofree char *stamp = _tdm_fake_shopify_now_stamp ();
      g_autofree char *gid = _tdm_fake_shopify_new_gid (self, "Job", NULL);

      json_object_set_string_member (node, "cancelledAt", stamp);
      _tdm_fake_shopify_touch (node);
      json_object_set_string_member (job, "id", gid);
      json_object_set_boolean_member (job, "done", TRUE);
      json_object_set_object_member (p, "job", job);
    }
  else
    json_object_set_null_member (p, "job");
  json_object_set_array_member (p, "orderCancelUserErrors", errors);
  json_object_set_object_member (call->data, "orderCancel", p);
}

/* mutation OrderMarkAsPaid($id) */
void
_tdm_fake_shopify_op_order_mark_paid (FakeCall *call)
{
  JsonObject *node;
  JsonArray *errors = json_array_new ();

  g_assert (fake_call_is_ready (call));

  node = _tdm_fake_shopify_find_by_id (call->self, TDM_KIND_ORDER, get_str (call->vars, "id"));
  call->actual = 10;
  if (node == NULL)
    _tdm_fake_shopify_add_user_error (errors, "Order does not exist", NULL, "id", NULL);
  else if (get_str (node, "cancelledAt") != NULL)
    _tdm_fake_shopify_add_user_error (errors, "Order is cancelled and can't be marked as paid",
                                      NULL, "id", NULL);
  else
    {
      json_object_set_string_member (node, "displayFinancialStatus", "PAID");
      _tdm_fake_shopify_touch (node);
    }
  _tdm_fake_shopify_set_payload (call, "orderMarkAsPaid", "order", node, errors);
}
