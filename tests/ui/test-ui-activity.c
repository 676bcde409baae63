/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-test-ui-activity"

#include "config.h"

#include <string.h>

#include "tdm-store.h"
#include "tdm-test-tree.h"
#include "tdm-ui-fixture.h"

/* The Activity page on a seeded store: runs, record errors and records to
 * review, its CSV export, links to records and settling a match
 * (tdm-ui-fixture.h). */

static void
test_activity_page (TdmUiFixture *fixture)
{
  TdmActivityPage *activity = tdm_ui_activity_page (fixture);

  tdm_test_wait_for (tdm_activity_page_get_n_runs (activity) > 0, 10);
  g_assert_cmpuint (tdm_activity_page_get_n_runs (activity), ==, 1);
  g_assert_cmpuint (tdm_activity_page_get_n_errors (activity), ==, 1);
  g_assert_cmpuint (tdm_activity_page_get_n_review (activity), ==, 1);
  g_assert_cmpstr (tdm_activity_page_get_state (activity), ==, "list");
  {
    /* The record to review is named, not only numbered; Shopify ids as
     * their numbers, never gid://. */
    g_autoptr(GString) text = g_string_new (NULL);

    tdm_ui_collect_text (GTK_WIDGET (activity), text);
    g_assert_nonnull (strstr (text->str, "Customer Ola Hansen (102) · Webshop"));
    g_assert_null (strstr (text->str, "gid://"));
  }

  /* The activity log exports as CSV: a header, the run, then the error. */
  {
    g_autofree char *dir = tdm_test_make_tmp_dir ("tandem-activity-XXXXXX");
    g_autofree char *path = g_build_filename (dir, "activity.csv", NULL);
    g_autofree char *csv = NULL;
    g_auto(GStrv) lines = NULL;

    g_assert_cmpint (tdm_ui_export_activity (activity, path), ==, 2);
    g_assert_true (g_file_get_contents (path, &csv, NULL, NULL));
    lines = g_strsplit (csv, "\r\n", -1);
    g_assert_cmpuint (g_strv_length (lines), ==, 4);
    g_assert_true (g_str_has_prefix (lines[0], "Entry,Started,Finished,Outcome,Created"));
    g_assert_true (g_str_has_prefix (lines[1], "run,"));
    g_assert_true (g_str_has_prefix (lines[2], "record error,"));
    g_assert_nonnull (strstr (lines[2], ",customer,"));
    tdm_test_remove_tree (dir);
  }

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.page", "s", "activity");
  tdm_ui_take_screenshot (GTK_WINDOW (fixture->window), "screenshot-activity.png");

  /* A record error links to its record: the page opens with the details. */
  {
    TdmEntityPage *customers = tdm_ui_entity_page (fixture, "customers");
    TdmRecordDetail *detail = tdm_entity_page_get_detail (customers);

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-record",
                                               "(iss)", (int) TDM_KIND_CUSTOMER, "shopify",
                                               "gid://shopify/Customer/104"));
    g_assert_cmpstr (tdm_window_get_visible_page (fixture->window), ==, "customers");
    tdm_ui_wait_for_detail (detail);
    g_assert_cmpstr (tdm_store_row_get_webshop_id (tdm_record_detail_get_row (detail)), ==, "104");
  }

  /* The owner settles the ambiguous match by picking a twin: the pair is
   * linked and leaves the review list. */
  {
    TdmContext *context = tdm_ui_fixture_get_context (fixture);
    GtkWidget *link_button = tdm_test_find_button (GTK_WIDGET (activity),
                                                   "Link to 105");
    g_autoptr(TdmLink) link = NULL;
    g_autoptr(GError) error = NULL;

    g_assert_nonnull (link_button);
    g_assert_nonnull (tdm_test_find_button (GTK_WIDGET (activity), "Dismiss"));
    g_assert_nonnull (tdm_test_find_button (GTK_WIDGET (activity), "Create a New Record"));
    g_assert_true (g_action_group_has_action (G_ACTION_GROUP (fixture->app), "create-record"));
    g_assert_true (g_action_group_has_action (G_ACTION_GROUP (fixture->app), "retry-failed"));
    g_assert_nonnull (tdm_test_find_button (GTK_WIDGET (activity), "_Retry All Failed"));
    g_signal_emit_by_name (link_button, "clicked");
    link = tdm_record_store_lookup_link (tdm_context_get_store (context), TDM_KIND_CUSTOMER,
                                         TDM_SIDE_WEBSHOP, "102", &error);
    g_assert_no_error (error);
    g_assert_nonnull (link);
    g_assert_cmpstr (link->shopify_id, ==, "gid://shopify/Customer/105");
    tdm_test_wait_for (tdm_activity_page_get_n_review (activity) == 0, 10);
  }
}

/* An order of the customer `customer_id` whose e-mail address is not one. */
static void
seed_unreadable_order (TdmUiFakes *fakes,
                       const char *customer_id)
{
  g_autoptr(JsonObject) order = json_object_new ();
  JsonArray *lines = json_array_new ();
  JsonObject *line = json_object_new ();
  g_autofree char *id = NULL;

  json_object_set_string_member (line, "sku", "NS-0001-S");
  json_object_set_string_member (line, "title", "Selbuvotter");
  json_object_set_int_member (line, "quantity", 1);
  json_object_set_string_member (line, "unit_price", "399");
  json_array_add_object_element (lines, line);
  json_object_set_string_member (order, "number", "20001");
  json_object_set_string_member (order, "customer_id", customer_id);
  json_object_set_string_member (order, "email", "solvi at example.no");
  json_object_set_string_member (order, "currency", "NOK");
  json_object_set_string_member (order, "financial_status", "paid");
  json_object_set_string_member (order, "fulfillment_status", "unfulfilled");
  json_object_set_string_member (order, "total_price", "399");
  json_object_set_string_member (order, "processed_at", "2026-06-01T08:00:00Z");
  json_object_set_array_member (order, "line_items", lines);
  id = tdm_fake_webshop_seed (fakes->webshop, TDM_KIND_ORDER, order);
  g_assert_nonnull (id);
}

