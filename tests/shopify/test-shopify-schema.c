/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-test-shopify"

#include "config.h"

#include <string.h>

#include "graphql-selection.h"
#include "shopify-fixture.h"
#include "tdm-shopify-schema.h"

/* The Shopify side's property schema (src/connectors/shopify/
 * tdm-shopify-schema.c) against what the connector really reads and
 * writes: a mapping row the validator accepts is read by every read
 * document and round-trips through the fake Shopify; anything else is
 * refused with the reason, naming the row (issue 15: a row for taxExempt
 * was accepted and then silently dropped; docs/mapping.md § Validation). */

/* The selection reader (graphql-selection.c) on aliases, arguments,
 * comments and inline fragments. */
static void
check_selection_reader (void)
{
  static const char text[] =
    "query Q($id: ID!) { order(id: $id) { id # a comment\n"
    "  mf: metafield(namespace: \"$app:x\", key: \"k\") { value }\n"
    "  discounts(first: 5) { nodes { ... on Code { code } value { ... on Money { amount } } } } } }";
  static const char * const expected[] = {
    "order", "order.id", "order.mf", "order.mf.value", "order.discounts", "order.discounts.nodes",
    "order.discounts.nodes.code", "order.discounts.nodes.value",
    "order.discounts.nodes.value.amount", NULL
  };
  g_autoptr(GHashTable) paths = graphql_document_paths (text);

  for (guint i = 0; expected[i] != NULL; i++)
    g_assert_true (g_hash_table_contains (paths, expected[i]));
  g_assert_cmpuint (g_hash_table_size (paths), ==, g_strv_length ((GStrv) expected));
}

/* "variants.nodes[].sku" → "variants.nodes.sku" */
static char *
without_list_markers (const char *path)
{
  g_auto(GStrv) parts = g_strsplit (path, "[]", -1);

  return g_strjoinv ("", parts);
}

/* ---- The read documents of each kind ---- */

typedef struct {
  TdmKind     kind;
  const char *resource;
  const char *root;      /* the record inside the answer */
  const char *only;      /* NULL, or the targets the document reads (a product's later variants) */
} ReadDocument;

static const ReadDocument read_documents[] = {
  { TDM_KIND_CUSTOMER, "customer-get.graphql", "customer.", NULL },
  { TDM_KIND_CUSTOMER, "customers-changed.graphql", "customers.nodes.", NULL },
  { TDM_KIND_CUSTOMER, "customer-by-identifier.graphql", "customerByIdentifier.", NULL },
  { TDM_KIND_CUSTOMER, "customer-set.graphql", "customerSet.customer.", NULL },
  { TDM_KIND_CUSTOMER, "bulk-customers.graphql", "customers.edges.node.", NULL },
  { TDM_KIND_PRODUCT, "product-get.graphql", "product.", NULL },
  { TDM_KIND_PRODUCT, "products-changed.graphql", "products.nodes.", NULL },
  { TDM_KIND_PRODUCT, "product-by-identifier.graphql", "productByIdentifier.", NULL },
  { TDM_KIND_PRODUCT, "product-set.graphql", "productSet.product.", NULL },
  { TDM_KIND_PRODUCT, "bulk-products.graphql", "products.edges.node.", NULL },
  { TDM_KIND_PRODUCT, "product-variants.graphql", "product.", "variants.nodes[]." },
  { TDM_KIND_ORDER, "order-get.graphql", "order.", NULL },
  { TDM_KIND_ORDER, "orders-changed.graphql", "orders.nodes.", NULL },
  { TDM_KIND_ORDER, "order-by-identifier.graphql", "orderByIdentifier.", NULL },
  { TDM_KIND_ORDER, "order-create.graphql", "orderCreate.order.", NULL },
  { TDM_KIND_ORDER, "order-update.graphql", "orderUpdate.order.", NULL },
  { TDM_KIND_ORDER, "bulk-orders.graphql", "orders.edges.node.", NULL },
};

/* Every read target the schema accepts is selected by each document that
 * reads records of its kind. */
static void
check_targets_selected (void)
{
  const TdmPropertySchema *schema = tdm_shopify_property_schema ();

  for (guint d = 0; d < G_N_ELEMENTS (read_documents); d++)
    {
      const ReadDocument *doc = &read_documents[d];
      g_autoptr(GHashTable) selected = graphql_selected_paths (doc->resource, doc->root);
      const TdmPropertySpec *table = schema->read[doc->kind];

      g_assert_cmpuint (g_hash_table_size (selected), >, 0);
      for (guint i = 0; table[i].path != NULL; i++)
        {
          g_autofree char *path = without_list_markers (table[i].path);

          if (table[i].status == TDM_PROPERTY_NOT_SYNCED ||
              (doc->only != NULL && !g_str_has_prefix (table[i].path, doc->only)))
            continue;
          if (!g_hash_table_contains (selected, path))
            {
              g_test_message ("The %s property “%s” is accepted, but %s does not select it",
                              tdm_kind_to_string (doc->kind), table[i].path, doc->resource);
              g_test_fail ();
            }
        }
    }
}

/* ---- Round trips ---- */

/* One accepted read target: the canonical field it lands in, through the
 * default mapping's row or `row`. */
typedef struct {
  TdmKind     kind;
  const char *shopify;     /* the target */
  const char *webshop;     /* its row's webshop path ("addresses[].city"); NULL: the
                            * record's id ("id") or its twin's ("webshopId.value") */
  const char *row;         /* the row added for it, NULL: the default mapping has one */
  const char *canonical;   /* the value read, as JSON; NULL: the node's own (ids Shopify
                            * sets), for a list: one element */
} Target;

#define LEGACY_ROW \
  "{\"webshop\": \"shopify_legacy_id\", \"shopify\": \"legacyResourceId\", \"type\": \"String\"," \
  " \"direction\": \"to_webshop\"}"
#define UPDATED_ROW \
  "{\"webshop\": \"shopify_updated_at\", \"shopify\": \"updatedAt\", \"type\": \"DateTime\"," \
  " \"direction\": \"to_webshop\"}"

