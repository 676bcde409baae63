/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-record-store"

#include "config.h"

#include "tdm-record-store.h"

#include <glib/gi18n-lib.h>

#include "tdm-error.h"

G_DEFINE_INTERFACE (TdmRecordStore, tdm_record_store, G_TYPE_OBJECT)

static void
tdm_record_store_default_init (TdmRecordStoreInterface *iface)
{
}

/* ---- Helper structs ---- */

static char *
tdm_now_rfc3339 (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
}

/**
 * tdm_outbox_op_new:
 * @kind: the kind of the record to create
 * @target: the side the record is created on
 * @source_id: the id of the source record on the other side
 * @payload_hash: (nullable): hash of the canonical fields sent
 *
 * Returns: (transfer full): a pending op with a fresh UUID as op id.
 */
TdmOutboxOp *
tdm_outbox_op_new (TdmKind     kind,
                   TdmSide     target,
                   const char *source_id,
                   const char *payload_hash)
{
  TdmOutboxOp *op = g_new0 (TdmOutboxOp, 1);

  op->op_id = g_uuid_string_random ();
  op->kind = kind;
  op->target = target;
  op->source_id = g_strdup (source_id);
  op->payload_hash = g_strdup (payload_hash);
  op->created_at = tdm_now_rfc3339 ();
  op->state = g_strdup ("pending");
  return op;
}

void
tdm_outbox_op_free (TdmOutboxOp *op)
{
  if (op == NULL)
    return;
  g_free (op->op_id);
  g_free (op->source_id);
  g_free (op->payload_hash);
  g_free (op->created_at);
  g_free (op->state);
  g_free (op);
}

/**
 * tdm_history_entry_new:
 * @before: (nullable): the value before (any JSON), stored canonically
 * @after: (nullable): the value after
 *
 * Returns: (transfer full): a history entry.
 */
TdmHistoryEntry *
tdm_history_entry_new (TdmSide     side,
                       const char *action,
                       const char *field,
                       JsonNode   *before,
                       JsonNode   *after)
{
  TdmHistoryEntry *entry = g_new0 (TdmHistoryEntry, 1);

  g_return_val_if_fail (action != NULL, entry);

  entry->side = side;
  entry->action = g_strdup (action);
  entry->field = g_strdup (field);
  entry->before = before != NULL ? tdm_json_canonical_string (before) : NULL;
  entry->after = after != NULL ? tdm_json_canonical_string (after) : NULL;
  return entry;
}

void
tdm_history_entry_free (TdmHistoryEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->field);
  g_free (entry->action);
  g_free (entry->before);
  g_free (entry->after);
  g_free (entry);
}

void
tdm_run_info_free (TdmRunInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->outcome);
  g_free (info->message);
  g_free (info);
}

void
tdm_review_item_free (TdmReviewItem *item)
{
  if (item == NULL)
    return;
  g_free (item->record_id);
  g_free (item->reason);
  g_clear_pointer (&item->candidate_ids, g_ptr_array_unref);
  g_free (item);
}

/* ---- Interface dispatch ---- */

static gboolean
tdm_record_store_not_implemented (TdmRecordStore  *self,
                                  const char      *what,
                                  GError         **error)
{
  g_assert (TDM_IS_RECORD_STORE (self) && what != NULL);

  g_warning ("%s does not implement \"%s\"", G_OBJECT_TYPE_NAME (self), what);
  g_set_error_literal (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_STORE,
                       _("Tandem’s local database cannot do this step. Please report this problem."));
  return FALSE;
}

#define TDM_RS_IFACE(self) TDM_RECORD_STORE_GET_IFACE (self)

/* The body of each dispatcher below: checks @self, the call's own
 * preconditions (@valid) and @error, then calls the store's @vfunc with
 * @args; a store without @vfunc reports @what and the call returns
 * @fallback. */
