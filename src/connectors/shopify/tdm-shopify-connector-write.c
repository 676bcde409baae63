/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-shopify"

#include "config.h"

#include "tdm-shopify-connector-private.h"

#include <glib/gi18n-lib.h>

#include "tdm-error.h"

/* create and update: the write operation the three kinds share. The
 * canonical fields are unmapped to Shopify's write shape, the metafield
 * definitions are made when missing (-definitions.c), then the write of the
 * kind runs (-customer.c, -product.c, -order.c) and returns the record as
 * Shopify stored it. */

static void
write_op_free (gpointer data)
{
  WriteOp *op = data;

  g_free (op->id);
  g_free (op->twin_id);
  g_free (op->op_id);
  g_free (op->label);
  g_clear_pointer (&op->write, json_object_unref);
  g_free (op->marketing);
  g_clear_pointer (&op->quantities, json_array_unref);
  g_clear_pointer (&op->node, json_object_unref);
  g_clear_pointer (&op->order_input, json_object_unref);
  g_clear_pointer (&op->skus, g_ptr_array_unref);
  g_clear_pointer (&op->inventory, json_array_unref);
  g_clear_pointer (&op->prices_excl, json_array_unref);
  g_clear_pointer (&op->price_changes, json_array_unref);
  g_free (op);
}

/* ---- The write operation ---- */

/* A write's record error goes with its own task, alone or in a batch
 * (-bulk-write.c), for its _finish. */
static void
hand_over_record_error (GTask          *task,
                        TdmRecordError *rec_error)
{
  g_assert (G_IS_TASK (task));

  _tdm_connector_attach_record_error (G_ASYNC_RESULT (task), rec_error);
}

void
_tdm_shopify_write_done (GTask *task)
{
  TdmShopifyConnector *self = g_task_get_source_object (task);
  WriteOp *op = g_task_get_task_data (task);
  TdmWriteResult *res;

  g_assert (op != NULL && op->node != NULL);

  res = g_new0 (TdmWriteResult, 1);
  res->record = _tdm_shopify_record_from_node (self, op->kind, op->node, NULL);
  g_task_return_pointer (task, res, (GDestroyNotify) tdm_write_result_free);
}

void
_tdm_shopify_write_set_node (WriteOp    *op,
                             JsonObject *node)
{
  JsonObject *copy;

  g_assert (op != NULL);
  g_assert (node != NULL);

  copy = tdm_json_object_copy (node);
  g_clear_pointer (&op->node, json_object_unref);
  op->node = copy;
}

/* The field a userError's `path` names, in the owner's words: the label
 * of its row in the mapping ("Phone", never Shopify's input path
 * "input.phone"), else the path itself. */
static const char *
field_in_words (TdmShopifyConnector *self,
                TdmKind              kind,
                const char          *field,
                const char          *path)
{
  TdmMapping *mapping = tdm_connector_get_mapping (TDM_CONNECTOR (self));
  g_auto(GStrv) parts = NULL;
  const TdmMappingRow *row;

  g_assert (kind < TDM_N_KINDS);

  if (mapping == NULL || field == NULL)
    return path;
  parts = g_strsplit (field, ".", 2);
  row = tdm_mapping_find_row (mapping, kind, parts[0]);
  return row != NULL ? tdm_mapping_row_get_label (row) : path;
}

gboolean
_tdm_shopify_write_user_errors (GTask     *task,
                                JsonArray *user_errors)
{
  TdmShopifyConnector *self = g_task_get_source_object (task);
  WriteOp *op = g_task_get_task_data (task);
  TdmRecordError *rec_error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *field = NULL;
  GError *error = NULL;

  g_assert (op != NULL);

  path = tdm_shopify_user_error_path (user_errors);
  field = _tdm_shopify_canonical_field (self, op->kind, path);
  if (!tdm_shopify_user_errors (user_errors, op->kind, op->label,
                                op->create ? op->twin_id : op->id, field,
                                field_in_words (self, op->kind, field, path), &rec_error, &error))
    return FALSE;
  hand_over_record_error (task, rec_error);
  g_task_return_error (task, error);
  return TRUE;
}

