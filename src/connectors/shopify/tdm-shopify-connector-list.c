/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-shopify"

#include "config.h"

#include "tdm-shopify-connector-private.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "tdm-error.h"

/* list_changed: the records of a kind changed since a watermark, a page at
 * a time (paged queries sized by their cost, docs/shopify.md § Pagination
 * and § Search filters), with products' deletion events as tombstones; a
 * first load above the bulk threshold goes to a bulk export (-bulk.c). */

/* ---- Page sizes ---- */

static guint
page_size_for (TdmShopifyConnector *self,
               TdmKind              kind)
{
  double budget;
  guint size;

  g_assert (kind < TDM_N_KINDS);

  if (self->page_size > 0)
    return self->page_size;
  budget = tdm_shopify_client_get_query_budget (self->client);
  size = (guint) ((budget - 2) / MAX (self->node_cost[kind], 1));
  return CLAMP (size, 1, 250);
}

/* The requested cost Shopify reported for a page of `first` records makes
 * the next page's size (docs/shopify.md § Cost and throttling). */
static void
learn_node_cost (TdmShopifyConnector *self,
                 TdmKind              kind,
                 const char          *operation,
                 guint                first)
{
  double requested = tdm_shopify_client_get_last_cost (self->client, operation);

  g_assert (kind < TDM_N_KINDS);

  if (requested > 2 && first > 0)
    self->node_cost[kind] = (requested - 2) / first;
}

/* ---- Pages ---- */

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

TdmPage *
_tdm_shopify_page_new (void)
{
  TdmPage *page = g_new0 (TdmPage, 1);

  page->records = g_ptr_array_new_with_free_func ((GDestroyNotify) tdm_record_unref);
  page->problems = g_ptr_array_new_with_free_func ((GDestroyNotify) tdm_record_error_free);
  return page;
}

void
_tdm_shopify_page_add (TdmShopifyConnector *self,
                       TdmPage             *page,
                       TdmKind              kind,
                       JsonObject          *node)
{
  TdmRecordError *unreadable;
  TdmRecord *record;

  g_assert (TDM_IS_SHOPIFY_CONNECTOR (self));
  g_assert (page != NULL && page->records != NULL && page->problems != NULL);
  g_assert (node != NULL);

  unreadable = _tdm_shopify_unreadable_node_error (self, kind, node);
  if (unreadable != NULL)
    {
      g_ptr_array_add (page->problems, unreadable);
      return;
    }
  record = _tdm_shopify_record_from_node (self, kind, node, page->problems);

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

/* ---- Deleted products ---- */

static void list_destroy_events (GTask *task, const char *after);

static void
on_destroy_events_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ListOp *op = g_task_get_task_data (task);
  g_autoptr(JsonObject) data = _tdm_shopify_run_finish (result, task);
  JsonObject *conn;
  JsonArray *nodes;
  JsonObject *info;

  g_assert (op != NULL && op->pending != NULL);

  if (data == NULL)
    return;
  conn = _tdm_shopify_object (data, "events");
  nodes = _tdm_shopify_array (conn, "nodes");
  info = _tdm_shopify_object (conn, "pageInfo");
  for (guint i = 0; nodes != NULL && i < json_array_get_length (nodes); i++)
    {
      JsonObject *event = _tdm_shopify_element (nodes, i);
      const char *subject = _tdm_shopify_string (event, "subjectId");

      if (subject == NULL || g_strcmp0 (_tdm_shopify_string (event, "action"), "destroy") != 0
          || g_strcmp0 (_tdm_shopify_string (event, "subjectType"), "PRODUCT") != 0)
        continue;
      g_ptr_array_add (op->pending->records,
                       tdm_record_new_tombstone (TDM_SIDE_SHOPIFY, TDM_KIND_PRODUCT, subject,
                                                 _tdm_shopify_string (event, "createdAt")));
    }
  if (_tdm_shopify_next_page_cursor (info) != NULL)
    {
      list_destroy_events (task, _tdm_shopify_next_page_cursor (info));
      return;
    }
  g_task_return_pointer (task, g_steal_pointer (&op->pending), (GDestroyNotify) tdm_page_free);
}

