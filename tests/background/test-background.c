/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-test-background"

#include "config.h"

#include <string.h>

#include "tdm-test-desktop.h"
#include "tdm-test-settings.h"
#include "tdm-test-world.h"
#include "tdm-test-x11.h"

/* Background running (docs/architecture.md), end to end: the real `tandem`
 * runs as a child under Xvfb on the private session bus of dbus-run-session,
 * against both fakes in this process. This process also plays the desktop:
 * it owns org.freedesktop.Notifications (GApplication's freedesktop backend
 * talks to it when nobody owns org.gtk.Notifications) and, in some tests,
 * org.freedesktop.portal.Desktop with a Background portal. Windows are
 * found and closed through X11 (WM_DELETE_WINDOW, as a window manager's
 * close button does). */

#define WEBSHOP_TOKEN  "bg-test-token-5521"
#define CLIENT_ID      "bg-client"
#define CLIENT_SECRET  "bg-secret-8830"
#define WRONG_TOKEN    "bg-wrong-token-0000"

#define NOTIFICATIONS_NAME "org.freedesktop.Notifications"
#define NOTIFICATIONS_PATH "/org/freedesktop/Notifications"

/* ---- The fake desktop on the session bus ---- */

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
  GDBusConnection *bus;
  GPtrArray       *notified;   /* Notified* */
  TdmTestPortal   *portal;
  guint            next_id;
  guint            notifications_owner;
  guint            notifications_object;
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

static const GDBusInterfaceVTable notifications_vtable = { notifications_method_cb, NULL, NULL, { 0 } };

