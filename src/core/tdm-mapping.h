/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#pragma once

#include <gio/gio.h>
#include "tdm-types.h"
#include "tdm-record.h"
#include "tdm-normalize.h"
#include "tdm-property-schema.h"

G_BEGIN_DECLS

/* Which writes a row takes part in (orders are mostly immutable). */
typedef enum {
  TDM_WRITABLE_ALWAYS,       /* "always" (default) */
  TDM_WRITABLE_CREATE_ONLY,  /* "create": written when the twin is created, then read-only */
  TDM_WRITABLE_NEVER,        /* "never": read-only; differences are shown, never written */
} TdmWritable;

/* One row of the table "webshop property / Shopify property / Shopify data type".
 *
 * JSON form (data/mappings/default.json):
 *   { "version": 1,
 *     "customer": [ { "webshop": "email",
 *                     "shopify": "defaultEmailAddress.emailAddress",
 *                     "shopify_write": "email",            (optional; default = shopify)
 *                     "type": "Email",
 *                     "direction": "both",                  (both | to_shopify | to_webshop)
 *                     "writable": "always",                 (optional: always | create | never)
 *                     "transform": "…",                     (optional, named transform)
 *                     "empty_overwrites": false,            (optional)
 *                     "unordered": false },                 (optional, lists only)
 *                   { "webshop": "addresses[]", "shopify": "addressesV2.nodes[]",
 *                     "shopify_write": "addresses[]", "type": "[MailingAddress]", … },
 *                   { "webshop": "addresses[].city", "shopify": "addressesV2.nodes[].city",
 *                     "shopify_write": "addresses[].city", "type": "String", … } ],
 *     "product": [ … ], "order": [ … ] }
 * Every row may carry a "label": the property in the shop owner's words
 * ("Email", "Shipping address"), written in English and translated when
 * shown (tdm_mapping_row_get_label).
 * Paths are dot paths; "[]" marks a list; a sub-row's paths start with its
 * list row's path. "metafield:$app:tandem.webshop_id" style Shopify paths name
 * app metafields. A sub-row without "direction"/"writable" takes its list's.
 *
 * Named transforms: identity (the record's id / its twin's id; such rows are
 * shown but are not canonical fields), status_upper (ACTIVE ⇄ active),
 * financial_status (PARTIALLY_PAID ⇄ partially_paid), fulfillment_status
 * (FULFILLED → fulfilled, PARTIALLY_FULFILLED → partial, else unfulfilled;
 * written as FULFILLED / PARTIAL / null), marketing_state (SUBSCRIBED ⇄ true,
 * any other state → false), weight_unit (kg ⇄ KILOGRAMS, g, lb, oz),
 * options_map ({"Size": "M"} ⇄ [{"name", "value"}]; Shopify's
 * Title/Default Title is no option), customer_ref / product_ref (Shopify GIDs
 * ⇄ webshop ids through the links, named by the engine with
 * tdm_mapping_resolve_references()), vat_exclusive (when the webshop
 * has no value: derived from the sibling "price" and TdmMapContext.vat_rate),
 * order_number (Shopify's name "#1001" ⇄ the webshop's number 1001; the
 * canonical value is "1001"), lines_subtotal (an order's subtotal before
 * discounts: on Shopify's side, whose subtotal is after discounts, the sum of
 * the canonical line_items' unit_price × quantity; as it is on the webshop's).
 *
 * Webshop products: a product without "variants" (or with an empty list) is
 * one variant made of its top-level sku, price, compare_at_price,
 * inventory_quantity, barcode, weight, weight_unit and price_excl_vat;
 * variants without a weight take the product's. Unmapped to the webshop, a
 * product with exactly one variant without options is written with those
 * top-level fields and no "variants". A Weight is {"value", "unit"} in
 * canonical form and on Shopify, and the two members "weight" (decimal
 * string) and "weight_unit" on the webshop. */
