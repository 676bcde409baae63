/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-shopify"

#include "config.h"
#include "tdm-shopify-client.h"

#include <glib/gi18n-lib.h>
#include <string.h>
#include "tdm-error.h"
#include "tdm-http.h"
#include "tdm-connectors-resources.h"

#define DEFAULT_API_VERSION   "2026-10"
#define GRAPHQL_RESOURCE_BASE "/io/github/tandemsync/Tandem/graphql/"
#define TOKEN_MARGIN_US       (300 * G_USEC_PER_SEC)
#define MAX_THROTTLE_WAITS    30
#define MAX_QUERY_COST        1000.0

struct _TdmShopifyClient
{
  GObject             parent_instance;

  char               *base_url;      /* https://shop.myshopify.com or the loopback URL */
  char               *endpoint;      /* …/admin/api/<version>/graphql.json */
  char               *api_version;
  TdmShopifyAuthMode  mode;
  char               *client_id;
  char               *secret;        /* client secret or fixed token; never logged */
  char               *token;         /* current access token; never logged */
  gint64              token_expires_us;   /* monotonic; G_MAXINT64 = never */
  TdmCredentialStore *store;
  char               *account;

  TdmHttpOptions      options;
  SoupSession        *session;
  TdmShopifyBucket    bucket;
  GHashTable         *last_cost;     /* operation → double* */
  GHashTable         *query_cost;    /* cost key (query_cost_key) → double*: requested cost */
  GHashTable         *op_stats;      /* operation → OpStats*: pacing, for tests and benchmarks */
  guint64             request_count;
  guint               throttled_count;
  guint               token_count;
  GRand              *rand;
  GPtrArray          *token_waiters; /* GTask* waiting for a token request in flight */
};

typedef struct {
  double reserved;        /* points taken from the bucket for its last request, -1: none */
  guint  in_flight;       /* started and not yet returned */
  guint  most_in_flight;  /* the most at once */
} OpStats;

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

static void
wipe_string (char **str)
{
  if (*str != NULL)
    {
      memset (*str, 0, strlen (*str));
      g_clear_pointer (str, g_free);
    }
}

static void
tdm_shopify_client_finalize (GObject *object)
{
  TdmShopifyClient *self = TDM_SHOPIFY_CLIENT (object);

  wipe_string (&self->secret);
  wipe_string (&self->token);
  g_clear_object (&self->session);
  g_clear_object (&self->store);
  g_clear_pointer (&self->account, g_free);
  g_clear_pointer (&self->base_url, g_free);
  g_clear_pointer (&self->endpoint, g_free);
  g_clear_pointer (&self->api_version, g_free);
  g_clear_pointer (&self->client_id, g_free);
  g_clear_pointer (&self->last_cost, g_hash_table_unref);
  g_clear_pointer (&self->query_cost, g_hash_table_unref);
  g_clear_pointer (&self->op_stats, g_hash_table_unref);
  g_clear_pointer (&self->rand, g_rand_free);
  g_clear_pointer (&self->token_waiters, g_ptr_array_unref);

  G_OBJECT_CLASS (tdm_shopify_client_parent_class)->finalize (object);
}

static void
tdm_shopify_client_class_init (TdmShopifyClientClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tdm_shopify_client_finalize;
}

static void
tdm_shopify_client_init (TdmShopifyClient *self)
{
  tdm_http_options_init (&self->options);
  tdm_shopify_bucket_init (&self->bucket);
  self->last_cost = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->query_cost = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->op_stats = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->rand = g_rand_new ();
  self->token_waiters = g_ptr_array_new ();
}

