/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-fake-shopify"

#include "config.h"
#include "tdm-fake-shopify.h"

#include "tdm-record.h"

#include <libsoup/soup.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define APP_NAMESPACE_RESOLVED "app--424242--tandem"
#define LOCATION_ID "gid://shopify/Location/1"

struct _TdmFakeShopify
{
  GObject      parent_instance;

  SoupServer  *server;
  char        *url;

  char        *client_id;
  char        *client_secret;
  char        *static_token;
  guint        token_lifetime;
  GHashTable  *tokens;          /* token → gint64* expiry (real time, µs) */
  guint        tokens_issued;
  GHashTable  *denied;          /* operation → scope */
  guint        deny_status;
  gboolean     development;

  GPtrArray   *records[TDM_N_KINDS];   /* JsonObject* in creation order */
  guint64      next_id;

  double       bucket_size;
  double       restore_rate;
  double       time_scale;
  double       available;
  gint64       bucket_at;
  guint        throttle_status;

  GHashTable  *faults;          /* request number → fault */
  guint        fault_delay_ms;
  guint64      request_total;

  GPtrArray   *log;
  gboolean     logging;
  guint        throttled;
  double       requested_total;
  double       actual_total;

  GHashTable  *definitions;     /* "OWNER/ns/key" → GID */
  GPtrArray   *events;          /* JsonObject*: BasicEvent of deleted products */
  GHashTable  *idempotency;     /* key → input JSON */
  GPtrArray   *bulk_ops;        /* BulkOp* */
  guint        bulk_polls;
  guint64      next_order_number;
};

G_DEFINE_FINAL_TYPE (TdmFakeShopify, tdm_fake_shopify, G_TYPE_OBJECT)

typedef struct {
  char    *id;
  TdmKind  kind;
  guint    polls;
  GBytes  *jsonl;
  guint64  count;
} BulkOp;

static void
bulk_op_free (gpointer data)
{
  BulkOp *op = data;

  g_free (op->id);
  g_clear_pointer (&op->jsonl, g_bytes_unref);
  g_free (op);
}

static void
request_free (gpointer data)
{
  TdmFakeShopifyRequest *req = data;

  g_free (req->path);
  g_free (req->operation);
  g_free (req->query);
  g_free (req->variables);
  g_free (req->response);
  g_free (req);
}

static const char * const type_names[TDM_N_KINDS] = { "Customer", "Product", "Order" };

/* ---- JSON helpers --------------------------------------------------------------- */

static JsonObject *
obj (JsonObject *o,
     const char *m)
{
  JsonNode *n;

  if (o == NULL || !json_object_has_member (o, m))
    return NULL;
  n = json_object_get_member (o, m);
  return JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
}

static JsonArray *
arr (JsonObject *o,
     const char *m)
{
  JsonNode *n;

  if (o == NULL || !json_object_has_member (o, m))
    return NULL;
  n = json_object_get_member (o, m);
  return JSON_NODE_HOLDS_ARRAY (n) ? json_node_get_array (n) : NULL;
}

static const char *
str (JsonObject *o,
     const char *m)
{
  JsonNode *n;

  if (o == NULL || !json_object_has_member (o, m))
    return NULL;
  n = json_object_get_member (o, m);
  if (!JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (n);
}

static gint64
integer (JsonObject *o,
         const char *m,
         gint64      fallback)
{
  JsonNode *n;

  if (o == NULL || !json_object_has_member (o, m))
    return fallback;
  n = json_object_get_member (o, m);
  if (!JSON_NODE_HOLDS_VALUE (n))
    return fallback;
  if (json_node_get_value_type (n) == G_TYPE_STRING)
    return g_ascii_strtoll (json_node_get_string (n), NULL, 10);
  return json_node_get_int (n);
}

static JsonObject *
copy_obj (JsonObject *o)
{
  /* json_node_copy () shares objects and arrays: copy deeply. */
  return tdm_json_object_copy (o);
}

static void
set_str_or_null (JsonObject *o,
                 const char *m,
                 const char *value)
{
  if (value != NULL)
    json_object_set_string_member (o, m, value);
  else
    json_object_set_null_member (o, m);
}

static void
set_member_copy (JsonObject *dst,
                 const char *m,
                 JsonObject *src,
                 const char *from)
{
  if (src != NULL && json_object_has_member (src, from))
    json_object_set_member (dst, m, tdm_json_node_copy_deep (json_object_get_member (src, from)));
}

static char *
to_json (JsonNode *node)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();

  json_generator_set_root (gen, node);
  return json_generator_to_data (gen, NULL);
}

static char *
obj_to_json (JsonObject *o)
{
  g_autoptr(JsonNode) n = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (n, o);
  return to_json (n);
}

static char *
now_stamp (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
}

/* Decimal strings added without floating point: two decimals kept. */
static gint64
parse_cents (const char *amount)
{
  gint64 whole = 0, frac = 0;
  int digits = 0;
  gboolean neg = FALSE;
  const char *p = amount;

  if (p == NULL)
    return 0;
  if (*p == '-')
    {
      neg = TRUE;
      p++;
    }
  while (g_ascii_isdigit (*p))
    whole = whole * 10 + (*p++ - '0');
  if (*p == '.')
    {
      p++;
      while (g_ascii_isdigit (*p) && digits < 2)
        {
          frac = frac * 10 + (*p++ - '0');
          digits++;
        }
      while (digits < 2)
        {
          frac *= 10;
          digits++;
        }
    }
  else
    frac = 0;
  return (neg ? -1 : 1) * (whole * 100 + frac);
}

static char *
format_cents (gint64 cents)
{
  return g_strdup_printf ("%s%" G_GINT64_FORMAT ".%02d", cents < 0 ? "-" : "",
                          ABS (cents) / 100, (int) (ABS (cents) % 100));
}

/* ---- records ---------------------------------------------------------------------- */

static JsonObject *
find_by_id (TdmFakeShopify *self,
            TdmKind         kind,
            const char     *id)
{
  for (guint i = 0; id != NULL && i < self->records[kind]->len; i++)
    if (g_strcmp0 (str (self->records[kind]->pdata[i], "id"), id) == 0)
      return self->records[kind]->pdata[i];
  return NULL;
}

static JsonObject *
find_by_custom_id (TdmFakeShopify *self,
                   TdmKind         kind,
                   const char     *value)
{
  for (guint i = 0; value != NULL && i < self->records[kind]->len; i++)
    if (g_strcmp0 (str (obj (self->records[kind]->pdata[i], "webshopId"), "value"), value) == 0)
      return self->records[kind]->pdata[i];
  return NULL;
}

static char *
new_gid (TdmFakeShopify *self,
         const char     *type,
         char          **legacy)
{
  guint64 n = ++self->next_id;

  if (legacy != NULL)
    *legacy = g_strdup_printf ("%" G_GUINT64_FORMAT, n);
  return g_strdup_printf ("gid://shopify/%s/%" G_GUINT64_FORMAT, type, n);
}

static void
touch (JsonObject *node)
{
  g_autofree char *stamp = now_stamp ();

  json_object_set_string_member (node, "updatedAt", stamp);
}

static void
set_webshop_id (JsonObject *node,
                const char *value)
{
  if (value == NULL)
    {
      json_object_set_null_member (node, "webshopId");
      return;
    }
  {
    JsonObject *mf = json_object_new ();
    json_object_set_string_member (mf, "value", value);
    json_object_set_object_member (node, "webshopId", mf);
  }
}

static JsonObject *
connection (JsonArray *nodes)
{
  JsonObject *conn = json_object_new ();

  json_object_set_array_member (conn, "nodes", nodes ? nodes : json_array_new ());
  return conn;
}

static void
ensure_variant (TdmFakeShopify *self,
                JsonObject     *v)
{
  static const char * const keys[] = { "sku", "compareAtPrice", "barcode", NULL };

  if (str (v, "id") == NULL)
    {
      g_autofree char *id = new_gid (self, "ProductVariant", NULL);
      json_object_set_string_member (v, "id", id);
    }
  for (guint i = 0; keys[i] != NULL; i++)
    if (!json_object_has_member (v, keys[i]))
      json_object_set_null_member (v, keys[i]);
  if (!json_object_has_member (v, "price"))
    json_object_set_string_member (v, "price", "0.00");
  if (!json_object_has_member (v, "inventoryQuantity"))
    json_object_set_int_member (v, "inventoryQuantity", 0);
  if (!json_object_has_member (v, "selectedOptions"))
    {
      JsonArray *opts = json_array_new ();
      JsonObject *o = json_object_new ();
      json_object_set_string_member (o, "name", "Title");
      json_object_set_string_member (o, "value", "Default Title");
      json_array_add_object_element (opts, o);
      json_object_set_array_member (v, "selectedOptions", opts);
    }
  if (obj (v, "inventoryItem") == NULL)
    {
      JsonObject *item = json_object_new ();
      JsonObject *measurement = json_object_new ();
      g_autofree char *id = new_gid (self, "InventoryItem", NULL);

      json_object_set_string_member (item, "id", id);
      json_object_set_null_member (measurement, "weight");
      json_object_set_object_member (item, "measurement", measurement);
      json_object_set_object_member (v, "inventoryItem", item);
    }
  else if (str (obj (v, "inventoryItem"), "id") == NULL)
    {
      g_autofree char *id = new_gid (self, "InventoryItem", NULL);
      json_object_set_string_member (obj (v, "inventoryItem"), "id", id);
    }
  if (!json_object_has_member (v, "priceExclVat"))
    json_object_set_null_member (v, "priceExclVat");
}

static void
complete_address (JsonObject *a)
{
  static const char * const keys[] = { "firstName", "lastName", "company", "address1", "address2",
                                       "city", "provinceCode", "zip", "countryCodeV2", "phone", NULL };

  for (guint i = 0; keys[i] != NULL; i++)
    if (!json_object_has_member (a, keys[i]))
      json_object_set_null_member (a, keys[i]);
}

static void
complete_line_item (JsonObject *l)
{
  if (!json_object_has_member (l, "sku"))
    json_object_set_null_member (l, "sku");
  if (!json_object_has_member (l, "title"))
    json_object_set_string_member (l, "title", "Item");
  if (!json_object_has_member (l, "quantity"))
    json_object_set_int_member (l, "quantity", 1);
  if (obj (l, "originalUnitPriceSet") == NULL)
    {
      JsonObject *bag = json_object_new ();
      JsonObject *money = json_object_new ();
      json_object_set_string_member (money, "amount", "0.00");
      json_object_set_string_member (money, "currencyCode", "NOK");
      json_object_set_object_member (bag, "shopMoney", money);
      json_object_set_object_member (l, "originalUnitPriceSet", bag);
    }
  if (!json_object_has_member (l, "variant"))
    json_object_set_null_member (l, "variant");
}

static void
complete_node (TdmFakeShopify *self,
               TdmKind         kind,
               JsonObject     *node)
{
  static const char * const customer[] = { "firstName", "lastName", "note", "defaultEmailAddress",
                                           "defaultPhoneNumber", NULL };
  static const char * const order[] = { "email", "phone", "note", "cancelledAt",
                                        "displayFinancialStatus", "sourceIdentifier", "customer",
                                        "subtotalPriceSet", "totalTaxSet", "shippingAddress",
                                        "billingAddress", NULL };
  const char * const *nullable = kind == TDM_KIND_CUSTOMER ? customer
                                 : kind == TDM_KIND_ORDER ? order : NULL;

  if (!json_object_has_member (node, "updatedAt"))
    touch (node);
  if (!json_object_has_member (node, "tags"))
    json_object_set_array_member (node, "tags", json_array_new ());
  if (!json_object_has_member (node, "webshopId"))
    json_object_set_null_member (node, "webshopId");
  for (guint i = 0; nullable != NULL && nullable[i] != NULL; i++)
    if (!json_object_has_member (node, nullable[i]))
      json_object_set_null_member (node, nullable[i]);

  switch (kind)
    {
    case TDM_KIND_CUSTOMER:
      if (!json_object_has_member (node, "locale"))
        json_object_set_string_member (node, "locale", "en");
      if (obj (node, "addressesV2") == NULL)
        json_object_set_object_member (node, "addressesV2", connection (NULL));
      {
        JsonArray *addresses = arr (obj (node, "addressesV2"), "nodes");
        for (guint i = 0; addresses != NULL && i < json_array_get_length (addresses); i++)
          complete_address (json_array_get_object_element (addresses, i));
      }
      break;
    case TDM_KIND_PRODUCT:
      {
        JsonArray *variants;
        if (!json_object_has_member (node, "title"))
          json_object_set_string_member (node, "title", "");
        if (!json_object_has_member (node, "handle"))
          {
            g_autofree char *lower = g_ascii_strdown (str (node, "title"), -1);
            g_strdelimit (lower, " /?&#%\"'", '-');
            json_object_set_string_member (node, "handle", *lower ? lower : "product");
          }
        if (!json_object_has_member (node, "descriptionHtml"))
          json_object_set_string_member (node, "descriptionHtml", "");
        if (!json_object_has_member (node, "vendor"))
          json_object_set_string_member (node, "vendor", "");
        if (!json_object_has_member (node, "productType"))
          json_object_set_string_member (node, "productType", "");
        if (!json_object_has_member (node, "status"))
          json_object_set_string_member (node, "status", "ACTIVE");
        if (obj (node, "variants") == NULL)
          json_object_set_object_member (node, "variants", connection (NULL));
        variants = arr (obj (node, "variants"), "nodes");
        if (json_array_get_length (variants) == 0)
          json_array_add_object_element (variants, json_object_new ());
        for (guint i = 0; i < json_array_get_length (variants); i++)
          ensure_variant (self, json_array_get_object_element (variants, i));
        break;
      }
    case TDM_KIND_ORDER:
    default:
      if (!json_object_has_member (node, "name"))
        {
          g_autofree char *name = g_strdup_printf ("#%" G_GUINT64_FORMAT, self->next_order_number++);
          json_object_set_string_member (node, "name", name);
        }
      if (!json_object_has_member (node, "currencyCode"))
        json_object_set_string_member (node, "currencyCode", "NOK");
      if (!json_object_has_member (node, "processedAt"))
        json_object_set_string_member (node, "processedAt", str (node, "updatedAt"));
      if (!json_object_has_member (node, "displayFulfillmentStatus"))
        json_object_set_string_member (node, "displayFulfillmentStatus", "UNFULFILLED");
      if (!json_object_has_member (node, "taxesIncluded"))
        json_object_set_boolean_member (node, "taxesIncluded", FALSE);
      if (obj (node, "lineItems") == NULL)
        json_object_set_object_member (node, "lineItems", connection (NULL));
      if (obj (node, "shippingLines") == NULL)
        json_object_set_object_member (node, "shippingLines", connection (NULL));
      {
        JsonArray *lines = arr (obj (node, "lineItems"), "nodes");
        for (guint i = 0; lines != NULL && i < json_array_get_length (lines); i++)
          complete_line_item (json_array_get_object_element (lines, i));
      }
      if (obj (node, "shippingAddress") != NULL)
        complete_address (obj (node, "shippingAddress"));
      if (obj (node, "billingAddress") != NULL)
        complete_address (obj (node, "billingAddress"));
      if (obj (node, "totalPriceSet") == NULL)
        {
          JsonObject *bag = json_object_new ();
          JsonObject *money = json_object_new ();
          json_object_set_string_member (money, "amount", "0.00");
          json_object_set_object_member (bag, "shopMoney", money);
          json_object_set_object_member (node, "totalPriceSet", bag);
        }
      break;
    }
}