typedef struct {
  char          *name;           /* canonical key: webshop path without "[]" prefix parts,
                                  * e.g. "email", "addresses", "city" (for a sub-row) */
  char          *webshop;        /* webshop path */
  char          *shopify;        /* Shopify read path */
  char          *shopify_write;  /* Shopify write path */
  char          *type_name;      /* as written in the file */
  TdmValueType   type;
  TdmDirection   direction;
  TdmWritable    writable;
  char          *transform;      /* NULL or a named transform */
  gboolean       empty_overwrites;
  int            parent;         /* index of the list/object row this sub-row belongs to, or -1 */
  gboolean       unordered;      /* "unordered": true — a list compared as a set: its canonical
                                  * items are sorted (e.g. addresses, whose order Shopify does
                                  * not keep) */
} TdmMappingRow;

#define TDM_TYPE_MAPPING (tdm_mapping_get_type ())
G_DECLARE_FINAL_TYPE (TdmMapping, tdm_mapping, TDM, MAPPING, GObject)

/* The property schema of a side (its schema->side), against which loading
 * checks each row's properties on that side (docs/mapping.md § Validation):
 * the Shopify connector's, tdm_shopify_property_schema(). Core knows no
 * side's properties: whoever puts the connectors together hands the schema
 * over once, before the first mapping is loaded (TdmContext does for the
 * app). Without one, a side's paths are checked for their syntax only.
 * `schema` is static (never freed); NULL takes a side's schema back (tests). */
void                     tdm_mapping_set_schema (TdmSide                  side,
                                                 const TdmPropertySchema *schema);
const TdmPropertySchema *tdm_mapping_get_schema (TdmSide                  side);

/* The shipped default (data/mappings/default.json, compiled into the core library). */
TdmMapping  *tdm_mapping_new_default   (void);
/* A mapping file is a few kilobytes (the default one is 11 kB); a file
 * larger than this is refused before it is read. */
#define TDM_MAPPING_FILE_MAX_BYTES (1024 * 1024)

/* Errors (TDM_SYNC_ERROR_MAPPING) name the file, the kind, the row number
 * (1-based) and the problem: unknown Shopify property or type, duplicate
 * target, bad path, unknown direction; a file over
 * TDM_MAPPING_FILE_MAX_BYTES is refused unread. */
TdmMapping  *tdm_mapping_new_from_file (const char  *path,
                                        GError     **error);
TdmMapping  *tdm_mapping_new_from_data (const char  *data,
                                        gssize       length,
                                        const char  *source_name,  /* for messages */
                                        GError     **error);
char        *tdm_mapping_to_data       (TdmMapping  *self);        /* pretty JSON, same format */

/* Rows of one kind, top-level rows and sub-rows, in file order. */
GPtrArray   *tdm_mapping_get_rows      (TdmMapping  *self,
                                        TdmKind      kind);  /* transfer none, of TdmMappingRow* */
const TdmMappingRow *tdm_mapping_find_row (TdmMapping *self,
                                        TdmKind      kind,
                                        const char  *name);        /* top-level canonical name */

/* The row's label in the owner's words, translated: the row's "label", or
 * for a row without one its canonical name in words ("first_name" →
 * "First name"), never the raw key. `row` must be one of a TdmMapping's
 * rows. Never NULL (transfer none). */
const char  *tdm_mapping_row_get_label (const TdmMappingRow *row);

/* The other side's id carried by a native record, read through the kind's
 * identity rows (transform "identity"): the webshop record's `shopify_id`, or
 * the Shopify node's app metafield (webshopId.value). NULL when absent. */
char        *tdm_mapping_get_twin_id   (TdmMapping  *self,
                                        TdmKind      kind,
                                        TdmSide      side,
                                        JsonObject  *native);

/* The canonical name of a native path on `side` ("addresses[0].city" →
 * "addresses.first_name", Shopify's "firstName" → "first_name"), for errors
 * that name the field in the owner's words: the row of that path (webshop
 * path, Shopify write path or read path), else the top-level row of its
 * first segment, else the path itself. NULL for a NULL path. */
