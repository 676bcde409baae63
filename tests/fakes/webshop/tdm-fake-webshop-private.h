/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#pragma once

#include "tdm-fake-webshop.h"

#include "tdm-record.h"
#include "tdm-webshop-json.h"

G_BEGIN_DECLS

/* Shared by the files of the fake webshop (tdm-fake-webshop*.c); not for
 * use outside it. The API it serves is docs/webshop-api.md.
 *
 *   tdm-fake-webshop.c           the GObject, the server, routing a request
 *                                to its handler, answers
 *   tdm-fake-webshop-records.c   the store: records, ids, tombstones; the
 *                                shop's own admin (seed, update, delete)
 *   tdm-fake-webshop-validate.c  422 validation
 *   tdm-fake-webshop-unique.c    409 unique checks: the records by email and SKU
 *   tdm-fake-webshop-list.c      record and tombstone pages
 *   tdm-fake-webshop-write.c     create, update, delete
 *   tdm-fake-webshop-faults.c    credentials, the rate cap, injected faults
 *   tdm-fake-webshop-control.c   the test-facing controls and the log */

typedef struct {
  char *id;
  char *deleted_at;
} Tombstone;

typedef struct {
  TdmKind  kind;
  char    *body_canonical;
  guint    status;
  char    *response;
} IdempotentResult;

typedef struct {
  guint        skip;
  TdmFakeFault fault;
  guint        param;
  guint        times;
} FaultSpec;

/* Why a record is refused: the field and the message of a 422. */
typedef struct {
  char *field;
  char *message;
} FakeProblem;

struct _TdmFakeWebshop
{
  GObject             parent_instance;

  SoupServer         *server;
  char               *url;
  TdmWebshopProfile  *profile;
  TdmWebshopAuth      auth;
  char               *secret;

  guint               rate_rps;
  guint               rate_retry_after;
  GQueue              rate_times;

  GHashTable         *records[TDM_N_KINDS];     /* id → JsonObject */
  GHashTable         *unique[TDM_N_KINDS];      /* unique value → set of ids, see -unique.c */
  GPtrArray          *tombstones[TDM_N_KINDS];  /* Tombstone* */
  GHashTable         *idempotency;              /* key → IdempotentResult* */
  guint64             next_id[TDM_N_KINDS];
  guint64             etag_counter;
  guint64             next_order_number;

  GQueue              faults;                   /* FaultSpec* */
  TdmFakeRequestHook  hook;
  gpointer            hook_data;
  GPtrArray          *log;                      /* TdmFakeRequest* */
  GPtrArray          *delayed;                  /* answers held back, see -faults.c */
  guint               in_flight;
  guint               max_in_flight;
  TdmFakeListMode     list_mode[TDM_N_KINDS];
  JsonObject         *page_extra[TDM_N_KINDS];
  char               *ghost_twin[TDM_N_KINDS];
  guint64             endless_serial;
};

/* ---- tdm-fake-webshop.c: answers ---- */

/* The log entry of the request being answered. */
TdmFakeRequest *_tdm_fake_webshop_current_entry (SoupServerMessage *msg);
/* Takes `body` (nullable). */
void        _tdm_fake_webshop_respond_text   (SoupServerMessage  *msg,
                                              guint               status,
                                              const char         *content_type,
                                              char               *body);
void        _tdm_fake_webshop_respond_json   (SoupServerMessage  *msg,
                                              guint               status,
                                              JsonNode           *node);
void        _tdm_fake_webshop_respond_object (SoupServerMessage  *msg,
                                              guint               status,
                                              JsonObject         *object);
/* The contract's error body {"error": {code, message, field, existing_id}}. */
void        _tdm_fake_webshop_respond_error  (SoupServerMessage  *msg,
                                              guint               status,
                                              const char         *code,
                                              const char         *message,
                                              const char         *field,
                                              const char         *existing_id);
/* A record with its ETag header. */
void        _tdm_fake_webshop_respond_record (TdmFakeWebshop     *self,
                                              SoupServerMessage  *msg,
                                              TdmKind             kind,
                                              guint               status,
                                              JsonObject         *record);
/* The request body as a JSON object, or NULL. */
JsonObject *_tdm_fake_webshop_parse_body     (SoupServerMessage  *msg);

/* ---- tdm-fake-webshop-records.c ---- */

char       *_tdm_fake_webshop_timestamp          (GDateTime      *dt);
/* RFC 3339 with any offset → "…Z" UTC, seconds precision; NULL if invalid. */
char       *_tdm_fake_webshop_normalize_timestamp (const char    *value);
/* JSON with sorted members: equal bodies give equal strings. */
char       *_tdm_fake_webshop_canonical_string   (JsonNode       *node);
JsonObject *_tdm_fake_webshop_object_copy        (JsonObject     *object);
/* A string member, or NULL (absent, or not a string). */
const char *_tdm_fake_webshop_get_string         (JsonObject     *object,
                                                  const char     *name);
const TdmWebshopResource *_tdm_fake_webshop_resource (TdmFakeWebshop *self,
                                                      TdmKind         kind);
char       *_tdm_fake_webshop_record_id          (TdmFakeWebshop *self,
                                                  TdmKind         kind,
                                                  JsonObject     *record);