/* A record that could not be synced is named in Activity as the lists name
 * it, with its field in the owner's words; its row opens that very record
 * in its page's detail (not a search, never another record left on show);
 * Retry says what happened to that record. */
static void
test_error_opens_record (TdmUiFixture *fixture)
{
  TdmActivityPage *activity = tdm_ui_activity_page (fixture);
  TdmEntityPage *customers = tdm_ui_entity_page (fixture, "customers");
  TdmRecordDetail *detail = tdm_entity_page_get_detail (customers);
  g_autoptr(TdmUiFakes) fakes = tdm_ui_fakes_start (fixture);
  g_autofree char *webshop_id = NULL;
  g_autofree char *shopify_id = NULL;
  g_autofree char *other = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  AdwActionRow *row;
  GtkWidget *retry;
  GtkSingleSelection *selection;
  guint before, position;
  const char *toast;

  tdm_ui_fakes_add_unreadable_customers (fakes, &webshop_id, &shopify_id);
  seed_unreadable_order (fakes, webshop_id);
  tdm_ui_sync_and_wait (fixture);

  /* Another customer is open on the Customers page. */
  tdm_ui_wait_for_page (customers);
  tdm_ui_filter (customers, TDM_LINK_STATUS_LINKED);
  tdm_entity_page_show_detail (customers, 0);
  tdm_ui_wait_for_detail (detail);
  other = g_strdup (tdm_store_row_get_webshop_id (tdm_record_detail_get_row (detail)));
  g_assert_cmpstr (other, !=, webshop_id);

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.page", "s", "activity");
  tdm_activity_page_reload (activity);
  tdm_test_wait_for (tdm_activity_page_get_n_errors (activity) >= 2, 10);
  tdm_test_wait_for (tdm_test_find_action_row (GTK_WIDGET (activity),
                                               "Customer Sølvi Ødegård") != NULL, 10);
  tdm_ui_collect_text (GTK_WIDGET (activity), text);
  g_test_message ("%s", text->str);
  g_assert_null (strstr (text->str, "gid://"));
  g_assert_nonnull (tdm_test_find_action_row (GTK_WIDGET (activity), "Customer Trude Ærlig"));
  row = tdm_test_find_action_row (GTK_WIDGET (activity), "Customer Sølvi Ødegård");
  g_assert_nonnull (row);
  g_assert_true (g_str_has_prefix (adw_action_row_get_subtitle (row), "In the webshop · Phone\n"));
  tdm_ui_take_screenshot (GTK_WINDOW (fixture->window), "screenshot-activity-errors.png");

  /* The row opens the record itself (found again: a reload replaces the
   * rows). */
  row = tdm_test_find_action_row (GTK_WIDGET (activity), "Customer Sølvi Ødegård");
  g_signal_emit_by_name (row, "activate");
  g_assert_cmpstr (tdm_window_get_visible_page (fixture->window), ==, "customers");
  tdm_test_wait_for (g_strcmp0 (tdm_store_row_get_webshop_id (tdm_record_detail_get_row (detail)),
                                webshop_id) == 0, 10);
  g_assert_cmpstr (tdm_store_row_get_title (tdm_record_detail_get_row (detail)), ==,
                   "Sølvi Ødegård");
  g_assert_cmpint (tdm_store_row_get_status (tdm_record_detail_get_row (detail)), ==,
                   TDM_LINK_STATUS_ERROR);
  /* The list marks no other record (it is filtered to linked ones). */
  selection = GTK_SINGLE_SELECTION (gtk_column_view_get_model (tdm_entity_page_get_column_view (customers)));
  position = gtk_single_selection_get_selected (selection);
  g_assert_cmpuint (position, ==, GTK_INVALID_LIST_POSITION);
  tdm_ui_take_screenshot (GTK_WINDOW (fixture->window), "screenshot-activity-opened-record.png");

  /* Retry on an order that still cannot be synced (its e-mail address is
   * not one, and its customer is Sølvi): the toast names that order and
   * says so; its row keeps its name. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.page", "s", "activity");
  row = tdm_test_find_action_row (GTK_WIDGET (activity), "Order 20001");
  g_assert_nonnull (row);
  retry = tdm_test_find_button (GTK_WIDGET (row), "_Retry");
  g_assert_nonnull (retry);
  before = tdm_window_get_n_toasts (fixture->window);
  g_signal_emit_by_name (retry, "clicked");
  tdm_test_wait_for (tdm_window_get_n_toasts (fixture->window) != before, 60);
  toast = tdm_window_get_last_toast (fixture->window);
  g_test_message ("Retry: %s", toast);
  g_assert_cmpstr (toast, ==, "Order 20001 still cannot be synced.");
  tdm_ui_wait_until_sync_stops (fixture);
  tdm_activity_page_reload (activity);
  tdm_test_spin (500);
  tdm_test_wait_for (tdm_test_find_action_row (GTK_WIDGET (activity), "Order 20001") != NULL, 10);
}

int
main (int   argc,
      char *argv[])
{
  if (tdm_ui_test_init (&argc, &argv))
    {
      tdm_ui_test_add ("/ui/activity/page", TDM_UI_SHOP, test_activity_page);
      tdm_ui_test_add ("/ui/activity/error-opens-record", TDM_UI_EMPTY, test_error_opens_record);
    }
  return g_test_run ();
}
