/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#pragma once

#include <gio/gio.h>
#include "tdm-sync-engine.h"

G_BEGIN_DECLS

#define TDM_TYPE_SYNC_SCHEDULER (tdm_sync_scheduler_get_type ())
G_DECLARE_FINAL_TYPE (TdmSyncScheduler, tdm_sync_scheduler, TDM, SYNC_SCHEDULER, GObject)

/* Runs the engine every `interval` seconds while it lives: never two runs
 * at once, exponential back-off after failures (up to 8× the interval),
 * ticks skipped while the network monitor reports no network (a run
 * follows as soon as it returns), and the interval stretched while the
 * power-saver profile is on. Holds the default GApplication during a run
 * so closing the window does not cut a run off.
 *
 * Properties: "interval" (guint seconds, 0 = off), "next-run" (gint64 unix
 * seconds, 0 = none), "failures" (guint). Signals: "run-finished"
 * (gboolean success, gpointer TdmSyncCounts*, gpointer GError* or NULL). */
TdmSyncScheduler *tdm_sync_scheduler_new          (TdmSyncEngine    *engine,
                                                   GNetworkMonitor  *network);   /* NULL = default */
void              tdm_sync_scheduler_set_interval (TdmSyncScheduler *self,
                                                   guint             seconds);
guint             tdm_sync_scheduler_get_interval (TdmSyncScheduler *self);
gint64            tdm_sync_scheduler_get_next_run (TdmSyncScheduler *self);
guint             tdm_sync_scheduler_get_failures (TdmSyncScheduler *self);
/* Starts a run now unless one is running or the network is down; TRUE if started. */
gboolean          tdm_sync_scheduler_run_now      (TdmSyncScheduler *self);
/* How a tick starts its run. By default the scheduler runs its engine
 * itself; the context passes its own run path (tdm_context_sync_async, so a
 * tick loads connectors first; docs/architecture.md § How a run is started).
 * `finish` gets the GAsyncResult that `start`'s callback received. */
typedef void     (*TdmSyncSchedulerStartFunc)  (gpointer             user_data,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             callback_data);
typedef gboolean (*TdmSyncSchedulerFinishFunc) (gpointer             user_data,
                                                GAsyncResult        *result,
                                                TdmSyncCounts       *out_counts,
                                                GError             **error);
/* NULL functions: back to the engine's own run. `user_data` is not owned. */
void              tdm_sync_scheduler_set_runner   (TdmSyncScheduler           *self,
                                                   TdmSyncSchedulerStartFunc   start,
                                                   TdmSyncSchedulerFinishFunc  finish,
                                                   gpointer                    user_data);
/* The delay before the next tick after `failures` consecutive failures. */
guint             tdm_sync_scheduler_compute_delay (guint    interval,
                                                    guint    failures,
                                                    gboolean power_saver);

G_END_DECLS
