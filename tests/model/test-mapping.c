/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#include "config.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>
#include <unistd.h>

#include "tdm-error.h"
#include "tdm-mapping.h"
#include "tdm-record.h"
#include "tdm-shopify-schema.h"

/* Links known to the test resolver: webshop id ⇄ Shopify GID */
static const struct {
  TdmKind     kind;
  const char *webshop;
  const char *shopify;
} links[] = {
  { TDM_KIND_CUSTOMER, "17", "gid://shopify/Customer/7001" },
  { TDM_KIND_PRODUCT, "301", "gid://shopify/Product/8001" },
  { TDM_KIND_PRODUCT, "302", "gid://shopify/Product/8002" },
};

static char *
resolve_cb (TdmKind     kind,
            TdmSide     from_side,
            const char *id,
            gpointer    user_data)
{
  guint *calls = user_data;

  (*calls)++;
  for (guint i = 0; i < G_N_ELEMENTS (links); i++)
    {
      if (links[i].kind != kind)
        continue;
      if (from_side == TDM_SIDE_WEBSHOP && strcmp (id, links[i].webshop) == 0)
        return g_strdup (links[i].shopify);
      if (from_side == TDM_SIDE_SHOPIFY && strcmp (id, links[i].shopify) == 0)
        return g_strdup (links[i].webshop);
    }
  return NULL;
}

static guint resolver_calls;
static const TdmNormalizeOptions normalize_no = { .default_country = "NO" };
static const TdmMapContext context = { &normalize_no, "25" };

/* native → canonical, and the references named as canonical fields hold
 * them through the test's links, as the engine does with each record it reads */
static JsonObject *
map_linked (TdmMapping          *mapping,
            TdmKind              kind,
            TdmSide              side,
            JsonObject          *native,
            const TdmMapContext *map_context,
            GPtrArray           *problems)
{
  g_autoptr(JsonObject) fields = tdm_mapping_map_fields (mapping, kind, side, native, map_context,
                                                         problems);

  return tdm_mapping_resolve_references (mapping, kind, TDM_SIDE_WEBSHOP, fields, resolve_cb,
                                         &resolver_calls);
}

/* canonical → the side's write shape, the references named as the side
 * names them first, as the engine does before each write */
static JsonObject *
unmap_linked (TdmMapping          *mapping,
              TdmKind              kind,
              TdmSide              side,
              JsonObject          *fields,
              gboolean             for_create,
              const char * const  *only,
              GError             **error)
{
  g_autoptr(JsonObject) named = tdm_mapping_resolve_references (mapping, kind, side, fields,
                                                                resolve_cb, &resolver_calls);

  return tdm_mapping_unmap_fields (mapping, kind, side, named, for_create, only, error);
}

