/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-webshop"

#include "config.h"

#include "tdm-webshop-connector.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "tdm-json-text.h"
#include "tdm-normalize.h"
#include "tdm-webshop-json.h"

struct _TdmWebshopConnector
{
  TdmConnector        parent_instance;

  char               *base_url;      /* without a trailing slash */
  GUri               *base_uri;
  TdmWebshopProfile  *profile;
  TdmWebshopAuth      auth;
  char               *user;
  char               *header;
  char               *secret;
  TdmCredentialStore *credentials;
  char               *account;

  TdmHttpOptions      options;
  SoupSession        *session;

  /* Profile rate cap: a token bucket plus a concurrency limit. */
  double              tokens;
  gint64              last_refill;
  guint               active;
  GQueue              waiting;       /* GTask* */
  guint               pump_id;

  /* The records last read in this run ("kind/id" → TdmRecord with native and
   * etag): an update of such a record PUTs with If-Match straight away
   * instead of reading it again first. A stale entry costs a 412, never a
   * lost edit. Cleared when a run is prepared. */
  GHashTable         *seen;
};

G_DEFINE_FINAL_TYPE (TdmWebshopConnector, tdm_webshop_connector, TDM_TYPE_CONNECTOR)

#define WHAT _("the webshop")

/* One HTTP exchange, queued behind the rate cap. */
typedef struct {
  char           *method;
  char           *url;
  GBytes         *body;
  char           *if_match;
  char           *idempotency_key;
  TdmHttpOptions  options;
  gboolean        started;
} WsRequest;

typedef struct {
  SoupMessage *msg;
  GBytes      *body;
} WsResponse;

static void
ws_request_free (WsRequest *req)
{
  g_free (req->method);
  g_free (req->url);
  g_clear_pointer (&req->body, g_bytes_unref);
  g_free (req->if_match);
  g_free (req->idempotency_key);
  g_free (req);
}

static void
ws_response_free (WsResponse *resp)
{
  g_clear_object (&resp->msg);
  g_clear_pointer (&resp->body, g_bytes_unref);
  g_free (resp);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WsResponse, ws_response_free)

/* URLs */

static char *
resource_url (TdmWebshopConnector *self,
              const char          *path,
              const char          *id)
{
  if (id != NULL)
    {
      g_autofree char *escaped = g_uri_escape_string (id, NULL, FALSE);

      return g_strdup_printf ("%s/%s/%s", self->base_url, path, escaped);
    }
  return g_strdup_printf ("%s/%s", self->base_url, path);
}

/* Can this id be put in a path segment? Escaping keeps "/", "?", "#" and
 * "%" inside the segment, but "." and ".." stay dot segments, which URL
 * parsers remove together with the segment before them ("PUT /customers/..
 * " becomes "PUT /"): such a record cannot be addressed, so it is refused.
 * See docs/webshop-api.md (Endpoints). */
static gboolean
id_is_addressable (const char *id)
{
  return id != NULL && *id != '\0' && g_strcmp0 (id, ".") != 0 && g_strcmp0 (id, "..") != 0;
}

static char *
unaddressable_id_message (TdmKind     kind,
                          const char *id,
                          const char *id_field)
{
  return g_strdup_printf (_("The webshop %s with id “%s” cannot be synced: “%s” cannot be used "
                            "in a web address, so Tandem could not read or change exactly this "
                            "record. Give it another id (field “%s”) in the webshop."),
                          tdm_kind_display_name (kind), id ? id : "", id ? id : "", id_field);
}

/* Refuses a request for a record whose id cannot be addressed: a record
 * error naming the id field, and a VALIDATION error. */
static gboolean
check_addressable (TdmWebshopConnector  *self,
                   TdmKind               kind,
                   const char           *id,
                   GError              **error)
{
  const TdmWebshopResource *res = tdm_webshop_profile_get_resource (self->profile, kind);
  g_autofree char *message = NULL;

  if (id_is_addressable (id))
    return TRUE;
  message = unaddressable_id_message (kind, id, res->id_field);
  _tdm_connector_set_record_error (TDM_CONNECTOR (self),
                                   tdm_record_error_new (TDM_SIDE_WEBSHOP, kind, id,
                                                         res->id_field, message));
  g_set_error_literal (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_VALIDATION, message);
  return FALSE;
}

static void
append_param (GString    *url,
              const char *name,
              const char *value)
{
  g_autofree char *n = g_uri_escape_string (name, NULL, FALSE);
  g_autofree char *v = g_uri_escape_string (value, NULL, FALSE);

  g_string_append_printf (url, "%c%s=%s", strchr (url->str, '?') ? '&' : '?', n, v);
}

static void
string_append_take (GString *string,
                    char    *text)
{
  g_string_append (string, text);
  g_free (text);
}

/* A next-page link must stay on the configured site: credentials go with it. */
static gboolean
same_origin (TdmWebshopConnector  *self,
             const char           *url,
             GError              **error)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);

  if (uri != NULL
      && g_ascii_strcasecmp (g_uri_get_scheme (uri), g_uri_get_scheme (self->base_uri)) == 0
      && g_ascii_strcasecmp (g_uri_get_host (uri) ? g_uri_get_host (uri) : "",
                             g_uri_get_host (self->base_uri)) == 0
      && g_uri_get_port (uri) == g_uri_get_port (self->base_uri))
    return TRUE;

  g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_INVALID_RESPONSE,
               _("The webshop pointed to another site (%s) for the next page. Tandem does not "
                 "send your credentials there; check the webshop's paging settings."),
               uri && g_uri_get_host (uri) ? g_uri_get_host (uri) : url);
  return FALSE;
}

/* Every request stays on the configured site and below its base path, as
 * libsoup will send it (after it decoded "%2e" and removed dot segments):
 * a profile path or a record id can never address anything else there.
 * See docs/webshop-api.md (Profiles). */
static gboolean
below_base (TdmWebshopConnector  *self,
            const char           *url,
            GError              **error)
{
  g_autoptr(GUri) base = g_uri_parse (self->base_url, SOUP_HTTP_URI_FLAGS, NULL);
  g_autoptr(GUri) uri = NULL;
  const char *base_path;
  const char *path;
  gsize len;

  if (!same_origin (self, url, error))
    return FALSE;
  uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);
  base_path = base ? g_uri_get_path (base) : "";
  path = uri ? g_uri_get_path (uri) : "";
  len = strlen (base_path);
  while (len > 0 && base_path[len - 1] == '/')
    len--;
  if (base != NULL && uri != NULL && strncmp (path, base_path, len) == 0
      && (path[len] == '\0' || path[len] == '/'))
    return TRUE;
  g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_CONFIG,
               _("Tandem refused to send a request to %s: it is outside the webshop address "
                 "%s. Check the paths in the webshop profile."), path, self->base_url);
  return FALSE;
}

/* Sending, behind the profile's rate cap */

static void pump_queue (TdmWebshopConnector *self);

static SoupMessage *
build_message (gpointer user_data)
{
  GTask *task = user_data;
  TdmWebshopConnector *self = g_task_get_source_object (task);
  WsRequest *req = g_task_get_task_data (task);
  SoupMessage *msg = soup_message_new (req->method, req->url);
  SoupMessageHeaders *headers;

  if (msg == NULL)
    return NULL;
  /* Credentials go to the configured host only: never follow a redirect. */
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  headers = soup_message_get_request_headers (msg);
  soup_message_headers_replace (headers, "Accept", "application/json");

  if (self->secret != NULL)
    {
      switch (self->auth)
        {
        case TDM_WEBSHOP_AUTH_BASIC:
          {
            g_autofree char *pair = g_strdup_printf ("%s:%s", self->user ? self->user : "",
                                                     self->secret);
            g_autofree char *b64 = g_base64_encode ((const guchar *) pair, strlen (pair));
            g_autofree char *value = g_strdup_printf ("Basic %s", b64);

            soup_message_headers_replace (headers, "Authorization", value);
            memset (pair, 0, strlen (pair));
          }
          break;
        case TDM_WEBSHOP_AUTH_HEADER:
          soup_message_headers_replace (headers, self->header, self->secret);
          break;
        case TDM_WEBSHOP_AUTH_BEARER:
        case TDM_WEBSHOP_AUTH_PROFILE:
        default:
          {
            g_autofree char *value = g_strdup_printf ("Bearer %s", self->secret);

            soup_message_headers_replace (headers, "Authorization", value);
          }
          break;
        }
    }

  if (req->if_match != NULL)
    {
      g_autofree char *quoted = req->if_match[0] == '"' || g_str_has_prefix (req->if_match, "W/")
                                ? g_strdup (req->if_match)
                                : g_strdup_printf ("\"%s\"", req->if_match);

      soup_message_headers_replace (headers, "If-Match", quoted);
    }
  if (req->idempotency_key != NULL)
    soup_message_headers_replace (headers, "Idempotency-Key", req->idempotency_key);
  if (req->body != NULL)
    soup_message_set_request_body_from_bytes (msg, "application/json; charset=utf-8", req->body);

  return msg;
}

