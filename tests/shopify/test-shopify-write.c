/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-test-shopify"

#include "config.h"
#include "shopify-fixture.h"

#include <string.h>

/* The Shopify connector against the fake Shopify (shopify-fixture.h).
 * Writing: creates, upserts by custom id and updates of each kind, userErrors
 * as record errors, retries without duplicates, deletes. */

/* ---- Customers ---- */

static void
test_customer_create_get_list (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) fields = customer_fields ("kari@example.no", "Kari");
  g_autoptr(TdmWriteResult) res = create_record (f->conn, TDM_KIND_CUSTOMER, fields, "op-1", "w-17",
                                                 &error);
  g_autoptr(TdmRecord) got = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(JsonObject) stored = NULL;
  JsonArray *addresses;

  g_assert_no_error (error);
  g_assert_nonnull (res);
  g_assert_true (g_str_has_prefix (res->record->id, "gid://shopify/Customer/"));
  g_assert_cmpstr (res->record->twin_id, ==, "w-17");
  g_assert_cmpstr (tdm_record_get_string (res->record, "email"), ==, "kari@example.no");
  g_assert_cmpstr (tdm_record_get_string (res->record, "first_name"), ==, "Kari");

  stored = tdm_fake_shopify_get_record (f->fake, TDM_KIND_CUSTOMER, res->record->id);
  g_assert_nonnull (stored);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (stored, "webshopId"),
                                                  "value"), ==, "w-17");
  addresses = json_object_get_array_member (json_object_get_object_member (stored, "addressesV2"),
                                            "nodes");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (addresses, 0),
                                                  "countryCodeV2"), ==, "NO");

  got = get_record (f->conn, TDM_KIND_CUSTOMER, res->record->id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (got->id, ==, res->record->id);
  g_assert_cmpstr (tdm_record_get_hash (got), ==, tdm_record_get_hash (res->record));

  all = list_all (f->conn, TDM_KIND_CUSTOMER, NULL, NULL);
  g_assert_cmpuint (all->len, ==, 1);
  g_assert_cmpstr (((TdmRecord *) all->pdata[0])->twin_id, ==, "w-17");

  /* A missing record is NOT_FOUND. */
  g_clear_pointer (&got, tdm_record_unref);
  got = get_record (f->conn, TDM_KIND_CUSTOMER, "gid://shopify/Customer/999999", &error);
  g_assert_null (got);
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_NOT_FOUND);
}

