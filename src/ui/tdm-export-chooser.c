/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-export"

#include "config.h"

#include <glib/gi18n.h>

#include "tdm-export-chooser.h"

GFile *
tdm_export_default_folder (void)
{
  const char *documents = g_get_user_special_dir (G_USER_DIRECTORY_DOCUMENTS);

  if (documents != NULL && g_file_test (documents, G_FILE_TEST_IS_DIR))
    return g_file_new_for_path (documents);

  return g_file_new_for_path (g_get_home_dir ());
}

GtkFileChooserNative *
tdm_export_chooser_new (GtkWidget  *widget,
                        const char *title,
                        const char *file_name)
{
  GtkRoot *root;
  GtkFileChooserNative *chooser;
  g_autoptr(GFile) folder = tdm_export_default_folder ();
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), NULL);
  g_return_val_if_fail (title != NULL && file_name != NULL, NULL);

  root = gtk_widget_get_root (widget);
  chooser = gtk_file_chooser_native_new (title, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_SAVE,
                                         _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  /* Without a folder the chooser starts in the working directory, which
   * for an app started from the desktop means nothing to the owner. */
  if (!gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), folder, &error))
    g_debug ("Cannot start the export chooser in the Documents folder: %s", error->message);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), file_name);

  return chooser;
}

void
tdm_export_show_done (GtkWidget  *widget,
                      GFile      *file,
                      const char *text)
{
  g_autofree char *uri = NULL;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (text != NULL);

  uri = g_file_get_uri (file);
  gtk_widget_activate_action (widget, "win.toast-file", "(ss)", text, uri);
}
