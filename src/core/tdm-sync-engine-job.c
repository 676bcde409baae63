/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-sync-engine"

#include "config.h"

#include "tdm-sync-engine-private.h"

#include "tdm-error.h"

/* One action of a kind as a job: what the pair looks like now, how its
 * outcome is committed (one store transaction per pair, with snapshots,
 * history and errors), what a failed write leaves behind, and the actions
 * that write nothing. The writes themselves are in
 * tdm-sync-engine-write.c (docs/sync.md § Action types, § Crash safety). */

/* ---- A job's life ---- */

TdmSyncJob *
_tdm_sync_job_new (GTask      *task,
                   TdmKindRun *kr,
                   TdmAction  *action)
{
  TdmSyncJob *job = g_new0 (TdmSyncJob, 1);

  g_assert (G_IS_TASK (task));
  g_assert (kr != NULL && action != NULL);
  g_assert (action->kind == kr->kind);

  job->task = g_object_ref (task);
  job->kr = kr;
  job->action = action;
  return job;
}

void
_tdm_sync_job_free (TdmSyncJob *job)
{
  g_clear_object (&job->task);
  g_clear_pointer (&job->op, tdm_outbox_op_free);
  for (guint s = 0; s < TDM_N_SIDES; s++)
    g_clear_pointer (&job->result[s], tdm_record_unref);
  g_clear_pointer (&job->history, g_ptr_array_unref);
  g_clear_pointer (&job->record_error, tdm_record_error_free);
  g_clear_pointer (&job->side_write.fields, json_object_unref);
  g_clear_pointer (&job->sending, json_object_unref);
  g_free (job);
}

/* The last step of every job (transfer full): counts it and lets the next
 * job of the kind start. */
void
_tdm_sync_job_done (TdmSyncJob *job)
{
  g_autoptr(GTask) task = g_object_ref (job->task);
  TdmRunState *st = _tdm_sync_task_state (task);

  g_assert (st->in_flight > 0);

  st->in_flight--;
  _tdm_sync_engine_count_done (_tdm_sync_task_engine (task));
  _tdm_sync_job_free (job);
  /* Jobs that finish synchronously return to the launching loop instead of
   * recursing into it (10,000 unchanged records would overflow the stack). */
  if (!st->launching)
    _tdm_sync_engine_launch_jobs (task);
}

/* ---- The pair as it is now ---- */

/* A side's fields: as written in this job, as pulled, or as last synced. */
static JsonObject *
current_fields (TdmSyncJob *job,
                TdmSide     side)
{
  TdmAction *action = job->action;

  g_assert (side < TDM_N_SIDES);

  if (job->result[side] != NULL)
    return job->result[side]->fields;
  if (action->source != NULL && action->source->side == side && !action->source->deleted)
    return action->source->fields;
  if (action->twin != NULL && action->twin->side == side)
    return action->twin->fields;
  if (action->link != NULL)
    {
      TdmRecord *pulled = NULL;
      const char *id = tdm_link_get_id (action->link, side);

      if (id != NULL)
        pulled = g_hash_table_lookup (job->kr->seen[side], id);
      if (pulled != NULL && !pulled->deleted)
        return pulled->fields;
      return tdm_link_get_snapshot (action->link, side);
    }
  return NULL;
}

/* A side's record: as written in this job, or as pulled; NULL when this run
 * has neither. */
TdmRecord *
_tdm_sync_job_current_record (TdmSyncJob *job,
                              TdmSide     side)
{
  TdmAction *action = job->action;
  const char *id = NULL;

  g_assert (side < TDM_N_SIDES);

  if (job->result[side] != NULL)
    return job->result[side];
  if (action->source != NULL && action->source->side == side)
    return action->source;
  if (action->twin != NULL && action->twin->side == side)
    return action->twin;
  if (action->link != NULL)
    id = tdm_link_get_id (action->link, side);
  return id != NULL ? g_hash_table_lookup (job->kr->seen[side], id) : NULL;
}

const char *
_tdm_sync_job_record_id (TdmSyncJob *job,
                         TdmSide     side)
{
  TdmRecord *record = _tdm_sync_job_current_record (job, side);

  if (record != NULL)
    return record->id;
  if (job->action->link != NULL)
    return tdm_link_get_id (job->action->link, side);
  return NULL;
}

