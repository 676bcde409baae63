/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#pragma once

#include "tdm-shopify-connector.h"
#include "tdm-shopify-json-private.h"

G_BEGIN_DECLS

/* What the files of the Shopify connector (tdm-shopify-connector*.c) share;
 * not for use outside it. Each file holds one job: listing (-list.c), bulk
 * exports (-bulk.c), variants past the first page (-variants.c), get and
 * find_created (-get.c), the write operation (-write.c) and the writes of
 * each kind (-customer.c, -product.c, -order.c), metafield definitions
 * (-definitions.c), deletes (-delete.c), id lists (-ids.c),
 * test_connection / prepare (-test.c) and batches of writes as bulk
 * mutations (-bulk-write.c). What Shopify does and why the code
 * does it so: docs/shopify.md.
 *
 * Task ownership: an operation's GTask is owned by whoever holds it in a
 * g_autoptr: the entry point, then each callback (`g_autoptr(GTask) task =
 * user_data`). A request in flight holds a reference of its own, handed
 * over as its user_data (g_steal_pointer, or g_object_ref from a helper).
 * Helpers borrow the task; none drops a reference. */

#define DEFAULT_BULK_THRESHOLD  2000
#define DEFAULT_POLL_MS         5000
#define VARIANTS_FIRST          50     /* variants read with the product itself */
#define LIST_ADDRESSES_FIRST    3      /* a customer's addresses on a listing page; more: CustomerGet */
#define LIST_VARIANTS_FIRST     10     /* a product's variants on a listing page; more: ProductVariants */
#define LIST_LINES_FIRST        5      /* an order's line items on a listing page; more: OrderGet */
#define VARIANTS_PAGE           250    /* at most, per ProductVariants request */
#define VARIANT_NODE_COST       5      /* variant, inventoryItem, measurement, weight, metafield */
#define MAX_PRODUCT_VARIANTS    2048   /* Shopify's default limit per product */
#define MAX_INPUT_ARRAY         250    /* items in one input array argument */
#define MAX_METAFIELDS_SET      25     /* metafields in one metafieldsSet */
#define IDS_PAGE                250
#define BULK_PAGE               250
#define ORDER_CREATE_ATTEMPTS   3

/* A batch of writes being sent as bulk mutations (-bulk-write.c). */
typedef struct _BulkWrite BulkWrite;

struct _TdmShopifyConnector
{
  TdmConnector      parent_instance;

  TdmShopifyClient *client;
  guint             bulk_threshold;
  guint             page_size;
  guint             poll_ms;
  char             *location_id;
  char             *shop_currency;
  double            node_cost[TDM_N_KINDS];
  double            variant_cost;    /* requested cost of one variant in ProductVariants */
  GHashTable       *variant_ids;     /* SKU → variant GID, "" = not found (cached per run) */
  gboolean          last_was_bulk;
  gboolean          prepared;
  gboolean          dev_store;            /* plan.partnerDevelopment: orderCreate is limited */
  guint             order_interval_ms;    /* spacing of orderCreate on such stores */
  gint64            last_order_create;    /* monotonic µs of the last orderCreate sent */
  guint             missing_definitions;  /* bit i: definition i does not exist yet */
  GTask            *definer;              /* the write making them (not owned), or NULL */
  GPtrArray        *definition_waiters;   /* GTask* (owned): writes waiting for it */
  BulkWrite        *bulk_write;           /* the batch being written (-bulk-write.c), or NULL */

  /* The bulk export being streamed, between list_changed pages. */
  struct {
    TdmKind               kind;
    char                 *id;
    guint64               consumed;   /* root records handed out so far */
    GDataInputStream     *lines;
    TdmShopifyBulkJoiner *joiner;
  } bulk;
};

/* ---- Operations ---- */

/* The operation names of a kind: "Customer" + suffix ("CustomerGet"),
 * "Customers" + suffix ("CustomersChanged") and the member of an answer's
 * data, "customers" + suffix ("customers", "customersCount"). */
char           *_tdm_shopify_op_name              (TdmKind              kind,
                                                   const char          *suffix);
char           *_tdm_shopify_plural_op_name       (TdmKind              kind,
                                                   const char          *suffix);
char           *_tdm_shopify_member_name          (TdmKind              kind,
                                                   const char          *suffix);

