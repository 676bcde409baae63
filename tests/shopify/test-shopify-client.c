/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-test-shopify"

#include "config.h"
#include "shopify-fixture.h"

#include <string.h>

/* The Shopify connector against the fake Shopify (shopify-fixture.h).
 * Pacing and throttling, faults, auth, secrets in the debug output, prepare
 * and test_connection: what the client does around each request. */

/* ---- Throttling ---- */

static void
test_throttle_pacing (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GPtrArray) all = NULL;
  gint64 start;
  double elapsed;

  for (guint i = 0; i < 60; i++)
    {
      g_autofree char *email = g_strdup_printf ("t%02u@example.no", i);
      g_autofree char *id = seed_customer (f, email, "2026-11-20T10:00:00Z");
    }
  /* A small bucket: each page (10 × 26 + 2 = 262 points) needs most of it. */
  tdm_fake_shopify_set_bucket (f->fake, 300, 300);
  tdm_shopify_connector_set_page_size (f->conn, 10);
  start = g_get_monotonic_time ();
  all = list_all (f->conn, TDM_KIND_CUSTOMER, NULL, NULL);
  elapsed = (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC;
  g_assert_cmpuint (all->len, ==, 60);
  /* The client waited for the bucket instead of being throttled. */
  g_assert_cmpuint (tdm_fake_shopify_get_throttled_count (f->fake), ==, 0);
  g_assert_cmpfloat (elapsed, >, 0.3);
}

static void
run_throttled (Fixture *f,
               guint    status)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TdmShopifyConnector) other = make_connector (f, TDM_SHOPIFY_AUTH_TOKEN);
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(TdmShopInfo) info = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  TdmShopifyClient *client;

  for (guint i = 0; i < 20; i++)
    {
      g_autofree char *email = g_strdup_printf ("d%02u@example.no", i);
      g_autofree char *id = seed_customer (f, email, "2026-11-20T10:00:00Z");
    }
  tdm_fake_shopify_set_throttle_status (f->fake, status);
  tdm_fake_shopify_set_bucket (f->fake, 600, 400);
  tdm_shopify_connector_set_page_size (f->conn, 20);   /* 522 points */
  tdm_shopify_connector_set_page_size (other, 20);
  /* Another app drains the bucket; this connector does not know yet. */
  tdm_connector_test_connection_async (TDM_CONNECTOR (other), NULL, tdm_test_keep_result_cb,
                                       &result);
  info = tdm_connector_test_connection_finish (TDM_CONNECTOR (other), wait_for (&result), &error);
  g_assert_no_error (error);
  g_clear_pointer (&all, g_ptr_array_unref);
  all = list_all (other, TDM_KIND_CUSTOMER, "2026-11-01T00:00:00Z", NULL);
  g_clear_pointer (&all, g_ptr_array_unref);
  /* … and keeps spending: whatever refilled while the other app's answer
   * was read (slow in sanitizer builds) is gone again. */
  tdm_fake_shopify_set_available (f->fake, 0);
  all = list_all (f->conn, TDM_KIND_CUSTOMER, "2026-11-01T00:00:00Z", NULL);
  g_assert_cmpuint (all->len, ==, 20);
  g_assert_cmpuint (tdm_fake_shopify_get_throttled_count (f->fake), >=, 1);
  client = tdm_shopify_connector_get_client (f->conn);
  g_assert_cmpuint (tdm_shopify_client_get_throttled_count (client), >=, 1);
}

static void
test_throttled_200 (Fixture       *f,
                    gconstpointer  data)
{
  run_throttled (f, 200);
}

static void
test_throttled_429 (Fixture       *f,
                    gconstpointer  data)
{
  run_throttled (f, 429);
}

