/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-test-bulk-write"

#include "config.h"

#include <string.h>

#include "shopify-fixture.h"
#include "tdm-shopify-json.h"

/* Bulk mutations (docs/shopify.md § Bulk mutations): the fake Shopify's
 * staged uploads and bulkOperationRunMutation in Shopify's shapes, spoken
 * to with the connector's own documents; then the connector's batches of
 * writes (tdm_connector_write_batch_async()): one bulk mutation for many
 * records, each record's result and errors on its own, and whatever a
 * bulk mutation does not answer sent one write at a time. */

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

/* Polls until the operation is COMPLETED (its lines run after the answer
 * that started it); the last answer (transfer full). */
static JsonObject *
poll_until_completed (Fixture    *f,
                      const char *poll_vars)
{
  for (guint i = 0; i < 500; i++)
    {
      g_autoptr(JsonObject) polled = run_op (f, "BulkPoll", poll_vars);

      if (g_strcmp0 (json_object_get_string_member (member (polled, "bulkOperation"), "status"),
                     "COMPLETED") == 0)
        return g_steal_pointer (&polled);
      tdm_test_spin (10);
    }
  g_assert_not_reached ();
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
  poll = poll_until_completed (f, poll_vars);
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
    g_autofree char *again_vars = NULL;

    g_autoptr(JsonObject) done = NULL;

    g_assert_null (first_error_code (again));
    again_vars = g_strdup_printf ("{\"id\":\"%s\"}",
                                  json_object_get_string_member (member (again, "bulkOperation"),
                                                                 "id"));
    done = poll_until_completed (f, again_vars);
  }
  /* customerSet by custom id is an upsert: running the file again makes no duplicate. */
  g_assert_cmpuint (tdm_fake_shopify_get_bulk_mutation_lines (f->fake), ==, 6);
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
  poll = poll_until_completed (f, poll_vars);
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

/* ---- Batches of writes ---- */

/* What one write of a batch came back with. */
typedef struct {
  gboolean        create;
  gboolean        done;
  TdmWriteResult *result;
  TdmRecordError *record_error;
  GError         *error;
  Fixture        *f;
} Outcome;

static void
outcome_clear (Outcome *o)
{
  g_clear_pointer (&o->result, tdm_write_result_free);
  g_clear_pointer (&o->record_error, tdm_record_error_free);
  g_clear_error (&o->error);
}

static void
on_outcome_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Outcome *o = user_data;
  TdmConnector *conn = TDM_CONNECTOR (source);

  g_assert_false (o->done);
  o->done = TRUE;
  if (o->create)
    o->result = tdm_connector_create_finish (conn, result, &o->record_error, &o->error);
  else
    o->result = tdm_connector_update_finish (conn, result, &o->record_error, &o->error);
}

/* Writes `n` records in one batch: creates with the twin ids "w-<i>" and
 * fields from `fields[i]`, or updates of `ids[i]` when `ids` is set.
 * Every write is answered before the batch; returns the outcomes. */
static Outcome *
write_batch (Fixture       *f,
             TdmKind        kind,
             GPtrArray     *fields,
             const char   **ids,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autoptr(GPtrArray) writes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) twins = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GAsyncResult) result = NULL;
  Outcome *outcomes = g_new0 (Outcome, fields->len);

  for (guint i = 0; i < fields->len; i++)
    {
      TdmBatchWrite *w = g_new0 (TdmBatchWrite, 1);
      char *twin = g_strdup_printf ("w-%u", i);

      g_ptr_array_add (twins, twin);
      outcomes[i].create = ids == NULL;
      outcomes[i].f = f;
      w->create = ids == NULL;
      w->id = ids != NULL ? ids[i] : NULL;
      w->fields = g_ptr_array_index (fields, i);
      w->twin_id = ids == NULL ? twin : NULL;
      w->op_id = twin;
      w->callback = on_outcome_cb;
      w->user_data = &outcomes[i];
      g_ptr_array_add (writes, w);
    }
  tdm_connector_write_batch_async (TDM_CONNECTOR (f->conn), kind, writes, cancellable,
                                   tdm_test_keep_result_cb, &result);
  tdm_connector_write_batch_finish (TDM_CONNECTOR (f->conn), wait_for (&result), error);
  for (guint i = 0; i < fields->len; i++)
    g_assert_true (outcomes[i].done);
  return outcomes;
}

