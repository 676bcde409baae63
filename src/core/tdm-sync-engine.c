/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-sync-engine"

#include "config.h"

#include "tdm-sync-engine-private.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "tdm-error.h"

/* The engine object: its properties and signals, the public API, starting
 * a run, the state every step shares, and finishing a run. The steps in
 * between live in tdm-sync-engine-*.c (see tdm-sync-engine-private.h). */

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

/* ---- The run's state ---- */

static void
kind_run_init (TdmKindRun *kr,
               TdmKind     kind,
               gboolean    enabled)
{
  g_assert (kind < TDM_N_KINDS);

  kr->kind = kind;
  kr->enabled = enabled;
  for (guint s = 0; s < TDM_N_SIDES; s++)
    {
      kr->records[s] = g_ptr_array_new_with_free_func ((GDestroyNotify) tdm_record_unref);
      kr->seen[s] = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      kr->echoes[s] = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
    }
  kr->replan = g_ptr_array_new_with_free_func ((GDestroyNotify) tdm_record_unref);
}

static void
kind_run_clear (TdmKindRun *kr)
{
  g_assert (kr != NULL);

  for (guint s = 0; s < TDM_N_SIDES; s++)
    {
      g_clear_pointer (&kr->records[s], g_ptr_array_unref);
      g_clear_pointer (&kr->seen[s], g_hash_table_unref);
      g_clear_pointer (&kr->echoes[s], g_hash_table_unref);
      g_clear_pointer (&kr->max_updated[s], g_free);
    }
  g_clear_pointer (&kr->actions, g_ptr_array_unref);
  g_clear_pointer (&kr->conflicts, g_hash_table_unref);
  g_clear_pointer (&kr->replan, g_ptr_array_unref);
}

static TdmRunState *
run_state_new (TdmSyncEngine           *self,
               const TdmSyncRunOptions *options)
{
  TdmRunState *st = g_new0 (TdmRunState, 1);

  g_assert (TDM_IS_SYNC_ENGINE (self));

  if (options != NULL)
    st->options = *options;
  st->only_id = g_strdup (st->options.only_id);
  st->options.only_id = st->only_id;
  st->started_at = g_get_real_time () / G_USEC_PER_SEC;
  st->warnings = g_ptr_array_new_with_free_func (g_free);
  st->mark_limit = tdm_pull_time_at (st->started_at, TDM_PULL_FUTURE_SKEW);
  st->far_future = tdm_pull_time_at (st->started_at, TDM_PULL_FUTURE_WARN);
  for (guint k = 0; k < TDM_N_KINDS; k++)
    kind_run_init (&st->kinds[k], k, self->options[k].direction != TDM_DIRECTION_OFF);
  return st;
}

static void
run_state_free (TdmRunState *st)
{
  for (guint k = 0; k < TDM_N_KINDS; k++)
    kind_run_clear (&st->kinds[k]);
  g_clear_pointer (&st->outbox, g_ptr_array_unref);
  _tdm_sync_engine_clear_batches (st);
  g_clear_error (&st->fatal);
  g_free (st->only_id);
  g_ptr_array_unref (st->warnings);
  g_free (st->mark_limit);
  g_free (st->far_future);
  g_free (st);
}

static void
set_state (TdmSyncEngine  *self,
           TdmEngineState  state)
{
  g_assert (TDM_IS_SYNC_ENGINE (self));

  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
set_last_error (TdmSyncEngine *self,
                const char    *message)
{
  g_assert (TDM_IS_SYNC_ENGINE (self));

  if (g_strcmp0 (self->last_error, message) == 0)
    return;
  g_free (self->last_error);
  self->last_error = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_ERROR]);
}

void
_tdm_sync_engine_set_progress (TdmSyncEngine *self,
                               TdmSyncPhase   phase,
                               TdmKind        kind,
                               guint          done,
                               guint          total)
{
  g_assert (TDM_IS_SYNC_ENGINE (self));
  g_assert (kind < TDM_N_KINDS);

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

/* One more action of the current kind is done. */
void
_tdm_sync_engine_count_done (TdmSyncEngine *self)
{
  g_assert (TDM_IS_SYNC_ENGINE (self));

  self->done++;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DONE]);
}

void
_tdm_sync_engine_emit_plan_ready (TdmSyncEngine *self,
                                  GPtrArray     *actions)
{
  g_assert (TDM_IS_SYNC_ENGINE (self));

  g_signal_emit (self, signals[SIGNAL_PLAN_READY], 0, actions);
}

/* Errors that concern one record only; anything else stops the run. */
gboolean
_tdm_sync_is_record_error (const GError *error)
{
  g_assert (error != NULL);

  return error->domain == TDM_SYNC_ERROR &&
         (error->code == TDM_SYNC_ERROR_VALIDATION ||
          error->code == TDM_SYNC_ERROR_DUPLICATE ||
          error->code == TDM_SYNC_ERROR_CONFLICT ||
          error->code == TDM_SYNC_ERROR_NOT_FOUND);
}

