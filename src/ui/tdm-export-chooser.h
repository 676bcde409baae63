/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Where the CSV exports of the pages go and how the owner finds them
 * afterwards (docs/architecture.md, Threading). */

/* The folder an export is offered in: the owner's Documents folder
 * (G_USER_DIRECTORY_DOCUMENTS) when it exists, else the home folder; never
 * the working directory Tandem was started from (transfer full). */
GFile                *tdm_export_default_folder (void);

/* A modal "save" chooser for the window of `widget`, starting in
 * tdm_export_default_folder() with `file_name` suggested (transfer full:
 * unref it in its response handler). In a Flatpak it is the FileChooser
 * portal's. */
GtkFileChooserNative *tdm_export_chooser_new    (GtkWidget  *widget,
                                                 const char *title,
                                                 const char *file_name);

/* Says in the window's toast that the export to `file` is done, with an
 * Open button that opens the file in the owner's default application
 * (win.open-file: through the OpenURI portal in a Flatpak). */
void                  tdm_export_show_done      (GtkWidget  *widget,
                                                 GFile      *file,
                                                 const char *text);

G_END_DECLS
