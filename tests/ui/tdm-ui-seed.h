/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#pragma once

#include "tdm-record-store.h"

G_BEGIN_DECLS

/* Seeds a store the way sync runs would leave it, for the UI tests and the
 * UI benchmark. */

/* `n` linked customers "Customer 00001" … with e-mail and phone, in one batch. */
gboolean tdm_ui_seed_customers (TdmRecordStore *store,
                                guint           n,
                                GError        **error);

/* A small shop with one record per interesting state:
 * customers: Kari Nordmann (linked), Ola Hansen (only webshop), Per Berg
 * (linked, a pending conflict on email), Eva Lie (linked, a Shopify error on
 * phone); products: Wool Socks (linked), Rain Jacket (only Shopify);
 * orders: #1001 (linked). Plus one finished run. */
gboolean tdm_ui_seed_shop      (TdmRecordStore *store,
                                GError        **error);

/* One customer only in the webshop (id `webshop_id`), committed with a record
 * error on its phone when `error_message` is not NULL. */
gboolean tdm_ui_seed_customer  (TdmRecordStore *store,
                                const char     *webshop_id,
                                const char     *first_name,
                                const char     *last_name,
                                const char     *email,
                                const char     *phone,
                                const char     *error_message,
                                GError        **error);

G_END_DECLS
