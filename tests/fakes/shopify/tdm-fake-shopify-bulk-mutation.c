/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-fake-shopify"

#include "config.h"
#include "tdm-fake-shopify-private.h"

#include <string.h>

/* Bulk mutations, in the shapes Shopify uses (docs/shopify.md, Bulk
 * operations): stagedUploadsCreate hands out a POST target on the fake's
 * own server (POST /staged-uploads) with form parameters like a cloud
 * bucket's; the upload is a multipart form of those parameters and the
 * JSONL file; bulkOperationRunMutation runs the mutation named by its
 * document once per line, with the line as the variables, a few lines at a
 * time on the main loop after its answer, and keeps one result line per
 * input line: {"data": …, "__lineNumber": n} (n from 0),
 * "errors" for a line that failed as a whole. The result is polled and
 * downloaded like a bulk export (tdm-fake-shopify-bulk.c). */

#define STAGED_UPLOAD_PATH "/staged-uploads"

/* ---- stagedUploadsCreate ---- */

static JsonObject *
staged_parameter (const char *name,
                  const char *value)
{
  JsonObject *p = json_object_new ();

  json_object_set_string_member (p, "name", name);
  json_object_set_string_member (p, "value", value);
  return p;
}

/* One StagedMediaUploadTarget for a StagedUploadInput, or NULL after
 * adding a userError (only bulk mutation variables are staged here). */
static JsonObject *
staged_target (TdmFakeShopify *self,
               JsonObject     *input,
               guint           index,
               JsonArray      *errors)
{
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *key = NULL;
  g_autofree char *index_text = g_strdup_printf ("%u", index);
  const char *filename = get_str (input, "filename");
  const char *mime = get_str (input, "mimeType");
  JsonObject *target;
  JsonArray *params;
  g_autofree char *url = NULL;

  g_assert (TDM_IS_FAKE_SHOPIFY (self));

  if (g_strcmp0 (get_str (input, "resource"), "BULK_MUTATION_VARIABLES") != 0)
    {
      _tdm_fake_shopify_add_user_error (errors, "The fake Shopify stages bulk mutation variables "
                                        "only.", NULL, "input", index_text, "resource", NULL);
      return NULL;
    }
  if (g_strcmp0 (get_str (input, "httpMethod"), "POST") != 0)
    {
      _tdm_fake_shopify_add_user_error (errors, "The fake Shopify hands out POST targets only.",
                                        NULL, "input", index_text, "httpMethod", NULL);
      return NULL;
    }
  key = g_strdup_printf ("tmp/424242/bulk/%s/%s", uuid, filename ? filename : "bulk_op_vars");
  g_hash_table_replace (self->staged, g_strdup (key), NULL);

  target = json_object_new ();
  params = json_array_new ();
  url = g_strconcat (self->url, STAGED_UPLOAD_PATH, NULL);
  json_object_set_string_member (target, "url", url);
  json_object_set_null_member (target, "resourceUrl");
  json_array_add_object_element (params, staged_parameter ("Content-Type", mime ? mime : ""));
  json_array_add_object_element (params, staged_parameter ("success_action_status", "201"));
  json_array_add_object_element (params, staged_parameter ("acl", "private"));
  json_array_add_object_element (params, staged_parameter ("key", key));
  json_array_add_object_element (params, staged_parameter ("x-goog-date", "20261126T000000Z"));
  json_array_add_object_element (params, staged_parameter ("x-goog-credential", "fake-shopify"));
  json_array_add_object_element (params, staged_parameter ("x-goog-algorithm", "GOOG4-RSA-SHA256"));
  json_array_add_object_element (params, staged_parameter ("x-goog-signature", "fake-signature"));
  json_array_add_object_element (params, staged_parameter ("policy", "fake-policy"));
  json_object_set_array_member (target, "parameters", params);
  return target;
}

/* mutation StagedUploadsCreate($input) */
void
_tdm_fake_shopify_op_staged_uploads (FakeCall *call)
{
  JsonArray *inputs = get_arr (call->vars, "input");
  JsonArray *targets = json_array_new ();
  JsonArray *errors = json_array_new ();
  JsonObject *p = json_object_new ();

  g_assert (fake_call_is_ready (call));

  call->actual = 10;
  for (guint i = 0; inputs != NULL && i < json_array_get_length (inputs); i++)
    {
      JsonObject *target = staged_target (call->self, json_array_get_object_element (inputs, i),
                                          i, errors);

      if (target != NULL)
        json_array_add_object_element (targets, target);
    }
  json_object_set_array_member (p, "stagedTargets", targets);
  json_object_set_array_member (p, "userErrors", errors);
  json_object_set_object_member (call->data, "stagedUploadsCreate", p);
}

