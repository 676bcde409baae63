/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-test-bulk-write"

#include "config.h"

#include <string.h>

#include "shopify-fixture.h"

/* Bulk mutations (docs/shopify.md § Bulk operations): the fake Shopify's
 * staged uploads and bulkOperationRunMutation in Shopify's shapes, spoken
 * to with the connector's own documents. */

/* ---- Talking to the fake with the connector's documents ---- */

/* Runs `operation` with `vars_json` through the connector's client; its
 * data (transfer full). */
static JsonObject *
run_op (Fixture    *f,
        const char *operation,
        const char *vars_json)
{
  TdmShopifyClient *client = tdm_shopify_connector_get_client (f->conn);
  g_autoptr(JsonObject) vars = parse_json (vars_json);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *data;

  tdm_shopify_client_execute_async (client, operation, vars, 10, 0, NULL, tdm_test_keep_result_cb,
                                    &result);
  data = tdm_shopify_client_execute_finish (client, wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (data);
  return data;
}

static JsonObject *
member (JsonObject *o,
        const char *name)
{
  g_assert_nonnull (o);
  g_assert_true (json_object_has_member (o, name));
  return json_object_get_object_member (o, name);
}

/* stagedUploadsCreate for one JSONL file: the target's url and its form
 * parameters (name → value, transfer full). */
static char *
stage_file (Fixture     *f,
            GHashTable **params)
{
  g_autoptr(JsonObject) data = run_op (f, "StagedUploadsCreate",
                                       "{\"input\":[{\"resource\":\"BULK_MUTATION_VARIABLES\","
                                       "\"filename\":\"customers.jsonl\",\"mimeType\":\"text/jsonl\","
                                       "\"httpMethod\":\"POST\"}]}");
  JsonObject *payload = member (data, "stagedUploadsCreate");
  JsonArray *targets = json_object_get_array_member (payload, "stagedTargets");
  JsonObject *target;
  JsonArray *list;

  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (payload, "userErrors")), ==, 0);
  g_assert_cmpuint (json_array_get_length (targets), ==, 1);
  target = json_array_get_object_element (targets, 0);
  list = json_object_get_array_member (target, "parameters");
  *params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *p = json_array_get_object_element (list, i);

      g_hash_table_insert (*params, g_strdup (json_object_get_string_member (p, "name")),
                           g_strdup (json_object_get_string_member (p, "value")));
    }
  return g_strdup (json_object_get_string_member (target, "url"));
}

/* POSTs `jsonl` to the staged target as a multipart form; the HTTP status. */
static guint
upload (Fixture    *f,
        const char *url,
        GHashTable *params,
        const char *jsonl)
{
  SoupSession *session = tdm_shopify_client_get_session (tdm_shopify_connector_get_client (f->conn));
  g_autoptr(SoupMultipart) form = soup_multipart_new (SOUP_FORM_MIME_TYPE_MULTIPART);
  g_autoptr(GBytes) file = g_bytes_new (jsonl, strlen (jsonl));
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;
  GHashTableIter iter;
  gpointer name, value;

  g_hash_table_iter_init (&iter, params);
  while (g_hash_table_iter_next (&iter, &name, &value))
    soup_multipart_append_form_string (form, name, value);
  soup_multipart_append_form_file (form, "file", "customers.jsonl", "text/jsonl", file);
  msg = soup_message_new_from_multipart (url, form);
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL,
                                    tdm_test_keep_result_cb, &result);
  answer = soup_session_send_and_read_finish (session, wait_for (&result), &error);
  g_assert_no_error (error);
  return soup_message_get_status (msg);
}

/* bulkOperationRunMutation of `operation`'s document: the payload (transfer full). */
static JsonObject *
run_mutation (Fixture    *f,
              const char *operation,
              const char *path)
{
  g_autofree char *doc = tdm_shopify_client_get_document (operation, NULL);
  g_autoptr(JsonObject) vars = json_object_new ();
  g_autofree char *vars_json = NULL;
  g_autoptr(JsonObject) data = NULL;
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  g_assert_nonnull (doc);
  json_object_set_string_member (vars, "mutation", doc);
  json_object_set_string_member (vars, "stagedUploadPath", path);
  json_node_set_object (node, vars);
  vars_json = json_to_string (node, FALSE);
  json_node_unref (node);
  data = run_op (f, "BulkRunMutation", vars_json);
  return json_object_ref (member (data, "bulkOperationRunMutation"));
}

/* The code of a payload's first userError, or NULL when there is none. */
static const char *
first_error_code (JsonObject *payload)
{
  JsonArray *errors = json_object_get_array_member (payload, "userErrors");

  if (json_array_get_length (errors) == 0)
    return NULL;
  return json_object_get_string_member (json_array_get_object_element (errors, 0), "code");
}

