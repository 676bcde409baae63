/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-fake-shopify"

#include "config.h"
#include "tdm-fake-shopify-private.h"

#include <string.h>

/* The request log: every request with its document, variables and answer,
 * for the tests' assertions and, as JSON lines, for the contract test
 * (docs/testing.md, Contract test). */

void
_tdm_fake_shopify_request_free (gpointer data)
{
  TdmFakeShopifyRequest *req = data;

  g_free (req->path);
  g_free (req->operation);
  g_free (req->query);
  g_free (req->variables);
  g_free (req->response);
  g_free (req->body);
  g_free (req);
}

TdmFakeShopifyRequest *
_tdm_fake_shopify_log_request (TdmFakeShopify *self,
                               const char     *path,
                               const char     *operation,
                               const char     *query,
                               const char     *variables)
{
  TdmFakeShopifyRequest *req = g_new0 (TdmFakeShopifyRequest, 1);

  g_assert (TDM_IS_FAKE_SHOPIFY (self));

  req->path = g_strdup (path);
  req->operation = g_strdup (operation);
  req->query = g_strdup (query);
  req->variables = g_strdup (variables ? variables : "{}");
  req->actual_cost = -1;
  if (self->logging)
    g_ptr_array_add (self->log, req);
  return req;
}

void
_tdm_fake_shopify_finish_log (TdmFakeShopify        *self,
                              TdmFakeShopifyRequest *req,
                              guint                  status,
                              const char            *body)
{
  g_assert (TDM_IS_FAKE_SHOPIFY (self));
  g_assert (req != NULL);

  req->status = status;
  g_free (req->response);
  req->response = g_strdup (body);
  if (!self->logging)
    _tdm_fake_shopify_request_free (req);
}

/* ---- Public API ---- */

GPtrArray *
tdm_fake_shopify_get_request_log (TdmFakeShopify *self)
{
  g_return_val_if_fail (TDM_IS_FAKE_SHOPIFY (self), NULL);

  return self->log;
}

void
tdm_fake_shopify_clear_log (TdmFakeShopify *self)
{
  g_return_if_fail (TDM_IS_FAKE_SHOPIFY (self));

  g_ptr_array_set_size (self->log, 0);
}

void
tdm_fake_shopify_set_logging (TdmFakeShopify *self,
                              gboolean        enabled)
{
  g_return_if_fail (TDM_IS_FAKE_SHOPIFY (self));

  self->logging = enabled;
}

/* Adds `json` parsed as a value, or null when it is NULL or no JSON. */
static void
add_json_value (JsonBuilder *b,
                JsonParser  *parser,
                const char  *json)
{
  if (json != NULL && json_parser_load_from_data (parser, json, -1, NULL))
    json_builder_add_value (b, json_node_copy (json_parser_get_root (parser)));
  else
    json_builder_add_null_value (b);
}

/* One GraphQL request as the contract test reads it. */
static char *
request_to_json_line (TdmFakeShopifyRequest *req)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonNode) root = NULL;

  g_assert (req->operation != NULL && req->query != NULL);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "operation");
  json_builder_add_string_value (b, req->operation);
  json_builder_set_member_name (b, "query");
  json_builder_add_string_value (b, req->query);
  json_builder_set_member_name (b, "variables");
  add_json_value (b, parser, req->variables);
  json_builder_set_member_name (b, "status");
  json_builder_add_int_value (b, req->status);
  json_builder_set_member_name (b, "throttled");
  json_builder_add_boolean_value (b, req->throttled);
  json_builder_set_member_name (b, "response");
  add_json_value (b, parser, req->response);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  return _tdm_fake_shopify_to_json (root);
}

gboolean
tdm_fake_shopify_write_log (TdmFakeShopify  *self,
                            const char      *path,
                            GError         **error)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileOutputStream) out = NULL;

  g_return_val_if_fail (TDM_IS_FAKE_SHOPIFY (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  file = g_file_new_for_path (path);
  out = g_file_append_to (file, G_FILE_CREATE_NONE, NULL, error);
  if (out == NULL)
    return FALSE;
  for (guint i = 0; i < self->log->len; i++)
    {
      TdmFakeShopifyRequest *req = self->log->pdata[i];
      g_autofree char *line = NULL;

      if (req->operation == NULL || req->query == NULL)
        continue;
      line = request_to_json_line (req);
      if (!g_output_stream_write_all (G_OUTPUT_STREAM (out), line, strlen (line), NULL, NULL, error)
          || !g_output_stream_write_all (G_OUTPUT_STREAM (out), "\n", 1, NULL, NULL, error))
        return FALSE;
    }
  return g_output_stream_close (G_OUTPUT_STREAM (out), NULL, error);
}

guint
tdm_fake_shopify_count_requests (TdmFakeShopify *self,
                                 const char     *operation)
{
  guint n = 0;

  g_return_val_if_fail (TDM_IS_FAKE_SHOPIFY (self), 0);

  for (guint i = 0; i < self->log->len; i++)
    if (g_strcmp0 (((TdmFakeShopifyRequest *) self->log->pdata[i])->operation, operation) == 0)
      n++;
  return n;
}
