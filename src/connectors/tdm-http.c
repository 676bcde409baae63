/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-http"

#include "config.h"

#include "tdm-http.h"
#include "tdm-json-text.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#define SECRETS_KEY       "tdm-http-secrets"
#define SECRET_HDRS_KEY   "tdm-http-secret-headers"
#define REQUEST_COUNT_KEY "tdm-http-request-count"
#define READ_CHUNK        (64 * 1024)

static const char * const default_secret_headers[] = {
  "Authorization",
  "Proxy-Authorization",
  "X-Shopify-Access-Token",
  "X-API-Key",
  "Cookie",
  "Set-Cookie",
  NULL
};

static const char * const secret_keys[] = {
  "access_token", "client_secret", "password", "token", "secret", "api_key", NULL
};

/* Options */

void
tdm_http_options_init (TdmHttpOptions *options)
{
  g_return_if_fail (options != NULL);

  options->timeout_seconds = 30;
  options->connect_timeout = 10;
  options->max_retries = 4;
  options->base_delay_ms = 500;
  options->max_delay_ms = 30000;
  options->max_body_bytes = 64 * 1024 * 1024;
}

static const TdmHttpOptions *
options_or_default (const TdmHttpOptions *options,
                    TdmHttpOptions       *storage)
{
  if (options != NULL)
    return options;
  tdm_http_options_init (storage);
  return storage;
}

/* Redaction */