static void
test_steady_state (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  /* Standard limits, scaled 10× so the test is quick: 60 creates + reads. */
  tdm_fake_shopify_set_bucket (f->fake, 200, 100);
  tdm_fake_shopify_set_time_scale (f->fake, 10);
  for (guint i = 0; i < 60; i++)
    {
      g_autofree char *email = g_strdup_printf ("s%02u@example.no", i);
      g_autofree char *twin = g_strdup_printf ("ws-%u", i);
      g_autoptr(JsonObject) fields = customer_fields (email, "Steady");
      g_autoptr(TdmWriteResult) res = create_record (f->conn, TDM_KIND_CUSTOMER, fields, twin, twin,
                                                     &error);
      g_assert_no_error (error);
    }
  {
    g_autoptr(GPtrArray) all = list_all (f->conn, TDM_KIND_CUSTOMER, NULL, NULL);
    g_assert_cmpuint (all->len, ==, 60);
  }
  g_assert_cmpuint (tdm_fake_shopify_get_throttled_count (f->fake), ==, 0);
}

typedef struct {
  guint pending;
  guint failed;
} Writes;

static void
on_parallel_write_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  Writes *writes = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TdmWriteResult) res = tdm_connector_create_finish (TDM_CONNECTOR (source), result,
                                                               NULL, &error);

  if (res == NULL)
    writes->failed++;
  writes->pending--;
}

/* `n` customer creates at once, as a run's workers send them. */
static void
create_in_parallel (TdmShopifyConnector *conn,
                    const char          *prefix,
                    guint                n)
{
  Writes writes = { n, 0 };

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *email = g_strdup_printf ("%s%02u@example.no", prefix, i);
      g_autofree char *twin = g_strdup_printf ("%s-%u", prefix, i);
      g_autoptr(JsonObject) fields = customer_fields (email, "Parallel");

      tdm_connector_create_async (TDM_CONNECTOR (conn), TDM_KIND_CUSTOMER, fields, twin, twin,
                                  NULL, on_parallel_write_cb, &writes);
    }
  while (writes.pending > 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (writes.failed, ==, 0);
}

/* customerSet's payload selects the customer's addresses (a connection),
 * so Shopify requests 10 + 2 + 20 points for it, not 10: workers writing
 * at once reserve that from the first request on, and a new client (after
 * a restart, the bucket nearly empty) sends one request alone until an
 * answer tells the bucket (docs/shopify.md § Cost and throttling). */
static void
test_throttle_parallel_writes (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(TdmShopifyConnector) restarted = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TdmWriteResult) first = NULL;
  g_autoptr(JsonObject) fields = customer_fields ("p-first@example.no", "Parallel");
  TdmShopifyClient *client = tdm_shopify_connector_get_client (f->conn);

  /* Standard limits, scaled 10× so the test is quick. */
  tdm_fake_shopify_set_bucket (f->fake, 200, 100);
  tdm_fake_shopify_set_time_scale (f->fake, 10);
  /* Another app spent most of the bucket; the first answer tells so. */
  tdm_fake_shopify_set_available (f->fake, 40);
  first = create_record (f->conn, TDM_KIND_CUSTOMER, fields, "p-first", "p-first", &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (tdm_shopify_client_get_last_cost (client, "CustomerSet"), ==, 32);
  create_in_parallel (f->conn, "p", 24);
  g_assert_cmpfloat (tdm_shopify_client_get_last_reserved_cost (client, "CustomerSet"), ==, 32);
  g_assert_cmpuint (tdm_fake_shopify_get_throttled_count (f->fake), ==, 0);

  /* A restart: a new client that knows nothing of the bucket. */
  restarted = make_connector (f, TDM_SHOPIFY_AUTH_TOKEN);
  tdm_fake_shopify_set_available (f->fake, 40);
  create_in_parallel (restarted, "r", 24);
  g_assert_cmpuint (tdm_fake_shopify_get_throttled_count (f->fake), ==, 0);
  g_assert_cmpuint (tdm_shopify_client_get_throttled_count (
                      tdm_shopify_connector_get_client (restarted)), ==, 0);
}

