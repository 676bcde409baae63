/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#pragma once

#include "tdm-webshop-connector.h"
#include "tdm-webshop-json.h"

G_BEGIN_DECLS

/* Shared by the files of the webshop connector (tdm-webshop-connector*.c);
 * not for use outside it. The API it speaks is docs/webshop-api.md; how a
 * run uses it is docs/sync.md.
 *
 *   tdm-webshop-connector.c          the GObject, prepare, the public API
 *   tdm-webshop-connector-url.c      addresses, and the checks that keep
 *                                    every request on the configured site
 *   tdm-webshop-connector-send.c     sending one request behind the rate cap
 *   tdm-webshop-connector-record.c   native ⇄ TdmRecord, answers → errors,
 *                                    the records seen in this run
 *   tdm-webshop-connector-list.c     list_changed (records and tombstone
 *                                    pages, paging) and get
 *   tdm-webshop-connector-write.c    create, update, delete
 *   tdm-webshop-connector-walk.c     walking every record (list_ids,
 *                                    find_created)
 *   tdm-webshop-connector-connection.c  test_connection */

struct _TdmWebshopConnector
{
  TdmConnector        parent_instance;

  char               *base_url;      /* without a trailing slash */
  GUri               *base_uri;
  TdmWebshopProfile  *profile;
  TdmWebshopAuth      auth;
  char               *user;
  char               *header;
  char               *secret;
  TdmCredentialStore *credentials;
  char               *account;

  TdmHttpOptions      options;
  SoupSession        *session;

  /* Profile rate cap: a token bucket plus a concurrency limit. */
  double              tokens;
  gint64              last_refill;
  guint               active;
  GQueue              waiting;       /* GTask* (owned), see -send.c */
  guint               pump_id;

  /* The records last read in this run ("kind/id" → TdmRecord with native and
   * etag): an update of such a record PUTs with If-Match straight away
   * instead of reading it again first. A stale entry costs a 412, never a
   * lost edit. Cleared when a run is prepared. */
  GHashTable         *seen;
};

/* ---- tdm-webshop-connector-url.c ---- */

char     *_tdm_webshop_connector_resource_url        (TdmWebshopConnector  *self,
                                                      const char           *path,
                                                      const char           *id);
void      _tdm_webshop_connector_append_param        (GString              *url,
                                                      const char           *name,
                                                      const char           *value);
/* Can this id be put in a path segment (not "", "." or "..")? */
gboolean  _tdm_webshop_connector_id_is_addressable   (const char           *id);
char     *_tdm_webshop_connector_unaddressable_message (TdmKind            kind,
                                                        const char        *id,
                                                        const char        *id_field);
/* FALSE with a record error naming the id field (attached to `task`) and
 * a VALIDATION error. */
gboolean  _tdm_webshop_connector_check_addressable   (TdmWebshopConnector  *self,
                                                      TdmKind               kind,
                                                      const char           *id,
                                                      GTask                *task,
                                                      GError              **error);
gboolean  _tdm_webshop_connector_same_origin         (TdmWebshopConnector  *self,
                                                      const char           *url,
                                                      GError              **error);
gboolean  _tdm_webshop_connector_below_base          (TdmWebshopConnector  *self,
                                                      const char           *url,
                                                      GError              **error);

/* ---- tdm-webshop-connector-send.c ---- */

/* An answer: the final message and its body; the status is not yet mapped. */
typedef struct {
  SoupMessage *msg;
  GBytes      *body;
} WsResponse;

void        _tdm_webshop_response_free          (WsResponse *resp);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WsResponse, _tdm_webshop_response_free)

/* Sends one request behind the profile's rate cap; the result is a
 * WsResponse. `options` NULL: the connector's. */
