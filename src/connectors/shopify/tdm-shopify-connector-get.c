/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-shopify"

#include "config.h"

#include "tdm-shopify-connector-private.h"

#include <glib/gi18n-lib.h>

#include "tdm-error.h"

/* get and find_created: one record by its GID, or by the webshop id it was
 * created from (the custom id, docs/shopify.md § Upserts by custom id). */

typedef struct {
  TdmKind     kind;
  gboolean    allow_null;   /* find_created: NULL without error */
  char       *id;
  JsonObject *node;         /* products: while the rest of the variants is read */
} GetOp;

static void
get_op_free (gpointer data)
{
  GetOp *op = data;

  g_free (op->id);
  g_clear_pointer (&op->node, json_object_unref);
  g_free (op);
}

/* Returns the record read, checked as a listing checks it: unreadable text
 * refuses it; a value the mapping cannot use returns it with its problem
 * attached to the task, so the engine keeps it in error (docs/sync.md). The
 * record error is attached before the task returns: its callback may run
 * at once. */
static void
get_return_node (GTask      *task,
                 JsonObject *node)
{
  TdmShopifyConnector *self = g_task_get_source_object (task);
  GetOp *op = g_task_get_task_data (task);
  g_autoptr(GPtrArray) problems = NULL;
  TdmRecordError *unreadable;
  TdmRecord *record;

  g_assert (op != NULL);
  g_assert (node != NULL);

  unreadable = _tdm_shopify_unreadable_node_error (self, op->kind, node);
  if (unreadable != NULL)
    {
      g_autofree char *message = g_strdup (unreadable->message);

      _tdm_connector_attach_record_error (G_ASYNC_RESULT (task), unreadable);
      g_task_return_new_error (task, TDM_SYNC_ERROR, TDM_SYNC_ERROR_VALIDATION, "%s", message);
      return;
    }
  problems = g_ptr_array_new_with_free_func ((GDestroyNotify) tdm_record_error_free);
  record = _tdm_shopify_record_from_node (self, op->kind, node, problems);
  if (problems->len > 0 && !op->allow_null)
    _tdm_connector_attach_record_error (G_ASYNC_RESULT (task),
                                        g_ptr_array_steal_index (problems, 0));
  g_task_return_pointer (task, record, (GDestroyNotify) tdm_record_unref);
}

static void
on_get_variants_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TdmShopifyConnector *self = g_task_get_source_object (task);
  GetOp *op = g_task_get_task_data (task);
  GError *error = NULL;

  g_assert (op != NULL && op->node != NULL);

  if (!_tdm_shopify_read_variants_finish (self, result, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  get_return_node (task, op->node);
}

static void
on_get_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TdmShopifyConnector *self = g_task_get_source_object (task);
  GetOp *op = g_task_get_task_data (task);
  g_autoptr(JsonObject) data = _tdm_shopify_run_finish (result, task);
  JsonObject *node = NULL;
  JsonObjectIter iter;
  const char *member;
  JsonNode *value;

  g_assert (op != NULL);

  if (data == NULL)
    return;
  json_object_iter_init (&iter, data);
  while (json_object_iter_next (&iter, &member, &value))
    if (JSON_NODE_HOLDS_OBJECT (value))
      node = json_node_get_object (value);

  if (node == NULL)
    {
      if (op->allow_null)
        g_task_return_pointer (task, NULL, NULL);
      else
        g_task_return_new_error (task, TDM_SYNC_ERROR, TDM_SYNC_ERROR_NOT_FOUND,
                                 _("The %s %s no longer exists in Shopify."),
                                 tdm_kind_display_name (op->kind), op->id);
      return;
    }
  if (op->kind == TDM_KIND_PRODUCT && !_tdm_shopify_variants_complete (node))
    {
      op->node = json_object_ref (node);
      _tdm_shopify_read_variants_async (self, op->node, g_task_get_cancellable (task),
                                        on_get_variants_cb, g_object_ref (task));
      return;
    }
  get_return_node (task, node);
}

/* Reads the record of `kind` with GID `id`, or created from the webshop
 * record `id` (by_custom_id). */
static void
get_node (TdmShopifyConnector *self,
          TdmKind              kind,
          const char          *id,
          gboolean             by_custom_id,
          GTask               *task)
{
  g_autoptr(JsonObject) vars = json_object_new ();
  g_autofree char *operation = _tdm_shopify_op_name (kind, by_custom_id ? "ByIdentifier" : "Get");
  GetOp *op = g_new0 (GetOp, 1);

  g_assert (G_IS_TASK (task));

  op->kind = kind;
  op->allow_null = by_custom_id;
  op->id = g_strdup (id);
  g_task_set_task_data (task, op, get_op_free);
  json_object_set_string_member (vars, by_custom_id ? "value" : "id", id);
  if (kind == TDM_KIND_PRODUCT)
    json_object_set_int_member (vars, "variantsFirst", VARIANTS_FIRST);
  _tdm_shopify_run (self, operation, vars, self->node_cost[kind] + 1, 0, g_object_ref (task),
                    on_get_cb);
}

void
_tdm_shopify_connector_get_async (TdmConnector        *conn,
                                  TdmKind              kind,
                                  const char          *id,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (conn, cancellable, callback, user_data);

  g_task_set_source_tag (task, _tdm_shopify_connector_get_async);
  get_node (TDM_SHOPIFY_CONNECTOR (conn), kind, id, FALSE, task);
}

TdmRecord *
_tdm_shopify_connector_get_finish (TdmConnector  *conn,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, conn), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
_tdm_shopify_connector_find_created_async (TdmConnector        *conn,
                                           TdmKind              kind,
                                           const char          *op_id,
                                           const char          *twin_id,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (conn, cancellable, callback, user_data);

  g_task_set_source_tag (task, _tdm_shopify_connector_find_created_async);
  if (twin_id == NULL)
    {
      g_task_return_pointer (task, NULL, NULL);
      return;
    }
  get_node (TDM_SHOPIFY_CONNECTOR (conn), kind, twin_id, TRUE, task);
}

TdmRecord *
_tdm_shopify_connector_find_created_finish (TdmConnector  *conn,
                                            GAsyncResult  *result,
                                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, conn), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
