/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#pragma once

#include <gio/gio.h>
#include "tdm-types.h"
#include "tdm-record.h"
#include "tdm-mapping.h"

G_BEGIN_DECLS

/* One page of records changed since a watermark. */
typedef struct {
  GPtrArray *records;      /* TdmRecord* (canonical, with native), tombstones included */
  char      *next_cursor;  /* NULL when this was the last page */
  char      *max_updated_at; /* greatest updated_at on this page (UTC RFC 3339), nullable */
  GPtrArray *problems;     /* TdmRecordError*: records on this page that could not be mapped */
  guint64    total;        /* records the side says the whole listing holds; 0 when it does not say */
  char      *listed_at;    /* the side's own time when it answered this page (UTC RFC 3339), when
                            * the side's clock is the one its records' times come from; NULL
                            * when it does not say (docs/sync.md § Watermarks) */
} TdmPage;
void tdm_page_free (TdmPage *page);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TdmPage, tdm_page_free)

/* Result of a create or update. On a record-level failure the async call
 * fails with TDM_SYNC_ERROR_VALIDATION / _DUPLICATE / _CONFLICT and its
 * _finish gives the details in `record_error` (nullable out, transfer
 * full): each write's own, whatever else runs meanwhile. A get's _finish
 * does the same for the record it read. */
typedef struct {
  TdmRecord *record;       /* the record as the side stored it (canonical + native) */
} TdmWriteResult;
void tdm_write_result_free (TdmWriteResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TdmWriteResult, tdm_write_result_free)

/* One write of a batch (tdm_connector_write_batch_async()): a create or an
 * update with the arguments tdm_connector_create_async() and
 * tdm_connector_update_async() take, borrowed until its callback ran. Its
 * result comes to `callback` as a single write's does: finish it with
 * tdm_connector_create_finish() or tdm_connector_update_finish(). */
typedef struct {
  gboolean             create;
  const char          *id;          /* update: the record on this side */
  JsonObject          *fields;
  const char          *etag;        /* update, nullable */
  const char          *twin_id;     /* nullable */
  const char          *op_id;       /* nullable */
  GAsyncReadyCallback  callback;
  gpointer             user_data;
} TdmBatchWrite;

/* A run with more writes than this of one kind to one side sends them as
 * one batch where the side can (docs/sync.md § Big runs). */
#define TDM_BATCH_MIN_WRITES 250

/* Information shown by "Test connection". */
typedef struct {
  char *name;        /* shop name */
  char *currency;    /* ISO 4217, nullable */
  char *plan;        /* plan display name, nullable */
  char *detail;      /* anything else worth a line, nullable */
} TdmShopInfo;
void tdm_shop_info_free (TdmShopInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TdmShopInfo, tdm_shop_info_free)

#define TDM_TYPE_CONNECTOR (tdm_connector_get_type ())
G_DECLARE_DERIVABLE_TYPE (TdmConnector, tdm_connector, TDM, CONNECTOR, GObject)

/* Properties: "side" (TdmSide, construct-only), "mapping" (TdmMapping, readwrite).
 * A connector knows nothing of the links: a reference it reads holds its
 * side's id, and the engine names references before each write
 * (docs/sync.md § References).
 *
 * Every vfunc is an async/finish pair on the thread-default main context.
 * Errors use TDM_SYNC_ERROR; G_IO_ERROR_CANCELLED passes through. */
struct _TdmConnectorClass
{
  GObjectClass parent_class;

  /* Must implement. */
  void            (*list_changed_async)  (TdmConnector *self, TdmKind kind,
                                          const char *since,     /* UTC RFC 3339 or NULL = everything */
                                          const char *cursor,    /* NULL = first page */
                                          GCancellable *cancellable,
                                          GAsyncReadyCallback callback, gpointer user_data);
  TdmPage        *(*list_changed_finish) (TdmConnector *self, GAsyncResult *result, GError **error);

  /* NOT_FOUND error when gone. A record that cannot be read (VALIDATION), or
   * one returned with a value the mapping cannot use, comes with its record
   * error attached to the result (_tdm_connector_attach_record_error()). */
  void            (*get_async)           (TdmConnector *self, TdmKind kind, const char *id,
                                          GCancellable *cancellable,
                                          GAsyncReadyCallback callback, gpointer user_data);
  TdmRecord      *(*get_finish)          (TdmConnector *self, GAsyncResult *result, GError **error);

  /* Create (idempotent on the wire): `fields` canonical; `op_id` = the outbox
   * op id (webshop Idempotency-Key / Shopify inventory @idempotent key);
   * `twin_id` = the id of the source record on the other side (written as
   * Shopify's $app:tandem.webshop_id metafield / the webshop's shopify_id). */
  void            (*create_async)        (TdmConnector *self, TdmKind kind,
                                          JsonObject *fields, const char *op_id,
                                          const char *twin_id,
                                          GCancellable *cancellable,
                                          GAsyncReadyCallback callback, gpointer user_data);
  TdmWriteResult *(*create_finish)       (TdmConnector *self, GAsyncResult *result, GError **error);

