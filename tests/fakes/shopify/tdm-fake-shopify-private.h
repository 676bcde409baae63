/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#pragma once

#include <libsoup/soup.h>

#include "tdm-fake-shopify.h"
#include "tdm-record.h"

G_BEGIN_DECLS

/* Shared by the files of the fake Shopify (tdm-fake-shopify*.c); not for use
 * outside it. What it imitates is docs/shopify.md; how the tests use it is
 * docs/testing.md, The fakes.
 *
 *   tdm-fake-shopify.c             the GObject, start, routing of requests
 *   tdm-fake-shopify-json.c        JSON helpers, connections, userErrors
 *   tdm-fake-shopify-records.c     stored nodes: ids, lookups, insert, inputs
 *   tdm-fake-shopify-index.c       hash indexes of the nodes for the lookups
 *   tdm-fake-shopify-cost.c        query cost and the leaky bucket
 *   tdm-fake-shopify-graphql.c     one GraphQL request: auth, cost, dispatch
 *   tdm-fake-shopify-read.c        listings, reads by id, counts, events, shop
 *   tdm-fake-shopify-customers.c   customerSet, consent, customerDelete
 *   tdm-fake-shopify-products.c    productSet, variants and their paging,
 *                                  archive, variants by SKU
 *   tdm-fake-shopify-inventory.c   inventorySetQuantities, locations
 *   tdm-fake-shopify-orders.c      orderCreate, orderUpdate, cancel, paid
 *   tdm-fake-shopify-metafields.c  metafieldsSet, metafield definitions
 *   tdm-fake-shopify-bulk.c        bulk operations and their JSONL export
 *   tdm-fake-shopify-bulk-mutation.c  staged uploads and bulk mutations
 *   tdm-fake-shopify-token.c       the client-credentials token exchange
 *   tdm-fake-shopify-faults.c      injected faults and how answers are sent
 *   tdm-fake-shopify-log.c         the request log
 *   tdm-fake-shopify-control.c     what tests set and read (the public API) */

#define APP_NAMESPACE_RESOLVED "app--424242--tandem"
#define LOCATION_ID "gid://shopify/Location/1"

/* What the indexes of tdm-fake-shopify-index.c find nodes by; the first
 * two are per kind (FAKE_INDEX_ID + kind). Variant keys find products. */
typedef enum {
  FAKE_INDEX_ID = 0,
  FAKE_INDEX_CUSTOM_ID = FAKE_INDEX_ID + TDM_N_KINDS,
  FAKE_INDEX_EMAIL = FAKE_INDEX_CUSTOM_ID + TDM_N_KINDS,   /* without case */
  FAKE_INDEX_PHONE,                                         /* without case */
  FAKE_INDEX_HANDLE,
  FAKE_INDEX_SKU,
  FAKE_INDEX_VARIANT_ID,
  FAKE_INDEX_INVENTORY_ITEM,
  FAKE_N_INDEXES
} FakeIndex;

struct _TdmFakeShopify
{
  GObject      parent_instance;

  SoupServer  *server;
  char        *url;

  char        *client_id;
  char        *client_secret;
  char        *static_token;
  guint        token_lifetime;
  GHashTable  *tokens;          /* token → gint64* expiry (real time, µs) */
  guint        tokens_issued;
  GHashTable  *denied;          /* operation → scope */
  guint        deny_status;
  gboolean     development;

  GPtrArray   *records[TDM_N_KINDS];   /* JsonObject* in creation order */
  GHashTable  *index[FAKE_N_INDEXES];  /* key → GPtrArray of nodes, see -index.c */
  GHashTable  *index_keys;             /* node → GPtrArray of its keys */
  GHashTable  *index_dirty;            /* node → kind + 1: marked since the last lookup */
  GHashTable  *index_held;             /* node → kind + 1: marked in this operation */
  gboolean     index_check;            /* TDM_FAKE_CHECK_INDEXES=1 */
  guint64      next_id;

  double       bucket_size;
  double       restore_rate;
  double       time_scale;
  double       available;
  gint64       bucket_at;
  guint        throttle_status;

  GHashTable  *faults;          /* request number → fault */
  guint        fault_delay_ms;
  guint64      request_total;

  GPtrArray   *log;
  gboolean     logging;
  guint        throttled;
  double       requested_total;
  double       actual_total;

