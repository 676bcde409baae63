/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-fake-shopify"

#include "config.h"
#include "tdm-fake-shopify-private.h"

#include <string.h>

/* The read operations: changed-since listings and id sweeps with cursor
 * paging (docs/shopify.md, Pagination and Search filters), reads by id or
 * custom id, counts, the destroy events of deleted products and the shop. */

/* "customer", "product" or "order". */
static const char *
kind_member (TdmKind kind)
{
  g_assert (kind < TDM_N_KINDS);

  return kind == TDM_KIND_CUSTOMER ? "customer" : kind == TDM_KIND_PRODUCT ? "product" : "order";
}

/* ---- Search filters ---- */

static const char *
string_query_value (const char *query,
                    const char *key,
                    char      **op)
{
  /* Finds  key:>'…'  or  key:>='…'  and returns the quoted value (static buffer). */
  static char value[64];
  const char *p = query ? strstr (query, key) : NULL;
  const char *q;
  gsize len;

  g_assert (op != NULL && *op == NULL);

  if (p == NULL)
    return NULL;
  p += strlen (key);
  if (*p != ':')
    return NULL;
  p++;
  if (g_str_has_prefix (p, ">="))
    {
      *op = g_strdup (">=");
      p += 2;
    }
  else if (*p == '>')
    {
      *op = g_strdup (">");
      p++;
    }
  else
    return NULL;
  if (*p == '\'' || *p == '"')
    p++;
  q = p;
  while (*q != '\0' && *q != '\'' && *q != '"' && *q != ' ')
    q++;
  len = MIN ((gsize) (q - p), sizeof value - 1);
  memcpy (value, p, len);
  value[len] = '\0';
  return value;
}

static gint
compare_updated (gconstpointer a,
                 gconstpointer b)
{
  JsonObject *x = *(JsonObject **) a;
  JsonObject *y = *(JsonObject **) b;
  int c = g_strcmp0 (get_str (x, "updatedAt"), get_str (y, "updatedAt"));

  if (c != 0)
    return c;
  return (int) (get_int (x, "legacyResourceId", 0) - get_int (y, "legacyResourceId", 0));
}

gboolean
_tdm_fake_shopify_matches_updated (TdmKind     kind,
                                   const char *updated,
                                   const char *op,
                                   const char *since)
{
  g_autoptr(GDateTime) a = g_date_time_new_from_iso8601 (updated, NULL);
  g_autoptr(GDateTime) b = NULL;
  int c;

  if (since == NULL)
    return TRUE;
  if (strlen (since) == 10)
    {
      g_autofree char *full = g_strconcat (since, "T00:00:00Z", NULL);
      b = g_date_time_new_from_iso8601 (full, NULL);
    }
  else
    b = g_date_time_new_from_iso8601 (since, NULL);
  if (a == NULL || b == NULL)
    return TRUE;
  if (kind == TDM_KIND_CUSTOMER)
    {
      /* Shopify: "the date and time, matching a whole day". */
      int da = g_date_time_get_year (a) * 10000 + g_date_time_get_month (a) * 100
               + g_date_time_get_day_of_month (a);
      int db = g_date_time_get_year (b) * 10000 + g_date_time_get_month (b) * 100
               + g_date_time_get_day_of_month (b);
      c = da < db ? -1 : da > db ? 1 : 0;
    }
  else
    c = g_date_time_compare (a, b);
  return g_strcmp0 (op, ">=") == 0 ? c >= 0 : c > 0;
}

/* ---- Listings ---- */

/* The nodes of a listing in its order: by updatedAt (then legacy id) and
 * filtered by the query's updated_at, or every node in id order. */
static GPtrArray *
collect_listed (TdmFakeShopify *self,
                TdmKind         kind,
                gboolean        ids_only,
                const char     *query)
{
  GPtrArray *list = g_ptr_array_new ();
  g_autofree char *cmp = NULL;
  const char *since = string_query_value (query, "updated_at", &cmp);
  g_autofree char *since_copy = g_strdup (since);

  g_assert (kind < TDM_N_KINDS);

  for (guint i = 0; i < self->records[kind]->len; i++)
    {
      JsonObject *n = self->records[kind]->pdata[i];
      const char *updated = get_str (n, "updatedAt");

      if (ids_only || _tdm_fake_shopify_matches_updated (kind, updated, cmp, since_copy))
        g_ptr_array_add (list, n);
    }
  if (!ids_only)
    g_ptr_array_sort (list, compare_updated);
  return list;
}