/* An order's address and its members. */
#define ADDRESS_TARGETS(s, w) \
  { TDM_KIND_ORDER, s, w, NULL, "{\"first_name\": \"Kari\", \"last_name\": \"Lie\"," \
    " \"company\": \"Lie AS\", \"address1\": \"Kongens gate 2\", \"address2\": \"Bakgården\"," \
    " \"city\": \"Trondheim\", \"province_code\": \"50\", \"zip\": \"7011\"," \
    " \"country_code\": \"NO\", \"phone\": \"+4773000000\"}" }, \
  { TDM_KIND_ORDER, s ".firstName", w ".first_name", NULL, "\"Kari\"" }, \
  { TDM_KIND_ORDER, s ".lastName", w ".last_name", NULL, "\"Lie\"" }, \
  { TDM_KIND_ORDER, s ".company", w ".company", NULL, "\"Lie AS\"" }, \
  { TDM_KIND_ORDER, s ".address1", w ".address1", NULL, "\"Kongens gate 2\"" }, \
  { TDM_KIND_ORDER, s ".address2", w ".address2", NULL, "\"Bakgården\"" }, \
  { TDM_KIND_ORDER, s ".city", w ".city", NULL, "\"Trondheim\"" }, \
  { TDM_KIND_ORDER, s ".provinceCode", w ".province_code", NULL, "\"50\"" }, \
  { TDM_KIND_ORDER, s ".zip", w ".zip", NULL, "\"7011\"" }, \
  { TDM_KIND_ORDER, s ".countryCodeV2", w ".country_code", NULL, "\"NO\"" }, \
  { TDM_KIND_ORDER, s ".phone", w ".phone", NULL, "\"+4773000000\"" }

