/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-fake-shopify"

#include "config.h"
#include "tdm-fake-shopify-private.h"

#include <string.h>

/* Access tokens: the fixed token of token mode, and tokens from the
 * client-credentials grant with their lifetime (docs/shopify.md, Endpoints
 * and auth). The log never holds an issued token. */

gboolean
_tdm_fake_shopify_token_ok (TdmFakeShopify *self,
                            const char     *token)
{
  gint64 *expiry;

  g_assert (TDM_IS_FAKE_SHOPIFY (self));

  if (token == NULL)
    return FALSE;
  if (self->static_token != NULL && strcmp (token, self->static_token) == 0)
    return TRUE;
  expiry = g_hash_table_lookup (self->tokens, token);
  return expiry != NULL && g_get_real_time () < *expiry;
}

/* A new token for the grant: its answer (which holds the token). */
static char *
issue_token (TdmFakeShopify *self)
{
  g_autofree char *rnd = g_uuid_string_random ();
  char *token = g_strdup_printf ("shpat_fake_%s", rnd);
  gint64 *expiry = g_new (gint64, 1);

  *expiry = g_get_real_time () + (gint64) self->token_lifetime * G_USEC_PER_SEC;
  g_hash_table_insert (self->tokens, token, expiry);
  self->tokens_issued++;
  return g_strdup_printf ("{\"access_token\":\"%s\",\"scope\":\"read_customers,write_customers,"
                          "read_products,write_products,read_orders,write_orders,write_inventory\","
                          "\"expires_in\":%u}", token, self->token_lifetime);
}

void
_tdm_fake_shopify_handle_token (TdmFakeShopify      *self,
                                SoupServerMessage   *msg,
                                const char          *path,
                                GBytes              *body,
                                TdmFakeShopifyFault  fault)
{
  g_autofree char *text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  g_autoptr(GHashTable) form = soup_form_decode (text);
  TdmFakeShopifyRequest *req;
  const char *grant = g_hash_table_lookup (form, "grant_type");
  const char *id = g_hash_table_lookup (form, "client_id");
  const char *secret = g_hash_table_lookup (form, "client_secret");
  g_autofree char *response = NULL;
  guint status;

  g_assert (TDM_IS_FAKE_SHOPIFY (self));

  req = _tdm_fake_shopify_log_request (self, path, "access_token", NULL, "{}");
  if (_tdm_fake_shopify_fails_before_run (fault, msg, &status))
    {
      response = g_strdup ("{\"errors\":\"Service unavailable\"}");
      _tdm_fake_shopify_finish_log (self, req, status, response);
      _tdm_fake_shopify_respond (msg, status, response);
      return;
    }
  if (g_strcmp0 (grant, "client_credentials") != 0 || g_strcmp0 (id, self->client_id) != 0
      || g_strcmp0 (secret, self->client_secret) != 0)
    {
      status = 401;
      response = g_strdup ("{\"error\":\"invalid_client\","
                           "\"error_description\":\"Client authentication failed.\"}");
    }
  else
    {
      status = 200;
      response = issue_token (self);
    }
  _tdm_fake_shopify_finish_log (self, req, status,
                                status == 200 ? "{\"access_token\":\"[issued]\"}" : response);
  _tdm_fake_shopify_deliver (self, msg, status, response, fault);
}
