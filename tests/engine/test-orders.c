/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-test-orders"

#include "config.h"

#include "e2e-harness.h"

/* Orders arrive whole: money as decimal strings in the order's currency,
 * the order number as the number alone, lines with their product
 * (docs/mapping.md § Money, docs/webshop-api.md § order). */

#define SHOP_PLATE \
  "{\"title\": \"Tallerken\", \"handle\": \"tallerken\", \"status\": \"ACTIVE\", \"tags\": []," \
  " \"variants\": {\"nodes\": [{\"sku\": \"PLATE-001\", \"price\": \"1066.00\", \"inventoryQuantity\": 4," \
  " \"selectedOptions\": [{\"name\": \"Title\", \"value\": \"Default Title\"}]}]}}"

static JsonObject *
web_line (JsonObject *order,
          guint       index)
{
  JsonArray *lines = json_object_get_array_member (order, "line_items");

  g_assert_nonnull (lines);
  g_assert_cmpuint (index, <, json_array_get_length (lines));
  return json_array_get_object_element (lines, index);
}

static char *
seed_shopify_order (E2E        *e2e,
                    const char *name,
                    const char *currency,
                    const char *lines,
                    const char *shipping,
                    const char *subtotal,
                    const char *tax,
                    const char *total)
{
  g_autofree char *json = g_strdup_printf (
    "{\"name\": \"%s\", \"email\": \"sven@example.se\", \"currencyCode\": \"%s\","
    " \"processedAt\": \"2026-11-21T09:15:00Z\", \"displayFinancialStatus\": \"PAID\","
    " \"displayFulfillmentStatus\": \"UNFULFILLED\", \"taxesIncluded\": true, \"tags\": [],"
    " \"lineItems\": {\"nodes\": [%s]}, \"shippingLines\": {\"nodes\": [%s]},"
    " \"subtotalPriceSet\": {\"shopMoney\": {\"amount\": \"%s\"}},"
    " \"totalTaxSet\": {\"shopMoney\": {\"amount\": \"%s\"}},"
    " \"totalPriceSet\": {\"shopMoney\": {\"amount\": \"%s\"}}}",
    name, currency, lines, shipping, subtotal, tax, total);

  return e2e_seed_shopify (e2e, TDM_KIND_ORDER, json);
}

/* An order placed in Shopify reaches the webshop with two-decimal money,
 * its number without "#" and each line's product; the next run has
 * nothing to do. */
