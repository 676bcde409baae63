/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-shopify"

#include "config.h"

#include "tdm-shopify-connector-private.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "tdm-error.h"
#include "tdm-http.h"

/* Batches of writes as bulk mutations (docs/shopify.md § Bulk mutations).
 *
 * Each write of a batch runs the same code as a write of its own (-write.c
 * and the kind's file), as a task of its own; only its mutations do not go
 * out one by one: _tdm_shopify_run() parks them here. Once every write of
 * the batch waits in a parked mutation (or is done), a round starts: the
 * parked mutations, grouped by operation, go out as bulk mutations, one at
 * a time: stagedUploadsCreate, the JSONL of their variables uploaded to the
 * staged target, bulkOperationRunMutation with the same document, polled
 * with bulkOperation(id:), the result file streamed. Each result line
 * carries the number of its input line; its data is handed to the parked
 * mutation's callback as the client's answer would be, and that write goes
 * on as it would after a request of its own (saving the record, user
 * errors naming the field, the next step). The next steps (the webshop_id
 * metafield, email consent, stock levels) are parked again for the next
 * round; a round after the first sends them in bulk only when there are
 * more than TDM_BATCH_MIN_WRITES of one operation.
 *
 * Whatever a bulk mutation does not answer (it could not start, another
 * is running, it failed, a line failed as a whole or is missing, the
 * network broke) is sent one write at a time. That is safe because every
 * mutation a batch sends is idempotent: customerSet and productSet are
 * upserts by the custom id (or the GID), metafieldsSet and the consent set
 * values, inventorySetQuantities carries its idempotency key. Orders are
 * never written in bulk (see can_write_batch). */

#define BULK_ITEM_KEY          "tdm-shopify-bulk-write"
/* Shopify takes JSONL files of up to 100 MB for a bulk mutation. */
#define BULK_FILE_MAX_BYTES    (95 * 1000 * 1000)

/* A mutation a write of the batch wanted to send. */
typedef struct {
  char                *operation;
  JsonObject          *variables;
  double               estimate;
  TdmShopifyExecFlags  flags;
  GTask               *task;       /* the write's: the reference its callback takes */
  GAsyncReadyCallback  callback;
} Parked;

/* A write of the batch: its task's callback comes here first. */
typedef struct {
  BulkWrite           *bw;
  GAsyncReadyCallback  callback;
  gpointer             user_data;
} Item;

struct _BulkWrite
{
  TdmShopifyConnector *self;
  GTask               *task;       /* the batch's own (owned until it returns) */
  TdmKind              kind;
  guint                pending;    /* writes not done */
  guint                running;    /* writes neither done nor parked */
  gboolean             first_round_done;
  GPtrArray           *parked;     /* Parked*: for the next round */
  GQueue               chunks;     /* GPtrArray* of Parked*: this round's bulk mutations */
  GPtrArray           *chunk;      /* Parked*: the bulk mutation in flight, or NULL */
  char                *path;       /* its staged upload's key */
  char                *bulk_id;
  GDataInputStream    *lines;
};

static void round_next_chunk (BulkWrite *bw);
static void bulk_write_check (BulkWrite *bw);

static void
parked_free (Parked *p)
{
  g_free (p->operation);
  g_clear_pointer (&p->variables, json_object_unref);
  /* Never delivered: the write's reference goes with it. */
  g_clear_object (&p->task);
  g_free (p);
}

static void
bulk_write_free (BulkWrite *bw)
{
  GPtrArray *chunk;

  g_assert (bw->pending == 0);

  while ((chunk = g_queue_pop_head (&bw->chunks)) != NULL)
    g_ptr_array_unref (chunk);
  g_clear_pointer (&bw->chunk, g_ptr_array_unref);
  g_clear_pointer (&bw->parked, g_ptr_array_unref);
  g_free (bw->path);
  g_free (bw->bulk_id);
  g_clear_object (&bw->lines);
  g_free (bw);
}

BulkWrite *
_tdm_shopify_bulk_write_of (GTask *task)
{
  g_assert (G_IS_TASK (task));

  return g_object_get_data (G_OBJECT (task), BULK_ITEM_KEY);
}

/* ---- Answering parked mutations ---- */