/* Downloads a result file: its lines (transfer full). */
static char **
download_lines (Fixture    *f,
                const char *url)
{
  SoupSession *session = tdm_shopify_client_get_session (tdm_shopify_connector_get_client (f->conn));
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL,
                                    tdm_test_keep_result_cb, &result);
  body = soup_session_send_and_read_finish (session, wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  g_strchomp (text);
  return g_strsplit (text, "\n", -1);
}

/* ---- The fake ---- */

#define LINE(email, custom) \
  "{\"identifier\":{\"customId\":{\"namespace\":\"$app:tandem\",\"key\":\"webshop_id\"," \
  "\"value\":\"" custom "\"}},\"input\":{\"email\":\"" email "\",\"firstName\":\"Kari\"}}\n"

/* A staged upload and a bulk customerSet in Shopify's shapes: the target's
 * form parameters, the upload answered 201, the operation CREATED, one
 * mutation at a time (OPERATION_IN_PROGRESS), COMPLETED once polled, and
 * one result line per input line with its __lineNumber and the payload as
 * the mutation answers it (userErrors naming the field). */
static void
test_fake_shapes (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GHashTable) params = NULL;
  g_autofree char *url = stage_file (f, &params);
  const char *key = g_hash_table_lookup (params, "key");
  g_autoptr(JsonObject) run = NULL;
  g_autoptr(JsonObject) busy = NULL;
  g_autoptr(JsonObject) missing = NULL;
  g_autoptr(JsonObject) poll = NULL;
  g_auto(GStrv) lines = NULL;
  g_autofree char *poll_vars = NULL;
  JsonObject *op;

  g_assert_true (g_str_has_prefix (url, tdm_fake_shopify_get_url (f->fake)));
  g_assert_nonnull (key);
  g_assert_cmpstr (g_hash_table_lookup (params, "Content-Type"), ==, "text/jsonl");
  g_assert_nonnull (g_hash_table_lookup (params, "policy"));

  /* Nothing uploaded yet: the path names no file. */
  missing = run_mutation (f, "CustomerSet", key);
  g_assert_cmpstr (first_error_code (missing), ==, "NO_SUCH_FILE");
  g_assert_true (json_object_get_null_member (missing, "bulkOperation"));

  g_assert_cmpuint (upload (f, url, params, LINE ("kari@example.no", "w-1")
                            LINE ("not-an-email", "w-2")
                            LINE ("ola@example.no", "w-3")), ==, 201);
  g_assert_cmpuint (tdm_fake_shopify_get_staged_uploads (f->fake), ==, 1);

  tdm_fake_shopify_set_bulk_polls (f->fake, 2);
  run = run_mutation (f, "CustomerSet", key);
  g_assert_null (first_error_code (run));
  op = member (run, "bulkOperation");
  g_assert_cmpstr (json_object_get_string_member (op, "status"), ==, "CREATED");
  busy = run_mutation (f, "CustomerSet", key);
  g_assert_cmpstr (first_error_code (busy), ==, "OPERATION_IN_PROGRESS");

  poll_vars = g_strdup_printf ("{\"id\":\"%s\"}", json_object_get_string_member (op, "id"));
  {
    g_autoptr(JsonObject) first = run_op (f, "BulkPoll", poll_vars);
    g_assert_cmpstr (json_object_get_string_member (member (first, "bulkOperation"), "status"),
                     ==, "RUNNING");
  }
  poll = run_op (f, "BulkPoll", poll_vars);
  g_assert_cmpstr (json_object_get_string_member (member (poll, "bulkOperation"), "status"),
                   ==, "COMPLETED");
  lines = download_lines (f, json_object_get_string_member (member (poll, "bulkOperation"), "url"));
  g_assert_cmpuint (g_strv_length (lines), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(JsonObject) line = parse_json (lines[i]);
      JsonObject *payload = member (member (line, "data"), "customerSet");
      JsonArray *errors = json_object_get_array_member (payload, "userErrors");

      g_assert_cmpint (json_object_get_int_member (line, "__lineNumber"), ==, i);
      if (i == 1)
        {
          JsonArray *field;

          g_assert_cmpuint (json_array_get_length (errors), ==, 1);
          field = json_object_get_array_member (json_array_get_object_element (errors, 0), "field");
          g_assert_cmpstr (json_array_get_string_element (field, 1), ==, "email");
          g_assert_true (json_object_get_null_member (payload, "customer"));
        }
      else
        {
          JsonObject *customer = member (payload, "customer");

          g_assert_cmpuint (json_array_get_length (errors), ==, 0);
          g_assert_true (g_str_has_prefix (json_object_get_string_member (customer, "id"),
                                           "gid://shopify/Customer/"));
          g_assert_cmpstr (json_object_get_string_member (member (customer, "webshopId"), "value"),
                           ==, i == 0 ? "w-1" : "w-3");
        }
    }
  g_assert_cmpuint (tdm_fake_shopify_count (f->fake, TDM_KIND_CUSTOMER), ==, 2);
  g_assert_cmpuint (tdm_fake_shopify_get_bulk_mutation_lines (f->fake), ==, 3);
  g_assert_cmpuint (count_ops (f, "CustomerSet"), ==, 0);

  /* Completed: the next bulk mutation may start; another app's may not. */
  tdm_fake_shopify_set_bulk_mutation_busy (f->fake, TRUE);
  {
    g_autoptr(JsonObject) refused = run_mutation (f, "CustomerSet", key);
    g_assert_cmpstr (first_error_code (refused), ==, "OPERATION_IN_PROGRESS");
  }
  tdm_fake_shopify_set_bulk_mutation_busy (f->fake, FALSE);
  {
    g_autoptr(JsonObject) again = run_mutation (f, "CustomerSet", key);
    g_assert_null (first_error_code (again));
  }
  /* customerSet by custom id is an upsert: running the file again makes no duplicate. */
  g_assert_cmpuint (tdm_fake_shopify_count (f->fake, TDM_KIND_CUSTOMER), ==, 2);
}

