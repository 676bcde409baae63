/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-fake-webshop"

#include "config.h"

#include "tdm-fake-webshop-private.h"

#include <string.h>

/* TdmFakeWebshop: the Webshop Sync API (docs/webshop-api.md) in memory on
 * a loopback SoupServer. This file holds the GObject, the server, routing
 * a request to its handler, and the answers; the handlers and the controls
 * live in tdm-fake-webshop-*.c (see tdm-fake-webshop-private.h). */

G_DEFINE_FINAL_TYPE (TdmFakeWebshop, tdm_fake_webshop, G_TYPE_OBJECT)

static const TdmFakeRoute routes[] = {
  { "GET", "/customers" }, { "POST", "/customers" }, { "GET", "/customers/deleted" },
  { "GET", "/customers/{id}" }, { "PUT", "/customers/{id}" }, { "DELETE", "/customers/{id}" },
  { "GET", "/products" }, { "POST", "/products" }, { "GET", "/products/deleted" },
  { "GET", "/products/{id}" }, { "PUT", "/products/{id}" }, { "DELETE", "/products/{id}" },
  { "GET", "/orders" }, { "POST", "/orders" }, { "GET", "/orders/deleted" },
  { "GET", "/orders/{id}" }, { "PUT", "/orders/{id}" }, { "DELETE", "/orders/{id}" },
  { NULL, NULL }
};

static const char * const fault_names[] = {
  "none", "500", "502", "503", "429", "reset", "truncated", "malformed-json", "delay"
};

static void
fake_request_free (TdmFakeRequest *r)
{
  g_free (r->method);
  g_free (r->path);
  g_free (r->query);
  g_free (r->body);
  g_free (r->idempotency_key);
  g_free (r->if_match);
  g_free (r->authorization);
  g_free (r);
}

/* ---- Answers ---- */

TdmFakeRequest *
_tdm_fake_webshop_current_entry (SoupServerMessage *msg)
{
  return g_object_get_data (G_OBJECT (msg), "tdm-fake-request");
}

void
_tdm_fake_webshop_respond_text (SoupServerMessage *msg,
                                guint              status,
                                const char        *content_type,
                                char              *body)  /* transfer full, nullable */
{
  TdmFakeRequest *entry = _tdm_fake_webshop_current_entry (msg);

  if (entry != NULL)
    entry->status = status;
  soup_server_message_set_status (msg, status, NULL);
  if (body != NULL)
    soup_server_message_set_response (msg, content_type, SOUP_MEMORY_TAKE, body, strlen (body));
}

void
_tdm_fake_webshop_respond_json (SoupServerMessage *msg,
                                guint              status,
                                JsonNode          *node)
{
  _tdm_fake_webshop_respond_text (msg, status, "application/json", json_to_string (node, FALSE));
}

void
_tdm_fake_webshop_respond_object (SoupServerMessage *msg,
                                  guint              status,
                                  JsonObject        *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);

  _tdm_fake_webshop_respond_json (msg, status, node);
}

void
_tdm_fake_webshop_respond_error (SoupServerMessage *msg,
                                 guint              status,
                                 const char        *code,
                                 const char        *message,
                                 const char        *field,
                                 const char        *existing_id)
{
  g_autoptr(JsonObject) root = json_object_new ();
  JsonObject *error = json_object_new ();

  json_object_set_string_member (error, "code", code);
  json_object_set_string_member (error, "message", message);
  if (field != NULL)
    json_object_set_string_member (error, "field", field);
  if (existing_id != NULL)
    json_object_set_string_member (error, "existing_id", existing_id);
  json_object_set_object_member (root, "error", error);
  _tdm_fake_webshop_respond_object (msg, status, root);
}

void
_tdm_fake_webshop_respond_record (TdmFakeWebshop    *self,
                                  SoupServerMessage *msg,
                                  TdmKind            kind,
                                  guint              status,
                                  JsonObject        *record)
{
  g_autofree char *etag = tdm_webshop_json_dup_string (record, _tdm_fake_webshop_resource (self,
                                                       kind)->etag_field);

  if (etag != NULL)
    {
      g_autofree char *quoted = g_strdup_printf ("\"%s\"", etag);

      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "ETag",
                                    quoted);
    }
  _tdm_fake_webshop_respond_object (msg, status, record);
}

