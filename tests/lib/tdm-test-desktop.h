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

typedef struct
{
  GDBusConnection *bus;
  GPtrArray       *requests;   /* TdmTestPortalRequest *, oldest first */
  gboolean         refuse;     /* answer with background and autostart off */
  guint            object_id;
  guint            owner_id;
} TdmTestPortal;

/* Registers the portal's object on `bus`; the portal's bus name is not
 * owned until tdm_test_portal_set_present(). */
TdmTestPortal *tdm_test_portal_new         (GDBusConnection *bus);
/* Owns or gives up org.freedesktop.portal.Desktop and waits until the bus
 * says so. */
void           tdm_test_portal_set_present (TdmTestPortal   *portal,
                                            gboolean         present);
void           tdm_test_portal_free        (TdmTestPortal   *portal);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TdmTestPortal, tdm_test_portal_free)

G_END_DECLS
