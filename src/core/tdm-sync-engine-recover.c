/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-sync-engine"

#include "config.h"

#include "tdm-sync-engine-private.h"

/* Recovering pending creates: before pulling, each outbox op a crashed run
 * left pending is looked up on its target side. A create that arrived is
 * linked; one that did not is marked failed, and the planner creates the
 * record again with a new op (docs/sync.md § Crash safety). */

/* The create reached the other side before the crash: link it, with
 * snapshots of both sides, and mark the op done in the same commit. */
static gboolean
link_found (GTask       *task,
            TdmOutboxOp *op,
            TdmRecord   *found)
{
  TdmSyncEngine *self = _tdm_sync_task_engine (task);
  TdmRunState *st = _tdm_sync_task_state (task);
  TdmSide source_side = tdm_side_other (op->target);
  g_autoptr(TdmRecord) origin = NULL;
  g_autoptr(TdmLink) link = NULL;
  TdmCommit commit = { 0 };

  g_assert (found != NULL);
  g_assert (op->target < TDM_N_SIDES);

  origin = tdm_record_store_lookup_cached (self->store, op->kind, source_side, op->source_id, NULL);
  link = source_side == TDM_SIDE_WEBSHOP
         ? tdm_link_new (op->kind, op->source_id, found->id)
         : tdm_link_new (op->kind, found->id, op->source_id);
  tdm_link_set_snapshot (link, op->target, found->fields, found->updated_at);
  if (origin != NULL)
    tdm_link_set_snapshot (link, source_side, origin->fields, origin->updated_at);
  commit.run_id = st->run_id;
  commit.kind = op->kind;
  commit.link = link;
  commit.cache[op->target] = found;
  commit.outbox_done = op->op_id;
  if (!_tdm_sync_run_commit (task, &commit))
    return FALSE;
  st->counts.linked++;
  return TRUE;
}

static void
on_found_created_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TdmSyncEngine *self = _tdm_sync_task_engine (task);
  TdmRunState *st = _tdm_sync_task_state (task);
  TdmOutboxOp *op;
  g_autoptr(TdmRecord) found = NULL;
  g_autoptr(GError) error = NULL;

  g_assert (TDM_IS_CONNECTOR (source));
  g_assert (st->outbox != NULL && st->outbox_index < st->outbox->len);

  op = g_ptr_array_index (st->outbox, st->outbox_index);
  found = tdm_connector_find_created_finish (TDM_CONNECTOR (source), result, &error);
  _tdm_sync_engine_name_references (self, found);
  if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED))
    {
      _tdm_sync_run_set_fatal (task, error);
      _tdm_sync_engine_finish_run (task);
      return;
    }

  if (found != NULL)
    {
      if (!link_found (task, op, found))
        {
          _tdm_sync_engine_finish_run (task);
          return;
        }
    }
  else
    {
      /* Never sent, or lost on the way: the planner creates it again with
       * a new op (the source is still unlinked and not past a watermark). */
      tdm_record_store_outbox_set_state (self->store, op->op_id, "failed", NULL);
    }

  st->outbox_index++;
  _tdm_sync_engine_recover_next (task);
}

void
_tdm_sync_engine_recover_next (GTask *task)
{
  TdmSyncEngine *self = _tdm_sync_task_engine (task);
  TdmRunState *st = _tdm_sync_task_state (task);
  TdmOutboxOp *op;

  g_assert (!st->options.dry_run);

  if (g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    {
      _tdm_sync_engine_finish_run (task);
      return;
    }

  if (st->outbox == NULL || st->outbox_index >= st->outbox->len)
    {
      _tdm_sync_engine_start_pulling (task);
      return;
    }

  op = g_ptr_array_index (st->outbox, st->outbox_index);
  _tdm_sync_engine_set_progress (self, TDM_PHASE_RECOVERING, op->kind, st->outbox_index,
                                 st->outbox->len);
  tdm_connector_find_created_async (self->connectors[op->target], op->kind, op->op_id,
                                    op->source_id, g_task_get_cancellable (task),
                                    on_found_created_cb, g_object_ref (task));
}
