/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-test-background"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <X11/Xlib.h>
#include <X11/Xatom.h>

#include "tdm-fake-webshop.h"
#include "tdm-fake-shopify.h"

/* Background running (issue 8), end to end: the real `tandem` runs as a
 * child under Xvfb on the private session bus of dbus-run-session, against
 * both fakes in this process. This process also plays the desktop: it owns
 * org.freedesktop.Notifications (GApplication's freedesktop backend talks
 * to it when nobody owns org.gtk.Notifications) and, in some tests,
 * org.freedesktop.portal.Desktop with a Background portal. Windows are
 * found and closed through X11 (WM_DELETE_WINDOW, as a window manager's
 * close button does). */

#define WEBSHOP_TOKEN  "bg-test-token-5521"
#define CLIENT_ID      "bg-client"
#define CLIENT_SECRET  "bg-secret-8830"
#define WRONG_TOKEN    "bg-wrong-token-0000"

#define NOTIFICATIONS_NAME "org.freedesktop.Notifications"
#define NOTIFICATIONS_PATH "/org/freedesktop/Notifications"
#define PORTAL_NAME        "org.freedesktop.portal.Desktop"
#define PORTAL_PATH        "/org/freedesktop/portal/desktop"

/* ---- the fake desktop on the session bus ------------------------------------ */

typedef struct
{
  guint  id;
  char  *summary;
  char  *body;
  char **actions;
} Notified;

static void
notified_free (Notified *n)
{
  g_free (n->summary);
  g_free (n->body);
  g_strfreev (n->actions);
  g_free (n);
}

typedef struct
{
  gboolean  autostart;
  char     *reason;
  char    **commandline;
} BackgroundRequest;

static void
background_request_free (BackgroundRequest *r)
{
  g_free (r->reason);
  g_strfreev (r->commandline);
  g_free (r);
}

typedef struct
{
  GDBusConnection *bus;
  GPtrArray       *notified;   /* Notified* */
  GPtrArray       *requests;   /* BackgroundRequest* */
  guint            next_id;
  guint            notifications_owner;
  guint            notifications_object;
  guint            portal_owner;
  guint            portal_object;
  gboolean         portal_owned;
} Desktop;

static Desktop desktop;

static const char notifications_xml[] =
  "<node>"
  "  <interface name='org.freedesktop.Notifications'>"
  "    <method name='Notify'>"
  "      <arg type='s' direction='in'/><arg type='u' direction='in'/><arg type='s' direction='in'/>"
  "      <arg type='s' direction='in'/><arg type='s' direction='in'/><arg type='as' direction='in'/>"
  "      <arg type='a{sv}' direction='in'/><arg type='i' direction='in'/>"
  "      <arg type='u' direction='out'/>"
  "    </method>"
  "    <method name='CloseNotification'><arg type='u' direction='in'/></method>"
  "    <method name='GetCapabilities'><arg type='as' direction='out'/></method>"
  "    <method name='GetServerInformation'>"
  "      <arg type='s' direction='out'/><arg type='s' direction='out'/>"
  "      <arg type='s' direction='out'/><arg type='s' direction='out'/>"
  "    </method>"
  "    <signal name='ActionInvoked'><arg type='u'/><arg type='s'/></signal>"
  "    <signal name='NotificationClosed'><arg type='u'/><arg type='u'/></signal>"
  "  </interface>"
  "</node>";

static const char portal_xml[] =
  "<node>"
  "  <interface name='org.freedesktop.portal.Background'>"
  "    <method name='RequestBackground'>"
  "      <arg type='s' direction='in'/><arg type='a{sv}' direction='in'/>"
  "      <arg type='o' direction='out'/>"
  "    </method>"
  "    <property name='version' type='u' access='read'/>"
  "  </interface>"
  "</node>";

