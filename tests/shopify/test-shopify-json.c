/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-test-shopify-json"

#include "config.h"

#include <string.h>
#include "tdm-error.h"
#include "tdm-shopify-json.h"
#include "tdm-shopify-schema.h"
#include "tdm-shopify-client.h"

static JsonObject *
parse (const char *json)
{
  g_autoptr(GError) error = NULL;
  JsonObject *object = tdm_json_object_from_string (json, &error);

  g_assert_no_error (error);
  return object;
}

static void
test_cost_parse (void)
{
  g_autoptr(JsonObject) root = parse ("{\"data\":{},\"extensions\":{\"cost\":{\"requestedQueryCost\":252,"
                                      "\"actualQueryCost\":12,\"throttleStatus\":{\"maximumAvailable\":2000.0,"
                                      "\"currentlyAvailable\":1988,\"restoreRate\":100.0}}}}");
  g_autoptr(JsonObject) throttled = parse ("{\"errors\":[{\"message\":\"Throttled\",\"extensions\":{\"code\":\"THROTTLED\"}}],"
                                           "\"extensions\":{\"cost\":{\"requestedQueryCost\":752,\"actualQueryCost\":null,"
                                           "\"throttleStatus\":{\"maximumAvailable\":1000.0,\"currentlyAvailable\":666,"
                                           "\"restoreRate\":50.0}}}}");
  g_autoptr(GError) error = NULL;
  TdmShopifyCost cost;

  g_assert_true (tdm_shopify_parse_cost (root, &cost));
  g_assert_cmpfloat (cost.requested, ==, 252);
  g_assert_cmpfloat (cost.actual, ==, 12);
  g_assert_true (cost.has_throttle);
  g_assert_cmpfloat (cost.maximum, ==, 2000);
  g_assert_cmpfloat (cost.available, ==, 1988);
  g_assert_cmpfloat (cost.restore_rate, ==, 100);

  g_assert_true (tdm_shopify_parse_cost (throttled, &cost));
  g_assert_cmpfloat (cost.actual, ==, -1);
  /* ceil ((752 - 666) / 50) = 2 s */
  g_assert_cmpint (tdm_shopify_throttle_wait_us (&cost), ==, 2 * G_USEC_PER_SEC);
  g_assert_cmpint (tdm_shopify_check_errors (throttled, &error), ==, TDM_SHOPIFY_ERRORS_THROTTLED);
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_RATE_LIMITED);
}

static void
test_bucket (void)
{
  TdmShopifyBucket bucket;
  TdmShopifyCost cost = { 0 };

  tdm_shopify_bucket_init (&bucket);
  /* Unknown: never waits. */
  g_assert_cmpint (tdm_shopify_bucket_wait_us (&bucket, 5000, 0), ==, 0);

  cost.has_throttle = TRUE;
  cost.maximum = 2000;
  cost.available = 100;
  cost.restore_rate = 100;
  tdm_shopify_bucket_update (&bucket, &cost, 0);
  g_assert_cmpint (tdm_shopify_bucket_wait_us (&bucket, 50, 0), ==, 0);
  /* 300 points missing at 100/s → 3 s. */
  g_assert_cmpint (tdm_shopify_bucket_wait_us (&bucket, 400, 0), ==, 3 * G_USEC_PER_SEC);
  /* One second later only 2 s are left. */
  g_assert_cmpint (tdm_shopify_bucket_wait_us (&bucket, 400, G_USEC_PER_SEC), ==, 2 * G_USEC_PER_SEC);
  /* Restoring stops at the maximum; a cost above it waits for a full bucket. */
  g_assert_cmpfloat (tdm_shopify_bucket_available (&bucket, 100 * G_USEC_PER_SEC), ==, 2000);
  g_assert_cmpint (tdm_shopify_bucket_wait_us (&bucket, 5000, 100 * G_USEC_PER_SEC), ==, 0);
  /* Taking points makes the next request wait. */
  tdm_shopify_bucket_take (&bucket, 1990, 100 * G_USEC_PER_SEC);
  g_assert_cmpint (tdm_shopify_bucket_wait_us (&bucket, 110, 100 * G_USEC_PER_SEC), ==, G_USEC_PER_SEC);
  /* Points of a request Shopify never ran come back at once… */
  tdm_shopify_bucket_settle (&bucket, 1990);
  tdm_shopify_bucket_refund (&bucket, 1990, 100 * G_USEC_PER_SEC);
  g_assert_cmpint (tdm_shopify_bucket_wait_us (&bucket, 2000, 100 * G_USEC_PER_SEC), ==, 0);
  /* … but never beyond the maximum. */
  tdm_shopify_bucket_refund (&bucket, 500, 100 * G_USEC_PER_SEC);
  g_assert_cmpfloat (tdm_shopify_bucket_available (&bucket, 100 * G_USEC_PER_SEC), ==, 2000);
}

