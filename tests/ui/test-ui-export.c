/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-test-ui-export"

#include "config.h"

#include <gio/gunixfdlist.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "tdm-test-desktop.h"
#include "tdm-test-tree.h"
#include "tdm-ui-fixture.h"

/* The CSV exports as the owner meets them in a Flatpak, from the Export
 * button on: the file chooser (the FileChooser portal) is asked to start
 * in the Documents folder (home when there is none), never in the working
 * directory, and the toast that says the export is done has an Open button
 * that opens the file (the OpenURI portal). The desktop is played by the
 * test process: user-dirs.dirs names the Documents folder, and a fake
 * xdg-desktop-portal on the test's private bus answers as the owner would
 * (tdm-test-desktop.h, tdm-ui-fixture.h). GTK and GLib go through the portals because main()
 * sets GDK_DEBUG=portals and GTK_USE_PORTAL=1, as a sandbox does. */

/* ---- The Documents folder ---- */

/* Named in user-dirs.dirs, as xdg-user-dirs does. GLib 2.74 reads that
 * file from /dev/null once a test's folders are isolated, so main() names
 * it before g_test_init() and GLib keeps it: a folder "Dokumenter" in a
 * temporary directory, made or removed by each test. */
static char *desktop_dir;
static char *documents_dir;

static void
name_documents_folder (void)
{
  g_autofree char *config = NULL;
  g_autofree char *dirs = NULL;
  g_autofree char *content = NULL;
  g_autoptr(GError) error = NULL;

  desktop_dir = tdm_test_make_tmp_dir ("tandem-export-XXXXXX");
  config = g_build_filename (desktop_dir, "config", NULL);
  dirs = g_build_filename (config, "user-dirs.dirs", NULL);
  documents_dir = g_build_filename (desktop_dir, "Dokumenter", NULL);
  content = g_strdup_printf ("XDG_DOCUMENTS_DIR=\"%s\"\n", documents_dir);

  g_assert_cmpint (g_mkdir_with_parents (config, 0700), ==, 0);
  g_file_set_contents (dirs, content, -1, &error);
  g_assert_no_error (error);
  g_setenv ("XDG_CONFIG_HOME", config, TRUE);
  g_assert_cmpstr (g_get_user_special_dir (G_USER_DIRECTORY_DOCUMENTS), ==, documents_dir);
}

/* Makes the Documents folder, or removes it (a desktop without one). */
static void
use_documents_folder (gboolean exists)
{
  g_assert_cmpstr (g_get_user_special_dir (G_USER_DIRECTORY_DOCUMENTS), ==, documents_dir);
  if (exists)
    g_assert_cmpint (g_mkdir_with_parents (documents_dir, 0700), ==, 0);
  else
    tdm_test_remove_tree (documents_dir);
}

/* ---- A fake xdg-desktop-portal: FileChooser and OpenURI ---- */

static const char portal_xml[] =
  "<node>"
  "  <interface name='org.freedesktop.portal.FileChooser'>"
  "    <method name='SaveFile'>"
  "      <arg type='s' direction='in'/><arg type='s' direction='in'/>"
  "      <arg type='a{sv}' direction='in'/><arg type='o' direction='out'/>"
  "    </method>"
  "    <property name='version' type='u' access='read'/>"
  "  </interface>"
  "  <interface name='org.freedesktop.portal.OpenURI'>"
  "    <method name='OpenFile'>"
  "      <arg type='s' direction='in'/><arg type='h' direction='in'/>"
  "      <arg type='a{sv}' direction='in'/><arg type='o' direction='out'/>"
  "    </method>"
  "    <method name='OpenURI'>"
  "      <arg type='s' direction='in'/><arg type='s' direction='in'/>"
  "      <arg type='a{sv}' direction='in'/><arg type='o' direction='out'/>"
  "    </method>"
  "    <property name='version' type='u' access='read'/>"
  "  </interface>"
  "</node>";

/* The portal answers in a thread of its own: GLib asks the OpenURI portal
 * synchronously once (it reads its properties), which the test's main
 * loop could not answer while it waits. What it records is read under
 * `lock`. */
typedef struct
{
  TdmTestPortal   *desktop;
  GMutex           lock;

  /* The last SaveFile: its title and what the chooser was asked to show. */
  guint            n_save;
  char            *save_title;
  char            *save_folder;
  char            *save_name;
  /* The owner's answer: save as this name in that folder (NULL: cancel). */
  char            *answer_name;

  /* The files OpenFile was given, by path, oldest first. */
  GPtrArray       *opened;
  /* Answer OpenFile with "no application" (response 2). */
  gboolean         refuse_open;
} FakePortal;

