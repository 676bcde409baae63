/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-test-pull"

#include "config.h"

#include <math.h>
#include <string.h>

#include "e2e-harness.h"
#include "tdm-error.h"
#include "tdm-shopify-client.h"
#include "tdm-shopify-connector.h"
#include "tdm-test-wait.h"

/* Listings that misbehave, end to end: the real engine and connectors
 * against the fake webshop over HTTP (docs/sync.md, Listing bounds). */

typedef struct
{
  E2E        *e2e;
  guint       lists;        /* GET /customers so far */
  guint       edit_on;      /* edit on this list request */
  const char *id;
  const char *patch;
} EditHook;

static void
edit_hook_cb (TdmFakeWebshop *web,
              const char     *method,
              const char     *path,
              gpointer        user_data)
{
  EditHook *hook = user_data;

  if (!g_str_equal (method, "GET") || !g_str_equal (path, "/customers"))
    return;
  if (++hook->lists == hook->edit_on)
    e2e_edit_webshop (hook->e2e, TDM_KIND_CUSTOMER, hook->id, hook->patch);
}

static char *
seed_customer (E2E        *e2e,
               guint       n,
               const char *first_name)
{
  g_autofree char *json = g_strdup_printf ("{\"email\": \"kunde%u@example.no\", \"first_name\": \"%s\","
                                           " \"last_name\": \"Hansen\","
                                           " \"updated_at\": \"2026-01-%02uT08:00:00Z\"}",
                                           n, first_name, n);

  return e2e_seed_webshop (e2e, TDM_KIND_CUSTOMER, json);
}

static guint
count_list_requests (E2E        *e2e,
                     const char *path)
{
  GPtrArray *log = tdm_fake_webshop_get_request_log (e2e->web);
  guint n = 0;

  for (guint i = 0; i < log->len; i++)
    {
      TdmFakeRequest *r = g_ptr_array_index (log, i);

      if (g_str_equal (r->method, "GET") && g_str_equal (r->path, path))
        n++;
    }
  return n;
}

static const char *
shopify_first_name (E2E        *e2e,
                    const char *email)
{
  g_autoptr(JsonObject) shop = e2e_find_shopify (e2e, TDM_KIND_CUSTOMER,
                                                 "defaultEmailAddress.emailAddress", email);
  static char name[64];

  g_assert_nonnull (shop);
  g_strlcpy (name, e2e_json_path_string (shop, "firstName"), sizeof name);
  return name;
}

/* The same record on page 1 and, edited meanwhile, on page 3: the API
 * docs call that normal. The newest copy is planned and written. */
static void
test_same_id_across_pages (void)
{
  E2E *e2e = e2e_new ();
  EditHook hook = { e2e, 0, 2, NULL, "{\"first_name\": \"Kari Edited\"}" };
  g_autofree char *first = NULL;
  TdmSyncCounts counts;

  e2e_set_webshop_page_size (e2e, 2);
  first = seed_customer (e2e, 1, "Kari");
  for (guint i = 2; i <= 5; i++)
    g_free (seed_customer (e2e, i, "Ola"));
  hook.id = first;
  tdm_fake_webshop_set_request_hook (e2e->web, edit_hook_cb, &hook);

  e2e_run_ok (e2e, NULL, &counts);
  tdm_fake_webshop_set_request_hook (e2e->web, NULL, NULL);

  /* Pages: (1, 2), (3, 4), (5, 1 edited). */
  g_assert_cmpuint (count_list_requests (e2e, "/customers"), ==, 3);
  g_assert_cmpuint (counts.created, ==, 5);
  g_assert_cmpuint (counts.errors, ==, 0);
  g_assert_cmpuint (tdm_fake_shopify_count (e2e->shop, TDM_KIND_CUSTOMER), ==, 5);
  g_assert_cmpstr (shopify_first_name (e2e, "kunde1@example.no"), ==, "Kari Edited");

  /* And nothing is left to do. */
  e2e_clear_logs (e2e);
  e2e_run_ok (e2e, NULL, &counts);
  g_assert_cmpuint (e2e_shopify_record_writes (e2e), ==, 0);
  g_assert_cmpuint (e2e_webshop_writes (e2e), ==, 0);
  e2e_free (e2e);
}