static void
test_errors (void)
{
  g_autoptr(JsonObject) denied = parse ("{\"errors\":[{\"message\":\"Access denied for customers field. "
                                        "Required access: `read_customers` access scope.\","
                                        "\"extensions\":{\"code\":\"ACCESS_DENIED\"}}]}");
  g_autoptr(JsonObject) ok = parse ("{\"data\":{\"shop\":{}}}");
  g_autoptr(JsonObject) other = parse ("{\"errors\":[{\"message\":\"Field 'nope' doesn't exist\"}]}");
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (tdm_shopify_check_errors (ok, &error), ==, TDM_SHOPIFY_ERRORS_NONE);
  g_assert_no_error (error);
  g_assert_cmpint (tdm_shopify_check_errors (denied, &error), ==, TDM_SHOPIFY_ERRORS_ACCESS_DENIED);
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_AUTH);
  g_assert_nonnull (strstr (error->message, "read_customers"));
  g_clear_error (&error);
  g_assert_cmpint (tdm_shopify_check_errors (other, &error), ==, TDM_SHOPIFY_ERRORS_OTHER);
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_INVALID_RESPONSE);
}

static void
test_queries (void)
{
  g_autofree char *c = tdm_shopify_changed_query (TDM_KIND_CUSTOMER, "2026-11-26T18:01:15Z");
  g_autofree char *p = tdm_shopify_changed_query (TDM_KIND_PRODUCT, "2026-11-26T19:01:15+01:00");
  g_autofree char *s = tdm_shopify_sku_query ("A\"B\\C");

  g_assert_cmpstr (c, ==, "updated_at:>='2026-11-26T00:00:00Z'");
  g_assert_cmpstr (p, ==, "updated_at:>'2026-11-26T18:01:15Z'");
  g_assert_null (tdm_shopify_changed_query (TDM_KIND_ORDER, NULL));
  g_assert_cmpstr (s, ==, "sku:\"A\\\"B\\\\C\"");
}

