/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#pragma once

#include "tdm-connector.h"
#include "tdm-credential-store.h"
#include "tdm-shopify-client.h"

G_BEGIN_DECLS

/* The Shopify side: Admin GraphQL API (2026-10 by default).
 *
 * Records are read in the agreed native shapes (graphql/fragment-*.graphql)
 * and turned canonical by the base class (tdm_connector_map_native()); writes go through
 * customerSet / productSet (upserts by the $app:tandem.webshop_id custom id),
 * orderCreate (looked up by custom id before any retry), orderUpdate,
 * orderCancel and orderMarkAsPaid, and inventorySetQuantities with the op id
 * as @idempotent key.
 *
 * Properties: "bulk-threshold" (uint, default 2000: a first load of more
 * records uses a bulk export; 0 = never), "location" (string: the
 * shopify-location setting, a Location GID; NULL = the first location that
 * ships inventory), "page-size" (uint, 0 = chosen by query cost),
 * "bulk-poll-interval" (uint, milliseconds, default 5000). */

#define TDM_TYPE_SHOPIFY_CONNECTOR (tdm_shopify_connector_get_type ())
G_DECLARE_FINAL_TYPE (TdmShopifyConnector, tdm_shopify_connector, TDM, SHOPIFY_CONNECTOR, TdmConnector)

/* `store`/`account`: where the client secret (or token) is looked up when
 * none was passed with tdm_shopify_connector_set_secret(). */
TdmShopifyConnector *tdm_shopify_connector_new (const char          *shop,
                                                const char          *api_version,  /* NULL: 2026-10 */
                                                TdmShopifyAuthMode   auth_mode,
                                                const char          *client_id,
                                                TdmCredentialStore  *store,        /* nullable */
                                                const char          *account,      /* nullable */
                                                TdmMapping          *mapping,
                                                GError             **error);

void              tdm_shopify_connector_set_secret         (TdmShopifyConnector *self,
                                                            const char          *secret);
void              tdm_shopify_connector_set_location       (TdmShopifyConnector *self,
                                                            const char          *location_id);
void              tdm_shopify_connector_set_bulk_threshold (TdmShopifyConnector *self,
                                                            guint                threshold);
void              tdm_shopify_connector_set_page_size      (TdmShopifyConnector *self,
                                                            guint                page_size);
void              tdm_shopify_connector_set_bulk_poll_interval (TdmShopifyConnector *self,
                                                                guint                interval_ms);
/* On development stores (plan.partnerDevelopment, learnt by prepare or
 * test_connection) orderCreate calls are spaced by this much (default
 * 12,000 ms: Shopify takes at most 5 new orders a minute there). */
void              tdm_shopify_connector_set_order_create_interval (TdmShopifyConnector *self,
                                                                   guint                interval_ms);
TdmShopifyClient *tdm_shopify_connector_get_client         (TdmShopifyConnector *self);
/* How the last list_changed page was read: FALSE paged query, TRUE bulk export. */
gboolean          tdm_shopify_connector_last_list_was_bulk (TdmShopifyConnector *self);

G_END_DECLS
