/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-ui-fixture"

#include "config.h"

#include "tdm-ui-fixture.h"

#include "tdm-sandbox-data.h"

/* Syncing from the window against both fakes, in this process. */

void
tdm_ui_store_secret (TdmUiFixture *fixture,
                     TdmSide       side,
                     const char   *account,
                     const char   *secret)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_assert (fixture != NULL);

  tdm_credential_store_store_async (fixture->credentials, side, account, secret, NULL,
                                    tdm_test_keep_result_cb, &result);
  tdm_credential_store_store_finish (fixture->credentials, tdm_test_wait_result (&result, 20),
                                     &error);
  g_assert_no_error (error);
}

/* A small sandbox shop: a few records only in one shop, a few in both. */
static void
small_shop_sizes (TdmSandboxSizes *sizes)
{
  tdm_sandbox_sizes_init_default (sizes);
  sizes->customers = 12;
  sizes->products = 6;
  sizes->orders = 6;
  sizes->shared_customers = 5;
  sizes->shopify_customers = 3;
  sizes->shared_products = 3;
  sizes->shopify_products = 2;
  sizes->shopify_orders = 2;
}

TdmUiFakes *
tdm_ui_fakes_start (TdmUiFixture *fixture)
{
  TdmUiFakes *fakes = g_new0 (TdmUiFakes, 1);
  g_autoptr(GError) error = NULL;
  TdmSandboxSizes sizes;

  g_assert (fixture != NULL);

  small_shop_sizes (&sizes);
  fakes->webshop = tdm_fake_webshop_new ();
  fakes->shopify = tdm_fake_shopify_new ();
  tdm_fake_webshop_start (fakes->webshop, &error);
  g_assert_no_error (error);
  tdm_fake_shopify_start (fakes->shopify, &error);
  g_assert_no_error (error);
  tdm_fake_webshop_set_auth (fakes->webshop, TDM_WEBSHOP_AUTH_BEARER, "webshop-test-token");
  g_assert_true (tdm_sandbox_seed (fakes->webshop, fakes->shopify, &sizes));

  g_settings_set_string (fixture->settings, "webshop-url", tdm_fake_webshop_get_url (fakes->webshop));
  g_settings_set_string (fixture->settings, "webshop-auth", "bearer");
  g_settings_set_string (fixture->settings, "shopify-shop", tdm_fake_shopify_get_url (fakes->shopify));
  g_settings_set_string (fixture->settings, "shopify-auth", "client-credentials");
  g_settings_set_string (fixture->settings, "shopify-client-id", "fake-client-id");
  tdm_ui_store_secret (fixture, TDM_SIDE_WEBSHOP, tdm_fake_webshop_get_url (fakes->webshop),
                       "webshop-test-token");
  tdm_ui_store_secret (fixture, TDM_SIDE_SHOPIFY, tdm_fake_shopify_get_url (fakes->shopify),
                       "fake-client-secret");
  return fakes;
}

void
tdm_ui_fakes_add_unreadable_customers (TdmUiFakes  *fakes,
                                       char       **webshop_id,
                                       char       **shopify_id)
{
  g_autoptr(JsonObject) record = json_object_new ();
  g_autoptr(JsonObject) node = json_object_new ();
  JsonObject *email = json_object_new ();
  JsonObject *phone = json_object_new ();

  g_assert (fakes != NULL && webshop_id != NULL && shopify_id != NULL);

  json_object_set_string_member (record, "first_name", "Sølvi");
  json_object_set_string_member (record, "last_name", "Ødegård");
  json_object_set_string_member (record, "email", "solvi.odegard@example.no");
  json_object_set_string_member (record, "phone", "123");
  *webshop_id = tdm_fake_webshop_seed (fakes->webshop, TDM_KIND_CUSTOMER, record);

  json_object_set_string_member (node, "firstName", "Trude");
  json_object_set_string_member (node, "lastName", "Ærlig");
  json_object_set_string_member (email, "emailAddress", "trude.aerlig@example.com");
  json_object_set_object_member (node, "defaultEmailAddress", email);
  json_object_set_string_member (phone, "phoneNumber", "ring etter kl. 16");
  json_object_set_object_member (node, "defaultPhoneNumber", phone);
  *shopify_id = tdm_fake_shopify_seed (fakes->shopify, TDM_KIND_CUSTOMER, node);
}

void
tdm_ui_fakes_free (TdmUiFakes *fakes)
{
  if (fakes == NULL)
    return;

  g_clear_object (&fakes->webshop);
  g_clear_object (&fakes->shopify);
  g_free (fakes);
}

const char *
tdm_ui_wait_for_toast (TdmUiFixture *fixture)
{
  g_assert (fixture != NULL);

  tdm_test_wait_for (tdm_window_get_last_toast (fixture->window) != NULL, 60);
  return tdm_window_get_last_toast (fixture->window);
}

const char *
tdm_ui_sync_and_wait (TdmUiFixture *fixture)
{
  guint before;

  g_assert (fixture != NULL);

  before = tdm_window_get_n_toasts (fixture->window);
  g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "sync-now", NULL);
  tdm_test_wait_for (tdm_window_get_n_toasts (fixture->window) != before, 60);
  g_test_message ("Toast: %s", tdm_window_get_last_toast (fixture->window));
  return tdm_window_get_last_toast (fixture->window);
}

void
tdm_ui_wait_until_sync_stops (TdmUiFixture *fixture)
{
  TdmSyncEngine *engine = tdm_context_get_engine (tdm_ui_fixture_get_context (fixture));

  tdm_test_spin (50);
  tdm_test_wait_for (!tdm_sync_engine_is_running (engine), 60);
  tdm_test_spin (200);
}
