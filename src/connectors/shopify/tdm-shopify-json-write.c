/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-shopify-json"

#include "config.h"

#include "tdm-shopify-json-private.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "tdm-shopify-schema.h"

/* Write shapes → mutation inputs: the canonical fields unmapped to
 * Shopify's write shape become customerSet, productSet, orderCreate and
 * orderUpdate inputs (docs/shopify.md § Upserts by custom id, § Orders).
 * The customer's and product's members are those the Shopify property
 * schema writes (tdm-shopify-schema.c), each carried as it says. Pure: no
 * I/O. */

/* ---- Members ---- */

/* Copies member `from` of `src` into `dst` as `to` when present and not null. */
static void
copy_member (JsonObject *dst,
             const char *to,
             JsonObject *src,
             const char *from)
{
  JsonNode *node;

  g_assert (dst != NULL);
  g_assert (to != NULL && from != NULL);

  if (src == NULL || !json_object_has_member (src, from))
    return;
  node = json_object_get_member (src, from);
  if (JSON_NODE_HOLDS_NULL (node))
    return;
  json_object_set_member (dst, to, json_node_copy (node));
}

/* A scalar member as a string (numbers are printed without loss). */
static char *
member_to_string (JsonObject *object,
                  const char *member)
{
  JsonNode *node;

  if (object == NULL || !json_object_has_member (object, member))
    return NULL;
  node = json_object_get_member (object, member);
  if (!JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return g_strdup (json_node_get_string (node));
    case G_TYPE_INT64:
      return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
    case G_TYPE_DOUBLE:
      {
        char buf[G_ASCII_DTOSTR_BUF_SIZE];
        return g_strdup (g_ascii_dtostr (buf, sizeof buf, json_node_get_double (node)));
      }
    case G_TYPE_BOOLEAN:
      return g_strdup (json_node_get_boolean (node) ? "true" : "false");
    default:
      return NULL;
    }
}

static gboolean
member_to_int (JsonObject *object,
               const char *member,
               gint64     *out)
{
  g_autofree char *str = member_to_string (object, member);
  char *end = NULL;
  gint64 value;

  g_assert (out != NULL);

  if (str == NULL || *str == '\0')
    return FALSE;
  value = g_ascii_strtoll (str, &end, 10);
  if (end == NULL || (*end != '\0' && *end != '.'))
    return FALSE;
  *out = value;
  return TRUE;
}

static JsonArray *
string_array_copy (JsonArray *array)
{
  JsonArray *out = json_array_new ();

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        json_array_add_string_element (out, json_node_get_string (node));
    }
  return out;
}

/* ---- Members the schema carries ---- */

/* Sets in `input` the members of `write` that the Shopify schema's write
 * table of `kind` carries as members of their own name: the entries right
 * under `prefix` ("" for the record, "addresses[]." for one of its
 * addresses). Lists and everything else a step of the kind's write carries
 * (TDM_SHOPIFY_INPUT_STEP) are left to that step. */
static void
set_schema_members (JsonObject *input,
                    JsonObject *write,
                    TdmKind     kind,
                    const char *prefix)
{
  const TdmPropertySpec *table = tdm_shopify_property_schema ()->write[kind];
  gsize prefix_len = strlen (prefix);

  g_assert (input != NULL);
  g_assert (kind < TDM_N_KINDS);

  for (guint i = 0; write != NULL && table[i].path != NULL; i++)
    {
      const char *name = table[i].path + prefix_len;
      const char *value;

      if (table[i].status != TDM_PROPERTY_SYNCED || !g_str_has_prefix (table[i].path, prefix) ||
          strchr (name, '.') != NULL || strstr (name, "[]") != NULL)
        continue;
      switch ((TdmShopifyInput) table[i].side_data)
        {
        case TDM_SHOPIFY_INPUT_COPY:
          copy_member (input, name, write, name);
          break;
        case TDM_SHOPIFY_INPUT_STRINGS:
          if (json_object_has_member (write, name))
            json_object_set_array_member (input, name,
                                          string_array_copy (_tdm_shopify_array (write, name)));
          break;
        case TDM_SHOPIFY_INPUT_UPPER:
          value = _tdm_shopify_string (write, name);
          if (value != NULL && *value != '\0')
            {
              g_autofree char *upper = g_ascii_strup (value, -1);

              json_object_set_string_member (input, name, upper);
            }
          break;
        case TDM_SHOPIFY_INPUT_STEP:
        case TDM_SHOPIFY_INPUT_NONE:
        default:
          break;
        }
    }
}