/* Two copies of one id in one page: the newest wins whichever comes
 * first; on equal times the later one in the listing wins. */
static void
test_duplicate_in_one_page (void)
{
  struct {
    const char *extra_updated_at;
    const char *expected;
  } cases[] = {
    { "2025-12-01T08:00:00Z", "Kari" },       /* an older copy after the record */
    { "2026-01-01T08:00:00Z", "Kari Later" }, /* the same time: the later copy */
    { "2026-02-01T08:00:00Z", "Kari Later" }, /* a newer copy */
  };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      E2E *e2e = e2e_new ();
      g_autofree char *first = seed_customer (e2e, 1, "Kari");
      g_autofree char *second = seed_customer (e2e, 2, "Ola");
      g_autoptr(JsonObject) extra = tdm_fake_webshop_get_record (e2e->web, TDM_KIND_CUSTOMER, first);
      TdmSyncCounts counts;

      json_object_set_string_member (extra, "first_name", "Kari Later");
      json_object_set_string_member (extra, "updated_at", cases[c].extra_updated_at);
      tdm_fake_webshop_set_page_extra (e2e->web, TDM_KIND_CUSTOMER, extra);

      e2e_run_ok (e2e, NULL, &counts);
      g_assert_cmpuint (counts.created, ==, 2);
      g_assert_cmpuint (counts.errors, ==, 0);
      g_assert_cmpuint (tdm_fake_shopify_count (e2e->shop, TDM_KIND_CUSTOMER), ==, 2);
      g_assert_cmpstr (shopify_first_name (e2e, "kunde1@example.no"), ==, cases[c].expected);
      e2e_free (e2e);
    }
}

static char *
last_run_message (E2E *e2e)
{
  g_autoptr(GPtrArray) runs = tdm_store_list_runs (e2e->store, 1, NULL);
  TdmRunInfo *run;

  g_assert_nonnull (runs);
  g_assert_cmpuint (runs->len, ==, 1);
  run = g_ptr_array_index (runs, 0);
  return g_strdup (run->message);
}

static char *
webshop_watermark (E2E *e2e)
{
  return tdm_record_store_get_watermark (TDM_RECORD_STORE (e2e->store), TDM_SIDE_WEBSHOP,
                                         TDM_KIND_CUSTOMER, NULL);
}

/* A server that answers every page with the same next_cursor: the listing
 * ends at once with an error naming the side and the kind. */
static void
test_repeated_cursor (void)
{
  E2E *e2e = e2e_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  TdmSyncCounts counts;

  e2e_set_run_timeout (60);
  for (guint i = 1; i <= 3; i++)
    g_free (seed_customer (e2e, i, "Ola"));
  tdm_fake_webshop_set_list_mode (e2e->web, TDM_KIND_CUSTOMER, TDM_FAKE_LIST_REPEAT_CURSOR);

  g_assert_false (e2e_run (e2e, NULL, &counts, &error));
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_INVALID_RESPONSE);
  g_assert_nonnull (strstr (error->message, "The webshop returned the same page twice while "
                                            "listing customers"));
  /* The first page and the one that repeated it. */
  g_assert_cmpuint (count_list_requests (e2e, "/customers"), ==, 2);
  g_assert_cmpuint (e2e_shopify_record_writes (e2e), ==, 0);
  g_assert_cmpuint (tdm_sync_engine_get_state (e2e->engine), ==, TDM_ENGINE_ERROR);
  message = last_run_message (e2e);
  g_assert_nonnull (strstr (message, "same page twice"));
  e2e_set_run_timeout (120);
  e2e_free (e2e);
}

/* A cursor that never ends (every page holds new records): the listing
 * stops at its bound, the records read are synced and the run says so. */
