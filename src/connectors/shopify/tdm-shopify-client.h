/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#pragma once

#include <libsoup/soup.h>
#include <json-glib/json-glib.h>
#include "tdm-credential-store.h"
#include "tdm-shopify-json.h"

G_BEGIN_DECLS

/* The GraphQL client of the Shopify connector: authentication
 * (client-credentials grant or a fixed Admin API token), documents from the
 * GResource, cost-aware pacing, THROTTLED/429/5xx handling. */

typedef enum {
  TDM_SHOPIFY_AUTH_CLIENT_CREDENTIALS,
  TDM_SHOPIFY_AUTH_TOKEN,
} TdmShopifyAuthMode;

gboolean tdm_shopify_auth_mode_from_string (const char *str, TdmShopifyAuthMode *out);

typedef enum {
  TDM_SHOPIFY_EXEC_NONE      = 0,
  /* Do not resend after an unclear failure (timeout, reset, 5xx, malformed
   * answer): the write may have happened. THROTTLED is still retried (Shopify
   * did not run the request). */
  TDM_SHOPIFY_EXEC_NO_REPLAY = 1 << 0,
} TdmShopifyExecFlags;

#define TDM_TYPE_SHOPIFY_CLIENT (tdm_shopify_client_get_type ())
G_DECLARE_FINAL_TYPE (TdmShopifyClient, tdm_shopify_client, TDM, SHOPIFY_CLIENT, GObject)

/* `shop`: "name.myshopify.com", "name" or a loopback URL
 * ("http://127.0.0.1:8081"). Fails with CONFIG / INSECURE. */
TdmShopifyClient *tdm_shopify_client_new   (const char          *shop,
                                            const char          *api_version,  /* NULL: 2026-10 */
                                            TdmShopifyAuthMode   mode,
                                            const char          *client_id,    /* client-credentials only */
                                            GError             **error);
/* The client secret (client-credentials) or the access token (token mode).
 * Held in memory only, never logged. */
void         tdm_shopify_client_set_secret           (TdmShopifyClient   *self,
                                                      const char         *secret);
/* Where to look the secret up when none was set (side SHOPIFY, `account`). */
void         tdm_shopify_client_set_credential_store (TdmShopifyClient   *self,
                                                      TdmCredentialStore *store,
                                                      const char         *account);
void         tdm_shopify_client_set_timeout          (TdmShopifyClient   *self,
                                                      guint               seconds);
void         tdm_shopify_client_set_max_retries      (TdmShopifyClient   *self,
                                                      guint               retries);

/* Back-off between retries of transient failures (defaults 500 ms doubling up to 30 s). */
void         tdm_shopify_client_set_backoff          (TdmShopifyClient   *self,
                                                      guint               base_delay_ms,
                                                      guint               max_delay_ms);

const char  *tdm_shopify_client_get_endpoint         (TdmShopifyClient   *self);
const char  *tdm_shopify_client_get_base_url         (TdmShopifyClient   *self);
SoupSession *tdm_shopify_client_get_session          (TdmShopifyClient   *self);

/* The document for an operation name ("CustomersChanged" →
 * graphql/customers-changed.graphql), with the fragments it spreads. */
char        *tdm_shopify_client_get_document         (const char         *operation,
                                                      GError            **error);

/* Run one operation. `variables` may be NULL (transfer none).
 * `estimated_cost`: the requested cost expected (<= 0: the last one seen for
 * this operation, else 10). A query's requested cost once seen for the same
 * operation and whole-number variables is used instead of it. Returns the
 * "data" object (transfer full). */
void         tdm_shopify_client_execute_async        (TdmShopifyClient    *self,
                                                      const char          *operation,
                                                      JsonObject          *variables,
                                                      double               estimated_cost,
                                                      TdmShopifyExecFlags  flags,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
JsonObject  *tdm_shopify_client_execute_finish       (TdmShopifyClient    *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);

/* Make sure a valid token is held (fetches one in client-credentials mode). */
void         tdm_shopify_client_ensure_token_async   (TdmShopifyClient    *self,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
gboolean     tdm_shopify_client_ensure_token_finish  (TdmShopifyClient    *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);

guint64      tdm_shopify_client_get_request_count    (TdmShopifyClient *self);
guint        tdm_shopify_client_get_throttled_count  (TdmShopifyClient *self);
guint        tdm_shopify_client_get_token_count      (TdmShopifyClient *self);  /* tokens obtained */
/* The requested cost of `document` with `variables` by Shopify's
 * published rules (docs/shopify.md § Cost and throttling); 0 when the
 * document cannot be read. */
double       tdm_shopify_requested_cost_estimate     (const char       *document,
                                                      JsonObject       *variables);
/* Last requested cost seen for an operation, or -1. */
double       tdm_shopify_client_get_last_cost        (TdmShopifyClient *self,
                                                      const char       *operation);
/* Shopify's own time (its Date header, UTC RFC 3339) on the last good
 * answer to an operation, or NULL: listings use it to move their
 * watermark (docs/sync.md § Watermarks). */
const char  *tdm_shopify_client_get_answered_at      (TdmShopifyClient *self,
                                                      const char       *operation);
/* Pacing decisions, for tests and benchmarks: the points taken from the
 * bucket for the last request of an operation (-1: none yet), and the most
 * requests of it running at once (started, not yet returned). */
double       tdm_shopify_client_get_last_reserved_cost (TdmShopifyClient *self,
                                                        const char       *operation);
guint        tdm_shopify_client_get_most_in_flight   (TdmShopifyClient *self,
                                                      const char       *operation);
const TdmShopifyBucket *tdm_shopify_client_get_bucket (TdmShopifyClient *self);
/* The largest cost one query should request (≤ 1,000, and ≤ half the bucket once known). */
double       tdm_shopify_client_get_query_budget     (TdmShopifyClient *self);

G_END_DECLS