/* The first error that stops the run wins; the run ends once nothing is in
 * flight any more. */
void
_tdm_sync_run_set_fatal (GTask        *task,
                         const GError *error)
{
  TdmRunState *st = _tdm_sync_task_state (task);

  g_assert (error != NULL);

  if (st->fatal == NULL)
    st->fatal = g_error_copy (error);
}

/* Something the owner should know about a run that still went on. */
void
_tdm_sync_run_warn (GTask      *task,
                    const char *message)
{
  g_assert (message != NULL);

  g_ptr_array_add (_tdm_sync_task_state (task)->warnings, g_strdup (message));
  g_signal_emit (_tdm_sync_task_engine (task), signals[SIGNAL_WARNING], 0, message);
}

/* Counts, shows and stores an error of one record. With `record`, the
 * error belongs to that version (retried once it changes); without, the
 * record is tried again on every run until it syncs. */
void
_tdm_sync_run_store_record_error (GTask          *task,
                                  TdmRecordError *err,
                                  TdmRecord      *record)
{
  TdmSyncEngine *self = _tdm_sync_task_engine (task);
  TdmRunState *st = _tdm_sync_task_state (task);
  g_autoptr(GError) error = NULL;

  g_assert (err != NULL);

  st->counts.errors++;
  g_signal_emit (self, signals[SIGNAL_RECORD_ERROR], 0, err);
  if (st->options.dry_run)
    return;

  /* The error of the record itself goes with that version, which the
   * views list (it may never be cached: a record that could not be read). */
  if (record != NULL && !record->deleted && record->side == err->side &&
      g_strcmp0 (record->id, err->record_id) == 0)
    {
      TdmCommit commit = { 0 };

      commit.run_id = st->run_id;
      commit.kind = err->kind;
      commit.error = err;
      commit.failed = record;
      if (!tdm_record_store_commit (self->store, &commit, &error))
        _tdm_sync_run_set_fatal (task, error);
      return;
    }

  if (!tdm_record_store_set_record_error (self->store, st->run_id, err,
                                          record ? tdm_record_get_hash (record) : NULL,
                                          &error))
    _tdm_sync_run_set_fatal (task, error);
}

/* A commit that fails stops the run. */
gboolean
_tdm_sync_run_commit (GTask           *task,
                      const TdmCommit *commit)
{
  g_autoptr(GError) error = NULL;

  g_assert (commit != NULL);

  if (tdm_record_store_commit (_tdm_sync_task_engine (task)->store, commit, &error))
    return TRUE;

  _tdm_sync_run_set_fatal (task, error);
  return FALSE;
}

/* ---- Starting a run ---- */

static void
on_prepared_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TdmSyncEngine *self = _tdm_sync_task_engine (task);
  TdmRunState *st = _tdm_sync_task_state (task);
  g_autoptr(GError) error = NULL;

  g_assert (TDM_IS_CONNECTOR (source));
  g_assert (st->pending > 0);

  if (!tdm_connector_prepare_finish (TDM_CONNECTOR (source), result, &error))
    _tdm_sync_run_set_fatal (task, error);

  if (--st->pending > 0)
    return;

  if (st->fatal != NULL)
    {
      _tdm_sync_engine_finish_run (task);
      return;
    }

  st->outbox = tdm_record_store_outbox_pending (self->store, &error);
  if (error != NULL)
    {
      _tdm_sync_run_set_fatal (task, error);
      _tdm_sync_engine_finish_run (task);
      return;
    }
  st->outbox_index = 0;
  _tdm_sync_engine_skip_batch_outbox (task);
  _tdm_sync_engine_recover_next (task);
}

/* A dry run only reads: no outbox recovery, no prepare writes. A real run
 * is recorded in the store and lets both sides prepare (docs/sync.md § A
 * run's phases). */
static void
start_run (GTask *task)
{
  TdmSyncEngine *self = _tdm_sync_task_engine (task);
  TdmRunState *st = _tdm_sync_task_state (task);
  g_autoptr(GError) error = NULL;

  g_assert (self->state == TDM_ENGINE_RUNNING);

  if (st->options.dry_run)
    {
      _tdm_sync_engine_start_pulling (task);
      return;
    }

  st->run_id = tdm_record_store_run_begin (self->store, &error);
  if (st->run_id <= 0)
    {
      _tdm_sync_run_set_fatal (task, error);
      _tdm_sync_engine_finish_run (task);
      return;
    }

  st->pending = TDM_N_SIDES;
  for (guint s = 0; s < TDM_N_SIDES; s++)
    tdm_connector_prepare_async (self->connectors[s], g_task_get_cancellable (task),
                                 on_prepared_cb, g_object_ref (task));
}

/* ---- Finishing a run ---- */

