/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-test-shopify"

#include "config.h"
#include "shopify-fixture.h"

#include <string.h>

/* The Shopify connector against the fake Shopify (shopify-fixture.h).
 * Reading: listing and paging, incremental reads and their filters, a
 * product's variants beyond one read, bulk exports. */

/* ---- Listing ---- */

static void
test_customer_paging (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  guint pages = 0;
  GPtrArray *log;

  for (guint i = 0; i < 120; i++)
    {
      g_autofree char *email = g_strdup_printf ("c%03u@example.no", i);
      g_autofree char *stamp = g_strdup_printf ("2026-11-20T10:%02u:%02uZ", i / 60, i % 60);
      g_autofree char *id = seed_customer (f, email, stamp);
    }

  tdm_shopify_connector_set_page_size (f->conn, 25);
  all = list_all (f->conn, TDM_KIND_CUSTOMER, "2026-11-01T00:00:00Z", &pages);
  g_assert_cmpuint (all->len, ==, 120);
  g_assert_cmpuint (pages, ==, 5);
  for (guint i = 0; i < all->len; i++)
    g_hash_table_add (seen, ((TdmRecord *) all->pdata[i])->id);
  g_assert_cmpuint (g_hash_table_size (seen), ==, 120);

  /* Page size by cost: well under 1,000 points per query. */
  tdm_shopify_connector_set_page_size (f->conn, 0);
  tdm_fake_shopify_clear_log (f->fake);
  g_clear_pointer (&all, g_ptr_array_unref);
  all = list_all (f->conn, TDM_KIND_CUSTOMER, "2026-11-01T00:00:00Z", &pages);
  g_assert_cmpuint (all->len, ==, 120);
  g_assert_cmpuint (pages, >=, 2);
  log = tdm_fake_shopify_get_request_log (f->fake);
  for (guint i = 0; i < log->len; i++)
    {
      TdmFakeShopifyRequest *req = log->pdata[i];
      if (g_strcmp0 (req->operation, "CustomersChanged") == 0)
        {
          g_assert_cmpfloat (req->requested_cost, <=, 1000);
          g_assert_cmpfloat (req->requested_cost, >, 100);
        }
    }
}

static void
test_customer_incremental (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *old = seed_customer (f, "old@example.no", "2026-11-20T10:00:00Z");
  g_autofree char *early = seed_customer (f, "early@example.no", "2026-11-25T08:00:00Z");
  g_autofree char *late = seed_customer (f, "late@example.no", "2026-11-25T12:00:00Z");
  g_autofree char *next = seed_customer (f, "next@example.no", "2026-11-26T01:00:00Z");
  g_autoptr(GPtrArray) changed = list_all (f->conn, TDM_KIND_CUSTOMER, "2026-11-25T10:00:00Z",
                                           NULL);
  GPtrArray *log = tdm_fake_shopify_get_request_log (f->fake);
  TdmFakeShopifyRequest *req = log->pdata[log->len - 1];

  /* The filter starts at the beginning of the day (the server would miss
   * "late" with a plain ">"), then the client drops "early". Newest first. */
  g_assert_nonnull (strstr (req->variables, "updated_at:>='2026-11-25T00:00:00Z'"));
  g_assert_nonnull (strstr (req->variables, "\"reverse\":true"));
  g_assert_nonnull (strstr (req->response, "early@example.no"));
  g_assert_cmpuint (changed->len, ==, 2);
  g_assert_cmpstr (((TdmRecord *) changed->pdata[0])->id, ==, next);
  g_assert_cmpstr (((TdmRecord *) changed->pdata[1])->id, ==, late);
}

/* Issue 16: with the day-granular filter, a run on the day of a big sync
 * paged through every customer touched that day. Newest first, the
 * listing stops at the first customer older than the watermark. */
