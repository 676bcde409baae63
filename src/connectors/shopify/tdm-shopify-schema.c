/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-shopify"

#include "config.h"

#include "tdm-shopify-schema.h"

#include <glib/gi18n-lib.h>

/* The Shopify side's property schema (docs/mapping.md § Validation): per
 * kind, the Shopify properties Tandem reads (the dot paths of the read
 * fragments, graphql/fragment-*.graphql, selected as well by the bulk
 * queries, graphql/bulk-*.graphql) and the members of the write shape it
 * sends (customerSet, productSet, orderCreate / orderUpdate). A property
 * Shopify only lets apps read is READ_ONLY; one Tandem knows but does not
 * sync is NOT_SYNCED, with the reason the mapping's validation gives.
 *
 * Keep this in step with the documents: tests/shopify/test-shopify-schema.c
 * checks that every property accepted here is selected by every read of
 * its kind and round-trips through the fake Shopify (a new one needs a
 * value there), and that a READ_ONLY or NOT_SYNCED one is refused. */

/* ---- Reasons ---- */

static const char set_by_shopify[] = N_("Shopify sets it itself");
static const char link_id[] = N_("Tandem writes it itself, as the link to the webshop record");
static const char customer_state[] =
  N_("Shopify sets a customer's account state when the customer is invited or creates an "
     "account; apps can only read it");
static const char not_read[] = N_("Tandem does not read it from Shopify");
static const char not_written[] = N_("Tandem does not send it to Shopify");
static const char default_address[] =
  N_("Tandem reads a customer's addresses as the list “addressesV2.nodes[]”; map that list "
     "instead");
static const char address_codes[] =
  N_("Tandem reads the codes “provinceCode” and “countryCodeV2”; map those instead");
static const char address_name[] =
  N_("Shopify makes it from the first and last name; map those instead");
static const char variant_title[] =
  N_("Shopify makes a variant's title from its options; map “variants.nodes[].selectedOptions” "
     "instead");
static const char inventory_sku[] =
  N_("Tandem reads a variant's SKU as “variants.nodes[].sku”; map that instead");

/* ---- Entries ---- */

#define SYNCED(p)           { p, TDM_PROPERTY_SYNCED, NULL, TDM_SHOPIFY_INPUT_NONE }
#define READ_ONLY(p, why)   { p, TDM_PROPERTY_READ_ONLY, why, TDM_SHOPIFY_INPUT_NONE }
#define NOT_SYNCED(p, why)  { p, TDM_PROPERTY_NOT_SYNCED, why, TDM_SHOPIFY_INPUT_NONE }
#define WRITTEN(p, how)     { p, TDM_PROPERTY_SYNCED, NULL, TDM_SHOPIFY_INPUT_##how }
#define END                 { NULL, 0, NULL, 0 }

/* A MailingAddress as the fragments read it (`p` is its path). */
#define ADDRESS_READ(p) \
  SYNCED (p ".firstName"), SYNCED (p ".lastName"), SYNCED (p ".company"), \
  SYNCED (p ".address1"), SYNCED (p ".address2"), SYNCED (p ".city"), \
  SYNCED (p ".provinceCode"), SYNCED (p ".zip"), SYNCED (p ".countryCodeV2"), \
  SYNCED (p ".phone"), \
  NOT_SYNCED (p ".province", address_codes), NOT_SYNCED (p ".country", address_codes), \
  NOT_SYNCED (p ".name", address_name)
/* A MailingAddressInput. */
#define ADDRESS_WRITE(p, how) \
  WRITTEN (p ".firstName", how), WRITTEN (p ".lastName", how), WRITTEN (p ".company", how), \
  WRITTEN (p ".address1", how), WRITTEN (p ".address2", how), WRITTEN (p ".city", how), \
  WRITTEN (p ".provinceCode", how), WRITTEN (p ".zip", how), \
  WRITTEN (p ".countryCode", how), WRITTEN (p ".phone", how)

/* ---- Customers ---- */

static const TdmPropertySpec customer_read[] = {
  READ_ONLY ("id", set_by_shopify),
  READ_ONLY ("legacyResourceId", set_by_shopify),
  READ_ONLY ("updatedAt", set_by_shopify),
  NOT_SYNCED ("createdAt", not_read),
  SYNCED ("firstName"),
  SYNCED ("lastName"),
  NOT_SYNCED ("displayName", not_read),
  SYNCED ("note"),
  SYNCED ("locale"),
  SYNCED ("tags"),
  READ_ONLY ("state", customer_state),
  SYNCED ("taxExempt"),
  NOT_SYNCED ("verifiedEmail", not_read),
  NOT_SYNCED ("numberOfOrders", not_read),
  SYNCED ("defaultEmailAddress.emailAddress"),
  SYNCED ("defaultEmailAddress.marketingState"),
  SYNCED ("defaultPhoneNumber.phoneNumber"),
  NOT_SYNCED ("defaultPhoneNumber.marketingState", not_read),
  SYNCED ("addressesV2.nodes[]"),
  ADDRESS_READ ("addressesV2.nodes[]"),
  NOT_SYNCED ("defaultAddress", default_address),
  NOT_SYNCED ("defaultAddress.firstName", default_address),
  NOT_SYNCED ("defaultAddress.lastName", default_address),
  NOT_SYNCED ("defaultAddress.company", default_address),
  NOT_SYNCED ("defaultAddress.address1", default_address),
  NOT_SYNCED ("defaultAddress.address2", default_address),
  NOT_SYNCED ("defaultAddress.city", default_address),
  NOT_SYNCED ("defaultAddress.provinceCode", default_address),
  NOT_SYNCED ("defaultAddress.zip", default_address),
  NOT_SYNCED ("defaultAddress.countryCodeV2", default_address),
  NOT_SYNCED ("defaultAddress.phone", default_address),
  READ_ONLY ("webshopId.value", link_id),
  END
};

