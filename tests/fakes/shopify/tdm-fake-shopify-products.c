/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-fake-shopify"

#include "config.h"
#include "tdm-fake-shopify-private.h"

#include <string.h>

/* Products and their variants: productSet (an upsert that replaces the
 * variant list, at most 2,048 variants), a product's variants paged like
 * Shopify's (the first $variantsFirst in the read, the rest through the
 * ProductVariants query), archiving, and variants found by SKU
 * (docs/shopify.md, Pagination and Upserts by custom id). */

/* ---- Stored shape ---- */

/* Fills what Shopify would answer for a variant: an id, null members, the
 * default option and an inventory item. */
static void
ensure_variant (TdmFakeShopify *self,
                JsonObject     *v)
{
  static const char * const keys[] = { "sku", "compareAtPrice", "barcode", NULL };

  g_assert (v != NULL);

  if (get_str (v, "id") == NULL)
    {
      g_autofree char *id = _tdm_fake_shopify_new_gid (self, "ProductVariant", NULL);
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
  if (get_obj (v, "inventoryItem") == NULL)
    {
      JsonObject *item = json_object_new ();
      JsonObject *measurement = json_object_new ();
      g_autofree char *id = _tdm_fake_shopify_new_gid (self, "InventoryItem", NULL);

      json_object_set_string_member (item, "id", id);
      json_object_set_null_member (measurement, "weight");
      json_object_set_object_member (item, "measurement", measurement);
      json_object_set_object_member (v, "inventoryItem", item);
    }
  else if (get_str (get_obj (v, "inventoryItem"), "id") == NULL)
    {
      g_autofree char *id = _tdm_fake_shopify_new_gid (self, "InventoryItem", NULL);
      json_object_set_string_member (get_obj (v, "inventoryItem"), "id", id);
    }
  if (!json_object_has_member (v, "priceExclVat"))
    json_object_set_null_member (v, "priceExclVat");
}

void
_tdm_fake_shopify_complete_product (TdmFakeShopify *self,
                                    JsonObject     *node)
{
  static const char * const empty[] = { "descriptionHtml", "vendor", "productType", NULL };
  JsonArray *variants;

  g_assert (node != NULL);

  if (!json_object_has_member (node, "title"))
    json_object_set_string_member (node, "title", "");
  if (!json_object_has_member (node, "handle"))
    {
      g_autofree char *lower = g_ascii_strdown (get_str (node, "title"), -1);
      g_strdelimit (lower, " /?&#%\"'", '-');
      json_object_set_string_member (node, "handle", *lower ? lower : "product");
    }
  for (guint i = 0; empty[i] != NULL; i++)
    if (!json_object_has_member (node, empty[i]))
      json_object_set_string_member (node, empty[i], "");
  if (!json_object_has_member (node, "status"))
    json_object_set_string_member (node, "status", "ACTIVE");
  if (get_obj (node, "variants") == NULL)
    json_object_set_object_member (node, "variants", _tdm_fake_shopify_connection (NULL));
  variants = get_arr (get_obj (node, "variants"), "nodes");
  if (json_array_get_length (variants) == 0)
    json_array_add_object_element (variants, json_object_new ());
  for (guint i = 0; i < json_array_get_length (variants); i++)
    ensure_variant (self, json_array_get_object_element (variants, i));
}

/* ---- Variants paging ---- */

/* The cursor of a variant: its GID, base64 (opaque to clients, like Shopify's). */
static char *
variant_cursor (JsonObject *variant)
{
  const char *id = get_str (variant, "id");

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
    if (g_strcmp0 (get_str (json_array_get_object_element (variants, i), "id"), id) == 0)
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

  g_assert (first > 0);

  for (i = start; i < length && i < start + first; i++)
    {
      JsonObject *v = json_array_get_object_element (variants, i);

      json_array_add_object_element (nodes, _tdm_fake_shopify_copy_obj (v));
    }
  json_object_set_boolean_member (info, "hasNextPage", i < length);
  if (i > start)
    {
      g_autofree char *cursor = variant_cursor (json_array_get_object_element (variants, i - 1));
      json_object_set_string_member (info, "endCursor", cursor);
    }
  else
    json_object_set_null_member (info, "endCursor");
  conn = _tdm_fake_shopify_connection (nodes);
  json_object_set_object_member (conn, "pageInfo", info);
  return conn;
}

/* A product as the fragment reads it: the first $variantsFirst variants
 * (Shopify's cap: 250), with the connection's pageInfo. */
static JsonObject *
product_view (JsonObject *node,
              JsonObject *vars)
{
  JsonObject *view = _tdm_fake_shopify_copy_obj (node);
  gint64 first = CLAMP (get_int (vars, "variantsFirst", 50), 1, 250);

  json_object_set_object_member (view, "variants",
                                 variants_page (get_arr (get_obj (node, "variants"), "nodes"), 0,
                                                (guint) first));
  return view;
}

/* A customer as its document reads it: the first $addressesFirst addresses
 * (20 in the read shape; listing pages ask for fewer), with the
 * connection's pageInfo when the document asks for a number. */
static JsonObject *
customer_view (JsonObject *node,
               JsonObject *vars)
{
  JsonObject *view = _tdm_fake_shopify_copy_obj (node);
  JsonArray *all = get_arr (get_obj (node, "addressesV2"), "nodes");
  guint length = all != NULL ? json_array_get_length (all) : 0;
  gint64 first;
  JsonArray *nodes;
  JsonObject *conn;
  JsonObject *info;

  if (!json_object_has_member (vars, "addressesFirst"))
    return view;
  first = CLAMP (get_int (vars, "addressesFirst", 20), 0, 250);
  nodes = json_array_new ();
  for (guint i = 0; i < length && i < (guint) first; i++)
    json_array_add_object_element (nodes, _tdm_fake_shopify_copy_obj (
                                     json_array_get_object_element (all, i)));
  conn = _tdm_fake_shopify_connection (nodes);
  info = json_object_new ();
  json_object_set_boolean_member (info, "hasNextPage", length > (guint) first);
  json_object_set_object_member (conn, "pageInfo", info);
  json_object_set_object_member (view, "addressesV2", conn);
  return view;
}

/* An order as its document reads it: the first $linesFirst line items (50
 * in the read shape; listing pages ask for fewer), with the connection's
 * pageInfo when the document asks for a number. */
static JsonObject *
order_view (JsonObject *node,
            JsonObject *vars)
{
  JsonObject *view = _tdm_fake_shopify_copy_obj (node);
  JsonArray *all = get_arr (get_obj (node, "lineItems"), "nodes");
  guint length = all != NULL ? json_array_get_length (all) : 0;
  gint64 first;
  JsonArray *nodes;
  JsonObject *conn;
  JsonObject *info;

  if (!json_object_has_member (vars, "linesFirst"))
    return view;
  first = CLAMP (get_int (vars, "linesFirst", 50), 0, 250);
  nodes = json_array_new ();
  for (guint i = 0; i < length && i < (guint) first; i++)
    json_array_add_object_element (nodes, _tdm_fake_shopify_copy_obj (
                                     json_array_get_object_element (all, i)));
  conn = _tdm_fake_shopify_connection (nodes);
  info = json_object_new ();
  json_object_set_boolean_member (info, "hasNextPage", length > (guint) first);
  json_object_set_object_member (conn, "pageInfo", info);
  json_object_set_object_member (view, "lineItems", conn);
  return view;
}

JsonObject *
_tdm_fake_shopify_node_view (TdmKind     kind,
                             JsonObject *node,
                             JsonObject *vars)
{
  g_assert (kind < TDM_N_KINDS);
  g_assert (node != NULL);

  if (kind == TDM_KIND_PRODUCT)
    return product_view (node, vars);
  if (kind == TDM_KIND_CUSTOMER)
    return customer_view (node, vars);
  return order_view (node, vars);
}

/* query ProductVariants($id, $first, $after): one page of a product's variants. */
void
_tdm_fake_shopify_op_product_variants (FakeCall *call)
{
  JsonObject *node;
  JsonArray *variants;
  gint64 first = CLAMP (get_int (call->vars, "first", 1), 1, 250);
  JsonObject *product;
  JsonObject *conn;
  gint start;

  g_assert (fake_call_is_ready (call));

  node = _tdm_fake_shopify_find_by_id (call->self, TDM_KIND_PRODUCT, get_str (call->vars, "id"));
  if (node == NULL)
    {
      json_object_set_null_member (call->data, "product");
      call->actual = 1;
      return;
    }
  variants = get_arr (get_obj (node, "variants"), "nodes");
  start = variants_start (variants, get_str (call->vars, "after"));
  if (start < 0)
    {
      _tdm_fake_shopify_fail_call (call, "Invalid cursor for current pagination sort.",
                                   "BAD_REQUEST");
      call->actual = 1;
      return;
    }
  conn = variants_page (variants, (guint) start, (guint) first);
  call->actual = 1 + 2 + json_array_get_length (get_arr (conn, "nodes")) * 5;
  product = json_object_new ();
  json_object_set_object_member (product, "variants", conn);
  json_object_set_object_member (call->data, "product", product);
}

/* ---- productSet ---- */

/* Whether a variant's selectedOptions are the input's optionValues. */
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
          if (g_strcmp0 (get_str (s, "name"), get_str (w, "optionName")) == 0
              && g_strcmp0 (get_str (s, "value"), get_str (w, "name")) == 0)
            found = TRUE;
        }
      if (!found)
        return FALSE;
    }
  return TRUE;
}