static void
test_customer_incremental_stops (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(GPtrArray) changed = NULL;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  guint pages = 0;
  GPtrArray *log;
  guint listings = 0;

  for (guint i = 0; i < 100; i++)
    {
      g_autofree char *email = g_strdup_printf ("synced%03u@example.no", i);
      g_autofree char *stamp = g_strdup_printf ("2026-11-25T08:%02u:%02uZ", i / 60, i % 60);
      g_autofree char *id = seed_customer (f, email, stamp);
    }
  a = seed_customer (f, "edited1@example.no", "2026-11-25T11:00:00Z");
  b = seed_customer (f, "edited2@example.no", "2026-11-25T11:00:01Z");

  tdm_shopify_connector_set_page_size (f->conn, 10);
  tdm_fake_shopify_clear_log (f->fake);
  changed = list_all (f->conn, TDM_KIND_CUSTOMER, "2026-11-25T10:00:00Z", &pages);
  g_assert_cmpuint (changed->len, ==, 2);
  g_assert_cmpstr (((TdmRecord *) changed->pdata[0])->id, ==, b);
  g_assert_cmpstr (((TdmRecord *) changed->pdata[1])->id, ==, a);
  log = tdm_fake_shopify_get_request_log (f->fake);
  for (guint i = 0; i < log->len; i++)
    if (g_strcmp0 (((TdmFakeShopifyRequest *) log->pdata[i])->operation, "CustomersChanged") == 0)
      listings++;
  g_assert_cmpuint (listings, ==, 1);
}

static void
test_product_incremental (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(JsonObject) a = parse_json ("{\"title\":\"Old\",\"updatedAt\":\"2026-11-25T08:00:00Z\"}");
  g_autoptr(JsonObject) b = parse_json ("{\"title\":\"New\",\"updatedAt\":\"2026-11-25T12:00:00Z\"}");
  g_autofree char *ida = tdm_fake_shopify_seed (f->fake, TDM_KIND_PRODUCT, a);
  g_autofree char *idb = tdm_fake_shopify_seed (f->fake, TDM_KIND_PRODUCT, b);
  g_autoptr(GPtrArray) changed = list_all (f->conn, TDM_KIND_PRODUCT, "2026-11-25T10:00:00Z", NULL);
  g_autoptr(GPtrArray) after_edit = NULL;
  g_autoptr(JsonObject) edit = parse_json ("{\"title\":\"Old, edited\"}");

  g_assert_cmpuint (changed->len, ==, 1);
  g_assert_cmpstr (((TdmRecord *) changed->pdata[0])->id, ==, idb);

  /* A merchant edit moves the record past the watermark. */
  g_assert_true (tdm_fake_shopify_edit (f->fake, TDM_KIND_PRODUCT, ida, edit,
                                        "2026-11-25T13:00:00Z"));
  after_edit = list_all (f->conn, TDM_KIND_PRODUCT, "2026-11-25T12:00:00Z", NULL);
  g_assert_cmpuint (after_edit->len, ==, 1);
  g_assert_cmpstr (tdm_record_get_string (after_edit->pdata[0], "title"), ==, "Old, edited");

  /* A product deleted in Shopify comes back as a tombstone (from its destroy event). */
  g_assert_true (tdm_fake_shopify_delete (f->fake, TDM_KIND_PRODUCT, idb));
  {
    g_autoptr(GPtrArray) after_delete = list_all (f->conn, TDM_KIND_PRODUCT, "2026-11-25T12:00:00Z",
                                                  NULL);
    TdmRecord *tomb = NULL;

    for (guint i = 0; i < after_delete->len; i++)
      if (((TdmRecord *) after_delete->pdata[i])->deleted)
        tomb = after_delete->pdata[i];
    g_assert_cmpuint (after_delete->len, ==, 2);
    g_assert_nonnull (tomb);
    g_assert_cmpstr (tomb->id, ==, idb);
    g_assert_cmpuint (count_ops (f, "ProductDestroyEvents"), ==, 3);
  }
}

/* ---- Products with more variants than one read holds ---- */

/* 130 variants: listed, fetched by id and by custom id with all of them, in
 * order, at one ProductVariants request each (50 + 80 ≤ one page). */
