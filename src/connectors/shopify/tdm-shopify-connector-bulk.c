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

/* Bulk exports (docs/shopify.md § Bulk operations): started for a first
 * load above the bulk threshold, polled until done, then the JSONL file is
 * streamed and joined into records a page at a time; the stream stays open
 * between list_changed pages, and a "bulk:<id>|<consumed>" cursor downloads
 * it again after a restart. */

void
_tdm_shopify_bulk_clear (TdmShopifyConnector *self)
{
  g_assert (TDM_IS_SHOPIFY_CONNECTOR (self));

  g_clear_pointer (&self->bulk.id, g_free);
  g_clear_object (&self->bulk.lines);
  g_clear_pointer (&self->bulk.joiner, tdm_shopify_bulk_joiner_free);
  self->bulk.consumed = 0;
}

/* ---- Reading the export ---- */

static void bulk_read_next (GTask *task);

/* Returns op->page; unless `finished`, its cursor names the export and the
 * records handed out so far. */
static void
bulk_return_page (GTask   *task,
                  gboolean finished)
{
  TdmShopifyConnector *self = g_task_get_source_object (task);
  ListOp *op = g_task_get_task_data (task);
  TdmPage *page = g_steal_pointer (&op->page);

  g_assert (page != NULL);

  page->total = op->total;
  if (finished)
    _tdm_shopify_bulk_clear (self);
  else
    page->next_cursor = g_strdup_printf ("bulk:%s|%" G_GUINT64_FORMAT, self->bulk.id,
                                         self->bulk.consumed);
  self->last_was_bulk = TRUE;
  g_task_return_pointer (task, page, (GDestroyNotify) tdm_page_free);
}

static void
bulk_take_root (GTask      *task,
                JsonObject *node)
{
  TdmShopifyConnector *self = g_task_get_source_object (task);
  ListOp *op = g_task_get_task_data (task);

  g_assert (op != NULL && op->page != NULL);
  g_assert (node != NULL);

  if (op->skip > 0)
    {
      op->skip--;
      return;
    }
  self->bulk.consumed++;
  _tdm_shopify_page_add (self, op->page, op->kind, node);
}

static void
on_bulk_line_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TdmShopifyConnector *self = g_task_get_source_object (task);
  ListOp *op = g_task_get_task_data (task);
  GError *error = NULL;
  gsize length = 0;
  g_autofree char *line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source),
                                                                     result, &length, &error);
  g_autoptr(JsonObject) done = NULL;

  g_assert (op != NULL && op->page != NULL);

  if (error != NULL)
    {
      _tdm_shopify_bulk_clear (self);
      g_task_return_error (task, error);
      return;
    }
  if (line == NULL)
    {
      g_autoptr(JsonObject) last = tdm_shopify_bulk_joiner_finish (self->bulk.joiner);

      if (last != NULL)
        bulk_take_root (task, last);
      bulk_return_page (task, TRUE);
      return;
    }

  done = tdm_shopify_bulk_joiner_push (self->bulk.joiner, line, &error);
  if (error != NULL)
    {
      _tdm_shopify_bulk_clear (self);
      g_prefix_error (&error, "%s", _("Reading Shopify’s bulk export failed: "));
      g_task_return_error (task, error);
      return;
    }
  if (done != NULL)
    {
      bulk_take_root (task, done);
      /* A page is full: the root just started stays in the joiner. */
      if (op->page->records->len >= BULK_PAGE)
        {
          bulk_return_page (task, FALSE);
          return;
        }
    }
  bulk_read_next (task);
}

static void
bulk_read_next (GTask *task)
{
  TdmShopifyConnector *self = g_task_get_source_object (task);

  g_assert (self->bulk.lines != NULL && self->bulk.joiner != NULL);

  g_data_input_stream_read_line_async (self->bulk.lines, G_PRIORITY_DEFAULT,
                                       g_task_get_cancellable (task), on_bulk_line_cb,
                                       g_object_ref (task));
}

/* Keeps the downloaded export open between pages, its lines limited in
 * length (an endless line would otherwise be buffered until memory runs
 * out). */
static void
bulk_open_stream (TdmShopifyConnector *self,
                  ListOp              *op,
                  GInputStream        *stream,
                  SoupMessage         *msg)
{
  g_autoptr(GInputStream) limited = NULL;

  g_assert (op != NULL && op->bulk_id != NULL);
  g_assert (G_IS_INPUT_STREAM (stream));

  _tdm_shopify_bulk_clear (self);
  self->bulk.kind = op->kind;
  self->bulk.id = g_strdup (op->bulk_id);
  limited = tdm_http_line_limit_stream_new (stream, TDM_HTTP_MAX_LINE_BYTES,
                                            g_uri_get_host (soup_message_get_uri (msg)));
  self->bulk.lines = g_data_input_stream_new (limited);
  self->bulk.joiner = tdm_shopify_bulk_joiner_new (op->kind);
  self->bulk.consumed = op->skip;
}

static void
on_bulk_download_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TdmShopifyConnector *self = g_task_get_source_object (task);
  ListOp *op = g_task_get_task_data (task);
  GError *error = NULL;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GInputStream) stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);

  g_assert (op != NULL);

  if (stream == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (!SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (msg)))
    {
      g_task_return_new_error (task, TDM_SYNC_ERROR, TDM_SYNC_ERROR_SERVER,
                               _("Downloading Shopify’s bulk export failed (HTTP %u). The next "
                                 "sync starts it again."), soup_message_get_status (msg));
      return;
    }
  bulk_open_stream (self, op, stream, msg);
  bulk_read_next (task);
}

/* ---- Running the export ---- */

static void bulk_poll (GTask *task);

