/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#pragma once

#include "tdm-fake-webshop.h"
#include "tdm-fake-shopify.h"
#include "tdm-test-spawn.h"

G_BEGIN_DECLS

/* A world for the real `tandem` as a child process: both fakes running in
 * this process with the credentials given, and a temporary folder with the
 * child's settings (pointing at the fakes) and its state. Tests that drive
 * the engine in-process use tests/engine/e2e-harness.h instead. */
typedef struct
{
  TdmFakeWebshop *web;
  TdmFakeShopify *shop;
  char           *dir;        /* config/ and state/ of the child; removed with the world */
  char           *keyfile;    /* the child's settings (tdm-test-settings.h) */
  char           *client_id;
} TdmTestWorld;

/* `name` goes into the folder's name (/tmp/tandem-<name>-XXXXXX). The
 * webshop takes `webshop_token` as a bearer token; Shopify hands out
 * tokens for `client_id` and `client_secret`. */
TdmTestWorld *tdm_test_world_new            (const char   *name,
                                             const char   *webshop_token,
                                             const char   *client_id,
                                             const char   *client_secret);
void          tdm_test_world_free           (TdmTestWorld *world);
/* Rewrites the child's settings: both shops' addresses and the client ID,
 * then `extra` ("key=value\n" lines, may be NULL). */
void          tdm_test_world_write_settings (TdmTestWorld *world,
                                             const char   *extra);
/* Seeds a record from a JSON object literal (the fake's own shape);
 * returns its new id (transfer full). */
char         *tdm_test_world_seed_webshop   (TdmTestWorld *world,
                                             TdmKind       kind,
                                             const char   *json);
char         *tdm_test_world_seed_shopify   (TdmTestWorld *world,
                                             TdmKind       kind,
                                             const char   *json);
/* Requests both fakes have answered so far. */
guint64       tdm_test_world_requests       (TdmTestWorld *world);
/* A launcher for `tandem` in this world (tdm_test_launcher_new()). */
GSubprocessLauncher *
              tdm_test_world_launcher       (TdmTestWorld     *world,
                                             GSubprocessFlags  flags,
                                             const char       *webshop_secret,
                                             const char       *shopify_secret);
/* Runs `tandem --sync-now` (and `extra_arg`, nullable) in this world to its
 * end, at most 300 s, or until it is killed: once the fakes have answered
 * `kill_after` more requests (0: never) or as soon as `kill_when (world)`
 * holds (nullable). An ending on its own must be clean (status 0).
 * Returns TRUE when it was killed. */
gboolean      tdm_test_world_sync_now       (TdmTestWorld     *world,
                                             const char       *webshop_secret,
                                             const char       *shopify_secret,
                                             const char       *extra_arg,
                                             guint64           kill_after,
                                             TdmTestPredicate  kill_when);
/* Kills `child` once the fakes have answered `n_requests` more requests. */
void          tdm_test_world_kill_after     (TdmTestWorld *world,
                                             TdmTestChild *child,
                                             guint64       n_requests);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TdmTestWorld, tdm_test_world_free)

G_END_DECLS
