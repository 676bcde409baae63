/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-secrets"

#include "config.h"

#include <glib/gi18n.h>
#include <libsecret/secret.h>

#include "tdm-secrets.h"


struct _TdmSecrets
{
  GObject parent_instance;
};

static void tdm_secrets_iface_init (TdmCredentialStoreInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TdmSecrets, tdm_secrets, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (TDM_TYPE_CREDENTIAL_STORE,
                                                      tdm_secrets_iface_init))

static const SecretSchema *
tdm_secret_schema (void)
{
  static const SecretSchema schema = {
    .name = "io.github.tandemsync.Tandem.Secret",
    /* secret-tool stores items without our schema name: match on attributes only. */
    .flags = SECRET_SCHEMA_DONT_MATCH_NAME,
    .attributes = {
      { .name = "service", .type = SECRET_SCHEMA_ATTRIBUTE_STRING },
      { .name = "account", .type = SECRET_SCHEMA_ATTRIBUTE_STRING },
      { .name = NULL, .type = 0 },
    },
  };

  return &schema;
}

static char *
secret_label (TdmSide     side,
              const char *account)
{
  return side == TDM_SIDE_SHOPIFY
         ? g_strdup_printf (_("Tandem: Shopify (%s)"), account)
         : g_strdup_printf (_("Tandem: webshop (%s)"), account);
}

/* Store */

static void
on_stored_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!secret_password_store_finish (result, &error))
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                             _("The secret could not be saved in the keyring: %s"),
                             error->message);
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
  g_autoptr(GTask) task = g_task_new (store, cancellable, callback, user_data);
  g_autofree char *label = secret_label (side, account);

  g_task_set_source_tag (task, tdm_secrets_store_async);
  secret_password_store (tdm_secret_schema (), SECRET_COLLECTION_DEFAULT, label, secret,
                         cancellable, on_stored_cb, g_steal_pointer (&task),
                         "service", tdm_side_to_string (side),
                         "account", account,
                         NULL);
}

static gboolean
tdm_secrets_store_finish (TdmCredentialStore  *store,
                          GAsyncResult        *result,
                          GError             **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Lookup */

static void
on_looked_up_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  char *secret;

  secret = secret_password_lookup_finish (result, &error);
  if (error != NULL)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                             _("The keyring could not be read: %s"), error->message);
  else
    {
      /* Hand over a g_malloc copy so callers free it with tdm_credential_free. */
      char *copy = g_strdup (secret);

      secret_password_free (secret);
      g_task_return_pointer (task, copy, (GDestroyNotify) tdm_credential_free);
    }
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

  g_task_set_source_tag (task, tdm_secrets_lookup_async);
  secret_password_lookup (tdm_secret_schema (), cancellable, on_looked_up_cb,
                          g_steal_pointer (&task),
                          "service", tdm_side_to_string (side),
                          "account", account,
                          NULL);
}

static char *
tdm_secrets_lookup_finish (TdmCredentialStore  *store,
                           GAsyncResult        *result,
                           GError             **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static char *
tdm_secrets_lookup_sync (TdmCredentialStore  *store,
                         TdmSide              side,
                         const char          *account,
                         GCancellable        *cancellable,
                         GError             **error)
{
  g_autoptr(GError) local_error = NULL;
  char *secret;
  char *copy;

  secret = secret_password_lookup_sync (tdm_secret_schema (), cancellable, &local_error,
                                        "service", tdm_side_to_string (side),
                                        "account", account,
                                        NULL);
  if (local_error != NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("The keyring could not be read: %s"), local_error->message);
      return NULL;
    }
  copy = g_strdup (secret);
  secret_password_free (secret);
  return copy;
}

/* Clear */

static void
on_cleared_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  secret_password_clear_finish (result, &error);
  if (error != NULL)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                             _("The secret could not be removed from the keyring: %s"),
                             error->message);
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

  g_task_set_source_tag (task, tdm_secrets_clear_async);
  secret_password_clear (tdm_secret_schema (), cancellable, on_cleared_cb,
                         g_steal_pointer (&task),
                         "service", tdm_side_to_string (side),
                         "account", account,
                         NULL);
}

static gboolean
tdm_secrets_clear_finish (TdmCredentialStore  *store,
                          GAsyncResult        *result,
                          GError             **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
tdm_secrets_iface_init (TdmCredentialStoreInterface *iface)
{
  iface->store_async = tdm_secrets_store_async;
  iface->store_finish = tdm_secrets_store_finish;
  iface->lookup_async = tdm_secrets_lookup_async;
  iface->lookup_finish = tdm_secrets_lookup_finish;
  iface->clear_async = tdm_secrets_clear_async;
  iface->clear_finish = tdm_secrets_clear_finish;
  iface->lookup_sync = tdm_secrets_lookup_sync;
}

static void
tdm_secrets_class_init (TdmSecretsClass *klass)
{
}

static void
tdm_secrets_init (TdmSecrets *self)
{
}

TdmSecrets *
tdm_secrets_new (void)
{
  return g_object_new (TDM_TYPE_SECRETS, NULL);
}
