/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-sync-engine"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "tdm-sync-engine.h"
#include "tdm-error.h"
#include "tdm-pull-guard.h"

/* One run, as SYNC.md describes it:
 *
 *   prepare → recover the outbox → pull every kind (both sides at once)
 *   → [reconcile] → plan every kind → circuit breaker → execute kind by
 *   kind (orders are planned again once customers and products are linked)
 *   → advance watermarks → finish.
 *
 * Every step is a named callback on the main loop; records are written
 * with bounded concurrency and each record's outcome is committed in one
 * store transaction. A side's watermark only advances when every record
 * pulled for that kind was committed (written, linked, or stored as an
 * error), so a crash or a network failure never skips a change. */

#define MAX_IN_FLIGHT      4
#define OVERLAP_SECONDS    (10 * 60)
#define DELETE_RATIO_LIMIT 0.05

struct _TdmSyncEngine
{
  GObject          parent_instance;

  TdmRecordStore  *store;
  TdmConnector    *connectors[TDM_N_SIDES];
  TdmMapping      *mapping;
  TdmPlanOptions   options[TDM_N_KINDS];
  guint            breaker_threshold;
  guint            pull_limit;     /* records per listing; 0 = TDM_PULL_MAX_RECORDS */

  TdmEngineState   state;
  TdmSyncPhase     phase;
  TdmKind          kind;
  guint            done;
  guint            total;
  gint64           last_sync;
  char            *last_error;
  GPtrArray       *stopped_plan;   /* TdmAction*, when the breaker stopped a run */
};

G_DEFINE_FINAL_TYPE (TdmSyncEngine, tdm_sync_engine, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STATE,
  PROP_PHASE,
  PROP_KIND,
  PROP_DONE,
  PROP_TOTAL,
  PROP_LAST_SYNC,
  PROP_LAST_ERROR,
  N_PROPS
};

enum {
  SIGNAL_RECORD_ERROR,
  SIGNAL_PLAN_READY,
  SIGNAL_WARNING,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

typedef struct
{
  TdmKind     kind;
  gboolean    enabled;
  GPtrArray  *records[TDM_N_SIDES];     /* pulled TdmRecord* */
  GHashTable *seen[TDM_N_SIDES];        /* id (owned) → TdmRecord* (borrowed from records) */
  char       *max_updated[TDM_N_SIDES];
  GPtrArray  *actions;                  /* TdmAction* */
  GHashTable *conflicts;                /* link key → GPtrArray of TdmFieldConflict* (borrowed) */
  GPtrArray  *replan;                   /* TdmRecord* to plan again after this round */
  gboolean    incomplete;               /* something was not committed: keep the watermarks */
  gboolean    hold[TDM_N_SIDES];        /* listing cut short out of order: keep that watermark */
  gboolean    warned_future[TDM_N_SIDES];
  guint       round;
} KindRun;

typedef struct
{
  TdmSyncRunOptions  options;
  TdmSyncCounts      counts;
  gint64             run_id;
  gint64             started_at;
  KindRun            kinds[TDM_N_KINDS];
  guint              kind_index;
  guint              pending;           /* parallel operations in flight (pull, prepare) */
  GError            *fatal;
  GPtrArray         *outbox;            /* pending TdmOutboxOp* at start */
  guint              outbox_index;
  guint              next_action;
  guint              in_flight;
  gboolean           launching;         /* inside launch_jobs: completions must not re-enter */
  gboolean           finished;
  char              *only_id;           /* owned copy of options.only_id */
  GPtrArray         *warnings;          /* char*: what the run reports besides errors */
  char              *mark_limit;        /* no watermark passes this (now + skew) */
  char              *far_future;        /* record times past this are warned about */
} RunState;

typedef struct
{
  GTask     *task;       /* borrowed: the run's task */
  KindRun   *kr;
  TdmAction *action;     /* borrowed from kr->actions */
  TdmOutboxOp *op;
  TdmRecord *result[TDM_N_SIDES];
  GPtrArray *history;
  TdmSide    writing;    /* side of the write in flight */
  gboolean   repair;     /* unchanged pair whose link marker is missing on a side */
} Job;

typedef struct
{
  GTask        *task;
  KindRun      *kr;
  TdmSide       side;
  char         *since;
  TdmPullGuard *guard;
} PullJob;

static void start_next_kind_pull  (GTask *task);
static void execute_kind          (GTask *task);
static void launch_jobs           (GTask *task);
static void finish_run            (GTask *task);
static void plan_or_reconcile     (GTask *task);

/* Helpers */

static void
kind_run_clear (KindRun *kr)
{
  for (guint s = 0; s < TDM_N_SIDES; s++)
    {
      g_clear_pointer (&kr->records[s], g_ptr_array_unref);
      g_clear_pointer (&kr->seen[s], g_hash_table_unref);
      g_clear_pointer (&kr->max_updated[s], g_free);
    }
  g_clear_pointer (&kr->actions, g_ptr_array_unref);
  g_clear_pointer (&kr->conflicts, g_hash_table_unref);
  g_clear_pointer (&kr->replan, g_ptr_array_unref);
}

static void
run_state_free (RunState *st)
{
  for (guint k = 0; k < TDM_N_KINDS; k++)
    kind_run_clear (&st->kinds[k]);
  g_clear_pointer (&st->outbox, g_ptr_array_unref);
  g_clear_error (&st->fatal);
  g_free (st->only_id);
  g_ptr_array_unref (st->warnings);
  g_free (st->mark_limit);
  g_free (st->far_future);
  g_free (st);
}

static void
job_free (Job *job)
{
  g_clear_pointer (&job->op, tdm_outbox_op_free);
  for (guint s = 0; s < TDM_N_SIDES; s++)
    g_clear_pointer (&job->result[s], tdm_record_unref);
  g_clear_pointer (&job->history, g_ptr_array_unref);
  g_free (job);
}

static void
set_state (TdmSyncEngine  *self,
           TdmEngineState  state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
set_progress (TdmSyncEngine *self,
              TdmSyncPhase   phase,
              TdmKind        kind,
              guint          done,
              guint          total)
{
  g_object_freeze_notify (G_OBJECT (self));
  if (self->phase != phase)
    {
      self->phase = phase;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PHASE]);
    }
  if (self->kind != kind)
    {
      self->kind = kind;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KIND]);
    }
  if (self->done != done)
    {
      self->done = done;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DONE]);
    }
  if (self->total != total)
    {
      self->total = total;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOTAL]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

static void
set_last_error (TdmSyncEngine *self,
                const char    *message)
{
  if (g_strcmp0 (self->last_error, message) == 0)
    return;
  g_free (self->last_error);
  self->last_error = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_ERROR]);
}

static TdmSyncEngine *
task_engine (GTask *task)
{
  return g_task_get_source_object (task);
}

static RunState *
task_state (GTask *task)
{
  return g_task_get_task_data (task);
}

static gboolean
is_dry_run (GTask *task)
{
  return task_state (task)->options.dry_run;
}

/* Errors that concern one record only; anything else stops the run. */
static gboolean
is_record_error (const GError *error)
{
  return error->domain == TDM_SYNC_ERROR &&
         (error->code == TDM_SYNC_ERROR_VALIDATION ||
          error->code == TDM_SYNC_ERROR_DUPLICATE ||
          error->code == TDM_SYNC_ERROR_CONFLICT ||
          error->code == TDM_SYNC_ERROR_NOT_FOUND);
}

static void
set_fatal (GTask        *task,
           const GError *error)
{
  RunState *st = task_state (task);

  if (st->fatal == NULL)
    st->fatal = g_error_copy (error);
}

static char *
since_with_overlap (const char *watermark)
{
  g_autoptr(GDateTime) dt = NULL;
  g_autoptr(GDateTime) earlier = NULL;

  if (watermark == NULL || *watermark == '\0')
    return NULL;

  dt = g_date_time_new_from_iso8601 (watermark, NULL);
  if (dt == NULL)
    return NULL;

  earlier = g_date_time_add_seconds (dt, -OVERLAP_SECONDS);
  return g_date_time_format (earlier, "%Y-%m-%dT%H:%M:%SZ");
}

static void
run_warn (GTask      *task,
          const char *message)
{
  g_ptr_array_add (task_state (task)->warnings, g_strdup (message));
  g_signal_emit (task_engine (task), signals[SIGNAL_WARNING], 0, message);
}

/* Raises the side's watermark to the record's time, but never past now +
 * TDM_PULL_FUTURE_SKEW: one record dated in year 9999 must not hide every
 * later change (docs/sync.md § Watermarks). */
