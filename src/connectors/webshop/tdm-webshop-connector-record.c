/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-webshop"

#include "config.h"

#include "tdm-webshop-connector-private.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "tdm-json-text.h"
#include "tdm-normalize.h"

/* Records: a webshop record (native) becomes a TdmRecord with canonical
 * fields (docs/mapping.md); a failed answer becomes an error naming the
 * record and, canonically, the field (docs/webshop-api.md, Errors); and the
 * records read in this run are kept for the next update (docs/sync.md). */

char *
_tdm_webshop_connector_normalized_timestamp (const char *value)
{
  g_autoptr(GError) error = NULL;
  char *normal;

  if (value == NULL || *value == '\0')
    return NULL;
  normal = tdm_normalize_datetime (value, &error);
  return normal ? normal : g_strdup (value);
}

/* ---- Native → TdmRecord ---- */

/* A record holding a NUL or text that is not UTF-8 anywhere (marked when it
 * was read, see tdm-json-text.h) is refused as a whole: its record error,
 * naming the record (when its id is readable) and the field, or NULL. Such
 * a record is never planned, so nothing is written back from it. */
static TdmRecordError *
unreadable_text_error (TdmWebshopConnector *self,
                       TdmKind              kind,
                       JsonObject          *native)
{
  const TdmWebshopResource *res = tdm_webshop_profile_get_resource (self->profile, kind);
  g_autofree char *path = NULL;
  g_autofree char *id = NULL;
  g_autofree char *field = NULL;
  g_autofree char *message = NULL;
  TdmJsonTextProblem problem;

  g_assert (native != NULL);

  problem = tdm_json_text_find (native, &path);
  if (problem == TDM_JSON_TEXT_OK)
    return NULL;
  id = tdm_webshop_json_dup_string (native, res->id_field);
  if (id != NULL && (*id == '\0' || tdm_json_text_check (id) != TDM_JSON_TEXT_OK))
    g_clear_pointer (&id, g_free);
  field = tdm_connector_field_for_path (TDM_CONNECTOR (self), kind, path);
  message = tdm_json_text_message (problem, TDM_SIDE_WEBSHOP, kind, id, field);
  return tdm_record_error_new (TDM_SIDE_WEBSHOP, kind, id, field, message);
}

static void
add_problem (GPtrArray      *problems,
             TdmRecordError *problem)
{
  g_assert (problem != NULL);

  if (problems != NULL)
    g_ptr_array_add (problems, problem);
  else
    tdm_record_error_free (problem);
}

/* The problem that keeps a native record from becoming a TdmRecord (text
 * Tandem cannot keep, no id, an id that cannot be addressed), or NULL. */
static TdmRecordError *
find_unusable (TdmWebshopConnector *self,
               TdmKind              kind,
               JsonObject          *native,
               const char          *id)
{
  const TdmWebshopResource *res = tdm_webshop_profile_get_resource (self->profile, kind);
  TdmRecordError *unreadable = unreadable_text_error (self, kind, native);
  g_autofree char *message = NULL;

  if (unreadable != NULL)
    return unreadable;
  if (id == NULL || *id == '\0')
    return tdm_record_error_new (TDM_SIDE_WEBSHOP, kind, NULL, res->id_field,
                                 _("A record from the webshop has no id and "
                                   "was skipped. Check the id field in the "
                                   "webshop profile."));
  if (_tdm_webshop_connector_id_is_addressable (id))
    return NULL;
  message = _tdm_webshop_connector_unaddressable_message (kind, id, res->id_field);
  return tdm_record_error_new (TDM_SIDE_WEBSHOP, kind, id, res->id_field, message);
}

/* The etag of an ETag header value: without W/ and quotes. */
static char *
etag_from_header (const char *etag_header)
{
  const char *e = g_str_has_prefix (etag_header, "W/") ? etag_header + 2 : etag_header;
  gsize len = strlen (e);

  return len >= 2 && e[0] == '"' ? g_strndup (e + 1, len - 2) : g_strdup (e);
}