/* The userError of a productSet for `node` (NULL: a new product), or NULL
 * when the input may be saved. */
static JsonObject *
check_product_input (TdmFakeShopify *self,
                     JsonObject     *input,
                     JsonObject     *node,
                     gboolean        not_found,
                     const char     *webshop_id)
{
  const char *title = get_str (input, "title");
  JsonArray *variants_in = get_arr (input, "variants");
  JsonObject *taken = _tdm_fake_shopify_find_by_custom_id (self, TDM_KIND_PRODUCT, webshop_id);

  if (not_found)
    return _tdm_fake_shopify_user_error ("Product does not exist", "PRODUCT_DOES_NOT_EXIST",
                                         "identifier", "id", NULL);
  if ((node == NULL && _tdm_fake_shopify_blank (title))
      || (json_object_has_member (input, "title") && _tdm_fake_shopify_blank (title)))
    return _tdm_fake_shopify_user_error ("Title can't be blank", "INVALID_PRODUCT",
                                         "input", "title", NULL);
  if (variants_in != NULL && json_array_get_length (variants_in) > 2048)
    return _tdm_fake_shopify_user_error ("Product can't have more than 2048 variants",
                                         "VARIANTS_OVER_LIMIT", "input", "variants", NULL);
  if (taken != NULL && taken != node)
    return _tdm_fake_shopify_user_error ("Value has already been taken",
                                         "DUPLICATED_METAFIELD_VALUE",
                                         "input", "metafields", "0", "value", NULL);
  for (guint i = 0; variants_in != NULL && i < json_array_get_length (variants_in); i++)
    {
      JsonArray *option_values = get_arr (json_array_get_object_element (variants_in, i),
                                          "optionValues");

      if (option_values == NULL || json_array_get_length (option_values) == 0)
        {
          g_autofree char *index = g_strdup_printf ("%u", i);
          return _tdm_fake_shopify_user_error ("Option values can't be blank", "INVALID_VARIANT",
                                               "input", "variants", index, "optionValues", NULL);
        }
    }
  return NULL;
}