static void
outcomes_free (Outcome *outcomes,
               guint    n)
{
  for (guint i = 0; i < n; i++)
    outcome_clear (&outcomes[i]);
  g_free (outcomes);
}

static GPtrArray *
customers (guint        n,
           const char  *prefix,
           gboolean     marketing)
{
  GPtrArray *list = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *email = g_strdup_printf ("%s%04u@example.no", prefix, i);
      JsonObject *fields = customer_fields (email, "Kari");

      if (marketing)
        json_object_set_boolean_member (fields, "accepts_email_marketing", TRUE);
      g_ptr_array_add (list, fields);
    }
  return list;
}

#define N_BULK 300
/* Where writes end up sent alone, fewer (the bucket's pace is real). */
#define N_FEW  40

/* 300 customers through one bulk mutation: one staged upload, one run, no
 * customerSet of their own; each comes back as Shopify stored it, with
 * its webshop id; the three with a bad email come back alone as record
 * errors naming the record and the field, as a single write's would. */
static void
test_customers (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GPtrArray) fields = customers (N_BULK, "bulk", FALSE);
  g_autoptr(GError) error = NULL;
  Outcome *outcomes;
  guint created = 0;

  for (guint i = 7; i < N_BULK; i += 100)
    json_object_set_string_member (g_ptr_array_index (fields, i), "email", "not an email");
  tdm_fake_shopify_set_bulk_polls (f->fake, 3);
  outcomes = write_batch (f, TDM_KIND_CUSTOMER, fields, NULL, NULL, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < N_BULK; i++)
    {
      Outcome *o = &outcomes[i];
      g_autofree char *twin = g_strdup_printf ("w-%u", i);

      if (i % 100 == 7)
        {
          g_assert_error (o->error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_VALIDATION);
          g_assert_nonnull (o->record_error);
          g_assert_cmpstr (o->record_error->field, ==, "email");
          g_assert_cmpstr (o->record_error->record_id, ==, twin);
          g_assert_nonnull (strstr (o->record_error->message, "not an email"));
          g_assert_null (o->result);
          continue;
        }
      g_assert_no_error (o->error);
      g_assert_null (o->record_error);
      g_assert_nonnull (o->result);
      g_assert_cmpstr (o->result->record->twin_id, ==, twin);
      g_assert_true (g_str_has_prefix (o->result->record->id, "gid://shopify/Customer/"));
      created++;
    }
  g_assert_cmpuint (created, ==, N_BULK - 3);
  g_assert_cmpuint (tdm_fake_shopify_count (f->fake, TDM_KIND_CUSTOMER), ==, N_BULK - 3);
  g_assert_cmpuint (count_ops (f, "StagedUploadsCreate"), ==, 1);
  g_assert_cmpuint (tdm_fake_shopify_get_staged_uploads (f->fake), ==, 1);
  g_assert_cmpuint (count_ops (f, "BulkRunMutation"), ==, 1);
  g_assert_cmpuint (count_ops (f, "BulkPoll"), >=, 3);
  g_assert_cmpuint (count_ops (f, "CustomerSet"), ==, 0);
  g_assert_cmpuint (count_ops (f, "MetafieldsSet"), ==, 0);
  g_assert_cmpuint (tdm_fake_shopify_get_throttled_count (f->fake), ==, 0);
  outcomes_free (outcomes, N_BULK);
}

/* The steps after customerSet go in bulk too when there are many (the
 * email consent of 300 customers: a second bulk mutation), and alone when
 * there are few; updates by GID write the changed fields in bulk. */