static void
notifications_method_cb (GDBusConnection       *connection,
                         const char            *sender,
                         const char            *object_path,
                         const char            *interface_name,
                         const char            *method_name,
                         GVariant              *parameters,
                         GDBusMethodInvocation *invocation,
                         gpointer               user_data)
{
  if (g_str_equal (method_name, "Notify"))
    {
      Notified *n = g_new0 (Notified, 1);
      const char *summary = NULL;
      const char *body = NULL;
      guint replaces = 0;

      g_variant_get (parameters, "(&su&s&s&s^as@a{sv}i)", NULL, &replaces, NULL, &summary, &body,
                     &n->actions, NULL, NULL);
      n->id = replaces != 0 ? replaces : ++desktop.next_id;
      n->summary = g_strdup (summary);
      n->body = g_strdup (body);
      g_test_message ("Notify #%u: %s — %s", n->id, summary, body);
      g_ptr_array_add (desktop.notified, n);
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(u)", n->id));
    }
  else if (g_str_equal (method_name, "CloseNotification"))
    g_dbus_method_invocation_return_value (invocation, NULL);
  else if (g_str_equal (method_name, "GetCapabilities"))
    {
      const char *caps[] = { "actions", "body", NULL };

      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(^as)", caps));
    }
  else
    g_dbus_method_invocation_return_value (invocation,
                                           g_variant_new ("(ssss)", "fake", "tandem-tests", "1", "1.2"));
}

typedef struct
{
  char     *path;
  char     *destination;
  gboolean  autostart;
} PendingResponse;

static gboolean
emit_response_cb (gpointer user_data)
{
  PendingResponse *pending = user_data;
  GVariantBuilder results;

  g_variant_builder_init (&results, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&results, "{sv}", "background", g_variant_new_boolean (TRUE));
  g_variant_builder_add (&results, "{sv}", "autostart", g_variant_new_boolean (pending->autostart));
  g_dbus_connection_emit_signal (desktop.bus, pending->destination, pending->path,
                                 "org.freedesktop.portal.Request", "Response",
                                 g_variant_new ("(ua{sv})", 0, &results), NULL);
  g_free (pending->path);
  g_free (pending->destination);
  g_free (pending);
  return G_SOURCE_REMOVE;
}

static void
portal_method_cb (GDBusConnection       *connection,
                  const char            *sender,
                  const char            *object_path,
                  const char            *interface_name,
                  const char            *method_name,
                  GVariant              *parameters,
                  GDBusMethodInvocation *invocation,
                  gpointer               user_data)
{
  g_autoptr(GVariant) options = NULL;
  BackgroundRequest *r = g_new0 (BackgroundRequest, 1);
  PendingResponse *pending = g_new0 (PendingResponse, 1);
  g_autofree char *sender_part = g_strdup (sender + 1);
  const char *token = "t";

  g_variant_get (parameters, "(&s@a{sv})", NULL, &options);
  g_variant_lookup (options, "autostart", "b", &r->autostart);
  g_variant_lookup (options, "reason", "s", &r->reason);
  g_variant_lookup (options, "commandline", "^as", &r->commandline);
  g_variant_lookup (options, "handle_token", "&s", &token);
  g_ptr_array_add (desktop.requests, r);
  g_test_message ("RequestBackground autostart=%d", r->autostart);

  g_strdelimit (sender_part, ".", '_');
  pending->destination = g_strdup (sender);
  pending->path = g_strdup_printf ("/org/freedesktop/portal/desktop/request/%s/%s", sender_part, token);
  pending->autostart = r->autostart;
  g_dbus_method_invocation_return_value (invocation, g_variant_new ("(o)", pending->path));
  g_timeout_add (50, emit_response_cb, pending);
}

static GVariant *
portal_get_property_cb (GDBusConnection  *connection,
                        const char       *sender,
                        const char       *object_path,
                        const char       *interface_name,
                        const char       *property_name,
                        GError          **error,
                        gpointer          user_data)
{
  return g_variant_new_uint32 (1);
}

static const GDBusInterfaceVTable notifications_vtable = { notifications_method_cb, NULL, NULL, { 0 } };
static const GDBusInterfaceVTable portal_vtable = { portal_method_cb, portal_get_property_cb, NULL, { 0 } };

static gboolean
name_has_owner (const char *name)
{
  g_autoptr(GVariant) reply = NULL;
  gboolean has = FALSE;

  reply = g_dbus_connection_call_sync (desktop.bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner",
                                       g_variant_new ("(s)", name), G_VARIANT_TYPE ("(b)"),
                                       G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL);
  if (reply != NULL)
    g_variant_get (reply, "(b)", &has);
  return has;
}

static void wait_until (gboolean (*done) (gpointer), gpointer data, guint seconds, const char *what);

static gboolean
name_owned (gpointer data)
{
  return name_has_owner (data);
}

static gboolean
name_gone (gpointer data)
{
  return !name_has_owner (data);
}

