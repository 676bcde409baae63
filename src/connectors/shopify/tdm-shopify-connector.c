/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-shopify"

#include "config.h"
#include "tdm-shopify-connector.h"

#include <glib/gi18n-lib.h>
#include <string.h>
#include "tdm-error.h"
#include "tdm-http.h"
#include "tdm-json-text.h"
#include "tdm-shopify-json.h"

#define DEFAULT_BULK_THRESHOLD  2000
#define DEFAULT_POLL_MS         5000
#define VARIANTS_FIRST          50     /* variants read with the product itself */
#define VARIANTS_PAGE           250    /* at most, per ProductVariants request */
#define VARIANT_NODE_COST       5      /* variant, inventoryItem, measurement, weight, metafield */
#define MAX_PRODUCT_VARIANTS    2048   /* Shopify's default limit per product */
#define MAX_INPUT_ARRAY         250    /* items in one input array argument */
#define IDS_PAGE                250
#define BULK_PAGE               250
#define ORDER_CREATE_ATTEMPTS   3

struct _TdmShopifyConnector
{
  TdmConnector      parent_instance;

  TdmShopifyClient *client;
  guint             bulk_threshold;
  guint             page_size;
  guint             poll_ms;
  char             *location_id;
  char             *shop_currency;
  double            node_cost[TDM_N_KINDS];
  double            variant_cost;    /* requested cost of one variant in ProductVariants */
  GHashTable       *variant_ids;     /* SKU → variant GID, "" = not found (cached per run) */
  gboolean          last_was_bulk;
  gboolean          prepared;
  gboolean          dev_store;            /* plan.partnerDevelopment: orderCreate is limited */
  guint             order_interval_ms;    /* spacing of orderCreate on such stores */
  gint64            last_order_create;    /* monotonic µs of the last orderCreate sent */
  guint             missing_definitions;  /* bit i: definitions[i] does not exist yet */

  /* The bulk export being streamed, between list_changed pages. */
  struct {
    TdmKind               kind;
    char                 *id;
    guint64               consumed;   /* root records handed out so far */
    GDataInputStream     *lines;
    TdmShopifyBulkJoiner *joiner;
  } bulk;
};

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

/* ---- helpers ---------------------------------------------------------------- */