/* ---- The upload ---- */

/* Stalled answers (the upload's, the rest of a result file): sent when the
 * stall ends, unless the client went away first. */
typedef struct {
  TdmFakeShopify    *self;
  SoupServerMessage *msg;
  GBytes            *rest;      /* result: the lines still to send; NULL for an upload */
  char              *body;      /* upload: the whole answer */
  gboolean           gone;
  guint              timeout_id;
} Stalled;

static gboolean on_stall_over_cb (gpointer user_data);

/* The client went away (killed): the stall ends at once. */
static void
on_stalled_gone (SoupServerMessage *msg,
                 gpointer           user_data)
{
  Stalled *s = user_data;

  g_assert (s != NULL && s->msg == msg);

  s->gone = TRUE;
  if (s->timeout_id != 0)
    {
      g_source_remove (s->timeout_id);
      s->timeout_id = g_idle_add (on_stall_over_cb, s);
    }
}

static gboolean
on_stall_over_cb (gpointer user_data)
{
  Stalled *s = user_data;

  g_assert (s != NULL && SOUP_IS_SERVER_MESSAGE (s->msg));

  s->timeout_id = 0;
  g_signal_handlers_disconnect_by_func (s->msg, on_stalled_gone, s);
  if (!s->gone && s->rest != NULL)
    {
      SoupMessageBody *body = soup_server_message_get_response_body (s->msg);

      soup_message_body_append_bytes (body, s->rest);
      soup_message_body_complete (body);
      soup_server_message_unpause (s->msg);
    }
  else if (!s->gone)
    {
      soup_server_message_set_status (s->msg, 201, NULL);
      soup_server_message_set_response (s->msg, "application/xml", SOUP_MEMORY_COPY, s->body,
                                        strlen (s->body));
      soup_server_message_unpause (s->msg);
    }
  g_object_unref (s->msg);
  g_object_unref (s->self);
  g_clear_pointer (&s->rest, g_bytes_unref);
  g_free (s->body);
  g_free (s);
  return G_SOURCE_REMOVE;
}

/* An upload's answer is held back whole (the message paused); a result
 * file's first lines are already on their way, and libsoup pauses the
 * message itself once they are written. */
static void
stall (TdmFakeShopify    *self,
       SoupServerMessage *msg,
       guint              ms,
       GBytes            *rest,
       const char        *body)
{
  Stalled *s = g_new0 (Stalled, 1);

  s->self = g_object_ref (self);
  s->msg = g_object_ref (msg);
  s->rest = rest != NULL ? g_bytes_ref (rest) : NULL;
  s->body = g_strdup (body);
  g_signal_connect (msg, "finished", G_CALLBACK (on_stalled_gone), s);
  g_signal_connect (msg, "disconnected", G_CALLBACK (on_stalled_gone), s);
  if (rest == NULL)
    soup_server_message_pause (msg);
  s->timeout_id = g_timeout_add (ms, on_stall_over_cb, s);
}

/* The form's fields: "key" → text, "file" → its bytes. */
static gboolean
read_upload_form (SoupServerMessage  *msg,
                  GBytes             *body,
                  char              **key,
                  GBytes            **file)
{
  g_autoptr(SoupMultipart) form = NULL;

  form = soup_multipart_new_from_message (soup_server_message_get_request_headers (msg), body);
  if (form == NULL)
    return FALSE;
  for (int i = 0; i < soup_multipart_get_length (form); i++)
    {
      SoupMessageHeaders *headers;
      GBytes *part;
      g_autoptr(GHashTable) params = NULL;
      g_autofree char *disposition = NULL;
      const char *name;

      if (!soup_multipart_get_part (form, i, &headers, &part)
          || !soup_message_headers_get_content_disposition (headers, &disposition, &params))
        continue;
      name = g_hash_table_lookup (params, "name");
      if (g_strcmp0 (name, "key") == 0)
        {
          g_free (*key);
          *key = g_strndup (g_bytes_get_data (part, NULL), g_bytes_get_size (part));
        }
      else if (g_strcmp0 (name, "file") == 0)
        {
          g_clear_pointer (file, g_bytes_unref);
          *file = g_bytes_ref (part);
        }
    }
  return *key != NULL && *file != NULL;
}

