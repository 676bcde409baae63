/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-http"

#include "config.h"

#include "tdm-http-private.h"

#include <string.h>

/* One SoupSession per connector: its timeouts and user agent, the proxy
 * (never for loopback), the count of requests queued on it, and — when
 * debug messages of "tdm-http" are on — a logger whose every line is
 * redacted (tdm-http-redact.c) before it is printed. */

#define SECRETS_KEY       "tdm-http-secrets"
#define SECRET_HDRS_KEY   "tdm-http-secret-headers"
#define REQUEST_COUNT_KEY "tdm-http-request-count"

/* ---- Data kept on the session ---- */

static void
on_logger_print (SoupLogger         *logger,
                 SoupLoggerLogLevel  level,
                 char                direction,
                 const char         *data,
                 gpointer            user_data)
{
  SoupSession *session = user_data;
  const char * const *headers;
  GPtrArray *secrets;
  g_autofree char *masked = NULL;
  g_autofree char *clean = NULL;

  g_assert (SOUP_IS_SESSION (session));

  headers = g_object_get_data (G_OBJECT (session), SECRET_HDRS_KEY);
  secrets = g_object_get_data (G_OBJECT (session), SECRETS_KEY);
  masked = tdm_http_redact_line (data, headers);
  clean = tdm_http_redact (masked, secrets ? (const char * const *) secrets->pdata : NULL);
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

  g_assert (secrets != NULL);

  /* Wipe before freeing: the strings are credentials. */
  for (guint i = 0; i < secrets->len; i++)
    {
      char *s = g_ptr_array_index (secrets, i);

      if (s != NULL)
        memset (s, 0, strlen (s));
    }
  g_ptr_array_unref (secrets);
}

/* ---- The proxy ---- */

/* The hosts that never go through a proxy: loopback and `no_proxy`. */
static GStrv
dup_proxy_ignore_hosts (void)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  const char *no_proxy = g_getenv ("no_proxy");

  g_strv_builder_add_many (builder, "localhost", "127.0.0.0/8", "::1", NULL);
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
  return g_strv_builder_end (builder);
}

/* Honour the usual proxy variables, but never send loopback traffic (the
 * sandbox and the tests) through a proxy. */
static GProxyResolver *
create_proxy_resolver (void)
{
  const char *proxy = g_getenv ("https_proxy");
  g_auto(GStrv) ignore = NULL;

  if (proxy == NULL || *proxy == '\0')
    proxy = g_getenv ("HTTPS_PROXY");
  if (proxy == NULL || *proxy == '\0')
    proxy = g_getenv ("all_proxy");
  if (proxy == NULL || *proxy == '\0')
    return NULL;

  ignore = dup_proxy_ignore_hosts ();
  return g_simple_proxy_resolver_new (proxy, ignore);
}

/* ---- The session ---- */

static void
add_redacting_logger (SoupSession *session)
{
  g_autoptr(SoupLogger) logger = soup_logger_new (SOUP_LOGGER_LOG_BODY);

  g_assert (SOUP_IS_SESSION (session));

  soup_logger_set_max_body_size (logger, 16 * 1024);
  soup_logger_set_printer (logger, on_logger_print, session, NULL);
  soup_session_add_feature (session, SOUP_SESSION_FEATURE (logger));
}

SoupSession *
tdm_http_session_new (const TdmHttpOptions *options,
                      const char * const   *secret_headers)
{
  TdmHttpOptions defaults;
  g_autoptr(GProxyResolver) resolver = NULL;
  SoupSession *session;

  options = _tdm_http_options_or_default (options, &defaults);
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
    add_redacting_logger (session);

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
