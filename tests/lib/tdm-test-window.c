/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-test"

#include "config.h"

#include "tdm-test-window.h"

GtkWindow *
tdm_test_find_window (GtkApplication *app,
                      GType           type)
{
  g_assert (GTK_IS_APPLICATION (app));

  for (GList *l = gtk_application_get_windows (app); l != NULL; l = l->next)
    {
      if (G_TYPE_CHECK_INSTANCE_TYPE (l->data, type))
        return l->data;
    }
  return NULL;
}

GtkWindow *
tdm_test_find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type))
        return window;
    }
  return NULL;
}

GtkWidget *
tdm_test_find_button (GtkWidget  *widget,
                      const char *label)
{
  g_assert (GTK_IS_WIDGET (widget));
  g_assert (label != NULL);

  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = tdm_test_find_button (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

AdwActionRow *
tdm_test_find_action_row (GtkWidget  *widget,
                          const char *title)
{
  g_assert (GTK_IS_WIDGET (widget));
  g_assert (title != NULL);

  if (ADW_IS_ACTION_ROW (widget) &&
      g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0)
    return ADW_ACTION_ROW (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      AdwActionRow *row = tdm_test_find_action_row (child, title);

      if (row != NULL)
        return row;
    }
  return NULL;
}

void
tdm_test_close_windows (GtkApplication *app)
{
  g_autoptr(GList) windows = NULL;

  g_assert (GTK_IS_APPLICATION (app));

  windows = g_list_copy (gtk_application_get_windows (app));
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_destroy (GTK_WINDOW (l->data));
}