void
_tdm_shopify_write_fail (GTask      *task,
                         GError     *error,
                         const char *field)
{
  WriteOp *op = g_task_get_task_data (task);

  g_assert (op != NULL);
  g_assert (error != NULL);

  hand_over_record_error (task, tdm_record_error_new (TDM_SIDE_SHOPIFY, op->kind,
                                                      op->create ? op->twin_id : op->id,
                                                      field, error->message));
  g_task_return_error (task, error);
}

static JsonObject *
custom_id_identifier (const char *twin_id)
{
  JsonObject *identifier = json_object_new ();
  JsonObject *custom = json_object_new ();

  json_object_set_string_member (custom, "namespace", TDM_SHOPIFY_APP_NAMESPACE);
  json_object_set_string_member (custom, "key", TDM_SHOPIFY_WEBSHOP_ID_KEY);
  json_object_set_string_member (custom, "value", twin_id);
  json_object_set_object_member (identifier, "customId", custom);
  return identifier;
}

static JsonObject *
id_identifier (const char *id)
{
  JsonObject *identifier = json_object_new ();

  json_object_set_string_member (identifier, "id", id);
  return identifier;
}

void
_tdm_shopify_write_set_identifier (WriteOp    *op,
                                   JsonObject *vars)
{
  g_assert (op != NULL);
  g_assert (vars != NULL);

  if (op->create && op->twin_id != NULL)
    json_object_set_object_member (vars, "identifier", custom_id_identifier (op->twin_id));
  else if (!op->create)
    json_object_set_object_member (vars, "identifier", id_identifier (op->id));
}

/* ---- The link to the webshop record ---- */

static void
on_link_twin_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  WriteOp *op = g_task_get_task_data (task);
  g_autoptr(JsonObject) data = _tdm_shopify_run_finish (result, task);
  JsonObject *payload;
  JsonObject *webshop_id;

  g_assert (op != NULL && op->node != NULL && op->twin_id != NULL);
  g_assert (op->after_link != NULL);

  if (data == NULL)
    return;
  payload = _tdm_shopify_object (data, "metafieldsSet");
  if (_tdm_shopify_write_user_errors (task, _tdm_shopify_array (payload, "userErrors")))
    return;
  webshop_id = json_object_new ();
  json_object_set_string_member (webshop_id, "value", op->twin_id);
  json_object_set_object_member (op->node, "webshopId", webshop_id);
  op->after_link (task);
}

void
_tdm_shopify_write_link_twin (GTask               *task,
                              TdmShopifyWriteStep  next)
{
  TdmShopifyConnector *self = g_task_get_source_object (task);
  WriteOp *op = g_task_get_task_data (task);
  g_autoptr(JsonObject) vars = NULL;
  JsonArray *mfs;

  g_assert (op != NULL && op->node != NULL);
  g_assert (next != NULL);

  if (op->twin_id == NULL || g_strcmp0 (tdm_shopify_node_twin_id (op->node), op->twin_id) == 0)
    {
      next (task);
      return;
    }
  op->after_link = next;
  vars = json_object_new ();
  mfs = json_array_new ();
  json_array_add_object_element (mfs,
                                 tdm_shopify_webshop_id_metafield (_tdm_shopify_string (op->node,
                                                                                        "id"),
                                                                   op->twin_id));
  json_object_set_array_member (vars, "metafields", mfs);
  _tdm_shopify_run (self, "MetafieldsSet", vars, 10, 0, g_object_ref (task), on_link_twin_cb);
}

