/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#pragma once

#include "tdm-fake-webshop.h"
#include "tdm-fake-shopify.h"

G_BEGIN_DECLS

/* Deterministic demo data for the sandbox and for tests: a Norwegian shop
 * selling knitwear in NOK. The same sizes and seed always give the same
 * records (ids, timestamps and all).
 *
 * What it makes, with the default sizes:
 *   webshop: 300 customers (names with æøå, addresses in NO/SE/DK/DE),
 *            100 products (60 % with 2–4 variants, SKUs), 300 orders
 *            referring to those customers and products;
 *   Shopify: 120 of the webshop's customers (same email; some with another
 *            phone or a different last name, for first-link decisions),
 *            40 Shopify-only customers, 50 of the products (same SKUs),
 *            15 Shopify-only products, 30 Shopify-only orders;
 *   problems on purpose: 3 webshop customers with an invalid email, 2
 *            webshop products without SKU, 1 Shopify customer with an
 *            unparseable phone number. */
typedef struct {
  guint   customers;          /* webshop customers */
  guint   products;           /* webshop products */
  guint   orders;             /* webshop orders */
  guint   shared_customers;   /* of the webshop's, also in Shopify */
  guint   shopify_customers;  /* only in Shopify */
  guint   shared_products;
  guint   shopify_products;
  guint   shopify_orders;
  guint32 seed;
} TdmSandboxSizes;

/* The defaults above (seed 2026). */
void     tdm_sandbox_sizes_init_default (TdmSandboxSizes *sizes);

/* Fills the fakes; `shopify` may be NULL (webshop only). `sizes` NULL = the
 * defaults. Returns FALSE only on a programming error (sizes that do not
 * fit: more shared than existing records). */
gboolean tdm_sandbox_seed               (TdmFakeWebshop        *webshop,
                                         TdmFakeShopify        *shopify,
                                         const TdmSandboxSizes *sizes);

/* The made-up credentials the sandbox uses (not secrets). */
#define TDM_SANDBOX_WEBSHOP_TOKEN          "sandbox-webshop-token-not-a-secret"
#define TDM_SANDBOX_SHOPIFY_CLIENT_ID      "sandbox-client-id"
#define TDM_SANDBOX_SHOPIFY_CLIENT_SECRET  "sandbox-client-secret-not-a-secret"

G_END_DECLS
