/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#pragma once

#include <gio/gio.h>
#include "tdm-types.h"
#include "tdm-record.h"
#include "tdm-planner.h"

G_BEGIN_DECLS

/* A pending create (docs/sync.md, Crash safety): written and committed before the
 * create is sent; done in the same transaction that inserts the link. */
typedef struct {
  char    *op_id;        /* UUID; the webshop Idempotency-Key */
  TdmKind  kind;
  TdmSide  target;       /* side the record is created on */
  char    *source_id;    /* id of the source record on the other side */
  char    *payload_hash; /* hash of the canonical fields sent */
  char    *created_at;
  char    *state;        /* "pending" | "done" | "failed" */
} TdmOutboxOp;
TdmOutboxOp *tdm_outbox_op_new  (TdmKind kind, TdmSide target, const char *source_id,
                                 const char *payload_hash);   /* generates op_id */
void         tdm_outbox_op_free (TdmOutboxOp *op);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TdmOutboxOp, tdm_outbox_op_free)

/* What one run changed on one side of one record (history, issue "activity"). */
typedef struct {
  TdmSide   side;        /* the side written */
  char     *field;       /* canonical name, or NULL for "created"/"linked" */
  char     *action;      /* "created" | "updated" | "linked" | "deleted" | "orphaned" */
  char     *before;      /* canonical JSON text, nullable */
  char     *after;       /* canonical JSON text, nullable */
} TdmHistoryEntry;
TdmHistoryEntry *tdm_history_entry_new  (TdmSide side, const char *action, const char *field,
                                         JsonNode *before, JsonNode *after);
void             tdm_history_entry_free (TdmHistoryEntry *entry);

/* Everything one record's outcome changes locally, committed in ONE transaction. */
typedef struct {
  gint64          run_id;
  TdmKind         kind;
  TdmLink        *link;            /* upsert (ids + both snapshots + orphaned); nullable */
  TdmRecord      *cache[TDM_N_SIDES]; /* latest canonical record per side for the views; nullable */
  const char     *outbox_done;     /* op id to mark done; nullable */
  GPtrArray      *history;         /* TdmHistoryEntry*; nullable */
  TdmRecordError *error;           /* store/replace the record's error; nullable */
  TdmRecord      *failed;          /* the version `error` is about when it is not cached (it
                                    * could not be read): the views list it; nullable */
  gboolean        clear_errors;    /* clear errors of the records in this commit (after success) */
  GPtrArray      *conflicts;       /* TdmFieldConflict* to keep pending (ask policy); nullable */
  gboolean        clear_conflicts; /* drop pending conflicts of this link that are no longer pending */
} TdmCommit;

typedef struct {
  gint64  id;
  gint64  started_at;   /* unix seconds */
  gint64  finished_at;  /* 0 while running */
  guint   created, updated, linked, conflicts, errors, unchanged;
  char   *outcome;      /* "running" | "completed" | "failed" | "cancelled" | "waiting-confirmation" */
  char   *message;      /* nullable */
} TdmRunInfo;
void tdm_run_info_free (TdmRunInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TdmRunInfo, tdm_run_info_free)

typedef struct {
  TdmKind  kind;
  TdmSide  side;
  char    *record_id;
  char    *reason;
  GPtrArray *candidate_ids; /* char* on the other side */
} TdmReviewItem;
void tdm_review_item_free (TdmReviewItem *item);

#define TDM_TYPE_RECORD_STORE (tdm_record_store_get_type ())
G_DECLARE_INTERFACE (TdmRecordStore, tdm_record_store, TDM, RECORD_STORE, GObject)

/* What the engine needs from local state. Calls are synchronous and fast
 * (prepared statements, one transaction per commit); they run on the thread
 * that owns the store. Errors are TDM_SYNC_ERROR_STORE. */
struct _TdmRecordStoreInterface
{
  GTypeInterface parent_iface;

  TdmLink   *(*lookup_link)      (TdmRecordStore *self, TdmKind kind, TdmSide side,
                                  const char *id, GError **error);   /* NULL, no error: none */
  gboolean   (*commit)           (TdmRecordStore *self, const TdmCommit *commit, GError **error);
  gboolean   (*delete_link)      (TdmRecordStore *self, TdmKind kind, const char *webshop_id,
                                  const char *shopify_id, GError **error);
  GPtrArray *(*list_links)       (TdmRecordStore *self, TdmKind kind, GError **error);  /* TdmLink* */

  /* Latest cached records of one side that have no link (for twin matching). */
  GPtrArray *(*list_unlinked)    (TdmRecordStore *self, TdmKind kind, TdmSide side, GError **error);
  TdmRecord *(*lookup_cached)    (TdmRecordStore *self, TdmKind kind, TdmSide side,
                                  const char *id, GError **error);

  gboolean   (*outbox_add)       (TdmRecordStore *self, const TdmOutboxOp *op, GError **error);
  GPtrArray *(*outbox_pending)   (TdmRecordStore *self, GError **error);  /* TdmOutboxOp*, oldest first */
  gboolean   (*outbox_set_state) (TdmRecordStore *self, const char *op_id, const char *state,
                                  GError **error);

  /* Watermarks: UTC RFC 3339 or NULL. */
  char      *(*get_watermark)    (TdmRecordStore *self, TdmSide side, TdmKind kind, GError **error);
  gboolean   (*set_watermark)    (TdmRecordStore *self, TdmSide side, TdmKind kind,
                                  const char *value, GError **error);