JsonObject *
_tdm_fake_webshop_parse_body (SoupServerMessage *msg)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (body == NULL || body->length == 0)
    return NULL;
  if (!json_parser_load_from_data (parser, body->data, body->length, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  return json_object_ref (json_node_get_object (root));
}

/* ---- Routing ---- */

static gboolean
match_resource (TdmFakeWebshop *self,
                const char     *path,
                TdmKind        *out_kind,
                char          **out_id,
                gboolean       *out_deleted)
{
  const char *rel = path[0] == '/' ? path + 1 : path;

  *out_id = NULL;
  *out_deleted = FALSE;
  for (guint k = 0; k < TDM_N_KINDS; k++)
    {
      const TdmWebshopResource *res = _tdm_fake_webshop_resource (self, k);
      gsize len = strlen (res->path);

      *out_kind = k;
      if (res->deleted_available && g_str_equal (rel, res->deleted_path))
        {
          *out_deleted = TRUE;
          return TRUE;
        }
      if (g_str_equal (rel, res->path))
        return TRUE;
      if (strncmp (rel, res->path, len) == 0 && rel[len] == '/' && rel[len + 1] != '\0'
          && strchr (rel + len + 1, '/') == NULL)
        {
          *out_id = g_uri_unescape_string (rel + len + 1, NULL);
          return *out_id != NULL;
        }
    }
  return FALSE;
}

static void
serve_api (TdmFakeWebshop    *self,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query)
{
  const char *method = soup_server_message_get_method (msg);
  g_autofree char *id = NULL;
  gboolean deleted;
  TdmKind kind;

  g_assert (TDM_IS_FAKE_WEBSHOP (self));

  if (!match_resource (self, path, &kind, &id, &deleted))
    {
      _tdm_fake_webshop_respond_error (msg, 404, "not_found", "No such endpoint.", NULL, NULL);
      return;
    }

  if (deleted || id == NULL)
    {
      if (g_str_equal (method, "GET"))
        {
          if (deleted)
            _tdm_fake_webshop_serve_deleted (self, msg, kind, query);
          else
            _tdm_fake_webshop_serve_list (self, msg, kind, query);
        }
      else if (!deleted && g_str_equal (method, "POST"))
        _tdm_fake_webshop_serve_create (self, msg, kind);
      else
        _tdm_fake_webshop_respond_error (msg, 405, "method_not_allowed", "Method not allowed.",
                                         NULL, NULL);
      return;
    }

  if (g_str_equal (method, "GET"))
    {
      JsonObject *record = g_hash_table_lookup (self->records[kind], id);

      if (record == NULL)
        _tdm_fake_webshop_respond_error (msg, 404, "not_found", "No such record.", NULL, NULL);
      else
        _tdm_fake_webshop_respond_record (self, msg, kind, 200, record);
    }
  else if (g_str_equal (method, "PUT"))
    _tdm_fake_webshop_serve_update (self, msg, kind, id);
  else if (g_str_equal (method, "DELETE"))
    _tdm_fake_webshop_serve_delete (self, msg, kind, id);
  else
    _tdm_fake_webshop_respond_error (msg, 405, "method_not_allowed", "Method not allowed.", NULL,
                                     NULL);
}

static void
on_message_finished (SoupServerMessage *msg,
                     gpointer           user_data)
{
  TdmFakeWebshop *self = user_data;

  g_assert (TDM_IS_FAKE_WEBSHOP (self));

  if (self->in_flight > 0)
    self->in_flight--;
}

static void
server_callback (SoupServer        *server,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  TdmFakeWebshop *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  TdmFakeRequest *entry = g_new0 (TdmFakeRequest, 1);
  GUri *uri = soup_server_message_get_uri (msg);
  TdmFakeFault fault;
  guint param = 0;

  g_assert (TDM_IS_FAKE_WEBSHOP (self));

  entry->method = g_strdup (soup_server_message_get_method (msg));
  entry->path = g_strdup (path);
  entry->query = g_strdup (g_uri_get_query (uri));
  if (body != NULL && body->length > 0)
    entry->body = g_strndup (body->data, body->length);
  entry->idempotency_key = g_strdup (soup_message_headers_get_one (headers, "Idempotency-Key"));
  entry->if_match = g_strdup (soup_message_headers_get_one (headers, "If-Match"));
  if (soup_message_headers_get_one (headers, "Authorization") != NULL
      || soup_message_headers_get_one (headers, self->profile->auth_header) != NULL)
    entry->authorization = g_strdup ("present");
  g_ptr_array_add (self->log, entry);
  g_object_set_data (G_OBJECT (msg), "tdm-fake-request", entry);

  self->in_flight++;
  self->max_in_flight = MAX (self->max_in_flight, self->in_flight);
  g_signal_connect_object (msg, "finished", G_CALLBACK (on_message_finished), self, 0);

  if (self->hook != NULL)
    self->hook (self, entry->method, path, self->hook_data);

  fault = _tdm_fake_webshop_take_fault (self, &param);
  entry->fault = fault;
  if (fault != TDM_FAKE_FAULT_NONE)
    g_debug ("Serving fault %s to %s %s.", tdm_fake_fault_to_string (fault), entry->method, path);
  if (_tdm_fake_webshop_serve_fault (msg, fault, param))
    {
      if (fault == TDM_FAKE_FAULT_RESET || fault == TDM_FAKE_FAULT_TRUNCATED)
        on_message_finished (msg, self);
      return;
    }

  if (_tdm_fake_webshop_check_auth (self, msg) && _tdm_fake_webshop_check_rate (self, msg))
    serve_api (self, msg, path, query);

  if (fault == TDM_FAKE_FAULT_RESET)
    {
      g_debug ("The answer (HTTP %u) is dropped after the request was carried out.",
               entry->status);
      entry->status = 0;
      _tdm_fake_webshop_write_raw_and_close (msg, NULL);
      on_message_finished (msg, self);
      return;
    }

  if (fault == TDM_FAKE_FAULT_DELAY)
    _tdm_fake_webshop_delay_answer (self, msg, param);
}

/* ---- GObject ---- */

static void
tdm_fake_webshop_dispose (GObject *object)
{
  TdmFakeWebshop *self = TDM_FAKE_WEBSHOP (object);

  _tdm_fake_webshop_stop_delayed (self);
  g_clear_pointer (&self->delayed, g_ptr_array_unref);
  if (self->server != NULL)
    soup_server_disconnect (self->server);
  g_clear_object (&self->server);

  G_OBJECT_CLASS (tdm_fake_webshop_parent_class)->dispose (object);
}

static void
tdm_fake_webshop_finalize (GObject *object)
{
  TdmFakeWebshop *self = TDM_FAKE_WEBSHOP (object);

  g_free (self->url);
  g_clear_pointer (&self->profile, tdm_webshop_profile_unref);
  g_free (self->secret);
  g_queue_clear_full (&self->rate_times, g_free);
  for (guint k = 0; k < TDM_N_KINDS; k++)
    {
      g_hash_table_unref (self->records[k]);
      g_hash_table_unref (self->unique[k]);
      g_ptr_array_unref (self->tombstones[k]);
    }
  g_hash_table_unref (self->idempotency);
  g_queue_clear_full (&self->faults, g_free);
  g_ptr_array_unref (self->log);
  for (guint k = 0; k < TDM_N_KINDS; k++)
    {
      g_clear_pointer (&self->page_extra[k], json_object_unref);
      g_free (self->ghost_twin[k]);
    }

  G_OBJECT_CLASS (tdm_fake_webshop_parent_class)->finalize (object);
}

static void
tdm_fake_webshop_class_init (TdmFakeWebshopClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tdm_fake_webshop_dispose;
  object_class->finalize = tdm_fake_webshop_finalize;
}

static void
tdm_fake_webshop_init (TdmFakeWebshop *self)
{
  self->profile = tdm_webshop_profile_new_default ();
  self->auth = TDM_WEBSHOP_AUTH_PROFILE;
  self->rate_retry_after = 1;
  for (guint k = 0; k < TDM_N_KINDS; k++)
    {
      self->records[k] = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                (GDestroyNotify) json_object_unref);
      self->unique[k] = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                               (GDestroyNotify) g_hash_table_unref);
      self->tombstones[k] = g_ptr_array_new_with_free_func (
          (GDestroyNotify) _tdm_fake_webshop_tombstone_free);
      self->next_id[k] = (k + 1) * 100000 + 1;
    }
  self->idempotency = g_hash_table_new_full (
      g_str_hash, g_str_equal, g_free, (GDestroyNotify) _tdm_fake_webshop_idempotent_result_free);
  self->next_order_number = 5001;
  g_queue_init (&self->faults);
  g_queue_init (&self->rate_times);
  self->log = g_ptr_array_new_with_free_func ((GDestroyNotify) fake_request_free);
  self->delayed = g_ptr_array_new_with_free_func (_tdm_fake_webshop_delayed_free);
}