static void
note_updated (GTask        *task,
              KindRun      *kr,
              TdmRecord    *record,
              TdmPullGuard *guard)
{
  RunState *st = task_state (task);
  TdmSide side = record->side;
  char **max = &kr->max_updated[side];
  g_autofree char *utc = tdm_pull_time_utc (record->updated_at);

  if (utc == NULL)
    return;
  if (guard != NULL)
    tdm_pull_guard_note_time (guard, utc);
  if (strcmp (utc, st->far_future) > 0 && !kr->warned_future[side])
    {
      g_autofree char *warning = tdm_pull_future_warning (record, utc);

      kr->warned_future[side] = TRUE;
      run_warn (task, warning);
    }
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

/* The newest copy of a record failed: no older copy is planned instead. */
static void
forget_pulled (KindRun    *kr,
               TdmSide     side,
               const char *id)
{
  TdmRecord *previous = g_hash_table_lookup (kr->seen[side], id);

  if (previous == NULL)
    return;
  g_hash_table_remove (kr->seen[side], id);
  g_ptr_array_remove (kr->records[side], previous);
}

static void
add_pulled (KindRun   *kr,
            TdmRecord *record)
{
  TdmSide side = record->side;
  TdmRecord *previous = g_hash_table_lookup (kr->seen[side], record->id);

  /* The overlap window, Shopify's day-granular filters and records edited
   * while a listing is paged return some records twice (on one page or on
   * several): keep the newest copy only; on equal times the later one in
   * the listing. `seen` owns its keys, so dropping the older copy frees
   * nothing the table still uses. */
  if (previous != NULL)
    {
      if (g_strcmp0 (record->updated_at, previous->updated_at) < 0)
        return;
      g_ptr_array_remove (kr->records[side], previous);
    }

  g_ptr_array_add (kr->records[side], tdm_record_ref (record));
  g_hash_table_replace (kr->seen[side], g_strdup (record->id), record);
}

static char *
resolve_ref_cb (TdmKind     kind,
                TdmSide     from_side,
                const char *id,
                gpointer    user_data)
{
  TdmSyncEngine *self = user_data;
  g_autoptr(TdmLink) link = NULL;

  link = tdm_record_store_lookup_link (self->store, kind, from_side, id, NULL);
  if (link == NULL || link->orphaned)
    return NULL;
  return g_strdup (tdm_link_get_id (link, tdm_side_other (from_side)));
}

static gboolean
is_linked_cb (TdmKind     kind,
              TdmSide     side,
              const char *id,
              gpointer    user_data)
{
  TdmSyncEngine *self = user_data;
  g_autoptr(TdmLink) link = NULL;

  link = tdm_record_store_lookup_link (self->store, kind, side, id, NULL);
  return link != NULL;
}

static void
emit_record_error (TdmSyncEngine  *self,
                   TdmRecordError *err)
{
  g_signal_emit (self, signals[SIGNAL_RECORD_ERROR], 0, err);
}

static void
store_record_error (GTask          *task,
                    TdmRecordError *err,
                    TdmRecord      *record)
{
  TdmSyncEngine *self = task_engine (task);
  RunState *st = task_state (task);
  g_autoptr(GError) error = NULL;

  st->counts.errors++;
  emit_record_error (self, err);
  if (is_dry_run (task))
    return;

  if (!tdm_record_store_set_record_error (self->store, st->run_id, err,
                                          record ? tdm_record_get_hash (record) : NULL,
                                          &error))
    set_fatal (task, error);
}

/* Every record read from a side enters the run here. A time that is not a
 * time is a record error naming `updated_at` (stored without a version
 * hash, so the record is tried on every run until the side fixes it). A
 * record whose newest copy failed is not planned. */
static void
take_pulled (GTask        *task,
             KindRun      *kr,
             TdmRecord    *record,
             TdmPullGuard *guard,
             gboolean      failed)
{
  g_autoptr(TdmRecordError) err = tdm_pull_check_updated_at (record);

  if (err != NULL)
    {
      forget_pulled (kr, record->side, record->id);
      store_record_error (task, err, NULL);
      return;
    }
  note_updated (task, kr, record, guard);
  if (failed)
    forget_pulled (kr, record->side, record->id);
  else
    add_pulled (kr, record);
}

/* Step: finish */

static void finish_run_return (GTask *task);

/* Every run ends here exactly once; the run's reference on its task (taken
 * in tdm_sync_engine_run_async) is dropped after the result is returned. */
static void
finish_run (GTask *task)
{
  RunState *st = task_state (task);

  g_return_if_fail (!st->finished);
  st->finished = TRUE;
  finish_run_return (task);
  g_object_unref (task);
}

static void
finish_run_return (GTask *task)
{
  TdmSyncEngine *self = task_engine (task);
  RunState *st = task_state (task);
  g_autoptr(GError) error = NULL;
  TdmRunInfo info = { 0 };
  g_autofree char *message = NULL;
  gboolean cancelled = g_cancellable_is_cancelled (g_task_get_cancellable (task));
  gboolean waiting = st->fatal != NULL &&
                     g_error_matches (st->fatal, TDM_SYNC_ERROR, TDM_SYNC_ERROR_CANCELLED_BY_USER);

  set_progress (self, TDM_PHASE_DONE, self->kind, 0, 0);

  if (!st->options.dry_run && st->run_id > 0)
    {
      info.id = st->run_id;
      info.started_at = st->started_at;
      info.finished_at = g_get_real_time () / G_USEC_PER_SEC;
      info.created = st->counts.created;
      info.updated = st->counts.updated;
      info.linked = st->counts.linked;
      info.conflicts = st->counts.conflicts;
      info.errors = st->counts.errors;
      info.unchanged = st->counts.unchanged;
      info.outcome = (char *) (cancelled ? "cancelled"
                               : waiting ? "waiting-confirmation"
                               : st->fatal != NULL ? "failed"
                               : "completed");
      if (st->fatal != NULL)
        g_ptr_array_insert (st->warnings, 0, g_strdup (st->fatal->message));
      g_ptr_array_add (st->warnings, NULL);
      message = g_strjoinv ("\n", (char **) st->warnings->pdata);
      g_ptr_array_set_size (st->warnings, st->warnings->len - 1);
      info.message = *message != '\0' ? message : NULL;
      if (!tdm_record_store_run_finish (self->store, &info, &error))
        g_warning ("Could not record the end of sync run %" G_GINT64_FORMAT ": %s",
                   st->run_id, error->message);
    }

  if (cancelled)
    {
      set_state (self, TDM_ENGINE_IDLE);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               _("The sync was stopped."));
      return;
    }

  if (st->fatal != NULL)
    {
      set_last_error (self, st->fatal->message);
      set_state (self, waiting ? TDM_ENGINE_WAITING_CONFIRMATION : TDM_ENGINE_ERROR);
      g_task_return_error (task, g_steal_pointer (&st->fatal));
      return;
    }

  set_last_error (self, NULL);
  if (!st->options.dry_run)
    {
      self->last_sync = g_get_real_time () / G_USEC_PER_SEC;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_SYNC]);
    }
  set_state (self, TDM_ENGINE_IDLE);
  g_task_return_boolean (task, TRUE);
}

/* Step: planning */

static GHashTable *
collect_links (TdmSyncEngine  *self,
               KindRun        *kr,
               GError        **error)
{
  g_autoptr(GHashTable) links = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                       (GDestroyNotify) tdm_link_unref);

  for (guint s = 0; s < TDM_N_SIDES; s++)
    for (guint i = 0; i < kr->records[s]->len; i++)
      {
        TdmRecord *record = g_ptr_array_index (kr->records[s], i);
        g_autoptr(GError) local_error = NULL;
        TdmLink *link;

        link = tdm_record_store_lookup_link (self->store, kr->kind, s, record->id, &local_error);
        if (local_error != NULL)
          {
            g_propagate_error (error, g_steal_pointer (&local_error));
            return NULL;
          }
        if (link == NULL)
          continue;

        /* Key the link under both ids so the planner finds it from either side. */
        g_hash_table_replace (links, tdm_link_key (TDM_SIDE_WEBSHOP, link->webshop_id),
                              tdm_link_ref (link));
        g_hash_table_replace (links, tdm_link_key (TDM_SIDE_SHOPIFY, link->shopify_id), link);
      }

  return g_steal_pointer (&links);
}

static TdmMatchIndex *
build_match_index (TdmSyncEngine  *self,
                   KindRun        *kr,
                   GHashTable     *links,
                   GError        **error)
{
  g_autoptr(TdmMatchIndex) index = tdm_match_index_new (kr->kind);

  for (guint s = 0; s < TDM_N_SIDES; s++)
    {
      g_autoptr(GPtrArray) cached = NULL;
      g_autoptr(GError) local_error = NULL;

      for (guint i = 0; i < kr->records[s]->len; i++)
        {
          TdmRecord *record = g_ptr_array_index (kr->records[s], i);
          g_autofree char *key = tdm_link_key (s, record->id);

          if (!record->deleted && !g_hash_table_contains (links, key))
            tdm_match_index_add (index, record);
        }

      cached = tdm_record_store_list_unlinked (self->store, kr->kind, s, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      for (guint i = 0; cached != NULL && i < cached->len; i++)
        {
          TdmRecord *record = g_ptr_array_index (cached, i);

          /* The pulled copy is newer than the cached one. */
          if (!g_hash_table_contains (kr->seen[s], record->id) && !record->deleted)
            tdm_match_index_add (index, record);
        }
    }

  return g_steal_pointer (&index);
}

static GHashTable *
collect_resolutions (TdmSyncEngine *self,
                     KindRun       *kr,
                     GHashTable    *links,
                     gboolean       dry_run)
{
  GHashTable *resolutions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                   (GDestroyNotify) g_hash_table_unref);
  GHashTableIter iter;
  gpointer key, value;

  if (dry_run)
    return resolutions;

  g_hash_table_iter_init (&iter, links);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      TdmLink *link = value;
      g_autofree char *wkey = tdm_link_key (TDM_SIDE_WEBSHOP, link->webshop_id);
      GHashTable *choices;

      if (strcmp (key, wkey) != 0 || g_hash_table_contains (resolutions, wkey))
        continue;

      choices = tdm_record_store_take_resolutions (self->store, kr->kind, link->webshop_id, NULL);
      if (choices != NULL && g_hash_table_size (choices) > 0)
        g_hash_table_insert (resolutions, g_steal_pointer (&wkey), choices);
      else
        g_clear_pointer (&choices, g_hash_table_unref);
    }

  return resolutions;
}

/* Drops records whose current version already failed: they are retried
 * only after they change (SYNC.md, rate limits and faults). */
static void
drop_known_failures (TdmSyncEngine *self,
                     KindRun       *kr)
{
  for (guint s = 0; s < TDM_N_SIDES; s++)
    for (guint i = kr->records[s]->len; i > 0; i--)
      {
        TdmRecord *record = g_ptr_array_index (kr->records[s], i - 1);
        g_autofree char *hash = NULL;

        hash = tdm_record_store_get_error_hash (self->store, kr->kind, s, record->id, NULL);
        if (hash != NULL && g_strcmp0 (hash, tdm_record_get_hash (record)) == 0)
          {
            g_hash_table_remove (kr->seen[s], record->id);
            g_ptr_array_remove_index (kr->records[s], i - 1);
          }
      }
}