/* Reads the products deleted since op->since, as tombstones added to
 * op->pending (docs/shopify.md § Search filters). */
static void
list_destroy_events (GTask      *task,
                     const char *after)
{
  TdmShopifyConnector *self = g_task_get_source_object (task);
  ListOp *op = g_task_get_task_data (task);
  g_autoptr(JsonObject) vars = json_object_new ();
  g_autoptr(GDateTime) dt = NULL;
  g_autoptr(GDateTime) utc = NULL;
  g_autofree char *stamp = NULL;
  g_autofree char *query = NULL;

  g_assert (op != NULL && op->since != NULL);

  dt = g_date_time_new_from_iso8601 (op->since, NULL);
  utc = dt ? g_date_time_to_utc (dt) : NULL;
  stamp = utc ? g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ") : g_strdup (op->since);
  query = g_strdup_printf ("action:'destroy' AND subject_type:'PRODUCT' AND "
                           "created_at:>'%s'", stamp);
  json_object_set_int_member (vars, "first", 100);
  if (after != NULL)
    json_object_set_string_member (vars, "after", after);
  else
    json_object_set_null_member (vars, "after");
  json_object_set_string_member (vars, "query", query);
  _tdm_shopify_run (self, "ProductDestroyEvents", vars, 2 + 100, 0, g_object_ref (task),
                    on_destroy_events_cb);
}

/* ---- Paged listing ---- */

/* Returns the page built (or first reads the deleted products for the
 * first page of products since a watermark). */
static void
list_page_done (GTask *task)
{
  TdmShopifyConnector *self = g_task_get_source_object (task);
  ListOp *op = g_task_get_task_data (task);
  TdmPage *page = g_steal_pointer (&op->paged);

  g_assert (page != NULL);

  g_clear_pointer (&op->nodes, g_ptr_array_unref);
  page->total = op->total;
  /* Shopify's own time when it answered: a complete listing has seen
   * every change made before it, less the search index's lag. */
  page->listed_at = g_strdup (tdm_shopify_client_get_answered_at (self->client, op->operation));
  self->last_was_bulk = FALSE;
  if (op->kind == TDM_KIND_PRODUCT && op->since != NULL && op->cursor == NULL)
    {
      /* Deleted products come as tombstones with the first page. */
      op->pending = page;
      list_destroy_events (task, NULL);
      return;
    }
  g_task_return_pointer (task, page, (GDestroyNotify) tdm_page_free);
}

static void list_take_nodes (GTask *task);

/* Errors that a later try may not meet again. */
static gboolean
error_is_passing (const GError *error)
{
  g_assert (error != NULL);

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
  g_autoptr(GTask) task = user_data;
  TdmShopifyConnector *self = g_task_get_source_object (task);
  ListOp *op = g_task_get_task_data (task);
  JsonObject *node;
  GError *error = NULL;

  g_assert (op != NULL && op->nodes != NULL && op->node_index < op->nodes->len);

  node = op->nodes->pdata[op->node_index];
  if (!_tdm_shopify_read_variants_finish (self, result, &error))
    {
      g_autofree char *field = NULL;

      /* A passing trouble (network, server, throttling) fails the whole
       * page: the run stops before its watermark passes this product, and
       * the next run reads it again. Leaving it out would skip it until it
       * changes in Shopify. */
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || error_is_passing (error))
        {
          g_task_return_error (task, error);
          return;
        }
      /* Refused for good (access, a malformed answer, gone): left out of the
       * page and named, because a record missing variants must never reach
       * the planner (a later productSet would delete them). */
      field = _tdm_shopify_canonical_field (self, op->kind, "variants");
      g_ptr_array_add (op->paged->problems,
                       tdm_record_error_new (TDM_SIDE_SHOPIFY, op->kind,
                                             _tdm_shopify_string (node, "id"), field,
                                             error->message));
      g_error_free (error);
    }
  else
    _tdm_shopify_page_add (self, op->paged, op->kind, node);
  op->node_index++;
  list_take_nodes (task);
}

