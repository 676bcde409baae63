/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#pragma once

#include "tdm-sync-engine.h"
#include "tdm-pull-guard.h"

G_BEGIN_DECLS

/* One run, as docs/sync.md § A run's phases describes it:
 *
 *   prepare → recover the outbox → pull every kind (both sides at once)
 *   → [reconcile] → plan every kind → circuit breaker → execute kind by
 *   kind (orders are planned again once customers and products are linked)
 *   → advance watermarks → finish.
 *
 * Every step is a named callback on the main loop, one file per step:
 *
 *   tdm-sync-engine.c          the object, its public API, starting, the run's
 *                              shared state and finishing a run
 *   tdm-sync-engine-recover.c  recovering pending creates (the outbox)
 *   tdm-sync-engine-pull.c     pulling both sides, reconciliation
 *   tdm-sync-engine-one.c      pulling one record and its twin ("Sync this record")
 *   tdm-sync-engine-plan.c     planning every kind, the circuit breaker
 *   tdm-sync-engine-execute.c  executing one kind: jobs, rounds, watermarks
 *   tdm-sync-engine-job.c      one action: its state, commits and non-writing actions
 *   tdm-sync-engine-write.c    one action's writes: create, link marker, update, delete
 *   tdm-sync-engine-batch.c    big runs: many writes of a kind to a side as one batch
 *
 * Records are written with bounded concurrency and each record's outcome
 * is committed in one store transaction. A side's watermark only advances
 * when every record pulled for that kind was committed (written, linked, or
 * stored as an error), so a crash or a network failure never skips a
 * change (docs/sync.md § Watermarks, § Crash safety).
 *
 * The run's GTask carries a TdmRunState as task data. Every operation in
 * flight holds a reference on the task (as user_data, or in its job
 * struct); _tdm_sync_engine_finish_run() only returns the result. */

/* Writes (and re-reads) in flight at once. */
#define TDM_SYNC_MAX_IN_FLIGHT      4
/* Deletes and orphans of more than this share of a kind's links stop the
 * run (docs/sync.md § Circuit breaker). */
#define TDM_SYNC_DELETE_RATIO_LIMIT 0.05

struct _TdmSyncEngine
{
  GObject          parent_instance;

