/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-sync-engine"

#include "config.h"

#include "tdm-sync-engine-private.h"

#include <string.h>

/* Pulling: every enabled kind is listed on both sides at once, page by
 * page, from the watermark minus the side's overlap; then, for a
 * reconciliation, every id of both sides is compared with the links. The
 * records taken here are what the planner sees, less the ones Tandem wrote
 * itself and that have not changed since (docs/sync.md § A run's phases,
 * § Watermarks, § Listing bounds). */

/* How far before its watermark a side is read again. Each overlap is as
 * small as its reason (docs/sync.md § Watermarks, The overlap):
 * - Shopify finds changes through its search index, which lags writes by
 *   seconds, at times a minute: a record changed just before a listing may
 *   only show in the next one. Two minutes cover that lag.
 * - The webshop's watermark is its own updated_at, read back from it, so
 *   neither clock's drift enters; its listing is inclusive (>=). One second
 *   more covers a record written in the same second as the newest one seen
 *   but after the listing passed it, where timestamps are whole seconds and
 *   a profile's filter is exclusive ("modified_after"). */
#define TDM_SYNC_SHOPIFY_OVERLAP_SECONDS 120
#define TDM_SYNC_WEBSHOP_OVERLAP_SECONDS 1

/* ---- The overlap ---- */

static gint64
overlap_seconds (TdmSide side)
{
  g_assert (side < TDM_N_SIDES);

  return side == TDM_SIDE_SHOPIFY ? TDM_SYNC_SHOPIFY_OVERLAP_SECONDS
                                  : TDM_SYNC_WEBSHOP_OVERLAP_SECONDS;
}

static char *
since_with_overlap (const char *watermark,
                    TdmSide     side)
{
  g_autoptr(GDateTime) dt = NULL;
  g_autoptr(GDateTime) earlier = NULL;

  if (watermark == NULL || *watermark == '\0')
    return NULL;

  dt = g_date_time_new_from_iso8601 (watermark, NULL);
  if (dt == NULL)
    return NULL;

  earlier = g_date_time_add_seconds (dt, -overlap_seconds (side));
  return g_date_time_format (earlier, "%Y-%m-%dT%H:%M:%SZ");
}

/* ---- Taking records in ---- */

/* Raises the side's watermark to the record's time. A record dated past
 * now + TDM_PULL_FUTURE_SKEW does not move it at all: one record dated in
 * year 9999 must not hide every later change, nor may one a few minutes
 * ahead hide the changes of those minutes, which the one-second webshop
 * overlap would not cover (docs/sync.md § Watermarks). */
static void
note_updated (GTask        *task,
              TdmKindRun   *kr,
              TdmRecord    *record,
              TdmPullGuard *guard)
{
  TdmRunState *st = _tdm_sync_task_state (task);
  TdmSide side = record->side;
  char **max = &kr->max_updated[side];
  g_autofree char *utc = tdm_pull_time_utc (record->updated_at);

  g_assert (side < TDM_N_SIDES);
  g_assert (record->kind == kr->kind);

  if (utc == NULL)
    return;
  if (guard != NULL)
    tdm_pull_guard_note_time (guard, utc);
  if (strcmp (utc, st->far_future) > 0 && !kr->warned_future[side])
    {
      g_autofree char *warning = tdm_pull_future_warning (record, utc);

      kr->warned_future[side] = TRUE;
      _tdm_sync_run_warn (task, warning);
    }
  if (strcmp (utc, st->mark_limit) > 0)
    return;
  if (*max == NULL || strcmp (utc, *max) > 0)
    {
      g_free (*max);
      *max = g_steal_pointer (&utc);
    }
}

/* The newest copy of a record failed: no older copy is planned instead. */
static void
forget_pulled (TdmKindRun *kr,
               TdmSide     side,
               const char *id)
{
  TdmRecord *previous;

  g_assert (side < TDM_N_SIDES);
  g_assert (id != NULL);

  previous = g_hash_table_lookup (kr->seen[side], id);
  if (previous == NULL)
    return;
  g_hash_table_remove (kr->seen[side], id);
  g_ptr_array_remove (kr->records[side], previous);
}

