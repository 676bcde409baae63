/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-test-ui-entity"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "tdm-store.h"
#include "tdm-ui-fixture.h"
#include "tdm-ui-seed.h"

/* The customers, products and orders pages: listing, sorting, search (also
 * without accents), the status filter and CSV export on a seeded store;
 * every record of both fakes listed, ids in the column menu, rows and the
 * open detail following a sync (tdm-ui-fixture.h). */

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

/* ---- Every record, in the owner's words ---- */

/* The position of the row titled `title` among the page's rows, or -1. */
static int
find_row (TdmEntityPage *page,
          const char    *title)
{
  guint n = tdm_ui_n_rows (page);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *row_title = tdm_ui_row_title (page, i);

      if (g_strcmp0 (row_title, title) == 0)
        return (int) i;
    }
  return -1;
}

/* The status of the row at `position`. */
static TdmLinkStatus
row_status (TdmEntityPage *page,
            guint          position)
{
  g_autoptr(TdmRecordItem) item =
    g_list_model_get_item (G_LIST_MODEL (tdm_entity_page_get_model (page)), position);

  g_assert_nonnull (item);
  tdm_test_wait_for (tdm_record_item_get_row (item) != NULL, 10);
  return tdm_store_row_get_status (tdm_record_item_get_row (item));
}

/* Records that could not be read (a phone "123" in the webshop, "ring etter
 * kl. 16" in Shopify) are listed like every other record of both shops: the
 * Error filter shows them, a search finds them by name, and every record
 * either fake holds has its row. */
static void
test_error_records_listed (TdmUiFixture *fixture)
{
  TdmContext *context = tdm_ui_fixture_get_context (fixture);
  TdmStore *store = TDM_STORE (tdm_context_get_store (context));
  TdmEntityPage *customers = tdm_ui_entity_page (fixture, "customers");
  g_autoptr(TdmUiFakes) fakes = tdm_ui_fakes_start (fixture);
  g_autofree char *webshop_id = NULL;
  g_autofree char *shopify_id = NULL;
  g_autoptr(GPtrArray) webshop_records = NULL;
  g_autoptr(JsonArray) shopify_records = NULL;
  int position;

  tdm_ui_fakes_add_unreadable_customers (fakes, &webshop_id, &shopify_id);
  tdm_ui_sync_and_wait (fixture);
  tdm_ui_wait_for_page (customers);

  tdm_ui_filter (customers, TDM_LINK_STATUS_ERROR);
  g_assert_cmpstr (tdm_entity_page_get_state (customers), ==, "list");
  g_assert_cmpint (find_row (customers, "Sølvi Ødegård"), >=, 0);
  g_assert_cmpint (find_row (customers, "Trude Ærlig"), >=, 0);

  /* By name, without its accents, in every status. */
  tdm_ui_filter (customers, TDM_LINK_STATUS_ALL);
  tdm_ui_search (customers, "solvi odegard");
  g_assert_cmpuint (tdm_ui_n_rows (customers), ==, 1);
  position = find_row (customers, "Sølvi Ødegård");
  g_assert_cmpint (position, ==, 0);
  g_assert_cmpint (row_status (customers, position), ==, TDM_LINK_STATUS_ERROR);
  tdm_ui_search (customers, "trude aerlig");
  g_assert_cmpint (find_row (customers, "Trude Ærlig"), ==, 0);
  tdm_ui_search (customers, "");

  /* Every record of both shops has its row, so the count holds them all. */
  webshop_records = tdm_fake_webshop_get_records (fakes->webshop, TDM_KIND_CUSTOMER);
  for (guint i = 0; i < webshop_records->len; i++)
    {
      JsonObject *record = g_ptr_array_index (webshop_records, i);
      const char *id = json_object_get_string_member (record, "id");
      g_autoptr(TdmStoreRow) row = tdm_store_get_row (store, TDM_KIND_CUSTOMER, TDM_SIDE_WEBSHOP,
                                                      id, NULL);

      g_test_message ("Webshop customer %s: %s", id, row != NULL ? tdm_store_row_get_title (row) : "-");
      g_assert_nonnull (row);
    }
  shopify_records = tdm_fake_shopify_get_records (fakes->shopify, TDM_KIND_CUSTOMER);
  for (guint i = 0; i < json_array_get_length (shopify_records); i++)
    {
      JsonObject *node = json_array_get_object_element (shopify_records, i);
      const char *id = json_object_get_string_member (node, "id");
      g_autoptr(TdmStoreRow) row = tdm_store_get_row (store, TDM_KIND_CUSTOMER, TDM_SIDE_SHOPIFY,
                                                      id, NULL);

      g_test_message ("Shopify customer %s: %s", id, row != NULL ? tdm_store_row_get_title (row) : "-");
      g_assert_nonnull (row);
    }
  g_assert_cmpint (tdm_store_count (store, TDM_KIND_CUSTOMER, TDM_LINK_STATUS_ALL, NULL, NULL),
                   ==, tdm_ui_n_rows (customers));
}