static JsonObject *
insert_node (TdmFakeShopify *self,
             TdmKind         kind,
             JsonObject     *node)   /* transfer full */
{
  g_autofree char *legacy = NULL;
  g_autofree char *id = new_gid (self, type_names[kind], &legacy);
  JsonObject *stored = json_object_new ();
  GList *members = json_object_get_members (node);

  /* id and legacyResourceId first, like Shopify's field order. */
  json_object_set_string_member (stored, "id", id);
  json_object_set_string_member (stored, "legacyResourceId", legacy);
  for (GList *l = members; l != NULL; l = l->next)
    if (strcmp (l->data, "id") != 0 && strcmp (l->data, "legacyResourceId") != 0)
      json_object_set_member (stored, l->data, tdm_json_node_copy_deep (json_object_get_member (node, l->data)));
  g_list_free (members);
  json_object_unref (node);
  complete_node (self, kind, stored);
  g_ptr_array_add (self->records[kind], stored);
  return stored;
}

/* ---- product variants paging ------------------------------------------------------- */

/* The cursor of a variant: its GID, base64 (opaque to clients, like Shopify's). */
static char *
variant_cursor (JsonObject *variant)
{
  const char *id = str (variant, "id");

  return g_base64_encode ((const guchar *) (id ? id : ""), id ? strlen (id) : 0);
}

/* The index of the first variant after `after` (0 when NULL); -1 for a
 * cursor that names no variant of this product. */
static gint
variants_start (JsonArray  *variants,
                const char *after)
{
  gsize len = 0;
  g_autofree guchar *decoded = NULL;
  g_autofree char *id = NULL;

  if (after == NULL)
    return 0;
  decoded = g_base64_decode (after, &len);
  id = g_strndup ((const char *) decoded, len);
  for (guint i = 0; variants != NULL && i < json_array_get_length (variants); i++)
    if (g_strcmp0 (str (json_array_get_object_element (variants, i), "id"), id) == 0)
      return (gint) i + 1;
  return -1;
}

/* A variants connection page: `first` variants from `start`, with pageInfo. */
static JsonObject *
variants_page (JsonArray *variants,
               guint      start,
               guint      first)
{
  JsonArray *nodes = json_array_new ();
  JsonObject *info = json_object_new ();
  JsonObject *conn;
  guint length = variants ? json_array_get_length (variants) : 0;
  guint i;

  for (i = start; i < length && i < start + first; i++)
    json_array_add_object_element (nodes, copy_obj (json_array_get_object_element (variants, i)));
  json_object_set_boolean_member (info, "hasNextPage", i < length);
  if (i > start)
    {
      g_autofree char *cursor = variant_cursor (json_array_get_object_element (variants, i - 1));
      json_object_set_string_member (info, "endCursor", cursor);
    }
  else
    json_object_set_null_member (info, "endCursor");
  conn = connection (nodes);
  json_object_set_object_member (conn, "pageInfo", info);
  return conn;
}

/* A product as the fragment reads it: the first $variantsFirst variants
 * (Shopify's cap: 250), with the connection's pageInfo. */
static JsonObject *
product_view (JsonObject *node,
              JsonObject *vars)
{
  JsonObject *view = copy_obj (node);
  gint64 first = CLAMP (integer (vars, "variantsFirst", 50), 1, 250);

  json_object_set_object_member (view, "variants",
                                 variants_page (arr (obj (node, "variants"), "nodes"), 0, (guint) first));
  return view;
}

/* A stored node in the shape the operation selects (products: paged variants). */
static JsonObject *
node_view (TdmKind     kind,
           JsonObject *node,
           JsonObject *vars)
{
  return kind == TDM_KIND_PRODUCT ? product_view (node, vars) : copy_obj (node);
}

/* ---- cost ---------------------------------------------------------------------------- */

static double
node_cost (TdmKind     kind,
           JsonObject *vars)
{
  switch (kind)
    {
    case TDM_KIND_CUSTOMER:
      return 1 + 1 + 1 + (2 + 20) + 1;
    case TDM_KIND_PRODUCT:
      return 1 + (2 + integer (vars, "variantsFirst", 50) * 5) + 1;
    case TDM_KIND_ORDER:
    default:
      return 1 + 1 + (2 + 50 * 4) + (2 + 5 * 3) + 6 + 2 + 1;
    }
}

static double
node_actual_cost (TdmKind     kind,
                  JsonObject *node)
{
  switch (kind)
    {
    case TDM_KIND_CUSTOMER:
      return 1 + 1 + 1 + (2 + json_array_get_length (arr (obj (node, "addressesV2"), "nodes"))) + 1;
    case TDM_KIND_PRODUCT:
      return 1 + (2 + json_array_get_length (arr (obj (node, "variants"), "nodes")) * 5) + 1;
    case TDM_KIND_ORDER:
    default:
      return 1 + 1 + (2 + json_array_get_length (arr (obj (node, "lineItems"), "nodes")) * 4)
             + (2 + json_array_get_length (arr (obj (node, "shippingLines"), "nodes")) * 3) + 6 + 2 + 1;
    }
}

static gboolean
kind_from_operation (const char *op,
                     TdmKind    *kind)
{
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

static double
requested_cost (const char *op,
                gboolean    is_mutation,
                JsonObject *vars)
{
  TdmKind kind;

  if (is_mutation)
    {
      if (g_strcmp0 (op, "ProductSet") == 0)
        {
          JsonArray *variants = arr (obj (vars, "input"), "variants");
          return 10 + 0.2 * (variants ? json_array_get_length (variants) : 0);
        }
      return 10;
    }
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
    return 2 + integer (vars, "first", 1);
  if (g_strcmp0 (op, "ProductVariants") == 0)
    return 1 + 2 + CLAMP (integer (vars, "first", 1), 1, 250) * 5;
  if (!kind_from_operation (op, &kind))
    return 1;
  if (g_str_has_suffix (op, "sChanged"))
    return 2 + integer (vars, "first", 1) * node_cost (kind, vars);
  if (g_str_has_suffix (op, "Ids"))
    return 2 + integer (vars, "first", 1);
  return node_cost (kind, vars);
}

static double
bucket_now (TdmFakeShopify *self)
{
  gint64 now = g_get_monotonic_time ();
  double rate = self->restore_rate * self->time_scale;

  self->available = MIN (self->bucket_size,
                         self->available + rate * (double) (now - self->bucket_at) / G_USEC_PER_SEC);
  self->bucket_at = now;
  return self->available;
}

static JsonObject *
cost_extensions (TdmFakeShopify *self,
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
  json_object_set_int_member (throttle, "currentlyAvailable", (gint64) floor (bucket_now (self)));
  json_object_set_double_member (throttle, "restoreRate", self->restore_rate * self->time_scale);
  json_object_set_object_member (cost, "throttleStatus", throttle);
  json_object_set_object_member (ext, "cost", cost);
  return ext;
}

/* ---- userErrors -------------------------------------------------------------------------- */

static JsonObject *
user_error (const char *message,
            const char *code,
            ...)
{
  JsonObject *e = json_object_new ();
  JsonArray *field = json_array_new ();
  va_list ap;
  const char *part;

  va_start (ap, code);
  while ((part = va_arg (ap, const char *)) != NULL)
    json_array_add_string_element (field, part);
  va_end (ap);
  json_object_set_array_member (e, "field", field);
  json_object_set_string_member (e, "message", message);
  if (code != NULL)
    json_object_set_string_member (e, "code", code);
  return e;
}

static JsonObject *
payload_with_errors (const char *node_member,
                     JsonObject *node,          /* transfer none, copied; NULL → null */
                     const char *errors_member,
                     JsonArray  *errors)        /* transfer full */
{
  JsonObject *p = json_object_new ();

  if (node_member != NULL)
    {
      if (node != NULL)
        json_object_set_object_member (p, node_member, copy_obj (node));
      else
        json_object_set_null_member (p, node_member);
    }
  json_object_set_array_member (p, errors_member, errors);
  return p;
}

static gboolean
email_valid (const char *email)
{
  const char *at;

  if (email == NULL)
    return TRUE;
  at = strchr (email, '@');
  return at != NULL && at != email && strchr (at + 1, '@') == NULL
         && strchr (at + 1, '.') != NULL && strchr (email, ' ') == NULL
         && !g_str_has_suffix (email, ".");
}

static gboolean
phone_valid (const char *phone)
{
  gsize len;

  if (phone == NULL)
    return TRUE;
  len = strlen (phone);
  if (len < 8 || len > 16 || phone[0] != '+' || phone[1] == '0')
    return FALSE;
  for (gsize i = 1; i < len; i++)
    if (!g_ascii_isdigit (phone[i]))
      return FALSE;
  return TRUE;
}

static JsonObject *
address_from_input (JsonObject *in)
{
  static const char * const keys[] = { "firstName", "lastName", "company", "address1", "address2",
                                       "city", "provinceCode", "zip", NULL };
  JsonObject *a = json_object_new ();

  for (guint i = 0; keys[i] != NULL; i++)
    set_str_or_null (a, keys[i], str (in, keys[i]));
  set_str_or_null (a, "countryCodeV2", str (in, "countryCode"));
  set_str_or_null (a, "phone", str (in, "phone"));
  return a;
}

/* ---- operations ---------------------------------------------------------------------------- */

typedef struct {
  TdmFakeShopify *self;
  const char     *op;
  JsonObject     *vars;
  JsonObject     *data;      /* the "data" object being built */
  JsonArray      *errors;    /* top-level errors, or NULL */
  double          actual;
} Call;

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
  int c = g_strcmp0 (str (x, "updatedAt"), str (y, "updatedAt"));

  if (c != 0)
    return c;
  return (int) (integer (x, "legacyResourceId", 0) - integer (y, "legacyResourceId", 0));
}