/* ---- Addresses and metafields ---- */

JsonObject *
tdm_shopify_address_input (JsonObject *address)
{
  static const char * const keys[] = {
    "firstName", "lastName", "company", "address1", "address2", "city",
    "provinceCode", "zip", "phone", NULL
  };
  JsonObject *out = json_object_new ();

  for (guint i = 0; keys[i] != NULL; i++)
    copy_member (out, keys[i], address, keys[i]);
  copy_member (out, "countryCode", address, "countryCodeV2");
  copy_member (out, "countryCode", address, "countryCode");
  return out;
}

JsonObject *
tdm_shopify_webshop_id_metafield (const char *owner_id,
                                  const char *twin_id)
{
  JsonObject *mf = json_object_new ();

  if (owner_id != NULL)
    json_object_set_string_member (mf, "ownerId", owner_id);
  json_object_set_string_member (mf, "namespace", TDM_SHOPIFY_APP_NAMESPACE);
  json_object_set_string_member (mf, "key", TDM_SHOPIFY_WEBSHOP_ID_KEY);
  json_object_set_string_member (mf, "type", "id");
  json_object_set_string_member (mf, "value", twin_id);
  return mf;
}

/* ---- Customers ---- */

/* One address of a customer's write shape, as the schema carries it. */
static JsonObject *
customer_address_input (JsonObject *address)
{
  JsonObject *out = json_object_new ();

  set_schema_members (out, address, TDM_KIND_CUSTOMER, "addresses[].");
  return out;
}

JsonObject *
tdm_shopify_customer_set_input (JsonObject  *write,
                                char       **out_marketing_state)
{
  JsonObject *input = json_object_new ();
  JsonArray *addresses;

  set_schema_members (input, write, TDM_KIND_CUSTOMER, "");

  addresses = _tdm_shopify_array (write, "addresses");
  if (addresses != NULL)
    {
      JsonArray *out = json_array_new ();
      for (guint i = 0; i < json_array_get_length (addresses); i++)
        {
          JsonNode *node = json_array_get_element (addresses, i);
          if (JSON_NODE_HOLDS_OBJECT (node))
            json_array_add_object_element (out,
                                           customer_address_input (json_node_get_object (node)));
        }
      json_object_set_array_member (input, "addresses", out);
    }

  if (out_marketing_state != NULL)
    {
      const char *state = _tdm_shopify_string (write, "emailMarketingState");
      *out_marketing_state = state && *state ? g_ascii_strup (state, -1) : NULL;
    }
  return input;
}

const char *
tdm_shopify_consent_change (const char *desired,
                            const char *current)
{
  if (desired == NULL)
    return NULL;
  if (g_ascii_strcasecmp (desired, "NOT_SUBSCRIBED") == 0)
    {
      if (current == NULL || g_ascii_strcasecmp (current, "NOT_SUBSCRIBED") == 0
          || g_ascii_strcasecmp (current, "UNSUBSCRIBED") == 0)
        return NULL;
      return "UNSUBSCRIBED";
    }
  if (current != NULL && g_ascii_strcasecmp (desired, current) == 0)
    return NULL;
  /* Both read back as "not subscribed". */
  if (current != NULL && g_ascii_strcasecmp (desired, "UNSUBSCRIBED") == 0
      && g_ascii_strcasecmp (current, "NOT_SUBSCRIBED") == 0)
    return NULL;
  if (g_ascii_strcasecmp (desired, "SUBSCRIBED") == 0)
    return "SUBSCRIBED";
  if (g_ascii_strcasecmp (desired, "UNSUBSCRIBED") == 0)
    return "UNSUBSCRIBED";
  if (g_ascii_strcasecmp (desired, "PENDING") == 0)
    return "PENDING";
  return NULL;
}