/* "Retry all failed": the records with a stored error join the plan, read
 * from the cache when this run did not pull them. Their errors are cleared
 * when they sync, or replaced when they fail again. */
static void
add_failed_records (TdmSyncEngine *self,
                    KindRun       *kr)
{
  for (guint s = 0; s < TDM_N_SIDES; s++)
    {
      g_autoptr(GPtrArray) ids = tdm_record_store_list_failed (self->store, kr->kind, s, NULL);

      for (guint i = 0; ids != NULL && i < ids->len; i++)
        {
          const char *id = g_ptr_array_index (ids, i);
          g_autoptr(TdmRecord) cached = NULL;

          if (g_hash_table_contains (kr->seen[s], id))
            continue;
          cached = tdm_record_store_lookup_cached (self->store, kr->kind, s, id, NULL);
          if (cached != NULL)
            {
              g_ptr_array_add (kr->records[s], tdm_record_ref (cached));
              g_hash_table_replace (kr->seen[s], g_strdup (cached->id), cached);
            }
        }
    }
}

/* A conflict the owner settled is applied on the next run even when
 * neither record changed since: bring both cached records into the plan. */
static void
add_resolved_pairs (TdmSyncEngine *self,
                    KindRun       *kr)
{
  g_autoptr(GPtrArray) ids = tdm_record_store_list_resolved (self->store, kr->kind, NULL);

  for (guint i = 0; ids != NULL && i < ids->len; i++)
    {
      g_autoptr(TdmLink) link = tdm_record_store_lookup_link (self->store, kr->kind,
                                                              TDM_SIDE_WEBSHOP,
                                                              g_ptr_array_index (ids, i), NULL);

      if (link == NULL)
        continue;
      for (guint s = 0; s < TDM_N_SIDES; s++)
        {
          const char *id = tdm_link_get_id (link, s);
          g_autoptr(TdmRecord) cached = NULL;

          if (g_hash_table_contains (kr->seen[s], id))
            continue;
          cached = tdm_record_store_lookup_cached (self->store, kr->kind, s, id, NULL);
          if (cached != NULL)
            {
              g_ptr_array_add (kr->records[s], tdm_record_ref (cached));
              g_hash_table_replace (kr->seen[s], g_strdup (cached->id), cached);
            }
        }
    }
}

static gboolean
has_pending_conflicts (GPtrArray *conflicts)
{
  for (guint i = 0; i < conflicts->len; i++)
    if (!((TdmFieldConflict *) g_ptr_array_index (conflicts, i))->resolved)
      return TRUE;
  return FALSE;
}

static gboolean
plan_kind (TdmSyncEngine  *self,
           KindRun        *kr,
           gboolean        dry_run,
           GError        **error)
{
  g_autoptr(GHashTable) links = NULL;
  g_autoptr(TdmMatchIndex) index = NULL;
  g_autoptr(GHashTable) resolutions = NULL;
  TdmPlanInput input = { 0 };

  g_clear_pointer (&kr->actions, g_ptr_array_unref);
  g_clear_pointer (&kr->conflicts, g_hash_table_unref);

  if (!dry_run)
    add_resolved_pairs (self, kr);

  links = collect_links (self, kr, error);
  if (links == NULL)
    return FALSE;
  index = build_match_index (self, kr, links, error);
  if (index == NULL)
    return FALSE;
  resolutions = collect_resolutions (self, kr, links, dry_run);

  input.kind = kr->kind;
  input.mapping = self->mapping;
  input.options = self->options[kr->kind];
  input.changed[TDM_SIDE_WEBSHOP] = kr->records[TDM_SIDE_WEBSHOP];
  input.changed[TDM_SIDE_SHOPIFY] = kr->records[TDM_SIDE_SHOPIFY];
  input.links = links;
  input.match = index;
  input.is_linked = is_linked_cb;
  input.is_linked_data = self;
  input.resolutions = resolutions;

  kr->actions = tdm_planner_plan (&input);
  kr->conflicts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) g_ptr_array_unref);

  for (guint i = 0; i < kr->actions->len; i++)
    {
      TdmAction *action = g_ptr_array_index (kr->actions, i);

      const char *webshop_id = NULL;

      if (action->conflicts == NULL || !has_pending_conflicts (action->conflicts))
        continue;
      /* CONFLICT actions, and first links under `ask` whose differing
       * fields wait for the user. */
      if (action->type == TDM_ACTION_CONFLICT && action->link != NULL)
        webshop_id = action->link->webshop_id;
      else if (action->type == TDM_ACTION_LINK && action->source != NULL && action->twin != NULL)
        webshop_id = action->source->side == TDM_SIDE_WEBSHOP ? action->source->id
                                                             : action->twin->id;
      if (webshop_id != NULL)
        {
          /* Only the fields still waiting for the owner (borrowed from the action). */
          GPtrArray *pending = g_ptr_array_new ();

          for (guint j = 0; j < action->conflicts->len; j++)
            {
              TdmFieldConflict *c = g_ptr_array_index (action->conflicts, j);

              if (!c->resolved)
                g_ptr_array_add (pending, c);
            }
          g_hash_table_replace (kr->conflicts, tdm_link_key (TDM_SIDE_WEBSHOP, webshop_id),
                                pending);
        }
    }

  return TRUE;
}

static gboolean
action_writes (const TdmAction *action)
{
  switch (action->type)
    {
    case TDM_ACTION_CREATE:
    case TDM_ACTION_DELETE:
      return TRUE;
    case TDM_ACTION_UPDATE:
    case TDM_ACTION_LINK:
      return TRUE;
    case TDM_ACTION_NOTHING:
    case TDM_ACTION_CONFLICT:
    case TDM_ACTION_ORPHAN:
    case TDM_ACTION_WAIT:
    case TDM_ACTION_REVIEW:
    default:
      return FALSE;
    }
}

/* The circuit breaker (SYNC.md): more than the threshold of records
 * changed, or deletes/orphans of more than 5 % of a kind's links, stop the
 * run before the first write. */
static gboolean
check_breaker (TdmSyncEngine  *self,
               RunState       *st,
               GError        **error)
{
  guint changes = 0;

  for (guint k = 0; k < TDM_N_KINDS; k++)
    {
      KindRun *kr = &st->kinds[k];
      guint deletes = 0;
      g_autoptr(GPtrArray) links = NULL;

      if (!kr->enabled || kr->actions == NULL)
        continue;

      for (guint i = 0; i < kr->actions->len; i++)
        {
          TdmAction *action = g_ptr_array_index (kr->actions, i);

          if (action_writes (action))
            changes++;
          if (action->type == TDM_ACTION_DELETE || action->type == TDM_ACTION_ORPHAN)
            deletes++;
        }

      if (deletes == 0)
        continue;

      links = tdm_record_store_list_links (self->store, kr->kind, NULL);
      if (links != NULL && links->len > 0 && deletes > 1 &&
          (double) deletes / (double) links->len > DELETE_RATIO_LIMIT)
        {
          g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_CANCELLED_BY_USER,
                       _("This sync would remove or orphan %u of %u linked %s. Nothing was "
                         "written. If that is what you want, confirm the run; otherwise check "
                         "your webshop and your mapping."),
                       deletes, links->len, tdm_kind_display_plural (kr->kind));
          return FALSE;
        }
    }

  if (self->breaker_threshold > 0 && changes > self->breaker_threshold)
    {
      g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_CANCELLED_BY_USER,
                   _("This sync would change %u records, more than the limit of %u. Nothing was "
                     "written. Review the plan and confirm the run if it is right."),
                   changes, self->breaker_threshold);
      return FALSE;
    }

  return TRUE;
}

static void
plan_all (GTask *task)
{
  TdmSyncEngine *self = task_engine (task);
  RunState *st = task_state (task);
  g_autoptr(GError) error = NULL;

  for (guint k = 0; k < TDM_N_KINDS; k++)
    {
      KindRun *kr = &st->kinds[k];

      if (!kr->enabled)
        continue;

      set_progress (self, TDM_PHASE_PLANNING, kr->kind, k, TDM_N_KINDS);
      if (st->options.retry_failed && !st->options.dry_run)
        add_failed_records (self, kr);
      else if (!st->options.dry_run && st->options.only_id == NULL)
        drop_known_failures (self, kr);
      if (!plan_kind (self, kr, st->options.dry_run, &error))
        {
          set_fatal (task, error);
          finish_run (task);
          return;
        }
    }

  if (st->options.dry_run)
    {
      for (guint k = 0; k < TDM_N_KINDS; k++)
        if (st->kinds[k].enabled)
          g_signal_emit (self, signals[SIGNAL_PLAN_READY], 0, st->kinds[k].actions);
      /* Count what the plan would do, so the summary line means something. */
      for (guint k = 0; k < TDM_N_KINDS; k++)
        for (guint i = 0; st->kinds[k].actions && i < st->kinds[k].actions->len; i++)
          {
            TdmAction *a = g_ptr_array_index (st->kinds[k].actions, i);
            switch (a->type)
              {
              case TDM_ACTION_CREATE: st->counts.created++; break;
              case TDM_ACTION_UPDATE: st->counts.updated++; break;
              case TDM_ACTION_LINK: st->counts.linked++; break;
              case TDM_ACTION_CONFLICT: st->counts.conflicts++; break;
              case TDM_ACTION_NOTHING: st->counts.unchanged++; break;
              case TDM_ACTION_ORPHAN: st->counts.orphaned++; break;
              case TDM_ACTION_DELETE: st->counts.deleted++; break;
              case TDM_ACTION_WAIT: st->counts.waiting++; break;
              case TDM_ACTION_REVIEW: st->counts.review++; break;
              default: break;
              }
          }
      finish_run (task);
      return;
    }

  g_clear_pointer (&self->stopped_plan, g_ptr_array_unref);
  if (!st->options.confirm_large_run && !check_breaker (self, st, &error))
    {
      self->stopped_plan = g_ptr_array_new_with_free_func ((GDestroyNotify) tdm_action_free);
      for (guint k = 0; k < TDM_N_KINDS; k++)
        if (st->kinds[k].actions != NULL)
          {
            /* Hand the actions over to the stopped plan for the review page. */
            g_ptr_array_set_free_func (st->kinds[k].actions, NULL);
            for (guint i = 0; i < st->kinds[k].actions->len; i++)
              g_ptr_array_add (self->stopped_plan, g_ptr_array_index (st->kinds[k].actions, i));
            g_ptr_array_set_size (st->kinds[k].actions, 0);
          }
      set_fatal (task, error);
      finish_run (task);
      return;
    }

  st->kind_index = 0;
  execute_kind (task);
}