static JsonObject *
load_fixture (const char *name)
{
  g_autofree char *path = g_build_filename (FIXTURES_DIR, name, NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *object;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  object = tdm_json_object_from_string (contents, &error);
  g_assert_no_error (error);
  return object;
}

static void
assert_json_equal (JsonObject *actual,
                   JsonObject *expected)
{
  g_autofree char *a = tdm_json_object_to_string (actual);
  g_autofree char *e = tdm_json_object_to_string (expected);

  if (strcmp (a, e) != 0)
    g_test_message ("actual:   %s\nexpected: %s", a, e);
  g_assert_cmpstr (a, ==, e);
}

static TdmMapping *
default_mapping (void)
{
  TdmMapping *mapping = tdm_mapping_new_default ();

  g_assert_nonnull (mapping);
  return mapping;
}

/* canonical fields restricted to what flows onto `side` (at creation) */
static JsonObject *
project (TdmMapping *mapping,
         TdmKind     kind,
         TdmSide     side,
         JsonObject *fields)
{
  GPtrArray *rows = tdm_mapping_get_rows (mapping, kind);
  JsonObject *result = tdm_json_object_copy (fields);

  for (guint i = 0; i < rows->len; i++)
    {
      const TdmMappingRow *row = g_ptr_array_index (rows, i);
      const TdmMappingRow *parent = row->parent >= 0 ? g_ptr_array_index (rows, row->parent) : NULL;
      gboolean flows = tdm_direction_allows (row->direction, side) && row->writable != TDM_WRITABLE_NEVER;

      if (flows || g_strcmp0 (row->transform, "identity") == 0)
        continue;
      if (parent == NULL)
        json_object_remove_member (result, row->name);
      else if (json_object_has_member (result, parent->name))
        {
          JsonNode *node = json_object_get_member (result, parent->name);

          if (JSON_NODE_HOLDS_ARRAY (node))
            {
              JsonArray *array = json_node_get_array (node);
              for (guint j = 0; j < json_array_get_length (array); j++)
                json_object_remove_member (json_array_get_object_element (array, j), row->name);
            }
          else if (JSON_NODE_HOLDS_OBJECT (node))
            json_object_remove_member (json_node_get_object (node), row->name);
        }
    }
  return result;
}

/* What the fake Shopify would return after storing a write shape. */
static void
move_member (JsonObject *object, const char *from, const char *to_path)
{
  g_auto(GStrv) parts = g_strsplit (to_path, ".", -1);
  JsonObject *target = object;
  JsonNode *value;
  guint n = g_strv_length (parts);

  if (!json_object_has_member (object, from))
    return;
  value = json_node_copy (json_object_get_member (object, from));
  json_object_remove_member (object, from);
  for (guint i = 0; i + 1 < n; i++)
    {
      if (!json_object_has_member (target, parts[i]))
        json_object_set_object_member (target, parts[i], json_object_new ());
      target = json_object_get_object_member (target, parts[i]);
    }
  json_object_set_member (target, parts[n - 1], value);
}

static void
connection (JsonObject *object, const char *from, const char *to)
{
  JsonObject *conn;

  if (!json_object_has_member (object, from))
    return;
  conn = json_object_new ();
  json_object_set_member (conn, "nodes", json_node_copy (json_object_get_member (object, from)));
  json_object_remove_member (object, from);
  json_object_set_object_member (object, to, conn);
}

static JsonArray *
nodes (JsonObject *object, const char *name)
{
  if (!json_object_has_member (object, name))
    return json_array_new ();
  return json_array_ref (json_object_get_array_member (json_object_get_object_member (object, name), "nodes"));
}

static JsonObject *
shopify_store (TdmKind kind, JsonObject *write, const char *gid)
{
  JsonObject *node = tdm_json_object_copy (write);
  g_autoptr(JsonArray) items = NULL;

  json_object_set_string_member (node, "id", gid);
  switch (kind)
    {
    case TDM_KIND_CUSTOMER:
      move_member (node, "email", "defaultEmailAddress.emailAddress");
      move_member (node, "emailMarketingState", "defaultEmailAddress.marketingState");
      move_member (node, "phone", "defaultPhoneNumber.phoneNumber");
      connection (node, "addresses", "addressesV2");
      items = nodes (node, "addressesV2");
      for (guint i = 0; i < json_array_get_length (items); i++)
        move_member (json_array_get_object_element (items, i), "countryCode", "countryCodeV2");
      break;

    case TDM_KIND_PRODUCT:
      connection (node, "variants", "variants");
      items = nodes (node, "variants");
      for (guint i = 0; i < json_array_get_length (items); i++)
        {
          JsonObject *v = json_array_get_object_element (items, i);
          move_member (v, "options", "selectedOptions");
          move_member (v, "weight", "inventoryItem.measurement.weight");
          move_member (v, "priceExclVat", "priceExclVat.value");
        }
      break;

    case TDM_KIND_ORDER:
      move_member (node, "currency", "currencyCode");
      move_member (node, "financialStatus", "displayFinancialStatus");
      move_member (node, "fulfillmentStatus", "displayFulfillmentStatus");
      if (g_strcmp0 (json_object_get_string_member_with_default (node, "displayFulfillmentStatus", ""), "PARTIAL") == 0)
        json_object_set_string_member (node, "displayFulfillmentStatus", "PARTIALLY_FULFILLED");
      move_member (node, "customerId", "customer.id");
      move_member (node, "totalTax", "totalTaxSet.shopMoney.amount");
      move_member (node, "shippingAddress", "shippingAddress");
      if (json_object_has_member (node, "shippingAddress"))
        move_member (json_object_get_object_member (node, "shippingAddress"), "countryCode", "countryCodeV2");
      if (json_object_has_member (node, "billingAddress"))
        move_member (json_object_get_object_member (node, "billingAddress"), "countryCode", "countryCodeV2");
      connection (node, "lineItems", "lineItems");
      items = nodes (node, "lineItems");
      for (guint i = 0; i < json_array_get_length (items); i++)
        move_member (json_array_get_object_element (items, i), "unitPrice", "originalUnitPriceSet.shopMoney.amount");
      g_clear_pointer (&items, json_array_unref);
      connection (node, "shippingLines", "shippingLines");
      items = nodes (node, "shippingLines");
      for (guint i = 0; i < json_array_get_length (items); i++)
        move_member (json_array_get_object_element (items, i), "price", "originalPriceSet.shopMoney.amount");
      break;

    default:
      g_assert_not_reached ();
    }
  return node;
}

/* ---- Tests ---- */

static void
test_default_loads (void)
{
  g_autoptr(TdmMapping) mapping = default_mapping ();
  const TdmMappingRow *row;
  GPtrArray *rows;
  guint identity = 0;

  rows = tdm_mapping_get_rows (mapping, TDM_KIND_CUSTOMER);
  g_assert_cmpuint (rows->len, ==, 21);
  rows = tdm_mapping_get_rows (mapping, TDM_KIND_PRODUCT);
  g_assert_cmpuint (rows->len, ==, 17);
  rows = tdm_mapping_get_rows (mapping, TDM_KIND_ORDER);
  g_assert_cmpuint (rows->len, ==, 55);
  for (guint i = 0; i < rows->len; i++)
    if (g_strcmp0 (((TdmMappingRow *) g_ptr_array_index (rows, i))->transform, "identity") == 0)
      identity++;
  g_assert_cmpuint (identity, ==, 3);

  row = tdm_mapping_find_row (mapping, TDM_KIND_CUSTOMER, "email");
  g_assert_nonnull (row);
  g_assert_cmpstr (row->shopify, ==, "defaultEmailAddress.emailAddress");
  g_assert_cmpstr (row->shopify_write, ==, "email");
  g_assert_cmpint (row->type, ==, TDM_VALUE_EMAIL);
  g_assert_cmpint (row->direction, ==, TDM_DIRECTION_BOTH);
  g_assert_cmpint (row->parent, ==, -1);

  row = tdm_mapping_find_row (mapping, TDM_KIND_CUSTOMER, "addresses");
  g_assert_nonnull (row);
  g_assert_cmpint (row->type, ==, TDM_VALUE_LIST);
  g_assert_cmpstr (row->webshop, ==, "addresses[]");

  /* sub-rows are not top-level canonical fields; identity rows are not fields */
  g_assert_null (tdm_mapping_find_row (mapping, TDM_KIND_CUSTOMER, "city"));
  g_assert_null (tdm_mapping_find_row (mapping, TDM_KIND_CUSTOMER, "id"));
  g_assert_null (tdm_mapping_find_row (mapping, TDM_KIND_ORDER, "shopify_id"));

  rows = tdm_mapping_get_rows (mapping, TDM_KIND_CUSTOMER);
  for (guint i = 0; i < rows->len; i++)
    {
      const TdmMappingRow *r = g_ptr_array_index (rows, i);
      if (g_strcmp0 (r->webshop, "addresses[].city") == 0)
        {
          g_assert_cmpstr (r->name, ==, "city");
          g_assert_cmpint (r->parent, >=, 0);
          g_assert_cmpstr (((TdmMappingRow *) g_ptr_array_index (rows, r->parent))->name, ==, "addresses");
        }
    }

  g_assert_true (tdm_mapping_find_row (mapping, TDM_KIND_CUSTOMER, "addresses")->unordered);
  row = tdm_mapping_find_row (mapping, TDM_KIND_PRODUCT, "variants");
  g_assert_nonnull (row);
  g_assert_false (row->unordered);   /* variant order is the shop's display order */
  /* Totals are never written to Shopify, and reach the webshop only when an
   * order born in Shopify is created there. */
  row = tdm_mapping_find_row (mapping, TDM_KIND_ORDER, "subtotal_price");
  g_assert_cmpint (row->writable, ==, TDM_WRITABLE_CREATE_ONLY);
  g_assert_cmpint (row->direction, ==, TDM_DIRECTION_TO_WEBSHOP);
}

static void
test_default_writable (void)
{
  g_autoptr(TdmMapping) mapping = default_mapping ();
  static const struct {
    TdmKind kind; const char *name; TdmSide side; gboolean for_create; gboolean expected;
  } cases[] = {
    { TDM_KIND_ORDER, "number", TDM_SIDE_SHOPIFY, TRUE, TRUE },
    { TDM_KIND_ORDER, "number", TDM_SIDE_SHOPIFY, FALSE, FALSE },
    /* Orders born in Shopify are created in the webshop with their number,
     * currency, lines and totals; after creation none of these is written. */
    { TDM_KIND_ORDER, "number", TDM_SIDE_WEBSHOP, TRUE, TRUE },
    { TDM_KIND_ORDER, "number", TDM_SIDE_WEBSHOP, FALSE, FALSE },
    { TDM_KIND_ORDER, "currency", TDM_SIDE_WEBSHOP, TRUE, TRUE },
    { TDM_KIND_ORDER, "currency", TDM_SIDE_WEBSHOP, FALSE, FALSE },
    { TDM_KIND_ORDER, "line_items", TDM_SIDE_WEBSHOP, TRUE, TRUE },
    { TDM_KIND_ORDER, "total_price", TDM_SIDE_WEBSHOP, TRUE, TRUE },
    { TDM_KIND_ORDER, "total_price", TDM_SIDE_WEBSHOP, FALSE, FALSE },
    { TDM_KIND_ORDER, "customer_id", TDM_SIDE_SHOPIFY, TRUE, TRUE },
    { TDM_KIND_ORDER, "customer_id", TDM_SIDE_SHOPIFY, FALSE, FALSE },
    { TDM_KIND_ORDER, "currency", TDM_SIDE_SHOPIFY, TRUE, TRUE },
    { TDM_KIND_ORDER, "currency", TDM_SIDE_SHOPIFY, FALSE, FALSE },
    { TDM_KIND_ORDER, "processed_at", TDM_SIDE_SHOPIFY, FALSE, FALSE },
    { TDM_KIND_ORDER, "line_items", TDM_SIDE_SHOPIFY, TRUE, TRUE },
    { TDM_KIND_ORDER, "line_items", TDM_SIDE_SHOPIFY, FALSE, FALSE },
    { TDM_KIND_ORDER, "shipping_lines", TDM_SIDE_SHOPIFY, TRUE, TRUE },
    { TDM_KIND_ORDER, "taxes_included", TDM_SIDE_SHOPIFY, TRUE, TRUE },
    { TDM_KIND_ORDER, "billing_address", TDM_SIDE_SHOPIFY, TRUE, TRUE },
    { TDM_KIND_ORDER, "billing_address", TDM_SIDE_SHOPIFY, FALSE, FALSE },
    { TDM_KIND_ORDER, "subtotal_price", TDM_SIDE_SHOPIFY, TRUE, FALSE },
    { TDM_KIND_ORDER, "total_tax", TDM_SIDE_SHOPIFY, TRUE, TRUE },
    { TDM_KIND_ORDER, "total_price", TDM_SIDE_SHOPIFY, FALSE, FALSE },
    { TDM_KIND_ORDER, "email", TDM_SIDE_SHOPIFY, FALSE, TRUE },
    { TDM_KIND_ORDER, "email", TDM_SIDE_WEBSHOP, FALSE, TRUE },
    { TDM_KIND_ORDER, "financial_status", TDM_SIDE_SHOPIFY, FALSE, TRUE },
    { TDM_KIND_ORDER, "fulfillment_status", TDM_SIDE_WEBSHOP, FALSE, TRUE },
    { TDM_KIND_ORDER, "cancelled_at", TDM_SIDE_SHOPIFY, FALSE, TRUE },
    { TDM_KIND_ORDER, "shipping_address", TDM_SIDE_SHOPIFY, FALSE, TRUE },
    { TDM_KIND_ORDER, "note", TDM_SIDE_SHOPIFY, FALSE, TRUE },
    { TDM_KIND_ORDER, "tags", TDM_SIDE_WEBSHOP, FALSE, TRUE },
    { TDM_KIND_PRODUCT, "title", TDM_SIDE_WEBSHOP, FALSE, TRUE },
    { TDM_KIND_PRODUCT, "variants", TDM_SIDE_SHOPIFY, FALSE, TRUE },
    { TDM_KIND_CUSTOMER, "email", TDM_SIDE_SHOPIFY, FALSE, TRUE },
    { TDM_KIND_CUSTOMER, "id", TDM_SIDE_SHOPIFY, TRUE, FALSE },
    { TDM_KIND_CUSTOMER, "no_such_field", TDM_SIDE_SHOPIFY, TRUE, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gboolean w = tdm_mapping_field_writable (mapping, cases[i].kind, cases[i].name, cases[i].side,
                                               cases[i].for_create);
      if (w != cases[i].expected)
        g_test_message ("case %u: %s %s", i, cases[i].name, tdm_side_to_string (cases[i].side));
      g_assert_cmpint (w, ==, cases[i].expected);
    }

  /* sub-row directions from docs/mapping.md */
  {
    GPtrArray *rows = tdm_mapping_get_rows (mapping, TDM_KIND_PRODUCT);
    guint found = 0;

    for (guint i = 0; i < rows->len; i++)
      {
        const TdmMappingRow *r = g_ptr_array_index (rows, i);
        if (g_strcmp0 (r->name, "inventory_quantity") == 0 || g_strcmp0 (r->name, "price_excl_vat") == 0)
          {
            g_assert_cmpint (r->direction, ==, TDM_DIRECTION_TO_SHOPIFY);
            found++;
          }
      }
    g_assert_cmpuint (found, ==, 2);
  }
}

static void
test_serialization_round_trip (void)
{
  g_autoptr(TdmMapping) mapping = default_mapping ();
  g_autoptr(TdmMapping) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *data = tdm_mapping_to_data (mapping);
  g_autofree char *data2 = NULL;

  again = tdm_mapping_new_from_data (data, -1, "saved.json", &error);
  g_assert_no_error (error);
  data2 = tdm_mapping_to_data (again);
  g_assert_cmpstr (data, ==, data2);
  for (TdmKind k = 0; k < TDM_N_KINDS; k++)
    g_assert_cmpuint (tdm_mapping_get_rows (mapping, k)->len, ==, tdm_mapping_get_rows (again, k)->len);
  g_assert_nonnull (strstr (data, "\"shopify_write\" : \"email\""));

  /* and through a file */
  {
    g_autofree char *path = g_build_filename (g_get_user_config_dir (), "mapping.json", NULL);
    g_autoptr(TdmMapping) from_file = NULL;
    g_autofree char *data3 = NULL;

    g_mkdir_with_parents (g_get_user_config_dir (), 0700);
    g_file_set_contents (path, data, -1, &error);
    g_assert_no_error (error);
    from_file = tdm_mapping_new_from_file (path, &error);
    g_assert_no_error (error);
    data3 = tdm_mapping_to_data (from_file);
    g_assert_cmpstr (data3, ==, data);
  }
}

static void
test_invalid (void)
{
  static const struct {
    const char *json;
    const char *parts[4];
  } cases[] = {
    { "{\"customer\": [{\"webshop\": \"email\", \"shopify\": \"emial\", \"type\": \"Email\"}]}",
      { "row 1 of the customer table", "The Shopify customer property “emial” cannot be synced by Tandem yet",
        "Check the spelling", NULL } },
    { "{\"product\": [{\"webshop\": \"title\", \"shopify\": \"title\", \"type\": \"String\"},"
      " {\"webshop\": \"vendor\", \"shopify\": \"vendor\", \"shopify_write\": \"vendorName\", \"type\": \"String\"}]}",
      { "row 2 of the product table", "“vendorName” cannot be synced by Tandem yet", "Tandem does not write it", NULL } },
    { "{\"customer\": [{\"webshop\": \"first_name\", \"shopify\": \"firstName\", \"type\": \"String\"},"
      " {\"webshop\": \"loyalty\", \"shopify\": \"note\", \"shopify_write\": \"metafield:custom.loyalty\", \"type\": \"Int\", \"direction\": \"to_shopify\"}]}",
      { "row 2 of the customer table", "“metafield:custom.loyalty” cannot be synced by Tandem yet",
        "Tandem writes no metafields but its own", NULL } },
    { "{\"customer\": [{\"webshop\": \"email\", \"shopify\": \"defaultEmailAddress.emailAddress\", \"type\": \"Emale\"}]}",
      { "row 1 of the customer table", "data type “Emale” is unknown", NULL } },
    { "{\"customer\": [{\"webshop\": \"first_name\", \"shopify\": \"firstName\", \"type\": \"String\"},"
      " {\"webshop\": \"given_name\", \"shopify\": \"firstName\", \"type\": \"String\"}]}",
      { "row 2 of the customer table", "Row 1 already writes the Shopify property “firstName”", NULL } },
    { "{\"customer\": [{\"webshop\": \"first_name\", \"shopify\": \"firstName\", \"type\": \"String\"},"
      " {\"webshop\": \"first_name\", \"shopify\": \"lastName\", \"type\": \"String\"}]}",
      { "row 2 of the customer table", "already writes the webshop property “first_name”", NULL } },
    { "{\"customer\": [{\"webshop\": \"a..b\", \"shopify\": \"firstName\", \"type\": \"String\"}]}",
      { "row 1 of the customer table", "“a..b” has an empty part", NULL } },
    { "{\"customer\": [{\"webshop\": \"first_name\", \"shopify\": \".firstName\", \"type\": \"String\"}]}",
      { "row 1", "empty part", NULL } },
    { "{\"customer\": [{\"webshop\": \"addr[]ess\", \"shopify\": \"addressesV2.nodes[]\", \"type\": \"[MailingAddress]\"}]}",
      { "row 1", "uses “[]” wrongly", NULL } },
    { "{\"customer\": [{\"webshop\": \"[]\", \"shopify\": \"addressesV2.nodes[]\", \"type\": \"[MailingAddress]\"}]}",
      { "row 1", "uses “[]” wrongly", NULL } },
    { "{\"customer\": [{\"webshop\": \"addresses\", \"shopify\": \"addressesV2.nodes[]\", \"type\": \"[MailingAddress]\"}]}",
      { "row 1", "“addresses” is a list", NULL } },
    { "{\"customer\": [{\"webshop\": \"tags[]\", \"shopify\": \"tags\", \"type\": \"String\"}]}",
      { "row 1", "“tags[]” ends in “[]”", NULL } },
    { "{\"customer\": [{\"webshop\": \"email\", \"shopify\": \"defaultEmailAddress.emailAddress\", \"shopify_write\": \"email\", \"type\": \"Email\"},"
      " {\"webshop\": \"addresses[].city\", \"shopify\": \"addressesV2.nodes[].city\", \"shopify_write\": \"addresses[].city\", \"type\": \"String\"}]}",
      { "row 2 of the customer table", "belongs to the list “addresses[]”", "no row for that list", NULL } },
    { "{\"customer\": [{\"webshop\": \"addresses[]\", \"shopify\": \"addressesV2.nodes[]\", \"shopify_write\": \"addresses[]\", \"type\": \"[MailingAddress]\"},"
      " {\"webshop\": \"addresses[].city\", \"shopify\": \"defaultAddress.city\", \"shopify_write\": \"addresses[].city\", \"type\": \"String\"}]}",
      { "row 2", "must start with “addressesV2.nodes[].”", NULL } },
    { "{\"customer\": [{\"webshop\": \"city\", \"shopify\": \"addressesV2.nodes[].city\", \"type\": \"String\"}]}",
      { "row 1", "is inside a list", NULL } },
    { "{\"order\": [{\"webshop\": \"email\", \"shopify\": \"email\", \"type\": \"Email\", \"direction\": \"sideways\"}]}",
      { "row 1 of the order table", "direction “sideways” is unknown", NULL } },
    { "{\"order\": [{\"webshop\": \"email\", \"shopify\": \"email\", \"type\": \"Email\", \"writable\": \"sometimes\"}]}",
      { "row 1 of the order table", "“sometimes” for writable is unknown", NULL } },
    { "{\"order\": [{\"webshop\": \"email\", \"shopify\": \"email\", \"type\": \"Email\", \"transform\": \"rot13\"}]}",
      { "row 1 of the order table", "transform “rot13” is unknown", NULL } },
    { "{\"order\": [{\"webshop\": \"email\", \"shopify\": \"email\", \"type\": \"Email\", \"colour\": \"red\"}]}",
      { "row 1 of the order table", "key “colour” is unknown", NULL } },
    { "{\"order\": [{\"webshop\": \"email\", \"type\": \"Email\"}]}",
      { "row 1 of the order table", "needs a “webshop” property", NULL } },
    { "{\"order\": [{\"webshop\": 5, \"shopify\": \"email\", \"type\": \"Email\"}]}",
      { "row 1 of the order table", "must be text", NULL } },
    { "{\"order\": [\"email\"]}", { "row 1 of the order table", "must be a JSON object", NULL } },
    { "{\"order\": {}}", { "the order table must be a list", NULL } },
    { "{\"invoice\": []}", { "table “invoice”", NULL } },
    { "{\"version\": 2}", { "format version", NULL } },
    { "[1, 2]", { "must be a JSON object", NULL } },
    { "{\"customer\": [", { "is not valid JSON", NULL } },
    { "{\"customer\": [{\"webshop\": \"first_name\", \"shopify\": \"firstName\", \"type\": \"String\", \"name\": \"n\"},"
      " {\"webshop\": \"last_name\", \"shopify\": \"lastName\", \"type\": \"String\", \"name\": \"n\"}]}",
      { "row 2", "same name “n”", NULL } },
    { "{\"customer\": [{\"webshop\": \"note\", \"shopify\": \"metafield:custom.note\", \"type\": \"String\"}]}",
      { "row 1", "metafield", NULL } },
    { "{\"customer\": [{\"webshop\": \"note\", \"shopify\": \"note\", \"type\": \"String\", \"unordered\": true}]}",
      { "row 1", "Only lists can be “unordered”", NULL } },
    { "{\"customer\": [{\"webshop\": \"note\", \"shopify\": \"note\", \"type\": \"String\", \"empty_overwrites\": 1}]}",
      { "row 1", "“empty_overwrites” must be true or false", NULL } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TdmMapping) mapping = tdm_mapping_new_from_data (cases[i].json, -1, "custom-mapping.json", &error);

      g_assert_null (mapping);
      g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_MAPPING);
      g_assert_nonnull (strstr (error->message, "custom-mapping.json"));
      for (guint p = 0; p < G_N_ELEMENTS (cases[i].parts) && cases[i].parts[p] != NULL; p++)
        {
          if (strstr (error->message, cases[i].parts[p]) == NULL)
            g_test_message ("case %u: “%s” lacks “%s”", i, error->message, cases[i].parts[p]);
          g_assert_nonnull (strstr (error->message, cases[i].parts[p]));
        }
    }

  /* a missing file names the file */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(TdmMapping) mapping = tdm_mapping_new_from_file ("/nonexistent/dir/my-mapping.json", &error);

    g_assert_null (mapping);
    g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_MAPPING);
    g_assert_nonnull (strstr (error->message, "my-mapping.json"));
  }

  /* a small valid custom mapping, with an app metafield write path (the
   * link Tandem writes; another metafield is refused, see above) */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(TdmMapping) mapping = tdm_mapping_new_from_data (
        "{\"version\": 1, \"customer\": [{\"webshop\": \"first_name\", \"shopify\": \"firstName\", \"type\": \"String\"},"
        " {\"webshop\": \"id\", \"shopify\": \"webshopId.value\", \"shopify_write\": \"metafield:$app:tandem.webshop_id\", \"type\": \"id\", \"direction\": \"to_shopify\", \"transform\": \"identity\"}]}",
        -1, "ok.json", &error);

    g_assert_no_error (error);
    g_assert_nonnull (mapping);
    g_assert_cmpuint (tdm_mapping_get_rows (mapping, TDM_KIND_CUSTOMER)->len, ==, 2);
    g_assert_cmpuint (tdm_mapping_get_rows (mapping, TDM_KIND_ORDER)->len, ==, 0);
  }
}