/* ---- Customers and orders with more than a page holds ---- */

/* TRUE when connection `m` of `node` was cut short on the listing page (it
 * has a next page). When not, its pageInfo is dropped, so the native shape
 * is the read shape's. */
static gboolean
connection_cut (JsonObject *node,
                const char *m)
{
  JsonObject *conn = _tdm_shopify_object (node, m);
  JsonObject *info = _tdm_shopify_object (conn, "pageInfo");

  g_assert (node != NULL);
  g_assert (m != NULL);

  if (info != NULL && json_object_get_boolean_member_with_default (info, "hasNextPage", FALSE))
    return TRUE;
  if (conn != NULL && json_object_has_member (conn, "pageInfo"))
    json_object_remove_member (conn, "pageInfo");
  return FALSE;
}

/* A listing page holds a customer's first LIST_ADDRESSES_FIRST addresses
 * (customers-changed.graphql) and an order's first LIST_LINES_FIRST line
 * items (orders-changed.graphql); TRUE when the node has more. */
static gboolean
listing_cut (TdmKind     kind,
             JsonObject *node)
{
  g_assert (node != NULL);

  if (kind == TDM_KIND_CUSTOMER)
    return connection_cut (node, "addressesV2");
  if (kind == TDM_KIND_ORDER)
    return connection_cut (node, "lineItems");
  return FALSE;
}

static void
on_list_whole_node_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TdmShopifyConnector *self = g_task_get_source_object (task);
  ListOp *op = g_task_get_task_data (task);
  g_autoptr(JsonObject) data = _tdm_shopify_run_finish (result, task);
  JsonObject *whole;

  g_assert (op != NULL && op->nodes != NULL && op->node_index < op->nodes->len);
  g_assert (op->kind == TDM_KIND_CUSTOMER || op->kind == TDM_KIND_ORDER);

  /* A failure fails the page, as a product's variants do: the run stops
   * before its watermark passes this record. */
  if (data == NULL)
    return;
  whole = _tdm_shopify_object (data, op->kind == TDM_KIND_CUSTOMER ? "customer" : "order");
  /* Deleted since the page was read: the reconciliation finds it gone. */
  if (whole != NULL)
    _tdm_shopify_page_add (self, op->paged, op->kind, whole);
  op->node_index++;
  list_take_nodes (task);
}

/* Reads the whole record (every address, every line item) of a listing
 * page's node: CustomerGet, OrderGet. */
static void
list_read_whole_node (GTask      *task,
                      JsonObject *node)
{
  TdmShopifyConnector *self = g_task_get_source_object (task);
  ListOp *op = g_task_get_task_data (task);
  g_autoptr(JsonObject) vars = json_object_new ();

  g_assert (op != NULL);
  g_assert (op->kind == TDM_KIND_CUSTOMER || op->kind == TDM_KIND_ORDER);
  g_assert (node != NULL);

  json_object_set_string_member (vars, "id", _tdm_shopify_string (node, "id"));
  _tdm_shopify_run (self, op->kind == TDM_KIND_CUSTOMER ? "CustomerGet" : "OrderGet", vars, 0, 0,
                    g_object_ref (task), on_list_whole_node_cb);
}

/* ---- Paged listing (cont.) ---- */

/* Turns the nodes read into records, first reading the variants of products
 * with more than fit in the page, and the customers with more addresses and
 * orders with more line items. */