/* Sends a parked mutation as a request of its own. */
static void
send_alone (BulkWrite *bw,
            Parked    *p)
{
  GCancellable *cancellable;

  g_assert (p->task != NULL);

  cancellable = g_task_get_cancellable (p->task);
  bw->running++;
  tdm_shopify_client_execute_async (bw->self->client, p->operation, p->variables, p->estimate,
                                    p->flags, cancellable, p->callback, g_steal_pointer (&p->task));
}

/* Hands a result line's data to the parked mutation's callback, as the
 * client's answer. */
static void
deliver (BulkWrite  *bw,
         Parked     *p,
         JsonObject *data)
{
  g_autoptr(GTask) answer = NULL;
  GCancellable *cancellable;

  g_assert (p->task != NULL);
  g_assert (data != NULL);

  cancellable = g_task_get_cancellable (p->task);
  bw->running++;
  answer = g_task_new (bw->self->client, cancellable, p->callback, g_steal_pointer (&p->task));
  g_task_set_source_tag (answer, tdm_shopify_client_execute_async);
  g_task_return_pointer (answer, json_object_ref (data), (GDestroyNotify) json_object_unref);
}

gboolean
_tdm_shopify_bulk_write_park (TdmShopifyConnector *self,
                              const char          *operation,
                              JsonObject          *variables,
                              double               estimate,
                              TdmShopifyExecFlags  flags,
                              GTask               *task,
                              GAsyncReadyCallback  callback)
{
  BulkWrite *bw = _tdm_shopify_bulk_write_of (task);
  Parked *p;

  g_assert (TDM_IS_SHOPIFY_CONNECTOR (self));

  /* The metafield definitions are made once, by one write, before any
   * record is written (docs/shopify.md § Metafield definitions). */
  if (bw == NULL || bw != self->bulk_write || g_str_equal (operation, "MetafieldDefinitionCreate"))
    return FALSE;
  /* Only mutations go in a bulk mutation; reads are sent at once. */
  {
    g_autofree char *doc = tdm_shopify_client_get_document (operation, NULL);

    if (doc == NULL || !g_str_has_prefix (doc, "mutation"))
      return FALSE;
  }
  p = g_new0 (Parked, 1);
  p->operation = g_strdup (operation);
  p->variables = variables != NULL ? json_object_ref (variables) : json_object_new ();
  p->estimate = estimate;
  p->flags = flags;
  p->task = task;
  p->callback = callback;
  g_ptr_array_add (bw->parked, p);
  g_assert (bw->running > 0);
  bw->running--;
  bulk_write_check (bw);
  return TRUE;
}

/* ---- One bulk mutation ---- */

/* The bulk mutation of the chunk is over: what it did not answer is sent
 * one at a time, then the round goes on. */
static void
chunk_done (BulkWrite  *bw,
            const char *why)
{
  GPtrArray *chunk = g_steal_pointer (&bw->chunk);
  guint alone = 0;

  g_assert (chunk != NULL);

  for (guint i = 0; i < chunk->len; i++)
    {
      Parked *p = g_ptr_array_index (chunk, i);

      if (p->task == NULL)
        continue;
      send_alone (bw, p);
      alone++;
    }
  if (alone > 0)
    g_debug ("bulk %s: %u of %u sent one at a time (%s)",
             ((Parked *) g_ptr_array_index (chunk, 0))->operation, alone, chunk->len,
             why != NULL ? why : "no answer");
  g_ptr_array_unref (chunk);
  g_clear_pointer (&bw->path, g_free);
  g_clear_pointer (&bw->bulk_id, g_free);
  g_clear_object (&bw->lines);
  round_next_chunk (bw);
}

/* One result line: {"data": …, "__lineNumber": n}; a line with "errors"
 * failed as a whole and is sent again alone. */
static void
take_result_line (BulkWrite  *bw,
                  const char *line)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root;
  JsonObject *data;
  JsonArray *errors;
  gint64 n;
  Parked *p;

  if (!json_parser_load_from_data (parser, line, -1, NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return;
  root = json_node_get_object (json_parser_get_root (parser));
  n = json_object_get_int_member_with_default (root, "__lineNumber", -1);
  if (n < 0 || n >= (gint64) bw->chunk->len)
    return;
  p = g_ptr_array_index (bw->chunk, n);
  data = _tdm_shopify_object (root, "data");
  errors = _tdm_shopify_array (root, "errors");
  if (p->task == NULL || data == NULL || (errors != NULL && json_array_get_length (errors) > 0))
    return;
  deliver (bw, p, data);
}

static void read_next_line (BulkWrite *bw);

static void
on_result_line_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BulkWrite *bw = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  gsize length = 0;
  g_autofree char *line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source),
                                                                     result, &length, &error);

  g_assert (bw != NULL && bw->chunk != NULL);

  if (line == NULL)
    {
      chunk_done (bw, error != NULL ? error->message : NULL);
      return;
    }
  if (*line != '\0')
    take_result_line (bw, line);
  read_next_line (bw);
}

