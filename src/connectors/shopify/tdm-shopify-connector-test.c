/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-shopify"

#include "config.h"

#include "tdm-shopify-connector-private.h"


/* test_connection and prepare: the shop's name, currency and plan; before
 * a run, which metafield definitions exist (-definitions.c). */

typedef struct {
  gboolean listed;    /* the definitions were read */
  guint    missing;   /* bit i: definition i does not exist (see -definitions.c) */
} PrepareOp;

/* Development stores take few new orders a minute (docs/shopify.md §
 * Orders). */
static void
remember_plan (TdmShopifyConnector *self,
               JsonObject          *shop)
{
  JsonObject *plan = _tdm_shopify_object (shop, "plan");

  self->dev_store = plan != NULL
                    && json_object_get_boolean_member_with_default (plan, "partnerDevelopment",
                                                                    FALSE);
}

static void
on_shop_info_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TdmShopifyConnector *self = g_task_get_source_object (task);
  g_autoptr(JsonObject) data = _tdm_shopify_run_finish (result, task);
  JsonObject *shop;
  TdmShopInfo *info;

  if (data == NULL)
    return;
  shop = _tdm_shopify_object (data, "shop");
  info = g_new0 (TdmShopInfo, 1);
  info->name = g_strdup (_tdm_shopify_string (shop, "name"));
  info->currency = g_strdup (_tdm_shopify_string (shop, "currencyCode"));
  info->plan = g_strdup (_tdm_shopify_string (_tdm_shopify_object (shop, "plan"),
                                              "publicDisplayName"));
  info->detail = g_strdup (tdm_shopify_client_get_endpoint (self->client));
  g_free (self->shop_currency);
  self->shop_currency = g_strdup (info->currency);
  remember_plan (self, shop);
  g_task_return_pointer (task, info, (GDestroyNotify) tdm_shop_info_free);
}

void
_tdm_shopify_connector_test_connection_async (TdmConnector        *conn,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (conn, cancellable, callback, user_data);

  g_task_set_source_tag (task, _tdm_shopify_connector_test_connection_async);
  _tdm_shopify_run (TDM_SHOPIFY_CONNECTOR (conn), "ShopInfo", NULL, 2, 0, g_steal_pointer (&task),
                    on_shop_info_cb);
}

TdmShopInfo *
_tdm_shopify_connector_test_connection_finish (TdmConnector  *conn,
                                               GAsyncResult  *result,
                                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, conn), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void prepare_next (GTask *task);

static void
on_prepare_shop_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TdmShopifyConnector *self = g_task_get_source_object (task);
  g_autoptr(JsonObject) data = _tdm_shopify_run_finish (result, task);
  JsonObject *shop;

  if (data == NULL)
    return;
  shop = _tdm_shopify_object (data, "shop");
  g_free (self->shop_currency);
  self->shop_currency = g_strdup (_tdm_shopify_string (shop, "currencyCode"));
  remember_plan (self, shop);
  prepare_next (task);
}

static void
on_definitions_listed_cb (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PrepareOp *op = g_task_get_task_data (task);
  g_autoptr(JsonObject) data = _tdm_shopify_run_finish (result, task);

  g_assert (op != NULL && !op->listed);

  if (data == NULL)
    return;
  op->listed = TRUE;
  op->missing = _tdm_shopify_missing_definitions (data);
  prepare_next (task);
}

/* Reads what a run needs to know first: the shop's currency and plan,
 * then which metafield definitions exist. */
static void
prepare_next (GTask *task)
{
  TdmShopifyConnector *self = g_task_get_source_object (task);
  PrepareOp *op = g_task_get_task_data (task);

  g_assert (op != NULL);

  if (self->shop_currency == NULL)
    {
      _tdm_shopify_run (self, "ShopInfo", NULL, 2, 0, g_object_ref (task), on_prepare_shop_cb);
      return;
    }
  if (!op->listed)
    {
      /* Only read here: the missing definitions are created just before the
       * first record write, so a run that writes no record (stopped by the
       * circuit breaker, say) writes nothing at all. */
      _tdm_shopify_run (self, "MetafieldDefinitions", NULL, 4 * 12, 0, g_object_ref (task),
                        on_definitions_listed_cb);
      return;
    }
  self->missing_definitions = op->missing;
  self->prepared = TRUE;
  g_hash_table_remove_all (self->variant_ids);
  g_task_return_boolean (task, TRUE);
}

void
_tdm_shopify_connector_prepare_async (TdmConnector        *conn,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  TdmShopifyConnector *self = TDM_SHOPIFY_CONNECTOR (conn);
  g_autoptr(GTask) task = g_task_new (conn, cancellable, callback, user_data);

  g_task_set_source_tag (task, _tdm_shopify_connector_prepare_async);
  if (self->prepared)
    {
      /* Once per connector; a new run starts with a fresh SKU cache. */
      g_hash_table_remove_all (self->variant_ids);
      g_task_return_boolean (task, TRUE);
      return;
    }
  g_task_set_task_data (task, g_new0 (PrepareOp, 1), g_free);
  prepare_next (task);
}

gboolean
_tdm_shopify_connector_prepare_finish (TdmConnector  *conn,
                                       GAsyncResult  *result,
                                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, conn), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