static void
test_user_errors (void)
{
  g_autoptr(JsonObject) payload = parse ("{\"userErrors\":[{\"field\":[\"input\",\"email\"],"
                                         "\"message\":\"Email has already been taken\",\"code\":\"TAKEN\"}]}");
  g_autoptr(JsonObject) invalid = parse ("{\"userErrors\":[{\"field\":[\"input\",\"variants\",\"0\",\"sku\"],"
                                         "\"message\":\"is invalid\",\"code\":\"INVALID_VARIANT\"}]}");
  g_autoptr(GError) error = NULL;
  g_autoptr(TdmRecordError) rec = NULL;
  g_autofree char *path = NULL;

  {
    g_autoptr(JsonArray) none = json_array_new ();

    g_assert_false (tdm_shopify_user_errors (none, TDM_KIND_CUSTOMER, NULL, NULL, NULL, NULL, NULL,
                                             NULL));
    g_assert_null (tdm_shopify_user_error_path (none));
  }
  g_assert_true (tdm_shopify_user_errors (json_object_get_array_member (payload, "userErrors"),
                                          TDM_KIND_CUSTOMER, "customer kari@example.no", "17",
                                          NULL, NULL, &rec, &error));
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_DUPLICATE);
  path = tdm_shopify_user_error_path (json_object_get_array_member (payload, "userErrors"));
  g_assert_cmpstr (path, ==, "email");
  g_assert_cmpstr (rec->field, ==, "email");
  g_assert_cmpstr (rec->record_id, ==, "17");
  g_assert_nonnull (strstr (rec->message, "kari@example.no"));
  g_assert_nonnull (strstr (rec->message, "Email has already been taken"));
  g_clear_error (&error);
  g_clear_pointer (&rec, tdm_record_error_free);
  g_clear_pointer (&path, g_free);

  g_assert_true (tdm_shopify_user_errors (json_object_get_array_member (invalid, "userErrors"),
                                          TDM_KIND_PRODUCT, NULL, NULL, NULL, NULL, &rec, &error));
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_VALIDATION);
  path = tdm_shopify_user_error_path (json_object_get_array_member (invalid, "userErrors"));
  g_assert_cmpstr (path, ==, "variants.0.sku");
  g_assert_cmpstr (rec->field, ==, "variants.0.sku");
  g_assert_nonnull (strstr (rec->message, "(field “variants.0.sku”)"));
  g_clear_error (&error);
  g_clear_pointer (&rec, tdm_record_error_free);

  /* The caller's field for the record error, its words for the message:
   * the sentence is built once. */
  g_assert_true (tdm_shopify_user_errors (json_object_get_array_member (invalid, "userErrors"),
                                          TDM_KIND_PRODUCT, "product Skjerf", "9", "variants.sku",
                                          "SKU", &rec, &error));
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_VALIDATION);
  g_assert_cmpstr (rec->field, ==, "variants.sku");
  g_assert_cmpstr (rec->message, ==, error->message);
  g_assert_nonnull (strstr (rec->message, "Shopify rejected product Skjerf: is invalid (field “SKU”)"));
  g_assert_null (strstr (rec->message, "variants"));
}

/* Odd shapes (elements that are not objects, numbers in paths) never warn. */
static void
test_hostile_shapes (void)
{
  g_autoptr(JsonObject) errors = parse ("{\"errors\":[42,{\"message\":\"x\"}]}");
  g_autoptr(JsonObject) user = parse ("{\"userErrors\":[\"text\",null]}");
  g_autoptr(JsonObject) paths = parse ("{\"userErrors\":[{\"field\":[1.5,true,\"input\",3,null,[1]],"
                                       "\"message\":\"bad\"}]}");
  g_autoptr(JsonObject) write = parse ("{\"variants\":[1,null,{\"options\":[7,{\"name\":\"Size\"}]}],"
                                       "\"lineItems\":[\"x\",{\"quantity\":\"2\"}],\"shippingLines\":[false]}");
  g_autoptr(GError) error = NULL;
  g_autoptr(TdmRecordError) rec = NULL;
  g_autofree char *path = NULL;
  g_autoptr(JsonObject) product = NULL;
  g_autoptr(JsonObject) order = NULL;

  g_assert_cmpint (tdm_shopify_check_errors (errors, &error), ==, TDM_SHOPIFY_ERRORS_OTHER);
  g_clear_error (&error);
  g_assert_true (tdm_shopify_user_errors (json_object_get_array_member (user, "userErrors"),
                                          TDM_KIND_CUSTOMER, NULL, NULL, NULL, NULL, &rec, &error));
  g_assert_null (tdm_shopify_user_error_path (json_object_get_array_member (user, "userErrors")));
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_VALIDATION);
  g_clear_error (&error);
  g_clear_pointer (&rec, tdm_record_error_free);
  g_assert_true (tdm_shopify_user_errors (json_object_get_array_member (paths, "userErrors"),
                                          TDM_KIND_CUSTOMER, NULL, NULL, NULL, NULL, &rec, &error));
  path = tdm_shopify_user_error_path (json_object_get_array_member (paths, "userErrors"));
  g_assert_cmpstr (path, ==, "input.3");
  g_assert_cmpstr (rec->field, ==, "input.3");
  product = tdm_shopify_product_set_input (write, NULL, NULL);
  g_assert_cmpint (json_array_get_length (json_object_get_array_member (product, "variants")), ==, 3);
  order = tdm_shopify_order_create_input (write, NULL, "NOK", NULL);
  g_assert_cmpint (json_array_get_length (json_object_get_array_member (order, "lineItems")), ==, 2);
}

