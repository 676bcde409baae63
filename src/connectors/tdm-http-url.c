/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-http"

#include "config.h"

#include "tdm-http-private.h"

#include <string.h>
#include <glib/gi18n-lib.h>

/* Which addresses Tandem talks to: https://, or plain http:// to loopback
 * only; and which redirects it follows: GET and HEAD, on the same host and
 * port, never from https to http, at most TDM_HTTP_MAX_REDIRECTS hops
 * (docs/webshop-api.md, Transport and security). */

/* ---- Addresses ---- */

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

const char *
_tdm_http_message_host (SoupMessage *msg)
{
  GUri *uri = msg ? soup_message_get_uri (msg) : NULL;

  return uri && g_uri_get_host (uri) ? g_uri_get_host (uri) : "?";
}

/* ---- Redirects ---- */

static int
effective_port (GUri *uri)
{
  int port;

  g_assert (uri != NULL);

  port = g_uri_get_port (uri);
  if (port > 0)
    return port;
  return g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") == 0 ? 443 : 80;
}

gboolean
_tdm_http_is_redirect_status (guint status)
{
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

/* The absolute target of the Location header, or NULL with an error when
 * there is none or it is not a valid address. */
static GUri *
parse_redirect_target (SoupMessage  *msg,
                       GError      **error)
{
  const char *location = soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                       "Location");
  const char *host = _tdm_http_message_host (msg);
  g_autoptr(GUri) target = NULL;

  g_assert (SOUP_IS_MESSAGE (msg));

  if (location == NULL || *location == '\0')
    {
      g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_INVALID_RESPONSE,
                   _("The server at %s answered with a redirect (HTTP %u) but named no new "
                     "address. Check the address in Preferences."),
                   host, soup_message_get_status (msg));
      return NULL;
    }

  target = g_uri_parse_relative (soup_message_get_uri (msg), location, SOUP_HTTP_URI_FLAGS,
                                 NULL);
  if (target == NULL || g_uri_get_host (target) == NULL || g_uri_get_scheme (target) == NULL)
    {
      g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_INVALID_RESPONSE,
                   _("The server at %s redirected Tandem to an address that is not valid. "
                     "Check the address in Preferences."), host);
      return NULL;
    }
  return g_steal_pointer (&target);
}

/* The policy for a valid target: FALSE with an error when the redirect
 * must not be followed. */
static gboolean
check_redirect_policy (SoupMessage  *msg,
                       GUri         *target,
                       guint         redirects,
                       GError      **error)
{
  GUri *from = soup_message_get_uri (msg);
  const char *method = soup_message_get_method (msg);
  const char *host = _tdm_http_message_host (msg);
  const char *target_host = g_uri_get_host (target);
  const char *target_scheme = g_uri_get_scheme (target);

  g_assert (SOUP_IS_MESSAGE (msg));
  g_assert (target_host != NULL && target_scheme != NULL);

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

  if (redirects >= TDM_HTTP_MAX_REDIRECTS)
    {
      g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_INVALID_RESPONSE,
                   _("The server at %s redirected Tandem more than %u times for one request, "
                     "probably in a loop. Check the address in Preferences and the server’s "
                     "settings."), host, TDM_HTTP_MAX_REDIRECTS);
      return FALSE;
    }
  return TRUE;
}

gboolean
_tdm_http_check_redirect (SoupMessage  *msg,
                          guint         redirects,
                          GUri        **out_target,
                          GError      **error)
{
  g_autoptr(GUri) target = NULL;

  g_assert (SOUP_IS_MESSAGE (msg));
  g_assert (out_target != NULL && *out_target == NULL);

  target = parse_redirect_target (msg, error);
  if (target == NULL || !check_redirect_policy (msg, target, redirects, error))
    return FALSE;
  *out_target = g_steal_pointer (&target);
  return TRUE;
}