/* ---- Public API ---- */

TdmFakeWebshop *
tdm_fake_webshop_new (void)
{
  return g_object_new (TDM_TYPE_FAKE_WEBSHOP, NULL);
}

gboolean
tdm_fake_webshop_start_on_port (TdmFakeWebshop  *self,
                                guint            port,
                                GError         **error)
{
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GInetAddress) loopback = NULL;
  GSList *uris;

  g_return_val_if_fail (TDM_IS_FAKE_WEBSHOP (self), FALSE);
  g_return_val_if_fail (self->server == NULL, FALSE);

  self->server = soup_server_new ("server-header", "TandemFakeWebshop/1 ", NULL);
  soup_server_add_handler (self->server, NULL, server_callback, self, NULL);

  loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  address = g_inet_socket_address_new (loopback, port);
  if (!soup_server_listen (self->server, address, 0, error))
    {
      g_clear_object (&self->server);
      return FALSE;
    }

  uris = soup_server_get_uris (self->server);
  g_assert (uris != NULL);
  self->url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return TRUE;
}

gboolean
tdm_fake_webshop_start (TdmFakeWebshop  *self,
                        GError         **error)
{
  return tdm_fake_webshop_start_on_port (self, 0, error);
}

const char *
tdm_fake_webshop_get_url (TdmFakeWebshop *self)
{
  g_return_val_if_fail (TDM_IS_FAKE_WEBSHOP (self), NULL);
  return self->url;
}

const TdmFakeRoute *
tdm_fake_webshop_get_routes (void)
{
  return routes;
}

const char *
tdm_fake_fault_to_string (TdmFakeFault fault)
{
  g_return_val_if_fail (fault <= TDM_FAKE_FAULT_DELAY, NULL);
  return fault_names[fault];
}