/* Step: pulling */

static void
on_page_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  PullJob *job = user_data;
  GTask *task = job->task;
  RunState *st = task_state (task);
  g_autoptr(TdmPage) page = NULL;
  g_autoptr(GError) error = NULL;
  TdmPullStep step;

  page = tdm_connector_list_changed_finish (TDM_CONNECTOR (source), result, &error);
  if (page == NULL)
    set_fatal (task, error);
  else
    {
      g_autoptr(GHashTable) failed = g_hash_table_new (g_str_hash, g_str_equal);

      /* A record with a value that cannot be mapped (an invalid email, a
       * phone that cannot be parsed) is not synced at all: copying the rest
       * would create a twin without that field. It is stored as an error
       * and retried once it changes. */
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
          store_record_error (task, problem, record);
        }

      for (guint i = 0; i < page->records->len; i++)
        {
          TdmRecord *record = g_ptr_array_index (page->records, i);

          take_pulled (task, job->kr, record, job->guard,
                       g_hash_table_contains (failed, record->id));
        }

      step = tdm_pull_guard_next (job->guard, page, &error);
      if (step == TDM_PULL_REPEATED)
        set_fatal (task, error);
      else if (step == TDM_PULL_BOUND)
        {
          /* Read up to a point in (updated_at) order: the watermark may
           * move there. Otherwise it stays for this side. */
          job->kr->hold[job->side] = !tdm_pull_guard_in_order (job->guard);
          run_warn (task, error->message);
        }
      else if (step == TDM_PULL_NEXT && !g_cancellable_is_cancelled (g_task_get_cancellable (task)))
        {
          tdm_connector_list_changed_async (TDM_CONNECTOR (source), job->kr->kind, job->since,
                                            page->next_cursor, g_task_get_cancellable (task),
                                            on_page_cb, job);
          set_progress (task_engine (task), TDM_PHASE_PULLING, job->kr->kind,
                        job->kr->records[0]->len + job->kr->records[1]->len, 0);
          return;
        }
    }

  g_free (job->since);
  tdm_pull_guard_free (job->guard);
  g_free (job);
  if (--st->pending > 0)
    return;

  if (g_cancellable_is_cancelled (g_task_get_cancellable (task)) || st->fatal != NULL)
    {
      finish_run (task);
      return;
    }

  st->kind_index++;
  start_next_kind_pull (task);
}

static void
start_next_kind_pull (GTask *task)
{
  TdmSyncEngine *self = task_engine (task);
  RunState *st = task_state (task);
  KindRun *kr;

  while (st->kind_index < TDM_N_KINDS && !st->kinds[st->kind_index].enabled)
    st->kind_index++;

  if (st->kind_index >= TDM_N_KINDS)
    {
      plan_or_reconcile (task);
      return;
    }

  kr = &st->kinds[st->kind_index];
  set_progress (self, TDM_PHASE_PULLING, kr->kind, 0, 0);
  st->pending = TDM_N_SIDES;

  for (guint s = 0; s < TDM_N_SIDES; s++)
    {
      PullJob *job = g_new0 (PullJob, 1);
      g_autofree char *watermark = NULL;
      g_autofree char *watermark_utc = NULL;

      job->task = task;
      job->kr = kr;
      job->side = s;
      job->guard = tdm_pull_guard_new (s, kr->kind, self->pull_limit);
      watermark = tdm_record_store_get_watermark (self->store, s, kr->kind, NULL);
      /* A watermark in the future (set before they were capped) would hide
       * every change until then: read everything once instead. */
      watermark_utc = tdm_pull_time_utc (watermark);
      if (watermark_utc != NULL && strcmp (watermark_utc, st->mark_limit) > 0)
        g_clear_pointer (&watermark, g_free);
      /* A reconciliation reads everything, so deletions and records the
       * incremental passes missed are found. */
      job->since = st->options.reconcile ? NULL : since_with_overlap (watermark);
      tdm_connector_list_changed_async (self->connectors[s], kr->kind, job->since, NULL,
                                        g_task_get_cancellable (task), on_page_cb, job);
    }
}

/* Reconciliation: every id of both sides against the links, so records
 * deleted on one side become tombstones for the planner. */

typedef struct
{
  GTask   *task;
  KindRun *kr;
  TdmSide  side;
} IdsJob;

static void reconcile_next (GTask *task);