  gint64     (*run_begin)        (TdmRecordStore *self, GError **error);
  gboolean   (*run_finish)       (TdmRecordStore *self, const TdmRunInfo *info, GError **error);

  /* A record error stays until the record changes and syncs. */
  gboolean   (*set_record_error) (TdmRecordStore *self, gint64 run_id, const TdmRecordError *err,
                                  const char *record_hash, GError **error);
  /* The hash of the record version that failed, to retry only after it changed. */
  char      *(*get_error_hash)   (TdmRecordStore *self, TdmKind kind, TdmSide side,
                                  const char *record_id, GError **error);

  GPtrArray *(*list_conflicts)   (TdmRecordStore *self, TdmKind kind, const char *webshop_id,
                                  GError **error);   /* TdmFieldConflict* pending, for one link */
  /* The user's choice for a pending conflict; the engine applies it next run. */
  gboolean   (*resolve_conflict) (TdmRecordStore *self, TdmKind kind, const char *webshop_id,
                                  const char *field, TdmSide winner, GError **error);
  /* Resolved-but-unapplied choices: field → winner side (as GINT_TO_POINTER (side + 1)). */
  GHashTable *(*take_resolutions) (TdmRecordStore *self, TdmKind kind, const char *webshop_id,
                                   GError **error);
  /* Webshop ids of links with choices not applied yet (char*), so the engine
   * applies them even when neither record changed. */
  GPtrArray  *(*list_resolved)   (TdmRecordStore *self, TdmKind kind, GError **error);
  /* Ids (char*) of the records of one kind and side with a stored error, for
   * "Retry all failed". */
  GPtrArray  *(*list_failed)     (TdmRecordStore *self, TdmKind kind, TdmSide side, GError **error);

  gboolean   (*add_review)       (TdmRecordStore *self, const TdmReviewItem *item, GError **error);
  gboolean   (*clear_review)     (TdmRecordStore *self, TdmKind kind, TdmSide side,
                                  const char *record_id, GError **error);
};

TdmLink    *tdm_record_store_lookup_link      (TdmRecordStore *self, TdmKind kind, TdmSide side,
                                               const char *id, GError **error);
gboolean    tdm_record_store_commit           (TdmRecordStore *self, const TdmCommit *commit,
                                               GError **error);
gboolean    tdm_record_store_delete_link      (TdmRecordStore *self, TdmKind kind,
                                               const char *webshop_id, const char *shopify_id,
                                               GError **error);
GPtrArray  *tdm_record_store_list_links       (TdmRecordStore *self, TdmKind kind, GError **error);
GPtrArray  *tdm_record_store_list_unlinked    (TdmRecordStore *self, TdmKind kind, TdmSide side,
                                               GError **error);
TdmRecord  *tdm_record_store_lookup_cached    (TdmRecordStore *self, TdmKind kind, TdmSide side,
                                               const char *id, GError **error);
gboolean    tdm_record_store_outbox_add       (TdmRecordStore *self, const TdmOutboxOp *op,
                                               GError **error);
GPtrArray  *tdm_record_store_outbox_pending   (TdmRecordStore *self, GError **error);
gboolean    tdm_record_store_outbox_set_state (TdmRecordStore *self, const char *op_id,
                                               const char *state, GError **error);
char       *tdm_record_store_get_watermark    (TdmRecordStore *self, TdmSide side, TdmKind kind,
                                               GError **error);
gboolean    tdm_record_store_set_watermark    (TdmRecordStore *self, TdmSide side, TdmKind kind,
                                               const char *value, GError **error);
gint64      tdm_record_store_run_begin        (TdmRecordStore *self, GError **error);
gboolean    tdm_record_store_run_finish       (TdmRecordStore *self, const TdmRunInfo *info,
                                               GError **error);
gboolean    tdm_record_store_set_record_error (TdmRecordStore *self, gint64 run_id,
                                               const TdmRecordError *err, const char *record_hash,
                                               GError **error);
char       *tdm_record_store_get_error_hash   (TdmRecordStore *self, TdmKind kind, TdmSide side,
                                               const char *record_id, GError **error);
GPtrArray  *tdm_record_store_list_conflicts   (TdmRecordStore *self, TdmKind kind,
                                               const char *webshop_id, GError **error);
gboolean    tdm_record_store_resolve_conflict (TdmRecordStore *self, TdmKind kind,
                                               const char *webshop_id, const char *field,
                                               TdmSide winner, GError **error);
GHashTable *tdm_record_store_take_resolutions (TdmRecordStore *self, TdmKind kind,
                                               const char *webshop_id, GError **error);
GPtrArray  *tdm_record_store_list_resolved    (TdmRecordStore *self, TdmKind kind, GError **error);
GPtrArray  *tdm_record_store_list_failed      (TdmRecordStore *self, TdmKind kind, TdmSide side,
                                               GError **error);
gboolean    tdm_record_store_add_review       (TdmRecordStore *self, const TdmReviewItem *item,
                                               GError **error);
gboolean    tdm_record_store_clear_review     (TdmRecordStore *self, TdmKind kind, TdmSide side,
                                               const char *record_id, GError **error);

G_END_DECLS
