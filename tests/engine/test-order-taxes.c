/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-test-order-taxes"

#include "config.h"

#include <string.h>

#include "e2e-harness.h"

/* An order's taxes, shipping, discounts and totals agree to the cent on
 * both sides, whichever side it was placed in: tax lines per line and per
 * shipping line, several rates, a line without tax, one discount code,
 * VAT included and on top (docs/webshop-api.md § order, docs/shopify.md
 * § Orders, docs/mapping.md § Money). */

/* ---- Reading the stored orders ---- */

/* Element `index` of the array at dot path `path` ("lineItems.nodes"). */
static JsonObject *
element_at (JsonObject *object,
            const char *path,
            guint       index)
{
  g_auto(GStrv) parts = g_strsplit (path, ".", -1);
  JsonObject *cur = object;
  JsonArray *array = NULL;

  for (guint i = 0; parts[i] != NULL; i++)
    {
      JsonNode *node;

      g_assert_nonnull (cur);
      g_assert_true (json_object_has_member (cur, parts[i]));
      node = json_object_get_member (cur, parts[i]);
      if (parts[i + 1] == NULL)
        {
          g_assert_true (JSON_NODE_HOLDS_ARRAY (node));
          array = json_node_get_array (node);
        }
      else
        cur = json_node_get_object (node);
    }
  g_assert_nonnull (array);
  if (index >= json_array_get_length (array))
    g_error ("%s has %u entries, not %u", path, json_array_get_length (array), index + 1);
  return json_array_get_object_element (array, index);
}

static guint
length_at (JsonObject *object,
           const char *member)
{
  JsonNode *node = json_object_has_member (object, member)
                     ? json_object_get_member (object, member) : NULL;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return 0;
  g_assert_true (JSON_NODE_HOLDS_ARRAY (node));
  return json_array_get_length (json_node_get_array (node));
}

/* A Shopify tax line: its title, its rate (a Float) and its amount. */
static void
assert_shopify_tax (JsonObject *tax,
                    const char *title,
                    double      rate,
                    const char *amount)
{
  g_assert_cmpstr (e2e_json_path_string (tax, "title"), ==, title);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (tax, "rate"), rate, 1e-9);
  g_assert_cmpstr (e2e_json_path_string (tax, "priceSet.shopMoney.amount"), ==, amount);
}

/* A webshop tax line: title, rate and price as decimal strings. */
static void
assert_webshop_tax (JsonObject *tax,
                    const char *title,
                    const char *rate,
                    const char *price)
{
  g_assert_cmpstr (e2e_json_path_string (tax, "title"), ==, title);
  g_assert_cmpstr (e2e_json_path_string (tax, "rate"), ==, rate);
  g_assert_cmpstr (e2e_json_path_string (tax, "price"), ==, price);
}

/* A run that ends well, and then one with nothing left to do: both sides
 * agree on every field. */
static void
run_twice (E2E *e2e)
{
  g_autoptr(GError) error = NULL;
  TdmSyncCounts counts;

  e2e_run_ok (e2e, NULL, &counts);
  for (guint i = 0; i < e2e->record_errors->len; i++)
    g_test_message ("record error: %s",
                    ((TdmRecordError *) e2e->record_errors->pdata[i])->message);
  g_assert_cmpuint (counts.errors, ==, 0);

  e2e_clear_logs (e2e);
  e2e_run_ok (e2e, NULL, &counts);
  g_assert_cmpuint (counts.errors, ==, 0);
  g_assert_cmpuint (e2e_webshop_writes (e2e) + e2e_shopify_writes (e2e), ==, 0);
}

/* ---- Placed in the webshop ---- */

/* VAT included: a 25 % line, a 15 % line, a line whose tax line is 0 %,
 * taxed shipping and a discount code.
 *   lines 2 × 250.00 + 115.00 + 50.00 = 665.00, discount 66.50,
 *   shipping 99.00, tax 100.00 + 15.00 + 0.00 + 19.80 = 134.80,
 *   total 665.00 − 66.50 + 99.00 = 697.50 */
