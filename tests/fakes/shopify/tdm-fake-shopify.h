/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include "tdm-types.h"

G_BEGIN_DECLS

/* TdmFakeShopify: an in-process fake of the Shopify Admin GraphQL API on
 * 127.0.0.1 (random port), for tests, benchmarks and the demo sandbox.
 *
 * It serves, on the thread-default main context of tdm_fake_shopify_start():
 *   POST /admin/oauth/access_token        client-credentials grant (form)
 *   POST /admin/api/<version>/graphql.json GraphQL, dispatched on the
 *                                          operation NAME of the document
 *                                          (Tandem's documents, see
 *                                          src/connectors/shopify/graphql/)
 *   GET  /bulk/<n>.jsonl                   bulk export and mutation results (no auth)
 *   POST /staged-uploads                   a staged upload (multipart form, no auth)
 *
 * State is kept per kind as nodes in Tandem's read shape (the fields the
 * documents select), with GIDs ("gid://shopify/Customer/1001"), updatedAt
 * bumped on every write, cursor paging, `updated_at:>'…'` / `>='…'` filters
 * (the customers filter compares whole days, like Shopify's), upserts by the
 * $app:tandem.webshop_id custom id, realistic userErrors (TAKEN email/phone
 * with code, invalid email, invalid phone, blank title, TAKEN custom id,
 * unknown variant, more than 2,048 variants), a product's variants paged
 * like Shopify's (the first $variantsFirst with pageInfo; the rest through
 * the ProductVariants query's first/after), query cost (a connection costs
 * 2 + first × node cost, a mutation 10; actual cost counts what was
 * returned) and a leaky bucket
 * (default 2,000 points, 100 points/s) answering THROTTLED.
 *
 * Requests without a valid X-Shopify-Access-Token get 401. */

#define TDM_TYPE_FAKE_SHOPIFY (tdm_fake_shopify_get_type ())
G_DECLARE_FINAL_TYPE (TdmFakeShopify, tdm_fake_shopify, TDM, FAKE_SHOPIFY, GObject)

typedef enum {
  TDM_FAKE_SHOPIFY_FAULT_NONE,
  /* Not executed: the request fails before it runs. */
  TDM_FAKE_SHOPIFY_FAULT_500,
  TDM_FAKE_SHOPIFY_FAULT_502,
  TDM_FAKE_SHOPIFY_FAULT_503,
  TDM_FAKE_SHOPIFY_FAULT_429,          /* with Retry-After: 1 */
  /* Executed, then the answer is lost (the write happened). */
  TDM_FAKE_SHOPIFY_FAULT_RESET,        /* connection closed without an answer */
  TDM_FAKE_SHOPIFY_FAULT_TRUNCATED,    /* Content-Length promises more than is sent */
  TDM_FAKE_SHOPIFY_FAULT_MALFORMED,    /* HTTP 200 with a body that is not JSON */
  TDM_FAKE_SHOPIFY_FAULT_DELAY,        /* answer held back by the delay (default 5 s) */
} TdmFakeShopifyFault;

typedef struct {
  char    *path;          /* request path */
  char    *operation;     /* GraphQL operation name; "access_token" for the token grant; NULL else */
  char    *query;         /* the GraphQL document sent, NULL for non-GraphQL requests */
  char    *variables;     /* variables as JSON text ("{}" when none) */
  char    *response;      /* the JSON body answered (NULL for faults without a body) */
  guint    status;        /* HTTP status answered (0 when the connection was reset) */
  gboolean throttled;     /* answered THROTTLED */
  double   requested_cost;
  double   actual_cost;   /* -1 when not run */
  char    *body;          /* a GraphQL request's body as sent, NULL when empty */
} TdmFakeShopifyRequest;

TdmFakeShopify *tdm_fake_shopify_new             (void);
/* Listen on 127.0.0.1 with a random port. */
gboolean        tdm_fake_shopify_start           (TdmFakeShopify  *self,
                                                  GError         **error);
/* "http://127.0.0.1:<port>" — pass it as the shop. */
const char     *tdm_fake_shopify_get_url         (TdmFakeShopify  *self);

/* Accepted credentials. Defaults: client id "fake-client-id", secret
 * "fake-client-secret", fixed token "shpat_fake_static_token" (token mode).
 * A NULL keeps the current value. */