void
_tdm_fake_shopify_handle_staged_upload (TdmFakeShopify    *self,
                                        SoupServerMessage *msg,
                                        const char        *path,
                                        GBytes            *body)
{
  TdmFakeShopifyRequest *req;
  g_autofree char *key = NULL;
  g_autoptr(GBytes) file = NULL;
  g_autofree char *answer = NULL;

  g_assert (TDM_IS_FAKE_SHOPIFY (self));
  g_assert (body != NULL);

  req = _tdm_fake_shopify_log_request (self, path, NULL, NULL, "{}");
  if (!read_upload_form (msg, body, &key, &file)
      || !g_hash_table_contains (self->staged, key))
    {
      static const char refused[] = "<?xml version='1.0' encoding='UTF-8'?><Error>"
                                    "<Code>InvalidArgument</Code><Message>Invalid argument."
                                    "</Message></Error>";

      _tdm_fake_shopify_finish_log (self, req, 400, refused);
      soup_server_message_set_status (msg, 400, NULL);
      soup_server_message_set_response (msg, "application/xml", SOUP_MEMORY_STATIC, refused,
                                        strlen (refused));
      return;
    }
  g_hash_table_replace (self->staged, g_strdup (key), g_bytes_ref (file));
  self->staged_uploads++;
  answer = g_markup_printf_escaped ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><PostResponse>"
                                    "<Bucket>fake-shopify-staged-uploads</Bucket><Key>%s</Key>"
                                    "</PostResponse>", key);
  _tdm_fake_shopify_finish_log (self, req, 201, answer);
  if (self->stall_ms[TDM_FAKE_SHOPIFY_STALL_UPLOAD] > 0)
    {
      stall (self, msg, self->stall_ms[TDM_FAKE_SHOPIFY_STALL_UPLOAD], NULL, answer);
      return;
    }
  soup_server_message_set_status (msg, 201, NULL);
  soup_server_message_set_response (msg, "application/xml", SOUP_MEMORY_COPY, answer,
                                    strlen (answer));
}

/* ---- bulkOperationRunMutation ---- */

/* Runs one line: its result line, {"data": …} or {"errors": …}. */
static void
run_line (TdmFakeShopify *self,
          const char     *operation,
          const char     *line,
          guint           number,
          GString        *out)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonNode) data = NULL;
  JsonNode *root;
  FakeCall call = { 0 };

  g_assert (TDM_IS_FAKE_SHOPIFY (self));

  if (!json_parser_load_from_data (parser, line, -1, NULL)
      || !JSON_NODE_HOLDS_OBJECT ((root = json_parser_get_root (parser))))
    {
      g_string_append_printf (out, "{\"errors\":[{\"message\":\"Invalid JSON on line\"}],"
                              "\"data\":null,\"__lineNumber\":%u}\n", number);
      return;
    }
  call.self = self;
  call.op = operation;
  call.vars = json_node_get_object (root);
  call.data = json_object_new ();
  if (!_tdm_fake_shopify_dispatch (&call))
    {
      json_object_unref (call.data);
      g_string_append_printf (out, "{\"errors\":[{\"message\":\"The fake Shopify does not know "
                              "the operation.\"}],\"data\":null,\"__lineNumber\":%u}\n", number);
      return;
    }
  g_string_append_c (out, '{');
  if (call.errors != NULL)
    {
      g_autoptr(JsonNode) errors = json_node_init_array (json_node_alloc (), call.errors);

      g_string_append (out, "\"errors\":");
      _tdm_fake_shopify_append_json (out, errors);
      g_string_append (out, ",\"data\":null");
      json_array_unref (call.errors);
      json_object_unref (call.data);
    }
  else
    {
      data = json_node_init_object (json_node_alloc (), call.data);
      g_string_append (out, "\"data\":");
      _tdm_fake_shopify_append_json (out, data);
      json_object_unref (call.data);
    }
  g_string_append_printf (out, ",\"__lineNumber\":%u}\n", number);
}

/* A bulk mutation of this app still running (its lines, or not yet polled
 * COMPLETED). */
static gboolean
mutation_in_progress (TdmFakeShopify *self)
{
  for (guint i = 0; i < self->bulk_ops->len; i++)
    {
      FakeBulkOp *op = self->bulk_ops->pdata[i];

      if (op->mutation && (op->runner_id != 0 || op->polls < self->bulk_polls))
        return TRUE;
    }
  return self->bulk_mutation_busy;
}