static gboolean
on_bulk_poll_timeout_cb (gpointer user_data)
{
  g_autoptr(GTask) task = user_data;

  bulk_poll (task);
  return G_SOURCE_REMOVE;
}

/* Downloads the finished export at `url`, or returns an empty page when
 * nothing matched (no file). */
static void
bulk_download (GTask      *task,
               const char *url)
{
  TdmShopifyConnector *self = g_task_get_source_object (task);
  g_autoptr(SoupMessage) msg = NULL;
  GError *error = NULL;

  if (url == NULL)
    {
      /* Nothing matched: an empty export. */
      bulk_return_page (task, TRUE);
      return;
    }
  if (!tdm_http_check_url (url, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  msg = soup_message_new (SOUP_METHOD_GET, url);
  soup_session_send_async (tdm_shopify_client_get_session (self->client), msg, G_PRIORITY_DEFAULT,
                           g_task_get_cancellable (task), on_bulk_download_cb,
                           g_object_ref (task));
}

static void
on_bulk_poll_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TdmShopifyConnector *self = g_task_get_source_object (task);
  ListOp *op = g_task_get_task_data (task);
  g_autoptr(JsonObject) data = _tdm_shopify_run_finish (result, task);
  JsonObject *bulk;
  const char *status;
  const char *code;

  g_assert (op != NULL);

  if (data == NULL)
    return;
  bulk = _tdm_shopify_object (data, "bulkOperation");
  status = _tdm_shopify_string (bulk, "status");
  if (g_strcmp0 (status, "CREATED") == 0 || g_strcmp0 (status, "RUNNING") == 0)
    {
      g_timeout_add (self->poll_ms, on_bulk_poll_timeout_cb, g_steal_pointer (&task));
      return;
    }
  if (g_strcmp0 (status, "COMPLETED") != 0)
    {
      code = _tdm_shopify_string (bulk, "errorCode");
      g_task_return_new_error (task, TDM_SYNC_ERROR, TDM_SYNC_ERROR_SERVER,
                               _("Shopify’s bulk export of %s ended with status %s (%s). The next "
                                 "sync starts it again."),
                               tdm_kind_display_plural (op->kind), status ? status : "?",
                               code ? code : "-");
      return;
    }
  bulk_download (task, _tdm_shopify_string (bulk, "url"));
}

static void
bulk_poll (GTask *task)
{
  TdmShopifyConnector *self = g_task_get_source_object (task);
  ListOp *op = g_task_get_task_data (task);
  g_autoptr(JsonObject) vars = json_object_new ();

  g_assert (op != NULL && op->bulk_id != NULL);

  json_object_set_string_member (vars, "id", op->bulk_id);
  _tdm_shopify_run (self, "BulkPoll", vars, 1, 0, g_object_ref (task), on_bulk_poll_cb);
}

static void
on_bulk_run_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ListOp *op = g_task_get_task_data (task);
  g_autoptr(JsonObject) data = _tdm_shopify_run_finish (result, task);
  JsonObject *payload;
  GError *error = NULL;
  const char *id;

  g_assert (op != NULL);

  if (data == NULL)
    return;
  payload = _tdm_shopify_object (data, "bulkOperationRunQuery");
  if (tdm_shopify_user_errors (_tdm_shopify_array (payload, "userErrors"), op->kind, NULL, NULL,
                               NULL, NULL, NULL, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  id = _tdm_shopify_string (_tdm_shopify_object (payload, "bulkOperation"), "id");
  if (id == NULL)
    {
      g_task_return_new_error (task, TDM_SYNC_ERROR, TDM_SYNC_ERROR_INVALID_RESPONSE,
                               _("Shopify did not start the bulk export."));
      return;
    }
  op->bulk_id = g_strdup (id);
  op->page = _tdm_shopify_page_new ();
  bulk_poll (task);
}

void
_tdm_shopify_bulk_start (GTask *task)
{
  TdmShopifyConnector *self = g_task_get_source_object (task);
  ListOp *op = g_task_get_task_data (task);
  g_autoptr(JsonObject) vars = json_object_new ();
  g_autofree char *doc_name = _tdm_shopify_plural_op_name (op->kind, "");
  g_autofree char *bulk_name = g_strconcat ("Bulk", doc_name, NULL);
  GError *error = NULL;
  g_autofree char *doc = tdm_shopify_client_get_document (bulk_name, &error);

  g_assert (G_IS_TASK (task));

  if (doc == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  _tdm_shopify_bulk_clear (self);
  json_object_set_string_member (vars, "query", doc);
  _tdm_shopify_run (self, "BulkRun", vars, 10, 0, g_object_ref (task), on_bulk_run_cb);
}

void
_tdm_shopify_bulk_resume (GTask      *task,
                          const char *cursor)
{
  TdmShopifyConnector *self = g_task_get_source_object (task);
  ListOp *op = g_task_get_task_data (task);
  const char *rest;
  const char *bar;
  guint64 consumed;

  g_assert (op != NULL && op->bulk_id == NULL && op->page == NULL);
  g_assert (g_str_has_prefix (cursor, "bulk:"));

  rest = cursor + strlen ("bulk:");
  bar = strrchr (rest, '|');
  consumed = bar ? g_ascii_strtoull (bar + 1, NULL, 10) : 0;
  op->bulk_id = bar ? g_strndup (rest, bar - rest) : g_strdup (rest);
  op->page = _tdm_shopify_page_new ();
  if (self->bulk.id != NULL && g_strcmp0 (self->bulk.id, op->bulk_id) == 0
      && self->bulk.kind == op->kind && self->bulk.consumed == consumed && self->bulk.lines != NULL)
    {
      bulk_read_next (task);
      return;
    }
  /* The stream is gone (restart): download again and skip what was handed out. */
  op->skip = consumed;
  bulk_poll (task);
}