static gboolean
matches_updated (TdmKind     kind,
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

static void
op_changed (Call    *call,
            TdmKind  kind,
            gboolean ids_only)
{
  TdmFakeShopify *self = call->self;
  g_autoptr(GPtrArray) list = g_ptr_array_new ();
  const char *query = str (call->vars, "query");
  g_autofree char *cmp = NULL;
  const char *since = string_query_value (query, "updated_at", &cmp);
  g_autofree char *since_copy = g_strdup (since);
  const char *after = str (call->vars, "after");
  gint64 first = CLAMP (integer (call->vars, "first", 50), 1, 250);
  JsonArray *nodes = json_array_new ();
  JsonObject *conn = json_object_new ();
  JsonObject *info = json_object_new ();
  guint start = 0;
  guint i;
  g_autofree char *member = g_strconcat (kind == TDM_KIND_CUSTOMER ? "customer"
                                         : kind == TDM_KIND_PRODUCT ? "product" : "order",
                                         "s", NULL);

  for (i = 0; i < self->records[kind]->len; i++)
    {
      JsonObject *n = self->records[kind]->pdata[i];
      if (ids_only || matches_updated (kind, str (n, "updatedAt"), cmp, since_copy))
        g_ptr_array_add (list, n);
    }
  if (!ids_only)
    g_ptr_array_sort (list, compare_updated);

  if (after != NULL)
    {
      /* Cursor: "<updatedAt>|<legacy id>" (or "<legacy id>" for id order), base64. */
      gsize len = 0;
      g_autofree char *decoded = (char *) g_base64_decode (after, &len);
      g_autofree char *text = g_strndup (decoded, len);
      char *bar = strchr (text, '|');
      gint64 legacy = g_ascii_strtoll (bar ? bar + 1 : text, NULL, 10);

      if (bar != NULL)
        *bar = '\0';
      for (start = 0; start < list->len; start++)
        {
          JsonObject *n = list->pdata[start];
          if (ids_only)
            {
              if (integer (n, "legacyResourceId", 0) > legacy)
                break;
            }
          else
            {
              int c = g_strcmp0 (str (n, "updatedAt"), text);
              if (c > 0 || (c == 0 && integer (n, "legacyResourceId", 0) > legacy))
                break;
            }
        }
    }

  call->actual = 2;
  for (i = start; i < list->len && i < start + first; i++)
    {
      JsonObject *n = list->pdata[i];
      if (ids_only)
        {
          JsonObject *o = json_object_new ();
          json_object_set_string_member (o, "id", str (n, "id"));
          json_array_add_object_element (nodes, o);
          call->actual += 1;
        }
      else
        {
          JsonObject *view = node_view (kind, n, call->vars);

          call->actual += node_actual_cost (kind, view);
          json_array_add_object_element (nodes, view);
        }
    }
  json_object_set_array_member (conn, "nodes", nodes);
  json_object_set_boolean_member (info, "hasNextPage", i < list->len);
  if (i > start)
    {
      JsonObject *last = list->pdata[i - 1];
      g_autofree char *key = ids_only
        ? g_strdup_printf ("%" G_GINT64_FORMAT, integer (last, "legacyResourceId", 0))
        : g_strdup_printf ("%s|%" G_GINT64_FORMAT, str (last, "updatedAt"),
                           integer (last, "legacyResourceId", 0));
      g_autofree char *cursor = g_base64_encode ((const guchar *) key, strlen (key));
      json_object_set_string_member (info, "endCursor", cursor);
    }
  else
    json_object_set_null_member (info, "endCursor");
  json_object_set_object_member (conn, "pageInfo", info);
  json_object_set_object_member (call->data, member, conn);
}

static void
op_get (Call       *call,
        TdmKind     kind,
        const char *member,
        JsonObject *node)
{
  if (node != NULL)
    {
      JsonObject *view = node_view (kind, node, call->vars);

      call->actual = node_actual_cost (kind, view);
      json_object_set_object_member (call->data, member, view);
    }
  else
    {
      json_object_set_null_member (call->data, member);
      call->actual = 1;
    }
}

static void
op_count (Call    *call,
          TdmKind  kind)
{
  JsonObject *count = json_object_new ();
  g_autofree char *member = g_strconcat (kind == TDM_KIND_CUSTOMER ? "customer"
                                         : kind == TDM_KIND_PRODUCT ? "product" : "order",
                                         "sCount", NULL);
  guint n = call->self->records[kind]->len;

  json_object_set_int_member (count, "count", MIN (n, 10000));
  json_object_set_string_member (count, "precision", n > 10000 ? "AT_LEAST" : "EXACT");
  json_object_set_object_member (call->data, member, count);
  call->actual = 1;
}

static JsonObject *
identify (TdmFakeShopify *self,
          TdmKind         kind,
          JsonObject     *identifier,
          gboolean       *not_found)
{
  JsonObject *custom = obj (identifier, "customId");

  *not_found = FALSE;
  if (identifier == NULL)
    return NULL;
  if (str (identifier, "id") != NULL)
    {
      JsonObject *n = find_by_id (self, kind, str (identifier, "id"));
      *not_found = n == NULL;
      return n;
    }
  if (custom != NULL)
    return find_by_custom_id (self, kind, str (custom, "value"));
  if (str (identifier, "email") != NULL)
    for (guint i = 0; i < self->records[kind]->len; i++)
      if (g_strcmp0 (str (obj (self->records[kind]->pdata[i], "defaultEmailAddress"), "emailAddress"),
                     str (identifier, "email")) == 0)
        return self->records[kind]->pdata[i];
  if (str (identifier, "handle") != NULL)
    for (guint i = 0; i < self->records[kind]->len; i++)
      if (g_strcmp0 (str (self->records[kind]->pdata[i], "handle"), str (identifier, "handle")) == 0)
        return self->records[kind]->pdata[i];
  return NULL;
}

static JsonObject *
customer_with (TdmFakeShopify *self,
               const char     *path,
               const char     *value,
               JsonObject     *except)
{
  for (guint i = 0; value != NULL && i < self->records[TDM_KIND_CUSTOMER]->len; i++)
    {
      JsonObject *c = self->records[TDM_KIND_CUSTOMER]->pdata[i];
      const char *v = strcmp (path, "email") == 0
                      ? str (obj (c, "defaultEmailAddress"), "emailAddress")
                      : str (obj (c, "defaultPhoneNumber"), "phoneNumber");
      if (c != except && v != NULL && g_ascii_strcasecmp (v, value) == 0)
        return c;
    }
  return NULL;
}

static void
op_customer_set (Call *call)
{
  TdmFakeShopify *self = call->self;
  JsonObject *input = obj (call->vars, "input");
  JsonObject *identifier = obj (call->vars, "identifier");
  JsonArray *errors = json_array_new ();
  gboolean not_found;
  JsonObject *node = identify (self, TDM_KIND_CUSTOMER, identifier, &not_found);
  const char *email = str (input, "email");
  const char *phone = str (input, "phone");

  call->actual = 10;
  if (not_found)
    json_array_add_object_element (errors, user_error ("Customer does not exist", "NOT_FOUND",
                                                       "identifier", "id", NULL));
  else if (!email_valid (email))
    json_array_add_object_element (errors, user_error ("Email is invalid", "INVALID",
                                                       "input", "email", NULL));
  else if (!phone_valid (phone))
    json_array_add_object_element (errors, user_error ("Phone is invalid", "INVALID",
                                                       "input", "phone", NULL));
  else if (customer_with (self, "email", email, node) != NULL)
    json_array_add_object_element (errors, user_error ("Email has already been taken", "TAKEN",
                                                       "input", "email", NULL));
  else if (customer_with (self, "phone", phone, node) != NULL)
    json_array_add_object_element (errors, user_error ("Phone has already been taken", "TAKEN",
                                                       "input", "phone", NULL));
  else if (node == NULL && email == NULL && phone == NULL && str (input, "firstName") == NULL
           && str (input, "lastName") == NULL)
    json_array_add_object_element (errors, user_error ("A name, phone number, or email address must be present",
                                                       "BLANK", "input", NULL));

  if (json_array_get_length (errors) > 0)
    {
      json_object_set_object_member (call->data, "customerSet",
                                     payload_with_errors ("customer", NULL, "userErrors", errors));
      return;
    }

  if (node == NULL)
    {
      JsonObject *fresh = json_object_new ();
      JsonObject *custom = obj (identifier, "customId");
      node = insert_node (self, TDM_KIND_CUSTOMER, fresh);
      if (custom != NULL)
        set_webshop_id (node, str (custom, "value"));
    }
  set_member_copy (node, "firstName", input, "firstName");
  set_member_copy (node, "lastName", input, "lastName");
  set_member_copy (node, "note", input, "note");
  if (str (input, "locale") != NULL)
    json_object_set_string_member (node, "locale", str (input, "locale"));
  set_member_copy (node, "tags", input, "tags");
  if (json_object_has_member (input, "email"))
    {
      if (email == NULL)
        json_object_set_null_member (node, "defaultEmailAddress");
      else
        {
          JsonObject *ea = obj (node, "defaultEmailAddress");
          if (ea == NULL)
            {
              ea = json_object_new ();
              json_object_set_string_member (ea, "marketingState", "NOT_SUBSCRIBED");
              json_object_set_object_member (node, "defaultEmailAddress", ea);
            }
          json_object_set_string_member (ea, "emailAddress", email);
        }
    }
  if (json_object_has_member (input, "phone"))
    {
      if (phone == NULL)
        json_object_set_null_member (node, "defaultPhoneNumber");
      else
        {
          JsonObject *pn = json_object_new ();
          json_object_set_string_member (pn, "phoneNumber", phone);
          json_object_set_object_member (node, "defaultPhoneNumber", pn);
        }
    }
  if (arr (input, "addresses") != NULL)
    {
      JsonArray *in = arr (input, "addresses");
      JsonArray *out = json_array_new ();
      for (guint i = 0; i < json_array_get_length (in); i++)
        json_array_add_object_element (out, address_from_input (json_array_get_object_element (in, i)));
      json_object_set_object_member (node, "addressesV2", connection (out));
    }
  touch (node);
  json_object_set_object_member (call->data, "customerSet",
                                 payload_with_errors ("customer", node, "userErrors", errors));
}

static void
op_customer_consent (Call *call)
{
  JsonObject *input = obj (call->vars, "input");
  JsonObject *node = find_by_id (call->self, TDM_KIND_CUSTOMER, str (input, "customerId"));
  JsonArray *errors = json_array_new ();
  const char *state = str (obj (input, "emailMarketingConsent"), "marketingState");

  call->actual = 10;
  if (node == NULL)
    json_array_add_object_element (errors, user_error ("Customer not found", "INVALID",
                                                       "input", "customerId", NULL));
  else if (obj (node, "defaultEmailAddress") == NULL)
    json_array_add_object_element (errors, user_error ("Email can't be blank", "INVALID",
                                                       "input", "emailMarketingConsent", NULL));
  else if (g_strcmp0 (state, "SUBSCRIBED") != 0 && g_strcmp0 (state, "UNSUBSCRIBED") != 0
           && g_strcmp0 (state, "PENDING") != 0)
    json_array_add_object_element (errors, user_error ("Marketing state is not included in the list",
                                                       "INCLUSION", "input", "emailMarketingConsent",
                                                       "marketingState", NULL));
  if (json_array_get_length (errors) == 0)
    {
      json_object_set_string_member (obj (node, "defaultEmailAddress"), "marketingState", state);
      touch (node);
    }
  json_object_set_object_member (call->data, "customerEmailMarketingConsentUpdate",
                                 payload_with_errors ("customer", json_array_get_length (errors) ? NULL : node,
                                                      "userErrors", errors));
}

static JsonObject *
find_owner (TdmFakeShopify *self,
            const char     *gid,
            TdmKind        *kind)
{
  for (guint k = 0; k < TDM_N_KINDS; k++)
    {
      JsonObject *n = find_by_id (self, k, gid);
      if (n != NULL)
        {
          *kind = k;
          return n;
        }
    }
  return NULL;
}

static void
op_metafields_set (Call *call)
{
  TdmFakeShopify *self = call->self;
  JsonArray *mfs = arr (call->vars, "metafields");
  JsonArray *errors = json_array_new ();
  JsonArray *out = json_array_new ();

  call->actual = 10;
  for (guint i = 0; mfs != NULL && i < json_array_get_length (mfs); i++)
    {
      JsonObject *mf = json_array_get_object_element (mfs, i);
      TdmKind kind;
      JsonObject *owner = find_owner (self, str (mf, "ownerId"), &kind);
      g_autofree char *index = g_strdup_printf ("%u", i);

      if (owner == NULL)
        {
          json_array_add_object_element (errors, user_error ("Owner does not exist", "INVALID",
                                                             "metafields", index, "ownerId", NULL));
          continue;
        }
      if (g_strcmp0 (str (mf, "key"), "webshop_id") == 0)
        {
          JsonObject *other = find_by_custom_id (self, kind, str (mf, "value"));
          if (other != NULL && other != owner)
            {
              json_array_add_object_element (errors, user_error ("Value has already been taken", "TAKEN",
                                                                 "metafields", index, "value", NULL));
              continue;
            }
        }
    }
  if (json_array_get_length (errors) == 0)
    for (guint i = 0; mfs != NULL && i < json_array_get_length (mfs); i++)
      {
        JsonObject *mf = json_array_get_object_element (mfs, i);
        TdmKind kind;
        JsonObject *owner = find_owner (self, str (mf, "ownerId"), &kind);
        JsonObject *res = json_object_new ();
        g_autofree char *id = new_gid (self, "Metafield", NULL);

        if (g_strcmp0 (str (mf, "key"), "webshop_id") == 0)
          set_webshop_id (owner, str (mf, "value"));
        touch (owner);
        json_object_set_string_member (res, "id", id);
        json_object_set_string_member (res, "namespace", APP_NAMESPACE_RESOLVED);
        json_object_set_string_member (res, "key", str (mf, "key"));
        json_object_set_string_member (res, "value", str (mf, "value"));
        json_array_add_object_element (out, res);
      }
  {
    JsonObject *p = json_object_new ();
    if (json_array_get_length (errors) == 0)
      json_object_set_array_member (p, "metafields", out);
    else
      {
        json_array_unref (out);
        json_object_set_null_member (p, "metafields");
      }
    json_object_set_array_member (p, "userErrors", errors);
    json_object_set_object_member (call->data, "metafieldsSet", p);
  }
}

static void
op_customer_delete (Call *call)
{
  TdmFakeShopify *self = call->self;
  const char *id = str (call->vars, "id");
  JsonObject *node = find_by_id (self, TDM_KIND_CUSTOMER, id);
  JsonObject *p = json_object_new ();
  JsonArray *errors = json_array_new ();

  call->actual = 10;
  if (node == NULL)
    {
      json_array_add_object_element (errors, user_error ("Customer can't be found", NULL, "id", NULL));
      json_object_set_null_member (p, "deletedCustomerId");
    }
  else
    {
      json_object_set_string_member (p, "deletedCustomerId", id);
      g_ptr_array_remove (self->records[TDM_KIND_CUSTOMER], node);
    }
  json_object_set_array_member (p, "userErrors", errors);
  json_object_set_object_member (call->data, "customerDelete", p);
}

static gboolean
selected_equal (JsonArray *selected,
                JsonArray *option_values)
{
  if (selected == NULL || option_values == NULL
      || json_array_get_length (selected) != json_array_get_length (option_values))
    return FALSE;
  for (guint i = 0; i < json_array_get_length (option_values); i++)
    {
      JsonObject *w = json_array_get_object_element (option_values, i);
      gboolean found = FALSE;
      for (guint j = 0; j < json_array_get_length (selected); j++)
        {
          JsonObject *s = json_array_get_object_element (selected, j);
          if (g_strcmp0 (str (s, "name"), str (w, "optionName")) == 0
              && g_strcmp0 (str (s, "value"), str (w, "name")) == 0)
            found = TRUE;
        }
      if (!found)
        return FALSE;
    }
  return TRUE;
}

static const char *
metafield_value (JsonArray  *metafields,
                 const char *key)
{
  for (guint i = 0; metafields != NULL && i < json_array_get_length (metafields); i++)
    {
      JsonObject *mf = json_array_get_object_element (metafields, i);
      if (g_strcmp0 (str (mf, "key"), key) == 0)
        return str (mf, "value");
    }
  return NULL;
}

static gboolean
blank (const char *text)
{
  for (const char *p = text; p != NULL && *p != '\0'; p++)
    if (!g_ascii_isspace (*p))
      return FALSE;
  return TRUE;
}

static void
op_product_set (Call *call)
{
  TdmFakeShopify *self = call->self;
  JsonObject *input = obj (call->vars, "input");
  JsonObject *identifier = obj (call->vars, "identifier");
  JsonArray *errors = json_array_new ();
  gboolean not_found;
  JsonObject *node = identify (self, TDM_KIND_PRODUCT, identifier, &not_found);
  const char *title = str (input, "title");
  const char *webshop_id = metafield_value (arr (input, "metafields"), "webshop_id");
  JsonArray *variants_in = arr (input, "variants");

  call->actual = 10 + 0.2 * (variants_in ? json_array_get_length (variants_in) : 0);
  if (webshop_id == NULL && obj (identifier, "customId") != NULL)
    webshop_id = str (obj (identifier, "customId"), "value");

  if (not_found)
    json_array_add_object_element (errors, user_error ("Product does not exist", "PRODUCT_DOES_NOT_EXIST",
                                                       "identifier", "id", NULL));
  else if ((node == NULL && blank (title))
           || (json_object_has_member (input, "title") && blank (title)))
    json_array_add_object_element (errors, user_error ("Title can't be blank", "INVALID_PRODUCT",
                                                       "input", "title", NULL));
  else if (variants_in != NULL && json_array_get_length (variants_in) > 2048)
    json_array_add_object_element (errors, user_error ("Product can't have more than 2048 variants",
                                                       "VARIANTS_OVER_LIMIT", "input", "variants", NULL));
  else if (webshop_id != NULL && find_by_custom_id (self, TDM_KIND_PRODUCT, webshop_id) != NULL
           && find_by_custom_id (self, TDM_KIND_PRODUCT, webshop_id) != node)
    json_array_add_object_element (errors, user_error ("Value has already been taken",
                                                       "DUPLICATED_METAFIELD_VALUE",
                                                       "input", "metafields", "0", "value", NULL));
  for (guint i = 0; variants_in != NULL && i < json_array_get_length (variants_in)
                    && json_array_get_length (errors) == 0; i++)
    {
      JsonObject *v = json_array_get_object_element (variants_in, i);
      if (arr (v, "optionValues") == NULL || json_array_get_length (arr (v, "optionValues")) == 0)
        {
          g_autofree char *index = g_strdup_printf ("%u", i);
          json_array_add_object_element (errors, user_error ("Option values can't be blank",
                                                             "INVALID_VARIANT", "input", "variants",
                                                             index, "optionValues", NULL));
        }
    }

  if (json_array_get_length (errors) > 0)
    {
      json_object_set_object_member (call->data, "productSet",
                                     payload_with_errors ("product", NULL, "userErrors", errors));
      return;
    }

  if (node == NULL)
    {
      JsonObject *fresh = json_object_new ();
      json_object_set_string_member (fresh, "title", title);
      json_object_set_object_member (fresh, "variants", connection (NULL));
      node = insert_node (self, TDM_KIND_PRODUCT, fresh);
      json_array_remove_element (arr (obj (node, "variants"), "nodes"), 0);
    }
  set_member_copy (node, "title", input, "title");
  set_member_copy (node, "descriptionHtml", input, "descriptionHtml");
  set_member_copy (node, "vendor", input, "vendor");
  set_member_copy (node, "productType", input, "productType");
  set_member_copy (node, "status", input, "status");
  set_member_copy (node, "tags", input, "tags");
  if (str (input, "handle") != NULL)
    json_object_set_string_member (node, "handle", str (input, "handle"));
  if (webshop_id != NULL)
    set_webshop_id (node, webshop_id);

  if (variants_in != NULL)
    {
      JsonArray *old = arr (obj (node, "variants"), "nodes");
      JsonArray *out = json_array_new ();

      for (guint i = 0; i < json_array_get_length (variants_in); i++)
        {
          JsonObject *in = json_array_get_object_element (variants_in, i);
          JsonObject *v = NULL;
          JsonObject *measurement = obj (obj (in, "inventoryItem"), "measurement");
          const char *price_excl = metafield_value (arr (in, "metafields"), "price_excl_vat");
          JsonArray *selected = json_array_new ();
          JsonArray *ov = arr (in, "optionValues");

          for (guint j = 0; old != NULL && j < json_array_get_length (old) && v == NULL; j++)
            {
              JsonObject *o = json_array_get_object_element (old, j);
              if ((str (in, "id") != NULL && g_strcmp0 (str (in, "id"), str (o, "id")) == 0)
                  || selected_equal (arr (o, "selectedOptions"), ov))
                v = copy_obj (o);
            }
          if (v == NULL)
            v = json_object_new ();
          set_member_copy (v, "sku", in, "sku");
          set_member_copy (v, "price", in, "price");
          set_member_copy (v, "compareAtPrice", in, "compareAtPrice");
          set_member_copy (v, "barcode", in, "barcode");
          for (guint j = 0; ov != NULL && j < json_array_get_length (ov); j++)
            {
              JsonObject *o = json_array_get_object_element (ov, j);
              JsonObject *s = json_object_new ();
              json_object_set_string_member (s, "name", str (o, "optionName"));
              json_object_set_string_member (s, "value", str (o, "name"));
              json_array_add_object_element (selected, s);
            }
          json_object_set_array_member (v, "selectedOptions", selected);
          ensure_variant (self, v);
          if (measurement != NULL && obj (measurement, "weight") != NULL)
            json_object_set_object_member (obj (obj (v, "inventoryItem"), "measurement"), "weight",
                                           copy_obj (obj (measurement, "weight")));
          if (price_excl != NULL)
            {
              JsonObject *mf = json_object_new ();
              json_object_set_string_member (mf, "value", price_excl);
              json_object_set_object_member (v, "priceExclVat", mf);
            }
          json_array_add_object_element (out, v);
        }
      json_object_set_object_member (node, "variants", connection (out));
    }
  touch (node);
  {
    g_autoptr(JsonObject) view = product_view (node, call->vars);

    json_object_set_object_member (call->data, "productSet",
                                   payload_with_errors ("product", view, "userErrors", errors));
  }
}

/* query ProductVariants($id, $first, $after): one page of a product's variants. */
static void
op_product_variants (Call *call)
{
  JsonObject *node = find_by_id (call->self, TDM_KIND_PRODUCT, str (call->vars, "id"));
  JsonArray *variants = arr (obj (node, "variants"), "nodes");
  gint64 first = CLAMP (integer (call->vars, "first", 1), 1, 250);
  JsonObject *product;
  JsonObject *conn;
  gint start;

  if (node == NULL)
    {
      json_object_set_null_member (call->data, "product");
      call->actual = 1;
      return;
    }
  start = variants_start (variants, str (call->vars, "after"));
  if (start < 0)
    {
      JsonObject *e = json_object_new ();
      JsonObject *ext = json_object_new ();

      json_object_set_string_member (e, "message", "Invalid cursor for current pagination sort.");
      json_object_set_string_member (ext, "code", "BAD_REQUEST");
      json_object_set_object_member (e, "extensions", ext);
      call->errors = json_array_new ();
      json_array_add_object_element (call->errors, e);
      call->actual = 1;
      return;
    }
  conn = variants_page (variants, (guint) start, (guint) first);
  call->actual = 1 + 2 + json_array_get_length (arr (conn, "nodes")) * 5;
  product = json_object_new ();
  json_object_set_object_member (product, "variants", conn);
  json_object_set_object_member (call->data, "product", product);
}

static void
op_product_archive (Call *call)
{
  JsonObject *node = find_by_id (call->self, TDM_KIND_PRODUCT, str (call->vars, "id"));
  JsonObject *p = json_object_new ();
  JsonArray *errors = json_array_new ();

  call->actual = 10;
  if (node == NULL)
    {
      json_array_add_object_element (errors, user_error ("Product does not exist", NULL, "id", NULL));
      json_object_set_null_member (p, "product");
    }
  else
    {
      JsonObject *small = json_object_new ();
      json_object_set_string_member (node, "status", "ARCHIVED");
      touch (node);
      json_object_set_string_member (small, "id", str (node, "id"));
      json_object_set_string_member (small, "status", "ARCHIVED");
      json_object_set_string_member (small, "updatedAt", str (node, "updatedAt"));
      json_object_set_object_member (p, "product", small);
    }
  json_object_set_array_member (p, "userErrors", errors);
  json_object_set_object_member (call->data, "productUpdate", p);
}

static JsonObject *
variant_by (TdmFakeShopify *self,
            const char     *member,
            const char     *value,
            JsonObject    **out_product)
{
  for (guint i = 0; value != NULL && i < self->records[TDM_KIND_PRODUCT]->len; i++)
    {
      JsonObject *p = self->records[TDM_KIND_PRODUCT]->pdata[i];
      JsonArray *vs = arr (obj (p, "variants"), "nodes");
      for (guint j = 0; vs != NULL && j < json_array_get_length (vs); j++)
        {
          JsonObject *v = json_array_get_object_element (vs, j);
          const char *have = strcmp (member, "inventoryItem") == 0
                             ? str (obj (v, "inventoryItem"), "id") : str (v, member);
          if (g_strcmp0 (have, value) == 0)
            {
              if (out_product != NULL)
                *out_product = p;
              return v;
            }
        }
    }
  return NULL;
}

static void
op_variants_by_sku (Call *call)
{
  TdmFakeShopify *self = call->self;
  const char *query = str (call->vars, "query");
  g_autofree char *sku = NULL;
  JsonArray *nodes = json_array_new ();
  JsonObject *conn = json_object_new ();

  if (query != NULL && g_str_has_prefix (query, "sku:"))
    {
      GString *s = g_string_new (NULL);
      const char *p = query + 4;
      gboolean quoted = *p == '"';

      if (quoted)
        p++;
      for (; *p != '\0'; p++)
        {
          if (quoted && *p == '\\' && p[1] != '\0')
            {
              g_string_append_c (s, *++p);
              continue;
            }
          if (quoted && *p == '"')
            break;
          g_string_append_c (s, *p);
        }
      sku = g_string_free (s, FALSE);
    }
  call->actual = 2;
  for (guint i = 0; sku != NULL && i < self->records[TDM_KIND_PRODUCT]->len; i++)
    {
      JsonArray *vs = arr (obj (self->records[TDM_KIND_PRODUCT]->pdata[i], "variants"), "nodes");
      for (guint j = 0; vs != NULL && j < json_array_get_length (vs); j++)
        {
          JsonObject *v = json_array_get_object_element (vs, j);
          if (g_strcmp0 (str (v, "sku"), sku) == 0 && json_array_get_length (nodes) < 2)
            {
              JsonObject *o = json_object_new ();
              json_object_set_string_member (o, "id", str (v, "id"));
              json_object_set_string_member (o, "sku", sku);
              json_array_add_object_element (nodes, o);
              call->actual += 1;
            }
        }
    }
  json_object_set_array_member (conn, "nodes", nodes);
  json_object_set_object_member (call->data, "productVariants", conn);
}

static void
op_inventory_set (Call *call)
{
  TdmFakeShopify *self = call->self;
  JsonObject *input = obj (call->vars, "input");
  const char *key = str (call->vars, "key");
  JsonArray *quantities = arr (input, "quantities");
  JsonArray *errors = json_array_new ();
  JsonObject *p = json_object_new ();
  g_autofree char *input_json = obj_to_json (input);
  const char *seen = key ? g_hash_table_lookup (self->idempotency, key) : NULL;

  call->actual = 10;
  if (key == NULL || *key == '\0')
    {
      /* Required since 2026-04: a top-level error, not a userError. */
      JsonObject *e = json_object_new ();
      JsonObject *ext = json_object_new ();
      json_object_set_string_member (e, "message", "The @idempotent directive is required for this mutation.");
      json_object_set_string_member (ext, "code", "BAD_REQUEST");
      json_object_set_object_member (e, "extensions", ext);
      call->errors = json_array_new ();
      json_array_add_object_element (call->errors, e);
      json_object_unref (p);
      json_array_unref (errors);
      return;
    }
  if (quantities != NULL && json_array_get_length (quantities) > 250)
    {
      /* Shopify's cap on input arrays: a top-level error, nothing runs. */
      JsonObject *e = json_object_new ();
      JsonObject *ext = json_object_new ();
      g_autofree char *message = g_strdup_printf ("The input array size of %u is greater than the "
                                                  "maximum allowed of 250.",
                                                  json_array_get_length (quantities));

      json_object_set_string_member (e, "message", message);
      json_object_set_string_member (ext, "code", "MAX_INPUT_SIZE_EXCEEDED");
      json_object_set_object_member (e, "extensions", ext);
      call->errors = json_array_new ();
      json_array_add_object_element (call->errors, e);
      json_object_unref (p);
      json_array_unref (errors);
      return;
    }
  if (seen != NULL && g_strcmp0 (seen, input_json) != 0)
    json_array_add_object_element (errors, user_error ("The idempotency key was used with different parameters",
                                                       "IDEMPOTENCY_KEY_PARAMETER_MISMATCH", "input", NULL));
  else if (g_strcmp0 (str (input, "name"), "available") != 0 && g_strcmp0 (str (input, "name"), "on_hand") != 0)
    json_array_add_object_element (errors, user_error ("The quantity name must be available or on_hand",
                                                       "INVALID_NAME", "input", "name", NULL));
  for (guint i = 0; quantities != NULL && i < json_array_get_length (quantities)
                    && json_array_get_length (errors) == 0; i++)
    {
      JsonObject *q = json_array_get_object_element (quantities, i);
      g_autofree char *index = g_strdup_printf ("%u", i);
      if (g_strcmp0 (str (q, "locationId"), LOCATION_ID) != 0)
        json_array_add_object_element (errors, user_error ("The location is invalid", "INVALID_LOCATION",
                                                           "input", "quantities", index, "locationId", NULL));
      else if (variant_by (self, "inventoryItem", str (q, "inventoryItemId"), NULL) == NULL)
        json_array_add_object_element (errors, user_error ("The inventory item is invalid",
                                                           "INVALID_INVENTORY_ITEM", "input", "quantities",
                                                           index, "inventoryItemId", NULL));
      else if (!json_object_has_member (q, "changeFromQuantity"))
        json_array_add_object_element (errors, user_error ("changeFromQuantity must be given (it may be null)",
                                                           "CHANGE_FROM_QUANTITY_STALE", "input", "quantities",
                                                           index, "changeFromQuantity", NULL));
    }
  if (json_array_get_length (errors) == 0)
    {
      JsonObject *group = json_object_new ();
      g_autofree char *gid = new_gid (self, "InventoryAdjustmentGroup", NULL);

      if (seen == NULL)
        {
          for (guint i = 0; quantities != NULL && i < json_array_get_length (quantities); i++)
            {
              JsonObject *q = json_array_get_object_element (quantities, i);
              JsonObject *product = NULL;
              JsonObject *v = variant_by (self, "inventoryItem", str (q, "inventoryItemId"), &product);
              json_object_set_int_member (v, "inventoryQuantity", integer (q, "quantity", 0));
              touch (product);
            }
          g_hash_table_insert (self->idempotency, g_strdup (key), g_strdup (input_json));
        }
      json_object_set_string_member (group, "id", gid);
      json_object_set_object_member (p, "inventoryAdjustmentGroup", group);
    }
  else
    json_object_set_null_member (p, "inventoryAdjustmentGroup");
  json_object_set_array_member (p, "userErrors", errors);
  json_object_set_object_member (call->data, "inventorySetQuantities", p);
}

static JsonObject *
money_bag (const char *amount,
           const char *currency)
{
  JsonObject *bag = json_object_new ();
  JsonObject *money = json_object_new ();

  json_object_set_string_member (money, "amount", amount);
  if (currency != NULL)
    json_object_set_string_member (money, "currencyCode", currency);
  json_object_set_object_member (bag, "shopMoney", money);
  return bag;
}

static void
op_order_create (Call *call)
{
  TdmFakeShopify *self = call->self;
  JsonObject *in = obj (call->vars, "order");
  JsonArray *lines = arr (in, "lineItems");
  JsonArray *shipping = arr (in, "shippingLines");
  JsonArray *errors = json_array_new ();
  const char *currency = str (in, "currency") ? str (in, "currency") : "NOK";
  const char *customer_id = str (obj (obj (in, "customer"), "toAssociate"), "id");
  const char *webshop_id = metafield_value (arr (in, "metafields"), "webshop_id");
  JsonObject *node;
  JsonArray *li_out;
  JsonArray *sl_out;
  gint64 subtotal = 0, shipping_total = 0;

  call->actual = 10;
  if (!email_valid (str (in, "email")))
    json_array_add_object_element (errors, user_error ("Email is invalid", "INVALID", "order", "email", NULL));
  else if (customer_id != NULL && find_by_id (self, TDM_KIND_CUSTOMER, customer_id) == NULL)
    json_array_add_object_element (errors, user_error ("Customer does not exist", "INVALID",
                                                       "order", "customer", "toAssociate", "id", NULL));
  else if (webshop_id != NULL && find_by_custom_id (self, TDM_KIND_ORDER, webshop_id) != NULL)
    json_array_add_object_element (errors, user_error ("Metafield value has already been taken", "INVALID",
                                                       "order", "metafields", "0", "value", NULL));
  for (guint i = 0; lines != NULL && i < json_array_get_length (lines)
                    && json_array_get_length (errors) == 0; i++)
    {
      JsonObject *l = json_array_get_object_element (lines, i);
      g_autofree char *index = g_strdup_printf ("%u", i);
      const char *variant = str (l, "variantId");

      if (variant != NULL && variant_by (self, "id", variant, NULL) == NULL)
        json_array_add_object_element (errors, user_error ("Variant does not exist", "INVALID", "order",
                                                           "lineItems", index, "variantId", NULL));
      else if (variant == NULL && (str (l, "title") == NULL || obj (l, "priceSet") == NULL))
        json_array_add_object_element (errors, user_error ("A custom line item needs a title and a price",
                                                           "INVALID", "order", "lineItems", index, NULL));
    }
  if (json_array_get_length (errors) > 0)
    {
      json_object_set_object_member (call->data, "orderCreate",
                                     payload_with_errors ("order", NULL, "userErrors", errors));
      return;
    }

  node = json_object_new ();
  set_member_copy (node, "name", in, "name");
  set_member_copy (node, "email", in, "email");
  set_member_copy (node, "phone", in, "phone");
  set_member_copy (node, "note", in, "note");
  set_member_copy (node, "tags", in, "tags");
  json_object_set_string_member (node, "currencyCode", currency);
  set_member_copy (node, "processedAt", in, "processedAt");
  json_object_set_null_member (node, "cancelledAt");
  json_object_set_string_member (node, "displayFinancialStatus",
                                 str (in, "financialStatus") ? str (in, "financialStatus") : "PENDING");
  json_object_set_string_member (node, "displayFulfillmentStatus",
                                 g_strcmp0 (str (in, "fulfillmentStatus"), "FULFILLED") == 0 ? "FULFILLED"
                                 : g_strcmp0 (str (in, "fulfillmentStatus"), "PARTIAL") == 0 ? "PARTIALLY_FULFILLED"
                                 : "UNFULFILLED");
  set_member_copy (node, "taxesIncluded", in, "taxesIncluded");
  set_str_or_null (node, "sourceIdentifier", str (in, "sourceIdentifier"));
  if (customer_id != NULL)
    {
      JsonObject *c = json_object_new ();
      json_object_set_string_member (c, "id", customer_id);
      json_object_set_object_member (node, "customer", c);
    }
  li_out = json_array_new ();
  for (guint i = 0; lines != NULL && i < json_array_get_length (lines); i++)
    {
      JsonObject *l = json_array_get_object_element (lines, i);
      JsonObject *o = json_object_new ();
      JsonObject *product = NULL;
      JsonObject *v = variant_by (self, "id", str (l, "variantId"), &product);
      const char *amount = str (obj (obj (l, "priceSet"), "shopMoney"), "amount");
      gint64 qty = integer (l, "quantity", 1);

      if (amount == NULL && v != NULL)
        amount = str (v, "price");
      set_str_or_null (o, "sku", str (l, "sku") ? str (l, "sku") : (v ? str (v, "sku") : NULL));
      json_object_set_string_member (o, "title", str (l, "title") ? str (l, "title")
                                                 : product ? str (product, "title") : "Item");
      json_object_set_int_member (o, "quantity", qty);
      json_object_set_object_member (o, "originalUnitPriceSet", money_bag (amount ? amount : "0.00", currency));
      if (v != NULL)
        {
          JsonObject *vr = json_object_new ();
          json_object_set_string_member (vr, "id", str (v, "id"));
          json_object_set_object_member (o, "variant", vr);
        }
      else
        json_object_set_null_member (o, "variant");
      subtotal += parse_cents (amount) * qty;
      json_array_add_object_element (li_out, o);
    }
  json_object_set_object_member (node, "lineItems", connection (li_out));
  sl_out = json_array_new ();
  for (guint i = 0; shipping != NULL && i < json_array_get_length (shipping); i++)
    {
      JsonObject *s = json_array_get_object_element (shipping, i);
      JsonObject *o = json_object_new ();
      const char *amount = str (obj (obj (s, "priceSet"), "shopMoney"), "amount");
      json_object_set_string_member (o, "title", str (s, "title"));
      json_object_set_object_member (o, "originalPriceSet", money_bag (amount ? amount : "0.00", NULL));
      shipping_total += parse_cents (amount);
      json_array_add_object_element (sl_out, o);
    }
  json_object_set_object_member (node, "shippingLines", connection (sl_out));
  {
    g_autofree char *sub = format_cents (subtotal);
    g_autofree char *total = format_cents (subtotal + shipping_total);
    json_object_set_object_member (node, "subtotalPriceSet", money_bag (sub, NULL));
    json_object_set_object_member (node, "totalTaxSet", money_bag ("0.00", NULL));
    json_object_set_object_member (node, "totalPriceSet", money_bag (total, NULL));
  }
  if (obj (in, "shippingAddress") != NULL)
    json_object_set_object_member (node, "shippingAddress", address_from_input (obj (in, "shippingAddress")));
  if (obj (in, "billingAddress") != NULL)
    json_object_set_object_member (node, "billingAddress", address_from_input (obj (in, "billingAddress")));
  if (webshop_id != NULL)
    set_webshop_id (node, webshop_id);
  node = insert_node (self, TDM_KIND_ORDER, node);
  json_object_set_object_member (call->data, "orderCreate",
                                 payload_with_errors ("order", node, "userErrors", errors));
}

static void
op_order_update (Call *call)
{
  TdmFakeShopify *self = call->self;
  JsonObject *in = obj (call->vars, "input");
  JsonObject *node = find_by_id (self, TDM_KIND_ORDER, str (in, "id"));
  JsonArray *errors = json_array_new ();
  const char *webshop_id = metafield_value (arr (in, "metafields"), "webshop_id");

  call->actual = 10;
  if (node == NULL)
    json_array_add_object_element (errors, user_error ("Order does not exist", NULL, "id", NULL));
  else if (!email_valid (str (in, "email")))
    json_array_add_object_element (errors, user_error ("Email is invalid", NULL, "email", NULL));
  if (json_array_get_length (errors) == 0)
    {
      set_member_copy (node, "email", in, "email");
      set_member_copy (node, "phone", in, "phone");
      set_member_copy (node, "note", in, "note");
      set_member_copy (node, "tags", in, "tags");
      if (obj (in, "shippingAddress") != NULL)
        json_object_set_object_member (node, "shippingAddress", address_from_input (obj (in, "shippingAddress")));
      if (webshop_id != NULL)
        set_webshop_id (node, webshop_id);
      touch (node);
    }
  json_object_set_object_member (call->data, "orderUpdate",
                                 payload_with_errors ("order", json_array_get_length (errors) ? NULL : node,
                                                      "userErrors", errors));
}

static void
op_order_cancel (Call *call)
{
  TdmFakeShopify *self = call->self;
  JsonObject *node = find_by_id (self, TDM_KIND_ORDER, str (call->vars, "orderId"));
  JsonArray *errors = json_array_new ();
  JsonObject *p = json_object_new ();

  call->actual = 10;
  if (node == NULL)
    json_array_add_object_element (errors, user_error ("Order not found", "NOT_FOUND", "orderId", NULL));
  else if (str (node, "cancelledAt") != NULL)
    json_array_add_object_element (errors, user_error ("Order has already been cancelled", "INVALID",
                                                       "orderId", NULL));
  if (json_array_get_length (errors) == 0)
    {
      JsonObject *job = json_object_new ();
      g_autofree char *stamp = now_stamp ();
      g_autofree char *gid = new_gid (self, "Job", NULL);

      json_object_set_string_member (node, "cancelledAt", stamp);
      touch (node);
      json_object_set_string_member (job, "id", gid);
      json_object_set_boolean_member (job, "done", TRUE);
      json_object_set_object_member (p, "job", job);
    }
  else
    json_object_set_null_member (p, "job");
  json_object_set_array_member (p, "orderCancelUserErrors", errors);
  json_object_set_object_member (call->data, "orderCancel", p);
}

static void
op_order_mark_paid (Call *call)
{
  JsonObject *node = find_by_id (call->self, TDM_KIND_ORDER, str (call->vars, "id"));
  JsonArray *errors = json_array_new ();

  call->actual = 10;
  if (node == NULL)
    json_array_add_object_element (errors, user_error ("Order does not exist", NULL, "id", NULL));
  else if (str (node, "cancelledAt") != NULL)
    json_array_add_object_element (errors, user_error ("Order is cancelled and can't be marked as paid",
                                                       NULL, "id", NULL));
  else
    {
      json_object_set_string_member (node, "displayFinancialStatus", "PAID");
      touch (node);
    }
  json_object_set_object_member (call->data, "orderMarkAsPaid",
                                 payload_with_errors ("order", json_array_get_length (errors) ? NULL : node,
                                                      "userErrors", errors));
}

static void
op_definition_create (Call *call)
{
  TdmFakeShopify *self = call->self;
  JsonObject *def = obj (call->vars, "definition");
  g_autofree char *key = g_strdup_printf ("%s/%s/%s", str (def, "ownerType"), str (def, "namespace"),
                                          str (def, "key"));
  JsonObject *p = json_object_new ();
  JsonArray *errors = json_array_new ();

  call->actual = 10;
  if (g_hash_table_contains (self->definitions, key))
    {
      g_autofree char *msg = g_strdup_printf ("Key is in use for %s metafields on the '%s' namespace.",
                                              str (def, "ownerType"), APP_NAMESPACE_RESOLVED);
      json_array_add_object_element (errors, user_error (msg, "TAKEN", "definition", "key", NULL));
      json_object_set_null_member (p, "createdDefinition");
    }
  else
    {
      JsonObject *created = json_object_new ();
      g_autofree char *gid = new_gid (self, "MetafieldDefinition", NULL);
      g_hash_table_insert (self->definitions, g_steal_pointer (&key), g_strdup (gid));
      json_object_set_string_member (created, "id", gid);
      json_object_set_object_member (p, "createdDefinition", created);
    }
  json_object_set_array_member (p, "userErrors", errors);
  json_object_set_object_member (call->data, "metafieldDefinitionCreate", p);
}

static void
op_definitions (Call *call)
{
  static const struct { const char *alias; const char *owner; } owners[] = {
    { "customer", "CUSTOMER" }, { "product", "PRODUCT" }, { "order", "ORDER" },
    { "variant", "PRODUCTVARIANT" },
  };
  GHashTableIter iter;
  gpointer key, value;

  call->actual = 2;
  for (guint i = 0; i < G_N_ELEMENTS (owners); i++)
    {
      JsonArray *nodes = json_array_new ();
      g_autofree char *prefix = g_strdup_printf ("%s/$app:tandem/", owners[i].owner);

      g_hash_table_iter_init (&iter, call->self->definitions);
      while (g_hash_table_iter_next (&iter, &key, &value))
        if (g_str_has_prefix (key, prefix))
          {
            JsonObject *def = json_object_new ();
            json_object_set_string_member (def, "id", value);
            json_object_set_string_member (def, "key", (const char *) key + strlen (prefix));
            json_array_add_object_element (nodes, def);
            call->actual += 1;
          }
      json_object_set_object_member (call->data, owners[i].alias, connection (nodes));
    }
}

/* A small JSON writer for bulk exports: thousands of records are written
 * into one GString without a generator, a copy or an allocation per value,
 * so a large export stays fast even in sanitizer builds. */
static void append_json_node (GString *out, JsonNode *node);

static void
append_json_string (GString    *out,
                    const char *s)
{
  g_string_append_c (out, '"');
  for (const unsigned char *p = (const unsigned char *) s; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        {
          g_string_append_c (out, '\\');
          g_string_append_c (out, (char) *p);
        }
      else if (*p < 0x20)
        g_string_append_printf (out, "\\u%04x", *p);
      else
        g_string_append_c (out, (char) *p);
    }
  g_string_append_c (out, '"');
}

typedef struct {
  GString           *out;
  const char *const *skip;
  gboolean           first;
} JsonlMembers;

static void
append_json_member (JsonObject  *object,
                    const char  *name,
                    JsonNode    *node,
                    gpointer     user_data)
{
  JsonlMembers *m = user_data;

  if (m->skip != NULL && g_strv_contains (m->skip, name))
    return;
  if (!m->first)
    g_string_append_c (m->out, ',');
  m->first = FALSE;
  append_json_string (m->out, name);
  g_string_append_c (m->out, ':');
  append_json_node (m->out, node);
}

static void
append_json_element (JsonArray *array,
                     guint      index,
                     JsonNode  *node,
                     gpointer   user_data)
{
  GString *out = user_data;

  if (index > 0)
    g_string_append_c (out, ',');
  append_json_node (out, node);
}

static void
append_json_node (GString  *out,
                  JsonNode *node)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonlMembers m = { out, NULL, TRUE };

        g_string_append_c (out, '{');
        json_object_foreach_member (json_node_get_object (node), append_json_member, &m);
        g_string_append_c (out, '}');
      }
      break;
    case JSON_NODE_ARRAY:
      g_string_append_c (out, '[');
      json_array_foreach_element (json_node_get_array (node), append_json_element, out);
      g_string_append_c (out, ']');
      break;
    case JSON_NODE_NULL:
      g_string_append (out, "null");
      break;
    case JSON_NODE_VALUE:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_INT64:
          g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
          break;
        case G_TYPE_DOUBLE:
          g_string_append (out, g_ascii_dtostr (buf, sizeof buf, json_node_get_double (node)));
          break;
        case G_TYPE_BOOLEAN:
          g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
          break;
        default:
          append_json_string (out, json_node_get_string (node));
          break;
        }
      break;
    default:
      g_string_append (out, "null");
      break;
    }
}

