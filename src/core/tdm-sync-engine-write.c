/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-sync-engine"

#include "config.h"

#include "tdm-sync-engine-private.h"

#include <glib/gi18n-lib.h>

#include "tdm-error.h"

/* One action's writes: a create (outbox first, then the link marker on the
 * source), an update or first link (the target side, then the other), and a
 * propagated delete. Each callback takes its job and hands it on to the next
 * step or to _tdm_sync_job_done() (docs/sync.md § Action types, § Crash
 * safety). */

/* ---- The link marker ---- */

/* The field a link marker is written into (docs/sync.md § Crash safety):
 * the webshop record's `shopify_id`, or Shopify's `webshop_id` metafield. */
static const char *
marker_field (TdmSide side)
{
  g_assert (side < TDM_N_SIDES);

  return side == TDM_SIDE_WEBSHOP ? "shopify_id" : "webshop_id";
}

static gboolean
needs_marker (TdmRecord  *record,
              const char *twin_id)
{
  return record != NULL && !record->deleted && g_strcmp0 (record->twin_id, twin_id) != 0;
}

/* An unchanged linked pair of which a record pulled this run does not name
 * its twin (a crash, or a marker write that failed, after a create). */
gboolean
_tdm_sync_job_needs_repair (TdmSyncJob *job)
{
  TdmAction *action = job->action;

  g_assert (action->type == TDM_ACTION_NOTHING);

  if (action->link == NULL || action->link->orphaned ||
      action->source == NULL || action->source->deleted)
    return FALSE;
  for (guint s = 0; s < TDM_N_SIDES; s++)
    if (needs_marker (_tdm_sync_job_current_record (job, s),
                      tdm_link_get_id (action->link, tdm_side_other (s))))
      return TRUE;
  return FALSE;
}

/* The marker write after a create failed for this record only (a 404, a
 * 412, a refused value). The twin exists and stays linked, so nothing is
 * created twice; the record error names the record and the marker's field,
 * is stored without a version (so the record is not skipped as "failed
 * before"), and the kind's watermarks stay, so the next run reads the
 * record again and writes the marker then (a repair). */
static void
marker_failed (TdmSyncJob   *job,
               TdmSide       side,
               const GError *error)
{
  TdmAction *action = job->action;
  g_autoptr(TdmRecordError) side_err = g_steal_pointer (&job->record_error);
  g_autoptr(TdmRecordError) err = NULL;
  g_autofree char *message = NULL;
  const char *twin_id = _tdm_sync_job_record_id (job, tdm_side_other (side));

  g_assert (action->source != NULL && action->source->side == side);

  message = g_strdup_printf (
    /* Translators: a record kind, its id, the other side, the twin's id, the
     * field, then the side's own message; ends with what Tandem does next */
    _("%s %s was copied to %s as %s, but Tandem could not write that id into its field "
      "“%s”: %s The record stays linked; Tandem tries again on the next sync."),
    tdm_kind_display_name (action->kind), action->source->id,
    tdm_side_display_name (tdm_side_other (side)), twin_id != NULL ? twin_id : "?",
    marker_field (side), side_err != NULL ? side_err->message : error->message);
  err = tdm_record_error_new (side, action->kind, action->source->id, marker_field (side),
                              message);
  _tdm_sync_run_store_record_error (job->task, err, NULL);
  job->kr->incomplete = TRUE;
}

/* Writes the link marker on the source of a create, so a lost local state
 * can be rebuilt from the shops. */
static void
on_marker_written_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(TdmSyncJob) job = user_data;
  g_autoptr(TdmWriteResult) written = NULL;
  g_autoptr(GError) error = NULL;

  g_assert (TDM_IS_CONNECTOR (source));
  g_assert (job->action->type == TDM_ACTION_CREATE);

  g_clear_pointer (&job->record_error, tdm_record_error_free);
  written = tdm_connector_update_finish (TDM_CONNECTOR (source), result, &job->record_error,
                                         &error);
  if (written != NULL && written->record != NULL)
    {
      TdmSide side = written->record->side;

      _tdm_sync_engine_name_references (_tdm_sync_task_engine (job->task), written->record);
      g_clear_pointer (&job->result[side], tdm_record_unref);
      job->result[side] = tdm_record_ref (written->record);
      g_clear_pointer (&job->history, g_ptr_array_unref);
      g_clear_pointer (&job->op, tdm_outbox_op_free);
      _tdm_sync_job_commit_pair (job);
    }
  else if (error != NULL && !_tdm_sync_is_record_error (error))
    _tdm_sync_run_set_fatal (job->task, error);
  else if (error != NULL)
    marker_failed (job, tdm_connector_get_side (TDM_CONNECTOR (source)), error);

  _tdm_sync_job_done (g_steal_pointer (&job));
}

