/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-fake-shopify"

#include "config.h"
#include "tdm-fake-shopify-private.h"

#include <string.h>

/* TdmFakeShopify: the GObject, the server and the routing of requests to
 * the token exchange, GraphQL, staged uploads and bulk downloads. The files that answer
 * them are listed in tdm-fake-shopify-private.h; what the fake imitates is
 * docs/shopify.md. */

G_DEFINE_FINAL_TYPE (TdmFakeShopify, tdm_fake_shopify, G_TYPE_OBJECT)

/* ---- Routing ---- */

static void
on_request_cb (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  TdmFakeShopify *self = user_data;
  SoupMessageBody *request_body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) body = soup_message_body_flatten (request_body);
  const char *method = soup_server_message_get_method (msg);
  TdmFakeShopifyFault fault;

  g_assert (TDM_IS_FAKE_SHOPIFY (self));

  self->request_total++;
  fault = _tdm_fake_shopify_take_fault (self);

  if (g_str_has_prefix (path, "/bulk/") && strcmp (method, "GET") == 0)
    _tdm_fake_shopify_handle_bulk_download (self, msg, path);
  else if (strcmp (method, "POST") != 0)
    soup_server_message_set_status (msg, 405, NULL);
  else if (strcmp (path, "/staged-uploads") == 0)
    _tdm_fake_shopify_handle_staged_upload (self, msg, path, body);
  else if (strcmp (path, "/admin/oauth/access_token") == 0)
    _tdm_fake_shopify_handle_token (self, msg, path, body, fault);
  else if (g_str_has_prefix (path, "/admin/api/") && g_str_has_suffix (path, "/graphql.json"))
    _tdm_fake_shopify_handle_graphql (self, msg, path, body, fault);
  else
    _tdm_fake_shopify_respond (msg, 404, "{\"errors\":\"Not Found\"}");
}

/* ---- GObject ---- */

static void
unref_bytes_or_null (gpointer data)
{
  if (data != NULL)
    g_bytes_unref (data);
}

static void
tdm_fake_shopify_dispose (GObject *object)
{
  TdmFakeShopify *self = TDM_FAKE_SHOPIFY (object);

  if (self->server != NULL)
    soup_server_disconnect (self->server);
  g_clear_object (&self->server);

  G_OBJECT_CLASS (tdm_fake_shopify_parent_class)->dispose (object);
}

static void
tdm_fake_shopify_finalize (GObject *object)
{
  TdmFakeShopify *self = TDM_FAKE_SHOPIFY (object);

  g_free (self->url);
  g_free (self->client_id);
  g_free (self->client_secret);
  g_free (self->static_token);
  g_hash_table_unref (self->tokens);
  g_hash_table_unref (self->denied);
  for (guint i = 0; i < TDM_N_KINDS; i++)
    g_ptr_array_unref (self->records[i]);
  _tdm_fake_shopify_index_clear (self);
  g_hash_table_unref (self->faults);
  g_ptr_array_unref (self->log);
  g_hash_table_unref (self->definitions);
  g_hash_table_unref (self->idempotency);
  g_hash_table_unref (self->shop_metafields);
  g_ptr_array_unref (self->bulk_ops);
  g_hash_table_unref (self->staged);
  g_ptr_array_unref (self->events);

  G_OBJECT_CLASS (tdm_fake_shopify_parent_class)->finalize (object);
}

static void
tdm_fake_shopify_class_init (TdmFakeShopifyClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tdm_fake_shopify_dispose;
  object_class->finalize = tdm_fake_shopify_finalize;
}

static void
tdm_fake_shopify_init (TdmFakeShopify *self)
{
  self->client_id = g_strdup ("fake-client-id");
  self->client_secret = g_strdup ("fake-client-secret");
  self->static_token = g_strdup ("shpat_fake_static_token");
  self->token_lifetime = 86399;
  self->deny_status = 200;
  self->tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->denied = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 0; i < TDM_N_KINDS; i++)
    self->records[i] = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  _tdm_fake_shopify_index_init (self);
  self->next_id = 1000;
  self->next_order_number = 1001;
  self->bucket_size = 2000;
  self->restore_rate = 100;
  self->time_scale = 1;
  self->available = self->bucket_size;
  self->bucket_at = g_get_monotonic_time ();
  self->throttle_status = 200;
  self->faults = g_hash_table_new (g_direct_hash, g_direct_equal);
  self->fault_delay_ms = 5000;
  self->log = g_ptr_array_new_with_free_func (_tdm_fake_shopify_request_free);
  self->logging = TRUE;
  self->definitions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->idempotency = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->shop_metafields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                 (GDestroyNotify) g_hash_table_unref);
  self->bulk_ops = g_ptr_array_new_with_free_func (_tdm_fake_shopify_bulk_op_free);
  self->events = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  self->bulk_polls = 1;
  self->staged = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        unref_bytes_or_null);
}

/* ---- Public API ---- */

TdmFakeShopify *
tdm_fake_shopify_new (void)
{
  return g_object_new (TDM_TYPE_FAKE_SHOPIFY, NULL);
}

gboolean
tdm_fake_shopify_start (TdmFakeShopify  *self,
                        GError         **error)
{
  GSList *uris;

  g_return_val_if_fail (TDM_IS_FAKE_SHOPIFY (self), FALSE);
  g_return_val_if_fail (self->server == NULL, FALSE);

  self->server = soup_server_new ("server-header", "fake-shopify", NULL);
  soup_server_add_handler (self->server, NULL, on_request_cb, self, NULL);
  if (!soup_server_listen_local (self->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, error))
    return FALSE;
  uris = soup_server_get_uris (self->server);
  self->url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return TRUE;
}

const char *
tdm_fake_shopify_get_url (TdmFakeShopify *self)
{
  g_return_val_if_fail (TDM_IS_FAKE_SHOPIFY (self), NULL);

  return self->url;
}