/* The published rules (docs/shopify.md § Cost and throttling) applied to
 * Tandem's own documents: the requested costs Shopify reports for them. */
static void
test_requested_cost_rules (Fixture       *f,
                           gconstpointer  data)
{
  static const struct {
    const char *operation;
    const char *variables;
    double      cost;
  } cases[] = {
    /* 2 + 30 × (customer, email, phone, addressesV2(first: 3) = 5, metafield):
     * a listing page holds the first three addresses */
    { "CustomersChanged", "{\"first\": 30, \"addressesFirst\": 3}", 272 },
    /* customer, email, phone, addressesV2(first: 20) = 22, metafield */
    { "CustomerGet", "{}", 26 },
    /* 10 + addressesV2(first: 20) in the payload */
    { "CustomerSet", "{}", 32 },
    { "ShopInfo", "{}", 2 },
    { "CustomersCount", "{}", 1 },
    { "MetafieldDefinitionCreate", "{}", 10 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *document = tdm_shopify_client_get_document (cases[i].operation, &error);
      g_autoptr(JsonNode) vars = json_from_string (cases[i].variables, &error);

      g_assert_no_error (error);
      g_test_message ("%s", cases[i].operation);
      g_assert_cmpfloat (tdm_shopify_requested_cost_estimate (document,
                                                              json_node_get_object (vars)),
                         ==, cases[i].cost);
    }
}

static void
test_throttle_cancel (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TdmPage) first = NULL;
  g_autoptr(TdmPage) second = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  gint64 start;

  for (guint i = 0; i < 40; i++)
    {
      g_autofree char *email = g_strdup_printf ("w%02u@example.no", i);
      g_autofree char *id = seed_customer (f, email, "2026-11-20T10:00:00Z");
    }
  /* 1 point per second: the second page (2 + 20 × 9 points) would wait
   * about a minute. */
  tdm_fake_shopify_set_bucket (f->fake, 300, 1);
  tdm_shopify_connector_set_page_size (f->conn, 20);
  first = list_page (f->conn, TDM_KIND_CUSTOMER, "2026-11-01T00:00:00Z", NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (first->next_cursor);

  start = g_get_monotonic_time ();
  g_timeout_add (200, cancel_later_cb, cancellable);
  tdm_connector_list_changed_async (TDM_CONNECTOR (f->conn), TDM_KIND_CUSTOMER,
                                    "2026-11-01T00:00:00Z", first->next_cursor, cancellable,
                                    tdm_test_keep_result_cb, &result);
  second = tdm_connector_list_changed_finish (TDM_CONNECTOR (f->conn), wait_for (&result), &error);
  g_assert_null (second);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);
  g_assert_cmpuint (tdm_fake_shopify_get_throttled_count (f->fake), ==, 0);
}

/* ---- Faults ---- */

static void
test_faults_recover (Fixture       *f,
                     gconstpointer  data)
{
  static const TdmFakeShopifyFault faults[] = {
    TDM_FAKE_SHOPIFY_FAULT_500, TDM_FAKE_SHOPIFY_FAULT_502, TDM_FAKE_SHOPIFY_FAULT_503,
    TDM_FAKE_SHOPIFY_FAULT_429, TDM_FAKE_SHOPIFY_FAULT_RESET, TDM_FAKE_SHOPIFY_FAULT_TRUNCATED,
    TDM_FAKE_SHOPIFY_FAULT_MALFORMED, TDM_FAKE_SHOPIFY_FAULT_DELAY,
  };
  g_autofree char *id = seed_customer (f, "fault@example.no", "2026-11-20T10:00:00Z");

  tdm_shopify_client_set_timeout (tdm_shopify_connector_get_client (f->conn), 1);
  tdm_fake_shopify_set_fault_delay (f->fake, 2500);
  for (guint i = 0; i < G_N_ELEMENTS (faults); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TdmRecord) rec = NULL;
      guint before = count_ops (f, "CustomerGet");

      tdm_fake_shopify_inject_fault (f->fake, 1, faults[i]);
      rec = get_record (f->conn, TDM_KIND_CUSTOMER, id, &error);
      g_assert_no_error (error);
      g_assert_nonnull (rec);
      g_assert_cmpstr (tdm_record_get_string (rec, "email"), ==, "fault@example.no");
      /* One failed attempt and one retry. */
      g_assert_cmpuint (count_ops (f, "CustomerGet") - before, ==, 2);
    }
}

