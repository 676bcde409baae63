/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-shopify"

#include "config.h"

#include "tdm-shopify-connector-private.h"

#include <glib/gi18n-lib.h>

#include "tdm-error.h"

/* The variants of a product past the first VARIANTS_FIRST, read with
 * ProductVariants a page at a time and appended to the product, so a record
 * always holds every variant (a later productSet deletes the ones it lacks;
 * docs/shopify.md § Pagination). */

/* TRUE when `product` (read with the product fragment) holds all its
 * variants; then the variants' pageInfo is dropped, so the native shape is
 * the same as a bulk export's. FALSE: ProductVariants must read the rest. */
gboolean
_tdm_shopify_variants_complete (JsonObject *product)
{
  JsonObject *variants = _tdm_shopify_object (product, "variants");
  JsonObject *info = _tdm_shopify_object (variants, "pageInfo");

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

/* Returns `cause` (transfer full) from `task` as a full sentence naming the
 * product, keeping the cause's domain and code. */
static void
variants_fail (GTask  *task,
               GError *cause)
{
  VariantsOp *op = g_task_get_task_data (task);
  JsonArray *nodes;
  const char *title;
  const char *id;
  GError *error;

  g_assert (G_IS_TASK (task));
  g_assert (cause != NULL);

  if (g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, cause);
      return;
    }
  nodes = _tdm_shopify_array (_tdm_shopify_object (op->product, "variants"), "nodes");
  title = _tdm_shopify_string (op->product, "title");
  id = _tdm_shopify_string (op->product, "id");
  if (id == NULL)
    id = "?";
  error = g_error_new (cause->domain, cause->code,
                       _("Tandem could not read all variants of the Shopify product “%s” (%s); it "
                         "stopped after %u of them. %s Sync again later."),
                       title != NULL && *title != '\0' ? title : id, id,
                       nodes != NULL ? json_array_get_length (nodes) : 0, cause->message);
  g_error_free (cause);
  g_task_return_error (task, error);
}

/* Appends the variants of a ProductVariants answer to op->product and sets
 * `out_cursor` to where the next page starts (NULL: all are read). FALSE
 * with `error` when the answer cannot be used. */
static gboolean
append_variants_page (VariantsOp  *op,
                      JsonObject  *data,
                      const char **out_cursor,
                      GError     **error)
{
  JsonObject *conn;
  JsonArray *nodes;
  JsonArray *into;
  JsonObject *info;
  const char *end;
  gboolean more;

  g_assert (op != NULL);
  g_assert (data != NULL);

  if (!json_object_has_member (data, "product")
      || JSON_NODE_HOLDS_NULL (json_object_get_member (data, "product")))
    {
      g_set_error_literal (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_NOT_FOUND,
                           _("Shopify no longer has this product."));
      return FALSE;
    }
  conn = _tdm_shopify_object (_tdm_shopify_object (data, "product"), "variants");
  nodes = _tdm_shopify_array (conn, "nodes");
  info = _tdm_shopify_object (conn, "pageInfo");
  into = _tdm_shopify_array (_tdm_shopify_object (op->product, "variants"), "nodes");
  if (nodes == NULL || info == NULL || into == NULL)
    {
      g_set_error_literal (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_INVALID_RESPONSE,
                           _("Shopify’s answer did not contain the product’s variants."));
      return FALSE;
    }
  for (guint i = 0; i < json_array_get_length (nodes); i++)
    json_array_add_element (into, json_node_copy (json_array_get_element (nodes, i)));

  more = json_object_get_boolean_member_with_default (info, "hasNextPage", FALSE);
  end = _tdm_shopify_string (info, "endCursor");
  if (more
      && (end == NULL || json_array_get_length (nodes) == 0 || g_strcmp0 (end, op->cursor) == 0))
    {
      /* The same page again would never end. */
      g_set_error_literal (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_INVALID_RESPONSE,
                           _("Shopify said more variants follow but sent no "
                             "position to read them from."));
      return FALSE;
    }
  *out_cursor = more ? end : NULL;
  return TRUE;
}

