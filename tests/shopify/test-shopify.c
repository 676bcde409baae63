/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-test-shopify"

#include "config.h"

#include <string.h>
#include "tdm-credential-store.h"
#include "tdm-error.h"
#include "tdm-fake-shopify.h"
#include "tdm-shopify-connector.h"

/* Integration tests: the real connector, through libsoup, against the fake
 * Shopify on 127.0.0.1. Set TDM_SHOPIFY_LOG=<file> to append every request
 * and answer as JSON lines (the contract test does). */

#define STATIC_TOKEN  "shpat_fake_static_token"
#define CLIENT_ID     "test-client-id"
#define CLIENT_SECRET "very-secret-client-secret-4711"

typedef struct {
  TdmFakeShopify      *fake;
  TdmMapping          *mapping;
  TdmShopifyConnector *conn;
} Fixture;

static GString *captured_log;

static gboolean cancel_later_cb (gpointer data);

/* ---- plumbing ------------------------------------------------------------------- */

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  gint64 deadline = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;

  while (*slot == NULL)
    {
      g_main_context_iteration (NULL, TRUE);
      if (g_get_monotonic_time () > deadline)
        g_error ("an operation did not finish within 120 s");
    }
  return *slot;
}

static TdmShopifyConnector *
make_connector (Fixture            *f,
                TdmShopifyAuthMode  mode)
{
  g_autoptr(GError) error = NULL;
  TdmShopifyConnector *conn = tdm_shopify_connector_new (tdm_fake_shopify_get_url (f->fake), NULL, mode,
                                                         mode == TDM_SHOPIFY_AUTH_CLIENT_CREDENTIALS
                                                         ? CLIENT_ID : NULL,
                                                         NULL, NULL, f->mapping, &error);
  TdmShopifyClient *client;

  g_assert_no_error (error);
  tdm_shopify_connector_set_secret (conn, mode == TDM_SHOPIFY_AUTH_TOKEN ? STATIC_TOKEN : CLIENT_SECRET);
  tdm_shopify_connector_set_bulk_poll_interval (conn, 10);
  client = tdm_shopify_connector_get_client (conn);
  tdm_shopify_client_set_backoff (client, 20, 200);
  tdm_shopify_client_set_timeout (client, 5);
  return conn;
}

static void
setup (Fixture       *f,
       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->fake = tdm_fake_shopify_new ();
  tdm_fake_shopify_set_credentials (f->fake, CLIENT_ID, CLIENT_SECRET, STATIC_TOKEN);
  g_assert_true (tdm_fake_shopify_start (f->fake, &error));
  g_assert_no_error (error);
  f->mapping = tdm_mapping_new_default ();
  f->conn = make_connector (f, TDM_SHOPIFY_AUTH_TOKEN);
}

static void
teardown (Fixture       *f,
          gconstpointer  data)
{
  const char *log_path = g_getenv ("TDM_SHOPIFY_LOG");

  if (log_path != NULL && *log_path != '\0')
    {
      g_autoptr(GError) error = NULL;
      g_assert_true (tdm_fake_shopify_write_log (f->fake, log_path, &error));
      g_assert_no_error (error);
    }
  g_clear_object (&f->conn);
  g_clear_object (&f->mapping);
  g_clear_object (&f->fake);
}

static TdmPage *
list_page (TdmShopifyConnector *conn,
           TdmKind              kind,
           const char          *since,
           const char          *cursor,
           GError             **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  tdm_connector_list_changed_async (TDM_CONNECTOR (conn), kind, since, cursor, NULL, on_done, &result);
  return tdm_connector_list_changed_finish (TDM_CONNECTOR (conn), wait_for (&result), error);
}

/* All records since `since`, following cursors; `pages` counts the pages. */
static GPtrArray *
list_all (TdmShopifyConnector *conn,
          TdmKind              kind,
          const char          *since,
          guint               *pages)
{
  GPtrArray *records = g_ptr_array_new_with_free_func ((GDestroyNotify) tdm_record_unref);
  g_autofree char *cursor = NULL;
  guint n = 0;

  do
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TdmPage) page = list_page (conn, kind, since, cursor, &error);

      g_assert_no_error (error);
      g_assert_nonnull (page);
      for (guint i = 0; i < page->records->len; i++)
        g_ptr_array_add (records, tdm_record_ref (page->records->pdata[i]));
      g_free (cursor);
      cursor = g_strdup (page->next_cursor);
      n++;
      g_assert_cmpuint (n, <, 10000);
    }
  while (cursor != NULL);
  if (pages != NULL)
    *pages = n;
  return records;
}

static TdmWriteResult *
create (TdmShopifyConnector *conn,
        TdmKind              kind,
        JsonObject          *fields,
        const char          *op_id,
        const char          *twin_id,
        GError             **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  tdm_connector_create_async (TDM_CONNECTOR (conn), kind, fields, op_id, twin_id, NULL, on_done, &result);
  return tdm_connector_create_finish (TDM_CONNECTOR (conn), wait_for (&result), error);
}

static TdmWriteResult *
update (TdmShopifyConnector *conn,
        TdmKind              kind,
        const char          *id,
        JsonObject          *fields,
        const char          *twin_id,
        GError             **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  tdm_connector_update_async (TDM_CONNECTOR (conn), kind, id, fields, NULL, twin_id, "op-update",
                              NULL, on_done, &result);
  return tdm_connector_update_finish (TDM_CONNECTOR (conn), wait_for (&result), error);
}

static TdmRecord *
get (TdmShopifyConnector *conn,
     TdmKind              kind,
     const char          *id,
     GError             **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  tdm_connector_get_async (TDM_CONNECTOR (conn), kind, id, NULL, on_done, &result);
  return tdm_connector_get_finish (TDM_CONNECTOR (conn), wait_for (&result), error);
}

static JsonObject *
parse (const char *json)
{
  g_autoptr(GError) error = NULL;
  JsonObject *object = tdm_json_object_from_string (json, &error);

  g_assert_no_error (error);
  return object;
}

static JsonObject *
customer_fields (const char *email,
                 const char *first_name)
{
  g_autofree char *json = g_strdup_printf ("{\"email\":\"%s\",\"first_name\":\"%s\",\"last_name\":\"Nordmann\","
                                           "\"tags\":[\"vip\"],\"addresses\":[{\"city\":\"Oslo\","
                                           "\"country_code\":\"NO\",\"zip\":\"0150\"}]}",
                                           email, first_name);
  return parse (json);
}

static char *
seed_customer (Fixture    *f,
               const char *email,
               const char *updated_at)
{
  g_autofree char *json = g_strdup_printf ("{\"updatedAt\":\"%s\",\"firstName\":\"Seed\",\"lastName\":\"Customer\","
                                           "\"defaultEmailAddress\":{\"emailAddress\":\"%s\","
                                           "\"marketingState\":\"NOT_SUBSCRIBED\"}}",
                                           updated_at, email);
  g_autoptr(JsonObject) node = parse (json);

  return tdm_fake_shopify_seed (f->fake, TDM_KIND_CUSTOMER, node);
}