void        _tdm_webshop_connector_send_async   (TdmWebshopConnector  *self,
                                                 const char           *method,
                                                 const char           *url,
                                                 JsonObject           *body,
                                                 const char           *if_match,
                                                 const char           *idempotency_key,
                                                 const TdmHttpOptions *options,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
WsResponse *_tdm_webshop_connector_send_finish  (TdmWebshopConnector  *self,
                                                 GAsyncResult         *result,
                                                 GError              **error);
/* The answer to a request of `task` about `kind` (the record `record_id`,
 * nullable): the response when its status is one of success, else NULL
 * and the error (_tdm_webshop_connector_check_response()). */
WsResponse *_tdm_webshop_connector_receive      (TdmWebshopConnector  *self,
                                                 GAsyncResult         *result,
                                                 GTask                *task,
                                                 TdmKind               kind,
                                                 const char           *record_id,
                                                 GError              **error);
/* Sends `method` (GET, DELETE) to the record `id` of `kind` for `task`,
 * whose callback gets a reference of its own; a record that cannot be
 * addressed is refused instead: its error returned to `task`
 * (_tdm_webshop_connector_check_addressable). */
void        _tdm_webshop_connector_send_to_record (TdmWebshopConnector *self,
                                                   GTask               *task,
                                                   const char          *method,
                                                   TdmKind              kind,
                                                   const char          *id,
                                                   GAsyncReadyCallback  callback);

/* ---- tdm-webshop-connector-record.c ---- */

char           *_tdm_webshop_connector_normalized_timestamp (const char *value);
/* Native → TdmRecord (canonical fields, native kept). NULL, with a problem
 * added to `problems` (nullable), when the record has no usable id or holds
 * unreadable text. */
TdmRecord      *_tdm_webshop_connector_record_from_native   (TdmWebshopConnector  *self,
                                                             TdmKind               kind,
                                                             JsonObject           *native,
                                                             const char           *etag_header,
                                                             GPtrArray            *problems);
/* The record of a single-record answer (GET, POST, PUT), or NULL + error;
 * its record error, if any, attached to `task` (the get or write answered). */
TdmRecord      *_tdm_webshop_connector_record_from_response (TdmWebshopConnector  *self,
                                                             TdmKind               kind,
                                                             WsResponse           *resp,
                                                             GTask                *task,
                                                             GError              **error);
/* FALSE with a VALIDATION error and the record error (attached to `task`)
 * when `native` holds text Tandem cannot keep (tdm-json-text.h). */
gboolean        _tdm_webshop_connector_check_readable_text  (TdmWebshopConnector  *self,
                                                             TdmKind               kind,
                                                             JsonObject           *native,
                                                             GTask                *task,
                                                             GError              **error);
/* Maps a failed status to a GError; for record-level problems also attaches
 * a TdmRecordError to `task` (field named canonically). */
gboolean        _tdm_webshop_connector_check_response       (TdmWebshopConnector  *self,
                                                             TdmKind               kind,
                                                             const char           *record_id,
                                                             WsResponse           *resp,
                                                             GTask                *task,
                                                             GError              **error);
/* A 404 to a write: replaces `error` with one naming the record, and
 * attaches that record error to `task`. */
void            _tdm_webshop_connector_explain_write_not_found (TdmWebshopConnector  *self,
                                                                TdmKind               kind,
                                                                const char           *id,
                                                                const char           *twin_id,
                                                                GTask                *task,
                                                                GError              **error);
/* The records seen in this run (self->seen). */
void            _tdm_webshop_connector_remember_record      (TdmWebshopConnector  *self,
                                                             TdmRecord            *record);
void            _tdm_webshop_connector_forget_record        (TdmWebshopConnector  *self,
                                                             TdmKind               kind,
                                                             const char           *id);
TdmRecord      *_tdm_webshop_connector_lookup_record        (TdmWebshopConnector  *self,
                                                             TdmKind               kind,
                                                             const char           *id);
/* "\"3-ab\"", W/"3-ab" and 3-ab are the same tag. */
gboolean        _tdm_webshop_etags_equal                    (const char           *a,
                                                             const char           *b);

/* ---- tdm-webshop-connector-list.c ---- */

/* Where a listing stands (list_changed; also used by a walk). */
typedef struct {
  TdmKind  kind;
  char    *since;
  gboolean deleted_phase;
  guint64  page_number;   /* page paging */
  guint64  offset;        /* offset paging */
} WsListState;

void      _tdm_webshop_list_state_clear              (WsListState               *state);
/* The URL of a records page for the given native cursor. */
char     *_tdm_webshop_connector_build_list_url      (TdmWebshopConnector       *self,
                                                      const TdmWebshopResource  *res,
                                                      const char                *since,
                                                      const char                *native_cursor,
                                                      WsListState               *state,
                                                      GError                   **error);
/* FALSE with INVALID_RESPONSE when a page holds more items than asked for. */
gboolean  _tdm_webshop_connector_check_page_length   (TdmWebshopConnector       *self,
                                                      guint                      n_items,
                                                      guint                      limit,
                                                      GError                   **error);
/* The native cursor for the next records page, or NULL at the end (or on
 * error). Takes `body_cursor`. */
char     *_tdm_webshop_connector_next_native_cursor  (TdmWebshopConnector       *self,
                                                      const TdmWebshopResource  *res,
                                                      WsListState               *state,
                                                      WsResponse                *resp,
                                                      guint                      n_items,
                                                      char                      *body_cursor,
                                                      GError                   **error);

/* ---- The connector's vfuncs, set by each file's class_init helper ---- */

void      _tdm_webshop_connector_list_class_init       (TdmConnectorClass *connector_class);
void      _tdm_webshop_connector_write_class_init      (TdmConnectorClass *connector_class);
void      _tdm_webshop_connector_walk_class_init       (TdmConnectorClass *connector_class);
void      _tdm_webshop_connector_connection_class_init (TdmConnectorClass *connector_class);

G_END_DECLS