char *
tdm_http_redact (const char         *text,
                 const char * const *secrets)
{
  g_autoptr(GString) out = NULL;

  if (text == NULL)
    return NULL;

  out = g_string_new (text);
  for (guint i = 0; secrets != NULL && secrets[i] != NULL; i++)
    {
      /* Very short "secrets" would mask ordinary words; nobody uses them. */
      if (strlen (secrets[i]) < 4)
        continue;
      g_string_replace (out, secrets[i], "[redacted]", 0);
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static gboolean
is_secret_header (const char         *name,
                  const char * const *extra)
{
  for (guint i = 0; default_secret_headers[i] != NULL; i++)
    if (g_ascii_strcasecmp (name, default_secret_headers[i]) == 0)
      return TRUE;
  for (guint i = 0; extra != NULL && extra[i] != NULL; i++)
    if (g_ascii_strcasecmp (name, extra[i]) == 0)
      return TRUE;
  return FALSE;
}

static GRegex *
get_secret_value_regex (void)
{
  static GRegex *regex = NULL;

  if (g_once_init_enter (&regex))
    {
      g_autoptr(GString) keys = g_string_new (NULL);
      GRegex *r;

      for (guint i = 0; secret_keys[i] != NULL; i++)
        g_string_append_printf (keys, "%s%s", i ? "|" : "", secret_keys[i]);
      /* JSON string members ("password": "…") and form fields (password=…). */
      g_autofree char *pattern =
        g_strdup_printf ("(\"(?:%s)\"\\s*:\\s*)\"(?:[^\"\\\\]|\\\\.)*\""
                         "|(\\b(?:%s)=)[^&\\s]*",
                         keys->str, keys->str);
      r = g_regex_new (pattern, G_REGEX_CASELESS | G_REGEX_OPTIMIZE, 0, NULL);
      g_assert (r != NULL);
      g_once_init_leave (&regex, r);
    }

  return regex;
}

static gboolean
replace_secret_value_cb (const GMatchInfo *info,
                         GString          *result,
                         gpointer          user_data)
{
  g_autofree char *json_prefix = g_match_info_fetch (info, 1);
  g_autofree char *form_prefix = g_match_info_fetch (info, 2);

  if (json_prefix != NULL && *json_prefix != '\0')
    g_string_append_printf (result, "%s\"[redacted]\"", json_prefix);
  else
    g_string_append_printf (result, "%s[redacted]", form_prefix ? form_prefix : "");
  return FALSE;
}

char *
tdm_http_redact_line (const char         *line,
                      const char * const *secret_headers)
{
  const char *colon;

  if (line == NULL)
    return NULL;

  /* A header line: "Name: value". Names have no spaces. */
  colon = strchr (line, ':');
  if (colon != NULL && colon > line && memchr (line, ' ', colon - line) == NULL
      && memchr (line, '"', colon - line) == NULL && memchr (line, '{', colon - line) == NULL)
    {
      g_autofree char *name = g_strndup (line, colon - line);

      if (is_secret_header (name, secret_headers))
        return g_strdup_printf ("%s: [redacted]", name);
    }

  return g_regex_replace_eval (get_secret_value_regex (), line, -1, 0, 0,
                               replace_secret_value_cb, NULL, NULL);
}

/* Session */

static void
on_logger_print (SoupLogger         *logger,
                 SoupLoggerLogLevel  level,
                 char                direction,
                 const char         *data,
                 gpointer            user_data)
{
  SoupSession *session = user_data;
  const char * const *headers = g_object_get_data (G_OBJECT (session), SECRET_HDRS_KEY);
  GPtrArray *secrets = g_object_get_data (G_OBJECT (session), SECRETS_KEY);
  g_autofree char *masked = tdm_http_redact_line (data, headers);
  g_autofree char *clean = tdm_http_redact (masked,
                                            secrets ? (const char * const *) secrets->pdata : NULL);

  g_debug ("%c %s", direction, clean);
}

static void
on_session_request_queued (SoupSession *session,
                           SoupMessage *msg,
                           gpointer     user_data)
{
  guint64 *count = g_object_get_data (G_OBJECT (session), REQUEST_COUNT_KEY);

  if (count != NULL)
    (*count)++;
}

static void
free_secret_array (gpointer data)
{
  GPtrArray *secrets = data;

  /* Wipe before freeing: the strings are credentials. */
  for (guint i = 0; i < secrets->len; i++)
    {
      char *s = g_ptr_array_index (secrets, i);

      if (s != NULL)
        memset (s, 0, strlen (s));
    }
  g_ptr_array_unref (secrets);
}

/* Honour the usual proxy variables, but never send loopback traffic (the
 * sandbox and the tests) through a proxy. */
static GProxyResolver *
create_proxy_resolver (void)
{
  const char *proxy = g_getenv ("https_proxy");
  g_auto(GStrv) ignore = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  const char *no_proxy;
  GProxyResolver *resolver;

  if (proxy == NULL || *proxy == '\0')
    proxy = g_getenv ("HTTPS_PROXY");
  if (proxy == NULL || *proxy == '\0')
    proxy = g_getenv ("all_proxy");
  if (proxy == NULL || *proxy == '\0')
    return NULL;

  g_strv_builder_add_many (builder, "localhost", "127.0.0.0/8", "::1", NULL);
  no_proxy = g_getenv ("no_proxy");
  if (no_proxy != NULL)
    {
      g_auto(GStrv) parts = g_strsplit (no_proxy, ",", -1);

      for (guint i = 0; parts[i] != NULL; i++)
        {
          g_strstrip (parts[i]);
          if (*parts[i] != '\0')
            g_strv_builder_add (builder, parts[i]);
        }
    }
  ignore = g_strv_builder_end (builder);
  resolver = g_simple_proxy_resolver_new (proxy, ignore);
  return resolver;
}

SoupSession *
tdm_http_session_new (const TdmHttpOptions *options,
                      const char * const   *secret_headers)
{
  TdmHttpOptions defaults;
  g_autoptr(GProxyResolver) resolver = NULL;
  SoupSession *session;

  options = options_or_default (options, &defaults);
  resolver = create_proxy_resolver ();

  /* Room for the largest profile concurrency (32): a request must never wait
   * for a connection slot here, or its connect timer would run meanwhile. */
  session = soup_session_new_with_options ("user-agent", "Tandem/" PACKAGE_VERSION,
                                           "timeout", MAX (options->timeout_seconds, 1u),
                                           "idle-timeout", 60,
                                           "max-conns", 64,
                                           "max-conns-per-host", 32,
                                           "proxy-resolver", resolver,
                                           NULL);

  g_object_set_data_full (G_OBJECT (session), SECRET_HDRS_KEY,
                          g_strdupv ((char **) secret_headers), (GDestroyNotify) g_strfreev);
  g_object_set_data_full (G_OBJECT (session), SECRETS_KEY,
                          g_ptr_array_new_null_terminated (4, g_free, TRUE),
                          free_secret_array);
  g_object_set_data_full (G_OBJECT (session), REQUEST_COUNT_KEY, g_new0 (guint64, 1), g_free);
  g_signal_connect (session, "request-queued", G_CALLBACK (on_session_request_queued), NULL);

  if (!g_log_writer_default_would_drop (G_LOG_LEVEL_DEBUG, G_LOG_DOMAIN))
    {
      g_autoptr(SoupLogger) logger = soup_logger_new (SOUP_LOGGER_LOG_BODY);

      soup_logger_set_max_body_size (logger, 16 * 1024);
      soup_logger_set_printer (logger, on_logger_print, session, NULL);
      soup_session_add_feature (session, SOUP_SESSION_FEATURE (logger));
    }

  return session;
}

void
tdm_http_session_add_secret (SoupSession *session,
                             const char  *secret)
{
  GPtrArray *secrets;

  g_return_if_fail (SOUP_IS_SESSION (session));

  if (secret == NULL || *secret == '\0')
    return;

  secrets = g_object_get_data (G_OBJECT (session), SECRETS_KEY);
  g_return_if_fail (secrets != NULL);
  for (guint i = 0; i < secrets->len; i++)
    if (g_strcmp0 (g_ptr_array_index (secrets, i), secret) == 0)
      return;
  g_ptr_array_add (secrets, g_strdup (secret));
}

guint64
tdm_http_session_get_request_count (SoupSession *session)
{
  guint64 *count;

  g_return_val_if_fail (SOUP_IS_SESSION (session), 0);

  count = g_object_get_data (G_OBJECT (session), REQUEST_COUNT_KEY);
  return count ? *count : 0;
}

/* URLs */

gboolean
tdm_http_is_loopback_host (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;
  g_autofree char *bare = NULL;
  gsize len;

  if (host == NULL || *host == '\0')
    return FALSE;

  if (g_ascii_strcasecmp (host, "localhost") == 0
      || g_ascii_strcasecmp (host, "localhost.") == 0)
    return TRUE;

  len = strlen (host);
  if (host[0] == '[' && host[len - 1] == ']')
    bare = g_strndup (host + 1, len - 2);
  else
    bare = g_strdup (host);

  address = g_inet_address_new_from_string (bare);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

gboolean
tdm_http_check_url (const char  *url,
                    GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  const char *host;

  if (url == NULL || *url == '\0')
    {
      g_set_error_literal (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_CONFIG,
                           _("No address is set. Enter the address of the shop in Preferences."));
      return FALSE;
    }

  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  host = uri ? g_uri_get_host (uri) : NULL;
  if (uri == NULL || host == NULL || *host == '\0')
    {
      g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_CONFIG,
                   _("“%s” is not a valid web address. Enter an address such as "
                     "https://shop.example.com/api/tandem/v1."), url);
      return FALSE;
    }

  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "https") == 0)
    return TRUE;

  if (g_ascii_strcasecmp (scheme, "http") == 0)
    {
      if (tdm_http_is_loopback_host (host))
        return TRUE;
      g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_INSECURE,
                   _("The address for %s uses plain http://, which would send your "
                     "credentials and customer data unencrypted. Use an https:// address "
                     "for %s instead."), host, host);
      return FALSE;
    }

  g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_CONFIG,
               _("The address “%s” does not start with https://. Enter an https:// address."),
               url);
  return FALSE;
}

/* JSON nesting */

