/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-shopify"

#include "config.h"

#include "tdm-shopify-client-private.h"

#include <math.h>
#include <string.h>

/* Cost pacing (docs/shopify.md § Cost and throttling): a local copy of
 * Shopify's leaky bucket, learnt from every answer, makes a request wait
 * for its points before it is sent; a query reserves the requested cost
 * Shopify reported for it before, and per-operation statistics show tests
 * and benchmarks what was decided. */

#define MAX_QUERY_COST 1000.0

/* ---- The local bucket ---- */

void
tdm_shopify_bucket_init (TdmShopifyBucket *bucket)
{
  memset (bucket, 0, sizeof *bucket);
}

double
tdm_shopify_bucket_available (const TdmShopifyBucket *bucket,
                              gint64                  now_us)
{
  double value;

  if (!bucket->known)
    return G_MAXDOUBLE;
  value = bucket->available;
  if (now_us > bucket->at_us)
    value += bucket->restore_rate * (double) (now_us - bucket->at_us) / G_USEC_PER_SEC;
  return MIN (value, bucket->maximum);
}

gint64
tdm_shopify_bucket_wait_us (const TdmShopifyBucket *bucket,
                            double                  cost,
                            gint64                  now_us)
{
  double available;
  double missing;

  if (!bucket->known || bucket->restore_rate <= 0)
    return 0;
  cost = MIN (cost, bucket->maximum);
  available = tdm_shopify_bucket_available (bucket, now_us);
  if (available >= cost)
    return 0;
  missing = cost - available;
  return (gint64) ceil (missing / bucket->restore_rate * G_USEC_PER_SEC);
}

void
tdm_shopify_bucket_take (TdmShopifyBucket *bucket,
                         double            cost,
                         gint64            now_us)
{
  bucket->in_flight += cost;
  if (!bucket->known)
    return;
  bucket->available = tdm_shopify_bucket_available (bucket, now_us) - cost;
  bucket->at_us = now_us;
}

void
tdm_shopify_bucket_settle (TdmShopifyBucket *bucket,
                           double            cost)
{
  bucket->in_flight = MAX (0.0, bucket->in_flight - cost);
}

void
tdm_shopify_bucket_refund (TdmShopifyBucket *bucket,
                           double            cost,
                           gint64            now_us)
{
  if (!bucket->known)
    return;
  bucket->available = MIN (bucket->maximum, tdm_shopify_bucket_available (bucket, now_us) + cost);
  bucket->at_us = now_us;
}

void
tdm_shopify_bucket_update (TdmShopifyBucket     *bucket,
                           const TdmShopifyCost *cost,
                           gint64                now_us)
{
  if (!cost->has_throttle)
    return;
  bucket->known = TRUE;
  bucket->maximum = cost->maximum;
  /* With several requests in flight, an answer reports the bucket before
   * the others were charged: keep their points reserved. */
  bucket->available = cost->available - bucket->in_flight;
  bucket->restore_rate = cost->restore_rate;
  bucket->at_us = now_us;
}

gint64
tdm_shopify_throttle_wait_us (const TdmShopifyCost *cost)
{
  double missing;

  if (cost == NULL || !cost->has_throttle || cost->restore_rate <= 0)
    return G_USEC_PER_SEC;
  missing = MIN (cost->requested, cost->maximum) - cost->available;
  if (missing <= 0)
    return G_USEC_PER_SEC / 10;
  return (gint64) (ceil (missing / cost->restore_rate) * G_USEC_PER_SEC);
}


/* ---- Requested costs ---- */

/* Keeps the largest requested cost seen for `key`: a page size or a
 * payload never costs less than Shopify asked for it once. */
static void
remember_cost (GHashTable *table,
               const char *key,
               double      requested)
{
  double *value;

  g_assert (table != NULL);
  g_assert (key != NULL);

  value = g_hash_table_lookup (table, key);
  if (value != NULL)
    {
      *value = MAX (*value, requested);
      return;
    }
  value = g_new (double, 1);
  *value = requested;
  g_hash_table_replace (table, g_strdup (key), value);
}

/* Shopify computes a request's requested cost from the document and the
 * sizes of its connections alone, a mutation's from its payload, never
 * from its input: the operation and its whole-number variables ("first",
 * "variantsFirst") name that cost. */