/* The product members a ProductSetInput sets. Like Shopify, every member
 * sent is kept under its own name (title, handle, status, tags, …), but the
 * variants, options and metafields, which have their own steps. */
static void
apply_product_fields (JsonObject *node,
                      JsonObject *input,
                      const char *webshop_id)
{
  static const char * const own[] = { "variants", "productOptions", "metafields", "handle", "id",
                                      NULL };
  g_autoptr(GList) members = json_object_get_members (input);

  g_assert (node != NULL);

  for (GList *l = members; l != NULL; l = l->next)
    if (!g_strv_contains (own, l->data))
      _tdm_fake_shopify_set_member_copy (node, l->data, input, l->data);
  if (get_str (input, "handle") != NULL)
    json_object_set_string_member (node, "handle", get_str (input, "handle"));
  if (webshop_id != NULL)
    _tdm_fake_shopify_set_webshop_id (node, webshop_id);
}

/* A stored variant from a ProductVariantSetInput: the old variant with the
 * same id or options (kept, with its inventory item), updated. */
static JsonObject *
variant_from_input (TdmFakeShopify *self,
                    JsonArray      *old,
                    JsonObject     *in)
{
  JsonObject *v = NULL;
  JsonObject *measurement = get_obj (get_obj (in, "inventoryItem"), "measurement");
  const char *price_excl = _tdm_fake_shopify_metafield_value (get_arr (in, "metafields"),
                                                              "price_excl_vat");
  JsonArray *selected = json_array_new ();
  JsonArray *ov = get_arr (in, "optionValues");
  static const char * const own[] = { "id", "optionValues", "inventoryItem", "metafields",
                                      "inventoryQuantities", NULL };
  g_autoptr(GList) members = NULL;

  g_assert (in != NULL);

  members = json_object_get_members (in);

  for (guint j = 0; old != NULL && j < json_array_get_length (old) && v == NULL; j++)
    {
      JsonObject *o = json_array_get_object_element (old, j);
      if ((get_str (in, "id") != NULL && g_strcmp0 (get_str (in, "id"), get_str (o, "id")) == 0)
          || selected_equal (get_arr (o, "selectedOptions"), ov))
        v = _tdm_fake_shopify_copy_obj (o);
    }
  if (v == NULL)
    v = json_object_new ();
  /* Every member sent is kept (sku, prices, barcode, …), but those with
   * steps of their own. */
  for (GList *l = members; l != NULL; l = l->next)
    if (!g_strv_contains (own, l->data))
      _tdm_fake_shopify_set_member_copy (v, l->data, in, l->data);
  for (guint j = 0; ov != NULL && j < json_array_get_length (ov); j++)
    {
      JsonObject *o = json_array_get_object_element (ov, j);
      JsonObject *s = json_object_new ();
      json_object_set_string_member (s, "name", get_str (o, "optionName"));
      json_object_set_string_member (s, "value", get_str (o, "name"));
      json_array_add_object_element (selected, s);
    }
  json_object_set_array_member (v, "selectedOptions", selected);
  ensure_variant (self, v);
  if (measurement != NULL && get_obj (measurement, "weight") != NULL)
    json_object_set_object_member (get_obj (get_obj (v, "inventoryItem"), "measurement"), "weight",
                                   _tdm_fake_shopify_copy_obj (get_obj (measurement, "weight")));
  if (json_object_has_member (in, "metafields"))
    {
      /* a list that replaces the variant's whole list */
      _tdm_fake_shopify_keep_metafields (self, get_str (v, "id"), get_arr (in, "metafields"));
      if (price_excl == NULL)
        json_object_remove_member (v, "priceExclVat");
    }
  if (price_excl != NULL)
    {
      JsonObject *mf = json_object_new ();
      json_object_set_string_member (mf, "value", price_excl);
      json_object_set_object_member (v, "priceExclVat", mf);
    }
  return v;
}