static const TdmPropertySpec customer_write[] = {
  WRITTEN ("email", COPY),
  WRITTEN ("phone", COPY),
  WRITTEN ("firstName", COPY),
  WRITTEN ("lastName", COPY),
  WRITTEN ("locale", COPY),
  WRITTEN ("note", COPY),
  WRITTEN ("tags", STRINGS),
  WRITTEN ("taxExempt", COPY),
  WRITTEN ("emailMarketingState", STEP),   /* customerEmailMarketingConsentUpdate */
  WRITTEN ("addresses[]", STEP),
  ADDRESS_WRITE ("addresses[]", COPY),
  END
};

/* ---- Products ---- */

static const TdmPropertySpec product_read[] = {
  READ_ONLY ("id", set_by_shopify),
  READ_ONLY ("legacyResourceId", set_by_shopify),
  SYNCED ("handle"),
  READ_ONLY ("updatedAt", set_by_shopify),
  NOT_SYNCED ("createdAt", not_read),
  SYNCED ("title"),
  SYNCED ("descriptionHtml"),
  SYNCED ("vendor"),
  SYNCED ("productType"),
  SYNCED ("status"),
  SYNCED ("tags"),
  NOT_SYNCED ("templateSuffix", not_read),
  NOT_SYNCED ("seo.title", not_read),
  NOT_SYNCED ("seo.description", not_read),
  SYNCED ("variants.nodes[]"),
  READ_ONLY ("variants.nodes[].id", set_by_shopify),
  NOT_SYNCED ("variants.nodes[].title", variant_title),
  SYNCED ("variants.nodes[].sku"),
  SYNCED ("variants.nodes[].price"),
  SYNCED ("variants.nodes[].compareAtPrice"),
  SYNCED ("variants.nodes[].barcode"),
  SYNCED ("variants.nodes[].inventoryQuantity"),
  SYNCED ("variants.nodes[].selectedOptions"),
  NOT_SYNCED ("variants.nodes[].taxable", not_read),
  NOT_SYNCED ("variants.nodes[].position", not_read),
  READ_ONLY ("variants.nodes[].inventoryItem.id", set_by_shopify),
  NOT_SYNCED ("variants.nodes[].inventoryItem.sku", inventory_sku),
  SYNCED ("variants.nodes[].inventoryItem.measurement.weight"),
  SYNCED ("variants.nodes[].priceExclVat.value"),
  READ_ONLY ("webshopId.value", link_id),
  END
};

static const TdmPropertySpec product_write[] = {
  WRITTEN ("title", COPY),
  WRITTEN ("handle", COPY),
  WRITTEN ("descriptionHtml", COPY),
  WRITTEN ("vendor", COPY),
  WRITTEN ("productType", COPY),
  WRITTEN ("status", UPPER),
  WRITTEN ("tags", STRINGS),
  NOT_SYNCED ("templateSuffix", not_written),
  NOT_SYNCED ("seo.title", not_written),
  NOT_SYNCED ("seo.description", not_written),
  WRITTEN ("variants[]", STEP),            /* productOptions and variants */
  WRITTEN ("variants[].sku", COPY),
  WRITTEN ("variants[].price", COPY),
  WRITTEN ("variants[].compareAtPrice", COPY),
  WRITTEN ("variants[].barcode", COPY),
  WRITTEN ("variants[].options", STEP),    /* optionValues */
  WRITTEN ("variants[].weight", STEP),     /* inventoryItem.measurement.weight */
  WRITTEN ("variants[].inventoryQuantity", STEP),  /* inventorySetQuantities */
  WRITTEN ("variants[].priceExclVat", STEP),       /* the price_excl_vat metafield */
  NOT_SYNCED ("variants[].taxable", not_written),
  END
};

/* ---- Orders ---- */