#define WEB_ORDER_INCLUDED \
  "{\"number\": \"2001\", \"email\": \"kari.nordmann@example.no\", \"currency\": \"NOK\"," \
  " \"financial_status\": \"paid\", \"processed_at\": \"2026-11-20T10:00:00Z\"," \
  " \"taxes_included\": true," \
  " \"line_items\": [" \
  "  {\"sku\": \"MUG-001\", \"title\": \"Kaffekopp\", \"quantity\": 2, \"unit_price\": \"250.00\"," \
  "   \"tax_lines\": [{\"title\": \"MVA\", \"rate\": \"0.25\", \"price\": \"100.00\"}]}," \
  "  {\"sku\": \"JAM-01\", \"title\": \"Syltetøy\", \"quantity\": 1, \"unit_price\": \"115.00\"," \
  "   \"tax_lines\": [{\"title\": \"MVA\", \"rate\": \"0.15\", \"price\": \"15.00\"}]}," \
  "  {\"sku\": \"BOOK-01\", \"title\": \"Bok\", \"quantity\": 1, \"unit_price\": \"50.00\"," \
  "   \"tax_lines\": [{\"title\": \"MVA\", \"rate\": \"0\", \"price\": \"0.00\"}]}]," \
  " \"shipping_lines\": [{\"title\": \"Posten\", \"price\": \"99.00\"," \
  "   \"tax_lines\": [{\"title\": \"MVA\", \"rate\": \"0.25\", \"price\": \"19.80\"}]}]," \
  " \"discounts\": [{\"code\": \"SOMMER10\", \"amount\": \"66.50\"}]," \
  " \"subtotal_price\": \"665.00\", \"total_discounts\": \"66.50\", \"total_shipping\": \"99.00\"," \
  " \"total_tax\": \"134.80\", \"total_price\": \"697.50\", \"tags\": []}"

/* VAT on top: 25 %, 15 %, a line without tax lines, taxed shipping and a
 * discount code.
 *   lines 2 × 200.00 + 100.00 + 50.00 = 550.00, discount 50.00,
 *   shipping 79.20, tax 100.00 + 15.00 + 19.80 = 134.80,
 *   total 550.00 − 50.00 + 79.20 + 134.80 = 714.00 */
#define WEB_ORDER_EXCLUDED \
  "{\"number\": \"2002\", \"email\": \"kari.nordmann@example.no\", \"currency\": \"NOK\"," \
  " \"financial_status\": \"paid\", \"processed_at\": \"2026-11-20T10:00:00Z\"," \
  " \"taxes_included\": false," \
  " \"line_items\": [" \
  "  {\"sku\": \"MUG-001\", \"title\": \"Kaffekopp\", \"quantity\": 2, \"unit_price\": \"200.00\"," \
  "   \"tax_lines\": [{\"title\": \"MVA\", \"rate\": \"0.25\", \"price\": \"100.00\"}]}," \
  "  {\"sku\": \"JAM-01\", \"title\": \"Syltetøy\", \"quantity\": 1, \"unit_price\": \"100.00\"," \
  "   \"tax_lines\": [{\"title\": \"MVA\", \"rate\": \"0.15\", \"price\": \"15.00\"}]}," \
  "  {\"sku\": \"BOOK-01\", \"title\": \"Bok\", \"quantity\": 1, \"unit_price\": \"50.00\"}]," \
  " \"shipping_lines\": [{\"title\": \"Posten\", \"price\": \"79.20\"," \
  "   \"tax_lines\": [{\"title\": \"MVA\", \"rate\": \"0.25\", \"price\": \"19.80\"}]}]," \
  " \"discounts\": [{\"code\": \"VIP\", \"amount\": \"50.00\"}]," \
  " \"subtotal_price\": \"550.00\", \"total_discounts\": \"50.00\", \"total_shipping\": \"79.20\"," \
  " \"total_tax\": \"134.80\", \"total_price\": \"714.00\", \"tags\": []}"