static void
on_ids_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  IdsJob *job = user_data;
  GTask *task = job->task;
  TdmSyncEngine *self = task_engine (task);
  RunState *st = task_state (task);
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GError) error = NULL;

  ids = tdm_connector_list_ids_finish (TDM_CONNECTOR (source), result, &error);
  if (ids == NULL)
    {
      /* A connection that cannot list ids simply skips reconciliation. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED))
        set_fatal (task, error);
    }
  else
    {
      g_autoptr(GHashTable) present = g_hash_table_new (g_str_hash, g_str_equal);
      g_autoptr(GPtrArray) links = NULL;

      for (guint i = 0; i < ids->len; i++)
        g_hash_table_add (present, g_ptr_array_index (ids, i));

      links = tdm_record_store_list_links (self->store, job->kr->kind, NULL);
      for (guint i = 0; links != NULL && i < links->len; i++)
        {
          TdmLink *link = g_ptr_array_index (links, i);
          const char *id = tdm_link_get_id (link, job->side);

          if (link->orphaned || g_hash_table_contains (present, id) ||
              g_hash_table_contains (job->kr->seen[job->side], id))
            continue;

          {
            g_autoptr(TdmRecord) tomb = tdm_record_new_tombstone (job->side, job->kr->kind, id, NULL);
            add_pulled (job->kr, tomb);
          }
        }
    }

  g_free (job);
  if (--st->pending > 0)
    return;

  st->kind_index++;
  reconcile_next (task);
}

static void
reconcile_next (GTask *task)
{
  TdmSyncEngine *self = task_engine (task);
  RunState *st = task_state (task);
  KindRun *kr;

  if (st->fatal != NULL || g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    {
      finish_run (task);
      return;
    }

  while (st->kind_index < TDM_N_KINDS && !st->kinds[st->kind_index].enabled)
    st->kind_index++;

  if (st->kind_index >= TDM_N_KINDS)
    {
      plan_all (task);
      return;
    }

  kr = &st->kinds[st->kind_index];
  set_progress (self, TDM_PHASE_RECONCILING, kr->kind, 0, 0);
  st->pending = TDM_N_SIDES;
  for (guint s = 0; s < TDM_N_SIDES; s++)
    {
      IdsJob *job = g_new0 (IdsJob, 1);

      job->task = task;
      job->kr = kr;
      job->side = s;
      tdm_connector_list_ids_async (self->connectors[s], kr->kind, g_task_get_cancellable (task),
                                    on_ids_cb, job);
    }
}

/* Step: executing one kind's actions */

static gboolean
commit_or_fail (GTask           *task,
                const TdmCommit *commit)
{
  g_autoptr(GError) error = NULL;

  if (tdm_record_store_commit (task_engine (task)->store, commit, &error))
    return TRUE;

  set_fatal (task, error);
  return FALSE;
}

static JsonObject *
current_fields (Job     *job,
                TdmSide  side)
{
  TdmAction *action = job->action;

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

static TdmRecord *
current_record (Job     *job,
                TdmSide  side)
{
  TdmAction *action = job->action;
  const char *id = NULL;

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

static const char *
record_id_on (Job     *job,
              TdmSide  side)
{
  TdmRecord *record = current_record (job, side);

  if (record != NULL)
    return record->id;
  if (job->action->link != NULL)
    return tdm_link_get_id (job->action->link, side);
  return NULL;
}

/* Snapshots keep the base value of fields still in conflict, so the
 * conflict stays visible until the user resolves it. */
static JsonObject *
snapshot_for (Job     *job,
              TdmSide  side)
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

static void
add_history_fields (Job        *job,
                    TdmSide     side,
                    const char *action_name,
                    JsonObject *fields)
{
  JsonObject *before = current_fields (job, side);
  GList *members;

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

static void
job_done (Job *job)
{
  GTask *task = job->task;
  RunState *st = task_state (task);
  TdmSyncEngine *self = task_engine (task);

  st->in_flight--;
  self->done++;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DONE]);
  job_free (job);
  /* Jobs that finish synchronously return to the launching loop instead of
   * recursing into it (10,000 unchanged records would overflow the stack). */
  if (!st->launching)
    launch_jobs (task);
}

static void
job_record_failure (Job          *job,
                    TdmSide       side,
                    const GError *error)
{
  TdmConnector *connector = task_engine (job->task)->connectors[side];
  g_autoptr(TdmRecordError) err = tdm_connector_take_record_error (connector);
  TdmRecord *source = job->action->source;

  if (err == NULL)
    err = tdm_record_error_new (side, job->action->kind,
                                record_id_on (job, side), NULL, error->message);
  if (err->record_id == NULL && source != NULL)
    err->record_id = g_strdup (source->id);

  /* Shown next to the record that could not be copied: keep the source id. */
  if (source != NULL && err->side != source->side && job->action->type == TDM_ACTION_CREATE)
    {
      g_free (err->record_id);
      err->record_id = g_strdup (source->id);
      err->side = source->side;
    }

  store_record_error (job->task, err, source);
  /* Keep the failed version in the cache: the views show it, and "Retry all
   * failed" can plan it again without a change. */
  if (source != NULL && !source->deleted && !is_dry_run (job->task))
    {
      TdmCommit commit = { 0 };

      commit.run_id = task_state (job->task)->run_id;
      commit.kind = job->action->kind;
      commit.cache[source->side] = source;
      tdm_record_store_commit (task_engine (job->task)->store, &commit, NULL);
    }
  if (job->op != NULL)
    tdm_record_store_outbox_set_state (task_engine (job->task)->store, job->op->op_id,
                                       "failed", NULL);
}

static gboolean
handle_write_error (Job          *job,
                    TdmSide       side,
                    const GError *error)
{
  if (!is_record_error (error))
    {
      set_fatal (job->task, error);
      job->kr->incomplete = TRUE;
      return FALSE;
    }

  /* 412: the record changed while we planned; read both again next round. */
  if (g_error_matches (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_CONFLICT) && job->kr->round == 0)
    {
      TdmRecord *source = job->action->source;

      if (source != NULL)
        g_ptr_array_add (job->kr->replan, tdm_record_ref (source));
      job->kr->incomplete = TRUE;
      return FALSE;
    }

  job_record_failure (job, side, error);
  return FALSE;
}

static void
commit_pair (Job        *job,
             const char *history_action)
{
  TdmAction *action = job->action;
  RunState *st = task_state (job->task);
  const char *wid = record_id_on (job, TDM_SIDE_WEBSHOP);
  const char *sid = record_id_on (job, TDM_SIDE_SHOPIFY);
  g_autoptr(TdmLink) link = NULL;
  TdmCommit commit = { 0 };

  if (wid == NULL || sid == NULL)
    return;

  link = tdm_link_new (action->kind, wid, sid);
  for (guint s = 0; s < TDM_N_SIDES; s++)
    {
      g_autoptr(JsonObject) snapshot = snapshot_for (job, s);
      TdmRecord *record = current_record (job, s);

      tdm_link_set_snapshot (link, s, snapshot, record ? record->updated_at : NULL);
      commit.cache[s] = record;
    }

  commit.run_id = st->run_id;
  commit.kind = action->kind;
  commit.link = link;
  commit.outbox_done = job->op ? job->op->op_id : NULL;
  commit.history = job->history;
  commit.clear_errors = TRUE;
  {
    g_autofree char *key = tdm_link_key (TDM_SIDE_WEBSHOP, wid);
    GPtrArray *pending = g_hash_table_lookup (job->kr->conflicts, key);

    commit.clear_conflicts = pending == NULL;
    /* A first link under `ask` stores its differing fields as conflicts. */
    if (action->type == TDM_ACTION_LINK && pending != NULL)
      {
        commit.conflicts = pending;
        task_state (job->task)->counts.conflicts++;
      }
  }
  commit_or_fail (job->task, &commit);
}

/* Writes the link marker on the source of a create, so a lost local state
 * can be rebuilt from the shops: the webshop's shopify_id, or Shopify's
 * webshop_id metafield. */
static void
on_marker_written_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  Job *job = user_data;
  g_autoptr(TdmWriteResult) written = NULL;
  g_autoptr(GError) error = NULL;

  written = tdm_connector_update_finish (TDM_CONNECTOR (source), result, &error);
  if (written != NULL && written->record != NULL)
    {
      TdmSide side = written->record->side;

      g_clear_pointer (&job->result[side], tdm_record_unref);
      job->result[side] = tdm_record_ref (written->record);
      g_clear_pointer (&job->history, g_ptr_array_unref);
      g_clear_pointer (&job->op, tdm_outbox_op_free);
      commit_pair (job, "linked");
    }
  else if (error != NULL && !is_record_error (error))
    set_fatal (job->task, error);
  else if (error != NULL)
    g_debug ("Could not write the link marker: %s", error->message);

  job_done (job);
}

static gboolean
needs_marker (TdmRecord  *record,
              const char *twin_id)
{
  return record != NULL && !record->deleted && g_strcmp0 (record->twin_id, twin_id) != 0;
}

static void
write_marker_or_finish (Job *job)
{
  TdmSyncEngine *self = task_engine (job->task);
  TdmAction *action = job->action;
  TdmRecord *source = action->source;
  TdmSide side = source->side;
  const char *twin_id = record_id_on (job, tdm_side_other (side));
  g_autoptr(JsonObject) empty = json_object_new ();

  if (!needs_marker (current_record (job, side), twin_id) || job->result[side] != NULL)
    {
      job_done (job);
      return;
    }

  tdm_connector_update_async (self->connectors[side], action->kind, source->id, empty,
                              current_record (job, side)->etag, twin_id, NULL,
                              g_task_get_cancellable (job->task), on_marker_written_cb, job);
}

static void
on_created_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Job *job = user_data;
  RunState *st = task_state (job->task);
  TdmAction *action = job->action;
  g_autoptr(TdmWriteResult) written = NULL;
  g_autoptr(GError) error = NULL;

  written = tdm_connector_create_finish (TDM_CONNECTOR (source), result, &error);
  if (written == NULL)
    {
      g_autoptr(TdmRecordError) err = NULL;

      /* 409 / TAKEN: the twin already exists; link to it next round. */
      if (g_error_matches (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_DUPLICATE) && job->kr->round == 0)
        {
          err = tdm_connector_take_record_error (TDM_CONNECTOR (source));
          if (err != NULL && err->existing_id != NULL)
            {
              g_autoptr(JsonObject) none = json_object_new ();
              g_autoptr(TdmRecord) hint = tdm_record_new (action->target, action->kind,
                                                          err->existing_id, NULL, NULL,
                                                          none, NULL);
              g_ptr_array_add (job->kr->replan, tdm_record_ref (action->source));
              g_ptr_array_add (job->kr->replan, g_steal_pointer (&hint));
              tdm_record_store_outbox_set_state (task_engine (job->task)->store,
                                                 job->op->op_id, "failed", NULL);
              job->kr->incomplete = TRUE;
              job_done (job);
              return;
            }
          _tdm_connector_set_record_error (TDM_CONNECTOR (source), g_steal_pointer (&err));
        }
      handle_write_error (job, action->target, error);
      job_done (job);
      return;
    }

  job->result[action->target] = tdm_record_ref (written->record);
  add_history_fields (job, action->target, "created", NULL);
  commit_pair (job, "created");
  st->counts.created++;
  if (st->fatal != NULL)
    {
      job_done (job);
      return;
    }

  write_marker_or_finish (job);
}

static void
execute_create (Job *job)
{
  TdmSyncEngine *self = task_engine (job->task);
  TdmAction *action = job->action;
  g_autoptr(GError) error = NULL;
  g_autofree char *payload = tdm_json_object_to_string (action->fields);
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, payload, -1);

  /* Outbox first: the op is committed before anything is sent. */
  job->op = tdm_outbox_op_new (action->kind, action->target, action->source->id, hash);
  if (!tdm_record_store_outbox_add (self->store, job->op, &error))
    {
      set_fatal (job->task, error);
      job_done (job);
      return;
    }

  tdm_connector_create_async (self->connectors[action->target], action->kind, action->fields,
                              job->op->op_id, action->source->id,
                              g_task_get_cancellable (job->task), on_created_cb, job);
}

static void update_step (Job *job);

static void
on_updated_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Job *job = user_data;
  g_autoptr(TdmWriteResult) written = NULL;
  g_autoptr(GError) error = NULL;

  written = tdm_connector_update_finish (TDM_CONNECTOR (source), result, &error);
  if (written == NULL)
    {
      handle_write_error (job, job->writing, error);
      job_done (job);
      return;
    }

  job->result[job->writing] = tdm_record_ref (written->record);
  update_step (job);
}

static JsonObject *
fields_for_side (TdmAction *action,
                 TdmSide    side)
{
  return side == action->target ? action->fields : action->fields_other;
}

/* Writes the target side, then the other side, then commits the pair. */
static void
update_step (Job *job)
{
  TdmSyncEngine *self = task_engine (job->task);
  RunState *st = task_state (job->task);
  TdmAction *action = job->action;
  TdmSide order[2] = { action->target, tdm_side_other (action->target) };

  for (guint i = 0; i < 2; i++)
    {
      TdmSide side = order[i];
      JsonObject *fields = fields_for_side (action, side);
      const char *id = record_id_on (job, side);
      TdmRecord *record = current_record (job, side);
      const char *twin_id = NULL;
      gboolean has_fields = fields != NULL && json_object_get_size (fields) > 0;

      if (job->result[side] != NULL || id == NULL)
        continue;

      if (action->type == TDM_ACTION_LINK || job->repair)
        {
          twin_id = record_id_on (job, tdm_side_other (side));
          if (!has_fields && !needs_marker (record, twin_id))
            continue;
        }
      else if (!has_fields)
        continue;

      if (has_fields)
        add_history_fields (job, side, "updated", fields);
      job->writing = side;
      {
        g_autoptr(JsonObject) empty = json_object_new ();

        tdm_connector_update_async (self->connectors[side], action->kind, id,
                                    has_fields ? fields : empty,
                                    record ? record->etag : NULL, twin_id, NULL,
                                    g_task_get_cancellable (job->task), on_updated_cb, job);
      }
      return;
    }

  if (job->repair)
    st->counts.unchanged++;
  else if (action->type == TDM_ACTION_LINK)
    {
      st->counts.linked++;
      add_history_fields (job, action->target, "linked", NULL);
      if (action->source != NULL)
        tdm_record_store_clear_review (self->store, action->kind, action->source->side,
                                       action->source->id, NULL);
    }
  else
    st->counts.updated++;

  commit_pair (job, action->type == TDM_ACTION_LINK ? "linked" : "updated");
  job_done (job);
}

