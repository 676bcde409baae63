/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#pragma once

#include "tdm-property-schema.h"

G_BEGIN_DECLS

/* How a customer's or product's write carries a write property
 * (TdmPropertySpec.side_data of the Shopify schema's write tables). */
typedef enum {
  TDM_SHOPIFY_INPUT_NONE,     /* not carried (a property Tandem does not write) */
  TDM_SHOPIFY_INPUT_COPY,     /* the input member of the same name, the value as it is */
  TDM_SHOPIFY_INPUT_STRINGS,  /* the input member of the same name, a list of strings */
  TDM_SHOPIFY_INPUT_UPPER,    /* the input member of the same name, an enum value in capitals */
  TDM_SHOPIFY_INPUT_STEP,     /* a step of the kind's write of its own: a list, the email
                               * consent, stock levels, a metafield, an order's input */
} TdmShopifyInput;

/* The Shopify side's property schema: what the connector reads (its read
 * documents, graphql/fragment-*.graphql and bulk-*.graphql) and writes (its
 * mutation inputs), per kind (docs/mapping.md § Validation). The mapping
 * validates rows against it (tdm_mapping_set_schema()); the customerSet and
 * productSet inputs are built from it (tdm-shopify-json-write.c). Static. */
const TdmPropertySchema *tdm_shopify_property_schema (void);

G_END_DECLS