gboolean
tdm_http_check_json_depth (const char  *data,
                           gsize        length,
                           guint        max_depth,
                           const char  *host,
                           GError     **error)
{
  gboolean in_string = FALSE;
  guint depth = 0;

  for (gsize i = 0; data != NULL && i < length; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
          continue;
        }

      switch (c)
        {
        case '"':
          in_string = TRUE;
          break;
        case '[':
        case '{':
          if (++depth > max_depth)
            {
              if (host != NULL)
                g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_INVALID_RESPONSE,
                             _("The answer from %s is nested more than %u levels deep, which "
                               "no shop sends. Tandem refused it; check that the address points "
                               "to the right server."), host, max_depth);
              else
                g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_INVALID_RESPONSE,
                             _("The data is nested more than %u levels deep, which no shop "
                               "sends. Tandem refused it."), max_depth);
              return FALSE;
            }
          break;
        case ']':
        case '}':
          if (depth > 0)
            depth--;
          break;
        default:
          break;
        }
    }
  return TRUE;
}

/* Line limit */

#define TDM_TYPE_HTTP_LINE_LIMIT_STREAM (tdm_http_line_limit_stream_get_type ())
G_DECLARE_FINAL_TYPE (TdmHttpLineLimitStream, tdm_http_line_limit_stream, TDM,
                      HTTP_LINE_LIMIT_STREAM, GFilterInputStream)

struct _TdmHttpLineLimitStream
{
  GFilterInputStream  parent_instance;
  gsize               max_line;
  gsize               line;      /* bytes since the last newline */
  char               *host;
};

G_DEFINE_FINAL_TYPE (TdmHttpLineLimitStream, tdm_http_line_limit_stream,
                     G_TYPE_FILTER_INPUT_STREAM)

/* Counts the bytes just read; FALSE with an error when a line is too long. */
static gboolean
line_limit_account (TdmHttpLineLimitStream  *self,
                    const char              *data,
                    gssize                   n,
                    GError                 **error)
{
  for (gssize i = 0; i < n; i++)
    {
      if (data[i] == '\n')
        self->line = 0;
      else if (++self->line > self->max_line)
        {
          g_autofree char *size = g_format_size (self->max_line);

          if (self->host != NULL)
            g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_INVALID_RESPONSE,
                         _("A line of the answer from %s is longer than %s, which no real "
                           "export has. Tandem stopped reading it; the next sync starts "
                           "again."), self->host, size);
          else
            g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_INVALID_RESPONSE,
                         _("A line of the answer is longer than %s, which no real export "
                           "has. Tandem stopped reading it; the next sync starts again."),
                         size);
          return FALSE;
        }
    }
  return TRUE;
}

static gssize
line_limit_read (GInputStream  *stream,
                 void          *buffer,
                 gsize          count,
                 GCancellable  *cancellable,
                 GError       **error)
{
  TdmHttpLineLimitStream *self = TDM_HTTP_LINE_LIMIT_STREAM (stream);
  GInputStream *base = g_filter_input_stream_get_base_stream (G_FILTER_INPUT_STREAM (stream));
  gssize n = g_input_stream_read (base, buffer, count, cancellable, error);

  if (n > 0 && !line_limit_account (self, buffer, n, error))
    return -1;
  return n;
}

static void
on_line_limit_base_read_cb (GObject      *source,
                            GAsyncResult *result,
                            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TdmHttpLineLimitStream *self = g_task_get_source_object (task);
  GError *error = NULL;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);

  if (n < 0 || (n > 0 && !line_limit_account (self, g_task_get_task_data (task), n, &error)))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_int (task, n);
}

/* Forwarded to the base stream's own async read: a response stream of an
 * async session must not be read from a worker thread. */
static void
line_limit_read_async (GInputStream        *stream,
                       void                *buffer,
                       gsize                count,
                       int                  io_priority,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  GInputStream *base = g_filter_input_stream_get_base_stream (G_FILTER_INPUT_STREAM (stream));
  GTask *task = g_task_new (stream, cancellable, callback, user_data);

  g_task_set_source_tag (task, line_limit_read_async);
  g_task_set_task_data (task, buffer, NULL);
  g_input_stream_read_async (base, buffer, count, io_priority, cancellable,
                             on_line_limit_base_read_cb, task);
}

static gssize
line_limit_read_finish (GInputStream  *stream,
                        GAsyncResult  *result,
                        GError       **error)
{
  return g_task_propagate_int (G_TASK (result), error);
}

static void
tdm_http_line_limit_stream_finalize (GObject *object)
{
  TdmHttpLineLimitStream *self = TDM_HTTP_LINE_LIMIT_STREAM (object);

  g_free (self->host);
  G_OBJECT_CLASS (tdm_http_line_limit_stream_parent_class)->finalize (object);
}

static void
tdm_http_line_limit_stream_class_init (TdmHttpLineLimitStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GInputStreamClass *stream_class = G_INPUT_STREAM_CLASS (klass);

  object_class->finalize = tdm_http_line_limit_stream_finalize;
  stream_class->read_fn = line_limit_read;
  stream_class->read_async = line_limit_read_async;
  stream_class->read_finish = line_limit_read_finish;
}

static void
tdm_http_line_limit_stream_init (TdmHttpLineLimitStream *self)
{
}

GInputStream *
tdm_http_line_limit_stream_new (GInputStream *base,
                                gsize         max_line_bytes,
                                const char   *host)
{
  TdmHttpLineLimitStream *self;

  g_return_val_if_fail (G_IS_INPUT_STREAM (base), NULL);

  self = g_object_new (TDM_TYPE_HTTP_LINE_LIMIT_STREAM, "base-stream", base, NULL);
  self->max_line = MAX (max_line_bytes, 1);
  self->host = g_strdup (host);
  return G_INPUT_STREAM (self);
}

/* Status mapping */

static char *
dup_member_string (JsonObject *object,
                   const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
  return NULL;
}

