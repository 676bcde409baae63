/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-webshop"

#include "config.h"

#include "tdm-webshop-connector-private.h"

#include <string.h>
#include <glib/gi18n-lib.h>

/* Writes: create (POST with an Idempotency-Key), update (the full record,
 * merged, PUT with If-Match) and delete (DELETE; a 404 is checked with a
 * GET). A write that did not happen is an error on its record, never
 * "done" (docs/webshop-api.md: Creating records: idempotency, Updating
 * records: ETags, Deletes and tombstones; docs/sync.md for how a run
 * writes). */

typedef struct {
  TdmKind     kind;
  char       *id;          /* update, delete: the record; create: NULL */
  char       *twin_id;
  char       *etag;
  JsonObject *fields;
  char       *op_id;
} WriteState;

static void
write_state_free (WriteState *state)
{
  g_free (state->id);
  g_free (state->twin_id);
  g_free (state->etag);
  g_clear_pointer (&state->fields, json_object_unref);
  g_free (state->op_id);
  g_free (state);
}

static WriteState *
write_state_new (TdmKind     kind,
                 const char *id,
                 const char *twin_id,
                 const char *op_id)
{
  WriteState *state = g_new0 (WriteState, 1);

  g_assert ((guint) kind < TDM_N_KINDS);

  state->kind = kind;
  state->id = g_strdup (id);
  state->twin_id = g_strdup (twin_id);
  state->op_id = g_strdup (op_id);
  return state;
}

/* ---- Shared steps ---- */

/* Returns the written record of a POST or PUT answer on `task`. */
static void
return_write_result (GTask      *task,
                     WsResponse *resp)
{
  TdmWebshopConnector *self = g_task_get_source_object (task);
  WriteState *state = g_task_get_task_data (task);
  GError *error = NULL;
  TdmRecord *record;
  TdmWriteResult *write;

  g_assert (TDM_IS_WEBSHOP_CONNECTOR (self));
  g_assert (state != NULL);
  g_assert (resp != NULL);

  record = _tdm_webshop_connector_record_from_response (self, state->kind, resp, task, &error);
  if (record == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  _tdm_webshop_connector_remember_record (self, record);
  write = g_new0 (TdmWriteResult, 1);
  write->record = record;
  g_task_return_pointer (task, write, (GDestroyNotify) tdm_write_result_free);
}

static TdmWriteResult *
tdm_webshop_connector_write_finish (TdmConnector  *connector,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, connector), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- create ---- */

static void
on_create_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TdmWebshopConnector *self = TDM_WEBSHOP_CONNECTOR (source);
  WriteState *state = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(WsResponse) resp = NULL;

  g_assert (state != NULL && state->id == NULL);

  resp = _tdm_webshop_connector_receive (self, result, task, state->kind, state->twin_id, &error);
  if (resp == NULL)
    {
      _tdm_webshop_connector_explain_write_not_found (self, state->kind, NULL, state->twin_id,
                                                      task, &error);
      g_task_return_error (task, error);
      return;
    }
  return_write_result (task, resp);
}

