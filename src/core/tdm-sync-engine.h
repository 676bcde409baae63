/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#pragma once

#include <gio/gio.h>
#include "tdm-types.h"
#include "tdm-connector.h"
#include "tdm-record-store.h"
#include "tdm-mapping.h"
#include "tdm-planner.h"

G_BEGIN_DECLS

typedef enum {
  TDM_ENGINE_IDLE,
  TDM_ENGINE_RUNNING,
  TDM_ENGINE_ERROR,
  TDM_ENGINE_WAITING_CONFIRMATION,  /* the circuit breaker stopped the run */
} TdmEngineState;

typedef enum {
  TDM_PHASE_PREPARING,
  TDM_PHASE_RECOVERING,  /* resolving pending outbox operations */
  TDM_PHASE_PULLING,
  TDM_PHASE_PLANNING,
  TDM_PHASE_WRITING,
  TDM_PHASE_RECONCILING,
  TDM_PHASE_DONE,
} TdmSyncPhase;

typedef struct {
  guint created, updated, linked, conflicts, errors, unchanged, orphaned, deleted, waiting, review;
} TdmSyncCounts;

typedef struct {
  gboolean    dry_run;            /* plan only; nothing written anywhere */
  gboolean    confirm_large_run;  /* pass the circuit breaker */
  gboolean    reconcile;          /* full reconciliation pass */
  /* Sync one record now ("Sync this record", "Retry"): read it and its twin
   * fresh, plan and write only that pair, even if its current version failed
   * before. Watermarks are left alone. NULL = a normal run. */
  const char *only_id;
  TdmKind     only_kind;
  TdmSide     only_side;
  /* With only_id: the owner decided this record has no twin among its
   * ambiguous candidates — create it on the other side instead of waiting. */
  gboolean    only_create;
  /* "Retry all failed": records with a stored error are read again and
   * synced even if their version did not change. */
  gboolean    retry_failed;
} TdmSyncRunOptions;

#define TDM_TYPE_SYNC_ENGINE (tdm_sync_engine_get_type ())
G_DECLARE_FINAL_TYPE (TdmSyncEngine, tdm_sync_engine, TDM, SYNC_ENGINE, GObject)

/* Properties (read-only, notify on change): "state" (TdmEngineState), "phase"
 * (TdmSyncPhase), "kind" (current TdmKind; all three enums, TDM_TYPE_* from
 * tdm-enums.h), "done", "total" (progress within the
 * phase), "last-sync" (gint64 unix time of the last completed run, 0 = never),
 * "last-error" (string, nullable). Signals: "record-error" (TdmRecordError*),
 * "plan-ready" (GPtrArray* of TdmAction*, for --dry-run printing). */
TdmSyncEngine  *tdm_sync_engine_new          (TdmRecordStore *store,
                                              TdmConnector   *webshop,
                                              TdmConnector   *shopify,
                                              TdmMapping     *mapping);
void            tdm_sync_engine_set_options  (TdmSyncEngine        *self,
                                              TdmKind               kind,
                                              const TdmPlanOptions *options);
void            tdm_sync_engine_set_breaker_threshold (TdmSyncEngine *self, guint max_changes);
void            tdm_sync_engine_set_pull_limit        (TdmSyncEngine *self, guint max_records);
void            tdm_sync_engine_set_batch_threshold   (TdmSyncEngine *self, guint max_single_writes);
void            tdm_sync_engine_set_mapping  (TdmSyncEngine *self, TdmMapping *mapping);
void            tdm_sync_engine_set_connectors (TdmSyncEngine *self, TdmConnector *webshop,
                                                TdmConnector *shopify);
void            tdm_sync_engine_run_async    (TdmSyncEngine           *self,
                                              const TdmSyncRunOptions *options,
                                              GCancellable            *cancellable,
                                              GAsyncReadyCallback      callback,
                                              gpointer                 user_data);
/* TRUE when the run completed (record errors are counted, not fatal). */
gboolean        tdm_sync_engine_run_finish   (TdmSyncEngine  *self,
                                              GAsyncResult   *result,
                                              TdmSyncCounts  *out_counts,
                                              GError        **error);
/* The plan the circuit breaker stopped (TdmAction*), for the review page; NULL if none. */
GPtrArray      *tdm_sync_engine_get_stopped_plan (TdmSyncEngine *self);
TdmEngineState  tdm_sync_engine_get_state    (TdmSyncEngine *self);
gboolean        tdm_sync_engine_is_running   (TdmSyncEngine *self);
TdmSyncPhase    tdm_sync_engine_get_phase    (TdmSyncEngine *self);
TdmKind         tdm_sync_engine_get_kind     (TdmSyncEngine *self);
guint           tdm_sync_engine_get_done     (TdmSyncEngine *self);
guint           tdm_sync_engine_get_total    (TdmSyncEngine *self);
gint64          tdm_sync_engine_get_last_sync (TdmSyncEngine *self);
const char     *tdm_sync_engine_get_last_error (TdmSyncEngine *self);

G_END_DECLS