/* ---- Products ---- */

static const char *
weight_unit (const char *unit)
{
  if (unit == NULL)
    return NULL;
  if (g_ascii_strcasecmp (unit, "kg") == 0 || g_ascii_strcasecmp (unit, "KILOGRAMS") == 0)
    return "KILOGRAMS";
  if (g_ascii_strcasecmp (unit, "g") == 0 || g_ascii_strcasecmp (unit, "GRAMS") == 0)
    return "GRAMS";
  if (g_ascii_strcasecmp (unit, "lb") == 0 || g_ascii_strcasecmp (unit, "POUNDS") == 0)
    return "POUNDS";
  if (g_ascii_strcasecmp (unit, "oz") == 0 || g_ascii_strcasecmp (unit, "OUNCES") == 0)
    return "OUNCES";
  return NULL;
}

/* Option names in first-seen order, each with its values in order. */
typedef struct {
  GPtrArray  *names;    /* char* */
  GHashTable *values;   /* name → GPtrArray of char* */
} ProductOptions;

static void
product_options_clear (ProductOptions *options)
{
  g_clear_pointer (&options->names, g_ptr_array_unref);
  g_clear_pointer (&options->values, g_hash_table_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ProductOptions, product_options_clear)

/* Gathers the options of every variant; TRUE when any variant has one. */
static gboolean
collect_product_options (JsonArray      *variants,
                         ProductOptions *options)
{
  gboolean any_options = FALSE;

  g_assert (variants != NULL);
  g_assert (options->names != NULL && options->values != NULL);

  for (guint i = 0; i < json_array_get_length (variants); i++)
    {
      JsonObject *v = _tdm_shopify_element (variants, i);
      JsonArray *opts = _tdm_shopify_array (v, "options");

      for (guint j = 0; opts != NULL && j < json_array_get_length (opts); j++)
        {
          JsonObject *o = _tdm_shopify_element (opts, j);
          const char *name = _tdm_shopify_string (o, "name");
          const char *value = _tdm_shopify_string (o, "value");
          GPtrArray *list;
          gboolean seen = FALSE;

          if (name == NULL || value == NULL)
            continue;
          list = g_hash_table_lookup (options->values, name);
          if (list == NULL)
            {
              list = g_ptr_array_new_with_free_func (g_free);
              g_hash_table_insert (options->values, g_strdup (name), list);
              g_ptr_array_add (options->names, g_strdup (name));
            }
          for (guint k = 0; k < list->len; k++)
            if (g_strcmp0 (list->pdata[k], value) == 0)
              seen = TRUE;
          if (!seen)
            g_ptr_array_add (list, g_strdup (value));
          any_options = TRUE;
        }
    }
  return any_options;
}

/* productOptions: [{name, position, values: [{name}]}]. */
static JsonArray *
product_options_input (ProductOptions *options)
{
  JsonArray *out = json_array_new ();

  for (guint i = 0; i < options->names->len; i++)
    {
      JsonObject *opt = json_object_new ();
      JsonArray *vals = json_array_new ();
      GPtrArray *list = g_hash_table_lookup (options->values, options->names->pdata[i]);

      g_assert (list != NULL);

      json_object_set_string_member (opt, "name", options->names->pdata[i]);
      json_object_set_int_member (opt, "position", i + 1);
      for (guint k = 0; k < list->len; k++)
        {
          JsonObject *val = json_object_new ();

          json_object_set_string_member (val, "name", list->pdata[k]);
          json_array_add_object_element (vals, val);
        }
      json_object_set_array_member (opt, "values", vals);
      json_array_add_object_element (out, opt);
    }
  return out;
}

/* A variant's optionValues: its options, or Shopify's "Title" / "Default
 * Title" when the product has none. */
static JsonArray *
variant_option_values (JsonArray *opts,
                       gboolean   any_options)
{
  JsonArray *option_values = json_array_new ();

  if (!any_options)
    {
      JsonObject *ov = json_object_new ();

      json_object_set_string_member (ov, "optionName", "Title");
      json_object_set_string_member (ov, "name", "Default Title");
      json_array_add_object_element (option_values, ov);
      return option_values;
    }
  for (guint j = 0; opts != NULL && j < json_array_get_length (opts); j++)
    {
      JsonObject *o = _tdm_shopify_element (opts, j);
      JsonObject *ov = json_object_new ();

      copy_member (ov, "optionName", o, "name");
      copy_member (ov, "name", o, "value");
      json_array_add_object_element (option_values, ov);
    }
  return option_values;
}

/* inventoryItem.measurement.weight of a variant with a known unit. */
static void
set_variant_weight (JsonObject *out,
                    JsonObject *weight)
{
  g_autofree char *value = NULL;
  JsonObject *item;
  JsonObject *measurement;
  JsonObject *w;

  g_assert (out != NULL);

  if (weight == NULL || weight_unit (_tdm_shopify_string (weight, "unit")) == NULL)
    return;
  value = member_to_string (weight, "value");
  if (value == NULL)
    return;
  item = json_object_new ();
  measurement = json_object_new ();
  w = json_object_new ();
  json_object_set_double_member (w, "value", g_ascii_strtod (value, NULL));
  json_object_set_string_member (w, "unit", weight_unit (_tdm_shopify_string (weight, "unit")));
  json_object_set_object_member (measurement, "weight", w);
  json_object_set_object_member (item, "measurement", measurement);
  json_object_set_object_member (out, "inventoryItem", item);
}

/* One ProductVariantSetInput; a wanted stock level goes to `quantities`,
 * a wanted VAT-exclusive price to `prices_excl` (never the variant's
 * "metafields": productSet would replace the variant's whole list). */
static JsonObject *
variant_input (JsonObject *v,
               gboolean    any_options,
               JsonArray  *quantities,
               JsonArray  *prices_excl)
{
  JsonObject *out = json_object_new ();
  g_autofree char *price_excl = member_to_string (v, "priceExclVat");
  gint64 qty;

  g_assert (quantities != NULL && prices_excl != NULL);

  set_schema_members (out, v, TDM_KIND_PRODUCT, "variants[].");
  json_object_set_array_member (out, "optionValues",
                                variant_option_values (_tdm_shopify_array (v, "options"),
                                                       any_options));
  set_variant_weight (out, _tdm_shopify_object (v, "weight"));
  if (price_excl != NULL && *price_excl != '\0')
    {
      JsonObject *p = json_object_new ();

      copy_member (p, "sku", v, "sku");
      json_object_set_array_member (p, "options",
                                    json_array_ref (json_object_get_array_member (out,
                                                                                  "optionValues")));
      json_object_set_string_member (p, "value", price_excl);
      json_array_add_object_element (prices_excl, p);
    }

  if (member_to_int (v, "inventoryQuantity", &qty))
    {
      JsonObject *q = json_object_new ();
      JsonArray *option_values = json_object_get_array_member (out, "optionValues");

      copy_member (q, "sku", v, "sku");
      json_object_set_array_member (q, "options", json_array_ref (option_values));
      json_object_set_int_member (q, "quantity", qty);
      json_array_add_object_element (quantities, q);
    }
  return out;
}

/* productOptions and variants of a product with `variants`. */
static void
set_product_variants (JsonObject *input,
                      JsonArray  *variants,
                      JsonArray  *quantities,
                      JsonArray  *prices_excl)
{
  g_auto(ProductOptions) options = { NULL, NULL };
  JsonArray *out_variants = json_array_new ();
  gboolean any_options;

  options.names = g_ptr_array_new_with_free_func (g_free);
  options.values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify) g_ptr_array_unref);
  any_options = collect_product_options (variants, &options);
  if (!any_options)
    {
      /* Shopify's model always has one option: "Title" / "Default Title". */
      GPtrArray *list = g_ptr_array_new_with_free_func (g_free);

      g_ptr_array_add (list, g_strdup ("Default Title"));
      g_hash_table_insert (options.values, g_strdup ("Title"), list);
      g_ptr_array_add (options.names, g_strdup ("Title"));
    }
  for (guint i = 0; i < json_array_get_length (variants); i++)
    json_array_add_object_element (out_variants,
                                   variant_input (_tdm_shopify_element (variants, i),
                                                  any_options, quantities, prices_excl));
  json_object_set_array_member (input, "productOptions", product_options_input (&options));
  json_object_set_array_member (input, "variants", out_variants);
}

