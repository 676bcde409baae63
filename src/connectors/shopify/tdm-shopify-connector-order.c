/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-shopify"

#include "config.h"

#include "tdm-shopify-connector-private.h"

#include <glib/gi18n-lib.h>

#include "tdm-error.h"

/* Order writes (docs/shopify.md § Orders): orderCreate with the SKUs
 * resolved to variants, looked up by custom id before any retry and spaced
 * on development stores; orderUpdate for the fields it takes; then
 * mark-as-paid and cancel when asked and needed. */

static void order_create_send (GTask *task);
static void order_after_write (GTask *task);

/* ---- After the write: paid and cancelled ---- */

static void
on_order_refetch_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  WriteOp *op = g_task_get_task_data (task);
  g_autoptr(JsonObject) data = _tdm_shopify_run_finish (result, task);
  JsonObject *order;

  g_assert (op != NULL && op->kind == TDM_KIND_ORDER);

  if (data == NULL)
    return;
  order = _tdm_shopify_object (data, "order");
  if (order != NULL)
    _tdm_shopify_write_set_node (op, order);
  _tdm_shopify_write_done (task);
}

static void
order_refetch (GTask *task)
{
  TdmShopifyConnector *self = g_task_get_source_object (task);
  WriteOp *op = g_task_get_task_data (task);
  g_autoptr(JsonObject) vars = json_object_new ();

  g_assert (op != NULL && op->node != NULL);

  json_object_set_string_member (vars, "id", _tdm_shopify_string (op->node, "id"));
  _tdm_shopify_run (self, "OrderGet", vars, 0, 0, g_object_ref (task), on_order_refetch_cb);
}

static void
on_order_mark_paid_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  WriteOp *op = g_task_get_task_data (task);
  g_autoptr(JsonObject) data = _tdm_shopify_run_finish (result, task);
  JsonObject *payload;

  g_assert (op != NULL && op->kind == TDM_KIND_ORDER);

  if (data == NULL)
    return;
  payload = _tdm_shopify_object (data, "orderMarkAsPaid");
  if (_tdm_shopify_write_user_errors (task, _tdm_shopify_array (payload, "userErrors")))
    return;
  if (_tdm_shopify_object (payload, "order") != NULL)
    _tdm_shopify_write_set_node (op, _tdm_shopify_object (payload, "order"));
  json_object_remove_member (op->write, "financialStatus");
  order_after_write (task);
}

static void
on_order_cancel_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  WriteOp *op = g_task_get_task_data (task);
  g_autoptr(JsonObject) data = _tdm_shopify_run_finish (result, task);
  JsonObject *payload;
  JsonArray *errors;

  g_assert (op != NULL && op->kind == TDM_KIND_ORDER);

  if (data == NULL)
    return;
  payload = _tdm_shopify_object (data, "orderCancel");
  errors = _tdm_shopify_array (payload, "orderCancelUserErrors");
  if (_tdm_shopify_write_user_errors (task, errors))
    return;
  json_object_remove_member (op->write, "cancelledAt");
  /* Cancelling runs as a job: read the order again for its new state. */
  order_refetch (task);
}