static void
test_customer_upsert (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) first = customer_fields ("ola@example.no", "Ola");
  g_autoptr(JsonObject) again = customer_fields ("ola@example.no", "Ola Jr");
  g_autoptr(TdmWriteResult) a = create_record (f->conn, TDM_KIND_CUSTOMER, first, "op-a", "w-1",
                                               &error);
  g_autoptr(TdmWriteResult) b = NULL;
  g_autoptr(TdmWriteResult) c = NULL;
  g_autoptr(JsonObject) change = parse_json ("{\"note\":\"Prefers e-mail\",\"accepts_email_marketing\":true}");
  g_autoptr(TdmRecord) found = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonObject) stored = NULL;
  JsonObject *email;

  g_assert_no_error (error);
  /* The same create again (a retry after a crash): upsert by custom id. */
  b = create_record (f->conn, TDM_KIND_CUSTOMER, again, "op-a", "w-1", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (a->record->id, ==, b->record->id);
  g_assert_cmpuint (tdm_fake_shopify_count (f->fake, TDM_KIND_CUSTOMER), ==, 1);
  g_assert_cmpstr (tdm_record_get_string (b->record, "first_name"), ==, "Ola Jr");

  /* Update a subset: note and marketing consent. */
  c = update_record (f->conn, TDM_KIND_CUSTOMER, a->record->id, change, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tdm_record_get_string (c->record, "note"), ==, "Prefers e-mail");
  g_assert_cmpstr (tdm_record_get_string (c->record, "first_name"), ==, "Ola Jr");
  stored = tdm_fake_shopify_get_record (f->fake, TDM_KIND_CUSTOMER, a->record->id);
  email = json_object_get_object_member (stored, "defaultEmailAddress");
  g_assert_cmpstr (json_object_get_string_member (email, "marketingState"), ==, "SUBSCRIBED");
  g_assert_cmpuint (count_ops (f, "CustomerEmailConsentUpdate"), ==, 1);
  g_assert_cmpuint (tdm_fake_shopify_count (f->fake, TDM_KIND_CUSTOMER), ==, 1);

  /* find_created by the custom id. */
  tdm_connector_find_created_async (TDM_CONNECTOR (f->conn), TDM_KIND_CUSTOMER, "op-a", "w-1", NULL,
                                    tdm_test_keep_result_cb, &result);
  found = tdm_connector_find_created_finish (TDM_CONNECTOR (f->conn), wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (found);
  g_assert_cmpstr (found->id, ==, a->record->id);
  g_clear_object (&result);
  g_clear_pointer (&found, tdm_record_unref);
  tdm_connector_find_created_async (TDM_CONNECTOR (f->conn), TDM_KIND_CUSTOMER, "op-x", "w-none",
                                    NULL, tdm_test_keep_result_cb, &result);
  found = tdm_connector_find_created_finish (TDM_CONNECTOR (f->conn), wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_null (found);
}

static void
test_customer_user_errors (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) first = customer_fields ("taken@example.no", "First");
  g_autoptr(JsonObject) dup = customer_fields ("taken@example.no", "Second");
  g_autoptr(JsonObject) bad_phone = parse_json ("{\"email\":\"phone@example.no\",\"phone\":\"+47 12\"}");
  g_autoptr(JsonObject) bad_email = parse_json ("{\"email\":\"not-an-email\",\"first_name\":\"X\"}");
  g_autoptr(TdmWriteResult) ok = create_record (f->conn, TDM_KIND_CUSTOMER, first, "op-1", "w-1",
                                                &error);
  g_autoptr(TdmWriteResult) res = NULL;
  g_autoptr(TdmRecordError) rec = NULL;

  g_assert_no_error (error);

  rec = create_refused (f->conn, TDM_KIND_CUSTOMER, dup, "op-2", "w-2", &error);
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_DUPLICATE);
  g_assert_nonnull (strstr (error->message, "taken@example.no"));
  check_record_error (g_steal_pointer (&rec), "email");
  g_clear_error (&error);

  rec = create_refused (f->conn, TDM_KIND_CUSTOMER, bad_phone, "op-3", "w-3", &error);
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_VALIDATION);
  /* the field in the owner's words, never Shopify's input path */
  g_assert_nonnull (strstr (error->message, "(field “Phone”)"));
  g_assert_nonnull (strstr (rec->message, "(field “Phone”)"));
  g_assert_null (strstr (rec->message, "input."));
  check_record_error (g_steal_pointer (&rec), "phone");
  g_clear_error (&error);

  rec = create_refused (f->conn, TDM_KIND_CUSTOMER, bad_email, "op-4", "w-4", &error);
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_VALIDATION);
  check_record_error (g_steal_pointer (&rec), "email");
  g_clear_error (&error);

  /* Taking another customer's custom id. */
  {
    g_autoptr(JsonObject) other = customer_fields ("other@example.no", "Other");
    g_autoptr(TdmWriteResult) made = create_record (f->conn, TDM_KIND_CUSTOMER, other, "op-5",
                                                    "w-5", &error);
    g_assert_no_error (error);
    res = update_record (f->conn, TDM_KIND_CUSTOMER, made->record->id, other, "w-1", &error);
    g_assert_null (res);
    g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_DUPLICATE);
    g_clear_error (&error);
    g_clear_pointer (&made, tdm_write_result_free);
  }
  g_assert_cmpuint (tdm_fake_shopify_count (f->fake, TDM_KIND_CUSTOMER), ==, 2);
}

/* ---- Products ---- */

static void
test_product_create_update (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) fields = product_fields ("Shirt", "SH", 7);
  g_autoptr(TdmWriteResult) res = create_record (f->conn, TDM_KIND_PRODUCT, fields, "op-prod-1",
                                                 "p-1", &error);
  g_autoptr(TdmWriteResult) again = NULL;
  g_autoptr(TdmWriteResult) upd = NULL;
  g_autoptr(JsonObject) stored = NULL;
  g_autoptr(JsonObject) rename = parse_json ("{\"title\":\"Better shirt\"}");
  g_autoptr(JsonObject) blank = parse_json ("{\"title\":\" \",\"variants\":[{\"sku\":\"B-1\",\"price\":\"1\"}]}");
  JsonArray *variants;
  GPtrArray *log;
  gboolean found_key = FALSE;

  g_assert_no_error (error);
  stored = tdm_fake_shopify_get_record (f->fake, TDM_KIND_PRODUCT, res->record->id);
  variants = json_object_get_array_member (json_object_get_object_member (stored, "variants"),
                                           "nodes");
  g_assert_cmpuint (json_array_get_length (variants), ==, 2);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (variants, 0),
                                               "inventoryQuantity"),
                   ==, 7);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (variants, 1),
                                               "inventoryQuantity"),
                   ==, 8);
  g_assert_cmpstr (res->record->twin_id, ==, "p-1");

  /* The stock write carries the op id as @idempotent key. */
  log = tdm_fake_shopify_get_request_log (f->fake);
  for (guint i = 0; i < log->len; i++)
    {
      TdmFakeShopifyRequest *req = log->pdata[i];
      if (g_strcmp0 (req->operation, "InventorySet") == 0)
        {
          g_assert_nonnull (strstr (req->query, "@idempotent(key: $key)"));
          g_assert_nonnull (strstr (req->variables, "\"key\":\"op-prod-1\""));
          g_assert_nonnull (strstr (req->variables, "\"changeFromQuantity\":null"));
          found_key = TRUE;
        }
    }
  g_assert_true (found_key);
  g_assert_cmpuint (count_ops (f, "Locations"), ==, 1);

  /* Creating again is an upsert, and stock already right is not written again. */
  again = create_record (f->conn, TDM_KIND_PRODUCT, fields, "op-prod-1", "p-1", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again->record->id, ==, res->record->id);
  g_assert_cmpuint (tdm_fake_shopify_count (f->fake, TDM_KIND_PRODUCT), ==, 1);
  g_assert_cmpuint (count_ops (f, "InventorySet"), ==, 1);
  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(TdmRecord) found = NULL;

    tdm_connector_find_created_async (TDM_CONNECTOR (f->conn), TDM_KIND_PRODUCT, "op-prod-1", "p-1",
                                      NULL, tdm_test_keep_result_cb, &result);
    found = tdm_connector_find_created_finish (TDM_CONNECTOR (f->conn), wait_for (&result), &error);
    g_assert_no_error (error);
    g_assert_cmpstr (found->id, ==, res->record->id);
  }
  g_assert_cmpuint (count_ops (f, "Locations"), ==, 1);

  upd = update_record (f->conn, TDM_KIND_PRODUCT, res->record->id, rename, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tdm_record_get_string (upd->record, "title"), ==, "Better shirt");
  g_clear_pointer (&stored, json_object_unref);
  stored = tdm_fake_shopify_get_record (f->fake, TDM_KIND_PRODUCT, res->record->id);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      json_object_get_object_member (stored, "variants"), "nodes")), ==, 2);

  g_clear_pointer (&upd, tdm_write_result_free);
  check_record_error (create_refused (f->conn, TDM_KIND_PRODUCT, blank, "op-prod-2", "p-2", &error),
                      "title");
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_VALIDATION);
}

