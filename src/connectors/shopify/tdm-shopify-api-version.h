/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#pragma once

#include "tdm-connector.h"

G_BEGIN_DECLS

/* Sets the Shopify connector's check_api_version vfuncs (from its
 * class_init): each Shopify API version is supported for at least 12
 * months (docs/shopify.md § Endpoints and auth). */
void _tdm_shopify_api_version_install (TdmConnectorClass *klass);

G_END_DECLS
