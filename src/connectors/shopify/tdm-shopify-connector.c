/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-shopify"

#include "config.h"

#include "tdm-shopify-connector-private.h"

#include <string.h>

#include "tdm-json-text.h"
#include "tdm-shopify-api-version.h"

/* The Shopify connector: the GObject, its public API, what every
 * operation shares (running a GraphQL operation for a task, records from
 * nodes) and the class that puts the operations of the other
 * tdm-shopify-connector-*.c files together. */

G_DEFINE_FINAL_TYPE (TdmShopifyConnector, tdm_shopify_connector, TDM_TYPE_CONNECTOR)

enum {
  PROP_0,
  PROP_BULK_THRESHOLD,
  PROP_LOCATION,
  PROP_PAGE_SIZE,
  PROP_BULK_POLL_INTERVAL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const node_names[TDM_N_KINDS] = { "customer", "product", "order" };
static const char * const kind_ops[TDM_N_KINDS] = { "Customer", "Product", "Order" };
static const char * const plural_ops[TDM_N_KINDS] = { "Customers", "Products", "Orders" };

/* ---- Operations ---- */

char *
_tdm_shopify_op_name (TdmKind     kind,
                      const char *suffix)
{
  g_assert (kind < TDM_N_KINDS);
  return g_strconcat (kind_ops[kind], suffix, NULL);
}

char *
_tdm_shopify_plural_op_name (TdmKind     kind,
                             const char *suffix)
{
  g_assert (kind < TDM_N_KINDS);
  return g_strconcat (plural_ops[kind], suffix, NULL);
}

char *
_tdm_shopify_member_name (TdmKind     kind,
                          const char *suffix)
{
  g_assert (kind < TDM_N_KINDS);
  return g_strconcat (node_names[kind], "s", suffix, NULL);
}

void
_tdm_shopify_run (TdmShopifyConnector *self,
                  const char          *operation,
                  JsonObject          *variables,
                  double               estimate,
                  TdmShopifyExecFlags  flags,
                  GTask               *task,
                  GAsyncReadyCallback  callback)
{
  g_assert (TDM_IS_SHOPIFY_CONNECTOR (self));
  g_assert (operation != NULL);
  g_assert (G_IS_TASK (task));

  /* A write of a batch: its mutations go in the batch's bulk mutation. */
  if (_tdm_shopify_bulk_write_park (self, operation, variables, estimate, flags, task, callback))
    return;
  tdm_shopify_client_execute_async (self->client, operation, variables, estimate, flags,
                                    g_task_get_cancellable (task), callback, task);
}

JsonObject *
_tdm_shopify_run_finish (GAsyncResult *result,
                         GTask        *task)
{
  TdmShopifyConnector *self = g_task_get_source_object (task);
  GError *error = NULL;
  JsonObject *data;

  g_assert (TDM_IS_SHOPIFY_CONNECTOR (self));

  data = tdm_shopify_client_execute_finish (self->client, result, &error);
  if (data == NULL)
    g_task_return_error (task, error);
  return data;
}

const char *
_tdm_shopify_next_page_cursor (JsonObject *info)
{
  if (info == NULL || !json_object_get_boolean_member_with_default (info, "hasNextPage", FALSE))
    return NULL;
  return _tdm_shopify_string (info, "endCursor");
}

/* ---- Records ---- */

TdmRecord *
_tdm_shopify_record_from_node (TdmShopifyConnector *self,
                               TdmKind              kind,
                               JsonObject          *node,
                               GPtrArray           *problems)
{
  g_autoptr(JsonObject) fields = NULL;
  TdmRecord *record;

  fields = tdm_connector_map_native (TDM_CONNECTOR (self), kind, node, problems);
  if (fields == NULL)
    fields = json_object_new ();
  record = tdm_record_new (TDM_SIDE_SHOPIFY, kind, _tdm_shopify_string (node, "id"),
                           _tdm_shopify_string (node, "updatedAt"), NULL, fields, node);
  tdm_record_set_twin_id (record, tdm_shopify_node_twin_id (node));
  return record;
}

char *
_tdm_shopify_canonical_field (TdmShopifyConnector *self,
                              TdmKind              kind,
                              const char          *path)
{
  g_assert (kind < TDM_N_KINDS);

  if (path == NULL)
    return NULL;
  /* orderCreate names some members otherwise than the write shape the
   * mapping's rows name. */
  if (kind == TDM_KIND_ORDER)
    path = tdm_shopify_order_input_source (path);
  return tdm_connector_field_for_path (TDM_CONNECTOR (self), kind, path);
}

/* A node holding a NUL or broken text (marked when it was read, see
 * tdm-json-text.h) is refused as a whole: its record error naming the
 * record and the field, or NULL. */
TdmRecordError *
_tdm_shopify_unreadable_node_error (TdmShopifyConnector *self,
                                    TdmKind              kind,
                                    JsonObject          *node)
{
  g_autofree char *path = NULL;
  g_autofree char *field = NULL;
  g_autofree char *message = NULL;
  TdmJsonTextProblem problem = tdm_json_text_find (node, &path);
  const char *id;

  if (problem == TDM_JSON_TEXT_OK)
    return NULL;
  id = _tdm_shopify_string (node, "id");
  if (id != NULL && tdm_json_text_check (id) != TDM_JSON_TEXT_OK)
    id = NULL;
  field = _tdm_shopify_canonical_field (self, kind, path);
  message = tdm_json_text_message (problem, TDM_SIDE_SHOPIFY, kind, id, field);
  return tdm_record_error_new (TDM_SIDE_SHOPIFY, kind, id, field, message);
}

/* ---- GObject ---- */

/* The requested cost of one record in a listing until Shopify reports it
 * (docs/shopify.md § Cost and throttling). */
static double
initial_node_cost (TdmKind kind)
{
  switch (kind)
    {
    case TDM_KIND_CUSTOMER:
      /* customer + email + phone + addressesV2(first: LIST_ADDRESSES_FIRST) + metafield,
       * as a listing page selects it (customers-changed.graphql) */
      return 1 + 1 + 1 + (2 + LIST_ADDRESSES_FIRST) + 1;
    case TDM_KIND_PRODUCT:
      /* product + variants(first: LIST_VARIANTS_FIRST) × (variant, inventoryItem,
       * measurement, weight, metafield) + metafield, as a listing page selects it */
      return 1 + (2 + LIST_VARIANTS_FIRST * VARIANT_NODE_COST) + 1;
    case TDM_KIND_ORDER:
    default:
      /* order + customer + lineItems(first: LIST_LINES_FIRST) × (line, unit price,
       * variant with product, taxLines) + shippingLines(first:5) × (line, price,
       * taxLines) + discountApplications(first:5) × (application, value) + five
       * money bags + taxLines + addresses + metafield, as a listing page selects
       * it (orders-changed.graphql; 464 with all 50 lines, as the Shopify
       * emulator requests OrderGet; docs/shopify.md § Cost and throttling) */
      return 1 + 1 + (2 + LIST_LINES_FIRST * (1 + 2 + 2 + 3)) + (2 + 5 * (1 + 2 + 3))
             + (2 + 5 * (1 + 1)) + 10 + 3 + 2 + 1;
    }
}

static guint64
tdm_shopify_connector_get_request_count (TdmConnector *conn)
{
  return tdm_shopify_client_get_request_count (TDM_SHOPIFY_CONNECTOR (conn)->client);
}

static void
tdm_shopify_connector_dispose (GObject *object)
{
  TdmShopifyConnector *self = TDM_SHOPIFY_CONNECTOR (object);

  _tdm_shopify_bulk_clear (self);
  g_clear_pointer (&self->definition_waiters, g_ptr_array_unref);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (tdm_shopify_connector_parent_class)->dispose (object);
}

static void
tdm_shopify_connector_finalize (GObject *object)
{
  TdmShopifyConnector *self = TDM_SHOPIFY_CONNECTOR (object);

  g_clear_pointer (&self->location_id, g_free);
  g_clear_pointer (&self->shop_currency, g_free);
  g_clear_pointer (&self->variant_ids, g_hash_table_unref);

  G_OBJECT_CLASS (tdm_shopify_connector_parent_class)->finalize (object);
}

static void
tdm_shopify_connector_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  TdmShopifyConnector *self = TDM_SHOPIFY_CONNECTOR (object);

