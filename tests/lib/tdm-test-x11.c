/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-test"

#include "config.h"

#include "tdm-test-x11.h"

#include <X11/Xatom.h>

static int
ignore_vanished_window (Display     *display,
                        XErrorEvent *event)
{
  if (event->error_code == BadWindow || event->error_code == BadDrawable)
    return 0;
  g_error ("X error %d (request %d)", event->error_code, event->request_code);
  return 0;
}

Display *
tdm_test_x11_open (void)
{
  Display *display;

  if (g_getenv ("DISPLAY") == NULL)
    return NULL;
  display = XOpenDisplay (NULL);
  if (display != NULL)
    XSetErrorHandler (ignore_vanished_window);
  return display;
}

static gboolean
window_belongs_to (Display *display,
                   Window   window,
                   GPid     pid)
{
  Atom pid_atom = XInternAtom (display, "_NET_WM_PID", False);
  Atom type = None;
  int format = 0;
  unsigned long n = 0;
  unsigned long after = 0;
  unsigned char *data = NULL;
  gboolean mine = FALSE;

  if (XGetWindowProperty (display, window, pid_atom, 0, 1, False, XA_CARDINAL, &type, &format,
                          &n, &after, &data) == Success && data != NULL)
    {
      if (format == 32 && n == 1)
        mine = (GPid) *(unsigned long *) data == pid;
      XFree (data);
    }
  return mine;
}

Window
tdm_test_x11_find_window (Display *display,
                          GPid     pid)
{
  Window root_return, parent_return;
  Window *children = NULL;
  unsigned int n = 0;
  Window found = None;

  g_assert (display != NULL);
  g_assert (pid > 0);

  XSync (display, False);
  if (!XQueryTree (display, DefaultRootWindow (display), &root_return, &parent_return,
                   &children, &n))
    return None;
  for (unsigned int i = 0; i < n && found == None; i++)
    {
      XWindowAttributes attrs;

      if (XGetWindowAttributes (display, children[i], &attrs) && attrs.map_state == IsViewable &&
          window_belongs_to (display, children[i], pid))
        found = children[i];
    }
  if (children != NULL)
    XFree (children);
  return found;
}

void
tdm_test_x11_close_window (Display *display,
                           Window   window)
{
  XEvent event = { 0 };

  g_assert (display != NULL);
  g_assert (window != None);

  event.xclient.type = ClientMessage;
  event.xclient.window = window;
  event.xclient.message_type = XInternAtom (display, "WM_PROTOCOLS", False);
  event.xclient.format = 32;
  event.xclient.data.l[0] = (long) XInternAtom (display, "WM_DELETE_WINDOW", False);
  event.xclient.data.l[1] = CurrentTime;
  XSendEvent (display, window, False, NoEventMask, &event);
  XFlush (display);
}