static void
read_next_line (BulkWrite *bw)
{
  g_assert (bw->lines != NULL);

  g_data_input_stream_read_line_async (bw->lines, G_PRIORITY_DEFAULT,
                                       g_task_get_cancellable (bw->task), on_result_line_cb,
                                       g_object_ref (bw->task));
}

static void
on_result_download_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BulkWrite *bw = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GInputStream) stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  g_autoptr(GInputStream) limited = NULL;

  g_assert (bw != NULL && bw->chunk != NULL);

  if (stream == NULL || !SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (msg)))
    {
      chunk_done (bw, error != NULL ? error->message : "the result file could not be read");
      return;
    }
  limited = tdm_http_line_limit_stream_new (stream, TDM_HTTP_MAX_LINE_BYTES,
                                            g_uri_get_host (soup_message_get_uri (msg)));
  bw->lines = g_data_input_stream_new (limited);
  read_next_line (bw);
}

/* The result file: a plain download, no Shopify header. */
static void
download_results (BulkWrite  *bw,
                  const char *url)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GError) error = NULL;

  if (url == NULL || !tdm_http_check_url (url, &error))
    {
      chunk_done (bw, error != NULL ? error->message : "no result file");
      return;
    }
  msg = soup_message_new (SOUP_METHOD_GET, url);
  soup_session_send_async (tdm_shopify_client_get_session (bw->self->client), msg,
                           G_PRIORITY_DEFAULT, g_task_get_cancellable (bw->task),
                           on_result_download_cb, g_object_ref (bw->task));
}

/* Sends a step of the chunk's bulk mutation (the client's `operation`)
 * for the batch's task. */
static void
send_step (BulkWrite           *bw,
           const char          *operation,
           JsonObject          *vars,
           double               estimate,
           GAsyncReadyCallback  callback)
{
  g_assert (bw->chunk != NULL);
  g_assert (operation != NULL && vars != NULL);

  tdm_shopify_client_execute_async (bw->self->client, operation, vars, estimate, 0,
                                    g_task_get_cancellable (bw->task), callback,
                                    g_object_ref (bw->task));
}

/* The answer to a step: its data, with its payload `member` in
 * `out_payload`; NULL once the chunk is done, as the request failed or
 * Shopify refused it (userErrors; OPERATION_IN_PROGRESS: another bulk
 * mutation runs in this shop). */
static JsonObject *
finish_step (BulkWrite     *bw,
             GObject       *source,
             GAsyncResult  *result,
             const char    *member,
             JsonObject   **out_payload)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) data = NULL;
  JsonObject *payload;
  JsonArray *errors;

  g_assert (bw != NULL && bw->chunk != NULL);
  g_assert (member != NULL && out_payload != NULL);

  data = tdm_shopify_client_execute_finish (TDM_SHOPIFY_CLIENT (source), result, &error);
  if (data == NULL)
    {
      chunk_done (bw, error->message);
      return NULL;
    }
  payload = _tdm_shopify_object (data, member);
  errors = _tdm_shopify_array (payload, "userErrors");
  if (errors != NULL && json_array_get_length (errors) > 0)
    {
      JsonObject *first = _tdm_shopify_element (errors, 0);
      const char *code = _tdm_shopify_string (first, "code");
      const char *message = _tdm_shopify_string (first, "message");
      g_autofree char *why = g_strdup_printf ("%s: %s", code != NULL ? code : "-",
                                              message != NULL ? message : "");

      chunk_done (bw, why);
      return NULL;
    }
  *out_payload = payload;
  return g_steal_pointer (&data);
}

static void poll_operation (BulkWrite *bw);

