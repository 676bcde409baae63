/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-connector-factory"

#include "config.h"

#include <glib/gi18n.h>

#include "tdm-connector-factory.h"
#include "tdm-error.h"
#include "tdm-shopify-connector.h"
#include "tdm-webshop-connector.h"
#include "tdm-webshop-profile.h"

/* The connectors of both sides as the settings describe them; the keys are
 * a contract (docs/architecture.md § Configuration). */

TdmConnector *
tdm_connector_factory_webshop (GSettings   *settings,
                               const char  *secret,
                               TdmMapping  *mapping,
                               GError     **error)
{
  g_autofree char *url = g_settings_get_string (settings, "webshop-url");
  g_autofree char *profile_name = g_settings_get_string (settings, "webshop-profile");
  g_autofree char *auth_str = g_settings_get_string (settings, "webshop-auth");
  g_autofree char *header = g_settings_get_string (settings, "webshop-auth-header");
  g_autofree char *user = g_settings_get_string (settings, "webshop-user");
  g_autoptr(TdmWebshopProfile) profile = NULL;
  TdmWebshopAuth auth = TDM_WEBSHOP_AUTH_BEARER;
  const char *user_or_header = NULL;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (TDM_IS_MAPPING (mapping), NULL);

  profile = tdm_webshop_profile_lookup (profile_name, error);
  if (profile == NULL)
    return NULL;

  if (!tdm_webshop_auth_from_string (auth_str, &auth))
    {
      g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_CONFIG,
                   _("The webshop authentication “%s” is not known: choose bearer, basic or header "
                     "in Preferences → Connections."), auth_str);
      return NULL;
    }

  if (auth == TDM_WEBSHOP_AUTH_BASIC)
    user_or_header = user;
  else if (auth == TDM_WEBSHOP_AUTH_HEADER)
    user_or_header = header;

  return TDM_CONNECTOR (tdm_webshop_connector_new (url, profile, auth, user_or_header, secret,
                                                   mapping, error));
}

TdmConnector *
tdm_connector_factory_shopify (GSettings   *settings,
                               const char  *secret,
                               TdmMapping  *mapping,
                               GError     **error)
{
  g_autofree char *shop = g_settings_get_string (settings, "shopify-shop");
  g_autofree char *version = g_settings_get_string (settings, "shopify-api-version");
  g_autofree char *auth_str = g_settings_get_string (settings, "shopify-auth");
  g_autofree char *client_id = g_settings_get_string (settings, "shopify-client-id");
  g_autofree char *location = g_settings_get_string (settings, "shopify-location");
  TdmShopifyAuthMode mode = g_str_equal (auth_str, "token")
                            ? TDM_SHOPIFY_AUTH_TOKEN : TDM_SHOPIFY_AUTH_CLIENT_CREDENTIALS;
  TdmShopifyConnector *connector;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (TDM_IS_MAPPING (mapping), NULL);

  if (mode == TDM_SHOPIFY_AUTH_CLIENT_CREDENTIALS && client_id[0] == '\0')
    {
      g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_CONFIG, "%s",
                   _("The Shopify client ID is not set. Copy it from your app in the Shopify Dev "
                     "Dashboard into Preferences → Connections."));
      return NULL;
    }

  connector = tdm_shopify_connector_new (shop, version, mode, client_id, NULL, NULL, mapping,
                                         error);
  if (connector == NULL)
    return NULL;

  tdm_shopify_connector_set_secret (connector, secret);
  if (location[0] != '\0')
    tdm_shopify_connector_set_location (connector, location);
  return TDM_CONNECTOR (connector);
}