/* Writes @o as one JSON line without the members named in @skip, then
 * @extra (already JSON, starting with a comma) before the closing brace. */
static void
append_jsonl_object (GString     *out,
                     JsonObject  *o,
                     const char  *const *skip,
                     const char  *extra)
{
  JsonlMembers m = { out, skip, TRUE };

  g_string_append_c (out, '{');
  json_object_foreach_member (o, append_json_member, &m);
  if (extra != NULL)
    g_string_append (out, m.first ? extra + 1 : extra);
  g_string_append (out, "}\n");
}

static GBytes *
bulk_jsonl (TdmFakeShopify *self,
            TdmKind         kind,
            guint64        *count)
{
  static const char *const child_conns[] = {
    "addressesV2", "variants", "lineItems", "shippingLines", NULL
  };
  static const char *const child_types[] = {
    "MailingAddress", "ProductVariant", "LineItem", "ShippingLine",
  };
  GString *out = g_string_new (NULL);

  *count = 0;
  for (guint i = 0; i < self->records[kind]->len; i++)
    {
      JsonObject *root = self->records[kind]->pdata[i];

      append_jsonl_object (out, root, child_conns, NULL);
      for (guint c = 0; child_conns[c] != NULL; c++)
        {
          JsonArray *nodes = arr (obj (root, child_conns[c]), "nodes");
          g_autofree char *extra = NULL;

          if (nodes == NULL)
            continue;
          extra = g_strdup_printf (",\"__typename\":\"%s\",\"__parentId\":\"%s\"",
                                   child_types[c], str (root, "id"));
          for (guint j = 0; j < json_array_get_length (nodes); j++)
            append_jsonl_object (out, json_array_get_object_element (nodes, j), NULL, extra);
        }
      (*count)++;
    }
  return g_string_free_to_bytes (out);
}