static void
list_take_nodes (GTask *task)
{
  TdmShopifyConnector *self = g_task_get_source_object (task);
  ListOp *op = g_task_get_task_data (task);

  g_assert (op != NULL && op->nodes != NULL && op->paged != NULL);

  for (; op->node_index < op->nodes->len; op->node_index++)
    {
      JsonObject *node = op->nodes->pdata[op->node_index];

      if (op->kind == TDM_KIND_PRODUCT && !_tdm_shopify_variants_complete (node))
        {
          _tdm_shopify_read_variants_async (self, node, g_task_get_cancellable (task),
                                            on_list_variants_cb, g_object_ref (task));
          return;
        }
      if (listing_cut (op->kind, node))
        {
          list_read_whole_node (task, node);
          return;
        }
      _tdm_shopify_page_add (self, op->paged, op->kind, node);
    }
  list_page_done (task);
}

/* Keeps the nodes of a page with an id (customers: only those changed
 * after op->since) in op->nodes, for a new op->paged. */
static void
list_keep_nodes (ListOp     *op,
                 JsonArray  *nodes,
                 JsonObject *info)
{
  g_assert (op != NULL);
  g_assert (nodes != NULL);

  g_clear_pointer (&op->paged, tdm_page_free);
  op->paged = _tdm_shopify_page_new ();
  op->paged->next_cursor = g_strdup (_tdm_shopify_next_page_cursor (info));
  g_clear_pointer (&op->nodes, g_ptr_array_unref);
  op->nodes = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  op->node_index = 0;
  for (guint i = 0; i < json_array_get_length (nodes); i++)
    {
      JsonObject *node = _tdm_shopify_element (nodes, i);

      if (node == NULL || _tdm_shopify_string (node, "id") == NULL)
        continue;
      /* The customers filter matches whole days: re-check here. They are
       * listed newest first (list_newest_first()), so the first one older
       * than the watermark ends the listing: a run reads what changed, not
       * everything touched that day (docs/shopify.md § Search filters). */
      if (op->kind == TDM_KIND_CUSTOMER
          && !newer_than (_tdm_shopify_string (node, "updatedAt"), op->since))
        {
          g_clear_pointer (&op->paged->next_cursor, g_free);
          break;
        }
      g_ptr_array_add (op->nodes, json_object_ref (node));
    }
}

static void
on_list_page_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TdmShopifyConnector *self = g_task_get_source_object (task);
  ListOp *op = g_task_get_task_data (task);
  g_autoptr(JsonObject) data = _tdm_shopify_run_finish (result, task);
  g_autofree char *member = NULL;
  JsonObject *conn;
  JsonArray *nodes;

  g_assert (op != NULL && op->operation != NULL);

  if (data == NULL)
    return;
  learn_node_cost (self, op->kind, op->operation, op->first);

  member = _tdm_shopify_member_name (op->kind, "");
  conn = _tdm_shopify_object (data, member);
  nodes = _tdm_shopify_array (conn, "nodes");
  if (nodes == NULL)
    {
      g_task_return_new_error (task, TDM_SYNC_ERROR, TDM_SYNC_ERROR_INVALID_RESPONSE,
                               _("Shopify sent a list of %s without records."),
                               tdm_kind_display_plural (op->kind));
      return;
    }
  list_keep_nodes (op, nodes, _tdm_shopify_object (conn, "pageInfo"));
  list_take_nodes (task);
}

/* Customers changed since a watermark are listed newest first: their
 * search filter is day-granular, so in (updatedAt) order a run would page
 * through every customer touched that day before the few that changed. */
static gboolean
list_newest_first (ListOp *op)
{
  g_assert (op != NULL);

  return op->kind == TDM_KIND_CUSTOMER && op->since != NULL;
}

/* Reads the page after op->cursor, as many records as one query's budget
 * holds (docs/shopify.md § Pagination). */