gboolean
tdm_http_parse_error_body (GBytes  *body,
                           char   **out_code,
                           char   **out_message,
                           char   **out_field,
                           char   **out_existing_id)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonNode *root;
  JsonObject *error_object;
  gsize len = 0;
  const char *data;

  if (out_code) *out_code = NULL;
  if (out_message) *out_message = NULL;
  if (out_field) *out_field = NULL;
  if (out_existing_id) *out_existing_id = NULL;

  if (body == NULL)
    return FALSE;
  data = g_bytes_get_data (body, &len);
  if (data == NULL || len == 0 || len > 64 * 1024)
    return FALSE;

  if (!tdm_http_check_json_depth (data, len, TDM_HTTP_MAX_JSON_DEPTH, NULL, NULL))
    return FALSE;
  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, data, len, NULL))
    return FALSE;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return FALSE;

  if (!json_object_has_member (json_node_get_object (root), "error"))
    return FALSE;
  root = json_object_get_member (json_node_get_object (root), "error");
  if (JSON_NODE_HOLDS_VALUE (root) && json_node_get_value_type (root) == G_TYPE_STRING)
    {
      /* {"error": "message"} is common enough to accept. */
      if (out_message)
        *out_message = g_strdup (json_node_get_string (root));
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_OBJECT (root))
    return FALSE;

  error_object = json_node_get_object (root);
  if (out_code) *out_code = dup_member_string (error_object, "code");
  if (out_message) *out_message = dup_member_string (error_object, "message");
  if (out_field) *out_field = dup_member_string (error_object, "field");
  if (out_existing_id) *out_existing_id = dup_member_string (error_object, "existing_id");
  return TRUE;
}

static char *
with_server_message (const char *sentence,
                     const char *server_message)
{
  if (server_message == NULL || *server_message == '\0')
    return g_strdup (sentence);
  /* TRANSLATORS: first %s is a full sentence, second the server's own words */
  return g_strdup_printf (_("%s The server said: “%s”"), sentence, server_message);
}

gboolean
tdm_http_check_status (SoupMessage *msg,
                       GBytes      *body,
                       const char  *what,
                       GError     **error)
{
  g_return_val_if_fail (SOUP_IS_MESSAGE (msg), FALSE);

  return tdm_http_status_to_error (soup_message_get_status (msg), body, what, error);
}

gboolean
tdm_http_status_to_error (guint        status,
                          GBytes      *body,
                          const char  *what,
                          GError     **error)
{
  g_autofree char *server_message = NULL;
  g_autofree char *field = NULL;
  g_autofree char *sentence = NULL;
  TdmSyncError code;

  if (status >= 200 && status < 300)
    return TRUE;

  if (what == NULL)
    what = _("the server");

  tdm_http_parse_error_body (body, NULL, &server_message, &field, NULL);

  switch (status)
    {
    case 401:
    case 403:
      code = TDM_SYNC_ERROR_AUTH;
      sentence = g_strdup_printf (_("The credentials were refused by %s (HTTP %u). Check the "
                                    "token or password in Preferences; nothing was retried."),
                                  what, status);
      break;
    case 402:
    case 423:
      code = TDM_SYNC_ERROR_PAYMENT_REQUIRED;
      sentence = g_strdup_printf (_("The shop at %s is frozen or locked (HTTP %u). Sync is "
                                    "paused until the shop is available again."), what, status);
      break;
    case 404:
      code = TDM_SYNC_ERROR_NOT_FOUND;
      sentence = g_strdup_printf (_("The record or address was not found at %s (HTTP 404)."),
                                  what);
      break;
    case 409:
      code = TDM_SYNC_ERROR_DUPLICATE;
      sentence = g_strdup_printf (_("A matching record already exists at %s (HTTP 409)."), what);
      break;
    case 412:
      code = TDM_SYNC_ERROR_CONFLICT;
      sentence = g_strdup_printf (_("The record was changed at %s while Tandem was updating it "
                                    "(HTTP 412). It will be read again and synced on the next "
                                    "pass."), what);
      break;
    case 400:
    case 422:
      code = TDM_SYNC_ERROR_VALIDATION;
      if (field != NULL)
        sentence = g_strdup_printf (_("The record was rejected by %s because of the field "
                                      "“%s” (HTTP %u). Correct the value and it will be synced "
                                      "again."), what, field, status);
      else
        sentence = g_strdup_printf (_("The record was rejected by %s (HTTP %u). Correct it and "
                                      "it will be synced again."), what, status);
      break;
    case 429:
    case 430:
      code = TDM_SYNC_ERROR_RATE_LIMITED;
      sentence = g_strdup_printf (_("Too many requests were sent to %s (HTTP %u). Tandem will "
                                    "wait and try again later."), what, status);
      break;
    default:
      if (status >= 500)
        {
          code = TDM_SYNC_ERROR_SERVER;
          sentence = g_strdup_printf (_("There was an internal problem at %s (HTTP %u). Tandem "
                                        "will try again on the next pass."), what, status);
        }
      else if (status < 100)
        {
          code = TDM_SYNC_ERROR_FAILED;
          sentence = g_strdup_printf (_("No answer was received from %s."), what);
        }
      else
        {
          code = TDM_SYNC_ERROR_INVALID_RESPONSE;
          sentence = g_strdup_printf (_("An unexpected answer came from %s (HTTP %u)."),
                                      what, status);
        }
      break;
    }

  g_autofree char *full = with_server_message (sentence, server_message);
  g_set_error_literal (error, TDM_SYNC_ERROR, code, full);
  return FALSE;
}

/* Retry arithmetic */

gint64
tdm_http_parse_retry_after (const char *value,
                            GDateTime  *now)
{
  g_autoptr(GDateTime) date = NULL;
  g_autoptr(GDateTime) local_now = NULL;
  g_autofree char *trimmed = NULL;
  GTimeSpan diff;

  if (value == NULL)
    return -1;

  trimmed = g_strstrip (g_strdup (value));
  if (*trimmed == '\0')
    return -1;

  if (g_ascii_isdigit (trimmed[0]))
    {
      guint64 seconds = 0;

      for (const char *p = trimmed; *p != '\0'; p++)
        if (!g_ascii_isdigit (*p))
          return -1;
      /* Digits only: a number too large for any type is still a wait,
       * longer than anyone waits (not an absent header). */
      if (!g_ascii_string_to_unsigned (trimmed, 10, 0, G_MAXINT32, &seconds, NULL))
        return G_MAXINT32;
      return (gint64) seconds;
    }

  date = soup_date_time_new_from_http_string (trimmed);
  if (date == NULL)
    return -1;

  if (now == NULL)
    now = local_now = g_date_time_new_now_utc ();
  diff = g_date_time_difference (date, now);
  if (diff <= 0)
    return 0;
  /* Round up: waiting a little longer is harmless, too short is not. */
  return MIN ((diff + G_TIME_SPAN_SECOND - 1) / G_TIME_SPAN_SECOND, (gint64) G_MAXINT32);
}