static void
tdm_webshop_connector_create_async (TdmConnector        *connector,
                                    TdmKind              kind,
                                    JsonObject          *fields,
                                    const char          *op_id,
                                    const char          *twin_id,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  TdmWebshopConnector *self = TDM_WEBSHOP_CONNECTOR (connector);
  const TdmWebshopResource *res = tdm_webshop_profile_get_resource (self->profile, kind);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(JsonObject) native = NULL;
  g_autoptr(JsonObject) body = NULL;
  g_autofree char *url = _tdm_webshop_connector_resource_url (self, res->path, NULL);
  GError *error = NULL;

  g_task_set_source_tag (task, tdm_webshop_connector_create_async);
  g_task_set_task_data (task, write_state_new (kind, NULL, twin_id, op_id),
                        (GDestroyNotify) write_state_free);

  native = tdm_connector_unmap_fields (TDM_CONNECTOR (self), kind, fields, TRUE, &error);
  if (native == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  body = tdm_webshop_build_write_body (native, res, twin_id);
  _tdm_webshop_connector_send_async (self, "POST", url, body, NULL, op_id, NULL, cancellable,
                                     on_create_cb, g_steal_pointer (&task));
}

/* ---- update: GET the full record (PUT replaces it), merge, PUT with If-Match ---- */

static void merge_objects (JsonObject   *into,
                           JsonObject   *from,
                           TdmConnector *lists_of,
                           TdmKind       kind);

/* The key a list element is matched by: its SKU (variants, order lines),
 * else its id; NULL when it has neither. */
static const char *
element_key (JsonObject  *element,
             const char **member)
{
  static const char * const keys[] = { "sku", "id" };

  g_assert (element != NULL);

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      JsonNode *node = json_object_get_member (element, keys[i]);

      if (node != NULL && JSON_NODE_HOLDS_VALUE (node)
          && json_node_get_value_type (node) == G_TYPE_STRING
          && *json_node_get_string (node) != '\0')
        {
          *member = keys[i];
          return json_node_get_string (node);
        }
    }
  *member = NULL;
  return NULL;
}

/* How many members `a` and `b` have equal. */
static guint
count_equal_members (JsonObject *a,
                     JsonObject *b)
{
  g_autoptr(GList) names = json_object_get_members (a);
  guint equal = 0;

  for (GList *l = names; l != NULL; l = l->next)
    {
      JsonNode *other = json_object_get_member (b, l->data);

      if (other != NULL && json_node_equal (json_object_get_member (a, l->data), other))
        equal++;
    }
  return equal;
}

/* The element of `current` that `change` (element `index` of the new list)
 * stands for: the one with the same key; when `change` has no key, the
 * unused one sharing the most values with it (the one at the same place on
 * a tie). -1 for a new element. */
static gint
find_current_element (JsonArray  *current,
                      JsonObject *change,
                      guint       index,
                      gboolean   *used)
{
  const char *member = NULL;
  const char *key = element_key (change, &member);
  guint n = json_array_get_length (current);
  gint best = -1;
  guint best_equal = 0;

  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (current, i);
      JsonObject *element;
      guint equal;

      if (used[i] || !JSON_NODE_HOLDS_OBJECT (node))
        continue;
      element = json_node_get_object (node);
      if (key != NULL)
        {
          if (g_strcmp0 (key, json_object_get_string_member_with_default (element, member,
                                                                          NULL)) == 0)
            return i;
          continue;
        }
      equal = count_equal_members (change, element);
      if (best < 0 || equal > best_equal || (equal == best_equal && i == index))
        {
          best = i;
          best_equal = equal;
        }
    }
  return best;
}

/* The new list with each element merged onto the element of `current` it
 * stands for, so what the change does not carry (a variant's stock and
 * title, an address's id) is kept; elements the change no longer lists go.
 * An unordered list (addresses) keeps the webshop's order, which
 * default_address_index points into; new elements come last. A PUT
 * replaces the list, so a partial element would lose fields
 * (docs/webshop-api.md, Updating records: ETags). */
static JsonArray *
merge_arrays (JsonArray *current,
              JsonArray *change,
              gboolean   unordered)
{
  guint n = json_array_get_length (current);
  g_autofree gboolean *used = g_new0 (gboolean, n + 1);
  g_autofree JsonNode **merged_at = g_new0 (JsonNode *, n + 1);
  g_autoptr(GPtrArray) added = g_ptr_array_new ();
  JsonArray *merged = json_array_new ();

  g_assert (current != NULL);
  g_assert (change != NULL);

  for (guint i = 0; i < json_array_get_length (change); i++)
    {
      JsonNode *element = json_array_get_element (change, i);
      g_autoptr(JsonObject) copy = NULL;
      JsonNode *node;
      gint at = -1;

      if (JSON_NODE_HOLDS_OBJECT (element))
        at = find_current_element (current, json_node_get_object (element), i, used);
      if (at < 0)
        {
          node = json_node_copy (element);
          if (unordered)
            g_ptr_array_add (added, node);
          else
            json_array_add_element (merged, node);
          continue;
        }
      used[at] = TRUE;
      copy = tdm_json_object_copy (json_array_get_object_element (current, at));
      merge_objects (copy, json_node_get_object (element), NULL, TDM_N_KINDS);
      node = json_node_init_object (json_node_alloc (), copy);
      if (unordered)
        merged_at[at] = node;
      else
        json_array_add_element (merged, node);
    }
  for (guint i = 0; unordered && i < n; i++)
    if (merged_at[i] != NULL)
      json_array_add_element (merged, merged_at[i]);
  for (guint i = 0; i < added->len; i++)
    json_array_add_element (merged, added->pdata[i]);
  return merged;
}