typedef struct {
  const char *name;
  const char *order;
  gboolean    included;
  const char *shop_subtotal;   /* Shopify's: after the discount */
  const char *discounts;
  const char *shipping;
  const char *tax;
  const char *total;
  const char *code;
  const char *line_price[3];   /* the tax of each line, "" for none */
  double      line_rate[3];
  const char *shipping_tax;
} WebCase;

static const WebCase web_cases[] = {
  { "vat-included", WEB_ORDER_INCLUDED, TRUE, "598.50", "66.50", "99.00", "134.80", "697.50",
    "SOMMER10", { "100.00", "15.00", "0.00" }, { 0.25, 0.15, 0 }, "19.80" },
  { "vat-excluded", WEB_ORDER_EXCLUDED, FALSE, "500.00", "50.00", "79.20", "134.80", "714.00",
    "VIP", { "100.00", "15.00", "" }, { 0.25, 0.15, 0 }, "19.80" },
};

/* orderCreate carries each line's and the shipping's tax lines (no
 * order-level one) and the discount code; Shopify's subtotal (after the
 * discount), discounts, shipping, tax and total are the webshop's. */
static void
test_from_webshop (gconstpointer data)
{
  const WebCase *wc = data;
  E2E *e2e = e2e_new ();
  g_autoptr(JsonObject) shop = NULL;
  g_autofree char *id = NULL;
  JsonObject *application;

  id = e2e_seed_webshop (e2e, TDM_KIND_ORDER, wc->order);
  run_twice (e2e);

  shop = e2e_find_shopify (e2e, TDM_KIND_ORDER, "sourceIdentifier", id);
  g_assert_nonnull (shop);
  g_assert_true (json_object_get_boolean_member (shop, "taxesIncluded") == wc->included);
  g_assert_cmpstr (e2e_json_path_string (shop, "subtotalPriceSet.shopMoney.amount"), ==,
                   wc->shop_subtotal);
  g_assert_cmpstr (e2e_json_path_string (shop, "totalDiscountsSet.shopMoney.amount"), ==,
                   wc->discounts);
  g_assert_cmpstr (e2e_json_path_string (shop, "totalShippingPriceSet.shopMoney.amount"), ==,
                   wc->shipping);
  g_assert_cmpstr (e2e_json_path_string (shop, "totalTaxSet.shopMoney.amount"), ==, wc->tax);
  g_assert_cmpstr (e2e_json_path_string (shop, "totalPriceSet.shopMoney.amount"), ==, wc->total);

  /* the taxes where the webshop has them, none at the order level */
  g_assert_cmpuint (length_at (shop, "taxLines"), ==, 0);
  for (guint i = 0; i < 3; i++)
    {
      JsonObject *line = element_at (shop, "lineItems.nodes", i);

      if (*wc->line_price[i] == '\0')
        {
          g_assert_cmpuint (length_at (line, "taxLines"), ==, 0);
          continue;
        }
      g_assert_cmpuint (length_at (line, "taxLines"), ==, 1);
      assert_shopify_tax (element_at (line, "taxLines", 0), "MVA", wc->line_rate[i],
                          wc->line_price[i]);
    }
  assert_shopify_tax (element_at (element_at (shop, "shippingLines.nodes", 0), "taxLines", 0),
                      "MVA", 0.25, wc->shipping_tax);

  application = element_at (shop, "discountApplications.nodes", 0);
  g_assert_cmpstr (e2e_json_path_string (application, "code"), ==, wc->code);
  g_assert_cmpstr (e2e_json_path_string (application, "value.amount"), ==, wc->discounts);
  e2e_free (e2e);
}

/* Shopify keeps one discount code per order: the webshop's two go as one,
 * with their total, so the totals still agree. */