static void
op_bulk_run (Call *call)
{
  TdmFakeShopify *self = call->self;
  const char *query = str (call->vars, "query");
  BulkOp *op = g_new0 (BulkOp, 1);
  JsonObject *p = json_object_new ();
  JsonObject *bulk = json_object_new ();

  call->actual = 10;
  if (query != NULL && strstr (query, "customers") != NULL)
    op->kind = TDM_KIND_CUSTOMER;
  else if (query != NULL && strstr (query, "products") != NULL)
    op->kind = TDM_KIND_PRODUCT;
  else
    op->kind = TDM_KIND_ORDER;
  op->id = new_gid (self, "BulkOperation", NULL);
  /* The export is a snapshot of the moment the operation runs. */
  op->jsonl = bulk_jsonl (self, op->kind, &op->count);
  g_ptr_array_add (self->bulk_ops, op);

  json_object_set_string_member (bulk, "id", op->id);
  json_object_set_string_member (bulk, "status", "CREATED");
  json_object_set_object_member (p, "bulkOperation", bulk);
  json_object_set_array_member (p, "userErrors", json_array_new ());
  json_object_set_object_member (call->data, "bulkOperationRunQuery", p);
}

static void
op_bulk_poll (Call *call)
{
  TdmFakeShopify *self = call->self;
  const char *id = str (call->vars, "id");
  BulkOp *op = NULL;
  JsonObject *bulk;
  guint index = 0;

  call->actual = 1;
  for (guint i = 0; i < self->bulk_ops->len; i++)
    if (g_strcmp0 (((BulkOp *) self->bulk_ops->pdata[i])->id, id) == 0)
      {
        op = self->bulk_ops->pdata[i];
        index = i;
      }
  if (op == NULL)
    {
      json_object_set_null_member (call->data, "bulkOperation");
      return;
    }
  bulk = json_object_new ();
  json_object_set_string_member (bulk, "id", op->id);
  op->polls++;
  if (op->polls < self->bulk_polls)
    {
      json_object_set_string_member (bulk, "status", "RUNNING");
      json_object_set_null_member (bulk, "errorCode");
      json_object_set_string_member (bulk, "objectCount", "0");
      json_object_set_null_member (bulk, "url");
    }
  else
    {
      g_autofree char *count = g_strdup_printf ("%" G_GUINT64_FORMAT, op->count);
      g_autofree char *url = g_strdup_printf ("%s/bulk/%u.jsonl", self->url, index);
      json_object_set_string_member (bulk, "status", "COMPLETED");
      json_object_set_null_member (bulk, "errorCode");
      json_object_set_string_member (bulk, "objectCount", count);
      if (op->count > 0)
        json_object_set_string_member (bulk, "url", url);
      else
        json_object_set_null_member (bulk, "url");
    }
  json_object_set_object_member (call->data, "bulkOperation", bulk);
}