  /* Update the given canonical fields only (a subset). `etag` nullable:
   * If-Match when the side supports it (CONFLICT on 412). `twin_id` nullable:
   * when set, (re)write the link marker (shopify_id / webshop_id metafield). */
  void            (*update_async)        (TdmConnector *self, TdmKind kind, const char *id,
                                          JsonObject *fields, const char *etag,
                                          const char *twin_id, const char *op_id,
                                          GCancellable *cancellable,
                                          GAsyncReadyCallback callback, gpointer user_data);
  TdmWriteResult *(*update_finish)       (TdmConnector *self, GAsyncResult *result, GError **error);

  /* Has default (NOT_SUPPORTED). */
  /* Propagated delete: products archived, customers deleted, orders cancelled. */
  void            (*delete_async)        (TdmConnector *self, TdmKind kind, const char *id,
                                          GCancellable *cancellable,
                                          GAsyncReadyCallback callback, gpointer user_data);
  gboolean        (*delete_finish)       (TdmConnector *self, GAsyncResult *result, GError **error);

  /* Crash recovery: find the record a pending create may have made, by the
   * op id (webshop Idempotency-Key replay) or the source id (Shopify custom
   * id lookup). Returns NULL with no error when it does not exist. */
  void            (*find_created_async)  (TdmConnector *self, TdmKind kind,
                                          const char *op_id, const char *twin_id,
                                          GCancellable *cancellable,
                                          GAsyncReadyCallback callback, gpointer user_data);
  TdmRecord      *(*find_created_finish) (TdmConnector *self, GAsyncResult *result, GError **error);

  /* Full reconciliation: every id of a kind (GPtrArray of char*). */
  void            (*list_ids_async)      (TdmConnector *self, TdmKind kind,
                                          GCancellable *cancellable,
                                          GAsyncReadyCallback callback, gpointer user_data);
  GPtrArray      *(*list_ids_finish)     (TdmConnector *self, GAsyncResult *result, GError **error);

  void            (*test_connection_async)  (TdmConnector *self, GCancellable *cancellable,
                                             GAsyncReadyCallback callback, gpointer user_data);
  TdmShopInfo    *(*test_connection_finish) (TdmConnector *self, GAsyncResult *result, GError **error);

  /* Prepare for a run (e.g. Shopify metafield definitions, token). Default: nothing. */
  void            (*prepare_async)       (TdmConnector *self, GCancellable *cancellable,
                                          GAsyncReadyCallback callback, gpointer user_data);
  gboolean        (*prepare_finish)      (TdmConnector *self, GAsyncResult *result, GError **error);

  /* Requests sent so far (for tests, benchmarks and the run summary). */
  guint64         (*get_request_count)   (TdmConnector *self);

  /* Has default (FALSE: the side's API versions do not expire). TRUE with
   * the API version this connector speaks and the days left until the side
   * stops supporting it, negative once past (docs/shopify.md § Endpoints
   * and auth); the background service warns the owner in time. */
  void            (*check_api_version_async)  (TdmConnector *self, GCancellable *cancellable,
                                               GAsyncReadyCallback callback, gpointer user_data);
  gboolean        (*check_api_version_finish) (TdmConnector *self, GAsyncResult *result,
                                               char **out_version, gint64 *out_days_left,
                                               GError **error);

  /* Has default (FALSE / NOT_SUPPORTED). Writes of one kind sent together
   * (Shopify: one bulk mutation, docs/shopify.md § Bulk mutations). A side
   * that can makes its creates idempotent by `twin_id`: a create sent again
   * finds the record an earlier one made, so a pending create of a batch
   * needs no lookup (docs/sync.md § Crash safety). Each write's callback is
   * called once, before the batch's own; a write the side cannot take in
   * the batch it sends alone. The batch fails without calling them only
   * when it cannot start (NOT_SUPPORTED: send them one by one). */
  gboolean        (*can_write_batch)     (TdmConnector *self, TdmKind kind);
  void            (*write_batch_async)   (TdmConnector *self, TdmKind kind,
                                          GPtrArray *writes,      /* TdmBatchWrite* */
                                          GCancellable *cancellable,
                                          GAsyncReadyCallback callback, gpointer user_data);
  gboolean        (*write_batch_finish)  (TdmConnector *self, GAsyncResult *result, GError **error);

  gpointer padding[3];
};

TdmSide         tdm_connector_get_side      (TdmConnector *self);
TdmMapping     *tdm_connector_get_mapping   (TdmConnector *self);
void            tdm_connector_set_mapping   (TdmConnector *self, TdmMapping *mapping);
void            tdm_connector_set_normalize_options (TdmConnector *self, const char *default_country);

/* For connectors: the mapping applied with the connector's own mapping,
 * side and map context (docs/architecture.md § TdmConnector). */
/* native → canonical fields (tdm_mapping_map_fields()); NULL without a mapping. */
JsonObject     *tdm_connector_map_native     (TdmConnector *self, TdmKind kind, JsonObject *native,
                                              GPtrArray *problems);