  switch (prop_id)
    {
    case PROP_BULK_THRESHOLD:
      g_value_set_uint (value, self->bulk_threshold);
      break;
    case PROP_LOCATION:
      g_value_set_string (value, self->location_id);
      break;
    case PROP_PAGE_SIZE:
      g_value_set_uint (value, self->page_size);
      break;
    case PROP_BULK_POLL_INTERVAL:
      g_value_set_uint (value, self->poll_ms);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tdm_shopify_connector_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  TdmShopifyConnector *self = TDM_SHOPIFY_CONNECTOR (object);

  switch (prop_id)
    {
    case PROP_BULK_THRESHOLD:
      tdm_shopify_connector_set_bulk_threshold (self, g_value_get_uint (value));
      break;
    case PROP_LOCATION:
      tdm_shopify_connector_set_location (self, g_value_get_string (value));
      break;
    case PROP_PAGE_SIZE:
      tdm_shopify_connector_set_page_size (self, g_value_get_uint (value));
      break;
    case PROP_BULK_POLL_INTERVAL:
      tdm_shopify_connector_set_bulk_poll_interval (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tdm_shopify_connector_class_init (TdmShopifyConnectorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  TdmConnectorClass *conn_class = TDM_CONNECTOR_CLASS (klass);

  object_class->dispose = tdm_shopify_connector_dispose;
  object_class->finalize = tdm_shopify_connector_finalize;
  object_class->get_property = tdm_shopify_connector_get_property;
  object_class->set_property = tdm_shopify_connector_set_property;

  conn_class->list_changed_async = _tdm_shopify_connector_list_changed_async;
  conn_class->list_changed_finish = _tdm_shopify_connector_list_changed_finish;
  conn_class->get_async = _tdm_shopify_connector_get_async;
  conn_class->get_finish = _tdm_shopify_connector_get_finish;
  conn_class->create_async = _tdm_shopify_connector_create_async;
  conn_class->create_finish = _tdm_shopify_connector_create_finish;
  conn_class->update_async = _tdm_shopify_connector_update_async;
  conn_class->update_finish = _tdm_shopify_connector_update_finish;
  conn_class->delete_async = _tdm_shopify_connector_delete_async;
  conn_class->delete_finish = _tdm_shopify_connector_delete_finish;
  conn_class->find_created_async = _tdm_shopify_connector_find_created_async;
  conn_class->find_created_finish = _tdm_shopify_connector_find_created_finish;
  conn_class->list_ids_async = _tdm_shopify_connector_list_ids_async;
  conn_class->list_ids_finish = _tdm_shopify_connector_list_ids_finish;
  conn_class->test_connection_async = _tdm_shopify_connector_test_connection_async;
  conn_class->test_connection_finish = _tdm_shopify_connector_test_connection_finish;
  conn_class->prepare_async = _tdm_shopify_connector_prepare_async;
  conn_class->prepare_finish = _tdm_shopify_connector_prepare_finish;
  conn_class->get_request_count = tdm_shopify_connector_get_request_count;
  conn_class->can_write_batch = _tdm_shopify_connector_can_write_batch;
  conn_class->write_batch_async = _tdm_shopify_connector_write_batch_async;
  conn_class->write_batch_finish = _tdm_shopify_connector_write_batch_finish;
  _tdm_shopify_api_version_install (conn_class);

  properties[PROP_BULK_THRESHOLD] =
    g_param_spec_uint ("bulk-threshold", NULL, NULL, 0, G_MAXUINT, DEFAULT_BULK_THRESHOLD,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOCATION] =
    g_param_spec_string ("location", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PAGE_SIZE] =
    g_param_spec_uint ("page-size", NULL, NULL, 0, 250, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BULK_POLL_INTERVAL] =
    g_param_spec_uint ("bulk-poll-interval", NULL, NULL, 1, 600000, DEFAULT_POLL_MS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tdm_shopify_connector_init (TdmShopifyConnector *self)
{
  self->bulk_threshold = DEFAULT_BULK_THRESHOLD;
  self->poll_ms = DEFAULT_POLL_MS;
  self->order_interval_ms = 12000;
  self->variant_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 0; i < TDM_N_KINDS; i++)
    self->node_cost[i] = initial_node_cost (i);
  self->variant_cost = VARIANT_NODE_COST;
}

/* ---- Public API ---- */

TdmShopifyConnector *
tdm_shopify_connector_new (const char          *shop,
                           const char          *api_version,
                           TdmShopifyAuthMode   auth_mode,
                           const char          *client_id,
                           TdmCredentialStore  *store,
                           const char          *account,
                           TdmMapping          *mapping,
                           GError             **error)
{
  g_autoptr(TdmShopifyClient) client = tdm_shopify_client_new (shop, api_version, auth_mode,
                                                               client_id, error);
  TdmShopifyConnector *self;

  if (client == NULL)
    return NULL;
  if (store != NULL)
    tdm_shopify_client_set_credential_store (client, store, account ? account : shop);

  self = g_object_new (TDM_TYPE_SHOPIFY_CONNECTOR,
                       "side", TDM_SIDE_SHOPIFY,
                       "mapping", mapping,
                       NULL);
  self->client = g_steal_pointer (&client);
  return self;
}

void
tdm_shopify_connector_set_secret (TdmShopifyConnector *self,
                                  const char          *secret)
{
  g_return_if_fail (TDM_IS_SHOPIFY_CONNECTOR (self));
  tdm_shopify_client_set_secret (self->client, secret);
}

void
tdm_shopify_connector_set_location (TdmShopifyConnector *self,
                                    const char          *location_id)
{
  g_return_if_fail (TDM_IS_SHOPIFY_CONNECTOR (self));

  if (location_id != NULL && *location_id == '\0')
    location_id = NULL;
  if (g_strcmp0 (self->location_id, location_id) == 0)
    return;
  g_free (self->location_id);
  self->location_id = g_strdup (location_id);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOCATION]);
}

void
tdm_shopify_connector_set_bulk_threshold (TdmShopifyConnector *self,
                                          guint                threshold)
{
  g_return_if_fail (TDM_IS_SHOPIFY_CONNECTOR (self));

  if (self->bulk_threshold == threshold)
    return;
  self->bulk_threshold = threshold;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BULK_THRESHOLD]);
}

void
tdm_shopify_connector_set_page_size (TdmShopifyConnector *self,
                                     guint                page_size)
{
  g_return_if_fail (TDM_IS_SHOPIFY_CONNECTOR (self));

  page_size = MIN (page_size, 250);
  if (self->page_size == page_size)
    return;
  self->page_size = page_size;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAGE_SIZE]);
}

void
tdm_shopify_connector_set_bulk_poll_interval (TdmShopifyConnector *self,
                                              guint                interval_ms)
{
  g_return_if_fail (TDM_IS_SHOPIFY_CONNECTOR (self));

  interval_ms = MAX (interval_ms, 1);
  if (self->poll_ms == interval_ms)
    return;
  self->poll_ms = interval_ms;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BULK_POLL_INTERVAL]);
}

void
tdm_shopify_connector_set_order_create_interval (TdmShopifyConnector *self,
                                                 guint                interval_ms)
{
  g_return_if_fail (TDM_IS_SHOPIFY_CONNECTOR (self));
  self->order_interval_ms = interval_ms;
}

TdmShopifyClient *
tdm_shopify_connector_get_client (TdmShopifyConnector *self)
{
  g_return_val_if_fail (TDM_IS_SHOPIFY_CONNECTOR (self), NULL);
  return self->client;
}

gboolean
tdm_shopify_connector_last_list_was_bulk (TdmShopifyConnector *self)
{
  g_return_val_if_fail (TDM_IS_SHOPIFY_CONNECTOR (self), FALSE);
  return self->last_was_bulk;
}