static guint
count_ops (Fixture    *f,
           const char *operation)
{
  return tdm_fake_shopify_count_requests (f->fake, operation);
}

/* ---- customers ------------------------------------------------------------------ */

static void
test_customer_create_get_list (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) fields = customer_fields ("kari@example.no", "Kari");
  g_autoptr(TdmWriteResult) res = create (f->conn, TDM_KIND_CUSTOMER, fields, "op-1", "w-17", &error);
  g_autoptr(TdmRecord) got = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(JsonObject) stored = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (res);
  g_assert_true (g_str_has_prefix (res->record->id, "gid://shopify/Customer/"));
  g_assert_cmpstr (res->record->twin_id, ==, "w-17");
  g_assert_cmpstr (tdm_record_get_string (res->record, "email"), ==, "kari@example.no");
  g_assert_cmpstr (tdm_record_get_string (res->record, "first_name"), ==, "Kari");

  stored = tdm_fake_shopify_get_record (f->fake, TDM_KIND_CUSTOMER, res->record->id);
  g_assert_nonnull (stored);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (stored, "webshopId"), "value"),
                   ==, "w-17");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (
                     json_object_get_array_member (json_object_get_object_member (stored, "addressesV2"),
                                                   "nodes"), 0), "countryCodeV2"), ==, "NO");

  got = get (f->conn, TDM_KIND_CUSTOMER, res->record->id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (got->id, ==, res->record->id);
  g_assert_cmpstr (tdm_record_get_hash (got), ==, tdm_record_get_hash (res->record));

  all = list_all (f->conn, TDM_KIND_CUSTOMER, NULL, NULL);
  g_assert_cmpuint (all->len, ==, 1);
  g_assert_cmpstr (((TdmRecord *) all->pdata[0])->twin_id, ==, "w-17");

  /* A missing record is NOT_FOUND. */
  g_clear_pointer (&got, tdm_record_unref);
  got = get (f->conn, TDM_KIND_CUSTOMER, "gid://shopify/Customer/999999", &error);
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
  g_autoptr(TdmWriteResult) a = create (f->conn, TDM_KIND_CUSTOMER, first, "op-a", "w-1", &error);
  g_autoptr(TdmWriteResult) b = NULL;
  g_autoptr(TdmWriteResult) c = NULL;
  g_autoptr(JsonObject) change = parse ("{\"note\":\"Prefers e-mail\",\"accepts_email_marketing\":true}");
  g_autoptr(TdmRecord) found = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonObject) stored = NULL;

  g_assert_no_error (error);
  /* The same create again (a retry after a crash): upsert by custom id. */
  b = create (f->conn, TDM_KIND_CUSTOMER, again, "op-a", "w-1", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (a->record->id, ==, b->record->id);
  g_assert_cmpuint (tdm_fake_shopify_count (f->fake, TDM_KIND_CUSTOMER), ==, 1);
  g_assert_cmpstr (tdm_record_get_string (b->record, "first_name"), ==, "Ola Jr");

  /* Update a subset: note and marketing consent. */
  c = update (f->conn, TDM_KIND_CUSTOMER, a->record->id, change, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tdm_record_get_string (c->record, "note"), ==, "Prefers e-mail");
  g_assert_cmpstr (tdm_record_get_string (c->record, "first_name"), ==, "Ola Jr");
  stored = tdm_fake_shopify_get_record (f->fake, TDM_KIND_CUSTOMER, a->record->id);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (stored, "defaultEmailAddress"),
                                                  "marketingState"), ==, "SUBSCRIBED");
  g_assert_cmpuint (count_ops (f, "CustomerEmailConsentUpdate"), ==, 1);
  g_assert_cmpuint (tdm_fake_shopify_count (f->fake, TDM_KIND_CUSTOMER), ==, 1);

  /* find_created by the custom id. */
  tdm_connector_find_created_async (TDM_CONNECTOR (f->conn), TDM_KIND_CUSTOMER, "op-a", "w-1", NULL,
                                    on_done, &result);
  found = tdm_connector_find_created_finish (TDM_CONNECTOR (f->conn), wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (found);
  g_assert_cmpstr (found->id, ==, a->record->id);
  g_clear_object (&result);
  g_clear_pointer (&found, tdm_record_unref);
  tdm_connector_find_created_async (TDM_CONNECTOR (f->conn), TDM_KIND_CUSTOMER, "op-x", "w-none", NULL,
                                    on_done, &result);
  found = tdm_connector_find_created_finish (TDM_CONNECTOR (f->conn), wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_null (found);
}

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
  g_autoptr(GPtrArray) changed = list_all (f->conn, TDM_KIND_CUSTOMER, "2026-11-25T10:00:00Z", NULL);
  GPtrArray *log = tdm_fake_shopify_get_request_log (f->fake);
  TdmFakeShopifyRequest *req = log->pdata[log->len - 1];

  /* The filter starts at the beginning of the day (the server would miss
   * "late" with a plain ">"), then the client drops "early". */
  g_assert_nonnull (strstr (req->variables, "updated_at:>='2026-11-25T00:00:00Z'"));
  g_assert_nonnull (strstr (req->response, "early@example.no"));
  g_assert_cmpuint (changed->len, ==, 2);
  g_assert_cmpstr (((TdmRecord *) changed->pdata[0])->id, ==, late);
  g_assert_cmpstr (((TdmRecord *) changed->pdata[1])->id, ==, next);
}

static void
check_record_error (Fixture    *f,
                    const char *field)
{
  g_autoptr(TdmRecordError) rec = tdm_connector_take_record_error (TDM_CONNECTOR (f->conn));

  g_assert_nonnull (rec);
  g_assert_cmpint (rec->side, ==, TDM_SIDE_SHOPIFY);
  g_assert_cmpstr (rec->field, ==, field);
  g_assert_nonnull (rec->message);
}

static void
test_customer_user_errors (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) first = customer_fields ("taken@example.no", "First");
  g_autoptr(JsonObject) dup = customer_fields ("taken@example.no", "Second");
  g_autoptr(JsonObject) bad_phone = parse ("{\"email\":\"phone@example.no\",\"phone\":\"+47 12\"}");
  g_autoptr(JsonObject) bad_email = parse ("{\"email\":\"not-an-email\",\"first_name\":\"X\"}");
  g_autoptr(TdmWriteResult) ok = create (f->conn, TDM_KIND_CUSTOMER, first, "op-1", "w-1", &error);
  g_autoptr(TdmWriteResult) res = NULL;

  g_assert_no_error (error);

  res = create (f->conn, TDM_KIND_CUSTOMER, dup, "op-2", "w-2", &error);
  g_assert_null (res);
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_DUPLICATE);
  g_assert_nonnull (strstr (error->message, "taken@example.no"));
  check_record_error (f, "email");
  g_clear_error (&error);

  res = create (f->conn, TDM_KIND_CUSTOMER, bad_phone, "op-3", "w-3", &error);
  g_assert_null (res);
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_VALIDATION);
  check_record_error (f, "phone");
  g_clear_error (&error);

  res = create (f->conn, TDM_KIND_CUSTOMER, bad_email, "op-4", "w-4", &error);
  g_assert_null (res);
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_VALIDATION);
  check_record_error (f, "email");
  g_clear_error (&error);

  /* Taking another customer's custom id. */
  {
    g_autoptr(JsonObject) other = customer_fields ("other@example.no", "Other");
    g_autoptr(TdmWriteResult) made = create (f->conn, TDM_KIND_CUSTOMER, other, "op-5", "w-5", &error);
    g_assert_no_error (error);
    res = update (f->conn, TDM_KIND_CUSTOMER, made->record->id, other, "w-1", &error);
    g_assert_null (res);
    g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_DUPLICATE);
    g_clear_error (&error);
    g_clear_pointer (&made, tdm_write_result_free);
  }
  g_assert_cmpuint (tdm_fake_shopify_count (f->fake, TDM_KIND_CUSTOMER), ==, 2);
}