/* The canonical fields of `native` through the connector's mapping (a copy
 * of `native` without one); the mapping's problems go to `problems`
 * (nullable), naming `id`. */
static JsonObject *
map_fields (TdmWebshopConnector *self,
            TdmKind              kind,
            JsonObject          *native,
            const char          *id,
            GPtrArray           *problems)
{
  g_autoptr(GPtrArray) local = NULL;
  JsonObject *fields;

  g_assert (native != NULL);
  g_assert (id != NULL);

  local = g_ptr_array_new_with_free_func ((GDestroyNotify) tdm_record_error_free);
  fields = tdm_connector_map_native (TDM_CONNECTOR (self), kind, native, local);
  if (fields == NULL)
    return tdm_json_object_copy (native);
  for (guint i = 0; i < local->len; i++)
    {
      TdmRecordError *problem = local->pdata[i];

      if (problem->record_id == NULL)
        problem->record_id = g_strdup (id);
      if (problems != NULL)
        g_ptr_array_add (problems, g_steal_pointer (&local->pdata[i]));
    }
  return fields ? fields : tdm_json_object_copy (native);
}

TdmRecord *
_tdm_webshop_connector_record_from_native (TdmWebshopConnector *self,
                                           TdmKind              kind,
                                           JsonObject          *native,
                                           const char          *etag_header,
                                           GPtrArray           *problems)
{
  const TdmWebshopResource *res;
  g_autofree char *id = NULL;
  g_autofree char *updated_raw = NULL;
  g_autofree char *updated = NULL;
  g_autofree char *etag = NULL;
  g_autofree char *twin = NULL;
  g_autoptr(JsonObject) fields = NULL;
  TdmRecordError *unusable;
  TdmRecord *record;

  g_assert (TDM_IS_WEBSHOP_CONNECTOR (self));
  g_assert ((guint) kind < TDM_N_KINDS);
  g_assert (native != NULL);

  res = tdm_webshop_profile_get_resource (self->profile, kind);
  id = tdm_webshop_json_dup_string (native, res->id_field);
  unusable = find_unusable (self, kind, native, id);
  if (unusable != NULL)
    {
      add_problem (problems, unusable);
      return NULL;
    }

  updated_raw = tdm_webshop_json_dup_string (native, res->updated_at_field);
  updated = _tdm_webshop_connector_normalized_timestamp (updated_raw);
  etag = tdm_webshop_json_dup_string (native, res->etag_field);
  if (etag == NULL && etag_header != NULL)
    etag = etag_from_header (etag_header);
  twin = tdm_webshop_json_dup_string (native, res->shopify_id_field);
  fields = map_fields (self, kind, native, id, problems);

  record = tdm_record_new (TDM_SIDE_WEBSHOP, kind, id, updated, etag, fields, native);
  if (twin != NULL && *twin != '\0')
    tdm_record_set_twin_id (record, twin);
  return record;
}

gboolean
_tdm_webshop_connector_check_readable_text (TdmWebshopConnector  *self,
                                            TdmKind               kind,
                                            JsonObject           *native,
                                            GTask                *task,
                                            GError              **error)
{
  TdmRecordError *unreadable;

  g_assert (TDM_IS_WEBSHOP_CONNECTOR (self));
  g_assert ((guint) kind < TDM_N_KINDS);
  g_assert (G_IS_TASK (task));

  unreadable = unreadable_text_error (self, kind, native);
  if (unreadable == NULL)
    return TRUE;
  g_set_error_literal (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_VALIDATION, unreadable->message);
  _tdm_connector_attach_record_error (G_ASYNC_RESULT (task), unreadable);
  return FALSE;
}

/* One record answered. A record read with GET (a get) whose value the
 * mapping cannot use (a phone "123") is checked as a listing checks it:
 * the record is returned and its problem, naming the record and the field,
 * is attached to `task` before the answer returns, so "Sync this record"
 * keeps it in error as a run would (docs/sync.md). A write's answer hands
 * over no such problem: the write is done. */
