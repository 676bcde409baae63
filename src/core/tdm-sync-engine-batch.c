/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-sync-engine"

#include "config.h"

#include "tdm-sync-engine-private.h"

/* Big runs (docs/sync.md § Big runs): when a kind has more creates or
 * updates for one side than the engine's batch threshold, and that side's
 * connector takes them in batches (Shopify: one bulk mutation, docs/shopify.md
 * § Bulk mutations), they go to it as one batch. Each write is still a job
 * of its own: a create's outbox op is committed before the batch starts,
 * and each write's result comes back on its own, is parked as a resumption
 * and taken by the same callback a single write's result goes to, so its
 * commit (link, snapshots, history, errors) and the steps after it (the
 * link marker, the other side of an update) are those of a single write,
 * at most TDM_SYNC_MAX_IN_FLIGHT at a time. A write the batch did not
 * answer is sent alone. */

/* A job a batch answered, waiting for its turn. */
typedef struct
{
  TdmSyncJob   *job;
  GObject      *source;     /* the connector */
  GAsyncResult *result;     /* NULL: send the write alone */
} TdmJobResume;

typedef struct _SyncBatch SyncBatch;

/* One write of a batch. */
typedef struct
{
  SyncBatch  *batch;
  TdmSyncJob *job;          /* until the batch answered it */
  JsonObject *fields;       /* what the write sends, held for the whole batch: its
                             * job may send again from inside the write's callback */
} BatchSlot;

struct _SyncBatch
{
  GTask      *task;
  TdmSide     side;
  GPtrArray  *slots;        /* BatchSlot* */
  GPtrArray  *writes;       /* TdmBatchWrite* */
};

static void
job_resume_free (TdmJobResume *resume)
{
  g_clear_pointer (&resume->job, _tdm_sync_job_free);
  g_clear_object (&resume->source);
  g_clear_object (&resume->result);
  g_free (resume);
}

static void
batch_slot_free (BatchSlot *slot)
{
  g_clear_pointer (&slot->job, _tdm_sync_job_free);
  g_clear_pointer (&slot->fields, json_object_unref);
  g_free (slot);
}

static void
sync_batch_free (SyncBatch *batch)
{
  g_clear_pointer (&batch->writes, g_ptr_array_unref);
  g_clear_pointer (&batch->slots, g_ptr_array_unref);
  g_clear_object (&batch->task);
  g_free (batch);
}

void
_tdm_sync_engine_clear_batches (TdmRunState *st)
{
  TdmJobResume *resume;

  g_assert (st->batches == 0);

  while ((resume = g_queue_pop_head (&st->resumes)) != NULL)
    job_resume_free (resume);
  g_clear_pointer (&st->batched, g_hash_table_unref);
}

/* ---- Results ---- */

static void
push_resume (GTask        *task,
             TdmSyncJob   *job,
             GObject      *source,
             GAsyncResult *result)
{
  TdmRunState *st = _tdm_sync_task_state (task);
  TdmJobResume *resume = g_new0 (TdmJobResume, 1);

  g_assert (job != NULL);

  resume->job = job;
  resume->source = source != NULL ? g_object_ref (source) : NULL;
  resume->result = result != NULL ? g_object_ref (result) : NULL;
  g_queue_push_tail (&st->resumes, resume);
}

gboolean
_tdm_sync_engine_resume_next (GTask *task)
{
  TdmRunState *st = _tdm_sync_task_state (task);
  TdmJobResume *resume = g_queue_pop_head (&st->resumes);
  TdmSyncJob *job;
  TdmAction *action;

  if (resume == NULL)
    return FALSE;
  job = g_steal_pointer (&resume->job);
  action = job->action;
  st->in_flight++;
  if (resume->result != NULL && action->type == TDM_ACTION_CREATE)
    _tdm_sync_job_created_cb (resume->source, resume->result, job);
  else if (resume->result != NULL)
    _tdm_sync_job_updated_cb (resume->source, resume->result, job);
  else if (action->type == TDM_ACTION_CREATE)
    _tdm_sync_job_send_create (job);
  else
    _tdm_sync_job_send_side (job);
  job_resume_free (resume);
  return TRUE;
}