/* ---- products ---------------------------------------------------------------------- */

static JsonObject *
product_fields (const char *title,
                const char *sku_prefix,
                int         quantity)
{
  g_autofree char *json = g_strdup_printf (
    "{\"title\":\"%s\",\"vendor\":\"Acme\",\"status\":\"active\",\"tags\":[\"summer\"],"
    "\"variants\":[{\"sku\":\"%s-S\",\"price\":\"199\",\"options\":{\"Size\":\"S\"},"
    "\"weight\":{\"value\":\"0.3\",\"unit\":\"kg\"},\"inventory_quantity\":%d},"
    "{\"sku\":\"%s-M\",\"price\":\"199\",\"options\":{\"Size\":\"M\"},\"inventory_quantity\":%d}]}",
    title, sku_prefix, quantity, sku_prefix, quantity + 1);
  return parse (json);
}

static void
test_product_create_update (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) fields = product_fields ("Shirt", "SH", 7);
  g_autoptr(TdmWriteResult) res = create (f->conn, TDM_KIND_PRODUCT, fields, "op-prod-1", "p-1", &error);
  g_autoptr(TdmWriteResult) again = NULL;
  g_autoptr(TdmWriteResult) upd = NULL;
  g_autoptr(JsonObject) stored = NULL;
  g_autoptr(JsonObject) rename = parse ("{\"title\":\"Better shirt\"}");
  g_autoptr(JsonObject) blank = parse ("{\"title\":\" \",\"variants\":[{\"sku\":\"B-1\",\"price\":\"1\"}]}");
  JsonArray *variants;
  GPtrArray *log;
  gboolean found_key = FALSE;

  g_assert_no_error (error);
  stored = tdm_fake_shopify_get_record (f->fake, TDM_KIND_PRODUCT, res->record->id);
  variants = json_object_get_array_member (json_object_get_object_member (stored, "variants"), "nodes");
  g_assert_cmpuint (json_array_get_length (variants), ==, 2);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (variants, 0), "inventoryQuantity"),
                   ==, 7);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (variants, 1), "inventoryQuantity"),
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
  again = create (f->conn, TDM_KIND_PRODUCT, fields, "op-prod-1", "p-1", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again->record->id, ==, res->record->id);
  g_assert_cmpuint (tdm_fake_shopify_count (f->fake, TDM_KIND_PRODUCT), ==, 1);
  g_assert_cmpuint (count_ops (f, "InventorySet"), ==, 1);
  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(TdmRecord) found = NULL;

    tdm_connector_find_created_async (TDM_CONNECTOR (f->conn), TDM_KIND_PRODUCT, "op-prod-1", "p-1", NULL,
                                      on_done, &result);
    found = tdm_connector_find_created_finish (TDM_CONNECTOR (f->conn), wait_for (&result), &error);
    g_assert_no_error (error);
    g_assert_cmpstr (found->id, ==, res->record->id);
  }
  g_assert_cmpuint (count_ops (f, "Locations"), ==, 1);

  upd = update (f->conn, TDM_KIND_PRODUCT, res->record->id, rename, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tdm_record_get_string (upd->record, "title"), ==, "Better shirt");
  g_clear_pointer (&stored, json_object_unref);
  stored = tdm_fake_shopify_get_record (f->fake, TDM_KIND_PRODUCT, res->record->id);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      json_object_get_object_member (stored, "variants"), "nodes")), ==, 2);

  g_clear_pointer (&upd, tdm_write_result_free);
  upd = create (f->conn, TDM_KIND_PRODUCT, blank, "op-prod-2", "p-2", &error);
  g_assert_null (upd);
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_VALIDATION);
  check_record_error (f, "title");
}

static void
test_product_incremental (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(JsonObject) a = parse ("{\"title\":\"Old\",\"updatedAt\":\"2026-11-25T08:00:00Z\"}");
  g_autoptr(JsonObject) b = parse ("{\"title\":\"New\",\"updatedAt\":\"2026-11-25T12:00:00Z\"}");
  g_autofree char *ida = tdm_fake_shopify_seed (f->fake, TDM_KIND_PRODUCT, a);
  g_autofree char *idb = tdm_fake_shopify_seed (f->fake, TDM_KIND_PRODUCT, b);
  g_autoptr(GPtrArray) changed = list_all (f->conn, TDM_KIND_PRODUCT, "2026-11-25T10:00:00Z", NULL);
  g_autoptr(GPtrArray) after_edit = NULL;
  g_autoptr(JsonObject) edit = parse ("{\"title\":\"Old, edited\"}");

  g_assert_cmpuint (changed->len, ==, 1);
  g_assert_cmpstr (((TdmRecord *) changed->pdata[0])->id, ==, idb);

  /* A merchant edit moves the record past the watermark. */
  g_assert_true (tdm_fake_shopify_edit (f->fake, TDM_KIND_PRODUCT, ida, edit, "2026-11-25T13:00:00Z"));
  after_edit = list_all (f->conn, TDM_KIND_PRODUCT, "2026-11-25T12:00:00Z", NULL);
  g_assert_cmpuint (after_edit->len, ==, 1);
  g_assert_cmpstr (tdm_record_get_string (after_edit->pdata[0], "title"), ==, "Old, edited");

  /* A product deleted in Shopify comes back as a tombstone (from its destroy event). */
  g_assert_true (tdm_fake_shopify_delete (f->fake, TDM_KIND_PRODUCT, idb));
  {
    g_autoptr(GPtrArray) after_delete = list_all (f->conn, TDM_KIND_PRODUCT, "2026-11-25T12:00:00Z", NULL);
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

/* ---- products with more variants than one read holds ------------------------------ */

/* A product with `n` variants, SKUs "<prefix>-000"…, one option "Size". */
static char *
seed_product_variants (Fixture    *f,
                       const char *title,
                       const char *prefix,
                       guint       n,
                       const char *webshop_id,
                       const char *updated_at)
{
  g_autoptr(JsonObject) node = json_object_new ();
  JsonObject *conn = json_object_new ();
  JsonArray *nodes = json_array_new ();

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"sku\":\"%s-%03u\",\"price\":\"%u.00\","
                                               "\"inventoryQuantity\":%u,"
                                               "\"selectedOptions\":[{\"name\":\"Size\",\"value\":\"S%03u\"}]}",
                                               prefix, i, 100 + i, i, i);
      json_array_add_object_element (nodes, parse (json));
    }
  json_object_set_array_member (conn, "nodes", nodes);
  json_object_set_string_member (node, "title", title);
  json_object_set_string_member (node, "updatedAt", updated_at);
  json_object_set_object_member (node, "variants", conn);
  if (webshop_id != NULL)
    {
      JsonObject *mf = json_object_new ();
      json_object_set_string_member (mf, "value", webshop_id);
      json_object_set_object_member (node, "webshopId", mf);
    }
  return tdm_fake_shopify_seed (f->fake, TDM_KIND_PRODUCT, node);
}

