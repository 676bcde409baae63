/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#pragma once

#include <glib.h>
#include <X11/Xlib.h>

G_BEGIN_DECLS

/* The windows of a child process on the X server (Xvfb), as a window
 * manager sees them: by their _NET_WM_PID. */

/* Opens $DISPLAY, or returns NULL when there is none. A window listed a
 * moment ago may be gone when it is asked about (a child closes windows on
 * its own): such errors are ignored instead of ending the program. */
Display *tdm_test_x11_open         (void);
/* The first mapped top-level window of process `pid`, or None. */
Window   tdm_test_x11_find_window  (Display *display,
                                    GPid     pid);
/* Asks `window` to close, as a window manager's close button does
 * (WM_DELETE_WINDOW). */
void     tdm_test_x11_close_window (Display *display,
                                    Window   window);

G_END_DECLS
