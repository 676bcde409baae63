/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-shopify"

#include "config.h"

#include "tdm-shopify-client-private.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "tdm-error.h"

/* Running one GraphQL operation (docs/shopify.md § Cost and throttling):
 * the request waits for its points in the bucket (tdm-shopify-pacing.c),
 * a token is fetched when needed (-token.c), and the answer is checked:
 * THROTTLED and 429 wait and try again, 5xx and unreadable answers are
 * retried with back-off unless the write may have happened, a 401 renews
 * the token once, and a page longer than asked for is refused. */

#define MAX_THROTTLE_WAITS    30
/* Shopify refuses a single query over 1,000 points. */
#define MAX_QUERY_COST_RESERVED 1000.0
/* How often requests look whether the first answer told the bucket. */
#define PROBE_WAIT_US           (20 * 1000)
/* Shopify's own cap on `first` for any connection. */
#define MAX_CONNECTION_NODES  250

/* ---- Checking a page ---- */

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

  g_assert (data != NULL);

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

/* ---- The request ---- */

typedef struct {
  TdmShopifyClient    *self;        /* strong */
  char                *operation;
  char                *body;        /* request JSON */
  double               estimate;
  gboolean             taken;       /* estimate taken from the bucket, not answered yet */
  TdmShopifyExecFlags  flags;
  guint                attempt;     /* transient failures so far */
  guint                throttle_waits;
  gboolean             renewed;     /* token renewed after a 401 */
  guint                wait_id;
  gint64               not_before;  /* monotonic µs: no request before this */
  gint64               first;       /* the "first" variable (0: none) */
  char                *cost_key;    /* _tdm_shopify_query_cost_key */
  gboolean             probe;       /* sent while the bucket was unknown */
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
  _tdm_shopify_wipe_string (&req->token);
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

/* {"query", "operationName", "variables"} as JSON text. */
static char *
build_request_body (const char *document,
                    const char *operation,
                    JsonObject *variables)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  g_assert (document != NULL);
  g_assert (operation != NULL);

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
  json_generator_set_root (gen, root);
  return json_generator_to_data (gen, NULL);
}

/* ---- Waiting, retrying, failing ---- */

static void exec_step (GTask *task);

static gboolean
on_exec_wait_done_cb (gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  ExecState *state = g_task_get_task_data (task);

  g_assert (state != NULL);

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

  g_assert (state != NULL && state->wait_id == 0);

  state->not_before = MAX (state->not_before, now + wait_us);
  ms = (guint) CLAMP ((state->not_before - now) / 1000, 1, 250);
  state->wait_id = g_timeout_add_full (G_PRIORITY_DEFAULT, ms, on_exec_wait_done_cb,
                                       g_object_ref (task), NULL);
}

/* The answer to the request sent while the bucket was unknown is in (or
 * it failed): the others may go now. */
static void
exec_end_probe (ExecState *state)
{
  g_assert (state != NULL);

  if (!state->probe)
    return;
  state->probe = FALSE;
  state->self->probing = FALSE;
}

/* Returns `error` (transfer full) from `task`. */
static void
exec_fail (GTask  *task,
           GError *error)
{
  ExecState *state = g_task_get_task_data (task);

  g_assert (error != NULL);

  if (state != NULL)
    exec_end_probe (state);

  /* Points reserved for a request that will never be sent are given back. */
  if (state != NULL && state->taken)
    {
      tdm_shopify_bucket_settle (&state->self->bucket, state->estimate);
      state->taken = FALSE;
    }
  if (state != NULL)
    _tdm_shopify_client_op_stats (state->self, state->operation)->in_flight--;
  g_task_return_error (task, error);
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

/* Tries again after a back-off (at least `retry_after_s` when >= 0) when
 * the operation may be replayed and tries are left; FALSE otherwise. */
static gboolean
exec_retry_transient (GTask        *task,
                      const GError *error,
                      gint64        retry_after_s)
{
  ExecState *state = g_task_get_task_data (task);
  TdmShopifyClient *self;
  gint64 delay_us;

  g_assert (state != NULL);

  self = state->self;
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

/* Tries again when it may, else returns `error` (transfer full). */
static void
exec_retry_or_fail (GTask  *task,
                    GError *error,
                    gint64  retry_after_s)
{
  g_assert (error != NULL);

  if (exec_retry_transient (task, error, retry_after_s))
    {
      g_error_free (error);
      return;
    }
  exec_fail (task, error);
}

/* ---- Reading the answer ---- */

/* No answer at all (`error`, transfer full): Shopify did not spend the
 * points; tries again after transient troubles. */
static void
exec_transport_failed (GTask  *task,
                       GError *error)
{
  ExecState *state = g_task_get_task_data (task);

  g_assert (state != NULL);
  g_assert (error != NULL);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      exec_fail (task, error);
      return;
    }
  /* Our own optimistic bucket deduction did not happen on the server. */
  tdm_shopify_bucket_refund (&state->self->bucket, state->estimate, g_get_monotonic_time ());
  if (tdm_http_error_is_transient (error))
    {
      exec_retry_or_fail (task, error, -1);
      return;
    }
  exec_fail (task, error);
}

/* Seconds of the answer's Retry-After, or -1. */
static gint64
response_retry_after (SoupMessage *msg)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (msg);
  const char *value;
  g_autoptr(GDateTime) now = NULL;

  g_assert (SOUP_IS_MESSAGE (msg));

  if (headers == NULL)
    return -1;
  value = soup_message_headers_get_one (headers, "Retry-After");
  if (value == NULL)
    return -1;
  now = g_date_time_new_now_utc ();
  return tdm_http_parse_retry_after (value, now);
}

