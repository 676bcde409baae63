/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-window"

#include "config.h"

#include <glib/gi18n.h>

#include "tdm-window.h"

struct _TdmWindow
{
  AdwApplicationWindow parent_instance;
};

G_DEFINE_FINAL_TYPE (TdmWindow, tdm_window, ADW_TYPE_APPLICATION_WINDOW)

static void
tdm_window_class_init (TdmWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/tdm-window.ui");
}

static void
tdm_window_init (TdmWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

TdmWindow *
tdm_window_new (TdmApplication *application)
{
  return g_object_new (TDM_TYPE_WINDOW, "application", application, NULL);
}
