/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-shopify"

#include "config.h"

#include "tdm-shopify-client-private.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "tdm-error.h"

/* The access token (docs/shopify.md § Endpoints and auth): a fixed Admin
 * API token, or one obtained with the client-credentials grant, renewed
 * five minutes before it expires and once after a 401. Requests that need
 * a token while one is asked for wait for that one request. The secret and
 * the token live in memory only and are wiped when dropped. */

#define TOKEN_MARGIN_US (300 * G_USEC_PER_SEC)

gboolean
_tdm_shopify_client_token_valid (TdmShopifyClient *self)
{
  g_assert (TDM_IS_SHOPIFY_CLIENT (self));

  if (self->token == NULL)
    return FALSE;
  if (self->token_expires_us == G_MAXINT64)
    return TRUE;
  return g_get_monotonic_time () + TOKEN_MARGIN_US < self->token_expires_us;
}

void
_tdm_shopify_client_invalidate_token (TdmShopifyClient *self)
{
  g_assert (TDM_IS_SHOPIFY_CLIENT (self));

  if (self->mode == TDM_SHOPIFY_AUTH_CLIENT_CREDENTIALS)
    _tdm_shopify_wipe_string (&self->token);
}

/* Returns every task waiting for the token: TRUE, or a copy of `error`. */
static void
finish_token_waiters (TdmShopifyClient *self,
                      const GError     *error)
{
  g_autoptr(GPtrArray) waiters = NULL;

  g_assert (TDM_IS_SHOPIFY_CLIENT (self));

  waiters = g_steal_pointer (&self->token_waiters);
  self->token_waiters = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < waiters->len; i++)
    {
      GTask *task = waiters->pdata[i];

      if (error != NULL)
        g_task_return_error (task, g_error_copy (error));
      else
        g_task_return_boolean (task, TRUE);
    }
}

/* ---- The client-credentials grant ---- */

typedef struct {
  char *url;
  char *form;    /* holds the client secret: wiped on free */
} TokenRequest;

static void
token_request_free (gpointer data)
{
  TokenRequest *req = data;

  g_free (req->url);
  _tdm_shopify_wipe_string (&req->form);
  g_free (req);
}

static SoupMessage *
build_token_message (gpointer user_data)
{
  TokenRequest *req = user_data;
  SoupMessage *msg = soup_message_new (SOUP_METHOD_POST, req->url);
  g_autoptr(GBytes) body = NULL;

  if (msg == NULL)
    return NULL;
  body = g_bytes_new (req->form, strlen (req->form));
  soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", body);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept",
                                "application/json");
  return msg;
}

/* The object of a token answer, NULL with `error` when it cannot be read
 * (or Shopify refused the client ID and secret). */
static JsonObject *
read_token_answer (SoupMessage  *msg,
                   GBytes       *body,
                   JsonParser   *parser,
                   GError      **error)
{
  guint status = soup_message_get_status (msg);

  g_assert (SOUP_IS_MESSAGE (msg));
  g_assert (body != NULL);

  if (status == 400 || status == 401 || status == 403)
    {
      g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_AUTH,
                   _("Shopify did not accept the client ID and secret. Copy both again from the "
                     "app’s settings in the Shopify Dev Dashboard, and check that the app is "
                     "installed on the shop."));
      return NULL;
    }
  if (!tdm_http_check_status (msg, body, _("Shopify"), error))
    return NULL;
  /* json-glib refuses NULL data, which an empty GBytes gives. */
  if (g_bytes_get_size (body) == 0
      || !json_parser_load_from_data (parser, g_bytes_get_data (body, NULL),
                                      g_bytes_get_size (body), NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_INVALID_RESPONSE,
                   _("Shopify answered the sign-in request with something Tandem cannot read."));
      return NULL;
    }
  return json_node_get_object (json_parser_get_root (parser));
}

