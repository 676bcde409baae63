/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-secrets"

#include "config.h"

#include "tdm-secrets.h"

#include <glib/gi18n-lib.h>
#include <libsecret/secret.h>

#include "tdm-error.h"

/* Bump when the stored format changes; lookups do not match on it, so old
 * items stay readable and can be migrated. */
#define TDM_SECRET_GENERATION 1

static const SecretSchema tdm_secret_schema = {
  .name = "io.github.tandemsync.Tandem.Secret",
  /* Also find items stored by secret-tool, which sets no schema name. */
  .flags = SECRET_SCHEMA_DONT_MATCH_NAME,
  .attributes = {
    { .name = "service", .type = SECRET_SCHEMA_ATTRIBUTE_STRING },
    { .name = "account", .type = SECRET_SCHEMA_ATTRIBUTE_STRING },
    { .name = "gen", .type = SECRET_SCHEMA_ATTRIBUTE_INTEGER },
    { .name = NULL, .type = 0 },
  },
};

struct _TdmSecrets
{
  GObject  parent_instance;

  char    *collection;   /* NULL: default */
};

static void tdm_secrets_iface_init (TdmCredentialStoreInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TdmSecrets, tdm_secrets, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (TDM_TYPE_CREDENTIAL_STORE,
                                                      tdm_secrets_iface_init))

gconstpointer
tdm_secrets_get_schema (void)
{
  return &tdm_secret_schema;
}

static const char *
service_name (TdmSide side)
{
  g_assert (side == TDM_SIDE_WEBSHOP || side == TDM_SIDE_SHOPIFY);

  return side == TDM_SIDE_SHOPIFY ? "shopify" : "webshop";
}

/* Replaces a libsecret/D-Bus error by one a shop owner can act on. The
 * original message is kept for the log (it never contains the secret). */
static GError *
keyring_error (GError     *error,
               TdmSide     side,
               const char *what)
{
  GError *out;

  g_assert (error != NULL && what != NULL);

  g_debug ("Keyring %s for %s failed: %s", what, service_name (side), error->message);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return error;

  out = g_error_new (TDM_SYNC_ERROR, TDM_SYNC_ERROR_CONFIG,
                     side == TDM_SIDE_SHOPIFY
                       ? _("Tandem could not use the keyring for the Shopify credential (%s). "
                           "Make sure a keyring (Secret Service, for example GNOME Keyring) "
                           "is running and unlocked, then try again.")
                       : _("Tandem could not use the keyring for the webshop credential (%s). "
                           "Make sure a keyring (Secret Service, for example GNOME Keyring) "
                           "is running and unlocked, then try again."),
                     error->message);
  g_error_free (error);
  return out;
}

typedef struct {
  TdmSide side;
} OpData;

/* ---- Storing ---- */

static void
store_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OpData *data = g_task_get_task_data (task);
  GError *error = NULL;

  g_assert (G_IS_TASK (task));
  g_assert (data != NULL);

  if (!secret_password_store_finish (result, &error))
    g_task_return_error (task, keyring_error (error, data->side, "store"));
  else
    g_task_return_boolean (task, TRUE);
}

static void
tdm_secrets_store_async (TdmCredentialStore  *store,
                         TdmSide              side,
                         const char          *account,
                         const char          *secret,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  TdmSecrets *self = TDM_SECRETS (store);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  OpData *data = g_new0 (OpData, 1);
  g_autofree char *label = NULL;

  g_task_set_source_tag (task, tdm_secrets_store_async);
  data->side = side;
  g_task_set_task_data (task, data, g_free);

  label = side == TDM_SIDE_SHOPIFY
            /* Translators: the label of the keyring item; %s is the shop address */
            ? g_strdup_printf (_("Tandem: Shopify (%s)"), account)
            /* Translators: the label of the keyring item; %s is the webshop address */
            : g_strdup_printf (_("Tandem: Webshop (%s)"), account);

  secret_password_store (&tdm_secret_schema, self->collection, label, secret,
                         cancellable, store_done, g_steal_pointer (&task),
                         "service", service_name (side),
                         "account", account,
                         "gen", TDM_SECRET_GENERATION,
                         NULL);
}

