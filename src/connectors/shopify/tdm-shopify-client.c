/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-shopify"

#include "config.h"

#include "tdm-shopify-client-private.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "tdm-connectors-resources.h"
#include "tdm-error.h"

/* The Shopify GraphQL client: the object, its settings and the operation
 * documents from the GResource. The token is in -token.c, running an
 * operation in -execute.c, pacing in tdm-shopify-pacing.c
 * (docs/shopify.md § Endpoints and auth). */

#define DEFAULT_API_VERSION   "2026-10"
#define GRAPHQL_RESOURCE_BASE "/io/github/tandemsync/Tandem/graphql/"

G_DEFINE_FINAL_TYPE (TdmShopifyClient, tdm_shopify_client, G_TYPE_OBJECT)

gboolean
tdm_shopify_auth_mode_from_string (const char         *str,
                                   TdmShopifyAuthMode *out)
{
  if (g_strcmp0 (str, "client-credentials") == 0)
    *out = TDM_SHOPIFY_AUTH_CLIENT_CREDENTIALS;
  else if (g_strcmp0 (str, "token") == 0)
    *out = TDM_SHOPIFY_AUTH_TOKEN;
  else
    return FALSE;
  return TRUE;
}

void
_tdm_shopify_wipe_string (char **str)
{
  g_assert (str != NULL);

  if (*str != NULL)
    {
      memset (*str, 0, strlen (*str));
      g_clear_pointer (str, g_free);
    }
}

/* ---- GObject ---- */

static void
tdm_shopify_client_dispose (GObject *object)
{
  TdmShopifyClient *self = TDM_SHOPIFY_CLIENT (object);

  g_clear_object (&self->session);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (tdm_shopify_client_parent_class)->dispose (object);
}

static void
tdm_shopify_client_finalize (GObject *object)
{
  TdmShopifyClient *self = TDM_SHOPIFY_CLIENT (object);

  _tdm_shopify_wipe_string (&self->secret);
  _tdm_shopify_wipe_string (&self->token);
  g_clear_pointer (&self->account, g_free);
  g_clear_pointer (&self->base_url, g_free);
  g_clear_pointer (&self->endpoint, g_free);
  g_clear_pointer (&self->api_version, g_free);
  g_clear_pointer (&self->client_id, g_free);
  g_clear_pointer (&self->last_cost, g_hash_table_unref);
  g_clear_pointer (&self->answered_at, g_hash_table_unref);
  g_clear_pointer (&self->query_cost, g_hash_table_unref);
  g_clear_pointer (&self->op_stats, g_hash_table_unref);
  g_clear_pointer (&self->rand, g_rand_free);
  /* Empty by now: every waiting task holds the client. */
  g_clear_pointer (&self->token_waiters, g_ptr_array_unref);

  G_OBJECT_CLASS (tdm_shopify_client_parent_class)->finalize (object);
}

static void
tdm_shopify_client_class_init (TdmShopifyClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tdm_shopify_client_dispose;
  object_class->finalize = tdm_shopify_client_finalize;
}

static void
tdm_shopify_client_init (TdmShopifyClient *self)
{
  tdm_http_options_init (&self->options);
  tdm_shopify_bucket_init (&self->bucket);
  self->last_cost = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->answered_at = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->query_cost = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->op_stats = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->rand = g_rand_new ();
  self->token_waiters = g_ptr_array_new_with_free_func (g_object_unref);
}

/* ---- Settings ---- */

static char *
make_base_url (const char  *shop,
               GError     **error)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (shop ? shop : ""));
  g_autofree char *url = NULL;

  if (*trimmed == '\0')
    {
      g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_CONFIG,
                   _("No Shopify shop is set. Enter your shop’s myshopify.com domain in the "
                     "preferences."));
      return NULL;
    }
  while (g_str_has_suffix (trimmed, "/"))
    trimmed[strlen (trimmed) - 1] = '\0';

  if (g_str_has_prefix (trimmed, "http://") || g_str_has_prefix (trimmed, "https://"))
    url = g_strdup (trimmed);
  else if (strchr (trimmed, '.') == NULL)
    url = g_strdup_printf ("https://%s.myshopify.com", trimmed);
  else
    url = g_strdup_printf ("https://%s", trimmed);

  if (!tdm_http_check_url (url, error))
    return NULL;
  return g_steal_pointer (&url);
}

TdmShopifyClient *
tdm_shopify_client_new (const char          *shop,
                        const char          *api_version,
                        TdmShopifyAuthMode   mode,
                        const char          *client_id,
                        GError             **error)
{
  g_autoptr(TdmShopifyClient) self = NULL;
  static const char * const secret_headers[] = { "X-Shopify-Access-Token", NULL };
  g_autofree char *base = make_base_url (shop, error);

  if (base == NULL)
    return NULL;
  if (mode == TDM_SHOPIFY_AUTH_CLIENT_CREDENTIALS && (client_id == NULL || *client_id == '\0'))
    {
      g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_CONFIG,
                   _("No Shopify client ID is set. Copy it from the app’s settings in the "
                     "Shopify Dev Dashboard."));
      return NULL;
    }

  self = g_object_new (TDM_TYPE_SHOPIFY_CLIENT, NULL);
  self->base_url = g_steal_pointer (&base);
  self->api_version = g_strdup (api_version && *api_version ? api_version : DEFAULT_API_VERSION);
  self->endpoint = g_strdup_printf ("%s/admin/api/%s/graphql.json", self->base_url,
                                    self->api_version);
  self->mode = mode;
  self->client_id = g_strdup (client_id);
  self->session = tdm_http_session_new (&self->options, secret_headers);
  return g_steal_pointer (&self);
}

