/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#pragma once

#include <glib.h>

#include "tdm-enums.h"   /* generated: TDM_TYPE_SIDE, TDM_TYPE_KIND, … */

G_BEGIN_DECLS

/* The two sides of every link. */
typedef enum {
  TDM_SIDE_WEBSHOP,
  TDM_SIDE_SHOPIFY,
} TdmSide;
#define TDM_N_SIDES 2

/* Record kinds, in dependency order: customers and products before orders. */
typedef enum {
  TDM_KIND_CUSTOMER,
  TDM_KIND_PRODUCT,
  TDM_KIND_ORDER,
} TdmKind;
#define TDM_N_KINDS 3

/* Direction of one mapping row, or of a whole kind ("sync-customers" etc.). */
typedef enum {
  TDM_DIRECTION_BOTH,
  TDM_DIRECTION_TO_SHOPIFY,
  TDM_DIRECTION_TO_WEBSHOP,
  TDM_DIRECTION_OFF,
} TdmDirection;

typedef enum {
  TDM_POLICY_NEWEST_WINS,
  TDM_POLICY_WEBSHOP_WINS,
  TDM_POLICY_SHOPIFY_WINS,
  TDM_POLICY_ASK,
} TdmConflictPolicy;

typedef enum {
  TDM_DELETE_KEEP,
  TDM_DELETE_PROPAGATE,
} TdmDeletePolicy;

const char   *tdm_side_to_string            (TdmSide            side);   /* "webshop" | "shopify" */
gboolean      tdm_side_from_string          (const char        *str,
                                             TdmSide           *out);
TdmSide       tdm_side_other                (TdmSide            side);
const char   *tdm_side_display_name         (TdmSide            side);   /* translated: "Webshop", "Shopify" */
const char   *tdm_kind_to_string            (TdmKind            kind);   /* "customer" | "product" | "order" */
gboolean      tdm_kind_from_string          (const char        *str,
                                             TdmKind           *out);
const char   *tdm_kind_display_name         (TdmKind            kind);   /* translated singular */
const char   *tdm_kind_display_plural       (TdmKind            kind);   /* translated plural: "Customers" */
const char   *tdm_direction_to_string       (TdmDirection       dir);    /* "both" | "to-shopify" | "to-webshop" | "off" */
gboolean      tdm_direction_from_string     (const char        *str,     /* also accepts "to_shopify" etc. */
                                             TdmDirection      *out);
gboolean      tdm_direction_allows          (TdmDirection       dir,     /* may data flow onto side TO? */
                                             TdmSide            to);
const char   *tdm_conflict_policy_to_string (TdmConflictPolicy  policy); /* "newest-wins" ... "ask" */
gboolean      tdm_conflict_policy_from_string (const char      *str,
                                               TdmConflictPolicy *out);
const char   *tdm_delete_policy_to_string   (TdmDeletePolicy    policy); /* "keep" | "propagate" */
gboolean      tdm_delete_policy_from_string (const char        *str,
                                             TdmDeletePolicy   *out);

G_END_DECLS
