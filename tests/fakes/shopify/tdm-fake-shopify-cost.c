/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-fake-shopify"

#include "config.h"
#include "tdm-fake-shopify-private.h"

#include <math.h>
#include <string.h>

/* Query cost and the leaky bucket, as docs/shopify.md (Cost and throttling)
 * describes Shopify's: a connection costs 2 + first × the cost of a node, a
 * mutation 10 plus the connections of its payload; the actual cost counts what was returned; the bucket
 * (default 2,000 points, restoring 100 a second) refuses a query that asks
 * for more than it holds. */

/* ---- Cost ---- */

/* What a node may cost, from the sizes the variables ask for. */
static double
node_cost (TdmKind     kind,
           JsonObject *vars)
{
  g_assert (kind < TDM_N_KINDS);

  switch (kind)
    {
    case TDM_KIND_CUSTOMER:
      return 1 + 1 + 1 + (2 + get_int (vars, "addressesFirst", 20)) + 1;
    case TDM_KIND_PRODUCT:
      return 1 + (2 + get_int (vars, "variantsFirst", 50) * 5) + 1;
    case TDM_KIND_ORDER:
    default:
      return 1 + 1 + (2 + get_int (vars, "linesFirst", 50) * 4) + (2 + 5 * 3) + 6 + 2 + 1;
    }
}

/* The number of nodes of connection `m` (0 without one). */
static guint
count_nodes (JsonObject *node,
             const char *m)
{
  return json_array_get_length (get_arr (get_obj (node, m), "nodes"));
}

double
_tdm_fake_shopify_node_actual_cost (TdmKind     kind,
                                    JsonObject *node)
{
  g_assert (kind < TDM_N_KINDS);

  switch (kind)
    {
    case TDM_KIND_CUSTOMER:
      return 1 + 1 + 1 + (2 + count_nodes (node, "addressesV2")) + 1;
    case TDM_KIND_PRODUCT:
      return 1 + (2 + count_nodes (node, "variants") * 5) + 1;
    case TDM_KIND_ORDER:
    default:
      return 1 + 1 + (2 + count_nodes (node, "lineItems") * 4)
             + (2 + count_nodes (node, "shippingLines") * 3) + 6 + 2 + 1;
    }
}

gboolean
_tdm_fake_shopify_kind_from_operation (const char *op,
                                       TdmKind    *kind)
{
  g_assert (op != NULL);
  g_assert (kind != NULL);

  if (g_str_has_prefix (op, "Customer"))
    *kind = TDM_KIND_CUSTOMER;
  else if (g_str_has_prefix (op, "Product"))
    *kind = TDM_KIND_PRODUCT;
  else if (g_str_has_prefix (op, "Order"))
    *kind = TDM_KIND_ORDER;
  else
    return FALSE;
  return TRUE;
}

/* A mutation costs 10 plus the connections its payload selects, as a
 * query would (docs/shopify.md § Cost and throttling): a payload spreading
 * a record's read shape pays for its addresses, variants or line items;
 * what the input holds does not matter. */
static double
mutation_cost (const char *query,
               JsonObject *vars)
{
  double cost = 10;

  if (query == NULL)
    return cost;
  if (strstr (query, "...CustomerFields") != NULL)
    cost += node_cost (TDM_KIND_CUSTOMER, vars) - 4;
  if (strstr (query, "...ProductFields") != NULL)
    cost += node_cost (TDM_KIND_PRODUCT, vars) - 2;
  if (strstr (query, "...OrderFields") != NULL)
    cost += (2 + 50 * 4) + (2 + 5 * 3);
  return cost;
}

double
_tdm_fake_shopify_requested_cost (const char *op,
                                  const char *query,
                                  gboolean    is_mutation,
                                  JsonObject *vars)
{
  TdmKind kind;

  g_assert (op != NULL);

  if (is_mutation)
    return mutation_cost (query, vars);
  if (g_str_has_suffix (op, "sCount") || g_strcmp0 (op, "BulkPoll") == 0)
    return 1;
  if (g_strcmp0 (op, "ShopInfo") == 0)
    return 2;
  if (g_strcmp0 (op, "MetafieldDefinitions") == 0)
    return 4 * (2 + 10);
  if (g_strcmp0 (op, "Locations") == 0)
    return 2 + 10;
  if (g_strcmp0 (op, "VariantsBySku") == 0)
    return 2 + 2;
  if (g_strcmp0 (op, "ProductDestroyEvents") == 0)
    return 2 + get_int (vars, "first", 1);
  if (g_strcmp0 (op, "ProductVariants") == 0)
    return 1 + 2 + CLAMP (get_int (vars, "first", 1), 1, 250) * 5;
  if (!_tdm_fake_shopify_kind_from_operation (op, &kind))
    return 1;
  if (g_str_has_suffix (op, "sChanged"))
    return 2 + get_int (vars, "first", 1) * node_cost (kind, vars);
  if (g_str_has_suffix (op, "Ids"))
    return 2 + get_int (vars, "first", 1);
  return node_cost (kind, vars);
}

/* ---- Leaky bucket ---- */

double
_tdm_fake_shopify_bucket_now (TdmFakeShopify *self)
{
  gint64 now = g_get_monotonic_time ();
  double rate;

  g_assert (TDM_IS_FAKE_SHOPIFY (self));

  rate = self->restore_rate * self->time_scale;
  self->available = MIN (self->bucket_size,
                         self->available
                         + rate * (double) (now - self->bucket_at) / G_USEC_PER_SEC);
  self->bucket_at = now;
  return self->available;
}

JsonObject *
_tdm_fake_shopify_cost_extensions (TdmFakeShopify *self,
                                   double          requested,
                                   double          actual)
{
  JsonObject *ext = json_object_new ();
  JsonObject *cost = json_object_new ();
  JsonObject *throttle = json_object_new ();

  json_object_set_int_member (cost, "requestedQueryCost", (gint64) ceil (requested));
  if (actual < 0)
    json_object_set_null_member (cost, "actualQueryCost");
  else
    json_object_set_int_member (cost, "actualQueryCost", (gint64) ceil (actual));
  json_object_set_double_member (throttle, "maximumAvailable", self->bucket_size);
  json_object_set_int_member (throttle, "currentlyAvailable",
                              (gint64) floor (_tdm_fake_shopify_bucket_now (self)));
  json_object_set_double_member (throttle, "restoreRate", self->restore_rate * self->time_scale);
  json_object_set_object_member (cost, "throttleStatus", throttle);
  json_object_set_object_member (ext, "cost", cost);
  return ext;
}
