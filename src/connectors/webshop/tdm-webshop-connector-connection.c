/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-webshop"

#include "config.h"

#include "tdm-webshop-connector-private.h"

#include <glib/gi18n-lib.h>

/* test_connection: one quick read of a customers page, its failures
 * explained in the shop owner's words (the address, the network, the
 * credentials, or something that is not a Webshop Sync API), for the
 * Preferences' "Test connection" (docs/webshop-api.md). */

/* ---- Explaining a failure ---- */

static GError *
explain_auth_error (TdmWebshopConnector *self,
                    const char          *host)
{
  g_assert (TDM_IS_WEBSHOP_CONNECTOR (self));

  if (self->auth == TDM_WEBSHOP_AUTH_BASIC)
    return g_error_new (TDM_SYNC_ERROR, TDM_SYNC_ERROR_AUTH,
                        _("The webshop at %s refused the user name or password. Check "
                          "them in Preferences."), host);
  if (self->auth == TDM_WEBSHOP_AUTH_HEADER)
    return g_error_new (TDM_SYNC_ERROR, TDM_SYNC_ERROR_AUTH,
                        _("The webshop at %s refused the API key. Check it in "
                          "Preferences."), host);
  return g_error_new (TDM_SYNC_ERROR, TDM_SYNC_ERROR_AUTH,
                      _("The webshop at %s refused the access token. Check it in "
                        "Preferences."), host);
}

/* Network failures: the address, the port, the network, the certificate;
 * NULL for anything else. */
static GError *
explain_network_error (TdmWebshopConnector *self,
                       const char          *host,
                       const GError        *error)
{
  g_assert (TDM_IS_WEBSHOP_CONNECTOR (self));
  g_assert (error != NULL);

  if (error->domain == G_RESOLVER_ERROR)
    return g_error_new (TDM_SYNC_ERROR, TDM_SYNC_ERROR_CONFIG,
                        _("The webshop address %s could not be found. Check the address for "
                          "typing mistakes, and that this computer is online."), host);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
    return g_error_new (TDM_SYNC_ERROR, TDM_SYNC_ERROR_CONFIG,
                        _("Nothing answered at %s. Check the address and port, and that the "
                          "webshop is running."), self->base_url);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE)
      || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE))
    return g_error_new (TDM_SYNC_ERROR, TDM_SYNC_ERROR_OFFLINE,
                        _("The webshop at %s cannot be reached: there is no network "
                          "connection. Try again when this computer is online."), host);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return g_error_new (TDM_SYNC_ERROR, TDM_SYNC_ERROR_OFFLINE,
                        _("The webshop at %s did not answer in time. Check the address and "
                          "your network connection."), host);
  if (error->domain == G_TLS_ERROR)
    return g_error_new (TDM_SYNC_ERROR, TDM_SYNC_ERROR_CONFIG,
                        _("A secure connection to %s could not be made (%s). Check that the "
                          "address is right and that the shop's certificate is valid."),
                        host, error->message);
  return NULL;
}

/* Answers that are not what a Webshop Sync API sends; NULL for others. */
static GError *
explain_answer_error (TdmWebshopConnector *self,
                      const char          *host,
                      const GError        *error)
{
  g_assert (TDM_IS_WEBSHOP_CONNECTOR (self));
  g_assert (error != NULL);

  if (error->domain != TDM_SYNC_ERROR)
    return NULL;
  switch (error->code)
    {
    case TDM_SYNC_ERROR_NOT_FOUND:
      return g_error_new (TDM_SYNC_ERROR, TDM_SYNC_ERROR_CONFIG,
                          _("There is no Webshop Sync API at %s: the shop answered “not found”. "
                            "Check the address; it usually ends in something like "
                            "/api/tandem/v1."), self->base_url);
    case TDM_SYNC_ERROR_AUTH:
      return explain_auth_error (self, host);
    case TDM_SYNC_ERROR_INVALID_RESPONSE:
      return g_error_new (TDM_SYNC_ERROR, TDM_SYNC_ERROR_INVALID_RESPONSE,
                          _("Something answered at %s, but not like a Webshop Sync API (%s). "
                            "Check the address and the webshop profile."),
                          self->base_url, error->message);
    default:
      return NULL;
    }
}

/* Takes `error`; returns the error to show (a clearer one when known). */
static GError *
explain_connection_error (TdmWebshopConnector *self,
                          GError              *error)
{
  const char *host = g_uri_get_host (self->base_uri);
  GError *out;

  g_assert (TDM_IS_WEBSHOP_CONNECTOR (self));
  g_assert (error != NULL);

  out = explain_network_error (self, host, error);
  if (out == NULL)
    out = explain_answer_error (self, host, error);
  if (out == NULL)
    return error;
  g_error_free (error);
  return out;
}

/* ---- test_connection ---- */

static void
on_test_connection_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TdmWebshopConnector *self = TDM_WEBSHOP_CONNECTOR (source);
  const TdmWebshopResource *res = tdm_webshop_profile_get_resource (self->profile,
                                                                    TDM_KIND_CUSTOMER);
  GError *error = NULL;
  g_autoptr(WsResponse) resp = NULL;
  g_autoptr(GPtrArray) items = NULL;
  TdmShopInfo *info;

  resp = _tdm_webshop_connector_send_finish (self, result, &error);
  if (resp == NULL
      || !tdm_http_check_status (resp->msg, resp->body, _("the webshop"), &error)
      || !tdm_webshop_parse_list (resp->body, res, &items, NULL, &error))
    {
      g_task_return_error (task, explain_connection_error (self, error));
      return;
    }

  info = g_new0 (TdmShopInfo, 1);
  info->name = g_strdup (g_uri_get_host (self->base_uri));
  info->detail = g_strdup_printf (_("The Webshop Sync API answered (profile “%s”)."),
                                  self->profile->name);
  g_task_return_pointer (task, info, (GDestroyNotify) tdm_shop_info_free);
}

static void
tdm_webshop_connector_test_connection_async (TdmConnector        *connector,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data)
{
  TdmWebshopConnector *self = TDM_WEBSHOP_CONNECTOR (connector);
  const TdmWebshopResource *res = tdm_webshop_profile_get_resource (self->profile,
                                                                    TDM_KIND_CUSTOMER);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *collection = _tdm_webshop_connector_resource_url (self, res->path, NULL);
  g_autoptr(GString) url = g_string_new (collection);
  TdmHttpOptions options = self->options;

  g_task_set_source_tag (task, tdm_webshop_connector_test_connection_async);
  _tdm_webshop_connector_append_param (url, res->param_limit, "1");
  /* The user is waiting for an answer: one quick retry at most. */
  options.max_retries = MIN (options.max_retries, 1u);
  options.timeout_seconds = MIN (options.timeout_seconds, 15u);
  _tdm_webshop_connector_send_async (self, "GET", url->str, NULL, NULL, NULL, &options,
                                     cancellable, on_test_connection_cb, g_steal_pointer (&task));
}

static TdmShopInfo *
tdm_webshop_connector_test_connection_finish (TdmConnector  *connector,
                                              GAsyncResult  *result,
                                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, connector), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
_tdm_webshop_connector_connection_class_init (TdmConnectorClass *connector_class)
{
  connector_class->test_connection_async = tdm_webshop_connector_test_connection_async;
  connector_class->test_connection_finish = tdm_webshop_connector_test_connection_finish;
}
