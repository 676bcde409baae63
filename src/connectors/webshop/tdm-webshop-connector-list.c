/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-webshop"

#include "config.h"

#include "tdm-webshop-connector-private.h"

#include <glib/gi18n-lib.h>

#include "tdm-json-text.h"

/* Reading: list_changed walks the records changed since a time, page by
 * page in any of the profile's paging styles, then (for an incremental
 * listing) the tombstones; get reads one record. Cursors handed out are
 * "r:<native>" for record pages and "d:<native>" for tombstone pages
 * (docs/webshop-api.md, Listing changes and paging; docs/sync.md for how a
 * run pulls). */

void
_tdm_webshop_list_state_clear (WsListState *state)
{
  g_assert (state != NULL);

  g_clear_pointer (&state->since, g_free);
}

static void
list_state_free (WsListState *state)
{
  _tdm_webshop_list_state_clear (state);
  g_free (state);
}

/* ---- Page addresses ---- */

/* Adds the page or offset parameter of a native cursor (a number) and keeps
 * it in `state`; FALSE with an error when the cursor is not a number. */
static gboolean
append_position (GString      *url,
                 const char   *param,
                 const char   *native_cursor,
                 guint64       first,
                 guint64      *position,
                 GError      **error)
{
  g_autofree char *text = NULL;

  g_assert (url != NULL);
  g_assert (position != NULL);

  *position = first;
  if (native_cursor != NULL && *native_cursor
      && !g_ascii_string_to_unsigned (native_cursor, 10, first, G_MAXUINT32, position, NULL))
    {
      g_set_error_literal (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_FAILED,
                           _("The saved position in the webshop's list is not valid; "
                             "the listing starts again."));
      return FALSE;
    }
  text = g_strdup_printf ("%" G_GUINT64_FORMAT, *position);
  _tdm_webshop_connector_append_param (url, param, text);
  return TRUE;
}

char *
_tdm_webshop_connector_build_list_url (TdmWebshopConnector       *self,
                                       const TdmWebshopResource  *res,
                                       const char                *since,
                                       const char                *native_cursor,
                                       WsListState               *state,
                                       GError                   **error)
{
  g_autoptr(GString) url = NULL;
  g_autofree char *limit = NULL;
  g_autofree char *collection = NULL;

  g_assert (TDM_IS_WEBSHOP_CONNECTOR (self));
  g_assert (res != NULL);
  g_assert (state != NULL);

  if (res->paging == TDM_WEBSHOP_PAGING_LINK && native_cursor != NULL && *native_cursor)
    {
      if (!_tdm_webshop_connector_same_origin (self, native_cursor, error))
        return NULL;
      return g_strdup (native_cursor);
    }

  limit = g_strdup_printf ("%u", res->page_size);
  collection = _tdm_webshop_connector_resource_url (self, res->path, NULL);
  url = g_string_new (collection);
  if (since != NULL)
    _tdm_webshop_connector_append_param (url, res->param_updated_since, since);
  _tdm_webshop_connector_append_param (url, res->param_limit, limit);

  switch (res->paging)
    {
    case TDM_WEBSHOP_PAGING_CURSOR:
      if (native_cursor != NULL && *native_cursor)
        _tdm_webshop_connector_append_param (url, res->param_cursor, native_cursor);
      break;
    case TDM_WEBSHOP_PAGING_PAGE:
      if (!append_position (url, res->param_page, native_cursor, 1, &state->page_number, error))
        return NULL;
      break;
    case TDM_WEBSHOP_PAGING_OFFSET:
      if (!append_position (url, res->param_offset, native_cursor, 0, &state->offset, error))
        return NULL;
      break;
    case TDM_WEBSHOP_PAGING_LINK:
    default:
      break;
    }
  return g_string_free (g_steal_pointer (&url), FALSE);
}

static char *
build_deleted_url (TdmWebshopConnector      *self,
                   const TdmWebshopResource *res,
                   const char               *since,
                   const char               *native_cursor)
{
  g_autoptr(GString) url = g_string_new (NULL);
  g_autofree char *limit = g_strdup_printf ("%u", res->page_size);

  g_assert (TDM_IS_WEBSHOP_CONNECTOR (self));
  g_assert (res->deleted_path != NULL);

  g_string_append_printf (url, "%s/%s", self->base_url, res->deleted_path);
  if (since != NULL)
    _tdm_webshop_connector_append_param (url, res->deleted_since_param, since);
  _tdm_webshop_connector_append_param (url, res->param_limit, limit);
  if (native_cursor != NULL && *native_cursor)
    _tdm_webshop_connector_append_param (url, res->param_cursor, native_cursor);
  return g_string_free (g_steal_pointer (&url), FALSE);
}

