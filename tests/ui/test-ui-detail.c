/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-test-ui-detail"

#include "config.h"

#include <string.h>

#include "tdm-ui-fixture.h"

/* The detail pane of a record: the state of each field, the link's ids,
 * and a conflict resolved there, stored for the next run and written by it
 * (tdm-ui-fixture.h). */

static void
test_record_detail (TdmUiFixture *fixture)
{
  TdmEntityPage *customers = tdm_ui_entity_page (fixture, "customers");
  TdmRecordDetail *detail = tdm_entity_page_get_detail (customers);
  TdmContext *context = tdm_ui_fixture_get_context (fixture);
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;

  tdm_ui_wait_for_page (customers);
  tdm_ui_filter (customers, TDM_LINK_STATUS_CONFLICT);
  title = tdm_ui_row_title (customers, 0);
  g_assert_cmpstr (title, ==, "Per Berg");

  tdm_entity_page_show_detail (customers, 0);
  tdm_ui_wait_for_detail (detail);
  g_assert_cmpstr (tdm_store_row_get_webshop_id (tdm_record_detail_get_row (detail)), ==, "103");
  g_assert_cmpstr (tdm_record_detail_get_field_state (detail, "email"), ==, "conflict");
  g_assert_cmpstr (tdm_record_detail_get_field_state (detail, "first_name"), ==, "same");
  /* The identity row shows the link's two ids, not two empty values. */
  g_assert_cmpstr (tdm_record_detail_get_field_state (detail, "id"), ==, "linked");
  {
    g_autoptr(GString) text = g_string_new (NULL);

    tdm_ui_collect_text (GTK_WIDGET (detail), text);
    g_assert_nonnull (strstr (text->str, "Webshop: 103\nShopify: gid://shopify/Customer/"));
  }
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1280, 800);
  tdm_ui_take_screenshot (GTK_WINDOW (fixture->window), "screenshot-detail.png");

  conflicts = tdm_record_store_list_conflicts (tdm_context_get_store (context), TDM_KIND_CUSTOMER,
                                               "103", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (conflicts->len, ==, 1);

  /* "Use Shopify" on the email conflict stores the choice for the next run. */
  {
    GtkWidget *button = tdm_test_find_button (GTK_WIDGET (detail), "Use Shopify");
    g_autoptr(GHashTable) resolutions = NULL;

    g_assert_nonnull (button);
    g_signal_emit_by_name (button, "clicked");
    resolutions = tdm_record_store_take_resolutions (tdm_context_get_store (context),
                                                     TDM_KIND_CUSTOMER, "103", &error);
    g_assert_no_error (error);
    g_assert_nonnull (resolutions);
    g_assert_cmpint (GPOINTER_TO_INT (g_hash_table_lookup (resolutions, "email")), ==,
                     TDM_SIDE_SHOPIFY + 1);
  }
}

/* A conflict under the "ask" policy, resolved in the detail pane, is
 * written by the next run (checked in the fake webshop). */
static void
test_resolve_conflict_end_to_end (TdmUiFixture *fixture)
{
  TdmEntityPage *customers = tdm_ui_entity_page (fixture, "customers");
  TdmRecordDetail *detail = tdm_entity_page_get_detail (customers);
  g_autoptr(JsonObject) webshop_patch = json_object_new ();
  g_autoptr(JsonObject) shopify_patch = json_object_new ();
  g_autoptr(JsonObject) after = NULL;
  g_autoptr(TdmRecordItem) item = NULL;
  g_autofree char *webshop_id = NULL;
  g_autofree char *shopify_id = NULL;
  g_autofree char *title = NULL;
  GtkWidget *button;
  g_autoptr(TdmUiFakes) fakes = NULL;

  fakes = tdm_ui_fakes_start (fixture);
  g_assert_true (g_str_has_prefix (tdm_ui_sync_and_wait (fixture), "Sync finished"));

  /* A linked customer, edited differently on both sides. */
  tdm_ui_filter (customers, TDM_LINK_STATUS_LINKED);
  title = tdm_ui_row_title (customers, 0);
  item = g_list_model_get_item (G_LIST_MODEL (tdm_entity_page_get_model (customers)), 0);
  webshop_id = g_strdup (tdm_store_row_get_webshop_id (tdm_record_item_get_row (item)));
  shopify_id = g_strdup (tdm_store_row_get_shopify_id (tdm_record_item_get_row (item)));
  g_test_message ("Conflict on %s (%s / %s)", title, webshop_id, shopify_id);

  g_settings_set_string (fixture->settings, "conflict-policy", "ask");
  json_object_set_string_member (webshop_patch, "first_name", "Webside");
  json_object_set_string_member (shopify_patch, "firstName", "Shopside");
  g_assert_true (tdm_fake_webshop_update (fakes->webshop, TDM_KIND_CUSTOMER, webshop_id, webshop_patch));
  g_assert_true (tdm_fake_shopify_edit (fakes->shopify, TDM_KIND_CUSTOMER, shopify_id, shopify_patch, NULL));
  g_assert_true (g_str_has_prefix (tdm_ui_sync_and_wait (fixture), "Sync finished"));

  /* The page lists it as a conflict; the detail offers the choice. */
  tdm_ui_search (customers, webshop_id);
  tdm_ui_filter (customers, TDM_LINK_STATUS_CONFLICT);
  g_assert_cmpuint (tdm_ui_n_rows (customers), ==, 1);
  g_clear_pointer (&title, g_free);
  title = tdm_ui_row_title (customers, 0);
  tdm_entity_page_show_detail (customers, 0);
  tdm_ui_wait_for_detail (detail);
  g_assert_cmpstr (tdm_record_detail_get_field_state (detail, "first_name"), ==, "conflict");
  button = tdm_test_find_button (GTK_WIDGET (detail), "Use Shopify");
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");

  g_assert_true (g_str_has_prefix (tdm_ui_sync_and_wait (fixture), "Sync finished"));
  after = tdm_fake_webshop_get_record (fakes->webshop, TDM_KIND_CUSTOMER, webshop_id);
  g_assert_nonnull (after);
  g_assert_cmpstr (json_object_get_string_member (after, "first_name"), ==, "Shopside");

  g_settings_reset (fixture->settings, "conflict-policy");
}

int
main (int   argc,
      char *argv[])
{
  if (tdm_ui_test_init (&argc, &argv))
    {
      tdm_ui_test_add ("/ui/entity/detail", TDM_UI_SHOP, test_record_detail);
      tdm_ui_test_add ("/ui/sync/resolve-conflict", TDM_UI_EMPTY, test_resolve_conflict_end_to_end);
    }
  return g_test_run ();
}