typedef struct {
  const char *fixture;
  TdmKind     kind;
  const char *webshop_id;
  const char *shopify_id;
} KindFixture;

static const KindFixture kind_fixtures[] = {
  { "model-customer.json", TDM_KIND_CUSTOMER, "17", "gid://shopify/Customer/7001" },
  { "model-product.json", TDM_KIND_PRODUCT, "301", "gid://shopify/Product/8001" },
  { "model-product-single.json", TDM_KIND_PRODUCT, "302", "gid://shopify/Product/8002" },
  { "model-order.json", TDM_KIND_ORDER, "5001", "gid://shopify/Order/6001" },
};

static void
test_kind (gconstpointer data)
{
  const KindFixture *kf = data;
  g_autoptr(TdmMapping) mapping = default_mapping ();
  g_autoptr(JsonObject) fixture = load_fixture (kf->fixture);
  JsonObject *webshop = json_object_get_object_member (fixture, "webshop");
  JsonObject *shopify = json_object_get_object_member (fixture, "shopify");
  JsonObject *expected = json_object_get_object_member (fixture, "canonical");
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func ((GDestroyNotify) tdm_record_error_free);
  g_autoptr(JsonObject) from_webshop = NULL;
  g_autoptr(JsonObject) from_shopify = NULL;
  g_autoptr(TdmRecord) rw = NULL;
  g_autoptr(TdmRecord) rs = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *twin_w = NULL;
  g_autofree char *twin_s = NULL;

  /* native → canonical on both sides: same data, different shapes, one canonical record */
  from_webshop = map_linked (mapping, kf->kind, TDM_SIDE_WEBSHOP, webshop, &context, problems);
  g_assert_cmpuint (problems->len, ==, 0);
  assert_json_equal (from_webshop, expected);
  from_shopify = map_linked (mapping, kf->kind, TDM_SIDE_SHOPIFY, shopify, &context, problems);
  g_assert_cmpuint (problems->len, ==, 0);
  assert_json_equal (from_shopify, expected);

  rw = tdm_record_new (TDM_SIDE_WEBSHOP, kf->kind, kf->webshop_id, NULL, NULL, from_webshop, webshop);
  rs = tdm_record_new (TDM_SIDE_SHOPIFY, kf->kind, kf->shopify_id, NULL, NULL, from_shopify, shopify);
  g_assert_cmpstr (tdm_record_get_hash (rw), ==, tdm_record_get_hash (rs));

  /* identity rows: each side carries the other's id */
  twin_w = tdm_mapping_get_twin_id (mapping, kf->kind, TDM_SIDE_WEBSHOP, webshop);
  twin_s = tdm_mapping_get_twin_id (mapping, kf->kind, TDM_SIDE_SHOPIFY, shopify);
  g_assert_cmpstr (twin_s, ==, kf->webshop_id);
  if (json_object_has_member (webshop, "shopify_id"))
    g_assert_cmpstr (twin_w, ==, kf->shopify_id);
  else
    g_assert_null (twin_w);

  /* canonical → write shapes */
  {
    g_autoptr(JsonObject) sw = unmap_linked (mapping, kf->kind, TDM_SIDE_SHOPIFY, expected, TRUE,
                                                         NULL, &error);
    g_autoptr(JsonObject) ww = NULL;
    g_autoptr(JsonObject) stored = NULL;
    g_autoptr(JsonObject) reread = NULL;
    g_autoptr(JsonObject) projected = NULL;

    g_assert_no_error (error);
    assert_json_equal (sw, json_object_get_object_member (fixture, "shopify_write"));

    ww = unmap_linked (mapping, kf->kind, TDM_SIDE_WEBSHOP, expected, TRUE, NULL, &error);
    g_assert_no_error (error);
    assert_json_equal (ww, json_object_get_object_member (fixture, "webshop_write"));

    /* native → canonical → native → canonical, webshop: the write shape is the read shape */
    reread = map_linked (mapping, kf->kind, TDM_SIDE_WEBSHOP, ww, &context, problems);
    g_assert_cmpuint (problems->len, ==, 0);
    projected = project (mapping, kf->kind, TDM_SIDE_WEBSHOP, expected);
    {
      /* price_excl_vat is derived again from the price on the webshop side */
      g_autoptr(JsonObject) reread_projected = project (mapping, kf->kind, TDM_SIDE_WEBSHOP, reread);
      assert_json_equal (reread_projected, projected);
    }
    g_clear_pointer (&reread, json_object_unref);
    g_clear_pointer (&projected, json_object_unref);

    /* … and Shopify, through what the store would return */
    stored = shopify_store (kf->kind, sw, kf->shopify_id);
    reread = map_linked (mapping, kf->kind, TDM_SIDE_SHOPIFY, stored, &context, problems);
    g_assert_cmpuint (problems->len, ==, 0);
    projected = project (mapping, kf->kind, TDM_SIDE_SHOPIFY, expected);
    assert_json_equal (reread, projected);
  }
}

