/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-test-shopify"

#include "config.h"
#include "shopify-fixture.h"

#include <string.h>

/* The fixture of the Shopify connector's integration tests (see
 * shopify-fixture.h). */

/* ---- Debug output ---- */

static GString *captured_log;

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

void
shopify_test_init (int    *argc,
                   char ***argv)
{
  g_assert (captured_log == NULL);

  g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
  captured_log = g_string_new (NULL);
  g_log_set_writer_func (capture_writer, NULL, NULL);
  g_test_init (argc, argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
}

const char *
fixture_captured_log (void)
{
  g_assert (captured_log != NULL);

  return captured_log->str;
}

/* ---- Fixture ---- */

TdmShopifyConnector *
make_connector (Fixture            *f,
                TdmShopifyAuthMode  mode)
{
  g_autoptr(GError) error = NULL;
  const char *client_id = mode == TDM_SHOPIFY_AUTH_CLIENT_CREDENTIALS ? CLIENT_ID : NULL;
  TdmShopifyConnector *conn;
  TdmShopifyClient *client;

  g_assert (TDM_IS_FAKE_SHOPIFY (f->fake));
  g_assert (f->mapping != NULL);

  conn = tdm_shopify_connector_new (tdm_fake_shopify_get_url (f->fake), NULL, mode, client_id,
                                    NULL, NULL, f->mapping, &error);
  g_assert_no_error (error);
  tdm_shopify_connector_set_secret (conn,
                                    mode == TDM_SHOPIFY_AUTH_TOKEN ? STATIC_TOKEN : CLIENT_SECRET);
  tdm_shopify_connector_set_bulk_poll_interval (conn, 10);
  client = tdm_shopify_connector_get_client (conn);
  tdm_shopify_client_set_backoff (client, 20, 200);
  tdm_shopify_client_set_timeout (client, 5);
  return conn;
}

void
fixture_setup (Fixture       *f,
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

void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  const char *log_path = g_getenv ("TDM_SHOPIFY_LOG");

  /* Whatever a test did, the debug output holds neither the client secret
   * nor an access token (the fake's all start with "shpat_fake_"). */
  g_assert_null (strstr (fixture_captured_log (), CLIENT_SECRET));
  g_assert_null (strstr (fixture_captured_log (), "shpat_fake_"));

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

/* ---- Synchronous calls ---- */

GAsyncResult *
wait_for (GAsyncResult **slot)
{
  return tdm_test_wait_result (slot, 120);
}

TdmPage *
list_page (TdmShopifyConnector *conn,
           TdmKind              kind,
           const char          *since,
           const char          *cursor,
           GError             **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  tdm_connector_list_changed_async (TDM_CONNECTOR (conn), kind, since, cursor, NULL,
                                    tdm_test_keep_result_cb, &result);
  return tdm_connector_list_changed_finish (TDM_CONNECTOR (conn), wait_for (&result), error);
}

GPtrArray *
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

TdmWriteResult *
create_record (TdmShopifyConnector *conn,
               TdmKind              kind,
               JsonObject          *fields,
               const char          *op_id,
               const char          *twin_id,
               GError             **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  tdm_connector_create_async (TDM_CONNECTOR (conn), kind, fields, op_id, twin_id, NULL,
                              tdm_test_keep_result_cb, &result);
  return tdm_connector_create_finish (TDM_CONNECTOR (conn), wait_for (&result), NULL, error);
}

TdmRecordError *
create_refused (TdmShopifyConnector *conn,
                TdmKind              kind,
                JsonObject          *fields,
                const char          *op_id,
                const char          *twin_id,
                GError             **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(TdmWriteResult) written = NULL;
  TdmRecordError *record_error = NULL;

  tdm_connector_create_async (TDM_CONNECTOR (conn), kind, fields, op_id, twin_id, NULL,
                              tdm_test_keep_result_cb, &result);
  written = tdm_connector_create_finish (TDM_CONNECTOR (conn), wait_for (&result), &record_error,
                                         error);
  g_assert_null (written);
  return record_error;
}

TdmWriteResult *
update_record (TdmShopifyConnector *conn,
               TdmKind              kind,
               const char          *id,
               JsonObject          *fields,
               const char          *twin_id,
               GError             **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  tdm_connector_update_async (TDM_CONNECTOR (conn), kind, id, fields, NULL, twin_id, "op-update",
                              NULL, tdm_test_keep_result_cb, &result);
  return tdm_connector_update_finish (TDM_CONNECTOR (conn), wait_for (&result), NULL, error);
}

TdmRecord *
get_record (TdmShopifyConnector *conn,
            TdmKind              kind,
            const char          *id,
            GError             **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  tdm_connector_get_async (TDM_CONNECTOR (conn), kind, id, NULL, tdm_test_keep_result_cb, &result);
  return tdm_connector_get_finish (TDM_CONNECTOR (conn), wait_for (&result), NULL, error);
}

TdmRecord *
find_created (TdmShopifyConnector *conn,
              TdmKind              kind,
              const char          *twin_id,
              GError             **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  tdm_connector_find_created_async (TDM_CONNECTOR (conn), kind, "op-find", twin_id, NULL,
                                    tdm_test_keep_result_cb, &result);
  return tdm_connector_find_created_finish (TDM_CONNECTOR (conn), wait_for (&result), error);
}

/* ---- Data ---- */

JsonObject *
parse_json (const char *json)
{
  g_autoptr(GError) error = NULL;
  JsonObject *object = tdm_json_object_from_string (json, &error);

  g_assert_no_error (error);
  return object;
}

JsonObject *
customer_fields (const char *email,
                 const char *first_name)
{
  g_autofree char *json = g_strdup_printf ("{\"email\":\"%s\",\"first_name\":\"%s\",\"last_name\":\"Nordmann\","
                                           "\"tags\":[\"vip\"],\"addresses\":[{\"city\":\"Oslo\","
                                           "\"country_code\":\"NO\",\"zip\":\"0150\"}]}",
                                           email, first_name);
  return parse_json (json);
}

char *
seed_customer (Fixture    *f,
               const char *email,
               const char *updated_at)
{
  g_autofree char *json = g_strdup_printf ("{\"updatedAt\":\"%s\",\"firstName\":\"Seed\",\"lastName\":\"Customer\","
                                           "\"defaultEmailAddress\":{\"emailAddress\":\"%s\","
                                           "\"marketingState\":\"NOT_SUBSCRIBED\"}}",
                                           updated_at, email);
  g_autoptr(JsonObject) node = parse_json (json);

  return tdm_fake_shopify_seed (f->fake, TDM_KIND_CUSTOMER, node);
}

JsonObject *
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
  return parse_json (json);
}

JsonObject *
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
    return parse_json (text);
  }
}