static void
write_marker_or_finish (TdmSyncJob *job)
{
  TdmSyncEngine *self = _tdm_sync_task_engine (job->task);
  TdmAction *action = job->action;
  TdmRecord *source = action->source;
  TdmSide side = source->side;
  const char *twin_id = _tdm_sync_job_record_id (job, tdm_side_other (side));
  TdmRecord *record = _tdm_sync_job_current_record (job, side);
  g_autoptr(JsonObject) empty = json_object_new ();

  g_assert (action->type == TDM_ACTION_CREATE);

  if (!needs_marker (record, twin_id) || job->result[side] != NULL)
    {
      _tdm_sync_job_done (job);
      return;
    }

  tdm_connector_update_async (self->connectors[side], action->kind, source->id, empty,
                              record->etag, twin_id, NULL,
                              g_task_get_cancellable (job->task), on_marker_written_cb, job);
}

/* ---- Create ---- */

/* 409 / TAKEN in the first round: the twin already exists. Both records
 * are read again and linked in the next round; FALSE when the side did
 * not name the twin. */
static gboolean
link_existing_next_round (TdmSyncJob   *job,
                          TdmConnector *connector)
{
  TdmAction *action = job->action;
  TdmRecordError *err = job->record_error;
  g_autoptr(JsonObject) none = NULL;
  g_autoptr(TdmRecord) hint = NULL;

  g_assert (TDM_IS_CONNECTOR (connector));

  /* Without the twin's id it is left for the failure that follows to report. */
  if (err == NULL || err->existing_id == NULL)
    return FALSE;

  none = json_object_new ();
  hint = tdm_record_new (action->target, action->kind, err->existing_id, NULL, NULL, none, NULL);
  g_ptr_array_add (job->kr->replan, tdm_record_ref (action->source));
  g_ptr_array_add (job->kr->replan, g_steal_pointer (&hint));
  tdm_record_store_outbox_set_state (_tdm_sync_task_engine (job->task)->store,
                                     job->op->op_id, "failed", NULL);
  job->kr->incomplete = TRUE;
  return TRUE;
}

void
_tdm_sync_job_created_cb (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(TdmSyncJob) job = user_data;
  TdmRunState *st = _tdm_sync_task_state (job->task);
  TdmAction *action = job->action;
  g_autoptr(TdmWriteResult) written = NULL;
  g_autoptr(GError) error = NULL;

  g_assert (TDM_IS_CONNECTOR (source));
  g_assert (action->type == TDM_ACTION_CREATE && job->op != NULL);

  g_clear_pointer (&job->record_error, tdm_record_error_free);
  written = tdm_connector_create_finish (TDM_CONNECTOR (source), result, &job->record_error,
                                         &error);
  if (written == NULL)
    {
      if (!g_error_matches (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_DUPLICATE) ||
          job->kr->round > 0 ||
          !link_existing_next_round (job, TDM_CONNECTOR (source)))
        _tdm_sync_job_write_failed (job, action->target, error);
      _tdm_sync_job_done (g_steal_pointer (&job));
      return;
    }

  _tdm_sync_engine_name_references (_tdm_sync_task_engine (job->task), written->record);
  job->result[action->target] = tdm_record_ref (written->record);
  _tdm_sync_job_add_history (job, action->target, "created", NULL);
  _tdm_sync_job_commit_pair (job);
  st->counts.created++;
  if (st->fatal != NULL)
    {
      _tdm_sync_job_done (g_steal_pointer (&job));
      return;
    }

  write_marker_or_finish (g_steal_pointer (&job));
}