/* Snapshots keep the base value of fields still in conflict, so the
 * conflict stays visible until the user resolves it. */
static JsonObject *
snapshot_for (TdmSyncJob *job,
              TdmSide     side)
{
  JsonObject *fields = current_fields (job, side);
  g_autofree char *key = NULL;
  GPtrArray *conflicts;
  JsonObject *snapshot;

  if (fields == NULL)
    return NULL;

  snapshot = tdm_json_object_copy (fields);
  if (job->action->link == NULL)
    return snapshot;

  key = tdm_link_key (TDM_SIDE_WEBSHOP, job->action->link->webshop_id);
  conflicts = g_hash_table_lookup (job->kr->conflicts, key);
  for (guint i = 0; conflicts != NULL && i < conflicts->len; i++)
    {
      TdmFieldConflict *c = g_ptr_array_index (conflicts, i);

      if (c->resolved)
        continue;
      if (c->base_value != NULL)
        json_object_set_member (snapshot, c->field, json_node_copy (c->base_value));
      else if (json_object_has_member (snapshot, c->field))
        json_object_remove_member (snapshot, c->field);
    }

  return snapshot;
}

/* One history entry per field written (old and new value), or one for the
 * whole record when `fields` is NULL or empty. */
void
_tdm_sync_job_add_history (TdmSyncJob *job,
                           TdmSide     side,
                           const char *action_name,
                           JsonObject *fields)
{
  JsonObject *before = current_fields (job, side);
  GList *members;

  g_assert (action_name != NULL);

  if (job->history == NULL)
    job->history = g_ptr_array_new_with_free_func ((GDestroyNotify) tdm_history_entry_free);

  if (fields == NULL || json_object_get_size (fields) == 0)
    {
      g_ptr_array_add (job->history, tdm_history_entry_new (side, action_name, NULL, NULL, NULL));
      return;
    }

  members = json_object_get_members (fields);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      JsonNode *old = before != NULL && json_object_has_member (before, name)
                      ? json_object_get_member (before, name) : NULL;

      g_ptr_array_add (job->history,
                       tdm_history_entry_new (side, action_name, name, old,
                                              json_object_get_member (fields, name)));
    }
  g_list_free (members);
}

/* ---- Committing a pair ---- */

/* The pair's link with fresh snapshots, both records in the cache, the
 * history, the outbox op done and the pair's errors cleared, in one
 * transaction. */
void
_tdm_sync_job_commit_pair (TdmSyncJob *job)
{
  TdmAction *action = job->action;
  TdmRunState *st = _tdm_sync_task_state (job->task);
  const char *wid = _tdm_sync_job_record_id (job, TDM_SIDE_WEBSHOP);
  const char *sid = _tdm_sync_job_record_id (job, TDM_SIDE_SHOPIFY);
  g_autoptr(TdmLink) link = NULL;
  g_autofree char *key = NULL;
  GPtrArray *pending;
  TdmCommit commit = { 0 };

  if (wid == NULL || sid == NULL)
    return;

  link = tdm_link_new (action->kind, wid, sid);
  for (guint s = 0; s < TDM_N_SIDES; s++)
    {
      g_autoptr(JsonObject) snapshot = snapshot_for (job, s);
      TdmRecord *record = _tdm_sync_job_current_record (job, s);

      tdm_link_set_snapshot (link, s, snapshot, record ? record->updated_at : NULL);
      commit.cache[s] = record;
    }

  commit.run_id = st->run_id;
  commit.kind = action->kind;
  commit.link = link;
  commit.outbox_done = job->op ? job->op->op_id : NULL;
  commit.history = job->history;
  commit.clear_errors = TRUE;

  key = tdm_link_key (TDM_SIDE_WEBSHOP, wid);
  pending = g_hash_table_lookup (job->kr->conflicts, key);
  commit.clear_conflicts = pending == NULL;
  /* A first link under `ask` stores its differing fields as conflicts. */
  if (action->type == TDM_ACTION_LINK && pending != NULL)
    {
      commit.conflicts = pending;
      st->counts.conflicts++;
    }
  _tdm_sync_run_commit (job->task, &commit);
}