char *
_tdm_shopify_query_cost_key (const char *document,
                             const char *operation,
                             JsonObject *variables)
{
  g_autoptr(GString) key = NULL;
  g_autoptr(GList) names = NULL;

  g_assert (document != NULL);
  g_assert (operation != NULL);

  key = g_string_new (operation);
  names = variables != NULL ? json_object_get_members (variables) : NULL;
  names = g_list_sort (names, (GCompareFunc) strcmp);
  for (GList *l = names; l != NULL; l = l->next)
    {
      JsonNode *node = json_object_get_member (variables, l->data);

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64)
        g_string_append_printf (key, " %s=%" G_GINT64_FORMAT, (const char *) l->data,
                                json_node_get_int (node));
    }
  return g_string_free (g_steal_pointer (&key), FALSE);
}

/* ---- The published rules ---- */

/* Shopify's requested cost of a document (docs/shopify.md § Cost and
 * throttling): a scalar costs 0, an object 1, a connection 2 + first × the
 * cost of its node (pageInfo is free), a mutation 10 plus the connections
 * its payload selects. Fragments spread are counted where they are spread. */

#define MAX_COST_DEPTH 32

typedef struct {
  const char *document;
  JsonObject *variables;
} CostScan;

static const char *
skip_ignored (const char *p)
{
  for (;;)
    {
      while (*p != '\0' && (g_ascii_isspace (*p) || *p == ','))
        p++;
      if (*p != '#')
        return p;
      while (*p != '\0' && *p != '\n')
        p++;
    }
}

static gboolean
is_name_char (char c)
{
  return g_ascii_isalnum (c) || c == '_';
}

static const char *
skip_name (const char *p)
{
  while (is_name_char (*p))
    p++;
  return p;
}

/* `p` at `open`: returns the position after its matching `close`. */
static const char *
skip_balanced (const char *p,
               char        open,
               char        close)
{
  guint depth = 0;
  gboolean in_string = FALSE;

  g_assert (*p == open);

  for (; *p != '\0'; p++)
    {
      if (in_string)
        {
          if (*p == '\\' && p[1] != '\0')
            p++;
          else if (*p == '"')
            in_string = FALSE;
        }
      else if (*p == '"')
        in_string = TRUE;
      else if (*p == open)
        depth++;
      else if (*p == close && --depth == 0)
        return p + 1;
    }
  return p;
}

/* The `first` argument among `args` (up to `end`): a number or a
 * variable; -1 without one. */
static gint64
first_argument (const CostScan *scan,
                const char     *args,
                const char     *end)
{
  for (const char *p = args; p != NULL && p < end; p++)
    {
      const char *value;

      if (!g_str_has_prefix (p, "first") || (p > args && is_name_char (p[-1]))
          || is_name_char (p[5]))
        continue;
      value = skip_ignored (p + 5);
      if (*value != ':')
        continue;
      value = skip_ignored (value + 1);
      if (*value == '$')
        {
          g_autofree char *name = g_strndup (value + 1, skip_name (value + 1) - value - 1);
          JsonNode *node = scan->variables != NULL
                           ? json_object_get_member (scan->variables, name) : NULL;

          if (node != NULL && JSON_NODE_HOLDS_VALUE (node)
              && json_node_get_value_type (node) == G_TYPE_INT64)
            return CLAMP (json_node_get_int (node), 0, 250);
          return 250;
        }
      return CLAMP (g_ascii_strtoll (value, NULL, 10), 0, 250);
    }
  return -1;
}

/* The selection set of fragment `name`, at its '{', or NULL. */
static const char *
find_fragment (const CostScan *scan,
               const char     *name,
               gsize           length)
{
  for (const char *p = strstr (scan->document, "fragment"); p != NULL;
       p = strstr (p + 1, "fragment"))
    {
      const char *q = skip_ignored (p + strlen ("fragment"));

      if (strncmp (q, name, length) == 0 && !is_name_char (q[length]))
        return strchr (q, '{');
    }
  return NULL;
}

static double selection_cost (const CostScan *scan, const char **pp, gboolean payload,
                              guint depth);