/* After the order exists: mark as paid, then cancel, when asked and needed. */
static void
order_after_write (GTask *task)
{
  TdmShopifyConnector *self = g_task_get_source_object (task);
  WriteOp *op = g_task_get_task_data (task);
  const char *cancelled;
  const char *financial;
  const char *id;

  g_assert (op != NULL && op->node != NULL && op->write != NULL);

  cancelled = _tdm_shopify_string (op->write, "cancelledAt");
  financial = _tdm_shopify_string (op->write, "financialStatus");
  id = _tdm_shopify_string (op->node, "id");
  if (!op->create && financial != NULL && g_ascii_strcasecmp (financial, "PAID") == 0
      && g_strcmp0 (_tdm_shopify_string (op->node, "displayFinancialStatus"), "PAID") != 0
      && _tdm_shopify_string (op->node, "cancelledAt") == NULL)
    {
      g_autoptr(JsonObject) vars = json_object_new ();

      json_object_set_string_member (vars, "id", id);
      _tdm_shopify_run (self, "OrderMarkAsPaid", vars, 10, 0, g_object_ref (task),
                        on_order_mark_paid_cb);
      return;
    }
  if (cancelled != NULL && *cancelled != '\0'
      && _tdm_shopify_string (op->node, "cancelledAt") == NULL)
    {
      g_autoptr(JsonObject) vars = json_object_new ();

      json_object_set_string_member (vars, "orderId", id);
      json_object_set_boolean_member (vars, "restock", FALSE);
      json_object_set_string_member (vars, "reason", "OTHER");
      _tdm_shopify_run (self, "OrderCancel", vars, 10, 0, g_object_ref (task),
                        on_order_cancel_cb);
      return;
    }
  _tdm_shopify_write_done (task);
}

/* ---- orderCreate ---- */

static void
on_order_lookup_before_retry_cb (GObject      *source,
                                 GAsyncResult *result,
                                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  WriteOp *op = g_task_get_task_data (task);
  g_autoptr(JsonObject) data = _tdm_shopify_run_finish (result, task);
  JsonObject *order;

  g_assert (op != NULL && op->create && op->twin_id != NULL);

  if (data == NULL)
    return;
  order = _tdm_shopify_object (data, "orderByIdentifier");
  if (order != NULL)
    {
      g_debug ("orderCreate: the order for %s exists after all; not creating it again",
               op->twin_id);
      _tdm_shopify_write_set_node (op, order);
      order_after_write (task);
      return;
    }
  order_create_send (task);
}

/* TRUE when orderCreate may have made the order although it failed (a
 * timeout, a reset, a server error, an unreadable answer). */
static gboolean
order_create_unclear (const GError *error)
{
  g_assert (error != NULL);

  return !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
         && !g_error_matches (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_AUTH)
         && !g_error_matches (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_RATE_LIMITED)
         && !g_error_matches (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_VALIDATION)
         && !g_error_matches (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_CONFIG);
}

/* After an unclear failure, looks the order up by custom id before trying
 * again (docs/shopify.md § Orders); else returns `error` (transfer full). */
static void
order_create_failed (GTask  *task,
                     GError *error)
{
  TdmShopifyConnector *self = g_task_get_source_object (task);
  WriteOp *op = g_task_get_task_data (task);
  g_autoptr(JsonObject) vars = NULL;

  g_assert (op != NULL);
  g_assert (error != NULL);

  if (!order_create_unclear (error) || op->twin_id == NULL
      || op->attempts >= ORDER_CREATE_ATTEMPTS)
    {
      g_task_return_error (task, error);
      return;
    }
  g_debug ("orderCreate for %s: %s; looking the order up before retrying", op->twin_id,
           error->message);
  g_error_free (error);
  vars = json_object_new ();
  json_object_set_string_member (vars, "value", op->twin_id);
  _tdm_shopify_run (self, "OrderByIdentifier", vars, 0, 0, g_object_ref (task),
                    on_order_lookup_before_retry_cb);
}

static void
on_order_create_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TdmShopifyConnector *self = g_task_get_source_object (task);
  WriteOp *op = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(JsonObject) data = tdm_shopify_client_execute_finish (self->client, result, &error);
  JsonObject *payload;
  JsonObject *order;

  g_assert (op != NULL && op->create);

  if (data == NULL)
    {
      order_create_failed (task, error);
      return;
    }
  payload = _tdm_shopify_object (data, "orderCreate");
  if (_tdm_shopify_write_user_errors (task, _tdm_shopify_array (payload, "userErrors")))
    return;
  order = _tdm_shopify_object (payload, "order");
  if (order == NULL)
    {
      _tdm_shopify_write_fail (task,
                               g_error_new_literal (TDM_SYNC_ERROR,
                                                    TDM_SYNC_ERROR_INVALID_RESPONSE,
                                                    _("Shopify did not return the order it "
                                                      "created.")),
                               NULL);
      return;
    }
  _tdm_shopify_write_set_node (op, order);
  order_after_write (task);
}