/* productSet replaces a product's whole list of metafields with the one it
 * is given (docs/shopify.md § Products): an update — also one that links
 * the product to a webshop record — keeps the shop's own metafields, and
 * the link to the webshop record is set without productSet. */
static void
test_product_update_keeps_shop_metafields (Fixture       *f,
                                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) fields = product_fields ("Shirt", "SH", 7);
  g_autoptr(JsonObject) rename = parse_json ("{\"title\":\"Better shirt\"}");
  g_autoptr(TdmWriteResult) res = NULL;
  g_autoptr(TdmWriteResult) upd = NULL;
  g_autoptr(TdmWriteResult) linked = NULL;
  g_autoptr(JsonObject) stored = NULL;

  res = create_record (f->conn, TDM_KIND_PRODUCT, fields, "op-prod-1", "p-1", &error);
  g_assert_no_error (error);
  tdm_fake_shopify_set_metafield (f->fake, res->record->id, "custom", "material", "ull");

  /* An update of a linked product */
  upd = update_record (f->conn, TDM_KIND_PRODUCT, res->record->id, rename, "p-1", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tdm_record_get_string (upd->record, "title"), ==, "Better shirt");
  g_assert_cmpstr (tdm_fake_shopify_get_metafield (f->fake, res->record->id, "custom", "material"),
                   ==, "ull");
  g_assert_cmpstr (upd->record->twin_id, ==, "p-1");

  /* A product Shopify had first, linked to the webshop record by an update */
  g_clear_pointer (&stored, json_object_unref);
  {
    g_autoptr(JsonObject) unlinked = parse_json ("{\"webshopId\": null}");

    g_assert_true (tdm_fake_shopify_edit (f->fake, TDM_KIND_PRODUCT, res->record->id, unlinked, NULL));
  }
  linked = update_record (f->conn, TDM_KIND_PRODUCT, res->record->id, rename, "p-9", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (linked->record->twin_id, ==, "p-9");
  stored = tdm_fake_shopify_get_record (f->fake, TDM_KIND_PRODUCT, res->record->id);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (stored,
                                                                                 "webshopId"),
                                                  "value"),
                   ==, "p-9");
  g_assert_cmpstr (tdm_fake_shopify_get_metafield (f->fake, res->record->id, "custom", "material"),
                   ==, "ull");
  g_assert_cmpuint (count_ops (f, "MetafieldsSet"), ==, 1);
}

/* A variant's metafields in productSet are a list that replaces the
 * variant's whole list too: the VAT-exclusive price goes by metafieldsSet
 * after the save, only when it changed, and the shop's own metafields on
 * the variant stay. */