static void
test_product_without_variants (void)
{
  g_autoptr(TdmMapping) mapping = default_mapping ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) native = tdm_json_object_from_string (
      "{\"id\": \"303\", \"title\": \"Lue\", \"sku\": \"LUE-1\", \"price\": \"199.00\", \"variants\": [],"
      " \"inventory_quantity\": 3}", &error);
  g_autoptr(JsonObject) fields = NULL;
  g_autoptr(JsonObject) write = NULL;
  g_autoptr(JsonObject) no_rate = NULL;
  JsonArray *variants;
  const TdmMapContext plain = { NULL, NULL };

  g_assert_no_error (error);
  fields = map_linked (mapping, TDM_KIND_PRODUCT, TDM_SIDE_WEBSHOP, native, &context, NULL);
  variants = json_object_get_array_member (fields, "variants");
  g_assert_cmpuint (json_array_get_length (variants), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (variants, 0), "sku"), ==, "LUE-1");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (variants, 0), "price"), ==, "199");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (variants, 0), "price_excl_vat"),
                   ==, "159.2");
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (variants, 0), "inventory_quantity"),
                   ==, 3);
  g_assert_false (json_object_has_member (fields, "sku"));

  /* without a VAT rate nothing is derived */
  no_rate = tdm_mapping_map_fields (mapping, TDM_KIND_PRODUCT, TDM_SIDE_WEBSHOP, native, &plain, NULL);
  g_assert_false (json_object_has_member (json_array_get_object_element (
      json_object_get_array_member (no_rate, "variants"), 0), "price_excl_vat"));

  /* back to the webshop: top-level fields, no variants */
  write = unmap_linked (mapping, TDM_KIND_PRODUCT, TDM_SIDE_WEBSHOP, fields, FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (json_object_has_member (write, "variants"));
  g_assert_cmpstr (json_object_get_string_member (write, "sku"), ==, "LUE-1");
  g_assert_cmpstr (json_object_get_string_member (write, "price"), ==, "199");
  g_assert_false (json_object_has_member (write, "inventory_quantity"));   /* to_shopify only */

  /* a product with one variant that has options keeps its variants list */
  {
    g_autoptr(JsonObject) opt = tdm_json_object_from_string (
        "{\"title\": \"Skjerf\", \"variants\": [{\"sku\": \"SK-1\", \"price\": \"99\", \"options\": {\"Farge\": \"Rød\"}}]}",
        &error);
    g_autoptr(JsonObject) f = map_linked (mapping, TDM_KIND_PRODUCT, TDM_SIDE_WEBSHOP, opt, &context, NULL);
    g_autoptr(JsonObject) w = unmap_linked (mapping, TDM_KIND_PRODUCT, TDM_SIDE_WEBSHOP, f, TRUE, NULL,
                                                        &error);

    g_assert_no_error (error);
    g_assert_true (json_object_has_member (w, "variants"));
    g_assert_false (json_object_has_member (w, "sku"));
  }

  /* a product with no variant data at all has no variants */
  {
    g_autoptr(JsonObject) bare = tdm_json_object_from_string ("{\"title\": \"Gavekort\"}", &error);
    g_autoptr(JsonObject) f = map_linked (mapping, TDM_KIND_PRODUCT, TDM_SIDE_WEBSHOP, bare, &context, NULL);

    g_assert_false (json_object_has_member (f, "variants"));
    g_assert_cmpstr (json_object_get_string_member (f, "title"), ==, "Gavekort");
  }
}