static const Target targets[] = {
  { TDM_KIND_CUSTOMER, "id", NULL, NULL, NULL },
  { TDM_KIND_CUSTOMER, "legacyResourceId", "shopify_legacy_id", LEGACY_ROW, NULL },
  { TDM_KIND_CUSTOMER, "updatedAt", "shopify_updated_at", UPDATED_ROW, "\"2026-03-04T05:06:07Z\"" },
  { TDM_KIND_CUSTOMER, "firstName", "first_name", NULL, "\"Ragnhild\"" },
  { TDM_KIND_CUSTOMER, "lastName", "last_name", NULL, "\"Åsheim\"" },
  { TDM_KIND_CUSTOMER, "note", "note", NULL, "\"Ringer før levering\"" },
  { TDM_KIND_CUSTOMER, "locale", "locale", NULL, "\"nb\"" },
  { TDM_KIND_CUSTOMER, "tags", "tags", NULL, "[\"engros\", \"vip\"]" },
  { TDM_KIND_CUSTOMER, "state", "state",
    "{\"webshop\": \"state\", \"shopify\": \"state\", \"type\": \"String\", \"direction\": \"to_webshop\"}",
    "\"ENABLED\"" },
  { TDM_KIND_CUSTOMER, "taxExempt", "tax_exempt",
    "{\"webshop\": \"tax_exempt\", \"shopify\": \"taxExempt\", \"type\": \"Boolean\", \"direction\": \"both\"}",
    "true" },
  { TDM_KIND_CUSTOMER, "defaultEmailAddress.emailAddress", "email", NULL, "\"ragnhild@example.no\"" },
  { TDM_KIND_CUSTOMER, "defaultEmailAddress.marketingState", "accepts_email_marketing", NULL, "true" },
  { TDM_KIND_CUSTOMER, "defaultPhoneNumber.phoneNumber", "phone", NULL, "\"+4791234567\"" },
  { TDM_KIND_CUSTOMER, "addressesV2.nodes[]", "addresses[]", NULL, NULL },
  { TDM_KIND_CUSTOMER, "addressesV2.nodes[].firstName", "addresses[].first_name", NULL, "\"Rakel\"" },
  { TDM_KIND_CUSTOMER, "addressesV2.nodes[].lastName", "addresses[].last_name", NULL, "\"Berg\"" },
  { TDM_KIND_CUSTOMER, "addressesV2.nodes[].company", "addresses[].company", NULL, "\"Åsheim AS\"" },
  { TDM_KIND_CUSTOMER, "addressesV2.nodes[].address1", "addresses[].address1", NULL, "\"Storgata 1\"" },
  { TDM_KIND_CUSTOMER, "addressesV2.nodes[].address2", "addresses[].address2", NULL, "\"3. etasje\"" },
  { TDM_KIND_CUSTOMER, "addressesV2.nodes[].city", "addresses[].city", NULL, "\"Bergen\"" },
  { TDM_KIND_CUSTOMER, "addressesV2.nodes[].provinceCode", "addresses[].province_code", NULL, "\"46\"" },
  { TDM_KIND_CUSTOMER, "addressesV2.nodes[].zip", "addresses[].zip", NULL, "\"5003\"" },
  { TDM_KIND_CUSTOMER, "addressesV2.nodes[].countryCodeV2", "addresses[].country_code", NULL, "\"NO\"" },
  { TDM_KIND_CUSTOMER, "addressesV2.nodes[].phone", "addresses[].phone", NULL, "\"+4755512345\"" },
  { TDM_KIND_CUSTOMER, "webshopId.value", NULL, NULL, "\"C-77\"" },

  { TDM_KIND_PRODUCT, "id", NULL, NULL, NULL },
  { TDM_KIND_PRODUCT, "legacyResourceId", "shopify_legacy_id", LEGACY_ROW, NULL },
  { TDM_KIND_PRODUCT, "handle", "handle",
    "{\"webshop\": \"handle\", \"shopify\": \"handle\", \"type\": \"String\", \"direction\": \"both\"}",
    "\"lusekofte-spesial\"" },
  { TDM_KIND_PRODUCT, "updatedAt", "shopify_updated_at", UPDATED_ROW, "\"2026-03-04T05:06:07Z\"" },
  { TDM_KIND_PRODUCT, "title", "title", NULL, "\"Lusekofte\"" },
  { TDM_KIND_PRODUCT, "descriptionHtml", "description_html", NULL, "\"<p>Ull</p>\"" },
  { TDM_KIND_PRODUCT, "vendor", "vendor", NULL, "\"Nordmann Strikk\"" },
  { TDM_KIND_PRODUCT, "productType", "product_type", NULL, "\"Genser\"" },
  { TDM_KIND_PRODUCT, "status", "status", NULL, "\"draft\"" },
  { TDM_KIND_PRODUCT, "tags", "tags", NULL, "[\"ull\"]" },
  { TDM_KIND_PRODUCT, "variants.nodes[]", "variants[]", NULL, NULL },
  { TDM_KIND_PRODUCT, "variants.nodes[].id", "variants[].shopify_variant_id",
    "{\"webshop\": \"variants[].shopify_variant_id\", \"shopify\": \"variants.nodes[].id\","
    " \"shopify_write\": \"variants[].id\", \"type\": \"String\", \"direction\": \"to_webshop\"}",
    NULL },
  { TDM_KIND_PRODUCT, "variants.nodes[].sku", "variants[].sku", NULL, "\"LK-S\"" },
  { TDM_KIND_PRODUCT, "variants.nodes[].price", "variants[].price", NULL, "\"1499\"" },
  { TDM_KIND_PRODUCT, "variants.nodes[].compareAtPrice", "variants[].compare_at_price", NULL,
    "\"1799\"" },
  { TDM_KIND_PRODUCT, "variants.nodes[].barcode", "variants[].barcode", NULL, "\"7040000000011\"" },
  { TDM_KIND_PRODUCT, "variants.nodes[].inventoryQuantity", "variants[].inventory_quantity", NULL,
    "4" },
  { TDM_KIND_PRODUCT, "variants.nodes[].selectedOptions", "variants[].options", NULL,
    "{\"Størrelse\": \"S\"}" },
  { TDM_KIND_PRODUCT, "variants.nodes[].inventoryItem.id", "variants[].inventory_item_id",
    "{\"webshop\": \"variants[].inventory_item_id\", \"shopify\": \"variants.nodes[].inventoryItem.id\","
    " \"shopify_write\": \"variants[].inventoryItemId\", \"type\": \"String\", \"direction\": \"to_webshop\"}",
    NULL },
  { TDM_KIND_PRODUCT, "variants.nodes[].inventoryItem.measurement.weight", "variants[].weight", NULL,
    "{\"value\": \"0.75\", \"unit\": \"kg\"}" },
  { TDM_KIND_PRODUCT, "variants.nodes[].priceExclVat.value", "variants[].price_excl_vat", NULL,
    "\"1199.2\"" },
  { TDM_KIND_PRODUCT, "webshopId.value", NULL, NULL, "\"P-88\"" },

  { TDM_KIND_ORDER, "id", NULL, NULL, NULL },
  { TDM_KIND_ORDER, "legacyResourceId", "shopify_legacy_id", LEGACY_ROW, NULL },
  { TDM_KIND_ORDER, "name", "number", NULL, "\"1042\"" },
  { TDM_KIND_ORDER, "updatedAt", "shopify_updated_at", UPDATED_ROW, "\"2026-03-04T05:06:07Z\"" },
  { TDM_KIND_ORDER, "email", "email", NULL, "\"kunde@example.no\"" },
  { TDM_KIND_ORDER, "phone", "phone",
    "{\"webshop\": \"phone\", \"shopify\": \"phone\", \"type\": \"Phone\", \"direction\": \"both\"}",
    "\"+4790000001\"" },
  { TDM_KIND_ORDER, "note", "note", NULL, "\"Levér bak huset\"" },
  { TDM_KIND_ORDER, "tags", "tags", NULL, "[\"nett\"]" },
  { TDM_KIND_ORDER, "currencyCode", "currency", NULL, "\"NOK\"" },
  { TDM_KIND_ORDER, "processedAt", "processed_at", NULL, "\"2026-03-01T10:00:00Z\"" },
  { TDM_KIND_ORDER, "cancelledAt", "cancelled_at", NULL, "\"2026-03-02T10:00:00Z\"" },
  { TDM_KIND_ORDER, "displayFinancialStatus", "financial_status", NULL, "\"paid\"" },
  { TDM_KIND_ORDER, "displayFulfillmentStatus", "fulfillment_status", NULL, "\"fulfilled\"" },
  { TDM_KIND_ORDER, "taxesIncluded", "taxes_included", NULL, "true" },
  { TDM_KIND_ORDER, "sourceIdentifier", NULL, NULL, "\"O-5\"" },
  { TDM_KIND_ORDER, "customer.id", "customer_id", NULL, NULL },
  { TDM_KIND_ORDER, "lineItems.nodes[]", "line_items[]", NULL, NULL },
  { TDM_KIND_ORDER, "lineItems.nodes[].sku", "line_items[].sku", NULL, "\"LK-S\"" },
  { TDM_KIND_ORDER, "lineItems.nodes[].title", "line_items[].title", NULL, "\"Lusekofte S\"" },
  { TDM_KIND_ORDER, "lineItems.nodes[].quantity", "line_items[].quantity", NULL, "2" },
  { TDM_KIND_ORDER, "lineItems.nodes[].originalUnitPriceSet.shopMoney.amount",
    "line_items[].unit_price", NULL, "\"1499\"" },
  { TDM_KIND_ORDER, "lineItems.nodes[].variant.id", "line_items[].variant_id",
    "{\"webshop\": \"line_items[].variant_id\", \"shopify\": \"lineItems.nodes[].variant.id\","
    " \"shopify_write\": \"lineItems[].variantId\", \"type\": \"String\", \"direction\": \"both\"}",
    NULL },
  { TDM_KIND_ORDER, "lineItems.nodes[].variant.product.id", "line_items[].product_id", NULL, NULL },
  { TDM_KIND_ORDER, "lineItems.nodes[].taxLines", "line_items[].tax_lines", NULL,
    "[{\"title\": \"MVA\", \"rate\": \"0.25\", \"price\": \"599.6\"}]" },
  { TDM_KIND_ORDER, "shippingLines.nodes[]", "shipping_lines[]", NULL, NULL },
  { TDM_KIND_ORDER, "shippingLines.nodes[].title", "shipping_lines[].title", NULL, "\"Posten\"" },
  { TDM_KIND_ORDER, "shippingLines.nodes[].originalPriceSet.shopMoney.amount",
    "shipping_lines[].price", NULL, "\"99\"" },
  { TDM_KIND_ORDER, "shippingLines.nodes[].taxLines", "shipping_lines[].tax_lines", NULL,
    "[{\"title\": \"MVA\", \"rate\": \"0.25\", \"price\": \"19.8\"}]" },
  { TDM_KIND_ORDER, "discountApplications.nodes[]", "discounts[]", NULL, NULL },
  { TDM_KIND_ORDER, "discountApplications.nodes[].code", "discounts[].code", NULL, "\"HOST10\"" },
  { TDM_KIND_ORDER, "discountApplications.nodes[].value.amount", "discounts[].amount", NULL,
    "\"100\"" },
  { TDM_KIND_ORDER, "totalDiscountsSet.shopMoney.amount", "total_discounts", NULL, "\"100\"" },
  { TDM_KIND_ORDER, "totalShippingPriceSet.shopMoney.amount", "total_shipping", NULL, "\"99\"" },
  { TDM_KIND_ORDER, "subtotalPriceSet.shopMoney.amount", "subtotal_price", NULL, "\"2998\"" },
  { TDM_KIND_ORDER, "totalTaxSet.shopMoney.amount", "total_tax", NULL, "\"619.4\"" },
  { TDM_KIND_ORDER, "totalPriceSet.shopMoney.amount", "total_price", NULL, "\"3097\"" },
  ADDRESS_TARGETS ("shippingAddress", "shipping_address"),
  ADDRESS_TARGETS ("billingAddress", "billing_address"),
  { TDM_KIND_ORDER, "webshopId.value", NULL, NULL, "\"O-5\"" },
};