char        *tdm_mapping_field_for_path (TdmMapping *self,
                                         TdmKind     kind,
                                         TdmSide     side,
                                         const char *native_path);

/* References between kinds go through the links, which only the engine
 * knows: a connector maps a record without them, so a Shopify record's
 * reference holds the GID, and the engine names each reference as a side
 * does with tdm_mapping_resolve_references() (docs/sync.md § References).
 * A TdmRefResolveFunc returns the id of the record on the OTHER side linked
 * to (kind, from_side, id), or NULL when it is not linked (yet). */
typedef char *(*TdmRefResolveFunc) (TdmKind     kind,
                                    TdmSide     from_side,
                                    const char *id,
                                    gpointer    user_data);

typedef struct {
  const TdmNormalizeOptions *normalize;  /* may be NULL */
  const char                *vat_rate;   /* percent as decimal string for derived
                                          * price_excl_vat; may be NULL */
} TdmMapContext;

/* native → canonical `fields`. Values are normalized per row type. A value that
 * cannot be normalized is left out of the result and reported in `problems`
 * (TdmRecordError*, with field = canonical name); the rest of the record maps.
 * A Shopify reference keeps its GID as value ("gid://shopify/…"): canonical
 * references hold webshop ids once tdm_mapping_resolve_references() named
 * them for the webshop. */
JsonObject  *tdm_mapping_map_fields    (TdmMapping          *self,
                                        TdmKind              kind,
                                        TdmSide              side,
                                        JsonObject          *native,
                                        const TdmMapContext *context,
                                        GPtrArray           *problems);  /* nullable, of
                                                                          * TdmRecordError* */

/* canonical → the side's write shape. Only rows whose direction allows data
 * to flow onto `side` are written; with for_create FALSE also only rows with
 * writable = always. `only` restricts to these canonical names (NULL = all).
 * Returns NULL + TDM_SYNC_ERROR_VALIDATION naming the field when a reference
 * to write is not the side's own id (its record is not linked: see
 * tdm_mapping_resolve_references()). For the Shopify side the object uses the
 * shopify_write paths (e.g. {"email": …, "firstName": …, "addresses": [ … ]}). */
JsonObject  *tdm_mapping_unmap_fields  (TdmMapping          *self,
                                        TdmKind              kind,
                                        TdmSide              side,
                                        JsonObject          *fields,
                                        gboolean             for_create,
                                        const char * const  *only,
                                        GError             **error);

/* Canonical `fields` of `kind` with every reference (customer_ref and
 * product_ref rows, in lists and groups too) named as `side` names it, where
 * the two records are linked: `resolve` is asked for each reference that
 * holds the other side's id (a Shopify GID, or a webshop id), and a reference
 * it does not know keeps its value. The engine calls it with
 * TDM_SIDE_WEBSHOP on each record it reads (canonical references hold webshop
 * ids) and with the target side before each write. Returns a new reference
 * to `fields` when nothing changed, else a changed copy (an unordered list
 * whose items changed is sorted again). */
JsonObject  *tdm_mapping_resolve_references (TdmMapping        *self,
                                             TdmKind            kind,
                                             TdmSide            side,
                                             JsonObject        *fields,
                                             TdmRefResolveFunc  resolve,
                                             gpointer           user_data);

/* A copy of canonical `fields` with only the fields, and the members of list
 * items and groups, whose rows let data flow onto `to_side` (by direction;
 * writability is not considered). Identity rows and unmapped names are left
 * out. E.g. for the webshop, product variants lose inventory_quantity and
 * price_excl_vat. NULL → NULL. */
JsonObject  *tdm_mapping_filter_fields  (TdmMapping *self,
                                         TdmKind     kind,
                                         JsonObject *fields,
                                         TdmSide     to_side);

/* Can field `name` be written on `side`, at creation or on update? */
gboolean     tdm_mapping_field_writable (TdmMapping *self,
                                         TdmKind     kind,
                                         const char *name,
                                         TdmSide     side,
                                         gboolean    for_create);

G_END_DECLS