static gboolean
on_order_spacing_done_cb (gpointer user_data)
{
  g_autoptr(GTask) task = user_data;

  order_create_send (task);
  return G_SOURCE_REMOVE;
}

/* Sends orderCreate (never replayed after an unclear failure), spaced on
 * development stores. */
static void
order_create_send (GTask *task)
{
  TdmShopifyConnector *self = g_task_get_source_object (task);
  WriteOp *op = g_task_get_task_data (task);
  g_autoptr(JsonObject) vars = NULL;
  JsonObject *options;
  gint64 now = g_get_monotonic_time ();
  gint64 next = self->last_order_create + (gint64) self->order_interval_ms * 1000;

  g_assert (op != NULL && op->create && op->write != NULL);

  /* Development and trial stores take at most 5 new orders per minute. */
  if (self->dev_store && self->order_interval_ms > 0 && self->last_order_create > 0
      && now < next)
    {
      guint ms = (guint) ((next - now) / 1000);

      g_debug ("orderCreate: development store, waiting %u ms", ms + 1);
      g_timeout_add (ms + 1, on_order_spacing_done_cb, g_object_ref (task));
      return;
    }
  self->last_order_create = now;
  vars = json_object_new ();
  options = json_object_new ();

  if (op->order_input == NULL)
    op->order_input = tdm_shopify_order_create_input (op->write, op->twin_id, self->shop_currency,
                                                      self->variant_ids);
  json_object_set_object_member (vars, "order", json_object_ref (op->order_input));
  json_object_set_string_member (options, "inventoryBehaviour", "BYPASS");
  json_object_set_boolean_member (options, "sendReceipt", FALSE);
  json_object_set_boolean_member (options, "sendFulfillmentReceipt", FALSE);
  json_object_set_object_member (vars, "options", options);
  op->attempts++;
  _tdm_shopify_run (self, "OrderCreate", vars, 10, TDM_SHOPIFY_EXEC_NO_REPLAY,
                    g_object_ref (task), on_order_create_cb);
}

/* ---- SKUs to variants ---- */

static void order_resolve_next_sku (GTask *task);

static void
on_variants_by_sku_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TdmShopifyConnector *self = g_task_get_source_object (task);
  WriteOp *op = g_task_get_task_data (task);
  g_autoptr(JsonObject) data = _tdm_shopify_run_finish (result, task);
  JsonArray *nodes;
  const char *sku;
  const char *found = NULL;
  guint matches = 0;

  g_assert (op != NULL && op->skus != NULL && op->skus->len > 0);

  if (data == NULL)
    return;
  sku = op->skus->pdata[op->skus->len - 1];
  nodes = _tdm_shopify_array (_tdm_shopify_object (data, "productVariants"), "nodes");
  for (guint i = 0; nodes != NULL && i < json_array_get_length (nodes); i++)
    {
      JsonObject *v = _tdm_shopify_element (nodes, i);

      if (g_strcmp0 (_tdm_shopify_string (v, "sku"), sku) == 0)
        {
          matches++;
          found = _tdm_shopify_string (v, "id");
        }
    }
  /* Two variants with one SKU: ambiguous, sent as a custom line. */
  g_hash_table_replace (self->variant_ids, g_strdup (sku),
                        g_strdup (matches == 1 ? found : ""));
  g_ptr_array_remove_index (op->skus, op->skus->len - 1);
  order_resolve_next_sku (task);
}

/* Looks up the next SKU not in the run's cache, or creates the order when
 * all are known. */