static char *
make_base_url (const char  *shop,
               GError     **error)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (shop ? shop : ""));
  g_autofree char *url = NULL;

  if (*trimmed == '\0')
    {
      g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_CONFIG,
                   _("No Shopify shop is set. Enter your shop’s myshopify.com domain in the preferences."));
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
                   _("No Shopify client ID is set. Copy it from the app’s settings in the Shopify Dev Dashboard."));
      return NULL;
    }

  self = g_object_new (TDM_TYPE_SHOPIFY_CLIENT, NULL);
  self->base_url = g_steal_pointer (&base);
  self->api_version = g_strdup (api_version && *api_version ? api_version : DEFAULT_API_VERSION);
  self->endpoint = g_strdup_printf ("%s/admin/api/%s/graphql.json", self->base_url, self->api_version);
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

  wipe_string (&self->secret);
  wipe_string (&self->token);
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

double
tdm_shopify_client_get_last_cost (TdmShopifyClient *self,
                                  const char       *operation)
{
  double *cost = g_hash_table_lookup (self->last_cost, operation);
  return cost ? *cost : -1;
}

static OpStats *
op_stats (TdmShopifyClient *self,
          const char       *operation)
{
  OpStats *stats = g_hash_table_lookup (self->op_stats, operation);

  if (stats == NULL)
    {
      stats = g_new0 (OpStats, 1);
      stats->reserved = -1;
      g_hash_table_insert (self->op_stats, g_strdup (operation), stats);
    }
  return stats;
}

double
tdm_shopify_client_get_last_reserved_cost (TdmShopifyClient *self,
                                           const char       *operation)
{
  g_return_val_if_fail (TDM_IS_SHOPIFY_CLIENT (self), -1);
  return op_stats (self, operation)->reserved;
}

guint
tdm_shopify_client_get_most_in_flight (TdmShopifyClient *self,
                                       const char       *operation)
{
  g_return_val_if_fail (TDM_IS_SHOPIFY_CLIENT (self), 0);
  return op_stats (self, operation)->most_in_flight;
}

const TdmShopifyBucket *
tdm_shopify_client_get_bucket (TdmShopifyClient *self)
{
  return &self->bucket;
}

double
tdm_shopify_client_get_query_budget (TdmShopifyClient *self)
{
  double budget = MAX_QUERY_COST * 0.8;

  if (self->bucket.known)
    budget = MIN (budget, self->bucket.maximum / 2);
  return MAX (budget, 20);
}

/* ---- documents ---------------------------------------------------------- */

