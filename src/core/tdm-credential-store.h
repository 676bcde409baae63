/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#pragma once

#include <gio/gio.h>
#include "tdm-types.h"

G_BEGIN_DECLS

#define TDM_TYPE_CREDENTIAL_STORE (tdm_credential_store_get_type ())
G_DECLARE_INTERFACE (TdmCredentialStore, tdm_credential_store, TDM, CREDENTIAL_STORE, GObject)

/* Secrets by (side, account): account is the shopify-shop or webshop-url
 * setting. Implemented with libsecret in storage/ and in memory for tests.
 * lookup returns NULL with no error when nothing is stored. Returned secrets
 * are freed with tdm_credential_free (wipes the memory). An implementation
 * that returns its results with a GTask whose source object is the store
 * leaves the three finish functions as the interface sets them. */
struct _TdmCredentialStoreInterface
{
  GTypeInterface parent_iface;

  void      (*store_async)   (TdmCredentialStore *self, TdmSide side, const char *account,
                              const char *secret, GCancellable *cancellable,
                              GAsyncReadyCallback callback, gpointer user_data);
  gboolean  (*store_finish)  (TdmCredentialStore *self, GAsyncResult *result, GError **error);
  void      (*lookup_async)  (TdmCredentialStore *self, TdmSide side, const char *account,
                              GCancellable *cancellable,
                              GAsyncReadyCallback callback, gpointer user_data);
  char     *(*lookup_finish) (TdmCredentialStore *self, GAsyncResult *result, GError **error);
  void      (*clear_async)   (TdmCredentialStore *self, TdmSide side, const char *account,
                              GCancellable *cancellable,
                              GAsyncReadyCallback callback, gpointer user_data);
  gboolean  (*clear_finish)  (TdmCredentialStore *self, GAsyncResult *result, GError **error);
  /* Blocking lookup for the headless runner (no UI thread to keep free). */
  char     *(*lookup_sync)   (TdmCredentialStore *self, TdmSide side, const char *account,
                              GCancellable *cancellable, GError **error);
};

void      tdm_credential_store_store_async   (TdmCredentialStore *self, TdmSide side,
                                              const char *account, const char *secret,
                                              GCancellable *cancellable,
                                              GAsyncReadyCallback callback, gpointer user_data);
gboolean  tdm_credential_store_store_finish  (TdmCredentialStore *self, GAsyncResult *result,
                                              GError **error);
void      tdm_credential_store_lookup_async  (TdmCredentialStore *self, TdmSide side,
                                              const char *account, GCancellable *cancellable,
                                              GAsyncReadyCallback callback, gpointer user_data);
char     *tdm_credential_store_lookup_finish (TdmCredentialStore *self, GAsyncResult *result,
                                              GError **error);
void      tdm_credential_store_clear_async   (TdmCredentialStore *self, TdmSide side,
                                              const char *account, GCancellable *cancellable,
                                              GAsyncReadyCallback callback, gpointer user_data);
gboolean  tdm_credential_store_clear_finish  (TdmCredentialStore *self, GAsyncResult *result,
                                              GError **error);
char     *tdm_credential_store_lookup_sync   (TdmCredentialStore *self, TdmSide side,
                                              const char *account, GCancellable *cancellable,
                                              GError **error);
void      tdm_credential_free                (char *secret);

/* In-memory implementation for tests and the demo sandbox. */
#define TDM_TYPE_MEMORY_CREDENTIALS (tdm_memory_credentials_get_type ())
G_DECLARE_FINAL_TYPE (TdmMemoryCredentials, tdm_memory_credentials, TDM, MEMORY_CREDENTIALS, GObject)
TdmMemoryCredentials *tdm_memory_credentials_new (void);

G_END_DECLS