/* Runs `operation` for the operation of `task` (its cancellable); the
 * request holds `task` (transfer full: pass g_steal_pointer or
 * g_object_ref) until `callback` takes it back. */
void            _tdm_shopify_run                  (TdmShopifyConnector *self,
                                                   const char          *operation,
                                                   JsonObject          *variables,
                                                   double               estimate,
                                                   TdmShopifyExecFlags  flags,
                                                   GTask               *task,
                                                   GAsyncReadyCallback  callback);
/* The "data" of an answer (transfer full), or NULL after returning the
 * error from `task`. */
JsonObject     *_tdm_shopify_run_finish           (GAsyncResult        *result,
                                                   GTask               *task);

/* The cursor of the next page of a connection's pageInfo, or NULL when
 * this was the last page (or Shopify gave no position to go on from). */
const char     *_tdm_shopify_next_page_cursor     (JsonObject          *info);

/* ---- Records ---- */

TdmRecord      *_tdm_shopify_record_from_node     (TdmShopifyConnector *self,
                                                   TdmKind              kind,
                                                   JsonObject          *node,
                                                   GPtrArray           *problems);
/* The canonical name of the mapping row written at Shopify path `path`. */
char           *_tdm_shopify_canonical_field      (TdmShopifyConnector *self,
                                                   TdmKind              kind,
                                                   const char          *path);
/* The record error of a node holding a NUL or broken text, or NULL. */
TdmRecordError *_tdm_shopify_unreadable_node_error (TdmShopifyConnector *self,
                                                    TdmKind              kind,
                                                    JsonObject          *node);

/* ---- Listing (-list.c, -bulk.c) ---- */

typedef struct {
  TdmKind    kind;
  char      *since;
  char      *cursor;
  guint      first;
  char      *operation;
  TdmPage   *page;
  guint64    skip;       /* bulk: root records to skip after a re-download */
  char      *bulk_id;
  TdmPage   *pending;    /* products: the page, while destroy events are read */
  GPtrArray *nodes;      /* paged: the nodes of the page read (JsonObject*) */
  guint      node_index;
  TdmPage   *paged;      /* paged: the page being built from `nodes` */
  guint64    total;      /* records Shopify counted for a full read, 0 when not counted */
} ListOp;

TdmPage        *_tdm_shopify_page_new             (void);
/* Adds the record of `node` to `page`, or its record error. */
void            _tdm_shopify_page_add             (TdmShopifyConnector *self,
                                                   TdmPage             *page,
                                                   TdmKind              kind,
                                                   JsonObject          *node);

/* Starts a bulk export for the list operation of `task`. */
void            _tdm_shopify_bulk_start           (GTask               *task);
/* Goes on with the export named by a "bulk:<id>|<consumed>" cursor. */
void            _tdm_shopify_bulk_resume          (GTask               *task,
                                                   const char          *cursor);
void            _tdm_shopify_bulk_clear           (TdmShopifyConnector *self);

/* ---- Products' variants past the first page (-variants.c) ---- */