static void
test_born_in_shopify_shapes (void)
{
  E2E *e2e = e2e_new ();
  g_autoptr(JsonObject) stored_plate = NULL;
  g_autoptr(JsonObject) web_plate = NULL;
  g_autoptr(JsonObject) web_order = NULL;
  g_autofree char *plate = NULL, *order = NULL, *lines = NULL;
  const char *variant;
  TdmSyncCounts counts;

  plate = e2e_seed_shopify (e2e, TDM_KIND_PRODUCT, SHOP_PLATE);
  stored_plate = e2e_find_shopify (e2e, TDM_KIND_PRODUCT, "id", plate);
  g_assert_nonnull (stored_plate);
  variant = json_object_get_string_member (
    json_array_get_object_element (
      json_object_get_array_member (json_object_get_object_member (stored_plate, "variants"),
                                    "nodes"), 0), "id");
  g_assert_nonnull (variant);

  lines = g_strdup_printf (
    "{\"sku\": \"PLATE-001\", \"title\": \"Tallerken\", \"quantity\": 2,"
    " \"originalUnitPriceSet\": {\"shopMoney\": {\"amount\": \"1066.0\", \"currencyCode\": \"NOK\"}},"
    " \"variant\": {\"id\": \"%s\", \"product\": {\"id\": \"%s\"}}},"
    "{\"sku\": null, \"title\": \"Gaveinnpakning\", \"quantity\": 1,"
    " \"originalUnitPriceSet\": {\"shopMoney\": {\"amount\": \"29.5\", \"currencyCode\": \"NOK\"}},"
    " \"variant\": null}", variant, plate);
  order = seed_shopify_order (e2e, "#1001", "NOK", lines,
                              "{\"title\": \"Posten\", \"originalPriceSet\": {\"shopMoney\": {\"amount\": \"99\"}}}",
                              "2161.5", "432.3", "2260.5");

  e2e_run_ok (e2e, NULL, &counts);
  g_assert_cmpuint (counts.errors, ==, 0);

  web_plate = e2e_find_webshop (e2e, TDM_KIND_PRODUCT, "shopify_id", plate);
  g_assert_nonnull (web_plate);
  web_order = e2e_find_webshop (e2e, TDM_KIND_ORDER, "shopify_id", order);
  g_assert_nonnull (web_order);

  g_assert_cmpstr (e2e_json_path_string (web_order, "number"), ==, "1001");
  g_assert_cmpstr (e2e_json_path_string (web_order, "subtotal_price"), ==, "2161.50");
  g_assert_cmpstr (e2e_json_path_string (web_order, "total_tax"), ==, "432.30");
  g_assert_cmpstr (e2e_json_path_string (web_order, "total_price"), ==, "2260.50");
  g_assert_cmpstr (e2e_json_path_string (web_line (web_order, 0), "unit_price"), ==, "1066.00");
  g_assert_cmpstr (e2e_json_path_string (web_line (web_order, 1), "unit_price"), ==, "29.50");
  g_assert_cmpstr (e2e_json_path_string (web_line (web_order, 0), "product_id"), ==,
                   json_object_get_string_member (web_plate, "id"));
  g_assert_false (json_object_has_member (web_line (web_order, 1), "product_id")
                  && e2e_json_path_string (web_line (web_order, 1), "product_id") != NULL);
  {
    JsonObject *ship = json_array_get_object_element (
      json_object_get_array_member (web_order, "shipping_lines"), 0);
    g_assert_cmpstr (e2e_json_path_string (ship, "price"), ==, "99.00");
  }

  e2e_assert_next_run_writes_nothing (e2e);
  e2e_free (e2e);
}

/* Currencies with three decimals get three: 12.5 KWD is "12.500". */
static void
test_born_in_shopify_three_decimals (void)
{
  E2E *e2e = e2e_new ();
  g_autoptr(JsonObject) web_order = NULL;
  g_autofree char *order = NULL;
  TdmSyncCounts counts;

  order = seed_shopify_order (e2e, "#1002", "KWD",
                              "{\"sku\": null, \"title\": \"Dallah\", \"quantity\": 1,"
                              " \"originalUnitPriceSet\": {\"shopMoney\": {\"amount\": \"12.5\", \"currencyCode\": \"KWD\"}},"
                              " \"variant\": null}",
                              "", "12.5", "0.595", "12.5");

  e2e_run_ok (e2e, NULL, &counts);
  g_assert_cmpuint (counts.errors, ==, 0);
  web_order = e2e_find_webshop (e2e, TDM_KIND_ORDER, "shopify_id", order);
  g_assert_nonnull (web_order);
  g_assert_cmpstr (e2e_json_path_string (web_order, "currency"), ==, "KWD");
  g_assert_cmpstr (e2e_json_path_string (web_order, "number"), ==, "1002");
  g_assert_cmpstr (e2e_json_path_string (web_order, "subtotal_price"), ==, "12.500");
  g_assert_cmpstr (e2e_json_path_string (web_order, "total_tax"), ==, "0.595");
  g_assert_cmpstr (e2e_json_path_string (web_line (web_order, 0), "unit_price"), ==, "12.500");

  e2e_assert_next_run_writes_nothing (e2e);
  e2e_free (e2e);
}

typedef struct {
  const char *name;
  gboolean    included;
  const char *lines;
  const char *shipping;
  const char *subtotal;
  const char *tax;
  const char *total;
} WebOrder;

/* VAT included and on top, 25 % and 15 % lines, a line without tax and
 * shipping with its tax: Shopify's subtotal, tax and total are the
 * webshop's, to the cent. */