static char *
operation_file_name (const char *operation)
{
  GString *out = g_string_new (NULL);

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

/* ---- token ---------------------------------------------------------------- */

static gboolean
token_valid (TdmShopifyClient *self)
{
  if (self->token == NULL)
    return FALSE;
  if (self->token_expires_us == G_MAXINT64)
    return TRUE;
  return g_get_monotonic_time () + TOKEN_MARGIN_US < self->token_expires_us;
}

static void
invalidate_token (TdmShopifyClient *self)
{
  if (self->mode == TDM_SHOPIFY_AUTH_CLIENT_CREDENTIALS)
    wipe_string (&self->token);
}

typedef struct {
  char *url;
  char *form;    /* holds the client secret: wiped on free */
} TokenRequest;

static void
token_request_free (gpointer data)
{
  TokenRequest *req = data;

  g_free (req->url);
  wipe_string (&req->form);
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
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept", "application/json");
  return msg;
}

static void
finish_token_waiters (TdmShopifyClient *self,
                      const GError     *error)
{
  g_autoptr(GPtrArray) waiters = g_steal_pointer (&self->token_waiters);

  self->token_waiters = g_ptr_array_new ();
  for (guint i = 0; i < waiters->len; i++)
    {
      GTask *task = waiters->pdata[i];
      if (error != NULL)
        g_task_return_error (task, g_error_copy (error));
      else
        g_task_return_boolean (task, TRUE);
      g_object_unref (task);
    }
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
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *root;
  const char *token;
  gint64 expires_in = 86399;

  if (body == NULL)
    {
      finish_token_waiters (self, error);
      return;
    }
  if (soup_message_get_status (msg) == 400 || soup_message_get_status (msg) == 401
      || soup_message_get_status (msg) == 403)
    {
      g_set_error (&error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_AUTH,
                   _("Shopify did not accept the client ID and secret. Copy both again from the "
                     "app’s settings in the Shopify Dev Dashboard, and check that the app is "
                     "installed on the shop."));
      finish_token_waiters (self, error);
      return;
    }
  if (!tdm_http_check_status (msg, body, _("Shopify"), &error))
    {
      finish_token_waiters (self, error);
      return;
    }

  parser = json_parser_new ();
  /* json-glib refuses NULL data, which an empty GBytes gives. */
  if (g_bytes_get_size (body) == 0
      || !json_parser_load_from_data (parser, g_bytes_get_data (body, NULL),
                                      g_bytes_get_size (body), NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (&error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_INVALID_RESPONSE,
                   _("Shopify answered the sign-in request with something Tandem cannot read."));
      finish_token_waiters (self, error);
      return;
    }
  root = json_node_get_object (json_parser_get_root (parser));
  token = json_object_get_string_member_with_default (root, "access_token", NULL);
  if (token == NULL || *token == '\0')
    {
      g_set_error (&error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_AUTH,
                   _("Shopify did not hand out an access token. Check the app’s installation in the "
                     "Shopify Dev Dashboard."));
      finish_token_waiters (self, error);
      return;
    }
  if (json_object_has_member (root, "expires_in"))
    expires_in = json_object_get_int_member (root, "expires_in");

  wipe_string (&self->token);
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
  g_autofree char *id = g_uri_escape_string (self->client_id, NULL, FALSE);
  g_autofree char *secret = g_uri_escape_string (self->secret, NULL, FALSE);

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

static void
on_secret_lookup_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(TdmShopifyClient) self = user_data;
  g_autoptr(GError) error = NULL;
  char *secret = tdm_credential_store_lookup_finish (TDM_CREDENTIAL_STORE (source), result, &error);

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
  if (token_valid (self))
    finish_token_waiters (self, NULL);
  else
    request_token (self, NULL);
}

void
tdm_shopify_client_ensure_token_async (TdmShopifyClient    *self,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  gboolean in_flight;

  g_task_set_source_tag (task, tdm_shopify_client_ensure_token_async);
  if (token_valid (self))
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
          g_autoptr(GError) error = g_error_new_literal (TDM_SYNC_ERROR, TDM_SYNC_ERROR_CONFIG,
                                                         _("No Shopify credentials are set. Enter them in the preferences."));
          finish_token_waiters (self, error);
          return;
        }
      tdm_credential_store_lookup_async (self->store, TDM_SIDE_SHOPIFY, self->account, NULL,
                                         on_secret_lookup_cb, g_object_ref (self));
      return;
    }
  if (self->mode == TDM_SHOPIFY_AUTH_TOKEN)
    {
      tdm_shopify_client_set_secret (self, self->secret);
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
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- execute -------------------------------------------------------------- */

/* Shopify's own cap on `first` for any connection. */
#define MAX_CONNECTION_NODES 250

/* Finds a connection ("nodes" or "edges" list) longer than allowed: `limit`
 * for the lists directly in `node`, MAX_CONNECTION_NODES below. */
static gboolean
find_long_connection (JsonNode    *node,
                      const char  *name,
                      guint        limit,
                      const char **out_name,
                      guint       *out_length)
{
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        if (find_long_connection (json_array_get_element (array, i), name,
                                  MAX_CONNECTION_NODES, out_name, out_length))
          return TRUE;
      return FALSE;
    }
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObjectIter iter;
      const char *member;
      JsonNode *child;

      json_object_iter_init (&iter, json_node_get_object (node));
      while (json_object_iter_next (&iter, &member, &child))
        {
          if ((g_strcmp0 (member, "nodes") == 0 || g_strcmp0 (member, "edges") == 0)
              && JSON_NODE_HOLDS_ARRAY (child)
              && json_array_get_length (json_node_get_array (child)) > limit)
            {
              *out_name = name;
              *out_length = json_array_get_length (json_node_get_array (child));
              return TRUE;
            }
          if (find_long_connection (child, member, MAX_CONNECTION_NODES, out_name, out_length))
            return TRUE;
        }
    }
  return FALSE;
}

