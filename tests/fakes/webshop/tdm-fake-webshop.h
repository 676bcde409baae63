/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#pragma once

#include <libsoup/soup.h>
#include <json-glib/json-glib.h>

#include "tdm-types.h"
#include "tdm-webshop-profile.h"

G_BEGIN_DECLS

/* TdmFakeWebshop: the Webshop Sync API (docs/webshop-api.md) in memory, on a
 * SoupServer bound to 127.0.0.1 on a random port, running on the thread-default
 * main context of the caller of tdm_fake_webshop_start(). For the tests, the
 * end-to-end tests and tandem-sandbox. The API below is stable.
 *
 * Everything the contract says is implemented for customers, products and
 * orders: keyset cursor paging ordered by (updated_at, id), updated_since,
 * Idempotency-Key replay (and 422 idempotency_key_reused), ETag / If-Match /
 * 412, 409 duplicate (customer email, product SKU) with existing_id, 422
 * validation naming the field, tombstones, auth, a rate cap answered with 429
 * + Retry-After, and fault injection. A profile (tdm_fake_webshop_set_profile)
 * switches paths, parameter names, envelope and paging style (page, offset,
 * Link) so the shipped profiles can be tested against the same fake. */

#define TDM_TYPE_FAKE_WEBSHOP (tdm_fake_webshop_get_type ())
G_DECLARE_FINAL_TYPE (TdmFakeWebshop, tdm_fake_webshop, TDM, FAKE_WEBSHOP, GObject)

typedef enum {
  TDM_FAKE_FAULT_NONE,
  TDM_FAKE_FAULT_500,
  TDM_FAKE_FAULT_502,
  TDM_FAKE_FAULT_503,
  TDM_FAKE_FAULT_429,            /* param = Retry-After seconds */
  TDM_FAKE_FAULT_RESET,          /* the connection is closed without an answer; with
                                  * param 1 the request is carried out first (the
                                  * answer is lost, the write happened) */
  TDM_FAKE_FAULT_TRUNCATED,      /* 200, Content-Length larger than the bytes sent */
  TDM_FAKE_FAULT_MALFORMED_JSON, /* 200 with a body that is not JSON */
  TDM_FAKE_FAULT_DELAY,          /* the real answer, after param milliseconds */
} TdmFakeFault;

/* One served request. */
typedef struct {
  char  *method;
  char  *path;             /* without the query, e.g. "/customers/10001" */
  char  *query;            /* nullable */
  guint  status;           /* 0 for a reset connection */
  char  *body;             /* request body, nullable */
  char  *idempotency_key;  /* nullable */
  char  *if_match;         /* nullable */
  char  *authorization;    /* "present" or NULL: the value is never kept */
  TdmFakeFault fault;      /* the fault served instead of the real answer, if any */
} TdmFakeRequest;

/* A route of the default profile, for comparing with the OpenAPI file. */
typedef struct {
  const char *method;
  const char *path;        /* "/customers", "/customers/{id}", "/customers/deleted" */
} TdmFakeRoute;

TdmFakeWebshop *tdm_fake_webshop_new            (void);
gboolean        tdm_fake_webshop_start          (TdmFakeWebshop  *self,
                                                 GError         **error);
/* Listen on a given loopback port (0 = random). Call instead of _start. */
gboolean        tdm_fake_webshop_start_on_port  (TdmFakeWebshop  *self,
                                                 guint            port,
                                                 GError         **error);
/* "http://127.0.0.1:PORT" (no trailing slash): the base URL of the API. */
const char     *tdm_fake_webshop_get_url        (TdmFakeWebshop  *self);

/* Paths, parameter names, envelope, paging and auth header as in the profile.
 * NULL restores the default (the contract). */
void            tdm_fake_webshop_set_profile    (TdmFakeWebshop    *self,
                                                 TdmWebshopProfile *profile);
/* Require credentials. kind BEARER: secret = token; BASIC: "user:password";
 * HEADER: the value of the profile's auth header. TDM_WEBSHOP_AUTH_PROFILE
 * (the initial state) accepts every request. */
void            tdm_fake_webshop_set_auth       (TdmFakeWebshop  *self,
                                                 TdmWebshopAuth   kind,
                                                 const char      *secret);
/* At most `requests_per_second` requests in any sliding second (0 = no cap);
 * the rest is answered 429 with Retry-After: retry_after seconds. */
void            tdm_fake_webshop_set_rate_limit (TdmFakeWebshop  *self,
                                                 guint            requests_per_second,
                                                 guint            retry_after);