static void
order_resolve_next_sku (GTask *task)
{
  TdmShopifyConnector *self = g_task_get_source_object (task);
  WriteOp *op = g_task_get_task_data (task);
  g_autoptr(JsonObject) vars = NULL;
  g_autofree char *query = NULL;

  g_assert (op != NULL && op->skus != NULL);

  while (op->skus->len > 0
         && g_hash_table_contains (self->variant_ids, op->skus->pdata[op->skus->len - 1]))
    g_ptr_array_remove_index (op->skus, op->skus->len - 1);
  if (op->skus->len == 0)
    {
      order_create_send (task);
      return;
    }
  vars = json_object_new ();
  query = tdm_shopify_sku_query (op->skus->pdata[op->skus->len - 1]);
  json_object_set_string_member (vars, "query", query);
  _tdm_shopify_run (self, "VariantsBySku", vars, 6, 0, g_object_ref (task),
                    on_variants_by_sku_cb);
}

/* ---- orderUpdate ---- */

static void
on_order_update_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  WriteOp *op = g_task_get_task_data (task);
  g_autoptr(JsonObject) data = _tdm_shopify_run_finish (result, task);
  JsonObject *payload;

  g_assert (op != NULL && !op->create);

  if (data == NULL)
    return;
  payload = _tdm_shopify_object (data, "orderUpdate");
  if (_tdm_shopify_write_user_errors (task, _tdm_shopify_array (payload, "userErrors")))
    return;
  if (_tdm_shopify_object (payload, "order") != NULL)
    _tdm_shopify_write_set_node (op, _tdm_shopify_object (payload, "order"));
  order_after_write (task);
}

static void
on_order_current_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TdmShopifyConnector *self = g_task_get_source_object (task);
  WriteOp *op = g_task_get_task_data (task);
  g_autoptr(JsonObject) data = _tdm_shopify_run_finish (result, task);
  g_autoptr(JsonObject) input = NULL;
  JsonObject *order;

  g_assert (op != NULL && !op->create);

  if (data == NULL)
    return;
  order = _tdm_shopify_object (data, "order");
  if (order == NULL)
    {
      g_task_return_new_error (task, TDM_SYNC_ERROR, TDM_SYNC_ERROR_NOT_FOUND,
                               _("The order %s no longer exists in Shopify."), op->id);
      return;
    }
  _tdm_shopify_write_set_node (op, order);
  input = tdm_shopify_order_update_input (op->write, op->id, op->twin_id);
  if (input != NULL)
    {
      g_autoptr(JsonObject) vars = json_object_new ();

      json_object_set_object_member (vars, "input", g_steal_pointer (&input));
      _tdm_shopify_run (self, "OrderUpdate", vars, 10, 0, g_steal_pointer (&task),
                        on_order_update_cb);
      return;
    }
  order_after_write (task);
}

void
_tdm_shopify_write_order (GTask *task)
{
  TdmShopifyConnector *self = g_task_get_source_object (task);
  WriteOp *op = g_task_get_task_data (task);

  g_assert (op != NULL && op->kind == TDM_KIND_ORDER && op->write != NULL);

  if (op->create)
    {
      JsonArray *lines = _tdm_shopify_array (op->write, "lineItems");

      op->skus = g_ptr_array_new_with_free_func (g_free);
      for (guint i = 0; lines != NULL && i < json_array_get_length (lines); i++)
        {
          const char *sku = _tdm_shopify_string (_tdm_shopify_element (lines, i), "sku");

          if (sku != NULL && *sku != '\0')
            g_ptr_array_add (op->skus, g_strdup (sku));
        }
      order_resolve_next_sku (task);
    }
  else
    {
      /* Read the current state first: cancel and mark-as-paid only when needed. */
      g_autoptr(JsonObject) vars = json_object_new ();

      json_object_set_string_member (vars, "id", op->id);
      _tdm_shopify_run (self, "OrderGet", vars, 0, 0, g_object_ref (task), on_order_current_cb);
    }
}