char       *_tdm_fake_webshop_record_updated_at  (TdmFakeWebshop *self,
                                                  TdmKind         kind,
                                                  JsonObject     *record);
void        _tdm_fake_webshop_set_string         (JsonObject     *object,
                                                  const char     *path,
                                                  const char     *value);
/* A write moves updated_at forward and gives a new etag. */
void        _tdm_fake_webshop_stamp_write        (TdmFakeWebshop *self,
                                                  TdmKind         kind,
                                                  JsonObject     *record,
                                                  const char     *previous_updated_at);
char       *_tdm_fake_webshop_new_id             (TdmFakeWebshop *self,
                                                  TdmKind         kind);
/* Sorted (updated_at, id) list of borrowed records. */
GPtrArray  *_tdm_fake_webshop_sorted_records     (TdmFakeWebshop *self,
                                                  TdmKind         kind);
void        _tdm_fake_webshop_add_tombstone      (TdmFakeWebshop *self,
                                                  TdmKind         kind,
                                                  const char     *id);
void        _tdm_fake_webshop_tombstone_free     (Tombstone        *t);
void        _tdm_fake_webshop_idempotent_result_free (IdempotentResult *r);

/* ---- tdm-fake-webshop-validate.c ---- */

/* FALSE with the field and message in `p` (to be freed) when refused. */
gboolean    _tdm_fake_webshop_validate_record    (TdmKind         kind,
                                                  JsonObject     *record,
                                                  FakeProblem    *p);
/* ---- tdm-fake-webshop-unique.c ---- */

/* The id of another record holding a unique value of `record`, or NULL. */
char       *_tdm_fake_webshop_find_duplicate     (TdmFakeWebshop *self,
                                                  TdmKind         kind,
                                                  JsonObject     *record,
                                                  const char     *self_id,
                                                  const char    **out_field);
/* Stores `record` (transfer full) under `id`, replacing any, indexed. */
void        _tdm_fake_webshop_put_record         (TdmFakeWebshop *self,
                                                  TdmKind         kind,
                                                  const char     *id,
                                                  JsonObject     *record);
/* FALSE when there is no such record. */
gboolean    _tdm_fake_webshop_remove_record      (TdmFakeWebshop *self,
                                                  TdmKind         kind,
                                                  const char     *id);
/* Around a change made in place: out of the index before, back after. */
void        _tdm_fake_webshop_unindex_record     (TdmFakeWebshop *self,
                                                  TdmKind         kind,
                                                  const char     *id);
void        _tdm_fake_webshop_reindex_record     (TdmFakeWebshop *self,
                                                  TdmKind         kind,
                                                  const char     *id);

/* ---- tdm-fake-webshop-list.c, tdm-fake-webshop-write.c ---- */

void        _tdm_fake_webshop_serve_list         (TdmFakeWebshop    *self,
                                                  SoupServerMessage *msg,
                                                  TdmKind            kind,
                                                  GHashTable        *query);
void        _tdm_fake_webshop_serve_deleted      (TdmFakeWebshop    *self,
                                                  SoupServerMessage *msg,
                                                  TdmKind            kind,
                                                  GHashTable        *query);
void        _tdm_fake_webshop_serve_create       (TdmFakeWebshop    *self,
                                                  SoupServerMessage *msg,
                                                  TdmKind            kind);
void        _tdm_fake_webshop_serve_update       (TdmFakeWebshop    *self,
                                                  SoupServerMessage *msg,
                                                  TdmKind            kind,
                                                  const char        *id);
void        _tdm_fake_webshop_serve_delete       (TdmFakeWebshop    *self,
                                                  SoupServerMessage *msg,
                                                  TdmKind            kind,
                                                  const char        *id);

/* ---- tdm-fake-webshop-faults.c ---- */

/* FALSE when answered (401 or 429). */
gboolean     _tdm_fake_webshop_check_auth        (TdmFakeWebshop    *self,
                                                  SoupServerMessage *msg);
gboolean     _tdm_fake_webshop_check_rate        (TdmFakeWebshop    *self,
                                                  SoupServerMessage *msg);
/* The fault for this request (TDM_FAKE_FAULT_NONE mostly), and its param. */
TdmFakeFault _tdm_fake_webshop_take_fault        (TdmFakeWebshop    *self,
                                                  guint             *out_param);
/* Faults answered without looking at the request. TRUE when answered. */
gboolean     _tdm_fake_webshop_serve_fault       (SoupServerMessage *msg,
                                                  TdmFakeFault       fault,
                                                  guint              param);
/* Writes `raw` (nullable) on the connection and closes it. */
void         _tdm_fake_webshop_write_raw_and_close (SoupServerMessage *msg,
                                                    const char        *raw);
/* Holds the answer back for `ms` milliseconds. */
void         _tdm_fake_webshop_delay_answer      (TdmFakeWebshop    *self,
                                                  SoupServerMessage *msg,
                                                  guint              ms);
/* self->delayed's free function, and ending every wait (dispose). */
void         _tdm_fake_webshop_delayed_free      (gpointer           delayed);
void         _tdm_fake_webshop_stop_delayed      (TdmFakeWebshop    *self);

G_END_DECLS