static void
test_product_many_variants (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *big = seed_product_variants (f, "Big lamp", "BIG", 130, "w-big",
                                                "2026-11-25T12:00:00Z");
  g_autofree char *small = seed_product_variants (f, "Small lamp", "SMALL", 3, "w-small",
                                                  "2026-11-25T11:00:00Z");
  g_autoptr(GPtrArray) listed = NULL;
  g_autoptr(TdmRecord) got = NULL;
  g_autoptr(TdmRecord) found = NULL;
  GPtrArray *log;

  /* The bucket refills 50 times faster: pacing is not what is tested here. */
  tdm_fake_shopify_set_time_scale (f->fake, 50);
  listed = list_all (f->conn, TDM_KIND_PRODUCT, NULL, NULL);
  g_assert_cmpuint (listed->len, ==, 2);
  assert_all_variants (f, record_with_id (listed, big), "BIG", 130);
  assert_all_variants (f, record_with_id (listed, small), "SMALL", 3);
  g_assert_cmpuint (count_ops (f, "ProductVariants"), ==, 1);

  got = get_record (f->conn, TDM_KIND_PRODUCT, big, &error);
  g_assert_no_error (error);
  assert_all_variants (f, got, "BIG", 130);
  g_assert_cmpuint (count_ops (f, "ProductVariants"), ==, 2);

  found = find_created (f->conn, TDM_KIND_PRODUCT, "w-big", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found->id, ==, big);
  g_assert_cmpstr (found->twin_id, ==, "w-big");
  assert_all_variants (f, found, "BIG", 130);
  g_assert_cmpuint (count_ops (f, "ProductVariants"), ==, 3);

  /* Each follow-up continues after the 50th variant, for this product. */
  log = tdm_fake_shopify_get_request_log (f->fake);
  for (guint i = 0; i < log->len; i++)
    {
      TdmFakeShopifyRequest *req = log->pdata[i];
      g_autoptr(JsonObject) vars = NULL;

      if (g_strcmp0 (req->operation, "ProductVariants") != 0)
        continue;
      vars = parse_json (req->variables);
      g_assert_cmpstr (json_object_get_string_member (vars, "id"), ==, big);
      g_assert_cmpint (json_object_get_int_member (vars, "first"), <=, 250);
      g_assert_nonnull (json_object_get_string_member (vars, "after"));
      g_assert_cmpfloat (req->requested_cost, <=, 1000);
      g_assert_false (req->throttled);
    }
}

/* Many follow-up pages: each within one query's cost, the cursor moving on. */
static void
test_product_variants_paging (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autoptr(TdmRecord) got = NULL;
  g_autoptr(GHashTable) cursors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GPtrArray *log;
  guint pages = 0;

  /* A small bucket: a query may ask for at most half of it (200 points), so
   * 39 variants a page; restored fast so the test does not wait. */
  tdm_fake_shopify_set_bucket (f->fake, 400, 100);
  tdm_fake_shopify_set_time_scale (f->fake, 20);
  id = seed_product_variants (f, "Huge lamp", "HUGE", 600, NULL, "2026-11-25T12:00:00Z");
  got = get_record (f->conn, TDM_KIND_PRODUCT, id, &error);
  g_assert_no_error (error);
  assert_all_variants (f, got, "HUGE", 600);

  log = tdm_fake_shopify_get_request_log (f->fake);
  for (guint i = 0; i < log->len; i++)
    {
      TdmFakeShopifyRequest *req = log->pdata[i];
      g_autoptr(JsonObject) vars = NULL;
      const char *after;

      if (g_strcmp0 (req->operation, "ProductVariants") != 0 || req->throttled)
        continue;
      vars = parse_json (req->variables);
      after = json_object_get_string_member (vars, "after");
      g_assert_nonnull (after);
      g_assert_false (g_hash_table_contains (cursors, after));
      g_hash_table_add (cursors, g_strdup (after));
      g_assert_cmpfloat (req->requested_cost, <=, 200);
      pages++;
    }
  /* 550 variants after the first 50, 39 a page. */
  g_assert_cmpuint (pages, ==, (550 + 38) / 39);
}

/* A listing page holds a product's first 10 variants, a read by id its
 * first 50 (docs/shopify.md § Search filters): up to that many, no request
 * beyond the read itself; one more variant: exactly one. */