/* One write's result: its job waits for its turn (the batch's callbacks
 * may come a thousand at once). */
static void
on_batch_write_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  BatchSlot *slot = user_data;
  GTask *task = slot->batch->task;
  TdmRunState *st = _tdm_sync_task_state (task);

  g_assert (slot->job != NULL);

  push_resume (task, g_steal_pointer (&slot->job), source, result);
  if (!st->launching)
    _tdm_sync_engine_launch_jobs (task);
}

static void
on_batch_done_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  SyncBatch *batch = user_data;
  g_autoptr(GTask) task = g_object_ref (batch->task);
  TdmRunState *st = _tdm_sync_task_state (task);
  g_autoptr(GError) error = NULL;
  gboolean alone;

  g_assert (st->batches > 0);

  tdm_connector_write_batch_finish (TDM_CONNECTOR (source), result, &error);
  alone = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  for (guint i = 0; i < batch->slots->len; i++)
    {
      BatchSlot *slot = g_ptr_array_index (batch->slots, i);

      if (slot->job == NULL)
        continue;
      /* Not answered: it could not start, send the write alone; after
       * another failure its create stays pending for the next run. */
      if (alone || error == NULL)
        push_resume (task, g_steal_pointer (&slot->job), NULL, NULL);
      else
        {
          slot->job->kr->incomplete = TRUE;
          g_clear_pointer (&slot->job, _tdm_sync_job_free);
        }
    }
  if (error != NULL && !alone)
    _tdm_sync_run_set_fatal (task, error);
  st->batches--;
  sync_batch_free (batch);
  if (!st->launching)
    _tdm_sync_engine_launch_jobs (task);
}

/* ---- Starting ---- */

/* The job of an action the batch of `side` could take: a create to that
 * side, or an update writing fields there first; NULL for another. */
static TdmSyncJob *
batch_job (GTask      *task,
           TdmKindRun *kr,
           TdmAction  *action,
           TdmSide     side)
{
  g_autoptr(TdmSyncJob) job = NULL;
  JsonObject *fields = action->fields;

  if (action->target != side)
    return NULL;
  if (action->type == TDM_ACTION_CREATE && action->source != NULL)
    return _tdm_sync_job_new (task, kr, action);
  if (action->type != TDM_ACTION_UPDATE || fields == NULL || json_object_get_size (fields) == 0)
    return NULL;
  job = _tdm_sync_job_new (task, kr, action);
  if (!_tdm_sync_job_prepare_side (job, side))
    return NULL;
  return g_steal_pointer (&job);
}

static TdmBatchWrite *
batch_write_new (BatchSlot *slot)
{
  TdmSyncJob *job = slot->job;
  TdmAction *action = job->action;
  TdmBatchWrite *write = g_new0 (TdmBatchWrite, 1);

  write->create = action->type == TDM_ACTION_CREATE;
  if (write->create)
    {
      slot->fields = json_object_ref (_tdm_sync_job_fields_to_send (job, action->target,
                                                                   action->fields));
      write->op_id = job->op->op_id;
      write->twin_id = action->source->id;
    }
  else
    {
      write->id = job->side_write.id;
      slot->fields = json_object_ref (_tdm_sync_job_fields_to_send (job, job->writing,
                                                                   job->side_write.fields));
      write->etag = job->side_write.etag;
      write->twin_id = job->side_write.twin_id;
    }
  write->fields = slot->fields;
  write->callback = on_batch_write_cb;
  write->user_data = slot;
  return write;
}