/* The record holds exactly the `n` variants "<prefix>-000"… in order, in its
 * canonical fields and in its native node (which has no pageInfo left), with
 * the variant ids Shopify stores, in Shopify's order. */
static void
assert_all_variants (Fixture    *f,
                     TdmRecord  *record,
                     const char *prefix,
                     guint       n)
{
  JsonNode *field = tdm_record_get_field (record, "variants");
  JsonArray *canonical;
  JsonObject *native_conn;
  JsonArray *native;
  g_autoptr(JsonObject) stored = tdm_fake_shopify_get_record (f->fake, TDM_KIND_PRODUCT, record->id);
  JsonArray *stored_variants;

  g_assert_nonnull (field);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (field));
  canonical = json_node_get_array (field);
  g_assert_cmpuint (json_array_get_length (canonical), ==, n);
  g_assert_nonnull (record->native);
  native_conn = json_object_get_object_member (record->native, "variants");
  g_assert_false (json_object_has_member (native_conn, "pageInfo"));
  native = json_object_get_array_member (native_conn, "nodes");
  g_assert_cmpuint (json_array_get_length (native), ==, n);
  g_assert_nonnull (stored);
  stored_variants = json_object_get_array_member (json_object_get_object_member (stored, "variants"), "nodes");
  g_assert_cmpuint (json_array_get_length (stored_variants), ==, n);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *sku = g_strdup_printf ("%s-%03u", prefix, i);
      JsonObject *v = json_array_get_object_element (canonical, i);
      JsonObject *nv = json_array_get_object_element (native, i);

      g_assert_cmpstr (json_object_get_string_member (v, "sku"), ==, sku);
      g_assert_cmpstr (json_object_get_string_member (nv, "sku"), ==, sku);
      g_assert_cmpstr (json_object_get_string_member (nv, "id"), ==,
                       json_object_get_string_member (json_array_get_object_element (stored_variants, i), "id"));
    }
}

static TdmRecord *
find_created (TdmShopifyConnector *conn,
              TdmKind              kind,
              const char          *twin_id,
              GError             **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  tdm_connector_find_created_async (TDM_CONNECTOR (conn), kind, "op-find", twin_id, NULL,
                                    on_done, &result);
  return tdm_connector_find_created_finish (TDM_CONNECTOR (conn), wait_for (&result), error);
}

static TdmRecord *
record_with_id (GPtrArray  *records,
                const char *id)
{
  for (guint i = 0; i < records->len; i++)
    if (g_strcmp0 (((TdmRecord *) records->pdata[i])->id, id) == 0)
      return records->pdata[i];
  return NULL;
}

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

  got = get (f->conn, TDM_KIND_PRODUCT, big, &error);
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
      vars = parse (req->variables);
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
  got = get (f->conn, TDM_KIND_PRODUCT, id, &error);
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
      vars = parse (req->variables);
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

/* Up to 50 variants: no request beyond the read itself; 51: exactly one. */
static void
test_product_variants_no_extra (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *one = seed_product_variants (f, "One", "ONE", 1, "w-one", "2026-11-25T10:00:00Z");
  g_autofree char *fifty = seed_product_variants (f, "Fifty", "FIFTY", 50, "w-fifty",
                                                  "2026-11-25T11:00:00Z");
  g_autoptr(GPtrArray) listed = list_all (f->conn, TDM_KIND_PRODUCT, NULL, NULL);
  g_autoptr(TdmRecord) got = NULL;
  g_autoptr(TdmRecord) found = NULL;
  g_autoptr(TdmRecord) got51 = NULL;
  g_autofree char *fifty_one = NULL;
  guint64 before;

  g_assert_cmpuint (listed->len, ==, 2);
  assert_all_variants (f, record_with_id (listed, one), "ONE", 1);
  assert_all_variants (f, record_with_id (listed, fifty), "FIFTY", 50);
  got = get (f->conn, TDM_KIND_PRODUCT, fifty, &error);
  g_assert_no_error (error);
  assert_all_variants (f, got, "FIFTY", 50);
  found = find_created (f->conn, TDM_KIND_PRODUCT, "w-fifty", &error);
  g_assert_no_error (error);
  assert_all_variants (f, found, "FIFTY", 50);
  g_assert_cmpuint (count_ops (f, "ProductVariants"), ==, 0);
  /* ProductsCount, ProductsChanged, ProductGet, ProductByIdentifier. */
  g_assert_cmpuint (tdm_connector_get_request_count (TDM_CONNECTOR (f->conn)), ==, 4);

  fifty_one = seed_product_variants (f, "Fifty-one", "FO", 51, NULL, "2026-11-25T12:00:00Z");
  before = tdm_connector_get_request_count (TDM_CONNECTOR (f->conn));
  got51 = get (f->conn, TDM_KIND_PRODUCT, fifty_one, &error);
  g_assert_no_error (error);
  assert_all_variants (f, got51, "FO", 51);
  g_assert_cmpuint (count_ops (f, "ProductVariants"), ==, 1);
  g_assert_cmpuint (tdm_connector_get_request_count (TDM_CONNECTOR (f->conn)) - before, ==, 2);
}