#define LINES_PER_TURN 25

typedef struct {
  TdmFakeShopify *self;
  FakeBulkOp     *op;
} Runner;

/* Runs the next few lines of a bulk mutation; the result file once all ran. */
static gboolean
on_run_lines_cb (gpointer user_data)
{
  Runner *runner = user_data;
  TdmFakeShopify *self = runner->self;
  FakeBulkOp *op = runner->op;
  guint ran = 0;

  g_assert (op->mutation && op->lines != NULL);

  while (op->lines[op->next_line] != NULL && ran < LINES_PER_TURN)
    {
      const char *line = op->lines[op->next_line++];

      if (_tdm_fake_shopify_blank (line))
        continue;
      run_line (self, op->operation, line, (guint) op->count++, op->results);
      self->bulk_mutation_lines++;
      ran++;
    }
  if (op->lines[op->next_line] != NULL)
    return G_SOURCE_CONTINUE;
  op->jsonl = g_string_free_to_bytes (g_steal_pointer (&op->results));
  op->runner_id = 0;
  return G_SOURCE_REMOVE;
}

static void
runner_free (gpointer data)
{
  Runner *runner = data;

  g_object_unref (runner->self);
  g_free (runner);
}

/* A new bulk mutation of `operation` over the lines of `file`, running
 * after this answer. */
static FakeBulkOp *
start_mutation (TdmFakeShopify *self,
                const char     *operation,
                GBytes         *file)
{
  g_autofree char *text = g_strndup (g_bytes_get_data (file, NULL), g_bytes_get_size (file));
  FakeBulkOp *op = g_new0 (FakeBulkOp, 1);
  Runner *runner = g_new0 (Runner, 1);
  TdmKind kind = TDM_KIND_CUSTOMER;

  _tdm_fake_shopify_kind_from_operation (operation, &kind);
  op->kind = kind;
  op->mutation = TRUE;
  op->id = _tdm_fake_shopify_new_gid (self, "BulkOperation", NULL);
  op->operation = g_strdup (operation);
  op->lines = g_strsplit (text, "\n", -1);
  op->results = g_string_new (NULL);
  runner->self = g_object_ref (self);
  runner->op = op;
  op->runner_id = g_idle_add_full (G_PRIORITY_DEFAULT, on_run_lines_cb, runner, runner_free);
  return op;
}

/* mutation BulkRunMutation($mutation, $stagedUploadPath, $clientIdentifier) */
void
_tdm_fake_shopify_op_bulk_run_mutation (FakeCall *call)
{
  TdmFakeShopify *self = call->self;
  const char *mutation = get_str (call->vars, "mutation");
  const char *path = get_str (call->vars, "stagedUploadPath");
  GBytes *file = path != NULL ? g_hash_table_lookup (self->staged, path) : NULL;
  g_autofree char *operation = NULL;
  gboolean is_mutation = FALSE;
  JsonArray *errors = json_array_new ();
  JsonObject *p = json_object_new ();
  FakeBulkOp *op;
  JsonObject *bulk;

  g_assert (fake_call_is_ready (call));

  call->actual = 10;
  operation = _tdm_fake_shopify_operation_name (mutation, &is_mutation);
  if (file == NULL)
    _tdm_fake_shopify_add_user_error (errors, "The JSONL file could not be found. Try uploading "
                                      "the file again, and check that you've entered the URL "
                                      "correctly for the stagedUploadPath mutation argument.",
                                      "NO_SUCH_FILE", "stagedUploadPath", NULL);
  else if (operation == NULL || !is_mutation)
    _tdm_fake_shopify_add_user_error (errors, "Invalid mutation: exactly one mutation field is "
                                      "required", "INVALID_MUTATION", "mutation", NULL);
  else if (mutation_in_progress (self))
    _tdm_fake_shopify_add_user_error (errors, "A bulk mutation operation for this app and shop "
                                      "is already in progress.", "OPERATION_IN_PROGRESS", NULL);
  if (json_array_get_length (errors) > 0)
    {
      json_object_set_null_member (p, "bulkOperation");
      json_object_set_array_member (p, "userErrors", errors);
      json_object_set_object_member (call->data, "bulkOperationRunMutation", p);
      return;
    }

  op = start_mutation (self, operation, file);
  g_ptr_array_add (self->bulk_ops, op);
  bulk = json_object_new ();
  json_object_set_string_member (bulk, "id", op->id);
  json_object_set_string_member (bulk, "status", "CREATED");
  json_object_set_object_member (p, "bulkOperation", bulk);
  json_object_set_array_member (p, "userErrors", errors);
  json_object_set_object_member (call->data, "bulkOperationRunMutation", p);
}