static const WebOrder web_orders[] = {
  { "vat-included", TRUE,
    "{\"sku\": \"MUG-001\", \"title\": \"Kaffekopp\", \"quantity\": 2, \"unit_price\": \"149.00\"},"
    "{\"sku\": \"JAM-01\", \"title\": \"Syltetøy\", \"quantity\": 1, \"unit_price\": \"115.00\"},"
    "{\"sku\": \"BOOK-01\", \"title\": \"Bok\", \"quantity\": 1, \"unit_price\": \"50.00\"}",
    "{\"title\": \"Posten\", \"price\": \"99.00\"}",
    "463.00", "94.40", "562.00" },
  { "vat-excluded", FALSE,
    "{\"sku\": \"MUG-001\", \"title\": \"Kaffekopp\", \"quantity\": 2, \"unit_price\": \"119.20\"},"
    "{\"sku\": \"JAM-01\", \"title\": \"Syltetøy\", \"quantity\": 1, \"unit_price\": \"100.00\"},"
    "{\"sku\": \"BOOK-01\", \"title\": \"Bok\", \"quantity\": 1, \"unit_price\": \"50.00\"}",
    "{\"title\": \"Posten\", \"price\": \"79.20\"}",
    "388.40", "94.40", "562.00" },
  { "demo-6444", TRUE,
    "{\"sku\": \"SOFA-01\", \"title\": \"Sofa\", \"quantity\": 4, \"unit_price\": \"1611.00\"}",
    "", "6444.00", "1288.80", "6444.00" },
};

static void
test_webshop_order_totals (gconstpointer data)
{
  const WebOrder *wo = data;
  E2E *e2e = e2e_new ();
  g_autoptr(JsonObject) shop_order = NULL;
  g_autofree char *json = NULL, *order = NULL;
  TdmSyncCounts counts;

  json = g_strdup_printf ("{\"number\": \"1001\", \"email\": \"kari.nordmann@example.no\","
                          " \"currency\": \"NOK\", \"financial_status\": \"paid\","
                          " \"processed_at\": \"2026-11-20T10:00:00Z\", \"taxes_included\": %s,"
                          " \"line_items\": [%s], \"shipping_lines\": [%s],"
                          " \"subtotal_price\": \"%s\", \"total_tax\": \"%s\", \"total_price\": \"%s\","
                          " \"tags\": []}",
                          wo->included ? "true" : "false", wo->lines, wo->shipping,
                          wo->subtotal, wo->tax, wo->total);
  order = e2e_seed_webshop (e2e, TDM_KIND_ORDER, json);

  e2e_run_ok (e2e, NULL, &counts);
  g_assert_cmpuint (counts.errors, ==, 0);
  shop_order = e2e_find_shopify (e2e, TDM_KIND_ORDER, "sourceIdentifier", order);
  g_assert_nonnull (shop_order);
  g_assert_true (json_object_get_boolean_member (shop_order, "taxesIncluded") == wo->included);
  g_assert_cmpstr (e2e_json_path_string (shop_order, "subtotalPriceSet.shopMoney.amount"), ==,
                   wo->subtotal);
  g_assert_cmpstr (e2e_json_path_string (shop_order, "totalTaxSet.shopMoney.amount"), ==, wo->tax);
  g_assert_cmpstr (e2e_json_path_string (shop_order, "totalPriceSet.shopMoney.amount"), ==,
                   wo->total);

  /* both sides agree: the next run has nothing to do */
  e2e_assert_next_run_writes_nothing (e2e);
  e2e_free (e2e);
}

/* An order placed in Shopify names its customer and its lines' products
 * by Shopify's ids. Tandem keeps both copies in the webshop's ids where the
 * records are linked (docs/sync.md § References): the stored Shopify copy
 * equals the webshop's order, so the owner sees no difference. */