#define ORDER_ADDRESS \
  "{\"firstName\": \"Kari\", \"lastName\": \"Lie\", \"company\": \"Lie AS\"," \
  " \"address1\": \"Kongens gate 2\", \"address2\": \"Bakgården\", \"city\": \"Trondheim\"," \
  " \"provinceCode\": \"50\", \"zip\": \"7011\", \"countryCodeV2\": \"NO\", \"phone\": \"+4773000000\"}"

/* A record of each kind in the fake, with a value for every target. */
static const char * const seeds[TDM_N_KINDS] = {
  "{\"updatedAt\": \"2026-03-04T05:06:07Z\", \"firstName\": \"Ragnhild\", \"lastName\": \"Åsheim\","
  " \"note\": \"Ringer før levering\", \"locale\": \"nb\", \"tags\": [\"engros\", \"vip\"],"
  " \"state\": \"ENABLED\", \"taxExempt\": true,"
  " \"defaultEmailAddress\": {\"emailAddress\": \"ragnhild@example.no\", \"marketingState\": \"SUBSCRIBED\"},"
  " \"defaultPhoneNumber\": {\"phoneNumber\": \"+4791234567\"},"
  " \"addressesV2\": {\"nodes\": [{\"firstName\": \"Rakel\", \"lastName\": \"Berg\","
  " \"company\": \"Åsheim AS\", \"address1\": \"Storgata 1\", \"address2\": \"3. etasje\","
  " \"city\": \"Bergen\", \"provinceCode\": \"46\", \"zip\": \"5003\", \"countryCodeV2\": \"NO\","
  " \"phone\": \"+4755512345\"}]},"
  " \"webshopId\": {\"value\": \"C-77\"}}",

  "{\"updatedAt\": \"2026-03-04T05:06:07Z\", \"handle\": \"lusekofte-spesial\", \"title\": \"Lusekofte\","
  " \"descriptionHtml\": \"<p>Ull</p>\", \"vendor\": \"Nordmann Strikk\", \"productType\": \"Genser\","
  " \"status\": \"DRAFT\", \"tags\": [\"ull\"],"
  " \"variants\": {\"nodes\": [{\"sku\": \"LK-S\", \"price\": \"1499.00\", \"compareAtPrice\": \"1799.00\","
  " \"barcode\": \"7040000000011\", \"inventoryQuantity\": 4,"
  " \"selectedOptions\": [{\"name\": \"Størrelse\", \"value\": \"S\"}],"
  " \"inventoryItem\": {\"measurement\": {\"weight\": {\"value\": 0.75, \"unit\": \"KILOGRAMS\"}}},"
  " \"priceExclVat\": {\"value\": \"1199.20\"}}]},"
  " \"webshopId\": {\"value\": \"P-88\"}}",

  /* The customer and the variant are seeded first (seed_order_refs ()). */
  "{\"updatedAt\": \"2026-03-04T05:06:07Z\", \"name\": \"#1042\", \"email\": \"kunde@example.no\","
  " \"phone\": \"+4790000001\", \"note\": \"Levér bak huset\", \"tags\": [\"nett\"],"
  " \"currencyCode\": \"NOK\", \"processedAt\": \"2026-03-01T10:00:00Z\","
  " \"cancelledAt\": \"2026-03-02T10:00:00Z\", \"displayFinancialStatus\": \"PAID\","
  " \"displayFulfillmentStatus\": \"FULFILLED\", \"taxesIncluded\": true,"
  " \"sourceIdentifier\": \"O-5\", \"customer\": {\"id\": \"@CUSTOMER@\"},"
  " \"lineItems\": {\"nodes\": [{\"sku\": \"LK-S\", \"title\": \"Lusekofte S\", \"quantity\": 2,"
  " \"originalUnitPriceSet\": {\"shopMoney\": {\"amount\": \"1499.00\", \"currencyCode\": \"NOK\"}},"
  " \"variant\": {\"id\": \"@VARIANT@\", \"product\": {\"id\": \"@PRODUCT@\"}},"
  " \"taxLines\": [{\"title\": \"MVA\", \"rate\": 0.25,"
  " \"priceSet\": {\"shopMoney\": {\"amount\": \"599.60\"}}}]}]},"
  " \"shippingLines\": {\"nodes\": [{\"title\": \"Posten\","
  " \"originalPriceSet\": {\"shopMoney\": {\"amount\": \"99.00\"}},"
  " \"taxLines\": [{\"title\": \"MVA\", \"rate\": 0.25,"
  " \"priceSet\": {\"shopMoney\": {\"amount\": \"19.80\"}}}]}]},"
  " \"discountApplications\": {\"nodes\": [{\"code\": \"HOST10\","
  " \"value\": {\"amount\": \"100.00\"}}]},"
  " \"totalDiscountsSet\": {\"shopMoney\": {\"amount\": \"100.00\"}},"
  " \"totalShippingPriceSet\": {\"shopMoney\": {\"amount\": \"99.00\"}},"
  " \"subtotalPriceSet\": {\"shopMoney\": {\"amount\": \"2998.00\"}},"
  " \"totalTaxSet\": {\"shopMoney\": {\"amount\": \"619.40\"}},"
  " \"totalPriceSet\": {\"shopMoney\": {\"amount\": \"3097.00\"}},"
  " \"shippingAddress\": " ORDER_ADDRESS ", \"billingAddress\": " ORDER_ADDRESS ","
  " \"webshopId\": {\"value\": \"O-5\"}}",
};

