/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-context"

#include "config.h"

#include <glib/gi18n.h>

#include "tdm-context-private.h"
#include "tdm-connector-factory.h"

/* Building the connectors of a context: the secrets are looked up
 * asynchronously from the credential store, then each connector is built
 * from the settings (docs/architecture.md § TdmContext). */

typedef struct
{
  TdmSide       side;
  TdmConnector *connectors[TDM_N_SIDES];
} LoadState;

static void
load_state_free (LoadState *state)
{
  for (guint s = 0; s < TDM_N_SIDES; s++)
    g_clear_object (&state->connectors[s]);
  g_free (state);
}

static const char *
account_key (TdmSide side)
{
  g_assert (side < TDM_N_SIDES);

  return side == TDM_SIDE_WEBSHOP ? "webshop-url" : "shopify-shop";
}

/* ---- One connector ---- */

static void
set_missing_secret_error (TdmSide      side,
                          const char  *account,
                          GError     **error)
{
  g_assert (account != NULL);

  if (side == TDM_SIDE_WEBSHOP)
    g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_CONFIG,
                 _("No webshop secret is stored for %s. Enter it in Preferences → "
                   "Connections, or on a server run: secret-tool store --label=Tandem "
                   "service webshop account %s"), account, account);
  else
    g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_CONFIG,
                 _("No Shopify secret is stored for %s. Enter it in Preferences → "
                   "Connections, or on a server run: secret-tool store --label=Tandem "
                   "service shopify account %s"), account, account);
}

static TdmConnector *
build_connector (TdmContext  *self,
                 TdmSide      side,
                 const char  *secret,
                 GError     **error)
{
  g_autofree char *account = g_settings_get_string (self->settings, account_key (side));
  g_autofree char *country = g_settings_get_string (self->settings, "default-phone-country");
  TdmConnector *connector;

  g_assert (TDM_IS_CONTEXT (self));

  if (account[0] == '\0')
    {
      g_set_error (error, TDM_SYNC_ERROR, TDM_SYNC_ERROR_CONFIG, "%s",
                   side == TDM_SIDE_WEBSHOP
                   ? _("The webshop address is not set. Enter it in Preferences → Connections.")
                   : _("The Shopify shop is not set. Enter it in Preferences → Connections."));
      return NULL;
    }

  if (secret == NULL || secret[0] == '\0')
    {
      set_missing_secret_error (side, account, error);
      return NULL;
    }

  connector = side == TDM_SIDE_WEBSHOP
              ? tdm_connector_factory_webshop (self->settings, secret, self->mapping, error)
              : tdm_connector_factory_shopify (self->settings, secret, self->mapping, error);
  if (connector != NULL)
    tdm_connector_set_normalize_options (connector, country);
  return connector;
}

/* ---- Both connectors, handed to the engine ---- */

static void on_secret_looked_up_cb (GObject      *source,
                                    GAsyncResult *result,
                                    gpointer      user_data);

static void
look_up_secret (GTask   *task,
                TdmSide  side)
{
  TdmContext *self = g_task_get_source_object (task);
  LoadState *state = g_task_get_task_data (task);
  g_autofree char *account = NULL;

  g_assert (G_IS_TASK (task));
  g_assert (side < TDM_N_SIDES);

  state->side = side;
  account = g_settings_get_string (self->settings, account_key (side));
  tdm_credential_store_lookup_async (self->credentials, side, account,
                                     g_task_get_cancellable (task),
                                     on_secret_looked_up_cb, task);
}

/* Hands the connectors to the engine and keeps them for
 * tdm_context_get_connector(). */
static void
install_connectors (TdmContext *self,
                    LoadState  *state)
{
  g_assert (TDM_IS_CONTEXT (self));
  g_assert (state->connectors[TDM_SIDE_WEBSHOP] != NULL);
  g_assert (state->connectors[TDM_SIDE_SHOPIFY] != NULL);

  for (guint s = 0; s < TDM_N_SIDES; s++)
    g_set_object (&self->connectors[s], state->connectors[s]);
  tdm_sync_engine_set_connectors (self->engine, state->connectors[TDM_SIDE_WEBSHOP],
                                  state->connectors[TDM_SIDE_SHOPIFY]);
}

/* The two secrets are looked up one after the other (webshop, then Shopify). */
static void
on_secret_looked_up_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TdmContext *self = g_task_get_source_object (task);
  LoadState *state = g_task_get_task_data (task);
  TdmSide side = state->side;
  g_autoptr(GError) error = NULL;
  char *secret;

  g_assert (TDM_IS_CONTEXT (self));
  g_assert (state->connectors[side] == NULL);

  secret = tdm_credential_store_lookup_finish (TDM_CREDENTIAL_STORE (source), result, &error);
  if (error != NULL)
    {
      g_task_return_new_error (task, TDM_SYNC_ERROR, TDM_SYNC_ERROR_CONFIG,
                               _("Tandem cannot read its secrets from the keyring: %s"),
                               error->message);
      return;
    }

  state->connectors[side] = build_connector (self, side, secret, &error);
  tdm_credential_free (secret);
  if (state->connectors[side] == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (side == TDM_SIDE_WEBSHOP)
    {
      look_up_secret (g_steal_pointer (&task), TDM_SIDE_SHOPIFY);
      return;
    }

  install_connectors (self, state);
  g_task_return_boolean (task, TRUE);
}

void
_tdm_context_load_connectors_async (TdmContext          *self,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_assert (TDM_IS_CONTEXT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, _tdm_context_load_connectors_async);
  g_task_set_task_data (task, g_new0 (LoadState, 1), (GDestroyNotify) load_state_free);

  if (!self->configured)
    {
      g_task_return_new_error (task, TDM_SYNC_ERROR, TDM_SYNC_ERROR_CONFIG, "%s",
                               _("Connect your webshop and Shopify in Preferences first."));
      return;
    }

  look_up_secret (g_steal_pointer (&task), TDM_SIDE_WEBSHOP);
}

gboolean
_tdm_context_load_connectors_finish (TdmContext    *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- A fresh connector for "Test connection" ---- */

static void
on_single_secret_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TdmContext *self = g_task_get_source_object (task);
  TdmSide side = GPOINTER_TO_INT (g_task_get_task_data (task));
  g_autoptr(GError) error = NULL;
  TdmConnector *connector;
  char *secret;

  g_assert (TDM_IS_CONTEXT (self));
  g_assert (side < TDM_N_SIDES);

  secret = tdm_credential_store_lookup_finish (TDM_CREDENTIAL_STORE (source), result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  connector = build_connector (self, side, secret, &error);
  tdm_credential_free (secret);
  if (connector == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, connector, g_object_unref);
}

void
tdm_context_create_connector_async (TdmContext          *self,
                                    TdmSide              side,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *account = NULL;

  g_return_if_fail (TDM_IS_CONTEXT (self));
  g_return_if_fail (side < TDM_N_SIDES);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tdm_context_create_connector_async);
  g_task_set_task_data (task, GINT_TO_POINTER (side), NULL);
  account = g_settings_get_string (self->settings, account_key (side));
  tdm_credential_store_lookup_async (self->credentials, side, account, cancellable,
                                     on_single_secret_cb, g_steal_pointer (&task));
}

TdmConnector *
tdm_context_create_connector_finish (TdmContext    *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

TdmConnector *
tdm_context_get_connector (TdmContext *self,
                           TdmSide     side)
{
  g_return_val_if_fail (TDM_IS_CONTEXT (self), NULL);
  g_return_val_if_fail (side < TDM_N_SIDES, NULL);

  return self->connectors[side];
}