/* An upload to a key the fake never handed out is refused, as a bucket
 * refuses a form whose policy does not cover it. */
static void
test_fake_unknown_key (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GHashTable) params = NULL;
  g_autofree char *url = stage_file (f, &params);

  g_hash_table_replace (params, g_strdup ("key"), g_strdup ("tmp/424242/bulk/made-up/x.jsonl"));
  g_assert_cmpuint (upload (f, url, params, LINE ("kari@example.no", "w-1")), ==, 400);
  g_assert_cmpuint (tdm_fake_shopify_get_staged_uploads (f->fake), ==, 0);
}

/* The stalls the crash tests kill in: an upload answered late, a result
 * file whose second half comes late; both arrive whole in the end. */
static void
test_fake_stalls (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GHashTable) params = NULL;
  g_autofree char *url = stage_file (f, &params);
  g_autoptr(JsonObject) run = NULL;
  g_autoptr(JsonObject) poll = NULL;
  g_autofree char *poll_vars = NULL;
  g_auto(GStrv) lines = NULL;
  GString *jsonl = g_string_new (NULL);
  g_autofree char *text = NULL;
  gint64 start;

  for (guint i = 0; i < 40; i++)
    g_string_append_printf (jsonl, "{\"identifier\":{\"customId\":{\"namespace\":\"$app:tandem\","
                            "\"key\":\"webshop_id\",\"value\":\"w-%u\"}},"
                            "\"input\":{\"email\":\"k%u@example.no\"}}\n", i, i);
  text = g_string_free (jsonl, FALSE);
  tdm_fake_shopify_stall_bulk (f->fake, TDM_FAKE_SHOPIFY_STALL_UPLOAD, 300);
  tdm_fake_shopify_stall_bulk (f->fake, TDM_FAKE_SHOPIFY_STALL_RESULT, 300);
  start = g_get_monotonic_time ();
  g_assert_cmpuint (upload (f, url, params, text), ==, 201);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 300 * 1000);

  run = run_mutation (f, "CustomerSet", g_hash_table_lookup (params, "key"));
  poll_vars = g_strdup_printf ("{\"id\":\"%s\"}",
                               json_object_get_string_member (member (run, "bulkOperation"), "id"));
  poll = run_op (f, "BulkPoll", poll_vars);
  start = g_get_monotonic_time ();
  lines = download_lines (f, json_object_get_string_member (member (poll, "bulkOperation"), "url"));
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 300 * 1000);
  g_assert_cmpuint (g_strv_length (lines), ==, 40);
  for (guint i = 0; i < 40; i++)
    {
      g_autoptr(JsonObject) line = parse_json (lines[i]);

      g_assert_cmpint (json_object_get_int_member (line, "__lineNumber"), ==, i);
    }
}

int
main (int argc, char **argv)
{
  shopify_test_init (&argc, &argv);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/shopify/bulk-write/fake-shapes", test_fake_shapes);
  ADD ("/shopify/bulk-write/fake-unknown-key", test_fake_unknown_key);
  ADD ("/shopify/bulk-write/fake-stalls", test_fake_stalls);
#undef ADD

  return g_test_run ();
}
