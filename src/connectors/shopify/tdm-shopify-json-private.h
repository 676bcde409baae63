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

G_END_DECLS