  GHashTable  *definitions;     /* "OWNER/ns/key" → GID */
  GPtrArray   *events;          /* JsonObject*: BasicEvent of deleted products */
  GHashTable  *idempotency;     /* key → input JSON */
  GPtrArray   *bulk_ops;        /* FakeBulkOp* */
  guint        bulk_polls;
  GHashTable  *staged;          /* staged upload key → GBytes* uploaded (NULL: not yet) */
  guint        staged_uploads;  /* files uploaded */
  guint        bulk_mutation_lines;
  gboolean     bulk_mutation_busy;
  guint        stall_ms[3];     /* TdmFakeShopifyBulkStall → ms */
  guint64      next_order_number;
  GHashTable  *shop_metafields; /* owner GID → GHashTable "namespace.key" → value: the
                                 * shop's own metafields, which Tandem never reads */
};

/* One GraphQL operation being answered (see tdm-fake-shopify-graphql.c). */
typedef struct {
  TdmFakeShopify *self;
  const char     *op;
  JsonObject     *vars;
  JsonObject     *data;      /* the "data" object being built */
  JsonArray      *errors;    /* top-level errors, or NULL */
  double          actual;
} FakeCall;

/* An operation handler may rely on this when it starts. */
static inline gboolean
fake_call_is_ready (FakeCall *call)
{
  return call != NULL && TDM_IS_FAKE_SHOPIFY (call->self) && call->op != NULL
         && call->data != NULL && call->errors == NULL;
}

/* ---- JSON readers ---- */

/* Inline, and not prefixed like the helpers below: they are the fake's
 * vocabulary (hundreds of calls). Each takes a NULL object and answers
 * NULL (or the fallback) for a missing member or one of another type. */

static inline JsonObject *
get_obj (JsonObject *o,
         const char *m)
{
  JsonNode *n;

  if (o == NULL || !json_object_has_member (o, m))
    return NULL;
  n = json_object_get_member (o, m);
  return JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
}

static inline JsonArray *
get_arr (JsonObject *o,
         const char *m)
{
  JsonNode *n;

  if (o == NULL || !json_object_has_member (o, m))
    return NULL;
  n = json_object_get_member (o, m);
  return JSON_NODE_HOLDS_ARRAY (n) ? json_node_get_array (n) : NULL;
}