static void
save_file (FakePortal            *portal,
           GVariant              *parameters,
           GDBusMethodInvocation *invocation)
{
  g_autoptr(GVariant) options = NULL;
  g_autoptr(GVariant) folder = NULL;
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&portal->lock);
  const char *title = NULL;
  GVariantBuilder results;

  g_variant_get (parameters, "(&s&s@a{sv})", NULL, &title, &options);
  portal->n_save++;
  g_free (portal->save_title);
  portal->save_title = g_strdup (title);
  g_clear_pointer (&portal->save_folder, g_free);
  folder = g_variant_lookup_value (options, "current_folder", G_VARIANT_TYPE_BYTESTRING);
  if (folder != NULL)
    portal->save_folder = g_strdup (g_variant_get_bytestring (folder));
  g_clear_pointer (&portal->save_name, g_free);
  g_variant_lookup (options, "current_name", "s", &portal->save_name);

  g_variant_builder_init (&results, G_VARIANT_TYPE_VARDICT);
  if (portal->answer_name == NULL || portal->save_folder == NULL)
    {
      /* Cancelled: as xdg-desktop-portal answers, with no files. */
      g_variant_builder_add (&results, "{sv}", "uris", g_variant_new_strv (NULL, 0));
      tdm_test_portal_respond (invocation, options, 1, g_variant_builder_end (&results));
      return;
    }
  {
    g_autofree char *path = g_build_filename (portal->save_folder, portal->answer_name, NULL);
    g_autofree char *uri = g_filename_to_uri (path, NULL, NULL);
    const char *uris[] = { uri, NULL };

    g_variant_builder_add (&results, "{sv}", "uris", g_variant_new_strv (uris, -1));
    tdm_test_portal_respond (invocation, options, 0, g_variant_builder_end (&results));
  }
}

static void
open_file (FakePortal            *portal,
           GVariant              *parameters,
           GDBusMethodInvocation *invocation)
{
  GUnixFDList *fds = g_dbus_message_get_unix_fd_list (g_dbus_method_invocation_get_message (invocation));
  g_autoptr(GVariant) options = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *link = NULL;
  g_autofree char *path = NULL;
  GVariantBuilder results;
  gint32 handle = -1;
  int fd;

  g_variant_get (parameters, "(&sh@a{sv})", NULL, &handle, &options);
  g_assert_nonnull (fds);
  fd = g_unix_fd_list_get (fds, handle, &error);
  g_assert_no_error (error);
  link = g_strdup_printf ("/proc/self/fd/%d", fd);
  path = g_file_read_link (link, &error);
  g_assert_no_error (error);
  close (fd);

  g_mutex_lock (&portal->lock);
  g_ptr_array_add (portal->opened, g_steal_pointer (&path));
  g_variant_builder_init (&results, G_VARIANT_TYPE_VARDICT);
  tdm_test_portal_respond (invocation, options, portal->refuse_open ? 2 : 0,
                           g_variant_builder_end (&results));
  g_mutex_unlock (&portal->lock);
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
  FakePortal *portal = user_data;

  if (g_str_equal (method_name, "SaveFile"))
    save_file (portal, parameters, invocation);
  else if (g_str_equal (method_name, "OpenFile"))
    open_file (portal, parameters, invocation);
  else
    {
      g_autoptr(GVariant) options = NULL;
      const char *uri = NULL;
      GVariantBuilder results;

      /* OpenURI: a file is opened with OpenFile; anything else is kept too. */
      g_variant_get (parameters, "(&s&s@a{sv})", NULL, &uri, &options);
      g_mutex_lock (&portal->lock);
      g_ptr_array_add (portal->opened, g_strdup (uri));
      g_mutex_unlock (&portal->lock);
      g_variant_builder_init (&results, G_VARIANT_TYPE_VARDICT);
      tdm_test_portal_respond (invocation, options, 0, g_variant_builder_end (&results));
    }
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
  return g_variant_new_uint32 (3);
}

static const GDBusInterfaceVTable portal_vtable = {
  portal_method_cb, portal_get_property_cb, NULL, { 0 }
};

static FakePortal *
fake_portal_new (void)
{
  FakePortal *portal = g_new0 (FakePortal, 1);
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GError) error = NULL;

  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  portal->opened = g_ptr_array_new_with_free_func (g_free);
  g_mutex_init (&portal->lock);
  portal->desktop = tdm_test_portal_new_empty (bus, TRUE);
  tdm_test_portal_add_interfaces (portal->desktop, portal_xml, &portal_vtable, portal);
  tdm_test_portal_set_present (portal->desktop, TRUE);
  return portal;
}