TdmRecord *
_tdm_webshop_connector_record_from_response (TdmWebshopConnector  *self,
                                             TdmKind               kind,
                                             WsResponse           *resp,
                                             GTask                *task,
                                             GError              **error)
{
  g_autoptr(JsonObject) native = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  const char *etag;
  TdmRecord *record;

  g_assert (TDM_IS_WEBSHOP_CONNECTOR (self));
  g_assert (resp != NULL && SOUP_IS_MESSAGE (resp->msg));

  native = tdm_webshop_parse_record (resp->body, error);
  if (native == NULL
      || !_tdm_webshop_connector_check_readable_text (self, kind, native, task, error))
    return NULL;
  etag = soup_message_headers_get_one (soup_message_get_response_headers (resp->msg), "ETag");
  problems = g_ptr_array_new_with_free_func ((GDestroyNotify) tdm_record_error_free);
  record = _tdm_webshop_connector_record_from_native (self, kind, native, etag, problems);
  if (record == NULL)
    g_set_error_literal (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_INVALID_RESPONSE,
                         _("The webshop answered with a record that has no id. Check the id "
                           "field in the webshop profile."));
  else if (problems->len > 0 && g_strcmp0 (soup_message_get_method (resp->msg), "GET") == 0)
    _tdm_connector_attach_record_error (G_ASYNC_RESULT (task),
                                        g_ptr_array_steal_index (problems, 0));
  return record;
}

/* ---- Answers → errors ---- */

/* A record-level refusal (VALIDATION, DUPLICATE, CONFLICT): a record error
 * on `task` naming the field canonically; a reused Idempotency-Key is
 * explained in the owner's words (replaces `*error`). */
static void
attach_refusal_record_error (TdmWebshopConnector  *self,
                             TdmKind               kind,
                             const char           *record_id,
                             WsResponse           *resp,
                             GTask                *task,
                             GError              **error)
{
  g_autofree char *code = NULL, *message = NULL, *field = NULL, *existing = NULL;
  g_autofree char *canonical = NULL;
  TdmRecordError *record_error;

  g_assert (error != NULL && *error != NULL);
  g_assert (G_IS_TASK (task));

  tdm_http_parse_error_body (resp->body, &code, &message, &field, &existing);
  canonical = tdm_connector_field_for_path (TDM_CONNECTOR (self), kind, field);
  if (g_strcmp0 (code, "idempotency_key_reused") == 0)
    {
      g_clear_error (error);
      g_set_error_literal (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_VALIDATION,
                           _("The webshop already received a different record under the "
                             "same request key. The record will be sent again as a new "
                             "request on the next pass."));
    }
  record_error = tdm_record_error_new (TDM_SIDE_WEBSHOP, kind, record_id, canonical,
                                       (*error)->message);
  record_error->existing_id = g_strdup (existing);
  _tdm_connector_attach_record_error (G_ASYNC_RESULT (task), record_error);
}

gboolean
_tdm_webshop_connector_check_response (TdmWebshopConnector  *self,
                                       TdmKind               kind,
                                       const char           *record_id,
                                       WsResponse           *resp,
                                       GTask                *task,
                                       GError              **error)
{
  g_autoptr(GError) local = NULL;

  g_assert (TDM_IS_WEBSHOP_CONNECTOR (self));
  g_assert ((guint) kind < TDM_N_KINDS);
  g_assert (resp != NULL && SOUP_IS_MESSAGE (resp->msg));
  g_assert (G_IS_TASK (task));

  if (tdm_http_check_status (resp->msg, resp->body, _("the webshop"), &local))
    return TRUE;

  if (local->domain == TDM_SYNC_ERROR
      && (local->code == TDM_SYNC_ERROR_VALIDATION || local->code == TDM_SYNC_ERROR_DUPLICATE
          || local->code == TDM_SYNC_ERROR_CONFLICT))
    attach_refusal_record_error (self, kind, record_id, resp, task, &local);
  g_propagate_error (error, g_steal_pointer (&local));
  return FALSE;
}