static void
test_product_price_excl_keeps_variant_metafields (Fixture       *f,
                                                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) fields = parse_json (
    "{\"title\":\"Shirt\",\"status\":\"active\",\"variants\":["
    "{\"sku\":\"PX-S\",\"price\":\"250\",\"price_excl_vat\":\"200\",\"options\":{\"Size\":\"S\"}},"
    "{\"sku\":\"PX-M\",\"price\":\"250\",\"options\":{\"Size\":\"M\"}}]}");
  g_autoptr(JsonObject) cheaper = parse_json (
    "{\"variants\":["
    "{\"sku\":\"PX-S\",\"price\":\"125\",\"price_excl_vat\":\"100\",\"options\":{\"Size\":\"S\"}},"
    "{\"sku\":\"PX-M\",\"price\":\"250\",\"options\":{\"Size\":\"M\"}}]}");
  g_autoptr(TdmWriteResult) res = NULL;
  g_autoptr(TdmWriteResult) upd = NULL;
  g_autoptr(TdmWriteResult) same = NULL;
  g_autoptr(JsonObject) stored = NULL;
  JsonObject *small;
  const char *variant_id;
  guint sets;

  res = create_record (f->conn, TDM_KIND_PRODUCT, fields, "op-px-1", "px-1", &error);
  g_assert_no_error (error);
  stored = tdm_fake_shopify_get_record (f->fake, TDM_KIND_PRODUCT, res->record->id);
  small = json_array_get_object_element (json_object_get_array_member (
            json_object_get_object_member (stored, "variants"), "nodes"), 0);
  variant_id = json_object_get_string_member (small, "id");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (small,
                                                                                 "priceExclVat"),
                                                  "value"),
                   ==, "200");
  tdm_fake_shopify_set_metafield (f->fake, variant_id, "custom", "fabric", "Bomull");

  sets = count_ops (f, "MetafieldsSet");
  upd = update_record (f->conn, TDM_KIND_PRODUCT, res->record->id, cheaper, "px-1", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count_ops (f, "MetafieldsSet"), ==, sets + 1);
  g_clear_pointer (&stored, json_object_unref);
  stored = tdm_fake_shopify_get_record (f->fake, TDM_KIND_PRODUCT, res->record->id);
  small = json_array_get_object_element (json_object_get_array_member (
            json_object_get_object_member (stored, "variants"), "nodes"), 0);
  g_assert_cmpstr (json_object_get_string_member (small, "id"), ==, variant_id);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (small,
                                                                                 "priceExclVat"),
                                                  "value"),
                   ==, "100");
  g_assert_cmpstr (tdm_fake_shopify_get_metafield (f->fake, variant_id, "custom", "fabric"), ==,
                   "Bomull");

  /* The same price again: nothing more to set. */
  sets = count_ops (f, "MetafieldsSet");
  same = update_record (f->conn, TDM_KIND_PRODUCT, res->record->id, cheaper, "px-1", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count_ops (f, "MetafieldsSet"), ==, sets);
}

/* productSet of 120 variants: the record returned and the stock written
 * cover all of them, and an update keeps them. */
static void
test_product_variants_round_trip (Fixture       *f,
                                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) fields = many_variant_fields ("Wide shelf", "WS", 120);
  g_autoptr(JsonObject) rename = NULL;
  g_autoptr(TdmWriteResult) res = create_record (f->conn, TDM_KIND_PRODUCT, fields, "op-ws", "w-ws",
                                                 &error);
  g_autoptr(TdmWriteResult) upd = NULL;
  g_autoptr(TdmWriteResult) again = NULL;
  g_autoptr(JsonObject) stored = NULL;
  JsonArray *variants;

  g_assert_no_error (error);
  assert_all_variants (f, res->record, "WS", 120);
  g_assert_cmpuint (count_ops (f, "ProductSet"), ==, 1);
  g_assert_cmpuint (count_ops (f, "ProductVariants"), ==, 1);

  /* Stock for all 120, variants 51… included, in one write. */
  g_assert_cmpuint (count_ops (f, "InventorySet"), ==, 1);
  stored = tdm_fake_shopify_get_record (f->fake, TDM_KIND_PRODUCT, res->record->id);
  variants = json_object_get_array_member (json_object_get_object_member (stored, "variants"),
                                           "nodes");
  for (guint i = 0; i < 120; i++)
    g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (variants, i),
                                                 "inventoryQuantity"), ==, i + 1);

  /* The same product again: nothing to change in stock, all variants kept. */
  again = create_record (f->conn, TDM_KIND_PRODUCT, fields, "op-ws", "w-ws", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again->record->id, ==, res->record->id);
  assert_all_variants (f, again->record, "WS", 120);
  g_assert_cmpuint (count_ops (f, "InventorySet"), ==, 1);

  /* An update of the whole record (as a merge would send it) keeps all 120. */
  json_object_set_string_member (fields, "title", "Wider shelf");
  upd = update_record (f->conn, TDM_KIND_PRODUCT, res->record->id, fields, "w-ws", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tdm_record_get_string (upd->record, "title"), ==, "Wider shelf");
  assert_all_variants (f, upd->record, "WS", 120);
  g_assert_cmpuint (count_ops (f, "ProductVariants"), ==, 3);
  (void) rename;
}