static void
test_customer_input (void)
{
  g_autoptr(JsonObject) write = parse ("{\"email\":\"kari@example.no\",\"firstName\":\"Kari\",\"tags\":[\"b\",\"a\"],"
                                       "\"addresses\":[{\"city\":\"Oslo\",\"countryCode\":\"NO\",\"zip\":\"0150\"}],"
                                       "\"emailMarketingState\":\"subscribed\",\"sourceIdentifier\":\"x\"}");
  g_autofree char *state = NULL;
  g_autoptr(JsonObject) input = tdm_shopify_customer_set_input (write, &state);
  JsonObject *address;

  g_assert_cmpstr (state, ==, "SUBSCRIBED");
  g_assert_cmpstr (json_object_get_string_member (input, "email"), ==, "kari@example.no");
  g_assert_false (json_object_has_member (input, "emailMarketingState"));
  g_assert_false (json_object_has_member (input, "sourceIdentifier"));
  g_assert_cmpint (json_array_get_length (json_object_get_array_member (input, "tags")), ==, 2);
  address = json_array_get_object_element (json_object_get_array_member (input, "addresses"), 0);
  g_assert_cmpstr (json_object_get_string_member (address, "countryCode"), ==, "NO");
  g_assert_cmpstr (json_object_get_string_member (address, "city"), ==, "Oslo");

  g_assert_null (tdm_shopify_consent_change ("SUBSCRIBED", "SUBSCRIBED"));
  g_assert_cmpstr (tdm_shopify_consent_change ("SUBSCRIBED", "NOT_SUBSCRIBED"), ==, "SUBSCRIBED");
  g_assert_null (tdm_shopify_consent_change ("UNSUBSCRIBED", "NOT_SUBSCRIBED"));
  g_assert_cmpstr (tdm_shopify_consent_change ("NOT_SUBSCRIBED", "SUBSCRIBED"), ==, "UNSUBSCRIBED");
}