  TdmRecordStore  *store;
  TdmConnector    *connectors[TDM_N_SIDES];
  TdmMapping      *mapping;
  TdmPlanOptions   options[TDM_N_KINDS];
  guint            breaker_threshold;
  guint            batch_threshold;  /* more writes than this go as a batch */
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

/* One kind within a run. */
typedef struct
{
  TdmKind     kind;
  gboolean    enabled;
  GPtrArray  *records[TDM_N_SIDES];     /* pulled TdmRecord* */
  GHashTable *seen[TDM_N_SIDES];        /* id (owned) → TdmRecord* (borrowed from records) */
  GHashTable *echoes[TDM_N_SIDES];      /* id → twin id (both owned): Tandem's own writes read
                                         * back unchanged, left out before planning */
  char       *max_updated[TDM_N_SIDES];
  GPtrArray  *actions;                  /* TdmAction* */
  GHashTable *conflicts;                /* link key → GPtrArray of TdmFieldConflict* (borrowed) */
  GPtrArray  *replan;                   /* TdmRecord* to plan again after this round */
  gboolean    incomplete;               /* something was not committed: keep the watermarks */
  gboolean    hold[TDM_N_SIDES];        /* listing cut short out of order: keep that watermark */
  gboolean    warned_future[TDM_N_SIDES];
  guint       round;
} TdmKindRun;

/* The task data of a run's GTask. */
typedef struct
{
  TdmSyncRunOptions  options;
  TdmSyncCounts      counts;
  gint64             run_id;
  gint64             started_at;
  TdmKindRun         kinds[TDM_N_KINDS];
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
  guint              batches;           /* batches of writes in flight */
  GHashTable        *batched;           /* TdmAction* (borrowed) a batch writes */
  GQueue             resumes;           /* TdmJobResume*: jobs a batch answered */
  char              *mark_limit;        /* no watermark passes this (now + skew) */
  char              *far_future;        /* record times past this are warned about */
} TdmRunState;

static inline TdmSyncEngine *
_tdm_sync_task_engine (GTask *task)
{
  return g_task_get_source_object (task);
}

static inline TdmRunState *
_tdm_sync_task_state (GTask *task)
{
  return g_task_get_task_data (task);
}

static inline gboolean
_tdm_sync_task_is_dry_run (GTask *task)
{
  return _tdm_sync_task_state (task)->options.dry_run;
}

static inline gboolean
_tdm_sync_task_should_stop (GTask *task)
{
  return _tdm_sync_task_state (task)->fatal != NULL ||
         g_cancellable_is_cancelled (g_task_get_cancellable (task));
}

/* ---- The run's shared state (tdm-sync-engine.c) ---- */

void      _tdm_sync_engine_set_progress      (TdmSyncEngine  *self,
                                              TdmSyncPhase    phase,
                                              TdmKind         kind,
                                              guint           done,
                                              guint           total);
void      _tdm_sync_engine_count_done        (TdmSyncEngine  *self);
void      _tdm_sync_engine_emit_plan_ready   (TdmSyncEngine  *self,
                                              GPtrArray      *actions);
gboolean  _tdm_sync_is_record_error          (const GError   *error);
void      _tdm_sync_run_set_fatal            (GTask          *task,
                                              const GError   *error);
void      _tdm_sync_run_warn                 (GTask          *task,
                                              const char     *message);
void      _tdm_sync_run_store_record_error   (GTask          *task,
                                              TdmRecordError *err,
                                              TdmRecord      *record);
gboolean  _tdm_sync_run_commit               (GTask          *task,
                                              const TdmCommit *commit);
void      _tdm_sync_engine_finish_run        (GTask          *task);

/* ---- Steps (one file each) ---- */

void      _tdm_sync_engine_recover_next      (GTask          *task);
void      _tdm_sync_engine_start_pulling     (GTask          *task);
void      _tdm_sync_engine_take_pulled       (GTask          *task,
                                              TdmKindRun     *kr,
                                              TdmRecord      *record,
                                              TdmPullGuard   *guard,
                                              gboolean        failed);
void      _tdm_sync_engine_start_single      (GTask          *task);
void      _tdm_sync_engine_plan_all          (GTask          *task);
gboolean  _tdm_sync_engine_plan_kind         (TdmSyncEngine  *self,
                                              TdmKindRun     *kr,
                                              gboolean        dry_run,
                                              GError        **error);
void      _tdm_sync_engine_execute_kind      (GTask          *task);
void      _tdm_sync_engine_launch_jobs       (GTask          *task);
void      _tdm_sync_engine_start_job         (GTask          *task,
                                              TdmKindRun     *kr,
                                              TdmAction      *action);
/* Big runs (tdm-sync-engine-batch.c): the kind's creates and updates of a
 * side that takes them in batches, when there are more than the engine's
 * batch threshold, start as one batch; their jobs come back as
 * resumptions, which _tdm_sync_engine_launch_jobs() runs first. */
void      _tdm_sync_engine_start_batches     (GTask          *task);
gboolean  _tdm_sync_engine_resume_next       (GTask          *task);
void      _tdm_sync_engine_clear_batches     (TdmRunState    *st);
/* Pending creates of batches need no lookup (tdm_connector_can_write_batch()):
 * those of a kind and side with more than the threshold are dropped from
 * st->outbox and marked failed; the planner links what arrived. */
void      _tdm_sync_engine_skip_batch_outbox (GTask          *task);

/* ---- One action of a kind (tdm-sync-engine-job.c, -write.c) ---- */

/* The write of one side of an update (borrowed from the job's records). */
typedef struct
{
  const char  *id;
  JsonObject  *fields;             /* owned */
  const char  *etag;
  const char  *twin_id;
} TdmSideWrite;

/* A job carries one action through its steps. It holds a reference on the
 * run's task and is handed from step to step (transfer full) until
 * _tdm_sync_job_done() consumes it. */
typedef struct
{
  GTask       *task;
  TdmKindRun  *kr;
  TdmAction   *action;             /* borrowed from kr->actions */
  TdmOutboxOp *op;
  TdmRecord   *result[TDM_N_SIDES];
  GPtrArray   *history;
  TdmSide      writing;            /* side of the write in flight */
  gboolean     repair;             /* unchanged pair whose link marker is missing on a side */
  TdmRecordError *record_error;    /* of the last failed write, from its _finish */
  TdmSideWrite side_write;         /* the write of side `writing` being sent */
  JsonObject  *sending;            /* the fields in flight, references named as the side
                                    * names them (_tdm_sync_job_fields_to_send()) */
} TdmSyncJob;

TdmSyncJob *_tdm_sync_job_new            (GTask          *task,
                                          TdmKindRun     *kr,
                                          TdmAction      *action);
void        _tdm_sync_job_free           (TdmSyncJob     *job);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TdmSyncJob, _tdm_sync_job_free)