void
tdm_shopify_client_set_secret (TdmShopifyClient *self,
                               const char       *secret)
{
  g_return_if_fail (TDM_IS_SHOPIFY_CLIENT (self));

  _tdm_shopify_wipe_string (&self->secret);
  _tdm_shopify_wipe_string (&self->token);
  self->secret = g_strdup (secret);
  /* The HTTP debug logger masks these wherever they appear. */
  tdm_http_session_add_secret (self->session, secret);
  if (self->mode == TDM_SHOPIFY_AUTH_TOKEN && secret != NULL)
    {
      self->token = g_strdup (secret);
      self->token_expires_us = G_MAXINT64;
    }
}

void
tdm_shopify_client_set_credential_store (TdmShopifyClient   *self,
                                         TdmCredentialStore *store,
                                         const char         *account)
{
  g_return_if_fail (TDM_IS_SHOPIFY_CLIENT (self));

  g_set_object (&self->store, store);
  g_free (self->account);
  self->account = g_strdup (account);
}

void
tdm_shopify_client_set_timeout (TdmShopifyClient *self,
                                guint             seconds)
{
  g_return_if_fail (TDM_IS_SHOPIFY_CLIENT (self));
  self->options.timeout_seconds = seconds;
}

void
tdm_shopify_client_set_max_retries (TdmShopifyClient *self,
                                    guint             retries)
{
  g_return_if_fail (TDM_IS_SHOPIFY_CLIENT (self));
  self->options.max_retries = retries;
}

void
tdm_shopify_client_set_backoff (TdmShopifyClient *self,
                                guint             base_delay_ms,
                                guint             max_delay_ms)
{
  g_return_if_fail (TDM_IS_SHOPIFY_CLIENT (self));
  self->options.base_delay_ms = base_delay_ms;
  self->options.max_delay_ms = MAX (max_delay_ms, base_delay_ms);
}

const char *
tdm_shopify_client_get_endpoint (TdmShopifyClient *self)
{
  return self->endpoint;
}

const char *
tdm_shopify_client_get_base_url (TdmShopifyClient *self)
{
  return self->base_url;
}

SoupSession *
tdm_shopify_client_get_session (TdmShopifyClient *self)
{
  return self->session;
}

guint64
tdm_shopify_client_get_request_count (TdmShopifyClient *self)
{
  return self->request_count;
}

guint
tdm_shopify_client_get_throttled_count (TdmShopifyClient *self)
{
  return self->throttled_count;
}

guint
tdm_shopify_client_get_token_count (TdmShopifyClient *self)
{
  return self->token_count;
}

/* ---- Documents ---- */

static char *
operation_file_name (const char *operation)
{
  GString *out = g_string_new (NULL);

  g_assert (operation != NULL);

  for (const char *p = operation; *p != '\0'; p++)
    {
      if (g_ascii_isupper (*p) && p != operation)
        g_string_append_c (out, '-');
      g_string_append_c (out, g_ascii_tolower (*p));
    }
  g_string_append (out, ".graphql");
  return g_string_free (out, FALSE);
}

static char *
load_resource_text (const char  *name,
                    GError     **error)
{
  g_autofree char *path = g_strconcat (GRAPHQL_RESOURCE_BASE, name, NULL);
  g_autoptr(GBytes) bytes = g_resource_lookup_data (tdm_connectors_get_resource (), path,
                                                    G_RESOURCE_LOOKUP_FLAGS_NONE, error);

  if (bytes == NULL)
    return NULL;
  return g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

char *
tdm_shopify_client_get_document (const char  *operation,
                                 GError     **error)
{
  static const struct { const char *spread; const char *file; } fragments[] = {
    { "...CustomerFields", "fragment-customer.graphql" },
    { "...ProductFields", "fragment-product.graphql" },
    { "...OrderFields", "fragment-order.graphql" },
  };
  static GHashTable *cache;
  static GMutex lock;
  g_autofree char *file = NULL;
  g_autofree char *text = NULL;
  GString *doc;
  const char *cached;

  g_mutex_lock (&lock);
  if (cache == NULL)
    cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  cached = g_hash_table_lookup (cache, operation);
  if (cached != NULL)
    {
      char *copy = g_strdup (cached);
      g_mutex_unlock (&lock);
      return copy;
    }
  g_mutex_unlock (&lock);

  file = operation_file_name (operation);
  text = load_resource_text (file, error);
  if (text == NULL)
    return NULL;
  doc = g_string_new (text);
  for (guint i = 0; i < G_N_ELEMENTS (fragments); i++)
    if (strstr (text, fragments[i].spread) != NULL)
      {
        g_autofree char *frag = load_resource_text (fragments[i].file, error);
        if (frag == NULL)
          {
            g_string_free (doc, TRUE);
            return NULL;
          }
        g_string_append_c (doc, '\n');
        g_string_append (doc, frag);
      }

  g_mutex_lock (&lock);
  g_hash_table_replace (cache, g_strdup (operation), g_strdup (doc->str));
  g_mutex_unlock (&lock);
  return g_string_free (doc, FALSE);
}

const char *
tdm_shopify_client_get_answered_at (TdmShopifyClient *self,
                                    const char       *operation)
{
  g_return_val_if_fail (TDM_IS_SHOPIFY_CLIENT (self), NULL);
  g_return_val_if_fail (operation != NULL, NULL);

  return g_hash_table_lookup (self->answered_at, operation);
}
