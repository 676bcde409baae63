/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-shopify"

#include "config.h"

#include "tdm-shopify-connector-private.h"

#include "tdm-error.h"

/* delete: a propagated delete archives a product, deletes a customer and
 * cancels an order. */

static void
on_delete_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonObject) data = _tdm_shopify_run_finish (result, task);
  TdmKind kind = GPOINTER_TO_INT (g_task_get_task_data (task));
  const char *member;
  const char *errors;
  JsonObject *payload;
  GError *error = NULL;

  g_assert (kind < TDM_N_KINDS);

  if (data == NULL)
    return;
  member = kind == TDM_KIND_PRODUCT ? "productUpdate"
           : kind == TDM_KIND_CUSTOMER ? "customerDelete" : "orderCancel";
  errors = kind == TDM_KIND_ORDER ? "orderCancelUserErrors" : "userErrors";
  payload = _tdm_shopify_object (data, member);
  if (tdm_shopify_user_errors (_tdm_shopify_array (payload, errors), kind, NULL, NULL, NULL, NULL,
                               NULL, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

void
_tdm_shopify_connector_delete_async (TdmConnector        *conn,
                                     TdmKind              kind,
                                     const char          *id,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  TdmShopifyConnector *self = TDM_SHOPIFY_CONNECTOR (conn);
  g_autoptr(GTask) task = g_task_new (conn, cancellable, callback, user_data);
  g_autoptr(JsonObject) vars = json_object_new ();

  g_task_set_source_tag (task, _tdm_shopify_connector_delete_async);
  g_task_set_task_data (task, GINT_TO_POINTER (kind), NULL);
  switch (kind)
    {
    case TDM_KIND_PRODUCT:
      json_object_set_string_member (vars, "id", id);
      _tdm_shopify_run (self, "ProductArchive", vars, 10, 0, g_steal_pointer (&task),
                        on_delete_cb);
      break;
    case TDM_KIND_CUSTOMER:
      json_object_set_string_member (vars, "id", id);
      _tdm_shopify_run (self, "CustomerDelete", vars, 10, 0, g_steal_pointer (&task),
                        on_delete_cb);
      break;
    case TDM_KIND_ORDER:
    default:
      json_object_set_string_member (vars, "orderId", id);
      json_object_set_boolean_member (vars, "restock", FALSE);
      json_object_set_string_member (vars, "reason", "OTHER");
      _tdm_shopify_run (self, "OrderCancel", vars, 10, 0, g_steal_pointer (&task), on_delete_cb);
      break;
    }
}

gboolean
_tdm_shopify_connector_delete_finish (TdmConnector  *conn,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, conn), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