static void
op_shop_info (Call *call)
{
  JsonObject *shop = json_object_new ();
  JsonObject *plan = json_object_new ();

  json_object_set_string_member (shop, "name", "Tandem Test Shop");
  json_object_set_string_member (shop, "currencyCode", "NOK");
  json_object_set_string_member (plan, "publicDisplayName",
                                 call->self->development ? "Development" : "Basic");
  json_object_set_boolean_member (plan, "partnerDevelopment", call->self->development);
  json_object_set_object_member (shop, "plan", plan);
  json_object_set_object_member (call->data, "shop", shop);
  call->actual = 2;
}

static void
op_locations (Call *call)
{
  JsonObject *conn = json_object_new ();
  JsonArray *nodes = json_array_new ();
  JsonObject *loc = json_object_new ();

  json_object_set_string_member (loc, "id", LOCATION_ID);
  json_object_set_string_member (loc, "name", "Shop location");
  json_object_set_boolean_member (loc, "shipsInventory", TRUE);
  json_array_add_object_element (nodes, loc);
  json_object_set_array_member (conn, "nodes", nodes);
  json_object_set_object_member (call->data, "locations", conn);
  call->actual = 3;
}

static void
op_destroy_events (Call *call)
{
  TdmFakeShopify *self = call->self;
  const char *query = str (call->vars, "query");
  g_autofree char *cmp = NULL;
  const char *since = string_query_value (query, "created_at", &cmp);
  g_autofree char *since_copy = g_strdup (since);
  gint64 first = CLAMP (integer (call->vars, "first", 50), 1, 250);
  gint64 start = str (call->vars, "after") ? g_ascii_strtoll (str (call->vars, "after"), NULL, 10) : 0;
  JsonArray *nodes = json_array_new ();
  JsonObject *conn = json_object_new ();
  JsonObject *info = json_object_new ();
  g_autoptr(GPtrArray) list = g_ptr_array_new ();
  guint i;

  for (i = 0; i < self->events->len; i++)
    {
      JsonObject *e = self->events->pdata[i];
      if ((query == NULL || strstr (query, "action:'destroy'") != NULL)
          && matches_updated (TDM_KIND_PRODUCT, str (e, "createdAt"), cmp, since_copy))
        g_ptr_array_add (list, e);
    }
  call->actual = 2;
  for (i = (guint) start; i < list->len && i < start + first; i++)
    {
      json_array_add_object_element (nodes, copy_obj (list->pdata[i]));
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

static gboolean
dispatch (Call *call)
{
  const char *op = call->op;
  TdmKind kind;

  if (g_str_has_suffix (op, "sChanged") && kind_from_operation (op, &kind))
    op_changed (call, kind, FALSE);
  else if (g_str_has_suffix (op, "Ids") && kind_from_operation (op, &kind))
    op_changed (call, kind, TRUE);
  else if (g_str_has_suffix (op, "sCount") && kind_from_operation (op, &kind))
    op_count (call, kind);
  else if (g_str_has_suffix (op, "Get") && kind_from_operation (op, &kind))
    op_get (call, kind, kind == TDM_KIND_CUSTOMER ? "customer" : kind == TDM_KIND_PRODUCT ? "product" : "order",
            find_by_id (call->self, kind, str (call->vars, "id")));
  else if (g_str_has_suffix (op, "ByIdentifier") && kind_from_operation (op, &kind))
    op_get (call, kind, kind == TDM_KIND_CUSTOMER ? "customerByIdentifier"
                        : kind == TDM_KIND_PRODUCT ? "productByIdentifier" : "orderByIdentifier",
            find_by_custom_id (call->self, kind, str (call->vars, "value")));
  else if (strcmp (op, "CustomerSet") == 0)
    op_customer_set (call);
  else if (strcmp (op, "CustomerEmailConsentUpdate") == 0)
    op_customer_consent (call);
  else if (strcmp (op, "CustomerDelete") == 0)
    op_customer_delete (call);
  else if (strcmp (op, "MetafieldsSet") == 0)
    op_metafields_set (call);
  else if (strcmp (op, "ProductSet") == 0)
    op_product_set (call);
  else if (strcmp (op, "ProductArchive") == 0)
    op_product_archive (call);
  else if (strcmp (op, "ProductVariants") == 0)
    op_product_variants (call);
  else if (strcmp (op, "VariantsBySku") == 0)
    op_variants_by_sku (call);
  else if (strcmp (op, "ProductDestroyEvents") == 0)
    op_destroy_events (call);
  else if (strcmp (op, "InventorySet") == 0)
    op_inventory_set (call);
  else if (strcmp (op, "Locations") == 0)
    op_locations (call);
  else if (strcmp (op, "OrderCreate") == 0)
    op_order_create (call);
  else if (strcmp (op, "OrderUpdate") == 0)
    op_order_update (call);
  else if (strcmp (op, "OrderCancel") == 0)
    op_order_cancel (call);
  else if (strcmp (op, "OrderMarkAsPaid") == 0)
    op_order_mark_paid (call);
  else if (strcmp (op, "ShopInfo") == 0)
    op_shop_info (call);
  else if (strcmp (op, "MetafieldDefinitionCreate") == 0)
    op_definition_create (call);
  else if (strcmp (op, "MetafieldDefinitions") == 0)
    op_definitions (call);
  else if (strcmp (op, "BulkRun") == 0)
    op_bulk_run (call);
  else if (strcmp (op, "BulkPoll") == 0)
    op_bulk_poll (call);
  else
    return FALSE;
  return TRUE;
}

/* ---- HTTP ------------------------------------------------------------------------------------ */

static TdmFakeShopifyRequest *
log_request (TdmFakeShopify *self,
             const char     *path,
             const char     *operation,
             const char     *query,
             const char     *variables)
{
  TdmFakeShopifyRequest *req = g_new0 (TdmFakeShopifyRequest, 1);

  req->path = g_strdup (path);
  req->operation = g_strdup (operation);
  req->query = g_strdup (query);
  req->variables = g_strdup (variables ? variables : "{}");
  req->actual_cost = -1;
  if (self->logging)
    g_ptr_array_add (self->log, req);
  return req;
}

static void
finish_log (TdmFakeShopify        *self,
            TdmFakeShopifyRequest *req,
            guint                  status,
            const char            *body)
{
  req->status = status;
  g_free (req->response);
  req->response = g_strdup (body);
  if (!self->logging)
    request_free (req);
}

static void
respond (SoupServerMessage *msg,
         guint              status,
         const char        *body)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, body, strlen (body));
}