static gboolean
on_poll_wait_over_cb (gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  BulkWrite *bw = g_task_get_task_data (task);

  g_assert (bw != NULL && bw->chunk != NULL);

  /* Cancelled: every write is still answered (sent alone, each fails as
   * cancelled at once). */
  if (g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    chunk_done (bw, "cancelled");
  else
    poll_operation (bw);
  return G_SOURCE_REMOVE;
}

static gboolean
on_poll_cancelled_cb (GCancellable *cancellable,
                      gpointer      user_data)
{
  /* The timeout it is a child of dispatches too, and goes. */
  return G_SOURCE_CONTINUE;
}

/* Waits the poll interval, or less when the run is cancelled. */
static void
wait_to_poll (BulkWrite *bw)
{
  g_autoptr(GSource) timeout = g_timeout_source_new (bw->self->poll_ms);
  GCancellable *cancellable = g_task_get_cancellable (bw->task);

  if (cancellable != NULL)
    {
      g_autoptr(GSource) cancelled = g_cancellable_source_new (cancellable);

      g_source_set_callback (cancelled, G_SOURCE_FUNC (on_poll_cancelled_cb), NULL, NULL);
      g_source_add_child_source (timeout, cancelled);
    }
  g_source_set_callback (timeout, on_poll_wait_over_cb, g_object_ref (bw->task), NULL);
  g_source_attach (timeout, g_main_context_get_thread_default ());
}

static void
on_poll_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BulkWrite *bw = g_task_get_task_data (task);
  JsonObject *op = NULL;
  g_autoptr(JsonObject) data = finish_step (bw, source, result, "bulkOperation", &op);
  const char *status;

  if (data == NULL)
    return;
  status = _tdm_shopify_string (op, "status");
  if (g_strcmp0 (status, "CREATED") == 0 || g_strcmp0 (status, "RUNNING") == 0
      || g_strcmp0 (status, "CANCELING") == 0)
    {
      wait_to_poll (bw);
      return;
    }
  if (g_strcmp0 (status, "COMPLETED") != 0)
    {
      const char *code = _tdm_shopify_string (op, "errorCode");
      g_autofree char *why = g_strdup_printf ("the bulk mutation ended %s (%s)",
                                              status != NULL ? status : "?",
                                              code != NULL ? code : "-");

      chunk_done (bw, why);
      return;
    }
  g_debug ("bulk %s %s: completed", bw->bulk_id,
           ((Parked *) g_ptr_array_index (bw->chunk, 0))->operation);
  download_results (bw, _tdm_shopify_string (op, "url"));
}

static void
poll_operation (BulkWrite *bw)
{
  g_autoptr(JsonObject) vars = json_object_new ();

  g_assert (bw->bulk_id != NULL);

  json_object_set_string_member (vars, "id", bw->bulk_id);
  send_step (bw, "BulkPoll", vars, 1, on_poll_cb);
}

static void
on_run_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BulkWrite *bw = g_task_get_task_data (task);
  JsonObject *payload = NULL;
  g_autoptr(JsonObject) data = finish_step (bw, source, result, "bulkOperationRunMutation",
                                            &payload);
  const char *id;

  if (data == NULL)
    return;
  id = _tdm_shopify_string (_tdm_shopify_object (payload, "bulkOperation"), "id");
  if (id == NULL)
    {
      chunk_done (bw, "no bulk operation started");
      return;
    }
  bw->bulk_id = g_strdup (id);
  poll_operation (bw);
}

/* Starts the bulk mutation on the uploaded file, with the same document a
 * single write sends. */
static void
run_mutation (BulkWrite *bw)
{
  const char *operation = ((Parked *) g_ptr_array_index (bw->chunk, 0))->operation;
  g_autofree char *doc = tdm_shopify_client_get_document (operation, NULL);
  g_autoptr(JsonObject) vars = json_object_new ();

  g_assert (bw->path != NULL);

  if (doc == NULL)
    {
      chunk_done (bw, "no document");
      return;
    }
  json_object_set_string_member (vars, "mutation", doc);
  json_object_set_string_member (vars, "stagedUploadPath", bw->path);
  send_step (bw, "BulkRunMutation", vars, 10, on_run_cb);
}

static void
on_upload_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BulkWrite *bw = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result,
                                                              &error);

  g_assert (bw != NULL && bw->chunk != NULL);

  if (body == NULL)
    {
      chunk_done (bw, error->message);
      return;
    }
  if (!SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (msg)))
    {
      g_autofree char *why = g_strdup_printf ("the upload was refused (HTTP %u)",
                                              soup_message_get_status (msg));

      chunk_done (bw, why);
      return;
    }
  run_mutation (bw);
}

