/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-memory-credentials"

#include "config.h"

#include "tdm-credential-store.h"

/* An in-memory TdmCredentialStore for tests and the demo sandbox. Secrets
 * live only in this process; freed values are wiped. */
struct _TdmMemoryCredentials
{
  GObject     parent_instance;

  GMutex      lock;
  GHashTable *secrets;   /* "side\naccount" → secret (wiped on removal) */
};

static void tdm_memory_credentials_iface_init (TdmCredentialStoreInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TdmMemoryCredentials, tdm_memory_credentials, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (TDM_TYPE_CREDENTIAL_STORE,
                                                      tdm_memory_credentials_iface_init))

static char *
tdm_memory_credentials_key (TdmSide     side,
                            const char *account)
{
  return g_strdup_printf ("%s\n%s", tdm_side_to_string (side), account);
}

static char *
tdm_memory_credentials_get (TdmMemoryCredentials *self,
                            TdmSide               side,
                            const char           *account)
{
  g_autofree char *key = tdm_memory_credentials_key (side, account);
  char *secret;

  g_mutex_lock (&self->lock);
  secret = g_strdup (g_hash_table_lookup (self->secrets, key));
  g_mutex_unlock (&self->lock);
  return secret;
}

static void
tdm_memory_credentials_store_async (TdmCredentialStore  *store,
                                    TdmSide              side,
                                    const char          *account,
                                    const char          *secret,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  TdmMemoryCredentials *self = TDM_MEMORY_CREDENTIALS (store);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, tdm_memory_credentials_store_async);
  if (g_task_return_error_if_cancelled (task))
    return;

  g_mutex_lock (&self->lock);
  g_hash_table_replace (self->secrets, tdm_memory_credentials_key (side, account),
                        g_strdup (secret));
  g_mutex_unlock (&self->lock);
  g_task_return_boolean (task, TRUE);
}

static void
tdm_memory_credentials_lookup_async (TdmCredentialStore  *store,
                                     TdmSide              side,
                                     const char          *account,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  TdmMemoryCredentials *self = TDM_MEMORY_CREDENTIALS (store);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, tdm_memory_credentials_lookup_async);
  if (g_task_return_error_if_cancelled (task))
    return;

  g_task_return_pointer (task, tdm_memory_credentials_get (self, side, account),
                         (GDestroyNotify) tdm_credential_free);
}

static void
tdm_memory_credentials_clear_async (TdmCredentialStore  *store,
                                    TdmSide              side,
                                    const char          *account,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  TdmMemoryCredentials *self = TDM_MEMORY_CREDENTIALS (store);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *key = tdm_memory_credentials_key (side, account);

  g_task_set_source_tag (task, tdm_memory_credentials_clear_async);
  if (g_task_return_error_if_cancelled (task))
    return;

  g_mutex_lock (&self->lock);
  g_hash_table_remove (self->secrets, key);
  g_mutex_unlock (&self->lock);
  g_task_return_boolean (task, TRUE);
}

static char *
tdm_memory_credentials_lookup_sync (TdmCredentialStore  *store,
                                    TdmSide              side,
                                    const char          *account,
                                    GCancellable        *cancellable,
                                    GError             **error)
{
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  return tdm_memory_credentials_get (TDM_MEMORY_CREDENTIALS (store), side, account);
}

static void
tdm_memory_credentials_iface_init (TdmCredentialStoreInterface *iface)
{
  iface->store_async = tdm_memory_credentials_store_async;
  iface->lookup_async = tdm_memory_credentials_lookup_async;
  iface->clear_async = tdm_memory_credentials_clear_async;
  iface->lookup_sync = tdm_memory_credentials_lookup_sync;
}

static void
tdm_memory_credentials_finalize (GObject *object)
{
  TdmMemoryCredentials *self = TDM_MEMORY_CREDENTIALS (object);

  g_clear_pointer (&self->secrets, g_hash_table_unref);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (tdm_memory_credentials_parent_class)->finalize (object);
}

static void
tdm_memory_credentials_class_init (TdmMemoryCredentialsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tdm_memory_credentials_finalize;
}

static void
tdm_memory_credentials_init (TdmMemoryCredentials *self)
{
  g_mutex_init (&self->lock);
  self->secrets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) tdm_credential_free);
}

/**
 * tdm_memory_credentials_new:
 *
 * Returns: (transfer full): an empty in-memory credential store.
 */
TdmMemoryCredentials *
tdm_memory_credentials_new (void)
{
  return g_object_new (TDM_TYPE_MEMORY_CREDENTIALS, NULL);
}