static JsonObject *
obj_member (JsonObject *object,
            const char *member)
{
  JsonNode *node;

  if (object == NULL || !json_object_has_member (object, member))
    return NULL;
  node = json_object_get_member (object, member);
  return JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static JsonArray *
arr_member (JsonObject *object,
            const char *member)
{
  JsonNode *node;

  if (object == NULL || !json_object_has_member (object, member))
    return NULL;
  node = json_object_get_member (object, member);
  return JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static const char *
str_member (JsonObject *object,
            const char *member)
{
  JsonNode *node;

  if (object == NULL || !json_object_has_member (object, member))
    return NULL;
  node = json_object_get_member (object, member);
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* Element i when it is an object (else NULL, without a warning). */
static JsonObject *
elem_obj (JsonArray *array,
          guint      i)
{
  JsonNode *node;

  if (array == NULL || i >= json_array_get_length (array))
    return NULL;
  node = json_array_get_element (array, i);
  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static char *
op_name (const char * const *table,
         TdmKind             kind,
         const char         *suffix)
{
  return g_strconcat (table[kind], suffix, NULL);
}

static void
clear_bulk (TdmShopifyConnector *self)
{
  g_clear_pointer (&self->bulk.id, g_free);
  g_clear_object (&self->bulk.lines);
  g_clear_pointer (&self->bulk.joiner, tdm_shopify_bulk_joiner_free);
  self->bulk.consumed = 0;
}

static double
initial_node_cost (TdmKind kind)
{
  switch (kind)
    {
    case TDM_KIND_CUSTOMER:
      /* customer + email + phone + addressesV2(first:20) + metafield */
      return 1 + 1 + 1 + (2 + 20) + 1;
    case TDM_KIND_PRODUCT:
      /* product + variants(first:N) × (variant, inventoryItem, measurement, weight, metafield) + metafield */
      return 1 + (2 + VARIANTS_FIRST * VARIANT_NODE_COST) + 1;
    case TDM_KIND_ORDER:
    default:
      /* order + customer + lineItems(first:50) × 4 + shippingLines(first:5) × 3 + money bags + addresses + metafield */
      return 1 + 1 + (2 + 50 * 4) + (2 + 5 * 3) + 6 + 2 + 1;
    }
}

static guint
page_size_for (TdmShopifyConnector *self,
               TdmKind              kind)
{
  double budget;
  guint size;

  if (self->page_size > 0)
    return self->page_size;
  budget = tdm_shopify_client_get_query_budget (self->client);
  size = (guint) ((budget - 2) / MAX (self->node_cost[kind], 1));
  return CLAMP (size, 1, 250);
}

static void
learn_node_cost (TdmShopifyConnector *self,
                 TdmKind              kind,
                 const char          *operation,
                 guint                first)
{
  double requested = tdm_shopify_client_get_last_cost (self->client, operation);

  if (requested > 2 && first > 0)
    self->node_cost[kind] = (requested - 2) / first;
}

static TdmRecord *
record_from_node (TdmShopifyConnector *self,
                  TdmKind              kind,
                  JsonObject          *node,
                  GPtrArray           *problems)
{
  TdmConnector *conn = TDM_CONNECTOR (self);
  g_autoptr(JsonObject) fields = NULL;
  TdmRecord *record;
  TdmMapping *mapping = tdm_connector_get_mapping (conn);

  if (mapping != NULL)
    fields = tdm_mapping_map_fields (mapping, kind, TDM_SIDE_SHOPIFY, node,
                                     tdm_connector_get_map_context (conn), problems);
  if (fields == NULL)
    fields = json_object_new ();
  record = tdm_record_new (TDM_SIDE_SHOPIFY, kind, str_member (node, "id"),
                           str_member (node, "updatedAt"), NULL, fields, node);
  tdm_record_set_twin_id (record, tdm_shopify_node_twin_id (node));
  return record;
}

/* The canonical name of the mapping row written at Shopify path `path`. */
static char *
canonical_field (TdmShopifyConnector *self,
                 TdmKind              kind,
                 const char          *path)
{
  TdmMapping *mapping = tdm_connector_get_mapping (TDM_CONNECTOR (self));
  g_autofree char *head = NULL;
  GPtrArray *rows;

  if (path == NULL)
    return NULL;
  /* Input paths that differ from the write shape's names. */
  if (kind == TDM_KIND_ORDER && g_str_has_prefix (path, "customer"))
    path = "customerId";
  if (mapping == NULL)
    return g_strdup (path);
  head = g_strdup (path);
  if (strchr (head, '.') != NULL)
    *strchr (head, '.') = '\0';
  rows = tdm_mapping_get_rows (mapping, kind);
  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; rows != NULL && i < rows->len; i++)
      {
        const TdmMappingRow *row = rows->pdata[i];
        const char *write = row->shopify_write ? row->shopify_write : row->shopify;
        g_autofree char *plain = NULL;

        if (row->parent >= 0 || write == NULL)
          continue;
        plain = g_strdup (write);
        if (g_str_has_suffix (plain, "[]"))
          plain[strlen (plain) - 2] = '\0';
        if (g_strcmp0 (plain, pass == 0 ? path : head) == 0)
          return g_strdup (row->name);
      }
  return g_strdup (path);
}

/* A node holding a NUL or broken text (marked when it was read, see
 * tdm-json-text.h) is refused as a whole: its record error naming the
 * record and the field, or NULL. */
static TdmRecordError *
unreadable_node_error (TdmShopifyConnector *self,
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
  id = str_member (node, "id");
  if (id != NULL && tdm_json_text_check (id) != TDM_JSON_TEXT_OK)
    id = NULL;
  field = canonical_field (self, kind, path);
  message = tdm_json_text_message (problem, TDM_SIDE_SHOPIFY, kind, id, field);
  return tdm_record_error_new (TDM_SIDE_SHOPIFY, kind, id, field, message);
}

/* ---- operation plumbing ----------------------------------------------------- */

static void
run (TdmShopifyConnector *self,
     const char          *operation,
     JsonObject          *variables,
     double               estimate,
     TdmShopifyExecFlags  flags,
     GTask               *task,
     GAsyncReadyCallback  callback)
{
  tdm_shopify_client_execute_async (self->client, operation, variables, estimate, flags,
                                    g_task_get_cancellable (task), callback, task);
}

static JsonObject *
run_finish (GAsyncResult *result,
            GTask        *task)
{
  TdmShopifyConnector *self = g_task_get_source_object (task);
  GError *error = NULL;
  JsonObject *data = tdm_shopify_client_execute_finish (self->client, result, &error);

  if (data == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
    }
  return data;
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

/* The cursor of the next page of a connection's pageInfo, or NULL when
 * this was the last page (or Shopify gave no position to go on from). */
static const char *
next_page_cursor (JsonObject *info)
{
  if (info == NULL || !json_object_get_boolean_member_with_default (info, "hasNextPage", FALSE))
    return NULL;
  return str_member (info, "endCursor");
}

/* ---- products: variants past the first page ------------------------------------ */

/* TRUE when `product` (read with the product fragment) holds all its
 * variants; then the variants' pageInfo is dropped, so the native shape is
 * the same as a bulk export's. FALSE: ProductVariants must read the rest. */
static gboolean
variants_complete (JsonObject *product)
{
  JsonObject *variants = obj_member (product, "variants");
  JsonObject *info = obj_member (variants, "pageInfo");

  if (info != NULL && json_object_get_boolean_member_with_default (info, "hasNextPage", FALSE))
    return FALSE;   /* even without a cursor: the follow-up reports that */
  if (variants != NULL && json_object_has_member (variants, "pageInfo"))
    json_object_remove_member (variants, "pageInfo");
  return TRUE;
}

typedef struct {
  JsonObject *product;   /* variants are appended to it */
  char       *cursor;
  guint       first;
  guint       pages;     /* ProductVariants requests made */
} VariantsOp;

static void
variants_op_free (gpointer data)
{
  VariantsOp *op = data;

  json_object_unref (op->product);
  g_free (op->cursor);
  g_free (op);
}

/* A full sentence naming the product, keeping the cause's domain and code. */
static void
variants_fail (GTask  *task,
               GError *cause)   /* transfer full */
{
  VariantsOp *op = g_task_get_task_data (task);
  JsonArray *nodes = arr_member (obj_member (op->product, "variants"), "nodes");
  const char *title = str_member (op->product, "title");
  const char *id = str_member (op->product, "id");
  GError *error;

  if (g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, cause);
      g_object_unref (task);
      return;
    }
  if (id == NULL)
    id = "?";
  error = g_error_new (cause->domain, cause->code,
                       _("Tandem could not read all variants of the Shopify product “%s” (%s); it "
                         "stopped after %u of them. %s Sync again later."),
                       title != NULL && *title != '\0' ? title : id, id,
                       nodes != NULL ? json_array_get_length (nodes) : 0, cause->message);
  g_error_free (cause);
  g_task_return_error (task, error);
  g_object_unref (task);
}

static void variants_next (GTask *task);

static void
on_variants_page_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  GTask *task = user_data;
  TdmShopifyConnector *self = g_task_get_source_object (task);
  VariantsOp *op = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(JsonObject) data = tdm_shopify_client_execute_finish (self->client, result, &error);
  JsonObject *product;
  JsonObject *conn;
  JsonArray *nodes;
  JsonArray *into;
  JsonObject *info;
  const char *end;
  gboolean more;
  double requested;

  if (data == NULL)
    {
      variants_fail (task, error);
      return;
    }
  requested = tdm_shopify_client_get_last_cost (self->client, "ProductVariants");
  if (requested > 3 && op->first > 0)
    self->variant_cost = MAX ((requested - 3) / op->first, 1);

  if (!json_object_has_member (data, "product")
      || JSON_NODE_HOLDS_NULL (json_object_get_member (data, "product")))
    {
      variants_fail (task, g_error_new_literal (TDM_SYNC_ERROR, TDM_SYNC_ERROR_NOT_FOUND,
                                                _("Shopify no longer has this product.")));
      return;
    }
  product = obj_member (data, "product");
  conn = obj_member (product, "variants");
  nodes = arr_member (conn, "nodes");
  info = obj_member (conn, "pageInfo");
  into = arr_member (obj_member (op->product, "variants"), "nodes");
  if (nodes == NULL || info == NULL || into == NULL)
    {
      variants_fail (task, g_error_new_literal (TDM_SYNC_ERROR, TDM_SYNC_ERROR_INVALID_RESPONSE,
                                                _("Shopify’s answer did not contain the product’s variants.")));
      return;
    }
  for (guint i = 0; i < json_array_get_length (nodes); i++)
    json_array_add_element (into, json_node_copy (json_array_get_element (nodes, i)));

  more = json_object_get_boolean_member_with_default (info, "hasNextPage", FALSE);
  end = str_member (info, "endCursor");
  if (more && (end == NULL || json_array_get_length (nodes) == 0 || g_strcmp0 (end, op->cursor) == 0))
    {
      /* The same page again would never end. */
      variants_fail (task, g_error_new_literal (TDM_SYNC_ERROR, TDM_SYNC_ERROR_INVALID_RESPONSE,
                                                _("Shopify said more variants follow but sent no "
                                                  "position to read them from.")));
      return;
    }
  if (more)
    {
      g_free (op->cursor);
      op->cursor = g_strdup (end);
      variants_next (task);
      return;
    }
  json_object_remove_member (obj_member (op->product, "variants"), "pageInfo");
  g_debug ("product %s: %u variants, %u more requests", str_member (op->product, "id"),
           json_array_get_length (into), op->pages);
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static void
variants_next (GTask *task)
{
  TdmShopifyConnector *self = g_task_get_source_object (task);
  VariantsOp *op = g_task_get_task_data (task);
  g_autoptr(JsonObject) vars = json_object_new ();
  double budget = tdm_shopify_client_get_query_budget (self->client);

  /* product 1 + connection 2 + first × variant: within one query's budget. */
  op->first = (guint) CLAMP ((budget - 3) / MAX (self->variant_cost, 1), 1, VARIANTS_PAGE);
  op->pages++;
  json_object_set_string_member (vars, "id", str_member (op->product, "id"));
  json_object_set_int_member (vars, "first", op->first);
  json_object_set_string_member (vars, "after", op->cursor);
  tdm_shopify_client_execute_async (self->client, "ProductVariants", vars,
                                    3 + op->first * self->variant_cost, 0,
                                    g_task_get_cancellable (task), on_variants_page_cb, task);
}

/* Read the variants of `product` after the ones it holds, appending them
 * (product: a fragment read whose variants pageInfo says hasNextPage). */
static void
product_read_variants_async (TdmShopifyConnector *self,
                             JsonObject          *product,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  VariantsOp *op = g_new0 (VariantsOp, 1);
  JsonObject *info = obj_member (obj_member (product, "variants"), "pageInfo");

  g_task_set_source_tag (task, product_read_variants_async);
  op->product = json_object_ref (product);
  op->cursor = g_strdup (str_member (info, "endCursor"));
  g_task_set_task_data (task, op, variants_op_free);
  if (op->cursor == NULL || str_member (product, "id") == NULL
      || arr_member (obj_member (product, "variants"), "nodes") == NULL)
    {
      variants_fail (task, g_error_new_literal (TDM_SYNC_ERROR, TDM_SYNC_ERROR_INVALID_RESPONSE,
                                                _("Shopify said more variants follow but sent no "
                                                  "position to read them from.")));
      return;
    }
  variants_next (task);
}

static gboolean
product_read_variants_finish (TdmShopifyConnector  *self,
                              GAsyncResult         *result,
                              GError              **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- list_changed --------------------------------------------------------------- */

typedef struct {
  TdmKind  kind;
  char    *since;
  char    *cursor;
  guint    first;
  char    *operation;
  TdmPage *page;
  guint64  skip;      /* bulk: root records to skip after a re-download */
  char    *bulk_id;
  TdmPage *pending;   /* products: the page, while destroy events are read */
  GPtrArray *nodes;   /* paged: the nodes of the page read (JsonObject*) */
  guint    node_index;
  TdmPage *paged;     /* paged: the page being built from `nodes` */
  guint64  total;     /* records Shopify counted for a full read, 0 when not counted */
} ListOp;

static void
list_op_free (gpointer data)
{
  ListOp *op = data;

  g_free (op->since);
  g_free (op->cursor);
  g_free (op->operation);
  g_free (op->bulk_id);
  g_clear_pointer (&op->page, tdm_page_free);
  g_clear_pointer (&op->pending, tdm_page_free);
  g_clear_pointer (&op->nodes, g_ptr_array_unref);
  g_clear_pointer (&op->paged, tdm_page_free);
  g_free (op);
}

static TdmPage *
page_new (void)
{
  TdmPage *page = g_new0 (TdmPage, 1);

  page->records = g_ptr_array_new_with_free_func ((GDestroyNotify) tdm_record_unref);
  page->problems = g_ptr_array_new_with_free_func ((GDestroyNotify) tdm_record_error_free);
  return page;
}

static void
page_add (TdmShopifyConnector *self,
          TdmPage             *page,
          TdmKind              kind,
          JsonObject          *node)
{
  TdmRecordError *unreadable = unreadable_node_error (self, kind, node);
  TdmRecord *record;

  if (unreadable != NULL)
    {
      g_ptr_array_add (page->problems, unreadable);
      return;
    }
  record = record_from_node (self, kind, node, page->problems);

  if (record->updated_at != NULL
      && (page->max_updated_at == NULL || strcmp (record->updated_at, page->max_updated_at) > 0))
    {
      g_free (page->max_updated_at);
      page->max_updated_at = g_strdup (record->updated_at);
    }
  g_ptr_array_add (page->records, record);
}

static gboolean
newer_than (const char *updated_at,
            const char *since)
{
  g_autoptr(GDateTime) a = NULL;
  g_autoptr(GDateTime) b = NULL;

  if (since == NULL)
    return TRUE;
  if (updated_at == NULL)
    return TRUE;
  a = g_date_time_new_from_iso8601 (updated_at, NULL);
  b = g_date_time_new_from_iso8601 (since, NULL);
  if (a == NULL || b == NULL)
    return TRUE;
  return g_date_time_compare (a, b) > 0;
}

static void list_destroy_events (GTask *task, const char *after);

static void
on_destroy_events_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  GTask *task = user_data;
  ListOp *op = g_task_get_task_data (task);
  g_autoptr(JsonObject) data = run_finish (result, task);
  JsonObject *conn;
  JsonArray *nodes;
  JsonObject *info;

  if (data == NULL)
    return;
  conn = obj_member (data, "events");
  nodes = arr_member (conn, "nodes");
  info = obj_member (conn, "pageInfo");
  for (guint i = 0; nodes != NULL && i < json_array_get_length (nodes); i++)
    {
      JsonObject *event = elem_obj (nodes, i);
      const char *subject = str_member (event, "subjectId");

      if (subject == NULL || g_strcmp0 (str_member (event, "action"), "destroy") != 0
          || g_strcmp0 (str_member (event, "subjectType"), "PRODUCT") != 0)
        continue;
      g_ptr_array_add (op->pending->records,
                       tdm_record_new_tombstone (TDM_SIDE_SHOPIFY, TDM_KIND_PRODUCT, subject,
                                                 str_member (event, "createdAt")));
    }
  if (next_page_cursor (info) != NULL)
    {
      list_destroy_events (task, next_page_cursor (info));
      return;
    }
  g_task_return_pointer (task, g_steal_pointer (&op->pending), (GDestroyNotify) tdm_page_free);
  g_object_unref (task);
}

static void
list_destroy_events (GTask      *task,
                     const char *after)
{
  TdmShopifyConnector *self = g_task_get_source_object (task);
  ListOp *op = g_task_get_task_data (task);
  g_autoptr(JsonObject) vars = json_object_new ();
  g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601 (op->since, NULL);
  g_autoptr(GDateTime) utc = dt ? g_date_time_to_utc (dt) : NULL;
  g_autofree char *stamp = utc ? g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ") : g_strdup (op->since);
  g_autofree char *query = g_strdup_printf ("action:'destroy' AND subject_type:'PRODUCT' AND "
                                            "created_at:>'%s'", stamp);

  json_object_set_int_member (vars, "first", 100);
  if (after != NULL)
    json_object_set_string_member (vars, "after", after);
  else
    json_object_set_null_member (vars, "after");
  json_object_set_string_member (vars, "query", query);
  run (self, "ProductDestroyEvents", vars, 2 + 100, 0, task, on_destroy_events_cb);
}

static void
list_page_done (GTask *task)
{
  TdmShopifyConnector *self = g_task_get_source_object (task);
  ListOp *op = g_task_get_task_data (task);
  TdmPage *page = g_steal_pointer (&op->paged);

  g_clear_pointer (&op->nodes, g_ptr_array_unref);
  page->total = op->total;
  self->last_was_bulk = FALSE;
  if (op->kind == TDM_KIND_PRODUCT && op->since != NULL && op->cursor == NULL)
    {
      /* Deleted products come as tombstones with the first page. */
      op->pending = page;
      list_destroy_events (task, NULL);
      return;
    }
  g_task_return_pointer (task, page, (GDestroyNotify) tdm_page_free);
  g_object_unref (task);
}

static void list_take_nodes (GTask *task);

/* Errors that a later try may not meet again. */
static gboolean
error_is_passing (const GError *error)
{
  if (error->domain == TDM_SYNC_ERROR)
    return error->code == TDM_SYNC_ERROR_SERVER ||
           error->code == TDM_SYNC_ERROR_RATE_LIMITED ||
           error->code == TDM_SYNC_ERROR_OFFLINE;
  return error->domain == G_IO_ERROR || error->domain == G_RESOLVER_ERROR;
}

static void
on_list_variants_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  GTask *task = user_data;
  TdmShopifyConnector *self = g_task_get_source_object (task);
  ListOp *op = g_task_get_task_data (task);
  JsonObject *node = op->nodes->pdata[op->node_index];
  GError *error = NULL;

  if (!product_read_variants_finish (self, result, &error))
    {
      g_autofree char *field = NULL;

      /* A passing trouble (network, server, throttling) fails the whole
       * page: the run stops before its watermark passes this product, and
       * the next run reads it again. Leaving it out would skip it until it
       * changes in Shopify. */
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || error_is_passing (error))
        {
          g_task_return_error (task, error);
          g_object_unref (task);
          return;
        }
      /* Refused for good (access, a malformed answer, gone): left out of the
       * page and named, because a record missing variants must never reach
       * the planner (a later productSet would delete them). */
      field = canonical_field (self, op->kind, "variants");
      g_ptr_array_add (op->paged->problems,
                       tdm_record_error_new (TDM_SIDE_SHOPIFY, op->kind, str_member (node, "id"),
                                             field, error->message));
      g_error_free (error);
    }
  else
    page_add (self, op->paged, op->kind, node);
  op->node_index++;
  list_take_nodes (task);
}

/* Turn the nodes read into records, first reading the variants of products
 * with more than fit in the page. */
static void
list_take_nodes (GTask *task)
{
  TdmShopifyConnector *self = g_task_get_source_object (task);
  ListOp *op = g_task_get_task_data (task);

  for (; op->node_index < op->nodes->len; op->node_index++)
    {
      JsonObject *node = op->nodes->pdata[op->node_index];

      if (op->kind == TDM_KIND_PRODUCT && !variants_complete (node))
        {
          product_read_variants_async (self, node, g_task_get_cancellable (task),
                                       on_list_variants_cb, task);
          return;
        }
      page_add (self, op->paged, op->kind, node);
    }
  list_page_done (task);
}

static void
on_list_page_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  TdmShopifyConnector *self = g_task_get_source_object (task);
  ListOp *op = g_task_get_task_data (task);
  g_autoptr(JsonObject) data = run_finish (result, task);
  JsonObject *conn;
  JsonArray *nodes;
  JsonObject *info;

  if (data == NULL)
    return;
  learn_node_cost (self, op->kind, op->operation, op->first);

  {
    g_autofree char *member = g_strconcat (node_names[op->kind], "s", NULL);
    conn = obj_member (data, member);
  }
  nodes = arr_member (conn, "nodes");
  info = obj_member (conn, "pageInfo");
  if (nodes == NULL)
    {
      g_task_return_new_error (task, TDM_SYNC_ERROR, TDM_SYNC_ERROR_INVALID_RESPONSE,
                               _("Shopify sent a list of %s without records."),
                               tdm_kind_display_plural (op->kind));
      g_object_unref (task);
      return;
    }

  g_clear_pointer (&op->paged, tdm_page_free);
  op->paged = page_new ();
  op->paged->next_cursor = g_strdup (next_page_cursor (info));
  g_clear_pointer (&op->nodes, g_ptr_array_unref);
  op->nodes = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  op->node_index = 0;
  for (guint i = 0; i < json_array_get_length (nodes); i++)
    {
      JsonObject *node = elem_obj (nodes, i);

      if (node == NULL || str_member (node, "id") == NULL)
        continue;
      /* The customers filter matches whole days: re-check here. */
      if (op->kind == TDM_KIND_CUSTOMER && !newer_than (str_member (node, "updatedAt"), op->since))
        continue;
      g_ptr_array_add (op->nodes, json_object_ref (node));
    }
  list_take_nodes (task);
}

