/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#pragma once

#include <gio/gio.h>
#include "tdm-connector.h"

G_BEGIN_DECLS

/* Build a connector from the settings documented in docs/architecture.md
 * § Configuration and a secret looked up by the caller (the context, see
 * tdm-context-connectors.c). Errors name the setting that is wrong. */
TdmConnector *tdm_connector_factory_webshop (GSettings   *settings,
                                             const char  *secret,
                                             TdmMapping  *mapping,
                                             GError     **error);
TdmConnector *tdm_connector_factory_shopify (GSettings   *settings,
                                             const char  *secret,
                                             TdmMapping  *mapping,
                                             GError     **error);

G_END_DECLS