/* ---- Looking up ---- */

/* Moves a libsecret password into memory freed by tdm_credential_free. */
static char *
take_password (char *password)
{
  char *copy;

  if (password == NULL)
    return NULL;
  copy = g_strdup (password);
  secret_password_free (password);   /* wipes */
  return copy;
}

static void
lookup_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OpData *data = g_task_get_task_data (task);
  GError *error = NULL;
  char *password = secret_password_lookup_finish (result, &error);

  g_assert (G_IS_TASK (task));
  g_assert (data != NULL);

  if (error != NULL)
    g_task_return_error (task, keyring_error (error, data->side, "lookup"));
  else
    g_task_return_pointer (task, take_password (password), (GDestroyNotify) tdm_credential_free);
}

static void
tdm_secrets_lookup_async (TdmCredentialStore  *store,
                          TdmSide              side,
                          const char          *account,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (store, cancellable, callback, user_data);
  OpData *data = g_new0 (OpData, 1);

  g_task_set_source_tag (task, tdm_secrets_lookup_async);
  data->side = side;
  g_task_set_task_data (task, data, g_free);

  secret_password_lookup (&tdm_secret_schema, cancellable, lookup_done, g_steal_pointer (&task),
                          "service", service_name (side),
                          "account", account,
                          NULL);
}

static char *
tdm_secrets_lookup_sync (TdmCredentialStore  *store,
                         TdmSide              side,
                         const char          *account,
                         GCancellable        *cancellable,
                         GError             **error)
{
  GError *local_error = NULL;
  char *password;

  password = secret_password_lookup_sync (&tdm_secret_schema, cancellable, &local_error,
                                          "service", service_name (side),
                                          "account", account,
                                          NULL);
  if (local_error != NULL)
    {
      g_propagate_error (error, keyring_error (local_error, side, "lookup"));
      return NULL;
    }
  return take_password (password);
}

/* ---- Clearing ---- */

static void
clear_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OpData *data = g_task_get_task_data (task);
  GError *error = NULL;

  g_assert (G_IS_TASK (task));
  g_assert (data != NULL);

  /* FALSE without an error: there was nothing to remove, which is fine. */
  secret_password_clear_finish (result, &error);
  if (error != NULL)
    g_task_return_error (task, keyring_error (error, data->side, "clear"));
  else
    g_task_return_boolean (task, TRUE);
}

static void
tdm_secrets_clear_async (TdmCredentialStore  *store,
                         TdmSide              side,
                         const char          *account,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (store, cancellable, callback, user_data);
  OpData *data = g_new0 (OpData, 1);

  g_task_set_source_tag (task, tdm_secrets_clear_async);
  data->side = side;
  g_task_set_task_data (task, data, g_free);

  secret_password_clear (&tdm_secret_schema, cancellable, clear_done, g_steal_pointer (&task),
                         "service", service_name (side),
                         "account", account,
                         NULL);
}

static void
tdm_secrets_iface_init (TdmCredentialStoreInterface *iface)
{
  iface->store_async = tdm_secrets_store_async;
  iface->lookup_async = tdm_secrets_lookup_async;
  iface->clear_async = tdm_secrets_clear_async;
  iface->lookup_sync = tdm_secrets_lookup_sync;
}

static void
tdm_secrets_finalize (GObject *object)
{
  TdmSecrets *self = TDM_SECRETS (object);

  g_free (self->collection);

  G_OBJECT_CLASS (tdm_secrets_parent_class)->finalize (object);
}

static void
tdm_secrets_class_init (TdmSecretsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tdm_secrets_finalize;
}

static void
tdm_secrets_init (TdmSecrets *self)
{
}

TdmSecrets *
tdm_secrets_new (void)
{
  return tdm_secrets_new_for_collection (NULL);
}

TdmSecrets *
tdm_secrets_new_for_collection (const char *collection)
{
  TdmSecrets *self = g_object_new (TDM_TYPE_SECRETS, NULL);

  self->collection = g_strdup (collection);
  return self;
}