static void
test_product_input (void)
{
  g_autoptr(JsonObject) write = parse ("{\"title\":\"Shirt\",\"status\":\"active\",\"variants\":["
                                       "{\"sku\":\"S-R\",\"price\":\"10\",\"options\":[{\"name\":\"Size\",\"value\":\"S\"},"
                                       "{\"name\":\"Color\",\"value\":\"Red\"}],\"weight\":{\"value\":\"0.5\",\"unit\":\"kg\"},"
                                       "\"inventoryQuantity\":7,\"priceExclVat\":\"8\"},"
                                       "{\"sku\":\"M-R\",\"price\":\"10\",\"options\":[{\"name\":\"Size\",\"value\":\"M\"},"
                                       "{\"name\":\"Color\",\"value\":\"Red\"}]}]}");
  g_autoptr(JsonObject) plain = parse ("{\"title\":\"Mug\",\"variants\":[{\"sku\":\"MUG\",\"price\":\"5\"}]}");
  g_autoptr(JsonArray) quantities = NULL;
  g_autoptr(JsonArray) prices_excl = NULL;
  g_autoptr(JsonObject) input = tdm_shopify_product_set_input (write, &quantities, &prices_excl);
  g_autoptr(JsonObject) plain_input = tdm_shopify_product_set_input (plain, NULL, NULL);
  JsonArray *options = json_object_get_array_member (input, "productOptions");
  JsonObject *size = json_array_get_object_element (options, 0);
  JsonObject *v0 = json_array_get_object_element (json_object_get_array_member (input, "variants"), 0);
  JsonObject *weight;
  JsonObject *mf;

  g_assert_cmpstr (json_object_get_string_member (input, "status"), ==, "ACTIVE");
  g_assert_cmpint (json_array_get_length (options), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (size, "name"), ==, "Size");
  g_assert_cmpint (json_array_get_length (json_object_get_array_member (size, "values")), ==, 2);
  g_assert_cmpint (json_array_get_length (json_object_get_array_member (
                     json_array_get_object_element (options, 1), "values")), ==, 1);
  g_assert_cmpint (json_array_get_length (json_object_get_array_member (v0, "optionValues")), ==, 2);
  weight = json_object_get_object_member (json_object_get_object_member (
             json_object_get_object_member (v0, "inventoryItem"), "measurement"), "weight");
  g_assert_cmpstr (json_object_get_string_member (weight, "unit"), ==, "KILOGRAMS");
  g_assert_cmpfloat (json_object_get_double_member (weight, "value"), ==, 0.5);
  /* The VAT-exclusive price goes by metafieldsSet after the save: a
   * variant's metafields in productSet would replace the shop's own. */
  g_assert_false (json_object_has_member (v0, "metafields"));
  g_assert_cmpint (json_array_get_length (prices_excl), ==, 1);
  mf = json_array_get_object_element (prices_excl, 0);
  g_assert_cmpstr (json_object_get_string_member (mf, "sku"), ==, "S-R");
  g_assert_cmpstr (json_object_get_string_member (mf, "value"), ==, "8");
  g_assert_cmpint (json_array_get_length (json_object_get_array_member (mf, "options")), ==, 2);
  /* productSet's metafields replace the product's whole list: never sent */
  g_assert_false (json_object_has_member (input, "metafields"));
  g_assert_cmpint (json_array_get_length (quantities), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (quantities, 0), "quantity"), ==, 7);

  /* No options: Shopify's stand-in "Title" / "Default Title". */
  options = json_object_get_array_member (plain_input, "productOptions");
  g_assert_cmpint (json_array_get_length (options), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (options, 0), "name"), ==, "Title");
  g_assert_false (json_object_has_member (plain_input, "metafields"));
}