static void
test_from_webshop_two_codes (void)
{
  E2E *e2e = e2e_new ();
  g_autoptr(JsonObject) shop = NULL;
  g_autofree char *id = NULL;
  TdmSyncCounts counts;

  id = e2e_seed_webshop (e2e, TDM_KIND_ORDER,
    "{\"number\": \"2003\", \"email\": \"kari.nordmann@example.no\", \"currency\": \"NOK\","
    " \"financial_status\": \"paid\", \"processed_at\": \"2026-11-20T10:00:00Z\","
    " \"taxes_included\": true,"
    " \"line_items\": [{\"sku\": \"MUG-001\", \"title\": \"Kaffekopp\", \"quantity\": 4,"
    "   \"unit_price\": \"250.00\","
    "   \"tax_lines\": [{\"title\": \"MVA\", \"rate\": \"0.25\", \"price\": \"176.00\"}]}],"
    " \"discounts\": [{\"code\": \"SOMMER10\", \"amount\": \"100.00\"},"
    "                 {\"code\": \"VIP\", \"amount\": \"20.00\"}],"
    " \"subtotal_price\": \"1000.00\", \"total_discounts\": \"120.00\", \"total_shipping\": \"0.00\","
    " \"total_tax\": \"176.00\", \"total_price\": \"880.00\", \"tags\": []}");

  e2e_run_ok (e2e, NULL, &counts);
  g_assert_cmpuint (counts.errors, ==, 0);
  shop = e2e_find_shopify (e2e, TDM_KIND_ORDER, "sourceIdentifier", id);
  g_assert_nonnull (shop);
  g_assert_cmpstr (e2e_json_path_string (element_at (shop, "discountApplications.nodes", 0),
                                         "code"), ==, "SOMMER10, VIP");
  g_assert_cmpstr (e2e_json_path_string (shop, "totalDiscountsSet.shopMoney.amount"), ==,
                   "120.00");
  g_assert_cmpstr (e2e_json_path_string (shop, "totalTaxSet.shopMoney.amount"), ==, "176.00");
  g_assert_cmpstr (e2e_json_path_string (shop, "totalPriceSet.shopMoney.amount"), ==, "880.00");

  /* the codes differ and cannot be written: nothing is sent again */
  e2e_assert_next_run_writes_nothing (e2e);
  e2e_free (e2e);
}

/* A tax line without its rate is refused with the record and the field
 * named, and nothing is created in Shopify. */
static void
test_from_webshop_rate_missing (void)
{
  E2E *e2e = e2e_new ();
  g_autofree char *id = NULL;
  g_autoptr(GError) error = NULL;
  TdmSyncCounts counts;
  gboolean named = FALSE;

  id = e2e_seed_webshop (e2e, TDM_KIND_ORDER,
    "{\"number\": \"2004\", \"email\": \"kari.nordmann@example.no\", \"currency\": \"NOK\","
    " \"processed_at\": \"2026-11-20T10:00:00Z\", \"taxes_included\": true,"
    " \"line_items\": [{\"sku\": \"MUG-001\", \"title\": \"Kaffekopp\", \"quantity\": 1,"
    "   \"unit_price\": \"250.00\", \"tax_lines\": [{\"title\": \"MVA\", \"price\": \"50.00\"}]}],"
    " \"subtotal_price\": \"250.00\", \"total_tax\": \"50.00\", \"total_price\": \"250.00\","
    " \"tags\": []}");

  e2e_run_ok (e2e, NULL, &counts);
  g_assert_cmpuint (e2e_count_shopify_by (e2e, TDM_KIND_ORDER, "sourceIdentifier", id), ==, 0);
  for (guint i = 0; i < e2e->record_errors->len; i++)
    {
      TdmRecordError *re = e2e->record_errors->pdata[i];

      g_test_message ("record error: %s (%s)", re->message, re->field);
      if (g_strcmp0 (re->record_id, id) == 0 && g_strcmp0 (re->field, "line_items") == 0
          && strstr (re->message, "“Tax” in item 1 of “Order lines”") != NULL
          && strstr (re->message, "tax_lines") == NULL
          && strstr (re->message, "“MVA” has no rate") != NULL)
        named = TRUE;
    }
  g_assert_true (named);
  e2e_free (e2e);
}