static void
test_order_unresolved_customer (void)
{
  g_autoptr(TdmMapping) mapping = default_mapping ();
  g_autoptr(JsonObject) fixture = load_fixture ("model-order.json");
  g_autoptr(JsonObject) shopify = tdm_json_object_copy (json_object_get_object_member (fixture, "shopify"));
  g_autoptr(JsonObject) webshop = tdm_json_object_copy (json_object_get_object_member (fixture, "webshop"));
  g_autoptr(JsonObject) fields = NULL;
  g_autoptr(JsonObject) write = NULL;
  g_autoptr(GError) error = NULL;
  guint calls_before = resolver_calls;

  /* a Shopify order of a customer that is not linked keeps the GID */
  json_object_set_string_member (json_object_get_object_member (shopify, "customer"), "id",
                                 "gid://shopify/Customer/7999");
  fields = map_linked (mapping, TDM_KIND_ORDER, TDM_SIDE_SHOPIFY, shopify, &context, NULL);
  g_assert_cmpstr (json_object_get_string_member (fields, "customer_id"), ==, "gid://shopify/Customer/7999");
  g_assert_cmpuint (resolver_calls, >, calls_before);

  /* … which can be written back to Shopify as it is */
  write = unmap_linked (mapping, TDM_KIND_ORDER, TDM_SIDE_SHOPIFY, fields, TRUE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (write, "customerId"), ==, "gid://shopify/Customer/7999");
  g_clear_pointer (&write, json_object_unref);

  /* … but not to the webshop: a validation error naming customer_id */
  write = unmap_linked (mapping, TDM_KIND_ORDER, TDM_SIDE_WEBSHOP, fields, TRUE, NULL, &error);
  g_assert_null (write);
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_VALIDATION);
  g_assert_nonnull (strstr (error->message, "customer_id"));
  g_assert_nonnull (strstr (error->message, "gid://shopify/Customer/7999"));
  g_clear_error (&error);

  /* not needed on update (customer_id is written at creation only) */
  write = unmap_linked (mapping, TDM_KIND_ORDER, TDM_SIDE_WEBSHOP, fields, FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (json_object_has_member (write, "customer_id"));
  g_clear_pointer (&write, json_object_unref);
  g_clear_pointer (&fields, json_object_unref);

  /* a webshop order of a customer that is not linked cannot be created in Shopify */
  json_object_set_string_member (webshop, "customer_id", "99");
  fields = map_linked (mapping, TDM_KIND_ORDER, TDM_SIDE_WEBSHOP, webshop, &context, NULL);
  g_assert_cmpstr (json_object_get_string_member (fields, "customer_id"), ==, "99");
  write = unmap_linked (mapping, TDM_KIND_ORDER, TDM_SIDE_SHOPIFY, fields, TRUE, NULL, &error);
  g_assert_null (write);
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_VALIDATION);
  g_assert_nonnull (strstr (error->message, "customer_id"));
  g_clear_error (&error);

  /* not named through the links at all, the same */
  write = tdm_mapping_unmap_fields (mapping, TDM_KIND_ORDER, TDM_SIDE_SHOPIFY, fields, TRUE, NULL, &error);
  g_assert_null (write);
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_VALIDATION);
}

/* References are named as a side names them through the links, in lists
 * too; what is not linked keeps its id; nothing changes in place. */
static void
test_resolve_references (void)
{
  g_autoptr(TdmMapping) mapping = default_mapping ();
  g_autoptr(TdmMapping) unordered = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) order = tdm_json_object_from_string (
      "{\"customer_id\": \"gid://shopify/Customer/7001\", \"line_items\": ["
      " {\"sku\": \"A\", \"product_id\": \"gid://shopify/Product/8001\"},"
      " {\"sku\": \"B\", \"product_id\": \"gid://shopify/Product/8999\"}, {\"sku\": \"C\"}]}", &error);
  g_autoptr(JsonObject) customer = tdm_json_object_from_string ("{\"email\": \"a@example.no\"}", &error);
  g_autoptr(JsonObject) webshop = NULL;
  g_autoptr(JsonObject) shopify = NULL;
  g_autoptr(JsonObject) same = NULL;
  g_autoptr(JsonObject) lines = NULL;
  g_autoptr(JsonObject) sorted = NULL;
  JsonArray *items;

  g_assert_no_error (error);

  /* as canonical fields hold them: webshop ids where linked */
  webshop = tdm_mapping_resolve_references (mapping, TDM_KIND_ORDER, TDM_SIDE_WEBSHOP, order, resolve_cb,
                                            &resolver_calls);
  g_assert_true (webshop != order);
  g_assert_cmpstr (json_object_get_string_member (webshop, "customer_id"), ==, "17");
  items = json_object_get_array_member (webshop, "line_items");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (items, 0), "product_id"), ==, "301");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (items, 1), "product_id"), ==,
                   "gid://shopify/Product/8999");
  g_assert_false (json_object_has_member (json_array_get_object_element (items, 2), "product_id"));
  g_assert_cmpstr (json_object_get_string_member (order, "customer_id"), ==, "gid://shopify/Customer/7001");

  /* … and back as Shopify names them */
  shopify = tdm_mapping_resolve_references (mapping, TDM_KIND_ORDER, TDM_SIDE_SHOPIFY, webshop, resolve_cb,
                                            &resolver_calls);
  g_assert_cmpstr (json_object_get_string_member (shopify, "customer_id"), ==, "gid://shopify/Customer/7001");
  items = json_object_get_array_member (shopify, "line_items");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (items, 0), "product_id"), ==,
                   "gid://shopify/Product/8001");

  /* nothing to name: the same object */
  same = tdm_mapping_resolve_references (mapping, TDM_KIND_CUSTOMER, TDM_SIDE_WEBSHOP, customer, resolve_cb,
                                         &resolver_calls);
  g_assert_true (same == customer);

  /* an unordered list is in canonical order again after its items changed */
  unordered = tdm_mapping_new_from_data (
      "{\"order\": [{\"webshop\": \"line_items[]\", \"shopify\": \"lineItems.nodes[]\","
      " \"shopify_write\": \"lineItems[]\", \"type\": \"[LineItem]\", \"unordered\": true},"
      " {\"webshop\": \"line_items[].product_id\", \"shopify\": \"lineItems.nodes[].variant.product.id\","
      " \"shopify_write\": \"lineItems[].variant.product.id\", \"type\": \"Reference\","
      " \"direction\": \"to_webshop\", \"transform\": \"product_ref\"}]}", -1, "unordered.json", &error);
  g_assert_no_error (error);
  lines = tdm_json_object_from_string (
      "{\"line_items\": [{\"product_id\": \"400\"}, {\"product_id\": \"gid://shopify/Product/8001\"}]}",
      &error);
  g_assert_no_error (error);
  sorted = tdm_mapping_resolve_references (unordered, TDM_KIND_ORDER, TDM_SIDE_WEBSHOP, lines, resolve_cb,
                                           &resolver_calls);
  items = json_object_get_array_member (sorted, "line_items");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (items, 0), "product_id"), ==, "301");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (items, 1), "product_id"), ==, "400");
}