static const TdmPropertySpec order_read[] = {
  READ_ONLY ("id", set_by_shopify),
  READ_ONLY ("legacyResourceId", set_by_shopify),
  SYNCED ("name"),
  READ_ONLY ("updatedAt", set_by_shopify),
  NOT_SYNCED ("createdAt", not_read),
  SYNCED ("email"),
  SYNCED ("phone"),
  SYNCED ("note"),
  SYNCED ("tags"),
  SYNCED ("currencyCode"),
  SYNCED ("processedAt"),
  SYNCED ("cancelledAt"),
  NOT_SYNCED ("closedAt", not_read),
  NOT_SYNCED ("cancelReason", not_read),
  SYNCED ("displayFinancialStatus"),
  SYNCED ("displayFulfillmentStatus"),
  SYNCED ("taxesIncluded"),
  SYNCED ("sourceIdentifier"),
  NOT_SYNCED ("sourceName", not_read),
  NOT_SYNCED ("poNumber", not_read),
  NOT_SYNCED ("test", not_read),
  SYNCED ("customer.id"),
  SYNCED ("lineItems.nodes[]"),
  SYNCED ("lineItems.nodes[].sku"),
  SYNCED ("lineItems.nodes[].title"),
  SYNCED ("lineItems.nodes[].quantity"),
  SYNCED ("lineItems.nodes[].originalUnitPriceSet.shopMoney.amount"),
  SYNCED ("lineItems.nodes[].variant.id"),
  SYNCED ("lineItems.nodes[].variant.product.id"),
  NOT_SYNCED ("lineItems.nodes[].vendor", not_read),
  SYNCED ("lineItems.nodes[].taxLines"),
  SYNCED ("shippingLines.nodes[]"),
  SYNCED ("shippingLines.nodes[].title"),
  SYNCED ("shippingLines.nodes[].originalPriceSet.shopMoney.amount"),
  NOT_SYNCED ("shippingLines.nodes[].code", not_read),
  SYNCED ("shippingLines.nodes[].taxLines"),
  SYNCED ("discountApplications.nodes[]"),
  SYNCED ("discountApplications.nodes[].code"),
  SYNCED ("discountApplications.nodes[].value.amount"),
  SYNCED ("subtotalPriceSet.shopMoney.amount"),
  SYNCED ("totalTaxSet.shopMoney.amount"),
  SYNCED ("totalPriceSet.shopMoney.amount"),
  SYNCED ("totalShippingPriceSet.shopMoney.amount"),
  SYNCED ("totalDiscountsSet.shopMoney.amount"),
  SYNCED ("shippingAddress"),
  ADDRESS_READ ("shippingAddress"),
  SYNCED ("billingAddress"),
  ADDRESS_READ ("billingAddress"),
  READ_ONLY ("webshopId.value", link_id),
  END
};

/* The order's own input builders carry these (tdm_shopify_order_create_input,
 * tdm_shopify_order_update_input, orderCancel and orderMarkAsPaid). */
static const TdmPropertySpec order_write[] = {
  WRITTEN ("name", STEP),
  WRITTEN ("email", STEP),
  WRITTEN ("phone", STEP),
  WRITTEN ("currency", STEP),
  WRITTEN ("processedAt", STEP),
  WRITTEN ("financialStatus", STEP),
  WRITTEN ("fulfillmentStatus", STEP),
  WRITTEN ("cancelledAt", STEP),
  WRITTEN ("taxesIncluded", STEP),
  WRITTEN ("totalTax", STEP),
  WRITTEN ("note", STEP),
  WRITTEN ("tags", STEP),
  WRITTEN ("customerId", STEP),
  WRITTEN ("sourceIdentifier", STEP),
  NOT_SYNCED ("poNumber", not_written),
  WRITTEN ("lineItems[]", STEP),
  WRITTEN ("lineItems[].sku", STEP),
  WRITTEN ("lineItems[].title", STEP),
  WRITTEN ("lineItems[].quantity", STEP),
  WRITTEN ("lineItems[].unitPrice", STEP),
  WRITTEN ("lineItems[].variantId", STEP),
  WRITTEN ("lineItems[].taxLines", STEP),
  WRITTEN ("shippingLines[]", STEP),
  WRITTEN ("shippingLines[].title", STEP),
  WRITTEN ("shippingLines[].price", STEP),
  NOT_SYNCED ("shippingLines[].code", not_written),
  WRITTEN ("shippingLines[].taxLines", STEP),
  WRITTEN ("discounts[]", STEP),
  WRITTEN ("discounts[].code", STEP),
  WRITTEN ("discounts[].amount", STEP),
  WRITTEN ("totalDiscounts", STEP),
  WRITTEN ("shippingAddress", STEP),
  ADDRESS_WRITE ("shippingAddress", STEP),
  WRITTEN ("billingAddress", STEP),
  ADDRESS_WRITE ("billingAddress", STEP),
  END
};

/* ---- The schema ---- */

static const TdmPropertySchema shopify_schema = {
  TDM_SIDE_SHOPIFY,
  { customer_read, product_read, order_read },
  { customer_write, product_write, order_write },
};

const TdmPropertySchema *
tdm_shopify_property_schema (void)
{
  return &shopify_schema;
}