/* Merges `from` into `into`, a record of `kind`; the lists `lists_of`
 * (nullable: none, for the members of an element) compares as sets keep
 * the order of `into`. */
static void
merge_objects (JsonObject   *into,
               JsonObject   *from,
               TdmConnector *lists_of,
               TdmKind       kind)
{
  g_autoptr(GList) names = NULL;

  g_assert (into != NULL);
  g_assert (from != NULL);
  g_assert (lists_of == NULL || kind < TDM_N_KINDS);

  names = json_object_get_members (from);
  for (GList *l = names; l != NULL; l = l->next)
    {
      JsonNode *value = json_object_get_member (from, l->data);
      JsonNode *existing = json_object_get_member (into, l->data);

      if (existing != NULL && JSON_NODE_HOLDS_OBJECT (existing) && JSON_NODE_HOLDS_OBJECT (value))
        merge_objects (json_node_get_object (existing), json_node_get_object (value), NULL,
                       TDM_N_KINDS);
      else if (existing != NULL && JSON_NODE_HOLDS_ARRAY (existing)
               && JSON_NODE_HOLDS_ARRAY (value))
        json_object_set_array_member (into, l->data,
                                      merge_arrays (json_node_get_array (existing),
                                                    json_node_get_array (value),
                                                    lists_of != NULL
                                                    && tdm_connector_list_is_unordered (lists_of,
                                                                                        kind,
                                                                                        l->data)));
      else
        json_object_set_member (into, l->data, json_node_copy (value));
    }
}

static void
on_update_put_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TdmWebshopConnector *self = TDM_WEBSHOP_CONNECTOR (source);
  WriteState *state = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(WsResponse) resp = NULL;

  g_assert (state != NULL && state->id != NULL);

  resp = _tdm_webshop_connector_receive (self, result, task, state->kind, state->id, &error);
  if (resp == NULL)
    {
      /* Whatever happened, read the record again before the next write. */
      _tdm_webshop_connector_forget_record (self, state->kind, state->id);
      _tdm_webshop_connector_explain_write_not_found (self, state->kind, state->id, NULL, task,
                                                      &error);
      g_task_return_error (task, error);
      return;
    }
  return_write_result (task, resp);
}

static void
conflict_error (GTask   *task,
                GError **error)
{
  WriteState *state = g_task_get_task_data (task);

  g_assert (G_IS_TASK (task));
  g_assert (state != NULL && state->id != NULL);

  g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_CONFLICT,
               _("The %s with webshop id %s was changed in the webshop while Tandem was "
                 "updating it. It will be read again and synced on the next pass."),
               tdm_kind_display_name (state->kind), state->id);
  _tdm_connector_attach_record_error (G_ASYNC_RESULT (task),
                                      tdm_record_error_new (TDM_SIDE_WEBSHOP, state->kind,
                                                            state->id, NULL, (*error)->message));
}