/* More variants than Shopify takes: refused before anything is sent. */
static void
test_product_too_many_variants (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) fields = many_variant_fields ("Endless rug", "ER", 2049);
  g_autoptr(JsonObject) fine = many_variant_fields ("Big rug", "BR", 2048);
  g_autoptr(TdmWriteResult) res = NULL;
  g_autoptr(TdmRecordError) rec = create_refused (f->conn, TDM_KIND_PRODUCT, fields, "op-er",
                                                  "w-er", &error);

  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_VALIDATION);
  g_assert_nonnull (strstr (error->message, "Endless rug"));
  g_assert_nonnull (strstr (error->message, "2049"));
  g_assert_nonnull (rec);
  g_assert_cmpstr (rec->record_id, ==, "w-er");
  g_assert_cmpstr (rec->field, ==, "variants");
  g_assert_cmpuint (count_ops (f, "ProductSet"), ==, 0);
  g_assert_cmpuint (tdm_fake_shopify_count (f->fake, TDM_KIND_PRODUCT), ==, 0);
  g_clear_error (&error);

  /* 2,048 is allowed and comes back whole (a bucket refilling 50 times
   * faster: pacing is not what is tested here; nor is the fixture's 5 s
   * timeout: under the sanitizers on a busy machine the fake takes longer
   * than that to store 2,048 variants). */
  tdm_fake_shopify_set_time_scale (f->fake, 50);
  tdm_shopify_client_set_timeout (tdm_shopify_connector_get_client (f->conn), 60);
  res = create_record (f->conn, TDM_KIND_PRODUCT, fine, "op-br", "w-br", &error);
  g_assert_no_error (error);
  assert_all_variants (f, res->record, "BR", 2048);
  g_assert_cmpuint (count_ops (f, "ProductSet"), ==, 1);

  /* Stock for all of them, at most 250 quantities a request, each part with
   * its own idempotency key. */
  g_assert_cmpuint (count_ops (f, "InventorySet"), ==, (2048 + 249) / 250);
  {
    g_autoptr(JsonObject) stored = tdm_fake_shopify_get_record (f->fake, TDM_KIND_PRODUCT,
                                                                res->record->id);
    JsonArray *variants = json_object_get_array_member (json_object_get_object_member (stored,
                                                                                       "variants"),
                                                        "nodes");
    g_autoptr(GHashTable) keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    GPtrArray *log = tdm_fake_shopify_get_request_log (f->fake);

    for (guint i = 0; i < 2048; i++)
      g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (variants, i),
                                                   "inventoryQuantity"), ==, i + 1);
    for (guint i = 0; i < log->len; i++)
      {
        TdmFakeShopifyRequest *req = log->pdata[i];
        g_autoptr(JsonObject) vars = NULL;
        JsonArray *quantities;

        if (g_strcmp0 (req->operation, "InventorySet") != 0)
          continue;
        vars = parse_json (req->variables);
        quantities = json_object_get_array_member (json_object_get_object_member (vars, "input"),
                                                   "quantities");
        g_assert_cmpuint (json_array_get_length (quantities), <=, 250);
        g_assert_false (g_hash_table_contains (keys, json_object_get_string_member (vars, "key")));
        g_hash_table_add (keys, g_strdup (json_object_get_string_member (vars, "key")));
      }
    g_assert_true (g_hash_table_contains (keys, "op-br"));
    g_assert_true (g_hash_table_contains (keys, "op-br-9"));
  }
}

/* ---- Orders ---- */