guint
tdm_http_backoff_delay_ms (const TdmHttpOptions *options,
                           guint                 attempt,
                           GRand                *rand)
{
  TdmHttpOptions defaults;
  double base, jitter;

  options = options_or_default (options, &defaults);

  base = options->base_delay_ms;
  for (guint i = 0; i < attempt && base < options->max_delay_ms; i++)
    base *= 2;
  base = MIN (base, (double) options->max_delay_ms);

  /* ±50 %: spreads clients that failed together. */
  jitter = rand ? g_rand_double_range (rand, 0.5, 1.5) : g_random_double_range (0.5, 1.5);
  return (guint) MIN (base * jitter, (double) options->max_delay_ms);
}

gboolean
tdm_http_error_is_transient (const GError *error)
{
  if (error == NULL)
    return FALSE;

  if (error->domain == TDM_SYNC_ERROR)
    return error->code == TDM_SYNC_ERROR_SERVER || error->code == TDM_SYNC_ERROR_RATE_LIMITED;

  if (error->domain == G_IO_ERROR)
    {
      switch (error->code)
        {
        case G_IO_ERROR_TIMED_OUT:
        case G_IO_ERROR_CONNECTION_CLOSED:
        case G_IO_ERROR_PARTIAL_INPUT:
        case G_IO_ERROR_CONNECTION_REFUSED:
        case G_IO_ERROR_NETWORK_UNREACHABLE:
        case G_IO_ERROR_HOST_UNREACHABLE:
        case G_IO_ERROR_WOULD_BLOCK:
        case G_IO_ERROR_BUSY:
          return TRUE;
        default:
          return FALSE;
        }
    }

  if (error->domain == G_RESOLVER_ERROR)
    return error->code == G_RESOLVER_ERROR_TEMPORARY_FAILURE;

  if (error->domain == SOUP_SESSION_ERROR)
    return error->code == SOUP_SESSION_ERROR_PARSING;

  return FALSE;
}

static gboolean
status_is_transient (guint status)
{
  return status == 429 || status == 500 || status == 502 || status == 503 || status == 504
         || (status > 504 && status < 600 && status != 501 && status != 505);
}

/* Sending */

typedef struct {
  SoupSession      *session;
  TdmHttpOptions    options;
  TdmHttpBuildFunc  build;
  gpointer          build_data;
  GDestroyNotify    build_data_free;

  guint             attempt;
  SoupMessage      *msg;
  GInputStream     *stream;
  GByteArray       *buffer;
  GCancellable     *attempt_cancellable;
  gulong            cancel_handler;
  guint             deadline_id;
  guint             connect_id;
  gboolean          timed_out;
  gboolean          connect_timed_out;
  guint             wait_id;
  GSource          *wait_cancel_source;
  guint             redirects;      /* hops followed so far */
  GUri             *redirect_uri;   /* where the next attempt goes, NULL: build's URL */
} SendState;

static void
clear_attempt (SendState *state,
               GCancellable *user_cancellable)
{
  g_clear_handle_id (&state->deadline_id, g_source_remove);
  g_clear_handle_id (&state->connect_id, g_source_remove);
  if (state->cancel_handler != 0 && user_cancellable != NULL)
    g_cancellable_disconnect (user_cancellable, state->cancel_handler);
  state->cancel_handler = 0;
  g_clear_object (&state->attempt_cancellable);
  if (state->stream != NULL)
    g_input_stream_close_async (state->stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  g_clear_object (&state->stream);
  g_clear_pointer (&state->buffer, g_byte_array_unref);
}

static void
send_state_free (gpointer data)
{
  SendState *state = data;

  g_clear_handle_id (&state->deadline_id, g_source_remove);
  g_clear_handle_id (&state->connect_id, g_source_remove);
  g_clear_handle_id (&state->wait_id, g_source_remove);
  if (state->wait_cancel_source != NULL)
    {
      g_source_destroy (state->wait_cancel_source);
      g_clear_pointer (&state->wait_cancel_source, g_source_unref);
    }
  g_clear_object (&state->attempt_cancellable);
  g_clear_object (&state->stream);
  g_clear_pointer (&state->buffer, g_byte_array_unref);
  if (state->msg != NULL)
    g_signal_handlers_disconnect_by_data (state->msg, state);
  g_clear_object (&state->msg);
  if (state->build_data_free != NULL)
    state->build_data_free (state->build_data);
  g_clear_pointer (&state->redirect_uri, g_uri_unref);
  g_clear_object (&state->session);
  g_free (state);
}

static void start_attempt (GTask *task);

static const char *
message_host (SoupMessage *msg)
{
  GUri *uri = msg ? soup_message_get_uri (msg) : NULL;

  return uri && g_uri_get_host (uri) ? g_uri_get_host (uri) : "?";
}

/* Turn our own timers' cancellation into a timeout error that says what
 * happened; pass a user cancellation through. */
static GError *
adjust_error (GTask   *task,
              GError  *error)
{
  SendState *state = g_task_get_task_data (task);
  GCancellable *user = g_task_get_cancellable (task);

  if ((g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
       || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
      && !(user != NULL && g_cancellable_is_cancelled (user)))
    {
      GError *timeout;

      if (state->connect_timed_out)
        timeout = g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                               _("No connection could be made to %s within %u seconds. "
                                 "Check the address and your network connection."),
                               message_host (state->msg), state->options.connect_timeout);
      else if (state->stream != NULL && state->buffer != NULL)
        {
          g_autofree char *size = g_format_size (state->buffer->len);

          /* Headers came, then the body stalled. */
          timeout = g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                                 _("The answer from %s stopped arriving after %s and was not "
                                   "complete within %u seconds. Tandem will try again later."),
                                 message_host (state->msg), size,
                                 state->options.timeout_seconds);
        }
      else
        timeout = g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                               _("The server at %s did not answer within %u seconds. "
                                 "Tandem will try again later."),
                               message_host (state->msg), state->options.timeout_seconds);
      g_error_free (error);
      return timeout;
    }

  /* libsoup's own words for a broken answer ("Header too big", "Could not
   * parse HTTP response") do not say which server: add it. */
  if ((g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT)
       || g_error_matches (error, SOUP_SESSION_ERROR, SOUP_SESSION_ERROR_PARSING))
      && strstr (error->message, message_host (state->msg)) == NULL)
    {
      GError *clear = g_error_new (error->domain, error->code,
                                   _("The answer from %s was broken or incomplete (%s). "
                                     "Tandem will try again later."),
                                   message_host (state->msg), error->message);

      g_error_free (error);
      return clear;
    }
  return error;
}