/* A page never holds more than asked for (`first`, else Shopify's cap). */
static gboolean
check_connection_lengths (JsonObject  *data,
                          gint64       first,
                          GError     **error)
{
  guint limit = first > 0 && first < MAX_CONNECTION_NODES ? (guint) first : MAX_CONNECTION_NODES;
  JsonObjectIter iter;
  const char *member;
  JsonNode *child;

  json_object_iter_init (&iter, data);
  while (json_object_iter_next (&iter, &member, &child))
    {
      const char *name = NULL;
      guint length = 0;

      if (!JSON_NODE_HOLDS_OBJECT (child)
          || !find_long_connection (child, member, limit, &name, &length))
        continue;
      g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_INVALID_RESPONSE,
                   _("Shopify sent %u entries of “%s” in one page although Tandem asked for at "
                     "most %u. The page was refused; the next sync reads it again."),
                   length, name, name == member ? limit : MAX_CONNECTION_NODES);
      return FALSE;
    }
  return TRUE;
}

typedef struct {
  TdmShopifyClient    *self;        /* strong */
  char                *operation;
  char                *body;        /* request JSON */
  double               estimate;
  gboolean             taken;      /* estimate taken from the bucket, not answered yet */
  TdmShopifyExecFlags  flags;
  guint                attempt;     /* transient failures so far */
  guint                throttle_waits;
  gboolean             renewed;     /* token renewed after a 401 */
  guint                wait_id;
  gint64               not_before;  /* monotonic µs: no request before this */
  gint64               first;       /* the "first" variable (0: none) */
  char                *cost_key;    /* queries: see query_cost_key; NULL for mutations */
} ExecState;

static void
exec_state_free (gpointer data)
{
  ExecState *state = data;

  g_clear_handle_id (&state->wait_id, g_source_remove);
  g_clear_object (&state->self);
  g_free (state->operation);
  g_free (state->cost_key);
  g_free (state->body);
  g_free (state);
}

typedef struct {
  char *endpoint;
  char *token;
  char *body;
} GraphqlRequest;

static void
graphql_request_free (gpointer data)
{
  GraphqlRequest *req = data;

  g_free (req->endpoint);
  wipe_string (&req->token);
  g_free (req->body);
  g_free (req);
}

static SoupMessage *
build_graphql_message (gpointer user_data)
{
  GraphqlRequest *req = user_data;
  SoupMessage *msg = soup_message_new (SOUP_METHOD_POST, req->endpoint);
  g_autoptr(GBytes) body = NULL;
  SoupMessageHeaders *headers;

  if (msg == NULL)
    return NULL;
  headers = soup_message_get_request_headers (msg);
  soup_message_headers_replace (headers, "X-Shopify-Access-Token", req->token);
  soup_message_headers_replace (headers, "Accept", "application/json");
  body = g_bytes_new (req->body, strlen (req->body));
  soup_message_set_request_body_from_bytes (msg, "application/json", body);
  return msg;
}

static void exec_step (GTask *task);

static gboolean
on_exec_wait_done_cb (gpointer user_data)
{
  GTask *task = user_data;
  ExecState *state = g_task_get_task_data (task);

  state->wait_id = 0;
  exec_step (task);
  return G_SOURCE_REMOVE;
}

/* Waits in slices of at most 250 ms so a cancelled run stops promptly. */
static void
exec_wait (GTask  *task,
           gint64  wait_us)
{
  ExecState *state = g_task_get_task_data (task);
  gint64 now = g_get_monotonic_time ();
  guint ms;

  state->not_before = MAX (state->not_before, now + wait_us);
  ms = (guint) CLAMP ((state->not_before - now) / 1000, 1, 250);
  state->wait_id = g_timeout_add_full (G_PRIORITY_DEFAULT, ms, on_exec_wait_done_cb, task, NULL);
}

