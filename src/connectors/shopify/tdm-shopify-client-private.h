/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#pragma once

#include "tdm-http.h"
#include "tdm-shopify-client.h"

G_BEGIN_DECLS

/* What the files of the Shopify GraphQL client (tdm-shopify-client*.c,
 * tdm-shopify-pacing.c) share; not for use outside it. The client itself,
 * its settings and the documents live in tdm-shopify-client.c, the access
 * token in -token.c, running an operation in -execute.c and the cost
 * pacing in tdm-shopify-pacing.c (docs/shopify.md § Endpoints and auth,
 * § Cost and throttling). */

struct _TdmShopifyClient
{
  GObject             parent_instance;

  char               *base_url;      /* https://shop.myshopify.com or the loopback URL */
  char               *endpoint;      /* …/admin/api/<version>/graphql.json */
  char               *api_version;
  TdmShopifyAuthMode  mode;
  char               *client_id;
  char               *secret;        /* client secret or fixed token; never logged */
  char               *token;         /* current access token; never logged */
  gint64              token_expires_us;   /* monotonic; G_MAXINT64 = never */
  TdmCredentialStore *store;
  char               *account;

  TdmHttpOptions      options;
  SoupSession        *session;
  TdmShopifyBucket    bucket;
  GHashTable         *last_cost;     /* operation → double*: requested cost */
  GHashTable         *answered_at;   /* operation → char*: Shopify's Date on its last answer (UTC) */
  GHashTable         *query_cost;    /* cost key (_tdm_shopify_query_cost_key) → double* */
  GHashTable         *op_stats;      /* operation → TdmShopifyOpStats* */
  guint64             request_count;
  guint               throttled_count;
  guint               token_count;
  GRand              *rand;
  GPtrArray          *token_waiters; /* GTask* (owned) waiting for a token request in flight */
  gboolean            probing;       /* a request is out while the bucket is unknown */
};

/* Pacing of one operation, for tests and benchmarks. */
typedef struct {
  double reserved;        /* points taken from the bucket for its last request, -1: none */
  guint  in_flight;       /* started and not yet returned */
  guint  most_in_flight;  /* the most at once */
} TdmShopifyOpStats;

/* Zeroes and frees a string that may hold a secret. */
void               _tdm_shopify_wipe_string             (char                **str);

/* ---- Token (tdm-shopify-client-token.c) ---- */

gboolean           _tdm_shopify_client_token_valid      (TdmShopifyClient     *self);
/* Drops the token so the next request asks for a new one (client
 * credentials only; a fixed token stays). */
void               _tdm_shopify_client_invalidate_token (TdmShopifyClient     *self);

/* ---- Pacing (tdm-shopify-pacing.c) ---- */

TdmShopifyOpStats *_tdm_shopify_client_op_stats        (TdmShopifyClient     *self,
                                                        const char           *operation);
/* The key naming a request's requested cost: the operation and its
 * whole-number variables. */
char              *_tdm_shopify_query_cost_key          (const char           *document,
                                                        const char           *operation,
                                                        JsonObject           *variables);
/* The points to reserve for a request: the largest requested cost seen
 * for `cost_key`, else `rules_cost` (the published rules), else the
 * caller's estimate, else the last one seen for the operation, else 10. */
double             _tdm_shopify_client_estimate         (TdmShopifyClient     *self,
                                                        const char           *cost_key,
                                                        const char           *operation,
                                                        double                rules_cost,
                                                        double                estimated_cost);
/* Takes `estimate` points from the bucket now and returns how long (µs)
 * the request should wait before it is sent. */
gint64             _tdm_shopify_client_reserve          (TdmShopifyClient     *self,
                                                        const char           *operation,
                                                        double                estimate);
/* Adopts the bucket and the requested cost an answer reported. */
void               _tdm_shopify_client_learn_cost       (TdmShopifyClient     *self,
                                                        const char           *operation,
                                                        const char           *cost_key,
                                                        const TdmShopifyCost *cost);

G_END_DECLS