void            tdm_fake_shopify_set_credentials (TdmFakeShopify  *self,
                                                  const char      *client_id,
                                                  const char      *client_secret,
                                                  const char      *access_token);
/* Lifetime of tokens from the client-credentials grant (default 86399 s). */
void            tdm_fake_shopify_set_token_lifetime (TdmFakeShopify *self,
                                                     guint           seconds);
/* Revoke every token issued so far (the next request with one gets 401). */
void            tdm_fake_shopify_expire_tokens   (TdmFakeShopify  *self);
guint           tdm_fake_shopify_get_tokens_issued (TdmFakeShopify *self);
/* Answer ACCESS_DENIED for this operation, naming `scope` (NULL clears). */
void            tdm_fake_shopify_deny_operation  (TdmFakeShopify  *self,
                                                  const char      *operation,
                                                  const char      *scope);

/* Answer shop.plan.partnerDevelopment = TRUE (a development store). */
void            tdm_fake_shopify_set_development_store (TdmFakeShopify *self,
                                                        gboolean        development);
/* How denied operations answer: 200 with a GraphQL ACCESS_DENIED error
 * (default) or HTTP 403 "[API] This action requires merchant approval for
 * <scope> scope." */
void            tdm_fake_shopify_set_deny_status (TdmFakeShopify  *self,
                                                  guint            status);

/* Store a node in the read shape (without "id"; "updatedAt" and
 * "legacyResourceId" are filled when absent; a product's variants get ids and
 * inventory items). Returns the new GID. */
char           *tdm_fake_shopify_seed            (TdmFakeShopify  *self,
                                                  TdmKind          kind,
                                                  JsonObject      *node);
/* Deep copies of the stored nodes, in creation order (transfer full). */
JsonArray      *tdm_fake_shopify_get_records     (TdmFakeShopify  *self,
                                                  TdmKind          kind);
/* One stored node (transfer full), or NULL. */
JsonObject     *tdm_fake_shopify_get_record      (TdmFakeShopify  *self,
                                                  TdmKind          kind,
                                                  const char      *id);
guint           tdm_fake_shopify_count           (TdmFakeShopify  *self,
                                                  TdmKind          kind);
/* A metafield of the shop's own on record `owner` (a GID), as a merchant
 * or another app sets it; Tandem never reads these, and must never delete
 * them. The getter returns NULL when there is none. */
void            tdm_fake_shopify_set_metafield   (TdmFakeShopify  *self,
                                                  const char      *owner,
                                                  const char      *namespace_,
                                                  const char      *key,
                                                  const char      *value);
const char     *tdm_fake_shopify_get_metafield   (TdmFakeShopify  *self,
                                                  const char      *owner,
                                                  const char      *namespace_,
                                                  const char      *key);
/* Change a stored node as a merchant would in the admin: the members of
 * `changes` replace the node's, and updatedAt is bumped (or set to
 * `updated_at` when not NULL). */
gboolean        tdm_fake_shopify_edit            (TdmFakeShopify  *self,
                                                  TdmKind          kind,
                                                  const char      *id,
                                                  JsonObject      *changes,
                                                  const char      *updated_at);
/* Delete as a merchant would; a product's deletion is recorded as a
 * "destroy" BasicEvent (served by the events query). */
gboolean        tdm_fake_shopify_delete          (TdmFakeShopify  *self,
                                                  TdmKind          kind,
                                                  const char      *id);

/* Leaky bucket: size in points and restore rate in points per second
 * (default 2,000 / 100). The bucket starts full. */
void            tdm_fake_shopify_set_bucket      (TdmFakeShopify  *self,
                                                  double           size,
                                                  double           restore_rate);
/* Time scale: the bucket restores `scale` times faster than it says, so
 * benchmarks can run fast; the reported restoreRate is scaled too (1 = real). */
/* Sets the points left in the bucket now, as another app spending them would. */
void            tdm_fake_shopify_set_available   (TdmFakeShopify  *self,
                                                  double           points);
void            tdm_fake_shopify_set_time_scale  (TdmFakeShopify  *self,
                                                  double           scale);
/* The fake's clock runs `seconds` ahead of real time (behind when
 * negative): updatedAt stamps and the Date header of every answer. Tests
 * move it on to pretend time passed between runs; a clock behind real time
 * keeps the stamps out of Tandem's "future" guard. Shared by every fake
 * Shopify of the process; 0 by default. */