static void
on_wait_done (GTask *task)
{
  SendState *state = g_task_get_task_data (task);

  g_clear_handle_id (&state->wait_id, g_source_remove);
  if (state->wait_cancel_source != NULL)
    {
      g_source_destroy (state->wait_cancel_source);
      g_clear_pointer (&state->wait_cancel_source, g_source_unref);
    }
}

static gboolean
on_wait_timeout_cb (gpointer user_data)
{
  GTask *task = user_data;
  SendState *state = g_task_get_task_data (task);

  state->wait_id = 0;
  on_wait_done (task);
  state->attempt++;
  start_attempt (task);   /* takes over the reference */
  return G_SOURCE_REMOVE;
}

static gboolean
on_wait_cancelled_cb (GCancellable *cancellable,
                      gpointer      user_data)
{
  GTask *task = user_data;

  on_wait_done (task);
  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s",
                           _("The operation was cancelled."));
  g_object_unref (task);
  return G_SOURCE_REMOVE;
}

static void
schedule_retry (GTask *task,
                guint  delay_ms)
{
  SendState *state = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  g_debug ("%s: retrying %s in %u ms (attempt %u of %u).", G_STRFUNC,
           message_host (state->msg), delay_ms, state->attempt + 2, state->options.max_retries + 1);

  state->wait_id = g_timeout_add (delay_ms, on_wait_timeout_cb, task);
  if (cancellable != NULL)
    {
      state->wait_cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (state->wait_cancel_source, G_SOURCE_FUNC (on_wait_cancelled_cb),
                             task, NULL);
      g_source_attach (state->wait_cancel_source, g_main_context_get_thread_default ());
    }
}

static void
finish_with_error (GTask  *task,
                   GError *error)
{
  SendState *state = g_task_get_task_data (task);

  error = adjust_error (task, error);
  clear_attempt (state, g_task_get_cancellable (task));

  if (tdm_http_error_is_transient (error) && state->attempt < state->options.max_retries)
    {
      g_debug ("%s: transient failure: %s", G_STRFUNC, error->message);
      g_error_free (error);
      schedule_retry (task, tdm_http_backoff_delay_ms (&state->options, state->attempt, NULL));
      return;
    }

  g_task_return_error (task, error);
  g_object_unref (task);
}

/* Does the body claim to be JSON, or look like it? Only then is its nesting
 * checked: an HTML error page may hold unbalanced quotes. */
static gboolean
body_looks_like_json (SoupMessage *msg,
                      GBytes      *bytes)
{
  const char *type = soup_message_headers_get_content_type (
      soup_message_get_response_headers (msg), NULL);
  gsize len = 0;
  const char *data = g_bytes_get_data (bytes, &len);

  if (type != NULL && strstr (type, "json") != NULL)
    return TRUE;
  for (gsize i = 0; data != NULL && i < len; i++)
    {
      if (g_ascii_isspace (data[i]))
        continue;
      return data[i] == '{' || data[i] == '[';
    }
  return FALSE;
}

static void
finish_with_body (GTask *task)
{
  SendState *state = g_task_get_task_data (task);
  guint status = soup_message_get_status (state->msg);
  GBytes *bytes = g_byte_array_free_to_bytes (g_steal_pointer (&state->buffer));
  GError *error = NULL;

  if (body_looks_like_json (state->msg, bytes))
    {
      GBytes *marked;

      if (!tdm_http_check_json_depth (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                      TDM_HTTP_MAX_JSON_DEPTH, message_host (state->msg), &error))
        {
          g_bytes_unref (bytes);
          /* Not transient: the same answer would come again. */
          state->attempt = state->options.max_retries;
          finish_with_error (task, error);
          return;
        }
      /* NULs and broken text in strings become marks that the record
       * readers refuse (tdm-json-text.h): never a truncated string. */
      marked = tdm_json_text_mark (bytes);
      g_bytes_unref (bytes);
      bytes = marked;
    }

  clear_attempt (state, g_task_get_cancellable (task));

  if (status_is_transient (status) && state->attempt < state->options.max_retries)
    {
      SoupMessageHeaders *headers = soup_message_get_response_headers (state->msg);
      gint64 retry_after = tdm_http_parse_retry_after (
          soup_message_headers_get_one (headers, "Retry-After"), NULL);
      guint delay;

      if (retry_after >= 0)
        {
          /* A wait longer than our cap is left to the scheduler: give up now. */
          if (retry_after * 1000 > (gint64) state->options.max_delay_ms)
            {
              g_task_return_pointer (task, bytes, (GDestroyNotify) g_bytes_unref);
              g_object_unref (task);
              return;
            }
          delay = (guint) (retry_after * 1000);
        }
      else
        delay = tdm_http_backoff_delay_ms (&state->options, state->attempt, NULL);

      g_bytes_unref (bytes);
      schedule_retry (task, delay);
      return;
    }

  g_task_return_pointer (task, bytes, (GDestroyNotify) g_bytes_unref);
  g_object_unref (task);
}