JsonObject *
tdm_shopify_product_set_input (JsonObject  *write,
                               JsonArray  **out_quantities,
                               JsonArray  **out_prices_excl)
{
  JsonObject *input = json_object_new ();
  JsonArray *variants = _tdm_shopify_array (write, "variants");
  JsonArray *quantities = json_array_new ();
  g_autoptr(JsonArray) prices_excl = json_array_new ();

  set_schema_members (input, write, TDM_KIND_PRODUCT, "");
  if (variants != NULL)
    set_product_variants (input, variants, quantities, prices_excl);
  /* No "metafields": productSet replaces the product's whole list with it,
   * deleting the shop's own metafields; the link to the webshop record is
   * the identifier's custom id, or metafieldsSet after (docs/shopify.md
   * § Products). */

  if (out_quantities != NULL)
    *out_quantities = quantities;
  else
    json_array_unref (quantities);
  if (out_prices_excl != NULL)
    *out_prices_excl = g_steal_pointer (&prices_excl);
  return input;
}

/* ---- Orders ---- */

static JsonObject *
money_bag (const char *amount,
           const char *currency)
{
  JsonObject *bag = json_object_new ();
  JsonObject *money = json_object_new ();

  json_object_set_string_member (money, "amount", amount);
  json_object_set_string_member (money, "currencyCode", currency);
  json_object_set_object_member (bag, "shopMoney", money);
  return bag;
}