/* A 404 to a write (POST, PUT, DELETE, or the read before a PUT) means the
 * write did not happen: an error on the record that says so, never "done".
 * Replaces `error` (NOT_FOUND) with one naming the record; the code stays
 * NOT_FOUND for a PUT (the record may be gone) and for a POST. */
void
_tdm_webshop_connector_explain_write_not_found (TdmWebshopConnector  *self,
                                                TdmKind               kind,
                                                const char           *id,
                                                const char           *twin_id,
                                                GTask                *task,
                                                GError              **error)
{
  const TdmWebshopResource *res;
  g_autofree char *message = NULL;

  g_assert (TDM_IS_WEBSHOP_CONNECTOR (self));
  g_assert ((guint) kind < TDM_N_KINDS);
  g_assert (G_IS_TASK (task));
  g_assert (error != NULL);

  if (!g_error_matches (*error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_NOT_FOUND))
    return;
  res = tdm_webshop_profile_get_resource (self->profile, kind);
  if (id != NULL)
    message = g_strdup_printf (_("The %s with webshop id %s was not found in the webshop "
                                 "(HTTP 404), so Tandem’s change was not written. If it was "
                                 "deleted in the webshop, this goes away once Tandem has noticed "
                                 "the deletion; otherwise check the path “%s” in the webshop "
                                 "profile."),
                               tdm_kind_display_name (kind), id, res->path);
  else
    message = g_strdup_printf (_("The webshop answered “not found” (HTTP 404) when Tandem "
                                 "created a %s there from Shopify record %s, so nothing was "
                                 "created. Check the path “%s” in the webshop profile."),
                               tdm_kind_display_name (kind), twin_id ? twin_id : "?", res->path);
  _tdm_connector_attach_record_error (G_ASYNC_RESULT (task),
                                      tdm_record_error_new (TDM_SIDE_WEBSHOP, kind,
                                                            id ? id : twin_id, NULL, message));
  g_clear_error (error);
  g_set_error_literal (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_NOT_FOUND, message);
}

/* ---- Records seen in this run ---- */

static char *
seen_key (TdmKind     kind,
          const char *id)
{
  g_assert (id != NULL);

  return g_strdup_printf ("%d/%s", kind, id);
}

void
_tdm_webshop_connector_remember_record (TdmWebshopConnector *self,
                                        TdmRecord           *record)
{
  g_assert (TDM_IS_WEBSHOP_CONNECTOR (self));

  if (record == NULL || record->deleted || record->native == NULL || record->etag == NULL)
    return;
  g_hash_table_replace (self->seen, seen_key (record->kind, record->id),
                        tdm_record_ref (record));
}

void
_tdm_webshop_connector_forget_record (TdmWebshopConnector *self,
                                      TdmKind              kind,
                                      const char          *id)
{
  g_autofree char *key = seen_key (kind, id);

  g_assert (TDM_IS_WEBSHOP_CONNECTOR (self));

  g_hash_table_remove (self->seen, key);
}

TdmRecord *
_tdm_webshop_connector_lookup_record (TdmWebshopConnector *self,
                                      TdmKind              kind,
                                      const char          *id)
{
  g_autofree char *key = seen_key (kind, id);

  g_assert (TDM_IS_WEBSHOP_CONNECTOR (self));

  return g_hash_table_lookup (self->seen, key);
}

gboolean
_tdm_webshop_etags_equal (const char *a,
                          const char *b)
{
  g_autofree char *x = NULL;
  g_autofree char *y = NULL;

  if (a == NULL || b == NULL)
    return FALSE;
  /* "\"3-ab\"", W/"3-ab" and 3-ab are the same tag. */
  if (g_str_has_prefix (a, "W/"))
    a += 2;
  if (g_str_has_prefix (b, "W/"))
    b += 2;
  x = g_strdup (a);
  y = g_strdup (b);
  g_strdelimit (x, "\"", ' ');
  g_strdelimit (y, "\"", ' ');
  return g_strcmp0 (g_strstrip (x), g_strstrip (y)) == 0;
}
