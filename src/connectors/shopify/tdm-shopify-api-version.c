/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-shopify-api-version"

#include "config.h"

#include "tdm-shopify-api-version.h"

#include <string.h>

#include "tdm-shopify-connector.h"
#include "tdm-shopify-json.h"

/* How long Shopify still supports the API version a connector speaks:
 * TdmConnector's check_api_version for the Shopify side. Versions are
 * quarterly and supported for at least 12 months
 * (tdm_shopify_api_version_days_left; docs/shopify.md § Endpoints and
 * auth). Nothing is sent: the date follows from the version. */

typedef struct
{
  char   *version;
  gint64  days_left;
} ApiVersionSupport;

static void
api_version_support_free (ApiVersionSupport *support)
{
  g_free (support->version);
  g_free (support);
}

/* The version segment of the client's endpoint,
 * "<base>/admin/api/<version>/graphql.json"; NULL when it has none. */
static char *
endpoint_api_version (const char *endpoint)
{
  const char *start;
  const char *end;

  g_assert (endpoint != NULL);

  start = strstr (endpoint, "/admin/api/");
  if (start == NULL)
    return NULL;
  start += strlen ("/admin/api/");
  end = strchr (start, '/');
  if (end == NULL || end == start)
    return NULL;
  return g_strndup (start, end - start);
}

static void
check_api_version_async (TdmConnector        *connector,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  TdmShopifyClient *client;
  ApiVersionSupport *support;
  g_autofree char *version = NULL;
  gint64 days_left = 0;

  g_assert (TDM_IS_SHOPIFY_CONNECTOR (connector));

  task = g_task_new (connector, cancellable, callback, user_data);
  g_task_set_source_tag (task, check_api_version_async);

  client = tdm_shopify_connector_get_client (TDM_SHOPIFY_CONNECTOR (connector));
  version = endpoint_api_version (tdm_shopify_client_get_endpoint (client));
  /* "unstable" and unknown names have no end of support to tell. */
  if (version == NULL || !tdm_shopify_api_version_days_left (version, now, &days_left))
    {
      g_task_return_pointer (task, NULL, NULL);
      return;
    }

  support = g_new0 (ApiVersionSupport, 1);
  support->version = g_steal_pointer (&version);
  support->days_left = days_left;
  g_task_return_pointer (task, support, (GDestroyNotify) api_version_support_free);
}

static gboolean
check_api_version_finish (TdmConnector  *connector,
                          GAsyncResult  *result,
                          char         **out_version,
                          gint64        *out_days_left,
                          GError       **error)
{
  ApiVersionSupport *support;

  g_return_val_if_fail (g_task_is_valid (result, connector), FALSE);

  support = g_task_propagate_pointer (G_TASK (result), error);
  if (support == NULL)
    return FALSE;

  if (out_version != NULL)
    *out_version = g_steal_pointer (&support->version);
  if (out_days_left != NULL)
    *out_days_left = support->days_left;
  api_version_support_free (support);
  return TRUE;
}

void
_tdm_shopify_api_version_install (TdmConnectorClass *klass)
{
  g_assert (TDM_IS_CONNECTOR_CLASS (klass));

  klass->check_api_version_async = check_api_version_async;
  klass->check_api_version_finish = check_api_version_finish;
}
