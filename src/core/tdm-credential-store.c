/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-credential-store"

#include "config.h"

#include "tdm-credential-store.h"

#include <string.h>

G_DEFINE_INTERFACE (TdmCredentialStore, tdm_credential_store, G_TYPE_OBJECT)

/* The finish functions of an implementation that returns its results with
 * a GTask whose source object is the store: a boolean, or the secret. */
static gboolean
task_finish_boolean (TdmCredentialStore  *self,
                     GAsyncResult        *result,
                     GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static char *
task_finish_secret (TdmCredentialStore  *self,
                    GAsyncResult        *result,
                    GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
tdm_credential_store_default_init (TdmCredentialStoreInterface *iface)
{
  iface->store_finish = task_finish_boolean;
  iface->lookup_finish = task_finish_secret;
  iface->clear_finish = task_finish_boolean;
}

void
tdm_credential_store_store_async (TdmCredentialStore  *self,
                                  TdmSide              side,
                                  const char          *account,
                                  const char          *secret,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (TDM_IS_CREDENTIAL_STORE (self));
  g_return_if_fail (account != NULL);
  g_return_if_fail (secret != NULL);

  TDM_CREDENTIAL_STORE_GET_IFACE (self)->store_async (self, side, account, secret,
                                                       cancellable, callback, user_data);
}

gboolean
tdm_credential_store_store_finish (TdmCredentialStore  *self,
                                   GAsyncResult        *result,
                                   GError             **error)
{
  g_return_val_if_fail (TDM_IS_CREDENTIAL_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return TDM_CREDENTIAL_STORE_GET_IFACE (self)->store_finish (self, result, error);
}

void
tdm_credential_store_lookup_async (TdmCredentialStore  *self,
                                   TdmSide              side,
                                   const char          *account,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (TDM_IS_CREDENTIAL_STORE (self));
  g_return_if_fail (account != NULL);

  TDM_CREDENTIAL_STORE_GET_IFACE (self)->lookup_async (self, side, account,
                                                        cancellable, callback, user_data);
}

/**
 * tdm_credential_store_lookup_finish:
 *
 * Returns: (transfer full) (nullable): the secret, freed with
 *   tdm_credential_free(); NULL without error when none is stored.
 */
char *
tdm_credential_store_lookup_finish (TdmCredentialStore  *self,
                                    GAsyncResult        *result,
                                    GError             **error)
{
  g_return_val_if_fail (TDM_IS_CREDENTIAL_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return TDM_CREDENTIAL_STORE_GET_IFACE (self)->lookup_finish (self, result, error);
}

void
tdm_credential_store_clear_async (TdmCredentialStore  *self,
                                  TdmSide              side,
                                  const char          *account,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (TDM_IS_CREDENTIAL_STORE (self));
  g_return_if_fail (account != NULL);

  TDM_CREDENTIAL_STORE_GET_IFACE (self)->clear_async (self, side, account,
                                                       cancellable, callback, user_data);
}

gboolean
tdm_credential_store_clear_finish (TdmCredentialStore  *self,
                                   GAsyncResult        *result,
                                   GError             **error)
{
  g_return_val_if_fail (TDM_IS_CREDENTIAL_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return TDM_CREDENTIAL_STORE_GET_IFACE (self)->clear_finish (self, result, error);
}

/**
 * tdm_credential_store_lookup_sync:
 *
 * Blocking lookup, for the headless runner only.
 *
 * Returns: (transfer full) (nullable): the secret, freed with tdm_credential_free().
 */
char *
tdm_credential_store_lookup_sync (TdmCredentialStore  *self,
                                  TdmSide              side,
                                  const char          *account,
                                  GCancellable        *cancellable,
                                  GError             **error)
{
  g_return_val_if_fail (TDM_IS_CREDENTIAL_STORE (self), NULL);
  g_return_val_if_fail (account != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return TDM_CREDENTIAL_STORE_GET_IFACE (self)->lookup_sync (self, side, account,
                                                              cancellable, error);
}

/**
 * tdm_credential_free:
 * @secret: (nullable): a secret returned by a lookup
 *
 * Overwrites the secret's memory, then frees it.
 */
void
tdm_credential_free (char *secret)
{
  volatile char *p;
  gsize len;

  if (secret == NULL)
    return;

  len = strlen (secret);
  memset (secret, 0, len);
  /* Read back through a volatile pointer so the wipe is not optimized away. */
  p = secret;
  (void) p[0];
  g_free (secret);
}