static void
list_paged (GTask *task)
{
  TdmShopifyConnector *self = g_task_get_source_object (task);
  ListOp *op = g_task_get_task_data (task);
  g_autoptr(JsonObject) vars = json_object_new ();
  g_autofree char *query = tdm_shopify_changed_query (op->kind, op->since);

  op->first = page_size_for (self, op->kind);
  op->operation = op_name (plural_ops, op->kind, "Changed");
  json_object_set_int_member (vars, "first", op->first);
  if (op->cursor != NULL)
    json_object_set_string_member (vars, "after", op->cursor);
  else
    json_object_set_null_member (vars, "after");
  if (query != NULL)
    json_object_set_string_member (vars, "query", query);
  else
    json_object_set_null_member (vars, "query");
  if (op->kind == TDM_KIND_PRODUCT)
    json_object_set_int_member (vars, "variantsFirst", VARIANTS_FIRST);

  run (self, op->operation, vars, 2 + op->first * self->node_cost[op->kind], 0, task,
       on_list_page_cb);
}

/* -- bulk -- */

static void bulk_read_next (GTask *task);

static void
bulk_return_page (GTask   *task,
                  gboolean finished)
{
  TdmShopifyConnector *self = g_task_get_source_object (task);
  ListOp *op = g_task_get_task_data (task);
  TdmPage *page = g_steal_pointer (&op->page);

  page->total = op->total;
  if (finished)
    clear_bulk (self);
  else
    page->next_cursor = g_strdup_printf ("bulk:%s|%" G_GUINT64_FORMAT, self->bulk.id,
                                         self->bulk.consumed);
  self->last_was_bulk = TRUE;
  g_task_return_pointer (task, page, (GDestroyNotify) tdm_page_free);
  g_object_unref (task);
}

static void
bulk_take_root (GTask      *task,
                JsonObject *node)
{
  TdmShopifyConnector *self = g_task_get_source_object (task);
  ListOp *op = g_task_get_task_data (task);

  if (op->skip > 0)
    {
      op->skip--;
      return;
    }
  self->bulk.consumed++;
  page_add (self, op->page, op->kind, node);
}

static void
on_bulk_line_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  TdmShopifyConnector *self = g_task_get_source_object (task);
  ListOp *op = g_task_get_task_data (task);
  GError *error = NULL;
  gsize length = 0;
  g_autofree char *line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source),
                                                                     result, &length, &error);
  g_autoptr(JsonObject) done = NULL;

  if (error != NULL)
    {
      clear_bulk (self);
      g_task_return_error (task, error);
      g_object_unref (task);
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
      clear_bulk (self);
      g_prefix_error (&error, "%s", _("Reading Shopify’s bulk export failed: "));
      g_task_return_error (task, error);
      g_object_unref (task);
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

  g_data_input_stream_read_line_async (self->bulk.lines, G_PRIORITY_DEFAULT,
                                       g_task_get_cancellable (task), on_bulk_line_cb, task);
}

static void
on_bulk_download_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  GTask *task = user_data;
  TdmShopifyConnector *self = g_task_get_source_object (task);
  ListOp *op = g_task_get_task_data (task);
  GError *error = NULL;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GInputStream) stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);

  if (stream == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  if (!SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (msg)))
    {
      g_task_return_new_error (task, TDM_SYNC_ERROR, TDM_SYNC_ERROR_SERVER,
                               _("Downloading Shopify’s bulk export failed (HTTP %u). The next sync "
                                 "starts it again."), soup_message_get_status (msg));
      g_object_unref (task);
      return;
    }
  clear_bulk (self);
  self->bulk.kind = op->kind;
  self->bulk.id = g_strdup (op->bulk_id);
  {
    /* An endless line would otherwise be buffered until memory runs out. */
    g_autoptr(GInputStream) limited = tdm_http_line_limit_stream_new (
        stream, TDM_HTTP_MAX_LINE_BYTES, g_uri_get_host (soup_message_get_uri (msg)));

    self->bulk.lines = g_data_input_stream_new (limited);
  }
  self->bulk.joiner = tdm_shopify_bulk_joiner_new (op->kind);
  self->bulk.consumed = op->skip;
  bulk_read_next (task);
}

static void bulk_poll (GTask *task);

static gboolean
on_bulk_poll_timeout_cb (gpointer user_data)
{
  bulk_poll (user_data);
  return G_SOURCE_REMOVE;
}