/* The node at a dot path; "x[]" steps into the first element of list x. */
static JsonNode *
node_at (JsonNode   *node,
         const char *path)
{
  g_auto(GStrv) parts = g_strsplit (path, ".", -1);

  for (guint i = 0; parts[i] != NULL && node != NULL; i++)
    {
      gboolean list = g_str_has_suffix (parts[i], "[]");
      JsonObject *object;

      if (list)
        parts[i][strlen (parts[i]) - 2] = '\0';
      if (!JSON_NODE_HOLDS_OBJECT (node))
        return NULL;
      object = json_node_get_object (node);
      node = json_object_has_member (object, parts[i]) ? json_object_get_member (object, parts[i])
                                                       : NULL;
      if (list && parts[i + 1] != NULL)
        {
          if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node) ||
              json_array_get_length (json_node_get_array (node)) == 0)
            return NULL;
          node = json_array_get_element (json_node_get_array (node), 0);
        }
    }
  return node;
}

static JsonNode *
object_node_at (JsonObject *object,
                const char *path)
{
  g_autoptr(JsonNode) root = json_node_init_object (json_node_alloc (), object);

  return node_at (root, path);
}

static JsonNode *
parse_value (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (json_parser_load_from_data (parser, json, -1, &error));
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

/* The default mapping with `rows` (JSON texts, NULL-terminated) added to
 * the end of the `kind` table. */
static TdmMapping *
mapping_with_rows (TdmKind              kind,
                   const char * const  *rows,
                   GError             **error)
{
  g_autoptr(TdmMapping) base = tdm_mapping_new_default ();
  g_autofree char *data = tdm_mapping_to_data (base);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *out = NULL;
  JsonArray *table;

  g_assert_true (json_parser_load_from_data (parser, data, -1, NULL));
  table = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                        tdm_kind_to_string (kind));
  for (guint i = 0; rows != NULL && rows[i] != NULL; i++)
    json_array_add_element (table, parse_value (rows[i]));
  json_generator_set_root (generator, json_parser_get_root (parser));
  out = json_generator_to_data (generator, NULL);
  return tdm_mapping_new_from_data (out, -1, "custom.json", error);
}

/* The mapping row of the target (its webshop path), or NULL. */
static const TdmMappingRow *
target_row (TdmMapping   *mapping,
            const Target *target)
{
  GPtrArray *rows = tdm_mapping_get_rows (mapping, target->kind);

  for (guint i = 0; i < rows->len; i++)
    {
      const TdmMappingRow *row = rows->pdata[i];

      if (g_strcmp0 (row->shopify, target->shopify) == 0 &&
          (target->webshop == NULL || g_strcmp0 (row->webshop, target->webshop) == 0))
        return row;
    }
  return NULL;
}

/* Does the row send data to Shopify when a record is created there? */
static gboolean
row_creates_on_shopify (TdmMapping          *mapping,
                        TdmKind              kind,
                        const TdmMappingRow *row)
{
  GPtrArray *rows = tdm_mapping_get_rows (mapping, kind);
  const TdmMappingRow *parent = row->parent >= 0 ? rows->pdata[row->parent] : NULL;

  if (g_strcmp0 (row->transform, "identity") == 0 || row->writable == TDM_WRITABLE_NEVER ||
      (row->direction != TDM_DIRECTION_BOTH && row->direction != TDM_DIRECTION_TO_SHOPIFY))
    return FALSE;
  return parent == NULL || parent->writable != TDM_WRITABLE_NEVER;
}

/* Is the target accepted: synced or read-only, by the schema? */
static gboolean
target_accepted (TdmKind     kind,
                 const char *path)
{
  const TdmPropertySpec *spec =
    tdm_property_schema_find_read (tdm_shopify_property_schema (), kind, path);

  return spec != NULL && spec->status != TDM_PROPERTY_NOT_SYNCED;
}

/* Every accepted read target of the schema has a round trip below. */
static void
check_targets_listed (void)
{
  const TdmPropertySchema *schema = tdm_shopify_property_schema ();

  for (TdmKind kind = 0; kind < TDM_N_KINDS; kind++)
    for (guint i = 0; schema->read[kind][i].path != NULL; i++)
      {
        const char *path = schema->read[kind][i].path;
        gboolean listed = FALSE;

        if (!target_accepted (kind, path))
          continue;
        for (guint t = 0; t < G_N_ELEMENTS (targets); t++)
          if (targets[t].kind == kind && strcmp (targets[t].shopify, path) == 0)
            listed = TRUE;
        if (!listed)
          {
            g_test_message ("The %s property “%s” is accepted but has no round trip here",
                            tdm_kind_to_string (kind), path);
            g_test_fail ();
          }
      }
  for (guint t = 0; t < G_N_ELEMENTS (targets); t++)
    g_assert_true (target_accepted (targets[t].kind, targets[t].shopify));
}

/* The canonical value of the target in `record` is what the table says
 * (`node`: the native node it was read from, for the ids Shopify sets). */
static void
check_read (const Target *target,
            TdmRecord    *record,
            JsonObject   *node)
{
  g_autoptr(JsonNode) expected = NULL;
  JsonNode *value;

  if (target->webshop == NULL)
    {
      g_autoptr(JsonNode) twin = parse_value (target->canonical != NULL ? target->canonical
                                                                        : "null");

      if (strcmp (target->shopify, "id") == 0)
        g_assert_cmpstr (record->id, ==, json_object_get_string_member (node, "id"));
      else
        g_assert_cmpstr (record->twin_id, ==, json_node_get_string (twin));
      return;
    }

  value = object_node_at (record->fields, target->webshop);
  if (g_str_has_suffix (target->webshop, "[]"))
    {
      g_autofree char *list = g_strndup (target->webshop, strlen (target->webshop) - 2);

      value = object_node_at (record->fields, list);
      g_assert_nonnull (value);
      g_assert_true (JSON_NODE_HOLDS_ARRAY (value));
      g_assert_cmpuint (json_array_get_length (json_node_get_array (value)), ==, 1);
      return;
    }
  if (target->canonical != NULL)
    expected = parse_value (target->canonical);
  else
    expected = json_node_copy (object_node_at (node, target->shopify));
  if (!tdm_json_value_equal (value, expected))
    {
      g_autofree char *got = value != NULL ? tdm_json_canonical_string (value) : g_strdup ("(none)");
      g_autofree char *want = tdm_json_canonical_string (expected);

      g_test_message ("The %s property “%s” read as %s = %s, expected %s",
                      tdm_kind_to_string (target->kind), target->shopify, target->webshop, got, want);
      g_test_fail ();
    }
}