/* ---- Placed in Shopify ---- */

/* An order as Shopify holds it: tax lines per line (rates as Floats) and on
 * the shipping, a fixed discount code, and Shopify's totals (the subtotal
 * after the discount). */
#define SHOP_ORDER \
  "{\"name\": \"#%s\", \"email\": \"sven@example.se\", \"currencyCode\": \"NOK\"," \
  " \"processedAt\": \"2026-11-21T09:15:00Z\", \"displayFinancialStatus\": \"PAID\"," \
  " \"displayFulfillmentStatus\": \"UNFULFILLED\", \"taxesIncluded\": %s, \"tags\": []," \
  " \"lineItems\": {\"nodes\": [" \
  "  {\"sku\": null, \"title\": \"Kaffekopp\", \"quantity\": 2, \"variant\": null," \
  "   \"originalUnitPriceSet\": {\"shopMoney\": {\"amount\": \"%s\", \"currencyCode\": \"NOK\"}}," \
  "   \"taxLines\": [{\"title\": \"MVA\", \"rate\": 0.25, \"priceSet\": {\"shopMoney\": {\"amount\": \"100.0\"}}}]}," \
  "  {\"sku\": null, \"title\": \"Syltetøy\", \"quantity\": 1, \"variant\": null," \
  "   \"originalUnitPriceSet\": {\"shopMoney\": {\"amount\": \"%s\", \"currencyCode\": \"NOK\"}}," \
  "   \"taxLines\": [{\"title\": \"MVA\", \"rate\": 0.15, \"priceSet\": {\"shopMoney\": {\"amount\": \"15.0\"}}}]}," \
  "  {\"sku\": null, \"title\": \"Bok\", \"quantity\": 1, \"variant\": null," \
  "   \"originalUnitPriceSet\": {\"shopMoney\": {\"amount\": \"50.0\", \"currencyCode\": \"NOK\"}}," \
  "   \"taxLines\": [{\"title\": \"MVA\", \"rate\": 0.0, \"priceSet\": {\"shopMoney\": {\"amount\": \"0.0\"}}}]}]}," \
  " \"shippingLines\": {\"nodes\": [{\"title\": \"Posten\"," \
  "   \"originalPriceSet\": {\"shopMoney\": {\"amount\": \"%s\"}}," \
  "   \"taxLines\": [{\"title\": \"MVA\", \"rate\": 0.25, \"priceSet\": {\"shopMoney\": {\"amount\": \"19.8\"}}}]}]}," \
  " \"discountApplications\": {\"nodes\": [{\"code\": \"HOST25\", \"value\": {\"amount\": \"%s\"}}]}," \
  " \"subtotalPriceSet\": {\"shopMoney\": {\"amount\": \"%s\"}}," \
  " \"totalDiscountsSet\": {\"shopMoney\": {\"amount\": \"%s\"}}," \
  " \"totalShippingPriceSet\": {\"shopMoney\": {\"amount\": \"%s\"}}," \
  " \"totalTaxSet\": {\"shopMoney\": {\"amount\": \"134.8\"}}," \
  " \"totalPriceSet\": {\"shopMoney\": {\"amount\": \"%s\"}}}"

typedef struct {
  const char *name;
  const char *number;
  gboolean    included;
  const char *mug;          /* unit prices */
  const char *jam;
  const char *shipping;
  const char *discount;
  const char *shop_subtotal;
  const char *total;
  /* the webshop's: its subtotal before the discount, every amount with two decimals */
  const char *web_subtotal;
  const char *web_discount;
  const char *web_shipping;
  const char *web_total;
} ShopCase;

/* Included: 2 × 250 + 115 + 50 = 665, less 66.50 = 598.50; 598.50 + 99 = 697.50.
 * On top: 2 × 200 + 100 + 50 = 550, less 50 = 500; 500 + 79.20 + 134.80 = 714. */