typedef struct {
  TdmFakeShopify    *self;
  SoupServerMessage *msg;
  char              *body;
  guint              status;
  gboolean           finished;
} Delayed;

static void
on_delayed_finished (SoupServerMessage *msg,
                     gpointer           user_data)
{
  Delayed *d = user_data;
  d->finished = TRUE;
}

static gboolean
on_delay_done_cb (gpointer user_data)
{
  Delayed *d = user_data;

  if (!d->finished)
    {
      g_signal_handlers_disconnect_by_func (d->msg, on_delayed_finished, d);
      respond (d->msg, d->status, d->body);
      soup_server_message_unpause (d->msg);
    }
  else
    g_signal_handlers_disconnect_by_func (d->msg, on_delayed_finished, d);
  g_object_unref (d->msg);
  g_object_unref (d->self);
  g_free (d->body);
  g_free (d);
  return G_SOURCE_REMOVE;
}

/* Deliver `body` with the fault applied. */
static void
deliver (TdmFakeShopify      *self,
         SoupServerMessage   *msg,
         guint                status,
         const char          *body,
         TdmFakeShopifyFault  fault)
{
  switch (fault)
    {
    case TDM_FAKE_SHOPIFY_FAULT_RESET:
    case TDM_FAKE_SHOPIFY_FAULT_TRUNCATED:
      {
        GIOStream *stream = soup_server_message_steal_connection (msg);
        if (stream != NULL)
          {
            if (fault == TDM_FAKE_SHOPIFY_FAULT_TRUNCATED)
              {
                g_autofree char *head = g_strdup_printf ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                                         "Content-Length: %zu\r\nConnection: close\r\n\r\n",
                                                         strlen (body) + 100);
                GOutputStream *out = g_io_stream_get_output_stream (stream);
                g_output_stream_write_all (out, head, strlen (head), NULL, NULL, NULL);
                g_output_stream_write_all (out, body, strlen (body) / 2, NULL, NULL, NULL);
                g_output_stream_flush (out, NULL, NULL);
              }
            g_io_stream_close (stream, NULL, NULL);
            g_object_unref (stream);
          }
        return;
      }
    case TDM_FAKE_SHOPIFY_FAULT_MALFORMED:
      respond (msg, 200, "{\"data\": {\"oops\": [1, 2,, ]");
      return;
    case TDM_FAKE_SHOPIFY_FAULT_DELAY:
      {
        Delayed *d = g_new0 (Delayed, 1);
        d->msg = g_object_ref (msg);
        d->self = g_object_ref (self);
        d->body = g_strdup (body);
        d->status = status;
        g_signal_connect (msg, "finished", G_CALLBACK (on_delayed_finished), d);
        g_signal_connect (msg, "disconnected", G_CALLBACK (on_delayed_finished), d);
        soup_server_message_pause (msg);
        g_timeout_add (self->fault_delay_ms, on_delay_done_cb, d);
        return;
      }
    default:
      respond (msg, status, body);
      return;
    }
}

static char *
operation_name (const char *query,
                gboolean   *is_mutation)
{
  g_autoptr(GRegex) re = g_regex_new ("^\\s*(query|mutation)\\s+([A-Za-z_][A-Za-z0-9_]*)",
                                      G_REGEX_MULTILINE, 0, NULL);
  g_autoptr(GMatchInfo) info = NULL;
  g_autofree char *kind = NULL;

  if (query == NULL || !g_regex_match (re, query, 0, &info))
    return NULL;
  kind = g_match_info_fetch (info, 1);
  *is_mutation = g_strcmp0 (kind, "mutation") == 0;
  return g_match_info_fetch (info, 2);
}

static gboolean
token_ok (TdmFakeShopify *self,
          const char     *token)
{
  gint64 *expiry;

  if (token == NULL)
    return FALSE;
  if (self->static_token != NULL && strcmp (token, self->static_token) == 0)
    return TRUE;
  expiry = g_hash_table_lookup (self->tokens, token);
  return expiry != NULL && g_get_real_time () < *expiry;
}

static void
handle_token (TdmFakeShopify    *self,
              SoupServerMessage *msg,
              const char        *path,
              GBytes            *body,
              TdmFakeShopifyFault fault)
{
  g_autofree char *text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  g_autoptr(GHashTable) form = soup_form_decode (text);
  TdmFakeShopifyRequest *req = log_request (self, path, "access_token", NULL, "{}");
  const char *grant = g_hash_table_lookup (form, "grant_type");
  const char *id = g_hash_table_lookup (form, "client_id");
  const char *secret = g_hash_table_lookup (form, "client_secret");
  g_autofree char *response = NULL;
  guint status;

  if (fault >= TDM_FAKE_SHOPIFY_FAULT_500 && fault <= TDM_FAKE_SHOPIFY_FAULT_429)
    {
      status = fault == TDM_FAKE_SHOPIFY_FAULT_500 ? 500 : fault == TDM_FAKE_SHOPIFY_FAULT_502 ? 502
               : fault == TDM_FAKE_SHOPIFY_FAULT_503 ? 503 : 429;
      if (status == 429)
        soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After", "1");
      response = g_strdup ("{\"errors\":\"Service unavailable\"}");
      finish_log (self, req, status, response);
      respond (msg, status, response);
      return;
    }
  if (g_strcmp0 (grant, "client_credentials") != 0 || g_strcmp0 (id, self->client_id) != 0
      || g_strcmp0 (secret, self->client_secret) != 0)
    {
      status = 401;
      response = g_strdup ("{\"error\":\"invalid_client\",\"error_description\":\"Client authentication failed.\"}");
    }
  else
    {
      g_autofree char *rnd = g_uuid_string_random ();
      char *token = g_strdup_printf ("shpat_fake_%s", rnd);
      gint64 *expiry = g_new (gint64, 1);

      *expiry = g_get_real_time () + (gint64) self->token_lifetime * G_USEC_PER_SEC;
      g_hash_table_insert (self->tokens, token, expiry);
      self->tokens_issued++;
      status = 200;
      response = g_strdup_printf ("{\"access_token\":\"%s\",\"scope\":\"read_customers,write_customers,"
                                  "read_products,write_products,read_orders,write_orders,write_inventory\","
                                  "\"expires_in\":%u}", token, self->token_lifetime);
    }
  finish_log (self, req, status, status == 200 ? "{\"access_token\":\"[issued]\"}" : response);
  deliver (self, msg, status, response, fault);
}

static void
handle_bulk_download (TdmFakeShopify    *self,
                      SoupServerMessage *msg,
                      const char        *path)
{
  guint index = (guint) g_ascii_strtoull (path + strlen ("/bulk/"), NULL, 10);
  BulkOp *op = index < self->bulk_ops->len ? self->bulk_ops->pdata[index] : NULL;

  finish_log (self, log_request (self, path, NULL, NULL, "{}"), op ? 200 : 404, NULL);
  if (op == NULL)
    {
      soup_server_message_set_status (msg, 404, NULL);
      return;
    }
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/jsonl", SOUP_MEMORY_COPY,
                                    g_bytes_get_data (op->jsonl, NULL), g_bytes_get_size (op->jsonl));
}

static void
handle_graphql (TdmFakeShopify     *self,
                SoupServerMessage  *msg,
                const char         *path,
                GBytes             *body,
                TdmFakeShopifyFault fault)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root = NULL;
  const char *query = NULL;
  JsonObject *vars = NULL;
  g_autofree char *vars_json = NULL;
  g_autofree char *op = NULL;
  gboolean is_mutation = FALSE;
  TdmFakeShopifyRequest *req;
  const char *token = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                    "X-Shopify-Access-Token");
  g_autoptr(JsonObject) response = json_object_new ();
  g_autofree char *text = NULL;
  double requested;
  Call call = { 0 };
  guint status = 200;
  const char *denied_scope;

  if (json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), g_bytes_get_size (body), NULL)
      && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    root = json_node_get_object (json_parser_get_root (parser));
  query = str (root, "query");
  vars = obj (root, "variables");
  vars_json = vars ? obj_to_json (vars) : g_strdup ("{}");
  op = operation_name (query, &is_mutation);
  req = log_request (self, path, op, query, vars_json);

  if (fault >= TDM_FAKE_SHOPIFY_FAULT_500 && fault <= TDM_FAKE_SHOPIFY_FAULT_429)
    {
      status = fault == TDM_FAKE_SHOPIFY_FAULT_500 ? 500 : fault == TDM_FAKE_SHOPIFY_FAULT_502 ? 502
               : fault == TDM_FAKE_SHOPIFY_FAULT_503 ? 503 : 429;
      if (status == 429)
        soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After", "1");
      text = g_strdup (status == 429 ? "{\"errors\":\"Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service.\"}"
                                     : "{\"errors\":\"Internal Server Error\"}");
      finish_log (self, req, status, text);
      respond (msg, status, text);
      return;
    }

  if (!token_ok (self, token))
    {
      text = g_strdup ("{\"errors\":\"[API] Invalid API key or access token (unrecognized login or wrong password)\"}");
      finish_log (self, req, 401, text);
      respond (msg, 401, text);
      return;
    }

  if (root == NULL || op == NULL)
    {
      text = g_strdup ("{\"errors\":[{\"message\":\"Parse error: no named operation\","
                       "\"extensions\":{\"code\":\"BAD_REQUEST\"}}]}");
      finish_log (self, req, 400, text);
      respond (msg, 400, text);
      return;
    }

  requested = requested_cost (op, is_mutation, vars);
  req->requested_cost = requested;
  if (requested > bucket_now (self))
    {
      JsonArray *errors = json_array_new ();
      JsonObject *e = json_object_new ();
      JsonObject *ext = json_object_new ();

      json_object_set_string_member (e, "message", "Throttled");
      json_object_set_string_member (ext, "code", "THROTTLED");
      json_object_set_string_member (ext, "documentation", "https://shopify.dev/api/usage/rate-limits");
      json_object_set_object_member (e, "extensions", ext);
      json_array_add_object_element (errors, e);
      json_object_set_array_member (response, "errors", errors);
      json_object_set_object_member (response, "extensions", cost_extensions (self, requested, -1));
      self->throttled++;
      req->throttled = TRUE;
      text = obj_to_json (response);
      finish_log (self, req, self->throttle_status, text);
      respond (msg, self->throttle_status, text);
      return;
    }
  self->available -= requested;

  denied_scope = g_hash_table_lookup (self->denied, op);
  if (denied_scope != NULL && self->deny_status == 403)
    {
      self->available += requested;
      text = g_strdup_printf ("{\"errors\":\"[API] This action requires merchant approval for %s scope.\"}",
                              denied_scope);
      finish_log (self, req, 403, text);
      respond (msg, 403, text);
      return;
    }
  if (denied_scope != NULL)
    {
      JsonArray *errors = json_array_new ();
      JsonObject *e = json_object_new ();
      JsonObject *ext = json_object_new ();
      g_autofree char *message = g_strdup_printf ("Access denied for %s field. Required access: `%s` access scope.",
                                                  op, denied_scope);

      json_object_set_string_member (e, "message", message);
      json_object_set_string_member (ext, "code", "ACCESS_DENIED");
      json_object_set_string_member (ext, "requiredAccess", denied_scope);
      json_object_set_object_member (e, "extensions", ext);
      json_array_add_object_element (errors, e);
      json_object_set_null_member (response, "data");
      json_object_set_array_member (response, "errors", errors);
      call.actual = 1;
    }
  else
    {
      call.self = self;
      call.op = op;
      call.vars = vars;
      call.data = json_object_new ();
      if (!dispatch (&call))
        {
          g_autofree char *message = g_strdup_printf ("The fake Shopify does not know the operation %s.", op);
          JsonObject *e = json_object_new ();
          call.errors = json_array_new ();
          json_object_set_string_member (e, "message", message);
          json_array_add_object_element (call.errors, e);
          call.actual = 1;
        }
      if (call.errors != NULL)
        {
          json_object_unref (call.data);
          json_object_set_array_member (response, "errors", call.errors);
        }
      else
        json_object_set_object_member (response, "data", call.data);
    }
  /* Refund what was requested but not used. */
  self->available = MIN (self->bucket_size, self->available + MAX (0, requested - call.actual));
  self->requested_total += requested;
  self->actual_total += call.actual;
  req->actual_cost = call.actual;
  json_object_set_object_member (response, "extensions", cost_extensions (self, requested, call.actual));
  text = obj_to_json (response);
  finish_log (self, req, 200, text);
  deliver (self, msg, 200, text, fault);
}

