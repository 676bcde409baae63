/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#pragma once

#include "tdm-fake-webshop.h"
#include "tdm-fake-shopify.h"
#include "tdm-store.h"
#include "tdm-sync-engine.h"

G_BEGIN_DECLS

/* Both fakes on loopback, a real SQLite store in a temporary directory, the
 * real connectors and the real engine: everything but the two shops. */
typedef struct
{
  TdmFakeWebshop *web;
  TdmFakeShopify *shop;
  TdmStore       *store;
  TdmMapping     *mapping;
  TdmConnector   *webshop;
  TdmConnector   *shopify;
  TdmSyncEngine  *engine;
  char           *dir;
  GPtrArray      *record_errors;  /* TdmRecordError copies seen during runs */
  GPtrArray      *warnings;       /* char*: the engine's "warning" signals during runs */
} E2E;

#define E2E_WEBSHOP_TOKEN   "made-up-webshop-token-7f3a"
#define E2E_SHOPIFY_ID      "fake-client-id"
#define E2E_SHOPIFY_SECRET  "fake-client-secret"

E2E        *e2e_new              (void);
void        e2e_free             (E2E *e2e);
/* Runs one sync to the end; returns its success, fills counts and error. */
gboolean    e2e_run              (E2E                     *e2e,
                                  const TdmSyncRunOptions *options,
                                  TdmSyncCounts           *counts,
                                  GError                 **error);
/* One run that must succeed: asserts that it does and sets no error. */
void        e2e_run_ok           (E2E                     *e2e,
                                  const TdmSyncRunOptions *options,
                                  TdmSyncCounts           *counts);
/* After a converged run: clears the write logs, runs once more and asserts
 * that the run succeeds and writes nothing to either shop. */
void        e2e_assert_next_run_writes_nothing (E2E *e2e);
/* A run longer than this fails the program (default 120 s; benchmarks raise it). */
void        e2e_set_run_timeout  (guint seconds);
void        e2e_set_policy       (E2E *e2e, TdmConflictPolicy conflict, TdmConflictPolicy first_link);
/* A new webshop connector asking for pages of `page_size` records. */
void        e2e_set_webshop_page_size (E2E *e2e, guint page_size);
/* Seed from a JSON object literal. Returns the new id (transfer full). */
char       *e2e_seed_webshop     (E2E *e2e, TdmKind kind, const char *json);
char       *e2e_seed_shopify     (E2E *e2e, TdmKind kind, const char *json);
void        e2e_edit_webshop     (E2E *e2e, TdmKind kind, const char *id, const char *json);
void        e2e_edit_shopify     (E2E *e2e, TdmKind kind, const char *id, const char *json);
/* Write requests seen by each fake since the last clear. */
guint       e2e_webshop_writes   (E2E *e2e);
guint       e2e_shopify_writes   (E2E *e2e);
guint       e2e_shopify_record_writes (E2E *e2e);  /* without the one-time metafield set-up */
void        e2e_clear_logs       (E2E *e2e);
/* Finds a stored record by a top-level string member (webshop) or a dot path (Shopify). */
JsonObject *e2e_find_webshop     (E2E *e2e, TdmKind kind, const char *member, const char *value);
JsonObject *e2e_find_shopify     (E2E *e2e, TdmKind kind, const char *path, const char *value);
guint       e2e_count_shopify_by (E2E *e2e, TdmKind kind, const char *path, const char *value);
guint       e2e_count_webshop_by (E2E *e2e, TdmKind kind, const char *member, const char *value);
const char *e2e_json_path_string (JsonObject *object, const char *path);

G_END_DECLS