static void
on_bulk_poll_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  TdmShopifyConnector *self = g_task_get_source_object (task);
  ListOp *op = g_task_get_task_data (task);
  g_autoptr(JsonObject) data = run_finish (result, task);
  JsonObject *bulk;
  const char *status;
  const char *url;
  g_autoptr(SoupMessage) msg = NULL;
  GError *error = NULL;

  if (data == NULL)
    return;
  bulk = obj_member (data, "bulkOperation");
  status = str_member (bulk, "status");
  if (g_strcmp0 (status, "CREATED") == 0 || g_strcmp0 (status, "RUNNING") == 0)
    {
      g_timeout_add (self->poll_ms, on_bulk_poll_timeout_cb, task);
      return;
    }
  if (g_strcmp0 (status, "COMPLETED") != 0)
    {
      g_task_return_new_error (task, TDM_SYNC_ERROR, TDM_SYNC_ERROR_SERVER,
                               _("Shopify’s bulk export of %s ended with status %s (%s). The next "
                                 "sync starts it again."),
                               tdm_kind_display_plural (op->kind), status ? status : "?",
                               str_member (bulk, "errorCode") ? str_member (bulk, "errorCode") : "-");
      g_object_unref (task);
      return;
    }

  url = str_member (bulk, "url");
  if (url == NULL)
    {
      /* Nothing matched: an empty export. */
      bulk_return_page (task, TRUE);
      return;
    }
  if (!tdm_http_check_url (url, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  msg = soup_message_new (SOUP_METHOD_GET, url);
  soup_session_send_async (tdm_shopify_client_get_session (self->client), msg, G_PRIORITY_DEFAULT,
                           g_task_get_cancellable (task), on_bulk_download_cb, task);
}

static void
bulk_poll (GTask *task)
{
  TdmShopifyConnector *self = g_task_get_source_object (task);
  ListOp *op = g_task_get_task_data (task);
  g_autoptr(JsonObject) vars = json_object_new ();

  json_object_set_string_member (vars, "id", op->bulk_id);
  run (self, "BulkPoll", vars, 1, 0, task, on_bulk_poll_cb);
}

static void
on_bulk_run_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *task = user_data;
  ListOp *op = g_task_get_task_data (task);
  g_autoptr(JsonObject) data = run_finish (result, task);
  JsonObject *payload;
  GError *error = NULL;
  const char *id;

  if (data == NULL)
    return;
  payload = obj_member (data, "bulkOperationRunQuery");
  if (tdm_shopify_user_errors (arr_member (payload, "userErrors"), op->kind, NULL, NULL,
                               NULL, NULL, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  id = str_member (obj_member (payload, "bulkOperation"), "id");
  if (id == NULL)
    {
      g_task_return_new_error (task, TDM_SYNC_ERROR, TDM_SYNC_ERROR_INVALID_RESPONSE,
                               _("Shopify did not start the bulk export."));
      g_object_unref (task);
      return;
    }
  op->bulk_id = g_strdup (id);
  op->page = page_new ();
  bulk_poll (task);
}

static void
list_bulk_start (GTask *task)
{
  TdmShopifyConnector *self = g_task_get_source_object (task);
  ListOp *op = g_task_get_task_data (task);
  g_autoptr(JsonObject) vars = json_object_new ();
  g_autofree char *doc_name = op_name (plural_ops, op->kind, "");
  g_autofree char *bulk_name = g_strconcat ("Bulk", doc_name, NULL);
  GError *error = NULL;
  g_autofree char *doc = tdm_shopify_client_get_document (bulk_name, &error);

  if (doc == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  clear_bulk (self);
  json_object_set_string_member (vars, "query", doc);
  run (self, "BulkRun", vars, 10, 0, task, on_bulk_run_cb);
}

static void
on_list_count_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  TdmShopifyConnector *self = g_task_get_source_object (task);
  ListOp *op = g_task_get_task_data (task);
  g_autoptr(JsonObject) data = run_finish (result, task);
  g_autofree char *member = NULL;
  JsonObject *count;
  gint64 n;

  if (data == NULL)
    return;
  member = g_strconcat (node_names[op->kind], "sCount", NULL);
  count = obj_member (data, member);
  n = count ? json_object_get_int_member_with_default (count, "count", 0) : 0;
  g_debug ("%s: %" G_GINT64_FORMAT " records (bulk threshold %u)", member, n, self->bulk_threshold);
  /* Counts above Shopify's cap say AT_LEAST: only an exact one bounds the listing. */
  if (g_strcmp0 (count ? str_member (count, "precision") : NULL, "EXACT") == 0)
    op->total = (guint64) MAX (n, 0);
  if (n > (gint64) self->bulk_threshold)
    list_bulk_start (task);
  else
    list_paged (task);
}

static void
tdm_shopify_connector_list_changed_async (TdmConnector        *conn,
                                          TdmKind              kind,
                                          const char          *since,
                                          const char          *cursor,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  TdmShopifyConnector *self = TDM_SHOPIFY_CONNECTOR (conn);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  ListOp *op = g_new0 (ListOp, 1);

  g_task_set_source_tag (task, tdm_shopify_connector_list_changed_async);
  op->kind = kind;
  op->since = g_strdup (since);
  op->cursor = g_strdup (cursor);
  g_task_set_task_data (task, op, list_op_free);

  if (cursor != NULL && g_str_has_prefix (cursor, "bulk:"))
    {
      const char *rest = cursor + strlen ("bulk:");
      const char *bar = strrchr (rest, '|');
      guint64 consumed = bar ? g_ascii_strtoull (bar + 1, NULL, 10) : 0;

      op->bulk_id = bar ? g_strndup (rest, bar - rest) : g_strdup (rest);
      op->page = page_new ();
      if (self->bulk.id != NULL && g_strcmp0 (self->bulk.id, op->bulk_id) == 0
          && self->bulk.kind == kind && self->bulk.consumed == consumed && self->bulk.lines != NULL)
        {
          bulk_read_next (task);
          return;
        }
      /* The stream is gone (restart): download again and skip what was handed out. */
      op->skip = consumed;
      bulk_poll (task);
      return;
    }

  if (since == NULL && cursor == NULL && self->bulk_threshold > 0)
    {
      g_autoptr(JsonObject) vars = json_object_new ();
      g_autofree char *operation = op_name (plural_ops, kind, "Count");

      json_object_set_null_member (vars, "query");
      run (self, operation, vars, 1, 0, task, on_list_count_cb);
      return;
    }
  list_paged (task);
}

static TdmPage *
tdm_shopify_connector_list_changed_finish (TdmConnector  *conn,
                                           GAsyncResult  *result,
                                           GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- get / find_created -------------------------------------------------------- */

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

/* Returns the record read (takes the task), or refuses it when it holds
 * unreadable text. */
static void
get_return_node (GTask      *task,
                 JsonObject *node)
{
  TdmShopifyConnector *self = g_task_get_source_object (task);
  GetOp *op = g_task_get_task_data (task);
  TdmRecordError *unreadable = unreadable_node_error (self, op->kind, node);

  if (unreadable != NULL)
    {
      g_task_return_new_error (task, TDM_SYNC_ERROR, TDM_SYNC_ERROR_VALIDATION, "%s",
                               unreadable->message);
      _tdm_connector_set_record_error (TDM_CONNECTOR (self), unreadable);
    }
  else
    g_task_return_pointer (task, record_from_node (self, op->kind, node, NULL),
                           (GDestroyNotify) tdm_record_unref);
  g_object_unref (task);
}

static void
on_get_variants_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  GTask *task = user_data;
  TdmShopifyConnector *self = g_task_get_source_object (task);
  GetOp *op = g_task_get_task_data (task);
  GError *error = NULL;

  if (!product_read_variants_finish (self, result, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  get_return_node (task, op->node);
}

static void
on_get_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GTask *task = user_data;
  TdmShopifyConnector *self = g_task_get_source_object (task);
  GetOp *op = g_task_get_task_data (task);
  g_autoptr(JsonObject) data = run_finish (result, task);
  JsonObject *node = NULL;
  JsonObjectIter iter;
  const char *member;
  JsonNode *value;

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
      g_object_unref (task);
      return;
    }
  if (op->kind == TDM_KIND_PRODUCT && !variants_complete (node))
    {
      op->node = json_object_ref (node);
      product_read_variants_async (self, op->node, g_task_get_cancellable (task),
                                   on_get_variants_cb, task);
      return;
    }
  get_return_node (task, node);
}

static void
get_node (TdmShopifyConnector *self,
          TdmKind              kind,
          const char          *id,
          gboolean             by_custom_id,
          GTask               *task)
{
  g_autoptr(JsonObject) vars = json_object_new ();
  g_autofree char *operation = op_name (kind_ops, kind, by_custom_id ? "ByIdentifier" : "Get");
  GetOp *op = g_new0 (GetOp, 1);

  op->kind = kind;
  op->allow_null = by_custom_id;
  op->id = g_strdup (id);
  g_task_set_task_data (task, op, get_op_free);
  json_object_set_string_member (vars, by_custom_id ? "value" : "id", id);
  if (kind == TDM_KIND_PRODUCT)
    json_object_set_int_member (vars, "variantsFirst", VARIANTS_FIRST);
  run (self, operation, vars, self->node_cost[kind] + 1, 0, task, on_get_cb);
}

static void
tdm_shopify_connector_get_async (TdmConnector        *conn,
                                 TdmKind              kind,
                                 const char          *id,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  GTask *task = g_task_new (conn, cancellable, callback, user_data);

  g_task_set_source_tag (task, tdm_shopify_connector_get_async);
  get_node (TDM_SHOPIFY_CONNECTOR (conn), kind, id, FALSE, task);
}

static TdmRecord *
tdm_shopify_connector_get_finish (TdmConnector  *conn,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
tdm_shopify_connector_find_created_async (TdmConnector        *conn,
                                          TdmKind              kind,
                                          const char          *op_id,
                                          const char          *twin_id,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  GTask *task = g_task_new (conn, cancellable, callback, user_data);

  g_task_set_source_tag (task, tdm_shopify_connector_find_created_async);
  if (twin_id == NULL)
    {
      g_task_return_pointer (task, NULL, NULL);
      g_object_unref (task);
      return;
    }
  get_node (TDM_SHOPIFY_CONNECTOR (conn), kind, twin_id, TRUE, task);
}

static TdmRecord *
tdm_shopify_connector_find_created_finish (TdmConnector  *conn,
                                           GAsyncResult  *result,
                                           GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

typedef struct {
  guint    step;
  gboolean listed;
  gboolean exists[8];
} PrepareOp;

static const struct {
  const char *owner;
  const char *key;
  const char *type;
  const char *name;
} definitions[] = {
  { "CUSTOMER", TDM_SHOPIFY_WEBSHOP_ID_KEY, "id", N_("Webshop ID") },
  { "PRODUCT", TDM_SHOPIFY_WEBSHOP_ID_KEY, "id", N_("Webshop ID") },
  { "ORDER", TDM_SHOPIFY_WEBSHOP_ID_KEY, "id", N_("Webshop ID") },
  { "PRODUCTVARIANT", TDM_SHOPIFY_PRICE_EXCL_VAT_KEY, "number_decimal", N_("Price excluding VAT") },
};
/* The aliases of MetafieldDefinitions, in the order of `definitions`. */
static const char * const definition_aliases[] = { "customer", "product", "order", "variant" };

/* ---- create / update ------------------------------------------------------------ */

typedef struct {
  TdmKind     kind;
  gboolean    create;
  char       *id;          /* update: the Shopify GID */
  char       *twin_id;
  char       *op_id;
  char       *label;
  JsonObject *write;       /* Shopify write shape */
  char       *marketing;   /* desired email marketing state */
  JsonArray  *quantities;  /* product: wanted inventory quantities */
  JsonObject *node;        /* latest read-shape node */
  JsonObject *order_input;
  GPtrArray  *skus;        /* order: SKUs still to resolve */
  guint       attempts;
  JsonArray  *inventory;   /* product: InventoryQuantityInput list being sent */
  guint       inventory_sent; /* entries of `inventory` written so far */
  guint       def_step;    /* metafield definitions checked so far */
} WriteOp;

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
  g_free (op);
}

static void
write_done (GTask *task)
{
  TdmShopifyConnector *self = g_task_get_source_object (task);
  WriteOp *op = g_task_get_task_data (task);
  TdmWriteResult *res = g_new0 (TdmWriteResult, 1);

  res->record = record_from_node (self, op->kind, op->node, NULL);
  g_task_return_pointer (task, res, (GDestroyNotify) tdm_write_result_free);
  g_object_unref (task);
}

static void
set_node (WriteOp    *op,
          JsonObject *node)
{
  JsonObject *copy = tdm_json_object_copy (node);

  g_clear_pointer (&op->node, json_object_unref);
  op->node = copy;
}

/* userErrors → record error + GError; returns TRUE (and finishes the task) when there were any. */
static gboolean
handle_user_errors (GTask     *task,
                    JsonArray *user_errors)
{
  TdmShopifyConnector *self = g_task_get_source_object (task);
  WriteOp *op = g_task_get_task_data (task);
  TdmRecordError *rec_error = NULL;
  g_autofree char *path = NULL;
  GError *error = NULL;

  if (!tdm_shopify_user_errors (user_errors, op->kind, op->label,
                                op->create ? op->twin_id : op->id, &path, &rec_error, &error))
    return FALSE;
  if (rec_error != NULL && path != NULL)
    {
      g_free (rec_error->field);
      rec_error->field = canonical_field (self, op->kind, path);
    }
  _tdm_connector_set_record_error (TDM_CONNECTOR (self), rec_error);
  g_task_return_error (task, error);
  g_object_unref (task);
  return TRUE;
}

static void
fail_record (GTask      *task,
             GError     *error,
             const char *field)
{
  TdmShopifyConnector *self = g_task_get_source_object (task);
  WriteOp *op = g_task_get_task_data (task);

  _tdm_connector_set_record_error (TDM_CONNECTOR (self),
                                   tdm_record_error_new (TDM_SIDE_SHOPIFY, op->kind,
                                                         op->create ? op->twin_id : op->id,
                                                         field, error->message));
  g_task_return_error (task, error);
  g_object_unref (task);
}

/* -- customers -- */

static void
on_customer_consent_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  GTask *task = user_data;
  WriteOp *op = g_task_get_task_data (task);
  g_autoptr(JsonObject) data = run_finish (result, task);
  JsonObject *payload;
  JsonObject *customer;

  if (data == NULL)
    return;
  payload = obj_member (data, "customerEmailMarketingConsentUpdate");
  if (handle_user_errors (task, arr_member (payload, "userErrors")))
    return;
  customer = obj_member (payload, "customer");
  if (customer != NULL)
    set_node (op, customer);
  write_done (task);
}

static void
customer_consent (GTask *task)
{
  TdmShopifyConnector *self = g_task_get_source_object (task);
  WriteOp *op = g_task_get_task_data (task);
  const char *current = tdm_shopify_node_string (op->node, "defaultEmailAddress.marketingState");
  const char *change = tdm_shopify_consent_change (op->marketing, current);
  g_autoptr(JsonObject) vars = NULL;
  JsonObject *input;
  JsonObject *consent;

  if (change == NULL || obj_member (op->node, "defaultEmailAddress") == NULL)
    {
      write_done (task);
      return;
    }
  vars = json_object_new ();
  input = json_object_new ();
  consent = json_object_new ();
  json_object_set_string_member (input, "customerId", str_member (op->node, "id"));
  json_object_set_string_member (consent, "marketingState", change);
  json_object_set_string_member (consent, "marketingOptInLevel", "SINGLE_OPT_IN");
  json_object_set_object_member (input, "emailMarketingConsent", consent);
  json_object_set_object_member (vars, "input", input);
  run (self, "CustomerEmailConsentUpdate", vars, 10, 0, task, on_customer_consent_cb);
}

static void
on_metafields_set_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  GTask *task = user_data;
  WriteOp *op = g_task_get_task_data (task);
  g_autoptr(JsonObject) data = run_finish (result, task);
  JsonObject *payload;
  JsonObject *webshop_id;

  if (data == NULL)
    return;
  payload = obj_member (data, "metafieldsSet");
  if (handle_user_errors (task, arr_member (payload, "userErrors")))
    return;
  webshop_id = json_object_new ();
  json_object_set_string_member (webshop_id, "value", op->twin_id);
  json_object_set_object_member (op->node, "webshopId", webshop_id);
  if (op->kind == TDM_KIND_CUSTOMER)
    customer_consent (task);
  else
    write_done (task);
}

static void
on_customer_set_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  GTask *task = user_data;
  TdmShopifyConnector *self = g_task_get_source_object (task);
  WriteOp *op = g_task_get_task_data (task);
  g_autoptr(JsonObject) data = run_finish (result, task);
  JsonObject *payload;
  JsonObject *customer;

  if (data == NULL)
    return;
  payload = obj_member (data, "customerSet");
  if (handle_user_errors (task, arr_member (payload, "userErrors")))
    return;
  customer = obj_member (payload, "customer");
  if (customer == NULL)
    {
      fail_record (task, g_error_new_literal (TDM_SYNC_ERROR, TDM_SYNC_ERROR_INVALID_RESPONSE,
                                              _("Shopify did not return the customer it saved.")),
                   NULL);
      return;
    }
  set_node (op, customer);

  if (op->twin_id != NULL && g_strcmp0 (tdm_shopify_node_twin_id (op->node), op->twin_id) != 0)
    {
      g_autoptr(JsonObject) vars = json_object_new ();
      JsonArray *mfs = json_array_new ();

      json_array_add_object_element (mfs, tdm_shopify_webshop_id_metafield (str_member (op->node, "id"),
                                                                            op->twin_id));
      json_object_set_array_member (vars, "metafields", mfs);
      run (self, "MetafieldsSet", vars, 10, 0, task, on_metafields_set_cb);
      return;
    }
  customer_consent (task);
}

