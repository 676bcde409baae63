/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-shopify"

#include "config.h"

#include "tdm-shopify-connector-private.h"


/* list_ids: every id of a kind, for a full reconciliation. */

typedef struct {
  TdmKind    kind;
  GPtrArray *ids;
} IdsOp;

static void
ids_op_free (gpointer data)
{
  IdsOp *op = data;

  g_clear_pointer (&op->ids, g_ptr_array_unref);
  g_free (op);
}

static void ids_next (GTask *task, const char *after);

static void
on_ids_page_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  IdsOp *op = g_task_get_task_data (task);
  g_autoptr(JsonObject) data = _tdm_shopify_run_finish (result, task);
  g_autofree char *member = NULL;
  JsonObject *conn;
  JsonArray *nodes;
  JsonObject *info;

  g_assert (op != NULL && op->ids != NULL);

  if (data == NULL)
    return;
  member = _tdm_shopify_member_name (op->kind, "");
  conn = _tdm_shopify_object (data, member);
  nodes = _tdm_shopify_array (conn, "nodes");
  info = _tdm_shopify_object (conn, "pageInfo");
  for (guint i = 0; nodes != NULL && i < json_array_get_length (nodes); i++)
    {
      const char *id = _tdm_shopify_string (_tdm_shopify_element (nodes, i), "id");

      if (id != NULL)
        g_ptr_array_add (op->ids, g_strdup (id));
    }
  if (_tdm_shopify_next_page_cursor (info) != NULL)
    {
      ids_next (task, _tdm_shopify_next_page_cursor (info));
      return;
    }
  g_task_return_pointer (task, g_steal_pointer (&op->ids), (GDestroyNotify) g_ptr_array_unref);
}

/* Reads the page of ids after `after` (NULL: the first). */
static void
ids_next (GTask      *task,
          const char *after)
{
  TdmShopifyConnector *self = g_task_get_source_object (task);
  IdsOp *op = g_task_get_task_data (task);
  g_autoptr(JsonObject) vars = json_object_new ();
  g_autofree char *operation = _tdm_shopify_op_name (op->kind, "Ids");

  g_assert (op != NULL && op->ids != NULL);

  json_object_set_int_member (vars, "first", IDS_PAGE);
  if (after != NULL)
    json_object_set_string_member (vars, "after", after);
  else
    json_object_set_null_member (vars, "after");
  _tdm_shopify_run (self, operation, vars, 2 + IDS_PAGE, 0, g_object_ref (task), on_ids_page_cb);
}

void
_tdm_shopify_connector_list_ids_async (TdmConnector        *conn,
                                       TdmKind              kind,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (conn, cancellable, callback, user_data);
  IdsOp *op = g_new0 (IdsOp, 1);

  g_task_set_source_tag (task, _tdm_shopify_connector_list_ids_async);
  op->kind = kind;
  op->ids = g_ptr_array_new_with_free_func (g_free);
  g_task_set_task_data (task, op, ids_op_free);
  ids_next (task, NULL);
}

GPtrArray *
_tdm_shopify_connector_list_ids_finish (TdmConnector  *conn,
                                        GAsyncResult  *result,
                                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, conn), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