/* ---- A write that failed ---- */

/* The error is stored next to the record the action is about; the failed
 * version stays in the cache and its outbox op is marked failed. */
static void
record_failure (TdmSyncJob   *job,
                TdmSide       side,
                const GError *error)
{
  TdmSyncEngine *self = _tdm_sync_task_engine (job->task);
  g_autoptr(TdmRecordError) err = g_steal_pointer (&job->record_error);
  TdmRecord *source = job->action->source;

  if (err == NULL)
    err = tdm_record_error_new (side, job->action->kind,
                                _tdm_sync_job_record_id (job, side), NULL, error->message);
  if (err->record_id == NULL && source != NULL)
    err->record_id = g_strdup (source->id);

  /* Shown next to the record that could not be copied: keep the source id. */
  if (source != NULL && err->side != source->side && job->action->type == TDM_ACTION_CREATE)
    {
      g_free (err->record_id);
      err->record_id = g_strdup (source->id);
      err->side = source->side;
    }

  _tdm_sync_run_store_record_error (job->task, err, source);
  /* Keep the failed version in the cache: the views show it, and "Retry all
   * failed" can plan it again without a change. */
  if (source != NULL && !source->deleted && !_tdm_sync_task_is_dry_run (job->task))
    {
      TdmCommit commit = { 0 };

      commit.run_id = _tdm_sync_task_state (job->task)->run_id;
      commit.kind = job->action->kind;
      commit.cache[source->side] = source;
      tdm_record_store_commit (self->store, &commit, NULL);
    }
  if (job->op != NULL)
    tdm_record_store_outbox_set_state (self->store, job->op->op_id, "failed", NULL);
}

/* A record error is stored (a 412 in the first round asks for another
 * round instead); any other error stops the run. */
void
_tdm_sync_job_write_failed (TdmSyncJob   *job,
                            TdmSide       side,
                            const GError *error)
{
  g_assert (side < TDM_N_SIDES);
  g_assert (error != NULL);

  if (!_tdm_sync_is_record_error (error))
    {
      _tdm_sync_run_set_fatal (job->task, error);
      job->kr->incomplete = TRUE;
      return;
    }

  /* 412: the record changed while we planned; read both again next round. */
  if (g_error_matches (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_CONFLICT) && job->kr->round == 0)
    {
      TdmRecord *source = job->action->source;

      if (source != NULL)
        g_ptr_array_add (job->kr->replan, tdm_record_ref (source));
      job->kr->incomplete = TRUE;
      return;
    }

  record_failure (job, side, error);
}

/* ---- Actions that write nothing ---- */

/* The views (and later plans of settled conflicts) read the cache: keep
 * every record pulled for this pair in it, not only the action's source. */
static void
cache_pulled (TdmSyncJob *job,
              TdmCommit  *commit)
{
  for (guint s = 0; s < TDM_N_SIDES; s++)
    {
      TdmRecord *record = _tdm_sync_job_current_record (job, s);

      if (record != NULL && !record->deleted &&
          g_hash_table_lookup (job->kr->seen[s], record->id) == record)
        commit->cache[s] = record;
    }
}

/* CONFLICT: the link stays as it was, only the views learn the new values
 * and the fields waiting for the owner. */
static void
keep_conflict (TdmSyncJob *job,
               TdmCommit  *commit)
{
  TdmAction *action = job->action;

  g_assert (action->type == TDM_ACTION_CONFLICT);

  if (action->link != NULL)
    {
      g_autofree char *key = tdm_link_key (TDM_SIDE_WEBSHOP, action->link->webshop_id);

      commit->conflicts = g_hash_table_lookup (job->kr->conflicts, key);
      commit->link = action->link;
    }
  _tdm_sync_run_commit (job->task, commit);
}

/* ORPHAN: the twin is gone; the link is kept, marked orphaned. */
static void
keep_orphan (TdmSyncJob *job,
             TdmCommit  *commit)
{
  TdmAction *action = job->action;
  g_autoptr(TdmLink) link = NULL;

  g_assert (action->type == TDM_ACTION_ORPHAN);

  if (action->link == NULL)
    return;
  link = tdm_link_ref (action->link);
  link->orphaned = TRUE;
  _tdm_sync_job_add_history (job, tdm_side_other (action->target), "orphaned", NULL);
  commit->link = link;
  commit->history = job->history;
  _tdm_sync_run_commit (job->task, commit);
}

