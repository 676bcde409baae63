/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#pragma once

#include <json-glib/json-glib.h>
#include "tdm-types.h"
#include "tdm-record.h"

G_BEGIN_DECLS

/* Pure parsing and serialising for the Shopify Admin GraphQL API: no I/O. */

#define TDM_SHOPIFY_APP_NAMESPACE "$app:tandem"
#define TDM_SHOPIFY_WEBSHOP_ID_KEY "webshop_id"
#define TDM_SHOPIFY_PRICE_EXCL_VAT_KEY "price_excl_vat"

/* ---- extensions.cost ---- */

typedef struct {
  gboolean has_cost;        /* extensions.cost present */
  double   requested;       /* requestedQueryCost */
  double   actual;          /* actualQueryCost, -1 when null (throttled) */
  gboolean has_throttle;    /* throttleStatus present */
  double   maximum;         /* throttleStatus.maximumAvailable */
  double   available;       /* throttleStatus.currentlyAvailable */
  double   restore_rate;    /* throttleStatus.restoreRate (points per second) */
} TdmShopifyCost;

gboolean     tdm_shopify_parse_cost         (JsonObject     *root,
                                             TdmShopifyCost *out);

/* ---- The local leaky bucket (tdm-shopify-pacing.c) ---- */

/* Mirrors Shopify's bucket from the last throttleStatus; times in µs
 * (g_get_monotonic_time). Before the first response it knows nothing and
 * never makes a request wait. */
typedef struct {
  gboolean known;
  double   maximum;
  double   available;
  double   restore_rate;
  gint64   at_us;
  double   in_flight;   /* points taken by requests not answered yet */
} TdmShopifyBucket;

void         tdm_shopify_bucket_init        (TdmShopifyBucket     *bucket);
/* Points available at `now_us`, restored at the rate, capped at the maximum. */
double       tdm_shopify_bucket_available   (const TdmShopifyBucket *bucket,
                                             gint64                now_us);
/* How long to wait (µs) before a request of `cost` points can run; 0 = now.
 * A cost above the maximum waits for a full bucket. */
gint64       tdm_shopify_bucket_wait_us     (const TdmShopifyBucket *bucket,
                                             double                cost,
                                             gint64                now_us);
/* Take `cost` points now (optimistically, before the answer arrives). */
void         tdm_shopify_bucket_take        (TdmShopifyBucket     *bucket,
                                             double                cost,
                                             gint64                now_us);
/* A request that took `cost` points was answered (or failed): it no longer
 * counts as in flight. Call before tdm_shopify_bucket_update. */
void         tdm_shopify_bucket_settle      (TdmShopifyBucket     *bucket,
                                             double                cost);
/* Give back `cost` points taken for a request Shopify did not run (no
 * answer, a server error, an unreadable answer): the next request does not
 * wait for points that were never spent. */
void         tdm_shopify_bucket_refund      (TdmShopifyBucket     *bucket,
                                             double                cost,
                                             gint64                now_us);
/* Adopt the server's view from a response, minus what requests still in
 * flight will take (the server has not seen them yet). */
void         tdm_shopify_bucket_update      (TdmShopifyBucket     *bucket,
                                             const TdmShopifyCost *cost,
                                             gint64                now_us);
/* Wait after a THROTTLED answer: ceil((requested − available) / rate) s, in µs
 * (at least 1 s when nothing better is known). */
gint64       tdm_shopify_throttle_wait_us   (const TdmShopifyCost *cost);

/* ---- API versions ---- */

/* Days until the end of the minimum 12-month support of an API version
 * ("2026-10" is released 2026-10-01 and supported until at least
 * 2027-10-01), counted from `now`; negative when past. FALSE for a version
 * that is not "YYYY-MM" with MM in 01, 04, 07, 10 (e.g. "unstable"). The app
 * warns when fewer than 90 days are left. */