static void
test_customer_steps (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GPtrArray) fields = customers (N_BULK, "consent", TRUE);
  g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autofree const char **ids = g_new0 (const char *, N_BULK + 1);
  g_autoptr(GError) error = NULL;
  Outcome *outcomes;
  Outcome *updated;

  outcomes = write_batch (f, TDM_KIND_CUSTOMER, fields, NULL, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < N_BULK; i++)
    {
      JsonObject *node;

      g_assert_no_error (outcomes[i].error);
      node = outcomes[i].result->record->native;
      g_assert_cmpstr (tdm_shopify_node_string (node, "defaultEmailAddress.marketingState"), ==, "SUBSCRIBED");
      ids[i] = outcomes[i].result->record->id;
      g_ptr_array_add (changes, parse_json ("{\"note\": \"Stamkunde\"}"));
    }
  g_assert_cmpuint (count_ops (f, "BulkRunMutation"), ==, 2);
  g_assert_cmpuint (count_ops (f, "CustomerEmailConsentUpdate"), ==, 0);

  tdm_fake_shopify_clear_log (f->fake);
  updated = write_batch (f, TDM_KIND_CUSTOMER, changes, ids, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < N_BULK; i++)
    {
      g_assert_no_error (updated[i].error);
      g_assert_cmpstr (updated[i].result->record->id, ==, ids[i]);
      g_assert_cmpstr (tdm_shopify_node_string (updated[i].result->record->native, "note"), ==, "Stamkunde");
    }
  g_assert_cmpuint (count_ops (f, "BulkRunMutation"), ==, 1);
  g_assert_cmpuint (count_ops (f, "CustomerSet"), ==, 0);
  g_assert_cmpuint (tdm_fake_shopify_count (f->fake, TDM_KIND_CUSTOMER), ==, N_BULK);
  outcomes_free (updated, N_BULK);
  outcomes_free (outcomes, N_BULK);
}

/* Products: productSet in bulk, the stock levels of 300 products in a
 * second bulk mutation (inventorySetQuantities with their keys), the
 * location asked for once. */
static void
test_products (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr(GError) error = NULL;
  Outcome *outcomes;

  for (guint i = 0; i < N_BULK; i++)
    {
      g_autofree char *title = g_strdup_printf ("Genser %u", i);
      g_autofree char *sku = g_strdup_printf ("GEN-%04u", i);

      g_ptr_array_add (fields, product_fields (title, sku, 3));
    }
  outcomes = write_batch (f, TDM_KIND_PRODUCT, fields, NULL, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < N_BULK; i++)
    {
      JsonArray *variants;

      g_assert_no_error (outcomes[i].error);
      variants = json_object_get_array_member (
        json_object_get_object_member (outcomes[i].result->record->native, "variants"), "nodes");
      g_assert_cmpuint (json_array_get_length (variants), ==, 2);
      g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (variants, 0),
                                                   "inventoryQuantity"), ==, 3);
    }
  g_assert_cmpuint (tdm_fake_shopify_count (f->fake, TDM_KIND_PRODUCT), ==, N_BULK);
  g_assert_cmpuint (count_ops (f, "BulkRunMutation"), ==, 2);
  g_assert_cmpuint (count_ops (f, "ProductSet"), ==, 0);
  g_assert_cmpuint (count_ops (f, "InventorySet"), ==, 0);
  g_assert_cmpuint (count_ops (f, "Locations"), ==, 1);
  outcomes_free (outcomes, N_BULK);
}

/* Another bulk mutation is running in the shop (OPERATION_IN_PROGRESS):
 * every write goes alone, and each is answered as always. */
static void
test_busy (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GPtrArray) fields = customers (N_FEW, "busy", FALSE);
  g_autoptr(GError) error = NULL;
  Outcome *outcomes;

  tdm_fake_shopify_set_bulk_mutation_busy (f->fake, TRUE);
  outcomes = write_batch (f, TDM_KIND_CUSTOMER, fields, NULL, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < N_FEW; i++)
    g_assert_no_error (outcomes[i].error);
  g_assert_cmpuint (count_ops (f, "BulkRunMutation"), ==, 1);
  g_assert_cmpuint (count_ops (f, "CustomerSet"), ==, N_FEW);
  g_assert_cmpuint (tdm_fake_shopify_count (f->fake, TDM_KIND_CUSTOMER), ==, N_FEW);
  outcomes_free (outcomes, N_FEW);
}

/* The result file breaks off halfway (the connection closes): the lines
 * read are taken, the rest go alone; customerSet by custom id finds the
 * customers the bulk mutation made, so none is made twice. */