static void
add_pulled (TdmKindRun *kr,
            TdmRecord  *record)
{
  TdmSide side = record->side;
  TdmRecord *previous;

  g_assert (side < TDM_N_SIDES);
  g_assert (record->kind == kr->kind);

  /* The overlap window, Shopify's day-granular filters and records edited
   * while a listing is paged return some records twice (on one page or on
   * several): keep the newest copy only; on equal times the later one in
   * the listing. `seen` owns its keys, so dropping the older copy frees
   * nothing the table still uses. */
  previous = g_hash_table_lookup (kr->seen[side], record->id);
  if (previous != NULL)
    {
      if (g_strcmp0 (record->updated_at, previous->updated_at) < 0)
        return;
      g_ptr_array_remove (kr->records[side], previous);
    }

  g_ptr_array_add (kr->records[side], tdm_record_ref (record));
  g_hash_table_replace (kr->seen[side], g_strdup (record->id), record);
}

/* ---- Tandem's own writes ---- */

/* The id of the twin when `record` is exactly what Tandem stored for its
 * pair last (the answer to its own write, or its last read): the link's
 * snapshot of that side has the same updated_at and the same content, and
 * the record names its twin (a missing link marker is repaired by the
 * planner). NULL otherwise. A real edit made in the same second as
 * Tandem's write has the same updated_at but other content, so it is
 * planned (docs/sync.md § Watermarks, Tandem's own writes). */
static char *
own_write_twin (TdmSyncEngine *self,
                TdmRecord     *record)
{
  g_autoptr(TdmLink) link = NULL;
  g_autofree char *canonical = NULL;
  g_autofree char *hash = NULL;
  JsonObject *snapshot;
  const char *stamp;
  const char *twin;

  g_assert (TDM_IS_SYNC_ENGINE (self));
  g_assert (record->side < TDM_N_SIDES);

  if (record->deleted || record->updated_at == NULL || record->twin_id == NULL)
    return NULL;
  link = tdm_record_store_lookup_link (self->store, record->kind, record->side, record->id, NULL);
  if (link == NULL || link->orphaned)
    return NULL;
  stamp = record->side == TDM_SIDE_WEBSHOP ? link->webshop_updated_at : link->shopify_updated_at;
  snapshot = tdm_link_get_snapshot (link, record->side);
  twin = tdm_link_get_id (link, tdm_side_other (record->side));
  if (snapshot == NULL || g_strcmp0 (stamp, record->updated_at) != 0
      || g_strcmp0 (record->twin_id, twin) != 0)
    return NULL;
  canonical = tdm_json_object_to_string (snapshot);
  hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, canonical, -1);
  if (g_strcmp0 (hash, tdm_record_get_hash (record)) != 0)
    return NULL;
  return g_strdup (twin);
}

/* Leaves a record Tandem wrote itself, and that nobody changed since, out
 * of the run before planning (an older copy read earlier in the listing
 * with it; a newer one stays). Its twin is still planned when it changed.
 * TRUE when it was left out. */
static gboolean
skip_own_write (GTask      *task,
                TdmKindRun *kr,
                TdmRecord  *record)
{
  TdmSyncEngine *self = _tdm_sync_task_engine (task);
  TdmRunState *st = _tdm_sync_task_state (task);
  TdmRecord *previous;
  char *twin;

  g_assert (record->kind == kr->kind);

  /* Syncing one record asks for it to be looked at. */
  if (st->options.only_id != NULL)
    return FALSE;
  twin = own_write_twin (self, record);
  if (twin == NULL)
    {
      g_hash_table_remove (kr->echoes[record->side], record->id);
      return FALSE;
    }
  previous = g_hash_table_lookup (kr->seen[record->side], record->id);
  if (previous != NULL && g_strcmp0 (record->updated_at, previous->updated_at) < 0)
    {
      g_free (twin);
      return TRUE;
    }
  forget_pulled (kr, record->side, record->id);
  g_hash_table_replace (kr->echoes[record->side], g_strdup (record->id), twin);
  return TRUE;
}

/* Once both sides of a kind are read: each pair left out as Tandem's own
 * write whose twin is not planned either counts as unchanged, once, as the
 * planner would count it. */
static void
count_own_writes (GTask      *task,
                  TdmKindRun *kr)
{
  TdmRunState *st = _tdm_sync_task_state (task);

  for (guint s = 0; s < TDM_N_SIDES; s++)
    {
      TdmSide other = tdm_side_other (s);
      GHashTableIter iter;
      gpointer id, twin;

      g_hash_table_iter_init (&iter, kr->echoes[s]);
      while (g_hash_table_iter_next (&iter, &id, &twin))
        {
          if (g_hash_table_contains (kr->seen[other], twin))
            continue;
          if (s == TDM_SIDE_SHOPIFY && g_hash_table_contains (kr->echoes[other], twin))
            continue;
          st->counts.unchanged++;
        }
    }
}