static void
write_customer (GTask *task)
{
  TdmShopifyConnector *self = g_task_get_source_object (task);
  WriteOp *op = g_task_get_task_data (task);
  g_autoptr(JsonObject) vars = json_object_new ();
  JsonObject *input = tdm_shopify_customer_set_input (op->write, &op->marketing);

  if (op->create && op->twin_id != NULL)
    json_object_set_object_member (vars, "identifier", custom_id_identifier (op->twin_id));
  else if (!op->create)
    json_object_set_object_member (vars, "identifier", id_identifier (op->id));
  json_object_set_object_member (vars, "input", input);
  run (self, "CustomerSet", vars, 10, 0, task, on_customer_set_cb);
}

/* -- products -- */

static gboolean
options_match (JsonArray *selected,   /* [{name, value}] */
               JsonArray *wanted)     /* [{optionName, name}] */
{
  if (selected == NULL || wanted == NULL)
    return FALSE;
  if (json_array_get_length (selected) != json_array_get_length (wanted))
    return FALSE;
  for (guint i = 0; i < json_array_get_length (wanted); i++)
    {
      JsonObject *w = elem_obj (wanted, i);
      gboolean found = FALSE;

      for (guint j = 0; j < json_array_get_length (selected); j++)
        {
          JsonObject *s = elem_obj (selected, j);
          if (g_strcmp0 (str_member (s, "name"), str_member (w, "optionName")) == 0
              && g_strcmp0 (str_member (s, "value"), str_member (w, "name")) == 0)
            found = TRUE;
        }
      if (!found)
        return FALSE;
    }
  return TRUE;
}

static JsonObject *
find_variant (JsonObject *product,
              JsonObject *wanted)
{
  JsonArray *variants = arr_member (obj_member (product, "variants"), "nodes");
  const char *sku = str_member (wanted, "sku");

  for (guint i = 0; variants != NULL && i < json_array_get_length (variants); i++)
    {
      JsonObject *v = elem_obj (variants, i);
      if (sku != NULL && *sku != '\0')
        {
          if (g_strcmp0 (str_member (v, "sku"), sku) == 0)
            return v;
        }
      else if (options_match (arr_member (v, "selectedOptions"), arr_member (wanted, "options")))
        return v;
    }
  return NULL;
}

static void product_send_inventory (GTask *task);

static void
on_inventory_set_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  GTask *task = user_data;
  WriteOp *op = g_task_get_task_data (task);
  g_autoptr(JsonObject) data = run_finish (result, task);
  JsonObject *payload;

  if (data == NULL)
    return;
  payload = obj_member (data, "inventorySetQuantities");
  if (handle_user_errors (task, arr_member (payload, "userErrors")))
    return;
  op->inventory_sent = MIN (op->inventory_sent + MAX_INPUT_ARRAY,
                            json_array_get_length (op->inventory));
  if (op->inventory_sent < json_array_get_length (op->inventory))
    {
      product_send_inventory (task);
      return;
    }

  /* Reflect the quantities written in the returned record. */
  for (guint i = 0; i < json_array_get_length (op->quantities); i++)
    {
      JsonObject *q = elem_obj (op->quantities, i);
      JsonObject *v = find_variant (op->node, q);
      if (v != NULL)
        json_object_set_int_member (v, "inventoryQuantity", json_object_get_int_member (q, "quantity"));
    }
  write_done (task);
}

static void
product_send_inventory (GTask *task)
{
  TdmShopifyConnector *self = g_task_get_source_object (task);
  WriteOp *op = g_task_get_task_data (task);
  g_autoptr(JsonObject) vars = json_object_new ();
  JsonObject *input = json_object_new ();
  JsonArray *quantities = json_array_new ();
  guint total = json_array_get_length (op->inventory);
  guint part = op->inventory_sent / MAX_INPUT_ARRAY;
  g_autofree char *key = NULL;

  /* At most 250 quantities a request. Each part has its own idempotency key,
   * the same again when the write is retried: the op id for the first. */
  if (op->op_id == NULL)
    key = g_uuid_string_random ();
  else if (part == 0)
    key = g_strdup (op->op_id);
  else
    key = g_strdup_printf ("%s-%u", op->op_id, part + 1);
  for (guint i = op->inventory_sent; i < total && i < op->inventory_sent + MAX_INPUT_ARRAY; i++)
    {
      JsonObject *entry = elem_obj (op->inventory, i);

      json_object_set_string_member (entry, "locationId", self->location_id);
      json_array_add_object_element (quantities, json_object_ref (entry));
    }
  json_object_set_string_member (input, "name", "available");
  json_object_set_string_member (input, "reason", "correction");
  json_object_set_array_member (input, "quantities", quantities);
  json_object_set_object_member (vars, "input", input);
  json_object_set_string_member (vars, "key", key);
  run (self, "InventorySet", vars, 10, 0, task, on_inventory_set_cb);
}

static void
on_locations_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  TdmShopifyConnector *self = g_task_get_source_object (task);
  g_autoptr(JsonObject) data = run_finish (result, task);
  JsonArray *nodes;
  const char *chosen = NULL;

  if (data == NULL)
    return;
  nodes = arr_member (obj_member (data, "locations"), "nodes");
  /* The first location that ships inventory, else the first one. */
  for (guint i = 0; nodes != NULL && i < json_array_get_length (nodes); i++)
    {
      JsonObject *loc = elem_obj (nodes, i);
      if (loc != NULL && json_object_get_boolean_member_with_default (loc, "shipsInventory", FALSE))
        {
          chosen = str_member (loc, "id");
          break;
        }
    }
  if (chosen == NULL && nodes != NULL && json_array_get_length (nodes) > 0)
    chosen = str_member (elem_obj (nodes, 0), "id");
  if (chosen == NULL)
    {
      fail_record (task, g_error_new_literal (TDM_SYNC_ERROR, TDM_SYNC_ERROR_CONFIG,
                                              _("The Shopify shop has no location to keep stock at. "
                                                "Add a location in Shopify, or turn off stock sync.")),
                   "inventoryQuantity");
      return;
    }
  g_free (self->location_id);
  self->location_id = g_strdup (chosen);
  product_send_inventory (task);
}