static void
test_faults_give_up (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TdmRecord) rec = NULL;
  g_autofree char *id = seed_customer (f, "down@example.no", "2026-11-20T10:00:00Z");

  for (guint n = 1; n <= 5; n++)
    tdm_fake_shopify_inject_fault (f->fake, n, TDM_FAKE_SHOPIFY_FAULT_503);
  rec = get_record (f->conn, TDM_KIND_CUSTOMER, id, &error);
  g_assert_null (rec);
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_SERVER);
  g_assert_cmpuint (count_ops (f, "CustomerGet"), ==, 5);
}

/* ---- Auth ---- */

static void
test_auth_client_credentials (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TdmShopifyConnector) cc = make_connector (f, TDM_SHOPIFY_AUTH_CLIENT_CREDENTIALS);
  g_autoptr(TdmShopifyConnector) wrong = NULL;
  g_autoptr(GPtrArray) a = NULL;
  g_autoptr(GPtrArray) b = NULL;
  g_autoptr(GPtrArray) c = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(TdmShopInfo) info = NULL;
  g_autofree char *id = seed_customer (f, "auth@example.no", "2026-11-20T10:00:00Z");

  /* 301 s lifetime: the client renews 300 s before expiry, i.e. after ~1 s. */
  tdm_fake_shopify_set_token_lifetime (f->fake, 301);
  a = list_all (cc, TDM_KIND_CUSTOMER, NULL, NULL);
  g_assert_cmpuint (tdm_fake_shopify_get_tokens_issued (f->fake), ==, 1);
  b = list_all (cc, TDM_KIND_CUSTOMER, NULL, NULL);
  g_assert_cmpuint (tdm_fake_shopify_get_tokens_issued (f->fake), ==, 1);
  g_usleep (1200 * 1000);
  c = list_all (cc, TDM_KIND_CUSTOMER, NULL, NULL);
  g_assert_cmpuint (tdm_fake_shopify_get_tokens_issued (f->fake), ==, 2);
  g_assert_cmpuint (count_ops (f, "access_token"), ==, 2);

  /* A token revoked early: 401, one renewal, success. */
  tdm_fake_shopify_set_token_lifetime (f->fake, 86399);
  g_usleep (1200 * 1000);
  g_clear_pointer (&c, g_ptr_array_unref);
  c = list_all (cc, TDM_KIND_CUSTOMER, NULL, NULL);
  g_assert_cmpuint (tdm_fake_shopify_get_tokens_issued (f->fake), ==, 3);
  tdm_fake_shopify_expire_tokens (f->fake);
  g_clear_pointer (&c, g_ptr_array_unref);
  c = list_all (cc, TDM_KIND_CUSTOMER, NULL, NULL);
  g_assert_cmpuint (c->len, ==, 1);
  g_assert_cmpuint (tdm_fake_shopify_get_tokens_issued (f->fake), ==, 4);

  /* A wrong secret stops with an AUTH error. */
  wrong = make_connector (f, TDM_SHOPIFY_AUTH_CLIENT_CREDENTIALS);
  tdm_shopify_connector_set_secret (wrong, "not-the-secret");
  tdm_connector_test_connection_async (TDM_CONNECTOR (wrong), NULL, tdm_test_keep_result_cb,
                                       &result);
  info = tdm_connector_test_connection_finish (TDM_CONNECTOR (wrong), wait_for (&result), &error);
  g_assert_null (info);
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_AUTH);
}

