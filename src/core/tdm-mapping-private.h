/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#pragma once

#include "tdm-mapping.h"

G_BEGIN_DECLS

/* Shared by the files of the mapping (tdm-mapping*.c); not for use outside
 * it. The format and its rules are described in docs/mapping.md. */

#define TDM_MAPPING_METAFIELD_PREFIX "metafield:"

/* The named transforms of the "transform" key (tdm-mapping.h lists what each
 * one does). */
typedef enum {
  TDM_TRANSFORM_NONE,
  TDM_TRANSFORM_IDENTITY,           /* the record's own id / its twin's id: not a canonical
                                     * field */
  TDM_TRANSFORM_STATUS_UPPER,       /* ACTIVE ⇄ active */
  TDM_TRANSFORM_FINANCIAL_STATUS,   /* PARTIALLY_PAID ⇄ partially_paid */
  TDM_TRANSFORM_FULFILLMENT_STATUS, /* FULFILLED → fulfilled, PARTIALLY_FULFILLED → partial,
                                     * anything else → unfulfilled */
  TDM_TRANSFORM_MARKETING_STATE,    /* SUBSCRIBED ⇄ true */
  TDM_TRANSFORM_WEIGHT_UNIT,        /* kg ⇄ KILOGRAMS … */
  TDM_TRANSFORM_OPTIONS_MAP,        /* {"Size": "M"} ⇄ [{"name": "Size", "value": "M"}] */
  TDM_TRANSFORM_CUSTOMER_REF,       /* a customer reference through the links */
  TDM_TRANSFORM_PRODUCT_REF,        /* a product reference through the links */
  TDM_TRANSFORM_VAT_EXCLUSIVE,      /* derived from the sibling "price" and the VAT rate
                                     * when absent */
  TDM_TRANSFORM_ORDER_NUMBER,       /* Shopify's name "#1001" ⇄ the webshop's number 1001 */
  TDM_TRANSFORM_LINES_SUBTOTAL,     /* Shopify's side: the order's lines before discounts
                                     * (unit_price × quantity), not its subtotal after them */
} TdmTransform;

/* A row of the mapping: its public part and what the conversions need. */
typedef struct {
  TdmMappingRow  row;            /* first: a TdmRow* is a TdmMappingRow* */
  TdmTransform   transform;
  char          *rel_webshop;    /* path relative to the parent row (or the full path) */
  char          *rel_shopify;
  char          *rel_write;
  gboolean       name_given;     /* "name" was in the file */
  char          *label;          /* "label" as in the file (English, translated when
                                  * shown), or NULL */
  char          *human_name;     /* the canonical name in words, when there is no label */
  GPtrArray     *children;       /* TdmRow*, not owned; for list and object rows */
} TdmRow;

struct _TdmMapping
{
  GObject    parent_instance;

  GPtrArray *rows[TDM_N_KINDS];   /* TdmRow*, owned */
};

/* ---- Rows (tdm-mapping.c) ---- */

void        _tdm_mapping_row_free          (TdmRow              *row);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TdmRow, _tdm_mapping_row_free)

gboolean    _tdm_mapping_row_is_identity   (const TdmRow        *row);
/* A list or group row (its members are sub-rows). */
gboolean    _tdm_mapping_row_is_container  (const TdmRow        *row);
/* The list or group row of a sub-row, or NULL. */
TdmRow     *_tdm_mapping_row_parent        (TdmMapping          *self,
                                            TdmKind              kind,
                                            const TdmRow        *row);
/* May data of this row flow onto `side` (its list row permitting)? */
gboolean    _tdm_mapping_row_allows        (TdmMapping          *self,
                                            TdmKind              kind,
                                            const TdmRow        *row,
                                            TdmSide              side);
/* Is the row written onto `side`, at creation or on update? */
gboolean    _tdm_mapping_row_writes        (TdmMapping          *self,
                                            TdmKind              kind,
                                            const TdmRow        *row,
                                            TdmSide              side,
                                            gboolean             for_create);

/* ---- Labels (tdm-mapping-labels.c) ---- */

/* The canonical name in words: "first_name" → "First name",
 * "compareAtPrice" → "Compare at price" (transfer full). */
char       *_tdm_mapping_humanize_name     (const char          *name);

/* ---- Values shared by both conversions (tdm-mapping.c) ---- */

JsonNode   *_tdm_mapping_string_node       (const char          *str);
/* The string of a string node, else NULL. */
const char *_tdm_mapping_node_string       (JsonNode            *node);
/* The kind a reference transform points to. */
TdmKind     _tdm_mapping_ref_kind          (TdmTransform         transform);
/* The items of an unordered list in canonical order (takes `array`;
 * tdm-mapping-read.c). */
JsonArray  *_tdm_mapping_sort_items        (JsonArray           *array);

/* ---- Dot paths (tdm-mapping-path.c) ---- */

/* A member of `object`, or NULL when absent (transfer none). */
JsonNode   *_tdm_mapping_member_node       (JsonObject          *object,
                                            const char          *name);
/* The segments of a dot path; a "metafield:ns.key" segment keeps its dot. */
GStrv       _tdm_mapping_split_path        (const char          *path);
/* A segment without its "[]" (transfer full). */
char       *_tdm_mapping_strip_list_marker (const char          *segment);
/* NULL when the path is well formed, else a translated description of what
 * is wrong (transfer full). */
char       *_tdm_mapping_check_path_syntax (const char          *path);
/* The node at `path` in `object` (transfer none), or NULL. */
JsonNode   *_tdm_mapping_get_path          (JsonObject          *object,
                                            const char          *path);
/* Sets `value` (transfer full) at `path`, creating objects on the way. */
void        _tdm_mapping_set_path          (JsonObject          *object,
                                            const char          *path,
                                            JsonNode            *value);
const char *_tdm_mapping_last_segment      (const char          *path);
/* The path relative to the parent's path, or NULL when it does not start
 * with it (transfer full). */
char       *_tdm_mapping_relative_path     (const char          *path,
                                            const char          *parent_path);
/* Does the path have a "[]" before its last segment? */
gboolean    _tdm_mapping_has_inner_list    (const char          *path);

/* ---- Rows against the Shopify side's property schema (tdm-mapping-schema.c) ---- */

/* NULL when the row's Shopify properties are ones the Shopify connector
 * reads and, for a row that sends data to Shopify, writes (the schema handed
 * over with tdm_mapping_set_schema(); none: every property passes), else
 * what is wrong and what to do (transfer full). */
char       *_tdm_mapping_check_shopify_row (TdmMapping          *self,
                                            TdmKind              kind,
                                            const TdmRow        *row);

G_END_DECLS