/* ---- Entering the run ---- */

/* Every record read from a side enters the run here. A time that is not a
 * time is a record error naming `updated_at` (stored without a version
 * hash, so the record is tried on every run until the side fixes it). A
 * record whose newest copy failed is not planned, nor one Tandem wrote
 * itself and nobody changed since. */
void
_tdm_sync_engine_take_pulled (GTask        *task,
                              TdmKindRun   *kr,
                              TdmRecord    *record,
                              TdmPullGuard *guard,
                              gboolean      failed)
{
  g_autoptr(TdmRecordError) err = NULL;

  g_assert (G_IS_TASK (task));
  g_assert (kr != NULL && record != NULL);

  err = tdm_pull_check_updated_at (record);
  if (err != NULL)
    {
      forget_pulled (kr, record->side, record->id);
      _tdm_sync_run_store_record_error (task, err, NULL);
      return;
    }
  note_updated (task, kr, record, guard);
  if (failed)
    forget_pulled (kr, record->side, record->id);
  else if (!skip_own_write (task, kr, record))
    add_pulled (kr, record);
}

/* A complete listing from a side that tells its own time has seen every
 * change made before it answered the first page, less the side's overlap:
 * the watermark may move to that time even when the newest record is
 * older, so the runs after Tandem's own writes stop reading them again
 * once the overlap has passed (docs/sync.md § Watermarks). */
static void
note_listed (GTask      *task,
             TdmKindRun *kr,
             TdmSide     side,
             const char *listed_at)
{
  TdmRunState *st = _tdm_sync_task_state (task);
  char **max = &kr->max_updated[side];
  g_autofree char *utc = tdm_pull_time_utc (listed_at);

  g_assert (side < TDM_N_SIDES);

  if (utc == NULL)
    return;
  if (strcmp (utc, st->mark_limit) > 0)
    {
      g_free (utc);
      utc = g_strdup (st->mark_limit);
    }
  if (*max == NULL || strcmp (utc, *max) > 0)
    {
      g_free (*max);
      *max = g_steal_pointer (&utc);
    }
}

/* ---- Pulling pages ---- */

/* One listing: one side, one kind. Holds a reference on the run's task. */
typedef struct
{
  GTask        *task;
  TdmKindRun   *kr;
  TdmSide       side;
  char         *since;
  char         *listed_at;   /* the side's time at the first page, when it tells it */
  TdmPullGuard *guard;
} PullJob;

static void
pull_job_free (PullJob *job)
{
  g_clear_object (&job->task);
  g_free (job->since);
  g_free (job->listed_at);
  g_clear_pointer (&job->guard, tdm_pull_guard_free);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PullJob, pull_job_free)

static void start_next_kind_pull (GTask *task);
static void plan_or_reconcile    (GTask *task);

/* A record with a value that cannot be mapped (an invalid email, a phone
 * that cannot be parsed) is not synced at all: copying the rest would
 * create a twin without that field. It is stored as an error and retried
 * once it changes. Returns the ids of those records (borrowed from page). */
static GHashTable *
take_page_problems (GTask   *task,
                    TdmPage *page)
{
  g_autoptr(GHashTable) failed = g_hash_table_new (g_str_hash, g_str_equal);

  g_assert (page != NULL);

  for (guint i = 0; page->problems != NULL && i < page->problems->len; i++)
    {
      TdmRecordError *problem = g_ptr_array_index (page->problems, i);
      TdmRecord *record = NULL;

      for (guint j = 0; j < page->records->len && problem->record_id != NULL; j++)
        if (g_strcmp0 (((TdmRecord *) g_ptr_array_index (page->records, j))->id,
                       problem->record_id) == 0)
          record = g_ptr_array_index (page->records, j);
      if (problem->record_id != NULL)
        g_hash_table_add (failed, problem->record_id);
      _tdm_sync_run_store_record_error (task, problem, record);
    }

  return g_steal_pointer (&failed);
}