/* REVIEW: an ambiguous match goes on the review list with its candidates. */
static void
keep_for_review (TdmSyncJob *job,
                 TdmCommit  *commit)
{
  TdmSyncEngine *self = _tdm_sync_task_engine (job->task);
  TdmAction *action = job->action;
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  TdmReviewItem item = { 0 };

  g_assert (action->type == TDM_ACTION_REVIEW);

  if (action->source == NULL)
    return;
  for (guint i = 0; action->candidates != NULL && i < action->candidates->len; i++)
    g_ptr_array_add (ids, ((TdmRecord *) g_ptr_array_index (action->candidates, i))->id);
  item.kind = action->kind;
  item.side = action->source->side;
  item.record_id = action->source->id;
  item.reason = action->reason;
  item.candidate_ids = ids;
  if (!tdm_record_store_add_review (self->store, &item, &error))
    _tdm_sync_run_set_fatal (job->task, error);
  _tdm_sync_run_commit (job->task, commit);
}

/* Counts and commits an action that writes to no side (transfer full). */
static void
execute_simple (TdmSyncJob *job)
{
  TdmRunState *st = _tdm_sync_task_state (job->task);
  TdmAction *action = job->action;
  TdmCommit commit = { 0 };

  commit.run_id = st->run_id;
  commit.kind = action->kind;
  cache_pulled (job, &commit);

  switch (action->type)
    {
    case TDM_ACTION_NOTHING:
      st->counts.unchanged++;
      if (commit.cache[TDM_SIDE_WEBSHOP] != NULL || commit.cache[TDM_SIDE_SHOPIFY] != NULL)
        _tdm_sync_run_commit (job->task, &commit);
      break;
    case TDM_ACTION_CONFLICT:
      st->counts.conflicts++;
      keep_conflict (job, &commit);
      break;
    case TDM_ACTION_ORPHAN:
      st->counts.orphaned++;
      keep_orphan (job, &commit);
      break;
    case TDM_ACTION_WAIT:
      st->counts.waiting++;
      job->kr->incomplete = TRUE;
      if (action->source != NULL)
        _tdm_sync_run_commit (job->task, &commit);
      break;
    case TDM_ACTION_REVIEW:
      st->counts.review++;
      keep_for_review (job, &commit);
      break;
    case TDM_ACTION_CREATE:
    case TDM_ACTION_UPDATE:
    case TDM_ACTION_LINK:
    case TDM_ACTION_DELETE:
    default:
      g_assert_not_reached ();
    }

  _tdm_sync_job_done (job);
}

/* ---- Starting a job ---- */

void
_tdm_sync_engine_start_job (GTask      *task,
                            TdmKindRun *kr,
                            TdmAction  *action)
{
  g_autoptr(TdmSyncJob) job = _tdm_sync_job_new (task, kr, action);

  switch (action->type)
    {
    case TDM_ACTION_CREATE:
      _tdm_sync_job_create (g_steal_pointer (&job));
      break;
    case TDM_ACTION_UPDATE:
    case TDM_ACTION_LINK:
      _tdm_sync_job_update (g_steal_pointer (&job));
      break;
    case TDM_ACTION_NOTHING:
      /* A crash (or a failed write) between a create and its link marker
       * leaves a linked pair whose record does not name its twin yet:
       * finish that write now. */
      if (_tdm_sync_job_needs_repair (job))
        {
          job->repair = TRUE;
          _tdm_sync_job_update (g_steal_pointer (&job));
        }
      else
        execute_simple (g_steal_pointer (&job));
      break;
    case TDM_ACTION_DELETE:
      _tdm_sync_job_delete (g_steal_pointer (&job));
      break;
    case TDM_ACTION_CONFLICT:
    case TDM_ACTION_ORPHAN:
    case TDM_ACTION_WAIT:
    case TDM_ACTION_REVIEW:
    default:
      execute_simple (g_steal_pointer (&job));
      break;
    }
}
