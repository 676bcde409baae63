/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-sync-engine"

#include "config.h"

#include "tdm-sync-engine-private.h"

/* References between kinds through the links (docs/sync.md § References).
 * Connectors map records without the links, so a Shopify record's
 * reference holds its GID. The engine, which owns the links, names each
 * record's references as canonical fields hold them (webshop ids) when the
 * record comes in, and as the target side names them right before a write. */

/* The id on the other side of the record linked to (kind, from_side, id). */
static char *
linked_id_cb (TdmKind     kind,
              TdmSide     from_side,
              const char *id,
              gpointer    user_data)
{
  TdmSyncEngine *self = user_data;
  g_autoptr(TdmLink) link = NULL;

  g_assert (TDM_IS_SYNC_ENGINE (self));
  g_assert (kind < TDM_N_KINDS && from_side < TDM_N_SIDES);
  g_assert (id != NULL);

  link = tdm_record_store_lookup_link (self->store, kind, from_side, id, NULL);
  if (link == NULL || link->orphaned)
    return NULL;
  return g_strdup (tdm_link_get_id (link, tdm_side_other (from_side)));
}

void
_tdm_sync_engine_name_references (TdmSyncEngine *self,
                                  TdmRecord     *record)
{
  g_autoptr(JsonObject) fields = NULL;

  g_assert (TDM_IS_SYNC_ENGINE (self));

  if (record == NULL || record->fields == NULL)
    return;
  fields = tdm_mapping_resolve_references (self->mapping, record->kind, TDM_SIDE_WEBSHOP,
                                           record->fields, linked_id_cb, self);
  tdm_record_set_fields (record, fields);
}

void
_tdm_sync_engine_name_page_references (TdmSyncEngine *self,
                                       GPtrArray     *records)
{
  g_assert (TDM_IS_SYNC_ENGINE (self));

  for (guint i = 0; records != NULL && i < records->len; i++)
    _tdm_sync_engine_name_references (self, g_ptr_array_index (records, i));
}

JsonObject *
_tdm_sync_job_fields_to_send (TdmSyncJob *job,
                              TdmSide     side,
                              JsonObject *fields)
{
  TdmSyncEngine *self = _tdm_sync_task_engine (job->task);

  g_assert (side < TDM_N_SIDES);
  g_assert (fields != NULL);

  g_clear_pointer (&job->sending, json_object_unref);
  job->sending = tdm_mapping_resolve_references (self->mapping, job->action->kind, side, fields,
                                                 linked_id_cb, self);
  return job->sending;
}