/* Canonical fields of a product with `n` variants, stock i + 1 each. */
static JsonObject *
many_variant_fields (const char *title,
                     const char *prefix,
                     guint       n)
{
  GString *json = g_string_new (NULL);

  g_string_append_printf (json, "{\"title\":\"%s\",\"vendor\":\"Acme\",\"status\":\"active\",\"variants\":[",
                          title);
  for (guint i = 0; i < n; i++)
    g_string_append_printf (json, "%s{\"sku\":\"%s-%03u\",\"price\":\"%u\",\"options\":{\"Size\":\"S%03u\"},"
                            "\"inventory_quantity\":%u}",
                            i ? "," : "", prefix, i, 100 + i, i, i + 1);
  g_string_append (json, "]}");
  {
    g_autofree char *text = g_string_free (json, FALSE);
    return parse (text);
  }
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
  g_autoptr(TdmWriteResult) res = create (f->conn, TDM_KIND_PRODUCT, fields, "op-ws", "w-ws", &error);
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
  variants = json_object_get_array_member (json_object_get_object_member (stored, "variants"), "nodes");
  for (guint i = 0; i < 120; i++)
    g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (variants, i),
                                                 "inventoryQuantity"), ==, i + 1);

  /* The same product again: nothing to change in stock, all variants kept. */
  again = create (f->conn, TDM_KIND_PRODUCT, fields, "op-ws", "w-ws", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again->record->id, ==, res->record->id);
  assert_all_variants (f, again->record, "WS", 120);
  g_assert_cmpuint (count_ops (f, "InventorySet"), ==, 1);

  /* An update of the whole record (as a merge would send it) keeps all 120. */
  json_object_set_string_member (fields, "title", "Wider shelf");
  upd = update (f->conn, TDM_KIND_PRODUCT, res->record->id, fields, "w-ws", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tdm_record_get_string (upd->record, "title"), ==, "Wider shelf");
  assert_all_variants (f, upd->record, "WS", 120);
  g_assert_cmpuint (count_ops (f, "ProductVariants"), ==, 3);
  (void) rename;
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
  TdmRecordError *problem;

  tdm_fake_shopify_set_time_scale (f->fake, 50);
  /* get: Shopify fails the follow-up until the client gives up. */
  for (guint n = 2; n <= 6; n++)
    tdm_fake_shopify_inject_fault (f->fake, n, TDM_FAKE_SHOPIFY_FAULT_503);
  got = get (f->conn, TDM_KIND_PRODUCT, big, &error);
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
  res = create (f->conn, TDM_KIND_PRODUCT, fields, "op-ws", "w-ws", &error);
  g_assert_null (res);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "Wide shelf"));
  check_record_error (f, "variants");
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
  g_autofree char *big = seed_product_variants (f, "Big lamp", "BIG", 130, NULL, "2026-11-25T12:00:00Z");
  gint64 start;

  tdm_fake_shopify_set_fault_delay (f->fake, 10000);
  tdm_fake_shopify_inject_fault (f->fake, 2, TDM_FAKE_SHOPIFY_FAULT_DELAY);
  start = g_get_monotonic_time ();
  g_timeout_add (300, cancel_later_cb, cancellable);
  tdm_connector_get_async (TDM_CONNECTOR (f->conn), TDM_KIND_PRODUCT, big, cancellable, on_done, &result);
  got = tdm_connector_get_finish (TDM_CONNECTOR (f->conn), wait_for (&result), &error);
  g_assert_null (got);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 3 * G_USEC_PER_SEC);
  g_assert_cmpuint (count_ops (f, "ProductVariants"), ==, 1);
}

/* More variants than Shopify takes: refused before anything is sent. */
static void
test_product_too_many_variants (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) fields = many_variant_fields ("Endless rug", "ER", 2049);
  g_autoptr(JsonObject) fine = many_variant_fields ("Big rug", "BR", 2048);
  g_autoptr(TdmWriteResult) res = create (f->conn, TDM_KIND_PRODUCT, fields, "op-er", "w-er", &error);
  g_autoptr(TdmRecordError) rec = NULL;

  g_assert_null (res);
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_VALIDATION);
  g_assert_nonnull (strstr (error->message, "Endless rug"));
  g_assert_nonnull (strstr (error->message, "2049"));
  rec = tdm_connector_take_record_error (TDM_CONNECTOR (f->conn));
  g_assert_nonnull (rec);
  g_assert_cmpstr (rec->record_id, ==, "w-er");
  g_assert_cmpstr (rec->field, ==, "variants");
  g_assert_cmpuint (count_ops (f, "ProductSet"), ==, 0);
  g_assert_cmpuint (tdm_fake_shopify_count (f->fake, TDM_KIND_PRODUCT), ==, 0);
  g_clear_error (&error);

  /* 2,048 is allowed and comes back whole (a bucket refilling 50 times
   * faster: pacing is not what is tested here). */
  tdm_fake_shopify_set_time_scale (f->fake, 50);
  res = create (f->conn, TDM_KIND_PRODUCT, fine, "op-br", "w-br", &error);
  g_assert_no_error (error);
  assert_all_variants (f, res->record, "BR", 2048);
  g_assert_cmpuint (count_ops (f, "ProductSet"), ==, 1);

  /* Stock for all of them, at most 250 quantities a request, each part with
   * its own idempotency key. */
  g_assert_cmpuint (count_ops (f, "InventorySet"), ==, (2048 + 249) / 250);
  {
    g_autoptr(JsonObject) stored = tdm_fake_shopify_get_record (f->fake, TDM_KIND_PRODUCT, res->record->id);
    JsonArray *variants = json_object_get_array_member (json_object_get_object_member (stored, "variants"),
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
        vars = parse (req->variables);
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

/* ---- orders -------------------------------------------------------------------------- */

static void
test_order_create_update (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) cust = customer_fields ("buyer@example.no", "Buyer");
  g_autoptr(TdmWriteResult) c = create (f->conn, TDM_KIND_CUSTOMER, cust, "op-c", "wc-1", &error);
  g_autoptr(JsonObject) prod = product_fields ("Mug", "MUG", 3);
  g_autoptr(TdmWriteResult) p = create (f->conn, TDM_KIND_PRODUCT, prod, "op-p", "wp-1", &error);
  g_autoptr(JsonObject) order = NULL;
  g_autoptr(TdmWriteResult) o = NULL;
  g_autoptr(TdmWriteResult) o2 = NULL;
  g_autoptr(JsonObject) stored = NULL;
  g_autoptr(JsonObject) change = parse ("{\"note\":\"Leave at the door\",\"financial_status\":\"paid\","
                                        "\"cancelled_at\":\"2026-11-26T10:00:00Z\"}");
  g_autofree char *json = NULL;
  JsonArray *lines;

  g_assert_no_error (error);
  json = g_strdup_printf ("{\"number\":\"#W1001\",\"email\":\"buyer@example.no\",\"currency\":\"NOK\","
                          "\"customer_id\":\"%s\",\"financial_status\":\"pending\","
                          "\"line_items\":[{\"sku\":\"MUG-S\",\"title\":\"Mug S\",\"quantity\":2,\"unit_price\":\"99.50\"},"
                          "{\"sku\":\"GIFT\",\"title\":\"Gift wrap\",\"quantity\":1,\"unit_price\":\"20\"}],"
                          "\"shipping_lines\":[{\"title\":\"Post\",\"price\":\"49\"}],"
                          "\"shipping_address\":{\"city\":\"Bergen\",\"country_code\":\"NO\"}}",
                          c->record->id);
  order = parse (json);
  o = create (f->conn, TDM_KIND_ORDER, order, "op-o", "wo-1", &error);
  g_assert_no_error (error);
  g_assert_nonnull (o);
  stored = tdm_fake_shopify_get_record (f->fake, TDM_KIND_ORDER, o->record->id);
  g_assert_cmpstr (json_object_get_string_member (stored, "sourceIdentifier"), ==, "wo-1");
  g_assert_cmpstr (json_object_get_string_member (stored, "name"), ==, "#W1001");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (stored, "customer"), "id"),
                   ==, c->record->id);
  lines = json_object_get_array_member (json_object_get_object_member (stored, "lineItems"), "nodes");
  g_assert_cmpuint (json_array_get_length (lines), ==, 2);
  /* The known SKU became a variant line, the unknown one a custom line. */
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_object_get_member (json_array_get_object_element (lines, 0), "variant")));
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (json_array_get_object_element (lines, 1), "variant")));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (
                     json_object_get_object_member (stored, "totalPriceSet"), "shopMoney"), "amount"), ==, "268.00");
  g_assert_cmpuint (count_ops (f, "VariantsBySku"), ==, 2);
  g_assert_cmpuint (count_ops (f, "OrderByIdentifier"), ==, 0);

  /* Later changes: orderUpdate, orderMarkAsPaid, orderCancel. */
  o2 = update (f->conn, TDM_KIND_ORDER, o->record->id, change, NULL, &error);
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
  g_autoptr(JsonObject) order = parse ("{\"number\":\"#W2\",\"email\":\"x@example.no\",\"currency\":\"NOK\","
                                       "\"line_items\":[{\"sku\":\"NONE\",\"title\":\"Thing\",\"quantity\":1,"
                                       "\"unit_price\":\"10\"}]}");
  g_autoptr(TdmWriteResult) o = NULL;

  /* Request 1 resolves the SKU; request 2 (orderCreate) runs but its answer is lost. */
  tdm_fake_shopify_inject_fault (f->fake, 2, TDM_FAKE_SHOPIFY_FAULT_RESET);
  o = create (f->conn, TDM_KIND_ORDER, order, "op-o2", "wo-2", &error);
  g_assert_no_error (error);
  g_assert_nonnull (o);
  g_assert_cmpuint (tdm_fake_shopify_count (f->fake, TDM_KIND_ORDER), ==, 1);
  g_assert_cmpuint (count_ops (f, "OrderCreate"), ==, 1);
  g_assert_cmpuint (count_ops (f, "OrderByIdentifier"), ==, 1);
  g_assert_cmpstr (o->record->twin_id, ==, "wo-2");

  /* An answer lost before the order was created: looked up, then sent again once. */
  g_clear_pointer (&o, tdm_write_result_free);
  tdm_fake_shopify_inject_fault (f->fake, 1, TDM_FAKE_SHOPIFY_FAULT_503);
  o = create (f->conn, TDM_KIND_ORDER, order, "op-o3", "wo-3", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tdm_fake_shopify_count (f->fake, TDM_KIND_ORDER), ==, 2);
  g_assert_cmpuint (count_ops (f, "OrderCreate"), ==, 3);
  g_assert_cmpuint (count_ops (f, "OrderByIdentifier"), ==, 2);
}