/* Sends `jobs` (transfer full) as one batch to the side's connector. */
static void
start_batch (GTask      *task,
             TdmKindRun *kr,
             TdmSide     side,
             GPtrArray  *jobs)
{
  TdmSyncEngine *self = _tdm_sync_task_engine (task);
  TdmRunState *st = _tdm_sync_task_state (task);
  SyncBatch *batch = g_new0 (SyncBatch, 1);

  batch->task = g_object_ref (task);
  batch->side = side;
  batch->slots = g_ptr_array_new_with_free_func ((GDestroyNotify) batch_slot_free);
  batch->writes = g_ptr_array_new_with_free_func (g_free);
  if (st->batched == NULL)
    st->batched = g_hash_table_new (NULL, NULL);
  for (guint i = 0; i < jobs->len; i++)
    {
      BatchSlot *slot = g_new0 (BatchSlot, 1);

      slot->batch = batch;
      slot->job = g_ptr_array_index (jobs, i);
      g_ptr_array_add (batch->slots, slot);
      g_ptr_array_add (batch->writes, batch_write_new (slot));
      g_hash_table_add (st->batched, slot->job->action);
    }
  g_debug ("writing %u %s to %s in one batch", jobs->len, tdm_kind_display_plural (kr->kind),
           tdm_side_display_name (side));
  st->batches++;
  tdm_connector_write_batch_async (self->connectors[side], kr->kind, batch->writes,
                                   g_task_get_cancellable (task), on_batch_done_cb, batch);
}

/* The creates of `jobs` get their outbox ops, in the order they are sent;
 * FALSE (the run's fatal error set) when the store refused one. */
static gboolean
add_outbox_ops (GPtrArray *jobs)
{
  for (guint i = 0; i < jobs->len; i++)
    {
      TdmSyncJob *job = g_ptr_array_index (jobs, i);

      if (job->action->type == TDM_ACTION_CREATE && !_tdm_sync_job_add_outbox (job))
        return FALSE;
    }
  return TRUE;
}

void
_tdm_sync_engine_start_batches (GTask *task)
{
  TdmSyncEngine *self = _tdm_sync_task_engine (task);
  TdmRunState *st = _tdm_sync_task_state (task);
  TdmKindRun *kr = &st->kinds[st->kind_index];

  g_assert (st->batches == 0 && g_queue_is_empty (&st->resumes));

  if (st->batched != NULL)
    g_hash_table_remove_all (st->batched);
  if (_tdm_sync_task_should_stop (task) || _tdm_sync_task_is_dry_run (task))
    return;
  for (TdmSide side = 0; side < TDM_N_SIDES; side++)
    {
      g_autoptr(GPtrArray) jobs = NULL;

      if (!tdm_connector_can_write_batch (self->connectors[side], kr->kind))
        continue;
      jobs = g_ptr_array_new_with_free_func ((GDestroyNotify) _tdm_sync_job_free);
      for (guint i = 0; i < kr->actions->len; i++)
        {
          TdmSyncJob *job = batch_job (task, kr, g_ptr_array_index (kr->actions, i), side);

          if (job != NULL)
            g_ptr_array_add (jobs, job);
        }
      if (jobs->len <= self->batch_threshold)
        continue;
      if (!add_outbox_ops (jobs))
        return;
      g_ptr_array_set_free_func (jobs, NULL);
      start_batch (task, kr, side, jobs);
    }
}

/* ---- Recovering a batch's creates ---- */

void
_tdm_sync_engine_skip_batch_outbox (GTask *task)
{
  TdmSyncEngine *self = _tdm_sync_task_engine (task);
  TdmRunState *st = _tdm_sync_task_state (task);
  guint counts[TDM_N_SIDES][TDM_N_KINDS] = { { 0 } };
  guint skipped = 0;

  if (st->outbox == NULL)
    return;
  for (guint i = 0; i < st->outbox->len; i++)
    {
      TdmOutboxOp *op = g_ptr_array_index (st->outbox, i);

      counts[op->target][op->kind]++;
    }
  for (guint i = st->outbox->len; i > 0; i--)
    {
      TdmOutboxOp *op = g_ptr_array_index (st->outbox, i - 1);

      if (counts[op->target][op->kind] <= self->batch_threshold
          || !tdm_connector_can_write_batch (self->connectors[op->target], op->kind))
        continue;
      /* Sent again, it finds what it made; pulled, what it made is linked. */
      tdm_record_store_outbox_set_state (self->store, op->op_id, "failed", NULL);
      g_ptr_array_remove_index (st->outbox, i - 1);
      skipped++;
    }
  if (skipped > 0)
    g_debug ("%u pending creates of batches left to the planner", skipped);
}