static void
test_auth_missing_scope (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TdmPage) page = NULL;

  tdm_fake_shopify_deny_operation (f->fake, "OrdersChanged", "read_orders");
  page = list_page (f->conn, TDM_KIND_ORDER, "2026-11-01T00:00:00Z", NULL, &error);
  g_assert_null (page);
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_AUTH);
  g_assert_nonnull (strstr (error->message, "read_orders"));
  g_assert_cmpuint (count_ops (f, "OrdersChanged"), ==, 1);

  /* The same as an HTTP 403: stops at once (no retry), naming the scope. */
  g_clear_error (&error);
  tdm_fake_shopify_set_deny_status (f->fake, 403);
  tdm_fake_shopify_deny_operation (f->fake, "ProductsChanged", "read_products");
  page = list_page (f->conn, TDM_KIND_PRODUCT, "2026-11-01T00:00:00Z", NULL, &error);
  g_assert_null (page);
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_AUTH);
  g_assert_nonnull (strstr (error->message, "read_products"));
  g_assert_cmpuint (count_ops (f, "ProductsChanged"), ==, 1);
}

static void
test_auth_credential_store (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TdmMemoryCredentials) store = tdm_memory_credentials_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(TdmShopifyConnector) conn = NULL;
  g_autoptr(TdmShopifyConnector) missing = NULL;
  g_autoptr(TdmShopInfo) info = NULL;
  const char *account = tdm_fake_shopify_get_url (f->fake);

  tdm_credential_store_store_async (TDM_CREDENTIAL_STORE (store), TDM_SIDE_SHOPIFY, account,
                                    CLIENT_SECRET,
                                    NULL, tdm_test_keep_result_cb, &result);
  g_assert_true (tdm_credential_store_store_finish (TDM_CREDENTIAL_STORE (store),
                                                    wait_for (&result), &error));
  g_assert_no_error (error);

  /* The secret comes from the store; the token from the client-credentials grant. */
  conn = tdm_shopify_connector_new (account, "2026-10", TDM_SHOPIFY_AUTH_CLIENT_CREDENTIALS,
                                    CLIENT_ID,
                                    TDM_CREDENTIAL_STORE (store), account, f->mapping, &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  tdm_connector_test_connection_async (TDM_CONNECTOR (conn), NULL, tdm_test_keep_result_cb,
                                       &result);
  info = tdm_connector_test_connection_finish (TDM_CONNECTOR (conn), wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (info->name, ==, "Tandem Test Shop");
  g_assert_cmpuint (tdm_fake_shopify_get_tokens_issued (f->fake), ==, 1);

  /* Nothing stored for another account: a CONFIG error saying what to do. */
  missing = tdm_shopify_connector_new (account, NULL, TDM_SHOPIFY_AUTH_CLIENT_CREDENTIALS,
                                       CLIENT_ID, TDM_CREDENTIAL_STORE (store), "other-shop",
                                       f->mapping, &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  g_clear_pointer (&info, tdm_shop_info_free);
  tdm_connector_test_connection_async (TDM_CONNECTOR (missing), NULL, tdm_test_keep_result_cb,
                                       &result);
  info = tdm_connector_test_connection_finish (TDM_CONNECTOR (missing), wait_for (&result), &error);
  g_assert_null (info);
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_CONFIG);
  g_clear_error (&error);

  /* Plain http:// to a non-loopback host is refused. */
  g_clear_object (&missing);
  missing = tdm_shopify_connector_new ("http://shop.example.com", NULL, TDM_SHOPIFY_AUTH_TOKEN,
                                       NULL, NULL, NULL, f->mapping, &error);
  g_assert_null (missing);
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_INSECURE);
}