/* ---- The result file ---- */

/* Sends the head promising `size` bytes and the first `sent`, then closes
 * the connection: the download breaks off after those lines. */
static void
cut_result (SoupServerMessage *msg,
            const char        *text,
            gsize              size,
            gsize              sent)
{
  g_autoptr(GIOStream) stream = soup_server_message_steal_connection (msg);
  g_autofree char *head = NULL;
  GOutputStream *out;

  if (stream == NULL)
    return;
  head = g_strdup_printf ("HTTP/1.1 200 OK\r\nContent-Type: application/jsonl\r\n"
                          "Content-Length: %" G_GSIZE_FORMAT "\r\nConnection: close\r\n\r\n",
                          size);
  out = g_io_stream_get_output_stream (stream);
  g_output_stream_write_all (out, head, strlen (head), NULL, NULL, NULL);
  g_output_stream_write_all (out, text, sent, NULL, NULL, NULL);
  g_output_stream_flush (out, NULL, NULL);
  g_io_stream_close (stream, NULL, NULL);
}

void
_tdm_fake_shopify_send_bulk_result (TdmFakeShopify    *self,
                                    SoupServerMessage *msg,
                                    FakeBulkOp        *op)
{
  gsize size = 0;
  const char *text = g_bytes_get_data (op->jsonl, &size);
  guint ms = self->stall_ms[TDM_FAKE_SHOPIFY_STALL_RESULT];
  const char *half;
  gsize cut;
  g_autoptr(GBytes) rest = NULL;
  SoupMessageBody *body;

  g_assert (TDM_IS_FAKE_SHOPIFY (self));
  g_assert (op != NULL && op->mutation);

  soup_server_message_set_status (msg, 200, NULL);
  half = size > 0 ? memchr (text + size / 2, '\n', size - size / 2) : NULL;
  if (self->stall_ms[TDM_FAKE_SHOPIFY_CUT_RESULT] > 0 && half != NULL)
    {
      cut_result (msg, text, size, (gsize) (half - text) + 1);
      return;
    }
  if (ms == 0 || half == NULL)
    {
      soup_server_message_set_response (msg, "application/jsonl", SOUP_MEMORY_COPY, text, size);
      return;
    }
  /* The lines up to the middle now, the rest after the stall. */
  cut = (gsize) (half - text) + 1;
  soup_message_headers_set_content_type (soup_server_message_get_response_headers (msg),
                                         "application/jsonl", NULL);
  soup_message_headers_set_encoding (soup_server_message_get_response_headers (msg),
                                     SOUP_ENCODING_CHUNKED);
  body = soup_server_message_get_response_body (msg);
  soup_message_body_append (body, SOUP_MEMORY_COPY, text, cut);
  rest = g_bytes_new_from_bytes (op->jsonl, cut, size - cut);
  stall (self, msg, ms, rest, NULL);
}

/* ---- Public API ---- */

void
tdm_fake_shopify_stall_bulk (TdmFakeShopify          *self,
                             TdmFakeShopifyBulkStall  stage,
                             guint                    ms)
{
  g_return_if_fail (TDM_IS_FAKE_SHOPIFY (self));
  g_return_if_fail (stage <= TDM_FAKE_SHOPIFY_CUT_RESULT);

  self->stall_ms[stage] = ms;
}

void
tdm_fake_shopify_set_bulk_mutation_busy (TdmFakeShopify *self,
                                         gboolean        busy)
{
  g_return_if_fail (TDM_IS_FAKE_SHOPIFY (self));

  self->bulk_mutation_busy = busy;
}

guint
tdm_fake_shopify_get_staged_uploads (TdmFakeShopify *self)
{
  g_return_val_if_fail (TDM_IS_FAKE_SHOPIFY (self), 0);

  return self->staged_uploads;
}

guint
tdm_fake_shopify_get_bulk_mutation_lines (TdmFakeShopify *self)
{
  g_return_val_if_fail (TDM_IS_FAKE_SHOPIFY (self), 0);

  return self->bulk_mutation_lines;
}
