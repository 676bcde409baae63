/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-test-ui-entity"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "tdm-ui-fixture.h"
#include "tdm-ui-seed.h"

/* The customers, products and orders pages on a seeded store: listing,
 * sorting, search, the status filter and CSV export (tdm-ui-fixture.h). */

/* Exports `page` as it is filtered; returns the CSV text and the rows in it. */
static char *
export_page (TdmEntityPage *page,
             gssize        *n_rows)
{
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "export.csv", NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  *n_rows = tdm_ui_export_entities (page, path);
  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

static void
test_entity_pages (TdmUiFixture *fixture)
{
  TdmEntityPage *customers = tdm_ui_entity_page (fixture, "customers");
  TdmEntityPage *products = tdm_ui_entity_page (fixture, "products");
  TdmEntityPage *orders = tdm_ui_entity_page (fixture, "orders");
  GtkColumnView *column_view;
  g_autoptr(GtkColumnViewColumn) email_column = NULL;
  g_autofree char *title = NULL;

  tdm_ui_wait_for_page (customers);
  g_assert_cmpstr (tdm_entity_page_get_state (customers), ==, "list");
  g_assert_cmpuint (tdm_ui_n_rows (customers), ==, 4);
  /* Sorted by name by default. */
  title = tdm_ui_row_title (customers, 0);
  g_assert_cmpstr (title, ==, "Eva Lie");
  g_clear_pointer (&title, g_free);

  /* Columns: name, email, phone, then the common ones. */
  column_view = tdm_entity_page_get_column_view (customers);
  g_assert_cmpuint (g_list_model_get_n_items (gtk_column_view_get_columns (column_view)), ==, 7);

  /* Search by a word prefix. */
  tdm_ui_search (customers, "kari");
  g_assert_cmpuint (tdm_ui_n_rows (customers), ==, 1);
  title = tdm_ui_row_title (customers, 0);
  g_assert_cmpstr (title, ==, "Kari Nordmann");
  g_clear_pointer (&title, g_free);

  tdm_ui_search (customers, "nobody-is-called-this");
  g_assert_cmpuint (tdm_ui_n_rows (customers), ==, 0);
  g_assert_cmpstr (tdm_entity_page_get_state (customers), ==, "no-results");
  tdm_ui_search (customers, "");

  /* The status filter. */
  tdm_ui_filter (customers, TDM_LINK_STATUS_CONFLICT);
  g_assert_cmpuint (tdm_ui_n_rows (customers), ==, 1);
  title = tdm_ui_row_title (customers, 0);
  g_assert_cmpstr (title, ==, "Per Berg");
  g_clear_pointer (&title, g_free);

  tdm_ui_filter (customers, TDM_LINK_STATUS_ERROR);
  g_assert_cmpuint (tdm_ui_n_rows (customers), ==, 1);
  title = tdm_ui_row_title (customers, 0);
  g_assert_cmpstr (title, ==, "Eva Lie");
  g_clear_pointer (&title, g_free);

  tdm_ui_filter (customers, TDM_LINK_STATUS_ONLY_WEBSHOP);
  g_assert_cmpuint (tdm_ui_n_rows (customers), ==, 1);
  title = tdm_ui_row_title (customers, 0);
  g_assert_cmpstr (title, ==, "Ola Hansen");
  g_clear_pointer (&title, g_free);

  tdm_ui_filter (customers, TDM_LINK_STATUS_LINKED);
  g_assert_cmpuint (tdm_ui_n_rows (customers), ==, 1);
  tdm_ui_filter (customers, TDM_LINK_STATUS_ALL);
  g_assert_cmpuint (tdm_ui_n_rows (customers), ==, 4);

  /* Clicking the Email header sorts in the store: descending puts per@ first. */
  email_column = g_list_model_get_item (gtk_column_view_get_columns (column_view), 1);
  gtk_column_view_sort_by_column (column_view, email_column, GTK_SORT_DESCENDING);
  tdm_ui_wait_for_page (customers);
  title = tdm_ui_row_title (customers, 0);
  g_assert_cmpstr (title, ==, "Per Berg");
  g_clear_pointer (&title, g_free);
  gtk_column_view_sort_by_column (column_view, email_column, GTK_SORT_ASCENDING);
  tdm_ui_wait_for_page (customers);
  title = tdm_ui_row_title (customers, 0);
  g_assert_cmpstr (title, ==, "Eva Lie");
  g_clear_pointer (&title, g_free);
  gtk_column_view_sort_by_column (column_view, NULL, GTK_SORT_ASCENDING);
  tdm_ui_wait_for_page (customers);

  tdm_ui_take_screenshot (GTK_WINDOW (fixture->window), "screenshot-customers.png");

  tdm_ui_wait_for_page (products);
  g_assert_cmpuint (tdm_ui_n_rows (products), ==, 2);
  tdm_ui_wait_for_page (orders);
  g_assert_cmpuint (tdm_ui_n_rows (orders), ==, 1);
  title = tdm_ui_row_title (orders, 0);
  g_assert_cmpstr (title, ==, "1001");
  g_clear_pointer (&title, g_free);

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.page", "s", "products");
  tdm_ui_take_screenshot (GTK_WINDOW (fixture->window), "screenshot-products.png");
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.page", "s", "orders");
  tdm_ui_take_screenshot (GTK_WINDOW (fixture->window), "screenshot-orders.png");
}

static void
test_export (TdmUiFixture *fixture)
{
  TdmEntityPage *customers = tdm_ui_entity_page (fixture, "customers");
  g_autofree char *csv = NULL;
  g_auto(GStrv) lines = NULL;
  gssize n = 0;

  tdm_ui_wait_for_page (customers);
  csv = export_page (customers, &n);
  g_assert_cmpint (n, ==, 4);
  lines = g_strsplit (csv, "\r\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 6);  /* header, 4 rows, empty after the last */
  g_assert_cmpstr (lines[0], ==, "Name,Email,Phone,Webshop ID,Shopify ID,Sync status,Last synced");
  g_assert_true (g_str_has_prefix (lines[1], "Eva Lie,eva@example.no,12,104,gid://shopify/Customer/104,error,"));
  g_clear_pointer (&lines, g_strfreev);
  g_clear_pointer (&csv, g_free);

  /* As filtered. */
  tdm_ui_search (customers, "kari");
  csv = export_page (customers, &n);
  g_assert_cmpint (n, ==, 1);
  g_assert_nonnull (strstr (csv, "Kari Nordmann,kari@example.no"));
  g_assert_null (strstr (csv, "Eva Lie"));
}

/* A webshop customer can plant a formula in any field; both exports write it
 * as text (a leading apostrophe, quoted), never as a formula. */
static void
test_export_formulas (TdmUiFixture *fixture)
{
  TdmContext *context = tdm_ui_fixture_get_context (fixture);
  TdmRecordStore *store = tdm_context_get_store (context);
  TdmEntityPage *customers = tdm_ui_entity_page (fixture, "customers");
  TdmActivityPage *activity = tdm_ui_activity_page (fixture);
  g_autoptr(GError) error = NULL;
  g_autofree char *csv = NULL;
  g_auto(GStrv) lines = NULL;
  const char *hyperlink_line = NULL;
  const char *calc_line = NULL;
  gssize n = 0;

  tdm_ui_seed_customer (store, "901", "=HYPERLINK(\"http://x\",\"y\")", "Lie", "@SUM(A1)", "-2+3",
                        "-2+3 is not a phone number. Correct it in the webshop.", &error);
  g_assert_no_error (error);
  tdm_ui_seed_customer (store, "902", "+cmd|' /C calc'!A0", "Berg", "per@example.no", "-2.50",
                        NULL, &error);
  g_assert_no_error (error);

  tdm_ui_wait_for_page (customers);
  csv = export_page (customers, &n);
  g_assert_cmpint (n, ==, 6);
  lines = g_strsplit (csv, "\r\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (strstr (lines[i], "HYPERLINK") != NULL)
        hyperlink_line = lines[i];
      if (strstr (lines[i], "calc") != NULL)
        calc_line = lines[i];
    }
  g_assert_nonnull (hyperlink_line);
  g_assert_nonnull (calc_line);
  g_assert_true (g_str_has_prefix (hyperlink_line,
                                   "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\") Lie\",\"'@SUM(A1)\",\"'-2+3\",901,"));
  /* A plain negative number stays a number. */
  g_assert_true (g_str_has_prefix (calc_line, "\"'+cmd|' /C calc'!A0 Berg\",per@example.no,-2.50,902,"));
  g_clear_pointer (&lines, g_strfreev);
  g_clear_pointer (&csv, g_free);

  /* The activity log: the error message that starts with "-2+3". */
  {
    g_autofree char *path = g_build_filename (g_get_user_data_dir (), "activity.csv", NULL);

    tdm_ui_export_activity (activity, path);
    g_assert_true (g_file_get_contents (path, &csv, NULL, NULL));
    g_assert_nonnull (strstr (csv, ",phone,\"'-2+3 is not a phone number. Correct it in the webshop.\"\r\n"));
    g_assert_null (strstr (csv, ",-2+3"));
    g_unlink (path);
  }
}


int
main (int   argc,
      char *argv[])
{
  if (tdm_ui_test_init (&argc, &argv))
    {
      tdm_ui_test_add ("/ui/entity/pages", TDM_UI_SHOP, test_entity_pages);
      tdm_ui_test_add ("/ui/entity/export", TDM_UI_SHOP, test_export);
      tdm_ui_test_add ("/ui/entity/export-formulas", TDM_UI_SHOP, test_export_formulas);
    }
  return g_test_run ();
}