/* Replaces the product's variants with those of the input. */
static void
apply_variants (TdmFakeShopify *self,
                JsonObject     *node,
                JsonArray      *variants_in)
{
  JsonArray *old = get_arr (get_obj (node, "variants"), "nodes");
  JsonArray *out = json_array_new ();

  g_assert (variants_in != NULL);

  for (guint i = 0; i < json_array_get_length (variants_in); i++)
    {
      JsonObject *in = json_array_get_object_element (variants_in, i);

      json_array_add_object_element (out, variant_from_input (self, old, in));
    }
  json_object_set_object_member (node, "variants", _tdm_fake_shopify_connection (out));
}

/* mutation ProductSet($identifier, $input) */
void
_tdm_fake_shopify_op_product_set (FakeCall *call)
{
  TdmFakeShopify *self = call->self;
  JsonObject *input = get_obj (call->vars, "input");
  JsonObject *identifier = get_obj (call->vars, "identifier");
  JsonArray *errors = json_array_new ();
  gboolean not_found;
  JsonObject *node;
  JsonObject *problem;
  const char *webshop_id = _tdm_fake_shopify_metafield_value (get_arr (input, "metafields"),
                                                              "webshop_id");
  JsonArray *variants_in = get_arr (input, "variants");
  g_autoptr(JsonObject) view = NULL;

  g_assert (fake_call_is_ready (call));

  node = _tdm_fake_shopify_identify (self, TDM_KIND_PRODUCT, identifier, &not_found);
  call->actual = 10 + 0.2 * (variants_in ? json_array_get_length (variants_in) : 0);
  if (webshop_id == NULL && get_obj (identifier, "customId") != NULL)
    webshop_id = get_str (get_obj (identifier, "customId"), "value");

  problem = check_product_input (self, input, node, not_found, webshop_id);
  if (problem != NULL)
    {
      json_array_add_object_element (errors, problem);
      _tdm_fake_shopify_set_payload (call, "productSet", "product", NULL, errors);
      return;
    }

  if (node != NULL && json_object_has_member (input, "metafields"))
    {
      _tdm_fake_shopify_keep_metafields (self, get_str (node, "id"), get_arr (input, "metafields"));
      if (!_tdm_fake_shopify_metafield_listed (get_arr (input, "metafields"),
                                               APP_NAMESPACE_RESOLVED ".webshop_id"))
        _tdm_fake_shopify_set_webshop_id (node, NULL);
    }
  if (node == NULL)
    {
      JsonObject *fresh = json_object_new ();
      json_object_set_string_member (fresh, "title", get_str (input, "title"));
      json_object_set_object_member (fresh, "variants", _tdm_fake_shopify_connection (NULL));
      node = _tdm_fake_shopify_insert_node (self, TDM_KIND_PRODUCT, fresh);
      json_array_remove_element (get_arr (get_obj (node, "variants"), "nodes"), 0);
    }
  apply_product_fields (node, input, webshop_id);
  if (variants_in != NULL)
    apply_variants (self, node, variants_in);
  _tdm_fake_shopify_touch (node);
  view = product_view (node, call->vars);
  _tdm_fake_shopify_set_payload (call, "productSet", "product", view, errors);
}

