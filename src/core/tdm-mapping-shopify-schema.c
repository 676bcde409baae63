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
  p ".provinceCode", p ".province", p ".zip", p ".countryCodeV2", p ".country", p ".phone", \
  p ".name"
#define ADDRESS_WRITE(p) \
  p ".firstName", p ".lastName", p ".company", p ".address1", p ".address2", p ".city", \
  p ".provinceCode", p ".zip", p ".countryCode", p ".phone"

static const char * const customer_read[] = {
  "id", "legacyResourceId", "updatedAt", "createdAt", "firstName", "lastName", "displayName",
  "note", "locale", "tags", "state", "taxExempt", "verifiedEmail", "numberOfOrders",
  "defaultEmailAddress.emailAddress", "defaultEmailAddress.marketingState",
  "defaultPhoneNumber.phoneNumber", "defaultPhoneNumber.marketingState",
  "addressesV2.nodes[]", ADDRESS_READ ("addressesV2.nodes[]"),
  "defaultAddress", ADDRESS_READ ("defaultAddress"),
  "webshopId.value",
  NULL
};

static const char * const customer_write[] = {
  "email", "phone", "firstName", "lastName", "locale", "note", "tags", "taxExempt",
  "emailMarketingState", "addresses[]", ADDRESS_WRITE ("addresses[]"),
  NULL
};

static const char * const product_read[] = {
  "id", "legacyResourceId", "handle", "updatedAt", "createdAt", "title", "descriptionHtml",
  "vendor", "productType", "status", "tags", "templateSuffix", "seo.title", "seo.description",
  "variants.nodes[]", "variants.nodes[].id", "variants.nodes[].title", "variants.nodes[].sku",
  "variants.nodes[].price", "variants.nodes[].compareAtPrice", "variants.nodes[].barcode",
  "variants.nodes[].inventoryQuantity", "variants.nodes[].selectedOptions",
  "variants.nodes[].taxable", "variants.nodes[].position",
  "variants.nodes[].inventoryItem.id", "variants.nodes[].inventoryItem.sku",
  "variants.nodes[].inventoryItem.measurement.weight",
  "variants.nodes[].priceExclVat.value",
  "webshopId.value",
  NULL
};

static const char * const product_write[] = {
  "title", "handle", "descriptionHtml", "vendor", "productType", "status", "tags",
  "templateSuffix", "seo.title", "seo.description",
  "variants[]", "variants[].sku", "variants[].price", "variants[].compareAtPrice",
  "variants[].barcode", "variants[].options", "variants[].weight", "variants[].inventoryQuantity",
  "variants[].priceExclVat", "variants[].taxable",
  NULL
};

static const char * const order_read[] = {
  "id", "legacyResourceId", "name", "updatedAt", "createdAt", "email", "phone", "note", "tags",
  "currencyCode", "processedAt", "cancelledAt", "closedAt", "cancelReason",
  "displayFinancialStatus", "displayFulfillmentStatus", "taxesIncluded", "sourceIdentifier",
  "sourceName", "poNumber", "test", "customer.id",
  "lineItems.nodes[]", "lineItems.nodes[].sku", "lineItems.nodes[].title",
  "lineItems.nodes[].quantity", "lineItems.nodes[].originalUnitPriceSet.shopMoney.amount",
  "lineItems.nodes[].variant.id",
  "lineItems.nodes[].variant.product.id", "lineItems.nodes[].vendor",
  "lineItems.nodes[].taxLines",
  "shippingLines.nodes[]", "shippingLines.nodes[].title",
  "shippingLines.nodes[].originalPriceSet.shopMoney.amount", "shippingLines.nodes[].code",
  "shippingLines.nodes[].taxLines",
  "discountApplications.nodes[]", "discountApplications.nodes[].code",
  "discountApplications.nodes[].value.amount",
  "subtotalPriceSet.shopMoney.amount", "totalTaxSet.shopMoney.amount",
  "totalPriceSet.shopMoney.amount", "totalShippingPriceSet.shopMoney.amount",
  "totalDiscountsSet.shopMoney.amount",
  "shippingAddress", ADDRESS_READ ("shippingAddress"),
  "billingAddress", ADDRESS_READ ("billingAddress"),
  "webshopId.value",
  NULL
};

static const char * const order_write[] = {
  "name", "email", "phone", "currency", "processedAt", "financialStatus", "fulfillmentStatus",
  "cancelledAt", "taxesIncluded", "totalTax", "note", "tags", "customerId", "sourceIdentifier", "poNumber",
  "lineItems[]", "lineItems[].sku", "lineItems[].title", "lineItems[].quantity",
  "lineItems[].unitPrice", "lineItems[].variantId", "lineItems[].taxLines",
  "shippingLines[]", "shippingLines[].title", "shippingLines[].price", "shippingLines[].code",
  "shippingLines[].taxLines", "discounts[]", "discounts[].code", "discounts[].amount",
  "totalDiscounts",
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