static void
test_order_create_update (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) cust = customer_fields ("buyer@example.no", "Buyer");
  g_autoptr(TdmWriteResult) c = create_record (f->conn, TDM_KIND_CUSTOMER, cust, "op-c", "wc-1",
                                               &error);
  g_autoptr(JsonObject) prod = product_fields ("Mug", "MUG", 3);
  g_autoptr(TdmWriteResult) p = create_record (f->conn, TDM_KIND_PRODUCT, prod, "op-p", "wp-1",
                                               &error);
  g_autoptr(JsonObject) order = NULL;
  g_autoptr(TdmWriteResult) o = NULL;
  g_autoptr(TdmWriteResult) o2 = NULL;
  g_autoptr(JsonObject) stored = NULL;
  g_autoptr(JsonObject) change = parse_json ("{\"note\":\"Leave at the door\",\"financial_status\":\"paid\","
                                             "\"cancelled_at\":\"2026-11-26T10:00:00Z\"}");
  g_autofree char *json = NULL;
  JsonArray *lines;
  JsonObject *total;

  g_assert_no_error (error);
  json = g_strdup_printf ("{\"number\":\"#W1001\",\"email\":\"buyer@example.no\",\"currency\":\"NOK\","
                          "\"customer_id\":\"%s\",\"financial_status\":\"pending\","
                          "\"line_items\":[{\"sku\":\"MUG-S\",\"title\":\"Mug S\",\"quantity\":2,\"unit_price\":\"99.50\"},"
                          "{\"sku\":\"GIFT\",\"title\":\"Gift wrap\",\"quantity\":1,\"unit_price\":\"20\"}],"
                          "\"shipping_lines\":[{\"title\":\"Post\",\"price\":\"49\"}],"
                          "\"shipping_address\":{\"city\":\"Bergen\",\"country_code\":\"NO\"}}",
                          c->record->id);
  order = parse_json (json);
  o = create_record (f->conn, TDM_KIND_ORDER, order, "op-o", "wo-1", &error);
  g_assert_no_error (error);
  g_assert_nonnull (o);
  stored = tdm_fake_shopify_get_record (f->fake, TDM_KIND_ORDER, o->record->id);
  g_assert_cmpstr (json_object_get_string_member (stored, "sourceIdentifier"), ==, "wo-1");
  g_assert_cmpstr (json_object_get_string_member (stored, "name"), ==, "#W1001");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (stored,
                                                                                 "customer"), "id"),
                   ==, c->record->id);
  lines = json_object_get_array_member (json_object_get_object_member (stored, "lineItems"),
                                        "nodes");
  g_assert_cmpuint (json_array_get_length (lines), ==, 2);
  /* The known SKU became a variant line, the unknown one a custom line. */
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_object_get_member (json_array_get_object_element (lines, 0),
                                                                 "variant")));
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (json_array_get_object_element (lines, 1),
                                                               "variant")));
  total = json_object_get_object_member (json_object_get_object_member (stored, "totalPriceSet"),
                                         "shopMoney");
  g_assert_cmpstr (json_object_get_string_member (total, "amount"), ==, "268.00");
  g_assert_cmpuint (count_ops (f, "VariantsBySku"), ==, 2);
  g_assert_cmpuint (count_ops (f, "OrderByIdentifier"), ==, 0);

  /* Later changes: orderUpdate, orderMarkAsPaid, orderCancel. */
  o2 = update_record (f->conn, TDM_KIND_ORDER, o->record->id, change, NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&stored, json_object_unref);
  stored = tdm_fake_shopify_get_record (f->fake, TDM_KIND_ORDER, o->record->id);
  g_assert_cmpstr (json_object_get_string_member (stored, "note"), ==, "Leave at the door");
  g_assert_nonnull (json_object_get_string_member (stored, "cancelledAt"));
  g_assert_cmpuint (count_ops (f, "OrderCancel"), ==, 1);
  g_assert_cmpuint (tdm_fake_shopify_count (f->fake, TDM_KIND_ORDER), ==, 1);
}

static void
test_order_retry_no_duplicate (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) order = parse_json ("{\"number\":\"#W2\",\"email\":\"x@example.no\",\"currency\":\"NOK\","
                                            "\"line_items\":[{\"sku\":\"NONE\",\"title\":\"Thing\",\"quantity\":1,"
                                            "\"unit_price\":\"10\"}]}");
  g_autoptr(TdmWriteResult) o = NULL;

  /* Request 1 resolves the SKU; request 2 (orderCreate) runs but its answer is lost. */
  tdm_fake_shopify_inject_fault (f->fake, 2, TDM_FAKE_SHOPIFY_FAULT_RESET);
  o = create_record (f->conn, TDM_KIND_ORDER, order, "op-o2", "wo-2", &error);
  g_assert_no_error (error);
  g_assert_nonnull (o);
  g_assert_cmpuint (tdm_fake_shopify_count (f->fake, TDM_KIND_ORDER), ==, 1);
  g_assert_cmpuint (count_ops (f, "OrderCreate"), ==, 1);
  g_assert_cmpuint (count_ops (f, "OrderByIdentifier"), ==, 1);
  g_assert_cmpstr (o->record->twin_id, ==, "wo-2");

  /* An answer lost before the order was created: looked up, then sent again once. */
  g_clear_pointer (&o, tdm_write_result_free);
  tdm_fake_shopify_inject_fault (f->fake, 1, TDM_FAKE_SHOPIFY_FAULT_503);
  o = create_record (f->conn, TDM_KIND_ORDER, order, "op-o3", "wo-3", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tdm_fake_shopify_count (f->fake, TDM_KIND_ORDER), ==, 2);
  g_assert_cmpuint (count_ops (f, "OrderCreate"), ==, 3);
  g_assert_cmpuint (count_ops (f, "OrderByIdentifier"), ==, 2);
}