static void
test_problems_per_field (void)
{
  g_autoptr(TdmMapping) mapping = default_mapping ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) native = tdm_json_object_from_string (
      "{\"id\": \"18\", \"email\": \"ola(at)example.no\", \"first_name\": \"  Ola \", \"phone\": \"ring meg\","
      " \"addresses\": [{\"city\": \"Bergen\", \"country_code\": \"Norge\"}, {\"city\": \"Bodø\", \"country_code\": \"no\"}]}",
      &error);
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func ((GDestroyNotify) tdm_record_error_free);
  g_autoptr(JsonObject) fields = NULL;
  JsonArray *addresses;
  gboolean saw_email = FALSE, saw_phone = FALSE, saw_country = FALSE;

  g_assert_no_error (error);
  fields = map_linked (mapping, TDM_KIND_CUSTOMER, TDM_SIDE_WEBSHOP, native, &context, problems);

  /* the rest of the record maps */
  g_assert_cmpstr (json_object_get_string_member (fields, "first_name"), ==, "Ola");
  g_assert_false (json_object_has_member (fields, "email"));
  g_assert_false (json_object_has_member (fields, "phone"));
  addresses = json_object_get_array_member (fields, "addresses");
  g_assert_cmpuint (json_array_get_length (addresses), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (addresses, 0), "city"), ==, "Bergen");
  g_assert_false (json_object_has_member (json_array_get_object_element (addresses, 0), "country_code"));
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (addresses, 1), "country_code"), ==, "NO");

  g_assert_cmpuint (problems->len, ==, 3);
  for (guint i = 0; i < problems->len; i++)
    {
      TdmRecordError *p = g_ptr_array_index (problems, i);

      g_assert_cmpint (p->side, ==, TDM_SIDE_WEBSHOP);
      g_assert_cmpint (p->kind, ==, TDM_KIND_CUSTOMER);
      g_assert_cmpstr (p->record_id, ==, "18");
      if (g_strcmp0 (p->field, "email") == 0)
        {
          saw_email = TRUE;
          g_assert_nonnull (strstr (p->message, "“ola(at)example.no” is not a valid email address"));
          /* the field in the owner's words, never its key */
          g_assert_nonnull (strstr (p->message, "Not synced: “Email” cannot be used."));
        }
      else if (g_strcmp0 (p->field, "phone") == 0)
        {
          saw_phone = TRUE;
          g_assert_nonnull (strstr (p->message, "ring meg"));
        }
      else if (g_strcmp0 (p->field, "addresses") == 0)
        {
          saw_country = TRUE;
          g_assert_nonnull (strstr (p->message, "“Country” in item 1 of “Addresses”"));
          g_assert_null (strstr (p->message, "country_code"));
          g_assert_nonnull (strstr (p->message, "“Norge” is not a country code"));
        }
    }
  g_assert_true (saw_email && saw_phone && saw_country);
}

static void
test_unmap_update_and_only (void)
{
  g_autoptr(TdmMapping) mapping = default_mapping ();
  g_autoptr(JsonObject) fixture = load_fixture ("model-order.json");
  JsonObject *canonical = json_object_get_object_member (fixture, "canonical");
  g_autoptr(JsonObject) update = NULL;
  g_autoptr(JsonObject) only = NULL;
  g_autoptr(JsonObject) cleared = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GList) members = NULL;
  static const char * const allowed[] = {
    "email", "financialStatus", "fulfillmentStatus", "cancelledAt", "shippingAddress", "note", "tags", NULL
  };
  const char * const only_names[] = { "note", "cancelled_at", "number", NULL };

  update = unmap_linked (mapping, TDM_KIND_ORDER, TDM_SIDE_SHOPIFY, canonical, FALSE, NULL, &error);
  g_assert_no_error (error);
  members = json_object_get_members (update);
  for (GList *l = members; l != NULL; l = l->next)
    {
      if (!g_strv_contains (allowed, l->data))
        g_test_message ("unexpected member %s", (const char *) l->data);
      g_assert_true (g_strv_contains (allowed, l->data));
    }
  g_assert_true (json_object_has_member (update, "email"));
  g_assert_false (json_object_has_member (update, "lineItems"));
  g_assert_false (json_object_has_member (update, "customerId"));

  /* only: the named fields; an absent one is written as a clear (null); a
   * create-only one is left out on update */
  only = unmap_linked (mapping, TDM_KIND_ORDER, TDM_SIDE_SHOPIFY, canonical, FALSE, only_names,
                                   &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_object_get_size (only), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (only, "note"), ==, "Gaveinnpakning, takk.");
  g_assert_true (json_object_has_member (only, "cancelledAt"));
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (only, "cancelledAt")));

  /* clearing tags writes an empty list */
  {
    const char * const tags_only[] = { "tags", NULL };
    g_autoptr(JsonObject) empty = json_object_new ();

    cleared = unmap_linked (mapping, TDM_KIND_ORDER, TDM_SIDE_WEBSHOP, empty, FALSE, tags_only,
                                        &error);
    g_assert_no_error (error);
    g_assert_true (JSON_NODE_HOLDS_ARRAY (json_object_get_member (cleared, "tags")));
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (cleared, "tags")), ==, 0);
  }
}