static void
exec_fail (GTask  *task,
           GError *error)
{
  ExecState *state = g_task_get_task_data (task);

  /* Points reserved for a request that will never be sent are given back. */
  if (state != NULL && state->taken)
    {
      tdm_shopify_bucket_settle (&state->self->bucket, state->estimate);
      state->taken = FALSE;
    }
  if (state != NULL)
    op_stats (state->self, state->operation)->in_flight--;
  g_task_return_error (task, error);
  g_object_unref (task);
}

/* A Retry-After longer than Tandem waits within a run (the back-off cap,
 * at least 30 s) ends the run instead, as for the webshop
 * (docs/webshop-api.md, Rate limits); the next run resumes. */
static gboolean
retry_after_too_long (TdmShopifyClient *self,
                      gint64            retry_after_s)
{
  return retry_after_s >= 0
         && retry_after_s * 1000 > MAX ((gint64) self->options.max_delay_ms, 30000);
}

static gboolean
exec_retry_transient (GTask        *task,
                      const GError *error,
                      gint64        retry_after_s)
{
  ExecState *state = g_task_get_task_data (task);
  TdmShopifyClient *self = state->self;
  gint64 delay_us;

  if ((state->flags & TDM_SHOPIFY_EXEC_NO_REPLAY) != 0)
    return FALSE;
  if (state->attempt >= self->options.max_retries)
    return FALSE;
  if (retry_after_too_long (self, retry_after_s))
    return FALSE;
  delay_us = (gint64) tdm_http_backoff_delay_ms (&self->options, state->attempt, self->rand) * 1000;
  if (retry_after_s >= 0)
    delay_us = MAX (delay_us, retry_after_s * G_USEC_PER_SEC);
  state->attempt++;
  g_debug ("%s: %s; retrying in %" G_GINT64_FORMAT " ms (attempt %u)", state->operation,
           error ? error->message : "transient failure", delay_us / 1000, state->attempt + 1);
  exec_wait (task, delay_us);
  return TRUE;
}

static void
remember_cost (GHashTable *table,
               const char *key,
               double      requested)
{
  double *value = g_new (double, 1);

  *value = requested;
  g_hash_table_replace (table, g_strdup (key), value);
}

/* Shopify computes a query's requested cost from the document and the
 * sizes of its connections alone (docs/shopify.md § Cost and throttling):
 * the operation and its whole-number variables ("first", "variantsFirst")
 * name that cost. Mutations are left out: productSet's cost follows its
 * input. NULL for a mutation. */
static char *
query_cost_key (const char *document,
                const char *operation,
                JsonObject *variables)
{
  g_autoptr(GString) key = NULL;
  g_autoptr(GList) names = NULL;

  while (g_ascii_isspace (*document))
    document++;
  if (g_str_has_prefix (document, "mutation"))
    return NULL;
  key = g_string_new (operation);
  names = variables != NULL ? json_object_get_members (variables) : NULL;
  names = g_list_sort (names, (GCompareFunc) strcmp);
  for (GList *l = names; l != NULL; l = l->next)
    {
      JsonNode *node = json_object_get_member (variables, l->data);

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64)
        g_string_append_printf (key, " %s=%" G_GINT64_FORMAT, (const char *) l->data,
                                json_node_get_int (node));
    }
  return g_string_free (g_steal_pointer (&key), FALSE);
}

