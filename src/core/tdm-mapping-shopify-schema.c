/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-mapping"

#include "config.h"

#include "tdm-mapping-private.h"

#include <string.h>

/* The Shopify side's property schema: the properties of each kind that
 * Tandem can read (the paths of its GraphQL queries) and write (the members
 * of its mutation inputs). Loading a mapping refuses a row whose Shopify
 * property is in neither (docs/mapping.md, Validation).
 *
 * This is knowledge of the Shopify connector kept in core for now; a later
 * step moves it behind the connector (each side's schema living with its
 * connector). It must stay free of connector includes until then. */

/* ---- Properties per kind ---- */

#define ADDRESS_READ(p) \
  p ".firstName", p ".lastName", p ".company", p ".address1", p ".address2", p ".city", \
  p ".provinceCode", p ".zip", p ".countryCodeV2", p ".phone"
#define ADDRESS_WRITE(p) \
  p ".firstName", p ".lastName", p ".company", p ".address1", p ".address2", p ".city", \
  p ".provinceCode", p ".zip", p ".countryCode", p ".phone"

static const char * const customer_read[] = {
  "id", "legacyResourceId", "updatedAt", "firstName", "lastName", "note", "locale", "tags",
  "taxExempt", "defaultEmailAddress.emailAddress", "defaultEmailAddress.marketingState",
  "defaultPhoneNumber.phoneNumber",
  "addressesV2.nodes[]", ADDRESS_READ ("addressesV2.nodes[]"),
  "webshopId.value",
  NULL
};

static const char * const customer_write[] = {
  "email", "phone", "firstName", "lastName", "locale", "note", "tags", "taxExempt",
  "emailMarketingState", "addresses[]", ADDRESS_WRITE ("addresses[]"),
  NULL
};

static const char * const product_read[] = {
  "id", "legacyResourceId", "handle", "updatedAt", "title", "descriptionHtml",
  "vendor", "productType", "status", "tags",
  "variants.nodes[]", "variants.nodes[].id", "variants.nodes[].sku",
  "variants.nodes[].price", "variants.nodes[].compareAtPrice", "variants.nodes[].barcode",
  "variants.nodes[].inventoryQuantity", "variants.nodes[].selectedOptions",
  "variants.nodes[].inventoryItem.id",
  "variants.nodes[].inventoryItem.measurement.weight",
  "variants.nodes[].priceExclVat.value",
  "webshopId.value",
  NULL
};

static const char * const product_write[] = {
  "title", "descriptionHtml", "vendor", "productType", "status", "tags",
  "variants[]", "variants[].sku", "variants[].price", "variants[].compareAtPrice",
  "variants[].barcode", "variants[].options", "variants[].weight", "variants[].inventoryQuantity",
  "variants[].priceExclVat",
  NULL
};

static const char * const order_read[] = {
  "id", "legacyResourceId", "name", "updatedAt", "email", "phone", "note", "tags",
  "currencyCode", "processedAt", "cancelledAt",
  "displayFinancialStatus", "displayFulfillmentStatus", "taxesIncluded", "sourceIdentifier",
  "customer.id",
  "lineItems.nodes[]", "lineItems.nodes[].sku", "lineItems.nodes[].title",
  "lineItems.nodes[].quantity", "lineItems.nodes[].originalUnitPriceSet.shopMoney.amount",
  "lineItems.nodes[].variant.id",
  "lineItems.nodes[].variant.product.id",
  "shippingLines.nodes[]", "shippingLines.nodes[].title",
  "shippingLines.nodes[].originalPriceSet.shopMoney.amount",
  "subtotalPriceSet.shopMoney.amount", "totalTaxSet.shopMoney.amount",
  "totalPriceSet.shopMoney.amount",
  "shippingAddress", ADDRESS_READ ("shippingAddress"),
  "billingAddress", ADDRESS_READ ("billingAddress"),
  "webshopId.value",
  NULL
};

static const char * const order_write[] = {
  "name", "email", "phone", "currency", "processedAt", "financialStatus", "fulfillmentStatus",
  "cancelledAt", "taxesIncluded", "totalTax", "note", "tags", "customerId", "sourceIdentifier",
  "lineItems[]", "lineItems[].sku", "lineItems[].title", "lineItems[].quantity",
  "lineItems[].unitPrice", "lineItems[].variantId",
  "shippingLines[]", "shippingLines[].title", "shippingLines[].price",
  "shippingAddress", ADDRESS_WRITE ("shippingAddress"),
  "billingAddress", ADDRESS_WRITE ("billingAddress"),
  NULL
};

static const char * const * const shopify_read_props[TDM_N_KINDS] = {
  customer_read, product_read, order_read,
};
static const char * const * const shopify_write_props[TDM_N_KINDS] = {
  customer_write, product_write, order_write,
};

/* ---- Lookups ---- */

static gboolean
known_property (const char * const *table,
                const char         *path)
{
  g_assert (table != NULL);
  g_assert (path != NULL);

  if (g_str_has_prefix (path, TDM_MAPPING_METAFIELD_PREFIX))
    return TRUE;
  for (guint i = 0; table[i] != NULL; i++)
    if (strcmp (table[i], path) == 0)
      return TRUE;
  return FALSE;
}

gboolean
_tdm_mapping_shopify_can_read (TdmKind     kind,
                               const char *path)
{
  g_return_val_if_fail ((guint) kind < TDM_N_KINDS, FALSE);

  return known_property (shopify_read_props[kind], path);
}

gboolean
_tdm_mapping_shopify_can_write (TdmKind     kind,
                                const char *path)
{
  g_return_val_if_fail ((guint) kind < TDM_N_KINDS, FALSE);

  return known_property (shopify_write_props[kind], path);
}

const char * const *
_tdm_mapping_shopify_read_properties (TdmKind kind)
{
  g_return_val_if_fail ((guint) kind < TDM_N_KINDS, NULL);

  return shopify_read_props[kind];
}

const char * const *
_tdm_mapping_shopify_write_properties (TdmKind kind)
{
  g_return_val_if_fail ((guint) kind < TDM_N_KINDS, NULL);

  return shopify_write_props[kind];
}
