/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-sync-engine"

#include "config.h"

#include "tdm-sync-engine-private.h"

/* Executing the plan kind by kind: the actions of a kind run as jobs, at
 * most TDM_SYNC_MAX_IN_FLIGHT at a time (many creates or updates for one
 * side go first, as one batch: tdm-sync-engine-batch.c); records a round
 * asked about (412 re-reads, 409 twins) are read again and planned once more; then the
 * kind's watermarks advance when everything pulled was committed
 * (docs/sync.md § A run's phases, § Watermarks). One job is in
 * tdm-sync-engine-job.c. */

static void advance_after_kind (GTask *task);

/* ---- Jobs ---- */

void
_tdm_sync_engine_launch_jobs (GTask *task)
{
  TdmRunState *st = _tdm_sync_task_state (task);
  TdmKindRun *kr;
  gboolean stop = _tdm_sync_task_should_stop (task);

  g_assert (st->kind_index < TDM_N_KINDS);
  g_assert (!st->launching);

  kr = &st->kinds[st->kind_index];

  st->launching = TRUE;
  /* Jobs a batch answered first: their results are in (even when the run
   * stops, they are committed), then new actions. */
  while (st->in_flight < TDM_SYNC_MAX_IN_FLIGHT && _tdm_sync_engine_resume_next (task))
    ;
  stop = _tdm_sync_task_should_stop (task);
  while (!stop && st->in_flight < TDM_SYNC_MAX_IN_FLIGHT && st->next_action < kr->actions->len)
    {
      TdmAction *action = g_ptr_array_index (kr->actions, st->next_action++);

      if (st->batched != NULL && g_hash_table_contains (st->batched, action))
        continue;
      st->in_flight++;
      _tdm_sync_engine_start_job (task, kr, action);
      stop = _tdm_sync_task_should_stop (task);
    }
  st->launching = FALSE;

  if (st->in_flight > 0 || st->batches > 0 || !g_queue_is_empty (&st->resumes))
    return;
  if (!stop && st->next_action < kr->actions->len)
    return;

  advance_after_kind (task);
}

/* ---- Another round ---- */

/* Fetches the records a round asked to plan again (412 re-reads and 409
 * twins), then plans and executes them once more. Holds a reference on the
 * run's task until the last re-read is back. */
typedef struct
{
  GTask      *task;
  TdmKindRun *kr;
  GPtrArray  *wanted;      /* TdmRecord*, each side and id once */
  guint       next;
  guint       in_flight;
} ReplanState;

static void
replan_state_free (ReplanState *rs)
{
  g_clear_object (&rs->task);
  g_clear_pointer (&rs->wanted, g_ptr_array_unref);
  g_free (rs);
}

static void replan_fetch_next (ReplanState *rs);

static void
on_replan_fetched_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  ReplanState *rs = user_data;
  g_autoptr(TdmRecord) record = NULL;
  g_autoptr(GError) error = NULL;

  g_assert (TDM_IS_CONNECTOR (source));
  g_assert (rs->in_flight > 0);

  record = tdm_connector_get_finish (TDM_CONNECTOR (source), result, NULL, &error);
  _tdm_sync_engine_name_references (_tdm_sync_task_engine (rs->task), record);
  if (record != NULL)
    _tdm_sync_engine_take_pulled (rs->task, rs->kr, record, NULL, FALSE);
  else if (!_tdm_sync_is_record_error (error))
    _tdm_sync_run_set_fatal (rs->task, error);

  rs->in_flight--;
  replan_fetch_next (rs);
}

/* Plans the kind again from the records read fresh, and executes that plan. */
static void
replan_and_launch (GTask *task)
{
  TdmRunState *st = _tdm_sync_task_state (task);
  g_autoptr(GError) error = NULL;

  if (st->fatal == NULL &&
      !_tdm_sync_engine_plan_kind (_tdm_sync_task_engine (task), &st->kinds[st->kind_index],
                                   FALSE, &error))
    _tdm_sync_run_set_fatal (task, error);
  if (st->fatal != NULL)
    {
      _tdm_sync_engine_finish_run (task);
      return;
    }
  st->next_action = 0;
  _tdm_sync_engine_start_batches (task);
  _tdm_sync_engine_launch_jobs (task);
}

/* At most TDM_SYNC_MAX_IN_FLIGHT re-reads at a time, like the writes: when
 * every create of a page got a 409, starting all re-reads at once made each
 * reserve its Shopify cost before any answer came back (minutes of waits). */
static void
replan_fetch_next (ReplanState *rs)
{
  GTask *task = rs->task;
  TdmSyncEngine *self = _tdm_sync_task_engine (task);
  gboolean stop = _tdm_sync_task_should_stop (task);
  g_autoptr(GTask) owned = NULL;

  while (!stop && rs->in_flight < TDM_SYNC_MAX_IN_FLIGHT && rs->next < rs->wanted->len)
    {
      TdmRecord *record = g_ptr_array_index (rs->wanted, rs->next++);

      rs->in_flight++;
      tdm_connector_get_async (self->connectors[record->side], rs->kr->kind, record->id,
                               g_task_get_cancellable (task), on_replan_fetched_cb, rs);
    }
  if (rs->in_flight > 0 || (!stop && rs->next < rs->wanted->len))
    return;

  /* Every re-read is back: the round's state goes, the task lives on here. */
  owned = g_object_ref (task);
  replan_state_free (rs);
  replan_and_launch (owned);
}