static void
fake_portal_free (FakePortal *portal)
{
  g_clear_pointer (&portal->desktop, tdm_test_portal_free);
  g_mutex_clear (&portal->lock);
  g_ptr_array_unref (portal->opened);
  g_free (portal->save_title);
  g_free (portal->save_folder);
  g_free (portal->save_name);
  g_free (portal->answer_name);
  g_free (portal);
}

/* How many SaveFile and OpenFile calls the portal has answered. */
static guint
portal_n_save (FakePortal *portal)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&portal->lock);

  return portal->n_save;
}

static guint
portal_n_opened (FakePortal *portal)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&portal->lock);

  return portal->opened->len;
}

static void
portal_set_answer (FakePortal *portal,
                   const char *name)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&portal->lock);

  g_free (portal->answer_name);
  portal->answer_name = g_strdup (name);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FakePortal, fake_portal_free)

/* ---- Driving the export ---- */

static GtkWidget *
find_button_by_tooltip (GtkWidget  *widget,
                        const char *tooltip)
{
  g_assert (GTK_IS_WIDGET (widget));

  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_widget_get_tooltip_text (widget), tooltip) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button_by_tooltip (child, tooltip);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Presses the Export button with `tooltip` on `page`: the chooser must
 * offer `folder`; the owner saves as `name` there. Returns the toast that
 * follows. */
static AdwToast *
export_as (TdmUiFixture *fixture,
           FakePortal   *portal,
           GtkWidget    *page,
           const char   *tooltip,
           const char   *folder,
           const char   *name)
{
  GtkWidget *button = find_button_by_tooltip (page, tooltip);
  guint n_toasts = tdm_window_get_n_toasts (fixture->window);
  guint n_save = portal_n_save (portal);

  g_assert_nonnull (button);
  portal_set_answer (portal, name);
  g_signal_emit_by_name (button, "clicked");
  tdm_test_wait_for (portal_n_save (portal) > n_save, 10);
  {
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&portal->lock);
    g_autofree char *cwd = g_get_current_dir ();

    g_test_message ("SaveFile “%s” in %s as %s (the working directory is %s)",
                    portal->save_title,
                    portal->save_folder != NULL ? portal->save_folder : "(no folder)",
                    portal->save_name != NULL ? portal->save_name : "(no name)", cwd);
    g_assert_cmpstr (portal->save_folder, ==, folder);
  }
  tdm_test_wait_for (tdm_window_get_n_toasts (fixture->window) > n_toasts, 30);
  g_test_message ("Toast: %s", tdm_window_get_last_toast (fixture->window));
  g_assert_nonnull (tdm_window_get_shown_toast (fixture->window));
  return tdm_window_get_shown_toast (fixture->window);
}

/* The toast's Open button, pressed: the owner's application is given the
 * file. */
static void
press_open_and_check (TdmUiFixture *fixture,
                      FakePortal   *portal,
                      AdwToast     *toast,
                      const char   *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *uri = g_file_get_uri (file);
  guint n_opened = portal_n_opened (portal);
  GVariant *target;

  g_assert_cmpstr (adw_toast_get_button_label (toast), ==, "_Open");
  g_assert_cmpstr (adw_toast_get_action_name (toast), ==, "win.open-file");
  target = adw_toast_get_action_target_value (toast);
  g_assert_nonnull (target);
  g_assert_cmpstr (g_variant_get_string (target, NULL), ==, uri);

  g_assert_true (gtk_widget_activate_action_variant (GTK_WIDGET (fixture->window),
                                                     adw_toast_get_action_name (toast), target));
  tdm_test_wait_for (portal_n_opened (portal) > n_opened, 20);
  g_test_message ("OpenFile %s", (const char *) g_ptr_array_index (portal->opened, n_opened));
  g_assert_cmpstr (g_ptr_array_index (portal->opened, n_opened), ==, path);
}

/* ---- Tests ---- */

/* Customers: the chooser is asked to start in the Documents folder (as the
 * owner's desktop names it, here "Dokumenter") with the page's name; the
 * file is written where the owner chose and the toast opens it. Then the
 * Documents folder is gone, and the Activity page's chooser starts in the
 * home folder; its toast opens that file. */