/* Takes a page's records; TRUE when the listing goes on with the next page. */
static gboolean
take_page (PullJob *job,
           TdmPage *page)
{
  g_autoptr(GHashTable) failed = take_page_problems (job->task, page);
  g_autoptr(GError) error = NULL;
  TdmPullStep step;

  if (job->listed_at == NULL)
    job->listed_at = g_strdup (page->listed_at);
  for (guint i = 0; i < page->records->len; i++)
    {
      TdmRecord *record = g_ptr_array_index (page->records, i);

      _tdm_sync_engine_take_pulled (job->task, job->kr, record, job->guard,
                                    g_hash_table_contains (failed, record->id));
    }

  step = tdm_pull_guard_next (job->guard, page, &error);
  switch (step)
    {
    case TDM_PULL_REPEATED:
      _tdm_sync_run_set_fatal (job->task, error);
      return FALSE;
    case TDM_PULL_BOUND:
      /* Read up to a point in (updated_at) order: the watermark may move
       * there. Otherwise it stays for this side. */
      job->kr->hold[job->side] = !tdm_pull_guard_in_order (job->guard);
      _tdm_sync_run_warn (job->task, error->message);
      return FALSE;
    case TDM_PULL_NEXT:
      return !g_cancellable_is_cancelled (g_task_get_cancellable (job->task));
    case TDM_PULL_DONE:
    default:
      note_listed (job->task, job->kr, job->side, job->listed_at);
      return FALSE;
    }
}

static void
on_page_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(PullJob) job = user_data;
  GTask *task = job->task;
  TdmRunState *st = _tdm_sync_task_state (task);
  g_autoptr(TdmPage) page = NULL;
  g_autoptr(GError) error = NULL;

  g_assert (TDM_IS_CONNECTOR (source));
  g_assert (st->pending > 0);

  page = tdm_connector_list_changed_finish (TDM_CONNECTOR (source), result, &error);
  if (page != NULL)
    _tdm_sync_engine_name_page_references (_tdm_sync_task_engine (task), page->records);
  if (page == NULL)
    _tdm_sync_run_set_fatal (task, error);
  else if (take_page (job, page))
    {
      PullJob *next = g_steal_pointer (&job);
      TdmKindRun *kr = next->kr;

      tdm_connector_list_changed_async (TDM_CONNECTOR (source), kr->kind, next->since,
                                        page->next_cursor, g_task_get_cancellable (task),
                                        on_page_cb, next);
      _tdm_sync_engine_set_progress (_tdm_sync_task_engine (task), TDM_PHASE_PULLING, kr->kind,
                                     kr->records[0]->len + kr->records[1]->len, 0);
      return;
    }

  if (--st->pending > 0)
    return;

  if (_tdm_sync_task_should_stop (task))
    {
      _tdm_sync_engine_finish_run (task);
      return;
    }

  count_own_writes (task, &st->kinds[st->kind_index]);
  st->kind_index++;
  start_next_kind_pull (task);
}

/* Starts one side's listing of a kind, from its watermark. */
static void
pull_side (GTask      *task,
           TdmKindRun *kr,
           TdmSide     side)
{
  TdmSyncEngine *self = _tdm_sync_task_engine (task);
  TdmRunState *st = _tdm_sync_task_state (task);
  PullJob *job = g_new0 (PullJob, 1);
  g_autofree char *watermark = NULL;
  g_autofree char *watermark_utc = NULL;

  g_assert (kr->enabled);
  g_assert (side < TDM_N_SIDES);

  job->task = g_object_ref (task);
  job->kr = kr;
  job->side = side;
  job->guard = tdm_pull_guard_new (side, kr->kind, self->pull_limit);
  watermark = tdm_record_store_get_watermark (self->store, side, kr->kind, NULL);
  /* A watermark in the future (set before they were capped) would hide
   * every change until then: read everything once instead. */
  watermark_utc = tdm_pull_time_utc (watermark);
  if (watermark_utc != NULL && strcmp (watermark_utc, st->mark_limit) > 0)
    g_clear_pointer (&watermark, g_free);
  /* A reconciliation reads everything, so deletions and records the
   * incremental passes missed are found. */
  job->since = st->options.reconcile ? NULL : since_with_overlap (watermark, side);
  tdm_connector_list_changed_async (self->connectors[side], kr->kind, job->since, NULL,
                                    g_task_get_cancellable (task), on_page_cb, job);
}

static void
start_next_kind_pull (GTask *task)
{
  TdmSyncEngine *self = _tdm_sync_task_engine (task);
  TdmRunState *st = _tdm_sync_task_state (task);
  TdmKindRun *kr;

  g_assert (st->pending == 0);

  while (st->kind_index < TDM_N_KINDS && !st->kinds[st->kind_index].enabled)
    st->kind_index++;

  if (st->kind_index >= TDM_N_KINDS)
    {
      plan_or_reconcile (task);
      return;
    }

  kr = &st->kinds[st->kind_index];
  _tdm_sync_engine_set_progress (self, TDM_PHASE_PULLING, kr->kind, 0, 0);
  st->pending = TDM_N_SIDES;
  for (guint s = 0; s < TDM_N_SIDES; s++)
    pull_side (task, kr, s);
}