static void
test_order_paging_errors (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) changed = NULL;
  g_autoptr(JsonObject) bad_customer = parse ("{\"number\":\"#E1\",\"currency\":\"NOK\","
                                              "\"customer_id\":\"gid://shopify/Customer/424242\","
                                              "\"line_items\":[{\"title\":\"X\",\"quantity\":1,\"unit_price\":\"1\"}]}");
  g_autoptr(TdmWriteResult) res = NULL;
  guint pages = 0;

  for (guint i = 0; i < 7; i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"updatedAt\":\"2026-11-2%uT10:00:00Z\",\"name\":\"#%u\","
                                               "\"email\":\"o%u@example.no\",\"lineItems\":{\"nodes\":["
                                               "{\"sku\":\"A\",\"title\":\"A\",\"quantity\":1}]}}", i, 100 + i, i);
      g_autoptr(JsonObject) node = parse (json);
      g_autofree char *id = tdm_fake_shopify_seed (f->fake, TDM_KIND_ORDER, node);
    }
  tdm_shopify_connector_set_page_size (f->conn, 2);
  changed = list_all (f->conn, TDM_KIND_ORDER, "2026-11-22T10:00:00Z", &pages);
  /* 23rd … 26th: four orders on two pages, oldest first. */
  g_assert_cmpuint (changed->len, ==, 4);
  g_assert_cmpuint (pages, ==, 2);
  g_assert_cmpstr (((TdmRecord *) changed->pdata[0])->updated_at, ==, "2026-11-23T10:00:00Z");
  g_assert_cmpstr (((TdmRecord *) changed->pdata[3])->updated_at, ==, "2026-11-26T10:00:00Z");

  res = create (f->conn, TDM_KIND_ORDER, bad_customer, "op-e1", "we-1", &error);
  g_assert_null (res);
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_VALIDATION);
  check_record_error (f, "customer_id");
  g_assert_cmpuint (tdm_fake_shopify_count (f->fake, TDM_KIND_ORDER), ==, 7);
}

static void
test_order_dev_store_spacing (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  gint64 times[2] = { 0, 0 };
  guint n = 0;

  tdm_fake_shopify_set_development_store (f->fake, TRUE);
  tdm_shopify_connector_set_order_create_interval (f->conn, 400);
  tdm_connector_prepare_async (TDM_CONNECTOR (f->conn), NULL, on_done, &result);
  g_assert_true (tdm_connector_prepare_finish (TDM_CONNECTOR (f->conn), wait_for (&result), &error));
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"number\":\"#D%u\",\"currency\":\"NOK\","
                                               "\"line_items\":[{\"title\":\"X\",\"quantity\":1,"
                                               "\"unit_price\":\"1\"}]}", i);
      g_autofree char *twin = g_strdup_printf ("wd-%u", i);
      g_autoptr(JsonObject) fields = parse (json);
      g_autoptr(TdmWriteResult) res = NULL;

      res = create (f->conn, TDM_KIND_ORDER, fields, twin, twin, &error);
      g_assert_no_error (error);
      times[n++] = g_get_monotonic_time ();
    }
  /* The second orderCreate waited for the spacing. */
  g_assert_cmpint (times[1] - times[0], >=, 380 * 1000);
  g_assert_cmpuint (tdm_fake_shopify_count (f->fake, TDM_KIND_ORDER), ==, 2);
}

/* ---- throttling ------------------------------------------------------------------------ */

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
  tdm_connector_test_connection_async (TDM_CONNECTOR (other), NULL, on_done, &result);
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
  g_assert_cmpuint (tdm_shopify_client_get_throttled_count (tdm_shopify_connector_get_client (f->conn)),
                    >=, 1);
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
      g_autoptr(TdmWriteResult) res = create (f->conn, TDM_KIND_CUSTOMER, fields, twin, twin, &error);
      g_assert_no_error (error);
    }
  {
    g_autoptr(GPtrArray) all = list_all (f->conn, TDM_KIND_CUSTOMER, NULL, NULL);
    g_assert_cmpuint (all->len, ==, 60);
  }
  g_assert_cmpuint (tdm_fake_shopify_get_throttled_count (f->fake), ==, 0);
}

