/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#pragma once

#include <gio/gio.h>
#include "tdm-credential-store.h"

G_BEGIN_DECLS

/* TdmCredentialStore on the desktop keyring (libsecret / Secret Service).
 *
 * Items use the schema "io.github.tandemsync.Tandem.Secret" with the
 * attributes service ("shopify" | "webshop"), account (the shopify-shop or
 * webshop-url setting) and gen (format generation, 1). Lookups match
 * service and account only and ignore the schema name, so a secret stored
 * on a headless server with
 *   secret-tool store --label=Tandem service shopify account <shop>
 * is found too. Secrets never reach logs or error messages. */
#define TDM_TYPE_SECRETS (tdm_secrets_get_type ())
G_DECLARE_FINAL_TYPE (TdmSecrets, tdm_secrets, TDM, SECRETS, GObject)

/* Stores into the default collection (the login keyring). */
TdmSecrets *tdm_secrets_new                (void);
/* `collection`: a D-Bus object path or alias (SECRET_COLLECTION_DEFAULT,
 * SECRET_COLLECTION_SESSION = in memory only); NULL = default. */
TdmSecrets *tdm_secrets_new_for_collection (const char *collection);

/* The libsecret schema (a `const SecretSchema *`; typed as gconstpointer so
 * that this header does not need libsecret). */
gconstpointer tdm_secrets_get_schema       (void);

G_END_DECLS