/* The chunk's variables, one JSON object a line. */
static GBytes *
chunk_jsonl (GPtrArray *chunk)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < chunk->len; i++)
    {
      Parked *p = g_ptr_array_index (chunk, i);
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), p->variables);
      g_autofree char *line = NULL;

      json_generator_set_root (gen, node);
      line = json_generator_to_data (gen, NULL);
      g_string_append (out, line);
      g_string_append_c (out, '\n');
    }
  return g_string_free_to_bytes (out);
}

/* POSTs the variables to the staged target: a multipart form of the
 * target's parameters, the file last, with no Shopify header. */
static void
upload_variables (BulkWrite  *bw,
                  JsonObject *target)
{
  const char *url = _tdm_shopify_string (target, "url");
  JsonArray *params = _tdm_shopify_array (target, "parameters");
  g_autoptr(SoupMultipart) form = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) file = NULL;
  g_autoptr(GError) error = NULL;

  if (url == NULL || !tdm_http_check_url (url, &error))
    {
      chunk_done (bw, error != NULL ? error->message : "no upload address");
      return;
    }
  form = soup_multipart_new (SOUP_FORM_MIME_TYPE_MULTIPART);
  for (guint i = 0; params != NULL && i < json_array_get_length (params); i++)
    {
      JsonObject *param = _tdm_shopify_element (params, i);
      const char *name = _tdm_shopify_string (param, "name");
      const char *value = _tdm_shopify_string (param, "value");

      if (name == NULL || value == NULL)
        continue;
      if (g_str_equal (name, "key"))
        {
          g_free (bw->path);
          bw->path = g_strdup (value);
        }
      soup_multipart_append_form_string (form, name, value);
    }
  if (bw->path == NULL)
    {
      chunk_done (bw, "the staged target has no key");
      return;
    }
  file = chunk_jsonl (bw->chunk);
  soup_multipart_append_form_file (form, "file", "tandem-bulk-variables.jsonl", "text/jsonl",
                                   file);
  msg = soup_message_new_from_multipart (url, form);
  g_debug ("bulk %s: uploading %u lines (%" G_GSIZE_FORMAT " bytes)",
           ((Parked *) g_ptr_array_index (bw->chunk, 0))->operation, bw->chunk->len,
           g_bytes_get_size (file));
  soup_session_send_and_read_async (tdm_shopify_client_get_session (bw->self->client), msg,
                                    G_PRIORITY_DEFAULT, g_task_get_cancellable (bw->task),
                                    on_upload_cb, g_object_ref (bw->task));
}

static void
on_staged_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BulkWrite *bw = g_task_get_task_data (task);
  JsonObject *payload = NULL;
  g_autoptr(JsonObject) data = finish_step (bw, source, result, "stagedUploadsCreate", &payload);
  JsonArray *targets;

  if (data == NULL)
    return;
  targets = _tdm_shopify_array (payload, "stagedTargets");
  if (targets == NULL || json_array_get_length (targets) != 1)
    {
      chunk_done (bw, "no staged upload target");
      return;
    }
  upload_variables (bw, _tdm_shopify_element (targets, 0));
}

/* Asks for a staged target for the chunk's variables. */
static void
stage_chunk (BulkWrite *bw)
{
  g_autoptr(JsonObject) vars = json_object_new ();
  JsonArray *inputs = json_array_new ();
  JsonObject *input = json_object_new ();

  g_assert (bw->chunk != NULL && bw->chunk->len > 0);

  json_object_set_string_member (input, "resource", "BULK_MUTATION_VARIABLES");
  json_object_set_string_member (input, "filename", "tandem-bulk-variables.jsonl");
  json_object_set_string_member (input, "mimeType", "text/jsonl");
  json_object_set_string_member (input, "httpMethod", "POST");
  json_array_add_object_element (inputs, input);
  json_object_set_array_member (vars, "input", inputs);
  send_step (bw, "StagedUploadsCreate", vars, 10, on_staged_cb);
}

/* ---- Rounds ---- */