static void
test_order_input (void)
{
  g_autoptr(JsonObject) write = parse ("{\"name\":\"#1042\",\"email\":\"kari@example.no\",\"currency\":\"NOK\","
                                       "\"financialStatus\":\"paid\",\"fulfillmentStatus\":\"unfulfilled\","
                                       "\"customerId\":\"gid://shopify/Customer/5\",\"lineItems\":["
                                       "{\"sku\":\"KNOWN\",\"title\":\"Shirt\",\"quantity\":2,\"unitPrice\":\"100\"},"
                                       "{\"sku\":\"UNKNOWN\",\"title\":\"Gift wrap\",\"quantity\":1,\"unitPrice\":\"20\"}],"
                                       "\"shippingLines\":[{\"title\":\"Post\",\"price\":\"49\"}],"
                                       "\"shippingAddress\":{\"city\":\"Oslo\",\"countryCode\":\"NO\"}}");
  g_autoptr(GHashTable) variants = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(JsonObject) order = NULL;
  g_autoptr(JsonObject) update = NULL;
  JsonArray *lines;
  JsonObject *l0, *l1;

  g_hash_table_insert (variants, "KNOWN", "gid://shopify/ProductVariant/9");
  g_hash_table_insert (variants, "UNKNOWN", "");
  order = tdm_shopify_order_create_input (write, "w-42", "EUR", variants);
  g_assert_cmpstr (json_object_get_string_member (order, "sourceIdentifier"), ==, "w-42");
  g_assert_cmpstr (json_object_get_string_member (order, "financialStatus"), ==, "PAID");
  g_assert_false (json_object_has_member (order, "fulfillmentStatus"));
  g_assert_cmpstr (json_object_get_string_member (order, "currency"), ==, "NOK");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (
                     json_object_get_object_member (order, "customer"), "toAssociate"), "id"),
                   ==, "gid://shopify/Customer/5");
  lines = json_object_get_array_member (order, "lineItems");
  l0 = json_array_get_object_element (lines, 0);
  l1 = json_array_get_object_element (lines, 1);
  g_assert_cmpstr (json_object_get_string_member (l0, "variantId"), ==, "gid://shopify/ProductVariant/9");
  g_assert_false (json_object_has_member (l1, "variantId"));
  g_assert_cmpstr (json_object_get_string_member (l1, "title"), ==, "Gift wrap");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (
                     json_object_get_object_member (l1, "priceSet"), "shopMoney"), "amount"), ==, "20");

  update = tdm_shopify_order_update_input (write, "gid://shopify/Order/1", NULL);
  g_assert_nonnull (update);
  g_assert_cmpstr (json_object_get_string_member (update, "email"), ==, "kari@example.no");
  g_assert_false (json_object_has_member (update, "lineItems"));
  g_assert_true (json_object_has_member (update, "shippingAddress"));
}

/* Each member orderCreate's input holds is made from the write shape's
 * member of its name, or the one tdm_shopify_order_input_source() names
 * (what a userError's path is resolved through to a mapping row), which
 * the Shopify schema writes. */
static void
test_order_input_sources (void)
{
  g_autoptr(JsonObject) write = parse ("{\"name\":\"#7\",\"email\":\"kari@example.no\",\"currency\":\"NOK\","
                                       "\"financialStatus\":\"paid\",\"note\":\"x\",\"tags\":[\"a\"],"
                                       "\"processedAt\":\"2026-11-01T10:00:00Z\",\"taxesIncluded\":true,"
                                       "\"customerId\":\"gid://shopify/Customer/5\",\"sourceIdentifier\":\"w-7\","
                                       "\"lineItems\":[{\"sku\":\"A\",\"quantity\":1,\"unitPrice\":\"100\"}],"
                                       "\"shippingLines\":[{\"title\":\"Post\",\"price\":\"50\"}],"
                                       "\"discounts\":[{\"code\":\"VIP\",\"amount\":\"10\"}],"
                                       "\"totalTax\":\"30\",\"shippingAddress\":{\"city\":\"Oslo\"},"
                                       "\"billingAddress\":{\"city\":\"Oslo\"}}");
  g_autoptr(JsonObject) order = tdm_shopify_order_create_input (write, NULL, "NOK", NULL);
  g_autoptr(GList) members = json_object_get_members (order);
  const TdmPropertySchema *schema = tdm_shopify_property_schema ();

  g_assert_cmpstr (tdm_shopify_order_input_source ("customer.toAssociate.id"), ==, "customerId");
  g_assert_cmpstr (tdm_shopify_order_input_source ("discountCode"), ==, "discounts");
  g_assert_cmpstr (tdm_shopify_order_input_source ("taxLines.0.rate"), ==, "totalTax");
  g_assert_cmpstr (tdm_shopify_order_input_source ("lineItems.0.taxLines.0.rate"), ==,
                   "lineItems.0.taxLines.0.rate");
  g_assert_cmpstr (tdm_shopify_order_input_source ("customerNote"), ==, "customerNote");
  g_assert_null (tdm_shopify_order_input_source (NULL));

  /* the three made under other names are there */
  g_assert_true (json_object_has_member (order, "customer"));
  g_assert_true (json_object_has_member (order, "discountCode"));
  g_assert_true (json_object_has_member (order, "taxLines"));
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *source = tdm_shopify_order_input_source (l->data);
      g_autofree char *list = g_strconcat (source, "[]", NULL);

      g_assert_true (json_object_has_member (write, source));
      g_assert_true (tdm_property_schema_find_write (schema, TDM_KIND_ORDER, source) != NULL
                     || tdm_property_schema_find_write (schema, TDM_KIND_ORDER, list) != NULL);
    }
}