gboolean
_tdm_sync_job_add_outbox (TdmSyncJob *job)
{
  TdmSyncEngine *self = _tdm_sync_task_engine (job->task);
  TdmAction *action = job->action;
  g_autoptr(GError) error = NULL;
  g_autofree char *payload = NULL;
  g_autofree char *hash = NULL;

  g_assert (action->type == TDM_ACTION_CREATE && job->op == NULL);
  g_assert (action->source != NULL && action->target != action->source->side);

  payload = tdm_json_object_to_string (action->fields);
  hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, payload, -1);
  job->op = tdm_outbox_op_new (action->kind, action->target, action->source->id, hash);
  if (!tdm_record_store_outbox_add (self->store, job->op, &error))
    {
      _tdm_sync_run_set_fatal (job->task, error);
      return FALSE;
    }
  return TRUE;
}

void
_tdm_sync_job_send_create (TdmSyncJob *job)
{
  TdmSyncEngine *self = _tdm_sync_task_engine (job->task);
  TdmAction *action = job->action;

  g_assert (action->type == TDM_ACTION_CREATE && job->op != NULL);

  tdm_connector_create_async (self->connectors[action->target], action->kind,
                              _tdm_sync_job_fields_to_send (job, action->target, action->fields),
                              job->op->op_id, action->source->id,
                              g_task_get_cancellable (job->task), _tdm_sync_job_created_cb, job);
}

/* Outbox first: the op is committed before anything is sent. */
void
_tdm_sync_job_create (TdmSyncJob *job)
{
  g_assert (job->action->type == TDM_ACTION_CREATE);

  if (!_tdm_sync_job_add_outbox (job))
    {
      _tdm_sync_job_done (job);
      return;
    }
  _tdm_sync_job_send_create (job);
}

/* ---- Update, link and repair ---- */

void
_tdm_sync_job_updated_cb (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(TdmSyncJob) job = user_data;
  g_autoptr(TdmWriteResult) written = NULL;
  g_autoptr(GError) error = NULL;

  g_assert (TDM_IS_CONNECTOR (source));
  g_assert (job->writing == tdm_connector_get_side (TDM_CONNECTOR (source)));

  g_clear_pointer (&job->record_error, tdm_record_error_free);
  written = tdm_connector_update_finish (TDM_CONNECTOR (source), result, &job->record_error,
                                         &error);
  if (written == NULL)
    {
      _tdm_sync_job_write_failed (job, job->writing, error);
      _tdm_sync_job_done (g_steal_pointer (&job));
      return;
    }

  _tdm_sync_engine_name_references (_tdm_sync_task_engine (job->task), written->record);
  job->result[job->writing] = tdm_record_ref (written->record);
  _tdm_sync_job_update (g_steal_pointer (&job));
}

static JsonObject *
fields_for_side (TdmAction *action,
                 TdmSide    side)
{
  return side == action->target ? action->fields : action->fields_other;
}

/* The write of one side, when it has fields to write or a link marker to
 * set (into job->side_write, with its history); FALSE when it has neither.
 * A first link and a repair (re)write the marker; an update writes it along
 * only where the record pulled does not name its twin. */
gboolean
_tdm_sync_job_prepare_side (TdmSyncJob *job,
                            TdmSide     side)
{
  TdmAction *action = job->action;
  JsonObject *fields = fields_for_side (action, side);
  const char *id = _tdm_sync_job_record_id (job, side);
  TdmRecord *record = _tdm_sync_job_current_record (job, side);
  TdmSideWrite *w = &job->side_write;
  const char *twin_id = NULL;
  gboolean has_fields = fields != NULL && json_object_get_size (fields) > 0;

  g_assert (side < TDM_N_SIDES);

  if (job->result[side] != NULL || id == NULL)
    return FALSE;

  twin_id = _tdm_sync_job_record_id (job, tdm_side_other (side));
  if (action->type == TDM_ACTION_UPDATE && !needs_marker (record, twin_id))
    twin_id = NULL;
  if (!has_fields && (twin_id == NULL || !needs_marker (record, twin_id)))
    return FALSE;

  if (has_fields)
    _tdm_sync_job_add_history (job, side, "updated", fields);
  job->writing = side;
  g_clear_pointer (&w->fields, json_object_unref);
  w->id = id;
  w->fields = has_fields ? json_object_ref (fields) : json_object_new ();
  w->etag = record ? record->etag : NULL;
  w->twin_id = twin_id;
  return TRUE;
}