/* A search without accents finds a name with them ("solvi" → "Sølvi"). */
static void
test_search_without_accents (TdmUiFixture *fixture)
{
  TdmRecordStore *store = tdm_context_get_store (tdm_ui_fixture_get_context (fixture));
  TdmEntityPage *customers = tdm_ui_entity_page (fixture, "customers");
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;

  tdm_ui_seed_customer (store, "905", "Sølvi", "Ødegård", "solvi@example.no", "+4791234567",
                        NULL, &error);
  g_assert_no_error (error);
  tdm_ui_wait_for_page (customers);
  tdm_ui_search (customers, "solvi");
  g_assert_cmpuint (tdm_ui_n_rows (customers), ==, 1);
  title = tdm_ui_row_title (customers, 0);
  g_assert_cmpstr (title, ==, "Sølvi Ødegård");
  tdm_ui_search (customers, "SØLVI ODEG");
  g_assert_cmpuint (tdm_ui_n_rows (customers), ==, 1);
}

static gboolean
column_shown (TdmEntityPage *page,
              const char    *title)
{
  GListModel *columns = gtk_column_view_get_columns (tdm_entity_page_get_column_view (page));

  for (guint c = 0; c < g_list_model_get_n_items (columns); c++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, c);

      if (g_strcmp0 (gtk_column_view_column_get_title (column), title) == 0)
        return gtk_column_view_column_get_visible (column);
    }
  g_assert_not_reached ();
  return FALSE;
}

/* The lists show what a shop owner reads: no gid:// in any cell of the
 * three pages as they open; the ids are one click away in the column menu.
 * Screenshots at the default width (1,100 px) with the detail open. */
static void
test_ids_hidden (TdmUiFixture *fixture)
{
  const char *pages[] = { "customers", "products", "orders" };

  int width = 0, height = 0;

  gtk_window_get_default_size (GTK_WINDOW (fixture->window), &width, &height);
  g_assert_cmpint (width, ==, 1100);
  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      TdmEntityPage *page = tdm_ui_entity_page (fixture, pages[i]);
      GListModel *columns = gtk_column_view_get_columns (tdm_entity_page_get_column_view (page));
      g_autoptr(GString) text = g_string_new (NULL);
      g_autofree char *shot = g_strdup_printf ("screenshot-%s-detail.png", pages[i]);
      gboolean shown = FALSE;

      gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.page", "s", pages[i]);
      tdm_ui_wait_for_page (page);
      g_assert_cmpuint (tdm_ui_n_rows (page), >, 0);
      tdm_entity_page_show_detail (page, 0);
      tdm_ui_wait_for_detail (tdm_entity_page_get_detail (page));
      tdm_test_spin (200);
      tdm_ui_collect_text (GTK_WIDGET (tdm_entity_page_get_column_view (page)), text);
      g_test_message ("%s:\n%s", pages[i], text->str);
      g_assert_null (strstr (text->str, "gid://"));
      tdm_ui_take_screenshot (GTK_WINDOW (fixture->window), shot);
      /* Last synced makes room while the detail is open; Escape closes it. */
      g_assert_false (column_shown (page, "Last synced"));
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "detail.close", NULL));
      g_assert_false (adw_flap_get_reveal_flap (ADW_FLAP (gtk_widget_get_ancestor (
                        GTK_WIDGET (tdm_entity_page_get_detail (page)), ADW_TYPE_FLAP))));
      g_assert_true (column_shown (page, "Last synced"));

      /* "Shopify ID" from the column menu. */
      for (guint c = 0; c < g_list_model_get_n_items (columns); c++)
        {
          g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, c);
          g_autofree char *action = g_strdup_printf ("columns.show-%u", c);

          if (g_strcmp0 (gtk_column_view_column_get_title (column), "Shopify ID") != 0)
            continue;
          g_assert_false (gtk_column_view_column_get_visible (column));
          g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), action, NULL));
          g_assert_true (gtk_column_view_column_get_visible (column));
          shown = TRUE;
        }
      g_assert_true (shown);
      tdm_test_spin (200);
      g_string_truncate (text, 0);
      tdm_ui_collect_text (GTK_WIDGET (tdm_entity_page_get_column_view (page)), text);
      g_assert_nonnull (strstr (text->str, "gid://"));
    }
}