static void
on_exec_response_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  GTask *task = user_data;
  ExecState *state = g_task_get_task_data (task);
  TdmShopifyClient *self = state->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = tdm_http_send_finish (result, &msg, &error);
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *root = NULL;
  TdmShopifyCost cost;

  TdmShopifyErrorsKind kind;
  guint status;
  gint64 retry_after = -1;
  JsonNode *data;

  if (state->taken)
    {
      tdm_shopify_bucket_settle (&self->bucket, state->estimate);
      state->taken = FALSE;
    }

  if (body == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          exec_fail (task, g_steal_pointer (&error));
          return;
        }
      /* Our own optimistic bucket deduction did not happen on the server. */
      tdm_shopify_bucket_refund (&self->bucket, state->estimate, g_get_monotonic_time ());
      if (tdm_http_error_is_transient (error) && exec_retry_transient (task, error, -1))
        return;
      exec_fail (task, g_steal_pointer (&error));
      return;
    }

  status = soup_message_get_status (msg);
  if (soup_message_get_response_headers (msg) != NULL)
    {
      const char *ra = soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                     "Retry-After");
      if (ra != NULL)
        {
          g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
          retry_after = tdm_http_parse_retry_after (ra, now);
        }
    }

  if (status == 401 && self->mode == TDM_SHOPIFY_AUTH_CLIENT_CREDENTIALS && !state->renewed)
    {
      g_debug ("%s: 401, renewing the access token once", state->operation);
      state->renewed = TRUE;
      invalidate_token (self);
      exec_step (task);
      return;
    }

  parser = json_parser_new ();
  if (g_bytes_get_size (body) > 0
      && json_parser_load_from_data (parser, g_bytes_get_data (body, NULL),
                                     g_bytes_get_size (body), NULL)
      && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    root = json_node_get_object (json_parser_get_root (parser));

  if (root != NULL && tdm_shopify_parse_cost (root, &cost))
    {
      tdm_shopify_bucket_update (&self->bucket, &cost, g_get_monotonic_time ());
      if (cost.requested > 0)
        remember_cost (self->last_cost, state->operation, cost.requested);
      if (cost.requested > 0 && state->cost_key != NULL)
        remember_cost (self->query_cost, state->cost_key, cost.requested);
    }
  else
    {
      memset (&cost, 0, sizeof cost);
      /* A server error or an unreadable answer carries no cost: Shopify did
       * not run the query, so its points were never spent. */
      if (status >= 500 || status == 430 || root == NULL)
        tdm_shopify_bucket_refund (&self->bucket, state->estimate, g_get_monotonic_time ());
    }

  if (status == 403 || status == 401)
    {
      g_autofree char *scope = NULL;
      g_autofree char *text = g_strndup (g_bytes_get_data (body, NULL),
                                         MIN (g_bytes_get_size (body), 4096));
      scope = tdm_shopify_find_scope (text);
      if (scope != NULL)
        exec_fail (task, g_error_new (TDM_SYNC_ERROR, TDM_SYNC_ERROR_AUTH,
                                      _("The Shopify app is missing the access scope “%s”. Add it "
                                        "to the app in the Shopify Dev Dashboard, release a new "
                                        "version and install it again."), scope));
      else if (status == 401)
        exec_fail (task, g_error_new_literal (TDM_SYNC_ERROR, TDM_SYNC_ERROR_AUTH,
                                              _("Shopify did not accept Tandem’s access. Check the "
                                                "credentials in the preferences.")));
      else
        exec_fail (task, g_error_new_literal (TDM_SYNC_ERROR, TDM_SYNC_ERROR_AUTH,
                                              _("Shopify refused access. Check the app’s access "
                                                "scopes in the Shopify Dev Dashboard.")));
      return;
    }

  kind = root ? tdm_shopify_check_errors (root, &error) : TDM_SHOPIFY_ERRORS_NONE;

  if (status == 429 || kind == TDM_SHOPIFY_ERRORS_THROTTLED)
    {
      gint64 wait_us = tdm_shopify_throttle_wait_us (cost.has_throttle ? &cost : NULL);

      self->throttled_count++;
      if (retry_after >= 0)
        wait_us = MAX (wait_us, retry_after * G_USEC_PER_SEC);
      if (state->throttle_waits++ < MAX_THROTTLE_WAITS && !retry_after_too_long (self, retry_after))
        {
          g_debug ("%s: throttled; waiting %" G_GINT64_FORMAT " ms", state->operation,
                   wait_us / 1000);
          exec_wait (task, wait_us);
          return;
        }
      g_clear_error (&error);
      exec_fail (task, g_error_new_literal (TDM_SYNC_ERROR, TDM_SYNC_ERROR_RATE_LIMITED,
                                            _("Shopify kept asking Tandem to slow down. The sync "
                                              "will continue on its next run.")));
      return;
    }

  if (status >= 500 || status == 430)
    {
      g_autoptr(GError) server_error = NULL;
      tdm_http_check_status (msg, body, _("Shopify"), &server_error);
      if (server_error == NULL)
        server_error = g_error_new (TDM_SYNC_ERROR, TDM_SYNC_ERROR_SERVER,
                                    _("Shopify had a server error (HTTP %u). Try again later."), status);
      if (exec_retry_transient (task, server_error, retry_after))
        return;
      exec_fail (task, g_steal_pointer (&server_error));
      return;
    }

  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      g_autoptr(GError) http_error = NULL;
      if (!tdm_http_check_status (msg, body, _("Shopify"), &http_error))
        {
          exec_fail (task, g_steal_pointer (&http_error));
          return;
        }
    }

  if (root == NULL)
    {
      g_autoptr(GError) bad = g_error_new_literal (TDM_SYNC_ERROR, TDM_SYNC_ERROR_INVALID_RESPONSE,
                                                   _("Shopify sent an answer Tandem cannot read. "
                                                     "Try again later."));
      if (exec_retry_transient (task, bad, -1))
        return;
      exec_fail (task, g_steal_pointer (&bad));
      return;
    }

  if (kind == TDM_SHOPIFY_ERRORS_INTERNAL)
    {
      if (exec_retry_transient (task, error, -1))
        return;
      exec_fail (task, g_steal_pointer (&error));
      return;
    }
  if (kind != TDM_SHOPIFY_ERRORS_NONE)
    {
      exec_fail (task, g_steal_pointer (&error));
      return;
    }

  data = json_object_get_member (root, "data");
  if (data == NULL || !JSON_NODE_HOLDS_OBJECT (data))
    {
      exec_fail (task, g_error_new_literal (TDM_SYNC_ERROR, TDM_SYNC_ERROR_INVALID_RESPONSE,
                                            _("Shopify sent an answer without data.")));
      return;
    }

  if (!check_connection_lengths (json_node_get_object (data), state->first, &error))
    {
      exec_fail (task, g_steal_pointer (&error));
      return;
    }

  g_debug ("%s: ok (requested %.0f, actual %.0f, available %.0f of %.0f)", state->operation,
           cost.requested, cost.actual, cost.available, cost.maximum);
  op_stats (self, state->operation)->in_flight--;
  g_task_return_pointer (task, json_object_ref (json_node_get_object (data)),
                         (GDestroyNotify) json_object_unref);
  g_object_unref (task);
}