static gboolean
cancel_later_cb (gpointer data)
{
  g_cancellable_cancel (data);
  return G_SOURCE_REMOVE;
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
  /* 1 point per second: the second page would wait about 45 s. */
  tdm_fake_shopify_set_bucket (f->fake, 600, 1);
  tdm_shopify_connector_set_page_size (f->conn, 20);
  first = list_page (f->conn, TDM_KIND_CUSTOMER, "2026-11-01T00:00:00Z", NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (first->next_cursor);

  start = g_get_monotonic_time ();
  g_timeout_add (200, cancel_later_cb, cancellable);
  tdm_connector_list_changed_async (TDM_CONNECTOR (f->conn), TDM_KIND_CUSTOMER, "2026-11-01T00:00:00Z",
                                    first->next_cursor, cancellable, on_done, &result);
  second = tdm_connector_list_changed_finish (TDM_CONNECTOR (f->conn), wait_for (&result), &error);
  g_assert_null (second);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);
  g_assert_cmpuint (tdm_fake_shopify_get_throttled_count (f->fake), ==, 0);
}

/* ---- faults ------------------------------------------------------------------------------ */

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
      rec = get (f->conn, TDM_KIND_CUSTOMER, id, &error);
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
  rec = get (f->conn, TDM_KIND_CUSTOMER, id, &error);
  g_assert_null (rec);
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_SERVER);
  g_assert_cmpuint (count_ops (f, "CustomerGet"), ==, 5);
}

/* ---- auth ---------------------------------------------------------------------------------- */

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
  tdm_connector_test_connection_async (TDM_CONNECTOR (wrong), NULL, on_done, &result);
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

  tdm_credential_store_store_async (TDM_CREDENTIAL_STORE (store), TDM_SIDE_SHOPIFY, account, CLIENT_SECRET,
                                    NULL, on_done, &result);
  g_assert_true (tdm_credential_store_store_finish (TDM_CREDENTIAL_STORE (store), wait_for (&result), &error));
  g_assert_no_error (error);

  /* The secret comes from the store; the token from the client-credentials grant. */
  conn = tdm_shopify_connector_new (account, "2026-10", TDM_SHOPIFY_AUTH_CLIENT_CREDENTIALS, CLIENT_ID,
                                    TDM_CREDENTIAL_STORE (store), account, f->mapping, &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  tdm_connector_test_connection_async (TDM_CONNECTOR (conn), NULL, on_done, &result);
  info = tdm_connector_test_connection_finish (TDM_CONNECTOR (conn), wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (info->name, ==, "Tandem Test Shop");
  g_assert_cmpuint (tdm_fake_shopify_get_tokens_issued (f->fake), ==, 1);

  /* Nothing stored for another account: a CONFIG error saying what to do. */
  missing = tdm_shopify_connector_new (account, NULL, TDM_SHOPIFY_AUTH_CLIENT_CREDENTIALS, CLIENT_ID,
                                       TDM_CREDENTIAL_STORE (store), "other-shop", f->mapping, &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  g_clear_pointer (&info, tdm_shop_info_free);
  tdm_connector_test_connection_async (TDM_CONNECTOR (missing), NULL, on_done, &result);
  info = tdm_connector_test_connection_finish (TDM_CONNECTOR (missing), wait_for (&result), &error);
  g_assert_null (info);
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_CONFIG);
  g_clear_error (&error);

  /* Plain http:// to a non-loopback host is refused. */
  g_clear_object (&missing);
  missing = tdm_shopify_connector_new ("http://shop.example.com", NULL, TDM_SHOPIFY_AUTH_TOKEN, NULL,
                                       NULL, NULL, f->mapping, &error);
  g_assert_null (missing);
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_INSECURE);
}

static GLogWriterOutput
capture_writer (GLogLevelFlags   level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    if (fields[i].length < 0 && fields[i].value != NULL)
      {
        g_string_append (captured_log, fields[i].key);
        g_string_append_c (captured_log, '=');
        g_string_append (captured_log, fields[i].value);
        g_string_append_c (captured_log, '\n');
      }
  if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    return g_log_writer_default (level, fields, n_fields, user_data);
  return G_LOG_WRITER_HANDLED;
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
  res = create (cc, TDM_KIND_CUSTOMER, fields, "op-s", "w-s", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tdm_fake_shopify_get_tokens_issued (f->fake), ==, 2);

  /* Debug output was produced (so the check below means something)… */
  g_assert_nonnull (strstr (captured_log->str, "CustomersChanged"));
  g_assert_nonnull (strstr (captured_log->str, "access token"));
  /* the HTTP logger ran and masked what it saw */
  g_assert_nonnull (strstr (captured_log->str, "[redacted]"));
  g_assert_nonnull (strstr (captured_log->str, "graphql.json"));
  /* …and holds neither the client secret nor any access token. */
  g_assert_null (strstr (captured_log->str, CLIENT_SECRET));
  g_assert_null (strstr (captured_log->str, "shpat_fake_"));
}

/* ---- bulk, ids, delete, prepare -------------------------------------------------------------- */

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
      g_autoptr(JsonObject) node = parse (json);
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
  g_assert_cmpstr (((TdmRecord *) resumed->records->pdata[0])->id, ==, ((TdmRecord *) all->pdata[250])->id);

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

  tdm_connector_list_ids_async (TDM_CONNECTOR (f->conn), kind, NULL, on_done, &result);
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
      g_autoptr(TdmWriteResult) res = create (f->conn, TDM_KIND_PRODUCT, fields, twin, twin, &error);
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
      g_autoptr(JsonObject) fields = parse (json);
      g_autoptr(TdmWriteResult) res = create (f->conn, TDM_KIND_ORDER, fields, twin, twin, &error);
      g_assert_no_error (error);
    }
  compare_bulk_and_paged (f, TDM_KIND_PRODUCT, 5);
  compare_bulk_and_paged (f, TDM_KIND_ORDER, 4);

  one = get (f->conn, TDM_KIND_PRODUCT, first, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (one->twin_id, ==, "bp-0");
}