static void
on_deleted_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Job *job = user_data;
  TdmAction *action = job->action;
  RunState *st = task_state (job->task);
  g_autoptr(GError) error = NULL;

  if (!tdm_connector_delete_finish (TDM_CONNECTOR (source), result, &error) &&
      !g_error_matches (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_NOT_FOUND))
    {
      handle_write_error (job, action->target, error);
      job_done (job);
      return;
    }

  if (action->link != NULL)
    {
      g_autoptr(TdmLink) link = tdm_link_new (action->kind, action->link->webshop_id,
                                              action->link->shopify_id);
      TdmCommit commit = { 0 };

      tdm_link_set_snapshot (link, TDM_SIDE_WEBSHOP, tdm_link_get_snapshot (action->link, TDM_SIDE_WEBSHOP), NULL);
      tdm_link_set_snapshot (link, TDM_SIDE_SHOPIFY, tdm_link_get_snapshot (action->link, TDM_SIDE_SHOPIFY), NULL);
      link->orphaned = TRUE;
      add_history_fields (job, action->target, "deleted", NULL);
      commit.run_id = st->run_id;
      commit.kind = action->kind;
      commit.link = link;
      commit.history = job->history;
      commit_or_fail (job->task, &commit);
    }
  st->counts.deleted++;
  job_done (job);
}

static void
execute_simple (Job *job)
{
  TdmSyncEngine *self = task_engine (job->task);
  RunState *st = task_state (job->task);
  TdmAction *action = job->action;
  TdmCommit commit = { 0 };
  g_autoptr(GError) error = NULL;

  commit.run_id = st->run_id;
  commit.kind = action->kind;

  /* The views (and later plans of settled conflicts) read the cache: keep
   * every record pulled for this pair in it, not only the action's source. */
  for (guint s = 0; s < TDM_N_SIDES; s++)
    {
      TdmRecord *record = current_record (job, s);

      if (record != NULL && !record->deleted && g_hash_table_lookup (job->kr->seen[s], record->id) == record)
        commit.cache[s] = record;
    }

  switch (action->type)
    {
    case TDM_ACTION_NOTHING:
      st->counts.unchanged++;
      if (commit.cache[TDM_SIDE_WEBSHOP] != NULL || commit.cache[TDM_SIDE_SHOPIFY] != NULL)
        commit_or_fail (job->task, &commit);
      break;

    case TDM_ACTION_CONFLICT:
      st->counts.conflicts++;
      if (action->link != NULL)
        {
          g_autofree char *key = tdm_link_key (TDM_SIDE_WEBSHOP, action->link->webshop_id);

          commit.conflicts = g_hash_table_lookup (job->kr->conflicts, key);
        }
      if (action->link != NULL)
        {
          /* Keep the link as it was, only the views learn the new values. */
          commit.link = action->link;
        }
      commit_or_fail (job->task, &commit);
      break;

    case TDM_ACTION_ORPHAN:
      st->counts.orphaned++;
      if (action->link != NULL)
        {
          g_autoptr(TdmLink) link = tdm_link_ref (action->link);

          link->orphaned = TRUE;
          add_history_fields (job, tdm_side_other (action->target), "orphaned", NULL);
          commit.link = link;
          commit.history = job->history;
          commit_or_fail (job->task, &commit);
        }
      break;

    case TDM_ACTION_WAIT:
      st->counts.waiting++;
      job->kr->incomplete = TRUE;
      if (action->source != NULL)
        commit_or_fail (job->task, &commit);
      break;

    case TDM_ACTION_REVIEW:
      st->counts.review++;
      if (action->source != NULL)
        {
          TdmReviewItem item = { 0 };
          g_autoptr(GPtrArray) ids = g_ptr_array_new ();

          for (guint i = 0; action->candidates != NULL && i < action->candidates->len; i++)
            g_ptr_array_add (ids, ((TdmRecord *) g_ptr_array_index (action->candidates, i))->id);
          item.kind = action->kind;
          item.side = action->source->side;
          item.record_id = action->source->id;
          item.reason = action->reason;
          item.candidate_ids = ids;
          if (!tdm_record_store_add_review (self->store, &item, &error))
            set_fatal (job->task, error);
          commit_or_fail (job->task, &commit);
        }
      break;

    case TDM_ACTION_CREATE:
    case TDM_ACTION_UPDATE:
    case TDM_ACTION_LINK:
    case TDM_ACTION_DELETE:
    default:
      g_assert_not_reached ();
    }

  job_done (job);
}

static void
start_job (GTask     *task,
           KindRun   *kr,
           TdmAction *action)
{
  TdmSyncEngine *self = task_engine (task);
  Job *job = g_new0 (Job, 1);

  job->task = task;
  job->kr = kr;
  job->action = action;

  switch (action->type)
    {
    case TDM_ACTION_CREATE:
      execute_create (job);
      break;
    case TDM_ACTION_UPDATE:
    case TDM_ACTION_LINK:
      update_step (job);
      break;
    case TDM_ACTION_NOTHING:
      /* A crash between a create and its marker write leaves a linked pair
       * whose source does not name its twin yet: finish that write now. */
      if (action->link != NULL && action->source != NULL && !action->source->deleted &&
          needs_marker (action->source, tdm_link_get_id (action->link,
                                                         tdm_side_other (action->source->side))))
        {
          job->repair = TRUE;
          update_step (job);
        }
      else
        execute_simple (job);
      break;
    case TDM_ACTION_DELETE:
      {
        const char *id = action->link ? tdm_link_get_id (action->link, action->target) : NULL;

        if (id == NULL)
          {
            job_done (job);
            break;
          }
        tdm_connector_delete_async (self->connectors[action->target], action->kind, id,
                                    g_task_get_cancellable (task), on_deleted_cb, job);
      }
      break;
    case TDM_ACTION_CONFLICT:
    case TDM_ACTION_ORPHAN:
    case TDM_ACTION_WAIT:
    case TDM_ACTION_REVIEW:
    default:
      execute_simple (job);
      break;
    }
}

static void advance_after_kind (GTask *task);

static void
launch_jobs (GTask *task)
{
  RunState *st = task_state (task);
  KindRun *kr = &st->kinds[st->kind_index];
  gboolean stop = st->fatal != NULL || g_cancellable_is_cancelled (g_task_get_cancellable (task));

  st->launching = TRUE;
  while (!stop && st->in_flight < MAX_IN_FLIGHT && st->next_action < kr->actions->len)
    {
      TdmAction *action = g_ptr_array_index (kr->actions, st->next_action++);

      st->in_flight++;
      start_job (task, kr, action);
      stop = st->fatal != NULL || g_cancellable_is_cancelled (g_task_get_cancellable (task));
    }
  st->launching = FALSE;

  if (st->in_flight > 0)
    return;
  if (!stop && st->next_action < kr->actions->len)
    return;

  advance_after_kind (task);
}

/* Fetches the records a round asked to plan again (412 re-reads and 409
 * twins), then plans and executes them once more. */
typedef struct
{
  GTask     *task;
  KindRun   *kr;
  GPtrArray *wanted;      /* TdmRecord*, each side and id once */
  guint      next;
  guint      in_flight;
} ReplanState;

static void replan_fetch_next (ReplanState *rs);

static void
on_replan_fetched_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  ReplanState *rs = user_data;
  g_autoptr(TdmRecord) record = NULL;
  g_autoptr(GError) error = NULL;

  record = tdm_connector_get_finish (TDM_CONNECTOR (source), result, &error);
  if (record != NULL)
    take_pulled (rs->task, rs->kr, record, NULL, FALSE);
  else if (!is_record_error (error))
    set_fatal (rs->task, error);

  rs->in_flight--;
  replan_fetch_next (rs);
}

/* At most MAX_IN_FLIGHT re-reads at a time, like the writes: when every
 * create of a page got a 409, starting all re-reads at once made each
 * reserve its Shopify cost before any answer came back (minutes of waits). */
static void
replan_fetch_next (ReplanState *rs)
{
  GTask *task = rs->task;
  RunState *st = task_state (task);
  TdmSyncEngine *self = task_engine (task);
  g_autoptr(GError) plan_error = NULL;
  gboolean stop = st->fatal != NULL || g_cancellable_is_cancelled (g_task_get_cancellable (task));

  while (!stop && rs->in_flight < MAX_IN_FLIGHT && rs->next < rs->wanted->len)
    {
      TdmRecord *record = g_ptr_array_index (rs->wanted, rs->next++);

      rs->in_flight++;
      tdm_connector_get_async (self->connectors[record->side], rs->kr->kind, record->id,
                               g_task_get_cancellable (task), on_replan_fetched_cb, rs);
    }
  if (rs->in_flight > 0 || (!stop && rs->next < rs->wanted->len))
    return;

  g_ptr_array_unref (rs->wanted);
  g_free (rs);
  if (st->fatal == NULL && !plan_kind (self, &st->kinds[st->kind_index], FALSE, &plan_error))
    set_fatal (task, plan_error);
  if (st->fatal != NULL)
    {
      finish_run (task);
      return;
    }
  st->next_action = 0;
  launch_jobs (task);
}