static void
exec_send (GTask *task)
{
  ExecState *state = g_task_get_task_data (task);
  TdmShopifyClient *self = state->self;
  GraphqlRequest *req;
  TdmHttpOptions options = self->options;
  gint64 now = g_get_monotonic_time ();

  if (!state->taken)
    {
      /* Keep a tenth of a second of restore in hand: the server's clock and
       * ours drift by a few milliseconds, which at an empty bucket is the
       * difference between paced and THROTTLED. It shifts the level, not the rate. */
      double margin = self->bucket.known ? self->bucket.restore_rate / 10.0 : 0.0;
      gint64 wait_us = tdm_shopify_bucket_wait_us (&self->bucket, state->estimate + margin, now);

      /* Reserve the points before waiting: requests queued behind this one
       * then wait for their own points instead of all waking at once. */
      tdm_shopify_bucket_take (&self->bucket, state->estimate, now);
      state->taken = TRUE;
      op_stats (self, state->operation)->reserved = state->estimate;
      if (wait_us > 0)
        {
          g_debug ("%s: pacing, waiting %" G_GINT64_FORMAT " ms for %.0f points", state->operation,
                   wait_us / 1000, state->estimate);
          exec_wait (task, wait_us);
          return;
        }
    }

  req = g_new0 (GraphqlRequest, 1);
  req->endpoint = g_strdup (self->endpoint);
  req->token = g_strdup (self->token);
  req->body = g_strdup (state->body);
  options.max_retries = 0;   /* retries are decided here (cost, replay safety) */
  self->request_count++;
  tdm_http_send_async (self->session, &options, build_graphql_message, req,
                       graphql_request_free, g_task_get_cancellable (task),
                       on_exec_response_cb, task);
}