/* "\u0000" and bytes that are not UTF-8 in a bulk line: the record keeps a
 * mark where they were (tdm-json-text.h), so that the connector refuses it,
 * instead of a string cut at the NUL or the whole export failing. */
static void
test_bulk_unreadable_text (void)
{
  g_autoptr(TdmShopifyBulkJoiner) joiner = tdm_shopify_bulk_joiner_new (TDM_KIND_CUSTOMER);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) first = NULL;
  g_autoptr(JsonObject) second = NULL;

  g_assert_null (tdm_shopify_bulk_joiner_push (joiner, "{\"id\":\"gid://shopify/Customer/1\","
                                               "\"firstName\":\"Ka\\u0000ri\"}", &error));
  g_assert_no_error (error);
  first = tdm_shopify_bulk_joiner_push (joiner, "{\"id\":\"gid://shopify/Customer/2\","
                                        "\"lastName\":\"Nordm\xff" "nn\"}", &error);
  g_assert_no_error (error);
  g_assert_nonnull (first);
  /* Not "Ka": the NUL is marked with U+FDD0. */
  g_assert_cmpstr (json_object_get_string_member (first, "firstName"), ==, "Ka\xef\xb7\x90ri");
  second = tdm_shopify_bulk_joiner_finish (joiner);
  g_assert_nonnull (second);
  g_assert_cmpstr (json_object_get_string_member (second, "lastName"), ==, "Nordm\xef\xb7\x91nn");
}

static void
test_bulk_joiner (void)
{
  g_autoptr(TdmShopifyBulkJoiner) joiner = tdm_shopify_bulk_joiner_new (TDM_KIND_PRODUCT);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) first = NULL;
  g_autoptr(JsonObject) second = NULL;
  JsonArray *variants;

  g_assert_null (tdm_shopify_bulk_joiner_push (joiner, "{\"id\":\"gid://shopify/Product/1\",\"title\":\"A\"}", &error));
  g_assert_null (tdm_shopify_bulk_joiner_push (joiner, "{\"__typename\":\"ProductVariant\",\"id\":\"v1\","
                                               "\"sku\":\"A-1\",\"__parentId\":\"gid://shopify/Product/1\"}", &error));
  g_assert_null (tdm_shopify_bulk_joiner_push (joiner, "{\"__typename\":\"ProductVariant\",\"id\":\"v2\","
                                               "\"sku\":\"A-2\",\"__parentId\":\"gid://shopify/Product/1\"}", &error));
  first = tdm_shopify_bulk_joiner_push (joiner, "{\"id\":\"gid://shopify/Product/2\",\"title\":\"B\"}", &error);
  g_assert_no_error (error);
  g_assert_nonnull (first);
  variants = json_object_get_array_member (json_object_get_object_member (first, "variants"), "nodes");
  g_assert_cmpint (json_array_get_length (variants), ==, 2);
  g_assert_false (json_object_has_member (json_array_get_object_element (variants, 0), "__parentId"));
  g_assert_false (json_object_has_member (json_array_get_object_element (variants, 0), "__typename"));
  second = tdm_shopify_bulk_joiner_finish (joiner);
  g_assert_cmpstr (json_object_get_string_member (second, "title"), ==, "B");
  g_assert_cmpint (json_array_get_length (json_object_get_array_member (
                     json_object_get_object_member (second, "variants"), "nodes")), ==, 0);

  /* A child of an unknown parent is an error. */
  g_assert_null (tdm_shopify_bulk_joiner_push (joiner, "{\"__typename\":\"ProductVariant\","
                                               "\"__parentId\":\"gid://shopify/Product/9\"}", &error));
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_INVALID_RESPONSE);
}