static void
test_born_in_shopify_references (void)
{
  E2E *e2e = e2e_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) web_plate = NULL;
  g_autoptr(JsonObject) web_sven = NULL;
  g_autoptr(JsonObject) web_order = NULL;
  g_autoptr(TdmRecord) cached = NULL;
  g_autofree char *plate = NULL, *sven = NULL, *order = NULL, *json = NULL;
  JsonObject *line;
  TdmSyncCounts counts;

  sven = e2e_seed_shopify (e2e, TDM_KIND_CUSTOMER,
                           "{\"firstName\": \"Sven\", \"lastName\": \"Berg\","
                           " \"defaultEmailAddress\": {\"emailAddress\": \"sven@example.se\"}}");
  plate = e2e_seed_shopify (e2e, TDM_KIND_PRODUCT, SHOP_PLATE);
  json = g_strdup_printf (
    "{\"name\": \"#1002\", \"email\": \"sven@example.se\", \"currencyCode\": \"NOK\","
    " \"customer\": {\"id\": \"%s\"},"
    " \"processedAt\": \"2026-11-21T09:15:00Z\", \"displayFinancialStatus\": \"PAID\","
    " \"displayFulfillmentStatus\": \"UNFULFILLED\", \"taxesIncluded\": true, \"tags\": [],"
    " \"lineItems\": {\"nodes\": [{\"sku\": \"PLATE-001\", \"title\": \"Tallerken\", \"quantity\": 1,"
    " \"originalUnitPriceSet\": {\"shopMoney\": {\"amount\": \"1066.0\", \"currencyCode\": \"NOK\"}},"
    " \"variant\": {\"product\": {\"id\": \"%s\"}}}]}, \"shippingLines\": {\"nodes\": []},"
    " \"subtotalPriceSet\": {\"shopMoney\": {\"amount\": \"1066\"}},"
    " \"totalTaxSet\": {\"shopMoney\": {\"amount\": \"213.2\"}},"
    " \"totalPriceSet\": {\"shopMoney\": {\"amount\": \"1066\"}}}", sven, plate);
  order = e2e_seed_shopify (e2e, TDM_KIND_ORDER, json);

  g_assert_true (e2e_run (e2e, NULL, &counts, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts.errors, ==, 0);

  web_sven = e2e_find_webshop (e2e, TDM_KIND_CUSTOMER, "shopify_id", sven);
  web_plate = e2e_find_webshop (e2e, TDM_KIND_PRODUCT, "shopify_id", plate);
  web_order = e2e_find_webshop (e2e, TDM_KIND_ORDER, "shopify_id", order);
  g_assert_nonnull (web_sven);
  g_assert_nonnull (web_plate);
  g_assert_nonnull (web_order);
  g_assert_cmpstr (e2e_json_path_string (web_order, "customer_id"), ==,
                   e2e_json_path_string (web_sven, "id"));
  g_assert_cmpstr (e2e_json_path_string (web_line (web_order, 0), "product_id"), ==,
                   e2e_json_path_string (web_plate, "id"));

  /* the stored Shopify copy: the webshop's ids, not Shopify's */
  cached = tdm_record_store_lookup_cached (TDM_RECORD_STORE (e2e->store), TDM_KIND_ORDER,
                                           TDM_SIDE_SHOPIFY, order, &error);
  g_assert_no_error (error);
  g_assert_nonnull (cached);
  g_assert_cmpstr (json_object_get_string_member (cached->fields, "customer_id"), ==,
                   e2e_json_path_string (web_sven, "id"));
  line = json_array_get_object_element (json_object_get_array_member (cached->fields, "line_items"), 0);
  g_assert_cmpstr (json_object_get_string_member (line, "product_id"), ==,
                   e2e_json_path_string (web_plate, "id"));

  e2e_clear_logs (e2e);
  g_assert_true (e2e_run (e2e, NULL, &counts, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (e2e_webshop_writes (e2e) + e2e_shopify_writes (e2e), ==, 0);
  e2e_free (e2e);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/orders/born-in-shopify/shapes", test_born_in_shopify_shapes);
  g_test_add_func ("/orders/born-in-shopify/three-decimals", test_born_in_shopify_three_decimals);
  g_test_add_func ("/orders/born-in-shopify/references", test_born_in_shopify_references);
  for (guint i = 0; i < G_N_ELEMENTS (web_orders); i++)
    {
      g_autofree char *path = g_strdup_printf ("/orders/from-webshop/%s", web_orders[i].name);
      g_test_add_data_func (path, &web_orders[i], test_webshop_order_totals);
    }
  return g_test_run ();
}