static void
test_result_cut (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GPtrArray) fields = customers (N_FEW, "cut", FALSE);
  g_autoptr(GError) error = NULL;
  Outcome *outcomes;
  guint alone;

  tdm_fake_shopify_stall_bulk (f->fake, TDM_FAKE_SHOPIFY_CUT_RESULT, 1);
  outcomes = write_batch (f, TDM_KIND_CUSTOMER, fields, NULL, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < N_FEW; i++)
    g_assert_no_error (outcomes[i].error);
  alone = count_ops (f, "CustomerSet");
  g_assert_cmpuint (alone, >, 0);
  g_assert_cmpuint (alone, <, N_FEW);
  g_assert_cmpuint (tdm_fake_shopify_count (f->fake, TDM_KIND_CUSTOMER), ==, N_FEW);
  outcomes_free (outcomes, N_FEW);
}

typedef struct {
  Fixture      *f;
  GCancellable *cancellable;
} CancelWhenPolled;

/* Cancels once the bulk mutation was polled (and is waiting to be again). */
static gboolean
cancel_when_polled_cb (gpointer data)
{
  CancelWhenPolled *c = data;

  if (count_ops (c->f, "BulkPoll") == 0)
    return G_SOURCE_CONTINUE;
  g_cancellable_cancel (c->cancellable);
  return G_SOURCE_REMOVE;
}

/* Cancelled while the bulk mutation runs: every write is answered
 * (cancelled) and the batch ends. */
static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GPtrArray) fields = customers (N_FEW, "cancel", FALSE);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  CancelWhenPolled when = { f, cancellable };
  Outcome *outcomes;

  tdm_shopify_connector_set_bulk_poll_interval (f->conn, 60000);
  tdm_fake_shopify_set_bulk_polls (f->fake, 100);
  g_timeout_add (5, cancel_when_polled_cb, &when);
  outcomes = write_batch (f, TDM_KIND_CUSTOMER, fields, NULL, cancellable, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < N_FEW; i++)
    g_assert_error (outcomes[i].error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (count_ops (f, "BulkPoll"), ==, 1);
  g_assert_cmpuint (count_ops (f, "CustomerSet"), ==, 0);
  outcomes_free (outcomes, N_FEW);
}

/* Orders are never written in bulk (orderCreate needs its identity check
 * one order at a time): the batch refuses them, answering none. */
static void
test_orders_refused (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr(GPtrArray) writes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  Outcome outcome = { 0 };
  TdmBatchWrite *w = g_new0 (TdmBatchWrite, 1);

  g_assert_true (tdm_connector_can_write_batch (TDM_CONNECTOR (f->conn), TDM_KIND_CUSTOMER));
  g_assert_true (tdm_connector_can_write_batch (TDM_CONNECTOR (f->conn), TDM_KIND_PRODUCT));
  g_assert_false (tdm_connector_can_write_batch (TDM_CONNECTOR (f->conn), TDM_KIND_ORDER));
  w->create = TRUE;
  w->fields = parse_json ("{\"name\": \"#1\"}");
  g_ptr_array_add (fields, w->fields);
  w->twin_id = "o-1";
  w->callback = on_outcome_cb;
  w->user_data = &outcome;
  g_ptr_array_add (writes, w);
  tdm_connector_write_batch_async (TDM_CONNECTOR (f->conn), TDM_KIND_ORDER, writes, NULL,
                                   tdm_test_keep_result_cb, &result);
  g_assert_false (tdm_connector_write_batch_finish (TDM_CONNECTOR (f->conn), wait_for (&result),
                                                    &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_assert_false (outcome.done);
  g_assert_cmpuint (count_ops (f, "OrderCreate"), ==, 0);
}

int
main (int argc, char **argv)
{
  shopify_test_init (&argc, &argv);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/shopify/bulk-write/fake-shapes", test_fake_shapes);
  ADD ("/shopify/bulk-write/fake-unknown-key", test_fake_unknown_key);
  ADD ("/shopify/bulk-write/fake-stalls", test_fake_stalls);
  ADD ("/shopify/bulk-write/customers", test_customers);
  ADD ("/shopify/bulk-write/customer-steps", test_customer_steps);
  ADD ("/shopify/bulk-write/products", test_products);
  ADD ("/shopify/bulk-write/busy", test_busy);
  ADD ("/shopify/bulk-write/result-cut", test_result_cut);
  ADD ("/shopify/bulk-write/cancel", test_cancel);
  ADD ("/shopify/bulk-write/orders-refused", test_orders_refused);
#undef ADD

  return g_test_run ();
}