static void
test_product_variants_no_extra (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *one = seed_product_variants (f, "One", "ONE", 1, "w-one",
                                                "2026-11-25T10:00:00Z");
  g_autofree char *ten = seed_product_variants (f, "Ten", "TEN", 10, "w-ten",
                                                "2026-11-25T10:30:00Z");
  g_autofree char *fifty = seed_product_variants (f, "Fifty", "FIFTY", 50, "w-fifty",
                                                  "2026-11-25T11:00:00Z");
  g_autoptr(GPtrArray) listed = list_all (f->conn, TDM_KIND_PRODUCT, NULL, NULL);
  g_autoptr(TdmRecord) got = NULL;
  g_autoptr(TdmRecord) found = NULL;
  g_autoptr(TdmRecord) got51 = NULL;
  g_autofree char *fifty_one = NULL;
  guint64 before;

  g_assert_cmpuint (listed->len, ==, 3);
  assert_all_variants (f, record_with_id (listed, one), "ONE", 1);
  assert_all_variants (f, record_with_id (listed, ten), "TEN", 10);
  assert_all_variants (f, record_with_id (listed, fifty), "FIFTY", 50);
  /* The listing read the rest of Fifty's variants, nothing else. */
  g_assert_cmpuint (count_ops (f, "ProductVariants"), ==, 1);
  got = get_record (f->conn, TDM_KIND_PRODUCT, fifty, &error);
  g_assert_no_error (error);
  assert_all_variants (f, got, "FIFTY", 50);
  found = find_created (f->conn, TDM_KIND_PRODUCT, "w-fifty", &error);
  g_assert_no_error (error);
  assert_all_variants (f, found, "FIFTY", 50);
  g_assert_cmpuint (count_ops (f, "ProductVariants"), ==, 1);
  /* ProductsCount, ProductsChanged, ProductVariants, ProductGet, ProductByIdentifier. */
  g_assert_cmpuint (tdm_connector_get_request_count (TDM_CONNECTOR (f->conn)), ==, 5);

  fifty_one = seed_product_variants (f, "Fifty-one", "FO", 51, NULL, "2026-11-25T12:00:00Z");
  before = tdm_connector_get_request_count (TDM_CONNECTOR (f->conn));
  got51 = get_record (f->conn, TDM_KIND_PRODUCT, fifty_one, &error);
  g_assert_no_error (error);
  assert_all_variants (f, got51, "FO", 51);
  g_assert_cmpuint (count_ops (f, "ProductVariants"), ==, 2);
  g_assert_cmpuint (tdm_connector_get_request_count (TDM_CONNECTOR (f->conn)) - before, ==, 2);
}

/* A failure while reading the rest of the variants fails that product only,
 * with a message naming it; nothing with missing variants is handed on. */
static void
test_product_variants_error (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *big = seed_product_variants (f, "Big lamp", "BIG", 130, "w-big",
                                                "2026-11-25T12:00:00Z");
  g_autofree char *small = seed_product_variants (f, "Small lamp", "SMALL", 3, "w-small",
                                                  "2026-11-25T11:00:00Z");
  g_autoptr(TdmRecord) got = NULL;
  g_autoptr(TdmPage) page = NULL;
  g_autoptr(JsonObject) fields = many_variant_fields ("Wide shelf", "WS", 120);
  g_autoptr(TdmWriteResult) res = NULL;
  g_autoptr(TdmRecordError) rec = NULL;
  TdmRecordError *problem;

  tdm_fake_shopify_set_time_scale (f->fake, 50);
  /* get: Shopify fails the follow-up until the client gives up. */
  for (guint n = 2; n <= 6; n++)
    tdm_fake_shopify_inject_fault (f->fake, n, TDM_FAKE_SHOPIFY_FAULT_503);
  got = get_record (f->conn, TDM_KIND_PRODUCT, big, &error);
  g_assert_null (got);
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_SERVER);
  g_assert_nonnull (strstr (error->message, "Big lamp"));
  g_assert_nonnull (strstr (error->message, big));
  g_assert_cmpuint (count_ops (f, "ProductVariants"), ==, 5);
  g_clear_error (&error);

  /* list: a passing server trouble while reading the rest of the variants
   * fails the whole page, so the run stops before its watermark passes the
   * product and the next run reads it again. */
  for (guint n = 2; n <= 6; n++)
    tdm_fake_shopify_inject_fault (f->fake, n, TDM_FAKE_SHOPIFY_FAULT_503);
  page = list_page (f->conn, TDM_KIND_PRODUCT, "2026-11-25T00:00:00Z", NULL, &error);
  g_assert_null (page);
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_SERVER);
  g_clear_error (&error);

  /* list, refused for good: the page comes without that product, and names
   * it as a problem. */
  tdm_fake_shopify_deny_operation (f->fake, "ProductVariants", "read_products");
  page = list_page (f->conn, TDM_KIND_PRODUCT, "2026-11-25T00:00:00Z", NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (page);
  g_assert_null (record_with_id (page->records, big));
  g_assert_nonnull (record_with_id (page->records, small));
  assert_all_variants (f, record_with_id (page->records, small), "SMALL", 3);
  g_assert_cmpuint (page->problems->len, ==, 1);
  problem = page->problems->pdata[0];
  g_assert_cmpint (problem->side, ==, TDM_SIDE_SHOPIFY);
  g_assert_cmpint (problem->kind, ==, TDM_KIND_PRODUCT);
  g_assert_cmpstr (problem->record_id, ==, big);
  g_assert_cmpstr (problem->field, ==, "variants");
  g_assert_nonnull (strstr (problem->message, "Big lamp"));
  g_assert_cmpstr (page->max_updated_at, ==, "2026-11-25T11:00:00Z");

  /* by identifier: fails too. */
  g_clear_pointer (&got, tdm_record_unref);
  got = find_created (f->conn, TDM_KIND_PRODUCT, "w-big", &error);
  g_assert_null (got);
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_AUTH);
  g_assert_nonnull (strstr (error->message, "Big lamp"));
  g_clear_error (&error);

  /* productSet: saved, but the record cannot be read back whole → a record error. */
  rec = create_refused (f->conn, TDM_KIND_PRODUCT, fields, "op-ws", "w-ws", &error);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "Wide shelf"));
  check_record_error (g_steal_pointer (&rec), "variants");
  g_assert_cmpuint (count_ops (f, "InventorySet"), ==, 0);
}