static void
on_token_response_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(TdmShopifyClient) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = tdm_http_send_finish (result, &msg, &error);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root;
  const char *token;
  gint64 expires_in = 86399;

  g_assert (TDM_IS_SHOPIFY_CLIENT (self));

  root = body != NULL ? read_token_answer (msg, body, parser, &error) : NULL;
  if (root == NULL)
    {
      finish_token_waiters (self, error);
      return;
    }
  token = json_object_get_string_member_with_default (root, "access_token", NULL);
  if (token == NULL || *token == '\0')
    {
      g_set_error (&error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_AUTH,
                   _("Shopify did not hand out an access token. Check the app’s installation in "
                     "the Shopify Dev Dashboard."));
      finish_token_waiters (self, error);
      return;
    }
  if (json_object_has_member (root, "expires_in"))
    expires_in = json_object_get_int_member (root, "expires_in");

  _tdm_shopify_wipe_string (&self->token);
  self->token = g_strdup (token);
  tdm_http_session_add_secret (self->session, token);
  self->token_expires_us = g_get_monotonic_time () + expires_in * G_USEC_PER_SEC;
  self->token_count++;
  g_debug ("Obtained a Shopify access token valid for %" G_GINT64_FORMAT " s", expires_in);

  /* The parser holds a copy of the token: scrub it. */
  json_object_set_string_member (root, "access_token", "");
  finish_token_waiters (self, NULL);
}

static void
request_token (TdmShopifyClient *self,
               GCancellable     *cancellable)
{
  TokenRequest *req = g_new0 (TokenRequest, 1);
  g_autofree char *id = NULL;
  g_autofree char *secret = NULL;

  g_assert (self->secret != NULL);

  id = g_uri_escape_string (self->client_id, NULL, FALSE);
  secret = g_uri_escape_string (self->secret, NULL, FALSE);
  req->url = g_strdup_printf ("%s/admin/oauth/access_token", self->base_url);
  req->form = g_strdup_printf ("grant_type=client_credentials&client_id=%s&client_secret=%s",
                               id, secret);
  memset (secret, 0, strlen (secret));
  self->request_count++;
  g_debug ("Requesting a Shopify access token (client credentials)");
  tdm_http_send_async (self->session, &self->options, build_token_message, req,
                       token_request_free, cancellable, on_token_response_cb,
                       g_object_ref (self));
}

/* ---- The secret ---- */

static void
on_secret_lookup_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(TdmShopifyClient) self = user_data;
  g_autoptr(GError) error = NULL;
  char *secret = tdm_credential_store_lookup_finish (TDM_CREDENTIAL_STORE (source), result,
                                                     &error);

  g_assert (TDM_IS_SHOPIFY_CLIENT (self));

  if (secret == NULL)
    {
      if (error == NULL)
        g_set_error (&error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_CONFIG,
                     self->mode == TDM_SHOPIFY_AUTH_TOKEN
                     ? _("No Shopify access token is stored. Enter it in the preferences.")
                     : _("No Shopify client secret is stored. Enter it in the preferences."));
      finish_token_waiters (self, error);
      return;
    }
  tdm_shopify_client_set_secret (self, secret);
  tdm_credential_free (secret);
  if (_tdm_shopify_client_token_valid (self))
    finish_token_waiters (self, NULL);
  else
    request_token (self, NULL);
}

/* ---- Public API ---- */

void
tdm_shopify_client_ensure_token_async (TdmShopifyClient    *self,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  gboolean in_flight;

  g_task_set_source_tag (task, tdm_shopify_client_ensure_token_async);
  if (_tdm_shopify_client_token_valid (self))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  in_flight = self->token_waiters->len > 0;
  g_ptr_array_add (self->token_waiters, g_steal_pointer (&task));
  if (in_flight)
    return;

  if (self->secret == NULL)
    {
      if (self->store == NULL)
        {
          g_autoptr(GError) error = NULL;

          error = g_error_new_literal (TDM_SYNC_ERROR, TDM_SYNC_ERROR_CONFIG,
                                       _("No Shopify credentials are set. Enter them in the "
                                         "preferences."));
          finish_token_waiters (self, error);
          return;
        }
      tdm_credential_store_lookup_async (self->store, TDM_SIDE_SHOPIFY, self->account, NULL,
                                         on_secret_lookup_cb, g_object_ref (self));
      return;
    }
  if (self->mode == TDM_SHOPIFY_AUTH_TOKEN)
    {
      /* A copy: setting the secret wipes the one held. */
      g_autofree char *secret = g_strdup (self->secret);

      tdm_shopify_client_set_secret (self, secret);
      _tdm_shopify_wipe_string (&secret);
      finish_token_waiters (self, NULL);
      return;
    }
  request_token (self, NULL);
}

gboolean
tdm_shopify_client_ensure_token_finish (TdmShopifyClient  *self,
                                        GAsyncResult      *result,
                                        GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