static void
on_exec_token_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;

  if (!tdm_shopify_client_ensure_token_finish (TDM_SHOPIFY_CLIENT (source), result, &error))
    {
      exec_fail (task, error);
      return;
    }
  exec_send (task);
}

static void
exec_step (GTask *task)
{
  ExecState *state = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  if (cancellable != NULL && g_cancellable_is_cancelled (cancellable))
    {
      exec_fail (task, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                            _("The operation was cancelled.")));
      return;
    }
  if (g_get_monotonic_time () < state->not_before)
    {
      exec_wait (task, 0);
      return;
    }
  if (!token_valid (state->self))
    {
      tdm_shopify_client_ensure_token_async (state->self, cancellable, on_exec_token_cb, task);
      return;
    }
  exec_send (task);
}

void
tdm_shopify_client_execute_async (TdmShopifyClient    *self,
                                  const char          *operation,
                                  JsonObject          *variables,
                                  double               estimated_cost,
                                  TdmShopifyExecFlags  flags,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  GTask *task;
  ExecState *state;
  g_autofree char *document = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonGenerator) gen = NULL;
  g_autoptr(JsonNode) root = NULL;
  GError *error = NULL;
  double *learned;
  OpStats *stats;

  g_return_if_fail (TDM_IS_SHOPIFY_CLIENT (self));
  g_return_if_fail (operation != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tdm_shopify_client_execute_async);
  g_task_set_name (task, operation);

  document = tdm_shopify_client_get_document (operation, &error);
  if (document == NULL)
    {
      exec_fail (task, error);
      return;
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "query");
  json_builder_add_string_value (builder, document);
  json_builder_set_member_name (builder, "operationName");
  json_builder_add_string_value (builder, operation);
  json_builder_set_member_name (builder, "variables");
  if (variables != NULL)
    {
      JsonNode *vars = json_node_new (JSON_NODE_OBJECT);
      json_node_set_object (vars, variables);
      json_builder_add_value (builder, vars);
    }
  else
    {
      json_builder_begin_object (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  gen = json_generator_new ();
  json_generator_set_root (gen, root);

  state = g_new0 (ExecState, 1);
  state->self = g_object_ref (self);
  state->operation = g_strdup (operation);
  state->body = json_generator_to_data (gen, NULL);
  state->flags = flags;
  if (variables != NULL && json_object_has_member (variables, "first")
      && JSON_NODE_HOLDS_VALUE (json_object_get_member (variables, "first")))
    state->first = json_object_get_int_member (variables, "first");
  /* What Shopify reserved for this very query before beats the caller's
   * guess: the estimate is taken from the bucket before sending, so a guess
   * above it makes requests wait for points they do not need, and one below
   * it meets THROTTLED. */
  state->cost_key = query_cost_key (document, operation, variables);
  learned = state->cost_key != NULL ? g_hash_table_lookup (self->query_cost, state->cost_key)
                                    : NULL;
  if (learned != NULL)
    state->estimate = *learned;
  else if (estimated_cost > 0)
    state->estimate = estimated_cost;
  else if (tdm_shopify_client_get_last_cost (self, operation) > 0)
    state->estimate = tdm_shopify_client_get_last_cost (self, operation);
  else
    state->estimate = 10;
  g_task_set_task_data (task, state, exec_state_free);
  stats = op_stats (self, operation);
  stats->in_flight++;
  stats->most_in_flight = MAX (stats->most_in_flight, stats->in_flight);

  exec_step (task);
}

JsonObject *
tdm_shopify_client_execute_finish (TdmShopifyClient  *self,
                                   GAsyncResult      *result,
                                   GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