/* The rows the targets of `kind` need besides the default mapping's. */
static TdmMapping *
mapping_for_targets (TdmKind kind)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  TdmMapping *mapping;

  for (guint t = 0; t < G_N_ELEMENTS (targets); t++)
    if (targets[t].kind == kind && targets[t].row != NULL)
      g_ptr_array_add (rows, (gpointer) targets[t].row);
  g_ptr_array_add (rows, NULL);
  mapping = mapping_with_rows (kind, (const char * const *) rows->pdata, &error);
  g_assert_no_error (error);
  g_assert_nonnull (mapping);
  return mapping;
}

/* The order's seed, its customer and variant stored in the fake first:
 * an order refers to them by their ids. */
static JsonObject *
order_seed (Fixture *f)
{
  g_autoptr(JsonObject) customer = parse_json ("{\"firstName\": \"Kari\", \"defaultEmailAddress\":"
                                               " {\"emailAddress\": \"kari@example.no\"}}");
  g_autoptr(JsonObject) product = parse_json ("{\"title\": \"Lusekofte\", \"variants\": {\"nodes\":"
                                              " [{\"sku\": \"LK-S\", \"price\": \"1499.00\"}]}}");
  g_autofree char *customer_id = tdm_fake_shopify_seed (f->fake, TDM_KIND_CUSTOMER, customer);
  g_autofree char *product_id = tdm_fake_shopify_seed (f->fake, TDM_KIND_PRODUCT, product);
  g_autoptr(JsonObject) stored = tdm_fake_shopify_get_record (f->fake, TDM_KIND_PRODUCT,
                                                              product_id);
  JsonNode *variant_id = object_node_at (stored, "variants.nodes[].id");
  g_autoptr(GString) text = g_string_new (seeds[TDM_KIND_ORDER]);

  g_assert_nonnull (variant_id);
  g_string_replace (text, "@CUSTOMER@", customer_id, 1);
  g_string_replace (text, "@PRODUCT@", product_id, 1);
  g_string_replace (text, "@VARIANT@", json_node_get_string (variant_id), 1);
  return parse_json (text->str);
}

/* Shopify → Tandem → Shopify for every target of `kind`: a record holding
 * each is read through the connector, then written back as a new record
 * (the first one gone), whose fields are read back the same for every
 * target a row sends to Shopify. */
