/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#pragma once

#include "tdm-credential-store.h"

G_BEGIN_DECLS

/* The system keyring (Secret Service, or the Secret portal inside Flatpak)
 * through libsecret: schema "io.github.tandemsync.Tandem.Secret" with the
 * attributes service (shopify | webshop), account (the shopify-shop or
 * webshop-url setting) and gen (the format generation, 1). */
#define TDM_TYPE_SECRETS (tdm_secrets_get_type ())
G_DECLARE_FINAL_TYPE (TdmSecrets, tdm_secrets, TDM, SECRETS, GObject)

TdmSecrets *tdm_secrets_new (void);

G_END_DECLS