static void
test_endless_cursor (void)
{
  E2E *e2e = e2e_new ();
  TdmPlanOptions options = { 0 };
  g_autofree char *message = NULL;
  g_autofree char *watermark = NULL;
  TdmSyncCounts counts;

  e2e_set_run_timeout (60);
  /* Read the webshop's customers, write none of them to Shopify. */
  options.conflict_policy = TDM_POLICY_NEWEST_WINS;
  options.first_link_policy = TDM_POLICY_WEBSHOP_WINS;
  options.direction = TDM_DIRECTION_TO_WEBSHOP;
  tdm_sync_engine_set_options (e2e->engine, TDM_KIND_CUSTOMER, &options);
  tdm_sync_engine_set_pull_limit (e2e->engine, 250);
  tdm_fake_webshop_set_list_mode (e2e->web, TDM_KIND_CUSTOMER, TDM_FAKE_LIST_ENDLESS);

  e2e_run_ok (e2e, NULL, &counts);
  /* 100 records a page: the third page passes 250. */
  g_assert_cmpuint (count_list_requests (e2e, "/customers"), ==, 3);
  g_assert_cmpuint (counts.errors, ==, 0);
  g_assert_cmpuint (e2e->warnings->len, ==, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (e2e->warnings, 0),
                            "stopped listing customers from the webshop after 3 pages and "
                            "300 records"));
  message = last_run_message (e2e);
  g_assert_nonnull (strstr (message, "stopped listing customers from the webshop"));
  /* Read in order up to a point: the watermark moved that far. */
  watermark = webshop_watermark (e2e);
  g_assert_nonnull (watermark);
  e2e_set_run_timeout (120);
  e2e_free (e2e);
}

/* One record dated in year 9999 must not hide every later edit. */
static void
test_far_future_time (void)
{
  E2E *e2e = e2e_new ();
  g_autofree char *future = NULL;
  g_autofree char *future2 = NULL;
  g_autofree char *plain = NULL;
  g_autofree char *watermark = NULL;
  g_autofree char *limit = NULL;
  g_autofree char *message = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) soon = g_date_time_add_minutes (now, 6);
  TdmSyncCounts counts;

  future = e2e_seed_webshop (e2e, TDM_KIND_CUSTOMER,
                             "{\"email\": \"fremtid@example.no\", \"first_name\": \"Fremtid\","
                             " \"updated_at\": \"9999-12-31T23:59:59Z\"}");
  future2 = e2e_seed_webshop (e2e, TDM_KIND_CUSTOMER,
                              "{\"email\": \"fremtid2@example.no\", \"first_name\": \"Fremtid\","
                              " \"updated_at\": \"9000-01-01T00:00:00Z\"}");
  plain = seed_customer (e2e, 1, "Kari");

  e2e_run_ok (e2e, NULL, &counts);
  /* Synced all the same, and said once for webshop customers. */
  g_assert_cmpuint (counts.created, ==, 3);
  g_assert_cmpuint (e2e->warnings->len, ==, 1);
  {
    const char *warning = g_ptr_array_index (e2e->warnings, 0);
    g_autofree char *named = g_strdup_printf ("The webshop sent customer %s", future2);

    g_assert_nonnull (strstr (warning, "far in the future"));
    g_assert_nonnull (strstr (warning, named));
  }
  message = last_run_message (e2e);
  g_assert_nonnull (strstr (message, "far in the future"));
  limit = g_date_time_format (soon, "%Y-%m-%dT%H:%M:%SZ");
  watermark = webshop_watermark (e2e);
  g_assert_cmpstr (watermark, <, limit);

  /* An edit after that run is read by the next one. */
  e2e_edit_webshop (e2e, TDM_KIND_CUSTOMER, plain, "{\"first_name\": \"Kari Later\"}");
  e2e_run_ok (e2e, NULL, &counts);
  g_assert_cmpuint (counts.updated, ==, 1);
  g_assert_cmpstr (shopify_first_name (e2e, "kunde1@example.no"), ==, "Kari Later");

  /* A watermark stored in the future (by an older Tandem) is not trusted. */
  g_assert_true (tdm_record_store_set_watermark (TDM_RECORD_STORE (e2e->store), TDM_SIDE_WEBSHOP,
                                                 TDM_KIND_CUSTOMER, "9999-12-31T23:59:59Z", NULL));
  e2e_edit_webshop (e2e, TDM_KIND_CUSTOMER, plain, "{\"first_name\": \"Kari Latest\"}");
  e2e_run_ok (e2e, NULL, &counts);
  g_assert_cmpstr (shopify_first_name (e2e, "kunde1@example.no"), ==, "Kari Latest");
  g_clear_pointer (&watermark, g_free);
  watermark = webshop_watermark (e2e);
  g_assert_cmpstr (watermark, <, limit);
  e2e_free (e2e);
}