gboolean     tdm_shopify_api_version_days_left (const char *version,
                                                GDateTime  *now,
                                                gint64     *out_days);

/* ---- Top-level errors ---- */

typedef enum {
  TDM_SHOPIFY_ERRORS_NONE,
  TDM_SHOPIFY_ERRORS_THROTTLED,      /* extensions.code THROTTLED */
  TDM_SHOPIFY_ERRORS_ACCESS_DENIED,  /* ACCESS_DENIED: a scope is missing */
  TDM_SHOPIFY_ERRORS_INTERNAL,       /* INTERNAL_SERVER_ERROR: transient */
  TDM_SHOPIFY_ERRORS_OTHER,          /* syntax, cost too high, …: the request failed */
} TdmShopifyErrorsKind;

/* Classifies the top-level "errors" array of a GraphQL response and, when
 * there are errors, sets `error` (TDM_SYNC_ERROR_AUTH naming the scope for
 * ACCESS_DENIED, RATE_LIMITED, SERVER or INVALID_RESPONSE). */
TdmShopifyErrorsKind tdm_shopify_check_errors (JsonObject  *root,
                                               GError     **error);

/* The scope named in an access-denied error ("read_customers"), or NULL. */
char        *tdm_shopify_find_scope          (const char *text);

/* ---- Search syntax ---- */

/* The `query:` for changes since `since` (RFC 3339, may be NULL → NULL).
 * Customers: `updated_at:>='<day>T00:00:00Z'` (the customers filter matches
 * whole days); others `updated_at:>'<since>'`. */
char        *tdm_shopify_changed_query       (TdmKind     kind,
                                              const char *since);
/* `sku:"<sku>"` with quotes and backslashes escaped. */
char        *tdm_shopify_sku_query           (const char *sku);

/* ---- userErrors ---- */

/* The first userError's field path (tdm_shopify_field_path()), or NULL. */
char        *tdm_shopify_user_error_path     (JsonArray  *user_errors);

/* The first userError as a TdmRecordError and a GError (VALIDATION, or
 * DUPLICATE for TAKEN / DUPLICATED_METAFIELD_VALUE / HANDLE_NOT_UNIQUE),
 * built once. `field` is the field the record error names (the canonical
 * field where the caller resolved the userError's path, nullable: the
 * path itself); the message names it by `field_words` (its label in the
 * owner's words, nullable: as `field`). Returns FALSE when the array is
 * empty. */
gboolean     tdm_shopify_user_errors         (JsonArray       *user_errors,
                                              TdmKind          kind,
                                              const char      *record_label,
                                              const char      *record_id,
                                              const char      *field,
                                              const char      *field_words,
                                              TdmRecordError **out_record_error,
                                              GError         **error);

/* The userError field path ["input","variants","0","sku"] → "variants.0.sku". */
char        *tdm_shopify_field_path          (JsonArray *field);

/* ---- Write shapes → mutation input (tdm-shopify-json-write.c) ---- */

/* Customer write shape → CustomerSetInput: the members the Shopify
 * property schema writes (tdm-shopify-schema.c: email, phone, names,
 * locale, note, tags, taxExempt, addresses); members it does not write are
 * left out. `out_marketing_state` receives the upper-case
 * emailMarketingState (nullable), written by a consent update of its own. */
JsonObject  *tdm_shopify_customer_set_input  (JsonObject  *write,
                                              char       **out_marketing_state);
/* Consent input value for a desired state, or NULL when `current` already
 * matches (SUBSCRIBED, UNSUBSCRIBED, PENDING; NOT_SUBSCRIBED → UNSUBSCRIBED
 * unless current is NOT_SUBSCRIBED). */
const char  *tdm_shopify_consent_change      (const char *desired,
                                              const char *current);