static void
desktop_up (void)
{
  g_autoptr(GDBusNodeInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  desktop.bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  desktop.notified = g_ptr_array_new_with_free_func ((GDestroyNotify) notified_free);
  desktop.requests = g_ptr_array_new_with_free_func ((GDestroyNotify) background_request_free);

  info = g_dbus_node_info_new_for_xml (notifications_xml, &error);
  g_assert_no_error (error);
  desktop.notifications_object =
    g_dbus_connection_register_object (desktop.bus, NOTIFICATIONS_PATH, info->interfaces[0],
                                       &notifications_vtable, NULL, NULL, &error);
  g_assert_no_error (error);
  desktop.notifications_owner = g_bus_own_name_on_connection (desktop.bus, NOTIFICATIONS_NAME,
                                                              G_BUS_NAME_OWNER_FLAGS_NONE,
                                                              NULL, NULL, NULL, NULL);
  g_clear_pointer (&info, g_dbus_node_info_unref);

  info = g_dbus_node_info_new_for_xml (portal_xml, &error);
  g_assert_no_error (error);
  desktop.portal_object =
    g_dbus_connection_register_object (desktop.bus, PORTAL_PATH, info->interfaces[0],
                                       &portal_vtable, NULL, NULL, &error);
  g_assert_no_error (error);

  wait_until (name_owned, (gpointer) NOTIFICATIONS_NAME, 10, "the fake notification server");
}

static void
desktop_set_portal (gboolean present)
{
  if (present && desktop.portal_owner == 0)
    {
      desktop.portal_owner = g_bus_own_name_on_connection (desktop.bus, PORTAL_NAME,
                                                           G_BUS_NAME_OWNER_FLAGS_NONE,
                                                           NULL, NULL, NULL, NULL);
      wait_until (name_owned, (gpointer) PORTAL_NAME, 10, "the fake portal");
    }
  else if (!present && desktop.portal_owner != 0)
    {
      g_bus_unown_name (desktop.portal_owner);
      desktop.portal_owner = 0;
      wait_until (name_gone, (gpointer) PORTAL_NAME, 10, "the fake portal to go");
    }
}

static void
desktop_clear (void)
{
  g_ptr_array_set_size (desktop.notified, 0);
  g_ptr_array_set_size (desktop.requests, 0);
}

static guint
count_notified (const char *summary_part)
{
  guint n = 0;

  for (guint i = 0; i < desktop.notified->len; i++)
    {
      Notified *notified = g_ptr_array_index (desktop.notified, i);

      if (summary_part == NULL || strstr (notified->summary, summary_part) != NULL)
        n++;
    }
  return n;
}

static Notified *
find_notified (const char *summary_part)
{
  for (guint i = 0; i < desktop.notified->len; i++)
    {
      Notified *notified = g_ptr_array_index (desktop.notified, i);

      if (strstr (notified->summary, summary_part) != NULL)
        return notified;
    }
  return NULL;
}

/* ---- waiting ------------------------------------------------------------------ */

static gboolean
on_timeout_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

static void
wait_until (gboolean  (*done) (gpointer),
            gpointer    data,
            guint       seconds,
            const char *what)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (seconds, on_timeout_cb, &timed_out);

  while (!done (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  if (timed_out && !done (data))
    g_error ("Timed out after %u s waiting for %s", seconds, what);
}

/* Lets everything (fakes, bus, child) go on for a while. */
static void
spin (guint ms)
{
  gboolean timed_out = FALSE;

  g_timeout_add (ms, on_timeout_cb, &timed_out);
  while (!timed_out)
    g_main_context_iteration (NULL, TRUE);
}

/* ---- the shops and the child -------------------------------------------------- */

typedef struct
{
  TdmFakeWebshop *web;
  TdmFakeShopify *shop;
  char           *dir;
  char           *keyfile;
} World;

typedef struct
{
  GSubprocess *process;
  gboolean     exited;
  int          status;
} Child;

static JsonObject *
object_from (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_assert_true (json_parser_load_from_data (parser, json, -1, NULL));
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static void
seed_webshop (World      *w,
              TdmKind     kind,
              const char *json)
{
  g_autoptr(JsonObject) o = object_from (json);

  g_free (tdm_fake_webshop_seed (w->web, kind, o));
}

static void
seed_shopify (World      *w,
              TdmKind     kind,
              const char *json)
{
  g_autoptr(JsonObject) o = object_from (json);

  g_free (tdm_fake_shopify_seed (w->shop, kind, o));
}

static void
world_write_settings (World      *w,
                      const char *extra)
{
  g_autofree char *contents = NULL;

  contents = g_strdup_printf ("[io/github/tandemsync/Tandem]\n"
                              "webshop-url='%s'\n"
                              "shopify-shop='%s'\n"
                              "shopify-client-id='%s'\n"
                              "%s",
                              tdm_fake_webshop_get_url (w->web),
                              tdm_fake_shopify_get_url (w->shop), CLIENT_ID,
                              extra != NULL ? extra : "");
  g_assert_true (g_file_set_contents (w->keyfile, contents, -1, NULL));
}

static World *
world_new (const char *settings)
{
  World *w = g_new0 (World, 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *keyfile_dir = NULL;

  w->dir = g_dir_make_tmp ("tandem-bg-XXXXXX", &error);
  g_assert_no_error (error);

  w->web = tdm_fake_webshop_new ();
  tdm_fake_webshop_set_auth (w->web, TDM_WEBSHOP_AUTH_BEARER, WEBSHOP_TOKEN);
  g_assert_true (tdm_fake_webshop_start (w->web, &error));
  w->shop = tdm_fake_shopify_new ();
  tdm_fake_shopify_set_credentials (w->shop, CLIENT_ID, CLIENT_SECRET, NULL);
  g_assert_true (tdm_fake_shopify_start (w->shop, &error));

  seed_webshop (w, TDM_KIND_CUSTOMER,
                "{\"email\": \"nett@example.no\", \"first_name\": \"Åse\", \"last_name\": \"Nett\"}");
  seed_shopify (w, TDM_KIND_CUSTOMER,
                "{\"firstName\": \"Bjørn\", \"lastName\": \"Butikk\","
                " \"defaultEmailAddress\": {\"emailAddress\": \"butikk@example.no\"}}");

  keyfile_dir = g_build_filename (w->dir, "config", "glib-2.0", "settings", NULL);
  g_assert_cmpint (g_mkdir_with_parents (keyfile_dir, 0700), ==, 0);
  w->keyfile = g_build_filename (keyfile_dir, "keyfile", NULL);
  world_write_settings (w, settings);
  return w;
}

/* The same customer in both shops with different names: under the `ask`
 * first-link policy the link keeps a conflict for the owner. */
static void
world_seed_twins (World *w)
{
  seed_webshop (w, TDM_KIND_CUSTOMER,
                "{\"email\": \"tvilling@example.no\", \"first_name\": \"Tvilling\", \"last_name\": \"Nettbutikk\"}");
  seed_shopify (w, TDM_KIND_CUSTOMER,
                "{\"firstName\": \"Tvilling\", \"lastName\": \"Shopify\","
                " \"defaultEmailAddress\": {\"emailAddress\": \"tvilling@example.no\"}}");
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
world_free (World *w)
{
  g_clear_object (&w->web);
  g_clear_object (&w->shop);
  remove_tree (w->dir);
  g_free (w->dir);
  g_free (w->keyfile);
  g_free (w);
}

static guint64
requests_so_far (World *w)
{
  return tdm_fake_webshop_get_request_log (w->web)->len +
         tdm_fake_shopify_get_request_total (w->shop);
}

static void
on_child_exit_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Child *child = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  child->status = g_subprocess_get_if_exited (G_SUBPROCESS (source))
                  ? g_subprocess_get_exit_status (G_SUBPROCESS (source)) : -1;
  child->exited = TRUE;
}

static Child *
spawn_tandem (World      *w,
              const char *webshop_secret,
              const char *arg)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_autofree char *config = g_build_filename (w->dir, "config", NULL);
  g_autofree char *state = g_build_filename (w->dir, "state", NULL);
  g_autofree char *exe = g_build_filename (g_getenv ("TANDEM_BUILD_DIR"), "src", "tandem", NULL);
  g_autoptr(GError) error = NULL;
  Child *child = g_new0 (Child, 1);

  g_subprocess_launcher_setenv (launcher, "GSETTINGS_BACKEND", "keyfile", TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", config, TRUE);
  g_subprocess_launcher_setenv (launcher, "TANDEM_STATE_DIR", state, TRUE);
  g_subprocess_launcher_setenv (launcher, "TANDEM_CONFIG_DIR", config, TRUE);
  g_subprocess_launcher_setenv (launcher, "TANDEM_SYNC_INTERVAL_SECONDS", "2", TRUE);
  g_subprocess_launcher_setenv (launcher, "TANDEM_DEMO", "1", TRUE);
  g_subprocess_launcher_setenv (launcher, "TANDEM_DEMO_WEBSHOP_SECRET", webshop_secret, TRUE);
  g_subprocess_launcher_setenv (launcher, "TANDEM_DEMO_SHOPIFY_SECRET", CLIENT_SECRET, TRUE);
  g_subprocess_launcher_unsetenv (launcher, "GTK_USE_PORTAL");
  child->process = g_subprocess_launcher_spawn (launcher, &error, exe, arg, NULL);
  g_assert_no_error (error);
  g_subprocess_wait_async (child->process, NULL, on_child_exit_cb, child);
  return child;
}

static gboolean
child_exited (gpointer data)
{
  return ((Child *) data)->exited;
}

static void
child_free (Child *child)
{
  if (!child->exited)
    {
      g_subprocess_force_exit (child->process);
      wait_until (child_exited, child, 10, "a killed child");
    }
  g_object_unref (child->process);
  g_free (child);
}

static char *
app_object_path (void)
{
  g_autofree char *path = g_strconcat ("/", APP_ID, NULL);

  g_strdelimit (path, ".", '/');
  return g_steal_pointer (&path);
}

static gboolean
app_registered (gpointer data)
{
  return name_has_owner (APP_ID);
}

/* Activates app.quit as the desktop would (org.gtk.Actions). */
static void
quit_tandem (Child *child)
{
  g_autofree char *path = app_object_path ();
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = g_dbus_connection_call_sync (desktop.bus, APP_ID, path, "org.gtk.Actions", "Activate",
                                       g_variant_new ("(sava{sv})", "quit", NULL, NULL),
                                       NULL, G_DBUS_CALL_FLAGS_NONE, 10000, NULL, &error);
  g_assert_no_error (error);
  wait_until (child_exited, child, 20, "Tandem to quit");
  g_assert_cmpint (child->status, ==, 0);
  wait_until (name_gone, (gpointer) APP_ID, 10, "Tandem's bus name to go");
}

/* ---- X11: the child's windows ------------------------------------------------- */

static Display *display;

static gboolean
window_belongs_to (Window win,
                   GPid   pid)
{
  Atom pid_atom = XInternAtom (display, "_NET_WM_PID", False);
  Atom type = None;
  int format = 0;
  unsigned long n = 0;
  unsigned long after = 0;
  unsigned char *data = NULL;
  gboolean mine = FALSE;

  if (XGetWindowProperty (display, win, pid_atom, 0, 1, False, XA_CARDINAL, &type, &format,
                          &n, &after, &data) == Success && data != NULL)
    {
      if (format == 32 && n == 1)
        mine = (GPid) *(unsigned long *) data == pid;
      XFree (data);
    }
  return mine;
}

/* A window listed a moment ago may be gone when it is asked about (the
 * child closes windows on its own): that is an answer, not a failure.
 * Xlib's default handler would end the test program. */
static int
ignore_vanished_window (Display     *dpy,
                        XErrorEvent *event)
{
  if (event->error_code == BadWindow || event->error_code == BadDrawable)
    return 0;
  g_error ("X error %d (request %d)", event->error_code, event->request_code);
  return 0;
}

/* The first mapped top-level window of `child`, or None. */
static Window
find_window (Child *child)
{
  GPid pid = (GPid) g_ascii_strtoll (g_subprocess_get_identifier (child->process), NULL, 10);
  Window root_return, parent_return;
  Window *children = NULL;
  unsigned int n = 0;
  Window found = None;

  XSync (display, False);
  if (!XQueryTree (display, DefaultRootWindow (display), &root_return, &parent_return, &children, &n))
    return None;
  for (unsigned int i = 0; i < n && found == None; i++)
    {
      XWindowAttributes attrs;

      if (XGetWindowAttributes (display, children[i], &attrs) && attrs.map_state == IsViewable &&
          window_belongs_to (children[i], pid))
        found = children[i];
    }
  if (children != NULL)
    XFree (children);
  return found;
}

static gboolean
has_window (gpointer data)
{
  Child *child = data;

  return !child->exited && find_window (child) != None;
}

static gboolean
has_no_window (gpointer data)
{
  Child *child = data;

  return child->exited || find_window (child) == None;
}

/* What a window manager's close button does. */
static void
close_window (Child *child)
{
  Window win = find_window (child);
  XEvent event = { 0 };

  g_assert_true (win != None);
  event.xclient.type = ClientMessage;
  event.xclient.window = win;
  event.xclient.message_type = XInternAtom (display, "WM_PROTOCOLS", False);
  event.xclient.format = 32;
  event.xclient.data.l[0] = (long) XInternAtom (display, "WM_DELETE_WINDOW", False);
  event.xclient.data.l[1] = CurrentTime;
  XSendEvent (display, win, False, NoEventMask, &event);
  XFlush (display);
  wait_until (has_no_window, child, 10, "the window to close");
}

static gboolean
skip_without_desktop (void)
{
  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    {
      g_test_skip ("No private session bus (run under dbus-run-session).");
      return TRUE;
    }
  if (display == NULL)
    {
      g_test_skip ("No X11 display (run under xvfb-run).");
      return TRUE;
    }
  return FALSE;
}

/* ---- tests --------------------------------------------------------------------- */

typedef struct
{
  World   *world;
  guint64  mark;
} Progress;

static gboolean
requests_grew (gpointer data)
{
  Progress *p = data;

  return requests_so_far (p->world) > p->mark;
}

static gboolean
customer_reached_shopify (gpointer data)
{
  World *w = data;

  return tdm_fake_shopify_count (w->shop, TDM_KIND_CUSTOMER) >= 2;
}

static void
test_close_keeps_running (void)
{
  World *w;
  Child *child;
  Progress progress = { 0 };

  if (skip_without_desktop ())
    return;

  w = world_new ("run-in-background=true\n");
  desktop_clear ();
  child = spawn_tandem (w, WEBSHOP_TOKEN, NULL);
  wait_until (has_window, child, 30, "Tandem's window");
  close_window (child);

  /* Still running, and the timer keeps syncing with the window closed. */
  progress.world = w;
  progress.mark = requests_so_far (w);
  wait_until (requests_grew, &progress, 20, "a timer run after the window closed");
  wait_until (customer_reached_shopify, w, 30, "the webshop customer in Shopify");
  progress.mark = requests_so_far (w);
  wait_until (requests_grew, &progress, 20, "a second timer run");
  g_assert_false (child->exited);
  g_assert_true (find_window (child) == None);

  /* A clean run under the default policies needs nobody. */
  g_assert_cmpuint (count_notified (NULL), ==, 0);

  quit_tandem (child);
  child_free (child);
  world_free (w);
}

static void
test_close_quits (void)
{
  World *w;
  Child *child;

  if (skip_without_desktop ())
    return;

  w = world_new ("run-in-background=false\n");
  child = spawn_tandem (w, WEBSHOP_TOKEN, NULL);
  wait_until (has_window, child, 30, "Tandem's window");
  close_window (child);
  wait_until (child_exited, child, 30, "Tandem to end after its window closed");
  g_assert_cmpint (child->status, ==, 0);
  wait_until (name_gone, (gpointer) APP_ID, 10, "Tandem's bus name to go");

  child_free (child);
  world_free (w);
}

static void
test_second_launch_activates (void)
{
  World *w;
  Child *first;
  Child *second;

  if (skip_without_desktop ())
    return;

  w = world_new ("run-in-background=true\n");
  first = spawn_tandem (w, WEBSHOP_TOKEN, NULL);
  wait_until (has_window, first, 30, "the first instance's window");
  close_window (first);
  g_assert_false (first->exited);

  second = spawn_tandem (w, WEBSHOP_TOKEN, NULL);
  wait_until (child_exited, second, 30, "the second launch to hand over and end");
  g_assert_cmpint (second->status, ==, 0);

  /* The first instance opened its window again; the second never had one. */
  wait_until (has_window, first, 20, "the first instance's window to come back");
  g_assert_false (first->exited);

  /* `tandem --background` while Tandem runs does nothing and ends. */
  close_window (first);
  {
    Child *third = spawn_tandem (w, WEBSHOP_TOKEN, "--background");

    wait_until (child_exited, third, 30, "tandem --background to end");
    g_assert_cmpint (third->status, ==, 0);
    spin (1000);
    g_assert_true (find_window (first) == None);
    child_free (third);
  }

  quit_tandem (first);
  child_free (first);
  child_free (second);
  world_free (w);
}

static gboolean
has_notification (gpointer data)
{
  return find_notified (data) != NULL;
}

static void
test_background_start_notifies_conflict (void)
{
  World *w;
  Child *child;
  Notified *notified;
  gboolean has_default = FALSE;

  if (skip_without_desktop ())
    return;

  w = world_new ("run-in-background=false\nfirst-link-policy='ask'\nconflict-policy='ask'\n");
  world_seed_twins (w);
  desktop_clear ();

  child = spawn_tandem (w, WEBSHOP_TOKEN, "--background");
  wait_until (app_registered, NULL, 30, "Tandem on the bus");
  wait_until (has_notification, (gpointer) "Conflict", 30, "a conflict notification");
  g_assert_false (child->exited);
  g_assert_true (find_window (child) == None);

  notified = find_notified ("Conflict");
  g_assert_nonnull (strstr (notified->body, "1 record"));
  for (guint i = 0; notified->actions[i] != NULL; i += 2)
    has_default |= g_str_equal (notified->actions[i], "default");
  g_assert_true (has_default);

  /* The same open conflict is not news on the next ticks. */
  {
    Progress progress = { w, requests_so_far (w) };

    wait_until (requests_grew, &progress, 20, "another timer run");
    spin (3000);
  }
  g_assert_cmpuint (count_notified ("Conflict"), ==, 1);
  g_assert_cmpuint (count_notified ("Sign In"), ==, 0);

  /* Clicking it opens the window. */
  g_dbus_connection_emit_signal (desktop.bus, NULL, NOTIFICATIONS_PATH, NOTIFICATIONS_NAME,
                                 "ActionInvoked", g_variant_new ("(us)", notified->id, "default"),
                                 NULL);
  wait_until (has_window, child, 20, "the window after clicking the notification");

  /* Now a window session with run-in-background off: closing quits. */
  close_window (child);
  wait_until (child_exited, child, 30, "Tandem to end after its window closed");
  g_assert_cmpint (child->status, ==, 0);
  wait_until (name_gone, (gpointer) APP_ID, 10, "Tandem's bus name to go");

  child_free (child);
  world_free (w);
}

static void
test_rejected_credentials_notify (void)
{
  World *w;
  Child *child;
  Notified *notified;

  if (skip_without_desktop ())
    return;

  w = world_new ("run-in-background=true\n");
  desktop_clear ();

  child = spawn_tandem (w, WRONG_TOKEN, "--background");
  wait_until (has_notification, (gpointer) "Sign In", 30, "a rejected-credentials notification");
  notified = find_notified ("Sign In");
  g_assert_null (strstr (notified->body, WRONG_TOKEN));
  g_assert_null (strstr (notified->body, WEBSHOP_TOKEN));
  g_assert_null (strstr (notified->body, CLIENT_SECRET));

  /* Failing again on the next tick (back-off: 4 s) does not repeat it. */
  {
    Progress progress = { w, requests_so_far (w) };

    wait_until (requests_grew, &progress, 20, "another failing run");
    spin (2000);
  }
  g_assert_cmpuint (count_notified ("Sign In"), ==, 1);
  g_assert_cmpuint (count_notified ("Conflict"), ==, 0);
  g_assert_true (find_window (child) == None);

  quit_tandem (child);
  child_free (child);
  world_free (w);
}

/* A webshop customer whose email Shopify cannot take is held back with a
 * record error; an API version past its support window is flagged. Both
 * lead to Preferences or Activity when clicked. */
static void
test_record_error_and_api_version_notify (void)
{
  World *w;
  Child *child;
  Notified *notified;

  if (skip_without_desktop ())
    return;

  w = world_new ("run-in-background=true\nshopify-api-version='2025-07'\n");
  seed_webshop (w, TDM_KIND_CUSTOMER,
                "{\"email\": \"broken-at-example\", \"first_name\": \"Feil\", \"last_name\": \"Adresse\"}");
  desktop_clear ();

  child = spawn_tandem (w, WEBSHOP_TOKEN, "--background");
  wait_until (has_notification, (gpointer) "Not Synced", 30, "a record-error notification");
  wait_until (has_notification, (gpointer) "API Version", 30, "an API version notification");
  notified = find_notified ("API Version");
  g_assert_nonnull (strstr (notified->body, "2025-07"));

  /* Neither repeats on the next ticks. */
  {
    Progress progress = { w, requests_so_far (w) };

    wait_until (requests_grew, &progress, 20, "another timer run");
    spin (3000);
  }
  g_assert_cmpuint (count_notified ("Not Synced"), ==, 1);
  g_assert_cmpuint (count_notified ("API Version"), ==, 1);
  g_assert_cmpuint (count_notified ("Sign In"), ==, 0);
  g_assert_true (find_window (child) == None);

  /* Clicking the record-error one opens the window on the Activity page
   * (the window saves its page when it closes). */
  notified = find_notified ("Not Synced");
  g_dbus_connection_emit_signal (desktop.bus, NULL, NOTIFICATIONS_PATH, NOTIFICATIONS_NAME,
                                 "ActionInvoked", g_variant_new ("(us)", notified->id, "default"),
                                 NULL);
  wait_until (has_window, child, 20, "a window after clicking the notification");
  spin (500);
  close_window (child);
  g_assert_false (child->exited);
  {
    g_autoptr(GKeyFile) keyfile = g_key_file_new ();
    g_autofree char *page = NULL;

    spin (500);
    g_assert_true (g_key_file_load_from_file (keyfile, w->keyfile, G_KEY_FILE_NONE, NULL));
    page = g_key_file_get_string (keyfile, "io/github/tandemsync/Tandem", "last-page", NULL);
    g_assert_cmpstr (page, ==, "'activity'");
  }

  quit_tandem (child);
  child_free (child);
  world_free (w);
}

static gboolean
has_requests (gpointer data)
{
  return desktop.requests->len >= GPOINTER_TO_UINT (data);
}

static void
test_autostart_portal (void)
{
  World *w;
  Child *child;
  BackgroundRequest *r;

  if (skip_without_desktop ())
    return;

  desktop_set_portal (TRUE);
  w = world_new ("run-in-background=true\n");
  desktop_clear ();

  child = spawn_tandem (w, WEBSHOP_TOKEN, "--background");
  wait_until (has_requests, GUINT_TO_POINTER (1), 30, "a Background portal request");
  r = g_ptr_array_index (desktop.requests, 0);
  g_assert_true (r->autostart);
  g_assert_nonnull (r->reason);
  g_assert_cmpstr (r->reason, !=, "");
  g_assert_nonnull (r->commandline);
  g_assert_cmpuint (g_strv_length (r->commandline), ==, 2);
  g_assert_cmpstr (r->commandline[0], ==, "tandem");
  g_assert_cmpstr (r->commandline[1], ==, "--background");

  /* Turning the setting off withdraws autostart. */
  world_write_settings (w, "run-in-background=false\n");
  wait_until (has_requests, GUINT_TO_POINTER (2), 30, "autostart to be withdrawn");
  r = g_ptr_array_index (desktop.requests, 1);
  g_assert_false (r->autostart);
  g_assert_false (child->exited);

  quit_tandem (child);
  child_free (child);
  world_free (w);
  desktop_set_portal (FALSE);
}

static void
test_no_portal_is_not_fatal (void)
{
  World *w;
  Child *child;

  if (skip_without_desktop ())
    return;

  desktop_set_portal (FALSE);
  w = world_new ("run-in-background=true\n");
  desktop_clear ();

  child = spawn_tandem (w, WEBSHOP_TOKEN, "--background");
  wait_until (customer_reached_shopify, w, 30, "a timer run without any portal");
  g_assert_false (child->exited);
  g_assert_cmpuint (desktop.requests->len, ==, 0);

  quit_tandem (child);
  child_free (child);
  world_free (w);
}

int
main (int   argc,
      char *argv[])
{
  int result;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  if (g_getenv ("DISPLAY") != NULL)
    display = XOpenDisplay (NULL);
  if (display != NULL)
    XSetErrorHandler (ignore_vanished_window);
  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") != NULL)
    desktop_up ();

  g_test_add_func ("/background/close-keeps-running", test_close_keeps_running);
  g_test_add_func ("/background/close-quits", test_close_quits);
  g_test_add_func ("/background/second-launch-activates", test_second_launch_activates);
  g_test_add_func ("/background/notify-conflict", test_background_start_notifies_conflict);
  g_test_add_func ("/background/notify-rejected-credentials", test_rejected_credentials_notify);
  g_test_add_func ("/background/notify-record-error-and-api-version", test_record_error_and_api_version_notify);
  g_test_add_func ("/background/autostart-portal", test_autostart_portal);
  g_test_add_func ("/background/no-portal", test_no_portal_is_not_fatal);

  result = g_test_run ();

  if (display != NULL)
    XCloseDisplay (display);
  return result;
}