static void
desktop_up (void)
{
  g_autoptr(GDBusNodeInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  desktop.bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  desktop.notified = g_ptr_array_new_with_free_func ((GDestroyNotify) notified_free);

  info = g_dbus_node_info_new_for_xml (notifications_xml, &error);
  g_assert_no_error (error);
  desktop.notifications_object =
    g_dbus_connection_register_object (desktop.bus, NOTIFICATIONS_PATH, info->interfaces[0],
                                       &notifications_vtable, NULL, NULL, &error);
  g_assert_no_error (error);
  desktop.notifications_owner = g_bus_own_name_on_connection (desktop.bus, NOTIFICATIONS_NAME,
                                                              G_BUS_NAME_OWNER_FLAGS_NONE,
                                                              NULL, NULL, NULL, NULL);
  desktop.portal = tdm_test_portal_new (desktop.bus);
  tdm_test_bus_wait_name (desktop.bus, NOTIFICATIONS_NAME, TRUE);
}

static void
desktop_clear (void)
{
  g_ptr_array_set_size (desktop.notified, 0);
  g_ptr_array_set_size (desktop.portal->requests, 0);
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

/* ---- The shops and the child ---- */

/* Both shops with one customer each, the child's settings pointing at them
 * plus `settings`. */
static TdmTestWorld *
world_new (const char *settings)
{
  TdmTestWorld *w = tdm_test_world_new ("bg", WEBSHOP_TOKEN, CLIENT_ID, CLIENT_SECRET);

  g_free (tdm_test_world_seed_webshop (w, TDM_KIND_CUSTOMER,
                                       "{\"email\": \"nett@example.no\", \"first_name\": \"Åse\", \"last_name\": \"Nett\"}"));
  g_free (tdm_test_world_seed_shopify (w, TDM_KIND_CUSTOMER,
                                       "{\"firstName\": \"Bjørn\", \"lastName\": \"Butikk\","
                                       " \"defaultEmailAddress\": {\"emailAddress\": \"butikk@example.no\"}}"));
  tdm_test_world_write_settings (w, settings);
  return w;
}

/* The same customer in both shops with different names: under the `ask`
 * first-link policy the link keeps a conflict for the owner. */
static void
world_seed_twins (TdmTestWorld *w)
{
  g_free (tdm_test_world_seed_webshop (w, TDM_KIND_CUSTOMER,
                                       "{\"email\": \"tvilling@example.no\", \"first_name\": \"Tvilling\", \"last_name\": \"Nettbutikk\"}"));
  g_free (tdm_test_world_seed_shopify (w, TDM_KIND_CUSTOMER,
                                       "{\"firstName\": \"Tvilling\", \"lastName\": \"Shopify\","
                                       " \"defaultEmailAddress\": {\"emailAddress\": \"tvilling@example.no\"}}"));
}

/* `tandem` with `arg` (may be NULL), its timer ticking every 2 s. */
static TdmTestChild *
spawn_tandem (TdmTestWorld *w,
              const char   *webshop_secret,
              const char   *arg)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;

  launcher = tdm_test_world_launcher (w, G_SUBPROCESS_FLAGS_STDOUT_SILENCE, webshop_secret,
                                      CLIENT_SECRET);
  g_subprocess_launcher_setenv (launcher, "TANDEM_SYNC_INTERVAL_SECONDS", "2", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "GTK_USE_PORTAL");
  return tdm_test_child_spawn_tandem (launcher, arg, NULL);
}

static gboolean
app_registered (gpointer data)
{
  return tdm_test_bus_has_owner (desktop.bus, APP_ID);
}

static char *
app_object_path (void)
{
  g_autofree char *path = g_strconcat ("/", APP_ID, NULL);

  g_strdelimit (path, ".", '/');
  return g_steal_pointer (&path);
}

/* Activates app.quit as the desktop would (org.gtk.Actions). */
static void
quit_tandem (TdmTestChild *child)
{
  g_autofree char *path = app_object_path ();
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = g_dbus_connection_call_sync (desktop.bus, APP_ID, path, "org.gtk.Actions", "Activate",
                                       g_variant_new ("(sava{sv})", "quit", NULL, NULL),
                                       NULL, G_DBUS_CALL_FLAGS_NONE, 10000, NULL, &error);
  g_assert_no_error (error);
  tdm_test_wait_until (tdm_test_child_exited, child, 20, "Tandem to quit");
  g_assert_cmpint (child->status, ==, 0);
  tdm_test_bus_wait_name (desktop.bus, APP_ID, FALSE);
}

/* ---- The child's windows ---- */

static Display *display;

static Window
find_window (TdmTestChild *child)
{
  GPid pid = (GPid) g_ascii_strtoll (g_subprocess_get_identifier (child->process), NULL, 10);

  return tdm_test_x11_find_window (display, pid);
}

static gboolean
has_window (gpointer data)
{
  TdmTestChild *child = data;

  return !child->exited && find_window (child) != None;
}

static gboolean
has_no_window (gpointer data)
{
  TdmTestChild *child = data;

  return child->exited || find_window (child) == None;
}

/* What a window manager's close button does. */
static void
close_window (TdmTestChild *child)
{
  Window win = find_window (child);

  g_assert_true (win != None);
  tdm_test_x11_close_window (display, win);
  tdm_test_wait_until (has_no_window, child, 10, "the window to close");
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

/* ---- Tests ---- */

typedef struct
{
  TdmTestWorld *world;
  guint64       mark;
} Progress;

static gboolean
requests_grew (gpointer data)
{
  Progress *p = data;

  return tdm_test_world_requests (p->world) > p->mark;
}

/* Waits until the shops see a request again: another run (`what`) started. */
static void
wait_for_another_run (TdmTestWorld *w,
                      const char   *what)
{
  Progress progress = { w, tdm_test_world_requests (w) };

  g_assert (w != NULL);
  tdm_test_wait_until (requests_grew, &progress, 20, what);
}

/* Closing the window of a window session ends Tandem cleanly, and its name
 * leaves the bus. */
static void
close_window_ends_tandem (TdmTestChild *child)
{
  g_assert (child != NULL);
  close_window (child);
  tdm_test_wait_until (tdm_test_child_exited, child, 30, "Tandem to end after its window closed");
  g_assert_cmpint (child->status, ==, 0);
  tdm_test_bus_wait_name (desktop.bus, APP_ID, FALSE);
}

static gboolean
customer_reached_shopify (gpointer data)
{
  TdmTestWorld *w = data;

  return tdm_fake_shopify_count (w->shop, TDM_KIND_CUSTOMER) >= 2;
}

static void
test_close_keeps_running (void)
{
  TdmTestWorld *w;
  TdmTestChild *child;

  if (skip_without_desktop ())
    return;

  w = world_new ("run-in-background=true\n");
  desktop_clear ();
  child = spawn_tandem (w, WEBSHOP_TOKEN, NULL);
  tdm_test_wait_until (has_window, child, 30, "Tandem's window");
  close_window (child);

  /* Still running, and the timer keeps syncing with the window closed. */
  wait_for_another_run (w, "a timer run after the window closed");
  tdm_test_wait_until (customer_reached_shopify, w, 30, "the webshop customer in Shopify");
  wait_for_another_run (w, "a second timer run");
  g_assert_false (child->exited);
  g_assert_true (find_window (child) == None);

  /* A clean run under the default policies needs nobody. */
  g_assert_cmpuint (count_notified (NULL), ==, 0);

  quit_tandem (child);
  tdm_test_child_free (child);
  tdm_test_world_free (w);
}

static void
test_close_quits (void)
{
  TdmTestWorld *w;
  TdmTestChild *child;

  if (skip_without_desktop ())
    return;

  w = world_new ("run-in-background=false\n");
  child = spawn_tandem (w, WEBSHOP_TOKEN, NULL);
  tdm_test_wait_until (has_window, child, 30, "Tandem's window");
  close_window_ends_tandem (child);

  tdm_test_child_free (child);
  tdm_test_world_free (w);
}

static void
test_second_launch_activates (void)
{
  TdmTestWorld *w;
  TdmTestChild *first;
  TdmTestChild *second;

  if (skip_without_desktop ())
    return;

  w = world_new ("run-in-background=true\n");
  first = spawn_tandem (w, WEBSHOP_TOKEN, NULL);
  tdm_test_wait_until (has_window, first, 30, "the first instance's window");
  close_window (first);
  g_assert_false (first->exited);

  second = spawn_tandem (w, WEBSHOP_TOKEN, NULL);
  tdm_test_wait_until (tdm_test_child_exited, second, 30, "the second launch to hand over and end");
  g_assert_cmpint (second->status, ==, 0);

  /* The first instance opened its window again; the second never had one. */
  tdm_test_wait_until (has_window, first, 20, "the first instance's window to come back");
  g_assert_false (first->exited);

  /* `tandem --background` while Tandem runs does nothing and ends. */
  close_window (first);
  {
    TdmTestChild *third = spawn_tandem (w, WEBSHOP_TOKEN, "--background");

    tdm_test_wait_until (tdm_test_child_exited, third, 30, "tandem --background to end");
    g_assert_cmpint (third->status, ==, 0);
    tdm_test_spin (1000);
    g_assert_true (find_window (first) == None);
    tdm_test_child_free (third);
  }

  quit_tandem (first);
  tdm_test_child_free (first);
  tdm_test_child_free (second);
  tdm_test_world_free (w);
}

static gboolean
has_notification (gpointer data)
{
  return find_notified (data) != NULL;
}

static void
test_background_start_notifies_conflict (void)
{
  TdmTestWorld *w;
  TdmTestChild *child;
  Notified *notified;
  gboolean has_default = FALSE;

  if (skip_without_desktop ())
    return;

  w = world_new ("run-in-background=false\nfirst-link-policy='ask'\nconflict-policy='ask'\n");
  world_seed_twins (w);
  desktop_clear ();

  child = spawn_tandem (w, WEBSHOP_TOKEN, "--background");
  tdm_test_wait_until (app_registered, NULL, 30, "Tandem on the bus");
  tdm_test_wait_until (has_notification, (gpointer) "Conflict", 30, "a conflict notification");
  g_assert_false (child->exited);
  g_assert_true (find_window (child) == None);

  notified = find_notified ("Conflict");
  g_assert_nonnull (strstr (notified->body, "1 record"));
  for (guint i = 0; notified->actions[i] != NULL; i += 2)
    has_default |= g_str_equal (notified->actions[i], "default");
  g_assert_true (has_default);

  /* The same open conflict is not news on the next ticks. */
  wait_for_another_run (w, "another timer run");
  tdm_test_spin (3000);
  g_assert_cmpuint (count_notified ("Conflict"), ==, 1);
  g_assert_cmpuint (count_notified ("Sign In"), ==, 0);

  /* Clicking it opens the window. */
  g_dbus_connection_emit_signal (desktop.bus, NULL, NOTIFICATIONS_PATH, NOTIFICATIONS_NAME,
                                 "ActionInvoked", g_variant_new ("(us)", notified->id, "default"),
                                 NULL);
  tdm_test_wait_until (has_window, child, 20, "the window after clicking the notification");

  /* Now a window session with run-in-background off: closing quits. */
  close_window_ends_tandem (child);

  tdm_test_child_free (child);
  tdm_test_world_free (w);
}

static void
test_rejected_credentials_notify (void)
{
  TdmTestWorld *w;
  TdmTestChild *child;
  Notified *notified;

  if (skip_without_desktop ())
    return;

  w = world_new ("run-in-background=true\n");
  desktop_clear ();

  child = spawn_tandem (w, WRONG_TOKEN, "--background");
  tdm_test_wait_until (has_notification, (gpointer) "Sign In", 30, "a rejected-credentials notification");
  notified = find_notified ("Sign In");
  g_assert_null (strstr (notified->body, WRONG_TOKEN));
  g_assert_null (strstr (notified->body, WEBSHOP_TOKEN));
  g_assert_null (strstr (notified->body, CLIENT_SECRET));

  /* Failing again on the next tick (back-off: 4 s) does not repeat it. */
  wait_for_another_run (w, "another failing run");
  tdm_test_spin (2000);
  g_assert_cmpuint (count_notified ("Sign In"), ==, 1);
  g_assert_cmpuint (count_notified ("Conflict"), ==, 0);
  g_assert_true (find_window (child) == None);

  quit_tandem (child);
  tdm_test_child_free (child);
  tdm_test_world_free (w);
}

/* A webshop customer whose email Shopify cannot take is held back with a
 * record error; an API version past its support window is flagged. Both
 * lead to Preferences or Activity when clicked. */
static void
test_record_error_and_api_version_notify (void)
{
  TdmTestWorld *w;
  TdmTestChild *child;
  Notified *notified;

  if (skip_without_desktop ())
    return;

  w = world_new ("run-in-background=true\nshopify-api-version='2025-07'\n");
  g_free (tdm_test_world_seed_webshop (w, TDM_KIND_CUSTOMER,
                                       "{\"email\": \"broken-at-example\", \"first_name\": \"Feil\", \"last_name\": \"Adresse\"}"));
  desktop_clear ();

  child = spawn_tandem (w, WEBSHOP_TOKEN, "--background");
  tdm_test_wait_until (has_notification, (gpointer) "Not Synced", 30, "a record-error notification");
  tdm_test_wait_until (has_notification, (gpointer) "API Version", 30, "an API version notification");
  notified = find_notified ("API Version");
  g_assert_nonnull (strstr (notified->body, "2025-07"));

  /* Neither repeats on the next ticks. */
  wait_for_another_run (w, "another timer run");
  tdm_test_spin (3000);
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
  tdm_test_wait_until (has_window, child, 20, "a window after clicking the notification");
  tdm_test_spin (500);
  close_window (child);
  g_assert_false (child->exited);
  {
    g_autofree char *page = NULL;

    tdm_test_spin (500);
    page = tdm_test_settings_read (w->keyfile, "last-page");
    g_assert_cmpstr (page, ==, "'activity'");
  }

  quit_tandem (child);
  tdm_test_child_free (child);
  tdm_test_world_free (w);
}

static gboolean
has_requests (gpointer data)
{
  return desktop.portal->requests->len >= GPOINTER_TO_UINT (data);
}

static void
test_autostart_portal (void)
{
  TdmTestWorld *w;
  TdmTestChild *child;
  TdmTestPortalRequest *r;

  if (skip_without_desktop ())
    return;

  tdm_test_portal_set_present (desktop.portal, TRUE);
  w = world_new ("run-in-background=true\n");
  desktop_clear ();

  child = spawn_tandem (w, WEBSHOP_TOKEN, "--background");
  tdm_test_wait_until (has_requests, GUINT_TO_POINTER (1), 30, "a Background portal request");
  r = g_ptr_array_index (desktop.portal->requests, 0);
  g_assert_true (r->autostart);
  g_assert_nonnull (r->reason);
  g_assert_cmpstr (r->reason, !=, "");
  g_assert_nonnull (r->commandline);
  g_assert_cmpuint (g_strv_length (r->commandline), ==, 2);
  g_assert_cmpstr (r->commandline[0], ==, "tandem");
  g_assert_cmpstr (r->commandline[1], ==, "--background");

  /* Turning the setting off withdraws autostart. */
  tdm_test_world_write_settings (w, "run-in-background=false\n");
  tdm_test_wait_until (has_requests, GUINT_TO_POINTER (2), 30, "autostart to be withdrawn");
  r = g_ptr_array_index (desktop.portal->requests, 1);
  g_assert_false (r->autostart);
  g_assert_false (child->exited);

  quit_tandem (child);
  tdm_test_child_free (child);
  tdm_test_world_free (w);
  tdm_test_portal_set_present (desktop.portal, FALSE);
}

static void
test_no_portal_is_not_fatal (void)
{
  TdmTestWorld *w;
  TdmTestChild *child;

  if (skip_without_desktop ())
    return;

  tdm_test_portal_set_present (desktop.portal, FALSE);
  w = world_new ("run-in-background=true\n");
  desktop_clear ();

  child = spawn_tandem (w, WEBSHOP_TOKEN, "--background");
  tdm_test_wait_until (customer_reached_shopify, w, 30, "a timer run without any portal");
  g_assert_false (child->exited);
  g_assert_cmpuint (desktop.portal->requests->len, ==, 0);

  quit_tandem (child);
  tdm_test_child_free (child);
  tdm_test_world_free (w);
}

int
main (int   argc,
      char *argv[])
{
  int result;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  display = tdm_test_x11_open ();
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
