/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-sync-engine"

#include "config.h"

#include "tdm-sync-engine-private.h"

#include "tdm-error.h"

/* Syncing one record ("Sync this record", "Retry"): instead of listing,
 * the record and its linked twin are read fresh, then planned and executed
 * as usual. Other kinds are not touched and no watermark moves (the rest of
 * the kind was not read; docs/sync.md § Watermarks). */

/* The reads in flight; holds a reference on the run's task. */
typedef struct
{
  GTask      *task;
  TdmKindRun *kr;
  char       *ids[TDM_N_SIDES];   /* the id read on each side, or NULL */
  guint       pending;
} SingleFetch;

static void
single_fetch_free (SingleFetch *fetch)
{
  g_clear_object (&fetch->task);
  for (guint s = 0; s < TDM_N_SIDES; s++)
    g_free (fetch->ids[s]);
  g_free (fetch);
}

/* The problem that came with the record just read on `side` (a value the
 * mapping cannot use, text it cannot keep), or NULL; one about another
 * record is dropped. */
static TdmRecordError *
own_read_problem (SingleFetch    *fetch,
                  TdmSide         side,
                  TdmRecordError *found)
{
  g_autoptr(TdmRecordError) problem = found;

  g_assert (fetch != NULL);
  g_assert (side < TDM_N_SIDES && fetch->ids[side] != NULL);

  if (problem == NULL || problem->side != side || problem->kind != fetch->kr->kind)
    return NULL;
  if (problem->record_id != NULL && g_strcmp0 (problem->record_id, fetch->ids[side]) != 0)
    return NULL;
  return g_steal_pointer (&problem);
}

/* A record read alone is checked as a listing checks it (docs/sync.md): one
 * with a value that cannot be used is stored in error with that version and
 * not planned, so nothing is written from it; one that cannot be read at
 * all is a record error, not a failed run. */
static void
on_single_fetched_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  SingleFetch *fetch = user_data;
  TdmConnector *conn = TDM_CONNECTOR (source);
  TdmSide side = tdm_connector_get_side (conn);
  g_autoptr(GTask) task = g_object_ref (fetch->task);
  g_autoptr(TdmRecord) record = NULL;
  g_autoptr(TdmRecordError) problem = NULL;
  TdmRecordError *found = NULL;
  g_autoptr(GError) error = NULL;

  g_assert (TDM_IS_CONNECTOR (source));
  g_assert (fetch->pending > 0);

  record = tdm_connector_get_finish (conn, result, &found, &error);
  _tdm_sync_engine_name_references (_tdm_sync_task_engine (task), record);
  problem = own_read_problem (fetch, side, found);
  if (record != NULL && problem != NULL)
    {
      _tdm_sync_run_store_record_error (task, problem, record);
      _tdm_sync_engine_take_pulled (task, fetch->kr, record, NULL, TRUE);
    }
  else if (record != NULL)
    _tdm_sync_engine_take_pulled (task, fetch->kr, record, NULL, FALSE);
  else if (problem != NULL && g_error_matches (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_VALIDATION))
    _tdm_sync_run_store_record_error (task, problem, NULL);
  /* A record gone on its side is left to the next reconciliation. */
  else if (!g_error_matches (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_NOT_FOUND))
    _tdm_sync_run_set_fatal (task, error);

  if (--fetch->pending > 0)
    return;

  single_fetch_free (fetch);
  if (_tdm_sync_task_state (task)->fatal != NULL)
    {
      _tdm_sync_engine_finish_run (task);
      return;
    }
  _tdm_sync_engine_plan_all (task);
}

void
_tdm_sync_engine_start_single (GTask *task)
{
  TdmSyncEngine *self = _tdm_sync_task_engine (task);
  TdmRunState *st = _tdm_sync_task_state (task);
  TdmKindRun *kr = &st->kinds[st->options.only_kind];
  TdmSide side = st->options.only_side;
  TdmSide other = tdm_side_other (side);
  g_autoptr(TdmLink) link = NULL;
  SingleFetch *fetch;
  const char *ids[TDM_N_SIDES] = { NULL, NULL };

  g_assert (st->options.only_id != NULL);
  g_assert (st->options.only_kind < TDM_N_KINDS && side < TDM_N_SIDES);

  /* Only this pair: other kinds are not touched, and nothing advances the
   * watermarks. */
  for (guint k = 0; k < TDM_N_KINDS; k++)
    st->kinds[k].enabled = k == st->options.only_kind && st->kinds[k].enabled;
  kr->incomplete = TRUE;

  ids[side] = st->options.only_id;
  link = tdm_record_store_lookup_link (self->store, kr->kind, side, st->options.only_id, NULL);
  if (link != NULL)
    ids[other] = tdm_link_get_id (link, other);

  fetch = g_new0 (SingleFetch, 1);
  fetch->task = g_object_ref (task);
  fetch->kr = kr;
  for (guint s = 0; s < TDM_N_SIDES; s++)
    if (ids[s] != NULL)
      {
        fetch->ids[s] = g_strdup (ids[s]);
        fetch->pending++;
      }

  _tdm_sync_engine_set_progress (self, TDM_PHASE_PULLING, kr->kind, 0, fetch->pending);
  for (guint s = 0; s < TDM_N_SIDES; s++)
    if (fetch->ids[s] != NULL)
      tdm_connector_get_async (self->connectors[s], kr->kind, fetch->ids[s],
                               g_task_get_cancellable (task), on_single_fetched_cb, fetch);
}