/* ---- Pages ---- */

/* A page holding more items than asked for is refused: accepting it would
 * let a broken or hostile server push any amount of data in one answer and
 * break offset and page arithmetic. */
gboolean
_tdm_webshop_connector_check_page_length (TdmWebshopConnector  *self,
                                          guint                 n_items,
                                          guint                 limit,
                                          GError              **error)
{
  g_assert (TDM_IS_WEBSHOP_CONNECTOR (self));

  if (limit == 0 || n_items <= limit)
    return TRUE;
  g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_INVALID_RESPONSE,
               _("The webshop at %s sent %u items in one page although Tandem asked for at "
                 "most %u. The page was refused; check the webshop's paging settings, or set "
                 "the page size in the profile to the number the webshop sends."),
               g_uri_get_host (self->base_uri), n_items, limit);
  return FALSE;
}

/* The absolute address of the Link header's rel="next", or NULL at the end
 * (or with an error when it is not valid or on another site). */
static char *
next_link (TdmWebshopConnector  *self,
           WsResponse           *resp,
           GError              **error)
{
  const char *link = soup_message_headers_get_one (
      soup_message_get_response_headers (resp->msg), "Link");
  g_autofree char *next = tdm_webshop_parse_link_next (link);
  g_autoptr(GUri) resolved = NULL;
  g_autofree char *absolute = NULL;

  g_assert (TDM_IS_WEBSHOP_CONNECTOR (self));

  if (next == NULL)
    return NULL;
  resolved = g_uri_parse_relative (soup_message_get_uri (resp->msg), next,
                                   G_URI_FLAGS_NONE, NULL);
  if (resolved == NULL)
    {
      g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_INVALID_RESPONSE,
                   _("The webshop's link to the next page (%s) is not a valid address."),
                   next);
      return NULL;
    }
  absolute = g_uri_to_string (resolved);
  if (!_tdm_webshop_connector_same_origin (self, absolute, error))
    return NULL;
  return g_steal_pointer (&absolute);
}

char *
_tdm_webshop_connector_next_native_cursor (TdmWebshopConnector      *self,
                                           const TdmWebshopResource *res,
                                           WsListState              *state,
                                           WsResponse               *resp,
                                           guint                     n_items,
                                           char                     *body_cursor,
                                           GError                  **error)
{
  g_autofree char *owned = body_cursor;

  g_assert (TDM_IS_WEBSHOP_CONNECTOR (self));
  g_assert (res != NULL);
  g_assert (state != NULL);
  g_assert (resp != NULL);

  switch (res->paging)
    {
    case TDM_WEBSHOP_PAGING_CURSOR:
      return g_steal_pointer (&owned);
    case TDM_WEBSHOP_PAGING_PAGE:
      if (n_items < res->page_size)
        return NULL;
      return g_strdup_printf ("%" G_GUINT64_FORMAT, state->page_number + 1);
    case TDM_WEBSHOP_PAGING_OFFSET:
      if (n_items < res->page_size)
        return NULL;
      return g_strdup_printf ("%" G_GUINT64_FORMAT, state->offset + n_items);
    case TDM_WEBSHOP_PAGING_LINK:
    default:
      return next_link (self, resp, error);
    }
}

/* (updated_at, id) on normalized UTC timestamps: the order the contract
 * promises, kept even when a shop sends offsets or sorts loosely. */
static int
compare_records_by_update (gconstpointer a,
                           gconstpointer b)
{
  const TdmRecord *ra = *(TdmRecord * const *) a;
  const TdmRecord *rb = *(TdmRecord * const *) b;
  int cmp = g_strcmp0 (ra->updated_at, rb->updated_at);

  return cmp != 0 ? cmp : g_strcmp0 (ra->id, rb->id);
}

static TdmPage *
page_new (void)
{
  TdmPage *page = g_new0 (TdmPage, 1);

  page->records = g_ptr_array_new_with_free_func ((GDestroyNotify) tdm_record_unref);
  page->problems = g_ptr_array_new_with_free_func ((GDestroyNotify) tdm_record_error_free);
  return page;
}

/* The records of a page, each remembered for a later update, sorted; the
 * newest updated_at on the page is noted. */