/* Splits one operation's parked mutations into files Shopify takes. */
static void
queue_chunks (BulkWrite *bw,
              GPtrArray *group)
{
  GPtrArray *chunk = NULL;
  gsize bytes = 0;

  for (guint i = 0; i < group->len; i++)
    {
      Parked *p = g_ptr_array_index (group, i);
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), p->variables);
      g_autofree char *line = json_to_string (node, FALSE);
      gsize size = strlen (line) + 1;

      if (chunk != NULL && bytes + size > BULK_FILE_MAX_BYTES)
        {
          g_queue_push_tail (&bw->chunks, chunk);
          chunk = NULL;
        }
      if (chunk == NULL)
        {
          chunk = g_ptr_array_new_with_free_func ((GDestroyNotify) parked_free);
          bytes = 0;
        }
      g_ptr_array_add (chunk, p);
      bytes += size;
    }
  if (chunk != NULL)
    g_queue_push_tail (&bw->chunks, chunk);
}

/* Sends the next bulk mutation of the round; after the last one, the
 * writes answered go on to their next steps. */
static void
round_next_chunk (BulkWrite *bw)
{
  g_assert (bw->chunk == NULL);

  bw->chunk = g_queue_pop_head (&bw->chunks);
  if (bw->chunk == NULL)
    {
      bulk_write_check (bw);
      return;
    }
  stage_chunk (bw);
}

/* The parked mutations, by operation: in bulk in the first round and
 * wherever there are many; the rest one at a time. */
static void
start_round (BulkWrite *bw)
{
  g_autoptr(GPtrArray) parked = g_steal_pointer (&bw->parked);
  g_autoptr(GHashTable) groups = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                        (GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GPtrArray) order = g_ptr_array_new ();
  gboolean all_in_bulk = !bw->first_round_done;

  g_assert (bw->chunk == NULL && g_queue_is_empty (&bw->chunks));

  bw->parked = g_ptr_array_new_with_free_func ((GDestroyNotify) parked_free);
  bw->first_round_done = TRUE;
  g_ptr_array_set_free_func (parked, NULL);
  for (guint i = 0; i < parked->len; i++)
    {
      Parked *p = g_ptr_array_index (parked, i);
      GPtrArray *group = g_hash_table_lookup (groups, p->operation);

      if (group == NULL)
        {
          group = g_ptr_array_new ();
          g_hash_table_insert (groups, p->operation, group);
          g_ptr_array_add (order, group);
        }
      g_ptr_array_add (group, p);
    }
  for (guint i = 0; i < order->len; i++)
    {
      GPtrArray *group = g_ptr_array_index (order, i);

      if (all_in_bulk || group->len > TDM_BATCH_MIN_WRITES)
        {
          queue_chunks (bw, group);
          continue;
        }
      for (guint j = 0; j < group->len; j++)
        {
          Parked *p = g_ptr_array_index (group, j);

          send_alone (bw, p);
          parked_free (p);
        }
    }
  round_next_chunk (bw);
}

/* Once no write of the batch is busy: the next round, or the end. */
static void
bulk_write_check (BulkWrite *bw)
{
  g_autoptr(GTask) task = NULL;

  if (bw->running > 0 || bw->chunk != NULL)
    return;
  if (bw->parked->len > 0)
    {
      start_round (bw);
      return;
    }
  if (bw->pending > 0)
    return;
  /* Every write is done. */
  task = g_steal_pointer (&bw->task);
  bw->self->bulk_write = NULL;
  g_task_return_boolean (task, TRUE);
}

/* ---- The writes of a batch ---- */

static void
on_item_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Item *item = user_data;
  BulkWrite *bw = item->bw;

  g_assert (bw->pending > 0 && bw->running > 0);

  item->callback (source, result, item->user_data);
  g_free (item);
  bw->pending--;
  bw->running--;
  bulk_write_check (bw);
}

/* A write of the batch: the same task a write of its own has, with its
 * answer going through on_item_done_cb(). */
static void
start_item (BulkWrite     *bw,
            TdmBatchWrite *write)
{
  TdmShopifyConnector *self = bw->self;
  Item *item = g_new0 (Item, 1);
  g_autoptr(GTask) task = NULL;

  g_assert (write != NULL && write->callback != NULL);

  item->bw = bw;
  item->callback = write->callback;
  item->user_data = write->user_data;
  task = g_task_new (self, g_task_get_cancellable (bw->task), on_item_done_cb, item);
  g_task_set_source_tag (task, write->create ? (gpointer) _tdm_shopify_connector_create_async
                                             : (gpointer) _tdm_shopify_connector_update_async);
  g_object_set_data (G_OBJECT (task), BULK_ITEM_KEY, bw);
  bw->pending++;
  bw->running++;
  if (_tdm_shopify_write_prepare (self, task, bw->kind, write->create, write->id, write->fields,
                                  write->op_id, write->twin_id))
    _tdm_shopify_ensure_definitions (task);
}