static const char *
financial_status (const char *status)
{
  static const char * const allowed[] = {
    "AUTHORIZED", "EXPIRED", "PAID", "PARTIALLY_PAID", "PARTIALLY_REFUNDED",
    "PENDING", "REFUNDED", "VOIDED", NULL
  };

  for (guint i = 0; status != NULL && allowed[i] != NULL; i++)
    if (g_ascii_strcasecmp (status, allowed[i]) == 0)
      return allowed[i];
  return NULL;
}

static const char *
fulfillment_status (const char *status)
{
  if (status == NULL)
    return NULL;
  if (g_ascii_strcasecmp (status, "fulfilled") == 0)
    return "FULFILLED";
  if (g_ascii_strcasecmp (status, "partial") == 0
      || g_ascii_strcasecmp (status, "partially_fulfilled") == 0)
    return "PARTIAL";
  if (g_ascii_strcasecmp (status, "restocked") == 0)
    return "RESTOCKED";
  return NULL;
}

/* The customer to associate, when it is a Shopify customer GID. */
static void
set_order_customer (JsonObject *order,
                    const char *customer_id)
{
  JsonObject *customer;
  JsonObject *assoc;

  if (customer_id == NULL || !g_str_has_prefix (customer_id, "gid://shopify/Customer/"))
    return;
  customer = json_object_new ();
  assoc = json_object_new ();
  json_object_set_string_member (assoc, "id", customer_id);
  json_object_set_object_member (customer, "toAssociate", assoc);
  json_object_set_object_member (order, "customer", customer);
}

/* lineItems: a variant when its SKU is known (`variant_ids`), else a custom
 * line with title and price; each with its tax lines, whose amounts are
 * added to `taxes`. */