static void
on_http_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TdmWebshopConnector *self = g_task_get_source_object (task);
  g_autoptr(SoupMessage) msg = NULL;
  GError *error = NULL;
  GBytes *body = tdm_http_send_finish (result, &msg, &error);
  WsResponse *resp;

  self->active--;
  pump_queue (self);

  if (body == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  resp = g_new0 (WsResponse, 1);
  resp->msg = g_steal_pointer (&msg);
  resp->body = body;
  g_task_return_pointer (task, resp, (GDestroyNotify) ws_response_free);
}

static void
start_request (TdmWebshopConnector *self,
               GTask               *task)
{
  WsRequest *req = g_task_get_task_data (task);

  req->started = TRUE;
  self->active++;
  g_debug ("%s: %s %s", G_STRFUNC, req->method, req->url);
  tdm_http_send_async (self->session, &req->options, build_message, task, NULL,
                       g_task_get_cancellable (task), on_http_done_cb, task);
}

static gboolean
on_pump_timeout_cb (gpointer user_data)
{
  TdmWebshopConnector *self = user_data;

  self->pump_id = 0;
  pump_queue (self);
  return G_SOURCE_REMOVE;
}

static void
refill_tokens (TdmWebshopConnector *self)
{
  gint64 now = g_get_monotonic_time ();
  double rps = self->profile->requests_per_second;
  /* No bursts: requests are spaced 1/rps apart, so that no sliding second
   * ever holds more than the cap. */
  double capacity = 1.0;

  if (self->last_refill == 0)
    {
      self->tokens = capacity;
      self->last_refill = now;
      return;
    }
  self->tokens = MIN (capacity, self->tokens + (now - self->last_refill) * rps / G_USEC_PER_SEC);
  self->last_refill = now;
}

static void
pump_queue (TdmWebshopConnector *self)
{
  double rps = self->profile->requests_per_second;

  while (!g_queue_is_empty (&self->waiting) && self->active < self->profile->concurrency)
    {
      GTask *task;

      if (rps > 0)
        {
          refill_tokens (self);
          if (self->tokens < 1.0)
            {
              guint wait_ms = (guint) ((1.0 - self->tokens) * 1000.0 / rps) + 1;

              if (self->pump_id == 0)
                self->pump_id = g_timeout_add (wait_ms, on_pump_timeout_cb, self);
              return;
            }
          self->tokens -= 1.0;
        }

      task = g_queue_pop_head (&self->waiting);
      if (g_task_return_error_if_cancelled (task))
        {
          g_object_unref (task);
          if (rps > 0)
            self->tokens += 1.0;
          continue;
        }
      start_request (self, task);
    }
}

static void
queue_request (TdmWebshopConnector *self,
               GTask               *task)
{
  g_queue_push_tail (&self->waiting, task);
  pump_queue (self);
}

static void
on_secret_lookup_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  GTask *task = user_data;
  TdmWebshopConnector *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  char *secret = tdm_credential_store_lookup_finish (TDM_CREDENTIAL_STORE (source), result,
                                                     &error);

  if (secret == NULL && error == NULL)
    g_set_error (&error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_AUTH,
                 _("No webshop password or token is stored for %s. Enter it in Preferences."),
                 self->base_url);
  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  if (self->secret == NULL)
    {
      self->secret = g_strdup (secret);
      tdm_http_session_add_secret (self->session, self->secret);
    }
  tdm_credential_free (secret);
  queue_request (self, task);
}