static void
test_ids_and_delete (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(JsonObject) prod = product_fields ("Cap", "CAP", 1);
  g_autoptr(TdmWriteResult) p = create (f->conn, TDM_KIND_PRODUCT, prod, "op-cap", "cap-1", &error);
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
  tdm_connector_list_ids_async (TDM_CONNECTOR (f->conn), TDM_KIND_CUSTOMER, NULL, on_done, &result);
  ids = tdm_connector_list_ids_finish (TDM_CONNECTOR (f->conn), wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, 300);
  g_assert_cmpuint (count_ops (f, "CustomerIds"), ==, 2);

  g_clear_object (&result);
  tdm_connector_delete_async (TDM_CONNECTOR (f->conn), TDM_KIND_CUSTOMER, first_id, NULL, on_done, &result);
  g_assert_true (tdm_connector_delete_finish (TDM_CONNECTOR (f->conn), wait_for (&result), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (tdm_fake_shopify_count (f->fake, TDM_KIND_CUSTOMER), ==, 299);

  g_clear_object (&result);
  tdm_connector_delete_async (TDM_CONNECTOR (f->conn), TDM_KIND_PRODUCT, p->record->id, NULL, on_done, &result);
  g_assert_true (tdm_connector_delete_finish (TDM_CONNECTOR (f->conn), wait_for (&result), &error));
  stored = tdm_fake_shopify_get_record (f->fake, TDM_KIND_PRODUCT, p->record->id);
  g_assert_cmpstr (json_object_get_string_member (stored, "status"), ==, "ARCHIVED");
}

static void
test_prepare_and_connection (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(TdmShopInfo) info = NULL;

  tdm_connector_prepare_async (TDM_CONNECTOR (f->conn), NULL, on_done, &result);
  g_assert_true (tdm_connector_prepare_finish (TDM_CONNECTOR (f->conn), wait_for (&result), &error));
  g_assert_no_error (error);
  /* prepare only reads: a run that writes no record writes nothing. */
  g_assert_cmpuint (count_ops (f, "MetafieldDefinitions"), ==, 1);
  g_assert_cmpuint (count_ops (f, "MetafieldDefinitionCreate"), ==, 0);

  /* The first record write creates the missing definitions first. */
  {
    g_autoptr(JsonObject) fields = customer_fields ("def@example.no", "Def");
    g_autoptr(TdmWriteResult) a = create (f->conn, TDM_KIND_CUSTOMER, fields, "op-d1", "wd-1", &error);
    g_autoptr(TdmWriteResult) b = NULL;
    GPtrArray *log = tdm_fake_shopify_get_request_log (f->fake);

    g_assert_no_error (error);
    g_assert_cmpuint (count_ops (f, "MetafieldDefinitionCreate"), ==, 4);
    g_assert_cmpstr (((TdmFakeShopifyRequest *) log->pdata[log->len - 1])->operation, ==, "CustomerSet");
    b = create (f->conn, TDM_KIND_CUSTOMER, fields, "op-d1", "wd-1", &error);
    g_assert_no_error (error);
    g_assert_cmpuint (count_ops (f, "MetafieldDefinitionCreate"), ==, 4);
  }

  /* Again: nothing to do. */
  g_clear_object (&result);
  tdm_connector_prepare_async (TDM_CONNECTOR (f->conn), NULL, on_done, &result);
  g_assert_true (tdm_connector_prepare_finish (TDM_CONNECTOR (f->conn), wait_for (&result), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_ops (f, "MetafieldDefinitions"), ==, 1);

  /* A new connector (next run) reads the definitions and creates none. */
  {
    g_autoptr(TdmShopifyConnector) next = make_connector (f, TDM_SHOPIFY_AUTH_TOKEN);
    g_autoptr(JsonObject) fields = customer_fields ("def2@example.no", "Def");
    g_autoptr(TdmWriteResult) c = NULL;

    g_clear_object (&result);
    tdm_connector_prepare_async (TDM_CONNECTOR (next), NULL, on_done, &result);
    g_assert_true (tdm_connector_prepare_finish (TDM_CONNECTOR (next), wait_for (&result), &error));
    g_assert_no_error (error);
    c = create (next, TDM_KIND_CUSTOMER, fields, "op-d2", "wd-2", &error);
    g_assert_no_error (error);
    g_assert_cmpuint (count_ops (f, "MetafieldDefinitionCreate"), ==, 4);
    g_assert_cmpuint (count_ops (f, "MetafieldDefinitions"), ==, 2);
  }

  g_clear_object (&result);
  tdm_connector_test_connection_async (TDM_CONNECTOR (f->conn), NULL, on_done, &result);
  info = tdm_connector_test_connection_finish (TDM_CONNECTOR (f->conn), wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (info->name, ==, "Tandem Test Shop");
  g_assert_cmpstr (info->currency, ==, "NOK");
  g_assert_cmpstr (info->plan, ==, "Basic");
  /* Requests counted by the connector: all of this connector's, none of the others':
   * ShopInfo, MetafieldDefinitions, 4 definitions, 2 × CustomerSet, ShopInfo again. */
  g_assert_cmpuint (tdm_connector_get_request_count (TDM_CONNECTOR (f->conn)), ==, 9);
}

int
main (int argc, char **argv)
{
  g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
  captured_log = g_string_new (NULL);
  g_log_set_writer_func (capture_writer, NULL, NULL);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, setup, func, teardown)
  ADD ("/shopify/customer/create-get-list", test_customer_create_get_list);
  ADD ("/shopify/customer/upsert", test_customer_upsert);
  ADD ("/shopify/customer/paging", test_customer_paging);
  ADD ("/shopify/customer/incremental", test_customer_incremental);
  ADD ("/shopify/customer/user-errors", test_customer_user_errors);
  ADD ("/shopify/product/create-update", test_product_create_update);
  ADD ("/shopify/product/incremental", test_product_incremental);
  ADD ("/shopify/product/many-variants", test_product_many_variants);
  ADD ("/shopify/product/variants-paging", test_product_variants_paging);
  ADD ("/shopify/product/variants-no-extra", test_product_variants_no_extra);
  ADD ("/shopify/product/variants-round-trip", test_product_variants_round_trip);
  ADD ("/shopify/product/variants-error", test_product_variants_error);
  ADD ("/shopify/product/variants-cancel", test_product_variants_cancel);
  ADD ("/shopify/product/too-many-variants", test_product_too_many_variants);
  ADD ("/shopify/order/create-update", test_order_create_update);
  ADD ("/shopify/order/retry-no-duplicate", test_order_retry_no_duplicate);
  ADD ("/shopify/order/paging-errors", test_order_paging_errors);
  ADD ("/shopify/order/dev-store-spacing", test_order_dev_store_spacing);
  ADD ("/shopify/throttle/pacing", test_throttle_pacing);
  ADD ("/shopify/throttle/throttled-200", test_throttled_200);
  ADD ("/shopify/throttle/throttled-429", test_throttled_429);
  ADD ("/shopify/throttle/steady-state", test_steady_state);
  ADD ("/shopify/throttle/cancel", test_throttle_cancel);
  ADD ("/shopify/faults/recover", test_faults_recover);
  ADD ("/shopify/faults/give-up", test_faults_give_up);
  ADD ("/shopify/auth/client-credentials", test_auth_client_credentials);
  ADD ("/shopify/auth/missing-scope", test_auth_missing_scope);
  ADD ("/shopify/auth/credential-store", test_auth_credential_store);
  ADD ("/shopify/auth/secrets-not-logged", test_secrets_not_logged);
  ADD ("/shopify/bulk/export", test_bulk_export);
  ADD ("/shopify/bulk/products-orders", test_bulk_products_orders);
  ADD ("/shopify/ids-and-delete", test_ids_and_delete);
  ADD ("/shopify/prepare-and-connection", test_prepare_and_connection);
#undef ADD

  return g_test_run ();
}