static GError *
too_large_error (SendState *state)
{
  g_autofree char *size = g_format_size (state->options.max_body_bytes);

  return g_error_new (TDM_SYNC_ERROR, TDM_SYNC_ERROR_INVALID_RESPONSE,
                      _("The answer from %s is larger than %s and was cut off. Lower the page "
                        "size in the profile or check the server."),
                      message_host (state->msg), size);
}

static void
on_read_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  GTask *task = user_data;
  SendState *state = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(GBytes) chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source),
                                                              result, &error);

  if (chunk == NULL)
    {
      finish_with_error (task, error);
      return;
    }

  if (g_bytes_get_size (chunk) == 0)
    {
      SoupMessageHeaders *headers = soup_message_get_response_headers (state->msg);
      const char *encoding = soup_message_headers_get_one (headers, "Content-Encoding");
      goffset expected = soup_message_headers_get_content_length (headers);

      /* libsoup reports a connection closed early as a normal end of the
       * body; with an unencoded body the declared length tells. */
      if ((encoding == NULL || g_ascii_strcasecmp (encoding, "identity") == 0)
          && expected > 0 && (goffset) state->buffer->len < expected)
        {
          finish_with_error (task, g_error_new (G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT,
                                                _("The answer from %s was cut off after %u of "
                                                  "%lld bytes."),
                                                message_host (state->msg),
                                                state->buffer->len, (long long) expected));
          return;
        }
      finish_with_body (task);
      return;
    }

  if (state->buffer->len + g_bytes_get_size (chunk) > state->options.max_body_bytes)
    {
      GError *big = too_large_error (state);

      /* Not transient: do not retry a body that will be just as large. */
      state->attempt = state->options.max_retries;
      finish_with_error (task, big);
      return;
    }

  g_byte_array_append (state->buffer, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk));
  g_input_stream_read_bytes_async (state->stream, READ_CHUNK, G_PRIORITY_DEFAULT,
                                   state->attempt_cancellable, on_read_cb, task);
}

static int
effective_port (GUri *uri)
{
  int port = g_uri_get_port (uri);

  if (port > 0)
    return port;
  return g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") == 0 ? 443 : 80;
}

static gboolean
is_redirect_status (guint status)
{
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

/* Decide on a redirect answer: TRUE with the target in *out_target when it
 * may be followed; FALSE with an error when it must not. */
static gboolean
check_redirect (SendState  *state,
                GUri      **out_target,
                GError    **error)
{
  SoupMessage *msg = state->msg;
  GUri *from = soup_message_get_uri (msg);
  const char *method = soup_message_get_method (msg);
  const char *location = soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                       "Location");
  const char *host = message_host (msg);
  g_autoptr(GUri) target = NULL;
  const char *target_host;
  const char *target_scheme;

  if (location == NULL || *location == '\0')
    {
      g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_INVALID_RESPONSE,
                   _("The server at %s answered with a redirect (HTTP %u) but named no new "
                     "address. Check the address in Preferences."),
                   host, soup_message_get_status (msg));
      return FALSE;
    }

  target = g_uri_parse_relative (from, location, SOUP_HTTP_URI_FLAGS, NULL);
  target_host = target ? g_uri_get_host (target) : NULL;
  target_scheme = target ? g_uri_get_scheme (target) : NULL;
  if (target == NULL || target_host == NULL || target_scheme == NULL)
    {
      g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_INVALID_RESPONSE,
                   _("The server at %s redirected Tandem to an address that is not valid. "
                     "Check the address in Preferences."), host);
      return FALSE;
    }

  if (g_strcmp0 (method, SOUP_METHOD_GET) != 0 && g_strcmp0 (method, SOUP_METHOD_HEAD) != 0)
    {
      g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_INVALID_RESPONSE,
                   _("The server at %s answered a change (%s) with a redirect to another "
                     "address. Tandem does not send changes on to another address, so nothing "
                     "was changed; check the address in Preferences."), host, method);
      return FALSE;
    }

  if (g_ascii_strcasecmp (target_scheme, "https") != 0
      && !(g_ascii_strcasecmp (target_scheme, g_uri_get_scheme (from)) == 0
           && g_ascii_strcasecmp (target_scheme, "http") == 0))
    {
      g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_INSECURE,
                   _("The server at %s redirected Tandem to an address that does not use "
                     "https:// (%s://%s). Tandem does not follow it, so that no credentials or "
                     "customer data go out unencrypted."), host, target_scheme, target_host);
      return FALSE;
    }

  if (g_ascii_strcasecmp (target_host, g_uri_get_host (from)) != 0
      || effective_port (target) != effective_port (from))
    {
      g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_INVALID_RESPONSE,
                   _("The server at %s redirected Tandem to another server (%s). Tandem does "
                     "not follow it, so that your credentials stay with the address you "
                     "entered; if the shop has moved, enter its new address in Preferences."),
                   host, target_host);
      return FALSE;
    }

  if (state->redirects >= TDM_HTTP_MAX_REDIRECTS)
    {
      g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_INVALID_RESPONSE,
                   _("The server at %s redirected Tandem more than %u times for one request, "
                     "probably in a loop. Check the address in Preferences and the server’s "
                     "settings."), host, TDM_HTTP_MAX_REDIRECTS);
      return FALSE;
    }

  *out_target = g_steal_pointer (&target);
  return TRUE;
}

