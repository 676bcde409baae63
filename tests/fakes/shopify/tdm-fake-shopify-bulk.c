/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-fake-shopify"

#include "config.h"
#include "tdm-fake-shopify-private.h"

#include <string.h>

/* Bulk operations: bulkOperationRunQuery takes a snapshot of one kind as
 * JSONL (each record, then its connections' nodes with __typename and
 * __parentId), the poll answers RUNNING until the configured number of
 * polls, then COMPLETED with the address of GET /bulk/<n>.jsonl
 * (docs/shopify.md, Bulk operations). Bulk mutations are made in
 * tdm-fake-shopify-bulk-mutation.c and polled and downloaded here. */

void
_tdm_fake_shopify_bulk_op_free (gpointer data)
{
  FakeBulkOp *op = data;

  g_free (op->id);
  g_clear_pointer (&op->jsonl, g_bytes_unref);
  g_free (op->operation);
  g_clear_pointer (&op->lines, g_strfreev);
  if (op->results != NULL)
    g_string_free (op->results, TRUE);
  g_clear_handle_id (&op->runner_id, g_source_remove);
  g_free (op);
}

/* ---- JSONL writer ---- */

/* A small JSON writer for bulk exports: thousands of records are written
 * into one GString without a generator, a copy or an allocation per value,
 * so a large export stays fast even in sanitizer builds. */
static void append_json_node (GString *out, JsonNode *node);

static void
append_json_string (GString    *out,
                    const char *s)
{
  g_string_append_c (out, '"');
  for (const unsigned char *p = (const unsigned char *) s; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        {
          g_string_append_c (out, '\\');
          g_string_append_c (out, (char) *p);
        }
      else if (*p < 0x20)
        g_string_append_printf (out, "\\u%04x", *p);
      else
        g_string_append_c (out, (char) *p);
    }
  g_string_append_c (out, '"');
}

typedef struct {
  GString           *out;
  const char *const *skip;
  gboolean           first;
} JsonlMembers;

static void
append_json_member (JsonObject  *object,
                    const char  *name,
                    JsonNode    *node,
                    gpointer     user_data)
{
  JsonlMembers *m = user_data;

  g_assert (m != NULL && m->out != NULL);

  if (m->skip != NULL && g_strv_contains (m->skip, name))
    return;
  if (!m->first)
    g_string_append_c (m->out, ',');
  m->first = FALSE;
  append_json_string (m->out, name);
  g_string_append_c (m->out, ':');
  append_json_node (m->out, node);
}

static void
append_json_element (JsonArray *array,
                     guint      index,
                     JsonNode  *node,
                     gpointer   user_data)
{
  GString *out = user_data;

  g_assert (out != NULL);

  if (index > 0)
    g_string_append_c (out, ',');
  append_json_node (out, node);
}

static void
append_json_value (GString  *out,
                   JsonNode *node)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
      break;
    case G_TYPE_DOUBLE:
      g_string_append (out, g_ascii_dtostr (buf, sizeof buf, json_node_get_double (node)));
      break;
    case G_TYPE_BOOLEAN:
      g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
      break;
    default:
      append_json_string (out, json_node_get_string (node));
      break;
    }
}

void
_tdm_fake_shopify_append_json (GString  *out,
                               JsonNode *node)
{
  append_json_node (out, node);
}

static void
append_json_node (GString  *out,
                  JsonNode *node)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonlMembers m = { out, NULL, TRUE };

        g_string_append_c (out, '{');
        json_object_foreach_member (json_node_get_object (node), append_json_member, &m);
        g_string_append_c (out, '}');
      }
      break;
    case JSON_NODE_ARRAY:
      g_string_append_c (out, '[');
      json_array_foreach_element (json_node_get_array (node), append_json_element, out);
      g_string_append_c (out, ']');
      break;
    case JSON_NODE_NULL:
      g_string_append (out, "null");
      break;
    case JSON_NODE_VALUE:
      append_json_value (out, node);
      break;
    default:
      g_string_append (out, "null");
      break;
    }
}

/* Writes @o as one JSON line without the members named in @skip, then
 * @extra (already JSON, starting with a comma) before the closing brace. */
static void
append_jsonl_object (GString     *out,
                     JsonObject  *o,
                     const char  *const *skip,
                     const char  *extra)
{
  JsonlMembers m = { out, skip, TRUE };

  g_string_append_c (out, '{');
  json_object_foreach_member (o, append_json_member, &m);
  if (extra != NULL)
    g_string_append (out, m.first ? extra + 1 : extra);
  g_string_append (out, "}\n");
}