/* Shows or hides the column titled `title` from the column menu. */
static void
toggle_column (TdmEntityPage *page,
               const char    *title)
{
  GListModel *columns = gtk_column_view_get_columns (tdm_entity_page_get_column_view (page));

  for (guint c = 1; c < g_list_model_get_n_items (columns); c++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, c);
      g_autofree char *action = g_strdup_printf ("columns.show-%u", c);

      if (g_strcmp0 (gtk_column_view_column_get_title (column), title) != 0)
        continue;
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), action, NULL));
      return;
    }
  g_assert_not_reached ();
}

/* The columns chosen in a list's column menu are kept per kind and are
 * there again when Tandem next starts. */
static void
test_columns_remembered (TdmUiFixture *fixture)
{
  TdmEntityPage *customers = tdm_ui_entity_page (fixture, "customers");
  g_autoptr(GVariant) saved = NULL;
  GtkWindow *window;
  gboolean shown = TRUE;

  g_assert_true (column_shown (customers, "Phone"));
  g_assert_false (column_shown (customers, "Shopify ID"));
  toggle_column (customers, "Phone");
  toggle_column (customers, "Shopify ID");
  g_assert_false (column_shown (customers, "Phone"));
  g_assert_true (column_shown (customers, "Shopify ID"));

  saved = g_settings_get_value (fixture->settings, "customer-columns");
  g_assert_true (g_variant_lookup (saved, "phone", "b", &shown));
  g_assert_false (shown);
  g_assert_true (g_variant_lookup (saved, "shopify-id", "b", &shown));
  g_assert_true (shown);
  g_assert_cmpuint (g_variant_n_children (saved), ==, 2);

  /* The next start: a new window shows the customers as chosen; the other
   * lists keep their own columns. */
  gtk_window_close (GTK_WINDOW (fixture->window));
  tdm_test_spin (50);
  g_application_activate (G_APPLICATION (fixture->app));
  window = tdm_test_find_window (GTK_APPLICATION (fixture->app), TDM_TYPE_WINDOW);
  g_assert_nonnull (window);
  customers = TDM_ENTITY_PAGE (tdm_window_get_page (TDM_WINDOW (window), "customers"));
  g_assert_false (column_shown (customers, "Phone"));
  g_assert_true (column_shown (customers, "Shopify ID"));
  g_assert_true (column_shown (customers, "Email"));
  g_assert_false (column_shown (customers, "Webshop ID"));
  g_assert_false (column_shown (TDM_ENTITY_PAGE (tdm_window_get_page (TDM_WINDOW (window), "orders")),
                                "Shopify ID"));

  /* Shown again as by default: nothing is kept for it. */
  toggle_column (customers, "Phone");
  g_clear_pointer (&saved, g_variant_unref);
  saved = g_settings_get_value (fixture->settings, "customer-columns");
  g_assert_false (g_variant_lookup (saved, "phone", "b", &shown));
  g_assert_cmpuint (g_variant_n_children (saved), ==, 1);
}

/* ---- Following a sync ---- */

typedef struct
{
  TdmUiFixture *fixture;
  gboolean      held;
} HoldBack;

/* The first write of a product or an order to the webshop (after the
 * customers are committed) is answered late: the sync goes on for a while
 * with customers in the store. */
static void
on_webshop_request_cb (TdmFakeWebshop *webshop,
                       const char     *method,
                       const char     *path,
                       gpointer        user_data)
{
  HoldBack *hold = user_data;

  if (hold->held || g_str_equal (method, "GET") ||
      !(g_str_has_prefix (path, "/products") || g_str_has_prefix (path, "/orders")))
    return;
  hold->held = TRUE;
  tdm_fake_webshop_inject_fault (webshop, 0, TDM_FAKE_FAULT_DELAY, 4000, 1);
}

/* Rows appear as records are committed, while the sync still runs (not
 * only when it ends); the empty state's Sync Now says a sync runs. */