static const ShopCase shop_cases[] = {
  { "vat-included", "1101", TRUE, "250.0", "115.0", "99.0", "66.5", "598.5", "697.5",
    "665.00", "66.50", "99.00", "697.50" },
  { "vat-excluded", "1102", FALSE, "200.0", "100.0", "79.2", "50.0", "500.0", "714.0",
    "550.00", "50.00", "79.20", "714.00" },
};

/* The webshop gets the tax lines of each line and of the shipping (rates as
 * decimal fractions, amounts with two decimals), the discount code with its
 * amount, the discounts and shipping totals, and its own subtotal, before
 * the discount, so that its total is subtotal − discounts + shipping
 * (+ tax), to the cent (the fake webshop refuses any other). */
static void
test_born_in_shopify (gconstpointer data)
{
  const ShopCase *sc = data;
  E2E *e2e = e2e_new ();
  g_autoptr(JsonObject) web = NULL;
  g_autofree char *json = NULL;
  g_autofree char *gid = NULL;
  JsonObject *line;

  json = g_strdup_printf (SHOP_ORDER, sc->number, sc->included ? "true" : "false", sc->mug,
                          sc->jam, sc->shipping, sc->discount, sc->shop_subtotal, sc->discount,
                          sc->shipping, sc->total);
  gid = e2e_seed_shopify (e2e, TDM_KIND_ORDER, json);
  run_twice (e2e);

  web = e2e_find_webshop (e2e, TDM_KIND_ORDER, "shopify_id", gid);
  g_assert_nonnull (web);
  g_assert_true (json_object_get_boolean_member (web, "taxes_included") == sc->included);
  g_assert_cmpstr (e2e_json_path_string (web, "subtotal_price"), ==, sc->web_subtotal);
  g_assert_cmpstr (e2e_json_path_string (web, "total_discounts"), ==, sc->web_discount);
  g_assert_cmpstr (e2e_json_path_string (web, "total_shipping"), ==, sc->web_shipping);
  g_assert_cmpstr (e2e_json_path_string (web, "total_tax"), ==, "134.80");
  g_assert_cmpstr (e2e_json_path_string (web, "total_price"), ==, sc->web_total);

  line = element_at (web, "line_items", 0);
  g_assert_cmpuint (length_at (line, "tax_lines"), ==, 1);
  assert_webshop_tax (element_at (line, "tax_lines", 0), "MVA", "0.25", "100.00");
  assert_webshop_tax (element_at (element_at (web, "line_items", 1), "tax_lines", 0),
                      "MVA", "0.15", "15.00");
  assert_webshop_tax (element_at (element_at (web, "line_items", 2), "tax_lines", 0),
                      "MVA", "0", "0.00");
  assert_webshop_tax (element_at (element_at (web, "shipping_lines", 0), "tax_lines", 0),
                      "MVA", "0.25", "19.80");
  g_assert_cmpuint (length_at (web, "discounts"), ==, 1);
  g_assert_cmpstr (e2e_json_path_string (element_at (web, "discounts", 0), "code"), ==, "HOST25");
  g_assert_cmpstr (e2e_json_path_string (element_at (web, "discounts", 0), "amount"), ==,
                   sc->web_discount);
  e2e_free (e2e);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (web_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/orders/taxes/from-webshop/%s", web_cases[i].name);
      g_test_add_data_func (path, &web_cases[i], test_from_webshop);
    }
  g_test_add_func ("/orders/taxes/from-webshop/two-codes", test_from_webshop_two_codes);
  g_test_add_func ("/orders/taxes/from-webshop/rate-missing", test_from_webshop_rate_missing);
  for (guint i = 0; i < G_N_ELEMENTS (shop_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/orders/taxes/born-in-shopify/%s",
                                               shop_cases[i].name);
      g_test_add_data_func (path, &shop_cases[i], test_born_in_shopify);
    }
  return g_test_run ();
}