static void
round_trip_kind (Fixture *f,
                 TdmKind  kind)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) seed = parse_json (seeds[kind]);
  g_autoptr(JsonObject) node = NULL;
  g_autoptr(TdmRecord) read = NULL;
  g_autoptr(TdmRecord) again = NULL;
  g_autoptr(TdmWriteResult) written = NULL;
  g_autoptr(JsonObject) stored = NULL;
  g_autofree char *id = NULL;

  g_clear_object (&f->mapping);
  g_clear_object (&f->conn);
  f->mapping = mapping_for_targets (kind);
  f->conn = make_connector (f, TDM_SHOPIFY_AUTH_TOKEN);

  /* Read. */
  if (kind == TDM_KIND_ORDER)
    {
      g_clear_pointer (&seed, json_object_unref);
      seed = order_seed (f);
    }
  id = tdm_fake_shopify_seed (f->fake, kind, seed);
  node = tdm_fake_shopify_get_record (f->fake, kind, id);
  read = get_record (f->conn, kind, id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (read);
  for (guint t = 0; t < G_N_ELEMENTS (targets); t++)
    if (targets[t].kind == kind)
      {
        g_assert_nonnull (object_node_at (node, targets[t].shopify));
        check_read (&targets[t], read, node);
      }

  /* Written back: every target a row sends to Shopify arrives, and is
   * read back as it was. */
  g_assert_true (tdm_fake_shopify_delete (f->fake, kind, id));
  written = create_record (f->conn, kind, read->fields, "op-schema", read->twin_id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (written);
  stored = tdm_fake_shopify_get_record (f->fake, kind, written->record->id);
  again = get_record (f->conn, kind, written->record->id, &error);
  g_assert_no_error (error);
  for (guint t = 0; t < G_N_ELEMENTS (targets); t++)
    {
      const Target *target = &targets[t];
      const TdmMappingRow *row;
      JsonNode *before;
      JsonNode *after;

      if (target->kind != kind)
        continue;
      if (target->webshop == NULL)
        {
          /* The record's id is Shopify's; the twin's id is written as the link. */
          if (strcmp (target->shopify, "id") != 0)
            {
              g_assert_cmpstr (again->twin_id, ==, read->twin_id);
              g_assert_cmpstr (json_node_get_string (object_node_at (stored, target->shopify)), ==,
                               read->twin_id);
            }
          continue;
        }
      row = target_row (f->mapping, target);
      g_assert_nonnull (row);
      if (!row_creates_on_shopify (f->mapping, kind, row))
        continue;
      if (g_str_has_suffix (target->webshop, "[]"))
        {
          /* The list itself: as many items (their members are targets of their own). */
          g_autofree char *list = g_strndup (target->webshop, strlen (target->webshop) - 2);

          before = object_node_at (read->fields, list);
          after = object_node_at (again->fields, list);
          g_assert_nonnull (before);
          g_assert_nonnull (after);
          g_assert_cmpuint (json_array_get_length (json_node_get_array (after)), ==,
                            json_array_get_length (json_node_get_array (before)));
          continue;
        }
      before = object_node_at (read->fields, target->webshop);
      after = object_node_at (again->fields, target->webshop);
      /* orderCancel: Shopify stamps the cancellation with its own time. */
      if (strcmp (target->shopify, "cancelledAt") == 0)
        after = after != NULL ? before : NULL;
      if (object_node_at (stored, target->shopify) == NULL || !tdm_json_value_equal (before, after))
        {
          g_autofree char *want = before != NULL ? tdm_json_canonical_string (before) : NULL;
          g_autofree char *got = after != NULL ? tdm_json_canonical_string (after) : NULL;

          g_test_message ("The %s property “%s” did not round-trip: wrote %s, read back %s",
                          tdm_kind_to_string (kind), target->shopify, want, got);
          g_test_fail ();
        }
    }
}

/* Every Shopify property the validator accepts is selected by every read
 * of its kind (the read fragments, the bulk queries, a product's later
 * variants) and round-trips through the fake Shopify. */
static void
test_every_read_target_selected (Fixture       *f,
                                 gconstpointer  data)
{
  check_selection_reader ();
  check_targets_selected ();
  check_targets_listed ();
  for (TdmKind kind = 0; kind < TDM_N_KINDS; kind++)
    round_trip_kind (f, kind);
}

/* ---- Tax exempt ---- */

#define TAX_EXEMPT_ROW \
  "{\"label\": \"Tax exempt\", \"webshop\": \"tax_exempt\", \"shopify\": \"taxExempt\"," \
  " \"type\": \"Boolean\", \"direction\": \"both\"}"

static gboolean
stored_tax_exempt (Fixture    *f,
                   const char *id)
{
  g_autoptr(JsonObject) node = tdm_fake_shopify_get_record (f->fake, TDM_KIND_CUSTOMER, id);

  g_assert_nonnull (node);
  g_assert_true (json_object_has_member (node, "taxExempt"));
  return json_object_get_boolean_member (node, "taxExempt");
}

/* The last request of `operation` asked Shopify for the customer's taxExempt. */
static void
assert_last_read_selects (Fixture    *f,
                          const char *operation,
                          const char *field)
{
  GPtrArray *log = tdm_fake_shopify_get_request_log (f->fake);

  for (guint i = log->len; i > 0; i--)
    {
      TdmFakeShopifyRequest *request = log->pdata[i - 1];

      if (g_strcmp0 (request->operation, operation) != 0)
        continue;
      g_assert_nonnull (request->query);
      g_assert_nonnull (strstr (request->query, field));
      return;
    }
  g_assert_not_reached ();
}

/* A customer's taxExempt row: the value Tandem writes arrives in Shopify
 * (create and update), and a change made in Shopify is read back. */
static void
test_tax_exempt_round_trip (Fixture       *f,
                            gconstpointer  data)
{
  static const char * const rows[] = { TAX_EXEMPT_ROW, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) fields = customer_fields ("ola@example.no", "Ola");
  g_autoptr(JsonObject) change = json_object_new ();
  g_autoptr(JsonObject) edit = json_object_new ();
  g_autoptr(TdmWriteResult) created = NULL;
  g_autoptr(TdmWriteResult) updated = NULL;
  g_autoptr(TdmRecord) read = NULL;
  JsonNode *value;
  const char *id;

  g_clear_object (&f->mapping);
  g_clear_object (&f->conn);
  f->mapping = mapping_with_rows (TDM_KIND_CUSTOMER, rows, &error);
  g_assert_no_error (error);
  f->conn = make_connector (f, TDM_SHOPIFY_AUTH_TOKEN);

  json_object_set_boolean_member (fields, "tax_exempt", TRUE);
  created = create_record (f->conn, TDM_KIND_CUSTOMER, fields, "op-tax", "C-1", &error);
  g_assert_no_error (error);
  id = created->record->id;
  g_assert_true (stored_tax_exempt (f, id));

  /* The merchant clears it in Shopify. */
  json_object_set_boolean_member (edit, "taxExempt", FALSE);
  g_assert_true (tdm_fake_shopify_edit (f->fake, TDM_KIND_CUSTOMER, id, edit, NULL));
  read = get_record (f->conn, TDM_KIND_CUSTOMER, id, &error);
  g_assert_no_error (error);
  assert_last_read_selects (f, "CustomerGet", "taxExempt");
  value = tdm_record_get_field (read, "tax_exempt");
  g_assert_true (value == NULL || !json_node_get_boolean (value));

  /* And Tandem sets it again. */
  json_object_set_boolean_member (change, "tax_exempt", TRUE);
  updated = update_record (f->conn, TDM_KIND_CUSTOMER, id, change, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (stored_tax_exempt (f, id));
  value = tdm_record_get_field (updated->record, "tax_exempt");
  g_assert_nonnull (value);
  g_assert_true (json_node_get_boolean (value));
}

/* ---- Refusals ---- */

/* A row for `path` of `kind`: to the webshop only, inside its list when
 * the path is inside one (`write`: the Shopify write path, or NULL). */
static char *
row_for (TdmKind     kind,
         const char *path,
         const char *write,
         const char *direction,
         guint       n)
{
  g_autoptr(TdmMapping) base = tdm_mapping_new_default ();
  GPtrArray *rows = tdm_mapping_get_rows (base, kind);
  const char *inner = strstr (path, "[].");
  g_autofree char *webshop = g_strdup_printf ("x_%u", n);
  g_autofree char *shopify_write = g_strdup (write != NULL ? write : path);

  if (inner != NULL)
    {
      g_autofree char *list = g_strndup (path, inner + 2 - path);

      for (guint i = 0; i < rows->len; i++)
        {
          const TdmMappingRow *row = rows->pdata[i];

          if (strcmp (row->shopify, list) == 0)
            {
              g_free (webshop);
              webshop = g_strdup_printf ("%s.x_%u", row->webshop, n);
              if (write == NULL)
                {
                  g_free (shopify_write);
                  shopify_write = g_strdup_printf ("%s.%s", row->shopify_write, inner + 3);
                }
            }
        }
    }
  return g_strdup_printf ("{\"webshop\": \"%s\", \"shopify\": \"%s\", \"shopify_write\": \"%s\","
                          " \"type\": \"String\", \"direction\": \"%s\"}",
                          webshop, path, shopify_write, direction);
}

/* The default mapping with `row` last in the `kind` table is refused, and
 * the message names the row, the property and the words given. */
static void
assert_refused (TdmKind     kind,
                const char *row,
                const char *property,
                const char *words,
                const char *reason)
{
  static const char *rows[2];
  g_autoptr(GError) error = NULL;
  g_autoptr(TdmMapping) base = tdm_mapping_new_default ();
  g_autoptr(TdmMapping) mapping = NULL;
  g_autofree char *row_words = g_strdup_printf ("row %u of the %s table",
                                                tdm_mapping_get_rows (base, kind)->len + 1,
                                                tdm_kind_to_string (kind));
  g_autofree char *sentence = g_strdup_printf ("The Shopify %s property “%s” %s",
                                               tdm_kind_to_string (kind), property, words);

  rows[0] = row;
  rows[1] = NULL;
  mapping = mapping_with_rows (kind, rows, &error);
  if (mapping != NULL)
    {
      g_test_message ("Accepted: %s", row);
      g_test_fail ();
      return;
    }
  g_assert_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_MAPPING);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, row_words));
  g_assert_nonnull (strstr (error->message, sentence));
  if (reason != NULL)
    g_assert_nonnull (strstr (error->message, reason));
}