/* canonical → the side's write shape (tdm_mapping_unmap_fields()): every
 * field to create, only the given ones to update; a copy without a mapping. */
JsonObject     *tdm_connector_unmap_fields   (TdmConnector *self, TdmKind kind, JsonObject *fields,
                                              gboolean for_create, GError **error);
/* The canonical name of a native path (tdm_mapping_field_for_path()); the
 * path itself without a mapping. */
char           *tdm_connector_field_for_path (TdmConnector *self, TdmKind kind,
                                              const char *native_path);
/* Is the native list `native_list` (a member of the side's record, e.g. the
 * webshop's "addresses") compared as a set: its row "unordered" in the
 * mapping? FALSE without a mapping. */
gboolean        tdm_connector_list_is_unordered (TdmConnector *self, TdmKind kind,
                                                 const char *native_list);

/* Hands a write's or a read's record error to the caller of its _finish
 * (transfer full): the connector attaches it to `result`, the task it
 * returns, before returning it. */
void            _tdm_connector_attach_record_error (GAsyncResult *result, TdmRecordError *error);

void            tdm_connector_list_changed_async  (TdmConnector *self, TdmKind kind, const char *since,
                                                   const char *cursor, GCancellable *cancellable,
                                                   GAsyncReadyCallback callback, gpointer user_data);
TdmPage        *tdm_connector_list_changed_finish (TdmConnector *self, GAsyncResult *result, GError **error);
void            tdm_connector_get_async           (TdmConnector *self, TdmKind kind, const char *id,
                                                   GCancellable *cancellable,
                                                   GAsyncReadyCallback callback, gpointer user_data);
TdmRecord      *tdm_connector_get_finish          (TdmConnector *self, GAsyncResult *result,
                                                   TdmRecordError **record_error, GError **error);
void            tdm_connector_create_async        (TdmConnector *self, TdmKind kind, JsonObject *fields,
                                                   const char *op_id, const char *twin_id,
                                                   GCancellable *cancellable,
                                                   GAsyncReadyCallback callback, gpointer user_data);
TdmWriteResult *tdm_connector_create_finish       (TdmConnector *self, GAsyncResult *result,
                                                   TdmRecordError **record_error, GError **error);
void            tdm_connector_update_async        (TdmConnector *self, TdmKind kind, const char *id,
                                                   JsonObject *fields, const char *etag,
                                                   const char *twin_id, const char *op_id,
                                                   GCancellable *cancellable,
                                                   GAsyncReadyCallback callback, gpointer user_data);
TdmWriteResult *tdm_connector_update_finish       (TdmConnector *self, GAsyncResult *result,
                                                   TdmRecordError **record_error, GError **error);
void            tdm_connector_delete_async        (TdmConnector *self, TdmKind kind, const char *id,
                                                   GCancellable *cancellable,
                                                   GAsyncReadyCallback callback, gpointer user_data);
gboolean        tdm_connector_delete_finish       (TdmConnector *self, GAsyncResult *result,
                                                   TdmRecordError **record_error, GError **error);
void            tdm_connector_find_created_async  (TdmConnector *self, TdmKind kind, const char *op_id,
                                                   const char *twin_id, GCancellable *cancellable,
                                                   GAsyncReadyCallback callback, gpointer user_data);
TdmRecord      *tdm_connector_find_created_finish (TdmConnector *self, GAsyncResult *result, GError **error);
void            tdm_connector_list_ids_async      (TdmConnector *self, TdmKind kind,
                                                   GCancellable *cancellable,
                                                   GAsyncReadyCallback callback, gpointer user_data);
GPtrArray      *tdm_connector_list_ids_finish     (TdmConnector *self, GAsyncResult *result, GError **error);
void            tdm_connector_test_connection_async  (TdmConnector *self, GCancellable *cancellable,
                                                      GAsyncReadyCallback callback, gpointer user_data);
TdmShopInfo    *tdm_connector_test_connection_finish (TdmConnector *self, GAsyncResult *result, GError **error);
void            tdm_connector_prepare_async       (TdmConnector *self, GCancellable *cancellable,
                                                   GAsyncReadyCallback callback, gpointer user_data);
gboolean        tdm_connector_prepare_finish      (TdmConnector *self, GAsyncResult *result, GError **error);
gboolean        tdm_connector_can_write_batch     (TdmConnector *self, TdmKind kind);
void            tdm_connector_write_batch_async   (TdmConnector *self, TdmKind kind,
                                                   GPtrArray *writes, GCancellable *cancellable,
                                                   GAsyncReadyCallback callback, gpointer user_data);
gboolean        tdm_connector_write_batch_finish  (TdmConnector *self, GAsyncResult *result,
                                                   GError **error);
guint64         tdm_connector_get_request_count   (TdmConnector *self);
void            tdm_connector_check_api_version_async  (TdmConnector *self, GCancellable *cancellable,
                                                        GAsyncReadyCallback callback,
                                                        gpointer user_data);
gboolean        tdm_connector_check_api_version_finish (TdmConnector *self, GAsyncResult *result,
                                                        char **out_version, gint64 *out_days_left,
                                                        GError **error);

G_END_DECLS