/* The export of every node of `kind`; `count` gets the number of records. */
static GBytes *
bulk_jsonl (TdmFakeShopify *self,
            TdmKind         kind,
            guint64        *count)
{
  static const char *const child_conns[] = {
    "addressesV2", "variants", "lineItems", "shippingLines", NULL
  };
  static const char *const child_types[] = {
    "MailingAddress", "ProductVariant", "LineItem", "ShippingLine",
  };
  GString *out = g_string_new (NULL);

  g_assert (kind < TDM_N_KINDS);
  g_assert (count != NULL);

  *count = 0;
  for (guint i = 0; i < self->records[kind]->len; i++)
    {
      JsonObject *root = self->records[kind]->pdata[i];

      append_jsonl_object (out, root, child_conns, NULL);
      for (guint c = 0; child_conns[c] != NULL; c++)
        {
          JsonArray *nodes = get_arr (get_obj (root, child_conns[c]), "nodes");
          g_autofree char *extra = NULL;

          if (nodes == NULL)
            continue;
          extra = g_strdup_printf (",\"__typename\":\"%s\",\"__parentId\":\"%s\"",
                                   child_types[c], get_str (root, "id"));
          for (guint j = 0; j < json_array_get_length (nodes); j++)
            append_jsonl_object (out, json_array_get_object_element (nodes, j), NULL, extra);
        }
      (*count)++;
    }
  return g_string_free_to_bytes (out);
}

/* ---- Operations ---- */

/* mutation BulkRun($query): the kind is the connection the query reads. */
void
_tdm_fake_shopify_op_bulk_run (FakeCall *call)
{
  TdmFakeShopify *self = call->self;
  const char *query = get_str (call->vars, "query");
  FakeBulkOp *op;
  JsonObject *p = json_object_new ();
  JsonObject *bulk = json_object_new ();

  g_assert (fake_call_is_ready (call));

  call->actual = 10;
  op = g_new0 (FakeBulkOp, 1);
  if (query != NULL && strstr (query, "customers") != NULL)
    op->kind = TDM_KIND_CUSTOMER;
  else if (query != NULL && strstr (query, "products") != NULL)
    op->kind = TDM_KIND_PRODUCT;
  else
    op->kind = TDM_KIND_ORDER;
  op->id = _tdm_fake_shopify_new_gid (self, "BulkOperation", NULL);
  /* The export is a snapshot of the moment the operation runs. */
  op->jsonl = bulk_jsonl (self, op->kind, &op->count);
  g_ptr_array_add (self->bulk_ops, op);

  json_object_set_string_member (bulk, "id", op->id);
  json_object_set_string_member (bulk, "status", "CREATED");
  json_object_set_object_member (p, "bulkOperation", bulk);
  json_object_set_array_member (p, "userErrors", json_array_new ());
  json_object_set_object_member (call->data, "bulkOperationRunQuery", p);
}

/* query BulkPoll($id): RUNNING until the configured number of polls. */
void
_tdm_fake_shopify_op_bulk_poll (FakeCall *call)
{
  TdmFakeShopify *self = call->self;
  const char *id = get_str (call->vars, "id");
  FakeBulkOp *op = NULL;
  JsonObject *bulk;
  guint index = 0;

  g_assert (fake_call_is_ready (call));

  call->actual = 1;
  for (guint i = 0; i < self->bulk_ops->len; i++)
    if (g_strcmp0 (((FakeBulkOp *) self->bulk_ops->pdata[i])->id, id) == 0)
      {
        op = self->bulk_ops->pdata[i];
        index = i;
      }
  if (op == NULL)
    {
      json_object_set_null_member (call->data, "bulkOperation");
      return;
    }
  bulk = json_object_new ();
  json_object_set_string_member (bulk, "id", op->id);
  op->polls++;
  /* A mutation whose lines still run is RUNNING, however often polled. */
  if (op->polls < self->bulk_polls || op->runner_id != 0)
    {
      json_object_set_string_member (bulk, "status", "RUNNING");
      json_object_set_null_member (bulk, "errorCode");
      json_object_set_string_member (bulk, "objectCount", "0");
      json_object_set_null_member (bulk, "url");
    }
  else
    {
      g_autofree char *count = g_strdup_printf ("%" G_GUINT64_FORMAT, op->count);
      g_autofree char *url = g_strdup_printf ("%s/bulk/%u.jsonl", self->url, index);
      json_object_set_string_member (bulk, "status", "COMPLETED");
      json_object_set_null_member (bulk, "errorCode");
      json_object_set_string_member (bulk, "objectCount", count);
      if (op->count > 0)
        json_object_set_string_member (bulk, "url", url);
      else
        json_object_set_null_member (bulk, "url");
    }
  json_object_set_object_member (call->data, "bulkOperation", bulk);
}

/* ---- Download ---- */

void
_tdm_fake_shopify_handle_bulk_download (TdmFakeShopify    *self,
                                        SoupServerMessage *msg,
                                        const char        *path)
{
  guint index;
  FakeBulkOp *op;

  g_assert (TDM_IS_FAKE_SHOPIFY (self));
  g_assert (g_str_has_prefix (path, "/bulk/"));

  index = (guint) g_ascii_strtoull (path + strlen ("/bulk/"), NULL, 10);
  op = index < self->bulk_ops->len ? self->bulk_ops->pdata[index] : NULL;
  _tdm_fake_shopify_finish_log (self, _tdm_fake_shopify_log_request (self, path, NULL, NULL, "{}"),
                                op ? 200 : 404, NULL);
  if (op == NULL)
    {
      soup_server_message_set_status (msg, 404, NULL);
      return;
    }
  if (op->mutation)
    {
      _tdm_fake_shopify_send_bulk_result (self, msg, op);
      return;
    }
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/jsonl", SOUP_MEMORY_COPY,
                                    g_bytes_get_data (op->jsonl, NULL),
                                    g_bytes_get_size (op->jsonl));
}