static void
test_order_dev_store_spacing (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  gint64 start;
  gsize log_before;
  const char *decided;

  tdm_fake_shopify_set_development_store (f->fake, TRUE);
  tdm_shopify_connector_set_order_create_interval (f->conn, 400);
  tdm_connector_prepare_async (TDM_CONNECTOR (f->conn), NULL, tdm_test_keep_result_cb, &result);
  g_assert_true (tdm_connector_prepare_finish (TDM_CONNECTOR (f->conn), wait_for (&result),
                                               &error));
  /* Before the first orderCreate is sent: whatever the load, the second is
   * sent at least 400 ms after the first, so it ends 400 ms after this. */
  start = g_get_monotonic_time ();
  log_before = strlen (fixture_captured_log ());
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"number\":\"#D%u\",\"currency\":\"NOK\","
                                               "\"line_items\":[{\"title\":\"X\",\"quantity\":1,"
                                               "\"unit_price\":\"1\"}]}", i);
      g_autofree char *twin = g_strdup_printf ("wd-%u", i);
      g_autoptr(JsonObject) fields = parse_json (json);
      g_autoptr(TdmWriteResult) res = NULL;

      res = create_record (f->conn, TDM_KIND_ORDER, fields, twin, twin, &error);
      g_assert_no_error (error);
    }
  /* The client decided to hold the second orderCreate back (once), by at
   * most the spacing, and the two were 400 ms apart. */
  decided = strstr (fixture_captured_log () + log_before,
                    "orderCreate: development store, waiting ");
  g_assert_nonnull (decided);
  decided += strlen ("orderCreate: development store, waiting ");
  g_assert_cmpint (g_ascii_strtoll (decided, NULL, 10), >, 0);
  g_assert_cmpint (g_ascii_strtoll (decided, NULL, 10), <=, 401);
  g_assert_null (strstr (decided, "orderCreate: development store, waiting "));
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 400 * 1000);
  g_assert_cmpuint (tdm_fake_shopify_count (f->fake, TDM_KIND_ORDER), ==, 2);
}

/* ---- A retry resends the same request ---- */

/* The `n`-th request of `operation` in the log (0-based), or NULL. */
static TdmFakeShopifyRequest *
nth_request (Fixture    *f,
             const char *operation,
             guint       n)
{
  GPtrArray *log = tdm_fake_shopify_get_request_log (f->fake);

  for (guint i = 0; i < log->len; i++)
    {
      TdmFakeShopifyRequest *req = log->pdata[i];

      if (g_strcmp0 (req->operation, operation) == 0 && n-- == 0)
        return req;
    }
  return NULL;
}

/* The first request of `operation` lost its answer after Shopify ran it;
 * the retry was the same request, byte for byte. */
static void
assert_resent_identically (Fixture    *f,
                           const char *operation)
{
  TdmFakeShopifyRequest *first = nth_request (f, operation, 0);
  TdmFakeShopifyRequest *retry = nth_request (f, operation, 1);

  g_assert_nonnull (first);
  g_assert_nonnull (retry);
  g_assert_null (nth_request (f, operation, 2));
  g_assert_cmpuint (retry->status, ==, 200);
  g_assert_nonnull (first->body);
  g_assert_cmpstr (retry->body, ==, first->body);
}

/* The connection is dropped after Shopify read (and ran) the mutation:
 * the retry, after a back-off, sends the identical body (the same input,
 * the same custom id, the same idempotency key), and the upsert by custom
 * id writes the record once (docs/shopify.md). */
static void
test_retry_resends_request (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) fields = customer_fields ("retry@example.no", "Randi");
  g_autoptr(JsonObject) change = parse_json ("{\"note\":\"Ring p\u00e5 d\u00f8ra\"}");
  g_autoptr(JsonObject) product = product_fields ("Lue", "LUE", 4);
  g_autoptr(TdmWriteResult) created = NULL;
  g_autoptr(TdmWriteResult) updated = NULL;
  g_autoptr(TdmWriteResult) stocked = NULL;
  g_autoptr(JsonObject) stored = NULL;
  TdmFakeShopifyRequest *first;
  g_autoptr(JsonObject) vars = NULL;
  gint64 start;

  tdm_shopify_client_set_backoff (tdm_shopify_connector_get_client (f->conn), 300, 2000);

  /* A create. */
  tdm_fake_shopify_inject_fault (f->fake, 1, TDM_FAKE_SHOPIFY_FAULT_RESET);
  start = g_get_monotonic_time ();
  created = create_record (f->conn, TDM_KIND_CUSTOMER, fields, "op-retry", "w-retry", &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 150 * 1000);
  assert_resent_identically (f, "CustomerSet");
  g_assert_cmpuint (tdm_fake_shopify_count (f->fake, TDM_KIND_CUSTOMER), ==, 1);

  /* An update of it. */
  tdm_fake_shopify_clear_log (f->fake);
  tdm_fake_shopify_inject_fault (f->fake, 1, TDM_FAKE_SHOPIFY_FAULT_RESET);
  start = g_get_monotonic_time ();
  updated = update_record (f->conn, TDM_KIND_CUSTOMER, created->record->id, change, "w-retry",
                           &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 150 * 1000);
  assert_resent_identically (f, "CustomerSet");
  g_assert_cmpuint (tdm_fake_shopify_count (f->fake, TDM_KIND_CUSTOMER), ==, 1);
  stored = tdm_fake_shopify_get_record (f->fake, TDM_KIND_CUSTOMER, created->record->id);
  g_assert_cmpstr (json_object_get_string_member (stored, "note"), ==, "Ring p\u00e5 d\u00f8ra");

  /* Stock, set with an idempotency key: the key is the same in the retry. */
  for (guint round = 0; round < 2; round++)
    {
      /* Which request sets the stock: a product without faults tells (the
       * second one, once the locations are known). */
      g_autofree char *sku = g_strdup_printf ("PROBE%u", round);
      g_autoptr(JsonObject) probe = product_fields ("Probe", sku, 1);
      g_autoptr(TdmWriteResult) probed = NULL;
      GPtrArray *log = tdm_fake_shopify_get_request_log (f->fake);
      guint n = 0;

      tdm_fake_shopify_clear_log (f->fake);
      probed = create_record (f->conn, TDM_KIND_PRODUCT, probe, sku, sku, &error);
      g_assert_no_error (error);
      while (n < log->len && g_strcmp0 (((TdmFakeShopifyRequest *) log->pdata[n])->operation,
                                        "InventorySet") != 0)
        n++;
      g_assert_cmpuint (n, <, log->len);
      if (round == 1)
        {
          tdm_fake_shopify_clear_log (f->fake);
          tdm_fake_shopify_inject_fault (f->fake, n + 1, TDM_FAKE_SHOPIFY_FAULT_RESET);
        }
    }
  stocked = create_record (f->conn, TDM_KIND_PRODUCT, product, "op-lue", "w-lue", &error);
  g_assert_no_error (error);
  assert_resent_identically (f, "InventorySet");
  first = nth_request (f, "InventorySet", 0);
  vars = parse_json (first->variables);
  g_assert_cmpstr (json_object_get_string_member (vars, "key"), ==, "op-lue");
  g_assert_cmpuint (tdm_fake_shopify_count (f->fake, TDM_KIND_PRODUCT), ==, 3);
}