static void
test_documents (void)
{
  static const char * const operations[] = {
    "CustomersChanged", "CustomerGet", "CustomerByIdentifier", "CustomerIds", "CustomersCount",
    "CustomerSet", "CustomerEmailConsentUpdate", "CustomerDelete", "MetafieldsSet",
    "ProductsChanged", "ProductGet", "ProductByIdentifier", "ProductIds", "ProductsCount",
    "ProductSet", "ProductArchive", "VariantsBySku", "InventorySet", "Locations",
    "OrdersChanged", "OrderGet", "OrderByIdentifier", "OrderIds", "OrdersCount", "OrderCreate",
    "OrderUpdate", "OrderCancel", "OrderMarkAsPaid", "ShopInfo", "MetafieldDefinitionCreate",
    "BulkRun", "BulkPoll", "BulkCustomers", "BulkProducts", "BulkOrders", NULL
  };

  for (guint i = 0; operations[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *doc = tdm_shopify_client_get_document (operations[i], &error);
      g_autofree char *named_query = g_strdup_printf ("query %s", operations[i]);
      g_autofree char *named_mutation = g_strdup_printf ("mutation %s", operations[i]);

      g_assert_no_error (error);
      /* Every document names its operation (the fake dispatches on it). */
      g_assert_true (strstr (doc, named_query) != NULL || strstr (doc, named_mutation) != NULL);
      /* A spread fragment is appended once. */
      if (strstr (doc, "...CustomerFields") != NULL)
        g_assert_nonnull (strstr (doc, "fragment CustomerFields on Customer"));
      if (strstr (doc, "...ProductFields") != NULL)
        g_assert_nonnull (strstr (doc, "fragment ProductFields on Product"));
    }
}

static void
test_api_version (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 11, 26, 12, 0, 0);
  g_autoptr(GDateTime) late = g_date_time_new_utc (2027, 9, 1, 12, 0, 0);
  gint64 days = 0;

  g_assert_true (tdm_shopify_api_version_days_left ("2026-10", now, &days));
  g_assert_cmpint (days, ==, 309);
  g_assert_true (tdm_shopify_api_version_days_left ("2026-10", late, &days));
  g_assert_cmpint (days, <, 90);
  g_assert_true (tdm_shopify_api_version_days_left ("2025-07", now, &days));
  g_assert_cmpint (days, <, 0);
  g_assert_false (tdm_shopify_api_version_days_left ("unstable", now, &days));
  g_assert_false (tdm_shopify_api_version_days_left ("2026-11", now, &days));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/shopify/json/cost", test_cost_parse);
  g_test_add_func ("/shopify/json/bucket", test_bucket);
  g_test_add_func ("/shopify/json/errors", test_errors);
  g_test_add_func ("/shopify/json/queries", test_queries);
  g_test_add_func ("/shopify/json/user-errors", test_user_errors);
  g_test_add_func ("/shopify/json/hostile-shapes", test_hostile_shapes);
  g_test_add_func ("/shopify/json/customer-input", test_customer_input);
  g_test_add_func ("/shopify/json/product-input", test_product_input);
  g_test_add_func ("/shopify/json/order-input", test_order_input);
  g_test_add_func ("/shopify/json/order-input-sources", test_order_input_sources);
  g_test_add_func ("/shopify/json/bulk-joiner", test_bulk_joiner);
  g_test_add_func ("/shopify/json/bulk-unreadable-text", test_bulk_unreadable_text);
  g_test_add_func ("/shopify/json/documents", test_documents);
  g_test_add_func ("/shopify/json/api-version", test_api_version);

  return g_test_run ();
}
