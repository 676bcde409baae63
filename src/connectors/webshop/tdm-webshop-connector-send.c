/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-webshop"

#include "config.h"

#include "tdm-webshop-connector-private.h"

#include <string.h>
#include <glib/gi18n-lib.h>

/* Sending one request to the webshop, behind the profile's rate cap: a
 * token bucket (no bursts, requests spaced 1/rps apart) and a limit on
 * requests in flight (docs/webshop-api.md, Rate limits). The secret is
 * looked up before the first request when none was given. */

/* One HTTP exchange, queued behind the rate cap (the task data). */
typedef struct {
  char           *method;
  char           *url;
  GBytes         *body;
  char           *if_match;
  char           *idempotency_key;
  TdmHttpOptions  options;
  gboolean        started;
} WsRequest;

static void pump_queue (TdmWebshopConnector *self);

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

void
_tdm_webshop_response_free (WsResponse *resp)
{
  g_clear_object (&resp->msg);
  g_clear_pointer (&resp->body, g_bytes_unref);
  g_free (resp);
}

/* ---- Building a message ---- */

static void
add_credentials (TdmWebshopConnector *self,
                 SoupMessageHeaders  *headers)
{
  g_assert (TDM_IS_WEBSHOP_CONNECTOR (self));
  g_assert (headers != NULL);

  if (self->secret == NULL)
    return;

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

/* A bare tag is quoted; a quoted or weak one is sent as it is. */
static void
add_if_match (SoupMessageHeaders *headers,
              const char         *if_match)
{
  g_autofree char *quoted = NULL;

  g_assert (headers != NULL);
  g_assert (if_match != NULL);

  quoted = if_match[0] == '"' || g_str_has_prefix (if_match, "W/")
           ? g_strdup (if_match)
           : g_strdup_printf ("\"%s\"", if_match);
  soup_message_headers_replace (headers, "If-Match", quoted);
}

/* The TdmHttpBuildFunc: a fresh message for every attempt. */
static SoupMessage *
build_message (gpointer user_data)
{
  GTask *task = user_data;
  TdmWebshopConnector *self;
  WsRequest *req;
  SoupMessage *msg;
  SoupMessageHeaders *headers;

  g_assert (G_IS_TASK (task));

  self = g_task_get_source_object (task);
  req = g_task_get_task_data (task);
  msg = soup_message_new (req->method, req->url);
  if (msg == NULL)
    return NULL;
  /* Credentials go to the configured host only: never follow a redirect. */
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  headers = soup_message_get_request_headers (msg);
  soup_message_headers_replace (headers, "Accept", "application/json");
  add_credentials (self, headers);
  if (req->if_match != NULL)
    add_if_match (headers, req->if_match);
  if (req->idempotency_key != NULL)
    soup_message_headers_replace (headers, "Idempotency-Key", req->idempotency_key);
  if (req->body != NULL)
    soup_message_set_request_body_from_bytes (msg, "application/json; charset=utf-8", req->body);

  return msg;
}

/* ---- The rate cap ---- */

static void
on_http_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TdmWebshopConnector *self = g_task_get_source_object (task);
  g_autoptr(SoupMessage) msg = NULL;
  GError *error = NULL;
  GBytes *body;
  WsResponse *resp;

  g_assert (TDM_IS_WEBSHOP_CONNECTOR (self));
  g_assert (self->active > 0);

  body = tdm_http_send_finish (result, &msg, &error);
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
  g_task_return_pointer (task, resp, (GDestroyNotify) _tdm_webshop_response_free);
}

/* Takes `task`. */
static void
start_request (TdmWebshopConnector *self,
               GTask               *task)
{
  WsRequest *req = g_task_get_task_data (task);

  g_assert (TDM_IS_WEBSHOP_CONNECTOR (self));
  g_assert (req != NULL && !req->started);

  req->started = TRUE;
  self->active++;
  g_debug ("%s: %s %s", G_STRFUNC, req->method, req->url);
  tdm_http_send_async (self->session, &req->options, build_message, g_object_ref (task),
                       g_object_unref, g_task_get_cancellable (task), on_http_done_cb, task);
}

static gboolean
on_pump_timeout_cb (gpointer user_data)
{
  TdmWebshopConnector *self = user_data;

  g_assert (TDM_IS_WEBSHOP_CONNECTOR (self));

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

  g_assert (rps > 0);

  if (self->last_refill == 0)
    {
      self->tokens = capacity;
      self->last_refill = now;
      return;
    }
  self->tokens = MIN (capacity, self->tokens + (now - self->last_refill) * rps / G_USEC_PER_SEC);
  self->last_refill = now;
}

/* Takes a token when one is there; otherwise schedules the next pump for
 * when one will be, and returns FALSE. */
static gboolean
take_token (TdmWebshopConnector *self)
{
  double rps = self->profile->requests_per_second;
  guint wait_ms;

  if (rps <= 0)
    return TRUE;
  refill_tokens (self);
  if (self->tokens >= 1.0)
    {
      self->tokens -= 1.0;
      return TRUE;
    }
  wait_ms = (guint) ((1.0 - self->tokens) * 1000.0 / rps) + 1;
  if (self->pump_id == 0)
    self->pump_id = g_timeout_add (wait_ms, on_pump_timeout_cb, self);
  return FALSE;
}

