/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#pragma once

#include "tdm-credential-store.h"
#include "tdm-error.h"
#include "tdm-fake-shopify.h"
#include "tdm-shopify-connector.h"
#include "tdm-test-wait.h"

G_BEGIN_DECLS

/* The fixture shared by the Shopify connector's integration tests: the
 * real connector, through libsoup, against the fake Shopify on 127.0.0.1
 * (tests/fakes/shopify/), with synchronous wrappers around its calls.
 *
 *   test-shopify-client.c   pacing and throttling, faults, auth, secrets in
 *                           logs, prepare and test_connection
 *   test-shopify-read.c     listing and paging, incremental reads, a
 *                           product's variants, bulk exports
 *   test-shopify-schema.c   the property schema against the documents and
 *                           round trips of every property it accepts
 *                           (graphql-selection.h reads the documents)
 *   test-shopify-write.c    creates, upserts and updates of each kind,
 *                           userErrors, retries, deletes
 *
 * Set TDM_SHOPIFY_LOG=<file> to append every request and answer as JSON
 * lines (the contract test does; docs/testing.md, Contract test). */

#define STATIC_TOKEN  "shpat_fake_static_token"
#define CLIENT_ID     "test-client-id"
#define CLIENT_SECRET "very-secret-client-secret-4711"

typedef struct {
  TdmFakeShopify      *fake;
  TdmMapping          *mapping;
  TdmShopifyConnector *conn;
} Fixture;

/* g_test_init() with every debug message on and kept (see
 * fixture_captured_log()); warnings and worse are printed as usual. */
void            shopify_test_init     (int                 *argc,
                                       char              ***argv);
/* The debug output of the program so far, as KEY=value lines. */
const char     *fixture_captured_log  (void);

/* A connector to the fixture's fake with short back-off and timeouts: the
 * static token, or the client-credentials grant with CLIENT_SECRET. */
TdmShopifyConnector *make_connector   (Fixture             *f,
                                       TdmShopifyAuthMode   mode);
/* A started fake (credentials CLIENT_ID, CLIENT_SECRET, STATIC_TOKEN), the
 * default mapping and a token-mode connector. The teardown checks that the
 * debug output so far holds no secret and writes the request log. */
void            fixture_setup         (Fixture             *f,
                                       gconstpointer        data);
void            fixture_teardown      (Fixture             *f,
                                       gconstpointer        data);

/* ---- Synchronous calls ---- */

/* tdm_test_wait_result() with the fixture's limit (two minutes). */
GAsyncResult   *wait_for              (GAsyncResult       **slot);
TdmPage        *list_page             (TdmShopifyConnector *conn,
                                       TdmKind              kind,
                                       const char          *since,
                                       const char          *cursor,
                                       GError             **error);
/* All records since `since`, following cursors; `pages` counts the pages. */
GPtrArray      *list_all              (TdmShopifyConnector *conn,
                                       TdmKind              kind,
                                       const char          *since,
                                       guint               *pages);
TdmWriteResult *create_record         (TdmShopifyConnector *conn,
                                       TdmKind              kind,
                                       JsonObject          *fields,
                                       const char          *op_id,
                                       const char          *twin_id,
                                       GError             **error);
/* A create the connector refuses: its record error (transfer full). */
TdmRecordError *create_refused        (TdmShopifyConnector *conn,
                                       TdmKind              kind,
                                       JsonObject          *fields,
                                       const char          *op_id,
                                       const char          *twin_id,
                                       GError             **error);
TdmWriteResult *update_record         (TdmShopifyConnector *conn,
                                       TdmKind              kind,
                                       const char          *id,
                                       JsonObject          *fields,
                                       const char          *twin_id,
                                       GError             **error);
TdmRecord      *get_record            (TdmShopifyConnector *conn,
                                       TdmKind              kind,
                                       const char          *id,
                                       GError             **error);
/* find_created by the twin's id (op id "op-find"). */
TdmRecord      *find_created          (TdmShopifyConnector *conn,
                                       TdmKind              kind,
                                       const char          *twin_id,
                                       GError             **error);

/* ---- Data ---- */

JsonObject     *parse_json            (const char          *json);
/* Canonical fields of a customer (with a tag and an address in Oslo). */
JsonObject     *customer_fields       (const char          *email,
                                       const char          *first_name);
/* A customer stored in the fake; returns its GID. */
char           *seed_customer         (Fixture             *f,
                                       const char          *email,
                                       const char          *updated_at);
/* Canonical fields of a product with the variants "<sku>-S" and "<sku>-M". */
JsonObject     *product_fields        (const char          *title,
                                       const char          *sku_prefix,
                                       int                  quantity);
/* Canonical fields of a product with `n` variants, stock i + 1 each. */
JsonObject     *many_variant_fields   (const char          *title,
                                       const char          *prefix,
                                       guint                n);
/* A product with `n` variants, SKUs "<prefix>-000"…, one option "Size". */
char           *seed_product_variants (Fixture             *f,
                                       const char          *title,
                                       const char          *prefix,
                                       guint                n,
                                       const char          *webshop_id,
                                       const char          *updated_at);

/* ---- Checks ---- */

/* Requests of one operation in the fake's log. */
guint           count_ops             (Fixture             *f,
                                       const char          *operation);
/* `record_error` (transfer full) is on the Shopify side and names `field`. */
void            check_record_error    (TdmRecordError      *record_error,
                                       const char          *field);
/* The record holds exactly the `n` variants "<prefix>-000"… in order, in
 * its canonical fields and in its native node (which has no pageInfo left),
 * with the variant ids Shopify stores, in Shopify's order. */
void            assert_all_variants   (Fixture             *f,
                                       TdmRecord           *record,
                                       const char          *prefix,
                                       guint                n);
TdmRecord      *record_with_id        (GPtrArray           *records,
                                       const char          *id);

/* A GSourceFunc that cancels the GCancellable `data`. */
gboolean        cancel_later_cb       (gpointer             data);

G_END_DECLS
