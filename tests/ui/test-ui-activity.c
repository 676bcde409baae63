/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-test-ui-activity"

#include "config.h"

#include <string.h>

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
    /* The record to review is named, not only numbered. */
    g_autoptr(GString) text = g_string_new (NULL);

    tdm_ui_collect_text (GTK_WIDGET (activity), text);
    g_assert_nonnull (strstr (text->str, "Customer Ola Hansen (102) · Webshop"));
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
                                                   "Link to gid://shopify/Customer/105");
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

int
main (int   argc,
      char *argv[])
{
  if (tdm_ui_test_init (&argc, &argv))
    tdm_ui_test_add ("/ui/activity/page", TDM_UI_SHOP, test_activity_page);
  return g_test_run ();
}