/* ---- Ids and delete ---- */

static void
test_ids_and_delete (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(JsonObject) prod = product_fields ("Cap", "CAP", 1);
  g_autoptr(TdmWriteResult) p = create_record (f->conn, TDM_KIND_PRODUCT, prod, "op-cap", "cap-1",
                                               &error);
  g_autofree char *first_id = NULL;
  g_autoptr(JsonObject) stored = NULL;

  g_assert_no_error (error);
  for (guint i = 0; i < 300; i++)
    {
      g_autofree char *email = g_strdup_printf ("id%03u@example.no", i);
      g_autofree char *id = seed_customer (f, email, "2026-11-20T10:00:00Z");
      if (first_id == NULL)
        first_id = g_strdup (id);
    }
  tdm_connector_list_ids_async (TDM_CONNECTOR (f->conn), TDM_KIND_CUSTOMER, NULL,
                                tdm_test_keep_result_cb, &result);
  ids = tdm_connector_list_ids_finish (TDM_CONNECTOR (f->conn), wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, 300);
  g_assert_cmpuint (count_ops (f, "CustomerIds"), ==, 2);

  g_clear_object (&result);
  tdm_connector_delete_async (TDM_CONNECTOR (f->conn), TDM_KIND_CUSTOMER, first_id, NULL,
                              tdm_test_keep_result_cb, &result);
  g_assert_true (tdm_connector_delete_finish (TDM_CONNECTOR (f->conn), wait_for (&result), NULL,
                                              &error));
  g_assert_no_error (error);
  g_assert_cmpuint (tdm_fake_shopify_count (f->fake, TDM_KIND_CUSTOMER), ==, 299);

  g_clear_object (&result);
  tdm_connector_delete_async (TDM_CONNECTOR (f->conn), TDM_KIND_PRODUCT, p->record->id, NULL,
                              tdm_test_keep_result_cb, &result);
  g_assert_true (tdm_connector_delete_finish (TDM_CONNECTOR (f->conn), wait_for (&result), NULL,
                                              &error));
  stored = tdm_fake_shopify_get_record (f->fake, TDM_KIND_PRODUCT, p->record->id);
  g_assert_cmpstr (json_object_get_string_member (stored, "status"), ==, "ARCHIVED");
}

int
main (int argc, char **argv)
{
  shopify_test_init (&argc, &argv);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/shopify/customer/create-get-list", test_customer_create_get_list);
  ADD ("/shopify/customer/upsert", test_customer_upsert);
  ADD ("/shopify/customer/user-errors", test_customer_user_errors);
  ADD ("/shopify/product/create-update", test_product_create_update);
  ADD ("/shopify/product/update-keeps-shop-metafields", test_product_update_keeps_shop_metafields);
  ADD ("/shopify/product/price-excl-keeps-variant-metafields",
       test_product_price_excl_keeps_variant_metafields);
  ADD ("/shopify/product/variants-round-trip", test_product_variants_round_trip);
  ADD ("/shopify/product/too-many-variants", test_product_too_many_variants);
  ADD ("/shopify/order/create-update", test_order_create_update);
  ADD ("/shopify/order/retry-no-duplicate", test_order_retry_no_duplicate);
  ADD ("/shopify/order/dev-store-spacing", test_order_dev_store_spacing);
  ADD ("/shopify/retry-resends-request", test_retry_resends_request);
  ADD ("/shopify/ids-and-delete", test_ids_and_delete);
#undef ADD

  return g_test_run ();
}