static void
test_secrets_not_logged (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(TdmShopifyConnector) cc = make_connector (f, TDM_SHOPIFY_AUTH_CLIENT_CREDENTIALS);
  g_autoptr(GPtrArray) a = NULL;
  g_autoptr(GPtrArray) b = NULL;
  g_autoptr(JsonObject) fields = customer_fields ("secret@example.no", "Hemmelig");
  g_autoptr(TdmWriteResult) res = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = seed_customer (f, "log@example.no", "2026-11-20T10:00:00Z");

  a = list_all (cc, TDM_KIND_CUSTOMER, NULL, NULL);
  tdm_fake_shopify_expire_tokens (f->fake);
  b = list_all (cc, TDM_KIND_CUSTOMER, NULL, NULL);
  res = create_record (cc, TDM_KIND_CUSTOMER, fields, "op-s", "w-s", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tdm_fake_shopify_get_tokens_issued (f->fake), ==, 2);

  /* Debug output was produced (so the check below means something)… */
  g_assert_nonnull (strstr (fixture_captured_log (), "CustomersChanged"));
  g_assert_nonnull (strstr (fixture_captured_log (), "access token"));
  /* the HTTP logger ran and masked what it saw */
  g_assert_nonnull (strstr (fixture_captured_log (), "[redacted]"));
  g_assert_nonnull (strstr (fixture_captured_log (), "graphql.json"));
  /* …and holds neither the client secret nor any access token. */
  g_assert_null (strstr (fixture_captured_log (), CLIENT_SECRET));
  g_assert_null (strstr (fixture_captured_log (), "shpat_fake_"));
}

/* ---- Prepare and test_connection ---- */