static void
test_rows_during_sync (TdmUiFixture *fixture)
{
  TdmContext *context = tdm_ui_fixture_get_context (fixture);
  TdmSyncEngine *engine = tdm_context_get_engine (context);
  TdmEntityPage *customers = tdm_ui_entity_page (fixture, "customers");
  g_autoptr(TdmUiFakes) fakes = tdm_ui_fakes_start (fixture);
  HoldBack hold = { fixture, FALSE };
  GtkWidget *sync_button;

  tdm_fake_webshop_set_request_hook (fakes->webshop, on_webshop_request_cb, &hold);
  tdm_ui_wait_for_page (customers);
  g_assert_cmpstr (tdm_entity_page_get_state (customers), ==, "empty");
  sync_button = tdm_test_find_button (GTK_WIDGET (customers), "_Sync Now");
  g_assert_nonnull (sync_button);
  g_assert_true (gtk_widget_has_css_class (sync_button, "suggested-action"));

  g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "sync-now", NULL);
  tdm_test_wait_for (tdm_sync_engine_is_running (engine), 30);
  /* Nothing to start while it runs, and the page says so. */
  g_assert_false (gtk_widget_get_sensitive (sync_button));

  tdm_test_wait_for (tdm_ui_n_rows (customers) > 0 || !tdm_sync_engine_is_running (engine), 60);
  g_test_message ("%u customers listed while the sync %s", tdm_ui_n_rows (customers),
                  tdm_sync_engine_is_running (engine) ? "runs" : "has ended");
  g_assert_true (tdm_sync_engine_is_running (engine));
  g_assert_cmpuint (tdm_ui_n_rows (customers), >, 0);
  g_assert_cmpstr (tdm_entity_page_get_state (customers), ==, "list");
  tdm_ui_take_screenshot (GTK_WINDOW (fixture->window), "screenshot-customers-during-sync.png");

  tdm_ui_wait_until_sync_stops (fixture);
  tdm_fake_webshop_set_request_hook (fakes->webshop, NULL, NULL);
  g_assert_true (gtk_widget_get_sensitive (sync_button));
}

/* The open detail follows its record while a sync runs, without the owner
 * selecting it again: a name changed in the webshop shows in the panel as
 * soon as the record is committed (a later write, of an order, is held
 * back), and the list marks the record at its new place. Screenshots of
 * the orders and products with the detail open, on the sandbox's data. */
static void
test_detail_follows_sync (TdmUiFixture *fixture)
{
  TdmContext *context = tdm_ui_fixture_get_context (fixture);
  TdmSyncEngine *engine = tdm_context_get_engine (context);
  TdmEntityPage *customers = tdm_ui_entity_page (fixture, "customers");
  TdmRecordDetail *detail = tdm_entity_page_get_detail (customers);
  g_autoptr(TdmUiFakes) fakes = tdm_ui_fakes_start (fixture);
  g_autoptr(JsonObject) patch = json_object_new ();
  g_autoptr(JsonObject) note = json_object_new ();
  g_autoptr(JsonArray) orders = NULL;
  g_autoptr(TdmRecordItem) item = NULL;
  g_autofree char *webshop_id = NULL;
  g_autofree char *renamed = NULL;
  HoldBack hold = { fixture, FALSE };
  GtkSingleSelection *selection;
  TdmStoreRow *shown;
  guint position;

  tdm_ui_sync_and_wait (fixture);
  tdm_ui_wait_for_page (customers);
  tdm_ui_filter (customers, TDM_LINK_STATUS_LINKED);
  tdm_entity_page_show_detail (customers, 0);
  tdm_ui_wait_for_detail (detail);
  webshop_id = g_strdup (tdm_store_row_get_webshop_id (tdm_record_detail_get_row (detail)));
  renamed = g_strdup_printf ("Zacharias-%s", webshop_id);

  /* The customer renamed in the webshop; an order's note edited in Shopify,
   * written to the webshop after the customers, late. */
  json_object_set_string_member (patch, "first_name", renamed);
  g_assert_true (tdm_fake_webshop_update (fakes->webshop, TDM_KIND_CUSTOMER, webshop_id, patch));
  orders = tdm_fake_shopify_get_records (fakes->shopify, TDM_KIND_ORDER);
  json_object_set_string_member (note, "note", "Ring på døren, takk.");
  g_assert_true (tdm_fake_shopify_edit (fakes->shopify, TDM_KIND_ORDER,
                                        json_object_get_string_member (
                                          json_array_get_object_element (orders, 0), "id"),
                                        note, NULL));
  tdm_fake_webshop_set_request_hook (fakes->webshop, on_webshop_request_cb, &hold);

  g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "sync-now", NULL);
  tdm_test_wait_for (tdm_sync_engine_is_running (engine), 30);
  tdm_test_wait_for (g_str_has_prefix (tdm_store_row_get_title (tdm_record_detail_get_row (detail)),
                                       renamed) || !tdm_sync_engine_is_running (engine), 60);
  shown = tdm_record_detail_get_row (detail);
  g_test_message ("The detail shows %s while the sync %s", tdm_store_row_get_title (shown),
                  tdm_sync_engine_is_running (engine) ? "runs" : "has ended");
  g_assert_true (tdm_sync_engine_is_running (engine));
  g_assert_cmpstr (tdm_store_row_get_webshop_id (shown), ==, webshop_id);
  g_assert_true (g_str_has_prefix (tdm_store_row_get_title (shown), renamed));

  /* The list marks that record, now sorted last, and no other. */
  tdm_ui_wait_until_sync_stops (fixture);
  tdm_fake_webshop_set_request_hook (fakes->webshop, NULL, NULL);
  g_assert_true (hold.held);
  tdm_ui_wait_for_page (customers);
  selection = GTK_SINGLE_SELECTION (gtk_column_view_get_model (tdm_entity_page_get_column_view (customers)));
  position = gtk_single_selection_get_selected (selection);
  g_assert_cmpuint (position, !=, GTK_INVALID_LIST_POSITION);
  item = g_list_model_get_item (G_LIST_MODEL (tdm_entity_page_get_model (customers)), position);
  g_assert_cmpstr (tdm_store_row_get_webshop_id (tdm_record_item_get_row (item)), ==, webshop_id);
  tdm_ui_take_screenshot (GTK_WINDOW (fixture->window), "screenshot-customers-followed.png");

  for (guint i = 0; i < 2; i++)
    {
      const char *name = i == 0 ? "orders" : "products";
      TdmEntityPage *page = tdm_ui_entity_page (fixture, name);
      g_autofree char *shot = g_strdup_printf ("screenshot-%s-sandbox-detail.png", name);

      gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.page", "s", name);
      tdm_ui_wait_for_page (page);
      tdm_entity_page_show_detail (page, 0);
      tdm_ui_wait_for_detail (tdm_entity_page_get_detail (page));
      tdm_ui_take_screenshot (GTK_WINDOW (fixture->window), shot);
    }
}