/* The answer's JSON object, or NULL when it is not one. */
static JsonObject *
parse_response_root (JsonParser *parser,
                     GBytes     *body)
{
  g_assert (JSON_IS_PARSER (parser));
  g_assert (body != NULL);

  if (g_bytes_get_size (body) > 0
      && json_parser_load_from_data (parser, g_bytes_get_data (body, NULL),
                                     g_bytes_get_size (body), NULL)
      && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return json_node_get_object (json_parser_get_root (parser));
  return NULL;
}

/* Learns the bucket and the requested cost from the answer into `cost`;
 * an answer without a cost (a server error, an unreadable answer) gives
 * the points back: Shopify did not run the query. */
static void
exec_account_cost (ExecState      *state,
                   JsonObject     *root,
                   guint           status,
                   TdmShopifyCost *cost)
{
  TdmShopifyClient *self = state->self;

  g_assert (cost != NULL);

  if (root != NULL && tdm_shopify_parse_cost (root, cost))
    {
      _tdm_shopify_client_learn_cost (self, state->operation, state->cost_key, cost);
      return;
    }
  memset (cost, 0, sizeof *cost);
  if (status >= 500 || status == 430 || root == NULL)
    tdm_shopify_bucket_refund (&self->bucket, state->estimate, g_get_monotonic_time ());
}

/* A 401 or 403: the error names the missing scope when the answer does. */
static void
exec_access_refused (GTask  *task,
                     guint   status,
                     GBytes *body)
{
  g_autofree char *text = NULL;
  g_autofree char *scope = NULL;

  g_assert (status == 401 || status == 403);

  text = g_strndup (g_bytes_get_data (body, NULL), MIN (g_bytes_get_size (body), 4096));
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
}

/* THROTTLED or 429: waits for the points (or Retry-After) and tries
 * again, up to MAX_THROTTLE_WAITS times. */
static void
exec_throttled (GTask                *task,
                const TdmShopifyCost *cost,
                gint64                retry_after)
{
  ExecState *state = g_task_get_task_data (task);
  TdmShopifyClient *self = state->self;
  gint64 wait_us = tdm_shopify_throttle_wait_us (cost->has_throttle ? cost : NULL);

  g_assert (TDM_IS_SHOPIFY_CLIENT (self));

  self->throttled_count++;
  /* Ask for what Shopify said it requests when trying again. */
  if (cost->has_cost && cost->requested > state->estimate)
    state->estimate = MIN (cost->requested, MAX_QUERY_COST_RESERVED);
  if (retry_after >= 0)
    wait_us = MAX (wait_us, retry_after * G_USEC_PER_SEC);
  if (state->throttle_waits++ < MAX_THROTTLE_WAITS && !retry_after_too_long (self, retry_after))
    {
      g_debug ("%s: throttled; waiting %" G_GINT64_FORMAT " ms", state->operation,
               wait_us / 1000);
      exec_wait (task, wait_us);
      return;
    }
  exec_fail (task, g_error_new_literal (TDM_SYNC_ERROR, TDM_SYNC_ERROR_RATE_LIMITED,
                                        _("Shopify kept asking Tandem to slow down. The sync "
                                          "will continue on its next run.")));
}

/* A 5xx or 430: tried again after a back-off unless the write may have
 * happened. */
static void
exec_server_error (GTask       *task,
                   SoupMessage *msg,
                   GBytes      *body,
                   guint        status,
                   gint64       retry_after)
{
  GError *error = NULL;

  g_assert (status >= 500 || status == 430);

  tdm_http_check_status (msg, body, _("Shopify"), &error);
  if (error == NULL)
    error = g_error_new (TDM_SYNC_ERROR, TDM_SYNC_ERROR_SERVER,
                         _("Shopify had a server error (HTTP %u). Try again later."), status);
  exec_retry_or_fail (task, error, retry_after);
}

/* Returns the answer's data when it is whole and no longer than asked. */
static void
exec_return_data (GTask                *task,
                  JsonObject           *root,
                  const TdmShopifyCost *cost)
{
  ExecState *state = g_task_get_task_data (task);
  JsonNode *data = json_object_get_member (root, "data");
  GError *error = NULL;

  g_assert (state != NULL);

  if (data == NULL || !JSON_NODE_HOLDS_OBJECT (data))
    {
      exec_fail (task, g_error_new_literal (TDM_SYNC_ERROR, TDM_SYNC_ERROR_INVALID_RESPONSE,
                                            _("Shopify sent an answer without data.")));
      return;
    }
  if (!check_connection_lengths (json_node_get_object (data), state->first, &error))
    {
      exec_fail (task, error);
      return;
    }
  g_debug ("%s: ok (requested %.0f, actual %.0f, available %.0f of %.0f)", state->operation,
           cost->requested, cost->actual, cost->available, cost->maximum);
  _tdm_shopify_client_op_stats (state->self, state->operation)->in_flight--;
  g_task_return_pointer (task, json_object_ref (json_node_get_object (data)),
                         (GDestroyNotify) json_object_unref);
}

/* Keeps the answer's Date (Shopify's clock) for the operation. */
static void
remember_answered_at (TdmShopifyClient *self,
                      const char       *operation,
                      SoupMessage      *msg)
{
  const char *date = soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                   "Date");
  g_autoptr(GDateTime) dt = date != NULL ? soup_date_time_new_from_http_string (date) : NULL;
  g_autoptr(GDateTime) utc = dt != NULL ? g_date_time_to_utc (dt) : NULL;

  g_assert (TDM_IS_SHOPIFY_CLIENT (self));
  g_assert (operation != NULL);

  if (utc == NULL)
    g_hash_table_remove (self->answered_at, operation);
  else
    g_hash_table_replace (self->answered_at, g_strdup (operation),
                          g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ"));
}

/* Decides what an answer means (docs/shopify.md § Cost and throttling),
 * in this order: access refused, throttled, server error, another HTTP
 * error, unreadable, errors in the body, then the data. */
static void
exec_handle_answer (GTask       *task,
                    SoupMessage *msg,
                    GBytes      *body,
                    JsonObject  *root,
                    gint64       retry_after)
{
  ExecState *state = g_task_get_task_data (task);
  guint status = soup_message_get_status (msg);
  TdmShopifyErrorsKind kind;
  TdmShopifyCost cost;
  GError *error = NULL;

  g_assert (state != NULL);
  g_assert (body != NULL);

  exec_account_cost (state, root, status, &cost);
  if (status == 403 || status == 401)
    {
      exec_access_refused (task, status, body);
      return;
    }
  kind = root ? tdm_shopify_check_errors (root, &error) : TDM_SHOPIFY_ERRORS_NONE;
  if (status == 429 || kind == TDM_SHOPIFY_ERRORS_THROTTLED)
    {
      g_clear_error (&error);
      exec_throttled (task, &cost, retry_after);
      return;
    }
  if (status >= 500 || status == 430)
    {
      g_clear_error (&error);
      exec_server_error (task, msg, body, status, retry_after);
      return;
    }
  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      GError *http_error = NULL;

      if (!tdm_http_check_status (msg, body, _("Shopify"), &http_error))
        {
          g_clear_error (&error);
          exec_fail (task, http_error);
          return;
        }
    }
  if (root == NULL)
    {
      exec_retry_or_fail (task, g_error_new_literal (TDM_SYNC_ERROR,
                                                     TDM_SYNC_ERROR_INVALID_RESPONSE,
                                                     _("Shopify sent an answer Tandem cannot "
                                                       "read. Try again later.")),
                          -1);
      return;
    }
  if (kind == TDM_SHOPIFY_ERRORS_INTERNAL)
    {
      exec_retry_or_fail (task, error, -1);
      return;
    }
  if (kind != TDM_SHOPIFY_ERRORS_NONE)
    {
      exec_fail (task, error);
      return;
    }
  remember_answered_at (state->self, state->operation, msg);
  exec_return_data (task, root, &cost);
}