static JsonArray *
order_line_items (JsonArray  *lines,
                  const char *currency,
                  GHashTable *variant_ids,
                  gint64     *taxes)
{
  JsonArray *out = json_array_new ();

  g_assert (lines != NULL);

  for (guint i = 0; i < json_array_get_length (lines); i++)
    {
      JsonObject *l = _tdm_shopify_element (lines, i);
      JsonObject *li = json_object_new ();
      const char *sku = _tdm_shopify_string (l, "sku");
      const char *variant = sku && variant_ids ? g_hash_table_lookup (variant_ids, sku) : NULL;
      g_autofree char *price = member_to_string (l, "unitPrice");
      JsonArray *tax_lines;
      gint64 qty = 1;

      member_to_int (l, "quantity", &qty);
      json_object_set_int_member (li, "quantity", qty);
      if (variant != NULL && *variant != '\0')
        json_object_set_string_member (li, "variantId", variant);
      else if (_tdm_shopify_string (l, "variantId") != NULL)
        json_object_set_string_member (li, "variantId", _tdm_shopify_string (l, "variantId"));
      copy_member (li, "sku", l, "sku");
      copy_member (li, "title", l, "title");
      if (!json_object_has_member (li, "title") && !json_object_has_member (li, "variantId"))
        json_object_set_string_member (li, "title", sku ? sku : _("Item"));
      json_object_set_object_member (li, "priceSet", money_bag (price ? price : "0", currency));
      tax_lines = _tdm_shopify_tax_lines_input (_tdm_shopify_array (l, "taxLines"), currency,
                                                taxes);
      if (tax_lines != NULL)
        json_object_set_array_member (li, "taxLines", tax_lines);
      json_array_add_object_element (out, li);
    }
  return out;
}

/* shippingLines with their tax lines, whose amounts are added to `taxes`. */
static JsonArray *
order_shipping_lines (JsonArray  *shipping,
                      const char *currency,
                      gint64     *taxes)
{
  JsonArray *out = json_array_new ();

  g_assert (shipping != NULL);

  for (guint i = 0; i < json_array_get_length (shipping); i++)
    {
      JsonObject *s = _tdm_shopify_element (shipping, i);
      JsonObject *sl = json_object_new ();
      g_autofree char *price = member_to_string (s, "price");
      const char *title = _tdm_shopify_string (s, "title");
      JsonArray *tax_lines;

      json_object_set_string_member (sl, "title", title ? title : _("Shipping"));
      json_object_set_object_member (sl, "priceSet", money_bag (price ? price : "0", currency));
      tax_lines = _tdm_shopify_tax_lines_input (_tdm_shopify_array (s, "taxLines"), currency,
                                                taxes);
      if (tax_lines != NULL)
        json_object_set_array_member (sl, "taxLines", tax_lines);
      json_array_add_object_element (out, sl);
    }
  return out;
}

JsonObject *
tdm_shopify_order_create_input (JsonObject *write,
                                const char *twin_id,
                                const char *shop_currency,
                                GHashTable *variant_ids)
{
  JsonObject *order = json_object_new ();
  const char *currency = _tdm_shopify_string (write, "currency");
  JsonArray *lines = _tdm_shopify_array (write, "lineItems");
  JsonArray *shipping = _tdm_shopify_array (write, "shippingLines");
  JsonObject *shipping_address = _tdm_shopify_object (write, "shippingAddress");
  JsonObject *billing_address = _tdm_shopify_object (write, "billingAddress");
  JsonObject *discount_code;
  gint64 line_taxes = 0;
  const char *status;

  if (currency == NULL || *currency == '\0')
    currency = shop_currency ? shop_currency : "USD";

  copy_member (order, "name", write, "name");
  copy_member (order, "email", write, "email");
  copy_member (order, "phone", write, "phone");
  copy_member (order, "note", write, "note");
  copy_member (order, "processedAt", write, "processedAt");
  copy_member (order, "taxesIncluded", write, "taxesIncluded");
  json_object_set_string_member (order, "currency", currency);
  if (json_object_has_member (write, "tags"))
    json_object_set_array_member (order, "tags",
                                  string_array_copy (_tdm_shopify_array (write, "tags")));

  status = financial_status (_tdm_shopify_string (write, "financialStatus"));
  if (status != NULL)
    json_object_set_string_member (order, "financialStatus", status);
  status = fulfillment_status (_tdm_shopify_string (write, "fulfillmentStatus"));
  if (status != NULL)
    json_object_set_string_member (order, "fulfillmentStatus", status);
  set_order_customer (order, _tdm_shopify_string (write, "customerId"));

  if (lines != NULL)
    json_object_set_array_member (order, "lineItems",
                                  order_line_items (lines, currency, variant_ids, &line_taxes));
  if (shipping != NULL)
    json_object_set_array_member (order, "shippingLines",
                                  order_shipping_lines (shipping, currency, &line_taxes));
  _tdm_shopify_order_set_tax_remainder (order, write, currency, line_taxes);
  discount_code = _tdm_shopify_order_discount_code_input (write, currency);
  if (discount_code != NULL)
    json_object_set_object_member (order, "discountCode", discount_code);
  if (shipping_address != NULL)
    json_object_set_object_member (order, "shippingAddress",
                                   tdm_shopify_address_input (shipping_address));
  if (billing_address != NULL)
    json_object_set_object_member (order, "billingAddress",
                                   tdm_shopify_address_input (billing_address));

  if (twin_id == NULL && _tdm_shopify_string (write, "sourceIdentifier") != NULL)
    json_object_set_string_member (order, "sourceIdentifier",
                                   _tdm_shopify_string (write, "sourceIdentifier"));
  if (twin_id != NULL)
    {
      JsonArray *mfs = json_array_new ();

      json_object_set_string_member (order, "sourceIdentifier", twin_id);
      json_array_add_object_element (mfs, tdm_shopify_webshop_id_metafield (NULL, twin_id));
      json_object_set_array_member (order, "metafields", mfs);
    }
  return order;
}