static const struct {
  TdmKind     kind;
  const char *row;
  const char *property;
  const char *words;
} dropped[] = {
  { TDM_KIND_CUSTOMER, "{\"webshop\": \"created\", \"shopify\": \"createdAt\", \"type\": \"DateTime\","
    " \"direction\": \"to_webshop\"}", "createdAt", "cannot be synced by Tandem yet" },
  { TDM_KIND_CUSTOMER, "{\"webshop\": \"display\", \"shopify\": \"displayName\", \"type\": \"String\","
    " \"direction\": \"to_webshop\"}", "displayName", "cannot be synced by Tandem yet" },
  { TDM_KIND_CUSTOMER, "{\"webshop\": \"verified\", \"shopify\": \"verifiedEmail\", \"type\": \"Boolean\","
    " \"direction\": \"to_webshop\"}", "verifiedEmail", "cannot be synced by Tandem yet" },
  { TDM_KIND_CUSTOMER, "{\"webshop\": \"state\", \"shopify\": \"state\", \"type\": \"String\","
    " \"direction\": \"both\"}", "state", "can only be read" },
  { TDM_KIND_PRODUCT, "{\"webshop\": \"seo_title\", \"shopify\": \"seo.title\", \"type\": \"String\","
    " \"direction\": \"both\"}", "seo.title", "cannot be synced by Tandem yet" },
  { TDM_KIND_PRODUCT, "{\"webshop\": \"template\", \"shopify\": \"templateSuffix\", \"type\": \"String\","
    " \"direction\": \"both\"}", "templateSuffix", "cannot be synced by Tandem yet" },
  { TDM_KIND_ORDER, "{\"webshop\": \"po\", \"shopify\": \"poNumber\", \"type\": \"String\","
    " \"direction\": \"both\"}", "poNumber", "cannot be synced by Tandem yet" },
  { TDM_KIND_ORDER, "{\"webshop\": \"closed_at\", \"shopify\": \"closedAt\","
    " \"type\": \"DateTime\", \"direction\": \"to_webshop\"}", "closedAt",
    "cannot be synced by Tandem yet" },
};

/* A row naming a Shopify property that Tandem does not read (or, for a row
 * sending data to Shopify, does not write, or that Shopify keeps
 * read-only) is refused, and the message names the row, the property and
 * why: every such property of the schema, and unknown ones. */
static void
test_unsupported_target_refused (void)
{
  const TdmPropertySchema *schema = tdm_shopify_property_schema ();
  guint n = 0;

  for (TdmKind kind = 0; kind < TDM_N_KINDS; kind++)
    {
      const char *synced_read = kind == TDM_KIND_PRODUCT ? "title" : "note";

      for (guint i = 0; schema->read[kind][i].path != NULL; i++)
        {
          const TdmPropertySpec *spec = &schema->read[kind][i];
          g_autofree char *row = NULL;

          if (spec->status == TDM_PROPERTY_NOT_SYNCED)
            {
              row = row_for (kind, spec->path, NULL, "to_webshop", n++);
              assert_refused (kind, row, spec->path, "cannot be synced by Tandem yet",
                              spec->reason);
            }
          else if (spec->status == TDM_PROPERTY_READ_ONLY)
            {
              row = row_for (kind, spec->path, NULL, "both", n++);
              assert_refused (kind, row, spec->path, "can only be read", spec->reason);
            }
        }
      for (guint i = 0; schema->write[kind][i].path != NULL; i++)
        {
          const TdmPropertySpec *spec = &schema->write[kind][i];
          const char *inner = strstr (spec->path, "[].");
          g_autofree char *read = NULL;
          g_autofree char *row = NULL;

          if (spec->status != TDM_PROPERTY_NOT_SYNCED)
            continue;
          /* A property Tandem reads, written to one it does not write. */
          if (inner != NULL)
            read = g_strdup (kind == TDM_KIND_PRODUCT ? "variants.nodes[].barcode"
                                                      : "shippingLines.nodes[].title");
          else
            read = g_strdup (synced_read);
          row = row_for (kind, read, spec->path, "both", n++);
          assert_refused (kind, row, spec->path, "cannot be synced by Tandem yet", spec->reason);
        }
    }

  g_assert_cmpuint (n, >=, 40);

  /* Rows the validator used to accept and the connector then dropped. */
  for (guint i = 0; i < G_N_ELEMENTS (dropped); i++)
    assert_refused (dropped[i].kind, dropped[i].row, dropped[i].property, dropped[i].words, NULL);

  /* Unknown properties, and a metafield other than Tandem's own. */
  assert_refused (TDM_KIND_CUSTOMER,
                  "{\"webshop\": \"email2\", \"shopify\": \"emial\", \"type\": \"Email\"}",
                  "emial", "cannot be synced by Tandem yet", "Check the spelling");
  assert_refused (TDM_KIND_PRODUCT,
                  "{\"webshop\": \"seller\", \"shopify\": \"vendor\", \"shopify_write\": \"vendorName\","
                  " \"type\": \"String\", \"name\": \"seller\"}",
                  "vendorName", "cannot be synced by Tandem yet", "Tandem does not write it");
  assert_refused (TDM_KIND_CUSTOMER,
                  "{\"webshop\": \"loyalty\", \"shopify\": \"note\", \"shopify_write\":"
                  " \"metafield:custom.loyalty\", \"type\": \"Int\", \"direction\": \"to_shopify\"}",
                  "metafield:custom.loyalty", "cannot be synced by Tandem yet", NULL);
}

int
main (int   argc,
      char *argv[])
{
  shopify_test_init (&argc, &argv);
  /* As the app does (TdmContext): rows are checked against this schema. */
  tdm_mapping_set_schema (TDM_SIDE_SHOPIFY, tdm_shopify_property_schema ());

  g_test_add ("/schema/every-read-target-selected", Fixture, NULL, fixture_setup,
              test_every_read_target_selected, fixture_teardown);
  g_test_add ("/schema/tax-exempt-round-trip", Fixture, NULL, fixture_setup,
              test_tax_exempt_round_trip, fixture_teardown);
  g_test_add_func ("/schema/unsupported-target-refused", test_unsupported_target_refused);
  return g_test_run ();
}