#define TDM_RS_DISPATCH(self, error, valid, vfunc, args, what, fallback)   \
  G_STMT_START {                                                           \
    g_return_val_if_fail (TDM_IS_RECORD_STORE (self), (fallback));         \
    g_return_val_if_fail (valid, (fallback));                              \
    g_return_val_if_fail ((error) == NULL || *(error) == NULL, (fallback)); \
                                                                           \
    if (TDM_RS_IFACE (self)->vfunc == NULL)                                \
      {                                                                    \
        tdm_record_store_not_implemented ((self), (what), (error));        \
        return (fallback);                                                 \
      }                                                                    \
    return TDM_RS_IFACE (self)->vfunc args;                                \
  } G_STMT_END

TdmLink *
tdm_record_store_lookup_link (TdmRecordStore  *self,
                              TdmKind          kind,
                              TdmSide          side,
                              const char      *id,
                              GError         **error)
{
  TDM_RS_DISPATCH (self, error, id != NULL,
                   lookup_link, (self, kind, side, id, error),
                   "look up links", NULL);
}

gboolean
tdm_record_store_commit (TdmRecordStore   *self,
                         const TdmCommit  *commit,
                         GError          **error)
{
  TDM_RS_DISPATCH (self, error, commit != NULL,
                   commit, (self, commit, error),
                   "commit", FALSE);
}

gboolean
tdm_record_store_delete_link (TdmRecordStore  *self,
                              TdmKind          kind,
                              const char      *webshop_id,
                              const char      *shopify_id,
                              GError         **error)
{
  TDM_RS_DISPATCH (self, error, (webshop_id != NULL || shopify_id != NULL),
                   delete_link, (self, kind, webshop_id, shopify_id, error),
                   "delete links", FALSE);
}

GPtrArray *
tdm_record_store_list_links (TdmRecordStore  *self,
                             TdmKind          kind,
                             GError         **error)
{
  TDM_RS_DISPATCH (self, error, TRUE,
                   list_links, (self, kind, error),
                   "list links", NULL);
}

GPtrArray *
tdm_record_store_list_unlinked (TdmRecordStore  *self,
                                TdmKind          kind,
                                TdmSide          side,
                                GError         **error)
{
  TDM_RS_DISPATCH (self, error, TRUE,
                   list_unlinked, (self, kind, side, error),
                   "list unlinked records", NULL);
}

TdmRecord *
tdm_record_store_lookup_cached (TdmRecordStore  *self,
                                TdmKind          kind,
                                TdmSide          side,
                                const char      *id,
                                GError         **error)
{
  TDM_RS_DISPATCH (self, error, id != NULL,
                   lookup_cached, (self, kind, side, id, error),
                   "look up cached records", NULL);
}

gboolean
tdm_record_store_outbox_add (TdmRecordStore     *self,
                             const TdmOutboxOp  *op,
                             GError            **error)
{
  TDM_RS_DISPATCH (self, error, op != NULL && op->op_id != NULL,
                   outbox_add, (self, op, error),
                   "add to the outbox", FALSE);
}

GPtrArray *
tdm_record_store_outbox_pending (TdmRecordStore  *self,
                                 GError         **error)
{
  TDM_RS_DISPATCH (self, error, TRUE,
                   outbox_pending, (self, error),
                   "list the outbox", NULL);
}

gboolean
tdm_record_store_outbox_set_state (TdmRecordStore  *self,
                                   const char      *op_id,
                                   const char      *state,
                                   GError         **error)
{
  TDM_RS_DISPATCH (self, error, op_id != NULL && state != NULL,
                   outbox_set_state, (self, op_id, state, error),
                   "update the outbox", FALSE);
}

char *
tdm_record_store_get_watermark (TdmRecordStore  *self,
                                TdmSide          side,
                                TdmKind          kind,
                                GError         **error)
{
  TDM_RS_DISPATCH (self, error, TRUE,
                   get_watermark, (self, side, kind, error),
                   "read watermarks", NULL);
}

gboolean
tdm_record_store_set_watermark (TdmRecordStore  *self,
                                TdmSide          side,
                                TdmKind          kind,
                                const char      *value,
                                GError         **error)
{
  TDM_RS_DISPATCH (self, error, TRUE,
                   set_watermark, (self, side, kind, value, error),
                   "store watermarks", FALSE);
}

