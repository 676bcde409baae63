/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-test"

#include "config.h"

#include "tdm-test-desktop.h"

#include "tdm-test-wait.h"

#define PORTAL_NAME TDM_TEST_PORTAL_NAME
#define PORTAL_PATH TDM_TEST_PORTAL_PATH

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

/* ---- A portal ---- */

static void
portal_request_free (TdmTestPortalRequest *request)
{
  g_free (request->reason);
  g_strfreev (request->commandline);
  g_free (request);
}

static gpointer
portal_thread (gpointer user_data)
{
  TdmTestPortal *portal = user_data;

  g_assert (portal != NULL && portal->context != NULL);

  g_main_context_push_thread_default (portal->context);
  while (!g_atomic_int_get (&portal->quit))
    g_main_context_iteration (portal->context, TRUE);
  while (g_main_context_iteration (portal->context, FALSE))
    ;
  g_main_context_pop_thread_default (portal->context);
  return NULL;
}

TdmTestPortal *
tdm_test_portal_new_empty (GDBusConnection *bus,
                           gboolean         own_thread)
{
  TdmTestPortal *portal = g_new0 (TdmTestPortal, 1);

  g_assert (G_IS_DBUS_CONNECTION (bus));

  portal->bus = g_object_ref (bus);
  portal->requests = g_ptr_array_new_with_free_func ((GDestroyNotify) portal_request_free);
  portal->object_ids = g_array_new (FALSE, FALSE, sizeof (guint));
  if (own_thread)
    portal->context = g_main_context_new ();
  return portal;
}

void
tdm_test_portal_add_interfaces (TdmTestPortal              *portal,
                                const char                 *xml,
                                const GDBusInterfaceVTable *vtable,
                                gpointer                    user_data)
{
  g_autoptr(GDBusNodeInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  g_assert (portal != NULL && xml != NULL && vtable != NULL);
  g_assert (portal->thread == NULL);

  info = g_dbus_node_info_new_for_xml (xml, &error);
  g_assert_no_error (error);
  /* A registered object answers in the thread-default context of its
   * registration. */
  if (portal->context != NULL)
    g_main_context_push_thread_default (portal->context);
  for (guint i = 0; info->interfaces[i] != NULL; i++)
    {
      guint id = g_dbus_connection_register_object (portal->bus, PORTAL_PATH, info->interfaces[i],
                                                    vtable, user_data, NULL, &error);

      g_assert_no_error (error);
      g_array_append_val (portal->object_ids, id);
    }
  if (portal->context != NULL)
    g_main_context_pop_thread_default (portal->context);
}

void
tdm_test_portal_set_present (TdmTestPortal *portal,
                             gboolean       present)
{
  g_assert (portal != NULL);

  if (present && portal->context != NULL && portal->thread == NULL)
    portal->thread = g_thread_new ("fake-portal", portal_thread, portal);
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
  for (guint i = 0; i < portal->object_ids->len; i++)
    g_dbus_connection_unregister_object (portal->bus, g_array_index (portal->object_ids, guint, i));
  if (portal->thread != NULL)
    {
      g_atomic_int_set (&portal->quit, TRUE);
      g_main_context_wakeup (portal->context);
      g_thread_join (portal->thread);
    }
  g_clear_pointer (&portal->context, g_main_context_unref);
  g_array_unref (portal->object_ids);
  g_ptr_array_unref (portal->requests);
  g_object_unref (portal->bus);
  g_free (portal);
}

/* ---- Answers on a Request object ---- */

typedef struct
{
  GDBusConnection *bus;
  char            *destination;
  char            *path;
  guint            response;
  GVariant        *results;
} PendingResponse;

static void
pending_response_free (gpointer user_data)
{
  PendingResponse *pending = user_data;

  g_variant_unref (pending->results);
  g_object_unref (pending->bus);
  g_free (pending->destination);
  g_free (pending->path);
  g_free (pending);
}

static gboolean
emit_response_cb (gpointer user_data)
{
  PendingResponse *pending = user_data;

  g_assert (pending != NULL);

  g_dbus_connection_emit_signal (pending->bus, pending->destination, pending->path,
                                 "org.freedesktop.portal.Request", "Response",
                                 g_variant_new ("(u@a{sv})", pending->response,
                                                pending->results),
                                 NULL);
  return G_SOURCE_REMOVE;
}

void
tdm_test_portal_respond (GDBusMethodInvocation *invocation,
                         GVariant              *options,
                         guint                  response,
                         GVariant              *results)
{
  const char *sender = g_dbus_method_invocation_get_sender (invocation);
  PendingResponse *pending = g_new0 (PendingResponse, 1);
  g_autoptr(GSource) source = g_timeout_source_new (20);
  g_autofree char *sender_part = NULL;
  const char *token = "t";

  g_assert (sender != NULL && sender[0] == ':');
  g_assert (results != NULL);

  /* The Request object's path, as xdg-desktop-portal makes it. */
  if (options != NULL)
    g_variant_lookup (options, "handle_token", "&s", &token);
  sender_part = g_strdelimit (g_strdup (sender + 1), ".", '_');
  pending->bus = g_object_ref (g_dbus_method_invocation_get_connection (invocation));
  pending->destination = g_strdup (sender);
  pending->path = g_strdup_printf (PORTAL_PATH "/request/%s/%s", sender_part, token);
  pending->response = response;
  pending->results = g_variant_ref_sink (results);
  g_dbus_method_invocation_return_value (invocation, g_variant_new ("(o)", pending->path));
  g_source_set_callback (source, emit_response_cb, pending, pending_response_free);
  g_source_attach (source, g_main_context_get_thread_default ());
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
  TdmTestPortalRequest *request = g_new0 (TdmTestPortalRequest, 1);
  GVariantBuilder results;

  g_assert (portal != NULL);

  g_variant_get (parameters, "(&s@a{sv})", NULL, &options);
  g_variant_lookup (options, "autostart", "b", &request->autostart);
  g_variant_lookup (options, "reason", "s", &request->reason);
  g_variant_lookup (options, "commandline", "^as", &request->commandline);
  g_ptr_array_add (portal->requests, request);
  g_test_message ("RequestBackground autostart=%d", request->autostart);

  g_variant_builder_init (&results, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&results, "{sv}", "background", g_variant_new_boolean (!portal->refuse));
  g_variant_builder_add (&results, "{sv}", "autostart",
                         g_variant_new_boolean (!portal->refuse && request->autostart));
  tdm_test_portal_respond (invocation, options, 0, g_variant_builder_end (&results));
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
  TdmTestPortal *portal = tdm_test_portal_new_empty (bus, FALSE);

  tdm_test_portal_add_interfaces (portal, portal_xml, &portal_vtable, portal);
  return portal;
}