void
_tdm_shopify_write_dispatch (GTask *task)
{
  WriteOp *op = g_task_get_task_data (task);

  g_assert (op != NULL && op->write != NULL);

  switch (op->kind)
    {
    case TDM_KIND_CUSTOMER:
      _tdm_shopify_write_customer (task);
      break;
    case TDM_KIND_PRODUCT:
      _tdm_shopify_write_product (task);
      break;
    case TDM_KIND_ORDER:
    default:
      _tdm_shopify_write_order (task);
      break;
    }
}

/* ---- create / update ---- */

/* How errors name the record: "customer kari@example.no", else its id. */
static char *
write_label (WriteOp *op)
{
  TdmKind kind = op->kind;
  const char *label_field;
  const char *id;

  g_assert (op->write != NULL);

  label_field = kind == TDM_KIND_CUSTOMER ? "email" : kind == TDM_KIND_PRODUCT ? "title" : "name";
  if (_tdm_shopify_string (op->write, label_field) != NULL)
    return g_strdup_printf ("%s %s", tdm_kind_display_name (kind),
                            _tdm_shopify_string (op->write, label_field));
  id = op->id != NULL ? op->id : op->twin_id;
  if (id != NULL)
    return g_strdup_printf ("%s %s", tdm_kind_display_name (kind), id);
  return g_strdup (tdm_kind_display_name (kind));
}

gboolean
_tdm_shopify_write_prepare (TdmShopifyConnector *self,
                            GTask               *task,
                            TdmKind              kind,
                            gboolean             create,
                            const char          *id,
                            JsonObject          *fields,
                            const char          *op_id,
                            const char          *twin_id)
{
  WriteOp *op = g_new0 (WriteOp, 1);
  GError *error = NULL;

  g_assert (G_IS_TASK (task));
  g_assert (kind < TDM_N_KINDS);

  op->kind = kind;
  op->create = create;
  op->id = g_strdup (id);
  op->twin_id = g_strdup (twin_id);
  op->op_id = g_strdup (op_id);
  g_task_set_task_data (task, op, write_op_free);

  /* Every field to create, only the given ones to update. */
  op->write = tdm_connector_unmap_fields (TDM_CONNECTOR (self), kind, fields, create, &error);
  if (op->write == NULL)
    {
      _tdm_shopify_write_fail (task, error, NULL);
      return FALSE;
    }
  op->label = write_label (op);
  return TRUE;
}

static void
start_write (TdmShopifyConnector *self,
             GTask               *task,
             TdmKind              kind,
             gboolean             create,
             const char          *id,
             JsonObject          *fields,
             const char          *op_id,
             const char          *twin_id)
{
  if (_tdm_shopify_write_prepare (self, task, kind, create, id, fields, op_id, twin_id))
    _tdm_shopify_ensure_definitions (task);
}

void
_tdm_shopify_connector_create_async (TdmConnector        *conn,
                                     TdmKind              kind,
                                     JsonObject          *fields,
                                     const char          *op_id,
                                     const char          *twin_id,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (conn, cancellable, callback, user_data);

  g_task_set_source_tag (task, _tdm_shopify_connector_create_async);
  start_write (TDM_SHOPIFY_CONNECTOR (conn), task, kind, TRUE, NULL, fields, op_id, twin_id);
}

TdmWriteResult *
_tdm_shopify_connector_create_finish (TdmConnector  *conn,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, conn), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
_tdm_shopify_connector_update_async (TdmConnector        *conn,
                                     TdmKind              kind,
                                     const char          *id,
                                     JsonObject          *fields,
                                     const char          *etag,
                                     const char          *twin_id,
                                     const char          *op_id,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (conn, cancellable, callback, user_data);

  g_task_set_source_tag (task, _tdm_shopify_connector_update_async);
  start_write (TDM_SHOPIFY_CONNECTOR (conn), task, kind, FALSE, id, fields, op_id, twin_id);
}

TdmWriteResult *
_tdm_shopify_connector_update_finish (TdmConnector  *conn,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, conn), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