static void
product_inventory (GTask *task)
{
  TdmShopifyConnector *self = g_task_get_source_object (task);
  WriteOp *op = g_task_get_task_data (task);

  g_clear_pointer (&op->inventory, json_array_unref);
  op->inventory = json_array_new ();
  op->inventory_sent = 0;
  for (guint i = 0; op->quantities != NULL && i < json_array_get_length (op->quantities); i++)
    {
      JsonObject *q = elem_obj (op->quantities, i);
      JsonObject *v = find_variant (op->node, q);
      JsonObject *item;
      JsonObject *entry;
      gint64 wanted = json_object_get_int_member (q, "quantity");

      if (v == NULL || obj_member (v, "inventoryItem") == NULL)
        continue;
      if (json_object_has_member (v, "inventoryQuantity")
          && !JSON_NODE_HOLDS_NULL (json_object_get_member (v, "inventoryQuantity"))
          && json_object_get_int_member (v, "inventoryQuantity") == wanted)
        continue;
      item = obj_member (v, "inventoryItem");
      entry = json_object_new ();
      json_object_set_string_member (entry, "inventoryItemId", str_member (item, "id"));
      json_object_set_int_member (entry, "quantity", wanted);
      json_object_set_null_member (entry, "changeFromQuantity");
      json_array_add_object_element (op->inventory, entry);
    }

  if (json_array_get_length (op->inventory) == 0)
    {
      write_done (task);
      return;
    }
  if (self->location_id == NULL)
    {
      run (self, "Locations", NULL, 5, 0, task, on_locations_cb);
      return;
    }
  product_send_inventory (task);
}

static void
on_product_set_variants_cb (GObject      *source,
                            GAsyncResult *result,
                            gpointer      user_data)
{
  GTask *task = user_data;
  TdmShopifyConnector *self = g_task_get_source_object (task);
  GError *error = NULL;

  if (!product_read_variants_finish (self, result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_task_return_error (task, error);
          g_object_unref (task);
          return;
        }
      /* The product was saved; its record must hold every variant. */
      {
        g_autofree char *field = canonical_field (self, TDM_KIND_PRODUCT, "variants");
        fail_record (task, error, field);
      }
      return;
    }
  product_inventory (task);
}

static void
on_product_set_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GTask *task = user_data;
  WriteOp *op = g_task_get_task_data (task);
  g_autoptr(JsonObject) data = run_finish (result, task);
  JsonObject *payload;
  JsonObject *product;

  if (data == NULL)
    return;
  payload = obj_member (data, "productSet");
  if (handle_user_errors (task, arr_member (payload, "userErrors")))
    return;
  product = obj_member (payload, "product");
  if (product == NULL)
    {
      fail_record (task, g_error_new_literal (TDM_SYNC_ERROR, TDM_SYNC_ERROR_INVALID_RESPONSE,
                                              _("Shopify did not return the product it saved.")),
                   NULL);
      return;
    }
  set_node (op, product);
  if (!variants_complete (op->node))
    {
      product_read_variants_async (g_task_get_source_object (task), op->node,
                                   g_task_get_cancellable (task), on_product_set_variants_cb, task);
      return;
    }
  product_inventory (task);
}

static void
write_product (GTask *task)
{
  TdmShopifyConnector *self = g_task_get_source_object (task);
  WriteOp *op = g_task_get_task_data (task);
  g_autoptr(JsonObject) vars = json_object_new ();
  JsonObject *input = tdm_shopify_product_set_input (op->write, op->twin_id, &op->quantities);
  JsonArray *variants = arr_member (input, "variants");
  double cost = 10 + 0.2 * (variants ? json_array_get_length (variants) : 0);

  if (variants != NULL && json_array_get_length (variants) > MAX_PRODUCT_VARIANTS)
    {
      g_autofree char *field = canonical_field (self, TDM_KIND_PRODUCT, "variants");
      guint n = json_array_get_length (variants);

      json_object_unref (input);
      fail_record (task, g_error_new (TDM_SYNC_ERROR, TDM_SYNC_ERROR_VALIDATION,
                                      _("%s has %u variants, but Shopify takes at most %u "
                                        "variants per product. Nothing was sent to Shopify. "
                                        "Remove variants in the webshop or split the product, "
                                        "then sync again."),
                                      op->label, n, MAX_PRODUCT_VARIANTS),
                   field);
      return;
    }
  if (op->create && op->twin_id != NULL)
    json_object_set_object_member (vars, "identifier", custom_id_identifier (op->twin_id));
  else if (!op->create)
    json_object_set_object_member (vars, "identifier", id_identifier (op->id));
  json_object_set_object_member (vars, "input", input);
  json_object_set_int_member (vars, "variantsFirst", VARIANTS_FIRST);
  run (self, "ProductSet", vars, cost, 0, task, on_product_set_cb);
}

/* -- orders -- */

static void order_create_send (GTask *task);
static void order_after_write (GTask *task);

static void
on_order_refetch_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  GTask *task = user_data;
  WriteOp *op = g_task_get_task_data (task);
  g_autoptr(JsonObject) data = run_finish (result, task);
  JsonObject *order;

  if (data == NULL)
    return;
  order = obj_member (data, "order");
  if (order != NULL)
    set_node (op, order);
  write_done (task);
}

static void
order_refetch (GTask *task)
{
  TdmShopifyConnector *self = g_task_get_source_object (task);
  WriteOp *op = g_task_get_task_data (task);
  g_autoptr(JsonObject) vars = json_object_new ();

  json_object_set_string_member (vars, "id", str_member (op->node, "id"));
  run (self, "OrderGet", vars, 0, 0, task, on_order_refetch_cb);
}

static void
on_order_mark_paid_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  GTask *task = user_data;
  WriteOp *op = g_task_get_task_data (task);
  g_autoptr(JsonObject) data = run_finish (result, task);
  JsonObject *payload;

  if (data == NULL)
    return;
  payload = obj_member (data, "orderMarkAsPaid");
  if (handle_user_errors (task, arr_member (payload, "userErrors")))
    return;
  if (obj_member (payload, "order") != NULL)
    set_node (op, obj_member (payload, "order"));
  json_object_remove_member (op->write, "financialStatus");
  order_after_write (task);
}

static void
on_order_cancel_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  GTask *task = user_data;
  WriteOp *op = g_task_get_task_data (task);
  g_autoptr(JsonObject) data = run_finish (result, task);
  JsonObject *payload;

  if (data == NULL)
    return;
  payload = obj_member (data, "orderCancel");
  if (handle_user_errors (task, arr_member (payload, "orderCancelUserErrors")))
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
  const char *cancelled = str_member (op->write, "cancelledAt");
  const char *financial = str_member (op->write, "financialStatus");

  if (!op->create && financial != NULL && g_ascii_strcasecmp (financial, "PAID") == 0
      && g_strcmp0 (str_member (op->node, "displayFinancialStatus"), "PAID") != 0
      && str_member (op->node, "cancelledAt") == NULL)
    {
      g_autoptr(JsonObject) vars = json_object_new ();

      json_object_set_string_member (vars, "id", str_member (op->node, "id"));
      run (self, "OrderMarkAsPaid", vars, 10, 0, task, on_order_mark_paid_cb);
      return;
    }
  if (cancelled != NULL && *cancelled != '\0' && str_member (op->node, "cancelledAt") == NULL)
    {
      g_autoptr(JsonObject) vars = json_object_new ();

      json_object_set_string_member (vars, "orderId", str_member (op->node, "id"));
      json_object_set_boolean_member (vars, "restock", FALSE);
      json_object_set_string_member (vars, "reason", "OTHER");
      run (self, "OrderCancel", vars, 10, 0, task, on_order_cancel_cb);
      return;
    }
  write_done (task);
}

static void
on_order_lookup_before_retry_cb (GObject      *source,
                                 GAsyncResult *result,
                                 gpointer      user_data)
{
  GTask *task = user_data;
  WriteOp *op = g_task_get_task_data (task);
  g_autoptr(JsonObject) data = run_finish (result, task);
  JsonObject *order;

  if (data == NULL)
    return;
  order = obj_member (data, "orderByIdentifier");
  if (order != NULL)
    {
      g_debug ("orderCreate: the order for %s exists after all; not creating it again", op->twin_id);
      set_node (op, order);
      order_after_write (task);
      return;
    }
  order_create_send (task);
}

static void
on_order_create_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  GTask *task = user_data;
  TdmShopifyConnector *self = g_task_get_source_object (task);
  WriteOp *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) data = tdm_shopify_client_execute_finish (self->client, result, &error);
  JsonObject *payload;
  JsonObject *order;

  if (data == NULL)
    {
      gboolean unclear = !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
                         && !g_error_matches (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_AUTH)
                         && !g_error_matches (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_RATE_LIMITED)
                         && !g_error_matches (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_VALIDATION)
                         && !g_error_matches (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_CONFIG);

      if (unclear && op->twin_id != NULL && op->attempts < ORDER_CREATE_ATTEMPTS)
        {
          g_autoptr(JsonObject) vars = json_object_new ();

          g_debug ("orderCreate for %s: %s; looking the order up before retrying", op->twin_id,
                   error->message);
          json_object_set_string_member (vars, "value", op->twin_id);
          run (self, "OrderByIdentifier", vars, 0, 0, task, on_order_lookup_before_retry_cb);
          return;
        }
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  payload = obj_member (data, "orderCreate");
  if (handle_user_errors (task, arr_member (payload, "userErrors")))
    return;
  order = obj_member (payload, "order");
  if (order == NULL)
    {
      fail_record (task, g_error_new_literal (TDM_SYNC_ERROR, TDM_SYNC_ERROR_INVALID_RESPONSE,
                                              _("Shopify did not return the order it created.")),
                   NULL);
      return;
    }
  set_node (op, order);
  order_after_write (task);
}

static gboolean
on_order_spacing_done_cb (gpointer user_data)
{
  order_create_send (user_data);
  return G_SOURCE_REMOVE;
}

