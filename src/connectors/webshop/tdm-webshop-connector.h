/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#pragma once

#include "tdm-connector.h"
#include "tdm-credential-store.h"
#include "tdm-http.h"
#include "tdm-webshop-profile.h"

G_BEGIN_DECLS

/* The webshop side: a client of the Webshop Sync API (docs/webshop-api.md),
 * adapted by a TdmWebshopProfile. Records come back canonical (mapped with
 * the connector's TdmMapping; without a mapping the canonical fields are the
 * native ones), with twin_id = the record's shopify_id.
 *
 * Cursors handed out by list_changed are opaque to the caller: record pages
 * first, then (for incremental listings, when the profile has a deleted
 * endpoint) the tombstone pages. find_created looks a record up by the
 * shopify_id Tandem wrote on it (the contract has no lookup by
 * Idempotency-Key; a resend with the same key and body is itself safe). */
#define TDM_TYPE_WEBSHOP_CONNECTOR (tdm_webshop_connector_get_type ())
G_DECLARE_FINAL_TYPE (TdmWebshopConnector, tdm_webshop_connector, TDM, WEBSHOP_CONNECTOR,
                      TdmConnector)

/* `base_url` is checked here (https://, or http:// to loopback only): an
 * insecure or invalid URL fails before any request is sent.
 * `auth` TDM_WEBSHOP_AUTH_PROFILE takes the profile's method. `user_or_header`:
 * the user name for basic auth, or the header name for header auth (NULL =
 * the profile's). `secret` (token, password or header value) stays in memory
 * only; NULL when it comes from tdm_webshop_connector_set_credentials(). */
TdmWebshopConnector *tdm_webshop_connector_new (const char         *base_url,
                                                TdmWebshopProfile  *profile,
                                                TdmWebshopAuth      auth,
                                                const char         *user_or_header,
                                                const char         *secret,
                                                TdmMapping         *mapping,
                                                GError            **error);

/* Look the secret up in `store` (side webshop, `account`) before the first
 * request, when none was given to the constructor. */
void                 tdm_webshop_connector_set_credentials (TdmWebshopConnector *self,
                                                            TdmCredentialStore  *store,
                                                            const char          *account);
/* Timeouts, retries and body cap (tests use short ones). */
void                 tdm_webshop_connector_set_http_options (TdmWebshopConnector  *self,
                                                             const TdmHttpOptions *options);
const char          *tdm_webshop_connector_get_base_url (TdmWebshopConnector *self);
TdmWebshopProfile   *tdm_webshop_connector_get_profile  (TdmWebshopConnector *self);

G_END_DECLS