/* Store a record as if it had been in the shop all along. Missing id,
 * created_at, updated_at and etag are filled in; present ones are kept
 * (deterministic demo data). No validation. Returns the id. */
char           *tdm_fake_webshop_seed           (TdmFakeWebshop  *self,
                                                 TdmKind          kind,
                                                 JsonObject      *record);
/* An edit in the shop's own admin: merges `patch` (top-level members) into
 * the record, bumps updated_at and etag. FALSE when there is no such record. */
gboolean        tdm_fake_webshop_update         (TdmFakeWebshop  *self,
                                                 TdmKind          kind,
                                                 const char      *id,
                                                 JsonObject      *patch);
/* A delete in the shop's own admin (leaves a tombstone). */
gboolean        tdm_fake_webshop_delete         (TdmFakeWebshop  *self,
                                                 TdmKind          kind,
                                                 const char      *id);
/* A copy of the stored record, or NULL. */
JsonObject     *tdm_fake_webshop_get_record     (TdmFakeWebshop  *self,
                                                 TdmKind          kind,
                                                 const char      *id);
/* Copies of every stored record of a kind, ordered by (updated_at, id). */
GPtrArray      *tdm_fake_webshop_get_records    (TdmFakeWebshop  *self,
                                                 TdmKind          kind);
guint           tdm_fake_webshop_count          (TdmFakeWebshop  *self,
                                                 TdmKind          kind);

/* Serve `fault` instead of the real answer to the (skip+1)-th API request
 * from now, and to the `times` - 1 requests after it. Faults queue up. */
void            tdm_fake_webshop_inject_fault   (TdmFakeWebshop  *self,
                                                 guint            skip,
                                                 TdmFakeFault     fault,
                                                 guint            param,
                                                 guint            times);

/* Forget every queued fault. */
void            tdm_fake_webshop_clear_faults   (TdmFakeWebshop  *self);

/* How record pages misbehave, per kind (hostile-server tests). */
typedef enum {
  TDM_FAKE_LIST_NORMAL,
  TDM_FAKE_LIST_REPEAT_CURSOR,  /* the cursor is ignored: every page is the first one,
                                 * always with the same next_cursor */
  TDM_FAKE_LIST_ENDLESS,        /* every page holds `limit` new records (stored, as if
                                 * created meanwhile) and a new next_cursor */
} TdmFakeListMode;
void            tdm_fake_webshop_set_list_mode  (TdmFakeWebshop  *self,
                                                 TdmKind          kind,
                                                 TdmFakeListMode  mode);
/* `item` (copied) is appended to every records page of the kind as sent: a
 * stale or edited duplicate, a record with a broken timestamp. NULL removes it. */
void            tdm_fake_webshop_set_page_extra (TdmFakeWebshop  *self,
                                                 TdmKind          kind,
                                                 JsonObject      *item);

/* Every create of the kind answers 409 duplicate naming `existing_id`,
 * which need not exist (a broken unique check). NULL: real checks again. */
void            tdm_fake_webshop_set_ghost_twin (TdmFakeWebshop  *self,
                                                 TdmKind          kind,
                                                 const char      *existing_id);

/* Called at the start of every request, before it is answered (tests use it
 * to edit a record "at the same time"). NULL removes it. */
typedef void (*TdmFakeRequestHook) (TdmFakeWebshop *self,
                                    const char     *method,
                                    const char     *path,
                                    gpointer        user_data);
void            tdm_fake_webshop_set_request_hook (TdmFakeWebshop     *self,
                                                   TdmFakeRequestHook  hook,
                                                   gpointer            user_data);

/* transfer none: TdmFakeRequest*, oldest first. */
GPtrArray      *tdm_fake_webshop_get_request_log (TdmFakeWebshop *self);
void            tdm_fake_webshop_clear_log      (TdmFakeWebshop  *self);
/* One JSON object per line. */
gboolean        tdm_fake_webshop_write_log      (TdmFakeWebshop  *self,
                                                 const char      *path,
                                                 GError         **error);
/* Requests currently being answered / the most seen at once. */
guint           tdm_fake_webshop_get_max_in_flight (TdmFakeWebshop *self);

/* The routes served with the default profile; NULL-terminated. */
const TdmFakeRoute *tdm_fake_webshop_get_routes (void);

const char     *tdm_fake_fault_to_string        (TdmFakeFault fault);

G_END_DECLS