/* TRUE when `product` holds all its variants (its pageInfo is dropped). */
gboolean        _tdm_shopify_variants_complete    (JsonObject          *product);
void            _tdm_shopify_read_variants_async  (TdmShopifyConnector *self,
                                                   JsonObject          *product,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
gboolean        _tdm_shopify_read_variants_finish (TdmShopifyConnector *self,
                                                   GAsyncResult        *result,
                                                   GError             **error);

/* ---- Writes (-write.c; -customer.c, -product.c, -order.c) ---- */

/* A step of a write that goes on with the task it is given (borrowed). */
typedef void (*TdmShopifyWriteStep) (GTask *task);

typedef struct {
  TdmKind     kind;
  gboolean    create;
  char       *id;          /* update: the Shopify GID */
  char       *twin_id;
  char       *op_id;
  char       *label;
  JsonObject *write;       /* Shopify write shape */
  char       *marketing;   /* desired email marketing state */
  JsonArray  *quantities;  /* product: wanted inventory quantities */
  JsonObject *node;        /* latest read-shape node */
  JsonObject *order_input;
  GPtrArray  *skus;        /* order: SKUs still to resolve */
  guint       attempts;
  JsonArray  *inventory;   /* product: InventoryQuantityInput list being sent */
  guint       inventory_sent; /* entries of `inventory` written so far */
  guint       def_step;    /* metafield definitions checked so far */
  JsonArray  *prices_excl; /* product: wanted VAT-exclusive prices {sku, options, value} */
  JsonArray  *price_changes; /* product: MetafieldsSetInput list being sent */
  guint       prices_sent; /* entries of `price_changes` written so far */
  TdmShopifyWriteStep after_link; /* the step after the webshop_id metafield */
} WriteOp;

/* Returns the record written (op->node) from `task`. */
void            _tdm_shopify_write_done           (GTask               *task);
/* Keeps a copy of `node` as the latest state of the record written. */
void            _tdm_shopify_write_set_node       (WriteOp             *op,
                                                   JsonObject          *node);
/* userErrors → record error + GError: returns TRUE after returning the
 * error from `task` when there were any. */
gboolean        _tdm_shopify_write_user_errors    (GTask               *task,
                                                   JsonArray           *user_errors);
/* Returns `error` (transfer full) from `task`, with a record error naming
 * `field` (nullable). */
void            _tdm_shopify_write_fail           (GTask               *task,
                                                   GError              *error,
                                                   const char          *field);
/* Sets "identifier" for an upsert: the custom id when creating with a
 * twin, the GID when updating. */
void            _tdm_shopify_write_set_identifier (WriteOp             *op,
                                                   JsonObject          *vars);
/* Sets up the write of `task` (its WriteOp: the write shape, the label);
 * FALSE after returning the error from `task` when the fields cannot be
 * written to Shopify. */
gboolean        _tdm_shopify_write_prepare        (TdmShopifyConnector *self,
                                                   GTask               *task,
                                                   TdmKind              kind,
                                                   gboolean             create,
                                                   const char          *id,
                                                   JsonObject          *fields,
                                                   const char          *op_id,
                                                   const char          *twin_id);
/* Writes the webshop_id metafield with metafieldsSet when the record saved
 * (op->node) does not name op->twin_id yet, then goes on with `next`.
 * Never inside productSet: its metafields are a list that replaces every
 * metafield of the product (docs/shopify.md § Products). */
void            _tdm_shopify_write_link_twin      (GTask               *task,
                                                   TdmShopifyWriteStep  next);
/* Sends the write of op->kind (the definitions exist by now). */
void            _tdm_shopify_write_dispatch       (GTask               *task);

/* The location stock is kept at, from a Locations answer (the first that
 * ships inventory, else the first), or NULL. */
const char     *_tdm_shopify_location_choose      (JsonObject          *data);

void            _tdm_shopify_write_customer       (GTask               *task);
void            _tdm_shopify_write_product        (GTask               *task);
void            _tdm_shopify_write_order          (GTask               *task);

/* ---- Metafield definitions (-definitions.c) ---- */

/* The definitions missing from a MetafieldDefinitions answer (bit i:
 * definition i). */
guint           _tdm_shopify_missing_definitions  (JsonObject          *data);
/* Creates the definitions prepare found missing, then dispatches the write
 * of `task`. */
void            _tdm_shopify_ensure_definitions   (GTask               *task);

/* ---- Bulk writes (-bulk-write.c) ---- */

/* The batch a write's `task` belongs to, or NULL for a write of its own. */
BulkWrite      *_tdm_shopify_bulk_write_of        (GTask               *task);
/* Keeps a mutation of a write of the running batch for the batch's next
 * bulk mutation instead of sending it (see _tdm_shopify_run()): TRUE when
 * kept; its answer comes to `callback` as the client's would. */
gboolean        _tdm_shopify_bulk_write_park      (TdmShopifyConnector *self,
                                                   const char          *operation,
                                                   JsonObject          *variables,
                                                   double               estimate,
                                                   TdmShopifyExecFlags  flags,
                                                   GTask               *task,
                                                   GAsyncReadyCallback  callback);

/* ---- TdmConnector vfuncs, one file each ---- */

void            _tdm_shopify_connector_list_changed_async    (TdmConnector        *conn,
                                                              TdmKind              kind,
                                                              const char          *since,
                                                              const char          *cursor,
                                                              GCancellable        *cancellable,
                                                              GAsyncReadyCallback  callback,
                                                              gpointer             user_data);
TdmPage        *_tdm_shopify_connector_list_changed_finish   (TdmConnector        *conn,
                                                              GAsyncResult        *result,
                                                              GError             **error);
void            _tdm_shopify_connector_get_async             (TdmConnector        *conn,
                                                              TdmKind              kind,
                                                              const char          *id,
                                                              GCancellable        *cancellable,
                                                              GAsyncReadyCallback  callback,
                                                              gpointer             user_data);
TdmRecord      *_tdm_shopify_connector_get_finish            (TdmConnector        *conn,
                                                              GAsyncResult        *result,
                                                              GError             **error);
void            _tdm_shopify_connector_find_created_async    (TdmConnector        *conn,
                                                              TdmKind              kind,
                                                              const char          *op_id,
                                                              const char          *twin_id,
                                                              GCancellable        *cancellable,
                                                              GAsyncReadyCallback  callback,
                                                              gpointer             user_data);
TdmRecord      *_tdm_shopify_connector_find_created_finish   (TdmConnector        *conn,
                                                              GAsyncResult        *result,
                                                              GError             **error);
void            _tdm_shopify_connector_create_async          (TdmConnector        *conn,
                                                              TdmKind              kind,
                                                              JsonObject          *fields,
                                                              const char          *op_id,
                                                              const char          *twin_id,
                                                              GCancellable        *cancellable,
                                                              GAsyncReadyCallback  callback,
                                                              gpointer             user_data);
TdmWriteResult *_tdm_shopify_connector_create_finish         (TdmConnector        *conn,
                                                              GAsyncResult        *result,
                                                              GError             **error);
void            _tdm_shopify_connector_update_async          (TdmConnector        *conn,
                                                              TdmKind              kind,
                                                              const char          *id,
                                                              JsonObject          *fields,
                                                              const char          *etag,
                                                              const char          *twin_id,
                                                              const char          *op_id,
                                                              GCancellable        *cancellable,
                                                              GAsyncReadyCallback  callback,
                                                              gpointer             user_data);
TdmWriteResult *_tdm_shopify_connector_update_finish         (TdmConnector        *conn,
                                                              GAsyncResult        *result,
                                                              GError             **error);
void            _tdm_shopify_connector_delete_async          (TdmConnector        *conn,
                                                              TdmKind              kind,
                                                              const char          *id,
                                                              GCancellable        *cancellable,
                                                              GAsyncReadyCallback  callback,
                                                              gpointer             user_data);
gboolean        _tdm_shopify_connector_delete_finish         (TdmConnector        *conn,
                                                              GAsyncResult        *result,
                                                              GError             **error);
void            _tdm_shopify_connector_list_ids_async        (TdmConnector        *conn,
                                                              TdmKind              kind,
                                                              GCancellable        *cancellable,
                                                              GAsyncReadyCallback  callback,
                                                              gpointer             user_data);
GPtrArray      *_tdm_shopify_connector_list_ids_finish       (TdmConnector        *conn,
                                                              GAsyncResult        *result,
                                                              GError             **error);
void            _tdm_shopify_connector_test_connection_async (TdmConnector        *conn,
                                                              GCancellable        *cancellable,
                                                              GAsyncReadyCallback  callback,
                                                              gpointer             user_data);
TdmShopInfo    *_tdm_shopify_connector_test_connection_finish (TdmConnector       *conn,
                                                               GAsyncResult       *result,
                                                               GError            **error);
void            _tdm_shopify_connector_prepare_async         (TdmConnector        *conn,
                                                              GCancellable        *cancellable,
                                                              GAsyncReadyCallback  callback,
                                                              gpointer             user_data);
gboolean        _tdm_shopify_connector_prepare_finish        (TdmConnector        *conn,
                                                              GAsyncResult        *result,
                                                              GError             **error);
gboolean        _tdm_shopify_connector_can_write_batch       (TdmConnector        *conn,
                                                              TdmKind              kind);
void            _tdm_shopify_connector_write_batch_async     (TdmConnector        *conn,
                                                              TdmKind              kind,
                                                              GPtrArray           *writes,
                                                              GCancellable        *cancellable,
                                                              GAsyncReadyCallback  callback,
                                                              gpointer             user_data);
gboolean        _tdm_shopify_connector_write_batch_finish    (TdmConnector        *conn,
                                                              GAsyncResult        *result,
                                                              GError             **error);

G_END_DECLS