/* Sends one request; the result is a WsResponse (status not yet mapped). */
static void
ws_send_async (TdmWebshopConnector  *self,
               const char           *method,
               const char           *url,
               JsonObject           *body,
               const char           *if_match,
               const char           *idempotency_key,
               const TdmHttpOptions *options,
               GCancellable         *cancellable,
               GAsyncReadyCallback   callback,
               gpointer              user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  WsRequest *req = g_new0 (WsRequest, 1);
  GError *error = NULL;

  g_task_set_source_tag (task, ws_send_async);
  req->method = g_strdup (method);
  req->url = g_strdup (url);
  if (body != NULL)
    {
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), body);
      char *text = json_to_string (node, FALSE);

      req->body = g_bytes_new_take (text, strlen (text));
    }
  req->if_match = g_strdup (if_match);
  req->idempotency_key = g_strdup (idempotency_key);
  req->options = options ? *options : self->options;
  g_task_set_task_data (task, req, (GDestroyNotify) ws_request_free);

  if (!below_base (self, url, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  if (self->secret == NULL && self->credentials != NULL)
    {
      tdm_credential_store_lookup_async (self->credentials, TDM_SIDE_WEBSHOP, self->account,
                                         cancellable, on_secret_lookup_cb, task);
      return;
    }
  queue_request (self, task);
}

static WsResponse *
ws_send_finish (TdmWebshopConnector  *self,
                GAsyncResult         *result,
                GError              **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Records */

static char *
canonical_field_name (TdmWebshopConnector *self,
                      TdmKind              kind,
                      const char          *native_field)
{
  TdmMapping *mapping = tdm_connector_get_mapping (TDM_CONNECTOR (self));
  g_autoptr(GRegex) index = NULL;
  g_autofree char *bare = NULL;
  GPtrArray *rows;

  if (native_field == NULL)
    return NULL;
  if (mapping == NULL)
    return g_strdup (native_field);

  /* "addresses[0].city" → "addresses[].city" as the mapping spells list paths. */
  index = g_regex_new ("\\[[0-9]+\\]", 0, 0, NULL);
  bare = g_regex_replace_literal (index, native_field, -1, 0, "[]", 0, NULL);
  rows = tdm_mapping_get_rows (mapping, kind);
  for (guint i = 0; rows != NULL && i < rows->len; i++)
    {
      const TdmMappingRow *row = rows->pdata[i];

      if (g_strcmp0 (row->webshop, bare) == 0 || g_strcmp0 (row->webshop, native_field) == 0)
        {
          /* A sub-row is named after its top-level list row, then itself. */
          if (row->parent >= 0)
            {
              const TdmMappingRow *parent = rows->pdata[row->parent];

              return g_strdup_printf ("%s.%s", parent->name, row->name);
            }
          return g_strdup (row->name);
        }
    }
  return g_strdup (native_field);
}

static char *
normalized_timestamp (const char *value)
{
  g_autoptr(GError) error = NULL;
  char *normal;

  if (value == NULL || *value == '\0')
    return NULL;
  normal = tdm_normalize_datetime (value, &error);
  return normal ? normal : g_strdup (value);
}

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
  TdmJsonTextProblem problem = tdm_json_text_find (native, &path);

  if (problem == TDM_JSON_TEXT_OK)
    return NULL;
  id = tdm_webshop_json_dup_string (native, res->id_field);
  if (id != NULL && (*id == '\0' || tdm_json_text_check (id) != TDM_JSON_TEXT_OK))
    g_clear_pointer (&id, g_free);
  field = canonical_field_name (self, kind, path);
  message = tdm_json_text_message (problem, TDM_SIDE_WEBSHOP, kind, id, field);
  return tdm_record_error_new (TDM_SIDE_WEBSHOP, kind, id, field, message);
}

/* Native → TdmRecord (canonical fields, native kept). NULL + problem when the
 * record has no usable id or holds unreadable text. */
static TdmRecord *
record_from_native (TdmWebshopConnector *self,
                    TdmKind              kind,
                    JsonObject          *native,
                    const char          *etag_header,
                    GPtrArray           *problems)
{
  const TdmWebshopResource *res = tdm_webshop_profile_get_resource (self->profile, kind);
  TdmMapping *mapping = tdm_connector_get_mapping (TDM_CONNECTOR (self));
  g_autofree char *id = tdm_webshop_json_dup_string (native, res->id_field);
  g_autofree char *updated_raw = tdm_webshop_json_dup_string (native, res->updated_at_field);
  g_autofree char *updated = normalized_timestamp (updated_raw);
  g_autofree char *etag = tdm_webshop_json_dup_string (native, res->etag_field);
  g_autofree char *twin = tdm_webshop_json_dup_string (native, res->shopify_id_field);
  g_autoptr(JsonObject) fields = NULL;
  TdmRecordError *unreadable = unreadable_text_error (self, kind, native);
  TdmRecord *record;

  if (unreadable != NULL)
    {
      if (problems != NULL)
        g_ptr_array_add (problems, unreadable);
      else
        tdm_record_error_free (unreadable);
      return NULL;
    }
  if (id == NULL || *id == '\0')
    {
      if (problems != NULL)
        g_ptr_array_add (problems,
                         tdm_record_error_new (TDM_SIDE_WEBSHOP, kind, NULL, res->id_field,
                                               _("A record from the webshop has no id and "
                                                 "was skipped. Check the id field in the "
                                                 "webshop profile.")));
      return NULL;
    }
  if (!id_is_addressable (id))
    {
      if (problems != NULL)
        {
          g_autofree char *message = unaddressable_id_message (kind, id, res->id_field);

          g_ptr_array_add (problems, tdm_record_error_new (TDM_SIDE_WEBSHOP, kind, id,
                                                           res->id_field, message));
        }
      return NULL;
    }
  if (etag == NULL && etag_header != NULL)
    {
      gsize len = strlen (etag_header);
      const char *e = g_str_has_prefix (etag_header, "W/") ? etag_header + 2 : etag_header;

      len = strlen (e);
      etag = len >= 2 && e[0] == '"' ? g_strndup (e + 1, len - 2) : g_strdup (e);
    }

  if (mapping != NULL)
    {
      g_autoptr(GPtrArray) local = g_ptr_array_new_with_free_func (
          (GDestroyNotify) tdm_record_error_free);

      fields = tdm_mapping_map_fields (mapping, kind, TDM_SIDE_WEBSHOP, native,
                                       tdm_connector_get_map_context (TDM_CONNECTOR (self)),
                                       local);
      for (guint i = 0; i < local->len; i++)
        {
          TdmRecordError *problem = local->pdata[i];

          if (problem->record_id == NULL)
            problem->record_id = g_strdup (id);
          if (problems != NULL)
            g_ptr_array_add (problems, g_steal_pointer (&local->pdata[i]));
        }
    }
  if (fields == NULL)
    fields = tdm_json_object_copy (native);

  record = tdm_record_new (TDM_SIDE_WEBSHOP, kind, id, updated, etag, fields, native);
  if (twin != NULL && *twin != '\0')
    tdm_record_set_twin_id (record, twin);
  return record;
}

/* Maps a failed status to a GError; for record-level problems also stores
 * a TdmRecordError on the connector (field named canonically). */
static gboolean
check_response (TdmWebshopConnector  *self,
                TdmKind               kind,
                const char           *record_id,
                WsResponse           *resp,
                GError              **error)
{
  g_autoptr(GError) local = NULL;
  g_autofree char *code = NULL, *message = NULL, *field = NULL, *existing = NULL;
  TdmRecordError *record_error;

  if (tdm_http_check_status (resp->msg, resp->body, WHAT, &local))
    return TRUE;

  if (local->domain == TDM_SYNC_ERROR
      && (local->code == TDM_SYNC_ERROR_VALIDATION || local->code == TDM_SYNC_ERROR_DUPLICATE
          || local->code == TDM_SYNC_ERROR_CONFLICT))
    {
      g_autofree char *canonical = NULL;

      tdm_http_parse_error_body (resp->body, &code, &message, &field, &existing);
      canonical = canonical_field_name (self, kind, field);
      if (g_strcmp0 (code, "idempotency_key_reused") == 0)
        {
          g_clear_error (&local);
          g_set_error_literal (&local, TDM_SYNC_ERROR, TDM_SYNC_ERROR_VALIDATION,
                               _("The webshop already received a different record under the "
                                 "same request key. The record will be sent again as a new "
                                 "request on the next pass."));
        }
      record_error = tdm_record_error_new (TDM_SIDE_WEBSHOP, kind, record_id, canonical,
                                           local->message);
      record_error->existing_id = g_strdup (existing);
      _tdm_connector_set_record_error (TDM_CONNECTOR (self), record_error);
    }
  g_propagate_error (error, g_steal_pointer (&local));
  return FALSE;
}

/* A 404 to a write (POST, PUT, DELETE, or the read before a PUT) means the
 * write did not happen: an error on the record that says so, never "done".
 * Replaces `error` (NOT_FOUND) with one naming the record; the code stays
 * NOT_FOUND for a PUT (the record may be gone) and for a POST. */
static void
explain_write_not_found (TdmWebshopConnector  *self,
                         TdmKind               kind,
                         const char           *id,
                         const char           *twin_id,
                         GError              **error)
{
  const TdmWebshopResource *res = tdm_webshop_profile_get_resource (self->profile, kind);
  g_autofree char *message = NULL;

  if (!g_error_matches (*error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_NOT_FOUND))
    return;
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
  _tdm_connector_set_record_error (TDM_CONNECTOR (self),
                                   tdm_record_error_new (TDM_SIDE_WEBSHOP, kind,
                                                         id ? id : twin_id, NULL, message));
  g_clear_error (error);
  g_set_error_literal (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_NOT_FOUND, message);
}

/* Records seen in this run */

static char *
seen_key (TdmKind     kind,
          const char *id)
{
  return g_strdup_printf ("%d/%s", kind, id);
}

static void
remember_record (TdmWebshopConnector *self,
                 TdmRecord           *record)
{
  if (record == NULL || record->deleted || record->native == NULL || record->etag == NULL)
    return;
  g_hash_table_replace (self->seen, seen_key (record->kind, record->id),
                        tdm_record_ref (record));
}

static void
forget_record (TdmWebshopConnector *self,
               TdmKind              kind,
               const char          *id)
{
  g_autofree char *key = seen_key (kind, id);

  g_hash_table_remove (self->seen, key);
}

static TdmRecord *
lookup_record (TdmWebshopConnector *self,
               TdmKind              kind,
               const char          *id)
{
  g_autofree char *key = seen_key (kind, id);

  return g_hash_table_lookup (self->seen, key);
}

static gboolean
etags_equal (const char *a,
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

/* list_changed */

typedef struct {
  TdmKind  kind;
  char    *since;
  gboolean deleted_phase;
  char    *request_url;
  guint64  page_number;   /* page paging */
  guint64  offset;        /* offset paging */
} ListState;

static void
list_state_free (ListState *state)
{
  g_free (state->since);
  g_free (state->request_url);
  g_free (state);
}

/* The URL of a records page (phase "r") for the given native cursor. */
static char *
build_list_url (TdmWebshopConnector       *self,
                const TdmWebshopResource  *res,
                const char                *since,
                const char                *native_cursor,
                ListState                 *state,
                GError                   **error)
{
  g_autoptr(GString) url = NULL;
  g_autofree char *limit = g_strdup_printf ("%u", res->page_size);

  if (res->paging == TDM_WEBSHOP_PAGING_LINK && native_cursor != NULL && *native_cursor)
    {
      if (!same_origin (self, native_cursor, error))
        return NULL;
      return g_strdup (native_cursor);
    }

  url = g_string_new (NULL);
  string_append_take (url, resource_url (self, res->path, NULL));
  if (since != NULL)
    append_param (url, res->param_updated_since, since);
  append_param (url, res->param_limit, limit);

  switch (res->paging)
    {
    case TDM_WEBSHOP_PAGING_CURSOR:
      if (native_cursor != NULL && *native_cursor)
        append_param (url, res->param_cursor, native_cursor);
      break;
    case TDM_WEBSHOP_PAGING_PAGE:
      {
        g_autofree char *page = NULL;

        state->page_number = 1;
        if (native_cursor != NULL && *native_cursor
            && !g_ascii_string_to_unsigned (native_cursor, 10, 1, G_MAXUINT32,
                                            &state->page_number, NULL))
          {
            g_set_error_literal (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_FAILED,
                                 _("The saved position in the webshop's list is not valid; "
                                   "the listing starts again."));
            return NULL;
          }
        page = g_strdup_printf ("%" G_GUINT64_FORMAT, state->page_number);
        append_param (url, res->param_page, page);
      }
      break;
    case TDM_WEBSHOP_PAGING_OFFSET:
      {
        g_autofree char *offset = NULL;

        state->offset = 0;
        if (native_cursor != NULL && *native_cursor
            && !g_ascii_string_to_unsigned (native_cursor, 10, 0, G_MAXUINT32,
                                            &state->offset, NULL))
          {
            g_set_error_literal (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_FAILED,
                                 _("The saved position in the webshop's list is not valid; "
                                   "the listing starts again."));
            return NULL;
          }
        offset = g_strdup_printf ("%" G_GUINT64_FORMAT, state->offset);
        append_param (url, res->param_offset, offset);
      }
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

  string_append_take (url, g_strdup_printf ("%s/%s", self->base_url, res->deleted_path));
  if (since != NULL)
    append_param (url, res->deleted_since_param, since);
  append_param (url, res->param_limit, limit);
  if (native_cursor != NULL && *native_cursor)
    append_param (url, res->param_cursor, native_cursor);
  return g_string_free (g_steal_pointer (&url), FALSE);
}

/* A page holding more items than asked for is refused: accepting it would
 * let a broken or hostile server push any amount of data in one answer and
 * break offset and page arithmetic. */
static gboolean
check_page_length (TdmWebshopConnector  *self,
                   guint                 n_items,
                   guint                 limit,
                   GError              **error)
{
  if (limit == 0 || n_items <= limit)
    return TRUE;
  g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_INVALID_RESPONSE,
               _("The webshop at %s sent %u items in one page although Tandem asked for at "
                 "most %u. The page was refused; check the webshop's paging settings, or set "
                 "the page size in the profile to the number the webshop sends."),
               g_uri_get_host (self->base_uri), n_items, limit);
  return FALSE;
}

/* The native cursor for the next records page, or NULL at the end. */
static char *
next_native_cursor (TdmWebshopConnector      *self,
                    const TdmWebshopResource *res,
                    ListState                *state,
                    WsResponse               *resp,
                    guint                     n_items,
                    char                     *body_cursor,   /* transfer full */
                    GError                  **error)
{
  switch (res->paging)
    {
    case TDM_WEBSHOP_PAGING_CURSOR:
      return body_cursor;
    case TDM_WEBSHOP_PAGING_PAGE:
      g_free (body_cursor);
      if (n_items < res->page_size)
        return NULL;
      return g_strdup_printf ("%" G_GUINT64_FORMAT, state->page_number + 1);
    case TDM_WEBSHOP_PAGING_OFFSET:
      g_free (body_cursor);
      if (n_items < res->page_size)
        return NULL;
      return g_strdup_printf ("%" G_GUINT64_FORMAT, state->offset + n_items);
    case TDM_WEBSHOP_PAGING_LINK:
    default:
      {
        const char *link = soup_message_headers_get_one (
            soup_message_get_response_headers (resp->msg), "Link");
        g_autofree char *next = tdm_webshop_parse_link_next (link);
        g_autoptr(GUri) resolved = NULL;
        char *absolute;

        g_free (body_cursor);
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
        if (!same_origin (self, absolute, error))
          {
            g_free (absolute);
            return NULL;
          }
        return absolute;
      }
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

static void
finish_records_page (GTask      *task,
                     WsResponse *resp)
{
  TdmWebshopConnector *self = g_task_get_source_object (task);
  ListState *state = g_task_get_task_data (task);
  const TdmWebshopResource *res = tdm_webshop_profile_get_resource (self->profile, state->kind);
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(TdmPage) page = g_new0 (TdmPage, 1);
  g_autofree char *body_cursor = NULL;
  g_autofree char *next = NULL;
  GError *error = NULL;

  if (!tdm_webshop_parse_list (resp->body, res, &items, &body_cursor, &error)
      || !check_page_length (self, items->len, res->page_size, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  page->records = g_ptr_array_new_with_free_func ((GDestroyNotify) tdm_record_unref);
  page->problems = g_ptr_array_new_with_free_func ((GDestroyNotify) tdm_record_error_free);
  for (guint i = 0; i < items->len; i++)
    {
      TdmRecord *record = record_from_native (self, state->kind, items->pdata[i], NULL,
                                              page->problems);

      if (record == NULL)
        continue;
      remember_record (self, record);
      if (record->updated_at != NULL
          && g_strcmp0 (record->updated_at, page->max_updated_at) > 0)
        {
          g_free (page->max_updated_at);
          page->max_updated_at = g_strdup (record->updated_at);
        }
      g_ptr_array_add (page->records, record);
    }

  g_ptr_array_sort (page->records, compare_records_by_update);

  next = next_native_cursor (self, res, state, resp, items->len,
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

static void
finish_deleted_page (GTask      *task,
                     WsResponse *resp)
{
  TdmWebshopConnector *self = g_task_get_source_object (task);
  ListState *state = g_task_get_task_data (task);
  const TdmWebshopResource *res = tdm_webshop_profile_get_resource (self->profile, state->kind);
  TdmWebshopResource contract = *res;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(TdmPage) page = g_new0 (TdmPage, 1);
  g_autofree char *next = NULL;
  GError *error = NULL;

  /* Tombstone pages always use the contract's envelope and cursor. */
  contract.items_key = (char *) "items";
  contract.next_cursor_key = (char *) "next_cursor";
  contract.paging = TDM_WEBSHOP_PAGING_CURSOR;
  if (!tdm_webshop_parse_list (resp->body, &contract, &items, &next, &error)
      || !check_page_length (self, items->len, res->page_size, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  page->records = g_ptr_array_new_with_free_func ((GDestroyNotify) tdm_record_unref);
  page->problems = g_ptr_array_new_with_free_func ((GDestroyNotify) tdm_record_error_free);
  for (guint i = 0; i < items->len; i++)
    {
      g_autofree char *id = tdm_webshop_json_dup_string (items->pdata[i], "id");
      g_autofree char *raw = tdm_webshop_json_dup_string (items->pdata[i], res->deleted_at_field);
      g_autofree char *deleted_at = normalized_timestamp (raw);

      if (id == NULL)
        continue;
      if (tdm_json_text_check (id) != TDM_JSON_TEXT_OK)
        {
          g_autofree char *message = tdm_json_text_message (tdm_json_text_check (id),
                                                            TDM_SIDE_WEBSHOP, state->kind,
                                                            NULL, "id");

          g_ptr_array_add (page->problems, tdm_record_error_new (TDM_SIDE_WEBSHOP, state->kind,
                                                                 NULL, "id", message));
          continue;
        }
      forget_record (self, state->kind, id);
      g_ptr_array_add (page->records,
                       tdm_record_new_tombstone (TDM_SIDE_WEBSHOP, state->kind, id, deleted_at));
    }
  if (next != NULL)
    page->next_cursor = g_strdup_printf ("d:%s", next);
  g_task_return_pointer (task, g_steal_pointer (&page), (GDestroyNotify) tdm_page_free);
}

static void
on_list_page_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TdmWebshopConnector *self = TDM_WEBSHOP_CONNECTOR (source);
  ListState *state = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(WsResponse) resp = ws_send_finish (self, result, &error);

  if (resp == NULL || !check_response (self, state->kind, NULL, resp, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (state->deleted_phase)
    finish_deleted_page (task, resp);
  else
    finish_records_page (task, resp);
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
  ListState *state = g_new0 (ListState, 1);
  GError *error = NULL;
  const char *native = NULL;
  g_autofree char *url = NULL;

  g_task_set_source_tag (task, tdm_webshop_connector_list_changed_async);
  state->kind = kind;
  state->since = g_strdup (since);
  g_task_set_task_data (task, state, (GDestroyNotify) list_state_free);

  if (cursor != NULL && g_str_has_prefix (cursor, "d:"))
    {
      state->deleted_phase = TRUE;
      native = cursor + 2;
    }
  else if (cursor != NULL && g_str_has_prefix (cursor, "r:"))
    native = cursor + 2;
  else if (cursor != NULL && *cursor != '\0')
    native = cursor;  /* a cursor from an older version: records phase */

  url = state->deleted_phase ? build_deleted_url (self, res, since, native)
                             : build_list_url (self, res, since, native, state, &error);
  if (url == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  ws_send_async (self, "GET", url, NULL, NULL, NULL, NULL, cancellable, on_list_page_cb,
                 g_steal_pointer (&task));
}

static TdmPage *
tdm_webshop_connector_list_changed_finish (TdmConnector  *connector,
                                           GAsyncResult  *result,
                                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, connector), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* get */

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

/* FALSE with a VALIDATION error and the record error when `native` holds
 * unreadable text (see unreadable_text_error). */
static gboolean
check_readable_text (TdmWebshopConnector  *self,
                     TdmKind               kind,
                     JsonObject           *native,
                     GError              **error)
{
  TdmRecordError *unreadable = unreadable_text_error (self, kind, native);

  if (unreadable == NULL)
    return TRUE;
  g_set_error_literal (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_VALIDATION, unreadable->message);
  _tdm_connector_set_record_error (TDM_CONNECTOR (self), unreadable);
  return FALSE;
}

static TdmRecord *
record_from_response (TdmWebshopConnector  *self,
                      TdmKind               kind,
                      WsResponse           *resp,
                      GError              **error)
{
  g_autoptr(JsonObject) native = tdm_webshop_parse_record (resp->body, error);
  const char *etag;
  TdmRecord *record;

  if (native == NULL || !check_readable_text (self, kind, native, error))
    return NULL;
  etag = soup_message_headers_get_one (soup_message_get_response_headers (resp->msg), "ETag");
  record = record_from_native (self, kind, native, etag, NULL);
  if (record == NULL)
    g_set_error_literal (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_INVALID_RESPONSE,
                         _("The webshop answered with a record that has no id. Check the id "
                           "field in the webshop profile."));
  return record;
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
  g_autoptr(WsResponse) resp = ws_send_finish (self, result, &error);
  TdmRecord *record;

  if (resp == NULL || !check_response (self, state->kind, state->id, resp, &error))
    {
      if (g_error_matches (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_NOT_FOUND))
        forget_record (self, state->kind, state->id);
      g_task_return_error (task, error);
      return;
    }
  record = record_from_response (self, state->kind, resp, &error);
  if (record == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  remember_record (self, record);
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
  const TdmWebshopResource *res = tdm_webshop_profile_get_resource (self->profile, kind);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  GetState *state = g_new0 (GetState, 1);
  g_autofree char *url = resource_url (self, res->path, id);
  GError *error = NULL;

  g_task_set_source_tag (task, tdm_webshop_connector_get_async);
  state->kind = kind;
  state->id = g_strdup (id);
  g_task_set_task_data (task, state, (GDestroyNotify) get_state_free);
  if (!check_addressable (self, kind, id, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  ws_send_async (self, "GET", url, NULL, NULL, NULL, NULL, cancellable, on_get_cb, task);
}

static TdmRecord *
tdm_webshop_connector_get_finish (TdmConnector  *connector,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, connector), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* create */

typedef struct {
  TdmKind     kind;
  char       *id;          /* update: the record; create: NULL */
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

static JsonObject *
unmap_for_webshop (TdmWebshopConnector  *self,
                   TdmKind               kind,
                   JsonObject           *fields,
                   gboolean              for_create,
                   GError              **error)
{
  TdmMapping *mapping = tdm_connector_get_mapping (TDM_CONNECTOR (self));
  g_autofree const char **only = NULL;

  if (mapping == NULL)
    return tdm_json_object_copy (fields);
  if (!for_create)
    {
      g_autoptr(GList) names = json_object_get_members (fields);
      guint i = 0;

      only = g_new0 (const char *, g_list_length (names) + 1);
      for (GList *l = names; l != NULL; l = l->next)
        only[i++] = l->data;
    }
  return tdm_mapping_unmap_fields (mapping, kind, TDM_SIDE_WEBSHOP, fields, for_create,
                                   (const char * const *) only,
                                   tdm_connector_get_map_context (TDM_CONNECTOR (self)), error);
}

static void
return_write_result (GTask      *task,
                     WsResponse *resp)
{
  TdmWebshopConnector *self = g_task_get_source_object (task);
  WriteState *state = g_task_get_task_data (task);
  GError *error = NULL;
  TdmRecord *record = record_from_response (self, state->kind, resp, &error);
  TdmWriteResult *write;

  if (record == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  remember_record (self, record);
  write = g_new0 (TdmWriteResult, 1);
  write->record = record;
  g_task_return_pointer (task, write, (GDestroyNotify) tdm_write_result_free);
}

static void
on_create_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TdmWebshopConnector *self = TDM_WEBSHOP_CONNECTOR (source);
  WriteState *state = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(WsResponse) resp = ws_send_finish (self, result, &error);

  if (resp == NULL || !check_response (self, state->kind, state->twin_id, resp, &error))
    {
      explain_write_not_found (self, state->kind, NULL, state->twin_id, &error);
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
  WriteState *state = g_new0 (WriteState, 1);
  g_autoptr(JsonObject) native = NULL;
  g_autoptr(JsonObject) body = NULL;
  g_autofree char *url = resource_url (self, res->path, NULL);
  GError *error = NULL;

  g_task_set_source_tag (task, tdm_webshop_connector_create_async);
  state->kind = kind;
  state->twin_id = g_strdup (twin_id);
  state->op_id = g_strdup (op_id);
  g_task_set_task_data (task, state, (GDestroyNotify) write_state_free);

  native = unmap_for_webshop (self, kind, fields, TRUE, &error);
  if (native == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  body = tdm_webshop_build_write_body (native, res, twin_id);
  ws_send_async (self, "POST", url, body, NULL, op_id, NULL, cancellable, on_create_cb,
                 g_steal_pointer (&task));
}

static TdmWriteResult *
tdm_webshop_connector_write_finish (TdmConnector  *connector,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, connector), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* update: GET the full record (PUT replaces it), merge, PUT with If-Match */

static void
merge_objects (JsonObject *into,
               JsonObject *from)
{
  g_autoptr(GList) names = json_object_get_members (from);

  for (GList *l = names; l != NULL; l = l->next)
    {
      JsonNode *value = json_object_get_member (from, l->data);
      JsonNode *existing = json_object_get_member (into, l->data);

      if (existing != NULL && JSON_NODE_HOLDS_OBJECT (existing) && JSON_NODE_HOLDS_OBJECT (value))
        merge_objects (json_node_get_object (existing), json_node_get_object (value));
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
  g_autoptr(WsResponse) resp = ws_send_finish (self, result, &error);

  if (resp == NULL || !check_response (self, state->kind, state->id, resp, &error))
    {
      /* Whatever happened, read the record again before the next write. */
      forget_record (self, state->kind, state->id);
      explain_write_not_found (self, state->kind, state->id, NULL, &error);
      g_task_return_error (task, error);
      return;
    }
  return_write_result (task, resp);
}

static void
conflict_error (TdmWebshopConnector *self,
                WriteState          *state,
                GError             **error)
{
  g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_CONFLICT,
               _("The %s with webshop id %s was changed in the webshop while Tandem was "
                 "updating it. It will be read again and synced on the next pass."),
               tdm_kind_display_name (state->kind), state->id);
  _tdm_connector_set_record_error (TDM_CONNECTOR (self),
                                   tdm_record_error_new (TDM_SIDE_WEBSHOP, state->kind,
                                                         state->id, NULL, (*error)->message));
}

/* Merge the changes into the full record and PUT it with If-Match. Takes
 * the task. */
static void
send_update (GTask      *task,
             JsonObject *current,
             const char *current_etag)
{
  TdmWebshopConnector *self = g_task_get_source_object (task);
  WriteState *state = g_task_get_task_data (task);
  const TdmWebshopResource *res = tdm_webshop_profile_get_resource (self->profile, state->kind);
  g_autoptr(JsonObject) merged = tdm_json_object_copy (current);
  g_autoptr(JsonObject) changes = NULL;
  g_autoptr(JsonObject) body = NULL;
  g_autofree char *url = NULL;
  GCancellable *cancellable = g_task_get_cancellable (task);
  GError *error = NULL;

  changes = unmap_for_webshop (self, state->kind, state->fields, FALSE, &error);
  if (changes == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  merge_objects (merged, changes);
  body = tdm_webshop_build_write_body (merged, res, state->twin_id);
  url = resource_url (self, res->path, state->id);
  ws_send_async (self, "PUT", url, body, state->etag ? state->etag : current_etag, NULL, NULL,
                 cancellable, on_update_put_cb, task);
}

static void
on_update_get_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TdmWebshopConnector *self = TDM_WEBSHOP_CONNECTOR (source);
  WriteState *state = g_task_get_task_data (task);
  const TdmWebshopResource *res = tdm_webshop_profile_get_resource (self->profile, state->kind);
  GError *error = NULL;
  g_autoptr(WsResponse) resp = ws_send_finish (self, result, &error);
  g_autoptr(JsonObject) current = NULL;
  g_autofree char *current_etag = NULL;
  const char *header_etag;

  if (resp == NULL || !check_response (self, state->kind, state->id, resp, &error))
    {
      explain_write_not_found (self, state->kind, state->id, NULL, &error);
      g_task_return_error (task, error);
      return;
    }
  current = tdm_webshop_parse_record (resp->body, &error);
  /* PUT sends the whole record back: only one that was read in full. */
  if (current != NULL && !check_readable_text (self, state->kind, current, &error))
    g_clear_pointer (&current, json_object_unref);
  if (current == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  current_etag = tdm_webshop_json_dup_string (current, res->etag_field);
  header_etag = soup_message_headers_get_one (soup_message_get_response_headers (resp->msg),
                                              "ETag");
  if (current_etag == NULL && header_etag != NULL)
    current_etag = g_strdup (header_etag);
  /* Changed since the engine read it: re-read and re-plan, write nothing. */
  if (state->etag != NULL && current_etag != NULL && !etags_equal (state->etag, current_etag))
    {
      conflict_error (self, state, &error);
      g_task_return_error (task, error);
      return;
    }
  send_update (g_steal_pointer (&task), current, current_etag);
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
  const TdmWebshopResource *res = tdm_webshop_profile_get_resource (self->profile, kind);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  WriteState *state = g_new0 (WriteState, 1);
  g_autofree char *url = resource_url (self, res->path, id);
  TdmRecord *seen;
  GError *error = NULL;

  g_task_set_source_tag (task, tdm_webshop_connector_update_async);
  state->kind = kind;
  state->id = g_strdup (id);
  state->etag = g_strdup (etag);
  state->twin_id = g_strdup (twin_id);
  state->op_id = g_strdup (op_id);
  state->fields = fields ? json_object_ref (fields) : json_object_new ();
  g_task_set_task_data (task, state, (GDestroyNotify) write_state_free);
  if (!check_addressable (self, kind, id, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  /* PUT replaces the record, so Tandem needs all of it: the copy read in
   * this run when its etag is the one the caller planned with (If-Match
   * guards the rest), else a fresh read. */
  seen = lookup_record (self, kind, id);
  if (seen != NULL && (etag == NULL || etags_equal (etag, seen->etag)))
    {
      g_autoptr(TdmRecord) keep = tdm_record_ref (seen);

      if (state->etag == NULL)
        state->etag = g_strdup (keep->etag);
      send_update (task, keep->native, keep->etag);
      return;
    }
  ws_send_async (self, "GET", url, NULL, NULL, NULL, NULL, cancellable, on_update_get_cb, task);
}

/* Prepare: a new run reads everything afresh. */

static void
tdm_webshop_connector_prepare_async (TdmConnector        *connector,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  TdmWebshopConnector *self = TDM_WEBSHOP_CONNECTOR (connector);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, tdm_webshop_connector_prepare_async);
  g_hash_table_remove_all (self->seen);
  g_task_return_boolean (task, TRUE);
}

static gboolean
tdm_webshop_connector_prepare_finish (TdmConnector  *connector,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, connector), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* delete */

static void
on_delete_check_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TdmWebshopConnector *self = TDM_WEBSHOP_CONNECTOR (source);
  GetState *state = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(WsResponse) resp = ws_send_finish (self, result, &error);
  guint status;
  g_autofree char *message = NULL;

  if (resp == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  status = soup_message_get_status (resp->msg);
  if (status == 404 || status == 410)
    {
      forget_record (self, state->kind, state->id);
      g_task_return_boolean (task, TRUE);
      return;
    }
  if (!check_response (self, state->kind, state->id, resp, &error))
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
  _tdm_connector_set_record_error (TDM_CONNECTOR (self),
                                   tdm_record_error_new (TDM_SIDE_WEBSHOP, state->kind, state->id,
                                                         NULL, message));
  g_task_return_new_error (task, TDM_SYNC_ERROR, TDM_SYNC_ERROR_VALIDATION, "%s", message);
}

static void
on_delete_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TdmWebshopConnector *self = TDM_WEBSHOP_CONNECTOR (source);
  GetState *state = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(WsResponse) resp = ws_send_finish (self, result, &error);

  if (resp == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  /* "Not found" may mean already gone, which is what a delete wants, or
   * that the request missed the record: read it to tell. */
  if (soup_message_get_status (resp->msg) == 404)
    {
      const TdmWebshopResource *res = tdm_webshop_profile_get_resource (self->profile,
                                                                        state->kind);
      g_autofree char *url = resource_url (self, res->path, state->id);
      GCancellable *cancellable = g_task_get_cancellable (task);

      ws_send_async (self, "GET", url, NULL, NULL, NULL, NULL, cancellable, on_delete_check_cb,
                     g_steal_pointer (&task));
      return;
    }
  if (!check_response (self, state->kind, state->id, resp, &error))
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
  const TdmWebshopResource *res = tdm_webshop_profile_get_resource (self->profile, kind);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  GetState *state = g_new0 (GetState, 1);
  g_autofree char *url = resource_url (self, res->path, id);
  GError *error = NULL;

  g_task_set_source_tag (task, tdm_webshop_connector_delete_async);
  state->kind = kind;
  state->id = g_strdup (id);
  g_task_set_task_data (task, state, (GDestroyNotify) get_state_free);
  if (!check_addressable (self, kind, id, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  ws_send_async (self, "DELETE", url, NULL, NULL, NULL, NULL, cancellable, on_delete_cb, task);
}

static gboolean
tdm_webshop_connector_delete_finish (TdmConnector  *connector,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, connector), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Walking every record (list_ids, find_created) */

typedef struct {
  TdmKind    kind;
  ListState  list;
  GPtrArray *ids;        /* list_ids */
  char      *twin_id;    /* find_created: the shopify_id to look for */
  TdmRecord *found;
} WalkState;

static void
walk_state_free (WalkState *state)
{
  g_free (state->list.since);
  g_free (state->list.request_url);
  g_clear_pointer (&state->ids, g_ptr_array_unref);
  g_free (state->twin_id);
  g_clear_pointer (&state->found, tdm_record_unref);
  g_free (state);
}

static void walk_next_page (GTask *task, const char *native_cursor);

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
  g_autoptr(WsResponse) resp = ws_send_finish (self, result, &error);
  g_autoptr(GPtrArray) items = NULL;
  g_autofree char *body_cursor = NULL;
  g_autofree char *next = NULL;

  if (resp == NULL || !check_response (self, state->kind, NULL, resp, &error)
      || !tdm_webshop_parse_list (resp->body, res, &items, &body_cursor, &error)
      || !check_page_length (self, items->len, res->page_size, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  for (guint i = 0; i < items->len; i++)
    {
      g_autofree char *id = tdm_webshop_json_dup_string (items->pdata[i], res->id_field);

      if (id == NULL || tdm_json_text_check (id) != TDM_JSON_TEXT_OK)
        continue;
      if (state->ids != NULL)
        g_ptr_array_add (state->ids, g_steal_pointer (&id));
      else if (state->twin_id != NULL)
        {
          g_autofree char *twin = tdm_webshop_json_dup_string (items->pdata[i],
                                                               res->shopify_id_field);

          if (g_strcmp0 (twin, state->twin_id) == 0)
            {
              state->found = record_from_native (self, state->kind, items->pdata[i], NULL, NULL);
              g_task_return_pointer (task, g_steal_pointer (&state->found),
                                     (GDestroyNotify) tdm_record_unref);
              return;
            }
        }
    }

  next = next_native_cursor (self, res, &state->list, resp, items->len,
                             g_steal_pointer (&body_cursor), &error);
  if (error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (next != NULL)
    {
      walk_next_page (g_steal_pointer (&task), next);
      return;
    }
  if (state->ids != NULL)
    g_task_return_pointer (task, g_steal_pointer (&state->ids), (GDestroyNotify) g_ptr_array_unref);
  else
    g_task_return_pointer (task, NULL, NULL);
}

static void
walk_next_page (GTask      *task,
                const char *native_cursor)
{
  TdmWebshopConnector *self = g_task_get_source_object (task);
  WalkState *state = g_task_get_task_data (task);
  const TdmWebshopResource *res = tdm_webshop_profile_get_resource (self->profile, state->kind);
  GError *error = NULL;
  g_autofree char *url = build_list_url (self, res, NULL, native_cursor, &state->list, &error);

  if (url == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  ws_send_async (self, "GET", url, NULL, NULL, NULL, NULL, g_task_get_cancellable (task),
                 on_walk_page_cb, task);
}

static void
tdm_webshop_connector_list_ids_async (TdmConnector        *connector,
                                      TdmKind              kind,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  GTask *task = g_task_new (connector, cancellable, callback, user_data);
  WalkState *state = g_new0 (WalkState, 1);

  g_task_set_source_tag (task, tdm_webshop_connector_list_ids_async);
  state->kind = kind;
  state->list.kind = kind;
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

static void
tdm_webshop_connector_find_created_async (TdmConnector        *connector,
                                          TdmKind              kind,
                                          const char          *op_id,
                                          const char          *twin_id,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  GTask *task = g_task_new (connector, cancellable, callback, user_data);
  WalkState *state;

  g_task_set_source_tag (task, tdm_webshop_connector_find_created_async);
  if (twin_id == NULL || *twin_id == '\0')
    {
      /* Nothing to look for: the caller resends with the same key, which the
       * contract makes safe. */
      g_task_return_pointer (task, NULL, NULL);
      g_object_unref (task);
      return;
    }
  state = g_new0 (WalkState, 1);
  state->kind = kind;
  state->list.kind = kind;
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

/* test_connection */

static GError *
explain_connection_error (TdmWebshopConnector *self,
                          GError              *error)
{
  const char *host = g_uri_get_host (self->base_uri);
  GError *out = NULL;

  if (error->domain == G_RESOLVER_ERROR)
    out = g_error_new (TDM_SYNC_ERROR, TDM_SYNC_ERROR_CONFIG,
                       _("The webshop address %s could not be found. Check the address for "
                         "typing mistakes, and that this computer is online."), host);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
    out = g_error_new (TDM_SYNC_ERROR, TDM_SYNC_ERROR_CONFIG,
                       _("Nothing answered at %s. Check the address and port, and that the "
                         "webshop is running."), self->base_url);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE)
           || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE))
    out = g_error_new (TDM_SYNC_ERROR, TDM_SYNC_ERROR_OFFLINE,
                       _("The webshop at %s cannot be reached: there is no network "
                         "connection. Try again when this computer is online."), host);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    out = g_error_new (TDM_SYNC_ERROR, TDM_SYNC_ERROR_OFFLINE,
                       _("The webshop at %s did not answer in time. Check the address and "
                         "your network connection."), host);
  else if (error->domain == G_TLS_ERROR)
    out = g_error_new (TDM_SYNC_ERROR, TDM_SYNC_ERROR_CONFIG,
                       _("A secure connection to %s could not be made (%s). Check that the "
                         "address is right and that the shop's certificate is valid."),
                       host, error->message);
  else if (error->domain == TDM_SYNC_ERROR && error->code == TDM_SYNC_ERROR_NOT_FOUND)
    out = g_error_new (TDM_SYNC_ERROR, TDM_SYNC_ERROR_CONFIG,
                       _("There is no Webshop Sync API at %s: the shop answered “not found”. "
                         "Check the address; it usually ends in something like "
                         "/api/tandem/v1."), self->base_url);
  else if (error->domain == TDM_SYNC_ERROR && error->code == TDM_SYNC_ERROR_AUTH)
    {
      if (self->auth == TDM_WEBSHOP_AUTH_BASIC)
        out = g_error_new (TDM_SYNC_ERROR, TDM_SYNC_ERROR_AUTH,
                           _("The webshop at %s refused the user name or password. Check "
                             "them in Preferences."), host);
      else if (self->auth == TDM_WEBSHOP_AUTH_HEADER)
        out = g_error_new (TDM_SYNC_ERROR, TDM_SYNC_ERROR_AUTH,
                           _("The webshop at %s refused the API key. Check it in "
                             "Preferences."), host);
      else
        out = g_error_new (TDM_SYNC_ERROR, TDM_SYNC_ERROR_AUTH,
                           _("The webshop at %s refused the access token. Check it in "
                             "Preferences."), host);
    }
  else if (error->domain == TDM_SYNC_ERROR && error->code == TDM_SYNC_ERROR_INVALID_RESPONSE)
    out = g_error_new (TDM_SYNC_ERROR, TDM_SYNC_ERROR_INVALID_RESPONSE,
                       _("Something answered at %s, but not like a Webshop Sync API (%s). "
                         "Check the address and the webshop profile."),
                       self->base_url, error->message);

  if (out == NULL)
    return error;
  g_error_free (error);
  return out;
}

static void
on_test_connection_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TdmWebshopConnector *self = TDM_WEBSHOP_CONNECTOR (source);
  const TdmWebshopResource *res = tdm_webshop_profile_get_resource (self->profile,
                                                                    TDM_KIND_CUSTOMER);
  GError *error = NULL;
  g_autoptr(WsResponse) resp = ws_send_finish (self, result, &error);
  g_autoptr(GPtrArray) items = NULL;
  TdmShopInfo *info;

  if (resp == NULL
      || !tdm_http_check_status (resp->msg, resp->body, WHAT, &error)
      || !tdm_webshop_parse_list (resp->body, res, &items, NULL, &error))
    {
      g_task_return_error (task, explain_connection_error (self, error));
      return;
    }

  info = g_new0 (TdmShopInfo, 1);
  info->name = g_strdup (g_uri_get_host (self->base_uri));
  info->detail = g_strdup_printf (_("The Webshop Sync API answered (profile “%s”)."),
                                  self->profile->name);
  g_task_return_pointer (task, info, (GDestroyNotify) tdm_shop_info_free);
}

static void
tdm_webshop_connector_test_connection_async (TdmConnector        *connector,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data)
{
  TdmWebshopConnector *self = TDM_WEBSHOP_CONNECTOR (connector);
  const TdmWebshopResource *res = tdm_webshop_profile_get_resource (self->profile,
                                                                    TDM_KIND_CUSTOMER);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GString) url = g_string_new (NULL);
  TdmHttpOptions options = self->options;

  g_task_set_source_tag (task, tdm_webshop_connector_test_connection_async);
  string_append_take (url, resource_url (self, res->path, NULL));
  append_param (url, res->param_limit, "1");
  /* The user is waiting for an answer: one quick retry at most. */
  options.max_retries = MIN (options.max_retries, 1u);
  options.timeout_seconds = MIN (options.timeout_seconds, 15u);
  ws_send_async (self, "GET", url->str, NULL, NULL, NULL, &options, cancellable,
                 on_test_connection_cb, task);
}

static TdmShopInfo *
tdm_webshop_connector_test_connection_finish (TdmConnector  *connector,
                                              GAsyncResult  *result,
                                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, connector), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static guint64
tdm_webshop_connector_get_request_count (TdmConnector *connector)
{
  TdmWebshopConnector *self = TDM_WEBSHOP_CONNECTOR (connector);

  return tdm_http_session_get_request_count (self->session);
}

/* GObject */

static void
tdm_webshop_connector_dispose (GObject *object)
{
  TdmWebshopConnector *self = TDM_WEBSHOP_CONNECTOR (object);

  g_clear_handle_id (&self->pump_id, g_source_remove);
  g_queue_clear_full (&self->waiting, g_object_unref);
  g_clear_object (&self->session);
  g_clear_object (&self->credentials);
  if (self->seen != NULL)
    g_hash_table_remove_all (self->seen);

  G_OBJECT_CLASS (tdm_webshop_connector_parent_class)->dispose (object);
}

static void
tdm_webshop_connector_finalize (GObject *object)
{
  TdmWebshopConnector *self = TDM_WEBSHOP_CONNECTOR (object);

  g_free (self->base_url);
  g_clear_pointer (&self->base_uri, g_uri_unref);
  g_clear_pointer (&self->profile, tdm_webshop_profile_unref);
  g_free (self->user);
  g_free (self->header);
  if (self->secret != NULL)
    memset (self->secret, 0, strlen (self->secret));
  g_free (self->secret);
  g_free (self->account);
  g_clear_pointer (&self->seen, g_hash_table_unref);

  G_OBJECT_CLASS (tdm_webshop_connector_parent_class)->finalize (object);
}

static void
tdm_webshop_connector_class_init (TdmWebshopConnectorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  TdmConnectorClass *connector_class = TDM_CONNECTOR_CLASS (klass);

  object_class->dispose = tdm_webshop_connector_dispose;
  object_class->finalize = tdm_webshop_connector_finalize;

  connector_class->list_changed_async = tdm_webshop_connector_list_changed_async;
  connector_class->list_changed_finish = tdm_webshop_connector_list_changed_finish;
  connector_class->get_async = tdm_webshop_connector_get_async;
  connector_class->get_finish = tdm_webshop_connector_get_finish;
  connector_class->create_async = tdm_webshop_connector_create_async;
  connector_class->create_finish = tdm_webshop_connector_write_finish;
  connector_class->update_async = tdm_webshop_connector_update_async;
  connector_class->update_finish = tdm_webshop_connector_write_finish;
  connector_class->delete_async = tdm_webshop_connector_delete_async;
  connector_class->delete_finish = tdm_webshop_connector_delete_finish;
  connector_class->find_created_async = tdm_webshop_connector_find_created_async;
  connector_class->find_created_finish = tdm_webshop_connector_find_created_finish;
  connector_class->list_ids_async = tdm_webshop_connector_list_ids_async;
  connector_class->list_ids_finish = tdm_webshop_connector_list_ids_finish;
  connector_class->test_connection_async = tdm_webshop_connector_test_connection_async;
  connector_class->test_connection_finish = tdm_webshop_connector_test_connection_finish;
  connector_class->prepare_async = tdm_webshop_connector_prepare_async;
  connector_class->prepare_finish = tdm_webshop_connector_prepare_finish;
  connector_class->get_request_count = tdm_webshop_connector_get_request_count;
}

static void
tdm_webshop_connector_init (TdmWebshopConnector *self)
{
  tdm_http_options_init (&self->options);
  g_queue_init (&self->waiting);
  self->seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                      (GDestroyNotify) tdm_record_unref);
}

/* Public API */

TdmWebshopConnector *
tdm_webshop_connector_new (const char         *base_url,
                           TdmWebshopProfile  *profile,
                           TdmWebshopAuth      auth,
                           const char         *user_or_header,
                           const char         *secret,
                           TdmMapping         *mapping,
                           GError            **error)
{
  g_autoptr(TdmWebshopConnector) self = NULL;
  const char *secret_headers[2] = { NULL, NULL };
  gsize len;

  g_return_val_if_fail (base_url != NULL, NULL);
  g_return_val_if_fail (mapping == NULL || TDM_IS_MAPPING (mapping), NULL);

  if (!tdm_http_check_url (base_url, error))
    return NULL;

  self = g_object_new (TDM_TYPE_WEBSHOP_CONNECTOR,
                       "side", TDM_SIDE_WEBSHOP,
                       "mapping", mapping,
                       NULL);
  self->base_url = g_strdup (base_url);
  len = strlen (self->base_url);
  while (len > 0 && self->base_url[len - 1] == '/')
    self->base_url[--len] = '\0';
  self->base_uri = g_uri_parse (self->base_url, G_URI_FLAGS_NONE, NULL);
  self->profile = profile ? tdm_webshop_profile_ref (profile) : tdm_webshop_profile_new_default ();
  self->auth = auth == TDM_WEBSHOP_AUTH_PROFILE ? self->profile->auth : auth;
  if (self->auth == TDM_WEBSHOP_AUTH_BASIC)
    self->user = g_strdup (user_or_header);
  self->header = g_strdup (self->auth == TDM_WEBSHOP_AUTH_HEADER && user_or_header && *user_or_header
                           ? user_or_header : self->profile->auth_header);
  self->secret = g_strdup (secret);

  secret_headers[0] = self->header;
  self->session = tdm_http_session_new (&self->options, secret_headers);
  tdm_http_session_add_secret (self->session, self->secret);

  return g_steal_pointer (&self);
}

void
tdm_webshop_connector_set_credentials (TdmWebshopConnector *self,
                                       TdmCredentialStore  *store,
                                       const char          *account)
{
  g_return_if_fail (TDM_IS_WEBSHOP_CONNECTOR (self));
  g_return_if_fail (store == NULL || TDM_IS_CREDENTIAL_STORE (store));

  g_set_object (&self->credentials, store);
  g_free (self->account);
  self->account = g_strdup (account ? account : self->base_url);
}

void
tdm_webshop_connector_set_http_options (TdmWebshopConnector  *self,
                                        const TdmHttpOptions *options)
{
  const char *secret_headers[2] = { NULL, NULL };

  g_return_if_fail (TDM_IS_WEBSHOP_CONNECTOR (self));
  g_return_if_fail (options != NULL);

  self->options = *options;
  /* The session carries the timeout: rebuild it (no request may be running). */
  g_return_if_fail (self->active == 0);
  secret_headers[0] = self->header;
  g_clear_object (&self->session);
  self->session = tdm_http_session_new (&self->options, secret_headers);
  tdm_http_session_add_secret (self->session, self->secret);
}

const char *
tdm_webshop_connector_get_base_url (TdmWebshopConnector *self)
{
  g_return_val_if_fail (TDM_IS_WEBSHOP_CONNECTOR (self), NULL);
  return self->base_url;
}

TdmWebshopProfile *
tdm_webshop_connector_get_profile (TdmWebshopConnector *self)
{
  g_return_val_if_fail (TDM_IS_WEBSHOP_CONNECTOR (self), NULL);
  return self->profile;
}