/* Starts the waiting requests the cap allows now. */
static void
pump_queue (TdmWebshopConnector *self)
{
  g_assert (TDM_IS_WEBSHOP_CONNECTOR (self));

  while (!g_queue_is_empty (&self->waiting) && self->active < self->profile->concurrency)
    {
      g_autoptr(GTask) task = NULL;

      if (!take_token (self))
        return;
      task = g_queue_pop_head (&self->waiting);
      if (g_task_return_error_if_cancelled (task))
        {
          /* Nothing was sent: the token goes back. */
          if (self->profile->requests_per_second > 0)
            self->tokens += 1.0;
          continue;
        }
      start_request (self, g_steal_pointer (&task));
    }
}

/* Takes `task`. */
static void
queue_request (TdmWebshopConnector *self,
               GTask               *task)
{
  g_assert (TDM_IS_WEBSHOP_CONNECTOR (self));
  g_assert (G_IS_TASK (task));

  g_queue_push_tail (&self->waiting, task);
  pump_queue (self);
}

/* ---- The secret ---- */

static void
on_secret_lookup_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TdmWebshopConnector *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  char *secret;

  g_assert (TDM_IS_WEBSHOP_CONNECTOR (self));

  secret = tdm_credential_store_lookup_finish (TDM_CREDENTIAL_STORE (source), result, &error);
  if (secret == NULL && error == NULL)
    g_set_error (&error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_AUTH,
                 _("No webshop password or token is stored for %s. Enter it in Preferences."),
                 self->base_url);
  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (self->secret == NULL)
    {
      self->secret = g_strdup (secret);
      tdm_http_session_add_secret (self->session, self->secret);
    }
  tdm_credential_free (secret);
  queue_request (self, g_steal_pointer (&task));
}

/* ---- Sending ---- */

static WsRequest *
ws_request_new (TdmWebshopConnector  *self,
                const char           *method,
                const char           *url,
                JsonObject           *body,
                const char           *if_match,
                const char           *idempotency_key,
                const TdmHttpOptions *options)
{
  WsRequest *req = g_new0 (WsRequest, 1);

  g_assert (method != NULL);
  g_assert (url != NULL);

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
  return req;
}

void
_tdm_webshop_connector_send_async (TdmWebshopConnector  *self,
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
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;

  g_assert (TDM_IS_WEBSHOP_CONNECTOR (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, _tdm_webshop_connector_send_async);
  g_task_set_task_data (task, ws_request_new (self, method, url, body, if_match,
                                              idempotency_key, options),
                        (GDestroyNotify) ws_request_free);

  if (!_tdm_webshop_connector_below_base (self, url, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  if (self->secret == NULL && self->credentials != NULL)
    {
      tdm_credential_store_lookup_async (self->credentials, TDM_SIDE_WEBSHOP, self->account,
                                         cancellable, on_secret_lookup_cb,
                                         g_steal_pointer (&task));
      return;
    }
  queue_request (self, g_steal_pointer (&task));
}

WsResponse *
_tdm_webshop_connector_send_finish (TdmWebshopConnector  *self,
                                    GAsyncResult         *result,
                                    GError              **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result))
                        == _tdm_webshop_connector_send_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

WsResponse *
_tdm_webshop_connector_receive (TdmWebshopConnector  *self,
                                GAsyncResult         *result,
                                GTask                *task,
                                TdmKind               kind,
                                const char           *record_id,
                                GError              **error)
{
  g_autoptr(WsResponse) resp = NULL;

  g_assert (TDM_IS_WEBSHOP_CONNECTOR (self));
  g_assert (G_IS_TASK (task));

  resp = _tdm_webshop_connector_send_finish (self, result, error);
  if (resp == NULL
      || !_tdm_webshop_connector_check_response (self, kind, record_id, resp, task, error))
    return NULL;
  return g_steal_pointer (&resp);
}

void
_tdm_webshop_connector_send_to_record (TdmWebshopConnector *self,
                                       GTask               *task,
                                       const char          *method,
                                       TdmKind              kind,
                                       const char          *id,
                                       GAsyncReadyCallback  callback)
{
  const TdmWebshopResource *res;
  g_autofree char *url = NULL;
  GError *error = NULL;

  g_assert (TDM_IS_WEBSHOP_CONNECTOR (self));
  g_assert (G_IS_TASK (task));
  g_assert (method != NULL && callback != NULL);
  g_assert ((guint) kind < TDM_N_KINDS);

  if (!_tdm_webshop_connector_check_addressable (self, kind, id, task, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  res = tdm_webshop_profile_get_resource (self->profile, kind);
  url = _tdm_webshop_connector_resource_url (self, res->path, id);
  _tdm_webshop_connector_send_async (self, method, url, NULL, NULL, NULL, NULL,
                                     g_task_get_cancellable (task), callback,
                                     g_object_ref (task));
}