/* Cancelling while the rest of the variants is read stops at once. */
static void
test_product_variants_cancel (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(TdmRecord) got = NULL;
  g_autofree char *big = seed_product_variants (f, "Big lamp", "BIG", 130, NULL,
                                                "2026-11-25T12:00:00Z");
  gint64 start;

  tdm_fake_shopify_set_fault_delay (f->fake, 10000);
  tdm_fake_shopify_inject_fault (f->fake, 2, TDM_FAKE_SHOPIFY_FAULT_DELAY);
  tdm_connector_get_async (TDM_CONNECTOR (f->conn), TDM_KIND_PRODUCT, big, cancellable,
                           tdm_test_keep_result_cb, &result);
  /* Cancelled once the rest of the variants is being read (the fake holds
   * that answer back 10 s), however long getting there took under load. */
  tdm_test_wait_for (count_ops (f, "ProductVariants") == 1, 60);
  start = g_get_monotonic_time ();
  g_cancellable_cancel (cancellable);
  got = tdm_connector_get_finish (TDM_CONNECTOR (f->conn), wait_for (&result), NULL, &error);
  g_assert_null (got);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  /* Stopped at once, not after the 10 s answer. */
  g_assert_cmpint (g_get_monotonic_time () - start, <, 3 * G_USEC_PER_SEC);
  g_assert_cmpuint (count_ops (f, "ProductVariants"), ==, 1);
}

/* ---- Orders ---- */

static void
test_order_paging_errors (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) changed = NULL;
  g_autoptr(JsonObject) bad_customer = parse_json ("{\"number\":\"#E1\",\"currency\":\"NOK\","
                                                   "\"customer_id\":\"gid://shopify/Customer/424242\","
                                                   "\"line_items\":[{\"title\":\"X\",\"quantity\":1,\"unit_price\":\"1\"}]}");
  g_autoptr(TdmWriteResult) res = NULL;
  g_autoptr(TdmRecordError) rec = NULL;
  guint pages = 0;

  for (guint i = 0; i < 7; i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"updatedAt\":\"2026-11-2%uT10:00:00Z\",\"name\":\"#%u\","
                                               "\"email\":\"o%u@example.no\",\"lineItems\":{\"nodes\":["
                                               "{\"sku\":\"A\",\"title\":\"A\",\"quantity\":1}]}}", i, 100 + i, i);
      g_autoptr(JsonObject) node = parse_json (json);
      g_autofree char *id = tdm_fake_shopify_seed (f->fake, TDM_KIND_ORDER, node);
    }
  tdm_shopify_connector_set_page_size (f->conn, 2);
  changed = list_all (f->conn, TDM_KIND_ORDER, "2026-11-22T10:00:00Z", &pages);
  /* 23rd … 26th: four orders on two pages, oldest first. */
  g_assert_cmpuint (changed->len, ==, 4);
  g_assert_cmpuint (pages, ==, 2);
  g_assert_cmpstr (((TdmRecord *) changed->pdata[0])->updated_at, ==, "2026-11-23T10:00:00Z");
  g_assert_cmpstr (((TdmRecord *) changed->pdata[3])->updated_at, ==, "2026-11-26T10:00:00Z");

  rec = create_refused (f->conn, TDM_KIND_ORDER, bad_customer, "op-e1", "we-1", &error);
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_VALIDATION);
  check_record_error (g_steal_pointer (&rec), "customer_id");
  g_assert_cmpuint (tdm_fake_shopify_count (f->fake, TDM_KIND_ORDER), ==, 7);
}