static void
test_prepare_and_connection (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(TdmShopInfo) info = NULL;

  tdm_connector_prepare_async (TDM_CONNECTOR (f->conn), NULL, tdm_test_keep_result_cb, &result);
  g_assert_true (tdm_connector_prepare_finish (TDM_CONNECTOR (f->conn), wait_for (&result),
                                               &error));
  g_assert_no_error (error);
  /* prepare only reads: a run that writes no record writes nothing. */
  g_assert_cmpuint (count_ops (f, "MetafieldDefinitions"), ==, 1);
  g_assert_cmpuint (count_ops (f, "MetafieldDefinitionCreate"), ==, 0);

  /* The first record write creates the missing definitions first. */
  {
    g_autoptr(JsonObject) fields = customer_fields ("def@example.no", "Def");
    g_autoptr(TdmWriteResult) a = create_record (f->conn, TDM_KIND_CUSTOMER, fields, "op-d1",
                                                 "wd-1", &error);
    g_autoptr(TdmWriteResult) b = NULL;
    GPtrArray *log = tdm_fake_shopify_get_request_log (f->fake);

    g_assert_no_error (error);
    g_assert_cmpuint (count_ops (f, "MetafieldDefinitionCreate"), ==, 4);
    g_assert_cmpstr (((TdmFakeShopifyRequest *) log->pdata[log->len - 1])->operation, ==,
                     "CustomerSet");
    b = create_record (f->conn, TDM_KIND_CUSTOMER, fields, "op-d1", "wd-1", &error);
    g_assert_no_error (error);
    g_assert_cmpuint (count_ops (f, "MetafieldDefinitionCreate"), ==, 4);
  }

  /* Again: nothing to do. */
  g_clear_object (&result);
  tdm_connector_prepare_async (TDM_CONNECTOR (f->conn), NULL, tdm_test_keep_result_cb, &result);
  g_assert_true (tdm_connector_prepare_finish (TDM_CONNECTOR (f->conn), wait_for (&result),
                                               &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_ops (f, "MetafieldDefinitions"), ==, 1);

  /* A new connector (next run) reads the definitions and creates none. */
  {
    g_autoptr(TdmShopifyConnector) next = make_connector (f, TDM_SHOPIFY_AUTH_TOKEN);
    g_autoptr(JsonObject) fields = customer_fields ("def2@example.no", "Def");
    g_autoptr(TdmWriteResult) c = NULL;

    g_clear_object (&result);
    tdm_connector_prepare_async (TDM_CONNECTOR (next), NULL, tdm_test_keep_result_cb, &result);
    g_assert_true (tdm_connector_prepare_finish (TDM_CONNECTOR (next), wait_for (&result), &error));
    g_assert_no_error (error);
    c = create_record (next, TDM_KIND_CUSTOMER, fields, "op-d2", "wd-2", &error);
    g_assert_no_error (error);
    g_assert_cmpuint (count_ops (f, "MetafieldDefinitionCreate"), ==, 4);
    g_assert_cmpuint (count_ops (f, "MetafieldDefinitions"), ==, 2);
  }

  g_clear_object (&result);
  tdm_connector_test_connection_async (TDM_CONNECTOR (f->conn), NULL, tdm_test_keep_result_cb,
                                       &result);
  info = tdm_connector_test_connection_finish (TDM_CONNECTOR (f->conn), wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (info->name, ==, "Tandem Test Shop");
  g_assert_cmpstr (info->currency, ==, "NOK");
  g_assert_cmpstr (info->plan, ==, "Basic");
  /* Requests counted by the connector: all of this connector's, none of the others':
   * ShopInfo, MetafieldDefinitions, 4 definitions, 2 × CustomerSet, ShopInfo again. */
  g_assert_cmpuint (tdm_connector_get_request_count (TDM_CONNECTOR (f->conn)), ==, 9);
}

/* Workers writing at once on a first run: one of them makes the missing
 * definitions, the others wait for it; each is made once, none is TAKEN. */
static void
test_definitions_once (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  GPtrArray *log = tdm_fake_shopify_get_request_log (f->fake);

  tdm_connector_prepare_async (TDM_CONNECTOR (f->conn), NULL, tdm_test_keep_result_cb, &result);
  g_assert_true (tdm_connector_prepare_finish (TDM_CONNECTOR (f->conn), wait_for (&result),
                                               &error));
  g_assert_no_error (error);
  create_in_parallel (f->conn, "once", 6);
  g_assert_cmpuint (count_ops (f, "MetafieldDefinitionCreate"), ==, 4);
  g_assert_cmpuint (count_ops (f, "CustomerSet"), ==, 6);
  for (guint i = 0; i < log->len; i++)
    {
      TdmFakeShopifyRequest *req = log->pdata[i];

      if (g_strcmp0 (req->operation, "MetafieldDefinitionCreate") == 0)
        g_assert_null (strstr (req->response, "TAKEN"));
    }
}

int
main (int argc, char **argv)
{
  shopify_test_init (&argc, &argv);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/shopify/throttle/pacing", test_throttle_pacing);
  ADD ("/shopify/throttle/throttled-200", test_throttled_200);
  ADD ("/shopify/throttle/throttled-429", test_throttled_429);
  ADD ("/shopify/throttle/steady-state", test_steady_state);
  ADD ("/shopify/throttle/parallel-writes", test_throttle_parallel_writes);
  ADD ("/shopify/throttle/requested-cost-rules", test_requested_cost_rules);
  ADD ("/shopify/definitions-once", test_definitions_once);
  ADD ("/shopify/throttle/cancel", test_throttle_cancel);
  ADD ("/shopify/faults/recover", test_faults_recover);
  ADD ("/shopify/faults/give-up", test_faults_give_up);
  ADD ("/shopify/auth/client-credentials", test_auth_client_credentials);
  ADD ("/shopify/auth/missing-scope", test_auth_missing_scope);
  ADD ("/shopify/auth/credential-store", test_auth_credential_store);
  ADD ("/shopify/auth/secrets-not-logged", test_secrets_not_logged);
  ADD ("/shopify/prepare-and-connection", test_prepare_and_connection);
#undef ADD

  return g_test_run ();
}