static void
list_paged (GTask *task)
{
  TdmShopifyConnector *self = g_task_get_source_object (task);
  ListOp *op = g_task_get_task_data (task);
  g_autoptr(JsonObject) vars = json_object_new ();
  g_autofree char *query = tdm_shopify_changed_query (op->kind, op->since);

  g_assert (op != NULL && op->operation == NULL);

  op->first = page_size_for (self, op->kind);
  op->operation = _tdm_shopify_plural_op_name (op->kind, "Changed");
  json_object_set_int_member (vars, "first", op->first);
  if (op->cursor != NULL)
    json_object_set_string_member (vars, "after", op->cursor);
  else
    json_object_set_null_member (vars, "after");
  if (query != NULL)
    json_object_set_string_member (vars, "query", query);
  else
    json_object_set_null_member (vars, "query");
  /* A page holds what the planner needs of most records (docs/shopify.md §
   * Search filters): a product's first LIST_VARIANTS_FIRST variants (the
   * rest comes from ProductVariants), a customer's first
   * LIST_ADDRESSES_FIRST addresses (the rest from CustomerGet), an order's
   * first LIST_LINES_FIRST line items (the rest from OrderGet). */
  if (op->kind == TDM_KIND_PRODUCT)
    json_object_set_int_member (vars, "variantsFirst", LIST_VARIANTS_FIRST);
  if (op->kind == TDM_KIND_ORDER)
    json_object_set_int_member (vars, "linesFirst", LIST_LINES_FIRST);
  if (op->kind == TDM_KIND_CUSTOMER)
    {
      json_object_set_boolean_member (vars, "reverse", list_newest_first (op));
      json_object_set_int_member (vars, "addressesFirst", LIST_ADDRESSES_FIRST);
    }

  _tdm_shopify_run (self, op->operation, vars, 2 + op->first * self->node_cost[op->kind], 0,
                    g_object_ref (task), on_list_page_cb);
}

/* ---- First loads: paged or bulk ---- */

static void
on_list_count_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TdmShopifyConnector *self = g_task_get_source_object (task);
  ListOp *op = g_task_get_task_data (task);
  g_autoptr(JsonObject) data = _tdm_shopify_run_finish (result, task);
  g_autofree char *member = NULL;
  JsonObject *count;
  gint64 n;

  g_assert (op != NULL);

  if (data == NULL)
    return;
  member = _tdm_shopify_member_name (op->kind, "Count");
  count = _tdm_shopify_object (data, member);
  n = count ? json_object_get_int_member_with_default (count, "count", 0) : 0;
  g_debug ("%s: %" G_GINT64_FORMAT " records (bulk threshold %u)", member, n, self->bulk_threshold);
  /* Counts above Shopify's cap say AT_LEAST: only an exact one bounds the listing. */
  if (g_strcmp0 (count ? _tdm_shopify_string (count, "precision") : NULL, "EXACT") == 0)
    op->total = (guint64) MAX (n, 0);
  if (n > (gint64) self->bulk_threshold)
    _tdm_shopify_bulk_start (task);
  else
    list_paged (task);
}

void
_tdm_shopify_connector_list_changed_async (TdmConnector        *conn,
                                           TdmKind              kind,
                                           const char          *since,
                                           const char          *cursor,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  TdmShopifyConnector *self = TDM_SHOPIFY_CONNECTOR (conn);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  ListOp *op = g_new0 (ListOp, 1);

  g_task_set_source_tag (task, _tdm_shopify_connector_list_changed_async);
  op->kind = kind;
  op->since = g_strdup (since);
  op->cursor = g_strdup (cursor);
  g_task_set_task_data (task, op, list_op_free);

  if (cursor != NULL && g_str_has_prefix (cursor, "bulk:"))
    {
      _tdm_shopify_bulk_resume (task, cursor);
      return;
    }

  if (since == NULL && cursor == NULL && self->bulk_threshold > 0)
    {
      g_autoptr(JsonObject) vars = json_object_new ();
      g_autofree char *operation = _tdm_shopify_plural_op_name (kind, "Count");

      json_object_set_null_member (vars, "query");
      _tdm_shopify_run (self, operation, vars, 1, 0, g_steal_pointer (&task), on_list_count_cb);
      return;
    }
  list_paged (task);
}

TdmPage *
_tdm_shopify_connector_list_changed_finish (TdmConnector  *conn,
                                            GAsyncResult  *result,
                                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, conn), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