static void
on_exec_response_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ExecState *state = g_task_get_task_data (task);
  TdmShopifyClient *self = state->self;
  GError *error = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = tdm_http_send_finish (result, &msg, &error);
  g_autoptr(JsonParser) parser = NULL;

  g_assert (TDM_IS_SHOPIFY_CLIENT (self));

  exec_end_probe (state);
  if (state->taken)
    {
      tdm_shopify_bucket_settle (&self->bucket, state->estimate);
      state->taken = FALSE;
    }
  if (body == NULL)
    {
      exec_transport_failed (task, error);
      return;
    }
  if (soup_message_get_status (msg) == 401 && self->mode == TDM_SHOPIFY_AUTH_CLIENT_CREDENTIALS
      && !state->renewed)
    {
      g_debug ("%s: 401, renewing the access token once", state->operation);
      state->renewed = TRUE;
      _tdm_shopify_client_invalidate_token (self);
      exec_step (task);
      return;
    }
  parser = json_parser_new ();
  exec_handle_answer (task, msg, body, parse_response_root (parser, body),
                      response_retry_after (msg));
}

/* ---- Sending ---- */

/* Sends the request once its points are reserved (waiting for them first
 * when the bucket is short). */
static void
exec_send (GTask *task)
{
  ExecState *state = g_task_get_task_data (task);
  TdmShopifyClient *self = state->self;
  GraphqlRequest *req;
  TdmHttpOptions options = self->options;

  g_assert (TDM_IS_SHOPIFY_CLIENT (self));

  /* Until an answer tells the bucket (a new client: after a restart, the
   * bucket may be nearly empty), one request goes alone; the rest wait
   * for its answer instead of all being sent blind. */
  if (!self->bucket.known && self->probing && !state->probe)
    {
      exec_wait (task, PROBE_WAIT_US);
      return;
    }
  if (!self->bucket.known && !state->probe)
    {
      self->probing = TRUE;
      state->probe = TRUE;
    }
  if (!state->taken)
    {
      gint64 wait_us = _tdm_shopify_client_reserve (self, state->operation, state->estimate);

      state->taken = TRUE;
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
                       on_exec_response_cb, g_object_ref (task));
}

