/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* Finding windows and widgets of an application running in the test's own
 * process (the X11 windows of a child process: tdm-test-x11.h). */

/* The first window of `app` that is a `type`, or NULL. */
GtkWindow    *tdm_test_find_window     (GtkApplication *app,
                                        GType           type);
/* Any toplevel that is a `type`, also one not added to an application
 * (message dialogs), or NULL. */
GtkWindow    *tdm_test_find_toplevel   (GType           type);
/* The first button labelled `label` at or below `widget`, or NULL. */
GtkWidget    *tdm_test_find_button     (GtkWidget      *widget,
                                        const char     *label);
/* The first AdwActionRow titled `title` at or below `widget`, or NULL. */
AdwActionRow *tdm_test_find_action_row (GtkWidget      *widget,
                                        const char     *title);
/* Destroys every window of `app`. */
void          tdm_test_close_windows   (GtkApplication *app);

G_END_DECLS
