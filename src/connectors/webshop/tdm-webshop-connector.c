/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-webshop"

#include "config.h"

#include "tdm-webshop-connector-private.h"

#include <string.h>

/* The webshop connector: the GObject, prepare, and the public API. The
 * other jobs live in tdm-webshop-connector-*.c (see the private header). */

G_DEFINE_FINAL_TYPE (TdmWebshopConnector, tdm_webshop_connector, TDM_TYPE_CONNECTOR)

/* ---- prepare: a new run reads everything afresh ---- */

static void
tdm_webshop_connector_prepare_async (TdmConnector        *connector,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  TdmWebshopConnector *self = TDM_WEBSHOP_CONNECTOR (connector);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, tdm_webshop_connector_prepare_async);
  g_hash_table_remove_all (self->seen);
  g_task_return_boolean (task, TRUE);
}

static gboolean
tdm_webshop_connector_prepare_finish (TdmConnector  *connector,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, connector), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static guint64
tdm_webshop_connector_get_request_count (TdmConnector *connector)
{
  TdmWebshopConnector *self = TDM_WEBSHOP_CONNECTOR (connector);

  return tdm_http_session_get_request_count (self->session);
}

/* ---- GObject ---- */

static void
tdm_webshop_connector_dispose (GObject *object)
{
  TdmWebshopConnector *self = TDM_WEBSHOP_CONNECTOR (object);

  g_clear_handle_id (&self->pump_id, g_source_remove);
  g_queue_clear_full (&self->waiting, g_object_unref);
  g_clear_object (&self->session);
  g_clear_object (&self->credentials);
  if (self->seen != NULL)
    g_hash_table_remove_all (self->seen);

  G_OBJECT_CLASS (tdm_webshop_connector_parent_class)->dispose (object);
}

static void
tdm_webshop_connector_finalize (GObject *object)
{
  TdmWebshopConnector *self = TDM_WEBSHOP_CONNECTOR (object);

  g_free (self->base_url);
  g_clear_pointer (&self->base_uri, g_uri_unref);
  g_clear_pointer (&self->profile, tdm_webshop_profile_unref);
  g_free (self->user);
  g_free (self->header);
  if (self->secret != NULL)
    memset (self->secret, 0, strlen (self->secret));
  g_free (self->secret);
  g_free (self->account);
  g_clear_pointer (&self->seen, g_hash_table_unref);

  G_OBJECT_CLASS (tdm_webshop_connector_parent_class)->finalize (object);
}

static void
tdm_webshop_connector_class_init (TdmWebshopConnectorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  TdmConnectorClass *connector_class = TDM_CONNECTOR_CLASS (klass);

  object_class->dispose = tdm_webshop_connector_dispose;
  object_class->finalize = tdm_webshop_connector_finalize;

  _tdm_webshop_connector_list_class_init (connector_class);         /* list_changed, get */
  _tdm_webshop_connector_write_class_init (connector_class);        /* create, update, delete */
  _tdm_webshop_connector_walk_class_init (connector_class);         /* list_ids, find_created */
  _tdm_webshop_connector_connection_class_init (connector_class);   /* test_connection */
  connector_class->prepare_async = tdm_webshop_connector_prepare_async;
  connector_class->prepare_finish = tdm_webshop_connector_prepare_finish;
  connector_class->get_request_count = tdm_webshop_connector_get_request_count;
}

static void
tdm_webshop_connector_init (TdmWebshopConnector *self)
{
  tdm_http_options_init (&self->options);
  g_queue_init (&self->waiting);
  self->seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                      (GDestroyNotify) tdm_record_unref);
}

/* ---- Public API ---- */

TdmWebshopConnector *
tdm_webshop_connector_new (const char         *base_url,
                           TdmWebshopProfile  *profile,
                           TdmWebshopAuth      auth,
                           const char         *user_or_header,
                           const char         *secret,
                           TdmMapping         *mapping,
                           GError            **error)
{
  g_autoptr(TdmWebshopConnector) self = NULL;
  const char *secret_headers[2] = { NULL, NULL };
  gsize len;

  g_return_val_if_fail (base_url != NULL, NULL);
  g_return_val_if_fail (mapping == NULL || TDM_IS_MAPPING (mapping), NULL);

  if (!tdm_http_check_url (base_url, error))
    return NULL;

  self = g_object_new (TDM_TYPE_WEBSHOP_CONNECTOR,
                       "side", TDM_SIDE_WEBSHOP,
                       "mapping", mapping,
                       NULL);
  self->base_url = g_strdup (base_url);
  len = strlen (self->base_url);
  while (len > 0 && self->base_url[len - 1] == '/')
    self->base_url[--len] = '\0';
  self->base_uri = g_uri_parse (self->base_url, G_URI_FLAGS_NONE, NULL);
  self->profile = profile ? tdm_webshop_profile_ref (profile) : tdm_webshop_profile_new_default ();
  self->auth = auth == TDM_WEBSHOP_AUTH_PROFILE ? self->profile->auth : auth;
  if (self->auth == TDM_WEBSHOP_AUTH_BASIC)
    self->user = g_strdup (user_or_header);
  self->header = g_strdup (self->auth == TDM_WEBSHOP_AUTH_HEADER && user_or_header && *user_or_header
                           ? user_or_header : self->profile->auth_header);
  self->secret = g_strdup (secret);

  secret_headers[0] = self->header;
  self->session = tdm_http_session_new (&self->options, secret_headers);
  tdm_http_session_add_secret (self->session, self->secret);

  return g_steal_pointer (&self);
}

void
tdm_webshop_connector_set_credentials (TdmWebshopConnector *self,
                                       TdmCredentialStore  *store,
                                       const char          *account)
{
  g_return_if_fail (TDM_IS_WEBSHOP_CONNECTOR (self));
  g_return_if_fail (store == NULL || TDM_IS_CREDENTIAL_STORE (store));

  g_set_object (&self->credentials, store);
  g_free (self->account);
  self->account = g_strdup (account ? account : self->base_url);
}

void
tdm_webshop_connector_set_http_options (TdmWebshopConnector  *self,
                                        const TdmHttpOptions *options)
{
  const char *secret_headers[2] = { NULL, NULL };

  g_return_if_fail (TDM_IS_WEBSHOP_CONNECTOR (self));
  g_return_if_fail (options != NULL);

  self->options = *options;
  /* The session carries the timeout: rebuild it (no request may be running). */
  g_return_if_fail (self->active == 0);
  secret_headers[0] = self->header;
  g_clear_object (&self->session);
  self->session = tdm_http_session_new (&self->options, secret_headers);
  tdm_http_session_add_secret (self->session, self->secret);
}

const char *
tdm_webshop_connector_get_base_url (TdmWebshopConnector *self)
{
  g_return_val_if_fail (TDM_IS_WEBSHOP_CONNECTOR (self), NULL);
  return self->base_url;
}

TdmWebshopProfile *
tdm_webshop_connector_get_profile (TdmWebshopConnector *self)
{
  g_return_val_if_fail (TDM_IS_WEBSHOP_CONNECTOR (self), NULL);
  return self->profile;
}
