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

TdmLink *
tdm_record_store_lookup_link (TdmRecordStore  *self,
                              TdmKind          kind,
                              TdmSide          side,
                              const char      *id,
                              GError         **error)
{
  g_return_val_if_fail (TDM_IS_RECORD_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (TDM_RS_IFACE (self)->lookup_link == NULL)
    {
      tdm_record_store_not_implemented (self, "look up links", error);
      return NULL;
    }
  return TDM_RS_IFACE (self)->lookup_link (self, kind, side, id, error);
}

gboolean
tdm_record_store_commit (TdmRecordStore   *self,
                         const TdmCommit  *commit,
                         GError          **error)
{
  g_return_val_if_fail (TDM_IS_RECORD_STORE (self), FALSE);
  g_return_val_if_fail (commit != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (TDM_RS_IFACE (self)->commit == NULL)
    return tdm_record_store_not_implemented (self, "commit", error);
  return TDM_RS_IFACE (self)->commit (self, commit, error);
}

gboolean
tdm_record_store_delete_link (TdmRecordStore  *self,
                              TdmKind          kind,
                              const char      *webshop_id,
                              const char      *shopify_id,
                              GError         **error)
{
  g_return_val_if_fail (TDM_IS_RECORD_STORE (self), FALSE);
  g_return_val_if_fail (webshop_id != NULL || shopify_id != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (TDM_RS_IFACE (self)->delete_link == NULL)
    return tdm_record_store_not_implemented (self, "delete links", error);
  return TDM_RS_IFACE (self)->delete_link (self, kind, webshop_id, shopify_id, error);
}

GPtrArray *
tdm_record_store_list_links (TdmRecordStore  *self,
                             TdmKind          kind,
                             GError         **error)
{
  g_return_val_if_fail (TDM_IS_RECORD_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (TDM_RS_IFACE (self)->list_links == NULL)
    {
      tdm_record_store_not_implemented (self, "list links", error);
      return NULL;
    }
  return TDM_RS_IFACE (self)->list_links (self, kind, error);
}

GPtrArray *
tdm_record_store_list_unlinked (TdmRecordStore  *self,
                                TdmKind          kind,
                                TdmSide          side,
                                GError         **error)
{
  g_return_val_if_fail (TDM_IS_RECORD_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (TDM_RS_IFACE (self)->list_unlinked == NULL)
    {
      tdm_record_store_not_implemented (self, "list unlinked records", error);
      return NULL;
    }
  return TDM_RS_IFACE (self)->list_unlinked (self, kind, side, error);
}

TdmRecord *
tdm_record_store_lookup_cached (TdmRecordStore  *self,
                                TdmKind          kind,
                                TdmSide          side,
                                const char      *id,
                                GError         **error)
{
  g_return_val_if_fail (TDM_IS_RECORD_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (TDM_RS_IFACE (self)->lookup_cached == NULL)
    {
      tdm_record_store_not_implemented (self, "look up cached records", error);
      return NULL;
    }
  return TDM_RS_IFACE (self)->lookup_cached (self, kind, side, id, error);
}

gboolean
tdm_record_store_outbox_add (TdmRecordStore     *self,
                             const TdmOutboxOp  *op,
                             GError            **error)
{
  g_return_val_if_fail (TDM_IS_RECORD_STORE (self), FALSE);
  g_return_val_if_fail (op != NULL && op->op_id != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (TDM_RS_IFACE (self)->outbox_add == NULL)
    return tdm_record_store_not_implemented (self, "add to the outbox", error);
  return TDM_RS_IFACE (self)->outbox_add (self, op, error);
}

GPtrArray *
tdm_record_store_outbox_pending (TdmRecordStore  *self,
                                 GError         **error)
{
  g_return_val_if_fail (TDM_IS_RECORD_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (TDM_RS_IFACE (self)->outbox_pending == NULL)
    {
      tdm_record_store_not_implemented (self, "list the outbox", error);
      return NULL;
    }
  return TDM_RS_IFACE (self)->outbox_pending (self, error);
}

gboolean
tdm_record_store_outbox_set_state (TdmRecordStore  *self,
                                   const char      *op_id,
                                   const char      *state,
                                   GError         **error)
{
  g_return_val_if_fail (TDM_IS_RECORD_STORE (self), FALSE);
  g_return_val_if_fail (op_id != NULL && state != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (TDM_RS_IFACE (self)->outbox_set_state == NULL)
    return tdm_record_store_not_implemented (self, "update the outbox", error);
  return TDM_RS_IFACE (self)->outbox_set_state (self, op_id, state, error);
}

char *
tdm_record_store_get_watermark (TdmRecordStore  *self,
                                TdmSide          side,
                                TdmKind          kind,
                                GError         **error)
{
  g_return_val_if_fail (TDM_IS_RECORD_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (TDM_RS_IFACE (self)->get_watermark == NULL)
    {
      tdm_record_store_not_implemented (self, "read watermarks", error);
      return NULL;
    }
  return TDM_RS_IFACE (self)->get_watermark (self, side, kind, error);
}

gboolean
tdm_record_store_set_watermark (TdmRecordStore  *self,
                                TdmSide          side,
                                TdmKind          kind,
                                const char      *value,
                                GError         **error)
{
  g_return_val_if_fail (TDM_IS_RECORD_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (TDM_RS_IFACE (self)->set_watermark == NULL)
    return tdm_record_store_not_implemented (self, "store watermarks", error);
  return TDM_RS_IFACE (self)->set_watermark (self, side, kind, value, error);
}

gint64
tdm_record_store_run_begin (TdmRecordStore  *self,
                            GError         **error)
{
  g_return_val_if_fail (TDM_IS_RECORD_STORE (self), -1);
  g_return_val_if_fail (error == NULL || *error == NULL, -1);

  if (TDM_RS_IFACE (self)->run_begin == NULL)
    {
      tdm_record_store_not_implemented (self, "record runs", error);
      return -1;
    }
  return TDM_RS_IFACE (self)->run_begin (self, error);
}

gboolean
tdm_record_store_run_finish (TdmRecordStore    *self,
                             const TdmRunInfo  *info,
                             GError           **error)
{
  g_return_val_if_fail (TDM_IS_RECORD_STORE (self), FALSE);
  g_return_val_if_fail (info != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (TDM_RS_IFACE (self)->run_finish == NULL)
    return tdm_record_store_not_implemented (self, "record runs", error);
  return TDM_RS_IFACE (self)->run_finish (self, info, error);
}

gboolean
tdm_record_store_set_record_error (TdmRecordStore        *self,
                                   gint64                 run_id,
                                   const TdmRecordError  *err,
                                   const char            *record_hash,
                                   GError               **error)
{
  g_return_val_if_fail (TDM_IS_RECORD_STORE (self), FALSE);
  g_return_val_if_fail (err != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (TDM_RS_IFACE (self)->set_record_error == NULL)
    return tdm_record_store_not_implemented (self, "record errors", error);
  return TDM_RS_IFACE (self)->set_record_error (self, run_id, err, record_hash, error);
}

char *
tdm_record_store_get_error_hash (TdmRecordStore  *self,
                                 TdmKind          kind,
                                 TdmSide          side,
                                 const char      *record_id,
                                 GError         **error)
{
  g_return_val_if_fail (TDM_IS_RECORD_STORE (self), NULL);
  g_return_val_if_fail (record_id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (TDM_RS_IFACE (self)->get_error_hash == NULL)
    {
      tdm_record_store_not_implemented (self, "read record errors", error);
      return NULL;
    }
  return TDM_RS_IFACE (self)->get_error_hash (self, kind, side, record_id, error);
}

GPtrArray *
tdm_record_store_list_conflicts (TdmRecordStore  *self,
                                 TdmKind          kind,
                                 const char      *webshop_id,
                                 GError         **error)
{
  g_return_val_if_fail (TDM_IS_RECORD_STORE (self), NULL);
  g_return_val_if_fail (webshop_id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (TDM_RS_IFACE (self)->list_conflicts == NULL)
    {
      tdm_record_store_not_implemented (self, "list conflicts", error);
      return NULL;
    }
  return TDM_RS_IFACE (self)->list_conflicts (self, kind, webshop_id, error);
}

gboolean
tdm_record_store_resolve_conflict (TdmRecordStore  *self,
                                   TdmKind          kind,
                                   const char      *webshop_id,
                                   const char      *field,
                                   TdmSide          winner,
                                   GError         **error)
{
  g_return_val_if_fail (TDM_IS_RECORD_STORE (self), FALSE);
  g_return_val_if_fail (webshop_id != NULL && field != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (TDM_RS_IFACE (self)->resolve_conflict == NULL)
    return tdm_record_store_not_implemented (self, "resolve conflicts", error);
  return TDM_RS_IFACE (self)->resolve_conflict (self, kind, webshop_id, field, winner, error);
}

GHashTable *
tdm_record_store_take_resolutions (TdmRecordStore  *self,
                                   TdmKind          kind,
                                   const char      *webshop_id,
                                   GError         **error)
{
  g_return_val_if_fail (TDM_IS_RECORD_STORE (self), NULL);
  g_return_val_if_fail (webshop_id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (TDM_RS_IFACE (self)->take_resolutions == NULL)
    {
      tdm_record_store_not_implemented (self, "read conflict choices", error);
      return NULL;
    }
  return TDM_RS_IFACE (self)->take_resolutions (self, kind, webshop_id, error);
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
  g_return_val_if_fail (TDM_IS_RECORD_STORE (self), FALSE);
  g_return_val_if_fail (item != NULL && item->record_id != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (TDM_RS_IFACE (self)->add_review == NULL)
    return tdm_record_store_not_implemented (self, "store review items", error);
  return TDM_RS_IFACE (self)->add_review (self, item, error);
}

gboolean
tdm_record_store_clear_review (TdmRecordStore  *self,
                               TdmKind          kind,
                               TdmSide          side,
                               const char      *record_id,
                               GError         **error)
{
  g_return_val_if_fail (TDM_IS_RECORD_STORE (self), FALSE);
  g_return_val_if_fail (record_id != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (TDM_RS_IFACE (self)->clear_review == NULL)
    return tdm_record_store_not_implemented (self, "clear review items", error);
  return TDM_RS_IFACE (self)->clear_review (self, kind, side, record_id, error);
}