static void
on_request_cb (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  TdmFakeShopify *self = user_data;
  SoupMessageBody *request_body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) body = soup_message_body_flatten (request_body);
  TdmFakeShopifyFault fault;

  self->request_total++;
  fault = GPOINTER_TO_INT (g_hash_table_lookup (self->faults, GSIZE_TO_POINTER (self->request_total)));
  g_hash_table_remove (self->faults, GSIZE_TO_POINTER (self->request_total));

  if (g_str_has_prefix (path, "/bulk/") && strcmp (soup_server_message_get_method (msg), "GET") == 0)
    handle_bulk_download (self, msg, path);
  else if (strcmp (soup_server_message_get_method (msg), "POST") != 0)
    soup_server_message_set_status (msg, 405, NULL);
  else if (strcmp (path, "/admin/oauth/access_token") == 0)
    handle_token (self, msg, path, body, fault);
  else if (g_str_has_prefix (path, "/admin/api/") && g_str_has_suffix (path, "/graphql.json"))
    handle_graphql (self, msg, path, body, fault);
  else
    respond (msg, 404, "{\"errors\":\"Not Found\"}");
}

/* ---- GObject ----------------------------------------------------------------------------------- */

static void
tdm_fake_shopify_finalize (GObject *object)
{
  TdmFakeShopify *self = TDM_FAKE_SHOPIFY (object);

  if (self->server != NULL)
    soup_server_disconnect (self->server);
  g_clear_object (&self->server);
  g_free (self->url);
  g_free (self->client_id);
  g_free (self->client_secret);
  g_free (self->static_token);
  g_hash_table_unref (self->tokens);
  g_hash_table_unref (self->denied);
  for (guint i = 0; i < TDM_N_KINDS; i++)
    g_ptr_array_unref (self->records[i]);
  g_hash_table_unref (self->faults);
  g_ptr_array_unref (self->log);
  g_hash_table_unref (self->definitions);
  g_hash_table_unref (self->idempotency);
  g_ptr_array_unref (self->bulk_ops);
  g_ptr_array_unref (self->events);

  G_OBJECT_CLASS (tdm_fake_shopify_parent_class)->finalize (object);
}

static void
tdm_fake_shopify_class_init (TdmFakeShopifyClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tdm_fake_shopify_finalize;
}

static void
tdm_fake_shopify_init (TdmFakeShopify *self)
{
  self->client_id = g_strdup ("fake-client-id");
  self->client_secret = g_strdup ("fake-client-secret");
  self->static_token = g_strdup ("shpat_fake_static_token");
  self->token_lifetime = 86399;
  self->deny_status = 200;
  self->tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->denied = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 0; i < TDM_N_KINDS; i++)
    self->records[i] = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  self->next_id = 1000;
  self->next_order_number = 1001;
  self->bucket_size = 2000;
  self->restore_rate = 100;
  self->time_scale = 1;
  self->available = self->bucket_size;
  self->bucket_at = g_get_monotonic_time ();
  self->throttle_status = 200;
  self->faults = g_hash_table_new (g_direct_hash, g_direct_equal);
  self->fault_delay_ms = 5000;
  self->log = g_ptr_array_new_with_free_func (request_free);
  self->logging = TRUE;
  self->definitions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->idempotency = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->bulk_ops = g_ptr_array_new_with_free_func (bulk_op_free);
  self->events = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  self->bulk_polls = 1;
}

/* ---- public API ---------------------------------------------------------------------------------- */

TdmFakeShopify *
tdm_fake_shopify_new (void)
{
  return g_object_new (TDM_TYPE_FAKE_SHOPIFY, NULL);
}

gboolean
tdm_fake_shopify_start (TdmFakeShopify  *self,
                        GError         **error)
{
  GSList *uris;

  g_return_val_if_fail (TDM_IS_FAKE_SHOPIFY (self), FALSE);

  self->server = soup_server_new ("server-header", "fake-shopify", NULL);
  soup_server_add_handler (self->server, NULL, on_request_cb, self, NULL);
  if (!soup_server_listen_local (self->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, error))
    return FALSE;
  uris = soup_server_get_uris (self->server);
  self->url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return TRUE;
}

const char *
tdm_fake_shopify_get_url (TdmFakeShopify *self)
{
  return self->url;
}

void
tdm_fake_shopify_set_credentials (TdmFakeShopify *self,
                                  const char     *client_id,
                                  const char     *client_secret,
                                  const char     *access_token)
{
  if (client_id != NULL)
    {
      g_free (self->client_id);
      self->client_id = g_strdup (client_id);
    }
  if (client_secret != NULL)
    {
      g_free (self->client_secret);
      self->client_secret = g_strdup (client_secret);
    }
  if (access_token != NULL)
    {
      g_free (self->static_token);
      self->static_token = g_strdup (access_token);
    }
}

void
tdm_fake_shopify_set_token_lifetime (TdmFakeShopify *self,
                                     guint           seconds)
{
  self->token_lifetime = seconds;
}

void
tdm_fake_shopify_expire_tokens (TdmFakeShopify *self)
{
  g_hash_table_remove_all (self->tokens);
}

guint
tdm_fake_shopify_get_tokens_issued (TdmFakeShopify *self)
{
  return self->tokens_issued;
}

void
tdm_fake_shopify_deny_operation (TdmFakeShopify *self,
                                 const char     *operation,
                                 const char     *scope)
{
  if (scope == NULL)
    g_hash_table_remove (self->denied, operation);
  else
    g_hash_table_replace (self->denied, g_strdup (operation), g_strdup (scope));
}

void
tdm_fake_shopify_set_development_store (TdmFakeShopify *self,
                                        gboolean        development)
{
  self->development = development;
}

void
tdm_fake_shopify_set_deny_status (TdmFakeShopify *self,
                                  guint           status)
{
  self->deny_status = status == 403 ? 403 : 200;
}

char *
tdm_fake_shopify_seed (TdmFakeShopify *self,
                       TdmKind         kind,
                       JsonObject     *node)
{
  JsonObject *stored;

  g_return_val_if_fail (TDM_IS_FAKE_SHOPIFY (self), NULL);
  stored = insert_node (self, kind, copy_obj (node));
  return g_strdup (str (stored, "id"));
}

JsonArray *
tdm_fake_shopify_get_records (TdmFakeShopify *self,
                              TdmKind         kind)
{
  JsonArray *out = json_array_new ();

  for (guint i = 0; i < self->records[kind]->len; i++)
    json_array_add_object_element (out, copy_obj (self->records[kind]->pdata[i]));
  return out;
}

JsonObject *
tdm_fake_shopify_get_record (TdmFakeShopify *self,
                             TdmKind         kind,
                             const char     *id)
{
  JsonObject *node = find_by_id (self, kind, id);

  return node ? copy_obj (node) : NULL;
}

guint
tdm_fake_shopify_count (TdmFakeShopify *self,
                        TdmKind         kind)
{
  return self->records[kind]->len;
}

gboolean
tdm_fake_shopify_edit (TdmFakeShopify *self,
                       TdmKind         kind,
                       const char     *id,
                       JsonObject     *changes,
                       const char     *updated_at)
{
  JsonObject *node = find_by_id (self, kind, id);
  GList *members;

  if (node == NULL)
    return FALSE;
  members = changes ? json_object_get_members (changes) : NULL;
  for (GList *l = members; l != NULL; l = l->next)
    json_object_set_member (node, l->data, tdm_json_node_copy_deep (json_object_get_member (changes, l->data)));
  g_list_free (members);
  if (updated_at != NULL)
    json_object_set_string_member (node, "updatedAt", updated_at);
  else
    touch (node);
  return TRUE;
}

gboolean
tdm_fake_shopify_delete (TdmFakeShopify *self,
                         TdmKind         kind,
                         const char     *id)
{
  JsonObject *node = find_by_id (self, kind, id);

  if (node == NULL)
    return FALSE;
  if (kind == TDM_KIND_PRODUCT)
    {
      JsonObject *event = json_object_new ();
      g_autofree char *gid = new_gid (self, "BasicEvent", NULL);
      g_autofree char *stamp = now_stamp ();

      json_object_set_string_member (event, "id", gid);
      json_object_set_string_member (event, "action", "destroy");
      json_object_set_string_member (event, "createdAt", stamp);
      json_object_set_string_member (event, "subjectId", id);
      json_object_set_string_member (event, "subjectType", "PRODUCT");
      g_ptr_array_add (self->events, event);
    }
  return g_ptr_array_remove (self->records[kind], node);
}

void
tdm_fake_shopify_set_bucket (TdmFakeShopify *self,
                             double          size,
                             double          restore_rate)
{
  self->bucket_size = size;
  self->restore_rate = restore_rate;
  self->available = size;
  self->bucket_at = g_get_monotonic_time ();
}

void
tdm_fake_shopify_set_available (TdmFakeShopify *self,
                                double          points)
{
  bucket_now (self);
  self->available = CLAMP (points, 0, self->bucket_size);
}

void
tdm_fake_shopify_set_time_scale (TdmFakeShopify *self,
                                 double          scale)
{
  bucket_now (self);
  self->time_scale = scale > 0 ? scale : 1;
}

void
tdm_fake_shopify_set_throttle_status (TdmFakeShopify *self,
                                      guint           status)
{
  self->throttle_status = status == 429 ? 429 : 200;
}

void
tdm_fake_shopify_set_bulk_polls (TdmFakeShopify *self,
                                 guint           polls)
{
  self->bulk_polls = MAX (polls, 1);
}

void
tdm_fake_shopify_inject_fault (TdmFakeShopify      *self,
                               guint                n,
                               TdmFakeShopifyFault  fault)
{
  g_hash_table_replace (self->faults, GSIZE_TO_POINTER (self->request_total + MAX (n, 1)),
                        GINT_TO_POINTER (fault));
}

void
tdm_fake_shopify_set_fault_delay (TdmFakeShopify *self,
                                  guint           milliseconds)
{
  self->fault_delay_ms = milliseconds;
}

GPtrArray *
tdm_fake_shopify_get_request_log (TdmFakeShopify *self)
{
  return self->log;
}

void
tdm_fake_shopify_clear_log (TdmFakeShopify *self)
{
  g_ptr_array_set_size (self->log, 0);
}

void
tdm_fake_shopify_set_logging (TdmFakeShopify *self,
                              gboolean        enabled)
{
  self->logging = enabled;
}

gboolean
tdm_fake_shopify_write_log (TdmFakeShopify  *self,
                            const char      *path,
                            GError         **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileOutputStream) out = g_file_append_to (file, G_FILE_CREATE_NONE, NULL, error);

  if (out == NULL)
    return FALSE;
  for (guint i = 0; i < self->log->len; i++)
    {
      TdmFakeShopifyRequest *req = self->log->pdata[i];
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *line = NULL;
      g_autoptr(JsonParser) vp = json_parser_new ();

      if (req->operation == NULL || req->query == NULL)
        continue;
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "operation");
      json_builder_add_string_value (b, req->operation);
      json_builder_set_member_name (b, "query");
      json_builder_add_string_value (b, req->query);
      json_builder_set_member_name (b, "variables");
      if (json_parser_load_from_data (vp, req->variables, -1, NULL))
        json_builder_add_value (b, json_node_copy (json_parser_get_root (vp)));
      else
        json_builder_add_null_value (b);
      json_builder_set_member_name (b, "status");
      json_builder_add_int_value (b, req->status);
      json_builder_set_member_name (b, "throttled");
      json_builder_add_boolean_value (b, req->throttled);
      json_builder_set_member_name (b, "response");
      if (req->response != NULL && json_parser_load_from_data (vp, req->response, -1, NULL))
        json_builder_add_value (b, json_node_copy (json_parser_get_root (vp)));
      else
        json_builder_add_null_value (b);
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      line = to_json (root);
      if (!g_output_stream_write_all (G_OUTPUT_STREAM (out), line, strlen (line), NULL, NULL, error)
          || !g_output_stream_write_all (G_OUTPUT_STREAM (out), "\n", 1, NULL, NULL, error))
        return FALSE;
    }
  return g_output_stream_close (G_OUTPUT_STREAM (out), NULL, error);
}

guint
tdm_fake_shopify_count_requests (TdmFakeShopify *self,
                                 const char     *operation)
{
  guint n = 0;

  for (guint i = 0; i < self->log->len; i++)
    if (g_strcmp0 (((TdmFakeShopifyRequest *) self->log->pdata[i])->operation, operation) == 0)
      n++;
  return n;
}

guint
tdm_fake_shopify_get_throttled_count (TdmFakeShopify *self)
{
  return self->throttled;
}

double
tdm_fake_shopify_get_requested_cost (TdmFakeShopify *self)
{
  return self->requested_total;
}

double
tdm_fake_shopify_get_actual_cost (TdmFakeShopify *self)
{
  return self->actual_total;
}

guint64
tdm_fake_shopify_get_request_total (TdmFakeShopify *self)
{
  return self->request_total;
}

void
tdm_fake_shopify_reset_counters (TdmFakeShopify *self)
{
  self->throttled = 0;
  self->requested_total = 0;
  self->actual_total = 0;
}