static void
test_transforms (void)
{
  g_autoptr(TdmMapping) mapping = default_mapping ();
  g_autoptr(GError) error = NULL;
  static const struct { const char *shopify; const char *canonical; } fulfillment[] = {
    { "FULFILLED", "fulfilled" }, { "PARTIALLY_FULFILLED", "partial" }, { "UNFULFILLED", "unfulfilled" },
    { "IN_PROGRESS", "unfulfilled" }, { "ON_HOLD", "unfulfilled" }, { "FULFILLMENT_NOT_REQUIRED", "unfulfilled" },
  };
  static const struct { const char *shopify; gboolean canonical; } marketing[] = {
    { "SUBSCRIBED", TRUE }, { "NOT_SUBSCRIBED", FALSE }, { "UNSUBSCRIBED", FALSE }, { "PENDING", FALSE },
    { "INVALID", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (fulfillment); i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"displayFulfillmentStatus\": \"%s\", \"displayFinancialStatus\": "
                                               "\"PARTIALLY_PAID\"}", fulfillment[i].shopify);
      g_autoptr(JsonObject) native = tdm_json_object_from_string (json, &error);
      g_autoptr(JsonObject) fields = map_linked (mapping, TDM_KIND_ORDER, TDM_SIDE_SHOPIFY, native,
                                                             &context, NULL);
      g_autoptr(JsonObject) write = NULL;

      g_assert_cmpstr (json_object_get_string_member (fields, "fulfillment_status"), ==, fulfillment[i].canonical);
      g_assert_cmpstr (json_object_get_string_member (fields, "financial_status"), ==, "partially_paid");
      write = unmap_linked (mapping, TDM_KIND_ORDER, TDM_SIDE_SHOPIFY, fields, FALSE, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (json_object_get_string_member (write, "financialStatus"), ==, "PARTIALLY_PAID");
      if (strcmp (fulfillment[i].canonical, "unfulfilled") == 0)
        g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (write, "fulfillmentStatus")));
    }

  for (guint i = 0; i < G_N_ELEMENTS (marketing); i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"defaultEmailAddress\": {\"emailAddress\": \"a@b.no\","
                                               " \"marketingState\": \"%s\"}}", marketing[i].shopify);
      g_autoptr(JsonObject) native = tdm_json_object_from_string (json, &error);
      g_autoptr(JsonObject) fields = map_linked (mapping, TDM_KIND_CUSTOMER, TDM_SIDE_SHOPIFY, native,
                                                             &context, NULL);
      g_autoptr(JsonObject) write = unmap_linked (mapping, TDM_KIND_CUSTOMER, TDM_SIDE_SHOPIFY, fields,
                                                              FALSE, NULL, &error);

      g_assert_cmpint (json_object_get_boolean_member (fields, "accepts_email_marketing"), ==, marketing[i].canonical);
      g_assert_cmpstr (json_object_get_string_member (write, "emailMarketingState"), ==,
                       marketing[i].canonical ? "SUBSCRIBED" : "UNSUBSCRIBED");
    }

  /* options keep their order (Shopify's option positions) when written back */
  {
    g_autoptr(JsonObject) native = tdm_json_object_from_string (
        "{\"variants\": {\"nodes\": [{\"sku\": \"G-1\", \"selectedOptions\": ["
        "{\"name\": \"Størrelse\", \"value\": \"M\"}, {\"name\": \"Farge\", \"value\": \"Blå\"}]}]}}",
        &error);
    g_autoptr(JsonObject) fields = map_linked (mapping, TDM_KIND_PRODUCT, TDM_SIDE_SHOPIFY, native,
                                                           &context, NULL);
    g_autoptr(JsonObject) write = unmap_linked (mapping, TDM_KIND_PRODUCT, TDM_SIDE_SHOPIFY, fields,
                                                            TRUE, NULL, &error);
    g_autoptr(JsonObject) webshop = tdm_json_object_from_string (
        "{\"variants\": [{\"sku\": \"G-1\", \"options\": {\"Farge\": \"Blå\", \"Størrelse\": \"M\"}}]}",
        &error);
    g_autoptr(JsonObject) wfields = map_linked (mapping, TDM_KIND_PRODUCT, TDM_SIDE_WEBSHOP, webshop,
                                                            &context, NULL);
    JsonArray *options;

    g_assert_no_error (error);
    options = json_object_get_array_member (json_array_get_object_element (
        json_object_get_array_member (write, "variants"), 0), "options");
    g_assert_cmpuint (json_array_get_length (options), ==, 2);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (options, 0), "name"), ==,
                     "Størrelse");
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (options, 1), "value"), ==,
                     "Blå");
    /* the same options in another order are equal */
    assert_json_equal (wfields, fields);
  }

  /* status_upper: all product statuses; weights in every unit */
  {
    static const char *statuses[] = { "active", "draft", "archived" };
    static const struct { const char *webshop; const char *shopify; } units[] = {
      { "kg", "KILOGRAMS" }, { "g", "GRAMS" }, { "lb", "POUNDS" }, { "oz", "OUNCES" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
      {
        g_autofree char *json = g_strdup_printf ("{\"status\": \"%s\", \"weight\": \"1.5\", \"weight_unit\": \"%s\","
                                                 " \"sku\": \"X\"}", statuses[i], units[i].webshop);
        g_autoptr(JsonObject) native = tdm_json_object_from_string (json, &error);
        g_autoptr(JsonObject) fields = map_linked (mapping, TDM_KIND_PRODUCT, TDM_SIDE_WEBSHOP, native,
                                                               &context, NULL);
        g_autoptr(JsonObject) write = unmap_linked (mapping, TDM_KIND_PRODUCT, TDM_SIDE_SHOPIFY, fields,
                                                                TRUE, NULL, &error);
        g_autofree char *upper = g_ascii_strup (statuses[i], -1);
        JsonObject *weight = json_object_get_object_member (
            json_array_get_object_element (json_object_get_array_member (write, "variants"), 0), "weight");

        g_assert_cmpstr (json_object_get_string_member (write, "status"), ==, upper);
        g_assert_cmpstr (json_object_get_string_member (weight, "unit"), ==, units[i].shopify);
        g_assert_cmpfloat (json_object_get_double_member (weight, "value"), ==, 1.5);
      }
  }
}

/* The same person typed on a Mac (decomposed letters, stray spaces, national
 * phone number, upper-case email) and stored by Shopify (composed, E.164). */
static void
test_unicode_twins (void)
{
  g_autoptr(TdmMapping) mapping = default_mapping ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) webshop = tdm_json_object_from_string (
      "{\"id\": \"19\", \"email\": \" OYVIND@ÆRØ.NO \", \"first_name\": \"\u00d8yvind \","
      " \"last_name\": \"A\u0308r\u00f8\", \"phone\": \"0047 412 34 567\","
      " \"tags\": \"kunde, Ærø,kunde\", \"accepts_email_marketing\": \"nei\","
      " \"addresses\": [{\"city\": \"\u00c5lesund \", \"country_code\": \"no\"}]}", &error);
  g_autoptr(JsonObject) shopify = NULL;
  g_autoptr(JsonObject) fw = NULL;
  g_autoptr(JsonObject) fs = NULL;
  g_autoptr(TdmRecord) rw = NULL;
  g_autoptr(TdmRecord) rs = NULL;

  g_assert_no_error (error);
  shopify = tdm_json_object_from_string (
      "{\"id\": \"gid://shopify/Customer/7019\", \"firstName\": \"Øyvind\", \"lastName\": \"Ärø\","
      " \"defaultEmailAddress\": {\"emailAddress\": \"oyvind@ærø.no\", \"marketingState\": \"NOT_SUBSCRIBED\"},"
      " \"defaultPhoneNumber\": {\"phoneNumber\": \"+4741234567\"}, \"tags\": [\"Ærø\", \"kunde\"],"
      " \"addressesV2\": {\"nodes\": [{\"city\": \"Ålesund\", \"countryCodeV2\": \"NO\"}]}}", &error);
  g_assert_no_error (error);

  fw = map_linked (mapping, TDM_KIND_CUSTOMER, TDM_SIDE_WEBSHOP, webshop, &context, NULL);
  fs = map_linked (mapping, TDM_KIND_CUSTOMER, TDM_SIDE_SHOPIFY, shopify, &context, NULL);
  assert_json_equal (fw, fs);
  g_assert_cmpstr (json_object_get_string_member (fw, "first_name"), ==, "Øyvind");
  g_assert_cmpstr (json_object_get_string_member (fw, "last_name"), ==, "Ärø");
  g_assert_cmpstr (json_object_get_string_member (fw, "email"), ==, "oyvind@ærø.no");
  g_assert_false (json_object_get_boolean_member (fw, "accepts_email_marketing"));

  rw = tdm_record_new (TDM_SIDE_WEBSHOP, TDM_KIND_CUSTOMER, "19", NULL, NULL, fw, webshop);
  rs = tdm_record_new (TDM_SIDE_SHOPIFY, TDM_KIND_CUSTOMER, "gid://shopify/Customer/7019", NULL, NULL, fs, shopify);
  g_assert_cmpstr (tdm_record_get_hash (rw), ==, tdm_record_get_hash (rs));

  /* one differing field gives a different hash */
  json_object_set_string_member (fs, "note", "Ny kunde");
  {
    g_autoptr(TdmRecord) rs2 = tdm_record_new (TDM_SIDE_SHOPIFY, TDM_KIND_CUSTOMER, "x", NULL, NULL, fs, NULL);
    g_assert_cmpstr (tdm_record_get_hash (rw), !=, tdm_record_get_hash (rs2));
  }
}