void        _tdm_sync_job_done           (TdmSyncJob     *job);
TdmRecord  *_tdm_sync_job_current_record (TdmSyncJob     *job,
                                          TdmSide         side);
const char *_tdm_sync_job_record_id      (TdmSyncJob     *job,
                                          TdmSide         side);
void        _tdm_sync_job_add_history    (TdmSyncJob     *job,
                                          TdmSide         side,
                                          const char     *action_name,
                                          JsonObject     *fields);
void        _tdm_sync_job_commit_pair    (TdmSyncJob     *job);
void        _tdm_sync_job_write_failed   (TdmSyncJob     *job,
                                          TdmSide         side,
                                          const GError   *error);

gboolean    _tdm_sync_job_needs_repair   (TdmSyncJob     *job);
void        _tdm_sync_job_create         (TdmSyncJob     *job);
void        _tdm_sync_job_update         (TdmSyncJob     *job);
void        _tdm_sync_job_delete         (TdmSyncJob     *job);

/* The steps of a create and an update, for writes sent in a batch: the
 * outbox op (FALSE after setting the run's fatal error), sending alone,
 * and the callbacks that take a write's result (the job as user_data). */
gboolean    _tdm_sync_job_add_outbox     (TdmSyncJob     *job);
void        _tdm_sync_job_send_create    (TdmSyncJob     *job);
gboolean    _tdm_sync_job_prepare_side   (TdmSyncJob     *job,
                                          TdmSide         side);
void        _tdm_sync_job_send_side      (TdmSyncJob     *job);
void        _tdm_sync_job_created_cb     (GObject        *source,
                                          GAsyncResult   *result,
                                          gpointer        user_data);
void        _tdm_sync_job_updated_cb     (GObject        *source,
                                          GAsyncResult   *result,
                                          gpointer        user_data);

/* ---- References through the links (tdm-sync-engine-refs.c) ---- */

/* A record read from a side, its references named as canonical fields
 * hold them: the linked webshop id where there is one. */
void        _tdm_sync_engine_name_references      (TdmSyncEngine *self,
                                                   TdmRecord     *record);
void        _tdm_sync_engine_name_page_references (TdmSyncEngine *self,
                                                   GPtrArray     *records);
/* `fields` as they are sent to `side`: each reference named as that side
 * names it where the records are linked (borrowed: held by the job until
 * the next call or its end). */
JsonObject *_tdm_sync_job_fields_to_send (TdmSyncJob     *job,
                                          TdmSide         side,
                                          JsonObject     *fields);

G_END_DECLS
