/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-bench-ui"

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "tdm-entity-page.h"
#include "tdm-record-model.h"
#include "tdm-store.h"
#include "tdm-ui-seed.h"

/* bench-ui [N]: seeds N (default 100,000) linked customers and measures
 * what a shop owner waits for on the Customers page: the first rows, a
 * jump to the middle of the list, and a search. With a display it also
 * times the page itself (GtkColumnView) until its first rows are drawn. */

static double
elapsed_ms (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1000.0;
}

static void
wait_idle (TdmRecordModel *model)
{
  while (tdm_record_model_get_loading (model))
    g_main_context_iteration (NULL, TRUE);
}

static void
wait_row (TdmRecordModel *model,
          guint           position)
{
  g_autoptr(TdmRecordItem) item = g_list_model_get_item (G_LIST_MODEL (model), position);

  while (item != NULL && tdm_record_item_get_row (item) == NULL)
    g_main_context_iteration (NULL, TRUE);
}

static void
report (const char *name,
        const char *label,
        double      value,
        const char *unit)
{
  g_print ("%-44s %10.1f %s\n", label, value, unit);
  g_print ("bench: %s = %.1f %s\n", name, value, unit);
}

static void
wait_rows_loaded (TdmRecordModel *model)
{
  /* Rows arrive from the worker thread; draw once they are in. */
  while (tdm_record_model_get_loading (model))
    g_main_context_iteration (NULL, TRUE);
}

/* Jumps the scroll bar to `steps` positions through the list and returns
 * the mean time until the rows there are loaded and drawn. */
static double
time_scroll_jumps (GtkWidget      *window,
                   TdmEntityPage  *page,
                   TdmRecordModel *model,
                   guint           steps)
{
  GtkWidget *scrolled = gtk_widget_get_parent (GTK_WIDGET (tdm_entity_page_get_column_view (page)));
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
  gint64 start = g_get_monotonic_time ();

  for (guint i = 1; i <= steps; i++)
    {
      double upper = gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment);

      gtk_adjustment_set_value (adjustment, upper * i / steps);
      gtk_test_widget_wait_for_draw (window);
      wait_rows_loaded (model);
      gtk_test_widget_wait_for_draw (window);
    }

  return elapsed_ms (start) / steps;
}

static double
time_page_draw (TdmStore *store,
                double   *scroll_ms)
{
  g_autoptr(GSettings) settings = NULL;
  TdmEntityPage *page;
  GtkWidget *window;
  TdmRecordModel *model;
  gint64 start;

  /* The page needs a context only for its services; here the store alone
   * is measured, through the model the page shows. */
  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 700);
  page = tdm_entity_page_new (TDM_KIND_CUSTOMER);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (page));
  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (window);

  start = g_get_monotonic_time ();
  model = tdm_record_model_new (store, TDM_KIND_CUSTOMER);
  gtk_column_view_set_model (tdm_entity_page_get_column_view (page),
                             GTK_SELECTION_MODEL (gtk_no_selection_new (G_LIST_MODEL (model))));
  tdm_record_model_reload (model);
  wait_idle (model);
  gtk_test_widget_wait_for_draw (window);
  {
    double ms = elapsed_ms (start);

    *scroll_ms = time_scroll_jumps (window, page, model, 20);
    gtk_window_destroy (GTK_WINDOW (window));
    return ms;
  }
}

int
main (int   argc,
      char *argv[])
{
  guint n = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 100000;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(TdmStore) store = NULL;
  g_autoptr(TdmRecordModel) model = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start;

  dir = g_dir_make_tmp ("tandem-bench-ui-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "state.sqlite3", NULL);
  store = tdm_store_new (path, &error);
  g_assert_no_error (error);

  g_print ("Customers page over %u records\n\n", n);
  start = g_get_monotonic_time ();
  tdm_ui_seed_customers (TDM_RECORD_STORE (store), n, &error);
  g_assert_no_error (error);
  report ("ui_seed_ms", "seeding the store (not UI)", elapsed_ms (start), "ms");

  /* Opening the page: count + first page. */
  start = g_get_monotonic_time ();
  model = tdm_record_model_new (store, TDM_KIND_CUSTOMER);
  tdm_record_model_reload (model);
  wait_idle (model);
  wait_row (model, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, n);
  report ("ui_first_rows_ms", "first rows (count + first 200)", elapsed_ms (start), "ms");

  /* Dragging the scroll bar to the middle. */
  start = g_get_monotonic_time ();
  wait_row (model, n / 2);
  report ("ui_jump_middle_ms", "jump to the middle (one page of 200)", elapsed_ms (start), "ms");

  start = g_get_monotonic_time ();
  wait_row (model, n - 1);
  report ("ui_jump_end_ms", "jump to the end (one page of 200)", elapsed_ms (start), "ms");

  /* Sorted the other way round (header click). */
  start = g_get_monotonic_time ();
  tdm_record_model_set_query (model, TDM_LINK_STATUS_ALL, NULL, TDM_STORE_SORT_SUBTITLE, TRUE);
  wait_idle (model);
  wait_row (model, 0);
  report ("ui_sort_ms", "sort by email, descending", elapsed_ms (start), "ms");

  /* Typing a search. */
  start = g_get_monotonic_time ();
  tdm_record_model_set_query (model, TDM_LINK_STATUS_ALL, "customer0999", TDM_STORE_SORT_TITLE, FALSE);
  wait_idle (model);
  report ("ui_search_ms", "search \"customer0999\"", elapsed_ms (start), "ms");
  report ("ui_search_rows", "  rows found", g_list_model_get_n_items (G_LIST_MODEL (model)), "rows");

  if (gtk_init_check ())
    {
      double scroll_ms = 0;

      adw_init ();
      report ("ui_page_first_draw_ms", "page drawn with its first rows (GTK, Xvfb)",
              time_page_draw (store, &scroll_ms), "ms");
      report ("ui_scroll_jump_ms", "scroll bar jump, rows loaded and drawn (mean of 20)",
              scroll_ms, "ms");
    }
  else
    g_print ("(no display: the GTK page was not timed)\n");

  g_clear_object (&model);
  g_clear_object (&store);
  {
    const char *suffixes[] = { "", "-wal", "-shm" };
    for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
      {
        g_autofree char *file = g_strconcat (path, suffixes[i], NULL);
        g_unlink (file);
      }
    g_rmdir (dir);
  }
  return 0;
}