/* ---- Archive ---- */

/* mutation ProductArchive($id): productUpdate to status ARCHIVED. */
void
_tdm_fake_shopify_op_product_archive (FakeCall *call)
{
  JsonObject *node;
  JsonObject *p = json_object_new ();
  JsonArray *errors = json_array_new ();

  g_assert (fake_call_is_ready (call));

  node = _tdm_fake_shopify_find_by_id (call->self, TDM_KIND_PRODUCT, get_str (call->vars, "id"));
  call->actual = 10;
  if (node == NULL)
    {
      _tdm_fake_shopify_add_user_error (errors, "Product does not exist", NULL, "id", NULL);
      json_object_set_null_member (p, "product");
    }
  else
    {
      JsonObject *small = json_object_new ();
      json_object_set_string_member (node, "status", "ARCHIVED");
      _tdm_fake_shopify_touch (node);
      json_object_set_string_member (small, "id", get_str (node, "id"));
      json_object_set_string_member (small, "status", "ARCHIVED");
      json_object_set_string_member (small, "updatedAt", get_str (node, "updatedAt"));
      json_object_set_object_member (p, "product", small);
    }
  json_object_set_array_member (p, "userErrors", errors);
  json_object_set_object_member (call->data, "productUpdate", p);
}

/* ---- Variants by SKU ---- */