gint64
tdm_record_store_run_begin (TdmRecordStore  *self,
                            GError         **error)
{
  TDM_RS_DISPATCH (self, error, TRUE,
                   run_begin, (self, error),
                   "record runs", -1);
}

gboolean
tdm_record_store_run_finish (TdmRecordStore    *self,
                             const TdmRunInfo  *info,
                             GError           **error)
{
  TDM_RS_DISPATCH (self, error, info != NULL,
                   run_finish, (self, info, error),
                   "record runs", FALSE);
}

gboolean
tdm_record_store_set_record_error (TdmRecordStore        *self,
                                   gint64                 run_id,
                                   const TdmRecordError  *err,
                                   const char            *record_hash,
                                   GError               **error)
{
  TDM_RS_DISPATCH (self, error, err != NULL,
                   set_record_error, (self, run_id, err, record_hash, error),
                   "record errors", FALSE);
}

char *
tdm_record_store_get_error_hash (TdmRecordStore  *self,
                                 TdmKind          kind,
                                 TdmSide          side,
                                 const char      *record_id,
                                 GError         **error)
{
  TDM_RS_DISPATCH (self, error, record_id != NULL,
                   get_error_hash, (self, kind, side, record_id, error),
                   "read record errors", NULL);
}

GPtrArray *
tdm_record_store_list_conflicts (TdmRecordStore  *self,
                                 TdmKind          kind,
                                 const char      *webshop_id,
                                 GError         **error)
{
  TDM_RS_DISPATCH (self, error, webshop_id != NULL,
                   list_conflicts, (self, kind, webshop_id, error),
                   "list conflicts", NULL);
}

gboolean
tdm_record_store_resolve_conflict (TdmRecordStore  *self,
                                   TdmKind          kind,
                                   const char      *webshop_id,
                                   const char      *field,
                                   TdmSide          winner,
                                   GError         **error)
{
  TDM_RS_DISPATCH (self, error, webshop_id != NULL && field != NULL,
                   resolve_conflict, (self, kind, webshop_id, field, winner, error),
                   "resolve conflicts", FALSE);
}

GHashTable *
tdm_record_store_take_resolutions (TdmRecordStore  *self,
                                   TdmKind          kind,
                                   const char      *webshop_id,
                                   GError         **error)
{
  TDM_RS_DISPATCH (self, error, webshop_id != NULL,
                   take_resolutions, (self, kind, webshop_id, error),
                   "read conflict choices", NULL);
}

GPtrArray *
tdm_record_store_list_failed (TdmRecordStore  *self,
                              TdmKind          kind,
                              TdmSide          side,
                              GError         **error)
{
  TdmRecordStoreInterface *iface;

  g_return_val_if_fail (TDM_IS_RECORD_STORE (self), NULL);

  iface = TDM_RECORD_STORE_GET_IFACE (self);
  if (iface->list_failed == NULL)
    return g_ptr_array_new_with_free_func (g_free);
  return iface->list_failed (self, kind, side, error);
}

GPtrArray *
tdm_record_store_list_resolved (TdmRecordStore  *self,
                                TdmKind          kind,
                                GError         **error)
{
  TdmRecordStoreInterface *iface;

  g_return_val_if_fail (TDM_IS_RECORD_STORE (self), NULL);

  iface = TDM_RECORD_STORE_GET_IFACE (self);
  if (iface->list_resolved == NULL)
    return g_ptr_array_new_with_free_func (g_free);
  return iface->list_resolved (self, kind, error);
}

gboolean
tdm_record_store_add_review (TdmRecordStore       *self,
                             const TdmReviewItem  *item,
                             GError              **error)
{
  TDM_RS_DISPATCH (self, error, item != NULL && item->record_id != NULL,
                   add_review, (self, item, error),
                   "store review items", FALSE);
}

gboolean
tdm_record_store_clear_review (TdmRecordStore  *self,
                               TdmKind          kind,
                               TdmSide          side,
                               const char      *record_id,
                               GError         **error)
{
  TDM_RS_DISPATCH (self, error, record_id != NULL,
                   clear_review, (self, kind, side, record_id, error),
                   "clear review items", FALSE);
}