/* The index of the first node after the cursor `after` (0 when NULL). A
 * cursor is "<updatedAt>|<legacy id>" (or "<legacy id>" for id order),
 * base64. */
static guint
find_listing_start (GPtrArray  *list,
                    const char *after,
                    gboolean    ids_only,
                    gboolean    reverse)
{
  gsize len = 0;
  g_autofree char *decoded = NULL;
  g_autofree char *text = NULL;
  char *bar;
  gint64 legacy;
  guint start;

  g_assert (list != NULL);

  if (after == NULL)
    return 0;
  decoded = (char *) g_base64_decode (after, &len);
  text = g_strndup (decoded, len);
  bar = strchr (text, '|');
  legacy = g_ascii_strtoll (bar ? bar + 1 : text, NULL, 10);
  if (bar != NULL)
    *bar = '\0';
  for (start = 0; start < list->len; start++)
    {
      JsonObject *n = list->pdata[start];
      if (ids_only)
        {
          if (get_int (n, "legacyResourceId", 0) > legacy)
            break;
        }
      else
        {
          int c = g_strcmp0 (get_str (n, "updatedAt"), text);
          gint64 id = get_int (n, "legacyResourceId", 0);

          if (reverse ? (c < 0 || (c == 0 && id < legacy)) : (c > 0 || (c == 0 && id > legacy)))
            break;
        }
    }
  return start;
}

/* pageInfo of a listing page that ends before `end`. */
static JsonObject *
listing_page_info (GPtrArray *list,
                   guint      start,
                   guint      end,
                   gboolean   ids_only)
{
  JsonObject *info = json_object_new ();

  g_assert (start <= end && end <= list->len);

  json_object_set_boolean_member (info, "hasNextPage", end < list->len);
  if (end > start)
    {
      JsonObject *last = list->pdata[end - 1];
      g_autofree char *key = ids_only
        ? g_strdup_printf ("%" G_GINT64_FORMAT, get_int (last, "legacyResourceId", 0))
        : g_strdup_printf ("%s|%" G_GINT64_FORMAT, get_str (last, "updatedAt"),
                           get_int (last, "legacyResourceId", 0));
      g_autofree char *cursor = g_base64_encode ((const guchar *) key, strlen (key));
      json_object_set_string_member (info, "endCursor", cursor);
    }
  else
    json_object_set_null_member (info, "endCursor");
  return info;
}

/* query <Kind>sChanged($query, $first, $after) and <Kind>Ids($first, $after). */
void
_tdm_fake_shopify_op_changed (FakeCall *call,
                              TdmKind   kind,
                              gboolean  ids_only)
{
  g_autoptr(GPtrArray) list = NULL;
  gint64 first = CLAMP (get_int (call->vars, "first", 50), 1, 250);
  JsonArray *nodes = json_array_new ();
  JsonObject *conn = json_object_new ();
  g_autofree char *member = g_strconcat (kind_member (kind), "s", NULL);
  gboolean reverse;
  guint start;
  guint i;

  g_assert (fake_call_is_ready (call));

  list = collect_listed (call->self, kind, ids_only, get_str (call->vars, "query"));
  /* `reverse: $reverse` (customers): newest first, as Shopify does. */
  reverse = !ids_only && json_object_has_member (call->vars, "reverse")
            && json_object_get_boolean_member_with_default (call->vars, "reverse", FALSE);
  if (reverse)
    {
      for (guint lo = 0, hi = list->len; lo + 1 < hi; lo++, hi--)
        {
          gpointer tmp = list->pdata[lo];

          list->pdata[lo] = list->pdata[hi - 1];
          list->pdata[hi - 1] = tmp;
        }
    }
  start = find_listing_start (list, get_str (call->vars, "after"), ids_only, reverse);
  call->actual = 2;
  for (i = start; i < list->len && i < start + first; i++)
    {
      JsonObject *n = list->pdata[i];
      if (ids_only)
        {
          JsonObject *o = json_object_new ();
          json_object_set_string_member (o, "id", get_str (n, "id"));
          json_array_add_object_element (nodes, o);
          call->actual += 1;
        }
      else
        {
          JsonObject *view = _tdm_fake_shopify_node_view (kind, n, call->vars);

          call->actual += _tdm_fake_shopify_node_actual_cost (kind, view);
          json_array_add_object_element (nodes, view);
        }
    }
  json_object_set_array_member (conn, "nodes", nodes);
  json_object_set_object_member (conn, "pageInfo", listing_page_info (list, start, i, ids_only));
  json_object_set_object_member (call->data, member, conn);
}