/* The input members orderCreate takes under other names than the write
 * shape's, each made by the builder above from the write member it names. */
static const struct {
  const char *input;
  const char *write;
} order_input_sources[] = {
  { "customer", "customerId" },      /* set_order_customer: customer.toAssociate.id */
  { "discountCode", "discounts" },   /* the webshop's discounts as one code */
  { "taxLines", "totalTax" },        /* what the lines' tax lines leave of it */
};

const char *
tdm_shopify_order_input_source (const char *input_path)
{
  g_autofree char *head = NULL;

  if (input_path == NULL)
    return NULL;
  head = g_strdup (input_path);
  if (strchr (head, '.') != NULL)
    *strchr (head, '.') = '\0';
  for (guint i = 0; i < G_N_ELEMENTS (order_input_sources); i++)
    if (g_str_equal (head, order_input_sources[i].input))
      return order_input_sources[i].write;
  return input_path;
}

JsonObject *
tdm_shopify_order_update_input (JsonObject *write,
                                const char *id,
                                const char *twin_id)
{
  g_autoptr(JsonObject) input = json_object_new ();
  gboolean any = FALSE;

  json_object_set_string_member (input, "id", id);
  if (json_object_has_member (write, "email"))
    {
      copy_member (input, "email", write, "email");
      any = TRUE;
    }
  if (json_object_has_member (write, "phone"))
    {
      copy_member (input, "phone", write, "phone");
      any = TRUE;
    }
  if (json_object_has_member (write, "note"))
    {
      JsonNode *n = json_object_get_member (write, "note");
      if (JSON_NODE_HOLDS_NULL (n))
        json_object_set_string_member (input, "note", "");
      else
        copy_member (input, "note", write, "note");
      any = TRUE;
    }
  if (json_object_has_member (write, "tags"))
    {
      json_object_set_array_member (input, "tags",
                                    string_array_copy (_tdm_shopify_array (write, "tags")));
      any = TRUE;
    }
  if (_tdm_shopify_object (write, "shippingAddress") != NULL)
    {
      JsonObject *address = _tdm_shopify_object (write, "shippingAddress");

      json_object_set_object_member (input, "shippingAddress", tdm_shopify_address_input (address));
      any = TRUE;
    }
  if (twin_id != NULL)
    {
      JsonArray *mfs = json_array_new ();
      json_array_add_object_element (mfs, tdm_shopify_webshop_id_metafield (NULL, twin_id));
      json_object_set_array_member (input, "metafields", mfs);
      any = TRUE;
    }
  return any ? g_steal_pointer (&input) : NULL;
}