static void
replan_round (GTask *task)
{
  RunState *st = task_state (task);
  KindRun *kr = &st->kinds[st->kind_index];
  g_autoptr(GPtrArray) asked = g_steal_pointer (&kr->replan);
  g_autoptr(GHashTable) once = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  ReplanState *rs = g_new0 (ReplanState, 1);

  kr->replan = g_ptr_array_new_with_free_func ((GDestroyNotify) tdm_record_unref);
  kr->round++;
  kr->incomplete = FALSE;

  /* Plan only the records involved, read fresh from their sides. */
  for (guint s = 0; s < TDM_N_SIDES; s++)
    {
      g_ptr_array_set_size (kr->records[s], 0);
      g_hash_table_remove_all (kr->seen[s]);
    }

  rs->task = task;
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

static void
advance_after_kind (GTask *task)
{
  TdmSyncEngine *self = task_engine (task);
  RunState *st = task_state (task);
  KindRun *kr = &st->kinds[st->kind_index];

  if (st->fatal != NULL || g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    {
      finish_run (task);
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

  if (!kr->incomplete && st->options.only_id == NULL)
    for (guint s = 0; s < TDM_N_SIDES; s++)
      if (kr->max_updated[s] != NULL && !kr->hold[s])
        {
          g_autoptr(GError) error = NULL;

          if (!tdm_record_store_set_watermark (self->store, s, kr->kind, kr->max_updated[s], &error))
            {
              set_fatal (task, error);
              finish_run (task);
              return;
            }
        }

  st->kind_index++;
  execute_kind (task);
}

/* The owner chose "create" for an ambiguous match: the REVIEW action of
 * that record becomes a CREATE on the other side. */
static void
force_create_reviewed (TdmSyncEngine *self,
                       RunState      *st,
                       KindRun       *kr)
{
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

static void
execute_kind (GTask *task)
{
  TdmSyncEngine *self = task_engine (task);
  RunState *st = task_state (task);
  KindRun *kr;

  while (st->kind_index < TDM_N_KINDS && !st->kinds[st->kind_index].enabled)
    st->kind_index++;

  if (st->kind_index >= TDM_N_KINDS)
    {
      finish_run (task);
      return;
    }

  kr = &st->kinds[st->kind_index];

  /* Orders depend on the customers and products linked earlier in this
   * run: plan them again now that those links exist. */
  if (kr->kind == TDM_KIND_ORDER)
    {
      g_autoptr(GError) error = NULL;

      if (!plan_kind (self, kr, FALSE, &error))
        {
          set_fatal (task, error);
          finish_run (task);
          return;
        }
    }

  if (st->options.only_id != NULL && st->options.only_create)
    force_create_reviewed (self, st, kr);

  st->next_action = 0;
  st->in_flight = 0;
  set_progress (self, TDM_PHASE_WRITING, kr->kind, 0, kr->actions->len);
  launch_jobs (task);
}

/* Step: recovering pending creates (crash safety) */

static void recover_next (GTask *task);

static void
on_found_created_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  GTask *task = user_data;
  TdmSyncEngine *self = task_engine (task);
  RunState *st = task_state (task);
  TdmOutboxOp *op = g_ptr_array_index (st->outbox, st->outbox_index);
  g_autoptr(TdmRecord) found = NULL;
  g_autoptr(GError) error = NULL;

  found = tdm_connector_find_created_finish (TDM_CONNECTOR (source), result, &error);
  if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED))
    {
      set_fatal (task, error);
      finish_run (task);
      return;
    }

  if (found != NULL)
    {
      /* The create reached the other side before the crash: link it. */
      TdmSide source_side = tdm_side_other (op->target);
      g_autoptr(TdmRecord) origin = NULL;
      g_autoptr(TdmLink) link = NULL;
      TdmCommit commit = { 0 };

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
      if (!commit_or_fail (task, &commit))
        {
          finish_run (task);
          return;
        }
      st->counts.linked++;
    }
  else
    {
      /* Never sent, or lost on the way: the planner creates it again with
       * a new op (the source is still unlinked and not past a watermark). */
      tdm_record_store_outbox_set_state (self->store, op->op_id, "failed", NULL);
    }

  st->outbox_index++;
  recover_next (task);
}

/* One record: read it and its twin fresh, then plan as usual. */
typedef struct
{
  GTask   *task;
  KindRun *kr;
  guint    pending;
} SingleFetch;

static void
on_single_fetched_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  SingleFetch *fetch = user_data;
  GTask *task = fetch->task;
  g_autoptr(TdmRecord) record = NULL;
  g_autoptr(GError) error = NULL;

  record = tdm_connector_get_finish (TDM_CONNECTOR (source), result, &error);
  if (record != NULL)
    take_pulled (task, fetch->kr, record, NULL, FALSE);
  else if (!g_error_matches (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_NOT_FOUND))
    set_fatal (task, error);
  /* A record gone on its side is left to the next reconciliation. */

  if (--fetch->pending > 0)
    return;

  g_free (fetch);
  if (task_state (task)->fatal != NULL)
    {
      finish_run (task);
      return;
    }
  plan_all (task);
}

static void
start_single (GTask *task)
{
  TdmSyncEngine *self = task_engine (task);
  RunState *st = task_state (task);
  KindRun *kr = &st->kinds[st->options.only_kind];
  g_autoptr(TdmLink) link = NULL;
  SingleFetch *fetch = g_new0 (SingleFetch, 1);
  const char *ids[TDM_N_SIDES] = { NULL, NULL };

  /* Only this pair: other kinds are not touched, and nothing advances the
   * watermarks (the rest of the kind was not read). */
  for (guint k = 0; k < TDM_N_KINDS; k++)
    st->kinds[k].enabled = k == st->options.only_kind && st->kinds[k].enabled;
  kr->incomplete = TRUE;

  ids[st->options.only_side] = st->options.only_id;
  link = tdm_record_store_lookup_link (self->store, kr->kind, st->options.only_side,
                                       st->options.only_id, NULL);
  if (link != NULL)
    ids[tdm_side_other (st->options.only_side)] =
      tdm_link_get_id (link, tdm_side_other (st->options.only_side));

  fetch->task = task;
  fetch->kr = kr;
  for (guint s = 0; s < TDM_N_SIDES; s++)
    if (ids[s] != NULL)
      fetch->pending++;

  set_progress (self, TDM_PHASE_PULLING, kr->kind, 0, fetch->pending);
  for (guint s = 0; s < TDM_N_SIDES; s++)
    if (ids[s] != NULL)
      tdm_connector_get_async (self->connectors[s], kr->kind, ids[s],
                               g_task_get_cancellable (task), on_single_fetched_cb, fetch);
}

static void
start_pulling (GTask *task)
{
  if (task_state (task)->options.only_id != NULL)
    {
      start_single (task);
      return;
    }

  task_state (task)->kind_index = 0;
  start_next_kind_pull (task);
}

static void
recover_next (GTask *task)
{
  TdmSyncEngine *self = task_engine (task);
  RunState *st = task_state (task);
  TdmOutboxOp *op;

  if (g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    {
      finish_run (task);
      return;
    }

  if (st->outbox == NULL || st->outbox_index >= st->outbox->len)
    {
      start_pulling (task);
      return;
    }

  op = g_ptr_array_index (st->outbox, st->outbox_index);
  set_progress (self, TDM_PHASE_RECOVERING, op->kind, st->outbox_index, st->outbox->len);
  tdm_connector_find_created_async (self->connectors[op->target], op->kind, op->op_id,
                                    op->source_id, g_task_get_cancellable (task),
                                    on_found_created_cb, task);
}

static void
on_prepared_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *task = user_data;
  TdmSyncEngine *self = task_engine (task);
  RunState *st = task_state (task);
  g_autoptr(GError) error = NULL;

  if (!tdm_connector_prepare_finish (TDM_CONNECTOR (source), result, &error))
    set_fatal (task, error);

  if (--st->pending > 0)
    return;

  if (st->fatal != NULL)
    {
      finish_run (task);
      return;
    }

  st->outbox = tdm_record_store_outbox_pending (self->store, &error);
  if (error != NULL)
    {
      set_fatal (task, error);
      finish_run (task);
      return;
    }
  st->outbox_index = 0;
  recover_next (task);
}

/* Pulling wraps reconciliation: once every kind is pulled, the id lists
 * are compared before planning. */
static void
plan_or_reconcile (GTask *task)
{
  RunState *st = task_state (task);

  if (st->options.reconcile)
    {
      st->kind_index = 0;
      reconcile_next (task);
    }
  else
    plan_all (task);
}

/* GObject */

static void
tdm_sync_engine_dispose (GObject *object)
{
  TdmSyncEngine *self = TDM_SYNC_ENGINE (object);

  g_clear_object (&self->store);
  g_clear_object (&self->connectors[TDM_SIDE_WEBSHOP]);
  g_clear_object (&self->connectors[TDM_SIDE_SHOPIFY]);
  g_clear_object (&self->mapping);
  g_clear_pointer (&self->stopped_plan, g_ptr_array_unref);

  G_OBJECT_CLASS (tdm_sync_engine_parent_class)->dispose (object);
}

static void
tdm_sync_engine_finalize (GObject *object)
{
  TdmSyncEngine *self = TDM_SYNC_ENGINE (object);

  g_free (self->last_error);

  G_OBJECT_CLASS (tdm_sync_engine_parent_class)->finalize (object);
}