/* A time that is not a time: that record is an error naming updated_at,
 * the others are synced and the watermark stays a time. */
static void
test_unparsable_time (void)
{
  E2E *e2e = e2e_new ();
  g_autofree char *broken = NULL;
  g_autofree char *watermark = NULL;
  TdmRecordError *err;
  TdmSyncCounts counts;

  broken = e2e_seed_webshop (e2e, TDM_KIND_CUSTOMER,
                             "{\"email\": \"rar@example.no\", \"first_name\": \"Rar\","
                             " \"updated_at\": \"zzzz\"}");
  g_free (seed_customer (e2e, 1, "Kari"));
  g_free (seed_customer (e2e, 2, "Ola"));

  e2e_run_ok (e2e, NULL, &counts);
  g_assert_cmpuint (counts.created, ==, 2);
  g_assert_cmpuint (counts.errors, ==, 1);
  g_assert_cmpuint (e2e->record_errors->len, ==, 1);
  err = g_ptr_array_index (e2e->record_errors, 0);
  g_assert_cmpint (err->side, ==, TDM_SIDE_WEBSHOP);
  g_assert_cmpint (err->kind, ==, TDM_KIND_CUSTOMER);
  g_assert_cmpstr (err->record_id, ==, broken);
  g_assert_cmpstr (err->field, ==, "updated_at");
  g_assert_nonnull (strstr (err->message, "“zzzz”"));
  g_assert_cmpuint (tdm_fake_shopify_count (e2e->shop, TDM_KIND_CUSTOMER), ==, 2);
  g_assert_null (e2e_find_shopify (e2e, TDM_KIND_CUSTOMER, "defaultEmailAddress.emailAddress",
                                   "rar@example.no"));
  watermark = webshop_watermark (e2e);
  g_assert_cmpstr (watermark, ==, "2026-01-02T08:00:00Z");

  /* Fixed in the webshop: synced on the next run. */
  e2e_edit_webshop (e2e, TDM_KIND_CUSTOMER, broken, "{\"first_name\": \"Rar\"}");
  e2e_run_ok (e2e, NULL, &counts);
  g_assert_cmpuint (counts.errors, ==, 0);
  g_assert_cmpuint (tdm_fake_shopify_count (e2e->shop, TDM_KIND_CUSTOMER), ==, 3);
  e2e_free (e2e);
}

/* Every create of a page answered 409 naming a twin that does not exist:
 * the re-reads go four at a time, each id once. All at once, each reserved
 * ~254 points of a 2,000-point bucket that refills 100 a second before any
 * answer came back, and the last waited about 40 s. */
static void
test_ghost_twins (void)
{
  E2E *e2e = e2e_new ();
  TdmShopifyClient *client = tdm_shopify_connector_get_client (TDM_SHOPIFY_CONNECTOR (e2e->shopify));
  TdmSyncCounts counts;

  for (guint i = 0; i < 24; i++)
    {
      g_autofree char *json = g_strdup_printf (
          "{\"title\": \"Skål %u\", \"handle\": \"skal-%u\", \"status\": \"ACTIVE\", \"tags\": [],"
          " \"variants\": {\"nodes\": [{\"sku\": \"BOWL-%03u\", \"price\": \"59.00\","
          " \"inventoryQuantity\": 3, \"selectedOptions\": [{\"name\": \"Title\","
          " \"value\": \"Default Title\"}]}]}}", i, i, i);

      g_free (e2e_seed_shopify (e2e, TDM_KIND_PRODUCT, json));
    }
  tdm_fake_webshop_set_ghost_twin (e2e->web, TDM_KIND_PRODUCT, "999999");

  e2e_run_ok (e2e, NULL, &counts);
  g_assert_cmpuint (tdm_shopify_client_get_most_in_flight (client, "ProductGet"), >=, 1);
  g_assert_cmpuint (tdm_shopify_client_get_most_in_flight (client, "ProductGet"), <=, 4);
  g_assert_cmpuint (tdm_fake_shopify_count_requests (e2e->shop, "ProductGet"), ==, 24);
  g_assert_cmpuint (counts.errors, ==, 24);
  g_assert_cmpuint (tdm_fake_webshop_count (e2e->web, TDM_KIND_PRODUCT), ==, 0);
  e2e_free (e2e);
}