JsonObject *
_tdm_fake_shopify_variant_by (TdmFakeShopify *self,
                              const char     *member,
                              const char     *value,
                              JsonObject    **out_product)
{
  FakeIndex which;
  GPtrArray *products;

  g_assert (TDM_IS_FAKE_SHOPIFY (self));
  g_assert (member != NULL);

  which = strcmp (member, "inventoryItem") == 0 ? FAKE_INDEX_INVENTORY_ITEM
          : strcmp (member, "sku") == 0 ? FAKE_INDEX_SKU : FAKE_INDEX_VARIANT_ID;
  g_assert (which != FAKE_INDEX_VARIANT_ID || strcmp (member, "id") == 0);
  products = _tdm_fake_shopify_index_lookup (self, which, value);
  for (guint i = 0; products != NULL && i < products->len; i++)
    {
      JsonObject *p = products->pdata[i];
      JsonArray *vs = get_arr (get_obj (p, "variants"), "nodes");
      for (guint j = 0; vs != NULL && j < json_array_get_length (vs); j++)
        {
          JsonObject *v = json_array_get_object_element (vs, j);
          const char *have = strcmp (member, "inventoryItem") == 0
                             ? get_str (get_obj (v, "inventoryItem"), "id") : get_str (v, member);
          if (g_strcmp0 (have, value) == 0)
            {
              _tdm_fake_shopify_index_mark (self, TDM_KIND_PRODUCT, p);
              if (out_product != NULL)
                *out_product = p;
              return v;
            }
        }
    }
  return NULL;
}

/* The SKU of a search query sku:<value> or sku:"<quoted, \-escaped>";
 * NULL for any other query. */
static char *
parse_sku_query (const char *query)
{
  GString *s;
  const char *p;
  gboolean quoted;

  if (query == NULL || !g_str_has_prefix (query, "sku:"))
    return NULL;
  s = g_string_new (NULL);
  p = query + 4;
  quoted = *p == '"';
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
  return g_string_free (s, FALSE);
}

/* query VariantsBySku($query): at most two variants with that SKU. */
void
_tdm_fake_shopify_op_variants_by_sku (FakeCall *call)
{
  TdmFakeShopify *self = call->self;
  g_autofree char *sku = NULL;
  JsonArray *nodes = json_array_new ();
  JsonObject *conn = json_object_new ();
  GPtrArray *products;

  g_assert (fake_call_is_ready (call));

  sku = parse_sku_query (get_str (call->vars, "query"));
  call->actual = 2;
  products = _tdm_fake_shopify_index_lookup (self, FAKE_INDEX_SKU, sku);
  for (guint i = 0; products != NULL && i < products->len; i++)
    {
      JsonObject *product = products->pdata[i];
      JsonArray *vs = get_arr (get_obj (product, "variants"), "nodes");

      for (guint j = 0; vs != NULL && j < json_array_get_length (vs); j++)
        {
          JsonObject *v = json_array_get_object_element (vs, j);
          if (g_strcmp0 (get_str (v, "sku"), sku) == 0 && json_array_get_length (nodes) < 2)
            {
              JsonObject *o = json_object_new ();
              json_object_set_string_member (o, "id", get_str (v, "id"));
              json_object_set_string_member (o, "sku", sku);
              json_array_add_object_element (nodes, o);
              call->actual += 1;
            }
        }
    }
  json_object_set_array_member (conn, "nodes", nodes);
  json_object_set_object_member (call->data, "productVariants", conn);
}