void
_tdm_sync_job_send_side (TdmSyncJob *job)
{
  TdmSyncEngine *self = _tdm_sync_task_engine (job->task);
  TdmSideWrite *w = &job->side_write;

  g_assert (w->fields != NULL && w->id != NULL);

  tdm_connector_update_async (self->connectors[job->writing], job->action->kind, w->id,
                              _tdm_sync_job_fields_to_send (job, job->writing, w->fields),
                              w->etag, w->twin_id, NULL, g_task_get_cancellable (job->task),
                              _tdm_sync_job_updated_cb, job);
}

/* Starts the write of one side; FALSE when it has nothing to write. */
static gboolean
write_side (TdmSyncJob *job,
            TdmSide     side)
{
  if (!_tdm_sync_job_prepare_side (job, side))
    return FALSE;
  _tdm_sync_job_send_side (job);
  return TRUE;
}

/* Both sides are written: count and commit the pair. */
static void
finish_update (TdmSyncJob *job)
{
  TdmSyncEngine *self = _tdm_sync_task_engine (job->task);
  TdmRunState *st = _tdm_sync_task_state (job->task);
  TdmAction *action = job->action;

  if (job->repair)
    st->counts.unchanged++;
  else if (action->type == TDM_ACTION_LINK)
    {
      st->counts.linked++;
      _tdm_sync_job_add_history (job, action->target, "linked", NULL);
      if (action->source != NULL)
        tdm_record_store_clear_review (self->store, action->kind, action->source->side,
                                       action->source->id, NULL);
    }
  else
    st->counts.updated++;

  _tdm_sync_job_commit_pair (job);
  _tdm_sync_job_done (job);
}

/* Writes the target side, then the other side, then commits the pair; each
 * write's callback comes back here. */
void
_tdm_sync_job_update (TdmSyncJob *job)
{
  TdmAction *action = job->action;
  TdmSide order[2] = { action->target, tdm_side_other (action->target) };

  g_assert (action->type == TDM_ACTION_UPDATE || action->type == TDM_ACTION_LINK ||
            (action->type == TDM_ACTION_NOTHING && job->repair));

  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    if (write_side (job, order[i]))
      return;

  finish_update (job);
}

/* ---- Delete ---- */

static void
on_deleted_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(TdmSyncJob) job = user_data;
  TdmAction *action = job->action;
  TdmRunState *st = _tdm_sync_task_state (job->task);
  g_autoptr(GError) error = NULL;

  g_assert (TDM_IS_CONNECTOR (source));
  g_assert (action->type == TDM_ACTION_DELETE && action->link != NULL);

  g_clear_pointer (&job->record_error, tdm_record_error_free);
  if (!tdm_connector_delete_finish (TDM_CONNECTOR (source), result, &job->record_error,
                                    &error) &&
      !g_error_matches (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_NOT_FOUND))
    {
      _tdm_sync_job_write_failed (job, action->target, error);
      _tdm_sync_job_done (g_steal_pointer (&job));
      return;
    }

  {
    g_autoptr(TdmLink) link = tdm_link_new (action->kind, action->link->webshop_id,
                                            action->link->shopify_id);
    TdmCommit commit = { 0 };

    for (guint s = 0; s < TDM_N_SIDES; s++)
      tdm_link_set_snapshot (link, s, tdm_link_get_snapshot (action->link, s), NULL);
    link->orphaned = TRUE;
    _tdm_sync_job_add_history (job, action->target, "deleted", NULL);
    commit.run_id = st->run_id;
    commit.kind = action->kind;
    commit.link = link;
    commit.history = job->history;
    _tdm_sync_run_commit (job->task, &commit);
  }
  st->counts.deleted++;
  _tdm_sync_job_done (g_steal_pointer (&job));
}

/* A propagated delete of the linked record on the target side. */
void
_tdm_sync_job_delete (TdmSyncJob *job)
{
  TdmSyncEngine *self = _tdm_sync_task_engine (job->task);
  TdmAction *action = job->action;
  const char *id;

  g_assert (action->type == TDM_ACTION_DELETE);

  id = action->link != NULL ? tdm_link_get_id (action->link, action->target) : NULL;
  if (id == NULL)
    {
      _tdm_sync_job_done (job);
      return;
    }
  tdm_connector_delete_async (self->connectors[action->target], action->kind, id,
                              g_task_get_cancellable (job->task), on_deleted_cb, job);
}