static void
order_create_send (GTask *task)
{
  TdmShopifyConnector *self = g_task_get_source_object (task);
  WriteOp *op = g_task_get_task_data (task);
  g_autoptr(JsonObject) vars = NULL;
  JsonObject *options;
  gint64 now = g_get_monotonic_time ();

  /* Development and trial stores take at most 5 new orders per minute. */
  if (self->dev_store && self->order_interval_ms > 0 && self->last_order_create > 0
      && now < self->last_order_create + (gint64) self->order_interval_ms * 1000)
    {
      guint ms = (guint) ((self->last_order_create + (gint64) self->order_interval_ms * 1000 - now) / 1000);
      g_debug ("orderCreate: development store, waiting %u ms", ms + 1);
      g_timeout_add (ms + 1, on_order_spacing_done_cb, task);
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
  run (self, "OrderCreate", vars, 10, TDM_SHOPIFY_EXEC_NO_REPLAY, task, on_order_create_cb);
}

static void order_resolve_next_sku (GTask *task);

static void
on_variants_by_sku_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  GTask *task = user_data;
  TdmShopifyConnector *self = g_task_get_source_object (task);
  WriteOp *op = g_task_get_task_data (task);
  g_autoptr(JsonObject) data = run_finish (result, task);
  JsonArray *nodes;
  const char *sku;
  const char *found = NULL;
  guint matches = 0;

  if (data == NULL)
    return;
  sku = op->skus->pdata[op->skus->len - 1];
  nodes = arr_member (obj_member (data, "productVariants"), "nodes");
  for (guint i = 0; nodes != NULL && i < json_array_get_length (nodes); i++)
    {
      JsonObject *v = elem_obj (nodes, i);
      if (g_strcmp0 (str_member (v, "sku"), sku) == 0)
        {
          matches++;
          found = str_member (v, "id");
        }
    }
  /* Two variants with one SKU: ambiguous, sent as a custom line. */
  g_hash_table_replace (self->variant_ids, g_strdup (sku),
                        g_strdup (matches == 1 ? found : ""));
  g_ptr_array_remove_index (op->skus, op->skus->len - 1);
  order_resolve_next_sku (task);
}

static void
order_resolve_next_sku (GTask *task)
{
  TdmShopifyConnector *self = g_task_get_source_object (task);
  WriteOp *op = g_task_get_task_data (task);
  g_autoptr(JsonObject) vars = NULL;
  g_autofree char *query = NULL;

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
  run (self, "VariantsBySku", vars, 6, 0, task, on_variants_by_sku_cb);
}

static void
on_order_update_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  GTask *task = user_data;
  WriteOp *op = g_task_get_task_data (task);
  g_autoptr(JsonObject) data = run_finish (result, task);
  JsonObject *payload;

  if (data == NULL)
    return;
  payload = obj_member (data, "orderUpdate");
  if (handle_user_errors (task, arr_member (payload, "userErrors")))
    return;
  if (obj_member (payload, "order") != NULL)
    set_node (op, obj_member (payload, "order"));
  order_after_write (task);
}

static void
on_order_current_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  GTask *task = user_data;
  TdmShopifyConnector *self = g_task_get_source_object (task);
  WriteOp *op = g_task_get_task_data (task);
  g_autoptr(JsonObject) data = run_finish (result, task);
  g_autoptr(JsonObject) input = NULL;
  JsonObject *order;

  if (data == NULL)
    return;
  order = obj_member (data, "order");
  if (order == NULL)
    {
      g_task_return_new_error (task, TDM_SYNC_ERROR, TDM_SYNC_ERROR_NOT_FOUND,
                               _("The order %s no longer exists in Shopify."), op->id);
      g_object_unref (task);
      return;
    }
  set_node (op, order);
  input = tdm_shopify_order_update_input (op->write, op->id, op->twin_id);
  if (input != NULL)
    {
      g_autoptr(JsonObject) vars = json_object_new ();
      json_object_set_object_member (vars, "input", g_steal_pointer (&input));
      run (self, "OrderUpdate", vars, 10, 0, task, on_order_update_cb);
      return;
    }
  order_after_write (task);
}

static void
write_order (GTask *task)
{
  TdmShopifyConnector *self = g_task_get_source_object (task);
  WriteOp *op = g_task_get_task_data (task);

  if (op->create)
    {
      JsonArray *lines = arr_member (op->write, "lineItems");

      op->skus = g_ptr_array_new_with_free_func (g_free);
      for (guint i = 0; lines != NULL && i < json_array_get_length (lines); i++)
        {
          const char *sku = str_member (elem_obj (lines, i), "sku");
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
      run (self, "OrderGet", vars, 0, 0, task, on_order_current_cb);
    }
}

static void
write_dispatch (GTask *task)
{
  WriteOp *op = g_task_get_task_data (task);

  switch (op->kind)
    {
    case TDM_KIND_CUSTOMER:
      write_customer (task);
      break;
    case TDM_KIND_PRODUCT:
      write_product (task);
      break;
    case TDM_KIND_ORDER:
    default:
      write_order (task);
      break;
    }
}

static void write_ensure_definitions (GTask *task);

static void
on_write_definition_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  GTask *task = user_data;
  TdmShopifyConnector *self = g_task_get_source_object (task);
  WriteOp *op = g_task_get_task_data (task);
  g_autoptr(JsonObject) data = run_finish (result, task);
  JsonArray *errors;

  if (data == NULL)
    return;
  errors = arr_member (obj_member (data, "metafieldDefinitionCreate"), "userErrors");
  for (guint i = 0; errors != NULL && i < json_array_get_length (errors); i++)
    {
      JsonObject *e = elem_obj (errors, i);

      /* TAKEN: it exists already (made in between): fine. */
      if (g_strcmp0 (str_member (e, "code"), "TAKEN") != 0)
        {
          g_task_return_new_error (task, TDM_SYNC_ERROR, TDM_SYNC_ERROR_CONFIG,
                                   _("Tandem could not set up its Shopify field “%s” on %s: %s. "
                                     "Check the app’s access scopes in the Shopify Dev Dashboard."),
                                   definitions[op->def_step].key, definitions[op->def_step].owner,
                                   str_member (e, "message"));
          g_object_unref (task);
          return;
        }
    }
  self->missing_definitions &= ~(1u << op->def_step);
  write_ensure_definitions (task);
}

/* Create the app metafield definitions prepare found missing, then write. */
static void
write_ensure_definitions (GTask *task)
{
  TdmShopifyConnector *self = g_task_get_source_object (task);
  WriteOp *op = g_task_get_task_data (task);
  g_autoptr(JsonObject) vars = NULL;
  JsonObject *def;

  while (op->def_step < G_N_ELEMENTS (definitions)
         && (self->missing_definitions & (1u << op->def_step)) == 0)
    op->def_step++;
  if (op->def_step >= G_N_ELEMENTS (definitions))
    {
      write_dispatch (task);
      return;
    }
  vars = json_object_new ();
  def = json_object_new ();
  json_object_set_string_member (def, "name", _(definitions[op->def_step].name));
  json_object_set_string_member (def, "namespace", TDM_SHOPIFY_APP_NAMESPACE);
  json_object_set_string_member (def, "key", definitions[op->def_step].key);
  json_object_set_string_member (def, "type", definitions[op->def_step].type);
  json_object_set_string_member (def, "ownerType", definitions[op->def_step].owner);
  json_object_set_object_member (vars, "definition", def);
  run (self, "MetafieldDefinitionCreate", vars, 10, 0, task, on_write_definition_cb);
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
  TdmConnector *conn = TDM_CONNECTOR (self);
  WriteOp *op = g_new0 (WriteOp, 1);
  g_autoptr(GError) error = NULL;
  g_autofree const char **only = NULL;
  TdmMapping *mapping = tdm_connector_get_mapping (conn);
  const char *label_field;

  op->kind = kind;
  op->create = create;
  op->id = g_strdup (id);
  op->twin_id = g_strdup (twin_id);
  op->op_id = g_strdup (op_id);
  g_task_set_task_data (task, op, write_op_free);
  _tdm_connector_set_record_error (conn, NULL);

  if (!create)
    {
      guint n = json_object_get_size (fields);
      GList *members = json_object_get_members (fields);
      guint i = 0;

      only = g_new0 (const char *, n + 1);
      for (GList *l = members; l != NULL; l = l->next)
        only[i++] = l->data;
      g_list_free (members);
    }
  if (mapping == NULL)
    op->write = tdm_json_object_copy (fields);
  else
    op->write = tdm_mapping_unmap_fields (mapping, kind, TDM_SIDE_SHOPIFY, fields, create,
                                          (const char * const *) only,
                                          tdm_connector_get_map_context (conn), &error);
  if (op->write == NULL)
    {
      fail_record (task, g_steal_pointer (&error), NULL);
      return;
    }

  label_field = kind == TDM_KIND_CUSTOMER ? "email" : kind == TDM_KIND_PRODUCT ? "title" : "name";
  if (str_member (op->write, label_field) != NULL)
    op->label = g_strdup_printf ("%s %s", tdm_kind_display_name (kind),
                                 str_member (op->write, label_field));
  else if (id != NULL || twin_id != NULL)
    op->label = g_strdup_printf ("%s %s", tdm_kind_display_name (kind), id ? id : twin_id);
  else
    op->label = g_strdup (tdm_kind_display_name (kind));

  write_ensure_definitions (task);
}

static void
tdm_shopify_connector_create_async (TdmConnector        *conn,
                                    TdmKind              kind,
                                    JsonObject          *fields,
                                    const char          *op_id,
                                    const char          *twin_id,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  GTask *task = g_task_new (conn, cancellable, callback, user_data);

  g_task_set_source_tag (task, tdm_shopify_connector_create_async);
  start_write (TDM_SHOPIFY_CONNECTOR (conn), task, kind, TRUE, NULL, fields, op_id, twin_id);
}