/* Merges the changes into the full record and PUTs it with If-Match. */
static void
send_update (GTask      *task,
             JsonObject *current,
             const char *current_etag)
{
  TdmWebshopConnector *self = g_task_get_source_object (task);
  WriteState *state = g_task_get_task_data (task);
  const TdmWebshopResource *res = tdm_webshop_profile_get_resource (self->profile, state->kind);
  g_autoptr(JsonObject) merged = NULL;
  g_autoptr(JsonObject) changes = NULL;
  g_autoptr(JsonObject) body = NULL;
  g_autofree char *url = NULL;
  GError *error = NULL;

  g_assert (state->id != NULL && state->fields != NULL);
  g_assert (current != NULL);

  changes = tdm_connector_unmap_fields (TDM_CONNECTOR (self), state->kind, state->fields,
                                        FALSE, &error);
  if (changes == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  merged = tdm_json_object_copy (current);
  merge_objects (merged, changes, TDM_CONNECTOR (self), state->kind);
  body = tdm_webshop_build_write_body (merged, res, state->twin_id);
  url = _tdm_webshop_connector_resource_url (self, res->path, state->id);
  _tdm_webshop_connector_send_async (self, "PUT", url, body,
                                     state->etag ? state->etag : current_etag, NULL, NULL,
                                     g_task_get_cancellable (task), on_update_put_cb,
                                     g_object_ref (task));
}

/* The etag of a freshly read record: its etag field, else the ETag header. */
static char *
dup_current_etag (TdmWebshopConnector *self,
                  TdmKind              kind,
                  JsonObject          *current,
                  WsResponse          *resp)
{
  const TdmWebshopResource *res = tdm_webshop_profile_get_resource (self->profile, kind);
  char *etag = tdm_webshop_json_dup_string (current, res->etag_field);
  const char *header;

  g_assert (resp != NULL && SOUP_IS_MESSAGE (resp->msg));

  if (etag != NULL)
    return etag;
  header = soup_message_headers_get_one (soup_message_get_response_headers (resp->msg), "ETag");
  return g_strdup (header);
}

static void
on_update_get_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TdmWebshopConnector *self = TDM_WEBSHOP_CONNECTOR (source);
  WriteState *state = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(WsResponse) resp = NULL;
  g_autoptr(JsonObject) current = NULL;
  g_autofree char *current_etag = NULL;

  g_assert (state != NULL && state->id != NULL);

  resp = _tdm_webshop_connector_receive (self, result, task, state->kind, state->id, &error);
  if (resp == NULL)
    {
      _tdm_webshop_connector_explain_write_not_found (self, state->kind, state->id, NULL, task,
                                                      &error);
      g_task_return_error (task, error);
      return;
    }
  current = tdm_webshop_parse_record (resp->body, &error);
  /* PUT sends the whole record back: only one that was read in full. */
  if (current != NULL
      && !_tdm_webshop_connector_check_readable_text (self, state->kind, current, task, &error))
    g_clear_pointer (&current, json_object_unref);
  if (current == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  current_etag = dup_current_etag (self, state->kind, current, resp);
  /* Changed since the engine read it: re-read and re-plan, write nothing. */
  if (state->etag != NULL && current_etag != NULL
      && !_tdm_webshop_etags_equal (state->etag, current_etag))
    {
      conflict_error (task, &error);
      g_task_return_error (task, error);
      return;
    }
  send_update (task, current, current_etag);
}

static void
tdm_webshop_connector_update_async (TdmConnector        *connector,
                                    TdmKind              kind,
                                    const char          *id,
                                    JsonObject          *fields,
                                    const char          *etag,
                                    const char          *twin_id,
                                    const char          *op_id,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  TdmWebshopConnector *self = TDM_WEBSHOP_CONNECTOR (connector);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  WriteState *state = write_state_new (kind, id, twin_id, op_id);
  TdmRecord *seen;
  GError *error = NULL;

  g_task_set_source_tag (task, tdm_webshop_connector_update_async);
  state->etag = g_strdup (etag);
  state->fields = fields ? json_object_ref (fields) : json_object_new ();
  g_task_set_task_data (task, state, (GDestroyNotify) write_state_free);
  if (!_tdm_webshop_connector_check_addressable (self, kind, id, task, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  /* PUT replaces the record, so Tandem needs all of it: the copy read in
   * this run when its etag is the one the caller planned with (If-Match
   * guards the rest), else a fresh read. */
  seen = _tdm_webshop_connector_lookup_record (self, kind, id);
  if (seen != NULL && (etag == NULL || _tdm_webshop_etags_equal (etag, seen->etag)))
    {
      g_autoptr(TdmRecord) keep = tdm_record_ref (seen);

      if (state->etag == NULL)
        state->etag = g_strdup (keep->etag);
      send_update (task, keep->native, keep->etag);
      return;
    }
  _tdm_webshop_connector_send_to_record (self, task, "GET", kind, id, on_update_get_cb);
}

/* ---- delete ---- */

/* After a 404 to a DELETE: gone (404, 410) is done; still there means the
 * DELETE missed the record, an error on it. */
static void
on_delete_check_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TdmWebshopConnector *self = TDM_WEBSHOP_CONNECTOR (source);
  WriteState *state = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(WsResponse) resp = NULL;
  guint status;
  g_autofree char *message = NULL;

  g_assert (state != NULL && state->id != NULL);

  resp = _tdm_webshop_connector_send_finish (self, result, &error);
  if (resp == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  status = soup_message_get_status (resp->msg);
  if (status == 404 || status == 410)
    {
      _tdm_webshop_connector_forget_record (self, state->kind, state->id);
      g_task_return_boolean (task, TRUE);
      return;
    }
  if (!_tdm_webshop_connector_check_response (self, state->kind, state->id, resp, task, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  message = g_strdup_printf (_("The webshop answered “not found” (HTTP 404) when Tandem deleted "
                               "the %s with webshop id %s, but the record is still there, so it "
                               "was not deleted. Check how the webshop handles deletes "
                               "(DELETE) for the path “%s” in the profile."),
                             tdm_kind_display_name (state->kind), state->id,
                             tdm_webshop_profile_get_resource (self->profile, state->kind)->path);
  _tdm_connector_attach_record_error (G_ASYNC_RESULT (task),
                                      tdm_record_error_new (TDM_SIDE_WEBSHOP, state->kind,
                                                            state->id, NULL, message));
  g_task_return_new_error (task, TDM_SYNC_ERROR, TDM_SYNC_ERROR_VALIDATION, "%s", message);
}

static void
on_delete_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TdmWebshopConnector *self = TDM_WEBSHOP_CONNECTOR (source);
  WriteState *state = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(WsResponse) resp = NULL;

  g_assert (state != NULL && state->id != NULL);

  resp = _tdm_webshop_connector_send_finish (self, result, &error);
  if (resp == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  /* "Not found" may mean already gone, which is what a delete wants, or
   * that the request missed the record: read it to tell. */
  if (soup_message_get_status (resp->msg) == 404)
    {
      _tdm_webshop_connector_send_to_record (self, task, "GET", state->kind, state->id,
                                             on_delete_check_cb);
      return;
    }
  if (!_tdm_webshop_connector_check_response (self, state->kind, state->id, resp, task, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
tdm_webshop_connector_delete_async (TdmConnector        *connector,
                                    TdmKind              kind,
                                    const char          *id,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  TdmWebshopConnector *self = TDM_WEBSHOP_CONNECTOR (connector);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, tdm_webshop_connector_delete_async);
  g_task_set_task_data (task, write_state_new (kind, id, NULL, NULL),
                        (GDestroyNotify) write_state_free);
  _tdm_webshop_connector_send_to_record (self, task, "DELETE", kind, id, on_delete_cb);
}

static gboolean
tdm_webshop_connector_delete_finish (TdmConnector  *connector,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, connector), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
_tdm_webshop_connector_write_class_init (TdmConnectorClass *connector_class)
{
  connector_class->create_async = tdm_webshop_connector_create_async;
  connector_class->create_finish = tdm_webshop_connector_write_finish;
  connector_class->update_async = tdm_webshop_connector_update_async;
  connector_class->update_finish = tdm_webshop_connector_write_finish;
  connector_class->delete_async = tdm_webshop_connector_delete_async;
  connector_class->delete_finish = tdm_webshop_connector_delete_finish;
}