static void variants_next (GTask *task);

static void
on_variants_page_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TdmShopifyConnector *self = g_task_get_source_object (task);
  VariantsOp *op = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(JsonObject) data = tdm_shopify_client_execute_finish (self->client, result, &error);
  const char *next = NULL;
  JsonObject *variants;
  double requested;

  g_assert (TDM_IS_SHOPIFY_CONNECTOR (self));
  g_assert (op != NULL);

  if (data == NULL)
    {
      variants_fail (task, error);
      return;
    }
  requested = tdm_shopify_client_get_last_cost (self->client, "ProductVariants");
  if (requested > 3 && op->first > 0)
    self->variant_cost = MAX ((requested - 3) / op->first, 1);

  if (!append_variants_page (op, data, &next, &error))
    {
      variants_fail (task, error);
      return;
    }
  if (next != NULL)
    {
      g_free (op->cursor);
      op->cursor = g_strdup (next);
      variants_next (task);
      return;
    }
  variants = _tdm_shopify_object (op->product, "variants");
  json_object_remove_member (variants, "pageInfo");
  g_debug ("product %s: %u variants, %u more requests", _tdm_shopify_string (op->product, "id"),
           json_array_get_length (_tdm_shopify_array (variants, "nodes")), op->pages);
  g_task_return_boolean (task, TRUE);
}

/* Asks for the next page of variants after op->cursor. */
static void
variants_next (GTask *task)
{
  TdmShopifyConnector *self = g_task_get_source_object (task);
  VariantsOp *op = g_task_get_task_data (task);
  g_autoptr(JsonObject) vars = json_object_new ();
  double budget = tdm_shopify_client_get_query_budget (self->client);

  g_assert (op != NULL && op->cursor != NULL);

  /* product 1 + connection 2 + first × variant: within one query's budget. */
  op->first = (guint) CLAMP ((budget - 3) / MAX (self->variant_cost, 1), 1, VARIANTS_PAGE);
  op->pages++;
  json_object_set_string_member (vars, "id", _tdm_shopify_string (op->product, "id"));
  json_object_set_int_member (vars, "first", op->first);
  json_object_set_string_member (vars, "after", op->cursor);
  tdm_shopify_client_execute_async (self->client, "ProductVariants", vars,
                                    3 + op->first * self->variant_cost, 0,
                                    g_task_get_cancellable (task), on_variants_page_cb,
                                    g_object_ref (task));
}

/* Reads the variants of `product` after the ones it holds, appending them
 * (product: a fragment read whose variants pageInfo says hasNextPage). */
void
_tdm_shopify_read_variants_async (TdmShopifyConnector *self,
                                  JsonObject          *product,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  VariantsOp *op = g_new0 (VariantsOp, 1);
  JsonObject *info = _tdm_shopify_object (_tdm_shopify_object (product, "variants"), "pageInfo");

  g_assert (TDM_IS_SHOPIFY_CONNECTOR (self));
  g_assert (product != NULL);

  g_task_set_source_tag (task, _tdm_shopify_read_variants_async);
  op->product = json_object_ref (product);
  op->cursor = g_strdup (_tdm_shopify_string (info, "endCursor"));
  g_task_set_task_data (task, op, variants_op_free);
  if (op->cursor == NULL || _tdm_shopify_string (product, "id") == NULL
      || _tdm_shopify_array (_tdm_shopify_object (product, "variants"), "nodes") == NULL)
    {
      variants_fail (task, g_error_new_literal (TDM_SYNC_ERROR, TDM_SYNC_ERROR_INVALID_RESPONSE,
                                                _("Shopify said more variants follow but sent no "
                                                  "position to read them from.")));
      return;
    }
  variants_next (task);
}

gboolean
_tdm_shopify_read_variants_finish (TdmShopifyConnector  *self,
                                   GAsyncResult         *result,
                                   GError              **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