/* After recovery: one record and its twin, or every enabled kind. */
void
_tdm_sync_engine_start_pulling (GTask *task)
{
  TdmRunState *st = _tdm_sync_task_state (task);

  g_assert (G_IS_TASK (task));

  if (st->options.only_id != NULL)
    {
      _tdm_sync_engine_start_single (task);
      return;
    }

  st->kind_index = 0;
  start_next_kind_pull (task);
}

/* ---- Reconciliation ---- */

/* Every id of both sides against the links, so records deleted on one side
 * become tombstones for the planner (docs/sync.md § Deletes and orphans). */

typedef struct
{
  GTask      *task;
  TdmKindRun *kr;
  TdmSide     side;
} IdsJob;

static void
ids_job_free (IdsJob *job)
{
  g_clear_object (&job->task);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (IdsJob, ids_job_free)

static void reconcile_next (GTask *task);

/* A linked record missing from its side's ids, and not pulled this run,
 * was deleted there: it enters the run as a tombstone. */
static void
add_missing_as_tombstones (IdsJob    *job,
                           GPtrArray *ids)
{
  TdmSyncEngine *self = _tdm_sync_task_engine (job->task);
  g_autoptr(GHashTable) present = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) links = NULL;

  g_assert (ids != NULL);

  for (guint i = 0; i < ids->len; i++)
    g_hash_table_add (present, g_ptr_array_index (ids, i));

  links = tdm_record_store_list_links (self->store, job->kr->kind, NULL);
  for (guint i = 0; links != NULL && i < links->len; i++)
    {
      TdmLink *link = g_ptr_array_index (links, i);
      const char *id = tdm_link_get_id (link, job->side);
      g_autoptr(TdmRecord) tomb = NULL;

      if (link->orphaned || g_hash_table_contains (present, id) ||
          g_hash_table_contains (job->kr->seen[job->side], id))
        continue;

      tomb = tdm_record_new_tombstone (job->side, job->kr->kind, id, NULL);
      add_pulled (job->kr, tomb);
    }
}

static void
on_ids_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(IdsJob) job = user_data;
  GTask *task = job->task;
  TdmRunState *st = _tdm_sync_task_state (task);
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GError) error = NULL;

  g_assert (TDM_IS_CONNECTOR (source));
  g_assert (st->pending > 0);

  ids = tdm_connector_list_ids_finish (TDM_CONNECTOR (source), result, &error);
  if (ids != NULL)
    add_missing_as_tombstones (job, ids);
  /* A connection that cannot list ids simply skips reconciliation. */
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED))
    _tdm_sync_run_set_fatal (task, error);

  if (--st->pending > 0)
    return;

  st->kind_index++;
  reconcile_next (task);
}

static void
reconcile_next (GTask *task)
{
  TdmSyncEngine *self = _tdm_sync_task_engine (task);
  TdmRunState *st = _tdm_sync_task_state (task);
  TdmKindRun *kr;

  g_assert (st->pending == 0);

  if (_tdm_sync_task_should_stop (task))
    {
      _tdm_sync_engine_finish_run (task);
      return;
    }

  while (st->kind_index < TDM_N_KINDS && !st->kinds[st->kind_index].enabled)
    st->kind_index++;

  if (st->kind_index >= TDM_N_KINDS)
    {
      _tdm_sync_engine_plan_all (task);
      return;
    }

  kr = &st->kinds[st->kind_index];
  _tdm_sync_engine_set_progress (self, TDM_PHASE_RECONCILING, kr->kind, 0, 0);
  st->pending = TDM_N_SIDES;
  for (guint s = 0; s < TDM_N_SIDES; s++)
    {
      IdsJob *job = g_new0 (IdsJob, 1);

      job->task = g_object_ref (task);
      job->kr = kr;
      job->side = s;
      tdm_connector_list_ids_async (self->connectors[s], kr->kind, g_task_get_cancellable (task),
                                    on_ids_cb, job);
    }
}

/* Pulling wraps reconciliation: once every kind is pulled, the id lists
 * are compared before planning. */
static void
plan_or_reconcile (GTask *task)
{
  TdmRunState *st = _tdm_sync_task_state (task);

  g_assert (st->kind_index >= TDM_N_KINDS);

  if (st->options.reconcile)
    {
      st->kind_index = 0;
      reconcile_next (task);
    }
  else
    _tdm_sync_engine_plan_all (task);
}