static void
test_export_and_open (TdmUiFixture *fixture)
{
  g_autoptr(FakePortal) portal = fake_portal_new ();
  g_autofree char *path = g_build_filename (documents_dir, "kunder.csv", NULL);
  g_autofree char *home_path = g_build_filename (g_get_home_dir (), "aktivitet.csv", NULL);
  g_autofree char *csv = NULL;
  TdmEntityPage *customers = tdm_ui_entity_page (fixture, "customers");
  TdmActivityPage *activity = tdm_ui_activity_page (fixture);
  AdwToast *toast;

  use_documents_folder (TRUE);
  tdm_ui_wait_for_page (customers);
  g_assert_cmpuint (tdm_ui_n_rows (customers), >, 0);

  toast = export_as (fixture, portal, GTK_WIDGET (customers), "Export these records as CSV",
                     documents_dir, "kunder.csv");
  g_assert_cmpstr (portal->save_title, ==, "Export as CSV");
  g_assert_cmpstr (portal->save_name, ==, "Customers.csv");
  g_assert_cmpstr (adw_toast_get_title (toast), ==, "Exported 4 records to kunder.csv.");
  g_assert_true (g_file_get_contents (path, &csv, NULL, NULL));
  g_assert_true (g_str_has_prefix (csv, "Name,"));
  press_open_and_check (fixture, portal, toast, path);

  /* No Documents folder: home. */
  use_documents_folder (FALSE);
  g_assert_cmpint (g_mkdir_with_parents (g_get_home_dir (), 0700), ==, 0);
  tdm_test_wait_for (tdm_activity_page_get_n_runs (activity) > 0, 10);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.page", "s", "activity");

  toast = export_as (fixture, portal, GTK_WIDGET (activity), "Export the activity log as CSV",
                     g_get_home_dir (), "aktivitet.csv");
  g_assert_cmpstr (portal->save_title, ==, "Export the Activity Log");
  g_assert_cmpstr (portal->save_name, ==, "tandem-activity.csv");
  g_assert_true (g_str_has_prefix (adw_toast_get_title (toast), "Exported "));
  g_assert_true (g_file_test (home_path, G_FILE_TEST_EXISTS));
  press_open_and_check (fixture, portal, toast, home_path);

  /* Cancelled in the chooser: nothing written, no toast. */
  {
    guint n_toasts = tdm_window_get_n_toasts (fixture->window);
    guint n_save = portal_n_save (portal);

    portal_set_answer (portal, NULL);
    g_signal_emit_by_name (find_button_by_tooltip (GTK_WIDGET (activity),
                                                   "Export the activity log as CSV"), "clicked");
    tdm_test_wait_for (portal_n_save (portal) > n_save, 10);
    tdm_test_spin (300);
    g_assert_cmpuint (tdm_window_get_n_toasts (fixture->window), ==, n_toasts);
  }
}

/* Opens `path` as the toast's Open button does; returns the toast that
 * follows. */
static const char *
open_and_wait (TdmUiFixture *fixture,
               const char   *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *uri = g_file_get_uri (file);
  guint n_toasts = tdm_window_get_n_toasts (fixture->window);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.open-file", "s",
                                             uri));
  tdm_test_wait_for (tdm_window_get_n_toasts (fixture->window) > n_toasts, 30);
  g_test_message ("Toast: %s", tdm_window_get_last_toast (fixture->window));
  return tdm_window_get_last_toast (fixture->window);
}

/* A file that cannot be opened says so in a toast: one moved away since
 * the export, and one the desktop has no application for. */
static void
test_open_fails (TdmUiFixture *fixture)
{
  g_autoptr(FakePortal) portal = fake_portal_new ();
  g_autofree char *gone = g_build_filename (g_get_home_dir (), "gone.csv", NULL);
  g_autofree char *there = g_build_filename (g_get_home_dir (), "there.csv", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (open_and_wait (fixture, gone), ==,
                   "gone.csv is not there any more: it was moved or deleted.");
  g_assert_cmpuint (portal_n_opened (portal), ==, 0);

  g_mutex_lock (&portal->lock);
  portal->refuse_open = TRUE;
  g_mutex_unlock (&portal->lock);
  g_assert_cmpint (g_mkdir_with_parents (g_get_home_dir (), 0700), ==, 0);
  g_file_set_contents (there, "Name\r\n", -1, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (open_and_wait (fixture, there),
                                   "there.csv could not be opened: "));
  g_assert_cmpuint (portal_n_opened (portal), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  name_documents_folder ();
  /* In a sandbox GTK and GLib ask the portals; here they are told to. */
  g_setenv ("GDK_DEBUG", "gl-disable,portals", TRUE);
  g_setenv ("GTK_USE_PORTAL", "1", TRUE);
  /* GtkFileChooserNative builds a chooser widget even when it asks the
   * portal, and that keeps its state in GSettings: find the system's
   * schemas before the isolated folders hide them. */
  g_assert_nonnull (g_settings_schema_source_get_default ());
  if (tdm_ui_test_init (&argc, &argv))
    {
      tdm_ui_test_add ("/ui/export/chooser-folder-and-open", TDM_UI_SHOP, test_export_and_open);
      tdm_ui_test_add ("/ui/export/open-fails", TDM_UI_SHOP, test_open_fails);
    }
  status = g_test_run ();

  tdm_test_remove_tree (desktop_dir);
  g_free (desktop_dir);
  g_free (documents_dir);
  return status;
}
