/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-context"

#include "config.h"

#include <glib/gi18n.h>

#include "tdm-context-private.h"

/* The one way to start a run: the run lock, the connectors, the engine
 * (docs/architecture.md § How a run is started). The window's actions,
 * the background service (through the scheduler's ticks) and
 * `tandem --sync-now` all come here. */

typedef enum {
  RUN_ASKED,   /* tdm_context_sync_async(): someone asked for this run */
  RUN_TIMER,   /* a tick of the context's scheduler */
} RunOrigin;

typedef struct
{
  TdmSyncRunOptions  options;
  char              *only_id;   /* owns options.only_id */
  RunOrigin          origin;
  gboolean           locked;
  TdmSyncCounts      counts;
} SyncRun;

static SyncRun *
sync_run_new (const TdmSyncRunOptions *options,
              RunOrigin                origin)
{
  SyncRun *run = g_new0 (SyncRun, 1);

  if (options != NULL)
    run->options = *options;
  run->only_id = g_strdup (run->options.only_id);
  run->options.only_id = run->only_id;
  run->origin = origin;
  return run;
}

static void
sync_run_free (SyncRun *run)
{
  g_free (run->only_id);
  g_free (run);
}

/* ---- Steps ---- */

/* Every run ends here: the lock is given back before the caller hears of
 * the result, and a failed run makes the timer's next run reload its
 * connectors (the owner may have fixed a secret in the keyring without
 * touching any setting). */
static void
complete_run (GTask  *task,
              GError *error)
{
  TdmContext *self = g_task_get_source_object (task);
  SyncRun *run = g_task_get_task_data (task);

  g_assert (TDM_IS_CONTEXT (self));
  g_assert (self->run_in_progress);

  if (run->locked)
    tdm_store_unlock_runs (self->store);
  run->locked = FALSE;
  self->run_in_progress = FALSE;

  if (error != NULL)
    {
      self->connectors_fresh = FALSE;
      g_task_return_error (task, error);
    }
  else
    g_task_return_boolean (task, TRUE);
}

static void
on_engine_run_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SyncRun *run = g_task_get_task_data (task);
  GError *error = NULL;

  g_assert (TDM_IS_SYNC_ENGINE (source));

  tdm_sync_engine_run_finish (TDM_SYNC_ENGINE (source), result, &run->counts, &error);
  complete_run (task, error);
}

static void
run_engine (GTask *task)
{
  TdmContext *self = g_task_get_source_object (task);
  SyncRun *run = g_task_get_task_data (task);

  g_assert (TDM_IS_CONTEXT (self));
  g_assert (run->origin == RUN_TIMER || run->locked);

  tdm_sync_engine_run_async (self->engine, &run->options, g_task_get_cancellable (task),
                             on_engine_run_cb, task);
}

static void
on_connectors_loaded_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TdmContext *self = TDM_CONTEXT (source);
  GError *error = NULL;

  if (!_tdm_context_load_connectors_finish (self, result, &error))
    {
      /* Secrets never appear in these messages. */
      g_debug ("Connectors not loaded: %s", error->message);
      complete_run (task, error);
      return;
    }

  self->connectors_fresh = TRUE;
  run_engine (g_steal_pointer (&task));
}

/* A run someone asked for reads the secrets afresh (they may have changed
 * in the keyring); the timer keeps connectors that worked. */
static gboolean
needs_connectors (TdmContext *self,
                  SyncRun    *run)
{
  g_assert (TDM_IS_CONTEXT (self));

  return run->origin == RUN_ASKED || !self->connectors_fresh;
}

static void
start_run (TdmContext              *self,
           const TdmSyncRunOptions *options,
           RunOrigin                origin,
           GCancellable            *cancellable,
           GAsyncReadyCallback      callback,
           gpointer                 user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  SyncRun *run;

  g_assert (TDM_IS_CONTEXT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tdm_context_sync_async);
  g_task_set_name (task, "[tandem] context sync");
  run = sync_run_new (options, origin);
  g_task_set_task_data (task, run, (GDestroyNotify) sync_run_free);

  /* Never two runs at once, and never new connectors under a running one. */
  if (self->run_in_progress || tdm_sync_engine_is_running (self->engine))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               _("A sync is already running."));
      return;
    }

  /* One run at a time per state, across processes (tdm-run-lock.c): a run
   * someone asked for is refused before anything is read. The timer's runs
   * leave it to the engine's run_begin, so the engine's state says why a
   * tick was skipped. */
  if (origin == RUN_ASKED)
    {
      if (!tdm_store_lock_runs (self->store, &error))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      run->locked = TRUE;
    }
  self->run_in_progress = TRUE;

  if (needs_connectors (self, run))
    _tdm_context_load_connectors_async (self, cancellable, on_connectors_loaded_cb,
                                        g_steal_pointer (&task));
  else
    run_engine (g_steal_pointer (&task));
}

/* ---- The scheduler's ticks ---- */

static void
start_timer_run (gpointer             user_data,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             callback_data)
{
  g_assert (TDM_IS_CONTEXT (user_data));

  start_run (TDM_CONTEXT (user_data), NULL, RUN_TIMER, cancellable, callback, callback_data);
}

static gboolean
finish_timer_run (gpointer        user_data,
                  GAsyncResult   *result,
                  TdmSyncCounts  *out_counts,
                  GError        **error)
{
  g_assert (TDM_IS_CONTEXT (user_data));

  return tdm_context_sync_finish (TDM_CONTEXT (user_data), result, out_counts, error);
}

void
_tdm_context_attach_scheduler (TdmContext *self)
{
  g_assert (TDM_IS_CONTEXT (self));
  g_assert (TDM_IS_SYNC_SCHEDULER (self->scheduler));

  tdm_sync_scheduler_set_runner (self->scheduler, start_timer_run, finish_timer_run, self);
}

/* ---- Public ---- */

void
tdm_context_sync_async (TdmContext              *self,
                        const TdmSyncRunOptions *options,
                        GCancellable            *cancellable,
                        GAsyncReadyCallback      callback,
                        gpointer                 user_data)
{
  g_return_if_fail (TDM_IS_CONTEXT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  start_run (self, options, RUN_ASKED, cancellable, callback, user_data);
}

gboolean
tdm_context_sync_finish (TdmContext     *self,
                         GAsyncResult   *result,
                         TdmSyncCounts  *out_counts,
                         GError        **error)
{
  SyncRun *run;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tdm_context_sync_async, FALSE);

  run = g_task_get_task_data (G_TASK (result));
  if (out_counts != NULL)
    *out_counts = run->counts;
  return g_task_propagate_boolean (G_TASK (result), error);
}