/* After a sync of the sandbox shop, as the owner first sees the lists: the
 * products' prices with the currency of the shop's orders (the products
 * are committed before any order; their rows were drawn without it and
 * kept it). */
static void
test_sandbox_prices (TdmUiFixture *fixture)
{
  TdmEntityPage *products = tdm_ui_entity_page (fixture, "products");
  g_autoptr(TdmUiFakes) fakes = tdm_ui_fakes_start (fixture);
  g_autoptr(GString) text = g_string_new ("\n");
  g_autoptr(GRegex) bare = g_regex_new ("\n[0-9][0-9,]*\\.[0-9][0-9]\n", 0, 0, NULL);

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.page", "s", "products");
  tdm_ui_sync_and_wait (fixture);
  tdm_ui_wait_until_sync_stops (fixture);
  tdm_ui_wait_for_page (products);
  tdm_test_spin (200);
  g_assert_cmpuint (tdm_ui_n_rows (products), >, 0);

  tdm_ui_collect_text (GTK_WIDGET (tdm_entity_page_get_column_view (products)), text);
  g_test_message ("Products: %s", text->str);
  g_assert_nonnull (strstr (text->str, "\nNOK\xc2\xa0" "849.00\n"));
  g_assert_false (g_regex_match (bare, text->str, 0, NULL));
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
      tdm_ui_test_add ("/ui/entity/error-records-listed", TDM_UI_EMPTY, test_error_records_listed);
      tdm_ui_test_add ("/ui/entity/search-without-accents", TDM_UI_SHOP,
                       test_search_without_accents);
      tdm_ui_test_add ("/ui/entity/ids-hidden", TDM_UI_SHOP, test_ids_hidden);
      tdm_ui_test_add ("/ui/entity/columns-remembered", TDM_UI_SHOP, test_columns_remembered);
      tdm_ui_test_add ("/ui/entity/rows-during-sync", TDM_UI_EMPTY, test_rows_during_sync);
      tdm_ui_test_add ("/ui/entity/detail-follows-sync", TDM_UI_EMPTY, test_detail_follows_sync);
      tdm_ui_test_add ("/ui/entity/sandbox-prices", TDM_UI_EMPTY, test_sandbox_prices);
    }
  return g_test_run ();
}