/* Starts every write as a write of its own would start; none is sent
 * before all of them wait in a parked mutation. */
static void
start_items (BulkWrite *bw,
             GPtrArray *writes)
{
  bw->running++;
  for (guint i = 0; i < writes->len; i++)
    start_item (bw, g_ptr_array_index (writes, i));
  bw->running--;
  bulk_write_check (bw);
}

/* The writes of a batch of products, while the location is read. */
typedef struct {
  GTask     *task;      /* the batch's */
  GPtrArray *writes;
} Starting;

static void
on_location_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Starting *starting = user_data;
  g_autoptr(GTask) task = g_steal_pointer (&starting->task);
  g_autoptr(GPtrArray) writes = g_steal_pointer (&starting->writes);
  BulkWrite *bw = g_task_get_task_data (task);
  g_autoptr(JsonObject) data = tdm_shopify_client_execute_finish (TDM_SHOPIFY_CLIENT (source),
                                                                  result, NULL);
  const char *chosen = data != NULL ? _tdm_shopify_location_choose (data) : NULL;

  g_assert (bw != NULL);

  g_free (starting);
  /* Without an answer each product asks for it again, as a write of its own. */
  if (chosen != NULL && bw->self->location_id == NULL)
    bw->self->location_id = g_strdup (chosen);
  start_items (bw, writes);
}

gboolean
_tdm_shopify_connector_can_write_batch (TdmConnector *conn,
                                        TdmKind       kind)
{
  /* Orders are never written in bulk: orderCreate is no upsert, so a
   * create sent again must first be looked up with orderByIdentifier, one
   * order at a time, and a bulk mutation cannot do that check; a create
   * it ran whose answer was lost would be made twice (docs/shopify.md §
   * Orders, § Bulk mutations). */
  return kind == TDM_KIND_CUSTOMER || kind == TDM_KIND_PRODUCT;
}

void
_tdm_shopify_connector_write_batch_async (TdmConnector        *conn,
                                          TdmKind              kind,
                                          GPtrArray           *writes,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  TdmShopifyConnector *self = TDM_SHOPIFY_CONNECTOR (conn);
  g_autoptr(GTask) task = g_task_new (conn, cancellable, callback, user_data);
  BulkWrite *bw;

  g_task_set_source_tag (task, _tdm_shopify_connector_write_batch_async);
  /* Once started, a batch answers every write (a cancelled one with its
   * own error) and is then done, cancelled or not. */
  g_task_set_check_cancellable (task, FALSE);
  if (!_tdm_shopify_connector_can_write_batch (conn, kind) || self->bulk_write != NULL
      || writes->len == 0)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "%s",
                               _("Shopify cannot take these records in one bulk mutation."));
      return;
    }
  bw = g_new0 (BulkWrite, 1);
  bw->self = self;
  bw->task = g_object_ref (task);
  bw->kind = kind;
  bw->parked = g_ptr_array_new_with_free_func ((GDestroyNotify) parked_free);
  g_queue_init (&bw->chunks);
  g_task_set_task_data (task, bw, (GDestroyNotify) bulk_write_free);
  self->bulk_write = bw;
  g_debug ("bulk write of %u %s", writes->len, tdm_kind_display_plural (kind));

  /* Products write their stock at the shop's location: learn it once
   * first, not once for each product answered in the same second. */
  if (kind == TDM_KIND_PRODUCT && self->location_id == NULL)
    {
      Starting *starting = g_new0 (Starting, 1);

      starting->task = g_steal_pointer (&task);
      starting->writes = g_ptr_array_ref (writes);
      tdm_shopify_client_execute_async (self->client, "Locations", NULL, 5, 0, cancellable,
                                        on_location_cb, starting);
      return;
    }
  start_items (bw, writes);
}

gboolean
_tdm_shopify_connector_write_batch_finish (TdmConnector  *conn,
                                           GAsyncResult  *result,
                                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, conn), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