/* The run's row in the store: counts, outcome, and what the run says. */
static void
record_run_end (GTask      *task,
                const char *outcome)
{
  TdmSyncEngine *self = _tdm_sync_task_engine (task);
  TdmRunState *st = _tdm_sync_task_state (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  TdmRunInfo info = { 0 };

  g_assert (!st->options.dry_run && st->run_id > 0);

  info.id = st->run_id;
  info.started_at = st->started_at;
  info.finished_at = g_get_real_time () / G_USEC_PER_SEC;
  info.created = st->counts.created;
  info.updated = st->counts.updated;
  info.linked = st->counts.linked;
  info.conflicts = st->counts.conflicts;
  info.errors = st->counts.errors;
  info.unchanged = st->counts.unchanged;
  info.outcome = (char *) outcome;
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

/* Every run ends here exactly once, when nothing is in flight any more:
 * the run is recorded, the state set, and the task returns. The task's
 * last reference goes with the callback that called this. */
void
_tdm_sync_engine_finish_run (GTask *task)
{
  TdmSyncEngine *self = _tdm_sync_task_engine (task);
  TdmRunState *st = _tdm_sync_task_state (task);
  gboolean cancelled = g_cancellable_is_cancelled (g_task_get_cancellable (task));
  gboolean waiting = st->fatal != NULL &&
                     g_error_matches (st->fatal, TDM_SYNC_ERROR, TDM_SYNC_ERROR_CANCELLED_BY_USER);

  g_assert (!st->finished);
  st->finished = TRUE;

  _tdm_sync_engine_set_progress (self, TDM_PHASE_DONE, self->kind, 0, 0);

  if (!st->options.dry_run && st->run_id > 0)
    record_run_end (task, cancelled ? "cancelled"
                          : waiting ? "waiting-confirmation"
                          : st->fatal != NULL ? "failed"
                          : "completed");

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

/* ---- GObject ---- */

static void
tdm_sync_engine_dispose (GObject *object)
{
  TdmSyncEngine *self = TDM_SYNC_ENGINE (object);

  g_clear_object (&self->store);
  g_clear_object (&self->connectors[TDM_SIDE_WEBSHOP]);
  g_clear_object (&self->connectors[TDM_SIDE_SHOPIFY]);
  g_clear_object (&self->mapping);

  G_OBJECT_CLASS (tdm_sync_engine_parent_class)->dispose (object);
}

static void
tdm_sync_engine_finalize (GObject *object)
{
  TdmSyncEngine *self = TDM_SYNC_ENGINE (object);

  g_clear_pointer (&self->stopped_plan, g_ptr_array_unref);
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
      g_value_set_enum (value, self->state);
      break;
    case PROP_PHASE:
      g_value_set_enum (value, self->phase);
      break;
    case PROP_KIND:
      g_value_set_enum (value, self->kind);
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

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, TDM_TYPE_ENGINE_STATE, TDM_ENGINE_IDLE, flags);
  properties[PROP_PHASE] =
    g_param_spec_enum ("phase", NULL, NULL, TDM_TYPE_SYNC_PHASE, TDM_PHASE_PREPARING, flags);
  properties[PROP_KIND] =
    g_param_spec_enum ("kind", NULL, NULL, TDM_TYPE_KIND, TDM_KIND_CUSTOMER, flags);
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
  self->batch_threshold = TDM_BATCH_MIN_WRITES;
}

/* ---- Public API ---- */

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
  g_return_if_fail (TDM_IS_SYNC_ENGINE (self));

  g_set_object (&self->connectors[TDM_SIDE_WEBSHOP], webshop);
  g_set_object (&self->connectors[TDM_SIDE_SHOPIFY], shopify);
  for (guint s = 0; s < TDM_N_SIDES; s++)
    if (self->connectors[s] != NULL)
      tdm_connector_set_mapping (self->connectors[s], self->mapping);
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

/* More creates or updates than this of one kind to one side go as one
 * batch where the side can (default TDM_BATCH_MIN_WRITES; G_MAXUINT:
 * never). For tests and benchmarks. */
void
tdm_sync_engine_set_batch_threshold (TdmSyncEngine *self,
                                     guint          max_single_writes)
{
  g_return_if_fail (TDM_IS_SYNC_ENGINE (self));
  self->batch_threshold = max_single_writes;
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

  g_return_if_fail (TDM_IS_SYNC_ENGINE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

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

  g_task_set_task_data (task, run_state_new (self, options), (GDestroyNotify) run_state_free);
  self->done = 0;
  set_state (self, TDM_ENGINE_RUNNING);
  _tdm_sync_engine_set_progress (self, TDM_PHASE_PREPARING, TDM_KIND_CUSTOMER, 0, 0);
  start_run (task);
}

gboolean
tdm_sync_engine_run_finish (TdmSyncEngine  *self,
                            GAsyncResult   *result,
                            TdmSyncCounts  *out_counts,
                            GError        **error)
{
  TdmRunState *st;

  g_return_val_if_fail (TDM_IS_SYNC_ENGINE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tdm_sync_engine_run_async,
                        FALSE);

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