static void
add_page_records (TdmWebshopConnector *self,
                  TdmKind              kind,
                  GPtrArray           *items,
                  TdmPage             *page)
{
  g_assert (TDM_IS_WEBSHOP_CONNECTOR (self));
  g_assert (items != NULL);
  g_assert (page != NULL && page->records != NULL && page->problems != NULL);

  for (guint i = 0; i < items->len; i++)
    {
      TdmRecord *record = _tdm_webshop_connector_record_from_native (self, kind, items->pdata[i],
                                                                     NULL, page->problems);

      if (record == NULL)
        continue;
      _tdm_webshop_connector_remember_record (self, record);
      if (record->updated_at != NULL
          && g_strcmp0 (record->updated_at, page->max_updated_at) > 0)
        {
          g_free (page->max_updated_at);
          page->max_updated_at = g_strdup (record->updated_at);
        }
      g_ptr_array_add (page->records, record);
    }
  g_ptr_array_sort (page->records, compare_records_by_update);
}

static void
finish_records_page (GTask      *task,
                     WsResponse *resp)
{
  TdmWebshopConnector *self = g_task_get_source_object (task);
  WsListState *state = g_task_get_task_data (task);
  const TdmWebshopResource *res = tdm_webshop_profile_get_resource (self->profile, state->kind);
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(TdmPage) page = NULL;
  g_autofree char *body_cursor = NULL;
  g_autofree char *next = NULL;
  GError *error = NULL;

  g_assert (!state->deleted_phase);
  g_assert (resp != NULL);

  if (!tdm_webshop_parse_list (resp->body, res, &items, &body_cursor, &error)
      || !_tdm_webshop_connector_check_page_length (self, items->len, res->page_size, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  page = page_new ();
  add_page_records (self, state->kind, items, page);

  next = _tdm_webshop_connector_next_native_cursor (self, res, state, resp, items->len,
                                                    g_steal_pointer (&body_cursor), &error);
  if (error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (next != NULL)
    page->next_cursor = g_strdup_printf ("r:%s", next);
  else if (state->since != NULL && res->deleted_available)
    page->next_cursor = g_strdup ("d:");

  g_task_return_pointer (task, g_steal_pointer (&page), (GDestroyNotify) tdm_page_free);
}

/* The tombstones of a page: each forgotten as a record seen in this run. */
static void
add_page_tombstones (TdmWebshopConnector      *self,
                     TdmKind                   kind,
                     const TdmWebshopResource *res,
                     GPtrArray                *items,
                     TdmPage                  *page)
{
  g_assert (TDM_IS_WEBSHOP_CONNECTOR (self));
  g_assert (items != NULL);
  g_assert (page != NULL && page->records != NULL && page->problems != NULL);

  for (guint i = 0; i < items->len; i++)
    {
      g_autofree char *id = tdm_webshop_json_dup_string (items->pdata[i], "id");
      g_autofree char *raw = tdm_webshop_json_dup_string (items->pdata[i], res->deleted_at_field);
      g_autofree char *deleted_at = _tdm_webshop_connector_normalized_timestamp (raw);
      TdmJsonTextProblem problem;

      if (id == NULL)
        continue;
      problem = tdm_json_text_check (id);
      if (problem != TDM_JSON_TEXT_OK)
        {
          g_autofree char *message = tdm_json_text_message (problem, TDM_SIDE_WEBSHOP, kind,
                                                            NULL, "id");

          g_ptr_array_add (page->problems, tdm_record_error_new (TDM_SIDE_WEBSHOP, kind,
                                                                 NULL, "id", message));
          continue;
        }
      _tdm_webshop_connector_forget_record (self, kind, id);
      g_ptr_array_add (page->records,
                       tdm_record_new_tombstone (TDM_SIDE_WEBSHOP, kind, id, deleted_at));
    }
}

static void
finish_deleted_page (GTask      *task,
                     WsResponse *resp)
{
  TdmWebshopConnector *self = g_task_get_source_object (task);
  WsListState *state = g_task_get_task_data (task);
  const TdmWebshopResource *res = tdm_webshop_profile_get_resource (self->profile, state->kind);
  TdmWebshopResource contract = *res;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(TdmPage) page = NULL;
  g_autofree char *next = NULL;
  GError *error = NULL;

  g_assert (state->deleted_phase);
  g_assert (resp != NULL);

  /* Tombstone pages always use the contract's envelope and cursor. */
  contract.items_key = (char *) "items";
  contract.next_cursor_key = (char *) "next_cursor";
  contract.paging = TDM_WEBSHOP_PAGING_CURSOR;
  if (!tdm_webshop_parse_list (resp->body, &contract, &items, &next, &error)
      || !_tdm_webshop_connector_check_page_length (self, items->len, res->page_size, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  page = page_new ();
  add_page_tombstones (self, state->kind, res, items, page);
  if (next != NULL)
    page->next_cursor = g_strdup_printf ("d:%s", next);
  g_task_return_pointer (task, g_steal_pointer (&page), (GDestroyNotify) tdm_page_free);
}

/* ---- list_changed ---- */

static void
on_list_page_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TdmWebshopConnector *self = TDM_WEBSHOP_CONNECTOR (source);
  WsListState *state = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(WsResponse) resp = NULL;

  g_assert (state != NULL);

  resp = _tdm_webshop_connector_receive (self, result, task, state->kind, NULL, &error);
  if (resp == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (state->deleted_phase)
    finish_deleted_page (task, resp);
  else
    finish_records_page (task, resp);
}

/* The native part of a list_changed cursor; sets the phase in `state`. */
static const char *
parse_list_cursor (const char  *cursor,
                   WsListState *state)
{
  g_assert (state != NULL);

  if (cursor != NULL && g_str_has_prefix (cursor, "d:"))
    {
      state->deleted_phase = TRUE;
      return cursor + 2;
    }
  if (cursor != NULL && g_str_has_prefix (cursor, "r:"))
    return cursor + 2;
  if (cursor != NULL && *cursor != '\0')
    return cursor;  /* a cursor from an older version: records phase */
  return NULL;
}

static void
tdm_webshop_connector_list_changed_async (TdmConnector        *connector,
                                          TdmKind              kind,
                                          const char          *since,
                                          const char          *cursor,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  TdmWebshopConnector *self = TDM_WEBSHOP_CONNECTOR (connector);
  const TdmWebshopResource *res = tdm_webshop_profile_get_resource (self->profile, kind);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  WsListState *state = g_new0 (WsListState, 1);
  GError *error = NULL;
  const char *native;
  g_autofree char *url = NULL;

  g_task_set_source_tag (task, tdm_webshop_connector_list_changed_async);
  state->kind = kind;
  state->since = g_strdup (since);
  g_task_set_task_data (task, state, (GDestroyNotify) list_state_free);

  native = parse_list_cursor (cursor, state);
  url = state->deleted_phase
        ? build_deleted_url (self, res, since, native)
        : _tdm_webshop_connector_build_list_url (self, res, since, native, state, &error);
  if (url == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  _tdm_webshop_connector_send_async (self, "GET", url, NULL, NULL, NULL, NULL, cancellable,
                                     on_list_page_cb, g_steal_pointer (&task));
}

static TdmPage *
tdm_webshop_connector_list_changed_finish (TdmConnector  *connector,
                                           GAsyncResult  *result,
                                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, connector), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- get ---- */

typedef struct {
  TdmKind  kind;
  char    *id;
} GetState;

static void
get_state_free (GetState *state)
{
  g_free (state->id);
  g_free (state);
}

static void
on_get_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TdmWebshopConnector *self = TDM_WEBSHOP_CONNECTOR (source);
  GetState *state = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(WsResponse) resp = NULL;
  TdmRecord *record;

  g_assert (state != NULL && state->id != NULL);

  resp = _tdm_webshop_connector_receive (self, result, task, state->kind, state->id, &error);
  if (resp == NULL)
    {
      if (g_error_matches (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_NOT_FOUND))
        _tdm_webshop_connector_forget_record (self, state->kind, state->id);
      g_task_return_error (task, error);
      return;
    }
  record = _tdm_webshop_connector_record_from_response (self, state->kind, resp, task, &error);
  if (record == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  _tdm_webshop_connector_remember_record (self, record);
  g_task_return_pointer (task, record, (GDestroyNotify) tdm_record_unref);
}

static void
tdm_webshop_connector_get_async (TdmConnector        *connector,
                                 TdmKind              kind,
                                 const char          *id,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  TdmWebshopConnector *self = TDM_WEBSHOP_CONNECTOR (connector);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  GetState *state = g_new0 (GetState, 1);

  g_task_set_source_tag (task, tdm_webshop_connector_get_async);
  state->kind = kind;
  state->id = g_strdup (id);
  g_task_set_task_data (task, state, (GDestroyNotify) get_state_free);
  _tdm_webshop_connector_send_to_record (self, task, "GET", kind, id, on_get_cb);
}

static TdmRecord *
tdm_webshop_connector_get_finish (TdmConnector  *connector,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, connector), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
_tdm_webshop_connector_list_class_init (TdmConnectorClass *connector_class)
{
  connector_class->list_changed_async = tdm_webshop_connector_list_changed_async;
  connector_class->list_changed_finish = tdm_webshop_connector_list_changed_finish;
  connector_class->get_async = tdm_webshop_connector_get_async;
  connector_class->get_finish = tdm_webshop_connector_get_finish;
}