/* ---- Bulk ---- */

static void
test_bulk_export (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(TdmShopifyConnector) fresh = NULL;
  g_autoptr(TdmPage) first = NULL;
  g_autoptr(TdmPage) resumed = NULL;
  g_autoptr(GError) error = NULL;
  guint pages = 0;
  guint with_address = 0;

  tdm_fake_shopify_set_logging (f->fake, FALSE);
  for (guint i = 0; i < 2600; i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"updatedAt\":\"2026-11-20T10:00:00Z\",\"firstName\":\"Bulk\","
                                               "\"defaultEmailAddress\":{\"emailAddress\":\"b%u@example.no\","
                                               "\"marketingState\":\"NOT_SUBSCRIBED\"},"
                                               "\"addressesV2\":{\"nodes\":[{\"city\":\"Oslo\",\"countryCodeV2\":\"NO\"},"
                                               "{\"city\":\"Bergen\",\"countryCodeV2\":\"NO\"}]}}", i);
      g_autoptr(JsonObject) node = parse_json (json);
      g_autofree char *id = tdm_fake_shopify_seed (f->fake, TDM_KIND_CUSTOMER, node);
    }
  tdm_fake_shopify_set_logging (f->fake, TRUE);
  tdm_fake_shopify_set_bulk_polls (f->fake, 3);

  all = list_all (f->conn, TDM_KIND_CUSTOMER, NULL, &pages);
  g_assert_true (tdm_shopify_connector_last_list_was_bulk (f->conn));
  g_assert_cmpuint (all->len, ==, 2600);
  g_assert_cmpuint (pages, ==, 11);
  for (guint i = 0; i < all->len; i++)
    {
      TdmRecord *rec = all->pdata[i];
      JsonNode *addresses = json_object_get_member (rec->fields, "addresses");
      g_hash_table_add (seen, rec->id);
      if (addresses != NULL && json_array_get_length (json_node_get_array (addresses)) == 2)
        with_address++;
    }
  g_assert_cmpuint (g_hash_table_size (seen), ==, 2600);
  g_assert_cmpuint (with_address, ==, 2600);
  g_assert_cmpuint (count_ops (f, "CustomersCount"), ==, 1);
  g_assert_cmpuint (count_ops (f, "BulkRun"), ==, 1);
  g_assert_cmpuint (count_ops (f, "BulkPoll"), ==, 3);
  g_assert_cmpuint (count_ops (f, "CustomersChanged"), ==, 0);

  /* A new connector (after a restart) resumes from a bulk cursor. */
  first = list_page (f->conn, TDM_KIND_CUSTOMER, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (first->next_cursor);
  fresh = make_connector (f, TDM_SHOPIFY_AUTH_TOKEN);
  resumed = list_page (fresh, TDM_KIND_CUSTOMER, NULL, first->next_cursor, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (resumed->records->len, ==, 250);
  g_assert_cmpstr (((TdmRecord *) resumed->records->pdata[0])->id, !=,
                   ((TdmRecord *) first->records->pdata[0])->id);
  g_assert_cmpstr (((TdmRecord *) resumed->records->pdata[0])->id, ==,
                   ((TdmRecord *) all->pdata[250])->id);

  /* Below the threshold: paged. */
  tdm_shopify_connector_set_bulk_threshold (f->conn, 5000);
  g_clear_pointer (&first, tdm_page_free);
  first = list_page (f->conn, TDM_KIND_CUSTOMER, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (tdm_shopify_connector_last_list_was_bulk (f->conn));
}

/* A bulk export and a paged read give the same canonical records. */
static void
compare_bulk_and_paged (Fixture *f,
                        TdmKind  kind,
                        guint    expected)
{
  g_autoptr(GPtrArray) bulk = NULL;
  g_autoptr(GPtrArray) paged = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GError) error = NULL;

  tdm_shopify_connector_set_bulk_threshold (f->conn, 3);
  bulk = list_all (f->conn, kind, NULL, NULL);
  g_assert_true (tdm_shopify_connector_last_list_was_bulk (f->conn));
  tdm_shopify_connector_set_bulk_threshold (f->conn, 0);
  paged = list_all (f->conn, kind, NULL, NULL);
  g_assert_false (tdm_shopify_connector_last_list_was_bulk (f->conn));
  g_assert_cmpuint (bulk->len, ==, expected);
  g_assert_cmpuint (paged->len, ==, expected);
  for (guint i = 0; i < bulk->len; i++)
    {
      TdmRecord *b = bulk->pdata[i];
      gboolean found = FALSE;
      for (guint j = 0; j < paged->len; j++)
        {
          TdmRecord *p = paged->pdata[j];
          if (g_strcmp0 (b->id, p->id) == 0)
            {
              g_autofree char *bj = tdm_json_object_to_string (b->fields);
              g_autofree char *pj = tdm_json_object_to_string (p->fields);
              g_assert_cmpstr (bj, ==, pj);
              g_assert_cmpstr (b->twin_id, ==, p->twin_id);
              found = TRUE;
            }
        }
      g_assert_true (found);
    }

  tdm_connector_list_ids_async (TDM_CONNECTOR (f->conn), kind, NULL, tdm_test_keep_result_cb,
                                &result);
  ids = tdm_connector_list_ids_finish (TDM_CONNECTOR (f->conn), wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, expected);
}

static void
test_bulk_products_orders (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TdmRecord) one = NULL;
  g_autofree char *first = NULL;

  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *title = g_strdup_printf ("Bulk product %u", i);
      g_autofree char *sku = g_strdup_printf ("BP%u", i);
      g_autofree char *twin = g_strdup_printf ("bp-%u", i);
      g_autoptr(JsonObject) fields = product_fields (title, sku, (int) i);
      g_autoptr(TdmWriteResult) res = create_record (f->conn, TDM_KIND_PRODUCT, fields, twin, twin,
                                                     &error);
      g_assert_no_error (error);
      if (first == NULL)
        first = g_strdup (res->record->id);
    }
  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"number\":\"#B%u\",\"email\":\"o%u@example.no\",\"currency\":\"NOK\","
                                               "\"line_items\":[{\"sku\":\"BP%u-S\",\"title\":\"S\",\"quantity\":1,\"unit_price\":\"199\"},"
                                               "{\"sku\":\"LOOSE\",\"title\":\"Loose\",\"quantity\":3,\"unit_price\":\"5\"}],"
                                               "\"shipping_lines\":[{\"title\":\"Post\",\"price\":\"49\"}],"
                                               "\"shipping_address\":{\"city\":\"Oslo\",\"country_code\":\"NO\"}}",
                                               i, i, i);
      g_autofree char *twin = g_strdup_printf ("bo-%u", i);
      g_autoptr(JsonObject) fields = parse_json (json);
      g_autoptr(TdmWriteResult) res = create_record (f->conn, TDM_KIND_ORDER, fields, twin, twin,
                                                     &error);
      g_assert_no_error (error);
    }
  compare_bulk_and_paged (f, TDM_KIND_PRODUCT, 5);
  compare_bulk_and_paged (f, TDM_KIND_ORDER, 4);

  one = get_record (f->conn, TDM_KIND_PRODUCT, first, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (one->twin_id, ==, "bp-0");
}

int
main (int argc, char **argv)
{
  shopify_test_init (&argc, &argv);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/shopify/customer/paging", test_customer_paging);
  ADD ("/shopify/customer/incremental", test_customer_incremental);
  ADD ("/shopify/customer/incremental-stops", test_customer_incremental_stops);
  ADD ("/shopify/product/incremental", test_product_incremental);
  ADD ("/shopify/product/many-variants", test_product_many_variants);
  ADD ("/shopify/product/variants-paging", test_product_variants_paging);
  ADD ("/shopify/product/variants-no-extra", test_product_variants_no_extra);
  ADD ("/shopify/product/variants-error", test_product_variants_error);
  ADD ("/shopify/product/variants-cancel", test_product_variants_cancel);
  ADD ("/shopify/order/paging-errors", test_order_paging_errors);
  ADD ("/shopify/bulk/export", test_bulk_export);
  ADD ("/shopify/bulk/products-orders", test_bulk_products_orders);
#undef ADD

  return g_test_run ();
}