static inline const char *
get_str (JsonObject *o,
         const char *m)
{
  JsonNode *n;

  if (o == NULL || !json_object_has_member (o, m))
    return NULL;
  n = json_object_get_member (o, m);
  if (!JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (n);
}

/* A number, or a string holding one. */
static inline gint64
get_int (JsonObject *o,
         const char *m,
         gint64      fallback)
{
  JsonNode *n;

  if (o == NULL || !json_object_has_member (o, m))
    return fallback;
  n = json_object_get_member (o, m);
  if (!JSON_NODE_HOLDS_VALUE (n))
    return fallback;
  if (json_node_get_value_type (n) == G_TYPE_STRING)
    return g_ascii_strtoll (json_node_get_string (n), NULL, 10);
  return json_node_get_int (n);
}

/* ---- tdm-fake-shopify-json.c ---- */

JsonObject *_tdm_fake_shopify_copy_obj            (JsonObject  *o);
void        _tdm_fake_shopify_set_str_or_null     (JsonObject  *o,
                                                   const char  *m,
                                                   const char  *value);
/* Copies member `from` of `src` (when it has one) to `m` of `dst`. */
void        _tdm_fake_shopify_set_member_copy     (JsonObject  *dst,
                                                   const char  *m,
                                                   JsonObject  *src,
                                                   const char  *from);
char       *_tdm_fake_shopify_to_json             (JsonNode    *node);
char       *_tdm_fake_shopify_obj_to_json         (JsonObject  *o);
char       *_tdm_fake_shopify_now_stamp           (void);
/* The fake's clock (real time plus the process-wide offset). */
GDateTime  *_tdm_fake_shopify_now                 (void);
void        _tdm_fake_shopify_set_clock_offset    (gint64 seconds);
/* {"nodes": nodes} (transfer full; NULL: an empty list). */
JsonObject *_tdm_fake_shopify_connection          (JsonArray   *nodes);
/* A userError {field, message, code}; the field path is NULL-terminated. */
JsonObject *_tdm_fake_shopify_user_error          (const char  *message,
                                                   const char  *code,
                                                   ...) G_GNUC_NULL_TERMINATED;
/* The same, added to `errors`. */
void        _tdm_fake_shopify_add_user_error      (JsonArray   *errors,
                                                   const char  *message,
                                                   const char  *code,
                                                   ...) G_GNUC_NULL_TERMINATED;
/* Answers the mutation: data.<payload_member> = {<node_member>: a copy of
 * `node`, or null when there are errors; userErrors: errors (transfer full)}. */
void        _tdm_fake_shopify_set_payload         (FakeCall    *call,
                                                   const char  *payload_member,
                                                   const char  *node_member,
                                                   JsonObject  *node,
                                                   JsonArray   *errors);
/* Answers the call with one top-level error {message, extensions.code}. */
void        _tdm_fake_shopify_fail_call           (FakeCall    *call,
                                                   const char  *message,
                                                   const char  *code);

/* ---- tdm-fake-shopify-records.c ---- */

JsonObject *_tdm_fake_shopify_find_by_id          (TdmFakeShopify *self,
                                                   TdmKind         kind,
                                                   const char     *id);
/* By the $app:tandem.webshop_id custom id. */
JsonObject *_tdm_fake_shopify_find_by_custom_id   (TdmFakeShopify *self,
                                                   TdmKind         kind,
                                                   const char     *value);
/* A node of any kind by its GID; `kind` is set when found. */
JsonObject *_tdm_fake_shopify_find_owner          (TdmFakeShopify *self,
                                                   const char     *gid,
                                                   TdmKind        *kind);
/* The node an upsert's identifier names (id, customId, email or handle);
 * `not_found` is set for an id that names none. */
JsonObject *_tdm_fake_shopify_identify            (TdmFakeShopify *self,
                                                   TdmKind         kind,
                                                   JsonObject     *identifier,
                                                   gboolean       *not_found);
/* "gid://shopify/<type>/<n>"; `legacy` (nullable) gets "<n>". */
char       *_tdm_fake_shopify_new_gid             (TdmFakeShopify *self,
                                                   const char     *type,
                                                   char          **legacy);
/* Bumps updatedAt to now. */
void        _tdm_fake_shopify_touch               (JsonObject     *node);
void        _tdm_fake_shopify_set_webshop_id      (JsonObject     *node,
                                                   const char     *value);
/* Stores `node` (transfer full) under a new id, completed to the read shape. */
JsonObject *_tdm_fake_shopify_insert_node         (TdmFakeShopify *self,
                                                   TdmKind         kind,
                                                   JsonObject     *node);
/* A MailingAddress from a MailingAddressInput. */
JsonObject *_tdm_fake_shopify_address_from_input  (JsonObject     *in);
void        _tdm_fake_shopify_complete_address    (JsonObject     *a);
gboolean    _tdm_fake_shopify_email_valid         (const char     *email);
gboolean    _tdm_fake_shopify_phone_valid         (const char     *phone);
/* The value of the input metafield with `key`, or NULL. */
const char *_tdm_fake_shopify_metafield_value     (JsonArray      *metafields,
                                                   const char     *key);
/* productSet's metafields (of the product, of a variant) are lists that
 * replace the owner's whole list: the shop's own metafields of `owner` (a
 * GID) not in `metafields` are deleted. Whether "namespace.key" (app
 * namespace resolved) is in `metafields`: */
void        _tdm_fake_shopify_keep_metafields     (TdmFakeShopify *self,
                                                   const char     *owner,
                                                   JsonArray      *metafields);
gboolean    _tdm_fake_shopify_metafield_listed    (JsonArray      *metafields,
                                                   const char     *name);
/* NULL, empty or only white space. */
gboolean    _tdm_fake_shopify_blank               (const char     *text);

/* Takes `node` of `kind` out of the records and the indexes (freed). */
void        _tdm_fake_shopify_remove_node         (TdmFakeShopify *self,
                                                   TdmKind         kind,
                                                   JsonObject     *node);

/* ---- tdm-fake-shopify-index.c ---- */

void        _tdm_fake_shopify_index_init          (TdmFakeShopify *self);
void        _tdm_fake_shopify_index_clear         (TdmFakeShopify *self);
/* `node` (nullable) may change before the operation settles. */
void        _tdm_fake_shopify_index_mark          (TdmFakeShopify *self,
                                                   TdmKind         kind,
                                                   JsonObject     *node);
/* At the end of an operation or a test's change: the marked nodes are
 * indexed as they were left. */
void        _tdm_fake_shopify_index_settle        (TdmFakeShopify *self);
void        _tdm_fake_shopify_index_forget        (TdmFakeShopify *self,
                                                   JsonObject     *node);
/* The nodes under `value` in creation order (borrowed; NULL: none). Not
 * marked: a caller that may change one marks it. */
GPtrArray  *_tdm_fake_shopify_index_lookup        (TdmFakeShopify *self,
                                                   FakeIndex       which,
                                                   const char     *value);

/* ---- tdm-fake-shopify-cost.c ---- */

/* The kind an operation's name starts with (Customer…, Product…, Order…). */
gboolean    _tdm_fake_shopify_kind_from_operation (const char     *op,
                                                   TdmKind        *kind);
double      _tdm_fake_shopify_requested_cost      (const char     *op,
                                                   const char     *query,
                                                   gboolean        is_mutation,
                                                   JsonObject     *vars);
/* What a returned node costs (its connections as returned). */
double      _tdm_fake_shopify_node_actual_cost    (TdmKind         kind,
                                                   JsonObject     *node);
/* Points in the bucket now, after restoring since the last look. */
double      _tdm_fake_shopify_bucket_now          (TdmFakeShopify *self);
/* extensions {cost {requested, actual (-1: null), throttleStatus}}. */
JsonObject *_tdm_fake_shopify_cost_extensions     (TdmFakeShopify *self,
                                                   double          requested,
                                                   double          actual);

/* ---- tdm-fake-shopify-graphql.c ---- */

void        _tdm_fake_shopify_handle_graphql      (TdmFakeShopify      *self,
                                                   SoupServerMessage   *msg,
                                                   const char          *path,
                                                   GBytes              *body,
                                                   TdmFakeShopifyFault  fault);
/* The name of a document's first operation, or NULL. */
char       *_tdm_fake_shopify_operation_name      (const char          *query,
                                                   gboolean            *is_mutation);
/* Runs `call` (its op and variables set); FALSE for an operation the fake
 * does not know. */
gboolean    _tdm_fake_shopify_dispatch            (FakeCall            *call);

/* ---- tdm-fake-shopify-read.c ---- */

/* Whether `updated` passes the filter `op` ('>' or '>=') `since` (whole days
 * for customers, like Shopify); no filter passes everything. */
gboolean    _tdm_fake_shopify_matches_updated     (TdmKind         kind,
                                                   const char     *updated,
                                                   const char     *op,
                                                   const char     *since);
void        _tdm_fake_shopify_op_changed          (FakeCall       *call,
                                                   TdmKind         kind,
                                                   gboolean        ids_only);
void        _tdm_fake_shopify_op_get              (FakeCall       *call,
                                                   TdmKind         kind,
                                                   const char     *member,
                                                   JsonObject     *node);
void        _tdm_fake_shopify_op_count            (FakeCall       *call,
                                                   TdmKind         kind);
void        _tdm_fake_shopify_op_destroy_events   (FakeCall       *call);
void        _tdm_fake_shopify_op_shop_info        (FakeCall       *call);

/* ---- tdm-fake-shopify-customers.c ---- */

void        _tdm_fake_shopify_complete_customer   (JsonObject     *node);
void        _tdm_fake_shopify_op_customer_set     (FakeCall       *call);
void        _tdm_fake_shopify_op_customer_consent (FakeCall       *call);
void        _tdm_fake_shopify_op_customer_delete  (FakeCall       *call);

/* ---- tdm-fake-shopify-products.c ---- */

void        _tdm_fake_shopify_complete_product    (TdmFakeShopify *self,
                                                   JsonObject     *node);
/* A stored node in the shape the operation selects (products: the first
 * $variantsFirst variants, paged). Transfer full. */
JsonObject *_tdm_fake_shopify_node_view           (TdmKind         kind,
                                                   JsonObject     *node,
                                                   JsonObject     *vars);
/* The variant whose `member` ("id", "sku", or "inventoryItem" for its
 * inventory item's id) is `value`; `out_product` (nullable) gets its product. */
JsonObject *_tdm_fake_shopify_variant_by          (TdmFakeShopify *self,
                                                   const char     *member,
                                                   const char     *value,
                                                   JsonObject    **out_product);
void        _tdm_fake_shopify_op_product_set      (FakeCall       *call);
void        _tdm_fake_shopify_op_product_variants (FakeCall       *call);
void        _tdm_fake_shopify_op_product_archive  (FakeCall       *call);
void        _tdm_fake_shopify_op_variants_by_sku  (FakeCall       *call);

/* ---- tdm-fake-shopify-inventory.c ---- */

void        _tdm_fake_shopify_op_inventory_set    (FakeCall       *call);
void        _tdm_fake_shopify_op_locations        (FakeCall       *call);

/* ---- tdm-fake-shopify-orders.c ---- */

void        _tdm_fake_shopify_complete_order      (TdmFakeShopify *self,
                                                   JsonObject     *node);
void        _tdm_fake_shopify_op_order_create     (FakeCall       *call);
void        _tdm_fake_shopify_op_order_update     (FakeCall       *call);
void        _tdm_fake_shopify_op_order_cancel     (FakeCall       *call);
void        _tdm_fake_shopify_op_order_mark_paid  (FakeCall       *call);

/* ---- tdm-fake-shopify-metafields.c ---- */

void        _tdm_fake_shopify_op_metafields_set   (FakeCall       *call);
void        _tdm_fake_shopify_op_definition_create (FakeCall      *call);
void        _tdm_fake_shopify_op_definitions      (FakeCall       *call);

/* ---- tdm-fake-shopify-bulk.c ---- */

/* A bulk operation: an export is made when it is started; a mutation's
 * lines run a few at a time on the main loop after it was started, as
 * Shopify runs them after answering. */
typedef struct {
  char     *id;
  TdmKind   kind;
  guint     polls;
  GBytes   *jsonl;
  guint64   count;
  gboolean  mutation;
  char     *operation;   /* mutation: the operation of its document */
  GStrv     lines;       /* mutation: the uploaded lines */
  guint     next_line;   /* mutation: lines run so far (blank ones included) */
  GString  *results;     /* mutation: the result lines so far */
  guint     runner_id;   /* mutation: the idle source running its lines, 0 once done */
} FakeBulkOp;

void        _tdm_fake_shopify_bulk_op_free        (gpointer        data);
void        _tdm_fake_shopify_op_bulk_run         (FakeCall       *call);
void        _tdm_fake_shopify_op_bulk_poll        (FakeCall       *call);
/* GET /bulk/<n>.jsonl */
void        _tdm_fake_shopify_handle_bulk_download (TdmFakeShopify    *self,
                                                    SoupServerMessage *msg,
                                                    const char        *path);
/* Appends `node` as compact JSON. */
void        _tdm_fake_shopify_append_json         (GString        *out,
                                                   JsonNode       *node);

/* ---- tdm-fake-shopify-bulk-mutation.c ---- */

void        _tdm_fake_shopify_op_staged_uploads   (FakeCall       *call);
void        _tdm_fake_shopify_op_bulk_run_mutation (FakeCall      *call);
/* POST /staged-uploads (multipart form: the target's parameters, then the file) */
void        _tdm_fake_shopify_handle_staged_upload (TdmFakeShopify    *self,
                                                    SoupServerMessage *msg,
                                                    const char        *path,
                                                    GBytes            *body);
/* Answers the result file of a bulk mutation, stalled halfway when asked. */
void        _tdm_fake_shopify_send_bulk_result    (TdmFakeShopify    *self,
                                                   SoupServerMessage *msg,
                                                   FakeBulkOp        *op);

/* ---- tdm-fake-shopify-token.c ---- */

gboolean    _tdm_fake_shopify_token_ok            (TdmFakeShopify      *self,
                                                   const char          *token);
/* POST /admin/oauth/access_token */
void        _tdm_fake_shopify_handle_token        (TdmFakeShopify      *self,
                                                   SoupServerMessage   *msg,
                                                   const char          *path,
                                                   GBytes              *body,
                                                   TdmFakeShopifyFault  fault);

/* ---- tdm-fake-shopify-faults.c ---- */

/* The fault injected for the request just counted (removed from the plan). */
TdmFakeShopifyFault _tdm_fake_shopify_take_fault  (TdmFakeShopify      *self);
/* For the faults that fail a request before it runs (500, 502, 503, 429):
 * TRUE with the status to answer, Retry-After set for a 429. */
gboolean    _tdm_fake_shopify_fails_before_run    (TdmFakeShopifyFault  fault,
                                                   SoupServerMessage   *msg,
                                                   guint               *status);
/* Answers `body` as JSON with `status`. */
void        _tdm_fake_shopify_respond             (SoupServerMessage   *msg,
                                                   guint                status,
                                                   const char          *body);
/* Answers with the fault of an executed request applied (lost, truncated,
 * malformed or delayed answer); else as _tdm_fake_shopify_respond(). */
void        _tdm_fake_shopify_deliver             (TdmFakeShopify      *self,
                                                   SoupServerMessage   *msg,
                                                   guint                status,
                                                   const char          *body,
                                                   TdmFakeShopifyFault  fault);

/* ---- tdm-fake-shopify-log.c ---- */

void        _tdm_fake_shopify_request_free        (gpointer        data);
/* A new entry, in the log when logging is on. */
TdmFakeShopifyRequest *_tdm_fake_shopify_log_request (TdmFakeShopify *self,
                                                      const char     *path,
                                                      const char     *operation,
                                                      const char     *query,
                                                      const char     *variables);
/* Records the answer; frees the entry when logging is off. */
void        _tdm_fake_shopify_finish_log          (TdmFakeShopify        *self,
                                                   TdmFakeShopifyRequest *req,
                                                   guint                  status,
                                                   const char            *body);

G_END_DECLS