static void
replan_round (GTask *task)
{
  TdmRunState *st = _tdm_sync_task_state (task);
  TdmKindRun *kr = &st->kinds[st->kind_index];
  g_autoptr(GPtrArray) asked = g_steal_pointer (&kr->replan);
  g_autoptr(GHashTable) once = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  ReplanState *rs = g_new0 (ReplanState, 1);

  g_assert (kr->round == 0);
  g_assert (asked != NULL && asked->len > 0);

  kr->replan = g_ptr_array_new_with_free_func ((GDestroyNotify) tdm_record_unref);
  kr->round++;
  kr->incomplete = FALSE;

  /* Plan only the records involved, read fresh from their sides. */
  for (guint s = 0; s < TDM_N_SIDES; s++)
    {
      g_ptr_array_set_size (kr->records[s], 0);
      g_hash_table_remove_all (kr->seen[s]);
    }

  rs->task = g_object_ref (task);
  rs->kr = kr;
  rs->wanted = g_ptr_array_new_with_free_func ((GDestroyNotify) tdm_record_unref);
  for (guint i = 0; i < asked->len; i++)
    {
      TdmRecord *record = g_ptr_array_index (asked, i);

      if (g_hash_table_add (once, tdm_link_key (record->side, record->id)))
        g_ptr_array_add (rs->wanted, tdm_record_ref (record));
    }
  replan_fetch_next (rs);
}

/* ---- After a kind ---- */

/* Both watermarks move only when everything pulled for the kind was
 * committed, and never in a single-record run (docs/sync.md § Watermarks). */
static gboolean
advance_watermarks (GTask      *task,
                    TdmKindRun *kr)
{
  TdmSyncEngine *self = _tdm_sync_task_engine (task);
  TdmRunState *st = _tdm_sync_task_state (task);

  if (kr->incomplete || st->options.only_id != NULL)
    return TRUE;

  for (guint s = 0; s < TDM_N_SIDES; s++)
    {
      g_autoptr(GError) error = NULL;

      if (kr->max_updated[s] == NULL || kr->hold[s])
        continue;
      if (!tdm_record_store_set_watermark (self->store, s, kr->kind, kr->max_updated[s], &error))
        {
          _tdm_sync_run_set_fatal (task, error);
          return FALSE;
        }
    }
  return TRUE;
}

static void
advance_after_kind (GTask *task)
{
  TdmRunState *st = _tdm_sync_task_state (task);
  TdmKindRun *kr = &st->kinds[st->kind_index];

  g_assert (st->in_flight == 0);

  if (_tdm_sync_task_should_stop (task))
    {
      _tdm_sync_engine_finish_run (task);
      return;
    }

  if (kr->replan->len > 0 && kr->round == 0)
    {
      /* The watermarks still belong to the first round's pull: add_pulled
       * only raises them, and replanned records are not newer than the
       * writes that caused them. */
      replan_round (task);
      return;
    }

  if (!advance_watermarks (task, kr))
    {
      _tdm_sync_engine_finish_run (task);
      return;
    }

  st->kind_index++;
  _tdm_sync_engine_execute_kind (task);
}

/* ---- Executing a kind ---- */

/* The owner chose "create" for an ambiguous match: the REVIEW action of
 * that record becomes a CREATE on the other side. */
static void
force_create_reviewed (TdmSyncEngine *self,
                       TdmRunState   *st,
                       TdmKindRun    *kr)
{
  g_assert (st->options.only_id != NULL && st->options.only_create);

  for (guint i = 0; i < kr->actions->len; i++)
    {
      TdmAction *action = g_ptr_array_index (kr->actions, i);
      TdmSide target;

      if (action->type != TDM_ACTION_REVIEW || action->source == NULL ||
          action->source->side != st->options.only_side ||
          g_strcmp0 (action->source->id, st->options.only_id) != 0)
        continue;

      target = tdm_side_other (action->source->side);
      if (!tdm_direction_allows (self->options[kr->kind].direction, target))
        continue;
      action->type = TDM_ACTION_CREATE;
      action->target = target;
      g_clear_pointer (&action->fields, json_object_unref);
      action->fields = tdm_mapping_filter_fields (self->mapping, kr->kind, action->source->fields,
                                                  target);
      tdm_record_store_clear_review (self->store, kr->kind, action->source->side,
                                     action->source->id, NULL);
    }
}

void
_tdm_sync_engine_execute_kind (GTask *task)
{
  TdmSyncEngine *self = _tdm_sync_task_engine (task);
  TdmRunState *st = _tdm_sync_task_state (task);
  TdmKindRun *kr;

  g_assert (st->fatal == NULL);

  while (st->kind_index < TDM_N_KINDS && !st->kinds[st->kind_index].enabled)
    st->kind_index++;

  if (st->kind_index >= TDM_N_KINDS)
    {
      _tdm_sync_engine_finish_run (task);
      return;
    }

  kr = &st->kinds[st->kind_index];

  /* Orders depend on the customers and products linked earlier in this
   * run: plan them again now that those links exist. */
  if (kr->kind == TDM_KIND_ORDER)
    {
      g_autoptr(GError) error = NULL;

      if (!_tdm_sync_engine_plan_kind (self, kr, FALSE, &error))
        {
          _tdm_sync_run_set_fatal (task, error);
          _tdm_sync_engine_finish_run (task);
          return;
        }
    }

  if (st->options.only_id != NULL && st->options.only_create)
    force_create_reviewed (self, st, kr);

  st->next_action = 0;
  st->in_flight = 0;
  _tdm_sync_engine_set_progress (self, TDM_PHASE_WRITING, kr->kind, 0, kr->actions->len);
  _tdm_sync_engine_start_batches (task);
  _tdm_sync_engine_launch_jobs (task);
}