static void
on_exec_token_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!tdm_shopify_client_ensure_token_finish (TDM_SHOPIFY_CLIENT (source), result, &error))
    {
      exec_fail (task, error);
      return;
    }
  exec_send (task);
}

/* The next step of a request: stop when cancelled, wait while it must,
 * get a token, send. */
static void
exec_step (GTask *task)
{
  ExecState *state = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  g_assert (state != NULL);

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
  if (!_tdm_shopify_client_token_valid (state->self))
    {
      tdm_shopify_client_ensure_token_async (state->self, cancellable, on_exec_token_cb,
                                             g_object_ref (task));
      return;
    }
  exec_send (task);
}

/* ---- Public API ---- */

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
  g_autoptr(GTask) task = NULL;
  ExecState *state;
  g_autofree char *document = NULL;
  GError *error = NULL;
  TdmShopifyOpStats *stats;

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

  state = g_new0 (ExecState, 1);
  state->self = g_object_ref (self);
  state->operation = g_strdup (operation);
  state->body = build_request_body (document, operation, variables);
  state->flags = flags;
  if (variables != NULL && json_object_has_member (variables, "first")
      && JSON_NODE_HOLDS_VALUE (json_object_get_member (variables, "first")))
    state->first = json_object_get_int_member (variables, "first");
  state->cost_key = _tdm_shopify_query_cost_key (document, operation, variables);
  state->estimate = _tdm_shopify_client_estimate (self, state->cost_key, operation,
                                                  tdm_shopify_requested_cost_estimate (document,
                                                                                        variables),
                                                  estimated_cost);
  g_task_set_task_data (task, state, exec_state_free);
  stats = _tdm_shopify_client_op_stats (self, operation);
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
