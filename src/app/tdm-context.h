/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#pragma once

#include <gio/gio.h>
#include "tdm-types.h"
#include "tdm-mapping.h"
#include "tdm-connector.h"
#include "tdm-credential-store.h"
#include "tdm-record-store.h"
#include "tdm-sync-engine.h"
#include "tdm-sync-scheduler.h"
#include "tdm-error.h"

G_BEGIN_DECLS

/* The services of one Tandem instance, wired together: settings, the local
 * store, the credential store, both connectors and the sync engine. The
 * window and the headless runner each create one and pass it to whatever
 * needs services (no other singletons). No GTK in here. */
#define TDM_TYPE_CONTEXT (tdm_context_get_type ())
G_DECLARE_FINAL_TYPE (TdmContext, tdm_context, TDM, CONTEXT, GObject)

/* Properties (read-only, notify on change):
 *   "configured"  gboolean  both connections have a URL/shop (secrets are checked at run time)
 *   "demo"        gboolean  running on the built-in demo sandbox (TANDEM_DEMO=1)
 *   "engine"      TdmSyncEngine
 */

/* Opens the state database in $XDG_DATA_HOME/tandem/state.sqlite3 (or
 * $TANDEM_STATE_DIR when set) with GSettings schema SCHEMA_ID. A corrupt or
 * newer database fails here with a clear message. `credentials` NULL = the
 * system keyring (libsecret). */
TdmContext         *tdm_context_new               (GSettings           *settings,
                                                   TdmCredentialStore  *credentials,
                                                   GError             **error);
GSettings          *tdm_context_get_settings      (TdmContext *self);
TdmCredentialStore *tdm_context_get_credentials   (TdmContext *self);
TdmRecordStore     *tdm_context_get_store         (TdmContext *self);  /* a TdmStore */
TdmMapping         *tdm_context_get_mapping       (TdmContext *self);
TdmSyncEngine      *tdm_context_get_engine        (TdmContext *self);
gboolean            tdm_context_get_configured    (TdmContext *self);
gboolean            tdm_context_get_demo          (TdmContext *self);
const char         *tdm_context_get_state_dir     (TdmContext *self);

/* The one way to start a run (docs/architecture.md § How a run is started):
 * takes the run lock (one run at a time per state, across processes: a
 * second one fails with G_IO_ERROR_BUSY, "Another sync is running (pid
 * N)…", before anything is read), looks both secrets up and builds both
 * connectors from the current settings, then runs the engine with
 * `options` (copied; NULL = a normal run). A run while another one of this
 * context is under way fails with G_IO_ERROR_PENDING. Connector errors
 * are TDM_SYNC_ERROR_CONFIG naming what is missing, never the secret.
 *
 * The scheduler's ticks go the same way, with two differences that suit a
 * run nobody asked for: they keep the connectors (and their tokens) until
 * a connection setting changes or a run fails, and they leave the lock to
 * the engine, whose state then says why a tick was skipped. */
void                tdm_context_sync_async        (TdmContext               *self,
                                                   const TdmSyncRunOptions  *options,
                                                   GCancellable             *cancellable,
                                                   GAsyncReadyCallback       callback,
                                                   gpointer                  user_data);
/* TRUE when the run completed (record errors are counted, not fatal).
 * `out_counts` is filled either way. */
gboolean            tdm_context_sync_finish       (TdmContext               *self,
                                                   GAsyncResult             *result,
                                                   TdmSyncCounts            *out_counts,
                                                   GError                  **error);
/* The connector of `side` the last run loaded, or NULL before one did
 * (Preferences and notifications ask it about its API version). */
TdmConnector       *tdm_context_get_connector     (TdmContext *self,
                                                   TdmSide     side);
/* The background timer, following the sync-interval setting. */
TdmSyncScheduler   *tdm_context_get_scheduler     (TdmContext *self);
/* Lets the scheduler follow the sync-interval setting (the window and
 * --background call this; --sync-now does not). */
void                tdm_context_start_scheduler   (TdmContext *self);
/* Saves a user mapping ($XDG_CONFIG_HOME/tandem/mapping.json) after validating it. */
gboolean            tdm_context_save_mapping      (TdmContext  *self,
                                                   TdmMapping  *mapping,
                                                   GError     **error);
gboolean            tdm_context_reset_mapping     (TdmContext  *self,
                                                   GError     **error);

/* Builds a fresh connector for `side` from the current settings (used by
 * "Test connection" before settings are saved too). */
void                tdm_context_create_connector_async  (TdmContext          *self,
                                                         TdmSide              side,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);
TdmConnector       *tdm_context_create_connector_finish (TdmContext          *self,
                                                         GAsyncResult        *result,
                                                         GError             **error);

G_END_DECLS
