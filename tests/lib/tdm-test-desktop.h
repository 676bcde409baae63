/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The desktop on the private session bus of dbus-run-session, played by the
 * test process: whether a name has an owner, and a fake Background portal
 * (org.freedesktop.portal.Background, as xdg-desktop-portal offers it). */

/* Asks the bus whether `name` has an owner now. */
gboolean tdm_test_bus_has_owner (GDBusConnection *bus,
                                 const char      *name);
/* Waits until `name` has an owner (`owned`) or none, 10 s at most. */
void     tdm_test_bus_wait_name (GDBusConnection *bus,
                                 const char      *name,
                                 gboolean         owned);

typedef struct
{
  gboolean   autostart;
  char      *reason;
  char     **commandline;
} TdmTestPortalRequest;

#define TDM_TEST_PORTAL_NAME "org.freedesktop.portal.Desktop"
#define TDM_TEST_PORTAL_PATH "/org/freedesktop/portal/desktop"

typedef struct
{
  GDBusConnection *bus;
  GPtrArray       *requests;   /* TdmTestPortalRequest *, oldest first (Background) */
  gboolean         refuse;     /* answer with background and autostart off */
  GArray          *object_ids; /* guint: the interfaces registered at the portal's path */
  guint            owner_id;
  GMainContext    *context;    /* where it answers; NULL: the test's main context */
  GThread         *thread;     /* iterating `context`, when it has one */
  gint             quit;
} TdmTestPortal;

/* A portal that serves no interface yet, at TDM_TEST_PORTAL_PATH on `bus`.
 * With `own_thread` it answers from a thread of its own, for code under
 * test that calls the portal synchronously from the test's main context
 * (GLib reads the OpenURI portal's properties so); its callbacks then run
 * in that thread, started when it is first present. Its bus name is not
 * owned until tdm_test_portal_set_present(). */
TdmTestPortal *tdm_test_portal_new_empty   (GDBusConnection            *bus,
                                            gboolean                    own_thread);
/* Serves every interface of `xml` at the portal's path with `vtable`;
 * before the portal is first present. */
void           tdm_test_portal_add_interfaces (TdmTestPortal              *portal,
                                               const char                 *xml,
                                               const GDBusInterfaceVTable *vtable,
                                               gpointer                    user_data);
/* A portal with the Background interface, answering from the test's main
 * context. */
TdmTestPortal *tdm_test_portal_new         (GDBusConnection            *bus);
/* Owns or gives up org.freedesktop.portal.Desktop and waits until the bus
 * says so. */
void           tdm_test_portal_set_present (TdmTestPortal              *portal,
                                            gboolean                    present);
void           tdm_test_portal_free        (TdmTestPortal              *portal);

/* Answers a portal call as xdg-desktop-portal does: returns the path of its
 * Request object and, a moment later, emits that object's Response with
 * `response` (0 done, 1 cancelled, 2 failed) and `results` (floating). */
void           tdm_test_portal_respond     (GDBusMethodInvocation      *invocation,
                                            GVariant                   *options,
                                            guint                       response,
                                            GVariant                   *results);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TdmTestPortal, tdm_test_portal_free)

G_END_DECLS