/* Product write shape → ProductSetInput: the members the Shopify property
 * schema writes (title, handle, descriptionHtml, vendor, productType,
 * status, tags), productOptions built from the variants' options, variants
 * with optionValues, the schema's variant members (sku, prices, barcode),
 * and weight; never metafields, of the product or of a variant: they are
 * lists productSet would replace whole, deleting the shop's own (the
 * webshop_id link and the price_excl_vat variant metafield go by
 * metafieldsSet after the save). `out_quantities` receives one JSON object
 * per variant that carries inventoryQuantity: {"sku", "options" (array),
 * "quantity"}; `out_prices_excl` (nullable) one per variant that carries
 * priceExclVat: {"sku", "options", "value"}. */
JsonObject  *tdm_shopify_product_set_input   (JsonObject  *write,
                                              JsonArray  **out_quantities,
                                              JsonArray  **out_prices_excl);

/* Order write shape → OrderCreateOrderInput. `variant_ids` maps SKU → variant
 * GID (unresolved SKUs become custom lines with title and priceSet). */
JsonObject  *tdm_shopify_order_create_input  (JsonObject  *write,
                                              const char  *twin_id,
                                              const char  *shop_currency,
                                              GHashTable  *variant_ids);
/* The member of the order's write shape an OrderCreateOrderInput path
 * (a userError's, tdm_shopify_field_path()) was built from, where the
 * input names it otherwise: "customer.toAssociate.id" → "customerId",
 * "discountCode" → "discounts" (the webshop's discounts go as one code),
 * "taxLines.0.rate" → "totalTax" (the order-level tax line is what the
 * lines' tax lines leave of it); any other path as it is. NULL → NULL. */
const char  *tdm_shopify_order_input_source  (const char  *input_path);
/* Order write shape (a subset) → OrderInput for orderUpdate (email, phone,
 * note, tags, shippingAddress, webshop_id metafield). NULL when nothing of it
 * is writable through orderUpdate. */
JsonObject  *tdm_shopify_order_update_input  (JsonObject  *write,
                                              const char  *id,
                                              const char  *twin_id);

/* MailingAddressInput from a write-shape address (countryCode kept). */
JsonObject  *tdm_shopify_address_input       (JsonObject *address);

/* The webshop_id metafield input for metafieldsSet / inline metafields. */
JsonObject  *tdm_shopify_webshop_id_metafield (const char *owner_id,   /* nullable (inline) */
                                               const char *twin_id);

/* ---- Read helpers ---- */

/* webshopId.value of a node, or NULL. */
const char  *tdm_shopify_node_twin_id        (JsonObject *node);
const char  *tdm_shopify_node_string         (JsonObject *node,
                                              const char *path);  /* dot path, objects only */

/* ---- Bulk JSONL ---- */

/* Joins the lines of a bulk export into read-shape nodes: a root line starts
 * a node; a child line (with "__parentId") is appended to its parent's
 * connection (chosen by __typename: MailingAddress → addressesV2,
 * ProductVariant → variants, LineItem → lineItems, ShippingLine →
 * shippingLines, a DiscountApplication → discountApplications) as
 * {"nodes": [...]}, without __parentId/__typename.
 * Children follow their parent in the file. */
typedef struct _TdmShopifyBulkJoiner TdmShopifyBulkJoiner;

TdmShopifyBulkJoiner *tdm_shopify_bulk_joiner_new  (TdmKind kind);
void        tdm_shopify_bulk_joiner_free  (TdmShopifyBulkJoiner *joiner);
/* Feed one line. Returns a completed root node (transfer full) when this
 * line started a new root and the previous one is therefore complete, else
 * NULL. Malformed lines set `error`. */
JsonObject *tdm_shopify_bulk_joiner_push  (TdmShopifyBulkJoiner *joiner,
                                           const char           *line,
                                           GError              **error);
/* At end of input: the last root node, or NULL. */
JsonObject *tdm_shopify_bulk_joiner_finish (TdmShopifyBulkJoiner *joiner);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TdmShopifyBulkJoiner, tdm_shopify_bulk_joiner_free)

G_END_DECLS