static TdmWriteResult *
tdm_shopify_connector_create_finish (TdmConnector  *conn,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
tdm_shopify_connector_update_async (TdmConnector        *conn,
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
  GTask *task = g_task_new (conn, cancellable, callback, user_data);

  g_task_set_source_tag (task, tdm_shopify_connector_update_async);
  start_write (TDM_SHOPIFY_CONNECTOR (conn), task, kind, FALSE, id, fields, op_id, twin_id);
}

static TdmWriteResult *
tdm_shopify_connector_update_finish (TdmConnector  *conn,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- delete ------------------------------------------------------------------------ */

static void
on_delete_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  g_autoptr(JsonObject) data = run_finish (result, task);
  TdmKind kind = GPOINTER_TO_INT (g_task_get_task_data (task));
  JsonObject *payload;
  GError *error = NULL;

  if (data == NULL)
    return;
  payload = obj_member (data, kind == TDM_KIND_PRODUCT ? "productUpdate"
                              : kind == TDM_KIND_CUSTOMER ? "customerDelete" : "orderCancel");
  if (tdm_shopify_user_errors (arr_member (payload, kind == TDM_KIND_ORDER ? "orderCancelUserErrors"
                                                                          : "userErrors"),
                               kind, NULL, NULL, NULL, NULL, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static void
tdm_shopify_connector_delete_async (TdmConnector        *conn,
                                    TdmKind              kind,
                                    const char          *id,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  TdmShopifyConnector *self = TDM_SHOPIFY_CONNECTOR (conn);
  GTask *task = g_task_new (conn, cancellable, callback, user_data);
  g_autoptr(JsonObject) vars = json_object_new ();

  g_task_set_source_tag (task, tdm_shopify_connector_delete_async);
  g_task_set_task_data (task, GINT_TO_POINTER (kind), NULL);
  switch (kind)
    {
    case TDM_KIND_PRODUCT:
      json_object_set_string_member (vars, "id", id);
      run (self, "ProductArchive", vars, 10, 0, task, on_delete_cb);
      break;
    case TDM_KIND_CUSTOMER:
      json_object_set_string_member (vars, "id", id);
      run (self, "CustomerDelete", vars, 10, 0, task, on_delete_cb);
      break;
    case TDM_KIND_ORDER:
    default:
      json_object_set_string_member (vars, "orderId", id);
      json_object_set_boolean_member (vars, "restock", FALSE);
      json_object_set_string_member (vars, "reason", "OTHER");
      run (self, "OrderCancel", vars, 10, 0, task, on_delete_cb);
      break;
    }
}

static gboolean
tdm_shopify_connector_delete_finish (TdmConnector  *conn,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- list_ids ------------------------------------------------------------------------- */

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
  GTask *task = user_data;
  IdsOp *op = g_task_get_task_data (task);
  g_autoptr(JsonObject) data = run_finish (result, task);
  g_autofree char *member = NULL;
  JsonObject *conn;
  JsonArray *nodes;
  JsonObject *info;

  if (data == NULL)
    return;
  member = g_strconcat (node_names[op->kind], "s", NULL);
  conn = obj_member (data, member);
  nodes = arr_member (conn, "nodes");
  info = obj_member (conn, "pageInfo");
  for (guint i = 0; nodes != NULL && i < json_array_get_length (nodes); i++)
    {
      const char *id = str_member (elem_obj (nodes, i), "id");
      if (id != NULL)
        g_ptr_array_add (op->ids, g_strdup (id));
    }
  if (next_page_cursor (info) != NULL)
    {
      ids_next (task, next_page_cursor (info));
      return;
    }
  g_task_return_pointer (task, g_steal_pointer (&op->ids), (GDestroyNotify) g_ptr_array_unref);
  g_object_unref (task);
}

static void
ids_next (GTask      *task,
          const char *after)
{
  TdmShopifyConnector *self = g_task_get_source_object (task);
  IdsOp *op = g_task_get_task_data (task);
  g_autoptr(JsonObject) vars = json_object_new ();
  g_autofree char *operation = op_name (kind_ops, op->kind, "Ids");

  json_object_set_int_member (vars, "first", IDS_PAGE);
  if (after != NULL)
    json_object_set_string_member (vars, "after", after);
  else
    json_object_set_null_member (vars, "after");
  run (self, operation, vars, 2 + IDS_PAGE, 0, task, on_ids_page_cb);
}

static void
tdm_shopify_connector_list_ids_async (TdmConnector        *conn,
                                      TdmKind              kind,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  GTask *task = g_task_new (conn, cancellable, callback, user_data);
  IdsOp *op = g_new0 (IdsOp, 1);

  g_task_set_source_tag (task, tdm_shopify_connector_list_ids_async);
  op->kind = kind;
  op->ids = g_ptr_array_new_with_free_func (g_free);
  g_task_set_task_data (task, op, ids_op_free);
  ids_next (task, NULL);
}

static GPtrArray *
tdm_shopify_connector_list_ids_finish (TdmConnector  *conn,
                                       GAsyncResult  *result,
                                       GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- test_connection / prepare ------------------------------------------------------- */

static void
remember_plan (TdmShopifyConnector *self,
               JsonObject          *shop)
{
  JsonObject *plan = obj_member (shop, "plan");

  self->dev_store = plan != NULL
                    && json_object_get_boolean_member_with_default (plan, "partnerDevelopment", FALSE);
}

static void
on_shop_info_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  TdmShopifyConnector *self = g_task_get_source_object (task);
  g_autoptr(JsonObject) data = run_finish (result, task);
  JsonObject *shop;
  TdmShopInfo *info;

  if (data == NULL)
    return;
  shop = obj_member (data, "shop");
  info = g_new0 (TdmShopInfo, 1);
  info->name = g_strdup (str_member (shop, "name"));
  info->currency = g_strdup (str_member (shop, "currencyCode"));
  info->plan = g_strdup (str_member (obj_member (shop, "plan"), "publicDisplayName"));
  info->detail = g_strdup (tdm_shopify_client_get_endpoint (self->client));
  g_free (self->shop_currency);
  self->shop_currency = g_strdup (info->currency);
  remember_plan (self, shop);
  g_task_return_pointer (task, info, (GDestroyNotify) tdm_shop_info_free);
  g_object_unref (task);
}

static void
tdm_shopify_connector_test_connection_async (TdmConnector        *conn,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data)
{
  GTask *task = g_task_new (conn, cancellable, callback, user_data);

  g_task_set_source_tag (task, tdm_shopify_connector_test_connection_async);
  run (TDM_SHOPIFY_CONNECTOR (conn), "ShopInfo", NULL, 2, 0, task, on_shop_info_cb);
}

static TdmShopInfo *
tdm_shopify_connector_test_connection_finish (TdmConnector  *conn,
                                              GAsyncResult  *result,
                                              GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void prepare_next (GTask *task);
static void on_prepare_shop_cb (GObject *source, GAsyncResult *result, gpointer user_data);

static void
on_prepare_shop_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  GTask *task = user_data;
  TdmShopifyConnector *self = g_task_get_source_object (task);
  g_autoptr(JsonObject) data = run_finish (result, task);

  if (data == NULL)
    return;
  g_free (self->shop_currency);
  self->shop_currency = g_strdup (str_member (obj_member (data, "shop"), "currencyCode"));
  remember_plan (self, obj_member (data, "shop"));
  prepare_next (task);
}

static void
on_definitions_listed_cb (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  GTask *task = user_data;
  PrepareOp *op = g_task_get_task_data (task);
  g_autoptr(JsonObject) data = run_finish (result, task);

  if (data == NULL)
    return;
  op->listed = TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (definitions); i++)
    {
      JsonArray *nodes = arr_member (obj_member (data, definition_aliases[i]), "nodes");
      for (guint j = 0; nodes != NULL && j < json_array_get_length (nodes); j++)
        if (g_strcmp0 (str_member (elem_obj (nodes, j), "key"),
                       definitions[i].key) == 0)
          op->exists[i] = TRUE;
    }
  prepare_next (task);
}

static void
prepare_next (GTask *task)
{
  TdmShopifyConnector *self = g_task_get_source_object (task);
  PrepareOp *op = g_task_get_task_data (task);

  if (self->shop_currency == NULL)
    {
      run (self, "ShopInfo", NULL, 2, 0, task, on_prepare_shop_cb);
      return;
    }
  if (!op->listed)
    {
      /* Only read here: the missing definitions are created just before the
       * first record write, so a run that writes no record (stopped by the
       * circuit breaker, say) writes nothing at all. */
      run (self, "MetafieldDefinitions", NULL, 4 * 12, 0, task, on_definitions_listed_cb);
      return;
    }
  self->missing_definitions = 0;
  for (guint i = 0; i < G_N_ELEMENTS (definitions); i++)
    if (!op->exists[i])
      self->missing_definitions |= 1u << i;
  self->prepared = TRUE;
  g_hash_table_remove_all (self->variant_ids);
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static void
tdm_shopify_connector_prepare_async (TdmConnector        *conn,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  TdmShopifyConnector *self = TDM_SHOPIFY_CONNECTOR (conn);
  GTask *task = g_task_new (conn, cancellable, callback, user_data);

  g_task_set_source_tag (task, tdm_shopify_connector_prepare_async);
  if (self->prepared)
    {
      /* Once per connector; a new run starts with a fresh SKU cache. */
      g_hash_table_remove_all (self->variant_ids);
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  g_task_set_task_data (task, g_new0 (PrepareOp, 1), g_free);
  prepare_next (task);
}

static gboolean
tdm_shopify_connector_prepare_finish (TdmConnector  *conn,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static guint64
tdm_shopify_connector_get_request_count (TdmConnector *conn)
{
  return tdm_shopify_client_get_request_count (TDM_SHOPIFY_CONNECTOR (conn)->client);
}

/* ---- GObject ------------------------------------------------------------------------------ */

static void
tdm_shopify_connector_finalize (GObject *object)
{
  TdmShopifyConnector *self = TDM_SHOPIFY_CONNECTOR (object);

  clear_bulk (self);
  g_clear_object (&self->client);
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

  object_class->finalize = tdm_shopify_connector_finalize;
  object_class->get_property = tdm_shopify_connector_get_property;
  object_class->set_property = tdm_shopify_connector_set_property;

  conn_class->list_changed_async = tdm_shopify_connector_list_changed_async;
  conn_class->list_changed_finish = tdm_shopify_connector_list_changed_finish;
  conn_class->get_async = tdm_shopify_connector_get_async;
  conn_class->get_finish = tdm_shopify_connector_get_finish;
  conn_class->create_async = tdm_shopify_connector_create_async;
  conn_class->create_finish = tdm_shopify_connector_create_finish;
  conn_class->update_async = tdm_shopify_connector_update_async;
  conn_class->update_finish = tdm_shopify_connector_update_finish;
  conn_class->delete_async = tdm_shopify_connector_delete_async;
  conn_class->delete_finish = tdm_shopify_connector_delete_finish;
  conn_class->find_created_async = tdm_shopify_connector_find_created_async;
  conn_class->find_created_finish = tdm_shopify_connector_find_created_finish;
  conn_class->list_ids_async = tdm_shopify_connector_list_ids_async;
  conn_class->list_ids_finish = tdm_shopify_connector_list_ids_finish;
  conn_class->test_connection_async = tdm_shopify_connector_test_connection_async;
  conn_class->test_connection_finish = tdm_shopify_connector_test_connection_finish;
  conn_class->prepare_async = tdm_shopify_connector_prepare_async;
  conn_class->prepare_finish = tdm_shopify_connector_prepare_finish;
  conn_class->get_request_count = tdm_shopify_connector_get_request_count;

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

/* ---- public API ----------------------------------------------------------------------------- */

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