/* A spread at `p` (after "..."): an inline fragment or a named one. */
static double
spread_cost (const CostScan  *scan,
             const char     **pp,
             gboolean         payload,
             guint            depth)
{
  const char *p = skip_ignored (*pp);
  const char *end = skip_name (p);
  const char *body;

  if (end - p == 2 && strncmp (p, "on", 2) == 0)
    {
      p = skip_ignored (skip_name (skip_ignored (end)));
      *pp = p;
      return *p == '{' ? selection_cost (scan, pp, payload, depth + 1) : 0;
    }
  *pp = end;
  body = find_fragment (scan, p, end - p);
  return body != NULL ? selection_cost (scan, &body, payload, depth + 1) : 0;
}

/* The selection set at *pp ('{'); *pp is left after its '}'. In a
 * mutation's payload only connections cost. */
static double
selection_cost (const CostScan  *scan,
                const char     **pp,
                gboolean         payload,
                guint            depth)
{
  const char *p = *pp;
  double cost = 0;

  g_assert (*p == '{');

  if (depth > MAX_COST_DEPTH)
    {
      *pp = skip_balanced (p, '{', '}');
      return 0;
    }
  for (p = skip_ignored (p + 1); *p != '\0' && *p != '}'; p = skip_ignored (p))
    {
      const char *name;
      const char *name_end;
      const char *args = NULL;
      const char *args_end = NULL;
      gint64 first;
      double child;

      if (g_str_has_prefix (p, "..."))
        {
          p += 3;
          cost += spread_cost (scan, &p, payload, depth);
          continue;
        }
      name = p;
      name_end = skip_name (p);
      if (name_end == p)
        {
          p++;   /* not GraphQL Tandem writes: step over it */
          continue;
        }
      p = skip_ignored (name_end);
      if (*p == ':')
        {
          name = skip_ignored (p + 1);
          name_end = skip_name (name);
          p = skip_ignored (name_end);
        }
      if (*p == '(')
        {
          args = p;
          p = args_end = skip_balanced (p, '(', ')');
          p = skip_ignored (p);
        }
      if (*p != '{')
        continue;   /* a scalar */
      first = args != NULL ? first_argument (scan, args, args_end) : -1;
      child = selection_cost (scan, &p, payload && first < 0, depth + 1);
      if (name_end - name == 8 && strncmp (name, "pageInfo", 8) == 0)
        continue;
      if (first >= 0)
        cost += 2 + (double) first * child;
      else
        cost += (payload ? 0 : 1) + child;
    }
  *pp = *p == '}' ? p + 1 : p;
  return cost;
}

double
tdm_shopify_requested_cost_estimate (const char *document,
                                      JsonObject *variables)
{
  CostScan scan = { document, variables };
  const char *p;
  gboolean mutation;

  g_return_val_if_fail (document != NULL, 0);

  p = skip_ignored (document);
  mutation = g_str_has_prefix (p, "mutation");
  p = skip_ignored (skip_name (p));
  p = skip_ignored (skip_name (p));
  if (*p == '(')
    p = skip_ignored (skip_balanced (p, '(', ')'));
  if (*p != '{')
    return 0;
  if (!mutation)
    return selection_cost (&scan, &p, FALSE, 0);
  /* Each mutation field costs 10, its payload's connections on top. */
  {
    double cost = 0;

    for (p = skip_ignored (p + 1); *p != '\0' && *p != '}'; p = skip_ignored (p))
      {
        const char *end = skip_name (p);

        if (end == p)
          {
            p++;
            continue;
          }
        p = skip_ignored (end);
        if (*p == ':')
          p = skip_ignored (skip_name (skip_ignored (p + 1)));
        if (*p == '(')
          p = skip_ignored (skip_balanced (p, '(', ')'));
        cost += 10;
        if (*p == '{')
          cost += selection_cost (&scan, &p, TRUE, 1);
      }
    return cost;
  }
}

/* ---- Choosing the points to reserve ---- */

/* What Shopify requested for this very request before beats any guess,
 * then the published rules applied to the document, then the caller's
 * guess: the estimate is taken from the bucket before sending, so a guess
 * above it makes requests wait for points they do not need, and one below
 * it meets THROTTLED. */