char *
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
      json_array_add_object_element (nodes, parse_json (json));
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

/* ---- Checks ---- */

guint
count_ops (Fixture    *f,
           const char *operation)
{
  g_assert (TDM_IS_FAKE_SHOPIFY (f->fake));

  return tdm_fake_shopify_count_requests (f->fake, operation);
}

void
check_record_error (TdmRecordError *record_error,
                    const char     *field)
{
  g_autoptr(TdmRecordError) rec = record_error;

  g_assert_nonnull (rec);
  g_assert_cmpint (rec->side, ==, TDM_SIDE_SHOPIFY);
  g_assert_cmpstr (rec->field, ==, field);
  g_assert_nonnull (rec->message);
}

void
assert_all_variants (Fixture    *f,
                     TdmRecord  *record,
                     const char *prefix,
                     guint       n)
{
  JsonNode *field = tdm_record_get_field (record, "variants");
  JsonArray *canonical;
  JsonObject *native_conn;
  JsonArray *native;
  g_autoptr(JsonObject) stored = tdm_fake_shopify_get_record (f->fake, TDM_KIND_PRODUCT,
                                                              record->id);
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
  stored_variants = json_object_get_array_member (json_object_get_object_member (stored, "variants"),
                                                  "nodes");
  g_assert_cmpuint (json_array_get_length (stored_variants), ==, n);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *sku = g_strdup_printf ("%s-%03u", prefix, i);
      JsonObject *v = json_array_get_object_element (canonical, i);
      JsonObject *nv = json_array_get_object_element (native, i);
      JsonObject *sv = json_array_get_object_element (stored_variants, i);

      g_assert_cmpstr (json_object_get_string_member (v, "sku"), ==, sku);
      g_assert_cmpstr (json_object_get_string_member (nv, "sku"), ==, sku);
      g_assert_cmpstr (json_object_get_string_member (nv, "id"), ==,
                       json_object_get_string_member (sv, "id"));
    }
}

TdmRecord *
record_with_id (GPtrArray  *records,
                const char *id)
{
  g_assert (records != NULL);

  for (guint i = 0; i < records->len; i++)
    if (g_strcmp0 (((TdmRecord *) records->pdata[i])->id, id) == 0)
      return records->pdata[i];
  return NULL;
}

gboolean
cancel_later_cb (gpointer data)
{
  g_assert (G_IS_CANCELLABLE (data));

  g_cancellable_cancel (data);
  return G_SOURCE_REMOVE;
}
