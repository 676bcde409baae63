/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-test"

#include "config.h"

#include "tdm-test-desktop.h"

#include "tdm-test-wait.h"

#define PORTAL_NAME "org.freedesktop.portal.Desktop"
#define PORTAL_PATH "/org/freedesktop/portal/desktop"

/* ---- Bus names ---- */

gboolean
tdm_test_bus_has_owner (GDBusConnection *bus,
                        const char      *name)
{
  g_autoptr(GVariant) reply = NULL;
  gboolean has = FALSE;

  g_assert (G_IS_DBUS_CONNECTION (bus));
  g_assert (name != NULL);

  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner",
                                       g_variant_new ("(s)", name), G_VARIANT_TYPE ("(b)"),
                                       G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL);
  if (reply != NULL)
    g_variant_get (reply, "(b)", &has);
  return has;
}

typedef struct
{
  GDBusConnection *bus;
  const char      *name;
  gboolean         owned;
} NameWait;

static gboolean
name_as_wanted (gpointer data)
{
  NameWait *wait = data;

  return tdm_test_bus_has_owner (wait->bus, wait->name) == wait->owned;
}

void
tdm_test_bus_wait_name (GDBusConnection *bus,
                        const char      *name,
                        gboolean         owned)
{
  NameWait wait = { bus, name, owned };
  g_autofree char *what = g_strdup_printf ("%s to %s", name, owned ? "have an owner" : "go");

  tdm_test_wait_until (name_as_wanted, &wait, 10, what);
}

/* ---- The Background portal ---- */

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
portal_request_free (TdmTestPortalRequest *request)
{
  g_free (request->reason);
  g_strfreev (request->commandline);
  g_free (request);
}

/* The answer of one request: a Response signal on its Request object, a
 * moment after the call returned that object's path. */
typedef struct
{
  GDBusConnection *bus;
  char            *path;
  char            *destination;
  gboolean         granted;
  gboolean         autostart;
} PendingResponse;

static gboolean
emit_response_cb (gpointer user_data)
{
  PendingResponse *pending = user_data;
  GVariantBuilder results;

  g_assert (pending != NULL);

  g_variant_builder_init (&results, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&results, "{sv}", "background", g_variant_new_boolean (pending->granted));
  g_variant_builder_add (&results, "{sv}", "autostart",
                         g_variant_new_boolean (pending->granted && pending->autostart));
  g_dbus_connection_emit_signal (pending->bus, pending->destination, pending->path,
                                 "org.freedesktop.portal.Request", "Response",
                                 g_variant_new ("(ua{sv})", 0, &results), NULL);
  g_object_unref (pending->bus);
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
  TdmTestPortal *portal = user_data;
  g_autoptr(GVariant) options = NULL;
  g_autofree char *sender_part = NULL;
  TdmTestPortalRequest *request = g_new0 (TdmTestPortalRequest, 1);
  PendingResponse *pending = g_new0 (PendingResponse, 1);
  const char *token = "t";

  g_assert (portal != NULL);
  g_assert (sender != NULL && sender[0] == ':');

  g_variant_get (parameters, "(&s@a{sv})", NULL, &options);
  g_variant_lookup (options, "autostart", "b", &request->autostart);
  g_variant_lookup (options, "reason", "s", &request->reason);
  g_variant_lookup (options, "commandline", "^as", &request->commandline);
  g_variant_lookup (options, "handle_token", "&s", &token);
  g_ptr_array_add (portal->requests, request);
  g_test_message ("RequestBackground autostart=%d", request->autostart);

  /* The Request object's path, as xdg-desktop-portal makes it. */
  sender_part = g_strdelimit (g_strdup (sender + 1), ".", '_');
  pending->bus = g_object_ref (connection);
  pending->destination = g_strdup (sender);
  pending->path = g_strdup_printf (PORTAL_PATH "/request/%s/%s", sender_part, token);
  pending->granted = !portal->refuse;
  pending->autostart = request->autostart;
  g_dbus_method_invocation_return_value (invocation, g_variant_new ("(o)", pending->path));
  g_timeout_add (20, emit_response_cb, pending);
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

static const GDBusInterfaceVTable portal_vtable = {
  portal_method_cb, portal_get_property_cb, NULL, { 0 }
};

TdmTestPortal *
tdm_test_portal_new (GDBusConnection *bus)
{
  TdmTestPortal *portal = g_new0 (TdmTestPortal, 1);
  g_autoptr(GDBusNodeInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  g_assert (G_IS_DBUS_CONNECTION (bus));

  portal->bus = g_object_ref (bus);
  portal->requests = g_ptr_array_new_with_free_func ((GDestroyNotify) portal_request_free);
  info = g_dbus_node_info_new_for_xml (portal_xml, &error);
  g_assert_no_error (error);
  portal->object_id = g_dbus_connection_register_object (bus, PORTAL_PATH, info->interfaces[0],
                                                         &portal_vtable, portal, NULL, &error);
  g_assert_no_error (error);
  return portal;
}

void
tdm_test_portal_set_present (TdmTestPortal *portal,
                             gboolean       present)
{
  g_assert (portal != NULL);

  if (present && portal->owner_id == 0)
    {
      portal->owner_id = g_bus_own_name_on_connection (portal->bus, PORTAL_NAME,
                                                       G_BUS_NAME_OWNER_FLAGS_NONE,
                                                       NULL, NULL, NULL, NULL);
      tdm_test_bus_wait_name (portal->bus, PORTAL_NAME, TRUE);
    }
  else if (!present && portal->owner_id != 0)
    {
      g_bus_unown_name (portal->owner_id);
      portal->owner_id = 0;
      tdm_test_bus_wait_name (portal->bus, PORTAL_NAME, FALSE);
    }
}

void
tdm_test_portal_free (TdmTestPortal *portal)
{
  if (portal == NULL)
    return;

  tdm_test_portal_set_present (portal, FALSE);
  g_dbus_connection_unregister_object (portal->bus, portal->object_id);
  g_ptr_array_unref (portal->requests);
  g_object_unref (portal->bus);
  g_free (portal);
}
