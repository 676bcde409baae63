/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-webshop"

#include "config.h"

#include "tdm-webshop-connector-private.h"

#include "tdm-json-text.h"

/* Walking every record of a kind, page by page: list_ids collects the ids
 * (the deletion sweep, docs/sync.md), find_created stops at the record
 * whose shopify_id names the Shopify record Tandem created it from (the
 * contract has no lookup by Idempotency-Key, docs/webshop-api.md). */

typedef struct {
  TdmKind      kind;
  WsListState  list;
  GPtrArray   *ids;        /* list_ids */
  char        *twin_id;    /* find_created: the shopify_id to look for */
} WalkState;

static void
walk_state_free (WalkState *state)
{
  _tdm_webshop_list_state_clear (&state->list);
  g_clear_pointer (&state->ids, g_ptr_array_unref);
  g_free (state->twin_id);
  g_free (state);
}

static WalkState *
walk_state_new (TdmKind kind)
{
  WalkState *state = g_new0 (WalkState, 1);

  g_assert ((guint) kind < TDM_N_KINDS);

  state->kind = kind;
  state->list.kind = kind;
  return state;
}

static void walk_next_page (GTask *task, const char *native_cursor);

/* Takes the page's items into the walk. TRUE when the walk is over
 * (find_created found its record, in *out_found, transfer full). */
static gboolean
walk_items (TdmWebshopConnector       *self,
            WalkState                 *state,
            const TdmWebshopResource  *res,
            GPtrArray                 *items,
            TdmRecord                **out_found)
{
  g_assert (TDM_IS_WEBSHOP_CONNECTOR (self));
  g_assert ((state->ids == NULL) != (state->twin_id == NULL));
  g_assert (out_found != NULL && *out_found == NULL);

  for (guint i = 0; i < items->len; i++)
    {
      g_autofree char *id = tdm_webshop_json_dup_string (items->pdata[i], res->id_field);
      g_autofree char *twin = NULL;

      if (id == NULL || tdm_json_text_check (id) != TDM_JSON_TEXT_OK)
        continue;
      if (state->ids != NULL)
        {
          g_ptr_array_add (state->ids, g_steal_pointer (&id));
          continue;
        }
      twin = tdm_webshop_json_dup_string (items->pdata[i], res->shopify_id_field);
      if (g_strcmp0 (twin, state->twin_id) == 0)
        {
          *out_found = _tdm_webshop_connector_record_from_native (self, state->kind,
                                                                  items->pdata[i], NULL, NULL);
          return TRUE;
        }
    }
  return FALSE;
}

/* The walk reached the last page: every id, or nothing found. */
static void
return_walk_end (GTask *task)
{
  WalkState *state = g_task_get_task_data (task);

  g_assert (state != NULL);

  if (state->ids != NULL)
    g_task_return_pointer (task, g_steal_pointer (&state->ids),
                           (GDestroyNotify) g_ptr_array_unref);
  else
    g_task_return_pointer (task, NULL, NULL);
}

static void
on_walk_page_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TdmWebshopConnector *self = TDM_WEBSHOP_CONNECTOR (source);
  WalkState *state = g_task_get_task_data (task);
  const TdmWebshopResource *res = tdm_webshop_profile_get_resource (self->profile, state->kind);
  GError *error = NULL;
  g_autoptr(WsResponse) resp = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autofree char *body_cursor = NULL;
  g_autofree char *next = NULL;
  TdmRecord *found = NULL;

  resp = _tdm_webshop_connector_receive (self, result, task, state->kind, NULL, &error);
  if (resp == NULL
      || !tdm_webshop_parse_list (resp->body, res, &items, &body_cursor, &error)
      || !_tdm_webshop_connector_check_page_length (self, items->len, res->page_size, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  if (walk_items (self, state, res, items, &found))
    {
      g_task_return_pointer (task, found, (GDestroyNotify) tdm_record_unref);
      return;
    }

  next = _tdm_webshop_connector_next_native_cursor (self, res, &state->list, resp, items->len,
                                                    g_steal_pointer (&body_cursor), &error);
  if (error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (next != NULL)
    walk_next_page (task, next);
  else
    return_walk_end (task);
}

static void
walk_next_page (GTask      *task,
                const char *native_cursor)
{
  TdmWebshopConnector *self = g_task_get_source_object (task);
  WalkState *state = g_task_get_task_data (task);
  const TdmWebshopResource *res;
  GError *error = NULL;
  g_autofree char *url = NULL;

  g_assert (TDM_IS_WEBSHOP_CONNECTOR (self));
  g_assert (state != NULL);

  res = tdm_webshop_profile_get_resource (self->profile, state->kind);
  url = _tdm_webshop_connector_build_list_url (self, res, NULL, native_cursor, &state->list,
                                               &error);
  if (url == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  _tdm_webshop_connector_send_async (self, "GET", url, NULL, NULL, NULL, NULL,
                                     g_task_get_cancellable (task), on_walk_page_cb,
                                     g_object_ref (task));
}

/* ---- list_ids ---- */

static void
tdm_webshop_connector_list_ids_async (TdmConnector        *connector,
                                      TdmKind              kind,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (connector, cancellable, callback, user_data);
  WalkState *state = walk_state_new (kind);

  g_task_set_source_tag (task, tdm_webshop_connector_list_ids_async);
  state->ids = g_ptr_array_new_with_free_func (g_free);
  g_task_set_task_data (task, state, (GDestroyNotify) walk_state_free);
  walk_next_page (task, NULL);
}

static GPtrArray *
tdm_webshop_connector_list_ids_finish (TdmConnector  *connector,
                                       GAsyncResult  *result,
                                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, connector), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- find_created ---- */

static void
tdm_webshop_connector_find_created_async (TdmConnector        *connector,
                                          TdmKind              kind,
                                          const char          *op_id,
                                          const char          *twin_id,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (connector, cancellable, callback, user_data);
  WalkState *state;

  g_task_set_source_tag (task, tdm_webshop_connector_find_created_async);
  if (twin_id == NULL || *twin_id == '\0')
    {
      /* Nothing to look for: the caller resends with the same key, which the
       * contract makes safe. */
      g_task_return_pointer (task, NULL, NULL);
      return;
    }
  state = walk_state_new (kind);
  state->twin_id = g_strdup (twin_id);
  g_task_set_task_data (task, state, (GDestroyNotify) walk_state_free);
  walk_next_page (task, NULL);
}

static TdmRecord *
tdm_webshop_connector_find_created_finish (TdmConnector  *connector,
                                           GAsyncResult  *result,
                                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, connector), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
_tdm_webshop_connector_walk_class_init (TdmConnectorClass *connector_class)
{
  connector_class->list_ids_async = tdm_webshop_connector_list_ids_async;
  connector_class->list_ids_finish = tdm_webshop_connector_list_ids_finish;
  connector_class->find_created_async = tdm_webshop_connector_find_created_async;
  connector_class->find_created_finish = tdm_webshop_connector_find_created_finish;
}