void            tdm_fake_shopify_set_clock_offset (TdmFakeShopify *self,
                                                   gint64          seconds);
/* HTTP status of THROTTLED answers: 200 (default) or 429. */
void            tdm_fake_shopify_set_throttle_status (TdmFakeShopify *self,
                                                      guint           status);
/* Bulk operations complete after this many polls (default 1). */
void            tdm_fake_shopify_set_bulk_polls  (TdmFakeShopify  *self,
                                                  guint            polls);

/* ---- Bulk mutations ---- */

/* stagedUploadsCreate (BULK_MUTATION_VARIABLES) hands out a POST target on
 * the fake's own server; bulkOperationRunMutation runs the mutation once per
 * line of the uploaded JSONL, a few lines at a time on the main loop after
 * it was started (RUNNING until then), and answers, once polled COMPLETED
 * (tdm_fake_shopify_set_bulk_polls), a result file of
 * {"data": …, "__lineNumber": n} lines. One bulk mutation runs at a time:
 * another is refused with OPERATION_IN_PROGRESS until the running one was
 * polled COMPLETED. */
typedef enum {
  TDM_FAKE_SHOPIFY_STALL_UPLOAD,   /* the upload's answer is held back */
  TDM_FAKE_SHOPIFY_STALL_RESULT,   /* half the result file is sent, the rest later */
  TDM_FAKE_SHOPIFY_CUT_RESULT,     /* half the result file is sent, then the connection closes */
} TdmFakeShopifyBulkStall;

/* Stalls that stage of every bulk mutation for `ms` (0: none; for
 * TDM_FAKE_SHOPIFY_CUT_RESULT any other value cuts every result file). */
void            tdm_fake_shopify_stall_bulk      (TdmFakeShopify          *self,
                                                  TdmFakeShopifyBulkStall  stall,
                                                  guint                    ms);
/* Another app's bulk mutation is running: every bulkOperationRunMutation is
 * refused with OPERATION_IN_PROGRESS while `busy`. */
void            tdm_fake_shopify_set_bulk_mutation_busy (TdmFakeShopify *self,
                                                         gboolean        busy);
/* Files uploaded to staged targets, and lines run by bulk mutations. */
guint           tdm_fake_shopify_get_staged_uploads (TdmFakeShopify *self);
guint           tdm_fake_shopify_get_bulk_mutation_lines (TdmFakeShopify *self);

/* Fail the n-th request from now (1 = the next one) with `fault`. */
void            tdm_fake_shopify_inject_fault    (TdmFakeShopify      *self,
                                                  guint                n,
                                                  TdmFakeShopifyFault  fault);
void            tdm_fake_shopify_set_fault_delay (TdmFakeShopify  *self,
                                                  guint            milliseconds);

/* Every request so far, of TdmFakeShopifyRequest* (transfer none). */
GPtrArray      *tdm_fake_shopify_get_request_log (TdmFakeShopify  *self);
void            tdm_fake_shopify_clear_log       (TdmFakeShopify  *self);
/* Keep the request log at all (default TRUE; benchmarks may turn it off). */
void            tdm_fake_shopify_set_logging     (TdmFakeShopify  *self,
                                                  gboolean         enabled);
/* Append the log as JSON lines {"operation","query","variables","status",
 * "throttled","response"} to `path` (for the contract test). */
gboolean        tdm_fake_shopify_write_log       (TdmFakeShopify  *self,
                                                  const char      *path,
                                                  GError         **error);
/* Requests of one operation in the log. */
guint           tdm_fake_shopify_count_requests  (TdmFakeShopify  *self,
                                                  const char      *operation);

/* Totals since start (or the last reset): THROTTLED answers, requested and
 * actual cost of the requests that ran. */
guint           tdm_fake_shopify_get_throttled_count (TdmFakeShopify *self);
double          tdm_fake_shopify_get_requested_cost  (TdmFakeShopify *self);
double          tdm_fake_shopify_get_actual_cost     (TdmFakeShopify *self);
guint64         tdm_fake_shopify_get_request_total   (TdmFakeShopify *self);
void            tdm_fake_shopify_reset_counters      (TdmFakeShopify *self);

G_END_DECLS
