/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#pragma once

#include "tdm-shopify-json.h"

G_BEGIN_DECLS

/* Readers of parsed Shopify JSON shared by the Shopify files
 * (tdm-shopify-json*.c, tdm-shopify-connector*.c); not for use outside
 * them. Each takes NULL, a missing member and one of another type
 * quietly: NULL, never a warning. */

JsonObject *_tdm_shopify_object  (JsonObject *object,
                                  const char *member);
JsonArray  *_tdm_shopify_array   (JsonObject *object,
                                  const char *member);
const char *_tdm_shopify_string  (JsonObject *object,
                                  const char *member);
/* Element i of an array when it is an object. */
JsonObject *_tdm_shopify_element (JsonArray  *array,
                                  guint       i);

/* An order's taxes and discounts in orderCreate (tdm-shopify-json-order.c).
 * OrderCreateTaxLineInput of each tax line of the write shape ({title,
 * rate, price}), adding their amounts (in millionths) to `sum`; NULL when
 * there are none. */
JsonArray  *_tdm_shopify_tax_lines_input          (JsonArray  *taxes,
                                                   const char *currency,
                                                   gint64     *sum);
/* The order-level tax line for the write shape's totalTax that the lines'
 * tax lines (`line_taxes`, millionths) do not hold, when there is any. */
void        _tdm_shopify_order_set_tax_remainder  (JsonObject *order,
                                                   JsonObject *write,
                                                   const char *currency,
                                                   gint64      line_taxes);
/* OrderCreateDiscountCodeInput for the write shape's discounts and
 * totalDiscounts, or NULL when the order has no discount. */
JsonObject *_tdm_shopify_order_discount_code_input (JsonObject *write,
                                                    const char *currency);

G_END_DECLS
