/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-ui-fixture"

#include "config.h"

#include "tdm-ui-fixture.h"

/* Driving the window's pages and the Preferences window as a person would,
 * waiting for what they load in the background. */

/* ---- Entity pages and the detail pane ---- */

TdmEntityPage *
tdm_ui_entity_page (TdmUiFixture *fixture,
                    const char   *name)
{
  GtkWidget *page;

  g_assert (fixture != NULL);
  g_assert (name != NULL);

  page = tdm_window_get_page (fixture->window, name);
  g_assert_true (TDM_IS_ENTITY_PAGE (page));
  return TDM_ENTITY_PAGE (page);
}

TdmActivityPage *
tdm_ui_activity_page (TdmUiFixture *fixture)
{
  GtkWidget *page;

  g_assert (fixture != NULL);

  page = tdm_window_get_page (fixture->window, "activity");
  g_assert_true (TDM_IS_ACTIVITY_PAGE (page));
  return TDM_ACTIVITY_PAGE (page);
}

void
tdm_ui_wait_for_page (TdmEntityPage *page)
{
  TdmRecordModel *model = tdm_entity_page_get_model (page);

  g_assert_nonnull (model);
  tdm_test_spin (20);
  tdm_test_wait_for (!tdm_record_model_get_loading (model), 10);
  tdm_test_spin (20);
}

char *
tdm_ui_row_title (TdmEntityPage *page,
                  guint          position)
{
  GListModel *model = G_LIST_MODEL (tdm_entity_page_get_model (page));
  g_autoptr(TdmRecordItem) item = g_list_model_get_item (model, position);

  g_assert_nonnull (item);
  tdm_test_wait_for (tdm_record_item_get_row (item) != NULL, 10);
  return g_strdup (tdm_store_row_get_title (tdm_record_item_get_row (item)));
}

guint
tdm_ui_n_rows (TdmEntityPage *page)
{
  return g_list_model_get_n_items (G_LIST_MODEL (tdm_entity_page_get_model (page)));
}

void
tdm_ui_search (TdmEntityPage *page,
               const char    *text)
{
  tdm_entity_page_set_search (page, text);
  tdm_ui_wait_for_page (page);
}

void
tdm_ui_filter (TdmEntityPage *page,
               TdmLinkStatus  status)
{
  tdm_entity_page_set_status_filter (page, status);
  tdm_ui_wait_for_page (page);
}

void
tdm_ui_wait_for_detail (TdmRecordDetail *detail)
{
  g_assert (TDM_IS_RECORD_DETAIL (detail));

  tdm_test_wait_for (tdm_record_detail_get_n_fields (detail) > 0, 10);
}

gssize
tdm_ui_export_entities (TdmEntityPage *page,
                        const char    *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gssize n;

  tdm_entity_page_export_async (page, file, NULL, tdm_test_keep_result_cb, &result);
  n = tdm_entity_page_export_finish (page, tdm_test_wait_result (&result, 30), &error);
  g_assert_no_error (error);
  return n;
}

gssize
tdm_ui_export_activity (TdmActivityPage *page,
                        const char      *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gssize n;

  tdm_activity_page_export_async (page, file, NULL, tdm_test_keep_result_cb, &result);
  n = tdm_activity_page_export_finish (page, tdm_test_wait_result (&result, 30), &error);
  g_assert_no_error (error);
  return n;
}

/* ---- What the screen shows ---- */

void
tdm_ui_collect_text (GtkWidget *widget,
                     GString   *out)
{
  const char *tooltip = gtk_widget_get_tooltip_text (widget);

  g_assert (GTK_IS_WIDGET (widget));
  g_assert (out != NULL);

  if (GTK_IS_LABEL (widget))
    g_string_append_printf (out, "%s\n", gtk_label_get_label (GTK_LABEL (widget)));
  if (GTK_IS_EDITABLE (widget))
    g_string_append_printf (out, "%s\n", gtk_editable_get_text (GTK_EDITABLE (widget)));
  if (tooltip != NULL)
    g_string_append_printf (out, "%s\n", tooltip);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    tdm_ui_collect_text (child, out);
}

void
tdm_ui_collect_screen_text (GString *out)
{
  GListModel *toplevels = gtk_window_get_toplevels ();   /* not ours */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

      tdm_ui_collect_text (window, out);
    }
}

/* ---- Preferences ---- */

TdmPreferencesWindow *
tdm_ui_open_preferences (TdmUiFixture *fixture)
{
  GtkWindow *prefs;

  g_assert (fixture != NULL);

  g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "preferences", NULL);
  prefs = tdm_test_find_window (GTK_APPLICATION (fixture->app), TDM_TYPE_PREFERENCES_WINDOW);
  g_assert_nonnull (prefs);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (prefs));
  return TDM_PREFERENCES_WINDOW (prefs);
}

GtkWidget *
tdm_ui_prefs_child (TdmPreferencesWindow *prefs,
                    const char           *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (prefs), TDM_TYPE_PREFERENCES_WINDOW,
                                                  name);

  g_assert_nonnull (child);
  return GTK_WIDGET (child);
}

void
tdm_ui_apply_row (TdmPreferencesWindow *prefs,
                  const char           *name,
                  const char           *text)
{
  GtkWidget *row = tdm_ui_prefs_child (prefs, name);

  gtk_editable_set_text (GTK_EDITABLE (row), text);
  g_signal_emit_by_name (row, "apply");
}

const char *
tdm_ui_wait_for_test_result (TdmPreferencesWindow *prefs,
                             const char           *spinner_name,
                             const char           *row_name)
{
  GtkSpinner *spinner = GTK_SPINNER (tdm_ui_prefs_child (prefs, spinner_name));

  tdm_test_spin (10);
  tdm_test_wait_for (!gtk_spinner_get_spinning (spinner), 20);
  return adw_action_row_get_subtitle (ADW_ACTION_ROW (tdm_ui_prefs_child (prefs, row_name)));
}