static void
test_filter_fields (void)
{
  g_autoptr(TdmMapping) mapping = default_mapping ();
  g_autoptr(JsonObject) product = load_fixture ("model-product.json");
  g_autoptr(JsonObject) order = load_fixture ("model-order.json");
  JsonObject *pc = json_object_get_object_member (product, "canonical");
  JsonObject *oc = json_object_get_object_member (order, "canonical");
  g_autoptr(JsonObject) to_webshop = tdm_mapping_filter_fields (mapping, TDM_KIND_PRODUCT, pc, TDM_SIDE_WEBSHOP);
  g_autoptr(JsonObject) to_shopify = tdm_mapping_filter_fields (mapping, TDM_KIND_PRODUCT, pc, TDM_SIDE_SHOPIFY);
  g_autoptr(JsonObject) order_to_webshop = tdm_mapping_filter_fields (mapping, TDM_KIND_ORDER, oc, TDM_SIDE_WEBSHOP);
  g_autoptr(JsonObject) extra = json_object_new ();
  g_autoptr(JsonObject) filtered_extra = NULL;
  JsonObject *v0;

  /* to the webshop: variants lose the to_shopify members; the input is untouched */
  v0 = json_array_get_object_element (json_object_get_array_member (to_webshop, "variants"), 0);
  g_assert_false (json_object_has_member (v0, "inventory_quantity"));
  g_assert_false (json_object_has_member (v0, "price_excl_vat"));
  g_assert_cmpstr (json_object_get_string_member (v0, "sku"), ==, "LK-ULL-S");
  v0 = json_array_get_object_element (json_object_get_array_member (pc, "variants"), 0);
  g_assert_true (json_object_has_member (v0, "inventory_quantity"));
  assert_json_equal (to_shopify, pc);

  /* Creation-time fields flow both ways (an order born in Shopify reaches the
   * webshop complete); totals only ever flow to the webshop. */
  g_assert_true (json_object_has_member (order_to_webshop, "number"));
  g_assert_true (json_object_has_member (order_to_webshop, "currency"));
  g_assert_true (json_object_has_member (order_to_webshop, "billing_address"));
  g_assert_true (json_object_has_member (order_to_webshop, "shipping_lines"));
  g_assert_true (json_object_has_member (order_to_webshop, "customer_id"));
  g_assert_true (json_object_has_member (order_to_webshop, "total_price"));
  {
    g_autoptr(JsonObject) order_to_shopify = tdm_mapping_filter_fields (mapping, TDM_KIND_ORDER, oc,
                                                                         TDM_SIDE_SHOPIFY);

    g_assert_false (json_object_has_member (order_to_shopify, "total_price"));
    g_assert_false (json_object_has_member (order_to_shopify, "subtotal_price"));
    g_assert_true (json_object_has_member (order_to_shopify, "currency"));
  }

  /* names that no row maps are left out */
  json_object_set_string_member (extra, "colour", "red");
  json_object_set_string_member (extra, "note", "x");
  filtered_extra = tdm_mapping_filter_fields (mapping, TDM_KIND_CUSTOMER, extra, TDM_SIDE_SHOPIFY);
  g_assert_cmpuint (json_object_get_size (filtered_extra), ==, 1);
  g_assert_null (tdm_mapping_filter_fields (mapping, TDM_KIND_CUSTOMER, NULL, TDM_SIDE_SHOPIFY));
}

/* A native path in an error is named canonically, the same way for both
 * sides: its row (a list item's member after its list), else the row of its
 * first segment, else the path as it is. */
static void
test_field_for_path (void)
{
  g_autoptr(TdmMapping) mapping = tdm_mapping_new_default ();
  const struct {
    TdmSide     side;
    const char *path;
    const char *field;
  } cases[] = {
    { TDM_SIDE_WEBSHOP, "email", "email" },
    { TDM_SIDE_WEBSHOP, "addresses[2].first_name", "addresses.first_name" },
    { TDM_SIDE_WEBSHOP, "addresses", "addresses" },
    { TDM_SIDE_WEBSHOP, "loyalty_points", "loyalty_points" },
    { TDM_SIDE_SHOPIFY, "firstName", "first_name" },
    { TDM_SIDE_SHOPIFY, "email", "email" },
    { TDM_SIDE_SHOPIFY, "defaultPhoneNumber.phoneNumber", "phone" },
    { TDM_SIDE_SHOPIFY, "addresses.0.firstName", "addresses" },
    { TDM_SIDE_SHOPIFY, "addresses[0].firstName", "addresses.first_name" },
    { TDM_SIDE_SHOPIFY, "addressesV2.nodes[1].lastName", "addresses.last_name" },
    { TDM_SIDE_SHOPIFY, "taxExempt", "taxExempt" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *field = tdm_mapping_field_for_path (mapping, TDM_KIND_CUSTOMER,
                                                           cases[i].side, cases[i].path);

      g_assert_cmpstr (field, ==, cases[i].field);
    }
  g_assert_null (tdm_mapping_field_for_path (mapping, TDM_KIND_CUSTOMER, TDM_SIDE_WEBSHOP, NULL));
}

/* A mapping file over TDM_MAPPING_FILE_MAX_BYTES is refused before it is
 * read whole (a 300 MB file used to be read into 940 MB of memory before
 * the parser refused it), with an error naming the file; one at the limit
 * still loads. */
static void
test_file_too_large (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tdm-mapping-XXXXXX", &error);
  g_autofree char *huge = g_build_filename (dir, "mapping.json", NULL);
  g_autofree char *at_limit = g_build_filename (dir, "at-limit.json", NULL);
  g_autoptr(TdmMapping) mapping = NULL;
  g_autoptr(TdmMapping) defaults = tdm_mapping_new_default ();
  g_autofree char *data = tdm_mapping_to_data (defaults);
  GString *padded = NULL;
  int fd;

  g_assert_no_error (error);

  /* 300 MB that reads as zeros (sparse: no disk space taken). */
  fd = g_open (huge, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (ftruncate (fd, (off_t) 300 * 1000 * 1000), ==, 0);
  close (fd);
  mapping = tdm_mapping_new_from_file (huge, &error);
  g_assert_null (mapping);
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_MAPPING);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, huge));
  g_assert_nonnull (strstr (error->message, "is too large (300.0\xc2\xa0MB; a mapping is at most 1.0\xc2\xa0MB)"));
  g_clear_error (&error);

  /* One byte over. */
  padded = g_string_new (data);
  while (padded->len < TDM_MAPPING_FILE_MAX_BYTES + 1)
    g_string_append_c (padded, ' ');
  g_file_set_contents (huge, padded->str, padded->len, &error);
  g_assert_no_error (error);
  mapping = tdm_mapping_new_from_file (huge, &error);
  g_assert_null (mapping);
  g_assert_nonnull (strstr (error->message, "is too large"));
  g_clear_error (&error);

  /* At the limit: loads. */
  g_string_truncate (padded, TDM_MAPPING_FILE_MAX_BYTES);
  g_file_set_contents (at_limit, padded->str, padded->len, &error);
  g_assert_no_error (error);
  mapping = tdm_mapping_new_from_file (at_limit, &error);
  g_assert_no_error (error);
  g_assert_nonnull (mapping);
  g_assert_cmpuint (tdm_mapping_get_rows (mapping, TDM_KIND_CUSTOMER)->len, ==,
                    tdm_mapping_get_rows (defaults, TDM_KIND_CUSTOMER)->len);
  g_clear_object (&mapping);
  g_string_free (padded, TRUE);

  /* A file that reports no size and never ends stops at the limit too. */
  if (g_file_test ("/dev/zero", G_FILE_TEST_EXISTS))
    {
      mapping = tdm_mapping_new_from_file ("/dev/zero", &error);
      g_assert_null (mapping);
      g_assert_nonnull (strstr (error->message, "/dev/zero is too large"));
      g_clear_error (&error);
    }

  g_unlink (huge);
  g_unlink (at_limit);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  /* As the app does: rows are checked against the Shopify connector's schema. */
  tdm_mapping_set_schema (TDM_SIDE_SHOPIFY, tdm_shopify_property_schema ());

  g_test_add_func ("/model/mapping/default-loads", test_default_loads);
  g_test_add_func ("/model/mapping/default-writable", test_default_writable);
  g_test_add_func ("/model/mapping/serialization", test_serialization_round_trip);
  g_test_add_func ("/model/mapping/invalid", test_invalid);
  g_test_add_func ("/model/mapping/file-too-large", test_file_too_large);
  for (guint i = 0; i < G_N_ELEMENTS (kind_fixtures); i++)
    {
      g_autofree char *path = g_strdup_printf ("/model/mapping/round-trip/%s", kind_fixtures[i].fixture);
      g_test_add_data_func (path, &kind_fixtures[i], test_kind);
    }
  g_test_add_func ("/model/mapping/product-without-variants", test_product_without_variants);
  g_test_add_func ("/model/mapping/order-unresolved-customer", test_order_unresolved_customer);
  g_test_add_func ("/model/mapping/resolve-references", test_resolve_references);
  g_test_add_func ("/model/mapping/problems-per-field", test_problems_per_field);
  g_test_add_func ("/model/mapping/unmap-update-only", test_unmap_update_and_only);
  g_test_add_func ("/model/mapping/transforms", test_transforms);
  g_test_add_func ("/model/mapping/filter-fields", test_filter_fields);
  g_test_add_func ("/model/mapping/field-for-path", test_field_for_path);
  g_test_add_func ("/model/mapping/unicode-twins", test_unicode_twins);

  return g_test_run ();
}