/* One ProductGet, sent with a far too high guess of its cost. */
static void
product_get (TdmShopifyClient *client,
             const char       *id)
{
  g_autoptr(JsonObject) vars = json_object_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonObject) data = NULL;
  g_autoptr(GError) error = NULL;

  json_object_set_string_member (vars, "id", id);
  json_object_set_int_member (vars, "variantsFirst", 50);
  tdm_shopify_client_execute_async (client, "ProductGet", vars, 1900, 0, NULL,
                                    tdm_test_keep_result_cb, &result);
  data = tdm_shopify_client_execute_finish (client, tdm_test_wait_result (&result, 60), &error);
  g_assert_no_error (error);
  g_assert_nonnull (data);
}

/* The requestedQueryCost the fake answered to the last `operation`. */
static double
reported_cost (TdmFakeShopify *shop,
               const char     *operation)
{
  GPtrArray *log = tdm_fake_shopify_get_request_log (shop);

  for (guint i = log->len; i > 0; i--)
    {
      TdmFakeShopifyRequest *req = g_ptr_array_index (log, i - 1);

      if (g_strcmp0 (req->operation, operation) == 0)
        return ceil (req->requested_cost);
    }
  g_assert_not_reached ();
}

/* A query's cost, once Shopify has said what it reserves for it, is what
 * the client takes from its bucket the next time, not the caller's guess. */
static void
test_learned_query_cost (void)
{
  E2E *e2e = e2e_new ();
  TdmShopifyClient *client = tdm_shopify_connector_get_client (TDM_SHOPIFY_CONNECTOR (e2e->shopify));
  g_autofree char *id = e2e_seed_shopify (e2e, TDM_KIND_PRODUCT,
                                          "{\"title\": \"Skål\", \"status\": \"ACTIVE\","
                                          " \"variants\": {\"nodes\": [{\"sku\": \"BOWL-1\","
                                          " \"price\": \"59.00\"}]}}");
  double reported;

  /* Nothing learned yet: the published rules applied to the document are
   * reserved, not the caller's guess (docs/shopify.md § Cost and throttling). */
  product_get (client, id);
  {
    g_autofree char *document = tdm_shopify_client_get_document ("ProductGet", NULL);
    g_autoptr(JsonObject) vars = json_object_new ();

    json_object_set_int_member (vars, "variantsFirst", 50);
    g_assert_cmpfloat (tdm_shopify_client_get_last_reserved_cost (client, "ProductGet"), ==,
                       tdm_shopify_requested_cost_estimate (document, vars));
    g_assert_cmpfloat (tdm_shopify_client_get_last_reserved_cost (client, "ProductGet"), <,
                       1900);
  }
  reported = reported_cost (e2e->shop, "ProductGet");
  g_assert_cmpfloat (reported, >, 0);
  g_assert_cmpfloat (reported, <, 1900);

  /* Another app spent most of the bucket; the next answer says so. The
   * reported ~254 points fit in it: reserving the 1,900 guessed would
   * wait about 16 s for points the query does not need. */
  tdm_fake_shopify_set_available (e2e->shop, 300);
  product_get (client, id);
  g_assert_cmpfloat (tdm_shopify_client_get_last_reserved_cost (client, "ProductGet"), ==, reported);
  product_get (client, id);
  g_assert_cmpfloat (tdm_shopify_client_get_last_reserved_cost (client, "ProductGet"), ==, reported);
  g_assert_cmpfloat (reported_cost (e2e->shop, "ProductGet"), ==, reported);
  g_assert_cmpuint (tdm_shopify_client_get_throttled_count (client), ==, 0);
  e2e_free (e2e);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/pull/same-id-across-pages", test_same_id_across_pages);
  g_test_add_func ("/pull/duplicate-in-one-page", test_duplicate_in_one_page);
  g_test_add_func ("/pull/repeated-cursor", test_repeated_cursor);
  g_test_add_func ("/pull/endless-cursor", test_endless_cursor);
  g_test_add_func ("/pull/far-future-time", test_far_future_time);
  g_test_add_func ("/pull/unparsable-time", test_unparsable_time);
  g_test_add_func ("/pull/ghost-twins", test_ghost_twins);
  g_test_add_func ("/pull/learned-query-cost", test_learned_query_cost);

  return g_test_run ();
}