double
_tdm_shopify_client_estimate (TdmShopifyClient *self,
                              const char       *cost_key,
                              const char       *operation,
                              double            rules_cost,
                              double            estimated_cost)
{
  double *learned;

  g_assert (TDM_IS_SHOPIFY_CLIENT (self));
  g_assert (operation != NULL);

  learned = cost_key != NULL ? g_hash_table_lookup (self->query_cost, cost_key) : NULL;
  if (learned != NULL)
    return *learned;
  if (rules_cost > 0)
    return MIN (rules_cost, MAX_QUERY_COST);
  if (estimated_cost > 0)
    return estimated_cost;
  if (tdm_shopify_client_get_last_cost (self, operation) > 0)
    return tdm_shopify_client_get_last_cost (self, operation);
  return 10;
}

void
_tdm_shopify_client_learn_cost (TdmShopifyClient     *self,
                                const char           *operation,
                                const char           *cost_key,
                                const TdmShopifyCost *cost)
{
  g_assert (TDM_IS_SHOPIFY_CLIENT (self));
  g_assert (cost != NULL && cost->has_cost);

  tdm_shopify_bucket_update (&self->bucket, cost, g_get_monotonic_time ());
  if (cost->requested > 0)
    remember_cost (self->last_cost, operation, cost->requested);
  if (cost->requested > 0 && cost_key != NULL)
    remember_cost (self->query_cost, cost_key, cost->requested);
}

gint64
_tdm_shopify_client_reserve (TdmShopifyClient *self,
                             const char       *operation,
                             double            estimate)
{
  gint64 now = g_get_monotonic_time ();
  double margin;
  gint64 wait_us;

  g_assert (TDM_IS_SHOPIFY_CLIENT (self));

  /* Keep a tenth of a second of restore in hand: the server's clock and
   * ours drift by a few milliseconds, which at an empty bucket is the
   * difference between paced and THROTTLED. It shifts the level, not the rate. */
  margin = self->bucket.known ? self->bucket.restore_rate / 10.0 : 0.0;
  wait_us = tdm_shopify_bucket_wait_us (&self->bucket, estimate + margin, now);
  /* Reserve the points before waiting: requests queued behind this one
   * then wait for their own points instead of all waking at once. */
  tdm_shopify_bucket_take (&self->bucket, estimate, now);
  _tdm_shopify_client_op_stats (self, operation)->reserved = estimate;
  return wait_us;
}

/* ---- Statistics ---- */

TdmShopifyOpStats *
_tdm_shopify_client_op_stats (TdmShopifyClient *self,
                              const char       *operation)
{
  TdmShopifyOpStats *stats;

  g_assert (TDM_IS_SHOPIFY_CLIENT (self));
  g_assert (operation != NULL);

  stats = g_hash_table_lookup (self->op_stats, operation);
  if (stats == NULL)
    {
      stats = g_new0 (TdmShopifyOpStats, 1);
      stats->reserved = -1;
      g_hash_table_insert (self->op_stats, g_strdup (operation), stats);
    }
  return stats;
}

double
tdm_shopify_client_get_last_cost (TdmShopifyClient *self,
                                  const char       *operation)
{
  double *cost = g_hash_table_lookup (self->last_cost, operation);

  return cost ? *cost : -1;
}

double
tdm_shopify_client_get_last_reserved_cost (TdmShopifyClient *self,
                                           const char       *operation)
{
  g_return_val_if_fail (TDM_IS_SHOPIFY_CLIENT (self), -1);
  return _tdm_shopify_client_op_stats (self, operation)->reserved;
}

guint
tdm_shopify_client_get_most_in_flight (TdmShopifyClient *self,
                                       const char       *operation)
{
  g_return_val_if_fail (TDM_IS_SHOPIFY_CLIENT (self), 0);
  return _tdm_shopify_client_op_stats (self, operation)->most_in_flight;
}

const TdmShopifyBucket *
tdm_shopify_client_get_bucket (TdmShopifyClient *self)
{
  return &self->bucket;
}

double
tdm_shopify_client_get_query_budget (TdmShopifyClient *self)
{
  double budget = MAX_QUERY_COST * 0.8;

  if (self->bucket.known)
    budget = MIN (budget, self->bucket.maximum / 2);
  return MAX (budget, 20);
}