/* ---- Single reads ---- */

/* query <Kind>Get($id) and <Kind>ByIdentifier($value): `node` or null. */
void
_tdm_fake_shopify_op_get (FakeCall   *call,
                          TdmKind     kind,
                          const char *member,
                          JsonObject *node)
{
  g_assert (fake_call_is_ready (call));
  g_assert (member != NULL);

  if (node != NULL)
    {
      JsonObject *view = _tdm_fake_shopify_node_view (kind, node, call->vars);

      call->actual = _tdm_fake_shopify_node_actual_cost (kind, view);
      json_object_set_object_member (call->data, member, view);
    }
  else
    {
      json_object_set_null_member (call->data, member);
      call->actual = 1;
    }
}

/* query <Kind>sCount: exact up to 10,000. */
void
_tdm_fake_shopify_op_count (FakeCall *call,
                            TdmKind   kind)
{
  JsonObject *count = json_object_new ();
  g_autofree char *member = g_strconcat (kind_member (kind), "sCount", NULL);
  guint n;

  g_assert (fake_call_is_ready (call));

  n = call->self->records[kind]->len;
  json_object_set_int_member (count, "count", MIN (n, 10000));
  json_object_set_string_member (count, "precision", n > 10000 ? "AT_LEAST" : "EXACT");
  json_object_set_object_member (call->data, member, count);
  call->actual = 1;
}

/* ---- Events and the shop ---- */

/* query ProductDestroyEvents($query, $first, $after): the "destroy" events
 * of deleted products, filtered by created_at; the cursor is an index. */
void
_tdm_fake_shopify_op_destroy_events (FakeCall *call)
{
  TdmFakeShopify *self = call->self;
  const char *query = get_str (call->vars, "query");
  g_autofree char *cmp = NULL;
  const char *since = string_query_value (query, "created_at", &cmp);
  g_autofree char *since_copy = g_strdup (since);
  gint64 first = CLAMP (get_int (call->vars, "first", 50), 1, 250);
  const char *after = get_str (call->vars, "after");
  gint64 start = after ? g_ascii_strtoll (after, NULL, 10) : 0;
  JsonArray *nodes = json_array_new ();
  JsonObject *conn = json_object_new ();
  JsonObject *info = json_object_new ();
  g_autoptr(GPtrArray) list = g_ptr_array_new ();
  guint i;

  g_assert (fake_call_is_ready (call));

  for (i = 0; i < self->events->len; i++)
    {
      JsonObject *e = self->events->pdata[i];
      if ((query == NULL || strstr (query, "action:'destroy'") != NULL)
          && _tdm_fake_shopify_matches_updated (TDM_KIND_PRODUCT, get_str (e, "createdAt"), cmp,
                                                since_copy))
        g_ptr_array_add (list, e);
    }
  call->actual = 2;
  for (i = (guint) start; i < list->len && i < start + first; i++)
    {
      json_array_add_object_element (nodes, _tdm_fake_shopify_copy_obj (list->pdata[i]));
      call->actual += 1;
    }
  json_object_set_array_member (conn, "nodes", nodes);
  json_object_set_boolean_member (info, "hasNextPage", i < list->len);
  if (i > (guint) start)
    {
      g_autofree char *cursor = g_strdup_printf ("%u", i);
      json_object_set_string_member (info, "endCursor", cursor);
    }
  else
    json_object_set_null_member (info, "endCursor");
  json_object_set_object_member (conn, "pageInfo", info);
  json_object_set_object_member (call->data, "events", conn);
}

/* query ShopInfo: the name, currency and plan (a development store says so). */
void
_tdm_fake_shopify_op_shop_info (FakeCall *call)
{
  JsonObject *shop = json_object_new ();
  JsonObject *plan = json_object_new ();

  g_assert (fake_call_is_ready (call));

  json_object_set_string_member (shop, "name", "Tandem Test Shop");
  json_object_set_string_member (shop, "currencyCode", "NOK");
  json_object_set_string_member (plan, "publicDisplayName",
                                 call->self->development ? "Development" : "Basic");
  json_object_set_boolean_member (plan, "partnerDevelopment", call->self->development);
  json_object_set_object_member (shop, "plan", plan);
  json_object_set_object_member (call->data, "shop", shop);
  call->actual = 2;
}