static void
tdm_sync_engine_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  TdmSyncEngine *self = TDM_SYNC_ENGINE (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_uint (value, self->state);
      break;
    case PROP_PHASE:
      g_value_set_uint (value, self->phase);
      break;
    case PROP_KIND:
      g_value_set_uint (value, self->kind);
      break;
    case PROP_DONE:
      g_value_set_uint (value, self->done);
      break;
    case PROP_TOTAL:
      g_value_set_uint (value, self->total);
      break;
    case PROP_LAST_SYNC:
      g_value_set_int64 (value, self->last_sync);
      break;
    case PROP_LAST_ERROR:
      g_value_set_string (value, self->last_error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tdm_sync_engine_class_init (TdmSyncEngineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = tdm_sync_engine_dispose;
  object_class->finalize = tdm_sync_engine_finalize;
  object_class->get_property = tdm_sync_engine_get_property;

  properties[PROP_STATE] = g_param_spec_uint ("state", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_PHASE] = g_param_spec_uint ("phase", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_KIND] = g_param_spec_uint ("kind", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_DONE] = g_param_spec_uint ("done", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_TOTAL] = g_param_spec_uint ("total", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_LAST_SYNC] = g_param_spec_int64 ("last-sync", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_LAST_ERROR] = g_param_spec_string ("last-error", NULL, NULL, NULL, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_RECORD_ERROR] =
    g_signal_new ("record-error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);
  signals[SIGNAL_PLAN_READY] =
    g_signal_new ("plan-ready", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);
  /* Something the owner should know about a run that still went on (a
   * listing cut short, a time far in the future); also in the run's
   * activity message. */
  signals[SIGNAL_WARNING] =
    g_signal_new ("warning", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
tdm_sync_engine_init (TdmSyncEngine *self)
{
  for (guint k = 0; k < TDM_N_KINDS; k++)
    {
      self->options[k].conflict_policy = TDM_POLICY_NEWEST_WINS;
      self->options[k].first_link_policy = TDM_POLICY_WEBSHOP_WINS;
      self->options[k].delete_policy = TDM_DELETE_KEEP;
      self->options[k].direction = TDM_DIRECTION_BOTH;
    }
  self->breaker_threshold = 500;
}

/* Public API */

TdmSyncEngine *
tdm_sync_engine_new (TdmRecordStore *store,
                     TdmConnector   *webshop,
                     TdmConnector   *shopify,
                     TdmMapping     *mapping)
{
  TdmSyncEngine *self;

  g_return_val_if_fail (TDM_IS_RECORD_STORE (store), NULL);
  g_return_val_if_fail (TDM_IS_MAPPING (mapping), NULL);

  self = g_object_new (TDM_TYPE_SYNC_ENGINE, NULL);
  self->store = g_object_ref (store);
  self->mapping = g_object_ref (mapping);
  tdm_sync_engine_set_connectors (self, webshop, shopify);
  return self;
}

void
tdm_sync_engine_set_connectors (TdmSyncEngine *self,
                                TdmConnector  *webshop,
                                TdmConnector  *shopify)
{
  TdmRefResolver resolver = { resolve_ref_cb, self };

  g_return_if_fail (TDM_IS_SYNC_ENGINE (self));

  g_set_object (&self->connectors[TDM_SIDE_WEBSHOP], webshop);
  g_set_object (&self->connectors[TDM_SIDE_SHOPIFY], shopify);
  for (guint s = 0; s < TDM_N_SIDES; s++)
    if (self->connectors[s] != NULL)
      {
        tdm_connector_set_resolver (self->connectors[s], &resolver);
        tdm_connector_set_mapping (self->connectors[s], self->mapping);
      }
}

void
tdm_sync_engine_set_mapping (TdmSyncEngine *self,
                             TdmMapping    *mapping)
{
  g_return_if_fail (TDM_IS_SYNC_ENGINE (self));
  g_return_if_fail (TDM_IS_MAPPING (mapping));

  g_set_object (&self->mapping, mapping);
  for (guint s = 0; s < TDM_N_SIDES; s++)
    if (self->connectors[s] != NULL)
      tdm_connector_set_mapping (self->connectors[s], mapping);
}

void
tdm_sync_engine_set_options (TdmSyncEngine        *self,
                             TdmKind               kind,
                             const TdmPlanOptions *options)
{
  g_return_if_fail (TDM_IS_SYNC_ENGINE (self));
  g_return_if_fail (kind < TDM_N_KINDS);

  self->options[kind] = *options;
}

void
tdm_sync_engine_set_breaker_threshold (TdmSyncEngine *self,
                                       guint          max_changes)
{
  g_return_if_fail (TDM_IS_SYNC_ENGINE (self));
  self->breaker_threshold = max_changes;
}

/* Records one listing may hand over in one run (0 = TDM_PULL_MAX_RECORDS);
 * the pages follow. For tests and benchmarks. */
void
tdm_sync_engine_set_pull_limit (TdmSyncEngine *self,
                                guint          max_records)
{
  g_return_if_fail (TDM_IS_SYNC_ENGINE (self));
  self->pull_limit = max_records;
}

/* The plan the circuit breaker stopped, for the review page (TdmAction*), or NULL. */
GPtrArray *
tdm_sync_engine_get_stopped_plan (TdmSyncEngine *self)
{
  g_return_val_if_fail (TDM_IS_SYNC_ENGINE (self), NULL);
  return self->stopped_plan;
}

void
tdm_sync_engine_run_async (TdmSyncEngine           *self,
                           const TdmSyncRunOptions *options,
                           GCancellable            *cancellable,
                           GAsyncReadyCallback      callback,
                           gpointer                 user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  RunState *st;

  g_return_if_fail (TDM_IS_SYNC_ENGINE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tdm_sync_engine_run_async);
  g_task_set_name (task, "[tandem] sync run");

  if (self->state == TDM_ENGINE_RUNNING)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               _("A sync is already running."));
      return;
    }
  if (self->connectors[TDM_SIDE_WEBSHOP] == NULL || self->connectors[TDM_SIDE_SHOPIFY] == NULL)
    {
      g_task_return_new_error (task, TDM_SYNC_ERROR, TDM_SYNC_ERROR_CONFIG,
                               _("Both the webshop and Shopify must be connected before syncing. "
                                 "Open Preferences to set them up."));
      return;
    }

  st = g_new0 (RunState, 1);
  if (options != NULL)
    st->options = *options;
  st->only_id = g_strdup (st->options.only_id);
  st->options.only_id = st->only_id;
  st->started_at = g_get_real_time () / G_USEC_PER_SEC;
  st->warnings = g_ptr_array_new_with_free_func (g_free);
  st->mark_limit = tdm_pull_time_at (st->started_at, TDM_PULL_FUTURE_SKEW);
  st->far_future = tdm_pull_time_at (st->started_at, TDM_PULL_FUTURE_WARN);
  for (guint k = 0; k < TDM_N_KINDS; k++)
    {
      KindRun *kr = &st->kinds[k];

      kr->kind = k;
      kr->enabled = self->options[k].direction != TDM_DIRECTION_OFF;
      for (guint s = 0; s < TDM_N_SIDES; s++)
        {
          kr->records[s] = g_ptr_array_new_with_free_func ((GDestroyNotify) tdm_record_unref);
          kr->seen[s] = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
        }
      kr->replan = g_ptr_array_new_with_free_func ((GDestroyNotify) tdm_record_unref);
    }
  g_task_set_task_data (task, st, (GDestroyNotify) run_state_free);

  self->done = 0;
  set_state (self, TDM_ENGINE_RUNNING);
  set_progress (self, TDM_PHASE_PREPARING, TDM_KIND_CUSTOMER, 0, 0);

  if (st->options.dry_run)
    {
      /* A dry run only reads: no outbox recovery, no prepare writes. */
      start_pulling (g_steal_pointer (&task));
      return;
    }

  st->run_id = tdm_record_store_run_begin (self->store, &error);
  if (st->run_id <= 0)
    {
      set_fatal (task, error);
      finish_run (g_steal_pointer (&task));
      return;
    }

  st->pending = TDM_N_SIDES;
  {
    GTask *t = g_steal_pointer (&task);

    for (guint s = 0; s < TDM_N_SIDES; s++)
      tdm_connector_prepare_async (self->connectors[s], cancellable, on_prepared_cb, t);
  }
}

gboolean
tdm_sync_engine_run_finish (TdmSyncEngine  *self,
                            GAsyncResult   *result,
                            TdmSyncCounts  *out_counts,
                            GError        **error)
{
  RunState *st;

  g_return_val_if_fail (TDM_IS_SYNC_ENGINE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  st = g_task_get_task_data (G_TASK (result));
  if (out_counts != NULL)
    {
      if (st != NULL)
        *out_counts = st->counts;
      else
        memset (out_counts, 0, sizeof *out_counts);
    }
  return g_task_propagate_boolean (G_TASK (result), error);
}

TdmEngineState
tdm_sync_engine_get_state (TdmSyncEngine *self)
{
  g_return_val_if_fail (TDM_IS_SYNC_ENGINE (self), TDM_ENGINE_IDLE);
  return self->state;
}

gboolean
tdm_sync_engine_is_running (TdmSyncEngine *self)
{
  g_return_val_if_fail (TDM_IS_SYNC_ENGINE (self), FALSE);
  return self->state == TDM_ENGINE_RUNNING;
}

TdmSyncPhase
tdm_sync_engine_get_phase (TdmSyncEngine *self)
{
  g_return_val_if_fail (TDM_IS_SYNC_ENGINE (self), TDM_PHASE_DONE);
  return self->phase;
}

TdmKind
tdm_sync_engine_get_kind (TdmSyncEngine *self)
{
  g_return_val_if_fail (TDM_IS_SYNC_ENGINE (self), TDM_KIND_CUSTOMER);
  return self->kind;
}

guint
tdm_sync_engine_get_done (TdmSyncEngine *self)
{
  g_return_val_if_fail (TDM_IS_SYNC_ENGINE (self), 0);
  return self->done;
}

guint
tdm_sync_engine_get_total (TdmSyncEngine *self)
{
  g_return_val_if_fail (TDM_IS_SYNC_ENGINE (self), 0);
  return self->total;
}

gint64
tdm_sync_engine_get_last_sync (TdmSyncEngine *self)
{
  g_return_val_if_fail (TDM_IS_SYNC_ENGINE (self), 0);
  return self->last_sync;
}

const char *
tdm_sync_engine_get_last_error (TdmSyncEngine *self)
{
  g_return_val_if_fail (TDM_IS_SYNC_ENGINE (self), NULL);
  return self->last_error;
}