static void
on_sent_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  GTask *task = user_data;
  SendState *state = g_task_get_task_data (task);
  GError *error = NULL;
  GInputStream *stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  goffset length;

  g_clear_handle_id (&state->connect_id, g_source_remove);

  if (stream == NULL)
    {
      finish_with_error (task, error);
      return;
    }
  state->stream = stream;
  state->buffer = g_byte_array_new ();

  if (is_redirect_status (soup_message_get_status (state->msg)))
    {
      GUri *target = NULL;

      if (!check_redirect (state, &target, &error))
        {
          /* A policy answer, not a transient failure: no retries. */
          state->attempt = state->options.max_retries;
          finish_with_error (task, error);
          return;
        }
      g_debug ("%s: following a redirect from %s (hop %u).", G_STRFUNC,
               message_host (state->msg), state->redirects + 1);
      state->redirects++;
      g_clear_pointer (&state->redirect_uri, g_uri_unref);
      state->redirect_uri = target;
      clear_attempt (state, g_task_get_cancellable (task));
      start_attempt (task);   /* takes over the reference */
      return;
    }

  length = soup_message_headers_get_content_length (
      soup_message_get_response_headers (state->msg));
  if (length > 0 && (guint64) length > state->options.max_body_bytes)
    {
      state->attempt = state->options.max_retries;
      finish_with_error (task, too_large_error (state));
      return;
    }

  g_input_stream_read_bytes_async (stream, READ_CHUNK, G_PRIORITY_DEFAULT,
                                   state->attempt_cancellable, on_read_cb, task);
}

static gboolean
on_deadline_cb (gpointer user_data)
{
  SendState *state = user_data;

  state->deadline_id = 0;
  state->timed_out = TRUE;
  g_cancellable_cancel (state->attempt_cancellable);
  return G_SOURCE_REMOVE;
}

static gboolean
on_connect_deadline_cb (gpointer user_data)
{
  SendState *state = user_data;

  state->connect_id = 0;
  state->connect_timed_out = TRUE;
  g_cancellable_cancel (state->attempt_cancellable);
  return G_SOURCE_REMOVE;
}

static void
on_msg_connected (SoupMessage *msg,
                  gpointer     user_data)
{
  SendState *state = user_data;

  g_clear_handle_id (&state->connect_id, g_source_remove);
}

static void
on_msg_network_event (SoupMessage        *msg,
                      GSocketClientEvent  event,
                      GIOStream          *connection,
                      gpointer            user_data)
{
  if (event == G_SOCKET_CLIENT_COMPLETE)
    on_msg_connected (msg, user_data);
}

static void
on_user_cancelled (GCancellable *cancellable,
                   gpointer      user_data)
{
  GCancellable *attempt = user_data;

  g_cancellable_cancel (attempt);
}

static void
start_attempt (GTask *task)
{
  SendState *state = g_task_get_task_data (task);
  GCancellable *user = g_task_get_cancellable (task);

  if (user != NULL && g_cancellable_is_cancelled (user))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s",
                               _("The operation was cancelled."));
      g_object_unref (task);
      return;
    }

  if (state->msg != NULL)
    g_signal_handlers_disconnect_by_data (state->msg, state);
  g_clear_object (&state->msg);
  state->msg = state->build (state->build_data);
  if (state->msg == NULL)
    {
      g_task_return_new_error (task, TDM_SYNC_ERROR, TDM_SYNC_ERROR_FAILED, "%s",
                               _("The request could not be prepared."));
      g_object_unref (task);
      return;
    }

  /* Redirects are decided in on_sent_cb, never by libsoup. */
  soup_message_add_flags (state->msg, SOUP_MESSAGE_NO_REDIRECT);
  if (state->redirect_uri != NULL)
    soup_message_set_uri (state->msg, state->redirect_uri);

  state->timed_out = FALSE;
  state->connect_timed_out = FALSE;
  state->attempt_cancellable = g_cancellable_new ();
  if (user != NULL)
    state->cancel_handler = g_cancellable_connect (user, G_CALLBACK (on_user_cancelled),
                                                   g_object_ref (state->attempt_cancellable),
                                                   g_object_unref);

  if (state->options.timeout_seconds > 0)
    state->deadline_id = g_timeout_add_seconds (state->options.timeout_seconds,
                                                on_deadline_cb, state);
  if (state->options.connect_timeout > 0)
    state->connect_id = g_timeout_add_seconds (state->options.connect_timeout,
                                               on_connect_deadline_cb, state);
  g_signal_connect (state->msg, "network-event", G_CALLBACK (on_msg_network_event), state);
  g_signal_connect (state->msg, "wrote-headers", G_CALLBACK (on_msg_connected), state);

  soup_session_send_async (state->session, state->msg, G_PRIORITY_DEFAULT,
                           state->attempt_cancellable, on_sent_cb, task);
}

void
tdm_http_send_async (SoupSession          *session,
                     const TdmHttpOptions *options,
                     TdmHttpBuildFunc      build,
                     gpointer              build_data,
                     GDestroyNotify        build_data_free,
                     GCancellable         *cancellable,
                     GAsyncReadyCallback   callback,
                     gpointer              user_data)
{
  GTask *task;
  SendState *state;

  g_return_if_fail (SOUP_IS_SESSION (session));
  g_return_if_fail (build != NULL);

  task = g_task_new (session, cancellable, callback, user_data);
  g_task_set_source_tag (task, tdm_http_send_async);
  g_task_set_name (task, "tdm_http_send_async");

  state = g_new0 (SendState, 1);
  state->session = g_object_ref (session);
  if (options != NULL)
    state->options = *options;
  else
    tdm_http_options_init (&state->options);
  state->build = build;
  state->build_data = build_data;
  state->build_data_free = build_data_free;
  g_task_set_task_data (task, state, send_state_free);

  start_attempt (task);
}

GBytes *
tdm_http_send_finish (GAsyncResult  *result,
                      SoupMessage  **out_message,
                      GError       **error)
{
  SendState *state;
  GBytes *bytes;

  g_return_val_if_fail (G_IS_TASK (result), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tdm_http_send_async, NULL);

  state = g_task_get_task_data (G_TASK (result));
  if (out_message != NULL)
    *out_message = state->msg ? g_object_ref (state->msg) : NULL;

  bytes = g_task_propagate_pointer (G_TASK (result), error);
  return bytes;
}
